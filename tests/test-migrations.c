/* test-migrations.c: opening databases written by earlier (and later)
 * versions of the schema
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <stdlib.h>
#include <string.h>

#include "cr-demo.h"
#include "cr-patients.h"
#include "cr-statistics.h"
#include "cr-store-private.h"
#include "test-util.h"

typedef struct
{
  char *dir;
  char *path;
  CrKey *key;
} MigrationFixture;

static void
migration_setup (MigrationFixture *fixture,
                 gconstpointer     data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = test_make_temp_dir ();
  fixture->path = g_build_filename (fixture->dir, "practice.chartroom", NULL);
  fixture->key = cr_key_new_random (&error);
  g_assert_no_error (error);
}

static void
migration_teardown (MigrationFixture *fixture,
                    gconstpointer     data)
{
  g_clear_pointer (&fixture->key, cr_key_free);
  test_remove_tree (fixture->dir);
  g_clear_pointer (&fixture->dir, g_free);
  g_clear_pointer (&fixture->path, g_free);
}

typedef struct
{
  char *family;
  char *given;
  char *birth;
  char *sex;
  char *phone;
  char *address;
} SyntheaPatient;

static void
synthea_patient_free (SyntheaPatient *p)
{
  g_free (p->family);
  g_free (p->given);
  g_free (p->birth);
  g_free (p->sex);
  g_free (p->phone);
  g_free (p->address);
  g_free (p);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* The Patient resource of each Synthea bundle: real-looking names (with
 * diacritics), birth dates, phones and addresses. */
static GPtrArray *
load_synthea_patients (guint max)
{
  g_autofree char *dir_path = test_shared_data_path ("synthea", NULL);
  g_autoptr(GPtrArray) patients = g_ptr_array_new_with_free_func ((GDestroyNotify) synthea_patient_free);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  GDir *dir;
  const char *name;

  if (dir_path == NULL)
    return NULL;
  dir = g_dir_open (dir_path, 0, NULL);
  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".json"))
      g_ptr_array_add (names, g_strdup (name));
  g_dir_close (dir);
  g_ptr_array_sort (names, compare_names);

  for (guint i = 0; i < names->len && patients->len < max; i++)
    {
      g_autofree char *path = g_build_filename (dir_path, g_ptr_array_index (names, i), NULL);
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;
      JsonArray *entries;

      json_parser_load_from_file (parser, path, &error);
      g_assert_no_error (error);
      entries = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                              "entry");
      for (guint e = 0; e < json_array_get_length (entries); e++)
        {
          JsonObject *resource = json_object_get_object_member (
            json_array_get_object_element (entries, e), "resource");
          JsonObject *hname;
          SyntheaPatient *p;

          if (g_strcmp0 (json_object_get_string_member (resource, "resourceType"), "Patient") != 0)
            continue;

          hname = json_array_get_object_element (json_object_get_array_member (resource, "name"), 0);
          p = g_new0 (SyntheaPatient, 1);
          p->family = g_strdup (json_object_get_string_member (hname, "family"));
          p->given = g_strdup (json_array_get_string_element (
                                 json_object_get_array_member (hname, "given"), 0));
          p->birth = g_strdup (json_object_get_string_member_with_default (resource, "birthDate",
                                                                            NULL));
          p->sex = g_strdup (json_object_get_string_member_with_default (resource, "gender",
                                                                          "unknown"));
          if (json_object_has_member (resource, "telecom"))
            p->phone = g_strdup (json_object_get_string_member (
                                   json_array_get_object_element (
                                     json_object_get_array_member (resource, "telecom"), 0),
                                   "value"));
          if (json_object_has_member (resource, "address"))
            {
              JsonObject *a = json_array_get_object_element (
                json_object_get_array_member (resource, "address"), 0);
              p->address = g_strdup_printf ("%s, %s",
                                            json_array_get_string_element (
                                              json_object_get_array_member (a, "line"), 0),
                                            json_object_get_string_member (a, "city"));
            }
          g_ptr_array_add (patients, p);
          break;
        }
    }
  return g_steal_pointer (&patients);
}

/* Every row of a table, each column quote()d, one line a row. */
static char *
dump_table (sqlite3    *db,
            const char *sql)
{
  GString *out = g_string_new (NULL);
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      for (int c = 0; c < sqlite3_column_count (stmt); c++)
        g_string_append_printf (out, "%s%s", c ? "|" : "", sqlite3_column_text (stmt, c));
      g_string_append_c (out, '\n');
    }
  sqlite3_finalize (stmt);
  return g_string_free (out, FALSE);
}

#define V1_COLUMNS \
  "SELECT quote(id), quote(record_number), quote(family_name), quote(given_names)," \
  " quote(birth_date), quote(sex), quote(phone), quote(email), quote(address)," \
  " quote(insurance_payer), quote(insurance_member_id), quote(created_at), quote(created_by)," \
  " quote(updated_at), quote(updated_by) FROM patients ORDER BY id"

static void
test_from_version_1 (MigrationFixture *fixture,
                     gconstpointer     data)
{
  g_autoptr(GPtrArray) people = load_synthea_patients (40);
  g_autoptr(GError) error = NULL;
  g_autoptr(CrStore) store = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  sqlite3_stmt *stmt = NULL;
  sqlite3 *db;
  guint n_found = 0;

  if (people == NULL)
    return;
  g_assert_cmpuint (people->len, ==, 40);

  store = _cr_store_create_at_version (fixture->path, fixture->key, 1, &error);
  g_assert_no_error (error);
  db = _cr_store_get_db (store);
  {
    g_autofree char *tables = dump_table (db, "SELECT name FROM sqlite_master WHERE type = 'table'"
                                              " ORDER BY name");
    g_assert_cmpstr (tables, ==, "meta\npatients\n");
  }

  /* Patients as version 1 stored them, inserted by SQL. */
  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "INSERT INTO patients (record_number, family_name,"
                                       " given_names, birth_date, sex, phone, address, email,"
                                       " insurance_payer, created_at, created_by, updated_at,"
                                       " updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?,"
                                       " '2023-05-01T10:00:00Z', 'frontdesk',"
                                       " '2023-05-02T11:00:00Z', 'frontdesk')",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  for (guint i = 0; i < people->len; i++)
    {
      SyntheaPatient *p = g_ptr_array_index (people, i);
      g_autofree char *record = g_strdup_printf ("V1-%04u", i + 1);

      sqlite3_reset (stmt);
      sqlite3_bind_text (stmt, 1, record, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, p->family, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 3, p->given, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 4, p->birth, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 5, p->sex, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 6, p->phone, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 7, p->address, -1, SQLITE_TRANSIENT);
      if (i % 3 == 0)
        sqlite3_bind_null (stmt, 8);
      else
        sqlite3_bind_text (stmt, 8, "patient@example.org", -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 9, i % 2 ? "Medicare" : NULL, -1, SQLITE_STATIC);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
    }
  sqlite3_finalize (stmt);

  before = dump_table (db, V1_COLUMNS);
  g_assert_finalize_object (g_steal_pointer (&store));

  /* Reopened by this version: migrated to the current schema. */
  store = cr_store_open (fixture->path, fixture->key, &error);
  g_assert_no_error (error);
  g_assert_nonnull (store);
  g_assert_cmpint (cr_schema_get_current_version (), >=, 2);
  g_assert_cmpint (cr_store_get_schema_version (store), ==, cr_schema_get_current_version ());
  db = _cr_store_get_db (store);
  {
    g_autofree char *version = dump_table (db, "PRAGMA user_version");
    g_autofree char *expected = g_strdup_printf ("%d\n", cr_schema_get_current_version ());
    g_autofree char *tables = dump_table (db, "SELECT count(*) FROM sqlite_master"
                                              " WHERE name IN ('visits', 'audit', 'codes',"
                                              " 'patient_search', 'follow_ups')");

    g_assert_cmpstr (version, ==, expected);
    g_assert_cmpstr (tables, ==, "5\n");
  }

  /* Every row kept, every version-1 column unchanged. */
  after = dump_table (db, V1_COLUMNS);
  g_assert_cmpstr (after, ==, before);

  /* The new columns were filled from the old ones. */
  {
    g_autofree char *digits = dump_table (db, "SELECT count(*) FROM patients"
                                              " WHERE phone IS NOT NULL AND phone_digits GLOB"
                                              " '[0-9]*' AND phone_digits NOT GLOB '*[^0-9]*'");
    g_autofree char *with_phone = dump_table (db, "SELECT count(*) FROM patients"
                                                  " WHERE phone IS NOT NULL");
    g_assert_cmpstr (digits, ==, with_phone);
  }

  /* Found by name (folded), by phone digits. */
  for (guint i = 0; i < people->len; i++)
    {
      SyntheaPatient *p = g_ptr_array_index (people, i);
      g_autofree char *record = g_strdup_printf ("V1-%04u", i + 1);
      g_autofree char *query = g_strdup_printf ("%s %s", p->given, p->family);
      g_autoptr(GPtrArray) found = NULL;
      gboolean hit = FALSE;

      found = cr_store_search_patients (store, query, 0, 50, NULL, &error);
      g_assert_no_error (error);
      for (guint j = 0; j < found->len; j++)
        hit |= g_str_equal (cr_patient_get_record_number (g_ptr_array_index (found, j)), record);
      g_assert_true (hit);

      if (p->phone != NULL)
        {
          GString *digits = g_string_new (NULL);

          for (const char *c = p->phone; *c; c++)
            if (g_ascii_isdigit (*c))
              g_string_append_c (digits, *c);
          g_clear_pointer (&found, g_ptr_array_unref);
          found = cr_store_search_patients (store, digits->str, 0, 50, NULL, &error);
          g_assert_no_error (error);
          hit = FALSE;
          for (guint j = 0; j < found->len; j++)
            hit |= g_str_equal (cr_patient_get_record_number (g_ptr_array_index (found, j)), record);
          g_assert_true (hit);
          g_string_free (digits, TRUE);
        }
      n_found++;
    }
  g_assert_cmpuint (n_found, ==, 40);

  /* A name searched without its accents still finds it (unicode61 folding). */
  for (guint i = 0; i < people->len; i++)
    {
      SyntheaPatient *p = g_ptr_array_index (people, i);
      g_autofree char *plain = g_str_to_ascii (p->given, "C");
      g_autoptr(GPtrArray) found = NULL;

      if (g_str_equal (plain, p->given))
        continue;
      found = cr_store_search_patients (store, plain, 0, 50, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (found->len, >, 0);
      g_test_message ("“%s” found as “%s”", p->given, plain);
      break;
    }

  /* And the migrated database works for new writes. */
  {
    g_autoptr(CrPatient) patient = cr_patient_new ();

    cr_patient_set_family_name (patient, "After");
    cr_patient_set_given_names (patient, "Migration");
    g_assert_true (cr_store_add_patient (store, patient, FALSE, &error));
    g_assert_no_error (error);
    g_assert_cmpint (cr_store_count_patients (store, &error), ==, 41);
  }
}

static void
test_newer_version (MigrationFixture *fixture,
                    gconstpointer     data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrStore) store = NULL;
  g_autofree char *bytes_before = NULL;
  g_autofree char *bytes_after = NULL;
  g_autofree char *sql = NULL;
  gsize len_before = 0, len_after = 0;
  GStatBuf st_before, st_after;

  store = cr_store_create (fixture->path, fixture->key, "Future Practice", &error);
  g_assert_no_error (error);
  sql = g_strdup_printf ("PRAGMA user_version = %d", cr_schema_get_current_version () + 1);
  g_assert_cmpint (sqlite3_exec (_cr_store_get_db (store), sql, NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_finalize_object (g_steal_pointer (&store));

  g_assert_true (g_file_get_contents (fixture->path, &bytes_before, &len_before, NULL));
  g_assert_cmpint (g_stat (fixture->path, &st_before), ==, 0);

  store = cr_store_open (fixture->path, fixture->key, &error);
  g_assert_null (store);
  g_assert_error (error, CR_STORE_ERROR, CR_STORE_ERROR_NEWER_VERSION);
  g_assert_nonnull (strstr (error->message, "newer version"));
  g_clear_error (&error);

  g_assert_true (g_file_get_contents (fixture->path, &bytes_after, &len_after, NULL));
  g_assert_cmpint (g_stat (fixture->path, &st_after), ==, 0);
  g_assert_cmpuint (len_after, ==, len_before);
  g_assert_true (memcmp (bytes_before, bytes_after, len_before) == 0);
  g_assert_cmpint (st_after.st_mtime, ==, st_before.st_mtime);
}

/* The three passes of cr_store_compute_statistics(), as cr-statistics.c
 * words them, with the index each must read alone. */
static const struct
{
  const char *sql;
  const char *index;
} statistics_queries[] = {
  { "SELECT id, started_at, chief_complaint FROM visits "
    "WHERE entered_in_error = 0 AND started_at >= '0000' AND started_at < '2100-01-01'",
    "visits_stats" },
  { "SELECT id, visit_id, system, code FROM visit_diagnoses "
    "WHERE entered_in_error = 0 AND code IS NOT NULL AND system <> 'text'",
    "visit_diagnoses_stats" },
  { "SELECT diagnosis_id, result FROM outcomes "
    "WHERE entered_in_error = 0 AND diagnosis_id IS NOT NULL",
    "outcomes_stats" },
};

static int
compare_lines (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* Every figure, one line each, sorted: the order of equal counts follows
 * the order rows are read in, which the indexes change. */
static char *
dup_statistics_table (CrStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrStatistics) statistics = NULL;
  g_autofree char *table = NULL;
  g_auto(GStrv) lines = NULL;
  CrStatisticsOptions options = {
    .today = "2026-01-15", .registry_category = "E11", .top = 1000
  };

  statistics = cr_store_compute_statistics (store, &options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cr_statistics_get_total_visits (statistics), >, 500);
  g_assert_cmpuint (cr_statistics_get_diagnoses (statistics)->len, >, 0);
  g_assert_cmpuint (cr_statistics_get_outcomes (statistics)->len, >, 0);
  table = cr_statistics_to_table (statistics, CR_TABLE_FORMAT_TSV);
  lines = g_strsplit (table, "\n", -1);
  qsort (lines, g_strv_length (lines), sizeof (char *), compare_lines);
  return g_strjoinv ("\n", lines);
}

/* Version 6 indexes a version-5 practice's visits, diagnoses and outcomes
 * for the statistics: same figures, each pass reading its index alone. */
static void
test_statistics_indexes (MigrationFixture *fixture,
                         gconstpointer     data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrStore) store = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  const char *count_indexes = "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND"
                              " name IN ('visits_stats', 'visit_diagnoses_stats', 'outcomes_stats')";
  sqlite3 *db;

  store = _cr_store_create_at_version (fixture->path, fixture->key, 5, &error);
  g_assert_no_error (error);
  g_assert_true (cr_store_generate_demo (store, 40, 7, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  before = dup_statistics_table (store);
  {
    g_autofree char *n = dump_table (_cr_store_get_db (store), count_indexes);

    g_assert_cmpstr (n, ==, "0\n");
  }
  g_assert_finalize_object (g_steal_pointer (&store));

  store = cr_store_open (fixture->path, fixture->key, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cr_store_get_schema_version (store), ==, cr_schema_get_current_version ());
  db = _cr_store_get_db (store);
  {
    g_autofree char *n = dump_table (db, count_indexes);

    g_assert_cmpstr (n, ==, "3\n");
  }
  g_assert_cmpint (sqlite3_exec (db, "ANALYZE", NULL, NULL, NULL), ==, SQLITE_OK);

  for (guint i = 0; i < G_N_ELEMENTS (statistics_queries); i++)
    {
      g_autofree char *sql = g_strdup_printf ("EXPLAIN QUERY PLAN %s", statistics_queries[i].sql);
      g_autofree char *plan = dump_table (db, sql);
      g_autofree char *expected = g_strdup_printf ("USING COVERING INDEX %s ",
                                                   statistics_queries[i].index);

      g_test_message ("%s", plan);
      g_assert_nonnull (strstr (plan, expected));
    }

  after = dup_statistics_table (store);
  g_assert_cmpstr (after, ==, before);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/core/migrations/from-version-1", MigrationFixture, NULL,
              migration_setup, test_from_version_1, migration_teardown);
  g_test_add ("/core/migrations/newer-version", MigrationFixture, NULL,
              migration_setup, test_newer_version, migration_teardown);
  g_test_add ("/core/migrations/statistics-indexes", MigrationFixture, NULL,
              migration_setup, test_statistics_indexes, migration_teardown);

  return g_test_run ();
}
