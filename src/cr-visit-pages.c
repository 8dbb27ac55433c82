/* cr-visit-pages.c: a patient's visits as a list that grows page by page
 *
 * A chart can hold hundreds of visits; the history shows the newest first
 * and reads older pages only as the user scrolls towards them, each page in
 * a worker thread so that scrolling never waits for the disk.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cr-visit-pages"

#include "config.h"

#include "cr-chart.h"
#include "cr-visit-pages.h"

struct _CrVisitPages
{
  GObject       parent_instance;

  CrStore      *store;
  gint64        patient_id;
  guint         page_size;
  GPtrArray    *visits;
  GCancellable *cancellable;
  char         *error;
  gint64        last_load_usec;
  guint         loading : 1;
  guint         complete : 1;
};

enum {
  PROP_0,
  PROP_LOADING,
  PROP_COMPLETE,
  PROP_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CrVisitPages, cr_visit_pages, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static GType
cr_visit_pages_get_item_type (GListModel *model)
{
  return CR_TYPE_VISIT;
}

static guint
cr_visit_pages_get_n_items (GListModel *model)
{
  return CR_VISIT_PAGES (model)->visits->len;
}

static gpointer
cr_visit_pages_get_item (GListModel *model,
                         guint       position)
{
  CrVisitPages *self = CR_VISIT_PAGES (model);

  if (position >= self->visits->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->visits, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = cr_visit_pages_get_item_type;
  iface->get_n_items = cr_visit_pages_get_n_items;
  iface->get_item = cr_visit_pages_get_item;
}

typedef struct
{
  gint64 patient_id;
  guint  offset;
  guint  limit;
  gint64 usec;
} PageRequest;

static void
load_page_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  CrStore *store = source_object;
  PageRequest *request = task_data;
  g_autoptr(GError) error = NULL;
  GPtrArray *page;
  gint64 start = g_get_monotonic_time ();

  if (g_task_return_error_if_cancelled (task))
    return;
  page = cr_store_list_visits (store, request->patient_id, request->offset, request->limit, &error);
  request->usec = g_get_monotonic_time () - start;
  if (page == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, page, (GDestroyNotify) g_ptr_array_unref);
}

static void
load_page_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(CrVisitPages) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) page = g_task_propagate_pointer (G_TASK (result), &error);
  PageRequest *request = g_task_get_task_data (G_TASK (result));
  guint position;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->loading = FALSE;
  if (page == NULL)
    {
      g_free (self->error);
      self->error = g_strdup (error->message);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
      return;
    }

  self->last_load_usec = request->usec;
  position = self->visits->len;
  for (guint i = 0; i < page->len; i++)
    g_ptr_array_add (self->visits, g_object_ref (g_ptr_array_index (page, i)));
  if (page->len < request->limit)
    {
      self->complete = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPLETE]);
    }
  if (page->len > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), position, 0, page->len);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

/**
 * cr_visit_pages_load_more:
 *
 * Reads the next page of older visits, unless one is being read or the
 * list is complete.
 */
void
cr_visit_pages_load_more (CrVisitPages *self)
{
  g_autoptr(GTask) task = NULL;
  PageRequest *request;

  g_return_if_fail (CR_IS_VISIT_PAGES (self));

  if (self->loading || self->complete || self->error != NULL)
    return;

  request = g_new0 (PageRequest, 1);
  request->patient_id = self->patient_id;
  request->offset = self->visits->len;
  request->limit = self->page_size;

  self->loading = TRUE;
  task = g_task_new (self->store, self->cancellable, load_page_done, g_object_ref (self));
  g_task_set_source_tag (task, cr_visit_pages_load_more);
  g_task_set_task_data (task, request, g_free);
  g_task_run_in_thread (task, load_page_thread);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
cr_visit_pages_dispose (GObject *object)
{
  CrVisitPages *self = (CrVisitPages *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (cr_visit_pages_parent_class)->dispose (object);
}

static void
cr_visit_pages_finalize (GObject *object)
{
  CrVisitPages *self = (CrVisitPages *)object;

  g_ptr_array_unref (self->visits);
  g_free (self->error);

  G_OBJECT_CLASS (cr_visit_pages_parent_class)->finalize (object);
}

static void
cr_visit_pages_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  CrVisitPages *self = CR_VISIT_PAGES (object);

  switch (prop_id)
    {
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    case PROP_COMPLETE:
      g_value_set_boolean (value, self->complete);
      break;
    case PROP_ERROR:
      g_value_set_string (value, self->error);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cr_visit_pages_class_init (CrVisitPagesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cr_visit_pages_dispose;
  object_class->finalize = cr_visit_pages_finalize;
  object_class->get_property = cr_visit_pages_get_property;

  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_COMPLETE] =
    g_param_spec_boolean ("complete", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ERROR] =
    g_param_spec_string ("error", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cr_visit_pages_init (CrVisitPages *self)
{
  self->visits = g_ptr_array_new_with_free_func (g_object_unref);
  self->cancellable = g_cancellable_new ();
}

/**
 * cr_visit_pages_new:
 * @page_size: visits read at a time
 *
 * Returns: (transfer full): an empty list; call cr_visit_pages_load_more()
 */
CrVisitPages *
cr_visit_pages_new (CrStore *store,
                    gint64   patient_id,
                    guint    page_size)
{
  CrVisitPages *self;

  g_return_val_if_fail (CR_IS_STORE (store), NULL);
  g_return_val_if_fail (page_size > 0, NULL);

  self = g_object_new (CR_TYPE_VISIT_PAGES, NULL);
  self->store = g_object_ref (store);
  self->patient_id = patient_id;
  self->page_size = page_size;
  return self;
}

gboolean
cr_visit_pages_get_loading (CrVisitPages *self)
{
  g_return_val_if_fail (CR_IS_VISIT_PAGES (self), FALSE);
  return self->loading;
}

gboolean
cr_visit_pages_get_complete (CrVisitPages *self)
{
  g_return_val_if_fail (CR_IS_VISIT_PAGES (self), FALSE);
  return self->complete;
}

/**
 * cr_visit_pages_get_error:
 *
 * Returns: (nullable): why the last page could not be read
 */
const char *
cr_visit_pages_get_error (CrVisitPages *self)
{
  g_return_val_if_fail (CR_IS_VISIT_PAGES (self), NULL);
  return self->error;
}

gint64
cr_visit_pages_get_last_load_usec (CrVisitPages *self)
{
  g_return_val_if_fail (CR_IS_VISIT_PAGES (self), 0);
  return self->last_load_usec;
}
