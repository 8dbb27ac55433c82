/* cr-access-history.h: who saw or changed what, and when
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "cr-store.h"

G_BEGIN_DECLS

#define CR_TYPE_ACCESS_HISTORY (cr_access_history_get_type ())

G_DECLARE_FINAL_TYPE (CrAccessHistory, cr_access_history, CR, ACCESS_HISTORY, AdwBin)

GtkWidget  *cr_access_history_new            (void);
void        cr_access_history_load           (CrAccessHistory *self,
                                              CrStore         *store,
                                              gint64           patient_id);
GListModel *cr_access_history_get_model      (CrAccessHistory *self);
gboolean    cr_access_history_get_loading    (CrAccessHistory *self);
gint64      cr_access_history_get_n_entries  (CrAccessHistory *self);

char       *cr_access_history_format_when    (const char      *at);
const char *cr_access_history_action_label   (const char      *action);
char       *cr_access_history_describe_record (const char     *record,
                                               const char     *detail);

G_END_DECLS
