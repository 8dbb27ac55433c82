/* cr-visit-editor.h: write, code, sign and amend a visit note
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "cr-patient.h"
#include "cr-store.h"
#include "cr-visit.h"

G_BEGIN_DECLS

#define CR_TYPE_VISIT_EDITOR (cr_visit_editor_get_type ())

/* How soon a change reaches the database, at most. */
#define CR_VISIT_EDITOR_SAVE_DELAY_MS 500

G_DECLARE_FINAL_TYPE (CrVisitEditor, cr_visit_editor, CR, VISIT_EDITOR, AdwWindow)

GtkWidget  *cr_visit_editor_new           (GtkWindow     *parent,
                                           CrStore       *store,
                                           CrPatient     *patient,
                                           CrVisit       *visit);
CrVisit    *cr_visit_editor_get_visit     (CrVisitEditor *self);
gint64      cr_visit_editor_get_visit_id  (CrVisitEditor *self);
CrPatient  *cr_visit_editor_get_patient   (CrVisitEditor *self);
gboolean    cr_visit_editor_get_read_only (CrVisitEditor *self);
gboolean    cr_visit_editor_save_now      (CrVisitEditor *self,
                                           GError       **error);
void        cr_visit_editor_refresh       (CrVisitEditor *self);
guint       cr_visit_editor_get_n_saves   (CrVisitEditor *self);

G_END_DECLS
