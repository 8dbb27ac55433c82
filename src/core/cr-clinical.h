/* cr-clinical.h: the rows of a chart, as read-only objects for the UI
 *
 * Each type mirrors one clinical table (see cr-schema.c); its properties
 * are read-only and named as the columns are, so a list row can bind them.
 * Changes go through the store (cr-chart.h), never through these objects.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "cr-types.h"

G_BEGIN_DECLS

#define CR_CHART_ERROR (cr_chart_error_quark ())

/**
 * CrChartError:
 *
 * A value refused by the clinical record. The code names the field, so a
 * form can show the message beside it. Unknown rows are
 * %CR_STORE_ERROR_NOT_FOUND and signed notes %CR_STORE_ERROR_SIGNED.
 */
typedef enum
{
  CR_CHART_ERROR_PATIENT,
  CR_CHART_ERROR_VISIT,
  CR_CHART_ERROR_STARTED_AT,
  CR_CHART_ERROR_CLINICIAN,
  CR_CHART_ERROR_CHIEF_COMPLAINT,
  CR_CHART_ERROR_SUBJECTIVE,
  CR_CHART_ERROR_OBJECTIVE,
  CR_CHART_ERROR_ASSESSMENT,
  CR_CHART_ERROR_PLAN,
  CR_CHART_ERROR_BP_SYSTOLIC,
  CR_CHART_ERROR_BP_DIASTOLIC,
  CR_CHART_ERROR_PULSE,
  CR_CHART_ERROR_TEMPERATURE,
  CR_CHART_ERROR_RESPIRATORY_RATE,
  CR_CHART_ERROR_SPO2,
  CR_CHART_ERROR_WEIGHT,
  CR_CHART_ERROR_HEIGHT,
  CR_CHART_ERROR_SYSTEM,
  CR_CHART_ERROR_CODE,
  CR_CHART_ERROR_DISPLAY,
  CR_CHART_ERROR_ONSET_DATE,
  CR_CHART_ERROR_RESOLVED_DATE,
  CR_CHART_ERROR_SUBSTANCE,
  CR_CHART_ERROR_REACTION,
  CR_CHART_ERROR_DRUG,
  CR_CHART_ERROR_STRENGTH,
  CR_CHART_ERROR_FORM,
  CR_CHART_ERROR_DOSE,
  CR_CHART_ERROR_ROUTE,
  CR_CHART_ERROR_FREQUENCY,
  CR_CHART_ERROR_DURATION,
  CR_CHART_ERROR_QUANTITY,
  CR_CHART_ERROR_REFILLS,
  CR_CHART_ERROR_INSTRUCTIONS,
  CR_CHART_ERROR_START_DATE,
  CR_CHART_ERROR_STOP_DATE,
  CR_CHART_ERROR_STOP_REASON,
  CR_CHART_ERROR_DUE_DATE,
  CR_CHART_ERROR_REASON,
  CR_CHART_ERROR_TEXT,
  CR_CHART_ERROR_NOTE,
  CR_CHART_ERROR_OUTCOME_TARGET,
  CR_CHART_ERROR_STATE,
} CrChartError;

GQuark cr_chart_error_quark (void);

#define CR_TYPE_DIAGNOSIS    (cr_diagnosis_get_type ())
#define CR_TYPE_PROBLEM      (cr_problem_get_type ())
#define CR_TYPE_ALLERGY      (cr_allergy_get_type ())
#define CR_TYPE_PRESCRIPTION (cr_prescription_get_type ())
#define CR_TYPE_OUTCOME      (cr_outcome_get_type ())
#define CR_TYPE_FOLLOW_UP    (cr_follow_up_get_type ())
#define CR_TYPE_AMENDMENT    (cr_amendment_get_type ())

G_DECLARE_FINAL_TYPE (CrDiagnosis, cr_diagnosis, CR, DIAGNOSIS, GObject)
G_DECLARE_FINAL_TYPE (CrProblem, cr_problem, CR, PROBLEM, GObject)
G_DECLARE_FINAL_TYPE (CrAllergy, cr_allergy, CR, ALLERGY, GObject)
G_DECLARE_FINAL_TYPE (CrPrescription, cr_prescription, CR, PRESCRIPTION, GObject)
G_DECLARE_FINAL_TYPE (CrOutcome, cr_outcome, CR, OUTCOME, GObject)
G_DECLARE_FINAL_TYPE (CrFollowUp, cr_follow_up, CR, FOLLOW_UP, GObject)
G_DECLARE_FINAL_TYPE (CrAmendment, cr_amendment, CR, AMENDMENT, GObject)

/* A diagnosis coded at a visit. latest-outcome is the nick of the newest
 * outcome recorded for it ("resolved"…), or NULL. */
gint64           cr_diagnosis_get_id               (CrDiagnosis    *self);
gint64           cr_diagnosis_get_visit_id         (CrDiagnosis    *self);
const char      *cr_diagnosis_get_system           (CrDiagnosis    *self);
const char      *cr_diagnosis_get_code             (CrDiagnosis    *self);
const char      *cr_diagnosis_get_display          (CrDiagnosis    *self);
gboolean         cr_diagnosis_get_is_primary       (CrDiagnosis    *self);
gboolean         cr_diagnosis_get_entered_in_error (CrDiagnosis    *self);
const char      *cr_diagnosis_get_latest_outcome   (CrDiagnosis    *self);
const char      *cr_diagnosis_get_created_by       (CrDiagnosis    *self);

/* An entry of the problem list. */
gint64           cr_problem_get_id                 (CrProblem      *self);
gint64           cr_problem_get_patient_id         (CrProblem      *self);
const char      *cr_problem_get_system             (CrProblem      *self);
const char      *cr_problem_get_code               (CrProblem      *self);
const char      *cr_problem_get_display            (CrProblem      *self);
const char      *cr_problem_get_onset_date         (CrProblem      *self);
CrProblemStatus  cr_problem_get_status             (CrProblem      *self);
const char      *cr_problem_get_resolved_date      (CrProblem      *self);
gboolean         cr_problem_get_chronic            (CrProblem      *self);
gboolean         cr_problem_get_entered_in_error   (CrProblem      *self);

gint64            cr_allergy_get_id                (CrAllergy      *self);
gint64            cr_allergy_get_patient_id        (CrAllergy      *self);
const char       *cr_allergy_get_substance         (CrAllergy      *self);
const char       *cr_allergy_get_reaction          (CrAllergy      *self);
CrAllergySeverity cr_allergy_get_severity          (CrAllergy      *self);
gboolean          cr_allergy_get_entered_in_error  (CrAllergy      *self);

gint64           cr_prescription_get_id            (CrPrescription *self);
gint64           cr_prescription_get_patient_id    (CrPrescription *self);
gint64           cr_prescription_get_visit_id      (CrPrescription *self);
const char      *cr_prescription_get_drug          (CrPrescription *self);
const char      *cr_prescription_get_system        (CrPrescription *self);
const char      *cr_prescription_get_code          (CrPrescription *self);
const char      *cr_prescription_get_strength      (CrPrescription *self);
const char      *cr_prescription_get_form          (CrPrescription *self);
const char      *cr_prescription_get_dose          (CrPrescription *self);
const char      *cr_prescription_get_route         (CrPrescription *self);
const char      *cr_prescription_get_frequency     (CrPrescription *self);
const char      *cr_prescription_get_duration      (CrPrescription *self);
const char      *cr_prescription_get_quantity      (CrPrescription *self);
int              cr_prescription_get_refills       (CrPrescription *self);
const char      *cr_prescription_get_instructions  (CrPrescription *self);
const char      *cr_prescription_get_start_date    (CrPrescription *self);
const char      *cr_prescription_get_stop_date     (CrPrescription *self);
const char      *cr_prescription_get_stop_reason   (CrPrescription *self);
const char      *cr_prescription_get_prescriber    (CrPrescription *self);
gboolean         cr_prescription_get_entered_in_error (CrPrescription *self);
/* "Amoxicillin 500 mg capsule": drug, strength and form. */
char            *cr_prescription_dup_label         (CrPrescription *self);

/* How an earlier diagnosis or prescription turned out. refers-to names it
 * ("J029 Acute pharyngitis, unspecified", "Amoxicillin 500 mg");
 * refers-to-date is that visit's or prescription's date; visit-date the
 * date of the visit where the outcome was recorded. */
gint64           cr_outcome_get_id                 (CrOutcome      *self);
gint64           cr_outcome_get_patient_id         (CrOutcome      *self);
gint64           cr_outcome_get_visit_id           (CrOutcome      *self);
gint64           cr_outcome_get_diagnosis_id       (CrOutcome      *self);
gint64           cr_outcome_get_prescription_id    (CrOutcome      *self);
CrOutcomeResult  cr_outcome_get_result             (CrOutcome      *self);
const char      *cr_outcome_get_note               (CrOutcome      *self);
gboolean         cr_outcome_get_entered_in_error   (CrOutcome      *self);
const char      *cr_outcome_get_refers_to          (CrOutcome      *self);
const char      *cr_outcome_get_refers_to_date     (CrOutcome      *self);
const char      *cr_outcome_get_visit_date         (CrOutcome      *self);

gint64           cr_follow_up_get_id               (CrFollowUp     *self);
gint64           cr_follow_up_get_patient_id       (CrFollowUp     *self);
gint64           cr_follow_up_get_visit_id         (CrFollowUp     *self);
const char      *cr_follow_up_get_due_date         (CrFollowUp     *self);
const char      *cr_follow_up_get_reason           (CrFollowUp     *self);
gboolean         cr_follow_up_get_done             (CrFollowUp     *self);
const char      *cr_follow_up_get_done_at          (CrFollowUp     *self);
gboolean         cr_follow_up_get_entered_in_error (CrFollowUp     *self);

gint64           cr_amendment_get_id               (CrAmendment    *self);
gint64           cr_amendment_get_visit_id         (CrAmendment    *self);
const char      *cr_amendment_get_reason           (CrAmendment    *self);
const char      *cr_amendment_get_text             (CrAmendment    *self);
const char      *cr_amendment_get_created_at       (CrAmendment    *self);
const char      *cr_amendment_get_created_by       (CrAmendment    *self);

/* Database values ↔ enums (the enum nicks). */
const char      *cr_outcome_result_to_string       (CrOutcomeResult   result);
gboolean         cr_outcome_result_from_string     (const char       *text,
                                                    CrOutcomeResult  *result);
const char      *cr_allergy_severity_to_string     (CrAllergySeverity severity);
const char      *cr_visit_type_to_string           (CrVisitType       type);

G_END_DECLS
