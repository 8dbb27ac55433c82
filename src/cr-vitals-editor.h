/* cr-vitals-editor.h: a visit's vital signs, in metric or US units
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "cr-visit.h"

G_BEGIN_DECLS

#define CR_TYPE_VITALS_EDITOR (cr_vitals_editor_get_type ())

G_DECLARE_FINAL_TYPE (CrVitalsEditor, cr_vitals_editor, CR, VITALS_EDITOR, GtkBox)

GtkWidget  *cr_vitals_editor_new            (void);
void        cr_vitals_editor_set_us_units   (CrVitalsEditor *self,
                                             gboolean        us);
gboolean    cr_vitals_editor_get_us_units   (CrVitalsEditor *self);
void        cr_vitals_editor_load           (CrVitalsEditor *self,
                                             CrVisit        *visit);
gboolean    cr_vitals_editor_apply          (CrVitalsEditor *self,
                                             CrVisit        *visit);
guint       cr_vitals_editor_get_n_flagged  (CrVitalsEditor *self);
GtkWidget  *cr_vitals_editor_get_first_flagged (CrVitalsEditor *self);

G_END_DECLS
