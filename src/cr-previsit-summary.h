/* cr-previsit-summary.h: what a physician reads in the minute before a
 * visit
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "cr-complaints.h"
#include "cr-report-export.h"
#include "cr-patient.h"
#include "cr-store.h"

G_BEGIN_DECLS

#define CR_TYPE_PREVISIT_SUMMARY (cr_previsit_summary_get_type ())

G_DECLARE_FINAL_TYPE (CrPrevisitSummary, cr_previsit_summary, CR, PREVISIT_SUMMARY, GtkWidget)

void       cr_previsit_summary_set_patient  (CrPrevisitSummary *self,
                                             CrStore           *store,
                                             CrPatient         *patient);
/* The recurring complaints for the small chart. */
void       cr_previsit_summary_set_report   (CrPrevisitSummary *self,
                                             CrComplaintReport *report);
gboolean   cr_previsit_summary_get_loading  (CrPrevisitSummary *self);
/* For the report page's print: the loaded summary, or NULL. */
CrPrevisit *_cr_previsit_summary_get_previsit (CrPrevisitSummary *self);

G_END_DECLS
