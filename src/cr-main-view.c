/* cr-main-view.c: the patient list beside the open chart
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cr-main-view"

#include "config.h"

#include <glib/gi18n.h>

#include "cr-audit-window.h"
#include "cr-chart-page.h"
#include "cr-chart.h"
#include "cr-drafts-window.h"
#include "cr-fhir-import-dialog.h"
#include "cr-inbox.h"
#include "cr-visit-editor.h"
#include "cr-main-view.h"
#include "cr-patient-editor.h"
#include "cr-patient-sidebar.h"
#include "cr-patients.h"
#include "cr-prescription-editor.h"
#include "cr-print.h"
#include "cr-statistics-window.h"

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
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "main.new-visit",
                                 self->store != NULL && self->patient != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "main.open-visit", self->store != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "main.drafts", self->store != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "main.edit-patient",
                                 self->store != NULL && self->patient != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "main.access-history",
                                 self->store != NULL && self->patient != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "main.audit-trail", self->store != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "main.import-records", self->store != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "main.export-record",
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

/* The open chart's access history, or (patient %NULL) the practice's
 * whole audit trail; both in a window of their own beside the chart. */
static void
show_audit_window (CrMainView *self,
                   CrPatient  *patient)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *window;

  if (self->store == NULL)
    return;

  window = cr_audit_window_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                self->store, patient);
  gtk_window_present (GTK_WINDOW (window));
}

static void
main_access_history (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  CrMainView *self = CR_MAIN_VIEW (widget);

  if (self->patient != NULL)
    show_audit_window (self, self->patient);
}

static void
main_audit_trail (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  show_audit_window (CR_MAIN_VIEW (widget), NULL);
}

/* ---- visit notes (cr-visit-editor.c) ---------------------------------- */

static CrVisitEditor *
find_visit_editor (gint64 visit_id)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (CR_IS_VISIT_EDITOR (window) &&
          cr_visit_editor_get_visit_id (CR_VISIT_EDITOR (window)) == visit_id)
        return CR_VISIT_EDITOR (window);
    }
  return NULL;
}

static gboolean
on_visit_editor_prescribe (CrMainView    *self,
                           gint64         visit_id,
                           CrVisitEditor *editor)
{
  CrPatient *patient = cr_visit_editor_get_patient (editor);

  /* The prescription form works on the open chart: make it this note's. */
  if (self->patient == NULL || cr_patient_get_id (self->patient) != cr_patient_get_id (patient))
    cr_main_view_open_patient (self, patient);
  return gtk_widget_activate_action (GTK_WIDGET (self), "main.prescribe", "x", visit_id);
}

static void
on_visit_editor_changed (CrMainView    *self,
                         gint64         visit_id,
                         CrVisitEditor *editor)
{
  CrPatient *patient = cr_visit_editor_get_patient (editor);

  if (self->patient != NULL && cr_patient_get_id (self->patient) == cr_patient_get_id (patient))
    cr_chart_page_reload (self->chart_page);
}

static void
show_visit_editor (CrMainView *self,
                   CrPatient  *patient,
                   CrVisit    *visit)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *editor;

  editor = cr_visit_editor_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                self->store, patient, visit);
  g_signal_connect_object (editor, "prescribe", G_CALLBACK (on_visit_editor_prescribe),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (editor, "visit-changed", G_CALLBACK (on_visit_editor_changed),
                           self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (editor));
}

static void
main_new_visit (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  CrMainView *self = CR_MAIN_VIEW (widget);

  if (self->store != NULL && self->patient != NULL)
    show_visit_editor (self, self->patient, NULL);
}

static void
open_visit (CrMainView *self,
            gint64      visit_id)
{
  g_autoptr(CrVisit) visit = NULL;
  g_autoptr(CrPatient) patient = NULL;
  g_autoptr(GError) error = NULL;
  CrVisitEditor *editor;

  if (self->store == NULL)
    return;
  if ((editor = find_visit_editor (visit_id)) != NULL)
    {
      gtk_window_present (GTK_WINDOW (editor));
      return;
    }

  /* One visit and its few rows: quick enough for a click. */
  visit = cr_store_get_visit (self->store, visit_id, &error);
  if (visit != NULL)
    patient = cr_store_get_patient (self->store, cr_visit_get_patient_id (visit), &error);
  if (patient == NULL)
    {
      g_warning ("Could not open visit %" G_GINT64_FORMAT ": %s", visit_id, error->message);
      return;
    }
  show_visit_editor (self, patient, visit);
}

static void
main_open_visit (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  open_visit (CR_MAIN_VIEW (widget), g_variant_get_int64 (parameter));
}

static void
on_open_draft (CrMainView     *self,
               CrPatient      *patient,
               gint64          visit_id,
               CrDraftsWindow *window)
{
  cr_main_view_open_patient (self, patient);
  open_visit (self, visit_id);
}

static void
main_drafts (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CrMainView *self = CR_MAIN_VIEW (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *window;

  if (self->store == NULL)
    return;
  window = cr_drafts_window_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, self->store);
  g_signal_connect_object (window, "open-draft", G_CALLBACK (on_open_draft),
                           self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (window));
}

/* Prescriptions and printing (cr-prescription-editor.c, cr-print.c).
 * main.prescribe takes a visit id: the prescription is written at that
 * draft visit, for its patient, starting on its date; 0 writes one for the
 * open patient without a visit. */
static void
on_prescription_saved (CrMainView           *self,
                       gint64                prescription_id,
                       CrPrescriptionEditor *editor)
{
  if (self->patient != NULL &&
      cr_patient_get_id (self->patient) == cr_prescription_editor_get_patient_id (editor))
    {
      cr_chart_page_reload (self->chart_page);
      cr_chart_page_add_toast (self->chart_page, _("Prescription saved"));
    }
}

static GtkWindow *
dialog_parent (CrMainView *self,
               gint64      visit_id)
{
  CrVisitEditor *editor = visit_id > 0 ? find_visit_editor (visit_id) : NULL;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  /* Over the visit's editor when it is open, so the form is not hidden. */
  if (editor != NULL && gtk_widget_get_visible (GTK_WIDGET (editor)))
    return GTK_WINDOW (editor);
  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

static void
main_prescribe (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  CrMainView *self = CR_MAIN_VIEW (widget);
  gint64 visit_id = g_variant_get_int64 (parameter);
  g_autoptr(GError) error = NULL;
  GtkWidget *editor;

  if (self->store == NULL || (visit_id <= 0 && self->patient == NULL))
    return;

  editor = cr_prescription_editor_new (dialog_parent (self, visit_id), self->store,
                                       self->patient ? cr_patient_get_id (self->patient) : 0,
                                       MAX (visit_id, 0), &error);
  if (editor == NULL)
    {
      g_warning ("Cannot write a prescription: %s", error->message);
      return;
    }
  g_signal_connect_object (editor, "saved", G_CALLBACK (on_prescription_saved),
                           self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (editor));
}

static void
main_print_visit (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  CrMainView *self = CR_MAIN_VIEW (widget);
  gint64 visit_id = g_variant_get_int64 (parameter);

  if (self->store != NULL && visit_id > 0)
    cr_print_visit_note (dialog_parent (self, visit_id), self->store, visit_id);
}

static void
main_print_prescription (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  CrMainView *self = CR_MAIN_VIEW (widget);
  gint64 prescription_id = g_variant_get_int64 (parameter);

  if (self->store != NULL && prescription_id > 0)
    cr_print_prescription (dialog_parent (self, 0), self->store, prescription_id);
}

/* Practice statistics (cr-statistics-window.c): a window of its own, so
 * that charts can be worked on beside it. */
static void
main_statistics (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  CrMainView *self = CR_MAIN_VIEW (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *window;

  if (self->store == NULL)
    return;
  window = cr_statistics_window_new (self->store);
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (window), GTK_WINDOW (root));
  gtk_window_present (GTK_WINDOW (window));
}

/* FHIR records in and out (cr-fhir-import-dialog.c). */
static void
main_import_records (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  CrMainView *self = CR_MAIN_VIEW (widget);
  GtkRoot *root = gtk_widget_get_root (widget);

  if (self->store != NULL)
    cr_fhir_choose_and_import (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, self->store,
                               self->sidebar);
}

static void
main_export_record (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  CrMainView *self = CR_MAIN_VIEW (widget);
  GtkRoot *root = gtk_widget_get_root (widget);

  if (self->store != NULL && self->patient != NULL)
    cr_fhir_choose_and_export (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, self->store,
                               self->patient);
}

/* The inbox and importing scans (cr-inbox.c, cr-import-documents.c). */
static void
main_inbox (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  CrMainView *self = CR_MAIN_VIEW (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  CrInbox *inbox;

  if (self->store == NULL)
    return;
  if ((inbox = cr_inbox_find (self->store)) == NULL)
    inbox = CR_INBOX (cr_inbox_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, self->store));
  gtk_window_present (GTK_WINDOW (inbox));
}

static void
main_import_documents (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  CrMainView *self = CR_MAIN_VIEW (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  CrInbox *inbox;

  if (self->store == NULL)
    return;
  /* Into the inbox, to be filed there; an open inbox shows them at once. */
  if ((inbox = cr_inbox_find (self->store)) != NULL)
    gtk_widget_activate_action (GTK_WIDGET (inbox), "inbox.import", NULL);
  else
    cr_import_documents_choose (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, self->store, 0);
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
  gtk_widget_class_install_action (widget_class, "main.new-visit", NULL, main_new_visit);
  gtk_widget_class_install_action (widget_class, "main.open-visit", "x", main_open_visit);
  gtk_widget_class_install_action (widget_class, "main.drafts", NULL, main_drafts);
  gtk_widget_class_install_action (widget_class, "main.access-history", NULL, main_access_history);
  gtk_widget_class_install_action (widget_class, "main.audit-trail", NULL, main_audit_trail);
  gtk_widget_class_install_action (widget_class, "main.import-records", NULL, main_import_records);
  gtk_widget_class_install_action (widget_class, "main.export-record", NULL, main_export_record);
  gtk_widget_class_install_action (widget_class, "main.statistics", NULL, main_statistics);
  gtk_widget_class_install_action (widget_class, "main.inbox", NULL, main_inbox);
  gtk_widget_class_install_action (widget_class, "main.import-documents", NULL, main_import_documents);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_i, GDK_CONTROL_MASK, "main.inbox", NULL);
  gtk_widget_class_install_action (widget_class, "main.prescribe", "x", main_prescribe);
  gtk_widget_class_install_action (widget_class, "main.print-visit", "x", main_print_visit);
  gtk_widget_class_install_action (widget_class, "main.print-prescription", "x",
                                   main_print_prescription);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "main.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_N, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "main.new-patient", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK,
                                       "main.edit-patient", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK,
                                       "main.back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK,
                                       "main.new-visit", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_h, GDK_CONTROL_MASK,
                                       "main.access-history", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_R, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "main.prescribe", "x", (gint64) 0);
}

static void
cr_main_view_init (CrMainView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  _cr_inbox_track_menu_count (GTK_WIDGET (self), GTK_WIDGET (self->sidebar));
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
