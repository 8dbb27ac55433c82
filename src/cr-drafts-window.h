/* cr-drafts-window.h: every unsigned note in the practice
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "cr-store.h"

G_BEGIN_DECLS

#define CR_TYPE_DRAFTS_WINDOW (cr_drafts_window_get_type ())

G_DECLARE_FINAL_TYPE (CrDraftsWindow, cr_drafts_window, CR, DRAFTS_WINDOW, AdwWindow)

GtkWidget  *cr_drafts_window_new          (GtkWindow      *parent,
                                           CrStore        *store);
gboolean    cr_drafts_window_get_loading  (CrDraftsWindow *self);
guint       cr_drafts_window_get_n_drafts (CrDraftsWindow *self);
void        cr_drafts_window_reload       (CrDraftsWindow *self);

G_END_DECLS
