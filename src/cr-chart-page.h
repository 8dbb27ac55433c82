/* cr-chart-page.h: a patient's chart
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "cr-patient.h"

G_BEGIN_DECLS

#define CR_TYPE_CHART_PAGE (cr_chart_page_get_type ())

G_DECLARE_FINAL_TYPE (CrChartPage, cr_chart_page, CR, CHART_PAGE, AdwBin)

GtkWidget    *cr_chart_page_new           (void);
CrPatient    *cr_chart_page_get_patient   (CrChartPage *self);
void          cr_chart_page_set_patient   (CrChartPage *self,
                                           CrPatient   *patient);
AdwViewStack *cr_chart_page_get_stack     (CrChartPage *self);

G_END_DECLS
