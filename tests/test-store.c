/* test-store.c: the encrypted practice database
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "cr-audit.h"
#include "cr-patients.h"
#include "cr-store-private.h"
#include "test-util.h"

/* Strings that must never reach the disk in the clear. */
#define MARKER_FAMILY "Zyxwvutsrqmarker"
#define MARKER_GIVEN "Quokkaplaintext"
#define MARKER_ADDRESS "742 Evergreen Markerterrace"

static GBytes *
read_file (const char *path)
{
  g_autofree char *contents = NULL;
  gsize len = 0;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (g_steal_pointer (&contents), len);
}

static CrPatient *
add_marker_patient (CrStore *store)
{
  g_autoptr(GError) error = NULL;
  CrPatient *patient = cr_patient_new ();

  cr_patient_set_family_name (patient, MARKER_FAMILY);
  cr_patient_set_given_names (patient, MARKER_GIVEN);
  cr_patient_set_birth_date (patient, "1971-04-12");
  cr_patient_set_address (patient, MARKER_ADDRESS);
  cr_store_add_patient (store, patient, FALSE, &error);
  g_assert_no_error (error);
  return patient;
}

static void
test_create_open (StoreFixture  *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrStore) store = NULL;
  g_autoptr(CrPatient) patient = NULL;
  g_autoptr(CrPatient) found = NULL;
  g_autofree char *name = NULL;
  g_autofree char *id = NULL;
  GStatBuf st;

  patient = add_marker_patient (fixture->store);
  g_assert_cmpstr (cr_patient_get_record_number (patient), ==, "P000001");
  g_assert_cmpint (cr_store_get_schema_version (fixture->store), ==,
                   cr_schema_get_current_version ());

  /* The database file is private to its owner. */
  g_assert_cmpint (g_stat (fixture->path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 077, ==, 0);

  id = g_strdup (cr_store_get_database_id (fixture->store));
  g_assert_cmpuint (strlen (id), ==, 32);
  g_clear_object (&fixture->store);

  store = cr_store_open (fixture->path, fixture->key, &error);
  g_assert_no_error (error);
  name = cr_store_dup_practice_name (store);
  g_assert_cmpstr (name, ==, "Test Practice");
  g_assert_cmpstr (cr_store_get_database_id (store), ==, id);

  found = cr_store_get_patient (store, cr_patient_get_id (patient), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cr_patient_get_family_name (found), ==, MARKER_FAMILY);
  g_assert_cmpstr (cr_patient_get_address (found), ==, MARKER_ADDRESS);
}

static void
test_cipher_linked (StoreFixture  *fixture,
                    gconstpointer  data)
{
  g_autofree char *version = cr_store_dup_cipher_version (fixture->store);
  g_autoptr(GBytes) bytes = NULL;
  const char *contents;

  /* Fails if plain SQLite got linked instead of SQLCipher. */
  g_assert_nonnull (version);
  g_assert_cmpstr (version, !=, "");
  g_assert_nonnull (strstr (sqlite3_libversion (), "3."));

  /* And the file really is encrypted: no SQLite header in the clear. */
  bytes = read_file (fixture->path);
  contents = g_bytes_get_data (bytes, NULL);
  g_assert_cmpuint (g_bytes_get_size (bytes), >=, 4096);
  g_assert_false (memcmp (contents, "SQLite format 3", 15) == 0);
}

static void
test_no_plaintext (StoreFixture  *fixture,
                   gconstpointer  data)
{
  g_autoptr(CrPatient) patient = add_marker_patient (fixture->store);
  g_autofree char *wal = g_strconcat (fixture->path, "-wal", NULL);

  /* While open, the write-ahead log holds the change: check it too. */
  g_assert_true (g_file_test (wal, G_FILE_TEST_EXISTS));
  g_assert_false (test_dir_contains (fixture->dir, MARKER_FAMILY));
  g_assert_false (test_dir_contains (fixture->dir, MARKER_GIVEN));
  g_assert_false (test_dir_contains (fixture->dir, MARKER_ADDRESS));
  g_assert_false (test_dir_contains (fixture->dir, "Test Practice"));

  /* After closing (checkpoint into the main file) as well. */
  g_clear_object (&fixture->store);
  g_assert_false (test_dir_contains (fixture->dir, MARKER_FAMILY));
  g_assert_false (test_dir_contains (fixture->dir, MARKER_ADDRESS));

  /* The check itself works: a plaintext file with the marker is found. */
  {
    g_autofree char *probe = g_build_filename (fixture->dir, "probe.txt", NULL);
    g_assert_true (g_file_set_contents (probe, "x" MARKER_FAMILY "y", -1, NULL));
    g_assert_true (test_dir_contains (fixture->dir, MARKER_FAMILY));
    g_unlink (probe);
  }
}

static void
test_wrong_key (StoreFixture  *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrKey) wrong = NULL;
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after = NULL;
  g_autoptr(CrPatient) patient = add_marker_patient (fixture->store);
  CrStore *store;

  g_clear_object (&fixture->store);
  before = read_file (fixture->path);

  wrong = cr_key_new_random (&error);
  store = cr_store_open (fixture->path, wrong, &error);
  g_assert_null (store);
  g_assert_error (error, CR_STORE_ERROR, CR_STORE_ERROR_WRONG_KEY);

  /* Nothing written: byte-identical, no WAL left behind. */
  after = read_file (fixture->path);
  g_assert_true (g_bytes_equal (before, after));
}

static void
test_not_database (void)
{
  g_autofree char *dir = test_make_temp_dir ();
  g_autofree char *random_path = g_build_filename (dir, "random.chartroom", NULL);
  g_autofree char *empty_path = g_build_filename (dir, "empty.chartroom", NULL);
  g_autofree char *plain_path = g_build_filename (dir, "plain.sqlite", NULL);
  g_autofree char *text_path = g_build_filename (dir, "notes.txt", NULL);
  g_autofree char *missing_path = g_build_filename (dir, "missing.chartroom", NULL);
  g_autoptr(CrKey) key = cr_key_new_random (NULL);
  g_autoptr(GError) error = NULL;
  guint8 junk[8192];
  sqlite3 *db;

  for (guint i = 0; i < sizeof junk; i++)
    junk[i] = (guint8) g_random_int ();
  g_assert_true (g_file_set_contents (random_path, (char *) junk, 5000, NULL));
  g_assert_true (g_file_set_contents (empty_path, "", 0, NULL));
  g_assert_true (g_file_set_contents (text_path, "Dear colleague, this is a letter.\n", -1, NULL));

  g_assert_cmpint (sqlite3_open (plain_path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "CREATE TABLE t (x); INSERT INTO t VALUES (1);",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  g_assert_null (cr_store_open (random_path, key, &error));
  g_assert_error (error, CR_STORE_ERROR, CR_STORE_ERROR_NOT_DATABASE);
  g_clear_error (&error);

  g_assert_null (cr_store_open (empty_path, key, &error));
  g_assert_error (error, CR_STORE_ERROR, CR_STORE_ERROR_NOT_DATABASE);
  g_clear_error (&error);

  g_assert_null (cr_store_open (text_path, key, &error));
  g_assert_error (error, CR_STORE_ERROR, CR_STORE_ERROR_NOT_DATABASE);
  g_clear_error (&error);

  g_assert_null (cr_store_open (plain_path, key, &error));
  g_assert_error (error, CR_STORE_ERROR, CR_STORE_ERROR_NOT_DATABASE);
  g_assert_nonnull (strstr (error->message, "unencrypted"));
  g_clear_error (&error);

  g_assert_null (cr_store_open (missing_path, key, &error));
  g_assert_error (error, CR_STORE_ERROR, CR_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_null (cr_store_open (dir, key, &error));
  g_assert_error (error, CR_STORE_ERROR, CR_STORE_ERROR_NOT_DATABASE);
  g_clear_error (&error);

  test_remove_tree (dir);
}

static void
test_other_encrypted_database (void)
{
  g_autofree char *dir = test_make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "other.db", NULL);
  g_autoptr(CrKey) key = cr_key_new_random (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *hex = NULL;
  g_autofree char *pragma = NULL;
  sqlite3 *db;

  /* Encrypted with the same key, but not written by Chartroom. */
  hex = cr_key_to_hex (key);
  pragma = g_strdup_printf ("PRAGMA key = \"x'%s'\"; PRAGMA cipher_page_size = 4096;"
                            "CREATE TABLE t (x); INSERT INTO t VALUES (1);", hex);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, pragma, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  memset (pragma, 0, strlen (pragma));

  g_assert_null (cr_store_open (path, key, &error));
  g_assert_error (error, CR_STORE_ERROR, CR_STORE_ERROR_NOT_CHARTROOM);

  cr_key_free_string (g_steal_pointer (&hex));
  test_remove_tree (dir);
}

static void
test_truncated (StoreFixture  *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *half_path = g_build_filename (fixture->dir, "half.chartroom", NULL);
  g_autofree char *odd_path = g_build_filename (fixture->dir, "odd.chartroom", NULL);
  gsize size;

  for (guint i = 0; i < 50; i++)
    {
      g_autoptr(CrPatient) p = cr_patient_new ();
      g_autofree char *given = g_strdup_printf ("Number %u", i);

      cr_patient_set_family_name (p, "Truncation");
      cr_patient_set_given_names (p, given);
      cr_patient_set_address (p, MARKER_ADDRESS);
      cr_store_add_patient (fixture->store, p, FALSE, &error);
      g_assert_no_error (error);
    }
  g_clear_object (&fixture->store);

  bytes = read_file (fixture->path);
  size = g_bytes_get_size (bytes);
  g_assert_cmpuint (size, >=, 3 * 4096);

  /* Cut at a page boundary: the header counts more pages than remain. */
  g_assert_true (g_file_set_contents (half_path, g_bytes_get_data (bytes, NULL),
                                      (size / 4096 / 2) * 4096, NULL));
  g_assert_null (cr_store_open (half_path, fixture->key, &error));
  g_assert_error (error, CR_STORE_ERROR, CR_STORE_ERROR_CORRUPT);
  g_clear_error (&error);

  /* Cut mid-page. */
  g_assert_true (g_file_set_contents (odd_path, g_bytes_get_data (bytes, NULL),
                                      size - 1000, NULL));
  g_assert_null (cr_store_open (odd_path, fixture->key, &error));
  g_assert_nonnull (error);
  g_assert_true (error->domain == CR_STORE_ERROR &&
                 (error->code == CR_STORE_ERROR_CORRUPT ||
                  error->code == CR_STORE_ERROR_NOT_DATABASE));
}

static void
test_newer_version (StoreFixture  *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after = NULL;
  g_autofree char *sql = g_strdup_printf ("PRAGMA user_version = %d",
                                          cr_schema_get_current_version () + 1);

  g_assert_cmpint (sqlite3_exec (_cr_store_get_db (fixture->store), sql, NULL, NULL, NULL),
                   ==, SQLITE_OK);
  g_clear_object (&fixture->store);
  before = read_file (fixture->path);

  g_assert_null (cr_store_open (fixture->path, fixture->key, &error));
  g_assert_error (error, CR_STORE_ERROR, CR_STORE_ERROR_NEWER_VERSION);
  g_assert_nonnull (strstr (error->message, "newer version"));

  after = read_file (fixture->path);
  g_assert_true (g_bytes_equal (before, after));
}

static void
test_unwritable_location (void)
{
  g_autoptr(CrKey) key = cr_key_new_random (NULL);
  g_autoptr(GError) error = NULL;

  /* /proc refuses new files even to root. */
  g_assert_null (cr_store_create ("/proc/chartroom-test/practice.chartroom", key, "X", &error));
  g_assert_error (error, CR_STORE_ERROR, CR_STORE_ERROR_UNWRITABLE);
  g_assert_false (g_file_test ("/proc/chartroom-test", G_FILE_TEST_EXISTS));
}

static void
test_create_over_existing (StoreFixture  *fixture,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after = NULL;

  g_clear_object (&fixture->store);
  before = read_file (fixture->path);
  g_assert_null (cr_store_create (fixture->path, fixture->key, "Again", &error));
  g_assert_error (error, CR_STORE_ERROR, CR_STORE_ERROR_EXISTS);
  after = read_file (fixture->path);
  g_assert_true (g_bytes_equal (before, after));
}

static void
test_disk_full (StoreFixture  *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrPatient) patient = NULL;
  g_autofree char *big = NULL;
  gint64 before, after;
  sqlite3 *db = _cr_store_get_db (fixture->store);
  sqlite3_stmt *stmt;
  gint64 pages = 0;

  patient = add_marker_patient (fixture->store);
  before = cr_store_count_patients (fixture->store, NULL);

  /* Simulate a full disk: the database may not grow past its current size. */
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA page_count", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  pages = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  {
    g_autofree char *sql = g_strdup_printf ("PRAGMA max_page_count = %" G_GINT64_FORMAT, pages);
    g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  }

  /* A patient with a long address needs new pages, mid-transaction. */
  for (guint i = 0; i < 40 && error == NULL; i++)
    {
      g_autoptr(CrPatient) p = cr_patient_new ();
      char given[32];

      g_snprintf (given, sizeof given, "Filler%u", i);
      cr_patient_set_family_name (p, "Fullness");
      cr_patient_set_given_names (p, given);
      big = g_strnfill (490, 'a' + (i % 26));
      cr_patient_set_address (p, big);
      g_clear_pointer (&big, g_free);
      cr_store_add_patient (fixture->store, p, FALSE, &error);
      if (error == NULL)
        before++;
      else
        g_assert_cmpint (cr_patient_get_id (p), ==, 0);
    }
  g_assert_error (error, CR_STORE_ERROR, CR_STORE_ERROR_DISK_FULL);

  /* The failed transaction rolled back whole: counts match what succeeded,
   * and the audit trail has no entry for the lost patient. */
  after = cr_store_count_patients (fixture->store, NULL);
  g_assert_cmpint (after, ==, before);
  g_clear_error (&error);
  {
    gint64 n = 0, broken = 0;
    g_assert_true (cr_store_verify_audit (fixture->store, &n, &broken, &error));
    g_assert_no_error (error);
    g_assert_cmpint (n, ==, after);
  }
}

static void
test_practice_name (StoreFixture  *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;

  g_assert_false (cr_store_set_practice_name (fixture->store, "   ", &error));
  g_assert_error (error, CR_STORE_ERROR, CR_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (cr_store_set_practice_name (fixture->store, "Bad \xff name", &error));
  g_assert_error (error, CR_STORE_ERROR, CR_STORE_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_true (cr_store_set_practice_name (fixture->store, "  Riverside Family Practice ", &error));
  g_assert_no_error (error);
  name = cr_store_dup_practice_name (fixture->store);
  g_assert_cmpstr (name, ==, "Riverside Family Practice");
}

static void
on_opened (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GAsyncResult **out = user_data;
  *out = g_object_ref (result);
}

static void
test_open_async (StoreFixture  *fixture,
                 gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CrStore) store = NULL;
  g_autoptr(CrKey) wrong = cr_key_new_random (NULL);

  g_clear_object (&fixture->store);

  cr_store_open_async (fixture->path, fixture->key, NULL, on_opened, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  store = cr_store_open_finish (result, &error);
  g_assert_no_error (error);
  g_assert_true (CR_IS_STORE (store));
  g_clear_object (&result);

  /* The wrong key fails the same way off the main loop. */
  cr_store_open_async (fixture->path, wrong, NULL, on_opened, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_null (cr_store_open_finish (result, &error));
  g_assert_error (error, CR_STORE_ERROR, CR_STORE_ERROR_WRONG_KEY);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, StoreFixture, NULL, store_fixture_setup, func, store_fixture_teardown)

  ADD ("/core/store/create-open", test_create_open);
  ADD ("/core/store/sqlcipher-linked", test_cipher_linked);
  ADD ("/core/store/no-plaintext-on-disk", test_no_plaintext);
  ADD ("/core/store/open-wrong-key", test_wrong_key);
  g_test_add_func ("/core/store/not-a-database", test_not_database);
  g_test_add_func ("/core/store/other-encrypted-database", test_other_encrypted_database);
  ADD ("/core/store/truncated", test_truncated);
  ADD ("/core/store/newer-version", test_newer_version);
  g_test_add_func ("/core/store/unwritable-location", test_unwritable_location);
  ADD ("/core/store/create-over-existing", test_create_over_existing);
  ADD ("/core/store/disk-full-rolls-back", test_disk_full);
  ADD ("/core/store/practice-name", test_practice_name);
  ADD ("/core/store/open-async", test_open_async);

  return g_test_run ();
}
