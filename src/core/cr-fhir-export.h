/* cr-fhir-export.h: a patient's record as a FHIR R4 bundle
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "cr-store.h"

G_BEGIN_DECLS

/**
 * cr_store_export_fhir_patient:
 * @patient_id: the patient
 *
 * The patient's record as a FHIR R4 collection Bundle (JSON): the Patient,
 * each visit as an Encounter (its vitals as vital-sign Observations), the
 * problem list as Conditions, prescriptions as MedicationRequests, results
 * as Observations, allergies as AllergyIntolerances and documents as
 * DocumentReferences with their data inline (base64). Resources imported
 * earlier keep their ids; references use each entry's fullUrl. What FHIR
 * has no element for (the note's parts, a problem's chronic flag,
 * prescription texts) goes in Chartroom extensions, so that importing the
 * bundle into another practice loses nothing. Recorded in the audit trail
 * as an "export". Only on a user's explicit action: the bytes are not
 * encrypted.
 *
 * Returns: (transfer full): the JSON, or %NULL with @error
 *   (CR_STORE_ERROR_NOT_FOUND for an unknown patient)
 */
GBytes     *cr_store_export_fhir_patient   (CrStore      *store,
                                            gint64        patient_id,
                                            GError      **error);

G_END_DECLS
