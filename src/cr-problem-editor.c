/* cr-problem-editor.c: a small dialog to add a problem to the list
 *
 * The condition is an ICD-10-CM code found as you type (words or code,
 * billable codes only), or free text when no code fits. The window stays
 * open with the message beside the field when the store refuses a value,
 * so nothing typed is lost. ::saved carries a line for a toast.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cr-problem-editor"

#include "config.h"

#include <glib/gi18n.h>

#include "cr-chart.h"
#include "cr-codes.h"
#include "cr-date.h"
#include "cr-problem-editor.h"

#define MAX_SUGGESTIONS 8
#define SEARCH_DELAY_MS 120

struct _CrProblemEditor
{
  AdwWindow     parent_instance;

  CrStore      *store;
  gint64        patient_id;
  CrCode       *code;
  guint         search_id;

  AdwEntryRow  *condition_row;
  GtkListBox   *suggestions_list;
  GtkLabel     *code_label;
  AdwEntryRow  *onset_row;
  GtkSwitch    *chronic_switch;
  GtkLabel     *error_label;
};

enum {
  SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (CrProblemEditor, cr_problem_editor, ADW_TYPE_WINDOW)

static void
show_error (CrProblemEditor *self,
            GtkWidget       *row,
            const char      *message)
{
  gtk_label_set_label (self->error_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
  if (row != NULL)
    {
      gtk_widget_add_css_class (row, "error");
      gtk_widget_grab_focus (row);
    }
}

static void
clear_error (CrProblemEditor *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  gtk_widget_remove_css_class (GTK_WIDGET (self->condition_row), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->onset_row), "error");
}

static void
update_code_label (CrProblemEditor *self)
{
  g_autofree char *text = NULL;
  const char *typed = gtk_editable_get_text (GTK_EDITABLE (self->condition_row));

  if (self->code != NULL)
    /* Translators: %s is an ICD-10-CM code, "E11.9" */
    text = g_strdup_printf (_("ICD-10-CM %s"), cr_code_get_formatted_code (self->code));
  else if (*typed != '\0')
    text = g_strdup (_("No code chosen: saved as free text. Pick a suggestion to code it."));
  else
    text = g_strdup (_("Type words or a code to search ICD-10-CM."));
  gtk_label_set_label (self->code_label, text);
}

static void
clear_suggestions (CrProblemEditor *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->suggestions_list))) != NULL)
    gtk_list_box_remove (self->suggestions_list, child);
  gtk_widget_set_visible (GTK_WIDGET (self->suggestions_list), FALSE);
}

static void
choose_code (CrProblemEditor *self,
             CrCode          *code)
{
  g_set_object (&self->code, code);
  g_signal_handlers_block_matched (self->condition_row, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);
  gtk_editable_set_text (GTK_EDITABLE (self->condition_row), cr_code_get_display (code));
  gtk_editable_set_position (GTK_EDITABLE (self->condition_row), -1);
  g_signal_handlers_unblock_matched (self->condition_row, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);
  clear_suggestions (self);
  update_code_label (self);
}

static gboolean
search_codes (gpointer user_data)
{
  CrProblemEditor *self = user_data;
  g_autoptr(GPtrArray) codes = NULL;
  g_autoptr(GError) error = NULL;
  guint shown = 0;

  self->search_id = 0;
  clear_suggestions (self);

  codes = cr_store_search_codes (self->store, gtk_editable_get_text (GTK_EDITABLE (self->condition_row)),
                                 MAX_SUGGESTIONS * 3, NULL, &error);
  if (codes == NULL)
    {
      show_error (self, NULL, error->message);
      return G_SOURCE_REMOVE;
    }

  for (guint i = 0; i < codes->len && shown < MAX_SUGGESTIONS; i++)
    {
      CrCode *code = g_ptr_array_index (codes, i);
      GtkWidget *row;
      GtkWidget *label;

      /* A category cannot be assigned: offer only billable codes. */
      if (!cr_code_get_billable (code))
        continue;

      row = adw_action_row_new ();
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), cr_code_get_display (code));
      adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 2);
      label = gtk_label_new (cr_code_get_formatted_code (code));
      gtk_label_set_width_chars (GTK_LABEL (label), 8);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_widget_add_css_class (label, "numeric");
      gtk_widget_add_css_class (label, "heading");
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), label);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      g_object_set_data_full (G_OBJECT (row), "cr-code", g_object_ref (code), g_object_unref);
      gtk_list_box_append (self->suggestions_list, row);
      shown++;
    }
  gtk_widget_set_visible (GTK_WIDGET (self->suggestions_list), shown > 0);
  return G_SOURCE_REMOVE;
}

static void
on_condition_changed (CrProblemEditor *self)
{
  /* Typing again undoes a chosen code: what is saved is what is shown. */
  g_clear_object (&self->code);
  clear_error (self);
  update_code_label (self);
  g_clear_handle_id (&self->search_id, g_source_remove);
  self->search_id = g_timeout_add (SEARCH_DELAY_MS, search_codes, self);
}

static void
on_suggestion_activated (CrProblemEditor *self,
                         GtkListBoxRow   *row)
{
  choose_code (self, g_object_get_data (G_OBJECT (row), "cr-code"));
  gtk_widget_grab_focus (GTK_WIDGET (self->onset_row));
}

/* Enter in the condition takes the first suggestion, then moves on. */
static void
on_condition_activated (CrProblemEditor *self)
{
  GtkListBoxRow *first;

  if (self->search_id != 0)
    {
      g_clear_handle_id (&self->search_id, g_source_remove);
      search_codes (self);
    }
  first = gtk_list_box_get_row_at_index (self->suggestions_list, 0);
  if (self->code == NULL && first != NULL && gtk_widget_get_visible (GTK_WIDGET (self->suggestions_list)))
    on_suggestion_activated (self, first);
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->onset_row));
}

static void
editor_save (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CrProblemEditor *self = CR_PROBLEM_EDITOR (widget);
  g_autofree char *display = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->condition_row))));
  g_autofree char *onset_text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->onset_row))));
  g_autofree char *onset = NULL;
  g_autofree char *message = NULL;
  g_autoptr(GError) error = NULL;
  gboolean chronic = gtk_switch_get_active (self->chronic_switch);
  gint64 id;

  clear_error (self);
  if (*display == '\0')
    {
      show_error (self, GTK_WIDGET (self->condition_row), _("Enter the condition."));
      return;
    }
  if (*onset_text != '\0')
    {
      GDate date;

      if (!cr_date_parse (onset_text, &date, &error))
        {
          show_error (self, GTK_WIDGET (self->onset_row), error->message);
          return;
        }
      onset = cr_date_to_iso (&date);
    }

  if (self->code != NULL)
    id = cr_store_add_problem (self->store, self->patient_id, CR_SYSTEM_ICD10CM,
                               cr_code_get_code (self->code), cr_code_get_display (self->code),
                               onset, chronic, &error);
  else
    id = cr_store_add_problem (self->store, self->patient_id, CR_SYSTEM_TEXT, NULL, display,
                               onset, chronic, &error);
  if (id == 0)
    {
      GtkWidget *row = g_error_matches (error, CR_CHART_ERROR, CR_CHART_ERROR_ONSET_DATE)
                       ? GTK_WIDGET (self->onset_row) : GTK_WIDGET (self->condition_row);

      show_error (self, row, error->message);
      return;
    }

  if (self->code != NULL)
    /* Translators: a coded problem was added, "Added E11.9 Type 2 diabetes…" */
    message = g_strdup_printf (_("Added %s %s"), cr_code_get_formatted_code (self->code),
                               cr_code_get_display (self->code));
  else
    /* Translators: a problem was added */
    message = g_strdup_printf (_("Added %s"), display);
  g_signal_emit (self, signals[SAVED], 0, message);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
on_onset_activated (CrProblemEditor *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "editor.save", NULL);
}

static void
cr_problem_editor_dispose (GObject *object)
{
  CrProblemEditor *self = (CrProblemEditor *)object;

  g_clear_handle_id (&self->search_id, g_source_remove);
  g_clear_object (&self->code);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (cr_problem_editor_parent_class)->dispose (object);
}

static void
cr_problem_editor_class_init (CrProblemEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cr_problem_editor_dispose;

  /* Added: a line saying what, for a toast. */
  signals[SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/chartroom/Chartroom/cr-problem-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, CrProblemEditor, condition_row);
  gtk_widget_class_bind_template_child (widget_class, CrProblemEditor, suggestions_list);
  gtk_widget_class_bind_template_child (widget_class, CrProblemEditor, code_label);
  gtk_widget_class_bind_template_child (widget_class, CrProblemEditor, onset_row);
  gtk_widget_class_bind_template_child (widget_class, CrProblemEditor, chronic_switch);
  gtk_widget_class_bind_template_child (widget_class, CrProblemEditor, error_label);
  gtk_widget_class_bind_template_callback (widget_class, on_condition_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_condition_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_suggestion_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_onset_activated);

  gtk_widget_class_install_action (widget_class, "editor.save", NULL, editor_save);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK,
                                       "editor.save", NULL);
}

static void
cr_problem_editor_init (CrProblemEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  update_code_label (self);
}

/**
 * cr_problem_editor_new:
 * @parent: (nullable): the window it belongs to
 *
 * Returns: (transfer none): a new dialog, to present
 */
GtkWidget *
cr_problem_editor_new (GtkWindow *parent,
                       CrStore   *store,
                       gint64     patient_id)
{
  CrProblemEditor *self;

  g_return_val_if_fail (CR_IS_STORE (store), NULL);

  self = g_object_new (CR_TYPE_PROBLEM_EDITOR,
                       "transient-for", parent,
                       "modal", TRUE,
                       NULL);
  self->store = g_object_ref (store);
  self->patient_id = patient_id;
  return GTK_WIDGET (self);
}
