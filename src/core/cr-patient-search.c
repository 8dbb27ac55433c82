/* cr-patient-search.c: the front desk's type-ahead patient search
 *
 * What was typed becomes criteria that each read a set of patient ids from
 * an index: the names (FTS4, prefix terms), a birth date (exact, or a
 * year / "1980-03-" prefix), a record number (prefix or exact), a phone
 * number fragment. A patient matches when every criterion holds.
 *
 * A phone fragment may sit anywhere in the number ("5309" of 555-867-5309),
 * which no index serves: it is looked for in a copy of every patient's
 * phone digits kept in memory with the store (PhoneDigits below, about
 * 2 MB for 100,000 patients), about a millisecond, where one pass over the
 * phone_digits index through SQLite took 5 to 10 ms. The copy is read again
 * after any change to the database. (A table of every digit suffix kept by
 * triggers made this an index range, but cost bulk imports ~250 us a row.)
 *
 * Exact name words (and an exact record number) score a point each; higher
 * scores come first, then recently seen patients, then names.
 *
 * Order without sorting everyone: the index patients_rank lists all
 * patients in (last_seen DESC, family_name, given_names, id) order. For each
 * score, the matches come either from fetching their sort keys by id and
 * sorting them (cheap when they are few) or from walking that index and
 * keeping the members (cheap when they are many, for the first screenful).
 * A criterion that matches very many patients is not even read for a first
 * screenful: the walk tests it row by row instead.
 *
 * User text never becomes SQL or FTS syntax: values are bound, and name
 * terms are made of letters and digits only, lower-cased so that OR, AND,
 * NOT and NEAR are words like any other.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cr-patient-search"

#include "config.h"

#include <string.h>

#include "cr-date.h"
#include "cr-patient-private.h"
#include "cr-patient-search-private.h"
#include "cr-patients.h"
#include "cr-store-private.h"

#define MAX_TEXT_CHARS 256
#define MAX_TERMS 16
/* For a first screenful, a criterion matching more patients than this is
 * tested row by row while walking the ranking index rather than read. */
#define DENSE_CAP 2000
/* Without the copy in memory (ensure_phone_digits()), a phone fragment is
 * read by scanning an index: stop that scan sooner. */
#define DENSE_CAP_PHONE 500
/* Up to this many ranks count as a first screenful. */
#define SCREENFUL_MAX 1000
#define CANCEL_CHECK_MASK 1023
/* Relative costs, measured on a 100,000-patient practice: fetching one
 * patient's sort key by id, and stepping the ranking index by one entry. */
#define COST_LOOKUP 7
#define COST_STEP 1

#define SQL_BY_NAME \
  "SELECT id FROM patients ORDER BY family_name, given_names, id LIMIT ?1 OFFSET ?2"
#define SQL_WALK \
  "SELECT id FROM patients INDEXED BY patients_rank" \
  " ORDER BY last_seen DESC, family_name, given_names, id"
#define SQL_WALK_ROWS \
  "SELECT id, record_number, birth_date, phone_digits FROM patients INDEXED BY patients_rank" \
  " ORDER BY last_seen DESC, family_name, given_names, id"
#define SQL_SORT_KEY \
  "SELECT last_seen, family_name, given_names FROM patients WHERE id = ?1"
#define SQL_ROW \
  "SELECT record_number, birth_date, phone_digits FROM patients WHERE id = ?1"

/* ---- sets of patient ids ----------------------------------------------- */

/* A bitmap over 0..max_id for membership plus the ids in the order found.
 * Patient ids are SQLite rowids, dense from 1: 100,000 patients take
 * 12.5 KiB of bits. */
typedef struct
{
  guint64 *bits;
  gint64   max_id;
  /* A plain array rather than a GArray: adding is in the innermost loops
   * (100,000 ids for "555"), where g_array_append_val()'s call costs more
   * than the rest of the work. */
  gint64  *ids;
  guint    n_ids;
  guint    n_allocated;
} IdSet;

static IdSet *
id_set_new (gint64 max_id)
{
  IdSet *set = g_new0 (IdSet, 1);

  set->max_id = MAX (max_id, 0);
  set->bits = g_new0 (guint64, set->max_id / 64 + 1);
  return set;
}

static void
id_set_free (IdSet *set)
{
  g_free (set->bits);
  g_free (set->ids);
  g_free (set);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (IdSet, id_set_free)

static inline gboolean
id_set_contains (const IdSet *set,
                 gint64       id)
{
  if (id < 0 || id > set->max_id)
    return FALSE;
  return (set->bits[id >> 6] >> (id & 63)) & 1;
}

static inline void
id_set_add (IdSet  *set,
            gint64  id)
{
  /* max_id is read under the same lock as every id: nothing is beyond. */
  if (id < 0 || id > set->max_id || id_set_contains (set, id))
    return;
  set->bits[id >> 6] |= G_GUINT64_CONSTANT (1) << (id & 63);
  if (G_UNLIKELY (set->n_ids == set->n_allocated))
    {
      set->n_allocated = MAX (64, set->n_allocated * 2);
      set->ids = g_renew (gint64, set->ids, set->n_allocated);
    }
  set->ids[set->n_ids++] = id;
}

static inline guint
id_set_size (const IdSet *set)
{
  return set->n_ids;
}

/* The @i-th id added. */
static inline gint64
id_set_get (const IdSet *set,
            guint        i)
{
  return set->ids[i];
}

/* ---- the query ---------------------------------------------------------- */

typedef enum
{
  SOURCE_NAMES,         /* an FTS4 MATCH over the names; read, never tested */
  SOURCE_BIRTH,         /* birth_date = text */
  SOURCE_BIRTH_PREFIX,  /* birth_date starts with text: "1980", "1980-03-" */
  SOURCE_RECORD,        /* record_number = text */
  SOURCE_RECORD_PREFIX, /* record_number starts with text */
  SOURCE_PHONE,         /* phone_digits contains text */
} SourceKind;

typedef struct
{
  SourceKind  kind;
  char       *text;
} Source;

/* A patient meets a criterion when any of its sources matches. */
typedef struct
{
  GPtrArray *sources;
  IdSet     *set;     /* NULL while too large to read (tested row by row) */
} Criterion;

typedef struct
{
  gboolean   everyone;  /* nothing typed: everyone, by name */
  GPtrArray *criteria;  /* Criterion */
  GPtrArray *bonus;     /* Source: each exact match scores a point */
} Query;

static Source *
source_new (SourceKind  kind,
            const char *text)
{
  Source *source = g_new0 (Source, 1);

  source->kind = kind;
  source->text = g_strdup (text);
  return source;
}

static void
source_free (Source *source)
{
  g_free (source->text);
  g_free (source);
}

static Criterion *
criterion_new (void)
{
  Criterion *criterion = g_new0 (Criterion, 1);

  criterion->sources = g_ptr_array_new_with_free_func ((GDestroyNotify) source_free);
  return criterion;
}

static void
criterion_free (Criterion *criterion)
{
  g_ptr_array_unref (criterion->sources);
  g_clear_pointer (&criterion->set, id_set_free);
  g_free (criterion);
}

static void
query_free (Query *query)
{
  g_ptr_array_unref (query->criteria);
  g_ptr_array_unref (query->bonus);
  g_free (query);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Query, query_free)

static Criterion *
query_add_criterion (Query      *query,
                     SourceKind  kind,
                     const char *text)
{
  Criterion *criterion = criterion_new ();

  g_ptr_array_add (criterion->sources, source_new (kind, text));
  g_ptr_array_add (query->criteria, criterion);
  return criterion;
}

static gboolean
is_phone_char (char c)
{
  return g_ascii_isdigit (c) || (c != '\0' && strchr ("+-()./ ", c) != NULL);
}

/* Digits and phone punctuation only: the digits, else NULL. */
static char *
dup_phone_digits (const char *text)
{
  GString *digits = g_string_new (NULL);

  for (const char *p = text; *p; p++)
    {
      if (!is_phone_char (*p))
        return (g_string_free (digits, TRUE), NULL);
      if (g_ascii_isdigit (*p))
        g_string_append_c (digits, *p);
    }
  return g_string_free (digits, FALSE);
}

static gboolean
is_all_digits (const char *text)
{
  if (*text == '\0')
    return FALSE;
  for (const char *p = text; *p; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  return TRUE;
}

static char *
dup_birth_date (const char *word)
{
  GDate date;

  /* cr_date_parse() needs a four-digit year; "1-2-3" is no date. */
  if (strlen (word) < 6 || !cr_date_parse_birth (word, &date, NULL))
    return NULL;
  return cr_date_to_iso (&date);
}

/* A date; eight digits may as well be part of a phone number. */
static void
add_birth_date (Query      *query,
                const char *word,
                const char *iso)
{
  Criterion *criterion = query_add_criterion (query, SOURCE_BIRTH, iso);

  if (is_all_digits (word))
    g_ptr_array_add (criterion->sources, source_new (SOURCE_PHONE, word));
}

/* The start of an ISO birth date as the front desk types one: a year that
 * could be a birth year ("1980"), then "1980-", "1980-03", "1980-03-",
 * "1980-03-0". NULL for anything else. */
static char *
dup_birth_prefix (const char *word)
{
  /* Which characters may follow at each position of YYYY-MM-D. */
  static const char * const pattern[] = {
    "12", "0123456789", "0123456789", "0123456789", "-", "01", "0123456789", "-", "0123",
  };
  gsize len = strlen (word);
  guint64 year;
  GDate today;

  if (len < 4 || len > G_N_ELEMENTS (pattern))
    return NULL;
  for (gsize i = 0; i < len; i++)
    if (strchr (pattern[i], word[i]) == NULL)
      return NULL;

  /* As cr_date_parse_birth() allows. */
  year = g_ascii_strtoull (word, NULL, 10);
  cr_date_set_today (&today);
  if (year < 1880 || year > g_date_get_year (&today))
    return NULL;
  return g_strdup (word);
}

/* Digits typed with or without phone punctuation: part of a phone number
 * and, when they could be, the start of a birth date. */
static void
add_phone_fragment (Query      *query,
                    const char *word,
                    const char *digits)
{
  g_autofree char *birth = dup_birth_prefix (word);
  Criterion *criterion;

  /* Fewer than three digits say too little yet. */
  if (strlen (digits) < 3)
    return;
  criterion = query_add_criterion (query, SOURCE_PHONE, digits);
  if (birth != NULL)
    g_ptr_array_add (criterion->sources, source_new (SOURCE_BIRTH_PREFIX, birth));
}

/* "P0001" is the start of record numbers; "p123", without leading zeros,
 * also means P000123, the number as Chartroom writes it. An exact number
 * ranks first. */
static void
add_record_number (Query      *query,
                   const char *word)
{
  g_autofree char *typed = g_ascii_strup (word, -1);
  Criterion *criterion = query_add_criterion (query, SOURCE_RECORD_PREFIX, typed);
  gsize n_digits = strlen (word) - 1;

  g_ptr_array_add (query->bonus, source_new (SOURCE_RECORD, typed));
  if (n_digits <= 6 && word[1] != '0')
    {
      guint64 number = g_ascii_strtoull (word + 1, NULL, 10);
      g_autofree char *written = g_strdup_printf ("P%06" G_GUINT64_FORMAT, number);

      if (number > 0 && strcmp (written, typed) != 0)
        {
          g_ptr_array_add (criterion->sources, source_new (SOURCE_RECORD, written));
          g_ptr_array_add (query->bonus, source_new (SOURCE_RECORD, written));
        }
    }
}

/* Splits a word as the unicode61 tokenizer does (letters, digits and their
 * combining marks) into lower-case terms. */
static void
add_name_terms (GPtrArray  *terms,
                const char *word)
{
  g_autoptr(GString) term = g_string_new (NULL);

  for (const char *p = word; ; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c != 0 && (g_unichar_isalnum (c) || (term->len > 0 && g_unichar_ismark (c))))
        {
          g_string_append_unichar (term, c);
          continue;
        }
      if (term->len > 0 && terms->len < MAX_TERMS)
        g_ptr_array_add (terms, g_utf8_strdown (term->str, -1));
      g_string_truncate (term, 0);
      if (c == 0)
        break;
    }
}

static Query *
query_parse (const char *text)
{
  g_autoptr(Query) query = g_new0 (Query, 1);
  g_autoptr(GPtrArray) terms = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *cut = NULL;
  g_autofree char *normalized = NULL;
  g_autofree char *phone = NULL;
  g_auto(GStrv) words = NULL;
  gboolean any_date = FALSE;

  query->criteria = g_ptr_array_new_with_free_func ((GDestroyNotify) criterion_free);
  query->bonus = g_ptr_array_new_with_free_func ((GDestroyNotify) source_free);

  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    text = "";
  cut = g_utf8_substring (text, 0, MIN (g_utf8_strlen (text, -1), MAX_TEXT_CHARS));
  /* Composed, so that "Mu\u0308ller" is one word as the index has it. */
  normalized = g_utf8_normalize (cut, -1, G_NORMALIZE_DEFAULT_COMPOSE);
  g_strstrip (normalized);

  if (*normalized == '\0')
    {
      query->everyone = TRUE;
      return g_steal_pointer (&query);
    }

  words = g_strsplit_set (normalized, " \t\r\n,;", -1);
  for (guint i = 0; words[i] != NULL; i++)
    {
      g_autofree char *iso = dup_birth_date (words[i]);

      any_date |= iso != NULL;
    }

  /* "(555) 010-2030" is one phone number, spaces and all. */
  phone = any_date ? NULL : dup_phone_digits (normalized);
  if (phone != NULL)
    {
      add_phone_fragment (query, normalized, phone);
      return g_steal_pointer (&query);
    }

  for (guint i = 0; words[i] != NULL; i++)
    {
      const char *word = words[i];
      g_autofree char *iso = NULL;
      g_autofree char *digits = NULL;

      if (*word == '\0')
        continue;

      if ((iso = dup_birth_date (word)) != NULL)
        add_birth_date (query, word, iso);
      else if ((word[0] == 'P' || word[0] == 'p') && is_all_digits (word + 1))
        add_record_number (query, word);
      else if ((digits = dup_phone_digits (word)) != NULL)
        add_phone_fragment (query, word, digits);
      else
        add_name_terms (terms, word);
    }

  if (terms->len > 0)
    {
      g_autoptr(GString) match = g_string_new (NULL);

      for (guint i = 0; i < terms->len; i++)
        {
          const char *term = g_ptr_array_index (terms, i);

          g_string_append_printf (match, "%s%s*", i > 0 ? " " : "", term);
          g_ptr_array_add (query->bonus, source_new (SOURCE_NAMES, term));
        }
      query_add_criterion (query, SOURCE_NAMES, match->str);
    }

  return g_steal_pointer (&query);
}

/* ---- reading from the database ----------------------------------------- */

static gboolean
check_step (CrStore       *store,
            int            rc,
            GError       **error)
{
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return _cr_store_set_error (store, rc, error);
  return TRUE;
}

/* The exclusive upper bound of the strings that start with @prefix. */
static char *
dup_prefix_end (const char *prefix)
{
  char *end = g_strdup (prefix);
  gsize len = strlen (end);

  /* Record numbers are ASCII: the last byte never overflows. */
  g_assert (len > 0 && (guchar) end[len - 1] < 0x7f);
  end[len - 1]++;
  return end;
}

/* ---- phone digits in memory ------------------------------------------- */

/* Every patient's phone digits, NUL-terminated one after the other, with
 * the patients' ids; tagged with what tells a change to the database:
 * rows this connection changed, and PRAGMA data_version for commits by
 * others. Kept on the CrStore object (freed with it), read and written
 * only under the store's lock. */
typedef struct
{
  int      total_changes;
  gint64   data_version;
  GArray  *ids;      /* gint64 */
  GArray  *offsets;  /* guint32: where each patient's digits start in text */
  GString *text;
} PhoneDigits;

#define PHONE_DIGITS_KEY "cr-patient-search-phone-digits"

static void
phone_digits_free (PhoneDigits *phones)
{
  g_array_unref (phones->ids);
  g_array_unref (phones->offsets);
  g_string_free (phones->text, TRUE);
  g_free (phones);
}

static gboolean
query_data_version (CrStore  *store,
                    gint64   *version,
                    GError  **error)
{
  sqlite3_stmt *stmt = _cr_store_prepare (store, "PRAGMA data_version", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *version = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return rc == SQLITE_ROW || _cr_store_set_error (store, rc, error);
}

/* The store's copy, read again if the database changed since; NULL
 * without an error when no copy can be trusted now: unless the search
 * runs in a read transaction of its own (@own_snapshot), it may be inside
 * a write transaction whose changes could still roll back. */
static PhoneDigits *
ensure_phone_digits (CrStore   *store,
                     gboolean   own_snapshot,
                     GError   **error)
{
  sqlite3 *db = _cr_store_get_db (store);
  PhoneDigits *phones = g_object_get_data (G_OBJECT (store), PHONE_DIGITS_KEY);
  sqlite3_stmt *stmt;
  gint64 version = 0;
  int changes;
  int rc;

  if (db == NULL || !own_snapshot)
    return NULL;
  /* Both read before the rows: a change in between costs a second read,
   * never a stale copy. */
  changes = sqlite3_total_changes (db);
  if (!query_data_version (store, &version, error))
    return NULL;
  if (phones != NULL && phones->total_changes == changes && phones->data_version == version)
    return phones;

  stmt = _cr_store_prepare (store, "SELECT id, phone_digits FROM patients"
                                   " INDEXED BY patients_phone_digits"
                                   " WHERE phone_digits IS NOT NULL", error);
  if (stmt == NULL)
    return NULL;

  phones = g_new0 (PhoneDigits, 1);
  phones->total_changes = changes;
  phones->data_version = version;
  phones->ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  phones->offsets = g_array_new (FALSE, FALSE, sizeof (guint32));
  phones->text = g_string_sized_new (4096);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      const char *digits = (const char *) sqlite3_column_text (stmt, 1);
      guint32 offset = phones->text->len;

      if (digits == NULL || phones->text->len > G_MAXUINT32 / 2)
        continue;
      g_array_append_val (phones->ids, id);
      g_array_append_val (phones->offsets, offset);
      g_string_append_len (phones->text, digits, strlen (digits) + 1);
    }
  sqlite3_reset (stmt);
  if (!check_step (store, rc, error))
    {
      phone_digits_free (phones);
      return NULL;
    }

  g_object_set_data_full (G_OBJECT (store), PHONE_DIGITS_KEY, phones,
                          (GDestroyNotify) phone_digits_free);
  return phones;
}

/* Adds the patients whose digits contain @digits to @set, all of them:
 * a pass over the copy costs less than testing rows one by one while
 * walking the ranking index would. FALSE with no error: the copy cannot
 * serve now. */
static gboolean
read_phone_digits (CrStore       *store,
                   gboolean       own_snapshot,
                   const char    *digits,
                   IdSet         *set,
                   GError       **error)
{
  PhoneDigits *phones = ensure_phone_digits (store, own_snapshot, error);
  const guint32 *offsets;
  const gint64 *ids;

  if (phones == NULL)
    return FALSE;

  offsets = (const guint32 *) phones->offsets->data;
  ids = (const gint64 *) phones->ids->data;
  for (guint i = 0; i < phones->ids->len; i++)
    if (strstr (phones->text->str + offsets[i], digits) != NULL)
      id_set_add (set, ids[i]);
  return TRUE;
}

/* Adds the patients that @source matches to @set; stops and sets
 * @over_cap when the set would grow beyond @cap. @own_snapshot: the search
 * runs in a read transaction of its own (see ensure_phone_digits()). */
static gboolean
read_source (CrStore       *store,
             gboolean       own_snapshot,
             const Source  *source,
             IdSet         *set,
             guint          cap,
             gboolean      *over_cap,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autofree char *end = NULL;
  const char *sql = NULL;
  sqlite3_stmt *stmt;
  guint n = 0;
  int rc;

  switch (source->kind)
    {
    case SOURCE_NAMES:
      sql = "SELECT docid FROM patient_search WHERE names MATCH ?1";
      break;
    case SOURCE_BIRTH:
      sql = "SELECT id FROM patients WHERE birth_date = ?1";
      break;
    case SOURCE_BIRTH_PREFIX:
      sql = "SELECT id FROM patients WHERE birth_date >= ?1 AND birth_date < ?2";
      end = dup_prefix_end (source->text);
      break;
    case SOURCE_RECORD:
      sql = "SELECT id FROM patients WHERE record_number = ?1";
      break;
    case SOURCE_RECORD_PREFIX:
      sql = "SELECT id FROM patients WHERE record_number >= ?1 AND record_number < ?2";
      end = dup_prefix_end (source->text);
      break;
    case SOURCE_PHONE:
      {
        g_autoptr(GError) local_error = NULL;

        *over_cap = FALSE;
        if (read_phone_digits (store, own_snapshot, source->text, set, &local_error))
          return TRUE;
        if (local_error != NULL)
          {
            g_propagate_error (error, g_steal_pointer (&local_error));
            return FALSE;
          }
      }
      /* No copy to trust now: one pass over the digits' own index, the
       * smallest thing to read. */
      sql = "SELECT id FROM patients INDEXED BY patients_phone_digits"
            " WHERE instr (phone_digits, ?1) > 0";
      break;
    default:
      g_assert_not_reached ();
    }

  stmt = _cr_store_prepare (store, sql, error);
  if (stmt == NULL)
    return FALSE;
  _cr_bind_text (stmt, 1, source->text);
  if (end != NULL)
    _cr_bind_text (stmt, 2, end);

  *over_cap = FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      id_set_add (set, sqlite3_column_int64 (stmt, 0));
      if (id_set_size (set) > cap)
        {
          *over_cap = TRUE;
          break;
        }
      if ((++n & CANCEL_CHECK_MASK) == 0 && g_cancellable_is_cancelled (cancellable))
        break;
    }
  sqlite3_reset (stmt);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  return *over_cap || check_step (store, rc, error);
}

static gboolean
source_matches_row (const Source *source,
                    const char   *record,
                    const char   *birth,
                    const char   *phone_digits)
{
  switch (source->kind)
    {
    case SOURCE_BIRTH:
      return g_strcmp0 (birth, source->text) == 0;
    case SOURCE_BIRTH_PREFIX:
      return birth != NULL && g_str_has_prefix (birth, source->text);
    case SOURCE_RECORD:
      return g_strcmp0 (record, source->text) == 0;
    case SOURCE_RECORD_PREFIX:
      return record != NULL && g_str_has_prefix (record, source->text);
    case SOURCE_PHONE:
      return phone_digits != NULL && strstr (phone_digits, source->text) != NULL;
    case SOURCE_NAMES:
    default:
      /* Names are always read, never tested row by row. */
      g_assert_not_reached ();
    }
}

/* Do the columns of SQL_ROW / SQL_WALK_ROWS (from @first) meet every
 * criterion not read into a set? */
static gboolean
row_meets_dense (GPtrArray    *criteria,
                 sqlite3_stmt *stmt,
                 int           first)
{
  const char *record = _cr_column_text (stmt, first);
  const char *birth = _cr_column_text (stmt, first + 1);
  const char *phone = _cr_column_text (stmt, first + 2);

  for (guint i = 0; i < criteria->len; i++)
    {
      Criterion *criterion = g_ptr_array_index (criteria, i);
      gboolean any = FALSE;

      if (criterion->set != NULL)
        continue;
      for (guint j = 0; j < criterion->sources->len && !any; j++)
        any = source_matches_row (g_ptr_array_index (criterion->sources, j),
                                  record, birth, phone);
      if (!any)
        return FALSE;
    }
  return TRUE;
}

/* ---- ranking ------------------------------------------------------------ */

typedef struct
{
  gint64      id;
  const char *last_seen;  /* NULL: never seen, last */
  const char *family;
  const char *given;
} SortKey;

/* As patients_rank orders: last_seen DESC, family_name, given_names, id
 * (BINARY collation is byte order, as strcmp on UTF-8). */
static int
sort_key_compare (gconstpointer a,
                  gconstpointer b)
{
  const SortKey *ka = a;
  const SortKey *kb = b;
  int cmp;

  if (ka->last_seen == NULL || kb->last_seen == NULL)
    cmp = (ka->last_seen == NULL) - (kb->last_seen == NULL);
  else
    cmp = -strcmp (ka->last_seen, kb->last_seen);
  if (cmp == 0)
    cmp = strcmp (ka->family, kb->family);
  if (cmp == 0)
    cmp = strcmp (ka->given, kb->given);
  if (cmp == 0)
    cmp = (ka->id > kb->id) - (ka->id < kb->id);
  return cmp;
}

/* Sorts @ids in place into ranking order by fetching their keys by id. */
static gboolean
sort_by_lookup (CrStore       *store,
                GArray        *ids,
                GCancellable  *cancellable,
                GError       **error)
{
  g_autoptr(GArray) keys = g_array_sized_new (FALSE, FALSE, sizeof (SortKey), ids->len);
  GStringChunk *strings = g_string_chunk_new (4096);
  sqlite3_stmt *stmt;
  gboolean ok = TRUE;

  stmt = _cr_store_prepare (store, SQL_SORT_KEY, error);
  if (stmt == NULL)
    {
      g_string_chunk_free (strings);
      return FALSE;
    }

  for (guint i = 0; i < ids->len && ok; i++)
    {
      SortKey key = { g_array_index (ids, gint64, i), NULL, NULL, NULL };
      int rc;

      sqlite3_reset (stmt);
      sqlite3_bind_int64 (stmt, 1, key.id);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          const char *seen = _cr_column_text (stmt, 0);

          key.last_seen = seen ? g_string_chunk_insert (strings, seen) : NULL;
          key.family = g_string_chunk_insert (strings, _cr_column_text (stmt, 1));
          key.given = g_string_chunk_insert (strings, _cr_column_text (stmt, 2));
          g_array_append_val (keys, key);
        }
      else
        ok = check_step (store, rc, error);

      if (ok && (i & CANCEL_CHECK_MASK) == CANCEL_CHECK_MASK &&
          g_cancellable_set_error_if_cancelled (cancellable, error))
        ok = FALSE;
    }
  sqlite3_reset (stmt);

  if (ok)
    {
      g_array_sort (keys, sort_key_compare);
      g_array_set_size (ids, 0);
      for (guint i = 0; i < keys->len; i++)
        g_array_append_val (ids, g_array_index (keys, SortKey, i).id);
    }
  g_string_chunk_free (strings);
  return ok;
}

static guint
score_of (GPtrArray *bonus_sets,
          gint64     id)
{
  guint score = 0;

  for (guint i = 0; i < bonus_sets->len; i++)
    score += id_set_contains (g_ptr_array_index (bonus_sets, i), id);
  return score;
}

typedef struct
{
  guint    count;  /* members with this score */
  guint    need;   /* of which the window needs the first ones */
  gboolean walk;   /* found by walking the ranking index, else by lookup */
  GArray  *ids;    /* found, in ranking order */
} Tier;

/* Appends to @out the first @window_end matches in ranking order, when the
 * matches @matches are known. @n_patients sizes the cost model. */
static gboolean
rank_known (CrStore       *store,
            IdSet         *matches,
            GPtrArray     *bonus_sets,
            guint          window_end,
            gint64         n_patients,
            GArray        *out,
            GCancellable  *cancellable,
            GError       **error)
{
  guint n_tiers = bonus_sets->len + 1;
  g_autofree Tier *tiers = g_new0 (Tier, n_tiers);
  g_autofree guint16 *scores = NULL;
  guint remaining = window_end;
  guint n_walk = 0;
  gboolean ok = TRUE;

  if (id_set_size (matches) == 0 || window_end == 0)
    return TRUE;

  /* A point per bonus source: far fewer than 65,536 in MAX_TEXT_CHARS. */
  scores = g_new (guint16, id_set_size (matches));
  for (guint i = 0; i < id_set_size (matches); i++)
    {
      scores[i] = score_of (bonus_sets, id_set_get (matches, i));
      tiers[scores[i]].count++;
    }

  for (int s = n_tiers - 1; s >= 0; s--)
    {
      Tier *tier = &tiers[s];
      guint64 walk_rows;

      tier->need = MIN (tier->count, remaining);
      remaining -= tier->need;
      tier->ids = g_array_new (FALSE, FALSE, sizeof (gint64));
      if (tier->need == 0)
        continue;

      /* Rows walked to meet tier->need members spread evenly. */
      walk_rows = MIN ((guint64) n_patients,
                       (guint64) tier->need * (guint64) n_patients / tier->count + 1);
      tier->walk = (guint64) tier->count * COST_LOOKUP > walk_rows * COST_STEP;
      n_walk += tier->walk;
    }

  /* The few: sort their keys. */
  for (guint s = 0; s < n_tiers && ok; s++)
    {
      Tier *tier = &tiers[s];

      if (tier->need == 0 || tier->walk)
        continue;
      for (guint i = 0; i < id_set_size (matches); i++)
        if (scores[i] == s)
          g_array_append_vals (tier->ids, &matches->ids[i], 1);
      ok = sort_by_lookup (store, tier->ids, cancellable, error);
      if (ok && tier->ids->len > tier->need)
        g_array_set_size (tier->ids, tier->need);
    }

  /* The many: walk the ranking index once for all of them. */
  if (ok && n_walk > 0)
    {
      sqlite3_stmt *stmt = _cr_store_prepare (store, SQL_WALK, error);
      guint n_done = 0;
      guint n = 0;
      int rc = SQLITE_DONE;

      ok = stmt != NULL;
      while (ok && n_done < n_walk && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          gint64 id = sqlite3_column_int64 (stmt, 0);

          if (id_set_contains (matches, id))
            {
              Tier *tier = &tiers[score_of (bonus_sets, id)];

              if (tier->walk && tier->ids->len < tier->need)
                {
                  g_array_append_val (tier->ids, id);
                  n_done += tier->ids->len == tier->need;
                }
            }
          if ((++n & CANCEL_CHECK_MASK) == 0 &&
              g_cancellable_set_error_if_cancelled (cancellable, error))
            ok = FALSE;
        }
      if (stmt != NULL)
        {
          sqlite3_reset (stmt);
          ok = ok && check_step (store, rc, error);
        }
    }

  for (int s = n_tiers - 1; s >= 0; s--)
    {
      if (ok)
        g_array_append_vals (out, tiers[s].ids->data, tiers[s].ids->len);
      g_array_unref (tiers[s].ids);
    }
  return ok;
}

/* Keeps the members of @set that meet the criteria not read, testing each
 * by id. */
static gboolean
filter_dense_by_lookup (CrStore       *store,
                        GPtrArray     *criteria,
                        IdSet         *set,
                        IdSet         *out,
                        GCancellable  *cancellable,
                        GError       **error)
{
  sqlite3_stmt *stmt = _cr_store_prepare (store, SQL_ROW, error);

  if (stmt == NULL)
    return FALSE;

  for (guint i = 0; i < id_set_size (set); i++)
    {
      gint64 id = id_set_get (set, i);
      int rc;

      sqlite3_reset (stmt);
      sqlite3_bind_int64 (stmt, 1, id);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW && row_meets_dense (criteria, stmt, 0))
        id_set_add (out, id);
      else if (!check_step (store, rc, error))
        {
          sqlite3_reset (stmt);
          return FALSE;
        }
      if ((i & CANCEL_CHECK_MASK) == CANCEL_CHECK_MASK &&
          g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          sqlite3_reset (stmt);
          return FALSE;
        }
    }
  sqlite3_reset (stmt);
  return TRUE;
}

/* A first screenful when some criterion was too large to read: the scoring
 * matches (within the bonus sets, so few) are tested by id, the rest are
 * found by walking the ranking index and testing each row. @candidates
 * holds the matches of the criteria read, or is NULL when none was. */
static gboolean
rank_dense (CrStore       *store,
            GPtrArray     *criteria,
            IdSet         *candidates,
            GPtrArray     *bonus_sets,
            guint          window_end,
            gint64         max_id,
            GArray        *out,
            GCancellable  *cancellable,
            GError       **error)
{
  g_autoptr(IdSet) scoring = id_set_new (max_id);
  g_autoptr(IdSet) scored = id_set_new (max_id);
  sqlite3_stmt *stmt;
  guint n = 0;
  int rc = SQLITE_DONE;
  gboolean ok = TRUE;

  for (guint i = 0; i < bonus_sets->len; i++)
    {
      IdSet *bonus = g_ptr_array_index (bonus_sets, i);

      for (guint j = 0; j < id_set_size (bonus); j++)
        {
          gint64 id = id_set_get (bonus, j);

          if (candidates == NULL || id_set_contains (candidates, id))
            id_set_add (scoring, id);
        }
    }
  if (!filter_dense_by_lookup (store, criteria, scoring, scored, cancellable, error) ||
      !rank_known (store, scored, bonus_sets, window_end, max_id, out, cancellable, error))
    return FALSE;

  if (out->len >= window_end)
    return TRUE;

  stmt = _cr_store_prepare (store, SQL_WALK_ROWS, error);
  if (stmt == NULL)
    return FALSE;
  while (ok && out->len < window_end && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      if ((candidates == NULL || id_set_contains (candidates, id)) &&
          score_of (bonus_sets, id) == 0 &&
          row_meets_dense (criteria, stmt, 1))
        g_array_append_val (out, id);
      if ((++n & CANCEL_CHECK_MASK) == 0 &&
          g_cancellable_set_error_if_cancelled (cancellable, error))
        ok = FALSE;
    }
  sqlite3_reset (stmt);
  return ok && check_step (store, rc, error);
}

static gint64
query_max_id (CrStore  *store,
              GError  **error)
{
  sqlite3_stmt *stmt = _cr_store_prepare (store, "SELECT ifnull (max (id), 0) FROM patients",
                                          error);
  gint64 max_id = -1;
  int rc;

  if (stmt == NULL)
    return -1;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    max_id = sqlite3_column_int64 (stmt, 0);
  else
    _cr_store_set_error (store, rc, error);
  sqlite3_reset (stmt);
  return max_id;
}

static GArray *
list_by_name (CrStore       *store,
              guint          offset,
              guint          limit,
              guint         *n_matches,
              GCancellable  *cancellable,
              GError       **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt;
  guint n = 0;
  int rc;

  /* The whole list counts itself: a count(*) over every patient would
   * cost as much again (the sidebar's list at start-up). */
  if (n_matches != NULL && (offset > 0 || limit != G_MAXUINT))
    {
      gint64 count = cr_store_count_patients (store, error);

      if (count < 0)
        return NULL;
      *n_matches = (guint) count;
    }

  stmt = _cr_store_prepare (store, SQL_BY_NAME, error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, limit == G_MAXUINT ? -1 : (gint64) limit);
  sqlite3_bind_int64 (stmt, 2, offset);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (ids, id);
      if ((++n & CANCEL_CHECK_MASK) == 0 && g_cancellable_is_cancelled (cancellable))
        break;
    }
  sqlite3_reset (stmt);

  if (g_cancellable_set_error_if_cancelled (cancellable, error) ||
      !check_step (store, rc, error))
    return NULL;
  if (n_matches != NULL && offset == 0 && limit == G_MAXUINT)
    *n_matches = ids->len;
  return g_steal_pointer (&ids);
}

static gint
compare_criterion_size (gconstpointer a,
                        gconstpointer b)
{
  const Criterion *ca = *(Criterion * const *) a;
  const Criterion *cb = *(Criterion * const *) b;
  guint sa = ca->set ? id_set_size (ca->set) : G_MAXUINT;
  guint sb = cb->set ? id_set_size (cb->set) : G_MAXUINT;

  return (sa > sb) - (sa < sb);
}

/* One read transaction around the several queries of a search: they see
 * one snapshot, and the many small lookups do not each take and drop the
 * database's file locks (which costs more than the lookups themselves). */
static gboolean
begin_read (CrStore   *store,
            gboolean  *began,
            GError   **error)
{
  sqlite3 *db = _cr_store_get_db (store);

  *began = FALSE;
  if (db == NULL || !sqlite3_get_autocommit (db))
    return TRUE;
  if (!_cr_store_exec (store, "BEGIN DEFERRED", error))
    return FALSE;
  *began = TRUE;
  return TRUE;
}

static void
end_read (CrStore  *store,
          gboolean  began)
{
  if (began)
    _cr_store_rollback (store);
}

static GArray *
search_ids_locked (CrStore       *store,
                   gboolean       own_snapshot,
                   Query         *query,
                   guint          offset,
                   guint          limit,
                   guint         *n_matches,
                   GCancellable  *cancellable,
                   GError       **error)
{
  g_autoptr(GPtrArray) bonus_sets = g_ptr_array_new_with_free_func ((GDestroyNotify) id_set_free);
  g_autoptr(GArray) ranked = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) window = NULL;
  g_autoptr(IdSet) matches = NULL;
  guint window_end = limit > G_MAXUINT - offset ? G_MAXUINT : offset + limit;
  gboolean screenful = n_matches == NULL && window_end <= SCREENFUL_MAX;
  gboolean any_dense = FALSE;
  gint64 max_id;

  if (query->everyone)
    return list_by_name (store, offset, limit, n_matches, cancellable, error);
  /* Only symbols, or too few digits: nothing can match yet. */
  if (query->criteria->len == 0)
    return g_steal_pointer (&ranked);

  max_id = query_max_id (store, error);
  if (max_id < 0)
    return NULL;

  for (guint i = 0; i < query->criteria->len; i++)
    {
      Criterion *criterion = g_ptr_array_index (query->criteria, i);
      guint cap = screenful ? DENSE_CAP : G_MAXUINT;

      criterion->set = id_set_new (max_id);
      for (guint j = 0; j < criterion->sources->len; j++)
        {
          Source *source = g_ptr_array_index (criterion->sources, j);
          gboolean over_cap = FALSE;

          /* Names have no row test: always read them. */
          if (!read_source (store, own_snapshot, source, criterion->set,
                            source->kind == SOURCE_NAMES ? G_MAXUINT :
                            source->kind == SOURCE_PHONE && screenful ? DENSE_CAP_PHONE : cap,
                            &over_cap, cancellable, error))
            return NULL;
          if (over_cap)
            {
              g_clear_pointer (&criterion->set, id_set_free);
              any_dense = TRUE;
              break;
            }
        }
    }

  for (guint i = 0; i < query->bonus->len; i++)
    {
      IdSet *set = id_set_new (max_id);
      gboolean over_cap;

      g_ptr_array_add (bonus_sets, set);
      if (!read_source (store, own_snapshot, g_ptr_array_index (query->bonus, i), set,
                        G_MAXUINT, &over_cap, cancellable, error))
        return NULL;
    }

  /* The criteria read, smallest first: intersect from the smallest. */
  g_ptr_array_sort (query->criteria, compare_criterion_size);
  if (((Criterion *) g_ptr_array_index (query->criteria, 0))->set != NULL)
    {
      IdSet *smallest = ((Criterion *) g_ptr_array_index (query->criteria, 0))->set;

      matches = id_set_new (max_id);
      for (guint i = 0; i < id_set_size (smallest); i++)
        {
          gint64 id = id_set_get (smallest, i);
          gboolean all = TRUE;

          for (guint j = 1; j < query->criteria->len && all; j++)
            {
              Criterion *criterion = g_ptr_array_index (query->criteria, j);

              all = criterion->set == NULL || id_set_contains (criterion->set, id);
            }
          if (all)
            id_set_add (matches, id);
        }

      /* Few candidates: test the criteria not read by id. */
      if (any_dense && id_set_size (matches) <= DENSE_CAP)
        {
          g_autoptr(IdSet) kept = id_set_new (max_id);

          if (!filter_dense_by_lookup (store, query->criteria, matches, kept,
                                       cancellable, error))
            return NULL;
          g_clear_pointer (&matches, id_set_free);
          matches = g_steal_pointer (&kept);
          any_dense = FALSE;
        }
    }

  if (!any_dense)
    {
      if (n_matches != NULL)
        *n_matches = id_set_size (matches);
      if (!rank_known (store, matches, bonus_sets, window_end, max_id, ranked,
                       cancellable, error))
        return NULL;
    }
  else if (!rank_dense (store, query->criteria, matches, bonus_sets, window_end, max_id,
                        ranked, cancellable, error))
    return NULL;

  if (offset == 0)
    return g_steal_pointer (&ranked);
  window = g_array_new (FALSE, FALSE, sizeof (gint64));
  if (offset < ranked->len)
    g_array_append_vals (window, &g_array_index (ranked, gint64, offset),
                         MIN (limit, ranked->len - offset));
  return g_steal_pointer (&window);
}

GArray *
_cr_store_search_patient_ids (CrStore       *store,
                              const char    *text,
                              guint          offset,
                              guint          limit,
                              guint         *n_matches,
                              GCancellable  *cancellable,
                              GError       **error)
{
  g_autoptr(CrStoreLocker) locker = NULL;
  g_autoptr(Query) query = NULL;
  GArray *ids;
  gboolean began;

  g_return_val_if_fail (CR_IS_STORE (store), NULL);

  if (n_matches != NULL)
    *n_matches = 0;
  query = query_parse (text);

  locker = _cr_store_lock (store);
  if (g_cancellable_set_error_if_cancelled (cancellable, error) ||
      !begin_read (store, &began, error))
    return NULL;
  ids = search_ids_locked (store, began, query, offset, limit, n_matches, cancellable, error);
  end_read (store, began);
  return ids;
}

/* ---- rows by id --------------------------------------------------------- */

#define Q8 "?, ?, ?, ?, ?, ?, ?, ?"
G_STATIC_ASSERT (CR_PATIENT_FETCH_BATCH == 64);
#define SQL_FETCH \
  "SELECT " CR_PATIENT_COLUMNS " FROM patients p WHERE p.id IN (" \
  Q8 ", " Q8 ", " Q8 ", " Q8 ", " Q8 ", " Q8 ", " Q8 ", " Q8 ")"

GPtrArray *
_cr_store_get_patients_by_ids (CrStore       *store,
                               const gint64  *ids,
                               guint          n_ids,
                               GError       **error)
{
  g_autoptr(CrStoreLocker) locker = NULL;
  g_autoptr(GPtrArray) result = NULL;
  gboolean began;

  g_return_val_if_fail (CR_IS_STORE (store), NULL);
  g_return_val_if_fail (ids != NULL || n_ids == 0, NULL);

  result = g_ptr_array_new_full (n_ids, g_object_unref);
  g_ptr_array_set_size (result, n_ids);

  locker = _cr_store_lock (store);
  if (!begin_read (store, &began, error))
    return NULL;
  for (guint start = 0; start < n_ids; start += CR_PATIENT_FETCH_BATCH)
    {
      guint n = MIN (CR_PATIENT_FETCH_BATCH, n_ids - start);
      sqlite3_stmt *stmt;
      int rc;

      stmt = _cr_store_prepare (store, SQL_FETCH, error);
      if (stmt == NULL)
        {
          end_read (store, began);
          return NULL;
        }
      /* Parameters left unbound are NULL and match nothing. */
      for (guint i = 0; i < n; i++)
        sqlite3_bind_int64 (stmt, i + 1, ids[start + i]);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          g_autoptr(CrPatient) patient = _cr_patient_new_from_row (stmt);
          gint64 id = cr_patient_get_id (patient);

          /* Rows come in id order: put each where it was asked for. */
          for (guint i = 0; i < n; i++)
            if (ids[start + i] == id && g_ptr_array_index (result, start + i) == NULL)
              g_ptr_array_index (result, start + i) = g_object_ref (patient);
        }
      sqlite3_reset (stmt);
      if (!check_step (store, rc, error))
        {
          end_read (store, began);
          return NULL;
        }
    }
  end_read (store, began);

  return g_steal_pointer (&result);
}

/* ---- public ------------------------------------------------------------- */

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
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  GPtrArray *result;

  g_return_val_if_fail (CR_IS_STORE (store), NULL);

  ids = _cr_store_search_patient_ids (store, text, offset, limit, NULL, cancellable, error);
  if (ids == NULL)
    return NULL;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  rows = _cr_store_get_patients_by_ids (store, (const gint64 *) ids->data, ids->len, error);
  if (rows == NULL)
    return NULL;

  result = g_ptr_array_new_full (rows->len, g_object_unref);
  for (guint i = 0; i < rows->len; i++)
    if (g_ptr_array_index (rows, i) != NULL)
      g_ptr_array_add (result, g_object_ref (g_ptr_array_index (rows, i)));
  return result;
}
