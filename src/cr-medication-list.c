/* cr-medication-list.c: a chart's current and past medications
 *
 * Each current drug can be stopped (with a reason, kept on the record) or
 * renewed; past drugs show when and why they stopped. Every change emits
 * ::changed so that the chart reloads; a refusal from the store is shown
 * as a toast (::toast) and, for a stop, the dialog comes back with the
 * reason that was typed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cr-medication-list"

#include "config.h"

#include <glib/gi18n.h>

#include "cr-chart-format.h"
#include "cr-medication-list.h"

struct _CrMedicationList
{
  AdwBin      parent_instance;

  CrStore    *store;
  GListModel *current;
  GListModel *past;

  GtkListBox *current_list;
  GtkListBox *past_list;
};

enum {
  CHANGED,
  TOAST,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (CrMedicationList, cr_medication_list, ADW_TYPE_BIN)

static CrPrescription *
find_prescription (CrMedicationList *self,
                   gint64            id)
{
  guint n = self->current ? g_list_model_get_n_items (self->current) : 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CrPrescription) rx = g_list_model_get_item (self->current, i);

      if (cr_prescription_get_id (rx) == id)
        return g_steal_pointer (&rx);
    }
  return NULL;
}

static GtkWidget *
create_current_row (gpointer item,
                    gpointer user_data)
{
  CrPrescription *rx = item;
  GtkWidget *row = _cr_chart_medication_row_new (rx);
  GtkWidget *stop = gtk_button_new_with_mnemonic (_("_Stop…"));
  GtkWidget *renew = gtk_button_new_with_mnemonic (_("_Renew"));
  g_autofree char *label = cr_prescription_dup_label (rx);
  g_autofree char *stop_tip = NULL;
  g_autofree char *renew_tip = NULL;

  /* Translators: %s is a drug, "Metformin 500 mg tablet" */
  stop_tip = g_strdup_printf (_("Stop %s"), label);
  /* Translators: %s is a drug, "Metformin 500 mg tablet" */
  renew_tip = g_strdup_printf (_("Renew %s from today"), label);

  for (guint i = 0; i < 2; i++)
    {
      GtkWidget *button = i == 0 ? renew : stop;

      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "x", cr_prescription_get_id (rx));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
    }
  gtk_actionable_set_action_name (GTK_ACTIONABLE (stop), "medications.stop");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (renew), "medications.renew");
  gtk_widget_set_tooltip_text (stop, stop_tip);
  gtk_widget_set_tooltip_text (renew, renew_tip);
  return row;
}

static GtkWidget *
create_past_row (gpointer item,
                 gpointer user_data)
{
  GtkWidget *row = _cr_chart_medication_row_new (item);

  gtk_widget_add_css_class (row, "cr-past");
  return row;
}

static void
toast (CrMedicationList *self,
       const char       *text)
{
  g_signal_emit (self, signals[TOAST], 0, text);
}

static void show_stop_dialog (CrMedicationList *self,
                              CrPrescription   *rx,
                              const char       *reason,
                              const char       *problem);

static void
on_stop_response (AdwMessageDialog *dialog,
                  const char       *response,
                  CrMedicationList *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrPrescription) rx = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *label = NULL;
  g_autofree char *text = NULL;
  gint64 id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (dialog), "cr-id"));

  if (g_strcmp0 (response, "stop") != 0 || self->store == NULL)
    return;
  rx = find_prescription (self, id);
  if (rx == NULL)
    return;

  reason = g_strstrip (g_strdup (_cr_chart_reason_dialog_get_reason (dialog)));
  label = cr_prescription_dup_label (rx);
  if (!cr_store_stop_prescription (self->store, id, NULL, reason, &error))
    {
      /* Ask again, with what was typed and why it was refused. */
      show_stop_dialog (self, rx, reason, error->message);
      return;
    }

  /* Translators: %s is a drug, "Metformin 500 mg tablet" */
  text = g_strdup_printf (_("Stopped %s"), label);
  toast (self, text);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
show_stop_dialog (CrMedicationList *self,
                  CrPrescription   *rx,
                  const char       *reason,
                  const char       *problem)
{
  g_autofree char *label = cr_prescription_dup_label (rx);
  g_autofree char *heading = NULL;
  AdwMessageDialog *dialog;

  /* Translators: %s is a drug, "Metformin 500 mg tablet" */
  heading = g_strdup_printf (_("Stop %s?"), label);
  dialog = _cr_chart_reason_dialog_new (GTK_WIDGET (self), heading,
                                        problem ? problem
                                                : _("It moves to the past medications, with the reason "
                                                    "you give here. It stops today."),
                                        "stop", _("_Stop Medication"), reason);
  g_object_set_data (G_OBJECT (dialog), "cr-id",
                     GSIZE_TO_POINTER ((gsize) cr_prescription_get_id (rx)));
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_stop_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
medications_stop (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  CrMedicationList *self = CR_MEDICATION_LIST (widget);
  g_autoptr(CrPrescription) rx = find_prescription (self, g_variant_get_int64 (parameter));

  if (rx != NULL)
    show_stop_dialog (self, rx, NULL, NULL);
}

static void
medications_renew (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  CrMedicationList *self = CR_MEDICATION_LIST (widget);
  g_autoptr(CrPrescription) rx = find_prescription (self, g_variant_get_int64 (parameter));
  g_autoptr(GError) error = NULL;
  g_autofree char *label = NULL;
  g_autofree char *text = NULL;

  if (rx == NULL || self->store == NULL)
    return;

  label = cr_prescription_dup_label (rx);
  if (cr_store_renew_prescription (self->store, cr_prescription_get_id (rx), 0, NULL, &error) == 0)
    {
      /* Translators: a drug, then why it could not be renewed */
      text = g_strdup_printf (_("Could not renew %s: %s"), label, error->message);
      toast (self, text);
      return;
    }

  /* Translators: %s is a drug, "Metformin 500 mg tablet" */
  text = g_strdup_printf (_("Renewed %s from today"), label);
  toast (self, text);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
cr_medication_list_dispose (GObject *object)
{
  CrMedicationList *self = (CrMedicationList *)object;

  g_clear_object (&self->store);
  g_clear_object (&self->current);
  g_clear_object (&self->past);

  G_OBJECT_CLASS (cr_medication_list_parent_class)->dispose (object);
}

static void
cr_medication_list_class_init (CrMedicationListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cr_medication_list_dispose;

  /* A prescription was stopped or renewed: the chart reads itself again. */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* A short message for the window: done, or why not. */
  signals[TOAST] = g_signal_new ("toast", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/chartroom/Chartroom/cr-medication-list.ui");
  gtk_widget_class_bind_template_child (widget_class, CrMedicationList, current_list);
  gtk_widget_class_bind_template_child (widget_class, CrMedicationList, past_list);

  gtk_widget_class_install_action (widget_class, "medications.stop", "x", medications_stop);
  gtk_widget_class_install_action (widget_class, "medications.renew", "x", medications_renew);
}

static void
cr_medication_list_init (CrMedicationList *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_list_box_set_placeholder (self->current_list,
                                _cr_chart_placeholder_new (_("No current medications")));
  gtk_list_box_set_placeholder (self->past_list,
                                _cr_chart_placeholder_new (_("No past medications")));
}

GtkWidget *
cr_medication_list_new (void)
{
  return g_object_new (CR_TYPE_MEDICATION_LIST, NULL);
}

/**
 * cr_medication_list_set_data:
 * @store: (nullable): the practice
 * @current: (nullable): current #CrPrescription rows
 * @past: (nullable): stopped #CrPrescription rows
 */
void
cr_medication_list_set_data (CrMedicationList *self,
                             CrStore          *store,
                             GListModel       *current,
                             GListModel       *past)
{
  g_return_if_fail (CR_IS_MEDICATION_LIST (self));

  g_set_object (&self->store, store);
  g_set_object (&self->current, current);
  g_set_object (&self->past, past);
  gtk_list_box_bind_model (self->current_list, current, current ? create_current_row : NULL,
                           NULL, NULL);
  gtk_list_box_bind_model (self->past_list, past, past ? create_past_row : NULL, NULL, NULL);
}
