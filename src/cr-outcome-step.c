/* cr-outcome-step.c: "How did earlier treatment work?" in a new note
 *
 * Lists the diagnoses and prescriptions of the patient's last visit before
 * this one that have no outcome yet, each with one-click results. A click
 * records the outcome at once (creating the draft if it is still empty);
 * a second click on another result replaces it, the first being marked
 * entered in error, as a chart never forgets.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cr-outcome-step"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "cr-codes.h"
#include "cr-date.h"
#include "cr-drafts.h"
#include "cr-outcome-step.h"

#define N_RESULTS 5

typedef struct
{
  CrOutcomeStep *self;          /* not a reference: rows die with it */
  gint64         diagnosis_id;
  gint64         prescription_id;
  gint64         outcome_id;    /* recorded at this visit, or 0 */
  int            result;        /* CrOutcomeResult, or -1 */
  char          *note;          /* as recorded */
  GtkWidget     *row;
  GtkLabel      *state_label;
  GtkEntry      *note_entry;
  GtkWidget     *buttons[N_RESULTS];
} Item;

struct _CrOutcomeStep
{
  GtkBox      parent_instance;

  CrStore    *store;
  gint64      visit_id;
  GPtrArray  *items;

  GtkLabel   *subtitle_label;
  GtkListBox *list;
  GtkLabel   *error_label;
};

enum {
  ENSURE_VISIT,
  RECORDED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (CrOutcomeStep, cr_outcome_step, GTK_TYPE_BOX)

static void
item_free (Item *item)
{
  g_free (item->note);
  g_free (item);
}

static const char *
result_label (CrOutcomeResult result)
{
  switch (result)
    {
    case CR_OUTCOME_RESULT_RESOLVED:
      return _("Resolved");
    case CR_OUTCOME_RESULT_IMPROVED:
      return _("Improved");
    case CR_OUTCOME_RESULT_UNCHANGED:
      return _("Unchanged");
    case CR_OUTCOME_RESULT_WORSENED:
      return _("Worsened");
    case CR_OUTCOME_RESULT_ADVERSE_EFFECT:
      return _("Adverse Effect");
    default:
      return "";
    }
}

static void
show_error (CrOutcomeStep *self,
            const char    *message)
{
  gtk_label_set_label (self->error_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static void
update_item (Item *item)
{
  for (guint r = 0; r < N_RESULTS; r++)
    {
      const char *style = r == CR_OUTCOME_RESULT_ADVERSE_EFFECT ? "destructive-action"
                                                                 : "suggested-action";

      if ((int) r == item->result)
        gtk_widget_add_css_class (item->buttons[r], style);
      else
        gtk_widget_remove_css_class (item->buttons[r], style);
    }

  if (item->result >= 0)
    {
      g_autofree char *text = NULL;

      /* Translators: %s is an outcome such as “Improved” */
      text = g_strdup_printf (_("Recorded: %s"), result_label (item->result));
      gtk_label_set_label (item->state_label, text);
      gtk_widget_remove_css_class (GTK_WIDGET (item->state_label), "dim-label");
      gtk_widget_add_css_class (GTK_WIDGET (item->state_label), "success");
    }
  else
    {
      gtk_label_set_label (item->state_label, _("No outcome yet"));
      gtk_widget_add_css_class (GTK_WIDGET (item->state_label), "dim-label");
      gtk_widget_remove_css_class (GTK_WIDGET (item->state_label), "success");
    }
}

static gboolean
record_item (CrOutcomeStep    *self,
             Item             *item,
             CrOutcomeResult   result,
             const char       *note,
             GError          **error)
{
  g_autofree char *clean = g_strstrip (g_strdup (note ? note : ""));
  gint64 visit_id = 0;
  gint64 id;

  if (item->outcome_id != 0 && item->result == (int) result &&
      g_strcmp0 (item->note ? item->note : "", clean) == 0)
    return TRUE;

  g_signal_emit (self, signals[ENSURE_VISIT], 0, &visit_id);
  if (visit_id <= 0)
    {
      g_set_error_literal (error, CR_CHART_ERROR, CR_CHART_ERROR_VISIT,
                           _("The note could not be saved, so the outcome cannot be recorded yet."));
      return FALSE;
    }
  self->visit_id = visit_id;

  if (item->outcome_id != 0 &&
      !cr_store_mark_entered_in_error (self->store, CR_CLINICAL_KIND_OUTCOME, item->outcome_id,
                                       "Outcome changed while writing the note", error))
    return FALSE;
  item->outcome_id = 0;
  item->result = -1;

  id = cr_store_record_outcome (self->store, visit_id, item->diagnosis_id, item->prescription_id,
                                result, *clean ? clean : NULL, error);
  if (id == 0)
    {
      update_item (item);
      return FALSE;
    }

  item->outcome_id = id;
  item->result = result;
  g_free (item->note);
  item->note = g_steal_pointer (&clean);
  update_item (item);
  g_signal_emit (self, signals[RECORDED], 0);
  return TRUE;
}

static void
on_result_clicked (GtkButton *button,
                   Item      *item)
{
  CrOutcomeStep *self = item->self;
  CrOutcomeResult result = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "result"));
  g_autoptr(GError) error = NULL;

  show_error (self, NULL);
  if (!record_item (self, item, result,
                    gtk_editable_get_text (GTK_EDITABLE (item->note_entry)), &error))
    show_error (self, error->message);
}

/* A note typed after the result: recorded with it when one moves on. */
static void
on_note_done (Item *item)
{
  CrOutcomeStep *self = item->self;
  g_autoptr(GError) error = NULL;

  if (item->result < 0)
    return;
  if (!record_item (self, item, item->result,
                    gtk_editable_get_text (GTK_EDITABLE (item->note_entry)), &error))
    show_error (self, error->message);
}

static void
on_note_focus_leave (GtkEventControllerFocus *controller,
                     Item                    *item)
{
  on_note_done (item);
}

static void
add_item (CrOutcomeStep *self,
          Item          *item,
          const char    *title,
          const char    *detail)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  GtkWidget *top = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *bottom = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  GtkWidget *label;
  GtkEventController *focus;

  item->self = self;
  item->row = row;
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 10);
  gtk_widget_set_margin_bottom (box, 10);

  label = gtk_label_new (title);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_widget_add_css_class (label, "heading");
  gtk_box_append (GTK_BOX (top), label);

  item->state_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_box_append (GTK_BOX (top), GTK_WIDGET (item->state_label));
  gtk_box_append (GTK_BOX (box), top);

  label = gtk_label_new (detail);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_widget_add_css_class (label, "caption");
  gtk_box_append (GTK_BOX (box), label);

  gtk_widget_add_css_class (buttons, "linked");
  for (guint r = 0; r < N_RESULTS; r++)
    {
      GtkWidget *button = gtk_button_new_with_label (result_label (r));

      g_object_set_data (G_OBJECT (button), "result", GINT_TO_POINTER (r));
      g_signal_connect (button, "clicked", G_CALLBACK (on_result_clicked), item);
      item->buttons[r] = button;
      gtk_box_append (GTK_BOX (buttons), button);
    }
  gtk_box_append (GTK_BOX (bottom), buttons);

  item->note_entry = GTK_ENTRY (gtk_entry_new ());
  gtk_entry_set_placeholder_text (item->note_entry, _("Note (optional)"));
  gtk_widget_set_hexpand (GTK_WIDGET (item->note_entry), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (item->note_entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Outcome note"), -1);
  if (item->note != NULL)
    gtk_editable_set_text (GTK_EDITABLE (item->note_entry), item->note);
  g_signal_connect_swapped (item->note_entry, "activate", G_CALLBACK (on_note_done), item);
  focus = gtk_event_controller_focus_new ();
  g_signal_connect (focus, "leave", G_CALLBACK (on_note_focus_leave), item);
  gtk_widget_add_controller (GTK_WIDGET (item->note_entry), focus);
  gtk_box_append (GTK_BOX (bottom), GTK_WIDGET (item->note_entry));
  gtk_box_append (GTK_BOX (box), bottom);

  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_list_box_append (self->list, row);
  g_ptr_array_add (self->items, item);
  update_item (item);
}

static void
clear (CrOutcomeStep *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);
  g_ptr_array_set_size (self->items, 0);
  show_error (self, NULL);
}

/* The outcome of @diagnosis_id or @prescription_id: the one recorded at
 * @visit_id, or else whether any was recorded elsewhere. */
static CrOutcome *
find_outcome (GPtrArray *outcomes,
              gint64     diagnosis_id,
              gint64     prescription_id,
              gint64     visit_id,
              gboolean  *elsewhere)
{
  CrOutcome *here = NULL;

  *elsewhere = FALSE;
  for (guint i = 0; i < outcomes->len; i++)
    {
      CrOutcome *o = g_ptr_array_index (outcomes, i);

      if ((diagnosis_id > 0 && cr_outcome_get_diagnosis_id (o) != diagnosis_id) ||
          (prescription_id > 0 && cr_outcome_get_prescription_id (o) != prescription_id))
        continue;
      if (visit_id > 0 && cr_outcome_get_visit_id (o) == visit_id)
        {
          /* The list is newest first: the first one is the current one. */
          if (here == NULL)
            here = o;
        }
      else
        *elsewhere = TRUE;
    }
  return here;
}

static char *
format_date (const char *iso)
{
  GDate date;
  char buf[64];

  if (iso == NULL || !cr_date_from_iso (iso, &date))
    return g_strdup (iso ? iso : "");
  g_date_strftime (buf, sizeof buf, "%b %-d, %Y", &date);
  return g_strdup (buf);
}

static void
cr_outcome_step_dispose (GObject *object)
{
  CrOutcomeStep *self = CR_OUTCOME_STEP (object);

  g_clear_object (&self->store);
  gtk_widget_dispose_template (GTK_WIDGET (self), CR_TYPE_OUTCOME_STEP);

  G_OBJECT_CLASS (cr_outcome_step_parent_class)->dispose (object);
}

static void
cr_outcome_step_finalize (GObject *object)
{
  CrOutcomeStep *self = CR_OUTCOME_STEP (object);

  g_clear_pointer (&self->items, g_ptr_array_unref);

  G_OBJECT_CLASS (cr_outcome_step_parent_class)->finalize (object);
}

static void
cr_outcome_step_class_init (CrOutcomeStepClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cr_outcome_step_dispose;
  object_class->finalize = cr_outcome_step_finalize;

  /**
   * CrOutcomeStep::ensure-visit:
   *
   * An outcome is about to be recorded: the handler saves the note (creating
   * the draft if need be) and returns its id, or 0 if it cannot.
   */
  signals[ENSURE_VISIT] =
    g_signal_new ("ensure-visit", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, g_signal_accumulator_first_wins, NULL, NULL, G_TYPE_INT64, 0);
  /**
   * CrOutcomeStep::recorded:
   *
   * An outcome was recorded or changed.
   */
  signals[RECORDED] =
    g_signal_new ("recorded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/chartroom/Chartroom/cr-outcome-step.ui");
  gtk_widget_class_bind_template_child (widget_class, CrOutcomeStep, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, CrOutcomeStep, list);
  gtk_widget_class_bind_template_child (widget_class, CrOutcomeStep, error_label);
}

static void
cr_outcome_step_init (CrOutcomeStep *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->items = g_ptr_array_new_with_free_func ((GDestroyNotify) item_free);
}

GtkWidget *
cr_outcome_step_new (void)
{
  return g_object_new (CR_TYPE_OUTCOME_STEP, NULL);
}

/**
 * cr_outcome_step_load:
 * @visit_id: the note being written, or 0 before its first save
 * @started_at: its date and time
 *
 * Finds the patient's last visit before this one and lists what of it has
 * no outcome yet, or was given one in this note. Shows itself only when
 * there is something to list.
 *
 * Returns: %FALSE on a database error
 */
gboolean
cr_outcome_step_load (CrOutcomeStep  *self,
                      CrStore        *store,
                      gint64          patient_id,
                      gint64          visit_id,
                      const char     *started_at,
                      GError        **error)
{
  g_autoptr(GPtrArray) visits = NULL;
  g_autoptr(GPtrArray) outcomes = NULL;
  g_autoptr(GPtrArray) prescriptions = NULL;
  g_autofree char *when = NULL;
  g_autofree char *subtitle = NULL;
  CrVisit *previous = NULL;
  GListModel *diagnoses;

  g_return_val_if_fail (CR_IS_OUTCOME_STEP (self), FALSE);
  g_return_val_if_fail (CR_IS_STORE (store), FALSE);
  g_return_val_if_fail (started_at != NULL, FALSE);

  g_set_object (&self->store, store);
  self->visit_id = visit_id;
  clear (self);
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);

  /* Newest first; a draft dated back may have later visits above it. */
  visits = cr_store_list_visits (store, patient_id, 0, 50, error);
  if (visits == NULL)
    return FALSE;
  for (guint i = 0; i < visits->len && previous == NULL; i++)
    {
      CrVisit *v = g_ptr_array_index (visits, i);

      if (cr_visit_get_id (v) != visit_id && strcmp (cr_visit_get_started_at (v), started_at) <= 0)
        previous = v;
    }
  if (previous == NULL)
    return TRUE;

  outcomes = cr_store_list_outcomes (store, patient_id, error);
  if (outcomes == NULL)
    return FALSE;
  prescriptions = cr_store_list_visit_prescriptions (store, cr_visit_get_id (previous), error);
  if (prescriptions == NULL)
    return FALSE;

  diagnoses = cr_visit_get_diagnoses (previous);
  for (guint i = 0; i < g_list_model_get_n_items (diagnoses); i++)
    {
      g_autoptr(CrDiagnosis) d = g_list_model_get_item (diagnoses, i);
      g_autofree char *code = cr_code_format (cr_diagnosis_get_system (d),
                                              cr_diagnosis_get_code (d));
      g_autofree char *title = NULL;
      gboolean elsewhere;
      CrOutcome *here = find_outcome (outcomes, cr_diagnosis_get_id (d), 0, visit_id, &elsewhere);
      Item *item;

      if (here == NULL && elsewhere)
        continue;
      item = g_new0 (Item, 1);
      item->diagnosis_id = cr_diagnosis_get_id (d);
      item->result = here ? (int) cr_outcome_get_result (here) : -1;
      item->outcome_id = here ? cr_outcome_get_id (here) : 0;
      item->note = here ? g_strdup (cr_outcome_get_note (here)) : NULL;
      title = code && *code ? g_strdup_printf ("%s %s", code, cr_diagnosis_get_display (d))
                            : g_strdup (cr_diagnosis_get_display (d));
      add_item (self, item, title, _("Diagnosis"));
    }

  for (guint i = 0; i < prescriptions->len; i++)
    {
      CrPrescription *rx = g_ptr_array_index (prescriptions, i);
      g_autofree char *title = cr_prescription_dup_label (rx);
      g_autofree char *detail = NULL;
      gboolean elsewhere;
      CrOutcome *here = find_outcome (outcomes, 0, cr_prescription_get_id (rx), visit_id, &elsewhere);
      Item *item;

      if (here == NULL && elsewhere)
        continue;
      item = g_new0 (Item, 1);
      item->prescription_id = cr_prescription_get_id (rx);
      item->result = here ? (int) cr_outcome_get_result (here) : -1;
      item->outcome_id = here ? cr_outcome_get_id (here) : 0;
      item->note = here ? g_strdup (cr_outcome_get_note (here)) : NULL;
      if (cr_prescription_get_frequency (rx) != NULL)
        /* Translators: a prescription, then how often it is taken */
        detail = g_strdup_printf (_("Prescription · %s"), cr_prescription_get_frequency (rx));
      else
        detail = g_strdup (_("Prescription"));
      add_item (self, item, title, detail);
    }

  if (self->items->len == 0)
    return TRUE;

  when = format_date (cr_visit_get_started_at (previous));
  if (cr_visit_get_chief_complaint (previous) != NULL)
    /* Translators: %s is a date, then the visit's chief complaint */
    subtitle = g_strdup_printf (_("From the visit on %s: %s"), when,
                                cr_visit_get_chief_complaint (previous));
  else
    /* Translators: %s is a date */
    subtitle = g_strdup_printf (_("From the visit on %s"), when);
  gtk_label_set_label (self->subtitle_label, subtitle);
  gtk_widget_set_visible (GTK_WIDGET (self), TRUE);
  return TRUE;
}

guint
cr_outcome_step_get_n_items (CrOutcomeStep *self)
{
  g_return_val_if_fail (CR_IS_OUTCOME_STEP (self), 0);
  return self->items->len;
}

guint
cr_outcome_step_get_n_recorded (CrOutcomeStep *self)
{
  guint n = 0;

  g_return_val_if_fail (CR_IS_OUTCOME_STEP (self), 0);

  for (guint i = 0; i < self->items->len; i++)
    if (((Item *) g_ptr_array_index (self->items, i))->result >= 0)
      n++;
  return n;
}

/**
 * cr_outcome_step_record:
 * @index: the row, from the top
 * @note: (nullable): details
 *
 * What a click on one of the row's buttons does.
 */
gboolean
cr_outcome_step_record (CrOutcomeStep    *self,
                        guint             index,
                        CrOutcomeResult   result,
                        const char       *note,
                        GError          **error)
{
  Item *item;

  g_return_val_if_fail (CR_IS_OUTCOME_STEP (self), FALSE);
  g_return_val_if_fail (index < self->items->len, FALSE);

  item = g_ptr_array_index (self->items, index);
  if (note != NULL)
    gtk_editable_set_text (GTK_EDITABLE (item->note_entry), note);
  return record_item (self, item, result,
                      gtk_editable_get_text (GTK_EDITABLE (item->note_entry)), error);
}
