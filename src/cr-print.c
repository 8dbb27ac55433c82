/* cr-print.c: printing visit notes and prescriptions (GtkPrintOperation on
 * cr-print-layout), with "Print to File" for a PDF
 *
 * Every page printed or exported is patient data leaving the database: the
 * audit trail records each print (CR_AUDIT_PRINT) and each PDF written
 * (CR_AUDIT_EXPORT) once the operation has finished.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cr-print"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <string.h>

#include "cr-audit.h"
#include "cr-print.h"

/* Kept inside the printer's printable area, for a paper look. */
#define EXTRA_MARGIN 24.0

typedef struct
{
  CrStore       *store;
  CrPrintLayout *layout;
  gboolean       exported;
} PrintJob;

static void
print_job_free (PrintJob *job)
{
  g_clear_object (&job->store);
  g_clear_object (&job->layout);
  g_free (job);
}

static void
on_begin_print (GtkPrintOperation *op,
                GtkPrintContext   *context,
                PrintJob          *job)
{
  cairo_t *cr = gtk_print_context_get_cairo_context (context);
  double width = gtk_print_context_get_width (context) - 2 * EXTRA_MARGIN;
  double height = gtk_print_context_get_height (context) - 2 * EXTRA_MARGIN;
  guint n_pages;

  n_pages = cr_print_layout_paginate (job->layout, cr, width, height);
  gtk_print_operation_set_n_pages (op, n_pages);
}

static void
on_draw_page (GtkPrintOperation *op,
              GtkPrintContext   *context,
              int                page_nr,
              PrintJob          *job)
{
  cairo_t *cr = gtk_print_context_get_cairo_context (context);

  cairo_save (cr);
  cairo_translate (cr, EXTRA_MARGIN, EXTRA_MARGIN);
  cr_print_layout_draw_page (job->layout, cr, page_nr);
  cairo_restore (cr);
}

static void
show_error (GtkWindow  *parent,
            const char *heading,
            const char *message)
{
  AdwMessageDialog *dialog;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (parent, heading, message));
  adw_message_dialog_add_response (dialog, "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Printing to a file: the job's settings name an output file. */
static gboolean
is_file_output (GtkPrintOperation *op)
{
  GtkPrintSettings *settings = gtk_print_operation_get_print_settings (op);
  const char *uri;

  if (settings == NULL)
    return FALSE;
  uri = gtk_print_settings_get (settings, GTK_PRINT_SETTINGS_OUTPUT_URI);
  /* GTK's own name for its file printer, in GTK's translation. */
  return uri != NULL && *uri != '\0' &&
         g_strcmp0 (gtk_print_settings_get_printer (settings),
                    g_dgettext ("gtk40", "Print to File")) == 0;
}

static void
record_audit (GtkPrintOperation *op,
              PrintJob          *job)
{
  g_autoptr(GError) error = NULL;
  GtkPrintSettings *settings = gtk_print_operation_get_print_settings (op);
  const char *printer = settings ? gtk_print_settings_get_printer (settings) : NULL;
  gboolean exported = job->exported || is_file_output (op);

  if (!cr_print_layout_record_audit (job->layout, job->store, exported,
                                     exported ? NULL : printer, &error))
    g_warning ("Could not record the print in the audit trail: %s", error->message);
}

static void
on_done (GtkPrintOperation       *op,
         GtkPrintOperationResult  result,
         PrintJob                *job)
{
  if (result == GTK_PRINT_OPERATION_RESULT_APPLY)
    record_audit (op, job);
  else if (result == GTK_PRINT_OPERATION_RESULT_ERROR)
    {
      g_autoptr(GError) error = NULL;

      gtk_print_operation_get_error (op, &error);
      g_warning ("Printing failed: %s", error ? error->message : "unknown error");
    }
}

static GtkPrintOperation *
new_operation (CrStore       *store,
               CrPrintLayout *layout)
{
  GtkPrintOperation *op = gtk_print_operation_new ();
  g_autoptr(GtkPrintSettings) settings = gtk_print_settings_new ();
  g_autofree char *basename = NULL;
  PrintJob *job = g_new0 (PrintJob, 1);

  job->store = g_object_ref (store);
  job->layout = g_object_ref (layout);

  gtk_print_operation_set_job_name (op, cr_print_layout_get_title (layout));
  gtk_print_operation_set_unit (op, GTK_UNIT_POINTS);
  gtk_print_operation_set_use_full_page (op, FALSE);
  gtk_print_operation_set_embed_page_setup (op, TRUE);

  /* "Print to File" suggests a PDF whose name says nothing about whose it is. */
  basename = g_strdup (cr_print_layout_get_file_name (layout));
  if (g_str_has_suffix (basename, ".pdf"))
    basename[strlen (basename) - 4] = '\0';
  gtk_print_settings_set (settings, GTK_PRINT_SETTINGS_OUTPUT_BASENAME, basename);
  gtk_print_settings_set (settings, GTK_PRINT_SETTINGS_OUTPUT_FILE_FORMAT, "pdf");
  gtk_print_operation_set_print_settings (op, settings);

  g_signal_connect (op, "begin-print", G_CALLBACK (on_begin_print), job);
  g_signal_connect (op, "draw-page", G_CALLBACK (on_draw_page), job);
  g_signal_connect (op, "done", G_CALLBACK (on_done), job);
  g_object_set_data_full (G_OBJECT (op), "cr-print-job", job, (GDestroyNotify) print_job_free);
  return op;
}

static void
run_dialog (GtkWindow     *parent,
            CrStore       *store,
            CrPrintLayout *layout)
{
  g_autoptr(GtkPrintOperation) op = new_operation (store, layout);
  g_autoptr(GError) error = NULL;

  /* Asynchronous: the dialog never blocks the main loop; "done" audits. */
  gtk_print_operation_set_allow_async (op, TRUE);
  if (gtk_print_operation_run (op, GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG, parent, &error) ==
      GTK_PRINT_OPERATION_RESULT_ERROR)
    show_error (parent, _("Printing Failed"), error->message);
}

/**
 * cr_print_visit_note:
 * @parent: (nullable): the window the print dialog belongs to
 * @visit_id: the visit whose note to print
 *
 * Opens the print dialog for the visit's note: practice, patient, the
 * note with its coded diagnoses and prescriptions, the signature or
 * "UNSIGNED DRAFT", the amendments. "Print to File" writes a PDF.
 */
void
cr_print_visit_note (GtkWindow *parent,
                     CrStore   *store,
                     gint64     visit_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrPrintLayout) layout = NULL;

  g_return_if_fail (parent == NULL || GTK_IS_WINDOW (parent));
  g_return_if_fail (CR_IS_STORE (store));

  layout = cr_print_layout_new_for_visit (store, visit_id, &error);
  if (layout == NULL)
    {
      show_error (parent, _("Cannot Print the Note"), error->message);
      return;
    }
  run_dialog (parent, store, layout);
}

/**
 * cr_print_prescription:
 * @parent: (nullable): the window the print dialog belongs to
 *
 * Opens the print dialog for one prescription.
 */
void
cr_print_prescription (GtkWindow *parent,
                       CrStore   *store,
                       gint64     prescription_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrPrintLayout) layout = NULL;

  g_return_if_fail (parent == NULL || GTK_IS_WINDOW (parent));
  g_return_if_fail (CR_IS_STORE (store));

  layout = cr_print_layout_new_for_prescription (store, prescription_id, &error);
  if (layout == NULL)
    {
      show_error (parent, _("Cannot Print the Prescription"), error->message);
      return;
    }
  run_dialog (parent, store, layout);
}

/**
 * cr_print_export_pdf:
 * @path: the PDF to write, chosen by the user
 *
 * Writes @layout to @path through the same print operation, without a
 * dialog (GtkPrintOperation's export-filename), and audits the export.
 *
 * Returns: %TRUE if the PDF was written
 */
gboolean
cr_print_export_pdf (GtkWindow      *parent,
                     CrStore        *store,
                     CrPrintLayout  *layout,
                     const char     *path,
                     GError        **error)
{
  g_autoptr(GtkPrintOperation) op = NULL;
  PrintJob *job;

  g_return_val_if_fail (CR_IS_STORE (store), FALSE);
  g_return_val_if_fail (CR_IS_PRINT_LAYOUT (layout), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  op = new_operation (store, layout);
  job = g_object_get_data (G_OBJECT (op), "cr-print-job");
  job->exported = TRUE;
  gtk_print_operation_set_export_filename (op, path);
  return gtk_print_operation_run (op, GTK_PRINT_OPERATION_ACTION_EXPORT, parent, error) ==
         GTK_PRINT_OPERATION_RESULT_APPLY;
}
