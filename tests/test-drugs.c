/* test-drugs.c: the FDA Orange Book drug list and the allergy check
 *
 * Imports the real products.txt of ../shared/data/drugs; every count is
 * computed here again by reading the file, independently of cr-drugs.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "cr-audit.h"
#include "cr-chart.h"
#include "cr-drugs.h"
#include "cr-patients.h"
#include "cr-store-private.h"
#include "test-util.h"

/* ---- the file, read independently ---------------------------------------- */

typedef struct
{
  guint       marketed;      /* RX and OTC lines */
  guint       discontinued;  /* DISCN lines */
  GHashTable *keys;          /* ingredient|trade|strength|form;route of marketed lines */
  GHashTable *lipitor;       /* strengths of marketed LIPITOR */
} FileCounts;

static void
file_counts_clear (FileCounts *c)
{
  g_clear_pointer (&c->keys, g_hash_table_unref);
  g_clear_pointer (&c->lipitor, g_hash_table_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (FileCounts, file_counts_clear)

static int
compare_names (const char **a,
               const char **b)
{
  return strcmp (*a, *b);
}

static char *
products_path (void)
{
  return test_shared_data_path ("drugs", "fda_orange_book_products.txt", NULL);
}

static void
count_file (const char *path,
            FileCounts *c)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (contents, "\r\n", -1);
  c->keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  c->lipitor = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  g_assert_true (g_str_has_prefix (lines[0], "Ingredient~DF;Route~Trade_Name~"));
  for (guint i = 1; lines[i] != NULL; i++)
    {
      g_auto(GStrv) f = NULL;
      g_autofree char *strength = NULL;
      const char *trade;
      char *stars;

      if (*lines[i] == '\0')
        continue;
      f = g_strsplit (lines[i], "~", -1);
      g_assert_cmpuint (g_strv_length (f), ==, 14);
      if (strcmp (f[12], "DISCN") == 0)
        {
          c->discontinued++;
          continue;
        }
      g_assert_true (strcmp (f[12], "RX") == 0 || strcmp (f[12], "OTC") == 0);
      c->marketed++;

      /* FDA's notes ("**Federal Register determination…**") are no strength. */
      strength = g_strdup (f[4]);
      if ((stars = strstr (strength, "**")) != NULL)
        *stars = '\0';
      g_strstrip (strength);

      /* A generic's trade name is its ingredient, or its ingredients
       * joined by AND in any order. */
      {
        g_autoptr(GPtrArray) a = g_ptr_array_new_with_free_func (g_free);
        g_autoptr(GPtrArray) b = g_ptr_array_new_with_free_func (g_free);
        g_auto(GStrv) pa = g_strsplit (f[0], "; ", -1);
        g_auto(GStrv) pb = g_strsplit (f[2], " AND ", -1);
        gboolean same;

        for (guint k = 0; pa[k]; k++)
          g_ptr_array_add (a, g_strdup (pa[k]));
        for (guint k = 0; pb[k]; k++)
          g_ptr_array_add (b, g_strdup (pb[k]));
        g_ptr_array_sort (a, (GCompareFunc) compare_names);
        g_ptr_array_sort (b, (GCompareFunc) compare_names);
        same = a->len == b->len;
        for (guint k = 0; same && k < a->len; k++)
          same = strcmp (g_ptr_array_index (a, k), g_ptr_array_index (b, k)) == 0;
        trade = same ? f[0] : f[2];
        g_hash_table_add (c->keys, g_strjoin ("|", f[0], trade, strength, f[1], NULL));
      }
      if (strcmp (f[2], "LIPITOR") == 0)
        g_hash_table_add (c->lipitor, g_steal_pointer (&strength));
    }
}

static gint64
query_int (CrStore    *store,
           const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_prepare_v2 (_cr_store_get_db (store), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

static void
import_real (CrStore           *store,
             const char        *path,
             CrDrugImportStats *stats)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (cr_store_import_drugs (store, path, NULL, NULL, NULL, stats, &error));
  g_assert_no_error (error);
}

/* ---- import -------------------------------------------------------------- */

static void
record_progress (double   fraction,
                 gpointer data)
{
  GArray *seen = data;

  g_array_append_val (seen, fraction);
}

static void
test_import (StoreFixture  *f,
             gconstpointer  data)
{
  g_autofree char *path = products_path ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) progress = g_array_new (FALSE, FALSE, sizeof (double));
  g_auto(FileCounts) counts = { 0 };
  CrDrugImportStats stats = { 0 };

  if (path == NULL)
    return;
  count_file (path, &counts);
  g_test_message ("file: %u marketed, %u discontinued, %u distinct drugs",
                  counts.marketed, counts.discontinued, g_hash_table_size (counts.keys));
  g_assert_cmpuint (counts.marketed + counts.discontinued, ==, 45752);

  g_assert_false (cr_store_has_drugs (f->store));
  g_assert_true (cr_store_import_drugs (f->store, path, record_progress, progress, NULL,
                                        &stats, &error));
  g_assert_no_error (error);

  g_assert_cmpuint (stats.products, ==, counts.marketed);
  g_assert_cmpuint (stats.discontinued, ==, counts.discontinued);
  g_assert_cmpuint (stats.drugs, ==, g_hash_table_size (counts.keys));
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM drugs"), ==, stats.drugs);
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM drug_search"), ==, stats.drugs);
  g_assert_true (cr_store_has_drugs (f->store));

  /* Progress from 0 to 1, never backwards. */
  g_assert_cmpuint (progress->len, >=, 10);
  g_assert_cmpfloat (g_array_index (progress, double, 0), ==, 0.0);
  g_assert_cmpfloat (g_array_index (progress, double, progress->len - 1), ==, 1.0);
  for (guint i = 1; i < progress->len; i++)
    g_assert_cmpfloat (g_array_index (progress, double, i), >=,
                       g_array_index (progress, double, i - 1));

  /* The audit trail names the import. */
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM audit WHERE action = 'import'"
                                        " AND record = 'drugs:orange-book'"), ==, 1);

  /* A second import replaces the list rather than doubling it. */
  import_real (f->store, path, &stats);
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM drugs"), ==,
                   g_hash_table_size (counts.keys));
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM audit WHERE action = 'import'"
                                        " AND record = 'drugs:orange-book'"), ==, 2);
}

/* ---- search -------------------------------------------------------------- */

static GPtrArray *
search (CrStore    *store,
        const char *text,
        guint       limit)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *found = cr_store_search_drugs (store, text, limit, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (found);
  return found;
}

static void
test_search (StoreFixture  *f,
             gconstpointer  data)
{
  g_autofree char *path = products_path ();
  g_auto(FileCounts) counts = { 0 };
  CrDrugImportStats stats = { 0 };

  if (path == NULL)
    return;
  count_file (path, &counts);

  {
    g_autoptr(GPtrArray) none = search (f->store, "amoxi", 0);

    /* No list yet: nothing found, no error; the form takes free text. */
    g_assert_cmpuint (none->len, ==, 0);
  }
  import_real (f->store, path, &stats);

  /* "amoxi": plain amoxicillin first, every row made with amoxicillin. */
  {
    g_autoptr(GPtrArray) found = search (f->store, "amoxi", 0);
    CrDrug *first;

    g_assert_cmpuint (found->len, >=, 8);
    first = g_ptr_array_index (found, 0);
    g_assert_cmpstr (cr_drug_get_name (first), ==, "Amoxicillin");
    g_assert_cmpstr (cr_drug_get_route (first), ==, "oral");
    for (guint i = 0; i < found->len; i++)
      g_assert_nonnull (strstr (cr_drug_get_ingredient (g_ptr_array_index (found, i)),
                                "amoxicillin"));
    /* Strengths are written as prescribed, and 500 mg capsules are there. */
    {
      gboolean capsule_500 = FALSE;

      for (guint i = 0; i < found->len; i++)
        {
          CrDrug *d = g_ptr_array_index (found, i);

          capsule_500 |= g_strcmp0 (cr_drug_get_name (d), "Amoxicillin") == 0 &&
                         g_strcmp0 (cr_drug_get_strength (d), "500 mg") == 0 &&
                         g_strcmp0 (cr_drug_get_form (d), "capsule") == 0;
        }
      g_assert_true (capsule_500);
    }
  }

  /* "lipitor": the brand, with its ingredient, in each strength FDA lists. */
  {
    g_autoptr(GPtrArray) found = search (f->store, "lipitor", 0);

    g_assert_cmpuint (found->len, ==, g_hash_table_size (counts.lipitor));
    g_assert_cmpuint (found->len, ==, 4);
    for (guint i = 0; i < found->len; i++)
      {
        CrDrug *d = g_ptr_array_index (found, i);

        g_assert_cmpstr (cr_drug_get_name (d), ==, "Lipitor (atorvastatin calcium)");
        g_assert_cmpstr (cr_drug_get_trade_name (d), ==, "Lipitor");
        g_assert_false (cr_drug_get_generic (d));
      }
    /* Lowest strength first; "EQ 10MG BASE" reads "10 mg". */
    g_assert_cmpstr (cr_drug_get_strength (g_ptr_array_index (found, 0)), ==, "10 mg");
    g_assert_cmpstr (cr_drug_get_strength (g_ptr_array_index (found, 3)), ==, "80 mg");
  }

  /* Case, diacritics and word order do not matter. */
  {
    g_autoptr(GPtrArray) a = search (f->store, "LÍPITÖR", 0);
    g_autoptr(GPtrArray) b = search (f->store, "calcium atorva", 0);
    gboolean lipitor_in_b = FALSE;

    g_assert_cmpuint (a->len, ==, 4);
    for (guint i = 0; i < b->len; i++)
      lipitor_in_b |= g_str_has_prefix (cr_drug_get_name (g_ptr_array_index (b, i)), "Lipitor");
    g_assert_true (lipitor_in_b);
  }

  /* "metformin hydro": metformin hydrochloride alone first (generic, then
   * brands), combinations (glipizide and metformin…) after all of those. */
  {
    g_autoptr(GPtrArray) found = search (f->store, "metformin hydro", 0);
    gboolean seen_combination = FALSE;

    g_assert_cmpuint (found->len, >=, 5);
    g_assert_cmpstr (cr_drug_get_name (g_ptr_array_index (found, 0)), ==, "Metformin hydrochloride");
    for (guint i = 0; i < found->len; i++)
      {
        CrDrug *d = g_ptr_array_index (found, i);

        g_assert_nonnull (strstr (cr_drug_get_ingredient (d), "metformin hydrochloride"));
        if (strchr (cr_drug_get_ingredient (d), '/') != NULL)
          seen_combination = TRUE;
        else
          g_assert_false (seen_combination);
      }
    g_assert_true (seen_combination);
  }

  /* A limit, and text that would be FTS syntax is searched as text. */
  {
    g_autoptr(GPtrArray) limited = search (f->store, "metformin", 3);
    g_autoptr(GPtrArray) syntax = search (f->store, "lipitor OR \"amoxicillin*", 0);
    g_autoptr(GPtrArray) punct = search (f->store, "*\"()-", 0);

    g_assert_cmpuint (limited->len, ==, 3);
    g_assert_cmpuint (syntax->len, ==, 0);
    g_assert_cmpuint (punct->len, ==, 0);
  }
}

/* ---- damaged and wrong files -------------------------------------------- */

static void
test_malformed (StoreFixture  *f,
                gconstpointer  data)
{
  g_autofree char *path = products_path ();
  g_autofree char *contents = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *bad = NULL;
  g_autofree char *wrong = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) text = NULL;
  g_auto(GStrv) lines = NULL;
  CrDrugImportStats stats = { 0 };
  gint64 before;

  if (path == NULL)
    return;
  import_real (f->store, path, &stats);
  before = query_int (f->store, "SELECT count(*) FROM drugs");

  /* The real file with line 5000 cut short (a field lost). */
  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (contents, "\r\n", -1);
  text = g_string_new (NULL);
  for (guint i = 0; lines[i] != NULL && i < 6000; i++)
    {
      if (i == 4999)
        {
          char *last = strrchr (lines[i], '~');

          *last = '\0';
        }
      g_string_append_printf (text, "%s\r\n", lines[i]);
    }
  dir = test_make_temp_dir ();
  bad = g_build_filename (dir, "products.txt", NULL);
  g_file_set_contents (bad, text->str, text->len, &error);
  g_assert_no_error (error);

  g_assert_false (cr_store_import_drugs (f->store, bad, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, CR_DRUGS_ERROR, CR_DRUGS_ERROR_MALFORMED);
  g_assert_nonnull (strstr (error->message, "Line 5000 "));
  g_assert_nonnull (strstr (error->message, "Nothing was imported"));
  g_clear_error (&error);
  /* The list imported before is untouched. */
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM drugs"), ==, before);

  /* An unknown product type, named. */
  g_string_truncate (text, 0);
  g_string_append_printf (text, "%s\r\n%s\r\n", lines[0], lines[1]);
  g_string_append (text, "ASPIRIN~TABLET;ORAL~ASPIRIN~X~325MG~A~1~001~~Jan 1, 2000~No~No~MAYBE~X\r\n");
  g_file_set_contents (bad, text->str, text->len, &error);
  g_assert_no_error (error);
  g_assert_false (cr_store_import_drugs (f->store, bad, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, CR_DRUGS_ERROR, CR_DRUGS_ERROR_MALFORMED);
  g_assert_nonnull (strstr (error->message, "Line 3 "));
  g_assert_nonnull (strstr (error->message, "MAYBE"));
  g_clear_error (&error);

  /* The ICD-10-CM order file is no product file. */
  wrong = test_shared_data_path ("icd10cm", NULL);
  if (wrong != NULL)
    {
      g_autoptr(GDir) d = g_dir_open (wrong, 0, NULL);
      const char *name;

      while ((name = g_dir_read_name (d)) != NULL)
        if (g_str_has_suffix (name, ".txt"))
          {
            g_autofree char *file = g_build_filename (wrong, name, NULL);

            g_assert_false (cr_store_import_drugs (f->store, file, NULL, NULL, NULL, NULL, &error));
            g_assert_error (error, CR_DRUGS_ERROR, CR_DRUGS_ERROR_NOT_PRODUCT_FILE);
            g_clear_error (&error);
            break;
          }
    }

  /* Cancelled: nothing changes. */
  {
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();

    g_cancellable_cancel (cancellable);
    g_assert_false (cr_store_import_drugs (f->store, path, NULL, NULL, cancellable, NULL, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_clear_error (&error);
  }
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM drugs"), ==, before);

  test_remove_tree (dir);
}

/* ---- async --------------------------------------------------------------- */

typedef struct
{
  gboolean          done;
  gboolean          ok;
  guint             n_progress;
  CrDrugImportStats stats;
} AsyncState;

static void
async_progress (double   fraction,
                gpointer data)
{
  AsyncState *state = data;

  g_assert_true (g_main_context_is_owner (g_main_context_default ()));
  state->n_progress++;
}

static void
async_done (GObject      *source,
            GAsyncResult *result,
            gpointer      data)
{
  AsyncState *state = data;
  g_autoptr(GError) error = NULL;

  state->ok = cr_store_import_drugs_finish (CR_STORE (source), result, &state->stats, &error);
  g_assert_no_error (error);
  state->done = TRUE;
}

static void
test_import_async (StoreFixture  *f,
                   gconstpointer  data)
{
  g_autofree char *path = products_path ();
  AsyncState state = { 0 };

  if (path == NULL)
    return;
  cr_store_import_drugs_async (f->store, path, async_progress, &state, NULL, async_done, &state);
  while (!state.done)
    g_main_context_iteration (NULL, TRUE);
  /* Progress callbacks still queued run now, before the state goes away;
   * the worker thread lets go of the task (and the store) just after. */
  for (guint i = 0; i < 200 && G_OBJECT (f->store)->ref_count > 1; i++)
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_usleep (5000);
    }
  g_assert_true (state.ok);
  g_assert_cmpuint (state.n_progress, >=, 10);
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM drugs"), ==, state.stats.drugs);
}

/* ---- allergies ----------------------------------------------------------- */

static gint64
add_patient (CrStore    *store,
             const char *family,
             const char *given)
{
  g_autoptr(CrPatient) patient = cr_patient_new ();
  g_autoptr(GError) error = NULL;

  cr_patient_set_family_name (patient, family);
  cr_patient_set_given_names (patient, given);
  cr_patient_set_birth_date (patient, "1970-03-14");
  g_assert_true (cr_store_add_patient (store, patient, FALSE, &error));
  g_assert_no_error (error);
  return cr_patient_get_id (patient);
}

static gint64
add_allergy (CrStore           *store,
             gint64             patient_id,
             const char        *substance,
             const char        *reaction,
             CrAllergySeverity  severity)
{
  g_autoptr(GError) error = NULL;
  gint64 id = cr_store_add_allergy (store, patient_id, substance, reaction, severity, &error);

  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

/* The substance of the allergy that @drug runs into, or NULL. */
static char *
conflict (CrStore    *store,
          gint64      patient_id,
          const char *drug)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrAllergy) allergy = NULL;

  g_assert_true (cr_store_check_drug_allergy (store, patient_id, drug, &allergy, &error));
  g_assert_no_error (error);
  return allergy ? g_strdup (cr_allergy_get_substance (allergy)) : NULL;
}

#define assert_conflict(store, id, drug, expected)                 \
  G_STMT_START {                                                   \
    g_autofree char *got_ = conflict (store, id, drug);            \
    g_assert_cmpstr (got_, ==, expected);                          \
  } G_STMT_END

static void
test_allergy (StoreFixture  *f,
              gconstpointer  data)
{
  g_autofree char *path = products_path ();
  g_autoptr(GError) error = NULL;
  gint64 pen, sulfa, nsaid, none, mixed;
  gint64 wrong;

  pen = add_patient (f->store, "Penner", "Ruth");
  add_allergy (f->store, pen, "Penicillin", "hives", CR_ALLERGY_SEVERITY_SEVERE);
  sulfa = add_patient (f->store, "Sulzer", "Otto");
  add_allergy (f->store, sulfa, "Sulfa drugs", "rash", CR_ALLERGY_SEVERITY_MODERATE);
  nsaid = add_patient (f->store, "Nsaidova", "Mira");
  add_allergy (f->store, nsaid, "NSAIDs", "bronchospasm", CR_ALLERGY_SEVERITY_SEVERE);
  none = add_patient (f->store, "Clear", "Nora");
  mixed = add_patient (f->store, "Müller", "Jürgen");
  add_allergy (f->store, mixed, "Latex", "itching", CR_ALLERGY_SEVERITY_MILD);
  add_allergy (f->store, mixed, "CODÉINE", "vomiting", CR_ALLERGY_SEVERITY_MODERATE);
  wrong = add_allergy (f->store, mixed, "Cephalexin", NULL, CR_ALLERGY_SEVERITY_UNKNOWN);

  /* Penicillin ⇒ the penicillins, by ingredient or by class; nothing else. */
  assert_conflict (f->store, pen, "Amoxicillin", "Penicillin");
  assert_conflict (f->store, pen, "amoxicillin 500 mg capsule", "Penicillin");
  assert_conflict (f->store, pen, "Ampicillin sodium", "Penicillin");
  assert_conflict (f->store, pen, "Penicillin V potassium", "Penicillin");
  assert_conflict (f->store, pen, "Piperacillin / tazobactam", "Penicillin");
  assert_conflict (f->store, pen, "Atorvastatin calcium", NULL);
  assert_conflict (f->store, pen, "Azithromycin", NULL);
  assert_conflict (f->store, pen, "Metformin hydrochloride", NULL);
  assert_conflict (f->store, pen, "Potassium chloride", NULL);

  /* Sulfa ⇒ sulfonamide antibiotics, never sulfate salts. */
  assert_conflict (f->store, sulfa, "Sulfamethoxazole / trimethoprim", "Sulfa drugs");
  assert_conflict (f->store, sulfa, "Sulfasalazine", "Sulfa drugs");
  assert_conflict (f->store, sulfa, "Albuterol sulfate", NULL);
  assert_conflict (f->store, sulfa, "Morphine sulfate", NULL);

  /* NSAIDs ⇒ ibuprofen, naproxen; not acetaminophen. */
  assert_conflict (f->store, nsaid, "Ibuprofen", "NSAIDs");
  assert_conflict (f->store, nsaid, "Naproxen sodium", "NSAIDs");
  assert_conflict (f->store, nsaid, "Acetaminophen", NULL);

  /* Case and diacritics; a word of a combination; none recorded. */
  assert_conflict (f->store, mixed, "Acetaminophen and codeine phosphate", "CODÉINE");
  assert_conflict (f->store, mixed, "Amoxicillin", NULL);
  assert_conflict (f->store, none, "Amoxicillin", NULL);
  /* The cephalosporin allergy concerns cefuroxime; once entered in error it
   * no longer does. */
  assert_conflict (f->store, mixed, "Cefuroxime axetil", "Cephalexin");
  g_assert_true (cr_store_mark_entered_in_error (f->store, CR_CLINICAL_KIND_ALLERGY, wrong,
                                                 "wrong patient", &error));
  g_assert_no_error (error);
  assert_conflict (f->store, mixed, "Cefuroxime axetil", NULL);

  /* A trade name alone: the drug list knows Augmentin is amoxicillin. */
  assert_conflict (f->store, pen, "Augmentin", NULL);
  if (path != NULL)
    {
      CrDrugImportStats stats;

      import_real (f->store, path, &stats);
      assert_conflict (f->store, pen, "Augmentin", "Penicillin");
      assert_conflict (f->store, pen, "AUGMENTIN '875' 875 mg", "Penicillin");
      assert_conflict (f->store, pen, "Lipitor", NULL);
      assert_conflict (f->store, nsaid, "Motrin IB", "NSAIDs");
    }

  /* The most severe matching allergy is the one named. */
  add_allergy (f->store, pen, "Amoxicillin", "nausea", CR_ALLERGY_SEVERITY_MILD);
  assert_conflict (f->store, pen, "Amoxicillin", "Penicillin");
}

/* ---- migration ----------------------------------------------------------- */

static void
test_from_version_2 (void)
{
  g_autofree char *dir = test_make_temp_dir ();
  g_autofree char *db_path = g_build_filename (dir, "practice.chartroom", NULL);
  g_autofree char *path = products_path ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CrKey) key = cr_key_new_random (&error);
  g_autoptr(CrStore) store = NULL;
  gint64 patient_id;

  g_assert_no_error (error);
  store = _cr_store_create_at_version (db_path, key, 2, &error);
  g_assert_no_error (error);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM sqlite_master WHERE name = 'drugs'"), ==, 0);
  patient_id = add_patient (store, "Before", "Migration");
  add_allergy (store, patient_id, "Penicillin", "rash", CR_ALLERGY_SEVERITY_MODERATE);
  cr_store_close (store);
  g_clear_object (&store);

  store = cr_store_open (db_path, key, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cr_store_get_schema_version (store), ==, cr_schema_get_current_version ());
  g_assert_cmpint (cr_schema_get_current_version (), >=, 3);
  g_assert_false (cr_store_has_drugs (store));
  assert_conflict (store, patient_id, "Amoxicillin", "Penicillin");
  if (path != NULL)
    {
      CrDrugImportStats stats;
      g_autoptr(GPtrArray) found = NULL;

      import_real (store, path, &stats);
      found = search (store, "lipitor", 0);
      g_assert_cmpuint (found->len, ==, 4);
    }
  cr_store_close (store);
  g_clear_object (&store);
  test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/core/drugs/import", StoreFixture, NULL,
              store_fixture_setup, test_import, store_fixture_teardown);
  g_test_add ("/core/drugs/search", StoreFixture, NULL,
              store_fixture_setup, test_search, store_fixture_teardown);
  g_test_add ("/core/drugs/malformed", StoreFixture, NULL,
              store_fixture_setup, test_malformed, store_fixture_teardown);
  g_test_add ("/core/drugs/import-async", StoreFixture, NULL,
              store_fixture_setup, test_import_async, store_fixture_teardown);
  g_test_add ("/core/drugs/allergy", StoreFixture, NULL,
              store_fixture_setup, test_allergy, store_fixture_teardown);
  g_test_add_func ("/core/drugs/from-version-2", test_from_version_2);

  return g_test_run ();
}
