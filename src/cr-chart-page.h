/* cr-chart-page.h: a patient's chart
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "cr-patient.h"
#include "cr-store.h"

G_BEGIN_DECLS

#define CR_TYPE_CHART_PAGE (cr_chart_page_get_type ())

G_DECLARE_FINAL_TYPE (CrChartPage, cr_chart_page, CR, CHART_PAGE, AdwBin)

GtkWidget    *cr_chart_page_new           (void);
CrStore      *cr_chart_page_get_store     (CrChartPage *self);
void          cr_chart_page_set_store     (CrChartPage *self,
                                           CrStore     *store);
CrPatient    *cr_chart_page_get_patient   (CrChartPage *self);
void          cr_chart_page_set_patient   (CrChartPage *self,
                                           CrPatient   *patient);
AdwViewStack *cr_chart_page_get_stack     (CrChartPage *self);
/* Reads the chart again (after a visit was saved or signed, say). */
void          cr_chart_page_reload        (CrChartPage *self);
/* TRUE while the chart's summary is being read. */
gboolean      cr_chart_page_get_loading   (CrChartPage *self);
void          cr_chart_page_add_toast     (CrChartPage *self,
                                           const char  *text);

G_END_DECLS
