/* cli-drugs.c: chartroom-cli drugs import|search
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "chartroom-cli"

#include "config.h"

#include <stdio.h>

#include "cli.h"
#include "cr-drugs.h"

static void
print_count (const char *name,
             guint       value)
{
  g_autoptr(GString) line = g_string_new (NULL);
  g_autofree char *number = g_strdup_printf ("%u", value);

  cli_print_field (line, name);
  cli_print_field (line, number);
  cli_print_line (line);
}

static int
drugs_import (CliOptions *options,
              const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrStore) store = NULL;
  CrDrugImportStats stats = { 0 };

  store = cli_open_store (options, &error);
  if (store == NULL)
    return cli_fail (g_steal_pointer (&error));

  if (!cr_store_import_drugs (store, path, NULL, NULL, NULL, &stats, &error))
    return cli_fail (g_steal_pointer (&error));

  print_count ("products", stats.products);
  print_count ("discontinued", stats.discontinued);
  print_count ("drugs", stats.drugs);
  return CLI_EXIT_OK;
}

static int
drugs_search (CliOptions *options,
              const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrStore) store = NULL;
  g_autoptr(GString) line = g_string_new (NULL);
  g_autoptr(GPtrArray) found = NULL;

  store = cli_open_store (options, &error);
  if (store == NULL)
    return cli_fail (g_steal_pointer (&error));

  found = cr_store_search_drugs (store, text, 0, NULL, &error);
  if (found == NULL)
    return cli_fail (g_steal_pointer (&error));

  for (guint i = 0; i < found->len; i++)
    {
      CrDrug *drug = g_ptr_array_index (found, i);
      g_autofree char *form_route = cr_drug_dup_form_route (drug);

      cli_print_field (line, cr_drug_get_name (drug));
      cli_print_field (line, cr_drug_get_strength (drug));
      cli_print_field (line, form_route);
      cli_print_line (line);
    }
  return CLI_EXIT_OK;
}

int
cli_cmd_drugs (CliOptions  *options,
               int          argc,
               char       **argv)
{
  if (argc < 2)
    return cli_usage_error ("drugs", "say “import FILE” or “search TEXT”");

  if (g_strcmp0 (argv[1], "import") == 0)
    {
      if (argc != 3)
        return cli_usage_error ("drugs", "“import” takes one file: the FDA Orange Book products.txt");
      return drugs_import (options, argv[2]);
    }

  if (g_strcmp0 (argv[1], "search") == 0)
    {
      g_autofree char *text = NULL;

      if (argc < 3)
        return cli_usage_error ("drugs", "“search” needs words of a drug's name");
      text = g_strjoinv (" ", argv + 2);
      return drugs_search (options, text);
    }

  return cli_usage_error ("drugs", "unknown subcommand “%s”", argv[1]);
}
