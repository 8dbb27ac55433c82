/* cr-chart.h: the clinical record in the store
 *
 * Every change runs in one transaction with its audit entry (who is
 * cr_store_get_user()). Nothing is ever deleted: rows are marked entered in
 * error, and a signed visit changes only through appended amendments.
 * Reads skip rows entered in error, except cr_store_get_visit().
 *
 * Errors: CR_CHART_ERROR (the code names the refused field),
 * CR_STORE_ERROR_NOT_FOUND for an unknown row, CR_STORE_ERROR_SIGNED for a
 * change to a signed visit.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "cr-clinical.h"
#include "cr-patient.h"
#include "cr-store.h"
#include "cr-visit.h"

G_BEGIN_DECLS

/* The stop reason of a prescription replaced by its renewal: no change of
 * therapy. */
#define CR_STOP_REASON_RENEWED "renewed"

/* Coding systems as stored. */
#define CR_SYSTEM_ICD10CM "icd10cm"
#define CR_SYSTEM_TEXT    "text"

/**
 * CrPrescriptionInfo:
 *
 * What a prescription says; only @drug is required. @start_date defaults
 * to the visit's date, or today.
 */
typedef struct
{
  const char *drug;
  const char *system;
  const char *code;
  const char *strength;
  const char *form;
  const char *dose;
  const char *route;
  const char *frequency;
  const char *duration;
  const char *quantity;
  int         refills;
  const char *instructions;
  const char *start_date;
} CrPrescriptionInfo;

/* Visits */
gboolean    cr_store_create_visit           (CrStore            *store,
                                             CrVisit            *visit,
                                             GError            **error);
gboolean    cr_store_update_visit           (CrStore            *store,
                                             CrVisit            *visit,
                                             GError            **error);
gboolean    cr_store_sign_visit             (CrStore            *store,
                                             CrVisit            *visit,
                                             GError            **error);
gint64      cr_store_amend_visit            (CrStore            *store,
                                             gint64              visit_id,
                                             const char         *reason,
                                             const char         *text,
                                             GError            **error);
CrVisit    *cr_store_get_visit              (CrStore            *store,
                                             gint64              visit_id,
                                             GError            **error);
GPtrArray  *cr_store_list_visits            (CrStore            *store,
                                             gint64              patient_id,
                                             guint               offset,
                                             guint               limit,
                                             GError            **error);
gint64      cr_store_count_visits           (CrStore            *store,
                                             gint64              patient_id,
                                             GError            **error);

gboolean    cr_store_mark_entered_in_error  (CrStore            *store,
                                             CrClinicalKind      kind,
                                             gint64              id,
                                             const char         *reason,
                                             GError            **error);

/* Diagnoses at a draft visit */
gint64      cr_store_add_diagnosis          (CrStore            *store,
                                             gint64              visit_id,
                                             const char         *system,
                                             const char         *code,
                                             const char         *display,
                                             gboolean            primary,
                                             GError            **error);
gboolean    cr_store_set_primary_diagnosis  (CrStore            *store,
                                             gint64              diagnosis_id,
                                             GError            **error);

/* Problem list */
gint64      cr_store_add_problem            (CrStore            *store,
                                             gint64              patient_id,
                                             const char         *system,
                                             const char         *code,
                                             const char         *display,
                                             const char         *onset_date,
                                             gboolean            chronic,
                                             GError            **error);
gboolean    cr_store_resolve_problem        (CrStore            *store,
                                             gint64              problem_id,
                                             const char         *resolved_date,
                                             GError            **error);
GPtrArray  *cr_store_list_problems          (CrStore            *store,
                                             gint64              patient_id,
                                             CrProblemStatus     status,
                                             GError            **error);

/* Allergies */
gint64      cr_store_add_allergy            (CrStore            *store,
                                             gint64              patient_id,
                                             const char         *substance,
                                             const char         *reaction,
                                             CrAllergySeverity   severity,
                                             GError            **error);
GPtrArray  *cr_store_list_allergies         (CrStore            *store,
                                             gint64              patient_id,
                                             GError            **error);

/* Prescriptions */
gint64      cr_store_add_prescription       (CrStore                  *store,
                                             gint64                    patient_id,
                                             gint64                    visit_id,
                                             const CrPrescriptionInfo *info,
                                             GError                  **error);
gboolean    cr_store_stop_prescription      (CrStore            *store,
                                             gint64              prescription_id,
                                             const char         *stop_date,
                                             const char         *reason,
                                             GError            **error);
gint64      cr_store_renew_prescription     (CrStore            *store,
                                             gint64              prescription_id,
                                             gint64              visit_id,
                                             const char         *start_date,
                                             GError            **error);
GPtrArray  *cr_store_list_prescriptions     (CrStore            *store,
                                             gint64              patient_id,
                                             gboolean            current,
                                             GError            **error);

/* Outcomes */
gint64      cr_store_record_outcome         (CrStore            *store,
                                             gint64              visit_id,
                                             gint64              diagnosis_id,
                                             gint64              prescription_id,
                                             CrOutcomeResult     result,
                                             const char         *note,
                                             GError            **error);
GPtrArray  *cr_store_list_outcomes          (CrStore            *store,
                                             gint64              patient_id,
                                             GError            **error);

/* Follow-ups */
gint64      cr_store_add_follow_up          (CrStore            *store,
                                             gint64              patient_id,
                                             gint64              visit_id,
                                             const char         *due_date,
                                             const char         *reason,
                                             GError            **error);
gboolean    cr_store_complete_follow_up     (CrStore            *store,
                                             gint64              follow_up_id,
                                             GError            **error);
GPtrArray  *cr_store_list_overdue_follow_ups (CrStore           *store,
                                              gint64             patient_id,
                                              GError           **error);

/* The chart at a glance */
#define CR_TYPE_CHART_SUMMARY (cr_chart_summary_get_type ())

G_DECLARE_FINAL_TYPE (CrChartSummary, cr_chart_summary, CR, CHART_SUMMARY, GObject)

CrPatient      *cr_chart_summary_get_patient       (CrChartSummary *self);
GListModel     *cr_chart_summary_get_problems      (CrChartSummary *self);
GListModel     *cr_chart_summary_get_allergies     (CrChartSummary *self);
GListModel     *cr_chart_summary_get_medications   (CrChartSummary *self);
GListModel     *cr_chart_summary_get_visits        (CrChartSummary *self);
GListModel     *cr_chart_summary_get_follow_ups    (CrChartSummary *self);
gint64          cr_chart_summary_get_visit_count   (CrChartSummary *self);

CrChartSummary *cr_store_load_chart_summary        (CrStore             *store,
                                                    gint64               patient_id,
                                                    guint                n_visits,
                                                    GError             **error);
void            cr_store_load_chart_summary_async  (CrStore             *store,
                                                    gint64               patient_id,
                                                    guint                n_visits,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
CrChartSummary *cr_store_load_chart_summary_finish (CrStore             *store,
                                                    GAsyncResult        *result,
                                                    GError             **error);

G_END_DECLS
