/* test-records-ui.c: records, codes, search and audit, as seen
 *
 * The patient list on a 2,000-patient demo practice answering searches as
 * they are typed; Preferences → Code Sets importing the real CMS FY2026
 * order file (and a damaged one); a chart's access history; the audit
 * trail's Verify, before and after someone tampers with it. Every step is
 * checked on what is on screen and saved as a PNG in screens/.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "chartroom-resources.h"
#include "cr-access-history.h"
#include "cr-audit-window.h"
#include "cr-audit.h"
#include "cr-codes.h"
#include "cr-date.h"
#include "cr-demo.h"
#include "cr-main-view.h"
#include "cr-patient-sidebar.h"
#include "cr-patients.h"
#include "cr-preferences-window.h"
#include "cr-store-private.h"
#include "test-util.h"
#include "widget-util.h"

#define N_DEMO_PATIENTS 2000
#define N_BILLABLE 74719
#define N_HEADERS 23467

typedef struct
{
  StoreFixture  sf;
  GtkWindow    *window;
  CrMainView   *view;
} RecordsFixture;

/* ---- helpers ----------------------------------------------------------- */

static CrPatientSidebar *
get_sidebar (RecordsFixture *f)
{
  return CR_PATIENT_SIDEBAR (gtk_widget_get_template_child (GTK_WIDGET (f->view),
                                                            CR_TYPE_MAIN_VIEW, "sidebar"));
}

static gboolean
list_settled_on (RecordsFixture *f,
                 const char     *text)
{
  CrPatientSidebar *sidebar = get_sidebar (f);

  return !cr_patient_sidebar_get_loading (sidebar) &&
         g_strcmp0 (cr_patient_sidebar_get_search_text (sidebar), text) == 0;
}

/* Types @text one character at a time, a little faster than the search
 * delay, as a person does; then waits for the list to show its answer. */
static void
type_search (RecordsFixture *f,
             const char     *text)
{
  GtkEditable *entry = cr_patient_sidebar_get_search_entry (get_sidebar (f));
  g_autoptr(GString) typed = g_string_new (NULL);

  gtk_editable_set_text (entry, "");
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      g_string_append_unichar (typed, g_utf8_get_char (p));
      gtk_editable_set_text (entry, typed->str);
      gtk_editable_set_position (entry, -1);
      widget_iterate_for (60);
    }
  WIDGET_WAIT_FOR (list_settled_on (f, text), 10000);
  widget_iterate_for (150);
}

static GtkWindow *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return GTK_WINDOW (window);
    }
  return NULL;
}

static void
close_toplevels (GType type)
{
  GtkWindow *window;

  while ((window = find_toplevel (type)) != NULL)
    gtk_window_destroy (window);
  widget_iterate_for (50);
}

static gboolean
shows (GtkWidget  *widget,
       const char *needle)
{
  g_autofree char *text = widget_visible_text (widget);

  return strstr (text, needle) != NULL;
}

static CrPatient *
get_by_record (RecordsFixture *f,
               const char     *record)
{
  g_autoptr(GError) error = NULL;
  CrPatient *patient = cr_store_find_patient_by_record_number (f->sf.store, record, &error);

  g_assert_no_error (error);
  g_assert_nonnull (patient);
  return patient;
}

/* The ids the core's own search returns for @text, in its order. */
static GPtrArray *
core_search (RecordsFixture *f,
             const char     *text)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *found = cr_store_search_patients (f->sf.store, text, 0, N_DEMO_PATIENTS + 1,
                                               NULL, &error);

  g_assert_no_error (error);
  return found;
}

/* The sidebar lists exactly what the core finds, in the same order. */
static void
assert_list_is (RecordsFixture *f,
                GPtrArray      *expected)
{
  GListModel *model = cr_patient_sidebar_get_model (get_sidebar (f));

  g_assert_cmpuint (g_list_model_get_n_items (model), ==, expected->len);
  g_assert_cmpuint (cr_patient_sidebar_get_n_matches (get_sidebar (f)), ==, expected->len);
  for (guint i = 0; i < expected->len; i++)
    {
      g_autoptr(CrPatient) shown = g_list_model_get_item (model, i);

      g_assert_cmpint (cr_patient_get_id (shown), ==,
                       cr_patient_get_id (g_ptr_array_index (expected, i)));
    }
}

/* As the search compares names: accents and case aside. */
static char *
fold (const char *text)
{
  g_autofree char *ascii = g_str_to_ascii (text ? text : "", "C");

  return g_ascii_strdown (ascii, -1);
}

static char **
words (const char *text)
{
  g_autofree char *folded = fold (text);

  for (char *c = folded; *c != '\0'; c++)
    if (!g_ascii_isalnum (*c))
      *c = ' ';
  return g_strsplit_set (g_strstrip (folded), " ", -1);
}

/* Every word typed begins a word of the name, as the search matches. */
static gboolean
words_match (const char *typed,
             const char *name)
{
  g_auto(GStrv) needles = words (typed);
  g_auto(GStrv) haystack = words (name);

  for (guint i = 0; needles[i] != NULL; i++)
    {
      gboolean found = *needles[i] == '\0';

      for (guint j = 0; haystack[j] != NULL && !found; j++)
        found = g_str_has_prefix (haystack[j], needles[i]);
      if (!found)
        return FALSE;
    }
  return TRUE;
}

static char *
count_label (guint n,
             const char *what)
{
  /* As the app writes it: digits grouped by the locale. */
  return g_strdup_printf ("%'u %s", n, what);
}

/* ---- fixture ----------------------------------------------------------- */

static void
records_fixture_setup (RecordsFixture *f,
                       gconstpointer   data)
{
  guint n_patients = GPOINTER_TO_UINT (data);
  g_autoptr(GError) error = NULL;

  store_fixture_setup (&f->sf, NULL);
  if (n_patients > 0)
    {
      gint64 t0 = g_get_monotonic_time ();

      g_assert_true (cr_store_generate_demo (f->sf.store, n_patients, 1, NULL, NULL, NULL, &error));
      g_assert_no_error (error);
      g_test_message ("demo practice of %u patients in %.1f s", n_patients,
                      (g_get_monotonic_time () - t0) / 1e6);
    }

  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->window, 1100, 760);
  f->view = CR_MAIN_VIEW (cr_main_view_new ());
  gtk_window_set_child (f->window, GTK_WIDGET (f->view));
  cr_main_view_set_store (f->view, f->sf.store);
  gtk_window_present (f->window);

  WIDGET_WAIT_FOR (list_settled_on (f, ""), 10000);
  widget_iterate_for (200);
}

static void
records_fixture_teardown (RecordsFixture *f,
                          gconstpointer   data)
{
  close_toplevels (CR_TYPE_AUDIT_WINDOW);
  close_toplevels (CR_TYPE_PREFERENCES_WINDOW);

  g_object_add_weak_pointer (G_OBJECT (f->view), (gpointer *) &f->view);
  gtk_window_destroy (f->window);
  for (guint i = 0; i < 500 && f->view != NULL; i++)
    widget_iterate_for (10);
  g_assert_null (f->view);
  widget_iterate_for (50);
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);

  store_fixture_teardown (&f->sf, data);
}

/* ---- the patient list -------------------------------------------------- */

static void
test_search_as_typed (RecordsFixture *f,
                      gconstpointer   data)
{
  GtkWidget *view = GTK_WIDGET (f->view);
  CrPatientSidebar *sidebar = get_sidebar (f);
  GListModel *model = cr_patient_sidebar_get_model (sidebar);
  g_autoptr(CrPatient) long_history = get_by_record (f, CR_DEMO_LONG_HISTORY_RECORD);
  g_autoptr(CrPatient) last = NULL;
  g_autoptr(GPtrArray) expected = NULL;
  g_autofree char *all_label = count_label (N_DEMO_PATIENTS, "patients");
  g_autofree char *fragment = NULL;
  g_autofree char *last_name = NULL;
  g_autofree char *us_date = NULL;
  g_autofree char *name = cr_patient_dup_display_name (long_history);
  GtkWidget *list_view;
  GDate birth;

  /* Every patient is in the list, not the first 200: the count is real. */
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, N_DEMO_PATIENTS);
  widget_assert_shows (view, all_label);
  widget_assert_not_shows (view, "keep typing");
  g_free (widget_save_png (GTK_WIDGET (f->window), "records-list-2000.png"));

  /* …and the last of them is reachable by scrolling. */
  list_view = widget_find_type (view, GTK_TYPE_LIST_VIEW, 0);
  g_assert_nonnull (list_view);
  last = g_list_model_get_item (model, N_DEMO_PATIENTS - 1);
  last_name = cr_patient_dup_display_name (last);
  widget_assert_not_shows (view, last_name);
  gtk_widget_activate_action (list_view, "list.scroll-to-item", "u", N_DEMO_PATIENTS - 1);
  WIDGET_WAIT_FOR (shows (view, last_name), 5000);
  widget_assert_shows (view, cr_patient_get_record_number (last));
  g_free (widget_save_png (GTK_WIDGET (f->window), "records-list-scrolled-to-end.png"));

  /* A name fragment, typed letter by letter: the first four letters of
   * the long-history patient's family name. */
  fragment = g_utf8_substring (cr_patient_get_family_name (long_history), 0, 4);
  type_search (f, fragment);
  expected = core_search (f, fragment);
  g_assert_cmpuint (expected->len, >, 0);
  assert_list_is (f, expected);
  for (guint i = 0; i < expected->len; i++)
    {
      CrPatient *p = g_ptr_array_index (expected, i);
      g_autofree char *full = g_strdup_printf ("%s %s", cr_patient_get_family_name (p),
                                               cr_patient_get_given_names (p));

      if (!words_match (fragment, full))
        g_error ("“%s” matched %s, %s", fragment, cr_patient_get_family_name (p),
                 cr_patient_get_given_names (p));
    }
  {
    g_autofree char *label = count_label (expected->len, expected->len == 1 ? "patient" : "patients");
    g_autoptr(CrPatient) first = g_list_model_get_item (model, 0);
    g_autofree char *first_name = cr_patient_dup_display_name (first);

    widget_assert_shows (view, label);
    widget_assert_shows (view, first_name);
  }
  g_clear_pointer (&expected, g_ptr_array_unref);
  g_free (widget_save_png (GTK_WIDGET (f->window), "records-search-name.png"));

  /* A birth date, as the front desk writes it. */
  g_assert_true (cr_date_from_iso (cr_patient_get_birth_date (long_history), &birth));
  us_date = g_strdup_printf ("%02d/%02d/%04d", g_date_get_month (&birth), g_date_get_day (&birth),
                             g_date_get_year (&birth));
  type_search (f, us_date);
  expected = core_search (f, us_date);
  assert_list_is (f, expected);
  g_assert_cmpuint (expected->len, >=, 1);
  for (guint i = 0; i < expected->len; i++)
    g_assert_cmpstr (cr_patient_get_birth_date (g_ptr_array_index (expected, i)), ==,
                     cr_patient_get_birth_date (long_history));
  widget_assert_shows (view, name);
  widget_assert_shows (view, CR_DEMO_LONG_HISTORY_RECORD);
  g_clear_pointer (&expected, g_ptr_array_unref);
  g_free (widget_save_png (GTK_WIDGET (f->window), "records-search-birth-date.png"));

  /* A record number: exactly that patient. */
  type_search (f, "P001234");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);
  {
    g_autoptr(CrPatient) shown = g_list_model_get_item (model, 0);
    g_autofree char *shown_name = cr_patient_dup_display_name (shown);

    g_assert_cmpstr (cr_patient_get_record_number (shown), ==, "P001234");
    widget_assert_shows (view, shown_name);
    widget_assert_shows (view, "1 patient");
  }
  g_free (widget_save_png (GTK_WIDGET (f->window), "records-search-record.png"));

  /* Enter opens it. */
  g_signal_emit_by_name (cr_patient_sidebar_get_search_entry (sidebar), "activate");
  WIDGET_WAIT_FOR (cr_main_view_get_patient (f->view) != NULL, 5000);
  g_assert_cmpstr (cr_patient_get_record_number (cr_main_view_get_patient (f->view)), ==, "P001234");

  /* Cleared: every patient again. */
  type_search (f, "");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, N_DEMO_PATIENTS);
}

/* ---- code sets --------------------------------------------------------- */

static CrPreferencesWindow *
open_code_sets (RecordsFixture *f)
{
  GtkWidget *prefs = cr_preferences_window_new (f->window, f->sf.store);

  gtk_window_set_default_size (GTK_WINDOW (prefs), 700, 640);
  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (prefs), "codes");
  gtk_window_present (GTK_WINDOW (prefs));
  widget_iterate_for (300);
  return CR_PREFERENCES_WINDOW (prefs);
}

static void
import_and_wait (CrPreferencesWindow *prefs,
                 const char          *path,
                 const char          *png)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  gboolean saw_progress = FALSE;

  cr_preferences_window_import_codes (prefs, file);
  g_assert_true (cr_preferences_window_get_importing (prefs));
  widget_assert_shows (GTK_WIDGET (prefs), "Importing “");
  /* One import at a time. (The drug list below has an Import… button
   * of its own: this is the code set's.) */
  {
    GtkWidget *button = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (prefs),
                                                                   CR_TYPE_PREFERENCES_WINDOW,
                                                                   "import_button"));

    g_assert_nonnull (button);
    g_assert_false (gtk_widget_is_sensitive (button));
  }

  /* The window keeps drawing while the worker imports. */
  while (cr_preferences_window_get_importing (prefs))
    {
      widget_iterate_for (20);
      if (png != NULL && !saw_progress && shows (GTK_WIDGET (prefs), "% done"))
        {
          saw_progress = TRUE;
          widget_assert_shows (GTK_WIDGET (prefs), "Cancel");
          g_free (widget_save_png (GTK_WIDGET (prefs), png));
        }
    }
  if (png != NULL)
    g_assert_true (saw_progress);
  widget_iterate_for (300);
}

static void
write_order_file (const char *path,
                  GPtrArray  *lines)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < lines->len; i++)
    g_string_append (text, g_ptr_array_index (lines, i));
  g_file_set_contents (path, text->str, text->len, &error);
  g_assert_no_error (error);
}

static GPtrArray *
read_order_lines (const char *path)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *lines = g_ptr_array_new_with_free_func (g_free);
  char *line;
  char *next;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  for (line = contents; *line != '\0'; line = next)
    {
      char *nl = strchr (line, '\n');

      next = nl ? nl + 1 : line + strlen (line);
      g_ptr_array_add (lines, g_strndup (line, next - line));
    }
  return lines;
}

static void
test_code_import (RecordsFixture *f,
                  gconstpointer   data)
{
  g_autofree char *path = test_shared_data_path ("icd10cm", "icd10cm_order_2026.txt", NULL);
  g_autofree char *billable = NULL;
  g_autofree char *headers = NULL;
  g_autofree char *newer_path = NULL;
  g_autofree char *release = NULL;
  g_autoptr(GPtrArray) lines = NULL;
  g_autoptr(GPtrArray) newer = NULL;
  CrPreferencesWindow *prefs;
  guint billable_n = 0, headers_n = 0;

  if (path == NULL)
    return;

  prefs = open_code_sets (f);
  widget_assert_shows (GTK_WIDGET (prefs), "No code set imported");
  widget_assert_shows (GTK_WIDGET (prefs), "icd10cm_order_YEAR.txt");
  g_assert_nonnull (widget_find_button (GTK_WIDGET (prefs), "Import…"));
  g_free (widget_save_png (GTK_WIDGET (prefs), "records-codes-empty.png"));

  /* What the Import button does with the file picked. */
  import_and_wait (prefs, path, "records-codes-importing.png");
  billable = g_strdup_printf ("%'u", N_BILLABLE);
  headers = g_strdup_printf ("%'u", N_HEADERS);
  WIDGET_WAIT_FOR (shows (GTK_WIDGET (prefs), "FY2026"), 5000);
  widget_assert_shows (GTK_WIDGET (prefs), "Code set imported");
  widget_assert_shows (GTK_WIDGET (prefs), billable);
  widget_assert_shows (GTK_WIDGET (prefs), headers);
  widget_assert_shows (GTK_WIDGET (prefs), "No code was dropped.");
  widget_assert_not_shows (GTK_WIDGET (prefs), "No code set imported");
  g_assert_nonnull (widget_find_button (GTK_WIDGET (prefs), "Import Newer…"));
  g_assert_true (cr_store_count_codes (f->sf.store, CR_CODE_SYSTEM_ICD10CM, &billable_n, &headers_n, NULL));
  g_assert_cmpuint (billable_n, ==, N_BILLABLE);
  g_assert_cmpuint (headers_n, ==, N_HEADERS);
  g_free (widget_save_png (GTK_WIDGET (prefs), "records-codes-imported.png"));

  /* A "FY2027" file that drops two billable codes. */
  lines = read_order_lines (path);
  newer = g_ptr_array_new ();
  for (guint i = 0; i < lines->len; i++)
    {
      const char *line = g_ptr_array_index (lines, i);

      if (g_str_has_prefix (line + 6, "J029 ") || g_str_has_prefix (line + 6, "R519 "))
        continue;
      g_ptr_array_add (newer, (gpointer) line);
    }
  g_assert_cmpuint (newer->len, ==, lines->len - 2);
  newer_path = g_build_filename (f->sf.dir, "icd10cm_order_2027.txt", NULL);
  write_order_file (newer_path, newer);

  import_and_wait (prefs, newer_path, NULL);
  WIDGET_WAIT_FOR (shows (GTK_WIDGET (prefs), "FY2027"), 5000);
  widget_assert_shows (GTK_WIDGET (prefs), "2 codes are no longer valid");
  g_free (billable);
  billable = g_strdup_printf ("%'u", N_BILLABLE - 2);
  WIDGET_WAIT_FOR (shows (GTK_WIDGET (prefs), billable), 5000);
  release = cr_store_dup_code_release (f->sf.store, CR_CODE_SYSTEM_ICD10CM);
  g_assert_cmpstr (release, ==, "2027");
  g_free (widget_save_png (GTK_WIDGET (prefs), "records-codes-newer.png"));

  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  widget_iterate_for (200);
  g_free (widget_save_png (GTK_WIDGET (prefs), "records-codes-newer-dark.png"));
}

static void
test_code_import_cancel (RecordsFixture *f,
                         gconstpointer   data)
{
  g_autofree char *path = test_shared_data_path ("icd10cm", "icd10cm_order_2026.txt", NULL);
  g_autoptr(GFile) file = NULL;
  g_autofree char *release = NULL;
  CrPreferencesWindow *prefs;

  if (path == NULL)
    return;

  prefs = open_code_sets (f);
  file = g_file_new_for_path (path);
  cr_preferences_window_import_codes (prefs, file);
  widget_click (GTK_WIDGET (prefs), "Cancel");
  WIDGET_WAIT_FOR (!cr_preferences_window_get_importing (prefs), 30000);
  widget_iterate_for (300);

  widget_assert_shows (GTK_WIDGET (prefs), "Import cancelled");
  widget_assert_shows (GTK_WIDGET (prefs), "The code set is unchanged.");
  widget_assert_shows (GTK_WIDGET (prefs), "No code set imported");
  release = cr_store_dup_code_release (f->sf.store, CR_CODE_SYSTEM_ICD10CM);
  g_assert_null (release);
  g_free (widget_save_png (GTK_WIDGET (prefs), "records-codes-cancelled.png"));
}

static void
test_code_import_malformed (RecordsFixture *f,
                            gconstpointer   data)
{
  g_autofree char *path = test_shared_data_path ("icd10cm", "icd10cm_order_2026.txt", NULL);
  g_autofree char *broken_path = NULL;
  g_autofree char *pdf_path = NULL;
  g_autoptr(GPtrArray) lines = NULL;
  g_autoptr(GPtrArray) copy = NULL;
  CrPreferencesWindow *prefs;
  char *line17;

  if (path == NULL)
    return;

  /* The first 40 lines, the 17th with its billable flag damaged. */
  lines = read_order_lines (path);
  copy = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < 40; i++)
    g_ptr_array_add (copy, g_strdup (g_ptr_array_index (lines, i)));
  line17 = g_ptr_array_index (copy, 16);
  line17[14] = 'X';
  broken_path = g_build_filename (f->sf.dir, "icd10cm_order_2026.txt", NULL);
  write_order_file (broken_path, copy);

  prefs = open_code_sets (f);
  import_and_wait (prefs, broken_path, NULL);
  widget_assert_shows (GTK_WIDGET (prefs), "Could not import the code set");
  widget_assert_shows (GTK_WIDGET (prefs), "Line 17");
  widget_assert_shows (GTK_WIDGET (prefs), "Nothing was imported");
  widget_assert_shows (GTK_WIDGET (prefs), "No code set imported");
  g_free (widget_save_png (GTK_WIDGET (prefs), "records-codes-malformed.png"));

  /* Not an order file at all: the PDF that describes it. */
  pdf_path = test_shared_data_path ("icd10cm", "icd10OrderFiles.pdf", NULL);
  import_and_wait (prefs, pdf_path, NULL);
  widget_assert_shows (GTK_WIDGET (prefs), "is a PDF document, not a CMS ICD-10-CM order file");
  g_free (widget_save_png (GTK_WIDGET (prefs), "records-codes-not-order-file.png"));
}

/* ---- audit ------------------------------------------------------------- */

static CrAuditWindow *
wait_for_audit_window (void)
{
  CrAuditWindow *window;

  WIDGET_WAIT_FOR (find_toplevel (CR_TYPE_AUDIT_WINDOW) != NULL, 5000);
  window = CR_AUDIT_WINDOW (find_toplevel (CR_TYPE_AUDIT_WINDOW));
  gtk_window_set_default_size (GTK_WINDOW (window), 900, 560);
  WIDGET_WAIT_FOR (!cr_access_history_get_loading (CR_ACCESS_HISTORY (cr_audit_window_get_history (window))),
                   10000);
  widget_iterate_for (300);
  return window;
}

static guint
count_views (RecordsFixture *f,
             gint64          patient_id)
{
  g_autoptr(GListModel) trail = cr_store_list_audit (f->sf.store, patient_id, NULL);
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (trail); i++)
    {
      g_autoptr(CrAuditEntry) e = g_list_model_get_item (trail, i);
      n += g_str_equal (cr_audit_entry_get_action (e), CR_AUDIT_VIEW);
    }
  return n;
}

static void
test_access_history (RecordsFixture *f,
                     gconstpointer   data)
{
  g_autoptr(CrPatient) patient = get_by_record (f, "P000007");
  g_autoptr(CrPatient) other = get_by_record (f, "P000008");
  CrAuditWindow *window;
  GListModel *entries;
  g_autoptr(CrAuditEntry) newest = NULL;
  g_autofree char *subtitle = NULL;

  /* Without an open chart there is no history to show. */
  gtk_widget_activate_action (GTK_WIDGET (f->view), "main.access-history", NULL);
  widget_iterate_for (100);
  g_assert_null (find_toplevel (CR_TYPE_AUDIT_WINDOW));

  cr_main_view_open_patient (f->view, other);
  WIDGET_WAIT_FOR (count_views (f, cr_patient_get_id (other)) == 1, 5000);

  /* The front desk corrects the phone number, then the chart is opened. */
  {
    g_autoptr(GError) error = NULL;

    cr_patient_set_phone (patient, "(555) 010-7788");
    g_assert_true (cr_store_update_patient (f->sf.store, patient, &error));
    g_assert_no_error (error);
  }
  cr_main_view_open_patient (f->view, patient);
  WIDGET_WAIT_FOR (count_views (f, cr_patient_get_id (patient)) == 1, 5000);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "main.access-history", NULL));
  window = wait_for_audit_window ();
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (window)) == f->window);

  /* Only this patient's entries, the chart view on top. */
  entries = cr_access_history_get_model (CR_ACCESS_HISTORY (cr_audit_window_get_history (window)));
  g_assert_nonnull (entries);
  g_assert_cmpuint (g_list_model_get_n_items (entries), >=, 1);
  for (guint i = 0; i < g_list_model_get_n_items (entries); i++)
    {
      g_autoptr(CrAuditEntry) e = g_list_model_get_item (entries, i);
      g_assert_cmpint (cr_audit_entry_get_patient_id (e), ==, cr_patient_get_id (patient));
    }
  newest = g_list_model_get_item (entries, 0);
  g_assert_cmpstr (cr_audit_entry_get_action (newest), ==, CR_AUDIT_VIEW);

  widget_assert_shows (GTK_WIDGET (window), "Access History");
  subtitle = cr_patient_dup_display_name (patient);
  widget_assert_shows (GTK_WIDGET (window), subtitle);
  widget_assert_shows (GTK_WIDGET (window), "P000007");
  widget_assert_shows (GTK_WIDGET (window), "When");
  widget_assert_shows (GTK_WIDGET (window), "Today ");
  widget_assert_shows (GTK_WIDGET (window), "tester");
  widget_assert_shows (GTK_WIDGET (window), "Viewed");
  widget_assert_shows (GTK_WIDGET (window), "Chart");
  widget_assert_shows (GTK_WIDGET (window), "Changed");
  widget_assert_shows (GTK_WIDGET (window), "Patient details");
  widget_assert_shows (GTK_WIDGET (window), "2 entries, newest first");
  widget_assert_not_shows (GTK_WIDGET (window), "Verify");
  widget_assert_not_shows (GTK_WIDGET (window), "patients:");
  g_free (widget_save_png (GTK_WIDGET (window), "records-access-history.png"));

  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  widget_iterate_for (200);
  g_free (widget_save_png (GTK_WIDGET (window), "records-access-history-dark.png"));
}

static void
test_audit_verify (RecordsFixture *f,
                   gconstpointer   data)
{
  g_autoptr(CrPatient) patient = get_by_record (f, "P000003");
  g_autoptr(GError) error = NULL;
  g_autofree char *intact = NULL;
  g_autofree char *name = cr_patient_dup_display_name (patient);
  CrAuditWindow *window;
  gint64 n_entries = 0;
  char *msg = NULL;

  /* A morning's work: three charts opened. */
  for (guint i = 4; i <= 5; i++)
    {
      g_autofree char *record = g_strdup_printf ("P%06u", i);
      g_autoptr(CrPatient) other = get_by_record (f, record);

      cr_main_view_open_patient (f->view, other);
      WIDGET_WAIT_FOR (count_views (f, cr_patient_get_id (other)) == 1, 5000);
    }
  cr_main_view_open_patient (f->view, patient);
  WIDGET_WAIT_FOR (count_views (f, cr_patient_get_id (patient)) == 1, 5000);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "main.audit-trail", NULL));
  window = wait_for_audit_window ();
  widget_assert_shows (GTK_WIDGET (window), "Audit Trail");
  /* The whole trail names the patient of each entry. */
  widget_assert_shows (GTK_WIDGET (window), "Patient");
  widget_assert_shows (GTK_WIDGET (window), name);
  widget_assert_shows (GTK_WIDGET (window), "P000003");
  /* The demo's own entry: all patients created, no one patient named. */
  {
    g_autoptr(GListModel) trail = cr_store_list_audit (f->sf.store, 0, NULL);
    g_autoptr(CrAuditEntry) oldest = g_list_model_get_item (trail, g_list_model_get_n_items (trail) - 1);

    g_assert_cmpstr (cr_audit_entry_get_action (oldest), ==, CR_AUDIT_CREATE);
    g_assert_cmpstr (cr_audit_entry_get_record (oldest), ==, "patients");
  }

  g_assert_true (cr_store_verify_audit (f->sf.store, &n_entries, NULL, &error));
  g_assert_cmpint (n_entries, ==, 4);
  {
    g_autofree char *count = g_strdup_printf ("%'" G_GINT64_FORMAT " entries, newest first", n_entries);
    widget_assert_shows (GTK_WIDGET (window), count);
  }

  widget_click (GTK_WIDGET (window), "Verify");
  WIDGET_WAIT_FOR (!cr_audit_window_get_verifying (window), 10000);
  widget_iterate_for (400);
  intact = g_strdup_printf ("All %'" G_GINT64_FORMAT " entries are intact", n_entries);
  widget_assert_shows (GTK_WIDGET (window), intact);
  g_free (widget_save_png (GTK_WIDGET (window), "records-audit-intact.png"));

  /* Someone goes around the triggers and edits entry 3. */
  g_assert_cmpint (sqlite3_exec (_cr_store_get_db (f->sf.store), "DROP TRIGGER audit_no_update",
                                 NULL, NULL, &msg), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (_cr_store_get_db (f->sf.store),
                                 "UPDATE audit SET user = 'mallory' WHERE id = 3",
                                 NULL, NULL, &msg), ==, SQLITE_OK);

  widget_click (GTK_WIDGET (window), "Verify");
  WIDGET_WAIT_FOR (!cr_audit_window_get_verifying (window), 10000);
  widget_iterate_for (400);
  widget_assert_shows (GTK_WIDGET (window), "Entry 3 has been altered or removed");
  WIDGET_WAIT_FOR (!cr_access_history_get_loading (CR_ACCESS_HISTORY (cr_audit_window_get_history (window))),
                   10000);
  widget_iterate_for (200);
  widget_assert_shows (GTK_WIDGET (window), "mallory");
  widget_assert_not_shows (GTK_WIDGET (window), "intact");
  g_free (widget_save_png (GTK_WIDGET (window), "records-audit-broken.png"));

  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  widget_iterate_for (200);
  g_free (widget_save_png (GTK_WIDGET (window), "records-audit-broken-dark.png"));
}

int
main (int    argc,
      char **argv)
{
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_setenv ("GTK_A11Y", "none", FALSE);
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

#define ADD(path, n, func) \
  g_test_add (path, RecordsFixture, GUINT_TO_POINTER (n), records_fixture_setup, func, \
              records_fixture_teardown)
  ADD ("/widgets/records/search-as-typed", N_DEMO_PATIENTS, test_search_as_typed);
  ADD ("/widgets/records/code-import", 0, test_code_import);
  ADD ("/widgets/records/code-import-cancel", 0, test_code_import_cancel);
  ADD ("/widgets/records/code-import-malformed", 0, test_code_import_malformed);
  ADD ("/widgets/records/access-history", 20, test_access_history);
  ADD ("/widgets/records/audit-verify", 20, test_audit_verify);
#undef ADD

  return g_test_run ();
}
