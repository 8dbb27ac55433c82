/* cli-fhir.c: chartroom-cli fhir import|export
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "chartroom-cli"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cr-fhir-export.h"
#include "cr-fhir-import.h"
#include "cr-patients.h"

static void
print_count (GString *line,
             guint    n)
{
  char number[16];

  g_snprintf (number, sizeof number, "%u", n);
  cli_print_field (line, number);
}

/* One line a file: file, patients, encounters, conditions, medication
 * requests, observations, allergies, documents, unchanged, skipped by type;
 * a file that failed gets its message on stderr and the others go on. */
static int
fhir_import (CliOptions  *options,
             int          argc,
             char       **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrStore) store = NULL;
  g_autoptr(GString) line = g_string_new (NULL);
  gboolean failed = FALSE;

  if (argc < 1)
    return cli_usage_error ("fhir", "import needs at least one FILE");

  store = cli_open_store (options, &error);
  if (store == NULL)
    return cli_fail (g_steal_pointer (&error));

  cli_print_field (line, "file");
  cli_print_field (line, "patients");
  cli_print_field (line, "encounters");
  cli_print_field (line, "conditions");
  cli_print_field (line, "medication_requests");
  cli_print_field (line, "observations");
  cli_print_field (line, "allergies");
  cli_print_field (line, "documents");
  cli_print_field (line, "unchanged");
  cli_print_field (line, "skipped");
  cli_print_line (line);

  for (int i = 0; i < argc; i++)
    {
      g_auto(CrFhirImportSummary) summary = { 0 };
      g_autoptr(GError) file_error = NULL;
      g_autofree char *skipped = NULL;

      cr_fhir_import_summary_init (&summary);
      if (!cr_store_import_fhir (store, argv[i], CR_FHIR_IMPORT_DEFAULT, NULL, NULL, NULL,
                                 &summary, &file_error))
        {
          g_autofree char *message = g_strdup (file_error->message);

          g_strdelimit (message, "\n", ' ');
          fprintf (stderr, "chartroom-cli: %s: %s\n", argv[i], message);
          failed = TRUE;
          continue;
        }
      skipped = cr_fhir_import_summary_format_skipped (&summary);
      cli_print_field (line, argv[i]);
      print_count (line, summary.patients);
      print_count (line, summary.encounters);
      print_count (line, summary.conditions);
      print_count (line, summary.medication_requests);
      print_count (line, summary.observations);
      print_count (line, summary.allergies);
      print_count (line, summary.documents);
      print_count (line, summary.unchanged);
      cli_print_field (line, skipped);
      cli_print_line (line);
    }

  return failed ? CLI_EXIT_ERROR : CLI_EXIT_OK;
}

static int
fhir_export (CliOptions  *options,
             int          argc,
             char       **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrStore) store = NULL;
  g_autoptr(CrPatient) patient = NULL;
  g_autoptr(GBytes) bytes = NULL;
  const char *record = NULL;
  const char *output = NULL;

  for (int i = 0; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--patient") && i + 1 < argc)
        record = argv[++i];
      else if ((g_str_equal (argv[i], "-o") || g_str_equal (argv[i], "--output")) && i + 1 < argc)
        output = argv[++i];
      else
        return cli_usage_error ("fhir", "unexpected “%s” (export --patient RECORD [-o FILE])",
                                argv[i]);
    }
  if (record == NULL)
    return cli_usage_error ("fhir", "export needs --patient RECORD");

  store = cli_open_store (options, &error);
  if (store == NULL)
    return cli_fail (g_steal_pointer (&error));
  patient = cr_store_find_patient_by_record_number (store, record, &error);
  if (patient == NULL)
    return cli_fail (g_steal_pointer (&error));
  bytes = cr_store_export_fhir_patient (store, cr_patient_get_id (patient), &error);
  if (bytes == NULL)
    return cli_fail (g_steal_pointer (&error));

  if (output != NULL && !g_str_equal (output, "-"))
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (output);

      /* Private by default: it is a patient's record, unencrypted. */
      if (!g_file_replace_contents (file, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                    NULL, FALSE, G_FILE_CREATE_PRIVATE, NULL, NULL, &error))
        return cli_fail (g_steal_pointer (&error));
    }
  else if (fwrite (g_bytes_get_data (bytes, NULL), 1, g_bytes_get_size (bytes), stdout) !=
           g_bytes_get_size (bytes) || fflush (stdout) != 0)
    {
      g_set_error (&error, G_IO_ERROR, G_IO_ERROR_FAILED, "Writing the bundle failed");
      return cli_fail (g_steal_pointer (&error));
    }
  return CLI_EXIT_OK;
}

int
cli_cmd_fhir (CliOptions  *options,
              int          argc,
              char       **argv)
{
  if (argc < 2)
    return cli_usage_error ("fhir", "needs import or export");
  if (g_str_equal (argv[1], "import"))
    return fhir_import (options, argc - 2, argv + 2);
  if (g_str_equal (argv[1], "export"))
    return fhir_export (options, argc - 2, argv + 2);
  return cli_usage_error ("fhir", "unknown subcommand “%s”", argv[1]);
}
