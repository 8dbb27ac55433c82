/* cr-fhir-private.h: what FHIR import and export share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "cr-store.h"

G_BEGIN_DECLS

/* Chartroom's own extensions carry what FHIR has no element for (the
 * visit note's parts, a problem's chronic flag, prescription texts), so
 * that an exported record imports back without loss. */
#define CR_FHIR_EXTENSION_BASE "https://chartroom.github.io/fhir/StructureDefinition/"
/* Encounter.type coding that names the visit type exactly. */
#define CR_FHIR_VISIT_TYPE_SYSTEM "https://chartroom.github.io/fhir/CodeSystem/visit-type"

#define CR_FHIR_SYSTEM_LOINC  "http://loinc.org"
#define CR_FHIR_SYSTEM_UCUM   "http://unitsofmeasure.org"

/* A visit's vital signs: which column a LOINC code fills. */
typedef enum
{
  CR_FHIR_VITAL_NONE,
  CR_FHIR_VITAL_BP,          /* panel with systolic + diastolic components */
  CR_FHIR_VITAL_SYSTOLIC,
  CR_FHIR_VITAL_DIASTOLIC,
  CR_FHIR_VITAL_PULSE,
  CR_FHIR_VITAL_RESPIRATORY_RATE,
  CR_FHIR_VITAL_TEMPERATURE,
  CR_FHIR_VITAL_WEIGHT,
  CR_FHIR_VITAL_HEIGHT,
  CR_FHIR_VITAL_SPO2,
} CrFhirVital;

#define CR_FHIR_LOINC_BP_PANEL  "85354-9"
#define CR_FHIR_LOINC_SYSTOLIC  "8480-6"
#define CR_FHIR_LOINC_DIASTOLIC "8462-4"

CrFhirVital  _cr_fhir_vital_from_loinc      (const char  *code);
/* external_ids.local_field for a vital ("bp", "pulse"…). */
const char  *_cr_fhir_vital_field           (CrFhirVital  vital);

/* "http://snomed.info/sct" ↔ "snomed"; unknown URIs are kept as they are. */
const char  *_cr_fhir_system_from_uri       (const char  *uri);
const char  *_cr_fhir_system_to_uri         (const char  *system);

/* The identifier system of this practice's record numbers:
 * "urn:uuid:…", made once and kept in meta. Call with the store locked,
 * inside a transaction when @create. */
char        *_cr_fhir_dup_practice_system   (CrStore     *store,
                                             gboolean     create,
                                             GError     **error);

G_END_DECLS
