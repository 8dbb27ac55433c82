/* cr-key.h: a practice database key held in locked, wiped memory
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define CR_KEY_SIZE 32
#define CR_KEY_ERROR (cr_key_error_quark ())
#define CR_TYPE_KEY (cr_key_get_type ())

typedef enum
{
  CR_KEY_ERROR_INVALID,          /* not 64 hex digits / not a recovery key */
  CR_KEY_ERROR_RANDOM,           /* the OS gave no randomness */
  CR_KEY_ERROR_WRONG_PASSPHRASE, /* the passphrase does not unwrap the key */
  CR_KEY_ERROR_FILE,             /* key file or wrapped-key file unusable */
  CR_KEY_ERROR_INSECURE_FILE,    /* key file readable by others */
} CrKeyError;

typedef struct _CrKey CrKey;

GQuark   cr_key_error_quark        (void);
GType    cr_key_get_type           (void) G_GNUC_CONST;

CrKey   *cr_key_new_random         (GError      **error);
CrKey   *cr_key_new_from_bytes     (const guint8 *data,
                                    gsize         len);
CrKey   *cr_key_new_from_hex       (const char   *text,
                                    GError      **error);
CrKey   *cr_key_new_from_key_file  (const char   *path,
                                    GError      **error);
CrKey   *cr_key_copy               (const CrKey  *key);
void     cr_key_free               (CrKey        *key);
const guint8 *cr_key_get_data      (const CrKey  *key);
gboolean cr_key_equal              (const CrKey  *a,
                                    const CrKey  *b);

/* Lower-case hex, 64 characters: free with cr_key_free_string(). */
char    *cr_key_to_hex             (const CrKey  *key);
/* The recovery key: 16 groups of 4 hex digits separated by spaces/newlines. */
char    *cr_key_to_recovery_string (const CrKey  *key);
void     cr_key_free_string        (char         *secret);

/* Passphrase mode: the key wrapped with Argon2id + XSalsa20-Poly1305. */
gboolean cr_key_write_wrapped      (const CrKey  *key,
                                    const char   *passphrase,
                                    const char   *path,
                                    GError      **error);
CrKey   *cr_key_read_wrapped       (const char   *path,
                                    const char   *passphrase,
                                    GError      **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrKey, cr_key_free)

G_END_DECLS
