/* cr-clinical.c: the rows of a chart, as read-only objects for the UI
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cr-clinical"

#include "config.h"

#include <math.h>
#include <string.h>

#include "cr-clinical-private.h"
#include "cr-date.h"
#include "cr-enums.h"

G_DEFINE_QUARK (cr-chart-error-quark, cr_chart_error)

/* ---- the field machinery -------------------------------------------- */

typedef struct
{
  const CrField *fields;
  guint          n_fields;
} FieldTable;

static GQuark
field_table_quark (void)
{
  static GQuark quark;

  if (G_UNLIKELY (quark == 0))
    quark = g_quark_from_static_string ("cr-clinical-fields");
  return quark;
}

#define FIELD_PTR(instance, field) ((gpointer) ((guint8 *) (instance) + (field)->offset))

void
_cr_fields_install (GObjectClass  *klass,
                    const CrField *fields,
                    guint          n_fields)
{
  FieldTable *table = g_new0 (FieldTable, 1);

  table->fields = fields;
  table->n_fields = n_fields;
  g_type_set_qdata (G_OBJECT_CLASS_TYPE (klass), field_table_quark (), table);

  for (guint i = 0; i < n_fields; i++)
    {
      const CrField *f = &fields[i];
      GParamFlags flags = (f->writable ? G_PARAM_READWRITE : G_PARAM_READABLE) |
                          G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
      GParamSpec *pspec = NULL;

      switch (f->kind)
        {
        case CR_FIELD_INT64:
          pspec = g_param_spec_int64 (f->name, NULL, NULL, 0, G_MAXINT64, 0, flags);
          break;
        case CR_FIELD_INT:
          pspec = g_param_spec_int (f->name, NULL, NULL, G_MININT, G_MAXINT, 0, flags);
          break;
        case CR_FIELD_DOUBLE:
          pspec = g_param_spec_double (f->name, NULL, NULL, -G_MAXDOUBLE, G_MAXDOUBLE, 0, flags);
          break;
        case CR_FIELD_BOOLEAN:
          pspec = g_param_spec_boolean (f->name, NULL, NULL, FALSE, flags);
          break;
        case CR_FIELD_STRING:
          pspec = g_param_spec_string (f->name, NULL, NULL, NULL, flags);
          break;
        case CR_FIELD_ENUM:
          pspec = g_param_spec_enum (f->name, NULL, NULL, f->enum_type (), 0, flags);
          break;
        default:
          g_assert_not_reached ();
        }
      g_object_class_install_property (klass, i + 1, pspec);
    }
}

void
_cr_fields_free (gpointer       instance,
                 const CrField *fields,
                 guint          n_fields)
{
  for (guint i = 0; i < n_fields; i++)
    if (fields[i].kind == CR_FIELD_STRING)
      g_clear_pointer ((char **) FIELD_PTR (instance, &fields[i]), g_free);
}

void
_cr_fields_get (gpointer       instance,
                const CrField *fields,
                guint          n_fields,
                guint          prop_id,
                GValue        *value)
{
  const CrField *f;
  gpointer p;

  g_assert (prop_id >= 1 && prop_id <= n_fields);
  f = &fields[prop_id - 1];
  p = FIELD_PTR (instance, f);

  switch (f->kind)
    {
    case CR_FIELD_INT64:
      g_value_set_int64 (value, *(gint64 *) p);
      break;
    case CR_FIELD_INT:
      g_value_set_int (value, *(int *) p);
      break;
    case CR_FIELD_DOUBLE:
      g_value_set_double (value, *(double *) p);
      break;
    case CR_FIELD_BOOLEAN:
      g_value_set_boolean (value, *(gboolean *) p);
      break;
    case CR_FIELD_STRING:
      g_value_set_string (value, *(char **) p);
      break;
    case CR_FIELD_ENUM:
      g_value_set_enum (value, *(int *) p);
      break;
    default:
      g_assert_not_reached ();
    }
}

gboolean
_cr_fields_set (gpointer       instance,
                const CrField *fields,
                guint          n_fields,
                guint          prop_id,
                const GValue  *value)
{
  const CrField *f;
  gpointer p;

  g_assert (prop_id >= 1 && prop_id <= n_fields);
  f = &fields[prop_id - 1];
  p = FIELD_PTR (instance, f);

  switch (f->kind)
    {
    case CR_FIELD_INT64:
      if (*(gint64 *) p == g_value_get_int64 (value))
        return FALSE;
      *(gint64 *) p = g_value_get_int64 (value);
      return TRUE;
    case CR_FIELD_INT:
      if (*(int *) p == g_value_get_int (value))
        return FALSE;
      *(int *) p = g_value_get_int (value);
      return TRUE;
    case CR_FIELD_DOUBLE:
      if (*(double *) p == g_value_get_double (value))
        return FALSE;
      *(double *) p = g_value_get_double (value);
      return TRUE;
    case CR_FIELD_BOOLEAN:
      if (!*(gboolean *) p == !g_value_get_boolean (value))
        return FALSE;
      *(gboolean *) p = g_value_get_boolean (value);
      return TRUE;
    case CR_FIELD_STRING:
      {
        const char *s = g_value_get_string (value);

        /* Empty and missing are the same for an optional text. */
        if (s != NULL && *s == '\0')
          s = NULL;
        if (g_strcmp0 (*(char **) p, s) == 0)
          return FALSE;
        g_free (*(char **) p);
        *(char **) p = g_strdup (s);
        return TRUE;
      }
    case CR_FIELD_ENUM:
      if (*(int *) p == g_value_get_enum (value))
        return FALSE;
      *(int *) p = g_value_get_enum (value);
      return TRUE;
    default:
      g_assert_not_reached ();
    }
  return FALSE;
}

#ifndef G_DISABLE_ASSERT
static gboolean
column_matches (const char *column,
                const char *property)
{
  for (; *column && *property; column++, property++)
    if (*column != *property && !(*column == '_' && *property == '-'))
      return FALSE;
  return *column == *property;
}
#endif

gpointer
_cr_clinical_new_from_row (GType         type,
                           sqlite3_stmt *stmt)
{
  FieldTable *table = g_type_get_qdata (type, field_table_quark ());
  gpointer instance;

  if (table == NULL)
    {
      /* The class installs its table: make sure it has been initialised. */
      g_type_class_unref (g_type_class_ref (type));
      table = g_type_get_qdata (type, field_table_quark ());
    }
  g_assert (table != NULL);
  g_assert ((guint) sqlite3_column_count (stmt) >= table->n_fields);

  instance = g_object_new (type, NULL);
  for (guint i = 0; i < table->n_fields; i++)
    {
      const CrField *f = &table->fields[i];
      gpointer p = FIELD_PTR (instance, f);

      g_assert (column_matches (sqlite3_column_name (stmt, i), f->name));

      switch (f->kind)
        {
        case CR_FIELD_INT64:
          *(gint64 *) p = sqlite3_column_int64 (stmt, i);
          break;
        case CR_FIELD_INT:
          *(int *) p = sqlite3_column_int (stmt, i);
          break;
        case CR_FIELD_DOUBLE:
          *(double *) p = sqlite3_column_double (stmt, i);
          break;
        case CR_FIELD_BOOLEAN:
          *(gboolean *) p = sqlite3_column_int (stmt, i) != 0;
          break;
        case CR_FIELD_STRING:
          *(char **) p = g_strdup ((const char *) sqlite3_column_text (stmt, i));
          break;
        case CR_FIELD_ENUM:
          {
            g_autoptr(GEnumClass) klass = g_type_class_ref (f->enum_type ());
            const char *text = (const char *) sqlite3_column_text (stmt, i);
            GEnumValue *ev = text ? g_enum_get_value_by_nick (klass, text) : NULL;

            *(int *) p = ev ? ev->value : 0;
          }
          break;
        default:
          g_assert_not_reached ();
        }
    }

  return instance;
}

/* ---- validation ------------------------------------------------------ */

gboolean
_cr_check_text (const char  *value,
                gboolean     required,
                glong        max_chars,
                int          code,
                const char  *label,
                GError     **error)
{
  const char *p;

  if (value == NULL || *value == '\0')
    {
      if (required)
        {
          g_set_error (error, CR_CHART_ERROR, code, "The %s is required", label);
          return FALSE;
        }
      return TRUE;
    }

  if (!g_utf8_validate (value, -1, NULL))
    {
      g_set_error (error, CR_CHART_ERROR, code,
                   "The %s is not valid UTF-8 text", label);
      return FALSE;
    }

  if (required)
    {
      for (p = value; *p && g_unichar_isspace (g_utf8_get_char (p)); p = g_utf8_next_char (p))
        ;
      if (*p == '\0')
        {
          g_set_error (error, CR_CHART_ERROR, code, "The %s is required", label);
          return FALSE;
        }
    }

  if (g_utf8_strlen (value, -1) > max_chars)
    {
      g_set_error (error, CR_CHART_ERROR, code,
                   "The %s is too long (at most %ld characters)", label, max_chars);
      return FALSE;
    }

  return TRUE;
}

gboolean
_cr_check_date (const char  *value,
                gboolean     required,
                int          max_days_ahead,
                int          code,
                const char  *label,
                GError     **error)
{
  GDate date;
  GDate limit;

  if (value == NULL || *value == '\0')
    {
      if (required)
        {
          g_set_error (error, CR_CHART_ERROR, code, "The %s is required", label);
          return FALSE;
        }
      return TRUE;
    }

  if (!g_utf8_validate (value, -1, NULL) || strlen (value) != 10 ||
      !cr_date_from_iso (value, &date))
    {
      g_set_error (error, CR_CHART_ERROR, code,
                   "The %s is not a real date (YYYY-MM-DD)", label);
      return FALSE;
    }

  if (g_date_get_year (&date) < 1880)
    {
      g_set_error (error, CR_CHART_ERROR, code,
                   "The %s is before 1880", label);
      return FALSE;
    }

  if (max_days_ahead >= 0)
    {
      cr_date_set_today (&limit);
      g_date_add_days (&limit, max_days_ahead);
      if (g_date_compare (&date, &limit) > 0)
        {
          g_set_error (error, CR_CHART_ERROR, code,
                       max_days_ahead == 0 ? "The %s is in the future"
                                           : "The %s is too far in the future",
                       label);
          return FALSE;
        }
    }

  return TRUE;
}

/* ---- the types -------------------------------------------------------- */

#define DEFINE_CLINICAL_TYPE(TN, t_n, FIELDS)                                   \
  G_DEFINE_FINAL_TYPE (TN, t_n, G_TYPE_OBJECT)                                   \
                                                                                 \
  static void                                                                    \
  t_n##_finalize (GObject *object)                                               \
  {                                                                              \
    _cr_fields_free (object, FIELDS, G_N_ELEMENTS (FIELDS));                     \
    G_OBJECT_CLASS (t_n##_parent_class)->finalize (object);                      \
  }                                                                              \
                                                                                 \
  static void                                                                    \
  t_n##_get_property (GObject    *object,                                        \
                      guint       prop_id,                                       \
                      GValue     *value,                                         \
                      GParamSpec *pspec)                                         \
  {                                                                              \
    _cr_fields_get (object, FIELDS, G_N_ELEMENTS (FIELDS), prop_id, value);      \
  }                                                                              \
                                                                                 \
  static void                                                                    \
  t_n##_class_init (TN##Class *klass)                                            \
  {                                                                              \
    GObjectClass *object_class = G_OBJECT_CLASS (klass);                         \
                                                                                 \
    object_class->finalize = t_n##_finalize;                                     \
    object_class->get_property = t_n##_get_property;                             \
    _cr_fields_install (object_class, FIELDS, G_N_ELEMENTS (FIELDS));            \
  }                                                                              \
                                                                                 \
  static void                                                                    \
  t_n##_init (TN *self)                                                          \
  {                                                                              \
  }

#define GETTER(TN, t_n, CHECK, type, member, fallback)                           \
  type                                                                           \
  t_n##_get_##member (TN *self)                                                  \
  {                                                                              \
    g_return_val_if_fail (CHECK (self), fallback);                               \
    return self->member;                                                         \
  }

/* Diagnosis */

struct _CrDiagnosis
{
  GObject   parent_instance;
  gint64    id;
  gint64    visit_id;
  char     *system;
  char     *code;
  char     *display;
  gboolean  is_primary;
  gboolean  entered_in_error;
  char     *created_at;
  char     *created_by;
  char     *updated_at;
  char     *updated_by;
  char     *latest_outcome;
};

static const CrField diagnosis_fields[] = {
  CR_FIELD (CrDiagnosis, id, "id", CR_FIELD_INT64),
  CR_FIELD (CrDiagnosis, visit_id, "visit-id", CR_FIELD_INT64),
  CR_FIELD (CrDiagnosis, system, "system", CR_FIELD_STRING),
  CR_FIELD (CrDiagnosis, code, "code", CR_FIELD_STRING),
  CR_FIELD (CrDiagnosis, display, "display", CR_FIELD_STRING),
  CR_FIELD (CrDiagnosis, is_primary, "is-primary", CR_FIELD_BOOLEAN),
  CR_FIELD (CrDiagnosis, entered_in_error, "entered-in-error", CR_FIELD_BOOLEAN),
  CR_FIELD (CrDiagnosis, created_at, "created-at", CR_FIELD_STRING),
  CR_FIELD (CrDiagnosis, created_by, "created-by", CR_FIELD_STRING),
  CR_FIELD (CrDiagnosis, updated_at, "updated-at", CR_FIELD_STRING),
  CR_FIELD (CrDiagnosis, updated_by, "updated-by", CR_FIELD_STRING),
  CR_FIELD (CrDiagnosis, latest_outcome, "latest-outcome", CR_FIELD_STRING),
};

DEFINE_CLINICAL_TYPE (CrDiagnosis, cr_diagnosis, diagnosis_fields)
GETTER (CrDiagnosis, cr_diagnosis, CR_IS_DIAGNOSIS, gint64, id, 0)
GETTER (CrDiagnosis, cr_diagnosis, CR_IS_DIAGNOSIS, gint64, visit_id, 0)
GETTER (CrDiagnosis, cr_diagnosis, CR_IS_DIAGNOSIS, const char *, system, NULL)
GETTER (CrDiagnosis, cr_diagnosis, CR_IS_DIAGNOSIS, const char *, code, NULL)
GETTER (CrDiagnosis, cr_diagnosis, CR_IS_DIAGNOSIS, const char *, display, NULL)
GETTER (CrDiagnosis, cr_diagnosis, CR_IS_DIAGNOSIS, gboolean, is_primary, FALSE)
GETTER (CrDiagnosis, cr_diagnosis, CR_IS_DIAGNOSIS, gboolean, entered_in_error, FALSE)
GETTER (CrDiagnosis, cr_diagnosis, CR_IS_DIAGNOSIS, const char *, latest_outcome, NULL)
GETTER (CrDiagnosis, cr_diagnosis, CR_IS_DIAGNOSIS, const char *, created_by, NULL)

/* Problem */

struct _CrProblem
{
  GObject   parent_instance;
  gint64    id;
  gint64    patient_id;
  char     *system;
  char     *code;
  char     *display;
  char     *onset_date;
  int       status;
  char     *resolved_date;
  gboolean  chronic;
  gboolean  entered_in_error;
  char     *created_at;
  char     *created_by;
  char     *updated_at;
  char     *updated_by;
};

static const CrField problem_fields[] = {
  CR_FIELD (CrProblem, id, "id", CR_FIELD_INT64),
  CR_FIELD (CrProblem, patient_id, "patient-id", CR_FIELD_INT64),
  CR_FIELD (CrProblem, system, "system", CR_FIELD_STRING),
  CR_FIELD (CrProblem, code, "code", CR_FIELD_STRING),
  CR_FIELD (CrProblem, display, "display", CR_FIELD_STRING),
  CR_FIELD (CrProblem, onset_date, "onset-date", CR_FIELD_STRING),
  CR_FIELD_E (CrProblem, status, "status", cr_problem_status_get_type, FALSE),
  CR_FIELD (CrProblem, resolved_date, "resolved-date", CR_FIELD_STRING),
  CR_FIELD (CrProblem, chronic, "chronic", CR_FIELD_BOOLEAN),
  CR_FIELD (CrProblem, entered_in_error, "entered-in-error", CR_FIELD_BOOLEAN),
  CR_FIELD (CrProblem, created_at, "created-at", CR_FIELD_STRING),
  CR_FIELD (CrProblem, created_by, "created-by", CR_FIELD_STRING),
  CR_FIELD (CrProblem, updated_at, "updated-at", CR_FIELD_STRING),
  CR_FIELD (CrProblem, updated_by, "updated-by", CR_FIELD_STRING),
};

DEFINE_CLINICAL_TYPE (CrProblem, cr_problem, problem_fields)
GETTER (CrProblem, cr_problem, CR_IS_PROBLEM, gint64, id, 0)
GETTER (CrProblem, cr_problem, CR_IS_PROBLEM, gint64, patient_id, 0)
GETTER (CrProblem, cr_problem, CR_IS_PROBLEM, const char *, system, NULL)
GETTER (CrProblem, cr_problem, CR_IS_PROBLEM, const char *, code, NULL)
GETTER (CrProblem, cr_problem, CR_IS_PROBLEM, const char *, display, NULL)
GETTER (CrProblem, cr_problem, CR_IS_PROBLEM, const char *, onset_date, NULL)
GETTER (CrProblem, cr_problem, CR_IS_PROBLEM, CrProblemStatus, status, 0)
GETTER (CrProblem, cr_problem, CR_IS_PROBLEM, const char *, resolved_date, NULL)
GETTER (CrProblem, cr_problem, CR_IS_PROBLEM, gboolean, chronic, FALSE)
GETTER (CrProblem, cr_problem, CR_IS_PROBLEM, gboolean, entered_in_error, FALSE)

/* Allergy */

struct _CrAllergy
{
  GObject   parent_instance;
  gint64    id;
  gint64    patient_id;
  char     *substance;
  char     *system;
  char     *code;
  char     *reaction;
  int       severity;
  gboolean  entered_in_error;
  char     *created_at;
  char     *created_by;
  char     *updated_at;
  char     *updated_by;
};

static const CrField allergy_fields[] = {
  CR_FIELD (CrAllergy, id, "id", CR_FIELD_INT64),
  CR_FIELD (CrAllergy, patient_id, "patient-id", CR_FIELD_INT64),
  CR_FIELD (CrAllergy, substance, "substance", CR_FIELD_STRING),
  CR_FIELD (CrAllergy, system, "system", CR_FIELD_STRING),
  CR_FIELD (CrAllergy, code, "code", CR_FIELD_STRING),
  CR_FIELD (CrAllergy, reaction, "reaction", CR_FIELD_STRING),
  CR_FIELD_E (CrAllergy, severity, "severity", cr_allergy_severity_get_type, FALSE),
  CR_FIELD (CrAllergy, entered_in_error, "entered-in-error", CR_FIELD_BOOLEAN),
  CR_FIELD (CrAllergy, created_at, "created-at", CR_FIELD_STRING),
  CR_FIELD (CrAllergy, created_by, "created-by", CR_FIELD_STRING),
  CR_FIELD (CrAllergy, updated_at, "updated-at", CR_FIELD_STRING),
  CR_FIELD (CrAllergy, updated_by, "updated-by", CR_FIELD_STRING),
};

DEFINE_CLINICAL_TYPE (CrAllergy, cr_allergy, allergy_fields)
GETTER (CrAllergy, cr_allergy, CR_IS_ALLERGY, gint64, id, 0)
GETTER (CrAllergy, cr_allergy, CR_IS_ALLERGY, gint64, patient_id, 0)
GETTER (CrAllergy, cr_allergy, CR_IS_ALLERGY, const char *, substance, NULL)
GETTER (CrAllergy, cr_allergy, CR_IS_ALLERGY, const char *, reaction, NULL)
GETTER (CrAllergy, cr_allergy, CR_IS_ALLERGY, CrAllergySeverity, severity, 0)
GETTER (CrAllergy, cr_allergy, CR_IS_ALLERGY, gboolean, entered_in_error, FALSE)

/* Prescription */

struct _CrPrescription
{
  GObject   parent_instance;
  gint64    id;
  gint64    patient_id;
  gint64    visit_id;
  char     *drug;
  char     *system;
  char     *code;
  char     *strength;
  char     *form;
  char     *dose;
  char     *route;
  char     *frequency;
  char     *duration;
  char     *quantity;
  int       refills;
  char     *instructions;
  char     *start_date;
  char     *stop_date;
  char     *stop_reason;
  char     *prescriber;
  gboolean  entered_in_error;
  char     *created_at;
  char     *created_by;
  char     *updated_at;
  char     *updated_by;
};

static const CrField prescription_fields[] = {
  CR_FIELD (CrPrescription, id, "id", CR_FIELD_INT64),
  CR_FIELD (CrPrescription, patient_id, "patient-id", CR_FIELD_INT64),
  CR_FIELD (CrPrescription, visit_id, "visit-id", CR_FIELD_INT64),
  CR_FIELD (CrPrescription, drug, "drug", CR_FIELD_STRING),
  CR_FIELD (CrPrescription, system, "system", CR_FIELD_STRING),
  CR_FIELD (CrPrescription, code, "code", CR_FIELD_STRING),
  CR_FIELD (CrPrescription, strength, "strength", CR_FIELD_STRING),
  CR_FIELD (CrPrescription, form, "form", CR_FIELD_STRING),
  CR_FIELD (CrPrescription, dose, "dose", CR_FIELD_STRING),
  CR_FIELD (CrPrescription, route, "route", CR_FIELD_STRING),
  CR_FIELD (CrPrescription, frequency, "frequency", CR_FIELD_STRING),
  CR_FIELD (CrPrescription, duration, "duration", CR_FIELD_STRING),
  CR_FIELD (CrPrescription, quantity, "quantity", CR_FIELD_STRING),
  CR_FIELD (CrPrescription, refills, "refills", CR_FIELD_INT),
  CR_FIELD (CrPrescription, instructions, "instructions", CR_FIELD_STRING),
  CR_FIELD (CrPrescription, start_date, "start-date", CR_FIELD_STRING),
  CR_FIELD (CrPrescription, stop_date, "stop-date", CR_FIELD_STRING),
  CR_FIELD (CrPrescription, stop_reason, "stop-reason", CR_FIELD_STRING),
  CR_FIELD (CrPrescription, prescriber, "prescriber", CR_FIELD_STRING),
  CR_FIELD (CrPrescription, entered_in_error, "entered-in-error", CR_FIELD_BOOLEAN),
  CR_FIELD (CrPrescription, created_at, "created-at", CR_FIELD_STRING),
  CR_FIELD (CrPrescription, created_by, "created-by", CR_FIELD_STRING),
  CR_FIELD (CrPrescription, updated_at, "updated-at", CR_FIELD_STRING),
  CR_FIELD (CrPrescription, updated_by, "updated-by", CR_FIELD_STRING),
};

DEFINE_CLINICAL_TYPE (CrPrescription, cr_prescription, prescription_fields)
GETTER (CrPrescription, cr_prescription, CR_IS_PRESCRIPTION, gint64, id, 0)
GETTER (CrPrescription, cr_prescription, CR_IS_PRESCRIPTION, gint64, patient_id, 0)
GETTER (CrPrescription, cr_prescription, CR_IS_PRESCRIPTION, gint64, visit_id, 0)
GETTER (CrPrescription, cr_prescription, CR_IS_PRESCRIPTION, const char *, drug, NULL)
GETTER (CrPrescription, cr_prescription, CR_IS_PRESCRIPTION, const char *, system, NULL)
GETTER (CrPrescription, cr_prescription, CR_IS_PRESCRIPTION, const char *, code, NULL)
GETTER (CrPrescription, cr_prescription, CR_IS_PRESCRIPTION, const char *, strength, NULL)
GETTER (CrPrescription, cr_prescription, CR_IS_PRESCRIPTION, const char *, form, NULL)
GETTER (CrPrescription, cr_prescription, CR_IS_PRESCRIPTION, const char *, dose, NULL)
GETTER (CrPrescription, cr_prescription, CR_IS_PRESCRIPTION, const char *, route, NULL)
GETTER (CrPrescription, cr_prescription, CR_IS_PRESCRIPTION, const char *, frequency, NULL)
GETTER (CrPrescription, cr_prescription, CR_IS_PRESCRIPTION, const char *, duration, NULL)
GETTER (CrPrescription, cr_prescription, CR_IS_PRESCRIPTION, const char *, quantity, NULL)
GETTER (CrPrescription, cr_prescription, CR_IS_PRESCRIPTION, int, refills, 0)
GETTER (CrPrescription, cr_prescription, CR_IS_PRESCRIPTION, const char *, instructions, NULL)
GETTER (CrPrescription, cr_prescription, CR_IS_PRESCRIPTION, const char *, start_date, NULL)
GETTER (CrPrescription, cr_prescription, CR_IS_PRESCRIPTION, const char *, stop_date, NULL)
GETTER (CrPrescription, cr_prescription, CR_IS_PRESCRIPTION, const char *, stop_reason, NULL)
GETTER (CrPrescription, cr_prescription, CR_IS_PRESCRIPTION, const char *, prescriber, NULL)
GETTER (CrPrescription, cr_prescription, CR_IS_PRESCRIPTION, gboolean, entered_in_error, FALSE)

/**
 * cr_prescription_dup_label:
 *
 * Returns: (transfer full): the drug with its strength and form
 */
char *
cr_prescription_dup_label (CrPrescription *self)
{
  GString *label;

  g_return_val_if_fail (CR_IS_PRESCRIPTION (self), NULL);

  label = g_string_new (self->drug);
  if (self->strength != NULL)
    g_string_append_printf (label, " %s", self->strength);
  if (self->form != NULL)
    g_string_append_printf (label, " %s", self->form);
  return g_string_free (label, FALSE);
}

/* Outcome */

struct _CrOutcome
{
  GObject   parent_instance;
  gint64    id;
  gint64    patient_id;
  gint64    visit_id;
  gint64    diagnosis_id;
  gint64    prescription_id;
  int       result;
  char     *note;
  gboolean  entered_in_error;
  char     *created_at;
  char     *created_by;
  char     *updated_at;
  char     *updated_by;
  char     *refers_to;
  char     *refers_to_date;
  char     *visit_date;
};

static const CrField outcome_fields[] = {
  CR_FIELD (CrOutcome, id, "id", CR_FIELD_INT64),
  CR_FIELD (CrOutcome, patient_id, "patient-id", CR_FIELD_INT64),
  CR_FIELD (CrOutcome, visit_id, "visit-id", CR_FIELD_INT64),
  CR_FIELD (CrOutcome, diagnosis_id, "diagnosis-id", CR_FIELD_INT64),
  CR_FIELD (CrOutcome, prescription_id, "prescription-id", CR_FIELD_INT64),
  CR_FIELD_E (CrOutcome, result, "result", cr_outcome_result_get_type, FALSE),
  CR_FIELD (CrOutcome, note, "note", CR_FIELD_STRING),
  CR_FIELD (CrOutcome, entered_in_error, "entered-in-error", CR_FIELD_BOOLEAN),
  CR_FIELD (CrOutcome, created_at, "created-at", CR_FIELD_STRING),
  CR_FIELD (CrOutcome, created_by, "created-by", CR_FIELD_STRING),
  CR_FIELD (CrOutcome, updated_at, "updated-at", CR_FIELD_STRING),
  CR_FIELD (CrOutcome, updated_by, "updated-by", CR_FIELD_STRING),
  CR_FIELD (CrOutcome, refers_to, "refers-to", CR_FIELD_STRING),
  CR_FIELD (CrOutcome, refers_to_date, "refers-to-date", CR_FIELD_STRING),
  CR_FIELD (CrOutcome, visit_date, "visit-date", CR_FIELD_STRING),
};

DEFINE_CLINICAL_TYPE (CrOutcome, cr_outcome, outcome_fields)
GETTER (CrOutcome, cr_outcome, CR_IS_OUTCOME, gint64, id, 0)
GETTER (CrOutcome, cr_outcome, CR_IS_OUTCOME, gint64, patient_id, 0)
GETTER (CrOutcome, cr_outcome, CR_IS_OUTCOME, gint64, visit_id, 0)
GETTER (CrOutcome, cr_outcome, CR_IS_OUTCOME, gint64, diagnosis_id, 0)
GETTER (CrOutcome, cr_outcome, CR_IS_OUTCOME, gint64, prescription_id, 0)
GETTER (CrOutcome, cr_outcome, CR_IS_OUTCOME, CrOutcomeResult, result, 0)
GETTER (CrOutcome, cr_outcome, CR_IS_OUTCOME, const char *, note, NULL)
GETTER (CrOutcome, cr_outcome, CR_IS_OUTCOME, gboolean, entered_in_error, FALSE)
GETTER (CrOutcome, cr_outcome, CR_IS_OUTCOME, const char *, refers_to, NULL)
GETTER (CrOutcome, cr_outcome, CR_IS_OUTCOME, const char *, refers_to_date, NULL)
GETTER (CrOutcome, cr_outcome, CR_IS_OUTCOME, const char *, visit_date, NULL)

/* Follow-up */

struct _CrFollowUp
{
  GObject   parent_instance;
  gint64    id;
  gint64    patient_id;
  gint64    visit_id;
  char     *due_date;
  char     *reason;
  gboolean  done;
  char     *done_at;
  gboolean  entered_in_error;
  char     *created_at;
  char     *created_by;
  char     *updated_at;
  char     *updated_by;
};

static const CrField follow_up_fields[] = {
  CR_FIELD (CrFollowUp, id, "id", CR_FIELD_INT64),
  CR_FIELD (CrFollowUp, patient_id, "patient-id", CR_FIELD_INT64),
  CR_FIELD (CrFollowUp, visit_id, "visit-id", CR_FIELD_INT64),
  CR_FIELD (CrFollowUp, due_date, "due-date", CR_FIELD_STRING),
  CR_FIELD (CrFollowUp, reason, "reason", CR_FIELD_STRING),
  CR_FIELD (CrFollowUp, done, "done", CR_FIELD_BOOLEAN),
  CR_FIELD (CrFollowUp, done_at, "done-at", CR_FIELD_STRING),
  CR_FIELD (CrFollowUp, entered_in_error, "entered-in-error", CR_FIELD_BOOLEAN),
  CR_FIELD (CrFollowUp, created_at, "created-at", CR_FIELD_STRING),
  CR_FIELD (CrFollowUp, created_by, "created-by", CR_FIELD_STRING),
  CR_FIELD (CrFollowUp, updated_at, "updated-at", CR_FIELD_STRING),
  CR_FIELD (CrFollowUp, updated_by, "updated-by", CR_FIELD_STRING),
};

DEFINE_CLINICAL_TYPE (CrFollowUp, cr_follow_up, follow_up_fields)
GETTER (CrFollowUp, cr_follow_up, CR_IS_FOLLOW_UP, gint64, id, 0)
GETTER (CrFollowUp, cr_follow_up, CR_IS_FOLLOW_UP, gint64, patient_id, 0)
GETTER (CrFollowUp, cr_follow_up, CR_IS_FOLLOW_UP, gint64, visit_id, 0)
GETTER (CrFollowUp, cr_follow_up, CR_IS_FOLLOW_UP, const char *, due_date, NULL)
GETTER (CrFollowUp, cr_follow_up, CR_IS_FOLLOW_UP, const char *, reason, NULL)
GETTER (CrFollowUp, cr_follow_up, CR_IS_FOLLOW_UP, gboolean, done, FALSE)
GETTER (CrFollowUp, cr_follow_up, CR_IS_FOLLOW_UP, const char *, done_at, NULL)
GETTER (CrFollowUp, cr_follow_up, CR_IS_FOLLOW_UP, gboolean, entered_in_error, FALSE)

/* Amendment */

struct _CrAmendment
{
  GObject   parent_instance;
  gint64    id;
  gint64    visit_id;
  char     *reason;
  char     *text;
  char     *created_at;
  char     *created_by;
};

static const CrField amendment_fields[] = {
  CR_FIELD (CrAmendment, id, "id", CR_FIELD_INT64),
  CR_FIELD (CrAmendment, visit_id, "visit-id", CR_FIELD_INT64),
  CR_FIELD (CrAmendment, reason, "reason", CR_FIELD_STRING),
  CR_FIELD (CrAmendment, text, "text", CR_FIELD_STRING),
  CR_FIELD (CrAmendment, created_at, "created-at", CR_FIELD_STRING),
  CR_FIELD (CrAmendment, created_by, "created-by", CR_FIELD_STRING),
};

DEFINE_CLINICAL_TYPE (CrAmendment, cr_amendment, amendment_fields)
GETTER (CrAmendment, cr_amendment, CR_IS_AMENDMENT, gint64, id, 0)
GETTER (CrAmendment, cr_amendment, CR_IS_AMENDMENT, gint64, visit_id, 0)
GETTER (CrAmendment, cr_amendment, CR_IS_AMENDMENT, const char *, reason, NULL)
GETTER (CrAmendment, cr_amendment, CR_IS_AMENDMENT, const char *, text, NULL)
GETTER (CrAmendment, cr_amendment, CR_IS_AMENDMENT, const char *, created_at, NULL)
GETTER (CrAmendment, cr_amendment, CR_IS_AMENDMENT, const char *, created_by, NULL)

/* ---- enums as stored ------------------------------------------------- */

static const char *
enum_to_nick (GType type,
              int   value)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (type);
  GEnumValue *ev = g_enum_get_value (klass, value);

  /* Nicks are static strings owned by the enum's type, which stays. */
  return ev ? ev->value_nick : NULL;
}

const char *
cr_outcome_result_to_string (CrOutcomeResult result)
{
  return enum_to_nick (CR_TYPE_OUTCOME_RESULT, result);
}

gboolean
cr_outcome_result_from_string (const char      *text,
                               CrOutcomeResult *result)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (CR_TYPE_OUTCOME_RESULT);
  GEnumValue *ev = text ? g_enum_get_value_by_nick (klass, text) : NULL;

  if (ev == NULL)
    return FALSE;
  if (result != NULL)
    *result = ev->value;
  return TRUE;
}

const char *
cr_allergy_severity_to_string (CrAllergySeverity severity)
{
  return enum_to_nick (CR_TYPE_ALLERGY_SEVERITY, severity);
}

const char *
cr_visit_type_to_string (CrVisitType type)
{
  return enum_to_nick (CR_TYPE_VISIT_TYPE, type);
}
