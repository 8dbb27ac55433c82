/* cr-patients.c: registering, changing, finding patients
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cr-patients"

#include "config.h"

#include "cr-audit.h"
#include "cr-patient-private.h"
#include "cr-patients.h"
#include "cr-store-private.h"

static char *
dup_phone_digits (const char *phone)
{
  GString *digits;

  if (phone == NULL)
    return NULL;
  digits = g_string_new (NULL);
  for (const char *p = phone; *p; p++)
    if (g_ascii_isdigit (*p))
      g_string_append_c (digits, *p);
  if (digits->len == 0)
    return (g_string_free (digits, TRUE), NULL);
  return g_string_free (digits, FALSE);
}

static char *
dup_search_names (CrPatient *patient)
{
  return g_strconcat (cr_patient_get_family_name (patient), " ",
                      cr_patient_get_given_names (patient), NULL);
}

static char *
dup_stripped (const char *s)
{
  return s ? g_strstrip (g_strdup (s)) : NULL;
}

static gboolean
find_duplicate (CrStore    *store,
                CrPatient  *patient,
                char      **record_number,
                GError    **error)
{
  sqlite3_stmt *stmt;
  int rc;

  *record_number = NULL;
  if (cr_patient_get_birth_date (patient) == NULL)
    return TRUE;

  stmt = _cr_store_prepare (store,
                            "SELECT record_number FROM patients"
                            " WHERE birth_date = ? AND lower(family_name) = lower(?)"
                            " AND lower(given_names) = lower(?) AND id != ? LIMIT 1",
                            error);
  if (stmt == NULL)
    return FALSE;
  _cr_bind_text (stmt, 1, cr_patient_get_birth_date (patient));
  _cr_bind_text (stmt, 2, cr_patient_get_family_name (patient));
  _cr_bind_text (stmt, 3, cr_patient_get_given_names (patient));
  sqlite3_bind_int64 (stmt, 4, cr_patient_get_id (patient));
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *record_number = g_strdup (_cr_column_text (stmt, 0));
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return _cr_store_set_error (store, rc, error);
  return TRUE;
}

static char *
next_record_number (CrStore  *store,
                    GError  **error)
{
  g_autofree char *counter = _cr_store_dup_meta (store, "next-record-number");
  gint64 next = counter ? g_ascii_strtoll (counter, NULL, 10) : 1;
  g_autofree char *bumped = NULL;
  sqlite3_stmt *stmt;

  /* Skip numbers taken by imported records. */
  stmt = _cr_store_prepare (store, "SELECT 1 FROM patients WHERE record_number = ?", error);
  if (stmt == NULL)
    return NULL;
  for (;;)
    {
      g_autofree char *candidate = g_strdup_printf ("P%06" G_GINT64_FORMAT, next);
      int rc;

      sqlite3_reset (stmt);
      _cr_bind_text (stmt, 1, candidate);
      rc = sqlite3_step (stmt);
      sqlite3_reset (stmt);
      if (rc == SQLITE_DONE)
        {
          bumped = g_strdup_printf ("%" G_GINT64_FORMAT, next + 1);
          if (!_cr_store_set_meta (store, "next-record-number", bumped, error))
            return NULL;
          return g_steal_pointer (&candidate);
        }
      if (rc != SQLITE_ROW)
        {
          _cr_store_set_error (store, rc, error);
          return NULL;
        }
      next++;
    }
}

static gboolean
bind_patient_fields (sqlite3_stmt *stmt,
                     CrPatient    *patient,
                     const char   *now,
                     const char   *user)
{
  g_autofree char *family = dup_stripped (cr_patient_get_family_name (patient));
  g_autofree char *given = dup_stripped (cr_patient_get_given_names (patient));
  g_autofree char *digits = dup_phone_digits (cr_patient_get_phone (patient));

  _cr_bind_text (stmt, 1, family);
  _cr_bind_text (stmt, 2, given ? given : "");
  _cr_bind_text (stmt, 3, cr_patient_get_birth_date (patient));
  _cr_bind_text (stmt, 4, cr_sex_to_string (cr_patient_get_sex (patient)));
  _cr_bind_text (stmt, 5, cr_patient_get_phone (patient));
  _cr_bind_text (stmt, 6, cr_patient_get_email (patient));
  _cr_bind_text (stmt, 7, cr_patient_get_address (patient));
  _cr_bind_text (stmt, 8, cr_patient_get_insurance_payer (patient));
  _cr_bind_text (stmt, 9, cr_patient_get_insurance_member_id (patient));
  sqlite3_bind_int (stmt, 10, cr_patient_get_inactive (patient));
  sqlite3_bind_int (stmt, 11, cr_patient_get_deceased (patient));
  _cr_bind_text (stmt, 12, cr_patient_get_deceased_date (patient));
  _cr_bind_text (stmt, 13, digits);
  _cr_bind_text (stmt, 14, now);
  _cr_bind_text (stmt, 15, user);
  return TRUE;
}

static gboolean
update_search_row (CrStore    *store,
                   CrPatient  *patient,
                   gboolean    replace,
                   GError    **error)
{
  g_autofree char *names = dup_search_names (patient);
  sqlite3_stmt *stmt;
  int rc;

  if (replace)
    {
      stmt = _cr_store_prepare (store, "DELETE FROM patient_search WHERE docid = ?", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, cr_patient_get_id (patient));
      rc = sqlite3_step (stmt);
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        return _cr_store_set_error (store, rc, error);
    }

  stmt = _cr_store_prepare (store, "INSERT INTO patient_search (docid, names) VALUES (?, ?)",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, cr_patient_get_id (patient));
  _cr_bind_text (stmt, 2, names);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _cr_store_set_error (store, rc, error);
  return TRUE;
}

static gboolean
check_duplicate (CrStore    *store,
                 CrPatient  *patient,
                 GError    **error)
{
  g_autofree char *existing = NULL;

  if (!find_duplicate (store, patient, &existing, error))
    return FALSE;
  if (existing != NULL)
    {
      g_set_error (error, CR_PATIENT_ERROR, CR_PATIENT_ERROR_DUPLICATE,
                   "A patient with this name and birth date is already registered (%s)",
                   existing);
      return FALSE;
    }
  return TRUE;
}

/**
 * cr_store_add_patient:
 * @patient: a new patient (id 0); on success its id, record number and
 *   stamps are set
 * @allow_duplicate: register even if a patient with the same name and
 *   birth date exists (after the user confirmed it is someone else)
 *
 * Returns: %TRUE if the patient was saved
 */
gboolean
cr_store_add_patient (CrStore    *store,
                      CrPatient  *patient,
                      gboolean    allow_duplicate,
                      GError    **error)
{
  g_autoptr(CrStoreLocker) locker = NULL;
  g_autofree char *now = _cr_store_now ();
  g_autofree char *record_number = NULL;
  g_autofree char *record = NULL;
  const char *user;
  sqlite3_stmt *stmt;
  gint64 id;
  int rc;

  g_return_val_if_fail (CR_IS_STORE (store), FALSE);
  g_return_val_if_fail (CR_IS_PATIENT (patient), FALSE);
  g_return_val_if_fail (cr_patient_get_id (patient) == 0, FALSE);

  if (!cr_patient_validate (patient, error))
    return FALSE;

  locker = _cr_store_lock (store);
  user = cr_store_get_user (store);

  if (!allow_duplicate && !check_duplicate (store, patient, error))
    return FALSE;

  if (!_cr_store_begin (store, error))
    return FALSE;

  if (cr_patient_get_record_number (patient) != NULL)
    record_number = g_strdup (cr_patient_get_record_number (patient));
  else if ((record_number = next_record_number (store, error)) == NULL)
    goto fail;

  stmt = _cr_store_prepare (store,
                            "INSERT INTO patients (family_name, given_names, birth_date, sex,"
                            " phone, email, address, insurance_payer, insurance_member_id,"
                            " inactive, deceased, deceased_date, phone_digits,"
                            " created_at, created_by, updated_at, updated_by, record_number)"
                            " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13,"
                            " ?14, ?15, ?14, ?15, ?16)",
                            error);
  if (stmt == NULL)
    goto fail;
  bind_patient_fields (stmt, patient, now, user);
  _cr_bind_text (stmt, 16, record_number);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      if (rc == SQLITE_CONSTRAINT)
        g_set_error (error, CR_PATIENT_ERROR, CR_PATIENT_ERROR_RECORD_NUMBER,
                     "The record number %s is already in use", record_number);
      else
        _cr_store_set_error (store, rc, error);
      goto fail;
    }
  id = sqlite3_last_insert_rowid (_cr_store_get_db (store));

  _cr_patient_set_id (patient, id);
  if (!update_search_row (store, patient, FALSE, error))
    goto fail;

  record = g_strdup_printf ("patients:%" G_GINT64_FORMAT, id);
  if (!cr_store_audit (store, CR_AUDIT_CREATE, id, record, NULL, error))
    goto fail;

  if (!_cr_store_commit (store, error))
    goto fail;

  _cr_patient_set_record_number (patient, record_number);
  _cr_patient_set_stamps (patient, now, user, now, user);
  return TRUE;

fail:
  _cr_store_rollback (store);
  _cr_patient_set_id (patient, 0);
  return FALSE;
}

/**
 * cr_store_update_patient:
 * @patient: a registered patient with changed fields
 */
gboolean
cr_store_update_patient (CrStore    *store,
                         CrPatient  *patient,
                         GError    **error)
{
  g_autoptr(CrStoreLocker) locker = NULL;
  g_autofree char *now = _cr_store_now ();
  g_autofree char *record = NULL;
  const char *user;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CR_IS_STORE (store), FALSE);
  g_return_val_if_fail (CR_IS_PATIENT (patient), FALSE);
  g_return_val_if_fail (cr_patient_get_id (patient) > 0, FALSE);

  if (!cr_patient_validate (patient, error))
    return FALSE;

  locker = _cr_store_lock (store);
  user = cr_store_get_user (store);

  if (!_cr_store_begin (store, error))
    return FALSE;

  stmt = _cr_store_prepare (store,
                            "UPDATE patients SET family_name = ?1, given_names = ?2,"
                            " birth_date = ?3, sex = ?4, phone = ?5, email = ?6, address = ?7,"
                            " insurance_payer = ?8, insurance_member_id = ?9, inactive = ?10,"
                            " deceased = ?11, deceased_date = ?12, phone_digits = ?13,"
                            " updated_at = ?14, updated_by = ?15 WHERE id = ?16",
                            error);
  if (stmt == NULL)
    goto fail;
  bind_patient_fields (stmt, patient, now, user);
  sqlite3_bind_int64 (stmt, 16, cr_patient_get_id (patient));
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _cr_store_set_error (store, rc, error);
      goto fail;
    }
  if (sqlite3_changes (_cr_store_get_db (store)) != 1)
    {
      g_set_error (error, CR_STORE_ERROR, CR_STORE_ERROR_NOT_FOUND,
                   "The patient is no longer in the practice database");
      goto fail;
    }

  if (!update_search_row (store, patient, TRUE, error))
    goto fail;

  record = g_strdup_printf ("patients:%" G_GINT64_FORMAT, cr_patient_get_id (patient));
  if (!cr_store_audit (store, CR_AUDIT_CHANGE, cr_patient_get_id (patient), record, NULL, error))
    goto fail;

  if (!_cr_store_commit (store, error))
    goto fail;

  _cr_patient_set_stamps (patient, NULL, NULL, now, user);
  return TRUE;

fail:
  _cr_store_rollback (store);
  return FALSE;
}

static CrPatient *
get_one (CrStore     *store,
         const char  *sql,
         gint64       id,
         const char  *text,
         GError     **error)
{
  g_autoptr(CrStoreLocker) locker = _cr_store_lock (store);
  CrPatient *patient = NULL;
  sqlite3_stmt *stmt;
  int rc;

  stmt = _cr_store_prepare (store, sql, error);
  if (stmt == NULL)
    return NULL;
  if (text != NULL)
    _cr_bind_text (stmt, 1, text);
  else
    sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    patient = _cr_patient_new_from_row (stmt);
  sqlite3_reset (stmt);

  if (rc == SQLITE_DONE)
    g_set_error_literal (error, CR_STORE_ERROR, CR_STORE_ERROR_NOT_FOUND,
                         "No such patient");
  else if (rc != SQLITE_ROW)
    _cr_store_set_error (store, rc, error);
  return patient;
}

/**
 * cr_store_get_patient:
 *
 * Returns: (transfer full) (nullable): the patient, or %NULL with
 *   %CR_STORE_ERROR_NOT_FOUND
 */
CrPatient *
cr_store_get_patient (CrStore  *store,
                      gint64    id,
                      GError  **error)
{
  g_return_val_if_fail (CR_IS_STORE (store), NULL);
  return get_one (store, "SELECT " CR_PATIENT_COLUMNS " FROM patients p WHERE p.id = ?",
                  id, NULL, error);
}

CrPatient *
cr_store_find_patient_by_record_number (CrStore     *store,
                                        const char  *record_number,
                                        GError     **error)
{
  g_return_val_if_fail (CR_IS_STORE (store), NULL);
  g_return_val_if_fail (record_number != NULL, NULL);
  return get_one (store,
                  "SELECT " CR_PATIENT_COLUMNS " FROM patients p WHERE p.record_number = ?",
                  0, record_number, error);
}

/**
 * cr_store_note_chart_viewed:
 *
 * Records in the audit trail that the user opened this patient's chart,
 * and marks the patient as recently seen for search ranking.
 */
gboolean
cr_store_note_chart_viewed (CrStore  *store,
                            gint64    patient_id,
                            GError  **error)
{
  g_autoptr(CrStoreLocker) locker = NULL;
  g_autofree char *now = _cr_store_now ();
  g_autofree char *record = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CR_IS_STORE (store), FALSE);

  locker = _cr_store_lock (store);
  if (!_cr_store_begin (store, error))
    return FALSE;

  stmt = _cr_store_prepare (store, "UPDATE patients SET last_seen = ? WHERE id = ?", error);
  if (stmt == NULL)
    goto fail;
  _cr_bind_text (stmt, 1, now);
  sqlite3_bind_int64 (stmt, 2, patient_id);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _cr_store_set_error (store, rc, error);
      goto fail;
    }

  record = g_strdup_printf ("patients:%" G_GINT64_FORMAT, patient_id);
  if (!cr_store_audit (store, CR_AUDIT_VIEW, patient_id, record, "chart", error) ||
      !_cr_store_commit (store, error))
    goto fail;
  return TRUE;

fail:
  _cr_store_rollback (store);
  return FALSE;
}

gint64
cr_store_count_patients (CrStore  *store,
                         GError  **error)
{
  g_autoptr(CrStoreLocker) locker = NULL;
  sqlite3_stmt *stmt;
  gint64 count = -1;
  int rc;

  g_return_val_if_fail (CR_IS_STORE (store), -1);

  locker = _cr_store_lock (store);
  stmt = _cr_store_prepare (store, "SELECT count(*) FROM patients", error);
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
