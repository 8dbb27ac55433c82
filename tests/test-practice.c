/* test-practice.c: a practice's lifecycle rules, passphrase files and the
 * demo practice (cr-practice.c), without a display
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cr-practice.h"
#include "cr-codes.h"
#include "cr-drugs.h"
#include "test-util.h"

static void
test_paths (void)
{
  g_autofree char *sidecar = cr_practice_get_passphrase_path ("/srv/clinic/practice.chartroom");
  g_autofree char *demo = cr_practice_get_demo_path ();
  g_autofree char *demo_key = cr_practice_get_demo_key_path (demo);
  g_autofree char *expected_demo = g_build_filename (g_get_user_data_dir (), "chartroom", "demo",
                                                     "demo.chartroom", NULL);
  g_autofree char *expected_key = g_build_filename (g_get_user_data_dir (), "chartroom", "demo",
                                                    "demo.key", NULL);

  g_assert_cmpstr (sidecar, ==, "/srv/clinic/practice.chartroom.key");
  g_assert_cmpstr (demo, ==, expected_demo);
  g_assert_cmpstr (demo_key, ==, expected_key);
}

static void
test_check_name (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *long_name = g_strnfill (201, 'a');

  g_assert_true (cr_practice_check_name ("Harbour Street Clinic", &error));
  g_assert_no_error (error);
  g_assert_true (cr_practice_check_name ("Cabinet médical Saint-Éloi", NULL));

  g_assert_false (cr_practice_check_name ("", &error));
  g_assert_error (error, CR_PRACTICE_ERROR, CR_PRACTICE_ERROR_NAME_EMPTY);
  g_clear_error (&error);
  g_assert_false (cr_practice_check_name (" \t ", &error));
  g_assert_error (error, CR_PRACTICE_ERROR, CR_PRACTICE_ERROR_NAME_EMPTY);
  g_clear_error (&error);
  g_assert_false (cr_practice_check_name (NULL, NULL));
  g_assert_false (cr_practice_check_name (long_name, &error));
  g_assert_error (error, CR_PRACTICE_ERROR, CR_PRACTICE_ERROR_NAME_TOO_LONG);
}

static void
test_check_new_path (StoreFixture  *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *fresh = g_build_filename (fixture->dir, "new.chartroom", NULL);
  g_autofree char *sidecar = cr_practice_get_passphrase_path (fresh);

  g_assert_true (cr_practice_check_new_path (fresh, &error));
  g_assert_no_error (error);

  /* The fixture's practice is there already. */
  g_assert_false (cr_practice_check_new_path (fixture->path, &error));
  g_assert_error (error, CR_PRACTICE_ERROR, CR_PRACTICE_ERROR_EXISTS);
  g_clear_error (&error);

  /* So is a stray passphrase file of that name. */
  g_assert_true (g_file_set_contents (sidecar, "{}", -1, NULL));
  g_assert_false (cr_practice_check_new_path (fresh, &error));
  g_assert_error (error, CR_PRACTICE_ERROR, CR_PRACTICE_ERROR_EXISTS);
  g_clear_error (&error);

  g_assert_false (cr_practice_check_new_path ("relative.chartroom", &error));
  g_assert_error (error, CR_PRACTICE_ERROR, CR_PRACTICE_ERROR_PATH_INVALID);
  g_clear_error (&error);
  g_assert_false (cr_practice_check_new_path (fixture->dir, &error));
  g_assert_error (error, CR_PRACTICE_ERROR, CR_PRACTICE_ERROR_PATH_INVALID);
}

static void
test_passphrase_rules (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (cr_practice_check_passphrase ("123456789", NULL, &error));
  g_assert_error (error, CR_PRACTICE_ERROR, CR_PRACTICE_ERROR_PASSPHRASE_SHORT);
  g_clear_error (&error);
  /* Ten characters, counted as characters rather than bytes. */
  g_assert_true (cr_practice_check_passphrase ("éèêëàâäôöû", NULL, NULL));
  g_assert_false (cr_practice_check_passphrase ("éèêëàâäôö", NULL, NULL));
  g_assert_false (cr_practice_check_passphrase ("lighthouse keeper", "lighthouse keepers",
                                                &error));
  g_assert_error (error, CR_PRACTICE_ERROR, CR_PRACTICE_ERROR_PASSPHRASE_MISMATCH);
  g_assert_true (cr_practice_check_passphrase ("lighthouse keeper", "lighthouse keeper", NULL));

  g_assert_cmpint (cr_practice_passphrase_strength ("short"), ==,
                   CR_PASSPHRASE_STRENGTH_TOO_SHORT);
  g_assert_cmpint (cr_practice_passphrase_strength ("aaaaaaaaaaaaaaaa"), ==,
                   CR_PASSPHRASE_STRENGTH_WEAK);
  g_assert_cmpint (cr_practice_passphrase_strength ("abababababababab"), ==,
                   CR_PASSPHRASE_STRENGTH_WEAK);
  g_assert_cmpint (cr_practice_passphrase_strength ("lighthouse"), ==,
                   CR_PASSPHRASE_STRENGTH_WEAK);
  g_assert_cmpint (cr_practice_passphrase_strength ("lighthouse42"), ==,
                   CR_PASSPHRASE_STRENGTH_FAIR);
  g_assert_cmpint (cr_practice_passphrase_strength ("harbour street lighthouse keeper"), ==,
                   CR_PASSPHRASE_STRENGTH_STRONG);
  g_assert_cmpint (cr_practice_passphrase_strength ("Tr0ub4dor&3-Xq9!zP"), ==,
                   CR_PASSPHRASE_STRENGTH_STRONG);
}

static void
on_result (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_result (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static void
test_create_and_wrap (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = test_make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "harbour.chartroom", NULL);
  g_autofree char *sidecar = cr_practice_get_passphrase_path (path);
  g_autoptr(CrKey) key = cr_key_new_random (NULL);
  g_autoptr(CrKey) unwrapped = NULL;
  g_autoptr(CrStore) store = NULL;
  g_autoptr(CrStore) reopened = NULL;
  g_autofree char *name = NULL;
  GAsyncResult *result = NULL;
  struct stat st;

  cr_practice_create_async (path, "  Harbour Street Clinic ", key, NULL, on_result, &result);
  store = cr_practice_create_finish (wait_result (&result), &error);
  g_clear_object (&result);
  g_assert_no_error (error);
  name = cr_store_dup_practice_name (store);
  g_assert_cmpstr (name, ==, "Harbour Street Clinic");
  cr_store_close (store);
  g_assert_false (cr_practice_has_passphrase (path));

  cr_practice_wrap_key_async (path, key, "harbour street lighthouse keeper", NULL,
                              on_result, &result);
  g_assert_true (cr_practice_wrap_key_finish (wait_result (&result), &error));
  g_clear_object (&result);
  g_assert_no_error (error);
  g_assert_true (cr_practice_has_passphrase (path));
  g_assert_cmpint (g_stat (sidecar, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0077, ==, 0);

  /* A wrong passphrase is told apart from a broken file. */
  cr_practice_unwrap_key_async (path, "harbour street lighthouse", NULL, on_result, &result);
  g_assert_null (cr_practice_unwrap_key_finish (wait_result (&result), &error));
  g_clear_object (&result);
  g_assert_error (error, CR_KEY_ERROR, CR_KEY_ERROR_WRONG_PASSPHRASE);
  g_clear_error (&error);

  cr_practice_unwrap_key_async (path, "harbour street lighthouse keeper", NULL, on_result,
                                &result);
  unwrapped = cr_practice_unwrap_key_finish (wait_result (&result), &error);
  g_clear_object (&result);
  g_assert_no_error (error);
  g_assert_true (cr_key_equal (unwrapped, key));
  reopened = cr_store_open (path, unwrapped, &error);
  g_assert_no_error (error);
  cr_store_close (reopened);

  /* Creating over it is refused; discarding removes the practice and its key file. */
  cr_practice_create_async (path, "Again", key, NULL, on_result, &result);
  g_assert_null (cr_practice_create_finish (wait_result (&result), &error));
  g_clear_object (&result);
  g_assert_error (error, CR_STORE_ERROR, CR_STORE_ERROR_EXISTS);
  cr_practice_discard (path);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (sidecar, G_FILE_TEST_EXISTS));

  test_remove_tree (dir);
}

static void
on_progress (double   fraction,
             gpointer user_data)
{
  double *last = user_data;

  /* Reported on this thread's main context, never backwards. */
  g_assert_cmpfloat (fraction, >=, *last);
  g_assert_cmpfloat (fraction, <=, 1.0);
  *last = fraction;
}

static void
test_demo (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = test_make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "demo", "demo.chartroom", NULL);
  g_autofree char *key_path = cr_practice_get_demo_key_path (path);
  g_autoptr(CrStore) store = NULL;
  g_autoptr(CrStore) again = NULL;
  g_autoptr(CrKey) key = NULL;
  g_autofree char *name = NULL;
  GAsyncResult *result = NULL;
  double last = 0;
  struct stat st;

  cr_practice_open_demo_async (path, on_progress, &last, NULL, NULL, on_result, &result);
  store = cr_practice_open_demo_finish (wait_result (&result), &error);
  g_clear_object (&result);
  g_assert_no_error (error);
  g_assert_nonnull (store);
  name = cr_store_dup_practice_name (store);
  g_assert_cmpstr (name, ==, "Demo Practice");

  /* The key file is private and opens the demo. */
  g_assert_cmpint (g_stat (key_path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  key = cr_key_new_from_key_file (key_path, &error);
  g_assert_no_error (error);
  cr_store_close (store);

  cr_practice_open_demo_async (path, NULL, NULL, NULL, NULL, on_result, &result);
  again = cr_practice_open_demo_finish (wait_result (&result), &error);
  g_clear_object (&result);
  g_assert_no_error (error);
  g_assert_cmpstr (cr_store_get_path (again), ==, path);
  cr_store_close (again);

  test_remove_tree (dir);
}

static void
test_demo_code_sets (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = test_make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "demo", "demo.chartroom", NULL);
  g_autofree char *icd10cm = test_shared_data_path ("icd10cm", "icd10cm_order_2026.txt", NULL);
  g_autofree char *drugs = test_shared_data_path ("drugs", "fda_orange_book_products.txt", NULL);
  g_autoptr(CrStore) store = NULL;
  g_autoptr(GPtrArray) found = NULL;
  GAsyncResult *result = NULL;
  guint n_billable = 0, n_headers = 0, n_drugs = 0;

  if (icd10cm == NULL || drugs == NULL)
    return;

  /* As build-aux/run sets them. */
  g_setenv ("CHARTROOM_DEMO_ICD10CM", icd10cm, TRUE);
  g_setenv ("CHARTROOM_DEMO_DRUGS", drugs, TRUE);
  cr_practice_open_demo_async (path, NULL, NULL, NULL, NULL, on_result, &result);
  store = cr_practice_open_demo_finish (wait_result (&result), &error);
  g_clear_object (&result);
  g_unsetenv ("CHARTROOM_DEMO_ICD10CM");
  g_unsetenv ("CHARTROOM_DEMO_DRUGS");
  g_assert_no_error (error);

  g_assert_true (cr_store_count_codes (store, CR_CODE_SYSTEM_ICD10CM, &n_billable, &n_headers,
                                       &error));
  g_assert_cmpuint (n_billable, ==, 74719);
  g_assert_cmpuint (n_headers, ==, 23467);
  g_assert_true (cr_store_count_drugs (store, &n_drugs, NULL, &error));
  g_assert_cmpuint (n_drugs, >, 8000);

  /* What the demo's diagnosis picker and prescription form then offer. */
  found = cr_store_search_codes (store, "type 2 diabetes", 10, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, >, 0);
  cr_store_close (store);
  test_remove_tree (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/practice/paths", test_paths);
  g_test_add_func ("/core/practice/check-name", test_check_name);
  g_test_add ("/core/practice/check-new-path", StoreFixture, NULL,
              store_fixture_setup, test_check_new_path, store_fixture_teardown);
  g_test_add_func ("/core/practice/passphrase-rules", test_passphrase_rules);
  g_test_add_func ("/core/practice/create-and-wrap", test_create_and_wrap);
  g_test_add_func ("/core/practice/demo", test_demo);
  g_test_add_func ("/core/practice/demo-code-sets", test_demo_code_sets);

  return g_test_run ();
}
