/* cr-visit-history.h: every visit of a chart, newest first
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "cr-store.h"

G_BEGIN_DECLS

#define CR_TYPE_VISIT_HISTORY (cr_visit_history_get_type ())

G_DECLARE_FINAL_TYPE (CrVisitHistory, cr_visit_history, CR, VISIT_HISTORY, AdwBin)

GtkWidget  *cr_visit_history_new         (void);
void        cr_visit_history_load        (CrVisitHistory *self,
                                          CrStore        *store,
                                          gint64          patient_id);
/* The visits read so far (a CrVisitPages), or NULL. */
GListModel *cr_visit_history_get_model   (CrVisitHistory *self);

G_END_DECLS
