/* cr-preferences-window.h: the practice's preferences
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "cr-store.h"

G_BEGIN_DECLS

#define CR_TYPE_PREFERENCES_WINDOW (cr_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (CrPreferencesWindow, cr_preferences_window, CR, PREFERENCES_WINDOW,
                      AdwPreferencesWindow)

GtkWidget *cr_preferences_window_new       (GtkWindow           *parent,
                                            CrStore             *store);
CrStore   *cr_preferences_window_get_store (CrPreferencesWindow *self);
void       cr_preferences_window_import_codes (CrPreferencesWindow *self,
                                               GFile               *file);
gboolean   cr_preferences_window_get_importing (CrPreferencesWindow *self);
void       cr_preferences_window_import_drugs (CrPreferencesWindow *self,
                                               GFile               *file);
gboolean   cr_preferences_window_get_importing_drugs (CrPreferencesWindow *self);

G_END_DECLS
