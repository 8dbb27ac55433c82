/* test-demo.c: the demo practice generator
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "cr-audit.h"
#include "cr-demo.h"
#include "cr-patients.h"
#include "cr-store-private.h"
#include "test-util.h"

#define N_PATIENTS 300

static gint64
query_int (CrStore    *store,
           const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_prepare_v2 (_cr_store_get_db (store), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

/* Rows of a query, as text: columns joined by tabs, rows by newlines. */
static char *
query_text (CrStore    *store,
            const char *sql)
{
  GString *out = g_string_new (NULL);
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_assert_cmpint (sqlite3_prepare_v2 (_cr_store_get_db (store), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      for (int i = 0; i < sqlite3_column_count (stmt); i++)
        {
          const char *text = (const char *) sqlite3_column_text (stmt, i);
          g_string_append_printf (out, "%s%s", i ? "\t" : "", text ? text : "NULL");
        }
      g_string_append_c (out, '\n');
    }
  g_assert_cmpint (rc, ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
  return g_string_free (out, FALSE);
}

static void
generate (CrStore *store,
          guint    n,
          guint32  seed)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (cr_store_generate_demo (store, n, seed, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
}

static CrStore *
new_store (StoreFixture *fixture,
           const char   *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (fixture->dir, name, NULL);
  CrStore *store = cr_store_create (path, fixture->key, "Other practice", &error);

  g_assert_no_error (error);
  return store;
}

/* Every code exists in CMS's order file, billable, with exactly CMS's long
 * description. Layout (icd10OrderFiles.pdf): order number (5), blank, code
 * (7, left-aligned), blank, billable flag, blank, short description (60),
 * blank, long description. */
static void
test_codes_match_cms (void)
{
  g_autofree char *path = test_shared_data_path ("icd10cm", "icd10cm_order_2026.txt", NULL);
  g_autoptr(GHashTable) long_desc = NULL;
  g_autoptr(GHashTable) billable = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  const CrDemoCode *codes;
  guint n_codes = 0;

  if (path == NULL)
    return;

  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  g_assert_no_error (error);
  long_desc = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  billable = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = g_strchomp (lines[i]);  /* CRLF */
      if (strlen (line) < 78)
        continue;
      g_hash_table_insert (long_desc, g_strstrip (g_strndup (line + 6, 7)),
                           g_strstrip (g_strdup (line + 77)));
      g_hash_table_insert (billable, g_strstrip (g_strndup (line + 6, 7)),
                           GINT_TO_POINTER (line[14] == '1'));
    }
  /* The file as SOURCES.md describes it: 98,186 codes. */
  g_assert_cmpuint (g_hash_table_size (long_desc), ==, 98186);

  codes = cr_demo_get_codes (&n_codes);
  g_assert_cmpuint (n_codes, >=, 30);
  for (guint i = 0; i < n_codes; i++)
    {
      const char *cms = g_hash_table_lookup (long_desc, codes[i].code);

      g_test_message ("%s %s", codes[i].code, codes[i].display);
      g_assert_cmpstr (codes[i].system, ==, "icd10cm");
      g_assert_null (strchr (codes[i].code, '.'));
      g_assert_nonnull (cms);
      g_assert_cmpstr (codes[i].display, ==, cms);
      g_assert_true (GPOINTER_TO_INT (g_hash_table_lookup (billable, codes[i].code)));
      g_assert_false (g_hash_table_contains (seen, codes[i].code));
      g_hash_table_add (seen, (gpointer) codes[i].code);
    }

  /* The ones the brief names are there. */
  for (const char * const *c = (const char *[]) { "E119", "I10", "J45909", "E785", "E039",
                                                  "R519", "M5450", "J029", "N390", "L309",
                                                  "K219", NULL }; *c; c++)
    g_assert_true (g_hash_table_contains (seen, *c));
}

static void
test_deterministic (StoreFixture  *fixture,
                    gconstpointer  data)
{
  const char *patients_sql =
    "SELECT record_number, family_name, given_names, birth_date, sex, phone, email, address,"
    " insurance_payer, insurance_member_id FROM patients ORDER BY id LIMIT 40";
  const char *visits_sql =
    "SELECT v.patient_id, v.started_at, v.type, v.chief_complaint, v.objective, v.status,"
    " group_concat(d.code) FROM visits v JOIN visit_diagnoses d ON d.visit_id = v.id"
    " WHERE v.patient_id BETWEEN 2 AND 30 GROUP BY v.id ORDER BY v.id";
  g_autoptr(CrStore) same = new_store (fixture, "same.chartroom");
  g_autoptr(CrStore) other = new_store (fixture, "other.chartroom");
  g_autofree char *a_patients = NULL, *b_patients = NULL, *c_patients = NULL;
  g_autofree char *a_visits = NULL, *b_visits = NULL, *c_visits = NULL;
  CrDemoCounts a, b, c;
  g_autoptr(GError) error = NULL;

  generate (fixture->store, N_PATIENTS, 42);
  generate (same, N_PATIENTS, 42);
  generate (other, N_PATIENTS, 43);

  g_assert_true (cr_demo_count_rows (fixture->store, &a, &error));
  g_assert_true (cr_demo_count_rows (same, &b, &error));
  g_assert_true (cr_demo_count_rows (other, &c, &error));
  g_assert_no_error (error);

  g_assert_cmpint (a.patients, ==, N_PATIENTS);
  g_assert_cmpmem (&a, sizeof a, &b, sizeof b);
  g_assert_cmpint (c.patients, ==, N_PATIENTS);
  g_assert_true (a.visits != c.visits || a.diagnoses != c.diagnoses ||
                 a.prescriptions != c.prescriptions);

  a_patients = query_text (fixture->store, patients_sql);
  b_patients = query_text (same, patients_sql);
  c_patients = query_text (other, patients_sql);
  g_assert_cmpstr (a_patients, ==, b_patients);
  g_assert_cmpstr (a_patients, !=, c_patients);

  a_visits = query_text (fixture->store, visits_sql);
  b_visits = query_text (same, visits_sql);
  c_visits = query_text (other, visits_sql);
  g_assert_cmpuint (strlen (a_visits), >, 1000);
  g_assert_cmpstr (a_visits, ==, b_visits);
  g_assert_cmpstr (a_visits, !=, c_visits);

  g_assert_finalize_object (g_steal_pointer (&same));
  g_assert_finalize_object (g_steal_pointer (&other));
}

static void
test_realistic (StoreFixture  *fixture,
                gconstpointer  data)
{
  CrStore *store = fixture->store;
  g_autofree char *now = _cr_store_now ();
  g_autofree char *sql = NULL;
  g_autofree char *meta = NULL;
  g_autoptr(GListModel) audit = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CrAuditEntry) entry = NULL;
  const CrDemoCode *codes;
  guint n_codes;
  gint64 visits, n, recurring;

  generate (store, N_PATIENTS, 1);

  /* Volume: about ten visits a patient beside P000001's 500, about two
   * diagnoses and one prescription a visit. */
  visits = query_int (store, "SELECT count(*) FROM visits");
  n = (visits - CR_DEMO_LONG_HISTORY_VISITS) / (N_PATIENTS - 1);
  g_assert_cmpint (n, >=, 7);
  g_assert_cmpint (n, <=, 14);
  n = query_int (store, "SELECT count(*) FROM visit_diagnoses") * 10 / visits;
  g_assert_cmpint (n, >=, 15);
  g_assert_cmpint (n, <=, 25);
  n = query_int (store, "SELECT count(*) FROM prescriptions") * 10 / visits;
  g_assert_cmpint (n, >=, 7);
  g_assert_cmpint (n, <=, 13);

  /* P000001 is the long-history patient. */
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM visits v JOIN patients p"
                                     " ON p.id = v.patient_id WHERE p.record_number = 'P000001'"),
                   ==, CR_DEMO_LONG_HISTORY_VISITS);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM problems WHERE patient_id = 1"
                                     " AND chronic = 1 AND status = 'active'"), >=, 4);

  /* Every visit: 1 to 3 diagnoses, exactly one primary, codes as CMS writes. */
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM visits WHERE id NOT IN"
                                     " (SELECT visit_id FROM visit_diagnoses)"), ==, 0);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM (SELECT visit_id, count(*) n,"
                                     " sum(is_primary) p FROM visit_diagnoses GROUP BY visit_id)"
                                     " WHERE n NOT BETWEEN 1 AND 3 OR p != 1"), ==, 0);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM visit_diagnoses WHERE system != 'icd10cm'"
                                     " OR code LIKE '%.%'"), ==, 0);
  codes = cr_demo_get_codes (&n_codes);
  {
    GString *values = g_string_new ("SELECT count(*) FROM visit_diagnoses"
                                    " WHERE code || '|' || display NOT IN (");

    for (guint i = 0; i < n_codes; i++)
      {
        g_auto(GStrv) parts = g_strsplit (codes[i].display, "'", -1);
        g_autofree char *quoted = g_strjoinv ("''", parts);

        g_string_append_printf (values, "%s'%s|%s'", i ? ", " : "", codes[i].code, quoted);
      }
    g_string_append (values, ")");
    sql = g_string_free (values, FALSE);
    g_assert_cmpint (query_int (store, sql), ==, 0);
  }

  /* Chronic conditions on the problem list, with follow-ups: some done,
   * some overdue. */
  for (const char * const *c = (const char *[]) { "E119", "I10", "E785", NULL }; *c; c++)
    {
      g_autofree char *q = g_strdup_printf ("SELECT count(*) FROM problems WHERE code = '%s'"
                                            " AND chronic = 1", *c);
      g_assert_cmpint (query_int (store, q), >, 3);
    }
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM follow_ups WHERE done = 1"
                                     " AND done_at IS NOT NULL"), >, 100);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM follow_ups WHERE done = 0"
                                     " AND due_date < date('now')"), >, 5);

  /* Recurring complaints: for several of the brief's categories some
   * patient (not P000001) has it at two visits or more. */
  recurring = query_int (store,
                         "SELECT count(DISTINCT cat) FROM ("
                         " SELECT v.patient_id, substr(d.code, 1, 3) cat FROM visit_diagnoses d"
                         " JOIN visits v ON v.id = d.visit_id WHERE v.patient_id > 1"
                         " AND substr(d.code, 1, 3) IN ('R51', 'M54', 'J02', 'N39', 'L30', 'K21')"
                         " GROUP BY 1, 2 HAVING count(DISTINCT v.id) >= 2)");
  g_assert_cmpint (recurring, >=, 5);
  g_assert_cmpint (query_int (store,
                              "SELECT count(*) FROM (SELECT v.patient_id FROM visit_diagnoses d"
                              " JOIN visits v ON v.id = d.visit_id WHERE d.is_primary = 1"
                              " GROUP BY v.patient_id, substr(d.code, 1, 3)"
                              " HAVING count(*) >= 3)"), >, 30);

  /* Signed notes and a few recent drafts; nothing in the future. */
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM visits WHERE status = 'signed'"
                                     " AND signed_by IS NOT NULL AND signed_at >= started_at"),
                   ==, query_int (store, "SELECT count(*) FROM visits WHERE status = 'signed'"));
  n = query_int (store, "SELECT count(*) FROM visits WHERE status = 'draft'");
  g_assert_cmpint (n, >=, 1);
  g_assert_cmpint (n, <, visits / 50);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM visits WHERE status = 'draft'"
                                     " AND (signed_at IS NOT NULL"
                                     " OR started_at < strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-16 days'))"),
                   ==, 0);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM visits WHERE status = 'draft'"
                                     " AND patient_id = 1"), ==, 1);
  sql = g_strdup_printf ("SELECT count(*) FROM visits WHERE started_at > '%s' OR signed_at > '%s'"
                         " OR created_at > '%s'", now, now, now);
  g_assert_cmpint (query_int (store, sql), ==, 0);
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("SELECT count(*) FROM follow_ups WHERE done_at > '%s'", now);
  g_assert_cmpint (query_int (store, sql), ==, 0);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM visits WHERE started_at <"
                                     " strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-8 years', '-2 days')"),
                   ==, 0);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM visits WHERE started_at <"
                                     " strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-7 years')"), >, 0);

  /* Outcomes point back to an earlier visit's diagnosis or prescription
   * of the same patient, and every result occurs. */
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM outcomes"), >, visits / 2);
  g_assert_cmpint (query_int (store,
                              "SELECT count(*) FROM outcomes o JOIN visits ov ON ov.id = o.visit_id"
                              " JOIN visit_diagnoses d ON d.id = o.diagnosis_id"
                              " JOIN visits dv ON dv.id = d.visit_id"
                              " WHERE dv.patient_id = o.patient_id AND ov.patient_id = o.patient_id"
                              " AND dv.started_at < ov.started_at"),
                   ==, query_int (store, "SELECT count(*) FROM outcomes WHERE diagnosis_id IS NOT NULL"));
  g_assert_cmpint (query_int (store,
                              "SELECT count(*) FROM outcomes o JOIN visits ov ON ov.id = o.visit_id"
                              " JOIN prescriptions rx ON rx.id = o.prescription_id"
                              " JOIN visits rv ON rv.id = rx.visit_id"
                              " WHERE rx.patient_id = o.patient_id AND ov.patient_id = o.patient_id"
                              " AND rv.started_at < ov.started_at"),
                   ==, query_int (store, "SELECT count(*) FROM outcomes WHERE prescription_id IS NOT NULL"));
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM outcomes WHERE prescription_id IS NOT NULL"), >, 100);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM outcomes WHERE diagnosis_id IS NOT NULL"
                                     " AND prescription_id IS NULL"), >, 100);
  g_assert_cmpint (query_int (store, "SELECT count(DISTINCT result) FROM outcomes"), ==, 5);
  /* A drug that caused an adverse effect was stopped for it. */
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM outcomes o JOIN prescriptions rx"
                                     " ON rx.id = o.prescription_id WHERE o.result = 'adverse-effect'"
                                     " AND rx.stop_reason LIKE 'adverse effect%'"),
                   ==, query_int (store, "SELECT count(*) FROM outcomes WHERE result = 'adverse-effect'"));

  /* Real drugs; no penicillin for a patient allergic to it. */
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM prescriptions WHERE drug = 'Amoxicillin'"
                                     " AND strength = '500 mg' AND form = 'capsule'"), >, 10);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM prescriptions WHERE drug = 'Metformin hydrochloride'"), >, 10);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM allergies WHERE substance = 'Penicillin'"), >, 5);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM prescriptions rx JOIN allergies a"
                                     " ON a.patient_id = rx.patient_id WHERE a.substance = 'Penicillin'"
                                     " AND rx.drug LIKE '%cillin%'"), ==, 0);

  /* Plausible metric vitals. */
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM visits WHERE bp_systolic NOT BETWEEN 80 AND 200"
                                     " OR bp_diastolic NOT BETWEEN 40 AND 120 OR pulse NOT BETWEEN 40 AND 160"
                                     " OR temperature_c NOT BETWEEN 35.5 AND 41 OR spo2 NOT BETWEEN 85 AND 100"
                                     " OR weight_kg NOT BETWEEN 2.5 AND 200 OR height_cm NOT BETWEEN 45 AND 210"
                                     " OR bp_diastolic >= bp_systolic"), ==, 0);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM visits WHERE weight_kg IS NOT NULL"), >, visits / 2);

  /* Diverse names; search and phone digits filled in. */
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM patients WHERE family_name LIKE '%''%'"), >, 0);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM patients WHERE"
                                     " length(CAST(family_name || given_names AS BLOB))"
                                     " > length(family_name || given_names)"), >, N_PATIENTS / 20);
  g_assert_cmpint (query_int (store, "SELECT count(DISTINCT family_name) FROM patients"), >, 100);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM patients WHERE birth_date NOT GLOB"
                                     " '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'"), ==, 0);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM patient_search"), ==, N_PATIENTS);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM patient_search s JOIN patients p"
                                     " ON p.id = s.docid WHERE s.names != p.family_name || ' ' || p.given_names"), ==, 0);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM patients WHERE phone IS NOT NULL"
                                     " AND phone_digits IS NULL"), ==, 0);
  {
    g_autoptr(GPtrArray) found = NULL;
    g_autofree char *family = query_text (store, "SELECT family_name FROM patients WHERE id = 1");

    g_strchomp (family);
    found = cr_store_search_patients (store, family, 0, 50, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (found->len, >=, 1);
  }

  /* The counter and one audit entry. */
  meta = _cr_store_dup_meta (store, "next-record-number");
  g_assert_cmpstr (meta, ==, "301");
  audit = cr_store_list_audit (store, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (audit), ==, 1);
  entry = g_list_model_get_item (audit, 0);
  g_assert_cmpstr (cr_audit_entry_get_action (entry), ==, CR_AUDIT_CREATE);
  g_assert_cmpstr (cr_audit_entry_get_detail (entry), ==, "demo practice: 300 patients");
  g_assert_true (cr_store_verify_audit (store, NULL, NULL, &error));
  g_assert_no_error (error);
}

static void
test_refuses_non_empty (StoreFixture  *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  CrDemoCounts before, after;

  generate (fixture->store, 5, 1);
  g_assert_true (cr_demo_count_rows (fixture->store, &before, &error));

  g_assert_false (cr_store_generate_demo (fixture->store, 5, 2, NULL, NULL, NULL, &error));
  g_assert_error (error, CR_DEMO_ERROR, CR_DEMO_ERROR_NOT_EMPTY);
  g_clear_error (&error);

  g_assert_true (cr_demo_count_rows (fixture->store, &after, &error));
  g_assert_cmpmem (&before, sizeof before, &after, sizeof after);

  g_assert_false (cr_store_generate_demo (fixture->store, 0, 1, NULL, NULL, NULL, &error));
  g_assert_error (error, CR_DEMO_ERROR, CR_DEMO_ERROR_INVALID);
}

static void
cancel_on_progress (double   fraction,
                    gpointer user_data)
{
  if (fraction > 0.0)
    g_cancellable_cancel (user_data);
}

static void
record_progress (double   fraction,
                 gpointer user_data)
{
  GArray *seen = user_data;
  g_array_append_val (seen, fraction);
}

static void
test_cancel_and_progress (StoreFixture  *fixture,
                          gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GArray) seen = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GError) error = NULL;

  /* Cancelled inside the first transaction: nothing stays. */
  g_assert_false (cr_store_generate_demo (fixture->store, 1200, 1, cancel_on_progress,
                                          cancellable, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_cmpint (query_int (fixture->store, "SELECT count(*) FROM patients"), ==, 0);
  g_assert_cmpint (query_int (fixture->store, "SELECT count(*) FROM visits"), ==, 0);
  g_assert_cmpint (query_int (fixture->store, "SELECT count(*) FROM audit"), ==, 0);

  /* The practice is still empty, so a second run fills it. */
  g_assert_true (cr_store_generate_demo (fixture->store, 1200, 1, record_progress, seen,
                                        NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (seen->len, >=, 3);
  g_assert_cmpfloat (g_array_index (seen, double, 0), ==, 0.0);
  g_assert_cmpfloat (g_array_index (seen, double, seen->len - 1), ==, 1.0);
  for (guint i = 1; i < seen->len; i++)
    g_assert_cmpfloat (g_array_index (seen, double, i), >, g_array_index (seen, double, i - 1));
  g_assert_cmpint (query_int (fixture->store, "SELECT count(*) FROM patients"), ==, 1200);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/demo/codes-match-cms", test_codes_match_cms);
  g_test_add ("/core/demo/deterministic", StoreFixture, NULL,
              store_fixture_setup, test_deterministic, store_fixture_teardown);
  g_test_add ("/core/demo/realistic", StoreFixture, NULL,
              store_fixture_setup, test_realistic, store_fixture_teardown);
  g_test_add ("/core/demo/refuses-non-empty", StoreFixture, NULL,
              store_fixture_setup, test_refuses_non_empty, store_fixture_teardown);
  g_test_add ("/core/demo/cancel-and-progress", StoreFixture, NULL,
              store_fixture_setup, test_cancel_and_progress, store_fixture_teardown);

  return g_test_run ();
}
