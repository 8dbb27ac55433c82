/* cr-diagnosis-picker.h: find an ICD-10-CM code by words or by code
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "cr-store.h"

G_BEGIN_DECLS

#define CR_TYPE_DIAGNOSIS_PICKER (cr_diagnosis_picker_get_type ())

G_DECLARE_FINAL_TYPE (CrDiagnosisPicker, cr_diagnosis_picker, CR, DIAGNOSIS_PICKER, GtkBox)

GtkWidget  *cr_diagnosis_picker_new          (void);
void        cr_diagnosis_picker_set_store    (CrDiagnosisPicker *self,
                                              CrStore           *store);
GtkEditable *cr_diagnosis_picker_get_entry   (CrDiagnosisPicker *self);
gboolean    cr_diagnosis_picker_get_searching (CrDiagnosisPicker *self);
guint       cr_diagnosis_picker_get_n_results (CrDiagnosisPicker *self);
const char *cr_diagnosis_picker_get_message  (CrDiagnosisPicker *self);
void        cr_diagnosis_picker_show_message (CrDiagnosisPicker *self,
                                              const char        *message);
gboolean    cr_diagnosis_picker_pick_code    (CrDiagnosisPicker *self,
                                              const char        *code);

G_END_DECLS
