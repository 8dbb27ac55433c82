/* cr-fhir-import.c: FHIR R4 records into the chart
 *
 * A bundle is read whole (json-glib), checked entry by entry, and written in
 * one transaction with one audit entry, so that a bad entry leaves nothing
 * behind. Entries are mapped in dependency order: patients, then
 * encounters with the vital signs their Observations carry (a signed visit
 * is written once, complete), then everything that points at them.
 *
 * Choices worth knowing:
 * - Visit times are kept as the practice's local time ("YYYY-MM-DDTHH:MM:SS");
 *   partial dates ("2019-03") become the first day they can mean.
 * - Vitals are stored in the visit in the chart's units: blood pressure,
 *   pulse, respiratory rate and SpO2 as whole numbers, rounded. A vital
 *   that cannot go into its visit (no encounter, the encounter imported
 *   earlier, a second reading of the same kind, an unknown unit, entered
 *   in error) is kept as a result instead.
 * - Body temperature is LOINC 8310-5 or 8331-1 (oral); the blood pressure
 *   panel is 85354-9 or the older 55284-4 that Synthea writes.
 * - A problem is chronic when its code is a known chronic condition
 *   (hypertension, diabetes, asthma, COPD, chronic kidney disease…) or when
 *   it was still active a year after its onset.
 * - A MedicationRequest stopped, completed or cancelled without a date
 *   (Synthea gives none) is recorded as stopped on its start date.
 * - A Patient whose identifier was imported before, with the same birth
 *   date, is the same patient: the new resource is linked to it, and its
 *   demographics are left as they are.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cr-fhir-import"

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-glib/json-glib.h>

#include "cr-audit.h"
#include "cr-fhir-import.h"
#include "cr-fhir-private.h"
#include "cr-store-private.h"

G_DEFINE_QUARK (cr-fhir-error-quark, cr_fhir_error)

static const char * const r4_resource_types[] = {
  "Account", "ActivityDefinition", "AdverseEvent", "AllergyIntolerance",
  "Appointment", "AppointmentResponse", "AuditEvent", "Basic", "Binary",
  "BiologicallyDerivedProduct", "BodyStructure", "Bundle",
  "CapabilityStatement", "CarePlan", "CareTeam", "CatalogEntry", "ChargeItem",
  "ChargeItemDefinition", "Claim", "ClaimResponse", "ClinicalImpression",
  "CodeSystem", "Communication", "CommunicationRequest",
  "CompartmentDefinition", "Composition", "ConceptMap", "Condition", "Consent",
  "Contract", "Coverage", "CoverageEligibilityRequest",
  "CoverageEligibilityResponse", "DetectedIssue", "Device", "DeviceDefinition",
  "DeviceMetric", "DeviceRequest", "DeviceUseStatement", "DiagnosticReport",
  "DocumentManifest", "DocumentReference", "EffectEvidenceSynthesis",
  "Encounter", "Endpoint", "EnrollmentRequest", "EnrollmentResponse",
  "EpisodeOfCare", "EventDefinition", "Evidence", "EvidenceVariable",
  "ExampleScenario", "ExplanationOfBenefit", "FamilyMemberHistory", "Flag",
  "Goal", "GraphDefinition", "Group", "GuidanceResponse", "HealthcareService",
  "ImagingStudy", "Immunization", "ImmunizationEvaluation",
  "ImmunizationRecommendation", "ImplementationGuide", "InsurancePlan",
  "Invoice", "Library", "Linkage", "List", "Location", "Measure",
  "MeasureReport", "Media", "Medication", "MedicationAdministration",
  "MedicationDispense", "MedicationKnowledge", "MedicationRequest",
  "MedicationStatement", "MedicinalProduct", "MedicinalProductAuthorization",
  "MedicinalProductContraindication", "MedicinalProductIndication",
  "MedicinalProductIngredient", "MedicinalProductInteraction",
  "MedicinalProductManufactured", "MedicinalProductPackaged",
  "MedicinalProductPharmaceutical", "MedicinalProductUndesirableEffect",
  "MessageDefinition", "MessageHeader", "MolecularSequence", "NamingSystem",
  "NutritionOrder", "Observation", "ObservationDefinition",
  "OperationDefinition", "OperationOutcome", "Organization",
  "OrganizationAffiliation", "Parameters", "Patient", "PaymentNotice",
  "PaymentReconciliation", "Person", "PlanDefinition", "Practitioner",
  "PractitionerRole", "Procedure", "Provenance", "Questionnaire",
  "QuestionnaireResponse", "RelatedPerson", "RequestGroup",
  "ResearchDefinition", "ResearchElementDefinition", "ResearchStudy",
  "ResearchSubject", "RiskAssessment", "RiskEvidenceSynthesis", "Schedule",
  "SearchParameter", "ServiceRequest", "Slot", "Specimen",
  "SpecimenDefinition", "StructureDefinition", "StructureMap", "Subscription",
  "Substance", "SubstanceNucleicAcid", "SubstancePolymer", "SubstanceProtein",
  "SubstanceReferenceInformation", "SubstanceSourceMaterial",
  "SubstanceSpecification", "SupplyDelivery", "SupplyRequest", "Task",
  "TerminologyCapabilities", "TestReport", "TestScript", "ValueSet",
  "VerificationResult", "VisionPrescription",
};

/* ---- shared with the export ------------------------------------------------ */

static const struct
{
  const char  *loinc;
  CrFhirVital  vital;
} vital_codes[] = {
  { "85354-9", CR_FHIR_VITAL_BP },
  { "55284-4", CR_FHIR_VITAL_BP },
  { "8480-6", CR_FHIR_VITAL_SYSTOLIC },
  { "8462-4", CR_FHIR_VITAL_DIASTOLIC },
  { "8867-4", CR_FHIR_VITAL_PULSE },
  { "9279-1", CR_FHIR_VITAL_RESPIRATORY_RATE },
  { "8310-5", CR_FHIR_VITAL_TEMPERATURE },
  { "8331-1", CR_FHIR_VITAL_TEMPERATURE },
  { "29463-7", CR_FHIR_VITAL_WEIGHT },
  { "8302-2", CR_FHIR_VITAL_HEIGHT },
  { "2708-6", CR_FHIR_VITAL_SPO2 },
  { "59408-5", CR_FHIR_VITAL_SPO2 },
};

CrFhirVital
_cr_fhir_vital_from_loinc (const char *code)
{
  if (code == NULL)
    return CR_FHIR_VITAL_NONE;
  for (guint i = 0; i < G_N_ELEMENTS (vital_codes); i++)
    if (g_str_equal (code, vital_codes[i].loinc))
      return vital_codes[i].vital;
  return CR_FHIR_VITAL_NONE;
}

const char *
_cr_fhir_vital_field (CrFhirVital vital)
{
  switch (vital)
    {
    case CR_FHIR_VITAL_BP: return "bp";
    case CR_FHIR_VITAL_SYSTOLIC: return "bp_systolic";
    case CR_FHIR_VITAL_DIASTOLIC: return "bp_diastolic";
    case CR_FHIR_VITAL_PULSE: return "pulse";
    case CR_FHIR_VITAL_RESPIRATORY_RATE: return "respiratory_rate";
    case CR_FHIR_VITAL_TEMPERATURE: return "temperature_c";
    case CR_FHIR_VITAL_WEIGHT: return "weight_kg";
    case CR_FHIR_VITAL_HEIGHT: return "height_cm";
    case CR_FHIR_VITAL_SPO2: return "spo2";
    case CR_FHIR_VITAL_NONE:
    default:
      return "";
    }
}

static const struct
{
  const char *uri;
  const char *system;
} code_systems[] = {
  { "http://snomed.info/sct", "snomed" },
  { "http://hl7.org/fhir/sid/icd-10-cm", "icd10cm" },
  { "http://www.nlm.nih.gov/research/umls/rxnorm", "rxnorm" },
  { "http://loinc.org", "loinc" },
};

const char *
_cr_fhir_system_from_uri (const char *uri)
{
  if (uri == NULL)
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (code_systems); i++)
    if (g_str_equal (uri, code_systems[i].uri))
      return code_systems[i].system;
  return uri;
}

const char *
_cr_fhir_system_to_uri (const char *system)
{
  if (system == NULL)
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (code_systems); i++)
    if (g_str_equal (system, code_systems[i].system))
      return code_systems[i].uri;
  return system;
}

char *
_cr_fhir_dup_practice_system (CrStore  *store,
                              gboolean  create,
                              GError  **error)
{
  g_autofree char *uuid = _cr_store_dup_meta (store, "fhir-practice-uuid");

  if (uuid == NULL && create)
    {
      uuid = g_uuid_string_random ();
      if (!_cr_store_set_meta (store, "fhir-practice-uuid", uuid, error))
        return NULL;
    }
  if (uuid == NULL)
    return NULL;
  return g_strconcat ("urn:uuid:", uuid, NULL);
}

/* ---- summaries --------------------------------------------------------------- */

void
cr_fhir_import_summary_init (CrFhirImportSummary *summary)
{
  g_return_if_fail (summary != NULL);

  memset (summary, 0, sizeof *summary);
  summary->skipped = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

void
cr_fhir_import_summary_clear (CrFhirImportSummary *summary)
{
  g_return_if_fail (summary != NULL);

  g_clear_pointer (&summary->skipped, g_hash_table_unref);
  memset (summary, 0, sizeof *summary);
}

static void
summary_reset (CrFhirImportSummary *summary)
{
  GHashTable *skipped = summary->skipped;

  memset (summary, 0, sizeof *summary);
  summary->skipped = skipped;
  if (skipped != NULL)
    g_hash_table_remove_all (skipped);
}

guint
cr_fhir_import_summary_get_total (const CrFhirImportSummary *summary)
{
  return summary->patients + summary->encounters + summary->conditions +
         summary->medication_requests + summary->observations + summary->allergies +
         summary->documents;
}

guint
cr_fhir_import_summary_get_n_skipped (const CrFhirImportSummary *summary)
{
  GHashTableIter iter;
  gpointer value;
  guint n = 0;

  if (summary->skipped == NULL)
    return 0;
  g_hash_table_iter_init (&iter, summary->skipped);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    n += GPOINTER_TO_UINT (value);
  return n;
}

static int
compare_strings (const void *a,
                 const void *b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

char *
cr_fhir_import_summary_format_skipped (const CrFhirImportSummary *summary)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree gpointer *keys = NULL;
  guint n_keys = 0;

  if (summary->skipped == NULL)
    return g_strdup ("");
  keys = g_hash_table_get_keys_as_array (summary->skipped, &n_keys);
  qsort (keys, n_keys, sizeof (gpointer), compare_strings);
  for (guint i = 0; i < n_keys; i++)
    g_string_append_printf (text, "%s%s %u", i > 0 ? ", " : "", (const char *) keys[i],
                            GPOINTER_TO_UINT (g_hash_table_lookup (summary->skipped, keys[i])));
  return g_string_free (g_steal_pointer (&text), FALSE);
}

void
cr_fhir_file_result_free (CrFhirFileResult *result)
{
  if (result == NULL)
    return;
  g_free (result->path);
  cr_fhir_import_summary_clear (&result->summary);
  g_clear_error (&result->error);
  g_free (result);
}

/* ---- reading JSON safely: wrong types are treated as absent ------------------ */

static const char *
obj_str (JsonObject *obj,
         const char *member)
{
  JsonNode *node;

  if (obj == NULL || (node = json_object_get_member (obj, member)) == NULL ||
      !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* A non-empty string, with surrounding space removed. */
static char *
obj_dup_text (JsonObject *obj,
              const char *member)
{
  const char *s = obj_str (obj, member);
  char *text;

  if (s == NULL)
    return NULL;
  text = g_strstrip (g_strdup (s));
  if (*text == '\0')
    g_clear_pointer (&text, g_free);
  return text;
}

static JsonObject *
obj_obj (JsonObject *obj,
         const char *member)
{
  JsonNode *node;

  if (obj == NULL || (node = json_object_get_member (obj, member)) == NULL ||
      !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return json_node_get_object (node);
}

static JsonArray *
obj_arr (JsonObject *obj,
         const char *member)
{
  JsonNode *node;

  if (obj == NULL || (node = json_object_get_member (obj, member)) == NULL ||
      !JSON_NODE_HOLDS_ARRAY (node))
    return NULL;
  return json_node_get_array (node);
}

static guint
arr_len (JsonArray *arr)
{
  return arr ? json_array_get_length (arr) : 0;
}

static JsonObject *
arr_obj (JsonArray *arr,
         guint      i)
{
  JsonNode *node;

  if (arr == NULL || i >= json_array_get_length (arr))
    return NULL;
  node = json_array_get_element (arr, i);
  return JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static const char *
arr_str (JsonArray *arr,
         guint      i)
{
  JsonNode *node;

  if (arr == NULL || i >= json_array_get_length (arr))
    return NULL;
  node = json_array_get_element (arr, i);
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gboolean
obj_num (JsonObject *obj,
         const char *member,
         double     *out)
{
  JsonNode *node;
  GType type;

  if (obj == NULL || (node = json_object_get_member (obj, member)) == NULL ||
      !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  type = json_node_get_value_type (node);
  if (type != G_TYPE_INT64 && type != G_TYPE_DOUBLE)
    return FALSE;
  *out = json_node_get_double (node);
  return isfinite (*out);
}

static gboolean
obj_bool (JsonObject *obj,
          const char *member,
          gboolean   *out)
{
  JsonNode *node;

  if (obj == NULL || (node = json_object_get_member (obj, member)) == NULL ||
      !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return FALSE;
  *out = json_node_get_boolean (node);
  return TRUE;
}

/* Chartroom's own extension, as a string. */
static char *
dup_extension_text (JsonObject *resource,
                    const char *name)
{
  JsonArray *extensions = obj_arr (resource, "extension");
  g_autofree char *url = g_strconcat (CR_FHIR_EXTENSION_BASE, name, NULL);

  for (guint i = 0; i < arr_len (extensions); i++)
    {
      JsonObject *ext = arr_obj (extensions, i);

      if (g_strcmp0 (obj_str (ext, "url"), url) == 0)
        return g_strdup (obj_str (ext, "valueString"));
    }
  return NULL;
}

static gboolean
get_extension_bool (JsonObject *resource,
                    const char *name,
                    gboolean   *out)
{
  JsonArray *extensions = obj_arr (resource, "extension");
  g_autofree char *url = g_strconcat (CR_FHIR_EXTENSION_BASE, name, NULL);

  for (guint i = 0; i < arr_len (extensions); i++)
    {
      JsonObject *ext = arr_obj (extensions, i);

      if (g_strcmp0 (obj_str (ext, "url"), url) == 0)
        return obj_bool (ext, "valueBoolean", out);
    }
  return FALSE;
}

static gboolean
is_r4_resource_type (const char *type)
{
  return type != NULL &&
         bsearch (&type, r4_resource_types, G_N_ELEMENTS (r4_resource_types),
                  sizeof (char *), compare_strings) != NULL;
}

/* ---- codes ------------------------------------------------------------------- */

typedef struct
{
  char *system;   /* as stored: 'snomed', 'icd10cm'…, a URI, or 'text' */
  char *code;
  char *display;
} Coded;

static void
coded_clear (Coded *coded)
{
  g_clear_pointer (&coded->system, g_free);
  g_clear_pointer (&coded->code, g_free);
  g_clear_pointer (&coded->display, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Coded, coded_clear)

static int
system_rank (const char *uri)
{
  const char *system = _cr_fhir_system_from_uri (uri);

  if (g_strcmp0 (system, "icd10cm") == 0)
    return 0;
  if (system != uri)
    return 1;
  return 2;
}

/* The coding to keep from a CodeableConcept: ICD-10-CM first, then the
 * systems the chart knows, then the first one. ICD-10-CM codes are kept
 * without their dot, as the code set stores them. Text alone gives a
 * free-text value. FALSE when there is nothing at all. */
static gboolean
coded_from_concept (JsonObject *concept,
                    Coded      *out)
{
  JsonArray *codings = obj_arr (concept, "coding");
  JsonObject *best = NULL;
  int best_rank = G_MAXINT;
  g_autofree char *text = obj_dup_text (concept, "text");

  memset (out, 0, sizeof *out);
  for (guint i = 0; i < arr_len (codings); i++)
    {
      JsonObject *coding = arr_obj (codings, i);
      int rank;

      if (obj_str (coding, "code") == NULL || obj_str (coding, "system") == NULL)
        continue;
      rank = system_rank (obj_str (coding, "system"));
      if (rank < best_rank)
        {
          best = coding;
          best_rank = rank;
        }
    }

  if (best != NULL)
    {
      const char *system = _cr_fhir_system_from_uri (obj_str (best, "system"));
      g_autofree char *display = obj_dup_text (best, "display");

      out->system = g_strdup (system);
      out->code = g_strdup (obj_str (best, "code"));
      if (g_str_equal (system, "icd10cm"))
        {
          char *dot = strchr (out->code, '.');
          if (dot != NULL)
            memmove (dot, dot + 1, strlen (dot));
        }
      out->display = g_strdup (display ? display : text ? text : out->code);
      return TRUE;
    }
  if (text != NULL)
    {
      out->system = g_strdup ("text");
      out->display = g_steal_pointer (&text);
      return TRUE;
    }
  return FALSE;
}

static const char *
concept_first_code (JsonObject *concept,
                    const char *system_uri)
{
  JsonArray *codings = obj_arr (concept, "coding");

  for (guint i = 0; i < arr_len (codings); i++)
    {
      JsonObject *coding = arr_obj (codings, i);

      if (system_uri == NULL || g_strcmp0 (obj_str (coding, "system"), system_uri) == 0)
        if (obj_str (coding, "code") != NULL)
          return obj_str (coding, "code");
    }
  return NULL;
}

/* A concept's words: its text, or its first coding's display. */
static char *
concept_dup_text (JsonObject *concept)
{
  g_autofree char *text = obj_dup_text (concept, "text");
  JsonArray *codings = obj_arr (concept, "coding");

  if (text != NULL)
    return g_steal_pointer (&text);
  for (guint i = 0; i < arr_len (codings); i++)
    {
      char *display = obj_dup_text (arr_obj (codings, i), "display");
      if (display != NULL)
        return display;
    }
  return NULL;
}

/* ---- dates -------------------------------------------------------------------- */

/* FHIR date or dateTime → the chart's local "YYYY-MM-DD[THH:MM:SS]"; a
 * partial date becomes its first day. NULL when it is no date. */
static char *
dup_local_datetime (const char *value,
                    gboolean    date_only)
{
  int y = 0, m = 1, d = 1;
  size_t len;

  if (value == NULL)
    return NULL;
  len = strlen (value);

  if (len > 10 && value[10] == 'T')
    {
      g_autoptr(GDateTime) utc = g_date_time_new_from_iso8601 (value, NULL);
      g_autoptr(GDateTime) local = NULL;

      if (utc == NULL)
        return NULL;
      local = g_date_time_to_local (utc);
      if (date_only)
        return g_date_time_format (local, "%Y-%m-%d");
      /* As the chart writes times: seconds only when there are some. */
      if (g_date_time_get_second (local) == 0 && g_date_time_get_microsecond (local) == 0)
        return g_date_time_format (local, "%Y-%m-%dT%H:%M");
      return g_date_time_format (local, "%Y-%m-%dT%H:%M:%S");
    }

  if ((len != 4 && len != 7 && len != 10) ||
      !g_ascii_isdigit (value[0]) || !g_ascii_isdigit (value[1]) ||
      !g_ascii_isdigit (value[2]) || !g_ascii_isdigit (value[3]))
    return NULL;
  y = atoi (value);
  if (len >= 7)
    {
      if (value[4] != '-' || !g_ascii_isdigit (value[5]) || !g_ascii_isdigit (value[6]))
        return NULL;
      m = atoi (value + 5);
    }
  if (len == 10)
    {
      if (value[7] != '-' || !g_ascii_isdigit (value[8]) || !g_ascii_isdigit (value[9]))
        return NULL;
      d = atoi (value + 8);
    }
  if (y < 1 || m < 1 || m > 12 || d < 1 || !g_date_valid_dmy (d, m, y))
    return NULL;
  return g_strdup_printf ("%04d-%02d-%02d", y, m, d);
}

static char *
dup_local_date (const char *value)
{
  return dup_local_datetime (value, TRUE);
}

/* ---- the import ------------------------------------------------------------ */

typedef struct
{
  gboolean has_bp;
  double   systolic, diastolic;
  gboolean has_systolic, has_diastolic;
  gboolean has[CR_FHIR_VITAL_SPO2 + 1];
  double   value[CR_FHIR_VITAL_SPO2 + 1];
} Vitals;

typedef struct
{
  guint        index;
  const char  *full_url;
  const char  *type;
  const char  *id;          /* the resource's id, or its fullUrl */
  JsonObject  *resource;
  gint64       local_id;    /* patients.id or visits.id once known */
  gboolean     known;       /* imported before */
  gboolean     referenced;  /* Medication used by a request */
  Vitals      *vitals;      /* Encounter: vitals from its Observations */
  CrFhirVital  vital;       /* Observation: stored as this vital */
  gint64       vital_encounter; /* … of the Encounter at this index + 1 */
} Entry;

typedef struct
{
  CrStore             *store;
  const char          *user;
  char                *now;
  GDate                today;
  CrFhirImportSummary *summary;
  GArray              *entries;   /* Entry */
  GHashTable          *refs;      /* "urn:uuid:…", "Type/id", fullUrl → index + 1 */
  gint64               single_patient;
  gboolean             many_patients;
  const char          *bundle_id;
} Import;

static void
import_clear (Import *imp)
{
  for (guint i = 0; imp->entries && i < imp->entries->len; i++)
    g_free (g_array_index (imp->entries, Entry, i).vitals);
  g_clear_pointer (&imp->entries, g_array_unref);
  g_clear_pointer (&imp->refs, g_hash_table_unref);
  g_clear_pointer (&imp->now, g_free);
}

static gboolean G_GNUC_PRINTF (4, 5)
entry_error (Entry       *entry,
             GError     **error,
             CrFhirError  code,
             const char  *format,
             ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, CR_FHIR_ERROR, code, "Entry %u (%s %s): %s", entry->index,
               entry->type ? entry->type : "resource",
               entry->full_url ? entry->full_url : entry->id ? entry->id : "without id",
               message);
  return FALSE;
}

static void
prefix_entry (Entry   *entry,
              GError **error)
{
  g_prefix_error (error, "Entry %u (%s %s): ", entry->index, entry->type,
                  entry->full_url ? entry->full_url : entry->id ? entry->id : "without id");
}

static void
count_skipped (Import     *imp,
               const char *type)
{
  gpointer n = g_hash_table_lookup (imp->summary->skipped, type);

  g_hash_table_insert (imp->summary->skipped, g_strdup (type),
                       GUINT_TO_POINTER (GPOINTER_TO_UINT (n) + 1));
}

static gint64
last_id (Import *imp)
{
  return sqlite3_last_insert_rowid (_cr_store_get_db (imp->store));
}

/* external_ids */
static gboolean
lookup_external (Import      *imp,
                 const char  *type,
                 const char  *system,
                 const char  *value,
                 const char  *table,
                 gint64      *local_id,
                 GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  *local_id = 0;
  stmt = _cr_store_prepare (imp->store,
                            "SELECT local_id FROM external_ids WHERE resource_type = ?1"
                            " AND system = ?2 AND value = ?3"
                            " AND (?4 IS NULL OR local_table = ?4) ORDER BY id LIMIT 1",
                            error);
  if (stmt == NULL)
    return FALSE;
  _cr_bind_text (stmt, 1, type);
  _cr_bind_text (stmt, 2, system);
  _cr_bind_text (stmt, 3, value);
  _cr_bind_text (stmt, 4, table);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *local_id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return _cr_store_set_error (imp->store, rc, error);
  return TRUE;
}

static gboolean
remember (Import      *imp,
          const char  *type,
          const char  *system,
          const char  *value,
          const char  *table,
          gint64       local_id,
          const char  *field,
          gboolean     or_ignore,
          GError     **error)
{
  sqlite3_stmt *stmt;

  stmt = _cr_store_prepare (imp->store,
                            or_ignore
                            ? "INSERT OR IGNORE INTO external_ids (resource_type, system, value,"
                              " local_table, local_id, local_field, created_at, created_by)"
                              " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
                            : "INSERT INTO external_ids (resource_type, system, value,"
                              " local_table, local_id, local_field, created_at, created_by)"
                              " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                            error);
  if (stmt == NULL)
    return FALSE;
  _cr_bind_text (stmt, 1, type);
  _cr_bind_text (stmt, 2, system);
  _cr_bind_text (stmt, 3, value);
  _cr_bind_text (stmt, 4, table);
  sqlite3_bind_int64 (stmt, 5, local_id);
  _cr_bind_text (stmt, 6, field ? field : "");
  _cr_bind_text (stmt, 7, imp->now);
  _cr_bind_text (stmt, 8, imp->user);
  return _cr_store_step_done (imp->store, stmt, error);
}

static gboolean
remember_entry (Import      *imp,
                Entry       *entry,
                const char  *table,
                gint64       local_id,
                const char  *field,
                GError     **error)
{
  return remember (imp, entry->type, "", entry->id, table, local_id, field, FALSE, error);
}

/* Was this resource imported before? */
static gboolean
check_known (Import  *imp,
             Entry   *entry,
             GError **error)
{
  gint64 local_id;

  if (!lookup_external (imp, entry->type, "", entry->id, NULL, &local_id, error))
    return FALSE;
  entry->known = local_id != 0;
  return TRUE;
}

/* ---- references ---------------------------------------------------------- */

static Entry *
find_entry (Import     *imp,
            const char *reference)
{
  gpointer index;
  const char *slash;

  if (reference == NULL)
    return NULL;
  index = g_hash_table_lookup (imp->refs, reference);
  if (index == NULL && (g_str_has_prefix (reference, "http://") ||
                        g_str_has_prefix (reference, "https://")))
    {
      /* An absolute URL: its last "Type/id" */
      slash = strrchr (reference, '/');
      if (slash != NULL && slash > reference)
        {
          const char *p = slash - 1;
          while (p > reference && *p != '/')
            p--;
          if (*p == '/')
            index = g_hash_table_lookup (imp->refs, p + 1);
        }
    }
  if (index == NULL)
    return NULL;
  return &g_array_index (imp->entries, Entry, GPOINTER_TO_UINT (index) - 1);
}

/* A reference's id, to look up among earlier imports: "Type/id", an
 * absolute URL ending in it, or "urn:uuid:id". */
static const char *
reference_id (const char *reference,
              const char *type)
{
  g_autofree char *infix = g_strconcat (type, "/", NULL);
  const char *p;

  if (g_str_has_prefix (reference, "urn:uuid:"))
    return reference + strlen ("urn:uuid:");
  if (g_str_has_prefix (reference, infix))
    return reference + strlen (infix);
  p = g_strrstr (reference, infix);
  if (p != NULL && (p == reference || p[-1] == '/'))
    return p + strlen (infix);
  return NULL;
}

/* Resolve @reference_obj (a Reference) to a local row: a patient or a
 * visit. *local_id is 0 when the member is absent and !required. */
static gboolean
resolve_local (Import      *imp,
               Entry       *entry,
               JsonObject  *reference_obj,
               const char  *member,
               const char  *type,
               const char  *table,
               gboolean     required,
               gint64      *local_id,
               GError     **error)
{
  const char *reference = obj_str (reference_obj, "reference");
  JsonObject *identifier = obj_obj (reference_obj, "identifier");
  Entry *target;
  const char *id;

  *local_id = 0;
  if (reference == NULL && identifier != NULL &&
      obj_str (identifier, "system") && obj_str (identifier, "value"))
    {
      if (!lookup_external (imp, type, obj_str (identifier, "system"),
                            obj_str (identifier, "value"), table, local_id, error))
        return FALSE;
      if (*local_id == 0)
        return entry_error (entry, error, CR_FHIR_ERROR_MISSING_REFERENCE,
                            "its %s names the %s with identifier %s|%s, which is neither in "
                            "this bundle nor imported before", member, type,
                            obj_str (identifier, "system"), obj_str (identifier, "value"));
      return TRUE;
    }
  if (reference == NULL)
    {
      if (!required)
        return TRUE;
      return entry_error (entry, error, CR_FHIR_ERROR_INVALID, "it has no %s (%s)", member, type);
    }

  target = find_entry (imp, reference);
  if (target != NULL)
    {
      if (g_strcmp0 (target->type, type) != 0)
        return entry_error (entry, error, CR_FHIR_ERROR_INVALID,
                            "its %s “%s” is a %s, not a %s", member, reference,
                            target->type, type);
      if (target->local_id == 0)
        return entry_error (entry, error, CR_FHIR_ERROR_MISSING_REFERENCE,
                            "its %s “%s” could not be imported", member, reference);
      *local_id = target->local_id;
      return TRUE;
    }

  id = reference_id (reference, type);
  if (id != NULL && !lookup_external (imp, type, "", id, table, local_id, error))
    return FALSE;
  if (*local_id == 0)
    return entry_error (entry, error, CR_FHIR_ERROR_MISSING_REFERENCE,
                        "its %s “%s” is neither in this bundle nor imported before",
                        member, reference);
  return TRUE;
}

static gboolean
resolve_patient (Import      *imp,
                 Entry       *entry,
                 const char  *member,
                 gint64      *patient_id,
                 GError     **error)
{
  if (!resolve_local (imp, entry, obj_obj (entry->resource, member), member, "Patient",
                      "patients", TRUE, patient_id, error))
    return FALSE;
  if (imp->single_patient == 0)
    imp->single_patient = *patient_id;
  else if (imp->single_patient != *patient_id)
    imp->many_patients = TRUE;
  return TRUE;
}

/* The visit an entry belongs to, or 0. */
static gboolean
resolve_visit (Import      *imp,
               Entry       *entry,
               JsonObject  *reference_obj,
               gint64       patient_id,
               gint64      *visit_id,
               GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  if (!resolve_local (imp, entry, reference_obj, "encounter", "Encounter", "visits", FALSE,
                      visit_id, error))
    return FALSE;
  if (*visit_id == 0)
    return TRUE;

  stmt = _cr_store_prepare (imp->store, "SELECT patient_id FROM visits WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, *visit_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW && sqlite3_column_int64 (stmt, 0) != patient_id)
    {
      sqlite3_reset (stmt);
      return entry_error (entry, error, CR_FHIR_ERROR_INVALID,
                          "its encounter belongs to another patient");
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return _cr_store_set_error (imp->store, rc, error);
  return TRUE;
}

/* A person's name from a Practitioner (or the reference's display). */
static char *
dup_person_name (Import     *imp,
                 JsonObject *reference_obj)
{
  Entry *target = find_entry (imp, obj_str (reference_obj, "reference"));
  JsonObject *name;
  g_autoptr(GString) text = NULL;
  g_autofree char *display = obj_dup_text (reference_obj, "display");

  if (display != NULL)
    return g_steal_pointer (&display);
  if (target == NULL)
    return NULL;
  name = arr_obj (obj_arr (target->resource, "name"), 0);
  if (name == NULL)
    return NULL;
  if (obj_str (name, "text") != NULL)
    return obj_dup_text (name, "text");
  text = g_string_new (NULL);
  for (guint i = 0; i < arr_len (obj_arr (name, "prefix")); i++)
    g_string_append_printf (text, "%s ", arr_str (obj_arr (name, "prefix"), i));
  for (guint i = 0; i < arr_len (obj_arr (name, "given")); i++)
    g_string_append_printf (text, "%s ", arr_str (obj_arr (name, "given"), i));
  if (obj_str (name, "family") != NULL)
    g_string_append (text, obj_str (name, "family"));
  g_strstrip (text->str);
  if (text->str[0] == '\0')
    return NULL;
  return g_strdup (text->str);
}

/* ---- Patient ------------------------------------------------------------- */

static char *
next_record_number (Import  *imp,
                    GError **error)
{
  /* The same counter as cr-patients.c, so numbers stay one sequence. */
  g_autofree char *counter = _cr_store_dup_meta (imp->store, "next-record-number");
  gint64 next = counter ? g_ascii_strtoll (counter, NULL, 10) : 1;
  sqlite3_stmt *stmt;

  stmt = _cr_store_prepare (imp->store, "SELECT 1 FROM patients WHERE record_number = ?", error);
  if (stmt == NULL)
    return NULL;
  for (;;)
    {
      g_autofree char *candidate = g_strdup_printf ("P%06" G_GINT64_FORMAT, next);
      int rc;

      _cr_bind_text (stmt, 1, candidate);
      rc = sqlite3_step (stmt);
      sqlite3_reset (stmt);
      if (rc == SQLITE_DONE)
        {
          g_autofree char *bumped = g_strdup_printf ("%" G_GINT64_FORMAT, next + 1);

          if (!_cr_store_set_meta (imp->store, "next-record-number", bumped, error))
            return NULL;
          return g_steal_pointer (&candidate);
        }
      if (rc != SQLITE_ROW)
        {
          _cr_store_set_error (imp->store, rc, error);
          return NULL;
        }
      next++;
    }
}

static char *
dup_address (JsonObject *address)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *text = obj_dup_text (address, "text");
  g_autofree char *state_zip = NULL;
  JsonArray *lines = obj_arr (address, "line");

  if (address == NULL)
    return NULL;
  if (text != NULL)
    return g_steal_pointer (&text);
  for (guint i = 0; i < arr_len (lines); i++)
    if (arr_str (lines, i) != NULL && *arr_str (lines, i) != '\0')
      g_ptr_array_add (parts, g_strdup (arr_str (lines, i)));
  if (obj_str (address, "city") != NULL)
    g_ptr_array_add (parts, g_strdup (obj_str (address, "city")));
  state_zip = g_strstrip (g_strdup_printf ("%s %s",
                                           obj_str (address, "state") ? obj_str (address, "state") : "",
                                           obj_str (address, "postalCode") ? obj_str (address, "postalCode") : ""));
  if (*state_zip != '\0')
    g_ptr_array_add (parts, g_steal_pointer (&state_zip));
  if (obj_str (address, "country") != NULL)
    g_ptr_array_add (parts, g_strdup (obj_str (address, "country")));
  if (parts->len == 0)
    return NULL;
  g_ptr_array_add (parts, NULL);
  return g_strjoinv (", ", (char **) parts->pdata);
}

static char *
dup_phone_digits (const char *phone)
{
  GString *digits;

  if (phone == NULL)
    return NULL;
  digits = g_string_new (NULL);
  for (const char *p = phone; *p; p++)
    if (g_ascii_isdigit (*p))
      g_string_append_c (digits, *p);
  if (digits->len == 0)
    return (g_string_free (digits, TRUE), NULL);
  return g_string_free (digits, FALSE);
}

/* The official name, else the usual one, else the first. */
static JsonObject *
pick_name (JsonObject *resource)
{
  JsonArray *names = obj_arr (resource, "name");

  for (guint pass = 0; pass < 2; pass++)
    for (guint i = 0; i < arr_len (names); i++)
      if (g_strcmp0 (obj_str (arr_obj (names, i), "use"), pass == 0 ? "official" : "usual") == 0)
        return arr_obj (names, i);
  return arr_obj (names, 0);
}

/* A patient already here with one of these identifiers and birth date. */
static gboolean
match_patient (Import      *imp,
               Entry       *entry,
               const char  *birth_date,
               gint64      *patient_id,
               GError     **error)
{
  JsonArray *identifiers = obj_arr (entry->resource, "identifier");
  g_autofree char *own_system = _cr_fhir_dup_practice_system (imp->store, FALSE, NULL);
  sqlite3_stmt *stmt;

  *patient_id = 0;
  for (guint i = 0; i < arr_len (identifiers) && *patient_id == 0; i++)
    {
      JsonObject *identifier = arr_obj (identifiers, i);
      const char *system = obj_str (identifier, "system");
      const char *value = obj_str (identifier, "value");
      gint64 candidate = 0;
      int rc;

      if (system == NULL || value == NULL)
        continue;
      if (own_system != NULL && g_str_equal (system, own_system))
        {
          stmt = _cr_store_prepare (imp->store, "SELECT id FROM patients WHERE record_number = ?",
                                    error);
          if (stmt == NULL)
            return FALSE;
          _cr_bind_text (stmt, 1, value);
          rc = sqlite3_step (stmt);
          if (rc == SQLITE_ROW)
            candidate = sqlite3_column_int64 (stmt, 0);
          sqlite3_reset (stmt);
        }
      else if (!lookup_external (imp, "Patient", system, value, "patients", &candidate, error))
        return FALSE;
      if (candidate == 0)
        continue;

      stmt = _cr_store_prepare (imp->store,
                                "SELECT 1 FROM patients WHERE id = ?1 AND birth_date IS ?2", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, candidate);
      _cr_bind_text (stmt, 2, birth_date);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        *patient_id = candidate;
      sqlite3_reset (stmt);
    }
  return TRUE;
}

static gboolean
import_patient (Import  *imp,
                Entry   *entry,
                GError **error)
{
  JsonObject *r = entry->resource;
  JsonObject *name = pick_name (r);
  JsonArray *given = obj_arr (name, "given");
  JsonArray *telecom = obj_arr (r, "telecom");
  JsonArray *identifiers = obj_arr (r, "identifier");
  g_autofree char *family = obj_dup_text (name, "family");
  g_autofree char *given_names = NULL;
  g_autofree char *birth_date = NULL;
  g_autofree char *phone = NULL;
  g_autofree char *email = NULL;
  g_autofree char *address = dup_address (arr_obj (obj_arr (r, "address"), 0));
  g_autofree char *digits = NULL;
  g_autofree char *deceased_date = NULL;
  g_autofree char *record_number = NULL;
  g_autofree char *names = NULL;
  g_autoptr(GString) given_text = g_string_new (NULL);
  const char *gender = obj_str (r, "gender");
  const char *sex;
  gboolean deceased = FALSE, active = TRUE;
  gint64 existing, id;
  sqlite3_stmt *stmt;

  if (!lookup_external (imp, "Patient", "", entry->id, "patients", &existing, error))
    return FALSE;
  if (existing != 0)
    {
      entry->known = TRUE;
      entry->local_id = existing;
      imp->summary->unchanged++;
      return TRUE;
    }

  if (obj_str (r, "birthDate") != NULL)
    {
      birth_date = dup_local_date (obj_str (r, "birthDate"));
      if (birth_date == NULL)
        return entry_error (entry, error, CR_FHIR_ERROR_INVALID,
                            "its birthDate “%s” is not a date", obj_str (r, "birthDate"));
    }

  if (!match_patient (imp, entry, birth_date, &existing, error))
    return FALSE;
  if (existing != 0)
    {
      entry->local_id = existing;
      imp->summary->unchanged++;
      return remember_entry (imp, entry, "patients", existing, NULL, error);
    }

  for (guint i = 0; i < arr_len (given); i++)
    if (arr_str (given, i) != NULL)
      g_string_append_printf (given_text, "%s%s", given_text->len ? " " : "", arr_str (given, i));
  given_names = g_strstrip (g_strdup (given_text->str));
  if (family == NULL && name != NULL && obj_str (name, "text") != NULL)
    {
      /* Only "text": the last word is the family name. */
      g_autofree char *text = obj_dup_text (name, "text");
      char *space = text ? strrchr (text, ' ') : NULL;

      if (space != NULL)
        {
          *space = '\0';
          family = g_strdup (space + 1);
          g_free (given_names);
          given_names = g_strdup (text);
        }
      else
        family = g_steal_pointer (&text);
    }
  if (family == NULL)
    return entry_error (entry, error, CR_FHIR_ERROR_INVALID, "the patient has no family name");

  for (guint i = 0; i < arr_len (telecom); i++)
    {
      JsonObject *t = arr_obj (telecom, i);

      if (phone == NULL && g_strcmp0 (obj_str (t, "system"), "phone") == 0)
        phone = obj_dup_text (t, "value");
      else if (email == NULL && g_strcmp0 (obj_str (t, "system"), "email") == 0)
        email = obj_dup_text (t, "value");
    }
  digits = dup_phone_digits (phone);

  if (obj_str (r, "deceasedDateTime") != NULL)
    {
      deceased = TRUE;
      deceased_date = dup_local_date (obj_str (r, "deceasedDateTime"));
      if (deceased_date == NULL)
        return entry_error (entry, error, CR_FHIR_ERROR_INVALID,
                            "its deceasedDateTime “%s” is not a date",
                            obj_str (r, "deceasedDateTime"));
    }
  else
    obj_bool (r, "deceasedBoolean", &deceased);
  obj_bool (r, "active", &active);

  if (g_strcmp0 (gender, "female") == 0 || g_strcmp0 (gender, "male") == 0 ||
      g_strcmp0 (gender, "other") == 0)
    sex = gender;
  else
    sex = "unknown";

  if ((record_number = next_record_number (imp, error)) == NULL)
    return FALSE;

  stmt = _cr_store_prepare (imp->store,
                            "INSERT INTO patients (record_number, family_name, given_names,"
                            " birth_date, sex, phone, email, address, inactive, deceased,"
                            " deceased_date, phone_digits, created_at, created_by, updated_at,"
                            " updated_by)"
                            " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14,"
                            " ?13, ?14)",
                            error);
  if (stmt == NULL)
    return FALSE;
  _cr_bind_text (stmt, 1, record_number);
  _cr_bind_text (stmt, 2, family);
  _cr_bind_text (stmt, 3, given_names);
  _cr_bind_text (stmt, 4, birth_date);
  _cr_bind_text (stmt, 5, sex);
  _cr_bind_text (stmt, 6, phone);
  _cr_bind_text (stmt, 7, email);
  _cr_bind_text (stmt, 8, address);
  sqlite3_bind_int (stmt, 9, !active);
  sqlite3_bind_int (stmt, 10, deceased);
  _cr_bind_text (stmt, 11, deceased_date);
  _cr_bind_text (stmt, 12, digits);
  _cr_bind_text (stmt, 13, imp->now);
  _cr_bind_text (stmt, 14, imp->user);
  if (!_cr_store_step_done (imp->store, stmt, error))
    return FALSE;
  id = last_id (imp);

  names = g_strconcat (family, " ", given_names, NULL);
  stmt = _cr_store_prepare (imp->store,
                            "INSERT INTO patient_search (docid, names) VALUES (?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  _cr_bind_text (stmt, 2, names);
  if (!_cr_store_step_done (imp->store, stmt, error))
    return FALSE;

  if (!remember_entry (imp, entry, "patients", id, NULL, error))
    return FALSE;
  /* Identifiers; one already held by another patient stays with that one. */
  for (guint i = 0; i < arr_len (identifiers); i++)
    {
      JsonObject *identifier = arr_obj (identifiers, i);

      if (obj_str (identifier, "system") == NULL || obj_str (identifier, "value") == NULL)
        continue;
      if (!remember (imp, "Patient", obj_str (identifier, "system"),
                     obj_str (identifier, "value"), "patients", id, NULL, TRUE, error))
        return FALSE;
    }

  entry->local_id = id;
  imp->summary->patients++;
  return TRUE;
}

/* ---- Observation values --------------------------------------------------- */

static const char *
quantity_unit (JsonObject *quantity)
{
  const char *code = obj_str (quantity, "code");

  return code ? code : obj_str (quantity, "unit");
}

/* @value in @unit → the chart's unit for @vital; FALSE for a unit it does not know. */
static gboolean
convert_vital (CrFhirVital  vital,
               JsonObject  *quantity,
               double      *out)
{
  const char *unit = quantity_unit (quantity);
  double value;

  if (!obj_num (quantity, "value", &value))
    return FALSE;

  switch (vital)
    {
    case CR_FHIR_VITAL_SYSTOLIC:
    case CR_FHIR_VITAL_DIASTOLIC:
      if (unit != NULL && !g_str_equal (unit, "mm[Hg]") && !g_str_equal (unit, "mmHg"))
        return FALSE;
      *out = round (value);
      return TRUE;
    case CR_FHIR_VITAL_PULSE:
    case CR_FHIR_VITAL_RESPIRATORY_RATE:
      if (unit != NULL && !g_str_equal (unit, "/min") && !g_str_equal (unit, "{beats}/min") &&
          !g_str_equal (unit, "{breaths}/min") && !g_str_equal (unit, "beats/min") &&
          !g_str_equal (unit, "breaths/min"))
        return FALSE;
      *out = round (value);
      return TRUE;
    case CR_FHIR_VITAL_SPO2:
      if (unit != NULL && !g_str_equal (unit, "%"))
        return FALSE;
      *out = round (value);
      return TRUE;
    case CR_FHIR_VITAL_TEMPERATURE:
      if (unit == NULL || g_str_equal (unit, "Cel") || g_str_equal (unit, "°C") ||
          g_str_equal (unit, "C"))
        *out = value;
      else if (g_str_equal (unit, "[degF]") || g_str_equal (unit, "°F") || g_str_equal (unit, "F"))
        *out = (value - 32.0) * 5.0 / 9.0;
      else
        return FALSE;
      return TRUE;
    case CR_FHIR_VITAL_WEIGHT:
      if (unit == NULL || g_str_equal (unit, "kg"))
        *out = value;
      else if (g_str_equal (unit, "g"))
        *out = value / 1000.0;
      else if (g_str_equal (unit, "[lb_av]") || g_str_equal (unit, "lb") || g_str_equal (unit, "lbs"))
        *out = value * 0.45359237;
      else
        return FALSE;
      return TRUE;
    case CR_FHIR_VITAL_HEIGHT:
      if (unit == NULL || g_str_equal (unit, "cm"))
        *out = value;
      else if (g_str_equal (unit, "m"))
        *out = value * 100.0;
      else if (g_str_equal (unit, "[in_i]") || g_str_equal (unit, "in"))
        *out = value * 2.54;
      else
        return FALSE;
      return TRUE;
    case CR_FHIR_VITAL_BP:
    case CR_FHIR_VITAL_NONE:
    default:
      return FALSE;
    }
}

/* A blood pressure panel's two components, in mm[Hg]. */
static gboolean
read_bp_panel (JsonObject *resource,
               double     *systolic,
               double     *diastolic)
{
  JsonArray *components = obj_arr (resource, "component");
  gboolean has_s = FALSE, has_d = FALSE;

  for (guint i = 0; i < arr_len (components); i++)
    {
      JsonObject *c = arr_obj (components, i);
      const char *code = concept_first_code (obj_obj (c, "code"), CR_FHIR_SYSTEM_LOINC);
      JsonObject *q = obj_obj (c, "valueQuantity");

      if (g_strcmp0 (code, CR_FHIR_LOINC_SYSTOLIC) == 0)
        has_s = convert_vital (CR_FHIR_VITAL_SYSTOLIC, q, systolic);
      else if (g_strcmp0 (code, CR_FHIR_LOINC_DIASTOLIC) == 0)
        has_d = convert_vital (CR_FHIR_VITAL_DIASTOLIC, q, diastolic);
    }
  return has_s && has_d;
}

static gboolean
observation_in_error (JsonObject *resource)
{
  const char *status = obj_str (resource, "status");

  return g_strcmp0 (status, "entered-in-error") == 0 || g_strcmp0 (status, "cancelled") == 0;
}

/* Decide which Observations become vitals of an Encounter in this bundle. */
static void
assign_vitals (Import *imp)
{
  for (guint i = 0; i < imp->entries->len; i++)
    {
      Entry *entry = &g_array_index (imp->entries, Entry, i);
      JsonObject *r = entry->resource;
      const char *code;
      CrFhirVital vital;
      Entry *encounter;
      Vitals *v;
      double a = 0, b = 0;

      if (g_strcmp0 (entry->type, "Observation") != 0 || entry->known || observation_in_error (r))
        continue;
      code = concept_first_code (obj_obj (r, "code"), CR_FHIR_SYSTEM_LOINC);
      vital = _cr_fhir_vital_from_loinc (code);
      if (vital == CR_FHIR_VITAL_NONE)
        continue;
      encounter = find_entry (imp, obj_str (obj_obj (r, "encounter"), "reference"));
      if (encounter == NULL || encounter->known || g_strcmp0 (encounter->type, "Encounter") != 0)
        continue;
      if (vital == CR_FHIR_VITAL_BP)
        {
          if (!read_bp_panel (r, &a, &b))
            continue;
        }
      else if (!convert_vital (vital, obj_obj (r, "valueQuantity"), &a))
        continue;

      if (encounter->vitals == NULL)
        encounter->vitals = g_new0 (Vitals, 1);
      v = encounter->vitals;
      if (vital == CR_FHIR_VITAL_BP || vital == CR_FHIR_VITAL_SYSTOLIC ||
          vital == CR_FHIR_VITAL_DIASTOLIC)
        {
          if (v->has[CR_FHIR_VITAL_BP] || (vital != CR_FHIR_VITAL_DIASTOLIC && v->has[CR_FHIR_VITAL_SYSTOLIC]) ||
              (vital != CR_FHIR_VITAL_SYSTOLIC && v->has[CR_FHIR_VITAL_DIASTOLIC]))
            continue;
          if (vital == CR_FHIR_VITAL_BP)
            {
              v->value[CR_FHIR_VITAL_SYSTOLIC] = a;
              v->value[CR_FHIR_VITAL_DIASTOLIC] = b;
            }
          else
            v->value[vital] = a;
        }
      else
        {
          if (v->has[vital])
            continue;
          v->value[vital] = a;
        }
      v->has[vital] = TRUE;
      entry->vital = vital;
      entry->vital_encounter = encounter->index + 1;
    }
}

/* ---- Encounter ------------------------------------------------------------ */

static const char *
visit_type_for (JsonObject *r)
{
  JsonArray *types = obj_arr (r, "type");
  const char *klass = obj_str (obj_obj (r, "class"), "code");

  for (guint i = 0; i < arr_len (types); i++)
    {
      const char *own = concept_first_code (arr_obj (types, i), CR_FHIR_VISIT_TYPE_SYSTEM);

      if (g_strcmp0 (own, "office") == 0 || g_strcmp0 (own, "phone") == 0 ||
          g_strcmp0 (own, "follow-up") == 0 || g_strcmp0 (own, "other") == 0)
        return own;
    }
  if (g_strcmp0 (klass, "VR") == 0)
    return "phone";
  if (klass == NULL || g_strcmp0 (klass, "AMB") == 0)
    {
      g_autofree char *text = concept_dup_text (arr_obj (types, 0));
      g_autofree char *folded = text ? g_utf8_casefold (text, -1) : NULL;

      if (folded != NULL && (strstr (folded, "follow-up") || strstr (folded, "follow up")))
        return "follow-up";
      return "office";
    }
  return "other";
}

static gboolean
insert_diagnosis (Import      *imp,
                  gint64       visit_id,
                  Coded       *coded,
                  gboolean     primary,
                  gboolean     in_error,
                  gint64      *id,
                  GError     **error)
{
  sqlite3_stmt *stmt;

  stmt = _cr_store_prepare (imp->store,
                            "INSERT INTO visit_diagnoses (visit_id, system, code, display,"
                            " is_primary, entered_in_error, created_at, created_by, updated_at,"
                            " updated_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?7, ?8)",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, visit_id);
  _cr_bind_text (stmt, 2, coded->system);
  _cr_bind_text (stmt, 3, coded->code);
  _cr_bind_text (stmt, 4, coded->display);
  sqlite3_bind_int (stmt, 5, primary);
  sqlite3_bind_int (stmt, 6, in_error);
  _cr_bind_text (stmt, 7, imp->now);
  _cr_bind_text (stmt, 8, imp->user);
  if (!_cr_store_step_done (imp->store, stmt, error))
    return FALSE;
  *id = last_id (imp);
  return TRUE;
}

static void
bind_vital (sqlite3_stmt *stmt,
            int           idx,
            Vitals       *v,
            CrFhirVital   vital,
            gboolean      integer)
{
  if (v == NULL || !(v->has[vital] || ((vital == CR_FHIR_VITAL_SYSTOLIC ||
                                        vital == CR_FHIR_VITAL_DIASTOLIC) &&
                                       v->has[CR_FHIR_VITAL_BP])))
    sqlite3_bind_null (stmt, idx);
  else if (integer)
    sqlite3_bind_int (stmt, idx, (int) v->value[vital]);
  else
    sqlite3_bind_double (stmt, idx, v->value[vital]);
}

static gboolean
import_encounter (Import  *imp,
                  Entry   *entry,
                  GError **error)
{
  JsonObject *r = entry->resource;
  JsonArray *reasons = obj_arr (r, "reasonCode");
  const char *status = obj_str (r, "status");
  g_autofree char *started_at = NULL;
  g_autofree char *clinician = NULL;
  g_autofree char *chief = dup_extension_text (r, "chief-complaint");
  g_autofree char *subjective = dup_extension_text (r, "subjective");
  g_autofree char *objective = dup_extension_text (r, "objective");
  g_autofree char *assessment = dup_extension_text (r, "assessment");
  g_autofree char *plan = dup_extension_text (r, "plan");
  gint64 patient_id, visit_id, dx_id;
  gboolean primary_done = FALSE;
  sqlite3_stmt *stmt;

  if (!check_known (imp, entry, error))
    return FALSE;
  if (entry->known)
    {
      if (!lookup_external (imp, "Encounter", "", entry->id, "visits", &entry->local_id, error))
        return FALSE;
      imp->summary->unchanged++;
      return TRUE;
    }
  if (!resolve_patient (imp, entry, "subject", &patient_id, error))
    return FALSE;

  if (obj_str (obj_obj (r, "period"), "start") == NULL)
    return entry_error (entry, error, CR_FHIR_ERROR_INVALID,
                        "the encounter has no start date (period.start)");
  started_at = dup_local_datetime (obj_str (obj_obj (r, "period"), "start"), FALSE);
  if (started_at == NULL)
    return entry_error (entry, error, CR_FHIR_ERROR_INVALID, "its period.start “%s” is not a date",
                        obj_str (obj_obj (r, "period"), "start"));

  clinician = dup_person_name (imp, obj_obj (arr_obj (obj_arr (r, "participant"), 0),
                                             "individual"));

  if (chief == NULL)
    {
      g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);

      for (guint i = 0; i < arr_len (reasons); i++)
        {
          char *text = concept_dup_text (arr_obj (reasons, i));
          if (text != NULL)
            g_ptr_array_add (texts, text);
        }
      if (texts->len > 0)
        {
          g_ptr_array_add (texts, NULL);
          chief = g_strjoinv ("; ", (char **) texts->pdata);
        }
      else
        chief = concept_dup_text (arr_obj (obj_arr (r, "type"), 0));
    }

  stmt = _cr_store_prepare (imp->store,
                            "INSERT INTO visits (patient_id, started_at, clinician, type,"
                            " chief_complaint, subjective, objective, bp_systolic, bp_diastolic,"
                            " pulse, temperature_c, respiratory_rate, spo2, weight_kg, height_cm,"
                            " assessment, plan, status, signed_by, signed_at, entered_in_error,"
                            " created_at, created_by, updated_at, updated_by)"
                            " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14,"
                            " ?15, ?16, ?17, 'signed', 'imported', ?18, ?19, ?18, ?20, ?18, ?20)",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, patient_id);
  _cr_bind_text (stmt, 2, started_at);
  _cr_bind_text (stmt, 3, clinician);
  _cr_bind_text (stmt, 4, visit_type_for (r));
  _cr_bind_text (stmt, 5, chief);
  _cr_bind_text (stmt, 6, subjective);
  _cr_bind_text (stmt, 7, objective);
  bind_vital (stmt, 8, entry->vitals, CR_FHIR_VITAL_SYSTOLIC, TRUE);
  bind_vital (stmt, 9, entry->vitals, CR_FHIR_VITAL_DIASTOLIC, TRUE);
  bind_vital (stmt, 10, entry->vitals, CR_FHIR_VITAL_PULSE, TRUE);
  bind_vital (stmt, 11, entry->vitals, CR_FHIR_VITAL_TEMPERATURE, FALSE);
  bind_vital (stmt, 12, entry->vitals, CR_FHIR_VITAL_RESPIRATORY_RATE, TRUE);
  bind_vital (stmt, 13, entry->vitals, CR_FHIR_VITAL_SPO2, TRUE);
  bind_vital (stmt, 14, entry->vitals, CR_FHIR_VITAL_WEIGHT, FALSE);
  bind_vital (stmt, 15, entry->vitals, CR_FHIR_VITAL_HEIGHT, FALSE);
  _cr_bind_text (stmt, 16, assessment);
  _cr_bind_text (stmt, 17, plan);
  _cr_bind_text (stmt, 18, imp->now);
  sqlite3_bind_int (stmt, 19, g_strcmp0 (status, "entered-in-error") == 0 ||
                               g_strcmp0 (status, "cancelled") == 0);
  _cr_bind_text (stmt, 20, imp->user);
  if (!_cr_store_step_done (imp->store, stmt, error))
    return FALSE;
  visit_id = last_id (imp);
  entry->local_id = visit_id;
  if (!remember_entry (imp, entry, "visits", visit_id, NULL, error))
    return FALSE;

  /* Coded reasons are the visit's diagnoses, the first one primary. */
  for (guint i = 0; i < arr_len (reasons); i++)
    {
      g_auto(Coded) coded = { 0 };

      if (!coded_from_concept (arr_obj (reasons, i), &coded) || coded.code == NULL)
        continue;
      if (!insert_diagnosis (imp, visit_id, &coded, !primary_done, FALSE, &dx_id, error))
        return FALSE;
      primary_done = TRUE;
    }

  imp->summary->encounters++;
  return TRUE;
}

/* The vitals this bundle's Observations gave to new visits. */
static gboolean
remember_vitals (Import  *imp,
                 GError **error)
{
  for (guint i = 0; i < imp->entries->len; i++)
    {
      Entry *entry = &g_array_index (imp->entries, Entry, i);
      Entry *encounter;
      gint64 patient_id, visit_id;

      if (entry->vital == CR_FHIR_VITAL_NONE)
        continue;
      encounter = &g_array_index (imp->entries, Entry, entry->vital_encounter - 1);
      g_assert (encounter->local_id != 0);
      /* The visit must be this patient's. */
      if (!resolve_patient (imp, entry, "subject", &patient_id, error) ||
          !resolve_visit (imp, entry, obj_obj (entry->resource, "encounter"), patient_id,
                          &visit_id, error))
        return FALSE;
      if (!remember_entry (imp, entry, "visits", encounter->local_id,
                           _cr_fhir_vital_field (entry->vital), error))
        return FALSE;
      imp->summary->observations++;
      imp->summary->vital_signs++;
    }
  return TRUE;
}

/* ---- Condition ------------------------------------------------------------ */

/* Conditions that last: SNOMED CT concepts and ICD-10-CM categories. */
static const char * const chronic_snomed[] = {
  "38341003", "59621000", "1201005", /* hypertension */
  "44054006", "46635009", "73211009", "15777000", /* diabetes, prediabetes */
  "55822004", "13644009", /* hyperlipidaemia, hypercholesterolaemia */
  "195967001", "233678006", /* asthma */
  "13645005", "185086009", "87433001", /* COPD, chronic bronchitis, emphysema */
  "431855005", "431856006", "433144002", "431857002", "46177005", "709044004", /* CKD */
  "53741008", "414545008", "22298006", /* coronary disease, infarction */
  "49436004", "84114007", "88805009", /* atrial fibrillation, heart failure */
  "40055000", /* chronic sinusitis */
  "69896004", "396275006", "239872002", "239873007", /* arthritis */
  "64859006", "90560007", "40930008", /* osteoporosis, gout, hypothyroidism */
  "35489007", "370143000", "197480006", /* depression, anxiety */
  "26929004", "49049000", "84757009", "86406008", /* Alzheimer, Parkinson, epilepsy, HIV */
  "127013003", "90781000119102", "157141000119108", "368581000119106",
  "422034002", "1551000119108", /* diabetic complications */
};

static const char * const chronic_icd10cm[] = {
  "I10", "I11", "I12", "I13", "I15", "E10", "E11", "E13", "E78", "J44", "J45", "N18",
  "I25", "I48", "I50", "M05", "M06", "M15", "M16", "M17", "M18", "M19", "M81", "M10",
  "E03", "F32", "F33", "F41", "G30", "G20", "G40", "B20", "K50", "K51",
};

static gboolean
is_chronic_concept (const Coded *coded)
{
  if (coded->code == NULL)
    return FALSE;
  if (g_str_equal (coded->system, "snomed"))
    {
      for (guint i = 0; i < G_N_ELEMENTS (chronic_snomed); i++)
        if (g_str_equal (coded->code, chronic_snomed[i]))
          return TRUE;
    }
  else if (g_str_equal (coded->system, "icd10cm"))
    {
      for (guint i = 0; i < G_N_ELEMENTS (chronic_icd10cm); i++)
        if (strncmp (coded->code, chronic_icd10cm[i], 3) == 0)
          return TRUE;
    }
  return FALSE;
}

/* Active (or lasting) for more than a year after @onset. */
static gboolean
lasted_a_year (Import     *imp,
               const char *onset,
               const char *until)
{
  GDate start, end;

  if (onset == NULL || !g_date_valid_dmy (atoi (onset + 8), atoi (onset + 5), atoi (onset)))
    return FALSE;
  g_date_set_dmy (&start, atoi (onset + 8), atoi (onset + 5), atoi (onset));
  if (until != NULL)
    {
      if (!g_date_valid_dmy (atoi (until + 8), atoi (until + 5), atoi (until)))
        return FALSE;
      g_date_set_dmy (&end, atoi (until + 8), atoi (until + 5), atoi (until));
    }
  else
    end = imp->today;
  return g_date_days_between (&start, &end) > 365;
}

static char *
dup_onset (JsonObject *r,
           const char *prefix)
{
  g_autofree char *date_time = g_strconcat (prefix, "DateTime", NULL);
  g_autofree char *period = g_strconcat (prefix, "Period", NULL);
  g_autofree char *string = g_strconcat (prefix, "String", NULL);

  if (obj_str (r, date_time) != NULL)
    return dup_local_date (obj_str (r, date_time));
  if (obj_obj (r, period) != NULL)
    return dup_local_date (obj_str (obj_obj (r, period), prefix[0] == 'o' ? "start" : "end"));
  if (obj_str (r, string) != NULL)
    return dup_local_date (obj_str (r, string));
  return NULL;
}

static gboolean
import_condition (Import  *imp,
                  Entry   *entry,
                  GError **error)
{
  JsonObject *r = entry->resource;
  const char *clinical = concept_first_code (obj_obj (r, "clinicalStatus"), NULL);
  const char *verification = concept_first_code (obj_obj (r, "verificationStatus"), NULL);
  g_auto(Coded) coded = { 0 };
  g_autofree char *onset = dup_onset (r, "onset");
  g_autofree char *resolved = dup_onset (r, "abatement");
  gboolean active, chronic, in_error;
  gint64 patient_id, visit_id, problem_id, dx_id;
  sqlite3_stmt *stmt;

  if (!check_known (imp, entry, error))
    return FALSE;
  if (entry->known)
    {
      imp->summary->unchanged++;
      return TRUE;
    }
  if (!resolve_patient (imp, entry, "subject", &patient_id, error) ||
      !resolve_visit (imp, entry, obj_obj (r, "encounter"), patient_id, &visit_id, error))
    return FALSE;
  if (!coded_from_concept (obj_obj (r, "code"), &coded))
    return entry_error (entry, error, CR_FHIR_ERROR_INVALID, "the condition has no code or text");

  active = resolved == NULL &&
           (clinical == NULL || g_str_equal (clinical, "active") ||
            g_str_equal (clinical, "recurrence") || g_str_equal (clinical, "relapse"));
  if (!get_extension_bool (r, "chronic", &chronic))
    chronic = is_chronic_concept (&coded) ||
              lasted_a_year (imp, onset, active ? NULL : resolved);
  in_error = g_strcmp0 (verification, "entered-in-error") == 0 ||
             g_strcmp0 (verification, "refuted") == 0;

  stmt = _cr_store_prepare (imp->store,
                            "INSERT INTO problems (patient_id, system, code, display, onset_date,"
                            " status, resolved_date, chronic, entered_in_error, created_at,"
                            " created_by, updated_at, updated_by)"
                            " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?10, ?11)",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, patient_id);
  _cr_bind_text (stmt, 2, coded.system);
  _cr_bind_text (stmt, 3, coded.code);
  _cr_bind_text (stmt, 4, coded.display);
  _cr_bind_text (stmt, 5, onset);
  _cr_bind_text (stmt, 6, active ? "active" : "resolved");
  _cr_bind_text (stmt, 7, active ? NULL : resolved);
  sqlite3_bind_int (stmt, 8, chronic);
  sqlite3_bind_int (stmt, 9, in_error);
  _cr_bind_text (stmt, 10, imp->now);
  _cr_bind_text (stmt, 11, imp->user);
  if (!_cr_store_step_done (imp->store, stmt, error))
    return FALSE;
  problem_id = last_id (imp);
  if (!remember_entry (imp, entry, "problems", problem_id, NULL, error))
    return FALSE;

  if (visit_id != 0)
    {
      if (!insert_diagnosis (imp, visit_id, &coded, FALSE, in_error, &dx_id, error) ||
          !remember_entry (imp, entry, "visit_diagnoses", dx_id, NULL, error))
        return FALSE;
    }

  imp->summary->conditions++;
  return TRUE;
}

/* ---- MedicationRequest --------------------------------------------------- */

static char *
dup_quantity_text (JsonObject *quantity)
{
  double value;
  const char *unit = obj_str (quantity, "unit");

  if (!obj_num (quantity, "value", &value))
    return NULL;
  if (unit == NULL)
    unit = obj_str (quantity, "code");
  if (unit == NULL || *unit == '\0' || g_str_has_prefix (unit, "{"))
    return g_strdup_printf ("%g", value);
  return g_strdup_printf ("%g %s", value, unit);
}

static const char *
period_unit_words (const char *unit,
                   gboolean    plural)
{
  static const struct { const char *code, *one, *many; } units[] = {
    { "s", "second", "seconds" }, { "min", "minute", "minutes" }, { "h", "hour", "hours" },
    { "d", "day", "days" }, { "wk", "week", "weeks" }, { "mo", "month", "months" },
    { "a", "year", "years" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (units); i++)
    if (g_strcmp0 (unit, units[i].code) == 0)
      return plural ? units[i].many : units[i].one;
  return unit;
}

/* timing.repeat → "2 times per day", "every 8 hours", "as needed". */
static char *
dup_frequency (JsonObject *dosage)
{
  JsonObject *repeat = obj_obj (obj_obj (dosage, "timing"), "repeat");
  g_autofree char *code_text = concept_dup_text (obj_obj (obj_obj (dosage, "timing"), "code"));
  g_autoptr(GString) text = g_string_new (NULL);
  double frequency = 0, period = 0;
  gboolean as_needed = FALSE;
  const char *unit = obj_str (repeat, "periodUnit");

  if (code_text != NULL)
    g_string_append (text, code_text);
  else if (obj_num (repeat, "frequency", &frequency) && obj_num (repeat, "period", &period) &&
           unit != NULL)
    {
      if (frequency == 1)
        {
          if (period == 1)
            g_string_append_printf (text, "once per %s", period_unit_words (unit, FALSE));
          else
            g_string_append_printf (text, "every %g %s", period, period_unit_words (unit, TRUE));
        }
      else if (period == 1)
        g_string_append_printf (text, "%g times per %s", frequency, period_unit_words (unit, FALSE));
      else
        g_string_append_printf (text, "%g times every %g %s", frequency, period,
                                period_unit_words (unit, TRUE));
    }
  if (obj_bool (dosage, "asNeededBoolean", &as_needed) && as_needed)
    g_string_append_printf (text, "%sas needed", text->len ? ", " : "");
  if (text->len == 0)
    return NULL;
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static char *
dup_duration (JsonObject *duration)
{
  double value;
  const char *unit = obj_str (duration, "code") ? obj_str (duration, "code") : obj_str (duration, "unit");

  if (!obj_num (duration, "value", &value))
    return NULL;
  return g_strdup_printf ("%g %s", value, period_unit_words (unit, value != 1) ? period_unit_words (unit, value != 1) : "");
}

static gboolean
medication_concept (Import      *imp,
                    Entry       *entry,
                    Coded       *coded,
                    GError     **error)
{
  JsonObject *r = entry->resource;
  JsonObject *concept = obj_obj (r, "medicationCodeableConcept");

  if (concept == NULL && obj_obj (r, "medicationReference") != NULL)
    {
      const char *reference = obj_str (obj_obj (r, "medicationReference"), "reference");
      Entry *target = find_entry (imp, reference);
      JsonArray *contained = obj_arr (r, "contained");

      if (reference != NULL && reference[0] == '#')
        {
          for (guint i = 0; i < arr_len (contained); i++)
            if (g_strcmp0 (obj_str (arr_obj (contained, i), "id"), reference + 1) == 0)
              concept = obj_obj (arr_obj (contained, i), "code");
        }
      else if (target != NULL && g_strcmp0 (target->type, "Medication") == 0)
        {
          target->referenced = TRUE;
          concept = obj_obj (target->resource, "code");
        }
      else if (obj_str (obj_obj (r, "medicationReference"), "display") == NULL)
        return entry_error (entry, error, CR_FHIR_ERROR_MISSING_REFERENCE,
                            "its medication “%s” is not in this bundle",
                            reference ? reference : "(no reference)");
      if (concept == NULL && obj_str (obj_obj (r, "medicationReference"), "display") != NULL)
        {
          coded->system = g_strdup ("text");
          coded->display = g_strdup (obj_str (obj_obj (r, "medicationReference"), "display"));
          return TRUE;
        }
    }
  if (!coded_from_concept (concept, coded))
    return entry_error (entry, error, CR_FHIR_ERROR_INVALID, "the request names no medication");
  return TRUE;
}

static gboolean
import_medication_request (Import  *imp,
                           Entry   *entry,
                           GError **error)
{
  JsonObject *r = entry->resource;
  JsonObject *dosage = arr_obj (obj_arr (r, "dosageInstruction"), 0);
  JsonObject *dose_rate = arr_obj (obj_arr (dosage, "doseAndRate"), 0);
  JsonObject *dispense = obj_obj (r, "dispenseRequest");
  const char *status = obj_str (r, "status");
  g_auto(Coded) coded = { 0 };
  g_autofree char *strength = dup_extension_text (r, "strength");
  g_autofree char *form = dup_extension_text (r, "form");
  g_autofree char *dose = dup_extension_text (r, "dose");
  g_autofree char *route = dup_extension_text (r, "route");
  g_autofree char *frequency = dup_extension_text (r, "frequency");
  g_autofree char *duration = dup_extension_text (r, "duration");
  g_autofree char *quantity = dup_extension_text (r, "quantity");
  g_autofree char *instructions = obj_dup_text (dosage, "text");
  g_autofree char *start = NULL;
  g_autofree char *stop = NULL;
  g_autofree char *stop_reason = NULL;
  g_autofree char *prescriber = NULL;
  double refills = 0;
  gint64 patient_id, visit_id;
  gboolean stopped;
  sqlite3_stmt *stmt;

  if (!check_known (imp, entry, error))
    return FALSE;
  if (entry->known)
    {
      imp->summary->unchanged++;
      return TRUE;
    }
  if (!resolve_patient (imp, entry, "subject", &patient_id, error) ||
      !resolve_visit (imp, entry, obj_obj (r, "encounter"), patient_id, &visit_id, error) ||
      !medication_concept (imp, entry, &coded, error))
    return FALSE;

  if (dose == NULL && dose_rate != NULL)
    dose = dup_quantity_text (obj_obj (dose_rate, "doseQuantity"));
  if (route == NULL)
    route = concept_dup_text (obj_obj (dosage, "route"));
  if (frequency == NULL && dosage != NULL)
    frequency = dup_frequency (dosage);
  if (duration == NULL)
    duration = dup_duration (obj_obj (dispense, "expectedSupplyDuration"));
  if (quantity == NULL)
    quantity = dup_quantity_text (obj_obj (dispense, "quantity"));
  obj_num (dispense, "numberOfRepeatsAllowed", &refills);

  if (obj_str (r, "authoredOn") != NULL)
    {
      start = dup_local_date (obj_str (r, "authoredOn"));
      if (start == NULL)
        return entry_error (entry, error, CR_FHIR_ERROR_INVALID,
                            "its authoredOn “%s” is not a date", obj_str (r, "authoredOn"));
    }
  else if (obj_str (obj_obj (dispense, "validityPeriod"), "start") != NULL)
    start = dup_local_date (obj_str (obj_obj (dispense, "validityPeriod"), "start"));

  stopped = g_strcmp0 (status, "stopped") == 0 || g_strcmp0 (status, "completed") == 0 ||
            g_strcmp0 (status, "cancelled") == 0;
  if (stopped)
    {
      stop = dup_local_date (obj_str (obj_obj (dispense, "validityPeriod"), "end"));
      if (stop == NULL)
        stop = g_strdup (start);
      stop_reason = concept_dup_text (obj_obj (r, "statusReason"));
      if (stop_reason == NULL)
        stop_reason = g_strdup (status);
      if (stop == NULL)
        return entry_error (entry, error, CR_FHIR_ERROR_INVALID,
                            "the request is %s but has no date (authoredOn)", status);
    }

  prescriber = dup_person_name (imp, obj_obj (r, "requester"));

  stmt = _cr_store_prepare (imp->store,
                            "INSERT INTO prescriptions (patient_id, visit_id, drug, system, code,"
                            " strength, form, dose, route, frequency, duration, quantity, refills,"
                            " instructions, start_date, stop_date, stop_reason, prescriber,"
                            " entered_in_error, created_at, created_by, updated_at, updated_by)"
                            " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14,"
                            " ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?20, ?21)",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, patient_id);
  if (visit_id != 0)
    sqlite3_bind_int64 (stmt, 2, visit_id);
  _cr_bind_text (stmt, 3, coded.display);
  _cr_bind_text (stmt, 4, coded.code ? coded.system : NULL);
  _cr_bind_text (stmt, 5, coded.code);
  _cr_bind_text (stmt, 6, strength);
  _cr_bind_text (stmt, 7, form);
  _cr_bind_text (stmt, 8, dose);
  _cr_bind_text (stmt, 9, route);
  _cr_bind_text (stmt, 10, frequency);
  _cr_bind_text (stmt, 11, duration);
  _cr_bind_text (stmt, 12, quantity);
  sqlite3_bind_int (stmt, 13, (int) CLAMP (refills, 0, 99));
  _cr_bind_text (stmt, 14, instructions);
  _cr_bind_text (stmt, 15, start);
  _cr_bind_text (stmt, 16, stop);
  _cr_bind_text (stmt, 17, stop_reason);
  _cr_bind_text (stmt, 18, prescriber);
  sqlite3_bind_int (stmt, 19, g_strcmp0 (status, "entered-in-error") == 0);
  _cr_bind_text (stmt, 20, imp->now);
  _cr_bind_text (stmt, 21, imp->user);
  if (!_cr_store_step_done (imp->store, stmt, error) ||
      !remember_entry (imp, entry, "prescriptions", last_id (imp), NULL, error))
    return FALSE;

  imp->summary->medication_requests++;
  return TRUE;
}

/* ---- Observation results ------------------------------------------------- */

typedef struct
{
  const char *kind;
  double      number;
  gboolean    has_number;
  const char *unit;
  const char *unit_code;
  char       *text;
  Coded       coded;
} Value;

static void
value_clear (Value *value)
{
  g_clear_pointer (&value->text, g_free);
  coded_clear (&value->coded);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Value, value_clear)

/* value[x] of an Observation or a component. */
static void
read_value (JsonObject *obj,
            Value      *out)
{
  JsonObject *quantity = obj_obj (obj, "valueQuantity");
  JsonObject *concept = obj_obj (obj, "valueCodeableConcept");
  double number;
  gboolean flag;

  memset (out, 0, sizeof *out);
  out->kind = "none";
  if (quantity != NULL && obj_num (quantity, "value", &out->number))
    {
      out->kind = "quantity";
      out->has_number = TRUE;
      out->unit = obj_str (quantity, "unit");
      out->unit_code = g_strcmp0 (obj_str (quantity, "system"), CR_FHIR_SYSTEM_UCUM) == 0
                       ? obj_str (quantity, "code") : NULL;
    }
  else if (concept != NULL && coded_from_concept (concept, &out->coded))
    {
      out->kind = "coded";
      out->text = g_strdup (out->coded.display);
    }
  else if (obj_str (obj, "valueString") != NULL)
    {
      out->kind = "text";
      out->text = g_strdup (obj_str (obj, "valueString"));
    }
  else if (obj_num (obj, "valueInteger", &number))
    {
      out->kind = "quantity";
      out->has_number = TRUE;
      out->number = number;
    }
  else if (obj_bool (obj, "valueBoolean", &flag))
    {
      out->kind = "text";
      out->text = g_strdup (flag ? "true" : "false");
    }
  else if (obj_str (obj, "valueDateTime") != NULL || obj_str (obj, "valueTime") != NULL)
    {
      out->kind = "text";
      out->text = g_strdup (obj_str (obj, "valueDateTime") ? obj_str (obj, "valueDateTime")
                                                           : obj_str (obj, "valueTime"));
    }
}

static gboolean
insert_result (Import      *imp,
               gint64       patient_id,
               gint64       visit_id,
               gint64       parent_id,
               const char  *category,
               Coded       *coded,
               Value       *value,
               const char  *effective_at,
               const char  *status,
               gboolean     in_error,
               gint64      *id,
               GError     **error)
{
  sqlite3_stmt *stmt;

  stmt = _cr_store_prepare (imp->store,
                            "INSERT INTO results (patient_id, visit_id, parent_id, category,"
                            " system, code, display, value_kind, value_number, value_unit,"
                            " value_unit_code, value_text, value_system, value_code,"
                            " effective_at, status, entered_in_error, created_at, created_by,"
                            " updated_at, updated_by)"
                            " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14,"
                            " ?15, ?16, ?17, ?18, ?19, ?18, ?19)",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, patient_id);
  if (visit_id != 0)
    sqlite3_bind_int64 (stmt, 2, visit_id);
  if (parent_id != 0)
    sqlite3_bind_int64 (stmt, 3, parent_id);
  _cr_bind_text (stmt, 4, category);
  _cr_bind_text (stmt, 5, coded->system);
  _cr_bind_text (stmt, 6, coded->code);
  _cr_bind_text (stmt, 7, coded->display);
  _cr_bind_text (stmt, 8, value->kind);
  if (value->has_number)
    sqlite3_bind_double (stmt, 9, value->number);
  _cr_bind_text (stmt, 10, value->unit);
  _cr_bind_text (stmt, 11, value->unit_code);
  _cr_bind_text (stmt, 12, value->text);
  _cr_bind_text (stmt, 13, value->coded.code ? value->coded.system : NULL);
  _cr_bind_text (stmt, 14, value->coded.code);
  _cr_bind_text (stmt, 15, effective_at);
  _cr_bind_text (stmt, 16, status ? status : "final");
  sqlite3_bind_int (stmt, 17, in_error);
  _cr_bind_text (stmt, 18, imp->now);
  _cr_bind_text (stmt, 19, imp->user);
  if (!_cr_store_step_done (imp->store, stmt, error))
    return FALSE;
  *id = last_id (imp);
  return TRUE;
}

static gboolean
import_observation (Import  *imp,
                    Entry   *entry,
                    GError **error)
{
  JsonObject *r = entry->resource;
  JsonArray *components = obj_arr (r, "component");
  const char *category = concept_first_code (arr_obj (obj_arr (r, "category"), 0), NULL);
  const char *effective = obj_str (r, "effectiveDateTime");
  g_auto(Coded) coded = { 0 };
  g_auto(Value) value = { 0 };
  g_autofree char *effective_at = NULL;
  gint64 patient_id, visit_id, result_id, component_id;

  if (entry->vital != CR_FHIR_VITAL_NONE)
    return TRUE;
  if (!check_known (imp, entry, error))
    return FALSE;
  if (entry->known)
    {
      imp->summary->unchanged++;
      return TRUE;
    }
  if (!resolve_patient (imp, entry, "subject", &patient_id, error) ||
      !resolve_visit (imp, entry, obj_obj (r, "encounter"), patient_id, &visit_id, error))
    return FALSE;
  if (!coded_from_concept (obj_obj (r, "code"), &coded))
    return entry_error (entry, error, CR_FHIR_ERROR_INVALID, "the observation has no code");

  if (effective == NULL)
    effective = obj_str (obj_obj (r, "effectivePeriod"), "start");
  if (effective == NULL)
    effective = obj_str (r, "effectiveInstant");
  if (effective != NULL)
    {
      effective_at = dup_local_datetime (effective, FALSE);
      if (effective_at == NULL)
        return entry_error (entry, error, CR_FHIR_ERROR_INVALID,
                            "its effective date “%s” is not a date", effective);
    }
  else if (visit_id == 0)
    return entry_error (entry, error, CR_FHIR_ERROR_INVALID,
                        "the observation has no effective date and no encounter");

  read_value (r, &value);
  if (!insert_result (imp, patient_id, visit_id, 0, category, &coded, &value, effective_at,
                      obj_str (r, "status"), observation_in_error (r), &result_id, error) ||
      !remember_entry (imp, entry, "results", result_id, NULL, error))
    return FALSE;

  for (guint i = 0; i < arr_len (components); i++)
    {
      JsonObject *component = arr_obj (components, i);
      g_auto(Coded) ccoded = { 0 };
      g_auto(Value) cvalue = { 0 };

      if (!coded_from_concept (obj_obj (component, "code"), &ccoded))
        return entry_error (entry, error, CR_FHIR_ERROR_INVALID, "component %u has no code", i);
      read_value (component, &cvalue);
      if (!insert_result (imp, patient_id, visit_id, result_id, category, &ccoded, &cvalue,
                          effective_at, obj_str (r, "status"), observation_in_error (r),
                          &component_id, error))
        return FALSE;
    }

  imp->summary->observations++;
  imp->summary->results++;
  return TRUE;
}

/* ---- AllergyIntolerance --------------------------------------------------- */

static gboolean
import_allergy (Import  *imp,
                Entry   *entry,
                GError **error)
{
  JsonObject *r = entry->resource;
  JsonObject *reaction = arr_obj (obj_arr (r, "reaction"), 0);
  JsonArray *manifestations = obj_arr (reaction, "manifestation");
  const char *severity = obj_str (reaction, "severity");
  const char *verification = concept_first_code (obj_obj (r, "verificationStatus"), NULL);
  g_auto(Coded) coded = { 0 };
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *reaction_text = NULL;
  gint64 patient_id;
  sqlite3_stmt *stmt;

  if (!check_known (imp, entry, error))
    return FALSE;
  if (entry->known)
    {
      imp->summary->unchanged++;
      return TRUE;
    }
  if (!resolve_patient (imp, entry, "patient", &patient_id, error))
    return FALSE;
  if (!coded_from_concept (obj_obj (r, "code"), &coded))
    {
      JsonObject *substance = obj_obj (reaction, "substance");

      if (!coded_from_concept (substance, &coded))
        return entry_error (entry, error, CR_FHIR_ERROR_INVALID, "the allergy names no substance");
    }

  for (guint i = 0; i < arr_len (manifestations); i++)
    {
      char *text = concept_dup_text (arr_obj (manifestations, i));
      if (text != NULL)
        g_ptr_array_add (texts, text);
    }
  if (texts->len > 0)
    {
      g_ptr_array_add (texts, NULL);
      reaction_text = g_strjoinv ("; ", (char **) texts->pdata);
    }
  if (g_strcmp0 (severity, "mild") != 0 && g_strcmp0 (severity, "moderate") != 0 &&
      g_strcmp0 (severity, "severe") != 0)
    severity = "unknown";

  stmt = _cr_store_prepare (imp->store,
                            "INSERT INTO allergies (patient_id, substance, system, code, reaction,"
                            " severity, entered_in_error, created_at, created_by, updated_at,"
                            " updated_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?8, ?9)",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, patient_id);
  _cr_bind_text (stmt, 2, coded.display);
  _cr_bind_text (stmt, 3, coded.code ? coded.system : NULL);
  _cr_bind_text (stmt, 4, coded.code);
  _cr_bind_text (stmt, 5, reaction_text);
  _cr_bind_text (stmt, 6, severity);
  sqlite3_bind_int (stmt, 7, g_strcmp0 (verification, "entered-in-error") == 0 ||
                              g_strcmp0 (verification, "refuted") == 0);
  _cr_bind_text (stmt, 8, imp->now);
  _cr_bind_text (stmt, 9, imp->user);
  if (!_cr_store_step_done (imp->store, stmt, error) ||
      !remember_entry (imp, entry, "allergies", last_id (imp), NULL, error))
    return FALSE;

  imp->summary->allergies++;
  return TRUE;
}

/* ---- DocumentReference ---------------------------------------------------- */

static gboolean
import_document (Import  *imp,
                 Entry   *entry,
                 GError **error)
{
  JsonObject *r = entry->resource;
  JsonArray *contents = obj_arr (r, "content");
  JsonObject *context = obj_obj (r, "context");
  g_autofree char *title = obj_dup_text (r, "description");
  g_autofree char *category = concept_dup_text (arr_obj (obj_arr (r, "category"), 0));
  g_autofree char *service_date = NULL;
  gint64 patient_id, visit_id;
  guint stored = 0;

  if (!check_known (imp, entry, error))
    return FALSE;
  if (entry->known)
    {
      imp->summary->unchanged++;
      return TRUE;
    }
  if (!resolve_patient (imp, entry, "subject", &patient_id, error) ||
      !resolve_visit (imp, entry, arr_obj (obj_arr (context, "encounter"), 0), patient_id,
                      &visit_id, error))
    return FALSE;

  if (title == NULL)
    title = concept_dup_text (obj_obj (r, "type"));
  if (obj_str (obj_obj (context, "period"), "start") != NULL)
    service_date = dup_local_date (obj_str (obj_obj (context, "period"), "start"));
  else if (obj_str (r, "date") != NULL)
    service_date = dup_local_date (obj_str (r, "date"));

  for (guint i = 0; i < arr_len (contents); i++)
    {
      JsonObject *attachment = obj_obj (arr_obj (contents, i), "attachment");
      const char *data64 = obj_str (attachment, "data");
      const char *mime = obj_str (attachment, "contentType");
      const char *hash64 = obj_str (attachment, "hash");
      g_autofree guchar *data = NULL;
      g_autofree char *sha256 = NULL;
      g_autofree char *field = NULL;
      gsize len = 0;
      sqlite3_stmt *stmt;

      if (data64 == NULL)
        continue;
      data = g_base64_decode (data64, &len);
      if (len == 0 && *data64 != '\0')
        return entry_error (entry, error, CR_FHIR_ERROR_INVALID,
                            "attachment %u is not valid base64", i);
      if (hash64 != NULL)
        {
          g_autofree guchar *hash = NULL;
          gsize hash_len = 0;
          guint8 digest[20];
          gsize digest_len = sizeof digest;
          g_autoptr(GChecksum) sha1 = g_checksum_new (G_CHECKSUM_SHA1);

          hash = g_base64_decode (hash64, &hash_len);
          g_checksum_update (sha1, data, len);
          g_checksum_get_digest (sha1, digest, &digest_len);
          if (hash_len != sizeof digest || memcmp (hash, digest, sizeof digest) != 0)
            return entry_error (entry, error, CR_FHIR_ERROR_INVALID,
                                "attachment %u does not match its SHA-1 hash; the data is damaged",
                                i);
        }
      sha256 = g_compute_checksum_for_data (G_CHECKSUM_SHA256, data, len);

      stmt = _cr_store_prepare (imp->store,
                                "INSERT INTO documents (patient_id, visit_id, category, title,"
                                " service_date, file_name, mime_type, sha256, byte_size, data,"
                                " entered_in_error, created_at, created_by, updated_at, updated_by)"
                                " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13,"
                                " ?12, ?13)",
                                error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, patient_id);
      if (visit_id != 0)
        sqlite3_bind_int64 (stmt, 2, visit_id);
      _cr_bind_text (stmt, 3, category);
      _cr_bind_text (stmt, 4, title);
      _cr_bind_text (stmt, 5, service_date);
      _cr_bind_text (stmt, 6, obj_str (attachment, "title"));
      _cr_bind_text (stmt, 7, mime ? mime : "application/octet-stream");
      _cr_bind_text (stmt, 8, sha256);
      sqlite3_bind_int64 (stmt, 9, len);
      sqlite3_bind_blob64 (stmt, 10, data, len, SQLITE_STATIC);
      sqlite3_bind_int (stmt, 11, g_strcmp0 (obj_str (r, "status"), "entered-in-error") == 0);
      _cr_bind_text (stmt, 12, imp->now);
      _cr_bind_text (stmt, 13, imp->user);
      field = g_strdup_printf ("%u", i);
      if (!_cr_store_step_done (imp->store, stmt, error) ||
          !remember_entry (imp, entry, "documents", last_id (imp), field, error))
        return FALSE;
      stored++;
    }

  if (stored == 0)
    {
      /* Only links (attachment.url): nothing to keep. */
      count_skipped (imp, "DocumentReference (no attached data)");
      return TRUE;
    }
  imp->summary->documents++;
  return TRUE;
}

/* ---- the driver ------------------------------------------------------------ */

static const char * const mapped_types[] = {
  "Patient", "Encounter", "Condition", "MedicationRequest", "Observation",
  "AllergyIntolerance", "DocumentReference",
};

static gboolean
is_mapped (const char *type)
{
  for (guint i = 0; i < G_N_ELEMENTS (mapped_types); i++)
    if (g_str_equal (type, mapped_types[i]))
      return TRUE;
  return FALSE;
}

static gboolean
add_entry (Import      *imp,
           guint        index,
           const char  *full_url,
           JsonObject  *resource,
           GError     **error)
{
  Entry entry = { 0 };
  const char *id = obj_str (resource, "id");

  entry.index = index;
  entry.full_url = full_url;
  entry.resource = resource;
  entry.type = obj_str (resource, "resourceType");
  entry.id = id ? id : full_url;

  if (entry.type == NULL)
    return entry_error (&entry, error, CR_FHIR_ERROR_NOT_FHIR, "the resource has no resourceType");
  if (!is_r4_resource_type (entry.type))
    return entry_error (&entry, error, CR_FHIR_ERROR_NOT_FHIR,
                        "“%s” is not a FHIR R4 resource type", entry.type);
  if (g_str_equal (entry.type, "Bundle"))
    return entry_error (&entry, error, CR_FHIR_ERROR_UNSUPPORTED,
                        "bundles inside bundles are not imported");
  if (entry.id == NULL && is_mapped (entry.type))
    return entry_error (&entry, error, CR_FHIR_ERROR_INVALID,
                        "the resource has neither an id nor a fullUrl, so a second import "
                        "could not tell it was imported before");

  g_array_append_val (imp->entries, entry);
  if (full_url != NULL)
    g_hash_table_insert (imp->refs, g_strdup (full_url), GUINT_TO_POINTER (imp->entries->len));
  if (id != NULL)
    {
      g_hash_table_insert (imp->refs, g_strconcat (entry.type, "/", id, NULL),
                           GUINT_TO_POINTER (imp->entries->len));
      g_hash_table_insert (imp->refs, g_strconcat ("urn:uuid:", id, NULL),
                           GUINT_TO_POINTER (imp->entries->len));
    }
  return TRUE;
}

/* The entries of a bundle, or the one resource. */
static gboolean
collect_entries (Import      *imp,
                 JsonNode    *root,
                 GError     **error)
{
  JsonObject *top;
  const char *type;
  const char *bundle_type;
  JsonArray *entries;

  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, CR_FHIR_ERROR, CR_FHIR_ERROR_NOT_FHIR,
                   "This is JSON, but not a FHIR resource (it is not an object)");
      return FALSE;
    }
  top = json_node_get_object (root);
  type = obj_str (top, "resourceType");
  if (type == NULL)
    {
      g_set_error (error, CR_FHIR_ERROR, CR_FHIR_ERROR_NOT_FHIR,
                   "This is JSON, but not a FHIR resource (it has no resourceType)");
      return FALSE;
    }
  if (!g_str_equal (type, "Bundle"))
    return add_entry (imp, 0, NULL, top, error);

  imp->bundle_id = obj_str (top, "id");
  bundle_type = obj_str (top, "type");
  if (g_strcmp0 (bundle_type, "transaction") != 0 && g_strcmp0 (bundle_type, "batch") != 0 &&
      g_strcmp0 (bundle_type, "collection") != 0 && g_strcmp0 (bundle_type, "document") != 0 &&
      g_strcmp0 (bundle_type, "searchset") != 0)
    {
      g_set_error (error, CR_FHIR_ERROR, CR_FHIR_ERROR_UNSUPPORTED,
                   "A “%s” bundle holds no records to import (transaction, batch, collection, "
                   "document and searchset bundles do)",
                   bundle_type ? bundle_type : "(untyped)");
      return FALSE;
    }

  entries = obj_arr (top, "entry");
  for (guint i = 0; i < arr_len (entries); i++)
    {
      JsonObject *e = arr_obj (entries, i);
      JsonObject *resource = obj_obj (e, "resource");
      const char *method = obj_str (obj_obj (e, "request"), "method");

      if (resource == NULL)
        {
          g_set_error (error, CR_FHIR_ERROR, CR_FHIR_ERROR_INVALID,
                       "Entry %u (%s): %s", i,
                       obj_str (e, "fullUrl") ? obj_str (e, "fullUrl") : "without fullUrl",
                       method != NULL && g_str_equal (method, "DELETE")
                       ? "deleting records is not imported"
                       : "the entry holds no resource");
          return FALSE;
        }
      if (!add_entry (imp, i, obj_str (e, "fullUrl"), resource, error))
        return FALSE;
    }
  return TRUE;
}

typedef gboolean (*ImportFunc) (Import *imp, Entry *entry, GError **error);

static const struct
{
  const char *type;
  ImportFunc  func;
} passes[] = {
  { "Patient", import_patient },
  { "Encounter", import_encounter },
  { "Condition", import_condition },
  { "MedicationRequest", import_medication_request },
  { "Observation", import_observation },
  { "AllergyIntolerance", import_allergy },
  { "DocumentReference", import_document },
};

static gboolean
import_entries (Import         *imp,
                CrProgressFunc  progress,
                gpointer        progress_data,
                GCancellable   *cancellable,
                GError        **error)
{
  guint done = 0, total = imp->entries->len;

  for (guint p = 0; p < G_N_ELEMENTS (passes); p++)
    {
      if (g_str_equal (passes[p].type, "Encounter"))
        {
          /* Know which encounters are new before giving them vitals. */
          for (guint i = 0; i < imp->entries->len; i++)
            {
              Entry *entry = &g_array_index (imp->entries, Entry, i);

              if ((g_str_equal (entry->type, "Encounter") || g_str_equal (entry->type, "Observation")) &&
                  !check_known (imp, entry, error))
                return FALSE;
            }
          assign_vitals (imp);
        }

      for (guint i = 0; i < imp->entries->len; i++)
        {
          Entry *entry = &g_array_index (imp->entries, Entry, i);

          if (!g_str_equal (entry->type, passes[p].type))
            continue;
          if (!passes[p].func (imp, entry, error))
            {
              if (error != NULL && *error != NULL && (*error)->domain != CR_FHIR_ERROR)
                prefix_entry (entry, error);
              return FALSE;
            }
          if (++done % 64 == 0)
            {
              if (g_cancellable_set_error_if_cancelled (cancellable, error))
                return FALSE;
              if (progress != NULL)
                progress ((double) done / total, progress_data);
            }
        }

      if (g_str_equal (passes[p].type, "Encounter") && !remember_vitals (imp, error))
        return FALSE;
    }

  for (guint i = 0; i < imp->entries->len; i++)
    {
      Entry *entry = &g_array_index (imp->entries, Entry, i);

      if (!is_mapped (entry->type) &&
          !(g_str_equal (entry->type, "Medication") && entry->referenced))
        count_skipped (imp, entry->type);
    }
  return TRUE;
}

static char *
dup_audit_detail (const CrFhirImportSummary *summary)
{
  g_autofree char *skipped = cr_fhir_import_summary_format_skipped (summary);

  return g_strdup_printf ("FHIR: %u patients, %u encounters, %u conditions, %u medication "
                          "requests, %u observations (%u vital signs), %u allergies, "
                          "%u documents; %u unchanged; skipped: %s",
                          summary->patients, summary->encounters, summary->conditions,
                          summary->medication_requests, summary->observations,
                          summary->vital_signs, summary->allergies, summary->documents,
                          summary->unchanged, *skipped ? skipped : "none");
}

static gboolean
check_utf8 (const char  *data,
            gsize        len,
            GError     **error)
{
  const char *end = NULL;

  if (g_utf8_validate_len (data, len, &end))
    return TRUE;
  {
    guint line = 1;

    for (const char *p = data; p < end; p++)
      if (*p == '\n')
        line++;
    g_set_error (error, CR_FHIR_ERROR, CR_FHIR_ERROR_ENCODING,
                 "The file is not UTF-8 text, as FHIR JSON must be: the first bad byte "
                 "(0x%02x) is on line %u, at byte %" G_GSIZE_FORMAT,
                 (guchar) *end, line, (gsize) (end - data));
  }
  return FALSE;
}

/**
 * cr_store_import_fhir_bytes:
 * @bytes: FHIR R4 JSON
 * @summary: (out caller-allocates): initialised with
 *   cr_fhir_import_summary_init(); what was imported
 *
 * Imports one bundle (or resource) in one transaction with one "import"
 * audit entry. On error nothing of it is imported, and @summary is empty.
 *
 * Returns: %TRUE on success
 */
gboolean
cr_store_import_fhir_bytes (CrStore              *store,
                            GBytes               *bytes,
                            CrFhirImportFlags     flags,
                            CrProgressFunc        progress,
                            gpointer              progress_data,
                            GCancellable         *cancellable,
                            CrFhirImportSummary  *summary,
                            GError              **error)
{
  g_autoptr(CrStoreLocker) locker = NULL;
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *record = NULL;
  Import imp = { 0 };
  const char *data;
  gsize len;
  gboolean ok = FALSE;

  g_return_val_if_fail (CR_IS_STORE (store), FALSE);
  g_return_val_if_fail (bytes != NULL, FALSE);
  g_return_val_if_fail (summary != NULL && summary->skipped != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  summary_reset (summary);
  data = g_bytes_get_data (bytes, &len);
  if (len > CR_FHIR_MAX_FILE_SIZE)
    {
      g_set_error (error, CR_FHIR_ERROR, CR_FHIR_ERROR_TOO_LARGE,
                   "The file is too large to import (%" G_GSIZE_FORMAT " MB; at most %d MB "
                   "per file). Split the bundle, one patient per file",
                   len / (1024 * 1024), CR_FHIR_MAX_FILE_SIZE / (1024 * 1024));
      return FALSE;
    }
  if (!check_utf8 (data, len, error))
    return FALSE;

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, len, &local_error))
    {
      g_set_error (error, CR_FHIR_ERROR, CR_FHIR_ERROR_PARSE,
                   "The file is not well-formed JSON: %s", local_error->message);
      return FALSE;
    }
  if (json_parser_get_root (parser) == NULL)
    {
      g_set_error (error, CR_FHIR_ERROR, CR_FHIR_ERROR_PARSE, "The file is empty");
      return FALSE;
    }

  imp.store = store;
  imp.summary = summary;
  imp.now = _cr_store_now ();
  g_date_clear (&imp.today, 1);
  g_date_set_time_t (&imp.today, time (NULL));
  imp.entries = g_array_new (FALSE, TRUE, sizeof (Entry));
  imp.refs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  if (!collect_entries (&imp, json_parser_get_root (parser), error))
    goto out;

  locker = _cr_store_lock (store);
  imp.user = cr_store_get_user (store);
  if (!_cr_store_begin (store, error))
    goto out;

  if (!import_entries (&imp, progress, progress_data, cancellable, error))
    {
      _cr_store_rollback (store);
      goto out;
    }

  /* Nothing new is no change, and needs no entry in the trail. */
  if (cr_fhir_import_summary_get_total (summary) > 0)
    {
      detail = dup_audit_detail (summary);
      if (imp.bundle_id != NULL)
        record = g_strconcat ("Bundle/", imp.bundle_id, NULL);
      if (!cr_store_audit (store, CR_AUDIT_IMPORT, imp.many_patients ? 0 : imp.single_patient,
                           record, detail, error))
        {
          _cr_store_rollback (store);
          goto out;
        }
    }

  if (flags & CR_FHIR_IMPORT_DRY_RUN)
    {
      _cr_store_rollback (store);
      ok = TRUE;
    }
  else
    ok = _cr_store_commit (store, error);

  if (ok && progress != NULL)
    progress (1.0, progress_data);

out:
  if (!ok)
    summary_reset (summary);
  import_clear (&imp);
  return ok;
}

/**
 * cr_store_import_fhir:
 * @path: a FHIR R4 JSON file
 *
 * As cr_store_import_fhir_bytes(), from a file. Files above
 * %CR_FHIR_MAX_FILE_SIZE are refused before they are read.
 */
gboolean
cr_store_import_fhir (CrStore              *store,
                      const char           *path,
                      CrFhirImportFlags     flags,
                      CrProgressFunc        progress,
                      gpointer              progress_data,
                      GCancellable         *cancellable,
                      CrFhirImportSummary  *summary,
                      GError              **error)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *contents = NULL;
  gsize len = 0;

  g_return_val_if_fail (CR_IS_STORE (store), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (summary != NULL && summary->skipped != NULL, FALSE);

  summary_reset (summary);
  file = g_file_new_for_path (path);
  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE "," G_FILE_ATTRIBUTE_STANDARD_TYPE,
                            G_FILE_QUERY_INFO_NONE, cancellable, error);
  if (info == NULL)
    return FALSE;
  if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
    {
      g_set_error (error, CR_FHIR_ERROR, CR_FHIR_ERROR_NOT_FHIR, "“%s” is not a file", path);
      return FALSE;
    }
  if (g_file_info_get_size (info) > CR_FHIR_MAX_FILE_SIZE)
    {
      g_set_error (error, CR_FHIR_ERROR, CR_FHIR_ERROR_TOO_LARGE,
                   "The file is too large to import (%" G_GOFFSET_FORMAT " MB; at most %d MB "
                   "per file). Split the bundle, one patient per file",
                   g_file_info_get_size (info) / (1024 * 1024),
                   CR_FHIR_MAX_FILE_SIZE / (1024 * 1024));
      return FALSE;
    }
  if (!g_file_load_contents (file, cancellable, &contents, &len, NULL, error))
    return FALSE;
  bytes = g_bytes_new_take (g_steal_pointer (&contents), len);
  return cr_store_import_fhir_bytes (store, bytes, flags, progress, progress_data, cancellable,
                                     summary, error);
}

/* ---- several files, off the main loop ------------------------------------ */

typedef struct
{
  char              **paths;
  CrFhirImportFlags   flags;
  CrProgressFunc      progress;
  gpointer            progress_data;
  guint               current;
} FilesData;

static void
files_data_free (FilesData *data)
{
  g_strfreev (data->paths);
  g_free (data);
}

static void
file_progress (double   fraction,
               gpointer user_data)
{
  FilesData *data = user_data;
  guint n = g_strv_length (data->paths);

  if (data->progress != NULL)
    data->progress ((data->current + fraction) / MAX (n, 1), data->progress_data);
}

static void
import_files_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  CrStore *store = source_object;
  FilesData *data = task_data;
  g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func ((GDestroyNotify) cr_fhir_file_result_free);

  for (data->current = 0; data->paths[data->current] != NULL; data->current++)
    {
      CrFhirFileResult *result = g_new0 (CrFhirFileResult, 1);
      GError *error = NULL;

      if (g_cancellable_set_error_if_cancelled (cancellable, &error))
        {
          cr_fhir_file_result_free (result);
          g_task_return_error (task, error);
          return;
        }
      result->path = g_strdup (data->paths[data->current]);
      cr_fhir_import_summary_init (&result->summary);
      if (!cr_store_import_fhir (store, result->path, data->flags, file_progress, data,
                                 cancellable, &result->summary, &error))
        {
          if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            {
              cr_fhir_file_result_free (result);
              g_task_return_error (task, error);
              return;
            }
          result->error = error;
        }
      g_ptr_array_add (results, result);
      file_progress (1.0, data);
    }
  g_task_return_pointer (task, g_steal_pointer (&results), (GDestroyNotify) g_ptr_array_unref);
}

void
cr_store_import_fhir_files_async (CrStore              *store,
                                  const char * const   *paths,
                                  CrFhirImportFlags     flags,
                                  CrProgressFunc        progress,
                                  gpointer              progress_data,
                                  GCancellable         *cancellable,
                                  GAsyncReadyCallback   callback,
                                  gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  FilesData *data;

  g_return_if_fail (CR_IS_STORE (store));
  g_return_if_fail (paths != NULL);

  data = g_new0 (FilesData, 1);
  data->paths = g_strdupv ((char **) paths);
  data->flags = flags;
  data->progress = progress;
  data->progress_data = progress_data;

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, cr_store_import_fhir_files_async);
  g_task_set_task_data (task, data, (GDestroyNotify) files_data_free);
  g_task_run_in_thread (task, import_files_thread);
}

GPtrArray *
cr_store_import_fhir_files_finish (CrStore       *store,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
