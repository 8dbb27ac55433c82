/* cr-documents-page.c: the chart's Documents page
 *
 * The patient's documents, newest date of service first (unfiled ones on
 * top), each with its category; a search through their text (the core's
 * full-text index) with the words in context; the selected one in the
 * viewer beside. Files dropped on the page are imported to this chart.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cr-documents-page"

#include "config.h"

#include <glib/gi18n.h>

#include "cr-documents.h"
#include "cr-documents-page.h"
#include "cr-import-documents.h"
#include "cr-patient-row.h"

#define SEARCH_LIMIT 200

struct _CrDocumentsPage
{
  AdwBin              parent_instance;

  CrStore            *store;
  CrPatient          *patient;
  GCancellable       *cancellable;
  GListStore         *documents;
  GtkSingleSelection *selection;
  gboolean            loading;
  gint64              select_after_load;

  GtkSearchEntry     *search_entry;
  GtkStack           *list_stack;
  GtkListView        *list_view;
  AdwStatusPage      *no_match_page;
  CrDocumentViewer   *viewer;
};

G_DEFINE_FINAL_TYPE (CrDocumentsPage, cr_documents_page, ADW_TYPE_BIN)

/* ---- rows ---------------------------------------------------------------- */

static void
setup_row (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *title = gtk_label_new (NULL);
  GtkWidget *detail = gtk_label_new (NULL);
  GtkWidget *snippet = gtk_label_new (NULL);

  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (title, "heading");
  gtk_label_set_xalign (GTK_LABEL (detail), 0);
  gtk_label_set_ellipsize (GTK_LABEL (detail), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (detail, "dim-label");
  gtk_widget_add_css_class (detail, "caption");
  gtk_label_set_xalign (GTK_LABEL (snippet), 0);
  gtk_label_set_wrap (GTK_LABEL (snippet), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (snippet), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_lines (GTK_LABEL (snippet), 3);
  gtk_label_set_ellipsize (GTK_LABEL (snippet), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (snippet, "caption");
  gtk_widget_add_css_class (snippet, "cr-document-snippet");
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), detail);
  gtk_box_append (GTK_BOX (box), snippet);
  g_object_set_data (G_OBJECT (box), "title", title);
  g_object_set_data (G_OBJECT (box), "detail", detail);
  g_object_set_data (G_OBJECT (box), "snippet", snippet);
  gtk_list_item_set_child (item, box);
}

static void
bind_row (GtkSignalListItemFactory *factory,
          GtkListItem              *item,
          gpointer                  user_data)
{
  GtkWidget *box = gtk_list_item_get_child (item);
  CrDocument *document = gtk_list_item_get_item (item);
  const char *title = cr_document_get_title (document);
  g_autofree char *date = _cr_patient_row_format_date (cr_document_get_service_date (document));
  g_autofree char *snippet = cr_document_dup_snippet_markup (document);
  g_autofree char *pages = NULL;
  g_autofree char *detail = NULL;
  CrDocumentCategory category = cr_document_get_category (document);
  guint n = cr_document_get_page_count (document);
  GtkLabel *snippet_label = g_object_get_data (G_OBJECT (box), "snippet");

  if (title == NULL)
    title = cr_document_get_file_name (document);
  gtk_label_set_label (g_object_get_data (G_OBJECT (box), "title"), title ? title : "");
  pages = g_strdup_printf (ngettext ("%u page", "%u pages", n), n);
  if (date == NULL || category == CR_DOCUMENT_CATEGORY_NONE)
    /* Translators: a chart document given to the patient but not yet its date and category */
    detail = g_strdup_printf (_("Not yet filed · %s"), pages);
  else
    detail = g_strdup_printf ("%s · %s · %s", date, cr_document_category_get_label (category), pages);
  gtk_label_set_label (g_object_get_data (G_OBJECT (box), "detail"), detail);
  gtk_label_set_markup (snippet_label, snippet ? snippet : "");
  gtk_widget_set_visible (GTK_WIDGET (snippet_label), snippet != NULL && *snippet != '\0');
}

/* ---- loading -------------------------------------------------------------- */

typedef struct
{
  gint64  patient_id;
  char   *text;
} LoadData;

static void
load_data_free (LoadData *data)
{
  g_free (data->text);
  g_free (data);
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  LoadData *data = task_data;
  GError *error = NULL;
  GListModel *list;

  if (data->text != NULL)
    list = cr_store_search_documents (source_object, data->patient_id, data->text, SEARCH_LIMIT,
                                      cancellable, &error);
  else
    list = cr_store_list_patient_documents (source_object, data->patient_id, &error);
  if (list == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, list, g_object_unref);
}

static void
on_selection_changed (CrDocumentsPage *self)
{
  CrDocument *document = gtk_single_selection_get_selected_item (self->selection);
  gint64 id = document ? cr_document_get_id (document) : 0;

  if (cr_document_viewer_get_document_id (self->viewer) != id)
    cr_document_viewer_set_document (self->viewer, self->store, id);
}

static void
load_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(CrDocumentsPage) self = user_data;
  LoadData *data = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) list = g_task_propagate_pointer (G_TASK (result), &error);
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  gint64 keep = self->select_after_load ? self->select_after_load
                                        : cr_document_viewer_get_document_id (self->viewer);
  guint position = GTK_INVALID_LIST_POSITION;
  guint n;

  if (g_task_get_cancellable (G_TASK (result)) != self->cancellable)
    return;
  self->loading = FALSE;
  if (list == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Could not list the documents: %s", error->message);
      return;
    }
  self->select_after_load = 0;
  n = g_list_model_get_n_items (list);
  for (guint i = 0; i < n; i++)
    {
      CrDocument *document = g_list_model_get_item (list, i);

      if (cr_document_get_id (document) == keep)
        position = i;
      g_ptr_array_add (items, document);
    }
  g_list_store_splice (self->documents, 0, g_list_model_get_n_items (G_LIST_MODEL (self->documents)),
                       items->pdata, items->len);
  if (position == GTK_INVALID_LIST_POSITION && n > 0)
    position = 0;
  gtk_single_selection_set_selected (self->selection, position);
  on_selection_changed (self);

  if (n > 0)
    gtk_stack_set_visible_child_name (self->list_stack, "list");
  else if (data->text != NULL)
    {
      g_autofree char *title = g_strdup_printf (_("No Document Mentions “%s”"), data->text);

      adw_status_page_set_title (self->no_match_page, title);
      gtk_stack_set_visible_child_name (self->list_stack, "no-match");
    }
  else
    gtk_stack_set_visible_child_name (self->list_stack, "empty");
}

void
cr_documents_page_reload (CrDocumentsPage *self)
{
  g_autoptr(GTask) task = NULL;
  const char *text;
  LoadData *data;

  g_return_if_fail (CR_IS_DOCUMENTS_PAGE (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->store == NULL || self->patient == NULL)
    {
      g_list_store_remove_all (self->documents);
      cr_document_viewer_set_document (self->viewer, NULL, 0);
      self->loading = FALSE;
      return;
    }

  self->cancellable = g_cancellable_new ();
  text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  data = g_new0 (LoadData, 1);
  data->patient_id = cr_patient_get_id (self->patient);
  data->text = *text ? g_strdup (text) : NULL;
  self->loading = TRUE;
  task = g_task_new (self->store, self->cancellable, load_done, g_object_ref (self));
  g_task_set_source_tag (task, cr_documents_page_reload);
  g_task_set_task_data (task, data, (GDestroyNotify) load_data_free);
  g_task_run_in_thread (task, load_thread);
}

static void
on_search_changed (CrDocumentsPage *self)
{
  cr_documents_page_reload (self);
}

static void
on_stop_search (CrDocumentsPage *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
}

/* ---- import ------------------------------------------------------------- */

static void
on_imported (CrDocumentsPage   *self,
             guint              n,
             CrImportDocuments *import)
{
  cr_documents_page_reload (self);
}

static GtkWindow *
parent_window (CrDocumentsPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

static void
documents_import (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  CrDocumentsPage *self = CR_DOCUMENTS_PAGE (widget);
  CrImportDocuments *import;

  if (self->store == NULL || self->patient == NULL)
    return;
  import = cr_import_documents_choose (parent_window (self), self->store,
                                       cr_patient_get_id (self->patient));
  g_signal_connect_object (import, "imported", G_CALLBACK (on_imported), self, G_CONNECT_SWAPPED);
}

static gboolean
on_drop (GtkDropTarget   *target,
         const GValue    *value,
         double           x,
         double           y,
         CrDocumentsPage *self)
{
  CrImportDocuments *import;

  if (self->store == NULL || self->patient == NULL)
    return FALSE;
  /* Dropped on this chart: the files are this patient's. */
  import = cr_import_documents_import_files (parent_window (self), self->store,
                                             cr_patient_get_id (self->patient),
                                             g_value_get_boxed (value));
  if (import == NULL)
    return FALSE;
  g_signal_connect_object (import, "imported", G_CALLBACK (on_imported), self, G_CONNECT_SWAPPED);
  return TRUE;
}

/* ---- GObject ------------------------------------------------------------ */

static void
cr_documents_page_dispose (GObject *object)
{
  CrDocumentsPage *self = (CrDocumentsPage *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->patient);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (cr_documents_page_parent_class)->dispose (object);
}

static void
cr_documents_page_finalize (GObject *object)
{
  CrDocumentsPage *self = (CrDocumentsPage *)object;

  g_clear_object (&self->documents);
  g_clear_object (&self->selection);
  G_OBJECT_CLASS (cr_documents_page_parent_class)->finalize (object);
}

static void
cr_documents_page_class_init (CrDocumentsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cr_documents_page_dispose;
  object_class->finalize = cr_documents_page_finalize;

  g_type_ensure (CR_TYPE_DOCUMENT_VIEWER);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/chartroom/Chartroom/cr-documents-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CrDocumentsPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, CrDocumentsPage, list_stack);
  gtk_widget_class_bind_template_child (widget_class, CrDocumentsPage, list_view);
  gtk_widget_class_bind_template_child (widget_class, CrDocumentsPage, no_match_page);
  gtk_widget_class_bind_template_child (widget_class, CrDocumentsPage, viewer);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_stop_search);

  gtk_widget_class_install_action (widget_class, "documents.import", NULL, documents_import);
}

static void
cr_documents_page_init (CrDocumentsPage *self)
{
  GtkListItemFactory *factory;
  GtkDropTarget *drop;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->documents = g_list_store_new (CR_TYPE_DOCUMENT);
  self->selection = gtk_single_selection_new (G_LIST_MODEL (g_object_ref (self->documents)));
  g_signal_connect_object (self->selection, "notify::selected", G_CALLBACK (on_selection_changed),
                           self, G_CONNECT_SWAPPED);
  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row), NULL);
  gtk_list_view_set_factory (self->list_view, factory);
  g_object_unref (factory);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));

  drop = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect (drop, "drop", G_CALLBACK (on_drop), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));
}

GtkWidget *
cr_documents_page_new (void)
{
  return g_object_new (CR_TYPE_DOCUMENTS_PAGE, NULL);
}

void
cr_documents_page_set_patient (CrDocumentsPage *self,
                               CrStore         *store,
                               CrPatient       *patient)
{
  gboolean same;

  g_return_if_fail (CR_IS_DOCUMENTS_PAGE (self));

  same = self->patient != NULL && patient != NULL &&
         cr_patient_get_id (self->patient) == cr_patient_get_id (patient) && self->store == store;
  g_set_object (&self->store, store);
  g_set_object (&self->patient, patient);
  if (!same)
    {
      /* Nothing of the previous patient stays on screen. */
      g_list_store_remove_all (self->documents);
      cr_document_viewer_set_document (self->viewer, NULL, 0);
      gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
    }
  cr_documents_page_reload (self);
}

gboolean
cr_documents_page_get_loading (CrDocumentsPage *self)
{
  g_return_val_if_fail (CR_IS_DOCUMENTS_PAGE (self), FALSE);
  return self->loading || cr_document_viewer_get_loading (self->viewer);
}

GListModel *
cr_documents_page_get_documents (CrDocumentsPage *self)
{
  g_return_val_if_fail (CR_IS_DOCUMENTS_PAGE (self), NULL);
  return G_LIST_MODEL (self->documents);
}

GtkEditable *
cr_documents_page_get_search_entry (CrDocumentsPage *self)
{
  g_return_val_if_fail (CR_IS_DOCUMENTS_PAGE (self), NULL);
  return GTK_EDITABLE (self->search_entry);
}

void
cr_documents_page_select (CrDocumentsPage *self,
                          gint64           document_id)
{
  g_return_if_fail (CR_IS_DOCUMENTS_PAGE (self));

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->documents)); i++)
    {
      g_autoptr(CrDocument) document = g_list_model_get_item (G_LIST_MODEL (self->documents), i);

      if (cr_document_get_id (document) == document_id)
        {
          gtk_single_selection_set_selected (self->selection, i);
          return;
        }
    }
  self->select_after_load = document_id;
}

CrDocumentViewer *
cr_documents_page_get_viewer (CrDocumentsPage *self)
{
  g_return_val_if_fail (CR_IS_DOCUMENTS_PAGE (self), NULL);
  return self->viewer;
}

/* ---- in the chart -------------------------------------------------------- */

/* Loaded when first shown, and again each time it is shown (documents
 * filed from the inbox meanwhile appear). */
static void
sync_with_chart (CrDocumentsPage *page)
{
  AdwViewStack *stack = g_object_get_data (G_OBJECT (page), "cr-stack");
  GObject *chart_page = g_object_get_data (G_OBJECT (page), "cr-chart-page");
  g_autoptr(CrStore) store = NULL;
  g_autoptr(CrPatient) patient = NULL;

  if (adw_view_stack_get_visible_child (stack) != GTK_WIDGET (page))
    return;
  g_object_get (chart_page, "store", &store, "patient", &patient, NULL);
  cr_documents_page_set_patient (page, store, patient);
}

static void
on_chart_changed (GObject         *object,
                  GParamSpec      *pspec,
                  CrDocumentsPage *page)
{
  if (page->patient != NULL)
    cr_documents_page_set_patient (page, NULL, NULL);
  sync_with_chart (page);
}

static void
on_visible_child (GObject         *object,
                  GParamSpec      *pspec,
                  CrDocumentsPage *page)
{
  sync_with_chart (page);
}

void
_cr_documents_page_attach (AdwViewStack *stack,
                           GObject      *chart_page)
{
  GtkWidget *page = cr_documents_page_new ();
  AdwViewStackPage *stack_page;

  stack_page = adw_view_stack_add_titled (stack, page, "documents", _("Documents"));
  adw_view_stack_page_set_icon_name (stack_page, "folder-documents-symbolic");
  /* Not references: the chart page owns the stack, the stack the page. */
  g_object_set_data (G_OBJECT (page), "cr-stack", stack);
  g_object_set_data (G_OBJECT (page), "cr-chart-page", chart_page);
  g_signal_connect_object (chart_page, "notify::patient", G_CALLBACK (on_chart_changed), page, 0);
  g_signal_connect_object (chart_page, "notify::store", G_CALLBACK (on_chart_changed), page, 0);
  g_signal_connect_object (stack, "notify::visible-child", G_CALLBACK (on_visible_child), page, 0);
}
