/* cr-fhir-import.h: FHIR R4 records into the chart
 *
 * Reads R4 JSON: Bundles (transaction, batch, collection, document,
 * searchset) or a single resource. What goes where:
 *
 *   Patient            a patient (names, birth date, sex, phone, email,
 *                      address, deceased; identifiers kept as external ids;
 *                      a record number is generated)
 *   Encounter          a signed visit (signed by "imported")
 *   Condition          a problem; also a diagnosis of its encounter's visit
 *   MedicationRequest  a prescription
 *   Observation        a vital sign of its visit (LOINC blood pressure,
 *                      pulse, respiratory rate, temperature, weight,
 *                      height, SpO2, converted to the chart's units), or
 *                      else a result (labs, surveys, BMI…)
 *   AllergyIntolerance an allergy
 *   DocumentReference  a document, from each attachment that carries data
 *
 * Anything else (Claim, Procedure, Immunization…) is counted by resource
 * type in the summary, never dropped silently.
 *
 * One bundle imports in one transaction: all of it or nothing. Each
 * resource's id is remembered (external_ids), so importing the same bundle
 * again changes nothing; a Patient whose identifier (system + value) was
 * imported before is the same patient.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "cr-store.h"
#include "cr-types.h"

G_BEGIN_DECLS

#define CR_FHIR_ERROR (cr_fhir_error_quark ())

/* Bigger files are refused before they are read: json-glib builds the
 * whole tree in memory (a 2.4 MB Synthea bundle imports at a 33 MB peak,
 * so 32 MB stays under about 400 MB). A patient bundle is a few MB. */
#define CR_FHIR_MAX_FILE_SIZE (32 * 1024 * 1024)

/**
 * CrFhirError:
 * @CR_FHIR_ERROR_TOO_LARGE: the file is above %CR_FHIR_MAX_FILE_SIZE
 * @CR_FHIR_ERROR_ENCODING: the bytes are not UTF-8
 * @CR_FHIR_ERROR_PARSE: not well-formed JSON
 * @CR_FHIR_ERROR_NOT_FHIR: JSON, but no FHIR resource or an unknown
 *   resourceType
 * @CR_FHIR_ERROR_UNSUPPORTED: a bundle type that holds no records
 *   (history, message…)
 * @CR_FHIR_ERROR_INVALID: a resource lacks what the chart needs (a date,
 *   an id, a patient) or holds a value that cannot be true
 * @CR_FHIR_ERROR_MISSING_REFERENCE: a resource points at one that is
 *   neither in the bundle nor imported before
 * @CR_FHIR_ERROR_CANCELLED: not used (cancelling gives G_IO_ERROR_CANCELLED)
 */
typedef enum
{
  CR_FHIR_ERROR_TOO_LARGE,
  CR_FHIR_ERROR_ENCODING,
  CR_FHIR_ERROR_PARSE,
  CR_FHIR_ERROR_NOT_FHIR,
  CR_FHIR_ERROR_UNSUPPORTED,
  CR_FHIR_ERROR_INVALID,
  CR_FHIR_ERROR_MISSING_REFERENCE,
  CR_FHIR_ERROR_CANCELLED,
} CrFhirError;

typedef enum
{
  CR_FHIR_IMPORT_DEFAULT = 0,
  /* Check and map everything, then roll back. */
  CR_FHIR_IMPORT_DRY_RUN = 1 << 0,
} CrFhirImportFlags;

/**
 * CrFhirImportSummary:
 * @patients…@documents: resources stored as new rows
 * @vital_signs: of @observations, those stored as visit vitals (a blood
 *   pressure panel counts once)
 * @results: of @observations, those stored as results
 * @unchanged: resources imported before, left as they were
 * @skipped: (element-type utf8 guint): resource type → how many were not
 *   imported because the chart has no place for them
 *
 * Initialise with cr_fhir_import_summary_init(), free with
 * cr_fhir_import_summary_clear().
 */
typedef struct
{
  guint       patients;
  guint       encounters;
  guint       conditions;
  guint       medication_requests;
  guint       observations;
  guint       vital_signs;
  guint       results;
  guint       allergies;
  guint       documents;
  guint       unchanged;
  GHashTable *skipped;
} CrFhirImportSummary;

/**
 * CrFhirFileResult:
 * @path: the file
 * @summary: what it held (empty when @error is set)
 * @error: (nullable): why it was not imported; nothing of it was
 */
typedef struct
{
  char                *path;
  CrFhirImportSummary  summary;
  GError              *error;
} CrFhirFileResult;

GQuark      cr_fhir_error_quark                  (void);

void        cr_fhir_import_summary_init          (CrFhirImportSummary       *summary);
void        cr_fhir_import_summary_clear         (CrFhirImportSummary       *summary);
guint       cr_fhir_import_summary_get_total     (const CrFhirImportSummary *summary);
/* "Claim 30, Procedure 12" in resource type order, or "" when none. */
char       *cr_fhir_import_summary_format_skipped (const CrFhirImportSummary *summary);
guint       cr_fhir_import_summary_get_n_skipped (const CrFhirImportSummary *summary);

void        cr_fhir_file_result_free             (CrFhirFileResult          *result);

gboolean    cr_store_import_fhir                 (CrStore              *store,
                                                  const char           *path,
                                                  CrFhirImportFlags     flags,
                                                  CrProgressFunc        progress,
                                                  gpointer              progress_data,
                                                  GCancellable         *cancellable,
                                                  CrFhirImportSummary  *summary,
                                                  GError              **error);
gboolean    cr_store_import_fhir_bytes           (CrStore              *store,
                                                  GBytes               *bytes,
                                                  CrFhirImportFlags     flags,
                                                  CrProgressFunc        progress,
                                                  gpointer              progress_data,
                                                  GCancellable         *cancellable,
                                                  CrFhirImportSummary  *summary,
                                                  GError              **error);

/* Several files, each on its own: one that fails does not stop the others.
 * Runs in a worker thread; @progress is called there. */
void        cr_store_import_fhir_files_async     (CrStore              *store,
                                                  const char * const   *paths,
                                                  CrFhirImportFlags     flags,
                                                  CrProgressFunc        progress,
                                                  gpointer              progress_data,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
/* Returns: (transfer full) (element-type CrFhirFileResult): one per path,
 * in order; %NULL only when cancelled before the end (files finished
 * before that stay imported). */
GPtrArray  *cr_store_import_fhir_files_finish    (CrStore              *store,
                                                  GAsyncResult         *result,
                                                  GError              **error);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CrFhirImportSummary, cr_fhir_import_summary_clear)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrFhirFileResult, cr_fhir_file_result_free)

G_END_DECLS
