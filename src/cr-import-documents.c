/* cr-import-documents.c: importing scans and PDFs, with progress and a
 * per-file summary
 *
 * The files are imported by the core's batch import in a worker thread:
 * the window shows progress with a Cancel button and never blocks the
 * application. Afterwards every file gets a row saying what became of it:
 * imported, already in the practice (with "Import Again"), protected by a
 * password (asked for at once), or refused and why.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cr-import-documents"

#include "config.h"

#include <glib/gi18n.h>

#include "cr-documents.h"
#include "cr-import-documents.h"

typedef struct
{
  char            *path;
  char            *name;
  CrImportOutcome  outcome;
  char            *message;
  gint64           id;
  GtkWidget       *row;
} Entry;

struct _CrImportDocuments
{
  AdwWindow       parent_instance;

  CrStore        *store;
  gint64          patient_id;
  GCancellable   *cancellable;
  GPtrArray      *entries;
  gboolean        running;
  guint           progress_id;
  GMutex          progress_lock;
  double          fraction;
  AdwMessageDialog *password_dialog;

  AdwWindowTitle *window_title;
  GtkStack       *stack;
  GtkProgressBar *progress_bar;
  GtkLabel       *progress_label;
  GtkLabel       *summary_label;
  GtkListBox     *results_list;
  GtkButton      *done_button;
};

enum {
  SIGNAL_IMPORTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (CrImportDocuments, cr_import_documents, ADW_TYPE_WINDOW)

static void
entry_free (Entry *entry)
{
  g_free (entry->path);
  g_free (entry->name);
  g_free (entry->message);
  g_free (entry);
}

static Entry *
find_entry (CrImportDocuments *self,
            const char        *path)
{
  for (guint i = 0; i < self->entries->len; i++)
    {
      Entry *entry = g_ptr_array_index (self->entries, i);

      if (g_strcmp0 (entry->path, path) == 0)
        return entry;
    }
  return NULL;
}

static void prompt_password (CrImportDocuments *self, Entry *entry);

/* ---- the summary ----------------------------------------------------------- */

static void
on_import_again_clicked (GtkButton         *button,
                         CrImportDocuments *self)
{
  cr_import_documents_import_again (self, g_object_get_data (G_OBJECT (button), "path"));
}

static void
on_password_clicked (GtkButton         *button,
                     CrImportDocuments *self)
{
  Entry *entry = find_entry (self, g_object_get_data (G_OBJECT (button), "path"));

  if (entry != NULL)
    prompt_password (self, entry);
}

static GtkWidget *
row_button (CrImportDocuments *self,
            Entry             *entry,
            const char        *label,
            GCallback          callback)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  g_object_set_data_full (G_OBJECT (button), "path", g_strdup (entry->path), g_free);
  g_signal_connect_object (button, "clicked", callback, self, 0);
  return button;
}

static void
update_row (CrImportDocuments *self,
            Entry             *entry)
{
  g_autofree char *title = g_markup_escape_text (entry->name, -1);
  g_autofree char *subtitle = NULL;
  const char *icon = "emblem-ok-symbolic";
  const char *style = "success";
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *image;
  GtkWidget *suffix = NULL;

  switch (entry->outcome)
    {
    case CR_IMPORT_OUTCOME_IMPORTED:
      subtitle = g_strdup (self->patient_id > 0 ? _("Imported to the chart") : _("Imported to the inbox"));
      break;
    case CR_IMPORT_OUTCOME_DUPLICATE:
      icon = "edit-copy-symbolic";
      style = "warning";
      subtitle = g_strdup (_("Already in the practice — import it again?"));
      suffix = row_button (self, entry, _("Import _Again"), G_CALLBACK (on_import_again_clicked));
      break;
    case CR_IMPORT_OUTCOME_NEEDS_PASSWORD:
      icon = "dialog-password-symbolic";
      style = "warning";
      subtitle = g_strdup (_("Protected by a password"));
      suffix = row_button (self, entry, _("Enter _Password…"), G_CALLBACK (on_password_clicked));
      break;
    case CR_IMPORT_OUTCOME_WRONG_PASSWORD:
      icon = "dialog-password-symbolic";
      style = "error";
      subtitle = g_strdup (_("The password was wrong"));
      suffix = row_button (self, entry, _("Enter _Password…"), G_CALLBACK (on_password_clicked));
      break;
    case CR_IMPORT_OUTCOME_REFUSED:
      icon = "dialog-error-symbolic";
      style = "error";
      subtitle = g_markup_escape_text (entry->message ? entry->message : _("Not imported"), -1);
      break;
    case CR_IMPORT_OUTCOME_CANCELLED:
      icon = "process-stop-symbolic";
      style = "dim-label";
      subtitle = g_strdup (_("Not imported: cancelled"));
      break;
    case CR_IMPORT_OUTCOME_WAITING:
    default:
      icon = "content-loading-symbolic";
      style = "dim-label";
      subtitle = g_strdup (_("Importing…"));
      break;
    }

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 3);
  image = gtk_image_new_from_icon_name (icon);
  gtk_widget_add_css_class (image, style);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), image);
  if (suffix != NULL)
    adw_action_row_add_suffix (ADW_ACTION_ROW (row), suffix);

  if (entry->row != NULL)
    {
      GtkWidget *old = entry->row;
      int index = gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (old));

      gtk_list_box_remove (self->results_list, old);
      gtk_list_box_insert (self->results_list, row, index);
    }
  else
    gtk_list_box_append (self->results_list, row);
  entry->row = row;
}

static void
update_summary (CrImportDocuments *self)
{
  guint counts[CR_IMPORT_OUTCOME_CANCELLED + 1] = { 0 };
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < self->entries->len; i++)
    counts[((Entry *) g_ptr_array_index (self->entries, i))->outcome]++;

#define APPEND(...) G_STMT_START {                        \
    if (text->len > 0)                                    \
      g_string_append (text, " · ");                      \
    g_string_append_printf (text, __VA_ARGS__);           \
  } G_STMT_END
  APPEND (ngettext ("%u imported", "%u imported", counts[CR_IMPORT_OUTCOME_IMPORTED]),
          counts[CR_IMPORT_OUTCOME_IMPORTED]);
  if (counts[CR_IMPORT_OUTCOME_DUPLICATE] > 0)
    APPEND (ngettext ("%u already in the practice", "%u already in the practice",
                      counts[CR_IMPORT_OUTCOME_DUPLICATE]),
            counts[CR_IMPORT_OUTCOME_DUPLICATE]);
  if (counts[CR_IMPORT_OUTCOME_NEEDS_PASSWORD] + counts[CR_IMPORT_OUTCOME_WRONG_PASSWORD] > 0)
    APPEND (ngettext ("%u needs a password", "%u need a password",
                      counts[CR_IMPORT_OUTCOME_NEEDS_PASSWORD] + counts[CR_IMPORT_OUTCOME_WRONG_PASSWORD]),
            counts[CR_IMPORT_OUTCOME_NEEDS_PASSWORD] + counts[CR_IMPORT_OUTCOME_WRONG_PASSWORD]);
  if (counts[CR_IMPORT_OUTCOME_REFUSED] > 0)
    APPEND (ngettext ("%u refused", "%u refused", counts[CR_IMPORT_OUTCOME_REFUSED]),
            counts[CR_IMPORT_OUTCOME_REFUSED]);
  if (counts[CR_IMPORT_OUTCOME_CANCELLED] > 0)
    APPEND (ngettext ("%u cancelled", "%u cancelled", counts[CR_IMPORT_OUTCOME_CANCELLED]),
            counts[CR_IMPORT_OUTCOME_CANCELLED]);
#undef APPEND
  gtk_label_set_label (self->summary_label, text->str);
}

static void
set_outcome (Entry        *entry,
             gint64        id,
             const GError *error)
{
  g_clear_pointer (&entry->message, g_free);
  entry->id = id;
  if (id > 0)
    entry->outcome = CR_IMPORT_OUTCOME_IMPORTED;
  else if (g_error_matches (error, CR_DOCUMENTS_ERROR, CR_DOCUMENTS_ERROR_DUPLICATE))
    entry->outcome = CR_IMPORT_OUTCOME_DUPLICATE;
  else if (g_error_matches (error, CR_DOCUMENTS_ERROR, CR_DOCUMENTS_ERROR_NEEDS_PASSWORD))
    entry->outcome = CR_IMPORT_OUTCOME_NEEDS_PASSWORD;
  else if (g_error_matches (error, CR_DOCUMENTS_ERROR, CR_DOCUMENTS_ERROR_WRONG_PASSWORD))
    entry->outcome = CR_IMPORT_OUTCOME_WRONG_PASSWORD;
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    entry->outcome = CR_IMPORT_OUTCOME_CANCELLED;
  else
    entry->outcome = CR_IMPORT_OUTCOME_REFUSED;
  if (error != NULL)
    entry->message = g_strdup (error->message);
}

/* ---- the password ------------------------------------------------------------ */

static void
on_password_response (AdwMessageDialog  *dialog,
                      const char        *response,
                      CrImportDocuments *self)
{
  GtkEditable *entry = g_object_get_data (G_OBJECT (dialog), "entry");
  const char *path = g_object_get_data (G_OBJECT (dialog), "path");

  if (self->password_dialog == dialog)
    self->password_dialog = NULL;
  if (g_strcmp0 (response, "import") == 0)
    cr_import_documents_retry_with_password (self, path, gtk_editable_get_text (entry));
}

static void
prompt_password (CrImportDocuments *self,
                 Entry             *entry)
{
  g_autofree char *body = NULL;
  GtkWidget *dialog;
  GtkWidget *password;

  if (self->password_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->password_dialog));

  if (entry->outcome == CR_IMPORT_OUTCOME_WRONG_PASSWORD)
    /* Translators: %s is a file name */
    body = g_strdup_printf (_("That password does not open “%s”. Check it and try again."), entry->name);
  else
    /* Translators: %s is a file name */
    body = g_strdup_printf (_("“%s” is protected by a password. Enter it to import the document; "
                              "it is kept in the encrypted practice database."), entry->name);
  dialog = adw_message_dialog_new (GTK_WINDOW (self),
                                   entry->outcome == CR_IMPORT_OUTCOME_WRONG_PASSWORD
                                     ? _("Wrong Password") : _("Password Needed"),
                                   body);
  /* A plain hidden entry: GTK 4.8's GtkPasswordEntry trips over its
   * caps-lock watch when its dialog closes while it has the focus. */
  password = gtk_entry_new ();
  gtk_entry_set_visibility (GTK_ENTRY (password), FALSE);
  gtk_entry_set_input_purpose (GTK_ENTRY (password), GTK_INPUT_PURPOSE_PASSWORD);
  gtk_entry_set_activates_default (GTK_ENTRY (password), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (password), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Document password"), -1);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), password);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Skip"),
                                    "import", _("_Import"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "import",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "import");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data (G_OBJECT (dialog), "entry", password);
  g_object_set_data_full (G_OBJECT (dialog), "path", g_strdup (entry->path), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_password_response), self, 0);
  self->password_dialog = ADW_MESSAGE_DIALOG (dialog);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (password);
}

static void
prompt_next_password (CrImportDocuments *self)
{
  for (guint i = 0; i < self->entries->len; i++)
    {
      Entry *entry = g_ptr_array_index (self->entries, i);

      if (entry->outcome == CR_IMPORT_OUTCOME_NEEDS_PASSWORD ||
          entry->outcome == CR_IMPORT_OUTCOME_WRONG_PASSWORD)
        {
          prompt_password (self, entry);
          return;
        }
    }
}

/* ---- one file again (password, duplicate) ---------------------------------- */

typedef struct
{
  char                   *path;
  char                   *password;
  CrDocumentImportOptions options;
} SingleData;

static void
single_data_free (SingleData *data)
{
  g_free (data->path);
  g_free (data->password);
  g_free (data);
}

static void
single_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  SingleData *data = task_data;
  GError *error = NULL;
  gint64 id;

  data->options.password = data->password;
  id = cr_store_import_document (source_object, data->path, &data->options, cancellable, &error);
  if (id > 0)
    g_task_return_int (task, id);
  else
    g_task_return_error (task, error);
}

static void
single_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(CrImportDocuments) self = user_data;
  SingleData *data = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  gint64 id = g_task_propagate_int (G_TASK (result), &error);
  Entry *entry = find_entry (self, data->path);

  self->running = FALSE;
  if (entry == NULL)
    return;
  set_outcome (entry, MAX (id, 0), error);
  update_row (self, entry);
  update_summary (self);
  if (entry->outcome == CR_IMPORT_OUTCOME_IMPORTED)
    g_signal_emit (self, signals[SIGNAL_IMPORTED], 0, 1u);
  else if (entry->outcome == CR_IMPORT_OUTCOME_WRONG_PASSWORD)
    prompt_password (self, entry);
  if (entry->outcome != CR_IMPORT_OUTCOME_WRONG_PASSWORD)
    prompt_next_password (self);
}

static void
import_one (CrImportDocuments *self,
            Entry             *entry,
            const char        *password,
            gboolean           allow_duplicate)
{
  g_autoptr(GTask) task = NULL;
  SingleData *data = g_new0 (SingleData, 1);

  data->path = g_strdup (entry->path);
  data->password = g_strdup (password);
  data->options.patient_id = self->patient_id;
  data->options.allow_duplicate = allow_duplicate;
  entry->outcome = CR_IMPORT_OUTCOME_WAITING;
  update_row (self, entry);
  self->running = TRUE;
  task = g_task_new (self->store, self->cancellable, single_done, g_object_ref (self));
  g_task_set_source_tag (task, import_one);
  g_task_set_task_data (task, data, (GDestroyNotify) single_data_free);
  g_task_run_in_thread (task, single_thread);
}

void
cr_import_documents_retry_with_password (CrImportDocuments *self,
                                         const char        *path,
                                         const char        *password)
{
  Entry *entry;

  g_return_if_fail (CR_IS_IMPORT_DOCUMENTS (self));
  g_return_if_fail (path != NULL);

  if ((entry = find_entry (self, path)) == NULL)
    return;
  import_one (self, entry, password ? password : "", FALSE);
}

void
cr_import_documents_import_again (CrImportDocuments *self,
                                  const char        *path)
{
  Entry *entry;

  g_return_if_fail (CR_IS_IMPORT_DOCUMENTS (self));

  entry = find_entry (self, path);
  if (entry != NULL && entry->outcome == CR_IMPORT_OUTCOME_DUPLICATE)
    import_one (self, entry, NULL, TRUE);
}

/* ---- the batch ------------------------------------------------------------- */

/* Called on the importing thread: only noted here, shown by a timeout. */
static void
on_progress (double   fraction,
             gpointer user_data)
{
  CrImportDocuments *self = user_data;

  g_mutex_lock (&self->progress_lock);
  self->fraction = fraction;
  g_mutex_unlock (&self->progress_lock);
}

static gboolean
show_progress (gpointer user_data)
{
  CrImportDocuments *self = user_data;
  g_autofree char *text = NULL;
  double fraction;
  guint n = self->entries->len;
  guint at;

  g_mutex_lock (&self->progress_lock);
  fraction = self->fraction;
  g_mutex_unlock (&self->progress_lock);

  at = MIN (n, (guint) (fraction * n) + 1);
  gtk_progress_bar_set_fraction (self->progress_bar, fraction);
  if (at >= 1 && at <= n)
    {
      Entry *entry = g_ptr_array_index (self->entries, at - 1);

      /* Translators: "Importing 3 of 12: scan.pdf" */
      text = g_strdup_printf (_("Importing %u of %u: %s"), at, n, entry->name);
      gtk_label_set_label (self->progress_label, text);
    }
  return G_SOURCE_CONTINUE;
}

static void
batch_done (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(CrImportDocuments) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) results = cr_store_import_documents_finish (CR_STORE (source), result, &error);
  guint imported = 0;

  g_clear_handle_id (&self->progress_id, g_source_remove);
  self->running = FALSE;
  for (guint i = 0; results != NULL && i < results->len && i < self->entries->len; i++)
    {
      CrDocumentImportResult *r = g_ptr_array_index (results, i);
      Entry *entry = g_ptr_array_index (self->entries, i);

      set_outcome (entry, cr_document_import_result_get_id (r), cr_document_import_result_get_error (r));
      if (entry->outcome == CR_IMPORT_OUTCOME_IMPORTED)
        imported++;
      update_row (self, entry);
    }
  if (results == NULL)
    g_warning ("The import failed: %s", error ? error->message : "unknown error");

  update_summary (self);
  adw_window_title_set_title (self->window_title, _("Import Finished"));
  gtk_stack_set_visible_child_name (self->stack, "results");
  gtk_window_set_default_widget (GTK_WINDOW (self), GTK_WIDGET (self->done_button));
  gtk_widget_grab_focus (GTK_WIDGET (self->done_button));
  if (imported > 0)
    g_signal_emit (self, signals[SIGNAL_IMPORTED], 0, imported);
  prompt_next_password (self);
}

void
cr_import_documents_start (CrImportDocuments  *self,
                           const char * const *paths)
{
  CrDocumentImportOptions options = { 0 };

  g_return_if_fail (CR_IS_IMPORT_DOCUMENTS (self));
  g_return_if_fail (paths != NULL);
  g_return_if_fail (!self->running);

  g_ptr_array_set_size (self->entries, 0);
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->results_list));
       child != NULL;
       child = gtk_widget_get_first_child (GTK_WIDGET (self->results_list)))
    gtk_list_box_remove (self->results_list, child);

  for (guint i = 0; paths[i] != NULL; i++)
    {
      Entry *entry = g_new0 (Entry, 1);

      entry->path = g_strdup (paths[i]);
      entry->name = g_path_get_basename (paths[i]);
      g_ptr_array_add (self->entries, entry);
    }

  self->fraction = 0;
  self->running = TRUE;
  adw_window_title_set_title (self->window_title, _("Importing Documents"));
  gtk_stack_set_visible_child_name (self->stack, "progress");
  show_progress (self);
  self->progress_id = g_timeout_add (100, show_progress, self);
  gtk_window_present (GTK_WINDOW (self));

  options.patient_id = self->patient_id;
  cr_store_import_documents_async (self->store, paths, &options, on_progress, self,
                                   self->cancellable, batch_done, g_object_ref (self));
}

void
cr_import_documents_cancel (CrImportDocuments *self)
{
  g_return_if_fail (CR_IS_IMPORT_DOCUMENTS (self));
  g_cancellable_cancel (self->cancellable);
}

static void
on_cancel_clicked (CrImportDocuments *self)
{
  cr_import_documents_cancel (self);
}

static void
on_done_clicked (CrImportDocuments *self)
{
  gtk_window_close (GTK_WINDOW (self));
}

static gboolean
cr_import_documents_close_request (GtkWindow *window)
{
  CrImportDocuments *self = CR_IMPORT_DOCUMENTS (window);

  /* Closing while importing means stop: what is done stays done. */
  if (self->running)
    g_cancellable_cancel (self->cancellable);
  return GTK_WINDOW_CLASS (cr_import_documents_parent_class)->close_request (window);
}

gboolean
cr_import_documents_get_running (CrImportDocuments *self)
{
  g_return_val_if_fail (CR_IS_IMPORT_DOCUMENTS (self), FALSE);
  return self->running;
}

CrImportOutcome
cr_import_documents_get_outcome (CrImportDocuments  *self,
                                 const char         *path,
                                 gint64             *id,
                                 const char        **message)
{
  Entry *entry;

  g_return_val_if_fail (CR_IS_IMPORT_DOCUMENTS (self), CR_IMPORT_OUTCOME_WAITING);

  entry = find_entry (self, path);
  if (id != NULL)
    *id = entry ? entry->id : 0;
  if (message != NULL)
    *message = entry ? entry->message : NULL;
  return entry ? entry->outcome : CR_IMPORT_OUTCOME_WAITING;
}

/* ---- choosing files ----------------------------------------------------- */

static void
on_files_chosen (GtkNativeDialog   *chooser,
                 int                response,
                 CrImportDocuments *self)
{
  g_autoptr(GListModel) files = NULL;
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);

  if (response == GTK_RESPONSE_ACCEPT)
    {
      files = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (chooser));
      for (guint i = 0; i < g_list_model_get_n_items (files); i++)
        {
          g_autoptr(GFile) file = g_list_model_get_item (files, i);

          if (g_file_peek_path (file) != NULL)
            g_ptr_array_add (paths, g_file_get_path (file));
        }
    }
  g_ptr_array_add (paths, NULL);
  if (paths->len > 1)
    cr_import_documents_start (self, (const char * const *) paths->pdata);
  else
    gtk_window_destroy (GTK_WINDOW (self));
  g_object_unref (chooser);
}

static void
add_filter (GtkFileChooser *chooser,
            const char     *name,
            const char     *mime_type,
            const char     *pattern)
{
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, name);
  gtk_file_filter_add_mime_type (filter, mime_type);
  gtk_file_filter_add_suffix (filter, pattern);
  gtk_file_chooser_add_filter (chooser, filter);
}

CrImportDocuments *
cr_import_documents_choose (GtkWindow *parent,
                            CrStore   *store,
                            gint64     patient_id)
{
  CrImportDocuments *self = cr_import_documents_new (parent, store, patient_id);
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (_("Import Documents"), parent,
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Import"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (chooser), TRUE);

  gtk_file_filter_set_name (all, _("Documents and Scans"));
  gtk_file_filter_add_mime_type (all, "application/pdf");
  gtk_file_filter_add_mime_type (all, "image/png");
  gtk_file_filter_add_mime_type (all, "image/jpeg");
  gtk_file_filter_add_mime_type (all, "image/tiff");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), all);
  add_filter (GTK_FILE_CHOOSER (chooser), _("PDF Documents"), "application/pdf", "pdf");
  add_filter (GTK_FILE_CHOOSER (chooser), _("PNG Images"), "image/png", "png");
  add_filter (GTK_FILE_CHOOSER (chooser), _("JPEG Images"), "image/jpeg", "jpg");
  add_filter (GTK_FILE_CHOOSER (chooser), _("TIFF Images"), "image/tiff", "tif");
  gtk_file_chooser_set_filter (GTK_FILE_CHOOSER (chooser), all);

  g_signal_connect (chooser, "response", G_CALLBACK (on_files_chosen), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
  return self;
}

CrImportDocuments *
cr_import_documents_import_files (GtkWindow *parent,
                                  CrStore   *store,
                                  gint64     patient_id,
                                  GSList    *files)
{
  CrImportDocuments *self;
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);

  for (GSList *l = files; l != NULL; l = l->next)
    if (g_file_peek_path (l->data) != NULL)
      g_ptr_array_add (paths, g_file_get_path (l->data));
  if (paths->len == 0)
    return NULL;
  g_ptr_array_add (paths, NULL);

  self = cr_import_documents_new (parent, store, patient_id);
  cr_import_documents_start (self, (const char * const *) paths->pdata);
  return self;
}

/* ---- GObject ------------------------------------------------------------ */

static void
cr_import_documents_dispose (GObject *object)
{
  CrImportDocuments *self = (CrImportDocuments *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->progress_id, g_source_remove);
  if (self->password_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (g_steal_pointer (&self->password_dialog)));

  g_clear_object (&self->store);

  G_OBJECT_CLASS (cr_import_documents_parent_class)->dispose (object);
}

static void
cr_import_documents_finalize (GObject *object)
{
  CrImportDocuments *self = (CrImportDocuments *)object;

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->entries, g_ptr_array_unref);
  g_mutex_clear (&self->progress_lock);

  G_OBJECT_CLASS (cr_import_documents_parent_class)->finalize (object);
}

static void
cr_import_documents_class_init (CrImportDocumentsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = cr_import_documents_dispose;
  object_class->finalize = cr_import_documents_finalize;
  window_class->close_request = cr_import_documents_close_request;

  /* ::imported (n): @n more documents are in the practice. */
  signals[SIGNAL_IMPORTED] =
    g_signal_new ("imported", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/chartroom/Chartroom/cr-import-documents.ui");
  gtk_widget_class_bind_template_child (widget_class, CrImportDocuments, window_title);
  gtk_widget_class_bind_template_child (widget_class, CrImportDocuments, stack);
  gtk_widget_class_bind_template_child (widget_class, CrImportDocuments, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, CrImportDocuments, progress_label);
  gtk_widget_class_bind_template_child (widget_class, CrImportDocuments, summary_label);
  gtk_widget_class_bind_template_child (widget_class, CrImportDocuments, results_list);
  gtk_widget_class_bind_template_child (widget_class, CrImportDocuments, done_button);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_done_clicked);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
cr_import_documents_init (CrImportDocuments *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) entry_free);
  g_mutex_init (&self->progress_lock);
}

CrImportDocuments *
cr_import_documents_new (GtkWindow *parent,
                         CrStore   *store,
                         gint64     patient_id)
{
  CrImportDocuments *self;

  g_return_val_if_fail (CR_IS_STORE (store), NULL);

  self = g_object_new (CR_TYPE_IMPORT_DOCUMENTS,
                       "transient-for", parent,
                       "destroy-with-parent", TRUE,
                       NULL);
  self->store = g_object_ref (store);
  self->patient_id = patient_id;
  return self;
}
