/* cr-date.h: dates as people write them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define CR_DATE_ERROR (cr_date_error_quark ())

typedef enum
{
  CR_DATE_ERROR_FORMAT,     /* not a date in any accepted form */
  CR_DATE_ERROR_IMPOSSIBLE, /* 2023-02-30, month 13… */
  CR_DATE_ERROR_RANGE,      /* in the future, or before 1880 */
} CrDateError;

GQuark   cr_date_error_quark   (void);

gboolean cr_date_parse         (const char  *text,
                                GDate       *out,
                                GError     **error);
gboolean cr_date_parse_birth   (const char  *text,
                                GDate       *out,
                                GError     **error);
char    *cr_date_to_iso        (const GDate *date);
gboolean cr_date_from_iso      (const char  *iso,
                                GDate       *out);
int      cr_date_age_years     (const GDate *birth,
                                const GDate *on);
void     cr_date_set_today     (GDate       *date);

G_END_DECLS
