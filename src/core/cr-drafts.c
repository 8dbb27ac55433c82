/* cr-drafts.c: what the note editor reads beyond cr-chart.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cr-drafts"

#include "config.h"

#include "cr-clinical-private.h"
#include "cr-drafts.h"
#include "cr-store-private.h"

static GPtrArray *
query (CrStore       *store,
       GType          type,
       const char    *sql,
       gint64         param,
       GError       **error)
{
  g_autoptr(CrStoreLocker) locker = _cr_store_lock (store);
  g_autoptr(GPtrArray) result = g_ptr_array_new_with_free_func (g_object_unref);
  sqlite3_stmt *stmt;
  int rc;

  stmt = _cr_store_prepare (store, sql, error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, param);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (result, _cr_clinical_new_from_row (type, stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _cr_store_set_error (store, rc, error);
      return NULL;
    }
  return g_steal_pointer (&result);
}

/**
 * cr_store_list_draft_visits:
 * @limit: visits to return at most; 0 for all
 *
 * The practice's unsigned notes (not entered in error), newest first. The
 * visits carry no diagnoses or amendments: open one with
 * cr_store_get_visit().
 *
 * Returns: (transfer full) (element-type CrVisit): the drafts
 */
GPtrArray *
cr_store_list_draft_visits (CrStore  *store,
                            guint     limit,
                            GError  **error)
{
  g_return_val_if_fail (CR_IS_STORE (store), NULL);

  /* The partial index visits_drafts keeps this cheap in a large practice. */
  return query (store, CR_TYPE_VISIT,
                "SELECT " CR_VISIT_COLUMNS " FROM visits v"
                " WHERE v.status = 'draft' AND v.entered_in_error = 0"
                " ORDER BY v.started_at DESC, v.id DESC LIMIT ?1",
                limit > 0 ? (gint64) limit : -1, error);
}

/**
 * cr_store_list_visit_prescriptions:
 *
 * Returns: (transfer full) (element-type CrPrescription): the
 *   prescriptions written (or renewed) at the visit, oldest first,
 *   stopped ones included
 */
GPtrArray *
cr_store_list_visit_prescriptions (CrStore  *store,
                                   gint64    visit_id,
                                   GError  **error)
{
  g_return_val_if_fail (CR_IS_STORE (store), NULL);

  return query (store, CR_TYPE_PRESCRIPTION,
                "SELECT " CR_PRESCRIPTION_COLUMNS " FROM prescriptions r"
                " WHERE r.visit_id = ?1 AND r.entered_in_error = 0 ORDER BY r.id",
                visit_id, error);
}

/**
 * cr_store_list_visit_follow_ups:
 *
 * Returns: (transfer full) (element-type CrFollowUp): the follow-ups the
 *   visit set, oldest first
 */
GPtrArray *
cr_store_list_visit_follow_ups (CrStore  *store,
                                gint64    visit_id,
                                GError  **error)
{
  g_return_val_if_fail (CR_IS_STORE (store), NULL);

  return query (store, CR_TYPE_FOLLOW_UP,
                "SELECT " CR_FOLLOW_UP_COLUMNS " FROM follow_ups f"
                " WHERE f.visit_id = ?1 AND f.entered_in_error = 0 ORDER BY f.id",
                visit_id, error);
}

/**
 * cr_visit_copy_for_save:
 * @visit: a note being edited
 *
 * A copy of what cr_store_update_visit() writes (id, patient, date, texts,
 * vitals), so that a worker thread can save it while the editor goes on
 * changing the original.
 *
 * Returns: (transfer full): the copy
 */
CrVisit *
cr_visit_copy_for_save (CrVisit *visit)
{
  CrVisit *copy;

  g_return_val_if_fail (CR_IS_VISIT (visit), NULL);

  copy = cr_visit_new (cr_visit_get_patient_id (visit));
  _cr_visit_set_id (copy, cr_visit_get_id (visit));
  cr_visit_set_started_at (copy, cr_visit_get_started_at (visit));
  cr_visit_set_clinician (copy, cr_visit_get_clinician (visit));
  cr_visit_set_visit_type (copy, cr_visit_get_visit_type (visit));
  cr_visit_set_chief_complaint (copy, cr_visit_get_chief_complaint (visit));
  cr_visit_set_subjective (copy, cr_visit_get_subjective (visit));
  cr_visit_set_objective (copy, cr_visit_get_objective (visit));
  cr_visit_set_assessment (copy, cr_visit_get_assessment (visit));
  cr_visit_set_plan (copy, cr_visit_get_plan (visit));
  cr_visit_set_blood_pressure (copy, cr_visit_get_bp_systolic (visit),
                               cr_visit_get_bp_diastolic (visit));
  cr_visit_set_pulse (copy, cr_visit_get_pulse (visit));
  cr_visit_set_temperature_c (copy, cr_visit_get_temperature_c (visit));
  cr_visit_set_respiratory_rate (copy, cr_visit_get_respiratory_rate (visit));
  cr_visit_set_spo2 (copy, cr_visit_get_spo2 (visit));
  cr_visit_set_weight_kg (copy, cr_visit_get_weight_kg (visit));
  cr_visit_set_height_cm (copy, cr_visit_get_height_cm (visit));
  return copy;
}
