/* test-bench.c: `chartroom-cli bench --scale small --json` produces every figure
 *
 * This checks the report, never a time against a target: targets are the
 * benchmark's business, and a loaded test machine must not fail the suite.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "cr-store-private.h"
#include "test-util.h"

typedef struct
{
  char       *dir;
  char       *shared;  /* the real data folder, holding icd10cm/ */
  gboolean    has_pdf; /* and pdfs/scanned/ocrmypdf_c02-22.pdf */
  JsonParser *parser;
  JsonObject *report;
  char       *err;     /* the run's progress on stderr */
} BenchFixture;

/* Rows in the report's order: every one is always there. */
static const char * const expected_ids[] = {
  "patient-search",
  "patient-search-plain",
  "patient-search-ratio",
  "chart-open",
  "code-search",
  "complaint-report",
  "practice-statistics",
  "page-render-viewer",
  "page-render-poppler",
  "page-render-ratio",
  "page-cache-memory",
  "startup-empty-window",
  "startup-app",
  "startup-ratio",
  "memory-app",
  "memory-empty-window",
  "database-size",
};

static void
run_bench (BenchFixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) envp = g_get_environ ();
  g_autofree char *out = NULL;
  const char *argv[] = {
    g_getenv ("CHARTROOM_CLI"), "bench", "--scale", "small", "--json", "--dir", fixture->dir, NULL
  };
  int status = -1;

  envp = g_environ_setenv (envp, "CHARTROOM_SHARED_DATA", fixture->shared, TRUE);
  g_clear_pointer (&fixture->err, g_free);
  g_spawn_sync (NULL, (char **) argv, envp, G_SPAWN_DEFAULT, NULL, NULL,
                &out, &fixture->err, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, &error))
    g_error ("chartroom-cli bench failed: %s\n%s", error->message, fixture->err);

  g_clear_object (&fixture->parser);
  fixture->parser = json_parser_new ();
  json_parser_load_from_data (fixture->parser, out, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (fixture->parser)));
  fixture->report = json_node_get_object (json_parser_get_root (fixture->parser));
}

/* The bench takes tens of seconds: its tests share one run (and the
 * reuse test a second one on the same folder). */
static BenchFixture shared_run;

static BenchFixture *
get_run (void)
{
  BenchFixture *fixture = &shared_run;
  g_autofree char *order_file = NULL;
  g_autofree char *icd10cm = NULL;

  if (fixture->report != NULL)
    return fixture;
  if (g_getenv ("CHARTROOM_CLI") == NULL)
    g_error ("CHARTROOM_CLI is not set (run through meson test)");
  order_file = test_shared_data_path ("icd10cm", "icd10cm_order_2026.txt", NULL);
  if (order_file == NULL)
    return NULL;
  /* The folder holding icd10cm/, for the benchmark to import from. */
  icd10cm = test_shared_data_path ("icd10cm", NULL);
  fixture->shared = g_path_get_dirname (icd10cm);
  {
    g_autofree char *pdf = g_build_filename (fixture->shared, "pdfs", "scanned",
                                             "ocrmypdf_c02-22.pdf", NULL);

    /* Without it the render rows say why; the rest still runs. */
    fixture->has_pdf = g_file_test (pdf, G_FILE_TEST_IS_REGULAR);
  }
  fixture->dir = test_make_temp_dir ();
  run_bench (fixture);
  return fixture;
}

static void
free_run (BenchFixture *fixture)
{
  if (fixture->dir != NULL)
    test_remove_tree (fixture->dir);
  g_clear_pointer (&fixture->dir, g_free);
  g_clear_pointer (&fixture->shared, g_free);
  g_clear_pointer (&fixture->err, g_free);
  g_clear_object (&fixture->parser);
}

static gboolean
member_is_null (JsonObject *object,
                const char *name)
{
  g_assert_true (json_object_has_member (object, name));
  return JSON_NODE_HOLDS_NULL (json_object_get_member (object, name));
}

/* A number, not null nor a string. */
static double
member_number (JsonObject *object,
               const char *name)
{
  JsonNode *node;
  GType type;

  g_assert_true (json_object_has_member (object, name));
  node = json_object_get_member (object, name);
  g_assert_true (JSON_NODE_HOLDS_VALUE (node));
  type = json_node_get_value_type (node);
  g_assert_true (type == G_TYPE_DOUBLE || type == G_TYPE_INT64);
  return json_node_get_double (node);
}

static JsonObject *
find_row (JsonArray  *measures,
          const char *id)
{
  for (guint i = 0; i < json_array_get_length (measures); i++)
    {
      JsonObject *row = json_array_get_object_element (measures, i);

      if (g_str_equal (json_object_get_string_member (row, "id"), id))
        return row;
    }
  g_error ("no row %s in the report", id);
  return NULL;
}

/* Percentiles from real samples: ordered, positive. */
static void
assert_sampled (JsonObject *row,
                guint       min_samples)
{
  double p50 = member_number (row, "p50");
  double p95 = member_number (row, "p95");
  double p99 = member_number (row, "p99");

  g_assert_cmpfloat (member_number (row, "samples"), >=, min_samples);
  g_assert_cmpfloat (p50, >, 0);
  g_assert_cmpfloat (p50, <=, p95);
  g_assert_cmpfloat (p95, <=, p99);
}

/* Against a target, a measured row is met or missed, never left blank. */
static void
assert_judged (JsonObject *row)
{
  const char *verdict = json_object_get_string_member (row, "verdict");

  g_assert_false (member_is_null (row, "target"));
  g_assert_true (g_str_equal (verdict, "met") || g_str_has_prefix (verdict, "missed by "));
}

static void
assert_ratio (JsonObject *row,
              const char *figure)
{
  g_assert_true (member_is_null (row, "samples"));
  g_assert_cmpfloat (member_number (row, figure), >, 0);
  assert_judged (row);
}

static void
assert_not_measured (JsonObject *row,
                     const char *reason)
{
  g_autofree char *verdict = g_strdup_printf ("not measured: %s", reason);

  g_assert_true (member_is_null (row, "p50"));
  g_assert_true (member_is_null (row, "p95"));
  g_assert_true (member_is_null (row, "p99"));
  g_assert_true (member_is_null (row, "samples"));
  g_assert_cmpstr (json_object_get_string_member (row, "verdict"), ==, verdict);
}

static void
test_header (void)
{
  BenchFixture *fixture = get_run ();
  JsonObject *counts;
  JsonObject *machine;
  g_autoptr(GDateTime) date = NULL;

  if (fixture == NULL)
    return;

  g_assert_cmpstr (json_object_get_string_member (fixture->report, "scale"), ==, "small");
  counts = json_object_get_object_member (fixture->report, "counts");
  g_assert_cmpint (json_object_get_int_member (counts, "patients"), ==, 2000);
  /* About ten visits a patient, several diagnoses a visit. */
  g_assert_cmpint (json_object_get_int_member (counts, "visits"), >, 10000);
  g_assert_cmpint (json_object_get_int_member (counts, "diagnoses"),
                   >, json_object_get_int_member (counts, "visits"));
  g_assert_cmpint (json_object_get_int_member (counts, "prescriptions"), >, 2000);

  machine = json_object_get_object_member (fixture->report, "machine");
  g_assert_cmpint (json_object_get_int_member (machine, "nproc"), ==, g_get_num_processors ());
  g_assert_cmpstr (json_object_get_string_member (machine, "cpu"), !=, "");
  g_assert_true (g_str_has_prefix (json_object_get_string_member (fixture->report, "sqlcipher"),
                                   "3.4"));
  date = g_date_time_new_from_iso8601 (json_object_get_string_member (fixture->report, "date"),
                                       NULL);
  g_assert_nonnull (date);
}

static void
test_figures (void)
{
  BenchFixture *fixture = get_run ();
  JsonArray *measures;
  JsonObject *row;
  const char *startup[] = { "startup-empty-window", "startup-app", "memory-app",
                            "memory-empty-window" };

  if (fixture == NULL)
    return;

  measures = json_object_get_array_member (fixture->report, "measures");
  g_assert_cmpuint (json_array_get_length (measures), ==, G_N_ELEMENTS (expected_ids));
  for (guint i = 0; i < G_N_ELEMENTS (expected_ids); i++)
    {
      row = json_array_get_object_element (measures, i);
      g_assert_cmpstr (json_object_get_string_member (row, "id"), ==, expected_ids[i]);
      g_assert_cmpstr (json_object_get_string_member (row, "measure"), !=, "");
      g_assert_cmpstr (json_object_get_string_member (row, "unit"), !=, "");
    }

  /* Type-ahead: every keystroke of every query, on both copies. */
  row = find_row (measures, "patient-search");
  assert_sampled (row, 2000);
  assert_judged (row);
  assert_sampled (find_row (measures, "patient-search-plain"), 2000);
  assert_ratio (find_row (measures, "patient-search-ratio"), "p99");

  row = find_row (measures, "chart-open");
  assert_sampled (row, 300);
  assert_judged (row);

  /* The real ICD-10-CM order file was imported into the practice. */
  assert_sampled (find_row (measures, "code-search"), 1000);

  /* P000001's 500 visits, warm-up excluded. */
  row = find_row (measures, "complaint-report");
  assert_sampled (row, 200);
  assert_judged (row);
  g_assert_nonnull (strstr (fixture->err, "complaint report: 500 visits"));

  /* Over every visit, with progress, a few times. */
  row = find_row (measures, "practice-statistics");
  assert_sampled (row, 3);
  g_assert_cmpfloat (member_number (row, "samples"), <=, 5);
  assert_judged (row);
  g_assert_nonnull (strstr (fixture->err, "progress reports, first"));
  g_assert_null (strstr (fixture->err, "not 0 to 1"));

  /* A real scanned page, imported into the practice, drawn both ways. */
  if (fixture->has_pdf)
    {
      assert_sampled (find_row (measures, "page-render-viewer"), 30);
      assert_sampled (find_row (measures, "page-render-poppler"), 30);
      assert_ratio (find_row (measures, "page-render-ratio"), "p50");
      /* 384 × 470.88 points at 150 %, with ink on it. */
      g_assert_nonnull (strstr (fixture->err, "page 1 of ocrmypdf_c02-22.pdf: 576 × 707 pixels"));
      g_assert_null (strstr (fixture->err, " 0 not white"));

      /* The viewer's cache keeps its 256 MiB bound however far one pages. */
      row = find_row (measures, "page-cache-memory");
      g_assert_cmpfloat (member_number (row, "samples"), ==, 1);
      g_assert_cmpfloat (member_number (row, "p50"), >, 128);
      g_assert_cmpfloat (member_number (row, "p50"), <=, 256);
      assert_judged (row);
    }
  else
    {
      assert_not_measured (find_row (measures, "page-render-viewer"), "no test data");
      assert_not_measured (find_row (measures, "page-render-poppler"), "no test data");
      assert_not_measured (find_row (measures, "page-render-ratio"), "no test data");
      assert_not_measured (find_row (measures, "page-cache-memory"), "no test data");
    }

  /* Start-up needs a display and the application's --quit-when-ready:
   * figures from 7 runs, or a reason. */
  for (guint i = 0; i < G_N_ELEMENTS (startup); i++)
    {
      row = find_row (measures, startup[i]);
      if (member_is_null (row, "p50"))
        g_assert_true (g_str_has_prefix (json_object_get_string_member (row, "verdict"),
                                         "not measured: "));
      else
        assert_sampled (row, 7);
    }
  row = find_row (measures, "startup-ratio");
  if (member_is_null (row, "p50"))
    g_assert_true (g_str_has_prefix (json_object_get_string_member (row, "verdict"),
                                     "not measured: "));
  else
    assert_ratio (row, "p50");

  /* The encrypted practice with the code set: megabytes, not bytes. */
  row = find_row (measures, "database-size");
  g_assert_cmpfloat (member_number (row, "samples"), ==, 1);
  g_assert_cmpfloat (member_number (row, "p50"), >, 10);
}

/* The practice and its 0600 key stay for the next run; the unencrypted
 * copy does not outlive the run. */
static void
test_leaves_no_plain_copy (void)
{
  BenchFixture *fixture = get_run ();
  g_autoptr(GDir) dir = NULL;
  g_autofree char *key = NULL;
  const char *name;
  GStatBuf buf;

  if (fixture == NULL)
    return;

  dir = g_dir_open (fixture->dir, 0, NULL);
  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_assert_true (g_str_equal (name, "key") || g_str_has_prefix (name, "practice.chartroom"));

  key = g_build_filename (fixture->dir, "key", NULL);
  g_assert_cmpint (g_stat (key, &buf), ==, 0);
  g_assert_cmpint (buf.st_mode & 0777, ==, 0600);
  /* Synthetic records, but encrypted all the same. */
  g_assert_false (test_dir_contains (fixture->dir, "P000001"));
}

static const char count_stats_indexes[] =
  "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND"
  " name IN ('visits_stats', 'visit_diagnoses_stats', 'outcomes_stats')";

static CrStore *
open_bench_practice (BenchFixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *key_path = g_build_filename (fixture->dir, "key", NULL);
  g_autofree char *path = g_build_filename (fixture->dir, "practice.chartroom", NULL);
  g_autoptr(CrKey) key = cr_key_new_from_key_file (key_path, &error);
  CrStore *store;

  g_assert_no_error (error);
  store = cr_store_open (path, key, &error);
  g_assert_no_error (error);
  return store;
}

static int
query_int (CrStore    *store,
           const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  int value;

  g_assert_cmpint (sqlite3_prepare_v2 (_cr_store_get_db (store), sql, -1, &stmt, NULL),
                   ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

/* A second run reuses the practice instead of building it again, and
 * brings one left at version 5 (before the statistics indexes) up to
 * date, saying so before it starts. */
static void
test_reuses_practice (void)
{
  BenchFixture *fixture = get_run ();
  g_autoptr(CrStore) store = NULL;
  g_autofree char *announced = NULL;
  JsonObject *counts;

  if (fixture == NULL)
    return;

  g_assert_nonnull (strstr (fixture->err, "building the small practice"));
  g_assert_nonnull (strstr (fixture->err, "importing"));
  if (fixture->has_pdf)
    g_assert_nonnull (strstr (fixture->err, "ocrmypdf_c02-22.pdf into P000001's chart"));

  /* As version 5 left it: no statistics indexes. */
  store = open_bench_practice (fixture);
  g_assert_cmpint (query_int (store, count_stats_indexes), ==, 3);
  g_assert_cmpint (sqlite3_exec (_cr_store_get_db (store),
                                 "DROP INDEX visits_stats; DROP INDEX visit_diagnoses_stats;"
                                 "DROP INDEX outcomes_stats; PRAGMA user_version = 5;",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  cr_store_close (store);
  g_assert_finalize_object (g_steal_pointer (&store));

  run_bench (fixture);
  g_assert_null (strstr (fixture->err, "building"));
  g_assert_nonnull (strstr (fixture->err, "reusing"));
  /* The code set and the scanned page were imported once. */
  g_assert_null (strstr (fixture->err, "importing"));
  announced = g_strdup_printf ("has schema version 5, this build %d: opening updates it",
                               cr_schema_get_current_version ());
  g_assert_nonnull (strstr (fixture->err, announced));
  g_assert_nonnull (strstr (fixture->err, "running ANALYZE"));
  counts = json_object_get_object_member (fixture->report, "counts");
  g_assert_cmpint (json_object_get_int_member (counts, "patients"), ==, 2000);
  if (fixture->has_pdf)
    assert_ratio (find_row (json_object_get_array_member (fixture->report, "measures"),
                            "page-render-ratio"), "p50");

  store = open_bench_practice (fixture);
  g_assert_cmpint (cr_store_get_schema_version (store), ==, cr_schema_get_current_version ());
  g_assert_cmpint (query_int (store, count_stats_indexes), ==, 3);
  cr_store_close (store);
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/bench/header", test_header);
  g_test_add_func ("/core/bench/figures", test_figures);
  g_test_add_func ("/core/bench/leaves-no-plain-copy", test_leaves_no_plain_copy);
  g_test_add_func ("/core/bench/reuses-practice", test_reuses_practice);

  status = g_test_run ();
  free_run (&shared_run);
  return status;
}
