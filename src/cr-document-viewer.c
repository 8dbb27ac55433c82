/* cr-document-viewer.c: a stored document's pages, rendered on demand
 *
 * The document is opened from the database in a worker thread; its pages
 * are laid out at once from their sizes (so the scroll bar is right before
 * anything is drawn) and each page is rendered only once it scrolls into
 * view, in a worker thread, at the zoom times the display's scale factor,
 * into the core's in-memory page cache. Poppler documents are not
 * thread-safe: every use goes through the handle's lock.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cr-document-viewer"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "cr-audit.h"
#include "cr-document-render.h"
#include "cr-document-viewer.h"
#include "cr-documents.h"

/* Pixels per PDF point at 100 %: a page at its real size on a 96 dpi screen. */
#define POINTS_TO_PIXELS (96.0 / 72.0)
#define PAGE_SPACING 12
#define THUMB_WIDTH 88
#define ZOOM_MIN 0.1
#define ZOOM_MAX 8.0
#define CACHE_BYTES (256 * 1024 * 1024)
/* How many renders may wait: older wishes (pages scrolled past) drop. */
#define MAX_PENDING 24

static const double zoom_steps[] = { 0.25, 0.33, 0.5, 0.67, 0.75, 0.9, 1.0, 1.1, 1.25,
                                     1.5, 1.75, 2.0, 2.5, 3.0, 4.0, 6.0, 8.0 };

typedef enum
{
  ZOOM_FIT_WIDTH,
  ZOOM_FIT_PAGE,
  ZOOM_FREE,
} ZoomMode;

/* ---- the shared, locked Poppler document -------------------------------- */

typedef struct
{
  gatomicrefcount  ref;
  GMutex           lock;
  PopplerDocument *document;
  gint64           id;
} DocHandle;

static DocHandle *
doc_handle_ref (DocHandle *handle)
{
  g_atomic_ref_count_inc (&handle->ref);
  return handle;
}

static void
doc_handle_unref (DocHandle *handle)
{
  if (g_atomic_ref_count_dec (&handle->ref))
    {
      g_clear_object (&handle->document);
      g_mutex_clear (&handle->lock);
      g_free (handle);
    }
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DocHandle, doc_handle_unref)

typedef struct
{
  guint page;
  double x1, y1, x2, y2;  /* page points, top-left origin */
} Hit;

struct _CrDocumentViewer
{
  AdwBin             parent_instance;

  CrStore           *store;
  gint64             document_id;
  DocHandle         *handle;
  CrPageCache       *cache;
  GCancellable      *cancellable;    /* this document's work */
  GCancellable      *find_cancellable;
  char              *error;
  gboolean           loading;
  gboolean           finding;
  gint64             patient_id;

  GArray            *sizes;          /* double pairs: width, height in points */
  GArray            *rotations;      /* int per page */
  GPtrArray         *pages;          /* CrViewerPage, main view */
  GPtrArray         *thumbs;         /* CrViewerPage, strip */
  guint              current_page;

  double             zoom;
  ZoomMode           zoom_mode;
  double             pinch_start_zoom;
  double             keep_fraction;  /* scroll position to restore, or -1 */
  guint              fit_idle_id;

  GQueue             pending;        /* RenderWish, newest last */
  gboolean           rendering;

  GArray            *hits;
  int                current_hit;
  char              *find_text;

  int                selection_page; /* -1: none */
  PopplerRectangle   selection;
  char              *selected_text;

  GtkStack          *stack;
  AdwStatusPage     *error_page;
  GtkScrolledWindow *scrolled;
  GtkBox            *pages_box;
  GtkScrolledWindow *thumbs_scrolled;
  GtkBox            *thumbs_box;
  GtkRevealer       *thumbs_revealer;
  GtkSearchBar      *search_bar;
  GtkSearchEntry    *search_entry;
  GtkLabel          *hits_label;
  GtkLabel          *page_label;
  GtkLabel          *zoom_label;
};

enum {
  PROP_0,
  PROP_DOCUMENT_ID,
  PROP_LOADING,
  PROP_N_PAGES,
  PROP_CURRENT_PAGE,
  PROP_ZOOM,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (CrDocumentViewer, cr_document_viewer, ADW_TYPE_BIN)

static void update_visible (CrDocumentViewer *self);
static void request_render (CrDocumentViewer *self, guint page, double scale, int rotation);

/* ---- one page (private to the viewer) ------------------------------------ */

#define CR_TYPE_VIEWER_PAGE (cr_viewer_page_get_type ())
G_DECLARE_FINAL_TYPE (CrViewerPage, cr_viewer_page, CR, VIEWER_PAGE, GtkWidget)

struct _CrViewerPage
{
  GtkWidget         parent_instance;

  CrDocumentViewer *viewer;  /* not a reference: the viewer owns us */
  guint             index;
  gboolean          thumb;
  GdkTexture       *texture;
  double            texture_scale;
  int               texture_rotation;
  /* rubber band, widget coordinates */
  gboolean          dragging;
  double            drag_x, drag_y, drag_dx, drag_dy;
};

G_DEFINE_FINAL_TYPE (CrViewerPage, cr_viewer_page, GTK_TYPE_WIDGET)

static int
page_rotation (CrDocumentViewer *self,
               guint             page)
{
  if (self->rotations == NULL || page >= self->rotations->len)
    return 0;
  return g_array_index (self->rotations, int, page);
}

static void
page_size (CrDocumentViewer *self,
           guint             page,
           double           *width,
           double           *height)
{
  double w = g_array_index (self->sizes, double, 2 * page);
  double h = g_array_index (self->sizes, double, 2 * page + 1);
  int rotation = page_rotation (self, page);

  *width = rotation % 180 == 0 ? w : h;
  *height = rotation % 180 == 0 ? h : w;
}

/* Pixels per point the page widget is laid out at (not the device's). */
static double
viewer_page_scale (CrViewerPage *page)
{
  CrDocumentViewer *self = page->viewer;

  if (page->thumb)
    {
      double w, h;

      /* Every thumbnail as wide as the strip. */
      page_size (self, page->index, &w, &h);
      return THUMB_WIDTH / MAX (1.0, w);
    }
  return self->zoom * POINTS_TO_PIXELS;
}

static void
cr_viewer_page_measure (GtkWidget      *widget,
                        GtkOrientation  orientation,
                        int             for_size,
                        int            *minimum,
                        int            *natural,
                        int            *minimum_baseline,
                        int            *natural_baseline)
{
  CrViewerPage *page = CR_VIEWER_PAGE (widget);
  double w, h, scale = viewer_page_scale (page);

  page_size (page->viewer, page->index, &w, &h);
  *minimum = *natural = (int) ceil ((orientation == GTK_ORIENTATION_HORIZONTAL ? w : h) * scale);
}

static GdkTexture *
texture_from_surface (cairo_surface_t *surface)
{
  int width = cairo_image_surface_get_width (surface);
  int height = cairo_image_surface_get_height (surface);
  int stride = cairo_image_surface_get_stride (surface);
  g_autoptr(GBytes) bytes = NULL;

  /* Shared with the cache, never copied: the surface is read-only now. */
  bytes = g_bytes_new_with_free_func (cairo_image_surface_get_data (surface),
                                      (gsize) stride * (gsize) height,
                                      (GDestroyNotify) cairo_surface_destroy,
                                      cairo_surface_reference (surface));
  return gdk_memory_texture_new (width, height, GDK_MEMORY_DEFAULT, bytes, stride);
}

static double
device_scale (CrViewerPage *page)
{
  return cr_page_cache_quantize_scale (viewer_page_scale (page) *
                                       gtk_widget_get_scale_factor (GTK_WIDGET (page)));
}

/* The cached rendering for the page's present scale, if there is one. */
static gboolean
cr_viewer_page_sync_texture (CrViewerPage *page)
{
  CrDocumentViewer *self = page->viewer;
  double scale = device_scale (page);
  int rotation = page_rotation (self, page->index);
  cairo_surface_t *surface;

  if (page->texture != NULL && page->texture_scale == scale && page->texture_rotation == rotation)
    return TRUE;
  if (self->handle == NULL)
    return FALSE;
  surface = cr_page_cache_lookup (self->cache, self->document_id, page->index, scale, rotation);
  if (surface == NULL)
    return FALSE;
  g_clear_object (&page->texture);
  page->texture = texture_from_surface (surface);
  page->texture_scale = scale;
  page->texture_rotation = rotation;
  cairo_surface_destroy (surface);
  return TRUE;
}

/* Draws @rect (page points) in widget coordinates of a page shown at
 * @scale turned by @rotation, as cr_document_render_page() turns it. */
static void
page_rect_to_widget (double            scale,
                     int               rotation,
                     double            width,
                     double            height,
                     double            x1,
                     double            y1,
                     double            x2,
                     double            y2,
                     graphene_rect_t  *out)
{
  double ax, ay, bx, by;

  switch (rotation)
    {
    case 90:
      ax = width - y1 * scale; ay = x1 * scale; bx = width - y2 * scale; by = x2 * scale;
      break;
    case 180:
      ax = width - x1 * scale; ay = height - y1 * scale; bx = width - x2 * scale; by = height - y2 * scale;
      break;
    case 270:
      ax = y1 * scale; ay = height - x1 * scale; bx = y2 * scale; by = height - x2 * scale;
      break;
    default:
      ax = x1 * scale; ay = y1 * scale; bx = x2 * scale; by = y2 * scale;
      break;
    }
  graphene_rect_init (out, MIN (ax, bx), MIN (ay, by), fabs (bx - ax), fabs (by - ay));
}

/* The inverse: a widget point to page points. */
static void
widget_to_page_point (double  scale,
                      int     rotation,
                      double  width,
                      double  height,
                      double  x,
                      double  y,
                      double *px,
                      double *py)
{
  switch (rotation)
    {
    case 90:
      *px = y / scale; *py = (width - x) / scale;
      break;
    case 180:
      *px = (width - x) / scale; *py = (height - y) / scale;
      break;
    case 270:
      *px = (height - y) / scale; *py = x / scale;
      break;
    default:
      *px = x / scale; *py = y / scale;
      break;
    }
}

static void
cr_viewer_page_snapshot (GtkWidget   *widget,
                         GtkSnapshot *snapshot)
{
  CrViewerPage *page = CR_VIEWER_PAGE (widget);
  CrDocumentViewer *self = page->viewer;
  double width = gtk_widget_get_width (widget);
  double height = gtk_widget_get_height (widget);
  double scale = viewer_page_scale (page);
  int rotation = page_rotation (self, page->index);
  graphene_rect_t bounds = GRAPHENE_RECT_INIT (0, 0, width, height);
  static const GdkRGBA white = { 1, 1, 1, 1 };

  gtk_snapshot_append_color (snapshot, &white, &bounds);
  if (cr_viewer_page_sync_texture (page))
    gtk_snapshot_append_texture (snapshot, page->texture, &bounds);

  if (page->thumb)
    return;

  /* Find hits: all in yellow, the current one in orange. */
  for (guint i = 0; self->hits != NULL && i < self->hits->len; i++)
    {
      Hit *hit = &g_array_index (self->hits, Hit, i);
      GdkRGBA colour;
      graphene_rect_t r;

      if (hit->page != page->index)
        continue;
      if ((int) i == self->current_hit)
        gdk_rgba_parse (&colour, "rgba(255,120,0,0.45)");
      else
        gdk_rgba_parse (&colour, "rgba(255,220,0,0.45)");
      page_rect_to_widget (scale, rotation, width, height,
                           hit->x1 - 1, hit->y1 - 1, hit->x2 + 1, hit->y2 + 1, &r);
      gtk_snapshot_append_color (snapshot, &colour, &r);
    }

  if (page->dragging)
    {
      GdkRGBA colour;
      graphene_rect_t r;

      gdk_rgba_parse (&colour, "rgba(53,132,228,0.25)");
      graphene_rect_init (&r, MIN (page->drag_x, page->drag_x + page->drag_dx),
                          MIN (page->drag_y, page->drag_y + page->drag_dy),
                          fabs (page->drag_dx), fabs (page->drag_dy));
      gtk_snapshot_append_color (snapshot, &colour, &r);
    }
  else if (self->selection_page == (int) page->index)
    {
      GdkRGBA colour;
      graphene_rect_t r;

      gdk_rgba_parse (&colour, "rgba(53,132,228,0.25)");
      page_rect_to_widget (scale, rotation, width, height, self->selection.x1, self->selection.y1,
                           self->selection.x2, self->selection.y2, &r);
      gtk_snapshot_append_color (snapshot, &colour, &r);
    }
}

static void
on_drag_begin (GtkGestureDrag *gesture,
               double          x,
               double          y,
               CrViewerPage   *page)
{
  page->dragging = TRUE;
  page->drag_x = x;
  page->drag_y = y;
  page->drag_dx = page->drag_dy = 0;
  gtk_widget_grab_focus (GTK_WIDGET (page->viewer->scrolled));
}

static void
on_drag_update (GtkGestureDrag *gesture,
                double          dx,
                double          dy,
                CrViewerPage   *page)
{
  page->drag_dx = dx;
  page->drag_dy = dy;
  gtk_widget_queue_draw (GTK_WIDGET (page));
}

static void
on_drag_end (GtkGestureDrag *gesture,
             double          dx,
             double          dy,
             CrViewerPage   *page)
{
  CrDocumentViewer *self = page->viewer;
  double width = gtk_widget_get_width (GTK_WIDGET (page));
  double height = gtk_widget_get_height (GTK_WIDGET (page));
  double scale = viewer_page_scale (page);
  int rotation = page_rotation (self, page->index);
  PopplerRectangle area;
  double ax, ay, bx, by;

  page->dragging = FALSE;
  gtk_widget_queue_draw (GTK_WIDGET (page));
  if (fabs (dx) < 4 && fabs (dy) < 4)
    return;
  widget_to_page_point (scale, rotation, width, height, page->drag_x, page->drag_y, &ax, &ay);
  widget_to_page_point (scale, rotation, width, height, page->drag_x + dx, page->drag_y + dy,
                        &bx, &by);
  area.x1 = MIN (ax, bx);
  area.y1 = MIN (ay, by);
  area.x2 = MAX (ax, bx);
  area.y2 = MAX (ay, by);
  cr_document_viewer_select (self, page->index, &area);
}

static void
on_thumb_pressed (GtkGestureClick *gesture,
                  int              n_press,
                  double           x,
                  double           y,
                  CrViewerPage    *page)
{
  cr_document_viewer_go_to_page (page->viewer, page->index);
}

static void
cr_viewer_page_dispose (GObject *object)
{
  g_clear_object (&CR_VIEWER_PAGE (object)->texture);
  G_OBJECT_CLASS (cr_viewer_page_parent_class)->dispose (object);
}

static void
cr_viewer_page_class_init (CrViewerPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = cr_viewer_page_dispose;
  widget_class->measure = cr_viewer_page_measure;
  widget_class->snapshot = cr_viewer_page_snapshot;
  gtk_widget_class_set_css_name (widget_class, "page");
}

static void
cr_viewer_page_init (CrViewerPage *self)
{
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
}

static GtkWidget *
cr_viewer_page_new (CrDocumentViewer *viewer,
                    guint             index,
                    gboolean          thumb)
{
  CrViewerPage *page = g_object_new (CR_TYPE_VIEWER_PAGE, NULL);
  GtkGesture *gesture;

  page->viewer = viewer;
  page->index = index;
  page->thumb = thumb;
  page->texture_scale = -1;
  gtk_widget_add_css_class (GTK_WIDGET (page), "cr-page");
  gtk_widget_set_halign (GTK_WIDGET (page), GTK_ALIGN_CENTER);
  if (thumb)
    {
      g_autofree char *tip = g_strdup_printf (_("Page %u"), index + 1);

      gtk_widget_add_css_class (GTK_WIDGET (page), "cr-thumbnail");
      gtk_widget_set_tooltip_text (GTK_WIDGET (page), tip);
      gtk_widget_set_cursor_from_name (GTK_WIDGET (page), "pointer");
      gesture = gtk_gesture_click_new ();
      g_signal_connect (gesture, "pressed", G_CALLBACK (on_thumb_pressed), page);
    }
  else
    {
      gtk_widget_set_cursor_from_name (GTK_WIDGET (page), "crosshair");
      gesture = gtk_gesture_drag_new ();
      g_signal_connect (gesture, "drag-begin", G_CALLBACK (on_drag_begin), page);
      g_signal_connect (gesture, "drag-update", G_CALLBACK (on_drag_update), page);
      g_signal_connect (gesture, "drag-end", G_CALLBACK (on_drag_end), page);
    }
  gtk_widget_add_controller (GTK_WIDGET (page), GTK_EVENT_CONTROLLER (gesture));
  return GTK_WIDGET (page);
}

/* ---- rendering, one page at a time off the main loop --------------------- */

typedef struct
{
  guint  page;
  double scale;     /* device pixels per point, quantized */
  int    rotation;
} RenderWish;

typedef struct
{
  DocHandle   *handle;
  CrPageCache *cache;
  RenderWish   wish;
} RenderData;

static void
render_data_free (RenderData *data)
{
  doc_handle_unref (data->handle);
  g_object_unref (data->cache);
  g_free (data);
}

static void
render_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  RenderData *data = task_data;
  g_autoptr(PopplerPage) page = NULL;
  cairo_surface_t *surface;
  GError *error = NULL;

  g_mutex_lock (&data->handle->lock);
  page = poppler_document_get_page (data->handle->document, (int) data->wish.page);
  surface = page ? cr_document_render_page (page, data->wish.scale, data->wish.rotation,
                                            cancellable, &error)
                 : NULL;
  g_clear_object (&page);
  g_mutex_unlock (&data->handle->lock);

  if (surface == NULL)
    {
      if (error == NULL)
        error = g_error_new (G_IO_ERROR, G_IO_ERROR_FAILED, "No page %u", data->wish.page + 1);
      g_task_return_error (task, error);
      return;
    }
  cr_page_cache_insert (data->cache, data->handle->id, data->wish.page, data->wish.scale,
                        data->wish.rotation, surface);
  cairo_surface_destroy (surface);
  g_task_return_boolean (task, TRUE);
}

static void pump_renders (CrDocumentViewer *self);

static void
render_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(CrDocumentViewer) self = user_data;
  RenderData *data = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  self->rendering = FALSE;
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Page %u could not be drawn: %s", data->wish.page + 1, error->message);
    }
  else if (self->handle == data->handle)
    {
      if (data->wish.page < self->pages->len)
        gtk_widget_queue_draw (g_ptr_array_index (self->pages, data->wish.page));
      if (data->wish.page < self->thumbs->len)
        gtk_widget_queue_draw (g_ptr_array_index (self->thumbs, data->wish.page));
    }
  if (self->handle != NULL)
    pump_renders (self);
}

static void
pump_renders (CrDocumentViewer *self)
{
  g_autoptr(GTask) task = NULL;
  RenderWish *wish;
  RenderData *data;

  if (self->rendering || self->handle == NULL)
    return;
  /* Newest first: what was asked for last is what is on screen now. */
  while ((wish = g_queue_pop_tail (&self->pending)) != NULL)
    {
      cairo_surface_t *cached = cr_page_cache_lookup (self->cache, self->document_id,
                                                      wish->page, wish->scale, wish->rotation);

      if (cached == NULL)
        break;
      cairo_surface_destroy (cached);
      g_free (wish);
    }
  if (wish == NULL)
    return;

  data = g_new0 (RenderData, 1);
  data->handle = doc_handle_ref (self->handle);
  data->cache = g_object_ref (self->cache);
  data->wish = *wish;
  g_free (wish);

  self->rendering = TRUE;
  task = g_task_new (NULL, self->cancellable, render_done, g_object_ref (self));
  g_task_set_source_tag (task, pump_renders);
  g_task_set_task_data (task, data, (GDestroyNotify) render_data_free);
  g_task_run_in_thread (task, render_thread);
}

static void
request_render (CrDocumentViewer *self,
                guint             page,
                double            scale,
                int               rotation)
{
  RenderWish *wish;

  for (GList *l = self->pending.head; l != NULL; l = l->next)
    {
      RenderWish *w = l->data;

      if (w->page == page && w->scale == scale && w->rotation == rotation)
        {
          /* Asked again: move it to the front of the line. */
          g_queue_unlink (&self->pending, l);
          g_queue_push_tail_link (&self->pending, l);
          pump_renders (self);
          return;
        }
    }
  wish = g_new0 (RenderWish, 1);
  wish->page = page;
  wish->scale = scale;
  wish->rotation = rotation;
  g_queue_push_tail (&self->pending, wish);
  while (g_queue_get_length (&self->pending) > MAX_PENDING)
    g_free (g_queue_pop_head (&self->pending));
  pump_renders (self);
}

/* Asks for every page that is (nearly) on screen in @scrolled. Positions
 * come from the pages' places in @box and the scroll position, not from
 * their allocation on screen, which follows a scroll only a frame later. */
static void
update_visible_in (CrDocumentViewer  *self,
                   GtkScrolledWindow *scrolled,
                   GtkBox            *box,
                   GPtrArray         *pages,
                   guint             *first_visible)
{
  GtkAdjustment *vadj = gtk_scrolled_window_get_vadjustment (scrolled);
  double top = gtk_adjustment_get_value (vadj) - gtk_widget_get_margin_top (GTK_WIDGET (box));
  double view_height = gtk_adjustment_get_page_size (vadj);
  gboolean first_found = FALSE;

  if (view_height <= 0)
    view_height = gtk_widget_get_height (GTK_WIDGET (scrolled));
  for (guint i = 0; i < pages->len; i++)
    {
      CrViewerPage *page = g_ptr_array_index (pages, i);
      graphene_rect_t bounds;
      double y;

      if (!gtk_widget_compute_bounds (GTK_WIDGET (page), GTK_WIDGET (box), &bounds))
        continue;
      y = bounds.origin.y - top;
      if (first_visible != NULL && !first_found &&
          y + bounds.size.height > view_height * 0.25)
        {
          *first_visible = i;
          first_found = TRUE;
        }
      /* One screen ahead and behind, so scrolling finds pages ready. */
      if (y + bounds.size.height < -view_height || y > 2 * view_height)
        continue;
      if (!cr_viewer_page_sync_texture (page))
        request_render (self, i, device_scale (page), page_rotation (self, i));
      else
        gtk_widget_queue_draw (GTK_WIDGET (page));
    }
}

static void
update_labels (CrDocumentViewer *self)
{
  g_autofree char *page_text = NULL;
  g_autofree char *zoom_text = NULL;

  if (self->sizes != NULL && self->pages->len > 0)
    /* Translators: "Page 3 of 12" */
    page_text = g_strdup_printf (_("Page %u of %u"), self->current_page + 1, self->pages->len);
  gtk_label_set_label (self->page_label, page_text ? page_text : "");
  zoom_text = g_strdup_printf ("%.0f %%", self->zoom * 100);
  gtk_label_set_label (self->zoom_label, zoom_text);
}

static void
update_visible (CrDocumentViewer *self)
{
  guint current = self->current_page;

  if (self->handle == NULL)
    return;
  update_visible_in (self, self->scrolled, self->pages_box, self->pages, &current);
  if (gtk_revealer_get_reveal_child (self->thumbs_revealer))
    update_visible_in (self, self->thumbs_scrolled, self->thumbs_box, self->thumbs, NULL);
  if (current != self->current_page)
    {
      self->current_page = current;
      for (guint i = 0; i < self->thumbs->len; i++)
        {
          GtkWidget *thumb = g_ptr_array_index (self->thumbs, i);

          if (i == current)
            gtk_widget_add_css_class (thumb, "cr-current");
          else
            gtk_widget_remove_css_class (thumb, "cr-current");
        }
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENT_PAGE]);
    }
  update_labels (self);
}

/* ---- zoom ------------------------------------------------------------------ */

static double
fit_zoom (CrDocumentViewer *self,
          ZoomMode          mode)
{
  double view_w = gtk_widget_get_width (GTK_WIDGET (self->scrolled)) - 2 * PAGE_SPACING;
  double view_h = gtk_widget_get_height (GTK_WIDGET (self->scrolled)) - 2 * PAGE_SPACING;
  double max_w = 1, max_h = 1;

  if (self->sizes == NULL || view_w < 50 || view_h < 50)
    return self->zoom;
  for (guint i = 0; i < self->pages->len; i++)
    {
      double w, h;

      page_size (self, i, &w, &h);
      max_w = MAX (max_w, w);
      max_h = MAX (max_h, h);
    }
  if (mode == ZOOM_FIT_PAGE)
    return MIN (view_w / max_w, view_h / max_h) / POINTS_TO_PIXELS;
  return view_w / max_w / POINTS_TO_PIXELS;
}

static void
apply_zoom (CrDocumentViewer *self,
            double            zoom)
{
  GtkAdjustment *vadj = gtk_scrolled_window_get_vadjustment (self->scrolled);
  double upper = gtk_adjustment_get_upper (vadj);

  zoom = CLAMP (zoom, ZOOM_MIN, ZOOM_MAX);
  if (fabs (zoom - self->zoom) < 0.001)
    return;
  /* Keep the same place of the document in view. */
  if (upper > 0 && self->keep_fraction < 0)
    self->keep_fraction = (gtk_adjustment_get_value (vadj) +
                           gtk_adjustment_get_page_size (vadj) * 0.25) / upper;
  self->zoom = zoom;
  for (guint i = 0; i < self->pages->len; i++)
    gtk_widget_queue_resize (g_ptr_array_index (self->pages, i));
  update_labels (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM]);
}

static gboolean
refit_idle (gpointer user_data)
{
  CrDocumentViewer *self = user_data;

  self->fit_idle_id = 0;
  if (self->zoom_mode != ZOOM_FREE)
    apply_zoom (self, fit_zoom (self, self->zoom_mode));
  update_visible (self);
  return G_SOURCE_REMOVE;
}

static void
queue_refit (CrDocumentViewer *self)
{
  if (self->fit_idle_id == 0)
    self->fit_idle_id = g_idle_add_full (G_PRIORITY_HIGH_IDLE + 20, refit_idle, self, NULL);
}

static void
on_hadjustment_changed (CrDocumentViewer *self)
{
  queue_refit (self);
}

static void
on_vadjustment_changed (GtkAdjustment    *vadj,
                        CrDocumentViewer *self)
{
  if (self->keep_fraction >= 0)
    {
      double value = self->keep_fraction * gtk_adjustment_get_upper (vadj) -
                     gtk_adjustment_get_page_size (vadj) * 0.25;

      self->keep_fraction = -1;
      gtk_adjustment_set_value (vadj, MAX (0, value));
    }
  queue_refit (self);
}

static void
on_vadjustment_value_changed (CrDocumentViewer *self)
{
  update_visible (self);
}

static void
on_thumbs_scrolled (CrDocumentViewer *self)
{
  update_visible (self);
}

static void
zoom_step (CrDocumentViewer *self,
           int               direction)
{
  double zoom = self->zoom;

  if (direction > 0)
    {
      for (guint i = 0; i < G_N_ELEMENTS (zoom_steps); i++)
        if (zoom_steps[i] > zoom * 1.01)
          {
            zoom = zoom_steps[i];
            break;
          }
    }
  else
    {
      for (guint i = G_N_ELEMENTS (zoom_steps); i > 0; i--)
        if (zoom_steps[i - 1] < zoom * 0.99)
          {
            zoom = zoom_steps[i - 1];
            break;
          }
    }
  self->zoom_mode = ZOOM_FREE;
  apply_zoom (self, zoom);
}

static gboolean
on_scroll (GtkEventControllerScroll *controller,
           double                    dx,
           double                    dy,
           CrDocumentViewer         *self)
{
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (controller));

  if (!(state & GDK_CONTROL_MASK) || dy == 0)
    return FALSE;
  self->zoom_mode = ZOOM_FREE;
  apply_zoom (self, self->zoom * pow (1.1, -dy));
  return TRUE;
}

static void
on_pinch_begin (GtkGesture       *gesture,
                GdkEventSequence *sequence,
                CrDocumentViewer *self)
{
  self->pinch_start_zoom = self->zoom;
}

static void
on_pinch_scale_changed (GtkGestureZoom   *gesture,
                        double            scale,
                        CrDocumentViewer *self)
{
  self->zoom_mode = ZOOM_FREE;
  apply_zoom (self, self->pinch_start_zoom * scale);
}

/* ---- opening ----------------------------------------------------------- */

typedef struct
{
  gint64           id;
  PopplerDocument *document;
  GArray          *sizes;
  GArray          *rotations;
  gint64           patient_id;
} OpenData;

static void
open_data_free (OpenData *data)
{
  g_clear_object (&data->document);
  g_clear_pointer (&data->sizes, g_array_unref);
  g_clear_pointer (&data->rotations, g_array_unref);
  g_free (data);
}

static void
open_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  CrStore *store = source_object;
  OpenData *data = task_data;
  g_autoptr(CrDocument) meta = NULL;
  GError *error = NULL;
  int n;

  meta = cr_store_get_document (store, data->id, &error);
  if (meta == NULL ||
      (data->document = cr_store_open_document (store, data->id, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  data->patient_id = cr_document_get_patient_id (meta);
  n = poppler_document_get_n_pages (data->document);
  data->sizes = g_array_sized_new (FALSE, FALSE, sizeof (double), 2 * n);
  data->rotations = g_array_sized_new (FALSE, TRUE, sizeof (int), n);
  for (int i = 0; i < n; i++)
    {
      g_autoptr(PopplerPage) page = poppler_document_get_page (data->document, i);
      double w = 612, h = 792;
      int rotation = cr_document_get_page_rotation (meta, (guint) i);

      if (page != NULL)
        poppler_page_get_size (page, &w, &h);
      g_array_append_val (data->sizes, w);
      g_array_append_val (data->sizes, h);
      g_array_append_val (data->rotations, rotation);
    }
  g_task_return_boolean (task, TRUE);
}

static void
clear_children (GtkBox *box)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (box))) != NULL)
    gtk_box_remove (box, child);
}

static void
set_loading (CrDocumentViewer *self,
             gboolean          loading)
{
  if (self->loading == loading)
    return;
  self->loading = loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
clear_find (CrDocumentViewer *self)
{
  g_cancellable_cancel (self->find_cancellable);
  g_clear_object (&self->find_cancellable);
  g_clear_pointer (&self->hits, g_array_unref);
  g_clear_pointer (&self->find_text, g_free);
  self->current_hit = -1;
  self->finding = FALSE;
  gtk_label_set_label (self->hits_label, "");
}

static void
close_document (CrDocumentViewer *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  clear_find (self);
  gtk_search_bar_set_search_mode (self->search_bar, FALSE);
  g_queue_clear_full (&self->pending, g_free);
  self->rendering = FALSE;
  if (self->handle != NULL)
    cr_page_cache_remove_document (self->cache, self->handle->id);
  g_clear_pointer (&self->handle, doc_handle_unref);
  g_clear_pointer (&self->sizes, g_array_unref);
  g_clear_pointer (&self->rotations, g_array_unref);
  g_clear_pointer (&self->error, g_free);
  g_clear_pointer (&self->selected_text, g_free);
  self->selection_page = -1;
  self->current_page = 0;
  self->patient_id = 0;
  g_ptr_array_set_size (self->pages, 0);
  g_ptr_array_set_size (self->thumbs, 0);
  clear_children (self->pages_box);
  clear_children (self->thumbs_box);
  update_labels (self);
}

static void
open_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(CrDocumentViewer) self = user_data;
  OpenData *data = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  DocHandle *handle;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
          g_task_get_cancellable (G_TASK (result)) != self->cancellable)
        return;
      self->error = g_strdup (error->message);
      adw_status_page_set_description (self->error_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "error");
      set_loading (self, FALSE);
      return;
    }
  if (g_task_get_cancellable (G_TASK (result)) != self->cancellable)
    return;

  handle = g_new0 (DocHandle, 1);
  g_atomic_ref_count_init (&handle->ref);
  g_mutex_init (&handle->lock);
  handle->document = g_steal_pointer (&data->document);
  handle->id = data->id;
  self->handle = handle;
  self->sizes = g_steal_pointer (&data->sizes);
  self->rotations = g_steal_pointer (&data->rotations);
  self->patient_id = data->patient_id;

  for (guint i = 0; i < self->sizes->len / 2; i++)
    {
      GtkWidget *page = cr_viewer_page_new (self, i, FALSE);
      GtkWidget *thumb = cr_viewer_page_new (self, i, TRUE);

      g_ptr_array_add (self->pages, page);
      gtk_box_append (self->pages_box, page);
      g_ptr_array_add (self->thumbs, thumb);
      gtk_box_append (self->thumbs_box, thumb);
    }
  if (self->thumbs->len > 0)
    gtk_widget_add_css_class (g_ptr_array_index (self->thumbs, 0), "cr-current");
  /* One page needs no strip of thumbnails. */
  gtk_revealer_set_reveal_child (self->thumbs_revealer, self->pages->len > 1);
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scrolled), 0);
  gtk_stack_set_visible_child_name (self->stack, "pages");
  self->zoom_mode = self->zoom_mode == ZOOM_FIT_PAGE ? ZOOM_FIT_PAGE : ZOOM_FIT_WIDTH;
  update_labels (self);
  set_loading (self, FALSE);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_PAGES]);
  queue_refit (self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "viewer.export", TRUE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "viewer.print", TRUE);
}

void
cr_document_viewer_set_document (CrDocumentViewer *self,
                                 CrStore          *store,
                                 gint64            document_id)
{
  g_autoptr(GTask) task = NULL;
  OpenData *data;

  g_return_if_fail (CR_IS_DOCUMENT_VIEWER (self));
  g_return_if_fail (store == NULL || CR_IS_STORE (store));

  close_document (self);
  g_set_object (&self->store, store);
  if (self->document_id != document_id)
    {
      self->document_id = document_id;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DOCUMENT_ID]);
    }
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "viewer.export", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "viewer.print", FALSE);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_PAGES]);

  if (store == NULL || document_id <= 0)
    {
      gtk_stack_set_visible_child_name (self->stack, "empty");
      set_loading (self, FALSE);
      return;
    }

  gtk_stack_set_visible_child_name (self->stack, "loading");
  self->cancellable = g_cancellable_new ();
  data = g_new0 (OpenData, 1);
  data->id = document_id;
  task = g_task_new (store, self->cancellable, open_done, g_object_ref (self));
  g_task_set_source_tag (task, cr_document_viewer_set_document);
  g_task_set_task_data (task, data, (GDestroyNotify) open_data_free);
  g_task_run_in_thread (task, open_thread);
  set_loading (self, TRUE);
}

/* ---- navigation ---------------------------------------------------------- */

static void
scroll_to (CrDocumentViewer *self,
           guint             page,
           double            y_in_page)
{
  GtkAdjustment *vadj = gtk_scrolled_window_get_vadjustment (self->scrolled);
  graphene_point_t p;

  if (page >= self->pages->len)
    return;
  if (!gtk_widget_compute_point (g_ptr_array_index (self->pages, page), GTK_WIDGET (self->pages_box),
                                 &GRAPHENE_POINT_INIT (0, (float) y_in_page), &p))
    return;
  gtk_adjustment_set_value (vadj, p.y + gtk_widget_get_margin_top (GTK_WIDGET (self->pages_box)));
}

void
cr_document_viewer_go_to_page (CrDocumentViewer *self,
                               guint             page)
{
  g_return_if_fail (CR_IS_DOCUMENT_VIEWER (self));
  scroll_to (self, page, -PAGE_SPACING);
}

static void
scroll_by (CrDocumentViewer *self,
           double            screens,
           double            pixels)
{
  GtkAdjustment *vadj = gtk_scrolled_window_get_vadjustment (self->scrolled);

  gtk_adjustment_set_value (vadj, gtk_adjustment_get_value (vadj) +
                            screens * gtk_adjustment_get_page_size (vadj) * 0.9 + pixels);
}

static gboolean
on_key_pressed (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                CrDocumentViewer      *self)
{
  GtkAdjustment *vadj = gtk_scrolled_window_get_vadjustment (self->scrolled);

  if (state & (GDK_CONTROL_MASK | GDK_ALT_MASK))
    return FALSE;
  switch (keyval)
    {
    case GDK_KEY_Page_Down:
    case GDK_KEY_KP_Page_Down:
    case GDK_KEY_space:
      scroll_by (self, 1, 0);
      return TRUE;
    case GDK_KEY_Page_Up:
    case GDK_KEY_KP_Page_Up:
      scroll_by (self, -1, 0);
      return TRUE;
    case GDK_KEY_Down:
      scroll_by (self, 0, 48);
      return TRUE;
    case GDK_KEY_Up:
      scroll_by (self, 0, -48);
      return TRUE;
    case GDK_KEY_Right:
      cr_document_viewer_go_to_page (self, MIN (self->current_page + 1, self->pages->len - 1));
      return TRUE;
    case GDK_KEY_Left:
      cr_document_viewer_go_to_page (self, self->current_page > 0 ? self->current_page - 1 : 0);
      return TRUE;
    case GDK_KEY_Home:
      gtk_adjustment_set_value (vadj, 0);
      return TRUE;
    case GDK_KEY_End:
      gtk_adjustment_set_value (vadj, gtk_adjustment_get_upper (vadj));
      return TRUE;
    default:
      return FALSE;
    }
}

/* ---- find ----------------------------------------------------------------- */

typedef struct
{
  DocHandle *handle;
  char      *text;
} FindData;

static void
find_data_free (FindData *data)
{
  doc_handle_unref (data->handle);
  g_free (data->text);
  g_free (data);
}

static void
find_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  FindData *data = task_data;
  g_autoptr(GArray) hits = g_array_new (FALSE, FALSE, sizeof (Hit));
  int n;

  g_mutex_lock (&data->handle->lock);
  n = poppler_document_get_n_pages (data->handle->document);
  for (int i = 0; i < n && !g_cancellable_is_cancelled (cancellable); i++)
    {
      g_autoptr(PopplerPage) page = poppler_document_get_page (data->handle->document, i);
      GList *found;
      double w, h;

      if (page == NULL)
        continue;
      poppler_page_get_size (page, &w, &h);
      found = poppler_page_find_text (page, data->text);
      for (GList *l = found; l != NULL; l = l->next)
        {
          PopplerRectangle *r = l->data;
          /* Poppler's find gives PDF coordinates: origin at the bottom. */
          Hit hit = { (guint) i, MIN (r->x1, r->x2), h - MAX (r->y1, r->y2),
                      MAX (r->x1, r->x2), h - MIN (r->y1, r->y2) };

          g_array_append_val (hits, hit);
        }
      g_list_free_full (found, (GDestroyNotify) poppler_rectangle_free);
    }
  g_mutex_unlock (&data->handle->lock);

  if (g_task_return_error_if_cancelled (task))
    return;
  g_task_return_pointer (task, g_steal_pointer (&hits), (GDestroyNotify) g_array_unref);
}

static void
queue_draw_pages (CrDocumentViewer *self)
{
  for (guint i = 0; i < self->pages->len; i++)
    gtk_widget_queue_draw (g_ptr_array_index (self->pages, i));
}

static void
show_hit (CrDocumentViewer *self)
{
  g_autofree char *text = NULL;

  if (self->hits == NULL || self->hits->len == 0)
    {
      gtk_label_set_label (self->hits_label, self->find_text ? _("Not found") : "");
      if (self->find_text)
        gtk_widget_add_css_class (GTK_WIDGET (self->search_entry), "error");
      queue_draw_pages (self);
      return;
    }
  gtk_widget_remove_css_class (GTK_WIDGET (self->search_entry), "error");
  /* Translators: the find bar's "3 of 12" hits */
  text = g_strdup_printf (_("%d of %u"), self->current_hit + 1, self->hits->len);
  gtk_label_set_label (self->hits_label, text);
  if (self->current_hit >= 0)
    {
      Hit *hit = &g_array_index (self->hits, Hit, self->current_hit);
      CrViewerPage *page = g_ptr_array_index (self->pages, hit->page);
      double width = gtk_widget_get_width (GTK_WIDGET (page));
      double height = gtk_widget_get_height (GTK_WIDGET (page));
      GtkAdjustment *vadj = gtk_scrolled_window_get_vadjustment (self->scrolled);
      graphene_rect_t r;

      page_rect_to_widget (viewer_page_scale (page), page_rotation (self, hit->page), width, height,
                           hit->x1, hit->y1, hit->x2, hit->y2, &r);
      scroll_to (self, hit->page, r.origin.y - gtk_adjustment_get_page_size (vadj) / 3);
    }
  queue_draw_pages (self);
}

static void
find_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(CrDocumentViewer) self = user_data;
  g_autoptr(GError) error = NULL;
  GArray *hits = g_task_propagate_pointer (G_TASK (result), &error);

  if (hits == NULL)
    return;
  if (g_task_get_cancellable (G_TASK (result)) != self->find_cancellable)
    {
      g_array_unref (hits);
      return;
    }
  self->finding = FALSE;
  g_clear_pointer (&self->hits, g_array_unref);
  self->hits = hits;
  self->current_hit = hits->len > 0 ? 0 : -1;
  /* The first hit from the page being read on. */
  for (guint i = 0; i < hits->len; i++)
    if (g_array_index (hits, Hit, i).page >= self->current_page)
      {
        self->current_hit = (int) i;
        break;
      }
  show_hit (self);
}

void
cr_document_viewer_find (CrDocumentViewer *self,
                         const char       *text)
{
  g_autoptr(GTask) task = NULL;
  FindData *data;

  g_return_if_fail (CR_IS_DOCUMENT_VIEWER (self));

  clear_find (self);
  gtk_widget_remove_css_class (GTK_WIDGET (self->search_entry), "error");
  if (self->handle == NULL || text == NULL || *text == '\0')
    {
      queue_draw_pages (self);
      return;
    }
  self->find_text = g_strdup (text);
  self->find_cancellable = g_cancellable_new ();
  self->finding = TRUE;
  data = g_new0 (FindData, 1);
  data->handle = doc_handle_ref (self->handle);
  data->text = g_strdup (text);
  task = g_task_new (NULL, self->find_cancellable, find_done, g_object_ref (self));
  g_task_set_source_tag (task, cr_document_viewer_find);
  g_task_set_task_data (task, data, (GDestroyNotify) find_data_free);
  g_task_run_in_thread (task, find_thread);
}

void
cr_document_viewer_next_hit (CrDocumentViewer *self,
                             gboolean          backwards)
{
  g_return_if_fail (CR_IS_DOCUMENT_VIEWER (self));

  if (self->hits == NULL || self->hits->len == 0)
    return;
  if (backwards)
    self->current_hit = self->current_hit <= 0 ? (int) self->hits->len - 1 : self->current_hit - 1;
  else
    self->current_hit = (self->current_hit + 1) % (int) self->hits->len;
  show_hit (self);
}

static void
on_search_changed (CrDocumentViewer *self)
{
  cr_document_viewer_find (self, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
}

static void
on_search_activate (CrDocumentViewer *self)
{
  cr_document_viewer_next_hit (self, FALSE);
}

static void
on_search_next (CrDocumentViewer *self)
{
  cr_document_viewer_next_hit (self, FALSE);
}

static void
on_search_previous (CrDocumentViewer *self)
{
  cr_document_viewer_next_hit (self, TRUE);
}

static void
on_stop_search (CrDocumentViewer *self)
{
  gtk_search_bar_set_search_mode (self->search_bar, FALSE);
  clear_find (self);
  queue_draw_pages (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->scrolled));
}

static gboolean
on_search_key_pressed (GtkEventControllerKey *controller,
                       guint                  keyval,
                       guint                  keycode,
                       GdkModifierType        state,
                       CrDocumentViewer      *self)
{
  if ((keyval == GDK_KEY_Return || keyval == GDK_KEY_KP_Enter || keyval == GDK_KEY_ISO_Enter) &&
      (state & GDK_SHIFT_MASK))
    {
      cr_document_viewer_next_hit (self, TRUE);
      return TRUE;
    }
  return FALSE;
}

/* ---- selection ------------------------------------------------------------ */

void
cr_document_viewer_select (CrDocumentViewer       *self,
                           guint                   page_index,
                           const PopplerRectangle *area)
{
  g_autoptr(PopplerPage) page = NULL;
  PopplerRectangle rect;

  g_return_if_fail (CR_IS_DOCUMENT_VIEWER (self));
  g_return_if_fail (area != NULL);

  g_clear_pointer (&self->selected_text, g_free);
  self->selection_page = -1;
  if (self->handle == NULL || page_index >= self->pages->len)
    return;

  rect = *area;
  /* A quick text look-up, not a render: fine on the main loop. */
  g_mutex_lock (&self->handle->lock);
  page = poppler_document_get_page (self->handle->document, (int) page_index);
  if (page != NULL)
    self->selected_text = poppler_page_get_selected_text (page, POPPLER_SELECTION_GLYPH, &rect);
  g_clear_object (&page);
  g_mutex_unlock (&self->handle->lock);

  self->selection_page = (int) page_index;
  self->selection = *area;
  if (self->selected_text != NULL && *g_strstrip (self->selected_text) == '\0')
    g_clear_pointer (&self->selected_text, g_free);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "viewer.copy", self->selected_text != NULL);
  queue_draw_pages (self);
}

const char *
cr_document_viewer_get_selected_text (CrDocumentViewer *self)
{
  g_return_val_if_fail (CR_IS_DOCUMENT_VIEWER (self), NULL);
  return self->selected_text;
}

/* ---- actions ----------------------------------------------------------- */

static void
viewer_copy (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CrDocumentViewer *self = CR_DOCUMENT_VIEWER (widget);

  if (self->selected_text != NULL)
    gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), self->selected_text);
}

static void
viewer_find (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CrDocumentViewer *self = CR_DOCUMENT_VIEWER (widget);

  if (self->handle == NULL)
    return;
  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
  gtk_editable_select_region (GTK_EDITABLE (self->search_entry), 0, -1);
}

static void
viewer_zoom (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CrDocumentViewer *self = CR_DOCUMENT_VIEWER (widget);

  if (g_str_equal (action_name, "viewer.zoom-in"))
    zoom_step (self, 1);
  else if (g_str_equal (action_name, "viewer.zoom-out"))
    zoom_step (self, -1);
  else
    {
      self->zoom_mode = g_str_equal (action_name, "viewer.zoom-fit-page") ? ZOOM_FIT_PAGE
                                                                          : ZOOM_FIT_WIDTH;
      apply_zoom (self, fit_zoom (self, self->zoom_mode));
    }
}

static void
viewer_rotate (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CrDocumentViewer *self = CR_DOCUMENT_VIEWER (widget);

  if (self->handle != NULL)
    cr_document_viewer_rotate_page (self, self->current_page);
}

void
cr_document_viewer_rotate_page (CrDocumentViewer *self,
                                guint             page)
{
  g_autoptr(GError) error = NULL;
  int rotation;

  g_return_if_fail (CR_IS_DOCUMENT_VIEWER (self));

  if (self->handle == NULL || page >= self->pages->len)
    return;
  rotation = (page_rotation (self, page) + 90) % 360;
  /* One small row: a view setting, kept for everyone who opens it. */
  if (!cr_store_set_document_page_rotation (self->store, self->document_id, page, rotation, &error))
    {
      g_warning ("Could not keep the page's rotation: %s", error->message);
      return;
    }
  g_array_index (self->rotations, int, page) = rotation;
  gtk_widget_queue_resize (g_ptr_array_index (self->pages, page));
  gtk_widget_queue_resize (g_ptr_array_index (self->thumbs, page));
  if (self->zoom_mode != ZOOM_FREE)
    queue_refit (self);
  else
    update_visible (self);
}

int
cr_document_viewer_get_page_rotation (CrDocumentViewer *self,
                                      guint             page)
{
  g_return_val_if_fail (CR_IS_DOCUMENT_VIEWER (self), 0);
  return page_rotation (self, page);
}

/* Export: the original bytes, where the user chooses; audited by the core. */
static void
export_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  const char *path = task_data;
  gint64 id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (task), "document-id"));
  GError *error = NULL;

  if (cr_store_export_document (source_object, id, path, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
show_message (CrDocumentViewer *self,
              const char       *heading,
              const char       *body)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                              heading, body);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
export_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(CrDocumentViewer) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    show_message (self, _("The Document Was Not Exported"), error->message);
}

static void
on_export_chosen (GtkNativeDialog  *chooser,
                  int               response,
                  CrDocumentViewer *self)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GTask) task = NULL;

  if (response == GTK_RESPONSE_ACCEPT &&
      (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser))) != NULL &&
      self->store != NULL && g_file_peek_path (file) != NULL)
    {
      task = g_task_new (self->store, NULL, export_done, g_object_ref (self));
      g_task_set_source_tag (task, on_export_chosen);
      g_task_set_task_data (task, g_file_get_path (file), g_free);
      g_object_set_data (G_OBJECT (task), "document-id", GSIZE_TO_POINTER ((gsize) self->document_id));
      g_task_run_in_thread (task, export_thread);
    }
  g_object_unref (chooser);
  g_object_unref (self);
}

static void
viewer_export (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CrDocumentViewer *self = CR_DOCUMENT_VIEWER (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autoptr(CrDocument) meta = NULL;
  GtkFileChooserNative *chooser;

  if (self->store == NULL || self->handle == NULL)
    return;
  chooser = gtk_file_chooser_native_new (_("Export Original Document"),
                                         GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  meta = cr_store_get_document (self->store, self->document_id, NULL);
  if (meta != NULL && cr_document_get_file_name (meta) != NULL)
    gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), cr_document_get_file_name (meta));
  g_signal_connect (chooser, "response", G_CALLBACK (on_export_chosen), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
handle_closure_notify (gpointer  data,
                       GClosure *closure)
{
  doc_handle_unref (data);
}

/* Print: Poppler draws each page onto the printer's cairo context. */
static void
on_draw_page (GtkPrintOperation *operation,
              GtkPrintContext   *context,
              int                page_nr,
              DocHandle         *handle)
{
  cairo_t *cr = gtk_print_context_get_cairo_context (context);
  double pw = gtk_print_context_get_width (context);
  double ph = gtk_print_context_get_height (context);
  g_autoptr(PopplerPage) page = NULL;
  double w, h, scale;

  g_mutex_lock (&handle->lock);
  page = poppler_document_get_page (handle->document, page_nr);
  if (page != NULL)
    {
      poppler_page_get_size (page, &w, &h);
      scale = MIN (pw / w, ph / h);
      cairo_save (cr);
      cairo_translate (cr, (pw - w * scale) / 2, (ph - h * scale) / 2);
      cairo_scale (cr, scale, scale);
      poppler_page_render (page, cr);
      cairo_restore (cr);
    }
  g_clear_object (&page);
  g_mutex_unlock (&handle->lock);
}

static void
viewer_print (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  CrDocumentViewer *self = CR_DOCUMENT_VIEWER (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autoptr(GtkPrintOperation) operation = NULL;
  g_autoptr(GError) error = NULL;
  GtkPrintOperationResult result;

  if (self->store == NULL || self->handle == NULL)
    return;
  operation = gtk_print_operation_new ();
  gtk_print_operation_set_n_pages (operation, (int) self->pages->len);
  gtk_print_operation_set_embed_page_setup (operation, TRUE);
  g_signal_connect_data (operation, "draw-page", G_CALLBACK (on_draw_page),
                         doc_handle_ref (self->handle), handle_closure_notify, 0);
  result = gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG,
                                    GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, &error);
  if (result == GTK_PRINT_OPERATION_RESULT_ERROR)
    show_message (self, _("The Document Was Not Printed"), error->message);
  else if (result == GTK_PRINT_OPERATION_RESULT_APPLY)
    {
      g_autofree char *record = g_strdup_printf ("documents:%" G_GINT64_FORMAT, self->document_id);
      g_autofree char *detail = g_strdup_printf ("printed %u pages", self->pages->len);

      if (!cr_store_audit (self->store, CR_AUDIT_PRINT, self->patient_id, record, detail, &error))
        g_warning ("Could not record the print in the audit trail: %s", error->message);
    }
}

/* ---- GObject ------------------------------------------------------------ */

static void
cr_document_viewer_size_allocate (GtkWidget *widget,
                                  int        width,
                                  int        height,
                                  int        baseline)
{
  GTK_WIDGET_CLASS (cr_document_viewer_parent_class)->size_allocate (widget, width, height, baseline);
  queue_refit (CR_DOCUMENT_VIEWER (widget));
}

static void
cr_document_viewer_dispose (GObject *object)
{
  CrDocumentViewer *self = (CrDocumentViewer *)object;

  g_clear_handle_id (&self->fit_idle_id, g_source_remove);
  if (self->pages != NULL)
    close_document (self);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);

  gtk_widget_dispose_template (GTK_WIDGET (self), CR_TYPE_DOCUMENT_VIEWER);
  G_OBJECT_CLASS (cr_document_viewer_parent_class)->dispose (object);
}

static void
cr_document_viewer_finalize (GObject *object)
{
  CrDocumentViewer *self = (CrDocumentViewer *)object;

  g_clear_pointer (&self->pages, g_ptr_array_unref);
  g_clear_pointer (&self->thumbs, g_ptr_array_unref);
  g_clear_object (&self->cache);
  G_OBJECT_CLASS (cr_document_viewer_parent_class)->finalize (object);
}

static void
cr_document_viewer_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  CrDocumentViewer *self = CR_DOCUMENT_VIEWER (object);

  switch (prop_id)
    {
    case PROP_DOCUMENT_ID:
      g_value_set_int64 (value, self->document_id);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    case PROP_N_PAGES:
      g_value_set_uint (value, cr_document_viewer_get_n_pages (self));
      break;
    case PROP_CURRENT_PAGE:
      g_value_set_uint (value, self->current_page);
      break;
    case PROP_ZOOM:
      g_value_set_double (value, self->zoom);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cr_document_viewer_class_init (CrDocumentViewerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cr_document_viewer_dispose;
  object_class->finalize = cr_document_viewer_finalize;
  object_class->get_property = cr_document_viewer_get_property;
  widget_class->size_allocate = cr_document_viewer_size_allocate;

  properties[PROP_DOCUMENT_ID] =
    g_param_spec_int64 ("document-id", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_PAGES] =
    g_param_spec_uint ("n-pages", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CURRENT_PAGE] =
    g_param_spec_uint ("current-page", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ZOOM] =
    g_param_spec_double ("zoom", NULL, NULL, ZOOM_MIN, ZOOM_MAX, 1.0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/chartroom/Chartroom/cr-document-viewer.ui");
  gtk_widget_class_bind_template_child (widget_class, CrDocumentViewer, stack);
  gtk_widget_class_bind_template_child (widget_class, CrDocumentViewer, error_page);
  gtk_widget_class_bind_template_child (widget_class, CrDocumentViewer, scrolled);
  gtk_widget_class_bind_template_child (widget_class, CrDocumentViewer, pages_box);
  gtk_widget_class_bind_template_child (widget_class, CrDocumentViewer, thumbs_scrolled);
  gtk_widget_class_bind_template_child (widget_class, CrDocumentViewer, thumbs_box);
  gtk_widget_class_bind_template_child (widget_class, CrDocumentViewer, thumbs_revealer);
  gtk_widget_class_bind_template_child (widget_class, CrDocumentViewer, search_bar);
  gtk_widget_class_bind_template_child (widget_class, CrDocumentViewer, search_entry);
  gtk_widget_class_bind_template_child (widget_class, CrDocumentViewer, hits_label);
  gtk_widget_class_bind_template_child (widget_class, CrDocumentViewer, page_label);
  gtk_widget_class_bind_template_child (widget_class, CrDocumentViewer, zoom_label);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_search_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_search_next);
  gtk_widget_class_bind_template_callback (widget_class, on_search_previous);
  gtk_widget_class_bind_template_callback (widget_class, on_stop_search);
  gtk_widget_class_bind_template_callback (widget_class, on_search_key_pressed);
  gtk_widget_class_bind_template_callback (widget_class, on_thumbs_scrolled);

  gtk_widget_class_install_action (widget_class, "viewer.find", NULL, viewer_find);
  gtk_widget_class_install_action (widget_class, "viewer.copy", NULL, viewer_copy);
  gtk_widget_class_install_action (widget_class, "viewer.zoom-in", NULL, viewer_zoom);
  gtk_widget_class_install_action (widget_class, "viewer.zoom-out", NULL, viewer_zoom);
  gtk_widget_class_install_action (widget_class, "viewer.zoom-fit-width", NULL, viewer_zoom);
  gtk_widget_class_install_action (widget_class, "viewer.zoom-fit-page", NULL, viewer_zoom);
  gtk_widget_class_install_action (widget_class, "viewer.rotate", NULL, viewer_rotate);
  gtk_widget_class_install_action (widget_class, "viewer.export", NULL, viewer_export);
  gtk_widget_class_install_action (widget_class, "viewer.print", NULL, viewer_print);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "viewer.find", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, GDK_CONTROL_MASK, "viewer.copy", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, GDK_CONTROL_MASK, "viewer.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_equal, GDK_CONTROL_MASK, "viewer.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Add, GDK_CONTROL_MASK, "viewer.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, GDK_CONTROL_MASK, "viewer.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Subtract, GDK_CONTROL_MASK, "viewer.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0, GDK_CONTROL_MASK, "viewer.zoom-fit-width", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "viewer.rotate", NULL);
}

static void
cr_document_viewer_init (CrDocumentViewer *self)
{
  GtkEventController *controller;
  GtkGesture *pinch;
  GtkAdjustment *vadj;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->cache = cr_page_cache_new (CACHE_BYTES);
  self->pages = g_ptr_array_new ();
  self->thumbs = g_ptr_array_new ();
  self->zoom = 1.0;
  self->zoom_mode = ZOOM_FIT_WIDTH;
  self->keep_fraction = -1;
  self->current_hit = -1;
  self->selection_page = -1;
  g_queue_init (&self->pending);

  vadj = gtk_scrolled_window_get_vadjustment (self->scrolled);
  g_signal_connect_object (vadj, "value-changed", G_CALLBACK (on_vadjustment_value_changed),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (vadj, "changed", G_CALLBACK (on_vadjustment_changed), self, 0);
  g_signal_connect_object (gtk_scrolled_window_get_hadjustment (self->scrolled), "notify::page-size",
                           G_CALLBACK (on_hadjustment_changed), self, G_CONNECT_SWAPPED);

  controller = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_VERTICAL);
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect (controller, "scroll", G_CALLBACK (on_scroll), self);
  gtk_widget_add_controller (GTK_WIDGET (self->scrolled), controller);

  pinch = gtk_gesture_zoom_new ();
  g_signal_connect (pinch, "begin", G_CALLBACK (on_pinch_begin), self);
  g_signal_connect (pinch, "scale-changed", G_CALLBACK (on_pinch_scale_changed), self);
  gtk_widget_add_controller (GTK_WIDGET (self->scrolled), GTK_EVENT_CONTROLLER (pinch));

  controller = gtk_event_controller_key_new ();
  g_signal_connect (controller, "key-pressed", G_CALLBACK (on_key_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self->scrolled), controller);

  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->search_entry));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "viewer.copy", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "viewer.export", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "viewer.print", FALSE);
  update_labels (self);
}

GtkWidget *
cr_document_viewer_new (void)
{
  return g_object_new (CR_TYPE_DOCUMENT_VIEWER, NULL);
}

gint64
cr_document_viewer_get_document_id (CrDocumentViewer *self)
{
  g_return_val_if_fail (CR_IS_DOCUMENT_VIEWER (self), 0);
  return self->document_id;
}

gboolean
cr_document_viewer_get_loading (CrDocumentViewer *self)
{
  g_return_val_if_fail (CR_IS_DOCUMENT_VIEWER (self), FALSE);
  return self->loading;
}

const char *
cr_document_viewer_get_error (CrDocumentViewer *self)
{
  g_return_val_if_fail (CR_IS_DOCUMENT_VIEWER (self), NULL);
  return self->error;
}

guint
cr_document_viewer_get_n_pages (CrDocumentViewer *self)
{
  g_return_val_if_fail (CR_IS_DOCUMENT_VIEWER (self), 0);
  return self->pages != NULL ? self->pages->len : 0;
}

guint
cr_document_viewer_get_current_page (CrDocumentViewer *self)
{
  g_return_val_if_fail (CR_IS_DOCUMENT_VIEWER (self), 0);
  return self->current_page;
}

double
cr_document_viewer_get_zoom (CrDocumentViewer *self)
{
  g_return_val_if_fail (CR_IS_DOCUMENT_VIEWER (self), 1.0);
  return self->zoom;
}

void
cr_document_viewer_set_zoom (CrDocumentViewer *self,
                             double            zoom)
{
  g_return_if_fail (CR_IS_DOCUMENT_VIEWER (self));
  self->zoom_mode = ZOOM_FREE;
  apply_zoom (self, zoom);
}

gboolean
cr_document_viewer_page_is_drawn (CrDocumentViewer *self,
                                  guint             page)
{
  g_return_val_if_fail (CR_IS_DOCUMENT_VIEWER (self), FALSE);

  if (self->handle == NULL || page >= self->pages->len)
    return FALSE;
  return cr_viewer_page_sync_texture (g_ptr_array_index (self->pages, page));
}

gboolean
cr_document_viewer_get_finding (CrDocumentViewer *self)
{
  g_return_val_if_fail (CR_IS_DOCUMENT_VIEWER (self), FALSE);
  return self->finding;
}

guint
cr_document_viewer_get_n_hits (CrDocumentViewer *self)
{
  g_return_val_if_fail (CR_IS_DOCUMENT_VIEWER (self), 0);
  return self->hits != NULL ? self->hits->len : 0;
}

int
cr_document_viewer_get_current_hit (CrDocumentViewer *self)
{
  g_return_val_if_fail (CR_IS_DOCUMENT_VIEWER (self), -1);
  return self->current_hit;
}
