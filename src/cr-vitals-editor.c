/* cr-vitals-editor.c: a visit's vital signs, in metric or US units
 *
 * Each value is checked as it is typed by the core's own rules
 * (cr_visit_validate() on a scratch visit holding just that value), so the
 * ranges live in one place. A refused value is flagged beside the grid and
 * left out of cr_vitals_editor_apply() until it is fixed; what was typed
 * stays in its entry. The GSettings key `units` picks °F, lb and in; the
 * store always gets °C, kg and cm.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cr-vitals-editor"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "cr-chart.h"
#include "cr-vitals-editor.h"

#define APP_SCHEMA "io.github.chartroom.Chartroom"
#define LB_PER_KG  (1 / 0.45359237)
#define CM_PER_IN  2.54

typedef enum
{
  VITAL_SYSTOLIC,
  VITAL_DIASTOLIC,
  VITAL_PULSE,
  VITAL_TEMPERATURE,
  VITAL_RESPIRATORY,
  VITAL_SPO2,
  VITAL_WEIGHT,
  VITAL_HEIGHT,
  N_VITALS
} Vital;

typedef struct
{
  double   metric;   /* CR_VITAL_NOT_RECORDED when empty */
  gboolean usable;   /* may be saved */
  char    *message;  /* why not, or NULL */
  gboolean pending;  /* half a blood pressure: not an error yet */
  char    *shown;    /* the text set from a stored value… */
  double   exact;    /* …and that value, so a rounded display loses nothing */
} VitalState;

struct _CrVitalsEditor
{
  GtkBox      parent_instance;

  GSettings  *settings;
  gboolean    us;
  gboolean    loading;
  VitalState  state[N_VITALS];

  GtkEntry   *systolic_entry;
  GtkEntry   *diastolic_entry;
  GtkEntry   *pulse_entry;
  GtkEntry   *temperature_entry;
  GtkEntry   *respiratory_entry;
  GtkEntry   *spo2_entry;
  GtkEntry   *weight_entry;
  GtkEntry   *height_entry;
  GtkLabel   *temperature_unit;
  GtkLabel   *weight_unit;
  GtkLabel   *height_unit;
  GtkLabel   *bmi_label;
  GtkLabel   *error_label;
  GtkLabel   *hint_label;
};

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (CrVitalsEditor, cr_vitals_editor, GTK_TYPE_BOX)

static GtkEntry *
entry_for (CrVitalsEditor *self,
           Vital           vital)
{
  GtkEntry *entries[N_VITALS] = {
    self->systolic_entry, self->diastolic_entry, self->pulse_entry, self->temperature_entry,
    self->respiratory_entry, self->spo2_entry, self->weight_entry, self->height_entry,
  };

  return entries[vital];
}

static gboolean
is_integer_vital (Vital vital)
{
  return vital != VITAL_TEMPERATURE && vital != VITAL_WEIGHT && vital != VITAL_HEIGHT;
}

/* "37.0" → "37", "98.60" → "98.6", in the locale's way of writing them. */
static char *
format_number (double value,
               int    decimals)
{
  char *text = g_strdup_printf ("%.*f", decimals, value);
  char *sep = strpbrk (text, ".,");

  if (sep != NULL)
    {
      char *end = text + strlen (text) - 1;

      while (end > sep && *end == '0')
        *end-- = '\0';
      if (end == sep)
        *end = '\0';
    }
  return text;
}

static double
to_display (CrVitalsEditor *self,
            Vital           vital,
            double          metric)
{
  if (!self->us)
    return metric;
  switch (vital)
    {
    case VITAL_TEMPERATURE:
      return metric * 9 / 5 + 32;
    case VITAL_WEIGHT:
      return metric * LB_PER_KG;
    case VITAL_HEIGHT:
      return metric / CM_PER_IN;
    default:
      return metric;
    }
}

static double
to_metric (CrVitalsEditor *self,
           Vital           vital,
           double          shown)
{
  if (!self->us)
    return shown;
  switch (vital)
    {
    case VITAL_TEMPERATURE:
      return round ((shown - 32) * 5 / 9 * 100) / 100;
    case VITAL_WEIGHT:
      return round (shown / LB_PER_KG * 1000) / 1000;
    case VITAL_HEIGHT:
      return round (shown * CM_PER_IN * 100) / 100;
    default:
      return shown;
    }
}

static void
set_entry_value (CrVitalsEditor *self,
                 Vital           vital,
                 double          metric)
{
  g_autofree char *text = NULL;

  if (metric != CR_VITAL_NOT_RECORDED)
    text = format_number (to_display (self, vital, metric), is_integer_vital (vital) ? 0 : 1);
  gtk_editable_set_text (GTK_EDITABLE (entry_for (self, vital)), text ? text : "");
  g_free (self->state[vital].shown);
  self->state[vital].shown = g_strdup (text ? text : "");
  self->state[vital].exact = metric;
}

/* Reads what is typed; FALSE for something that is not a number. */
static gboolean
parse_entry (CrVitalsEditor *self,
             Vital           vital,
             double         *out)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry_for (self, vital)))));
  char *end = NULL;
  double value;

  *out = CR_VITAL_NOT_RECORDED;
  if (*text == '\0')
    return TRUE;
  /* Untouched since it was filled in: the value as stored, not as rounded
   * for display (154.0 lb is 69.853 kg, not 69.85). */
  if (g_strcmp0 (text, self->state[vital].shown) == 0)
    {
      *out = self->state[vital].exact;
      return TRUE;
    }

  g_strdelimit (text, ",", '.');
  value = g_ascii_strtod (text, &end);
  if (end == text || *end != '\0' || !isfinite (value))
    return FALSE;
  if (is_integer_vital (vital) && value != floor (value))
    return FALSE;
  *out = to_metric (self, vital, value);
  return TRUE;
}

static void
set_single_vital (CrVisit *visit,
                  Vital    vital,
                  double   value)
{
  switch (vital)
    {
    case VITAL_PULSE:
      cr_visit_set_pulse (visit, (int) value);
      break;
    case VITAL_TEMPERATURE:
      cr_visit_set_temperature_c (visit, value);
      break;
    case VITAL_RESPIRATORY:
      cr_visit_set_respiratory_rate (visit, (int) value);
      break;
    case VITAL_SPO2:
      cr_visit_set_spo2 (visit, (int) value);
      break;
    case VITAL_WEIGHT:
      cr_visit_set_weight_kg (visit, value);
      break;
    case VITAL_HEIGHT:
      cr_visit_set_height_cm (visit, value);
      break;
    case VITAL_SYSTOLIC:
    case VITAL_DIASTOLIC:
    case N_VITALS:
    default:
      g_assert_not_reached ();
    }
}

static Vital
vital_for_error (const GError *error)
{
  switch (error->code)
    {
    case CR_CHART_ERROR_BP_SYSTOLIC:
      return VITAL_SYSTOLIC;
    case CR_CHART_ERROR_BP_DIASTOLIC:
      return VITAL_DIASTOLIC;
    case CR_CHART_ERROR_PULSE:
      return VITAL_PULSE;
    case CR_CHART_ERROR_TEMPERATURE:
      return VITAL_TEMPERATURE;
    case CR_CHART_ERROR_RESPIRATORY_RATE:
      return VITAL_RESPIRATORY;
    case CR_CHART_ERROR_SPO2:
      return VITAL_SPO2;
    case CR_CHART_ERROR_WEIGHT:
      return VITAL_WEIGHT;
    case CR_CHART_ERROR_HEIGHT:
      return VITAL_HEIGHT;
    default:
      return N_VITALS;
    }
}

static void
flag (CrVitalsEditor *self,
      Vital           vital,
      const char     *message)
{
  VitalState *s = &self->state[vital];

  s->usable = FALSE;
  g_free (s->message);
  s->message = g_strdup (message);
}

static void
check_all (CrVitalsEditor *self)
{
  gboolean parsed[N_VITALS];

  for (guint i = 0; i < N_VITALS; i++)
    {
      VitalState *s = &self->state[i];

      g_clear_pointer (&s->message, g_free);
      s->pending = FALSE;
      s->usable = parsed[i] = parse_entry (self, i, &s->metric);
      if (!parsed[i])
        flag (self, i, is_integer_vital (i) ? _("Type a whole number.") : _("Type a number."));
      else if (s->metric == 0 &&
               *gtk_editable_get_text (GTK_EDITABLE (entry_for (self, i))) != '\0')
        flag (self, i, _("Leave it empty if it was not measured."));
    }

  /* The core's own rules, one value at a time (the pressure as a pair). */
  for (guint i = VITAL_PULSE; i < N_VITALS; i++)
    {
      g_autoptr(CrVisit) scratch = cr_visit_new (1);
      g_autoptr(GError) error = NULL;

      if (!self->state[i].usable || self->state[i].metric == CR_VITAL_NOT_RECORDED)
        continue;
      set_single_vital (scratch, i, self->state[i].metric);
      if (!cr_visit_validate (scratch, &error))
        flag (self, i, error->message);
    }

  if (self->state[VITAL_SYSTOLIC].usable && self->state[VITAL_DIASTOLIC].usable)
    {
      g_autoptr(CrVisit) scratch = cr_visit_new (1);
      g_autoptr(GError) error = NULL;
      double sys = self->state[VITAL_SYSTOLIC].metric;
      double dia = self->state[VITAL_DIASTOLIC].metric;

      cr_visit_set_blood_pressure (scratch, (int) sys, (int) dia);
      if (!cr_visit_validate (scratch, &error))
        {
          Vital which = vital_for_error (error);

          if (which != VITAL_SYSTOLIC && which != VITAL_DIASTOLIC)
            which = VITAL_SYSTOLIC;
          if ((sys == 0) != (dia == 0))
            {
              /* Half typed: wait for the other half, without alarm. */
              self->state[VITAL_SYSTOLIC].usable = FALSE;
              self->state[VITAL_DIASTOLIC].usable = FALSE;
              self->state[which].pending = TRUE;
            }
          else
            flag (self, which, error->message);
        }
    }
  /* A pressure is saved whole or not at all. */
  if (!self->state[VITAL_SYSTOLIC].usable || !self->state[VITAL_DIASTOLIC].usable)
    {
      gboolean sys_ok = self->state[VITAL_SYSTOLIC].message == NULL;
      gboolean dia_ok = self->state[VITAL_DIASTOLIC].message == NULL;

      if (!sys_ok || !dia_ok)
        {
          self->state[VITAL_SYSTOLIC].usable = FALSE;
          self->state[VITAL_DIASTOLIC].usable = FALSE;
        }
    }
}

static void
update_display (CrVitalsEditor *self)
{
  g_autoptr(GString) errors = g_string_new (NULL);
  const VitalState *w = &self->state[VITAL_WEIGHT];
  const VitalState *h = &self->state[VITAL_HEIGHT];
  gboolean pending = FALSE;

  for (guint i = 0; i < N_VITALS; i++)
    {
      GtkWidget *entry = GTK_WIDGET (entry_for (self, i));

      if (self->state[i].message != NULL)
        {
          if (errors->len > 0)
            g_string_append_c (errors, '\n');
          g_string_append (errors, self->state[i].message);
          gtk_widget_add_css_class (entry, "error");
          gtk_accessible_update_state (GTK_ACCESSIBLE (entry),
                                       GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE,
                                       -1);
        }
      else
        {
          gtk_widget_remove_css_class (entry, "error");
          gtk_accessible_reset_state (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_STATE_INVALID);
        }
      pending |= self->state[i].pending;
    }

  if (errors->len > 0)
    {
      /* Translators: shown under impossible vital signs */
      g_string_append_printf (errors, "\n%s", _("Flagged values are not saved until corrected; "
                                                "everything else is."));
    }
  gtk_label_set_label (self->error_label, errors->str);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), errors->len > 0);

  gtk_label_set_label (self->hint_label,
                       pending ? _("Enter both blood pressure values to record it.") : "");
  gtk_widget_set_visible (GTK_WIDGET (self->hint_label), pending);

  if (w->usable && h->usable && w->metric > 0 && h->metric > 0)
    {
      double bmi = w->metric / ((h->metric / 100) * (h->metric / 100));
      g_autofree char *text = g_strdup_printf ("%.1f", bmi);

      gtk_label_set_label (self->bmi_label, text);
      gtk_widget_remove_css_class (GTK_WIDGET (self->bmi_label), "dim-label");
    }
  else
    {
      /* Translators: no BMI yet: weight or height missing */
      gtk_label_set_label (self->bmi_label, _("Needs weight and height"));
      gtk_widget_add_css_class (GTK_WIDGET (self->bmi_label), "dim-label");
    }
}

static void
on_entry_changed (CrVitalsEditor *self)
{
  if (self->loading)
    return;
  check_all (self);
  update_display (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
update_units (CrVitalsEditor *self)
{
  gtk_label_set_label (self->temperature_unit, self->us ? "°F" : "°C");
  gtk_label_set_label (self->weight_unit, self->us ? "lb" : "kg");
  gtk_label_set_label (self->height_unit, self->us ? "in" : "cm");
}

static void
on_units_changed (CrVitalsEditor *self,
                  const char     *key,
                  GSettings      *settings)
{
  cr_vitals_editor_set_us_units (self, g_settings_get_enum (settings, "units") == 1);
}

static void
cr_vitals_editor_dispose (GObject *object)
{
  CrVitalsEditor *self = CR_VITALS_EDITOR (object);

  g_clear_object (&self->settings);
  gtk_widget_dispose_template (GTK_WIDGET (self), CR_TYPE_VITALS_EDITOR);

  G_OBJECT_CLASS (cr_vitals_editor_parent_class)->dispose (object);
}

static void
cr_vitals_editor_finalize (GObject *object)
{
  CrVitalsEditor *self = CR_VITALS_EDITOR (object);

  for (guint i = 0; i < N_VITALS; i++)
    {
      g_free (self->state[i].message);
      g_free (self->state[i].shown);
    }

  G_OBJECT_CLASS (cr_vitals_editor_parent_class)->finalize (object);
}

static void
cr_vitals_editor_class_init (CrVitalsEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cr_vitals_editor_dispose;
  object_class->finalize = cr_vitals_editor_finalize;

  /**
   * CrVitalsEditor::changed:
   *
   * A value was typed; flags and the BMI are already up to date.
   */
  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/chartroom/Chartroom/cr-vitals-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, CrVitalsEditor, systolic_entry);
  gtk_widget_class_bind_template_child (widget_class, CrVitalsEditor, diastolic_entry);
  gtk_widget_class_bind_template_child (widget_class, CrVitalsEditor, pulse_entry);
  gtk_widget_class_bind_template_child (widget_class, CrVitalsEditor, temperature_entry);
  gtk_widget_class_bind_template_child (widget_class, CrVitalsEditor, respiratory_entry);
  gtk_widget_class_bind_template_child (widget_class, CrVitalsEditor, spo2_entry);
  gtk_widget_class_bind_template_child (widget_class, CrVitalsEditor, weight_entry);
  gtk_widget_class_bind_template_child (widget_class, CrVitalsEditor, height_entry);
  gtk_widget_class_bind_template_child (widget_class, CrVitalsEditor, temperature_unit);
  gtk_widget_class_bind_template_child (widget_class, CrVitalsEditor, weight_unit);
  gtk_widget_class_bind_template_child (widget_class, CrVitalsEditor, height_unit);
  gtk_widget_class_bind_template_child (widget_class, CrVitalsEditor, bmi_label);
  gtk_widget_class_bind_template_child (widget_class, CrVitalsEditor, error_label);
  gtk_widget_class_bind_template_child (widget_class, CrVitalsEditor, hint_label);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_changed);
}

static void
cr_vitals_editor_init (CrVitalsEditor *self)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  /* Without the installed schema (a build tree run) metric it is. */
  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_SCHEMA, TRUE);
  if (schema != NULL)
    {
      self->settings = g_settings_new (APP_SCHEMA);
      self->us = g_settings_get_enum (self->settings, "units") == 1;
      g_signal_connect_object (self->settings, "changed::units",
                               G_CALLBACK (on_units_changed), self, G_CONNECT_SWAPPED);
    }
  update_units (self);
  check_all (self);
  update_display (self);
}

GtkWidget *
cr_vitals_editor_new (void)
{
  return g_object_new (CR_TYPE_VITALS_EDITOR, NULL);
}

/**
 * cr_vitals_editor_set_us_units:
 * @us: °F, lb and in rather than °C, kg and cm
 *
 * Shows the values typed so far in the new units.
 */
void
cr_vitals_editor_set_us_units (CrVitalsEditor *self,
                               gboolean        us)
{
  Vital converted[] = { VITAL_TEMPERATURE, VITAL_WEIGHT, VITAL_HEIGHT };

  g_return_if_fail (CR_IS_VITALS_EDITOR (self));

  us = !!us;
  if (self->us == us)
    return;

  check_all (self);
  self->us = us;
  update_units (self);

  self->loading = TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (converted); i++)
    if (self->state[converted[i]].message == NULL)
      set_entry_value (self, converted[i], self->state[converted[i]].metric);
  self->loading = FALSE;

  check_all (self);
  update_display (self);
}

gboolean
cr_vitals_editor_get_us_units (CrVitalsEditor *self)
{
  g_return_val_if_fail (CR_IS_VITALS_EDITOR (self), FALSE);
  return self->us;
}

/**
 * cr_vitals_editor_load:
 *
 * Shows @visit's vital signs, replacing whatever was typed.
 */
void
cr_vitals_editor_load (CrVitalsEditor *self,
                       CrVisit        *visit)
{
  g_return_if_fail (CR_IS_VITALS_EDITOR (self));
  g_return_if_fail (CR_IS_VISIT (visit));

  self->loading = TRUE;
  set_entry_value (self, VITAL_SYSTOLIC, cr_visit_get_bp_systolic (visit));
  set_entry_value (self, VITAL_DIASTOLIC, cr_visit_get_bp_diastolic (visit));
  set_entry_value (self, VITAL_PULSE, cr_visit_get_pulse (visit));
  set_entry_value (self, VITAL_TEMPERATURE, cr_visit_get_temperature_c (visit));
  set_entry_value (self, VITAL_RESPIRATORY, cr_visit_get_respiratory_rate (visit));
  set_entry_value (self, VITAL_SPO2, cr_visit_get_spo2 (visit));
  set_entry_value (self, VITAL_WEIGHT, cr_visit_get_weight_kg (visit));
  set_entry_value (self, VITAL_HEIGHT, cr_visit_get_height_cm (visit));
  self->loading = FALSE;

  check_all (self);
  update_display (self);
}

/**
 * cr_vitals_editor_apply:
 * @visit: the note being saved
 *
 * Sets on @visit, in metric units, every value that may be saved (an empty
 * entry clears it). A flagged value leaves @visit's value as it was.
 *
 * Returns: %TRUE if nothing is flagged or half typed
 */
gboolean
cr_vitals_editor_apply (CrVitalsEditor *self,
                        CrVisit        *visit)
{
  const VitalState *s = self->state;
  gboolean all = TRUE;

  g_return_val_if_fail (CR_IS_VITALS_EDITOR (self), FALSE);
  g_return_val_if_fail (CR_IS_VISIT (visit), FALSE);

  check_all (self);
  if (s[VITAL_SYSTOLIC].usable && s[VITAL_DIASTOLIC].usable)
    cr_visit_set_blood_pressure (visit, (int) s[VITAL_SYSTOLIC].metric,
                                 (int) s[VITAL_DIASTOLIC].metric);
  else
    all = FALSE;

  for (guint i = VITAL_PULSE; i < N_VITALS; i++)
    {
      if (s[i].usable)
        set_single_vital (visit, i, s[i].metric);
      else
        all = FALSE;
    }
  return all;
}

guint
cr_vitals_editor_get_n_flagged (CrVitalsEditor *self)
{
  guint n = 0;

  g_return_val_if_fail (CR_IS_VITALS_EDITOR (self), 0);

  for (guint i = 0; i < N_VITALS; i++)
    if (self->state[i].message != NULL)
      n++;
  return n;
}

/**
 * cr_vitals_editor_get_first_flagged:
 *
 * Returns: (transfer none) (nullable): the first entry holding a refused value
 */
GtkWidget *
cr_vitals_editor_get_first_flagged (CrVitalsEditor *self)
{
  g_return_val_if_fail (CR_IS_VITALS_EDITOR (self), NULL);

  for (guint i = 0; i < N_VITALS; i++)
    if (self->state[i].message != NULL || self->state[i].pending)
      return GTK_WIDGET (entry_for (self, i));
  return NULL;
}
