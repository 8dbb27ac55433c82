/* cr-patient.h: a patient's identity, contact and insurance
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "cr-types.h"

G_BEGIN_DECLS

#define CR_PATIENT_ERROR (cr_patient_error_quark ())
#define CR_TYPE_PATIENT (cr_patient_get_type ())

/**
 * CrPatientError:
 *
 * The code names the field that was refused, so a form can show the message
 * beside it; %CR_PATIENT_ERROR_DUPLICATE names a patient already registered.
 */
typedef enum
{
  CR_PATIENT_ERROR_FAMILY_NAME,
  CR_PATIENT_ERROR_GIVEN_NAMES,
  CR_PATIENT_ERROR_BIRTH_DATE,
  CR_PATIENT_ERROR_PHONE,
  CR_PATIENT_ERROR_EMAIL,
  CR_PATIENT_ERROR_ADDRESS,
  CR_PATIENT_ERROR_INSURANCE,
  CR_PATIENT_ERROR_RECORD_NUMBER,
  CR_PATIENT_ERROR_DUPLICATE,
} CrPatientError;

G_DECLARE_FINAL_TYPE (CrPatient, cr_patient, CR, PATIENT, GObject)

GQuark      cr_patient_error_quark          (void);
CrPatient  *cr_patient_new                  (void);
CrPatient  *cr_patient_copy                 (CrPatient   *self);

gint64      cr_patient_get_id               (CrPatient   *self);
const char *cr_patient_get_record_number    (CrPatient   *self);
const char *cr_patient_get_family_name      (CrPatient   *self);
void        cr_patient_set_family_name      (CrPatient   *self,
                                             const char  *value);
const char *cr_patient_get_given_names      (CrPatient   *self);
void        cr_patient_set_given_names      (CrPatient   *self,
                                             const char  *value);
const char *cr_patient_get_birth_date       (CrPatient   *self);
void        cr_patient_set_birth_date       (CrPatient   *self,
                                             const char  *iso_date);
CrSex       cr_patient_get_sex              (CrPatient   *self);
void        cr_patient_set_sex              (CrPatient   *self,
                                             CrSex        sex);
const char *cr_patient_get_phone            (CrPatient   *self);
void        cr_patient_set_phone            (CrPatient   *self,
                                             const char  *value);
const char *cr_patient_get_email            (CrPatient   *self);
void        cr_patient_set_email            (CrPatient   *self,
                                             const char  *value);
const char *cr_patient_get_address          (CrPatient   *self);
void        cr_patient_set_address          (CrPatient   *self,
                                             const char  *value);
const char *cr_patient_get_insurance_payer  (CrPatient   *self);
void        cr_patient_set_insurance_payer  (CrPatient   *self,
                                             const char  *value);
const char *cr_patient_get_insurance_member_id (CrPatient *self);
void        cr_patient_set_insurance_member_id (CrPatient  *self,
                                                const char *value);
gboolean    cr_patient_get_inactive         (CrPatient   *self);
void        cr_patient_set_inactive         (CrPatient   *self,
                                             gboolean     inactive);
gboolean    cr_patient_get_deceased         (CrPatient   *self);
void        cr_patient_set_deceased         (CrPatient   *self,
                                             gboolean     deceased);
const char *cr_patient_get_deceased_date    (CrPatient   *self);
void        cr_patient_set_deceased_date    (CrPatient   *self,
                                             const char  *iso_date);
const char *cr_patient_get_created_at       (CrPatient   *self);
const char *cr_patient_get_created_by       (CrPatient   *self);
const char *cr_patient_get_updated_at       (CrPatient   *self);
const char *cr_patient_get_updated_by       (CrPatient   *self);

char       *cr_patient_dup_display_name     (CrPatient   *self);
int         cr_patient_get_age              (CrPatient   *self);
gboolean    cr_patient_validate             (CrPatient   *self,
                                             GError     **error);

const char *cr_sex_to_string                (CrSex        sex);
CrSex       cr_sex_from_string              (const char  *text);

G_END_DECLS
