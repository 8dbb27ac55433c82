/* cr-patient-list.c: the sidebar's patients, searched and paged
 *
 * A GListModel of CrPatient over the result of a patient search. The search
 * runs in a worker thread and yields the matching ids in ranking order
 * (8 bytes each: 800 KB for 100,000 patients); patients are made from rows
 * only when asked for, a page at a time, and only a few pages are kept.
 *
 * With cr_patient_list_set_show_first_screenful() (the sidebar), a search
 * into an empty list (a practice just opened) is answered twice: first the
 * first screenful (a millisecond or two, however many match), shown at once
 * while #CrPatientList:loading stays %TRUE; then every match, counted (tens
 * of milliseconds for the whole practice), after the screenful has been
 * drawn. The first screenful is the start of the whole answer, so the
 * second only appends to it: the rows on screen stay as they are. Any other
 * search is one change from the old result to the new.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cr-patient-list"

#include "config.h"

#include <string.h>

#include "cr-patient-list.h"
#include "cr-patient-search-private.h"

#define PAGE_SIZE 50
#define MAX_PAGES 8

typedef struct
{
  guint      index;
  GPtrArray *patients; /* CrPatient */
} Page;

struct _CrPatientList
{
  GObject       parent_instance;

  CrStore      *store;
  char         *search;
  GArray       *ids;          /* gint64: the matches, in ranking order */
  guint         n_preview;    /* ids that are only the first screenful */
  GArray       *pending_ids;  /* the whole result, shown at pending_id */
  guint         pending_id;
  GCancellable *cancellable;  /* the latest search, while it runs */
  GQueue        pages;        /* Page, most recently used first */
  guint         loading : 1;
  guint         first_screenful_first : 1;
};

enum {
  PROP_0,
  PROP_STORE,
  PROP_SEARCH,
  PROP_LOADING,
  PROP_N_MATCHES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* How many matches the first answer holds: a tall window's screenful.
 * Every row made before the first frame costs start-up time (GTK 4.8's
 * list view makes up to 200 at once). */
#define FIRST_SCREENFUL 30

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CrPatientList, cr_patient_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

/* ---- pages -------------------------------------------------------------- */

static void
page_free (Page *page)
{
  g_ptr_array_unref (page->patients);
  g_free (page);
}

static void
drop_pages (CrPatientList *self)
{
  g_queue_clear_full (&self->pages, (GDestroyNotify) page_free);
}

static Page *
find_page (CrPatientList *self,
           guint          index)
{
  for (GList *link = self->pages.head; link != NULL; link = link->next)
    {
      Page *page = link->data;

      if (page->index == index)
        {
          if (link != self->pages.head)
            {
              g_queue_unlink (&self->pages, link);
              g_queue_push_head_link (&self->pages, link);
            }
          return page;
        }
    }
  return NULL;
}

/* Keeps @page (at most MAX_PAGES are kept). */
static Page *
add_page (CrPatientList *self,
          Page          *page)
{
  /* A list model answers every position: a row that could not be read
   * shows as a blank patient rather than crash the view. */
  for (guint i = 0; i < page->patients->len; i++)
    if (g_ptr_array_index (page->patients, i) == NULL)
      g_ptr_array_index (page->patients, i) = cr_patient_new ();

  while (self->pages.length >= MAX_PAGES)
    page_free (g_queue_pop_tail (&self->pages));
  g_queue_push_head (&self->pages, page);
  return page;
}

/* Runs on the main thread, on purpose: get_item() must answer at once, and
 * one page is a single query of PAGE_SIZE rows by primary key, well under a
 * millisecond on a 100,000-patient practice (test-search measures it), far
 * less than a frame and less than a round trip through a worker would cost.
 * It can wait for a search holding the store's lock, a few milliseconds. */
static Page *
load_page (CrPatientList *self,
           guint          index)
{
  g_autoptr(GError) error = NULL;
  guint first = index * PAGE_SIZE;
  guint n = MIN (PAGE_SIZE, self->ids->len - first);
  Page *page = g_new0 (Page, 1);

  page->index = index;
  page->patients = _cr_store_get_patients_by_ids (self->store,
                                                  &g_array_index (self->ids, gint64, first),
                                                  n, &error);
  if (page->patients == NULL)
    {
      g_warning ("Cannot read patients %u to %u of the list: %s",
                 first, first + n - 1, error->message);
      page->patients = g_ptr_array_new_full (n, g_object_unref);
      g_ptr_array_set_size (page->patients, n);
    }
  return add_page (self, page);
}

/* ---- GListModel --------------------------------------------------------- */

static GType
cr_patient_list_get_item_type (GListModel *model)
{
  return CR_TYPE_PATIENT;
}

static guint
cr_patient_list_get_n_items (GListModel *model)
{
  return CR_PATIENT_LIST (model)->ids->len;
}

static gpointer
cr_patient_list_get_item (GListModel *model,
                          guint       position)
{
  CrPatientList *self = CR_PATIENT_LIST (model);
  guint index = position / PAGE_SIZE;
  Page *page;

  if (position >= self->ids->len)
    return NULL;

  page = find_page (self, index);
  if (page == NULL)
    page = load_page (self, index);
  return g_object_ref (g_ptr_array_index (page->patients, position % PAGE_SIZE));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = cr_patient_list_get_item_type;
  iface->get_n_items = cr_patient_list_get_n_items;
  iface->get_item = cr_patient_list_get_item;
}

/* ---- searching ---------------------------------------------------------- */

typedef struct
{
  CrStore  *store;
  char     *text;
  gboolean  first_screenful_first;
} SearchData;

static void
search_data_free (SearchData *data)
{
  g_clear_object (&data->store);
  g_free (data->text);
  g_free (data);
}

typedef struct
{
  CrPatientList *self;
  GCancellable  *cancellable;
  GArray        *ids;
  GPtrArray     *patients;  /* (nullable): the first page, read here too */
} Preview;

static void
preview_free (Preview *preview)
{
  g_object_unref (preview->self);
  g_object_unref (preview->cancellable);
  g_array_unref (preview->ids);
  g_clear_pointer (&preview->patients, g_ptr_array_unref);
  g_free (preview);
}

static gboolean show_preview (gpointer user_data);

static void
search_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  SearchData *data = task_data;
  g_autoptr(GSource) source = NULL;
  GError *error = NULL;
  guint n_matches = 0;
  GArray *ids = NULL;

  /* The first screenful, shown while the rest is found. No error here is
   * lost: the same search runs again just below. */
  if (data->first_screenful_first)
    ids = _cr_store_search_patient_ids (data->store, data->text, 0, FIRST_SCREENFUL, NULL,
                                        cancellable, NULL);
  if (ids != NULL && ids->len > 0 && !g_cancellable_is_cancelled (cancellable))
    {
      Preview *preview = g_new0 (Preview, 1);

      preview->self = g_object_ref (source_object);
      preview->cancellable = g_object_ref (cancellable);
      /* Its rows too, here: read on the main thread, they would wait for
       * the store's lock while this thread counts every match (tens of
       * milliseconds for the whole practice at start-up). */
      G_STATIC_ASSERT (FIRST_SCREENFUL <= PAGE_SIZE);
      preview->patients = _cr_store_get_patients_by_ids (data->store, (gint64 *) ids->data,
                                                         ids->len, NULL);
      preview->ids = g_steal_pointer (&ids);

      /* Always through a source: g_main_context_invoke () would run it
       * right here, in this thread, whenever it can acquire the context. */
      source = g_idle_source_new ();
      g_source_set_priority (source, g_task_get_priority (task));
      g_source_set_callback (source, show_preview, preview, (GDestroyNotify) preview_free);
      g_source_set_static_name (source, "[chartroom] first screenful");
      g_source_attach (source, g_task_get_context (task));
    }
  g_clear_pointer (&ids, g_array_unref);

  /* All matches, counted: the list shows every one. */
  ids = _cr_store_search_patient_ids (data->store, data->text, 0, G_MAXUINT, &n_matches,
                                      cancellable, &error);
  if (ids == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, ids, (GDestroyNotify) g_array_unref);
}

static void
set_loading (CrPatientList *self,
             gboolean       loading)
{
  if (self->loading == !!loading)
    return;
  self->loading = !!loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

/* Replaces what the list shows by @ids, at once. */
static void
replace_ids (CrPatientList *self,
             GArray        *ids)
{
  guint old_n = self->ids->len;

  g_array_unref (self->ids);
  self->ids = g_array_ref (ids);
  drop_pages (self);

  /* One change for the whole replacement: no flicker through empty. */
  if (old_n > 0 || self->ids->len > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n, self->ids->len);
  if (old_n != self->ids->len)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_MATCHES]);
}

/* On the main thread: the latest search's first screenful. */
static gboolean
show_preview (gpointer user_data)
{
  Preview *preview = user_data;
  CrPatientList *self = preview->self;

  /* A newer search took over, or this one already landed in full. */
  if (self->cancellable != preview->cancellable ||
      g_cancellable_is_cancelled (preview->cancellable))
    return G_SOURCE_REMOVE;

  replace_ids (self, preview->ids);
  self->n_preview = preview->ids->len;
  if (preview->patients != NULL)
    {
      Page *page = g_new0 (Page, 1);

      page->index = 0;
      page->patients = g_steal_pointer (&preview->patients);
      add_page (self, page);
    }
  return G_SOURCE_REMOVE;
}

/* Does @ids start with the first screenful shown? */
static gboolean
starts_with_preview (CrPatientList *self,
                     GArray        *ids)
{
  return self->n_preview > 0 && self->n_preview == self->ids->len &&
         ids->len >= self->n_preview &&
         memcmp (ids->data, self->ids->data, self->n_preview * sizeof (gint64)) == 0;
}

/* Shows the whole result of the latest search. */
static void
land (CrPatientList *self,
      GArray        *ids)
{
  guint old_n;

  if (starts_with_preview (self, ids))
    {
      /* The rest after the first screenful: its rows and pages stay,
       * but for a page it only began (its patients are fetched again). */
      old_n = self->ids->len;
      g_array_unref (self->ids);
      self->ids = g_array_ref (ids);
      if (old_n % PAGE_SIZE != 0)
        drop_pages (self);
      if (self->ids->len > old_n)
        {
          g_list_model_items_changed (G_LIST_MODEL (self), old_n, 0, self->ids->len - old_n);
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_MATCHES]);
        }
    }
  else
    replace_ids (self, ids);
  self->n_preview = 0;
  set_loading (self, FALSE);
}

static gboolean
land_pending (gpointer user_data)
{
  CrPatientList *self = user_data;
  g_autoptr(GArray) ids = g_steal_pointer (&self->pending_ids);

  self->pending_id = 0;
  land (self, ids);
  return G_SOURCE_REMOVE;
}

static void
search_done (GObject      *source_object,
             GAsyncResult *result,
             gpointer      user_data)
{
  CrPatientList *self = CR_PATIENT_LIST (source_object);
  GTask *task = G_TASK (result);
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = NULL;

  ids = g_task_propagate_pointer (task, &error);

  /* Only the latest search lands; an older one may finish after it. */
  if (self->cancellable == NULL || g_task_get_cancellable (task) != self->cancellable)
    return;
  g_clear_object (&self->cancellable);

  if (ids == NULL)
    {
      /* Keep showing what was found before. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Searching patients failed: %s", error->message);
      set_loading (self, FALSE);
      return;
    }

  /* After a first screenful, the rest waits for an idle moment (lower than
   * GTK's redraw): the screenful is drawn first, as it would be had the
   * rest taken longer to find, rather than the rest's rows made and
   * measured before anything is on screen. */
  if (self->n_preview > 0)
    {
      g_clear_pointer (&self->pending_ids, g_array_unref);
      self->pending_ids = g_steal_pointer (&ids);
      g_clear_handle_id (&self->pending_id, g_source_remove);
      self->pending_id = g_idle_add_full (G_PRIORITY_LOW, land_pending, self, NULL);
      return;
    }
  land (self, ids);
}

/**
 * cr_patient_list_set_search:
 * @text: (nullable): as for cr_store_search_patients(); empty or %NULL
 *   lists every patient by name
 *
 * Searches in a worker thread. The current contents stay until the result
 * is ready, then are replaced at once; a newer call cancels an older one
 * that has not finished, so only the latest result ever lands.
 * #CrPatientList:loading is %TRUE meanwhile.
 */
void
cr_patient_list_set_search (CrPatientList *self,
                            const char    *text)
{
  g_autoptr(GTask) task = NULL;
  SearchData *data;

  g_return_if_fail (CR_IS_PATIENT_LIST (self));

  if (text == NULL)
    text = "";

  if (g_strcmp0 (self->search, text) != 0)
    {
      g_free (self->search);
      self->search = g_strdup (text);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SEARCH]);
    }

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->pending_id, g_source_remove);
  g_clear_pointer (&self->pending_ids, g_array_unref);
  self->cancellable = g_cancellable_new ();

  data = g_new0 (SearchData, 1);
  data->store = g_object_ref (self->store);
  data->text = g_strdup (text);
  /* Only into an empty list (a practice just opened): there the first
   * screenful and the rest are two appends, and the rows on screen are
   * never replaced twice for one search. */
  data->first_screenful_first = self->first_screenful_first && self->ids->len == 0;

  task = g_task_new (self, self->cancellable, search_done, NULL);
  g_task_set_source_tag (task, cr_patient_list_set_search);
  g_task_set_task_data (task, data, (GDestroyNotify) search_data_free);
  g_task_run_in_thread (task, search_thread);

  set_loading (self, TRUE);
}

/* ---- GObject ------------------------------------------------------------ */

static void
cr_patient_list_dispose (GObject *object)
{
  CrPatientList *self = CR_PATIENT_LIST (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->pending_id, g_source_remove);
  g_clear_pointer (&self->pending_ids, g_array_unref);
  drop_pages (self);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (cr_patient_list_parent_class)->dispose (object);
}

static void
cr_patient_list_finalize (GObject *object)
{
  CrPatientList *self = CR_PATIENT_LIST (object);

  g_clear_pointer (&self->ids, g_array_unref);
  g_clear_pointer (&self->search, g_free);

  G_OBJECT_CLASS (cr_patient_list_parent_class)->finalize (object);
}

static void
cr_patient_list_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  CrPatientList *self = CR_PATIENT_LIST (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_SEARCH:
      g_value_set_string (value, self->search);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    case PROP_N_MATCHES:
      g_value_set_uint (value, self->ids->len);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cr_patient_list_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  CrPatientList *self = CR_PATIENT_LIST (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_SEARCH:
      cr_patient_list_set_search (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cr_patient_list_class_init (CrPatientListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cr_patient_list_dispose;
  object_class->finalize = cr_patient_list_finalize;
  object_class->get_property = cr_patient_list_get_property;
  object_class->set_property = cr_patient_list_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, CR_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * CrPatientList:search:
   *
   * The text last searched for; setting it starts a search.
   */
  properties[PROP_SEARCH] =
    g_param_spec_string ("search", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * CrPatientList:loading:
   *
   * Whether a search is under way; the list still shows the previous one.
   */
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * CrPatientList:n-matches:
   *
   * How many patients the last search found: the number of items.
   */
  properties[PROP_N_MATCHES] =
    g_param_spec_uint ("n-matches", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cr_patient_list_init (CrPatientList *self)
{
  self->ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_queue_init (&self->pages);
}

/**
 * cr_patient_list_new:
 * @store: the practice
 *
 * The list starts empty; cr_patient_list_set_search() with "" lists every
 * patient.
 *
 * Returns: (transfer full): a new list
 */
CrPatientList *
cr_patient_list_new (CrStore *store)
{
  g_return_val_if_fail (CR_IS_STORE (store), NULL);

  return g_object_new (CR_TYPE_PATIENT_LIST, "store", store, NULL);
}

const char *
cr_patient_list_get_search (CrPatientList *self)
{
  g_return_val_if_fail (CR_IS_PATIENT_LIST (self), NULL);
  return self->search;
}

gboolean
cr_patient_list_get_loading (CrPatientList *self)
{
  g_return_val_if_fail (CR_IS_PATIENT_LIST (self), FALSE);
  return self->loading;
}

guint
cr_patient_list_get_n_matches (CrPatientList *self)
{
  g_return_val_if_fail (CR_IS_PATIENT_LIST (self), 0);
  return self->ids->len;
}

/**
 * cr_patient_list_set_show_first_screenful:
 * @show: whether to show the first screenful before the whole result
 *
 * With @show, a search into an empty list (the first, once a practice is
 * open) first shows its first screenful of matches, then appends the rest
 * once every match is found and counted (#CrPatientList:loading turns
 * %FALSE then): the window shows patients within a millisecond or two of
 * the practice opening, however many there are. Other searches, and every
 * search without @show (the default), replace the old result by the whole
 * new one in one change.
 */
void
cr_patient_list_set_show_first_screenful (CrPatientList *self,
                                          gboolean       show)
{
  g_return_if_fail (CR_IS_PATIENT_LIST (self));
  self->first_screenful_first = !!show;
}

/**
 * cr_patient_list_get_n_cached:
 *
 * Returns: how many patients the list holds in its page cache (at most
 *   a few hundred, however many match)
 */
guint
cr_patient_list_get_n_cached (CrPatientList *self)
{
  guint n = 0;

  g_return_val_if_fail (CR_IS_PATIENT_LIST (self), 0);

  for (GList *link = self->pages.head; link != NULL; link = link->next)
    n += ((Page *) link->data)->patients->len;
  return n;
}
