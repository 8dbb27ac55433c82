/* cr-chart-summary-view.h: who this patient is, on one screen
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "cr-chart.h"

G_BEGIN_DECLS

#define CR_TYPE_CHART_SUMMARY_VIEW (cr_chart_summary_view_get_type ())

G_DECLARE_FINAL_TYPE (CrChartSummaryView, cr_chart_summary_view, CR, CHART_SUMMARY_VIEW, AdwBin)

GtkWidget      *cr_chart_summary_view_new         (void);
CrChartSummary *cr_chart_summary_view_get_summary (CrChartSummaryView *self);
void            cr_chart_summary_view_set_summary (CrChartSummaryView *self,
                                                   CrChartSummary     *summary);

G_END_DECLS
