/* cr-allergy-editor.c: a small dialog to record an allergy
 *
 * Substance (required), reaction and severity. A refusal from the store
 * shows beside the field and the window stays open. ::saved carries a line
 * for a toast.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cr-allergy-editor"

#include "config.h"

#include <glib/gi18n.h>

#include "cr-allergy-editor.h"
#include "cr-chart.h"

struct _CrAllergyEditor
{
  AdwWindow    parent_instance;

  CrStore     *store;
  gint64       patient_id;

  AdwEntryRow *substance_row;
  AdwEntryRow *reaction_row;
  AdwComboRow *severity_row;
  GtkLabel    *error_label;
};

enum {
  SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (CrAllergyEditor, cr_allergy_editor, ADW_TYPE_WINDOW)

/* The combo's rows, in the order of the template's string list. */
static const CrAllergySeverity severities[] = {
  CR_ALLERGY_SEVERITY_UNKNOWN,
  CR_ALLERGY_SEVERITY_MILD,
  CR_ALLERGY_SEVERITY_MODERATE,
  CR_ALLERGY_SEVERITY_SEVERE,
};

static void
show_error (CrAllergyEditor *self,
            GtkWidget       *row,
            const char      *message)
{
  gtk_label_set_label (self->error_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
  gtk_widget_add_css_class (row, "error");
  gtk_widget_grab_focus (row);
}

static void
editor_save (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CrAllergyEditor *self = CR_ALLERGY_EDITOR (widget);
  g_autofree char *substance = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->substance_row))));
  g_autofree char *reaction = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->reaction_row))));
  guint selected = adw_combo_row_get_selected (self->severity_row);
  CrAllergySeverity severity = selected < G_N_ELEMENTS (severities) ? severities[selected]
                                                                     : CR_ALLERGY_SEVERITY_UNKNOWN;
  g_autofree char *message = NULL;
  g_autoptr(GError) error = NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  gtk_widget_remove_css_class (GTK_WIDGET (self->substance_row), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->reaction_row), "error");

  if (*substance == '\0')
    {
      show_error (self, GTK_WIDGET (self->substance_row),
                  _("Enter what the patient is allergic to."));
      return;
    }
  if (cr_store_add_allergy (self->store, self->patient_id, substance,
                            *reaction ? reaction : NULL, severity, &error) == 0)
    {
      GtkWidget *row = g_error_matches (error, CR_CHART_ERROR, CR_CHART_ERROR_REACTION)
                       ? GTK_WIDGET (self->reaction_row) : GTK_WIDGET (self->substance_row);

      show_error (self, row, error->message);
      return;
    }

  /* Translators: %s is what the patient is allergic to */
  message = g_strdup_printf (_("Recorded allergy to %s"), substance);
  g_signal_emit (self, signals[SAVED], 0, message);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
on_entry_activated (CrAllergyEditor *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "editor.save", NULL);
}

static void
cr_allergy_editor_dispose (GObject *object)
{
  CrAllergyEditor *self = (CrAllergyEditor *)object;

  g_clear_object (&self->store);

  G_OBJECT_CLASS (cr_allergy_editor_parent_class)->dispose (object);
}

static void
cr_allergy_editor_class_init (CrAllergyEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cr_allergy_editor_dispose;

  signals[SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/chartroom/Chartroom/cr-allergy-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, CrAllergyEditor, substance_row);
  gtk_widget_class_bind_template_child (widget_class, CrAllergyEditor, reaction_row);
  gtk_widget_class_bind_template_child (widget_class, CrAllergyEditor, severity_row);
  gtk_widget_class_bind_template_child (widget_class, CrAllergyEditor, error_label);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_activated);

  gtk_widget_class_install_action (widget_class, "editor.save", NULL, editor_save);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK,
                                       "editor.save", NULL);
}

static void
cr_allergy_editor_init (CrAllergyEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * cr_allergy_editor_new:
 * @parent: (nullable): the window it belongs to
 *
 * Returns: (transfer none): a new dialog, to present
 */
GtkWidget *
cr_allergy_editor_new (GtkWindow *parent,
                       CrStore   *store,
                       gint64     patient_id)
{
  CrAllergyEditor *self;

  g_return_val_if_fail (CR_IS_STORE (store), NULL);

  self = g_object_new (CR_TYPE_ALLERGY_EDITOR,
                       "transient-for", parent,
                       "modal", TRUE,
                       NULL);
  self->store = g_object_ref (store);
  self->patient_id = patient_id;
  return GTK_WIDGET (self);
}
