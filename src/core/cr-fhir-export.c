/* cr-fhir-export.c: a patient's record as a FHIR R4 bundle
 *
 * Read in one transaction with its audit entry, so the trail names exactly
 * what left the practice. Not exported: outcomes, follow-ups, amendments
 * and a document's PDF password (FHIR R4 has no resource the import maps
 * them back from).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cr-fhir-export"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "cr-audit.h"
#include "cr-codes.h"
#include "cr-fhir-export.h"
#include "cr-fhir-private.h"
#include "cr-store-private.h"

#define ACT_CODE_SYSTEM "http://terminology.hl7.org/CodeSystem/v3-ActCode"
#define OBSERVATION_CATEGORY_SYSTEM "http://terminology.hl7.org/CodeSystem/observation-category"
#define CONDITION_CLINICAL_SYSTEM "http://terminology.hl7.org/CodeSystem/condition-clinical"
#define CONDITION_VERIFICATION_SYSTEM "http://terminology.hl7.org/CodeSystem/condition-ver-status"
#define ALLERGY_CLINICAL_SYSTEM "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical"
#define ALLERGY_VERIFICATION_SYSTEM "http://terminology.hl7.org/CodeSystem/allergyintolerance-verification"

typedef struct
{
  CrStore    *store;
  char       *practice_uuid;
  JsonArray  *entries;
  GHashTable *visit_urls;   /* visits.id → fullUrl */
  char       *patient_url;
  guint       n_resources;
} Export;

static void
export_clear (Export *ex)
{
  g_clear_pointer (&ex->practice_uuid, g_free);
  g_clear_pointer (&ex->entries, json_array_unref);
  g_clear_pointer (&ex->visit_urls, g_hash_table_unref);
  g_clear_pointer (&ex->patient_url, g_free);
}

static gboolean
is_uuid (const char *s)
{
  return s != NULL && strlen (s) == 36 && g_uuid_string_is_valid (s);
}

/* A stable UUID for a row that came from no import. */
static char *
dup_made_uuid (Export     *ex,
               const char *what)
{
  g_autofree char *hex = NULL;
  g_autofree char *seed = g_strconcat (ex->practice_uuid, "/", what, NULL);

  hex = g_compute_checksum_for_string (G_CHECKSUM_SHA256, seed, -1);
  /* Version 8 (custom), RFC 4122 variant. */
  hex[12] = '8';
  hex[16] = "89ab"[g_ascii_xdigit_value (hex[16]) & 3];
  return g_strdup_printf ("%.8s-%.4s-%.4s-%.4s-%.12s", hex, hex + 8, hex + 12, hex + 16, hex + 20);
}

/* The resource's id (the imported one when there is one) and fullUrl. */
static gboolean
resource_ids (Export      *ex,
              const char  *type,
              const char  *table,
              gint64       local_id,
              const char  *field,
              char       **id,
              char       **full_url,
              GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  *id = NULL;
  stmt = _cr_store_prepare (ex->store,
                            "SELECT value FROM external_ids WHERE resource_type = ?1"
                            " AND system = '' AND local_table = ?2 AND local_id = ?3"
                            " AND local_field = ?4 ORDER BY id LIMIT 1",
                            error);
  if (stmt == NULL)
    return FALSE;
  _cr_bind_text (stmt, 1, type);
  _cr_bind_text (stmt, 2, table);
  sqlite3_bind_int64 (stmt, 3, local_id);
  _cr_bind_text (stmt, 4, field ? field : "");
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *id = g_strdup (_cr_column_text (stmt, 0));
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return _cr_store_set_error (ex->store, rc, error);

  /* An imported id that is no valid FHIR id (a fullUrl) is replaced. */
  if (*id != NULL && (strlen (*id) > 64 || strchr (*id, ':') != NULL || strchr (*id, '/') != NULL))
    g_clear_pointer (id, g_free);
  if (*id == NULL)
    {
      g_autofree char *what = g_strdup_printf ("%s/%s/%" G_GINT64_FORMAT "/%s", type, table,
                                               local_id, field ? field : "");
      *id = dup_made_uuid (ex, what);
    }
  if (is_uuid (*id))
    *full_url = g_strconcat ("urn:uuid:", *id, NULL);
  else
    {
      g_autofree char *what = g_strconcat (type, "/", *id, NULL);
      g_autofree char *uuid = dup_made_uuid (ex, what);

      *full_url = g_strconcat ("urn:uuid:", uuid, NULL);
    }
  return TRUE;
}

static JsonObject *
new_resource (Export     *ex,
              const char *type,
              const char *id,
              const char *full_url)
{
  JsonObject *entry = json_object_new ();
  JsonObject *resource = json_object_new ();

  json_object_set_string_member (entry, "fullUrl", full_url);
  json_object_set_string_member (resource, "resourceType", type);
  json_object_set_string_member (resource, "id", id);
  json_object_set_object_member (entry, "resource", resource);
  json_array_add_object_element (ex->entries, entry);
  ex->n_resources++;
  return resource;
}

static JsonObject *
reference (const char *url)
{
  JsonObject *ref = json_object_new ();

  json_object_set_string_member (ref, "reference", url);
  return ref;
}

static void
set_text (JsonObject *obj,
          const char *member,
          const char *value)
{
  if (value != NULL)
    json_object_set_string_member (obj, member, value);
}

static void
add_extension (JsonObject *resource,
               const char *name,
               const char *value)
{
  JsonArray *extensions;
  JsonObject *ext;
  g_autofree char *url = NULL;

  if (value == NULL)
    return;
  if (!json_object_has_member (resource, "extension"))
    json_object_set_array_member (resource, "extension", json_array_new ());
  extensions = json_object_get_array_member (resource, "extension");
  url = g_strconcat (CR_FHIR_EXTENSION_BASE, name, NULL);
  ext = json_object_new ();
  json_object_set_string_member (ext, "url", url);
  json_object_set_string_member (ext, "valueString", value);
  json_array_add_object_element (extensions, ext);
}

static void
add_extension_bool (JsonObject *resource,
                    const char *name,
                    gboolean    value)
{
  JsonArray *extensions;
  JsonObject *ext;
  g_autofree char *url = NULL;

  if (!json_object_has_member (resource, "extension"))
    json_object_set_array_member (resource, "extension", json_array_new ());
  extensions = json_object_get_array_member (resource, "extension");
  url = g_strconcat (CR_FHIR_EXTENSION_BASE, name, NULL);
  ext = json_object_new ();
  json_object_set_string_member (ext, "url", url);
  json_object_set_boolean_member (ext, "valueBoolean", value);
  json_array_add_object_element (extensions, ext);
}

static JsonObject *
simple_concept (const char *system_uri,
                const char *code,
                const char *display)
{
  JsonObject *concept = json_object_new ();
  JsonArray *codings = json_array_new ();
  JsonObject *coding = json_object_new ();

  json_object_set_string_member (coding, "system", system_uri);
  json_object_set_string_member (coding, "code", code);
  set_text (coding, "display", display);
  json_array_add_object_element (codings, coding);
  json_object_set_array_member (concept, "coding", codings);
  return concept;
}

/* (system, code, display) as stored → a CodeableConcept. */
static JsonObject *
coded_concept (const char *system,
               const char *code,
               const char *display)
{
  JsonObject *concept;

  if (code == NULL || system == NULL || g_str_equal (system, "text"))
    {
      concept = json_object_new ();
      set_text (concept, "text", display);
      return concept;
    }
  if (g_str_equal (system, "icd10cm"))
    {
      g_autofree char *dotted = cr_icd10cm_format_code (code);

      concept = simple_concept (_cr_fhir_system_to_uri (system), dotted, display);
    }
  else
    concept = simple_concept (_cr_fhir_system_to_uri (system), code, display);
  set_text (concept, "text", display);
  return concept;
}

static JsonArray *
one_object (JsonObject *obj)
{
  JsonArray *array = json_array_new ();

  json_array_add_object_element (array, obj);
  return array;
}

/* The chart's local "YYYY-MM-DD[THH:MM[:SS]]" → a FHIR dateTime. */
static char *
dup_fhir_datetime (const char *local)
{
  int y, mo, d, h = 0, mi = 0;
  double s = 0;
  g_autoptr(GDateTime) dt = NULL;

  if (local == NULL)
    return NULL;
  if (strlen (local) <= 10)
    return g_strdup (local);
  if (sscanf (local, "%d-%d-%dT%d:%d:%lf", &y, &mo, &d, &h, &mi, &s) < 5)
    return g_strndup (local, 10);
  dt = g_date_time_new_local (y, mo, d, h, mi, s);
  if (dt == NULL)
    return g_strndup (local, 10);
  return g_date_time_format (dt, "%Y-%m-%dT%H:%M:%S%:z");
}

static void
set_datetime (JsonObject *obj,
              const char *member,
              const char *local)
{
  g_autofree char *value = dup_fhir_datetime (local);

  if (value != NULL)
    json_object_set_string_member (obj, member, value);
}

static const char *
col (sqlite3_stmt *stmt,
     int           i)
{
  return _cr_column_text (stmt, i);
}

static gboolean
step_error (Export  *ex,
            int      rc,
            GError **error)
{
  if (rc != SQLITE_DONE)
    return _cr_store_set_error (ex->store, rc, error);
  return TRUE;
}

/* ---- Patient --------------------------------------------------------------- */

static gboolean
export_patient (Export  *ex,
                gint64   patient_id,
                GError **error)
{
  g_autofree char *id = NULL;
  g_autofree char *own_system = NULL;
  JsonObject *r, *name, *identifier;
  JsonArray *identifiers, *telecom;
  sqlite3_stmt *stmt;
  int rc;

  stmt = _cr_store_prepare (ex->store,
                            "SELECT record_number, family_name, given_names, birth_date, sex,"
                            " phone, email, address, inactive, deceased, deceased_date"
                            " FROM patients WHERE id = ?",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, patient_id);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      if (rc == SQLITE_DONE)
        g_set_error (error, CR_STORE_ERROR, CR_STORE_ERROR_NOT_FOUND,
                     "No patient with id %" G_GINT64_FORMAT, patient_id);
      else
        _cr_store_set_error (ex->store, rc, error);
      return FALSE;
    }

  if (!resource_ids (ex, "Patient", "patients", patient_id, NULL, &id, &ex->patient_url, error) ||
      (own_system = _cr_fhir_dup_practice_system (ex->store, TRUE, error)) == NULL)
    {
      sqlite3_reset (stmt);
      return FALSE;
    }

  r = new_resource (ex, "Patient", id, ex->patient_url);
  identifiers = json_array_new ();
  identifier = json_object_new ();
  json_object_set_object_member (identifier, "type",
                                 simple_concept ("http://terminology.hl7.org/CodeSystem/v2-0203",
                                                 "MR", "Medical record number"));
  json_object_set_string_member (identifier, "system", own_system);
  json_object_set_string_member (identifier, "value", col (stmt, 0));
  json_array_add_object_element (identifiers, identifier);
  json_object_set_array_member (r, "identifier", identifiers);
  json_object_set_boolean_member (r, "active", sqlite3_column_int (stmt, 8) == 0);

  name = json_object_new ();
  json_object_set_string_member (name, "use", "official");
  json_object_set_string_member (name, "family", col (stmt, 1));
  if (col (stmt, 2) != NULL && *col (stmt, 2) != '\0')
    {
      g_auto(GStrv) given = g_strsplit (col (stmt, 2), " ", -1);
      JsonArray *array = json_array_new ();

      for (guint i = 0; given[i] != NULL; i++)
        if (*given[i] != '\0')
          json_array_add_string_element (array, given[i]);
      json_object_set_array_member (name, "given", array);
    }
  json_object_set_array_member (r, "name", one_object (name));

  telecom = json_array_new ();
  for (int i = 5; i <= 6; i++)
    if (col (stmt, i) != NULL)
      {
        JsonObject *t = json_object_new ();

        json_object_set_string_member (t, "system", i == 5 ? "phone" : "email");
        json_object_set_string_member (t, "value", col (stmt, i));
        json_array_add_object_element (telecom, t);
      }
  if (json_array_get_length (telecom) > 0)
    json_object_set_array_member (r, "telecom", telecom);
  else
    json_array_unref (telecom);

  json_object_set_string_member (r, "gender", col (stmt, 4));
  set_text (r, "birthDate", col (stmt, 3));
  if (col (stmt, 10) != NULL)
    json_object_set_string_member (r, "deceasedDateTime", col (stmt, 10));
  else if (sqlite3_column_int (stmt, 9))
    json_object_set_boolean_member (r, "deceasedBoolean", TRUE);
  if (col (stmt, 7) != NULL)
    {
      JsonObject *address = json_object_new ();

      json_object_set_string_member (address, "text", col (stmt, 7));
      json_object_set_array_member (r, "address", one_object (address));
    }
  sqlite3_reset (stmt);

  /* The identifiers it was imported with. */
  stmt = _cr_store_prepare (ex->store,
                            "SELECT system, value FROM external_ids WHERE resource_type = 'Patient'"
                            " AND system != '' AND local_table = 'patients' AND local_id = ?"
                            " ORDER BY id",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, patient_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      if (g_str_equal (col (stmt, 0), own_system))
        continue;
      identifier = json_object_new ();
      json_object_set_string_member (identifier, "system", col (stmt, 0));
      json_object_set_string_member (identifier, "value", col (stmt, 1));
      json_array_add_object_element (identifiers, identifier);
    }
  sqlite3_reset (stmt);
  return step_error (ex, rc, error);
}

/* ---- Encounters and their vitals ------------------------------------------- */

static void
add_vital (Export      *ex,
           JsonObject  *encounter_ref_unused,
           const char  *visit_url,
           const char  *id,
           const char  *full_url,
           const char  *effective,
           const char  *loinc,
           const char  *display,
           double       value,
           const char  *unit,
           const char  *ucum)
{
  JsonObject *r = new_resource (ex, "Observation", id, full_url);
  JsonObject *quantity = json_object_new ();

  json_object_set_string_member (r, "status", "final");
  json_object_set_array_member (r, "category",
                                one_object (simple_concept (OBSERVATION_CATEGORY_SYSTEM,
                                                            "vital-signs", "Vital Signs")));
  json_object_set_object_member (r, "code", simple_concept (CR_FHIR_SYSTEM_LOINC, loinc, display));
  json_object_set_object_member (r, "subject", reference (ex->patient_url));
  json_object_set_object_member (r, "encounter", reference (visit_url));
  set_datetime (r, "effectiveDateTime", effective);
  json_object_set_double_member (quantity, "value", value);
  json_object_set_string_member (quantity, "unit", unit);
  json_object_set_string_member (quantity, "system", CR_FHIR_SYSTEM_UCUM);
  json_object_set_string_member (quantity, "code", ucum);
  json_object_set_object_member (r, "valueQuantity", quantity);
}

static JsonObject *
bp_component (const char *loinc,
              const char *display,
              int         value)
{
  JsonObject *component = json_object_new ();
  JsonObject *quantity = json_object_new ();

  json_object_set_object_member (component, "code",
                                 simple_concept (CR_FHIR_SYSTEM_LOINC, loinc, display));
  json_object_set_int_member (quantity, "value", value);
  json_object_set_string_member (quantity, "unit", "mm[Hg]");
  json_object_set_string_member (quantity, "system", CR_FHIR_SYSTEM_UCUM);
  json_object_set_string_member (quantity, "code", "mm[Hg]");
  json_object_set_object_member (component, "valueQuantity", quantity);
  return component;
}

static gboolean
export_vitals (Export        *ex,
               gint64         visit_id,
               const char    *visit_url,
               const char    *started_at,
               sqlite3_stmt  *v,
               GError       **error)
{
  static const struct
  {
    int          column;
    CrFhirVital  vital;
    const char  *loinc;
    const char  *display;
    const char  *unit;
  } vitals[] = {
    { 10, CR_FHIR_VITAL_PULSE, "8867-4", "Heart rate", "/min" },
    { 11, CR_FHIR_VITAL_TEMPERATURE, "8310-5", "Body temperature", "Cel" },
    { 12, CR_FHIR_VITAL_RESPIRATORY_RATE, "9279-1", "Respiratory rate", "/min" },
    { 13, CR_FHIR_VITAL_SPO2, "59408-5", "Oxygen saturation in Arterial blood by Pulse oximetry", "%" },
    { 14, CR_FHIR_VITAL_WEIGHT, "29463-7", "Body weight", "kg" },
    { 15, CR_FHIR_VITAL_HEIGHT, "8302-2", "Body height", "cm" },
  };

  if (sqlite3_column_type (v, 8) != SQLITE_NULL || sqlite3_column_type (v, 9) != SQLITE_NULL)
    {
      g_autofree char *id = NULL;
      g_autofree char *url = NULL;
      JsonObject *r;
      JsonArray *components = json_array_new ();

      if (!resource_ids (ex, "Observation", "visits", visit_id, "bp", &id, &url, error))
        return FALSE;
      r = new_resource (ex, "Observation", id, url);
      json_object_set_string_member (r, "status", "final");
      json_object_set_array_member (r, "category",
                                    one_object (simple_concept (OBSERVATION_CATEGORY_SYSTEM,
                                                                "vital-signs", "Vital Signs")));
      json_object_set_object_member (r, "code",
                                     simple_concept (CR_FHIR_SYSTEM_LOINC, CR_FHIR_LOINC_BP_PANEL,
                                                     "Blood pressure panel with all children optional"));
      json_object_set_object_member (r, "subject", reference (ex->patient_url));
      json_object_set_object_member (r, "encounter", reference (visit_url));
      set_datetime (r, "effectiveDateTime", started_at);
      if (sqlite3_column_type (v, 8) != SQLITE_NULL)
        json_array_add_object_element (components,
                                       bp_component (CR_FHIR_LOINC_SYSTOLIC, "Systolic blood pressure",
                                                     sqlite3_column_int (v, 8)));
      if (sqlite3_column_type (v, 9) != SQLITE_NULL)
        json_array_add_object_element (components,
                                       bp_component (CR_FHIR_LOINC_DIASTOLIC, "Diastolic blood pressure",
                                                     sqlite3_column_int (v, 9)));
      json_object_set_array_member (r, "component", components);
    }

  for (guint i = 0; i < G_N_ELEMENTS (vitals); i++)
    {
      g_autofree char *id = NULL;
      g_autofree char *url = NULL;

      if (sqlite3_column_type (v, vitals[i].column) == SQLITE_NULL)
        continue;
      if (!resource_ids (ex, "Observation", "visits", visit_id,
                         _cr_fhir_vital_field (vitals[i].vital), &id, &url, error))
        return FALSE;
      add_vital (ex, NULL, visit_url, id, url, started_at, vitals[i].loinc, vitals[i].display,
                 sqlite3_column_double (v, vitals[i].column), vitals[i].unit, vitals[i].unit);
    }
  return TRUE;
}

static const char *
visit_type_display (const char *type)
{
  if (g_strcmp0 (type, "phone") == 0)
    return "Telephone visit";
  if (g_strcmp0 (type, "follow-up") == 0)
    return "Follow-up visit";
  if (g_strcmp0 (type, "other") == 0)
    return "Other visit";
  return "Office visit";
}

static gboolean
export_encounters (Export  *ex,
                   gint64   patient_id,
                   GError **error)
{
  g_autoptr(GArray) visit_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt, *dx;
  int rc;

  stmt = _cr_store_prepare (ex->store,
                            "SELECT id, started_at, clinician, type, chief_complaint, subjective,"
                            " objective, assessment, bp_systolic, bp_diastolic, pulse,"
                            " temperature_c, respiratory_rate, spo2, weight_kg, height_cm, plan,"
                            " status, entered_in_error"
                            " FROM visits WHERE patient_id = ? ORDER BY started_at, id",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, patient_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 visit_id = sqlite3_column_int64 (stmt, 0);
      g_autofree char *id = NULL;
      g_autofree char *url = NULL;
      JsonObject *r, *klass, *type;
      JsonArray *reasons;
      const char *vtype = col (stmt, 3);

      if (!resource_ids (ex, "Encounter", "visits", visit_id, NULL, &id, &url, error))
        goto fail;
      r = new_resource (ex, "Encounter", id, url);
      g_hash_table_insert (ex->visit_urls, g_memdup2 (&visit_id, sizeof visit_id), g_strdup (url));

      json_object_set_string_member (r, "status",
                                     sqlite3_column_int (stmt, 18) ? "entered-in-error"
                                     : g_strcmp0 (col (stmt, 17), "signed") == 0 ? "finished"
                                     : "in-progress");
      klass = json_object_new ();
      json_object_set_string_member (klass, "system", ACT_CODE_SYSTEM);
      json_object_set_string_member (klass, "code", g_strcmp0 (vtype, "phone") == 0 ? "VR" : "AMB");
      json_object_set_object_member (r, "class", klass);
      type = simple_concept (CR_FHIR_VISIT_TYPE_SYSTEM, vtype, visit_type_display (vtype));
      json_object_set_string_member (type, "text", visit_type_display (vtype));
      json_object_set_array_member (r, "type", one_object (type));
      json_object_set_object_member (r, "subject", reference (ex->patient_url));
      if (col (stmt, 2) != NULL)
        {
          JsonObject *participant = json_object_new ();
          JsonObject *individual = json_object_new ();

          json_object_set_string_member (individual, "display", col (stmt, 2));
          json_object_set_object_member (participant, "individual", individual);
          json_object_set_array_member (r, "participant", one_object (participant));
        }
      {
        JsonObject *period = json_object_new ();

        set_datetime (period, "start", col (stmt, 1));
        json_object_set_object_member (r, "period", period);
      }

      /* Diagnoses that came from no Condition are the visit's reasons,
       * primary first. */
      dx = _cr_store_prepare (ex->store,
                              "SELECT system, code, display FROM visit_diagnoses d"
                              " WHERE visit_id = ? AND entered_in_error = 0"
                              " AND NOT EXISTS (SELECT 1 FROM external_ids x"
                              "   WHERE x.local_table = 'visit_diagnoses' AND x.local_id = d.id)"
                              " ORDER BY is_primary DESC, id",
                              error);
      if (dx == NULL)
        goto fail;
      sqlite3_bind_int64 (dx, 1, visit_id);
      reasons = json_array_new ();
      while ((rc = sqlite3_step (dx)) == SQLITE_ROW)
        json_array_add_object_element (reasons, coded_concept (col (dx, 0), col (dx, 1),
                                                               col (dx, 2)));
      sqlite3_reset (dx);
      if (json_array_get_length (reasons) > 0)
        json_object_set_array_member (r, "reasonCode", reasons);
      else
        json_array_unref (reasons);
      if (rc != SQLITE_DONE)
        {
          _cr_store_set_error (ex->store, rc, error);
          goto fail;
        }

      add_extension (r, "chief-complaint", col (stmt, 4));
      add_extension (r, "subjective", col (stmt, 5));
      add_extension (r, "objective", col (stmt, 6));
      add_extension (r, "assessment", col (stmt, 7));
      add_extension (r, "plan", col (stmt, 16));

      if (!export_vitals (ex, visit_id, url, col (stmt, 1), stmt, error))
        goto fail;
      g_array_append_val (visit_ids, visit_id);
    }
  sqlite3_reset (stmt);
  return step_error (ex, rc, error);

fail:
  sqlite3_reset (stmt);
  return FALSE;
}

static void
set_encounter (Export     *ex,
               JsonObject *r,
               gint64      visit_id)
{
  const char *url;

  if (visit_id == 0)
    return;
  url = g_hash_table_lookup (ex->visit_urls, &visit_id);
  if (url != NULL)
    json_object_set_object_member (r, "encounter", reference (url));
}

/* ---- Conditions ------------------------------------------------------------ */

static gboolean
export_conditions (Export  *ex,
                   gint64   patient_id,
                   GError **error)
{
  sqlite3_stmt *stmt;
  int rc;

  /* The visit of the diagnosis imported from the same Condition. */
  stmt = _cr_store_prepare (ex->store,
                            "SELECT p.id, p.system, p.code, p.display, p.onset_date, p.status,"
                            " p.resolved_date, p.chronic, p.entered_in_error,"
                            " (SELECT d.visit_id FROM external_ids xp"
                            "   JOIN external_ids xd ON xd.resource_type = 'Condition'"
                            "     AND xd.system = '' AND xd.value = xp.value"
                            "     AND xd.local_table = 'visit_diagnoses'"
                            "   JOIN visit_diagnoses d ON d.id = xd.local_id"
                            "   WHERE xp.resource_type = 'Condition' AND xp.system = ''"
                            "     AND xp.local_table = 'problems' AND xp.local_id = p.id LIMIT 1)"
                            " FROM problems p WHERE p.patient_id = ? ORDER BY p.id",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, patient_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autofree char *id = NULL;
      g_autofree char *url = NULL;
      JsonObject *r;

      if (!resource_ids (ex, "Condition", "problems", sqlite3_column_int64 (stmt, 0), NULL,
                         &id, &url, error))
        {
          sqlite3_reset (stmt);
          return FALSE;
        }
      r = new_resource (ex, "Condition", id, url);
      json_object_set_object_member (r, "clinicalStatus",
                                     simple_concept (CONDITION_CLINICAL_SYSTEM, col (stmt, 5), NULL));
      json_object_set_object_member (r, "verificationStatus",
                                     simple_concept (CONDITION_VERIFICATION_SYSTEM,
                                                     sqlite3_column_int (stmt, 8)
                                                     ? "entered-in-error" : "confirmed", NULL));
      json_object_set_object_member (r, "code", coded_concept (col (stmt, 1), col (stmt, 2),
                                                               col (stmt, 3)));
      json_object_set_object_member (r, "subject", reference (ex->patient_url));
      set_encounter (ex, r, sqlite3_column_int64 (stmt, 9));
      set_text (r, "onsetDateTime", col (stmt, 4));
      set_text (r, "abatementDateTime", col (stmt, 6));
      add_extension_bool (r, "chronic", sqlite3_column_int (stmt, 7));
    }
  sqlite3_reset (stmt);
  return step_error (ex, rc, error);
}

/* ---- MedicationRequests ---------------------------------------------------- */

static gboolean
export_prescriptions (Export  *ex,
                      gint64   patient_id,
                      GError **error)
{
  g_autofree char *today = NULL;
  sqlite3_stmt *stmt;
  int rc;

  {
    g_autoptr(GDateTime) now = g_date_time_new_now_local ();
    today = g_date_time_format (now, "%Y-%m-%d");
  }

  stmt = _cr_store_prepare (ex->store,
                            "SELECT id, visit_id, drug, system, code, strength, form, dose, route,"
                            " frequency, duration, quantity, refills, instructions, start_date,"
                            " stop_date, stop_reason, prescriber, entered_in_error"
                            " FROM prescriptions WHERE patient_id = ? ORDER BY id",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, patient_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autofree char *id = NULL;
      g_autofree char *url = NULL;
      const char *stop = col (stmt, 15);
      const char *reason = col (stmt, 16);
      const char *status;
      JsonObject *r, *dosage, *dispense, *validity;

      if (!resource_ids (ex, "MedicationRequest", "prescriptions", sqlite3_column_int64 (stmt, 0),
                         NULL, &id, &url, error))
        {
          sqlite3_reset (stmt);
          return FALSE;
        }
      if (sqlite3_column_int (stmt, 18))
        status = "entered-in-error";
      else if (stop == NULL || strcmp (stop, today) > 0)
        status = "active";
      else if (g_strcmp0 (reason, "completed") == 0 || g_strcmp0 (reason, "cancelled") == 0)
        status = reason;
      else
        status = "stopped";

      r = new_resource (ex, "MedicationRequest", id, url);
      json_object_set_string_member (r, "status", status);
      if (reason != NULL)
        {
          JsonObject *sr = json_object_new ();

          json_object_set_string_member (sr, "text", reason);
          json_object_set_object_member (r, "statusReason", sr);
        }
      json_object_set_string_member (r, "intent", "order");
      json_object_set_object_member (r, "medicationCodeableConcept",
                                     coded_concept (col (stmt, 3), col (stmt, 4), col (stmt, 2)));
      json_object_set_object_member (r, "subject", reference (ex->patient_url));
      set_encounter (ex, r, sqlite3_column_int64 (stmt, 1));
      set_text (r, "authoredOn", col (stmt, 14));
      if (col (stmt, 17) != NULL)
        {
          JsonObject *requester = json_object_new ();

          json_object_set_string_member (requester, "display", col (stmt, 17));
          json_object_set_object_member (r, "requester", requester);
        }
      dosage = json_object_new ();
      set_text (dosage, "text", col (stmt, 13));
      if (col (stmt, 8) != NULL)
        {
          JsonObject *route = json_object_new ();

          json_object_set_string_member (route, "text", col (stmt, 8));
          json_object_set_object_member (dosage, "route", route);
        }
      if (json_object_get_size (dosage) > 0)
        json_object_set_array_member (r, "dosageInstruction", one_object (dosage));
      else
        json_object_unref (dosage);

      dispense = json_object_new ();
      json_object_set_int_member (dispense, "numberOfRepeatsAllowed", sqlite3_column_int (stmt, 12));
      if (col (stmt, 14) != NULL || stop != NULL)
        {
          validity = json_object_new ();
          set_text (validity, "start", col (stmt, 14));
          set_text (validity, "end", stop);
          json_object_set_object_member (dispense, "validityPeriod", validity);
        }
      json_object_set_object_member (r, "dispenseRequest", dispense);

      add_extension (r, "strength", col (stmt, 5));
      add_extension (r, "form", col (stmt, 6));
      add_extension (r, "dose", col (stmt, 7));
      add_extension (r, "route", col (stmt, 8));
      add_extension (r, "frequency", col (stmt, 9));
      add_extension (r, "duration", col (stmt, 10));
      add_extension (r, "quantity", col (stmt, 11));
    }
  sqlite3_reset (stmt);
  return step_error (ex, rc, error);
}

/* ---- result Observations --------------------------------------------------- */

#define RESULT_COLUMNS \
  "id, visit_id, category, system, code, display, value_kind, value_number, value_unit," \
  " value_unit_code, value_text, value_system, value_code, effective_at, status," \
  " entered_in_error"

static void
set_value (JsonObject   *obj,
           sqlite3_stmt *stmt)
{
  const char *kind = col (stmt, 6);

  if (g_strcmp0 (kind, "quantity") == 0)
    {
      JsonObject *quantity = json_object_new ();

      json_object_set_double_member (quantity, "value", sqlite3_column_double (stmt, 7));
      set_text (quantity, "unit", col (stmt, 8));
      if (col (stmt, 9) != NULL)
        {
          json_object_set_string_member (quantity, "system", CR_FHIR_SYSTEM_UCUM);
          json_object_set_string_member (quantity, "code", col (stmt, 9));
        }
      json_object_set_object_member (obj, "valueQuantity", quantity);
    }
  else if (g_strcmp0 (kind, "coded") == 0)
    json_object_set_object_member (obj, "valueCodeableConcept",
                                   coded_concept (col (stmt, 11), col (stmt, 12), col (stmt, 10)));
  else if (g_strcmp0 (kind, "text") == 0)
    set_text (obj, "valueString", col (stmt, 10));
}

static gboolean
export_results (Export  *ex,
                gint64   patient_id,
                GError **error)
{
  sqlite3_stmt *stmt, *components;
  int rc;

  stmt = _cr_store_prepare (ex->store,
                            "SELECT " RESULT_COLUMNS " FROM results"
                            " WHERE patient_id = ? AND parent_id IS NULL ORDER BY effective_at, id",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, patient_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 result_id = sqlite3_column_int64 (stmt, 0);
      g_autofree char *id = NULL;
      g_autofree char *url = NULL;
      JsonObject *r;
      JsonArray *array;

      if (!resource_ids (ex, "Observation", "results", result_id, NULL, &id, &url, error))
        goto fail;
      r = new_resource (ex, "Observation", id, url);
      json_object_set_string_member (r, "status",
                                     sqlite3_column_int (stmt, 15) ? "entered-in-error"
                                     : col (stmt, 14));
      if (col (stmt, 2) != NULL)
        json_object_set_array_member (r, "category",
                                      one_object (simple_concept (OBSERVATION_CATEGORY_SYSTEM,
                                                                  col (stmt, 2), NULL)));
      json_object_set_object_member (r, "code", coded_concept (col (stmt, 3), col (stmt, 4),
                                                               col (stmt, 5)));
      json_object_set_object_member (r, "subject", reference (ex->patient_url));
      set_encounter (ex, r, sqlite3_column_int64 (stmt, 1));
      set_datetime (r, "effectiveDateTime", col (stmt, 13));
      set_value (r, stmt);

      components = _cr_store_prepare (ex->store,
                                      "SELECT " RESULT_COLUMNS " FROM results WHERE parent_id = ?"
                                      " ORDER BY id",
                                      error);
      if (components == NULL)
        goto fail;
      sqlite3_bind_int64 (components, 1, result_id);
      array = json_array_new ();
      while ((rc = sqlite3_step (components)) == SQLITE_ROW)
        {
          JsonObject *component = json_object_new ();

          json_object_set_object_member (component, "code",
                                         coded_concept (col (components, 3), col (components, 4),
                                                        col (components, 5)));
          set_value (component, components);
          json_array_add_object_element (array, component);
        }
      sqlite3_reset (components);
      if (json_array_get_length (array) > 0)
        json_object_set_array_member (r, "component", array);
      else
        json_array_unref (array);
      if (rc != SQLITE_DONE)
        {
          _cr_store_set_error (ex->store, rc, error);
          goto fail;
        }
    }
  sqlite3_reset (stmt);
  return step_error (ex, rc, error);

fail:
  sqlite3_reset (stmt);
  return FALSE;
}

/* ---- AllergyIntolerances --------------------------------------------------- */

static gboolean
export_allergies (Export  *ex,
                  gint64   patient_id,
                  GError **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = _cr_store_prepare (ex->store,
                            "SELECT id, substance, system, code, reaction, severity, entered_in_error"
                            " FROM allergies WHERE patient_id = ? ORDER BY id",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, patient_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autofree char *id = NULL;
      g_autofree char *url = NULL;
      JsonObject *r;

      if (!resource_ids (ex, "AllergyIntolerance", "allergies", sqlite3_column_int64 (stmt, 0),
                         NULL, &id, &url, error))
        {
          sqlite3_reset (stmt);
          return FALSE;
        }
      r = new_resource (ex, "AllergyIntolerance", id, url);
      json_object_set_object_member (r, "clinicalStatus",
                                     simple_concept (ALLERGY_CLINICAL_SYSTEM, "active", NULL));
      json_object_set_object_member (r, "verificationStatus",
                                     simple_concept (ALLERGY_VERIFICATION_SYSTEM,
                                                     sqlite3_column_int (stmt, 6)
                                                     ? "entered-in-error" : "confirmed", NULL));
      json_object_set_object_member (r, "code", coded_concept (col (stmt, 2), col (stmt, 3),
                                                               col (stmt, 1)));
      json_object_set_object_member (r, "patient", reference (ex->patient_url));
      if (col (stmt, 4) != NULL)
        {
          g_auto(GStrv) parts = g_strsplit (col (stmt, 4), "; ", -1);
          JsonObject *reaction = json_object_new ();
          JsonArray *manifestations = json_array_new ();

          for (guint i = 0; parts[i] != NULL; i++)
            {
              JsonObject *m = json_object_new ();

              json_object_set_string_member (m, "text", parts[i]);
              json_array_add_object_element (manifestations, m);
            }
          json_object_set_array_member (reaction, "manifestation", manifestations);
          if (g_strcmp0 (col (stmt, 5), "unknown") != 0)
            json_object_set_string_member (reaction, "severity", col (stmt, 5));
          json_object_set_array_member (r, "reaction", one_object (reaction));
        }
    }
  sqlite3_reset (stmt);
  return step_error (ex, rc, error);
}

/* ---- DocumentReferences ----------------------------------------------------- */

static gboolean
export_documents (Export  *ex,
                  gint64   patient_id,
                  GError **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = _cr_store_prepare (ex->store,
                            "SELECT id, visit_id, category, title, service_date, file_name,"
                            " mime_type, data, entered_in_error"
                            " FROM documents WHERE patient_id = ? ORDER BY id",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, patient_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 doc_id = sqlite3_column_int64 (stmt, 0);
      g_autofree char *id = NULL;
      g_autofree char *url = NULL;
      g_autofree char *field = NULL;
      g_autofree char *data64 = NULL;
      g_autofree char *sha1 = NULL;
      const guchar *data = sqlite3_column_blob (stmt, 7);
      int len = sqlite3_column_bytes (stmt, 7);
      guint8 digest[20];
      gsize digest_len = sizeof digest;
      g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA1);
      JsonObject *r, *attachment, *content, *context;

      /* The imported id goes with the first attachment only. */
      if (!resource_ids (ex, "DocumentReference", "documents", doc_id, "0", &id, &url, error))
        {
          sqlite3_reset (stmt);
          return FALSE;
        }
      r = new_resource (ex, "DocumentReference", id, url);
      json_object_set_string_member (r, "status",
                                     sqlite3_column_int (stmt, 8) ? "entered-in-error" : "current");
      set_text (r, "description", col (stmt, 3));
      if (col (stmt, 2) != NULL)
        {
          JsonObject *category = json_object_new ();

          json_object_set_string_member (category, "text", col (stmt, 2));
          json_object_set_array_member (r, "category", one_object (category));
        }
      json_object_set_object_member (r, "subject", reference (ex->patient_url));

      context = json_object_new ();
      if (sqlite3_column_int64 (stmt, 1) != 0)
        {
          gint64 visit_id = sqlite3_column_int64 (stmt, 1);
          const char *visit_url = g_hash_table_lookup (ex->visit_urls, &visit_id);

          if (visit_url != NULL)
            json_object_set_array_member (context, "encounter", one_object (reference (visit_url)));
        }
      if (col (stmt, 4) != NULL)
        {
          JsonObject *period = json_object_new ();

          json_object_set_string_member (period, "start", col (stmt, 4));
          json_object_set_object_member (context, "period", period);
        }
      if (json_object_get_size (context) > 0)
        json_object_set_object_member (r, "context", context);
      else
        json_object_unref (context);

      attachment = json_object_new ();
      json_object_set_string_member (attachment, "contentType", col (stmt, 6));
      data64 = g_base64_encode (data, len);
      json_object_set_string_member (attachment, "data", data64);
      json_object_set_int_member (attachment, "size", len);
      g_checksum_update (checksum, data, len);
      g_checksum_get_digest (checksum, digest, &digest_len);
      sha1 = g_base64_encode (digest, digest_len);
      json_object_set_string_member (attachment, "hash", sha1);
      set_text (attachment, "title", col (stmt, 5));
      content = json_object_new ();
      json_object_set_object_member (content, "attachment", attachment);
      json_object_set_array_member (r, "content", one_object (content));
    }
  sqlite3_reset (stmt);
  return step_error (ex, rc, error);
}

GBytes *
cr_store_export_fhir_patient (CrStore  *store,
                              gint64    patient_id,
                              GError  **error)
{
  g_autoptr(CrStoreLocker) locker = NULL;
  g_autoptr(JsonGenerator) generator = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *json = NULL;
  g_autofree char *record = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *bundle_id = g_uuid_string_random ();
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *timestamp = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
  JsonObject *bundle;
  Export ex = { 0 };
  gsize len;

  g_return_val_if_fail (CR_IS_STORE (store), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  ex.store = store;
  ex.entries = json_array_new ();
  ex.visit_urls = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);

  locker = _cr_store_lock (store);
  if (!_cr_store_begin (store, error))
    goto fail;
  ex.practice_uuid = _cr_store_dup_meta (store, "fhir-practice-uuid");
  if (ex.practice_uuid == NULL)
    {
      g_autofree char *system = _cr_fhir_dup_practice_system (store, TRUE, error);

      if (system == NULL)
        goto rollback;
      ex.practice_uuid = g_strdup (system + strlen ("urn:uuid:"));
    }

  if (!export_patient (&ex, patient_id, error) ||
      !export_encounters (&ex, patient_id, error) ||
      !export_conditions (&ex, patient_id, error) ||
      !export_prescriptions (&ex, patient_id, error) ||
      !export_results (&ex, patient_id, error) ||
      !export_allergies (&ex, patient_id, error) ||
      !export_documents (&ex, patient_id, error))
    goto rollback;

  record = g_strdup_printf ("patients:%" G_GINT64_FORMAT, patient_id);
  detail = g_strdup_printf ("FHIR R4 bundle %s: %u resources", bundle_id, ex.n_resources);
  if (!cr_store_audit (store, CR_AUDIT_EXPORT, patient_id, record, detail, error) ||
      !_cr_store_commit (store, error))
    goto rollback;

  bundle = json_object_new ();
  json_object_set_string_member (bundle, "resourceType", "Bundle");
  json_object_set_string_member (bundle, "id", bundle_id);
  json_object_set_string_member (bundle, "type", "collection");
  json_object_set_string_member (bundle, "timestamp", timestamp);
  json_object_set_array_member (bundle, "entry", g_steal_pointer (&ex.entries));
  root = json_node_init_object (json_node_alloc (), bundle);
  json_object_unref (bundle);

  generator = json_generator_new ();
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 1);
  json_generator_set_root (generator, root);
  json = json_generator_to_data (generator, &len);
  export_clear (&ex);
  return g_bytes_new_take (g_steal_pointer (&json), len);

rollback:
  _cr_store_rollback (store);
fail:
  export_clear (&ex);
  return NULL;
}
