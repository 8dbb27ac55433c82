/* cr-allergy-editor.h: a small dialog to record an allergy
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "cr-store.h"

G_BEGIN_DECLS

#define CR_TYPE_ALLERGY_EDITOR (cr_allergy_editor_get_type ())

G_DECLARE_FINAL_TYPE (CrAllergyEditor, cr_allergy_editor, CR, ALLERGY_EDITOR, AdwWindow)

GtkWidget *cr_allergy_editor_new (GtkWindow *parent,
                                  CrStore   *store,
                                  gint64     patient_id);

G_END_DECLS
