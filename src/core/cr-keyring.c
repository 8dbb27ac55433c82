/* cr-keyring.c: practice keys in the desktop keyring (Secret Service)
 *
 * Every call is asynchronous and bounded by a timeout: when the keyring is
 * locked and no prompt can be shown, libsecret would otherwise wait forever.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cr-keyring"

#include "config.h"

#include <libsecret/secret.h>
#include <string.h>

#include "cr-keyring.h"

G_DEFINE_QUARK (cr-keyring-error-quark, cr_keyring_error)

static const SecretSchema *
get_schema (void)
{
  static const SecretSchema schema = {
    "io.github.chartroom.Chartroom.PracticeKey", SECRET_SCHEMA_NONE,
    {
      { "database-id", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };
  return &schema;
}

typedef enum { OP_STORE, OP_LOOKUP, OP_CLEAR } Op;

typedef struct
{
  Op            op;
  GCancellable *cancellable;   /* ours: cancelled by the timeout or the caller's */
  GCancellable *caller;
  gulong        caller_handler;
  GSource      *timeout;
  gboolean      timed_out;
} OpData;

static void
op_data_free (OpData *data)
{
  if (data->timeout != NULL)
    {
      g_source_destroy (data->timeout);
      g_source_unref (data->timeout);
    }
  if (data->caller_handler != 0)
    g_cancellable_disconnect (data->caller, data->caller_handler);
  g_clear_object (&data->caller);
  g_clear_object (&data->cancellable);
  g_free (data);
}

static gboolean
on_timeout (gpointer user_data)
{
  GTask *task = user_data;
  OpData *data = g_task_get_task_data (task);

  /* Answer now rather than trust the service to honour the cancellation:
   * the operation's own callback then finds the task answered and drops it. */
  data->timed_out = TRUE;
  g_task_return_new_error (task, CR_KEYRING_ERROR, CR_KEYRING_ERROR_TIMEOUT,
                           "The keyring did not answer in time (it may be locked)");
  g_cancellable_cancel (data->cancellable);
  return G_SOURCE_REMOVE;
}

static void
on_caller_cancelled (GCancellable *caller,
                     GCancellable *ours)
{
  g_cancellable_cancel (ours);
}

static GTask *
op_task_new (Op                   op,
             guint                timeout_ms,
             GCancellable        *cancellable,
             GAsyncReadyCallback  callback,
             gpointer             user_data,
             gpointer             source_tag)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  OpData *data = g_new0 (OpData, 1);

  data->op = op;
  data->cancellable = g_cancellable_new ();
  if (cancellable != NULL)
    {
      data->caller = g_object_ref (cancellable);
      data->caller_handler = g_cancellable_connect (cancellable,
                                                    G_CALLBACK (on_caller_cancelled),
                                                    g_object_ref (data->cancellable),
                                                    g_object_unref);
    }
  g_task_set_task_data (task, data, (GDestroyNotify) op_data_free);
  g_task_set_source_tag (task, source_tag);
  if (timeout_ms > 0)
    {
      /* On the caller's thread-default context, so the blocking forms'
       * private context sees it too. The source holds a weak pointer only:
       * the task drops the source when it finishes. */
      data->timeout = g_timeout_source_new (timeout_ms);
      g_source_set_callback (data->timeout, on_timeout, task, NULL);
      g_source_attach (data->timeout, g_main_context_get_thread_default ());
    }
  return task;
}

/* Maps libsecret's and D-Bus's errors to ours. */
static GError *
translate_error (OpData *data,
                 GError *error)
{
  GError *ret;

  if (data->timed_out)
    ret = g_error_new_literal (CR_KEYRING_ERROR, CR_KEYRING_ERROR_TIMEOUT,
                               "The keyring did not answer in time (it may be locked)");
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_error_copy (error);
  else if (error->domain == G_DBUS_ERROR ||
           g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND) ||
           g_error_matches (error, G_IO_ERROR, G_IO_ERROR_FAILED) ||
           error->domain == G_IO_ERROR)
    ret = g_error_new (CR_KEYRING_ERROR, CR_KEYRING_ERROR_UNAVAILABLE,
                       "No keyring (Secret Service) is available: %s", error->message);
  else
    ret = g_error_new (CR_KEYRING_ERROR, CR_KEYRING_ERROR_FAILED,
                       "The keyring failed: %s", error->message);
  return ret;
}

static void
on_store_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OpData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (data->timed_out)
    return;

  if (!secret_password_store_finish (result, &error))
    g_task_return_error (task, translate_error (data, error));
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * cr_keyring_store_async:
 * @database_id: the practice's database id (cr_store_get_database_id())
 * @label: what the keyring shows the user, e.g. "Chartroom practice key: …"
 *
 * Stores @key in the default collection, replacing any key for that id.
 */
void
cr_keyring_store_async (const char          *database_id,
                        const char          *label,
                        const CrKey         *key,
                        guint                timeout_ms,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  GTask *task;
  OpData *data;
  char *hex;

  g_return_if_fail (database_id != NULL);
  g_return_if_fail (key != NULL);

  task = op_task_new (OP_STORE, timeout_ms, cancellable, callback, user_data,
                      cr_keyring_store_async);
  data = g_task_get_task_data (task);

  hex = cr_key_to_hex (key);
  /* libsecret copies the secret into its own non-pageable memory. */
  secret_password_store (get_schema (), SECRET_COLLECTION_DEFAULT,
                         label ? label : "Chartroom practice key",
                         hex, data->cancellable, on_store_done, task,
                         "database-id", database_id,
                         NULL);
  cr_key_free_string (hex);
}

gboolean
cr_keyring_store_finish (GAsyncResult  *result,
                         GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
on_lookup_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OpData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  gchar *secret;
  CrKey *key;

  if (data->timed_out)
    return;

  secret = secret_password_lookup_finish (result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, translate_error (data, error));
      return;
    }
  if (secret == NULL)
    {
      g_task_return_new_error (task, CR_KEYRING_ERROR, CR_KEYRING_ERROR_NOT_FOUND,
                               "The keyring holds no key for this practice");
      return;
    }

  key = cr_key_new_from_hex (secret, &error);
  secret_password_free (secret); /* wipes */
  if (key == NULL)
    g_task_return_new_error (task, CR_KEYRING_ERROR, CR_KEYRING_ERROR_FAILED,
                             "The keyring’s entry for this practice is damaged");
  else
    g_task_return_pointer (task, key, (GDestroyNotify) cr_key_free);
}

void
cr_keyring_lookup_async (const char          *database_id,
                         guint                timeout_ms,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  GTask *task;
  OpData *data;

  g_return_if_fail (database_id != NULL);

  task = op_task_new (OP_LOOKUP, timeout_ms, cancellable, callback, user_data,
                      cr_keyring_lookup_async);
  data = g_task_get_task_data (task);
  secret_password_lookup (get_schema (), data->cancellable, on_lookup_done, task,
                          "database-id", database_id,
                          NULL);
}

/**
 * cr_keyring_lookup_finish:
 *
 * Returns: (transfer full) (nullable): the key, or %NULL with a
 *   #CrKeyringError saying whether the key is missing, the keyring is
 *   absent, or it did not answer in time
 */
CrKey *
cr_keyring_lookup_finish (GAsyncResult  *result,
                          GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
on_clear_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OpData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (data->timed_out)
    return;

  secret_password_clear_finish (result, &error);
  if (error != NULL)
    g_task_return_error (task, translate_error (data, error));
  else
    g_task_return_boolean (task, TRUE);
}

void
cr_keyring_clear_async (const char          *database_id,
                        guint                timeout_ms,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  GTask *task;
  OpData *data;

  g_return_if_fail (database_id != NULL);

  task = op_task_new (OP_CLEAR, timeout_ms, cancellable, callback, user_data,
                      cr_keyring_clear_async);
  data = g_task_get_task_data (task);
  secret_password_clear (get_schema (), data->cancellable, on_clear_done, task,
                         "database-id", database_id,
                         NULL);
}

gboolean
cr_keyring_clear_finish (GAsyncResult  *result,
                         GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- blocking forms ------------------------------------------------------- */

typedef struct
{
  GMainContext *context;
  GAsyncResult *result;
} SyncData;

static void
on_sync_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  SyncData *sync = user_data;

  sync->result = g_object_ref (result);
  g_main_context_wakeup (sync->context);
}

static GAsyncResult *
sync_wait (SyncData *sync)
{
  while (sync->result == NULL)
    g_main_context_iteration (sync->context, TRUE);
  g_main_context_pop_thread_default (sync->context);
  g_main_context_unref (sync->context);
  return sync->result;
}

static void
sync_init (SyncData *sync)
{
  sync->context = g_main_context_new ();
  sync->result = NULL;
  g_main_context_push_thread_default (sync->context);
}

gboolean
cr_keyring_store_sync (const char   *database_id,
                       const char   *label,
                       const CrKey  *key,
                       guint         timeout_ms,
                       GError      **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  SyncData sync;

  sync_init (&sync);
  cr_keyring_store_async (database_id, label, key, timeout_ms, NULL, on_sync_done, &sync);
  result = sync_wait (&sync);
  return cr_keyring_store_finish (result, error);
}

CrKey *
cr_keyring_lookup_sync (const char  *database_id,
                        guint        timeout_ms,
                        GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  SyncData sync;

  sync_init (&sync);
  cr_keyring_lookup_async (database_id, timeout_ms, NULL, on_sync_done, &sync);
  result = sync_wait (&sync);
  return cr_keyring_lookup_finish (result, error);
}

gboolean
cr_keyring_clear_sync (const char  *database_id,
                       guint        timeout_ms,
                       GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  SyncData sync;

  sync_init (&sync);
  cr_keyring_clear_async (database_id, timeout_ms, NULL, on_sync_done, &sync);
  result = sync_wait (&sync);
  return cr_keyring_clear_finish (result, error);
}
