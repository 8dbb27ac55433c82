/* cr-store-plain.c: an unencrypted copy of a practice, for the benchmark only
 *
 * The performance budget says how much encryption may cost ("within 1.3x of
 * the same query on an unencrypted copy"). Measuring that needs the same
 * data, the same schema and the same SQLite engine without the cipher: this
 * file makes such a copy and opens it. Nothing in the application calls it;
 * the benchmark does, on a synthetic practice, at a user's explicit request.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cr-store-plain"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

#include "cr-audit.h"
#include "cr-store-plain.h"
#include "cr-store-private.h"

/* Creates @path empty and private (0600) before SQLite writes to it, and
 * refuses to replace anything. */
static gboolean
create_private_file (const char  *path,
                     GError     **error)
{
  int fd = g_open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);

  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, CR_STORE_ERROR,
                   saved == EEXIST ? CR_STORE_ERROR_EXISTS : CR_STORE_ERROR_UNWRITABLE,
                   "Cannot create “%s”: %s", path, g_strerror (saved));
      return FALSE;
    }
  g_close (fd, NULL);
  return TRUE;
}

static void
remove_plain_files (const char *path)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);
  g_autofree char *journal = g_strconcat (path, "-journal", NULL);

  g_unlink (path);
  g_unlink (wal);
  g_unlink (shm);
  g_unlink (journal);
}

/**
 * cr_store_export_plain_copy:
 * @store: an open practice
 * @path: where the copy goes; must not exist
 *
 * BENCHMARK ONLY. Writes an UNENCRYPTED copy of the whole practice with
 * SQLCipher's own sqlcipher_export(), so that the benchmark can run the same
 * queries with and without the cipher on one engine. The copy holds every
 * record in plain text: call this only on a synthetic practice and only on
 * a user's explicit action; the export is written to the audit trail.
 * cr_store_open() refuses the copy; the benchmark opens it with
 * _cr_store_open_plain_for_benchmark().
 *
 * Returns: %TRUE if the copy was written
 */
gboolean
cr_store_export_plain_copy (CrStore     *store,
                            const char  *path,
                            GError     **error)
{
  g_autoptr(CrStoreLocker) locker = NULL;
  g_autofree char *version_sql = NULL;
  sqlite3_stmt *stmt = NULL;
  gboolean attached = FALSE;
  sqlite3 *db;
  int rc;

  g_return_val_if_fail (CR_IS_STORE (store), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  locker = _cr_store_lock (store);
  db = _cr_store_get_db (store);
  if (db == NULL)
    {
      g_set_error_literal (error, CR_STORE_ERROR, CR_STORE_ERROR_FAILED,
                           "The practice database is closed");
      return FALSE;
    }

  if (!create_private_file (path, error))
    return FALSE;

  /* KEY '' attaches without encryption; the path is bound, never pasted. */
  rc = sqlite3_prepare_v2 (db, "ATTACH DATABASE ?1 AS cr_plain KEY ''", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_text (stmt, 1, path, -1, SQLITE_TRANSIENT);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_DONE)
        rc = SQLITE_OK;
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_OK)
    {
      _cr_set_sqlite_error (db, rc, error);
      goto fail;
    }
  attached = TRUE;

  version_sql = g_strdup_printf ("PRAGMA cr_plain.user_version = %d;"
                                 "PRAGMA cr_plain.application_id = %d;",
                                 cr_store_get_schema_version (store), CR_APPLICATION_ID);
  /* Same page size as the practice, so that only the cipher differs. */
  if (!_cr_db_exec (db, "PRAGMA cr_plain.page_size = 4096;", error) ||
      !_cr_db_exec (db, "SELECT sqlcipher_export ('cr_plain');", error) ||
      !_cr_db_exec (db, version_sql, error) ||
      !_cr_db_exec (db, "DETACH DATABASE cr_plain;", error))
    goto fail;
  attached = FALSE;

  if (!_cr_store_begin (store, error))
    goto fail;
  if (!cr_store_audit (store, CR_AUDIT_EXPORT, 0, "practice",
                       "unencrypted copy for the benchmark", error) ||
      !_cr_store_commit (store, error))
    {
      _cr_store_rollback (store);
      goto fail;
    }

  return TRUE;

fail:
  if (attached)
    sqlite3_exec (db, "DETACH DATABASE cr_plain", NULL, NULL, NULL);
  remove_plain_files (path);
  return FALSE;
}

/* See cr-store-private.h: benchmark only. */
CrStore *
_cr_store_open_plain_for_benchmark (const char  *path,
                                    GError     **error)
{
  char header[16];
  sqlite3_stmt *stmt = NULL;
  gboolean has_cipher = FALSE;
  sqlite3 *db = NULL;
  gint64 value = 0;
  size_t len;
  FILE *fp;
  int rc;

  g_return_val_if_fail (path != NULL, NULL);

  /* Only a plain SQLite file: this must never become a way to open a
   * practice, or anything else, without its key. */
  fp = g_fopen (path, "rbe");
  if (fp == NULL)
    {
      int saved = errno;

      g_set_error (error, CR_STORE_ERROR,
                   saved == ENOENT ? CR_STORE_ERROR_NOT_FOUND : CR_STORE_ERROR_UNREADABLE,
                   "Cannot open “%s”: %s", path, g_strerror (saved));
      return NULL;
    }
  len = fread (header, 1, sizeof header, fp);
  fclose (fp);
  if (len != sizeof header || memcmp (header, "SQLite format 3", sizeof header) != 0)
    {
      g_set_error (error, CR_STORE_ERROR, CR_STORE_ERROR_NOT_DATABASE,
                   "“%s” is not an unencrypted benchmark copy", path);
      return NULL;
    }

  rc = sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX, NULL);
  if (rc != SQLITE_OK)
    {
      _cr_set_sqlite_error (db, rc, error);
      sqlite3_close (db);
      return NULL;
    }

  /* The same SQLCipher library, only without a key. */
  if (sqlite3_prepare_v2 (db, "PRAGMA cipher_version", -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_text (stmt, 0) != NULL)
    has_cipher = TRUE;
  sqlite3_finalize (stmt);
  if (!has_cipher)
    {
      g_set_error_literal (error, CR_STORE_ERROR, CR_STORE_ERROR_NO_CIPHER,
                           "The SQLite library in use is not SQLCipher: the comparison "
                           "would not measure the same engine");
      goto fail;
    }

  if (!_cr_db_query_int (db, "PRAGMA application_id", &value, error))
    goto fail;
  if (value != CR_APPLICATION_ID)
    {
      g_set_error (error, CR_STORE_ERROR, CR_STORE_ERROR_NOT_CHARTROOM,
                   "“%s” is not a copy of a Chartroom practice", path);
      goto fail;
    }
  if (!_cr_db_query_int (db, "PRAGMA user_version", &value, error))
    goto fail;
  if (value != cr_schema_get_current_version ())
    {
      g_set_error (error, CR_STORE_ERROR, CR_STORE_ERROR_NEWER_VERSION,
                   "“%s” has schema version %d, not %d", path, (int) value,
                   cr_schema_get_current_version ());
      goto fail;
    }

  /* As cr-store.c configures the practice's connection. */
  if (!_cr_db_exec (db,
                 "PRAGMA journal_mode = WAL;"
                 "PRAGMA synchronous = FULL;"
                 "PRAGMA foreign_keys = ON;"
                 "PRAGMA temp_store = MEMORY;"
                 "PRAGMA cache_size = -65536;"
                 "PRAGMA busy_timeout = 5000;",
                 error))
    goto fail;

  return _cr_store_new_for_connection (db, path, (int) value);

fail:
  sqlite3_close (db);
  return NULL;
}
