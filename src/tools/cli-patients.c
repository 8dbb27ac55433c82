/* cli-patients.c: chartroom-cli patients search|show
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "chartroom-cli"

#include "config.h"

#include <stdio.h>

#include "cli.h"
#include "cr-codes.h"
#include "cr-chart.h"
#include "cr-patients.h"

static int
patients_search (CliOptions  *options,
                 const char  *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrStore) store = NULL;
  g_autoptr(GString) line = g_string_new (NULL);
  guint offset = 0;
  const guint page = 1000;

  store = cli_open_store (options, &error);
  if (store == NULL)
    return cli_fail (g_steal_pointer (&error));

  /* Page through the results: an empty search lists every patient. */
  for (;;)
    {
      g_autoptr(GPtrArray) found = NULL;

      found = cr_store_search_patients (store, text, offset, page, NULL, &error);
      if (found == NULL)
        return cli_fail (g_steal_pointer (&error));

      for (guint i = 0; i < found->len; i++)
        {
          CrPatient *patient = g_ptr_array_index (found, i);

          cli_print_field (line, cr_patient_get_record_number (patient));
          cli_print_field (line, cr_patient_get_family_name (patient));
          cli_print_field (line, cr_patient_get_given_names (patient));
          cli_print_field (line, cr_patient_get_birth_date (patient));
          cli_print_line (line);
        }

      if (found->len < page)
        break;
      offset += page;
    }

  return CLI_EXIT_OK;
}

/* How many of the last visits the chart summary shows. */
#define SHOW_VISITS 5

static void
print_visit (CrVisit *visit)
{
  GListModel *diagnoses = cr_visit_get_diagnoses (visit);
  GListModel *outcomes = cr_visit_get_outcomes (visit);
  GListModel *amendments = cr_visit_get_amendments (visit);
  const char *complaint = cr_visit_get_chief_complaint (visit);

  printf ("  %.10s  %s%s%s\n", cr_visit_get_started_at (visit),
          complaint ? complaint : "(no chief complaint)",
          cr_visit_is_signed (visit) ? "" : "  [draft, unsigned]",
          g_list_model_get_n_items (amendments) > 0 ? "  [amended]" : "");

  for (guint i = 0; i < g_list_model_get_n_items (diagnoses); i++)
    {
      g_autoptr(CrDiagnosis) d = g_list_model_get_item (diagnoses, i);
      g_autofree char *code = cr_code_format (cr_diagnosis_get_system (d),
                                              cr_diagnosis_get_code (d));
      const char *outcome = cr_diagnosis_get_latest_outcome (d);

      printf ("      dx %s%s%s%s%s%s\n",
              code ? code : "", code ? "  " : "", cr_diagnosis_get_display (d),
              cr_diagnosis_get_is_primary (d) ? " (primary)" : "",
              outcome ? "  → " : "", outcome ? outcome : "");
    }

  for (guint i = 0; i < g_list_model_get_n_items (outcomes); i++)
    {
      g_autoptr(CrOutcome) o = g_list_model_get_item (outcomes, i);
      const char *note = cr_outcome_get_note (o);

      printf ("      outcome of %s (%s): %s%s%s\n",
              cr_outcome_get_refers_to (o) ? cr_outcome_get_refers_to (o) : "?",
              cr_outcome_get_refers_to_date (o) ? cr_outcome_get_refers_to_date (o) : "?",
              cr_outcome_result_to_string (cr_outcome_get_result (o)),
              note ? " — " : "", note ? note : "");
    }
}

static int
patients_show (CliOptions  *options,
               const char  *record_number)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrStore) store = NULL;
  g_autoptr(CrPatient) patient = NULL;
  g_autoptr(CrChartSummary) summary = NULL;
  g_autofree char *name = NULL;
  GListModel *list;
  const char *birth;
  guint n;

  store = cli_open_store (options, &error);
  if (store == NULL)
    return cli_fail (g_steal_pointer (&error));

  patient = cr_store_find_patient_by_record_number (store, record_number, &error);
  if (patient == NULL)
    return cli_fail (g_steal_pointer (&error));

  summary = cr_store_load_chart_summary (store, cr_patient_get_id (patient), SHOW_VISITS, &error);
  if (summary == NULL)
    return cli_fail (g_steal_pointer (&error));

  /* Showing a chart is a view of patient data: it goes in the audit trail. */
  if (!cr_store_note_chart_viewed (store, cr_patient_get_id (patient), &error))
    return cli_fail (g_steal_pointer (&error));

  name = cr_patient_dup_display_name (patient);
  birth = cr_patient_get_birth_date (patient);
  printf ("%s\n", name);
  printf ("Record number: %s\n", cr_patient_get_record_number (patient));
  if (birth != NULL)
    printf ("Born: %s (age %d)\n", birth, cr_patient_get_age (patient));
  else
    printf ("Born: unknown\n");
  printf ("Sex: %s\n", cr_sex_to_string (cr_patient_get_sex (patient)));
  if (cr_patient_get_deceased (patient))
    printf ("Deceased%s%s\n", cr_patient_get_deceased_date (patient) ? ": " : "",
            cr_patient_get_deceased_date (patient) ? cr_patient_get_deceased_date (patient) : "");

  list = cr_chart_summary_get_allergies (summary);
  n = g_list_model_get_n_items (list);
  printf ("\nAllergies:%s\n", n == 0 ? " none recorded" : "");
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CrAllergy) a = g_list_model_get_item (list, i);
      const char *reaction = cr_allergy_get_reaction (a);

      printf ("  %s (%s)%s%s\n", cr_allergy_get_substance (a),
              cr_allergy_severity_to_string (cr_allergy_get_severity (a)),
              reaction ? ": " : "", reaction ? reaction : "");
    }

  list = cr_chart_summary_get_problems (summary);
  n = g_list_model_get_n_items (list);
  printf ("\nActive problems:%s\n", n == 0 ? " none" : "");
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CrProblem) p = g_list_model_get_item (list, i);
      g_autofree char *code = cr_code_format (cr_problem_get_system (p),
                                              cr_problem_get_code (p));
      const char *onset = cr_problem_get_onset_date (p);

      printf ("  %s%s%s%s%s%s\n", code ? code : "", code ? "  " : "", cr_problem_get_display (p),
              cr_problem_get_chronic (p) ? " (chronic)" : "",
              onset ? ", since " : "", onset ? onset : "");
    }

  list = cr_chart_summary_get_medications (summary);
  n = g_list_model_get_n_items (list);
  printf ("\nCurrent medications:%s\n", n == 0 ? " none" : "");
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CrPrescription) r = g_list_model_get_item (list, i);
      g_autofree char *label = cr_prescription_dup_label (r);
      g_autoptr(GString) how = g_string_new (NULL);
      const char *parts[] = { cr_prescription_get_dose (r), cr_prescription_get_route (r),
                              cr_prescription_get_frequency (r) };

      for (guint j = 0; j < G_N_ELEMENTS (parts); j++)
        if (parts[j] != NULL)
          g_string_append_printf (how, "%s%s", how->len ? " " : "", parts[j]);
      printf ("  %s%s%s, since %s\n", label, how->len ? ": " : "", how->str,
              cr_prescription_get_start_date (r) ? cr_prescription_get_start_date (r) : "?");
    }

  list = cr_chart_summary_get_visits (summary);
  n = g_list_model_get_n_items (list);
  printf ("\nLast visits (%u of %" G_GINT64_FORMAT "):%s\n", n,
          cr_chart_summary_get_visit_count (summary), n == 0 ? " none" : "");
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CrVisit) visit = g_list_model_get_item (list, i);
      print_visit (visit);
    }

  list = cr_chart_summary_get_follow_ups (summary);
  n = g_list_model_get_n_items (list);
  printf ("\nOverdue follow-ups:%s\n", n == 0 ? " none" : "");
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CrFollowUp) f = g_list_model_get_item (list, i);
      const char *reason = cr_follow_up_get_reason (f);

      printf ("  due %s%s%s\n", cr_follow_up_get_due_date (f),
              reason ? ": " : "", reason ? reason : "");
    }

  return CLI_EXIT_OK;
}

int
cli_cmd_patients (CliOptions  *options,
                  int          argc,
                  char       **argv)
{
  if (argc < 2)
    return cli_usage_error ("patients", "say “search TEXT” or “show RECORD”");

  if (g_strcmp0 (argv[1], "search") == 0)
    {
      g_autofree char *text = NULL;

      if (argc > 2)
        text = g_strjoinv (" ", argv + 2);
      return patients_search (options, text ? text : "");
    }

  if (g_strcmp0 (argv[1], "show") == 0)
    {
      if (argc != 3)
        return cli_usage_error ("patients", "say “show RECORD”");
      return patients_show (options, argv[2]);
    }

  return cli_usage_error ("patients", "unknown subcommand “%s”", argv[1]);
}
