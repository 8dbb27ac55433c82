/* cr-unlock-page.h: unlock a practice with its recovery key
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define CR_TYPE_UNLOCK_PAGE (cr_unlock_page_get_type ())

G_DECLARE_FINAL_TYPE (CrUnlockPage, cr_unlock_page, CR, UNLOCK_PAGE, AdwBin)

GtkWidget *cr_unlock_page_new        (void);
void       cr_unlock_page_setup      (CrUnlockPage *self,
                                      const char   *path,
                                      const char   *reason);
void       cr_unlock_page_set_busy   (CrUnlockPage *self,
                                      gboolean      busy);
void       cr_unlock_page_show_error (CrUnlockPage *self,
                                      const char   *message);

G_END_DECLS
