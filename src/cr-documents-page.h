/* cr-documents-page.h: the chart's Documents page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "cr-document-viewer.h"
#include "cr-patient.h"
#include "cr-store.h"

G_BEGIN_DECLS

#define CR_TYPE_DOCUMENTS_PAGE (cr_documents_page_get_type ())

G_DECLARE_FINAL_TYPE (CrDocumentsPage, cr_documents_page, CR, DOCUMENTS_PAGE, AdwBin)

GtkWidget        *cr_documents_page_new         (void);
void              cr_documents_page_set_patient (CrDocumentsPage *self,
                                                 CrStore         *store,
                                                 CrPatient       *patient);
/* Reads the patient's documents (or the search's) again, off the main loop. */
void              cr_documents_page_reload      (CrDocumentsPage *self);
gboolean          cr_documents_page_get_loading (CrDocumentsPage *self);
/* (transfer none) (element-type CrDocument): what the list shows */
GListModel       *cr_documents_page_get_documents (CrDocumentsPage *self);
GtkEditable      *cr_documents_page_get_search_entry (CrDocumentsPage *self);
void              cr_documents_page_select      (CrDocumentsPage *self,
                                                 gint64           document_id);
CrDocumentViewer *cr_documents_page_get_viewer  (CrDocumentsPage *self);

/* Adds the page to a chart's view stack; it follows the chart page's
 * "store" and "patient" and loads when first shown. */
void              _cr_documents_page_attach     (AdwViewStack    *stack,
                                                 GObject         *chart_page);

G_END_DECLS
