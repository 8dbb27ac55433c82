/* cr-statistics.h: practice-wide statistics
 *
 * Visits per month, the top complaints and diagnoses of a period, outcome
 * rates per diagnosis category, and a recall list of the patients with a
 * chronic condition. Aggregate SQL over indexes; run it off the main loop
 * (cr_store_compute_statistics_async) with progress and cancellation.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "cr-report-export.h"
#include "cr-store.h"
#include "cr-types.h"

G_BEGIN_DECLS

#define CR_STATISTICS_ERROR (cr_statistics_error_quark ())

typedef enum
{
  CR_STATISTICS_ERROR_INVALID, /* a date or code in the options is not valid */
} CrStatisticsError;

/**
 * CrStatisticsOptions:
 * @from: (nullable): first day, "YYYY-MM-DD"; %NULL for the beginning
 * @to: (nullable): last day; %NULL for today
 * @registry_category: (nullable): an ICD-10-CM category ("E11") for the
 *   recall list; %NULL for none
 * @top: how many complaints and diagnoses to list (0: 20)
 * @today: (nullable): "YYYY-MM-DD" for overdue follow-ups; %NULL: today
 */
typedef struct
{
  const char *from;
  const char *to;
  const char *registry_category;
  guint       top;
  const char *today;
} CrStatisticsOptions;

typedef struct
{
  char   *month;    /* "2026-03" */
  gint64  visits;
} CrStatMonth;

typedef struct
{
  char   *system;   /* "icd10cm", "text"… */
  char   *code;     /* category or concept; NULL for a chief complaint */
  char   *label;
  gint64  count;    /* visits */
} CrStatCount;

typedef struct
{
  char   *code;      /* ICD-10-CM category */
  char   *label;
  gint64  total;
  gint64  better;    /* resolved or improved */
  gint64  unchanged;
  gint64  worse;     /* worsened or adverse effect */
} CrStatOutcome;

typedef struct
{
  gint64    patient_id;
  char     *record_number;
  char     *name;
  char     *birth_date;
  char     *last_visit;   /* NULL: never seen */
  char     *due_date;     /* the earliest open follow-up, or NULL */
  gboolean  overdue;      /* that follow-up's date has passed, or no
                           * visit in the last twelve months */
} CrStatRecall;

typedef struct _CrStatistics CrStatistics;

#define CR_TYPE_STATISTICS (cr_statistics_get_type ())

GQuark         cr_statistics_error_quark      (void);
GType          cr_statistics_get_type         (void) G_GNUC_CONST;
CrStatistics  *cr_statistics_ref             (CrStatistics *self);
void           cr_statistics_unref           (CrStatistics *self);

/* The period actually covered ("YYYY-MM-DD"; from is NULL for all). */
const char    *cr_statistics_get_from         (CrStatistics *self);
const char    *cr_statistics_get_to           (CrStatistics *self);
gint64         cr_statistics_get_total_visits (CrStatistics *self);
const char    *cr_statistics_get_registry_category (CrStatistics *self);
/* (element-type CrStatMonth) oldest first */
GArray        *cr_statistics_get_months       (CrStatistics *self);
/* (element-type CrStatCount) most frequent first: chief complaints
 * (normalised text) and coded diagnoses (ICD-10-CM categories) */
GArray        *cr_statistics_get_complaints   (CrStatistics *self);
GArray        *cr_statistics_get_diagnoses    (CrStatistics *self);
/* (element-type CrStatOutcome) most outcomes first */
GArray        *cr_statistics_get_outcomes     (CrStatistics *self);
/* (element-type CrStatRecall) overdue first, then by name */
GArray        *cr_statistics_get_recall       (CrStatistics *self);

/**
 * cr_store_compute_statistics:
 * @options: (nullable): all time up to today, no recall list
 * @progress: (nullable): called on this thread, 0.0 to 1.0
 *
 * Returns: (transfer full): the statistics, or %NULL with @error
 * (G_IO_ERROR_CANCELLED when cancelled)
 */
CrStatistics  *cr_store_compute_statistics    (CrStore                    *store,
                                               const CrStatisticsOptions  *options,
                                               CrProgressFunc              progress,
                                               gpointer                    progress_data,
                                               GCancellable               *cancellable,
                                               GError                    **error);
/* @progress is called on the main context of the caller. */
void           cr_store_compute_statistics_async  (CrStore                   *store,
                                                   const CrStatisticsOptions *options,
                                                   CrProgressFunc             progress,
                                                   gpointer                   progress_data,
                                                   GDestroyNotify             progress_notify,
                                                   GCancellable              *cancellable,
                                                   GAsyncReadyCallback        callback,
                                                   gpointer                   user_data);
CrStatistics  *cr_store_compute_statistics_finish (CrStore                   *store,
                                                   GAsyncResult              *result,
                                                   GError                   **error);

/* Every table, one after the other, each line starting with its section
 * ("month", "complaint", "diagnosis", "outcome", "recall"). */
char          *cr_statistics_to_table         (CrStatistics  *self,
                                               CrTableFormat  format);
CrReportDoc   *cr_statistics_build_doc        (CrStatistics  *self,
                                               const char    *practice);
gboolean       cr_statistics_write_pdf        (CrStatistics  *self,
                                               const char    *practice,
                                               const char    *path,
                                               GError       **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrStatistics, cr_statistics_unref)

G_END_DECLS
