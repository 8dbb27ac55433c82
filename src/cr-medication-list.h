/* cr-medication-list.h: a chart's current and past medications
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "cr-store.h"

G_BEGIN_DECLS

#define CR_TYPE_MEDICATION_LIST (cr_medication_list_get_type ())

G_DECLARE_FINAL_TYPE (CrMedicationList, cr_medication_list, CR, MEDICATION_LIST, AdwBin)

GtkWidget *cr_medication_list_new      (void);
/* @current and @past hold CrPrescription; NULL store clears the lists. */
void       cr_medication_list_set_data (CrMedicationList *self,
                                        CrStore          *store,
                                        GListModel       *current,
                                        GListModel       *past);

G_END_DECLS
