/* cr-schema.c: the practice database schema and its migrations
 *
 * Each migration takes the database from version N-1 to N inside one
 * transaction together with the user_version bump, so a failure leaves the
 * previous version intact. Never edit a released migration: add one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cr-schema"

#include "config.h"

#include "cr-store-private.h"

/* Columns every clinical row carries: who wrote it and when. */
#define WHO_WHEN \
  "created_at TEXT NOT NULL, created_by TEXT NOT NULL, " \
  "updated_at TEXT NOT NULL, updated_by TEXT NOT NULL"

/* Clinical rows are never hard-deleted: they are marked entered-in-error. */
#define NO_DELETE(table) \
  "CREATE TRIGGER " table "_no_delete BEFORE DELETE ON " table " BEGIN " \
  "SELECT RAISE(ABORT, 'clinical records are never deleted; mark them entered in error'); END;"

/* Version 1: the foundation. */
static const char migration_1[] =
  "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;"
  "CREATE TABLE patients ("
  "  id INTEGER PRIMARY KEY,"
  "  record_number TEXT NOT NULL UNIQUE,"
  "  family_name TEXT NOT NULL,"
  "  given_names TEXT NOT NULL DEFAULT '',"
  "  birth_date TEXT,"
  "  sex TEXT NOT NULL DEFAULT 'unknown' CHECK (sex IN ('female', 'male', 'other', 'unknown')),"
  "  phone TEXT, email TEXT, address TEXT,"
  "  insurance_payer TEXT, insurance_member_id TEXT,"
  "  " WHO_WHEN ");"
  "CREATE INDEX patients_name ON patients (family_name, given_names);";

/* Version 2: the clinical record, codes, search and audit trail. */
static const char migration_2[] =
  "ALTER TABLE patients ADD COLUMN inactive INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE patients ADD COLUMN deceased INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE patients ADD COLUMN deceased_date TEXT;"
  /* Digits only, so '(555) 010-2030' and '5550102030' find the same patient. */
  "ALTER TABLE patients ADD COLUMN phone_digits TEXT;"
  /* Last visit or chart opening: 'recent patients first among equals'. */
  "ALTER TABLE patients ADD COLUMN last_seen TEXT;"
  "CREATE INDEX patients_birth_date ON patients (birth_date);"
  "CREATE INDEX patients_phone_digits ON patients (phone_digits);"
  "CREATE INDEX patients_last_seen ON patients (last_seen);"
  /* Search results in ranking order without sorting: recently seen first,
   * then by name (cr-patient-search.c walks it). */
  "CREATE INDEX patients_rank ON patients (last_seen DESC, family_name, given_names);"
  /* docid = patients.id; names folded by unicode61 (case, diacritics). */
  "CREATE VIRTUAL TABLE patient_search USING fts4 ("
  "  names, tokenize=unicode61 \"remove_diacritics=1\", prefix=\"1,2,3\");"
  "INSERT INTO patient_search (docid, names)"
  "  SELECT id, family_name || ' ' || given_names FROM patients;"
  "UPDATE patients SET phone_digits = nullif(replace(replace(replace(replace(replace(replace("
  "  replace(phone, ' ', ''), '-', ''), '(', ''), ')', ''), '.', ''), '+', ''), '/', ''), '');"

  "CREATE TABLE visits ("
  "  id INTEGER PRIMARY KEY,"
  "  patient_id INTEGER NOT NULL REFERENCES patients (id),"
  "  started_at TEXT NOT NULL,"
  "  clinician TEXT,"
  "  type TEXT NOT NULL DEFAULT 'office' CHECK (type IN ('office', 'phone', 'follow-up', 'other')),"
  "  chief_complaint TEXT, subjective TEXT, objective TEXT,"
  "  bp_systolic INTEGER, bp_diastolic INTEGER, pulse INTEGER, temperature_c REAL,"
  "  respiratory_rate INTEGER, spo2 INTEGER, weight_kg REAL, height_cm REAL,"
  "  assessment TEXT, plan TEXT,"
  "  status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'signed')),"
  "  signed_by TEXT, signed_at TEXT,"
  "  entered_in_error INTEGER NOT NULL DEFAULT 0,"
  "  " WHO_WHEN ");"
  "CREATE INDEX visits_patient ON visits (patient_id, started_at);"
  "CREATE INDEX visits_started_at ON visits (started_at);"
  "CREATE INDEX visits_drafts ON visits (status) WHERE status = 'draft';"
  /* A signed note cannot change; only the entered-in-error mark may be set. */
  "CREATE TRIGGER visits_signed_immutable BEFORE UPDATE ON visits"
  "  WHEN OLD.status = 'signed' AND ("
  "    NEW.patient_id IS NOT OLD.patient_id OR NEW.started_at IS NOT OLD.started_at OR"
  "    NEW.clinician IS NOT OLD.clinician OR NEW.type IS NOT OLD.type OR"
  "    NEW.chief_complaint IS NOT OLD.chief_complaint OR NEW.subjective IS NOT OLD.subjective OR"
  "    NEW.objective IS NOT OLD.objective OR NEW.bp_systolic IS NOT OLD.bp_systolic OR"
  "    NEW.bp_diastolic IS NOT OLD.bp_diastolic OR NEW.pulse IS NOT OLD.pulse OR"
  "    NEW.temperature_c IS NOT OLD.temperature_c OR"
  "    NEW.respiratory_rate IS NOT OLD.respiratory_rate OR NEW.spo2 IS NOT OLD.spo2 OR"
  "    NEW.weight_kg IS NOT OLD.weight_kg OR NEW.height_cm IS NOT OLD.height_cm OR"
  "    NEW.assessment IS NOT OLD.assessment OR NEW.plan IS NOT OLD.plan OR"
  "    NEW.status IS NOT OLD.status OR NEW.signed_by IS NOT OLD.signed_by OR"
  "    NEW.signed_at IS NOT OLD.signed_at)"
  "  BEGIN SELECT RAISE(ABORT, 'a signed visit cannot change; add an amendment'); END;"
  NO_DELETE ("visits")

  "CREATE TABLE visit_amendments ("
  "  id INTEGER PRIMARY KEY,"
  "  visit_id INTEGER NOT NULL REFERENCES visits (id),"
  "  reason TEXT NOT NULL,"
  "  text TEXT NOT NULL,"
  "  created_at TEXT NOT NULL, created_by TEXT NOT NULL);"
  "CREATE INDEX visit_amendments_visit ON visit_amendments (visit_id);"
  "CREATE TRIGGER visit_amendments_append_only BEFORE UPDATE ON visit_amendments"
  "  BEGIN SELECT RAISE(ABORT, 'amendments cannot change'); END;"
  NO_DELETE ("visit_amendments")

  /* Coded values are (system, code, display); system is a FHIR-style URI or
   * 'icd10cm', 'snomed', 'rxnorm', 'loinc', 'text'. */
  "CREATE TABLE visit_diagnoses ("
  "  id INTEGER PRIMARY KEY,"
  "  visit_id INTEGER NOT NULL REFERENCES visits (id),"
  "  system TEXT NOT NULL, code TEXT, display TEXT NOT NULL,"
  "  is_primary INTEGER NOT NULL DEFAULT 0,"
  "  entered_in_error INTEGER NOT NULL DEFAULT 0,"
  "  " WHO_WHEN ");"
  "CREATE INDEX visit_diagnoses_visit ON visit_diagnoses (visit_id);"
  "CREATE INDEX visit_diagnoses_code ON visit_diagnoses (system, code);"
  NO_DELETE ("visit_diagnoses")

  "CREATE TABLE problems ("
  "  id INTEGER PRIMARY KEY,"
  "  patient_id INTEGER NOT NULL REFERENCES patients (id),"
  "  system TEXT NOT NULL, code TEXT, display TEXT NOT NULL,"
  "  onset_date TEXT,"
  "  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'resolved')),"
  "  resolved_date TEXT,"
  "  chronic INTEGER NOT NULL DEFAULT 0,"
  "  entered_in_error INTEGER NOT NULL DEFAULT 0,"
  "  " WHO_WHEN ");"
  "CREATE INDEX problems_patient ON problems (patient_id);"
  "CREATE INDEX problems_code ON problems (system, code);"
  NO_DELETE ("problems")

  "CREATE TABLE allergies ("
  "  id INTEGER PRIMARY KEY,"
  "  patient_id INTEGER NOT NULL REFERENCES patients (id),"
  "  substance TEXT NOT NULL, system TEXT, code TEXT,"
  "  reaction TEXT,"
  "  severity TEXT NOT NULL DEFAULT 'unknown' CHECK (severity IN ('mild', 'moderate', 'severe', 'unknown')),"
  "  entered_in_error INTEGER NOT NULL DEFAULT 0,"
  "  " WHO_WHEN ");"
  "CREATE INDEX allergies_patient ON allergies (patient_id);"
  NO_DELETE ("allergies")

  "CREATE TABLE prescriptions ("
  "  id INTEGER PRIMARY KEY,"
  "  patient_id INTEGER NOT NULL REFERENCES patients (id),"
  "  visit_id INTEGER REFERENCES visits (id),"
  "  drug TEXT NOT NULL, system TEXT, code TEXT,"
  "  strength TEXT, form TEXT, dose TEXT, route TEXT, frequency TEXT, duration TEXT,"
  "  quantity TEXT, refills INTEGER NOT NULL DEFAULT 0, instructions TEXT,"
  "  start_date TEXT, stop_date TEXT, stop_reason TEXT,"
  "  prescriber TEXT,"
  "  entered_in_error INTEGER NOT NULL DEFAULT 0,"
  "  " WHO_WHEN ");"
  "CREATE INDEX prescriptions_patient ON prescriptions (patient_id);"
  "CREATE INDEX prescriptions_visit ON prescriptions (visit_id);"
  NO_DELETE ("prescriptions")

  /* How an earlier diagnosis or prescription turned out, recorded at a visit. */
  "CREATE TABLE outcomes ("
  "  id INTEGER PRIMARY KEY,"
  "  patient_id INTEGER NOT NULL REFERENCES patients (id),"
  "  visit_id INTEGER REFERENCES visits (id),"
  "  diagnosis_id INTEGER REFERENCES visit_diagnoses (id),"
  "  prescription_id INTEGER REFERENCES prescriptions (id),"
  "  result TEXT NOT NULL CHECK (result IN ('resolved', 'improved', 'unchanged', 'worsened', 'adverse-effect')),"
  "  note TEXT,"
  "  entered_in_error INTEGER NOT NULL DEFAULT 0,"
  "  " WHO_WHEN ","
  "  CHECK (diagnosis_id IS NOT NULL OR prescription_id IS NOT NULL));"
  "CREATE INDEX outcomes_patient ON outcomes (patient_id);"
  "CREATE INDEX outcomes_diagnosis ON outcomes (diagnosis_id);"
  "CREATE INDEX outcomes_prescription ON outcomes (prescription_id);"
  NO_DELETE ("outcomes")

  "CREATE TABLE follow_ups ("
  "  id INTEGER PRIMARY KEY,"
  "  patient_id INTEGER NOT NULL REFERENCES patients (id),"
  "  visit_id INTEGER REFERENCES visits (id),"
  "  due_date TEXT NOT NULL, reason TEXT,"
  "  done INTEGER NOT NULL DEFAULT 0, done_at TEXT,"
  "  entered_in_error INTEGER NOT NULL DEFAULT 0,"
  "  " WHO_WHEN ");"
  "CREATE INDEX follow_ups_patient ON follow_ups (patient_id);"
  "CREATE INDEX follow_ups_due ON follow_ups (due_date) WHERE done = 0;"
  NO_DELETE ("follow_ups")

  /* Scanned and imported records; patient_id NULL = in the inbox. */
  "CREATE TABLE documents ("
  "  id INTEGER PRIMARY KEY,"
  "  patient_id INTEGER REFERENCES patients (id),"
  "  visit_id INTEGER REFERENCES visits (id),"
  "  category TEXT, title TEXT, service_date TEXT,"
  "  file_name TEXT, mime_type TEXT NOT NULL,"
  "  sha256 TEXT NOT NULL, byte_size INTEGER NOT NULL, page_count INTEGER,"
  "  password TEXT,"
  "  data BLOB NOT NULL,"
  "  entered_in_error INTEGER NOT NULL DEFAULT 0,"
  "  " WHO_WHEN ");"
  "CREATE INDEX documents_patient ON documents (patient_id, service_date);"
  "CREATE INDEX documents_sha256 ON documents (sha256);"
  NO_DELETE ("documents")

  /* The code sets (ICD-10-CM from CMS; others as imported). The code is kept
   * without its dot, as CMS writes it. */
  "CREATE TABLE codes ("
  "  id INTEGER PRIMARY KEY,"
  "  system TEXT NOT NULL, code TEXT NOT NULL,"
  "  billable INTEGER NOT NULL,"
  "  short_display TEXT NOT NULL, display TEXT NOT NULL,"
  "  valid INTEGER NOT NULL DEFAULT 1,"
  "  release TEXT,"
  "  UNIQUE (system, code));"
  "CREATE VIRTUAL TABLE code_search USING fts4 ("
  "  display, tokenize=unicode61 \"remove_diacritics=1\", prefix=\"1,2,3\");"

  /* Append-only, hash-chained audit trail. */
  "CREATE TABLE audit ("
  "  id INTEGER PRIMARY KEY,"
  "  at TEXT NOT NULL, user TEXT NOT NULL, action TEXT NOT NULL,"
  "  patient_id INTEGER, record TEXT, detail TEXT,"
  "  prev_hash TEXT NOT NULL, hash TEXT NOT NULL);"
  "CREATE INDEX audit_patient ON audit (patient_id);"
  "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit"
  "  BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;"
  "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit"
  "  BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;";

static const char * const migrations[] = {
  NULL, /* version 0: empty file */
  migration_1,
  migration_2,
};

int
cr_schema_get_current_version (void)
{
  return G_N_ELEMENTS (migrations) - 1;
}

static int
get_user_version (sqlite3 *db)
{
  sqlite3_stmt *stmt = NULL;
  int version = -1;

  if (sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  return version;
}

gboolean
_cr_schema_migrate (sqlite3  *db,
                    int       target,
                    GError  **error)
{
  int version = get_user_version (db);

  g_return_val_if_fail (target <= cr_schema_get_current_version (), FALSE);

  if (version < 0)
    {
      _cr_set_sqlite_error (db, sqlite3_errcode (db), error);
      return FALSE;
    }

  while (version < target)
    {
      g_autofree char *bump = g_strdup_printf ("PRAGMA user_version = %d;", version + 1);
      int rc;

      rc = sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
      if (rc == SQLITE_OK)
        rc = sqlite3_exec (db, migrations[version + 1], NULL, NULL, NULL);
      if (rc == SQLITE_OK)
        rc = sqlite3_exec (db, bump, NULL, NULL, NULL);
      if (rc == SQLITE_OK)
        rc = sqlite3_exec (db, "COMMIT", NULL, NULL, NULL);

      if (rc != SQLITE_OK)
        {
          _cr_set_sqlite_error (db, rc, error);
          g_prefix_error (error, "Updating the practice database to version %d failed: ",
                          version + 1);
          if (!sqlite3_get_autocommit (db))
            sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
          return FALSE;
        }

      g_debug ("Migrated the practice database to schema version %d", version + 1);
      version++;
    }

  return TRUE;
}
