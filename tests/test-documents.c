/* test-documents.c: scanned and imported documents (import, filing,
 * search, split, rotation, export, rendering, the page cache)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <cairo-pdf.h>
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gstdio.h>
#include <string.h>
#include <tiffio.h>

#include "cr-audit.h"
#include "cr-chart.h"
#include "cr-document-render.h"
#include "cr-documents.h"
#include "cr-patients.h"
#include "cr-store-private.h"
#include "test-util.h"

#define ENCRYPTED_PDF "pypdf_libreoffice-writer-password_ENCRYPTED.pdf"
#define GUIDELINES_PDF "ICD-10-CM-October-2025-Guidelines.pdf"
/* Words on the guidelines' first page (pdftotext shows them). */
#define GUIDELINES_PHRASE "Cooperating Parties for the ICD-10-CM"

/* ---- helpers ------------------------------------------------------------ */

static gint64
add_patient (CrStore    *store,
             const char *family,
             const char *given)
{
  g_autoptr(CrPatient) patient = cr_patient_new ();
  g_autoptr(GError) error = NULL;

  cr_patient_set_family_name (patient, family);
  cr_patient_set_given_names (patient, given);
  cr_patient_set_birth_date (patient, "1961-04-12");
  cr_patient_set_sex (patient, CR_SEX_FEMALE);
  g_assert_true (cr_store_add_patient (store, patient, FALSE, &error));
  g_assert_no_error (error);
  return cr_patient_get_id (patient);
}

static gint64
add_visit (CrStore    *store,
           gint64      patient_id,
           const char *started_at)
{
  g_autoptr(CrVisit) visit = cr_visit_new (patient_id);
  g_autoptr(GError) error = NULL;

  cr_visit_set_started_at (visit, started_at);
  cr_visit_set_chief_complaint (visit, "Follow-up");
  g_assert_true (cr_store_create_visit (store, visit, &error));
  g_assert_no_error (error);
  return cr_visit_get_id (visit);
}

static gint64
query_int (CrStore    *store,
           const char *sql)
{
  g_autoptr(CrStoreLocker) locker = _cr_store_lock (store);
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_prepare_v2 (_cr_store_get_db (store), sql, -1, &stmt, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

/* Every table a document touches, and the audit trail, as one string. */
static char *
dup_counts (CrStore *store)
{
  return g_strdup_printf ("documents %" G_GINT64_FORMAT ", content %" G_GINT64_FORMAT
                          ", search %" G_GINT64_FORMAT ", pages %" G_GINT64_FORMAT
                          ", audit %" G_GINT64_FORMAT,
                          query_int (store, "SELECT count(*) FROM documents"),
                          query_int (store, "SELECT count(*) FROM document_content"),
                          query_int (store, "SELECT count(*) FROM document_search"),
                          query_int (store, "SELECT count(*) FROM document_pages"),
                          query_int (store, "SELECT count(*) FROM audit"));
}

static gint64
count_audit (CrStore    *store,
             const char *action,
             gint64      document_id)
{
  g_autoptr(CrStoreLocker) locker = _cr_store_lock (store);
  g_autofree char *record = g_strdup_printf ("documents:%" G_GINT64_FORMAT, document_id);
  sqlite3_stmt *stmt = NULL;
  gint64 n;

  g_assert_cmpint (sqlite3_prepare_v2 (_cr_store_get_db (store),
                                       "SELECT count(*) FROM audit WHERE action = ?1 AND record = ?2",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, action, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, record, -1, SQLITE_TRANSIENT);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return n;
}

static gint64
import_ok (CrStore    *store,
           const char *path,
           gint64      patient_id)
{
  CrDocumentImportOptions options = { 0 };
  g_autoptr(GError) error = NULL;
  gint64 id;

  options.patient_id = patient_id;
  id = cr_store_import_document (store, path, &options, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

static int
compare_paths (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* The files in a shared-data folder, sorted; NULL (skipped) if absent. */
static GPtrArray *
list_shared (const char *folder)
{
  g_autofree char *dir_path = test_shared_data_path ("pdfs", folder, NULL);
  g_autoptr(GPtrArray) paths = NULL;
  GDir *dir;
  const char *name;

  if (dir_path == NULL)
    return NULL;
  dir = g_dir_open (dir_path, 0, NULL);
  g_assert_nonnull (dir);
  paths = g_ptr_array_new_with_free_func (g_free);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (paths, g_build_filename (dir_path, name, NULL));
  g_dir_close (dir);
  g_ptr_array_sort (paths, compare_paths);
  return g_steal_pointer (&paths);
}

/* Poppler on the file itself, independent of the store. */
static PopplerDocument *
open_file_directly (const char *path,
                    const char *password)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *uri = g_file_get_uri (file);
  PopplerDocument *document = poppler_document_new_from_file (uri, password, &error);

  g_assert_no_error (error);
  return document;
}

/* The words of a text, for comparing text that went through a re-render. */
static char *
dup_words (const char *text)
{
  g_auto(GStrv) words = g_strsplit_set (text, " \t\r\n\f", -1);
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; words[i] != NULL; i++)
    if (*words[i] != '\0')
      g_string_append_printf (out, "%s%s", out->len ? " " : "", words[i]);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static char *
dup_page_text (PopplerDocument *document,
               int              index)
{
  g_autoptr(PopplerPage) page = poppler_document_get_page (document, index);
  g_autofree char *text = NULL;

  g_assert_nonnull (page);
  text = poppler_page_get_text (page);
  return dup_words (text ? text : "");
}

/* The spread of brightness (green channel) over the page. */
static int
dynamic_range (cairo_surface_t *surface)
{
  const guchar *data = cairo_image_surface_get_data (surface);
  int stride = cairo_image_surface_get_stride (surface);
  int lo = 255, hi = 0;

  for (int y = 0; y < cairo_image_surface_get_height (surface); y++)
    for (int x = 0; x < cairo_image_surface_get_width (surface); x++)
      {
        int g = (((const guint32 *) (data + (gsize) y * stride))[x] >> 8) & 0xff;

        lo = MIN (lo, g);
        hi = MAX (hi, g);
      }
  return hi - lo;
}

static void
assert_page_has_ink (PopplerDocument *document,
                     int              index,
                     double           scale,
                     const char      *what)
{
  g_autoptr(PopplerPage) page = poppler_document_get_page (document, index);
  g_autoptr(GError) error = NULL;
  cairo_surface_t *surface;
  guint64 ink, total;

  g_assert_nonnull (page);
  surface = cr_document_render_page (page, scale, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (surface);
  g_assert_cmpint (cairo_image_surface_get_format (surface), ==, CAIRO_FORMAT_ARGB32);
  ink = cr_document_count_ink_pixels (surface);
  total = (guint64) cairo_image_surface_get_width (surface) *
          cairo_image_surface_get_height (surface);
  if (ink == 0)
    g_error ("%s: page %d rendered blank", what, index + 1);
  g_assert_cmpuint (ink, <=, total);
  /* Not one flat colour either (a yellowed scan is all "ink"): marks on it. */
  g_assert_cmpint (dynamic_range (surface), >, 64);
  cairo_surface_destroy (surface);
}

static gboolean
model_has_id (GListModel *model,
              gint64      id)
{
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(CrDocument) document = g_list_model_get_item (model, i);

      if (cr_document_get_id (document) == id)
        return TRUE;
    }
  return FALSE;
}

/* ---- generated files ---------------------------------------------------- */

static void
draw_marks (cairo_t *cr,
            double   width,
            double   height,
            int      n)
{
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_set_source_rgb (cr, 0, 0, 0);
  for (int i = 0; i <= n; i++)
    cairo_rectangle (cr, width * 0.1, height * (0.1 + 0.05 * i), width * 0.6, height * 0.02);
  cairo_fill (cr);
}

static char *
write_png (const char *dir,
           const char *name,
           int         width,
           int         height)
{
  char *path = g_build_filename (dir, name, NULL);
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, height);
  cairo_t *cr = cairo_create (surface);

  draw_marks (cr, width, height, 3);
  cairo_destroy (cr);
  g_assert_cmpint (cairo_surface_write_to_png (surface, path), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (surface);
  return path;
}

static char *
write_jpeg (const char *dir,
            const char *png_path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new_from_file (png_path, &error);
  char *path = g_build_filename (dir, "scan.jpg", NULL);

  g_assert_no_error (error);
  g_assert_true (gdk_pixbuf_save (pixbuf, path, "jpeg", &error, "quality", "85", NULL));
  g_assert_no_error (error);
  return path;
}

/* A fax-like multi-page TIFF: 8-bit grey, 200 dpi, one stripe per page. */
static char *
write_tiff (const char *dir,
            int         n_pages)
{
  char *path = g_build_filename (dir, "fax.tif", NULL);
  const guint32 width = 340, height = 440;
  g_autofree guchar *row = g_malloc (width);
  TIFF *tif = TIFFOpen (path, "w");

  g_assert_nonnull (tif);
  for (int p = 0; p < n_pages; p++)
    {
      TIFFSetField (tif, TIFFTAG_IMAGEWIDTH, width);
      TIFFSetField (tif, TIFFTAG_IMAGELENGTH, height);
      TIFFSetField (tif, TIFFTAG_BITSPERSAMPLE, 8);
      TIFFSetField (tif, TIFFTAG_SAMPLESPERPIXEL, 1);
      TIFFSetField (tif, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISBLACK);
      TIFFSetField (tif, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG);
      TIFFSetField (tif, TIFFTAG_COMPRESSION, COMPRESSION_ADOBE_DEFLATE);
      TIFFSetField (tif, TIFFTAG_ROWSPERSTRIP, height);
      TIFFSetField (tif, TIFFTAG_XRESOLUTION, 200.0f);
      TIFFSetField (tif, TIFFTAG_YRESOLUTION, 200.0f);
      TIFFSetField (tif, TIFFTAG_RESOLUTIONUNIT, RESUNIT_INCH);
      TIFFSetField (tif, TIFFTAG_SUBFILETYPE, FILETYPE_PAGE);
      TIFFSetField (tif, TIFFTAG_PAGENUMBER, p, n_pages);
      for (guint32 y = 0; y < height; y++)
        {
          /* A black bar whose place tells the pages apart. */
          gboolean bar = y >= 40u + 60u * p && y < 80u + 60u * p;

          memset (row, bar ? 0 : 255, width);
          g_assert_cmpint (TIFFWriteScanline (tif, row, y, 0), ==, 1);
        }
      g_assert_true (TIFFWriteDirectory (tif));
    }
  TIFFClose (tif);
  return path;
}

static cairo_status_t
write_bytes (void                *closure,
             const unsigned char *data,
             unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

/* A PDF of @n_pages Letter pages, each saying "Page N of the long record". */
static char *
write_long_pdf (const char *dir,
                int         n_pages)
{
  char *path = g_build_filename (dir, "long-record.pdf", NULL);
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  g_autoptr(GError) error = NULL;
  cairo_surface_t *surface;
  cairo_t *cr;

  surface = cairo_pdf_surface_create_for_stream (write_bytes, bytes, 612, 792);
  cr = cairo_create (surface);
  cairo_select_font_face (cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size (cr, 18);
  for (int i = 1; i <= n_pages; i++)
    {
      g_autofree char *text = g_strdup_printf ("Page %d of the long record", i);

      cairo_move_to (cr, 72, 100);
      cairo_show_text (cr, text);
      cairo_show_page (cr);
    }
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (surface);
  g_assert_true (g_file_set_contents (path, (const char *) bytes->data, bytes->len, &error));
  g_assert_no_error (error);
  return path;
}

/* ---- import of the real files ------------------------------------------ */

static void
check_imports_folder (StoreFixture *fixture,
                      const char   *folder,
                      gint64        patient_id)
{
  g_autoptr(GPtrArray) paths = list_shared (folder);

  if (paths == NULL)
    return;

  for (guint i = 0; i < paths->len; i++)
    {
      const char *path = g_ptr_array_index (paths, i);
      g_autofree char *name = g_path_get_basename (path);
      g_autoptr(PopplerDocument) direct = NULL;
      g_autoptr(PopplerDocument) stored = NULL;
      g_autoptr(CrDocument) document = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *sha256 = NULL;
      g_autofree char *contents = NULL;
      gsize len = 0;
      gint64 id;
      int n_pages;
      gint64 t0;

      if (strcmp (name, ENCRYPTED_PDF) == 0)
        continue;

      direct = open_file_directly (path, NULL);
      n_pages = poppler_document_get_n_pages (direct);
      g_assert_cmpint (n_pages, >, 0);

      t0 = g_get_monotonic_time ();
      id = import_ok (fixture->store, path, patient_id);
      g_test_message ("%s: %d pages imported in %.1f ms", name, n_pages,
                      (g_get_monotonic_time () - t0) / 1000.0);

      document = cr_store_get_document (fixture->store, id, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (cr_document_get_page_count (document), ==, n_pages);
      g_assert_cmpstr (cr_document_get_mime_type (document), ==, "application/pdf");
      g_assert_cmpstr (cr_document_get_file_name (document), ==, name);
      g_assert_cmpint (cr_document_get_patient_id (document), ==, patient_id);
      g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
      sha256 = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (guchar *) contents, len);
      g_assert_cmpstr (cr_document_get_sha256 (document), ==, sha256);
      g_assert_cmpint (cr_document_get_byte_size (document), ==, len);
      g_assert_cmpint (count_audit (fixture->store, CR_AUDIT_IMPORT, id), ==, 1);

      stored = cr_store_open_document (fixture->store, id, &error);
      g_assert_no_error (error);
      g_assert_cmpint (poppler_document_get_n_pages (stored), ==, n_pages);
      /* Every page of the stored copy draws something. Long documents: a
       * small scale keeps the test quick. */
      for (int p = 0; p < n_pages; p++)
        assert_page_has_ink (stored, p, n_pages > 20 ? 0.25 : 0.5, name);
    }
}

static void
test_import_real (StoreFixture  *fixture,
                  gconstpointer  data)
{
  gint64 patient = add_patient (fixture->store, "Okafor", "Adaeze");
  g_autoptr(GListModel) inbox = NULL;
  g_autoptr(GListModel) filed = NULL;
  g_autoptr(GError) error = NULL;

  check_imports_folder (fixture, "scanned", 0);
  check_imports_folder (fixture, "born-digital", patient);
  if (g_test_failed () || query_int (fixture->store, "SELECT count(*) FROM documents") == 0)
    return;

  /* Scans went to the inbox, newest first; the rest to the chart. */
  inbox = cr_store_list_inbox (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (inbox), ==, 8);
  {
    g_autoptr(CrDocument) first = g_list_model_get_item (inbox, 0);
    g_autoptr(CrDocument) last = g_list_model_get_item (inbox, 7);

    g_assert_cmpint (cr_document_get_id (first), >, cr_document_get_id (last));
    g_assert_cmpint (cr_document_get_patient_id (first), ==, 0);
  }
  g_assert_cmpint (cr_store_count_inbox (fixture->store, NULL), ==, 8);
  filed = cr_store_list_patient_documents (fixture->store, patient, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (filed), ==, 4);
}

/* ---- refusals ------------------------------------------------------------ */

static void
test_broken (StoreFixture  *fixture,
             gconstpointer  data)
{
  g_autoptr(GPtrArray) paths = list_shared ("broken");
  g_autofree char *before = NULL;

  if (paths == NULL)
    return;

  for (guint i = 0; i < paths->len; i++)
    {
      const char *path = g_ptr_array_index (paths, i);
      g_autofree char *name = g_path_get_basename (path);
      g_autofree char *after = NULL;
      g_autoptr(GError) error = NULL;
      gint64 id;

      g_clear_pointer (&before, g_free);
      before = dup_counts (fixture->store);
      id = cr_store_import_document (fixture->store, path, NULL, NULL, &error);

      if (strcmp (name, "qpdf_pages-loop.pdf") == 0)
        {
          /* Its page tree's Kids list points back at itself, after the one
           * page its /Count promises. Poppler stops at /Count and never
           * meets the loop, so the document reads as one sound page
           * ("Potato"): it is kept, exactly that page, and nothing hangs. */
          g_autoptr(PopplerDocument) stored = NULL;

          g_assert_no_error (error);
          g_assert_cmpint (id, >, 0);
          stored = cr_store_open_document (fixture->store, id, &error);
          g_assert_no_error (error);
          g_assert_cmpint (poppler_document_get_n_pages (stored), ==, 1);
          {
            g_autofree char *text = dup_page_text (stored, 0);
            g_assert_cmpstr (text, ==, "Potato");
          }
          continue;
        }

      g_test_message ("%s: %s", name, error ? error->message : "(imported)");
      g_assert_cmpint (id, ==, 0);
      g_assert_nonnull (error);
      g_assert_true (error->domain == CR_DOCUMENTS_ERROR);
      g_assert_true (error->code == CR_DOCUMENTS_ERROR_MALFORMED ||
                     error->code == CR_DOCUMENTS_ERROR_NOT_A_DOCUMENT);
      /* The message names the file, and says what is wrong with it. */
      g_assert_nonnull (strstr (error->message, name));
      after = dup_counts (fixture->store);
      g_assert_cmpstr (after, ==, before);
    }
}

static void
test_other_files (StoreFixture  *fixture,
                  gconstpointer  data)
{
  g_autofree char *dir = test_make_temp_dir ();
  g_autofree char *empty = g_build_filename (dir, "empty.pdf", NULL);
  g_autofree char *text = g_build_filename (dir, "notes.pdf", NULL);
  g_autofree char *png = write_png (dir, "scan.png", 850, 1100);
  g_autofree char *jpeg = write_jpeg (dir, png);
  g_autofree char *tiff = write_tiff (dir, 3);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(GError) error = NULL;
  struct
  {
    const char *path;
    const char *mime;
    guint       pages;
  } images[] = {
    { png, "image/png", 1 },
    { jpeg, "image/jpeg", 1 },
    { tiff, "image/tiff", 3 },
  };

  g_assert_true (g_file_set_contents (empty, "", 0, NULL));
  g_assert_true (g_file_set_contents (text, "Blood pressure 120/80, pulse 72.\n", -1, NULL));

  before = dup_counts (fixture->store);
  g_assert_cmpint (cr_store_import_document (fixture->store, empty, NULL, NULL, &error), ==, 0);
  g_assert_error (error, CR_DOCUMENTS_ERROR, CR_DOCUMENTS_ERROR_EMPTY);
  g_test_message ("empty: %s", error->message);
  g_clear_error (&error);
  /* Named .pdf, but its bytes are text. */
  g_assert_cmpint (cr_store_import_document (fixture->store, text, NULL, NULL, &error), ==, 0);
  g_assert_error (error, CR_DOCUMENTS_ERROR, CR_DOCUMENTS_ERROR_NOT_A_DOCUMENT);
  g_test_message ("text: %s", error->message);
  g_clear_error (&error);
  g_assert_cmpint (cr_store_import_document (fixture->store, dir, NULL, NULL, &error), ==, 0);
  g_assert_error (error, CR_DOCUMENTS_ERROR, CR_DOCUMENTS_ERROR_UNREADABLE);
  g_clear_error (&error);
  after = dup_counts (fixture->store);
  g_assert_cmpstr (after, ==, before);

  for (guint i = 0; i < G_N_ELEMENTS (images); i++)
    {
      g_autoptr(CrDocument) document = NULL;
      g_autoptr(PopplerDocument) stored = NULL;
      g_autoptr(GBytes) original = NULL;
      g_autofree char *exported = g_build_filename (dir, "exported", NULL);
      g_autofree char *a = NULL, *b = NULL;
      gsize la = 0, lb = 0;
      gint64 id = import_ok (fixture->store, images[i].path, 0);

      document = cr_store_get_document (fixture->store, id, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (cr_document_get_mime_type (document), ==, images[i].mime);
      g_assert_cmpuint (cr_document_get_page_count (document), ==, images[i].pages);

      /* Stored as a PDF with one page per image, each drawn. */
      stored = cr_store_open_document (fixture->store, id, &error);
      g_assert_no_error (error);
      g_assert_cmpint (poppler_document_get_n_pages (stored), ==, images[i].pages);
      for (guint p = 0; p < images[i].pages; p++)
        assert_page_has_ink (stored, p, 0.5, images[i].mime);

      /* The original bytes are kept: the export is the very file. */
      g_assert_true (cr_store_export_document (fixture->store, id, exported, NULL, &error));
      g_assert_no_error (error);
      g_assert_true (g_file_get_contents (images[i].path, &a, &la, NULL));
      g_assert_true (g_file_get_contents (exported, &b, &lb, NULL));
      g_assert_cmpmem (a, la, b, lb);
      g_assert_cmpint (count_audit (fixture->store, CR_AUDIT_EXPORT, id), ==, 1);
      g_unlink (exported);
    }

  /* The TIFF's pages are its own, in order: the bar moves down. */
  {
    g_autoptr(PopplerDocument) stored = NULL;
    gint64 id = query_int (fixture->store,
                           "SELECT id FROM documents WHERE mime_type = 'image/tiff'");
    int previous = -1;

    stored = cr_store_open_document (fixture->store, id, &error);
    g_assert_no_error (error);
    for (int p = 0; p < 3; p++)
      {
        g_autoptr(PopplerPage) page = poppler_document_get_page (stored, p);
        cairo_surface_t *surface = cr_document_render_page (page, 1.0, 0, NULL, &error);
        const guchar *pixels;
        int stride, x, first_dark = -1;

        g_assert_no_error (error);
        pixels = cairo_image_surface_get_data (surface);
        stride = cairo_image_surface_get_stride (surface);
        x = cairo_image_surface_get_width (surface) / 2;
        for (int y = 0; y < cairo_image_surface_get_height (surface) && first_dark < 0; y++)
          if (pixels[(gsize) y * stride + x * 4] < 128)
            first_dark = y;
        g_assert_cmpint (first_dark, >, previous);
        previous = first_dark;
        /* 340 × 440 pixels at 200 dpi: 122.4 × 158.4 points. */
        g_assert_cmpint (cairo_image_surface_get_width (surface), ==, 123);
        g_assert_cmpint (cairo_image_surface_get_height (surface), ==, 159);
        cairo_surface_destroy (surface);
      }
  }

  test_remove_tree (dir);
}

static void
test_encrypted (StoreFixture  *fixture,
                gconstpointer  data)
{
  g_autofree char *path = test_shared_data_path ("pdfs", "born-digital", ENCRYPTED_PDF, NULL);
  CrDocumentImportOptions options = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(PopplerDocument) stored = NULL;
  g_autoptr(PopplerDocument) direct = NULL;
  g_autoptr(CrDocument) document = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *stored_text = NULL;
  g_autofree char *direct_text = NULL;
  gint64 patient, id;

  if (path == NULL)
    return;
  patient = add_patient (fixture->store, "Lindqvist", "Maja");
  options.patient_id = patient;

  before = dup_counts (fixture->store);
  g_assert_cmpint (cr_store_import_document (fixture->store, path, &options, NULL, &error), ==, 0);
  g_assert_error (error, CR_DOCUMENTS_ERROR, CR_DOCUMENTS_ERROR_NEEDS_PASSWORD);
  g_test_message ("no password: %s", error->message);
  g_clear_error (&error);

  options.password = "permission";
  g_assert_cmpint (cr_store_import_document (fixture->store, path, &options, NULL, &error), ==, 0);
  g_assert_error (error, CR_DOCUMENTS_ERROR, CR_DOCUMENTS_ERROR_WRONG_PASSWORD);
  g_test_message ("wrong password: %s", error->message);
  g_clear_error (&error);
  after = dup_counts (fixture->store);
  g_assert_cmpstr (after, ==, before);

  options.password = "openpassword";
  id = cr_store_import_document (fixture->store, path, &options, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  document = cr_store_get_document (fixture->store, id, &error);
  g_assert_no_error (error);
  g_assert_true (cr_document_get_encrypted (document));

  /* Opens from the store without asking, and reads as the file does. */
  stored = cr_store_open_document (fixture->store, id, &error);
  g_assert_no_error (error);
  direct = open_file_directly (path, "openpassword");
  g_assert_cmpint (poppler_document_get_n_pages (stored), ==,
                   poppler_document_get_n_pages (direct));
  stored_text = dup_page_text (stored, 0);
  direct_text = dup_page_text (direct, 0);
  g_assert_cmpstr (stored_text, ==, direct_text);
  g_assert_true (g_str_has_prefix (stored_text, "Lorem ipsum"));
  assert_page_has_ink (stored, 0, 0.5, ENCRYPTED_PDF);
  g_assert_cmpint (count_audit (fixture->store, CR_AUDIT_VIEW, id), ==, 1);

  /* A password given for a PDF without one is not kept. */
  {
    g_autofree char *plain = test_shared_data_path ("pdfs", "born-digital",
                                                    "pypdf_pdflatex-forms.pdf", NULL);
    g_autoptr(CrDocument) plain_doc = NULL;
    gint64 plain_id;

    options.password = "openpassword";
    plain_id = cr_store_import_document (fixture->store, plain, &options, NULL, &error);
    g_assert_no_error (error);
    plain_doc = cr_store_get_document (fixture->store, plain_id, &error);
    g_assert_false (cr_document_get_encrypted (plain_doc));
  }
}

static void
test_duplicate (StoreFixture  *fixture,
                gconstpointer  data)
{
  g_autofree char *path = test_shared_data_path ("pdfs", "born-digital",
                                                 "pypdf_pdflatex-4-pages.pdf", NULL);
  CrDocumentImportOptions options = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *needle = NULL;
  gint64 id, again;

  if (path == NULL)
    return;

  id = import_ok (fixture->store, path, 0);
  before = dup_counts (fixture->store);
  g_assert_cmpint (cr_store_import_document (fixture->store, path, NULL, NULL, &error), ==, 0);
  g_assert_error (error, CR_DOCUMENTS_ERROR, CR_DOCUMENTS_ERROR_DUPLICATE);
  g_test_message ("%s", error->message);
  /* It names the document already there. */
  needle = g_strdup_printf ("document %" G_GINT64_FORMAT, id);
  g_assert_nonnull (strstr (error->message, needle));
  g_assert_nonnull (strstr (error->message, "in the inbox"));
  g_clear_error (&error);
  after = dup_counts (fixture->store);
  g_assert_cmpstr (after, ==, before);

  options.allow_duplicate = TRUE;
  again = cr_store_import_document (fixture->store, path, &options, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (again, >, id);
}

/* ---- search and encryption at rest ------------------------------------- */

static void
test_search (StoreFixture  *fixture,
             gconstpointer  data)
{
  g_autofree char *guidelines = test_shared_data_path ("pdfs", "born-digital", GUIDELINES_PDF,
                                                       NULL);
  g_autofree char *cms = test_shared_data_path ("pdfs", "born-digital",
                                                "cms_MLN909160_medical-record-documentation.pdf",
                                                NULL);
  g_autoptr(GListModel) found = NULL;
  g_autoptr(GError) error = NULL;
  gint64 patient, other, g_id, c_id;

  if (guidelines == NULL || cms == NULL)
    return;
  patient = add_patient (fixture->store, "Moreau", "Élise");
  other = add_patient (fixture->store, "Tanaka", "Hiro");
  g_id = import_ok (fixture->store, guidelines, patient);
  c_id = import_ok (fixture->store, cms, patient);

  /* Words from the text layer, as typed: prefixes, any case. */
  found = cr_store_search_documents (fixture->store, patient, "cooperat PARTIES", 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (found), ==, 1);
  {
    g_autoptr(CrDocument) hit = g_list_model_get_item (found, 0);
    g_autofree char *markup = cr_document_dup_snippet_markup (hit);

    g_assert_cmpint (cr_document_get_id (hit), ==, g_id);
    g_assert_nonnull (strstr (cr_document_get_snippet (hit),
                              CR_DOCUMENT_SNIPPET_START "Cooperating" CR_DOCUMENT_SNIPPET_END));
    g_assert_nonnull (strstr (markup, "<b>Cooperating</b>"));
    g_test_message ("snippet: %s", markup);
  }
  g_clear_object (&found);

  /* The CMS booklet's own words; and one word both share. */
  found = cr_store_search_documents (fixture->store, patient, "Comprehensive Error Rate", 0,
                                     NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (found), ==, 1);
  g_assert_true (model_has_id (found, c_id));
  g_clear_object (&found);
  found = cr_store_search_documents (fixture->store, patient, "documentation", 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (found), ==, 2);
  g_clear_object (&found);

  /* By title too; not another patient's; not FTS syntax. */
  found = cr_store_search_documents (fixture->store, patient, "guidelines", 0, NULL, &error);
  g_assert_true (model_has_id (found, g_id));
  g_clear_object (&found);
  found = cr_store_search_documents (fixture->store, other, "cooperating", 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (found), ==, 0);
  g_clear_object (&found);
  found = cr_store_search_documents (fixture->store, patient, "\"parties\" OR NEAR( -x*", 0,
                                     NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&found);
  found = cr_store_search_documents (fixture->store, patient, "zzqxj", 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (found), ==, 0);
  g_clear_object (&found);

  /* Neither the database nor its WAL holds the text in the clear. */
  g_assert_true (g_file_test (fixture->path, G_FILE_TEST_EXISTS));
  g_assert_false (test_dir_contains (fixture->dir, GUIDELINES_PHRASE));
  g_assert_false (test_dir_contains (fixture->dir, "Cooperating"));
  g_assert_false (test_dir_contains (fixture->dir, "%PDF-"));
}

/* ---- filing ---------------------------------------------------------------- */

static void
test_filing (StoreFixture  *fixture,
             gconstpointer  data)
{
  g_autofree char *path = test_shared_data_path ("pdfs", "scanned", "ocrmypdf_linn.pdf", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) list = NULL;
  g_autoptr(CrDocument) document = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) tomorrow = g_date_time_add_days (now, 1);
  g_autofree char *future = g_date_time_format (tomorrow, "%Y-%m-%d");
  gint64 patient, other, visit, others_visit, id;

  if (path == NULL)
    return;
  patient = add_patient (fixture->store, "Ferreira", "Lúcia");
  other = add_patient (fixture->store, "Novak", "Jan");
  visit = add_visit (fixture->store, patient, "2024-03-05T09:30:00");
  others_visit = add_visit (fixture->store, other, "2024-03-05T10:00:00");
  id = import_ok (fixture->store, path, 0);

  before = dup_counts (fixture->store);
  g_assert_false (cr_store_file_document (fixture->store, id, patient,
                                          CR_DOCUMENT_CATEGORY_LAB_RESULT, future, 0, NULL,
                                          &error));
  g_assert_error (error, CR_DOCUMENTS_ERROR, CR_DOCUMENTS_ERROR_INVALID);
  g_test_message ("%s: %s", future, error->message);
  g_clear_error (&error);
  g_assert_false (cr_store_file_document (fixture->store, id, patient,
                                          CR_DOCUMENT_CATEGORY_LAB_RESULT, "2023-02-30", 0, NULL,
                                          &error));
  g_assert_error (error, CR_DOCUMENTS_ERROR, CR_DOCUMENTS_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (cr_store_file_document (fixture->store, id, patient,
                                          CR_DOCUMENT_CATEGORY_LAB_RESULT, "last week", 0, NULL,
                                          &error));
  g_assert_error (error, CR_DOCUMENTS_ERROR, CR_DOCUMENTS_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (cr_store_file_document (fixture->store, id, patient,
                                          CR_DOCUMENT_CATEGORY_NONE, "2024-03-05", 0, NULL,
                                          &error));
  g_assert_error (error, CR_DOCUMENTS_ERROR, CR_DOCUMENTS_ERROR_INVALID);
  g_clear_error (&error);
  /* Another patient's visit. */
  g_assert_false (cr_store_file_document (fixture->store, id, patient,
                                          CR_DOCUMENT_CATEGORY_LAB_RESULT, "2024-03-05",
                                          others_visit, NULL, &error));
  g_assert_error (error, CR_DOCUMENTS_ERROR, CR_DOCUMENTS_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (cr_store_file_document (fixture->store, id, 999999,
                                          CR_DOCUMENT_CATEGORY_LAB_RESULT, "2024-03-05", 0, NULL,
                                          &error));
  g_assert_error (error, CR_DOCUMENTS_ERROR, CR_DOCUMENTS_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (cr_store_file_document (fixture->store, 999999, patient,
                                          CR_DOCUMENT_CATEGORY_LAB_RESULT, "2024-03-05", 0, NULL,
                                          &error));
  g_assert_error (error, CR_DOCUMENTS_ERROR, CR_DOCUMENTS_ERROR_NOT_FOUND);
  g_clear_error (&error);
  after = dup_counts (fixture->store);
  g_assert_cmpstr (after, ==, before);

  /* US-style date, a visit of this patient, a title. */
  g_assert_true (cr_store_file_document (fixture->store, id, patient,
                                         CR_DOCUMENT_CATEGORY_LAB_RESULT, "03/05/2024", visit,
                                         "  Lipid panel  ", &error));
  g_assert_no_error (error);
  document = cr_store_get_document (fixture->store, id, &error);
  g_assert_cmpint (cr_document_get_patient_id (document), ==, patient);
  g_assert_cmpint (cr_document_get_visit_id (document), ==, visit);
  g_assert_cmpint (cr_document_get_category (document), ==, CR_DOCUMENT_CATEGORY_LAB_RESULT);
  g_assert_cmpstr (cr_document_get_service_date (document), ==, "2024-03-05");
  g_assert_cmpstr (cr_document_get_title (document), ==, "Lipid panel");
  g_assert_cmpstr (cr_document_category_get_label (CR_DOCUMENT_CATEGORY_LAB_RESULT), ==,
                   "Lab result");
  g_assert_cmpint (count_audit (fixture->store, CR_AUDIT_CHANGE, id), ==, 1);

  list = cr_store_list_inbox (fixture->store, &error);
  g_assert_false (model_has_id (list, id));
  g_clear_object (&list);
  list = cr_store_list_patient_documents (fixture->store, patient, &error);
  g_assert_true (model_has_id (list, id));
  g_clear_object (&list);

  /* The new title is searchable. */
  list = cr_store_search_documents (fixture->store, patient, "lipid", 0, NULL, &error);
  g_assert_true (model_has_id (list, id));
  g_clear_object (&list);

  /* Entered in error: gone from lists, kept, reason required. */
  g_assert_false (cr_store_mark_document_entered_in_error (fixture->store, id, " ", &error));
  g_assert_error (error, CR_DOCUMENTS_ERROR, CR_DOCUMENTS_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (cr_store_mark_document_entered_in_error (fixture->store, id,
                                                          "another patient's scan", &error));
  g_assert_no_error (error);
  list = cr_store_list_patient_documents (fixture->store, patient, &error);
  g_assert_false (model_has_id (list, id));
  g_assert_cmpint (query_int (fixture->store, "SELECT count(*) FROM documents"), ==, 1);
}

/* ---- split, rotation ------------------------------------------------------ */

static void
test_split (StoreFixture  *fixture,
            gconstpointer  data)
{
  g_autofree char *path = test_shared_data_path ("pdfs", "born-digital",
                                                 "pypdf_pdflatex-4-pages.pdf", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) new_ids = NULL;
  g_autoptr(PopplerDocument) original = NULL;
  g_autoptr(GListModel) list = NULL;
  g_autoptr(CrDocument) document = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  const char *bad[] = { "1-5", "1-2,2-4", "1-3", "1-4", "abc", "3-1,4", "", "0-2,3-4" };
  const guint expected_pages[] = { 1, 2, 1 };
  gint64 patient, id;

  if (path == NULL)
    return;
  patient = add_patient (fixture->store, "Haddad", "Rami");
  id = import_ok (fixture->store, path, 0);
  g_assert_true (cr_store_file_document (fixture->store, id, patient,
                                         CR_DOCUMENT_CATEGORY_CORRESPONDENCE, "2023-11-20", 0,
                                         "Letters", &error));
  g_assert_no_error (error);
  g_assert_true (cr_store_set_document_page_rotation (fixture->store, id, 2, 90, &error));

  before = dup_counts (fixture->store);
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_assert_false (cr_store_split_document (fixture->store, id, bad[i], NULL, NULL, &error));
      g_assert_error (error, CR_DOCUMENTS_ERROR, CR_DOCUMENTS_ERROR_INVALID);
      g_test_message ("“%s”: %s", bad[i], error->message);
      g_clear_error (&error);
    }
  after = dup_counts (fixture->store);
  g_assert_cmpstr (after, ==, before);

  /* Parts in any order, created in page order. */
  g_assert_true (cr_store_split_document (fixture->store, id, "4, 2-3 ,1", &new_ids, NULL,
                                          &error));
  g_assert_no_error (error);
  g_assert_cmpuint (new_ids->len, ==, 3);

  original = open_file_directly (path, NULL);
  for (guint i = 0, first = 0; i < new_ids->len; i++)
    {
      gint64 part_id = *(gint64 *) g_ptr_array_index (new_ids, i);
      g_autoptr(CrDocument) part = cr_store_get_document (fixture->store, part_id, &error);
      g_autoptr(PopplerDocument) stored = NULL;

      g_assert_no_error (error);
      g_assert_cmpuint (cr_document_get_page_count (part), ==, expected_pages[i]);
      g_assert_cmpint (cr_document_get_patient_id (part), ==, patient);
      g_assert_cmpint (cr_document_get_category (part), ==, CR_DOCUMENT_CATEGORY_CORRESPONDENCE);
      g_assert_cmpstr (cr_document_get_service_date (part), ==, "2023-11-20");
      g_assert_cmpint (cr_document_get_split_from (part), ==, id);
      g_test_message ("part %u: %s", i, cr_document_get_title (part));

      /* The same text as the original's pages: still text, not pictures. */
      stored = cr_store_open_document (fixture->store, part_id, &error);
      g_assert_no_error (error);
      for (guint p = 0; p < expected_pages[i]; p++)
        {
          g_autofree char *want = dup_page_text (original, first + p);
          g_autofree char *got = dup_page_text (stored, p);

          g_assert_cmpuint (strlen (want), >, 20);
          g_assert_cmpstr (got, ==, want);
          assert_page_has_ink (stored, p, 0.5, "part");
        }
      /* The turned page (3) turns in its part (page 2 of part 1). */
      g_assert_cmpint (cr_document_get_page_rotation (part, 0), ==, 0);
      if (i == 1)
        g_assert_cmpint (cr_document_get_page_rotation (part, 1), ==, 90);
      first += expected_pages[i];
    }

  /* The original is kept, replaced, hidden; its parts listed. */
  document = cr_store_get_document (fixture->store, id, &error);
  g_assert_true (cr_document_get_replaced (document));
  list = cr_store_list_patient_documents (fixture->store, patient, &error);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 3);
  g_assert_false (model_has_id (list, id));
  g_clear_object (&list);
  list = cr_store_list_document_parts (fixture->store, id, &error);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 3);
  g_assert_cmpint (count_audit (fixture->store, CR_AUDIT_CHANGE, id), >=, 2);

  /* Not twice. */
  g_assert_false (cr_store_split_document (fixture->store, id, "1-2,3-4", NULL, NULL, &error));
  g_assert_error (error, CR_DOCUMENTS_ERROR, CR_DOCUMENTS_ERROR_REPLACED);
}

static void
test_rotation (StoreFixture  *fixture,
               gconstpointer  data)
{
  g_autofree char *path = test_shared_data_path ("pdfs", "scanned", "ocrmypdf_cardinal.pdf",
                                                 NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CrDocument) document = NULL;
  g_autoptr(PopplerDocument) stored = NULL;
  g_autoptr(PopplerPage) page = NULL;
  g_autoptr(GArray) rotations = NULL;
  cairo_surface_t *upright, *turned;
  gint64 id;

  if (path == NULL)
    return;
  id = import_ok (fixture->store, path, 0);

  g_assert_true (cr_store_set_document_page_rotation (fixture->store, id, 1, 270, &error));
  g_assert_true (cr_store_set_document_page_rotation (fixture->store, id, 3, 90, &error));
  g_assert_true (cr_store_set_document_page_rotation (fixture->store, id, 3, 180, &error));
  g_assert_no_error (error);
  g_assert_false (cr_store_set_document_page_rotation (fixture->store, id, 0, 45, &error));
  g_assert_error (error, CR_DOCUMENTS_ERROR, CR_DOCUMENTS_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (cr_store_set_document_page_rotation (fixture->store, id, 4, 90, &error));
  g_assert_error (error, CR_DOCUMENTS_ERROR, CR_DOCUMENTS_ERROR_INVALID);
  g_clear_error (&error);

  /* Persists across closing and opening the practice. */
  g_assert_finalize_object (g_steal_pointer (&fixture->store));
  fixture->store = cr_store_open (fixture->path, fixture->key, &error);
  g_assert_no_error (error);
  document = cr_store_get_document (fixture->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cr_document_get_page_rotation (document, 0), ==, 0);
  g_assert_cmpint (cr_document_get_page_rotation (document, 1), ==, 270);
  g_assert_cmpint (cr_document_get_page_rotation (document, 2), ==, 0);
  g_assert_cmpint (cr_document_get_page_rotation (document, 3), ==, 180);
  rotations = cr_store_get_document_rotations (fixture->store, id, &error);
  g_assert_cmpuint (rotations->len, ==, 4);
  g_assert_cmpint (g_array_index (rotations, int, 1), ==, 270);

  /* Drawn turned: the sides swap, the same ink. */
  stored = cr_store_open_document (fixture->store, id, &error);
  page = poppler_document_get_page (stored, 1);
  upright = cr_document_render_page (page, 0.5, 0, NULL, &error);
  turned = cr_document_render_page (page, 0.5, 270, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cairo_image_surface_get_width (upright), ==,
                   cairo_image_surface_get_height (turned));
  g_assert_cmpint (cairo_image_surface_get_height (upright), ==,
                   cairo_image_surface_get_width (turned));
  g_assert_cmpfloat (ABS ((double) cr_document_count_ink_pixels (upright) -
                          (double) cr_document_count_ink_pixels (turned)),
                     <, 0.02 * cr_document_count_ink_pixels (upright) + 10);
  cairo_surface_destroy (upright);
  cairo_surface_destroy (turned);
  g_assert_null (cr_document_render_page (page, 0.5, 45, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
}

/* ---- size, cancellation, batches ---------------------------------------- */

static void
test_thousands_of_pages (StoreFixture  *fixture,
                         gconstpointer  data)
{
  g_autofree char *dir = test_make_temp_dir ();
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PopplerDocument) stored = NULL;
  g_autoptr(PopplerPage) page = NULL;
  g_autoptr(GListModel) found = NULL;
  g_autofree char *text = NULL;
  cairo_surface_t *surface;
  gint64 t0, id;

  t0 = g_get_monotonic_time ();
  path = write_long_pdf (dir, 3000);
  g_test_message ("3,000-page PDF written in %.0f ms",
                  (g_get_monotonic_time () - t0) / 1000.0);

  t0 = g_get_monotonic_time ();
  id = import_ok (fixture->store, path, 0);
  g_test_message ("3,000-page PDF imported in %.0f ms", (g_get_monotonic_time () - t0) / 1000.0);
  g_assert_cmpint (query_int (fixture->store, "SELECT page_count FROM documents"), ==, 3000);

  stored = cr_store_open_document (fixture->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (poppler_document_get_n_pages (stored), ==, 3000);
  page = poppler_document_get_page (stored, 2998);
  text = poppler_page_get_text (page);
  g_assert_nonnull (strstr (text, "Page 2999 of the long record"));
  t0 = g_get_monotonic_time ();
  surface = cr_document_render_page (page, 1.0, 0, NULL, &error);
  g_assert_no_error (error);
  g_test_message ("page 2,999 rendered in %.1f ms", (g_get_monotonic_time () - t0) / 1000.0);
  g_assert_cmpuint (cr_document_count_ink_pixels (surface), >, 100);
  cairo_surface_destroy (surface);

  /* Its text is searchable, page by page. */
  found = cr_store_search_documents (fixture->store, 0, "record", 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (found), ==, 1);

  test_remove_tree (dir);
}

typedef struct
{
  GCancellable *cancellable;
  double        cancel_at;
  double        last;
  guint         calls;
} ProgressProbe;

static void
on_progress (double   fraction,
             gpointer user_data)
{
  ProgressProbe *probe = user_data;

  g_assert_cmpfloat (fraction, >=, probe->last - 1e-9);
  g_assert_cmpfloat (fraction, <=, 1.0);
  probe->last = fraction;
  probe->calls++;
  if (probe->cancellable != NULL && fraction >= probe->cancel_at)
    g_cancellable_cancel (probe->cancellable);
}

static void
test_cancel (StoreFixture  *fixture,
             gconstpointer  data)
{
  g_autofree char *dir = test_make_temp_dir ();
  g_autofree char *path = write_long_pdf (dir, 800);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *before = dup_counts (fixture->store);
  g_autofree char *after = NULL;
  ProgressProbe probe = { cancellable, 0.5, 0, 0 };
  gint64 id;

  id = cr_store_import_document_full (fixture->store, path, NULL, on_progress, &probe,
                                      cancellable, &error);
  g_assert_cmpint (id, ==, 0);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (probe.calls, >, 2);
  after = dup_counts (fixture->store);
  g_assert_cmpstr (after, ==, before);

  /* Without cancelling, progress runs to the end. */
  probe = (ProgressProbe) { NULL, 2.0, 0, 0 };
  g_clear_error (&error);
  id = cr_store_import_document_full (fixture->store, path, NULL, on_progress, &probe, NULL,
                                      &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  g_assert_cmpfloat (probe.last, ==, 1.0);

  test_remove_tree (dir);
}

static void
on_batch_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GPtrArray **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = cr_store_import_documents_finish (CR_STORE (source), result, &error);
  g_assert_no_error (error);
}

static void
test_batch_async (StoreFixture  *fixture,
                  gconstpointer  data)
{
  g_autofree char *a = test_shared_data_path ("pdfs", "scanned", "ocrmypdf_epson.pdf", NULL);
  g_autofree char *b = test_shared_data_path ("pdfs", "broken", "ocrmypdf_invalid.pdf", NULL);
  g_autofree char *c = test_shared_data_path ("pdfs", "scanned", "paperless_many-qr-codes.pdf",
                                              NULL);
  g_autoptr(GPtrArray) results = NULL;
  ProgressProbe probe = { 0 };
  CrDocumentImportOptions options = { 0 };

  if (a == NULL || b == NULL || c == NULL)
    return;

  {
    const char *paths[] = { a, b, c, a, NULL };

    options.patient_id = add_patient (fixture->store, "Kowalski", "Ewa");
    cr_store_import_documents_async (fixture->store, paths, &options, on_progress, &probe, NULL,
                                     on_batch_done, &results);
  }
  while (results == NULL)
    g_main_context_iteration (NULL, TRUE);
  /* The worker thread lets go of its task (and so of the store) just
   * after the callback may have run. */
  for (guint i = 0; i < 5000 && G_OBJECT (fixture->store)->ref_count > 1; i++)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }

  g_assert_cmpuint (results->len, ==, 4);
  g_assert_cmpint (cr_document_import_result_get_id (results->pdata[0]), >, 0);
  g_assert_null (cr_document_import_result_get_error (results->pdata[0]));
  g_assert_cmpint (cr_document_import_result_get_id (results->pdata[1]), ==, 0);
  g_assert_true (g_error_matches (cr_document_import_result_get_error (results->pdata[1]),
                                  CR_DOCUMENTS_ERROR, CR_DOCUMENTS_ERROR_MALFORMED));
  g_assert_cmpint (cr_document_import_result_get_id (results->pdata[2]), >, 0);
  /* The first file again, in the same batch. */
  g_assert_true (g_error_matches (cr_document_import_result_get_error (results->pdata[3]),
                                  CR_DOCUMENTS_ERROR, CR_DOCUMENTS_ERROR_DUPLICATE));
  g_assert_cmpint (cr_document_import_result_get_duplicate_of (results->pdata[3]), ==,
                   cr_document_import_result_get_id (results->pdata[0]));
  g_assert_cmpstr (cr_document_import_result_get_path (results->pdata[2]), ==, c);
  g_assert_cmpfloat (probe.last, ==, 1.0);
  g_assert_cmpint (query_int (fixture->store, "SELECT count(*) FROM documents"), ==, 2);
}

/* ---- rendering and the page cache --------------------------------------- */

static void
test_page_cache (void)
{
  g_autoptr(CrPageCache) cache = NULL;
  cairo_surface_t *pages[6];
  cairo_surface_t *hit;
  gsize one;

  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    pages[i] = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 100, 100);
  one = (gsize) cairo_image_surface_get_stride (pages[0]) * 100;
  cache = cr_page_cache_new (one * 4);

  for (guint i = 0; i < 4; i++)
    cr_page_cache_insert (cache, 7, i, 1.0, 0, pages[i]);
  g_assert_cmpuint (cr_page_cache_get_n_pages (cache), ==, 4);
  g_assert_cmpuint (cr_page_cache_get_size (cache), ==, one * 4);

  /* Page 0 used again: page 1 is now the least recently used. */
  hit = cr_page_cache_lookup (cache, 7, 0, 1.0, 0);
  g_assert_true (hit == pages[0]);
  cairo_surface_destroy (hit);
  cr_page_cache_insert (cache, 7, 4, 1.0, 0, pages[4]);
  g_assert_cmpuint (cr_page_cache_get_size (cache), <=, cr_page_cache_get_max_bytes (cache));
  g_assert_null (cr_page_cache_lookup (cache, 7, 1, 1.0, 0));
  hit = cr_page_cache_lookup (cache, 7, 0, 1.0, 0);
  g_assert_nonnull (hit);
  cairo_surface_destroy (hit);

  /* Keys: scale bucket and rotation count; nearby scales share a bucket. */
  g_assert_null (cr_page_cache_lookup (cache, 7, 0, 1.0, 90));
  g_assert_null (cr_page_cache_lookup (cache, 7, 0, 2.0, 0));
  g_assert_null (cr_page_cache_lookup (cache, 8, 0, 1.0, 0));
  hit = cr_page_cache_lookup (cache, 7, 0, 1.02, 0);
  g_assert_true (hit == pages[0]);
  cairo_surface_destroy (hit);
  g_assert_cmpfloat (cr_page_cache_quantize_scale (1.02), ==, 1.0);
  g_assert_cmpfloat_with_epsilon (cr_page_cache_quantize_scale (1.5), 1.5422, 0.001);

  /* Larger than the whole bound: not kept, nothing else dropped. */
  {
    cairo_surface_t *huge = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 100, 500);

    cr_page_cache_insert (cache, 9, 0, 1.0, 0, huge);
    g_assert_null (cr_page_cache_lookup (cache, 9, 0, 1.0, 0));
    g_assert_cmpuint (cr_page_cache_get_n_pages (cache), ==, 4);
    cairo_surface_destroy (huge);
  }

  cr_page_cache_insert (cache, 8, 0, 1.0, 0, pages[5]);
  cr_page_cache_remove_document (cache, 7);
  g_assert_cmpuint (cr_page_cache_get_n_pages (cache), ==, 1);
  cr_page_cache_set_max_bytes (cache, 0);
  g_assert_cmpuint (cr_page_cache_get_n_pages (cache), ==, 0);
  g_assert_cmpuint (cr_page_cache_get_size (cache), ==, 0);

  /* The cache held references, not the only ones. */
  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      g_assert_cmpuint (cairo_surface_get_reference_count (pages[i]), ==, 1);
      cairo_surface_destroy (pages[i]);
    }
}

typedef struct
{
  CrPageCache *cache;
  guint        seed;
} CacheWorker;

static gpointer
cache_worker (gpointer user_data)
{
  CacheWorker *worker = user_data;
  GRand *rand = g_rand_new_with_seed (worker->seed);

  for (guint i = 0; i < 20000; i++)
    {
      guint page = g_rand_int_range (rand, 0, 64);
      cairo_surface_t *hit = cr_page_cache_lookup (worker->cache, 1, page, 1.0, 0);

      if (hit == NULL)
        {
          cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 16, 16);

          cr_page_cache_insert (worker->cache, 1, page, 1.0, 0, surface);
          cairo_surface_destroy (surface);
        }
      else
        cairo_surface_destroy (hit);
    }
  g_rand_free (rand);
  return NULL;
}

static void
test_page_cache_threads (void)
{
  g_autoptr(CrPageCache) cache = cr_page_cache_new (16 * 16 * 4 * 20);
  CacheWorker workers[4];
  GThread *threads[4];

  for (guint i = 0; i < 4; i++)
    {
      workers[i] = (CacheWorker) { cache, i + 1 };
      threads[i] = g_thread_new ("cache", cache_worker, &workers[i]);
    }
  for (guint i = 0; i < 4; i++)
    g_thread_join (threads[i]);
  g_assert_cmpuint (cr_page_cache_get_size (cache), <=, cr_page_cache_get_max_bytes (cache));
  g_assert_cmpuint (cr_page_cache_get_n_pages (cache), ==, 20);
}

/* Measured, not asserted: the benchmark holds the budget (1.2x). */
static void
test_render_timing (StoreFixture  *fixture,
                    gconstpointer  data)
{
  g_autofree char *path = test_shared_data_path ("pdfs", "scanned", "ocrmypdf_c02-22.pdf", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PopplerDocument) stored = NULL;
  g_autoptr(PopplerPage) page = NULL;
  const int rounds = 15;
  double ours = G_MAXDOUBLE, poppler = G_MAXDOUBLE;
  gint64 id;

  if (path == NULL)
    return;
  id = import_ok (fixture->store, path, 0);
  stored = cr_store_open_document (fixture->store, id, &error);
  g_assert_no_error (error);
  page = poppler_document_get_page (stored, 0);

  /* Interleaved, best of each. */
  for (int i = 0; i < rounds; i++)
    {
      gint64 t0 = g_get_monotonic_time ();
      cairo_surface_t *a = cr_document_render_page (page, 1.5, 0, NULL, &error);
      gint64 t1 = g_get_monotonic_time ();
      cairo_surface_t *b = cr_document_render_page_poppler_only (page, 1.5);
      gint64 t2 = g_get_monotonic_time ();

      g_assert_no_error (error);
      ours = MIN (ours, (t1 - t0) / 1000.0);
      poppler = MIN (poppler, (t2 - t1) / 1000.0);
      g_assert_cmpint (cairo_image_surface_get_width (a), ==, cairo_image_surface_get_width (b));
      cairo_surface_destroy (a);
      cairo_surface_destroy (b);
    }
  g_test_message ("scanned page at 1.5: cr_document_render_page %.2f ms, "
                  "poppler_page_render alone %.2f ms (%.2fx)",
                  ours, poppler, ours / poppler);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/core/documents/" path, StoreFixture, NULL, \
              store_fixture_setup, func, store_fixture_teardown)

  ADD ("import-real", test_import_real);
  ADD ("broken", test_broken);
  ADD ("other-files", test_other_files);
  ADD ("encrypted", test_encrypted);
  ADD ("duplicate", test_duplicate);
  ADD ("search", test_search);
  ADD ("filing", test_filing);
  ADD ("split", test_split);
  ADD ("rotation", test_rotation);
  ADD ("thousands-of-pages", test_thousands_of_pages);
  ADD ("cancel", test_cancel);
  ADD ("batch-async", test_batch_async);
  ADD ("render-timing", test_render_timing);
  g_test_add_func ("/core/documents/page-cache", test_page_cache);
  g_test_add_func ("/core/documents/page-cache-threads", test_page_cache_threads);

#undef ADD

  return g_test_run ();
}
