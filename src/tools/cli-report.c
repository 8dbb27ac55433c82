/* cli-report.c: chartroom-cli report complaints|statistics
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "chartroom-cli"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cr-audit.h"
#include "cr-complaints.h"
#include "cr-patients.h"
#include "cr-report-export.h"
#include "cr-statistics.h"

static int
report_complaints (CliOptions  *options,
                   int          argc,
                   char       **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrStore) store = NULL;
  g_autoptr(CrPatient) patient = NULL;
  g_autoptr(CrComplaintReport) report = NULL;
  g_autofree char *record = NULL;
  g_autofree char *format = NULL;
  g_autofree char *output = NULL;
  g_autofree char *period = NULL;
  g_autofree char *today = NULL;
  g_autoptr(GOptionContext) context = NULL;
  CrComplaintOptions analysis = { CR_COMPLAINT_PERIOD_ALL, NULL };
  GOptionEntry entries[] = {
    { "patient", 0, 0, G_OPTION_ARG_STRING, &record, "The patient's record number", "RECORD" },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format, "tsv (default), csv, pdf or png", "FORMAT" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, "Write to FILE (required for pdf, png)", "FILE" },
    { "period", 0, 0, G_OPTION_ARG_STRING, &period, "1y, 3y or all (default)", "PERIOD" },
    { "today", 0, 0, G_OPTION_ARG_STRING, &today, "The report's date (YYYY-MM-DD)", "DATE" },
    { NULL }
  };

  context = g_option_context_new (NULL);
  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_help_enabled (context, FALSE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return cli_usage_error ("report", "%s", error->message);
  if (argc > 1)
    return cli_usage_error ("report", "unexpected “%s”", argv[1]);
  if (record == NULL)
    return cli_usage_error ("report", "complaints needs --patient RECORD");
  if (format == NULL)
    format = g_strdup ("tsv");
  if (strcmp (format, "tsv") != 0 && strcmp (format, "csv") != 0 &&
      strcmp (format, "pdf") != 0 && strcmp (format, "png") != 0)
    return cli_usage_error ("report", "unknown format “%s” (tsv, csv, pdf or png)", format);
  if ((strcmp (format, "pdf") == 0 || strcmp (format, "png") == 0) && output == NULL)
    return cli_usage_error ("report", "--format %s needs -o FILE", format);
  if (period != NULL && !cr_complaint_period_from_string (period, &analysis.period))
    return cli_usage_error ("report", "unknown period “%s” (1y, 3y or all)", period);
  analysis.today = today;

  store = cli_open_store (options, &error);
  if (store == NULL)
    return cli_fail (g_steal_pointer (&error));

  patient = cr_store_find_patient_by_record_number (store, record, &error);
  if (patient == NULL)
    return cli_fail (g_steal_pointer (&error));

  report = cr_store_analyze_complaints (store, cr_patient_get_id (patient), &analysis, NULL, &error);
  if (report == NULL)
    return cli_fail (g_steal_pointer (&error));

  if (strcmp (format, "pdf") == 0)
    {
      g_autofree char *practice = cr_store_dup_practice_name (store);

      if (!cr_complaint_report_write_pdf (report, practice, patient, output, &error))
        return cli_fail (g_steal_pointer (&error));
    }
  else if (strcmp (format, "png") == 0)
    {
      if (!cr_complaint_report_write_png (report, output, 1000, 2.0, &error))
        return cli_fail (g_steal_pointer (&error));
    }
  else
    {
      g_autofree char *text = cr_complaint_report_to_table (report, strcmp (format, "csv") == 0
                                                                      ? CR_TABLE_FORMAT_CSV
                                                                      : CR_TABLE_FORMAT_TSV);

      if (output != NULL)
        {
          if (!cr_report_write_text (text, output, &error))
            return cli_fail (g_steal_pointer (&error));
        }
      else
        fputs (text, stdout);
    }

  /* Patient data left the database: a file export, or a view on screen. */
  {
    g_autofree char *detail = g_strdup_printf ("recurring complaints (%s)%s%s", format,
                                               output ? " to " : "", output ? output : "");

    if (!cr_store_audit (store, output ? CR_AUDIT_EXPORT : CR_AUDIT_VIEW,
                         cr_patient_get_id (patient), "report", detail, &error))
      return cli_fail (g_steal_pointer (&error));
  }

  return CLI_EXIT_OK;
}

static void
progress_cb (double   fraction,
             gpointer user_data)
{
  (void) fraction;
  (void) user_data;
}

static int
report_statistics (CliOptions  *options,
                   int          argc,
                   char       **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrStore) store = NULL;
  g_autoptr(CrStatistics) stats = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  g_autofree char *registry = NULL;
  g_autofree char *format = NULL;
  g_autofree char *output = NULL;
  CrStatisticsOptions opts = { 0 };
  GOptionEntry entries[] = {
    { "from", 0, 0, G_OPTION_ARG_STRING, &from, "First day (YYYY-MM-DD)", "DATE" },
    { "to", 0, 0, G_OPTION_ARG_STRING, &to, "Last day (YYYY-MM-DD)", "DATE" },
    { "registry", 0, 0, G_OPTION_ARG_STRING, &registry, "ICD-10-CM category for the recall list (E11)", "CODE" },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format, "tsv (default), csv or pdf", "FORMAT" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, "Write to FILE", "FILE" },
    { NULL }
  };

  context = g_option_context_new (NULL);
  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_help_enabled (context, FALSE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return cli_usage_error ("report", "%s", error->message);
  if (argc > 1)
    return cli_usage_error ("report", "unexpected “%s”", argv[1]);
  if (format == NULL)
    format = g_strdup ("tsv");
  if (strcmp (format, "tsv") != 0 && strcmp (format, "csv") != 0 && strcmp (format, "pdf") != 0)
    return cli_usage_error ("report", "unknown format “%s” (tsv, csv or pdf)", format);
  if (strcmp (format, "pdf") == 0 && output == NULL)
    return cli_usage_error ("report", "--format pdf needs -o FILE");

  opts.from = from;
  opts.to = to;
  opts.registry_category = registry;

  store = cli_open_store (options, &error);
  if (store == NULL)
    return cli_fail (g_steal_pointer (&error));

  stats = cr_store_compute_statistics (store, &opts, progress_cb, NULL, NULL, &error);
  if (stats == NULL)
    return cli_fail (g_steal_pointer (&error));

  if (strcmp (format, "pdf") == 0)
    {
      g_autofree char *practice = cr_store_dup_practice_name (store);

      if (!cr_statistics_write_pdf (stats, practice, output, &error))
        return cli_fail (g_steal_pointer (&error));
    }
  else
    {
      g_autofree char *text = cr_statistics_to_table (stats, strcmp (format, "csv") == 0
                                                               ? CR_TABLE_FORMAT_CSV
                                                               : CR_TABLE_FORMAT_TSV);

      if (output != NULL)
        {
          if (!cr_report_write_text (text, output, &error))
            return cli_fail (g_steal_pointer (&error));
        }
      else
        fputs (text, stdout);
    }

  if (output != NULL && registry != NULL &&
      !cr_store_audit (store, CR_AUDIT_EXPORT, 0, "registry", registry, &error))
    return cli_fail (g_steal_pointer (&error));

  return CLI_EXIT_OK;
}

int
cli_cmd_report (CliOptions  *options,
                int          argc,
                char       **argv)
{
  if (argc < 2)
    return cli_usage_error ("report", "expected complaints or statistics");
  if (strcmp (argv[1], "complaints") == 0)
    return report_complaints (options, argc - 1, argv + 1);
  if (strcmp (argv[1], "statistics") == 0)
    return report_statistics (options, argc - 1, argv + 1);
  return cli_usage_error ("report", "unknown report “%s” (complaints or statistics)", argv[1]);
}
