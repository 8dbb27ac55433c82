/* cr-patient-private.h: what the store sets on a patient
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <sqlcipher/sqlite3.h>

#include "cr-patient.h"

G_BEGIN_DECLS

/* The column list that _cr_patient_new_from_row() reads, in its order. */
#define CR_PATIENT_COLUMNS \
  "p.id, p.record_number, p.family_name, p.given_names, p.birth_date, p.sex, p.phone, " \
  "p.email, p.address, p.insurance_payer, p.insurance_member_id, p.inactive, p.deceased, " \
  "p.deceased_date, p.created_at, p.created_by, p.updated_at, p.updated_by"

CrPatient *_cr_patient_new_from_row   (sqlite3_stmt *stmt);
void       _cr_patient_set_id         (CrPatient    *self,
                                       gint64        id);
void       _cr_patient_set_record_number (CrPatient  *self,
                                          const char *record_number);
void       _cr_patient_set_stamps     (CrPatient    *self,
                                       const char   *created_at,
                                       const char   *created_by,
                                       const char   *updated_at,
                                       const char   *updated_by);

G_END_DECLS
