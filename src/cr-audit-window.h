/* cr-audit-window.h: a patient's access history, or the practice's audit
 * trail with its integrity check
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "cr-patient.h"
#include "cr-store.h"

G_BEGIN_DECLS

#define CR_TYPE_AUDIT_WINDOW (cr_audit_window_get_type ())

G_DECLARE_FINAL_TYPE (CrAuditWindow, cr_audit_window, CR, AUDIT_WINDOW, AdwWindow)

GtkWidget *cr_audit_window_new           (GtkWindow     *parent,
                                          CrStore       *store,
                                          CrPatient     *patient);
void       cr_audit_window_verify        (CrAuditWindow *self);
gboolean   cr_audit_window_get_verifying (CrAuditWindow *self);
GtkWidget *cr_audit_window_get_history   (CrAuditWindow *self);

G_END_DECLS
