/* cr-practice.c: a practice's lifecycle: where its key lives, creation,
 * passphrase protection and the demo practice
 *
 * The application decides what to show; this file does the work that must
 * not run on the main loop (creating the database, Argon2 for a passphrase,
 * filling the demo practice) and holds the rules (names, paths, passphrase
 * length) so that they can be tested without a display.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cr-practice"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <math.h>
#include <sodium.h>
#include <string.h>
#include <unistd.h>

#include "cr-demo.h"
#include "cr-drugs.h"
#include "cr-codes.h"
#include "cr-practice.h"
#include "cr-store-private.h"

G_DEFINE_QUARK (cr-practice-error-quark, cr_practice_error)

#define MAX_NAME_LENGTH 200
#define DEMO_COMPLETE_META "demo-complete"

/* A passphrase is wiped when it is no longer needed. */
static void
secret_free (char *secret)
{
  if (secret != NULL)
    {
      sodium_memzero (secret, strlen (secret));
      g_free (secret);
    }
}

/**
 * cr_practice_get_passphrase_path:
 * @database_path: a practice database
 *
 * Where the key, wrapped under a passphrase, lives for a practice on a
 * machine with no keyring: beside the database, so both move together.
 *
 * Returns: (transfer full): `<database>.key`
 */
char *
cr_practice_get_passphrase_path (const char *database_path)
{
  g_return_val_if_fail (database_path != NULL, NULL);
  return g_strconcat (database_path, ".key", NULL);
}

/**
 * cr_practice_has_passphrase:
 *
 * Returns: whether the practice is unlocked with a passphrase rather than
 *   from the keyring
 */
gboolean
cr_practice_has_passphrase (const char *database_path)
{
  g_autofree char *sidecar = NULL;

  g_return_val_if_fail (database_path != NULL, FALSE);

  sidecar = cr_practice_get_passphrase_path (database_path);
  return g_file_test (sidecar, G_FILE_TEST_IS_REGULAR);
}

/**
 * cr_practice_get_demo_path:
 *
 * Returns: (transfer full): `$XDG_DATA_HOME/chartroom/demo/demo.chartroom`
 */
char *
cr_practice_get_demo_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "chartroom", "demo", "demo.chartroom", NULL);
}

/**
 * cr_practice_get_demo_key_path:
 *
 * A demo holds no real patients, so its key may live in a file (mode 0600)
 * beside it, and a demo never touches the keyring.
 *
 * Returns: (transfer full): `demo.key` beside @demo_path
 */
char *
cr_practice_get_demo_key_path (const char *demo_path)
{
  g_autofree char *dir = NULL;

  g_return_val_if_fail (demo_path != NULL, NULL);

  dir = g_path_get_dirname (demo_path);
  return g_build_filename (dir, "demo.key", NULL);
}

/**
 * cr_practice_check_name:
 *
 * Returns: whether @name will do as a practice's name; otherwise
 *   %CR_PRACTICE_ERROR_NAME_EMPTY or %CR_PRACTICE_ERROR_NAME_TOO_LONG
 */
gboolean
cr_practice_check_name (const char  *name,
                        GError     **error)
{
  g_autofree char *stripped = g_strstrip (g_strdup (name ? name : ""));

  if (*stripped == '\0')
    {
      g_set_error_literal (error, CR_PRACTICE_ERROR, CR_PRACTICE_ERROR_NAME_EMPTY,
                           "The practice needs a name");
      return FALSE;
    }
  if (g_utf8_strlen (stripped, -1) > MAX_NAME_LENGTH)
    {
      g_set_error (error, CR_PRACTICE_ERROR, CR_PRACTICE_ERROR_NAME_TOO_LONG,
                   "A practice name has at most %d characters", MAX_NAME_LENGTH);
      return FALSE;
    }
  return TRUE;
}

/**
 * cr_practice_check_new_path:
 *
 * Returns: whether a new practice can be created at @path: an absolute
 *   path to a file that does not exist yet (nor its passphrase file)
 */
gboolean
cr_practice_check_new_path (const char  *path,
                            GError     **error)
{
  g_autofree char *sidecar = NULL;
  g_autofree char *base = NULL;

  if (path == NULL || *path == '\0' || !g_path_is_absolute (path) ||
      g_str_has_suffix (path, G_DIR_SEPARATOR_S))
    {
      g_set_error_literal (error, CR_PRACTICE_ERROR, CR_PRACTICE_ERROR_PATH_INVALID,
                           "Choose where to keep the practice database");
      return FALSE;
    }

  base = g_path_get_basename (path);
  if (g_strcmp0 (base, ".") == 0 || g_strcmp0 (base, "..") == 0 ||
      g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, CR_PRACTICE_ERROR, CR_PRACTICE_ERROR_PATH_INVALID,
                   "“%s” is a folder; choose a file name", path);
      return FALSE;
    }

  sidecar = cr_practice_get_passphrase_path (path);
  if (g_file_test (path, G_FILE_TEST_EXISTS) || g_file_test (sidecar, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, CR_PRACTICE_ERROR, CR_PRACTICE_ERROR_EXISTS,
                   "“%s” already exists", path);
      return FALSE;
    }

  return TRUE;
}

/**
 * cr_practice_check_passphrase:
 * @repeat: (nullable): the passphrase typed again, or %NULL not to compare
 */
gboolean
cr_practice_check_passphrase (const char  *passphrase,
                              const char  *repeat,
                              GError     **error)
{
  if (passphrase == NULL ||
      g_utf8_strlen (passphrase, -1) < CR_PRACTICE_MIN_PASSPHRASE_LENGTH)
    {
      g_set_error (error, CR_PRACTICE_ERROR, CR_PRACTICE_ERROR_PASSPHRASE_SHORT,
                   "A passphrase has at least %d characters",
                   CR_PRACTICE_MIN_PASSPHRASE_LENGTH);
      return FALSE;
    }
  if (repeat != NULL && strcmp (passphrase, repeat) != 0)
    {
      g_set_error_literal (error, CR_PRACTICE_ERROR, CR_PRACTICE_ERROR_PASSPHRASE_MISMATCH,
                           "The passphrases differ");
      return FALSE;
    }
  return TRUE;
}

/**
 * cr_practice_passphrase_strength:
 *
 * A rough hint for the person choosing a passphrase, not a guarantee: it
 * estimates the bits of a random string from its length and the kinds of
 * characters it uses, and discounts repetition.
 */
CrPassphraseStrength
cr_practice_passphrase_strength (const char *passphrase)
{
  gboolean lower = FALSE, upper = FALSE, digit = FALSE, other = FALSE;
  g_autoptr(GHashTable) seen = NULL;
  glong len;
  guint pool = 0;
  guint n_words = 0;
  gboolean in_word = FALSE;
  double bits;

  if (passphrase == NULL)
    return CR_PASSPHRASE_STRENGTH_TOO_SHORT;

  len = g_utf8_strlen (passphrase, -1);
  if (len < CR_PRACTICE_MIN_PASSPHRASE_LENGTH)
    return CR_PASSPHRASE_STRENGTH_TOO_SHORT;

  seen = g_hash_table_new (NULL, NULL);
  for (const char *p = passphrase; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      g_hash_table_add (seen, GUINT_TO_POINTER (c));
      if (g_unichar_islower (c))
        lower = TRUE;
      else if (g_unichar_isupper (c))
        upper = TRUE;
      else if (g_unichar_isdigit (c))
        digit = TRUE;
      else
        other = TRUE;

      if (g_unichar_isspace (c))
        in_word = FALSE;
      else if (!in_word)
        {
          in_word = TRUE;
          n_words++;
        }
    }

  pool = (lower ? 26 : 0) + (upper ? 26 : 0) + (digit ? 10 : 0) + (other ? 33 : 0);
  bits = (double) len * log2 (MAX (pool, 2));

  /* "aaaaaaaaaaaa" or "abababababab" are long but guessable. */
  if (g_hash_table_size (seen) < (guint) MIN (len / 2, 8))
    return CR_PASSPHRASE_STRENGTH_WEAK;

  /* Several words make a good passphrase even in lower case. */
  if (n_words >= 4 && len >= 20)
    return CR_PASSPHRASE_STRENGTH_STRONG;
  if (bits >= 80)
    return CR_PASSPHRASE_STRENGTH_STRONG;
  if (bits >= 56)
    return CR_PASSPHRASE_STRENGTH_FAIR;
  return CR_PASSPHRASE_STRENGTH_WEAK;
}

/* ---- creating a practice ------------------------------------------------- */

typedef struct
{
  char  *path;
  char  *name;
  char  *passphrase;
  CrKey *key;
} WorkData;

static void
work_data_free (WorkData *data)
{
  g_free (data->path);
  g_free (data->name);
  secret_free (data->passphrase);
  cr_key_free (data->key);
  g_free (data);
}

static void
create_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  WorkData *data = task_data;
  GError *error = NULL;
  CrStore *store;

  store = cr_store_create (data->path, data->key, data->name, &error);
  if (store == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, store, g_object_unref);
}

/**
 * cr_practice_create_async:
 * @path: where the database goes (see cr_practice_check_new_path())
 * @name: the practice's name
 * @key: the new practice's key (copied)
 *
 * Creates the practice database off the main loop. Storing the key
 * (keyring or passphrase) is the caller's next step.
 */
void
cr_practice_create_async (const char          *path,
                          const char          *name,
                          const CrKey         *key,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  WorkData *data;

  g_return_if_fail (path != NULL);
  g_return_if_fail (name != NULL);
  g_return_if_fail (key != NULL);

  data = g_new0 (WorkData, 1);
  data->path = g_strdup (path);
  data->name = g_strstrip (g_strdup (name));
  data->key = cr_key_copy (key);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, cr_practice_create_async);
  g_task_set_task_data (task, data, (GDestroyNotify) work_data_free);
  g_task_run_in_thread (task, create_thread);
}

/**
 * cr_practice_create_finish:
 *
 * Returns: (transfer full) (nullable): the new, open practice
 */
CrStore *
cr_practice_create_finish (GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * cr_practice_discard:
 *
 * Removes a practice that was just created and whose key could not be kept
 * (the person cancelled before choosing a passphrase): without its key the
 * file is useless. Never call it on a practice in use.
 */
void
cr_practice_discard (const char *path)
{
  g_autofree char *wal = NULL;
  g_autofree char *shm = NULL;
  g_autofree char *sidecar = NULL;

  g_return_if_fail (path != NULL);

  wal = g_strconcat (path, "-wal", NULL);
  shm = g_strconcat (path, "-shm", NULL);
  sidecar = cr_practice_get_passphrase_path (path);
  g_unlink (path);
  g_unlink (wal);
  g_unlink (shm);
  g_unlink (sidecar);
}

/* ---- passphrase ---------------------------------------------------------- */

static void
wrap_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  WorkData *data = task_data;
  g_autofree char *sidecar = cr_practice_get_passphrase_path (data->path);
  GError *error = NULL;

  if (!cr_key_write_wrapped (data->key, data->passphrase, sidecar, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * cr_practice_wrap_key_async:
 *
 * Writes @key, wrapped under @passphrase, to the practice's passphrase file
 * (cr_practice_get_passphrase_path()). Argon2 takes about half a second, so
 * this runs in a thread.
 */
void
cr_practice_wrap_key_async (const char          *database_path,
                            const CrKey         *key,
                            const char          *passphrase,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  WorkData *data;

  g_return_if_fail (database_path != NULL);
  g_return_if_fail (key != NULL);
  g_return_if_fail (passphrase != NULL);

  data = g_new0 (WorkData, 1);
  data->path = g_strdup (database_path);
  data->key = cr_key_copy (key);
  data->passphrase = g_strdup (passphrase);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, cr_practice_wrap_key_async);
  g_task_set_task_data (task, data, (GDestroyNotify) work_data_free);
  g_task_run_in_thread (task, wrap_thread);
}

gboolean
cr_practice_wrap_key_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
unwrap_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  WorkData *data = task_data;
  g_autofree char *sidecar = cr_practice_get_passphrase_path (data->path);
  GError *error = NULL;
  CrKey *key;

  key = cr_key_read_wrapped (sidecar, data->passphrase, &error);
  if (key == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, key, (GDestroyNotify) cr_key_free);
}

/**
 * cr_practice_unwrap_key_async:
 *
 * Reads the practice's key from its passphrase file, in a thread.
 * A wrong passphrase fails with %CR_KEY_ERROR_WRONG_PASSPHRASE.
 */
void
cr_practice_unwrap_key_async (const char          *database_path,
                              const char          *passphrase,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  WorkData *data;

  g_return_if_fail (database_path != NULL);
  g_return_if_fail (passphrase != NULL);

  data = g_new0 (WorkData, 1);
  data->path = g_strdup (database_path);
  data->passphrase = g_strdup (passphrase);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, cr_practice_unwrap_key_async);
  g_task_set_task_data (task, data, (GDestroyNotify) work_data_free);
  g_task_run_in_thread (task, unwrap_thread);
}

/**
 * cr_practice_unwrap_key_finish:
 *
 * Returns: (transfer full) (nullable): the key
 */
CrKey *
cr_practice_unwrap_key_finish (GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- the demo practice --------------------------------------------------- */

typedef struct
{
  char           *path;
  GMainContext   *context;   /* where progress is reported */
  CrProgressFunc  progress;
  gpointer        progress_data;
  GDestroyNotify  progress_notify;
  GMutex          mutex;
  double          fraction;
  gboolean        report_pending;
} DemoData;

static void
demo_data_free (DemoData *data)
{
  if (data->progress_notify != NULL)
    data->progress_notify (data->progress_data);
  g_main_context_unref (data->context);
  g_mutex_clear (&data->mutex);
  g_free (data->path);
  g_free (data);
}

static gboolean
demo_report_progress (gpointer user_data)
{
  GTask *task = user_data;
  DemoData *data = g_task_get_task_data (task);
  double fraction;

  g_mutex_lock (&data->mutex);
  fraction = data->fraction;
  data->report_pending = FALSE;
  g_mutex_unlock (&data->mutex);

  if (data->progress != NULL && !g_task_had_error (task))
    data->progress (fraction, data->progress_data);
  return G_SOURCE_REMOVE;
}

/* On the worker thread: at most one report waits on the main context, so a
 * fast generator cannot flood it. */
static void
demo_progress (double   fraction,
               gpointer user_data)
{
  GTask *task = user_data;
  DemoData *data = g_task_get_task_data (task);
  gboolean schedule;

  g_mutex_lock (&data->mutex);
  data->fraction = fraction;
  schedule = !data->report_pending;
  data->report_pending = TRUE;
  g_mutex_unlock (&data->mutex);

  if (schedule)
    {
      g_autoptr(GSource) source = g_idle_source_new ();

      g_source_set_priority (source, G_PRIORITY_DEFAULT);
      g_source_set_callback (source, demo_report_progress, g_object_ref (task), g_object_unref);
      g_source_set_static_name (source, "[chartroom] demo progress");
      g_source_attach (source, data->context);
    }
}

static gboolean
write_new_key_file (const char   *path,
                    const CrKey  *key,
                    GError      **error)
{
  char *hex = cr_key_to_hex (key);
  gsize len = strlen (hex);
  gboolean ok;
  int fd;

  fd = g_open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved = errno;
      cr_key_free_string (hex);
      g_set_error (error, CR_KEY_ERROR, CR_KEY_ERROR_FILE,
                   "Cannot create the key file “%s”: %s", path, g_strerror (saved));
      return FALSE;
    }
  ok = write (fd, hex, len) == (ssize_t) len && write (fd, "\n", 1) == 1;
  ok = fsync (fd) == 0 && ok;
  close (fd);
  cr_key_free_string (hex);
  if (!ok)
    {
      g_unlink (path);
      g_set_error (error, CR_KEY_ERROR, CR_KEY_ERROR_FILE,
                   "Cannot write the key file “%s”", path);
    }
  return ok;
}

static CrStore *
open_existing_demo (const char  *path,
                    const char  *key_path,
                    GError     **error)
{
  g_autoptr(CrKey) key = NULL;
  g_autoptr(CrStore) store = NULL;
  g_autofree char *complete = NULL;

  key = cr_key_new_from_key_file (key_path, error);
  if (key == NULL)
    return NULL;
  store = cr_store_open (path, key, error);
  if (store == NULL)
    return NULL;

  /* A demo whose generation was interrupted is made again from scratch. */
  complete = _cr_store_dup_meta (store, DEMO_COMPLETE_META);
  if (g_strcmp0 (complete, "1") != 0)
    {
      cr_store_close (store);
      return NULL;
    }
  return g_steal_pointer (&store);
}

/* The demo is more useful with code sets to pick from. build-aux/run names
 * the CMS and FDA files it finds beside the source tree; anyone else may
 * set the variables too. Missing or bad files only leave the demo without
 * that code set. */
static void
demo_import_code_sets (CrStore      *store,
                       GCancellable *cancellable)
{
  const char *icd10cm = g_getenv ("CHARTROOM_DEMO_ICD10CM");
  const char *drugs = g_getenv ("CHARTROOM_DEMO_DRUGS");
  g_autoptr(GError) error = NULL;
  guint n_billable = 0, n_headers = 0, n_drugs = 0;

  if (icd10cm != NULL && g_file_test (icd10cm, G_FILE_TEST_IS_REGULAR) &&
      cr_store_count_codes (store, CR_CODE_SYSTEM_ICD10CM, &n_billable, &n_headers, NULL) &&
      n_billable + n_headers == 0 &&
      !cr_store_import_codes (store, icd10cm, NULL, NULL, NULL, cancellable, NULL, &error))
    {
      g_debug ("The demo practice has no ICD-10-CM code set: %s", error->message);
      g_clear_error (&error);
    }

  if (drugs != NULL && g_file_test (drugs, G_FILE_TEST_IS_REGULAR) &&
      cr_store_count_drugs (store, &n_drugs, NULL, NULL) && n_drugs == 0 &&
      !cr_store_import_drugs (store, drugs, NULL, NULL, cancellable, NULL, &error))
    g_debug ("The demo practice has no drug list: %s", error->message);
}

static void
demo_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  DemoData *data = task_data;
  g_autofree char *dir = g_path_get_dirname (data->path);
  g_autofree char *key_path = cr_practice_get_demo_key_path (data->path);
  g_autoptr(GError) error = NULL;
  g_autoptr(CrKey) key = NULL;
  g_autoptr(CrStore) store = NULL;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;
      g_task_return_new_error (task, CR_STORE_ERROR, CR_STORE_ERROR_UNWRITABLE,
                               "Cannot create the folder “%s”: %s", dir, g_strerror (saved));
      return;
    }

  if (g_file_test (data->path, G_FILE_TEST_EXISTS) && g_file_test (key_path, G_FILE_TEST_EXISTS))
    {
      store = open_existing_demo (data->path, key_path, &error);
      if (store != NULL)
        {
          demo_import_code_sets (store, cancellable);
          g_task_return_pointer (task, g_steal_pointer (&store), g_object_unref);
          return;
        }
      if (error != NULL)
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
    }

  /* First use, or an unfinished demo: start afresh. */
  cr_practice_discard (data->path);
  g_unlink (key_path);

  key = cr_key_new_random (&error);
  if (key == NULL || !write_new_key_file (key_path, key, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  store = cr_store_create (data->path, key, "Demo Practice", &error);
  if (store == NULL)
    {
      g_unlink (key_path);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  cr_store_set_user (store, "demo");

  if (!cr_store_generate_demo (store, CR_PRACTICE_DEMO_PATIENTS, CR_PRACTICE_DEMO_SEED,
                               demo_progress, task, cancellable, &error))
    {
      cr_store_close (store);
      cr_practice_discard (data->path);
      g_unlink (key_path);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (!_cr_store_set_meta (store, DEMO_COMPLETE_META, "1", &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  demo_import_code_sets (store, cancellable);

  g_task_return_pointer (task, g_steal_pointer (&store), g_object_unref);
}

/**
 * cr_practice_open_demo_async:
 * @demo_path: usually cr_practice_get_demo_path()
 * @progress: (nullable): called with the fraction done while the demo is
 *   filled, on the thread-default main context of the caller
 * @progress_notify: frees @progress_data when the work is done
 *
 * Opens the demo practice, creating it and filling it with synthetic
 * patients on first use. Its key lives in a file beside it.
 */
void
cr_practice_open_demo_async (const char          *demo_path,
                             CrProgressFunc       progress,
                             gpointer             progress_data,
                             GDestroyNotify       progress_notify,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  DemoData *data;

  g_return_if_fail (demo_path != NULL);

  data = g_new0 (DemoData, 1);
  data->path = g_strdup (demo_path);
  data->context = g_main_context_ref_thread_default ();
  data->progress = progress;
  data->progress_data = progress_data;
  data->progress_notify = progress_notify;
  g_mutex_init (&data->mutex);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, cr_practice_open_demo_async);
  g_task_set_task_data (task, data, (GDestroyNotify) demo_data_free);
  g_task_run_in_thread (task, demo_thread);
}

/**
 * cr_practice_open_demo_finish:
 *
 * Returns: (transfer full) (nullable): the demo practice, open
 */
CrStore *
cr_practice_open_demo_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
