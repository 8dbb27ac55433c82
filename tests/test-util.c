/* test-util.c: what the tests share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "test-util.h"

char *
test_make_temp_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("chartroom-test-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

void
test_remove_tree (const char *path)
{
  GDir *dir;
  const char *name;

  if (path == NULL)
    return;
  if (!g_file_test (path, G_FILE_TEST_IS_DIR) || g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_unlink (path);
      return;
    }
  dir = g_dir_open (path, 0, NULL);
  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          test_remove_tree (child);
        }
      g_dir_close (dir);
    }
  g_rmdir (path);
}

void
store_fixture_setup (StoreFixture  *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = test_make_temp_dir ();
  fixture->path = g_build_filename (fixture->dir, "practice.chartroom", NULL);
  fixture->key = cr_key_new_random (&error);
  g_assert_no_error (error);
  fixture->store = cr_store_create (fixture->path, fixture->key, "Test Practice", &error);
  g_assert_no_error (error);
  g_assert_nonnull (fixture->store);
  cr_store_set_user (fixture->store, "tester");
}

void
store_fixture_teardown (StoreFixture  *fixture,
                        gconstpointer  data)
{
  if (fixture->store != NULL)
    g_assert_finalize_object (fixture->store);
  g_clear_pointer (&fixture->key, cr_key_free);
  test_remove_tree (fixture->dir);
  g_clear_pointer (&fixture->dir, g_free);
  g_clear_pointer (&fixture->path, g_free);
}

char *
test_shared_data_path (const char *first_element,
                       ...)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new ();
  const char *base = g_getenv ("CHARTROOM_SHARED_DATA");
  g_autofree char *joined = NULL;
  va_list args;

  if (base == NULL)
    base = SHARED_DATA_DIR;

  g_ptr_array_add (parts, (gpointer) base);
  va_start (args, first_element);
  for (const char *e = first_element; e != NULL; e = va_arg (args, const char *))
    g_ptr_array_add (parts, (gpointer) e);
  va_end (args);
  g_ptr_array_add (parts, NULL);

  joined = g_build_filenamev ((char **) parts->pdata);
  if (!g_file_test (joined, G_FILE_TEST_EXISTS))
    {
      g_autofree char *msg = g_strdup_printf ("test data not found at %s "
                                              "(../shared/data is absent)", joined);
      g_test_skip (msg);
      return NULL;
    }
  return g_steal_pointer (&joined);
}

static gboolean
file_contains (const char *path,
               const char *needle)
{
  g_autofree char *contents = NULL;
  gsize len = 0;
  gsize nlen = strlen (needle);

  if (!g_file_get_contents (path, &contents, &len, NULL))
    return FALSE;
  if (len < nlen)
    return FALSE;
  for (gsize i = 0; i + nlen <= len; i++)
    if (contents[i] == needle[0] && memcmp (contents + i, needle, nlen) == 0)
      return TRUE;
  return FALSE;
}

gboolean
test_dir_contains (const char *dir_path,
                   const char *needle)
{
  GDir *dir = g_dir_open (dir_path, 0, NULL);
  const char *name;
  gboolean found = FALSE;

  if (dir == NULL)
    return FALSE;
  while (!found && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (dir_path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        found = test_dir_contains (child, needle);
      else
        found = file_contains (child, needle);
    }
  g_dir_close (dir);
  return found;
}
