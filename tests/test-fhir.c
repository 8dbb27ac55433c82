/* test-fhir.c: FHIR R4 import and export on the 70 real Synthea bundles
 *
 * The expected numbers are counted here, independently, from the JSON
 * (json-glib), as the mapping in cr-fhir-import.h says: every Patient,
 * Encounter, Condition, MedicationRequest and AllergyIntolerance is a row;
 * an Observation is a visit vital when its LOINC code is a vital sign (a
 * blood pressure panel counts once), else a result.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <unistd.h>

#include "cr-audit.h"
#include "cr-chart.h"
#include "cr-complaints.h"
#include "cr-fhir-export.h"
#include "cr-fhir-import.h"
#include "cr-patients.h"
#include "cr-store-private.h"
#include "test-util.h"

/* The patient the spot checks read, picked from her file by hand. */
#define AMMIE_FILE "Ammie_Huels_ea186cb3-ccb1-4dfc-a92e-dc9286aaa2ce.json"
#define AMMIE_ID   "aa0b29d0-6916-4fb7-85f0-6e42370dd5fa"

static const char * const vital_loinc[] = {
  "85354-9", "55284-4", "8480-6", "8462-4", "8867-4", "9279-1", "8310-5", "8331-1",
  "29463-7", "8302-2", "2708-6", "59408-5",
};

typedef struct
{
  guint       patients;
  guint       encounters;
  guint       conditions;
  guint       medication_requests;
  guint       observations;
  guint       vitals;
  guint       allergies;
  guint       documents;
  GHashTable *other;  /* type → count */
} Expected;

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

static GPtrArray *
list_bundles (void)
{
  g_autofree char *dir_path = test_shared_data_path ("synthea", NULL);
  GPtrArray *paths;
  GDir *dir;
  const char *name;

  if (dir_path == NULL)
    return NULL;
  paths = g_ptr_array_new_with_free_func (g_free);
  dir = g_dir_open (dir_path, 0, NULL);
  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".json"))
      g_ptr_array_add (paths, g_build_filename (dir_path, name, NULL));
  g_dir_close (dir);
  g_ptr_array_sort (paths, compare_names);
  return paths;
}

static const char *
first_loinc (JsonObject *resource)
{
  JsonArray *codings = json_object_get_array_member (json_object_get_object_member (resource, "code"),
                                                     "coding");

  for (guint i = 0; i < json_array_get_length (codings); i++)
    {
      JsonObject *coding = json_array_get_object_element (codings, i);

      if (g_strcmp0 (json_object_get_string_member (coding, "system"), "http://loinc.org") == 0)
        return json_object_get_string_member (coding, "code");
    }
  return NULL;
}

static void
count_file (const char *path,
            Expected   *expected)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonArray *entries;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  entries = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                          "entry");
  for (guint i = 0; i < json_array_get_length (entries); i++)
    {
      JsonObject *resource = json_object_get_object_member (json_array_get_object_element (entries, i),
                                                            "resource");
      const char *type = json_object_get_string_member (resource, "resourceType");

      if (g_str_equal (type, "Patient"))
        expected->patients++;
      else if (g_str_equal (type, "Encounter"))
        expected->encounters++;
      else if (g_str_equal (type, "Condition"))
        expected->conditions++;
      else if (g_str_equal (type, "MedicationRequest"))
        expected->medication_requests++;
      else if (g_str_equal (type, "AllergyIntolerance"))
        expected->allergies++;
      else if (g_str_equal (type, "DocumentReference"))
        expected->documents++;
      else if (g_str_equal (type, "Observation"))
        {
          const char *loinc = first_loinc (resource);

          expected->observations++;
          for (guint v = 0; loinc != NULL && v < G_N_ELEMENTS (vital_loinc); v++)
            if (g_str_equal (loinc, vital_loinc[v]))
              expected->vitals++;
        }
      else
        g_hash_table_insert (expected->other, g_strdup (type),
                             GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (expected->other, type)) + 1));
    }
}

static gint64
query_int (CrStore    *store,
           const char *sql)
{
  sqlite3 *db = _cr_store_get_db (store);
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

/* Row counts of everything an import may touch, and the audit trail. */
static char *
dup_counts (CrStore *store)
{
  static const char * const tables[] = {
    "patients", "patient_search", "visits", "visit_diagnoses", "problems", "allergies",
    "prescriptions", "results", "documents", "external_ids", "audit", "meta",
  };
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM %s", tables[i]);

      g_string_append_printf (text, "%s=%" G_GINT64_FORMAT " ", tables[i], query_int (store, sql));
    }
  return g_string_free (text, FALSE);
}

static void
import_all (CrStore   *store,
            GPtrArray *paths,
            CrFhirImportSummary *total)
{
  for (guint i = 0; i < paths->len; i++)
    {
      g_auto(CrFhirImportSummary) summary = { 0 };
      g_autoptr(GError) error = NULL;
      GHashTableIter iter;
      gpointer key, value;

      cr_fhir_import_summary_init (&summary);
      cr_store_import_fhir (store, g_ptr_array_index (paths, i), CR_FHIR_IMPORT_DEFAULT,
                            NULL, NULL, NULL, &summary, &error);
      g_assert_no_error (error);
      total->patients += summary.patients;
      total->encounters += summary.encounters;
      total->conditions += summary.conditions;
      total->medication_requests += summary.medication_requests;
      total->observations += summary.observations;
      total->vital_signs += summary.vital_signs;
      total->results += summary.results;
      total->allergies += summary.allergies;
      total->documents += summary.documents;
      total->unchanged += summary.unchanged;
      g_hash_table_iter_init (&iter, summary.skipped);
      while (g_hash_table_iter_next (&iter, &key, &value))
        g_hash_table_insert (total->skipped, g_strdup (key),
                             GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (total->skipped, key)) +
                                               GPOINTER_TO_UINT (value)));
    }
}

static gint64
patient_for_resource (CrStore    *store,
                      const char *fhir_id)
{
  g_autofree char *sql = g_strdup_printf ("SELECT local_id FROM external_ids WHERE"
                                          " resource_type = 'Patient' AND system = ''"
                                          " AND value = '%s'", fhir_id);

  return query_int (store, sql);
}

static void
spot_check_ammie (CrStore *store)
{
  gint64 id = patient_for_resource (store, AMMIE_ID);
  g_autoptr(CrPatient) patient = NULL;
  g_autoptr(GPtrArray) current = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;
  gboolean found = FALSE;

  patient = cr_store_get_patient (store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cr_patient_get_family_name (patient), ==, "Huels");
  g_assert_cmpstr (cr_patient_get_given_names (patient), ==, "Ammie");
  g_assert_cmpstr (cr_patient_get_birth_date (patient), ==, "1948-04-26");
  g_assert_cmpint (cr_patient_get_sex (patient), ==, CR_SEX_FEMALE);
  g_assert_cmpstr (cr_patient_get_phone (patient), ==, "555-932-2619");

  /* 2016-11-21: 132.30/85.95 mm[Hg] and 64.59 kg in her file. */
  sql = g_strdup_printf ("SELECT bp_systolic * 1000 + bp_diastolic FROM visits WHERE patient_id = %"
                         G_GINT64_FORMAT " AND started_at = '2016-11-21T16:42:48'", id);
  g_assert_cmpint (query_int (store, sql), ==, 132086);
  g_free (sql);
  sql = g_strdup_printf ("SELECT round(weight_kg * 100) FROM visits WHERE patient_id = %"
                         G_GINT64_FORMAT " AND started_at = '2016-11-21T16:42:48'", id);
  g_assert_cmpint (query_int (store, sql), ==, 6459);
  g_free (sql);
  /* Signed by "imported". */
  sql = g_strdup_printf ("SELECT count(*) FROM visits WHERE patient_id = %" G_GINT64_FORMAT
                         " AND (status != 'signed' OR signed_by != 'imported')", id);
  g_assert_cmpint (query_int (store, sql), ==, 0);

  /* Active since 1966: ferrous sulfate, RxNorm 310325. */
  current = cr_store_list_prescriptions (store, id, TRUE, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < current->len; i++)
    {
      CrPrescription *rx = g_ptr_array_index (current, i);

      if (g_str_equal (cr_prescription_get_drug (rx), "ferrous sulfate 325 MG Oral Tablet"))
        {
          g_assert_cmpstr (cr_prescription_get_code (rx), ==, "310325");
          g_assert_cmpstr (cr_prescription_get_system (rx), ==, "rxnorm");
          g_assert_cmpstr (cr_prescription_get_start_date (rx), ==, "1966-10-10");
          found = TRUE;
        }
    }
  g_assert_true (found);

  /* Prediabetes (SNOMED 15777000) since 1994, active and chronic. */
  found = FALSE;
  problems = cr_store_list_problems (store, id, CR_PROBLEM_STATUS_ACTIVE, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < problems->len; i++)
    {
      CrProblem *problem = g_ptr_array_index (problems, i);

      if (g_strcmp0 (cr_problem_get_code (problem), "15777000") == 0)
        {
          g_assert_cmpstr (cr_problem_get_system (problem), ==, "snomed");
          g_assert_cmpstr (cr_problem_get_display (problem), ==, "Prediabetes");
          g_assert_cmpstr (cr_problem_get_onset_date (problem), ==, "1994-05-16");
          g_assert_true (cr_problem_get_chronic (problem));
          found = TRUE;
        }
    }
  g_assert_true (found);
}

/* One line per row, each column quote()d, sorted: a patient's record
 * without the local ids and stamps that differ between practices. */
static char *
dump_patient (CrStore *store,
              gint64   patient_id)
{
  static const char * const queries[] = {
    "SELECT 'patient', family_name, given_names, birth_date, sex, phone, email, address,"
    " inactive, deceased, deceased_date, phone_digits FROM patients WHERE id = ?1",
    "SELECT 'identifier', system, value FROM external_ids WHERE resource_type = 'Patient'"
    " AND local_table = 'patients' AND local_id = ?1 AND system != ''"
    " AND system NOT LIKE 'urn:uuid:%'",
    "SELECT 'visit', started_at, clinician, type, chief_complaint, subjective, objective,"
    " bp_systolic, bp_diastolic, pulse, temperature_c, respiratory_rate, spo2, weight_kg,"
    " height_cm, assessment, plan, status, signed_by, entered_in_error"
    " FROM visits WHERE patient_id = ?1",
    "SELECT 'diagnosis', v.started_at, d.system, d.code, d.display, d.is_primary,"
    " d.entered_in_error FROM visit_diagnoses d JOIN visits v ON v.id = d.visit_id"
    " WHERE v.patient_id = ?1",
    "SELECT 'problem', system, code, display, onset_date, status, resolved_date, chronic,"
    " entered_in_error FROM problems WHERE patient_id = ?1",
    "SELECT 'allergy', substance, system, code, reaction, severity, entered_in_error"
    " FROM allergies WHERE patient_id = ?1",
    "SELECT 'prescription', (SELECT started_at FROM visits WHERE id = r.visit_id), drug,"
    " system, code, strength, form, dose, route, frequency, duration, quantity, refills,"
    " instructions, start_date, stop_date, stop_reason, prescriber, entered_in_error"
    " FROM prescriptions r WHERE patient_id = ?1",
    "SELECT 'result', (SELECT started_at FROM visits WHERE id = r.visit_id),"
    " (SELECT code FROM results p WHERE p.id = r.parent_id), category, system, code, display,"
    " value_kind, value_number, value_unit, value_unit_code, value_text, value_system,"
    " value_code, effective_at, status, entered_in_error FROM results r WHERE patient_id = ?1",
    "SELECT 'document', (SELECT started_at FROM visits WHERE id = d.visit_id), category,"
    " title, service_date, file_name, mime_type, sha256, byte_size, entered_in_error"
    " FROM documents d WHERE patient_id = ?1",
  };
  sqlite3 *db = _cr_store_get_db (store);
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  GString *text = g_string_new (NULL);

  for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
    {
      sqlite3_stmt *stmt = NULL;

      g_assert_cmpint (sqlite3_prepare_v2 (db, queries[q], -1, &stmt, NULL), ==, SQLITE_OK);
      sqlite3_bind_int64 (stmt, 1, patient_id);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          GString *line = g_string_new (NULL);

          for (int c = 0; c < sqlite3_column_count (stmt); c++)
            {
              if (sqlite3_column_type (stmt, c) == SQLITE_NULL)
                g_string_append (line, "NULL|");
              else if (sqlite3_column_type (stmt, c) == SQLITE_FLOAT)
                g_string_append_printf (line, "%.17g|", sqlite3_column_double (stmt, c));
              else
                g_string_append_printf (line, "%s|", (const char *) sqlite3_column_text (stmt, c));
            }
          g_ptr_array_add (lines, g_string_free (line, FALSE));
        }
      sqlite3_finalize (stmt);
    }
  g_ptr_array_sort (lines, compare_names);
  for (guint i = 0; i < lines->len; i++)
    g_string_append_printf (text, "%s\n", (const char *) g_ptr_array_index (lines, i));
  return g_string_free (text, FALSE);
}

static void
test_synthea (StoreFixture  *fixture,
              gconstpointer  data)
{
  g_autoptr(GPtrArray) paths = list_bundles ();
  g_auto(CrFhirImportSummary) total = { 0 };
  g_auto(CrFhirImportSummary) again = { 0 };
  Expected expected = { 0 };
  g_autofree char *counts = NULL;
  g_autofree char *counts_again = NULL;
  g_autofree char *other_path = NULL;
  g_autoptr(CrKey) other_key = NULL;
  g_autoptr(CrStore) other = NULL;
  g_autoptr(GError) error = NULL;
  GHashTableIter iter;
  gpointer key, value;
  CrStore *store = fixture->store;
  sqlite3_stmt *stmt = NULL;
  guint n_recurring_patients = 0, n_compared = 0;

  if (paths == NULL)
    return;
  g_assert_cmpuint (paths->len, ==, 70);

  expected.other = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < paths->len; i++)
    count_file (g_ptr_array_index (paths, i), &expected);

  cr_fhir_import_summary_init (&total);
  import_all (store, paths, &total);

  /* What the importer says… */
  g_assert_cmpuint (total.patients, ==, expected.patients);
  g_assert_cmpuint (total.encounters, ==, expected.encounters);
  g_assert_cmpuint (total.conditions, ==, expected.conditions);
  g_assert_cmpuint (total.medication_requests, ==, expected.medication_requests);
  g_assert_cmpuint (total.observations, ==, expected.observations);
  g_assert_cmpuint (total.vital_signs, ==, expected.vitals);
  g_assert_cmpuint (total.results, ==, expected.observations - expected.vitals);
  g_assert_cmpuint (total.allergies, ==, expected.allergies);
  g_assert_cmpuint (total.documents, ==, expected.documents);
  g_assert_cmpuint (total.unchanged, ==, 0);
  /* …every resource it did not map is listed by type, none dropped. */
  g_assert_cmpuint (g_hash_table_size (total.skipped), ==, g_hash_table_size (expected.other));
  g_hash_table_iter_init (&iter, expected.other);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (total.skipped, key)), ==,
                      GPOINTER_TO_UINT (value));

  /* …and what the database holds. */
  g_assert_cmpuint (expected.patients, ==, 70);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM patients"), ==, expected.patients);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM patient_search"), ==, expected.patients);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM visits"), ==, expected.encounters);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM problems"), ==, expected.conditions);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM prescriptions"), ==,
                   expected.medication_requests);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM allergies"), ==, expected.allergies);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM results WHERE parent_id IS NULL"), ==,
                   expected.observations - expected.vitals);
  /* Each vital is a value in its visit: a BP panel fills two columns once. */
  g_assert_cmpint (query_int (store,
                              "SELECT sum((bp_systolic IS NOT NULL OR bp_diastolic IS NOT NULL) +"
                              " (pulse IS NOT NULL) + (temperature_c IS NOT NULL) +"
                              " (respiratory_rate IS NOT NULL) + (spo2 IS NOT NULL) +"
                              " (weight_kg IS NOT NULL) + (height_cm IS NOT NULL)) FROM visits"),
                   ==, expected.vitals);
  /* Every Condition of Synthea names its encounter: a diagnosis there too. */
  g_assert_cmpint (query_int (store,
                              "SELECT count(*) FROM external_ids WHERE resource_type = 'Condition'"
                              " AND local_table = 'visit_diagnoses'"), ==, expected.conditions);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM audit WHERE action = 'import'"), ==, 70);
  g_assert_true (cr_store_verify_audit (store, NULL, NULL, &error));
  g_assert_no_error (error);
  g_test_message ("Imported %u patients, %u encounters, %u conditions, %u medication requests, "
                  "%u observations (%u vitals)", total.patients, total.encounters,
                  total.conditions, total.medication_requests, total.observations,
                  total.vital_signs);

  spot_check_ammie (store);

  /* The same bundles again change nothing. */
  counts = dup_counts (store);
  cr_fhir_import_summary_init (&again);
  import_all (store, paths, &again);
  counts_again = dup_counts (store);
  g_assert_cmpstr (counts_again, ==, counts);
  g_assert_cmpuint (cr_fhir_import_summary_get_total (&again), ==, 0);
  g_assert_cmpuint (again.unchanged, ==, expected.patients + expected.encounters +
                    expected.conditions + expected.medication_requests + expected.observations +
                    expected.allergies);

  /* The recurring-complaint analysis runs on every imported patient. */
  g_assert_cmpint (sqlite3_prepare_v2 (_cr_store_get_db (store), "SELECT id FROM patients ORDER BY id",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autoptr(CrComplaintReport) report = NULL;

      report = cr_store_analyze_complaints (store, sqlite3_column_int64 (stmt, 0), NULL, NULL,
                                            &error);
      g_assert_no_error (error);
      g_assert_nonnull (report);
      if (cr_complaint_report_get_n_recurring (report) > 0)
        n_recurring_patients++;
    }
  sqlite3_finalize (stmt);
  g_test_message ("%u of 70 patients have a recurring complaint", n_recurring_patients);
  g_assert_cmpuint (n_recurring_patients, >, 0);

  /* Round trip: each patient exported and imported into an empty practice
   * reads the same, field by field. */
  other_path = g_build_filename (fixture->dir, "other.chartroom", NULL);
  other_key = cr_key_new_random (&error);
  g_assert_no_error (error);
  other = cr_store_create (other_path, other_key, "Other Practice", &error);
  g_assert_no_error (error);
  cr_store_set_user (other, "tester");

  g_assert_cmpint (sqlite3_prepare_v2 (_cr_store_get_db (store),
                                       "SELECT local_id, value FROM external_ids WHERE"
                                       " resource_type = 'Patient' AND system = '' ORDER BY local_id",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      g_autofree char *fhir_id = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      g_autoptr(GBytes) bundle = NULL;
      g_auto(CrFhirImportSummary) summary = { 0 };
      g_autofree char *before = NULL;
      g_autofree char *after = NULL;
      gint64 exports = query_int (store, "SELECT count(*) FROM audit WHERE action = 'export'");

      bundle = cr_store_export_fhir_patient (store, id, &error);
      g_assert_no_error (error);
      g_assert_cmpint (query_int (store, "SELECT count(*) FROM audit WHERE action = 'export'"), ==,
                       exports + 1);
      cr_fhir_import_summary_init (&summary);
      cr_store_import_fhir_bytes (other, bundle, CR_FHIR_IMPORT_DEFAULT, NULL, NULL, NULL,
                                  &summary, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (summary.patients, ==, 1);
      g_assert_cmpuint (g_hash_table_size (summary.skipped), ==, 0);

      before = dump_patient (store, id);
      after = dump_patient (other, patient_for_resource (other, fhir_id));
      g_assert_cmpstr (after, ==, before);
      n_compared++;
    }
  sqlite3_finalize (stmt);
  g_assert_cmpuint (n_compared, ==, 70);
  g_assert_cmpint (query_int (other, "SELECT count(*) FROM visits"), ==, expected.encounters);
  g_assert_cmpint (query_int (other, "SELECT count(*) FROM results"), ==,
                   query_int (store, "SELECT count(*) FROM results"));
  g_assert_finalize_object (g_steal_pointer (&other));
  g_hash_table_unref (expected.other);
}

/* ---- bad input -------------------------------------------------------------- */

static char *
read_bundle_text (const char *name)
{
  g_autofree char *path = test_shared_data_path ("synthea", name, NULL);
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  if (path == NULL)
    return NULL;
  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  return text;
}

static GBytes *
bundle_bytes (JsonNode *root)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  gsize len;
  char *json;

  json_generator_set_root (generator, root);
  json = json_generator_to_data (generator, &len);
  return g_bytes_new_take (json, len);
}

/* Imports @bytes, expects @code, and checks that nothing changed. */
static char *
expect_refused (CrStore    *store,
                GBytes     *bytes,
                int         code)
{
  g_autofree char *before = dup_counts (store);
  g_autofree char *after = NULL;
  g_auto(CrFhirImportSummary) summary = { 0 };
  g_autoptr(GError) error = NULL;

  cr_fhir_import_summary_init (&summary);
  g_assert_false (cr_store_import_fhir_bytes (store, bytes, CR_FHIR_IMPORT_DEFAULT, NULL, NULL,
                                              NULL, &summary, &error));
  g_assert_error (error, CR_FHIR_ERROR, code);
  g_assert_cmpuint (cr_fhir_import_summary_get_total (&summary), ==, 0);
  after = dup_counts (store);
  g_assert_cmpstr (after, ==, before);
  g_test_message ("refused: %s", error->message);
  return g_strdup (error->message);
}

static JsonObject *
entry_resource (JsonNode *root,
                guint     i)
{
  JsonArray *entries = json_object_get_array_member (json_node_get_object (root), "entry");

  return json_object_get_object_member (json_array_get_object_element (entries, i), "resource");
}

static guint
find_entry_of_type (JsonNode   *root,
                    const char *type,
                    gboolean    last)
{
  JsonArray *entries = json_object_get_array_member (json_node_get_object (root), "entry");
  guint found = G_MAXUINT;

  for (guint i = 0; i < json_array_get_length (entries); i++)
    if (g_str_equal (json_object_get_string_member (entry_resource (root, i), "resourceType"), type))
      {
        found = i;
        if (!last)
          break;
      }
  g_assert_cmpuint (found, !=, G_MAXUINT);
  return found;
}

/* A fresh tree of @text to spoil (json_node_copy() shares objects). */
static JsonNode *
parse_root (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_parser_steal_root (parser);
}

static void
test_bad_input (StoreFixture  *fixture,
                gconstpointer  data)
{
  g_autofree char *text = read_bundle_text (AMMIE_FILE);
  g_autofree char *big_path = NULL;
  g_autofree char *message = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(CrFhirImportSummary) summary = { 0 };
  CrStore *store = fixture->store;
  JsonNode *root;
  JsonObject *resource;
  guint i;
  int fd;

  if (text == NULL)
    return;
  /* Something in the practice already, to see that it stays as it was. */
  {
    g_autofree char *path = test_shared_data_path ("synthea", "Beatriz_Salazar_c837db1d-d74b-4707-be68-b87bb25b4504.json", NULL);

    cr_fhir_import_summary_init (&summary);
    g_assert_true (cr_store_import_fhir (store, path, CR_FHIR_IMPORT_DEFAULT, NULL, NULL, NULL,
                                         &summary, &error));
    g_assert_no_error (error);
  }

  /* Malformed JSON: cut short. */
  bytes = g_bytes_new (text, strlen (text) / 2);
  message = expect_refused (store, bytes, CR_FHIR_ERROR_PARSE);
  g_assert_nonnull (strstr (message, "not well-formed JSON"));
  g_clear_pointer (&bytes, g_bytes_unref);
  g_clear_pointer (&message, g_free);

  /* Not UTF-8: a Latin-1 "é" in a name. */
  {
    static const char latin1[] = "{\"resourceType\": \"Patient\", \"id\": \"x\","
                                 " \"name\": [{\"family\": \"Ren\xe9\"}]}";

    bytes = g_bytes_new_static (latin1, strlen (latin1));
  }
  message = expect_refused (store, bytes, CR_FHIR_ERROR_ENCODING);
  g_assert_nonnull (strstr (message, "UTF-8"));
  g_clear_pointer (&bytes, g_bytes_unref);
  g_clear_pointer (&message, g_free);

  /* JSON, not FHIR. */
  bytes = g_bytes_new_static ("[1, 2, 3]", 9);
  g_free (expect_refused (store, bytes, CR_FHIR_ERROR_NOT_FHIR));
  g_clear_pointer (&bytes, g_bytes_unref);
  {
    static const char history[] = "{\"resourceType\": \"Bundle\", \"type\": \"history\", \"entry\": []}";

    bytes = g_bytes_new_static (history, strlen (history));
  }
  g_free (expect_refused (store, bytes, CR_FHIR_ERROR_UNSUPPORTED));
  g_clear_pointer (&bytes, g_bytes_unref);

  /* The real bundle, spoiled one way at a time. Each names the entry, and
   * nothing of the entries before it is imported. */
  /* A wrong resourceType in the last entry. */
  root = parse_root (text);
  i = json_array_get_length (json_object_get_array_member (json_node_get_object (root), "entry")) - 1;
  json_object_set_string_member (entry_resource (root, i), "resourceType", "Observatoin");
  bytes = bundle_bytes (root);
  message = expect_refused (store, bytes, CR_FHIR_ERROR_NOT_FHIR);
  {
    g_autofree char *where = g_strdup_printf ("Entry %u (", i);
    g_assert_nonnull (strstr (message, where));
    g_assert_nonnull (strstr (message, "Observatoin"));
  }
  json_node_unref (root);
  g_clear_pointer (&bytes, g_bytes_unref);
  g_clear_pointer (&message, g_free);

  /* An encounter without its start date. */
  root = parse_root (text);
  i = find_entry_of_type (root, "Encounter", TRUE);
  json_object_remove_member (entry_resource (root, i), "period");
  bytes = bundle_bytes (root);
  message = expect_refused (store, bytes, CR_FHIR_ERROR_INVALID);
  g_assert_nonnull (strstr (message, "start date"));
  g_assert_nonnull (strstr (message, json_object_get_string_member (entry_resource (root, i), "id")));
  json_node_unref (root);
  g_clear_pointer (&bytes, g_bytes_unref);
  g_clear_pointer (&message, g_free);

  /* An observation pointing at an encounter that is nowhere. */
  root = parse_root (text);
  i = find_entry_of_type (root, "Observation", TRUE);
  json_object_set_string_member (json_object_get_object_member (entry_resource (root, i), "encounter"),
                                 "reference", "urn:uuid:00000000-0000-4000-8000-000000000000");
  bytes = bundle_bytes (root);
  message = expect_refused (store, bytes, CR_FHIR_ERROR_MISSING_REFERENCE);
  g_assert_nonnull (strstr (message, "00000000-0000-4000-8000-000000000000"));
  json_node_unref (root);
  g_clear_pointer (&bytes, g_bytes_unref);
  g_clear_pointer (&message, g_free);

  /* The patient left out: every resource points at nobody. */
  root = parse_root (text);
  json_array_remove_element (json_object_get_array_member (json_node_get_object (root), "entry"),
                             find_entry_of_type (root, "Patient", FALSE));
  bytes = bundle_bytes (root);
  message = expect_refused (store, bytes, CR_FHIR_ERROR_MISSING_REFERENCE);
  g_assert_nonnull (strstr (message, "subject"));
  json_node_unref (root);
  g_clear_pointer (&bytes, g_bytes_unref);
  g_clear_pointer (&message, g_free);

  /* An observation with neither a date nor an encounter. */
  root = parse_root (text);
  i = find_entry_of_type (root, "Observation", TRUE);
  resource = entry_resource (root, i);
  json_object_remove_member (resource, "effectiveDateTime");
  json_object_remove_member (resource, "encounter");
  bytes = bundle_bytes (root);
  message = expect_refused (store, bytes, CR_FHIR_ERROR_INVALID);
  g_assert_nonnull (strstr (message, "no effective date"));
  json_node_unref (root);
  g_clear_pointer (&bytes, g_bytes_unref);
  g_clear_pointer (&message, g_free);

  /* Cancelled: nothing imported. */
  {
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();

    before = dup_counts (store);
    g_cancellable_cancel (cancellable);
    bytes = g_bytes_new_static (text, strlen (text));
    g_assert_false (cr_store_import_fhir_bytes (store, bytes, CR_FHIR_IMPORT_DEFAULT, NULL, NULL,
                                                cancellable, &summary, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_clear_error (&error);
    after = dup_counts (store);
    g_assert_cmpstr (after, ==, before);
    g_clear_pointer (&bytes, g_bytes_unref);
    g_clear_pointer (&before, g_free);
    g_clear_pointer (&after, g_free);
  }

  /* 100 MB: refused before it is read (a sparse file costs no disk). */
  big_path = g_build_filename (fixture->dir, "huge.json", NULL);
  fd = g_open (big_path, O_CREAT | O_WRONLY, 0600);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (ftruncate (fd, 100 * 1024 * 1024), ==, 0);
  close (fd);
  before = dup_counts (store);
  g_assert_false (cr_store_import_fhir (store, big_path, CR_FHIR_IMPORT_DEFAULT, NULL, NULL, NULL,
                                        &summary, &error));
  g_assert_error (error, CR_FHIR_ERROR, CR_FHIR_ERROR_TOO_LARGE);
  g_assert_nonnull (strstr (error->message, "100 MB"));
  g_assert_nonnull (strstr (error->message, "32 MB"));
  g_clear_error (&error);
  after = dup_counts (store);
  g_assert_cmpstr (after, ==, before);
  g_clear_pointer (&before, g_free);
  g_clear_pointer (&after, g_free);

  /* An unknown code system is no error: kept with its URI. */
  root = parse_root (text);
  i = find_entry_of_type (root, "Condition", FALSE);
  resource = entry_resource (root, i);
  json_object_set_string_member (json_array_get_object_element (
                                   json_object_get_array_member (
                                     json_object_get_object_member (resource, "code"), "coding"), 0),
                                 "system", "http://example.org/clinic-codes");
  bytes = bundle_bytes (root);
  g_assert_true (cr_store_import_fhir_bytes (store, bytes, CR_FHIR_IMPORT_DEFAULT, NULL, NULL, NULL,
                                             &summary, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (summary.patients, ==, 1);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM problems WHERE"
                                     " system = 'http://example.org/clinic-codes'"), ==, 1);
  json_node_unref (root);
  g_clear_pointer (&bytes, g_bytes_unref);
}

/* Several files: a bad one is reported, the others are imported. */
static void
files_done (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  GPtrArray **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = cr_store_import_fhir_files_finish (CR_STORE (source), result, &error);
  g_assert_no_error (error);
}

static void
test_many_files (StoreFixture  *fixture,
                 gconstpointer  data)
{
  g_autoptr(GPtrArray) paths = list_bundles ();
  g_autoptr(GPtrArray) results = NULL;
  g_autofree char *bad = NULL;
  g_autoptr(GError) error = NULL;
  const char *files[4];
  CrFhirFileResult *result;

  if (paths == NULL)
    return;
  bad = g_build_filename (fixture->dir, "bad.json", NULL);
  g_file_set_contents (bad, "{\"resourceType\": \"Bundle\", \"type\": \"collection\", \"entry\": [",
                       -1, &error);
  g_assert_no_error (error);
  files[0] = g_ptr_array_index (paths, 0);
  files[1] = bad;
  files[2] = g_ptr_array_index (paths, 1);
  files[3] = NULL;

  cr_store_import_fhir_files_async (fixture->store, files, CR_FHIR_IMPORT_DEFAULT, NULL, NULL,
                                    NULL, files_done, &results);
  while (results == NULL)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpuint (results->len, ==, 3);
  result = g_ptr_array_index (results, 0);
  g_assert_no_error (result->error);
  g_assert_cmpuint (result->summary.patients, ==, 1);
  result = g_ptr_array_index (results, 1);
  g_assert_error (result->error, CR_FHIR_ERROR, CR_FHIR_ERROR_PARSE);
  g_assert_cmpstr (result->path, ==, bad);
  result = g_ptr_array_index (results, 2);
  g_assert_no_error (result->error);
  g_assert_cmpuint (result->summary.patients, ==, 1);
  g_assert_cmpint (query_int (fixture->store, "SELECT count(*) FROM patients"), ==, 2);
}

static void
test_export_unknown_patient (StoreFixture  *fixture,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = cr_store_export_fhir_patient (fixture->store, 12345, &error);

  g_assert_null (bytes);
  g_assert_error (error, CR_STORE_ERROR, CR_STORE_ERROR_NOT_FOUND);
  g_assert_cmpint (query_int (fixture->store, "SELECT count(*) FROM audit WHERE action = 'export'"),
                   ==, 0);
}

/* A native patient's record, with what only Chartroom's extensions carry,
 * comes back whole from its own export. */
static void
test_native_round_trip (StoreFixture  *fixture,
                        gconstpointer  data)
{
  g_autoptr(CrPatient) patient = cr_patient_new ();
  g_autoptr(CrVisit) visit = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bundle = NULL;
  g_autoptr(CrKey) other_key = NULL;
  g_autoptr(CrStore) other = NULL;
  g_autofree char *other_path = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *fhir_id = NULL;
  g_auto(CrFhirImportSummary) summary = { 0 };
  CrPrescriptionInfo info = { 0 };
  gint64 id;

  cr_patient_set_family_name (patient, "Lindqvist");
  cr_patient_set_given_names (patient, "Åsa Maria");
  cr_patient_set_birth_date (patient, "1971-02-03");
  cr_patient_set_sex (patient, CR_SEX_FEMALE);
  cr_patient_set_phone (patient, "(555) 010-2030");
  cr_patient_set_address (patient, "12 Elm Street\nSpringfield");
  g_assert_true (cr_store_add_patient (fixture->store, patient, FALSE, &error));
  g_assert_no_error (error);
  id = cr_patient_get_id (patient);

  visit = cr_visit_new (id);
  cr_visit_set_started_at (visit, "2024-03-05T09:30");
  cr_visit_set_chief_complaint (visit, "Headache for three days");
  cr_visit_set_subjective (visit, "Worse in the morning.");
  cr_visit_set_assessment (visit, "Tension-type headache");
  cr_visit_set_plan (visit, "Ibuprofen; review in two weeks.");
  cr_visit_set_blood_pressure (visit, 128, 82);
  cr_visit_set_temperature_c (visit, 36.8);
  g_assert_true (cr_store_create_visit (fixture->store, visit, &error));
  g_assert_no_error (error);
  cr_store_add_diagnosis (fixture->store, cr_visit_get_id (visit), CR_SYSTEM_ICD10CM, "G44209",
                          "Tension-type headache, unspecified, not intractable", TRUE, &error);
  g_assert_no_error (error);
  info.drug = "Ibuprofen";
  info.strength = "400 mg";
  info.form = "tablet";
  info.dose = "1 tablet";
  info.frequency = "three times a day";
  info.duration = "5 days";
  info.quantity = "15";
  info.instructions = "With food.";
  cr_store_add_prescription (fixture->store, id, cr_visit_get_id (visit), &info, &error);
  g_assert_no_error (error);
  g_assert_true (cr_store_sign_visit (fixture->store, visit, &error));
  g_assert_no_error (error);
  cr_store_add_problem (fixture->store, id, CR_SYSTEM_ICD10CM, "I10", "Essential (primary) hypertension",
                        "2019-06-01", TRUE, &error);
  g_assert_no_error (error);
  cr_store_add_allergy (fixture->store, id, "Penicillin", "Hives; wheezing",
                        CR_ALLERGY_SEVERITY_SEVERE, &error);
  g_assert_no_error (error);

  bundle = cr_store_export_fhir_patient (fixture->store, id, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (g_bytes_get_data (bundle, NULL), "\"G44.209\""));

  other_path = g_build_filename (fixture->dir, "other.chartroom", NULL);
  other_key = cr_key_new_random (&error);
  other = cr_store_create (other_path, other_key, "Other Practice", &error);
  g_assert_no_error (error);
  cr_fhir_import_summary_init (&summary);
  g_assert_true (cr_store_import_fhir_bytes (other, bundle, CR_FHIR_IMPORT_DEFAULT, NULL, NULL,
                                             NULL, &summary, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (summary.patients, ==, 1);
  g_assert_cmpuint (summary.vital_signs, ==, 2);

  /* The same, but for who signed: an imported note is signed "imported". */
  before = dump_patient (fixture->store, id);
  {
    g_autoptr(JsonParser) parser = json_parser_new ();

    json_parser_load_from_data (parser, g_bytes_get_data (bundle, NULL), g_bytes_get_size (bundle),
                                &error);
    g_assert_no_error (error);
    fhir_id = g_strdup (json_object_get_string_member (entry_resource (json_parser_get_root (parser), 0),
                                                       "id"));
  }
  after = dump_patient (other, patient_for_resource (other, fhir_id));
  {
    g_autofree char *signer = g_strdup_printf ("|signed|%s|", cr_store_get_user (fixture->store));
    g_autoptr(GString) expected = g_string_new (before);

    g_string_replace (expected, signer, "|signed|imported|", 0);
    g_assert_cmpstr (after, ==, expected->str);
  }

  /* Importing its own export back changes nothing: the record number
   * identifies the patient. */
  g_clear_pointer (&before, g_free);
  before = dup_counts (fixture->store);
  g_assert_true (cr_store_import_fhir_bytes (fixture->store, bundle, CR_FHIR_IMPORT_DEFAULT, NULL,
                                             NULL, NULL, &summary, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (summary.patients, ==, 0);
  g_assert_cmpuint (query_int (fixture->store, "SELECT count(*) FROM patients"), ==, 1);
  g_assert_finalize_object (g_steal_pointer (&other));
}

static void
test_migration (void)
{
  g_autofree char *dir = test_make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "v3.chartroom", NULL);
  g_autoptr(CrKey) key = cr_key_new_random (NULL);
  g_autoptr(GError) error = NULL;
  CrStore *store;

  g_assert_cmpint (cr_schema_get_current_version (), >=, 4);
  store = _cr_store_create_at_version (path, key, 3, &error);
  g_assert_no_error (error);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM sqlite_master WHERE name = 'results'"), ==, 0);
  g_assert_finalize_object (store);

  store = cr_store_open (path, key, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cr_store_get_schema_version (store), ==, cr_schema_get_current_version ());
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM sqlite_master WHERE name IN"
                                     " ('results', 'external_ids')"), ==, 2);
  g_assert_finalize_object (store);
  test_remove_tree (dir);
}

int
main (int    argc,
      char **argv)
{
  /* Visit times are local: pin the zone so the dates read as in the files. */
  g_setenv ("TZ", "UTC", TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/core/fhir/synthea", StoreFixture, NULL,
              store_fixture_setup, test_synthea, store_fixture_teardown);
  g_test_add ("/core/fhir/bad-input", StoreFixture, NULL,
              store_fixture_setup, test_bad_input, store_fixture_teardown);
  g_test_add ("/core/fhir/many-files", StoreFixture, NULL,
              store_fixture_setup, test_many_files, store_fixture_teardown);
  g_test_add ("/core/fhir/export-unknown-patient", StoreFixture, NULL,
              store_fixture_setup, test_export_unknown_patient, store_fixture_teardown);
  g_test_add ("/core/fhir/native-round-trip", StoreFixture, NULL,
              store_fixture_setup, test_native_round_trip, store_fixture_teardown);
  g_test_add_func ("/core/fhir/migration", test_migration);

  return g_test_run ();
}
