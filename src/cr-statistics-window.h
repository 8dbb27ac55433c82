/* cr-statistics-window.h: practice statistics, computed off the main loop
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "cr-statistics.h"
#include "cr-store.h"

G_BEGIN_DECLS

#define CR_TYPE_STATISTICS_WINDOW (cr_statistics_window_get_type ())

G_DECLARE_FINAL_TYPE (CrStatisticsWindow, cr_statistics_window, CR, STATISTICS_WINDOW, AdwWindow)

GtkWidget    *cr_statistics_window_new            (CrStore            *store);
/* The last result, or NULL while it is computed. */
CrStatistics *cr_statistics_window_get_statistics (CrStatisticsWindow *self);

G_END_DECLS
