/* cr-demo.h: a deterministic synthetic practice for demos and benchmarks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "cr-store.h"

G_BEGIN_DECLS

gboolean cr_store_generate_demo (CrStore        *store,
                                 guint           n_patients,
                                 guint32         seed,
                                 CrProgressFunc  progress,
                                 gpointer        progress_data,
                                 GCancellable   *cancellable,
                                 GError        **error);

G_END_DECLS
