/* cr-patient-row.c: one patient in the patient list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cr-patient-row"

#include "config.h"

#include <glib/gi18n.h>

#include "cr-date.h"
#include "cr-patient-row.h"

struct _CrPatientRow
{
  AdwBin     parent_instance;

  CrPatient *patient;

  AdwAvatar *avatar;
  GtkLabel  *name_label;
  GtkLabel  *details_label;
  GtkLabel  *tag_label;
};

enum {
  PROP_0,
  PROP_PATIENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (CrPatientRow, cr_patient_row, ADW_TYPE_BIN)

/**
 * _cr_patient_row_format_date:
 * @iso_date: (nullable): a date as YYYY-MM-DD
 *
 * Returns: (transfer full) (nullable): the date in the locale's words
 */
char *
_cr_patient_row_format_date (const char *iso_date)
{
  g_autoptr(GDateTime) dt = NULL;
  GDate date;

  if (!cr_date_from_iso (iso_date, &date))
    return NULL;
  dt = g_date_time_new_local (g_date_get_year (&date), g_date_get_month (&date),
                              g_date_get_day (&date), 12, 0, 0);
  if (dt == NULL)
    return NULL;
  /* Translators: a date as a strftime format, e.g. "Feb 1, 1994"; use your
   * locale's usual order with a four-digit year. */
  return g_date_time_format (dt, C_("date format", "%b %-d, %Y"));
}

/**
 * _cr_patient_row_format_timestamp:
 * @iso_timestamp: (nullable): a UTC time stamp as the store writes it
 *
 * Returns: (transfer full) (nullable): the local date and time
 */
char *
_cr_patient_row_format_timestamp (const char *iso_timestamp)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;

  if (iso_timestamp == NULL)
    return NULL;
  utc = g_date_time_new_from_iso8601 (iso_timestamp, NULL);
  if (utc == NULL)
    return g_strdup (iso_timestamp);
  local = g_date_time_to_local (utc);
  /* Translators: a date and time as a strftime format, e.g. "Feb 1, 2024, 14:05" */
  return g_date_time_format (local, C_("timestamp format", "%b %-d, %Y, %H:%M"));
}

/**
 * _cr_patient_row_format_age:
 *
 * Returns: (transfer full) (nullable): "34 years", or months for an infant;
 *   %NULL without a birth date or for a deceased patient
 */
char *
_cr_patient_row_format_age (CrPatient *patient)
{
  GDate birth, today;
  int years;

  if (cr_patient_get_deceased (patient) ||
      !cr_date_from_iso (cr_patient_get_birth_date (patient), &birth))
    return NULL;

  cr_date_set_today (&today);
  years = cr_date_age_years (&birth, &today);
  if (years < 0)
    return NULL;
  if (years < 2)
    {
      int months = (g_date_get_year (&today) - g_date_get_year (&birth)) * 12 +
                   (int) g_date_get_month (&today) - (int) g_date_get_month (&birth);

      if (g_date_get_day (&today) < g_date_get_day (&birth))
        months--;
      months = MAX (months, 0);
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d month", "%d months", months),
                              months);
    }
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d year", "%d years", years), years);
}

const char *
_cr_patient_row_sex_label (CrSex sex)
{
  switch (sex)
    {
    case CR_SEX_FEMALE:
      return _("Female");
    case CR_SEX_MALE:
      return _("Male");
    case CR_SEX_OTHER:
      return _("Other");
    case CR_SEX_UNKNOWN:
    default:
      return _("Unknown");
    }
}

static void
cr_patient_row_update (CrPatientRow *self)
{
  g_autofree char *name = NULL;
  g_autofree char *birth = NULL;
  g_autofree char *age = NULL;
  g_autofree char *death = NULL;
  g_autoptr(GString) details = g_string_new (NULL);
  const char *tag = NULL;

  if (self->patient == NULL)
    {
      gtk_label_set_label (self->name_label, "");
      gtk_label_set_label (self->details_label, "");
      gtk_widget_set_visible (GTK_WIDGET (self->tag_label), FALSE);
      adw_avatar_set_text (self->avatar, NULL);
      return;
    }

  name = cr_patient_dup_display_name (self->patient);
  birth = _cr_patient_row_format_date (cr_patient_get_birth_date (self->patient));
  age = _cr_patient_row_format_age (self->patient);

  death = _cr_patient_row_format_date (cr_patient_get_deceased_date (self->patient));

  g_string_append (details, cr_patient_get_record_number (self->patient));
  if (birth != NULL)
    {
      /* Translators: separates the parts of a patient's summary line */
      g_string_append (details, _(" · "));
      if (age != NULL)
        /* Translators: a birth date and the age, "Feb 1, 1994 (31 years)" */
        g_string_append_printf (details, _("%s (%s)"), birth, age);
      else if (death != NULL)
        /* Translators: birth and death dates, "Aug 11, 1941 – Feb 18, 2013" */
        g_string_append_printf (details, _("%s – %s"), birth, death);
      else
        g_string_append (details, birth);
    }

  gtk_label_set_label (self->name_label, name);
  gtk_label_set_label (self->details_label, details->str);
  adw_avatar_set_text (self->avatar, name);

  if (cr_patient_get_deceased (self->patient))
    tag = _("Deceased");
  else if (cr_patient_get_inactive (self->patient))
    tag = _("Inactive");
  gtk_widget_set_visible (GTK_WIDGET (self->tag_label), tag != NULL);
  gtk_label_set_label (self->tag_label, tag ? tag : "");
}

static void
cr_patient_row_dispose (GObject *object)
{
  CrPatientRow *self = (CrPatientRow *)object;

  g_clear_object (&self->patient);

  G_OBJECT_CLASS (cr_patient_row_parent_class)->dispose (object);
}

static void
cr_patient_row_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  CrPatientRow *self = CR_PATIENT_ROW (object);

  switch (prop_id)
    {
    case PROP_PATIENT:
      g_value_set_object (value, self->patient);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cr_patient_row_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  CrPatientRow *self = CR_PATIENT_ROW (object);

  switch (prop_id)
    {
    case PROP_PATIENT:
      cr_patient_row_set_patient (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cr_patient_row_class_init (CrPatientRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cr_patient_row_dispose;
  object_class->get_property = cr_patient_row_get_property;
  object_class->set_property = cr_patient_row_set_property;

  properties[PROP_PATIENT] =
    g_param_spec_object ("patient", NULL, NULL, CR_TYPE_PATIENT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/chartroom/Chartroom/cr-patient-row.ui");
  gtk_widget_class_bind_template_child (widget_class, CrPatientRow, avatar);
  gtk_widget_class_bind_template_child (widget_class, CrPatientRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, CrPatientRow, details_label);
  gtk_widget_class_bind_template_child (widget_class, CrPatientRow, tag_label);
}

static void
cr_patient_row_init (CrPatientRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
cr_patient_row_new (void)
{
  return g_object_new (CR_TYPE_PATIENT_ROW, NULL);
}

CrPatient *
cr_patient_row_get_patient (CrPatientRow *self)
{
  g_return_val_if_fail (CR_IS_PATIENT_ROW (self), NULL);
  return self->patient;
}

void
cr_patient_row_set_patient (CrPatientRow *self,
                            CrPatient    *patient)
{
  g_return_if_fail (CR_IS_PATIENT_ROW (self));
  g_return_if_fail (patient == NULL || CR_IS_PATIENT (patient));

  if (g_set_object (&self->patient, patient))
    {
      cr_patient_row_update (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PATIENT]);
    }
}
