/* cr-create-practice.h: the page that creates a practice
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define CR_TYPE_CREATE_PRACTICE (cr_create_practice_get_type ())

G_DECLARE_FINAL_TYPE (CrCreatePractice, cr_create_practice, CR, CREATE_PRACTICE, AdwBin)

GtkWidget  *cr_create_practice_new        (void);
void        cr_create_practice_reset      (CrCreatePractice *self);
const char *cr_create_practice_get_path   (CrCreatePractice *self);
void        cr_create_practice_set_path   (CrCreatePractice *self,
                                           const char       *path);
void        cr_create_practice_set_busy   (CrCreatePractice *self,
                                           gboolean          busy);
void        cr_create_practice_show_error (CrCreatePractice *self,
                                           const char       *message);

G_END_DECLS
