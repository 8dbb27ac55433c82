/* cli-demo.c: chartroom-cli demo --patients N [--seed S]
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "chartroom-cli"

#include "config.h"

#include <stdio.h>
#include <unistd.h>

#include "cli.h"
#include "cr-demo.h"

static void
print_progress (double   fraction,
                gpointer user_data)
{
  fprintf (stderr, "\rGenerating the demo practice… %3d%%", (int) (fraction * 100));
  if (fraction >= 1.0)
    fputc ('\n', stderr);
  fflush (stderr);
}

static void
print_count (const char *name,
             gint64      value)
{
  printf ("%s\t%" G_GINT64_FORMAT "\n", name, value);
}

int
cli_cmd_demo (CliOptions  *options,
              int          argc,
              char       **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CrStore) store = NULL;
  g_autoptr(GTimer) timer = NULL;
  CrDemoCounts counts = { 0, };
  gint64 patients = -1;
  gint64 seed = 1;
  double seconds;
  GOptionEntry entries[] = {
    { "patients", 0, 0, G_OPTION_ARG_INT64, &patients, "How many patients", "N" },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed, "The same seed gives the same practice (default 1)", "S" },
    { NULL }
  };

  context = g_option_context_new ("— fill an empty practice with a synthetic one");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return cli_usage_error ("demo", "%s", error->message);
  if (argc > 1)
    return cli_usage_error ("demo", "unexpected argument “%s”", argv[1]);
  if (patients < 1 || patients > CR_DEMO_MAX_PATIENTS)
    return cli_usage_error ("demo", "--patients takes a number from 1 to %u",
                            CR_DEMO_MAX_PATIENTS);
  if (seed < 0 || seed > G_MAXUINT32)
    return cli_usage_error ("demo", "--seed takes a number from 0 to %u", G_MAXUINT32);

  store = cli_open_store (options, &error);
  if (store == NULL)
    return cli_fail (g_steal_pointer (&error));

  timer = g_timer_new ();
  if (!cr_store_generate_demo (store, (guint) patients, (guint32) seed,
                               isatty (STDERR_FILENO) ? print_progress : NULL, NULL,
                               NULL, &error))
    {
      if (isatty (STDERR_FILENO))
        fputc ('\n', stderr);
      return cli_fail (g_steal_pointer (&error));
    }
  seconds = g_timer_elapsed (timer, NULL);

  if (!cr_demo_count_rows (store, &counts, &error))
    return cli_fail (g_steal_pointer (&error));

  print_count ("patients", counts.patients);
  print_count ("visits", counts.visits);
  print_count ("diagnoses", counts.diagnoses);
  print_count ("prescriptions", counts.prescriptions);
  printf ("seconds\t%.1f\n", seconds);
  return CLI_EXIT_OK;
}
