/* cr-drafts-window.c: every unsigned note in the practice
 *
 * Newest first, each with its patient; activating one opens the patient's
 * chart and the draft (CrDraftsWindow::open-draft). Read on a worker
 * thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cr-drafts-window"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "cr-drafts-window.h"
#include "cr-drafts.h"
#include "cr-patients.h"

struct _CrDraftsWindow
{
  AdwWindow       parent_instance;

  CrStore        *store;
  GCancellable   *cancellable;
  gboolean        loading;
  guint           n_drafts;

  AdwWindowTitle *window_title;
  GtkStack       *stack;
  AdwStatusPage  *empty_page;
  GtkLabel       *summary_label;
  GtkListBox     *list;
};

enum {
  OPEN_DRAFT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (CrDraftsWindow, cr_drafts_window, ADW_TYPE_WINDOW)

/* Pairs: visit, its patient. */
static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  CrStore *store = task_data;
  g_autoptr(GPtrArray) visits = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) patients = g_hash_table_new_full (g_int64_hash, g_int64_equal,
                                                          g_free, g_object_unref);
  g_autoptr(GError) error = NULL;

  visits = cr_store_list_draft_visits (store, 0, &error);
  if (visits == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  for (guint i = 0; i < visits->len; i++)
    {
      CrVisit *visit = g_ptr_array_index (visits, i);
      gint64 patient_id = cr_visit_get_patient_id (visit);
      CrPatient *patient = g_hash_table_lookup (patients, &patient_id);

      if (g_task_return_error_if_cancelled (task))
        return;
      if (patient == NULL)
        {
          patient = cr_store_get_patient (store, patient_id, &error);
          if (patient == NULL)
            {
              g_task_return_error (task, g_steal_pointer (&error));
              return;
            }
          g_hash_table_insert (patients, g_memdup2 (&patient_id, sizeof patient_id), patient);
        }
      g_ptr_array_add (rows, g_object_ref (visit));
      g_ptr_array_add (rows, g_object_ref (patient));
    }
  g_task_return_pointer (task, g_steal_pointer (&rows), (GDestroyNotify) g_ptr_array_unref);
}

static char *
format_started_at (const char *started_at)
{
  g_autoptr(GDateTime) dt = NULL;
  g_autoptr(GTimeZone) tz = NULL;
  g_autofree char *iso = NULL;

  if (started_at == NULL)
    return g_strdup ("");
  iso = strlen (started_at) == 10 ? g_strconcat (started_at, "T00:00:00", NULL)
                                  : strlen (started_at) == 16 ? g_strconcat (started_at, ":00", NULL)
                                                              : g_strdup (started_at);
  tz = g_time_zone_new_local ();
  dt = g_date_time_new_from_iso8601 (iso, tz);
  if (dt == NULL)
    return g_strdup (started_at);
  if (strlen (started_at) == 10)
    return g_date_time_format (dt, "%b %-d, %Y");
  return g_date_time_format (dt, "%b %-d, %Y  %H:%M");
}

static GtkWidget *
create_row (CrVisit   *visit,
            CrPatient *patient)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *name = cr_patient_dup_display_name (patient);
  g_autofree char *title = NULL;
  g_autofree char *when = format_started_at (cr_visit_get_started_at (visit));
  g_autoptr(GString) subtitle = g_string_new (when);
  g_autofree char *escaped = NULL;
  const char *complaint = cr_visit_get_chief_complaint (visit);

  title = g_strdup_printf ("%s  ·  %s", name, cr_patient_get_record_number (patient));
  escaped = g_markup_escape_text (title, -1);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), escaped);

  g_string_append (subtitle, "  ·  ");
  g_string_append (subtitle, complaint && *complaint ? complaint : _("No chief complaint yet"));
  if (cr_visit_get_clinician (visit) != NULL)
    {
      g_string_append (subtitle, "  ·  ");
      g_string_append (subtitle, cr_visit_get_clinician (visit));
    }
  g_clear_pointer (&escaped, g_free);
  escaped = g_markup_escape_text (subtitle->str, -1);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), escaped);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);

  g_object_set_data_full (G_OBJECT (row), "visit", g_object_ref (visit), g_object_unref);
  g_object_set_data_full (G_OBJECT (row), "patient", g_object_ref (patient), g_object_unref);
  return row;
}

static void
load_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  CrDraftsWindow *self = CR_DRAFTS_WINDOW (source);
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *child;

  rows = g_task_propagate_pointer (G_TASK (result), &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->loading = FALSE;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);

  if (rows == NULL)
    {
      adw_status_page_set_title (self->empty_page, _("Could Not Read the Notes"));
      adw_status_page_set_description (self->empty_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }

  self->n_drafts = rows->len / 2;
  for (guint i = 0; i + 1 < rows->len; i += 2)
    gtk_list_box_append (self->list, create_row (g_ptr_array_index (rows, i),
                                                 g_ptr_array_index (rows, i + 1)));

  if (self->n_drafts > 0)
    {
      g_autofree char *summary = NULL;

      summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                              "%u note is waiting to be signed, newest first.",
                                              "%u notes are waiting to be signed, newest first.",
                                              self->n_drafts),
                                 self->n_drafts);
      gtk_label_set_label (self->summary_label, summary);
      gtk_stack_set_visible_child_name (self->stack, "list");
      gtk_widget_grab_focus (GTK_WIDGET (gtk_list_box_get_row_at_index (self->list, 0)));
    }
  else
    gtk_stack_set_visible_child_name (self->stack, "empty");
}

static void
on_row_activated (CrDraftsWindow *self,
                  GtkListBoxRow  *row,
                  GtkListBox     *list)
{
  CrVisit *visit = g_object_get_data (G_OBJECT (row), "visit");
  CrPatient *patient = g_object_get_data (G_OBJECT (row), "patient");

  if (visit == NULL || patient == NULL)
    return;
  g_signal_emit (self, signals[OPEN_DRAFT], 0, patient, cr_visit_get_id (visit));
  gtk_window_close (GTK_WINDOW (self));
}

static void
cr_drafts_window_dispose (GObject *object)
{
  CrDraftsWindow *self = CR_DRAFTS_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);
  gtk_widget_dispose_template (GTK_WIDGET (self), CR_TYPE_DRAFTS_WINDOW);

  G_OBJECT_CLASS (cr_drafts_window_parent_class)->dispose (object);
}

static void
cr_drafts_window_class_init (CrDraftsWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cr_drafts_window_dispose;

  /**
   * CrDraftsWindow::open-draft:
   * @patient: whose note
   * @visit_id: the draft
   */
  signals[OPEN_DRAFT] =
    g_signal_new ("open-draft", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, CR_TYPE_PATIENT, G_TYPE_INT64);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/chartroom/Chartroom/cr-drafts-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CrDraftsWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, CrDraftsWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, CrDraftsWindow, empty_page);
  gtk_widget_class_bind_template_child (widget_class, CrDraftsWindow, summary_label);
  gtk_widget_class_bind_template_child (widget_class, CrDraftsWindow, list);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
cr_drafts_window_init (CrDraftsWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
cr_drafts_window_new (GtkWindow *parent,
                      CrStore   *store)
{
  CrDraftsWindow *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (CR_IS_STORE (store), NULL);

  self = g_object_new (CR_TYPE_DRAFTS_WINDOW, "transient-for", parent, NULL);
  self->store = g_object_ref (store);
  cr_drafts_window_reload (self);
  return GTK_WIDGET (self);
}

void
cr_drafts_window_reload (CrDraftsWindow *self)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (CR_IS_DRAFTS_WINDOW (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->loading = TRUE;
  gtk_stack_set_visible_child_name (self->stack, "loading");

  task = g_task_new (self, self->cancellable, load_done, NULL);
  g_task_set_source_tag (task, cr_drafts_window_reload);
  g_task_set_task_data (task, g_object_ref (self->store), g_object_unref);
  g_task_run_in_thread (task, load_thread);
}

gboolean
cr_drafts_window_get_loading (CrDraftsWindow *self)
{
  g_return_val_if_fail (CR_IS_DRAFTS_WINDOW (self), FALSE);
  return self->loading;
}

guint
cr_drafts_window_get_n_drafts (CrDraftsWindow *self)
{
  g_return_val_if_fail (CR_IS_DRAFTS_WINDOW (self), 0);
  return self->n_drafts;
}
