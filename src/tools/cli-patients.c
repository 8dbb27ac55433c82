/* cli-patients.c: chartroom-cli patients search|show
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "chartroom-cli"

#include "config.h"

#include <stdio.h>

#include "cli.h"
#include "cr-patients.h"

static int
patients_search (CliOptions  *options,
                 const char  *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrStore) store = NULL;
  g_autoptr(GString) line = g_string_new (NULL);
  guint offset = 0;
  const guint page = 1000;

  store = cli_open_store (options, &error);
  if (store == NULL)
    return cli_fail (g_steal_pointer (&error));

  /* Page through the results: an empty search lists every patient. */
  for (;;)
    {
      g_autoptr(GPtrArray) found = NULL;

      found = cr_store_search_patients (store, text, offset, page, NULL, &error);
      if (found == NULL)
        return cli_fail (g_steal_pointer (&error));

      for (guint i = 0; i < found->len; i++)
        {
          CrPatient *patient = g_ptr_array_index (found, i);

          cli_print_field (line, cr_patient_get_record_number (patient));
          cli_print_field (line, cr_patient_get_family_name (patient));
          cli_print_field (line, cr_patient_get_given_names (patient));
          cli_print_field (line, cr_patient_get_birth_date (patient));
          cli_print_line (line);
        }

      if (found->len < page)
        break;
      offset += page;
    }

  return CLI_EXIT_OK;
}

int
cli_cmd_patients (CliOptions  *options,
                  int          argc,
                  char       **argv)
{
  if (argc < 2)
    return cli_usage_error ("patients", "say “search TEXT” or “show RECORD”");

  if (g_strcmp0 (argv[1], "search") == 0)
    {
      g_autofree char *text = NULL;

      if (argc > 2)
        text = g_strjoinv (" ", argv + 2);
      return patients_search (options, text ? text : "");
    }

  return cli_usage_error ("patients", "unknown subcommand “%s”", argv[1]);
}
