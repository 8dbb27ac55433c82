/* cr-passphrase-page.h: choose or type a practice's passphrase
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define CR_TYPE_PASSPHRASE_PAGE (cr_passphrase_page_get_type ())

G_DECLARE_FINAL_TYPE (CrPassphrasePage, cr_passphrase_page, CR, PASSPHRASE_PAGE, AdwBin)

typedef enum
{
  CR_PASSPHRASE_MODE_CHOOSE, /* a new passphrase, typed twice, with a strength hint */
  CR_PASSPHRASE_MODE_UNLOCK, /* the passphrase that unlocks the practice */
} CrPassphraseMode;

GtkWidget *cr_passphrase_page_new        (void);
void       cr_passphrase_page_setup      (CrPassphrasePage *self,
                                          CrPassphraseMode  mode,
                                          const char       *title,
                                          const char       *description,
                                          const char       *confirm_label,
                                          const char       *other_label);
CrPassphraseMode cr_passphrase_page_get_mode (CrPassphrasePage *self);
void       cr_passphrase_page_set_busy   (CrPassphrasePage *self,
                                          gboolean          busy);
void       cr_passphrase_page_show_error (CrPassphrasePage *self,
                                          const char       *message);
void       cr_passphrase_page_clear      (CrPassphrasePage *self);

G_END_DECLS
