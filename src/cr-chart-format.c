/* cr-chart-format.c: how the chart's widgets write clinical values
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cr-chart-format"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "cr-chart-format.h"
#include "cr-codes.h"
#include "cr-date.h"
#include "cr-patient-row.h"

/**
 * _cr_chart_format_date:
 * @iso: (nullable): "YYYY-MM-DD", possibly followed by a time
 *
 * Returns: (transfer full) (nullable): the date in the locale's words
 */
char *
_cr_chart_format_date (const char *iso)
{
  g_autofree char *day = NULL;
  char *text;

  if (iso == NULL || strlen (iso) < 10)
    return NULL;
  day = g_strndup (iso, 10);
  text = _cr_patient_row_format_date (day);
  return text != NULL ? text : g_strdup (day);
}

const char *
_cr_chart_format_visit_type (CrVisitType type)
{
  switch (type)
    {
    case CR_VISIT_TYPE_OFFICE:
      return _("Office visit");
    case CR_VISIT_TYPE_PHONE:
      return _("Phone call");
    case CR_VISIT_TYPE_FOLLOW_UP:
      return _("Follow-up");
    case CR_VISIT_TYPE_OTHER:
    default:
      return _("Other visit");
    }
}

const char *
_cr_chart_format_severity (CrAllergySeverity severity)
{
  switch (severity)
    {
    case CR_ALLERGY_SEVERITY_MILD:
      return _("Mild");
    case CR_ALLERGY_SEVERITY_MODERATE:
      return _("Moderate");
    case CR_ALLERGY_SEVERITY_SEVERE:
      return _("Severe");
    case CR_ALLERGY_SEVERITY_UNKNOWN:
    default:
      return _("Severity unknown");
    }
}

const char *
_cr_chart_format_outcome (CrOutcomeResult result)
{
  switch (result)
    {
    case CR_OUTCOME_RESULT_RESOLVED:
      return _("resolved");
    case CR_OUTCOME_RESULT_IMPROVED:
      return _("improved");
    case CR_OUTCOME_RESULT_UNCHANGED:
      return _("unchanged");
    case CR_OUTCOME_RESULT_WORSENED:
      return _("worsened");
    case CR_OUTCOME_RESULT_ADVERSE_EFFECT:
    default:
      return _("adverse effect");
    }
}

/* "E11.9 Type 2 diabetes mellitus without complications" */
char *
_cr_chart_format_problem (CrProblem *problem)
{
  g_autofree char *code = cr_code_format (cr_problem_get_system (problem),
                                          cr_problem_get_code (problem));

  if (code == NULL)
    return g_strdup (cr_problem_get_display (problem));
  /* Translators: a coded condition, "E11.9 Type 2 diabetes mellitus" */
  return g_strdup_printf (_("%s %s"), code, cr_problem_get_display (problem));
}

/* The visit's diagnoses on one line, primary first: "J02.9 Acute
 * pharyngitis, unspecified; R50.9 Fever, unspecified". */
char *
_cr_chart_format_diagnoses (CrVisit *visit)
{
  GListModel *diagnoses = cr_visit_get_diagnoses (visit);
  g_autoptr(GString) text = g_string_new (NULL);
  guint n = g_list_model_get_n_items (diagnoses);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CrDiagnosis) d = g_list_model_get_item (diagnoses, i);
      g_autofree char *code = cr_code_format (cr_diagnosis_get_system (d),
                                              cr_diagnosis_get_code (d));

      if (text->len > 0)
        g_string_append (text, "; ");
      if (code != NULL)
        g_string_append_printf (text, "%s ", code);
      g_string_append (text, cr_diagnosis_get_display (d));
    }
  return text->len > 0 ? g_string_free (g_steal_pointer (&text), FALSE) : NULL;
}

/* How earlier treatment turned out, as recorded at this visit:
 * "Amoxicillin 500 mg: resolved". */
char *
_cr_chart_format_outcomes (CrVisit *visit)
{
  GListModel *outcomes = cr_visit_get_outcomes (visit);
  g_autoptr(GString) text = g_string_new (NULL);
  guint n = g_list_model_get_n_items (outcomes);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CrOutcome) o = g_list_model_get_item (outcomes, i);
      const char *what = cr_outcome_get_refers_to (o);

      if (text->len > 0)
        g_string_append (text, "; ");
      /* Translators: an outcome, "Amoxicillin 500 mg: resolved" */
      g_string_append_printf (text, _("%s: %s"), what ? what : _("Earlier treatment"),
                              _cr_chart_format_outcome (cr_outcome_get_result (o)));
    }
  return text->len > 0 ? g_string_free (g_steal_pointer (&text), FALSE) : NULL;
}

static void
append_part (GString    *text,
             const char *part)
{
  if (part == NULL || *part == '\0')
    return;
  if (text->len > 0)
    g_string_append (text, " · ");
  g_string_append (text, part);
}

/* "1 tablet · by mouth · twice daily" */
char *
_cr_chart_format_dosing (CrPrescription *rx)
{
  g_autoptr(GString) text = g_string_new (NULL);

  append_part (text, cr_prescription_get_dose (rx));
  append_part (text, cr_prescription_get_route (rx));
  append_part (text, cr_prescription_get_frequency (rx));
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* "Hives · Severe" */
char *
_cr_chart_format_allergy (CrAllergy *allergy)
{
  g_autoptr(GString) text = g_string_new (NULL);

  append_part (text, cr_allergy_get_reaction (allergy));
  append_part (text, _cr_chart_format_severity (cr_allergy_get_severity (allergy)));
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* A small pill: Draft (accented, it still needs signing), Signed, or
 * Amended (signed, with amendments appended). */
void
_cr_chart_set_status_badge (GtkLabel *label,
                            CrVisit  *visit)
{
  GtkWidget *widget = GTK_WIDGET (label);
  gboolean draft = cr_visit_get_status (visit) == CR_VISIT_STATUS_DRAFT;
  gboolean amended = g_list_model_get_n_items (cr_visit_get_amendments (visit)) > 0;

  gtk_label_set_label (label, draft ? _("Draft") : amended ? _("Amended") : _("Signed"));
  if (draft)
    gtk_widget_add_css_class (widget, "cr-draft");
  else
    gtk_widget_remove_css_class (widget, "cr-draft");
}

/* Today as YYYY-MM-DD (local). */
char *
_cr_chart_today (void)
{
  GDate today;

  cr_date_set_today (&today);
  return cr_date_to_iso (&today);
}

static GtkWidget *
tag_new (const char *text,
         const char *css_class)
{
  GtkWidget *tag = gtk_label_new (text);

  gtk_widget_set_valign (tag, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (tag, "cr-tag");
  gtk_widget_add_css_class (tag, "caption");
  if (css_class != NULL)
    gtk_widget_add_css_class (tag, css_class);
  return tag;
}

static GtkWidget *
row_new (const char *title,
         const char *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  /* Clinical text is data, not markup. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title ? title : "");
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle ? subtitle : "");
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 2);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 2);
  return row;
}

/* "E11.9 Type 2 diabetes mellitus…", "Since Mar 3, 2019", a Chronic tag. */
GtkWidget *
_cr_chart_problem_row_new (CrProblem *problem)
{
  g_autofree char *title = _cr_chart_format_problem (problem);
  g_autofree char *onset = _cr_chart_format_date (cr_problem_get_onset_date (problem));
  g_autofree char *resolved = _cr_chart_format_date (cr_problem_get_resolved_date (problem));
  g_autofree char *subtitle = NULL;
  GtkWidget *row;

  if (cr_problem_get_status (problem) == CR_PROBLEM_STATUS_RESOLVED)
    {
      if (onset != NULL && resolved != NULL)
        /* Translators: a problem's onset and resolution dates */
        subtitle = g_strdup_printf (_("Since %s · resolved %s"), onset, resolved);
      else if (resolved != NULL)
        /* Translators: %s is a date */
        subtitle = g_strdup_printf (_("Resolved %s"), resolved);
    }
  else if (onset != NULL)
    /* Translators: %s is the onset date of a problem */
    subtitle = g_strdup_printf (_("Since %s"), onset);
  else
    subtitle = g_strdup (_("Onset not recorded"));

  row = row_new (title, subtitle);
  if (cr_problem_get_chronic (problem))
    adw_action_row_add_prefix (ADW_ACTION_ROW (row), tag_new (_("Chronic"), "cr-chronic"));
  return row;
}

/* "Penicillin", "Hives · Severe"; a severe allergy is tagged in red. */
GtkWidget *
_cr_chart_allergy_row_new (CrAllergy *allergy)
{
  g_autofree char *subtitle = _cr_chart_format_allergy (allergy);
  GtkWidget *row = row_new (cr_allergy_get_substance (allergy), subtitle);

  if (cr_allergy_get_severity (allergy) == CR_ALLERGY_SEVERITY_SEVERE)
    adw_action_row_add_prefix (ADW_ACTION_ROW (row), tag_new (_("Severe"), "cr-allergy-tag"));
  return row;
}

/* "Metformin 500 mg tablet", "1 tablet · by mouth · twice daily · since
 * Mar 3, 2019"; a stopped one says when and why. */
GtkWidget *
_cr_chart_medication_row_new (CrPrescription *rx)
{
  g_autofree char *title = cr_prescription_dup_label (rx);
  g_autofree char *dosing = _cr_chart_format_dosing (rx);
  g_autofree char *start = _cr_chart_format_date (cr_prescription_get_start_date (rx));
  g_autofree char *stop = _cr_chart_format_date (cr_prescription_get_stop_date (rx));
  g_autoptr(GString) subtitle = g_string_new (dosing);
  const char *reason = cr_prescription_get_stop_reason (rx);

  if (start != NULL && stop != NULL)
    {
      if (subtitle->len > 0)
        g_string_append (subtitle, " · ");
      /* Translators: when a medication was taken, "Mar 3, 2019 to Apr 1, 2020" */
      g_string_append_printf (subtitle, _("%s to %s"), start, stop);
    }
  else if (start != NULL)
    {
      if (subtitle->len > 0)
        g_string_append (subtitle, " · ");
      /* Translators: %s is the date a medication was started */
      g_string_append_printf (subtitle, _("since %s"), start);
    }
  if (reason != NULL && *reason != '\0')
    {
      if (subtitle->len > 0)
        g_string_append (subtitle, " · ");
      /* Translators: why a medication was stopped, "stopped: nausea" */
      g_string_append_printf (subtitle, _("stopped: %s"), reason);
    }
  return row_new (title, subtitle->str);
}

/* What an empty boxed list says. */
GtkWidget *
_cr_chart_placeholder_new (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_set_margin_top (label, 12);
  gtk_widget_set_margin_bottom (label, 12);
  gtk_widget_set_margin_start (label, 12);
  gtk_widget_set_margin_end (label, 12);
  gtk_widget_add_css_class (label, "dim-label");
  return label;
}

static void
on_reason_changed (GtkEditable      *entry,
                   AdwMessageDialog *dialog)
{
  const char *response = g_object_get_data (G_OBJECT (dialog), "cr-response");
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (entry)));

  adw_message_dialog_set_response_enabled (dialog, response, *text != '\0');
}

static void
on_reason_activate (GtkEntry         *entry,
                    AdwMessageDialog *dialog)
{
  const char *response = g_object_get_data (G_OBJECT (dialog), "cr-response");

  if (adw_message_dialog_get_response_enabled (dialog, response))
    adw_message_dialog_response (dialog, response);
}

/**
 * _cr_chart_reason_dialog_new:
 * @reason: (nullable): text to start with (what was typed before an error)
 *
 * Returns: (transfer none): the dialog, not yet presented
 */
AdwMessageDialog *
_cr_chart_reason_dialog_new (GtkWidget  *parent,
                             const char *heading,
                             const char *body,
                             const char *response,
                             const char *response_label,
                             const char *reason)
{
  GtkRoot *root = gtk_widget_get_root (parent);
  AdwMessageDialog *dialog;
  GtkWidget *entry;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                       heading, body));
  g_object_set_data_full (G_OBJECT (dialog), "cr-response", g_strdup (response), g_free);
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), response, response_label, NULL);
  adw_message_dialog_set_response_appearance (dialog, response, ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");

  entry = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("Reason (required)"));
  gtk_entry_set_max_length (GTK_ENTRY (entry), 500);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Reason"), -1);
  g_signal_connect_object (entry, "changed", G_CALLBACK (on_reason_changed), dialog, 0);
  g_signal_connect_object (entry, "activate", G_CALLBACK (on_reason_activate), dialog, 0);
  adw_message_dialog_set_extra_child (dialog, entry);
  gtk_editable_set_text (GTK_EDITABLE (entry), reason ? reason : "");
  on_reason_changed (GTK_EDITABLE (entry), dialog);
  gtk_widget_grab_focus (entry);
  return dialog;
}

const char *
_cr_chart_reason_dialog_get_reason (AdwMessageDialog *dialog)
{
  return gtk_editable_get_text (GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog)));
}
