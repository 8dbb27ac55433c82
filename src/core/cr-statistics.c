/* cr-statistics.c: practice-wide statistics
 *
 * Each table is one aggregate query; a long query is interrupted through
 * SQLite's progress handler when the caller cancels.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cr-statistics"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cr-codes.h"
#include "cr-complaints.h"
#include "cr-date.h"
#include "cr-statistics.h"
#include "cr-store-private.h"

G_DEFINE_QUARK (cr-statistics-error-quark, cr_statistics_error)

struct _CrStatistics
{
  gatomicrefcount ref_count;
  char   *from;
  char   *to;
  char   *registry;
  gint64  total_visits;
  GArray *months;
  GArray *complaints;
  GArray *diagnoses;
  GArray *outcomes;
  GArray *recall;
};

G_DEFINE_BOXED_TYPE (CrStatistics, cr_statistics, cr_statistics_ref, cr_statistics_unref)

static void
month_clear (gpointer data)
{
  g_free (((CrStatMonth *) data)->month);
}

static void
count_clear (gpointer data)
{
  CrStatCount *c = data;

  g_free (c->system);
  g_free (c->code);
  g_free (c->label);
}

static void
outcome_clear (gpointer data)
{
  CrStatOutcome *o = data;

  g_free (o->code);
  g_free (o->label);
}

static void
recall_clear (gpointer data)
{
  CrStatRecall *r = data;

  g_free (r->record_number);
  g_free (r->name);
  g_free (r->birth_date);
  g_free (r->last_visit);
  g_free (r->due_date);
}

static GArray *
new_array (gsize          size,
           GDestroyNotify clear)
{
  GArray *a = g_array_new (FALSE, TRUE, size);

  g_array_set_clear_func (a, clear);
  return a;
}

CrStatistics *
cr_statistics_ref (CrStatistics *self)
{
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
cr_statistics_unref (CrStatistics *self)
{
  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  g_free (self->from);
  g_free (self->to);
  g_free (self->registry);
  g_array_unref (self->months);
  g_array_unref (self->complaints);
  g_array_unref (self->diagnoses);
  g_array_unref (self->outcomes);
  g_array_unref (self->recall);
  g_free (self);
}

const char *
cr_statistics_get_from (CrStatistics *self)
{
  return self->from;
}

const char *
cr_statistics_get_to (CrStatistics *self)
{
  return self->to;
}

gint64
cr_statistics_get_total_visits (CrStatistics *self)
{
  return self->total_visits;
}

const char *
cr_statistics_get_registry_category (CrStatistics *self)
{
  return self->registry;
}

GArray *
cr_statistics_get_months (CrStatistics *self)
{
  return self->months;
}

GArray *
cr_statistics_get_complaints (CrStatistics *self)
{
  return self->complaints;
}

GArray *
cr_statistics_get_diagnoses (CrStatistics *self)
{
  return self->diagnoses;
}

GArray *
cr_statistics_get_outcomes (CrStatistics *self)
{
  return self->outcomes;
}

GArray *
cr_statistics_get_recall (CrStatistics *self)
{
  return self->recall;
}

static int
interrupt_if_cancelled (void *data)
{
  return g_cancellable_is_cancelled (data) ? 1 : 0;
}

static gboolean
step_failed (CrStore       *store,
             sqlite3_stmt  *stmt,
             int            rc,
             GCancellable  *cancellable,
             GError       **error)
{
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    return FALSE;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return TRUE;
  _cr_store_set_error (store, rc, error);
  return TRUE;
}

static char *
category_name (CrStore    *store,
               const char *category)
{
  sqlite3_stmt *stmt = _cr_store_prepare (store,
                                          "SELECT short_display FROM codes "
                                          "WHERE system = 'icd10cm' AND code = ?", NULL);
  char *name = NULL;

  if (stmt == NULL)
    return NULL;
  _cr_bind_text (stmt, 1, category);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    name = g_strdup (_cr_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return name;
}

/* A label for a code group without a code-set entry: the words its codes'
 * descriptions share ("Type 2 diabetes mellitus" for E11.9 and E11.65),
 * or the first few descriptions when they share none. */
static char *
diagnosis_display (CrStore    *store,
                   const char *system,
                   const char *code)
{
  sqlite3_stmt *stmt;
  g_autoptr(GPtrArray) displays = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) codes = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *upper = NULL;
  char *name;

  if (g_strcmp0 (system, "icd10cm") != 0)
    {
      stmt = _cr_store_prepare (store,
                                "SELECT display FROM visit_diagnoses "
                                "WHERE system = ?1 AND code = ?2 LIMIT 1", NULL);
      if (stmt == NULL)
        return NULL;
      _cr_bind_text (stmt, 1, system);
      _cr_bind_text (stmt, 2, code);
      name = sqlite3_step (stmt) == SQLITE_ROW ? g_strdup (_cr_column_text (stmt, 0)) : NULL;
      sqlite3_reset (stmt);
      return name;
    }

  name = category_name (store, code);
  if (name != NULL)
    return name;

  /* The category's codes, from the index alone. */
  upper = g_strdup_printf ("%s\xef\xbf\xbf", code);
  /* One index seek per distinct code (a DISTINCT would walk every row of
   * a common category). */
  stmt = _cr_store_prepare (store,
                            "SELECT code FROM visit_diagnoses WHERE system = 'icd10cm' "
                            "AND code > ?1 AND code < ?2 ORDER BY code LIMIT 1", NULL);
  if (stmt == NULL)
    return NULL;
  {
    /* Start just below the category ("R50\uFFFF" for R51: after every
     * R50 code, before R51 itself). */
    g_autofree char *below = g_strndup (code, 3);
    g_autofree char *after = NULL;

    below[strlen (below) - 1]--;
    after = g_strconcat (below, "\xef\xbf\xbf", NULL);
    while (codes->len < 8)
      {
        const char *next;

        _cr_bind_text (stmt, 1, after);
        _cr_bind_text (stmt, 2, upper);
        if (sqlite3_step (stmt) != SQLITE_ROW)
          {
            sqlite3_reset (stmt);
            break;
          }
        next = _cr_column_text (stmt, 0);
        if (next == NULL || !g_str_has_prefix (next, code))
          {
            sqlite3_reset (stmt);
            if (next == NULL)
              break;
            g_free (after);
            after = g_strdup (next);
            continue;
          }
        g_ptr_array_add (codes, g_strdup (next));
        g_free (after);
        after = g_strdup (next);
        sqlite3_reset (stmt);
      }
  }

  stmt = _cr_store_prepare (store,
                            "SELECT display FROM visit_diagnoses "
                            "WHERE system = 'icd10cm' AND code = ?1 LIMIT 1", NULL);
  if (stmt == NULL)
    return NULL;
  for (guint i = 0; i < codes->len; i++)
    {
      _cr_bind_text (stmt, 1, g_ptr_array_index (codes, i));
      if (sqlite3_step (stmt) == SQLITE_ROW)
        g_ptr_array_add (displays, g_strdup (_cr_column_text (stmt, 0)));
      sqlite3_reset (stmt);
    }
  if (displays->len == 0)
    return NULL;
  if (displays->len == 1)
    return g_strdup (g_ptr_array_index (displays, 0));

  {
    g_auto(GStrv) first = g_strsplit (g_ptr_array_index (displays, 0), " ", -1);
    guint shared = g_strv_length (first);
    g_autoptr(GString) prefix = g_string_new (NULL);

    for (guint i = 1; i < displays->len; i++)
      {
        g_auto(GStrv) words = g_strsplit (g_ptr_array_index (displays, i), " ", -1);
        guint k = 0;

        while (k < shared && words[k] != NULL && g_str_equal (words[k], first[k]))
          k++;
        shared = k;
      }
    for (guint k = 0; k < shared; k++)
      g_string_append_printf (prefix, "%s%s", k ? " " : "", first[k]);
    while (prefix->len > 0 && strchr (",;:", prefix->str[prefix->len - 1]) != NULL)
      g_string_truncate (prefix, prefix->len - 1);
    if (shared >= 2)
      return g_string_free (g_steal_pointer (&prefix), FALSE);
  }

  /* Nothing shared: "Cervicalgia; Low back pain, unspecified…" */
  g_ptr_array_set_size (displays, MIN (displays->len, 3));
  g_ptr_array_add (displays, NULL);
  name = g_strjoinv ("; ", (char **) displays->pdata);
  if (codes->len > 3)
    {
      char *more = g_strconcat (name, "…", NULL);

      g_free (name);
      name = more;
    }
  return name;
}

static gint
compare_counts (gconstpointer a,
                gconstpointer b)
{
  const CrStatCount *x = a, *y = b;

  if (x->count != y->count)
    return x->count > y->count ? -1 : 1;
  return g_strcmp0 (x->label, y->label);
}

static gint
compare_recall (gconstpointer a,
                gconstpointer b)
{
  const CrStatRecall *x = a, *y = b;

  if (x->overdue != y->overdue)
    return x->overdue ? -1 : 1;
  return g_utf8_collate (x->name, y->name);
}

static gint
compare_months (gconstpointer a,
                gconstpointer b)
{
  return strcmp (((const CrStatMonth *) a)->month, ((const CrStatMonth *) b)->month);
}

static gint
compare_outcomes (gconstpointer a,
                  gconstpointer b)
{
  const CrStatOutcome *x = a, *y = b;

  if (x->total != y->total)
    return x->total > y->total ? -1 : 1;
  return g_strcmp0 (x->code, y->code);
}

static void
free_value (gpointer key,
            gpointer value,
            gpointer data)
{
  g_free (value);
}

static gboolean
check_date (const char  *text,
            GDate       *date,
            GError     **error)
{
  if (cr_date_from_iso (text, date))
    return TRUE;
  g_set_error (error, CR_STATISTICS_ERROR, CR_STATISTICS_ERROR_INVALID,
               _("“%s” is not a date (YYYY-MM-DD)"), text);
  return FALSE;
}

CrStatistics *
cr_store_compute_statistics (CrStore                    *store,
                             const CrStatisticsOptions  *options,
                             CrProgressFunc              progress,
                             gpointer                    progress_data,
                             GCancellable               *cancellable,
                             GError                    **error)
{
  g_autoptr(CrStatistics) self = NULL;
  g_autoptr(CrStoreLocker) locker = NULL;
  CrStatisticsOptions none = { 0 };
  g_autofree char *upper = NULL;   /* first day after the period */
  g_autofree char *lower = NULL;
  GDate today, to, day;
  sqlite3 *db;
  sqlite3_stmt *stmt;
  guint top;
  int rc;
  gboolean failed = FALSE;
  gint64 max_visit = 0, max_diagnosis = 0;
  gint64 t0 = g_get_monotonic_time ();
  g_autofree guint8 *in_period = NULL;
  g_autofree guint32 *diagnosis_group = NULL;
  g_autoptr(GArray) groups = new_array (sizeof (CrStatCount), count_clear);

  g_return_val_if_fail (store != NULL, NULL);

  if (options == NULL)
    options = &none;
  top = options->top > 0 ? options->top : 20;

  g_date_clear (&today, 1);
  g_date_clear (&to, 1);
  g_date_clear (&day, 1);
  if (options->today != NULL)
    {
      if (!check_date (options->today, &today, error))
        return NULL;
    }
  else
    cr_date_set_today (&today);
  if (options->to != NULL)
    {
      if (!check_date (options->to, &to, error))
        return NULL;
    }
  else
    to = today;
  if (options->from != NULL && !check_date (options->from, &day, error))
    return NULL;
  if (options->registry_category != NULL &&
      (strlen (options->registry_category) < 3 ||
       !cr_icd10cm_chapter (options->registry_category, NULL, NULL)))
    {
      g_set_error (error, CR_STATISTICS_ERROR, CR_STATISTICS_ERROR_INVALID,
                   _("“%s” is not an ICD-10-CM category (E11, I10…)"), options->registry_category);
      return NULL;
    }

  self = g_new0 (CrStatistics, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->from = options->from ? cr_date_to_iso (&day) : NULL;
  self->to = cr_date_to_iso (&to);
  self->registry = options->registry_category ? g_ascii_strup (options->registry_category, 3) : NULL;
  self->months = new_array (sizeof (CrStatMonth), month_clear);
  self->complaints = new_array (sizeof (CrStatCount), count_clear);
  self->diagnoses = new_array (sizeof (CrStatCount), count_clear);
  self->outcomes = new_array (sizeof (CrStatOutcome), outcome_clear);
  self->recall = new_array (sizeof (CrStatRecall), recall_clear);

  /* Visits are stored as "YYYY-MM-DD[THH:MM]": a day's visits sort
   * before the next day. */
  lower = g_strdup (self->from ? self->from : "0000");
  g_date_add_days (&to, 1);
  upper = cr_date_to_iso (&to);

  locker = _cr_store_lock (store);
  db = _cr_store_get_db (store);
  if (cancellable != NULL)
    sqlite3_progress_handler (db, 20000, interrupt_if_cancelled, cancellable);

  /* Between passes the store is let go, so that the window's own queries
   * (a search, a chart) are not held up for the whole computation. */
#define YIELD_STORE() G_STMT_START { \
    sqlite3_progress_handler (db, 0, NULL, NULL); \
    g_clear_pointer (&locker, _cr_store_unlock); \
    locker = _cr_store_lock (store); \
    if (cancellable != NULL) \
      sqlite3_progress_handler (db, 20000, interrupt_if_cancelled, cancellable); \
  } G_STMT_END

  if (progress)
    progress (0.0, progress_data);
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    goto out_failed;

  /* 1. One pass over the period's visits: visits per month, chief
   * complaints, and which visits are in the period (a bit per visit id,
   * for the diagnoses' pass). With the index visits (entered_in_error,
   * started_at, chief_complaint) this reads no table row. */
  stmt = _cr_store_prepare (store, "SELECT max (id) FROM visits", error);
  if (stmt == NULL)
    goto out_failed;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    max_visit = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  in_period = g_new0 (guint8, max_visit / 8 + 1);

  stmt = _cr_store_prepare (store,
                            "SELECT id, started_at, chief_complaint FROM visits "
                            "WHERE entered_in_error = 0 AND started_at >= ?1 AND started_at < ?2",
                            error);
  if (stmt == NULL)
    goto out_failed;
  _cr_bind_text (stmt, 1, lower);
  _cr_bind_text (stmt, 2, upper);
  {
    g_autoptr(GHashTable) months = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
    g_autoptr(GHashTable) raw = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
    char last_month[8] = "";
    gint64 *last_count = NULL;
    gint64 rows = 0;

    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      {
        gint64 id = sqlite3_column_int64 (stmt, 0);
        const char *at = (const char *) sqlite3_column_text (stmt, 1);
        const char *cc = (const char *) sqlite3_column_text (stmt, 2);

        if (id >= 0 && id <= max_visit)
          in_period[id >> 3] |= 1 << (id & 7);
        if (at != NULL && strlen (at) >= 7)
          {
            if (last_count == NULL || strncmp (at, last_month, 7) != 0)
              {
                memcpy (last_month, at, 7);
                last_month[7] = '\0';
                last_count = g_hash_table_lookup (months, last_month);
                if (last_count == NULL)
                  {
                    last_count = g_new0 (gint64, 1);
                    g_hash_table_insert (months, g_strdup (last_month), last_count);
                  }
              }
            (*last_count)++;
          }
        if (cc != NULL && *cc != '\0')
          {
            gint64 *n = g_hash_table_lookup (raw, cc);

            if (n == NULL)
              {
                n = g_new0 (gint64, 1);
                g_hash_table_insert (raw, g_strdup (cc), n);
              }
            (*n)++;
          }
        if (progress && (++rows % 200000) == 0)
          progress (MIN (0.4, 0.4 * rows / MAX (max_visit, 1)), progress_data);
      }
    if (step_failed (store, stmt, rc, cancellable, error))
      {
        g_hash_table_foreach (months, free_value, NULL);
        goto out_failed;
      }

    {
      GHashTableIter iter;
      gpointer key, value;

      g_hash_table_iter_init (&iter, months);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          CrStatMonth m = { g_strdup (key), *(gint64 *) value };

          self->total_visits += m.visits;
          g_array_append_val (self->months, m);
          g_free (value);
        }
      g_array_sort (self->months, compare_months);
    }

    /* Chief complaints merged by normalised text. */
    {
      g_autoptr(GHashTable) merged = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      g_autoptr(GArray) all = new_array (sizeof (CrStatCount), count_clear);
      GHashTableIter iter;
      gpointer key, value;

      g_hash_table_iter_init (&iter, raw);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          g_autofree char *norm = cr_complaint_normalize_text (key);
          gpointer slot;

          if (*norm == '\0')
            continue;
          slot = g_hash_table_lookup (merged, norm);
          if (slot == NULL)
            {
              CrStatCount c = { g_strdup ("text"), NULL, g_strstrip (g_strdup (key)), 0 };

              g_array_append_val (all, c);
              slot = GUINT_TO_POINTER (all->len);
              g_hash_table_insert (merged, g_steal_pointer (&norm), slot);
            }
          g_array_index (all, CrStatCount, GPOINTER_TO_UINT (slot) - 1).count += *(gint64 *) value;
        }
      g_array_sort (all, compare_counts);
      for (guint i = 0; i < all->len && i < top; i++)
        {
          CrStatCount *c = &g_array_index (all, CrStatCount, i);
          CrStatCount copy = { g_steal_pointer (&c->system), NULL, g_steal_pointer (&c->label), c->count };

          g_array_append_val (self->complaints, copy);
        }
    }
  }
  g_debug ("statistics: visits pass %.0f ms", (g_get_monotonic_time () - t0) / 1000.0);
  if (progress)
    progress (0.4, progress_data);
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    goto out_failed;
  YIELD_STORE ();

  /* 2. Diagnoses of those visits, by ICD-10-CM category or concept; which
   * group each diagnosis is in, for its outcomes. Index-only with
   * visit_diagnoses (entered_in_error, system, code, visit_id). */
  stmt = _cr_store_prepare (store, "SELECT max (id) FROM visit_diagnoses", error);
  if (stmt == NULL)
    goto out_failed;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    max_diagnosis = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  diagnosis_group = g_new0 (guint32, max_diagnosis + 1);

  stmt = _cr_store_prepare (store,
                            "SELECT id, visit_id, system, code FROM visit_diagnoses "
                            "WHERE entered_in_error = 0 AND code IS NOT NULL AND system <> 'text'",
                            error);
  if (stmt == NULL)
    goto out_failed;
  {
    g_autoptr(GHashTable) index = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
    char last_key[96] = "";
    char last_code[16] = "";
    gboolean last_icd = FALSE;
    guint last_group = 0;
    gint64 rows = 0;

    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      {
        gint64 id = sqlite3_column_int64 (stmt, 0);
        gint64 visit = sqlite3_column_int64 (stmt, 1);
        const char *system = (const char *) sqlite3_column_text (stmt, 2);
        const char *code = (const char *) sqlite3_column_text (stmt, 3);
        gboolean icd = g_strcmp0 (system, "icd10cm") == 0;
        char key[96];

        if (visit < 0 || visit > max_visit || !(in_period[visit >> 3] & (1 << (visit & 7))))
          continue;
        /* Rows come sorted by system and code: most match the last group. */
        if (last_group != 0 && icd && last_icd && strncmp (code, last_code, 3) == 0)
          {
            g_array_index (groups, CrStatCount, last_group - 1).count++;
            if (id > 0 && id <= max_diagnosis)
              diagnosis_group[id] = last_group;
            continue;
          }
        g_snprintf (key, sizeof key, "%s\t%.*s", system, icd ? 3 : 80, code);
        last_icd = icd;
        g_strlcpy (last_code, code, sizeof last_code);
        if (strcmp (key, last_key) != 0)
          {
            last_group = GPOINTER_TO_UINT (g_hash_table_lookup (index, key));
            if (last_group == 0)
              {
                CrStatCount c = { g_strdup (system), g_strndup (code, icd ? 3 : 80), NULL, 0 };

                g_array_append_val (groups, c);
                last_group = groups->len;
                g_hash_table_insert (index, g_strdup (key), GUINT_TO_POINTER (last_group));
              }
            g_strlcpy (last_key, key, sizeof last_key);
          }
        g_array_index (groups, CrStatCount, last_group - 1).count++;
        if (id > 0 && id <= max_diagnosis && icd)
          diagnosis_group[id] = last_group;
        if (progress && (++rows % 400000) == 0)
          progress (0.4 + MIN (0.3, 0.3 * rows / MAX (max_diagnosis, 1)), progress_data);
      }
    if (step_failed (store, stmt, rc, cancellable, error))
      goto out_failed;
  }
  {
    g_autoptr(GArray) sorted = new_array (sizeof (CrStatCount), NULL);

    g_array_append_vals (sorted, groups->data, groups->len);
    g_array_sort (sorted, compare_counts);
    for (guint i = 0; i < sorted->len && i < top; i++)
      {
        CrStatCount *c = &g_array_index (sorted, CrStatCount, i);
        CrStatCount copy = { g_strdup (c->system), g_strdup (c->code), NULL, c->count };

        g_array_append_val (self->diagnoses, copy);
      }
  }
  for (guint i = 0; i < self->diagnoses->len; i++)
    {
      CrStatCount *c = &g_array_index (self->diagnoses, CrStatCount, i);

      c->label = diagnosis_display (store, c->system, c->code);
      if (c->label == NULL)
        c->label = g_strdup (c->code);
    }
  g_debug ("statistics: diagnoses pass %.0f ms", (g_get_monotonic_time () - t0) / 1000.0);
  if (progress)
    progress (0.7, progress_data);
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    goto out_failed;
  YIELD_STORE ();

  /* 3. Outcomes of those diagnoses, by category. Index-only with
   * outcomes (entered_in_error, diagnosis_id, result). */
  stmt = _cr_store_prepare (store,
                            "SELECT diagnosis_id, result FROM outcomes "
                            "WHERE entered_in_error = 0 AND diagnosis_id IS NOT NULL", error);
  if (stmt == NULL)
    goto out_failed;
  {
    g_autofree gint64 *tally = g_new0 (gint64, (groups->len + 1) * 4);

    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      {
        gint64 d = sqlite3_column_int64 (stmt, 0);
        const char *result = (const char *) sqlite3_column_text (stmt, 1);
        guint g;

        if (d <= 0 || d > max_diagnosis || (g = diagnosis_group[d]) == 0 || result == NULL)
          continue;
        tally[g * 4 + 3]++;
        if (result[0] == 'r' || result[0] == 'i')
          tally[g * 4 + 0]++;
        else if (result[0] == 'u')
          tally[g * 4 + 1]++;
        else
          tally[g * 4 + 2]++;
      }
    if (step_failed (store, stmt, rc, cancellable, error))
      goto out_failed;
    for (guint g = 1; g <= groups->len; g++)
      if (tally[g * 4 + 3] > 0)
        {
          CrStatCount *c = &g_array_index (groups, CrStatCount, g - 1);
          CrStatOutcome o = { g_strdup (c->code), NULL, tally[g * 4 + 3], tally[g * 4 + 0],
                              tally[g * 4 + 1], tally[g * 4 + 2] };

          g_array_append_val (self->outcomes, o);
        }
    g_array_sort (self->outcomes, compare_outcomes);
    if (self->outcomes->len > top)
      g_array_set_size (self->outcomes, top);
  }
  for (guint i = 0; i < self->outcomes->len; i++)
    {
      CrStatOutcome *o = &g_array_index (self->outcomes, CrStatOutcome, i);

      o->label = diagnosis_display (store, "icd10cm", o->code);
      if (o->label == NULL)
        o->label = g_strdup (o->code);
    }
  g_debug ("statistics: outcomes pass %.0f ms", (g_get_monotonic_time () - t0) / 1000.0);
  if (progress)
    progress (0.8, progress_data);
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    goto out_failed;
  YIELD_STORE ();

  /* 5. The recall list: active problems in the category. */
  if (self->registry != NULL)
    {
      g_autofree char *next = g_strdup_printf ("%s\xef\xbf\xbf", self->registry);
      g_autofree char *today_iso = cr_date_to_iso (&today);
      g_autofree char *year_ago = NULL;
      GDate ago = today;

      g_date_subtract_years (&ago, 1);
      year_ago = cr_date_to_iso (&ago);

      stmt = _cr_store_prepare (store,
                                "SELECT p.id, p.record_number, p.family_name, p.given_names, p.birth_date, "
                                "  (SELECT max (started_at) FROM visits v WHERE v.patient_id = p.id "
                                "     AND v.entered_in_error = 0 AND v.started_at < ?4), "
                                "  (SELECT min (due_date) FROM follow_ups f WHERE f.patient_id = p.id "
                                "     AND f.done = 0 AND f.entered_in_error = 0) "
                                "FROM patients p WHERE p.deceased = 0 AND p.inactive = 0 AND p.id IN "
                                "  (SELECT patient_id FROM problems WHERE system = 'icd10cm' "
                                "   AND code >= ?1 AND code < ?2 AND status = 'active' "
                                "   AND entered_in_error = 0)", error);
      if (stmt == NULL)
        goto out_failed;
      _cr_bind_text (stmt, 1, self->registry);
      _cr_bind_text (stmt, 2, next);
      _cr_bind_text (stmt, 4, upper);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          CrStatRecall r = { 0 };
          const char *given = _cr_column_text (stmt, 3);
          const char *last = _cr_column_text (stmt, 5);

          r.patient_id = sqlite3_column_int64 (stmt, 0);
          r.record_number = g_strdup (_cr_column_text (stmt, 1));
          r.name = given && *given ? g_strdup_printf ("%s, %s", _cr_column_text (stmt, 2), given)
                                   : g_strdup (_cr_column_text (stmt, 2));
          r.birth_date = g_strdup (_cr_column_text (stmt, 4));
          r.last_visit = last ? g_strndup (last, 10) : NULL;
          r.due_date = g_strdup (_cr_column_text (stmt, 6));
          r.overdue = (r.due_date != NULL && strcmp (r.due_date, today_iso) < 0) ||
                      r.last_visit == NULL || strcmp (r.last_visit, year_ago) < 0;
          g_array_append_val (self->recall, r);
        }
      if (step_failed (store, stmt, rc, cancellable, error))
        goto out_failed;
      g_array_sort (self->recall, compare_recall);
    }

  g_debug ("statistics: done %.0f ms", (g_get_monotonic_time () - t0) / 1000.0);
  if (progress)
    progress (1.0, progress_data);
  goto out;

out_failed:
  failed = TRUE;
out:
  if (cancellable != NULL)
    sqlite3_progress_handler (db, 0, NULL, NULL);
  if (failed)
    return NULL;
  return g_steal_pointer (&self);
}
#undef YIELD_STORE

/* ---- async ------------------------------------------------------------- */

typedef struct
{
  char           *from;
  char           *to;
  char           *registry;
  char           *today;
  guint           top;
  CrProgressFunc  progress;
  gpointer        progress_data;
  GDestroyNotify  progress_notify;
  GMainContext   *context;
} StatsData;

static void
stats_data_free (gpointer data)
{
  StatsData *d = data;

  g_free (d->from);
  g_free (d->to);
  g_free (d->registry);
  g_free (d->today);
  if (d->progress_notify)
    d->progress_notify (d->progress_data);
  g_main_context_unref (d->context);
  g_free (d);
}

typedef struct
{
  StatsData *data;
  double     fraction;
  GTask     *task;
} ProgressIdle;

static gboolean
progress_idle (gpointer user_data)
{
  ProgressIdle *p = user_data;

  GCancellable *cancellable = g_task_get_cancellable (p->task);

  /* Not after a cancel: the caller may be gone. */
  if (!g_cancellable_is_cancelled (cancellable) && p->data->progress != NULL)
    p->data->progress (p->fraction, p->data->progress_data);
  return G_SOURCE_REMOVE;
}

static void
progress_idle_free (gpointer user_data)
{
  ProgressIdle *p = user_data;

  g_object_unref (p->task);
  g_free (p);
}

static void
thread_progress (double   fraction,
                 gpointer user_data)
{
  GTask *task = user_data;
  ProgressIdle *p = g_new0 (ProgressIdle, 1);
  GSource *source = g_idle_source_new ();

  p->data = g_task_get_task_data (task);
  p->fraction = fraction;
  p->task = g_object_ref (task);
  g_source_set_callback (source, progress_idle, p, progress_idle_free);
  g_source_attach (source, p->data->context);
  g_source_unref (source);
}

static void
stats_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  StatsData *d = task_data;
  CrStatisticsOptions options = { d->from, d->to, d->registry, d->top, d->today };
  GError *error = NULL;
  CrStatistics *stats;

  stats = cr_store_compute_statistics (source_object, &options,
                                       d->progress ? thread_progress : NULL, task,
                                       cancellable, &error);
  if (stats == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, stats, (GDestroyNotify) cr_statistics_unref);
}

void
cr_store_compute_statistics_async (CrStore                   *store,
                                   const CrStatisticsOptions *options,
                                   CrProgressFunc             progress,
                                   gpointer                   progress_data,
                                   GDestroyNotify             progress_notify,
                                   GCancellable              *cancellable,
                                   GAsyncReadyCallback        callback,
                                   gpointer                   user_data)
{
  g_autoptr(GTask) task = NULL;
  StatsData *d = g_new0 (StatsData, 1);

  if (options != NULL)
    {
      d->from = g_strdup (options->from);
      d->to = g_strdup (options->to);
      d->registry = g_strdup (options->registry_category);
      d->today = g_strdup (options->today);
      d->top = options->top;
    }
  d->progress = progress;
  d->progress_data = progress_data;
  d->progress_notify = progress_notify;
  d->context = g_main_context_ref_thread_default ();

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, cr_store_compute_statistics_async);
  g_task_set_task_data (task, d, stats_data_free);
  g_task_run_in_thread (task, stats_thread);
}

CrStatistics *
cr_store_compute_statistics_finish (CrStore       *store,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- export ------------------------------------------------------------ */

static void
add_record (GString             *out,
            CrTableFormat        format,
            const char * const  *fields,
            guint                n)
{
  for (guint i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append_c (out, format == CR_TABLE_FORMAT_CSV ? ',' : '\t');
      if (format == CR_TABLE_FORMAT_CSV)
        cr_csv_append_field (out, fields[i]);
      else
        for (const char *p = fields[i] ? fields[i] : ""; *p; p++)
          g_string_append_c (out, *p == '\t' || *p == '\n' || *p == '\r' ? ' ' : *p);
    }
  g_string_append (out, format == CR_TABLE_FORMAT_CSV ? "\r\n" : "\n");
}

char *
cr_statistics_to_table (CrStatistics  *self,
                        CrTableFormat  format)
{
  GString *out = g_string_new (NULL);

  if (format == CR_TABLE_FORMAT_CSV)
    {
      const char *header[] = { "section", "key", "label", "count", "better", "unchanged", "worse",
                               "last_visit", "due", "overdue" };
      add_record (out, format, header, G_N_ELEMENTS (header));
    }
  for (guint i = 0; i < self->months->len; i++)
    {
      CrStatMonth *m = &g_array_index (self->months, CrStatMonth, i);
      g_autofree char *n = g_strdup_printf ("%" G_GINT64_FORMAT, m->visits);
      const char *f[] = { "month", m->month, "", n, "", "", "", "", "", "" };

      add_record (out, format, f, G_N_ELEMENTS (f));
    }
  for (guint k = 0; k < 2; k++)
    {
      GArray *a = k == 0 ? self->complaints : self->diagnoses;

      for (guint i = 0; i < a->len; i++)
        {
          CrStatCount *c = &g_array_index (a, CrStatCount, i);
          g_autofree char *n = g_strdup_printf ("%" G_GINT64_FORMAT, c->count);
          g_autofree char *code = c->code ? cr_code_format (c->system, c->code) : NULL;
          const char *f[] = { k == 0 ? "complaint" : "diagnosis", code ? code : "", c->label, n,
                              "", "", "", "", "", "" };

          add_record (out, format, f, G_N_ELEMENTS (f));
        }
    }
  for (guint i = 0; i < self->outcomes->len; i++)
    {
      CrStatOutcome *o = &g_array_index (self->outcomes, CrStatOutcome, i);
      g_autofree char *t = g_strdup_printf ("%" G_GINT64_FORMAT, o->total);
      g_autofree char *b = g_strdup_printf ("%" G_GINT64_FORMAT, o->better);
      g_autofree char *u = g_strdup_printf ("%" G_GINT64_FORMAT, o->unchanged);
      g_autofree char *w = g_strdup_printf ("%" G_GINT64_FORMAT, o->worse);
      const char *f[] = { "outcome", o->code, o->label, t, b, u, w, "", "", "" };

      add_record (out, format, f, G_N_ELEMENTS (f));
    }
  for (guint i = 0; i < self->recall->len; i++)
    {
      CrStatRecall *r = &g_array_index (self->recall, CrStatRecall, i);
      const char *f[] = { "recall", r->record_number, r->name, "", "", "", "",
                          r->last_visit ? r->last_visit : "", r->due_date ? r->due_date : "",
                          r->overdue ? "yes" : "no" };

      add_record (out, format, f, G_N_ELEMENTS (f));
    }
  return g_string_free (out, FALSE);
}

static char *
percent (gint64 part,
         gint64 total)
{
  if (total <= 0)
    return g_strdup ("—");
  return g_strdup_printf ("%.0f %%", 100.0 * part / total);
}

CrReportDoc *
cr_statistics_build_doc (CrStatistics *self,
                         const char   *practice)
{
  g_autofree char *period = NULL;
  g_autofree char *total = NULL;
  CrReportDoc *doc;

  period = self->from ? g_strdup_printf (_("Visits from %s to %s"), self->from, self->to)
                      : g_strdup_printf (_("All visits up to %s"), self->to);
  doc = cr_report_doc_new (practice, _("Practice Statistics"), period);
  {
    g_autofree char *n = g_strdup_printf ("%" G_GINT64_FORMAT, self->total_visits);

    /* Translators: %s is a number of visits */
    total = g_strdup_printf (_("%s visits in the period."), n);
  }
  cr_report_doc_add_text (doc, total);

  cr_report_doc_add_heading (doc, _("Visits per month"));
  {
    const char *h[] = { _("Month"), _("Visits") };
    const double w[] = { 0.3, 0.2 };

    cr_report_doc_begin_table (doc, 2, h, w);
    for (guint i = 0; i < self->months->len; i++)
      {
        CrStatMonth *m = &g_array_index (self->months, CrStatMonth, i);
        g_autofree char *n = g_strdup_printf ("%" G_GINT64_FORMAT, m->visits);
        const char *cells[] = { m->month, n };

        cr_report_doc_add_row (doc, cells);
      }
  }

  for (guint k = 0; k < 2; k++)
    {
      GArray *a = k == 0 ? self->complaints : self->diagnoses;
      const char *h[] = { k == 0 ? _("Chief complaint") : _("Diagnosis"), _("Code"), _("Visits") };
      const double w[] = { 0.6, 0.15, 0.15 };

      cr_report_doc_add_heading (doc, k == 0 ? _("Top complaints") : _("Top diagnoses"));
      cr_report_doc_begin_table (doc, 3, h, w);
      for (guint i = 0; i < a->len; i++)
        {
          CrStatCount *c = &g_array_index (a, CrStatCount, i);
          g_autofree char *n = g_strdup_printf ("%" G_GINT64_FORMAT, c->count);
          g_autofree char *code = c->code ? cr_code_format (c->system, c->code) : g_strdup ("");
          const char *cells[] = { c->label, code, n };

          cr_report_doc_add_row (doc, cells);
        }
    }

  cr_report_doc_add_heading (doc, _("Outcomes by diagnosis"));
  {
    const char *h[] = { _("Diagnosis"), _("Outcomes"), _("Resolved or improved"), _("Unchanged"),
                        _("Worsened or adverse") };
    const double w[] = { 0.36, 0.12, 0.18, 0.14, 0.2 };

    cr_report_doc_begin_table (doc, 5, h, w);
    for (guint i = 0; i < self->outcomes->len; i++)
      {
        CrStatOutcome *o = &g_array_index (self->outcomes, CrStatOutcome, i);
        g_autofree char *label = g_strdup_printf ("%s %s", o->code, o->label);
        g_autofree char *t = g_strdup_printf ("%" G_GINT64_FORMAT, o->total);
        g_autofree char *b = percent (o->better, o->total);
        g_autofree char *u = percent (o->unchanged, o->total);
        g_autofree char *wo = percent (o->worse, o->total);
        const char *cells[] = { label, t, b, u, wo };

        cr_report_doc_add_row (doc, cells);
      }
  }

  if (self->registry != NULL)
    {
      g_autofree char *title = g_strdup_printf (_("Recall list: %s"), self->registry);
      const char *h[] = { _("Patient"), _("Record"), _("Born"), _("Last visit"), _("Follow-up due"),
                          _("Overdue") };
      const double w[] = { 0.28, 0.12, 0.14, 0.16, 0.16, 0.14 };

      cr_report_doc_add_heading (doc, title);
      cr_report_doc_begin_table (doc, 6, h, w);
      for (guint i = 0; i < self->recall->len; i++)
        {
          CrStatRecall *r = &g_array_index (self->recall, CrStatRecall, i);
          const char *cells[] = { r->name, r->record_number, r->birth_date ? r->birth_date : "",
                                  r->last_visit ? r->last_visit : _("Never"),
                                  r->due_date ? r->due_date : "", r->overdue ? _("Overdue") : "" };

          cr_report_doc_add_row (doc, cells);
        }
    }
  return doc;
}

gboolean
cr_statistics_write_pdf (CrStatistics  *self,
                         const char    *practice,
                         const char    *path,
                         GError       **error)
{
  g_autoptr(CrReportDoc) doc = cr_statistics_build_doc (self, practice);

  return cr_report_doc_write_pdf (doc, path, error);
}
