/* cr-audit.h: the append-only, hash-chained audit trail
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "cr-store.h"

G_BEGIN_DECLS

#define CR_TYPE_AUDIT_ENTRY (cr_audit_entry_get_type ())

G_DECLARE_FINAL_TYPE (CrAuditEntry, cr_audit_entry, CR, AUDIT_ENTRY, GObject)

gint64      cr_audit_entry_get_id         (CrAuditEntry *self);
const char *cr_audit_entry_get_at         (CrAuditEntry *self);
const char *cr_audit_entry_get_user       (CrAuditEntry *self);
const char *cr_audit_entry_get_action     (CrAuditEntry *self);
gint64      cr_audit_entry_get_patient_id (CrAuditEntry *self);
const char *cr_audit_entry_get_record     (CrAuditEntry *self);
const char *cr_audit_entry_get_detail     (CrAuditEntry *self);

/* Actions, as written in the trail. */
#define CR_AUDIT_VIEW   "view"
#define CR_AUDIT_CREATE "create"
#define CR_AUDIT_CHANGE "change"
#define CR_AUDIT_SIGN   "sign"
#define CR_AUDIT_AMEND  "amend"
#define CR_AUDIT_EXPORT "export"
#define CR_AUDIT_PRINT  "print"
#define CR_AUDIT_IMPORT "import"

gboolean    cr_store_audit               (CrStore      *store,
                                          const char   *action,
                                          gint64        patient_id,
                                          const char   *record,
                                          const char   *detail,
                                          GError      **error);
GListModel *cr_store_list_audit          (CrStore      *store,
                                          gint64        patient_id,
                                          GError      **error);
/**
 * cr_store_verify_audit:
 * @broken_id: (out) (optional): the first entry that does not chain to the
 *   one before it (edited, inserted, or following a removed entry), or -1
 *
 * Returns: %TRUE if every entry chains to the one before it
 */
gboolean    cr_store_verify_audit        (CrStore      *store,
                                          gint64       *n_entries,
                                          gint64       *broken_id,
                                          GError      **error);

G_END_DECLS
