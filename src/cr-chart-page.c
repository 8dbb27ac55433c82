/* cr-chart-page.c: a patient's chart
 *
 * The Details page shows who the patient is; the chart's clinical sections
 * (summary, visits, medications, problems) are further pages of the same
 * view stack.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cr-chart-page"

#include "config.h"

#include <glib/gi18n.h>

#include "cr-chart-page.h"
#include "cr-patient-row.h"

struct _CrChartPage
{
  AdwBin              parent_instance;

  CrPatient          *patient;
  gboolean            folded;

  AdwViewSwitcherTitle *switcher_title;
  AdwViewStack       *stack;
  AdwAvatar          *avatar;
  GtkLabel           *name_label;
  GtkLabel           *summary_label;
  GtkLabel           *record_label;
  GtkLabel           *tag_label;
  GtkLabel           *phone_label;
  GtkLabel           *email_label;
  GtkLabel           *address_label;
  GtkLabel           *payer_label;
  GtkLabel           *member_label;
  GtkLabel           *birth_label;
  GtkLabel           *sex_label;
  GtkLabel           *created_label;
  GtkLabel           *updated_label;
};

enum {
  PROP_0,
  PROP_PATIENT,
  PROP_FOLDED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (CrChartPage, cr_chart_page, ADW_TYPE_BIN)

static void
set_value (GtkLabel   *label,
           const char *value)
{
  gboolean empty = value == NULL || *value == '\0';

  gtk_label_set_label (label, empty ? _("Not recorded") : value);
  gtk_label_set_selectable (label, !empty);
  if (empty)
    gtk_widget_add_css_class (GTK_WIDGET (label), "dim-label");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (label), "dim-label");
}

static char *
format_stamp (const char *at,
              const char *by)
{
  g_autofree char *when = _cr_patient_row_format_timestamp (at);

  if (when == NULL)
    return NULL;
  if (by == NULL || *by == '\0')
    return g_steal_pointer (&when);
  /* Translators: when and by whom a record was written, "Feb 1, 2024, 14:05 by alice" */
  return g_strdup_printf (_("%s by %s"), when, by);
}

static void
cr_chart_page_update (CrChartPage *self)
{
  CrPatient *p = self->patient;
  g_autofree char *name = NULL;
  g_autofree char *birth = NULL;
  g_autofree char *age = NULL;
  g_autofree char *record = NULL;
  g_autofree char *created = NULL;
  g_autofree char *updated = NULL;
  g_autoptr(GString) summary = g_string_new (NULL);
  const char *tag = NULL;

  if (p == NULL)
    {
      adw_view_switcher_title_set_title (self->switcher_title, "");
      adw_view_switcher_title_set_subtitle (self->switcher_title, "");
      return;
    }

  name = cr_patient_dup_display_name (p);
  birth = _cr_patient_row_format_date (cr_patient_get_birth_date (p));
  age = _cr_patient_row_format_age (p);

  adw_view_switcher_title_set_title (self->switcher_title, name);
  adw_view_switcher_title_set_subtitle (self->switcher_title, cr_patient_get_record_number (p));
  adw_avatar_set_text (self->avatar, name);
  gtk_label_set_label (self->name_label, name);

  if (age != NULL)
    g_string_append (summary, age);
  if (cr_patient_get_sex (p) != CR_SEX_UNKNOWN)
    {
      if (summary->len > 0)
        g_string_append (summary, _(" · "));
      g_string_append (summary, _cr_patient_row_sex_label (cr_patient_get_sex (p)));
    }
  if (birth != NULL)
    {
      if (summary->len > 0)
        g_string_append (summary, _(" · "));
      /* Translators: %s is the birth date */
      g_string_append_printf (summary, _("Born %s"), birth);
    }
  if (cr_patient_get_deceased (p) && cr_patient_get_deceased_date (p) != NULL)
    {
      g_autofree char *death = _cr_patient_row_format_date (cr_patient_get_deceased_date (p));

      if (summary->len > 0)
        g_string_append (summary, _(" · "));
      /* Translators: %s is the date of death */
      g_string_append_printf (summary, _("Died %s"), death ? death : cr_patient_get_deceased_date (p));
    }
  gtk_label_set_label (self->summary_label, summary->str);
  gtk_widget_set_visible (GTK_WIDGET (self->summary_label), summary->len > 0);

  /* Translators: %s is the patient's record number, "P000012" */
  record = g_strdup_printf (_("Record number %s"), cr_patient_get_record_number (p));
  gtk_label_set_label (self->record_label, record);

  if (cr_patient_get_deceased (p))
    tag = _("Deceased");
  else if (cr_patient_get_inactive (p))
    tag = _("Inactive");
  gtk_label_set_label (self->tag_label, tag ? tag : "");
  gtk_widget_set_visible (GTK_WIDGET (self->tag_label), tag != NULL);

  set_value (self->phone_label, cr_patient_get_phone (p));
  set_value (self->email_label, cr_patient_get_email (p));
  set_value (self->address_label, cr_patient_get_address (p));
  set_value (self->payer_label, cr_patient_get_insurance_payer (p));
  set_value (self->member_label, cr_patient_get_insurance_member_id (p));
  set_value (self->birth_label, birth);
  set_value (self->sex_label, cr_patient_get_sex (p) != CR_SEX_UNKNOWN
                              ? _cr_patient_row_sex_label (cr_patient_get_sex (p)) : NULL);

  created = format_stamp (cr_patient_get_created_at (p), cr_patient_get_created_by (p));
  updated = format_stamp (cr_patient_get_updated_at (p), cr_patient_get_updated_by (p));
  set_value (self->created_label, created);
  set_value (self->updated_label, updated);
}

static void
on_patient_notify (CrChartPage *self)
{
  cr_chart_page_update (self);
}

static void
cr_chart_page_dispose (GObject *object)
{
  CrChartPage *self = (CrChartPage *)object;

  if (self->patient != NULL)
    g_signal_handlers_disconnect_by_func (self->patient, on_patient_notify, self);
  g_clear_object (&self->patient);

  G_OBJECT_CLASS (cr_chart_page_parent_class)->dispose (object);
}

static void
cr_chart_page_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  CrChartPage *self = CR_CHART_PAGE (object);

  switch (prop_id)
    {
    case PROP_PATIENT:
      g_value_set_object (value, self->patient);
      break;
    case PROP_FOLDED:
      g_value_set_boolean (value, self->folded);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cr_chart_page_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  CrChartPage *self = CR_CHART_PAGE (object);

  switch (prop_id)
    {
    case PROP_PATIENT:
      cr_chart_page_set_patient (self, g_value_get_object (value));
      break;
    case PROP_FOLDED:
      if (self->folded != g_value_get_boolean (value))
        {
          self->folded = g_value_get_boolean (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cr_chart_page_class_init (CrChartPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cr_chart_page_dispose;
  object_class->get_property = cr_chart_page_get_property;
  object_class->set_property = cr_chart_page_set_property;

  properties[PROP_PATIENT] =
    g_param_spec_object ("patient", NULL, NULL, CR_TYPE_PATIENT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* TRUE when the chart fills the window alone: it then offers a way back
   * to the list. */
  properties[PROP_FOLDED] =
    g_param_spec_boolean ("folded", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/chartroom/Chartroom/cr-chart-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CrChartPage, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, CrChartPage, stack);
  gtk_widget_class_bind_template_child (widget_class, CrChartPage, avatar);
  gtk_widget_class_bind_template_child (widget_class, CrChartPage, name_label);
  gtk_widget_class_bind_template_child (widget_class, CrChartPage, summary_label);
  gtk_widget_class_bind_template_child (widget_class, CrChartPage, record_label);
  gtk_widget_class_bind_template_child (widget_class, CrChartPage, tag_label);
  gtk_widget_class_bind_template_child (widget_class, CrChartPage, phone_label);
  gtk_widget_class_bind_template_child (widget_class, CrChartPage, email_label);
  gtk_widget_class_bind_template_child (widget_class, CrChartPage, address_label);
  gtk_widget_class_bind_template_child (widget_class, CrChartPage, payer_label);
  gtk_widget_class_bind_template_child (widget_class, CrChartPage, member_label);
  gtk_widget_class_bind_template_child (widget_class, CrChartPage, birth_label);
  gtk_widget_class_bind_template_child (widget_class, CrChartPage, sex_label);
  gtk_widget_class_bind_template_child (widget_class, CrChartPage, created_label);
  gtk_widget_class_bind_template_child (widget_class, CrChartPage, updated_label);
}

static void
cr_chart_page_init (CrChartPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
cr_chart_page_new (void)
{
  return g_object_new (CR_TYPE_CHART_PAGE, NULL);
}

/**
 * cr_chart_page_get_patient:
 *
 * Returns: (transfer none) (nullable): the patient shown
 */
CrPatient *
cr_chart_page_get_patient (CrChartPage *self)
{
  g_return_val_if_fail (CR_IS_CHART_PAGE (self), NULL);
  return self->patient;
}

/**
 * cr_chart_page_set_patient:
 * @patient: (nullable): the patient to show; the page follows its changes
 */
void
cr_chart_page_set_patient (CrChartPage *self,
                           CrPatient   *patient)
{
  g_return_if_fail (CR_IS_CHART_PAGE (self));
  g_return_if_fail (patient == NULL || CR_IS_PATIENT (patient));

  if (self->patient == patient)
    return;

  if (self->patient != NULL)
    g_signal_handlers_disconnect_by_func (self->patient, on_patient_notify, self);
  g_set_object (&self->patient, patient);
  if (patient != NULL)
    g_signal_connect_swapped (patient, "notify", G_CALLBACK (on_patient_notify), self);

  cr_chart_page_update (self);
  adw_view_stack_set_visible_child_name (self->stack, "details");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PATIENT]);
}

/**
 * cr_chart_page_get_stack:
 *
 * Returns: (transfer none): the chart's sections, for more pages to join
 */
AdwViewStack *
cr_chart_page_get_stack (CrChartPage *self)
{
  g_return_val_if_fail (CR_IS_CHART_PAGE (self), NULL);
  return self->stack;
}
