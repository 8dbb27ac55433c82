/* cr-clinical-private.h: how the store builds clinical objects from rows
 *
 * The clinical types describe their fields in a table (name, kind, struct
 * offset) from which their properties are installed and a row is read. A
 * row's columns come in the table's order and carry the same names (with
 * '_' for '-'); _cr_clinical_new_from_row() checks that in debug builds.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <sqlcipher/sqlite3.h>

#include "cr-clinical.h"
#include "cr-visit.h"

G_BEGIN_DECLS

typedef enum
{
  CR_FIELD_INT64,
  CR_FIELD_INT,
  CR_FIELD_DOUBLE,
  CR_FIELD_BOOLEAN,
  CR_FIELD_STRING,
  CR_FIELD_ENUM,
} CrFieldKind;

typedef struct
{
  const char   *name;      /* property name; the column is the same with '_' */
  CrFieldKind   kind;
  gsize         offset;    /* in the instance struct */
  GType       (*enum_type) (void);
  gboolean      writable;
} CrField;

#define CR_FIELD(Type, member, name, kind) \
  { name, kind, G_STRUCT_OFFSET (Type, member), NULL, FALSE }
#define CR_FIELD_RW(Type, member, name, kind) \
  { name, kind, G_STRUCT_OFFSET (Type, member), NULL, TRUE }
#define CR_FIELD_E(Type, member, name, get_type, rw) \
  { name, CR_FIELD_ENUM, G_STRUCT_OFFSET (Type, member), get_type, rw }

void      _cr_fields_install      (GObjectClass  *klass,
                                   const CrField *fields,
                                   guint          n_fields);
void      _cr_fields_free         (gpointer       instance,
                                   const CrField *fields,
                                   guint          n_fields);
void      _cr_fields_get          (gpointer       instance,
                                   const CrField *fields,
                                   guint          n_fields,
                                   guint          prop_id,
                                   GValue        *value);
/* Returns TRUE if the value changed (the caller notifies). */
gboolean  _cr_fields_set          (gpointer       instance,
                                   const CrField *fields,
                                   guint          n_fields,
                                   guint          prop_id,
                                   const GValue  *value);
/* Any clinical type (or CrVisit) filled from the current row. */
gpointer  _cr_clinical_new_from_row (GType         type,
                                     sqlite3_stmt *stmt);

/* Column lists, in each type's field order. */
#define CR_DIAGNOSIS_COLUMNS \
  "d.id, d.visit_id, d.system, d.code, d.display, d.is_primary, d.entered_in_error," \
  " d.created_at, d.created_by, d.updated_at, d.updated_by," \
  " (SELECT o.result FROM outcomes o WHERE o.diagnosis_id = d.id AND o.entered_in_error = 0" \
  "  ORDER BY o.id DESC LIMIT 1) AS latest_outcome"

#define CR_PROBLEM_COLUMNS \
  "p.id, p.patient_id, p.system, p.code, p.display, p.onset_date, p.status, p.resolved_date," \
  " p.chronic, p.entered_in_error, p.created_at, p.created_by, p.updated_at, p.updated_by"

#define CR_ALLERGY_COLUMNS \
  "a.id, a.patient_id, a.substance, a.system, a.code, a.reaction, a.severity," \
  " a.entered_in_error, a.created_at, a.created_by, a.updated_at, a.updated_by"

#define CR_PRESCRIPTION_COLUMNS \
  "r.id, r.patient_id, r.visit_id, r.drug, r.system, r.code, r.strength, r.form, r.dose," \
  " r.route, r.frequency, r.duration, r.quantity, r.refills, r.instructions, r.start_date," \
  " r.stop_date, r.stop_reason, r.prescriber, r.entered_in_error, r.created_at, r.created_by," \
  " r.updated_at, r.updated_by"

#define CR_OUTCOME_COLUMNS \
  "o.id, o.patient_id, o.visit_id, o.diagnosis_id, o.prescription_id, o.result, o.note," \
  " o.entered_in_error, o.created_at, o.created_by, o.updated_at, o.updated_by," \
  " CASE WHEN o.diagnosis_id IS NOT NULL THEN" \
  "   (SELECT trim(CASE WHEN d.system = 'icd10cm' AND length(d.code) > 3" \
  "      THEN substr(d.code, 1, 3) || '.' || substr(d.code, 4) ELSE coalesce(d.code, '') END" \
  "      || ' ' || d.display) FROM visit_diagnoses d" \
  "    WHERE d.id = o.diagnosis_id)" \
  " ELSE (SELECT trim(r.drug || ' ' || coalesce(r.strength, '')) FROM prescriptions r" \
  "    WHERE r.id = o.prescription_id) END AS refers_to," \
  " CASE WHEN o.diagnosis_id IS NOT NULL THEN" \
  "   (SELECT substr(v.started_at, 1, 10) FROM visit_diagnoses d JOIN visits v ON v.id = d.visit_id" \
  "    WHERE d.id = o.diagnosis_id)" \
  " ELSE (SELECT r.start_date FROM prescriptions r WHERE r.id = o.prescription_id) END" \
  "   AS refers_to_date," \
  " (SELECT substr(v.started_at, 1, 10) FROM visits v WHERE v.id = o.visit_id) AS visit_date"

#define CR_FOLLOW_UP_COLUMNS \
  "f.id, f.patient_id, f.visit_id, f.due_date, f.reason, f.done, f.done_at," \
  " f.entered_in_error, f.created_at, f.created_by, f.updated_at, f.updated_by"

#define CR_AMENDMENT_COLUMNS \
  "m.id, m.visit_id, m.reason, m.text, m.created_at, m.created_by"

#define CR_VISIT_COLUMNS \
  "v.id, v.patient_id, v.started_at, v.clinician, v.type, v.chief_complaint, v.subjective," \
  " v.objective, v.bp_systolic, v.bp_diastolic, v.pulse, v.temperature_c, v.respiratory_rate," \
  " v.spo2, v.weight_kg, v.height_cm, v.assessment, v.plan, v.status, v.signed_by," \
  " v.signed_at, v.entered_in_error, v.created_at, v.created_by, v.updated_at, v.updated_by"

/* Validation shared by the visit and the store. Each sets CR_CHART_ERROR
 * with @code and a message that names @label. */
gboolean  _cr_check_text          (const char    *value,
                                   gboolean       required,
                                   glong          max_chars,
                                   int            code,
                                   const char    *label,
                                   GError       **error);
/* An ISO date (YYYY-MM-DD) that exists, between 1880 and @max_days_ahead
 * days from today (-1: no upper bound). NULL passes unless @required. */
gboolean  _cr_check_date          (const char    *value,
                                   gboolean       required,
                                   int            max_days_ahead,
                                   int            code,
                                   const char    *label,
                                   GError       **error);

/* cr-visit.c: what the store sets on a visit. */
void      _cr_visit_set_id        (CrVisit       *self,
                                   gint64         id);
void      _cr_visit_set_signed    (CrVisit       *self,
                                   const char    *signed_by,
                                   const char    *signed_at);
void      _cr_visit_set_stamps    (CrVisit       *self,
                                   const char    *created_at,
                                   const char    *created_by,
                                   const char    *updated_at,
                                   const char    *updated_by);
GListStore *_cr_visit_get_diagnosis_store (CrVisit *self);
GListStore *_cr_visit_get_amendment_store (CrVisit *self);
GListStore *_cr_visit_get_outcome_store   (CrVisit *self);

G_END_DECLS
