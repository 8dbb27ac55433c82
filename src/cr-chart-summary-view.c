/* cr-chart-summary-view.c: who this patient is, on one screen
 *
 * What a physician reads before walking in: overdue follow-ups first, then
 * active problems (chronic conditions first), allergies, current
 * medications and the last visits with their diagnoses and outcomes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cr-chart-summary-view"

#include "config.h"

#include <glib/gi18n.h>

#include "cr-chart-format.h"
#include "cr-chart-summary-view.h"
#include "cr-visit-row.h"

struct _CrChartSummaryView
{
  AdwBin               parent_instance;

  CrChartSummary      *summary;

  GtkBox              *overdue_box;
  GtkLabel            *overdue_label;
  GtkListBox          *problems_list;
  GtkListBox          *allergies_list;
  GtkListBox          *medications_list;
  AdwPreferencesGroup *visits_group;
  GtkListBox          *visits_list;
};

enum {
  PROP_0,
  PROP_SUMMARY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (CrChartSummaryView, cr_chart_summary_view, ADW_TYPE_BIN)

static GtkWidget *
create_problem_row (gpointer item,
                    gpointer user_data)
{
  return _cr_chart_problem_row_new (item);
}

static GtkWidget *
create_allergy_row (gpointer item,
                    gpointer user_data)
{
  return _cr_chart_allergy_row_new (item);
}

static GtkWidget *
create_medication_row (gpointer item,
                       gpointer user_data)
{
  return _cr_chart_medication_row_new (item);
}

static GtkWidget *
create_visit_row (gpointer item,
                  gpointer user_data)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *child = cr_visit_row_new ();

  cr_visit_row_set_visit (CR_VISIT_ROW (child), item);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), child);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  return row;
}

static void
on_visit_activated (CrChartSummaryView *self,
                    GtkListBoxRow      *row)
{
  CrVisit *visit = cr_visit_row_get_visit (CR_VISIT_ROW (gtk_list_box_row_get_child (row)));

  if (visit != NULL)
    gtk_widget_activate_action (GTK_WIDGET (self), "main.open-visit", "x",
                                cr_visit_get_id (visit));
}

/* "Follow-up overdue since Mar 3, 2025: HbA1c recheck", one a line. */
static void
update_overdue (CrChartSummaryView *self)
{
  GListModel *follow_ups = cr_chart_summary_get_follow_ups (self->summary);
  g_autoptr(GString) text = g_string_new (NULL);
  guint n = g_list_model_get_n_items (follow_ups);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CrFollowUp) f = g_list_model_get_item (follow_ups, i);
      g_autofree char *due = _cr_chart_format_date (cr_follow_up_get_due_date (f));
      const char *reason = cr_follow_up_get_reason (f);

      if (text->len > 0)
        g_string_append_c (text, '\n');
      if (reason != NULL && *reason != '\0')
        /* Translators: an overdue follow-up, "Follow-up due Mar 3, 2025: HbA1c recheck" */
        g_string_append_printf (text, _("Follow-up due %s: %s"), due ? due : "", reason);
      else
        /* Translators: %s is the date a follow-up was due */
        g_string_append_printf (text, _("Follow-up due %s"), due ? due : "");
    }
  gtk_label_set_label (self->overdue_label, text->str);
  gtk_widget_set_visible (GTK_WIDGET (self->overdue_box), n > 0);
}

static void
cr_chart_summary_view_update (CrChartSummaryView *self)
{
  GListModel *visits;
  g_autofree char *description = NULL;
  gint64 count;

  if (self->summary == NULL)
    {
      gtk_list_box_bind_model (self->problems_list, NULL, NULL, NULL, NULL);
      gtk_list_box_bind_model (self->allergies_list, NULL, NULL, NULL, NULL);
      gtk_list_box_bind_model (self->medications_list, NULL, NULL, NULL, NULL);
      gtk_list_box_bind_model (self->visits_list, NULL, NULL, NULL, NULL);
      gtk_widget_set_visible (GTK_WIDGET (self->overdue_box), FALSE);
      return;
    }

  update_overdue (self);
  gtk_list_box_bind_model (self->problems_list, cr_chart_summary_get_problems (self->summary),
                           create_problem_row, NULL, NULL);
  gtk_list_box_bind_model (self->allergies_list, cr_chart_summary_get_allergies (self->summary),
                           create_allergy_row, NULL, NULL);
  gtk_list_box_bind_model (self->medications_list,
                           cr_chart_summary_get_medications (self->summary),
                           create_medication_row, NULL, NULL);
  visits = cr_chart_summary_get_visits (self->summary);
  gtk_list_box_bind_model (self->visits_list, visits, create_visit_row, NULL, NULL);

  count = cr_chart_summary_get_visit_count (self->summary);
  if (count > (gint64) g_list_model_get_n_items (visits))
    /* Translators: under "Last Visits": how many there are in all */
    description = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "The latest of %" G_GINT64_FORMAT " visit",
                                                "The latest of %" G_GINT64_FORMAT " visits",
                                                (gulong) count), count);
  adw_preferences_group_set_description (self->visits_group, description);
}

static void
cr_chart_summary_view_dispose (GObject *object)
{
  CrChartSummaryView *self = (CrChartSummaryView *)object;

  g_clear_object (&self->summary);

  G_OBJECT_CLASS (cr_chart_summary_view_parent_class)->dispose (object);
}

static void
cr_chart_summary_view_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  CrChartSummaryView *self = CR_CHART_SUMMARY_VIEW (object);

  switch (prop_id)
    {
    case PROP_SUMMARY:
      g_value_set_object (value, self->summary);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cr_chart_summary_view_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  CrChartSummaryView *self = CR_CHART_SUMMARY_VIEW (object);

  switch (prop_id)
    {
    case PROP_SUMMARY:
      cr_chart_summary_view_set_summary (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cr_chart_summary_view_class_init (CrChartSummaryViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cr_chart_summary_view_dispose;
  object_class->get_property = cr_chart_summary_view_get_property;
  object_class->set_property = cr_chart_summary_view_set_property;

  properties[PROP_SUMMARY] =
    g_param_spec_object ("summary", NULL, NULL, CR_TYPE_CHART_SUMMARY,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/chartroom/Chartroom/cr-chart-summary-view.ui");
  gtk_widget_class_bind_template_child (widget_class, CrChartSummaryView, overdue_box);
  gtk_widget_class_bind_template_child (widget_class, CrChartSummaryView, overdue_label);
  gtk_widget_class_bind_template_child (widget_class, CrChartSummaryView, problems_list);
  gtk_widget_class_bind_template_child (widget_class, CrChartSummaryView, allergies_list);
  gtk_widget_class_bind_template_child (widget_class, CrChartSummaryView, medications_list);
  gtk_widget_class_bind_template_child (widget_class, CrChartSummaryView, visits_group);
  gtk_widget_class_bind_template_child (widget_class, CrChartSummaryView, visits_list);
  gtk_widget_class_bind_template_callback (widget_class, on_visit_activated);
}

static void
cr_chart_summary_view_init (CrChartSummaryView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_list_box_set_placeholder (self->problems_list,
                                _cr_chart_placeholder_new (_("No active problems")));
  gtk_list_box_set_placeholder (self->allergies_list,
                                _cr_chart_placeholder_new (_("No known allergies")));
  gtk_list_box_set_placeholder (self->medications_list,
                                _cr_chart_placeholder_new (_("No current medications")));
  gtk_list_box_set_placeholder (self->visits_list,
                                _cr_chart_placeholder_new (_("No visits yet")));
}

GtkWidget *
cr_chart_summary_view_new (void)
{
  return g_object_new (CR_TYPE_CHART_SUMMARY_VIEW, NULL);
}

/**
 * cr_chart_summary_view_get_summary:
 *
 * Returns: (transfer none) (nullable): the summary shown
 */
CrChartSummary *
cr_chart_summary_view_get_summary (CrChartSummaryView *self)
{
  g_return_val_if_fail (CR_IS_CHART_SUMMARY_VIEW (self), NULL);
  return self->summary;
}

void
cr_chart_summary_view_set_summary (CrChartSummaryView *self,
                                   CrChartSummary     *summary)
{
  g_return_if_fail (CR_IS_CHART_SUMMARY_VIEW (self));
  g_return_if_fail (summary == NULL || CR_IS_CHART_SUMMARY (summary));

  if (!g_set_object (&self->summary, summary))
    return;
  cr_chart_summary_view_update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SUMMARY]);
}
