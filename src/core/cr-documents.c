/* cr-documents.c: scanned and imported documents in the practice database
 *
 * The slow part of an import (reading, decoding, text extraction) runs
 * without the store's lock (cr-document-import.c); only the writing holds
 * it, in one transaction per document. The bytes live in document_content,
 * apart from the metadata, so that lists never read them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cr-documents"

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "cr-audit.h"
#include "cr-date.h"
#include "cr-documents-private.h"
#include "cr-store-private.h"

#define MAX_TITLE_CHARS   500
#define MAX_REASON_CHARS  500
#define MAX_SEARCH_CHARS  256
#define MAX_SEARCH_TERMS  16
/* Words of context in a search snippet (FTS4 allows up to 64). */
#define SNIPPET_TOKENS    16

G_DEFINE_QUARK (cr-documents-error-quark, cr_documents_error)

/* ---- small helpers ------------------------------------------------------ */

static gint64
last_id (CrStore *store)
{
  return sqlite3_last_insert_rowid (_cr_store_get_db (store));
}

static gboolean
no_document (GError **error,
             gint64   id)
{
  g_set_error (error, CR_DOCUMENTS_ERROR, CR_DOCUMENTS_ERROR_NOT_FOUND,
               "There is no document %" G_GINT64_FORMAT " in the practice database", id);
  return FALSE;
}

static char *
dup_record (gint64 id)
{
  return g_strdup_printf ("documents:%" G_GINT64_FORMAT, id);
}

static gboolean
audit_document (CrStore     *store,
                const char  *action,
                gint64       patient_id,
                gint64       id,
                const char  *detail,
                GError     **error)
{
  g_autofree char *record = dup_record (id);

  return cr_store_audit (store, action, patient_id, record, detail, error);
}

static gboolean
check_patient (CrStore  *store,
               gint64    patient_id,
               GError  **error)
{
  sqlite3_stmt *stmt = _cr_store_prepare (store, "SELECT 1 FROM patients WHERE id = ?1", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, patient_id);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, CR_DOCUMENTS_ERROR, CR_DOCUMENTS_ERROR_NOT_FOUND,
                   "There is no such patient in the practice database");
      return FALSE;
    }
  if (rc != SQLITE_ROW)
    return _cr_store_set_error (store, rc, error);
  return TRUE;
}

/* The title a file gets at import: its name without the extension. */
static char *
dup_title_from_path (const char *path)
{
  g_autofree char *name = g_filename_display_basename (path);
  char *dot = strrchr (name, '.');

  if (dot != NULL && dot != name)
    *dot = '\0';
  return g_steal_pointer (&name);
}

/* The document's state as the checks need it. */
typedef struct
{
  gint64    patient_id;
  gint64    visit_id;
  char     *category;
  char     *title;
  char     *service_date;
  char     *file_name;
  char     *password;
  guint     page_count;
  gboolean  replaced;
  gboolean  entered_in_error;
  gboolean  has_content;
} DocState;

static void
doc_state_clear (DocState *state)
{
  g_clear_pointer (&state->category, g_free);
  g_clear_pointer (&state->title, g_free);
  g_clear_pointer (&state->service_date, g_free);
  g_clear_pointer (&state->file_name, g_free);
  g_clear_pointer (&state->password, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (DocState, doc_state_clear)

static gboolean
load_state (CrStore   *store,
            gint64     id,
            DocState  *state,
            GError   **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = _cr_store_prepare (store,
                            "SELECT d.patient_id, d.visit_id, d.category, d.title, d.service_date,"
                            " d.file_name, d.password, d.page_count, d.replaced,"
                            " d.entered_in_error,"
                            " EXISTS (SELECT 1 FROM document_content c WHERE c.document_id = d.id)"
                            " FROM documents d WHERE d.id = ?1",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      state->patient_id = sqlite3_column_int64 (stmt, 0);
      state->visit_id = sqlite3_column_int64 (stmt, 1);
      state->category = g_strdup (_cr_column_text (stmt, 2));
      state->title = g_strdup (_cr_column_text (stmt, 3));
      state->service_date = g_strdup (_cr_column_text (stmt, 4));
      state->file_name = g_strdup (_cr_column_text (stmt, 5));
      state->password = g_strdup (_cr_column_text (stmt, 6));
      state->page_count = (guint) CLAMP (sqlite3_column_int64 (stmt, 7), 0, G_MAXUINT);
      state->replaced = sqlite3_column_int (stmt, 8) != 0;
      state->entered_in_error = sqlite3_column_int (stmt, 9) != 0;
      state->has_content = sqlite3_column_int (stmt, 10) != 0;
    }
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    return no_document (error, id);
  if (rc != SQLITE_ROW)
    return _cr_store_set_error (store, rc, error);
  return TRUE;
}

static gboolean
check_current (const DocState  *state,
               GError         **error)
{
  if (state->replaced)
    {
      g_set_error_literal (error, CR_DOCUMENTS_ERROR, CR_DOCUMENTS_ERROR_REPLACED,
                           "This document was split into parts: use the parts instead");
      return FALSE;
    }
  if (state->entered_in_error)
    {
      g_set_error_literal (error, CR_DOCUMENTS_ERROR, CR_DOCUMENTS_ERROR_REPLACED,
                           "This document was marked entered in error");
      return FALSE;
    }
  return TRUE;
}

/* Reads a BLOB without a copy through SQLite's page cache. */
static GBytes *
read_blob (CrStore     *store,
           const char  *table,
           const char  *column,
           gint64       rowid,
           GError     **error)
{
  sqlite3_blob *blob = NULL;
  guchar *buffer;
  int size;
  int rc;

  rc = sqlite3_blob_open (_cr_store_get_db (store), "main", table, column, rowid, 0, &blob);
  if (rc != SQLITE_OK)
    {
      _cr_store_set_error (store, rc, error);
      sqlite3_blob_close (blob);
      return NULL;
    }
  size = sqlite3_blob_bytes (blob);
  if (size == 0)
    {
      sqlite3_blob_close (blob);
      return g_bytes_new (NULL, 0);
    }
  buffer = g_try_malloc (size);
  if (buffer == NULL)
    {
      sqlite3_blob_close (blob);
      g_set_error_literal (error, CR_DOCUMENTS_ERROR, CR_DOCUMENTS_ERROR_TOO_LARGE,
                           "Not enough memory to read the document");
      return NULL;
    }
  rc = sqlite3_blob_read (blob, buffer, size, 0);
  sqlite3_blob_close (blob);
  if (rc != SQLITE_OK)
    {
      g_free (buffer);
      _cr_store_set_error (store, rc, error);
      return NULL;
    }
  return g_bytes_new_take (buffer, size);
}

typedef enum
{
  BYTES_PDF,       /* what is rendered */
  BYTES_ORIGINAL,  /* what was imported */
} WhichBytes;

/* The store is locked by the caller. */
static GBytes *
read_document_bytes (CrStore     *store,
                     gint64       id,
                     WhichBytes   which,
                     gboolean     has_content,
                     GError     **error)
{
  if (!has_content)
    return read_blob (store, "documents", "data", id, error);

  if (which == BYTES_ORIGINAL)
    {
      sqlite3_stmt *stmt;
      gboolean has_original;
      int rc;

      stmt = _cr_store_prepare (store,
                                "SELECT original IS NOT NULL FROM document_content"
                                " WHERE document_id = ?1",
                                error);
      if (stmt == NULL)
        return NULL;
      sqlite3_bind_int64 (stmt, 1, id);
      rc = sqlite3_step (stmt);
      has_original = rc == SQLITE_ROW && sqlite3_column_int (stmt, 0) != 0;
      sqlite3_reset (stmt);
      if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return (_cr_store_set_error (store, rc, error), NULL);
      if (has_original)
        return read_blob (store, "document_content", "original", id, error);
    }
  return read_blob (store, "document_content", "data", id, error);
}

/* ---- import ------------------------------------------------------------ */

/* Is the same file already stored? Fills @error (DUPLICATE) if so. */
static gboolean
check_duplicate (CrStore     *store,
                 const char  *sha256,
                 const char  *name,
                 gint64      *duplicate_of,
                 GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = _cr_store_prepare (store,
                            "SELECT d.id, d.title, d.created_at, p.record_number, d.replaced,"
                            " d.entered_in_error"
                            " FROM documents d LEFT JOIN patients p ON p.id = d.patient_id"
                            " WHERE d.sha256 = ?1 ORDER BY d.entered_in_error, d.id LIMIT 1",
                            error);
  if (stmt == NULL)
    return FALSE;
  _cr_bind_text (stmt, 1, sha256);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      const char *title = _cr_column_text (stmt, 1);
      const char *created = _cr_column_text (stmt, 2);
      const char *record = _cr_column_text (stmt, 3);
      g_autofree char *where = NULL;

      if (sqlite3_column_int (stmt, 5))
        where = g_strdup ("marked entered in error");
      else if (sqlite3_column_int (stmt, 4))
        where = g_strdup ("since split into parts");
      else if (record != NULL)
        where = g_strdup_printf ("filed to %s", record);
      else
        where = g_strdup ("in the inbox");

      if (duplicate_of != NULL)
        *duplicate_of = id;
      g_set_error (error, CR_DOCUMENTS_ERROR, CR_DOCUMENTS_ERROR_DUPLICATE,
                   "“%s” is already in the practice database: document %" G_GINT64_FORMAT
                   " “%s”, imported %.10s, %s",
                   name, id, title ? title : "", created ? created : "", where);
      sqlite3_reset (stmt);
      return FALSE;
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _cr_store_set_error (store, rc, error);
  return TRUE;
}

typedef struct
{
  gint64       patient_id;   /* 0: inbox */
  gint64       visit_id;
  const char  *category;
  const char  *title;
  const char  *service_date;
  const char  *file_name;
  const char  *mime_type;
  const char  *sha256;
  gint64       byte_size;
  guint        n_pages;
  const char  *password;
  GBytes      *pdf;
  GBytes      *original;     /* NULL: pdf is the original */
  const char  *text;
  gint64       split_from;
  const char  *split_pages;
} NewDocument;

/* Inside a transaction. */
static gint64
insert_document (CrStore            *store,
                 const NewDocument  *doc,
                 GError            **error)
{
  g_autofree char *now = _cr_store_now ();
  const char *user = cr_store_get_user (store);
  sqlite3_stmt *stmt;
  gint64 id;
  gsize len;
  const void *data;

  stmt = _cr_store_prepare (store,
                            "INSERT INTO documents (patient_id, visit_id, category, title,"
                            " service_date, file_name, mime_type, sha256, byte_size, page_count,"
                            " password, data, split_from, split_pages,"
                            " created_at, created_by, updated_at, updated_by)"
                            " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, X'', ?12, ?13,"
                            " ?14, ?15, ?14, ?15)",
                            error);
  if (stmt == NULL)
    return 0;
  if (doc->patient_id > 0)
    sqlite3_bind_int64 (stmt, 1, doc->patient_id);
  if (doc->visit_id > 0)
    sqlite3_bind_int64 (stmt, 2, doc->visit_id);
  _cr_bind_text (stmt, 3, doc->category);
  _cr_bind_text (stmt, 4, doc->title);
  _cr_bind_text (stmt, 5, doc->service_date);
  _cr_bind_text (stmt, 6, doc->file_name);
  _cr_bind_text (stmt, 7, doc->mime_type);
  _cr_bind_text (stmt, 8, doc->sha256);
  sqlite3_bind_int64 (stmt, 9, doc->byte_size);
  sqlite3_bind_int64 (stmt, 10, doc->n_pages);
  _cr_bind_text (stmt, 11, doc->password);
  if (doc->split_from > 0)
    sqlite3_bind_int64 (stmt, 12, doc->split_from);
  _cr_bind_text (stmt, 13, doc->split_pages);
  _cr_bind_text (stmt, 14, now);
  _cr_bind_text (stmt, 15, user);
  if (!_cr_store_step_done (store, stmt, error))
    return 0;
  id = last_id (store);

  stmt = _cr_store_prepare (store,
                            "INSERT INTO document_content (document_id, data, original)"
                            " VALUES (?1, ?2, ?3)",
                            error);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_int64 (stmt, 1, id);
  data = g_bytes_get_data (doc->pdf, &len);
  sqlite3_bind_blob64 (stmt, 2, data ? data : "", len, SQLITE_STATIC);
  if (doc->original != NULL)
    {
      data = g_bytes_get_data (doc->original, &len);
      sqlite3_bind_blob64 (stmt, 3, data ? data : "", len, SQLITE_STATIC);
    }
  if (!_cr_store_step_done (store, stmt, error))
    return 0;

  /* The row itself was added by the documents_search_insert trigger. */
  stmt = _cr_store_prepare (store, "UPDATE document_search SET body = ?2 WHERE docid = ?1",
                            error);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_int64 (stmt, 1, id);
  _cr_bind_text (stmt, 2, doc->text ? doc->text : "");
  if (!_cr_store_step_done (store, stmt, error))
    return 0;

  return id;
}

static gint64
import_one (CrStore                        *store,
            const char                     *path,
            const CrDocumentImportOptions  *options,
            CrProgressFunc                  progress,
            gpointer                        progress_data,
            GCancellable                   *cancellable,
            gint64                         *duplicate_of,
            GError                        **error)
{
  static const CrDocumentImportOptions defaults = { 0 };
  g_autoptr(CrDocumentPayload) payload = NULL;
  g_autoptr(CrStoreLocker) locker = NULL;
  g_autofree char *name = g_filename_display_basename (path);
  g_autofree char *title = dup_title_from_path (path);
  g_autofree char *detail = NULL;
  NewDocument doc = { 0 };
  gint64 id;

  if (options == NULL)
    options = &defaults;

  if (options->patient_id > 0)
    {
      locker = _cr_store_lock (store);
      if (!check_patient (store, options->patient_id, error))
        return 0;
      g_clear_pointer (&locker, _cr_store_unlock);
    }

  payload = _cr_document_payload_load (path, options->password, progress, progress_data,
                                       cancellable, error);
  if (payload == NULL)
    return 0;

  /* Ask before the slow part of nothing: the check again under the lock
   * below is the one that counts. */
  locker = _cr_store_lock (store);
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return 0;
  if (!_cr_store_begin (store, error))
    return 0;

  if (!options->allow_duplicate &&
      !check_duplicate (store, payload->sha256, name, duplicate_of, error))
    goto fail;
  if (options->patient_id > 0 && !check_patient (store, options->patient_id, error))
    goto fail;

  doc.patient_id = options->patient_id;
  doc.title = title;
  doc.file_name = name;
  doc.mime_type = payload->mime_type;
  doc.sha256 = payload->sha256;
  doc.byte_size = g_bytes_get_size (payload->original);
  doc.n_pages = payload->n_pages;
  doc.password = payload->password;
  doc.pdf = payload->pdf;
  doc.original = payload->pdf == payload->original ? NULL : payload->original;
  doc.text = payload->text;

  id = insert_document (store, &doc, error);
  if (id == 0)
    goto fail;

  detail = g_strdup_printf ("%s (%s, %u %s)", name, payload->mime_type, payload->n_pages,
                            payload->n_pages == 1 ? "page" : "pages");
  if (!audit_document (store, CR_AUDIT_IMPORT, options->patient_id, id, detail, error))
    goto fail;
  if (!_cr_store_commit (store, error))
    return 0;

  return id;

fail:
  _cr_store_rollback (store);
  return 0;
}

gint64
cr_store_import_document_full (CrStore                        *store,
                               const char                     *path,
                               const CrDocumentImportOptions  *options,
                               CrProgressFunc                  progress,
                               gpointer                        progress_data,
                               GCancellable                   *cancellable,
                               GError                        **error)
{
  g_return_val_if_fail (CR_IS_STORE (store), 0);
  g_return_val_if_fail (path != NULL, 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  return import_one (store, path, options, progress, progress_data, cancellable, NULL, error);
}

gint64
cr_store_import_document (CrStore                        *store,
                          const char                     *path,
                          const CrDocumentImportOptions  *options,
                          GCancellable                   *cancellable,
                          GError                        **error)
{
  return cr_store_import_document_full (store, path, options, NULL, NULL, cancellable, error);
}

/* ---- batch import ------------------------------------------------------ */

struct _CrDocumentImportResult
{
  gatomicrefcount  ref_count;
  char            *path;
  gint64           id;
  gint64           duplicate_of;
  GError          *error;
};

G_DEFINE_BOXED_TYPE (CrDocumentImportResult, cr_document_import_result,
                     cr_document_import_result_ref, cr_document_import_result_unref)

static CrDocumentImportResult *
import_result_new (const char *path)
{
  CrDocumentImportResult *result = g_new0 (CrDocumentImportResult, 1);

  g_atomic_ref_count_init (&result->ref_count);
  result->path = g_strdup (path);
  return result;
}

CrDocumentImportResult *
cr_document_import_result_ref (CrDocumentImportResult *result)
{
  g_return_val_if_fail (result != NULL, NULL);
  g_atomic_ref_count_inc (&result->ref_count);
  return result;
}

void
cr_document_import_result_unref (CrDocumentImportResult *result)
{
  g_return_if_fail (result != NULL);
  if (g_atomic_ref_count_dec (&result->ref_count))
    {
      g_free (result->path);
      g_clear_error (&result->error);
      g_free (result);
    }
}

const char *
cr_document_import_result_get_path (CrDocumentImportResult *result)
{
  g_return_val_if_fail (result != NULL, NULL);
  return result->path;
}

gint64
cr_document_import_result_get_id (CrDocumentImportResult *result)
{
  g_return_val_if_fail (result != NULL, 0);
  return result->id;
}

const GError *
cr_document_import_result_get_error (CrDocumentImportResult *result)
{
  g_return_val_if_fail (result != NULL, NULL);
  return result->error;
}

gint64
cr_document_import_result_get_duplicate_of (CrDocumentImportResult *result)
{
  g_return_val_if_fail (result != NULL, 0);
  return result->duplicate_of;
}

typedef struct
{
  CrProgressFunc progress;
  gpointer       data;
  guint          index;
  guint          count;
} BatchProgress;

static void
batch_progress (double   fraction,
                gpointer user_data)
{
  BatchProgress *batch = user_data;

  batch->progress ((batch->index + fraction) / batch->count, batch->data);
}

GPtrArray *
cr_store_import_documents (CrStore                        *store,
                           const char * const             *paths,
                           const CrDocumentImportOptions  *options,
                           CrProgressFunc                  progress,
                           gpointer                        progress_data,
                           GCancellable                   *cancellable)
{
  g_autoptr(GPtrArray) results = NULL;
  BatchProgress batch = { progress, progress_data, 0, 0 };

  g_return_val_if_fail (CR_IS_STORE (store), NULL);
  g_return_val_if_fail (paths != NULL, NULL);

  results = g_ptr_array_new_with_free_func ((GDestroyNotify) cr_document_import_result_unref);
  batch.count = g_strv_length ((char **) paths);

  for (guint i = 0; paths[i] != NULL; i++)
    {
      CrDocumentImportResult *result = import_result_new (paths[i]);

      batch.index = i;
      g_ptr_array_add (results, result);
      if (g_cancellable_set_error_if_cancelled (cancellable, &result->error))
        continue;
      result->id = import_one (store, paths[i], options,
                               progress ? batch_progress : NULL, &batch,
                               cancellable, &result->duplicate_of, &result->error);
      if (progress != NULL)
        progress ((double) (i + 1) / batch.count, progress_data);
    }

  return g_steal_pointer (&results);
}

typedef struct
{
  GStrv                    paths;
  CrDocumentImportOptions  options;
  char                    *password;
  CrProgressFunc           progress;
  gpointer                 progress_data;
} BatchData;

static void
batch_data_free (BatchData *data)
{
  g_strfreev (data->paths);
  g_free (data->password);
  g_free (data);
}

static void
import_batch_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  BatchData *data = task_data;
  GPtrArray *results;

  results = cr_store_import_documents (source_object, (const char * const *) data->paths,
                                       &data->options, data->progress, data->progress_data,
                                       cancellable);
  g_task_return_pointer (task, results, (GDestroyNotify) g_ptr_array_unref);
}

void
cr_store_import_documents_async (CrStore                        *store,
                                 const char * const             *paths,
                                 const CrDocumentImportOptions  *options,
                                 CrProgressFunc                  progress,
                                 gpointer                        progress_data,
                                 GCancellable                   *cancellable,
                                 GAsyncReadyCallback             callback,
                                 gpointer                        user_data)
{
  g_autoptr(GTask) task = NULL;
  BatchData *data;

  g_return_if_fail (CR_IS_STORE (store));
  g_return_if_fail (paths != NULL);

  data = g_new0 (BatchData, 1);
  data->paths = g_strdupv ((char **) paths);
  if (options != NULL)
    {
      data->options = *options;
      data->password = g_strdup (options->password);
      data->options.password = data->password;
    }
  data->progress = progress;
  data->progress_data = progress_data;

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, cr_store_import_documents_async);
  g_task_set_name (task, "[chartroom] import documents");
  /* The results say which files were cancelled. */
  g_task_set_check_cancellable (task, FALSE);
  g_task_set_task_data (task, data, (GDestroyNotify) batch_data_free);
  g_task_run_in_thread (task, import_batch_thread);
}

GPtrArray *
cr_store_import_documents_finish (CrStore       *store,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cr_store_import_documents_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- filing ------------------------------------------------------------ */

static char *
dup_service_date (const char  *text,
                  GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  GDate date, today, earliest;

  if (text == NULL || *text == '\0')
    {
      g_set_error_literal (error, CR_DOCUMENTS_ERROR, CR_DOCUMENTS_ERROR_INVALID,
                           "Enter the date of service");
      return NULL;
    }
  if (!cr_date_parse (text, &date, &local_error))
    {
      g_set_error_literal (error, CR_DOCUMENTS_ERROR, CR_DOCUMENTS_ERROR_INVALID,
                           local_error->message);
      return NULL;
    }
  cr_date_set_today (&today);
  if (g_date_compare (&date, &today) > 0)
    {
      g_set_error_literal (error, CR_DOCUMENTS_ERROR, CR_DOCUMENTS_ERROR_INVALID,
                           "The date of service cannot be in the future");
      return NULL;
    }
  g_date_clear (&earliest, 1);
  g_date_set_dmy (&earliest, 1, G_DATE_JANUARY, 1880);
  if (g_date_compare (&date, &earliest) < 0)
    {
      g_set_error_literal (error, CR_DOCUMENTS_ERROR, CR_DOCUMENTS_ERROR_INVALID,
                           "The date of service cannot be before 1880");
      return NULL;
    }
  return cr_date_to_iso (&date);
}

static gboolean
check_visit (CrStore  *store,
             gint64    visit_id,
             gint64    patient_id,
             GError  **error)
{
  sqlite3_stmt *stmt;
  gint64 owner = 0;
  gboolean wrong = FALSE;
  int rc;

  stmt = _cr_store_prepare (store,
                            "SELECT patient_id, entered_in_error FROM visits WHERE id = ?1",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, visit_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      owner = sqlite3_column_int64 (stmt, 0);
      wrong = sqlite3_column_int (stmt, 1) != 0;
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return _cr_store_set_error (store, rc, error);
  if (rc == SQLITE_DONE)
    {
      g_set_error_literal (error, CR_DOCUMENTS_ERROR, CR_DOCUMENTS_ERROR_NOT_FOUND,
                           "There is no such visit in the practice database");
      return FALSE;
    }
  if (owner != patient_id)
    {
      g_set_error_literal (error, CR_DOCUMENTS_ERROR, CR_DOCUMENTS_ERROR_INVALID,
                           "The visit belongs to another patient");
      return FALSE;
    }
  if (wrong)
    {
      g_set_error_literal (error, CR_DOCUMENTS_ERROR, CR_DOCUMENTS_ERROR_INVALID,
                           "The visit was marked entered in error");
      return FALSE;
    }
  return TRUE;
}

gboolean
cr_store_file_document (CrStore             *store,
                        gint64               id,
                        gint64               patient_id,
                        CrDocumentCategory   category,
                        const char          *service_date,
                        gint64               visit_id,
                        const char          *title,
                        GError             **error)
{
  g_autoptr(CrStoreLocker) locker = NULL;
  g_auto(DocState) state = { 0 };
  g_autofree char *date = NULL;
  g_autofree char *clean_title = NULL;
  g_autofree char *now = NULL;
  g_autofree char *detail = NULL;
  const char *nick;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (CR_IS_STORE (store), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (patient_id <= 0)
    {
      g_set_error_literal (error, CR_DOCUMENTS_ERROR, CR_DOCUMENTS_ERROR_INVALID,
                           "Choose the patient the document belongs to");
      return FALSE;
    }
  if (category <= CR_DOCUMENT_CATEGORY_NONE || category > CR_DOCUMENT_CATEGORY_OTHER)
    {
      g_set_error_literal (error, CR_DOCUMENTS_ERROR, CR_DOCUMENTS_ERROR_INVALID,
                           "Choose what kind of document it is");
      return FALSE;
    }
  nick = cr_document_category_to_string (category);
  date = dup_service_date (service_date, error);
  if (date == NULL)
    return FALSE;
  if (title != NULL)
    {
      clean_title = g_strstrip (g_strdup (title));
      if (!g_utf8_validate (clean_title, -1, NULL))
        {
          g_set_error_literal (error, CR_DOCUMENTS_ERROR, CR_DOCUMENTS_ERROR_INVALID,
                               "The title is not valid text");
          return FALSE;
        }
      if (g_utf8_strlen (clean_title, -1) > MAX_TITLE_CHARS)
        {
          g_set_error (error, CR_DOCUMENTS_ERROR, CR_DOCUMENTS_ERROR_INVALID,
                       "The title is too long (at most %d characters)", MAX_TITLE_CHARS);
          return FALSE;
        }
      if (*clean_title == '\0')
        g_clear_pointer (&clean_title, g_free);
    }

  locker = _cr_store_lock (store);
  if (!_cr_store_begin (store, error))
    return FALSE;
  if (!load_state (store, id, &state, error) ||
      !check_current (&state, error) ||
      !check_patient (store, patient_id, error) ||
      (visit_id > 0 && !check_visit (store, visit_id, patient_id, error)))
    goto fail;

  now = _cr_store_now ();
  stmt = _cr_store_prepare (store,
                            "UPDATE documents SET patient_id = ?2, visit_id = ?3, category = ?4,"
                            " service_date = ?5, title = coalesce (?6, title),"
                            " updated_at = ?7, updated_by = ?8 WHERE id = ?1",
                            error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_int64 (stmt, 2, patient_id);
  if (visit_id > 0)
    sqlite3_bind_int64 (stmt, 3, visit_id);
  _cr_bind_text (stmt, 4, nick);
  _cr_bind_text (stmt, 5, date);
  _cr_bind_text (stmt, 6, clean_title);
  _cr_bind_text (stmt, 7, now);
  _cr_bind_text (stmt, 8, cr_store_get_user (store));
  if (!_cr_store_step_done (store, stmt, error))
    goto fail;

  detail = g_strdup_printf ("filed: %s, %s%s", nick, date, visit_id > 0 ? ", to a visit" : "");
  if (!audit_document (store, CR_AUDIT_CHANGE, patient_id, id, detail, error))
    goto fail;
  if (state.patient_id > 0 && state.patient_id != patient_id &&
      !audit_document (store, CR_AUDIT_CHANGE, state.patient_id, id,
                       "moved to another patient's chart", error))
    goto fail;

  return _cr_store_commit (store, error);

fail:
  _cr_store_rollback (store);
  return FALSE;
}

gboolean
cr_store_mark_document_entered_in_error (CrStore     *store,
                                         gint64       id,
                                         const char  *reason,
                                         GError     **error)
{
  g_autoptr(CrStoreLocker) locker = NULL;
  g_auto(DocState) state = { 0 };
  g_autofree char *clean = NULL;
  g_autofree char *now = NULL;
  g_autofree char *detail = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (CR_IS_STORE (store), FALSE);

  clean = g_strstrip (g_strdup (reason ? reason : ""));
  if (*clean == '\0' || !g_utf8_validate (clean, -1, NULL) ||
      g_utf8_strlen (clean, -1) > MAX_REASON_CHARS)
    {
      g_set_error (error, CR_DOCUMENTS_ERROR, CR_DOCUMENTS_ERROR_INVALID,
                   "Say why the document is in error (at most %d characters)",
                   MAX_REASON_CHARS);
      return FALSE;
    }

  locker = _cr_store_lock (store);
  if (!_cr_store_begin (store, error))
    return FALSE;
  if (!load_state (store, id, &state, error) || !check_current (&state, error))
    goto fail;

  now = _cr_store_now ();
  stmt = _cr_store_prepare (store,
                            "UPDATE documents SET entered_in_error = 1, updated_at = ?2,"
                            " updated_by = ?3 WHERE id = ?1",
                            error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, id);
  _cr_bind_text (stmt, 2, now);
  _cr_bind_text (stmt, 3, cr_store_get_user (store));
  if (!_cr_store_step_done (store, stmt, error))
    goto fail;
  detail = g_strdup_printf ("entered in error: %s", clean);
  if (!audit_document (store, CR_AUDIT_CHANGE, state.patient_id, id, detail, error))
    goto fail;
  return _cr_store_commit (store, error);

fail:
  _cr_store_rollback (store);
  return FALSE;
}

/* ---- reading ----------------------------------------------------------- */

static GListModel *
query_documents (CrStore       *store,
                 const char    *sql,
                 gint64         param,
                 GError       **error)
{
  g_autoptr(CrStoreLocker) locker = _cr_store_lock (store);
  g_autoptr(GListStore) list = g_list_store_new (CR_TYPE_DOCUMENT);
  sqlite3_stmt *stmt;
  int rc;

  stmt = _cr_store_prepare (store, sql, error);
  if (stmt == NULL)
    return NULL;
  if (param != 0)
    sqlite3_bind_int64 (stmt, 1, param);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(CrDocument) document = _cr_document_new_from_row (stmt);

      g_list_store_append (list, document);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return (_cr_store_set_error (store, rc, error), NULL);
  return G_LIST_MODEL (g_steal_pointer (&list));
}

GListModel *
cr_store_list_inbox (CrStore  *store,
                     GError  **error)
{
  g_return_val_if_fail (CR_IS_STORE (store), NULL);

  return query_documents (store,
                          "SELECT " CR_DOCUMENT_COLUMNS " FROM documents d"
                          " WHERE d.patient_id IS NULL AND d.replaced = 0"
                          " AND d.entered_in_error = 0"
                          " ORDER BY d.created_at DESC, d.id DESC",
                          0, error);
}

GListModel *
cr_store_list_patient_documents (CrStore  *store,
                                 gint64    patient_id,
                                 GError  **error)
{
  g_return_val_if_fail (CR_IS_STORE (store), NULL);
  g_return_val_if_fail (patient_id > 0, NULL);

  return query_documents (store,
                          "SELECT " CR_DOCUMENT_COLUMNS " FROM documents d"
                          " WHERE d.patient_id = ?1 AND d.replaced = 0"
                          " AND d.entered_in_error = 0"
                          " ORDER BY d.service_date IS NOT NULL, d.service_date DESC, d.id DESC",
                          patient_id, error);
}

GListModel *
cr_store_list_document_parts (CrStore  *store,
                              gint64    id,
                              GError  **error)
{
  g_return_val_if_fail (CR_IS_STORE (store), NULL);
  g_return_val_if_fail (id > 0, NULL);

  return query_documents (store,
                          "SELECT " CR_DOCUMENT_COLUMNS " FROM documents d"
                          " WHERE d.split_from = ?1 ORDER BY d.id",
                          id, error);
}

gint64
cr_store_count_inbox (CrStore  *store,
                      GError  **error)
{
  g_autoptr(CrStoreLocker) locker = NULL;
  sqlite3_stmt *stmt;
  gint64 n = -1;
  int rc;

  g_return_val_if_fail (CR_IS_STORE (store), -1);

  locker = _cr_store_lock (store);
  stmt = _cr_store_prepare (store,
                            "SELECT count(*) FROM documents WHERE patient_id IS NULL"
                            " AND replaced = 0 AND entered_in_error = 0",
                            error);
  if (stmt == NULL)
    return -1;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    _cr_store_set_error (store, rc, error);
  return n;
}

static GArray *
load_rotations (CrStore  *store,
                gint64    id,
                guint     page_count,
                GError  **error)
{
  g_autoptr(GArray) rotations = g_array_sized_new (FALSE, TRUE, sizeof (int), page_count);
  sqlite3_stmt *stmt;
  int rc;

  g_array_set_size (rotations, page_count);
  stmt = _cr_store_prepare (store,
                            "SELECT page, rotation FROM document_pages WHERE document_id = ?1",
                            error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 page = sqlite3_column_int64 (stmt, 0);

      if (page >= 0 && page < page_count)
        g_array_index (rotations, int, page) = sqlite3_column_int (stmt, 1);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return (_cr_store_set_error (store, rc, error), NULL);
  return g_steal_pointer (&rotations);
}

CrDocument *
cr_store_get_document (CrStore  *store,
                       gint64    id,
                       GError  **error)
{
  g_autoptr(CrStoreLocker) locker = NULL;
  g_autoptr(CrDocument) document = NULL;
  g_autoptr(GArray) rotations = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CR_IS_STORE (store), NULL);

  locker = _cr_store_lock (store);
  stmt = _cr_store_prepare (store,
                            "SELECT " CR_DOCUMENT_COLUMNS " FROM documents d WHERE d.id = ?1",
                            error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    document = _cr_document_new_from_row (stmt);
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    return (no_document (error, id), NULL);
  if (rc != SQLITE_ROW)
    return (_cr_store_set_error (store, rc, error), NULL);

  rotations = load_rotations (store, id, cr_document_get_page_count (document), error);
  if (rotations == NULL)
    return NULL;
  _cr_document_set_rotations (document, rotations);
  return g_steal_pointer (&document);
}

GArray *
cr_store_get_document_rotations (CrStore  *store,
                                 gint64    id,
                                 GError  **error)
{
  g_autoptr(CrStoreLocker) locker = NULL;
  g_auto(DocState) state = { 0 };

  g_return_val_if_fail (CR_IS_STORE (store), NULL);

  locker = _cr_store_lock (store);
  if (!load_state (store, id, &state, error))
    return NULL;
  return load_rotations (store, id, state.page_count, error);
}

/* ---- search ------------------------------------------------------------ */

/* Words as the unicode61 tokenizer splits them (letters, digits and their
 * combining marks), lower-cased so that OR, AND, NOT and NEAR are words,
 * each a prefix term: "diab* mell*". NULL when there are no words. */
static char *
dup_match_expression (const char *text)
{
  g_autoptr(GString) match = g_string_new (NULL);
  g_autoptr(GString) term = g_string_new (NULL);
  g_autofree char *cut = NULL;
  g_autofree char *normalized = NULL;
  guint n_terms = 0;

  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    return NULL;
  cut = g_utf8_substring (text, 0, MIN (g_utf8_strlen (text, -1), MAX_SEARCH_CHARS));
  normalized = g_utf8_normalize (cut, -1, G_NORMALIZE_DEFAULT_COMPOSE);

  for (const char *p = normalized; ; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c != 0 && (g_unichar_isalnum (c) || (term->len > 0 && g_unichar_ismark (c))))
        {
          g_string_append_unichar (term, c);
          continue;
        }
      if (term->len > 0 && n_terms < MAX_SEARCH_TERMS)
        {
          g_autofree char *lower = g_utf8_strdown (term->str, -1);

          g_string_append_printf (match, "%s%s*", n_terms > 0 ? " " : "", lower);
          n_terms++;
        }
      g_string_truncate (term, 0);
      if (c == 0)
        break;
    }

  if (n_terms == 0)
    return NULL;
  return g_string_free (g_steal_pointer (&match), FALSE);
}

GListModel *
cr_store_search_documents (CrStore       *store,
                           gint64         patient_id,
                           const char    *text,
                           guint          limit,
                           GCancellable  *cancellable,
                           GError       **error)
{
  g_autoptr(CrStoreLocker) locker = NULL;
  g_autoptr(GListStore) list = g_list_store_new (CR_TYPE_DOCUMENT);
  g_autofree char *match = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CR_IS_STORE (store), NULL);
  g_return_val_if_fail (patient_id >= 0, NULL);

  match = dup_match_expression (text);
  if (match == NULL)
    return G_LIST_MODEL (g_steal_pointer (&list));
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  locker = _cr_store_lock (store);
  stmt = _cr_store_prepare (store,
                            "SELECT " CR_DOCUMENT_COLUMNS ","
                            " snippet (document_search, ?3, ?4, '…', -1, ?5)"
                            " FROM document_search s JOIN documents d ON d.id = s.docid"
                            " WHERE document_search MATCH ?1"
                            " AND coalesce (d.patient_id, 0) = ?2"
                            " AND d.replaced = 0 AND d.entered_in_error = 0"
                            " ORDER BY d.service_date DESC, d.id DESC LIMIT ?6",
                            error);
  if (stmt == NULL)
    return NULL;
  _cr_bind_text (stmt, 1, match);
  sqlite3_bind_int64 (stmt, 2, patient_id);
  _cr_bind_text (stmt, 3, CR_DOCUMENT_SNIPPET_START);
  _cr_bind_text (stmt, 4, CR_DOCUMENT_SNIPPET_END);
  sqlite3_bind_int (stmt, 5, SNIPPET_TOKENS);
  sqlite3_bind_int64 (stmt, 6, limit > 0 ? (gint64) limit : -1);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(CrDocument) document = _cr_document_new_from_row (stmt);

      g_list_store_append (list, document);
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          sqlite3_reset (stmt);
          return NULL;
        }
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return (_cr_store_set_error (store, rc, error), NULL);
  return G_LIST_MODEL (g_steal_pointer (&list));
}

/* ---- the bytes ---------------------------------------------------------- */

GBytes *
cr_store_dup_document_data (CrStore  *store,
                            gint64    id,
                            GError  **error)
{
  g_autoptr(CrStoreLocker) locker = NULL;
  g_auto(DocState) state = { 0 };
  g_autoptr(GBytes) bytes = NULL;

  g_return_val_if_fail (CR_IS_STORE (store), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  locker = _cr_store_lock (store);
  if (!load_state (store, id, &state, error))
    return NULL;
  bytes = read_document_bytes (store, id, BYTES_PDF, state.has_content, error);
  if (bytes == NULL)
    return NULL;
  if (!audit_document (store, CR_AUDIT_VIEW, state.patient_id, id, NULL, error))
    return NULL;
  return g_steal_pointer (&bytes);
}

PopplerDocument *
cr_store_open_document (CrStore  *store,
                        gint64    id,
                        GError  **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *password = NULL;

  g_return_val_if_fail (CR_IS_STORE (store), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  {
    g_autoptr(CrStoreLocker) locker = _cr_store_lock (store);
    g_auto(DocState) state = { 0 };

    if (!load_state (store, id, &state, error))
      return NULL;
    password = g_steal_pointer (&state.password);
    bytes = cr_store_dup_document_data (store, id, error);
    if (bytes == NULL)
      return NULL;
  }

  /* Poppler works without the store's lock. */
  if (!_cr_document_bytes_are_pdf (bytes))
    {
      g_set_error_literal (error, CR_DOCUMENTS_ERROR, CR_DOCUMENTS_ERROR_NOT_A_DOCUMENT,
                           "This document is not a PDF and cannot be shown");
      return NULL;
    }
  return _cr_document_open_pdf (bytes, password, error);
}

gboolean
cr_store_export_document (CrStore       *store,
                          gint64         id,
                          const char    *path,
                          GCancellable  *cancellable,
                          GError       **error)
{
  g_autoptr(CrStoreLocker) locker = NULL;
  g_auto(DocState) state = { 0 };
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *name = NULL;
  const char *data;
  gsize len;

  g_return_val_if_fail (CR_IS_STORE (store), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  locker = _cr_store_lock (store);
  if (!load_state (store, id, &state, error))
    return FALSE;
  bytes = read_document_bytes (store, id, BYTES_ORIGINAL, state.has_content, error);
  if (bytes == NULL)
    return FALSE;
  g_clear_pointer (&locker, _cr_store_unlock);

  name = g_filename_display_name (path);
  data = g_bytes_get_data (bytes, &len);
  if (!g_file_set_contents_full (path, data ? data : "", len,
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0600, &local_error))
    {
      g_set_error (error, CR_DOCUMENTS_ERROR, CR_DOCUMENTS_ERROR_UNREADABLE,
                   "Could not write “%s”: %s", name, local_error->message);
      return FALSE;
    }

  detail = g_strdup_printf ("original bytes to %s", name);
  if (!audit_document (store, CR_AUDIT_EXPORT, state.patient_id, id, detail, error))
    {
      /* No export without its trace. */
      g_unlink (path);
      return FALSE;
    }
  return TRUE;
}

/* ---- view settings ----------------------------------------------------- */

gboolean
cr_store_set_document_page_rotation (CrStore  *store,
                                     gint64    id,
                                     guint     page,
                                     int       rotation,
                                     GError  **error)
{
  g_autoptr(CrStoreLocker) locker = NULL;
  g_auto(DocState) state = { 0 };
  g_autofree char *now = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (CR_IS_STORE (store), FALSE);

  if (rotation != 0 && rotation != 90 && rotation != 180 && rotation != 270)
    {
      g_set_error (error, CR_DOCUMENTS_ERROR, CR_DOCUMENTS_ERROR_INVALID,
                   "A page turns by 0, 90, 180 or 270 degrees, not %d", rotation);
      return FALSE;
    }

  locker = _cr_store_lock (store);
  if (!load_state (store, id, &state, error))
    return FALSE;
  if (page >= state.page_count)
    {
      g_set_error (error, CR_DOCUMENTS_ERROR, CR_DOCUMENTS_ERROR_INVALID,
                   "The document has no page %u", page + 1);
      return FALSE;
    }

  now = _cr_store_now ();
  stmt = _cr_store_prepare (store,
                            "INSERT OR REPLACE INTO document_pages"
                            " (document_id, page, rotation, updated_at, updated_by)"
                            " VALUES (?1, ?2, ?3, ?4, ?5)",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_int64 (stmt, 2, page);
  sqlite3_bind_int (stmt, 3, rotation);
  _cr_bind_text (stmt, 4, now);
  _cr_bind_text (stmt, 5, cr_store_get_user (store));
  return _cr_store_step_done (store, stmt, error);
}

/* ---- splitting --------------------------------------------------------- */

static gboolean
parse_page (const char *text,
            guint       n_pages,
            guint      *page,
            GError    **error)
{
  guint64 value;

  if (!g_ascii_string_to_unsigned (text, 10, 1, G_MAXUINT, &value, NULL))
    return FALSE;
  if (value > n_pages)
    {
      g_set_error (error, CR_DOCUMENTS_ERROR, CR_DOCUMENTS_ERROR_INVALID,
                   "There is no page %" G_GUINT64_FORMAT ": the document has %u %s",
                   value, n_pages, n_pages == 1 ? "page" : "pages");
      return FALSE;
    }
  *page = (guint) value - 1;
  return TRUE;
}

static int
compare_first (gconstpointer a,
               gconstpointer b)
{
  guint fa = ((const guint *) a)[0], fb = ((const guint *) b)[0];

  return fa < fb ? -1 : fa > fb;
}

GArray *
cr_document_parse_ranges (const char  *ranges,
                          guint        n_pages,
                          GError     **error)
{
  g_autoptr(GArray) parts = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) pairs = NULL;
  g_autofree guint8 *seen = NULL;
  g_autofree char *dashes = NULL;
  g_auto(GStrv) items = NULL;
  guint n_parts = 0;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (ranges == NULL || n_pages == 0)
    {
      g_set_error_literal (error, CR_DOCUMENTS_ERROR, CR_DOCUMENTS_ERROR_INVALID,
                           "Say which pages go to which part, as in 1-3,4,5-7");
      return NULL;
    }

  /* An en dash is a dash too. */
  {
    g_auto(GStrv) split = g_strsplit (ranges, "–", -1);
    dashes = g_strjoinv ("-", split);
  }
  seen = g_new0 (guint8, n_pages);
  items = g_strsplit (dashes, ",", -1);
  for (guint i = 0; items[i] != NULL; i++)
    {
      char *item = g_strstrip (items[i]);
      g_autofree char *typed = g_strdup (item);
      char *dash = strchr (item, '-');
      guint first, last;

      if (*item == '\0')
        continue;
      if (dash != NULL)
        {
          *dash = '\0';
          g_strstrip (item);
          g_strstrip (dash + 1);
          if (!parse_page (item, n_pages, &first, error) ||
              !parse_page (dash + 1, n_pages, &last, error))
            goto bad_item;
        }
      else
        {
          if (!parse_page (item, n_pages, &first, error))
            goto bad_item;
          last = first;
        }
      if (last < first)
        {
          g_set_error (error, CR_DOCUMENTS_ERROR, CR_DOCUMENTS_ERROR_INVALID,
                       "Pages %u-%u run backwards: write %u-%u",
                       first + 1, last + 1, last + 1, first + 1);
          return NULL;
        }
      for (guint p = first; p <= last; p++)
        {
          if (seen[p])
            {
              g_set_error (error, CR_DOCUMENTS_ERROR, CR_DOCUMENTS_ERROR_INVALID,
                           "Page %u is in two parts: each page goes to one part", p + 1);
              return NULL;
            }
          seen[p] = 1;
        }
      g_array_append_val (parts, first);
      g_array_append_val (parts, last);
      n_parts++;
      continue;

    bad_item:
      if (error != NULL && *error == NULL)
        g_set_error (error, CR_DOCUMENTS_ERROR, CR_DOCUMENTS_ERROR_INVALID,
                     "“%s” is not a page or a range of pages: write them as 1-3,4,5-7",
                     typed);
      return NULL;
    }

  if (n_parts == 0)
    {
      g_set_error_literal (error, CR_DOCUMENTS_ERROR, CR_DOCUMENTS_ERROR_INVALID,
                           "Say which pages go to which part, as in 1-3,4,5-7");
      return NULL;
    }
  for (guint p = 0; p < n_pages; p++)
    if (!seen[p])
      {
        guint q = p;

        while (q + 1 < n_pages && !seen[q + 1])
          q++;
        if (q == p)
          g_set_error (error, CR_DOCUMENTS_ERROR, CR_DOCUMENTS_ERROR_INVALID,
                       "Page %u is in no part: every page goes to one part", p + 1);
        else
          g_set_error (error, CR_DOCUMENTS_ERROR, CR_DOCUMENTS_ERROR_INVALID,
                       "Pages %u-%u are in no part: every page goes to one part",
                       p + 1, q + 1);
        return NULL;
      }
  if (n_parts < 2)
    {
      g_set_error_literal (error, CR_DOCUMENTS_ERROR, CR_DOCUMENTS_ERROR_INVALID,
                           "Splitting needs two parts or more, as in 1-3,4-7");
      return NULL;
    }

  /* Pairs sorted by their first page. */
  pairs = g_array_sized_new (FALSE, FALSE, sizeof (guint) * 2, n_parts);
  g_array_append_vals (pairs, parts->data, n_parts);
  g_array_sort (pairs, compare_first);
  g_array_set_size (parts, 0);
  g_array_append_vals (parts, pairs->data, n_parts * 2);
  return g_steal_pointer (&parts);
}

typedef struct
{
  guint   first;
  guint   last;
  GBytes *pdf;
  char   *sha256;
  char   *text;
  guint   n_pages;
} Part;

static void
part_clear (Part *part)
{
  g_clear_pointer (&part->pdf, g_bytes_unref);
  g_clear_pointer (&part->sha256, g_free);
  g_clear_pointer (&part->text, g_free);
}

static char *
dup_pages_label (guint first,
                 guint last)
{
  if (first == last)
    return g_strdup_printf ("%u", first + 1);
  return g_strdup_printf ("%u-%u", first + 1, last + 1);
}

gboolean
cr_store_split_document (CrStore       *store,
                         gint64         id,
                         const char    *ranges,
                         GPtrArray    **new_ids,
                         GCancellable  *cancellable,
                         GError       **error)
{
  g_autoptr(CrStoreLocker) locker = NULL;
  g_auto(DocState) state = { 0 };
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GArray) pairs = NULL;
  g_autoptr(GArray) parts = NULL;
  g_autoptr(GArray) rotations = NULL;
  g_autoptr(PopplerDocument) document = NULL;
  g_autoptr(GPtrArray) ids = NULL;
  g_auto(DocState) again = { 0 };
  g_autofree char *now = NULL;
  g_autoptr(GString) detail = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (CR_IS_STORE (store), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* Read what is needed, briefly under the lock. */
  locker = _cr_store_lock (store);
  if (!load_state (store, id, &state, error) || !check_current (&state, error))
    return FALSE;
  pairs = cr_document_parse_ranges (ranges, state.page_count, error);
  if (pairs == NULL)
    return FALSE;
  bytes = read_document_bytes (store, id, BYTES_PDF, state.has_content, error);
  if (bytes == NULL)
    return FALSE;
  rotations = load_rotations (store, id, state.page_count, error);
  if (rotations == NULL)
    return FALSE;
  g_clear_pointer (&locker, _cr_store_unlock);

  /* Draw the parts without it. */
  document = _cr_document_open_pdf (bytes, state.password, error);
  if (document == NULL)
    return FALSE;
  if ((guint) poppler_document_get_n_pages (document) != state.page_count)
    {
      g_set_error (error, CR_DOCUMENTS_ERROR, CR_DOCUMENTS_ERROR_MALFORMED,
                   "The stored document has %d pages, not %u",
                   poppler_document_get_n_pages (document), state.page_count);
      return FALSE;
    }

  parts = g_array_new (FALSE, TRUE, sizeof (Part));
  g_array_set_clear_func (parts, (GDestroyNotify) part_clear);
  for (guint i = 0; i < pairs->len; i += 2)
    {
      Part part = { g_array_index (pairs, guint, i), g_array_index (pairs, guint, i + 1) };
      g_autoptr(PopplerDocument) written = NULL;
      Part *p;

      g_array_append_val (parts, part);
      p = &g_array_index (parts, Part, parts->len - 1);

      p->pdf = _cr_document_write_pages (document, p->first, p->last, cancellable, error);
      if (p->pdf == NULL)
        return FALSE;
      p->sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, p->pdf);
      written = _cr_document_open_pdf (p->pdf, NULL, error);
      if (written == NULL)
        return FALSE;
      p->n_pages = poppler_document_get_n_pages (written);
      p->text = _cr_document_extract_text (written, NULL, NULL, cancellable, error);
      if (p->text == NULL)
        return FALSE;
    }

  /* Write them all, or nothing. */
  locker = _cr_store_lock (store);
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  if (!_cr_store_begin (store, error))
    return FALSE;
  if (!load_state (store, id, &again, error) || !check_current (&again, error))
    goto fail;

  ids = g_ptr_array_new_with_free_func (g_free);
  now = _cr_store_now ();
  detail = g_string_new ("split into documents");
  for (guint i = 0; i < parts->len; i++)
    {
      Part *p = &g_array_index (parts, Part, i);
      g_autofree char *pages = dup_pages_label (p->first, p->last);
      g_autofree char *title = NULL;
      g_autofree char *file_name = NULL;
      g_autofree char *part_detail = NULL;
      const char *base_title = again.title ? again.title : (again.file_name ? again.file_name : "");
      NewDocument doc = { 0 };
      gint64 part_id;

      title = g_strdup_printf (p->first == p->last ? "%s (page %u)" : "%s (pages %u–%u)",
                               base_title, p->first + 1, p->last + 1);
      if (again.file_name != NULL)
        {
          g_autofree char *stem = dup_title_from_path (again.file_name);
          file_name = g_strdup_printf ("%s-p%s.pdf", stem, pages);
        }

      doc.patient_id = again.patient_id;
      doc.visit_id = again.visit_id;
      doc.category = again.category;
      doc.title = title;
      doc.service_date = again.service_date;
      doc.file_name = file_name;
      doc.mime_type = "application/pdf";
      doc.sha256 = p->sha256;
      doc.byte_size = g_bytes_get_size (p->pdf);
      doc.n_pages = p->n_pages;
      doc.pdf = p->pdf;
      doc.text = p->text;
      doc.split_from = id;
      doc.split_pages = pages;
      part_id = insert_document (store, &doc, error);
      if (part_id == 0)
        goto fail;

      /* The parts turn as their pages did. */
      for (guint page = p->first; page <= p->last; page++)
        {
          int rotation = g_array_index (rotations, int, page);

          if (rotation == 0)
            continue;
          stmt = _cr_store_prepare (store,
                                    "INSERT INTO document_pages"
                                    " (document_id, page, rotation, updated_at, updated_by)"
                                    " VALUES (?1, ?2, ?3, ?4, ?5)",
                                    error);
          if (stmt == NULL)
            goto fail;
          sqlite3_bind_int64 (stmt, 1, part_id);
          sqlite3_bind_int64 (stmt, 2, page - p->first);
          sqlite3_bind_int (stmt, 3, rotation);
          _cr_bind_text (stmt, 4, now);
          _cr_bind_text (stmt, 5, cr_store_get_user (store));
          if (!_cr_store_step_done (store, stmt, error))
            goto fail;
        }

      part_detail = g_strdup_printf ("split from document %" G_GINT64_FORMAT ", pages %s",
                                     id, pages);
      if (!audit_document (store, CR_AUDIT_CREATE, again.patient_id, part_id, part_detail, error))
        goto fail;
      g_string_append_printf (detail, "%s %" G_GINT64_FORMAT " (pages %s)",
                              i > 0 ? "," : "", part_id, pages);
      g_ptr_array_add (ids, g_memdup2 (&part_id, sizeof part_id));
    }

  stmt = _cr_store_prepare (store,
                            "UPDATE documents SET replaced = 1, updated_at = ?2, updated_by = ?3"
                            " WHERE id = ?1",
                            error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, id);
  _cr_bind_text (stmt, 2, now);
  _cr_bind_text (stmt, 3, cr_store_get_user (store));
  if (!_cr_store_step_done (store, stmt, error))
    goto fail;
  if (!audit_document (store, CR_AUDIT_CHANGE, again.patient_id, id, detail->str, error))
    goto fail;
  if (!_cr_store_commit (store, error))
    return FALSE;

  if (new_ids != NULL)
    *new_ids = g_steal_pointer (&ids);
  return TRUE;

fail:
  _cr_store_rollback (store);
  return FALSE;
}
