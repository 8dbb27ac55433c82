/* cr-filing-panel.h: file an inbox document to a patient, keyboard first
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "cr-document.h"
#include "cr-patient.h"
#include "cr-store.h"

G_BEGIN_DECLS

#define CR_TYPE_FILING_PANEL (cr_filing_panel_get_type ())

G_DECLARE_FINAL_TYPE (CrFilingPanel, cr_filing_panel, CR, FILING_PANEL, AdwBin)

GtkWidget          *cr_filing_panel_new              (void);
/* @document: (nullable): the inbox document to file */
void                cr_filing_panel_set_document     (CrFilingPanel      *self,
                                                      CrStore            *store,
                                                      CrDocument         *document);
CrDocument         *cr_filing_panel_get_document     (CrFilingPanel      *self);
/* Puts the focus where the next step is: the patient search first. */
void                cr_filing_panel_focus            (CrFilingPanel      *self);
/* Files the document as the form says; on a mistake says so in the form
 * and returns FALSE. Emits ::filed on success. */
gboolean            cr_filing_panel_file             (CrFilingPanel      *self);
void                cr_filing_panel_set_patient      (CrFilingPanel      *self,
                                                      CrPatient          *patient);
CrPatient          *cr_filing_panel_get_patient      (CrFilingPanel      *self);
CrDocumentCategory  cr_filing_panel_get_category     (CrFilingPanel      *self);
void                cr_filing_panel_set_category     (CrFilingPanel      *self,
                                                      CrDocumentCategory  category);
/* The patient search: its entry, whether it is still searching and how
 * many patients its popover lists. */
GtkEditable        *cr_filing_panel_get_search_entry (CrFilingPanel      *self);
gboolean            cr_filing_panel_get_searching    (CrFilingPanel      *self);
guint               cr_filing_panel_get_n_results    (CrFilingPanel      *self);
GtkEditable        *cr_filing_panel_get_date_entry   (CrFilingPanel      *self);
/* (nullable): what the form last said was wrong */
const char         *cr_filing_panel_get_error        (CrFilingPanel      *self);

G_END_DECLS
