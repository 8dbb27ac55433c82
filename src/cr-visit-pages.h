/* cr-visit-pages.h: a patient's visits as a list that grows page by page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "cr-store.h"

G_BEGIN_DECLS

#define CR_TYPE_VISIT_PAGES (cr_visit_pages_get_type ())

G_DECLARE_FINAL_TYPE (CrVisitPages, cr_visit_pages, CR, VISIT_PAGES, GObject)

CrVisitPages *cr_visit_pages_new          (CrStore      *store,
                                           gint64        patient_id,
                                           guint         page_size);
void          cr_visit_pages_load_more    (CrVisitPages *self);
gboolean      cr_visit_pages_get_loading  (CrVisitPages *self);
gboolean      cr_visit_pages_get_complete (CrVisitPages *self);
const char   *cr_visit_pages_get_error    (CrVisitPages *self);
/* How long the last page took to read from the store, in microseconds. */
gint64        cr_visit_pages_get_last_load_usec (CrVisitPages *self);

G_END_DECLS
