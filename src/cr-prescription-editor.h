/* cr-prescription-editor.h: the form that writes a prescription
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "cr-store.h"

G_BEGIN_DECLS

#define CR_TYPE_PRESCRIPTION_EDITOR (cr_prescription_editor_get_type ())

G_DECLARE_FINAL_TYPE (CrPrescriptionEditor, cr_prescription_editor, CR, PRESCRIPTION_EDITOR, AdwWindow)

GtkWidget *cr_prescription_editor_new            (GtkWindow            *parent,
                                                  CrStore              *store,
                                                  gint64                patient_id,
                                                  gint64                visit_id,
                                                  GError              **error);
gint64     cr_prescription_editor_get_patient_id (CrPrescriptionEditor *self);
gint64     cr_prescription_editor_get_visit_id   (CrPrescriptionEditor *self);

G_END_DECLS
