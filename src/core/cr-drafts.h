/* cr-drafts.h: what the note editor reads beyond cr-chart.h
 *
 * The practice's unsigned notes, and the rows written at one visit
 * (its prescriptions and follow-ups), for the editor and its lists.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "cr-chart.h"

G_BEGIN_DECLS

GPtrArray  *cr_store_list_draft_visits        (CrStore   *store,
                                               guint      limit,
                                               GError   **error);
GPtrArray  *cr_store_list_visit_prescriptions (CrStore   *store,
                                               gint64     visit_id,
                                               GError   **error);
GPtrArray  *cr_store_list_visit_follow_ups    (CrStore   *store,
                                               gint64     visit_id,
                                               GError   **error);

CrVisit    *cr_visit_copy_for_save            (CrVisit   *visit);

G_END_DECLS
