/* cr-document-render.h: drawing a document's pages, in memory only
 *
 * The viewer's code path and the benchmark's: pages become ARGB32 image
 * surfaces (never files), and a bounded in-memory cache keeps the ones
 * recently drawn so that memory follows the cache's size, not the page
 * count.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <cairo.h>
#include <gio/gio.h>
#include <poppler.h>

G_BEGIN_DECLS

/* Poppler 22.12's GLib API has no g_autoptr() support yet. */
#ifndef CR_POPPLER_AUTOPTR
#define CR_POPPLER_AUTOPTR
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PopplerDocument, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PopplerPage, g_object_unref)
#endif

/* A side of a rendered page may not exceed this many pixels. */
#define CR_DOCUMENT_RENDER_MAX_SIDE 16384

/**
 * cr_document_render_page:
 * @page: the page (not used by another thread meanwhile)
 * @scale: pixels per PDF point (1.0 = 72 dpi), > 0
 * @rotation: view rotation, degrees clockwise: 0, 90, 180 or 270 (added to
 *   the page's own /Rotate, which Poppler applies)
 *
 * Draws the page on white, as a person sees it. Checks @cancellable before
 * and after Poppler's drawing (which cannot be interrupted).
 *
 * Returns: (transfer full): a CAIRO_FORMAT_ARGB32 image surface of
 *   ceil (width × scale) × ceil (height × scale) pixels (sides swapped for
 *   90 and 270), or NULL with @error set (G_IO_ERROR_INVALID_ARGUMENT for
 *   a bad rotation or scale, or a page too large to draw;
 *   G_IO_ERROR_CANCELLED)
 */
cairo_surface_t *cr_document_render_page          (PopplerPage   *page,
                                                   double         scale,
                                                   int            rotation,
                                                   GCancellable  *cancellable,
                                                   GError       **error);
/**
 * cr_document_render_page_poppler_only:
 *
 * The benchmark's baseline: Poppler alone, poppler_page_render() straight
 * onto a new ARGB32 image surface of the same size at @scale, no
 * background, no rotation, no checks. Compare cr_document_render_page()
 * (@rotation 0) with it.
 *
 * Returns: (transfer full): the surface
 */
cairo_surface_t *cr_document_render_page_poppler_only (PopplerPage *page,
                                                       double       scale);
/* The size cr_document_render_page() gives, in pixels. FALSE if too large. */
gboolean         cr_document_render_get_size      (PopplerPage   *page,
                                                   double         scale,
                                                   int            rotation,
                                                   int           *width,
                                                   int           *height);
/* Pixels that are not white (each channel above 250 counts as white): for
 * tests and "is this page blank?" checks. */
guint64          cr_document_count_ink_pixels     (cairo_surface_t *surface);

/* ---- CrPageCache ------------------------------------------------------- */

#define CR_TYPE_PAGE_CACHE (cr_page_cache_get_type ())

G_DECLARE_FINAL_TYPE (CrPageCache, cr_page_cache, CR, PAGE_CACHE, GObject)

/**
 * cr_page_cache_new:
 * @max_bytes: the most the cached pixels may take (each surface counts
 *   stride × height)
 *
 * A least-recently-used cache of rendered pages, keyed by (document id,
 * 0-based page, scale bucket, rotation). Thread-safe: a worker may insert
 * while the main loop looks up. Surfaces are shared, not copied: never
 * draw onto one you got from or gave to the cache.
 */
CrPageCache     *cr_page_cache_new                (gsize            max_bytes);
/* The scale a page is cached at for @scale: scales are bucketed in steps
 * of 2^(1/8) (about 9 %), so a smooth zoom re-renders only every few
 * steps. Render at this scale and show the surface scaled by the rest. */
double           cr_page_cache_quantize_scale     (double           scale);
/* (transfer full) (nullable): the page rendered at the bucket of @scale,
 * which becomes the most recently used */
cairo_surface_t *cr_page_cache_lookup             (CrPageCache     *self,
                                                   gint64           document_id,
                                                   guint            page,
                                                   double           scale,
                                                   int              rotation);
/* Adds (or replaces) an entry, dropping the least recently used ones to
 * stay within the bound; a surface larger than the whole bound is not
 * kept. Takes its own reference. */
void             cr_page_cache_insert             (CrPageCache     *self,
                                                   gint64           document_id,
                                                   guint            page,
                                                   double           scale,
                                                   int              rotation,
                                                   cairo_surface_t *surface);
/* Drops every page of a document (closed, or its rotation changed). */
void             cr_page_cache_remove_document    (CrPageCache     *self,
                                                   gint64           document_id);
void             cr_page_cache_clear              (CrPageCache     *self);
gsize            cr_page_cache_get_size           (CrPageCache     *self);
gsize            cr_page_cache_get_max_bytes      (CrPageCache     *self);
/* Shrinking drops the least recently used pages at once. */
void             cr_page_cache_set_max_bytes      (CrPageCache     *self,
                                                   gsize            max_bytes);
guint            cr_page_cache_get_n_pages        (CrPageCache     *self);

G_END_DECLS
