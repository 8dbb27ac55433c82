/* test-reports-ui.c: the Reports page (pre-visit summary, recurring
 * complaints as chart and table) and the statistics window, on the demo
 * practice, in light and dark style
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "chartroom-resources.h"
#include "cr-chart.h"
#include "cr-chart-page.h"
#include "cr-complaint-chart.h"
#include "cr-demo.h"
#include "cr-patients.h"
#include "cr-report-page.h"
#include "cr-statistics-window.h"
#include "test-util.h"
#include "widget-util.h"

typedef struct
{
  StoreFixture  sf;
  GtkWindow    *window;
  CrReportPage *page;
  gint64        opened_visit;
} ReportFixture;

static void
on_open_visit (GSimpleAction *action,
               GVariant      *parameter,
               gpointer       user_data)
{
  ReportFixture *f = user_data;

  f->opened_visit = g_variant_get_int64 (parameter);
}

static void
fixture_setup (ReportFixture *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSimpleActionGroup) group = g_simple_action_group_new ();
  g_autoptr(GSimpleAction) open = g_simple_action_new ("open-visit", G_VARIANT_TYPE_INT64);

  store_fixture_setup (&f->sf, data);
  g_assert_true (cr_store_set_practice_name (f->sf.store, "Lakeside Family Practice", &error));
  g_assert_true (cr_store_generate_demo (f->sf.store, 60, 1, NULL, NULL, NULL, &error));
  g_assert_no_error (error);

  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_LIGHT);
  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->window, 1180, 1000);
  /* The main view's action, as the chart finds it up the tree. */
  g_signal_connect (open, "activate", G_CALLBACK (on_open_visit), f);
  g_action_map_add_action (G_ACTION_MAP (group), G_ACTION (open));
  gtk_widget_insert_action_group (GTK_WIDGET (f->window), "main", G_ACTION_GROUP (group));
  f->page = CR_REPORT_PAGE (cr_report_page_new ());
  gtk_window_set_child (f->window, GTK_WIDGET (f->page));
  gtk_window_present (f->window);
}

static void
fixture_teardown (ReportFixture *f,
                  gconstpointer  data)
{
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
  gtk_window_destroy (f->window);
  widget_iterate_for (50);
  store_fixture_teardown (&f->sf, data);
}

static gboolean
page_loaded (gpointer data)
{
  return !cr_report_page_get_loading (data);
}

static CrPatient *
show_patient (ReportFixture *f,
              const char    *record)
{
  g_autoptr(GError) error = NULL;
  CrPatient *patient = cr_store_find_patient_by_record_number (f->sf.store, record, &error);

  g_assert_no_error (error);
  cr_report_page_set_patient (f->page, f->sf.store, patient);
  widget_wait_until (page_loaded, f->page, "the report to load");
  widget_iterate_for (200);
  return patient;
}

static CrComplaintChart *
main_chart (ReportFixture *f)
{
  return CR_COMPLAINT_CHART (gtk_widget_get_template_child (GTK_WIDGET (f->page), CR_TYPE_REPORT_PAGE,
                                                            "chart"));
}

static void
test_many_complaints (ReportFixture *f,
                      gconstpointer  data)
{
  g_autoptr(CrPatient) patient = show_patient (f, CR_DEMO_LONG_HISTORY_RECORD);
  CrComplaintChart *chart = main_chart (f);
  CrComplaintReport *report = cr_complaint_chart_get_report (chart);
  g_autofree char *text = NULL;
  g_autofree char *png = NULL;
  g_autofree char *first = NULL;
  guint n_marks;

  g_assert_nonnull (report);
  g_assert_cmpuint (cr_complaint_report_get_n_recurring (report), >=, 6);
  widget_assert_shows (GTK_WIDGET (f->page), "Pre-visit Summary");
  widget_assert_shows (GTK_WIDGET (f->page), "Recurring Complaints");
  widget_assert_shows (GTK_WIDGET (f->page), "Current Medications");
  widget_assert_shows (GTK_WIDGET (f->page), "Type 2 diabetes mellitus");
  widget_assert_shows (GTK_WIDGET (f->page), "came back at two or more visits");

  /* A mark per episode in the period (all time), each with its tooltip. */
  n_marks = cr_complaint_chart_get_n_marks (chart);
  {
    guint episodes = 0;

    for (guint i = 0; i < cr_complaint_report_get_n_recurring (report); i++)
      episodes += cr_complaint_get_n_episodes (cr_complaint_report_get_complaint (report, i));
    g_assert_cmpuint (n_marks, ==, episodes);
  }
  text = cr_complaint_chart_dup_mark_text (chart, 0);
  g_assert_nonnull (strstr (text, "Prescribed:"));
  g_assert_nonnull (strstr (text, "Outcome:"));

  png = widget_save_png (GTK_WIDGET (f->window), "reports-page-light");
  g_test_message ("%s", png);
  g_clear_pointer (&png, g_free);
  png = widget_save_png (GTK_WIDGET (chart), "reports-chart-light");
  g_clear_pointer (&png, g_free);

  /* The keyboard: Right focuses the first mark, Enter opens its visit
   * through main.open-visit (the key controller's own signal). */
  gtk_widget_grab_focus (GTK_WIDGET (chart));
  {
    g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (chart));
    g_autoptr(CrVisit) visit = NULL;
    g_autoptr(GError) error = NULL;
    gboolean handled = FALSE;

    for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
      {
        g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

        if (!GTK_IS_EVENT_CONTROLLER_KEY (controller))
          continue;
        g_signal_emit_by_name (controller, "key-pressed", GDK_KEY_Right, 0, 0, &handled);
        g_assert_true (handled);
        g_signal_emit_by_name (controller, "key-pressed", GDK_KEY_Return, 0, 0, &handled);
        g_assert_true (handled);
      }
    g_assert_cmpint (f->opened_visit, >, 0);
    visit = cr_store_get_visit (f->sf.store, f->opened_visit, &error);
    g_assert_no_error (error);
    first = cr_complaint_chart_dup_mark_text (chart, 0);
    g_assert_true (g_str_has_prefix (first, cr_visit_get_started_at (visit)) ||
                   strncmp (first, cr_visit_get_started_at (visit), 10) == 0);
  }

  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  widget_iterate_for (300);
  png = widget_save_png (GTK_WIDGET (f->window), "reports-page-dark");
  g_clear_pointer (&png, g_free);
  png = widget_save_png (GTK_WIDGET (chart), "reports-chart-dark");
  g_clear_pointer (&png, g_free);
}

static void
test_table (ReportFixture *f,
            gconstpointer  data)
{
  g_autoptr(CrPatient) patient = show_patient (f, CR_DEMO_LONG_HISTORY_RECORD);
  CrComplaintReport *report = cr_complaint_chart_get_report (main_chart (f));
  GtkColumnView *table = GTK_COLUMN_VIEW (gtk_widget_get_template_child (GTK_WIDGET (f->page),
                                                                         CR_TYPE_REPORT_PAGE, "table"));
  GListModel *rows = G_LIST_MODEL (gtk_column_view_get_model (table));
  g_autofree char *png = NULL;

  widget_click (GTK_WIDGET (f->page), "Table");
  widget_iterate_for (300);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (table)));
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (main_chart (f))));
  /* The same rows as the chart's lanes. */
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, cr_complaint_report_get_n_recurring (report));
  for (guint i = 0; i < cr_complaint_report_get_n_recurring (report); i++)
    {
      const CrComplaint *c = cr_complaint_report_get_complaint (report, i);

      widget_assert_shows (GTK_WIDGET (table), c->label);
    }
  widget_assert_shows (GTK_WIDGET (table), "Last Outcome");
  png = widget_save_png (GTK_WIDGET (f->window), "reports-table");
  g_clear_pointer (&png, g_free);

  widget_click (GTK_WIDGET (f->page), "Chart");
  widget_iterate_for (200);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (main_chart (f))));
}

static void
test_period (ReportFixture *f,
             gconstpointer  data)
{
  g_autoptr(CrPatient) patient = show_patient (f, CR_DEMO_LONG_HISTORY_RECORD);
  GtkDropDown *period = GTK_DROP_DOWN (gtk_widget_get_template_child (GTK_WIDGET (f->page),
                                                                      CR_TYPE_REPORT_PAGE,
                                                                      "period_dropdown"));
  guint all_visits = cr_complaint_report_get_n_visits (cr_complaint_chart_get_report (main_chart (f)));
  CrComplaintReport *year;
  g_autofree char *png = NULL;

  gtk_drop_down_set_selected (period, 0);
  widget_wait_until (page_loaded, f->page, "the one-year report");
  widget_iterate_for (200);
  year = cr_complaint_chart_get_report (main_chart (f));
  g_assert_cmpint (cr_complaint_report_get_period (year), ==, CR_COMPLAINT_PERIOD_1Y);
  g_assert_cmpuint (cr_complaint_report_get_n_visits (year), <, all_visits);
  g_assert_cmpuint (cr_complaint_report_get_n_visits (year), >, 0);
  png = widget_save_png (GTK_WIDGET (main_chart (f)), "reports-chart-one-year");
}

static void
test_empty (ReportFixture *f,
            gconstpointer  data)
{
  g_autoptr(CrPatient) patient = cr_patient_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *png = NULL;
  CrComplaintChart *chart = main_chart (f);

  cr_patient_set_family_name (patient, "Newcomer");
  cr_patient_set_given_names (patient, "Ada");
  cr_patient_set_birth_date (patient, "1990-02-03");
  g_assert_true (cr_store_add_patient (f->sf.store, patient, FALSE, &error));
  g_assert_no_error (error);
  cr_report_page_set_patient (f->page, f->sf.store, patient);
  widget_wait_until (page_loaded, f->page, "the empty report");
  widget_iterate_for (200);

  g_assert_cmpuint (cr_complaint_report_get_n_recurring (cr_complaint_chart_get_report (chart)), ==, 0);
  g_assert_cmpuint (cr_complaint_chart_get_n_marks (chart), ==, 0);
  widget_assert_shows (GTK_WIDGET (f->page), "None recorded");
  widget_assert_shows (GTK_WIDGET (f->page), "No visits yet");
  widget_assert_shows (GTK_WIDGET (f->page), "0 visits in this period");
  png = widget_save_png (GTK_WIDGET (f->window), "reports-empty-light");
  g_clear_pointer (&png, g_free);
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  widget_iterate_for (300);
  png = widget_save_png (GTK_WIDGET (f->window), "reports-empty-dark");
}

static gboolean
stats_ready (gpointer data)
{
  return cr_statistics_window_get_statistics (data) != NULL;
}

static void
test_statistics_window (ReportFixture *f,
                        gconstpointer  data)
{
  GtkWidget *window = cr_statistics_window_new (f->sf.store);
  CrStatistics *stats;
  g_autofree char *png = NULL;
  GArray *diagnoses;

  gtk_window_set_default_size (GTK_WINDOW (window), 900, 1400);
  gtk_window_present (GTK_WINDOW (window));
  widget_wait_until (stats_ready, window, "the statistics");
  widget_iterate_for (300);
  stats = cr_statistics_window_get_statistics (CR_STATISTICS_WINDOW (window));
  diagnoses = cr_statistics_get_diagnoses (stats);
  g_assert_cmpuint (diagnoses->len, >, 3);

  widget_assert_shows (window, "Top Diagnoses");
  widget_assert_shows (window, "Outcomes by Diagnosis");
  widget_assert_shows (window, g_array_index (diagnoses, CrStatCount, 0).label);
  widget_assert_shows (window, "Recall List: E11");
  widget_assert_shows (window, "resolved or improved");
  png = widget_save_png (window, "statistics-window");
  gtk_window_destroy (GTK_WINDOW (window));
}


static gboolean
reports_ready (gpointer data)
{
  GtkWidget *page = adw_view_stack_get_child_by_name (data, "reports");

  return page != NULL && !cr_report_page_get_loading (CR_REPORT_PAGE (page)) &&
         cr_complaint_chart_get_report (CR_COMPLAINT_CHART (gtk_widget_get_template_child (page, CR_TYPE_REPORT_PAGE, "chart"))) != NULL;
}

/* In the chart: a "Reports" section that follows the open patient, and
 * does its work only when shown. */
static void
test_in_chart (ReportFixture *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrPatient) first = cr_store_find_patient_by_record_number (f->sf.store, CR_DEMO_LONG_HISTORY_RECORD, &error);
  g_autoptr(CrPatient) second = cr_store_find_patient_by_record_number (f->sf.store, "P000002", &error);
  CrChartPage *chart_page = g_object_new (CR_TYPE_CHART_PAGE, NULL);
  AdwViewStack *stack = cr_chart_page_get_stack (chart_page);
  GtkWidget *reports = adw_view_stack_get_child_by_name (stack, "reports");
  CrComplaintChart *chart;
  g_autofree char *png = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (reports);
  g_assert_cmpstr (adw_view_stack_page_get_title (adw_view_stack_get_page (stack, reports)), ==, "Reports");
  chart = CR_COMPLAINT_CHART (gtk_widget_get_template_child (reports, CR_TYPE_REPORT_PAGE, "chart"));

  gtk_window_set_child (f->window, GTK_WIDGET (chart_page));
  cr_chart_page_set_store (chart_page, f->sf.store);
  cr_chart_page_set_patient (chart_page, first);
  widget_iterate_for (300);
  /* Not shown yet: nothing analysed. */
  g_assert_null (cr_complaint_chart_get_report (chart));

  adw_view_stack_set_visible_child_name (stack, "reports");
  widget_wait_until (reports_ready, stack, "the Reports section");
  g_assert_cmpint (cr_complaint_report_get_patient_id (cr_complaint_chart_get_report (chart)), ==,
                   cr_patient_get_id (first));
  widget_assert_shows (reports, "Pre-visit Summary");
  png = widget_save_png (GTK_WIDGET (f->window), "reports-in-chart");

  /* Another patient: the chart opens on its Summary, and nothing of the
   * first patient stays in the Reports section. */
  cr_chart_page_set_patient (chart_page, second);
  widget_iterate_for (100);
  g_assert_null (cr_complaint_chart_get_report (chart));
  adw_view_stack_set_visible_child_name (stack, "reports");
  widget_wait_until (reports_ready, stack, "the second patient's report");
  g_assert_cmpint (cr_complaint_report_get_patient_id (cr_complaint_chart_get_report (chart)), ==,
                   cr_patient_get_id (second));
}

#define ADD(path, func) \
  g_test_add (path, ReportFixture, NULL, fixture_setup, func, fixture_teardown)

int
main (int   argc,
      char *argv[])
{
  widget_test_init (&argc, &argv);
  /* Links the application's resources in (the templates). */
  g_assert_nonnull (chartroom_get_resource ());

  ADD ("/widgets/reports/many-complaints", test_many_complaints);
  ADD ("/widgets/reports/table", test_table);
  ADD ("/widgets/reports/period", test_period);
  ADD ("/widgets/reports/empty", test_empty);
  ADD ("/widgets/reports/statistics-window", test_statistics_window);
  ADD ("/widgets/reports/in-chart", test_in_chart);

  return g_test_run ();
}
