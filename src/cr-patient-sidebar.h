/* cr-patient-sidebar.h: the patient list with its type-ahead search
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "cr-patient.h"
#include "cr-store.h"

G_BEGIN_DECLS

#define CR_TYPE_PATIENT_SIDEBAR (cr_patient_sidebar_get_type ())

G_DECLARE_FINAL_TYPE (CrPatientSidebar, cr_patient_sidebar, CR, PATIENT_SIDEBAR, AdwBin)

GtkWidget  *cr_patient_sidebar_new               (void);
void        cr_patient_sidebar_set_store         (CrPatientSidebar *self,
                                                  CrStore          *store);
void        cr_patient_sidebar_refresh           (CrPatientSidebar *self);
void        cr_patient_sidebar_focus_search      (CrPatientSidebar *self);
void        cr_patient_sidebar_set_current       (CrPatientSidebar *self,
                                                  CrPatient        *patient);
GListModel *cr_patient_sidebar_get_model         (CrPatientSidebar *self);
GtkEditable *cr_patient_sidebar_get_search_entry (CrPatientSidebar *self);
const char *cr_patient_sidebar_get_search_text   (CrPatientSidebar *self);
gboolean    cr_patient_sidebar_get_loading       (CrPatientSidebar *self);
guint       cr_patient_sidebar_get_n_matches     (CrPatientSidebar *self);

G_END_DECLS
