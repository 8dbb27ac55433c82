/* cr-date.c: dates as people write them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cr-date"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cr-date.h"

G_DEFINE_QUARK (cr-date-error-quark, cr_date_error)

static gboolean
all_digits (const char *s,
            gsize       len)
{
  if (len == 0)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isdigit (s[i]))
      return FALSE;
  return TRUE;
}

static int
parse_int (const char *s,
           gsize       n)
{
  int v = 0;

  for (gsize i = 0; i < n; i++)
    v = v * 10 + (s[i] - '0');
  return v;
}

static gboolean
set_checked (GDate   *out,
             int      year,
             int      month,
             int      day,
             GError **error)
{
  if (month < 1 || month > 12 || day < 1 || year < 1 || year > 9999 ||
      day > g_date_get_days_in_month ((GDateMonth) month, (GDateYear) year))
    {
      g_set_error (error, CR_DATE_ERROR, CR_DATE_ERROR_IMPOSSIBLE,
                   "There is no such date: %04d-%02d-%02d", year, month, day);
      return FALSE;
    }

  g_date_clear (out, 1);
  g_date_set_dmy (out, (GDateDay) day, (GDateMonth) month, (GDateYear) year);
  return TRUE;
}

/**
 * cr_date_parse:
 * @text: a date as written: 2024-03-05, 20240305, 03/05/2024 or 3/5/2024
 *   (US month first), 05.03.2024 (day first, dotted)
 * @out: (out caller-allocates): the date
 *
 * Returns: %TRUE if @text is a real calendar date
 */
gboolean
cr_date_parse (const char  *text,
               GDate       *out,
               GError     **error)
{
  g_auto(GStrv) parts = NULL;
  g_autofree char *s = NULL;
  char sep = 0;
  gsize len;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  s = g_strstrip (g_strdup (text));
  len = strlen (s);

  if (len == 8 && all_digits (s, 8))
    {
      return set_checked (out, parse_int (s, 4), parse_int (s + 4, 2),
                          parse_int (s + 6, 2), error);
    }

  for (const char *p = s; *p; p++)
    if (*p == '-' || *p == '/' || *p == '.')
      {
        sep = *p;
        break;
      }

  if (sep != 0)
    {
      char seps[2] = { sep, 0 };
      parts = g_strsplit (s, seps, -1);
    }

  if (parts != NULL && g_strv_length (parts) == 3 &&
      all_digits (parts[0], strlen (parts[0])) &&
      all_digits (parts[1], strlen (parts[1])) &&
      all_digits (parts[2], strlen (parts[2])) &&
      strlen (parts[0]) <= 4 && strlen (parts[1]) <= 2 && strlen (parts[2]) <= 4)
    {
      int a = atoi (parts[0]), b = atoi (parts[1]), c = atoi (parts[2]);

      if (strlen (parts[0]) == 4 && strlen (parts[2]) <= 2)
        return set_checked (out, a, b, c, error);           /* 2024-03-05 */
      if (strlen (parts[2]) == 4 && strlen (parts[0]) <= 2)
        {
          if (sep == '.')
            return set_checked (out, c, b, a, error);       /* 05.03.2024 */
          return set_checked (out, c, a, b, error);         /* 03/05/2024 */
        }
    }

  g_set_error (error, CR_DATE_ERROR, CR_DATE_ERROR_FORMAT,
               "“%s” is not a date; write it as YYYY-MM-DD or MM/DD/YYYY", s);
  return FALSE;
}

void
cr_date_set_today (GDate *date)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  g_date_clear (date, 1);
  g_date_set_dmy (date,
                  (GDateDay) g_date_time_get_day_of_month (now),
                  (GDateMonth) g_date_time_get_month (now),
                  (GDateYear) g_date_time_get_year (now));
}

/**
 * cr_date_parse_birth:
 *
 * As cr_date_parse(), and the date must be today or earlier and no earlier
 * than 1880.
 */
gboolean
cr_date_parse_birth (const char  *text,
                     GDate       *out,
                     GError     **error)
{
  GDate today;

  if (!cr_date_parse (text, out, error))
    return FALSE;

  cr_date_set_today (&today);
  if (g_date_compare (out, &today) > 0)
    {
      g_set_error_literal (error, CR_DATE_ERROR, CR_DATE_ERROR_RANGE,
                           "A birth date cannot be in the future");
      return FALSE;
    }
  if (g_date_get_year (out) < 1880)
    {
      g_set_error_literal (error, CR_DATE_ERROR, CR_DATE_ERROR_RANGE,
                           "A birth date before 1880 is not plausible");
      return FALSE;
    }
  return TRUE;
}

char *
cr_date_to_iso (const GDate *date)
{
  g_return_val_if_fail (date != NULL && g_date_valid (date), NULL);
  return g_strdup_printf ("%04u-%02u-%02u",
                          g_date_get_year (date),
                          g_date_get_month (date),
                          g_date_get_day (date));
}

gboolean
cr_date_from_iso (const char *iso,
                  GDate      *out)
{
  int y, m, d;

  if (iso == NULL || strlen (iso) < 10 || iso[4] != '-' || iso[7] != '-' ||
      !all_digits (iso, 4) || !all_digits (iso + 5, 2) || !all_digits (iso + 8, 2))
    return FALSE;

  y = parse_int (iso, 4);
  m = parse_int (iso + 5, 2);
  d = parse_int (iso + 8, 2);
  return set_checked (out, y, m, d, NULL);
}

int
cr_date_age_years (const GDate *birth,
                   const GDate *on)
{
  int age;

  g_return_val_if_fail (birth != NULL && on != NULL, 0);

  age = (int) g_date_get_year (on) - (int) g_date_get_year (birth);
  if (g_date_get_month (on) < g_date_get_month (birth) ||
      (g_date_get_month (on) == g_date_get_month (birth) &&
       g_date_get_day (on) < g_date_get_day (birth)))
    age--;
  return age;
}
