/* cr-main-view.h: the patient list beside the open chart
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "cr-patient.h"
#include "cr-patient-sidebar.h"
#include "cr-store.h"

G_BEGIN_DECLS

#define CR_TYPE_MAIN_VIEW (cr_main_view_get_type ())

G_DECLARE_FINAL_TYPE (CrMainView, cr_main_view, CR, MAIN_VIEW, AdwBin)

GtkWidget  *cr_main_view_new            (void);
void        cr_main_view_set_store      (CrMainView *self,
                                         CrStore    *store);
CrStore    *cr_main_view_get_store      (CrMainView *self);
CrPatientSidebar *cr_main_view_get_sidebar (CrMainView *self);
void        cr_main_view_open_patient   (CrMainView *self,
                                         CrPatient  *patient);
CrPatient  *cr_main_view_get_patient    (CrMainView *self);

G_END_DECLS
