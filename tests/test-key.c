/* test-key.c: keys, recovery keys, passphrase wrapping and the keyring
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gunixsocketaddress.h>
#include <glib/gstdio.h>
#include <string.h>

#include "cr-keyring.h"
#include "test-util.h"

static void
test_hex_round_trip (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrKey) key = cr_key_new_random (&error);
  g_autoptr(CrKey) again = NULL;
  g_autoptr(CrKey) other = cr_key_new_random (NULL);
  char *hex;

  g_assert_no_error (error);
  hex = cr_key_to_hex (key);
  g_assert_cmpuint (strlen (hex), ==, 64);
  again = cr_key_new_from_hex (hex, &error);
  g_assert_no_error (error);
  g_assert_true (cr_key_equal (key, again));
  g_assert_false (cr_key_equal (key, other));
  cr_key_free_string (hex);

  /* Bad input: wrong length, non-hex digits, empty. */
  g_assert_null (cr_key_new_from_hex ("abcd", &error));
  g_assert_error (error, CR_KEY_ERROR, CR_KEY_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (cr_key_new_from_hex ("zz00000000000000000000000000000000000000000000000000000000000000",
                                      &error));
  g_assert_error (error, CR_KEY_ERROR, CR_KEY_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (cr_key_new_from_hex ("", &error));
  g_assert_error (error, CR_KEY_ERROR, CR_KEY_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (cr_key_new_from_hex ("00000000000000000000000000000000000000000000000000000000000000000",
                                      &error));
  g_assert_error (error, CR_KEY_ERROR, CR_KEY_ERROR_INVALID);
}

static void
test_recovery_string (void)
{
  g_autoptr(CrKey) key = cr_key_new_random (NULL);
  g_autoptr(CrKey) parsed = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) groups = NULL;
  char *recovery = cr_key_to_recovery_string (key);
  g_autofree char *lower = NULL;

  /* 16 groups of 4, four to a line. */
  groups = g_strsplit_set (recovery, " \n", -1);
  g_assert_cmpuint (g_strv_length (groups), ==, 16);
  for (guint i = 0; groups[i]; i++)
    g_assert_cmpuint (strlen (groups[i]), ==, 4);
  g_assert_nonnull (strchr (recovery, '\n'));

  /* As typed back: lower case, dashes instead of spaces. */
  lower = g_ascii_strdown (recovery, -1);
  g_strdelimit (lower, " \n", '-');
  parsed = cr_key_new_from_hex (lower, &error);
  g_assert_no_error (error);
  g_assert_true (cr_key_equal (key, parsed));
  cr_key_free_string (recovery);
}

static void
test_key_file (void)
{
  g_autofree char *dir = test_make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "key", NULL);
  g_autoptr(CrKey) key = cr_key_new_random (NULL);
  g_autoptr(CrKey) loaded = NULL;
  g_autoptr(GError) error = NULL;
  char *hex = cr_key_to_hex (key);
  g_autofree char *with_newline = g_strconcat (hex, "\n", NULL);

  cr_key_free_string (hex);
  g_assert_true (g_file_set_contents_full (path, with_newline, -1, G_FILE_SET_CONTENTS_NONE,
                                           0600, NULL));
  loaded = cr_key_new_from_key_file (path, &error);
  g_assert_no_error (error);
  g_assert_true (cr_key_equal (key, loaded));

  /* Refused when others can read it, as ssh refuses a private key. */
  g_chmod (path, 0644);
  g_assert_null (cr_key_new_from_key_file (path, &error));
  g_assert_error (error, CR_KEY_ERROR, CR_KEY_ERROR_INSECURE_FILE);
  g_clear_error (&error);
  g_chmod (path, 0640);
  g_assert_null (cr_key_new_from_key_file (path, &error));
  g_assert_error (error, CR_KEY_ERROR, CR_KEY_ERROR_INSECURE_FILE);
  g_clear_error (&error);

  g_assert_null (cr_key_new_from_key_file (dir, &error));
  g_assert_error (error, CR_KEY_ERROR, CR_KEY_ERROR_FILE);
  g_clear_error (&error);

  g_unlink (path);
  g_assert_null (cr_key_new_from_key_file (path, &error));
  g_assert_error (error, CR_KEY_ERROR, CR_KEY_ERROR_FILE);

  test_remove_tree (dir);
}

static void
test_passphrase_wrap (void)
{
  g_autofree char *dir = test_make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "practice.chartroom.key", NULL);
  g_autoptr(CrKey) key = cr_key_new_random (NULL);
  g_autoptr(CrKey) unwrapped = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  char *hex = cr_key_to_hex (key);
  GStatBuf st;

  g_assert_true (cr_key_write_wrapped (key, "correct horse battery staple", path, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 077, ==, 0);

  /* The wrapped file does not hold the key in the clear. */
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_null (strstr (contents, hex));
  cr_key_free_string (hex);

  unwrapped = cr_key_read_wrapped (path, "correct horse battery staple", &error);
  g_assert_no_error (error);
  g_assert_true (cr_key_equal (key, unwrapped));

  g_assert_null (cr_key_read_wrapped (path, "correct horse battery stapler", &error));
  g_assert_error (error, CR_KEY_ERROR, CR_KEY_ERROR_WRONG_PASSPHRASE);
  g_clear_error (&error);

  /* A damaged or foreign file is its own error, not "wrong passphrase". */
  g_assert_true (g_file_set_contents (path, "{\"format\": \"something else\"}", -1, NULL));
  g_assert_null (cr_key_read_wrapped (path, "x", &error));
  g_assert_error (error, CR_KEY_ERROR, CR_KEY_ERROR_FILE);
  g_clear_error (&error);
  g_assert_true (g_file_set_contents (path, "not json at all \xff", -1, NULL));
  g_assert_null (cr_key_read_wrapped (path, "x", &error));
  g_assert_error (error, CR_KEY_ERROR, CR_KEY_ERROR_FILE);

  test_remove_tree (dir);
}

static gboolean
have_session_bus (void)
{
  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL)
    {
      g_test_skip ("no D-Bus session: run through build-aux/test (headless keyring)");
      return FALSE;
    }
  return TRUE;
}

static void
test_keyring_round_trip (void)
{
  g_autoptr(CrKey) key = cr_key_new_random (NULL);
  g_autoptr(CrKey) found = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = g_strdup_printf ("test-%08x%08x", g_random_int (), g_random_int ());

  if (!have_session_bus ())
    return;

  g_assert_true (cr_keyring_store_sync (id, "Chartroom test key", key, 10000, &error));
  g_assert_no_error (error);

  found = cr_keyring_lookup_sync (id, 10000, &error);
  g_assert_no_error (error);
  g_assert_true (cr_key_equal (key, found));

  /* Another practice's id finds nothing. */
  g_assert_null (cr_keyring_lookup_sync ("test-no-such-practice", 10000, &error));
  g_assert_error (error, CR_KEYRING_ERROR, CR_KEYRING_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Lost from the keyring: NOT_FOUND, so the app offers the recovery key;
   * storing the recovered key again makes the next start silent. */
  g_assert_true (cr_keyring_clear_sync (id, 10000, &error));
  g_assert_no_error (error);
  g_assert_null (cr_keyring_lookup_sync (id, 10000, &error));
  g_assert_error (error, CR_KEYRING_ERROR, CR_KEYRING_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_true (cr_keyring_store_sync (id, "Chartroom test key", key, 10000, &error));
  g_clear_pointer (&found, cr_key_free);
  found = cr_keyring_lookup_sync (id, 10000, &error);
  g_assert_no_error (error);
  g_assert_true (cr_key_equal (key, found));
  cr_keyring_clear_sync (id, 10000, NULL);
}

static void
test_keyring_absent_subprocess (void)
{
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  /* No bus at all behind this address. */
  g_assert_null (cr_keyring_lookup_sync ("test-absent", 3000, &error));
  g_assert_nonnull (error);
  g_assert_true (g_error_matches (error, CR_KEYRING_ERROR, CR_KEYRING_ERROR_UNAVAILABLE) ||
                 g_error_matches (error, CR_KEYRING_ERROR, CR_KEYRING_ERROR_TIMEOUT));
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
}

static void
test_keyring_absent (void)
{
  g_autofree char *dir = test_make_temp_dir ();
  g_autofree char *address = g_strdup_printf ("unix:path=%s/no-bus", dir);
  const char *envp_extra[] = { NULL };

  (void) envp_extra;
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", address, TRUE);
  g_test_trap_subprocess ("/core/keyring/absent/subprocess", 20 * G_USEC_PER_SEC,
                          G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
  test_remove_tree (dir);
}

static void
test_keyring_hangs_subprocess (void)
{
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  /* The bus accepts the connection and never answers, like a locked keyring
   * waiting for a prompt nobody can see: the look-up must time out. */
  g_assert_null (cr_keyring_lookup_sync ("test-hangs", 1500, &error));
  g_assert_error (error, CR_KEYRING_ERROR, CR_KEYRING_ERROR_TIMEOUT);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
}

static void
test_keyring_hangs (void)
{
  g_autofree char *dir = test_make_temp_dir ();
  g_autofree char *sock_path = g_build_filename (dir, "silent-bus", NULL);
  g_autofree char *address = g_strdup_printf ("unix:path=%s", sock_path);
  g_autoptr(GSocket) sock = NULL;
  g_autoptr(GSocketAddress) addr = NULL;
  g_autoptr(GError) error = NULL;

  /* Listens, so connect() succeeds; nobody ever reads or writes. */
  sock = g_socket_new (G_SOCKET_FAMILY_UNIX, G_SOCKET_TYPE_STREAM, 0, &error);
  g_assert_no_error (error);
  addr = g_unix_socket_address_new (sock_path);
  g_assert_true (g_socket_bind (sock, addr, TRUE, &error));
  g_assert_true (g_socket_listen (sock, &error));

  g_setenv ("DBUS_SESSION_BUS_ADDRESS", address, TRUE);
  g_test_trap_subprocess ("/core/keyring/hangs/subprocess", 30 * G_USEC_PER_SEC,
                          G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
  g_socket_close (sock, NULL);
  test_remove_tree (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/key/hex-round-trip", test_hex_round_trip);
  g_test_add_func ("/core/key/recovery-string", test_recovery_string);
  g_test_add_func ("/core/key/key-file", test_key_file);
  g_test_add_func ("/core/key/passphrase-wrap", test_passphrase_wrap);
  g_test_add_func ("/core/keyring/round-trip", test_keyring_round_trip);
  g_test_add_func ("/core/keyring/absent", test_keyring_absent);
  g_test_add_func ("/core/keyring/absent/subprocess", test_keyring_absent_subprocess);
  g_test_add_func ("/core/keyring/hangs", test_keyring_hangs);
  g_test_add_func ("/core/keyring/hangs/subprocess", test_keyring_hangs_subprocess);

  return g_test_run ();
}
