/* cr-document-render.c: drawing a document's pages, in memory only
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cr-document-render"

#include "config.h"

#include <math.h>

#include "cr-document-render.h"

/* Image surfaces past this many bytes are refused rather than allocated. */
#define MAX_SURFACE_BYTES (512.0 * 1024 * 1024)

static gboolean
valid_rotation (int rotation)
{
  return rotation == 0 || rotation == 90 || rotation == 180 || rotation == 270;
}

gboolean
cr_document_render_get_size (PopplerPage *page,
                             double       scale,
                             int          rotation,
                             int         *width,
                             int         *height)
{
  double w = 0, h = 0;
  double pw, ph;

  g_return_val_if_fail (POPPLER_IS_PAGE (page), FALSE);

  poppler_page_get_size (page, &w, &h);
  pw = ceil (w * scale);
  ph = ceil (h * scale);
  if (!(pw >= 1 && ph >= 1 && pw <= CR_DOCUMENT_RENDER_MAX_SIDE &&
        ph <= CR_DOCUMENT_RENDER_MAX_SIDE && pw * ph * 4 <= MAX_SURFACE_BYTES))
    return FALSE;

  if (rotation == 90 || rotation == 270)
    {
      double t = pw;
      pw = ph;
      ph = t;
    }
  if (width != NULL)
    *width = (int) pw;
  if (height != NULL)
    *height = (int) ph;
  return TRUE;
}

cairo_surface_t *
cr_document_render_page (PopplerPage   *page,
                         double         scale,
                         int            rotation,
                         GCancellable  *cancellable,
                         GError       **error)
{
  cairo_surface_t *surface;
  cairo_t *cr;
  int width, height;

  g_return_val_if_fail (POPPLER_IS_PAGE (page), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!valid_rotation (rotation))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "A page turns by 0, 90, 180 or 270 degrees, not %d", rotation);
      return NULL;
    }
  if (!(scale > 0) || !cr_document_render_get_size (page, scale, rotation, &width, &height))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "The page is too large to draw at %.0f %%", scale * 100);
      return NULL;
    }
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  if (cairo_surface_status (surface) != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                   "Not enough memory to draw the page: %s",
                   cairo_status_to_string (cairo_surface_status (surface)));
      cairo_surface_destroy (surface);
      return NULL;
    }

  cr = cairo_create (surface);
  /* Paper is white; a PDF only draws what is on it. */
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);

  switch (rotation)
    {
    case 90:
      cairo_translate (cr, width, 0);
      break;
    case 180:
      cairo_translate (cr, width, height);
      break;
    case 270:
      cairo_translate (cr, 0, height);
      break;
    default:
      break;
    }
  cairo_rotate (cr, rotation * G_PI / 180.0);
  cairo_scale (cr, scale, scale);
  poppler_page_render (page, cr);
  cairo_destroy (cr);
  cairo_surface_flush (surface);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    {
      cairo_surface_destroy (surface);
      return NULL;
    }
  return surface;
}

cairo_surface_t *
cr_document_render_page_poppler_only (PopplerPage *page,
                                      double       scale)
{
  cairo_surface_t *surface;
  cairo_t *cr;
  double w = 0, h = 0;

  g_return_val_if_fail (POPPLER_IS_PAGE (page), NULL);

  poppler_page_get_size (page, &w, &h);
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32,
                                        (int) ceil (w * scale), (int) ceil (h * scale));
  cr = cairo_create (surface);
  cairo_scale (cr, scale, scale);
  poppler_page_render (page, cr);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  return surface;
}

guint64
cr_document_count_ink_pixels (cairo_surface_t *surface)
{
  const guchar *data;
  int width, height, stride;
  guint64 n = 0;

  g_return_val_if_fail (surface != NULL, 0);
  g_return_val_if_fail (cairo_surface_get_type (surface) == CAIRO_SURFACE_TYPE_IMAGE, 0);

  cairo_surface_flush (surface);
  data = cairo_image_surface_get_data (surface);
  width = cairo_image_surface_get_width (surface);
  height = cairo_image_surface_get_height (surface);
  stride = cairo_image_surface_get_stride (surface);
  if (data == NULL)
    return 0;

  for (int y = 0; y < height; y++)
    {
      const guint32 *row = (const guint32 *) (data + (gsize) y * stride);

      for (int x = 0; x < width; x++)
        {
          guint32 p = row[x];
          guint a = p >> 24, r = (p >> 16) & 0xff, g = (p >> 8) & 0xff, b = p & 0xff;

          /* Transparent counts as paper, as on the white background. */
          if (a == 0)
            continue;
          if (r <= 250 || g <= 250 || b <= 250)
            n++;
        }
    }
  return n;
}

/* ---- CrPageCache ------------------------------------------------------- */

typedef struct
{
  gint64  document_id;
  guint   page;
  int     bucket;
  int     rotation;
} PageKey;

typedef struct
{
  PageKey          key;
  cairo_surface_t *surface;
  gsize            bytes;
  GList            link;   /* in lru; data = the entry */
} PageEntry;

struct _CrPageCache
{
  GObject     parent_instance;

  GMutex      mutex;
  GHashTable *entries;  /* PageKey* -> PageEntry* (key inside the entry) */
  GQueue      lru;      /* head = most recently used */
  gsize       size;
  gsize       max_bytes;
};

G_DEFINE_FINAL_TYPE (CrPageCache, cr_page_cache, G_TYPE_OBJECT)

static guint
page_key_hash (gconstpointer data)
{
  const PageKey *key = data;
  guint h = g_int64_hash (&key->document_id);

  h = h * 31 + key->page;
  h = h * 31 + (guint) key->bucket;
  h = h * 31 + (guint) key->rotation;
  return h;
}

static gboolean
page_key_equal (gconstpointer a,
                gconstpointer b)
{
  const PageKey *ka = a, *kb = b;

  return ka->document_id == kb->document_id && ka->page == kb->page &&
         ka->bucket == kb->bucket && ka->rotation == kb->rotation;
}

static void
page_entry_free (PageEntry *entry)
{
  cairo_surface_destroy (entry->surface);
  g_free (entry);
}

/* Steps of 2^(1/8) around 1.0. */
static int
scale_bucket (double scale)
{
  if (!(scale > 0))
    return G_MININT;
  return (int) lround (log2 (scale) * 8.0);
}

double
cr_page_cache_quantize_scale (double scale)
{
  g_return_val_if_fail (scale > 0, 1.0);
  return exp2 (scale_bucket (scale) / 8.0);
}

static void
remove_entry_locked (CrPageCache *self,
                     PageEntry   *entry)
{
  g_queue_unlink (&self->lru, &entry->link);
  self->size -= entry->bytes;
  g_hash_table_remove (self->entries, &entry->key);
}

static void
trim_locked (CrPageCache *self)
{
  while (self->size > self->max_bytes && self->lru.tail != NULL)
    remove_entry_locked (self, self->lru.tail->data);
}

static void
cr_page_cache_finalize (GObject *object)
{
  CrPageCache *self = CR_PAGE_CACHE (object);

  g_hash_table_destroy (self->entries);
  g_mutex_clear (&self->mutex);

  G_OBJECT_CLASS (cr_page_cache_parent_class)->finalize (object);
}

static void
cr_page_cache_class_init (CrPageCacheClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cr_page_cache_finalize;
}

static void
cr_page_cache_init (CrPageCache *self)
{
  g_mutex_init (&self->mutex);
  self->entries = g_hash_table_new_full (page_key_hash, page_key_equal, NULL,
                                         (GDestroyNotify) page_entry_free);
}

CrPageCache *
cr_page_cache_new (gsize max_bytes)
{
  CrPageCache *self = g_object_new (CR_TYPE_PAGE_CACHE, NULL);

  self->max_bytes = max_bytes;
  return self;
}

cairo_surface_t *
cr_page_cache_lookup (CrPageCache *self,
                      gint64       document_id,
                      guint        page,
                      double       scale,
                      int          rotation)
{
  PageKey key = { document_id, page, scale_bucket (scale), rotation };
  cairo_surface_t *surface = NULL;
  PageEntry *entry;

  g_return_val_if_fail (CR_IS_PAGE_CACHE (self), NULL);

  g_mutex_lock (&self->mutex);
  entry = g_hash_table_lookup (self->entries, &key);
  if (entry != NULL)
    {
      g_queue_unlink (&self->lru, &entry->link);
      g_queue_push_head_link (&self->lru, &entry->link);
      surface = cairo_surface_reference (entry->surface);
    }
  g_mutex_unlock (&self->mutex);
  return surface;
}

void
cr_page_cache_insert (CrPageCache     *self,
                      gint64           document_id,
                      guint            page,
                      double           scale,
                      int              rotation,
                      cairo_surface_t *surface)
{
  PageKey key = { document_id, page, scale_bucket (scale), rotation };
  PageEntry *entry, *old;
  gsize bytes;

  g_return_if_fail (CR_IS_PAGE_CACHE (self));
  g_return_if_fail (surface != NULL);
  g_return_if_fail (cairo_surface_get_type (surface) == CAIRO_SURFACE_TYPE_IMAGE);

  bytes = (gsize) cairo_image_surface_get_stride (surface) *
          (gsize) cairo_image_surface_get_height (surface);

  g_mutex_lock (&self->mutex);
  old = g_hash_table_lookup (self->entries, &key);
  if (old != NULL)
    remove_entry_locked (self, old);
  if (bytes <= self->max_bytes)
    {
      entry = g_new0 (PageEntry, 1);
      entry->key = key;
      entry->surface = cairo_surface_reference (surface);
      entry->bytes = bytes;
      entry->link.data = entry;
      g_hash_table_insert (self->entries, &entry->key, entry);
      g_queue_push_head_link (&self->lru, &entry->link);
      self->size += bytes;
      trim_locked (self);
    }
  g_mutex_unlock (&self->mutex);
}

void
cr_page_cache_remove_document (CrPageCache *self,
                               gint64       document_id)
{
  GList *l, *next;

  g_return_if_fail (CR_IS_PAGE_CACHE (self));

  g_mutex_lock (&self->mutex);
  for (l = self->lru.head; l != NULL; l = next)
    {
      PageEntry *entry = l->data;

      next = l->next;
      if (entry->key.document_id == document_id)
        remove_entry_locked (self, entry);
    }
  g_mutex_unlock (&self->mutex);
}

void
cr_page_cache_clear (CrPageCache *self)
{
  g_return_if_fail (CR_IS_PAGE_CACHE (self));

  g_mutex_lock (&self->mutex);
  while (self->lru.head != NULL)
    remove_entry_locked (self, self->lru.head->data);
  g_mutex_unlock (&self->mutex);
}

gsize
cr_page_cache_get_size (CrPageCache *self)
{
  gsize size;

  g_return_val_if_fail (CR_IS_PAGE_CACHE (self), 0);

  g_mutex_lock (&self->mutex);
  size = self->size;
  g_mutex_unlock (&self->mutex);
  return size;
}

gsize
cr_page_cache_get_max_bytes (CrPageCache *self)
{
  gsize max;

  g_return_val_if_fail (CR_IS_PAGE_CACHE (self), 0);

  g_mutex_lock (&self->mutex);
  max = self->max_bytes;
  g_mutex_unlock (&self->mutex);
  return max;
}

void
cr_page_cache_set_max_bytes (CrPageCache *self,
                             gsize        max_bytes)
{
  g_return_if_fail (CR_IS_PAGE_CACHE (self));

  g_mutex_lock (&self->mutex);
  self->max_bytes = max_bytes;
  trim_locked (self);
  g_mutex_unlock (&self->mutex);
}

guint
cr_page_cache_get_n_pages (CrPageCache *self)
{
  guint n;

  g_return_val_if_fail (CR_IS_PAGE_CACHE (self), 0);

  g_mutex_lock (&self->mutex);
  n = g_hash_table_size (self->entries);
  g_mutex_unlock (&self->mutex);
  return n;
}
