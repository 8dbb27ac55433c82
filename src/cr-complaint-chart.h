/* cr-complaint-chart.h: a patient's recurring complaints on a time axis
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "cr-complaints.h"

G_BEGIN_DECLS

#define CR_TYPE_COMPLAINT_CHART (cr_complaint_chart_get_type ())

G_DECLARE_FINAL_TYPE (CrComplaintChart, cr_complaint_chart, CR, COMPLAINT_CHART, GtkWidget)

GtkWidget         *cr_complaint_chart_new         (void);
CrComplaintReport *cr_complaint_chart_get_report  (CrComplaintChart  *self);
void               cr_complaint_chart_set_report  (CrComplaintChart  *self,
                                                   CrComplaintReport *report);
gboolean           cr_complaint_chart_get_compact (CrComplaintChart  *self);
void               cr_complaint_chart_set_compact (CrComplaintChart  *self,
                                                   gboolean           compact);
/* The tooltip text of a visit's mark (for tests and the accessible
 * description); NULL when there is no such mark. */
char              *cr_complaint_chart_dup_mark_text (CrComplaintChart *self,
                                                     guint             index);
guint              cr_complaint_chart_get_n_marks (CrComplaintChart  *self);

G_END_DECLS
