/* cr-amend-dialog.h: append a correction to a signed note
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "cr-store.h"

G_BEGIN_DECLS

#define CR_TYPE_AMEND_DIALOG (cr_amend_dialog_get_type ())

G_DECLARE_FINAL_TYPE (CrAmendDialog, cr_amend_dialog, CR, AMEND_DIALOG, AdwMessageDialog)

GtkWidget  *cr_amend_dialog_new        (GtkWindow     *parent,
                                        CrStore       *store,
                                        gint64         visit_id);
void        cr_amend_dialog_set_text   (CrAmendDialog *self,
                                        const char    *reason,
                                        const char    *text);
void        cr_amend_dialog_show_error (CrAmendDialog *self,
                                        const char    *message);

G_END_DECLS
