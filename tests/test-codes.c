/* test-codes.c: the ICD-10-CM code set on CMS's real FY2026 order file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-codes"

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "cr-codes.h"
#include "cr-store-private.h"
#include "test-util.h"

/* What SOURCES.md and the file itself say about icd10cm_order_2026.txt. */
#define N_LINES    98186
#define N_BILLABLE 74719
#define N_HEADERS  23467

/* ---- helpers -------------------------------------------------------------- */

static char *
order_file_path (void)
{
  return test_shared_data_path ("icd10cm", "icd10cm_order_2026.txt", NULL);
}

/* The file's lines, CRLF and all, as CMS wrote them. */
static GPtrArray *
read_lines (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (lines[i][0] != '\0')
      g_ptr_array_add (out, g_strconcat (lines[i], "\n", NULL));
  return out;
}

/* The code of a line (columns 7–13, without padding). */
static char *
line_code (const char *line)
{
  return g_strstrip (g_strndup (line + 6, 7));
}

/* The long description of @code, read straight from the file (column 78 to
 * the end), to compare with what the store gives back. */
static char *
file_long_description (GPtrArray  *lines,
                       const char *code)
{
  for (guint i = 0; i < lines->len; i++)
    {
      const char *line = g_ptr_array_index (lines, i);
      g_autofree char *c = line_code (line);

      if (g_str_equal (c, code))
        return g_strstrip (g_strdup (line + 77));
    }
  return NULL;
}

static char *
write_lines (const char *dir,
             const char *name,
             GPtrArray  *lines,
             guint       n)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  char *path = g_build_filename (dir, name, NULL);

  for (guint i = 0; i < MIN (n, lines->len); i++)
    g_string_append (text, g_ptr_array_index (lines, i));
  g_file_set_contents (path, text->str, text->len, &error);
  g_assert_no_error (error);
  return path;
}

static gint64
query_count (CrStore    *store,
             const char *sql)
{
  g_autoptr(CrStoreLocker) locker = _cr_store_lock (store);
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt = _cr_store_prepare (store, sql, &error);
  gint64 n;

  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return n;
}

static void
import_ok (CrStore           *store,
           const char        *path,
           const char        *release,
           CrCodeImportStats *stats)
{
  g_autoptr(GError) error = NULL;
  gboolean ok;

  ok = cr_store_import_codes (store, path, release, NULL, NULL, NULL, stats, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
}

static GPtrArray *
search (CrStore    *store,
        const char *text)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *found = cr_store_search_codes (store, text, 0, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (found);
  return found;
}

/* The formatted codes found, joined by spaces: easy to compare. */
static char *
search_codes (CrStore    *store,
              const char *text)
{
  g_autoptr(GPtrArray) found = search (store, text);
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; i < found->len; i++)
    {
      if (i > 0)
        g_string_append_c (out, ' ');
      g_string_append (out, cr_code_get_formatted_code (g_ptr_array_index (found, i)));
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* Billable codes first, then by code. */
static void
assert_search_order (GPtrArray *found)
{
  for (guint i = 1; i < found->len; i++)
    {
      CrCode *a = g_ptr_array_index (found, i - 1);
      CrCode *b = g_ptr_array_index (found, i);

      g_assert_true (cr_code_get_valid (b));
      if (cr_code_get_billable (a) == cr_code_get_billable (b))
        g_assert_cmpstr (cr_code_get_code (a), <, cr_code_get_code (b));
      else
        g_assert_true (cr_code_get_billable (a) && !cr_code_get_billable (b));
    }
}

static gboolean
display_has_word_prefix (const char *display,
                         const char *prefix)
{
  g_autofree char *lower = g_ascii_strdown (display, -1);
  gsize n = strlen (prefix);

  for (const char *p = lower; *p; p++)
    if ((p == lower || !g_ascii_isalnum (p[-1])) && strncmp (p, prefix, n) == 0)
      return TRUE;
  return FALSE;
}

/* ---- tests ---------------------------------------------------------------- */

static void
on_progress (double   fraction,
             gpointer user_data)
{
  GArray *fractions = user_data;

  g_array_append_val (fractions, fraction);
}

static void
test_import_real_file (StoreFixture  *fixture,
                       gconstpointer  data)
{
  g_autofree char *path = order_file_path ();
  g_autoptr(GArray) fractions = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GError) error = NULL;
  g_autofree char *release = NULL;
  CrCodeImportStats stats = { 0 };
  gint64 start;
  gboolean ok;

  if (path == NULL)
    return;

  start = g_get_monotonic_time ();
  ok = cr_store_import_codes (fixture->store, path, NULL, on_progress, fractions,
                              NULL, &stats, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  g_test_message ("imported %u codes in %.2f s", stats.billable + stats.headers,
                  (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC);

  g_assert_cmpuint (stats.billable, ==, N_BILLABLE);
  g_assert_cmpuint (stats.headers, ==, N_HEADERS);
  g_assert_cmpuint (stats.added, ==, N_LINES);
  g_assert_cmpuint (stats.updated, ==, 0);
  g_assert_cmpuint (stats.invalidated, ==, 0);

  /* What the tables hold, not only what the import says. */
  g_assert_cmpint (query_count (fixture->store,
                                "SELECT count(*) FROM codes WHERE system = 'icd10cm' AND billable = 1"),
                   ==, N_BILLABLE);
  g_assert_cmpint (query_count (fixture->store,
                                "SELECT count(*) FROM codes WHERE system = 'icd10cm' AND billable = 0"),
                   ==, N_HEADERS);
  g_assert_cmpint (query_count (fixture->store, "SELECT count(*) FROM codes WHERE valid = 1"),
                   ==, N_LINES);
  g_assert_cmpint (query_count (fixture->store, "SELECT count(*) FROM codes WHERE release = '2026'"),
                   ==, N_LINES);
  g_assert_cmpint (query_count (fixture->store,
                                "SELECT count(*) FROM code_search s JOIN codes c ON c.id = s.docid"
                                " WHERE s.display = c.display"),
                   ==, N_LINES);
  g_assert_cmpint (query_count (fixture->store,
                                "SELECT count(*) FROM codes WHERE code LIKE '%.%' OR code LIKE '% %'"),
                   ==, 0);
  g_assert_cmpint (query_count (fixture->store,
                                "SELECT count(*) FROM audit WHERE action = 'import'"
                                " AND record = 'codes:icd10cm'"),
                   ==, 1);

  /* The release is taken from the file name. */
  release = cr_store_dup_code_release (fixture->store, CR_CODE_SYSTEM_ICD10CM);
  g_assert_cmpstr (release, ==, "2026");

  /* Progress runs from 0 to 1 and never goes back. */
  g_assert_cmpuint (fractions->len, >=, 10);
  g_assert_cmpfloat (g_array_index (fractions, double, 0), ==, 0.0);
  g_assert_cmpfloat (g_array_index (fractions, double, fractions->len - 1), ==, 1.0);
  for (guint i = 1; i < fractions->len; i++)
    g_assert_cmpfloat (g_array_index (fractions, double, i - 1), <=,
                       g_array_index (fractions, double, i));

  /* The same file again changes nothing. */
  memset (&stats, 0, sizeof stats);
  import_ok (fixture->store, path, NULL, &stats);
  g_assert_cmpuint (stats.billable, ==, N_BILLABLE);
  g_assert_cmpuint (stats.headers, ==, N_HEADERS);
  g_assert_cmpuint (stats.added, ==, 0);
  g_assert_cmpuint (stats.updated, ==, 0);
  g_assert_cmpuint (stats.invalidated, ==, 0);
  g_assert_cmpint (query_count (fixture->store, "SELECT count(*) FROM codes"), ==, N_LINES);
}

static void
test_lookup (StoreFixture  *fixture,
             gconstpointer  data)
{
  static const struct {
    const char *typed[3];
    const char *code;
    const char *formatted;
    const char *display;
    gboolean    billable;
  } cases[] = {
    { { "E11.9", "E119", "e11.9" }, "E119", "E11.9",
      "Type 2 diabetes mellitus without complications", TRUE },
    { { "R51.9", "R519", " r51.9 " }, "R519", "R51.9", "Headache, unspecified", TRUE },
    { { "J02.9", "J029", "j029" }, "J029", "J02.9", "Acute pharyngitis, unspecified", TRUE },
    { { "I10", "i10", "I10." }, "I10", "I10", "Essential (primary) hypertension", TRUE },
    { { "M54.50", "M5450", "m54.50" }, "M5450", "M54.50", "Low back pain, unspecified", TRUE },
    { { "E11", "e11", "E11." }, "E11", "E11", "Type 2 diabetes mellitus", FALSE },
  };
  g_autofree char *path = order_file_path ();
  g_autoptr(GPtrArray) lines = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CrCode) missing = NULL;

  if (path == NULL)
    return;

  import_ok (fixture->store, path, NULL, NULL);
  lines = read_lines (path);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *from_file = file_long_description (lines, cases[i].code);

      /* The expected text is CMS's own, character for character. */
      g_assert_cmpstr (from_file, ==, cases[i].display);

      for (guint j = 0; j < G_N_ELEMENTS (cases[i].typed); j++)
        {
          g_autoptr(CrCode) code = NULL;

          code = cr_store_get_code (fixture->store, CR_CODE_SYSTEM_ICD10CM,
                                    cases[i].typed[j], &error);
          g_assert_no_error (error);
          g_assert_nonnull (code);
          g_assert_cmpstr (cr_code_get_system (code), ==, "icd10cm");
          g_assert_cmpstr (cr_code_get_code (code), ==, cases[i].code);
          g_assert_cmpstr (cr_code_get_formatted_code (code), ==, cases[i].formatted);
          g_assert_cmpstr (cr_code_get_display (code), ==, cases[i].display);
          g_assert_cmpint (cr_code_get_billable (code), ==, cases[i].billable);
          g_assert_true (cr_code_get_valid (code));
          g_assert_cmpstr (cr_code_get_release (code), ==, "2026");
          g_assert_finalize_object (g_steal_pointer (&code));
        }
    }

  /* A short description that differs from the long one, padding stripped. */
  {
    g_autoptr(CrCode) code = cr_store_get_code (fixture->store, "icd10cm", "H16.221", &error);

    g_assert_no_error (error);
    g_assert_cmpstr (cr_code_get_short_display (code), ==,
                     "Keratoconjunct sicca, not specified as Sjogren's, right eye");
    g_assert_cmpstr (cr_code_get_display (code), ==,
                     "Keratoconjunctivitis sicca, not specified as Sjogren's, right eye");
  }

  missing = cr_store_get_code (fixture->store, CR_CODE_SYSTEM_ICD10CM, "E11.99", &error);
  g_assert_error (error, CR_CODES_ERROR, CR_CODES_ERROR_UNKNOWN_CODE);
  g_assert_null (missing);
  g_assert_nonnull (strstr (error->message, "E11.99"));
}

static void
test_format_code (void)
{
  static const char * const cases[][2] = {
    { "E119", "E11.9" },
    { "e11.9", "E11.9" },
    { "I10", "I10" },
    { "M5450", "M54.50" },
    { "S72001A", "S72.001A" },
    { "QA0010", "QA0.010" },
    { "R51", "R51" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *formatted = cr_icd10cm_format_code (cases[i][0]);
      g_autofree char *plain = cr_icd10cm_normalize_code (cases[i][1]);
      g_autofree char *upper = g_ascii_strup (cases[i][0], -1);
      g_autofree char *upper_plain = cr_icd10cm_normalize_code (upper);

      g_assert_cmpstr (formatted, ==, cases[i][1]);
      g_assert_cmpstr (plain, ==, upper_plain);
    }
}

static void
test_search_words (StoreFixture  *fixture,
                   gconstpointer  data)
{
  g_autofree char *path = order_file_path ();
  g_autoptr(GPtrArray) found = NULL;
  g_autofree char *codes = NULL;

  if (path == NULL)
    return;

  import_ok (fixture->store, path, NULL, NULL);

  /* Each word a prefix, in any order, any case: billable first. */
  codes = search_codes (fixture->store, "pharyngitis acute");
  g_assert_cmpstr (codes, ==, "J02.8 J02.9 J02");
  g_clear_pointer (&codes, g_free);
  codes = search_codes (fixture->store, "ACUTE Phary");
  g_assert_cmpstr (codes, ==, "J02.8 J02.9 J02");
  g_clear_pointer (&codes, g_free);
  codes = search_codes (fixture->store, "orthostatic headache");
  g_assert_cmpstr (codes, ==, "R51.0");
  g_clear_pointer (&codes, g_free);

  /* CMS writes "Meniere", "Sjogren", "Guillain-Barre" without accents
   * (the file is pure ASCII); typing the accents still finds them. */
  codes = search_codes (fixture->store, "Ménière");
  g_assert_cmpstr (codes, ==, "H81.01 H81.02 H81.03 H81.09 H81.0");
  g_clear_pointer (&codes, g_free);
  codes = search_codes (fixture->store, "MENIÈRE's");
  g_assert_cmpstr (codes, ==, "H81.01 H81.02 H81.03 H81.09 H81.0");
  g_clear_pointer (&codes, g_free);
  codes = search_codes (fixture->store, "guillain barré");
  g_assert_cmpstr (codes, ==, "G61.0 G65.0");
  g_clear_pointer (&codes, g_free);

  /* A broad word: every result holds it, and the order is kept. */
  found = search (fixture->store, "diabetes");
  g_assert_cmpuint (found->len, >, 500);
  assert_search_order (found);
  for (guint i = 0; i < found->len; i++)
    g_assert_true (display_has_word_prefix (cr_code_get_display (g_ptr_array_index (found, i)),
                                            "diabetes"));
  g_clear_pointer (&found, g_ptr_array_unref);

  /* The limit takes the first rows of the same order. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) all = search (fixture->store, "diabetes");
    g_autoptr(GPtrArray) some = cr_store_search_codes (fixture->store, "diabetes", 20, NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (some->len, ==, 20);
    for (guint i = 0; i < some->len; i++)
      g_assert_cmpstr (cr_code_get_code (g_ptr_array_index (some, i)), ==,
                       cr_code_get_code (g_ptr_array_index (all, i)));
  }

  /* Nothing to search for: nothing found, no error. */
  found = search (fixture->store, "");
  g_assert_cmpuint (found->len, ==, 0);
  g_clear_pointer (&found, g_ptr_array_unref);
  found = search (fixture->store, "zzzzqqq");
  g_assert_cmpuint (found->len, ==, 0);
}

static void
test_search_codes (StoreFixture  *fixture,
                   gconstpointer  data)
{
  g_autofree char *path = order_file_path ();
  g_autoptr(GPtrArray) lines = NULL;
  g_autoptr(GPtrArray) found = NULL;
  guint n_e11 = 0;
  guint n_e11_billable = 0;

  if (path == NULL)
    return;

  import_ok (fixture->store, path, NULL, NULL);
  lines = read_lines (path);
  for (guint i = 0; i < lines->len; i++)
    {
      const char *line = g_ptr_array_index (lines, i);
      g_autofree char *code = line_code (line);

      if (g_str_has_prefix (code, "E11"))
        {
          n_e11++;
          if (line[14] == '1')
            n_e11_billable++;
        }
    }
  g_assert_cmpuint (n_e11, >, 100);

  /* With or without the dot, any case. */
  for (guint i = 0; i < 4; i++)
    {
      static const char * const typed[] = { "E119", "E11.9", "e11.9", "e119" };
      g_autofree char *codes = search_codes (fixture->store, typed[i]);

      g_assert_cmpstr (codes, ==, "E11.9");
    }

  /* A category: every code under it, billable ones first. */
  found = search (fixture->store, "e11");
  g_assert_cmpuint (found->len, ==, n_e11);
  assert_search_order (found);
  for (guint i = 0; i < found->len; i++)
    {
      CrCode *code = g_ptr_array_index (found, i);

      g_assert_true (g_str_has_prefix (cr_code_get_code (code), "E11"));
      g_assert_cmpint (cr_code_get_billable (code), ==, i < n_e11_billable);
    }
  g_assert_cmpstr (cr_code_get_formatted_code (g_ptr_array_index (found, 0)), ==, "E11.00");
  g_assert_cmpstr (cr_code_get_formatted_code (g_ptr_array_index (found, n_e11_billable)), ==, "E11");
  g_clear_pointer (&found, g_ptr_array_unref);

  {
    g_autofree char *codes = search_codes (fixture->store, "m54.5");
    g_assert_cmpstr (codes, ==, "M54.50 M54.51 M54.59 M54.5");
  }
  {
    g_autofree char *codes = search_codes (fixture->store, "I10");
    g_assert_cmpstr (codes, ==, "I10");
  }
  {
    g_autofree char *codes = search_codes (fixture->store, "R51");
    g_assert_cmpstr (codes, ==, "R51.0 R51.9 R51");
  }
  {
    /* A code and a word together narrow each other. */
    g_autofree char *codes = search_codes (fixture->store, "e11 ketoacidosis coma");
    g_assert_cmpstr (codes, ==, "E11.10 E11.11");
  }
  {
    /* "B12" is no category: it is found as a word of the description. */
    g_autoptr(GPtrArray) b12 = search (fixture->store, "b12 anemia");

    g_assert_cmpuint (b12->len, >=, 4);
    for (guint i = 0; i < b12->len; i++)
      g_assert_true (g_str_has_prefix (cr_code_get_code (g_ptr_array_index (b12, i)), "D51"));
  }
}

static void
test_search_syntax_is_text (StoreFixture  *fixture,
                            gconstpointer  data)
{
  static const char * const nothing[] = {
    "\"", "*", "-", "'", "(", ")", "^", ":", "\"\"\"", "* * *", "NEAR/3", "'; DROP",
    "'; DROP TABLE codes; --", "AND", "NOT", "pharyngitis NOT", "\\", "%", "_",
  };
  static const char * const same_as_acute_pharyngitis[] = {
    "\"acute pharyngitis\"", "-acute pharyngitis", "acute* pharyngitis*",
    "(acute) (pharyngitis)", "acute: pharyngitis", "acute^ pharyngitis",
  };
  g_autofree char *path = order_file_path ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CrCode) still_there = NULL;
  g_autoptr(GPtrArray) found = NULL;

  if (path == NULL)
    return;

  import_ok (fixture->store, path, NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (nothing); i++)
    {
      g_autoptr(GPtrArray) none = cr_store_search_codes (fixture->store, nothing[i], 50, NULL, &error);

      g_assert_no_error (error);
      g_assert_nonnull (none);
      /* "not", "and", "drop", "near" are searched as words: whatever holds
       * them; never an operator or SQL. */
      for (guint j = 0; j < none->len; j++)
        g_assert_true (cr_code_get_valid (g_ptr_array_index (none, j)));
    }

  for (guint i = 0; i < G_N_ELEMENTS (same_as_acute_pharyngitis); i++)
    {
      g_autofree char *codes = search_codes (fixture->store, same_as_acute_pharyngitis[i]);
      g_assert_cmpstr (codes, ==, "J02.8 J02.9 J02");
    }

  /* OR is a word here ("or", "organs"…), not FTS's operator. */
  found = search (fixture->store, "headache OR");
  g_assert_cmpuint (found->len, >, 0);
  for (guint i = 0; i < found->len; i++)
    {
      const char *display = cr_code_get_display (g_ptr_array_index (found, i));

      g_assert_true (display_has_word_prefix (display, "headache"));
      g_assert_true (display_has_word_prefix (display, "or"));
    }
  g_clear_pointer (&found, g_ptr_array_unref);

  /* Nothing was dropped. */
  still_there = cr_store_get_code (fixture->store, "icd10cm", "E11.9", &error);
  g_assert_no_error (error);
  g_assert_cmpint (query_count (fixture->store, "SELECT count(*) FROM codes"), ==, N_LINES);
}

static void
test_check_assignable (StoreFixture  *fixture,
                       gconstpointer  data)
{
  g_autofree char *path = order_file_path ();
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if (path == NULL)
    return;

  /* Before any import, the answer says what to do. */
  ok = cr_store_check_assignable_code (fixture->store, "icd10cm", "E11.9", &error);
  g_assert_error (error, CR_CODES_ERROR, CR_CODES_ERROR_NOT_IMPORTED);
  g_assert_false (ok);
  g_clear_error (&error);

  import_ok (fixture->store, path, NULL, NULL);

  for (guint i = 0; i < 5; i++)
    {
      static const char * const billable[] = { "E11.9", "r519", "J02.9", "I10", "M5450" };

      ok = cr_store_check_assignable_code (fixture->store, "icd10cm", billable[i], &error);
      g_assert_no_error (error);
      g_assert_true (ok);
    }

  ok = cr_store_check_assignable_code (fixture->store, "icd10cm", "E11", &error);
  g_assert_error (error, CR_CODES_ERROR, CR_CODES_ERROR_HEADER_CODE);
  g_assert_cmpstr (error->message, ==,
                   "E11 is a category heading; choose a billable code such as E11.9");
  g_assert_false (ok);
  g_clear_error (&error);

  ok = cr_store_check_assignable_code (fixture->store, "icd10cm", "r51", &error);
  g_assert_error (error, CR_CODES_ERROR, CR_CODES_ERROR_HEADER_CODE);
  g_assert_cmpstr (error->message, ==,
                   "R51 is a category heading; choose a billable code such as R51.9");
  g_clear_error (&error);

  ok = cr_store_check_assignable_code (fixture->store, "icd10cm", "M54.5", &error);
  g_assert_error (error, CR_CODES_ERROR, CR_CODES_ERROR_HEADER_CODE);
  g_assert_cmpstr (error->message, ==,
                   "M54.5 is a category heading; choose a billable code such as M54.50");
  g_clear_error (&error);

  ok = cr_store_check_assignable_code (fixture->store, "icd10cm", "X99.999", &error);
  g_assert_error (error, CR_CODES_ERROR, CR_CODES_ERROR_UNKNOWN_CODE);
  g_assert_false (ok);
  g_clear_error (&error);

  /* Hostile text is only ever a value. */
  ok = cr_store_check_assignable_code (fixture->store, "icd10cm", "E11' OR '1'='1", &error);
  g_assert_error (error, CR_CODES_ERROR, CR_CODES_ERROR_UNKNOWN_CODE);
  g_clear_error (&error);

  /* Systems the practice does not hold in full are not checked. */
  ok = cr_store_check_assignable_code (fixture->store, "snomed", "44054006", &error);
  g_assert_no_error (error);
  g_assert_true (ok);
}

static void
test_malformed_line (StoreFixture  *fixture,
                     gconstpointer  data)
{
  g_autofree char *path = order_file_path ();
  g_autoptr(GPtrArray) lines = NULL;
  g_autofree char *good = NULL;
  g_autofree char *line3 = NULL;
  CrCodeImportStats stats = { 0 };
  /* Ways line 17 can break. */
  static const struct { guint offset; const char *replacement; gboolean truncate; } breaks[] = {
    { 14, "X", FALSE },       /* the 0/1 flag */
    { 2, "a", FALSE },        /* the order number */
    { 6, "1", FALSE },        /* the code */
    { 13, "Z", FALSE },       /* a blank column */
    { 40, NULL, TRUE },       /* cut short */
  };

  if (path == NULL)
    return;

  lines = read_lines (path);
  good = write_lines (fixture->dir, "icd10cm_order_2026.txt", lines, 50);
  import_ok (fixture->store, good, NULL, &stats);
  g_assert_cmpuint (stats.billable + stats.headers, ==, 50);
  line3 = file_long_description (lines, "A001");

  for (guint b = 0; b < G_N_ELEMENTS (breaks) + 1; b++)
    {
      g_autoptr(GPtrArray) copy = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(GError) error = NULL;
      g_autoptr(CrCode) a001 = NULL;
      g_autofree char *broken_path = NULL;
      g_autofree char *release = NULL;
      gboolean ok;

      for (guint i = 0; i < 50; i++)
        g_ptr_array_add (copy, g_strdup (g_ptr_array_index (lines, i)));

      /* A change early in the file that must not land either. */
      g_free (copy->pdata[2]);
      copy->pdata[2] = g_strdup_printf ("%.77sChanged description\r\n",
                                        (char *) g_ptr_array_index (lines, 2));

      if (b < G_N_ELEMENTS (breaks))
        {
          char *line = copy->pdata[16];

          if (breaks[b].truncate)
            strcpy (line + breaks[b].offset, "\r\n");
          else
            line[breaks[b].offset] = breaks[b].replacement[0];
        }
      else
        {
          /* A code that appears twice. */
          g_free (copy->pdata[16]);
          copy->pdata[16] = g_strdup (g_ptr_array_index (lines, 3));
        }

      broken_path = write_lines (fixture->dir, "icd10cm_order_2027.txt", copy, 50);
      ok = cr_store_import_codes (fixture->store, broken_path, NULL, NULL, NULL, NULL, NULL, &error);
      g_assert_error (error, CR_CODES_ERROR, CR_CODES_ERROR_MALFORMED);
      g_assert_false (ok);
      g_test_message ("%s", error->message);
      g_assert_true (g_str_has_prefix (error->message, "Line 17 of the order file is damaged"));
      g_assert_nonnull (strstr (error->message, "Nothing was imported"));
      g_clear_error (&error);

      /* The table is as before: same codes, same text, same release. */
      g_assert_cmpint (query_count (fixture->store, "SELECT count(*) FROM codes WHERE valid = 1"), ==, 50);
      g_assert_cmpint (query_count (fixture->store,
                                    "SELECT count(*) FROM codes WHERE release = '2026'"), ==, 50);
      g_assert_cmpint (query_count (fixture->store,
                                    "SELECT count(*) FROM audit WHERE action = 'import'"), ==, 1);
      a001 = cr_store_get_code (fixture->store, "icd10cm", "A00.1", &error);
      g_assert_no_error (error);
      g_assert_cmpstr (cr_code_get_display (a001), ==, line3);
      release = cr_store_dup_code_release (fixture->store, "icd10cm");
      g_assert_cmpstr (release, ==, "2026");
    }
}

static void
test_not_order_file (StoreFixture  *fixture,
                     gconstpointer  data)
{
  g_autofree char *pdf = test_shared_data_path ("icd10cm", "icd10OrderFiles.pdf", NULL);
  g_autofree char *codes_file = test_shared_data_path ("icd10cm", "icd10cm_codes_2026.txt", NULL);
  g_autofree char *addenda = test_shared_data_path ("icd10cm", "icd10cm_order_addenda_2026.txt", NULL);
  g_autofree char *text = test_shared_data_path ("SOURCES.md", NULL);
  g_autofree char *drugs = test_shared_data_path ("drugs", "fda_orange_book_products.txt", NULL);
  g_autofree char *empty = NULL;
  const char *files[6];
  const char *says[6] = { "a PDF document", "the ICD-10-CM codes file", "an addenda file",
                          "first line", "first line", "empty" };
  g_autoptr(GError) error = NULL;

  if (pdf == NULL || codes_file == NULL || addenda == NULL || text == NULL || drugs == NULL)
    return;

  empty = g_build_filename (fixture->dir, "empty.txt", NULL);
  g_file_set_contents (empty, "", 0, &error);
  g_assert_no_error (error);

  files[0] = pdf;
  files[1] = codes_file;
  files[2] = addenda;
  files[3] = text;
  files[4] = drugs;
  files[5] = empty;

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      gboolean ok = cr_store_import_codes (fixture->store, files[i], NULL, NULL, NULL, NULL,
                                           NULL, &error);

      g_assert_error (error, CR_CODES_ERROR, CR_CODES_ERROR_NOT_ORDER_FILE);
      g_assert_false (ok);
      g_test_message ("%s", error->message);
      g_assert_nonnull (strstr (error->message, says[i]));
      g_clear_error (&error);
    }

  g_assert_false (cr_store_import_codes (fixture->store, "/nonexistent/icd10cm_order_2026.txt",
                                         NULL, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, CR_CODES_ERROR, CR_CODES_ERROR_UNREADABLE);
  g_clear_error (&error);

  g_assert_cmpint (query_count (fixture->store, "SELECT count(*) FROM codes"), ==, 0);
  g_assert_cmpint (query_count (fixture->store, "SELECT count(*) FROM code_search"), ==, 0);
}

static void
test_reimport_newer_year (StoreFixture  *fixture,
                          gconstpointer  data)
{
  g_autofree char *path = order_file_path ();
  g_autoptr(GPtrArray) lines = NULL;
  g_autoptr(GPtrArray) newer = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *newer_path = NULL;
  g_autofree char *release = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CrCode) j029 = NULL;
  g_autoptr(CrCode) r519 = NULL;
  g_autoptr(GPtrArray) found = NULL;
  CrCodeImportStats stats = { 0 };
  guint dropped = 0, revised = 0, accented = 0;
  gboolean ok;

  if (path == NULL)
    return;

  import_ok (fixture->store, path, NULL, NULL);

  /* "FY2027": J02.9 dropped, R51.9 reworded, H81.01 spelt with accents. */
  lines = read_lines (path);
  for (guint i = 0; i < lines->len; i++)
    {
      const char *line = g_ptr_array_index (lines, i);
      g_autofree char *code = line_code (line);

      if (g_str_equal (code, "J029"))
        {
          dropped++;
          continue;
        }
      if (g_str_equal (code, "R519"))
        {
          revised++;
          g_ptr_array_add (newer, g_strdup_printf ("%.77sHeadache, not further specified\r\n", line));
        }
      else if (g_str_equal (code, "H8101"))
        {
          accented++;
          g_ptr_array_add (newer, g_strdup_printf ("%.77sMénière's disease, right ear\r\n", line));
        }
      else
        g_ptr_array_add (newer, g_strdup (line));
    }
  g_assert_cmpuint (dropped + revised + accented, ==, 3);
  newer_path = write_lines (fixture->dir, "icd10cm_order_2027.txt", newer, newer->len);

  import_ok (fixture->store, newer_path, NULL, &stats);
  g_assert_cmpuint (stats.billable, ==, N_BILLABLE - 1);
  g_assert_cmpuint (stats.headers, ==, N_HEADERS);
  g_assert_cmpuint (stats.added, ==, 0);
  g_assert_cmpuint (stats.updated, ==, 2);
  g_assert_cmpuint (stats.invalidated, ==, 1);
  release = cr_store_dup_code_release (fixture->store, "icd10cm");
  g_assert_cmpstr (release, ==, "2027");

  /* Never deleted: the old code is still there, marked. */
  g_assert_cmpint (query_count (fixture->store, "SELECT count(*) FROM codes"), ==, N_LINES);
  j029 = cr_store_get_code (fixture->store, "icd10cm", "J02.9", &error);
  g_assert_no_error (error);
  g_assert_false (cr_code_get_valid (j029));
  g_assert_cmpstr (cr_code_get_release (j029), ==, "2026");
  g_assert_cmpstr (cr_code_get_display (j029), ==, "Acute pharyngitis, unspecified");

  ok = cr_store_check_assignable_code (fixture->store, "icd10cm", "j029", &error);
  g_assert_error (error, CR_CODES_ERROR, CR_CODES_ERROR_NO_LONGER_VALID);
  g_assert_false (ok);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "J02.9"));
  g_assert_nonnull (strstr (error->message, "2027"));
  g_clear_error (&error);

  /* Searches leave it out; the reworded code is found by its new words. */
  {
    g_autofree char *codes = search_codes (fixture->store, "pharyngitis acute");
    g_assert_cmpstr (codes, ==, "J02.8 J02");
  }
  {
    g_autofree char *codes = search_codes (fixture->store, "headache further");
    g_assert_cmpstr (codes, ==, "R51.9");
  }
  {
    g_autofree char *codes = search_codes (fixture->store, "headache unspecified");
    g_assert_null (strstr (codes, "R51.9"));
    g_assert_nonnull (strstr (codes, "G44.209"));
  }
  r519 = cr_store_get_code (fixture->store, "icd10cm", "R51.9", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cr_code_get_display (r519), ==, "Headache, not further specified");
  g_assert_cmpstr (cr_code_get_release (r519), ==, "2027");
  g_assert_cmpint (query_count (fixture->store,
                                "SELECT count(*) FROM codes WHERE valid = 1 AND release = '2027'"),
                   ==, N_LINES - 1);
  g_assert_cmpint (query_count (fixture->store, "SELECT count(*) FROM codes WHERE valid = 0"), ==, 1);

  /* Diacritics in the description: found without them. */
  found = search (fixture->store, "meniere right");
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpstr (cr_code_get_display (g_ptr_array_index (found, 0)), ==,
                   "Ménière's disease, right ear");
  g_clear_pointer (&found, g_ptr_array_unref);

  /* Back to the real 2026 file: J02.9 is valid again. */
  memset (&stats, 0, sizeof stats);
  import_ok (fixture->store, path, NULL, &stats);
  g_assert_cmpuint (stats.updated, ==, 3);
  g_assert_cmpuint (stats.invalidated, ==, 0);
  ok = cr_store_check_assignable_code (fixture->store, "icd10cm", "J02.9", &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_cmpint (query_count (fixture->store, "SELECT count(*) FROM codes WHERE valid = 1"), ==, N_LINES);
}

typedef struct
{
  GMainLoop *loop;
  GArray    *fractions;
  GThread   *main_thread;
  gboolean   done;
  GError    *error;
  CrCodeImportStats stats;
  GWeakRef   task;
} AsyncState;

static void
on_async_progress (double   fraction,
                   gpointer user_data)
{
  AsyncState *state = user_data;

  /* Marshalled to the caller's main context, before completion. */
  g_assert_true (g_thread_self () == state->main_thread);
  g_assert_false (state->done);
  g_array_append_val (state->fractions, fraction);
}

static void
on_import_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  AsyncState *state = user_data;

  state->done = TRUE;
  cr_store_import_codes_finish (CR_STORE (source), result, &state->stats, &state->error);
  g_weak_ref_init (&state->task, result);
  g_main_loop_quit (state->loop);
}

static void
run_async_import (StoreFixture *fixture,
                  const char   *path,
                  GCancellable *cancellable,
                  AsyncState   *state)
{
  state->loop = g_main_loop_new (NULL, FALSE);
  state->fractions = g_array_new (FALSE, FALSE, sizeof (double));
  state->main_thread = g_thread_self ();

  cr_store_import_codes_async (fixture->store, path, NULL, on_async_progress, state,
                               cancellable, on_import_done, state);
  g_main_loop_run (state->loop);

  /* The worker drops its reference to the task (and so to the store) a
   * little after the callback. */
  for (;;)
    {
      GObject *task = g_weak_ref_get (&state->task);

      if (task == NULL)
        break;
      g_object_unref (task);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  g_weak_ref_clear (&state->task);
  g_main_loop_unref (state->loop);
}

static void
test_import_async (StoreFixture  *fixture,
                   gconstpointer  data)
{
  g_autofree char *path = order_file_path ();
  g_autoptr(GCancellable) cancelled = g_cancellable_new ();
  AsyncState state = { 0 };
  AsyncState cancelled_state = { 0 };

  if (path == NULL)
    return;

  /* Cancelled: nothing changes. */
  g_cancellable_cancel (cancelled);
  run_async_import (fixture, path, cancelled, &cancelled_state);
  g_assert_error (cancelled_state.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&cancelled_state.error);
  g_array_unref (cancelled_state.fractions);
  g_assert_cmpint (query_count (fixture->store, "SELECT count(*) FROM codes"), ==, 0);

  run_async_import (fixture, path, NULL, &state);
  g_assert_no_error (state.error);
  g_assert_cmpuint (state.stats.billable, ==, N_BILLABLE);
  g_assert_cmpuint (state.stats.headers, ==, N_HEADERS);
  g_assert_cmpuint (state.stats.added, ==, N_LINES);

  g_assert_cmpuint (state.fractions->len, >=, 1);
  g_assert_cmpfloat (g_array_index (state.fractions, double, state.fractions->len - 1), ==, 1.0);
  for (guint i = 1; i < state.fractions->len; i++)
    g_assert_cmpfloat (g_array_index (state.fractions, double, i - 1), <=,
                       g_array_index (state.fractions, double, i));
  g_array_unref (state.fractions);

  g_assert_cmpint (query_count (fixture->store, "SELECT count(*) FROM codes"), ==, N_LINES);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/codes/format-code", test_format_code);
  g_test_add ("/core/codes/import-real-file", StoreFixture, NULL,
              store_fixture_setup, test_import_real_file, store_fixture_teardown);
  g_test_add ("/core/codes/lookup", StoreFixture, NULL,
              store_fixture_setup, test_lookup, store_fixture_teardown);
  g_test_add ("/core/codes/search-words", StoreFixture, NULL,
              store_fixture_setup, test_search_words, store_fixture_teardown);
  g_test_add ("/core/codes/search-codes", StoreFixture, NULL,
              store_fixture_setup, test_search_codes, store_fixture_teardown);
  g_test_add ("/core/codes/search-syntax-is-text", StoreFixture, NULL,
              store_fixture_setup, test_search_syntax_is_text, store_fixture_teardown);
  g_test_add ("/core/codes/check-assignable", StoreFixture, NULL,
              store_fixture_setup, test_check_assignable, store_fixture_teardown);
  g_test_add ("/core/codes/malformed-line", StoreFixture, NULL,
              store_fixture_setup, test_malformed_line, store_fixture_teardown);
  g_test_add ("/core/codes/not-order-file", StoreFixture, NULL,
              store_fixture_setup, test_not_order_file, store_fixture_teardown);
  g_test_add ("/core/codes/reimport-newer-year", StoreFixture, NULL,
              store_fixture_setup, test_reimport_newer_year, store_fixture_teardown);
  g_test_add ("/core/codes/import-async", StoreFixture, NULL,
              store_fixture_setup, test_import_async, store_fixture_teardown);

  return g_test_run ();
}
