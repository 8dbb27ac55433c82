/* test-report-export.c: the recurring-complaint report as PDF, PNG, CSV
 * and TSV; practice statistics
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <sys/wait.h>

#include <poppler.h>

#include "cr-audit.h"
#include "cr-chart.h"
#include "cr-complaints.h"
#include "cr-demo.h"
#include "cr-key.h"
#include "cr-patients.h"
#include "cr-report-export.h"
#include "cr-statistics.h"
#include "cr-store-private.h"
#include "test-util.h"

#define TODAY "2025-06-30"

static const CrComplaintOptions all_time = { CR_COMPLAINT_PERIOD_ALL, TODAY };

static CrPatient *
add_patient (CrStore    *store,
             const char *family,
             const char *given)
{
  g_autoptr(CrPatient) patient = cr_patient_new ();
  g_autoptr(GError) error = NULL;

  cr_patient_set_family_name (patient, family);
  cr_patient_set_given_names (patient, given);
  cr_patient_set_birth_date (patient, "1961-09-14");
  g_assert_true (cr_store_add_patient (store, patient, TRUE, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&patient);
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

/* Sets a chief complaint as an imported record may carry it, line breaks
 * included (the note form does not allow them). */
static void
set_raw_complaint (CrStore    *store,
                   gint64      visit_id,
                   const char *text)
{
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (_cr_store_get_db (store),
                                       "UPDATE visits SET chief_complaint = ? WHERE id = ?",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, text, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, visit_id);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
}

/* A CSV parser after RFC 4180, to read our own output back. */
static GPtrArray *
parse_csv (const char *text)
{
  GPtrArray *records = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  GPtrArray *record = g_ptr_array_new_with_free_func (g_free);
  GString *field = g_string_new (NULL);
  const char *p = text;

  while (*p != '\0')
    {
      if (*p == '"' && field->len == 0)
        {
          for (p++; *p != '\0'; p++)
            {
              if (*p == '"' && p[1] == '"')
                {
                  g_string_append_c (field, '"');
                  p++;
                }
              else if (*p == '"')
                {
                  p++;
                  break;
                }
              else
                g_string_append_c (field, *p);
            }
          continue;
        }
      if (*p == ',')
        {
          g_ptr_array_add (record, g_string_free (field, FALSE));
          field = g_string_new (NULL);
          p++;
          continue;
        }
      if (*p == '\r' && p[1] == '\n')
        {
          g_ptr_array_add (record, g_string_free (field, FALSE));
          field = g_string_new (NULL);
          g_ptr_array_add (records, record);
          record = g_ptr_array_new_with_free_func (g_free);
          p += 2;
          continue;
        }
      g_assert_true (*p != '"' && *p != '\n');
      g_string_append_c (field, *p++);
    }
  g_assert_cmpuint (field->len, ==, 0);
  g_assert_cmpuint (record->len, ==, 0);
  g_string_free (field, TRUE);
  g_ptr_array_unref (record);
  return records;
}

static char *
pdf_text (const char *path,
          int        *n_pages)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = g_filename_to_uri (path, NULL, NULL);
  PopplerDocument *doc = poppler_document_new_from_file (uri, NULL, &error);
  GString *text = g_string_new (NULL);

  g_assert_no_error (error);
  *n_pages = poppler_document_get_n_pages (doc);
  for (int i = 0; i < *n_pages; i++)
    {
      PopplerPage *page = poppler_document_get_page (doc, i);
      g_autofree char *t = poppler_page_get_text (page);

      g_string_append (text, t);
      g_string_append_c (text, '\n');
      g_object_unref (page);
    }
  g_object_unref (doc);
  return g_string_free (text, FALSE);
}

/* Whitespace-insensitive: PDF text extraction breaks lines where the
 * layout wrapped them. */
static gboolean
contains (const char *haystack,
          const char *needle)
{
  g_autoptr(GString) h = g_string_new (NULL);
  g_autoptr(GString) n = g_string_new (NULL);

  for (const char *p = haystack; *p; p++)
    if (!g_ascii_isspace (*p))
      g_string_append_c (h, *p);
  for (const char *p = needle; *p; p++)
    if (!g_ascii_isspace (*p))
      g_string_append_c (n, *p);
  return strstr (h->str, n->str) != NULL;
}

/* Forty complaints that each come back, on top of three with awkward
 * text: enough for several pages. */
static CrPatient *
build_history (CrStore *store)
{
  CrPatient *patient = add_patient (store, "Okonkwo-Müller", "Adaeze");
  gint64 p = cr_patient_get_id (patient);
  g_autoptr(GError) error = NULL;
  gint64 v;

  for (guint i = 0; i < 40; i++)
    {
      g_autofree char *what = g_strdup_printf ("Complaint number %02u", i);
      g_autofree char *d1 = g_strdup_printf ("20%02u-03-%02u", 10 + i % 12, 1 + i % 27);
      g_autofree char *d2 = g_strdup_printf ("20%02u-09-%02u", 10 + i % 12, 1 + i % 27);
      g_autofree char *d3 = g_strdup_printf ("20%02u-01-%02u", 11 + i % 12, 1 + i % 27);

      add_visit (store, p, d1, what);
      add_visit (store, p, d2, what);
      add_visit (store, p, d3, what);
    }

  v = add_visit (store, p, "2024-01-03", "x");
  set_raw_complaint (store, v, "Pain, left knee");
  v = add_visit (store, p, "2024-05-03", "x");
  set_raw_complaint (store, v, "Pain, left knee");

  v = add_visit (store, p, "2024-02-03", "x");
  set_raw_complaint (store, v, "\"Dizzy\" spells");
  v = add_visit (store, p, "2024-06-03", "x");
  set_raw_complaint (store, v, "\"Dizzy\" spells");

  v = add_visit (store, p, "2024-02-13", "x");
  set_raw_complaint (store, v, "Chest tightness\nafter stairs");
  v = add_visit (store, p, "2024-07-13", "x");
  set_raw_complaint (store, v, "Chest tightness\nafter stairs");

  v = add_visit (store, p, "2025-01-13", "Sore throat");
  g_assert_cmpint (cr_store_add_diagnosis (store, v, CR_SYSTEM_ICD10CM, "J02.9",
                                           "Acute pharyngitis, unspecified", TRUE, &error), >, 0);
  v = add_visit (store, p, "2025-03-13", "Sore throat");
  g_assert_cmpint (cr_store_add_diagnosis (store, v, CR_SYSTEM_ICD10CM, "J02.9",
                                           "Acute pharyngitis, unspecified", TRUE, &error), >, 0);
  g_assert_no_error (error);
  return patient;
}

static void
test_csv (StoreFixture  *fixture,
          gconstpointer  data)
{
  g_autoptr(CrPatient) patient = build_history (fixture->store);
  g_autoptr(CrComplaintReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *tsv = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_auto(GStrv) lines = NULL;
  gboolean comma = FALSE, quote = FALSE, newline = FALSE;
  guint rows = 0;

  report = cr_store_analyze_complaints (fixture->store, cr_patient_get_id (patient), &all_time,
                                        NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cr_complaint_report_get_n_recurring (report), ==, 44);

  csv = cr_complaint_report_to_table (report, CR_TABLE_FORMAT_CSV);
  records = parse_csv (csv);
  /* A header, then one record per episode: 40 × 3 + 4 × 2. */
  g_assert_cmpuint (records->len, ==, 1 + 40 * 3 + 4 * 2);
  for (guint i = 0; i < records->len; i++)
    {
      GPtrArray *r = g_ptr_array_index (records, i);

      g_assert_cmpuint (r->len, ==, 16);
      if (i == 0)
        {
          g_assert_cmpstr (g_ptr_array_index (r, 0), ==, "complaint");
          g_assert_cmpstr (g_ptr_array_index (r, 9), ==, "date");
          continue;
        }
      rows++;
      if (g_str_equal (g_ptr_array_index (r, 12), "Pain, left knee"))
        comma = TRUE;
      if (g_str_equal (g_ptr_array_index (r, 12), "\"Dizzy\" spells"))
        quote = TRUE;
      if (g_str_equal (g_ptr_array_index (r, 12), "Chest tightness\nafter stairs"))
        newline = TRUE;
      if (g_str_equal (g_ptr_array_index (r, 0), "Acute pharyngitis, unspecified"))
        {
          g_assert_cmpstr (g_ptr_array_index (r, 2), ==, "J02");
          g_assert_cmpstr (g_ptr_array_index (r, 3), ==, "X");
          g_assert_cmpstr (g_ptr_array_index (r, 5), ==, "2");
        }
    }
  g_assert_true (comma && quote && newline);

  /* TSV: one record a line, nothing inside breaks a line or a field. */
  tsv = cr_complaint_report_to_table (report, CR_TABLE_FORMAT_TSV);
  lines = g_strsplit (tsv, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, rows + 1);
  for (guint i = 0; i < rows; i++)
    {
      g_auto(GStrv) fields = g_strsplit (lines[i], "\t", -1);

      g_assert_cmpuint (g_strv_length (fields), ==, 16);
    }
  g_assert_cmpstr (lines[rows], ==, "");
}

static void
test_pdf (StoreFixture  *fixture,
          gconstpointer  data)
{
  g_autoptr(CrPatient) patient = build_history (fixture->store);
  g_autoptr(CrComplaintReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = test_make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "complaints.pdf", NULL);
  g_autofree char *text = NULL;
  g_autofree char *first = NULL;
  g_autofree char *last = NULL;
  int n_pages = 0;

  report = cr_store_analyze_complaints (fixture->store, cr_patient_get_id (patient), &all_time,
                                        NULL, &error);
  g_assert_no_error (error);
  g_assert_true (cr_complaint_report_write_pdf (report, "Lakeside Family Practice", patient, path, &error));
  g_assert_no_error (error);

  text = pdf_text (path, &n_pages);
  g_test_message ("%d pages", n_pages);
  g_assert_cmpint (n_pages, >=, 3);
  g_assert_true (contains (text, "Lakeside Family Practice"));
  g_assert_true (contains (text, "Recurring Complaints"));
  g_assert_true (contains (text, "Okonkwo-Müller"));
  g_assert_true (contains (text, cr_patient_get_record_number (patient)));
  g_assert_true (contains (text, "Complaint number 00"));
  g_assert_true (contains (text, "Complaint number 39"));
  g_assert_true (contains (text, "Acute pharyngitis, unspecified"));
  g_assert_true (contains (text, "J02"));
  g_assert_true (contains (text, "Pain, left knee"));
  first = g_strdup_printf ("Page 1 of %d", n_pages);
  last = g_strdup_printf ("Page %d of %d", n_pages, n_pages);
  g_assert_true (contains (text, first));
  g_assert_true (contains (text, last));
  /* The legend. */
  g_assert_true (contains (text, "Resolved"));
  g_assert_true (contains (text, "Adverse effect"));
  test_remove_tree (dir);
}

static void
test_png (StoreFixture  *fixture,
          gconstpointer  data)
{
  g_autoptr(CrPatient) patient = build_history (fixture->store);
  g_autoptr(CrPatient) nobody = add_patient (fixture->store, "Empty", "Nobody");
  g_autoptr(CrComplaintReport) report = NULL;
  g_autoptr(CrComplaintReport) empty = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = test_make_temp_dir ();
  const char *names[] = { "chart.png", "empty.png" };

  report = cr_store_analyze_complaints (fixture->store, cr_patient_get_id (patient), &all_time,
                                        NULL, &error);
  empty = cr_store_analyze_complaints (fixture->store, cr_patient_get_id (nobody), &all_time,
                                       NULL, &error);
  g_assert_no_error (error);

  for (guint k = 0; k < 2; k++)
    {
      g_autofree char *path = g_build_filename (dir, names[k], NULL);
      cairo_surface_t *image;
      guint32 first;
      guint different = 0;
      int stride;
      unsigned char *pixels;

      g_assert_true (cr_complaint_report_write_png (k == 0 ? report : empty, path, 900, 1.0, &error));
      g_assert_no_error (error);
      image = cairo_image_surface_create_from_png (path);
      g_assert_cmpint (cairo_surface_status (image), ==, CAIRO_STATUS_SUCCESS);
      g_assert_cmpint (cairo_image_surface_get_width (image), ==, 900);
      /* Lanes make the chart tall; the empty state is a short notice. */
      if (k == 0)
        g_assert_cmpint (cairo_image_surface_get_height (image), >, 44 * 30);
      else
        g_assert_cmpint (cairo_image_surface_get_height (image), <, 200);
      stride = cairo_image_surface_get_stride (image);
      pixels = cairo_image_surface_get_data (image);
      first = *(guint32 *) pixels;
      for (int y = 0; y < cairo_image_surface_get_height (image); y++)
        for (int x = 0; x < 900; x++)
          if (*(guint32 *) (pixels + y * stride + x * 4) != first)
            different++;
      g_test_message ("%s: %d px high, %u pixels not background", names[k],
                      cairo_image_surface_get_height (image), different);
      g_assert_cmpuint (different, >, k == 0 ? 20000 : 500);
      cairo_surface_destroy (image);
    }
  test_remove_tree (dir);
}

static void
test_statistics (StoreFixture  *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrStatistics) stats = NULL;
  g_autoptr(GCancellable) cancelled = g_cancellable_new ();
  g_autofree char *dir = test_make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "stats.pdf", NULL);
  g_autofree char *text = NULL;
  g_autofree char *csv = NULL;
  CrStatisticsOptions options = { NULL, NULL, "E11", 10, NULL };
  GArray *a;
  gint64 sum = 0, t0;
  int n_pages;
  sqlite3_stmt *stmt;

  g_assert_true (cr_store_generate_demo (fixture->store, 300, 3, NULL, NULL, NULL, &error));
  g_assert_no_error (error);

  t0 = g_get_monotonic_time ();
  stats = cr_store_compute_statistics (fixture->store, &options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_test_message ("statistics of 300 patients: %.1f ms", (g_get_monotonic_time () - t0) / 1000.0);

  /* The months add up to every visit up to today. */
  a = cr_statistics_get_months (stats);
  g_assert_cmpuint (a->len, >, 12);
  for (guint i = 0; i < a->len; i++)
    sum += g_array_index (a, CrStatMonth, i).visits;
  g_assert_cmpint (sum, ==, cr_statistics_get_total_visits (stats));
  {
    g_autofree char *upper = g_strdup_printf ("%sT99", cr_statistics_get_to (stats));

    g_assert_cmpint (sqlite3_prepare_v2 (_cr_store_get_db (fixture->store),
                                         "SELECT count (*) FROM visits WHERE entered_in_error = 0 AND started_at <= ?",
                                         -1, &stmt, NULL), ==, SQLITE_OK);
    sqlite3_bind_text (stmt, 1, upper, -1, SQLITE_TRANSIENT);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_cmpint (sum, ==, sqlite3_column_int64 (stmt, 0));
    sqlite3_finalize (stmt);
  }

  /* Hypertension is the practice's most common diagnosis. */
  a = cr_statistics_get_diagnoses (stats);
  g_assert_cmpuint (a->len, ==, 10);
  g_assert_cmpstr (g_array_index (a, CrStatCount, 0).code, ==, "I10");
  for (guint i = 1; i < a->len; i++)
    g_assert_cmpint (g_array_index (a, CrStatCount, i).count, <=, g_array_index (a, CrStatCount, i - 1).count);
  a = cr_statistics_get_complaints (stats);
  g_assert_cmpuint (a->len, ==, 10);
  a = cr_statistics_get_outcomes (stats);
  g_assert_cmpuint (a->len, >, 0);
  for (guint i = 0; i < a->len; i++)
    {
      CrStatOutcome *o = &g_array_index (a, CrStatOutcome, i);

      g_assert_cmpint (o->better + o->unchanged + o->worse, ==, o->total);
    }

  /* The recall list: every living, active patient with diabetes on the
   * problem list. */
  a = cr_statistics_get_recall (stats);
  g_assert_cmpuint (a->len, >, 10);
  g_assert_cmpint (sqlite3_prepare_v2 (_cr_store_get_db (fixture->store),
                                       "SELECT count (DISTINCT p.id) FROM patients p JOIN problems pr ON pr.patient_id = p.id"
                                       " WHERE pr.code LIKE 'E11%' AND pr.status = 'active' AND pr.entered_in_error = 0"
                                       " AND p.deceased = 0 AND p.inactive = 0", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (a->len, ==, sqlite3_column_int64 (stmt, 0));
  sqlite3_finalize (stmt);
  for (guint i = 1; i < a->len; i++)
    g_assert_true (g_array_index (a, CrStatRecall, i - 1).overdue || !g_array_index (a, CrStatRecall, i).overdue);

  csv = cr_statistics_to_table (stats, CR_TABLE_FORMAT_CSV);
  g_assert_true (g_str_has_prefix (csv, "section,key,label,count"));
  g_assert_nonnull (strstr (csv, "\r\ndiagnosis,I10,"));
  g_assert_nonnull (strstr (csv, "\r\nrecall,P"));

  g_assert_true (cr_statistics_write_pdf (stats, "Lakeside Family Practice", path, &error));
  g_assert_no_error (error);
  text = pdf_text (path, &n_pages);
  g_assert_true (contains (text, "Practice Statistics"));
  g_assert_true (contains (text, "Lakeside Family Practice"));
  g_assert_true (contains (text, "Recall list: E11"));
  g_assert_true (contains (text, "I10"));

  /* Cancelled before it starts: no result. */
  g_cancellable_cancel (cancelled);
  g_clear_pointer (&stats, cr_statistics_unref);
  stats = cr_store_compute_statistics (fixture->store, &options, NULL, NULL, cancelled, &error);
  g_assert_null (stats);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  options.registry_category = "1";
  g_assert_null (cr_store_compute_statistics (fixture->store, &options, NULL, NULL, NULL, &error));
  g_assert_error (error, CR_STATISTICS_ERROR, CR_STATISTICS_ERROR_INVALID);
  test_remove_tree (dir);
}


static void
test_previsit (StoreFixture  *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrPatient) patient = NULL;
  g_autoptr(CrPrevisit) previsit = NULL;
  g_autoptr(CrReportDoc) doc = NULL;
  g_autofree char *dir = test_make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "summary.pdf", NULL);
  g_autofree char *text = NULL;
  g_autofree char *problems = NULL;
  g_autofree char *meds = NULL;
  int n_pages;

  g_assert_true (cr_store_generate_demo (fixture->store, 30, 1, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  patient = cr_store_find_patient_by_record_number (fixture->store, CR_DEMO_LONG_HISTORY_RECORD, &error);
  g_assert_no_error (error);

  previsit = cr_store_load_previsit (fixture->store, cr_patient_get_id (patient), NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (previsit);
  /* His long history: six chronic problems, three last visits. */
  g_assert_cmpuint (g_list_model_get_n_items (cr_chart_summary_get_problems (cr_previsit_get_summary (previsit))), >=, 6);
  g_assert_cmpuint (g_list_model_get_n_items (cr_chart_summary_get_visits (cr_previsit_get_summary (previsit))), ==, 3);
  g_assert_cmpint (cr_complaint_report_get_period (cr_previsit_get_report (previsit)), ==, CR_COMPLAINT_PERIOD_3Y);
  g_assert_nonnull (cr_previsit_get_last_visit (previsit));
  g_assert_cmpuint (cr_previsit_get_documents (previsit)->len, ==, 0);

  problems = cr_previsit_dup_section (previsit, "problems", FALSE);
  g_assert_true (g_str_has_prefix (problems, "Problems and Conditions\n• "));
  g_assert_nonnull (strstr (problems, "Type 2 diabetes mellitus"));
  g_assert_nonnull (strstr (problems, "chronic"));
  meds = cr_previsit_dup_section (previsit, "medications", TRUE);
  g_assert_true (g_str_has_prefix (meds, "<b>Current Medications</b>\n"));
  /* His long-term drugs are renewed at most visits: a renewal is no change
   * of therapy and must not crowd the recent changes. */
  g_assert_null (strstr (meds, "renewed"));
  {
    GPtrArray *stopped = cr_previsit_get_stopped (previsit);

    for (guint i = 0; i < stopped->len; i++)
      g_assert_cmpstr (cr_prescription_get_stop_reason (g_ptr_array_index (stopped, i)), !=,
                       CR_STOP_REASON_RENEWED);
  }

  doc = cr_report_build_previsit_doc (previsit, "Lakeside Family Practice", patient);
  g_assert_true (cr_report_doc_write_pdf (doc, path, &error));
  g_assert_no_error (error);
  text = pdf_text (path, &n_pages);
  g_assert_cmpint (n_pages, >=, 1);
  g_assert_true (contains (text, "Pre-visit Summary"));
  g_assert_true (contains (text, "Lakeside Family Practice"));
  g_assert_true (contains (text, CR_DEMO_LONG_HISTORY_RECORD));
  g_assert_true (contains (text, "Allergies"));
  g_assert_true (contains (text, "Overdue Follow-ups"));
  g_assert_true (contains (text, "Last Visits"));
  g_assert_true (contains (text, cr_previsit_get_last_visit (previsit)));
  g_assert_true (contains (text, "Hypertension") || contains (text, "hypertension"));
  test_remove_tree (dir);
}

/* chartroom-cli report complaints, as a script would run it. */
static void
test_cli (StoreFixture  *fixture,
          gconstpointer  data)
{
  const char *cli = g_getenv ("CHARTROOM_CLI");
  g_autoptr(GError) error = NULL;
  g_autoptr(CrPatient) patient = build_history (fixture->store);
  g_autofree char *dir = test_make_temp_dir ();
  g_autofree char *key_path = g_build_filename (dir, "key", NULL);
  g_autofree char *csv_path = g_build_filename (dir, "out.csv", NULL);
  g_autofree char *pdf_path = g_build_filename (dir, "out.pdf", NULL);
  char *hex = NULL; /* secure memory: cr_key_free_string() */
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *csv = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GListModel) audit = NULL;
  gboolean exported = FALSE;
  int status;

  if (cli == NULL)
    {
      g_test_skip ("CHARTROOM_CLI is not set (run through meson test)");
      return;
    }
  hex = cr_key_to_hex (fixture->key);
  g_assert_true (g_file_set_contents_full (key_path, hex, -1, G_FILE_SET_CONTENTS_NONE, 0600, &error));
  cr_store_close (fixture->store);

  {
    const char *argv[] = { cli, "--database", fixture->path, "--key-file", key_path, "report", "complaints",
                           "--patient", cr_patient_get_record_number (patient), "--format", "csv",
                           "-o", csv_path, "--today", TODAY, NULL };

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
                                 &status, &error));
    g_assert_no_error (error);
    g_assert_cmpstr (err, ==, "");
    g_assert_true (g_spawn_check_wait_status (status, NULL));
  }
  g_assert_true (g_file_get_contents (csv_path, &csv, NULL, &error));
  records = parse_csv (csv);
  g_assert_cmpuint (records->len, ==, 1 + 40 * 3 + 4 * 2);

  {
    const char *argv[] = { cli, "--database", fixture->path, "--key-file", key_path, "report", "complaints",
                           "--patient", cr_patient_get_record_number (patient), "--format", "pdf",
                           "-o", pdf_path, NULL };

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL,
                                 &status, &error));
    g_assert_true (g_spawn_check_wait_status (status, NULL));
    g_assert_true (g_file_test (pdf_path, G_FILE_TEST_IS_REGULAR));
  }

  /* Wrong usage: exit 2 and one line on stderr. */
  {
    const char *argv[] = { cli, "--database", fixture->path, "--key-file", key_path, "report", "complaints",
                           "--patient", cr_patient_get_record_number (patient), "--format", "docx", NULL };
    g_autofree char *e2 = NULL;

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, &e2,
                                 &status, &error));
    g_assert_false (g_spawn_check_wait_status (status, NULL));
    g_assert_cmpint (WEXITSTATUS (status), ==, 2);
    g_assert_nonnull (strstr (e2, "docx"));
  }

  /* The exports are in the audit trail. */
  {
    g_autoptr(CrKey) key = cr_key_new_from_hex (hex, &error);
    g_autoptr(CrStore) store = cr_store_open (fixture->path, key, &error);

    g_assert_no_error (error);
    audit = cr_store_list_audit (store, cr_patient_get_id (patient), &error);
    g_assert_no_error (error);
    for (guint i = 0; i < g_list_model_get_n_items (audit); i++)
      {
        g_autoptr(CrAuditEntry) entry = g_list_model_get_item (audit, i);

        if (g_str_equal (cr_audit_entry_get_action (entry), CR_AUDIT_EXPORT) &&
            strstr (cr_audit_entry_get_detail (entry), "recurring complaints (csv)") != NULL)
          exported = TRUE;
      }
    g_assert_true (exported);
  }
  cr_key_free_string (hex);
  test_remove_tree (dir);
}

#define ADD(path, func) \
  g_test_add (path, StoreFixture, NULL, store_fixture_setup, func, store_fixture_teardown)

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  ADD ("/core/report-export/csv-tsv", test_csv);
  ADD ("/core/report-export/pdf", test_pdf);
  ADD ("/core/report-export/png", test_png);
  ADD ("/core/report-export/statistics", test_statistics);
  ADD ("/core/report-export/previsit", test_previsit);
  ADD ("/core/report-export/cli", test_cli);

  return g_test_run ();
}
