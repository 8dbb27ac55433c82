/* cr-audit-window.c: a patient's access history, or the practice's audit
 * trail with its integrity check
 *
 * With a patient, the window lists who opened, changed, signed, exported
 * or printed that chart. Without one it is the administrator's view of the
 * whole trail, and "Verify" walks the hash chain of every entry in a
 * worker thread, then says plainly whether the trail is intact.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cr-audit-window"

#include "config.h"

#include <glib/gi18n.h>

#include "chartroom-resources.h"
#include "cr-access-history.h"
#include "cr-audit-window.h"
#include "cr-audit.h"

struct _CrAuditWindow
{
  AdwWindow        parent_instance;

  CrStore         *store;
  CrPatient       *patient;
  GCancellable    *cancellable;         /* verifying, cancelled in dispose */

  AdwWindowTitle  *window_title;
  GtkWidget       *verify_button;
  GtkSpinner      *verify_spinner;
  GtkRevealer     *result_revealer;
  GtkWidget       *result_box;
  GtkImage        *result_icon;
  GtkLabel        *result_title;
  GtkLabel        *result_detail;
  CrAccessHistory *history;
};

enum {
  PROP_0,
  PROP_STORE,
  PROP_PATIENT,
  PROP_VERIFYING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (CrAuditWindow, cr_audit_window, ADW_TYPE_WINDOW)

typedef struct
{
  gboolean intact;
  gint64   n_entries;
  gint64   broken_id;
} VerifyResult;

static void
verify_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  CrStore *store = task_data;
  g_autoptr(GError) error = NULL;
  VerifyResult *result = g_new0 (VerifyResult, 1);

  result->intact = cr_store_verify_audit (store, &result->n_entries, &result->broken_id, &error);
  if (error != NULL)
    {
      g_free (result);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_pointer (task, result, g_free);
}

static void
show_result (CrAuditWindow *self,
             gboolean       intact,
             const char    *title,
             const char    *detail)
{
  gtk_image_set_from_icon_name (self->result_icon,
                                intact ? "emblem-ok-symbolic" : "dialog-warning-symbolic");
  gtk_label_set_label (self->result_title, title);
  gtk_label_set_label (self->result_detail, detail);
  gtk_widget_set_visible (GTK_WIDGET (self->result_detail), detail != NULL);
  if (intact)
    {
      gtk_widget_remove_css_class (self->result_box, "cr-audit-broken");
      gtk_widget_add_css_class (self->result_box, "cr-audit-intact");
    }
  else
    {
      gtk_widget_remove_css_class (self->result_box, "cr-audit-intact");
      gtk_widget_add_css_class (self->result_box, "cr-audit-broken");
    }
  gtk_revealer_set_reveal_child (self->result_revealer, TRUE);
}

static void
set_verifying (CrAuditWindow *self,
               gboolean       verifying)
{
  gtk_widget_set_visible (GTK_WIDGET (self->verify_spinner), verifying);
  if (verifying)
    gtk_spinner_start (self->verify_spinner);
  else
    gtk_spinner_stop (self->verify_spinner);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "audit.verify",
                                 !verifying && self->store != NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VERIFYING]);
}

static void
verify_done (GObject      *source,
             GAsyncResult *res,
             gpointer      user_data)
{
  CrAuditWindow *self = CR_AUDIT_WINDOW (source);
  GTask *task = G_TASK (res);
  g_autoptr(GError) error = NULL;
  g_autofree VerifyResult *result = g_task_propagate_pointer (task, &error);

  if (g_task_get_cancellable (task) != self->cancellable)
    return;
  g_clear_object (&self->cancellable);
  set_verifying (self, FALSE);

  if (result == NULL)
    {
      show_result (self, FALSE, _("The audit trail could not be checked"), error->message);
      return;
    }

  if (result->intact)
    {
      g_autofree char *count = g_strdup_printf ("%'" G_GINT64_FORMAT, result->n_entries);
      g_autofree char *title = NULL;

      title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "The entry is intact",
                                            "All %s entries are intact",
                                            (gulong) result->n_entries),
                               count);
      show_result (self, TRUE, title,
                   _("Each entry matches the one before it: nothing was altered or removed."));
    }
  else
    {
      g_autofree char *title = NULL;

      if (result->broken_id > 0)
        {
          g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, result->broken_id);

          /* Translators: %s is the entry's number in the trail */
          title = g_strdup_printf (_("Entry %s has been altered or removed"), id);
        }
      else
        title = g_strdup (_("An entry has been altered or removed"));
      show_result (self, FALSE, title,
                   _("The audit trail was changed outside Chartroom. Keep this database as it "
                     "is and tell the practice’s administrator."));
    }
}

/**
 * cr_audit_window_verify:
 *
 * Checks the whole trail's hash chain in a worker thread and shows the
 * outcome at the top of the window. This is what "Verify" does.
 */
void
cr_audit_window_verify (CrAuditWindow *self)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (CR_IS_AUDIT_WINDOW (self));

  if (self->store == NULL || self->cancellable != NULL)
    return;

  self->cancellable = g_cancellable_new ();
  gtk_revealer_set_reveal_child (self->result_revealer, FALSE);
  set_verifying (self, TRUE);

  /* Show the trail as it is now, altered entries included. */
  cr_access_history_load (self->history, self->store,
                          self->patient ? cr_patient_get_id (self->patient) : 0);

  task = g_task_new (self, self->cancellable, verify_done, NULL);
  g_task_set_source_tag (task, cr_audit_window_verify);
  g_task_set_task_data (task, g_object_ref (self->store), g_object_unref);
  g_task_run_in_thread (task, verify_thread);
}

gboolean
cr_audit_window_get_verifying (CrAuditWindow *self)
{
  g_return_val_if_fail (CR_IS_AUDIT_WINDOW (self), FALSE);
  return self->cancellable != NULL;
}

/**
 * cr_audit_window_get_history:
 *
 * Returns: (transfer none): the #CrAccessHistory table
 */
GtkWidget *
cr_audit_window_get_history (CrAuditWindow *self)
{
  g_return_val_if_fail (CR_IS_AUDIT_WINDOW (self), NULL);
  return GTK_WIDGET (self->history);
}

static void
audit_verify (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  cr_audit_window_verify (CR_AUDIT_WINDOW (widget));
}

static void
cr_audit_window_constructed (GObject *object)
{
  CrAuditWindow *self = CR_AUDIT_WINDOW (object);

  G_OBJECT_CLASS (cr_audit_window_parent_class)->constructed (object);

  if (self->patient != NULL)
    {
      g_autofree char *name = cr_patient_dup_display_name (self->patient);
      g_autofree char *subtitle = g_strdup_printf ("%s · %s", name,
                                                   cr_patient_get_record_number (self->patient));

      gtk_window_set_title (GTK_WINDOW (self), _("Access History"));
      adw_window_title_set_title (self->window_title, _("Access History"));
      adw_window_title_set_subtitle (self->window_title, subtitle);
    }
  else
    {
      g_autofree char *practice = self->store ? cr_store_dup_practice_name (self->store) : NULL;

      gtk_window_set_title (GTK_WINDOW (self), _("Audit Trail"));
      adw_window_title_set_title (self->window_title, _("Audit Trail"));
      adw_window_title_set_subtitle (self->window_title, practice);
    }
  gtk_widget_set_visible (self->verify_button, self->patient == NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "audit.verify", self->store != NULL);

  if (self->store != NULL)
    cr_access_history_load (self->history, self->store,
                            self->patient ? cr_patient_get_id (self->patient) : 0);
}

static void
cr_audit_window_dispose (GObject *object)
{
  CrAuditWindow *self = CR_AUDIT_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), CR_TYPE_AUDIT_WINDOW);
  g_clear_object (&self->patient);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (cr_audit_window_parent_class)->dispose (object);
}

static void
cr_audit_window_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  CrAuditWindow *self = CR_AUDIT_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_PATIENT:
      g_value_set_object (value, self->patient);
      break;
    case PROP_VERIFYING:
      g_value_set_boolean (value, self->cancellable != NULL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cr_audit_window_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  CrAuditWindow *self = CR_AUDIT_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_set_object (&self->store, g_value_get_object (value));
      break;
    case PROP_PATIENT:
      g_set_object (&self->patient, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cr_audit_window_class_init (CrAuditWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = cr_audit_window_constructed;
  object_class->dispose = cr_audit_window_dispose;
  object_class->get_property = cr_audit_window_get_property;
  object_class->set_property = cr_audit_window_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, CR_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * CrAuditWindow:patient:
   *
   * The patient whose access history to show, or %NULL for the whole trail.
   */
  properties[PROP_PATIENT] =
    g_param_spec_object ("patient", NULL, NULL, CR_TYPE_PATIENT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_VERIFYING] =
    g_param_spec_boolean ("verifying", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (CR_TYPE_ACCESS_HISTORY);

  (void) chartroom_get_resource ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/chartroom/Chartroom/cr-audit-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CrAuditWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, CrAuditWindow, verify_button);
  gtk_widget_class_bind_template_child (widget_class, CrAuditWindow, verify_spinner);
  gtk_widget_class_bind_template_child (widget_class, CrAuditWindow, result_revealer);
  gtk_widget_class_bind_template_child (widget_class, CrAuditWindow, result_box);
  gtk_widget_class_bind_template_child (widget_class, CrAuditWindow, result_icon);
  gtk_widget_class_bind_template_child (widget_class, CrAuditWindow, result_title);
  gtk_widget_class_bind_template_child (widget_class, CrAuditWindow, result_detail);
  gtk_widget_class_bind_template_child (widget_class, CrAuditWindow, history);

  gtk_widget_class_install_action (widget_class, "audit.verify", NULL, audit_verify);
}

static void
cr_audit_window_init (CrAuditWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * cr_audit_window_new:
 * @parent: (nullable): the main window
 * @store: the open practice
 * @patient: (nullable): whose access history to show; %NULL for the whole
 *   practice's audit trail, with "Verify"
 */
GtkWidget *
cr_audit_window_new (GtkWindow *parent,
                     CrStore   *store,
                     CrPatient *patient)
{
  g_return_val_if_fail (CR_IS_STORE (store), NULL);
  g_return_val_if_fail (patient == NULL || CR_IS_PATIENT (patient), NULL);

  return g_object_new (CR_TYPE_AUDIT_WINDOW,
                       "transient-for", parent,
                       "store", store,
                       "patient", patient,
                       NULL);
}
