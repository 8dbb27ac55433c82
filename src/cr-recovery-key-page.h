/* cr-recovery-key-page.h: show a new practice's recovery key, once
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "cr-key.h"

G_BEGIN_DECLS

#define CR_TYPE_RECOVERY_KEY_PAGE (cr_recovery_key_page_get_type ())

G_DECLARE_FINAL_TYPE (CrRecoveryKeyPage, cr_recovery_key_page, CR, RECOVERY_KEY_PAGE, AdwBin)

GtkWidget *cr_recovery_key_page_new     (void);
void       cr_recovery_key_page_set_key (CrRecoveryKeyPage *self,
                                         const CrKey       *key,
                                         const char        *practice_name,
                                         const char        *path);
void       cr_recovery_key_page_clear   (CrRecoveryKeyPage *self);

G_END_DECLS
