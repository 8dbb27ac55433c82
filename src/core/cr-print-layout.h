/* cr-print-layout.h: a visit note or a prescription laid out in pages with
 * Pango onto any cairo context (a printer's, a PDF surface)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <cairo.h>
#include <gio/gio.h>

#include "cr-store.h"

G_BEGIN_DECLS

#define CR_TYPE_PRINT_LAYOUT (cr_print_layout_get_type ())

/* US Letter in points, and the margin cr_print_layout_write_pdf() keeps. */
#define CR_PRINT_LETTER_WIDTH  612.0
#define CR_PRINT_LETTER_HEIGHT 792.0
#define CR_PRINT_PDF_MARGIN    54.0

G_DECLARE_FINAL_TYPE (CrPrintLayout, cr_print_layout, CR, PRINT_LAYOUT, GObject)

CrPrintLayout *cr_print_layout_new_for_visit        (CrStore        *store,
                                                     gint64          visit_id,
                                                     GError        **error);
CrPrintLayout *cr_print_layout_new_for_prescription (CrStore        *store,
                                                     gint64          prescription_id,
                                                     GError        **error);

gint64         cr_print_layout_get_patient_id       (CrPrintLayout  *self);
const char    *cr_print_layout_get_record           (CrPrintLayout  *self);
const char    *cr_print_layout_get_title            (CrPrintLayout  *self);
const char    *cr_print_layout_get_file_name        (CrPrintLayout  *self);

guint          cr_print_layout_paginate             (CrPrintLayout  *self,
                                                     cairo_t        *cr,
                                                     double          width,
                                                     double          height);
guint          cr_print_layout_get_n_pages          (CrPrintLayout  *self);
void           cr_print_layout_draw_page            (CrPrintLayout  *self,
                                                     cairo_t        *cr,
                                                     guint           page);

gboolean       cr_print_layout_write_pdf            (CrPrintLayout  *self,
                                                     const char     *path,
                                                     GError        **error);
gboolean       cr_print_layout_record_audit         (CrPrintLayout  *self,
                                                     CrStore        *store,
                                                     gboolean        exported,
                                                     const char     *detail,
                                                     GError        **error);

G_END_DECLS
