/* bench-report.c: the benchmark's rows, percentiles, table and JSON
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "chartroom-bench"

#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <sqlcipher/sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "bench.h"

static BenchRow *
add_row (BenchContext *ctx,
         const char   *id,
         const char   *label,
         const char   *unit,
         BenchTarget   target)
{
  BenchRow *row = g_new0 (BenchRow, 1);

  row->id = g_strdup (id);
  row->label = g_strdup (label);
  row->unit = unit;
  row->target = target;
  row->p50 = row->p95 = row->p99 = NAN;
  g_ptr_array_add (ctx->rows, row);
  return row;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return (x > y) - (x < y);
}

/* Nearest rank on sorted samples: the smallest sample with at least p% of
 * the samples at or below it. */
static double
percentile (GArray *sorted,
            double  p)
{
  gsize rank;

  g_assert (sorted->len > 0);
  rank = (gsize) ceil (p / 100.0 * sorted->len);
  rank = CLAMP (rank, 1, sorted->len);
  return g_array_index (sorted, double, rank - 1);
}

/**
 * bench_add_samples:
 * @samples: (element-type double): one figure per repetition, in @unit;
 *   sorted in place
 *
 * Adds a row with the percentiles of @samples.
 */
BenchRow *
bench_add_samples (BenchContext *ctx,
                   const char   *id,
                   const char   *label,
                   const char   *unit,
                   BenchTarget   target,
                   GArray       *samples)
{
  BenchRow *row;

  if (samples->len == 0)
    return bench_add_not_measured (ctx, id, label, unit, target, "no samples");

  row = add_row (ctx, id, label, unit, target);
  g_array_sort (samples, compare_doubles);
  row->samples = samples->len;
  row->p50 = percentile (samples, 50);
  row->p95 = percentile (samples, 95);
  row->p99 = percentile (samples, 99);
  return row;
}

static double
row_stat (const BenchRow *row,
          BenchStat       stat)
{
  switch (stat)
    {
    case BENCH_STAT_P50:
      return row->p50;
    case BENCH_STAT_P99:
      return row->p99;
    case BENCH_STAT_NONE:
    default:
      return NAN;
    }
}

/**
 * bench_add_ratio:
 * @target: its stat says which figure of the two rows is compared
 *
 * Adds a derived row: @numerator's figure over @denominator's, in the
 * column of the figure compared.
 */
BenchRow *
bench_add_ratio (BenchContext   *ctx,
                 const char     *id,
                 const char     *label,
                 BenchTarget     target,
                 const BenchRow *numerator,
                 const BenchRow *denominator)
{
  BenchRow *row;
  double value;

  g_return_val_if_fail (target.stat != BENCH_STAT_NONE, NULL);

  if (!bench_row_is_measured (numerator))
    return bench_add_not_measured (ctx, id, label, "x", target, "%s", numerator->not_measured);
  if (!bench_row_is_measured (denominator))
    return bench_add_not_measured (ctx, id, label, "x", target, "%s", denominator->not_measured);

  row = add_row (ctx, id, label, "x", target);
  value = row_stat (numerator, target.stat) / row_stat (denominator, target.stat);
  if (target.stat == BENCH_STAT_P50)
    row->p50 = value;
  else
    row->p99 = value;
  return row;
}

BenchRow *
bench_add_not_measured (BenchContext *ctx,
                        const char   *id,
                        const char   *label,
                        const char   *unit,
                        BenchTarget   target,
                        const char   *format,
                        ...)
{
  BenchRow *row = add_row (ctx, id, label, unit, target);
  va_list args;

  va_start (args, format);
  row->not_measured = g_strdup_vprintf (format, args);
  va_end (args);
  /* One line in the table, whatever an error message held. */
  g_strdelimit (row->not_measured, "\r\n\t", ' ');
  return row;
}

gboolean
bench_row_is_measured (const BenchRow *row)
{
  return row->not_measured == NULL;
}

static void
bench_row_free (BenchRow *row)
{
  g_free (row->id);
  g_free (row->label);
  g_free (row->not_measured);
  g_free (row);
}

void
bench_context_clear (BenchContext *ctx)
{
  if (ctx->store != NULL)
    cr_store_close (ctx->store);
  g_clear_object (&ctx->store);
  if (ctx->plain_path != NULL)
    {
      g_autofree char *wal = g_strconcat (ctx->plain_path, "-wal", NULL);
      g_autofree char *shm = g_strconcat (ctx->plain_path, "-shm", NULL);

      /* The unencrypted copy never outlives the run. */
      g_unlink (ctx->plain_path);
      g_unlink (wal);
      g_unlink (shm);
    }
  g_clear_pointer (&ctx->dir, g_free);
  g_clear_pointer (&ctx->practice_path, g_free);
  g_clear_pointer (&ctx->key_path, g_free);
  g_clear_pointer (&ctx->plain_path, g_free);
  g_clear_pointer (&ctx->codes_path, g_free);
  g_clear_pointer (&ctx->document_path, g_free);
  if (ctx->rows != NULL)
    {
      for (guint i = 0; i < ctx->rows->len; i++)
        bench_row_free (g_ptr_array_index (ctx->rows, i));
      g_clear_pointer (&ctx->rows, g_ptr_array_unref);
    }
}

/* Formatting */

static char *
format_figure (double      value,
               const char *unit)
{
  if (isnan (value))
    return g_strdup ("—");
  if (g_str_equal (unit, "ms"))
    {
      if (value >= 1000)
        return g_strdup_printf ("%.2f s", value / 1000);
      return g_strdup_printf (value < 10 ? "%.2f ms" : value < 100 ? "%.1f ms" : "%.0f ms", value);
    }
  if (g_str_equal (unit, "x"))
    return g_strdup_printf ("%.2fx", value);
  return g_strdup_printf ("%.1f %s", value, unit);
}

static char *
format_target (const BenchTarget *target,
               const char        *unit)
{
  g_autofree char *limit = NULL;

  if (target->stat == BENCH_STAT_NONE)
    return NULL;
  limit = g_str_equal (unit, "x") ? g_strdup_printf ("%gx", target->limit)
                                  : target->limit >= 1000 && g_str_equal (unit, "ms")
                                    ? g_strdup_printf ("%g s", target->limit / 1000)
                                    : g_strdup_printf ("%g %s", target->limit, unit);
  return g_strdup_printf ("%s %s %s", target->inclusive ? "≤" : "<", limit,
                          target->stat == BENCH_STAT_P50 ? "p50" : "p99");
}

/* "met", "missed by 12%", "not measured: why", or NULL without a target. */
static char *
row_verdict (const BenchRow *row)
{
  double value;
  gboolean met;

  if (!bench_row_is_measured (row))
    return g_strdup_printf ("not measured: %s", row->not_measured);
  if (row->target.stat == BENCH_STAT_NONE)
    return NULL;

  value = row_stat (row, row->target.stat);
  met = row->target.inclusive ? value <= row->target.limit : value < row->target.limit;
  if (met)
    return g_strdup ("met");
  return g_strdup_printf ("missed by %.0f%%", MAX (1.0, (value / row->target.limit - 1.0) * 100.0));
}

/* The machine and software the figures come from. */
static char *
dup_cpu_model (void)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;

  if (!g_file_get_contents ("/proc/cpuinfo", &contents, NULL, NULL))
    return g_strdup ("unknown");
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], "model name"))
      {
        const char *colon = strchr (lines[i], ':');

        if (colon != NULL)
          return g_strstrip (g_strdup (colon + 1));
      }
  return g_strdup ("unknown");
}

static char *
dup_now (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  return g_date_time_format_iso8601 (now);
}

static void
pad_cell (GString    *line,
          const char *text,
          guint       width,
          gboolean    right)
{
  glong len = g_utf8_strlen (text, -1);

  if (right)
    for (glong i = len; i < (glong) width; i++)
      g_string_append_c (line, ' ');
  g_string_append (line, text);
  if (!right)
    for (glong i = len; i < (glong) width; i++)
      g_string_append_c (line, ' ');
}

#define N_COLUMNS 7

void
bench_print_table (BenchContext *ctx)
{
  static const char *headings[N_COLUMNS] = {
    "measure", "samples", "p50", "p95", "p99", "target", "verdict",
  };
  g_autoptr(GPtrArray) cells = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *cpu = dup_cpu_model ();
  g_autofree char *cipher = cr_store_dup_cipher_version (ctx->store);
  g_autofree char *now = dup_now ();
  g_autoptr(GString) line = g_string_new (NULL);
  guint widths[N_COLUMNS] = { 0, };

  printf ("Chartroom benchmark, %s scale\n", ctx->scale_name);
  printf ("practice   %s\n", ctx->practice_path);
  printf ("counts     %" G_GINT64_FORMAT " patients, %" G_GINT64_FORMAT " visits, %"
          G_GINT64_FORMAT " diagnoses, %" G_GINT64_FORMAT " prescriptions\n",
          ctx->counts.patients, ctx->counts.visits, ctx->counts.diagnoses,
          ctx->counts.prescriptions);
  printf ("machine    %u CPUs, %s\n", g_get_num_processors (), cpu);
  printf ("sqlcipher  %s (SQLite %s)\n", cipher ? cipher : "unknown", sqlite3_libversion ());
  printf ("date       %s\n\n", now);

  for (guint c = 0; c < N_COLUMNS; c++)
    g_ptr_array_add (cells, g_strdup (headings[c]));
  for (guint i = 0; i < ctx->rows->len; i++)
    {
      BenchRow *row = g_ptr_array_index (ctx->rows, i);
      char *target = format_target (&row->target, row->unit);
      char *verdict = row_verdict (row);

      g_ptr_array_add (cells, g_strdup (row->label));
      g_ptr_array_add (cells, row->samples > 0 ? g_strdup_printf ("%u", row->samples) : g_strdup ("—"));
      g_ptr_array_add (cells, format_figure (row->p50, row->unit));
      g_ptr_array_add (cells, format_figure (row->p95, row->unit));
      g_ptr_array_add (cells, format_figure (row->p99, row->unit));
      g_ptr_array_add (cells, target ? target : g_strdup ("—"));
      g_ptr_array_add (cells, verdict ? verdict : g_strdup ("—"));
    }

  for (guint i = 0; i < cells->len; i++)
    widths[i % N_COLUMNS] = MAX (widths[i % N_COLUMNS],
                                 (guint) g_utf8_strlen (g_ptr_array_index (cells, i), -1));

  for (guint i = 0; i < cells->len; i++)
    {
      guint c = i % N_COLUMNS;

      if (c > 0)
        g_string_append (line, "  ");
      /* Figures right-aligned; the last column is not padded. */
      if (c == N_COLUMNS - 1)
        g_string_append (line, g_ptr_array_index (cells, i));
      else
        pad_cell (line, g_ptr_array_index (cells, i), widths[c], c >= 1 && c <= 4);
      if (c == N_COLUMNS - 1)
        {
          puts (line->str);
          g_string_truncate (line, 0);
        }
    }
}

static void
add_figure (JsonBuilder *builder,
            const char  *name,
            double       value)
{
  json_builder_set_member_name (builder, name);
  if (isnan (value))
    json_builder_add_null_value (builder);
  else
    json_builder_add_double_value (builder, value);
}

static void
add_string_or_null (JsonBuilder *builder,
                    const char  *name,
                    const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value == NULL)
    json_builder_add_null_value (builder);
  else
    json_builder_add_string_value (builder, value);
}

static void
add_int (JsonBuilder *builder,
         const char  *name,
         gint64       value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, value);
}

gboolean
bench_print_json (BenchContext  *ctx,
                  GError       **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *cpu = dup_cpu_model ();
  g_autofree char *cipher = cr_store_dup_cipher_version (ctx->store);
  g_autofree char *now = dup_now ();
  g_autofree char *text = NULL;

  json_builder_begin_object (builder);
  add_string_or_null (builder, "scale", ctx->scale_name);
  add_string_or_null (builder, "practice", ctx->practice_path);
  add_int (builder, "seed", ctx->seed);

  json_builder_set_member_name (builder, "counts");
  json_builder_begin_object (builder);
  add_int (builder, "patients", ctx->counts.patients);
  add_int (builder, "visits", ctx->counts.visits);
  add_int (builder, "diagnoses", ctx->counts.diagnoses);
  add_int (builder, "prescriptions", ctx->counts.prescriptions);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "machine");
  json_builder_begin_object (builder);
  add_int (builder, "nproc", g_get_num_processors ());
  add_string_or_null (builder, "cpu", cpu);
  json_builder_end_object (builder);

  add_string_or_null (builder, "sqlcipher", cipher);
  add_string_or_null (builder, "sqlite", sqlite3_libversion ());
  add_string_or_null (builder, "date", now);

  json_builder_set_member_name (builder, "measures");
  json_builder_begin_array (builder);
  for (guint i = 0; i < ctx->rows->len; i++)
    {
      BenchRow *row = g_ptr_array_index (ctx->rows, i);
      g_autofree char *target = format_target (&row->target, row->unit);
      g_autofree char *verdict = row_verdict (row);

      json_builder_begin_object (builder);
      add_string_or_null (builder, "id", row->id);
      add_string_or_null (builder, "measure", row->label);
      add_string_or_null (builder, "unit", row->unit);
      json_builder_set_member_name (builder, "samples");
      if (row->samples > 0)
        json_builder_add_int_value (builder, row->samples);
      else
        json_builder_add_null_value (builder);
      add_figure (builder, "p50", row->p50);
      add_figure (builder, "p95", row->p95);
      add_figure (builder, "p99", row->p99);
      add_string_or_null (builder, "target", target);
      add_string_or_null (builder, "verdict", verdict);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);
  if (fputs (text, stdout) == EOF || fputc ('\n', stdout) == EOF || fflush (stdout) != 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Could not write the report");
      return FALSE;
    }
  return TRUE;
}
