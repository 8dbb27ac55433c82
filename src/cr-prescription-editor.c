/* cr-prescription-editor.c: the form that writes a prescription
 *
 * The drug name suggests drugs from the imported list as one types (a list
 * under the field; Up/Down choose, Enter takes one and fills strength, form
 * and route); without a list the name is free text. Before saving, the drug
 * is checked against the patient's recorded allergies: a match asks again,
 * with Cancel as the default answer.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cr-prescription-editor"

#include "config.h"

#include <glib/gi18n.h>

#include "cr-chart.h"
#include "cr-date.h"
#include "cr-drugs.h"
#include "cr-patients.h"
#include "cr-prescription-editor.h"
#include "cr-print.h"

#define N_SUGGESTIONS 12

struct _CrPrescriptionEditor
{
  AdwWindow             parent_instance;

  CrStore              *store;
  gint64                patient_id;
  gint64                visit_id;
  GCancellable         *cancellable;    /* the running drug search */
  GListStore           *suggestions;    /* CrDrug */
  gboolean              filling;        /* the form sets the drug: no search */
  gboolean              print_after_save;
  gboolean              has_drugs;

  AdwWindowTitle       *window_title;
  GtkLabel             *allergy_banner;
  GtkLabel             *general_error;
  AdwEntryRow          *drug_row;
  AdwEntryRow          *strength_row;
  AdwEntryRow          *form_row;
  AdwEntryRow          *dose_row;
  AdwEntryRow          *route_row;
  AdwEntryRow          *frequency_row;
  AdwEntryRow          *duration_row;
  AdwEntryRow          *quantity_row;
  GtkSpinButton        *refills_spin;
  AdwEntryRow          *start_row;
  GtkTextView          *instructions_view;
  GtkPopover           *suggestions_popover;
  GtkListBox           *suggestions_list;
};

enum {
  SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (CrPrescriptionEditor, cr_prescription_editor, ADW_TYPE_WINDOW)

/* ---- suggestions ----------------------------------------------------------- */

static GtkWidget *
create_suggestion_row (gpointer item,
                       gpointer user_data)
{
  CrDrug *drug = item;
  g_autofree char *form_route = cr_drug_dup_form_route (drug);
  g_autofree char *title = g_markup_escape_text (cr_drug_get_name (drug), -1);
  g_autofree char *subtitle = NULL;
  GtkWidget *row = adw_action_row_new ();

  subtitle = g_markup_printf_escaped ("%s · %s%s", cr_drug_get_strength (drug), form_route,
                                      cr_drug_get_otc (drug) ? _(" · over the counter") : "");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  return row;
}

static void
hide_suggestions (CrPrescriptionEditor *self)
{
  gtk_popover_popdown (self->suggestions_popover);
}

static void
fill_from_drug (CrPrescriptionEditor *self,
                CrDrug               *drug)
{
  self->filling = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->drug_row), cr_drug_get_name (drug));
  gtk_editable_set_text (GTK_EDITABLE (self->strength_row), cr_drug_get_strength (drug));
  gtk_editable_set_text (GTK_EDITABLE (self->form_row), cr_drug_get_form (drug));
  gtk_editable_set_text (GTK_EDITABLE (self->route_row), cr_drug_get_route (drug));
  self->filling = FALSE;
  hide_suggestions (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->dose_row));
}

static void
on_suggestion_activated (CrPrescriptionEditor *self,
                         GtkListBoxRow        *row,
                         GtkListBox           *list)
{
  g_autoptr(CrDrug) drug = g_list_model_get_item (G_LIST_MODEL (self->suggestions),
                                                  gtk_list_box_row_get_index (row));

  if (drug != NULL)
    fill_from_drug (self, drug);
}

static void
search_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  CrStore *store = g_object_get_data (G_OBJECT (task), "store");
  GError *error = NULL;
  GPtrArray *found = cr_store_search_drugs (store, task_data, N_SUGGESTIONS, cancellable, &error);

  if (found == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, found, (GDestroyNotify) g_ptr_array_unref);
}

static void
search_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  CrPrescriptionEditor *self = CR_PRESCRIPTION_EDITOR (source);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = g_task_propagate_pointer (G_TASK (result), &error);

  if (found == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Drug search failed: %s", error->message);
      return;
    }

  g_list_store_splice (self->suggestions, 0, g_list_model_get_n_items (G_LIST_MODEL (self->suggestions)),
                       found->pdata, found->len);
  if (found->len == 0)
    {
      hide_suggestions (self);
      return;
    }
  gtk_list_box_select_row (self->suggestions_list,
                           gtk_list_box_get_row_at_index (self->suggestions_list, 0));
  /* As wide as the field it completes. */
  gtk_widget_set_size_request (gtk_popover_get_child (self->suggestions_popover),
                               MAX (gtk_widget_get_width (GTK_WIDGET (self->drug_row)) - 12, 320), -1);
  gtk_popover_popup (self->suggestions_popover);
}

static void
on_drug_changed (CrPrescriptionEditor *self,
                 GtkEditable          *editable)
{
  const char *text = gtk_editable_get_text (editable);
  g_autoptr(GTask) task = NULL;

  gtk_widget_remove_css_class (GTK_WIDGET (self->drug_row), "error");
  if (self->filling || !self->has_drugs)
    return;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  if (g_utf8_strlen (text, -1) < 2)
    {
      hide_suggestions (self);
      return;
    }

  self->cancellable = g_cancellable_new ();
  task = g_task_new (self, self->cancellable, search_done, NULL);
  g_task_set_source_tag (task, on_drug_changed);
  g_task_set_task_data (task, g_strdup (text), g_free);
  g_object_set_data_full (G_OBJECT (task), "store", g_object_ref (self->store), g_object_unref);
  g_task_run_in_thread (task, search_thread);
}

static void
move_selection (CrPrescriptionEditor *self,
                int                   delta)
{
  GtkListBoxRow *row = gtk_list_box_get_selected_row (self->suggestions_list);
  int n = g_list_model_get_n_items (G_LIST_MODEL (self->suggestions));
  int index = row ? gtk_list_box_row_get_index (row) + delta : 0;
  GtkListBoxRow *next;

  index = CLAMP (index, 0, n - 1);
  next = gtk_list_box_get_row_at_index (self->suggestions_list, index);
  if (next == NULL)
    return;
  gtk_list_box_select_row (self->suggestions_list, next);
  /* Keep the chosen row in view without taking the focus from the field. */
  {
    GtkAdjustment *adj = gtk_list_box_get_adjustment (self->suggestions_list);
    graphene_rect_t bounds;

    if (adj != NULL && gtk_widget_compute_bounds (GTK_WIDGET (next), GTK_WIDGET (self->suggestions_list),
                                                  &bounds))
      gtk_adjustment_clamp_page (adj, bounds.origin.y, bounds.origin.y + bounds.size.height);
  }
}

static gboolean
on_drug_key_pressed (CrPrescriptionEditor  *self,
                     guint                  keyval,
                     guint                  keycode,
                     GdkModifierType        state,
                     GtkEventControllerKey *controller)
{
  GtkListBoxRow *row;

  if (!gtk_widget_get_visible (GTK_WIDGET (self->suggestions_popover)))
    return GDK_EVENT_PROPAGATE;

  switch (keyval)
    {
    case GDK_KEY_Down:
    case GDK_KEY_KP_Down:
      move_selection (self, 1);
      return GDK_EVENT_STOP;
    case GDK_KEY_Up:
    case GDK_KEY_KP_Up:
      move_selection (self, -1);
      return GDK_EVENT_STOP;
    case GDK_KEY_Return:
    case GDK_KEY_KP_Enter:
    case GDK_KEY_ISO_Enter:
      row = gtk_list_box_get_selected_row (self->suggestions_list);
      if (row != NULL)
        {
          on_suggestion_activated (self, row, self->suggestions_list);
          return GDK_EVENT_STOP;
        }
      return GDK_EVENT_PROPAGATE;
    case GDK_KEY_Escape:
      hide_suggestions (self);
      return GDK_EVENT_STOP;
    default:
      return GDK_EVENT_PROPAGATE;
    }
}

/* ---- saving ---------------------------------------------------------------- */

static void
show_error (CrPrescriptionEditor *self,
            GtkWidget            *field,
            const char           *message)
{
  gtk_label_set_text (self->general_error, message);
  gtk_widget_set_visible (GTK_WIDGET (self->general_error), TRUE);
  if (field != NULL)
    {
      gtk_widget_add_css_class (field, "error");
      gtk_widget_grab_focus (field);
    }
}

static GtkWidget *
field_for_error (CrPrescriptionEditor *self,
                 const GError         *error)
{
  if (error->domain != CR_CHART_ERROR)
    return NULL;
  switch (error->code)
    {
    case CR_CHART_ERROR_DRUG: return GTK_WIDGET (self->drug_row);
    case CR_CHART_ERROR_STRENGTH: return GTK_WIDGET (self->strength_row);
    case CR_CHART_ERROR_FORM: return GTK_WIDGET (self->form_row);
    case CR_CHART_ERROR_DOSE: return GTK_WIDGET (self->dose_row);
    case CR_CHART_ERROR_ROUTE: return GTK_WIDGET (self->route_row);
    case CR_CHART_ERROR_FREQUENCY: return GTK_WIDGET (self->frequency_row);
    case CR_CHART_ERROR_DURATION: return GTK_WIDGET (self->duration_row);
    case CR_CHART_ERROR_QUANTITY: return GTK_WIDGET (self->quantity_row);
    case CR_CHART_ERROR_REFILLS: return GTK_WIDGET (self->refills_spin);
    case CR_CHART_ERROR_INSTRUCTIONS: return GTK_WIDGET (self->instructions_view);
    case CR_CHART_ERROR_START_DATE: return GTK_WIDGET (self->start_row);
    default: return NULL;
    }
}

static char *
dup_row_text (AdwEntryRow *row)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
}

static void
clear_errors (CrPrescriptionEditor *self)
{
  GtkWidget *fields[] = {
    GTK_WIDGET (self->drug_row), GTK_WIDGET (self->strength_row), GTK_WIDGET (self->form_row),
    GTK_WIDGET (self->dose_row), GTK_WIDGET (self->route_row), GTK_WIDGET (self->frequency_row),
    GTK_WIDGET (self->duration_row), GTK_WIDGET (self->quantity_row),
    GTK_WIDGET (self->refills_spin), GTK_WIDGET (self->start_row),
    GTK_WIDGET (self->instructions_view),
  };

  gtk_widget_set_visible (GTK_WIDGET (self->general_error), FALSE);
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    gtk_widget_remove_css_class (fields[i], "error");
}

static gboolean
close_idle (gpointer data)
{
  gtk_window_close (GTK_WINDOW (data));
  return G_SOURCE_REMOVE;
}

/* After the allergy question has closed: it is transient for this form. */
static void
close_soon (CrPrescriptionEditor *self)
{
  gtk_widget_set_sensitive (GTK_WIDGET (self), FALSE);
  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, close_idle, g_object_ref (self), g_object_unref);
}

static void
save_now (CrPrescriptionEditor *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *drug = dup_row_text (self->drug_row);
  g_autofree char *strength = dup_row_text (self->strength_row);
  g_autofree char *form = dup_row_text (self->form_row);
  g_autofree char *dose = dup_row_text (self->dose_row);
  g_autofree char *route = dup_row_text (self->route_row);
  g_autofree char *frequency = dup_row_text (self->frequency_row);
  g_autofree char *duration = dup_row_text (self->duration_row);
  g_autofree char *quantity = dup_row_text (self->quantity_row);
  g_autofree char *start_text = dup_row_text (self->start_row);
  g_autofree char *start = NULL;
  g_autofree char *instructions = NULL;
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->instructions_view);
  GtkTextIter begin, end;
  CrPrescriptionInfo info = { 0 };
  GDate date;
  gint64 id;

  gtk_text_buffer_get_bounds (buffer, &begin, &end);
  instructions = g_strstrip (gtk_text_buffer_get_text (buffer, &begin, &end, FALSE));

  if (*start_text != '\0')
    {
      if (!cr_date_parse (start_text, &date, &error) &&
          !g_error_matches (error, CR_DATE_ERROR, CR_DATE_ERROR_RANGE))
        {
          show_error (self, GTK_WIDGET (self->start_row), error->message);
          return;
        }
      g_clear_error (&error);
      start = cr_date_to_iso (&date);
    }

  info.drug = drug;
  info.strength = strength;
  info.form = form;
  info.dose = dose;
  info.route = route;
  info.frequency = frequency;
  info.duration = duration;
  info.quantity = quantity;
  info.refills = gtk_spin_button_get_value_as_int (self->refills_spin);
  info.instructions = instructions;
  info.start_date = start;

  /* One small row: quick enough for the main loop. */
  id = cr_store_add_prescription (self->store, self->patient_id, self->visit_id, &info, &error);
  if (id <= 0)
    {
      show_error (self, field_for_error (self, error), error->message);
      return;
    }

  g_signal_emit (self, signals[SAVED], 0, id);
  if (self->print_after_save)
    {
      GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));

      cr_print_prescription (parent, self->store, id);
    }
  close_soon (self);
}

static void
on_allergy_response (CrPrescriptionEditor *self,
                     const char           *response,
                     AdwMessageDialog     *dialog)
{
  if (g_strcmp0 (response, "prescribe") == 0)
    save_now (self);
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->drug_row));
}

static const char *
severity_label (CrAllergySeverity severity)
{
  switch (severity)
    {
    case CR_ALLERGY_SEVERITY_MILD:
      return _("mild");
    case CR_ALLERGY_SEVERITY_MODERATE:
      return _("moderate");
    case CR_ALLERGY_SEVERITY_SEVERE:
      return _("severe");
    case CR_ALLERGY_SEVERITY_UNKNOWN:
    default:
      return NULL;
    }
}

/* "Penicillin (hives, severe)" */
static char *
describe_allergy (CrAllergy *allergy)
{
  const char *reaction = cr_allergy_get_reaction (allergy);
  const char *severity = severity_label (cr_allergy_get_severity (allergy));
  gboolean has_reaction = reaction != NULL && *reaction != '\0';

  if (has_reaction && severity != NULL)
    return g_strdup_printf ("%s (%s, %s)", cr_allergy_get_substance (allergy), reaction, severity);
  if (has_reaction || severity != NULL)
    return g_strdup_printf ("%s (%s)", cr_allergy_get_substance (allergy),
                            has_reaction ? reaction : severity);
  return g_strdup (cr_allergy_get_substance (allergy));
}

static void
ask_about_allergy (CrPrescriptionEditor *self,
                   CrAllergy            *allergy,
                   const char           *drug)
{
  g_autofree char *what = describe_allergy (allergy);
  g_autofree char *body = NULL;
  AdwMessageDialog *dialog;

  /* Translators: the first %s is the allergy with its reaction and
   * severity ("Penicillin (hives, severe)"), the second the drug. */
  body = g_strdup_printf (_("Recorded allergy: %s. Prescribe %s anyway?"), what, drug);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self),
                                                       _("Allergy on Record"), body));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "prescribe", _("_Prescribe Anyway"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "prescribe", ADW_RESPONSE_DESTRUCTIVE);
  /* Enter must never prescribe past an allergy by accident. */
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_allergy_response),
                           self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
save (CrPrescriptionEditor *self,
      gboolean              print)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrAllergy) allergy = NULL;
  g_autofree char *drug = dup_row_text (self->drug_row);

  clear_errors (self);
  hide_suggestions (self);
  self->print_after_save = print;

  if (*drug == '\0')
    {
      show_error (self, GTK_WIDGET (self->drug_row), _("Name the drug to prescribe."));
      return;
    }

  if (!cr_store_check_drug_allergy (self->store, self->patient_id, drug, &allergy, &error))
    {
      show_error (self, NULL, error->message);
      return;
    }
  if (allergy != NULL)
    ask_about_allergy (self, allergy, drug);
  else
    save_now (self);
}

static void
editor_save (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  save (CR_PRESCRIPTION_EDITOR (widget), FALSE);
}

static void
editor_save_print (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  save (CR_PRESCRIPTION_EDITOR (widget), TRUE);
}

static void
on_entry_activated (CrPrescriptionEditor *self,
                    AdwEntryRow          *row)
{
  /* Enter moves on to the next field; in the last one it saves. */
  AdwEntryRow *order[] = {
    self->drug_row, self->strength_row, self->form_row, self->dose_row, self->route_row,
    self->frequency_row, self->duration_row, self->quantity_row,
  };

  for (guint i = 0; i + 1 < G_N_ELEMENTS (order); i++)
    if (order[i] == row)
      {
        gtk_widget_grab_focus (GTK_WIDGET (order[i + 1]));
        return;
      }
  if (row == self->quantity_row)
    {
      gtk_widget_grab_focus (GTK_WIDGET (self->refills_spin));
      return;
    }
  gtk_widget_activate_action (GTK_WIDGET (self), "editor.save", NULL);
}

/* ---- setting up ----------------------------------------------------------- */

static void
show_allergies (CrPrescriptionEditor *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) allergies = cr_store_list_allergies (self->store, self->patient_id, &error);
  g_autoptr(GString) text = g_string_new (NULL);

  if (allergies == NULL)
    {
      gtk_label_set_text (self->allergy_banner, error->message);
      return;
    }
  for (guint i = 0; i < allergies->len; i++)
    {
      g_autofree char *one = describe_allergy (g_ptr_array_index (allergies, i));

      if (text->len > 0)
        g_string_append (text, "; ");
      g_string_append (text, one);
    }
  if (text->len > 0)
    {
      /* Translators: %s lists the patient's allergies */
      g_autofree char *label = g_strdup_printf (_("Allergies: %s"), text->str);

      gtk_label_set_text (self->allergy_banner, label);
      gtk_widget_remove_css_class (GTK_WIDGET (self->allergy_banner), "cr-rx-none");
    }
  else
    {
      gtk_label_set_text (self->allergy_banner, _("No allergies recorded"));
      gtk_widget_add_css_class (GTK_WIDGET (self->allergy_banner), "cr-rx-none");
    }
}

static void
cr_prescription_editor_dispose (GObject *object)
{
  CrPrescriptionEditor *self = (CrPrescriptionEditor *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->suggestions_popover != NULL)
    {
      gtk_widget_unparent (GTK_WIDGET (self->suggestions_popover));
      self->suggestions_popover = NULL;
    }
  g_clear_object (&self->suggestions);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (cr_prescription_editor_parent_class)->dispose (object);
}

static void
cr_prescription_editor_class_init (CrPrescriptionEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cr_prescription_editor_dispose;

  /**
   * CrPrescriptionEditor::saved:
   * @prescription_id: the prescription written
   */
  signals[SAVED] =
    g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/chartroom/Chartroom/cr-prescription-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, CrPrescriptionEditor, window_title);
  gtk_widget_class_bind_template_child (widget_class, CrPrescriptionEditor, allergy_banner);
  gtk_widget_class_bind_template_child (widget_class, CrPrescriptionEditor, general_error);
  gtk_widget_class_bind_template_child (widget_class, CrPrescriptionEditor, drug_row);
  gtk_widget_class_bind_template_child (widget_class, CrPrescriptionEditor, strength_row);
  gtk_widget_class_bind_template_child (widget_class, CrPrescriptionEditor, form_row);
  gtk_widget_class_bind_template_child (widget_class, CrPrescriptionEditor, dose_row);
  gtk_widget_class_bind_template_child (widget_class, CrPrescriptionEditor, route_row);
  gtk_widget_class_bind_template_child (widget_class, CrPrescriptionEditor, frequency_row);
  gtk_widget_class_bind_template_child (widget_class, CrPrescriptionEditor, duration_row);
  gtk_widget_class_bind_template_child (widget_class, CrPrescriptionEditor, quantity_row);
  gtk_widget_class_bind_template_child (widget_class, CrPrescriptionEditor, refills_spin);
  gtk_widget_class_bind_template_child (widget_class, CrPrescriptionEditor, start_row);
  gtk_widget_class_bind_template_child (widget_class, CrPrescriptionEditor, instructions_view);
  gtk_widget_class_bind_template_child (widget_class, CrPrescriptionEditor, suggestions_popover);
  gtk_widget_class_bind_template_child (widget_class, CrPrescriptionEditor, suggestions_list);
  gtk_widget_class_bind_template_callback (widget_class, on_drug_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_suggestion_activated);

  gtk_widget_class_install_action (widget_class, "editor.save", NULL, editor_save);
  gtk_widget_class_install_action (widget_class, "editor.save-print", NULL, editor_save_print);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "editor.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, GDK_CONTROL_MASK, "editor.save-print", NULL);
}

static void
cr_prescription_editor_init (CrPrescriptionEditor *self)
{
  GtkEventController *keys;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->suggestions = g_list_store_new (CR_TYPE_DRUG);
  gtk_list_box_bind_model (self->suggestions_list, G_LIST_MODEL (self->suggestions),
                           create_suggestion_row, self, NULL);
  gtk_widget_set_parent (GTK_WIDGET (self->suggestions_popover), GTK_WIDGET (self->drug_row));

  /* Up, Down and Enter reach the list before the field's own handling. */
  keys = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect_swapped (keys, "key-pressed", G_CALLBACK (on_drug_key_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self->drug_row), keys);
}

/**
 * cr_prescription_editor_new:
 * @parent: the main window
 * @patient_id: the patient to prescribe for
 * @visit_id: the draft visit the prescription is written at, or 0 for none
 *
 * Returns: (transfer floating) (nullable): a modal window to present, or
 *   %NULL with @error when the patient or visit cannot be read
 */
GtkWidget *
cr_prescription_editor_new (GtkWindow  *parent,
                            CrStore    *store,
                            gint64      patient_id,
                            gint64      visit_id,
                            GError    **error)
{
  CrPrescriptionEditor *self;
  g_autoptr(CrPatient) patient = NULL;
  g_autofree char *name = NULL;
  g_autofree char *start = NULL;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (CR_IS_STORE (store), NULL);

  if (visit_id > 0)
    {
      g_autoptr(CrVisit) visit = cr_store_get_visit (store, visit_id, error);

      if (visit == NULL)
        return NULL;
      patient_id = cr_visit_get_patient_id (visit);
      start = g_strndup (cr_visit_get_started_at (visit), 10);
    }
  patient = cr_store_get_patient (store, patient_id, error);
  if (patient == NULL)
    return NULL;
  if (start == NULL)
    {
      GDate today;

      cr_date_set_today (&today);
      start = cr_date_to_iso (&today);
    }

  self = g_object_new (CR_TYPE_PRESCRIPTION_EDITOR,
                       "transient-for", parent,
                       "modal", TRUE,
                       NULL);
  self->store = g_object_ref (store);
  self->patient_id = patient_id;
  self->visit_id = visit_id;
  self->has_drugs = cr_store_has_drugs (store);

  name = cr_patient_dup_display_name (patient);
  adw_window_title_set_subtitle (self->window_title, name);
  gtk_window_set_title (GTK_WINDOW (self), _("New Prescription"));
  gtk_editable_set_text (GTK_EDITABLE (self->start_row), start);
  show_allergies (self);
  if (!self->has_drugs)
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->drug_row),
                                 _("No drug list imported: type the drug's name"));
  gtk_widget_grab_focus (GTK_WIDGET (self->drug_row));
  return GTK_WIDGET (self);
}

gint64
cr_prescription_editor_get_patient_id (CrPrescriptionEditor *self)
{
  g_return_val_if_fail (CR_IS_PRESCRIPTION_EDITOR (self), 0);
  return self->patient_id;
}

gint64
cr_prescription_editor_get_visit_id (CrPrescriptionEditor *self)
{
  g_return_val_if_fail (CR_IS_PRESCRIPTION_EDITOR (self), 0);
  return self->visit_id;
}
