/* cr-complaints.h: a patient's recurring complaints
 *
 * A complaint is why the patient came: each visit's coded diagnoses
 * (primary and secondary) and its chief complaint. Complaints group by
 * ICD-10-CM 3-character category (R51.9 and R51.0 are both R51, headache),
 * other code systems by concept (system + code), free text by normalised
 * text (case, diacritics, spacing and punctuation ignored).
 *
 * One episode is never counted twice: a visit contributes each group at
 * most once, and its chief complaint counts as a complaint of its own only
 * when the visit has no coded (non-free-text) diagnosis. When it has one,
 * the chief complaint is the coded episode's wording ("Headache" for R51.9)
 * rather than a second complaint. Visits on the same day count once per
 * group. Visits entered in error, without a usable date or dated after
 * today are left out and counted.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "cr-clinical.h"
#include "cr-store.h"

G_BEGIN_DECLS

#define CR_COMPLAINTS_ERROR (cr_complaints_error_quark ())

typedef enum
{
  CR_COMPLAINTS_ERROR_INVALID, /* bad options (today is not a date) */
} CrComplaintsError;

typedef enum
{
  CR_COMPLAINT_PERIOD_ALL,
  CR_COMPLAINT_PERIOD_1Y,
  CR_COMPLAINT_PERIOD_3Y,
} CrComplaintPeriod;

typedef enum
{
  CR_COMPLAINT_TREND_TOO_FEW,     /* fewer than three episodes */
  CR_COMPLAINT_TREND_STEADY,
  CR_COMPLAINT_TREND_MORE_FREQUENT,
  CR_COMPLAINT_TREND_LESS_FREQUENT,
} CrComplaintTrend;

/* An episode with no recorded outcome; otherwise a CrOutcomeResult. */
#define CR_COMPLAINT_NO_OUTCOME (-1)

/**
 * CrComplaintOptions:
 * @period: how far back to look
 * @today: "YYYY-MM-DD", or %NULL for the local date; later visits are
 *   left out as future-dated
 */
typedef struct
{
  CrComplaintPeriod  period;
  const char        *today;
} CrComplaintOptions;

/**
 * CrComplaintEpisode:
 * @visit_id: the (first) visit of that day
 * @date: "YYYY-MM-DD"
 * @julian: the date as a Julian day number, for drawing
 * @wording: how the complaint was written at that visit
 * @prescribed: (nullable): drugs prescribed at that visit, "; "-separated
 * @outcome: the latest recorded result (CrOutcomeResult) or
 *   %CR_COMPLAINT_NO_OUTCOME
 * @outcomes: (nullable): every recorded outcome, "resolved: note; …"
 * @n_visits: visits on that day with this complaint
 */
typedef struct
{
  gint64  visit_id;
  char   *date;
  guint32 julian;
  char   *wording;
  char   *prescribed;
  int     outcome;
  char   *outcomes;
  guint   n_visits;
} CrComplaintEpisode;

/**
 * CrComplaint:
 * @key: a stable id: "icd10cm:R51", "snomed:25064002", "text:headache"
 * @system: the code system, "text" for free text
 * @code: (nullable): the ICD-10-CM category or the concept's code
 * @label: what to show: "Headache", the category's or concept's name
 * @chapter: (nullable): ICD-10-CM chapter number, "XVIII"
 * @chapter_title: (nullable): the chapter's title
 * @chronic: on the patient's active chronic problem list
 * @episodes: (element-type CrComplaintEpisode): oldest first
 * @intervals: (element-type int): days between consecutive episodes
 */
typedef struct
{
  char             *key;
  char             *system;
  char             *code;
  char             *label;
  const char       *chapter;
  const char       *chapter_title;
  gboolean          chronic;
  GArray           *episodes;
  GArray           *intervals;
  CrComplaintTrend  trend;
} CrComplaint;

typedef struct _CrComplaintReport CrComplaintReport;

#define CR_TYPE_COMPLAINT_REPORT (cr_complaint_report_get_type ())

GQuark              cr_complaints_error_quark             (void);
GType               cr_complaint_report_get_type          (void) G_GNUC_CONST;

CrComplaintReport  *cr_complaint_report_ref               (CrComplaintReport *self);
void                cr_complaint_report_unref             (CrComplaintReport *self);

gint64              cr_complaint_report_get_patient_id    (CrComplaintReport *self);
CrComplaintPeriod   cr_complaint_report_get_period        (CrComplaintReport *self);
/* "YYYY-MM-DD": the report's today, and the first day of its period
 * (NULL for all time). */
const char         *cr_complaint_report_get_today         (CrComplaintReport *self);
const char         *cr_complaint_report_get_since         (CrComplaintReport *self);
/* Every complaint in the period: recurring ones first (most episodes
 * first), then single ones. (transfer none) */
guint               cr_complaint_report_get_n_complaints  (CrComplaintReport *self);
const CrComplaint  *cr_complaint_report_get_complaint     (CrComplaintReport *self,
                                                           guint              index);
/* The first n are the recurring ones (two or more episodes). */
guint               cr_complaint_report_get_n_recurring   (CrComplaintReport *self);
guint               cr_complaint_report_get_n_visits      (CrComplaintReport *self);
guint               cr_complaint_report_get_n_future      (CrComplaintReport *self);
guint               cr_complaint_report_get_n_undated     (CrComplaintReport *self);
guint               cr_complaint_report_get_n_in_error    (CrComplaintReport *self);
/* "2 visits with future dates were left out." or NULL when none was. */
char               *cr_complaint_report_dup_left_out_text (CrComplaintReport *self);
/* The recurring complaint with that key, or NULL. */
const CrComplaint  *cr_complaint_report_find              (CrComplaintReport *self,
                                                           const char        *key);

guint               cr_complaint_get_n_episodes           (const CrComplaint *complaint);
const CrComplaintEpisode *cr_complaint_get_episode        (const CrComplaint *complaint,
                                                           guint              index);
const char         *cr_complaint_get_first_date           (const CrComplaint *complaint);
const char         *cr_complaint_get_last_date            (const CrComplaint *complaint);
gboolean            cr_complaint_is_recurring             (const CrComplaint *complaint);
/* "R51 Headache", "Headache" (free text), "SNOMED 25064002 Headache" */
char               *cr_complaint_dup_title                (const CrComplaint *complaint);

const char         *cr_complaint_trend_to_string          (CrComplaintTrend   trend);
const char         *cr_complaint_period_to_string         (CrComplaintPeriod  period);
gboolean            cr_complaint_period_from_string       (const char        *text,
                                                           CrComplaintPeriod *period);

/* Free-text grouping: casefolded, diacritics removed, punctuation dropped,
 * spaces collapsed. "  HEADACHE! " → "headache". */
char               *cr_complaint_normalize_text           (const char        *text);
/* The ICD-10-CM chapter of a code ("R519" → "XVIII", title); FALSE when
 * the code is in none. */
gboolean            cr_icd10cm_chapter                    (const char        *code,
                                                           const char       **number,
                                                           const char       **title);

/**
 * cr_store_analyze_complaints:
 * @options: (nullable): %NULL for all time up to today
 *
 * Returns: (transfer full): the patient's complaints, or %NULL with @error
 */
CrComplaintReport  *cr_store_analyze_complaints           (CrStore                   *store,
                                                           gint64                     patient_id,
                                                           const CrComplaintOptions  *options,
                                                           GCancellable              *cancellable,
                                                           GError                   **error);
void                cr_store_analyze_complaints_async     (CrStore                   *store,
                                                           gint64                     patient_id,
                                                           const CrComplaintOptions  *options,
                                                           GCancellable              *cancellable,
                                                           GAsyncReadyCallback        callback,
                                                           gpointer                   user_data);
CrComplaintReport  *cr_store_analyze_complaints_finish    (CrStore                   *store,
                                                           GAsyncResult              *result,
                                                           GError                   **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrComplaintReport, cr_complaint_report_unref)

G_END_DECLS
