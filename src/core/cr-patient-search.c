/* cr-patient-search.c: the front desk's type-ahead patient search
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cr-patient-search"

#include "config.h"

#include <string.h>

#include "cr-date.h"
#include "cr-patient-private.h"
#include "cr-patients.h"
#include "cr-store-private.h"

/* Turns one typed word into an FTS4 prefix term made only of letters and
 * digits, so quotes, stars, minus signs and OR are searched as text and
 * can never change the query. */
static void
append_fts_term (GString    *match,
                 const char *word)
{
  gboolean any = FALSE;

  for (const char *p = word; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isalnum (c))
        {
          if (!any && match->len > 0)
            g_string_append_c (match, ' ');
          g_string_append_unichar (match, c);
          any = TRUE;
        }
      else if (any)
        {
          /* "o'brien" → "o* brien*": each part a term, as the tokenizer splits. */
          g_string_append (match, "* ");
          any = FALSE;
        }
    }
  if (any)
    g_string_append_c (match, '*');
  /* Drop a dangling separator left by a trailing symbol. */
  while (match->len > 0 && match->str[match->len - 1] == ' ')
    g_string_truncate (match, match->len - 1);
}

static gboolean
is_phone_like (const char *word,
               guint      *n_digits)
{
  guint digits = 0;

  for (const char *p = word; *p; p++)
    {
      if (g_ascii_isdigit (*p))
        digits++;
      else if (!strchr ("+-()./ ", *p))
        return FALSE;
    }
  *n_digits = digits;
  return digits > 0;
}

/**
 * cr_store_search_patients:
 * @text: what was typed: name fragments in any order, a birth date in a
 *   common written form, a record number or a phone number; empty lists
 *   every patient by name
 * @offset: rows to skip (for paging)
 * @limit: rows to return at most
 *
 * Returns: (transfer full) (element-type CrPatient): the patients found,
 *   exact and prefix name matches first, recently seen first among equals
 */
GPtrArray *
cr_store_search_patients (CrStore       *store,
                          const char    *text,
                          guint          offset,
                          guint          limit,
                          GCancellable  *cancellable,
                          GError       **error)
{
  g_autoptr(CrStoreLocker) locker = NULL;
  g_autoptr(GPtrArray) result = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GString) match = g_string_new (NULL);
  g_autoptr(GString) sql = g_string_new (NULL);
  g_autofree char *birth = NULL;
  g_autofree char *number = NULL;
  g_autofree char *first_word = NULL;
  g_auto(GStrv) words = NULL;
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (CR_IS_STORE (store), NULL);

  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    text = "";

  words = g_strsplit_set (text, " \t,;", -1);
  for (guint i = 0; words[i] != NULL; i++)
    {
      const char *w = words[i];
      GDate date;
      guint n_digits = 0;

      if (*w == '\0')
        continue;

      if (strlen (w) >= 6 && cr_date_parse (w, &date, NULL))
        {
          g_free (birth);
          birth = cr_date_to_iso (&date);
        }
      else if ((w[0] == 'P' || w[0] == 'p') && w[1] && is_phone_like (w + 1, &n_digits))
        {
          g_free (number);
          number = g_ascii_strup (w, -1);
        }
      else if (is_phone_like (w, &n_digits) && n_digits >= 3)
        {
          g_free (number);
          number = g_strdup (w);
        }
      else
        {
          if (first_word == NULL)
            first_word = g_utf8_casefold (w, -1);
          append_fts_term (match, w);
        }
    }

  g_string_append (sql, "SELECT " CR_PATIENT_COLUMNS " FROM patients p WHERE 1");
  if (match->len > 0)
    g_string_append (sql, " AND p.id IN (SELECT docid FROM patient_search WHERE names MATCH :match)");
  if (birth != NULL)
    g_string_append (sql, " AND p.birth_date = :birth");
  if (number != NULL)
    g_string_append (sql, " AND (p.record_number = :number OR p.record_number LIKE :number || '%'"
                          " OR p.phone_digits LIKE :digits || '%')");
  if (match->len > 0)
    g_string_append (sql, " ORDER BY (lower(p.family_name) = :first OR lower(p.given_names) = :first) DESC,"
                          " p.last_seen DESC, p.family_name, p.given_names, p.id");
  else
    g_string_append (sql, " ORDER BY p.family_name, p.given_names, p.id");
  g_string_append (sql, " LIMIT :limit OFFSET :offset");

  locker = _cr_store_lock (store);
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  stmt = _cr_store_prepare (store, sql->str, error);
  if (stmt == NULL)
    return NULL;

  if (match->len > 0)
    {
      _cr_bind_text (stmt, sqlite3_bind_parameter_index (stmt, ":match"), match->str);
      _cr_bind_text (stmt, sqlite3_bind_parameter_index (stmt, ":first"), first_word);
    }
  if (birth != NULL)
    _cr_bind_text (stmt, sqlite3_bind_parameter_index (stmt, ":birth"), birth);
  if (number != NULL)
    {
      GString *digits = g_string_new (NULL);

      for (const char *p = number; *p; p++)
        if (g_ascii_isdigit (*p))
          g_string_append_c (digits, *p);
      _cr_bind_text (stmt, sqlite3_bind_parameter_index (stmt, ":number"), number);
      _cr_bind_text (stmt, sqlite3_bind_parameter_index (stmt, ":digits"),
                     digits->len ? digits->str : "\x01");
      g_string_free (digits, TRUE);
    }
  sqlite3_bind_int64 (stmt, sqlite3_bind_parameter_index (stmt, ":limit"), limit);
  sqlite3_bind_int64 (stmt, sqlite3_bind_parameter_index (stmt, ":offset"), offset);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_ptr_array_add (result, _cr_patient_new_from_row (stmt));
      if (g_cancellable_is_cancelled (cancellable))
        break;
    }
  sqlite3_reset (stmt);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      _cr_store_set_error (store, rc, error);
      return NULL;
    }

  return g_steal_pointer (&result);
}
