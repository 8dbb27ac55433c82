/* cr-report-page.h: the chart's "Reports" page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "cr-patient.h"
#include "cr-store.h"

G_BEGIN_DECLS

#define CR_TYPE_REPORT_PAGE (cr_report_page_get_type ())

G_DECLARE_FINAL_TYPE (CrReportPage, cr_report_page, CR, REPORT_PAGE, AdwBin)

GtkWidget *cr_report_page_new          (void);
void       cr_report_page_set_patient  (CrReportPage *self,
                                        CrStore      *store,
                                        CrPatient    *patient);
/* TRUE while the analysis runs (for tests). */
gboolean   cr_report_page_get_loading  (CrReportPage *self);
/* For cr-chart-page.c: adds the Reports page to the chart's stack and
 * follows the chart page's "store" and "patient". */
void       _cr_report_page_attach      (AdwViewStack *stack,
                                        GObject      *chart_page);

G_END_DECLS
