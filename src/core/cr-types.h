/* cr-types.h: forward declarations and enums of the core
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef struct _CrStore   CrStore;
typedef struct _CrPatient CrPatient;

/* Progress of long work (imports, demo generation, reports): 0.0 to 1.0.
 * Called on the thread doing the work. */
typedef void (*CrProgressFunc) (double   fraction,
                                gpointer user_data);

typedef enum
{
  CR_SEX_UNKNOWN,
  CR_SEX_FEMALE,
  CR_SEX_MALE,
  CR_SEX_OTHER,
} CrSex;

G_END_DECLS
