/* chartroom-cli.c: Chartroom's command-line tool, on the same core
 *
 * Output is tab-separated text, one record a line. Exit 0 on success, 1 on
 * an error (one line on stderr), 2 on wrong usage.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "chartroom-cli"

#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const CliCommand commands[] = {
  { "init", "[--name NAME]",
    "create a practice database", cli_cmd_init },
  { "codes", "import FILE | search TEXT",
    "import a CMS ICD-10-CM order file; find codes", cli_cmd_codes },
  { "demo", "--patients N [--seed S]",
    "fill an empty practice with a synthetic one", cli_cmd_demo },
  { "patients", "search TEXT | show RECORD",
    "find patients; show a chart summary", cli_cmd_patients },
  { "audit", "verify | list [--patient RECORD]",
    "check the audit trail's hash chain; list it", cli_cmd_audit },
  { "report", "complaints --patient RECORD [--format tsv|csv|pdf|png] [-o FILE] | statistics [--registry E11]",
    "a patient's recurring complaints; practice statistics", cli_cmd_report },
  { "bench", "[--scale small|reference] [--json] [--dir DIR]",
    "measure the performance budget on a synthetic practice", cli_cmd_bench },
  { "drugs", "import FILE | search TEXT",
    "import the FDA Orange Book products.txt; find drugs", cli_cmd_drugs },
  { "documents", "import [--patient RECORD] FILE... | list|search --patient RECORD|--inbox [TEXT]",
    "scanned and imported documents", cli_cmd_documents },
  { "fhir", "import FILE... | export --patient RECORD [-o FILE]",
    "FHIR R4 bundles in; a patient's record out", cli_cmd_fhir },
};

static void
print_help (FILE *out)
{
  fprintf (out,
           "Usage: chartroom-cli [--database FILE] [--key-file FILE] COMMAND ...\n\n"
           "Commands:\n");
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (out, "  %s %s\n      %s\n", commands[i].name, commands[i].usage,
             commands[i].description);
  fprintf (out,
           "\nWithout --key-file the key comes from the keyring, as in the application.\n"
           "--key-file names a file holding the 64-hex-digit key; it must not be\n"
           "readable by others (chmod 600).\n");
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *default_path = NULL;
  CliOptions options = { NULL, NULL };
  int i;

  setlocale (LC_ALL, "");

  /* Global options come before the command; the command parses the rest. */
  for (i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--help") || g_str_equal (argv[i], "-h"))
        {
          print_help (stdout);
          return CLI_EXIT_OK;
        }
      else if (g_str_equal (argv[i], "--database") || g_str_equal (argv[i], "--key-file"))
        {
          if (i + 1 >= argc)
            return cli_usage_error (NULL, "%s needs a file name", argv[i]);
          if (g_str_equal (argv[i], "--database"))
            options.database = argv[++i];
          else
            options.key_file = argv[++i];
        }
      else if (g_str_has_prefix (argv[i], "--database="))
        options.database = argv[i] + strlen ("--database=");
      else if (g_str_has_prefix (argv[i], "--key-file="))
        options.key_file = argv[i] + strlen ("--key-file=");
      else if (argv[i][0] == '-')
        return cli_usage_error (NULL, "unknown option “%s”", argv[i]);
      else
        break;
    }

  if (i >= argc)
    {
      print_help (stderr);
      return CLI_EXIT_USAGE;
    }

  if (options.database == NULL)
    options.database = g_getenv ("CHARTROOM_DATABASE");
  if (options.database == NULL)
    options.database = default_path = cr_store_get_default_path ();

  for (guint c = 0; c < G_N_ELEMENTS (commands); c++)
    if (g_str_equal (argv[i], commands[c].name))
      return commands[c].func (&options, argc - i, argv + i);

  return cli_usage_error (NULL, "unknown command “%s”", argv[i]);
}
