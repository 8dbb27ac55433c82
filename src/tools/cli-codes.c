/* cli-codes.c: chartroom-cli codes import|search
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "chartroom-cli"

#include "config.h"

#include <stdio.h>

#include "cli.h"
#include "cr-codes.h"

static int
codes_import (CliOptions  *options,
              const char  *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrStore) store = NULL;
  g_autoptr(GString) line = g_string_new (NULL);
  g_autofree char *number = NULL;
  CrCodeImportStats stats = { 0 };

  store = cli_open_store (options, &error);
  if (store == NULL)
    return cli_fail (g_steal_pointer (&error));

  if (!cr_store_import_codes (store, path, NULL, NULL, NULL, NULL, &stats, &error))
    return cli_fail (g_steal_pointer (&error));

  number = g_strdup_printf ("%u", stats.billable);
  cli_print_field (line, "billable");
  cli_print_field (line, number);
  cli_print_line (line);
  g_free (number);

  number = g_strdup_printf ("%u", stats.headers);
  cli_print_field (line, "header");
  cli_print_field (line, number);
  cli_print_line (line);
  g_free (number);

  number = g_strdup_printf ("%u", stats.invalidated);
  cli_print_field (line, "invalidated");
  cli_print_field (line, number);
  cli_print_line (line);

  return CLI_EXIT_OK;
}

static int
codes_search (CliOptions  *options,
              const char  *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrStore) store = NULL;
  g_autoptr(GString) line = g_string_new (NULL);
  g_autoptr(GPtrArray) found = NULL;

  store = cli_open_store (options, &error);
  if (store == NULL)
    return cli_fail (g_steal_pointer (&error));

  found = cr_store_search_codes (store, text, 0, NULL, &error);
  if (found == NULL)
    return cli_fail (g_steal_pointer (&error));

  for (guint i = 0; i < found->len; i++)
    {
      CrCode *code = g_ptr_array_index (found, i);

      cli_print_field (line, cr_code_get_formatted_code (code));
      cli_print_field (line, cr_code_get_billable (code) ? "1" : "0");
      cli_print_field (line, cr_code_get_display (code));
      cli_print_line (line);
    }

  return CLI_EXIT_OK;
}

int
cli_cmd_codes (CliOptions  *options,
               int          argc,
               char       **argv)
{
  if (argc < 2)
    return cli_usage_error ("codes", "say “import FILE” or “search TEXT”");

  if (g_strcmp0 (argv[1], "import") == 0)
    {
      if (argc != 3)
        return cli_usage_error ("codes", "“import” takes one file: a CMS icd10cm_order_YEAR.txt");
      return codes_import (options, argv[2]);
    }

  if (g_strcmp0 (argv[1], "search") == 0)
    {
      g_autofree char *text = NULL;

      if (argc < 3)
        return cli_usage_error ("codes", "“search” needs words or a code to look for");
      text = g_strjoinv (" ", argv + 2);
      return codes_search (options, text);
    }

  return cli_usage_error ("codes", "unknown subcommand “%s”", argv[1]);
}
