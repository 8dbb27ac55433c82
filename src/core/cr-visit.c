/* cr-visit.c: one visit's note (draft or signed)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cr-visit"

#include "config.h"

#include <math.h>
#include <string.h>

#include "cr-clinical-private.h"
#include "cr-date.h"
#include "cr-enums.h"
#include "cr-visit.h"

/* Limits, in characters, of the note's texts. */
#define MAX_SHORT      200
#define MAX_COMPLAINT  500
#define MAX_NARRATIVE  65536

/* A visit may be charted ahead (pre-charting a booked visit), not years. */
#define MAX_DAYS_AHEAD 366

struct _CrVisit
{
  GObject     parent_instance;

  gint64      id;
  gint64      patient_id;
  char       *started_at;
  char       *clinician;
  int         type;
  char       *chief_complaint;
  char       *subjective;
  char       *objective;
  int         bp_systolic;
  int         bp_diastolic;
  int         pulse;
  double      temperature_c;
  int         respiratory_rate;
  int         spo2;
  double      weight_kg;
  double      height_cm;
  char       *assessment;
  char       *plan;
  int         status;
  char       *signed_by;
  char       *signed_at;
  gboolean    entered_in_error;
  char       *created_at;
  char       *created_by;
  char       *updated_at;
  char       *updated_by;

  GListStore *diagnoses;
  GListStore *amendments;
  GListStore *outcomes;
};

/* In CR_VISIT_COLUMNS order: property i is visit_fields[i - 1]. */
enum {
  PROP_0,
  PROP_ID,
  PROP_PATIENT_ID,
  PROP_STARTED_AT,
  PROP_CLINICIAN,
  PROP_TYPE,
  PROP_CHIEF_COMPLAINT,
  PROP_SUBJECTIVE,
  PROP_OBJECTIVE,
  PROP_BP_SYSTOLIC,
  PROP_BP_DIASTOLIC,
  PROP_PULSE,
  PROP_TEMPERATURE_C,
  PROP_RESPIRATORY_RATE,
  PROP_SPO2,
  PROP_WEIGHT_KG,
  PROP_HEIGHT_CM,
  PROP_ASSESSMENT,
  PROP_PLAN,
  PROP_STATUS,
  PROP_SIGNED_BY,
  PROP_SIGNED_AT,
  PROP_ENTERED_IN_ERROR,
  PROP_CREATED_AT,
  PROP_CREATED_BY,
  PROP_UPDATED_AT,
  PROP_UPDATED_BY,
  N_FIELD_PROPS,
};

static const CrField visit_fields[] = {
  CR_FIELD (CrVisit, id, "id", CR_FIELD_INT64),
  CR_FIELD (CrVisit, patient_id, "patient-id", CR_FIELD_INT64),
  CR_FIELD_RW (CrVisit, started_at, "started-at", CR_FIELD_STRING),
  CR_FIELD_RW (CrVisit, clinician, "clinician", CR_FIELD_STRING),
  CR_FIELD_E (CrVisit, type, "type", cr_visit_type_get_type, TRUE),
  CR_FIELD_RW (CrVisit, chief_complaint, "chief-complaint", CR_FIELD_STRING),
  CR_FIELD_RW (CrVisit, subjective, "subjective", CR_FIELD_STRING),
  CR_FIELD_RW (CrVisit, objective, "objective", CR_FIELD_STRING),
  CR_FIELD_RW (CrVisit, bp_systolic, "bp-systolic", CR_FIELD_INT),
  CR_FIELD_RW (CrVisit, bp_diastolic, "bp-diastolic", CR_FIELD_INT),
  CR_FIELD_RW (CrVisit, pulse, "pulse", CR_FIELD_INT),
  CR_FIELD_RW (CrVisit, temperature_c, "temperature-c", CR_FIELD_DOUBLE),
  CR_FIELD_RW (CrVisit, respiratory_rate, "respiratory-rate", CR_FIELD_INT),
  CR_FIELD_RW (CrVisit, spo2, "spo2", CR_FIELD_INT),
  CR_FIELD_RW (CrVisit, weight_kg, "weight-kg", CR_FIELD_DOUBLE),
  CR_FIELD_RW (CrVisit, height_cm, "height-cm", CR_FIELD_DOUBLE),
  CR_FIELD_RW (CrVisit, assessment, "assessment", CR_FIELD_STRING),
  CR_FIELD_RW (CrVisit, plan, "plan", CR_FIELD_STRING),
  CR_FIELD_E (CrVisit, status, "status", cr_visit_status_get_type, FALSE),
  CR_FIELD (CrVisit, signed_by, "signed-by", CR_FIELD_STRING),
  CR_FIELD (CrVisit, signed_at, "signed-at", CR_FIELD_STRING),
  CR_FIELD (CrVisit, entered_in_error, "entered-in-error", CR_FIELD_BOOLEAN),
  CR_FIELD (CrVisit, created_at, "created-at", CR_FIELD_STRING),
  CR_FIELD (CrVisit, created_by, "created-by", CR_FIELD_STRING),
  CR_FIELD (CrVisit, updated_at, "updated-at", CR_FIELD_STRING),
  CR_FIELD (CrVisit, updated_by, "updated-by", CR_FIELD_STRING),
};

G_STATIC_ASSERT (G_N_ELEMENTS (visit_fields) == N_FIELD_PROPS - 1);

enum {
  PROP_DIAGNOSES = N_FIELD_PROPS,
  PROP_AMENDMENTS,
  PROP_OUTCOMES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (CrVisit, cr_visit, G_TYPE_OBJECT)

static void
cr_visit_finalize (GObject *object)
{
  CrVisit *self = (CrVisit *)object;

  _cr_fields_free (self, visit_fields, G_N_ELEMENTS (visit_fields));
  g_clear_object (&self->diagnoses);
  g_clear_object (&self->amendments);
  g_clear_object (&self->outcomes);

  G_OBJECT_CLASS (cr_visit_parent_class)->finalize (object);
}

static void
cr_visit_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  CrVisit *self = CR_VISIT (object);

  switch (prop_id)
    {
    case PROP_DIAGNOSES:
      g_value_set_object (value, self->diagnoses);
      break;
    case PROP_AMENDMENTS:
      g_value_set_object (value, self->amendments);
      break;
    case PROP_OUTCOMES:
      g_value_set_object (value, self->outcomes);
      break;
    default:
      if (prop_id > PROP_0 && prop_id < N_FIELD_PROPS)
        _cr_fields_get (self, visit_fields, G_N_ELEMENTS (visit_fields), prop_id, value);
      else
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cr_visit_set_property (GObject      *object,
                       guint         prop_id,
                       const GValue *value,
                       GParamSpec   *pspec)
{
  CrVisit *self = CR_VISIT (object);

  if (prop_id > PROP_0 && prop_id < N_FIELD_PROPS)
    {
      if (_cr_fields_set (self, visit_fields, G_N_ELEMENTS (visit_fields), prop_id, value))
        g_object_notify_by_pspec (object, pspec);
    }
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
cr_visit_class_init (CrVisitClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cr_visit_finalize;
  object_class->get_property = cr_visit_get_property;
  object_class->set_property = cr_visit_set_property;

  _cr_fields_install (object_class, visit_fields, G_N_ELEMENTS (visit_fields));

  properties[PROP_DIAGNOSES] =
    g_param_spec_object ("diagnoses", NULL, NULL, G_TYPE_LIST_MODEL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_AMENDMENTS] =
    g_param_spec_object ("amendments", NULL, NULL, G_TYPE_LIST_MODEL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_OUTCOMES] =
    g_param_spec_object ("outcomes", NULL, NULL, G_TYPE_LIST_MODEL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  for (guint i = PROP_DIAGNOSES; i < N_PROPS; i++)
    g_object_class_install_property (object_class, i, properties[i]);

  for (guint i = PROP_ID; i < N_FIELD_PROPS; i++)
    properties[i] = g_object_class_find_property (object_class, visit_fields[i - 1].name);
}

static void
cr_visit_init (CrVisit *self)
{
  self->diagnoses = g_list_store_new (CR_TYPE_DIAGNOSIS);
  self->amendments = g_list_store_new (CR_TYPE_AMENDMENT);
  self->outcomes = g_list_store_new (CR_TYPE_OUTCOME);
}

/**
 * cr_visit_new:
 * @patient_id: whose visit
 *
 * Returns: (transfer full): a new draft, started now
 */
CrVisit *
cr_visit_new (gint64 patient_id)
{
  CrVisit *self = g_object_new (CR_TYPE_VISIT, NULL);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  self->patient_id = patient_id;
  self->started_at = g_date_time_format (now, "%Y-%m-%dT%H:%M");
  return self;
}

/* ---- accessors ------------------------------------------------------- */

static void
set_string (CrVisit    *self,
            guint       prop,
            const char *value)
{
  g_auto(GValue) v = G_VALUE_INIT;

  g_value_init (&v, G_TYPE_STRING);
  g_value_set_string (&v, value);
  if (_cr_fields_set (self, visit_fields, G_N_ELEMENTS (visit_fields), prop, &v))
    g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
set_int (CrVisit *self,
         guint    prop,
         int      value)
{
  g_auto(GValue) v = G_VALUE_INIT;

  g_value_init (&v, G_TYPE_INT);
  g_value_set_int (&v, value);
  if (_cr_fields_set (self, visit_fields, G_N_ELEMENTS (visit_fields), prop, &v))
    g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
set_double (CrVisit *self,
            guint    prop,
            double   value)
{
  g_auto(GValue) v = G_VALUE_INIT;

  g_value_init (&v, G_TYPE_DOUBLE);
  g_value_set_double (&v, value);
  if (_cr_fields_set (self, visit_fields, G_N_ELEMENTS (visit_fields), prop, &v))
    g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

#define GETTER(type, member, fallback)                           \
  type                                                           \
  cr_visit_get_##member (CrVisit *self)                          \
  {                                                              \
    g_return_val_if_fail (CR_IS_VISIT (self), fallback);         \
    return self->member;                                         \
  }

#define STRING_SETTER(member, PROP)                              \
  void                                                           \
  cr_visit_set_##member (CrVisit    *self,                       \
                         const char *value)                      \
  {                                                              \
    g_return_if_fail (CR_IS_VISIT (self));                       \
    set_string (self, PROP, value);                              \
  }

GETTER (gint64, id, 0)
GETTER (gint64, patient_id, 0)
GETTER (const char *, started_at, NULL)
GETTER (const char *, clinician, NULL)
GETTER (const char *, chief_complaint, NULL)
GETTER (const char *, subjective, NULL)
GETTER (const char *, objective, NULL)
GETTER (const char *, assessment, NULL)
GETTER (const char *, plan, NULL)
GETTER (int, bp_systolic, 0)
GETTER (int, bp_diastolic, 0)
GETTER (int, pulse, 0)
GETTER (double, temperature_c, 0)
GETTER (int, respiratory_rate, 0)
GETTER (int, spo2, 0)
GETTER (double, weight_kg, 0)
GETTER (double, height_cm, 0)
GETTER (const char *, signed_by, NULL)
GETTER (const char *, signed_at, NULL)
GETTER (gboolean, entered_in_error, FALSE)
GETTER (const char *, created_at, NULL)
GETTER (const char *, created_by, NULL)
GETTER (const char *, updated_at, NULL)
GETTER (const char *, updated_by, NULL)

STRING_SETTER (started_at, PROP_STARTED_AT)
STRING_SETTER (clinician, PROP_CLINICIAN)
STRING_SETTER (chief_complaint, PROP_CHIEF_COMPLAINT)
STRING_SETTER (subjective, PROP_SUBJECTIVE)
STRING_SETTER (objective, PROP_OBJECTIVE)
STRING_SETTER (assessment, PROP_ASSESSMENT)
STRING_SETTER (plan, PROP_PLAN)

CrVisitType
cr_visit_get_visit_type (CrVisit *self)
{
  g_return_val_if_fail (CR_IS_VISIT (self), CR_VISIT_TYPE_OFFICE);
  return self->type;
}

void
cr_visit_set_visit_type (CrVisit     *self,
                         CrVisitType  type)
{
  g_return_if_fail (CR_IS_VISIT (self));
  g_return_if_fail (type >= CR_VISIT_TYPE_OFFICE && type <= CR_VISIT_TYPE_OTHER);

  if ((int) type == self->type)
    return;
  self->type = type;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TYPE]);
}

CrVisitStatus
cr_visit_get_status (CrVisit *self)
{
  g_return_val_if_fail (CR_IS_VISIT (self), CR_VISIT_STATUS_DRAFT);
  return self->status;
}

gboolean
cr_visit_is_signed (CrVisit *self)
{
  g_return_val_if_fail (CR_IS_VISIT (self), FALSE);
  return self->status == CR_VISIT_STATUS_SIGNED;
}

void
cr_visit_set_blood_pressure (CrVisit *self,
                             int      systolic,
                             int      diastolic)
{
  g_return_if_fail (CR_IS_VISIT (self));
  set_int (self, PROP_BP_SYSTOLIC, systolic);
  set_int (self, PROP_BP_DIASTOLIC, diastolic);
}

void
cr_visit_set_pulse (CrVisit *self,
                    int      per_minute)
{
  g_return_if_fail (CR_IS_VISIT (self));
  set_int (self, PROP_PULSE, per_minute);
}

void
cr_visit_set_temperature_c (CrVisit *self,
                            double   celsius)
{
  g_return_if_fail (CR_IS_VISIT (self));
  set_double (self, PROP_TEMPERATURE_C, celsius);
}

void
cr_visit_set_respiratory_rate (CrVisit *self,
                               int      per_minute)
{
  g_return_if_fail (CR_IS_VISIT (self));
  set_int (self, PROP_RESPIRATORY_RATE, per_minute);
}

void
cr_visit_set_spo2 (CrVisit *self,
                   int      percent)
{
  g_return_if_fail (CR_IS_VISIT (self));
  set_int (self, PROP_SPO2, percent);
}

void
cr_visit_set_weight_kg (CrVisit *self,
                        double   kg)
{
  g_return_if_fail (CR_IS_VISIT (self));
  set_double (self, PROP_WEIGHT_KG, kg);
}

void
cr_visit_set_height_cm (CrVisit *self,
                        double   cm)
{
  g_return_if_fail (CR_IS_VISIT (self));
  set_double (self, PROP_HEIGHT_CM, cm);
}

/**
 * cr_visit_get_diagnoses:
 *
 * Returns: (transfer none): the visit's #CrDiagnosis rows, primary first
 */
GListModel *
cr_visit_get_diagnoses (CrVisit *self)
{
  g_return_val_if_fail (CR_IS_VISIT (self), NULL);
  return G_LIST_MODEL (self->diagnoses);
}

/**
 * cr_visit_get_amendments:
 *
 * Returns: (transfer none): #CrAmendment rows, oldest first
 */
GListModel *
cr_visit_get_amendments (CrVisit *self)
{
  g_return_val_if_fail (CR_IS_VISIT (self), NULL);
  return G_LIST_MODEL (self->amendments);
}

/**
 * cr_visit_get_outcomes:
 *
 * Returns: (transfer none): #CrOutcome rows recorded at this visit
 */
GListModel *
cr_visit_get_outcomes (CrVisit *self)
{
  g_return_val_if_fail (CR_IS_VISIT (self), NULL);
  return G_LIST_MODEL (self->outcomes);
}

/* ---- what the store sets ---------------------------------------------- */

void
_cr_visit_set_id (CrVisit *self,
                  gint64   id)
{
  if (self->id == id)
    return;
  self->id = id;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
}

void
_cr_visit_set_signed (CrVisit    *self,
                      const char *signed_by,
                      const char *signed_at)
{
  self->status = CR_VISIT_STATUS_SIGNED;
  set_string (self, PROP_SIGNED_BY, signed_by);
  set_string (self, PROP_SIGNED_AT, signed_at);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
}

void
_cr_visit_set_stamps (CrVisit    *self,
                      const char *created_at,
                      const char *created_by,
                      const char *updated_at,
                      const char *updated_by)
{
  if (created_at != NULL)
    set_string (self, PROP_CREATED_AT, created_at);
  if (created_by != NULL)
    set_string (self, PROP_CREATED_BY, created_by);
  set_string (self, PROP_UPDATED_AT, updated_at);
  set_string (self, PROP_UPDATED_BY, updated_by);
}

GListStore *
_cr_visit_get_diagnosis_store (CrVisit *self)
{
  return self->diagnoses;
}

GListStore *
_cr_visit_get_amendment_store (CrVisit *self)
{
  return self->amendments;
}

GListStore *
_cr_visit_get_outcome_store (CrVisit *self)
{
  return self->outcomes;
}

/* ---- validation -------------------------------------------------------- */

static gboolean
check_started_at (const char  *value,
                  GError     **error)
{
  g_autofree char *date = NULL;
  const char *time;
  int hour, minute, second = 0;

  if (value == NULL || *value == '\0')
    {
      g_set_error_literal (error, CR_CHART_ERROR, CR_CHART_ERROR_STARTED_AT,
                           "The visit date is required");
      return FALSE;
    }
  if (!g_utf8_validate (value, -1, NULL) || strlen (value) < 10)
    goto bad;

  date = g_strndup (value, 10);
  if (!_cr_check_date (date, TRUE, MAX_DAYS_AHEAD, CR_CHART_ERROR_STARTED_AT,
                       "visit date", error))
    return FALSE;

  if (value[10] == '\0')
    return TRUE;

  /* Optional time: THH:MM or THH:MM:SS (a space for T is accepted). */
  if (value[10] != 'T' && value[10] != ' ')
    goto bad;
  time = value + 11;
  if (!(strlen (time) == 5 || strlen (time) == 8) ||
      !g_ascii_isdigit (time[0]) || !g_ascii_isdigit (time[1]) || time[2] != ':' ||
      !g_ascii_isdigit (time[3]) || !g_ascii_isdigit (time[4]))
    goto bad;
  hour = (time[0] - '0') * 10 + (time[1] - '0');
  minute = (time[3] - '0') * 10 + (time[4] - '0');
  if (time[5] == ':')
    {
      if (!g_ascii_isdigit (time[6]) || !g_ascii_isdigit (time[7]))
        goto bad;
      second = (time[6] - '0') * 10 + (time[7] - '0');
    }
  if (hour > 23 || minute > 59 || second > 59)
    goto bad;
  return TRUE;

bad:
  g_set_error_literal (error, CR_CHART_ERROR, CR_CHART_ERROR_STARTED_AT,
                       "The visit date is not a real date and time "
                       "(YYYY-MM-DD or YYYY-MM-DDTHH:MM)");
  return FALSE;
}

static gboolean
check_vital (double       value,
             double       min,
             double       max,
             int          code,
             const char  *label,
             const char  *unit,
             GError     **error)
{
  if (value == CR_VITAL_NOT_RECORDED)
    return TRUE;
  if (isnan (value))
    {
      g_set_error (error, CR_CHART_ERROR, code, "The %s is not a number", label);
      return FALSE;
    }
  if (value < 0)
    {
      g_set_error (error, CR_CHART_ERROR, code, "The %s cannot be negative", label);
      return FALSE;
    }
  if (value < min || value > max)
    {
      g_set_error (error, CR_CHART_ERROR, code,
                   "A %s of %g %s is not possible (%g to %g %s)",
                   label, value, unit, min, max, unit);
      return FALSE;
    }
  return TRUE;
}

/**
 * cr_visit_validate:
 *
 * Checks the note's date, texts and vitals. The error's code
 * (%CR_CHART_ERROR) names the field.
 */
gboolean
cr_visit_validate (CrVisit  *self,
                   GError  **error)
{
  g_return_val_if_fail (CR_IS_VISIT (self), FALSE);

  if (!check_started_at (self->started_at, error) ||
      !_cr_check_text (self->clinician, FALSE, MAX_SHORT, CR_CHART_ERROR_CLINICIAN,
                       "clinician", error) ||
      !_cr_check_text (self->chief_complaint, FALSE, MAX_COMPLAINT,
                       CR_CHART_ERROR_CHIEF_COMPLAINT, "chief complaint", error) ||
      !_cr_check_text (self->subjective, FALSE, MAX_NARRATIVE, CR_CHART_ERROR_SUBJECTIVE,
                       "subjective note", error) ||
      !_cr_check_text (self->objective, FALSE, MAX_NARRATIVE, CR_CHART_ERROR_OBJECTIVE,
                       "objective note", error) ||
      !_cr_check_text (self->assessment, FALSE, MAX_NARRATIVE, CR_CHART_ERROR_ASSESSMENT,
                       "assessment", error) ||
      !_cr_check_text (self->plan, FALSE, MAX_NARRATIVE, CR_CHART_ERROR_PLAN,
                       "plan", error))
    return FALSE;

  if (!check_vital (self->bp_systolic, 50, 300, CR_CHART_ERROR_BP_SYSTOLIC,
                    "systolic blood pressure", "mmHg", error) ||
      !check_vital (self->bp_diastolic, 20, 200, CR_CHART_ERROR_BP_DIASTOLIC,
                    "diastolic blood pressure", "mmHg", error))
    return FALSE;

  if ((self->bp_systolic == 0) != (self->bp_diastolic == 0))
    {
      g_set_error_literal (error, CR_CHART_ERROR,
                           self->bp_systolic == 0 ? CR_CHART_ERROR_BP_SYSTOLIC
                                                  : CR_CHART_ERROR_BP_DIASTOLIC,
                           "A blood pressure needs both the systolic and the diastolic value");
      return FALSE;
    }
  if (self->bp_systolic != 0 && self->bp_diastolic >= self->bp_systolic)
    {
      g_set_error (error, CR_CHART_ERROR, CR_CHART_ERROR_BP_DIASTOLIC,
                   "The diastolic pressure (%d) must be below the systolic (%d)",
                   self->bp_diastolic, self->bp_systolic);
      return FALSE;
    }

  return check_vital (self->pulse, 20, 300, CR_CHART_ERROR_PULSE,
                      "pulse", "/min", error) &&
         check_vital (self->temperature_c, 30, 45, CR_CHART_ERROR_TEMPERATURE,
                      "temperature", "°C", error) &&
         check_vital (self->respiratory_rate, 4, 80, CR_CHART_ERROR_RESPIRATORY_RATE,
                      "respiratory rate", "/min", error) &&
         check_vital (self->spo2, 50, 100, CR_CHART_ERROR_SPO2,
                      "oxygen saturation", "%", error) &&
         check_vital (self->weight_kg, 0.3, 500, CR_CHART_ERROR_WEIGHT,
                      "weight", "kg", error) &&
         check_vital (self->height_cm, 30, 250, CR_CHART_ERROR_HEIGHT,
                      "height", "cm", error);
}
