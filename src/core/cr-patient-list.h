/* cr-patient-list.h: the sidebar's patients, searched and paged
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "cr-patient.h"
#include "cr-store.h"

G_BEGIN_DECLS

#define CR_TYPE_PATIENT_LIST (cr_patient_list_get_type ())

G_DECLARE_FINAL_TYPE (CrPatientList, cr_patient_list, CR, PATIENT_LIST, GObject)

CrPatientList *cr_patient_list_new          (CrStore       *store);
void           cr_patient_list_set_search   (CrPatientList *self,
                                             const char    *text);
const char    *cr_patient_list_get_search   (CrPatientList *self);
gboolean       cr_patient_list_get_loading  (CrPatientList *self);
guint          cr_patient_list_get_n_matches (CrPatientList *self);
guint          cr_patient_list_get_n_cached (CrPatientList *self);
void           cr_patient_list_set_show_first_screenful (CrPatientList *self,
                                                         gboolean       show);

G_END_DECLS
