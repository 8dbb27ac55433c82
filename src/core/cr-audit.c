/* cr-audit.c: the append-only, hash-chained audit trail
 *
 * Each entry's hash is SHA-256 over the previous entry's hash and the
 * entry's own fields, so editing, deleting or inserting an entry anywhere
 * breaks the chain from there on. The table's triggers refuse UPDATE and
 * DELETE; the chain catches whatever goes around them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cr-audit"

#include "config.h"

#include "cr-audit.h"
#include "cr-store-private.h"

#define GENESIS_HASH "0000000000000000000000000000000000000000000000000000000000000000"

struct _CrAuditEntry
{
  GObject  parent_instance;
  gint64   id;
  gint64   patient_id;
  char    *at;
  char    *user;
  char    *action;
  char    *record;
  char    *detail;
};

G_DEFINE_FINAL_TYPE (CrAuditEntry, cr_audit_entry, G_TYPE_OBJECT)

static void
cr_audit_entry_finalize (GObject *object)
{
  CrAuditEntry *self = (CrAuditEntry *)object;

  g_free (self->at);
  g_free (self->user);
  g_free (self->action);
  g_free (self->record);
  g_free (self->detail);

  G_OBJECT_CLASS (cr_audit_entry_parent_class)->finalize (object);
}

static void
cr_audit_entry_class_init (CrAuditEntryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cr_audit_entry_finalize;
}

static void
cr_audit_entry_init (CrAuditEntry *self)
{
}

gint64 cr_audit_entry_get_id (CrAuditEntry *self) { return self->id; }
const char *cr_audit_entry_get_at (CrAuditEntry *self) { return self->at; }
const char *cr_audit_entry_get_user (CrAuditEntry *self) { return self->user; }
const char *cr_audit_entry_get_action (CrAuditEntry *self) { return self->action; }
gint64 cr_audit_entry_get_patient_id (CrAuditEntry *self) { return self->patient_id; }
const char *cr_audit_entry_get_record (CrAuditEntry *self) { return self->record; }
const char *cr_audit_entry_get_detail (CrAuditEntry *self) { return self->detail; }

/* Fields are length-prefixed so that no two different entries hash the same
 * text ("ab"+"c" vs "a"+"bc"). */
static void
hash_field (GChecksum  *sum,
            const char *value)
{
  char len[24];

  if (value == NULL)
    {
      g_checksum_update (sum, (const guchar *) "-1:", 3);
      return;
    }
  g_snprintf (len, sizeof len, "%zu:", strlen (value));
  g_checksum_update (sum, (const guchar *) len, -1);
  g_checksum_update (sum, (const guchar *) value, -1);
}

static char *
entry_hash (const char *prev_hash,
            gint64      id,
            const char *at,
            const char *user,
            const char *action,
            gint64      patient_id,
            const char *record,
            const char *detail)
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  char num[32];

  hash_field (sum, prev_hash);
  g_snprintf (num, sizeof num, "%" G_GINT64_FORMAT, id);
  hash_field (sum, num);
  hash_field (sum, at);
  hash_field (sum, user);
  hash_field (sum, action);
  g_snprintf (num, sizeof num, "%" G_GINT64_FORMAT, patient_id);
  hash_field (sum, num);
  hash_field (sum, record);
  hash_field (sum, detail);
  return g_strdup (g_checksum_get_string (sum));
}

/**
 * cr_store_audit:
 * @action: one of the CR_AUDIT_* actions
 * @patient_id: the patient whose data this touches, or 0
 * @record: (nullable): what record, as "table:id"
 * @detail: (nullable): a short note; never a patient's name (the trail is
 *   inside the encrypted database, but keep it lean)
 *
 * Appends an entry. Call it inside the transaction of the change it records
 * so that both land or neither does.
 */
gboolean
cr_store_audit (CrStore     *store,
                const char  *action,
                gint64       patient_id,
                const char  *record,
                const char  *detail,
                GError     **error)
{
  g_autoptr(CrStoreLocker) locker = NULL;
  g_autofree char *prev = NULL;
  g_autofree char *at = _cr_store_now ();
  g_autofree char *hash = NULL;
  sqlite3_stmt *stmt;
  gint64 id = 1;
  int rc;

  g_return_val_if_fail (CR_IS_STORE (store), FALSE);
  g_return_val_if_fail (action != NULL, FALSE);

  locker = _cr_store_lock (store);

  stmt = _cr_store_prepare (store, "SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1", error);
  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      id = sqlite3_column_int64 (stmt, 0) + 1;
      prev = g_strdup (_cr_column_text (stmt, 1));
    }
  else if (rc != SQLITE_DONE)
    return _cr_store_set_error (store, rc, error);
  else
    prev = g_strdup (GENESIS_HASH);
  sqlite3_reset (stmt);

  hash = entry_hash (prev, id, at, cr_store_get_user (store), action, patient_id, record, detail);

  stmt = _cr_store_prepare (store,
                            "INSERT INTO audit (id, at, user, action, patient_id, record, detail,"
                            " prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  _cr_bind_text (stmt, 2, at);
  _cr_bind_text (stmt, 3, cr_store_get_user (store));
  _cr_bind_text (stmt, 4, action);
  if (patient_id > 0)
    sqlite3_bind_int64 (stmt, 5, patient_id);
  _cr_bind_text (stmt, 6, record);
  _cr_bind_text (stmt, 7, detail);
  _cr_bind_text (stmt, 8, prev);
  _cr_bind_text (stmt, 9, hash);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _cr_store_set_error (store, rc, error);

  return TRUE;
}

/**
 * cr_store_list_audit:
 * @patient_id: a patient, or 0 for the whole trail
 *
 * Returns: (transfer full): #CrAuditEntry objects, newest first
 */
GListModel *
cr_store_list_audit (CrStore  *store,
                     gint64    patient_id,
                     GError  **error)
{
  g_autoptr(CrStoreLocker) locker = NULL;
  g_autoptr(GListStore) list = g_list_store_new (CR_TYPE_AUDIT_ENTRY);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CR_IS_STORE (store), NULL);

  locker = _cr_store_lock (store);
  stmt = _cr_store_prepare (store,
                            "SELECT id, at, user, action, patient_id, record, detail FROM audit"
                            " WHERE ?1 = 0 OR patient_id = ?1 ORDER BY id DESC LIMIT 10000",
                            error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, patient_id);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(CrAuditEntry) entry = g_object_new (CR_TYPE_AUDIT_ENTRY, NULL);

      entry->id = sqlite3_column_int64 (stmt, 0);
      entry->at = g_strdup (_cr_column_text (stmt, 1));
      entry->user = g_strdup (_cr_column_text (stmt, 2));
      entry->action = g_strdup (_cr_column_text (stmt, 3));
      entry->patient_id = sqlite3_column_int64 (stmt, 4);
      entry->record = g_strdup (_cr_column_text (stmt, 5));
      entry->detail = g_strdup (_cr_column_text (stmt, 6));
      g_list_store_append (list, entry);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _cr_store_set_error (store, rc, error);
      return NULL;
    }

  return G_LIST_MODEL (g_steal_pointer (&list));
}

gboolean
cr_store_verify_audit (CrStore  *store,
                       gint64   *n_entries,
                       gint64   *broken_id,
                       GError  **error)
{
  g_autoptr(CrStoreLocker) locker = NULL;
  g_autofree char *prev = g_strdup (GENESIS_HASH);
  sqlite3_stmt *stmt;
  gint64 expected_id = 1;
  gint64 count = 0;
  gint64 broken = -1;
  int rc;

  g_return_val_if_fail (CR_IS_STORE (store), FALSE);

  locker = _cr_store_lock (store);
  stmt = _cr_store_prepare (store,
                            "SELECT id, at, user, action, patient_id, record, detail, prev_hash, hash"
                            " FROM audit ORDER BY id",
                            error);
  if (stmt == NULL)
    return FALSE;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      g_autofree char *hash = NULL;

      count++;
      hash = entry_hash (prev, id,
                         _cr_column_text (stmt, 1), _cr_column_text (stmt, 2),
                         _cr_column_text (stmt, 3), sqlite3_column_int64 (stmt, 4),
                         _cr_column_text (stmt, 5), _cr_column_text (stmt, 6));

      /* Ids are dense: a gap is a deleted entry. */
      if (id != expected_id ||
          g_strcmp0 (prev, _cr_column_text (stmt, 7)) != 0 ||
          g_strcmp0 (hash, _cr_column_text (stmt, 8)) != 0)
        {
          broken = id;
          break;
        }

      g_free (prev);
      prev = g_strdup (_cr_column_text (stmt, 8));
      expected_id = id + 1;
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return _cr_store_set_error (store, rc, error);

  if (n_entries != NULL)
    *n_entries = count;
  if (broken_id != NULL)
    *broken_id = broken;
  return broken < 0;
}
