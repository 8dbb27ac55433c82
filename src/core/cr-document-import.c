/* cr-document-import.c: reading and checking a file before it is stored
 *
 * Everything happens in memory: the file is read once, its type judged
 * from its bytes, a PDF opened by Poppler from those bytes, an image
 * decoded (GdkPixbuf for PNG and JPEG, libtiff for TIFF) and drawn into a
 * PDF with cairo. No temporary file is ever written.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cr-documents"

#include "config.h"

#include <cairo-pdf.h>
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <math.h>
#include <string.h>
#include <tiffio.h>

#include "cr-documents-private.h"

/* Images with more pixels than this are refused (a 600 dpi A3 scan has
 * about 70 million). */
#define MAX_IMAGE_PIXELS (G_GINT64_CONSTANT (150) * 1000 * 1000)
#define MAX_IMAGE_SIDE 30000

/* Shares of an import's progress: reading, then pages. */
#define PROGRESS_READ 0.1

typedef enum
{
  KIND_UNKNOWN,
  KIND_PDF,
  KIND_PNG,
  KIND_JPEG,
  KIND_TIFF,
} FileKind;

void
_cr_document_payload_free (CrDocumentPayload *payload)
{
  g_clear_pointer (&payload->original, g_bytes_unref);
  g_clear_pointer (&payload->pdf, g_bytes_unref);
  g_free (payload->mime_type);
  g_free (payload->sha256);
  g_free (payload->password);
  g_free (payload->text);
  g_free (payload);
}

static void
report (CrProgressFunc progress,
        gpointer       data,
        double         fraction)
{
  if (progress != NULL)
    progress (CLAMP (fraction, 0.0, 1.0), data);
}

/* ---- the file's type, from its bytes ---------------------------------- */

static FileKind
sniff (const guchar *data,
       gsize         len)
{
  static const guchar png[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };

  if (len >= sizeof png && memcmp (data, png, sizeof png) == 0)
    return KIND_PNG;
  if (len >= 3 && data[0] == 0xff && data[1] == 0xd8 && data[2] == 0xff)
    return KIND_JPEG;
  if (len >= 4 && ((memcmp (data, "II", 2) == 0 && data[2] == 42 && data[3] == 0) ||
                   (memcmp (data, "MM", 2) == 0 && data[2] == 0 && data[3] == 42) ||
                   (memcmp (data, "II", 2) == 0 && data[2] == 43 && data[3] == 0) ||
                   (memcmp (data, "MM", 2) == 0 && data[2] == 0 && data[3] == 43)))
    return KIND_TIFF;
  /* As PDF readers do: the header may follow some junk within 1 KiB. */
  for (gsize i = 0; i + 5 <= MIN (len, 1024); i++)
    if (memcmp (data + i, "%PDF-", 5) == 0)
      return KIND_PDF;
  return KIND_UNKNOWN;
}

/* ---- PDF ---------------------------------------------------------------- */

gboolean
_cr_document_bytes_are_pdf (GBytes *bytes)
{
  gsize len;
  const guchar *data = g_bytes_get_data (bytes, &len);

  return len > 0 && sniff (data, len) == KIND_PDF;
}

PopplerDocument *
_cr_document_open_pdf (GBytes      *bytes,
                       const char  *password,
                       GError     **error)
{
  g_autoptr(PopplerDocument) document = NULL;
  g_autoptr(GError) local_error = NULL;

  if (password != NULL && *password == '\0')
    password = NULL;

  if (password == NULL)
    {
      document = poppler_document_new_from_bytes (bytes, NULL, &local_error);
    }
  else
    {
      /* Poppler 22.12's poppler_document_new_from_bytes() frees its stream
       * and then reads it again when a password is wrong (a crash, fixed
       * upstream later); its memory-stream path copies the stream first. */
      g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_bytes (bytes);

      document = poppler_document_new_from_stream (stream, g_bytes_get_size (bytes),
                                                   password, NULL, &local_error);
    }

  if (document == NULL)
    {
      if (g_error_matches (local_error, POPPLER_ERROR, POPPLER_ERROR_ENCRYPTED))
        {
          if (password == NULL)
            g_set_error_literal (error, CR_DOCUMENTS_ERROR, CR_DOCUMENTS_ERROR_NEEDS_PASSWORD,
                                 "The PDF is protected by a password");
          else
            g_set_error_literal (error, CR_DOCUMENTS_ERROR, CR_DOCUMENTS_ERROR_WRONG_PASSWORD,
                                 "The password does not open the PDF");
        }
      else
        {
          g_set_error (error, CR_DOCUMENTS_ERROR, CR_DOCUMENTS_ERROR_MALFORMED,
                       "The PDF is damaged and cannot be read (%s)",
                       local_error ? local_error->message : "unknown error");
        }
      return NULL;
    }

  if (poppler_document_get_n_pages (document) <= 0)
    {
      g_set_error_literal (error, CR_DOCUMENTS_ERROR, CR_DOCUMENTS_ERROR_MALFORMED,
                           "The PDF is damaged: it has no pages");
      return NULL;
    }

  return g_steal_pointer (&document);
}

/* Control characters become spaces: the snippet marks (\x02, \x03) never
 * occur in stored text, and line breaks stay. */
static void
append_clean_text (GString    *out,
                   const char *text)
{
  const char *end = NULL;

  if (text == NULL)
    return;
  if (!g_utf8_validate (text, -1, &end))
    {
      g_autofree char *valid = g_utf8_make_valid (text, -1);

      append_clean_text (out, valid);
      return;
    }
  for (const char *p = text; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      if (c < 0x20 && c != '\n' && c != '\t')
        g_string_append_c (out, ' ');
      else if (c == 0x7f)
        g_string_append_c (out, ' ');
      else
        g_string_append_c (out, (char) c);
    }
}

char *
_cr_document_extract_text (PopplerDocument *document,
                           CrProgressFunc   progress,
                           gpointer         progress_data,
                           GCancellable    *cancellable,
                           GError         **error)
{
  g_autoptr(GString) text = g_string_new (NULL);
  int n_pages = poppler_document_get_n_pages (document);

  for (int i = 0; i < n_pages; i++)
    {
      g_autoptr(PopplerPage) page = NULL;
      g_autofree char *page_text = NULL;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;

      page = poppler_document_get_page (document, i);
      if (page == NULL)
        {
          g_set_error (error, CR_DOCUMENTS_ERROR, CR_DOCUMENTS_ERROR_MALFORMED,
                       "The PDF is damaged: page %d cannot be read", i + 1);
          return NULL;
        }
      page_text = poppler_page_get_text (page);
      if (i > 0)
        g_string_append (text, "\n\f\n");
      append_clean_text (text, page_text);

      if ((i & 15) == 15 || i == n_pages - 1)
        report (progress, progress_data, (double) (i + 1) / n_pages);
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* ---- writing PDFs with cairo ------------------------------------------ */

static cairo_status_t
write_to_array (void                *closure,
                const unsigned char *data,
                unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

typedef struct
{
  GByteArray      *bytes;
  cairo_surface_t *surface;
  cairo_t         *cr;
} PdfWriter;

static void
pdf_writer_init (PdfWriter *writer)
{
  writer->bytes = g_byte_array_new ();
  /* The size is set per page. */
  writer->surface = cairo_pdf_surface_create_for_stream (write_to_array, writer->bytes,
                                                         612, 792);
  writer->cr = cairo_create (writer->surface);
}

static void
pdf_writer_clear (PdfWriter *writer)
{
  g_clear_pointer (&writer->cr, cairo_destroy);
  g_clear_pointer (&writer->surface, cairo_surface_destroy);
  g_clear_pointer (&writer->bytes, g_byte_array_unref);
}

static GBytes *
pdf_writer_finish (PdfWriter  *writer,
                   GError    **error)
{
  cairo_status_t status;

  g_clear_pointer (&writer->cr, cairo_destroy);
  cairo_surface_finish (writer->surface);
  status = cairo_surface_status (writer->surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, CR_DOCUMENTS_ERROR, CR_DOCUMENTS_ERROR_MALFORMED,
                   "Could not write the PDF: %s", cairo_status_to_string (status));
      return NULL;
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&writer->bytes));
}

GBytes *
_cr_document_write_pages (PopplerDocument *document,
                          guint            first,
                          guint            last,
                          GCancellable    *cancellable,
                          GError         **error)
{
  PdfWriter writer = { 0 };
  GBytes *bytes;

  g_return_val_if_fail (first <= last, NULL);
  g_return_val_if_fail (last < (guint) poppler_document_get_n_pages (document), NULL);

  pdf_writer_init (&writer);
  for (guint i = first; i <= last; i++)
    {
      g_autoptr(PopplerPage) page = poppler_document_get_page (document, (int) i);
      double w = 0, h = 0;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          pdf_writer_clear (&writer);
          return NULL;
        }
      if (page == NULL)
        {
          g_set_error (error, CR_DOCUMENTS_ERROR, CR_DOCUMENTS_ERROR_MALFORMED,
                       "Page %u of the document cannot be read", i + 1);
          pdf_writer_clear (&writer);
          return NULL;
        }
      poppler_page_get_size (page, &w, &h);
      cairo_pdf_surface_set_size (writer.surface, MAX (w, 1), MAX (h, 1));
      cairo_save (writer.cr);
      poppler_page_render (page, writer.cr);
      cairo_restore (writer.cr);
      cairo_show_page (writer.cr);
    }

  bytes = pdf_writer_finish (&writer, error);
  pdf_writer_clear (&writer);
  return bytes;
}

/* The page size for an image: its resolution if it states a sane one, else
 * as large as fits a Letter page (and no larger than 72 dpi would make it). */
static void
page_size_for_image (int     width,
                     int     height,
                     double  x_dpi,
                     double  y_dpi,
                     double *page_w,
                     double *page_h)
{
  if (!(x_dpi >= 50 && x_dpi <= 4800 && y_dpi >= 50 && y_dpi <= 4800))
    {
      double paper_w = width > height ? 11.0 : 8.5;
      double paper_h = width > height ? 8.5 : 11.0;

      x_dpi = y_dpi = MAX (72.0, MAX (width / paper_w, height / paper_h));
    }
  *page_w = width * 72.0 / x_dpi;
  *page_h = height * 72.0 / y_dpi;
}

static void
writer_add_image (PdfWriter       *writer,
                  cairo_surface_t *image,
                  double           page_w,
                  double           page_h)
{
  int width = cairo_image_surface_get_width (image);
  int height = cairo_image_surface_get_height (image);

  cairo_pdf_surface_set_size (writer->surface, page_w, page_h);
  cairo_save (writer->cr);
  cairo_scale (writer->cr, page_w / width, page_h / height);
  cairo_set_source_surface (writer->cr, image, 0, 0);
  cairo_paint (writer->cr);
  cairo_restore (writer->cr);
  cairo_show_page (writer->cr);
}

/* ---- PNG and JPEG ------------------------------------------------------- */

static gboolean
image_size_ok (gint64   width,
               gint64   height,
               GError **error)
{
  if (width <= 0 || height <= 0)
    {
      g_set_error_literal (error, CR_DOCUMENTS_ERROR, CR_DOCUMENTS_ERROR_MALFORMED,
                           "The image is damaged: it has no size");
      return FALSE;
    }
  if (width > MAX_IMAGE_SIDE || height > MAX_IMAGE_SIDE || width * height > MAX_IMAGE_PIXELS)
    {
      g_set_error (error, CR_DOCUMENTS_ERROR, CR_DOCUMENTS_ERROR_TOO_LARGE,
                   "The image is too large (%" G_GINT64_FORMAT " × %" G_GINT64_FORMAT
                   " pixels); scan it at 300 dpi or less",
                   width, height);
      return FALSE;
    }
  return TRUE;
}

typedef struct
{
  gboolean too_large;
  int      width;
  int      height;
} LoaderCheck;

static void
on_size_prepared (GdkPixbufLoader *loader,
                  int              width,
                  int              height,
                  gpointer         user_data)
{
  LoaderCheck *check = user_data;

  check->width = width;
  check->height = height;
  if (width > MAX_IMAGE_SIDE || height > MAX_IMAGE_SIDE ||
      (gint64) width * height > MAX_IMAGE_PIXELS)
    {
      /* Do not even allocate it. */
      check->too_large = TRUE;
      gdk_pixbuf_loader_set_size (loader, 1, 1);
    }
}

static cairo_surface_t *
surface_from_pixbuf (GdkPixbuf *pixbuf)
{
  int width = gdk_pixbuf_get_width (pixbuf);
  int height = gdk_pixbuf_get_height (pixbuf);
  int n_channels = gdk_pixbuf_get_n_channels (pixbuf);
  gboolean alpha = gdk_pixbuf_get_has_alpha (pixbuf);
  int src_stride = gdk_pixbuf_get_rowstride (pixbuf);
  const guchar *src = gdk_pixbuf_read_pixels (pixbuf);
  cairo_surface_t *surface;
  guchar *dst;
  int dst_stride;

  surface = cairo_image_surface_create (alpha ? CAIRO_FORMAT_ARGB32 : CAIRO_FORMAT_RGB24,
                                        width, height);
  if (cairo_surface_status (surface) != CAIRO_STATUS_SUCCESS)
    return surface;
  cairo_surface_flush (surface);
  dst = cairo_image_surface_get_data (surface);
  dst_stride = cairo_image_surface_get_stride (surface);

  for (int y = 0; y < height; y++)
    {
      const guchar *s = src + (gsize) y * src_stride;
      guint32 *d = (guint32 *) (dst + (gsize) y * dst_stride);

      for (int x = 0; x < width; x++, s += n_channels)
        {
          guint r = s[0], g = s[1], b = s[2], a = alpha ? s[3] : 0xff;

          if (a != 0xff)
            {
              /* Cairo wants premultiplied alpha. */
              r = (r * a + 127) / 255;
              g = (g * a + 127) / 255;
              b = (b * a + 127) / 255;
            }
          d[x] = (a << 24) | (r << 16) | (g << 8) | b;
        }
    }
  cairo_surface_mark_dirty (surface);
  return surface;
}

/* The number of colour components of a baseline or progressive 8-bit JPEG
 * (1 grey, 3 colour), or 0 if it is anything else. */
static int
jpeg_components (const guchar *d,
                 gsize         n)
{
  gsize i = 2;

  while (i + 4 <= n)
    {
      guchar marker;
      gsize len;

      if (d[i] != 0xff)
        return 0;
      marker = d[i + 1];
      if (marker == 0xff)
        {
          i++;
          continue;
        }
      if (marker == 0x01 || (marker >= 0xd0 && marker <= 0xd8))
        {
          i += 2;
          continue;
        }
      len = ((gsize) d[i + 2] << 8) | d[i + 3];
      if ((marker == 0xc0 || marker == 0xc1 || marker == 0xc2) && i + 9 < n)
        return d[i + 4] == 8 ? d[i + 9] : 0;
      if (marker >= 0xc3 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc)
        return 0;
      i += 2 + len;
    }
  return 0;
}

static GBytes *
convert_pixbuf_image (GBytes        *original,
                      FileKind       kind,
                      GCancellable  *cancellable,
                      GError       **error)
{
  g_autoptr(GdkPixbufLoader) loader = gdk_pixbuf_loader_new ();
  g_autoptr(GdkPixbuf) oriented = NULL;
  g_autoptr(GError) local_error = NULL;
  const guchar *data;
  gsize len;
  LoaderCheck check = { 0 };
  GdkPixbuf *pixbuf;
  const char *orientation;
  const char *x_dpi, *y_dpi;
  cairo_surface_t *image;
  PdfWriter writer = { 0 };
  double page_w, page_h;
  GBytes *pdf;

  data = g_bytes_get_data (original, &len);
  g_signal_connect (loader, "size-prepared", G_CALLBACK (on_size_prepared), &check);
  if (!gdk_pixbuf_loader_write (loader, data, len, &local_error) ||
      !gdk_pixbuf_loader_close (loader, local_error ? NULL : &local_error))
    {
      if (check.too_large)
        return (image_size_ok (check.width, check.height, error), NULL);
      g_set_error (error, CR_DOCUMENTS_ERROR, CR_DOCUMENTS_ERROR_MALFORMED,
                   "The image is damaged and cannot be read (%s)",
                   local_error ? local_error->message : "unknown error");
      return NULL;
    }
  if (check.too_large)
    return (image_size_ok (check.width, check.height, error), NULL);

  pixbuf = gdk_pixbuf_loader_get_pixbuf (loader);
  if (pixbuf == NULL)
    {
      g_set_error_literal (error, CR_DOCUMENTS_ERROR, CR_DOCUMENTS_ERROR_MALFORMED,
                           "The image is damaged and cannot be read");
      return NULL;
    }
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  x_dpi = gdk_pixbuf_get_option (pixbuf, "x-dpi");
  y_dpi = gdk_pixbuf_get_option (pixbuf, "y-dpi");
  orientation = gdk_pixbuf_get_option (pixbuf, "orientation");
  /* A camera's picture stands as the camera says. */
  oriented = gdk_pixbuf_apply_embedded_orientation (pixbuf);
  if (oriented == NULL)
    oriented = g_object_ref (pixbuf);
  if (orientation != NULL && strcmp (orientation, "5") >= 0 && strcmp (orientation, "8") <= 0)
    {
      const char *t = x_dpi;
      x_dpi = y_dpi;
      y_dpi = t;
    }

  image = surface_from_pixbuf (oriented);
  if (cairo_surface_status (image) != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, CR_DOCUMENTS_ERROR, CR_DOCUMENTS_ERROR_TOO_LARGE,
                   "Not enough memory for the image: %s",
                   cairo_status_to_string (cairo_surface_status (image)));
      cairo_surface_destroy (image);
      return NULL;
    }

  /* An upright JPEG goes into the PDF as it is: no loss, no growth. */
  if (kind == KIND_JPEG && (orientation == NULL || strcmp (orientation, "1") == 0))
    {
      int components = jpeg_components (data, len);

      if (components == 1 || components == 3)
        cairo_surface_set_mime_data (image, CAIRO_MIME_TYPE_JPEG, data, len,
                                     (cairo_destroy_func_t) g_bytes_unref,
                                     g_bytes_ref (original));
    }

  page_size_for_image (gdk_pixbuf_get_width (oriented), gdk_pixbuf_get_height (oriented),
                       x_dpi ? g_ascii_strtod (x_dpi, NULL) : 0,
                       y_dpi ? g_ascii_strtod (y_dpi, NULL) : 0,
                       &page_w, &page_h);

  pdf_writer_init (&writer);
  writer_add_image (&writer, image, page_w, page_h);
  cairo_surface_destroy (image);
  pdf = pdf_writer_finish (&writer, error);
  pdf_writer_clear (&writer);
  return pdf;
}

/* ---- TIFF --------------------------------------------------------------- */

typedef struct
{
  const guchar *data;
  gsize         len;
  gsize         pos;
  GString      *errors;
} TiffReader;

static tmsize_t
tiff_read (thandle_t  handle,
           void      *buf,
           tmsize_t   size)
{
  TiffReader *r = handle;
  gsize n;

  if (size <= 0 || r->pos >= r->len)
    return 0;
  n = MIN ((gsize) size, r->len - r->pos);
  memcpy (buf, r->data + r->pos, n);
  r->pos += n;
  return (tmsize_t) n;
}

static tmsize_t
tiff_write (thandle_t  handle,
            void      *buf,
            tmsize_t   size)
{
  return -1;
}

static toff_t
tiff_seek (thandle_t handle,
           toff_t    offset,
           int       whence)
{
  TiffReader *r = handle;
  gint64 base;

  switch (whence)
    {
    case SEEK_SET:
      base = 0;
      break;
    case SEEK_CUR:
      base = (gint64) r->pos;
      break;
    case SEEK_END:
      base = (gint64) r->len;
      break;
    default:
      return (toff_t) -1;
    }
  if ((gint64) offset < -base)
    return (toff_t) -1;
  r->pos = (gsize) (base + (gint64) offset);
  return (toff_t) r->pos;
}

static int
tiff_close (thandle_t handle)
{
  return 0;
}

static toff_t
tiff_size (thandle_t handle)
{
  return ((TiffReader *) handle)->len;
}

static int
tiff_map (thandle_t  handle,
          void     **base,
          toff_t    *size)
{
  TiffReader *r = handle;

  *base = (void *) r->data;
  *size = r->len;
  return 1;
}

static void
tiff_unmap (thandle_t  handle,
            void      *base,
            toff_t     size)
{
}

static int
tiff_error (TIFF        *tif,
            void        *user_data,
            const char  *module,
            const char  *fmt,
            va_list      ap)
{
  TiffReader *r = user_data;

  if (r->errors->len > 0)
    g_string_append (r->errors, "; ");
  g_string_append_vprintf (r->errors, fmt, ap);
  return 1;
}

static int
tiff_warning (TIFF        *tif,
              void        *user_data,
              const char  *module,
              const char  *fmt,
              va_list      ap)
{
  /* Unknown tags and the like: not worth a word. */
  return 1;
}

static gboolean
tiff_fail (TiffReader  *r,
           guint        page,
           GError     **error)
{
  g_set_error (error, CR_DOCUMENTS_ERROR, CR_DOCUMENTS_ERROR_MALFORMED,
               "The TIFF image is damaged: page %u cannot be read (%s)",
               page, r->errors->len > 0 ? r->errors->str : "unknown error");
  return FALSE;
}

static cairo_surface_t *
surface_from_tiff_raster (const guint32 *raster,
                          int            width,
                          int            height)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  guchar *dst;
  int stride;

  if (cairo_surface_status (surface) != CAIRO_STATUS_SUCCESS)
    return surface;
  cairo_surface_flush (surface);
  dst = cairo_image_surface_get_data (surface);
  stride = cairo_image_surface_get_stride (surface);
  for (int y = 0; y < height; y++)
    {
      const guint32 *s = raster + (gsize) y * width;
      guint32 *d = (guint32 *) (dst + (gsize) y * stride);

      for (int x = 0; x < width; x++)
        {
          guint32 p = s[x];
          guint r = TIFFGetR (p), g = TIFFGetG (p), b = TIFFGetB (p), a = TIFFGetA (p);

          /* libtiff gives associated (premultiplied) alpha already. */
          d[x] = (a << 24) | (r << 16) | (g << 8) | b;
        }
    }
  cairo_surface_mark_dirty (surface);
  return surface;
}

static GBytes *
convert_tiff (GBytes         *original,
              guint          *n_pages,
              CrProgressFunc  progress,
              gpointer        progress_data,
              GCancellable   *cancellable,
              GError        **error)
{
  g_autoptr(GString) errors = g_string_new (NULL);
  TiffReader reader = { 0 };
  TIFFOpenOptions *opts;
  TIFF *tif;
  PdfWriter writer = { 0 };
  guint page = 0;
  guint n_dirs;
  GBytes *pdf = NULL;

  reader.data = g_bytes_get_data (original, &reader.len);
  reader.errors = errors;

  opts = TIFFOpenOptionsAlloc ();
  TIFFOpenOptionsSetErrorHandlerExtR (opts, tiff_error, &reader);
  TIFFOpenOptionsSetWarningHandlerExtR (opts, tiff_warning, &reader);
  TIFFOpenOptionsSetMaxSingleMemAlloc (opts, (tmsize_t) MAX_IMAGE_PIXELS * 4 + 1024 * 1024);
  tif = TIFFClientOpenExt ("document.tif", "r", &reader, tiff_read, tiff_write, tiff_seek,
                           tiff_close, tiff_size, tiff_map, tiff_unmap, opts);
  TIFFOpenOptionsFree (opts);
  if (tif == NULL)
    {
      g_set_error (error, CR_DOCUMENTS_ERROR, CR_DOCUMENTS_ERROR_MALFORMED,
                   "The TIFF image is damaged and cannot be read (%s)",
                   errors->len > 0 ? errors->str : "unknown error");
      return NULL;
    }

  n_dirs = TIFFNumberOfDirectories (tif);
  pdf_writer_init (&writer);
  do
    {
      guint32 width = 0, height = 0;
      guint16 unit = RESUNIT_INCH;
      float x_res = 0, y_res = 0;
      g_autofree guint32 *raster = NULL;
      cairo_surface_t *image;
      double page_w, page_h;

      page++;
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        goto out;
      if (!TIFFGetField (tif, TIFFTAG_IMAGEWIDTH, &width) ||
          !TIFFGetField (tif, TIFFTAG_IMAGELENGTH, &height))
        {
          tiff_fail (&reader, page, error);
          goto out;
        }
      if (!image_size_ok (width, height, error))
        goto out;

      raster = g_try_new (guint32, (gsize) width * height);
      if (raster == NULL)
        {
          g_set_error (error, CR_DOCUMENTS_ERROR, CR_DOCUMENTS_ERROR_TOO_LARGE,
                       "Not enough memory for page %u of the TIFF image", page);
          goto out;
        }
      if (!TIFFReadRGBAImageOriented (tif, width, height, raster, ORIENTATION_TOPLEFT, 0))
        {
          tiff_fail (&reader, page, error);
          goto out;
        }

      TIFFGetFieldDefaulted (tif, TIFFTAG_RESOLUTIONUNIT, &unit);
      if (!TIFFGetField (tif, TIFFTAG_XRESOLUTION, &x_res))
        x_res = 0;
      if (!TIFFGetField (tif, TIFFTAG_YRESOLUTION, &y_res))
        y_res = x_res;
      if (unit == RESUNIT_CENTIMETER)
        {
          x_res *= 2.54f;
          y_res *= 2.54f;
        }
      else if (unit != RESUNIT_INCH)
        x_res = y_res = 0;

      image = surface_from_tiff_raster (raster, width, height);
      g_clear_pointer (&raster, g_free);
      if (cairo_surface_status (image) != CAIRO_STATUS_SUCCESS)
        {
          cairo_surface_destroy (image);
          g_set_error (error, CR_DOCUMENTS_ERROR, CR_DOCUMENTS_ERROR_TOO_LARGE,
                       "Not enough memory for page %u of the TIFF image", page);
          goto out;
        }
      page_size_for_image (width, height, x_res, y_res, &page_w, &page_h);
      writer_add_image (&writer, image, page_w, page_h);
      cairo_surface_destroy (image);

      report (progress, progress_data, n_dirs > 0 ? (double) page / n_dirs : 0);
    }
  while (TIFFReadDirectory (tif));

  /* TIFFReadDirectory() also stops at a damaged page. */
  if (page < n_dirs)
    {
      tiff_fail (&reader, page + 1, error);
      goto out;
    }

  pdf = pdf_writer_finish (&writer, error);
  *n_pages = page;

out:
  pdf_writer_clear (&writer);
  TIFFClose (tif);
  return pdf;
}

/* ---- the whole check ---------------------------------------------------- */

static GBytes *
read_file (const char    *path,
           GCancellable  *cancellable,
           GError       **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *name = g_filename_display_basename (path);
  g_autofree char *contents = NULL;
  gsize len = 0;
  goffset size;

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_TYPE "," G_FILE_ATTRIBUTE_STANDARD_SIZE,
                            G_FILE_QUERY_INFO_NONE, cancellable, &local_error);
  if (info == NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return (g_propagate_error (error, g_steal_pointer (&local_error)), NULL);
      g_set_error (error, CR_DOCUMENTS_ERROR, CR_DOCUMENTS_ERROR_UNREADABLE,
                   "“%s” cannot be read: %s", name,
                   g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND)
                     ? "there is no such file" : local_error->message);
      return NULL;
    }
  if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
    {
      g_set_error (error, CR_DOCUMENTS_ERROR, CR_DOCUMENTS_ERROR_UNREADABLE,
                   "“%s” cannot be read: it is not a file", name);
      return NULL;
    }
  size = g_file_info_get_size (info);
  if (size == 0)
    {
      g_set_error (error, CR_DOCUMENTS_ERROR, CR_DOCUMENTS_ERROR_EMPTY,
                   "“%s” is empty (0 bytes): nothing to import", name);
      return NULL;
    }
  if (size > CR_DOCUMENT_MAX_BYTES)
    {
      g_autofree char *text = g_format_size (size);

      g_set_error (error, CR_DOCUMENTS_ERROR, CR_DOCUMENTS_ERROR_TOO_LARGE,
                   "“%s” is too large (%s); documents up to 500 MB can be imported",
                   name, text);
      return NULL;
    }

  if (!g_file_get_contents (path, &contents, &len, &local_error))
    {
      g_set_error (error, CR_DOCUMENTS_ERROR, CR_DOCUMENTS_ERROR_UNREADABLE,
                   "“%s” cannot be read: %s", name, local_error->message);
      return NULL;
    }
  /* It may have changed since we looked. */
  if (len == 0)
    {
      g_set_error (error, CR_DOCUMENTS_ERROR, CR_DOCUMENTS_ERROR_EMPTY,
                   "“%s” is empty (0 bytes): nothing to import", name);
      return NULL;
    }
  if ((goffset) len > CR_DOCUMENT_MAX_BYTES)
    {
      g_set_error (error, CR_DOCUMENTS_ERROR, CR_DOCUMENTS_ERROR_TOO_LARGE,
                   "“%s” is too large; documents up to 500 MB can be imported", name);
      return NULL;
    }
  return g_bytes_new_take (g_steal_pointer (&contents), len);
}

typedef struct
{
  CrProgressFunc progress;
  gpointer       data;
  double         start;
  double         span;
} SubProgress;

static void
sub_progress (double   fraction,
              gpointer user_data)
{
  SubProgress *sub = user_data;

  report (sub->progress, sub->data, sub->start + sub->span * fraction);
}

CrDocumentPayload *
_cr_document_payload_load (const char     *path,
                           const char     *password,
                           CrProgressFunc  progress,
                           gpointer        progress_data,
                           GCancellable   *cancellable,
                           GError        **error)
{
  g_autoptr(CrDocumentPayload) payload = g_new0 (CrDocumentPayload, 1);
  g_autoptr(PopplerDocument) document = NULL;
  g_autofree char *name = g_filename_display_basename (path);
  SubProgress sub = { progress, progress_data, PROGRESS_READ, 0 };
  const guchar *data;
  gsize len;
  FileKind kind;

  if (password != NULL && *password == '\0')
    password = NULL;

  payload->original = read_file (path, cancellable, error);
  if (payload->original == NULL)
    return NULL;
  report (progress, progress_data, PROGRESS_READ / 2);

  data = g_bytes_get_data (payload->original, &len);
  kind = sniff (data, len);
  if (kind == KIND_UNKNOWN)
    {
      g_set_error (error, CR_DOCUMENTS_ERROR, CR_DOCUMENTS_ERROR_NOT_A_DOCUMENT,
                   "“%s” is not a document Chartroom can keep: "
                   "import a PDF, PNG, JPEG or TIFF file", name);
      return NULL;
    }
  payload->sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, payload->original);

  switch (kind)
    {
    case KIND_PDF:
      {
        g_autoptr(GError) local_error = NULL;

        payload->mime_type = g_strdup ("application/pdf");
        payload->pdf = g_bytes_ref (payload->original);
        /* A password only where one is needed: kept, it would say so. */
        document = _cr_document_open_pdf (payload->pdf, NULL, &local_error);
        if (document == NULL && password != NULL &&
            g_error_matches (local_error, CR_DOCUMENTS_ERROR, CR_DOCUMENTS_ERROR_NEEDS_PASSWORD))
          {
            g_clear_error (&local_error);
            document = _cr_document_open_pdf (payload->pdf, password, &local_error);
            if (document != NULL)
              payload->password = g_strdup (password);
          }
        if (document == NULL)
          {
            g_propagate_prefixed_error (error, g_steal_pointer (&local_error), "“%s”: ", name);
            return NULL;
          }
      }
      break;

    case KIND_PNG:
    case KIND_JPEG:
      payload->mime_type = g_strdup (kind == KIND_PNG ? "image/png" : "image/jpeg");
      payload->pdf = convert_pixbuf_image (payload->original, kind, cancellable, error);
      break;

    case KIND_TIFF:
      {
        guint n = 0;

        sub.span = 0.6;
        payload->mime_type = g_strdup ("image/tiff");
        payload->pdf = convert_tiff (payload->original, &n, sub_progress, &sub,
                                     cancellable, error);
        sub.start += sub.span;
      }
      break;

    case KIND_UNKNOWN:
    default:
      g_assert_not_reached ();
    }

  if (payload->pdf == NULL)
    {
      if (error != NULL && *error != NULL && (*error)->domain == CR_DOCUMENTS_ERROR)
        g_prefix_error (error, "“%s”: ", name);
      return NULL;
    }

  /* What cairo wrote, Poppler reads back: every stored document opens. */
  if (document == NULL)
    {
      document = _cr_document_open_pdf (payload->pdf, NULL, error);
      if (document == NULL)
        {
          g_prefix_error (error, "“%s”: ", name);
          return NULL;
        }
    }

  payload->n_pages = poppler_document_get_n_pages (document);
  sub.span = 1.0 - sub.start;
  payload->text = _cr_document_extract_text (document, sub_progress, &sub, cancellable, error);
  if (payload->text == NULL)
    {
      if (error != NULL && *error != NULL && (*error)->domain == CR_DOCUMENTS_ERROR)
        g_prefix_error (error, "“%s”: ", name);
      return NULL;
    }

  return g_steal_pointer (&payload);
}
