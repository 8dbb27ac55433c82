/* cr-document-viewer.h: a stored document's pages, rendered on demand
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>
#include <poppler.h>

#include "cr-store.h"

G_BEGIN_DECLS

#define CR_TYPE_DOCUMENT_VIEWER (cr_document_viewer_get_type ())

G_DECLARE_FINAL_TYPE (CrDocumentViewer, cr_document_viewer, CR, DOCUMENT_VIEWER, AdwBin)

GtkWidget  *cr_document_viewer_new               (void);
/* Opens the document off the main loop (a "view" audit entry); 0 closes. */
void        cr_document_viewer_set_document      (CrDocumentViewer *self,
                                                  CrStore          *store,
                                                  gint64            document_id);
gint64      cr_document_viewer_get_document_id   (CrDocumentViewer *self);
/* TRUE while the document is being opened. */
gboolean    cr_document_viewer_get_loading       (CrDocumentViewer *self);
/* (nullable): why the document cannot be shown */
const char *cr_document_viewer_get_error         (CrDocumentViewer *self);
guint       cr_document_viewer_get_n_pages       (CrDocumentViewer *self);
/* 0-based: the page at the top of the view */
guint       cr_document_viewer_get_current_page  (CrDocumentViewer *self);
void        cr_document_viewer_go_to_page        (CrDocumentViewer *self,
                                                  guint             page);
/* 1.0 is the page's real size on a 96 dpi screen. */
double      cr_document_viewer_get_zoom          (CrDocumentViewer *self);
void        cr_document_viewer_set_zoom          (CrDocumentViewer *self,
                                                  double            zoom);
/* Whether @page is on screen drawn at the current zoom (for tests). */
gboolean    cr_document_viewer_page_is_drawn     (CrDocumentViewer *self,
                                                  guint             page);
/* Rotates @page a quarter turn clockwise; kept as a view setting. */
void        cr_document_viewer_rotate_page       (CrDocumentViewer *self,
                                                  guint             page);
int         cr_document_viewer_get_page_rotation (CrDocumentViewer *self,
                                                  guint             page);
/* Finds @text in every page off the main loop, highlights the hits and
 * shows the first one from the current page on. */
void        cr_document_viewer_find              (CrDocumentViewer *self,
                                                  const char       *text);
gboolean    cr_document_viewer_get_finding       (CrDocumentViewer *self);
guint       cr_document_viewer_get_n_hits        (CrDocumentViewer *self);
/* -1 when there is none */
int         cr_document_viewer_get_current_hit   (CrDocumentViewer *self);
void        cr_document_viewer_next_hit          (CrDocumentViewer *self,
                                                  gboolean          backwards);
/* Selects the text inside @area (page points, top-left origin) of @page,
 * as a rubber band does. */
void        cr_document_viewer_select            (CrDocumentViewer *self,
                                                  guint             page,
                                                  const PopplerRectangle *area);
/* (nullable): the selected text */
const char *cr_document_viewer_get_selected_text (CrDocumentViewer *self);

G_END_DECLS
