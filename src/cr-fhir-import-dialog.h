/* cr-fhir-import-dialog.h: importing FHIR records, exporting one
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "cr-patient-sidebar.h"
#include "cr-store.h"

G_BEGIN_DECLS

#define CR_TYPE_FHIR_IMPORT_DIALOG (cr_fhir_import_dialog_get_type ())

G_DECLARE_FINAL_TYPE (CrFhirImportDialog, cr_fhir_import_dialog, CR, FHIR_IMPORT_DIALOG, AdwWindow)

CrFhirImportDialog *cr_fhir_import_dialog_new          (GtkWindow          *parent,
                                                        CrStore            *store,
                                                        CrPatientSidebar   *sidebar);
/* What the file chooser's response calls: imports @paths off the main
 * loop, shows progress, then the summary; refreshes the sidebar. */
void                cr_fhir_import_dialog_import       (CrFhirImportDialog *self,
                                                        const char * const *paths);
gboolean            cr_fhir_import_dialog_get_busy     (CrFhirImportDialog *self);

/* main.import-records: choose .json files, then import them. */
void                cr_fhir_choose_and_import          (GtkWindow          *parent,
                                                        CrStore            *store,
                                                        CrPatientSidebar   *sidebar);
/* main.export-record: choose where, then write the patient's bundle. */
void                cr_fhir_choose_and_export          (GtkWindow          *parent,
                                                        CrStore            *store,
                                                        CrPatient          *patient);

G_END_DECLS
