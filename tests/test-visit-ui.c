/* test-visit-ui.c: writing, coding, signing and amending a visit note
 *
 * One demo practice (300 patients, the ICD-10-CM code set of
 * ../shared/data imported once) with the real CrMainView in a window; the
 * steps run in order on a fresh patient, as a physician would, and every
 * claim is checked on screen and in the store. PNGs go to screens/.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "cr-amend-dialog.h"
#include "chartroom-resources.h"
#include "cr-chart.h"
#include "cr-codes.h"
#include "cr-demo.h"
#include "cr-diagnosis-picker.h"
#include "cr-drafts.h"
#include "cr-drafts-window.h"
#include "cr-main-view.h"
#include "cr-outcome-step.h"
#include "cr-patient-sidebar.h"
#include "cr-patients.h"
#include "cr-visit-editor.h"
#include "cr-vitals-editor.h"
#include "test-util.h"
#include "widget-util.h"

static struct
{
  StoreFixture  sf;
  GtkWindow    *window;
  CrMainView   *view;
  CrPatient    *patient;     /* the fresh patient */
  gboolean      have_codes;
  gint64        first_visit;
} P;

/* ---- helpers ----------------------------------------------------------- */

static CrVisitEditor *
find_editor (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (CR_IS_VISIT_EDITOR (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return CR_VISIT_EDITOR (window);
    }
  return NULL;
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
editor_open (gpointer data)
{
  return find_editor () != NULL;
}

static GtkWidget *
child (gpointer     widget,
       GType        type,
       const char  *name)
{
  GObject *obj = gtk_widget_get_template_child (GTK_WIDGET (widget), type, name);

  g_assert_nonnull (obj);
  return GTK_WIDGET (obj);
}

#define EDITOR_CHILD(e, name) child ((e), CR_TYPE_VISIT_EDITOR, (name))
#define VITAL(e, name) child (EDITOR_CHILD ((e), "vitals"), CR_TYPE_VITALS_EDITOR, (name))

static void
set_text (GtkWidget  *widget,
          const char *text)
{
  if (GTK_IS_TEXT_VIEW (widget))
    gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (widget)), text, -1);
  else
    gtk_editable_set_text (GTK_EDITABLE (widget), text);
}

static CrVisit *
stored_visit (gint64 id)
{
  g_autoptr(GError) error = NULL;
  CrVisit *visit = cr_store_get_visit (P.sf.store, id, &error);

  g_assert_no_error (error);
  return visit;
}

static CrVisitEditor *
new_visit (void)
{
  CrVisitEditor *editor;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (P.view), "main.new-visit", NULL));
  widget_wait_until (editor_open, NULL, "the visit editor");
  widget_iterate_for (200);
  editor = find_editor ();
  g_assert_nonnull (editor);
  return editor;
}

/* Waits past the save delay, so what was typed is in the store. */
static void
let_it_save (void)
{
  widget_iterate_for (CR_VISIT_EDITOR_SAVE_DELAY_MS + 250);
}

static void
close_editor (CrVisitEditor *editor)
{
  g_object_add_weak_pointer (G_OBJECT (editor), (gpointer *) &editor);
  gtk_window_close (GTK_WINDOW (editor));
  for (guint i = 0; i < 200 && editor != NULL; i++)
    widget_iterate_for (10);
  g_assert_null (editor);
}

typedef struct
{
  CrDiagnosisPicker *picker;
} PickerData;

static gboolean
picker_settled (gpointer data)
{
  return !cr_diagnosis_picker_get_searching (data);
}

static void
type_diagnosis (CrVisitEditor *editor,
                const char    *text)
{
  CrDiagnosisPicker *picker = CR_DIAGNOSIS_PICKER (EDITOR_CHILD (editor, "picker"));

  gtk_editable_set_text (cr_diagnosis_picker_get_entry (picker), text);
  widget_wait_until (picker_settled, picker, "the code search");
  widget_iterate_for (50);
}

static AdwMessageDialog *
find_message_dialog (void)
{
  return find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
}

static gboolean
chart_open (gpointer data)
{
  return cr_main_view_get_patient (P.view) != NULL;
}

/* ---- tests ---------------------------------------------------------------- */

static void
test_write (void)
{
  g_autofree char *codes_file = test_shared_data_path ("icd10cm", "icd10cm_order_2026.txt", NULL);
  g_autoptr(CrVisit) saved = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) follow_ups = NULL;
  CrVisitEditor *editor;
  CrDiagnosisPicker *picker;
  CrVitalsEditor *vitals;
  GtkWidget *status;
  gint64 id;
  guint saves;

  if (codes_file != NULL && !P.have_codes)
    {
      CrCodeImportStats stats = { 0, };
      gint64 start = g_get_monotonic_time ();

      cr_store_import_codes (P.sf.store, codes_file, "2026", NULL, NULL, NULL, &stats, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (stats.billable, ==, 74719);
      g_test_message ("code set imported in %.2f s",
                      (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC);
      P.have_codes = TRUE;
    }

  editor = new_visit ();
  vitals = CR_VITALS_EDITOR (EDITOR_CHILD (editor, "vitals"));
  picker = CR_DIAGNOSIS_PICKER (EDITOR_CHILD (editor, "picker"));
  widget_assert_shows (GTK_WIDGET (editor), "Visit Note");
  widget_assert_shows (GTK_WIDGET (editor), "Ramírez, Lucía");
  widget_assert_shows (GTK_WIDGET (editor), "Draft · not started");
  /* The cursor waits in the chief complaint; nothing is stored yet. */
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (editor)),
                                         EDITOR_CHILD (editor, "complaint_row")));
  g_assert_cmpint (cr_visit_editor_get_visit_id (editor), ==, 0);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (EDITOR_CHILD (editor, "clinician_row"))),
                   ==, "tester");
  /* A first visit: no earlier treatment to ask about. */
  g_assert_false (gtk_widget_get_visible (EDITOR_CHILD (editor, "outcome_step")));

  /* The first keystroke creates the draft, saved within the delay. */
  set_text (EDITOR_CHILD (editor, "complaint_row"), "Thirst and frequent urination");
  let_it_save ();
  id = cr_visit_editor_get_visit_id (editor);
  g_assert_cmpint (id, >, 0);
  P.first_visit = id;
  saved = stored_visit (id);
  g_assert_cmpstr (cr_visit_get_chief_complaint (saved), ==, "Thirst and frequent urination");
  g_assert_false (cr_visit_is_signed (saved));
  g_clear_object (&saved);
  widget_assert_shows (GTK_WIDGET (editor), "Draft · saved");

  /* Dated a week ago, so that the next visit is a follow-up. */
  {
    g_autoptr(GDateTime) now = g_date_time_new_now_local ();
    g_autoptr(GDateTime) then = g_date_time_add_days (now, -7);
    g_autofree char *shown = g_date_time_format (then, "%Y-%m-%d 09:30");

    set_text (EDITOR_CHILD (editor, "started_row"), "2023-02-30 09:30");
    let_it_save ();
    widget_assert_shows (GTK_WIDGET (editor), "The note keeps saving with the last valid date.");
    g_assert_true (gtk_widget_has_css_class (EDITOR_CHILD (editor, "started_row"), "error"));
    set_text (EDITOR_CHILD (editor, "started_row"), shown);
  }

  set_text (EDITOR_CHILD (editor, "subjective_view"),
            "Three weeks of thirst, polyuria and 4 kg weight loss. No fever.");
  set_text (EDITOR_CHILD (editor, "objective_view"), "Alert, mucous membranes dry.");
  set_text (EDITOR_CHILD (editor, "assessment_view"), "New type 2 diabetes.");
  set_text (EDITOR_CHILD (editor, "plan_view"), "Start metformin; diet advice; HbA1c.");

  /* Impossible vitals are flagged as typed and left out of the save, the
   * rest goes on saving. */
  set_text (VITAL (editor, "systolic_entry"), "900");
  set_text (VITAL (editor, "diastolic_entry"), "85");
  set_text (VITAL (editor, "pulse_entry"), "88");
  set_text (VITAL (editor, "weight_entry"), "-70");
  set_text (VITAL (editor, "height_entry"), "172");
  g_assert_cmpuint (cr_vitals_editor_get_n_flagged (vitals), ==, 2);
  widget_assert_shows (GTK_WIDGET (editor), "A systolic blood pressure of 900 mmHg is not possible");
  widget_assert_shows (GTK_WIDGET (editor), "The weight cannot be negative");
  widget_assert_shows (GTK_WIDGET (editor), "Flagged values are not saved until corrected");
  widget_assert_shows (GTK_WIDGET (editor), "Needs weight and height");
  g_assert_true (gtk_widget_has_css_class (VITAL (editor, "systolic_entry"), "error"));
  g_assert_true (gtk_widget_has_css_class (VITAL (editor, "weight_entry"), "error"));
  g_assert_false (gtk_widget_has_css_class (VITAL (editor, "pulse_entry"), "error"));
  let_it_save ();
  saved = stored_visit (id);
  g_assert_cmpint (cr_visit_get_bp_systolic (saved), ==, CR_VITAL_NOT_RECORDED);
  g_assert_cmpint (cr_visit_get_bp_diastolic (saved), ==, CR_VITAL_NOT_RECORDED);
  g_assert_cmpfloat (cr_visit_get_weight_kg (saved), ==, CR_VITAL_NOT_RECORDED);
  g_assert_cmpint (cr_visit_get_pulse (saved), ==, 88);
  g_assert_cmpfloat_with_epsilon (cr_visit_get_height_cm (saved), 172, 0.001);
  g_assert_cmpstr (cr_visit_get_subjective (saved), ==,
                   "Three weeks of thirst, polyuria and 4 kg weight loss. No fever.");
  g_assert_cmpstr (cr_visit_get_plan (saved), ==, "Start metformin; diet advice; HbA1c.");
  g_assert_cmpint (cr_visit_get_visit_type (saved), ==, CR_VISIT_TYPE_OFFICE);
  g_clear_object (&saved);
  /* What was typed stays, to be corrected. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (VITAL (editor, "systolic_entry"))), ==, "900");
  g_free (widget_save_png (GTK_WIDGET (editor), "visit-editor-flagged.png"));

  /* Signing is refused while values are flagged. */
  gtk_widget_activate_action (GTK_WIDGET (editor), "visit.sign", NULL);
  widget_iterate_for (100);
  g_assert_null (find_message_dialog ());
  widget_assert_shows (GTK_WIDGET (editor), "Correct the flagged values before signing");

  /* Fixed, in US units: °F, lb and in, stored metric; BMI live. */
  cr_vitals_editor_set_us_units (vitals, TRUE);
  widget_assert_shows (GTK_WIDGET (editor), "lb");
  widget_assert_shows (GTK_WIDGET (editor), "°F");
  /* 172 cm, shown in inches now. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (VITAL (editor, "height_entry"))), ==, "67.7");
  set_text (VITAL (editor, "systolic_entry"), "148");
  set_text (VITAL (editor, "weight_entry"), "210");
  set_text (VITAL (editor, "height_entry"), "68");
  set_text (VITAL (editor, "temperature_entry"), "98.6");
  set_text (VITAL (editor, "spo2_entry"), "97");
  set_text (VITAL (editor, "respiratory_entry"), "16");
  g_assert_cmpuint (cr_vitals_editor_get_n_flagged (vitals), ==, 0);
  /* 210 lb, 68 in: BMI 31.9. */
  widget_assert_shows (GTK_WIDGET (editor), "31.9");
  let_it_save ();
  saved = stored_visit (id);
  g_assert_cmpint (cr_visit_get_bp_systolic (saved), ==, 148);
  g_assert_cmpint (cr_visit_get_bp_diastolic (saved), ==, 85);
  g_assert_cmpfloat_with_epsilon (cr_visit_get_weight_kg (saved), 95.254, 0.01);
  g_assert_cmpfloat_with_epsilon (cr_visit_get_height_cm (saved), 172.72, 0.01);
  g_assert_cmpfloat_with_epsilon (cr_visit_get_temperature_c (saved), 37.0, 0.01);
  g_assert_cmpint (cr_visit_get_spo2 (saved), ==, 97);
  g_clear_object (&saved);
  cr_vitals_editor_set_us_units (vitals, FALSE);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (VITAL (editor, "weight_entry"))), ==, "95.3");
  widget_assert_shows (GTK_WIDGET (editor), "31.9");

  /* Diagnoses: the header code is refused with the reason; E11.9 taken. */
  if (P.have_codes)
    {
      g_autoptr(CrVisit) with_dx = NULL;
      g_autoptr(CrDiagnosis) dx = NULL;
      g_autoptr(GPtrArray) problems = NULL;

      type_diagnosis (editor, "type 2 diabetes without complications");
      g_assert_cmpuint (cr_diagnosis_picker_get_n_results (picker), >, 0);
      widget_assert_shows (GTK_WIDGET (editor), "E11.9");
      /* Focus scrolls the note to the picker, as Tab would. */
      gtk_widget_grab_focus (GTK_WIDGET (cr_diagnosis_picker_get_entry (picker)));
      widget_iterate_for (300);
      g_free (widget_save_png (GTK_WIDGET (editor), "visit-editor-code-search.png"));

      type_diagnosis (editor, "E11");
      widget_assert_shows (GTK_WIDGET (editor), "Category");
      g_signal_emit_by_name (cr_diagnosis_picker_get_entry (picker), "activate");
      widget_iterate_for (50);
      g_assert_nonnull (cr_diagnosis_picker_get_message (picker));
      g_assert_nonnull (strstr (cr_diagnosis_picker_get_message (picker),
                                "E11 is a category heading; choose a billable code such as E11.9"));
      widget_assert_shows (GTK_WIDGET (editor), "E11 is a category heading");
      g_free (widget_save_png (GTK_WIDGET (editor), "visit-editor-header-refused.png"));
      /* An unknown code likewise. */
      type_diagnosis (editor, "Q99.99");
      g_signal_emit_by_name (cr_diagnosis_picker_get_entry (picker), "activate");
      widget_iterate_for (50);
      g_assert_nonnull (strstr (cr_diagnosis_picker_get_message (picker), "is not an ICD-10-CM code"));

      type_diagnosis (editor, "e11.9");
      g_signal_emit_by_name (cr_diagnosis_picker_get_entry (picker), "activate");
      widget_iterate_for (100);
      g_assert_null (cr_diagnosis_picker_get_message (picker));
      g_assert_cmpstr (gtk_editable_get_text (cr_diagnosis_picker_get_entry (picker)), ==, "");
      /* By words, Down, Enter: the highlighted result. */
      type_diagnosis (editor, "essential primary hypertension");
      g_assert_cmpuint (cr_diagnosis_picker_get_n_results (picker), >=, 1);
      {
        GtkWidget *entry = GTK_WIDGET (cr_diagnosis_picker_get_entry (picker));
        GListModel *controllers = gtk_widget_observe_controllers (entry);
        gboolean handled = FALSE;
        GtkWidget *focus;

        for (guint i = 0; i < g_list_model_get_n_items (controllers) && !handled; i++)
          {
            g_autoptr(GObject) c = g_list_model_get_item (controllers, i);

            if (GTK_IS_EVENT_CONTROLLER_KEY (c))
              g_signal_emit_by_name (c, "key-pressed", GDK_KEY_Down, 0, 0, &handled);
          }
        g_object_unref (controllers);
        g_assert_true (handled);
        focus = gtk_root_get_focus (GTK_ROOT (editor));
        g_assert_true (GTK_IS_LIST_BOX_ROW (focus));
        g_signal_emit_by_name (focus, "activate");
        widget_iterate_for (100);
      }
      with_dx = stored_visit (id);
      g_assert_cmpuint (g_list_model_get_n_items (cr_visit_get_diagnoses (with_dx)), ==, 2);
      dx = g_list_model_get_item (cr_visit_get_diagnoses (with_dx), 0);
      g_assert_cmpstr (cr_diagnosis_get_code (dx), ==, "E119");
      g_assert_true (cr_diagnosis_get_is_primary (dx));
      g_clear_object (&dx);
      dx = g_list_model_get_item (cr_visit_get_diagnoses (with_dx), 1);
      g_assert_cmpstr (cr_diagnosis_get_code (dx), ==, "I10");
      g_assert_false (cr_diagnosis_get_is_primary (dx));
      widget_assert_shows (GTK_WIDGET (editor), "Type 2 diabetes mellitus without complications");

      /* A chronic condition goes on the problem list. */
      widget_click (EDITOR_CHILD (editor, "diagnoses_list"), "Add to Problem List");
      widget_iterate_for (100);
      problems = cr_store_list_problems (P.sf.store, cr_patient_get_id (P.patient),
                                         CR_PROBLEM_STATUS_ACTIVE, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (problems->len, ==, 1);
      g_assert_cmpstr (cr_problem_get_code (g_ptr_array_index (problems, 0)), ==, "E119");
      g_assert_true (cr_problem_get_chronic (g_ptr_array_index (problems, 0)));
      widget_assert_shows (GTK_WIDGET (editor), "On Problem List");
    }

  /* A prescription written at this visit (the rx form's job) shows when
   * the editor comes back to the front. */
  {
    CrPrescriptionInfo info = { .drug = "Metformin", .strength = "500 mg", .form = "tablet",
                                .dose = "1 tablet", .frequency = "twice daily", .refills = 2 };

    g_assert_cmpint (cr_store_add_prescription (P.sf.store, cr_patient_get_id (P.patient), id,
                                                &info, &error), >, 0);
    g_assert_no_error (error);
    cr_visit_editor_refresh (editor);
    widget_assert_shows (GTK_WIDGET (editor), "Metformin 500 mg tablet");
    widget_assert_shows (GTK_WIDGET (editor), "twice daily");
  }

  /* Follow-up in 4 weeks. */
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (EDITOR_CHILD (editor, "follow_up_weeks")), 4);
  set_text (EDITOR_CHILD (editor, "follow_up_reason"), "HbA1c and blood pressure");
  g_signal_emit_by_name (EDITOR_CHILD (editor, "follow_up_reason"), "activate");
  widget_iterate_for (50);
  follow_ups = cr_store_list_visit_follow_ups (P.sf.store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (follow_ups->len, ==, 1);
  g_assert_cmpstr (cr_follow_up_get_reason (g_ptr_array_index (follow_ups, 0)), ==,
                   "HbA1c and blood pressure");
  widget_assert_shows (GTK_WIDGET (editor), "Follow-up set for");

  /* Saves keep up with typing and cost little. */
  saves = cr_visit_editor_get_n_saves (editor);
  {
    gint64 start = g_get_monotonic_time ();

    set_text (EDITOR_CHILD (editor, "objective_view"), "Alert, mucous membranes dry. Feet: normal monofilament.");
    g_assert_true (cr_visit_editor_save_now (editor, &error));
    g_assert_no_error (error);
    g_test_message ("one save: %.2f ms", (g_get_monotonic_time () - start) / 1000.0);
  }
  g_assert_cmpuint (cr_visit_editor_get_n_saves (editor), ==, saves + 1);

  status = EDITOR_CHILD (editor, "status_label");
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (status)), "saved"));
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (EDITOR_CHILD (editor, "scroller"))), 0);
  widget_iterate_for (100);
  g_free (widget_save_png (GTK_WIDGET (editor), "visit-editor-written.png"));
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  widget_iterate_for (100);
  g_free (widget_save_png (GTK_WIDGET (editor), "visit-editor-written-dark.png"));
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);

  /* Closing asks nothing: it is saved. */
  set_text (EDITOR_CHILD (editor, "plan_view"), "Start metformin; diet advice; HbA1c in 4 weeks.");
  close_editor (editor);
  g_assert_null (find_message_dialog ());
  saved = stored_visit (id);
  g_assert_cmpstr (cr_visit_get_plan (saved), ==, "Start metformin; diet advice; HbA1c in 4 weeks.");
  g_clear_object (&saved);
}

static void
test_sign_and_amend (void)
{
  g_autoptr(CrVisit) visit = NULL;
  g_autoptr(GError) error = NULL;
  AdwMessageDialog *dialog;
  CrVisitEditor *editor;
  GtkWidget *amend;

  g_assert_cmpint (P.first_visit, >, 0);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (P.view), "main.open-visit", "x",
                                             P.first_visit));
  widget_wait_until (editor_open, NULL, "the draft");
  widget_iterate_for (200);
  editor = find_editor ();
  g_assert_cmpint (cr_visit_editor_get_visit_id (editor), ==, P.first_visit);
  g_assert_false (cr_visit_editor_get_read_only (editor));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (VITAL (editor, "systolic_entry"))), ==, "148");

  /* Ctrl+Shift+S asks first; Cancel leaves the draft. */
  gtk_widget_activate_action (GTK_WIDGET (editor), "visit.sign", NULL);
  widget_iterate_for (100);
  dialog = find_message_dialog ();
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Sign this note?");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "It cannot be changed afterwards"));
  g_free (widget_save_png (GTK_WIDGET (dialog), "visit-sign-question.png"));
  adw_message_dialog_response (dialog, "cancel");
  gtk_window_close (GTK_WINDOW (dialog));
  widget_iterate_for (100);
  g_assert_false (cr_visit_editor_get_read_only (editor));

  /* Typed while the question is up: in the signed note. */
  set_text (EDITOR_CHILD (editor, "assessment_view"), "New type 2 diabetes; hypertension.");
  gtk_widget_activate_action (GTK_WIDGET (editor), "visit.sign", NULL);
  widget_iterate_for (100);
  dialog = find_message_dialog ();
  adw_message_dialog_response (dialog, "sign");
  gtk_window_close (GTK_WINDOW (dialog));
  widget_iterate_for (200);

  g_assert_true (cr_visit_editor_get_read_only (editor));
  visit = stored_visit (P.first_visit);
  g_assert_true (cr_visit_is_signed (visit));
  g_assert_cmpstr (cr_visit_get_signed_by (visit), ==, "tester");
  g_assert_cmpstr (cr_visit_get_assessment (visit), ==, "New type 2 diabetes; hypertension.");
  widget_assert_shows (GTK_WIDGET (editor), "Signed Visit Note");
  widget_assert_shows (GTK_WIDGET (editor), "Signed by tester on");
  g_assert_false (gtk_widget_get_sensitive (EDITOR_CHILD (editor, "form_box")));
  g_assert_false (gtk_widget_is_sensitive (EDITOR_CHILD (editor, "subjective_view")));
  g_assert_false (gtk_widget_is_sensitive (VITAL (editor, "pulse_entry")));
  g_assert_false (gtk_widget_get_visible (EDITOR_CHILD (editor, "sign_button")));
  amend = EDITOR_CHILD (editor, "amend_button");
  g_assert_true (gtk_widget_get_visible (amend));

  /* Edits now fail in the core too, and the editor saves nothing. */
  cr_visit_set_plan (visit, "Changed after signing");
  g_assert_false (cr_store_update_visit (P.sf.store, visit, &error));
  g_assert_error (error, CR_STORE_ERROR, CR_STORE_ERROR_SIGNED);
  g_clear_error (&error);
  g_assert_true (cr_visit_editor_save_now (editor, &error));
  g_clear_object (&visit);
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (EDITOR_CHILD (editor, "scroller"))), 0);
  widget_iterate_for (100);
  g_free (widget_save_png (GTK_WIDGET (editor), "visit-editor-signed.png"));

  /* Amend…: reason and text, shown under the note with who and when. */
  gtk_widget_activate_action (GTK_WIDGET (editor), "visit.amend", NULL);
  widget_iterate_for (100);
  dialog = find_message_dialog ();
  g_assert_nonnull (dialog);
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "amend"));
  cr_amend_dialog_set_text ((gpointer) dialog, "Weight recorded in the wrong units",
                            "Weight was 210 lb (95.3 kg), as recorded; BMI 31.9 confirmed.");
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "amend"));
  g_free (widget_save_png (GTK_WIDGET (dialog), "visit-amend-dialog.png"));
  adw_message_dialog_response (dialog, "amend");
  gtk_window_close (GTK_WINDOW (dialog));
  widget_iterate_for (200);

  visit = stored_visit (P.first_visit);
  g_assert_cmpuint (g_list_model_get_n_items (cr_visit_get_amendments (visit)), ==, 1);
  widget_assert_shows (GTK_WIDGET (editor), "Amended by tester on");
  widget_assert_shows (GTK_WIDGET (editor), "Reason: Weight recorded in the wrong units");
  widget_assert_shows (GTK_WIDGET (editor), "BMI 31.9 confirmed.");
  {
    GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (EDITOR_CHILD (editor, "scroller")));

    gtk_adjustment_set_value (adj, gtk_adjustment_get_upper (adj));
    widget_iterate_for (100);
  }
  g_free (widget_save_png (GTK_WIDGET (editor), "visit-editor-amended.png"));
  close_editor (editor);
}

static void
test_outcomes (void)
{
  g_autoptr(GPtrArray) outcomes = NULL;
  g_autoptr(GError) error = NULL;
  CrVisitEditor *editor;
  CrOutcomeStep *step;
  gint64 id;

  g_assert_cmpint (P.first_visit, >, 0);
  editor = new_visit ();
  step = CR_OUTCOME_STEP (EDITOR_CHILD (editor, "outcome_step"));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (step)));
  widget_assert_shows (GTK_WIDGET (editor), "How did earlier treatment work?");
  widget_assert_shows (GTK_WIDGET (editor), "From the visit on");
  widget_assert_shows (GTK_WIDGET (editor), "Metformin 500 mg tablet");
  /* E11.9 and I10 when the code set is there, and the prescription. */
  g_assert_cmpuint (cr_outcome_step_get_n_items (step), ==, P.have_codes ? 3 : 1);
  if (P.have_codes)
    widget_assert_shows (GTK_WIDGET (editor), "E11.9 Type 2 diabetes mellitus without complications");
  g_free (widget_save_png (GTK_WIDGET (editor), "visit-editor-outcomes.png"));

  /* One click records it (and creates this draft). */
  widget_click (GTK_WIDGET (step), "Improved");
  widget_iterate_for (100);
  id = cr_visit_editor_get_visit_id (editor);
  g_assert_cmpint (id, >, 0);
  g_assert_cmpuint (cr_outcome_step_get_n_recorded (step), ==, 1);
  widget_assert_shows (GTK_WIDGET (step), "Recorded: Improved");

  /* With a note, and a change of mind replaces the first answer. */
  g_assert_true (cr_outcome_step_record (step, cr_outcome_step_get_n_items (step) - 1,
                                         CR_OUTCOME_RESULT_ADVERSE_EFFECT,
                                         "Diarrhoea in the first week", &error));
  g_assert_no_error (error);
  g_assert_true (cr_outcome_step_record (step, cr_outcome_step_get_n_items (step) - 1,
                                         CR_OUTCOME_RESULT_IMPROVED,
                                         "Diarrhoea in the first week, settled", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (cr_outcome_step_get_n_recorded (step), ==, 2);

  outcomes = cr_store_list_outcomes (P.sf.store, cr_patient_get_id (P.patient), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (outcomes->len, ==, 2);
  for (guint i = 0; i < outcomes->len; i++)
    {
      CrOutcome *o = g_ptr_array_index (outcomes, i);

      g_assert_cmpint (cr_outcome_get_visit_id (o), ==, id);
      g_assert_cmpint (cr_outcome_get_result (o), ==, CR_OUTCOME_RESULT_IMPROVED);
      if (cr_outcome_get_prescription_id (o) > 0)
        g_assert_cmpstr (cr_outcome_get_note (o), ==, "Diarrhoea in the first week, settled");
    }
  set_text (EDITOR_CHILD (editor, "complaint_row"), "Diabetes follow-up");
  adw_combo_row_set_selected (ADW_COMBO_ROW (EDITOR_CHILD (editor, "type_row")), CR_VISIT_TYPE_FOLLOW_UP);
  widget_iterate_for (100);
  g_free (widget_save_png (GTK_WIDGET (editor), "visit-editor-outcomes-recorded.png"));
  close_editor (editor);

  /* Reopened, the answers are there. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (P.view), "main.open-visit", "x", id));
  widget_wait_until (editor_open, NULL, "the draft");
  editor = find_editor ();
  step = CR_OUTCOME_STEP (EDITOR_CHILD (editor, "outcome_step"));
  g_assert_cmpuint (cr_outcome_step_get_n_recorded (step), ==, 2);
  g_assert_cmpint (adw_combo_row_get_selected (ADW_COMBO_ROW (EDITOR_CHILD (editor, "type_row"))),
                   ==, CR_VISIT_TYPE_FOLLOW_UP);
  close_editor (editor);
}

static void
test_long_history_and_drafts (void)
{
  g_autoptr(CrPatient) long_history = NULL;
  g_autoptr(GPtrArray) last = NULL;
  g_autoptr(GPtrArray) rxs = NULL;
  g_autoptr(GPtrArray) drafts = NULL;
  g_autoptr(GPtrArray) outcomes = NULL;
  g_autoptr(GError) error = NULL;
  CrDraftsWindow *window;
  CrVisitEditor *editor;
  CrOutcomeStep *step;
  CrVisit *previous;
  guint expected = 0;

  long_history = cr_store_find_patient_by_record_number (P.sf.store, CR_DEMO_LONG_HISTORY_RECORD,
                                                         &error);
  g_assert_no_error (error);
  cr_main_view_open_patient (P.view, long_history);
  widget_iterate_for (200);

  /* What the step must ask about, computed from the store. */
  last = cr_store_list_visits (P.sf.store, cr_patient_get_id (long_history), 0, 1, &error);
  g_assert_no_error (error);
  previous = g_ptr_array_index (last, 0);
  outcomes = cr_store_list_outcomes (P.sf.store, cr_patient_get_id (long_history), &error);
  for (guint i = 0; i < g_list_model_get_n_items (cr_visit_get_diagnoses (previous)); i++)
    {
      g_autoptr(CrDiagnosis) d = g_list_model_get_item (cr_visit_get_diagnoses (previous), i);

      if (cr_diagnosis_get_latest_outcome (d) == NULL)
        expected++;
    }
  rxs = cr_store_list_visit_prescriptions (P.sf.store, cr_visit_get_id (previous), &error);
  for (guint i = 0; i < rxs->len; i++)
    {
      gboolean has = FALSE;

      for (guint o = 0; o < outcomes->len; o++)
        if (cr_outcome_get_prescription_id (g_ptr_array_index (outcomes, o)) ==
            cr_prescription_get_id (g_ptr_array_index (rxs, i)))
          has = TRUE;
      if (!has)
        expected++;
    }
  g_test_message ("P000001's last visit leaves %u outcomes open", expected);

  editor = new_visit ();
  step = CR_OUTCOME_STEP (EDITOR_CHILD (editor, "outcome_step"));
  g_assert_cmpuint (cr_outcome_step_get_n_items (step), ==, expected);
  g_assert_cmpint (gtk_widget_get_visible (GTK_WIDGET (step)), ==, expected > 0);
  /* Ctrl+N alone writes nothing: no empty drafts. */
  close_editor (editor);
  g_assert_cmpint (cr_store_count_visits (P.sf.store, cr_patient_get_id (long_history), NULL),
                   ==, CR_DEMO_LONG_HISTORY_VISITS);

  /* A draft for him, then the practice's unsigned notes, newest first. */
  editor = new_visit ();
  set_text (EDITOR_CHILD (editor, "complaint_row"), "Knee pain, worse on stairs");
  let_it_save ();
  close_editor (editor);

  drafts = cr_store_list_draft_visits (P.sf.store, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (drafts->len, >=, 2);
  for (guint i = 1; i < drafts->len; i++)
    g_assert_cmpstr (cr_visit_get_started_at (g_ptr_array_index (drafts, i - 1)), >=,
                     cr_visit_get_started_at (g_ptr_array_index (drafts, i)));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (P.view), "main.drafts", NULL));
  widget_iterate_for (100);
  window = find_toplevel (CR_TYPE_DRAFTS_WINDOW);
  g_assert_nonnull (window);
  for (guint i = 0; i < 500 && cr_drafts_window_get_loading (window); i++)
    widget_iterate_for (10);
  g_assert_cmpuint (cr_drafts_window_get_n_drafts (window), ==, drafts->len);
  widget_assert_shows (GTK_WIDGET (window), "Knee pain, worse on stairs");
  widget_assert_shows (GTK_WIDGET (window), "Diabetes follow-up");
  widget_assert_shows (GTK_WIDGET (window), CR_DEMO_LONG_HISTORY_RECORD);
  g_free (widget_save_png (GTK_WIDGET (window), "drafts-window.png"));

  /* Opening one from another chart: its patient's chart and the draft. */
  cr_main_view_open_patient (P.view, P.patient);
  {
    GtkWidget *list = child (window, CR_TYPE_DRAFTS_WINDOW, "list");
    GtkListBoxRow *row = NULL;

    for (guint i = 0; (row = gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), i)) != NULL; i++)
      {
        CrPatient *p = g_object_get_data (G_OBJECT (row), "patient");

        if (cr_patient_get_id (p) == cr_patient_get_id (long_history))
          break;
      }
    g_assert_nonnull (row);
    g_signal_emit_by_name (row, "activate");
  }
  widget_wait_until (editor_open, NULL, "the draft from the list");
  widget_iterate_for (100);
  editor = find_editor ();
  g_assert_cmpint (cr_patient_get_id (cr_main_view_get_patient (P.view)), ==,
                   cr_patient_get_id (long_history));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (EDITOR_CHILD (editor, "complaint_row"))),
                   ==, "Knee pain, worse on stairs");
  g_assert_null (find_toplevel (CR_TYPE_DRAFTS_WINDOW));
  close_editor (editor);
}

/* Search, Enter, Ctrl+N, Tab through the note: the keyboard reaches every
 * field in reading order. */
static void
test_keyboard (void)
{
  CrPatientSidebar *sidebar = CR_PATIENT_SIDEBAR (gtk_widget_get_template_child (GTK_WIDGET (P.view),
                                                                                 CR_TYPE_MAIN_VIEW, "sidebar"));
  const char *order[] = { "complaint_row", "started_row", "type_row", "clinician_row",
                          "subjective_view", "objective_view", "vitals", "assessment_view",
                          "picker", "plan_view" };
  CrVisitEditor *editor;
  guint next = 0;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (P.view), "main.search", NULL));
  gtk_editable_set_text (cr_patient_sidebar_get_search_entry (sidebar), "Ramírez");
  for (guint i = 0; i < 500 && (cr_patient_sidebar_get_loading (sidebar) ||
                                g_strcmp0 (cr_patient_sidebar_get_search_text (sidebar), "Ramírez") != 0); i++)
    widget_iterate_for (10);
  widget_iterate_for (100);
  cr_main_view_open_patient (P.view, NULL);
  g_signal_emit_by_name (cr_patient_sidebar_get_search_entry (sidebar), "activate");
  widget_wait_until (chart_open, NULL, "the chart");
  g_assert_cmpstr (cr_patient_get_family_name (cr_main_view_get_patient (P.view)), ==, "Ramírez");

  editor = new_visit ();
  for (guint step = 0; step < 60 && next < G_N_ELEMENTS (order); step++)
    {
      GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (editor));

      GtkWidget *want = EDITOR_CHILD (editor, order[next]);

      if (focus != NULL && (focus == want || gtk_widget_is_ancestor (focus, want)))
        next++;
      g_assert_true (gtk_widget_child_focus (GTK_WIDGET (editor), GTK_DIR_TAB_FORWARD));
    }
  g_assert_cmpuint (next, ==, G_N_ELEMENTS (order));
  close_editor (editor);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  widget_test_init (&argc, &argv);
  /* Links the app's resources (templates, CSS) in. */
  g_assert_nonnull (chartroom_get_resource ());

  /* The app's style sheet, as AdwApplication would load it. */
  {
    g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

    gtk_css_provider_load_from_resource (css, "/io/github/chartroom/Chartroom/style.css");
    gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                                GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  }

  store_fixture_setup (&P.sf, NULL);
  cr_store_generate_demo (P.sf.store, 300, 7, NULL, NULL, NULL, &error);
  g_assert_no_error (error);

  P.patient = cr_patient_new ();
  cr_patient_set_family_name (P.patient, "Ramírez");
  cr_patient_set_given_names (P.patient, "Lucía");
  cr_patient_set_birth_date (P.patient, "1971-04-12");
  cr_patient_set_sex (P.patient, CR_SEX_FEMALE);
  cr_store_add_patient (P.sf.store, P.patient, FALSE, &error);
  g_assert_no_error (error);

  P.window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (P.window, 1024, 700);
  P.view = CR_MAIN_VIEW (cr_main_view_new ());
  gtk_window_set_child (P.window, GTK_WIDGET (P.view));
  cr_main_view_set_store (P.view, P.sf.store);
  gtk_window_present (P.window);
  widget_iterate_for (300);
  cr_main_view_open_patient (P.view, P.patient);
  widget_iterate_for (300);

  g_test_add_func ("/visit-ui/write", test_write);
  g_test_add_func ("/visit-ui/sign-and-amend", test_sign_and_amend);
  g_test_add_func ("/visit-ui/outcomes", test_outcomes);
  g_test_add_func ("/visit-ui/long-history-and-drafts", test_long_history_and_drafts);
  g_test_add_func ("/visit-ui/keyboard", test_keyboard);
  status = g_test_run ();

  {
    CrVisitEditor *editor;

    while ((editor = find_editor ()) != NULL)
      gtk_window_destroy (GTK_WINDOW (editor));
  }
  g_object_add_weak_pointer (G_OBJECT (P.view), (gpointer *) &P.view);
  gtk_window_destroy (P.window);
  for (guint i = 0; i < 500 && P.view != NULL; i++)
    widget_iterate_for (10);
  widget_iterate_for (100);
  g_clear_object (&P.patient);
  store_fixture_teardown (&P.sf, NULL);
  return status;
}
