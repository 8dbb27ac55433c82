/* cr-patient-search-private.h: the search's id-level interface, for
 * CrPatientList and the benchmark
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "cr-patient.h"
#include "cr-store.h"

G_BEGIN_DECLS

/* Rows fetched per query by _cr_store_get_patients_by_ids(). */
#define CR_PATIENT_FETCH_BATCH 64

/* The ids (gint64) of the matching patients at ranks [offset, offset +
 * limit) in ranking order; limit G_MAXUINT for all. With @n_matches the
 * exact number of matches is counted too, which may cost more: without it
 * a first screenful never reads more than it needs. */
GArray    *_cr_store_search_patient_ids  (CrStore       *store,
                                          const char    *text,
                                          guint          offset,
                                          guint          limit,
                                          guint         *n_matches,
                                          GCancellable  *cancellable,
                                          GError       **error);
/* The patients with these ids, in the same order; NULL where an id is not
 * in the database (element-type CrPatient, nullable). */
GPtrArray *_cr_store_get_patients_by_ids (CrStore       *store,
                                          const gint64  *ids,
                                          guint          n_ids,
                                          GError       **error);

G_END_DECLS
