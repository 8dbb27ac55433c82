/* cr-store.c: the encrypted practice database
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cr-store"

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "cr-store-private.h"

struct _CrStore
{
  GObject     parent_instance;

  GRecMutex   mutex;
  sqlite3    *db;
  GHashTable *statements; /* sql → sqlite3_stmt */
  char       *path;
  char       *database_id;
  char       *user;
  int         schema_version;
};

enum {
  PROP_0,
  PROP_PATH,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_QUARK (cr-store-error-quark, cr_store_error)
G_DEFINE_FINAL_TYPE (CrStore, cr_store, G_TYPE_OBJECT)

static void
cr_store_finalize (GObject *object)
{
  CrStore *self = (CrStore *)object;

  cr_store_close (self);
  g_clear_pointer (&self->statements, g_hash_table_unref);
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->database_id, g_free);
  g_clear_pointer (&self->user, g_free);
  g_rec_mutex_clear (&self->mutex);

  G_OBJECT_CLASS (cr_store_parent_class)->finalize (object);
}

static void
cr_store_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  CrStore *self = CR_STORE (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cr_store_class_init (CrStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cr_store_finalize;
  object_class->get_property = cr_store_get_property;

  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cr_store_init (CrStore *self)
{
  g_rec_mutex_init (&self->mutex);
  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            (GDestroyNotify) sqlite3_finalize);
  self->user = g_strdup (g_get_user_name ());
}

/* ---- errors ---------------------------------------------------------- */

void
_cr_set_sqlite_error (sqlite3  *db,
                      int       rc,
                      GError  **error)
{
  const char *msg = db ? sqlite3_errmsg (db) : sqlite3_errstr (rc);
  int code;

  switch (rc & 0xff)
    {
    case SQLITE_FULL:
      g_set_error (error, CR_STORE_ERROR, CR_STORE_ERROR_DISK_FULL,
                   "The disk is full; nothing was changed (%s)", msg);
      return;
    case SQLITE_READONLY:
      code = CR_STORE_ERROR_UNWRITABLE;
      msg = "the practice database cannot be written (read-only file or location)";
      break;
    case SQLITE_CANTOPEN:
      code = CR_STORE_ERROR_UNREADABLE;
      break;
    case SQLITE_PERM:
    case SQLITE_AUTH:
      code = CR_STORE_ERROR_UNREADABLE;
      break;
    case SQLITE_CORRUPT:
      code = CR_STORE_ERROR_CORRUPT;
      msg = "the practice database is damaged";
      break;
    case SQLITE_NOTADB:
      code = CR_STORE_ERROR_WRONG_KEY;
      break;
    case SQLITE_CONSTRAINT:
      code = (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY)
               ? CR_STORE_ERROR_DUPLICATE : CR_STORE_ERROR_INVALID;
      break;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      code = CR_STORE_ERROR_BUSY;
      msg = "the practice database is in use by another program";
      break;
    default:
      code = CR_STORE_ERROR_FAILED;
      break;
    }

  g_set_error (error, CR_STORE_ERROR, code, "Database error: %s", msg);
}

gboolean
_cr_store_set_error (CrStore  *self,
                     int       rc,
                     GError  **error)
{
  _cr_set_sqlite_error (self->db, rc, error);
  return FALSE;
}

/* ---- locking and statements ------------------------------------------ */

CrStoreLocker *
_cr_store_lock (CrStore *self)
{
  CrStoreLocker *locker = g_new (CrStoreLocker, 1);

  locker->store = self;
  locker->mutex = &self->mutex;
  g_rec_mutex_lock (locker->mutex);
  return locker;
}

void
_cr_store_unlock (CrStoreLocker *locker)
{
  g_rec_mutex_unlock (locker->mutex);
  g_free (locker);
}

sqlite3 *
_cr_store_get_db (CrStore *self)
{
  return self->db;
}

sqlite3_stmt *
_cr_store_prepare (CrStore     *self,
                   const char  *sql,
                   GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  if (self->db == NULL)
    {
      g_set_error_literal (error, CR_STORE_ERROR, CR_STORE_ERROR_FAILED,
                           "The practice database is closed");
      return NULL;
    }

  stmt = g_hash_table_lookup (self->statements, sql);
  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }

  rc = sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      _cr_store_set_error (self, rc, error);
      return NULL;
    }

  g_hash_table_insert (self->statements, g_strdup (sql), stmt);
  return stmt;
}

gboolean
_cr_store_exec (CrStore     *self,
                const char  *sql,
                GError     **error)
{
  int rc = sqlite3_exec (self->db, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    return _cr_store_set_error (self, rc, error);
  return TRUE;
}

gboolean
_cr_store_begin (CrStore  *self,
                 GError  **error)
{
  return _cr_store_exec (self, "BEGIN IMMEDIATE", error);
}

gboolean
_cr_store_commit (CrStore  *self,
                  GError  **error)
{
  int rc = sqlite3_exec (self->db, "COMMIT", NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    {
      _cr_store_set_error (self, rc, error);
      _cr_store_rollback (self);
      return FALSE;
    }
  return TRUE;
}

void
_cr_store_rollback (CrStore *self)
{
  if (self->db != NULL && !sqlite3_get_autocommit (self->db))
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
}

gboolean
_cr_store_step_done (CrStore       *self,
                     sqlite3_stmt  *stmt,
                     GError       **error)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_DONE)
    {
      _cr_store_set_error (self, rc, error);
      sqlite3_reset (stmt);
      return FALSE;
    }
  sqlite3_reset (stmt);
  return TRUE;
}

void
_cr_bind_text (sqlite3_stmt *stmt,
               int           idx,
               const char   *text)
{
  if (text == NULL)
    sqlite3_bind_null (stmt, idx);
  else
    sqlite3_bind_text (stmt, idx, text, -1, SQLITE_TRANSIENT);
}

const char *
_cr_column_text (sqlite3_stmt *stmt,
                 int           idx)
{
  return (const char *) sqlite3_column_text (stmt, idx);
}

char *
_cr_store_now (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  return g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
}

char *
_cr_store_dup_meta (CrStore    *self,
                    const char *key)
{
  g_autoptr(CrStoreLocker) locker = _cr_store_lock (self);
  sqlite3_stmt *stmt;
  char *value = NULL;

  stmt = _cr_store_prepare (self, "SELECT value FROM meta WHERE key = ?", NULL);
  if (stmt == NULL)
    return NULL;
  _cr_bind_text (stmt, 1, key);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = g_strdup (_cr_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return value;
}

gboolean
_cr_store_set_meta (CrStore     *self,
                    const char  *key,
                    const char  *value,
                    GError     **error)
{
  g_autoptr(CrStoreLocker) locker = _cr_store_lock (self);
  sqlite3_stmt *stmt;
  int rc;

  stmt = _cr_store_prepare (self, "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  _cr_bind_text (stmt, 1, key);
  _cr_bind_text (stmt, 2, value);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _cr_store_set_error (self, rc, error);
  return TRUE;
}

/* ---- opening ----------------------------------------------------------- */

gboolean
_cr_db_exec (sqlite3     *db,
         const char  *sql,
         GError     **error)
{
  int rc = sqlite3_exec (db, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    {
      _cr_set_sqlite_error (db, rc, error);
      return FALSE;
    }
  return TRUE;
}

gboolean
_cr_db_query_int (sqlite3     *db,
           const char  *sql,
           gint64      *out,
           GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          *out = sqlite3_column_int64 (stmt, 0);
          rc = SQLITE_OK;
        }
      else if (rc == SQLITE_DONE)
        {
          *out = 0;
          rc = SQLITE_OK;
        }
    }
  if (rc != SQLITE_OK)
    _cr_set_sqlite_error (db, rc, error);
  sqlite3_finalize (stmt);
  return rc == SQLITE_OK;
}

static char *
query_text (sqlite3    *db,
            const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  char *ret = NULL;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW &&
      sqlite3_column_text (stmt, 0) != NULL)
    ret = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return ret;
}

static gboolean
apply_key (sqlite3      *db,
           const CrKey  *key,
           GError      **error)
{
  g_autofree char *version = NULL;
  char *hex;
  char *raw;
  int rc;

  /* Refuse to run on a library without encryption: with plain SQLite linked
   * in, PRAGMA key would silently do nothing. */
  version = query_text (db, "PRAGMA cipher_version");
  if (version == NULL || *version == '\0')
    {
      g_set_error_literal (error, CR_STORE_ERROR, CR_STORE_ERROR_NO_CIPHER,
                           "The SQLite library in use has no encryption (SQLCipher); "
                           "refusing to open patient records without it");
      return FALSE;
    }

  /* A raw key, x'…', so no key derivation runs on every open. */
  hex = cr_key_to_hex (key);
  raw = g_malloc0 (CR_KEY_SIZE * 2 + 4);
  raw[0] = 'x';
  raw[1] = '\'';
  memcpy (raw + 2, hex, CR_KEY_SIZE * 2);
  raw[CR_KEY_SIZE * 2 + 2] = '\'';
  rc = sqlite3_key (db, raw, CR_KEY_SIZE * 2 + 3);
  memset (raw, 0, CR_KEY_SIZE * 2 + 4);
  g_free (raw);
  cr_key_free_string (hex);

  if (rc != SQLITE_OK)
    {
      _cr_set_sqlite_error (db, rc, error);
      return FALSE;
    }

  /* Explicit cipher settings: SQLCipher 3.4 defaults to 1 KiB pages (over 2x
   * slower) and SQLCipher 4 changed every default. */
  return _cr_db_exec (db,
                  "PRAGMA cipher_page_size = 4096;"
                  "PRAGMA kdf_iter = 64000;"
                  "PRAGMA cipher_use_hmac = ON;",
                  error);
}

static gboolean
configure_connection (sqlite3  *db,
                      GError  **error)
{
  /* temp_store = MEMORY: sorts and temporary tables never reach the disk. */
  return _cr_db_exec (db,
                  "PRAGMA journal_mode = WAL;"
                  "PRAGMA synchronous = FULL;"
                  "PRAGMA foreign_keys = ON;"
                  "PRAGMA temp_store = MEMORY;"
                  "PRAGMA cache_size = -65536;"
                  "PRAGMA busy_timeout = 5000;",
                  error);
}

/**
 * cr_store_read_database_id:
 * @path: a practice database
 *
 * The database id names the practice's key in the keyring. It is the
 * random salt SQLCipher writes in the clear at the start of the file, so it
 * can be read before the key is known and follows the file when it moves.
 *
 * Returns: (transfer full) (nullable): 32 hex digits
 */
char *
cr_store_read_database_id (const char  *path,
                           GError     **error)
{
  guint8 salt[16];
  g_autofree char *hex = NULL;
  FILE *fp;
  size_t n;

  g_return_val_if_fail (path != NULL, NULL);

  fp = fopen (path, "rbe");
  if (fp == NULL)
    {
      int saved = errno;
      g_set_error (error, CR_STORE_ERROR,
                   saved == ENOENT ? CR_STORE_ERROR_NOT_FOUND : CR_STORE_ERROR_UNREADABLE,
                   "Cannot open “%s”: %s", path, g_strerror (saved));
      return NULL;
    }
  n = fread (salt, 1, sizeof salt, fp);
  fclose (fp);

  if (n != sizeof salt)
    {
      g_set_error (error, CR_STORE_ERROR, CR_STORE_ERROR_NOT_DATABASE,
                   "“%s” is not a Chartroom practice (the file is empty or too short)", path);
      return NULL;
    }

  if (memcmp (salt, "SQLite format 3", 16) == 0)
    {
      g_set_error (error, CR_STORE_ERROR, CR_STORE_ERROR_NOT_DATABASE,
                   "“%s” is an unencrypted SQLite database, not a Chartroom practice", path);
      return NULL;
    }

  hex = g_malloc0 (sizeof salt * 2 + 1);
  for (guint i = 0; i < sizeof salt; i++)
    g_snprintf (hex + 2 * i, 3, "%02x", salt[i]);

  return g_steal_pointer (&hex);
}

/**
 * cr_store_get_default_path:
 *
 * Returns: (transfer full): where a new practice goes unless the user
 *   chooses: the user's data directory.
 */
char *
cr_store_get_default_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "chartroom", "practice.chartroom", NULL);
}

static CrStore *
cr_store_new_for_db (sqlite3    *db,
                     const char *path)
{
  CrStore *self = g_object_new (CR_TYPE_STORE, NULL);

  self->db = db;
  self->path = g_strdup (path);
  self->database_id = cr_store_read_database_id (path, NULL);
  return self;
}

/* For cr-store-plain.c: a store around a connection already configured;
 * takes the connection over. */
CrStore *
_cr_store_new_for_connection (sqlite3    *db,
                              const char *path,
                              int         schema_version)
{
  CrStore *self = cr_store_new_for_db (db, path);

  self->schema_version = schema_version;
  return self;
}

static gboolean
check_location (const char  *path,
                gboolean     creating,
                GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);

  if (creating)
    {
      if (g_mkdir_with_parents (dir, 0700) != 0)
        {
          int saved = errno;
          g_set_error (error, CR_STORE_ERROR, CR_STORE_ERROR_UNWRITABLE,
                       "Cannot create the folder “%s”: %s", dir, g_strerror (saved));
          return FALSE;
        }
    }

  /* WAL mode keeps two files beside the database: the folder must be
   * writable as well as the file. */
  if (g_access (dir, W_OK | X_OK) != 0)
    {
      int saved = errno;
      g_set_error (error, CR_STORE_ERROR, CR_STORE_ERROR_UNWRITABLE,
                   "The folder “%s” cannot be written: %s", dir, g_strerror (saved));
      return FALSE;
    }

  if (!creating)
    {
      if (g_access (path, R_OK) != 0)
        {
          int saved = errno;
          g_set_error (error, CR_STORE_ERROR, CR_STORE_ERROR_UNREADABLE,
                       "Cannot read “%s”: %s", path, g_strerror (saved));
          return FALSE;
        }
      if (g_access (path, W_OK) != 0)
        {
          int saved = errno;
          g_set_error (error, CR_STORE_ERROR, CR_STORE_ERROR_UNWRITABLE,
                       "“%s” cannot be written: %s", path, g_strerror (saved));
          return FALSE;
        }
    }

  return TRUE;
}

static void
remove_database_files (const char *path)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);

  g_unlink (path);
  g_unlink (wal);
  g_unlink (shm);
}

CrStore *
_cr_store_create_at_version (const char   *path,
                             const CrKey  *key,
                             int           version,
                             GError      **error)
{
  sqlite3 *db = NULL;
  GStatBuf st;
  int rc;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (key != NULL, NULL);

  if (g_stat (path, &st) == 0 && st.st_size > 0)
    {
      g_set_error (error, CR_STORE_ERROR, CR_STORE_ERROR_EXISTS,
                   "“%s” already exists; choose another name", path);
      return NULL;
    }

  if (!check_location (path, TRUE, error))
    return NULL;

  rc = sqlite3_open_v2 (path, &db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                        NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, CR_STORE_ERROR, CR_STORE_ERROR_UNWRITABLE,
                   "Cannot create “%s”: %s", path, sqlite3_errstr (rc));
      sqlite3_close (db);
      return NULL;
    }

  g_chmod (path, 0600);

  if (!apply_key (db, key, error) ||
      !_cr_db_exec (db, "PRAGMA application_id = 1130910324;", error) || /* CR_APPLICATION_ID */
      !configure_connection (db, error) ||
      !_cr_schema_migrate (db, version, error))
    {
      sqlite3_close (db);
      remove_database_files (path);
      return NULL;
    }

  return cr_store_new_for_db (db, path);
}

/**
 * cr_store_create:
 * @path: where the practice database goes; must not exist
 * @key: the new practice's key
 * @practice_name: shown on top of printouts
 *
 * Returns: (transfer full) (nullable): the open store
 */
CrStore *
cr_store_create (const char   *path,
                 const CrKey  *key,
                 const char   *practice_name,
                 GError      **error)
{
  g_autoptr(CrStore) self = NULL;
  g_autofree char *now = _cr_store_now ();

  g_return_val_if_fail (practice_name != NULL, NULL);

  self = _cr_store_create_at_version (path, key, cr_schema_get_current_version (), error);
  if (self == NULL)
    return NULL;

  if (!cr_store_set_practice_name (self, practice_name, error) ||
      !_cr_store_set_meta (self, "created-at", now, error))
    {
      cr_store_close (self);
      remove_database_files (path);
      return NULL;
    }

  g_free (self->database_id);
  self->database_id = cr_store_read_database_id (path, NULL);
  self->schema_version = cr_schema_get_current_version ();

  return g_steal_pointer (&self);
}

/**
 * cr_store_open:
 * @path: a practice database
 * @key: its key
 *
 * Opens the practice, checking first that encryption is really in use and
 * then that the key and the file fit; brings an older schema up to date in
 * one transaction.
 *
 * Returns: (transfer full) (nullable): the open store
 */
CrStore *
cr_store_open (const char   *path,
               const CrKey  *key,
               GError      **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *wal = NULL;
  CrStore *self;
  sqlite3 *db = NULL;
  GStatBuf st;
  gint64 value = 0;
  gint64 page_count = 0;
  int rc;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (key != NULL, NULL);

  if (g_stat (path, &st) != 0)
    {
      int saved = errno;
      g_set_error (error, CR_STORE_ERROR,
                   saved == ENOENT ? CR_STORE_ERROR_NOT_FOUND : CR_STORE_ERROR_UNREADABLE,
                   "Cannot open “%s”: %s", path, g_strerror (saved));
      return NULL;
    }

  if (!S_ISREG (st.st_mode))
    {
      g_set_error (error, CR_STORE_ERROR, CR_STORE_ERROR_NOT_DATABASE,
                   "“%s” is not a file", path);
      return NULL;
    }

  if (!check_location (path, FALSE, error))
    return NULL;

  /* Reads the plain-text header: tells an empty file or plain SQLite. */
  id = cr_store_read_database_id (path, error);
  if (id == NULL)
    return NULL;

  rc = sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX, NULL);
  if (rc != SQLITE_OK)
    {
      _cr_set_sqlite_error (db, rc, error);
      sqlite3_close (db);
      return NULL;
    }

  if (!apply_key (db, key, error))
    goto fail;

  /* The first read decrypts page 1: a wrong key or a foreign file fails here,
   * before anything is written. */
  if (!_cr_db_query_int (db, "SELECT count(*) FROM sqlite_master", &value, &local_error))
    {
      if (g_error_matches (local_error, CR_STORE_ERROR, CR_STORE_ERROR_WRONG_KEY))
        {
          if (st.st_size % CR_PAGE_SIZE != 0)
            g_set_error (error, CR_STORE_ERROR, CR_STORE_ERROR_NOT_DATABASE,
                         "“%s” is not a Chartroom practice, or it is truncated", path);
          else
            g_set_error (error, CR_STORE_ERROR, CR_STORE_ERROR_WRONG_KEY,
                         "The key does not open “%s” (wrong key, or not a Chartroom practice)",
                         path);
        }
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      goto fail;
    }

  if (!_cr_db_query_int (db, "PRAGMA application_id", &value, error))
    goto fail;
  if (value != CR_APPLICATION_ID)
    {
      g_set_error (error, CR_STORE_ERROR, CR_STORE_ERROR_NOT_CHARTROOM,
                   "“%s” is an encrypted database, but not a Chartroom practice", path);
      goto fail;
    }

  /* A file cut short: the header counts more pages than the file holds and
   * no write-ahead log can supply them. */
  wal = g_strconcat (path, "-wal", NULL);
  if (!_cr_db_query_int (db, "PRAGMA page_count", &page_count, error))
    goto fail;
  if (page_count * CR_PAGE_SIZE > st.st_size && !g_file_test (wal, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, CR_STORE_ERROR, CR_STORE_ERROR_CORRUPT,
                   "“%s” is truncated: it holds %" G_GINT64_FORMAT " of its %" G_GINT64_FORMAT
                   " pages", path, (gint64) (st.st_size / CR_PAGE_SIZE), page_count);
      goto fail;
    }
  if (st.st_size % CR_PAGE_SIZE != 0)
    {
      g_set_error (error, CR_STORE_ERROR, CR_STORE_ERROR_CORRUPT,
                   "“%s” is damaged: its size is not a whole number of pages", path);
      goto fail;
    }

  if (!_cr_db_query_int (db, "PRAGMA user_version", &value, error))
    goto fail;
  if (value > cr_schema_get_current_version ())
    {
      g_set_error (error, CR_STORE_ERROR, CR_STORE_ERROR_NEWER_VERSION,
                   "“%s” was written by a newer version of Chartroom (schema %d; "
                   "this version knows up to %d). Update Chartroom to open it.",
                   path, (int) value, cr_schema_get_current_version ());
      goto fail;
    }

  if (!configure_connection (db, error))
    goto fail;

  if (value < cr_schema_get_current_version () &&
      !_cr_schema_migrate (db, cr_schema_get_current_version (), error))
    goto fail;

  self = cr_store_new_for_db (db, path);
  self->schema_version = cr_schema_get_current_version ();
  return self;

fail:
  sqlite3_close (db);
  return NULL;
}

typedef struct
{
  char  *path;
  CrKey *key;
} OpenData;

static void
open_data_free (OpenData *data)
{
  g_free (data->path);
  cr_key_free (data->key);
  g_free (data);
}

static void
open_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  OpenData *data = task_data;
  GError *error = NULL;
  CrStore *store = cr_store_open (data->path, data->key, &error);

  if (store == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, store, g_object_unref);
}

/**
 * cr_store_open_async:
 *
 * Opens off the main loop: a migration of a large practice takes a while.
 */
void
cr_store_open_async (const char          *path,
                     const CrKey         *key,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  OpenData *data;

  g_return_if_fail (path != NULL);
  g_return_if_fail (key != NULL);

  data = g_new0 (OpenData, 1);
  data->path = g_strdup (path);
  data->key = cr_key_copy (key);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, cr_store_open_async);
  g_task_set_task_data (task, data, (GDestroyNotify) open_data_free);
  g_task_run_in_thread (task, open_thread);
}

CrStore *
cr_store_open_finish (GAsyncResult  *result,
                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
cr_store_close (CrStore *self)
{
  g_autoptr(CrStoreLocker) locker = NULL;

  g_return_if_fail (CR_IS_STORE (self));

  locker = _cr_store_lock (self);
  if (self->db == NULL)
    return;

  g_hash_table_remove_all (self->statements);
  /* Last connection: SQLite checkpoints the WAL into the file and removes it. */
  sqlite3_close_v2 (self->db);
  self->db = NULL;
}

const char *
cr_store_get_path (CrStore *self)
{
  g_return_val_if_fail (CR_IS_STORE (self), NULL);
  return self->path;
}

const char *
cr_store_get_database_id (CrStore *self)
{
  g_return_val_if_fail (CR_IS_STORE (self), NULL);
  return self->database_id;
}

int
cr_store_get_schema_version (CrStore *self)
{
  g_return_val_if_fail (CR_IS_STORE (self), 0);
  return self->schema_version;
}

char *
cr_store_dup_practice_name (CrStore *self)
{
  g_return_val_if_fail (CR_IS_STORE (self), NULL);
  return _cr_store_dup_meta (self, "practice-name");
}

gboolean
cr_store_set_practice_name (CrStore     *self,
                            const char  *name,
                            GError     **error)
{
  g_autofree char *stripped = NULL;

  g_return_val_if_fail (CR_IS_STORE (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  if (!g_utf8_validate (name, -1, NULL))
    {
      g_set_error_literal (error, CR_STORE_ERROR, CR_STORE_ERROR_INVALID,
                           "The practice name is not valid text");
      return FALSE;
    }
  stripped = g_strstrip (g_strdup (name));
  if (*stripped == '\0' || g_utf8_strlen (stripped, -1) > 200)
    {
      g_set_error_literal (error, CR_STORE_ERROR, CR_STORE_ERROR_INVALID,
                           "The practice name must have 1 to 200 characters");
      return FALSE;
    }

  return _cr_store_set_meta (self, "practice-name", stripped, error);
}

const char *
cr_store_get_user (CrStore *self)
{
  g_return_val_if_fail (CR_IS_STORE (self), NULL);
  return self->user;
}

void
cr_store_set_user (CrStore    *self,
                   const char *user)
{
  g_return_if_fail (CR_IS_STORE (self));
  g_return_if_fail (user != NULL);

  g_free (self->user);
  self->user = g_strdup (user);
}

char *
cr_store_dup_cipher_version (CrStore *self)
{
  g_autoptr(CrStoreLocker) locker = NULL;

  g_return_val_if_fail (CR_IS_STORE (self), NULL);

  locker = _cr_store_lock (self);
  return self->db ? query_text (self->db, "PRAGMA cipher_version") : NULL;
}
