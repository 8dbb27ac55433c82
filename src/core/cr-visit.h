/* cr-visit.h: one visit's note (draft or signed)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "cr-clinical.h"

G_BEGIN_DECLS

#define CR_TYPE_VISIT (cr_visit_get_type ())

/* A vital sign that was not taken. Measured values are always positive. */
#define CR_VITAL_NOT_RECORDED 0

G_DECLARE_FINAL_TYPE (CrVisit, cr_visit, CR, VISIT, GObject)

CrVisit       *cr_visit_new                  (gint64       patient_id);

gint64         cr_visit_get_id               (CrVisit     *self);
gint64         cr_visit_get_patient_id       (CrVisit     *self);
/* "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM[:SS]" (local time of the visit). */
const char    *cr_visit_get_started_at       (CrVisit     *self);
void           cr_visit_set_started_at       (CrVisit     *self,
                                              const char  *value);
const char    *cr_visit_get_clinician        (CrVisit     *self);
void           cr_visit_set_clinician        (CrVisit     *self,
                                              const char  *value);
CrVisitType    cr_visit_get_visit_type       (CrVisit     *self);
void           cr_visit_set_visit_type       (CrVisit     *self,
                                              CrVisitType  type);
const char    *cr_visit_get_chief_complaint  (CrVisit     *self);
void           cr_visit_set_chief_complaint  (CrVisit     *self,
                                              const char  *value);
const char    *cr_visit_get_subjective       (CrVisit     *self);
void           cr_visit_set_subjective       (CrVisit     *self,
                                              const char  *value);
const char    *cr_visit_get_objective        (CrVisit     *self);
void           cr_visit_set_objective        (CrVisit     *self,
                                              const char  *value);
const char    *cr_visit_get_assessment       (CrVisit     *self);
void           cr_visit_set_assessment       (CrVisit     *self,
                                              const char  *value);
const char    *cr_visit_get_plan             (CrVisit     *self);
void           cr_visit_set_plan             (CrVisit     *self,
                                              const char  *value);

/* Vitals; CR_VITAL_NOT_RECORDED (0) when not taken. */
int            cr_visit_get_bp_systolic      (CrVisit     *self);
int            cr_visit_get_bp_diastolic     (CrVisit     *self);
void           cr_visit_set_blood_pressure   (CrVisit     *self,
                                              int          systolic,
                                              int          diastolic);
int            cr_visit_get_pulse            (CrVisit     *self);
void           cr_visit_set_pulse            (CrVisit     *self,
                                              int          per_minute);
double         cr_visit_get_temperature_c    (CrVisit     *self);
void           cr_visit_set_temperature_c    (CrVisit     *self,
                                              double       celsius);
int            cr_visit_get_respiratory_rate (CrVisit     *self);
void           cr_visit_set_respiratory_rate (CrVisit     *self,
                                              int          per_minute);
int            cr_visit_get_spo2             (CrVisit     *self);
void           cr_visit_set_spo2             (CrVisit     *self,
                                              int          percent);
double         cr_visit_get_weight_kg        (CrVisit     *self);
void           cr_visit_set_weight_kg        (CrVisit     *self,
                                              double       kg);
double         cr_visit_get_height_cm        (CrVisit     *self);
void           cr_visit_set_height_cm        (CrVisit     *self,
                                              double       cm);

CrVisitStatus  cr_visit_get_status           (CrVisit     *self);
gboolean       cr_visit_is_signed            (CrVisit     *self);
const char    *cr_visit_get_signed_by        (CrVisit     *self);
const char    *cr_visit_get_signed_at        (CrVisit     *self);
gboolean       cr_visit_get_entered_in_error (CrVisit     *self);
const char    *cr_visit_get_created_at       (CrVisit     *self);
const char    *cr_visit_get_created_by       (CrVisit     *self);
const char    *cr_visit_get_updated_at       (CrVisit     *self);
const char    *cr_visit_get_updated_by       (CrVisit     *self);

/* Loaded with the visit by the store: CrDiagnosis (primary first),
 * CrAmendment (oldest first), CrOutcome recorded at this visit. */
GListModel    *cr_visit_get_diagnoses        (CrVisit     *self);
GListModel    *cr_visit_get_amendments       (CrVisit     *self);
GListModel    *cr_visit_get_outcomes         (CrVisit     *self);

gboolean       cr_visit_validate             (CrVisit     *self,
                                              GError     **error);

G_END_DECLS
