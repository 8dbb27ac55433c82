/* cr-inbox.c: the documents filed to no patient yet, and filing them
 *
 * A window of its own beside the charts: the unfiled documents on the
 * left (page 1's thumbnail, file name, pages, imported when and by whom),
 * the selected one in the viewer, the filing form on the right. Filing
 * moves on to the next document with the focus back in the patient
 * search, so that a stack is filed without the mouse.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cr-inbox"

#include "config.h"

#include <glib/gi18n.h>

#include "cr-document-render.h"
#include "cr-documents.h"
#include "cr-inbox.h"
#include "cr-patient-row.h"

#define THUMB_PIXELS 96.0

struct _CrInbox
{
  AdwWindow          parent_instance;

  CrStore           *store;
  GCancellable      *cancellable;
  GListStore        *documents;
  GtkSingleSelection *selection;
  GHashTable        *thumbnails;   /* document id → GdkTexture */
  GQueue             thumb_queue;  /* ids */
  gboolean           thumbnailing;
  gboolean           loading;
  gboolean           splitting;
  gint64             select_after_load;

  AdwWindowTitle    *window_title;
  AdwToastOverlay   *toast_overlay;
  GtkStack          *list_stack;
  GtkListView       *list_view;
  GtkStack          *content_stack;
  CrDocumentViewer  *viewer;
  CrFilingPanel     *filing_panel;
};

G_DEFINE_FINAL_TYPE (CrInbox, cr_inbox, ADW_TYPE_WINDOW)

static void
toast (CrInbox    *self,
       const char *text)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
}

/* ---- thumbnails -------------------------------------------------------- */

static GdkTexture *
texture_from_surface (cairo_surface_t *surface)
{
  int height = cairo_image_surface_get_height (surface);
  int stride = cairo_image_surface_get_stride (surface);
  g_autoptr(GBytes) bytes = g_bytes_new_with_free_func (cairo_image_surface_get_data (surface),
                                                        (gsize) stride * (gsize) height,
                                                        (GDestroyNotify) cairo_surface_destroy,
                                                        cairo_surface_reference (surface));

  return gdk_memory_texture_new (cairo_image_surface_get_width (surface), height,
                                 GDK_MEMORY_DEFAULT, bytes, stride);
}

static void
thumb_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  gint64 id = *(gint64 *) task_data;
  g_autoptr(PopplerDocument) document = NULL;
  g_autoptr(PopplerPage) page = NULL;
  g_autoptr(CrDocument) meta = NULL;
  cairo_surface_t *surface;
  GError *error = NULL;
  double w, h;

  meta = cr_store_get_document (source_object, id, &error);
  if (meta == NULL || (document = cr_store_open_document (source_object, id, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  page = poppler_document_get_page (document, 0);
  if (page == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED, "No first page");
      return;
    }
  poppler_page_get_size (page, &w, &h);
  surface = cr_document_render_page (page, THUMB_PIXELS / MAX (1.0, MAX (w, h)),
                                     cr_document_get_page_rotation (meta, 0), cancellable, &error);
  if (surface == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, surface, (GDestroyNotify) cairo_surface_destroy);
}

static void next_thumbnail (CrInbox *self);

static GtkPicture *
bound_picture (CrInbox *self,
               gint64   id)
{
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->documents)); i++)
    {
      g_autoptr(CrDocument) document = g_list_model_get_item (G_LIST_MODEL (self->documents), i);

      if (cr_document_get_id (document) == id)
        return g_object_get_data (G_OBJECT (document), "cr-inbox-picture");
    }
  return NULL;
}

static void
thumb_done (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(CrInbox) self = user_data;
  gint64 id = *(gint64 *) g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  cairo_surface_t *surface = g_task_propagate_pointer (G_TASK (result), &error);
  GtkPicture *picture;

  self->thumbnailing = FALSE;
  if (surface == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_debug ("No thumbnail for document %" G_GINT64_FORMAT ": %s", id, error->message);
    }
  else
    {
      GdkTexture *texture = texture_from_surface (surface);

      cairo_surface_destroy (surface);
      g_hash_table_insert (self->thumbnails, g_memdup2 (&id, sizeof id), texture);
      if ((picture = bound_picture (self, id)) != NULL)
        gtk_picture_set_paintable (picture, GDK_PAINTABLE (texture));
    }
  next_thumbnail (self);
}

static void
next_thumbnail (CrInbox *self)
{
  g_autoptr(GTask) task = NULL;
  gint64 *id;

  if (self->thumbnailing || self->store == NULL)
    return;
  while ((id = g_queue_pop_head (&self->thumb_queue)) != NULL &&
         g_hash_table_contains (self->thumbnails, id))
    g_free (id);
  if (id == NULL)
    return;
  self->thumbnailing = TRUE;
  task = g_task_new (self->store, self->cancellable, thumb_done, g_object_ref (self));
  g_task_set_source_tag (task, next_thumbnail);
  g_task_set_task_data (task, id, g_free);
  g_task_run_in_thread (task, thumb_thread);
}

/* ---- the list ------------------------------------------------------------ */

static void
setup_row (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           CrInbox                  *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *frame = gtk_frame_new (NULL);
  GtkWidget *picture = gtk_picture_new ();
  GtkWidget *labels = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *name = gtk_label_new (NULL);
  GtkWidget *pages = gtk_label_new (NULL);
  GtkWidget *when = gtk_label_new (NULL);

  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_widget_set_size_request (frame, 48, 62);
  gtk_widget_set_valign (frame, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (frame, "cr-inbox-thumbnail");
  gtk_picture_set_can_shrink (GTK_PICTURE (picture), TRUE);
  gtk_frame_set_child (GTK_FRAME (frame), picture);
  gtk_widget_set_valign (labels, GTK_ALIGN_CENTER);
  gtk_widget_set_hexpand (labels, TRUE);
  for (GtkWidget *l = name; l != NULL; l = l == name ? pages : l == pages ? when : NULL)
    {
      gtk_label_set_xalign (GTK_LABEL (l), 0);
      gtk_label_set_ellipsize (GTK_LABEL (l), PANGO_ELLIPSIZE_MIDDLE);
      gtk_box_append (GTK_BOX (labels), l);
    }
  gtk_widget_add_css_class (name, "heading");
  gtk_widget_add_css_class (pages, "dim-label");
  gtk_widget_add_css_class (pages, "caption");
  gtk_widget_add_css_class (when, "dim-label");
  gtk_widget_add_css_class (when, "caption");
  gtk_box_append (GTK_BOX (box), frame);
  gtk_box_append (GTK_BOX (box), labels);
  g_object_set_data (G_OBJECT (box), "picture", picture);
  g_object_set_data (G_OBJECT (box), "name", name);
  g_object_set_data (G_OBJECT (box), "pages", pages);
  g_object_set_data (G_OBJECT (box), "when", when);
  gtk_list_item_set_child (item, box);
}

static void
bind_row (GtkSignalListItemFactory *factory,
          GtkListItem              *item,
          CrInbox                  *self)
{
  GtkWidget *box = gtk_list_item_get_child (item);
  CrDocument *document = gtk_list_item_get_item (item);
  GtkPicture *picture = g_object_get_data (G_OBJECT (box), "picture");
  const char *name = cr_document_get_title (document);
  guint n = cr_document_get_page_count (document);
  g_autofree char *stamp = _cr_patient_row_format_timestamp (cr_document_get_created_at (document));
  g_autofree char *pages = NULL;
  g_autofree char *when = NULL;
  gint64 id = cr_document_get_id (document);
  GdkTexture *texture = g_hash_table_lookup (self->thumbnails, &id);

  if (name == NULL)
    name = cr_document_get_file_name (document);
  gtk_label_set_label (g_object_get_data (G_OBJECT (box), "name"), name ? name : "");
  gtk_widget_set_tooltip_text (box, cr_document_get_file_name (document));
  if (cr_document_get_created_by (document) != NULL && *cr_document_get_created_by (document) != '\0')
    /* Translators: "4 pages · by alice" (who imported it) */
    pages = g_strdup_printf (ngettext ("%u page · by %s", "%u pages · by %s", n), n,
                             cr_document_get_created_by (document));
  else
    pages = g_strdup_printf (ngettext ("%u page", "%u pages", n), n);
  gtk_label_set_label (g_object_get_data (G_OBJECT (box), "pages"), pages);
  /* Translators: "Imported Mar 5, 2024, 14:05" */
  when = g_strdup_printf (_("Imported %s"), stamp ? stamp : "");
  gtk_label_set_label (g_object_get_data (G_OBJECT (box), "when"), when);

  gtk_picture_set_paintable (picture, texture ? GDK_PAINTABLE (texture) : NULL);
  g_object_set_data (G_OBJECT (document), "cr-inbox-picture", picture);
  if (texture == NULL)
    {
      gint64 *queued = g_memdup2 (&id, sizeof id);

      g_queue_push_tail (&self->thumb_queue, queued);
      next_thumbnail (self);
    }
}

static void
unbind_row (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            CrInbox                  *self)
{
  CrDocument *document = gtk_list_item_get_item (item);

  if (document != NULL)
    g_object_set_data (G_OBJECT (document), "cr-inbox-picture", NULL);
}

static void
update_title (CrInbox *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->documents));
  g_autofree char *subtitle = NULL;

  if (n > 0)
    subtitle = g_strdup_printf (ngettext ("%u document to file", "%u documents to file", n), n);
  adw_window_title_set_subtitle (self->window_title, subtitle ? subtitle : _("Nothing to file"));
  gtk_stack_set_visible_child_name (self->list_stack, n > 0 ? "list" : "empty");
  gtk_stack_set_visible_child_name (self->content_stack, n > 0 ? "document" : "empty");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "inbox.split",
                                 gtk_single_selection_get_selected_item (self->selection) != NULL &&
                                 !self->splitting);
}

static void
on_selection_changed (CrInbox *self)
{
  CrDocument *document = gtk_single_selection_get_selected_item (self->selection);

  cr_document_viewer_set_document (self->viewer, self->store,
                                   document ? cr_document_get_id (document) : 0);
  cr_filing_panel_set_document (self->filing_panel, self->store, document);
  update_title (self);
}

/* ---- loading -------------------------------------------------------------- */

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;
  GListModel *list = cr_store_list_inbox (source_object, &error);

  if (list == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, list, g_object_unref);
}

static void
load_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(CrInbox) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) list = g_task_propagate_pointer (G_TASK (result), &error);
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  gint64 keep = self->select_after_load;
  guint n, position = GTK_INVALID_LIST_POSITION;

  self->loading = FALSE;
  if (list == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        toast (self, error->message);
      return;
    }
  if (keep == 0)
    keep = cr_inbox_get_selected_id (self);
  self->select_after_load = 0;

  n = g_list_model_get_n_items (list);
  for (guint i = 0; i < n; i++)
    {
      CrDocument *document = g_list_model_get_item (list, i);

      if (cr_document_get_id (document) == keep)
        position = i;
      g_ptr_array_add (items, document);
    }
  g_signal_handlers_block_by_func (self->selection, on_selection_changed, self);
  g_list_store_splice (self->documents, 0, g_list_model_get_n_items (G_LIST_MODEL (self->documents)),
                       items->pdata, items->len);
  g_signal_handlers_unblock_by_func (self->selection, on_selection_changed, self);
  if (position == GTK_INVALID_LIST_POSITION && n > 0)
    position = 0;
  if (position != GTK_INVALID_LIST_POSITION &&
      (keep == 0 || cr_document_viewer_get_document_id (self->viewer) != keep ||
       cr_filing_panel_get_document (self->filing_panel) == NULL ||
       cr_document_get_id (cr_filing_panel_get_document (self->filing_panel)) != keep))
    {
      gtk_single_selection_set_selected (self->selection, position);
      on_selection_changed (self);
    }
  else if (position != GTK_INVALID_LIST_POSITION)
    {
      g_signal_handlers_block_by_func (self->selection, on_selection_changed, self);
      gtk_single_selection_set_selected (self->selection, position);
      g_signal_handlers_unblock_by_func (self->selection, on_selection_changed, self);
    }
  else
    on_selection_changed (self);
  update_title (self);
}

void
cr_inbox_reload (CrInbox *self)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (CR_IS_INBOX (self));

  if (self->store == NULL)
    return;
  self->loading = TRUE;
  task = g_task_new (self->store, self->cancellable, load_done, g_object_ref (self));
  g_task_set_source_tag (task, cr_inbox_reload);
  g_task_run_in_thread (task, load_thread);
}

/* ---- filing ----------------------------------------------------------------- */

static void
on_filed (CrInbox       *self,
          gint64         id,
          CrFilingPanel *panel)
{
  CrPatient *patient = cr_filing_panel_get_patient (panel);
  g_autofree char *name = patient ? cr_patient_dup_display_name (patient) : NULL;
  g_autofree char *text = NULL;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->documents));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CrDocument) document = g_list_model_get_item (G_LIST_MODEL (self->documents), i);

      if (cr_document_get_id (document) != id)
        continue;
      /* The next document takes its place (or the one before, at the end). */
      g_signal_handlers_block_by_func (self->selection, on_selection_changed, self);
      g_list_store_remove (self->documents, i);
      gtk_single_selection_set_selected (self->selection,
                                         n > 1 ? MIN (i, n - 2) : GTK_INVALID_LIST_POSITION);
      g_signal_handlers_unblock_by_func (self->selection, on_selection_changed, self);
      break;
    }
  on_selection_changed (self);
  /* Translators: %s is the patient's name */
  text = g_strdup_printf (_("Filed to %s’s chart"), name ? name : "");
  toast (self, text);
  cr_filing_panel_focus (self->filing_panel);
}

static void
inbox_file (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  cr_filing_panel_file (CR_INBOX (widget)->filing_panel);
}

/* ---- import -------------------------------------------------------------- */

static void
on_imported (CrInbox           *self,
             guint              n,
             CrImportDocuments *import)
{
  cr_inbox_reload (self);
}

CrImportDocuments *
cr_inbox_import (CrInbox            *self,
                 const char * const *paths)
{
  CrImportDocuments *import;

  g_return_val_if_fail (CR_IS_INBOX (self), NULL);

  import = cr_import_documents_new (GTK_WINDOW (self), self->store, 0);
  g_signal_connect_object (import, "imported", G_CALLBACK (on_imported), self, G_CONNECT_SWAPPED);
  cr_import_documents_start (import, paths);
  return import;
}

static void
inbox_import (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  CrInbox *self = CR_INBOX (widget);
  CrImportDocuments *import = cr_import_documents_choose (GTK_WINDOW (self), self->store, 0);

  g_signal_connect_object (import, "imported", G_CALLBACK (on_imported), self, G_CONNECT_SWAPPED);
}

static gboolean
on_drop (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         CrInbox       *self)
{
  GSList *files = g_value_get_boxed (value);
  CrImportDocuments *import;

  import = cr_import_documents_import_files (GTK_WINDOW (self), self->store, 0, files);
  if (import == NULL)
    return FALSE;
  g_signal_connect_object (import, "imported", G_CALLBACK (on_imported), self, G_CONNECT_SWAPPED);
  return TRUE;
}

/* ---- splitting ----------------------------------------------------------- */

char *
cr_inbox_describe_ranges (const char  *ranges,
                          guint        n_pages,
                          GError     **error)
{
  g_autoptr(GArray) parts = cr_document_parse_ranges (ranges, n_pages, error);
  g_autoptr(GString) text = NULL;
  guint n;

  if (parts == NULL)
    return NULL;
  n = parts->len / 2;
  text = g_string_new (NULL);
  /* Translators: the split preview's first line, "3 documents:" */
  g_string_append_printf (text, ngettext ("%u document:", "%u documents:", n), n);
  for (guint i = 0; i < n; i++)
    {
      guint first = g_array_index (parts, guint, 2 * i) + 1;
      guint last = g_array_index (parts, guint, 2 * i + 1) + 1;

      g_string_append_c (text, '\n');
      if (first == last)
        /* Translators: one part of a split, "Part 2: page 4" */
        g_string_append_printf (text, _("Part %u: page %u"), i + 1, first);
      else
        /* Translators: one part of a split, "Part 1: pages 1–3 (3 pages)" */
        g_string_append_printf (text, _("Part %u: pages %u–%u (%u pages)"), i + 1, first, last,
                                last - first + 1);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

typedef struct
{
  gint64  id;
  char   *ranges;
} SplitData;

static void
split_data_free (SplitData *data)
{
  g_free (data->ranges);
  g_free (data);
}

static void
split_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  SplitData *data = task_data;
  GPtrArray *ids = NULL;
  GError *error = NULL;

  if (cr_store_split_document (source_object, data->id, data->ranges, &ids, cancellable, &error))
    g_task_return_pointer (task, ids, (GDestroyNotify) g_ptr_array_unref);
  else
    g_task_return_error (task, error);
}

static void
split_done (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(CrInbox) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) ids = g_task_propagate_pointer (G_TASK (result), &error);
  g_autofree char *text = NULL;

  self->splitting = FALSE;
  if (ids == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          /* Translators: %s says why */
          text = g_strdup_printf (_("The document was not split: %s"), error->message);
          toast (self, text);
          update_title (self);
        }
      return;
    }
  text = g_strdup_printf (ngettext ("Split into %u document", "Split into %u documents", ids->len),
                          ids->len);
  toast (self, text);
  if (ids->len > 0)
    self->select_after_load = *(gint64 *) g_ptr_array_index (ids, 0);
  cr_inbox_reload (self);
}

void
cr_inbox_split_selected (CrInbox    *self,
                         const char *ranges)
{
  CrDocument *document;
  g_autoptr(GTask) task = NULL;
  SplitData *data;

  g_return_if_fail (CR_IS_INBOX (self));

  document = gtk_single_selection_get_selected_item (self->selection);
  if (document == NULL || self->splitting)
    return;
  data = g_new0 (SplitData, 1);
  data->id = cr_document_get_id (document);
  data->ranges = g_strdup (ranges);
  self->splitting = TRUE;
  update_title (self);
  task = g_task_new (self->store, self->cancellable, split_done, g_object_ref (self));
  g_task_set_source_tag (task, cr_inbox_split_selected);
  g_task_set_task_data (task, data, (GDestroyNotify) split_data_free);
  g_task_run_in_thread (task, split_thread);
}

static void
on_ranges_changed (GtkEditable      *entry,
                   AdwMessageDialog *dialog)
{
  GtkLabel *preview = g_object_get_data (G_OBJECT (dialog), "preview");
  guint n_pages = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (dialog), "n-pages"));
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  const char *ranges = gtk_editable_get_text (entry);

  text = *ranges ? cr_inbox_describe_ranges (ranges, n_pages, &error) : NULL;
  gtk_widget_remove_css_class (GTK_WIDGET (entry), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (preview), "error");
  if (text != NULL)
    gtk_label_set_label (preview, text);
  else if (*ranges == '\0')
    gtk_label_set_label (preview, "");
  else
    {
      gtk_label_set_label (preview, error->message);
      gtk_widget_add_css_class (GTK_WIDGET (entry), "error");
      gtk_widget_add_css_class (GTK_WIDGET (preview), "error");
    }
  adw_message_dialog_set_response_enabled (dialog, "split", text != NULL);
}

static void
on_split_response (AdwMessageDialog *dialog,
                   const char       *response,
                   CrInbox          *self)
{
  GtkEditable *entry = g_object_get_data (G_OBJECT (dialog), "entry");

  if (g_strcmp0 (response, "split") == 0)
    cr_inbox_split_selected (self, gtk_editable_get_text (entry));
}

void
cr_inbox_show_split_dialog (CrInbox *self)
{
  CrDocument *document;
  GtkWidget *dialog, *box, *entry, *preview;
  g_autofree char *body = NULL;
  guint n_pages;

  g_return_if_fail (CR_IS_INBOX (self));

  document = gtk_single_selection_get_selected_item (self->selection);
  if (document == NULL)
    return;
  n_pages = cr_document_get_page_count (document);
  body = g_strdup_printf (ngettext ("This scan has %u page. Type the pages of each document, "
                                    "separated by commas; every page must be in one part.",
                                    "This scan has %u pages. Type the pages of each document, "
                                    "separated by commas; every page must be in one part.",
                                    n_pages), n_pages);
  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Split Into Documents"), body);
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  entry = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("For example 1-3, 4, 5-9"));
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Page ranges"), -1);
  preview = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (preview), 0);
  gtk_label_set_wrap (GTK_LABEL (preview), TRUE);
  gtk_widget_add_css_class (preview, "numeric");
  gtk_box_append (GTK_BOX (box), entry);
  gtk_box_append (GTK_BOX (box), preview);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "split", _("_Split"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "split", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "split");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "split", FALSE);
  g_object_set_data (G_OBJECT (dialog), "entry", entry);
  g_object_set_data (G_OBJECT (dialog), "preview", preview);
  g_object_set_data (G_OBJECT (dialog), "n-pages", GUINT_TO_POINTER (n_pages));
  g_signal_connect (entry, "changed", G_CALLBACK (on_ranges_changed), dialog);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_split_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);
}

static void
inbox_split (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  cr_inbox_show_split_dialog (CR_INBOX (widget));
}

/* ---- the primary menu's count --------------------------------------------- */

static gboolean
update_menu_item (GMenuModel *menu,
                  gint64      count)
{
  for (int i = 0; i < g_menu_model_get_n_items (menu); i++)
    {
      g_autofree char *action = NULL;
      g_autofree char *label = NULL;
      g_autofree char *old = NULL;
      GMenuModel *section = g_menu_model_get_item_link (menu, i, G_MENU_LINK_SECTION);
      g_autoptr(GMenuItem) item = NULL;

      if (section != NULL)
        {
          gboolean done = update_menu_item (section, count);

          g_object_unref (section);
          if (done)
            return TRUE;
          continue;
        }
      if (!g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_ACTION, "s", &action) ||
          g_strcmp0 (action, "main.inbox") != 0)
        continue;
      if (!G_IS_MENU (menu))
        return TRUE;
      if (count > 0)
        /* Translators: the primary menu's item with the number of documents to file */
        label = g_strdup_printf (_("_Inbox (%" G_GINT64_FORMAT ")"), count);
      else
        label = g_strdup (_("_Inbox"));
      g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_LABEL, "s", &old);
      if (g_strcmp0 (old, label) != 0)
        {
          item = g_menu_item_new_from_model (menu, i);
          g_menu_item_set_label (item, label);
          g_menu_remove (G_MENU (menu), i);
          g_menu_insert_item (G_MENU (menu), i, item);
        }
      return TRUE;
    }
  return FALSE;
}

void
cr_inbox_update_menu_count (GMenuModel *menu,
                            gint64      count)
{
  g_return_if_fail (G_IS_MENU_MODEL (menu));
  update_menu_item (menu, count);
}

static GtkMenuButton *
find_primary_menu (GtkWidget *widget)
{
  if (GTK_IS_MENU_BUTTON (widget) && gtk_menu_button_get_primary (GTK_MENU_BUTTON (widget)))
    return GTK_MENU_BUTTON (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkMenuButton *found = find_primary_menu (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
refresh_menu_count (GtkMenuButton *button,
                    GObject       *main_view)
{
  g_autoptr(CrStore) store = NULL;
  GMenuModel *menu = gtk_menu_button_get_menu_model (button);
  gint64 count = 0;

  if (menu == NULL)
    return;
  g_object_get (main_view, "store", &store, NULL);
  /* An indexed count: quick enough for opening a menu. */
  if (store != NULL)
    count = MAX (cr_store_count_inbox (store, NULL), 0);
  cr_inbox_update_menu_count (menu, count);
}

static void
on_menu_shown (GtkWidget *popover,
               GObject   *main_view)
{
  GtkWidget *button = gtk_widget_get_ancestor (popover, GTK_TYPE_MENU_BUTTON);

  if (button != NULL)
    refresh_menu_count (GTK_MENU_BUTTON (button), main_view);
}

static void
on_main_view_store (GObject       *main_view,
                    GParamSpec    *pspec,
                    GtkMenuButton *button)
{
  refresh_menu_count (button, main_view);
}

void
_cr_inbox_track_menu_count (GtkWidget *main_view,
                            GtkWidget *sidebar)
{
  GtkMenuButton *button = find_primary_menu (sidebar);

  if (button == NULL)
    return;
  if (gtk_menu_button_get_popover (button) != NULL)
    g_signal_connect_object (gtk_menu_button_get_popover (button), "show",
                             G_CALLBACK (on_menu_shown), main_view, 0);
  g_signal_connect_object (main_view, "notify::store", G_CALLBACK (on_main_view_store), button, 0);
}

/* ---- GObject ------------------------------------------------------------ */

static void
on_active_changed (CrInbox *self)
{
  /* Back from the charts or the file manager: documents may have come. */
  if (gtk_window_is_active (GTK_WINDOW (self)) && !self->loading)
    cr_inbox_reload (self);
}

static void
cr_inbox_dispose (GObject *object)
{
  CrInbox *self = (CrInbox *)object;

  g_cancellable_cancel (self->cancellable);
  g_queue_clear_full (&self->thumb_queue, g_free);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (cr_inbox_parent_class)->dispose (object);
}

static void
cr_inbox_finalize (GObject *object)
{
  CrInbox *self = (CrInbox *)object;

  g_clear_object (&self->cancellable);
  g_clear_object (&self->documents);
  g_clear_object (&self->selection);
  g_clear_pointer (&self->thumbnails, g_hash_table_unref);
  G_OBJECT_CLASS (cr_inbox_parent_class)->finalize (object);
}

static void
cr_inbox_class_init (CrInboxClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cr_inbox_dispose;
  object_class->finalize = cr_inbox_finalize;

  g_type_ensure (CR_TYPE_DOCUMENT_VIEWER);
  g_type_ensure (CR_TYPE_FILING_PANEL);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/chartroom/Chartroom/cr-inbox.ui");
  gtk_widget_class_bind_template_child (widget_class, CrInbox, window_title);
  gtk_widget_class_bind_template_child (widget_class, CrInbox, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, CrInbox, list_stack);
  gtk_widget_class_bind_template_child (widget_class, CrInbox, list_view);
  gtk_widget_class_bind_template_child (widget_class, CrInbox, content_stack);
  gtk_widget_class_bind_template_child (widget_class, CrInbox, viewer);
  gtk_widget_class_bind_template_child (widget_class, CrInbox, filing_panel);
  gtk_widget_class_bind_template_callback (widget_class, on_filed);

  gtk_widget_class_install_action (widget_class, "inbox.import", NULL, inbox_import);
  gtk_widget_class_install_action (widget_class, "inbox.split", NULL, inbox_split);
  gtk_widget_class_install_action (widget_class, "inbox.file", NULL, inbox_file);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK, "inbox.import", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK, "inbox.file", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, GDK_CONTROL_MASK, "inbox.file", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close", NULL);
}

static void
cr_inbox_init (CrInbox *self)
{
  GtkListItemFactory *factory;
  GtkDropTarget *drop;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->thumbnails = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_object_unref);
  g_queue_init (&self->thumb_queue);
  self->documents = g_list_store_new (CR_TYPE_DOCUMENT);
  self->selection = gtk_single_selection_new (G_LIST_MODEL (g_object_ref (self->documents)));
  g_signal_connect_object (self->selection, "notify::selected", G_CALLBACK (on_selection_changed),
                           self, G_CONNECT_SWAPPED);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_row), self);
  gtk_list_view_set_factory (self->list_view, factory);
  g_object_unref (factory);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));

  drop = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect (drop, "drop", G_CALLBACK (on_drop), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));

  g_signal_connect_swapped (self, "notify::is-active", G_CALLBACK (on_active_changed), self);
  update_title (self);
}

GtkWidget *
cr_inbox_new (GtkWindow *parent,
              CrStore   *store)
{
  CrInbox *self;

  g_return_val_if_fail (CR_IS_STORE (store), NULL);

  self = g_object_new (CR_TYPE_INBOX, "transient-for", parent, "destroy-with-parent", TRUE, NULL);
  self->store = g_object_ref (store);
  cr_inbox_reload (self);
  return GTK_WIDGET (self);
}

CrInbox *
cr_inbox_find (CrStore *store)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (CR_IS_INBOX (window) && CR_INBOX (window)->store == store)
        return CR_INBOX (window);
    }
  return NULL;
}

gboolean
cr_inbox_get_busy (CrInbox *self)
{
  g_return_val_if_fail (CR_IS_INBOX (self), FALSE);
  return self->loading || self->splitting || cr_document_viewer_get_loading (self->viewer);
}

GListModel *
cr_inbox_get_documents (CrInbox *self)
{
  g_return_val_if_fail (CR_IS_INBOX (self), NULL);
  return G_LIST_MODEL (self->documents);
}

gint64
cr_inbox_get_selected_id (CrInbox *self)
{
  CrDocument *document;

  g_return_val_if_fail (CR_IS_INBOX (self), 0);
  document = gtk_single_selection_get_selected_item (self->selection);
  return document ? cr_document_get_id (document) : 0;
}

void
cr_inbox_select (CrInbox *self,
                 gint64   document_id)
{
  g_return_if_fail (CR_IS_INBOX (self));

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->documents)); i++)
    {
      g_autoptr(CrDocument) document = g_list_model_get_item (G_LIST_MODEL (self->documents), i);

      if (cr_document_get_id (document) == document_id)
        {
          gtk_single_selection_set_selected (self->selection, i);
          return;
        }
    }
}

CrDocumentViewer *
cr_inbox_get_viewer (CrInbox *self)
{
  g_return_val_if_fail (CR_IS_INBOX (self), NULL);
  return self->viewer;
}

CrFilingPanel *
cr_inbox_get_filing_panel (CrInbox *self)
{
  g_return_val_if_fail (CR_IS_INBOX (self), NULL);
  return self->filing_panel;
}
