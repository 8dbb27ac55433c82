/* test-cli.c: chartroom-cli as scripts use it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "cr-patients.h"
#include "cr-store-private.h"
#include "test-util.h"

typedef struct
{
  char *dir;
  char *db;
  char *key_file;
} CliFixture;

static int
run_cli (CliFixture  *fixture,
         char       **out,
         char       **err,
         ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  int status = 0;
  va_list ap;

  g_ptr_array_add (args, (gpointer) g_getenv ("CHARTROOM_CLI"));
  va_start (ap, err);
  for (const char *a = va_arg (ap, const char *); a != NULL; a = va_arg (ap, const char *))
    g_ptr_array_add (args, (gpointer) a);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  g_spawn_sync (NULL, (char **) args->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                out, err, &status, &error);
  g_assert_no_error (error);
  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

static void
cli_setup (CliFixture    *fixture,
           gconstpointer  data)
{
  if (g_getenv ("CHARTROOM_CLI") == NULL)
    g_error ("CHARTROOM_CLI is not set (run through meson test)");
  fixture->dir = test_make_temp_dir ();
  fixture->db = g_build_filename (fixture->dir, "practice.chartroom", NULL);
  fixture->key_file = g_build_filename (fixture->dir, "practice.key", NULL);
}

static void
cli_teardown (CliFixture    *fixture,
              gconstpointer  data)
{
  test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->db);
  g_free (fixture->key_file);
}

static void
add_patient (CliFixture *fixture,
             const char *family,
             const char *given,
             const char *birth)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrKey) key = cr_key_new_from_key_file (fixture->key_file, &error);
  g_autoptr(CrStore) store = NULL;
  g_autoptr(CrPatient) patient = cr_patient_new ();

  g_assert_no_error (error);
  store = cr_store_open (fixture->db, key, &error);
  g_assert_no_error (error);
  cr_patient_set_family_name (patient, family);
  cr_patient_set_given_names (patient, given);
  cr_patient_set_birth_date (patient, birth);
  g_assert_true (cr_store_add_patient (store, patient, FALSE, &error));
  g_assert_no_error (error);
}

static void
test_init_and_search (CliFixture    *fixture,
                      gconstpointer  data)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_auto(GStrv) lines = NULL;
  GStatBuf st;

  g_assert_cmpint (run_cli (fixture, &out, &err, "--database", fixture->db,
                            "--key-file", fixture->key_file, "init", "--name", "Elm Clinic",
                            NULL), ==, 0);
  g_assert_nonnull (strstr (out, "recovery-key\t"));
  /* The key file was made private, and the database exists. */
  g_assert_cmpint (g_stat (fixture->key_file, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 077, ==, 0);
  g_assert_true (g_file_test (fixture->db, G_FILE_TEST_IS_REGULAR));

  add_patient (fixture, "Smith", "Jo", "1980-03-05");
  add_patient (fixture, "Smithson", "Alan", "1955-07-21");
  add_patient (fixture, "Müller", "Anna", "1990-12-01");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* Empty text lists every patient, one TSV line each. */
  g_assert_cmpint (run_cli (fixture, &out, &err, "--database", fixture->db,
                            "--key-file", fixture->key_file, "patients", "search", "", NULL),
                   ==, 0);
  lines = g_strsplit (out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 4); /* three and the empty tail */
  g_clear_pointer (&lines, g_strfreev);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_cli (fixture, &out, &err, "--database", fixture->db,
                            "--key-file", fixture->key_file, "patients", "search", "smi", "jo",
                            NULL), ==, 0);
  lines = g_strsplit (out, "\n", -1);
  g_assert_cmpstr (lines[0], ==, "P000001\tSmith\tJo\t1980-03-05");
  g_assert_cmpstr (lines[1], ==, "");
  g_clear_pointer (&lines, g_strfreev);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_cli (fixture, &out, &err, "--database", fixture->db,
                            "--key-file", fixture->key_file, "patients", "search", "muller",
                            NULL), ==, 0);
  g_assert_cmpstr (out, ==, "P000003\tMüller\tAnna\t1990-12-01\n");
}

static void
test_errors (CliFixture    *fixture,
             gconstpointer  data)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *other_key = g_build_filename (fixture->dir, "other.key", NULL);
  g_auto(GStrv) err_lines = NULL;

  g_assert_cmpint (run_cli (fixture, &out, &err, "--database", fixture->db,
                            "--key-file", fixture->key_file, "init", NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* Wrong usage: exit 2. */
  g_assert_cmpint (run_cli (fixture, &out, &err, "frobnicate", NULL), ==, 2);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (fixture, &out, &err, "--database", NULL), ==, 2);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* Creating over an existing practice: exit 1, one line. */
  g_assert_cmpint (run_cli (fixture, &out, &err, "--database", fixture->db,
                            "--key-file", fixture->key_file, "init", NULL), ==, 1);
  err_lines = g_strsplit (err, "\n", -1);
  g_assert_cmpuint (g_strv_length (err_lines), ==, 2);
  g_assert_nonnull (strstr (err, "already exists"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* A wrong key: exit 1 with the reason. */
  g_assert_true (g_file_set_contents_full (other_key,
                                           "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\n",
                                           -1, G_FILE_SET_CONTENTS_NONE, 0600, NULL));
  g_assert_cmpint (run_cli (fixture, &out, &err, "--database", fixture->db,
                            "--key-file", other_key, "patients", "search", "", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "key does not open"));
  g_assert_cmpstr (out, ==, "");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* A key file others can read is refused. */
  g_chmod (fixture->key_file, 0644);
  g_assert_cmpint (run_cli (fixture, &out, &err, "--database", fixture->db,
                            "--key-file", fixture->key_file, "patients", "search", "", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "chmod 600"));
}

static void
test_audit_verify (CliFixture    *fixture,
                   gconstpointer  data)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (run_cli (fixture, &out, &err, "--database", fixture->db,
                            "--key-file", fixture->key_file, "init", NULL), ==, 0);
  add_patient (fixture, "Smith", "Jo", "1980-03-05");
  add_patient (fixture, "Okafor", "Ada", "1990-01-02");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_cli (fixture, &out, &err, "--database", fixture->db,
                            "--key-file", fixture->key_file, "audit", "verify", NULL), ==, 0);
  g_assert_cmpstr (out, ==, "ok\t2\n");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_cli (fixture, &out, &err, "--database", fixture->db,
                            "--key-file", fixture->key_file, "audit", "list", "--patient", "P000002",
                            NULL), ==, 0);
  g_assert_nonnull (strstr (out, "\tcreate\tpatients:2"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* Someone with the key goes around the triggers and edits the trail. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(CrKey) key = cr_key_new_from_key_file (fixture->key_file, &error);
    g_autoptr(CrStore) store = cr_store_open (fixture->db, key, &error);
    sqlite3 *db;

    g_assert_no_error (error);
    db = _cr_store_get_db (store);
    g_assert_cmpint (sqlite3_exec (db, "DROP TRIGGER audit_no_update;"
                                   "UPDATE audit SET user = 'someone-else' WHERE id = 1;",
                                   NULL, NULL, NULL), ==, SQLITE_OK);
  }

  g_assert_cmpint (run_cli (fixture, &out, &err, "--database", fixture->db,
                            "--key-file", fixture->key_file, "audit", "verify", NULL), ==, 1);
  g_assert_cmpstr (out, ==, "broken\t1\n");
  g_assert_nonnull (strstr (err, "entry 1"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_cli (fixture, &out, &err, "--database", fixture->db,
                            "--key-file", fixture->key_file, "audit", "frobnicate", NULL), ==, 2);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/cli/init-and-search", CliFixture, NULL, cli_setup, test_init_and_search, cli_teardown);
  g_test_add ("/cli/errors", CliFixture, NULL, cli_setup, test_errors, cli_teardown);
  g_test_add ("/cli/audit-verify", CliFixture, NULL, cli_setup, test_audit_verify, cli_teardown);

  return g_test_run ();
}
