/* cli-documents.c: chartroom-cli documents import|list|search
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "chartroom-cli"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cr-documents.h"
#include "cr-patients.h"

/* The patient named by --patient RECORD; 0 with --inbox or neither. */
static gboolean
find_patient (CrStore     *store,
              const char  *record,
              gint64      *patient_id,
              GError     **error)
{
  g_autoptr(CrPatient) patient = NULL;

  *patient_id = 0;
  if (record == NULL)
    return TRUE;
  patient = cr_store_find_patient_by_record_number (store, record, error);
  if (patient == NULL)
    return FALSE;
  *patient_id = cr_patient_get_id (patient);
  return TRUE;
}

static void
print_document (GString    *line,
                CrDocument *document)
{
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, cr_document_get_id (document));
  g_autofree char *pages = g_strdup_printf ("%u", cr_document_get_page_count (document));
  CrDocumentCategory category = cr_document_get_category (document);

  cli_print_field (line, id);
  cli_print_field (line, cr_document_get_service_date (document));
  cli_print_field (line, category != CR_DOCUMENT_CATEGORY_NONE
                           ? cr_document_category_to_string (category) : NULL);
  cli_print_field (line, cr_document_get_title (document));
  cli_print_field (line, pages);
  cli_print_field (line, cr_document_get_file_name (document));
}

/* id, service date, category, title, pages, file name */
static int
documents_list (CliOptions *options,
                const char *record)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrStore) store = NULL;
  g_autoptr(GListModel) documents = NULL;
  g_autoptr(GString) line = g_string_new (NULL);
  gint64 patient_id;

  store = cli_open_store (options, &error);
  if (store == NULL || !find_patient (store, record, &patient_id, &error))
    return cli_fail (g_steal_pointer (&error));

  if (patient_id > 0)
    documents = cr_store_list_patient_documents (store, patient_id, &error);
  else
    documents = cr_store_list_inbox (store, &error);
  if (documents == NULL)
    return cli_fail (g_steal_pointer (&error));

  for (guint i = 0; i < g_list_model_get_n_items (documents); i++)
    {
      g_autoptr(CrDocument) document = g_list_model_get_item (documents, i);

      print_document (line, document);
      cli_print_line (line);
    }
  return CLI_EXIT_OK;
}

/* id, service date, category, title, pages, file name, snippet ([word]) */
static int
documents_search (CliOptions *options,
                  const char *record,
                  const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrStore) store = NULL;
  g_autoptr(GListModel) documents = NULL;
  g_autoptr(GString) line = g_string_new (NULL);
  gint64 patient_id;

  store = cli_open_store (options, &error);
  if (store == NULL || !find_patient (store, record, &patient_id, &error))
    return cli_fail (g_steal_pointer (&error));

  documents = cr_store_search_documents (store, patient_id, text, 0, NULL, &error);
  if (documents == NULL)
    return cli_fail (g_steal_pointer (&error));

  for (guint i = 0; i < g_list_model_get_n_items (documents); i++)
    {
      g_autoptr(CrDocument) document = g_list_model_get_item (documents, i);
      g_autofree char *snippet = g_strdup (cr_document_get_snippet (document));

      g_strdelimit (snippet, CR_DOCUMENT_SNIPPET_START, '[');
      g_strdelimit (snippet, CR_DOCUMENT_SNIPPET_END, ']');
      print_document (line, document);
      cli_print_field (line, snippet);
      cli_print_line (line);
    }
  return CLI_EXIT_OK;
}

/* One line per file: path, "imported" and the new id, or "failed" and why.
 * Exit 1 if any failed, after importing the others. */
static int
documents_import (CliOptions  *options,
                  const char  *record,
                  gboolean     allow_duplicate,
                  char       **paths)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrStore) store = NULL;
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GString) line = g_string_new (NULL);
  CrDocumentImportOptions import = { 0 };
  int status = CLI_EXIT_OK;

  store = cli_open_store (options, &error);
  if (store == NULL || !find_patient (store, record, &import.patient_id, &error))
    return cli_fail (g_steal_pointer (&error));
  import.allow_duplicate = allow_duplicate;

  results = cr_store_import_documents (store, (const char * const *) paths, &import,
                                       NULL, NULL, NULL);
  for (guint i = 0; i < results->len; i++)
    {
      CrDocumentImportResult *result = g_ptr_array_index (results, i);
      const GError *failure = cr_document_import_result_get_error (result);

      cli_print_field (line, cr_document_import_result_get_path (result));
      if (failure == NULL)
        {
          g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT,
                                                 cr_document_import_result_get_id (result));
          cli_print_field (line, "imported");
          cli_print_field (line, id);
        }
      else
        {
          cli_print_field (line, "failed");
          cli_print_field (line, failure->message);
          status = CLI_EXIT_ERROR;
        }
      cli_print_line (line);
    }
  return status;
}

int
cli_cmd_documents (CliOptions  *options,
                   int          argc,
                   char       **argv)
{
  g_autoptr(GPtrArray) rest = g_ptr_array_new ();
  const char *record = NULL;
  gboolean inbox = FALSE;
  gboolean allow_duplicate = FALSE;
  const char *sub;

  if (argc < 2)
    return cli_usage_error ("documents", "say “import”, “list” or “search”");
  sub = argv[1];

  for (int i = 2; i < argc; i++)
    {
      if (strcmp (argv[i], "--patient") == 0)
        {
          if (++i >= argc)
            return cli_usage_error ("documents", "--patient needs a record number");
          record = argv[i];
        }
      else if (strcmp (argv[i], "--inbox") == 0)
        inbox = TRUE;
      else if (strcmp (argv[i], "--allow-duplicate") == 0)
        allow_duplicate = TRUE;
      else if (strcmp (argv[i], "--") == 0)
        {
          for (i++; i < argc; i++)
            g_ptr_array_add (rest, argv[i]);
        }
      else if (argv[i][0] == '-' && argv[i][1] != '\0')
        return cli_usage_error ("documents", "unknown option “%s”", argv[i]);
      else
        g_ptr_array_add (rest, argv[i]);
    }
  g_ptr_array_add (rest, NULL);

  if (record != NULL && inbox)
    return cli_usage_error ("documents", "say --patient RECORD or --inbox, not both");

  if (strcmp (sub, "import") == 0)
    {
      if (rest->len < 2)
        return cli_usage_error ("documents", "“import” needs one file or more");
      return documents_import (options, record, allow_duplicate, (char **) rest->pdata);
    }
  if (strcmp (sub, "list") == 0)
    {
      if (rest->len > 1)
        return cli_usage_error ("documents", "“list” takes no other words");
      if (record == NULL && !inbox)
        return cli_usage_error ("documents", "“list” needs --patient RECORD or --inbox");
      return documents_list (options, record);
    }
  if (strcmp (sub, "search") == 0)
    {
      g_autofree char *text = NULL;

      if (rest->len < 2)
        return cli_usage_error ("documents", "“search” needs words to look for");
      if (record == NULL && !inbox)
        return cli_usage_error ("documents", "“search” needs --patient RECORD or --inbox");
      text = g_strjoinv (" ", (char **) rest->pdata);
      return documents_search (options, record, text);
    }

  return cli_usage_error ("documents", "unknown subcommand “%s”", sub);
}
