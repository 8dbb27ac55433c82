/* test-complaints.c: recurring-complaint analysis on hand-built histories
 * and on the demo practice
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "cr-chart.h"
#include "cr-complaints.h"
#include "cr-date.h"
#include "cr-demo.h"
#include "cr-patients.h"
#include "cr-report-export.h"
#include "cr-store-private.h"
#include "test-util.h"

#define TODAY "2025-06-30"

static const CrComplaintOptions all_time = { CR_COMPLAINT_PERIOD_ALL, TODAY };

static gint64
add_patient (CrStore    *store,
             const char *family)
{
  g_autoptr(CrPatient) patient = cr_patient_new ();
  g_autoptr(GError) error = NULL;

  cr_patient_set_family_name (patient, family);
  cr_patient_set_given_names (patient, "Test");
  cr_patient_set_birth_date (patient, "1970-05-01");
  g_assert_true (cr_store_add_patient (store, patient, TRUE, &error));
  g_assert_no_error (error);
  return cr_patient_get_id (patient);
}

static gint64
add_visit (CrStore    *store,
           gint64      patient_id,
           const char *date,
           const char *complaint)
{
  g_autoptr(CrVisit) visit = cr_visit_new (patient_id);
  g_autoptr(GError) error = NULL;

  cr_visit_set_started_at (visit, date);
  cr_visit_set_chief_complaint (visit, complaint);
  g_assert_true (cr_store_create_visit (store, visit, &error));
  g_assert_no_error (error);
  return cr_visit_get_id (visit);
}

static gint64
add_dx (CrStore    *store,
        gint64      visit_id,
        const char *system,
        const char *code,
        const char *display,
        gboolean    primary)
{
  g_autoptr(GError) error = NULL;
  gint64 id = cr_store_add_diagnosis (store, visit_id, system, code, display, primary, &error);

  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

static CrComplaintReport *
analyze (CrStore                  *store,
         gint64                    patient_id,
         const CrComplaintOptions *options)
{
  g_autoptr(GError) error = NULL;
  CrComplaintReport *report = cr_store_analyze_complaints (store, patient_id, options, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (report);
  return report;
}

static void
assert_intervals (const CrComplaint *c,
                  const int         *expected,
                  guint              n)
{
  g_assert_cmpuint (c->intervals->len, ==, n);
  for (guint i = 0; i < n; i++)
    g_assert_cmpint (g_array_index (c->intervals, int, i), ==, expected[i]);
}

static void
test_normalize (void)
{
  static const struct { const char *in, *out; } cases[] = {
    { "Headache", "headache" },
    { "  headache ", "headache" },
    { "HEADACHE!", "headache" },
    { "Low-back   pain.", "low back pain" },
    { "Céphalée", "cephalee" },
    /* Case folding makes the final sigma a plain one, so the capitals
     * and the small letters meet. */
    { "Πονοκέφαλος", "πονοκεφαλοσ" },
    { "ΠΟΝΟΚΈΦΑΛΟΣ", "πονοκεφαλοσ" },
    { "头痛！", "头痛" },
    { "صُدَاع", "صداع" },
    { "", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *got = cr_complaint_normalize_text (cases[i].in);

      g_assert_cmpstr (got, ==, cases[i].out);
    }
}

static void
test_chapters (void)
{
  const char *number = NULL, *title = NULL;

  g_assert_true (cr_icd10cm_chapter ("R519", &number, &title));
  g_assert_cmpstr (number, ==, "XVIII");
  g_assert_true (g_str_has_prefix (title, "Symptoms, signs"));
  g_assert_true (cr_icd10cm_chapter ("J029", &number, NULL));
  g_assert_cmpstr (number, ==, "X");
  g_assert_true (cr_icd10cm_chapter ("D64", &number, NULL));
  g_assert_cmpstr (number, ==, "III");
  g_assert_true (cr_icd10cm_chapter ("D3A", &number, NULL));
  g_assert_cmpstr (number, ==, "II");
  g_assert_true (cr_icd10cm_chapter ("O9A1", &number, NULL));
  g_assert_cmpstr (number, ==, "XV");
  g_assert_true (cr_icd10cm_chapter ("T7840", &number, NULL));
  g_assert_cmpstr (number, ==, "XIX");
  g_assert_true (cr_icd10cm_chapter ("U071", &number, NULL));
  g_assert_cmpstr (number, ==, "XXII");
  g_assert_false (cr_icd10cm_chapter ("12", NULL, NULL));
}

static void
test_free_text (StoreFixture  *fixture,
                gconstpointer  data)
{
  gint64 p = add_patient (fixture->store, "Freetext");
  g_autoptr(CrComplaintReport) report = NULL;
  const CrComplaint *c;
  const int intervals[] = { 60, 92 };

  add_visit (fixture->store, p, "2024-01-10", "Headache");
  add_visit (fixture->store, p, "2024-03-10", "headache ");
  add_visit (fixture->store, p, "2024-06-10T09:30", "HEADACHE!");
  add_visit (fixture->store, p, "2024-07-01", "Sprained ankle");

  report = analyze (fixture->store, p, &all_time);
  g_assert_cmpuint (cr_complaint_report_get_n_visits (report), ==, 4);
  g_assert_cmpuint (cr_complaint_report_get_n_complaints (report), ==, 2);
  g_assert_cmpuint (cr_complaint_report_get_n_recurring (report), ==, 1);

  c = cr_complaint_report_get_complaint (report, 0);
  g_assert_cmpstr (c->key, ==, "text:headache");
  g_assert_cmpstr (c->system, ==, "text");
  g_assert_null (c->code);
  g_assert_null (c->chapter);
  g_assert_cmpuint (cr_complaint_get_n_episodes (c), ==, 3);
  g_assert_cmpstr (cr_complaint_get_first_date (c), ==, "2024-01-10");
  g_assert_cmpstr (cr_complaint_get_last_date (c), ==, "2024-06-10");
  assert_intervals (c, intervals, 2);
  /* 92 days after 60: further apart. */
  g_assert_cmpint (c->trend, ==, CR_COMPLAINT_TREND_LESS_FREQUENT);
  g_assert_cmpstr (cr_complaint_get_episode (c, 1)->wording, ==, "headache");

  c = cr_complaint_report_get_complaint (report, 1);
  g_assert_cmpstr (c->key, ==, "text:sprained ankle");
  g_assert_false (cr_complaint_is_recurring (c));
  g_assert_cmpint (c->trend, ==, CR_COMPLAINT_TREND_TOO_FEW);
  g_assert_null (cr_complaint_report_find (report, "text:nothing"));
}

static void
test_mixed_systems (StoreFixture  *fixture,
                    gconstpointer  data)
{
  gint64 p = add_patient (fixture->store, "Mixed");
  g_autoptr(CrComplaintReport) report = NULL;
  const CrComplaint *r51, *snomed, *e11;
  gint64 v;

  v = add_visit (fixture->store, p, "2023-01-05", "Headache");
  add_dx (fixture->store, v, CR_SYSTEM_ICD10CM, "R51.9", "Headache, unspecified", TRUE);
  add_dx (fixture->store, v, CR_SYSTEM_ICD10CM, "E11.9", "Type 2 diabetes mellitus without complications", FALSE);
  v = add_visit (fixture->store, p, "2023-04-05", "Head pain, daily");
  add_dx (fixture->store, v, CR_SYSTEM_ICD10CM, "R51.0", "Headache with orthostatic component", TRUE);
  add_dx (fixture->store, v, CR_SYSTEM_ICD10CM, "E11.65", "Type 2 diabetes mellitus with hyperglycemia", FALSE);
  v = add_visit (fixture->store, p, "2023-08-01", "Headache");
  add_dx (fixture->store, v, "snomed", "25064002", "Headache (finding)", TRUE);
  v = add_visit (fixture->store, p, "2024-02-01", NULL);
  add_dx (fixture->store, v, "snomed", "25064002", "Headache (finding)", TRUE);
  g_assert_cmpint (cr_store_add_problem (fixture->store, p, CR_SYSTEM_ICD10CM, "E11.9",
                                         "Type 2 diabetes mellitus", "2015-01-01", TRUE, NULL), >, 0);

  report = analyze (fixture->store, p, &all_time);
  /* The coded visits' chief complaints are the wording, not extra groups. */
  g_assert_cmpuint (cr_complaint_report_get_n_complaints (report), ==, 3);
  g_assert_cmpuint (cr_complaint_report_get_n_recurring (report), ==, 3);

  r51 = cr_complaint_report_find (report, "icd10cm:R51");
  g_assert_nonnull (r51);
  g_assert_cmpstr (r51->code, ==, "R51");
  g_assert_cmpstr (r51->chapter, ==, "XVIII");
  g_assert_false (r51->chronic);
  g_assert_cmpuint (cr_complaint_get_n_episodes (r51), ==, 2);
  g_assert_cmpstr (cr_complaint_get_episode (r51, 0)->wording, ==, "Headache");
  g_assert_cmpstr (cr_complaint_get_episode (r51, 1)->wording, ==, "Head pain, daily");
  g_assert_cmpint (g_array_index (r51->intervals, int, 0), ==, 90);

  snomed = cr_complaint_report_find (report, "snomed:25064002");
  g_assert_nonnull (snomed);
  g_assert_null (snomed->chapter);
  g_assert_cmpstr (snomed->label, ==, "Headache (finding)");
  g_assert_cmpuint (cr_complaint_get_n_episodes (snomed), ==, 2);
  /* A visit without a chief complaint takes the diagnosis's words. */
  g_assert_cmpstr (cr_complaint_get_episode (snomed, 1)->wording, ==, "Headache (finding)");

  e11 = cr_complaint_report_find (report, "icd10cm:E11");
  g_assert_nonnull (e11);
  g_assert_true (e11->chronic);
  g_assert_cmpstr (e11->chapter, ==, "IV");
  g_assert_null (cr_complaint_report_find (report, "text:headache"));
}

static void
test_single_and_none (StoreFixture  *fixture,
                      gconstpointer  data)
{
  gint64 lonely = add_patient (fixture->store, "Once");
  gint64 nobody = add_patient (fixture->store, "Never");
  g_autoptr(CrComplaintReport) one = NULL;
  g_autoptr(CrComplaintReport) none = NULL;
  g_autofree char *table = NULL;

  add_visit (fixture->store, lonely, "2024-05-05", "Cough");
  one = analyze (fixture->store, lonely, &all_time);
  g_assert_cmpuint (cr_complaint_report_get_n_complaints (one), ==, 1);
  g_assert_cmpuint (cr_complaint_report_get_n_recurring (one), ==, 0);
  g_assert_cmpuint (cr_complaint_get_n_episodes (cr_complaint_report_get_complaint (one, 0)), ==, 1);
  table = cr_complaint_report_to_table (one, CR_TABLE_FORMAT_TSV);
  g_assert_cmpstr (table, ==, "");

  none = analyze (fixture->store, nobody, NULL);
  g_assert_cmpuint (cr_complaint_report_get_n_complaints (none), ==, 0);
  g_assert_cmpuint (cr_complaint_report_get_n_visits (none), ==, 0);
  g_assert_null (cr_complaint_report_dup_left_out_text (none));
}

static void
test_same_day (StoreFixture  *fixture,
               gconstpointer  data)
{
  gint64 p = add_patient (fixture->store, "Sameday");
  g_autoptr(CrComplaintReport) report = NULL;
  const CrComplaint *c;
  gint64 v;

  v = add_visit (fixture->store, p, "2024-02-01T09:00", "Sore throat");
  add_dx (fixture->store, v, CR_SYSTEM_ICD10CM, "J02.9", "Acute pharyngitis, unspecified", TRUE);
  /* Seen again in the afternoon: one episode. */
  v = add_visit (fixture->store, p, "2024-02-01T16:00", "Sore throat, worse");
  add_dx (fixture->store, v, CR_SYSTEM_ICD10CM, "J02.0", "Streptococcal pharyngitis", TRUE);
  v = add_visit (fixture->store, p, "2024-02-20", "Sore throat");
  add_dx (fixture->store, v, CR_SYSTEM_ICD10CM, "J02.9", "Acute pharyngitis, unspecified", TRUE);

  report = analyze (fixture->store, p, &all_time);
  c = cr_complaint_report_find (report, "icd10cm:J02");
  g_assert_nonnull (c);
  g_assert_cmpuint (cr_complaint_get_n_episodes (c), ==, 2);
  g_assert_cmpuint (cr_complaint_get_episode (c, 0)->n_visits, ==, 2);
  g_assert_cmpstr (cr_complaint_get_episode (c, 0)->wording, ==, "Sore throat; Sore throat, worse");
  g_assert_cmpint (g_array_index (c->intervals, int, 0), ==, 19);
}

static void
test_left_out (StoreFixture  *fixture,
               gconstpointer  data)
{
  gint64 p = add_patient (fixture->store, "Leftout");
  g_autoptr(CrComplaintReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *sql = NULL;
  gint64 future1, future2, undated, wrong;

  add_visit (fixture->store, p, "2024-01-01", "Back pain");
  add_visit (fixture->store, p, "2024-05-01", "Back pain");
  future1 = add_visit (fixture->store, p, "2024-06-01", "Back pain");
  future2 = add_visit (fixture->store, p, "2024-06-02", "Back pain");
  undated = add_visit (fixture->store, p, "2024-06-03", "Back pain");
  wrong = add_visit (fixture->store, p, "2024-06-04", "Back pain");

  /* Drafts written before the checks, or imported: dated after today,
   * or with no usable date. */
  sql = g_strdup_printf ("UPDATE visits SET started_at = '2031-01-01' WHERE id IN (%" G_GINT64_FORMAT
                         ", %" G_GINT64_FORMAT ");"
                         "UPDATE visits SET started_at = '' WHERE id = %" G_GINT64_FORMAT ";",
                         future1, future2, undated);
  g_assert_true (_cr_store_exec (fixture->store, sql, &error));
  g_assert_no_error (error);
  g_assert_true (cr_store_mark_entered_in_error (fixture->store, CR_CLINICAL_KIND_VISIT, wrong,
                                                 "wrong patient", &error));
  g_assert_no_error (error);

  report = analyze (fixture->store, p, &all_time);
  g_assert_cmpuint (cr_complaint_report_get_n_visits (report), ==, 2);
  g_assert_cmpuint (cr_complaint_report_get_n_future (report), ==, 2);
  g_assert_cmpuint (cr_complaint_report_get_n_undated (report), ==, 1);
  g_assert_cmpuint (cr_complaint_report_get_n_in_error (report), ==, 1);
  g_assert_cmpuint (cr_complaint_get_n_episodes (cr_complaint_report_find (report, "text:back pain")), ==, 2);
  text = cr_complaint_report_dup_left_out_text (report);
  g_assert_cmpstr (text, ==, "2 visits with future dates were left out. "
                             "1 visit without a date was left out. "
                             "1 visit entered in error was left out.");
}

static void
test_prescriptions_outcomes (StoreFixture  *fixture,
                             gconstpointer  data)
{
  CrStore *store = fixture->store;
  gint64 p = add_patient (store, "Treated");
  g_autoptr(CrComplaintReport) report = NULL;
  g_autoptr(GError) error = NULL;
  CrPrescriptionInfo amox = { .drug = "Amoxicillin", .strength = "500 mg", .form = "capsule" };
  CrPrescriptionInfo ibu = { .drug = "Ibuprofen", .strength = "400 mg", .form = "tablet" };
  const CrComplaint *c;
  const CrComplaintEpisode *e;
  gint64 v1, v2, v3, dx1, dx2, rx1, rx2;

  v1 = add_visit (store, p, "2024-01-10", "Sore throat");
  dx1 = add_dx (store, v1, CR_SYSTEM_ICD10CM, "J02.9", "Acute pharyngitis, unspecified", TRUE);
  rx1 = cr_store_add_prescription (store, p, v1, &amox, &error);
  g_assert_no_error (error);
  v2 = add_visit (store, p, "2024-03-01", "Sore throat again");
  dx2 = add_dx (store, v2, CR_SYSTEM_ICD10CM, "J02.9", "Acute pharyngitis, unspecified", TRUE);
  rx2 = cr_store_add_prescription (store, p, v2, &ibu, &error);
  g_assert_no_error (error);
  /* At the second visit: the first episode's antibiotic worked. */
  g_assert_cmpint (cr_store_record_outcome (store, v2, dx1, 0, CR_OUTCOME_RESULT_RESOLVED,
                                            "Better in three days", &error), >, 0);
  g_assert_no_error (error);
  v3 = add_visit (store, p, "2024-03-20", "Follow-up");
  /* The second: the painkiller did nothing (outcome of the prescription). */
  g_assert_cmpint (cr_store_record_outcome (store, v3, 0, rx2, CR_OUTCOME_RESULT_UNCHANGED,
                                            NULL, &error), >, 0);
  g_assert_no_error (error);
  (void) dx2;
  (void) rx1;

  report = analyze (store, p, &all_time);
  c = cr_complaint_report_find (report, "icd10cm:J02");
  g_assert_nonnull (c);
  g_assert_cmpuint (cr_complaint_get_n_episodes (c), ==, 2);

  e = cr_complaint_get_episode (c, 0);
  g_assert_cmpint (e->visit_id, ==, v1);
  g_assert_cmpstr (e->prescribed, ==, "Amoxicillin 500 mg capsule");
  g_assert_cmpint (e->outcome, ==, CR_OUTCOME_RESULT_RESOLVED);
  g_assert_cmpstr (e->outcomes, ==, "resolved: Better in three days");

  e = cr_complaint_get_episode (c, 1);
  g_assert_cmpint (e->visit_id, ==, v2);
  g_assert_cmpstr (e->prescribed, ==, "Ibuprofen 400 mg tablet");
  g_assert_cmpint (e->outcome, ==, CR_OUTCOME_RESULT_UNCHANGED);

  /* The follow-up visit (chief complaint only) is a complaint of its own. */
  g_assert_nonnull (cr_complaint_report_find (report, "text:follow up"));
}

static gint64
add_dated_series (CrStore    *store,
                  gint64      patient_id,
                  const char *complaint,
                  const char * const *dates)
{
  gint64 last = 0;

  for (guint i = 0; dates[i] != NULL; i++)
    last = add_visit (store, patient_id, dates[i], complaint);
  return last;
}

static void
test_trends (StoreFixture  *fixture,
             gconstpointer  data)
{
  gint64 p = add_patient (fixture->store, "Trend");
  g_autoptr(CrComplaintReport) report = NULL;
  /* 120, 90, 40, 20 days: closer and closer. */
  const char * const closer[] = { "2024-01-01", "2024-04-30", "2024-07-29", "2024-09-07", "2024-09-27", NULL };
  /* 10, 30, 100 days: further apart. */
  const char * const apart[] = { "2024-01-01", "2024-01-11", "2024-02-10", "2024-05-20", NULL };
  /* 60, 62, 58, 61 days. */
  const char * const steady[] = { "2024-01-01", "2024-03-01", "2024-05-02", "2024-06-29", "2024-08-29", NULL };
  const CrComplaint *c;
  const int closer_intervals[] = { 120, 90, 40, 20 };
  const CrComplaintOptions one_year = { CR_COMPLAINT_PERIOD_1Y, "2025-02-10" };

  add_dated_series (fixture->store, p, "Migraine", closer);
  add_dated_series (fixture->store, p, "Rash", apart);
  add_dated_series (fixture->store, p, "Dizziness", steady);

  report = analyze (fixture->store, p, &all_time);
  c = cr_complaint_report_find (report, "text:migraine");
  assert_intervals (c, closer_intervals, 4);
  g_assert_cmpint (c->trend, ==, CR_COMPLAINT_TREND_MORE_FREQUENT);
  g_assert_cmpstr (cr_complaint_trend_to_string (c->trend), ==, "more frequent");
  c = cr_complaint_report_find (report, "text:rash");
  g_assert_cmpint (c->trend, ==, CR_COMPLAINT_TREND_LESS_FREQUENT);
  c = cr_complaint_report_find (report, "text:dizziness");
  g_assert_cmpint (c->trend, ==, CR_COMPLAINT_TREND_STEADY);
  /* Most episodes first; at a tie, the most recent first. */
  g_assert_cmpstr (cr_complaint_report_get_complaint (report, 0)->key, ==, "text:migraine");
  g_assert_cmpstr (cr_complaint_report_get_complaint (report, 1)->key, ==, "text:dizziness");
  g_assert_cmpstr (cr_complaint_report_get_complaint (report, 2)->key, ==, "text:rash");
  cr_complaint_report_unref (g_steal_pointer (&report));

  /* A year back from 2025-02-10: the rash keeps one episode (2024-05-20)
   * and no longer recurs; the migraine keeps those from 2024-04-30 on. */
  report = analyze (fixture->store, p, &one_year);
  g_assert_cmpstr (cr_complaint_report_get_since (report), ==, "2024-02-11");
  g_assert_false (cr_complaint_is_recurring (cr_complaint_report_find (report, "text:rash")));
  c = cr_complaint_report_find (report, "text:migraine");
  g_assert_cmpuint (cr_complaint_get_n_episodes (c), ==, 4);
  g_assert_cmpstr (cr_complaint_get_first_date (c), ==, "2024-04-30");
}

static void
test_scripts (StoreFixture  *fixture,
              gconstpointer  data)
{
  gint64 p = add_patient (fixture->store, "Scripts");
  g_autoptr(CrComplaintReport) report = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *dir = test_make_temp_dir ();
  g_autofree char *pdf = g_build_filename (dir, "scripts.pdf", NULL);
  g_autoptr(GError) error = NULL;

  add_visit (fixture->store, p, "2024-01-01", "Πονοκέφαλος");
  add_visit (fixture->store, p, "2024-02-01", "πονοκέφαλος.");
  add_visit (fixture->store, p, "2024-01-05", "头痛");
  add_visit (fixture->store, p, "2024-03-05", "头痛！");
  add_visit (fixture->store, p, "2024-01-09", "صُدَاع");
  add_visit (fixture->store, p, "2024-04-09", "صداع");

  report = analyze (fixture->store, p, &all_time);
  g_assert_cmpuint (cr_complaint_report_get_n_recurring (report), ==, 3);
  g_assert_cmpuint (cr_complaint_get_n_episodes (cr_complaint_report_find (report, "text:πονοκεφαλοσ")), ==, 2);
  g_assert_cmpuint (cr_complaint_get_n_episodes (cr_complaint_report_find (report, "text:头痛")), ==, 2);
  g_assert_cmpuint (cr_complaint_get_n_episodes (cr_complaint_report_find (report, "text:صداع")), ==, 2);

  csv = cr_complaint_report_to_table (report, CR_TABLE_FORMAT_CSV);
  g_assert_true (g_utf8_validate (csv, -1, NULL));
  g_assert_nonnull (strstr (csv, "πονοκέφαλος."));
  g_assert_nonnull (strstr (csv, "头痛！"));
  g_assert_nonnull (strstr (csv, "صداع"));
  g_assert_true (cr_complaint_report_write_pdf (report, "Clinic", NULL, pdf, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (pdf, G_FILE_TEST_IS_REGULAR));
  test_remove_tree (dir);
}

static void
test_thousands (StoreFixture  *fixture,
                gconstpointer  data)
{
  CrStore *store = fixture->store;
  gint64 p = add_patient (store, "Many");
  g_autoptr(CrComplaintReport) report = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt;
  GDate day;
  gint64 t0;
  const CrComplaint *c;

  /* 4,000 visits, one every other day, alternating four complaints. */
  g_assert_true (_cr_store_begin (store, &error));
  g_assert_true (sqlite3_prepare_v2 (_cr_store_get_db (store),
                                     "INSERT INTO visits (patient_id, started_at, chief_complaint,"
                                     " created_at, created_by, updated_at, updated_by)"
                                     " VALUES (?, ?, ?, 'x', 'x', 'x', 'x')", -1, &stmt, NULL) == SQLITE_OK);
  g_date_clear (&day, 1);
  g_date_set_dmy (&day, 1, 1, 2003);
  for (guint i = 0; i < 4000; i++)
    {
      g_autofree char *iso = NULL;
      static const char * const what[] = { "Cough", "Back pain", "Fatigue", "Insomnia" };

      iso = g_strdup_printf ("%04u-%02u-%02u", g_date_get_year (&day), g_date_get_month (&day),
                             g_date_get_day (&day));
      sqlite3_bind_int64 (stmt, 1, p);
      sqlite3_bind_text (stmt, 2, iso, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 3, what[i % 4], -1, SQLITE_STATIC);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
      sqlite3_reset (stmt);
      g_date_add_days (&day, 2);
    }
  sqlite3_finalize (stmt);
  g_assert_true (_cr_store_commit (store, &error));

  t0 = g_get_monotonic_time ();
  report = analyze (store, p, &all_time);
  g_test_message ("4000 visits analysed in %.1f ms", (g_get_monotonic_time () - t0) / 1000.0);
  g_assert_cmpuint (cr_complaint_report_get_n_visits (report), ==, 4000);
  g_assert_cmpuint (cr_complaint_report_get_n_recurring (report), ==, 4);
  c = cr_complaint_report_find (report, "text:cough");
  g_assert_cmpuint (cr_complaint_get_n_episodes (c), ==, 1000);
  for (guint i = 0; i < c->intervals->len; i++)
    g_assert_cmpint (g_array_index (c->intervals, int, i), ==, 8);
  g_assert_cmpint (c->trend, ==, CR_COMPLAINT_TREND_STEADY);
}

/* The demo practice's recurring complaints are found: for every patient,
 * each ICD-10-CM category coded at two or more days (counted here with
 * SQL, independently) is a recurring complaint of the analysis, with that
 * many episodes. */
static void
test_demo (StoreFixture  *fixture,
           gconstpointer  data)
{
  CrStore *store = fixture->store;
  g_autoptr(GError) error = NULL;
  g_autoptr(CrPatient) long_history = NULL;
  g_autoptr(CrComplaintReport) report = NULL;
  sqlite3_stmt *stmt;
  guint checked = 0, watched = 0;
  gint64 t0;
  double best = G_MAXDOUBLE;
  g_autofree char *today = NULL;
  GDate now;

  g_assert_true (cr_store_generate_demo (store, 200, 7, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  cr_date_set_today (&now);
  today = cr_date_to_iso (&now);

  g_assert_cmpint (sqlite3_prepare_v2 (_cr_store_get_db (store),
                                       "SELECT v.patient_id, substr (d.code, 1, 3) AS cat,"
                                       " count (DISTINCT substr (v.started_at, 1, 10))"
                                       " FROM visits v JOIN visit_diagnoses d ON d.visit_id = v.id"
                                       " WHERE d.system = 'icd10cm' AND d.entered_in_error = 0"
                                       " AND v.entered_in_error = 0 AND substr (v.started_at, 1, 10) <= ?"
                                       " GROUP BY v.patient_id, cat HAVING count (DISTINCT substr (v.started_at, 1, 10)) >= 2"
                                       " ORDER BY v.patient_id", -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, today, -1, SQLITE_TRANSIENT);
  {
    gint64 current = 0;

    while (sqlite3_step (stmt) == SQLITE_ROW)
      {
        gint64 patient = sqlite3_column_int64 (stmt, 0);
        const char *cat = (const char *) sqlite3_column_text (stmt, 1);
        g_autofree char *key = g_strconcat ("icd10cm:", cat, NULL);
        const CrComplaint *c;

        if (patient != current)
          {
            g_clear_pointer (&report, cr_complaint_report_unref);
            report = analyze (store, patient, NULL);
            current = patient;
          }
        c = cr_complaint_report_find (report, key);
        g_assert_nonnull (c);
        g_assert_true (cr_complaint_is_recurring (c));
        g_assert_cmpuint (cr_complaint_get_n_episodes (c), ==, sqlite3_column_int (stmt, 2));
        if (g_str_equal (cat, "R51") || g_str_equal (cat, "M54") || g_str_equal (cat, "J02") ||
            g_str_equal (cat, "N39"))
          watched++;
        checked++;
      }
  }
  sqlite3_finalize (stmt);
  g_test_message ("%u recurring categories checked, %u of them R51/M54/J02/N39", checked, watched);
  g_assert_cmpuint (watched, >=, 10);
  g_clear_pointer (&report, cr_complaint_report_unref);

  /* P000001: 500 visits. Best of five; the budget is 20 ms. */
  long_history = cr_store_find_patient_by_record_number (store, CR_DEMO_LONG_HISTORY_RECORD, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 5; i++)
    {
      g_clear_pointer (&report, cr_complaint_report_unref);
      t0 = g_get_monotonic_time ();
      report = analyze (store, cr_patient_get_id (long_history), NULL);
      best = MIN (best, (g_get_monotonic_time () - t0) / 1000.0);
    }
  g_test_message ("P000001 (%u visits, %u recurring complaints): %.2f ms",
                  cr_complaint_report_get_n_visits (report),
                  cr_complaint_report_get_n_recurring (report), best);
  g_assert_cmpuint (cr_complaint_report_get_n_visits (report), <=, CR_DEMO_LONG_HISTORY_VISITS);
  g_assert_cmpuint (cr_complaint_report_get_n_visits (report), >=, CR_DEMO_LONG_HISTORY_VISITS - 10);
  /* His diabetes and hypertension are on the chronic problem list. */
  g_assert_true (cr_complaint_report_find (report, "icd10cm:E11")->chronic);
  g_assert_true (cr_complaint_report_find (report, "icd10cm:I10")->chronic);
}

static void
analyzed_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  CrComplaintReport **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = cr_store_analyze_complaints_finish (CR_STORE (source), result, &error);
  g_assert_no_error (error);
}

static void
test_async (StoreFixture  *fixture,
            gconstpointer  data)
{
  gint64 p = add_patient (fixture->store, "Async");
  CrComplaintReport *report = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();

  add_visit (fixture->store, p, "2024-01-01", "Cough");
  add_visit (fixture->store, p, "2024-02-01", "Cough");
  cr_store_analyze_complaints_async (fixture->store, p, &all_time, cancellable, analyzed_cb, &report);
  while (report == NULL)
    g_main_context_iteration (NULL, TRUE);
  /* The worker drops its reference to the task (and the store) just after
   * the callback ran. */
  for (guint i = 0; i < 500 && G_OBJECT (fixture->store)->ref_count > 1; i++)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  g_assert_cmpuint (cr_complaint_report_get_n_recurring (report), ==, 1);
  cr_complaint_report_unref (report);
}

static void
test_bad_options (StoreFixture  *fixture,
                  gconstpointer  data)
{
  CrComplaintOptions bad = { CR_COMPLAINT_PERIOD_ALL, "yesterday" };
  g_autoptr(GError) error = NULL;

  g_assert_null (cr_store_analyze_complaints (fixture->store, 1, &bad, NULL, &error));
  g_assert_error (error, CR_COMPLAINTS_ERROR, CR_COMPLAINTS_ERROR_INVALID);
}

#define ADD(path, func) \
  g_test_add (path, StoreFixture, NULL, store_fixture_setup, func, store_fixture_teardown)

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/complaints/normalize", test_normalize);
  g_test_add_func ("/core/complaints/chapters", test_chapters);
  ADD ("/core/complaints/free-text", test_free_text);
  ADD ("/core/complaints/mixed-systems", test_mixed_systems);
  ADD ("/core/complaints/single-and-none", test_single_and_none);
  ADD ("/core/complaints/same-day", test_same_day);
  ADD ("/core/complaints/left-out", test_left_out);
  ADD ("/core/complaints/prescriptions-outcomes", test_prescriptions_outcomes);
  ADD ("/core/complaints/trends", test_trends);
  ADD ("/core/complaints/scripts", test_scripts);
  ADD ("/core/complaints/thousands", test_thousands);
  ADD ("/core/complaints/demo", test_demo);
  ADD ("/core/complaints/async", test_async);
  ADD ("/core/complaints/bad-options", test_bad_options);

  return g_test_run ();
}
