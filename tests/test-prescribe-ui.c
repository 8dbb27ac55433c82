/* test-prescribe-ui.c: writing a prescription, as seen
 *
 * A practice with the real FDA Orange Book drug list of ../shared/data, a
 * patient allergic to penicillin with a draft visit; the real CrMainView
 * runs in a window under Xvfb, main.prescribe opens the form, and every
 * step is checked on what is on screen (PNGs in screens/).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <poppler.h>
#include <string.h>

#include "chartroom-resources.h"
#include "cr-audit.h"
#include "cr-chart.h"
#include "cr-date.h"
#include "cr-drugs.h"
#include "cr-main-view.h"
#include "cr-patients.h"
#include "cr-prescription-editor.h"
#include "cr-print.h"
#include "test-util.h"
#include "widget-util.h"

typedef struct
{
  StoreFixture  sf;
  GtkWindow    *window;
  CrMainView   *view;
  CrPatient    *allergic;    /* penicillin, hives, severe */
  CrPatient    *clear;       /* no allergies */
  gint64        visit_id;    /* a draft visit of the allergic patient */
} RxFixture;

/* ---- helpers --------------------------------------------------------------- */

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

static GtkWindow *
wait_for_toplevel (GType type)
{
  widget_wait_until (toplevel_open, GSIZE_TO_POINTER (type), g_type_name (type));
  widget_iterate_for (150);
  return find_toplevel (type);
}

static GtkWidget *
child (gpointer    editor,
       const char *name)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (editor),
                                                   CR_TYPE_PRESCRIPTION_EDITOR, name);

  g_assert_nonnull (object);
  return GTK_WIDGET (object);
}

static void
set_row (gpointer    editor,
         const char *name,
         const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (child (editor, name)), text);
}

static const char *
row_text (gpointer    editor,
          const char *name)
{
  return gtk_editable_get_text (GTK_EDITABLE (child (editor, name)));
}

typedef struct
{
  gpointer editor;
  guint    min;
} SuggestWait;

static gboolean
suggestions_shown (gpointer data)
{
  SuggestWait *w = data;
  GtkWidget *popover = child (w->editor, "suggestions_popover");
  GtkListBox *list = GTK_LIST_BOX (child (w->editor, "suggestions_list"));

  return gtk_widget_get_visible (popover) &&
         gtk_list_box_get_row_at_index (list, w->min > 0 ? w->min - 1 : 0) != NULL;
}

/* Sends a key press to the drug field as the keyboard would. */
static void
press_key (gpointer editor,
           guint    keyval)
{
  GtkWidget *row = child (editor, "drug_row");
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (row);
  gboolean handled = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) c = g_list_model_get_item (controllers, i);

      if (GTK_IS_EVENT_CONTROLLER_KEY (c) &&
          gtk_event_controller_get_propagation_phase (c) == GTK_PHASE_CAPTURE)
        {
          g_signal_emit_by_name (c, "key-pressed", keyval, 0, 0, &handled);
          break;
        }
    }
  g_assert_true (handled);
  widget_iterate_for (50);
}

static int
selected_index (gpointer editor)
{
  GtkListBoxRow *row = gtk_list_box_get_selected_row (GTK_LIST_BOX (child (editor, "suggestions_list")));

  return row ? gtk_list_box_row_get_index (row) : -1;
}

static GPtrArray *
prescriptions_of (RxFixture *f,
                  CrPatient *patient)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *list = cr_store_list_prescriptions (f->sf.store, cr_patient_get_id (patient), TRUE, &error);

  g_assert_no_error (error);
  return list;
}

static CrPatient *
add_patient (RxFixture  *f,
             const char *family,
             const char *given,
             const char *birth)
{
  CrPatient *patient = cr_patient_new ();
  g_autoptr(GError) error = NULL;

  cr_patient_set_family_name (patient, family);
  cr_patient_set_given_names (patient, given);
  cr_patient_set_birth_date (patient, birth);
  g_assert_true (cr_store_add_patient (f->sf.store, patient, FALSE, &error));
  g_assert_no_error (error);
  return patient;
}

/* ---- fixture ------------------------------------------------------------- */

static void
rx_setup (RxFixture     *f,
          gconstpointer  data)
{
  g_autofree char *drugs = test_shared_data_path ("drugs", "fda_orange_book_products.txt", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CrVisit) visit = NULL;

  if (drugs == NULL)
    return;

  store_fixture_setup (&f->sf, data);
  cr_store_set_user (f->sf.store, "Dr. Maria Lopez");
  g_assert_true (cr_store_import_drugs (f->sf.store, drugs, NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);

  f->allergic = add_patient (f, "Penner", "Ruth", "1971-05-02");
  g_assert_cmpint (cr_store_add_allergy (f->sf.store, cr_patient_get_id (f->allergic), "Penicillin",
                                         "hives", CR_ALLERGY_SEVERITY_SEVERE, &error), >, 0);
  g_assert_no_error (error);
  f->clear = add_patient (f, "Clearwater", "Tom", "1980-09-17");

  visit = cr_visit_new (cr_patient_get_id (f->allergic));
  cr_visit_set_started_at (visit, "2026-03-12T09:30");
  cr_visit_set_clinician (visit, "Dr. Maria Lopez");
  cr_visit_set_chief_complaint (visit, "Sore throat");
  g_assert_true (cr_store_create_visit (f->sf.store, visit, &error));
  g_assert_no_error (error);
  f->visit_id = cr_visit_get_id (visit);

  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->window, 1100, 760);
  f->view = CR_MAIN_VIEW (cr_main_view_new ());
  gtk_window_set_child (f->window, GTK_WIDGET (f->view));
  cr_main_view_set_store (f->view, f->sf.store);
  gtk_window_present (f->window);
  widget_iterate_for (300);
}

static void
rx_teardown (RxFixture     *f,
             gconstpointer  data)
{
  GtkWindow *window;

  if (f->window == NULL)
    return;

  while ((window = find_toplevel (ADW_TYPE_MESSAGE_DIALOG)) != NULL)
    gtk_window_destroy (window);
  while ((window = find_toplevel (CR_TYPE_PRESCRIPTION_EDITOR)) != NULL)
    gtk_window_destroy (window);

  g_object_add_weak_pointer (G_OBJECT (f->view), (gpointer *) &f->view);
  gtk_window_destroy (f->window);
  for (guint i = 0; i < 500 && f->view != NULL; i++)
    widget_iterate_for (10);
  g_assert_null (f->view);
  widget_iterate_for (100);

  g_clear_object (&f->allergic);
  g_clear_object (&f->clear);
  store_fixture_teardown (&f->sf, data);
}

/* ---- tests --------------------------------------------------------------- */

/* Type-ahead, keyboard choice, the allergy warning (Cancel first), then
 * prescribing anyway. */
static void
test_type_ahead_and_allergy (RxFixture     *f,
                             gconstpointer  data)
{
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(CrDrug) second = NULL;
  GtkWindow *editor;
  AdwMessageDialog *dialog;
  SuggestWait wait;
  CrPrescription *rx;

  if (f->window == NULL)
    return;

  cr_main_view_open_patient (f->view, f->allergic);
  widget_iterate_for (200);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "main.prescribe", "x", f->visit_id));
  editor = wait_for_toplevel (CR_TYPE_PRESCRIPTION_EDITOR);
  g_assert_nonnull (editor);
  gtk_window_set_default_size (editor, 640, 860);
  widget_iterate_for (200);

  /* Whose it is, their allergy above everything, the visit's date. */
  widget_assert_shows (GTK_WIDGET (editor), "New Prescription");
  widget_assert_shows (GTK_WIDGET (editor), "Penner, Ruth");
  widget_assert_shows (GTK_WIDGET (editor), "Allergies: Penicillin (hives, severe)");
  g_assert_cmpstr (row_text (editor, "start_row"), ==, "2026-03-12");
  g_assert_cmpint (cr_prescription_editor_get_visit_id (CR_PRESCRIPTION_EDITOR (editor)), ==, f->visit_id);

  /* "amoxi": plain amoxicillin first, under the field. */
  set_row (editor, "drug_row", "amoxi");
  wait = (SuggestWait) { editor, 3 };
  widget_wait_until (suggestions_shown, &wait, "drug suggestions");
  widget_iterate_for (200);
  widget_assert_shows (child (editor, "suggestions_popover"), "Amoxicillin");
  widget_assert_shows (child (editor, "suggestions_popover"), "capsule, oral");
  g_free (widget_save_png (GTK_WIDGET (editor), "prescribe-form.png"));
  g_free (widget_save_png (child (editor, "suggestions_popover"), "prescribe-suggestions.png"));

  /* Down, Down, Up: the second suggestion; Enter takes it. */
  g_assert_cmpint (selected_index (editor), ==, 0);
  press_key (editor, GDK_KEY_Down);
  press_key (editor, GDK_KEY_Down);
  g_assert_cmpint (selected_index (editor), ==, 2);
  press_key (editor, GDK_KEY_Up);
  g_assert_cmpint (selected_index (editor), ==, 1);
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) found = cr_store_search_drugs (f->sf.store, "amoxi", 12, NULL, &error);

    g_assert_no_error (error);
    second = g_object_ref (g_ptr_array_index (found, 1));
  }
  press_key (editor, GDK_KEY_Return);
  g_assert_false (gtk_widget_get_visible (child (editor, "suggestions_popover")));
  g_assert_cmpstr (row_text (editor, "drug_row"), ==, cr_drug_get_name (second));
  g_assert_cmpstr (row_text (editor, "strength_row"), ==, cr_drug_get_strength (second));
  g_assert_cmpstr (row_text (editor, "form_row"), ==, cr_drug_get_form (second));
  g_assert_cmpstr (row_text (editor, "route_row"), ==, cr_drug_get_route (second));
  /* Filling the name does not search again. */
  widget_iterate_for (300);
  g_assert_false (gtk_widget_get_visible (child (editor, "suggestions_popover")));

  set_row (editor, "dose_row", "1 capsule");
  set_row (editor, "frequency_row", "three times a day");
  set_row (editor, "duration_row", "for 10 days");
  set_row (editor, "quantity_row", "30");
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (child (editor, "instructions_view"))),
                            "Take with food.", -1);
  widget_iterate_for (100);
  g_free (widget_save_png (GTK_WIDGET (editor), "prescribe-filled.png"));

  /* Save: the penicillin allergy is named, and Cancel is the default. */
  before = prescriptions_of (f, f->allergic);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL));
  dialog = ADW_MESSAGE_DIALOG (wait_for_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_nonnull (dialog);
  {
    g_autofree char *expected = g_strdup_printf ("Recorded allergy: Penicillin (hives, severe). "
                                                 "Prescribe %s anyway?", cr_drug_get_name (second));

    g_assert_cmpstr (adw_message_dialog_get_body (dialog), ==, expected);
  }
  g_assert_cmpstr (adw_message_dialog_get_default_response (dialog), ==, "cancel");
  g_assert_cmpstr (adw_message_dialog_get_close_response (dialog), ==, "cancel");
  g_assert_cmpint (adw_message_dialog_get_response_appearance (dialog, "prescribe"), ==,
                   ADW_RESPONSE_DESTRUCTIVE);
  widget_assert_shows (GTK_WIDGET (dialog), "Allergy on Record");
  g_free (widget_save_png (GTK_WIDGET (dialog), "prescribe-allergy-warning.png"));

  widget_click (GTK_WIDGET (dialog), "Cancel");
  widget_wait_until (toplevel_closed, GSIZE_TO_POINTER (ADW_TYPE_MESSAGE_DIALOG), "the warning to close");
  widget_iterate_for (100);
  /* Nothing written; the form and what was typed are still there. */
  {
    g_autoptr(GPtrArray) now = prescriptions_of (f, f->allergic);

    g_assert_cmpuint (now->len, ==, before->len);
  }
  g_assert_true (find_toplevel (CR_TYPE_PRESCRIPTION_EDITOR) == editor);
  g_assert_cmpstr (row_text (editor, "dose_row"), ==, "1 capsule");

  /* Prescribe anyway: written at the visit, on its date, and the form closes. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL));
  dialog = ADW_MESSAGE_DIALOG (wait_for_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  widget_click (GTK_WIDGET (dialog), "Prescribe Anyway");
  widget_wait_until (toplevel_closed, GSIZE_TO_POINTER (CR_TYPE_PRESCRIPTION_EDITOR), "the form to close");

  after = prescriptions_of (f, f->allergic);
  g_assert_cmpuint (after->len, ==, before->len + 1);
  rx = g_ptr_array_index (after, after->len - 1);
  for (guint i = 0; i < after->len; i++)
    if (cr_prescription_get_id (g_ptr_array_index (after, i)) > cr_prescription_get_id (rx))
      rx = g_ptr_array_index (after, i);
  g_assert_cmpstr (cr_prescription_get_drug (rx), ==, cr_drug_get_name (second));
  g_assert_cmpstr (cr_prescription_get_strength (rx), ==, cr_drug_get_strength (second));
  g_assert_cmpstr (cr_prescription_get_dose (rx), ==, "1 capsule");
  g_assert_cmpstr (cr_prescription_get_frequency (rx), ==, "three times a day");
  g_assert_cmpstr (cr_prescription_get_quantity (rx), ==, "30");
  g_assert_cmpstr (cr_prescription_get_instructions (rx), ==, "Take with food.");
  g_assert_cmpstr (cr_prescription_get_start_date (rx), ==, "2026-03-12");
  g_assert_cmpint (cr_prescription_get_visit_id (rx), ==, f->visit_id);
  g_assert_cmpstr (cr_prescription_get_prescriber (rx), ==, "Dr. Maria Lopez");

  /* The visit's note as a PDF through the print operation: audited. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(CrPrintLayout) layout = cr_print_layout_new_for_visit (f->sf.store, f->visit_id, &error);
    g_autofree char *pdf = g_build_filename (f->sf.dir, "note.pdf", NULL);
    g_autofree char *uri = NULL;
    g_autofree char *text = NULL;
    g_autoptr(GListModel) trail = NULL;
    PopplerDocument *doc;
    PopplerPage *page;
    guint exports = 0;

    g_assert_no_error (error);
    g_assert_true (cr_print_export_pdf (f->window, f->sf.store, layout, pdf, &error));
    g_assert_no_error (error);
    uri = g_filename_to_uri (pdf, NULL, NULL);
    doc = poppler_document_new_from_file (uri, NULL, &error);
    g_assert_no_error (error);
    page = poppler_document_get_page (doc, 0);
    text = poppler_page_get_text (page);
    g_object_unref (page);
    g_object_unref (doc);
    g_assert_nonnull (strstr (text, "Penner, Ruth"));
    g_assert_nonnull (strstr (text, "UNSIGNED DRAFT"));
    g_assert_nonnull (strstr (text, cr_drug_get_name (second)));
    g_unlink (pdf);

    trail = cr_store_list_audit (f->sf.store, cr_patient_get_id (f->allergic), &error);
    g_assert_no_error (error);
    for (guint i = 0; i < g_list_model_get_n_items (trail); i++)
      {
        g_autoptr(CrAuditEntry) entry = g_list_model_get_item (trail, i);

        exports += g_strcmp0 (cr_audit_entry_get_action (entry), CR_AUDIT_EXPORT) == 0;
      }
    g_assert_cmpuint (exports, ==, 1);
  }
}

/* No allergy, a drug the list does not hold: free text, saved without a
 * question, starting today; in dark style too. */
static void
test_free_text_no_allergy (RxFixture     *f,
                           gconstpointer  data)
{
  g_autoptr(GPtrArray) after = NULL;
  g_autofree char *today = NULL;
  GtkWindow *editor;
  GDate date;

  if (f->window == NULL)
    return;

  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  cr_main_view_open_patient (f->view, f->clear);
  widget_iterate_for (200);
  /* 0: the open patient, no visit. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "main.prescribe", "x", (gint64) 0));
  editor = wait_for_toplevel (CR_TYPE_PRESCRIPTION_EDITOR);
  gtk_window_set_default_size (editor, 640, 860);
  widget_assert_shows (GTK_WIDGET (editor), "Clearwater, Tom");
  widget_assert_shows (GTK_WIDGET (editor), "No allergies recorded");
  cr_date_set_today (&date);
  today = cr_date_to_iso (&date);
  g_assert_cmpstr (row_text (editor, "start_row"), ==, today);

  /* Lipitor by its brand: suggested; the list shows strengths. */
  set_row (editor, "drug_row", "lipitor");
  {
    SuggestWait wait = { editor, 4 };

    widget_wait_until (suggestions_shown, &wait, "Lipitor's strengths");
  }
  widget_iterate_for (150);
  widget_assert_shows (child (editor, "suggestions_popover"), "Lipitor (atorvastatin calcium)");
  widget_assert_shows (child (editor, "suggestions_popover"), "80 mg");
  g_free (widget_save_png (child (editor, "suggestions_popover"), "prescribe-suggestions-dark.png"));

  /* Something no list holds: no suggestions, typed as is. */
  set_row (editor, "drug_row", "Magic mouthwash (compounded)");
  widget_iterate_for (400);
  g_assert_false (gtk_widget_get_visible (child (editor, "suggestions_popover")));
  set_row (editor, "dose_row", "10 mL");
  set_row (editor, "frequency_row", "swish and spit four times a day");
  set_row (editor, "quantity_row", "240 mL");
  widget_iterate_for (100);
  g_free (widget_save_png (GTK_WIDGET (editor), "prescribe-dark.png"));

  /* An empty name is refused on the form itself. */
  set_row (editor, "drug_row", "  ");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL));
  widget_iterate_for (100);
  widget_assert_shows (GTK_WIDGET (editor), "Name the drug to prescribe.");
  g_assert_true (gtk_widget_has_css_class (child (editor, "drug_row"), "error"));
  g_assert_null (find_toplevel (ADW_TYPE_MESSAGE_DIALOG));

  set_row (editor, "drug_row", "Magic mouthwash (compounded)");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL));
  widget_wait_until (toplevel_closed, GSIZE_TO_POINTER (CR_TYPE_PRESCRIPTION_EDITOR), "the form to close");
  g_assert_null (find_toplevel (ADW_TYPE_MESSAGE_DIALOG));

  after = prescriptions_of (f, f->clear);
  g_assert_cmpuint (after->len, ==, 1);
  g_assert_cmpstr (cr_prescription_get_drug (g_ptr_array_index (after, 0)), ==,
                   "Magic mouthwash (compounded)");
  g_assert_cmpstr (cr_prescription_get_start_date (g_ptr_array_index (after, 0)), ==, today);
  g_assert_cmpint (cr_prescription_get_visit_id (g_ptr_array_index (after, 0)), ==, 0);
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
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
  g_test_add (path, RxFixture, NULL, rx_setup, func, rx_teardown)
  ADD ("/widgets/prescribe/type-ahead-allergy", test_type_ahead_and_allergy);
  ADD ("/widgets/prescribe/free-text", test_free_text_no_allergy);
#undef ADD

  return g_test_run ();
}
