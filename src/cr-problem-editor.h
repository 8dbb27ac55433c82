/* cr-problem-editor.h: a small dialog to add a problem to the list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "cr-store.h"

G_BEGIN_DECLS

#define CR_TYPE_PROBLEM_EDITOR (cr_problem_editor_get_type ())

G_DECLARE_FINAL_TYPE (CrProblemEditor, cr_problem_editor, CR, PROBLEM_EDITOR, AdwWindow)

GtkWidget *cr_problem_editor_new (GtkWindow *parent,
                                  CrStore   *store,
                                  gint64     patient_id);

G_END_DECLS
