/* cr-problem-list.h: a chart's problem list and allergies
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "cr-store.h"

G_BEGIN_DECLS

#define CR_TYPE_PROBLEM_LIST (cr_problem_list_get_type ())

G_DECLARE_FINAL_TYPE (CrProblemList, cr_problem_list, CR, PROBLEM_LIST, AdwBin)

GtkWidget *cr_problem_list_new      (void);
/* CrProblem (active, resolved) and CrAllergy rows; NULL store clears. */
void       cr_problem_list_set_data (CrProblemList *self,
                                     CrStore       *store,
                                     gint64         patient_id,
                                     GListModel    *active,
                                     GListModel    *resolved,
                                     GListModel    *allergies);

G_END_DECLS
