/* cr-complaints.c: a patient's recurring complaints
 *
 * Four indexed queries read the patient's visits, diagnoses, prescriptions
 * and outcomes; the grouping happens here in hash tables, so a 500-visit
 * chart takes a few milliseconds. See cr-complaints.h for the rules.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cr-complaints"

#include "config.h"

#include <string.h>

#include "cr-complaints.h"
#include "cr-chart.h"
#include "cr-codes.h"
#include "cr-date.h"
#include "cr-store-private.h"

G_DEFINE_QUARK (cr-complaints-error-quark, cr_complaints_error)

struct _CrComplaintReport
{
  gatomicrefcount    ref_count;
  gint64             patient_id;
  CrComplaintPeriod  period;
  char              *today;
  char              *since;
  GPtrArray         *complaints; /* CrComplaint */
  guint              n_recurring;
  guint              n_visits;
  guint              n_future;
  guint              n_undated;
  guint              n_in_error;
};

G_DEFINE_BOXED_TYPE (CrComplaintReport, cr_complaint_report,
                     cr_complaint_report_ref, cr_complaint_report_unref)

static void
episode_clear (gpointer data)
{
  CrComplaintEpisode *e = data;

  g_free (e->date);
  g_free (e->wording);
  g_free (e->prescribed);
  g_free (e->outcomes);
}

static void
complaint_free (gpointer data)
{
  CrComplaint *c = data;

  g_free (c->key);
  g_free (c->system);
  g_free (c->code);
  g_free (c->label);
  g_clear_pointer (&c->episodes, g_array_unref);
  g_clear_pointer (&c->intervals, g_array_unref);
  g_free (c);
}

static CrComplaint *
complaint_new (void)
{
  CrComplaint *c = g_new0 (CrComplaint, 1);

  c->episodes = g_array_new (FALSE, TRUE, sizeof (CrComplaintEpisode));
  g_array_set_clear_func (c->episodes, episode_clear);
  c->intervals = g_array_new (FALSE, TRUE, sizeof (int));
  return c;
}

CrComplaintReport *
cr_complaint_report_ref (CrComplaintReport *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
cr_complaint_report_unref (CrComplaintReport *self)
{
  g_return_if_fail (self != NULL);
  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  g_free (self->today);
  g_free (self->since);
  g_ptr_array_unref (self->complaints);
  g_free (self);
}

gint64
cr_complaint_report_get_patient_id (CrComplaintReport *self)
{
  return self->patient_id;
}

CrComplaintPeriod
cr_complaint_report_get_period (CrComplaintReport *self)
{
  return self->period;
}

const char *
cr_complaint_report_get_today (CrComplaintReport *self)
{
  return self->today;
}

const char *
cr_complaint_report_get_since (CrComplaintReport *self)
{
  return self->since;
}

guint
cr_complaint_report_get_n_complaints (CrComplaintReport *self)
{
  return self->complaints->len;
}

const CrComplaint *
cr_complaint_report_get_complaint (CrComplaintReport *self,
                                   guint              index)
{
  g_return_val_if_fail (index < self->complaints->len, NULL);
  return g_ptr_array_index (self->complaints, index);
}

guint
cr_complaint_report_get_n_recurring (CrComplaintReport *self)
{
  return self->n_recurring;
}

guint
cr_complaint_report_get_n_visits (CrComplaintReport *self)
{
  return self->n_visits;
}

guint
cr_complaint_report_get_n_future (CrComplaintReport *self)
{
  return self->n_future;
}

guint
cr_complaint_report_get_n_undated (CrComplaintReport *self)
{
  return self->n_undated;
}

guint
cr_complaint_report_get_n_in_error (CrComplaintReport *self)
{
  return self->n_in_error;
}

char *
cr_complaint_report_dup_left_out_text (CrComplaintReport *self)
{
  g_autoptr(GString) text = g_string_new (NULL);

  if (self->n_future > 0)
    g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE,
                                               "%u visit with a future date was left out.",
                                               "%u visits with future dates were left out.",
                                               self->n_future), self->n_future);
  if (self->n_undated > 0)
    {
      if (text->len > 0)
        g_string_append_c (text, ' ');
      g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE,
                                                 "%u visit without a date was left out.",
                                                 "%u visits without a date were left out.",
                                                 self->n_undated), self->n_undated);
    }
  if (self->n_in_error > 0)
    {
      if (text->len > 0)
        g_string_append_c (text, ' ');
      g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE,
                                                 "%u visit entered in error was left out.",
                                                 "%u visits entered in error were left out.",
                                                 self->n_in_error), self->n_in_error);
    }
  return text->len > 0 ? g_string_free (g_steal_pointer (&text), FALSE) : NULL;
}

const CrComplaint *
cr_complaint_report_find (CrComplaintReport *self,
                          const char        *key)
{
  for (guint i = 0; i < self->complaints->len; i++)
    {
      const CrComplaint *c = g_ptr_array_index (self->complaints, i);

      if (g_strcmp0 (c->key, key) == 0)
        return c;
    }
  return NULL;
}

guint
cr_complaint_get_n_episodes (const CrComplaint *complaint)
{
  return complaint->episodes->len;
}

const CrComplaintEpisode *
cr_complaint_get_episode (const CrComplaint *complaint,
                          guint              index)
{
  g_return_val_if_fail (index < complaint->episodes->len, NULL);
  return &g_array_index (complaint->episodes, CrComplaintEpisode, index);
}

const char *
cr_complaint_get_first_date (const CrComplaint *complaint)
{
  return g_array_index (complaint->episodes, CrComplaintEpisode, 0).date;
}

const char *
cr_complaint_get_last_date (const CrComplaint *complaint)
{
  return g_array_index (complaint->episodes, CrComplaintEpisode,
                        complaint->episodes->len - 1).date;
}

gboolean
cr_complaint_is_recurring (const CrComplaint *complaint)
{
  return complaint->episodes->len >= 2;
}

char *
cr_complaint_dup_title (const CrComplaint *complaint)
{
  g_autofree char *code = NULL;

  if (complaint->code == NULL)
    return g_strdup (complaint->label);
  code = cr_code_format (complaint->system, complaint->code);
  if (g_strcmp0 (complaint->system, CR_SYSTEM_ICD10CM) == 0)
    return g_strdup_printf ("%s %s", code, complaint->label);
  return g_strdup_printf ("%s %s %s", complaint->system, code, complaint->label);
}

const char *
cr_complaint_trend_to_string (CrComplaintTrend trend)
{
  switch (trend)
    {
    case CR_COMPLAINT_TREND_STEADY:
      return "steady";
    case CR_COMPLAINT_TREND_MORE_FREQUENT:
      return "more frequent";
    case CR_COMPLAINT_TREND_LESS_FREQUENT:
      return "less frequent";
    case CR_COMPLAINT_TREND_TOO_FEW:
    default:
      return "too few to tell";
    }
}

const char *
cr_complaint_period_to_string (CrComplaintPeriod period)
{
  switch (period)
    {
    case CR_COMPLAINT_PERIOD_1Y:
      return "1y";
    case CR_COMPLAINT_PERIOD_3Y:
      return "3y";
    case CR_COMPLAINT_PERIOD_ALL:
    default:
      return "all";
    }
}

gboolean
cr_complaint_period_from_string (const char        *text,
                                 CrComplaintPeriod *period)
{
  if (g_strcmp0 (text, "1y") == 0)
    *period = CR_COMPLAINT_PERIOD_1Y;
  else if (g_strcmp0 (text, "3y") == 0)
    *period = CR_COMPLAINT_PERIOD_3Y;
  else if (g_strcmp0 (text, "all") == 0)
    *period = CR_COMPLAINT_PERIOD_ALL;
  else
    return FALSE;
  return TRUE;
}

char *
cr_complaint_normalize_text (const char *text)
{
  g_autofree char *folded = NULL;
  g_autofree char *decomposed = NULL;
  GString *out;
  gboolean space = FALSE;

  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    return g_strdup ("");

  folded = g_utf8_casefold (text, -1);
  decomposed = g_utf8_normalize (folded, -1, G_NORMALIZE_NFKD);
  out = g_string_new (NULL);

  for (const char *p = decomposed; p != NULL && *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar ch = g_utf8_get_char (p);
      GUnicodeType type = g_unichar_type (ch);

      /* Diacritics (Latin accents, Greek tonos, Arabic harakat) go. */
      if (type == G_UNICODE_NON_SPACING_MARK || type == G_UNICODE_ENCLOSING_MARK)
        continue;
      /* Punctuation and symbols separate words but carry no meaning here:
       * "headache!", "head-ache" and "headache." are one complaint. */
      if (g_unichar_isspace (ch) || g_unichar_ispunct (ch) || type == G_UNICODE_CONTROL)
        {
          space = out->len > 0;
          continue;
        }
      if (space)
        g_string_append_c (out, ' ');
      space = FALSE;
      g_string_append_unichar (out, ch);
    }

  /* Composed again, so that the text reads as it was written. */
  {
    char *composed = g_utf8_normalize (out->str, -1, G_NORMALIZE_NFC);

    g_string_free (out, TRUE);
    return composed;
  }
}

static const struct
{
  const char *first;
  const char *last;
  const char *number;
  const char *title;
} chapters[] = {
  { "A00", "B99", "I", "Certain infectious and parasitic diseases" },
  { "C00", "D49", "II", "Neoplasms" },
  { "D50", "D89", "III", "Diseases of the blood and blood-forming organs and certain disorders involving the immune mechanism" },
  { "E00", "E89", "IV", "Endocrine, nutritional and metabolic diseases" },
  { "F01", "F99", "V", "Mental, behavioral and neurodevelopmental disorders" },
  { "G00", "G99", "VI", "Diseases of the nervous system" },
  { "H00", "H59", "VII", "Diseases of the eye and adnexa" },
  { "H60", "H95", "VIII", "Diseases of the ear and mastoid process" },
  { "I00", "I99", "IX", "Diseases of the circulatory system" },
  { "J00", "J99", "X", "Diseases of the respiratory system" },
  { "K00", "K95", "XI", "Diseases of the digestive system" },
  { "L00", "L99", "XII", "Diseases of the skin and subcutaneous tissue" },
  { "M00", "M99", "XIII", "Diseases of the musculoskeletal system and connective tissue" },
  { "N00", "N99", "XIV", "Diseases of the genitourinary system" },
  { "O00", "O9A", "XV", "Pregnancy, childbirth and the puerperium" },
  { "P00", "P96", "XVI", "Certain conditions originating in the perinatal period" },
  { "Q00", "Q99", "XVII", "Congenital malformations, deformations and chromosomal abnormalities" },
  { "R00", "R99", "XVIII", "Symptoms, signs and abnormal clinical and laboratory findings, not elsewhere classified" },
  { "S00", "T88", "XIX", "Injury, poisoning and certain other consequences of external causes" },
  { "U00", "U85", "XXII", "Codes for special purposes" },
  { "V00", "Y99", "XX", "External causes of morbidity" },
  { "Z00", "Z99", "XXI", "Factors influencing health status and contact with health services" },
};

gboolean
cr_icd10cm_chapter (const char  *code,
                    const char **number,
                    const char **title)
{
  char category[4] = { 0 };

  if (code == NULL || strlen (code) < 3)
    return FALSE;
  for (guint i = 0; i < 3; i++)
    category[i] = g_ascii_toupper (code[i]);

  for (guint i = 0; i < G_N_ELEMENTS (chapters); i++)
    if (strcmp (category, chapters[i].first) >= 0 && strcmp (category, chapters[i].last) <= 0)
      {
        if (number != NULL)
          *number = chapters[i].number;
        if (title != NULL)
          *title = chapters[i].title;
        return TRUE;
      }
  return FALSE;
}

/* ---- analysis ---------------------------------------------------------- */

typedef struct
{
  gint64    id;
  guint32   julian;        /* 0: left out */
  char     *date;
  char     *chief;         /* chief complaint, or NULL */
  gboolean  has_coded;     /* a diagnosis in a real code system */
  GString  *prescribed;    /* drugs, "; "-separated */
  GArray   *rx_ids;        /* gint64 */
  GPtrArray *groups;       /* Group noted at this visit (not owned) */
} Visit;

static void
visit_clear (gpointer data)
{
  Visit *v = data;

  g_free (v->date);
  g_free (v->chief);
  if (v->prescribed != NULL)
    g_string_free (v->prescribed, TRUE);
  g_clear_pointer (&v->rx_ids, g_array_unref);
  g_clear_pointer (&v->groups, g_ptr_array_unref);
}

typedef struct
{
  int   result;
  char *note;
} Outcome;

static void
outcome_list_free (gpointer data)
{
  GArray *a = data;

  for (guint i = 0; i < a->len; i++)
    g_free (g_array_index (a, Outcome, i).note);
  g_array_unref (a);
}

static gboolean
is_icd10cm (const char *system)
{
  return g_strcmp0 (system, CR_SYSTEM_ICD10CM) == 0 ||
         g_strcmp0 (system, "http://hl7.org/fhir/sid/icd-10-cm") == 0;
}

static gboolean
is_text (const char *system,
         const char *code)
{
  return system == NULL || g_strcmp0 (system, "text") == 0 || code == NULL || *code == '\0';
}

static const char *
short_system (const char *system)
{
  if (g_strcmp0 (system, "http://snomed.info/sct") == 0)
    return "snomed";
  if (g_strcmp0 (system, "http://www.nlm.nih.gov/research/umls/rxnorm") == 0)
    return "rxnorm";
  if (g_strcmp0 (system, "http://loinc.org") == 0)
    return "loinc";
  return system;
}

/* The group a coded value falls in; @code_out is the category or concept. */
static char *
group_key (const char  *system,
           const char  *code,
           const char  *display,
           char       **system_out,
           char       **code_out)
{
  if (!is_text (system, code) && is_icd10cm (system))
    {
      g_autofree char *normal = cr_icd10cm_normalize_code (code);
      const char *c = normal != NULL ? normal : code;
      g_autofree char *category = g_ascii_strup (c, MIN (strlen (c), 3));

      *system_out = g_strdup (CR_SYSTEM_ICD10CM);
      *code_out = g_strdup (category);
      return g_strconcat (CR_SYSTEM_ICD10CM ":", category, NULL);
    }
  if (!is_text (system, code))
    {
      *system_out = g_strdup (short_system (system));
      *code_out = g_strdup (code);
      return g_strconcat (*system_out, ":", code, NULL);
    }
  else
    {
      g_autofree char *normal = cr_complaint_normalize_text (display);

      if (*normal == '\0')
        return NULL;
      *system_out = g_strdup ("text");
      *code_out = NULL;
      return g_strconcat ("text:", normal, NULL);
    }
}

typedef struct
{
  CrComplaint *complaint;
  GHashTable  *by_day;      /* julian → episode index + 1 */
  GHashTable  *labels;      /* display → count, for the best label */
} Group;

static void
group_free (gpointer data)
{
  Group *g = data;

  if (g->complaint != NULL)
    complaint_free (g->complaint);
  g_hash_table_unref (g->by_day);
  g_hash_table_unref (g->labels);
  g_free (g);
}

static void
append_joined (char       **field,
               const char  *text)
{
  char *old = *field;

  if (text == NULL || *text == '\0')
    return;
  if (old != NULL && strstr (old, text) != NULL)
    return;
  *field = old == NULL ? g_strdup (text) : g_strconcat (old, "; ", text, NULL);
  g_free (old);
}

static void
add_outcomes (CrComplaintEpisode *e,
              GArray             *list)
{
  for (guint i = 0; list != NULL && i < list->len; i++)
    {
      Outcome *o = &g_array_index (list, Outcome, i);
      const char *name = cr_outcome_result_to_string (o->result);
      g_autofree char *text = o->note != NULL ? g_strdup_printf ("%s: %s", name, o->note)
                                              : g_strdup (name);

      append_joined (&e->outcomes, text);
      e->outcome = o->result;
    }
}

/* One group seen at one visit. @diagnosis_ids: that group's diagnoses
 * there (may be empty, for a chief complaint). */
static void
note_episode (GHashTable  *groups,
              GHashTable  *diag_outcomes,
              GHashTable  *rx_outcomes,
              Visit       *visit,
              const char  *system,
              const char  *code,
              const char  *display,
              gint64       diagnosis_id)
{
  g_autofree char *sys = NULL;
  g_autofree char *cat = NULL;
  g_autofree char *key = group_key (system, code, display, &sys, &cat);
  Group *g;
  gpointer slot;
  CrComplaintEpisode *e;
  GArray *list;

  if (key == NULL)
    return;

  g = g_hash_table_lookup (groups, key);
  if (g == NULL)
    {
      g = g_new0 (Group, 1);
      g->complaint = complaint_new ();
      g->complaint->key = g_strdup (key);
      g->complaint->system = g_steal_pointer (&sys);
      g->complaint->code = g_steal_pointer (&cat);
      g->by_day = g_hash_table_new (NULL, NULL);
      g->labels = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      g_hash_table_insert (groups, g->complaint->key, g);
    }

  if (display != NULL)
    {
      g_autofree char *trimmed = g_strstrip (g_strdup (display));
      guint n = GPOINTER_TO_UINT (g_hash_table_lookup (g->labels, trimmed));

      g_hash_table_replace (g->labels, g_steal_pointer (&trimmed), GUINT_TO_POINTER (n + 1));
    }

  slot = g_hash_table_lookup (g->by_day, GUINT_TO_POINTER (visit->julian));
  if (slot == NULL)
    {
      CrComplaintEpisode empty = { 0 };

      empty.visit_id = visit->id;
      empty.date = g_strdup (visit->date);
      empty.julian = visit->julian;
      empty.outcome = CR_COMPLAINT_NO_OUTCOME;
      g_array_append_val (g->complaint->episodes, empty);
      g_hash_table_insert (g->by_day, GUINT_TO_POINTER (visit->julian),
                           GUINT_TO_POINTER (g->complaint->episodes->len));
      e = &g_array_index (g->complaint->episodes, CrComplaintEpisode,
                          g->complaint->episodes->len - 1);
    }
  else
    e = &g_array_index (g->complaint->episodes, CrComplaintEpisode, GPOINTER_TO_UINT (slot) - 1);

  /* Once per visit: a second diagnosis of the same group at the same
   * visit only adds its outcomes. */
  if (visit->groups == NULL)
    visit->groups = g_ptr_array_new ();
  if (!g_ptr_array_find (visit->groups, g, NULL))
    {
      g_ptr_array_add (visit->groups, g);
      e->n_visits++;
      append_joined (&e->wording, visit->chief != NULL ? visit->chief : display);
      if (visit->prescribed != NULL)
        append_joined (&e->prescribed, visit->prescribed->str);
      /* Prescriptions' outcomes speak for the episode when no outcome
       * names the diagnosis itself (added first, so a diagnosis outcome
       * recorded later wins as the mark). */
      for (guint i = 0; visit->rx_ids != NULL && i < visit->rx_ids->len; i++)
        {
          gint64 rx = g_array_index (visit->rx_ids, gint64, i);

          add_outcomes (e, g_hash_table_lookup (rx_outcomes, &rx));
        }
    }

  if (diagnosis_id > 0)
    {
      list = g_hash_table_lookup (diag_outcomes, &diagnosis_id);
      add_outcomes (e, list);
    }
}

static gboolean
parse_day (const char *text,
           GDate      *date)
{
  g_date_clear (date, 1);
  return text != NULL && cr_date_from_iso (text, date);
}

static gint
compare_episodes (gconstpointer a,
                  gconstpointer b)
{
  const CrComplaintEpisode *x = a, *y = b;

  if (x->julian != y->julian)
    return x->julian < y->julian ? -1 : 1;
  return x->visit_id < y->visit_id ? -1 : x->visit_id > y->visit_id;
}

static gint
compare_complaints (gconstpointer a,
                    gconstpointer b)
{
  const CrComplaint *x = *(CrComplaint * const *) a;
  const CrComplaint *y = *(CrComplaint * const *) b;
  guint32 lx, ly;

  if (x->episodes->len != y->episodes->len)
    return x->episodes->len > y->episodes->len ? -1 : 1;
  lx = g_array_index (x->episodes, CrComplaintEpisode, x->episodes->len - 1).julian;
  ly = g_array_index (y->episodes, CrComplaintEpisode, y->episodes->len - 1).julian;
  if (lx != ly)
    return lx > ly ? -1 : 1;
  return g_strcmp0 (x->key, y->key);
}

/* Are the later intervals shorter than the earlier ones? The mean of the
 * later half against the mean of the earlier half (the middle interval of
 * an odd count is left out), with a 25 % dead band so that ordinary
 * scatter reads as steady. */
static CrComplaintTrend
compute_trend (GArray *intervals)
{
  guint n = intervals->len;
  guint half = n / 2;
  double early = 0, late = 0;

  if (n < 2)
    return CR_COMPLAINT_TREND_TOO_FEW;

  for (guint i = 0; i < half; i++)
    {
      early += g_array_index (intervals, int, i);
      late += g_array_index (intervals, int, n - half + i);
    }
  early /= half;
  late /= half;

  if (late < early * 0.75)
    return CR_COMPLAINT_TREND_MORE_FREQUENT;
  if (late > early * 1.25)
    return CR_COMPLAINT_TREND_LESS_FREQUENT;
  return CR_COMPLAINT_TREND_STEADY;
}

static char *
lookup_category_name (CrStore    *store,
                      const char *category)
{
  sqlite3_stmt *stmt;

  stmt = _cr_store_prepare (store,
                            "SELECT short_display FROM codes WHERE system = 'icd10cm' AND code = ?",
                            NULL);
  if (stmt == NULL)
    return NULL;
  _cr_bind_text (stmt, 1, category);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      char *name = g_strdup (_cr_column_text (stmt, 0));

      sqlite3_reset (stmt);
      return name;
    }
  sqlite3_reset (stmt);
  return NULL;
}

static const char *
best_label (GHashTable *labels)
{
  GHashTableIter iter;
  gpointer key, value;
  const char *best = NULL;
  guint best_n = 0;

  g_hash_table_iter_init (&iter, labels);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (GPOINTER_TO_UINT (value) > best_n ||
        (GPOINTER_TO_UINT (value) == best_n && g_strcmp0 (key, best) < 0))
      {
        best = key;
        best_n = GPOINTER_TO_UINT (value);
      }
  return best;
}

CrComplaintReport *
cr_store_analyze_complaints (CrStore                   *store,
                             gint64                     patient_id,
                             const CrComplaintOptions  *options,
                             GCancellable              *cancellable,
                             GError                   **error)
{
  g_autoptr(CrStoreLocker) locker = NULL;
  g_autoptr(GArray) visits = NULL;
  g_autoptr(GHashTable) visit_index = NULL;   /* id → index + 1 */
  g_autoptr(GHashTable) diag_outcomes = NULL; /* diagnosis id → GArray Outcome */
  g_autoptr(GHashTable) rx_outcomes = NULL;
  g_autoptr(GHashTable) groups = NULL;
  g_autoptr(GHashTable) chronic = NULL;
  g_autoptr(GPtrArray) diagnoses = NULL;      /* rows kept for a second pass */
  CrComplaintReport *report;
  GDate today, since;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (store != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (options != NULL && options->today != NULL)
    {
      if (!parse_day (options->today, &today))
        {
          g_set_error (error, CR_COMPLAINTS_ERROR, CR_COMPLAINTS_ERROR_INVALID,
                       "“%s” is not a date (YYYY-MM-DD)", options->today);
          return NULL;
        }
    }
  else
    cr_date_set_today (&today);

  report = g_new0 (CrComplaintReport, 1);
  g_atomic_ref_count_init (&report->ref_count);
  report->patient_id = patient_id;
  report->period = options != NULL ? options->period : CR_COMPLAINT_PERIOD_ALL;
  report->today = cr_date_to_iso (&today);
  report->complaints = g_ptr_array_new_with_free_func (complaint_free);

  since = today;
  if (report->period == CR_COMPLAINT_PERIOD_1Y)
    g_date_subtract_years (&since, 1);
  else if (report->period == CR_COMPLAINT_PERIOD_3Y)
    g_date_subtract_years (&since, 3);
  if (report->period != CR_COMPLAINT_PERIOD_ALL)
    {
      g_date_add_days (&since, 1);
      report->since = cr_date_to_iso (&since);
    }

  visits = g_array_new (FALSE, TRUE, sizeof (Visit));
  g_array_set_clear_func (visits, visit_clear);
  visit_index = g_hash_table_new (g_int64_hash, g_int64_equal);
  diag_outcomes = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, outcome_list_free);
  rx_outcomes = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, outcome_list_free);
  groups = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, group_free);
  chronic = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  locker = _cr_store_lock (store);

  /* Visits, oldest first. */
  stmt = _cr_store_prepare (store,
                            "SELECT id, started_at, chief_complaint, entered_in_error FROM visits "
                            "WHERE patient_id = ? ORDER BY started_at, id", error);
  if (stmt == NULL)
    goto failed;
  sqlite3_bind_int64 (stmt, 1, patient_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      Visit v = { 0 };
      GDate day;

      v.id = sqlite3_column_int64 (stmt, 0);
      if (sqlite3_column_int (stmt, 3) != 0)
        {
          report->n_in_error++;
          continue;
        }
      if (!parse_day (_cr_column_text (stmt, 1), &day))
        {
          report->n_undated++;
          continue;
        }
      if (g_date_compare (&day, &today) > 0)
        {
          report->n_future++;
          continue;
        }
      if (report->since != NULL && g_date_compare (&day, &since) < 0)
        continue;

      v.julian = g_date_get_julian (&day);
      v.date = cr_date_to_iso (&day);
      v.chief = g_strdup (_cr_column_text (stmt, 2));
      if (v.chief != NULL)
        {
          g_strstrip (v.chief);
          if (*v.chief == '\0')
            g_clear_pointer (&v.chief, g_free);
        }
      g_array_append_val (visits, v);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _cr_store_set_error (store, rc, error);
      goto failed;
    }
  report->n_visits = visits->len;
  for (guint i = 0; i < visits->len; i++)
    {
      Visit *v = &g_array_index (visits, Visit, i);

      g_hash_table_insert (visit_index, &v->id, GUINT_TO_POINTER (i + 1));
    }

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    goto failed;

  /* What was prescribed at each visit. */
  stmt = _cr_store_prepare (store,
                            "SELECT id, visit_id, drug, strength, form FROM prescriptions "
                            "WHERE patient_id = ? AND visit_id IS NOT NULL AND entered_in_error = 0 "
                            "ORDER BY id", error);
  if (stmt == NULL)
    goto failed;
  sqlite3_bind_int64 (stmt, 1, patient_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 rx = sqlite3_column_int64 (stmt, 0);
      gint64 visit_id = sqlite3_column_int64 (stmt, 1);
      guint idx = GPOINTER_TO_UINT (g_hash_table_lookup (visit_index, &visit_id));
      Visit *v;
      const char *parts[3];
      g_autoptr(GString) label = g_string_new (NULL);

      if (idx == 0)
        continue;
      v = &g_array_index (visits, Visit, idx - 1);
      parts[0] = _cr_column_text (stmt, 2);
      parts[1] = _cr_column_text (stmt, 3);
      parts[2] = _cr_column_text (stmt, 4);
      for (guint j = 0; j < 3; j++)
        if (parts[j] != NULL && *parts[j] != '\0')
          g_string_append_printf (label, "%s%s", label->len ? " " : "", parts[j]);
      if (v->prescribed == NULL)
        v->prescribed = g_string_new (label->str);
      else
        g_string_append_printf (v->prescribed, "; %s", label->str);
      if (v->rx_ids == NULL)
        v->rx_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_array_append_val (v->rx_ids, rx);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _cr_store_set_error (store, rc, error);
      goto failed;
    }

  /* Outcomes, in the order they were recorded. */
  stmt = _cr_store_prepare (store,
                            "SELECT diagnosis_id, prescription_id, result, note FROM outcomes "
                            "WHERE patient_id = ? AND entered_in_error = 0 ORDER BY id", error);
  if (stmt == NULL)
    goto failed;
  sqlite3_bind_int64 (stmt, 1, patient_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gboolean by_diagnosis = sqlite3_column_type (stmt, 0) != SQLITE_NULL;
      gint64 target = sqlite3_column_int64 (stmt, by_diagnosis ? 0 : 1);
      GHashTable *table = by_diagnosis ? diag_outcomes : rx_outcomes;
      GArray *list = g_hash_table_lookup (table, &target);
      Outcome o;
      CrOutcomeResult result;

      if (!cr_outcome_result_from_string (_cr_column_text (stmt, 2), &result))
        continue;
      o.result = result;
      o.note = g_strdup (_cr_column_text (stmt, 3));
      if (list == NULL)
        {
          list = g_array_new (FALSE, FALSE, sizeof (Outcome));
          g_hash_table_insert (table, g_memdup2 (&target, sizeof target), list);
        }
      g_array_append_val (list, o);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _cr_store_set_error (store, rc, error);
      goto failed;
    }

  /* The chronic problem list, by group key. */
  stmt = _cr_store_prepare (store,
                            "SELECT system, code, display FROM problems WHERE patient_id = ? "
                            "AND chronic = 1 AND status = 'active' AND entered_in_error = 0", error);
  if (stmt == NULL)
    goto failed;
  sqlite3_bind_int64 (stmt, 1, patient_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autofree char *sys = NULL;
      g_autofree char *cat = NULL;
      char *key = group_key (_cr_column_text (stmt, 0), _cr_column_text (stmt, 1),
                             _cr_column_text (stmt, 2), &sys, &cat);

      if (key != NULL)
        g_hash_table_add (chronic, key);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _cr_store_set_error (store, rc, error);
      goto failed;
    }

  /* Diagnoses, visit by visit (primary first). */
  stmt = _cr_store_prepare (store,
                            "SELECT d.id, d.visit_id, d.system, d.code, d.display "
                            "FROM visits v JOIN visit_diagnoses d ON d.visit_id = v.id "
                            "WHERE v.patient_id = ? AND d.entered_in_error = 0 "
                            "ORDER BY d.visit_id, d.is_primary DESC, d.id", error);
  if (stmt == NULL)
    goto failed;
  sqlite3_bind_int64 (stmt, 1, patient_id);
  {
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      {
        gint64 visit_id = sqlite3_column_int64 (stmt, 1);
        guint idx = GPOINTER_TO_UINT (g_hash_table_lookup (visit_index, &visit_id));
        const char *system = _cr_column_text (stmt, 2);
        const char *code = _cr_column_text (stmt, 3);
        Visit *v;

        if (idx == 0)
          continue;
        v = &g_array_index (visits, Visit, idx - 1);
        if (!is_text (system, code))
          v->has_coded = TRUE;
        note_episode (groups, diag_outcomes, rx_outcomes, v, system, code,
                      _cr_column_text (stmt, 4), sqlite3_column_int64 (stmt, 0));
      }
  }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _cr_store_set_error (store, rc, error);
      goto failed;
    }

  /* Chief complaints of visits that have no coded diagnosis: the free-text
   * complaints. (A coded visit's chief complaint is the wording of its
   * coded episodes, not a second complaint.) */
  {
    for (guint i = 0; i < visits->len; i++)
      {
        Visit *v = &g_array_index (visits, Visit, i);

        if (v->has_coded || v->chief == NULL)
          continue;
        /* A free-text diagnosis with the same text was noted already:
         * the visit's list of groups keeps it from counting twice. */
        note_episode (groups, diag_outcomes, rx_outcomes, v, "text", NULL, v->chief, 0);
      }
  }

  /* Finish each group. */
  {
    GHashTableIter iter;
    Group *g;

    g_hash_table_iter_init (&iter, groups);
    while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &g))
      {
        CrComplaint *c = g_steal_pointer (&g->complaint);
        const char *label = best_label (g->labels);

        g_array_sort (c->episodes, compare_episodes);
        for (guint i = 1; i < c->episodes->len; i++)
          {
            int days = (int) (g_array_index (c->episodes, CrComplaintEpisode, i).julian -
                              g_array_index (c->episodes, CrComplaintEpisode, i - 1).julian);

            g_array_append_val (c->intervals, days);
          }
        c->trend = compute_trend (c->intervals);
        c->chronic = g_hash_table_contains (chronic, c->key);

        if (g_strcmp0 (c->system, CR_SYSTEM_ICD10CM) == 0)
          {
            const char *number = NULL, *title = NULL;

            c->label = lookup_category_name (store, c->code);
            if (cr_icd10cm_chapter (c->code, &number, &title))
              {
                c->chapter = number;
                c->chapter_title = title;
              }
          }
        if (c->label == NULL && c->code == NULL && c->episodes->len > 0)
          {
            /* Free text: the most recent wording, as the person wrote it. */
            const CrComplaintEpisode *last = &g_array_index (c->episodes, CrComplaintEpisode,
                                                             c->episodes->len - 1);

            c->label = g_strdup (last->wording);
            if (c->label != NULL && strchr (c->label, ';') != NULL)
              g_clear_pointer (&c->label, g_free);
          }
        if (c->label == NULL)
          c->label = g_strdup (label != NULL ? label : c->key);

        if (c->episodes->len >= 2)
          report->n_recurring++;
        g_ptr_array_add (report->complaints, c);
      }
  }
  g_ptr_array_sort (report->complaints, compare_complaints);

  return report;

failed:
  cr_complaint_report_unref (report);
  return NULL;
}

typedef struct
{
  gint64             patient_id;
  CrComplaintPeriod  period;
  char              *today;
} AnalyzeData;

static void
analyze_data_free (gpointer data)
{
  AnalyzeData *d = data;

  g_free (d->today);
  g_free (d);
}

static void
analyze_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  AnalyzeData *d = task_data;
  CrComplaintOptions options = { d->period, d->today };
  GError *error = NULL;
  CrComplaintReport *report;

  report = cr_store_analyze_complaints (source_object, d->patient_id, &options,
                                        cancellable, &error);
  if (report == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, report, (GDestroyNotify) cr_complaint_report_unref);
}

void
cr_store_analyze_complaints_async (CrStore                   *store,
                                   gint64                     patient_id,
                                   const CrComplaintOptions  *options,
                                   GCancellable              *cancellable,
                                   GAsyncReadyCallback        callback,
                                   gpointer                   user_data)
{
  g_autoptr(GTask) task = NULL;
  AnalyzeData *d;

  g_return_if_fail (store != NULL);

  d = g_new0 (AnalyzeData, 1);
  d->patient_id = patient_id;
  d->period = options != NULL ? options->period : CR_COMPLAINT_PERIOD_ALL;
  d->today = options != NULL ? g_strdup (options->today) : NULL;

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, cr_store_analyze_complaints_async);
  g_task_set_task_data (task, d, analyze_data_free);
  g_task_run_in_thread (task, analyze_thread);
}

CrComplaintReport *
cr_store_analyze_complaints_finish (CrStore       *store,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
