/* bench-practice.c: the benchmark's synthetic practice, built once and reused
 *
 * The practice lives in its own folder (practice.chartroom and a 0600 key
 * file named key). A meta row records the scale and the generator's seed it
 * was built with, so a later run reuses it only when it is the same
 * practice. It holds synthetic data only, and one real scanned page from
 * the shared test data (for the render measure), filed to the patient with
 * the long history.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "chartroom-bench"

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"
#include "cr-codes.h"
#include "cr-demo.h"
#include "cr-documents.h"
#include "cr-patients.h"
#include "cr-store-private.h"

#define BENCH_MARKER_KEY   "bench-practice"
/* The id of the scanned document the benchmark imported. */
#define BENCH_DOCUMENT_KEY "bench-document"
#define BENCH_DOCUMENT     "ocrmypdf_c02-22.pdf"

void
bench_progress (BenchContext *ctx,
                const char   *format,
                ...)
{
  g_autofree char *message = NULL;
  va_list args;

  if (!ctx->verbose)
    return;
  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  fprintf (stderr, "bench: %s\n", message);
}

static char *
dup_marker (BenchContext *ctx)
{
  return g_strdup_printf ("patients=%u seed=%u", ctx->n_patients, ctx->seed);
}

static void
print_fraction (double   fraction,
                gpointer user_data)
{
  fprintf (stderr, "\rbench: generating… %3d%%", (int) (fraction * 100));
  if (fraction >= 1.0)
    fputc ('\n', stderr);
  fflush (stderr);
}

static gboolean
write_new_key (const char  *path,
               CrKey      **key_out,
               GError     **error)
{
  g_autoptr(CrKey) key = cr_key_new_random (error);
  char *hex;
  gboolean ok;

  if (key == NULL)
    return FALSE;
  hex = cr_key_to_hex (key);
  /* 0600 from the start: never readable by others, even for a moment. */
  ok = g_file_set_contents_full (path, hex, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
  cr_key_free_string (hex);
  if (ok)
    *key_out = g_steal_pointer (&key);
  return ok;
}

static gboolean
analyze (BenchContext  *ctx,
         GError       **error)
{
  g_autoptr(CrStoreLocker) locker = _cr_store_lock (ctx->store);
  g_autoptr(GTimer) timer = g_timer_new ();

  bench_progress (ctx, "running ANALYZE");
  if (!_cr_store_exec (ctx->store, "ANALYZE", error))
    return FALSE;
  bench_progress (ctx, "analysed in %.1f s", g_timer_elapsed (timer, NULL));
  return TRUE;
}

static gboolean
stamp_marker (BenchContext  *ctx,
              GError       **error)
{
  g_autoptr(CrStoreLocker) locker = _cr_store_lock (ctx->store);
  g_autofree char *marker = dup_marker (ctx);

  return _cr_store_set_meta (ctx->store, BENCH_MARKER_KEY, marker, error);
}

static gboolean
create_practice (BenchContext  *ctx,
                 GError       **error)
{
  g_autoptr(CrKey) key = NULL;
  g_autoptr(GTimer) timer = g_timer_new ();

  bench_progress (ctx, "building the %s practice (%u patients) in %s",
                  ctx->scale_name, ctx->n_patients, ctx->dir);
  g_unlink (ctx->key_path);
  if (!write_new_key (ctx->key_path, &key, error))
    return FALSE;
  ctx->store = cr_store_create (ctx->practice_path, key, "Benchmark practice (synthetic)", error);
  if (ctx->store == NULL)
    return FALSE;
  if (!cr_store_generate_demo (ctx->store, ctx->n_patients, ctx->seed,
                               ctx->verbose && isatty (STDERR_FILENO) ? print_fraction : NULL, NULL,
                               NULL, error))
    return FALSE;
  bench_progress (ctx, "generated in %.1f s", g_timer_elapsed (timer, NULL));
  return TRUE;
}

static void
remove_practice (BenchContext *ctx)
{
  const char *suffixes[] = { "", "-wal", "-shm" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *path = g_strconcat (ctx->practice_path, suffixes[i], NULL);

      g_unlink (path);
    }
}

/* The practice's schema version before cr_store_open() migrates it, so
 * that a long update is announced before it starts. Opened the way
 * cr-store.c opens a practice (a raw key and its explicit cipher settings);
 * -1 when it cannot tell, and cr_store_open() then says why. */
static int
peek_schema_version (const char  *path,
                     const CrKey *key)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *hex;
  char *raw;
  int version = -1;
  int rc;

  rc = sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL);
  if (rc == SQLITE_OK)
    {
      hex = cr_key_to_hex (key);
      raw = g_strdup_printf ("x'%s'", hex);
      cr_key_free_string (hex);
      rc = sqlite3_key (db, raw, strlen (raw));
      /* No copy of the key left behind in freed memory. */
      memset (raw, 0, strlen (raw));
      g_free (raw);
    }
  if (rc == SQLITE_OK)
    rc = sqlite3_exec (db,
                       "PRAGMA cipher_page_size = 4096;"
                       "PRAGMA kdf_iter = 64000;"
                       "PRAGMA cipher_use_hmac = ON;", NULL, NULL, NULL);
  if (rc == SQLITE_OK &&
      sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return version;
}

/* Opens what is in the folder. Returns FALSE with no error when there is
 * nothing to reuse and a new practice should be built. Sets @migrated when
 * opening updated its schema. */
static gboolean
open_existing (BenchContext  *ctx,
               gboolean      *adopted,
               gboolean      *migrated,
               GError       **error)
{
  g_autoptr(CrKey) key = NULL;
  g_autofree char *marker = NULL;
  g_autofree char *expected = dup_marker (ctx);
  gint64 patients;
  int version;

  *adopted = FALSE;
  *migrated = FALSE;
  if (!g_file_test (ctx->practice_path, G_FILE_TEST_EXISTS))
    return FALSE;

  key = cr_key_new_from_key_file (ctx->key_path, error);
  if (key == NULL)
    return FALSE;
  version = peek_schema_version (ctx->practice_path, key);
  if (version >= 0 && version < cr_schema_get_current_version ())
    {
      /* Opening runs the migrations, which index every visit and diagnosis
       * (version 6): minutes on the reference practice, once. */
      bench_progress (ctx, "%s has schema version %d, this build %d: opening updates it "
                      "(indexing every visit, diagnosis and outcome takes up to about "
                      "2 minutes on the reference practice, once)", ctx->practice_path,
                      version, cr_schema_get_current_version ());
      *migrated = TRUE;
    }
  {
    g_autoptr(GTimer) timer = g_timer_new ();

    ctx->store = cr_store_open (ctx->practice_path, key, error);
    if (ctx->store == NULL)
      return FALSE;
    if (*migrated)
      bench_progress (ctx, "updated to schema version %d in %.1f s",
                      cr_store_get_schema_version (ctx->store), g_timer_elapsed (timer, NULL));
  }

  {
    g_autoptr(CrStoreLocker) locker = _cr_store_lock (ctx->store);

    marker = _cr_store_dup_meta (ctx->store, BENCH_MARKER_KEY);
  }
  if (g_strcmp0 (marker, expected) == 0)
    return TRUE;

  if (marker != NULL)
    {
      /* Ours, from another scale or seed: build it again. */
      bench_progress (ctx, "%s was built with %s, not %s: rebuilding it",
                      ctx->practice_path, marker, expected);
      cr_store_close (ctx->store);
      g_clear_object (&ctx->store);
      remove_practice (ctx);
      return FALSE;
    }

  /* A practice made by `chartroom-cli demo` (such as a copy of one made
   * earlier): adopted when it has this scale's patients. */
  patients = cr_store_count_patients (ctx->store, error);
  if (patients < 0)
    return FALSE;
  if (patients != ctx->n_patients)
    {
      g_set_error (error, CR_STORE_ERROR, CR_STORE_ERROR_EXISTS,
                   "%s holds %" G_GINT64_FORMAT " patients, not the %u of the %s "
                   "practice; remove it or choose another --dir",
                   ctx->practice_path, patients, ctx->n_patients, ctx->scale_name);
      return FALSE;
    }
  bench_progress (ctx, "adopting %s (%" G_GINT64_FORMAT " patients; its seed is "
                  "not recorded, taken as %u)", ctx->practice_path, patients, ctx->seed);
  *adopted = TRUE;
  return TRUE;
}

/* A file of the shared test data (../shared/data, or
 * $CHARTROOM_SHARED_DATA), or NULL if absent. */
static char *
find_shared_file (const char *folder,
                  const char *name)
{
  const char *shared = g_getenv ("CHARTROOM_SHARED_DATA");
  g_autofree char *path = NULL;

  if (shared == NULL || *shared == '\0')
    shared = BENCH_SHARED_DATA_DIR;
  path = g_build_filename (shared, folder, name, NULL);
  return g_file_test (path, G_FILE_TEST_IS_REGULAR) ? g_steal_pointer (&path) : NULL;
}

static gboolean
import_codes_if_missing (BenchContext  *ctx,
                         gboolean      *changed,
                         GError       **error)
{
  g_autofree char *release = cr_store_dup_code_release (ctx->store, CR_CODE_SYSTEM_ICD10CM);
  g_autoptr(GTimer) timer = NULL;

  ctx->codes_imported = release != NULL;
  if (ctx->codes_imported || ctx->codes_path == NULL)
    return TRUE;

  bench_progress (ctx, "importing ICD-10-CM from %s", ctx->codes_path);
  timer = g_timer_new ();
  if (!cr_store_import_codes (ctx->store, ctx->codes_path, NULL, NULL, NULL, NULL, NULL, error))
    return FALSE;
  bench_progress (ctx, "imported in %.1f s", g_timer_elapsed (timer, NULL));
  ctx->codes_imported = TRUE;
  *changed = TRUE;
  return TRUE;
}

/* The scanned page the render measure draws: imported once into the
 * long-history patient's chart, as a scan would be filed, and found again
 * by the id kept in a meta row. */
static gboolean
import_document_if_missing (BenchContext  *ctx,
                            gboolean      *changed,
                            GError       **error)
{
  g_autoptr(CrPatient) patient = NULL;
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GTimer) timer = NULL;
  g_autofree char *stored = NULL;
  CrDocumentImportResult *result;
  CrDocumentImportOptions options = { 0 };
  const char *paths[] = { ctx->document_path, NULL };
  gint64 id;

  {
    g_autoptr(CrStoreLocker) locker = _cr_store_lock (ctx->store);

    stored = _cr_store_dup_meta (ctx->store, BENCH_DOCUMENT_KEY);
  }
  if (stored != NULL)
    {
      g_autoptr(CrDocument) document = NULL;

      id = g_ascii_strtoll (stored, NULL, 10);
      document = id > 0 ? cr_store_get_document (ctx->store, id, NULL) : NULL;
      if (document != NULL &&
          g_strcmp0 (cr_document_get_file_name (document), BENCH_DOCUMENT) == 0)
        {
          ctx->document_id = id;
          return TRUE;
        }
    }
  if (ctx->document_path == NULL)
    return TRUE;

  patient = cr_store_find_patient_by_record_number (ctx->store, CR_DEMO_LONG_HISTORY_RECORD,
                                                    error);
  if (patient == NULL)
    return FALSE;
  options.patient_id = cr_patient_get_id (patient);

  bench_progress (ctx, "importing %s into %s's chart", ctx->document_path,
                  CR_DEMO_LONG_HISTORY_RECORD);
  timer = g_timer_new ();
  results = cr_store_import_documents (ctx->store, paths, &options, NULL, NULL, NULL);
  result = g_ptr_array_index (results, 0);
  id = cr_document_import_result_get_id (result);
  /* Imported before, its meta row lost: the same bytes are there. */
  if (id == 0)
    id = cr_document_import_result_get_duplicate_of (result);
  if (id == 0)
    {
      g_propagate_error (error, g_error_copy (cr_document_import_result_get_error (result)));
      return FALSE;
    }
  bench_progress (ctx, "imported in %.2f s", g_timer_elapsed (timer, NULL));

  {
    g_autoptr(CrStoreLocker) locker = _cr_store_lock (ctx->store);
    g_autofree char *value = g_strdup_printf ("%" G_GINT64_FORMAT, id);

    if (!_cr_store_set_meta (ctx->store, BENCH_DOCUMENT_KEY, value, error))
      return FALSE;
  }
  ctx->document_id = id;
  *changed = TRUE;
  return TRUE;
}

/**
 * bench_practice_prepare:
 *
 * Opens the practice of @ctx's scale in @ctx's folder, building it first
 * if it is missing or was built differently (or updating its schema when
 * it is older), imports the ICD-10-CM code set and the scanned document
 * when their files are there, runs ANALYZE after any change, and counts
 * rows.
 */
gboolean
bench_practice_prepare (BenchContext  *ctx,
                        GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  gboolean adopted = FALSE;
  gboolean migrated = FALSE;
  gboolean changed = FALSE;

  if (g_mkdir_with_parents (ctx->dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "Cannot create %s: %s", ctx->dir, g_strerror (saved_errno));
      return FALSE;
    }
  ctx->practice_path = g_build_filename (ctx->dir, "practice.chartroom", NULL);
  ctx->key_path = g_build_filename (ctx->dir, "key", NULL);
  ctx->plain_path = g_build_filename (ctx->dir, "practice-plain.sqlite", NULL);
  ctx->codes_path = find_shared_file ("icd10cm", "icd10cm_order_2026.txt");
  ctx->document_path = find_shared_file ("pdfs/scanned", BENCH_DOCUMENT);

  if (open_existing (ctx, &adopted, &migrated, &local_error))
    {
      /* New indexes need the planner's statistics too. */
      changed = adopted || migrated;
      if (!adopted)
        bench_progress (ctx, "reusing %s", ctx->practice_path);
    }
  else if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  else
    {
      if (!create_practice (ctx, error))
        {
          /* Half a practice is no practice to reuse. */
          if (ctx->store != NULL)
            cr_store_close (ctx->store);
          g_clear_object (&ctx->store);
          remove_practice (ctx);
          return FALSE;
        }
      changed = TRUE;
    }

  cr_store_set_user (ctx->store, "chartroom-bench");
  if (!import_codes_if_missing (ctx, &changed, error) ||
      !import_document_if_missing (ctx, &changed, error))
    return FALSE;
  /* Statistics for the query planner, as a practice in use would have. */
  if (changed && (!analyze (ctx, error) || !stamp_marker (ctx, error)))
    return FALSE;

  return cr_demo_count_rows (ctx->store, &ctx->counts, error);
}
