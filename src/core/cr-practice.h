/* cr-practice.h: a practice's lifecycle: where its key lives, creation,
 * passphrase protection and the demo practice
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "cr-key.h"
#include "cr-store.h"

G_BEGIN_DECLS

#define CR_PRACTICE_ERROR (cr_practice_error_quark ())

/* Shorter passphrases are refused: Argon2 slows guessing, it cannot make a
 * short passphrase strong. */
#define CR_PRACTICE_MIN_PASSPHRASE_LENGTH 10

/* Patients in the demo practice, and its fixed seed. */
#define CR_PRACTICE_DEMO_PATIENTS 300
#define CR_PRACTICE_DEMO_SEED 1

typedef enum
{
  CR_PRACTICE_ERROR_NAME_EMPTY,          /* the practice needs a name */
  CR_PRACTICE_ERROR_NAME_TOO_LONG,
  CR_PRACTICE_ERROR_PATH_INVALID,        /* not an absolute file path */
  CR_PRACTICE_ERROR_EXISTS,              /* a file is in the way */
  CR_PRACTICE_ERROR_PASSPHRASE_SHORT,
  CR_PRACTICE_ERROR_PASSPHRASE_MISMATCH,
} CrPracticeError;

typedef enum
{
  CR_PASSPHRASE_STRENGTH_TOO_SHORT,
  CR_PASSPHRASE_STRENGTH_WEAK,
  CR_PASSPHRASE_STRENGTH_FAIR,
  CR_PASSPHRASE_STRENGTH_STRONG,
} CrPassphraseStrength;

GQuark                cr_practice_error_quark            (void);

char                 *cr_practice_get_passphrase_path    (const char  *database_path);
gboolean              cr_practice_has_passphrase         (const char  *database_path);
char                 *cr_practice_get_demo_path          (void);
char                 *cr_practice_get_demo_key_path      (const char  *demo_path);

gboolean              cr_practice_check_name             (const char  *name,
                                                          GError     **error);
gboolean              cr_practice_check_new_path         (const char  *path,
                                                          GError     **error);
gboolean              cr_practice_check_passphrase       (const char  *passphrase,
                                                          const char  *repeat,
                                                          GError     **error);
CrPassphraseStrength  cr_practice_passphrase_strength    (const char  *passphrase);

void                  cr_practice_create_async           (const char          *path,
                                                          const char          *name,
                                                          const CrKey         *key,
                                                          GCancellable        *cancellable,
                                                          GAsyncReadyCallback  callback,
                                                          gpointer             user_data);
CrStore              *cr_practice_create_finish          (GAsyncResult        *result,
                                                          GError             **error);
void                  cr_practice_discard                (const char          *path);

void                  cr_practice_wrap_key_async         (const char          *database_path,
                                                          const CrKey         *key,
                                                          const char          *passphrase,
                                                          GCancellable        *cancellable,
                                                          GAsyncReadyCallback  callback,
                                                          gpointer             user_data);
gboolean              cr_practice_wrap_key_finish        (GAsyncResult        *result,
                                                          GError             **error);
void                  cr_practice_unwrap_key_async       (const char          *database_path,
                                                          const char          *passphrase,
                                                          GCancellable        *cancellable,
                                                          GAsyncReadyCallback  callback,
                                                          gpointer             user_data);
CrKey                *cr_practice_unwrap_key_finish      (GAsyncResult        *result,
                                                          GError             **error);

void                  cr_practice_open_demo_async        (const char          *demo_path,
                                                          CrProgressFunc       progress,
                                                          gpointer             progress_data,
                                                          GDestroyNotify       progress_notify,
                                                          GCancellable        *cancellable,
                                                          GAsyncReadyCallback  callback,
                                                          gpointer             user_data);
CrStore              *cr_practice_open_demo_finish       (GAsyncResult        *result,
                                                          GError             **error);

G_END_DECLS
