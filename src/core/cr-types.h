/* cr-types.h: forward declarations and enums of the core
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef struct _CrStore   CrStore;
typedef struct _CrPatient CrPatient;

typedef enum
{
  CR_SEX_UNKNOWN,
  CR_SEX_FEMALE,
  CR_SEX_MALE,
  CR_SEX_OTHER,
} CrSex;

G_END_DECLS
