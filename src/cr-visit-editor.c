/* cr-visit-editor.c: write, code, sign and amend a visit note
 *
 * A note is never "saved" by hand: every change schedules a save at most
 * CR_VISIT_EDITOR_SAVE_DELAY_MS later (not pushed back by further typing,
 * so a steady typist is saved twice a second), and the window saves when it
 * loses focus and when it closes. The first change creates the draft. A
 * value the record refuses (an impossible vital sign, a date that does not
 * exist) is flagged beside its field and kept out of the save while the
 * rest of the note goes on saving; nothing typed is lost to it.
 *
 * The periodic saves write a copy of the form on a worker thread (a
 * commit waits for the disk: about 10 ms with synchronous=FULL), one at a
 * time and in order; closing, signing and anything that needs the draft's
 * id save at once, after the running one.
 *
 * Once signed the note is read-only (in the store and here); corrections
 * are amendments, listed under the note with who and when.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cr-visit-editor"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "cr-amend-dialog.h"
#include "cr-chart.h"
#include "cr-codes.h"
#include "cr-date.h"
#include "cr-diagnosis-picker.h"
#include "cr-drafts.h"
#include "cr-outcome-step.h"
#include "cr-print.h"
#include "cr-visit-editor.h"
#include "cr-vitals-editor.h"

struct _CrVisitEditor
{
  AdwWindow          parent_instance;

  CrStore           *store;
  CrPatient         *patient;
  CrVisit           *visit;        /* what is saved; id 0 until the first save */
  guint              save_source;
  gboolean           save_again;   /* changed while a save was running */
  GMutex             flight_mutex;
  GCond              flight_cond;
  gboolean           in_flight;    /* a worker is writing a copy */
  gboolean           dirty;
  gboolean           loading;
  gboolean           read_only;
  gboolean           started_ok;
  guint              n_saves;
  GPtrArray         *diagnoses;    /* CrDiagnosis shown */

  AdwToastOverlay   *toast_overlay;
  AdwWindowTitle    *window_title;
  GtkLabel          *status_label;
  GtkWidget         *sign_button;
  GtkWidget         *amend_button;
  GtkScrolledWindow *scroller;
  GtkLabel          *general_error;
  GtkLabel          *signed_label;
  CrOutcomeStep     *outcome_step;
  GtkWidget         *form_box;
  AdwEntryRow       *complaint_row;
  AdwEntryRow       *started_row;
  AdwComboRow       *type_row;
  AdwEntryRow       *clinician_row;
  GtkLabel          *started_error;
  GtkTextView       *subjective_view;
  GtkTextView       *objective_view;
  CrVitalsEditor    *vitals;
  GtkTextView       *assessment_view;
  GtkListBox        *diagnoses_list;
  CrDiagnosisPicker *picker;
  GtkTextView       *plan_view;
  GtkWidget         *prescribe_button;
  GtkLabel          *prescriptions_empty;
  GtkListBox        *prescriptions_list;
  GtkLabel          *follow_ups_label;
  GtkWidget         *follow_up_box;
  GtkSpinButton     *follow_up_weeks;
  GtkEntry          *follow_up_date;
  GtkEntry          *follow_up_reason;
  GtkLabel          *follow_up_error;
  GtkWidget         *amendments_box;
  GtkListBox        *amendments_list;
};

enum {
  PRESCRIBE,
  VISIT_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (CrVisitEditor, cr_visit_editor, ADW_TYPE_WINDOW)

static void reload_details (CrVisitEditor *self);

/* ---- small helpers ------------------------------------------------------ */

static char *
dup_view_text (GtkTextView *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static void
set_view_text (GtkTextView *view,
               const char  *text)
{
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (view), text ? text : "", -1);
}

/* Surrounding blanks are not part of a note; an empty field is NULL. */
static char *
dup_clean (const char *text)
{
  char *clean = g_strstrip (g_strdup (text ? text : ""));

  if (*clean == '\0')
    g_clear_pointer (&clean, g_free);
  return clean;
}

static void
toast (CrVisitEditor *self,
       const char    *message)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
}

static void
show_general_error (CrVisitEditor *self,
                    const char    *message)
{
  gtk_label_set_label (self->general_error, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->general_error), message != NULL);
}

static char *
format_when (const char *iso)
{
  g_autoptr(GDateTime) dt = NULL;
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GTimeZone) tz = NULL;
  g_autofree char *full = NULL;

  if (iso == NULL)
    return g_strdup ("");
  tz = g_time_zone_new_local ();
  if (strlen (iso) == 10)
    full = g_strconcat (iso, "T00:00:00", NULL);
  else if (strlen (iso) == 16)
    full = g_strconcat (iso, ":00", NULL);
  else
    full = g_strdup (iso);
  /* Store stamps carry their zone; visit times are local. */
  dt = g_date_time_new_from_iso8601 (full, tz);
  if (dt == NULL)
    return g_strdup (iso);
  if (strlen (iso) == 10)
    return g_date_time_format (dt, "%b %-d, %Y");
  local = g_date_time_to_local (dt);
  return g_date_time_format (local, "%b %-d, %Y %H:%M");
}

/* "2026-06-01 10:42" as shown; the store keeps a T. */
static char *
dup_started_shown (const char *started_at)
{
  char *shown = g_strdup (started_at ? started_at : "");

  if (strlen (shown) > 10 && shown[10] == 'T')
    shown[10] = ' ';
  if (strlen (shown) == 19)
    shown[16] = '\0';   /* seconds are noise in a note */
  return shown;
}

/* Reads the date and time typed ("2026-06-01 10:42", "06/01/2026 10:42",
 * a date alone) as the store writes it; NULL with @error if it is not one. */
static char *
parse_started (const char  *text,
               GError     **error)
{
  g_autofree char *clean = g_strstrip (g_strdup (text));
  g_autofree char *iso_date = NULL;
  g_autoptr(CrVisit) scratch = NULL;
  const char *time = NULL;
  char *space;
  GDate date;

  if (*clean == '\0')
    {
      g_set_error_literal (error, CR_CHART_ERROR, CR_CHART_ERROR_STARTED_AT,
                           _("Enter the date and time of the visit."));
      return NULL;
    }
  space = strpbrk (clean, " T");
  if (space != NULL)
    {
      *space = '\0';
      time = g_strstrip (space + 1);
    }
  if (strlen (clean) == 10 && clean[4] == '-' && clean[7] == '-')
    iso_date = g_strdup (clean);
  else if (cr_date_parse (clean, &date, NULL))
    iso_date = cr_date_to_iso (&date);
  else
    iso_date = g_strdup (clean);

  scratch = cr_visit_new (1);
  {
    g_autofree char *value = time && *time ? g_strdup_printf ("%sT%s", iso_date, time)
                                           : g_strdup (iso_date);

    cr_visit_set_started_at (scratch, value);
    if (!cr_visit_validate (scratch, error))
      return NULL;
    return g_steal_pointer (&value);
  }
}

/* ---- saving ------------------------------------------------------------ */

static void
update_status (CrVisitEditor *self)
{
  g_autofree char *text = NULL;

  if (self->read_only)
    text = g_strdup (_("Signed"));
  else if (cr_visit_get_id (self->visit) == 0)
    text = g_strdup (_("Draft · not started"));
  else
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();
      g_autofree char *clock = g_date_time_format (now, "%H:%M:%S");

      /* Translators: %s is a time of day, as 10:42:07 */
      text = g_strdup_printf (_("Draft · saved %s"), clock);
    }
  gtk_label_set_label (self->status_label, text);
}

static void
read_form (CrVisitEditor *self)
{
  g_autofree char *complaint = dup_clean (gtk_editable_get_text (GTK_EDITABLE (self->complaint_row)));
  g_autofree char *clinician = dup_clean (gtk_editable_get_text (GTK_EDITABLE (self->clinician_row)));
  g_autofree char *subjective_raw = dup_view_text (self->subjective_view);
  g_autofree char *objective_raw = dup_view_text (self->objective_view);
  g_autofree char *assessment_raw = dup_view_text (self->assessment_view);
  g_autofree char *plan_raw = dup_view_text (self->plan_view);
  g_autofree char *subjective = dup_clean (subjective_raw);
  g_autofree char *objective = dup_clean (objective_raw);
  g_autofree char *assessment = dup_clean (assessment_raw);
  g_autofree char *plan = dup_clean (plan_raw);
  g_autoptr(GError) error = NULL;
  g_autofree char *started = NULL;
  guint type = adw_combo_row_get_selected (self->type_row);

  cr_visit_set_chief_complaint (self->visit, complaint);
  cr_visit_set_clinician (self->visit, clinician);
  cr_visit_set_subjective (self->visit, subjective);
  cr_visit_set_objective (self->visit, objective);
  cr_visit_set_assessment (self->visit, assessment);
  cr_visit_set_plan (self->visit, plan);
  if (type <= CR_VISIT_TYPE_OTHER)
    cr_visit_set_visit_type (self->visit, type);

  /* A date being typed keeps the last good one in the record. */
  started = parse_started (gtk_editable_get_text (GTK_EDITABLE (self->started_row)), &error);
  self->started_ok = started != NULL;
  if (started != NULL)
    {
      cr_visit_set_started_at (self->visit, started);
      gtk_widget_remove_css_class (GTK_WIDGET (self->started_row), "error");
      gtk_widget_set_visible (GTK_WIDGET (self->started_error), FALSE);
    }
  else
    {
      g_autofree char *message = NULL;

      /* Translators: %s says why the date is refused */
      message = g_strdup_printf (_("%s The note keeps saving with the last valid date."),
                                 error->message);
      gtk_widget_add_css_class (GTK_WIDGET (self->started_row), "error");
      gtk_label_set_label (self->started_error, message);
      gtk_widget_set_visible (GTK_WIDGET (self->started_error), TRUE);
    }

  cr_vitals_editor_apply (self->vitals, self->visit);
}

static void
save_succeeded (CrVisitEditor *self)
{
  self->n_saves++;
  show_general_error (self, NULL);
  update_status (self);
}

static void
save_failed (CrVisitEditor *self,
             const GError  *error)
{
  g_autofree char *message = NULL;

  /* Kept for the next try: nothing typed is dropped. */
  self->dirty = TRUE;
  /* Translators: %s says why the database refused the note */
  message = g_strdup_printf (_("The note could not be saved: %s"), error->message);
  show_general_error (self, message);
  if (g_error_matches (error, CR_STORE_ERROR, CR_STORE_ERROR_SIGNED))
    reload_details (self);
}

/* A save running on a worker must land before another one starts, or an
 * older copy could overwrite a newer one. */
static void
wait_for_flight (CrVisitEditor *self)
{
  g_mutex_lock (&self->flight_mutex);
  while (self->in_flight)
    g_cond_wait (&self->flight_cond, &self->flight_mutex);
  g_mutex_unlock (&self->flight_mutex);
}

/**
 * cr_visit_editor_save_now:
 *
 * Writes what is typed (less flagged values) to the draft now, creating it
 * on the first change, after any save already running. Does nothing for a
 * signed note or with no change.
 *
 * Returns: %FALSE if the store refused the note
 */
gboolean
cr_visit_editor_save_now (CrVisitEditor  *self,
                          GError        **error)
{
  g_autoptr(GError) local_error = NULL;
  gboolean ok;

  g_return_val_if_fail (CR_IS_VISIT_EDITOR (self), FALSE);

  g_clear_handle_id (&self->save_source, g_source_remove);
  wait_for_flight (self);
  if (self->read_only || !self->dirty)
    return TRUE;

  read_form (self);
  self->dirty = FALSE;
  if (cr_visit_get_id (self->visit) == 0)
    ok = cr_store_create_visit (self->store, self->visit, &local_error);
  else
    ok = cr_store_update_visit (self->store, self->visit, &local_error);

  if (!ok)
    {
      save_failed (self, local_error);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  save_succeeded (self);
  return TRUE;
}

static void
save_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  CrVisitEditor *self = source_object;
  CrVisit *copy = task_data;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  ok = cr_store_update_visit (self->store, copy, &error);

  g_mutex_lock (&self->flight_mutex);
  self->in_flight = FALSE;
  g_cond_broadcast (&self->flight_cond);
  g_mutex_unlock (&self->flight_mutex);

  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

static void save_in_background (CrVisitEditor *self);

static void
save_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  CrVisitEditor *self = CR_VISIT_EDITOR (source);
  g_autoptr(GError) error = NULL;

  if (self->store == NULL)
    return;   /* closed meanwhile; dispose saved the rest */

  if (g_task_propagate_boolean (G_TASK (result), &error))
    save_succeeded (self);
  else
    save_failed (self, error);

  if (self->save_again)
    {
      self->save_again = FALSE;
      save_in_background (self);
    }
}

/* The periodic save: the form is copied on the main loop and written by a
 * worker, so an fsync never stalls typing. The first save, which creates
 * the draft, is made at once. */
static void
save_in_background (CrVisitEditor *self)
{
  g_autoptr(GTask) task = NULL;

  g_clear_handle_id (&self->save_source, g_source_remove);
  if (self->read_only || !self->dirty)
    return;
  if (self->in_flight)
    {
      self->save_again = TRUE;
      return;
    }
  if (cr_visit_get_id (self->visit) == 0)
    {
      cr_visit_editor_save_now (self, NULL);
      return;
    }

  read_form (self);
  self->dirty = FALSE;
  self->in_flight = TRUE;
  task = g_task_new (self, NULL, save_done, NULL);
  g_task_set_source_tag (task, save_in_background);
  g_task_set_task_data (task, cr_visit_copy_for_save (self->visit), g_object_unref);
  g_task_run_in_thread (task, save_thread);
}

static gboolean
save_timeout (gpointer data)
{
  CrVisitEditor *self = data;

  self->save_source = 0;
  save_in_background (self);
  return G_SOURCE_REMOVE;
}

static void
on_field_changed (CrVisitEditor *self)
{
  if (self->loading || self->read_only)
    return;
  self->dirty = TRUE;
  /* Not pushed back by more typing: a steady typist is saved too. */
  if (self->save_source == 0)
    self->save_source = g_timeout_add (CR_VISIT_EDITOR_SAVE_DELAY_MS, save_timeout, self);
}

/* The draft's id, creating it if nothing was typed yet; 0 on failure. */
static gint64
ensure_created (CrVisitEditor *self)
{
  if (self->read_only)
    return 0;
  if (cr_visit_get_id (self->visit) == 0)
    self->dirty = TRUE;
  if (!cr_visit_editor_save_now (self, NULL))
    return 0;
  return cr_visit_get_id (self->visit);
}

static gint64
on_ensure_visit (CrVisitEditor *self)
{
  return ensure_created (self);
}

static void
on_outcome_recorded (CrVisitEditor *self)
{
  update_status (self);
}

/* ---- the form ---------------------------------------------------------- */

static void
load_form (CrVisitEditor *self)
{
  g_autofree char *started = dup_started_shown (cr_visit_get_started_at (self->visit));

  self->loading = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->complaint_row),
                         cr_visit_get_chief_complaint (self->visit) ?: "");
  gtk_editable_set_text (GTK_EDITABLE (self->started_row), started);
  adw_combo_row_set_selected (self->type_row, cr_visit_get_visit_type (self->visit));
  gtk_editable_set_text (GTK_EDITABLE (self->clinician_row),
                         cr_visit_get_clinician (self->visit) ?: "");
  set_view_text (self->subjective_view, cr_visit_get_subjective (self->visit));
  set_view_text (self->objective_view, cr_visit_get_objective (self->visit));
  set_view_text (self->assessment_view, cr_visit_get_assessment (self->visit));
  set_view_text (self->plan_view, cr_visit_get_plan (self->visit));
  cr_vitals_editor_load (self->vitals, self->visit);
  self->started_ok = TRUE;
  self->loading = FALSE;
}

static void
update_title (CrVisitEditor *self)
{
  g_autofree char *name = cr_patient_dup_display_name (self->patient);
  g_autofree char *subtitle = g_strdup_printf ("%s · %s", name,
                                               cr_patient_get_record_number (self->patient));

  adw_window_title_set_title (self->window_title,
                              self->read_only ? _("Signed Visit Note") : _("Visit Note"));
  adw_window_title_set_subtitle (self->window_title, subtitle);
  gtk_window_set_title (GTK_WINDOW (self), name);
}

static void
set_read_only (CrVisitEditor *self,
               gboolean       read_only)
{
  self->read_only = read_only;
  gtk_widget_set_sensitive (self->form_box, !read_only);
  gtk_widget_set_sensitive (GTK_WIDGET (self->outcome_step), !read_only);
  gtk_widget_set_visible (self->sign_button, !read_only);
  gtk_widget_set_visible (self->amend_button, read_only);
  gtk_widget_set_visible (GTK_WIDGET (self->picker), !read_only);
  /* A signed note is read: no controls that could only be greyed out. */
  gtk_widget_set_visible (self->prescribe_button, !read_only);
  gtk_widget_set_visible (self->follow_up_box, !read_only);
  if (read_only)
    {
      gtk_widget_add_css_class (self->form_box, "cr-signed-note");
      gtk_widget_add_css_class (GTK_WIDGET (self->outcome_step), "cr-signed-note");
    }
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "visit.sign", !read_only);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "visit.prescribe", !read_only);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "visit.amend", read_only);

  if (read_only)
    {
      g_autofree char *when = format_when (cr_visit_get_signed_at (self->visit));
      g_autofree char *text = NULL;

      /* Translators: who signed the note, then when */
      text = g_strdup_printf (_("Signed by %s on %s. The note cannot change; add an amendment "
                                "to correct it."),
                              cr_visit_get_signed_by (self->visit), when);
      gtk_label_set_label (self->signed_label, text);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->signed_label), read_only);
  update_title (self);
  update_status (self);
}

/* ---- diagnoses ---------------------------------------------------------- */

static void
on_primary_toggled (GtkCheckButton *check,
                    CrVisitEditor  *self)
{
  CrDiagnosis *d = g_object_get_data (G_OBJECT (check), "diagnosis");
  g_autoptr(GError) error = NULL;

  if (self->loading || !gtk_check_button_get_active (check) || cr_diagnosis_get_is_primary (d))
    return;
  if (!cr_store_set_primary_diagnosis (self->store, cr_diagnosis_get_id (d), &error))
    show_general_error (self, error->message);
  reload_details (self);
}

static void
on_add_problem_clicked (GtkButton     *button,
                        CrVisitEditor *self)
{
  CrDiagnosis *d = g_object_get_data (G_OBJECT (button), "diagnosis");
  g_autoptr(GError) error = NULL;
  g_autofree char *onset = g_strndup (cr_visit_get_started_at (self->visit), 10);

  if (cr_store_add_problem (self->store, cr_patient_get_id (self->patient),
                            cr_diagnosis_get_system (d), cr_diagnosis_get_code (d),
                            cr_diagnosis_get_display (d), onset, TRUE, &error) == 0)
    {
      show_general_error (self, error->message);
      return;
    }
  toast (self, _("Added to the problem list"));
  reload_details (self);
  g_signal_emit (self, signals[VISIT_CHANGED], 0, cr_visit_get_id (self->visit));
}

static void
on_remove_diagnosis_clicked (GtkButton     *button,
                             CrVisitEditor *self)
{
  CrDiagnosis *d = g_object_get_data (G_OBJECT (button), "diagnosis");
  g_autoptr(GError) error = NULL;

  /* A chart forgets nothing: the row is marked, not deleted. */
  if (!cr_store_mark_entered_in_error (self->store, CR_CLINICAL_KIND_DIAGNOSIS,
                                       cr_diagnosis_get_id (d),
                                       "Removed from the draft note", &error))
    {
      show_general_error (self, error->message);
      return;
    }
  reload_details (self);
  gtk_widget_grab_focus (GTK_WIDGET (cr_diagnosis_picker_get_entry (self->picker)));
}

static GtkWidget *
create_diagnosis_row (CrVisitEditor   *self,
                      CrDiagnosis     *d,
                      GtkCheckButton  *group,
                      gboolean         on_problem_list,
                      GtkCheckButton **check_out)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  g_autofree char *code = cr_code_format (cr_diagnosis_get_system (d), cr_diagnosis_get_code (d));
  GtkWidget *primary = gtk_check_button_new_with_label (_("Primary"));
  GtkWidget *code_label = gtk_label_new (code ? code : "");
  GtkWidget *display = gtk_label_new (cr_diagnosis_get_display (d));
  GtkWidget *problem;
  GtkWidget *remove;

  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 6);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);

  if (group != NULL)
    gtk_check_button_set_group (GTK_CHECK_BUTTON (primary), group);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (primary), cr_diagnosis_get_is_primary (d));
  gtk_widget_set_tooltip_text (primary, _("The main reason for this visit"));
  g_object_set_data_full (G_OBJECT (primary), "diagnosis", g_object_ref (d), g_object_unref);
  g_signal_connect (primary, "toggled", G_CALLBACK (on_primary_toggled), self);
  gtk_box_append (GTK_BOX (box), primary);
  *check_out = GTK_CHECK_BUTTON (primary);

  gtk_label_set_xalign (GTK_LABEL (code_label), 0);
  gtk_label_set_width_chars (GTK_LABEL (code_label), 8);
  gtk_widget_add_css_class (code_label, "cr-code");
  gtk_box_append (GTK_BOX (box), code_label);

  gtk_label_set_xalign (GTK_LABEL (display), 0);
  gtk_label_set_wrap (GTK_LABEL (display), TRUE);
  gtk_widget_set_hexpand (display, TRUE);
  gtk_box_append (GTK_BOX (box), display);

  problem = gtk_button_new_with_label (on_problem_list ? _("On Problem List")
                                                       : _("Add to Problem List"));
  gtk_widget_set_valign (problem, GTK_ALIGN_CENTER);
  gtk_widget_set_sensitive (problem, !on_problem_list);
  gtk_widget_set_tooltip_text (problem, _("Keep it on the patient’s problem list as a chronic condition"));
  g_object_set_data_full (G_OBJECT (problem), "diagnosis", g_object_ref (d), g_object_unref);
  g_signal_connect (problem, "clicked", G_CALLBACK (on_add_problem_clicked), self);
  gtk_widget_set_visible (problem, !self->read_only);
  gtk_box_append (GTK_BOX (box), problem);

  remove = gtk_button_new_from_icon_name ("user-trash-symbolic");
  gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (remove, "flat");
  gtk_widget_set_tooltip_text (remove, _("Remove from this note"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Remove diagnosis"), -1);
  g_object_set_data_full (G_OBJECT (remove), "diagnosis", g_object_ref (d), g_object_unref);
  g_signal_connect (remove, "clicked", G_CALLBACK (on_remove_diagnosis_clicked), self);
  gtk_widget_set_visible (remove, !self->read_only);
  gtk_box_append (GTK_BOX (box), remove);

  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  return row;
}

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static void
fill_diagnoses (CrVisitEditor *self,
                GListModel    *diagnoses)
{
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GHashTable) on_list = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GtkCheckButton *group = NULL;
  guint n = diagnoses ? g_list_model_get_n_items (diagnoses) : 0;

  problems = cr_store_list_problems (self->store, cr_patient_get_id (self->patient),
                                     CR_PROBLEM_STATUS_ACTIVE, NULL);
  for (guint i = 0; problems != NULL && i < problems->len; i++)
    {
      CrProblem *p = g_ptr_array_index (problems, i);

      if (cr_problem_get_code (p) != NULL)
        g_hash_table_add (on_list, g_strdup_printf ("%s:%s", cr_problem_get_system (p),
                                                    cr_problem_get_code (p)));
    }

  self->loading = TRUE;
  clear_list (self->diagnoses_list);
  g_ptr_array_set_size (self->diagnoses, 0);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CrDiagnosis) d = g_list_model_get_item (diagnoses, i);
      g_autofree char *key = g_strdup_printf ("%s:%s", cr_diagnosis_get_system (d),
                                              cr_diagnosis_get_code (d));
      GtkCheckButton *check = NULL;
      GtkWidget *row = create_diagnosis_row (self, d, group, g_hash_table_contains (on_list, key),
                                             &check);

      /* One primary: the rows' buttons are a radio group. */
      if (group == NULL)
        group = check;
      gtk_list_box_append (self->diagnoses_list, row);
      g_ptr_array_add (self->diagnoses, g_object_ref (d));
    }
  gtk_widget_set_visible (GTK_WIDGET (self->diagnoses_list), n > 0);
  self->loading = FALSE;
}

static gboolean
on_diagnosis_picked (CrVisitEditor     *self,
                     const char        *system,
                     const char        *code,
                     const char        *display,
                     CrDiagnosisPicker *picker)
{
  g_autoptr(GError) error = NULL;
  gint64 id;

  for (guint i = 0; i < self->diagnoses->len; i++)
    {
      CrDiagnosis *d = g_ptr_array_index (self->diagnoses, i);

      if (g_strcmp0 (cr_diagnosis_get_system (d), system) == 0 &&
          g_strcmp0 (cr_diagnosis_get_code (d), code) == 0)
        {
          g_autofree char *shown = cr_code_format (system, code);
          g_autofree char *message = NULL;

          /* Translators: %s is a diagnosis code */
          message = g_strdup_printf (_("%s is already in this note."), shown);
          cr_diagnosis_picker_show_message (picker, message);
          return FALSE;
        }
    }

  id = ensure_created (self);
  if (id == 0)
    return FALSE;
  if (cr_store_add_diagnosis (self->store, id, system, code, display,
                              self->diagnoses->len == 0, &error) == 0)
    {
      cr_diagnosis_picker_show_message (picker, error->message);
      return FALSE;
    }
  reload_details (self);
  return TRUE;
}

/* ---- prescriptions, follow-ups, amendments ------------------------------- */

static void
fill_prescriptions (CrVisitEditor *self)
{
  g_autoptr(GPtrArray) rxs = NULL;
  gint64 id = cr_visit_get_id (self->visit);

  clear_list (self->prescriptions_list);
  if (id > 0)
    rxs = cr_store_list_visit_prescriptions (self->store, id, NULL);

  for (guint i = 0; rxs != NULL && i < rxs->len; i++)
    {
      CrPrescription *rx = g_ptr_array_index (rxs, i);
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *label = cr_prescription_dup_label (rx);
      g_autofree char *title = g_markup_escape_text (label, -1);
      g_autoptr(GString) detail = g_string_new (NULL);
      const char *parts[] = {
        cr_prescription_get_dose (rx), cr_prescription_get_route (rx),
        cr_prescription_get_frequency (rx), cr_prescription_get_duration (rx),
      };

      for (guint p = 0; p < G_N_ELEMENTS (parts); p++)
        if (parts[p] != NULL && *parts[p] != '\0')
          g_string_append_printf (detail, "%s%s", detail->len ? " · " : "", parts[p]);
      if (cr_prescription_get_refills (rx) > 0)
        {
          int refills = cr_prescription_get_refills (rx);

          if (detail->len > 0)
            g_string_append (detail, " · ");
          /* Translators: %d refills of a prescription */
          g_string_append_printf (detail, g_dngettext (GETTEXT_PACKAGE, "%d refill", "%d refills",
                                                       refills),
                                  refills);
        }
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      if (detail->len > 0)
        {
          g_autofree char *escaped = g_markup_escape_text (detail->str, -1);
          adw_action_row_set_subtitle (ADW_ACTION_ROW (row), escaped);
        }
      gtk_list_box_append (self->prescriptions_list, row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->prescriptions_list), rxs != NULL && rxs->len > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->prescriptions_empty), rxs == NULL || rxs->len == 0);
}

static void
fill_follow_ups (CrVisitEditor *self)
{
  g_autoptr(GPtrArray) follow_ups = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  gint64 id = cr_visit_get_id (self->visit);

  if (id > 0)
    follow_ups = cr_store_list_visit_follow_ups (self->store, id, NULL);
  for (guint i = 0; follow_ups != NULL && i < follow_ups->len; i++)
    {
      CrFollowUp *f = g_ptr_array_index (follow_ups, i);
      g_autofree char *when = format_when (cr_follow_up_get_due_date (f));

      if (text->len > 0)
        g_string_append_c (text, '\n');
      if (cr_follow_up_get_reason (f) != NULL)
        /* Translators: a follow-up's date, then what it is for */
        g_string_append_printf (text, _("Follow-up set for %s: %s"), when,
                                cr_follow_up_get_reason (f));
      else
        /* Translators: a follow-up's date */
        g_string_append_printf (text, _("Follow-up set for %s"), when);
    }
  gtk_label_set_label (self->follow_ups_label, text->str);
  gtk_widget_set_visible (GTK_WIDGET (self->follow_ups_label), text->len > 0);
}

static void
fill_amendments (CrVisitEditor *self,
                 GListModel    *amendments)
{
  guint n = amendments ? g_list_model_get_n_items (amendments) : 0;

  clear_list (self->amendments_list);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CrAmendment) m = g_list_model_get_item (amendments, i);
      g_autofree char *when = format_when (cr_amendment_get_created_at (m));
      g_autofree char *head = NULL;
      g_autofree char *reason = NULL;
      GtkWidget *row = gtk_list_box_row_new ();
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
      GtkWidget *label;

      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
      gtk_widget_set_margin_start (box, 12);
      gtk_widget_set_margin_end (box, 12);
      gtk_widget_set_margin_top (box, 10);
      gtk_widget_set_margin_bottom (box, 10);

      /* Translators: who amended a signed note, then when */
      head = g_strdup_printf (_("Amended by %s on %s"), cr_amendment_get_created_by (m), when);
      label = gtk_label_new (head);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_widget_add_css_class (label, "heading");
      gtk_box_append (GTK_BOX (box), label);

      /* Translators: %s is why a signed note was amended */
      reason = g_strdup_printf (_("Reason: %s"), cr_amendment_get_reason (m));
      label = gtk_label_new (reason);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_widget_add_css_class (label, "dim-label");
      gtk_box_append (GTK_BOX (box), label);

      label = gtk_label_new (cr_amendment_get_text (m));
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_selectable (GTK_LABEL (label), TRUE);
      gtk_box_append (GTK_BOX (box), label);

      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
      gtk_list_box_append (self->amendments_list, row);
    }
  gtk_widget_set_visible (self->amendments_box, n > 0);
}

static void
load_outcomes (CrVisitEditor *self)
{
  g_autoptr(GError) error = NULL;

  if (!cr_outcome_step_load (self->outcome_step, self->store, cr_patient_get_id (self->patient),
                             cr_visit_get_id (self->visit),
                             cr_visit_get_started_at (self->visit), &error))
    show_general_error (self, error->message);
  /* A signed note shows the outcomes it recorded, not a question. */
  if (self->read_only && cr_outcome_step_get_n_recorded (self->outcome_step) == 0)
    gtk_widget_set_visible (GTK_WIDGET (self->outcome_step), FALSE);
}

/* Re-reads what belongs to the note but is not typed in it: diagnoses,
 * prescriptions (written in another window), follow-ups, amendments and
 * whether it was signed meanwhile. */
static void
reload_details (CrVisitEditor *self)
{
  g_autoptr(CrVisit) stored = NULL;
  gint64 id = cr_visit_get_id (self->visit);

  if (id > 0)
    {
      g_autoptr(GError) error = NULL;

      stored = cr_store_get_visit (self->store, id, &error);
      if (stored == NULL)
        {
          show_general_error (self, error->message);
          return;
        }
      if (cr_visit_is_signed (stored) && !self->read_only)
        {
          g_set_object (&self->visit, stored);
          set_read_only (self, TRUE);
          load_form (self);
        }
    }

  fill_diagnoses (self, stored ? cr_visit_get_diagnoses (stored) : NULL);
  fill_amendments (self, stored ? cr_visit_get_amendments (stored) : NULL);
  fill_prescriptions (self);
  fill_follow_ups (self);
}

/* ---- follow-up ------------------------------------------------------------ */

static void
on_follow_up_weeks_changed (CrVisitEditor *self)
{
  int weeks = gtk_spin_button_get_value_as_int (self->follow_up_weeks);
  GDate date;

  if (weeks <= 0)
    {
      gtk_editable_set_text (GTK_EDITABLE (self->follow_up_date), "");
      return;
    }
  if (!cr_date_from_iso (cr_visit_get_started_at (self->visit), &date))
    cr_date_set_today (&date);
  g_date_add_days (&date, weeks * 7);
  {
    g_autofree char *iso = cr_date_to_iso (&date);
    gtk_editable_set_text (GTK_EDITABLE (self->follow_up_date), iso);
  }
}

static void
show_follow_up_error (CrVisitEditor *self,
                      const char    *message)
{
  gtk_label_set_label (self->follow_up_error, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->follow_up_error), message != NULL);
}

static void
on_follow_up_activate (CrVisitEditor *self)
{
  g_autofree char *date_text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->follow_up_date))));
  g_autofree char *reason = dup_clean (gtk_editable_get_text (GTK_EDITABLE (self->follow_up_reason)));
  g_autofree char *iso = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id;
  GDate date;

  if (self->read_only)
    return;
  if (*date_text == '\0')
    {
      show_follow_up_error (self, _("Choose in how many weeks, or type the date."));
      gtk_widget_grab_focus (GTK_WIDGET (self->follow_up_weeks));
      return;
    }
  if (cr_date_from_iso (date_text, &date))
    iso = cr_date_to_iso (&date);
  else if (cr_date_parse (date_text, &date, NULL))
    iso = cr_date_to_iso (&date);
  else
    {
      show_follow_up_error (self, _("Write the follow-up date as YYYY-MM-DD or MM/DD/YYYY."));
      gtk_widget_grab_focus (GTK_WIDGET (self->follow_up_date));
      return;
    }

  id = ensure_created (self);
  if (id == 0)
    return;
  if (cr_store_add_follow_up (self->store, cr_patient_get_id (self->patient), id, iso, reason,
                              &error) == 0)
    {
      show_follow_up_error (self, error->message);
      return;
    }
  show_follow_up_error (self, NULL);
  gtk_spin_button_set_value (self->follow_up_weeks, 0);
  gtk_editable_set_text (GTK_EDITABLE (self->follow_up_date), "");
  gtk_editable_set_text (GTK_EDITABLE (self->follow_up_reason), "");
  fill_follow_ups (self);
  g_signal_emit (self, signals[VISIT_CHANGED], 0, id);
}

/* ---- actions -------------------------------------------------------------- */

static void
sign_response (CrVisitEditor    *self,
               const char       *response,
               AdwMessageDialog *dialog)
{
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "sign") != 0 || self->read_only)
    return;
  /* Anything typed while the question was up goes in first. */
  if (!cr_visit_editor_save_now (self, NULL))
    return;
  if (!cr_store_sign_visit (self->store, self->visit, &error))
    {
      g_autofree char *message = NULL;

      /* Translators: %s says why the note could not be signed */
      message = g_strdup_printf (_("The note could not be signed: %s"), error->message);
      show_general_error (self, message);
      return;
    }
  set_read_only (self, TRUE);
  reload_details (self);
  load_outcomes (self);
  toast (self, _("Note signed"));
  g_signal_emit (self, signals[VISIT_CHANGED], 0, cr_visit_get_id (self->visit));
}

static void
visit_sign (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  CrVisitEditor *self = CR_VISIT_EDITOR (widget);
  AdwMessageDialog *dialog;
  GtkWidget *flagged;

  if (self->read_only)
    return;
  if (self->dirty && !cr_visit_editor_save_now (self, NULL))
    return;

  flagged = cr_vitals_editor_get_first_flagged (self->vitals);
  if (!self->started_ok || flagged != NULL)
    {
      show_general_error (self, _("Correct the flagged values before signing: they are not "
                                  "saved yet, and a signed note cannot change."));
      gtk_widget_grab_focus (!self->started_ok ? GTK_WIDGET (self->started_row) : flagged);
      return;
    }
  if (cr_visit_get_id (self->visit) == 0)
    {
      toast (self, _("Nothing to sign yet: write the note first"));
      return;
    }

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self),
                                                       _("Sign this note?"),
                                                       _("It cannot be changed afterwards; "
                                                         "corrections are added as amendments.")));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "sign", _("_Sign"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "sign", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "sign");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (sign_response), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void open_amend_dialog (CrVisitEditor *self,
                               const char    *reason,
                               const char    *text,
                               const char    *message);

static void
on_amended (CrVisitEditor *self,
            gint64         amendment_id,
            CrAmendDialog *dialog)
{
  reload_details (self);
  toast (self, _("Amendment added"));
  g_signal_emit (self, signals[VISIT_CHANGED], 0, cr_visit_get_id (self->visit));
}

static void
on_amend_refused (CrVisitEditor *self,
                  const char    *reason,
                  const char    *text,
                  const char    *message,
                  CrAmendDialog *dialog)
{
  open_amend_dialog (self, reason, text, message);
}

static void
open_amend_dialog (CrVisitEditor *self,
                   const char    *reason,
                   const char    *text,
                   const char    *message)
{
  GtkWidget *dialog = cr_amend_dialog_new (GTK_WINDOW (self), self->store,
                                           cr_visit_get_id (self->visit));

  cr_amend_dialog_set_text (CR_AMEND_DIALOG (dialog), reason, text);
  cr_amend_dialog_show_error (CR_AMEND_DIALOG (dialog), message);
  g_signal_connect_object (dialog, "amended", G_CALLBACK (on_amended), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (dialog, "refused", G_CALLBACK (on_amend_refused), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
visit_amend (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CrVisitEditor *self = CR_VISIT_EDITOR (widget);

  if (self->read_only)
    open_amend_dialog (self, NULL, NULL, NULL);
}

static void
visit_print (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CrVisitEditor *self = CR_VISIT_EDITOR (widget);

  /* Print what is on screen: save first, then lay out the stored note. */
  if (!cr_visit_editor_save_now (self, NULL) || cr_visit_get_id (self->visit) == 0)
    {
      adw_toast_overlay_add_toast (self->toast_overlay,
                                   adw_toast_new (_("Write something before printing the note")));
      return;
    }
  cr_print_visit_note (GTK_WINDOW (self), self->store, cr_visit_get_id (self->visit));
}

static void
visit_prescribe (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  CrVisitEditor *self = CR_VISIT_EDITOR (widget);
  gboolean handled = FALSE;
  gint64 id;

  id = ensure_created (self);
  if (id == 0)
    return;
  g_signal_emit (self, signals[PRESCRIBE], 0, id, &handled);
  if (!handled)
    toast (self, _("Prescribing is not available here"));
}

/* ---- window ---------------------------------------------------------------- */

static void
on_active_changed (CrVisitEditor *self)
{
  if (gtk_window_is_active (GTK_WINDOW (self)))
    {
      /* Back from the prescription form or the chart: show what changed. */
      if (cr_visit_get_id (self->visit) > 0)
        reload_details (self);
    }
  else
    save_in_background (self);
}

static gboolean
cr_visit_editor_close_request (GtkWindow *window)
{
  CrVisitEditor *self = CR_VISIT_EDITOR (window);

  /* No question: it is saved. */
  cr_visit_editor_save_now (self, NULL);
  if (cr_visit_get_id (self->visit) > 0)
    g_signal_emit (self, signals[VISIT_CHANGED], 0, cr_visit_get_id (self->visit));

  return GTK_WINDOW_CLASS (cr_visit_editor_parent_class)->close_request (window);
}

static void
cr_visit_editor_dispose (GObject *object)
{
  CrVisitEditor *self = CR_VISIT_EDITOR (object);

  if (self->store != NULL && self->visit != NULL)
    cr_visit_editor_save_now (self, NULL);
  g_clear_handle_id (&self->save_source, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), CR_TYPE_VISIT_EDITOR);
  g_clear_object (&self->visit);
  g_clear_object (&self->patient);
  g_clear_object (&self->store);
  g_clear_pointer (&self->diagnoses, g_ptr_array_unref);

  G_OBJECT_CLASS (cr_visit_editor_parent_class)->dispose (object);
}

static void
cr_visit_editor_finalize (GObject *object)
{
  CrVisitEditor *self = CR_VISIT_EDITOR (object);

  g_mutex_clear (&self->flight_mutex);
  g_cond_clear (&self->flight_cond);

  G_OBJECT_CLASS (cr_visit_editor_parent_class)->finalize (object);
}

static void
cr_visit_editor_class_init (CrVisitEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = cr_visit_editor_dispose;
  object_class->finalize = cr_visit_editor_finalize;
  window_class->close_request = cr_visit_editor_close_request;

  /**
   * CrVisitEditor::prescribe:
   * @visit_id: the draft to prescribe at
   *
   * "Prescribe…" was pressed; returns %TRUE if a handler opened the form.
   */
  signals[PRESCRIBE] =
    g_signal_new ("prescribe", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, g_signal_accumulator_true_handled, NULL, NULL,
                  G_TYPE_BOOLEAN, 1, G_TYPE_INT64);
  /**
   * CrVisitEditor::visit-changed:
   * @visit_id: the note
   *
   * The note was signed, amended, closed, or set something in the chart
   * (a problem, a follow-up): the chart may want to reload.
   */
  signals[VISIT_CHANGED] =
    g_signal_new ("visit-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);

  g_type_ensure (CR_TYPE_DIAGNOSIS_PICKER);
  g_type_ensure (CR_TYPE_OUTCOME_STEP);
  g_type_ensure (CR_TYPE_VITALS_EDITOR);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/chartroom/Chartroom/cr-visit-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, CrVisitEditor, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, CrVisitEditor, window_title);
  gtk_widget_class_bind_template_child (widget_class, CrVisitEditor, status_label);
  gtk_widget_class_bind_template_child (widget_class, CrVisitEditor, sign_button);
  gtk_widget_class_bind_template_child (widget_class, CrVisitEditor, amend_button);
  gtk_widget_class_bind_template_child (widget_class, CrVisitEditor, scroller);
  gtk_widget_class_bind_template_child (widget_class, CrVisitEditor, general_error);
  gtk_widget_class_bind_template_child (widget_class, CrVisitEditor, signed_label);
  gtk_widget_class_bind_template_child (widget_class, CrVisitEditor, outcome_step);
  gtk_widget_class_bind_template_child (widget_class, CrVisitEditor, form_box);
  gtk_widget_class_bind_template_child (widget_class, CrVisitEditor, complaint_row);
  gtk_widget_class_bind_template_child (widget_class, CrVisitEditor, started_row);
  gtk_widget_class_bind_template_child (widget_class, CrVisitEditor, type_row);
  gtk_widget_class_bind_template_child (widget_class, CrVisitEditor, clinician_row);
  gtk_widget_class_bind_template_child (widget_class, CrVisitEditor, started_error);
  gtk_widget_class_bind_template_child (widget_class, CrVisitEditor, subjective_view);
  gtk_widget_class_bind_template_child (widget_class, CrVisitEditor, objective_view);
  gtk_widget_class_bind_template_child (widget_class, CrVisitEditor, vitals);
  gtk_widget_class_bind_template_child (widget_class, CrVisitEditor, assessment_view);
  gtk_widget_class_bind_template_child (widget_class, CrVisitEditor, diagnoses_list);
  gtk_widget_class_bind_template_child (widget_class, CrVisitEditor, picker);
  gtk_widget_class_bind_template_child (widget_class, CrVisitEditor, plan_view);
  gtk_widget_class_bind_template_child (widget_class, CrVisitEditor, prescribe_button);
  gtk_widget_class_bind_template_child (widget_class, CrVisitEditor, prescriptions_empty);
  gtk_widget_class_bind_template_child (widget_class, CrVisitEditor, prescriptions_list);
  gtk_widget_class_bind_template_child (widget_class, CrVisitEditor, follow_ups_label);
  gtk_widget_class_bind_template_child (widget_class, CrVisitEditor, follow_up_box);
  gtk_widget_class_bind_template_child (widget_class, CrVisitEditor, follow_up_weeks);
  gtk_widget_class_bind_template_child (widget_class, CrVisitEditor, follow_up_date);
  gtk_widget_class_bind_template_child (widget_class, CrVisitEditor, follow_up_reason);
  gtk_widget_class_bind_template_child (widget_class, CrVisitEditor, follow_up_error);
  gtk_widget_class_bind_template_child (widget_class, CrVisitEditor, amendments_box);
  gtk_widget_class_bind_template_child (widget_class, CrVisitEditor, amendments_list);
  gtk_widget_class_bind_template_callback (widget_class, on_field_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_diagnosis_picked);
  gtk_widget_class_bind_template_callback (widget_class, on_ensure_visit);
  gtk_widget_class_bind_template_callback (widget_class, on_outcome_recorded);
  gtk_widget_class_bind_template_callback (widget_class, on_follow_up_weeks_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_follow_up_activate);

  gtk_widget_class_install_action (widget_class, "visit.sign", NULL, visit_sign);
  gtk_widget_class_install_action (widget_class, "visit.amend", NULL, visit_amend);
  gtk_widget_class_install_action (widget_class, "visit.print", NULL, visit_print);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, GDK_CONTROL_MASK,
                                       "visit.print", NULL);
  gtk_widget_class_install_action (widget_class, "visit.prescribe", NULL, visit_prescribe);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_S, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "visit.sign", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK,
                                       "window.close", NULL);
}

static void
connect_buffer (CrVisitEditor *self,
                GtkTextView   *view)
{
  g_signal_connect_object (gtk_text_view_get_buffer (view), "changed",
                           G_CALLBACK (on_field_changed), self, G_CONNECT_SWAPPED);
}

static void
cr_visit_editor_init (CrVisitEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_mutex_init (&self->flight_mutex);
  g_cond_init (&self->flight_cond);
  self->diagnoses = g_ptr_array_new_with_free_func (g_object_unref);
  self->started_ok = TRUE;

  connect_buffer (self, self->subjective_view);
  connect_buffer (self, self->objective_view);
  connect_buffer (self, self->assessment_view);
  connect_buffer (self, self->plan_view);
  g_signal_connect (self, "notify::is-active", G_CALLBACK (on_active_changed), NULL);
}

/**
 * cr_visit_editor_new:
 * @parent: (nullable): the main window
 * @patient: whose note
 * @visit: (nullable): a visit read from the store, or %NULL for a new note
 *   dated now (created in the store at the first change)
 */
GtkWidget *
cr_visit_editor_new (GtkWindow *parent,
                     CrStore   *store,
                     CrPatient *patient,
                     CrVisit   *visit)
{
  CrVisitEditor *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (CR_IS_STORE (store), NULL);
  g_return_val_if_fail (CR_IS_PATIENT (patient), NULL);
  g_return_val_if_fail (visit == NULL || CR_IS_VISIT (visit), NULL);

  self = g_object_new (CR_TYPE_VISIT_EDITOR, "transient-for", parent, NULL);
  self->store = g_object_ref (store);
  self->patient = g_object_ref (patient);
  if (visit != NULL)
    self->visit = g_object_ref (visit);
  else
    {
      self->visit = cr_visit_new (cr_patient_get_id (patient));
      cr_visit_set_clinician (self->visit, cr_store_get_user (store));
    }

  cr_diagnosis_picker_set_store (self->picker, store);
  load_form (self);
  set_read_only (self, cr_visit_is_signed (self->visit));
  reload_details (self);
  load_outcomes (self);

  gtk_widget_grab_focus (GTK_WIDGET (self->complaint_row));
  return GTK_WIDGET (self);
}

CrVisit *
cr_visit_editor_get_visit (CrVisitEditor *self)
{
  g_return_val_if_fail (CR_IS_VISIT_EDITOR (self), NULL);
  return self->visit;
}

gint64
cr_visit_editor_get_visit_id (CrVisitEditor *self)
{
  g_return_val_if_fail (CR_IS_VISIT_EDITOR (self), 0);
  return cr_visit_get_id (self->visit);
}

CrPatient *
cr_visit_editor_get_patient (CrVisitEditor *self)
{
  g_return_val_if_fail (CR_IS_VISIT_EDITOR (self), NULL);
  return self->patient;
}

gboolean
cr_visit_editor_get_read_only (CrVisitEditor *self)
{
  g_return_val_if_fail (CR_IS_VISIT_EDITOR (self), FALSE);
  return self->read_only;
}

/**
 * cr_visit_editor_refresh:
 *
 * Re-reads the rows written elsewhere for this note (a prescription from
 * the prescription form…).
 */
void
cr_visit_editor_refresh (CrVisitEditor *self)
{
  g_return_if_fail (CR_IS_VISIT_EDITOR (self));
  reload_details (self);
}

/* For tests: how many times the note reached the database. */
guint
cr_visit_editor_get_n_saves (CrVisitEditor *self)
{
  g_return_val_if_fail (CR_IS_VISIT_EDITOR (self), 0);
  return self->n_saves;
}
