/* cr-patient-row.h: one patient in the patient list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "cr-patient.h"

G_BEGIN_DECLS

#define CR_TYPE_PATIENT_ROW (cr_patient_row_get_type ())

G_DECLARE_FINAL_TYPE (CrPatientRow, cr_patient_row, CR, PATIENT_ROW, AdwBin)

GtkWidget  *cr_patient_row_new                 (void);
CrPatient  *cr_patient_row_get_patient         (CrPatientRow *self);
void        cr_patient_row_set_patient         (CrPatientRow *self,
                                                CrPatient    *patient);

/* Shared with the chart page: dates and ages as the user's locale writes them. */
char       *_cr_patient_row_format_date        (const char   *iso_date);
char       *_cr_patient_row_format_timestamp   (const char   *iso_timestamp);
char       *_cr_patient_row_format_age         (CrPatient    *patient);
const char *_cr_patient_row_sex_label          (CrSex         sex);

G_END_DECLS
