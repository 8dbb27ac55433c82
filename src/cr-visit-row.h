/* cr-visit-row.h: one visit in the chart's lists
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "cr-visit.h"

G_BEGIN_DECLS

#define CR_TYPE_VISIT_ROW (cr_visit_row_get_type ())

G_DECLARE_FINAL_TYPE (CrVisitRow, cr_visit_row, CR, VISIT_ROW, AdwBin)

GtkWidget *cr_visit_row_new       (void);
CrVisit   *cr_visit_row_get_visit (CrVisitRow *self);
void       cr_visit_row_set_visit (CrVisitRow *self,
                                   CrVisit    *visit);

G_END_DECLS
