/* cr-demo.c: a deterministic synthetic practice for demos and benchmarks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cr-demo"

#include "config.h"

#include "cr-demo.h"

/* Placeholder until the generator lands. */
gboolean
cr_store_generate_demo (CrStore        *store,
                        guint           n_patients,
                        guint32         seed,
                        CrProgressFunc  progress,
                        gpointer        progress_data,
                        GCancellable   *cancellable,
                        GError        **error)
{
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "Not implemented yet");
  return FALSE;
}
