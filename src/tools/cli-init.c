/* cli-init.c: chartroom-cli init
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "chartroom-cli"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cr-keyring.h"

/* Creates the key file with O_EXCL and mode 0600: never over another file. */
static gboolean
write_new_key_file (const char   *path,
                    const CrKey  *key,
                    GError      **error)
{
  char *hex = cr_key_to_hex (key);
  int fd;
  gboolean ok;

  fd = g_open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved = errno;
      cr_key_free_string (hex);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "Cannot create key file “%s”: %s", path, g_strerror (saved));
      return FALSE;
    }
  ok = write (fd, hex, strlen (hex)) == (ssize_t) strlen (hex) && write (fd, "\n", 1) == 1;
  ok = fsync (fd) == 0 && ok;
  close (fd);
  cr_key_free_string (hex);
  if (!ok)
    {
      g_unlink (path);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Cannot write key file “%s”", path);
    }
  return ok;
}

int
cli_cmd_init (CliOptions  *options,
              int          argc,
              char       **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("— create a practice database");
  g_autoptr(GError) error = NULL;
  g_autoptr(CrKey) key = NULL;
  g_autoptr(CrStore) store = NULL;
  g_autofree char *name = NULL;
  g_autofree char *label = NULL;
  gboolean new_key_file = FALSE;
  char *recovery;
  GOptionEntry entries[] = {
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, "Practice name", "NAME" },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return cli_usage_error ("init", "%s", error->message);
  if (argc > 1)
    return cli_usage_error ("init", "unexpected argument “%s”", argv[1]);

  if (g_file_test (options->database, G_FILE_TEST_EXISTS))
    return cli_fail (g_error_new (CR_STORE_ERROR, CR_STORE_ERROR_EXISTS,
                                  "“%s” already exists", options->database));

  /* --key-file: use the key in it, or make one there if it does not exist. */
  if (options->key_file != NULL && g_file_test (options->key_file, G_FILE_TEST_EXISTS))
    {
      key = cr_key_new_from_key_file (options->key_file, &error);
      if (key == NULL)
        return cli_fail (g_steal_pointer (&error));
    }
  else
    {
      key = cr_key_new_random (&error);
      if (key == NULL)
        return cli_fail (g_steal_pointer (&error));
      if (options->key_file != NULL)
        {
          if (!write_new_key_file (options->key_file, key, &error))
            return cli_fail (g_steal_pointer (&error));
          new_key_file = TRUE;
        }
    }

  store = cr_store_create (options->database, key, name ? name : "My practice", &error);
  if (store == NULL)
    {
      if (new_key_file)
        g_unlink (options->key_file);
      return cli_fail (g_steal_pointer (&error));
    }

  if (options->key_file == NULL)
    {
      label = g_strdup_printf ("Chartroom practice key (%s)", options->database);
      if (!cr_keyring_store_sync (cr_store_get_database_id (store), label, key,
                                  CR_KEYRING_DEFAULT_TIMEOUT_MS, &error))
        {
          /* The database is useless without its key: take it back. */
          cr_store_close (store);
          g_unlink (options->database);
          return cli_fail (g_steal_pointer (&error));
        }
    }

  printf ("database\t%s\n", options->database);
  printf ("database-id\t%s\n", cr_store_get_database_id (store));
  recovery = cr_key_to_recovery_string (key);
  g_strdelimit (recovery, "\n", ' ');
  printf ("recovery-key\t%s\n", recovery);
  cr_key_free_string (recovery);
  fprintf (stderr, "Write the recovery key down and keep it safe: without it, a lost keyring "
                   "means lost records.\n");
  return CLI_EXIT_OK;
}
