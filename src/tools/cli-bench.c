/* cli-bench.c: chartroom-cli bench [--scale small|reference] [--json] [--dir DIR]
 *
 * Measures DESIGN.md's performance budget on a synthetic practice, built
 * once per scale and reused. Exit 0 when it ran: a missed target is a
 * finding in the report, not an error.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "chartroom-cli"

#include "config.h"

#include <stdio.h>

#include "bench.h"
#include "cli.h"

/* The reference practice of DESIGN.md, and one small enough for a test. */
#define BENCH_REFERENCE_PATIENTS 100000
#define BENCH_SMALL_PATIENTS     2000
#define BENCH_SEED               1

int
cli_cmd_bench (CliOptions  *options,
               int          argc,
               char       **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *scale = NULL;
  g_autofree char *dir = NULL;
  gboolean json = FALSE;
  gboolean quiet = FALSE;
  BenchContext ctx = { 0, };
  int status = CLI_EXIT_OK;
  GOptionEntry entries[] = {
    { "scale", 0, 0, G_OPTION_ARG_STRING, &scale,
      "small (2,000 patients) or reference (100,000; the default)", "SCALE" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print the report as JSON", NULL },
    { "dir", 0, 0, G_OPTION_ARG_FILENAME, &dir,
      "Where the practice is built or reused (default: the cache folder)", "DIR" },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "No progress on stderr", NULL },
    { NULL }
  };

  context = g_option_context_new ("— measure the performance budget on a synthetic practice");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return cli_usage_error ("bench", "%s", error->message);
  if (argc > 1)
    return cli_usage_error ("bench", "unexpected argument “%s”", argv[1]);

  /* The practice is the benchmark's own: --database does not apply. */
  if (scale == NULL || g_str_equal (scale, "reference"))
    {
      ctx.scale = BENCH_SCALE_REFERENCE;
      ctx.scale_name = "reference";
      ctx.n_patients = BENCH_REFERENCE_PATIENTS;
    }
  else if (g_str_equal (scale, "small"))
    {
      ctx.scale = BENCH_SCALE_SMALL;
      ctx.scale_name = "small";
      ctx.n_patients = BENCH_SMALL_PATIENTS;
    }
  else
    return cli_usage_error ("bench", "--scale takes small or reference, not “%s”", scale);

  ctx.seed = BENCH_SEED;
  ctx.verbose = !quiet;
  ctx.rows = g_ptr_array_new ();
  if (dir != NULL)
    ctx.dir = g_steal_pointer (&dir);
  else
    {
      g_autofree char *folder = g_strdup_printf ("bench-%s", ctx.scale_name);

      ctx.dir = g_build_filename (g_get_user_cache_dir (), "chartroom", folder, NULL);
    }

  if (!bench_practice_prepare (&ctx, &error))
    status = cli_fail (g_steal_pointer (&error));
  else
    {
      bench_run_measures (&ctx);
      if (!json)
        bench_print_table (&ctx);
      else if (!bench_print_json (&ctx, &error))
        status = cli_fail (g_steal_pointer (&error));
    }

  bench_context_clear (&ctx);
  return status;
}
