/* cli-common.c: what chartroom-cli's commands share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "chartroom-cli"

#include "config.h"

#include <stdio.h>

#include "cli.h"
#include "cr-keyring.h"

/**
 * cli_load_key:
 *
 * The key comes from --key-file when given, else from the keyring, as in
 * the application.
 */
CrKey *
cli_load_key (CliOptions  *options,
              const char  *database_id,
              GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  CrKey *key;

  if (options->key_file != NULL)
    return cr_key_new_from_key_file (options->key_file, error);

  key = cr_keyring_lookup_sync (database_id, CR_KEYRING_DEFAULT_TIMEOUT_MS, &local_error);
  if (key == NULL)
    {
      g_set_error (error, local_error->domain, local_error->code,
                   "%s; give the key with --key-file", local_error->message);
      return NULL;
    }
  return key;
}

CrStore *
cli_open_store (CliOptions  *options,
                GError     **error)
{
  g_autofree char *id = NULL;
  g_autoptr(CrKey) key = NULL;

  id = cr_store_read_database_id (options->database, error);
  if (id == NULL)
    return NULL;

  key = cli_load_key (options, id, error);
  if (key == NULL)
    return NULL;

  return cr_store_open (options->database, key, error);
}

int
cli_fail (GError *error)
{
  g_autofree char *message = g_strdup (error ? error->message : "failed");

  /* One clear line. */
  g_strdelimit (message, "\n", ' ');
  fprintf (stderr, "chartroom-cli: %s\n", message);
  g_clear_error (&error);
  return CLI_EXIT_ERROR;
}

int
cli_usage_error (const char *command,
                 const char *format,
                 ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  fprintf (stderr, "chartroom-cli %s: %s (see chartroom-cli --help)\n",
           command ? command : "", message);
  return CLI_EXIT_USAGE;
}

void
cli_print_field (GString    *line,
                 const char *value)
{
  if (line->len > 0)
    g_string_append_c (line, '\t');
  for (const char *p = value ? value : ""; *p; p++)
    g_string_append_c (line, (*p == '\t' || *p == '\n' || *p == '\r') ? ' ' : *p);
}

void
cli_print_line (GString *line)
{
  g_string_append_c (line, '\n');
  fwrite (line->str, 1, line->len, stdout);
  g_string_truncate (line, 0);
}
