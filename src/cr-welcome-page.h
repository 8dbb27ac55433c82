/* cr-welcome-page.h: the first page: create, open or try a practice
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define CR_TYPE_WELCOME_PAGE (cr_welcome_page_get_type ())

G_DECLARE_FINAL_TYPE (CrWelcomePage, cr_welcome_page, CR, WELCOME_PAGE, AdwBin)

GtkWidget *cr_welcome_page_new (void);

G_END_DECLS
