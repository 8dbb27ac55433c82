/* cr-previsit-summary.c: what a physician reads in the minute before a
 * visit
 *
 * The text of each section comes from the core (cr_previsit_dup_section),
 * which the printed page uses too, so screen and paper say the same.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cr-previsit-summary"

#include "config.h"

#include <glib/gi18n.h>

#include "cr-complaint-chart.h"
#include "cr-previsit-summary.h"
#include "cr-report-export.h"

struct _CrPrevisitSummary
{
  GtkWidget         parent_instance;

  CrStore          *store;
  CrPatient        *patient;
  CrPrevisit       *previsit;
  GCancellable     *cancellable;
  gboolean          loading;

  GtkWidget        *box;
  GtkLabel         *problems_label;
  GtkLabel         *allergies_label;
  GtkLabel         *medications_label;
  GtkLabel         *follow_ups_label;
  GtkLabel         *visits_label;
  GtkLabel         *recurring_label;
  CrComplaintChart *chart;
};

G_DEFINE_FINAL_TYPE (CrPrevisitSummary, cr_previsit_summary, GTK_TYPE_WIDGET)

static void
set_section (GtkLabel   *label,
             CrPrevisit *previsit,
             const char *which)
{
  g_autofree char *text = cr_previsit_dup_section (previsit, which, TRUE);

  gtk_label_set_markup (label, text);
}

static void
update (CrPrevisitSummary *self)
{
  CrPrevisit *p = self->previsit;
  g_autofree char *documents = NULL;
  g_autofree char *follow_ups = NULL;
  CrComplaintReport *report;
  g_autofree char *recurring = NULL;

  gtk_widget_set_visible (self->box, p != NULL);
  if (p == NULL)
    return;

  set_section (self->problems_label, p, "problems");
  set_section (self->allergies_label, p, "allergies");
  set_section (self->medications_label, p, "medications");
  set_section (self->visits_label, p, "visits");
  /* Follow-ups and new documents share a cell: both are "to look at". */
  follow_ups = cr_previsit_dup_section (p, "follow-ups", TRUE);
  documents = cr_previsit_dup_section (p, "documents", TRUE);
  {
    g_autofree char *both = g_strdup_printf ("%s\n\n%s", follow_ups, documents);

    gtk_label_set_markup (self->follow_ups_label, both);
  }

  report = cr_previsit_get_report (p);
  recurring = g_strdup_printf ("<b>%s</b>  <span alpha=\"70%%\">%s</span>", _("Recurring Complaints"),
                               _("the last 3 years"));
  gtk_label_set_markup (self->recurring_label, recurring);
  cr_complaint_chart_set_report (self->chart, report);
}

static void
loaded_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(CrPrevisitSummary) self = user_data;
  g_autoptr(GError) error = NULL;
  CrPrevisit *p = cr_store_load_previsit_finish (CR_STORE (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->loading = FALSE;
  if (p == NULL)
    {
      g_warning ("Could not load the pre-visit summary: %s", error->message);
      return;
    }
  g_clear_pointer (&self->previsit, cr_previsit_unref);
  self->previsit = p;
  update (self);
}

void
cr_previsit_summary_set_patient (CrPrevisitSummary *self,
                                 CrStore           *store,
                                 CrPatient         *patient)
{
  g_return_if_fail (CR_IS_PREVISIT_SUMMARY (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_set_object (&self->store, store);
  g_set_object (&self->patient, patient);
  g_clear_pointer (&self->previsit, cr_previsit_unref);
  update (self);

  if (store == NULL || patient == NULL)
    return;
  self->loading = TRUE;
  self->cancellable = g_cancellable_new ();
  cr_store_load_previsit_async (store, cr_patient_get_id (patient), self->cancellable,
                                loaded_cb, g_object_ref (self));
}

void
cr_previsit_summary_set_report (CrPrevisitSummary *self,
                                CrComplaintReport *report)
{
  g_return_if_fail (CR_IS_PREVISIT_SUMMARY (self));
  cr_complaint_chart_set_report (self->chart, report);
}

gboolean
cr_previsit_summary_get_loading (CrPrevisitSummary *self)
{
  g_return_val_if_fail (CR_IS_PREVISIT_SUMMARY (self), FALSE);
  return self->loading;
}

/* For printing: the loaded summary, or NULL. */
CrPrevisit *
_cr_previsit_summary_get_previsit (CrPrevisitSummary *self)
{
  return self->previsit;
}

static void
cr_previsit_summary_dispose (GObject *object)
{
  CrPrevisitSummary *self = CR_PREVISIT_SUMMARY (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);
  g_clear_object (&self->patient);
  g_clear_pointer (&self->previsit, cr_previsit_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), CR_TYPE_PREVISIT_SUMMARY);
  G_OBJECT_CLASS (cr_previsit_summary_parent_class)->dispose (object);
}

static void
cr_previsit_summary_class_init (CrPrevisitSummaryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cr_previsit_summary_dispose;

  g_type_ensure (CR_TYPE_COMPLAINT_CHART);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/chartroom/Chartroom/cr-previsit-summary.ui");
  gtk_widget_class_bind_template_child (widget_class, CrPrevisitSummary, box);
  gtk_widget_class_bind_template_child (widget_class, CrPrevisitSummary, problems_label);
  gtk_widget_class_bind_template_child (widget_class, CrPrevisitSummary, allergies_label);
  gtk_widget_class_bind_template_child (widget_class, CrPrevisitSummary, medications_label);
  gtk_widget_class_bind_template_child (widget_class, CrPrevisitSummary, follow_ups_label);
  gtk_widget_class_bind_template_child (widget_class, CrPrevisitSummary, visits_label);
  gtk_widget_class_bind_template_child (widget_class, CrPrevisitSummary, recurring_label);
  gtk_widget_class_bind_template_child (widget_class, CrPrevisitSummary, chart);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
cr_previsit_summary_init (CrPrevisitSummary *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_visible (self->box, FALSE);
}
