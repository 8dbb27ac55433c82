/* test-search.c: the front desk's patient search and the sidebar's list
 *
 * One practice of 100,000 patients, built once by direct SQL (the public
 * API's audit and duplicate checks would take minutes), with a few planted
 * patients whose place in the results is known.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

#include "cr-audit.h"
#include "cr-patient-list.h"
#include "cr-patient-search-private.h"
#include "cr-patients.h"
#include "cr-store-plain.h"
#include "cr-store-private.h"
#include "test-util.h"

#define N_RANDOM 100000
#define ALL G_MAXUINT

static const char * const family_names[] = {
  "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis",
  "Rodriguez", "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson",
  "Thomas", "Taylor", "Moore", "Jackson", "Martin", "Lee", "Perez", "Thompson",
  "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson", "Walker",
  "Young", "Allen", "King", "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores",
  "Green", "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell",
  "Carter", "Roberts", "Gomez", "Phillips", "Evans", "Turner", "Diaz", "Parker",
  "Cruz", "Edwards", "Collins", "Reyes", "Stewart", "Morris", "Morales", "Murphy",
  "Cook", "Rogers", "Gutierrez", "Ortiz", "Morgan", "Cooper", "Peterson", "Bailey",
  "Reed", "Kelly", "Howard", "Ramos", "Kim", "Cox", "Ward", "Richardson", "Watson",
  "Brooks", "Chavez", "Wood", "James", "Bennett", "Gray", "Mendoza", "Ruiz", "Hughes",
  "Price", "Alvarez", "Castillo", "Sanders", "Patel", "Myers", "Long", "Ross",
  "Foster", "Jimenez", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner",
  "Becker", "Schulz", "Hoffmann", "Koch", "Richter", "Klein", "Wolf", "Schröder",
  "Neumann", "Schwarz", "Zimmermann", "Braun", "Krüger", "Hofmann", "Hartmann",
  "Lange", "Schmitt", "Werner", "Krause", "Meier", "Lehmann", "Köhler", "Günther",
  "Dubois", "Lefèvre", "Moreau", "Laurent", "Simon", "Michel", "Lefebvre", "Leroy",
  "Roux", "David", "Bertrand", "Morel", "Fournier", "Girard", "Bonnet", "Dupont",
  "Lambert", "Fontaine", "Rousseau", "Vincent", "Muller", "Faure", "André", "Mercier",
  "Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci",
  "Marino", "Greco", "Bruno", "Gallo", "Conti", "De Luca", "Costa", "Giordano",
  "Mancini", "Rizzo", "Lombardi", "Moretti", "Kowalski", "Nowak", "Wiśniewski",
  "Wójcik", "Kowalczyk", "Kamiński", "Lewandowski", "Zieliński", "Szymański",
  "Woźniak", "Dąbrowski", "Novák", "Svoboda", "Dvořák", "Černý", "Procházka",
  "Kučera", "Veselý", "Horák", "Němec", "Pokorný", "Murray", "Ford", "Hamilton",
  "Graham", "Sullivan", "Wallace", "Woods", "Cole", "West", "Jordan", "Owens",
  "Reynolds", "Fisher", "Ellis", "Harrison", "Gibson", "McDonald", "Marshall",
  "Ortega", "Wells", "Chen", "Wang", "Li", "Zhang", "Liu", "Yang", "Huang", "Zhao",
  "Wu", "Zhou", "Xu", "Sun", "Ma", "Zhu", "Hu", "Guo", "He", "Lin", "Luo", "Tanaka",
  "Suzuki", "Takahashi", "Watanabe", "Ito", "Yamamoto", "Nakamura", "Kobayashi",
  "Kato", "Yoshida", "Yamada", "Sasaki", "Yamaguchi", "Matsumoto", "Inoue",
  "O'Connor", "O'Neill", "McCarthy", "Byrne", "Ryan", "Doyle", "Kennedy", "Lynch",
  "Walsh", "Quinn", "Smyth", "Smithers", "Schmid", "Andersen", "Hansen", "Nielsen",
  "Jensen", "Pedersen", "Larsen", "Sørensen", "Rasmussen", "Jørgensen", "Petersen",
  "Eriksson", "Johansson", "Karlsson", "Nilsson", "Larsson", "Olsson", "Persson",
  "Svensson", "Gustafsson", "Pettersson", "Jonsson", "Lindberg", "Lindqvist",
  "Silva", "Santos", "Oliveira", "Souza", "Rodrigues", "Ferreira", "Alves", "Pereira",
  "Lima", "Gomes", "Ribeiro", "Carvalho", "Almeida", "Lopes", "Soares", "Fernandes",
  "Vieira", "Barbosa", "Rocha", "Dias", "Nascimento", "Andrade", "Moreira", "Nunes",
};
static const char * const given_names[] = {
  "James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda",
  "David", "Elizabeth", "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica",
  "Thomas", "Sarah", "Christopher", "Karen", "Charles", "Lisa", "Daniel", "Nancy",
  "Matthew", "Betty", "Anthony", "Sandra", "Mark", "Margaret", "Donald", "Ashley",
  "Steven", "Kimberly", "Andrew", "Emily", "Paul", "Donna", "Joshua", "Michelle",
  "Kenneth", "Carol", "Kevin", "Amanda", "Brian", "Melissa", "George", "Deborah",
  "Timothy", "Stephanie", "Ronald", "Dorothy", "Jason", "Rebecca", "Edward", "Sharon",
  "Jeffrey", "Laura", "Ryan", "Cynthia", "Jacob", "Amy", "Gary", "Kathleen",
  "Nicholas", "Angela", "Eric", "Shirley", "Jonathan", "Brenda", "Stephen", "Emma",
  "Larry", "Anna", "Justin", "Pamela", "Scott", "Nicole", "Brandon", "Samantha",
  "Benjamin", "Katherine", "Samuel", "Christine", "Gregory", "Helen", "Alexander",
  "Debra", "Patrick", "Rachel", "Frank", "Carolyn", "Raymond", "Janet", "Jack",
  "Maria", "Dennis", "Catherine", "Jerry", "Heather", "Tyler", "Diane", "Aaron",
  "Olivia", "Jose", "Julie", "Adam", "Joyce", "Nathan", "Victoria", "Henry", "Ruth",
  "Zachary", "Virginia", "Douglas", "Lauren", "Peter", "Kelly", "Kyle", "Christina",
  "Noah", "Joan", "Ethan", "Evelyn", "Jeremy", "Judith", "Walter", "Andrea",
  "Christian", "Hannah", "Keith", "Megan", "Roger", "Cheryl", "Terry", "Jacqueline",
  "Austin", "Martha", "Sean", "Madison", "Gerald", "Teresa", "Carl", "Gloria",
  "Harold", "Sara", "Dylan", "Janice", "Arthur", "Ann", "Lawrence", "Kathryn",
  "Jordan", "Abigail", "Jesse", "Sophia", "Bryan", "Frances", "Billy", "Jean",
  "Bruce", "Alice", "Gabriel", "Judy", "Joe", "Isabella", "Logan", "Julia", "Alan",
  "Grace", "Juan", "Amber", "Albert", "Denise", "Willie", "Danielle", "Elijah",
  "Marilyn", "Wayne", "Beverly", "Randy", "Charlotte", "Vincent", "Natalie", "Mason",
  "Theresa", "Roy", "Diana", "Ralph", "Brittany", "Bobby", "Doris", "Russell", "Kayla",
  "Bradley", "Alexis", "Philip", "Lori", "Eugene", "Marie", "Jürgen", "Zoë",
  "François", "Søren", "Łukasz", "Jiří", "Hélène", "Renée", "Ángel", "Inés",
};

static const char * const area_codes[] = {
  "212", "213", "305", "312", "404", "415", "503", "512", "555", "602", "617",
  "702", "713", "718", "801", "808", "860", "901", "917", "971",
};

typedef struct
{
  const char *family;
  const char *given;
  const char *birth;
  const char *phone;
  const char *last_seen;
} Planted;

/* Planted first, so they get record numbers P000001 on. */
static const Planted planted[] = {
  { "Smith", "Jo", "1980-03-05", "(555) 867-5309", "2023-06-01T10:00:00Z" },
  { "Müller", "Anna", "1975-11-23", "+49 30 1234567", NULL },
  { "Smithson", "Carl", "1969-07-20", "555-010-2030", "2024-02-02T10:00:00Z" },
  { "O'Brien", "Patrick", "1955-03-17", "617.555.0199", NULL },
  { "García", "José", "1990-12-24", NULL, NULL },
  { "Or", "Dalia", "1985-01-01", NULL, NULL },
  /* Their order for "quenby" is known: exact, most recent first, then by
   * name when seen at the same time, never seen last; then the prefix
   * matches. */
  { "Quenby", "Ann", "1950-01-01", NULL, "2021-01-01T09:00:00Z" },
  { "Quenby", "Zoe", "1951-01-01", NULL, "2024-12-01T09:00:00Z" },
  { "Quenby", "Mia", "1952-01-01", NULL, NULL },
  { "Quenby", "Cy", "1953-01-01", NULL, "2022-05-05T09:00:00Z" },
  { "Quenby", "Bo", "1954-01-01", NULL, "2022-05-05T09:00:00Z" },
  { "Quenbyson", "Al", "1955-01-01", NULL, "2025-01-01T09:00:00Z" },
  { "Quenbyson", "Ed", "1956-01-01", NULL, NULL },
};

enum { JO_SMITH, ANNA_MULLER, CARL_SMITHSON, PATRICK_OBRIEN, JOSE_GARCIA, DALIA_OR };

static const char * const quenby_order[] = {
  "Zoe", "Bo", "Cy", "Ann", "Mia", "Al", "Ed",
};

typedef struct
{
  char    *dir;
  char    *path;
  CrKey   *key;
  CrStore *store;
  gint64   planted_ids[G_N_ELEMENTS (planted)];
  gint64   n_patients;
} Practice;

static Practice *practice;

/* Skewed towards the front of a list, as real names are. */
static guint
pick_skewed (GRand *rand,
             guint  n)
{
  double u = g_rand_double (rand);

  return MIN ((guint) (n * u * u), n - 1);
}

static char *
dup_digits (const char *text)
{
  GString *digits = g_string_new (NULL);

  for (const char *p = text; p && *p; p++)
    if (g_ascii_isdigit (*p))
      g_string_append_c (digits, *p);
  if (digits->len == 0)
    return (g_string_free (digits, TRUE), NULL);
  return g_string_free (digits, FALSE);
}

static gint64
insert_patient (sqlite3_stmt *ins,
                sqlite3_stmt *fts,
                guint         record,
                const char   *family,
                const char   *given,
                const char   *birth,
                const char   *sex,
                const char   *phone,
                const char   *last_seen)
{
  g_autofree char *digits = dup_digits (phone);
  g_autofree char *names = g_strconcat (family, " ", given, NULL);
  g_autofree char *record_number = g_strdup_printf ("P%06u", record);
  gint64 id;

  sqlite3_reset (ins);
  _cr_bind_text (ins, 1, record_number);
  _cr_bind_text (ins, 2, family);
  _cr_bind_text (ins, 3, given);
  _cr_bind_text (ins, 4, birth);
  _cr_bind_text (ins, 5, sex);
  _cr_bind_text (ins, 6, phone);
  _cr_bind_text (ins, 7, digits);
  _cr_bind_text (ins, 8, last_seen);
  g_assert_cmpint (sqlite3_step (ins), ==, SQLITE_DONE);
  id = sqlite3_last_insert_rowid (sqlite3_db_handle (ins));

  /* As cr-patients.c keeps the name index: docid = patients.id. */
  sqlite3_reset (fts);
  sqlite3_bind_int64 (fts, 1, id);
  _cr_bind_text (fts, 2, names);
  g_assert_cmpint (sqlite3_step (fts), ==, SQLITE_DONE);
  return id;
}

static void
fill_practice (Practice *p)
{
  g_autoptr(CrStoreLocker) locker = _cr_store_lock (p->store);
  g_autoptr(GError) error = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (20240305);
  sqlite3_stmt *ins;
  sqlite3_stmt *fts;
  guint record = 1;

  g_assert_true (_cr_store_begin (p->store, &error));
  ins = _cr_store_prepare (p->store,
                           "INSERT INTO patients (record_number, family_name, given_names,"
                           " birth_date, sex, phone, phone_digits, last_seen,"
                           " created_at, created_by, updated_at, updated_by)"
                           " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8,"
                           " '2024-01-01T00:00:00Z', 'test', '2024-01-01T00:00:00Z', 'test')",
                           &error);
  g_assert_no_error (error);
  fts = _cr_store_prepare (p->store, "INSERT INTO patient_search (docid, names) VALUES (?, ?)",
                           &error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (planted); i++)
    p->planted_ids[i] = insert_patient (ins, fts, record++, planted[i].family, planted[i].given,
                                        planted[i].birth, "unknown", planted[i].phone,
                                        planted[i].last_seen);

  for (guint i = 0; i < N_RANDOM; i++)
    {
      g_autofree char *birth = NULL;
      g_autofree char *phone = NULL;
      g_autofree char *seen = NULL;
      guint style = g_rand_int_range (rand, 0, 3);
      const char *area = area_codes[g_rand_int_range (rand, 0, G_N_ELEMENTS (area_codes))];
      int exchange = g_rand_int_range (rand, 200, 1000);
      int line = g_rand_int_range (rand, 0, 10000);

      birth = g_strdup_printf ("%04d-%02d-%02d", g_rand_int_range (rand, 1925, 2024),
                               g_rand_int_range (rand, 1, 13), g_rand_int_range (rand, 1, 29));
      if (style == 0)
        phone = g_strdup_printf ("(%s) %03d-%04d", area, exchange, line);
      else if (style == 1)
        phone = g_strdup_printf ("%s-%03d-%04d", area, exchange, line);
      else
        phone = g_strdup_printf ("+1 %s %03d %04d", area, exchange, line);
      /* Seven in ten were seen at some time in the last five years. */
      if (g_rand_int_range (rand, 0, 10) < 7)
        seen = g_strdup_printf ("%04d-%02d-%02dT%02d:%02d:00Z",
                                g_rand_int_range (rand, 2020, 2025),
                                g_rand_int_range (rand, 1, 13), g_rand_int_range (rand, 1, 29),
                                g_rand_int_range (rand, 8, 18), g_rand_int_range (rand, 0, 60));

      insert_patient (ins, fts, record++,
                      family_names[pick_skewed (rand, G_N_ELEMENTS (family_names))],
                      given_names[pick_skewed (rand, G_N_ELEMENTS (given_names))],
                      birth, g_rand_boolean (rand) ? "female" : "male", phone, seen);
    }

  g_assert_true (_cr_store_commit (p->store, &error));
  g_assert_no_error (error);
  p->n_patients = N_RANDOM + G_N_ELEMENTS (planted);
}

static CrStore *
big_store (void)
{
  g_autoptr(GError) error = NULL;
  gint64 start;

  if (practice != NULL)
    return practice->store;

  practice = g_new0 (Practice, 1);
  practice->dir = test_make_temp_dir ();
  practice->path = g_build_filename (practice->dir, "practice.chartroom", NULL);
  practice->key = cr_key_new_random (&error);
  g_assert_no_error (error);
  practice->store = cr_store_create (practice->path, practice->key, "Search Practice", &error);
  g_assert_no_error (error);
  cr_store_set_user (practice->store, "tester");

  start = g_get_monotonic_time ();
  fill_practice (practice);
  g_test_message ("built a practice of %" G_GINT64_FORMAT " patients in %.1f s",
                  practice->n_patients, (g_get_monotonic_time () - start) / 1e6);
  return practice->store;
}

static void
free_practice (void)
{
  if (practice == NULL)
    return;
  g_assert_finalize_object (practice->store);
  cr_key_free (practice->key);
  test_remove_tree (practice->dir);
  g_free (practice->dir);
  g_free (practice->path);
  g_clear_pointer (&practice, g_free);
}

/* ---- helpers ------------------------------------------------------------ */

static GPtrArray *
search (const char *text,
        guint       offset,
        guint       limit)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *found = cr_store_search_patients (big_store (), text, offset, limit, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (found);
  return found;
}

static GArray *
search_ids (const char *text,
            guint       offset,
            guint       limit,
            guint      *n_matches)
{
  g_autoptr(GError) error = NULL;
  GArray *ids = _cr_store_search_patient_ids (big_store (), text, offset, limit, n_matches,
                                              NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (ids);
  return ids;
}

static gboolean
found_id (GPtrArray *found,
          gint64     id)
{
  for (guint i = 0; i < found->len; i++)
    if (cr_patient_get_id (g_ptr_array_index (found, i)) == id)
      return TRUE;
  return FALSE;
}

static gint64
sql_count (const char *sql,
           const char *param)
{
  CrStore *store = big_store ();
  g_autoptr(CrStoreLocker) locker = _cr_store_lock (store);
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt = _cr_store_prepare (store, sql, &error);
  gint64 n;

  g_assert_no_error (error);
  if (param != NULL)
    _cr_bind_text (stmt, 1, param);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return n;
}

typedef struct
{
  gint64  id;
  char   *last_seen;
  char   *family;
  char   *given;
} Row;

static void
row_clear (Row *row)
{
  g_free (row->last_seen);
  g_free (row->family);
  g_free (row->given);
}

static void
get_row (gint64  id,
         Row    *row)
{
  CrStore *store = big_store ();
  g_autoptr(CrStoreLocker) locker = _cr_store_lock (store);
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt = _cr_store_prepare (store,
                                          "SELECT last_seen, family_name, given_names"
                                          " FROM patients WHERE id = ?", &error);

  g_assert_no_error (error);
  sqlite3_bind_int64 (stmt, 1, id);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  row->id = id;
  row->last_seen = g_strdup (_cr_column_text (stmt, 0));
  row->family = g_strdup (_cr_column_text (stmt, 1));
  row->given = g_strdup (_cr_column_text (stmt, 2));
  sqlite3_reset (stmt);
}

/* How many of @words (lower case, ASCII) are whole words of the name. */
static guint
exact_words (const Row          *row,
             const char * const *words)
{
  g_autofree char *name = g_strconcat (row->family, " ", row->given, NULL);
  g_autofree char *lower = g_utf8_strdown (name, -1);
  g_auto(GStrv) parts = NULL;
  guint n = 0;

  for (char *p = lower; *p; p++)
    if (!g_ascii_isalnum (*p) && !((guchar) *p & 0x80))
      *p = ' ';
  parts = g_strsplit (lower, " ", -1);
  for (guint i = 0; words[i] != NULL; i++)
    for (guint j = 0; parts[j] != NULL; j++)
      if (strcmp (parts[j], words[i]) == 0)
        {
          n++;
          break;
        }
  return n;
}

/* Is @b ranked correctly after @a? */
static void
assert_ranked (const Row          *a,
               const Row          *b,
               const char * const *words)
{
  guint sa = exact_words (a, words);
  guint sb = exact_words (b, words);
  int cmp;

  g_assert_cmpuint (sa, >=, sb);
  if (sa != sb)
    return;
  if (a->last_seen == NULL || b->last_seen == NULL)
    cmp = (a->last_seen == NULL) - (b->last_seen == NULL);
  else
    cmp = -strcmp (a->last_seen, b->last_seen);
  if (cmp == 0)
    cmp = strcmp (a->family, b->family);
  if (cmp == 0)
    cmp = strcmp (a->given, b->given);
  if (cmp == 0)
    cmp = (a->id > b->id) - (a->id < b->id);
  g_assert_cmpint (cmp, <, 0);
}

static void
assert_all_ranked (GArray             *ids,
                   const char * const *words)
{
  Row prev = { 0 };

  for (guint i = 0; i < ids->len; i++)
    {
      Row row = { 0 };

      get_row (g_array_index (ids, gint64, i), &row);
      if (i > 0)
        assert_ranked (&prev, &row, words);
      row_clear (&prev);
      prev = row;
    }
  row_clear (&prev);
}

/* ---- the search --------------------------------------------------------- */

static void
test_name_fragments (void)
{
  g_autoptr(GPtrArray) found = search ("smi jo", 0, 50);
  g_autoptr(GPtrArray) reversed = search ("jo smi", 0, 50);
  g_autoptr(GPtrArray) full = search ("Smith Jo", 0, 50);
  g_autoptr(GPtrArray) obrien = search ("o'brien", 0, 50);
  g_autoptr(GPtrArray) obrien2 = search ("brien o", 0, 50);

  /* The only patient with the whole word "jo": first. */
  g_assert_cmpuint (found->len, ==, 50);
  g_assert_cmpint (cr_patient_get_id (g_ptr_array_index (found, 0)), ==,
                   practice->planted_ids[JO_SMITH]);
  g_assert_cmpint (cr_patient_get_id (g_ptr_array_index (reversed, 0)), ==,
                   practice->planted_ids[JO_SMITH]);
  g_assert_cmpint (cr_patient_get_id (g_ptr_array_index (full, 0)), ==,
                   practice->planted_ids[JO_SMITH]);
  for (guint i = 0; i < found->len; i++)
    {
      CrPatient *patient = g_ptr_array_index (found, i);
      g_autofree char *name = g_utf8_strdown (cr_patient_get_family_name (patient), -1);
      g_autofree char *given = g_utf8_strdown (cr_patient_get_given_names (patient), -1);

      /* Both fragments start a word of the name. */
      g_assert_true (g_str_has_prefix (name, "smi") || g_str_has_prefix (given, "smi"));
      g_assert_true (g_str_has_prefix (given, "jo") || g_str_has_prefix (name, "jo"));
    }

  g_assert_cmpint (cr_patient_get_id (g_ptr_array_index (obrien, 0)), ==,
                   practice->planted_ids[PATRICK_OBRIEN]);
  g_assert_cmpint (cr_patient_get_id (g_ptr_array_index (obrien2, 0)), ==,
                   practice->planted_ids[PATRICK_OBRIEN]);
}

static void
test_ranking (void)
{
  static const char * const smith[] = { "smith", NULL };
  static const char * const smith_j[] = { "smith", "j", NULL };
  g_autoptr(GPtrArray) found = search ("quenby", 0, 50);
  g_autoptr(GArray) all = NULL;
  g_autoptr(GArray) all_j = NULL;
  guint n = 0;

  g_assert_cmpuint (found->len, ==, G_N_ELEMENTS (quenby_order));
  for (guint i = 0; i < found->len; i++)
    g_assert_cmpstr (cr_patient_get_given_names (g_ptr_array_index (found, i)), ==,
                     quenby_order[i]);

  /* Over thousands: exact "smith" before Smithson, Smithers; recently seen
   * first among equals, then by name. */
  all = search_ids ("smith", 0, ALL, &n);
  g_assert_cmpuint (all->len, ==, n);
  g_assert_cmpint (n, ==, sql_count ("SELECT count(*) FROM patient_search WHERE names MATCH ?",
                                     "smith*"));
  g_assert_cmpuint (n, >, 1000);
  assert_all_ranked (all, smith);
  {
    Row first = { 0 }, last = { 0 };

    get_row (g_array_index (all, gint64, 0), &first);
    get_row (g_array_index (all, gint64, all->len - 1), &last);
    g_assert_cmpuint (exact_words (&first, smith), ==, 1);
    g_assert_cmpuint (exact_words (&last, smith), ==, 0);
    row_clear (&first);
    row_clear (&last);
  }

  all_j = search_ids ("smith j", 0, ALL, &n);
  g_assert_cmpuint (n, ==, all_j->len);
  g_assert_cmpuint (n, >, 100);
  assert_all_ranked (all_j, smith_j);
}

/* The first screenful and later pages are computed differently from the
 * whole list (index walk, row tests, sorting by id): they must agree. */
static void
test_windows_agree (void)
{
  static const char * const queries[] = {
    "s", "sm", "smi", "smith", "smith j", "1980-03-05", "P0001", "555", "P0", "P00",
    "smith 555", "j smith", "müller", "o", "quenby", "555 p0", "212-5", "",
  };

  for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
    {
      g_autoptr(GArray) all = NULL;
      guint n = 0;
      const guint windows[][2] = {
        { 0, 50 }, { 50, 50 }, { 0, 1 }, { 10, 200 }, { 0, 1000 },
      };

      all = search_ids (queries[q], 0, ALL, &n);
      g_assert_cmpuint (all->len, ==, n);
      g_test_message ("“%s”: %u matches", queries[q], n);
      for (guint w = 0; w < G_N_ELEMENTS (windows); w++)
        {
          guint offset = windows[w][0];
          guint limit = windows[w][1];
          g_autoptr(GArray) window = search_ids (queries[q], offset, limit, NULL);
          guint expected = offset < n ? MIN (limit, n - offset) : 0;

          g_assert_cmpuint (window->len, ==, expected);
          for (guint i = 0; i < window->len; i++)
            g_assert_cmpint (g_array_index (window, gint64, i), ==,
                             g_array_index (all, gint64, offset + i));
        }
    }
}

static void
test_birth_date (void)
{
  static const char * const forms[] = {
    "1980-03-05", "03/05/1980", "3/5/1980", "05.03.1980", "19800305", " 1980-03-05 ",
  };

  for (guint f = 0; f < G_N_ELEMENTS (forms); f++)
    {
      g_autoptr(GPtrArray) found = search (forms[f], 0, 1000);

      g_assert_true (found_id (found, practice->planted_ids[JO_SMITH]));
      for (guint i = 0; i < found->len; i++)
        {
          CrPatient *patient = g_ptr_array_index (found, i);
          g_autofree char *digits = dup_digits (cr_patient_get_phone (patient));

          /* Eight digits may also be part of a phone number. */
          if (g_strcmp0 (cr_patient_get_birth_date (patient), "1980-03-05") != 0)
            {
              g_assert_cmpstr (forms[f], ==, "19800305");
              g_assert_nonnull (strstr (digits, "19800305"));
            }
        }
      g_assert_cmpuint (found->len, >=, sql_count ("SELECT count(*) FROM patients"
                                                   " WHERE birth_date = ?", "1980-03-05"));
    }

  /* With a name: only that patient. */
  {
    g_autoptr(GPtrArray) found = search ("smith 3/5/1980", 0, 50);

    g_assert_cmpuint (found->len, >=, 1);
    g_assert_cmpint (cr_patient_get_id (g_ptr_array_index (found, 0)), ==,
                     practice->planted_ids[JO_SMITH]);
    for (guint i = 0; i < found->len; i++)
      g_assert_cmpstr (cr_patient_get_birth_date (g_ptr_array_index (found, i)), ==,
                       "1980-03-05");
  }
}

/* A year, or the start of an ISO date, may be the start of a birth date as
 * well as part of a phone number: both match, ranked as usual, and the
 * first screenful agrees with the whole list. */
static void
test_birth_year (void)
{
  static const char * const prefixes[] = {
    "1980", "1980-", "1980-03", "1980-03-", "1980-03-0",
  };

  for (guint p = 0; p < G_N_ELEMENTS (prefixes); p++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GArray) all = NULL;
      g_autoptr(GArray) first = NULL;
      g_autoptr(GPtrArray) rows = NULL;
      g_auto(GStrv) parts = g_strsplit (prefixes[p], "-", -1);
      g_autofree char *digits = g_strjoinv ("", parts);
      guint n = 0;
      guint n_born = 0;

      all = search_ids (prefixes[p], 0, ALL, &n);
      g_assert_cmpuint (all->len, ==, n);
      g_assert_cmpint (n, ==, sql_count ("SELECT count(*) FROM patients"
                                         " WHERE birth_date LIKE ?1 || '%'"
                                         " OR instr (phone_digits, replace (?1, '-', '')) > 0",
                                         prefixes[p]));
      rows = _cr_store_get_patients_by_ids (big_store (), (gint64 *) all->data, all->len,
                                            &error);
      g_assert_no_error (error);
      for (guint i = 0; i < rows->len; i++)
        {
          CrPatient *patient = g_ptr_array_index (rows, i);
          const char *birth = cr_patient_get_birth_date (patient);
          g_autofree char *phone = dup_digits (cr_patient_get_phone (patient));

          if (birth != NULL && g_str_has_prefix (birth, prefixes[p]))
            n_born++;
          else
            g_assert_true (phone != NULL && strstr (phone, digits) != NULL);
        }
      /* Hundreds born that year; Jo Smith (1980-03-05) among them. */
      g_assert_cmpuint (n_born, >, p < 2 ? 500 : 5);
      g_assert_true (found_id (rows, practice->planted_ids[JO_SMITH]));

      first = search_ids (prefixes[p], 0, 50, NULL);
      g_assert_cmpuint (first->len, ==, MIN (50, n));
      for (guint i = 0; i < first->len; i++)
        g_assert_cmpint (g_array_index (first, gint64, i), ==, g_array_index (all, gint64, i));
    }

  /* Not a plausible birth year: a phone fragment only. */
  {
    g_autoptr(GArray) ids = search_ids ("2125", 0, ALL, NULL);

    g_assert_cmpint (ids->len, ==, sql_count ("SELECT count(*) FROM patients"
                                              " WHERE instr (phone_digits, ?) > 0", "2125"));
  }
}

static void
test_record_number (void)
{
  g_autoptr(GPtrArray) exact = search ("P000123", 0, 50);
  g_autoptr(GPtrArray) lower = search ("p000123", 0, 50);
  g_autoptr(GPtrArray) shorthand = search ("p123", 0, 50);
  g_autoptr(GPtrArray) jo = search ("P1", 0, 50);
  g_autoptr(GArray) prefix = NULL;
  guint n = 0;

  g_assert_cmpuint (exact->len, ==, 1);
  g_assert_cmpstr (cr_patient_get_record_number (g_ptr_array_index (exact, 0)), ==, "P000123");
  g_assert_cmpuint (lower->len, ==, 1);
  g_assert_cmpstr (cr_patient_get_record_number (g_ptr_array_index (lower, 0)), ==, "P000123");
  g_assert_cmpuint (shorthand->len, ==, 1);
  g_assert_cmpstr (cr_patient_get_record_number (g_ptr_array_index (shorthand, 0)), ==,
                   "P000123");
  /* P000001 exactly, ranked first, then the P1….. numbers. */
  g_assert_cmpstr (cr_patient_get_record_number (g_ptr_array_index (jo, 0)), ==, "P000001");
  g_assert_cmpint (cr_patient_get_id (g_ptr_array_index (jo, 0)), ==,
                   practice->planted_ids[JO_SMITH]);
  for (guint i = 1; i < jo->len; i++)
    g_assert_true (g_str_has_prefix (cr_patient_get_record_number (g_ptr_array_index (jo, i)),
                                     "P1"));

  /* P000100 to P000199. */
  prefix = search_ids ("P0001", 0, ALL, &n);
  g_assert_cmpuint (n, ==, 100);
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) rows = _cr_store_get_patients_by_ids (big_store (),
                                                               (gint64 *) prefix->data,
                                                               prefix->len, &error);

    g_assert_no_error (error);
    for (guint i = 0; i < rows->len; i++)
      g_assert_true (g_str_has_prefix (cr_patient_get_record_number (g_ptr_array_index (rows, i)),
                                       "P0001"));
  }
}

static void
test_phone (void)
{
  static const char * const fragments[][2] = {
    { "867-5309", "8675309" },
    { "5309", "5309" },
    { "(555) 867", "555867" },
    { "86 75", "8675" },
    { "555.867.5309", "5558675309" },
    { "+1 555 867 5309", "15558675309" },
  };

  for (guint f = 0; f < G_N_ELEMENTS (fragments); f++)
    {
      g_autoptr(GArray) ids = search_ids (fragments[f][0], 0, ALL, NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) rows = _cr_store_get_patients_by_ids (big_store (),
                                                                 (gint64 *) ids->data,
                                                                 ids->len, &error);
      gboolean jo_found = FALSE;

      g_assert_no_error (error);
      g_assert_cmpint (ids->len, ==, sql_count ("SELECT count(*) FROM patients"
                                                " WHERE instr (phone_digits, ?) > 0",
                                                fragments[f][1]));
      for (guint i = 0; i < rows->len; i++)
        {
          CrPatient *patient = g_ptr_array_index (rows, i);
          g_autofree char *digits = dup_digits (cr_patient_get_phone (patient));

          g_assert_nonnull (strstr (digits, fragments[f][1]));
          jo_found |= cr_patient_get_id (patient) == practice->planted_ids[JO_SMITH];
        }
      /* The last one has the country code, which Jo's number lacks. */
      g_assert_true (jo_found || f == G_N_ELEMENTS (fragments) - 1);
    }

  /* Two digits say too little: nothing, and no error. */
  {
    g_autoptr(GPtrArray) found = search ("55", 0, 50);

    g_assert_cmpuint (found->len, ==, 0);
  }
}

static void
test_diacritics (void)
{
  static const char * const forms[] = { "muller", "MÜLLER", "müller", "Mu\xcc\x88ller", "Müll" };
  g_autoptr(GPtrArray) jose = search ("jose garcia", 0, 50);
  g_autoptr(GPtrArray) jose2 = search ("José García", 0, 50);

  for (guint f = 0; f < G_N_ELEMENTS (forms); f++)
    {
      g_autoptr(GArray) ids = search_ids (forms[f], 0, ALL, NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) rows = _cr_store_get_patients_by_ids (big_store (),
                                                                 (gint64 *) ids->data,
                                                                 ids->len, &error);
      guint n_umlaut = 0;

      g_assert_no_error (error);
      g_assert_cmpuint (rows->len, >, 1);
      for (guint i = 0; i < rows->len; i++)
        {
          const char *family = cr_patient_get_family_name (g_ptr_array_index (rows, i));

          g_assert_true (strcmp (family, "Müller") == 0 || strcmp (family, "Muller") == 0);
          n_umlaut += strcmp (family, "Müller") == 0;
        }
      g_assert_cmpuint (n_umlaut, ==, 1);
      g_assert_true (found_id (rows, practice->planted_ids[ANNA_MULLER]));
    }

  g_assert_cmpint (cr_patient_get_id (g_ptr_array_index (jose, 0)), ==,
                   practice->planted_ids[JOSE_GARCIA]);
  g_assert_cmpint (cr_patient_get_id (g_ptr_array_index (jose2, 0)), ==,
                   practice->planted_ids[JOSE_GARCIA]);
}

static void
test_syntax_is_text (void)
{
  static const char * const texts[] = {
    "\"", "\"smith", "smith\"", "*", "smi*", "-smith", "smith -jo", "OR", "smith OR jones",
    "AND", "NOT smith", "NEAR", "smith NEAR/2 jo", "names:smith", "(smith)", "^smith",
    "'; DROP TABLE patients; --", "\\", "%", "_", "smith%", "P%", "P_0001", "' OR '1'='1",
    "\xe2\x85\xa7", "\xf0\x9f\x98\x80", "\xcc\x88", "a\xcc\x88", "\xef\xbc\xb3mith",
    "\x01\x02", "\t\n", "....", "----", "()", "+", "//", "1-2-3", "0000-00-00", "99/99/9999",
  };
  g_autoptr(GPtrArray) dalia = search ("OR", 0, 50);
  g_autoptr(GPtrArray) minus = search ("-smith", 0, 50);
  g_autoptr(GPtrArray) plain = search ("smith", 0, 50);
  g_autoptr(GPtrArray) invalid = search ("smi\xff", 0, 50);
  g_autoptr(GPtrArray) everyone = search ("", 0, 1);

  for (guint t = 0; t < G_N_ELEMENTS (texts); t++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GArray) ids = _cr_store_search_patient_ids (big_store (), texts[t], 0, 50,
                                                            NULL, NULL, &error);

      g_assert_no_error (error);
      g_assert_nonnull (ids);
    }

  /* "OR" is a name here, not an operator. */
  g_assert_cmpint (cr_patient_get_id (g_ptr_array_index (dalia, 0)), ==,
                   practice->planted_ids[DALIA_OR]);
  /* A minus sign does not exclude: "-smith" is "smith". */
  g_assert_cmpuint (minus->len, ==, plain->len);
  for (guint i = 0; i < minus->len; i++)
    g_assert_true (g_ptr_array_index (minus, i) != NULL &&
                   cr_patient_get_id (g_ptr_array_index (minus, i)) ==
                   cr_patient_get_id (g_ptr_array_index (plain, i)));
  /* Invalid UTF-8 is no search at all: everyone. */
  g_assert_cmpuint (invalid->len, ==, 50);
  g_assert_cmpint (cr_patient_get_id (g_ptr_array_index (invalid, 0)), ==,
                   cr_patient_get_id (g_ptr_array_index (everyone, 0)));

  /* Nothing was dropped or changed. */
  g_assert_cmpint (sql_count ("SELECT count(*) FROM patients", NULL), ==, practice->n_patients);
  g_assert_cmpint (sql_count ("SELECT count(*) FROM patient_search", NULL), ==,
                   practice->n_patients);
}

static void
test_empty_lists_everyone (void)
{
  g_autoptr(GArray) all = NULL;
  g_autoptr(GPtrArray) first = search ("", 0, 100);
  g_autoptr(GPtrArray) blank = search ("   ", 0, 100);
  g_autoptr(GPtrArray) null_text = search (NULL, 0, 100);
  guint n = 0;

  all = search_ids ("", 0, ALL, &n);
  g_assert_cmpuint (n, ==, practice->n_patients);
  g_assert_cmpuint (all->len, ==, n);

  g_assert_cmpuint (first->len, ==, 100);
  for (guint i = 1; i < first->len; i++)
    {
      CrPatient *a = g_ptr_array_index (first, i - 1);
      CrPatient *b = g_ptr_array_index (first, i);
      int cmp = strcmp (cr_patient_get_family_name (a), cr_patient_get_family_name (b));

      if (cmp == 0)
        cmp = strcmp (cr_patient_get_given_names (a), cr_patient_get_given_names (b));
      if (cmp == 0)
        cmp = cr_patient_get_id (a) < cr_patient_get_id (b) ? -1 : 1;
      g_assert_cmpint (cmp, <, 0);
      g_assert_cmpint (cr_patient_get_id (b), ==, g_array_index (all, gint64, i));
      g_assert_cmpint (cr_patient_get_id (g_ptr_array_index (blank, i)), ==,
                       cr_patient_get_id (b));
      g_assert_cmpint (cr_patient_get_id (g_ptr_array_index (null_text, i)), ==,
                       cr_patient_get_id (b));
    }
}

static void
test_cancelled (void)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = NULL;

  g_cancellable_cancel (cancellable);
  found = cr_store_search_patients (big_store (), "smith", 0, 50, cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (found);
}

/* ---- the sidebar's list ------------------------------------------------- */

typedef struct
{
  guint n_changes;
  guint removed;
  guint added;
} Changes;

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Changes    *changes)
{
  g_assert_cmpuint (position, ==, 0);
  changes->n_changes++;
  changes->removed = removed;
  changes->added = added;
}

static void
on_loading (CrPatientList *list,
            GParamSpec    *pspec,
            GMainLoop     *loop)
{
  if (!cr_patient_list_get_loading (list))
    g_main_loop_quit (loop);
}

static gboolean
on_too_long (gpointer data)
{
  g_error ("The search did not finish within a minute");
  return G_SOURCE_REMOVE;
}

static void
run_until_loaded (CrPatientList *list)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  gulong handler;
  guint timeout;

  if (!cr_patient_list_get_loading (list))
    return;
  handler = g_signal_connect (list, "notify::loading", G_CALLBACK (on_loading), loop);
  timeout = g_timeout_add_seconds (60, on_too_long, NULL);
  g_main_loop_run (loop);
  g_source_remove (timeout);
  g_signal_handler_disconnect (list, handler);
}

static void
test_list_paging (void)
{
  g_autoptr(CrPatientList) list = cr_patient_list_new (big_store ());
  g_autoptr(GArray) expected = NULL;
  Changes changes = { 0 };
  const guint positions[] = { 0, 49, 50, 51, 99, 100, 1234 };
  guint n_matches = 0;
  guint n;

  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (list)) == CR_TYPE_PATIENT);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 0);
  g_signal_connect (list, "items-changed", G_CALLBACK (on_items_changed), &changes);

  cr_patient_list_set_search (list, "smith");
  g_assert_true (cr_patient_list_get_loading (list));
  run_until_loaded (list);

  n = g_list_model_get_n_items (G_LIST_MODEL (list));
  g_object_get (list, "n-matches", &n_matches, NULL);
  g_assert_cmpuint (n, ==, n_matches);
  g_assert_cmpint (n, ==, sql_count ("SELECT count(*) FROM patient_search WHERE names MATCH ?",
                                     "smith*"));
  g_assert_cmpuint (changes.n_changes, ==, 1);
  g_assert_cmpuint (changes.removed, ==, 0);
  g_assert_cmpuint (changes.added, ==, n);

  expected = search_ids ("smith", 0, ALL, NULL);
  g_assert_cmpuint (expected->len, ==, n);
  for (guint i = 0; i < G_N_ELEMENTS (positions) + 1; i++)
    {
      guint position = i < G_N_ELEMENTS (positions) ? positions[i] : n - 1;
      g_autoptr(CrPatient) patient = g_list_model_get_item (G_LIST_MODEL (list), position);
      g_autoptr(CrPatient) again = g_list_model_get_item (G_LIST_MODEL (list), position);

      g_assert_nonnull (patient);
      g_assert_cmpint (cr_patient_get_id (patient), ==,
                       g_array_index (expected, gint64, position));
      g_assert_true (g_str_has_prefix (cr_patient_get_family_name (patient), "Smith") ||
                     g_str_has_prefix (cr_patient_get_given_names (patient), "Smith"));
      /* The page cache answers the second time. */
      g_assert_true (patient == again);
    }
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (list), n));
  {
    g_autoptr(CrPatient) first = g_list_model_get_item (G_LIST_MODEL (list), 0);

    /* Exact "Smith" first, the most recently seen of them. */
    g_assert_cmpstr (cr_patient_get_family_name (first), ==, "Smith");
  }
}

static void
test_list_latest_wins (void)
{
  g_autoptr(CrPatientList) list = cr_patient_list_new (big_store ());
  g_autoptr(CrPatient) first = NULL;
  CrPatientList *doomed;
  Changes changes = { 0 };
  guint n_smith;
  gint64 deadline;

  cr_patient_list_set_search (list, "smith");
  run_until_loaded (list);
  n_smith = g_list_model_get_n_items (G_LIST_MODEL (list));

  g_signal_connect (list, "items-changed", G_CALLBACK (on_items_changed), &changes);
  cr_patient_list_set_search (list, "s");
  cr_patient_list_set_search (list, "");
  cr_patient_list_set_search (list, "quenby");
  g_assert_cmpstr (cr_patient_list_get_search (list), ==, "quenby");
  /* The old results stay until the new ones are ready. */
  g_assert_true (cr_patient_list_get_loading (list));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, n_smith);
  run_until_loaded (list);

  /* Only the last search landed, at once. */
  g_assert_cmpuint (changes.n_changes, ==, 1);
  g_assert_cmpuint (changes.removed, ==, n_smith);
  g_assert_cmpuint (changes.added, ==, G_N_ELEMENTS (quenby_order));
  g_assert_cmpuint (cr_patient_list_get_n_matches (list), ==, G_N_ELEMENTS (quenby_order));
  first = g_list_model_get_item (G_LIST_MODEL (list), 0);
  g_assert_cmpstr (cr_patient_list_get_search (list), ==, "quenby");
  g_assert_cmpstr (cr_patient_get_given_names (first), ==, quenby_order[0]);

  /* Dropped while searching: it goes once the search is done (the last
   * reference may go in the worker thread, so poll rather than block). */
  doomed = cr_patient_list_new (big_store ());
  g_object_add_weak_pointer (G_OBJECT (doomed), (gpointer *) &doomed);
  cr_patient_list_set_search (doomed, "s");
  g_object_unref (doomed);
  deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  while (g_atomic_pointer_get (&doomed) != NULL && g_get_monotonic_time () < deadline)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (1000);
  g_assert_null (g_atomic_pointer_get (&doomed));
}

static int n_live_patients;

static void
on_patient_finalized (gpointer  data,
                      GObject  *where_the_object_was)
{
  n_live_patients--;
}

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double da = *(const double *) a;
  double db = *(const double *) b;

  return (da > db) - (da < db);
}

static double
percentile (GArray *times,
            double  p)
{
  guint i;

  g_array_sort (times, compare_double);
  i = MIN ((guint) (p * times->len), times->len - 1);
  return g_array_index (times, double, i);
}

static void
test_list_bounded (void)
{
  g_autoptr(CrPatientList) list = cr_patient_list_new (big_store ());
  g_autoptr(GArray) page_times = g_array_new (FALSE, FALSE, sizeof (double));
  guint n;

  cr_patient_list_set_search (list, NULL);
  run_until_loaded (list);
  n = g_list_model_get_n_items (G_LIST_MODEL (list));
  g_assert_cmpuint (n, ==, practice->n_patients);

  /* Walk every patient as a scrolling view would; count the patients alive. */
  n_live_patients = 0;
  for (guint i = 0; i < n; i++)
    {
      gint64 start = g_get_monotonic_time ();
      CrPatient *patient = g_list_model_get_item (G_LIST_MODEL (list), i);

      if (i % 50 == 0)
        {
          double ms = (g_get_monotonic_time () - start) / 1000.0;

          g_array_append_val (page_times, ms);
        }
      if (g_object_get_data (G_OBJECT (patient), "test-counted") == NULL)
        {
          g_object_set_data (G_OBJECT (patient), "test-counted", GINT_TO_POINTER (1));
          g_object_weak_ref (G_OBJECT (patient), on_patient_finalized, NULL);
          n_live_patients++;
        }
      g_object_unref (patient);
    }

  g_test_message ("list of %u: %d patients alive after walking all, %u cached",
                  n, n_live_patients, cr_patient_list_get_n_cached (list));
  g_assert_cmpint (n_live_patients, >, 0);
  g_assert_cmpint (n_live_patients, <=, 400);
  g_assert_cmpuint (cr_patient_list_get_n_cached (list), <=, 400);
  g_test_message ("page of 50 by id, on the main thread: p50 %.3f ms, p99 %.3f ms, max %.3f ms",
                  percentile (page_times, 0.5), percentile (page_times, 0.99),
                  percentile (page_times, 1.0));
  g_clear_object (&list);
  g_assert_cmpint (n_live_patients, ==, 0);
}

/* ---- timing (reported, never asserted) ----------------------------------- */

static const char * const typed[] = {
  "s", "sm", "smi", "smith", "smith j", "1980-03-05", "P0001", "555",
};

static void
measure (CrStore    *store,
         const char *label,
         gboolean    whole_list,
         guint       reps,
         GArray     *all_times,
         double     *p50_out,
         double     *p99_out)
{
  for (guint q = 0; q < G_N_ELEMENTS (typed); q++)
    {
      g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
      guint n_found = 0;

      for (guint r = 0; r < reps + 3; r++)
        {
          g_autoptr(GError) error = NULL;
          gint64 start = g_get_monotonic_time ();
          double ms;

          if (whole_list)
            {
              g_autoptr(GArray) ids = _cr_store_search_patient_ids (store, typed[q], 0, ALL,
                                                                    &n_found, NULL, &error);
              g_assert_nonnull (ids);
            }
          else
            {
              g_autoptr(GPtrArray) found = cr_store_search_patients (store, typed[q], 0, 50,
                                                                     NULL, &error);
              g_assert_nonnull (found);
              n_found = found->len;
            }
          g_assert_no_error (error);
          ms = (g_get_monotonic_time () - start) / 1000.0;
          /* The first runs warm the page cache. */
          if (r >= 3)
            {
              g_array_append_val (times, ms);
              g_array_append_val (all_times, ms);
            }
        }
      g_test_message ("%s “%s” (%u): p50 %.3f ms, p99 %.3f ms", label, typed[q], n_found,
                      percentile (times, 0.5), percentile (times, 0.99));
      if (p50_out != NULL)
        {
          p50_out[q] = percentile (times, 0.5);
          p99_out[q] = percentile (times, 0.99);
        }
    }
}

static void
test_timing (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrStore) plain = NULL;
  g_autoptr(GArray) enc_times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) plain_times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) list_times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *plain_path = NULL;
  double enc_p50[G_N_ELEMENTS (typed)], enc_p99[G_N_ELEMENTS (typed)];
  double plain_p50[G_N_ELEMENTS (typed)], plain_p99[G_N_ELEMENTS (typed)];
  guint reps = g_test_perf () ? 1000 : 200;

  big_store ();
  plain_path = g_build_filename (practice->dir, "plain-copy.sqlite", NULL);
  g_assert_true (cr_store_export_plain_copy (practice->store, plain_path, &error));
  g_assert_no_error (error);
  plain = _cr_store_open_plain_for_benchmark (plain_path, &error);
  g_assert_no_error (error);

  measure (practice->store, "encrypted, first 50", FALSE, reps, enc_times, enc_p50, enc_p99);
  measure (plain, "plain copy, first 50", FALSE, reps, plain_times, plain_p50, plain_p99);
  for (guint q = 0; q < G_N_ELEMENTS (typed); q++)
    g_test_message ("“%s”: encrypted / plain: p50 %.2fx, p99 %.2fx", typed[q],
                    enc_p50[q] / MAX (plain_p50[q], 0.001), enc_p99[q] / MAX (plain_p99[q], 0.001));
  g_test_message ("every keystroke, first 50: encrypted p50 %.3f ms p99 %.3f ms; "
                  "plain p50 %.3f ms p99 %.3f ms",
                  percentile (enc_times, 0.5), percentile (enc_times, 0.99),
                  percentile (plain_times, 0.5), percentile (plain_times, 0.99));

  measure (practice->store, "encrypted, all ids + count (the list)", TRUE, reps / 10,
           list_times, NULL, NULL);
  g_test_message ("every keystroke, all ids + count: p50 %.3f ms p99 %.3f ms",
                  percentile (list_times, 0.5), percentile (list_times, 0.99));
}

/* ---- with a fresh practice --------------------------------------------- */

static CrPatient *
add_patient (CrStore    *store,
             const char *family,
             const char *given,
             const char *phone)
{
  g_autoptr(GError) error = NULL;
  CrPatient *patient = cr_patient_new ();

  cr_patient_set_family_name (patient, family);
  cr_patient_set_given_names (patient, given);
  cr_patient_set_birth_date (patient, "1980-01-01");
  cr_patient_set_phone (patient, phone);
  g_assert_true (cr_store_add_patient (store, patient, FALSE, &error));
  g_assert_no_error (error);
  return patient;
}

static guint
count_found (CrStore    *store,
             const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = cr_store_search_patients (store, text, 0, 100, NULL, &error);

  g_assert_no_error (error);
  return found->len;
}

static void
test_phone_kept (StoreFixture  *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrPatient) maja = add_patient (fixture->store, "Lindqvist", "Maja", "(555) 010-2030");
  g_autoptr(CrPatient) other = add_patient (fixture->store, "Berg", "Nils", NULL);

  g_assert_cmpuint (count_found (fixture->store, "010-20"), ==, 1);
  g_assert_cmpuint (count_found (fixture->store, "2030"), ==, 1);
  g_assert_cmpuint (count_found (fixture->store, "lindq"), ==, 1);

  cr_patient_set_phone (maja, "617 222 3333");
  cr_patient_set_family_name (maja, "Lindgren");
  g_assert_true (cr_store_update_patient (fixture->store, maja, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_found (fixture->store, "0102"), ==, 0);
  g_assert_cmpuint (count_found (fixture->store, "555"), ==, 0);
  g_assert_cmpuint (count_found (fixture->store, "2223"), ==, 1);
  g_assert_cmpuint (count_found (fixture->store, "lindq"), ==, 0);
  g_assert_cmpuint (count_found (fixture->store, "lindg"), ==, 1);

  cr_patient_set_phone (other, "555 444 2223");
  g_assert_true (cr_store_update_patient (fixture->store, other, &error));
  g_assert_cmpuint (count_found (fixture->store, "2223"), ==, 2);
  cr_patient_set_phone (other, NULL);
  g_assert_true (cr_store_update_patient (fixture->store, other, &error));
  g_assert_cmpuint (count_found (fixture->store, "2223"), ==, 1);
}

/* A practice from before phone search gets its numbers indexed on update. */
static void
test_phone_migrated (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = test_make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "old.chartroom", NULL);
  g_autoptr(CrKey) key = cr_key_new_random (&error);
  g_autoptr(CrStore) store = NULL;

  store = _cr_store_create_at_version (path, key, 1, &error);
  g_assert_no_error (error);
  {
    g_autoptr(CrStoreLocker) locker = _cr_store_lock (store);

    g_assert_true (_cr_store_exec (store,
                                   "INSERT INTO patients (record_number, family_name, given_names,"
                                   " phone, created_at, created_by, updated_at, updated_by)"
                                   " VALUES ('P000001', 'Åberg', 'Lena', '(718) 555-0142',"
                                   " 'x', 'x', 'x', 'x')", &error));
    g_assert_no_error (error);
  }
  g_assert_finalize_object (g_steal_pointer (&store));

  store = cr_store_open (path, key, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count_found (store, "555-014"), ==, 1);
  g_assert_cmpuint (count_found (store, "aberg"), ==, 1);
  g_assert_finalize_object (g_steal_pointer (&store));
  test_remove_tree (dir);
}

static gboolean
file_has (const char *path,
          const char *needle)
{
  g_autofree char *contents = NULL;
  gsize len = 0;

  gsize n = strlen (needle);

  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  for (gsize i = 0; i + n <= len; i++)
    if (memcmp (contents + i, needle, n) == 0)
      return TRUE;
  return FALSE;
}

static void
test_plain_copy (StoreFixture  *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrPatient) anna = add_patient (fixture->store, "Zwölfer", "Anna", "030 1234567");
  g_autoptr(CrStore) plain = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autofree char *path = g_build_filename (fixture->dir, "plain.sqlite", NULL);
  GStatBuf st;
  char header[16];
  FILE *fp;

  g_assert_true (cr_store_export_plain_copy (fixture->store, path, &error));
  g_assert_no_error (error);

  /* Plain SQLite, private, and the names readable; the practice is not. */
  fp = fopen (path, "rb");
  g_assert_nonnull (fp);
  g_assert_cmpuint (fread (header, 1, sizeof header, fp), ==, sizeof header);
  fclose (fp);
  g_assert_cmpmem (header, sizeof header, "SQLite format 3", 16);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0077, ==, 0);
  g_assert_true (file_has (path, "Zwölfer"));
  g_assert_false (file_has (fixture->path, "Zwölfer"));

  /* The export is in the audit trail. */
  {
    g_autoptr(CrStoreLocker) locker = _cr_store_lock (fixture->store);
    sqlite3_stmt *stmt = _cr_store_prepare (fixture->store,
                                            "SELECT count(*) FROM audit WHERE action = 'export'",
                                            &error);

    g_assert_no_error (error);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 1);
    sqlite3_reset (stmt);
  }

  /* Never over an existing file. */
  g_assert_false (cr_store_export_plain_copy (fixture->store, path, &error));
  g_assert_error (error, CR_STORE_ERROR, CR_STORE_ERROR_EXISTS);
  g_clear_error (&error);

  /* The normal way refuses the copy; the benchmark's way refuses the practice. */
  g_assert_null (cr_store_open (path, fixture->key, &error));
  g_assert_error (error, CR_STORE_ERROR, CR_STORE_ERROR_NOT_DATABASE);
  g_clear_error (&error);
  g_assert_null (_cr_store_open_plain_for_benchmark (fixture->path, &error));
  g_assert_error (error, CR_STORE_ERROR, CR_STORE_ERROR_NOT_DATABASE);
  g_clear_error (&error);

  plain = _cr_store_open_plain_for_benchmark (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cr_store_get_schema_version (plain), ==, cr_schema_get_current_version ());
  found = cr_store_search_patients (plain, "zwolf", 0, 10, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpstr (cr_patient_get_given_names (g_ptr_array_index (found, 0)), ==, "Anna");
  g_assert_cmpuint (count_found (plain, "1234"), ==, 1);
  g_clear_pointer (&found, g_ptr_array_unref);
  g_assert_finalize_object (g_steal_pointer (&plain));
}

int
main (int    argc,
      char **argv)
{
  int ret;

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/search/name-fragments", test_name_fragments);
  g_test_add_func ("/core/search/ranking", test_ranking);
  g_test_add_func ("/core/search/windows-agree", test_windows_agree);
  g_test_add_func ("/core/search/birth-date", test_birth_date);
  g_test_add_func ("/core/search/birth-year", test_birth_year);
  g_test_add_func ("/core/search/record-number", test_record_number);
  g_test_add_func ("/core/search/phone", test_phone);
  g_test_add_func ("/core/search/diacritics", test_diacritics);
  g_test_add_func ("/core/search/syntax-is-text", test_syntax_is_text);
  g_test_add_func ("/core/search/empty-lists-everyone", test_empty_lists_everyone);
  g_test_add_func ("/core/search/cancelled", test_cancelled);
  g_test_add_func ("/core/search/list-paging", test_list_paging);
  g_test_add_func ("/core/search/list-latest-wins", test_list_latest_wins);
  g_test_add_func ("/core/search/list-bounded", test_list_bounded);
  g_test_add_func ("/core/search/timing", test_timing);
  g_test_add ("/core/search/phone-kept", StoreFixture, NULL,
              store_fixture_setup, test_phone_kept, store_fixture_teardown);
  g_test_add_func ("/core/search/phone-migrated", test_phone_migrated);
  g_test_add ("/core/search/plain-copy", StoreFixture, NULL,
              store_fixture_setup, test_plain_copy, store_fixture_teardown);

  ret = g_test_run ();
  free_practice ();
  return ret;
}
