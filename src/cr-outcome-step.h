/* cr-outcome-step.h: "How did earlier treatment work?" in a new note
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "cr-chart.h"

G_BEGIN_DECLS

#define CR_TYPE_OUTCOME_STEP (cr_outcome_step_get_type ())

G_DECLARE_FINAL_TYPE (CrOutcomeStep, cr_outcome_step, CR, OUTCOME_STEP, GtkBox)

GtkWidget  *cr_outcome_step_new            (void);
gboolean    cr_outcome_step_load           (CrOutcomeStep    *self,
                                            CrStore          *store,
                                            gint64            patient_id,
                                            gint64            visit_id,
                                            const char       *started_at,
                                            GError          **error);
guint       cr_outcome_step_get_n_items    (CrOutcomeStep    *self);
guint       cr_outcome_step_get_n_recorded (CrOutcomeStep    *self);
gboolean    cr_outcome_step_record         (CrOutcomeStep    *self,
                                            guint             index,
                                            CrOutcomeResult   result,
                                            const char       *note,
                                            GError          **error);

G_END_DECLS
