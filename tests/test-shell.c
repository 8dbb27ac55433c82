/* test-shell.c: the application shell: welcome, create, recovery key,
 * unlock, passphrase, error and demo pages, on real practice databases
 *
 * Runs under Xvfb with a private keyring (build-aux/test). Every page is
 * rendered to a PNG in tests/screens/ of the build folder, to look at.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cr-create-practice.h"
#include "cr-keyring.h"
#include "cr-practice.h"
#include "cr-window.h"
#include "test-util.h"
#include "widget-util.h"

/* Set in a g_test_trap_subprocess() child before anything touches D-Bus. */
#define NO_BUS_ADDRESS "unix:path=/nonexistent/chartroom-test-bus"

/* ---- helpers ------------------------------------------------------------- */

static gboolean
page_is (CrWindow   *window,
         const char *name)
{
  return g_strcmp0 (cr_window_get_page_name (window), name) == 0;
}

static CrWindow *
new_window (void)
{
  CrWindow *window = cr_window_new (NULL);

  gtk_window_set_default_size (GTK_WINDOW (window), 960, 720);
  gtk_window_present (GTK_WINDOW (window));
  WIDGET_WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (window)), 5000);
  return window;
}

static void
destroy_window (CrWindow *window)
{
  gtk_window_destroy (GTK_WINDOW (window));
  widget_iterate_for (50);
}

typedef struct
{
  char    *dir;
  char    *path;
  CrKey   *key;
  char    *id;
} Practice;

/* A practice made by the core, whose key the keyring does not hold. */
static void
practice_setup (Practice      *p,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrStore) store = NULL;

  p->dir = test_make_temp_dir ();
  p->path = g_build_filename (p->dir, "clinic.chartroom", NULL);
  p->key = cr_key_new_random (&error);
  g_assert_no_error (error);
  store = cr_store_create (p->path, p->key, "Harbour Street Clinic", &error);
  g_assert_no_error (error);
  cr_store_close (store);
  p->id = cr_store_read_database_id (p->path, &error);
  g_assert_no_error (error);
}

static void
practice_teardown (Practice      *p,
                   gconstpointer  data)
{
  /* Never leave a test key behind in the keyring. */
  if (g_strcmp0 (g_getenv ("DBUS_SESSION_BUS_ADDRESS"), NO_BUS_ADDRESS) != 0)
    cr_keyring_clear_sync (p->id, 5000, NULL);
  test_remove_tree (p->dir);
  g_free (p->dir);
  g_free (p->path);
  g_free (p->id);
  cr_key_free (p->key);
}

static gboolean
keyring_available (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrKey) key = cr_keyring_lookup_sync ("0000", 5000, &error);

  return key != NULL || g_error_matches (error, CR_KEYRING_ERROR, CR_KEYRING_ERROR_NOT_FOUND);
}

/* ---- tests --------------------------------------------------------------- */

static void
test_welcome (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  CrWindow *window;
  GtkWidget *page;
  GtkWidget *create;
  const char *actions[][2] = {
    { "Create Practice", "win.create-practice" },
    { "Open Practice…", "win.open-practice" },
    { "Open Demo Practice", "win.open-demo" },
  };

  /* A last practice whose file is gone counts as a first start. */
  g_settings_set_string (settings, "last-practice", "/nonexistent/gone.chartroom");

  window = new_window ();
  cr_window_start (window);
  g_assert_true (page_is (window, "welcome"));
  page = cr_window_get_page (window, "welcome");
  widget_iterate_for (300);

  g_assert_nonnull (widget_find_label (page, "Welcome to Chartroom"));
  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    {
      GtkWidget *button = widget_find_button (page, actions[i][0]);

      g_assert_nonnull (button);
      g_assert_true (gtk_widget_is_sensitive (button));
      g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (button)), ==,
                       actions[i][1]);
    }

  /* Enter creates: the first action is the default and has the focus. */
  create = widget_find_button (page, "Create Practice");
  g_assert_true (gtk_window_get_default_widget (GTK_WINDOW (window)) == create);
  g_assert_true (gtk_widget_has_focus (create));

  g_free (widget_save_png (GTK_WIDGET (window), "welcome"));
  destroy_window (window);
}

static void
test_create_validation (void)
{
  g_autofree char *dir = test_make_temp_dir ();
  g_autofree char *taken = g_build_filename (dir, "taken.chartroom", NULL);
  CrWindow *window = new_window ();
  GtkWidget *page;
  GtkWidget *error;

  gtk_widget_activate_action (GTK_WIDGET (window), "win.create-practice", NULL);
  g_assert_true (page_is (window, "create"));
  page = cr_window_get_page (window, "create");
  widget_iterate_for (300);

  /* The suggested location is the user's data folder. */
  g_assert_nonnull (widget_find_label (page, "practice.chartroom"));
  g_assert_nonnull (widget_find_label (page, g_get_user_data_dir ()));

  /* An empty (or blank) name is refused, with a message beside the field. */
  widget_type_into (page, ADW_TYPE_ENTRY_ROW, 0, "   ");
  widget_click (page, "Create Practice");
  widget_iterate_for (100);
  error = widget_find_label (page, "Enter the practice’s name.");
  g_assert_nonnull (error);
  g_assert_true (gtk_widget_has_css_class (error, "error"));
  g_assert_true (page_is (window, "create"));
  g_assert_true (gtk_widget_has_css_class (widget_find_type (page, ADW_TYPE_ENTRY_ROW, 0), "error"));
  g_free (widget_save_png (GTK_WIDGET (window), "create-empty-name"));

  /* Typing clears the message. */
  widget_type_into (page, ADW_TYPE_ENTRY_ROW, 0, "Harbour Street Clinic");
  g_assert_null (widget_find_label (page, "Enter the practice’s name."));

  /* A file in the way is refused, and nothing is written over it. */
  g_assert_true (g_file_set_contents (taken, "keep me", -1, NULL));
  cr_create_practice_set_path (CR_CREATE_PRACTICE (page), taken);
  widget_iterate_for (50);
  widget_click (page, "Create Practice");
  widget_iterate_for (100);
  g_assert_nonnull (widget_find_label (page, "A file named “taken.chartroom” is already there"));
  g_assert_true (page_is (window, "create"));
  {
    g_autofree char *contents = NULL;
    g_assert_true (g_file_get_contents (taken, &contents, NULL, NULL));
    g_assert_cmpstr (contents, ==, "keep me");
  }
  g_free (widget_save_png (GTK_WIDGET (window), "create-file-exists"));

  /* Back to the welcome page. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-welcome", NULL);
  g_assert_true (page_is (window, "welcome"));
  destroy_window (window);
  test_remove_tree (dir);
}

static void
test_create_and_recovery_key (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = test_make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "harbour.chartroom", NULL);
  g_autofree char *id = NULL;
  g_autofree char *last = NULL;
  g_auto(GStrv) shown = NULL;
  g_auto(GStrv) expected = NULL;
  g_autoptr(CrKey) key = NULL;
  char *recovery;
  CrWindow *window;
  GtkWidget *page;
  GtkWidget *continue_button;
  GtkWidget *check;
  GtkWidget *key_label;

  if (!keyring_available ())
    {
      g_test_skip ("no keyring: run under build-aux/test");
      return;
    }

  g_settings_set_string (settings, "last-practice", "");
  window = new_window ();
  gtk_widget_activate_action (GTK_WIDGET (window), "win.create-practice", NULL);
  page = cr_window_get_page (window, "create");
  widget_iterate_for (300);
  widget_type_into (page, ADW_TYPE_ENTRY_ROW, 0, "Harbour Street Clinic");
  cr_create_practice_set_path (CR_CREATE_PRACTICE (page), path);

  /* Enter in the name field creates. */
  g_assert_true (gtk_window_get_default_widget (GTK_WINDOW (window)) ==
                 widget_find_button (page, "Create Practice"));
  widget_click (page, "Create Practice");
  WIDGET_WAIT_FOR (page_is (window, "recovery"), 20000);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  g_assert_false (cr_practice_has_passphrase (path));

  /* The key went to the keyring under the database's id... */
  id = cr_store_read_database_id (path, &error);
  g_assert_no_error (error);
  key = cr_keyring_lookup_sync (id, 5000, &error);
  g_assert_no_error (error);
  g_assert_nonnull (key);

  /* ...and the page shows that key, in 16 groups of four. */
  page = cr_window_get_page (window, "recovery");
  widget_iterate_for (300);
  recovery = cr_key_to_recovery_string (key);
  expected = g_strsplit_set (recovery, " \n", -1);
  cr_key_free_string (recovery);
  key_label = widget_find_label (page, expected[0]);
  g_assert_nonnull (key_label);
  shown = g_strsplit_set (gtk_label_get_text (GTK_LABEL (key_label)), " \n", -1);
  g_assert_cmpuint (g_strv_length (shown), ==, 16);
  g_assert_cmpuint (g_strv_length (expected), ==, 16);
  for (guint i = 0; i < 16; i++)
    {
      g_assert_cmpuint (strlen (shown[i]), ==, 4);
      g_assert_cmpstr (shown[i], ==, expected[i]);
    }
  g_assert_nonnull (widget_find_label (page, "Harbour Street Clinic"));
  g_assert_nonnull (widget_find_button (page, "Copy"));
  g_assert_nonnull (widget_find_button (page, "Print…"));

  /* Continue only once the person says the key is kept. */
  continue_button = widget_find_button (page, "I Have Stored It Safely");
  g_assert_nonnull (continue_button);
  g_assert_false (gtk_widget_is_sensitive (continue_button));
  g_free (widget_save_png (GTK_WIDGET (window), "recovery-key"));
  check = widget_find_type (page, GTK_TYPE_CHECK_BUTTON, 0);
  g_assert_nonnull (check);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
  g_assert_true (gtk_widget_is_sensitive (continue_button));
  g_free (widget_save_png (GTK_WIDGET (window), "recovery-key-ticked"));

  widget_click (page, "I Have Stored It Safely");
  WIDGET_WAIT_FOR (page_is (window, "main"), 5000);
  g_assert_nonnull (cr_window_get_store (window));
  g_assert_cmpstr (cr_store_get_path (cr_window_get_store (window)), ==, path);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "Harbour Street Clinic");
  /* The key is wiped from the page. */
  g_assert_null (widget_find_label (cr_window_get_page (window, "recovery"), expected[0]));
  last = g_settings_get_string (settings, "last-practice");
  g_assert_cmpstr (last, ==, path);
  g_free (widget_save_png (GTK_WIDGET (window), "main-new-practice"));

  /* Close the practice; the next start opens it without asking. */
  cr_window_close_practice (window);
  g_assert_true (page_is (window, "welcome"));
  g_assert_null (cr_window_get_store (window));
  destroy_window (window);

  window = new_window ();
  cr_window_start (window);
  WIDGET_WAIT_FOR (page_is (window, "main"), 20000);
  g_assert_cmpstr (cr_store_get_path (cr_window_get_store (window)), ==, path);
  destroy_window (window);

  g_settings_set_string (settings, "last-practice", "");
  cr_keyring_clear_sync (id, 5000, NULL);
  test_remove_tree (dir);
}

static void
test_unlock_with_recovery_key (Practice      *p,
                               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrKey) wrong = cr_key_new_random (NULL);
  g_autoptr(CrKey) restored = NULL;
  char *text;
  CrWindow *window;
  GtkWidget *page;

  if (!keyring_available ())
    {
      g_test_skip ("no keyring: run under build-aux/test");
      return;
    }

  window = new_window ();
  cr_window_open_practice (window, p->path);
  WIDGET_WAIT_FOR (page_is (window, "unlock"), 20000);
  page = cr_window_get_page (window, "unlock");
  widget_iterate_for (300);
  g_assert_nonnull (widget_find_label (page, "holds no key for this practice"));
  g_assert_nonnull (widget_find_label (page, "clinic.chartroom"));
  g_assert_true (gtk_window_get_default_widget (GTK_WINDOW (window)) ==
                 widget_find_button (page, "Unlock"));
  g_assert_nonnull (widget_find_button (page, "Choose Another Practice"));
  g_free (widget_save_png (GTK_WIDGET (window), "unlock-no-key"));

  /* Not a key at all. */
  widget_type_into (page, ADW_TYPE_ENTRY_ROW, 0, "1234 5678 not a key");
  widget_click (page, "Unlock");
  widget_iterate_for (50);
  g_assert_nonnull (widget_find_label (page, "That is not a recovery key"));
  g_assert_true (page_is (window, "unlock"));

  /* Someone else's key: refused, and nothing changes. */
  text = cr_key_to_recovery_string (wrong);
  widget_type_into (page, ADW_TYPE_ENTRY_ROW, 0, text);
  cr_key_free_string (text);
  g_assert_null (widget_find_label (page, "That is not a recovery key"));
  widget_click (page, "Unlock");
  WIDGET_WAIT_FOR (widget_find_label (page, "does not open the practice") != NULL, 10000);
  g_assert_true (page_is (window, "unlock"));
  g_assert_null (cr_window_get_store (window));
  g_assert_true (gtk_widget_is_sensitive (widget_find_button (page, "Unlock")));
  g_free (widget_save_png (GTK_WIDGET (window), "unlock-wrong-key"));
  g_assert_null (cr_keyring_lookup_sync (p->id, 5000, &error));
  g_assert_error (error, CR_KEYRING_ERROR, CR_KEYRING_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* The right key, typed in lower case with dashes. */
  text = cr_key_to_recovery_string (p->key);
  for (char *c = text; *c; c++)
    *c = (*c == ' ' || *c == '\n') ? '-' : g_ascii_tolower (*c);
  widget_type_into (page, ADW_TYPE_ENTRY_ROW, 0, text);
  cr_key_free_string (text);
  widget_click (page, "Unlock");
  WIDGET_WAIT_FOR (page_is (window, "main"), 20000);
  g_assert_nonnull (cr_window_get_store (window));
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "Harbour Street Clinic");

  /* The keyring has the key again: the next start needs no recovery key. */
  restored = cr_keyring_lookup_sync (p->id, 5000, &error);
  g_assert_no_error (error);
  g_assert_true (cr_key_equal (restored, p->key));
  destroy_window (window);
}

/* In a child process whose D-Bus session address leads nowhere. */
static void
test_no_keyring_child (Practice      *p,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrKey) key = NULL;
  g_autofree char *sidecar = cr_practice_get_passphrase_path (p->path);
  struct stat st;
  gint64 start;
  char *text;
  CrWindow *window;
  GtkWidget *page;

  if (!g_test_subprocess ())
    {
      g_test_skip ("runs as a subprocess of /shell/keyring/unavailable");
      return;
    }
  g_assert_cmpstr (g_getenv ("DBUS_SESSION_BUS_ADDRESS"), ==, NO_BUS_ADDRESS);

  /* The look-up fails promptly rather than hang. */
  start = g_get_monotonic_time ();
  key = cr_keyring_lookup_sync (p->id, 3000, &error);
  g_assert_null (key);
  g_assert_true (g_error_matches (error, CR_KEYRING_ERROR, CR_KEYRING_ERROR_UNAVAILABLE) ||
                 g_error_matches (error, CR_KEYRING_ERROR, CR_KEYRING_ERROR_TIMEOUT));
  g_assert_cmpint (g_get_monotonic_time () - start, <, 4 * G_USEC_PER_SEC);

  /* The app says why and offers the recovery key. */
  window = new_window ();
  cr_window_open_practice (window, p->path);
  WIDGET_WAIT_FOR (page_is (window, "unlock"), 15000);
  page = cr_window_get_page (window, "unlock");
  widget_iterate_for (300);
  g_assert_true (widget_find_label (page, "There is no keyring on this computer") != NULL ||
                 widget_find_label (page, "The keyring did not answer in time") != NULL);
  g_free (widget_save_png (GTK_WIDGET (window), "unlock-no-keyring"));

  /* The recovery key opens it; the keyring cannot take the key back, so a
   * passphrase is offered instead. */
  text = cr_key_to_recovery_string (p->key);
  widget_type_into (page, ADW_TYPE_ENTRY_ROW, 0, text);
  cr_key_free_string (text);
  widget_click (page, "Unlock");
  WIDGET_WAIT_FOR (page_is (window, "passphrase"), 20000);
  page = cr_window_get_page (window, "passphrase");
  widget_iterate_for (300);
  g_assert_nonnull (widget_find_label (page, "Choose a Passphrase"));
  g_assert_nonnull (widget_find_button (page, "Not Now"));

  /* Too short, then two different ones: refused with a message. */
  widget_type_into (page, ADW_TYPE_PASSWORD_ENTRY_ROW, 0, "short");
  widget_type_into (page, ADW_TYPE_PASSWORD_ENTRY_ROW, 1, "short");
  g_assert_nonnull (widget_find_label (page, "At least 10 characters"));
  widget_click (page, "Protect Practice");
  widget_iterate_for (50);
  g_assert_nonnull (widget_find_label (page, "A passphrase has at least 10 characters."));
  widget_type_into (page, ADW_TYPE_PASSWORD_ENTRY_ROW, 0, "harbour street lighthouse keeper");
  widget_type_into (page, ADW_TYPE_PASSWORD_ENTRY_ROW, 1, "harbour street lighthouse keeps");
  g_assert_nonnull (widget_find_label (page, "Strong"));
  widget_click (page, "Protect Practice");
  widget_iterate_for (50);
  g_assert_nonnull (widget_find_label (page, "The two passphrases differ."));
  g_assert_false (g_file_test (sidecar, G_FILE_TEST_EXISTS));
  g_free (widget_save_png (GTK_WIDGET (window), "passphrase-choose"));

  widget_type_into (page, ADW_TYPE_PASSWORD_ENTRY_ROW, 1, "harbour street lighthouse keeper");
  widget_click (page, "Protect Practice");
  WIDGET_WAIT_FOR (page_is (window, "main"), 20000);
  g_assert_true (g_file_test (sidecar, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpint (g_stat (sidecar, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0077, ==, 0);

  /* From now on the practice asks for its passphrase. */
  cr_window_close_practice (window);
  cr_window_open_practice (window, p->path);
  g_assert_true (page_is (window, "passphrase"));
  page = cr_window_get_page (window, "passphrase");
  widget_iterate_for (300);
  g_assert_nonnull (widget_find_label (page, "Enter the Passphrase"));
  g_assert_nonnull (widget_find_button (page, "Use Recovery Key"));
  widget_type_into (page, ADW_TYPE_PASSWORD_ENTRY_ROW, 0, "harbour street lighthouse");
  widget_click (page, "Unlock");
  WIDGET_WAIT_FOR (widget_find_label (page, "Wrong passphrase") != NULL, 20000);
  g_assert_true (page_is (window, "passphrase"));
  g_assert_null (cr_window_get_store (window));
  g_free (widget_save_png (GTK_WIDGET (window), "passphrase-wrong"));
  widget_type_into (page, ADW_TYPE_PASSWORD_ENTRY_ROW, 0, "harbour street lighthouse keeper");
  widget_click (page, "Unlock");
  WIDGET_WAIT_FOR (page_is (window, "main"), 20000);
  g_assert_nonnull (cr_window_get_store (window));
  destroy_window (window);
}

static void
test_no_keyring (void)
{
  g_test_trap_subprocess ("/shell/keyring/unavailable/subprocess", 90 * G_USEC_PER_SEC,
                          G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

static void
test_error_page (void)
{
  g_autofree char *dir = test_make_temp_dir ();
  g_autofree char *plain = g_build_filename (dir, "notes.db", NULL);
  char header[4096] = "SQLite format 3";
  CrWindow *window = new_window ();
  GtkWidget *page;

  /* A plain SQLite file is no practice: said so, with a way out. */
  g_assert_true (g_file_set_contents (plain, header, sizeof header, NULL));
  cr_window_open_practice (window, plain);
  g_assert_true (page_is (window, "error"));
  page = cr_window_get_page (window, "error");
  widget_iterate_for (300);
  g_assert_nonnull (widget_find_label (page, "Not a Chartroom Practice"));
  g_assert_nonnull (widget_find_label (page, "unencrypted SQLite database"));
  g_assert_null (cr_window_get_store (window));
  g_free (widget_save_png (GTK_WIDGET (window), "error-not-a-practice"));

  widget_click (page, "Choose Another Practice");
  g_assert_true (page_is (window, "welcome"));

  /* A file that is gone. */
  cr_window_open_practice (window, "/nonexistent/practice.chartroom");
  g_assert_true (page_is (window, "error"));
  widget_iterate_for (300);
  g_assert_nonnull (widget_find_label (cr_window_get_page (window, "error"), "Practice Not Found"));

  destroy_window (window);
  test_remove_tree (dir);
}

static void
test_demo (void)
{
  g_autofree char *demo = cr_practice_get_demo_path ();
  g_autofree char *key_path = cr_practice_get_demo_key_path (demo);
  g_autofree char *name = NULL;
  struct stat st;
  CrWindow *window = new_window ();

  cr_window_open_demo (window);
  g_assert_true (page_is (window, "loading"));
  g_assert_nonnull (widget_find_label (cr_window_get_page (window, "loading"),
                                "Preparing the Demo Practice"));
  WIDGET_WAIT_FOR (page_is (window, "main"), 240000);

  g_assert_true (g_str_has_prefix (demo, g_get_user_data_dir ()));
  g_assert_true (g_file_test (demo, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpint (g_stat (key_path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  name = cr_store_dup_practice_name (cr_window_get_store (window));
  g_assert_cmpstr (name, ==, "Demo Practice");
  g_free (widget_save_png (GTK_WIDGET (window), "demo"));

  /* The second time opens the same demo from its key file. */
  cr_window_close_practice (window);
  cr_window_open_demo (window);
  WIDGET_WAIT_FOR (page_is (window, "main"), 240000);
  g_assert_cmpstr (cr_store_get_path (cr_window_get_store (window)), ==, demo);
  destroy_window (window);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *home = NULL;

  /* The keyring-less child must not reach the session bus at all, so the
   * address is replaced before GTK or libsecret can connect. */
  for (int i = 1; i < argc; i++)
    if (g_str_equal (argv[i], "--GTestSubprocess"))
      g_setenv ("DBUS_SESSION_BUS_ADDRESS", NO_BUS_ADDRESS, TRUE);

  /* A private data folder: the default practice and the demo go there. */
  home = g_dir_make_tmp ("chartroom-shell-XXXXXX", NULL);
  g_setenv ("XDG_DATA_HOME", home, TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);

  widget_test_init (&argc, &argv);
  gtk_icon_theme_add_resource_path (gtk_icon_theme_get_for_display (gdk_display_get_default ()),
                                    "/io/github/chartroom/Chartroom/icons");

  g_test_add_func ("/shell/welcome", test_welcome);
  g_test_add_func ("/shell/create/validation", test_create_validation);
  g_test_add_func ("/shell/create/recovery-key", test_create_and_recovery_key);
  g_test_add ("/shell/unlock/recovery-key", Practice, NULL,
              practice_setup, test_unlock_with_recovery_key, practice_teardown);
  g_test_add_func ("/shell/keyring/unavailable", test_no_keyring);
  g_test_add ("/shell/keyring/unavailable/subprocess", Practice, NULL,
              practice_setup, test_no_keyring_child, practice_teardown);
  g_test_add_func ("/shell/error-page", test_error_page);
  g_test_add_func ("/shell/demo", test_demo);

  return g_test_run ();
}
