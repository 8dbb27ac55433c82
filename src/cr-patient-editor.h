/* cr-patient-editor.h: the form that registers or changes a patient
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "cr-patient.h"
#include "cr-store.h"

G_BEGIN_DECLS

#define CR_TYPE_PATIENT_EDITOR (cr_patient_editor_get_type ())

G_DECLARE_FINAL_TYPE (CrPatientEditor, cr_patient_editor, CR, PATIENT_EDITOR, AdwWindow)

GtkWidget  *cr_patient_editor_new          (GtkWindow       *parent,
                                            CrStore         *store,
                                            CrPatient       *patient);
CrPatient  *cr_patient_editor_get_patient  (CrPatientEditor *self);

G_END_DECLS
