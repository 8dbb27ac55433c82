/* cli-audit.c: chartroom-cli audit verify|list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "chartroom-cli"

#include "config.h"

#include <stdio.h>

#include "cli.h"
#include "cr-audit.h"
#include "cr-patients.h"

static int
audit_verify (CliOptions *options)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrStore) store = NULL;
  gint64 n_entries = 0;
  gint64 broken = -1;

  store = cli_open_store (options, &error);
  if (store == NULL)
    return cli_fail (g_steal_pointer (&error));

  if (!cr_store_verify_audit (store, &n_entries, &broken, &error))
    {
      if (error != NULL)
        return cli_fail (g_steal_pointer (&error));
      /* The report is the output; the exit status says it is broken. */
      printf ("broken\t%" G_GINT64_FORMAT "\n", broken);
      fprintf (stderr, "chartroom-cli: the audit trail is broken at entry %" G_GINT64_FORMAT
               ": it was altered, or an entry before it was removed\n", broken);
      return CLI_EXIT_ERROR;
    }

  printf ("ok\t%" G_GINT64_FORMAT "\n", n_entries);
  return CLI_EXIT_OK;
}

static int
audit_list (CliOptions *options,
            const char *record)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrStore) store = NULL;
  g_autoptr(GListModel) entries = NULL;
  g_autoptr(GString) line = g_string_new (NULL);
  gint64 patient_id = 0;

  store = cli_open_store (options, &error);
  if (store == NULL)
    return cli_fail (g_steal_pointer (&error));

  if (record != NULL)
    {
      g_autoptr(CrPatient) patient = cr_store_find_patient_by_record_number (store, record, &error);

      if (patient == NULL)
        return cli_fail (g_steal_pointer (&error));
      patient_id = cr_patient_get_id (patient);
    }

  entries = cr_store_list_audit (store, patient_id, &error);
  if (entries == NULL)
    return cli_fail (g_steal_pointer (&error));

  for (guint i = 0; i < g_list_model_get_n_items (entries); i++)
    {
      g_autoptr(CrAuditEntry) entry = g_list_model_get_item (entries, i);
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, cr_audit_entry_get_id (entry));

      cli_print_field (line, id);
      cli_print_field (line, cr_audit_entry_get_at (entry));
      cli_print_field (line, cr_audit_entry_get_user (entry));
      cli_print_field (line, cr_audit_entry_get_action (entry));
      cli_print_field (line, cr_audit_entry_get_record (entry));
      cli_print_field (line, cr_audit_entry_get_detail (entry));
      cli_print_line (line);
    }

  return CLI_EXIT_OK;
}

int
cli_cmd_audit (CliOptions  *options,
               int          argc,
               char       **argv)
{
  if (argc == 2 && g_str_equal (argv[1], "verify"))
    return audit_verify (options);
  if (argc >= 2 && g_str_equal (argv[1], "list"))
    {
      if (argc == 2)
        return audit_list (options, NULL);
      if (argc == 4 && g_str_equal (argv[2], "--patient"))
        return audit_list (options, argv[3]);
    }
  return cli_usage_error ("audit", "say “verify” or “list [--patient RECORD]”");
}
