/* cr-visit-row.c: one visit in the chart's lists
 *
 * Date, kind and clinician, the status (a draft stands out: it still
 * needs signing), the chief complaint, the coded diagnoses and the
 * outcomes of earlier treatment recorded at this visit.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cr-visit-row"

#include "config.h"

#include <glib/gi18n.h>

#include "cr-chart-format.h"
#include "cr-visit-row.h"

struct _CrVisitRow
{
  AdwBin     parent_instance;

  CrVisit   *visit;

  GtkLabel  *date_label;
  GtkLabel  *kind_label;
  GtkLabel  *status_label;
  GtkLabel  *complaint_label;
  GtkBox    *diagnoses_box;
  GtkLabel  *diagnoses_label;
  GtkBox    *outcomes_box;
  GtkLabel  *outcomes_label;
};

G_DEFINE_FINAL_TYPE (CrVisitRow, cr_visit_row, ADW_TYPE_BIN)

static void
set_optional (GtkWidget  *box,
              GtkLabel   *label,
              const char *text)
{
  gtk_label_set_label (label, text ? text : "");
  /* One line each keeps a long history quick to scroll; the whole text
   * is a hover away, and in the visit itself. */
  gtk_widget_set_tooltip_text (GTK_WIDGET (label), text);
  gtk_widget_set_visible (box, text != NULL && *text != '\0');
}

static void
cr_visit_row_update (CrVisitRow *self)
{
  CrVisit *v = self->visit;
  g_autofree char *date = NULL;
  g_autofree char *kind = NULL;
  g_autofree char *diagnoses = NULL;
  g_autofree char *outcomes = NULL;
  const char *complaint;
  const char *clinician;

  if (v == NULL)
    return;

  date = _cr_chart_format_date (cr_visit_get_started_at (v));
  clinician = cr_visit_get_clinician (v);
  if (clinician != NULL && *clinician != '\0')
    /* Translators: a visit's kind and clinician, "Office visit · Dr. Ruiz" */
    kind = g_strdup_printf (_("%s · %s"), _cr_chart_format_visit_type (cr_visit_get_visit_type (v)),
                            clinician);
  else
    kind = g_strdup (_cr_chart_format_visit_type (cr_visit_get_visit_type (v)));

  gtk_label_set_label (self->date_label, date ? date : "");
  gtk_label_set_label (self->kind_label, kind);
  _cr_chart_set_status_badge (self->status_label, v);

  complaint = cr_visit_get_chief_complaint (v);
  if (complaint != NULL && *complaint != '\0')
    {
      gtk_label_set_label (self->complaint_label, complaint);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->complaint_label), complaint);
      gtk_widget_remove_css_class (GTK_WIDGET (self->complaint_label), "dim-label");
    }
  else
    {
      gtk_label_set_label (self->complaint_label, _("No chief complaint recorded"));
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->complaint_label), NULL);
      gtk_widget_add_css_class (GTK_WIDGET (self->complaint_label), "dim-label");
    }

  diagnoses = _cr_chart_format_diagnoses (v);
  outcomes = _cr_chart_format_outcomes (v);
  set_optional (GTK_WIDGET (self->diagnoses_box), self->diagnoses_label, diagnoses);
  set_optional (GTK_WIDGET (self->outcomes_box), self->outcomes_label, outcomes);
}

static void
cr_visit_row_dispose (GObject *object)
{
  CrVisitRow *self = (CrVisitRow *)object;

  g_clear_object (&self->visit);

  G_OBJECT_CLASS (cr_visit_row_parent_class)->dispose (object);
}

static void
cr_visit_row_class_init (CrVisitRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cr_visit_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/chartroom/Chartroom/cr-visit-row.ui");
  gtk_widget_class_bind_template_child (widget_class, CrVisitRow, date_label);
  gtk_widget_class_bind_template_child (widget_class, CrVisitRow, kind_label);
  gtk_widget_class_bind_template_child (widget_class, CrVisitRow, status_label);
  gtk_widget_class_bind_template_child (widget_class, CrVisitRow, complaint_label);
  gtk_widget_class_bind_template_child (widget_class, CrVisitRow, diagnoses_box);
  gtk_widget_class_bind_template_child (widget_class, CrVisitRow, diagnoses_label);
  gtk_widget_class_bind_template_child (widget_class, CrVisitRow, outcomes_box);
  gtk_widget_class_bind_template_child (widget_class, CrVisitRow, outcomes_label);
}

static void
cr_visit_row_init (CrVisitRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
cr_visit_row_new (void)
{
  return g_object_new (CR_TYPE_VISIT_ROW, NULL);
}

/**
 * cr_visit_row_get_visit:
 *
 * Returns: (transfer none) (nullable): the visit shown
 */
CrVisit *
cr_visit_row_get_visit (CrVisitRow *self)
{
  g_return_val_if_fail (CR_IS_VISIT_ROW (self), NULL);
  return self->visit;
}

void
cr_visit_row_set_visit (CrVisitRow *self,
                        CrVisit    *visit)
{
  g_return_if_fail (CR_IS_VISIT_ROW (self));
  g_return_if_fail (visit == NULL || CR_IS_VISIT (visit));

  if (g_set_object (&self->visit, visit))
    cr_visit_row_update (self);
}
