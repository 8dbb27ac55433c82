/* cr-keyring.h: practice keys in the desktop keyring (Secret Service)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "cr-key.h"

G_BEGIN_DECLS

#define CR_KEYRING_ERROR (cr_keyring_error_quark ())

/* How long a look-up may take before we offer the recovery key: a locked
 * keyring with no visible display to prompt on would wait forever. */
#define CR_KEYRING_DEFAULT_TIMEOUT_MS 10000

typedef enum
{
  CR_KEYRING_ERROR_NOT_FOUND,   /* the keyring answered: no key for this practice */
  CR_KEYRING_ERROR_UNAVAILABLE, /* no Secret Service on this machine */
  CR_KEYRING_ERROR_TIMEOUT,     /* no answer in time (locked, no prompt) */
  CR_KEYRING_ERROR_FAILED,
} CrKeyringError;

GQuark   cr_keyring_error_quark    (void);

void     cr_keyring_store_async    (const char          *database_id,
                                    const char          *label,
                                    const CrKey         *key,
                                    guint                timeout_ms,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data);
gboolean cr_keyring_store_finish   (GAsyncResult        *result,
                                    GError             **error);
void     cr_keyring_lookup_async   (const char          *database_id,
                                    guint                timeout_ms,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data);
CrKey   *cr_keyring_lookup_finish  (GAsyncResult        *result,
                                    GError             **error);
void     cr_keyring_clear_async    (const char          *database_id,
                                    guint                timeout_ms,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data);
gboolean cr_keyring_clear_finish   (GAsyncResult        *result,
                                    GError             **error);

/* Blocking forms for the command-line tool (they run their own main context;
 * never call them from the application's main loop). */
gboolean cr_keyring_store_sync     (const char          *database_id,
                                    const char          *label,
                                    const CrKey         *key,
                                    guint                timeout_ms,
                                    GError             **error);
CrKey   *cr_keyring_lookup_sync    (const char          *database_id,
                                    guint                timeout_ms,
                                    GError             **error);
gboolean cr_keyring_clear_sync     (const char          *database_id,
                                    guint                timeout_ms,
                                    GError             **error);

G_END_DECLS
