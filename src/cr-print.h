/* cr-print.h: printing visit notes and prescriptions (GtkPrintOperation on
 * cr-print-layout), with "Print to File" for a PDF
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "cr-print-layout.h"
#include "cr-store.h"

G_BEGIN_DECLS

void     cr_print_visit_note   (GtkWindow      *parent,
                                CrStore        *store,
                                gint64          visit_id);
void     cr_print_prescription (GtkWindow      *parent,
                                CrStore        *store,
                                gint64          prescription_id);
gboolean cr_print_export_pdf   (GtkWindow      *parent,
                                CrStore        *store,
                                CrPrintLayout  *layout,
                                const char     *path,
                                GError        **error);

G_END_DECLS
