/* test-fhir-ui.c: importing FHIR records through the dialog, as seen
 *
 * The real CrMainView on an empty practice; the dialog imports what the
 * file chooser would hand it (three real Synthea bundles and a broken
 * file), and the summary and the refreshed patient list are checked on
 * screen and saved as PNGs in screens/.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "chartroom-resources.h"
#include "cr-fhir-import-dialog.h"
#include "cr-main-view.h"
#include "cr-patient-sidebar.h"
#include "cr-patients.h"
#include "test-util.h"
#include "widget-util.h"

typedef struct
{
  StoreFixture  sf;
  GtkWindow    *window;
  CrMainView   *view;
} ViewFixture;

static CrPatientSidebar *
get_sidebar (ViewFixture *f)
{
  return CR_PATIENT_SIDEBAR (gtk_widget_get_template_child (GTK_WIDGET (f->view),
                                                            CR_TYPE_MAIN_VIEW, "sidebar"));
}

static gboolean
list_idle (gpointer data)
{
  return !cr_patient_sidebar_get_loading (get_sidebar (data));
}

static gboolean
dialog_idle (gpointer data)
{
  return !cr_fhir_import_dialog_get_busy (data);
}

static void
view_fixture_setup (ViewFixture   *f,
                    gconstpointer  data)
{
  g_autofree char *dir = test_shared_data_path ("synthea", NULL);

  if (dir == NULL)
    return;
  store_fixture_setup (&f->sf, data);
  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->window, 1100, 760);
  f->view = CR_MAIN_VIEW (cr_main_view_new ());
  gtk_window_set_child (f->window, GTK_WIDGET (f->view));
  cr_main_view_set_store (f->view, f->sf.store);
  gtk_window_present (f->window);
  widget_wait_until (list_idle, f, "the empty patient list");
  widget_iterate_for (200);
}

static void
view_fixture_teardown (ViewFixture   *f,
                       gconstpointer  data)
{
  if (f->window == NULL)
    return;
  g_object_add_weak_pointer (G_OBJECT (f->view), (gpointer *) &f->view);
  gtk_window_destroy (f->window);
  for (guint i = 0; i < 500 && f->view != NULL; i++)
    widget_iterate_for (10);
  g_assert_null (f->view);
  widget_iterate_for (50);
  store_fixture_teardown (&f->sf, data);
}

static CrFhirImportDialog *
run_import (ViewFixture        *f,
            const char * const *paths)
{
  CrFhirImportDialog *dialog;

  dialog = cr_fhir_import_dialog_new (f->window, f->sf.store, get_sidebar (f));
  gtk_window_set_default_size (GTK_WINDOW (dialog), 600, 640);
  gtk_window_present (GTK_WINDOW (dialog));
  cr_fhir_import_dialog_import (dialog, paths);
  g_assert_true (cr_fhir_import_dialog_get_busy (dialog));
  widget_wait_until (dialog_idle, dialog, "the import to finish");
  widget_iterate_for (300);
  return dialog;
}

static void
test_import (ViewFixture   *f,
             gconstpointer  data)
{
  g_autofree char *ammie = NULL;
  g_autofree char *beatriz = NULL;
  g_autofree char *benito = NULL;
  g_autofree char *bad = NULL;
  g_autoptr(GError) error = NULL;
  CrFhirImportDialog *dialog;
  const char *paths[5];
  const char *again[2];

  if (f->window == NULL)
    return;
  ammie = test_shared_data_path ("synthea", "Ammie_Huels_ea186cb3-ccb1-4dfc-a92e-dc9286aaa2ce.json", NULL);
  beatriz = test_shared_data_path ("synthea", "Beatriz_Salazar_c837db1d-d74b-4707-be68-b87bb25b4504.json", NULL);
  benito = test_shared_data_path ("synthea", "Benito_Shields_d413c7e7-77db-4e49-b88c-a1565c7d52a9.json", NULL);
  bad = g_build_filename (f->sf.dir, "scanned-letter.json", NULL);
  g_file_set_contents (bad, "{\"resourceType\": \"Bundle\", \"type\": \"collection\", \"entry\": [{\"resource\":"
                       " {\"resourceType\": \"Patient\", \"id\": \"p1\", \"name\": [{\"given\": [\"Ann\"]}]}}]}",
                       -1, &error);
  g_assert_no_error (error);

  /* The main view offers the import in its primary menu. */
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (f->view)));
  g_assert_cmpint (cr_store_count_patients (f->sf.store, NULL), ==, 0);

  paths[0] = ammie;
  paths[1] = bad;
  paths[2] = beatriz;
  paths[3] = benito;
  paths[4] = NULL;
  dialog = run_import (f, paths);

  widget_assert_shows (GTK_WIDGET (dialog), "3 of 4 files imported, 1 failed");
  widget_assert_shows (GTK_WIDGET (dialog), "Ammie_Huels_ea186cb3-ccb1-4dfc-a92e-dc9286aaa2ce.json");
  widget_assert_shows (GTK_WIDGET (dialog), "1 patient, 21 visits, 8 problems, 4 prescriptions");
  widget_assert_shows (GTK_WIDGET (dialog), "Claim 25");
  widget_assert_shows (GTK_WIDGET (dialog), "Skipped: the chart has no place for these");
  widget_assert_shows (GTK_WIDGET (dialog), "Not imported: nothing from this file was saved");
  widget_assert_shows (GTK_WIDGET (dialog), "the patient has no family name");
  g_free (widget_save_png (GTK_WIDGET (dialog), "fhir-import-summary.png"));

  /* The patient list shows the new patients. */
  widget_wait_until (list_idle, f, "the list to refresh");
  widget_iterate_for (200);
  g_assert_cmpint (cr_store_count_patients (f->sf.store, NULL), ==, 3);
  widget_assert_shows (GTK_WIDGET (get_sidebar (f)), "Huels");
  widget_assert_shows (GTK_WIDGET (get_sidebar (f)), "Salazar");
  widget_assert_shows (GTK_WIDGET (get_sidebar (f)), "Shields");
  g_free (widget_save_png (GTK_WIDGET (f->window), "fhir-import-list.png"));

  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  widget_iterate_for (200);
  g_free (widget_save_png (GTK_WIDGET (dialog), "fhir-import-summary-dark.png"));
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
  gtk_window_close (GTK_WINDOW (dialog));
  widget_iterate_for (100);

  /* The same file again: nothing new, and the dialog says so. */
  again[0] = ammie;
  again[1] = NULL;
  dialog = run_import (f, again);
  widget_assert_shows (GTK_WIDGET (dialog), "1 file imported");
  widget_assert_shows (GTK_WIDGET (dialog), "Nothing new: already in the chart");
  widget_assert_shows (GTK_WIDGET (dialog), "250 records were imported before and left as they were");
  g_free (widget_save_png (GTK_WIDGET (dialog), "fhir-import-again.png"));
  g_assert_cmpint (cr_store_count_patients (f->sf.store, NULL), ==, 3);
  gtk_window_destroy (GTK_WINDOW (dialog));
  widget_iterate_for (100);
}

int
main (int    argc,
      char **argv)
{
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_setenv ("GTK_A11Y", "none", FALSE);
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  g_setenv ("TZ", "UTC", TRUE);

  widget_test_init (&argc, &argv);
  g_assert_nonnull (chartroom_get_resource ());
  {
    g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

    gtk_css_provider_load_from_resource (css, "/io/github/chartroom/Chartroom/style.css");
    gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                                GTK_STYLE_PROVIDER (css),
                                                GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  }

  g_test_add ("/widgets/fhir/import", ViewFixture, NULL, view_fixture_setup, test_import,
              view_fixture_teardown);
  return g_test_run ();
}
