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

/* Version 3: the drug list (FDA Orange Book products, cr-drugs.c). Reference
 * data, not clinical rows: a new import replaces it. Marketed products only
 * (discontinued ones are skipped); one row per ingredient,
 * trade name, strength, dosage form and route; docid of drug_search = id. */
static const char migration_3[] =
  "CREATE TABLE drugs ("
  "  id INTEGER PRIMARY KEY,"
  "  ingredient TEXT NOT NULL, trade_name TEXT NOT NULL,"
  "  strength TEXT NOT NULL, form TEXT NOT NULL, route TEXT NOT NULL,"
  "  name TEXT NOT NULL, strength_display TEXT NOT NULL,"
  "  strength_value REAL NOT NULL DEFAULT 0,"
  "  n_ingredients INTEGER NOT NULL DEFAULT 1,"
  "  generic INTEGER NOT NULL DEFAULT 0,"
  "  type TEXT NOT NULL CHECK (type IN ('rx', 'otc')),"
  "  product TEXT,"
  "  UNIQUE (ingredient, trade_name, strength, form, route));"
  "CREATE INDEX drugs_trade_name ON drugs (trade_name);"
  "CREATE VIRTUAL TABLE drug_search USING fts4 ("
  "  names, tokenize=unicode61 \"remove_diacritics=1\", prefix=\"1,2,3\");";

/* Version 4: FHIR import and export (cr-fhir-import.c, cr-fhir-export.c).
 * results: observations that are not visit vitals (labs, surveys, BMI…);
 * value_kind says which value columns hold the value; a component of a
 * multi-part observation points at its parent row.
 * external_ids: which local row each imported resource became, so that
 * importing the same bundle again changes nothing. system '' means the
 * resource's own id (value); otherwise an identifier's system + value.
 * local_field names the visit's vital ('bp', 'pulse'…) an Observation
 * became, or an attachment's index for a DocumentReference; '' otherwise. */
static const char migration_4[] =
  "CREATE TABLE results ("
  "  id INTEGER PRIMARY KEY,"
  "  patient_id INTEGER NOT NULL REFERENCES patients (id),"
  "  visit_id INTEGER REFERENCES visits (id),"
  "  parent_id INTEGER REFERENCES results (id),"
  "  category TEXT,"
  "  system TEXT NOT NULL, code TEXT, display TEXT NOT NULL,"
  "  value_kind TEXT NOT NULL DEFAULT 'none'"
  "    CHECK (value_kind IN ('quantity', 'text', 'coded', 'none')),"
  "  value_number REAL, value_unit TEXT, value_unit_code TEXT,"
  "  value_text TEXT, value_system TEXT, value_code TEXT,"
  "  effective_at TEXT,"
  "  status TEXT NOT NULL DEFAULT 'final',"
  "  entered_in_error INTEGER NOT NULL DEFAULT 0,"
  "  " WHO_WHEN ");"
  "CREATE INDEX results_patient ON results (patient_id, effective_at);"
  "CREATE INDEX results_visit ON results (visit_id);"
  "CREATE INDEX results_parent ON results (parent_id);"
  "CREATE INDEX results_code ON results (system, code);"
  NO_DELETE ("results")
  "CREATE TABLE external_ids ("
  "  id INTEGER PRIMARY KEY,"
  "  resource_type TEXT NOT NULL,"
  "  system TEXT NOT NULL DEFAULT '',"
  "  value TEXT NOT NULL,"
  "  local_table TEXT NOT NULL,"
  "  local_id INTEGER NOT NULL,"
  "  local_field TEXT NOT NULL DEFAULT '',"
  "  created_at TEXT NOT NULL, created_by TEXT NOT NULL,"
  "  UNIQUE (resource_type, system, value, local_table, local_field));"
  "CREATE INDEX external_ids_local ON external_ids (local_table, local_id);"
  NO_DELETE ("external_ids");

/* Version 5: documents (cr-documents.c).
 * document_content: the bytes, apart from the metadata so that listing
 * documents never walks a large BLOB's overflow pages. data is the PDF that
 * Poppler renders; original is the file as imported when data was made from
 * it (images), NULL when data is the original. Neither ever changes. Rows of
 * documents written before this version, or by other importers, keep their
 * bytes in documents.data; cr-documents.c writes X'' there.
 * document_search: docid = documents.id; the title (kept in step by
 * triggers, for every writer) and the text layer, pages joined by form feeds.
 * A document split into parts keeps its bytes and is marked replaced; each
 * part names it in split_from, with its 1-based pages in split_pages.
 * document_pages: per-page view settings (0-based page). */
static const char migration_5[] =
  "ALTER TABLE documents ADD COLUMN replaced INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE documents ADD COLUMN split_from INTEGER REFERENCES documents (id);"
  "ALTER TABLE documents ADD COLUMN split_pages TEXT;"
  "CREATE INDEX documents_inbox ON documents (created_at) WHERE patient_id IS NULL;"
  "CREATE INDEX documents_split_from ON documents (split_from);"
  "CREATE TABLE document_content ("
  "  document_id INTEGER PRIMARY KEY REFERENCES documents (id),"
  "  data BLOB NOT NULL,"
  "  original BLOB);"
  "CREATE TRIGGER document_content_immutable BEFORE UPDATE ON document_content"
  "  BEGIN SELECT RAISE(ABORT, 'a document''s bytes never change'); END;"
  NO_DELETE ("document_content")
  "CREATE VIRTUAL TABLE document_search USING fts4 ("
  "  title, body, tokenize=unicode61 \"remove_diacritics=1\");"
  "INSERT INTO document_search (docid, title, body)"
  "  SELECT id, coalesce (title, ''), '' FROM documents;"
  "CREATE TRIGGER documents_search_insert AFTER INSERT ON documents BEGIN"
  "  INSERT INTO document_search (docid, title, body)"
  "    VALUES (NEW.id, coalesce (NEW.title, ''), ''); END;"
  "CREATE TRIGGER documents_search_title AFTER UPDATE OF title ON documents BEGIN"
  "  UPDATE document_search SET title = coalesce (NEW.title, '') WHERE docid = NEW.id; END;"
  "CREATE TABLE document_pages ("
  "  document_id INTEGER NOT NULL REFERENCES documents (id),"
  "  page INTEGER NOT NULL CHECK (page >= 0),"
  "  rotation INTEGER NOT NULL DEFAULT 0 CHECK (rotation IN (0, 90, 180, 270)),"
  "  updated_at TEXT NOT NULL, updated_by TEXT NOT NULL,"
  "  PRIMARY KEY (document_id, page)) WITHOUT ROWID;";

/* Version 6: practice statistics (cr-statistics.c). Each of its passes reads
 * one of these indexes alone, in order, without touching the tables: over a
 * million visits the statistics took 40-50 s by table scans and about 0.8 s
 * with them. Writers pay: the 100,000-patient demo practice (cr-demo.c)
 * takes about a third more CPU to generate and its file is 9 % larger. */
static const char migration_6[] =
  "CREATE INDEX visits_stats ON visits (entered_in_error, started_at, chief_complaint);"
  "CREATE INDEX visit_diagnoses_stats ON visit_diagnoses"
  "  (entered_in_error, system, code, visit_id);"
  "CREATE INDEX outcomes_stats ON outcomes (entered_in_error, diagnosis_id, result);";

static const char * const migrations[] = {
  NULL, /* version 0: empty file */
  migration_1,
  migration_2,
  migration_3,
  migration_4,
  migration_5,
  migration_6,
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
