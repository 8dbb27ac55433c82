/* cr-store-plain.h: an unencrypted copy of a practice, for the benchmark only
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "cr-store.h"

G_BEGIN_DECLS

gboolean cr_store_export_plain_copy (CrStore     *store,
                                     const char  *path,
                                     GError     **error);

G_END_DECLS
