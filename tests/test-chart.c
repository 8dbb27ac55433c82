/* test-chart.c: the clinical record (visits, diagnoses, problems, allergies,
 * prescriptions, outcomes, follow-ups, the chart summary, the audit trail)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "cr-audit.h"
#include "cr-chart.h"
#include "cr-date.h"
#include "cr-patients.h"
#include "cr-store-private.h"
#include "test-util.h"

static gint64
add_patient (CrStore    *store,
             const char *family,
             const char *given,
             const char *birth)
{
  g_autoptr(CrPatient) patient = cr_patient_new ();
  g_autoptr(GError) error = NULL;

  cr_patient_set_family_name (patient, family);
  cr_patient_set_given_names (patient, given);
  cr_patient_set_birth_date (patient, birth);
  cr_patient_set_sex (patient, CR_SEX_FEMALE);
  g_assert_true (cr_store_add_patient (store, patient, FALSE, &error));
  g_assert_no_error (error);
  return cr_patient_get_id (patient);
}

static CrVisit *
add_visit (CrStore    *store,
           gint64      patient_id,
           const char *started_at,
           const char *complaint)
{
  g_autoptr(CrVisit) visit = cr_visit_new (patient_id);
  g_autoptr(GError) error = NULL;

  cr_visit_set_started_at (visit, started_at);
  cr_visit_set_chief_complaint (visit, complaint);
  g_assert_true (cr_store_create_visit (store, visit, &error));
  g_assert_no_error (error);
  g_assert_cmpint (cr_visit_get_id (visit), >, 0);
  return g_steal_pointer (&visit);
}

static gint64
query_int (CrStore    *store,
           const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_prepare_v2 (_cr_store_get_db (store), sql, -1, &stmt, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

static char *
query_text (CrStore    *store,
            const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  char *value;

  g_assert_cmpint (sqlite3_prepare_v2 (_cr_store_get_db (store), sql, -1, &stmt, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return value;
}

/* Runs SQL straight on the connection, as a tamperer would; returns the
 * SQLite result and the message. */
static int
raw_exec (CrStore  *store,
          const char *sql,
          char      **message)
{
  sqlite3 *db = _cr_store_get_db (store);
  int rc = sqlite3_exec (db, sql, NULL, NULL, NULL);

  if (message != NULL)
    *message = g_strdup (sqlite3_errmsg (db));
  return rc;
}

static gint64
audit_count (CrStore *store)
{
  return query_int (store, "SELECT count(*) FROM audit");
}

/* The newest audit entry has this action and record. */
static void
assert_last_audit (CrStore    *store,
                   const char *action,
                   const char *record_prefix,
                   gint64      patient_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) trail = cr_store_list_audit (store, 0, &error);
  g_autoptr(CrAuditEntry) last = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (trail), >, 0);
  last = g_list_model_get_item (trail, 0);
  g_assert_cmpstr (cr_audit_entry_get_action (last), ==, action);
  g_assert_true (g_str_has_prefix (cr_audit_entry_get_record (last), record_prefix));
  g_assert_cmpint (cr_audit_entry_get_patient_id (last), ==, patient_id);
  g_assert_cmpstr (cr_audit_entry_get_user (last), ==, "tester");
}

/* ---- the real ICD-10-CM code set ------------------------------------- */

/* Loads CMS's FY2026 order file into `codes` (fixed width: order number,
 * code, billable flag, short and long description), and the codes its
 * addenda deleted as no longer valid. Returns FALSE (test skipped) when
 * ../shared/data is absent. */
static gboolean
load_icd10cm (CrStore *store)
{
  g_autofree char *order_path = test_shared_data_path ("icd10cm", "icd10cm_order_2026.txt", NULL);
  g_autofree char *addenda_path = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  sqlite3 *db = _cr_store_get_db (store);
  sqlite3_stmt *stmt = NULL;
  guint n = 0;

  if (order_path == NULL)
    return FALSE;
  addenda_path = test_shared_data_path ("icd10cm", "icd10cm_order_addenda_2026.txt", NULL);
  if (addenda_path == NULL)
    return FALSE;

  g_assert_cmpint (sqlite3_exec (db, "BEGIN", NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "INSERT OR IGNORE INTO codes (system, code, billable,"
                                       " short_display, display, valid, release)"
                                       " VALUES ('icd10cm', ?, ?, ?, ?, ?, '2026')",
                                       -1, &stmt, NULL), ==, SQLITE_OK);

  g_file_get_contents (order_path, &contents, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *l = lines[i];
      g_autofree char *code = NULL;
      g_autofree char *short_display = NULL;
      g_autofree char *display = NULL;

      if (strlen (l) < 78)
        continue;
      code = g_strstrip (g_strndup (l + 6, 7));
      short_display = g_strstrip (g_strndup (l + 16, 60));
      display = g_strstrip (g_strdup (l + 77));
      sqlite3_reset (stmt);
      sqlite3_bind_text (stmt, 1, code, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int (stmt, 2, l[14] == '1');
      sqlite3_bind_text (stmt, 3, short_display, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 4, display, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int (stmt, 5, 1);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
      n++;
    }
  g_assert_cmpuint (n, ==, 74719 + 23467);

  /* "Delete:      1 S301XXA …": codes of the previous year that are gone. */
  g_clear_pointer (&contents, g_free);
  g_clear_pointer (&lines, g_strfreev);
  g_file_get_contents (addenda_path, &contents, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *l = lines[i];
      g_autofree char *code = NULL;
      g_autofree char *display = NULL;

      if (!g_str_has_prefix (l, "Delete:") || strlen (l) < 30)
        continue;
      code = g_strstrip (g_strndup (l + 15, 7));
      display = g_strstrip (g_strndup (l + 23, 60));
      sqlite3_reset (stmt);
      sqlite3_bind_text (stmt, 1, code, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int (stmt, 2, l[13] == '1');
      sqlite3_bind_text (stmt, 3, display, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 4, display, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int (stmt, 5, 0);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
    }
  sqlite3_finalize (stmt);
  g_assert_cmpint (sqlite3_exec (db, "COMMIT", NULL, NULL, NULL), ==, SQLITE_OK);
  return TRUE;
}

/* A real product from the FDA Orange Book: ingredient, form, strength. */
static void
find_orange_book_product (const char  *ingredient,
                          const char  *df_route,
                          char       **drug,
                          char       **strength)
{
  g_autofree char *path = test_shared_data_path ("drugs", "fda_orange_book_products.txt", NULL);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;

  *drug = NULL;
  *strength = NULL;
  if (path == NULL || !g_file_get_contents (path, &contents, NULL, NULL))
    return;
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL && *drug == NULL; i++)
    {
      g_auto(GStrv) f = g_strsplit (lines[i], "~", -1);

      if (g_strv_length (f) > 4 && g_str_equal (f[0], ingredient) && g_str_equal (f[1], df_route))
        {
          *drug = g_strdup (f[0]);
          *strength = g_strdup (f[4]);
        }
    }
}

/* ---- visits ------------------------------------------------------------ */

static void
test_visit_lifecycle (StoreFixture  *fixture,
                      gconstpointer  data)
{
  CrStore *store = fixture->store;
  g_autoptr(GError) error = NULL;
  g_autoptr(CrVisit) visit = NULL;
  g_autoptr(CrVisit) loaded = NULL;
  g_autoptr(CrVisit) again = NULL;
  g_autofree char *msg = NULL;
  g_autofree char *complaint = NULL;
  g_autofree char *sql = NULL;
  gint64 patient_id, before, amendment_id;

  patient_id = add_patient (store, "Okafor", "Ngozi", "1961-07-14");

  visit = cr_visit_new (patient_id);
  cr_visit_set_started_at (visit, "2024-03-05T09:30");
  cr_visit_set_clinician (visit, "Dr. Lind");
  cr_visit_set_chief_complaint (visit, "Sore throat for three days");
  cr_visit_set_subjective (visit, "Painful swallowing, no cough.");
  cr_visit_set_blood_pressure (visit, 128, 82);
  cr_visit_set_pulse (visit, 88);
  cr_visit_set_temperature_c (visit, 38.4);
  cr_visit_set_spo2 (visit, 98);
  cr_visit_set_weight_kg (visit, 71.5);
  cr_visit_set_height_cm (visit, 168);
  before = audit_count (store);
  g_assert_true (cr_store_create_visit (store, visit, &error));
  g_assert_no_error (error);
  g_assert_cmpint (audit_count (store), ==, before + 1);
  g_autofree char *record = g_strdup_printf ("visits:%" G_GINT64_FORMAT, cr_visit_get_id (visit));
  assert_last_audit (store, "create", record, patient_id);
  g_assert_cmpstr (cr_visit_get_created_by (visit), ==, "tester");

  /* Update the draft: every field, vitals included, reaches the row. */
  cr_visit_set_chief_complaint (visit, "Sore throat and fever");
  cr_visit_set_objective (visit, "Tonsillar exudate.");
  cr_visit_set_assessment (visit, "Pharyngitis");
  cr_visit_set_plan (visit, "Rapid strep test; fluids.");
  cr_visit_set_respiratory_rate (visit, 16);
  cr_visit_set_temperature_c (visit, 38.9);
  cr_visit_set_blood_pressure (visit, 0, 0);
  g_assert_true (cr_store_update_visit (store, visit, &error));
  g_assert_no_error (error);
  g_assert_cmpint (audit_count (store), ==, before + 2);
  assert_last_audit (store, "change", record, patient_id);

  loaded = cr_store_get_visit (store, cr_visit_get_id (visit), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cr_visit_get_chief_complaint (loaded), ==, "Sore throat and fever");
  g_assert_cmpstr (cr_visit_get_objective (loaded), ==, "Tonsillar exudate.");
  g_assert_cmpstr (cr_visit_get_plan (loaded), ==, "Rapid strep test; fluids.");
  g_assert_cmpfloat_with_epsilon (cr_visit_get_temperature_c (loaded), 38.9, 1e-9);
  g_assert_cmpint (cr_visit_get_respiratory_rate (loaded), ==, 16);
  g_assert_cmpint (cr_visit_get_pulse (loaded), ==, 88);
  g_assert_cmpint (cr_visit_get_bp_systolic (loaded), ==, CR_VITAL_NOT_RECORDED);
  g_assert_cmpfloat_with_epsilon (cr_visit_get_weight_kg (loaded), 71.5, 1e-9);
  g_assert_cmpint (cr_visit_get_status (loaded), ==, CR_VISIT_STATUS_DRAFT);
  sql = g_strdup_printf ("SELECT bp_systolic IS NULL FROM visits WHERE id = %" G_GINT64_FORMAT,
                         cr_visit_get_id (visit));
  g_assert_cmpint (query_int (store, sql), ==, 1);

  /* Amending a draft makes no sense: it is edited. */
  g_assert_cmpint (cr_store_amend_visit (store, cr_visit_get_id (visit), "typo", "x", &error), ==, 0);
  g_assert_error (error, CR_CHART_ERROR, CR_CHART_ERROR_STATE);
  g_clear_error (&error);

  /* Sign. */
  g_assert_true (cr_store_sign_visit (store, visit, &error));
  g_assert_no_error (error);
  g_assert_true (cr_visit_is_signed (visit));
  g_assert_cmpstr (cr_visit_get_signed_by (visit), ==, "tester");
  g_assert_nonnull (cr_visit_get_signed_at (visit));
  assert_last_audit (store, "sign", record, patient_id);

  /* After signing: the API refuses, in C, with a clear message… */
  before = audit_count (store);
  cr_visit_set_plan (visit, "Changed after signing");
  g_assert_false (cr_store_update_visit (store, visit, &error));
  g_assert_error (error, CR_STORE_ERROR, CR_STORE_ERROR_SIGNED);
  g_assert_nonnull (strstr (error->message, "signed by tester"));
  g_assert_nonnull (strstr (error->message, "amendment"));
  g_clear_error (&error);
  g_assert_false (cr_store_sign_visit (store, visit, &error));
  g_assert_error (error, CR_STORE_ERROR, CR_STORE_ERROR_SIGNED);
  g_clear_error (&error);
  g_assert_cmpint (cr_store_add_diagnosis (store, cr_visit_get_id (visit), "text", NULL,
                                           "Pharyngitis", TRUE, &error), ==, 0);
  g_assert_error (error, CR_STORE_ERROR, CR_STORE_ERROR_SIGNED);
  g_clear_error (&error);
  g_assert_cmpint (audit_count (store), ==, before);

  /* …and the trigger refuses a direct UPDATE through the connection. */
  g_free (sql);
  sql = g_strdup_printf ("UPDATE visits SET chief_complaint = 'tampered' WHERE id = %"
                         G_GINT64_FORMAT, cr_visit_get_id (visit));
  g_assert_cmpint (raw_exec (store, sql, &msg), ==, SQLITE_CONSTRAINT);
  g_assert_nonnull (strstr (msg, "signed visit cannot change"));
  g_free (sql);
  sql = g_strdup_printf ("SELECT chief_complaint FROM visits WHERE id = %" G_GINT64_FORMAT,
                         cr_visit_get_id (visit));
  complaint = query_text (store, sql);
  g_assert_cmpstr (complaint, ==, "Sore throat and fever");

  /* DELETE is refused by the table's trigger. */
  g_free (sql);
  g_clear_pointer (&msg, g_free);
  sql = g_strdup_printf ("DELETE FROM visits WHERE id = %" G_GINT64_FORMAT, cr_visit_get_id (visit));
  g_assert_cmpint (raw_exec (store, sql, &msg), ==, SQLITE_CONSTRAINT);
  g_assert_nonnull (strstr (msg, "never deleted"));
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM visits"), ==, 1);

  /* Amendments are appended and listed with the visit, oldest first. */
  amendment_id = cr_store_amend_visit (store, cr_visit_get_id (visit), "Result received",
                                       "Rapid strep test positive.", &error);
  g_assert_no_error (error);
  g_assert_cmpint (amendment_id, >, 0);
  assert_last_audit (store, "amend", "visit_amendments:", patient_id);
  g_assert_cmpint (cr_store_amend_visit (store, cr_visit_get_id (visit), "Correction",
                                         "Temperature was measured orally.", &error), >,
                   amendment_id);
  g_assert_no_error (error);
  g_assert_cmpint (cr_store_amend_visit (store, cr_visit_get_id (visit), "  ", "text", &error),
                   ==, 0);
  g_assert_error (error, CR_CHART_ERROR, CR_CHART_ERROR_REASON);
  g_clear_error (&error);

  again = cr_store_get_visit (store, cr_visit_get_id (visit), &error);
  g_assert_no_error (error);
  g_assert_true (cr_visit_is_signed (again));
  g_assert_cmpuint (g_list_model_get_n_items (cr_visit_get_amendments (again)), ==, 2);
  {
    g_autoptr(CrAmendment) first = g_list_model_get_item (cr_visit_get_amendments (again), 0);
    g_autoptr(CrAmendment) second = g_list_model_get_item (cr_visit_get_amendments (again), 1);

    g_assert_cmpstr (cr_amendment_get_reason (first), ==, "Result received");
    g_assert_cmpstr (cr_amendment_get_text (first), ==, "Rapid strep test positive.");
    g_assert_cmpstr (cr_amendment_get_created_by (first), ==, "tester");
    g_assert_cmpstr (cr_amendment_get_reason (second), ==, "Correction");
  }
  g_assert_cmpint (raw_exec (store, "UPDATE visit_amendments SET text = 'x'", NULL), ==,
                   SQLITE_CONSTRAINT);
  g_assert_cmpint (raw_exec (store, "DELETE FROM visit_amendments", NULL), ==, SQLITE_CONSTRAINT);

  /* A signed visit can still be marked entered in error: hidden from the
   * list, kept in the table. */
  g_assert_cmpint (cr_store_count_visits (store, patient_id, &error), ==, 1);
  g_assert_true (cr_store_mark_entered_in_error (store, CR_CLINICAL_KIND_VISIT,
                                                 cr_visit_get_id (visit), "Wrong patient", &error));
  g_assert_no_error (error);
  g_assert_cmpint (cr_store_count_visits (store, patient_id, &error), ==, 0);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM visits WHERE entered_in_error = 1"), ==, 1);
  g_clear_object (&again);
  again = cr_store_get_visit (store, cr_visit_get_id (visit), &error);
  g_assert_no_error (error);
  g_assert_true (cr_visit_get_entered_in_error (again));

  g_assert_finalize_object (g_steal_pointer (&again));
  g_assert_finalize_object (g_steal_pointer (&loaded));
  g_assert_finalize_object (g_steal_pointer (&visit));
}

typedef void (*VisitTweak) (CrVisit *visit);

static void bad_systolic (CrVisit *v) { cr_visit_set_blood_pressure (v, 320, 80); }
static void low_systolic (CrVisit *v) { cr_visit_set_blood_pressure (v, 40, 30); }
static void neg_systolic (CrVisit *v) { cr_visit_set_blood_pressure (v, -120, 80); }
static void inverted_bp (CrVisit *v) { cr_visit_set_blood_pressure (v, 120, 130); }
static void half_bp (CrVisit *v) { cr_visit_set_blood_pressure (v, 120, 0); }
static void bad_diastolic (CrVisit *v) { cr_visit_set_blood_pressure (v, 250, 210); }
static void bad_pulse (CrVisit *v) { cr_visit_set_pulse (v, 400); }
static void neg_pulse (CrVisit *v) { cr_visit_set_pulse (v, -60); }
static void bad_temp_f (CrVisit *v) { cr_visit_set_temperature_c (v, 98.6); }
static void bad_temp_low (CrVisit *v) { cr_visit_set_temperature_c (v, 25); }
static void bad_rr (CrVisit *v) { cr_visit_set_respiratory_rate (v, 90); }
static void bad_spo2 (CrVisit *v) { cr_visit_set_spo2 (v, 101); }
static void bad_weight (CrVisit *v) { cr_visit_set_weight_kg (v, 650); }
static void neg_weight (CrVisit *v) { cr_visit_set_weight_kg (v, -70); }
static void bad_height (CrVisit *v) { cr_visit_set_height_cm (v, 300); }
static void future_date (CrVisit *v) { cr_visit_set_started_at (v, "2999-01-01"); }
static void impossible_date (CrVisit *v) { cr_visit_set_started_at (v, "2023-02-30T10:00"); }
static void bad_time (CrVisit *v) { cr_visit_set_started_at (v, "2023-02-03T25:00"); }
static void no_date (CrVisit *v) { cr_visit_set_started_at (v, NULL); }
static void before_birth (CrVisit *v) { cr_visit_set_started_at (v, "1950-01-01"); }
static void not_utf8 (CrVisit *v) { cr_visit_set_chief_complaint (v, "fi\xe8vre"); }
static void too_long (CrVisit *v)
{
  g_autofree char *s = g_strnfill (501, 'a');
  cr_visit_set_chief_complaint (v, s);
}

static void
test_visit_validation (StoreFixture  *fixture,
                       gconstpointer  data)
{
  static const struct { VisitTweak tweak; int code; } cases[] = {
    { bad_systolic, CR_CHART_ERROR_BP_SYSTOLIC },
    { low_systolic, CR_CHART_ERROR_BP_SYSTOLIC },
    { neg_systolic, CR_CHART_ERROR_BP_SYSTOLIC },
    { inverted_bp, CR_CHART_ERROR_BP_DIASTOLIC },
    { half_bp, CR_CHART_ERROR_BP_DIASTOLIC },
    { bad_diastolic, CR_CHART_ERROR_BP_DIASTOLIC },
    { bad_pulse, CR_CHART_ERROR_PULSE },
    { neg_pulse, CR_CHART_ERROR_PULSE },
    { bad_temp_f, CR_CHART_ERROR_TEMPERATURE },
    { bad_temp_low, CR_CHART_ERROR_TEMPERATURE },
    { bad_rr, CR_CHART_ERROR_RESPIRATORY_RATE },
    { bad_spo2, CR_CHART_ERROR_SPO2 },
    { bad_weight, CR_CHART_ERROR_WEIGHT },
    { neg_weight, CR_CHART_ERROR_WEIGHT },
    { bad_height, CR_CHART_ERROR_HEIGHT },
    { future_date, CR_CHART_ERROR_STARTED_AT },
    { impossible_date, CR_CHART_ERROR_STARTED_AT },
    { bad_time, CR_CHART_ERROR_STARTED_AT },
    { no_date, CR_CHART_ERROR_STARTED_AT },
    { before_birth, CR_CHART_ERROR_STARTED_AT },
    { not_utf8, CR_CHART_ERROR_CHIEF_COMPLAINT },
    { too_long, CR_CHART_ERROR_CHIEF_COMPLAINT },
  };
  CrStore *store = fixture->store;
  g_autoptr(CrVisit) draft = NULL;
  gint64 patient_id = add_patient (store, "Brandt", "Ilse", "1958-11-02");
  gint64 before = audit_count (store);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(CrVisit) visit = cr_visit_new (patient_id);
      g_autoptr(GError) error = NULL;

      cr_visit_set_started_at (visit, "2024-05-06T11:00");
      cases[i].tweak (visit);
      g_assert_false (cr_store_create_visit (store, visit, &error));
      g_assert_error (error, CR_CHART_ERROR, cases[i].code);
      g_assert_cmpint (cr_visit_get_id (visit), ==, 0);
    }
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM visits"), ==, 0);
  g_assert_cmpint (audit_count (store), ==, before);

  /* The limits themselves are accepted. */
  {
    g_autoptr(CrVisit) visit = cr_visit_new (patient_id);
    g_autoptr(GError) error = NULL;

    cr_visit_set_started_at (visit, "2024-05-06");
    cr_visit_set_blood_pressure (visit, 300, 200);
    cr_visit_set_pulse (visit, 20);
    cr_visit_set_temperature_c (visit, 45);
    cr_visit_set_respiratory_rate (visit, 4);
    cr_visit_set_spo2 (visit, 50);
    cr_visit_set_weight_kg (visit, 0.3);
    cr_visit_set_height_cm (visit, 250);
    g_assert_true (cr_store_create_visit (store, visit, &error));
    g_assert_no_error (error);
  }

  /* An update is validated too, and leaves the row as it was. */
  draft = add_visit (store, patient_id, "2024-05-07T08:00", "Cough");
  cr_visit_set_spo2 (draft, 120);
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(CrVisit) row = NULL;

    g_assert_false (cr_store_update_visit (store, draft, &error));
    g_assert_error (error, CR_CHART_ERROR, CR_CHART_ERROR_SPO2);
    g_clear_error (&error);
    row = cr_store_get_visit (store, cr_visit_get_id (draft), &error);
    g_assert_cmpint (cr_visit_get_spo2 (row), ==, CR_VITAL_NOT_RECORDED);
  }
}

/* ---- diagnoses ------------------------------------------------------------ */

static void
test_diagnosis_primary (StoreFixture  *fixture,
                        gconstpointer  data)
{
  CrStore *store = fixture->store;
  g_autoptr(GError) error = NULL;
  g_autoptr(CrVisit) visit = NULL;
  g_autoptr(CrVisit) loaded = NULL;
  g_autofree char *sql = NULL;
  gint64 patient_id = add_patient (store, "Haddad", "Karim", "1975-01-20");
  gint64 d1, d2, d3;

  visit = add_visit (store, patient_id, "2024-02-01T10:00", "Headache and high blood pressure");
  d1 = cr_store_add_diagnosis (store, cr_visit_get_id (visit), "icd10cm", "R51.9", "Headache",
                               TRUE, &error);
  g_assert_no_error (error);
  d2 = cr_store_add_diagnosis (store, cr_visit_get_id (visit), "icd10cm", "I10",
                               "Essential hypertension", TRUE, &error);
  g_assert_no_error (error);
  d3 = cr_store_add_diagnosis (store, cr_visit_get_id (visit), "text", NULL, "Stress at work",
                               FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (d1, >, 0);
  g_assert_cmpint (d3, >, d2);

  sql = g_strdup_printf ("SELECT count(*) FROM visit_diagnoses WHERE visit_id = %" G_GINT64_FORMAT
                         " AND is_primary = 1", cr_visit_get_id (visit));
  g_assert_cmpint (query_int (store, sql), ==, 1);

  loaded = cr_store_get_visit (store, cr_visit_get_id (visit), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (cr_visit_get_diagnoses (loaded)), ==, 3);
  {
    g_autoptr(CrDiagnosis) first = g_list_model_get_item (cr_visit_get_diagnoses (loaded), 0);

    /* Primary first, stored without the dot. */
    g_assert_cmpint (cr_diagnosis_get_id (first), ==, d2);
    g_assert_true (cr_diagnosis_get_is_primary (first));
    g_assert_cmpstr (cr_diagnosis_get_code (first), ==, "I10");
  }
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM visit_diagnoses WHERE code = 'R519'"),
                   ==, 1);

  g_assert_true (cr_store_set_primary_diagnosis (store, d1, &error));
  g_assert_no_error (error);
  g_assert_cmpint (query_int (store, sql), ==, 1);
  g_assert_cmpint (query_int (store, "SELECT id FROM visit_diagnoses WHERE is_primary = 1"), ==, d1);

  /* The same code twice at one visit is refused. */
  g_assert_cmpint (cr_store_add_diagnosis (store, cr_visit_get_id (visit), "icd10cm", "i10",
                                           "Hypertension", FALSE, &error), ==, 0);
  g_assert_error (error, CR_CHART_ERROR, CR_CHART_ERROR_CODE);
  g_clear_error (&error);

  /* Empty description for a free-text diagnosis; a malformed ICD code. */
  g_assert_cmpint (cr_store_add_diagnosis (store, cr_visit_get_id (visit), "text", NULL, " ",
                                           FALSE, &error), ==, 0);
  g_assert_error (error, CR_CHART_ERROR, CR_CHART_ERROR_DISPLAY);
  g_clear_error (&error);
  g_assert_cmpint (cr_store_add_diagnosis (store, cr_visit_get_id (visit), "icd10cm", "headache",
                                           "Headache", FALSE, &error), ==, 0);
  g_assert_error (error, CR_CHART_ERROR, CR_CHART_ERROR_CODE);
  g_clear_error (&error);
  g_assert_cmpint (cr_store_add_diagnosis (store, 999999, "text", NULL, "x", FALSE, &error), ==, 0);
  g_assert_error (error, CR_STORE_ERROR, CR_STORE_ERROR_NOT_FOUND);
}

static void
test_diagnosis_icd10cm (StoreFixture  *fixture,
                        gconstpointer  data)
{
  CrStore *store = fixture->store;
  g_autoptr(GError) error = NULL;
  g_autoptr(CrVisit) visit = NULL;
  g_autoptr(CrVisit) loaded = NULL;
  gint64 patient_id, id;

  patient_id = add_patient (store, "Nguyen", "Thi", "1990-04-30");
  visit = add_visit (store, patient_id, "2024-09-12T14:15", "Sore throat");

  if (!load_icd10cm (store))
    return;

  /* A header code (category) cannot be assigned to a visit. */
  g_assert_cmpint (cr_store_add_diagnosis (store, cr_visit_get_id (visit), "icd10cm", "J02",
                                           "Acute pharyngitis", TRUE, &error), ==, 0);
  g_assert_error (error, CR_CHART_ERROR, CR_CHART_ERROR_CODE);
  g_assert_nonnull (strstr (error->message, "header code"));
  g_clear_error (&error);

  /* Unknown. */
  g_assert_cmpint (cr_store_add_diagnosis (store, cr_visit_get_id (visit), "icd10cm", "J02.99",
                                           "Pharyngitis", TRUE, &error), ==, 0);
  g_assert_error (error, CR_CHART_ERROR, CR_CHART_ERROR_CODE);
  g_assert_nonnull (strstr (error->message, "unknown"));
  g_clear_error (&error);

  /* Deleted in FY2026 (order file addenda). */
  g_assert_cmpint (cr_store_add_diagnosis (store, cr_visit_get_id (visit), "icd10cm", "S30.1XXA",
                                           NULL, FALSE, &error), ==, 0);
  g_assert_error (error, CR_CHART_ERROR, CR_CHART_ERROR_CODE);
  g_assert_nonnull (strstr (error->message, "no longer valid"));
  g_clear_error (&error);

  /* Billable, with a dot and in lower case: stored as CMS writes it, with
   * CMS's description when none is given. */
  id = cr_store_add_diagnosis (store, cr_visit_get_id (visit), "icd10cm", "j02.9", NULL, TRUE,
                               &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  loaded = cr_store_get_visit (store, cr_visit_get_id (visit), &error);
  g_assert_no_error (error);
  {
    g_autoptr(CrDiagnosis) d = g_list_model_get_item (cr_visit_get_diagnoses (loaded), 0);

    g_assert_cmpstr (cr_diagnosis_get_code (d), ==, "J029");
    g_assert_cmpstr (cr_diagnosis_get_display (d), ==, "Acute pharyngitis, unspecified");
    g_assert_cmpstr (cr_diagnosis_get_system (d), ==, "icd10cm");
  }

  /* Problems are checked against the code set too. */
  g_assert_cmpint (cr_store_add_problem (store, patient_id, "icd10cm", "E11", NULL, NULL, TRUE,
                                         &error), ==, 0);
  g_assert_error (error, CR_CHART_ERROR, CR_CHART_ERROR_CODE);
  g_clear_error (&error);
  g_assert_cmpint (cr_store_add_problem (store, patient_id, "icd10cm", "E11.9", NULL, "2015-06-01",
                                         TRUE, &error), >, 0);
  g_assert_no_error (error);
}

/* ---- entered in error, problems, allergies, prescriptions -------------- */

static void
test_entered_in_error (StoreFixture  *fixture,
                       gconstpointer  data)
{
  static const char * const tables[] = {
    "visits", "visit_diagnoses", "problems", "allergies", "prescriptions", "follow_ups",
  };
  CrStore *store = fixture->store;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(CrVisit) visit = NULL;
  CrPrescriptionInfo rx = { .drug = "Lisinopril", .strength = "10 mg", .form = "tablet" };
  gint64 patient_id, problem, allergy, wrong_allergy, prescription, follow_up, dx;

  patient_id = add_patient (store, "Moreau", "Lucie", "1949-12-24");
  visit = add_visit (store, patient_id, "2024-01-15T10:00", "Check-up");
  dx = cr_store_add_diagnosis (store, cr_visit_get_id (visit), "text", NULL, "Check-up", TRUE, &error);
  problem = cr_store_add_problem (store, patient_id, "text", NULL, "Hypertension", "2010-01-01",
                                  TRUE, &error);
  allergy = cr_store_add_allergy (store, patient_id, "Penicillin", "Hives",
                                  CR_ALLERGY_SEVERITY_MODERATE, &error);
  wrong_allergy = cr_store_add_allergy (store, patient_id, "Latex", NULL,
                                        CR_ALLERGY_SEVERITY_UNKNOWN, &error);
  prescription = cr_store_add_prescription (store, patient_id, 0, &rx, &error);
  follow_up = cr_store_add_follow_up (store, patient_id, 0, "2020-01-01", "Blood test", &error);
  g_assert_no_error (error);

  g_assert_true (cr_store_mark_entered_in_error (store, CR_CLINICAL_KIND_ALLERGY, wrong_allergy,
                                                 "Charted on the wrong patient", &error));
  g_assert_no_error (error);
  assert_last_audit (store, "change", "allergies:", patient_id);
  g_assert_true (cr_store_mark_entered_in_error (store, CR_CLINICAL_KIND_PROBLEM, problem,
                                                 "Duplicate", &error));
  g_assert_true (cr_store_mark_entered_in_error (store, CR_CLINICAL_KIND_PRESCRIPTION, prescription,
                                                 "Never dispensed", &error));
  g_assert_true (cr_store_mark_entered_in_error (store, CR_CLINICAL_KIND_FOLLOW_UP, follow_up,
                                                 "Booked twice", &error));
  g_assert_true (cr_store_mark_entered_in_error (store, CR_CLINICAL_KIND_DIAGNOSIS, dx,
                                                 "Not what was found", &error));
  g_assert_no_error (error);

  /* Hidden from the current lists… */
  list = cr_store_list_allergies (store, patient_id, &error);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpint (cr_allergy_get_id (g_ptr_array_index (list, 0)), ==, allergy);
  g_clear_pointer (&list, g_ptr_array_unref);
  list = cr_store_list_problems (store, patient_id, CR_PROBLEM_STATUS_ACTIVE, &error);
  g_assert_cmpuint (list->len, ==, 0);
  g_clear_pointer (&list, g_ptr_array_unref);
  list = cr_store_list_prescriptions (store, patient_id, TRUE, &error);
  g_assert_cmpuint (list->len, ==, 0);
  g_clear_pointer (&list, g_ptr_array_unref);
  list = cr_store_list_prescriptions (store, patient_id, FALSE, &error);
  g_assert_cmpuint (list->len, ==, 0);
  g_clear_pointer (&list, g_ptr_array_unref);
  list = cr_store_list_overdue_follow_ups (store, patient_id, &error);
  g_assert_cmpuint (list->len, ==, 0);
  g_clear_pointer (&list, g_ptr_array_unref);
  list = cr_store_list_visits (store, patient_id, 0, 10, &error);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (cr_visit_get_diagnoses (g_ptr_array_index (list, 0))),
                    ==, 0);

  /* …and kept. */
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM allergies"), ==, 2);
  g_assert_cmpint (query_int (store, "SELECT entered_in_error FROM problems"), ==, 1);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM prescriptions WHERE entered_in_error = 1"),
                   ==, 1);

  /* Twice is refused; so is an unknown row and a missing reason. */
  g_assert_false (cr_store_mark_entered_in_error (store, CR_CLINICAL_KIND_PROBLEM, problem, "Again",
                                                  &error));
  g_assert_error (error, CR_CHART_ERROR, CR_CHART_ERROR_STATE);
  g_clear_error (&error);
  g_assert_false (cr_store_mark_entered_in_error (store, CR_CLINICAL_KIND_OUTCOME, 4242, "No such",
                                                  &error));
  g_assert_error (error, CR_STORE_ERROR, CR_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (cr_store_mark_entered_in_error (store, CR_CLINICAL_KIND_ALLERGY, allergy, "",
                                                  &error));
  g_assert_error (error, CR_CHART_ERROR, CR_CHART_ERROR_REASON);
  g_clear_error (&error);

  /* DELETE is refused on every clinical table. */
  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    {
      g_autofree char *sql = g_strdup_printf ("DELETE FROM %s", tables[i]);
      g_autofree char *msg = NULL;

      g_assert_cmpint (raw_exec (store, sql, &msg), ==, SQLITE_CONSTRAINT);
      g_assert_nonnull (strstr (msg, "never deleted"));
    }
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM follow_ups"), ==, 1);
}

static void
test_problems_allergies (StoreFixture  *fixture,
                         gconstpointer  data)
{
  CrStore *store = fixture->store;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) active = NULL;
  g_autoptr(GPtrArray) resolved = NULL;
  g_autoptr(GPtrArray) allergies = NULL;
  g_autofree char *long_name = g_strnfill (201, 'x');
  gint64 patient_id, sprain, diabetes;

  patient_id = add_patient (store, "Kowalski", "Jan", "1955-03-03");
  sprain = cr_store_add_problem (store, patient_id, "text", NULL, "Ankle sprain", "2024-06-01",
                                 FALSE, &error);
  g_assert_no_error (error);
  diabetes = cr_store_add_problem (store, patient_id, "icd10cm", "E11.9",
                                   "Type 2 diabetes mellitus without complications", "2012-09-01",
                                   TRUE, &error);
  g_assert_no_error (error);

  active = cr_store_list_problems (store, patient_id, CR_PROBLEM_STATUS_ACTIVE, &error);
  g_assert_cmpuint (active->len, ==, 2);
  g_assert_cmpint (cr_problem_get_id (g_ptr_array_index (active, 0)), ==, diabetes);
  g_assert_true (cr_problem_get_chronic (g_ptr_array_index (active, 0)));
  g_assert_cmpstr (cr_problem_get_code (g_ptr_array_index (active, 0)), ==, "E119");

  g_assert_false (cr_store_resolve_problem (store, sprain, "2024-05-01", &error));
  g_assert_error (error, CR_CHART_ERROR, CR_CHART_ERROR_RESOLVED_DATE);
  g_clear_error (&error);
  g_assert_true (cr_store_resolve_problem (store, sprain, "2024-07-15", &error));
  g_assert_no_error (error);
  assert_last_audit (store, "change", "problems:", patient_id);
  g_assert_false (cr_store_resolve_problem (store, sprain, NULL, &error));
  g_assert_error (error, CR_CHART_ERROR, CR_CHART_ERROR_STATE);
  g_clear_error (&error);

  g_clear_pointer (&active, g_ptr_array_unref);
  active = cr_store_list_problems (store, patient_id, CR_PROBLEM_STATUS_ACTIVE, &error);
  resolved = cr_store_list_problems (store, patient_id, CR_PROBLEM_STATUS_RESOLVED, &error);
  g_assert_cmpuint (active->len, ==, 1);
  g_assert_cmpuint (resolved->len, ==, 1);
  g_assert_cmpstr (cr_problem_get_resolved_date (g_ptr_array_index (resolved, 0)), ==, "2024-07-15");
  g_assert_cmpint (cr_problem_get_status (g_ptr_array_index (resolved, 0)), ==,
                   CR_PROBLEM_STATUS_RESOLVED);

  g_assert_cmpint (cr_store_add_problem (store, patient_id, "text", NULL, "Future", "2999-01-01",
                                         FALSE, &error), ==, 0);
  g_assert_error (error, CR_CHART_ERROR, CR_CHART_ERROR_ONSET_DATE);
  g_clear_error (&error);
  g_assert_cmpint (cr_store_add_problem (store, patient_id, "text", NULL, "Bad", "2023-13-01",
                                         FALSE, &error), ==, 0);
  g_assert_error (error, CR_CHART_ERROR, CR_CHART_ERROR_ONSET_DATE);
  g_clear_error (&error);
  g_assert_cmpint (cr_store_add_problem (store, 987654, "text", NULL, "Nobody", NULL, FALSE, &error),
                   ==, 0);
  g_assert_error (error, CR_STORE_ERROR, CR_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_cmpint (cr_store_add_allergy (store, patient_id, "Sulfonamides", "Rash",
                                         CR_ALLERGY_SEVERITY_MILD, &error), >, 0);
  g_assert_cmpint (cr_store_add_allergy (store, patient_id, "Peanuts", "Anaphylaxis",
                                         CR_ALLERGY_SEVERITY_SEVERE, &error), >, 0);
  g_assert_no_error (error);
  g_assert_cmpint (cr_store_add_allergy (store, patient_id, "peanuts", NULL,
                                         CR_ALLERGY_SEVERITY_MILD, &error), ==, 0);
  g_assert_error (error, CR_CHART_ERROR, CR_CHART_ERROR_SUBSTANCE);
  g_clear_error (&error);
  g_assert_cmpint (cr_store_add_allergy (store, patient_id, "", NULL, CR_ALLERGY_SEVERITY_MILD,
                                         &error), ==, 0);
  g_assert_error (error, CR_CHART_ERROR, CR_CHART_ERROR_SUBSTANCE);
  g_clear_error (&error);
  g_assert_cmpint (cr_store_add_allergy (store, patient_id, long_name, NULL,
                                         CR_ALLERGY_SEVERITY_MILD, &error), ==, 0);
  g_assert_error (error, CR_CHART_ERROR, CR_CHART_ERROR_SUBSTANCE);
  g_clear_error (&error);
  g_assert_cmpint (cr_store_add_allergy (store, patient_id, "Codeine", "\xff\xfe",
                                         CR_ALLERGY_SEVERITY_MILD, &error), ==, 0);
  g_assert_error (error, CR_CHART_ERROR, CR_CHART_ERROR_REACTION);
  g_clear_error (&error);

  allergies = cr_store_list_allergies (store, patient_id, &error);
  g_assert_cmpuint (allergies->len, ==, 2);
  g_assert_cmpstr (cr_allergy_get_substance (g_ptr_array_index (allergies, 0)), ==, "Peanuts");
  g_assert_cmpint (cr_allergy_get_severity (g_ptr_array_index (allergies, 0)), ==,
                   CR_ALLERGY_SEVERITY_SEVERE);
}

static void
test_prescriptions (StoreFixture  *fixture,
                    gconstpointer  data)
{
  CrStore *store = fixture->store;
  g_autoptr(GError) error = NULL;
  g_autoptr(CrVisit) visit = NULL;
  g_autoptr(GPtrArray) current = NULL;
  g_autoptr(GPtrArray) past = NULL;
  g_autofree char *drug = NULL;
  g_autofree char *strength = NULL;
  CrPrescriptionInfo info = { 0, };
  gint64 patient_id, metformin, amox, renewed, before;

  find_orange_book_product ("METFORMIN HYDROCHLORIDE", "TABLET;ORAL", &drug, &strength);
  if (drug == NULL)
    {
      drug = g_strdup ("METFORMIN HYDROCHLORIDE");
      strength = g_strdup ("500MG");
    }

  patient_id = add_patient (store, "Silva", "Rafael", "1966-08-08");
  visit = add_visit (store, patient_id, "2024-04-02T09:00", "Diabetes review");

  info.drug = drug;
  info.strength = strength;
  info.form = "tablet";
  info.dose = "1 tablet";
  info.route = "oral";
  info.frequency = "twice daily";
  info.duration = "90 days";
  info.quantity = "180";
  info.refills = 3;
  info.instructions = "Take with meals.";
  /* The Orange Book appends Federal Register notes to some strengths:
   * longer than a strength may be, and refused as such. */
  if (g_utf8_strlen (strength, -1) > 100)
    {
      char *note = strstr (strength, " **");

      g_assert_cmpint (cr_store_add_prescription (store, patient_id, cr_visit_get_id (visit), &info,
                                                  &error), ==, 0);
      g_assert_error (error, CR_CHART_ERROR, CR_CHART_ERROR_STRENGTH);
      g_clear_error (&error);
      g_assert_nonnull (note);
      *note = '\0';
    }
  metformin = cr_store_add_prescription (store, patient_id, cr_visit_get_id (visit), &info, &error);
  g_assert_no_error (error);
  assert_last_audit (store, "create", "prescriptions:", patient_id);

  memset (&info, 0, sizeof info);
  info.drug = "Amoxicillin";
  info.strength = "500 mg";
  info.start_date = "2024-03-01";
  amox = cr_store_add_prescription (store, patient_id, 0, &info, &error);
  g_assert_no_error (error);

  /* Field checks. */
  info.refills = 100;
  g_assert_cmpint (cr_store_add_prescription (store, patient_id, 0, &info, &error), ==, 0);
  g_assert_error (error, CR_CHART_ERROR, CR_CHART_ERROR_REFILLS);
  g_clear_error (&error);
  info.refills = 0;
  info.drug = "   ";
  g_assert_cmpint (cr_store_add_prescription (store, patient_id, 0, &info, &error), ==, 0);
  g_assert_error (error, CR_CHART_ERROR, CR_CHART_ERROR_DRUG);
  g_clear_error (&error);
  info.drug = "Amoxicillin";
  info.start_date = "2024-02-30";
  g_assert_cmpint (cr_store_add_prescription (store, patient_id, 0, &info, &error), ==, 0);
  g_assert_error (error, CR_CHART_ERROR, CR_CHART_ERROR_START_DATE);
  g_clear_error (&error);

  /* The start defaults to the visit's date. */
  current = cr_store_list_prescriptions (store, patient_id, TRUE, &error);
  g_assert_cmpuint (current->len, ==, 2);
  {
    CrPrescription *first = g_ptr_array_index (current, 0);

    g_assert_cmpint (cr_prescription_get_id (first), ==, amox);
    first = g_ptr_array_index (current, 1);
    g_assert_cmpint (cr_prescription_get_id (first), ==, metformin);
    g_assert_cmpstr (cr_prescription_get_start_date (first), ==, "2024-04-02");
    g_assert_cmpint (cr_prescription_get_visit_id (first), ==, cr_visit_get_id (visit));
    g_assert_cmpint (cr_prescription_get_refills (first), ==, 3);
    g_assert_cmpstr (cr_prescription_get_prescriber (first), ==, "tester");
    g_assert_cmpstr (cr_prescription_get_instructions (first), ==, "Take with meals.");
  }
  g_clear_pointer (&current, g_ptr_array_unref);

  /* Stop with a reason. */
  g_assert_false (cr_store_stop_prescription (store, amox, "2024-03-10", NULL, &error));
  g_assert_error (error, CR_CHART_ERROR, CR_CHART_ERROR_STOP_REASON);
  g_clear_error (&error);
  g_assert_false (cr_store_stop_prescription (store, amox, "2024-02-10", "Done", &error));
  g_assert_error (error, CR_CHART_ERROR, CR_CHART_ERROR_STOP_DATE);
  g_clear_error (&error);
  g_assert_true (cr_store_stop_prescription (store, amox, "2024-03-10", "Course completed", &error));
  g_assert_no_error (error);
  g_assert_false (cr_store_stop_prescription (store, amox, NULL, "Again", &error));
  g_assert_error (error, CR_CHART_ERROR, CR_CHART_ERROR_STATE);
  g_clear_error (&error);

  /* Renew: a new row copying the old, which stops ("renewed"). */
  before = audit_count (store);
  renewed = cr_store_renew_prescription (store, metformin, 0, "2024-07-01", &error);
  g_assert_no_error (error);
  g_assert_cmpint (renewed, >, metformin);
  g_assert_cmpint (audit_count (store), ==, before + 2);
  g_assert_cmpint (cr_store_renew_prescription (store, metformin, 0, "2024-01-01", &error), ==, 0);
  g_assert_error (error, CR_CHART_ERROR, CR_CHART_ERROR_START_DATE);
  g_clear_error (&error);

  current = cr_store_list_prescriptions (store, patient_id, TRUE, &error);
  past = cr_store_list_prescriptions (store, patient_id, FALSE, &error);
  g_assert_cmpuint (current->len, ==, 1);
  g_assert_cmpuint (past->len, ==, 2);
  {
    CrPrescription *r = g_ptr_array_index (current, 0);
    CrPrescription *old = g_ptr_array_index (past, 0);
    g_autofree char *label = cr_prescription_dup_label (r);
    g_autofree char *expected = g_strdup_printf ("%s %s tablet", drug, strength);

    g_assert_cmpint (cr_prescription_get_id (r), ==, renewed);
    g_assert_cmpstr (cr_prescription_get_start_date (r), ==, "2024-07-01");
    g_assert_cmpstr (cr_prescription_get_frequency (r), ==, "twice daily");
    g_assert_cmpint (cr_prescription_get_refills (r), ==, 3);
    g_assert_cmpint (cr_prescription_get_visit_id (r), ==, 0);
    g_assert_cmpstr (label, ==, expected);
    g_assert_cmpint (cr_prescription_get_id (old), ==, metformin);
    g_assert_cmpstr (cr_prescription_get_stop_date (old), ==, "2024-07-01");
    g_assert_cmpstr (cr_prescription_get_stop_reason (old), ==, "renewed");
  }

  /* Nothing is prescribed at a signed visit. */
  g_assert_true (cr_store_sign_visit (store, visit, &error));
  info.start_date = NULL;
  g_assert_cmpint (cr_store_add_prescription (store, patient_id, cr_visit_get_id (visit), &info,
                                              &error), ==, 0);
  g_assert_error (error, CR_STORE_ERROR, CR_STORE_ERROR_SIGNED);
}

/* ---- outcomes and follow-ups --------------------------------------------- */

static void
test_outcomes_follow_ups (StoreFixture  *fixture,
                          gconstpointer  data)
{
  CrStore *store = fixture->store;
  g_autoptr(GError) error = NULL;
  g_autoptr(CrVisit) first = NULL;
  g_autoptr(CrVisit) second = NULL;
  g_autoptr(CrVisit) loaded = NULL;
  g_autoptr(GPtrArray) outcomes = NULL;
  g_autoptr(GPtrArray) overdue = NULL;
  g_autoptr(GPtrArray) practice = NULL;
  CrPrescriptionInfo info = { .drug = "Amoxicillin", .strength = "500 mg", .form = "capsule" };
  gint64 patient_id, other_id, dx, rx, o1, o2, f_old, f_done, f_later;
  GDate next_year;
  g_autofree char *next_year_iso = NULL;

  patient_id = add_patient (store, "Adeyemi", "Tunde", "1980-02-29");
  other_id = add_patient (store, "Other", "Person", "1970-01-01");
  first = add_visit (store, patient_id, "2024-01-10T10:00", "Sore throat");
  dx = cr_store_add_diagnosis (store, cr_visit_get_id (first), "icd10cm", "J02.9",
                               "Acute pharyngitis, unspecified", TRUE, &error);
  rx = cr_store_add_prescription (store, patient_id, cr_visit_get_id (first), &info, &error);
  g_assert_no_error (error);
  g_assert_true (cr_store_sign_visit (store, first, &error));

  second = add_visit (store, patient_id, "2024-01-20T10:00", "Follow-up: throat");

  /* Exactly one target; an earlier visit's; the same patient's. */
  g_assert_cmpint (cr_store_record_outcome (store, cr_visit_get_id (second), 0, 0,
                                            CR_OUTCOME_RESULT_RESOLVED, NULL, &error), ==, 0);
  g_assert_error (error, CR_CHART_ERROR, CR_CHART_ERROR_OUTCOME_TARGET);
  g_clear_error (&error);
  g_assert_cmpint (cr_store_record_outcome (store, cr_visit_get_id (second), dx, rx,
                                            CR_OUTCOME_RESULT_RESOLVED, NULL, &error), ==, 0);
  g_assert_error (error, CR_CHART_ERROR, CR_CHART_ERROR_OUTCOME_TARGET);
  g_clear_error (&error);
  {
    g_autoptr(CrVisit) others = add_visit (store, other_id, "2024-02-01", "Unrelated");

    g_assert_cmpint (cr_store_record_outcome (store, cr_visit_get_id (others), dx, 0,
                                              CR_OUTCOME_RESULT_RESOLVED, NULL, &error), ==, 0);
    g_assert_error (error, CR_CHART_ERROR, CR_CHART_ERROR_OUTCOME_TARGET);
    g_clear_error (&error);
  }
  /* At the signed first visit: refused, it is signed. */
  g_assert_cmpint (cr_store_record_outcome (store, cr_visit_get_id (first), dx, 0,
                                            CR_OUTCOME_RESULT_RESOLVED, NULL, &error), ==, 0);
  g_assert_error (error, CR_STORE_ERROR, CR_STORE_ERROR_SIGNED);
  g_clear_error (&error);

  o1 = cr_store_record_outcome (store, cr_visit_get_id (second), dx, 0, CR_OUTCOME_RESULT_RESOLVED,
                                "Throat normal.", &error);
  g_assert_no_error (error);
  assert_last_audit (store, "create", "outcomes:", patient_id);
  o2 = cr_store_record_outcome (store, cr_visit_get_id (second), 0, rx,
                                CR_OUTCOME_RESULT_ADVERSE_EFFECT, "Rash on day 5.", &error);
  g_assert_no_error (error);

  outcomes = cr_store_list_outcomes (store, patient_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (outcomes->len, ==, 2);
  {
    CrOutcome *a = g_ptr_array_index (outcomes, 0);
    CrOutcome *b = g_ptr_array_index (outcomes, 1);

    g_assert_cmpint (cr_outcome_get_id (a), ==, o2);
    g_assert_cmpint (cr_outcome_get_result (a), ==, CR_OUTCOME_RESULT_ADVERSE_EFFECT);
    g_assert_cmpstr (cr_outcome_get_refers_to (a), ==, "Amoxicillin 500 mg");
    g_assert_cmpstr (cr_outcome_get_refers_to_date (a), ==, "2024-01-10");
    g_assert_cmpstr (cr_outcome_get_visit_date (a), ==, "2024-01-20");
    g_assert_cmpint (cr_outcome_get_id (b), ==, o1);
    g_assert_cmpstr (cr_outcome_get_refers_to (b), ==, "J02.9 Acute pharyngitis, unspecified");
    g_assert_cmpstr (cr_outcome_get_note (b), ==, "Throat normal.");
    g_assert_cmpstr (cr_outcome_result_to_string (cr_outcome_get_result (a)), ==, "adverse-effect");
  }

  /* The diagnosis knows how it turned out; the second visit lists both. */
  loaded = cr_store_get_visit (store, cr_visit_get_id (first), &error);
  {
    g_autoptr(CrDiagnosis) d = g_list_model_get_item (cr_visit_get_diagnoses (loaded), 0);
    g_assert_cmpstr (cr_diagnosis_get_latest_outcome (d), ==, "resolved");
  }
  g_clear_object (&loaded);
  loaded = cr_store_get_visit (store, cr_visit_get_id (second), &error);
  g_assert_cmpuint (g_list_model_get_n_items (cr_visit_get_outcomes (loaded)), ==, 2);
  g_assert_cmpint (raw_exec (store, "DELETE FROM outcomes", NULL), ==, SQLITE_CONSTRAINT);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM outcomes"), ==, 2);

  /* Follow-ups: one overdue, one done, one next year. */
  cr_date_set_today (&next_year);
  g_date_add_years (&next_year, 1);
  next_year_iso = cr_date_to_iso (&next_year);
  f_old = cr_store_add_follow_up (store, patient_id, cr_visit_get_id (first), "2024-02-10",
                                  "Recheck throat", &error);
  f_done = cr_store_add_follow_up (store, patient_id, 0, "2024-03-01", "Lab results", &error);
  f_later = cr_store_add_follow_up (store, patient_id, cr_visit_get_id (second), next_year_iso,
                                    "Annual physical", &error);
  g_assert_no_error (error);
  g_assert_cmpint (f_later, >, 0);
  g_assert_cmpint (cr_store_add_follow_up (store, other_id, 0, "2023-05-05", "Other's recall",
                                           &error), >, 0);
  g_assert_cmpint (cr_store_add_follow_up (store, patient_id, 0, "2024-02-31", NULL, &error), ==, 0);
  g_assert_error (error, CR_CHART_ERROR, CR_CHART_ERROR_DUE_DATE);
  g_clear_error (&error);
  g_assert_cmpint (cr_store_add_follow_up (store, patient_id, 0, "2099-01-01", NULL, &error), ==, 0);
  g_assert_error (error, CR_CHART_ERROR, CR_CHART_ERROR_DUE_DATE);
  g_clear_error (&error);
  g_assert_cmpint (cr_store_add_follow_up (store, patient_id, 999999, "2024-05-05", NULL, &error),
                   ==, 0);
  g_assert_error (error, CR_STORE_ERROR, CR_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_true (cr_store_complete_follow_up (store, f_done, &error));
  g_assert_no_error (error);
  assert_last_audit (store, "change", "follow_ups:", patient_id);
  g_assert_false (cr_store_complete_follow_up (store, f_done, &error));
  g_assert_error (error, CR_CHART_ERROR, CR_CHART_ERROR_STATE);
  g_clear_error (&error);

  overdue = cr_store_list_overdue_follow_ups (store, patient_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (overdue->len, ==, 1);
  g_assert_cmpint (cr_follow_up_get_id (g_ptr_array_index (overdue, 0)), ==, f_old);
  g_assert_cmpstr (cr_follow_up_get_reason (g_ptr_array_index (overdue, 0)), ==, "Recheck throat");
  g_assert_false (cr_follow_up_get_done (g_ptr_array_index (overdue, 0)));

  /* The practice's recall list: both patients, longest overdue first. */
  practice = cr_store_list_overdue_follow_ups (store, 0, &error);
  g_assert_cmpuint (practice->len, ==, 2);
  g_assert_cmpint (cr_follow_up_get_patient_id (g_ptr_array_index (practice, 0)), ==, other_id);
  g_assert_cmpint (cr_follow_up_get_id (g_ptr_array_index (practice, 1)), ==, f_old);
}

/* ---- the chart summary --------------------------------------------------- */

static void
summary_ready (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  CrChartSummary **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = cr_store_load_chart_summary_finish (CR_STORE (source), result, &error);
  g_assert_no_error (error);
}

static void
test_summary (StoreFixture  *fixture,
              gconstpointer  data)
{
  CrStore *store = fixture->store;
  g_autoptr(GError) error = NULL;
  g_autoptr(CrChartSummary) summary = NULL;
  g_autoptr(CrChartSummary) async_summary = NULL;
  CrPrescriptionInfo lisinopril = { .drug = "Lisinopril", .strength = "10 mg", .form = "tablet",
                                    .start_date = "2019-01-01" };
  CrPrescriptionInfo ibuprofen = { .drug = "Ibuprofen", .strength = "400 mg",
                                   .start_date = "2023-01-01" };
  CrPrescriptionInfo atorvastatin = { .drug = "Atorvastatin", .strength = "20 mg",
                                      .start_date = "2020-05-01" };
  const char *dates[] = { "2023-01-05", "2023-03-10", "2023-06-01", "2023-09-15", "2024-01-20",
                          "2024-04-02", "2024-06-30" };
  gint64 patient_id, other_id, dx_first = 0, ibu;
  GListModel *list;

  patient_id = add_patient (store, "Lindqvist", "Astrid", "1948-05-17");
  other_id = add_patient (store, "Noise", "Other", "1990-01-01");

  g_assert_cmpint (cr_store_add_problem (store, patient_id, "text", NULL, "Seasonal rhinitis",
                                         "2021-04-01", FALSE, &error), >, 0);
  g_assert_cmpint (cr_store_add_problem (store, patient_id, "icd10cm", "I10",
                                         "Essential (primary) hypertension", "2018-11-01", TRUE,
                                         &error), >, 0);
  {
    gint64 old = cr_store_add_problem (store, patient_id, "text", NULL, "Fractured wrist",
                                       "2019-02-01", FALSE, &error);
    g_assert_true (cr_store_resolve_problem (store, old, "2019-05-01", &error));
  }
  g_assert_cmpint (cr_store_add_allergy (store, patient_id, "Aspirin", "Wheezing",
                                         CR_ALLERGY_SEVERITY_SEVERE, &error), >, 0);
  g_assert_cmpint (cr_store_add_allergy (store, patient_id, "Adhesive tape", "Redness",
                                         CR_ALLERGY_SEVERITY_MILD, &error), >, 0);
  g_assert_cmpint (cr_store_add_prescription (store, patient_id, 0, &lisinopril, &error), >, 0);
  g_assert_cmpint (cr_store_add_prescription (store, patient_id, 0, &atorvastatin, &error), >, 0);
  ibu = cr_store_add_prescription (store, patient_id, 0, &ibuprofen, &error);
  g_assert_true (cr_store_stop_prescription (store, ibu, "2023-02-01", "Stomach upset", &error));
  g_assert_no_error (error);
  /* The other patient's rows must not leak in. */
  g_assert_cmpint (cr_store_add_allergy (store, other_id, "Shellfish", NULL,
                                         CR_ALLERGY_SEVERITY_MILD, &error), >, 0);

  for (guint i = 0; i < G_N_ELEMENTS (dates); i++)
    {
      g_autofree char *complaint = g_strdup_printf ("Visit %u", i + 1);
      g_autoptr(CrVisit) visit = add_visit (store, patient_id, dates[i], complaint);
      gint64 dx = cr_store_add_diagnosis (store, cr_visit_get_id (visit), "icd10cm", "I10",
                                          "Essential (primary) hypertension", TRUE, &error);

      g_assert_no_error (error);
      if (i == 0)
        dx_first = dx;
      if (i == G_N_ELEMENTS (dates) - 1)
        g_assert_cmpint (cr_store_record_outcome (store, cr_visit_get_id (visit), dx_first, 0,
                                                  CR_OUTCOME_RESULT_IMPROVED, "BP 132/84", &error),
                         >, 0);
      else
        g_assert_true (cr_store_sign_visit (store, visit, &error));
      g_assert_no_error (error);
    }
  g_assert_cmpint (cr_store_add_follow_up (store, patient_id, 0, "2024-08-01", "BP check", &error),
                   >, 0);

  summary = cr_store_load_chart_summary (store, patient_id, 5, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cr_patient_get_family_name (cr_chart_summary_get_patient (summary)), ==,
                   "Lindqvist");

  list = cr_chart_summary_get_problems (summary);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 2);
  {
    g_autoptr(CrProblem) p = g_list_model_get_item (list, 0);
    g_assert_cmpstr (cr_problem_get_display (p), ==, "Essential (primary) hypertension");
  }

  list = cr_chart_summary_get_allergies (summary);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 2);
  {
    g_autoptr(CrAllergy) a = g_list_model_get_item (list, 0);
    g_assert_cmpstr (cr_allergy_get_substance (a), ==, "Aspirin");
  }

  list = cr_chart_summary_get_medications (summary);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 2);
  {
    g_autoptr(CrPrescription) r = g_list_model_get_item (list, 0);
    g_assert_cmpstr (cr_prescription_get_drug (r), ==, "Atorvastatin");
  }

  g_assert_cmpint (cr_chart_summary_get_visit_count (summary), ==, 7);
  list = cr_chart_summary_get_visits (summary);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 5);
  {
    g_autoptr(CrVisit) newest = g_list_model_get_item (list, 0);
    g_autoptr(CrVisit) oldest_shown = g_list_model_get_item (list, 4);
    g_autoptr(CrDiagnosis) d = g_list_model_get_item (cr_visit_get_diagnoses (newest), 0);
    g_autoptr(CrOutcome) o = g_list_model_get_item (cr_visit_get_outcomes (newest), 0);

    g_assert_cmpstr (cr_visit_get_started_at (newest), ==, "2024-06-30");
    g_assert_false (cr_visit_is_signed (newest));
    g_assert_cmpstr (cr_visit_get_started_at (oldest_shown), ==, "2023-06-01");
    g_assert_true (cr_visit_is_signed (oldest_shown));
    g_assert_cmpstr (cr_diagnosis_get_code (d), ==, "I10");
    g_assert_cmpuint (g_list_model_get_n_items (cr_visit_get_outcomes (newest)), ==, 1);
    g_assert_cmpint (cr_outcome_get_result (o), ==, CR_OUTCOME_RESULT_IMPROVED);
    g_assert_cmpstr (cr_outcome_get_refers_to_date (o), ==, "2023-01-05");
    g_assert_cmpuint (g_list_model_get_n_items (cr_visit_get_outcomes (oldest_shown)), ==, 0);
  }

  list = cr_chart_summary_get_follow_ups (summary);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 1);

  /* Paging the visit list: the last page holds the two oldest. */
  {
    g_autoptr(GPtrArray) page = cr_store_list_visits (store, patient_id, 5, 5, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (page->len, ==, 2);
    g_assert_cmpstr (cr_visit_get_started_at (g_ptr_array_index (page, 1)), ==, "2023-01-05");
    g_assert_cmpuint (g_list_model_get_n_items (
                        cr_visit_get_diagnoses (g_ptr_array_index (page, 1))), ==, 1);
  }

  /* The same off the main loop. */
  cr_store_load_chart_summary_async (store, patient_id, 3, NULL, summary_ready, &async_summary);
  while (async_summary == NULL)
    g_main_context_iteration (NULL, TRUE);
  /* The worker thread drops its reference to the task (and so to the
   * store) just after the callback ran. */
  for (guint i = 0; i < 5000 && G_OBJECT (store)->ref_count > 1; i++)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  g_assert_cmpuint (g_list_model_get_n_items (cr_chart_summary_get_visits (async_summary)), ==, 3);

  /* An unknown patient. */
  g_assert_null (cr_store_load_chart_summary (store, 424242, 5, &error));
  g_assert_error (error, CR_STORE_ERROR, CR_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_finalize_object (g_steal_pointer (&summary));
  g_assert_finalize_object (g_steal_pointer (&async_summary));
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/* 500 visits, 1,000 diagnoses, outcomes and prescriptions, written by SQL
 * in one transaction; then the chart summary is timed. */
static void
test_summary_500_visits (StoreFixture  *fixture,
                         gconstpointer  data)
{
  CrStore *store = fixture->store;
  sqlite3 *db = _cr_store_get_db (store);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) page = NULL;
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *plan = NULL;
  gint64 patient_id;
  int rc;

  patient_id = add_patient (store, "Longhistory", "Harold", "1940-01-01");
  /* Other patients' visits around his, so the index has work to do. */
  for (guint i = 0; i < 20; i++)
    add_patient (store, "Filler", "Person", NULL);

  g_assert_cmpint (sqlite3_exec (db, "BEGIN", NULL, NULL, NULL), ==, SQLITE_OK);
  for (guint p = 1; p <= 21; p++)
    for (guint i = 0; i < (p == 1 ? 500u : 60u); i++)
      {
        g_autofree char *sql = g_strdup_printf (
          "INSERT INTO visits (patient_id, started_at, chief_complaint, bp_systolic, bp_diastolic,"
          " status, signed_by, signed_at, created_at, created_by, updated_at, updated_by)"
          " VALUES (%u, date('2024-12-31', '-%u days') || 'T09:00', 'Complaint %u', 130, 80,"
          " 'signed', 'dr', 'now', 'now', 'dr', 'now', 'dr');"
          "INSERT INTO visit_diagnoses (visit_id, system, code, display, is_primary, created_at,"
          " created_by, updated_at, updated_by) VALUES (last_insert_rowid(), 'icd10cm', 'I10',"
          " 'Essential (primary) hypertension', 1, 'now', 'dr', 'now', 'dr');"
          "INSERT INTO visit_diagnoses (visit_id, system, code, display, is_primary, created_at,"
          " created_by, updated_at, updated_by) SELECT visit_id, 'icd10cm', 'E119', 'Type 2 diabetes',"
          " 0, 'now', 'dr', 'now', 'dr' FROM visit_diagnoses WHERE id = last_insert_rowid();"
          "INSERT INTO outcomes (patient_id, visit_id, diagnosis_id, result, created_at, created_by,"
          " updated_at, updated_by) SELECT %u, visit_id, id, 'improved', 'now', 'dr', 'now', 'dr'"
          " FROM visit_diagnoses WHERE id = last_insert_rowid();"
          "INSERT INTO prescriptions (patient_id, visit_id, drug, start_date, stop_date, created_at,"
          " created_by, updated_at, updated_by) SELECT %u, visit_id, 'Metformin', '2020-01-01',"
          " CASE WHEN %u < 495 THEN '2021-01-01' END, 'now', 'dr', 'now', 'dr' FROM outcomes"
          " WHERE id = last_insert_rowid();",
          p, i * 5 + p, i, p, p, i);

        rc = sqlite3_exec (db, sql, NULL, NULL, NULL);
        if (rc != SQLITE_OK)
          g_error ("%s", sqlite3_errmsg (db));
      }
  g_assert_cmpint (sqlite3_exec (db, "COMMIT", NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (cr_store_count_visits (store, patient_id, &error), ==, 500);

  /* The visit list walks the visits_patient index, no sort step. */
  {
    sqlite3_stmt *stmt = NULL;
    GString *s = g_string_new (NULL);

    g_assert_cmpint (sqlite3_prepare_v2 (db,
                                         "EXPLAIN QUERY PLAN SELECT id FROM visits"
                                         " WHERE patient_id = 1 AND entered_in_error = 0"
                                         " ORDER BY started_at DESC, id DESC LIMIT 5",
                                         -1, &stmt, NULL), ==, SQLITE_OK);
    while (sqlite3_step (stmt) == SQLITE_ROW)
      g_string_append_printf (s, "%s\n", sqlite3_column_text (stmt, 3));
    sqlite3_finalize (stmt);
    plan = g_string_free (s, FALSE);
  }
  g_test_message ("visit page plan: %s", plan);
  g_assert_nonnull (strstr (plan, "visits_patient"));
  g_assert_null (strstr (plan, "TEMP B-TREE"));

  for (guint run = 0; run < 7; run++)
    {
      g_autoptr(CrChartSummary) summary = NULL;
      gint64 start = g_get_monotonic_time ();
      double ms;

      summary = cr_store_load_chart_summary (store, patient_id, 10, &error);
      ms = (g_get_monotonic_time () - start) / 1000.0;
      g_assert_no_error (error);
      g_array_append_val (times, ms);
      g_assert_cmpint (cr_chart_summary_get_visit_count (summary), ==, 500);
      g_assert_cmpuint (g_list_model_get_n_items (cr_chart_summary_get_visits (summary)), ==, 10);
      g_assert_cmpuint (g_list_model_get_n_items (cr_chart_summary_get_medications (summary)), ==, 5);
      {
        g_autoptr(CrVisit) newest = g_list_model_get_item (cr_chart_summary_get_visits (summary), 0);
        g_autoptr(CrDiagnosis) d = g_list_model_get_item (cr_visit_get_diagnoses (newest), 1);

        g_assert_cmpuint (g_list_model_get_n_items (cr_visit_get_diagnoses (newest)), ==, 2);
        g_assert_cmpstr (cr_diagnosis_get_latest_outcome (d), ==, "improved");
      }
    }
  g_array_sort (times, compare_doubles);
  g_test_message ("chart summary, 500 visits: median %.2f ms, max %.2f ms",
                  g_array_index (times, double, 3), g_array_index (times, double, 6));
  g_printerr ("# chart summary, 500 visits: median %.2f ms, max %.2f ms\n",
              g_array_index (times, double, 3), g_array_index (times, double, 6));
  /* The budget (50 ms) is the benchmark's; this only catches a blunder. */
  g_assert_cmpfloat (g_array_index (times, double, 3), <, 500);

  /* The last page of 500. */
  page = cr_store_list_visits (store, patient_id, 490, 20, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->len, ==, 10);
}

/* ---- the audit trail --------------------------------------------------- */

static void
test_audit (StoreFixture  *fixture,
            gconstpointer  data)
{
  CrStore *store = fixture->store;
  g_autoptr(GError) error = NULL;
  g_autoptr(CrVisit) visit = NULL;
  g_autoptr(GListModel) trail = NULL;
  g_autofree char *msg = NULL;
  CrPrescriptionInfo info = { .drug = "Cetirizine", .strength = "10 mg" };
  gint64 patient_id, before, n_entries = 0, broken = 0, dx, rx, fu;
  guint n_views = 0;

  patient_id = add_patient (store, "Audit", "Ada", "1970-07-07");

  /* Each change adds exactly one entry. */
  before = audit_count (store);
  visit = add_visit (store, patient_id, "2024-03-03T08:00", "Hay fever");
  g_assert_cmpint (audit_count (store), ==, ++before);
  cr_visit_set_plan (visit, "Antihistamine");
  g_assert_true (cr_store_update_visit (store, visit, &error));
  g_assert_cmpint (audit_count (store), ==, ++before);
  dx = cr_store_add_diagnosis (store, cr_visit_get_id (visit), "icd10cm", "J30.2",
                               "Other seasonal allergic rhinitis", TRUE, &error);
  g_assert_cmpint (audit_count (store), ==, ++before);
  g_assert_true (cr_store_set_primary_diagnosis (store, dx, &error));
  g_assert_cmpint (audit_count (store), ==, ++before);
  rx = cr_store_add_prescription (store, patient_id, cr_visit_get_id (visit), &info, &error);
  g_assert_cmpint (audit_count (store), ==, ++before);
  g_assert_cmpint (cr_store_add_allergy (store, patient_id, "Pollen", NULL,
                                         CR_ALLERGY_SEVERITY_MILD, &error), >, 0);
  g_assert_cmpint (audit_count (store), ==, ++before);
  fu = cr_store_add_follow_up (store, patient_id, cr_visit_get_id (visit), "2024-04-03", NULL, &error);
  g_assert_cmpint (audit_count (store), ==, ++before);
  g_assert_true (cr_store_sign_visit (store, visit, &error));
  g_assert_cmpint (audit_count (store), ==, ++before);
  g_assert_cmpint (cr_store_amend_visit (store, cr_visit_get_id (visit), "Addendum", "Eyes too.",
                                         &error), >, 0);
  g_assert_cmpint (audit_count (store), ==, ++before);
  g_assert_true (cr_store_stop_prescription (store, rx, "2024-03-20", "Symptoms gone", &error));
  g_assert_cmpint (audit_count (store), ==, ++before);
  g_assert_true (cr_store_complete_follow_up (store, fu, &error));
  g_assert_cmpint (audit_count (store), ==, ++before);
  g_assert_true (cr_store_note_chart_viewed (store, patient_id, &error));
  g_assert_cmpint (audit_count (store), ==, ++before);
  g_assert_no_error (error);

  /* A refused change writes nothing. */
  g_assert_false (cr_store_update_visit (store, visit, &error));
  g_clear_error (&error);
  g_assert_cmpint (audit_count (store), ==, before);

  trail = cr_store_list_audit (store, patient_id, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < g_list_model_get_n_items (trail); i++)
    {
      g_autoptr(CrAuditEntry) e = g_list_model_get_item (trail, i);

      g_assert_cmpint (cr_audit_entry_get_patient_id (e), ==, patient_id);
      g_assert_nonnull (strchr (cr_audit_entry_get_record (e), ':'));
      if (g_str_equal (cr_audit_entry_get_action (e), "view"))
        n_views++;
    }
  g_assert_cmpuint (n_views, ==, 1);

  g_assert_true (cr_store_verify_audit (store, &n_entries, &broken, &error));
  g_assert_no_error (error);
  g_assert_cmpint (n_entries, ==, before);
  g_assert_cmpint (broken, ==, -1);

  /* Tampering: the triggers refuse it… */
  g_assert_cmpint (raw_exec (store, "UPDATE audit SET user = 'mallory' WHERE id = 4", &msg), ==,
                   SQLITE_CONSTRAINT);
  g_assert_nonnull (strstr (msg, "append-only"));
  g_assert_cmpint (raw_exec (store, "DELETE FROM audit WHERE id = 4", NULL), ==, SQLITE_CONSTRAINT);

  /* …so a tamperer drops one first; the hash chain still tells. */
  g_assert_cmpint (raw_exec (store, "DROP TRIGGER audit_no_update", NULL), ==, SQLITE_OK);
  g_assert_cmpint (raw_exec (store, "UPDATE audit SET user = 'mallory' WHERE id = 4", NULL), ==,
                   SQLITE_OK);
  g_assert_false (cr_store_verify_audit (store, &n_entries, &broken, &error));
  g_assert_no_error (error);
  g_assert_cmpint (broken, ==, 4);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, StoreFixture, NULL, store_fixture_setup, func, store_fixture_teardown)

  ADD ("/core/chart/visit/lifecycle", test_visit_lifecycle);
  ADD ("/core/chart/visit/validation", test_visit_validation);
  ADD ("/core/chart/diagnosis/primary", test_diagnosis_primary);
  ADD ("/core/chart/diagnosis/icd10cm", test_diagnosis_icd10cm);
  ADD ("/core/chart/entered-in-error", test_entered_in_error);
  ADD ("/core/chart/problems-allergies", test_problems_allergies);
  ADD ("/core/chart/prescriptions", test_prescriptions);
  ADD ("/core/chart/outcomes-follow-ups", test_outcomes_follow_ups);
  ADD ("/core/chart/summary", test_summary);
  ADD ("/core/chart/summary-500-visits", test_summary_500_visits);
  ADD ("/core/chart/audit", test_audit);

  return g_test_run ();
}
