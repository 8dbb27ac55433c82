/* cr-patient.c: a patient's identity, contact and insurance
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cr-patient"

#include "config.h"

#include <string.h>

#include "cr-date.h"
#include "cr-enums.h"
#include "cr-patient-private.h"

/* String fields share storage and accessors: their index is the property id
 * minus PROP_FIRST_STRING. */
enum {
  PROP_0,
  PROP_ID,
  PROP_SEX,
  PROP_INACTIVE,
  PROP_DECEASED,
  PROP_DISPLAY_NAME,
  PROP_FIRST_STRING,
  PROP_RECORD_NUMBER = PROP_FIRST_STRING,
  PROP_FAMILY_NAME,
  PROP_GIVEN_NAMES,
  PROP_BIRTH_DATE,
  PROP_PHONE,
  PROP_EMAIL,
  PROP_ADDRESS,
  PROP_INSURANCE_PAYER,
  PROP_INSURANCE_MEMBER_ID,
  PROP_DECEASED_DATE,
  PROP_CREATED_AT,
  PROP_CREATED_BY,
  PROP_UPDATED_AT,
  PROP_UPDATED_BY,
  N_PROPS
};

#define N_STRINGS (N_PROPS - PROP_FIRST_STRING)
#define STR(self, prop) ((self)->strings[(prop) - PROP_FIRST_STRING])

struct _CrPatient
{
  GObject  parent_instance;

  gint64   id;
  CrSex    sex;
  guint    inactive : 1;
  guint    deceased : 1;
  char    *strings[N_STRINGS];
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_QUARK (cr-patient-error-quark, cr_patient_error)
G_DEFINE_FINAL_TYPE (CrPatient, cr_patient, G_TYPE_OBJECT)

static void
cr_patient_finalize (GObject *object)
{
  CrPatient *self = (CrPatient *)object;

  for (guint i = 0; i < N_STRINGS; i++)
    g_free (self->strings[i]);

  G_OBJECT_CLASS (cr_patient_parent_class)->finalize (object);
}

static void
set_string (CrPatient  *self,
            guint       prop,
            const char *value)
{
  char **slot = &STR (self, prop);

  /* Empty and missing are the same for an optional field. */
  if (value != NULL && *value == '\0' && prop != PROP_FAMILY_NAME && prop != PROP_GIVEN_NAMES)
    value = NULL;

  if (g_strcmp0 (*slot, value) == 0)
    return;

  g_free (*slot);
  *slot = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
  if (prop == PROP_FAMILY_NAME || prop == PROP_GIVEN_NAMES)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DISPLAY_NAME]);
}

static void
cr_patient_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  CrPatient *self = CR_PATIENT (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case PROP_SEX:
      g_value_set_enum (value, self->sex);
      break;
    case PROP_INACTIVE:
      g_value_set_boolean (value, self->inactive);
      break;
    case PROP_DECEASED:
      g_value_set_boolean (value, self->deceased);
      break;
    case PROP_DISPLAY_NAME:
      g_value_take_string (value, cr_patient_dup_display_name (self));
      break;
    default:
      if (prop_id >= PROP_FIRST_STRING && prop_id < N_PROPS)
        g_value_set_string (value, STR (self, prop_id));
      else
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cr_patient_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  CrPatient *self = CR_PATIENT (object);

  switch (prop_id)
    {
    case PROP_SEX:
      cr_patient_set_sex (self, g_value_get_enum (value));
      break;
    case PROP_INACTIVE:
      cr_patient_set_inactive (self, g_value_get_boolean (value));
      break;
    case PROP_DECEASED:
      cr_patient_set_deceased (self, g_value_get_boolean (value));
      break;
    default:
      if (prop_id >= PROP_FIRST_STRING && prop_id < N_PROPS)
        set_string (self, prop_id, g_value_get_string (value));
      else
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cr_patient_class_init (CrPatientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  static const char * const names[N_STRINGS] = {
    "record-number", "family-name", "given-names", "birth-date", "phone", "email",
    "address", "insurance-payer", "insurance-member-id", "deceased-date",
    "created-at", "created-by", "updated-at", "updated-by",
  };

  object_class->finalize = cr_patient_finalize;
  object_class->get_property = cr_patient_get_property;
  object_class->set_property = cr_patient_set_property;

  properties[PROP_ID] =
    g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SEX] =
    g_param_spec_enum ("sex", NULL, NULL, CR_TYPE_SEX, CR_SEX_UNKNOWN,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_INACTIVE] =
    g_param_spec_boolean ("inactive", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DECEASED] =
    g_param_spec_boolean ("deceased", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DISPLAY_NAME] =
    g_param_spec_string ("display-name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  for (guint i = 0; i < N_STRINGS; i++)
    {
      guint prop = PROP_FIRST_STRING + i;
      /* Identity stamps are written by the store only. */
      GParamFlags access = (prop == PROP_RECORD_NUMBER || prop >= PROP_CREATED_AT)
                             ? G_PARAM_READABLE : G_PARAM_READWRITE;

      properties[prop] = g_param_spec_string (names[i], NULL, NULL, NULL,
                                              access | G_PARAM_EXPLICIT_NOTIFY |
                                              G_PARAM_STATIC_STRINGS);
    }

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cr_patient_init (CrPatient *self)
{
  self->strings[PROP_FAMILY_NAME - PROP_FIRST_STRING] = g_strdup ("");
  self->strings[PROP_GIVEN_NAMES - PROP_FIRST_STRING] = g_strdup ("");
}

CrPatient *
cr_patient_new (void)
{
  return g_object_new (CR_TYPE_PATIENT, NULL);
}

/**
 * cr_patient_copy:
 *
 * Returns: (transfer full): a copy, for a form to edit without touching the
 *   object that lists show.
 */
CrPatient *
cr_patient_copy (CrPatient *self)
{
  CrPatient *copy;

  g_return_val_if_fail (CR_IS_PATIENT (self), NULL);

  copy = cr_patient_new ();
  copy->id = self->id;
  copy->sex = self->sex;
  copy->inactive = self->inactive;
  copy->deceased = self->deceased;
  for (guint i = 0; i < N_STRINGS; i++)
    {
      g_free (copy->strings[i]);
      copy->strings[i] = g_strdup (self->strings[i]);
    }
  return copy;
}

#define STRING_ACCESSORS(name, PROP)                                  \
  const char *                                                        \
  cr_patient_get_##name (CrPatient *self)                             \
  {                                                                   \
    g_return_val_if_fail (CR_IS_PATIENT (self), NULL);                \
    return STR (self, PROP);                                          \
  }

#define STRING_SETTER(name, PROP)                                     \
  void                                                                \
  cr_patient_set_##name (CrPatient  *self,                            \
                         const char *value)                           \
  {                                                                   \
    g_return_if_fail (CR_IS_PATIENT (self));                          \
    set_string (self, PROP, value);                                   \
  }

STRING_ACCESSORS (record_number, PROP_RECORD_NUMBER)
STRING_ACCESSORS (family_name, PROP_FAMILY_NAME)
STRING_SETTER (family_name, PROP_FAMILY_NAME)
STRING_ACCESSORS (given_names, PROP_GIVEN_NAMES)
STRING_SETTER (given_names, PROP_GIVEN_NAMES)
STRING_ACCESSORS (birth_date, PROP_BIRTH_DATE)
STRING_SETTER (birth_date, PROP_BIRTH_DATE)
STRING_ACCESSORS (phone, PROP_PHONE)
STRING_SETTER (phone, PROP_PHONE)
STRING_ACCESSORS (email, PROP_EMAIL)
STRING_SETTER (email, PROP_EMAIL)
STRING_ACCESSORS (address, PROP_ADDRESS)
STRING_SETTER (address, PROP_ADDRESS)
STRING_ACCESSORS (insurance_payer, PROP_INSURANCE_PAYER)
STRING_SETTER (insurance_payer, PROP_INSURANCE_PAYER)
STRING_ACCESSORS (insurance_member_id, PROP_INSURANCE_MEMBER_ID)
STRING_SETTER (insurance_member_id, PROP_INSURANCE_MEMBER_ID)
STRING_ACCESSORS (deceased_date, PROP_DECEASED_DATE)
STRING_SETTER (deceased_date, PROP_DECEASED_DATE)
STRING_ACCESSORS (created_at, PROP_CREATED_AT)
STRING_ACCESSORS (created_by, PROP_CREATED_BY)
STRING_ACCESSORS (updated_at, PROP_UPDATED_AT)
STRING_ACCESSORS (updated_by, PROP_UPDATED_BY)

gint64
cr_patient_get_id (CrPatient *self)
{
  g_return_val_if_fail (CR_IS_PATIENT (self), 0);
  return self->id;
}

CrSex
cr_patient_get_sex (CrPatient *self)
{
  g_return_val_if_fail (CR_IS_PATIENT (self), CR_SEX_UNKNOWN);
  return self->sex;
}

void
cr_patient_set_sex (CrPatient *self,
                    CrSex      sex)
{
  g_return_if_fail (CR_IS_PATIENT (self));

  if (self->sex != sex)
    {
      self->sex = sex;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SEX]);
    }
}

gboolean
cr_patient_get_inactive (CrPatient *self)
{
  g_return_val_if_fail (CR_IS_PATIENT (self), FALSE);
  return self->inactive;
}

void
cr_patient_set_inactive (CrPatient *self,
                         gboolean   inactive)
{
  g_return_if_fail (CR_IS_PATIENT (self));

  inactive = !!inactive;
  if (self->inactive != inactive)
    {
      self->inactive = inactive;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INACTIVE]);
    }
}

gboolean
cr_patient_get_deceased (CrPatient *self)
{
  g_return_val_if_fail (CR_IS_PATIENT (self), FALSE);
  return self->deceased;
}

void
cr_patient_set_deceased (CrPatient *self,
                         gboolean   deceased)
{
  g_return_if_fail (CR_IS_PATIENT (self));

  deceased = !!deceased;
  if (self->deceased != deceased)
    {
      self->deceased = deceased;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DECEASED]);
    }
}

/**
 * cr_patient_dup_display_name:
 *
 * Returns: (transfer full): "Family, Given", as lists and headers show it
 */
char *
cr_patient_dup_display_name (CrPatient *self)
{
  const char *family, *given;

  g_return_val_if_fail (CR_IS_PATIENT (self), NULL);

  family = STR (self, PROP_FAMILY_NAME);
  given = STR (self, PROP_GIVEN_NAMES);
  if (given == NULL || *given == '\0')
    return g_strdup (family ? family : "");
  return g_strdup_printf ("%s, %s", family ? family : "", given);
}

/**
 * cr_patient_get_age:
 *
 * Returns: age in whole years today, or -1 without a birth date
 */
int
cr_patient_get_age (CrPatient *self)
{
  GDate birth, today;

  g_return_val_if_fail (CR_IS_PATIENT (self), -1);

  if (!cr_date_from_iso (STR (self, PROP_BIRTH_DATE), &birth))
    return -1;
  cr_date_set_today (&today);
  return cr_date_age_years (&birth, &today);
}

static gboolean
check_text (const char  *value,
            guint        max_chars,
            gboolean     single_line,
            int          code,
            const char  *label,
            GError     **error)
{
  if (value == NULL)
    return TRUE;

  if (!g_utf8_validate (value, -1, NULL))
    {
      g_set_error (error, CR_PATIENT_ERROR, code, "%s is not valid text", label);
      return FALSE;
    }
  if (g_utf8_strlen (value, -1) > (glong) max_chars)
    {
      g_set_error (error, CR_PATIENT_ERROR, code,
                   "%s is too long (at most %u characters)", label, max_chars);
      return FALSE;
    }
  for (const char *p = value; *p; p++)
    {
      if ((guchar) *p < 0x20 && !(*p == '\n' && !single_line) && *p != '\t')
        {
          g_set_error (error, CR_PATIENT_ERROR, code, "%s holds control characters", label);
          return FALSE;
        }
    }
  return TRUE;
}

/**
 * cr_patient_validate:
 *
 * Checks every field as the store would. The error code names the field
 * and the message says what is wrong, for the form to show beside it.
 */
gboolean
cr_patient_validate (CrPatient  *self,
                     GError    **error)
{
  const char *family = STR (self, PROP_FAMILY_NAME);
  const char *phone = STR (self, PROP_PHONE);
  const char *email = STR (self, PROP_EMAIL);
  const char *birth = STR (self, PROP_BIRTH_DATE);
  g_autofree char *stripped = NULL;
  GDate date;

  g_return_val_if_fail (CR_IS_PATIENT (self), FALSE);

  if (!check_text (family, 100, TRUE, CR_PATIENT_ERROR_FAMILY_NAME, "The family name", error) ||
      !check_text (STR (self, PROP_GIVEN_NAMES), 100, TRUE, CR_PATIENT_ERROR_GIVEN_NAMES,
                   "The given names", error) ||
      !check_text (phone, 40, TRUE, CR_PATIENT_ERROR_PHONE, "The phone number", error) ||
      !check_text (email, 254, TRUE, CR_PATIENT_ERROR_EMAIL, "The e-mail address", error) ||
      !check_text (STR (self, PROP_ADDRESS), 500, FALSE, CR_PATIENT_ERROR_ADDRESS,
                   "The address", error) ||
      !check_text (STR (self, PROP_INSURANCE_PAYER), 100, TRUE, CR_PATIENT_ERROR_INSURANCE,
                   "The insurance payer", error) ||
      !check_text (STR (self, PROP_INSURANCE_MEMBER_ID), 64, TRUE, CR_PATIENT_ERROR_INSURANCE,
                   "The member id", error))
    return FALSE;

  stripped = g_strstrip (g_strdup (family ? family : ""));
  if (*stripped == '\0')
    {
      g_set_error_literal (error, CR_PATIENT_ERROR, CR_PATIENT_ERROR_FAMILY_NAME,
                           "The family name is required");
      return FALSE;
    }

  if (birth != NULL)
    {
      g_autoptr(GError) date_error = NULL;

      if (!cr_date_parse_birth (birth, &date, &date_error))
        {
          g_set_error_literal (error, CR_PATIENT_ERROR, CR_PATIENT_ERROR_BIRTH_DATE,
                               date_error->message);
          return FALSE;
        }
    }

  if (phone != NULL)
    {
      guint digits = 0;

      for (const char *p = phone; *p; p++)
        {
          if (g_ascii_isdigit (*p))
            digits++;
          else if (!strchr (" +-()./x", *p))
            {
              g_set_error_literal (error, CR_PATIENT_ERROR, CR_PATIENT_ERROR_PHONE,
                                   "A phone number holds digits, spaces and + - ( ) . / only");
              return FALSE;
            }
        }
      if (digits < 3)
        {
          g_set_error_literal (error, CR_PATIENT_ERROR, CR_PATIENT_ERROR_PHONE,
                               "The phone number has too few digits");
          return FALSE;
        }
    }

  if (email != NULL)
    {
      const char *at = strchr (email, '@');

      if (at == NULL || at == email || at[1] == '\0' || strchr (at + 1, '@') ||
          !strchr (at + 1, '.') || strpbrk (email, " \t,;<>") != NULL)
        {
          g_set_error_literal (error, CR_PATIENT_ERROR, CR_PATIENT_ERROR_EMAIL,
                               "The e-mail address is not valid (name@example.org)");
          return FALSE;
        }
    }

  if (STR (self, PROP_DECEASED_DATE) != NULL &&
      !cr_date_parse_birth (STR (self, PROP_DECEASED_DATE), &date, NULL))
    {
      g_set_error_literal (error, CR_PATIENT_ERROR, CR_PATIENT_ERROR_BIRTH_DATE,
                           "The date of death is not a valid past date");
      return FALSE;
    }

  return TRUE;
}

const char *
cr_sex_to_string (CrSex sex)
{
  switch (sex)
    {
    case CR_SEX_FEMALE: return "female";
    case CR_SEX_MALE: return "male";
    case CR_SEX_OTHER: return "other";
    case CR_SEX_UNKNOWN:
    default: return "unknown";
    }
}

CrSex
cr_sex_from_string (const char *text)
{
  if (g_strcmp0 (text, "female") == 0 || g_strcmp0 (text, "F") == 0)
    return CR_SEX_FEMALE;
  if (g_strcmp0 (text, "male") == 0 || g_strcmp0 (text, "M") == 0)
    return CR_SEX_MALE;
  if (g_strcmp0 (text, "other") == 0)
    return CR_SEX_OTHER;
  return CR_SEX_UNKNOWN;
}

/* ---- for the store -------------------------------------------------------- */

CrPatient *
_cr_patient_new_from_row (sqlite3_stmt *stmt)
{
  CrPatient *self = cr_patient_new ();
  static const guint string_columns[] = {
    PROP_RECORD_NUMBER, PROP_FAMILY_NAME, PROP_GIVEN_NAMES, PROP_BIRTH_DATE,
  };
  static const guint more_columns[] = {
    PROP_PHONE, PROP_EMAIL, PROP_ADDRESS, PROP_INSURANCE_PAYER, PROP_INSURANCE_MEMBER_ID,
  };
  static const guint stamp_columns[] = {
    PROP_DECEASED_DATE, PROP_CREATED_AT, PROP_CREATED_BY, PROP_UPDATED_AT, PROP_UPDATED_BY,
  };

  /* Column order: CR_PATIENT_COLUMNS. No notifications: nobody holds it yet. */
  self->id = sqlite3_column_int64 (stmt, 0);
  for (guint i = 0; i < G_N_ELEMENTS (string_columns); i++)
    {
      g_free (STR (self, string_columns[i]));
      STR (self, string_columns[i]) = g_strdup ((const char *) sqlite3_column_text (stmt, 1 + i));
    }
  self->sex = cr_sex_from_string ((const char *) sqlite3_column_text (stmt, 5));
  for (guint i = 0; i < G_N_ELEMENTS (more_columns); i++)
    STR (self, more_columns[i]) = g_strdup ((const char *) sqlite3_column_text (stmt, 6 + i));
  self->inactive = sqlite3_column_int (stmt, 11) != 0;
  self->deceased = sqlite3_column_int (stmt, 12) != 0;
  for (guint i = 0; i < G_N_ELEMENTS (stamp_columns); i++)
    STR (self, stamp_columns[i]) = g_strdup ((const char *) sqlite3_column_text (stmt, 13 + i));

  return self;
}

void
_cr_patient_set_id (CrPatient *self,
                    gint64     id)
{
  if (self->id != id)
    {
      self->id = id;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
    }
}

void
_cr_patient_set_record_number (CrPatient  *self,
                               const char *record_number)
{
  set_string (self, PROP_RECORD_NUMBER, record_number);
}

void
_cr_patient_set_stamps (CrPatient  *self,
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
