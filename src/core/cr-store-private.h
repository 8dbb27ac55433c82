/* cr-store-private.h: what the core's modules share about the store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <sqlcipher/sqlite3.h>

#include "cr-store.h"

G_BEGIN_DECLS

/* 'ChRt': lets us tell a practice from another encrypted database. */
#define CR_APPLICATION_ID 0x43685274
#define CR_PAGE_SIZE 4096

typedef struct
{
  CrStore   *store; /* not a reference: the caller holds one */
  GRecMutex *mutex;
} CrStoreLocker;

/* Every use of the connection holds the store's lock: the app queries from
 * worker threads as well as the main loop. */
CrStoreLocker *_cr_store_lock            (CrStore        *self);
void           _cr_store_unlock          (CrStoreLocker  *locker);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrStoreLocker, _cr_store_unlock)

sqlite3       *_cr_store_get_db          (CrStore        *self);
/* A cached prepared statement, reset and with bindings cleared. */
sqlite3_stmt  *_cr_store_prepare         (CrStore        *self,
                                          const char     *sql,
                                          GError        **error);
gboolean       _cr_store_exec            (CrStore        *self,
                                          const char     *sql,
                                          GError        **error);
gboolean       _cr_store_begin           (CrStore        *self,
                                          GError        **error);
gboolean       _cr_store_commit          (CrStore        *self,
                                          GError        **error);
void           _cr_store_rollback        (CrStore        *self);
/* Steps a statement that returns no rows and resets it; on failure the
 * error is taken before the reset, while SQLite still has its message. */
gboolean       _cr_store_step_done       (CrStore        *self,
                                          sqlite3_stmt   *stmt,
                                          GError        **error);
gboolean       _cr_store_set_error       (CrStore        *self,
                                          int             rc,
                                          GError        **error);
void           _cr_set_sqlite_error      (sqlite3        *db,
                                          int             rc,
                                          GError        **error);
char          *_cr_store_now             (void);
/* On a bare connection (before a store wraps it). */
gboolean       _cr_db_exec               (sqlite3        *db,
                                          const char     *sql,
                                          GError        **error);
gboolean       _cr_db_query_int          (sqlite3        *db,
                                          const char     *sql,
                                          gint64         *out,
                                          GError        **error);
char          *_cr_store_dup_meta        (CrStore        *self,
                                          const char     *key);
gboolean       _cr_store_set_meta        (CrStore        *self,
                                          const char     *key,
                                          const char     *value,
                                          GError        **error);
void           _cr_bind_text             (sqlite3_stmt   *stmt,
                                          int             idx,
                                          const char     *text);
const char    *_cr_column_text           (sqlite3_stmt   *stmt,
                                          int             idx);

/* cr-store.c, for cr-store-plain.c */
CrStore       *_cr_store_new_for_connection (sqlite3    *db,
                                             const char *path,
                                             int         schema_version);
/* cr-store-plain.c. BENCHMARK ONLY: opens an unencrypted copy made by
 * cr_store_export_plain_copy() with the same SQLCipher library and no key,
 * to measure what encryption costs. Never for patient work: cr_store_open()
 * refuses plain databases, and nothing else may call this. */
CrStore       *_cr_store_open_plain_for_benchmark (const char  *path,
                                                   GError     **error);

/* cr-schema.c */
gboolean       _cr_schema_migrate        (sqlite3        *db,
                                          int             target,
                                          GError        **error);
/* For tests: create a database at an earlier schema version. */
CrStore       *_cr_store_create_at_version (const char   *path,
                                            const CrKey  *key,
                                            int           version,
                                            GError      **error);

G_END_DECLS
