/* cr-store.h: the encrypted practice database
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "cr-key.h"
#include "cr-types.h"

G_BEGIN_DECLS

#define CR_STORE_ERROR (cr_store_error_quark ())
#define CR_TYPE_STORE (cr_store_get_type ())

/**
 * CrStoreError:
 * @CR_STORE_ERROR_NOT_FOUND: no file at the path, or no such record
 * @CR_STORE_ERROR_WRONG_KEY: the key does not open the database
 * @CR_STORE_ERROR_NOT_DATABASE: the file is no database (or a plain SQLite one)
 * @CR_STORE_ERROR_NOT_CHARTROOM: an encrypted database, but not a practice
 * @CR_STORE_ERROR_CORRUPT: the database is damaged or truncated
 * @CR_STORE_ERROR_NEWER_VERSION: written by a newer Chartroom
 * @CR_STORE_ERROR_UNREADABLE: the location cannot be read
 * @CR_STORE_ERROR_UNWRITABLE: the location cannot be written
 * @CR_STORE_ERROR_DISK_FULL: no space left; the change was rolled back
 * @CR_STORE_ERROR_NO_CIPHER: the SQLite library linked has no encryption
 * @CR_STORE_ERROR_EXISTS: creating over an existing file
 * @CR_STORE_ERROR_DUPLICATE: a unique value (record number…) is taken
 * @CR_STORE_ERROR_INVALID: a value was refused
 * @CR_STORE_ERROR_SIGNED: the record is signed and cannot change
 * @CR_STORE_ERROR_BUSY: another program holds the database
 * @CR_STORE_ERROR_FAILED: anything else
 */
typedef enum
{
  CR_STORE_ERROR_NOT_FOUND,
  CR_STORE_ERROR_WRONG_KEY,
  CR_STORE_ERROR_NOT_DATABASE,
  CR_STORE_ERROR_NOT_CHARTROOM,
  CR_STORE_ERROR_CORRUPT,
  CR_STORE_ERROR_NEWER_VERSION,
  CR_STORE_ERROR_UNREADABLE,
  CR_STORE_ERROR_UNWRITABLE,
  CR_STORE_ERROR_DISK_FULL,
  CR_STORE_ERROR_NO_CIPHER,
  CR_STORE_ERROR_EXISTS,
  CR_STORE_ERROR_DUPLICATE,
  CR_STORE_ERROR_INVALID,
  CR_STORE_ERROR_SIGNED,
  CR_STORE_ERROR_BUSY,
  CR_STORE_ERROR_FAILED,
} CrStoreError;

G_DECLARE_FINAL_TYPE (CrStore, cr_store, CR, STORE, GObject)

GQuark      cr_store_error_quark           (void);

CrStore    *cr_store_create                (const char    *path,
                                            const CrKey   *key,
                                            const char    *practice_name,
                                            GError       **error);
CrStore    *cr_store_open                  (const char    *path,
                                            const CrKey   *key,
                                            GError       **error);
void        cr_store_open_async            (const char          *path,
                                            const CrKey         *key,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
CrStore    *cr_store_open_finish           (GAsyncResult  *result,
                                            GError       **error);
char       *cr_store_read_database_id      (const char    *path,
                                            GError       **error);
char       *cr_store_get_default_path      (void);

const char *cr_store_get_path              (CrStore       *self);
const char *cr_store_get_database_id       (CrStore       *self);
int         cr_store_get_schema_version    (CrStore       *self);
char       *cr_store_dup_practice_name     (CrStore       *self);
gboolean    cr_store_set_practice_name     (CrStore       *self,
                                            const char    *name,
                                            GError       **error);
const char *cr_store_get_user              (CrStore       *self);
void        cr_store_set_user              (CrStore       *self,
                                            const char    *user);
char       *cr_store_dup_cipher_version    (CrStore       *self);
void        cr_store_close                 (CrStore       *self);

int         cr_schema_get_current_version  (void);

G_END_DECLS
