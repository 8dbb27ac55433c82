/* cr-patients.h: registering, changing, finding patients
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "cr-patient.h"
#include "cr-store.h"

G_BEGIN_DECLS

gboolean    cr_store_add_patient            (CrStore      *store,
                                             CrPatient    *patient,
                                             gboolean      allow_duplicate,
                                             GError      **error);
gboolean    cr_store_update_patient         (CrStore      *store,
                                             CrPatient    *patient,
                                             GError      **error);
CrPatient  *cr_store_get_patient            (CrStore      *store,
                                             gint64        id,
                                             GError      **error);
CrPatient  *cr_store_find_patient_by_record_number (CrStore    *store,
                                                    const char *record_number,
                                                    GError    **error);
gboolean    cr_store_note_chart_viewed      (CrStore      *store,
                                             gint64        patient_id,
                                             GError      **error);
gint64      cr_store_count_patients         (CrStore      *store,
                                             GError      **error);
GPtrArray  *cr_store_search_patients        (CrStore      *store,
                                             const char   *text,
                                             guint         offset,
                                             guint         limit,
                                             GCancellable *cancellable,
                                             GError      **error);

G_END_DECLS
