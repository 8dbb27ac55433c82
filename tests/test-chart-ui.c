/* test-chart-ui.c: the chart as a physician sees it
 *
 * A demo practice (300 patients); the real CrMainView in a window under
 * Xvfb opens the chart of P000001, the long-history patient with 500
 * visits. What is on screen is checked against what the store holds, and
 * every change made through the chart is checked in the store. Each page
 * is saved as a PNG in screens/ to look at.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "chartroom-resources.h"
#include "cr-allergy-editor.h"
#include "cr-chart-page.h"
#include "cr-chart-summary-view.h"
#include "cr-chart.h"
#include "cr-codes.h"
#include "cr-demo.h"
#include "cr-main-view.h"
#include "cr-medication-list.h"
#include "cr-patients.h"
#include "cr-problem-editor.h"
#include "cr-problem-list.h"
#include "cr-visit-history.h"
#include "cr-visit-pages.h"
#include "test-util.h"
#include "widget-util.h"

#define DEMO_PATIENTS 300

typedef struct
{
  StoreFixture  sf;
  GtkWindow    *window;
  CrMainView   *view;
  CrChartPage  *chart;
  CrPatient    *patient;
} ChartFixture;

/* ---- helpers ----------------------------------------------------------- */

static GtkWidget *
chart_child (ChartFixture *f,
             const char   *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (f->chart), CR_TYPE_CHART_PAGE, name);

  g_assert_nonnull (child);
  return GTK_WIDGET (child);
}

static gboolean
chart_loaded (gpointer data)
{
  ChartFixture *f = data;

  return !cr_chart_page_get_loading (f->chart);
}

static void
wait_for_chart (ChartFixture *f)
{
  widget_wait_until (chart_loaded, f, "the chart to load");
  widget_iterate_for (150);
}

static void
show_page (ChartFixture *f,
           int           index,
           const char   *name)
{
  AdwViewStack *stack = cr_chart_page_get_stack (f->chart);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->chart), "chart.show-page", "i", index));
  widget_iterate_for (100);
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (stack), ==, name);
}

static gpointer
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return window;
    }
  return NULL;
}

static gboolean
toplevel_open (gpointer data)
{
  return find_toplevel (GPOINTER_TO_SIZE (data)) != NULL;
}

static gboolean
toplevel_closed (gpointer data)
{
  return find_toplevel (GPOINTER_TO_SIZE (data)) == NULL;
}

static gpointer
wait_for_toplevel (GType type)
{
  widget_wait_until (toplevel_open, GSIZE_TO_POINTER (type), g_type_name (type));
  widget_iterate_for (150);
  return find_toplevel (type);
}

static void
wait_closed (GType type)
{
  widget_wait_until (toplevel_closed, GSIZE_TO_POINTER (type), g_type_name (type));
}

static GtkWidget *
template_child (gpointer    widget,
                GType       type,
                const char *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (widget), type, name);

  g_assert_nonnull (child);
  return GTK_WIDGET (child);
}

static char *
format_problem (CrProblem *problem)
{
  g_autofree char *code = cr_code_format (cr_problem_get_system (problem),
                                          cr_problem_get_code (problem));

  return code ? g_strdup_printf ("%s %s", code, cr_problem_get_display (problem))
              : g_strdup (cr_problem_get_display (problem));
}

/* ---- fixture ------------------------------------------------------------ */

static void
chart_fixture_setup (ChartFixture  *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 start;

  store_fixture_setup (&f->sf, data);
  start = g_get_monotonic_time ();
  g_assert_true (cr_store_generate_demo (f->sf.store, DEMO_PATIENTS, 20261122, NULL, NULL, NULL,
                                         &error));
  g_assert_no_error (error);
  g_test_message ("demo practice of %d patients in %.0f ms", DEMO_PATIENTS,
                  (g_get_monotonic_time () - start) / 1000.0);

  f->patient = cr_store_find_patient_by_record_number (f->sf.store, CR_DEMO_LONG_HISTORY_RECORD,
                                                       &error);
  g_assert_no_error (error);
  g_assert_nonnull (f->patient);

  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->window, 1200, 820);
  f->view = CR_MAIN_VIEW (cr_main_view_new ());
  gtk_window_set_child (f->window, GTK_WIDGET (f->view));
  cr_main_view_set_store (f->view, f->sf.store);
  f->chart = CR_CHART_PAGE (gtk_widget_get_template_child (GTK_WIDGET (f->view),
                                                           CR_TYPE_MAIN_VIEW, "chart_page"));
  gtk_window_present (f->window);
  widget_iterate_for (300);

  cr_main_view_open_patient (f->view, f->patient);
  wait_for_chart (f);
}

static void
chart_fixture_teardown (ChartFixture  *f,
                        gconstpointer  data)
{
  GtkWindow *other;

  while ((other = find_toplevel (ADW_TYPE_MESSAGE_DIALOG)) != NULL ||
         (other = find_toplevel (CR_TYPE_PROBLEM_EDITOR)) != NULL ||
         (other = find_toplevel (CR_TYPE_ALLERGY_EDITOR)) != NULL)
    gtk_window_destroy (other);

  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
  g_object_add_weak_pointer (G_OBJECT (f->view), (gpointer *) &f->view);
  gtk_window_destroy (f->window);
  for (guint i = 0; i < 500 && f->view != NULL; i++)
    widget_iterate_for (10);
  g_assert_null (f->view);
  widget_iterate_for (50);

  g_clear_object (&f->patient);
  store_fixture_teardown (&f->sf, data);
}

/* ---- summary ------------------------------------------------------------ */

static void
test_summary (ChartFixture  *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrChartSummary) summary = NULL;
  g_autoptr(GString) badge = g_string_new ("Allergies: ");
  g_autoptr(CrProblem) problem = NULL;
  g_autoptr(CrPrescription) rx = NULL;
  g_autoptr(CrVisit) visit = NULL;
  g_autofree char *problem_text = NULL;
  g_autofree char *rx_label = NULL;
  GListModel *allergies;
  GtkLabel *allergy_label;

  summary = cr_store_load_chart_summary (f->sf.store, cr_patient_get_id (f->patient), 5, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cr_chart_summary_get_visit_count (summary), ==, CR_DEMO_LONG_HISTORY_VISITS);

  g_assert_cmpstr (adw_view_stack_get_visible_child_name (cr_chart_page_get_stack (f->chart)),
                   ==, "summary");

  /* The banner: who, and the allergies in words. */
  widget_assert_shows (GTK_WIDGET (f->chart), cr_patient_get_record_number (f->patient));
  widget_assert_shows (GTK_WIDGET (f->chart), "Male");
  widget_assert_shows (GTK_WIDGET (f->chart), "Born ");
  allergies = cr_chart_summary_get_allergies (summary);
  allergy_label = GTK_LABEL (chart_child (f, "allergy_label"));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (allergy_label)));
  if (g_list_model_get_n_items (allergies) > 0)
    {
      for (guint i = 0; i < g_list_model_get_n_items (allergies); i++)
        {
          g_autoptr(CrAllergy) a = g_list_model_get_item (allergies, i);

          g_string_append_printf (badge, i ? ", %s" : "%s", cr_allergy_get_substance (a));
        }
      g_assert_cmpstr (gtk_label_get_label (allergy_label), ==, badge->str);
      g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (allergy_label), "cr-no-allergies"));
    }
  else
    g_assert_cmpstr (gtk_label_get_label (allergy_label), ==, "No known allergies");
  g_test_message ("badge: %s", gtk_label_get_label (allergy_label));

  /* An active problem with its dotted code, chronic first. */
  g_assert_cmpuint (g_list_model_get_n_items (cr_chart_summary_get_problems (summary)), >, 0);
  problem = g_list_model_get_item (cr_chart_summary_get_problems (summary), 0);
  g_assert_true (cr_problem_get_chronic (problem));
  problem_text = format_problem (problem);
  g_assert_nonnull (strchr (problem_text, '.'));
  widget_assert_shows (GTK_WIDGET (f->chart), problem_text);
  widget_assert_shows (GTK_WIDGET (f->chart), "Chronic");

  /* A current medication. */
  g_assert_cmpuint (g_list_model_get_n_items (cr_chart_summary_get_medications (summary)), >, 0);
  rx = g_list_model_get_item (cr_chart_summary_get_medications (summary), 0);
  rx_label = cr_prescription_dup_label (rx);
  widget_assert_shows (GTK_WIDGET (f->chart), rx_label);

  /* The last visit, with its complaint and how many there are. */
  visit = g_list_model_get_item (cr_chart_summary_get_visits (summary), 0);
  if (cr_visit_get_chief_complaint (visit) != NULL)
    widget_assert_shows (GTK_WIDGET (f->chart), cr_visit_get_chief_complaint (visit));
  widget_assert_shows (GTK_WIDGET (f->chart), "The latest of 500 visits");
  if (g_list_model_get_n_items (cr_chart_summary_get_follow_ups (summary)) > 0)
    widget_assert_shows (GTK_WIDGET (f->chart), "Overdue Follow-up");

  g_free (widget_save_png (GTK_WIDGET (f->window), "chart-summary.png"));
  {
    GtkWidget *sv = chart_child (f, "summary_view");
    GtkScrolledWindow *scroller = GTK_SCROLLED_WINDOW (widget_find_type (sv, GTK_TYPE_SCROLLED_WINDOW, 0));
    GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (scroller);

    gtk_adjustment_set_value (adj, gtk_adjustment_get_upper (adj));
    widget_iterate_for (100);
    g_free (widget_save_png (GTK_WIDGET (f->window), "chart-summary-end.png"));
    gtk_adjustment_set_value (adj, 0);
  }
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  widget_iterate_for (200);
  g_free (widget_save_png (GTK_WIDGET (f->window), "chart-summary-dark.png"));
}

/* Another patient replaces every section at once: nothing of the first
 * patient (allergies least of all) stays on screen. */
static void
test_switch_patient (ChartFixture  *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrPatient) other = NULL;
  g_autoptr(GPtrArray) allergies = NULL;
  g_autoptr(GString) expected = g_string_new ("Allergies: ");
  GtkLabel *allergy_label = GTK_LABEL (chart_child (f, "allergy_label"));

  /* The first demo patient with recorded allergies. */
  for (guint i = 2; i <= DEMO_PATIENTS && other == NULL; i++)
    {
      g_autofree char *record = g_strdup_printf ("P%06u", i);
      g_autoptr(CrPatient) candidate = cr_store_find_patient_by_record_number (f->sf.store, record,
                                                                               &error);

      g_assert_no_error (error);
      g_clear_pointer (&allergies, g_ptr_array_unref);
      allergies = cr_store_list_allergies (f->sf.store, cr_patient_get_id (candidate), &error);
      g_assert_no_error (error);
      if (allergies->len > 0)
        other = g_steal_pointer (&candidate);
    }
  g_assert_nonnull (other);
  for (guint i = 0; i < allergies->len; i++)
    g_string_append_printf (expected, i ? ", %s" : "%s",
                            cr_allergy_get_substance (g_ptr_array_index (allergies, i)));

  cr_main_view_open_patient (f->view, other);
  /* Until the new chart is read, no allergy claim at all. */
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (allergy_label)));
  wait_for_chart (f);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (allergy_label)));
  g_assert_cmpstr (gtk_label_get_label (allergy_label), ==, expected->str);
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (allergy_label), "cr-no-allergies"));
  widget_assert_shows (GTK_WIDGET (f->chart), cr_patient_get_record_number (other));
  widget_assert_not_shows (GTK_WIDGET (f->chart), CR_DEMO_LONG_HISTORY_RECORD);
  /* The summary lists each with its reaction and severity. */
  widget_assert_shows (GTK_WIDGET (f->chart),
                       cr_allergy_get_substance (g_ptr_array_index (allergies, 0)));
  g_test_message ("%s: %s", cr_patient_get_record_number (other), expected->str);
  g_free (widget_save_png (GTK_WIDGET (f->window), "chart-summary-allergies.png"));

  /* Back to P000001, who has none: the badge says so, in its quiet form. */
  cr_main_view_open_patient (f->view, f->patient);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (allergy_label)));
  wait_for_chart (f);
  g_assert_cmpstr (gtk_label_get_label (allergy_label), ==, "No known allergies");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (allergy_label), "cr-no-allergies"));
  widget_assert_not_shows (GTK_WIDGET (f->chart), expected->str);
}

/* ---- pages and the switcher ---------------------------------------------- */

static void
test_pages (ChartFixture  *f,
            gconstpointer  data)
{
  AdwViewStack *stack = cr_chart_page_get_stack (f->chart);
  static const char * const names[] = { "summary", "visits", "medications", "problems", "details" };
  GtkWidget *reports;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    show_page (f, i, names[i]);
  widget_assert_shows (GTK_WIDGET (f->chart), "Problems & Allergies");
  widget_assert_shows (GTK_WIDGET (f->chart), "Medications");

  /* A page added later from outside (as the reports page is): switchable
   * with the next Ctrl+digit and shown in the switcher like the others. */
  reports = gtk_label_new ("Extra page content");
  adw_view_stack_add_titled (stack, reports, "test-extra", "Extra Section");
  widget_iterate_for (100);
  widget_assert_shows (GTK_WIDGET (f->chart), "Extra Section");
  {
    g_autoptr(GtkSelectionModel) pages = adw_view_stack_get_pages (stack);

    show_page (f, (int) g_list_model_get_n_items (G_LIST_MODEL (pages)) - 1, "test-extra");
  }
  widget_assert_shows (GTK_WIDGET (f->chart), "Extra page content");
  show_page (f, 0, "summary");
}

/* ---- visits ------------------------------------------------------------- */

static void
scroll_to_end (GtkScrolledWindow *scroller)
{
  GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (scroller);

  /* As a person dragging the scrollbar to the bottom would. */
  gtk_adjustment_set_value (adj, gtk_adjustment_get_upper (adj) - gtk_adjustment_get_page_size (adj));
}

static void
test_visits (ChartFixture  *f,
             gconstpointer  data)
{
  CrVisitHistory *history = CR_VISIT_HISTORY (chart_child (f, "visit_history"));
  GtkScrolledWindow *scroller = GTK_SCROLLED_WINDOW (template_child (history, CR_TYPE_VISIT_HISTORY,
                                                                     "scroller"));
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) first = NULL;
  GListModel *model;
  gint64 start, data_usec, count;
  g_autofree char *previous = NULL;
  guint rounds = 0;

  /* The data behind opening the visit history: the count and a first page. */
  start = g_get_monotonic_time ();
  count = cr_store_count_visits (f->sf.store, cr_patient_get_id (f->patient), &error);
  first = cr_store_list_visits (f->sf.store, cr_patient_get_id (f->patient), 0, 40, &error);
  data_usec = g_get_monotonic_time () - start;
  g_assert_no_error (error);
  g_assert_cmpint (count, ==, CR_DEMO_LONG_HISTORY_VISITS);
  g_assert_cmpuint (first->len, ==, 40);
  g_test_message ("500-visit chart: count + first page of 40 visits in %.2f ms", data_usec / 1000.0);
  g_assert_cmpint (data_usec, <, 50 * 1000);
  for (guint off = 40; off < 500; off += 120)
    {
      g_autoptr(GPtrArray) page = NULL;

      start = g_get_monotonic_time ();
      page = cr_store_list_visits (f->sf.store, cr_patient_get_id (f->patient), off, 40, &error);
      g_assert_no_error (error);
      g_test_message ("an older page (from visit %u): %.2f ms", off, (g_get_monotonic_time () - start) / 1000.0);
      g_assert_cmpint (g_get_monotonic_time () - start, <, 50 * 1000);
    }

  show_page (f, 1, "visits");
  model = cr_visit_history_get_model (history);
  g_assert_nonnull (model);
  WIDGET_WAIT_FOR (g_list_model_get_n_items (model) > 0, 5000);
  widget_iterate_for (100);
  g_test_message ("the history's first page read in %.2f ms (in its thread)",
                  cr_visit_pages_get_last_load_usec (CR_VISIT_PAGES (model)) / 1000.0);
  g_assert_cmpint (cr_visit_pages_get_last_load_usec (CR_VISIT_PAGES (model)), <, 50 * 1000);
  /* Only the pages needed so far, not the whole history. */
  g_assert_cmpuint (g_list_model_get_n_items (model), <, CR_DEMO_LONG_HISTORY_VISITS);

  {
    g_autoptr(CrVisit) newest = g_list_model_get_item (model, 0);

    g_assert_cmpint (cr_visit_get_id (newest), ==, cr_visit_get_id (g_ptr_array_index (first, 0)));
    if (cr_visit_get_chief_complaint (newest) != NULL)
      widget_assert_shows (GTK_WIDGET (history), cr_visit_get_chief_complaint (newest));
  }
  widget_assert_shows (GTK_WIDGET (history), "Signed");
  widget_assert_shows (GTK_WIDGET (history), "Dx");
  g_free (widget_save_png (GTK_WIDGET (f->window), "chart-visits.png"));

  /* Scroll to the end until every visit is read. */
  start = g_get_monotonic_time ();
  while (!cr_visit_pages_get_complete (CR_VISIT_PAGES (model)))
    {
      scroll_to_end (scroller);
      widget_iterate_for (30);
      g_assert_cmpuint (++rounds, <, 1000);
    }
  g_test_message ("scrolled through all %u visits in %.0f ms (%u frames of scrolling)",
                  g_list_model_get_n_items (model), (g_get_monotonic_time () - start) / 1000.0, rounds);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, CR_DEMO_LONG_HISTORY_VISITS);

  /* Newest first, each once. */
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(CrVisit) v = g_list_model_get_item (model, i);

      if (previous != NULL)
        g_assert_cmpstr (previous, >=, cr_visit_get_started_at (v));
      g_free (previous);
      previous = g_strdup (cr_visit_get_started_at (v));
    }
  g_free (widget_save_png (GTK_WIDGET (f->window), "chart-visits-end.png"));
}

static void
on_open_visit (GSimpleAction *action,
               GVariant      *parameter,
               gpointer       user_data)
{
  *(gint64 *) user_data = g_variant_get_int64 (parameter);
}

/* Activating a visit asks main.open-visit for it, by id. */
static void
test_visit_activation (ChartFixture  *f,
                       gconstpointer  data)
{
  g_autoptr(GSimpleActionGroup) group = g_simple_action_group_new ();
  g_autoptr(GSimpleAction) action = g_simple_action_new ("open-visit", G_VARIANT_TYPE_INT64);
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  CrVisitHistory *history = CR_VISIT_HISTORY (cr_visit_history_new ());
  GtkWidget *list_view;
  GListModel *model;
  gint64 opened = 0;

  g_signal_connect (action, "activate", G_CALLBACK (on_open_visit), &opened);
  g_action_map_add_action (G_ACTION_MAP (group), G_ACTION (action));
  gtk_widget_insert_action_group (GTK_WIDGET (window), "main", G_ACTION_GROUP (group));
  gtk_window_set_default_size (window, 700, 500);
  gtk_window_set_child (window, GTK_WIDGET (history));
  gtk_window_present (window);
  cr_visit_history_load (history, f->sf.store, cr_patient_get_id (f->patient));
  model = cr_visit_history_get_model (history);
  WIDGET_WAIT_FOR (g_list_model_get_n_items (model) > 3, 5000);
  widget_iterate_for (100);

  list_view = template_child (history, CR_TYPE_VISIT_HISTORY, "list_view");
  g_signal_emit_by_name (list_view, "activate", 2);
  {
    g_autoptr(CrVisit) third = g_list_model_get_item (model, 2);

    g_assert_cmpint (opened, ==, cr_visit_get_id (third));
  }
  gtk_window_destroy (window);
  widget_iterate_for (50);
}

/* ---- medications --------------------------------------------------------- */

static CrPrescription *
find_rx (GPtrArray *list,
         gint64     id)
{
  for (guint i = 0; i < list->len; i++)
    if (cr_prescription_get_id (g_ptr_array_index (list, i)) == id)
      return g_ptr_array_index (list, i);
  return NULL;
}

static void
test_medications (ChartFixture  *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) current = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(GPtrArray) past = NULL;
  g_autofree char *today = NULL;
  g_autofree char *stopped_label = NULL;
  g_autofree char *renewed_label = NULL;
  CrMedicationList *list = CR_MEDICATION_LIST (chart_child (f, "medication_list"));
  AdwMessageDialog *dialog;
  GtkEditable *reason;
  CrPrescription *stop_rx = NULL;
  CrPrescription *renew_rx = NULL;
  gint64 patient_id = cr_patient_get_id (f->patient);
  GDateTime *now = g_date_time_new_now_local ();

  today = g_date_time_format (now, "%Y-%m-%d");
  g_date_time_unref (now);

  current = cr_store_list_prescriptions (f->sf.store, patient_id, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (current->len, >=, 2);
  for (guint i = 0; i < current->len; i++)
    {
      CrPrescription *rx = g_ptr_array_index (current, i);

      if (g_strcmp0 (cr_prescription_get_start_date (rx), today) >= 0)
        continue;
      if (stop_rx == NULL)
        stop_rx = rx;
      else if (renew_rx == NULL)
        renew_rx = rx;
    }
  g_assert_nonnull (stop_rx);
  g_assert_nonnull (renew_rx);
  stopped_label = cr_prescription_dup_label (stop_rx);
  renewed_label = cr_prescription_dup_label (renew_rx);

  show_page (f, 2, "medications");
  widget_assert_shows (GTK_WIDGET (list), "Current Medications");
  widget_assert_shows (GTK_WIDGET (list), stopped_label);
  widget_assert_shows (GTK_WIDGET (list), "Past Medications");
  g_assert_nonnull (widget_find_button (GTK_WIDGET (list), "Prescribe…"));
  g_free (widget_save_png (GTK_WIDGET (f->window), "chart-medications.png"));

  /* Stop…: the reason is required, then saved. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (list), "medications.stop", "x",
                                             cr_prescription_get_id (stop_rx)));
  dialog = wait_for_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (strstr (adw_message_dialog_get_heading (dialog), stopped_label));
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "stop"));
  reason = GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog));
  gtk_editable_set_text (reason, "Nausea every morning");
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "stop"));
  g_free (widget_save_png (GTK_WIDGET (dialog), "chart-medication-stop.png"));
  widget_click (GTK_WIDGET (dialog), "Stop Medication");
  wait_closed (ADW_TYPE_MESSAGE_DIALOG);
  wait_for_chart (f);

  past = cr_store_list_prescriptions (f->sf.store, patient_id, FALSE, &error);
  g_assert_no_error (error);
  {
    CrPrescription *stopped = find_rx (past, cr_prescription_get_id (stop_rx));

    g_assert_nonnull (stopped);
    g_assert_cmpstr (cr_prescription_get_stop_reason (stopped), ==, "Nausea every morning");
    g_assert_cmpstr (cr_prescription_get_stop_date (stopped), ==, today);
  }
  widget_assert_shows (GTK_WIDGET (list), "stopped: Nausea every morning");

  /* Renew: a new prescription from today; the old one stops ("renewed"). */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (list), "medications.renew", "x",
                                             cr_prescription_get_id (renew_rx)));
  wait_for_chart (f);
  after = cr_store_list_prescriptions (f->sf.store, patient_id, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (after->len, ==, current->len - 1);
  g_assert_null (find_rx (after, cr_prescription_get_id (stop_rx)));
  g_assert_null (find_rx (after, cr_prescription_get_id (renew_rx)));
  {
    gboolean found = FALSE;

    for (guint i = 0; i < after->len; i++)
      {
        CrPrescription *rx = g_ptr_array_index (after, i);
        g_autofree char *label = cr_prescription_dup_label (rx);

        if (g_str_equal (label, renewed_label) &&
            g_strcmp0 (cr_prescription_get_start_date (rx), today) == 0)
          found = TRUE;
      }
    g_assert_true (found);
  }
  g_ptr_array_unref (past);
  past = cr_store_list_prescriptions (f->sf.store, patient_id, FALSE, &error);
  g_assert_cmpstr (cr_prescription_get_stop_reason (find_rx (past, cr_prescription_get_id (renew_rx))),
                   ==, "renewed");
  widget_assert_shows (GTK_WIDGET (list), renewed_label);

  /* The summary follows: the stopped drug left its current medications. */
  show_page (f, 0, "summary");
  {
    CrChartSummaryView *sv = CR_CHART_SUMMARY_VIEW (chart_child (f, "summary_view"));
    CrChartSummary *summary = cr_chart_summary_view_get_summary (sv);

    g_assert_cmpuint (g_list_model_get_n_items (cr_chart_summary_get_medications (summary)),
                      ==, after->len);
  }
  show_page (f, 2, "medications");
  g_free (widget_save_png (GTK_WIDGET (f->window), "chart-medications-after.png"));
}

/* ---- problems and allergies ------------------------------------------------ */

static gboolean
suggestions_shown (gpointer data)
{
  return gtk_widget_get_visible (template_child (data, CR_TYPE_PROBLEM_EDITOR, "suggestions_list"));
}

static CrProblem *
find_problem (GPtrArray  *list,
              const char *code)
{
  for (guint i = 0; i < list->len; i++)
    if (g_strcmp0 (cr_problem_get_code (g_ptr_array_index (list, i)), code) == 0)
      return g_ptr_array_index (list, i);
  return NULL;
}

static void
test_problems (ChartFixture  *f,
               gconstpointer  data)
{
  g_autofree char *codes_path = test_shared_data_path ("icd10cm", "icd10cm_order_2026.txt", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) active = NULL;
  g_autoptr(GPtrArray) resolved = NULL;
  g_autoptr(GPtrArray) allergies = NULL;
  CrProblemList *list = CR_PROBLEM_LIST (chart_child (f, "problem_list"));
  GtkLabel *badge = GTK_LABEL (chart_child (f, "allergy_label"));
  CrProblemEditor *editor;
  CrAllergyEditor *allergy_editor;
  AdwMessageDialog *dialog;
  CrProblem *added, *other;
  gint64 patient_id = cr_patient_get_id (f->patient);
  gint64 start;
  guint n_active;

  if (codes_path == NULL)
    return;
  start = g_get_monotonic_time ();
  g_assert_true (cr_store_import_codes (f->sf.store, codes_path, NULL, NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_test_message ("ICD-10-CM imported in %.0f ms", (g_get_monotonic_time () - start) / 1000.0);

  active = cr_store_list_problems (f->sf.store, patient_id, CR_PROBLEM_STATUS_ACTIVE, &error);
  g_assert_no_error (error);
  n_active = active->len;
  g_assert_null (find_problem (active, "J45909"));

  show_page (f, 3, "problems");
  widget_assert_shows (GTK_WIDGET (list), "Active Problems");
  widget_assert_shows (GTK_WIDGET (list), "Allergies");
  g_free (widget_save_png (GTK_WIDGET (f->window), "chart-problems.png"));

  /* Add: search ICD-10-CM as you type; Enter takes the first match. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (list), "problems.add", NULL));
  editor = wait_for_toplevel (CR_TYPE_PROBLEM_EDITOR);
  gtk_editable_set_text (GTK_EDITABLE (template_child (editor, CR_TYPE_PROBLEM_EDITOR, "condition_row")),
                         "asthma uncomplicated unspecified");
  widget_wait_until (suggestions_shown, editor, "code suggestions");
  widget_iterate_for (100);
  widget_assert_shows (GTK_WIDGET (editor), "J45.909");
  g_free (widget_save_png (GTK_WIDGET (editor), "chart-problem-editor.png"));

  /* A future onset is refused beside its field; nothing is lost. */
  gtk_editable_set_text (GTK_EDITABLE (template_child (editor, CR_TYPE_PROBLEM_EDITOR, "onset_row")),
                         "01/01/2999");
  g_signal_emit_by_name (template_child (editor, CR_TYPE_PROBLEM_EDITOR, "condition_row"),
                         "entry-activated");
  widget_assert_shows (GTK_WIDGET (editor), "ICD-10-CM J45.909");
  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL);
  widget_iterate_for (100);
  g_assert_true (find_toplevel (CR_TYPE_PROBLEM_EDITOR) == editor);
  g_assert_true (gtk_widget_get_visible (template_child (editor, CR_TYPE_PROBLEM_EDITOR, "error_label")));
  g_assert_true (gtk_widget_has_css_class (template_child (editor, CR_TYPE_PROBLEM_EDITOR, "onset_row"),
                                           "error"));
  g_free (widget_save_png (GTK_WIDGET (editor), "chart-problem-editor-error.png"));

  gtk_editable_set_text (GTK_EDITABLE (template_child (editor, CR_TYPE_PROBLEM_EDITOR, "onset_row")),
                         "03/15/2019");
  gtk_switch_set_active (GTK_SWITCH (template_child (editor, CR_TYPE_PROBLEM_EDITOR, "chronic_switch")),
                         TRUE);
  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL);
  wait_closed (CR_TYPE_PROBLEM_EDITOR);
  wait_for_chart (f);

  g_ptr_array_unref (active);
  active = cr_store_list_problems (f->sf.store, patient_id, CR_PROBLEM_STATUS_ACTIVE, &error);
  g_assert_cmpuint (active->len, ==, n_active + 1);
  added = find_problem (active, "J45909");
  g_assert_nonnull (added);
  g_assert_cmpstr (cr_problem_get_system (added), ==, CR_SYSTEM_ICD10CM);
  g_assert_cmpstr (cr_problem_get_onset_date (added), ==, "2019-03-15");
  g_assert_true (cr_problem_get_chronic (added));
  widget_assert_shows (GTK_WIDGET (list), "J45.909 Unspecified asthma, uncomplicated");
  widget_assert_shows (GTK_WIDGET (list), "Since Mar 15, 2019");

  /* Resolve: it moves to the resolved problems. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (list), "problems.resolve", "x",
                                             cr_problem_get_id (added)));
  wait_for_chart (f);
  resolved = cr_store_list_problems (f->sf.store, patient_id, CR_PROBLEM_STATUS_RESOLVED, &error);
  g_assert_nonnull (find_problem (resolved, "J45909"));
  g_ptr_array_unref (active);
  active = cr_store_list_problems (f->sf.store, patient_id, CR_PROBLEM_STATUS_ACTIVE, &error);
  g_assert_cmpuint (active->len, ==, n_active);
  widget_assert_shows (GTK_WIDGET (list), "Resolved Problems");
  widget_assert_shows (GTK_WIDGET (list), "J45.909 Unspecified asthma, uncomplicated");

  /* Entered in error: confirmed with a reason, gone from every list. */
  other = g_ptr_array_index (active, active->len - 1);
  {
    g_autofree char *other_text = format_problem (other);

    widget_assert_shows (GTK_WIDGET (list), other_text);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (list), "problems.entered-in-error", "x",
                                               cr_problem_get_id (other)));
    dialog = wait_for_toplevel (ADW_TYPE_MESSAGE_DIALOG);
    g_assert_false (adw_message_dialog_get_response_enabled (dialog, "mark"));
    gtk_editable_set_text (GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog)),
                           "Charted for the wrong patient");
    g_free (widget_save_png (GTK_WIDGET (dialog), "chart-entered-in-error.png"));
    widget_click (GTK_WIDGET (dialog), "Mark Entered in Error");
    wait_closed (ADW_TYPE_MESSAGE_DIALOG);
    wait_for_chart (f);
    g_ptr_array_unref (active);
    active = cr_store_list_problems (f->sf.store, patient_id, CR_PROBLEM_STATUS_ACTIVE, &error);
    g_assert_cmpuint (active->len, ==, n_active - 1);
    widget_assert_not_shows (GTK_WIDGET (list), other_text);
  }

  /* An allergy: recorded, in the badge, then entered in error. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (list), "allergies.add", NULL));
  allergy_editor = wait_for_toplevel (CR_TYPE_ALLERGY_EDITOR);
  gtk_editable_set_text (GTK_EDITABLE (template_child (allergy_editor, CR_TYPE_ALLERGY_EDITOR, "substance_row")),
                         "Latex");
  gtk_editable_set_text (GTK_EDITABLE (template_child (allergy_editor, CR_TYPE_ALLERGY_EDITOR, "reaction_row")),
                         "Hives");
  adw_combo_row_set_selected (ADW_COMBO_ROW (template_child (allergy_editor, CR_TYPE_ALLERGY_EDITOR,
                                                             "severity_row")), 3);
  g_free (widget_save_png (GTK_WIDGET (allergy_editor), "chart-allergy-editor.png"));
  gtk_widget_activate_action (GTK_WIDGET (allergy_editor), "editor.save", NULL);
  wait_closed (CR_TYPE_ALLERGY_EDITOR);
  wait_for_chart (f);

  allergies = cr_store_list_allergies (f->sf.store, patient_id, &error);
  g_assert_no_error (error);
  {
    CrAllergy *latex = NULL;

    for (guint i = 0; i < allergies->len; i++)
      if (g_str_equal (cr_allergy_get_substance (g_ptr_array_index (allergies, i)), "Latex"))
        latex = g_ptr_array_index (allergies, i);
    g_assert_nonnull (latex);
    g_assert_cmpstr (cr_allergy_get_reaction (latex), ==, "Hives");
    g_assert_cmpint (cr_allergy_get_severity (latex), ==, CR_ALLERGY_SEVERITY_SEVERE);
    g_assert_nonnull (strstr (gtk_label_get_label (badge), "Latex"));
    widget_assert_shows (GTK_WIDGET (list), "Hives · Severe");
    g_free (widget_save_png (GTK_WIDGET (f->window), "chart-problems-after.png"));
    adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
    widget_iterate_for (200);
    g_free (widget_save_png (GTK_WIDGET (f->window), "chart-problems-dark.png"));

    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (list), "allergies.entered-in-error", "x",
                                               cr_allergy_get_id (latex)));
    dialog = wait_for_toplevel (ADW_TYPE_MESSAGE_DIALOG);
    gtk_editable_set_text (GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog)),
                           "Recorded twice");
    widget_click (GTK_WIDGET (dialog), "Mark Entered in Error");
    wait_closed (ADW_TYPE_MESSAGE_DIALOG);
    wait_for_chart (f);
    g_assert_null (strstr (gtk_label_get_label (badge), "Latex"));
    widget_assert_not_shows (GTK_WIDGET (list), "Hives · Severe");
  }
}

int
main (int    argc,
      char **argv)
{
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_setenv ("GTK_A11Y", "none", FALSE);
  /* The tests read dates in English month names. */
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);

  widget_test_init (&argc, &argv);
  g_assert_nonnull (chartroom_get_resource ());
  {
    g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

    gtk_css_provider_load_from_resource (css, "/io/github/chartroom/Chartroom/style.css");
    gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                                GTK_STYLE_PROVIDER (css),
                                                GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  }

#define ADD(path, func) \
  g_test_add (path, ChartFixture, NULL, chart_fixture_setup, func, chart_fixture_teardown)
  ADD ("/widgets/chart/summary", test_summary);
  ADD ("/widgets/chart/switch-patient", test_switch_patient);
  ADD ("/widgets/chart/pages", test_pages);
  ADD ("/widgets/chart/visits", test_visits);
  ADD ("/widgets/chart/visit-activation", test_visit_activation);
  ADD ("/widgets/chart/medications", test_medications);
  ADD ("/widgets/chart/problems", test_problems);
#undef ADD

  return g_test_run ();
}
