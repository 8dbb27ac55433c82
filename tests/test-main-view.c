/* test-main-view.c: the patient list, search, chart and form, as seen
 *
 * A fresh practice holds the 70 Synthea patients of ../shared/data plus
 * one with an umlaut; the real CrMainView runs in a window under Xvfb and
 * every step is checked on what is on screen (and saved as a PNG in
 * screens/ to look at).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "chartroom-resources.h"
#include "cr-audit.h"
#include "cr-chart-page.h"
#include "cr-main-view.h"
#include "cr-patient-editor.h"
#include "cr-patient-sidebar.h"
#include "cr-patients.h"
#include "test-util.h"
#include "widget-util.h"

typedef struct
{
  StoreFixture  sf;
  GtkWindow    *window;
  CrMainView   *view;
  guint         n_synthea;
} ViewFixture;

/* ---- helpers ----------------------------------------------------------- */

static CrPatientSidebar *
get_sidebar (ViewFixture *f)
{
  return CR_PATIENT_SIDEBAR (gtk_widget_get_template_child (GTK_WIDGET (f->view),
                                                            CR_TYPE_MAIN_VIEW, "sidebar"));
}

typedef struct
{
  CrPatientSidebar *sidebar;
  const char       *text;
} SettleData;

static gboolean
list_settled (gpointer data)
{
  SettleData *d = data;

  return !cr_patient_sidebar_get_loading (d->sidebar) &&
         g_strcmp0 (cr_patient_sidebar_get_search_text (d->sidebar), d->text) == 0;
}

/* Types into the search entry (as a person would, the whole text at once)
 * and waits until the list shows that query's results. */
static void
search (ViewFixture *f,
        const char  *text)
{
  CrPatientSidebar *sidebar = get_sidebar (f);
  SettleData d = { sidebar, text };

  gtk_editable_set_text (cr_patient_sidebar_get_search_entry (sidebar), text);
  widget_wait_until (list_settled, &d, "the search to settle");
  widget_iterate_for (100);
}

static gint64
count_patients (ViewFixture *f)
{
  g_autoptr(GError) error = NULL;
  gint64 n = cr_store_count_patients (f->sf.store, &error);

  g_assert_no_error (error);
  return n;
}

static guint
count_views (ViewFixture *f,
             CrPatient   *patient)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) trail = cr_store_list_audit (f->sf.store, cr_patient_get_id (patient), &error);
  guint n = 0;

  g_assert_no_error (error);
  for (guint i = 0; i < g_list_model_get_n_items (trail); i++)
    {
      g_autoptr(CrAuditEntry) entry = g_list_model_get_item (trail, i);

      if (g_strcmp0 (cr_audit_entry_get_action (entry), CR_AUDIT_VIEW) == 0)
        n++;
    }
  return n;
}

static CrPatientEditor *
find_editor (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (CR_IS_PATIENT_EDITOR (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return CR_PATIENT_EDITOR (window);
    }
  return NULL;
}

static AdwMessageDialog *
find_message_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return ADW_MESSAGE_DIALOG (window);
    }
  return NULL;
}

static gboolean
editor_open (gpointer data)
{
  return find_editor () != NULL;
}

static gboolean
editor_closed (gpointer data)
{
  return find_editor () == NULL;
}

static GtkWidget *
editor_child (CrPatientEditor *editor,
              const char      *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (editor),
                                                  CR_TYPE_PATIENT_EDITOR, name);

  g_assert_nonnull (child);
  return GTK_WIDGET (child);
}

static void
type_into (CrPatientEditor *editor,
           const char      *row,
           const char      *text)
{
  gtk_editable_set_text (GTK_EDITABLE (editor_child (editor, row)), text);
}

static CrPatientEditor *
open_editor (ViewFixture *f,
             const char  *action)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), action, NULL));
  widget_wait_until (editor_open, NULL, "the patient editor");
  widget_iterate_for (200);
  return find_editor ();
}

static gboolean
chart_shows_patient (gpointer data)
{
  ViewFixture *f = data;

  return cr_main_view_get_patient (f->view) != NULL;
}

/* The chart opens on its Summary; contact and insurance are on Details. */
static void
show_details (ViewFixture *f)
{
  CrChartPage *chart = CR_CHART_PAGE (gtk_widget_get_template_child (GTK_WIDGET (f->view),
                                                                     CR_TYPE_MAIN_VIEW, "chart_page"));

  adw_view_stack_set_visible_child_name (cr_chart_page_get_stack (chart), "details");
  widget_iterate_for (100);
}

/* ---- fixture: a practice with the Synthea patients ---------------------- */

static void
add_synthea_patient (ViewFixture *f,
                     const char  *path)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonArray *entries;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  entries = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                          "entry");
  for (guint i = 0; i < json_array_get_length (entries); i++)
    {
      JsonObject *resource = json_object_get_object_member (json_array_get_object_element (entries, i),
                                                            "resource");
      g_autoptr(CrPatient) patient = NULL;
      g_autoptr(GString) given = g_string_new (NULL);
      JsonObject *name;
      JsonArray *given_array;
      const char *gender;

      if (g_strcmp0 (json_object_get_string_member (resource, "resourceType"), "Patient") != 0)
        continue;

      patient = cr_patient_new ();
      name = json_array_get_object_element (json_object_get_array_member (resource, "name"), 0);
      cr_patient_set_family_name (patient, json_object_get_string_member (name, "family"));
      given_array = json_object_get_array_member (name, "given");
      for (guint g = 0; given_array && g < json_array_get_length (given_array); g++)
        {
          if (given->len > 0)
            g_string_append_c (given, ' ');
          g_string_append (given, json_array_get_string_element (given_array, g));
        }
      cr_patient_set_given_names (patient, given->str);
      cr_patient_set_birth_date (patient, json_object_get_string_member (resource, "birthDate"));
      gender = json_object_get_string_member_with_default (resource, "gender", "unknown");
      cr_patient_set_sex (patient, g_str_equal (gender, "female") ? CR_SEX_FEMALE
                                   : g_str_equal (gender, "male") ? CR_SEX_MALE : CR_SEX_UNKNOWN);

      if (json_object_has_member (resource, "telecom"))
        {
          JsonObject *telecom = json_array_get_object_element (json_object_get_array_member (resource, "telecom"), 0);
          cr_patient_set_phone (patient, json_object_get_string_member (telecom, "value"));
        }
      if (json_object_has_member (resource, "address"))
        {
          JsonObject *address = json_array_get_object_element (json_object_get_array_member (resource, "address"), 0);
          JsonArray *lines = json_object_get_array_member (address, "line");
          g_autofree char *text = NULL;

          text = g_strdup_printf ("%s\n%s, %s %s",
                                  lines ? json_array_get_string_element (lines, 0) : "",
                                  json_object_get_string_member_with_default (address, "city", ""),
                                  json_object_get_string_member_with_default (address, "state", ""),
                                  json_object_get_string_member_with_default (address, "postalCode", ""));
          cr_patient_set_address (patient, text);
        }
      if (json_object_has_member (resource, "deceasedDateTime"))
        {
          g_autofree char *date = g_strndup (json_object_get_string_member (resource, "deceasedDateTime"), 10);

          cr_patient_set_deceased (patient, TRUE);
          cr_patient_set_deceased_date (patient, date);
        }

      cr_store_add_patient (f->sf.store, patient, FALSE, &error);
      g_assert_no_error (error);
      f->n_synthea++;
    }
}

static gboolean
list_loaded (gpointer data)
{
  ViewFixture *f = data;
  CrPatientSidebar *sidebar = get_sidebar (f);

  return !cr_patient_sidebar_get_loading (sidebar) &&
         cr_patient_sidebar_get_search_text (sidebar) != NULL;
}

static void
view_fixture_setup (ViewFixture   *f,
                    gconstpointer  data)
{
  g_autofree char *dir = test_shared_data_path ("synthea", NULL);
  g_autoptr(CrPatient) mueller = cr_patient_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) listing = NULL;
  const char *name;

  if (dir == NULL)
    return;

  store_fixture_setup (&f->sf, data);

  listing = g_dir_open (dir, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (listing)) != NULL)
    if (g_str_has_suffix (name, ".json"))
      {
        g_autofree char *path = g_build_filename (dir, name, NULL);
        add_synthea_patient (f, path);
      }
  g_assert_cmpuint (f->n_synthea, ==, 70);

  /* A name the search must find without its umlaut. */
  cr_patient_set_family_name (mueller, "Müller");
  cr_patient_set_given_names (mueller, "Jürgen");
  cr_patient_set_birth_date (mueller, "1958-11-03");
  cr_patient_set_sex (mueller, CR_SEX_MALE);
  cr_patient_set_inactive (mueller, TRUE);
  cr_store_add_patient (f->sf.store, mueller, FALSE, &error);
  g_assert_no_error (error);

  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->window, 1100, 760);
  f->view = CR_MAIN_VIEW (cr_main_view_new ());
  gtk_window_set_child (f->window, GTK_WIDGET (f->view));
  cr_main_view_set_store (f->view, f->sf.store);
  gtk_window_present (f->window);

  widget_wait_until (list_loaded, f, "the patient list");
  widget_iterate_for (300);
}

static void
view_fixture_teardown (ViewFixture   *f,
                       gconstpointer  data)
{
  CrPatientEditor *editor;

  if (f->window == NULL)
    return;

  while ((editor = find_editor ()) != NULL)
    gtk_window_destroy (GTK_WINDOW (editor));

  g_object_add_weak_pointer (G_OBJECT (f->view), (gpointer *) &f->view);
  gtk_window_destroy (f->window);
  /* Let running queries finish; they hold the store until then. */
  for (guint i = 0; i < 500 && f->view != NULL; i++)
    widget_iterate_for (10);
  g_assert_null (f->view);
  widget_iterate_for (50);

  store_fixture_teardown (&f->sf, data);
}

/* ---- tests ------------------------------------------------------------- */

static void
test_list (ViewFixture   *f,
           gconstpointer  data)
{
  CrPatientSidebar *sidebar;
  GListModel *model;
  g_autofree char *count = NULL;

  if (f->window == NULL)
    return;
  sidebar = get_sidebar (f);
  model = cr_patient_sidebar_get_model (sidebar);

  g_assert_cmpuint (g_list_model_get_n_items (model), ==, f->n_synthea + 1);
  g_assert_cmpuint (cr_patient_sidebar_get_n_matches (sidebar), ==, f->n_synthea + 1);

  /* By family name: the first rows on screen, with record number and age. */
  widget_assert_shows (GTK_WIDGET (f->view), "Abreu, María del Carmen");
  widget_assert_shows (GTK_WIDGET (f->view), "Alcántar, David");
  widget_assert_shows (GTK_WIDGET (f->view), "Jan 1, 1986");
  widget_assert_shows (GTK_WIDGET (f->view), "71 patients");
  widget_assert_shows (GTK_WIDGET (f->view), "No Patient Selected");
  /* Not every row needs a widget: the list only builds what is seen. */
  widget_assert_not_shows (GTK_WIDGET (f->view), "Zemlak, Sammie");

  g_free (widget_save_png (GTK_WIDGET (f->window), "main-view-list.png"));
}

static void
test_search (ViewFixture   *f,
             gconstpointer  data)
{
  CrPatientSidebar *sidebar;
  GListModel *model;
  g_autoptr(CrPatient) first = NULL;

  if (f->window == NULL)
    return;
  sidebar = get_sidebar (f);
  model = cr_patient_sidebar_get_model (sidebar);

  search (f, "muller");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);
  first = g_list_model_get_item (model, 0);
  g_assert_cmpstr (cr_patient_get_family_name (first), ==, "Müller");
  widget_assert_shows (GTK_WIDGET (f->view), "Müller, Jürgen");
  widget_assert_shows (GTK_WIDGET (f->view), "Inactive");
  widget_assert_shows (GTK_WIDGET (f->view), "1 patient");
  widget_assert_not_shows (GTK_WIDGET (f->view), "Abreu");
  g_free (widget_save_png (GTK_WIDGET (f->window), "main-view-search-muller.png"));

  search (f, "montanez");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);
  widget_assert_shows (GTK_WIDGET (f->view), "Montañez, Clara");

  /* A birth date as the front desk writes it: two patients share it. */
  search (f, "12/07/1959");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 2);
  widget_assert_shows (GTK_WIDGET (f->view), "Feeney, Rashad");
  widget_assert_shows (GTK_WIDGET (f->view), "Wisoky, Randolph");
  widget_assert_shows (GTK_WIDGET (f->view), "Deceased");
  g_free (widget_save_png (GTK_WIDGET (f->window), "main-view-search-date.png"));

  search (f, "zzzz");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);
  widget_assert_shows (GTK_WIDGET (f->view), "No patients match “zzzz”");
  g_free (widget_save_png (GTK_WIDGET (f->window), "main-view-no-match.png"));

  search (f, "");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, f->n_synthea + 1);
}

static void
test_open_chart (ViewFixture   *f,
                 gconstpointer  data)
{
  CrPatientSidebar *sidebar;
  GtkWidget *list_view;
  CrPatient *patient;

  if (f->window == NULL)
    return;
  sidebar = get_sidebar (f);

  /* Ctrl+F's action puts the cursor in the search entry. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "main.search", NULL));
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (f->window)),
                                         GTK_WIDGET (cr_patient_sidebar_get_search_entry (sidebar))));

  /* Enter in the search opens the first match. */
  search (f, "fonseca");
  g_signal_emit_by_name (cr_patient_sidebar_get_search_entry (sidebar), "activate");
  widget_wait_until (chart_shows_patient, f, "the chart");
  widget_iterate_for (200);

  show_details (f);
  patient = cr_main_view_get_patient (f->view);
  g_assert_cmpstr (cr_patient_get_family_name (patient), ==, "Fonseca");
  widget_assert_shows (GTK_WIDGET (f->view), "Fonseca, Agustín");
  widget_assert_shows (GTK_WIDGET (f->view), cr_patient_get_record_number (patient));
  widget_assert_shows (GTK_WIDGET (f->view), "Born Feb 1, 1994");
  widget_assert_shows (GTK_WIDGET (f->view), "555-929-9025");
  widget_assert_shows (GTK_WIDGET (f->view), "Not recorded");   /* no insurance */
  widget_assert_shows (GTK_WIDGET (f->view), "by tester");
  widget_assert_not_shows (GTK_WIDGET (f->view), "No Patient Selected");
  g_free (widget_save_png (GTK_WIDGET (f->window), "main-view-chart.png"));
  /* Dark style: only libadwaita's colours, so it must read as well. */
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  g_free (widget_save_png (GTK_WIDGET (f->window), "main-view-chart-dark.png"));
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);

  /* The audit trail has the view, written off the main loop. */
  for (guint i = 0; i < 200 && count_views (f, patient) == 0; i++)
    widget_iterate_for (10);
  g_assert_cmpuint (count_views (f, patient), ==, 1);

  /* Activating another row (Enter or double click) opens its chart. */
  search (f, "");
  list_view = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (sidebar),
                                                         CR_TYPE_PATIENT_SIDEBAR, "list_view"));
  g_signal_emit_by_name (list_view, "activate", 1);
  widget_iterate_for (200);
  patient = cr_main_view_get_patient (f->view);
  g_assert_cmpstr (cr_patient_get_family_name (patient), ==, "Alcántar");
  widget_assert_shows (GTK_WIDGET (f->view), "Alcántar, David");
  widget_assert_shows (GTK_WIDGET (f->view), cr_patient_get_record_number (patient));
  widget_assert_not_shows (GTK_WIDGET (f->view), "Fonseca, Agustín");
}

static void
test_editor_refuses (ViewFixture   *f,
                     gconstpointer  data)
{
  CrPatientEditor *editor;
  gint64 before;
  CrPatient *patient;
  GtkLabel *name_error, *birth_error;

  if (f->window == NULL)
    return;
  before = count_patients (f);

  editor = open_editor (f, "main.new-patient");
  widget_assert_shows (GTK_WIDGET (editor), "New Patient");
  g_assert_false (gtk_widget_get_visible (editor_child (editor, "status_group")));

  type_into (editor, "given_row", "Aiko");
  type_into (editor, "birth_row", "2023-02-30");
  type_into (editor, "phone_row", "555-201-3344");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL));
  widget_iterate_for (100);

  /* Both refusals show beside their fields; nothing is saved or lost. */
  g_assert_true (find_editor () == editor);
  g_assert_cmpint (count_patients (f), ==, before);
  name_error = GTK_LABEL (editor_child (editor, "name_error"));
  birth_error = GTK_LABEL (editor_child (editor, "birth_error"));
  widget_assert_shows (GTK_WIDGET (editor), "Enter the family name.");
  widget_assert_shows (GTK_WIDGET (editor), "There is no such date");
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (name_error)));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (birth_error)));
  g_assert_true (gtk_widget_has_css_class (editor_child (editor, "family_row"), "error"));
  g_assert_true (gtk_widget_has_css_class (editor_child (editor, "birth_row"), "error"));
  g_assert_false (gtk_widget_has_css_class (editor_child (editor, "phone_row"), "error"));
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (editor)),
                                         editor_child (editor, "family_row")));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (editor_child (editor, "birth_row"))),
                   ==, "2023-02-30");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (editor_child (editor, "given_row"))),
                   ==, "Aiko");
  g_free (widget_save_png (GTK_WIDGET (editor), "patient-editor-errors.png"));

  /* A family name alone still leaves the impossible date refused. */
  type_into (editor, "family_row", "Nakamura");
  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL);
  widget_iterate_for (50);
  g_assert_cmpint (count_patients (f), ==, before);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (name_error)));
  g_assert_false (gtk_widget_has_css_class (editor_child (editor, "family_row"), "error"));
  widget_assert_shows (GTK_WIDGET (editor), "There is no such date");

  /* Corrected, in the US written form: saved, listed, and its chart opens. */
  type_into (editor, "birth_row", "03/15/1988");
  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL);
  widget_wait_until (editor_closed, NULL, "the editor to close");
  g_assert_cmpint (count_patients (f), ==, before + 1);

  widget_wait_until (list_loaded, f, "the list to refresh");
  widget_iterate_for (200);
  patient = cr_main_view_get_patient (f->view);
  g_assert_nonnull (patient);
  g_assert_cmpstr (cr_patient_get_family_name (patient), ==, "Nakamura");
  g_assert_cmpstr (cr_patient_get_birth_date (patient), ==, "1988-03-15");
  widget_assert_shows (GTK_WIDGET (f->view), "Nakamura, Aiko");
  widget_assert_shows (GTK_WIDGET (f->view), cr_patient_get_record_number (patient));
  widget_assert_shows (GTK_WIDGET (f->view), "72 patients");
  g_assert_cmpuint (g_list_model_get_n_items (cr_patient_sidebar_get_model (get_sidebar (f))),
                    ==, before + 1);

  search (f, "nakamura");
  g_assert_cmpuint (g_list_model_get_n_items (cr_patient_sidebar_get_model (get_sidebar (f))), ==, 1);
  g_free (widget_save_png (GTK_WIDGET (f->window), "main-view-new-patient.png"));
}

static void
test_edit (ViewFixture   *f,
           gconstpointer  data)
{
  CrPatientSidebar *sidebar;
  CrPatientEditor *editor;
  g_autoptr(CrPatient) stored = NULL;
  g_autoptr(GError) error = NULL;
  CrPatient *patient;

  if (f->window == NULL)
    return;
  sidebar = get_sidebar (f);

  /* Without an open chart there is nothing to edit. */
  gtk_widget_activate_action (GTK_WIDGET (f->view), "main.edit-patient", NULL);
  widget_iterate_for (100);
  g_assert_null (find_editor ());

  search (f, "alvarez jesus");
  g_signal_emit_by_name (cr_patient_sidebar_get_search_entry (sidebar), "activate");
  widget_wait_until (chart_shows_patient, f, "the chart");

  editor = open_editor (f, "main.edit-patient");
  widget_assert_shows (GTK_WIDGET (editor), "Edit Patient");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (editor_child (editor, "family_row"))),
                   ==, "Alvarez");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (editor_child (editor, "birth_row"))),
                   ==, "1984-10-12");
  g_assert_true (gtk_widget_get_visible (editor_child (editor, "status_group")));

  type_into (editor, "phone_row", "(555) 010-2030");
  type_into (editor, "email_row", "jesus.alvarez@example.org");
  type_into (editor, "payer_row", "Blue Cross Blue Shield");
  type_into (editor, "member_row", "XJH-55120-04");
  g_free (widget_save_png (GTK_WIDGET (editor), "patient-editor-edit.png"));
  /* Enter in the last field saves. */
  g_signal_emit_by_name (editor_child (editor, "member_row"), "entry-activated");
  widget_wait_until (editor_closed, NULL, "the editor to close");
  widget_iterate_for (200);

  show_details (f);
  patient = cr_main_view_get_patient (f->view);
  widget_assert_shows (GTK_WIDGET (f->view), "Alvarez, Jesús");
  widget_assert_shows (GTK_WIDGET (f->view), "(555) 010-2030");
  widget_assert_shows (GTK_WIDGET (f->view), "jesus.alvarez@example.org");
  widget_assert_shows (GTK_WIDGET (f->view), "Blue Cross Blue Shield");
  widget_assert_shows (GTK_WIDGET (f->view), "XJH-55120-04");
  widget_assert_not_shows (GTK_WIDGET (f->view), "555-639-9345");
  g_free (widget_save_png (GTK_WIDGET (f->window), "main-view-chart-edited.png"));

  stored = cr_store_get_patient (f->sf.store, cr_patient_get_id (patient), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cr_patient_get_insurance_payer (stored), ==, "Blue Cross Blue Shield");
  g_assert_cmpstr (cr_patient_get_phone (stored), ==, "(555) 010-2030");
}

static void
test_duplicate (ViewFixture   *f,
                gconstpointer  data)
{
  CrPatientEditor *editor;
  AdwMessageDialog *dialog;
  g_autoptr(CrPatient) existing = NULL;
  g_autoptr(GError) error = NULL;
  gint64 before;

  if (f->window == NULL)
    return;
  before = count_patients (f);

  editor = open_editor (f, "main.new-patient");
  type_into (editor, "family_row", "Fonseca");
  type_into (editor, "given_row", "Agustín");
  type_into (editor, "birth_row", "02/01/1994");
  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL);
  widget_iterate_for (200);

  dialog = find_message_dialog ();
  g_assert_nonnull (dialog);
  search (f, "fonseca");
  existing = g_list_model_get_item (cr_patient_sidebar_get_model (get_sidebar (f)), 0);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog),
                            cr_patient_get_record_number (existing)));
  g_assert_true (adw_message_dialog_has_response (dialog, "open"));
  g_assert_true (adw_message_dialog_has_response (dialog, "register"));
  g_free (widget_save_png (GTK_WIDGET (dialog), "patient-editor-duplicate.png"));
  g_assert_cmpint (count_patients (f), ==, before);

  adw_message_dialog_response (dialog, "open");
  widget_wait_until (editor_closed, NULL, "the editor to close");
  widget_iterate_for (200);
  g_assert_cmpint (count_patients (f), ==, before);
  g_assert_cmpint (cr_patient_get_id (cr_main_view_get_patient (f->view)), ==,
                   cr_patient_get_id (existing));
  widget_assert_shows (GTK_WIDGET (f->view), "Fonseca, Agustín");

  /* Someone else of the same name and birth date: registered on request. */
  editor = open_editor (f, "main.new-patient");
  type_into (editor, "family_row", "Fonseca");
  type_into (editor, "given_row", "Agustín");
  type_into (editor, "birth_row", "1994-02-01");
  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL);
  widget_iterate_for (200);
  dialog = find_message_dialog ();
  g_assert_nonnull (dialog);
  adw_message_dialog_response (dialog, "register");
  widget_wait_until (editor_closed, NULL, "the editor to close");
  g_assert_cmpint (count_patients (f), ==, before + 1);
  g_assert_cmpint (cr_patient_get_id (cr_main_view_get_patient (f->view)), !=,
                   cr_patient_get_id (existing));
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
  /* Referencing the bundle links it in; it registers itself. */
  g_assert_nonnull (chartroom_get_resource ());
  {
    g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

    gtk_css_provider_load_from_resource (css, "/io/github/chartroom/Chartroom/style.css");
    gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                                GTK_STYLE_PROVIDER (css),
                                                GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  }

#define ADD(path, func) \
  g_test_add (path, ViewFixture, NULL, view_fixture_setup, func, view_fixture_teardown)
  ADD ("/widgets/main-view/list", test_list);
  ADD ("/widgets/main-view/search", test_search);
  ADD ("/widgets/main-view/open-chart", test_open_chart);
  ADD ("/widgets/main-view/editor-refuses", test_editor_refuses);
  ADD ("/widgets/main-view/edit", test_edit);
  ADD ("/widgets/main-view/duplicate", test_duplicate);
#undef ADD

  return g_test_run ();
}
