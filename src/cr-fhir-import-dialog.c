/* cr-fhir-import-dialog.c: importing FHIR records, exporting one
 *
 * The import runs in a worker thread (cr_store_import_fhir_files_async);
 * the worker only writes a number that a timeout on the main loop shows,
 * so no GTK call happens off the main thread. The dialog keeps itself
 * alive until the worker is done, also when it is closed: closing
 * cancels, and files finished before that stay imported.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cr-fhir-import-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "cr-fhir-export.h"
#include "cr-fhir-import.h"
#include "cr-fhir-import-dialog.h"
#include "cr-patient.h"

struct _CrFhirImportDialog
{
  AdwWindow         parent_instance;

  GtkStack         *stack;
  GtkProgressBar   *progress_bar;
  GtkButton        *cancel_button;
  GtkButton        *done_button;
  GtkBox           *summary_box;
  GtkLabel         *summary_title;

  CrStore          *store;
  GWeakRef          sidebar;
  GCancellable     *cancellable;
  guint             progress_id;
  guint             n_files;
  int               permille;   /* written by the worker */
  gboolean          busy;
};

G_DEFINE_FINAL_TYPE (CrFhirImportDialog, cr_fhir_import_dialog, ADW_TYPE_WINDOW)

static void
on_cancel_clicked (CrFhirImportDialog *self)
{
  g_cancellable_cancel (self->cancellable);
  gtk_widget_set_sensitive (GTK_WIDGET (self->cancel_button), FALSE);
}

static gboolean
cr_fhir_import_dialog_close_request (GtkWindow *window)
{
  CrFhirImportDialog *self = CR_FHIR_IMPORT_DIALOG (window);

  /* Closing while importing cancels; the summary follows. */
  if (self->busy)
    {
      on_cancel_clicked (self);
      return TRUE;
    }
  return GTK_WINDOW_CLASS (cr_fhir_import_dialog_parent_class)->close_request (window);
}

static void
cr_fhir_import_dialog_dispose (GObject *object)
{
  CrFhirImportDialog *self = CR_FHIR_IMPORT_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->progress_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), CR_TYPE_FHIR_IMPORT_DIALOG);

  G_OBJECT_CLASS (cr_fhir_import_dialog_parent_class)->dispose (object);
}

static void
cr_fhir_import_dialog_finalize (GObject *object)
{
  CrFhirImportDialog *self = CR_FHIR_IMPORT_DIALOG (object);

  g_clear_object (&self->store);
  g_clear_object (&self->cancellable);
  g_weak_ref_clear (&self->sidebar);

  G_OBJECT_CLASS (cr_fhir_import_dialog_parent_class)->finalize (object);
}

static void
cr_fhir_import_dialog_class_init (CrFhirImportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = cr_fhir_import_dialog_dispose;
  object_class->finalize = cr_fhir_import_dialog_finalize;
  window_class->close_request = cr_fhir_import_dialog_close_request;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/chartroom/Chartroom/cr-fhir-import-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, CrFhirImportDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, CrFhirImportDialog, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, CrFhirImportDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, CrFhirImportDialog, done_button);
  gtk_widget_class_bind_template_child (widget_class, CrFhirImportDialog, summary_box);
  gtk_widget_class_bind_template_child (widget_class, CrFhirImportDialog, summary_title);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_clicked);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
cr_fhir_import_dialog_init (CrFhirImportDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_weak_ref_init (&self->sidebar, NULL);
  self->cancellable = g_cancellable_new ();
}

CrFhirImportDialog *
cr_fhir_import_dialog_new (GtkWindow        *parent,
                           CrStore          *store,
                           CrPatientSidebar *sidebar)
{
  CrFhirImportDialog *self;

  g_return_val_if_fail (CR_IS_STORE (store), NULL);

  self = g_object_new (CR_TYPE_FHIR_IMPORT_DIALOG,
                       "transient-for", parent,
                       NULL);
  self->store = g_object_ref (store);
  g_weak_ref_set (&self->sidebar, sidebar);
  return self;
}

gboolean
cr_fhir_import_dialog_get_busy (CrFhirImportDialog *self)
{
  g_return_val_if_fail (CR_IS_FHIR_IMPORT_DIALOG (self), FALSE);

  return self->busy;
}

/* ---- progress ------------------------------------------------------------ */

/* In the worker thread: only remember the number. */
static void
import_progress (double   fraction,
                 gpointer user_data)
{
  CrFhirImportDialog *self = user_data;

  g_atomic_int_set (&self->permille, (int) (CLAMP (fraction, 0.0, 1.0) * 1000));
}

static gboolean
show_progress (gpointer user_data)
{
  CrFhirImportDialog *self = user_data;
  double fraction = g_atomic_int_get (&self->permille) / 1000.0;
  guint current = MIN ((guint) (fraction * self->n_files) + 1, self->n_files);
  g_autofree char *text = NULL;

  /* Translators: the file being imported, of how many */
  text = g_strdup_printf (_("File %u of %u"), current, self->n_files);
  gtk_progress_bar_set_fraction (self->progress_bar, fraction);
  gtk_progress_bar_set_text (self->progress_bar, text);
  return G_SOURCE_CONTINUE;
}

/* ---- summary ------------------------------------------------------------- */

static char *
dup_imported_text (const CrFhirImportSummary *s)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);

  if (s->patients > 0)
    g_ptr_array_add (parts, g_strdup_printf (ngettext ("%u patient", "%u patients", s->patients),
                                             s->patients));
  if (s->encounters > 0)
    g_ptr_array_add (parts, g_strdup_printf (ngettext ("%u visit", "%u visits", s->encounters),
                                             s->encounters));
  if (s->conditions > 0)
    g_ptr_array_add (parts, g_strdup_printf (ngettext ("%u problem", "%u problems", s->conditions),
                                             s->conditions));
  if (s->medication_requests > 0)
    g_ptr_array_add (parts, g_strdup_printf (ngettext ("%u prescription", "%u prescriptions",
                                                       s->medication_requests),
                                             s->medication_requests));
  if (s->vital_signs > 0)
    g_ptr_array_add (parts, g_strdup_printf (ngettext ("%u vital sign", "%u vital signs",
                                                       s->vital_signs), s->vital_signs));
  if (s->results > 0)
    g_ptr_array_add (parts, g_strdup_printf (ngettext ("%u result", "%u results", s->results),
                                             s->results));
  if (s->allergies > 0)
    g_ptr_array_add (parts, g_strdup_printf (ngettext ("%u allergy", "%u allergies", s->allergies),
                                             s->allergies));
  if (s->documents > 0)
    g_ptr_array_add (parts, g_strdup_printf (ngettext ("%u document", "%u documents", s->documents),
                                             s->documents));
  if (parts->len == 0)
    return g_strdup (_("Nothing new"));
  g_ptr_array_add (parts, NULL);
  return g_strjoinv (", ", (char **) parts->pdata);
}

static GtkWidget *
new_row (const char *title,
         const char *subtitle,
         const char *icon_name,
         const char *css_class)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon = gtk_image_new_from_icon_name (icon_name);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_add_css_class (icon, css_class);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  /* The whole message, however long: it says what to fix. */
  g_object_set (row, "subtitle-lines", 0, "title-lines", 0, NULL);
  return row;
}

static void
add_file_result (CrFhirImportDialog     *self,
                 const CrFhirFileResult *result)
{
  g_autofree char *name = g_path_get_basename (result->path);
  GtkWidget *group = adw_preferences_group_new ();

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), name);
  gtk_widget_set_tooltip_text (group, result->path);
  if (result->error != NULL)
    {
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                                 new_row (_("Not imported: nothing from this file was saved"),
                                          result->error->message, "dialog-error-symbolic",
                                          "error"));
    }
  else
    {
      g_autofree char *imported = dup_imported_text (&result->summary);
      g_autofree char *skipped = cr_fhir_import_summary_format_skipped (&result->summary);

      g_autofree char *unchanged =
        g_strdup_printf (ngettext ("%u record was imported before and left as it was",
                                   "%u records were imported before and left as they were",
                                   result->summary.unchanged),
                         result->summary.unchanged);

      if (cr_fhir_import_summary_get_total (&result->summary) == 0)
        adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                                   new_row (_("Nothing new: already in the chart"), unchanged,
                                            "emblem-ok-symbolic", "success"));
      else
        {
          adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                                     new_row (_("Imported"), imported, "emblem-ok-symbolic",
                                              "success"));
          if (result->summary.unchanged > 0)
            adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                                       new_row (_("Already in the chart"), unchanged,
                                                "view-refresh-symbolic", "dim-label"));
        }
      if (*skipped != '\0')
        adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                                   new_row (_("Skipped: the chart has no place for these"), skipped,
                                            "action-unavailable-symbolic", "warning"));
    }
  gtk_box_append (self->summary_box, group);
}

static void
show_summary (CrFhirImportDialog *self,
              GPtrArray          *results,
              GError             *error)
{
  g_autoptr(CrPatientSidebar) sidebar = g_weak_ref_get (&self->sidebar);
  guint n_failed = 0;
  g_autofree char *title = NULL;

  g_clear_handle_id (&self->progress_id, g_source_remove);
  if (results != NULL)
    {
      /* Failures first: they are what needs doing. */
      for (guint pass = 0; pass < 2; pass++)
        for (guint i = 0; i < results->len; i++)
          {
            const CrFhirFileResult *result = g_ptr_array_index (results, i);

            if ((result->error != NULL) != (pass == 0))
              continue;
            if (result->error != NULL)
              n_failed++;
            add_file_result (self, result);
          }
      if (n_failed == 0)
        title = g_strdup_printf (ngettext ("%u file imported", "%u files imported", results->len),
                                 results->len);
      else
        /* Translators: "3 of 4 files imported, 1 failed" */
        title = g_strdup_printf (ngettext ("%u of %u files imported, %u failed",
                                           "%u of %u files imported, %u failed", results->len),
                                 results->len - n_failed, results->len, n_failed);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    title = g_strdup (_("Import cancelled. Files finished before you cancelled stay imported."));
  else
    title = g_strdup (error ? error->message : _("The import failed"));

  gtk_label_set_label (self->summary_title, title);
  gtk_stack_set_visible_child_name (self->stack, "summary");
  gtk_widget_set_visible (GTK_WIDGET (self->done_button), TRUE);
  gtk_window_set_title (GTK_WINDOW (self), _("Import Summary"));
  gtk_widget_grab_focus (GTK_WIDGET (self->done_button));

  if (sidebar != NULL)
    cr_patient_sidebar_refresh (sidebar);
}

static void
import_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(CrFhirImportDialog) self = user_data;
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;

  results = cr_store_import_fhir_files_finish (CR_STORE (source), result, &error);
  self->busy = FALSE;
  if (gtk_widget_in_destruction (GTK_WIDGET (self)))
    return;
  show_summary (self, results, error);
}

void
cr_fhir_import_dialog_import (CrFhirImportDialog *self,
                              const char * const *paths)
{
  g_return_if_fail (CR_IS_FHIR_IMPORT_DIALOG (self));
  g_return_if_fail (paths != NULL && paths[0] != NULL);
  g_return_if_fail (!self->busy);

  self->busy = TRUE;
  self->n_files = g_strv_length ((char **) paths);
  g_atomic_int_set (&self->permille, 0);
  show_progress (self);
  self->progress_id = g_timeout_add (100, show_progress, self);
  gtk_stack_set_visible_child_name (self->stack, "progress");

  /* The reference keeps the dialog (and @self->permille) alive for the
   * worker until import_done(). */
  cr_store_import_fhir_files_async (self->store, paths, CR_FHIR_IMPORT_DEFAULT,
                                    import_progress, self, self->cancellable,
                                    import_done, g_object_ref (self));
}

/* ---- choosing files ------------------------------------------------------- */

typedef struct
{
  GtkWindow        *parent;
  CrStore          *store;
  GWeakRef          sidebar;
} ChooseData;

static void
choose_data_free (ChooseData *data)
{
  g_clear_object (&data->parent);
  g_clear_object (&data->store);
  g_weak_ref_clear (&data->sidebar);
  g_free (data);
}

static void
on_import_chosen (GtkNativeDialog *chooser,
                  int              response,
                  gpointer         user_data)
{
  ChooseData *data = user_data;
  g_autoptr(GListModel) files = NULL;
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(CrPatientSidebar) sidebar = NULL;
  CrFhirImportDialog *dialog;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      files = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (chooser));
      for (guint i = 0; i < g_list_model_get_n_items (files); i++)
        {
          g_autoptr(GFile) file = g_list_model_get_item (files, i);
          char *path = g_file_get_path (file);

          if (path != NULL)
            g_ptr_array_add (paths, path);
        }
    }
  if (paths->len > 0)
    {
      g_ptr_array_add (paths, NULL);
      sidebar = g_weak_ref_get (&data->sidebar);
      dialog = cr_fhir_import_dialog_new (data->parent, data->store, sidebar);
      gtk_window_present (GTK_WINDOW (dialog));
      cr_fhir_import_dialog_import (dialog, (const char * const *) paths->pdata);
    }
  choose_data_free (data);
  g_object_unref (chooser);
}

static GtkFileFilter *
json_filter (void)
{
  GtkFileFilter *filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("FHIR Records (JSON)"));
  gtk_file_filter_add_mime_type (filter, "application/json");
  gtk_file_filter_add_mime_type (filter, "application/fhir+json");
  gtk_file_filter_add_suffix (filter, "json");
  return filter;
}

void
cr_fhir_choose_and_import (GtkWindow        *parent,
                           CrStore          *store,
                           CrPatientSidebar *sidebar)
{
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = json_filter ();
  ChooseData *data;

  g_return_if_fail (CR_IS_STORE (store));

  chooser = gtk_file_chooser_native_new (_("Import Records"), parent,
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Import"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (chooser), TRUE);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);

  data = g_new0 (ChooseData, 1);
  data->parent = parent ? g_object_ref (parent) : NULL;
  data->store = g_object_ref (store);
  g_weak_ref_init (&data->sidebar, sidebar);
  g_signal_connect (chooser, "response", G_CALLBACK (on_import_chosen), data);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* ---- export ------------------------------------------------------------------ */

typedef struct
{
  gint64  patient_id;
  GFile  *file;
} ExportData;

static void
export_data_free (ExportData *data)
{
  g_clear_object (&data->file);
  g_free (data);
}

static void
export_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ExportData *data = task_data;
  g_autoptr(GBytes) bytes = NULL;
  GError *error = NULL;

  bytes = cr_store_export_fhir_patient (CR_STORE (source_object), data->patient_id, &error);
  /* Readable by the user only: the file is not encrypted. */
  if (bytes == NULL ||
      !g_file_replace_contents (data->file, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                NULL, FALSE, G_FILE_CREATE_PRIVATE | G_FILE_CREATE_REPLACE_DESTINATION,
                                NULL, cancellable, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
export_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GtkWindow) parent = user_data;
  g_autoptr(GError) error = NULL;
  ExportData *data = g_task_get_task_data (G_TASK (result));
  g_autofree char *name = g_file_get_basename (data->file);
  GtkWidget *message;

  if (g_task_propagate_boolean (G_TASK (result), &error))
    {
      message = adw_message_dialog_new (parent, _("Record Exported"), NULL);
      adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (message),
                                      _("The record was saved as “%s”. The file is not encrypted: "
                                        "keep it safe and delete it when it has served its purpose."),
                                      name);
    }
  else
    {
      message = adw_message_dialog_new (parent, _("The Record Could Not Be Exported"), NULL);
      adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (message), error->message);
    }
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (message), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (message));
}

static void
on_export_chosen (GtkNativeDialog *chooser,
                  int              response,
                  gpointer         user_data)
{
  ChooseData *data = user_data;
  gint64 patient_id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (chooser), "patient-id"));

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GTask) task = NULL;
      ExportData *export = g_new0 (ExportData, 1);

      export->patient_id = patient_id;
      export->file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      task = g_task_new (data->store, NULL, export_done,
                         data->parent ? g_object_ref (data->parent) : NULL);
      g_task_set_task_data (task, export, (GDestroyNotify) export_data_free);
      g_task_run_in_thread (task, export_thread);
    }
  choose_data_free (data);
  g_object_unref (chooser);
}

void
cr_fhir_choose_and_export (GtkWindow *parent,
                           CrStore   *store,
                           CrPatient *patient)
{
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = json_filter ();
  g_autofree char *suggested = NULL;
  ChooseData *data;

  g_return_if_fail (CR_IS_STORE (store));
  g_return_if_fail (CR_IS_PATIENT (patient));

  chooser = gtk_file_chooser_native_new (_("Export Record"), parent,
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  /* The record number, not the name: file names show in many places. */
  suggested = g_strdup_printf ("%s-fhir.json", cr_patient_get_record_number (patient));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), suggested);
  g_object_set_data (G_OBJECT (chooser), "patient-id",
                     GSIZE_TO_POINTER ((gsize) cr_patient_get_id (patient)));

  data = g_new0 (ChooseData, 1);
  data->parent = parent ? g_object_ref (parent) : NULL;
  data->store = g_object_ref (store);
  g_weak_ref_init (&data->sidebar, NULL);
  g_signal_connect (chooser, "response", G_CALLBACK (on_export_chosen), data);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}
