/* cr-chart-format.h: how the chart's widgets write clinical values
 *
 * Shared by the summary, the visit history, the medication and problem
 * lists, so that a date, a status or a drug reads the same everywhere.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "cr-chart.h"

G_BEGIN_DECLS

char       *_cr_chart_format_date            (const char        *iso);
const char *_cr_chart_format_visit_type      (CrVisitType        type);
const char *_cr_chart_format_severity        (CrAllergySeverity  severity);
const char *_cr_chart_format_outcome         (CrOutcomeResult    result);
char       *_cr_chart_format_problem         (CrProblem         *problem);
char       *_cr_chart_format_diagnoses       (CrVisit           *visit);
char       *_cr_chart_format_outcomes        (CrVisit           *visit);
char       *_cr_chart_format_dosing          (CrPrescription    *prescription);
char       *_cr_chart_format_allergy         (CrAllergy         *allergy);
void        _cr_chart_set_status_badge       (GtkLabel          *label,
                                              CrVisit           *visit);
char       *_cr_chart_today                  (void);

/* Rows for the chart's boxed lists; callers may add suffixes. */
GtkWidget  *_cr_chart_problem_row_new        (CrProblem         *problem);
GtkWidget  *_cr_chart_allergy_row_new        (CrAllergy         *allergy);
GtkWidget  *_cr_chart_medication_row_new     (CrPrescription    *prescription);
GtkWidget  *_cr_chart_placeholder_new        (const char        *text);

/* A confirmation that asks why (required): responses "cancel" and
 * @response, the latter enabled once a reason is typed. */
AdwMessageDialog *_cr_chart_reason_dialog_new (GtkWidget      *parent,
                                               const char     *heading,
                                               const char     *body,
                                               const char     *response,
                                               const char     *response_label,
                                               const char     *reason);
const char       *_cr_chart_reason_dialog_get_reason (AdwMessageDialog *dialog);

G_END_DECLS
