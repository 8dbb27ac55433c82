/* cr-chart.c: the clinical record in the store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cr-chart"

#include "config.h"

#include <string.h>

#include "cr-audit.h"
#include "cr-chart.h"
#include "cr-clinical-private.h"
#include "cr-date.h"
#include "cr-patients.h"
#include "cr-store-private.h"

/* Limits, in characters. */
#define MAX_SYSTEM      200
#define MAX_CODE        64
#define MAX_DISPLAY     500
#define MAX_SUBSTANCE   200
#define MAX_REACTION    500
#define MAX_DRUG        200
#define MAX_RX_FIELD    100
#define MAX_RX_TEXT     2000
#define MAX_REASON      500
#define MAX_NOTE        4000
#define MAX_AMENDMENT   65536
#define MAX_REFILLS     99

/* A prescription may start, and a follow-up fall due, this far ahead. */
#define MAX_START_DAYS_AHEAD 366
#define MAX_DUE_DAYS_AHEAD   (366 * 10)

/* ---- small helpers ------------------------------------------------------ */

static char *
dup_today (void)
{
  GDate today;

  cr_date_set_today (&today);
  return cr_date_to_iso (&today);
}

static sqlite3_stmt *
prepare_with (CrStore       *store,
              const char    *sql,
              const gint64  *params,
              guint          n_params,
              GError       **error)
{
  sqlite3_stmt *stmt = _cr_store_prepare (store, sql, error);

  if (stmt == NULL)
    return NULL;
  for (guint i = 0; i < n_params; i++)
    sqlite3_bind_int64 (stmt, i + 1, params[i]);
  return stmt;
}

static void
bind_optional_id (sqlite3_stmt *stmt,
                  int           idx,
                  gint64        id)
{
  if (id > 0)
    sqlite3_bind_int64 (stmt, idx, id);
  else
    sqlite3_bind_null (stmt, idx);
}

/* All rows of @stmt as objects of @type. */
static GPtrArray *
collect (CrStore       *store,
         GType          type,
         sqlite3_stmt  *stmt,
         GError       **error)
{
  g_autoptr(GPtrArray) result = g_ptr_array_new_with_free_func (g_object_unref);
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (result, _cr_clinical_new_from_row (type, stmt));
  if (rc != SQLITE_DONE)
    {
      _cr_store_set_error (store, rc, error);
      sqlite3_reset (stmt);
      return NULL;
    }
  sqlite3_reset (stmt);
  return g_steal_pointer (&result);
}

static GPtrArray *
query_objects (CrStore       *store,
               GType          type,
               const char    *sql,
               const gint64  *params,
               guint          n_params,
               GError       **error)
{
  g_autoptr(CrStoreLocker) locker = _cr_store_lock (store);
  sqlite3_stmt *stmt = prepare_with (store, sql, params, n_params, error);

  if (stmt == NULL)
    return NULL;
  return collect (store, type, stmt, error);
}

static gboolean
audit_row (CrStore     *store,
           const char  *action,
           gint64       patient_id,
           const char  *table,
           gint64       id,
           const char  *detail,
           GError     **error)
{
  g_autofree char *record = g_strdup_printf ("%s:%" G_GINT64_FORMAT, table, id);

  return cr_store_audit (store, action, patient_id, record, detail, error);
}

static gint64
last_id (CrStore *store)
{
  return sqlite3_last_insert_rowid (_cr_store_get_db (store));
}

static gboolean
not_found (GError     **error,
           const char  *what)
{
  g_set_error (error, CR_STORE_ERROR, CR_STORE_ERROR_NOT_FOUND,
               "No such %s in the practice database", what);
  return FALSE;
}

/* The patient exists; @birth_date (optional) receives the birth date. */
static gboolean
check_patient (CrStore     *store,
               gint64       patient_id,
               char       **birth_date,
               GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = _cr_store_prepare (store, "SELECT birth_date FROM patients WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, patient_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW && birth_date != NULL)
    *birth_date = g_strdup (_cr_column_text (stmt, 0));
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    return not_found (error, "patient");
  if (rc != SQLITE_ROW)
    return _cr_store_set_error (store, rc, error);
  return TRUE;
}

typedef struct
{
  gint64    patient_id;
  gboolean  is_signed;
  gboolean  entered_in_error;
  char     *started_at;
  char     *signed_by;
  char     *signed_at;
} VisitState;

static void
visit_state_clear (VisitState *state)
{
  g_clear_pointer (&state->started_at, g_free);
  g_clear_pointer (&state->signed_by, g_free);
  g_clear_pointer (&state->signed_at, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (VisitState, visit_state_clear)

static gboolean
load_visit_state (CrStore     *store,
                  gint64       visit_id,
                  VisitState  *state,
                  GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = _cr_store_prepare (store,
                            "SELECT patient_id, status = 'signed', entered_in_error, started_at,"
                            " signed_by, signed_at FROM visits WHERE id = ?",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, visit_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      visit_state_clear (state);
      state->patient_id = sqlite3_column_int64 (stmt, 0);
      state->is_signed = sqlite3_column_int (stmt, 1) != 0;
      state->entered_in_error = sqlite3_column_int (stmt, 2) != 0;
      state->started_at = g_strdup (_cr_column_text (stmt, 3));
      state->signed_by = g_strdup (_cr_column_text (stmt, 4));
      state->signed_at = g_strdup (_cr_column_text (stmt, 5));
    }
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    return not_found (error, "visit");
  if (rc != SQLITE_ROW)
    return _cr_store_set_error (store, rc, error);
  return TRUE;
}

/* A visit that can still change: a draft, not entered in error. The check
 * is made here, before any SQL, so the message is clear; the table's
 * trigger backs it up. */
static gboolean
require_draft (CrStore     *store,
               gint64       visit_id,
               VisitState  *state,
               GError     **error)
{
  if (!load_visit_state (store, visit_id, state, error))
    return FALSE;
  if (state->is_signed)
    {
      g_set_error (error, CR_STORE_ERROR, CR_STORE_ERROR_SIGNED,
                   "This visit was signed by %s on %s and cannot change; add an amendment instead",
                   state->signed_by ? state->signed_by : "?",
                   state->signed_at ? state->signed_at : "?");
      return FALSE;
    }
  if (state->entered_in_error)
    {
      g_set_error_literal (error, CR_CHART_ERROR, CR_CHART_ERROR_STATE,
                           "This visit was marked entered in error and cannot change");
      return FALSE;
    }
  return TRUE;
}

/* ---- codes ------------------------------------------------------------- */

/* "j02.9 " → "J029": CMS writes codes without the dot. */
static char *
normalize_icd10cm (const char *code)
{
  GString *out = g_string_new (NULL);

  for (const char *p = code; *p; p++)
    if (*p != '.' && !g_ascii_isspace (*p))
      g_string_append_c (out, g_ascii_toupper (*p));
  return g_string_free (out, FALSE);
}

static gboolean
is_icd10cm_shape (const char *code)
{
  gsize len = strlen (code);

  if (len < 3 || len > 7 || !g_ascii_isupper (code[0]) || !g_ascii_isdigit (code[1]))
    return FALSE;
  for (gsize i = 2; i < len; i++)
    if (!g_ascii_isalnum (code[i]))
      return FALSE;
  return TRUE;
}

/* Checks (system, code, display); for ICD-10-CM, against the code set when
 * one was imported: the code must exist, be billable and still valid. */
static gboolean
check_coded_value (CrStore     *store,
                   const char  *system,
                   const char  *code,
                   const char  *display,
                   char       **code_out,
                   char       **display_out,
                   GError     **error)
{
  g_autofree char *norm = NULL;
  g_autofree char *found_display = NULL;

  if (!_cr_check_text (system, TRUE, MAX_SYSTEM, CR_CHART_ERROR_SYSTEM, "coding system", error) ||
      !_cr_check_text (code, FALSE, MAX_CODE, CR_CHART_ERROR_CODE, "code", error) ||
      !_cr_check_text (display, FALSE, MAX_DISPLAY, CR_CHART_ERROR_DISPLAY, "description", error))
    return FALSE;

  if (g_strcmp0 (system, CR_SYSTEM_ICD10CM) == 0)
    {
      sqlite3_stmt *stmt;
      gboolean have_codes;
      int rc;

      if (code == NULL || *code == '\0')
        {
          g_set_error_literal (error, CR_CHART_ERROR, CR_CHART_ERROR_CODE,
                               "An ICD-10-CM diagnosis needs its code");
          return FALSE;
        }
      norm = normalize_icd10cm (code);
      if (!is_icd10cm_shape (norm))
        {
          g_set_error (error, CR_CHART_ERROR, CR_CHART_ERROR_CODE,
                       "“%s” is not an ICD-10-CM code (a letter, a digit, then up to five "
                       "letters or digits)", code);
          return FALSE;
        }

      stmt = _cr_store_prepare (store, "SELECT 1 FROM codes WHERE system = 'icd10cm' LIMIT 1",
                                error);
      if (stmt == NULL)
        return FALSE;
      rc = sqlite3_step (stmt);
      sqlite3_reset (stmt);
      if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return _cr_store_set_error (store, rc, error);
      have_codes = rc == SQLITE_ROW;

      /* Without an imported code set the shape is all we can check. */
      if (have_codes)
        {
          gboolean billable, valid;

          stmt = _cr_store_prepare (store,
                                    "SELECT billable, valid, display FROM codes"
                                    " WHERE system = 'icd10cm' AND code = ?",
                                    error);
          if (stmt == NULL)
            return FALSE;
          _cr_bind_text (stmt, 1, norm);
          rc = sqlite3_step (stmt);
          if (rc == SQLITE_DONE)
            {
              sqlite3_reset (stmt);
              g_set_error (error, CR_CHART_ERROR, CR_CHART_ERROR_CODE,
                           "ICD-10-CM has no code %s (unknown code)", norm);
              return FALSE;
            }
          if (rc != SQLITE_ROW)
            {
              sqlite3_reset (stmt);
              return _cr_store_set_error (store, rc, error);
            }
          billable = sqlite3_column_int (stmt, 0) != 0;
          valid = sqlite3_column_int (stmt, 1) != 0;
          found_display = g_strdup (_cr_column_text (stmt, 2));
          sqlite3_reset (stmt);

          if (!valid)
            {
              g_set_error (error, CR_CHART_ERROR, CR_CHART_ERROR_CODE,
                           "ICD-10-CM code %s is no longer valid in the current release; "
                           "choose the code that replaced it", norm);
              return FALSE;
            }
          if (!billable)
            {
              g_set_error (error, CR_CHART_ERROR, CR_CHART_ERROR_CODE,
                           "ICD-10-CM code %s is a header code (a category), not billable; "
                           "choose one of the more specific codes under it", norm);
              return FALSE;
            }
        }
    }
  else if (code != NULL && *code != '\0')
    norm = g_strstrip (g_strdup (code));

  if (display == NULL || *display == '\0')
    display = found_display;
  if (!_cr_check_text (display, TRUE, MAX_DISPLAY, CR_CHART_ERROR_DISPLAY, "description", error))
    return FALSE;

  *code_out = g_steal_pointer (&norm);
  *display_out = g_strstrip (g_strdup (display));
  return TRUE;
}

/* ---- visits ------------------------------------------------------------- */

static void
bind_visit_fields (sqlite3_stmt *stmt,
                   CrVisit      *visit)
{
#define BIND_VITAL_INT(idx, v) \
  G_STMT_START { if ((v) != CR_VITAL_NOT_RECORDED) sqlite3_bind_int (stmt, idx, v); \
                 else sqlite3_bind_null (stmt, idx); } G_STMT_END
#define BIND_VITAL_DOUBLE(idx, v) \
  G_STMT_START { if ((v) != CR_VITAL_NOT_RECORDED) sqlite3_bind_double (stmt, idx, v); \
                 else sqlite3_bind_null (stmt, idx); } G_STMT_END

  _cr_bind_text (stmt, 1, cr_visit_get_started_at (visit));
  _cr_bind_text (stmt, 2, cr_visit_get_clinician (visit));
  _cr_bind_text (stmt, 3, cr_visit_type_to_string (cr_visit_get_visit_type (visit)));
  _cr_bind_text (stmt, 4, cr_visit_get_chief_complaint (visit));
  _cr_bind_text (stmt, 5, cr_visit_get_subjective (visit));
  _cr_bind_text (stmt, 6, cr_visit_get_objective (visit));
  BIND_VITAL_INT (7, cr_visit_get_bp_systolic (visit));
  BIND_VITAL_INT (8, cr_visit_get_bp_diastolic (visit));
  BIND_VITAL_INT (9, cr_visit_get_pulse (visit));
  BIND_VITAL_DOUBLE (10, cr_visit_get_temperature_c (visit));
  BIND_VITAL_INT (11, cr_visit_get_respiratory_rate (visit));
  BIND_VITAL_INT (12, cr_visit_get_spo2 (visit));
  BIND_VITAL_DOUBLE (13, cr_visit_get_weight_kg (visit));
  BIND_VITAL_DOUBLE (14, cr_visit_get_height_cm (visit));
  _cr_bind_text (stmt, 15, cr_visit_get_assessment (visit));
  _cr_bind_text (stmt, 16, cr_visit_get_plan (visit));

#undef BIND_VITAL_INT
#undef BIND_VITAL_DOUBLE
}

/**
 * cr_store_create_visit:
 * @visit: a new draft (id 0) for an existing patient; on success its id
 *   and stamps are set
 */
gboolean
cr_store_create_visit (CrStore  *store,
                       CrVisit  *visit,
                       GError  **error)
{
  g_autoptr(CrStoreLocker) locker = NULL;
  g_autofree char *now = _cr_store_now ();
  g_autofree char *birth_date = NULL;
  const char *user;
  sqlite3_stmt *stmt;
  gint64 patient_id;
  gint64 id;

  g_return_val_if_fail (CR_IS_STORE (store), FALSE);
  g_return_val_if_fail (CR_IS_VISIT (visit), FALSE);
  g_return_val_if_fail (cr_visit_get_id (visit) == 0, FALSE);

  if (!cr_visit_validate (visit, error))
    return FALSE;

  locker = _cr_store_lock (store);
  user = cr_store_get_user (store);
  patient_id = cr_visit_get_patient_id (visit);

  if (!_cr_store_begin (store, error))
    return FALSE;

  if (!check_patient (store, patient_id, &birth_date, error))
    goto fail;
  if (birth_date != NULL && strncmp (cr_visit_get_started_at (visit), birth_date, 10) < 0)
    {
      g_set_error (error, CR_CHART_ERROR, CR_CHART_ERROR_STARTED_AT,
                   "The visit date is before the patient’s birth (%s)", birth_date);
      goto fail;
    }

  stmt = _cr_store_prepare (store,
                            "INSERT INTO visits (started_at, clinician, type, chief_complaint,"
                            " subjective, objective, bp_systolic, bp_diastolic, pulse, temperature_c,"
                            " respiratory_rate, spo2, weight_kg, height_cm, assessment, plan,"
                            " patient_id, created_at, created_by, updated_at, updated_by)"
                            " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14,"
                            " ?15, ?16, ?17, ?18, ?19, ?18, ?19)",
                            error);
  if (stmt == NULL)
    goto fail;
  bind_visit_fields (stmt, visit);
  sqlite3_bind_int64 (stmt, 17, patient_id);
  _cr_bind_text (stmt, 18, now);
  _cr_bind_text (stmt, 19, user);
  if (!_cr_store_step_done (store, stmt, error))
    goto fail;
  id = last_id (store);

  if (!audit_row (store, CR_AUDIT_CREATE, patient_id, "visits", id, NULL, error) ||
      !_cr_store_commit (store, error))
    goto fail;

  _cr_visit_set_id (visit, id);
  _cr_visit_set_stamps (visit, now, user, now, user);
  return TRUE;

fail:
  _cr_store_rollback (store);
  return FALSE;
}

/**
 * cr_store_update_visit:
 * @visit: a draft read from or created in the store, with changed fields
 *
 * Fails with %CR_STORE_ERROR_SIGNED once the visit is signed.
 */
gboolean
cr_store_update_visit (CrStore  *store,
                       CrVisit  *visit,
                       GError  **error)
{
  g_autoptr(CrStoreLocker) locker = NULL;
  g_auto(VisitState) state = { 0, };
  g_autofree char *now = _cr_store_now ();
  const char *user;
  sqlite3_stmt *stmt;
  gint64 id;

  g_return_val_if_fail (CR_IS_STORE (store), FALSE);
  g_return_val_if_fail (CR_IS_VISIT (visit), FALSE);
  g_return_val_if_fail (cr_visit_get_id (visit) > 0, FALSE);

  id = cr_visit_get_id (visit);
  locker = _cr_store_lock (store);
  user = cr_store_get_user (store);

  if (!_cr_store_begin (store, error))
    return FALSE;
  if (!require_draft (store, id, &state, error))
    goto fail;
  if (state.patient_id != cr_visit_get_patient_id (visit))
    {
      g_set_error_literal (error, CR_CHART_ERROR, CR_CHART_ERROR_PATIENT,
                           "A visit cannot move to another patient");
      goto fail;
    }
  if (!cr_visit_validate (visit, error))
    goto fail;

  stmt = _cr_store_prepare (store,
                            "UPDATE visits SET started_at = ?1, clinician = ?2, type = ?3,"
                            " chief_complaint = ?4, subjective = ?5, objective = ?6,"
                            " bp_systolic = ?7, bp_diastolic = ?8, pulse = ?9, temperature_c = ?10,"
                            " respiratory_rate = ?11, spo2 = ?12, weight_kg = ?13, height_cm = ?14,"
                            " assessment = ?15, plan = ?16, updated_at = ?18, updated_by = ?19"
                            " WHERE id = ?17 AND status = 'draft'",
                            error);
  if (stmt == NULL)
    goto fail;
  bind_visit_fields (stmt, visit);
  sqlite3_bind_int64 (stmt, 17, id);
  _cr_bind_text (stmt, 18, now);
  _cr_bind_text (stmt, 19, user);
  if (!_cr_store_step_done (store, stmt, error))
    goto fail;

  if (!audit_row (store, CR_AUDIT_CHANGE, state.patient_id, "visits", id, NULL, error) ||
      !_cr_store_commit (store, error))
    goto fail;

  _cr_visit_set_stamps (visit, NULL, NULL, now, user);
  return TRUE;

fail:
  _cr_store_rollback (store);
  return FALSE;
}

/**
 * cr_store_sign_visit:
 * @visit: a draft; on success it is signed by the store's user, now
 *
 * After signing, the note changes only through cr_store_amend_visit().
 */
gboolean
cr_store_sign_visit (CrStore  *store,
                     CrVisit  *visit,
                     GError  **error)
{
  g_autoptr(CrStoreLocker) locker = NULL;
  g_auto(VisitState) state = { 0, };
  g_autofree char *now = _cr_store_now ();
  const char *user;
  sqlite3_stmt *stmt;
  gint64 id;

  g_return_val_if_fail (CR_IS_STORE (store), FALSE);
  g_return_val_if_fail (CR_IS_VISIT (visit), FALSE);
  g_return_val_if_fail (cr_visit_get_id (visit) > 0, FALSE);

  id = cr_visit_get_id (visit);
  locker = _cr_store_lock (store);
  user = cr_store_get_user (store);

  if (!_cr_store_begin (store, error))
    return FALSE;
  if (!require_draft (store, id, &state, error))
    goto fail;

  stmt = _cr_store_prepare (store,
                            "UPDATE visits SET status = 'signed', signed_by = ?2, signed_at = ?3,"
                            " updated_at = ?3, updated_by = ?2 WHERE id = ?1 AND status = 'draft'",
                            error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, id);
  _cr_bind_text (stmt, 2, user);
  _cr_bind_text (stmt, 3, now);
  if (!_cr_store_step_done (store, stmt, error))
    goto fail;

  if (!audit_row (store, CR_AUDIT_SIGN, state.patient_id, "visits", id, NULL, error) ||
      !_cr_store_commit (store, error))
    goto fail;

  _cr_visit_set_signed (visit, user, now);
  _cr_visit_set_stamps (visit, NULL, NULL, now, user);
  return TRUE;

fail:
  _cr_store_rollback (store);
  return FALSE;
}

/**
 * cr_store_amend_visit:
 * @reason: why the signed note is amended
 * @text: the amendment
 *
 * Appends an amendment to a signed visit (a draft is simply edited).
 *
 * Returns: the amendment's id, or 0 on error
 */
gint64
cr_store_amend_visit (CrStore     *store,
                      gint64       visit_id,
                      const char  *reason,
                      const char  *text,
                      GError     **error)
{
  g_autoptr(CrStoreLocker) locker = NULL;
  g_auto(VisitState) state = { 0, };
  g_autofree char *now = _cr_store_now ();
  g_autofree char *detail = NULL;
  sqlite3_stmt *stmt;
  gint64 id;

  g_return_val_if_fail (CR_IS_STORE (store), 0);

  if (!_cr_check_text (reason, TRUE, MAX_REASON, CR_CHART_ERROR_REASON,
                       "reason for the amendment", error) ||
      !_cr_check_text (text, TRUE, MAX_AMENDMENT, CR_CHART_ERROR_TEXT,
                       "amendment text", error))
    return 0;

  locker = _cr_store_lock (store);
  if (!_cr_store_begin (store, error))
    return 0;
  if (!load_visit_state (store, visit_id, &state, error))
    goto fail;
  if (!state.is_signed)
    {
      g_set_error_literal (error, CR_CHART_ERROR, CR_CHART_ERROR_STATE,
                           "This visit is not signed yet: edit the draft instead of amending it");
      goto fail;
    }

  stmt = _cr_store_prepare (store,
                            "INSERT INTO visit_amendments (visit_id, reason, text, created_at,"
                            " created_by) VALUES (?, ?, ?, ?, ?)",
                            error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, visit_id);
  _cr_bind_text (stmt, 2, reason);
  _cr_bind_text (stmt, 3, text);
  _cr_bind_text (stmt, 4, now);
  _cr_bind_text (stmt, 5, cr_store_get_user (store));
  if (!_cr_store_step_done (store, stmt, error))
    goto fail;
  id = last_id (store);

  detail = g_strdup_printf ("visits:%" G_GINT64_FORMAT, visit_id);
  if (!audit_row (store, CR_AUDIT_AMEND, state.patient_id, "visit_amendments", id, detail, error) ||
      !_cr_store_commit (store, error))
    goto fail;
  return id;

fail:
  _cr_store_rollback (store);
  return 0;
}

/* The rows that belong to the visits in @visits (id → CrVisit), loaded by
 * three queries whose parameters are @params. */
static gboolean
attach_details (CrStore       *store,
                GHashTable    *visits,
                const char    *diagnoses_sql,
                const char    *amendments_sql,
                const char    *outcomes_sql,
                const gint64  *params,
                guint          n_params,
                GError       **error)
{
  g_autoptr(GPtrArray) diagnoses = NULL;
  g_autoptr(GPtrArray) amendments = NULL;
  g_autoptr(GPtrArray) outcomes = NULL;
  sqlite3_stmt *stmt;

  if ((stmt = prepare_with (store, diagnoses_sql, params, n_params, error)) == NULL ||
      (diagnoses = collect (store, CR_TYPE_DIAGNOSIS, stmt, error)) == NULL ||
      (stmt = prepare_with (store, amendments_sql, params, n_params, error)) == NULL ||
      (amendments = collect (store, CR_TYPE_AMENDMENT, stmt, error)) == NULL ||
      (stmt = prepare_with (store, outcomes_sql, params, n_params, error)) == NULL ||
      (outcomes = collect (store, CR_TYPE_OUTCOME, stmt, error)) == NULL)
    return FALSE;

  for (guint i = 0; i < diagnoses->len; i++)
    {
      CrDiagnosis *d = g_ptr_array_index (diagnoses, i);
      gint64 visit_id = cr_diagnosis_get_visit_id (d);
      CrVisit *visit = g_hash_table_lookup (visits, &visit_id);

      if (visit != NULL)
        g_list_store_append (_cr_visit_get_diagnosis_store (visit), d);
    }
  for (guint i = 0; i < amendments->len; i++)
    {
      CrAmendment *m = g_ptr_array_index (amendments, i);
      gint64 visit_id = cr_amendment_get_visit_id (m);
      CrVisit *visit = g_hash_table_lookup (visits, &visit_id);

      if (visit != NULL)
        g_list_store_append (_cr_visit_get_amendment_store (visit), m);
    }
  for (guint i = 0; i < outcomes->len; i++)
    {
      CrOutcome *o = g_ptr_array_index (outcomes, i);
      gint64 visit_id = cr_outcome_get_visit_id (o);
      CrVisit *visit = g_hash_table_lookup (visits, &visit_id);

      if (visit != NULL)
        g_list_store_append (_cr_visit_get_outcome_store (visit), o);
    }
  return TRUE;
}

static GHashTable *
index_visits (GPtrArray *visits)
{
  GHashTable *index = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);

  for (guint i = 0; i < visits->len; i++)
    {
      CrVisit *visit = g_ptr_array_index (visits, i);

      g_hash_table_insert (index, g_memdup2 (&(gint64) { cr_visit_get_id (visit) }, sizeof (gint64)),
                           visit);
    }
  return index;
}

/**
 * cr_store_get_visit:
 *
 * Returns: (transfer full) (nullable): the visit (even one entered in
 *   error) with its diagnoses, amendments and outcomes
 */
CrVisit *
cr_store_get_visit (CrStore  *store,
                    gint64    visit_id,
                    GError  **error)
{
  g_autoptr(CrStoreLocker) locker = NULL;
  g_autoptr(GPtrArray) visits = NULL;
  g_autoptr(GHashTable) index = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (CR_IS_STORE (store), NULL);

  locker = _cr_store_lock (store);
  stmt = prepare_with (store, "SELECT " CR_VISIT_COLUMNS " FROM visits v WHERE v.id = ?1",
                       &visit_id, 1, error);
  if (stmt == NULL || (visits = collect (store, CR_TYPE_VISIT, stmt, error)) == NULL)
    return NULL;
  if (visits->len == 0)
    {
      not_found (error, "visit");
      return NULL;
    }

  index = index_visits (visits);
  if (!attach_details (store, index,
                       "SELECT " CR_DIAGNOSIS_COLUMNS " FROM visit_diagnoses d"
                       " WHERE d.visit_id = ?1 AND d.entered_in_error = 0"
                       " ORDER BY d.is_primary DESC, d.id",
                       "SELECT " CR_AMENDMENT_COLUMNS " FROM visit_amendments m"
                       " WHERE m.visit_id = ?1 ORDER BY m.id",
                       "SELECT " CR_OUTCOME_COLUMNS " FROM outcomes o"
                       " WHERE o.visit_id = ?1 AND o.entered_in_error = 0 ORDER BY o.id",
                       &visit_id, 1, error))
    return NULL;

  return g_object_ref (g_ptr_array_index (visits, 0));
}

/* The page of a patient's visits, newest first: ?1 patient, ?2 limit,
 * ?3 offset. Walks the visits_patient index backwards. */
#define VISIT_PAGE \
  "SELECT id FROM visits WHERE patient_id = ?1 AND entered_in_error = 0" \
  " ORDER BY started_at DESC, id DESC LIMIT ?2 OFFSET ?3"

static GPtrArray *
list_visits_locked (CrStore  *store,
                    gint64    patient_id,
                    guint     offset,
                    guint     limit,
                    GError  **error)
{
  g_autoptr(GPtrArray) visits = NULL;
  g_autoptr(GHashTable) index = NULL;
  gint64 params[3] = { patient_id, limit, offset };
  sqlite3_stmt *stmt;

  stmt = prepare_with (store,
                       "SELECT " CR_VISIT_COLUMNS " FROM visits v"
                       " WHERE v.patient_id = ?1 AND v.entered_in_error = 0"
                       " ORDER BY v.started_at DESC, v.id DESC LIMIT ?2 OFFSET ?3",
                       params, 3, error);
  if (stmt == NULL || (visits = collect (store, CR_TYPE_VISIT, stmt, error)) == NULL)
    return NULL;
  if (visits->len == 0)
    return g_steal_pointer (&visits);

  index = index_visits (visits);
  if (!attach_details (store, index,
                       "SELECT " CR_DIAGNOSIS_COLUMNS " FROM visit_diagnoses d"
                       " WHERE d.visit_id IN (" VISIT_PAGE ") AND d.entered_in_error = 0"
                       " ORDER BY d.visit_id, d.is_primary DESC, d.id",
                       "SELECT " CR_AMENDMENT_COLUMNS " FROM visit_amendments m"
                       " WHERE m.visit_id IN (" VISIT_PAGE ") ORDER BY m.id",
                       "SELECT " CR_OUTCOME_COLUMNS " FROM outcomes o"
                       " WHERE o.patient_id = ?1 AND o.visit_id IN (" VISIT_PAGE ")"
                       " AND o.entered_in_error = 0 ORDER BY o.id",
                       params, 3, error))
    return NULL;

  return g_steal_pointer (&visits);
}

/**
 * cr_store_list_visits:
 * @offset: visits to skip
 * @limit: visits to return at most
 *
 * Returns: (transfer full) (element-type CrVisit): a page of the patient's
 *   visits, newest first, each with its diagnoses, amendments and outcomes
 */
GPtrArray *
cr_store_list_visits (CrStore  *store,
                      gint64    patient_id,
                      guint     offset,
                      guint     limit,
                      GError  **error)
{
  g_autoptr(CrStoreLocker) locker = NULL;

  g_return_val_if_fail (CR_IS_STORE (store), NULL);

  locker = _cr_store_lock (store);
  return list_visits_locked (store, patient_id, offset, limit, error);
}

static gint64
count_visits_locked (CrStore  *store,
                     gint64    patient_id,
                     GError  **error)
{
  sqlite3_stmt *stmt;
  gint64 count = -1;
  int rc;

  stmt = prepare_with (store,
                       "SELECT count(*) FROM visits WHERE patient_id = ?1 AND entered_in_error = 0",
                       &patient_id, 1, error);
  if (stmt == NULL)
    return -1;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    count = sqlite3_column_int64 (stmt, 0);
  else
    _cr_store_set_error (store, rc, error);
  sqlite3_reset (stmt);
  return count;
}

/**
 * cr_store_count_visits:
 *
 * Returns: the patient's visits (not entered in error), or -1 on error
 */
gint64
cr_store_count_visits (CrStore  *store,
                       gint64    patient_id,
                       GError  **error)
{
  g_autoptr(CrStoreLocker) locker = NULL;

  g_return_val_if_fail (CR_IS_STORE (store), -1);

  locker = _cr_store_lock (store);
  return count_visits_locked (store, patient_id, error);
}

/* ---- entered in error ------------------------------------------------- */

typedef struct
{
  const char *table;
  const char *what;
  const char *patient_sql;   /* id → patient_id, entered_in_error */
  const char *mark_sql;      /* ?1 id, ?2 now, ?3 user */
} KindInfo;

#define MARK_SQL(table) \
  "UPDATE " table " SET entered_in_error = 1, updated_at = ?2, updated_by = ?3 WHERE id = ?1"
#define PATIENT_SQL(table) \
  "SELECT patient_id, entered_in_error FROM " table " WHERE id = ?1"

static const KindInfo kinds[] = {
  [CR_CLINICAL_KIND_VISIT] = { "visits", "visit", PATIENT_SQL ("visits"), MARK_SQL ("visits") },
  [CR_CLINICAL_KIND_DIAGNOSIS] = { "visit_diagnoses", "diagnosis",
                                   "SELECT v.patient_id, d.entered_in_error FROM visit_diagnoses d"
                                   " JOIN visits v ON v.id = d.visit_id WHERE d.id = ?1",
                                   MARK_SQL ("visit_diagnoses") },
  [CR_CLINICAL_KIND_PROBLEM] = { "problems", "problem", PATIENT_SQL ("problems"),
                                 MARK_SQL ("problems") },
  [CR_CLINICAL_KIND_ALLERGY] = { "allergies", "allergy", PATIENT_SQL ("allergies"),
                                 MARK_SQL ("allergies") },
  [CR_CLINICAL_KIND_PRESCRIPTION] = { "prescriptions", "prescription",
                                      PATIENT_SQL ("prescriptions"), MARK_SQL ("prescriptions") },
  [CR_CLINICAL_KIND_OUTCOME] = { "outcomes", "outcome", PATIENT_SQL ("outcomes"),
                                 MARK_SQL ("outcomes") },
  [CR_CLINICAL_KIND_FOLLOW_UP] = { "follow_ups", "follow-up", PATIENT_SQL ("follow_ups"),
                                   MARK_SQL ("follow_ups") },
};

/**
 * cr_store_mark_entered_in_error:
 * @kind: what @id is
 * @reason: why (kept in the audit trail)
 *
 * Hides a clinical row from the chart's lists without deleting it: a chart
 * is a legal record. Allowed on signed visits too (the mark is the one
 * change their trigger permits).
 */
gboolean
cr_store_mark_entered_in_error (CrStore         *store,
                                CrClinicalKind   kind,
                                gint64           id,
                                const char      *reason,
                                GError         **error)
{
  g_autoptr(CrStoreLocker) locker = NULL;
  g_autofree char *now = _cr_store_now ();
  g_autofree char *detail = NULL;
  const KindInfo *info;
  sqlite3_stmt *stmt;
  gint64 patient_id;
  gboolean already;
  int rc;

  g_return_val_if_fail (CR_IS_STORE (store), FALSE);
  g_return_val_if_fail (kind >= CR_CLINICAL_KIND_VISIT && kind <= CR_CLINICAL_KIND_FOLLOW_UP, FALSE);

  if (!_cr_check_text (reason, TRUE, MAX_REASON, CR_CHART_ERROR_REASON,
                       "reason for marking it entered in error", error))
    return FALSE;

  info = &kinds[kind];
  locker = _cr_store_lock (store);
  if (!_cr_store_begin (store, error))
    return FALSE;

  stmt = prepare_with (store, info->patient_sql, &id, 1, error);
  if (stmt == NULL)
    goto fail;
  rc = sqlite3_step (stmt);
  patient_id = rc == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
  already = rc == SQLITE_ROW && sqlite3_column_int (stmt, 1) != 0;
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    {
      not_found (error, info->what);
      goto fail;
    }
  if (rc != SQLITE_ROW)
    {
      _cr_store_set_error (store, rc, error);
      goto fail;
    }
  if (already)
    {
      g_set_error (error, CR_CHART_ERROR, CR_CHART_ERROR_STATE,
                   "This %s is already marked entered in error", info->what);
      goto fail;
    }

  stmt = prepare_with (store, info->mark_sql, &id, 1, error);
  if (stmt == NULL)
    goto fail;
  _cr_bind_text (stmt, 2, now);
  _cr_bind_text (stmt, 3, cr_store_get_user (store));
  if (!_cr_store_step_done (store, stmt, error))
    goto fail;

  detail = g_strdup_printf ("entered in error: %s", reason);
  if (!audit_row (store, CR_AUDIT_CHANGE, patient_id, info->table, id, detail, error) ||
      !_cr_store_commit (store, error))
    goto fail;
  return TRUE;

fail:
  _cr_store_rollback (store);
  return FALSE;
}

/* ---- diagnoses ---------------------------------------------------------- */

static gboolean
clear_primary (CrStore     *store,
               gint64       visit_id,
               const char  *now,
               GError     **error)
{
  sqlite3_stmt *stmt;

  stmt = _cr_store_prepare (store,
                            "UPDATE visit_diagnoses SET is_primary = 0, updated_at = ?2,"
                            " updated_by = ?3 WHERE visit_id = ?1 AND is_primary = 1",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, visit_id);
  _cr_bind_text (stmt, 2, now);
  _cr_bind_text (stmt, 3, cr_store_get_user (store));
  return _cr_store_step_done (store, stmt, error);
}

/**
 * cr_store_add_diagnosis:
 * @system: "icd10cm", "snomed", "text"…
 * @code: (nullable): the code; ICD-10-CM with or without its dot
 * @display: (nullable): the description; for ICD-10-CM it defaults to the
 *   code set's
 * @primary: make it the visit's primary diagnosis (any other stops being)
 *
 * Returns: the diagnosis id, or 0 on error
 */
gint64
cr_store_add_diagnosis (CrStore     *store,
                        gint64       visit_id,
                        const char  *system,
                        const char  *code,
                        const char  *display,
                        gboolean     primary,
                        GError     **error)
{
  g_autoptr(CrStoreLocker) locker = NULL;
  g_auto(VisitState) state = { 0, };
  g_autofree char *now = _cr_store_now ();
  g_autofree char *norm_code = NULL;
  g_autofree char *norm_display = NULL;
  sqlite3_stmt *stmt;
  gint64 id;
  int rc;

  g_return_val_if_fail (CR_IS_STORE (store), 0);

  locker = _cr_store_lock (store);
  if (!_cr_store_begin (store, error))
    return 0;
  if (!require_draft (store, visit_id, &state, error) ||
      !check_coded_value (store, system, code, display, &norm_code, &norm_display, error))
    goto fail;

  if (norm_code != NULL)
    {
      stmt = _cr_store_prepare (store,
                                "SELECT 1 FROM visit_diagnoses WHERE visit_id = ? AND system = ?"
                                " AND code = ? AND entered_in_error = 0",
                                error);
      if (stmt == NULL)
        goto fail;
      sqlite3_bind_int64 (stmt, 1, visit_id);
      _cr_bind_text (stmt, 2, system);
      _cr_bind_text (stmt, 3, norm_code);
      rc = sqlite3_step (stmt);
      sqlite3_reset (stmt);
      if (rc == SQLITE_ROW)
        {
          g_set_error (error, CR_CHART_ERROR, CR_CHART_ERROR_CODE,
                       "%s is already coded at this visit", norm_code);
          goto fail;
        }
    }

  if (primary && !clear_primary (store, visit_id, now, error))
    goto fail;

  stmt = _cr_store_prepare (store,
                            "INSERT INTO visit_diagnoses (visit_id, system, code, display, is_primary,"
                            " created_at, created_by, updated_at, updated_by)"
                            " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?6, ?7)",
                            error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, visit_id);
  _cr_bind_text (stmt, 2, system);
  _cr_bind_text (stmt, 3, norm_code);
  _cr_bind_text (stmt, 4, norm_display);
  sqlite3_bind_int (stmt, 5, primary ? 1 : 0);
  _cr_bind_text (stmt, 6, now);
  _cr_bind_text (stmt, 7, cr_store_get_user (store));
  if (!_cr_store_step_done (store, stmt, error))
    goto fail;
  id = last_id (store);

  if (!audit_row (store, CR_AUDIT_CREATE, state.patient_id, "visit_diagnoses", id, NULL, error) ||
      !_cr_store_commit (store, error))
    goto fail;
  return id;

fail:
  _cr_store_rollback (store);
  return 0;
}

/**
 * cr_store_set_primary_diagnosis:
 *
 * Makes this the visit's one primary diagnosis.
 */
gboolean
cr_store_set_primary_diagnosis (CrStore  *store,
                                gint64    diagnosis_id,
                                GError  **error)
{
  g_autoptr(CrStoreLocker) locker = NULL;
  g_auto(VisitState) state = { 0, };
  g_autofree char *now = _cr_store_now ();
  sqlite3_stmt *stmt;
  gint64 visit_id = 0;
  int rc;

  g_return_val_if_fail (CR_IS_STORE (store), FALSE);

  locker = _cr_store_lock (store);
  if (!_cr_store_begin (store, error))
    return FALSE;

  stmt = prepare_with (store,
                       "SELECT visit_id FROM visit_diagnoses WHERE id = ?1 AND entered_in_error = 0",
                       &diagnosis_id, 1, error);
  if (stmt == NULL)
    goto fail;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    visit_id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    {
      not_found (error, "diagnosis");
      goto fail;
    }
  if (rc != SQLITE_ROW)
    {
      _cr_store_set_error (store, rc, error);
      goto fail;
    }

  if (!require_draft (store, visit_id, &state, error) ||
      !clear_primary (store, visit_id, now, error))
    goto fail;

  stmt = prepare_with (store,
                       "UPDATE visit_diagnoses SET is_primary = 1, updated_at = ?2, updated_by = ?3"
                       " WHERE id = ?1",
                       &diagnosis_id, 1, error);
  if (stmt == NULL)
    goto fail;
  _cr_bind_text (stmt, 2, now);
  _cr_bind_text (stmt, 3, cr_store_get_user (store));
  if (!_cr_store_step_done (store, stmt, error))
    goto fail;

  if (!audit_row (store, CR_AUDIT_CHANGE, state.patient_id, "visit_diagnoses", diagnosis_id,
                  "primary", error) ||
      !_cr_store_commit (store, error))
    goto fail;
  return TRUE;

fail:
  _cr_store_rollback (store);
  return FALSE;
}

/* ---- problems ---------------------------------------------------------- */

/**
 * cr_store_add_problem:
 * @onset_date: (nullable): YYYY-MM-DD, not in the future
 * @chronic: a long-term condition (diabetes, hypertension…), listed first
 *
 * Returns: the problem id, or 0 on error
 */
gint64
cr_store_add_problem (CrStore     *store,
                      gint64       patient_id,
                      const char  *system,
                      const char  *code,
                      const char  *display,
                      const char  *onset_date,
                      gboolean     chronic,
                      GError     **error)
{
  g_autoptr(CrStoreLocker) locker = NULL;
  g_autofree char *now = _cr_store_now ();
  g_autofree char *norm_code = NULL;
  g_autofree char *norm_display = NULL;
  sqlite3_stmt *stmt;
  gint64 id;

  g_return_val_if_fail (CR_IS_STORE (store), 0);

  if (!_cr_check_date (onset_date, FALSE, 0, CR_CHART_ERROR_ONSET_DATE, "onset date", error))
    return 0;

  locker = _cr_store_lock (store);
  if (!_cr_store_begin (store, error))
    return 0;
  if (!check_patient (store, patient_id, NULL, error) ||
      !check_coded_value (store, system, code, display, &norm_code, &norm_display, error))
    goto fail;

  stmt = _cr_store_prepare (store,
                            "INSERT INTO problems (patient_id, system, code, display, onset_date,"
                            " chronic, created_at, created_by, updated_at, updated_by)"
                            " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?7, ?8)",
                            error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, patient_id);
  _cr_bind_text (stmt, 2, system);
  _cr_bind_text (stmt, 3, norm_code);
  _cr_bind_text (stmt, 4, norm_display);
  _cr_bind_text (stmt, 5, onset_date && *onset_date ? onset_date : NULL);
  sqlite3_bind_int (stmt, 6, chronic ? 1 : 0);
  _cr_bind_text (stmt, 7, now);
  _cr_bind_text (stmt, 8, cr_store_get_user (store));
  if (!_cr_store_step_done (store, stmt, error))
    goto fail;
  id = last_id (store);

  if (!audit_row (store, CR_AUDIT_CREATE, patient_id, "problems", id, NULL, error) ||
      !_cr_store_commit (store, error))
    goto fail;
  return id;

fail:
  _cr_store_rollback (store);
  return 0;
}

/**
 * cr_store_resolve_problem:
 * @resolved_date: (nullable): YYYY-MM-DD, or %NULL for today
 */
gboolean
cr_store_resolve_problem (CrStore     *store,
                          gint64       problem_id,
                          const char  *resolved_date,
                          GError     **error)
{
  g_autoptr(CrStoreLocker) locker = NULL;
  g_autofree char *now = _cr_store_now ();
  g_autofree char *today = dup_today ();
  g_autofree char *onset = NULL;
  sqlite3_stmt *stmt;
  gint64 patient_id = 0;
  gboolean active = FALSE;
  int rc;

  g_return_val_if_fail (CR_IS_STORE (store), FALSE);

  if (resolved_date == NULL || *resolved_date == '\0')
    resolved_date = today;
  if (!_cr_check_date (resolved_date, TRUE, 0, CR_CHART_ERROR_RESOLVED_DATE,
                       "date of resolution", error))
    return FALSE;

  locker = _cr_store_lock (store);
  if (!_cr_store_begin (store, error))
    return FALSE;

  stmt = prepare_with (store,
                       "SELECT patient_id, status = 'active', onset_date FROM problems"
                       " WHERE id = ?1 AND entered_in_error = 0",
                       &problem_id, 1, error);
  if (stmt == NULL)
    goto fail;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      patient_id = sqlite3_column_int64 (stmt, 0);
      active = sqlite3_column_int (stmt, 1) != 0;
      onset = g_strdup (_cr_column_text (stmt, 2));
    }
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    {
      not_found (error, "problem");
      goto fail;
    }
  if (rc != SQLITE_ROW)
    {
      _cr_store_set_error (store, rc, error);
      goto fail;
    }
  if (!active)
    {
      g_set_error_literal (error, CR_CHART_ERROR, CR_CHART_ERROR_STATE,
                           "This problem is already resolved");
      goto fail;
    }
  if (onset != NULL && strcmp (resolved_date, onset) < 0)
    {
      g_set_error (error, CR_CHART_ERROR, CR_CHART_ERROR_RESOLVED_DATE,
                   "A problem cannot resolve before its onset (%s)", onset);
      goto fail;
    }

  stmt = prepare_with (store,
                       "UPDATE problems SET status = 'resolved', resolved_date = ?2,"
                       " updated_at = ?3, updated_by = ?4 WHERE id = ?1",
                       &problem_id, 1, error);
  if (stmt == NULL)
    goto fail;
  _cr_bind_text (stmt, 2, resolved_date);
  _cr_bind_text (stmt, 3, now);
  _cr_bind_text (stmt, 4, cr_store_get_user (store));
  if (!_cr_store_step_done (store, stmt, error))
    goto fail;

  if (!audit_row (store, CR_AUDIT_CHANGE, patient_id, "problems", problem_id, "resolved", error) ||
      !_cr_store_commit (store, error))
    goto fail;
  return TRUE;

fail:
  _cr_store_rollback (store);
  return FALSE;
}

#define ACTIVE_PROBLEMS_SQL \
  "SELECT " CR_PROBLEM_COLUMNS " FROM problems p WHERE p.patient_id = ?1" \
  " AND p.status = 'active' AND p.entered_in_error = 0" \
  " ORDER BY p.chronic DESC, p.onset_date IS NULL, p.onset_date, p.id"
#define RESOLVED_PROBLEMS_SQL \
  "SELECT " CR_PROBLEM_COLUMNS " FROM problems p WHERE p.patient_id = ?1" \
  " AND p.status = 'resolved' AND p.entered_in_error = 0" \
  " ORDER BY p.resolved_date DESC, p.id DESC"

/**
 * cr_store_list_problems:
 *
 * Returns: (transfer full) (element-type CrProblem): active problems
 *   chronic first, or resolved ones latest first
 */
GPtrArray *
cr_store_list_problems (CrStore          *store,
                        gint64            patient_id,
                        CrProblemStatus   status,
                        GError          **error)
{
  g_return_val_if_fail (CR_IS_STORE (store), NULL);

  return query_objects (store, CR_TYPE_PROBLEM,
                        status == CR_PROBLEM_STATUS_ACTIVE ? ACTIVE_PROBLEMS_SQL
                                                           : RESOLVED_PROBLEMS_SQL,
                        &patient_id, 1, error);
}

/* ---- allergies --------------------------------------------------------- */

/**
 * cr_store_add_allergy:
 * @substance: what the patient reacts to
 * @reaction: (nullable): how
 *
 * Returns: the allergy id, or 0 on error
 */
gint64
cr_store_add_allergy (CrStore            *store,
                      gint64              patient_id,
                      const char         *substance,
                      const char         *reaction,
                      CrAllergySeverity   severity,
                      GError            **error)
{
  g_autoptr(CrStoreLocker) locker = NULL;
  g_autofree char *now = _cr_store_now ();
  g_autofree char *clean = NULL;
  sqlite3_stmt *stmt;
  gint64 id;
  int rc;

  g_return_val_if_fail (CR_IS_STORE (store), 0);
  g_return_val_if_fail (severity >= CR_ALLERGY_SEVERITY_UNKNOWN &&
                        severity <= CR_ALLERGY_SEVERITY_SEVERE, 0);

  if (!_cr_check_text (substance, TRUE, MAX_SUBSTANCE, CR_CHART_ERROR_SUBSTANCE,
                       "substance", error) ||
      !_cr_check_text (reaction, FALSE, MAX_REACTION, CR_CHART_ERROR_REACTION,
                       "reaction", error))
    return 0;
  clean = g_strstrip (g_strdup (substance));

  locker = _cr_store_lock (store);
  if (!_cr_store_begin (store, error))
    return 0;
  if (!check_patient (store, patient_id, NULL, error))
    goto fail;

  stmt = _cr_store_prepare (store,
                            "SELECT 1 FROM allergies WHERE patient_id = ? AND lower(substance) = lower(?)"
                            " AND entered_in_error = 0",
                            error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, patient_id);
  _cr_bind_text (stmt, 2, clean);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc == SQLITE_ROW)
    {
      g_set_error (error, CR_CHART_ERROR, CR_CHART_ERROR_SUBSTANCE,
                   "An allergy to “%s” is already recorded", clean);
      goto fail;
    }

  stmt = _cr_store_prepare (store,
                            "INSERT INTO allergies (patient_id, substance, reaction, severity,"
                            " created_at, created_by, updated_at, updated_by)"
                            " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?5, ?6)",
                            error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, patient_id);
  _cr_bind_text (stmt, 2, clean);
  _cr_bind_text (stmt, 3, reaction && *reaction ? reaction : NULL);
  _cr_bind_text (stmt, 4, cr_allergy_severity_to_string (severity));
  _cr_bind_text (stmt, 5, now);
  _cr_bind_text (stmt, 6, cr_store_get_user (store));
  if (!_cr_store_step_done (store, stmt, error))
    goto fail;
  id = last_id (store);

  if (!audit_row (store, CR_AUDIT_CREATE, patient_id, "allergies", id, NULL, error) ||
      !_cr_store_commit (store, error))
    goto fail;
  return id;

fail:
  _cr_store_rollback (store);
  return 0;
}

#define ALLERGIES_SQL \
  "SELECT " CR_ALLERGY_COLUMNS " FROM allergies a WHERE a.patient_id = ?1" \
  " AND a.entered_in_error = 0" \
  " ORDER BY CASE a.severity WHEN 'severe' THEN 0 WHEN 'moderate' THEN 1" \
  " WHEN 'mild' THEN 2 ELSE 3 END, a.substance COLLATE NOCASE"

/**
 * cr_store_list_allergies:
 *
 * Returns: (transfer full) (element-type CrAllergy): most severe first
 */
GPtrArray *
cr_store_list_allergies (CrStore  *store,
                         gint64    patient_id,
                         GError  **error)
{
  g_return_val_if_fail (CR_IS_STORE (store), NULL);
  return query_objects (store, CR_TYPE_ALLERGY, ALLERGIES_SQL, &patient_id, 1, error);
}

/* ---- prescriptions --------------------------------------------------- */

static gboolean
check_prescription (const CrPrescriptionInfo  *info,
                    GError                   **error)
{
  static const struct { gsize offset; int code; const char *label; } fields[] = {
    { G_STRUCT_OFFSET (CrPrescriptionInfo, system), CR_CHART_ERROR_SYSTEM, "coding system" },
    { G_STRUCT_OFFSET (CrPrescriptionInfo, code), CR_CHART_ERROR_CODE, "drug code" },
    { G_STRUCT_OFFSET (CrPrescriptionInfo, strength), CR_CHART_ERROR_STRENGTH, "strength" },
    { G_STRUCT_OFFSET (CrPrescriptionInfo, form), CR_CHART_ERROR_FORM, "form" },
    { G_STRUCT_OFFSET (CrPrescriptionInfo, dose), CR_CHART_ERROR_DOSE, "dose" },
    { G_STRUCT_OFFSET (CrPrescriptionInfo, route), CR_CHART_ERROR_ROUTE, "route" },
    { G_STRUCT_OFFSET (CrPrescriptionInfo, frequency), CR_CHART_ERROR_FREQUENCY, "frequency" },
    { G_STRUCT_OFFSET (CrPrescriptionInfo, duration), CR_CHART_ERROR_DURATION, "duration" },
    { G_STRUCT_OFFSET (CrPrescriptionInfo, quantity), CR_CHART_ERROR_QUANTITY, "quantity" },
  };

  if (!_cr_check_text (info->drug, TRUE, MAX_DRUG, CR_CHART_ERROR_DRUG, "drug", error))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      const char *value = G_STRUCT_MEMBER (const char *, info, fields[i].offset);

      if (!_cr_check_text (value, FALSE, MAX_RX_FIELD, fields[i].code, fields[i].label, error))
        return FALSE;
    }
  if (!_cr_check_text (info->instructions, FALSE, MAX_RX_TEXT, CR_CHART_ERROR_INSTRUCTIONS,
                       "instructions", error))
    return FALSE;
  if (info->refills < 0 || info->refills > MAX_REFILLS)
    {
      g_set_error (error, CR_CHART_ERROR, CR_CHART_ERROR_REFILLS,
                   "The number of refills must be between 0 and %d", MAX_REFILLS);
      return FALSE;
    }
  return _cr_check_date (info->start_date, FALSE, MAX_START_DAYS_AHEAD, CR_CHART_ERROR_START_DATE,
                         "start date", error);
}

/* A visit a prescription or follow-up comes from: the same patient's. */
static gboolean
check_visit_of_patient (CrStore     *store,
                        gint64       visit_id,
                        gint64       patient_id,
                        gboolean     draft,
                        VisitState  *state,
                        GError     **error)
{
  if (draft ? !require_draft (store, visit_id, state, error)
            : !load_visit_state (store, visit_id, state, error))
    return FALSE;
  if (state->patient_id != patient_id)
    {
      g_set_error_literal (error, CR_CHART_ERROR, CR_CHART_ERROR_VISIT,
                           "That visit belongs to another patient");
      return FALSE;
    }
  return TRUE;
}

static char *
dup_stripped_or_null (const char *s)
{
  return s && *s ? g_strstrip (g_strdup (s)) : NULL;
}

/**
 * cr_store_add_prescription:
 * @visit_id: the draft visit it is written at, or 0
 *
 * The prescriber is the store's user.
 *
 * Returns: the prescription id, or 0 on error
 */
gint64
cr_store_add_prescription (CrStore                   *store,
                           gint64                     patient_id,
                           gint64                     visit_id,
                           const CrPrescriptionInfo  *info,
                           GError                   **error)
{
  g_autoptr(CrStoreLocker) locker = NULL;
  g_auto(VisitState) state = { 0, };
  g_autofree char *now = _cr_store_now ();
  g_autofree char *start = NULL;
  g_autofree char *drug = NULL;
  const char *user;
  sqlite3_stmt *stmt;
  gint64 id;

  g_return_val_if_fail (CR_IS_STORE (store), 0);
  g_return_val_if_fail (info != NULL, 0);

  if (!check_prescription (info, error))
    return 0;
  drug = dup_stripped_or_null (info->drug);

  locker = _cr_store_lock (store);
  user = cr_store_get_user (store);
  if (!_cr_store_begin (store, error))
    return 0;
  if (!check_patient (store, patient_id, NULL, error))
    goto fail;
  if (visit_id > 0 && !check_visit_of_patient (store, visit_id, patient_id, TRUE, &state, error))
    goto fail;

  if (info->start_date != NULL && *info->start_date != '\0')
    start = g_strdup (info->start_date);
  else if (state.started_at != NULL)
    start = g_strndup (state.started_at, 10);
  else
    start = dup_today ();

  stmt = _cr_store_prepare (store,
                            "INSERT INTO prescriptions (patient_id, visit_id, drug, system, code,"
                            " strength, form, dose, route, frequency, duration, quantity, refills,"
                            " instructions, start_date, prescriber, created_at, created_by,"
                            " updated_at, updated_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9,"
                            " ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?16, ?17, ?16)",
                            error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, patient_id);
  bind_optional_id (stmt, 2, visit_id);
  _cr_bind_text (stmt, 3, drug);
  _cr_bind_text (stmt, 4, info->system && *info->system ? info->system : NULL);
  _cr_bind_text (stmt, 5, info->code && *info->code ? info->code : NULL);
  _cr_bind_text (stmt, 6, info->strength && *info->strength ? info->strength : NULL);
  _cr_bind_text (stmt, 7, info->form && *info->form ? info->form : NULL);
  _cr_bind_text (stmt, 8, info->dose && *info->dose ? info->dose : NULL);
  _cr_bind_text (stmt, 9, info->route && *info->route ? info->route : NULL);
  _cr_bind_text (stmt, 10, info->frequency && *info->frequency ? info->frequency : NULL);
  _cr_bind_text (stmt, 11, info->duration && *info->duration ? info->duration : NULL);
  _cr_bind_text (stmt, 12, info->quantity && *info->quantity ? info->quantity : NULL);
  sqlite3_bind_int (stmt, 13, info->refills);
  _cr_bind_text (stmt, 14, info->instructions && *info->instructions ? info->instructions : NULL);
  _cr_bind_text (stmt, 15, start);
  _cr_bind_text (stmt, 16, user);
  _cr_bind_text (stmt, 17, now);
  if (!_cr_store_step_done (store, stmt, error))
    goto fail;
  id = last_id (store);

  if (!audit_row (store, CR_AUDIT_CREATE, patient_id, "prescriptions", id, NULL, error) ||
      !_cr_store_commit (store, error))
    goto fail;
  return id;

fail:
  _cr_store_rollback (store);
  return 0;
}

typedef struct
{
  gint64  patient_id;
  char   *start_date;
  char   *stop_date;
} RxState;

static gboolean
load_prescription (CrStore  *store,
                   gint64    id,
                   RxState  *rx,
                   GError  **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = prepare_with (store,
                       "SELECT patient_id, start_date, stop_date FROM prescriptions"
                       " WHERE id = ?1 AND entered_in_error = 0",
                       &id, 1, error);
  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      rx->patient_id = sqlite3_column_int64 (stmt, 0);
      rx->start_date = g_strdup (_cr_column_text (stmt, 1));
      rx->stop_date = g_strdup (_cr_column_text (stmt, 2));
    }
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    return not_found (error, "prescription");
  if (rc != SQLITE_ROW)
    return _cr_store_set_error (store, rc, error);
  return TRUE;
}

static void
rx_state_clear (RxState *rx)
{
  g_clear_pointer (&rx->start_date, g_free);
  g_clear_pointer (&rx->stop_date, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (RxState, rx_state_clear)

static gboolean
set_stopped (CrStore     *store,
             gint64       id,
             const char  *stop_date,
             const char  *reason,
             const char  *now,
             GError     **error)
{
  sqlite3_stmt *stmt;

  stmt = prepare_with (store,
                       "UPDATE prescriptions SET stop_date = ?2, stop_reason = ?3, updated_at = ?4,"
                       " updated_by = ?5 WHERE id = ?1",
                       &id, 1, error);
  if (stmt == NULL)
    return FALSE;
  _cr_bind_text (stmt, 2, stop_date);
  _cr_bind_text (stmt, 3, reason);
  _cr_bind_text (stmt, 4, now);
  _cr_bind_text (stmt, 5, cr_store_get_user (store));
  return _cr_store_step_done (store, stmt, error);
}

/**
 * cr_store_stop_prescription:
 * @stop_date: (nullable): YYYY-MM-DD, or %NULL for today
 * @reason: why it was stopped
 */
gboolean
cr_store_stop_prescription (CrStore     *store,
                            gint64       prescription_id,
                            const char  *stop_date,
                            const char  *reason,
                            GError     **error)
{
  g_autoptr(CrStoreLocker) locker = NULL;
  g_auto(RxState) rx = { 0, };
  g_autofree char *now = _cr_store_now ();
  g_autofree char *today = dup_today ();

  g_return_val_if_fail (CR_IS_STORE (store), FALSE);

  if (stop_date == NULL || *stop_date == '\0')
    stop_date = today;
  if (!_cr_check_date (stop_date, TRUE, MAX_START_DAYS_AHEAD, CR_CHART_ERROR_STOP_DATE,
                       "stop date", error) ||
      !_cr_check_text (reason, TRUE, MAX_REASON, CR_CHART_ERROR_STOP_REASON,
                       "reason for stopping", error))
    return FALSE;

  locker = _cr_store_lock (store);
  if (!_cr_store_begin (store, error))
    return FALSE;
  if (!load_prescription (store, prescription_id, &rx, error))
    goto fail;
  if (rx.stop_date != NULL)
    {
      g_set_error (error, CR_CHART_ERROR, CR_CHART_ERROR_STATE,
                   "This prescription was already stopped on %s", rx.stop_date);
      goto fail;
    }
  if (rx.start_date != NULL && strcmp (stop_date, rx.start_date) < 0)
    {
      g_set_error (error, CR_CHART_ERROR, CR_CHART_ERROR_STOP_DATE,
                   "A prescription cannot stop before it started (%s)", rx.start_date);
      goto fail;
    }

  if (!set_stopped (store, prescription_id, stop_date, reason, now, error) ||
      !audit_row (store, CR_AUDIT_CHANGE, rx.patient_id, "prescriptions", prescription_id,
                  "stopped", error) ||
      !_cr_store_commit (store, error))
    goto fail;
  return TRUE;

fail:
  _cr_store_rollback (store);
  return FALSE;
}

/**
 * cr_store_renew_prescription:
 * @visit_id: the draft visit it is renewed at, or 0
 * @start_date: (nullable): the renewal's start, or %NULL for today
 *
 * Writes a new prescription copying the old one; the old one, if still
 * running, stops on the renewal's start ("renewed").
 *
 * Returns: the new prescription's id, or 0 on error
 */
gint64
cr_store_renew_prescription (CrStore     *store,
                             gint64       prescription_id,
                             gint64       visit_id,
                             const char  *start_date,
                             GError     **error)
{
  g_autoptr(CrStoreLocker) locker = NULL;
  g_auto(RxState) rx = { 0, };
  g_auto(VisitState) state = { 0, };
  g_autofree char *now = _cr_store_now ();
  g_autofree char *today = dup_today ();
  g_autofree char *detail = NULL;
  const char *user;
  sqlite3_stmt *stmt;
  gint64 id;

  g_return_val_if_fail (CR_IS_STORE (store), 0);

  if (start_date == NULL || *start_date == '\0')
    start_date = today;
  if (!_cr_check_date (start_date, TRUE, MAX_START_DAYS_AHEAD, CR_CHART_ERROR_START_DATE,
                       "start date", error))
    return 0;

  locker = _cr_store_lock (store);
  user = cr_store_get_user (store);
  if (!_cr_store_begin (store, error))
    return 0;
  if (!load_prescription (store, prescription_id, &rx, error))
    goto fail;
  if (visit_id > 0 &&
      !check_visit_of_patient (store, visit_id, rx.patient_id, TRUE, &state, error))
    goto fail;
  if (rx.start_date != NULL && strcmp (start_date, rx.start_date) <= 0)
    {
      g_set_error (error, CR_CHART_ERROR, CR_CHART_ERROR_START_DATE,
                   "A renewal must start after the prescription it renews (%s)", rx.start_date);
      goto fail;
    }

  stmt = prepare_with (store,
                       "INSERT INTO prescriptions (patient_id, visit_id, drug, system, code,"
                       " strength, form, dose, route, frequency, duration, quantity, refills,"
                       " instructions, start_date, prescriber, created_at, created_by,"
                       " updated_at, updated_by)"
                       " SELECT patient_id, ?2, drug, system, code, strength, form, dose, route,"
                       " frequency, duration, quantity, refills, instructions, ?3, ?4, ?5, ?4,"
                       " ?5, ?4 FROM prescriptions WHERE id = ?1",
                       &prescription_id, 1, error);
  if (stmt == NULL)
    goto fail;
  bind_optional_id (stmt, 2, visit_id);
  _cr_bind_text (stmt, 3, start_date);
  _cr_bind_text (stmt, 4, user);
  _cr_bind_text (stmt, 5, now);
  if (!_cr_store_step_done (store, stmt, error))
    goto fail;
  id = last_id (store);

  if (rx.stop_date == NULL &&
      (!set_stopped (store, prescription_id, start_date, CR_STOP_REASON_RENEWED, now, error) ||
       !audit_row (store, CR_AUDIT_CHANGE, rx.patient_id, "prescriptions", prescription_id,
                   "stopped: renewed", error)))
    goto fail;

  detail = g_strdup_printf ("renews prescriptions:%" G_GINT64_FORMAT, prescription_id);
  if (!audit_row (store, CR_AUDIT_CREATE, rx.patient_id, "prescriptions", id, detail, error) ||
      !_cr_store_commit (store, error))
    goto fail;
  return id;

fail:
  _cr_store_rollback (store);
  return 0;
}

/* Current: not stopped (or stopping later), not entered in error. */
#define CURRENT_RX_SQL \
  "SELECT " CR_PRESCRIPTION_COLUMNS " FROM prescriptions r WHERE r.patient_id = ?1" \
  " AND r.entered_in_error = 0" \
  " AND (r.stop_date IS NULL OR r.stop_date > date('now', 'localtime'))" \
  " ORDER BY r.drug COLLATE NOCASE, r.start_date"
#define PAST_RX_SQL \
  "SELECT " CR_PRESCRIPTION_COLUMNS " FROM prescriptions r WHERE r.patient_id = ?1" \
  " AND r.entered_in_error = 0" \
  " AND r.stop_date IS NOT NULL AND r.stop_date <= date('now', 'localtime')" \
  " ORDER BY r.stop_date DESC, r.id DESC"

/**
 * cr_store_list_prescriptions:
 * @current: the current medications, or else the past ones
 *
 * Returns: (transfer full) (element-type CrPrescription): current ones by
 *   drug name; past ones latest stopped first
 */
GPtrArray *
cr_store_list_prescriptions (CrStore   *store,
                             gint64     patient_id,
                             gboolean   current,
                             GError   **error)
{
  g_return_val_if_fail (CR_IS_STORE (store), NULL);
  return query_objects (store, CR_TYPE_PRESCRIPTION, current ? CURRENT_RX_SQL : PAST_RX_SQL,
                        &patient_id, 1, error);
}

/* ---- outcomes ------------------------------------------------------------ */

/* The diagnosis or prescription an outcome refers to: the same patient's,
 * from an earlier visit than @state's. */
static gboolean
check_outcome_target (CrStore     *store,
                      gint64       visit_id,
                      VisitState  *state,
                      gint64       diagnosis_id,
                      gint64       prescription_id,
                      GError     **error)
{
  g_autofree char *when = NULL;
  sqlite3_stmt *stmt;
  gint64 patient_id = 0;
  gint64 from_visit = 0;
  int rc;

  if ((diagnosis_id > 0) == (prescription_id > 0))
    {
      g_set_error_literal (error, CR_CHART_ERROR, CR_CHART_ERROR_OUTCOME_TARGET,
                           "An outcome refers to one diagnosis or one prescription");
      return FALSE;
    }

  if (diagnosis_id > 0)
    stmt = prepare_with (store,
                         "SELECT v.patient_id, v.id, v.started_at FROM visit_diagnoses d"
                         " JOIN visits v ON v.id = d.visit_id"
                         " WHERE d.id = ?1 AND d.entered_in_error = 0 AND v.entered_in_error = 0",
                         &diagnosis_id, 1, error);
  else
    stmt = prepare_with (store,
                         "SELECT patient_id, coalesce(visit_id, 0), start_date FROM prescriptions"
                         " WHERE id = ?1 AND entered_in_error = 0",
                         &prescription_id, 1, error);
  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      patient_id = sqlite3_column_int64 (stmt, 0);
      from_visit = sqlite3_column_int64 (stmt, 1);
      when = g_strdup (_cr_column_text (stmt, 2));
    }
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    return not_found (error, diagnosis_id > 0 ? "diagnosis" : "prescription");
  if (rc != SQLITE_ROW)
    return _cr_store_set_error (store, rc, error);

  if (patient_id != state->patient_id)
    {
      g_set_error_literal (error, CR_CHART_ERROR, CR_CHART_ERROR_OUTCOME_TARGET,
                           "The outcome refers to another patient’s record");
      return FALSE;
    }
  if (from_visit == visit_id ||
      (when != NULL && strncmp (when, state->started_at, 10) > 0))
    {
      g_set_error_literal (error, CR_CHART_ERROR, CR_CHART_ERROR_OUTCOME_TARGET,
                           "An outcome is recorded at a later visit than the diagnosis or "
                           "prescription it refers to");
      return FALSE;
    }
  return TRUE;
}

/**
 * cr_store_record_outcome:
 * @visit_id: the draft visit where the outcome was seen
 * @diagnosis_id: an earlier diagnosis, or 0
 * @prescription_id: an earlier prescription, or 0 (exactly one of the two)
 * @note: (nullable): details
 *
 * Returns: the outcome id, or 0 on error
 */
gint64
cr_store_record_outcome (CrStore          *store,
                         gint64            visit_id,
                         gint64            diagnosis_id,
                         gint64            prescription_id,
                         CrOutcomeResult   result,
                         const char       *note,
                         GError          **error)
{
  g_autoptr(CrStoreLocker) locker = NULL;
  g_auto(VisitState) state = { 0, };
  g_autofree char *now = _cr_store_now ();
  const char *user;
  sqlite3_stmt *stmt;
  gint64 id;

  g_return_val_if_fail (CR_IS_STORE (store), 0);
  g_return_val_if_fail (cr_outcome_result_to_string (result) != NULL, 0);

  if (!_cr_check_text (note, FALSE, MAX_NOTE, CR_CHART_ERROR_NOTE, "note", error))
    return 0;

  locker = _cr_store_lock (store);
  user = cr_store_get_user (store);
  if (!_cr_store_begin (store, error))
    return 0;
  if (!require_draft (store, visit_id, &state, error) ||
      !check_outcome_target (store, visit_id, &state, diagnosis_id, prescription_id, error))
    goto fail;

  stmt = _cr_store_prepare (store,
                            "INSERT INTO outcomes (patient_id, visit_id, diagnosis_id,"
                            " prescription_id, result, note, created_at, created_by, updated_at,"
                            " updated_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?7, ?8)",
                            error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, state.patient_id);
  sqlite3_bind_int64 (stmt, 2, visit_id);
  bind_optional_id (stmt, 3, diagnosis_id);
  bind_optional_id (stmt, 4, prescription_id);
  _cr_bind_text (stmt, 5, cr_outcome_result_to_string (result));
  _cr_bind_text (stmt, 6, note && *note ? note : NULL);
  _cr_bind_text (stmt, 7, now);
  _cr_bind_text (stmt, 8, user);
  if (!_cr_store_step_done (store, stmt, error))
    goto fail;
  id = last_id (store);

  if (!audit_row (store, CR_AUDIT_CREATE, state.patient_id, "outcomes", id, NULL, error) ||
      !_cr_store_commit (store, error))
    goto fail;
  return id;

fail:
  _cr_store_rollback (store);
  return 0;
}

/**
 * cr_store_list_outcomes:
 *
 * Returns: (transfer full) (element-type CrOutcome): the patient's
 *   outcomes, latest visit first, each naming what it refers to
 */
GPtrArray *
cr_store_list_outcomes (CrStore  *store,
                        gint64    patient_id,
                        GError  **error)
{
  g_return_val_if_fail (CR_IS_STORE (store), NULL);
  return query_objects (store, CR_TYPE_OUTCOME,
                        "SELECT " CR_OUTCOME_COLUMNS " FROM outcomes o WHERE o.patient_id = ?1"
                        " AND o.entered_in_error = 0 ORDER BY visit_date DESC, o.id DESC",
                        &patient_id, 1, error);
}

/* ---- follow-ups ------------------------------------------------------------ */

/**
 * cr_store_add_follow_up:
 * @visit_id: the visit that set it, or 0
 * @due_date: YYYY-MM-DD
 * @reason: (nullable): what for
 *
 * Returns: the follow-up id, or 0 on error
 */
gint64
cr_store_add_follow_up (CrStore     *store,
                        gint64       patient_id,
                        gint64       visit_id,
                        const char  *due_date,
                        const char  *reason,
                        GError     **error)
{
  g_autoptr(CrStoreLocker) locker = NULL;
  g_auto(VisitState) state = { 0, };
  g_autofree char *now = _cr_store_now ();
  sqlite3_stmt *stmt;
  gint64 id;

  g_return_val_if_fail (CR_IS_STORE (store), 0);

  if (!_cr_check_date (due_date, TRUE, MAX_DUE_DAYS_AHEAD, CR_CHART_ERROR_DUE_DATE,
                       "due date", error) ||
      !_cr_check_text (reason, FALSE, MAX_REASON, CR_CHART_ERROR_REASON, "reason", error))
    return 0;

  locker = _cr_store_lock (store);
  if (!_cr_store_begin (store, error))
    return 0;
  if (!check_patient (store, patient_id, NULL, error))
    goto fail;
  /* A follow-up is scheduling, not part of the note: a signed visit may
   * set one. */
  if (visit_id > 0 && !check_visit_of_patient (store, visit_id, patient_id, FALSE, &state, error))
    goto fail;

  stmt = _cr_store_prepare (store,
                            "INSERT INTO follow_ups (patient_id, visit_id, due_date, reason,"
                            " created_at, created_by, updated_at, updated_by)"
                            " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?5, ?6)",
                            error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, patient_id);
  bind_optional_id (stmt, 2, visit_id);
  _cr_bind_text (stmt, 3, due_date);
  _cr_bind_text (stmt, 4, reason && *reason ? reason : NULL);
  _cr_bind_text (stmt, 5, now);
  _cr_bind_text (stmt, 6, cr_store_get_user (store));
  if (!_cr_store_step_done (store, stmt, error))
    goto fail;
  id = last_id (store);

  if (!audit_row (store, CR_AUDIT_CREATE, patient_id, "follow_ups", id, NULL, error) ||
      !_cr_store_commit (store, error))
    goto fail;
  return id;

fail:
  _cr_store_rollback (store);
  return 0;
}

/**
 * cr_store_complete_follow_up:
 *
 * Marks a follow-up done, now.
 */
gboolean
cr_store_complete_follow_up (CrStore  *store,
                             gint64    follow_up_id,
                             GError  **error)
{
  g_autoptr(CrStoreLocker) locker = NULL;
  g_autofree char *now = _cr_store_now ();
  sqlite3_stmt *stmt;
  gint64 patient_id = 0;
  gboolean done = FALSE;
  int rc;

  g_return_val_if_fail (CR_IS_STORE (store), FALSE);

  locker = _cr_store_lock (store);
  if (!_cr_store_begin (store, error))
    return FALSE;

  stmt = prepare_with (store,
                       "SELECT patient_id, done FROM follow_ups WHERE id = ?1 AND entered_in_error = 0",
                       &follow_up_id, 1, error);
  if (stmt == NULL)
    goto fail;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      patient_id = sqlite3_column_int64 (stmt, 0);
      done = sqlite3_column_int (stmt, 1) != 0;
    }
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    {
      not_found (error, "follow-up");
      goto fail;
    }
  if (rc != SQLITE_ROW)
    {
      _cr_store_set_error (store, rc, error);
      goto fail;
    }
  if (done)
    {
      g_set_error_literal (error, CR_CHART_ERROR, CR_CHART_ERROR_STATE,
                           "This follow-up is already done");
      goto fail;
    }

  stmt = prepare_with (store,
                       "UPDATE follow_ups SET done = 1, done_at = ?2, updated_at = ?2,"
                       " updated_by = ?3 WHERE id = ?1",
                       &follow_up_id, 1, error);
  if (stmt == NULL)
    goto fail;
  _cr_bind_text (stmt, 2, now);
  _cr_bind_text (stmt, 3, cr_store_get_user (store));
  if (!_cr_store_step_done (store, stmt, error))
    goto fail;

  if (!audit_row (store, CR_AUDIT_CHANGE, patient_id, "follow_ups", follow_up_id, "done", error) ||
      !_cr_store_commit (store, error))
    goto fail;
  return TRUE;

fail:
  _cr_store_rollback (store);
  return FALSE;
}

#define OVERDUE_PATIENT_SQL \
  "SELECT " CR_FOLLOW_UP_COLUMNS " FROM follow_ups f WHERE f.patient_id = ?1" \
  " AND f.done = 0 AND f.entered_in_error = 0 AND f.due_date < date('now', 'localtime')" \
  " ORDER BY f.due_date, f.id"
/* The practice's recall list: walks the follow_ups_due partial index. */
#define OVERDUE_ALL_SQL \
  "SELECT " CR_FOLLOW_UP_COLUMNS " FROM follow_ups f WHERE f.done = 0" \
  " AND f.due_date < date('now', 'localtime') AND f.entered_in_error = 0" \
  " ORDER BY f.due_date, f.id"

/**
 * cr_store_list_overdue_follow_ups:
 * @patient_id: a patient, or 0 for the whole practice
 *
 * Returns: (transfer full) (element-type CrFollowUp): follow-ups due before
 *   today and not done, longest overdue first
 */
GPtrArray *
cr_store_list_overdue_follow_ups (CrStore  *store,
                                  gint64    patient_id,
                                  GError  **error)
{
  g_return_val_if_fail (CR_IS_STORE (store), NULL);

  if (patient_id > 0)
    return query_objects (store, CR_TYPE_FOLLOW_UP, OVERDUE_PATIENT_SQL, &patient_id, 1, error);
  return query_objects (store, CR_TYPE_FOLLOW_UP, OVERDUE_ALL_SQL, NULL, 0, error);
}

/* ---- the chart summary ------------------------------------------------- */

struct _CrChartSummary
{
  GObject     parent_instance;

  CrPatient  *patient;
  GListStore *problems;
  GListStore *allergies;
  GListStore *medications;
  GListStore *visits;
  GListStore *follow_ups;
  gint64      visit_count;
};

enum {
  SUMMARY_PROP_0,
  SUMMARY_PROP_PATIENT,
  SUMMARY_PROP_PROBLEMS,
  SUMMARY_PROP_ALLERGIES,
  SUMMARY_PROP_MEDICATIONS,
  SUMMARY_PROP_VISITS,
  SUMMARY_PROP_FOLLOW_UPS,
  SUMMARY_PROP_VISIT_COUNT,
  SUMMARY_N_PROPS
};

static GParamSpec *summary_properties[SUMMARY_N_PROPS];

G_DEFINE_FINAL_TYPE (CrChartSummary, cr_chart_summary, G_TYPE_OBJECT)

static void
cr_chart_summary_dispose (GObject *object)
{
  CrChartSummary *self = (CrChartSummary *)object;

  g_clear_object (&self->patient);
  g_clear_object (&self->problems);
  g_clear_object (&self->allergies);
  g_clear_object (&self->medications);
  g_clear_object (&self->visits);
  g_clear_object (&self->follow_ups);

  G_OBJECT_CLASS (cr_chart_summary_parent_class)->dispose (object);
}

static void
cr_chart_summary_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  CrChartSummary *self = CR_CHART_SUMMARY (object);

  switch (prop_id)
    {
    case SUMMARY_PROP_PATIENT:
      g_value_set_object (value, self->patient);
      break;
    case SUMMARY_PROP_PROBLEMS:
      g_value_set_object (value, self->problems);
      break;
    case SUMMARY_PROP_ALLERGIES:
      g_value_set_object (value, self->allergies);
      break;
    case SUMMARY_PROP_MEDICATIONS:
      g_value_set_object (value, self->medications);
      break;
    case SUMMARY_PROP_VISITS:
      g_value_set_object (value, self->visits);
      break;
    case SUMMARY_PROP_FOLLOW_UPS:
      g_value_set_object (value, self->follow_ups);
      break;
    case SUMMARY_PROP_VISIT_COUNT:
      g_value_set_int64 (value, self->visit_count);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cr_chart_summary_class_init (CrChartSummaryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  static const char * const lists[] = {
    "problems", "allergies", "medications", "visits", "follow-ups",
  };

  object_class->dispose = cr_chart_summary_dispose;
  object_class->get_property = cr_chart_summary_get_property;

  summary_properties[SUMMARY_PROP_PATIENT] =
    g_param_spec_object ("patient", NULL, NULL, CR_TYPE_PATIENT,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  for (guint i = 0; i < G_N_ELEMENTS (lists); i++)
    summary_properties[SUMMARY_PROP_PROBLEMS + i] =
      g_param_spec_object (lists[i], NULL, NULL, G_TYPE_LIST_MODEL,
                           G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  summary_properties[SUMMARY_PROP_VISIT_COUNT] =
    g_param_spec_int64 ("visit-count", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, SUMMARY_N_PROPS, summary_properties);
}

static void
cr_chart_summary_init (CrChartSummary *self)
{
  self->problems = g_list_store_new (CR_TYPE_PROBLEM);
  self->allergies = g_list_store_new (CR_TYPE_ALLERGY);
  self->medications = g_list_store_new (CR_TYPE_PRESCRIPTION);
  self->visits = g_list_store_new (CR_TYPE_VISIT);
  self->follow_ups = g_list_store_new (CR_TYPE_FOLLOW_UP);
}

/**
 * cr_chart_summary_get_patient:
 *
 * Returns: (transfer none): the patient
 */
CrPatient *
cr_chart_summary_get_patient (CrChartSummary *self)
{
  g_return_val_if_fail (CR_IS_CHART_SUMMARY (self), NULL);
  return self->patient;
}

/**
 * cr_chart_summary_get_problems:
 *
 * Returns: (transfer none): active #CrProblem rows, chronic first
 */
GListModel *
cr_chart_summary_get_problems (CrChartSummary *self)
{
  g_return_val_if_fail (CR_IS_CHART_SUMMARY (self), NULL);
  return G_LIST_MODEL (self->problems);
}

/**
 * cr_chart_summary_get_allergies:
 *
 * Returns: (transfer none): #CrAllergy rows, most severe first
 */
GListModel *
cr_chart_summary_get_allergies (CrChartSummary *self)
{
  g_return_val_if_fail (CR_IS_CHART_SUMMARY (self), NULL);
  return G_LIST_MODEL (self->allergies);
}

/**
 * cr_chart_summary_get_medications:
 *
 * Returns: (transfer none): current #CrPrescription rows
 */
GListModel *
cr_chart_summary_get_medications (CrChartSummary *self)
{
  g_return_val_if_fail (CR_IS_CHART_SUMMARY (self), NULL);
  return G_LIST_MODEL (self->medications);
}

/**
 * cr_chart_summary_get_visits:
 *
 * Returns: (transfer none): the last #CrVisit rows, newest first, with
 *   their diagnoses and outcomes
 */
GListModel *
cr_chart_summary_get_visits (CrChartSummary *self)
{
  g_return_val_if_fail (CR_IS_CHART_SUMMARY (self), NULL);
  return G_LIST_MODEL (self->visits);
}

/**
 * cr_chart_summary_get_follow_ups:
 *
 * Returns: (transfer none): overdue #CrFollowUp rows
 */
GListModel *
cr_chart_summary_get_follow_ups (CrChartSummary *self)
{
  g_return_val_if_fail (CR_IS_CHART_SUMMARY (self), NULL);
  return G_LIST_MODEL (self->follow_ups);
}

gint64
cr_chart_summary_get_visit_count (CrChartSummary *self)
{
  g_return_val_if_fail (CR_IS_CHART_SUMMARY (self), 0);
  return self->visit_count;
}

static gboolean
fill_store (CrStore       *store,
            GListStore    *list,
            GType          type,
            const char    *sql,
            gint64         patient_id,
            GError       **error)
{
  g_autoptr(GPtrArray) rows = NULL;
  sqlite3_stmt *stmt = prepare_with (store, sql, &patient_id, 1, error);

  if (stmt == NULL || (rows = collect (store, type, stmt, error)) == NULL)
    return FALSE;
  g_list_store_splice (list, 0, 0, rows->pdata, rows->len);
  return TRUE;
}

/**
 * cr_store_load_chart_summary:
 * @n_visits: how many of the last visits to include
 *
 * The chart at a glance, read in one snapshot by a handful of indexed
 * queries. It records nothing: the caller notes the view
 * (cr_store_note_chart_viewed()) when a person opens the chart.
 *
 * Returns: (transfer full) (nullable): the summary
 */
CrChartSummary *
cr_store_load_chart_summary (CrStore  *store,
                             gint64    patient_id,
                             guint     n_visits,
                             GError  **error)
{
  g_autoptr(CrStoreLocker) locker = NULL;
  g_autoptr(CrChartSummary) self = NULL;
  g_autoptr(GPtrArray) visits = NULL;
  gboolean own_transaction;

  g_return_val_if_fail (CR_IS_STORE (store), NULL);

  locker = _cr_store_lock (store);

  /* One read transaction: every part from the same state of the chart. */
  own_transaction = sqlite3_get_autocommit (_cr_store_get_db (store));
  if (own_transaction && !_cr_store_exec (store, "BEGIN", error))
    return NULL;

  self = g_object_new (CR_TYPE_CHART_SUMMARY, NULL);
  self->patient = cr_store_get_patient (store, patient_id, error);
  if (self->patient == NULL ||
      !fill_store (store, self->problems, CR_TYPE_PROBLEM, ACTIVE_PROBLEMS_SQL, patient_id, error) ||
      !fill_store (store, self->allergies, CR_TYPE_ALLERGY, ALLERGIES_SQL, patient_id, error) ||
      !fill_store (store, self->medications, CR_TYPE_PRESCRIPTION, CURRENT_RX_SQL, patient_id,
                   error) ||
      !fill_store (store, self->follow_ups, CR_TYPE_FOLLOW_UP, OVERDUE_PATIENT_SQL, patient_id,
                   error) ||
      (self->visit_count = count_visits_locked (store, patient_id, error)) < 0 ||
      (visits = list_visits_locked (store, patient_id, 0, n_visits, error)) == NULL)
    {
      if (own_transaction)
        _cr_store_rollback (store);
      return NULL;
    }
  g_list_store_splice (self->visits, 0, 0, visits->pdata, visits->len);

  if (own_transaction)
    _cr_store_rollback (store); /* nothing was written */

  return g_steal_pointer (&self);
}

typedef struct
{
  gint64 patient_id;
  guint  n_visits;
} SummaryData;

static void
load_summary_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  SummaryData *data = task_data;
  GError *error = NULL;
  CrChartSummary *summary;

  if (g_task_return_error_if_cancelled (task))
    return;
  summary = cr_store_load_chart_summary (source_object, data->patient_id, data->n_visits, &error);
  if (summary == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, summary, g_object_unref);
}

/**
 * cr_store_load_chart_summary_async:
 *
 * As cr_store_load_chart_summary(), off the main loop.
 */
void
cr_store_load_chart_summary_async (CrStore             *store,
                                   gint64               patient_id,
                                   guint                n_visits,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  SummaryData *data;

  g_return_if_fail (CR_IS_STORE (store));

  data = g_new0 (SummaryData, 1);
  data->patient_id = patient_id;
  data->n_visits = n_visits;

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, cr_store_load_chart_summary_async);
  g_task_set_task_data (task, data, g_free);
  g_task_run_in_thread (task, load_summary_thread);
}

/**
 * cr_store_load_chart_summary_finish:
 *
 * Returns: (transfer full) (nullable): the summary
 */
CrChartSummary *
cr_store_load_chart_summary_finish (CrStore       *store,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
