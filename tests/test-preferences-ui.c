/* test-preferences-ui.c: Preferences as seen
 *
 * Every page's icon is one the icon theme has; Preferences → Code Sets
 * imports the real FDA Orange Book product file into the drug list (and a
 * damaged one, and one cancelled half-way). Every count on screen is
 * checked against the file and the core, and each step is saved as a PNG
 * in screens/.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "chartroom-resources.h"
#include "cr-audit.h"
#include "cr-drugs.h"
#include "cr-preferences-window.h"
#include "cr-store-private.h"
#include "test-util.h"
#include "widget-util.h"

typedef struct
{
  StoreFixture  sf;
  GtkWindow    *window;
  GtkWidget    *prefs;
} PrefsFixture;

/* ---- helpers ----------------------------------------------------------- */

static char *
products_path (void)
{
  return test_shared_data_path ("drugs", "fda_orange_book_products.txt", NULL);
}

static gboolean
shows (GtkWidget  *widget,
       const char *needle)
{
  g_autofree char *text = widget_visible_text (widget);

  return strstr (text, needle) != NULL;
}

/* The lines of the file by its Type column, counted here rather than by
 * the code under test. */
static void
count_product_lines (const char *path,
                     guint      *marketed,
                     guint      *discontinued)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (contents, "\n", -1);
  *marketed = *discontinued = 0;
  for (guint i = 1; lines[i] != NULL; i++)
    {
      g_auto(GStrv) f = g_strsplit (g_strstrip (lines[i]), "~", -1);

      if (g_strv_length (f) < 13)
        continue;
      if (strcmp (f[12], "DISCN") == 0)
        (*discontinued)++;
      else
        (*marketed)++;
    }
}

/* As the window writes numbers: digits grouped by the locale. */
static char *
format_count (guint n)
{
  return g_strdup_printf ("%'u", n);
}

static char *
format_when (GDateTime *when)
{
  g_autoptr(GDateTime) local = g_date_time_to_local (when);

  return g_date_time_format (local, "%b %-d, %Y, %H:%M");
}

static CrPreferencesWindow *
open_code_sets (PrefsFixture *f)
{
  f->prefs = cr_preferences_window_new (f->window, f->sf.store);
  g_object_add_weak_pointer (G_OBJECT (f->prefs), (gpointer *) &f->prefs);
  /* Tall enough to show the drug list below the code set, as on an
   * office's 1080-line screen. */
  gtk_window_set_default_size (GTK_WINDOW (f->prefs), 720, 980);
  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (f->prefs), "codes");
  gtk_window_present (GTK_WINDOW (f->prefs));
  widget_iterate_for (300);
  return CR_PREFERENCES_WINDOW (f->prefs);
}

static void
close_prefs (PrefsFixture *f)
{
  if (f->prefs != NULL)
    gtk_window_destroy (GTK_WINDOW (f->prefs));
  for (guint i = 0; i < 500 && f->prefs != NULL; i++)
    widget_iterate_for (10);
  g_assert_null (f->prefs);
}

static GtkWidget *
drugs_child (CrPreferencesWindow *prefs,
             const char          *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (prefs),
                                                  CR_TYPE_PREFERENCES_WINDOW, name);

  g_assert_nonnull (child);
  return GTK_WIDGET (child);
}

static double
drugs_progress (CrPreferencesWindow *prefs)
{
  return gtk_progress_bar_get_fraction (GTK_PROGRESS_BAR (drugs_child (prefs, "drugs_progress_bar")));
}

/* Starts importing @path as the drug list's Import button does with the
 * file picked, and holds the import once the file is read: the worker
 * waits for the store's lock, which the test holds, before it writes.
 * Returns the lock; releasing it lets the import go on. */
static CrStoreLocker *
start_import_and_hold (CrPreferencesWindow *prefs,
                       CrStore             *store,
                       const char          *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *basename = g_path_get_basename (path);
  g_autofree char *title = g_strdup_printf ("Importing “%s”", basename);
  CrStoreLocker *locker = _cr_store_lock (store);

  cr_preferences_window_import_drugs (prefs, file);
  g_assert_true (cr_preferences_window_get_importing_drugs (prefs));
  /* The code set's import is another one. */
  g_assert_false (cr_preferences_window_get_importing (prefs));
  widget_assert_shows (GTK_WIDGET (prefs), title);
  /* One import at a time. */
  g_assert_false (gtk_widget_is_sensitive (drugs_child (prefs, "drugs_import_button")));

  /* Reading is the first 40 % (cr-drugs.c reports it every 1,024 lines,
   * the last time at 39 % for the real file); the window keeps drawing
   * meanwhile. Then the worker waits for the lock. */
  WIDGET_WAIT_FOR (drugs_progress (prefs) >= 0.39, 20000);
  widget_assert_shows (GTK_WIDGET (prefs), "% done");
  g_assert_true (cr_preferences_window_get_importing_drugs (prefs));
  return locker;
}

/* The import of @path, whole; saves @png while it is under way. */
static void
import_drugs_and_wait (CrPreferencesWindow *prefs,
                       CrStore             *store,
                       const char          *path,
                       const char          *png)
{
  GtkWidget *button = drugs_child (prefs, "drugs_import_button");

  if (png != NULL)
    {
      CrStoreLocker *locker = start_import_and_hold (prefs, store, path);

      g_assert_true (gtk_widget_is_sensitive (drugs_child (prefs, "drugs_cancel_button")));
      widget_assert_shows (GTK_WIDGET (prefs), "Cancel");
      g_free (widget_save_png (GTK_WIDGET (prefs), png));
      _cr_store_unlock (locker);
    }
  else
    {
      g_autoptr(GFile) file = g_file_new_for_path (path);

      cr_preferences_window_import_drugs (prefs, file);
      g_assert_true (cr_preferences_window_get_importing_drugs (prefs));
      g_assert_false (gtk_widget_is_sensitive (button));
    }

  WIDGET_WAIT_FOR (!cr_preferences_window_get_importing_drugs (prefs), 60000);
  g_assert_true (gtk_widget_is_sensitive (button));
  widget_iterate_for (300);
}

/* ---- fixture ----------------------------------------------------------- */

static void
prefs_fixture_setup (PrefsFixture  *f,
                     gconstpointer  data)
{
  store_fixture_setup (&f->sf, NULL);
  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->window, 900, 700);
  gtk_window_present (f->window);
  widget_iterate_for (100);
}

static void
prefs_fixture_teardown (PrefsFixture  *f,
                        gconstpointer  data)
{
  close_prefs (f);
  gtk_window_destroy (f->window);
  widget_iterate_for (50);
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
  store_fixture_teardown (&f->sf, data);
}

/* ---- page icons -------------------------------------------------------- */

static void
test_page_icons (PrefsFixture  *f,
                 gconstpointer  data)
{
  static const char * const pages[] = { "practice_page", "codes_page" };
  GtkIconTheme *theme = gtk_icon_theme_get_for_display (gdk_display_get_default ());
  CrPreferencesWindow *prefs;

  prefs = open_code_sets (f);
  adw_preferences_window_set_visible_page (ADW_PREFERENCES_WINDOW (prefs),
                                           ADW_PREFERENCES_PAGE (drugs_child (prefs, "practice_page")));
  widget_iterate_for (200);

  /* The switcher shows each page's icon: an icon the theme lacks is a
   * blank square. The app's own resource icons are only on the search
   * path once CrApplication runs, so pages use the theme's. */
  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      AdwPreferencesPage *page = ADW_PREFERENCES_PAGE (drugs_child (prefs, pages[i]));
      const char *icon = adw_preferences_page_get_icon_name (page);
      g_autofree char *svg = NULL;

      g_assert_nonnull (icon);
      g_test_message ("%s: %s", pages[i], icon);
      g_assert_true (gtk_icon_theme_has_icon (theme, icon));
      /* …and Debian 12's Adwaita theme ships it. */
      svg = g_strdup_printf ("%s.svg", icon);
      {
        const char * const dirs[] = { "actions", "categories", "places", "legacy", "status",
                                      "devices", "emblems", "apps", "mimetypes" };
        gboolean found = FALSE;

        for (guint d = 0; d < G_N_ELEMENTS (dirs) && !found; d++)
          {
            g_autofree char *file = g_build_filename ("/usr/share/icons/Adwaita/scalable",
                                                      dirs[d], svg, NULL);

            found = g_file_test (file, G_FILE_TEST_EXISTS);
          }
        if (g_file_test ("/usr/share/icons/Adwaita/index.theme", G_FILE_TEST_EXISTS))
          g_assert_true (found);
      }
    }
  widget_assert_shows (GTK_WIDGET (prefs), "Database File");
  g_free (widget_save_png (GTK_WIDGET (prefs), "preferences-practice.png"));
}

/* ---- drug list --------------------------------------------------------- */

static void
test_drug_import (PrefsFixture  *f,
                  gconstpointer  data)
{
  g_autofree char *path = products_path ();
  g_autoptr(GDateTime) imported_at = NULL;
  g_autoptr(GDateTime) started = g_date_time_new_now_utc ();
  g_autofree char *drugs = NULL;
  g_autofree char *products = NULL;
  g_autofree char *discontinued = NULL;
  g_autofree char *when = NULL;
  g_autofree char *detail = NULL;
  g_autoptr(GError) error = NULL;
  CrPreferencesWindow *prefs;
  guint n_marketed = 0, n_discontinued = 0, n_drugs = 0;

  if (path == NULL)
    return;
  count_product_lines (path, &n_marketed, &n_discontinued);
  g_test_message ("file: %u marketed, %u discontinued", n_marketed, n_discontinued);
  g_assert_cmpuint (n_marketed + n_discontinued, ==, 45752);

  prefs = open_code_sets (f);
  widget_assert_shows (GTK_WIDGET (prefs), "Drug List");
  widget_assert_shows (GTK_WIDGET (prefs), "No drug list imported");
  widget_assert_shows (GTK_WIDGET (prefs), "products.txt");
  widget_assert_not_shows (GTK_WIDGET (prefs), "Imported");
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (drugs_child (prefs, "drugs_import_button"))),
                   ==, "_Import…");
  g_free (widget_save_png (GTK_WIDGET (prefs), "preferences-drugs-empty.png"));

  import_drugs_and_wait (prefs, f->sf.store, path, "preferences-drugs-importing.png");

  /* What the core now holds… */
  g_assert_true (cr_store_count_drugs (f->sf.store, &n_drugs, &imported_at, &error));
  g_assert_no_error (error);
  g_assert_true (cr_store_has_drugs (f->sf.store));
  g_assert_nonnull (imported_at);
  /* Stored to the second: "now", give or take that second. */
  g_assert_cmpint (g_date_time_difference (imported_at, started), >, -G_TIME_SPAN_SECOND);
  g_assert_cmpint (g_date_time_difference (imported_at, started), <, 5 * G_TIME_SPAN_MINUTE);
  /* Products differing only by applicant make one drug. */
  g_assert_cmpuint (n_drugs, >, 5000);
  g_assert_cmpuint (n_drugs, <, n_marketed);

  /* …is what the window says: the outcome and the status rows. */
  drugs = format_count (n_drugs);
  products = format_count (n_marketed);
  discontinued = format_count (n_discontinued);
  detail = g_strdup_printf ("%s drugs from %s marketed products. %s discontinued products were left out.",
                            drugs, products, discontinued);
  widget_assert_shows (GTK_WIDGET (prefs), "Drug list imported");
  widget_assert_shows (GTK_WIDGET (prefs), detail);
  WIDGET_WAIT_FOR (!gtk_widget_get_visible (drugs_child (prefs, "drugs_empty_row")), 5000);
  widget_assert_not_shows (GTK_WIDGET (prefs), "No drug list imported");
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (drugs_child (prefs, "drugs_count_label"))),
                   ==, drugs);
  when = format_when (imported_at);
  widget_assert_shows (GTK_WIDGET (prefs), when);
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (drugs_child (prefs, "drugs_import_button"))),
                   ==, "_Import Newer…");
  /* The code set above is untouched. */
  widget_assert_shows (GTK_WIDGET (prefs), "No code set imported");
  g_free (widget_save_png (GTK_WIDGET (prefs), "preferences-drugs-imported.png"));

  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  widget_iterate_for (200);
  g_free (widget_save_png (GTK_WIDGET (prefs), "preferences-drugs-imported-dark.png"));
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);

  /* Opened again, the window reads the list from the database. */
  close_prefs (f);
  prefs = open_code_sets (f);
  WIDGET_WAIT_FOR (shows (GTK_WIDGET (prefs), when), 5000);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (drugs_child (prefs, "drugs_count_label"))),
                   ==, drugs);
  widget_assert_not_shows (GTK_WIDGET (prefs), "Drug list imported");
  widget_assert_not_shows (GTK_WIDGET (prefs), "No drug list imported");
}

/* Writes the first @n_lines lines of @path to @out, the @broken-th (1-based)
 * with its last field cut off. */
static void
write_damaged_copy (const char *path,
                    const char *out,
                    guint       n_lines,
                    guint       broken)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  g_auto(GStrv) lines = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL && i < n_lines; i++)
    {
      if (i + 1 == broken)
        {
          char *last = strrchr (lines[i], '~');

          g_assert_nonnull (last);
          *last = '\0';
          g_string_append_printf (text, "%s\r\n", lines[i]);
        }
      else
        g_string_append_printf (text, "%s\n", lines[i]);
    }
  g_file_set_contents (out, text->str, text->len, &error);
  g_assert_no_error (error);
}

static void
test_drug_import_malformed (PrefsFixture  *f,
                            gconstpointer  data)
{
  g_autofree char *path = products_path ();
  g_autofree char *bad = NULL;
  g_autofree char *drugs = NULL;
  g_autofree char *when = NULL;
  g_autofree char *order = NULL;
  g_autoptr(GDateTime) before_at = NULL;
  g_autoptr(GDateTime) after_at = NULL;
  g_autoptr(GError) error = NULL;
  CrDrugImportStats stats = { 0 };
  CrPreferencesWindow *prefs;
  guint before = 0, after = 0;

  if (path == NULL)
    return;

  /* A list is there already (imported as the command line does). */
  g_assert_true (cr_store_import_drugs (f->sf.store, path, NULL, NULL, NULL, &stats, &error));
  g_assert_no_error (error);
  g_assert_true (cr_store_count_drugs (f->sf.store, &before, &before_at, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (before, ==, stats.drugs);
  drugs = format_count (before);
  when = format_when (before_at);

  /* The real file's first 3,000 lines, the 1,234th missing a field. */
  bad = g_build_filename (f->sf.dir, "products.txt", NULL);
  write_damaged_copy (path, bad, 3000, 1234);

  prefs = open_code_sets (f);
  WIDGET_WAIT_FOR (shows (GTK_WIDGET (prefs), when), 5000);
  import_drugs_and_wait (prefs, f->sf.store, bad, NULL);
  widget_assert_shows (GTK_WIDGET (prefs), "Could not import the drug list");
  widget_assert_shows (GTK_WIDGET (prefs), "Line 1234 of the product file is damaged");
  widget_assert_shows (GTK_WIDGET (prefs), "Nothing was imported");
  widget_assert_not_shows (GTK_WIDGET (prefs), "Drug list imported");
  /* The list before is still there, and still shown. */
  g_assert_true (cr_store_count_drugs (f->sf.store, &after, &after_at, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (after, ==, before);
  g_assert_true (g_date_time_equal (after_at, before_at));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (drugs_child (prefs, "drugs_count_label"))),
                   ==, drugs);
  widget_assert_shows (GTK_WIDGET (prefs), when);
  g_free (widget_save_png (GTK_WIDGET (prefs), "preferences-drugs-malformed.png"));

  /* Not the product file at all: the ICD-10-CM order file. */
  order = test_shared_data_path ("icd10cm", "icd10cm_order_2026.txt", NULL);
  if (order != NULL)
    {
      import_drugs_and_wait (prefs, f->sf.store, order, NULL);
      widget_assert_shows (GTK_WIDGET (prefs), "Could not import the drug list");
      widget_assert_shows (GTK_WIDGET (prefs),
                           "“icd10cm_order_2026.txt” is not the FDA Orange Book product file");
      widget_assert_not_shows (GTK_WIDGET (prefs), "Line 1234");
      g_assert_true (cr_store_count_drugs (f->sf.store, &after, NULL, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (after, ==, before);
      g_free (widget_save_png (GTK_WIDGET (prefs), "preferences-drugs-not-product-file.png"));
    }
}

/* A list imported before its time was kept: dated by the audit trail. */
static void
test_drug_list_from_before (PrefsFixture  *f,
                            gconstpointer  data)
{
  g_autofree char *path = products_path ();
  g_autofree char *shorter = NULL;
  g_autofree char *when = NULL;
  g_autofree char *drugs = NULL;
  g_autoptr(GDateTime) at = NULL;
  g_autoptr(GDateTime) audit_at = NULL;
  g_autoptr(GError) error = NULL;
  CrPreferencesWindow *prefs;
  guint n = 0;

  if (path == NULL)
    return;
  shorter = g_build_filename (f->sf.dir, "products.txt", NULL);
  write_damaged_copy (path, shorter, 2000, 0);
  g_assert_true (cr_store_import_drugs (f->sf.store, shorter, NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (_cr_store_exec (f->sf.store,
                                 "DELETE FROM meta WHERE key = 'drugs-imported-at'", &error));
  g_assert_no_error (error);

  g_assert_true (cr_store_count_drugs (f->sf.store, &n, &at, &error));
  g_assert_no_error (error);
  g_assert_nonnull (at);
  {
    g_autoptr(GListModel) trail = cr_store_list_audit (f->sf.store, 0, NULL);

    for (guint i = 0; i < g_list_model_get_n_items (trail); i++)
      {
        g_autoptr(CrAuditEntry) e = g_list_model_get_item (trail, i);

        if (g_strcmp0 (cr_audit_entry_get_record (e), "drugs:orange-book") == 0)
          {
            g_clear_pointer (&audit_at, g_date_time_unref);
            audit_at = g_date_time_new_from_iso8601 (cr_audit_entry_get_at (e), NULL);
          }
      }
  }
  g_assert_nonnull (audit_at);
  g_assert_true (g_date_time_equal (at, audit_at));

  drugs = format_count (n);
  when = format_when (at);
  prefs = open_code_sets (f);
  WIDGET_WAIT_FOR (shows (GTK_WIDGET (prefs), when), 5000);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (drugs_child (prefs, "drugs_count_label"))),
                   ==, drugs);
}

static void
test_drug_import_cancel (PrefsFixture  *f,
                         gconstpointer  data)
{
  g_autofree char *path = products_path ();
  g_autofree char *shorter = NULL;
  g_autofree char *drugs = NULL;
  g_autofree char *when = NULL;
  g_autoptr(GDateTime) before_at = NULL;
  g_autoptr(GDateTime) after_at = NULL;
  g_autoptr(GError) error = NULL;
  CrPreferencesWindow *prefs;
  CrStoreLocker *locker;
  guint before = 0, after = 0;

  if (path == NULL)
    return;

  /* A smaller list first: its first 5,000 lines. */
  shorter = g_build_filename (f->sf.dir, "products.txt", NULL);
  write_damaged_copy (path, shorter, 5000, 0);
  g_assert_true (cr_store_import_drugs (f->sf.store, shorter, NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (cr_store_count_drugs (f->sf.store, &before, &before_at, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (before, >, 500);
  drugs = format_count (before);
  when = format_when (before_at);

  /* The whole file, cancelled once it is read, before it is written. */
  prefs = open_code_sets (f);
  WIDGET_WAIT_FOR (shows (GTK_WIDGET (prefs), when), 5000);
  locker = start_import_and_hold (prefs, f->sf.store, path);
  g_test_message ("cancelled at %.0f %%", drugs_progress (prefs) * 100);
  widget_click (GTK_WIDGET (prefs), "Cancel");
  g_assert_false (gtk_widget_is_sensitive (drugs_child (prefs, "drugs_cancel_button")));
  widget_iterate_for (100);
  widget_assert_shows (GTK_WIDGET (prefs), "Cancelling…");
  g_free (widget_save_png (GTK_WIDGET (prefs), "preferences-drugs-cancelling.png"));
  _cr_store_unlock (locker);
  WIDGET_WAIT_FOR (!cr_preferences_window_get_importing_drugs (prefs), 30000);
  widget_iterate_for (300);

  widget_assert_shows (GTK_WIDGET (prefs), "Import cancelled");
  widget_assert_shows (GTK_WIDGET (prefs), "The drug list is unchanged.");
  widget_assert_not_shows (GTK_WIDGET (prefs), "Drug list imported");
  g_assert_true (cr_store_count_drugs (f->sf.store, &after, &after_at, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (after, ==, before);
  g_assert_true (g_date_time_equal (after_at, before_at));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (drugs_child (prefs, "drugs_count_label"))),
                   ==, drugs);
  widget_assert_shows (GTK_WIDGET (prefs), when);
  g_free (widget_save_png (GTK_WIDGET (prefs), "preferences-drugs-cancelled.png"));
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

#define ADD(path, func) \
  g_test_add (path, PrefsFixture, NULL, prefs_fixture_setup, func, prefs_fixture_teardown)
  ADD ("/widgets/preferences/page-icons", test_page_icons);
  ADD ("/widgets/preferences/drug-import", test_drug_import);
  ADD ("/widgets/preferences/drug-import-malformed", test_drug_import_malformed);
  ADD ("/widgets/preferences/drug-import-cancel", test_drug_import_cancel);
  ADD ("/widgets/preferences/drug-list-from-before", test_drug_list_from_before);
#undef ADD

  return g_test_run ();
}
