/* cr-main-view.c: the patient list beside the open chart
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cr-main-view"

#include "config.h"

#include <glib/gi18n.h>

#include "cr-chart-page.h"
#include "cr-main-view.h"
#include "cr-patient-editor.h"
#include "cr-patient-sidebar.h"
#include "cr-patients.h"

struct _CrMainView
{
  AdwBin            parent_instance;

  CrStore          *store;
  CrPatient        *patient;
  GCancellable     *cancellable;

  AdwLeaflet       *leaflet;
  CrPatientSidebar *sidebar;
  GtkStack         *content_stack;
  CrChartPage      *chart_page;
};

enum {
  PROP_0,
  PROP_STORE,
  PROP_PATIENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (CrMainView, cr_main_view, ADW_TYPE_BIN)

static void
note_viewed_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  CrStore *store = task_data;
  g_autoptr(GError) error = NULL;
  gint64 id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (task), "patient-id"));

  if (cr_store_note_chart_viewed (store, id, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

static void
note_viewed_done (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("Could not record the chart view in the audit trail: %s", error->message);
}

/* The audit trail records every chart opened: one small transaction, run
 * off the main loop so that opening never waits for the disk. */
static void
note_viewed_async (CrMainView *self,
                   CrPatient  *patient)
{
  g_autoptr(GTask) task = g_task_new (self, self->cancellable, note_viewed_done, NULL);

  g_task_set_source_tag (task, note_viewed_async);
  g_task_set_task_data (task, g_object_ref (self->store), g_object_unref);
  g_object_set_data (G_OBJECT (task), "patient-id",
                     GSIZE_TO_POINTER ((gsize) cr_patient_get_id (patient)));
  g_task_run_in_thread (task, note_viewed_thread);
}

static void
update_actions (CrMainView *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "main.new-patient", self->store != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "main.edit-patient",
                                 self->store != NULL && self->patient != NULL);
}

/**
 * cr_main_view_open_patient:
 * @patient: (nullable): the patient whose chart to show, or %NULL to close it
 */
void
cr_main_view_open_patient (CrMainView *self,
                           CrPatient  *patient)
{
  gboolean same;

  g_return_if_fail (CR_IS_MAIN_VIEW (self));
  g_return_if_fail (patient == NULL || CR_IS_PATIENT (patient));

  same = self->patient != NULL && patient != NULL &&
         cr_patient_get_id (self->patient) == cr_patient_get_id (patient);

  if (g_set_object (&self->patient, patient))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PATIENT]);

  cr_chart_page_set_patient (self->chart_page, patient);
  cr_patient_sidebar_set_current (self->sidebar, patient);
  gtk_stack_set_visible_child_name (self->content_stack, patient ? "chart" : "empty");
  update_actions (self);

  if (patient != NULL)
    {
      adw_leaflet_set_visible_child (self->leaflet, GTK_WIDGET (self->content_stack));
      if (!same && self->store != NULL)
        note_viewed_async (self, patient);
    }
}

static void
on_patient_activated (CrMainView       *self,
                      CrPatient        *patient,
                      CrPatientSidebar *sidebar)
{
  cr_main_view_open_patient (self, patient);
}

static void
on_editor_saved (CrMainView      *self,
                 CrPatient       *patient,
                 CrPatientEditor *editor)
{
  cr_main_view_open_patient (self, patient);
  cr_patient_sidebar_refresh (self->sidebar);
}

static void
on_editor_open_patient (CrMainView      *self,
                        CrPatient       *patient,
                        CrPatientEditor *editor)
{
  cr_main_view_open_patient (self, patient);
}

static void
show_editor (CrMainView *self,
             CrPatient  *patient)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *editor;

  if (self->store == NULL)
    return;

  editor = cr_patient_editor_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                  self->store, patient);
  g_signal_connect_object (editor, "saved", G_CALLBACK (on_editor_saved),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (editor, "open-patient", G_CALLBACK (on_editor_open_patient),
                           self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (editor));
}

static void
main_search (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CrMainView *self = CR_MAIN_VIEW (widget);

  adw_leaflet_set_visible_child (self->leaflet, GTK_WIDGET (self->sidebar));
  cr_patient_sidebar_focus_search (self->sidebar);
}

static void
main_new_patient (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  show_editor (CR_MAIN_VIEW (widget), NULL);
}

static void
main_edit_patient (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  CrMainView *self = CR_MAIN_VIEW (widget);

  if (self->patient != NULL)
    show_editor (self, self->patient);
}

static void
main_back (GtkWidget  *widget,
           const char *action_name,
           GVariant   *parameter)
{
  CrMainView *self = CR_MAIN_VIEW (widget);

  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
  if (adw_leaflet_get_visible_child (self->leaflet) == GTK_WIDGET (self->sidebar))
    cr_patient_sidebar_focus_search (self->sidebar);
}

static void
cr_main_view_map (GtkWidget *widget)
{
  CrMainView *self = CR_MAIN_VIEW (widget);

  GTK_WIDGET_CLASS (cr_main_view_parent_class)->map (widget);

  /* The front desk starts by typing a name. */
  if (self->patient == NULL)
    cr_patient_sidebar_focus_search (self->sidebar);
}

static void
cr_main_view_dispose (GObject *object)
{
  CrMainView *self = (CrMainView *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->patient);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (cr_main_view_parent_class)->dispose (object);
}

static void
cr_main_view_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  CrMainView *self = CR_MAIN_VIEW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_PATIENT:
      g_value_set_object (value, self->patient);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cr_main_view_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  CrMainView *self = CR_MAIN_VIEW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      cr_main_view_set_store (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cr_main_view_class_init (CrMainViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cr_main_view_dispose;
  object_class->get_property = cr_main_view_get_property;
  object_class->set_property = cr_main_view_set_property;
  widget_class->map = cr_main_view_map;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, CR_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PATIENT] =
    g_param_spec_object ("patient", NULL, NULL, CR_TYPE_PATIENT,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (CR_TYPE_PATIENT_SIDEBAR);
  g_type_ensure (CR_TYPE_CHART_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/chartroom/Chartroom/cr-main-view.ui");
  gtk_widget_class_bind_template_child (widget_class, CrMainView, leaflet);
  gtk_widget_class_bind_template_child (widget_class, CrMainView, sidebar);
  gtk_widget_class_bind_template_child (widget_class, CrMainView, content_stack);
  gtk_widget_class_bind_template_child (widget_class, CrMainView, chart_page);
  gtk_widget_class_bind_template_callback (widget_class, on_patient_activated);

  gtk_widget_class_install_action (widget_class, "main.search", NULL, main_search);
  gtk_widget_class_install_action (widget_class, "main.new-patient", NULL, main_new_patient);
  gtk_widget_class_install_action (widget_class, "main.edit-patient", NULL, main_edit_patient);
  gtk_widget_class_install_action (widget_class, "main.back", NULL, main_back);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "main.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_N, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "main.new-patient", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK,
                                       "main.edit-patient", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK,
                                       "main.back", NULL);
}

static void
cr_main_view_init (CrMainView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  update_actions (self);
}

GtkWidget *
cr_main_view_new (void)
{
  return g_object_new (CR_TYPE_MAIN_VIEW, NULL);
}

/**
 * cr_main_view_set_store:
 * @store: (nullable): the open practice, or %NULL once it is closed
 */
void
cr_main_view_set_store (CrMainView *self,
                        CrStore    *store)
{
  g_return_if_fail (CR_IS_MAIN_VIEW (self));
  g_return_if_fail (store == NULL || CR_IS_STORE (store));

  if (self->store == store)
    return;

  /* Nothing of the old practice may reach the new one. */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  g_set_object (&self->store, store);
  cr_main_view_open_patient (self, NULL);
  cr_patient_sidebar_set_store (self->sidebar, store);
  adw_leaflet_set_visible_child (self->leaflet, GTK_WIDGET (self->sidebar));
  update_actions (self);
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    cr_patient_sidebar_focus_search (self->sidebar);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
}

/**
 * cr_main_view_get_store:
 *
 * Returns: (transfer none) (nullable): the open practice
 */
/**
 * cr_main_view_get_sidebar:
 *
 * Returns: (transfer none): the patient list
 */
CrPatientSidebar *
cr_main_view_get_sidebar (CrMainView *self)
{
  g_return_val_if_fail (CR_IS_MAIN_VIEW (self), NULL);
  return self->sidebar;
}

CrStore *
cr_main_view_get_store (CrMainView *self)
{
  g_return_val_if_fail (CR_IS_MAIN_VIEW (self), NULL);
  return self->store;
}

/**
 * cr_main_view_get_patient:
 *
 * Returns: (transfer none) (nullable): the patient whose chart is open
 */
CrPatient *
cr_main_view_get_patient (CrMainView *self)
{
  g_return_val_if_fail (CR_IS_MAIN_VIEW (self), NULL);
  return self->patient;
}
