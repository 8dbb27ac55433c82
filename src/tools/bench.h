/* bench.h: what the parts of `chartroom-cli bench` share
 *
 * The benchmark is a table of measurement functions (bench-measures.c),
 * each adding one or more rows to the report (bench-report.c) on a practice
 * built or reused by bench-practice.c. Whole-process timing is in
 * bench-process.c, with the bench-run helper.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "cr-demo.h"
#include "cr-store.h"

G_BEGIN_DECLS

typedef enum
{
  BENCH_SCALE_SMALL,
  BENCH_SCALE_REFERENCE,
} BenchScale;

/* Which figure of a row a target applies to. */
typedef enum
{
  BENCH_STAT_NONE,
  BENCH_STAT_P50,
  BENCH_STAT_P99,
} BenchStat;

typedef struct
{
  BenchStat stat;      /* BENCH_STAT_NONE: the row has no target */
  double    limit;     /* in the row's unit */
  gboolean  inclusive; /* "at most" rather than "under" */
} BenchTarget;

#define BENCH_NO_TARGET ((BenchTarget) { BENCH_STAT_NONE, 0.0, FALSE })

typedef struct
{
  char        *id;           /* stable, for JSON readers: "patient-search" */
  char        *label;        /* what the table says */
  const char  *unit;         /* "ms", "x", "MiB" */
  BenchTarget  target;
  guint        samples;      /* 0 for a derived figure (a ratio) */
  double       p50;          /* NAN where the row has no such figure */
  double       p95;
  double       p99;
  char        *not_measured; /* why the row has no figures, or NULL */
} BenchRow;

typedef struct
{
  BenchScale    scale;
  const char   *scale_name;
  guint         n_patients;
  guint32       seed;

  char         *dir;
  char         *practice_path;
  char         *key_path;
  char         *plain_path;     /* the unencrypted copy, removed at the end */
  char         *codes_path;     /* the CMS order file, or NULL if absent */
  char         *document_path;  /* the scanned PDF, or NULL if absent */

  CrStore      *store;
  CrDemoCounts  counts;
  gboolean      codes_imported;
  gint64        document_id;    /* the scanned PDF in the practice, or 0 */
  gboolean      verbose;        /* progress on stderr */

  GPtrArray    *rows;           /* (element-type BenchRow) */
} BenchContext;

/* bench-practice.c */
gboolean  bench_practice_prepare   (BenchContext  *ctx,
                                    GError       **error);
void      bench_progress           (BenchContext  *ctx,
                                    const char    *format,
                                    ...) G_GNUC_PRINTF (2, 3);

/* bench-measures.c */
void      bench_run_measures       (BenchContext  *ctx);

/* bench-report.c */
BenchRow *bench_add_samples        (BenchContext  *ctx,
                                    const char    *id,
                                    const char    *label,
                                    const char    *unit,
                                    BenchTarget    target,
                                    GArray        *samples);
BenchRow *bench_add_ratio          (BenchContext  *ctx,
                                    const char    *id,
                                    const char    *label,
                                    BenchTarget    target,
                                    const BenchRow *numerator,
                                    const BenchRow *denominator);
BenchRow *bench_add_not_measured   (BenchContext  *ctx,
                                    const char    *id,
                                    const char    *label,
                                    const char    *unit,
                                    BenchTarget    target,
                                    const char    *format,
                                    ...) G_GNUC_PRINTF (6, 7);
gboolean  bench_row_is_measured    (const BenchRow *row);
/* Closes the store, removes the unencrypted copy, frees the rows. */
void      bench_context_clear      (BenchContext  *ctx);
void      bench_print_table        (BenchContext  *ctx);
gboolean  bench_print_json         (BenchContext  *ctx,
                                    GError       **error);

/* bench-process.c: one whole run of a program, fork to exit */
char     *bench_find_program       (const char    *name,
                                    const char    *build_path);
typedef struct
{
  gint64 elapsed_us;
  gint64 max_rss_kib;
} BenchProcessRun;

gboolean  bench_run_process        (const char * const *argv,
                                    const char * const *envp,
                                    guint               timeout_s,
                                    BenchProcessRun    *run,
                                    GError            **error);

G_END_DECLS
