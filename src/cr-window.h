/* cr-window.h: the main window: practice lifecycle pages and the main view
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "cr-store.h"

G_BEGIN_DECLS

#define CR_TYPE_WINDOW (cr_window_get_type ())

G_DECLARE_FINAL_TYPE (CrWindow, cr_window, CR, WINDOW, AdwApplicationWindow)

CrWindow   *cr_window_new            (GtkApplication *application);
void        cr_window_start          (CrWindow       *self);
void        cr_window_open_practice  (CrWindow       *self,
                                      const char     *path);
void        cr_window_open_demo      (CrWindow       *self);
void        cr_window_open_practice_with_key (CrWindow    *self,
                                              const char  *path,
                                              const CrKey *key);
void        cr_window_set_quit_when_ready    (CrWindow    *self,
                                              gboolean     quit_when_ready);
void        cr_window_close_practice (CrWindow       *self);
CrStore    *cr_window_get_store      (CrWindow       *self);
const char *cr_window_get_page_name  (CrWindow       *self);
GtkWidget  *cr_window_get_page       (CrWindow       *self,
                                      const char     *name);

G_END_DECLS
