/* cr-report-page.c: the chart's "Reports" page
 *
 * The pre-visit summary, then the recurring complaints as a chart or as a
 * table (the same rows, for keyboard and screen-reader users), with a
 * period filter, exports (PDF, PNG, CSV) and printing. Every export and
 * print goes in the audit trail.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cr-report-page"

#include "config.h"

#include <glib/gi18n.h>

#include "cr-audit.h"
#include "cr-codes.h"
#include "cr-complaint-chart.h"
#include "cr-complaints.h"
#include "cr-previsit-summary.h"
#include "cr-report-export.h"
#include "cr-report-page.h"

/* ---- one row of the table ---------------------------------------------- */

#define CR_TYPE_COMPLAINT_ROW (cr_complaint_row_get_type ())
G_DECLARE_FINAL_TYPE (CrComplaintRow, cr_complaint_row, CR, COMPLAINT_ROW, GObject)

struct _CrComplaintRow
{
  GObject  parent_instance;
  char    *cells[7];
};

G_DEFINE_FINAL_TYPE (CrComplaintRow, cr_complaint_row, G_TYPE_OBJECT)

static void
cr_complaint_row_finalize (GObject *object)
{
  CrComplaintRow *self = CR_COMPLAINT_ROW (object);

  for (guint i = 0; i < G_N_ELEMENTS (self->cells); i++)
    g_free (self->cells[i]);
  G_OBJECT_CLASS (cr_complaint_row_parent_class)->finalize (object);
}

static void
cr_complaint_row_class_init (CrComplaintRowClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cr_complaint_row_finalize;
}

static void
cr_complaint_row_init (CrComplaintRow *self)
{
}

static const char *
trend_text (CrComplaintTrend trend)
{
  switch (trend)
    {
    case CR_COMPLAINT_TREND_MORE_FREQUENT:
      return _("More frequent");
    case CR_COMPLAINT_TREND_LESS_FREQUENT:
      return _("Less frequent");
    case CR_COMPLAINT_TREND_STEADY:
      return _("Steady");
    default:
      return _("Too few to tell");
    }
}

static CrComplaintRow *
row_new (const CrComplaint *c)
{
  CrComplaintRow *row = g_object_new (CR_TYPE_COMPLAINT_ROW, NULL);
  const CrComplaintEpisode *last = cr_complaint_get_episode (c, cr_complaint_get_n_episodes (c) - 1);

  row->cells[0] = c->chronic ? g_strdup_printf (_("%s (chronic)"), c->label) : g_strdup (c->label);
  row->cells[1] = c->code ? cr_code_format (c->system, c->code) : g_strdup ("");
  row->cells[2] = g_strdup_printf ("%u", cr_complaint_get_n_episodes (c));
  row->cells[3] = g_strdup (cr_complaint_get_first_date (c));
  row->cells[4] = g_strdup (cr_complaint_get_last_date (c));
  row->cells[5] = g_strdup (trend_text (c->trend));
  row->cells[6] = g_strdup (last->outcomes ? last->outcomes : cr_chart_outcome_label (last->outcome));
  return row;
}

/* ---- the page ------------------------------------------------------------ */

struct _CrReportPage
{
  AdwBin             parent_instance;

  CrStore           *store;
  CrPatient         *patient;
  CrComplaintReport *report;
  GCancellable      *cancellable;
  GListStore        *rows;
  gboolean           loading;
  char              *export_format;

  CrPrevisitSummary *previsit;
  GtkDropDown       *period_dropdown;
  GtkToggleButton   *chart_toggle;
  GtkToggleButton   *table_toggle;
  GtkLabel          *summary_label;
  GtkLabel          *left_out_label;
  GtkStack          *view_stack;
  CrComplaintChart  *chart;
  GtkColumnView     *table;
};

G_DEFINE_FINAL_TYPE (CrReportPage, cr_report_page, ADW_TYPE_BIN)

static CrComplaintPeriod
selected_period (CrReportPage *self)
{
  switch (gtk_drop_down_get_selected (self->period_dropdown))
    {
    case 0:
      return CR_COMPLAINT_PERIOD_1Y;
    case 1:
      return CR_COMPLAINT_PERIOD_3Y;
    default:
      return CR_COMPLAINT_PERIOD_ALL;
    }
}

static void
update_actions (CrReportPage *self)
{
  gboolean ready = self->report != NULL && self->patient != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "report.export", ready);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "report.print", ready);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "report.print-summary", self->patient != NULL);
}

static void
show_report (CrReportPage *self)
{
  CrComplaintReport *r = self->report;
  g_autofree char *left_out = NULL;
  g_autofree char *summary = NULL;
  guint n;

  g_list_store_remove_all (self->rows);
  cr_complaint_chart_set_report (self->chart, r);
  update_actions (self);
  if (r == NULL)
    {
      gtk_label_set_label (self->summary_label, "");
      gtk_widget_set_visible (GTK_WIDGET (self->left_out_label), FALSE);
      return;
    }

  n = cr_complaint_report_get_n_recurring (r);
  /* The table in the chart's order: complaints that come back, then
   * chronic conditions. */
  for (guint pass = 0; pass < 2; pass++)
    for (guint i = 0; i < n; i++)
      {
        const CrComplaint *c = cr_complaint_report_get_complaint (r, i);

        if (c->chronic == (pass == 1))
          {
            g_autoptr(CrComplaintRow) row = row_new (c);
            g_list_store_append (self->rows, row);
          }
      }

  summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          "%u visit in this period; %u complaint came back at two or more visits. Click a mark to open that visit.",
                                          "%u visits in this period; %u complaints came back at two or more visits. Click a mark to open that visit.",
                                          cr_complaint_report_get_n_visits (r)),
                             cr_complaint_report_get_n_visits (r), n);
  gtk_label_set_label (self->summary_label, summary);
  left_out = cr_complaint_report_dup_left_out_text (r);
  gtk_label_set_label (self->left_out_label, left_out ? left_out : "");
  gtk_widget_set_visible (GTK_WIDGET (self->left_out_label), left_out != NULL);
}

static void
analyzed_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(CrReportPage) self = user_data;
  g_autoptr(GError) error = NULL;
  CrComplaintReport *report = cr_store_analyze_complaints_finish (CR_STORE (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->loading = FALSE;
  g_clear_pointer (&self->report, cr_complaint_report_unref);
  self->report = report;
  if (report == NULL)
    {
      gtk_label_set_label (self->summary_label, error->message);
      return;
    }
  show_report (self);
}

static void
reload (CrReportPage *self)
{
  CrComplaintOptions options = { selected_period (self), NULL };

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->report, cr_complaint_report_unref);
  show_report (self);
  if (self->store == NULL || self->patient == NULL)
    return;

  self->loading = TRUE;
  self->cancellable = g_cancellable_new ();
  cr_store_analyze_complaints_async (self->store, cr_patient_get_id (self->patient), &options,
                                     self->cancellable, analyzed_cb, g_object_ref (self));
}

static void
on_period_changed (CrReportPage *self)
{
  reload (self);
}

static void
on_view_toggled (CrReportPage *self)
{
  gtk_stack_set_visible_child_name (self->view_stack,
                                    gtk_toggle_button_get_active (self->table_toggle) ? "table" : "chart");
}

/* ---- export and print ---------------------------------------------------- */

static char *
practice_name (CrReportPage *self)
{
  return cr_store_dup_practice_name (self->store);
}

static void
show_error (CrReportPage *self,
            const char   *message)
{
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                              _("The Report Was Not Saved"), message);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_export_response (GtkNativeDialog *dialog,
                    int              response,
                    gpointer         user_data)
{
  g_autoptr(CrReportPage) self = user_data;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  gboolean ok = FALSE;

  if (response != GTK_RESPONSE_ACCEPT || self->report == NULL)
    goto out;
  file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  path = g_file_get_path (file);
  if (path == NULL)
    goto out;

  if (g_str_equal (self->export_format, "pdf"))
    {
      g_autofree char *practice = practice_name (self);

      ok = cr_complaint_report_write_pdf (self->report, practice, self->patient, path, &error);
    }
  else if (g_str_equal (self->export_format, "summary"))
    {
      g_autofree char *practice = practice_name (self);
      CrPrevisit *previsit = _cr_previsit_summary_get_previsit (self->previsit);
      g_autoptr(CrReportDoc) doc = NULL;

      if (previsit == NULL)
        goto out;
      doc = cr_report_build_previsit_doc (previsit, practice, self->patient);
      ok = cr_report_doc_write_pdf (doc, path, &error);
    }
  else if (g_str_equal (self->export_format, "png"))
    ok = cr_complaint_report_write_png (self->report, path, 1100, 2.0, &error);
  else
    {
      g_autofree char *csv = cr_complaint_report_to_table (self->report, CR_TABLE_FORMAT_CSV);

      ok = cr_report_write_text (csv, path, &error);
    }

  if (ok)
    {
      g_autofree char *detail = g_str_equal (self->export_format, "summary")
                                ? g_strdup ("pre-visit summary (pdf)")
                                : g_strdup_printf ("recurring complaints (%s)", self->export_format);

      if (!cr_store_audit (self->store, CR_AUDIT_EXPORT, cr_patient_get_id (self->patient),
                           "report", detail, &error))
        ok = FALSE;
    }
  if (!ok && error != NULL)
    show_error (self, error->message);

out:
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

static void
report_export (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CrReportPage *self = CR_REPORT_PAGE (widget);
  const char *format = g_variant_get_string (parameter, NULL);
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autofree char *name = NULL;

  g_free (self->export_format);
  self->export_format = g_strdup (format);
  chooser = gtk_file_chooser_native_new (_("Export Recurring Complaints"),
                                         GTK_WINDOW (gtk_widget_get_root (widget)),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  /* Translators: a file name; %s is the record number and the extension */
  name = g_strdup_printf (_("Recurring complaints %s.%s"), cr_patient_get_record_number (self->patient), format);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  if (g_str_equal (format, "summary"))
    {
      g_free (name);
      /* Translators: a file name; %s is the record number */
      name = g_strdup_printf (_("Pre-visit summary %s.pdf"), cr_patient_get_record_number (self->patient));
      gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
    }
  if (g_str_equal (format, "pdf") || g_str_equal (format, "summary"))
    {
      gtk_file_filter_set_name (filter, _("PDF documents"));
      gtk_file_filter_add_mime_type (filter, "application/pdf");
    }
  else if (g_str_equal (format, "png"))
    {
      gtk_file_filter_set_name (filter, _("PNG images"));
      gtk_file_filter_add_mime_type (filter, "image/png");
    }
  else
    {
      gtk_file_filter_set_name (filter, _("CSV spreadsheets"));
      gtk_file_filter_add_mime_type (filter, "text/csv");
    }
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  g_signal_connect (chooser, "response", G_CALLBACK (on_export_response), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

typedef struct
{
  CrReportDoc *doc;
} PrintData;

static void
on_begin_print (GtkPrintOperation *operation,
                GtkPrintContext   *context,
                PrintData         *data)
{
  guint n = cr_report_doc_paginate (data->doc, gtk_print_context_get_cairo_context (context),
                                    gtk_print_context_get_width (context),
                                    gtk_print_context_get_height (context));

  gtk_print_operation_set_n_pages (operation, n);
}

static void
on_draw_page (GtkPrintOperation *operation,
              GtkPrintContext   *context,
              int                page_nr,
              PrintData         *data)
{
  cr_report_doc_draw_page (data->doc, gtk_print_context_get_cairo_context (context), page_nr);
}

static void
print_data_free (gpointer data,
                 GClosure *closure)
{
  PrintData *d = data;

  cr_report_doc_free (d->doc);
  g_free (d);
}

/* The same pages as the PDF export, through the print dialog. */
static void
print_doc (CrReportPage *self,
           CrReportDoc  *doc,
           const char   *job_name,
           const char   *detail)
{
  GtkWidget *widget = GTK_WIDGET (self);
  g_autoptr(GtkPrintOperation) operation = gtk_print_operation_new ();
  g_autoptr(GError) error = NULL;
  PrintData *data = g_new0 (PrintData, 1);
  GtkPrintOperationResult result;

  data->doc = doc;
  gtk_print_operation_set_job_name (operation, job_name);
  gtk_print_operation_set_use_full_page (operation, TRUE);
  gtk_print_operation_set_unit (operation, GTK_UNIT_POINTS);
  g_signal_connect (operation, "begin-print", G_CALLBACK (on_begin_print), data);
  g_signal_connect_data (operation, "draw-page", G_CALLBACK (on_draw_page), data,
                         print_data_free, 0);

  result = gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG,
                                    GTK_WINDOW (gtk_widget_get_root (widget)), &error);
  if (result == GTK_PRINT_OPERATION_RESULT_ERROR)
    show_error (self, error->message);
  else if (result == GTK_PRINT_OPERATION_RESULT_APPLY &&
           !cr_store_audit (self->store, CR_AUDIT_PRINT, cr_patient_get_id (self->patient),
                            "report", detail, &error))
    show_error (self, error->message);
}

static void
report_print (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  CrReportPage *self = CR_REPORT_PAGE (widget);
  g_autofree char *practice = practice_name (self);

  print_doc (self, cr_report_build_complaints_doc (self->report, practice, self->patient),
             _("Recurring Complaints"), "recurring complaints");
}

static void
report_print_summary (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  CrReportPage *self = CR_REPORT_PAGE (widget);
  g_autofree char *practice = practice_name (self);
  CrPrevisit *previsit = _cr_previsit_summary_get_previsit (self->previsit);

  if (previsit == NULL)
    return;
  print_doc (self, cr_report_build_previsit_doc (previsit, practice, self->patient),
             _("Pre-visit Summary"), "pre-visit summary");
}

/* ---- table columns -------------------------------------------------------- */

static void
setup_cell (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 40);
  gtk_widget_set_margin_top (label, 6);
  gtk_widget_set_margin_bottom (label, 6);
  gtk_list_item_set_child (item, label);
}

static void
bind_cell (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           gpointer                  user_data)
{
  CrComplaintRow *row = gtk_list_item_get_item (item);
  guint column = GPOINTER_TO_UINT (user_data);

  gtk_label_set_label (GTK_LABEL (gtk_list_item_get_child (item)), row->cells[column]);
}

static void
add_column (CrReportPage *self,
            const char   *title,
            guint         index,
            gboolean      expand)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkColumnViewColumn) column = NULL;

  g_signal_connect (factory, "setup", G_CALLBACK (setup_cell), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cell), GUINT_TO_POINTER (index));
  column = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_expand (column, expand);
  gtk_column_view_column_set_resizable (column, TRUE);
  gtk_column_view_append_column (self->table, column);
}

/* ---- life cycle -------------------------------------------------------- */

static void
cr_report_page_dispose (GObject *object)
{
  CrReportPage *self = CR_REPORT_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);
  g_clear_object (&self->patient);
  g_clear_pointer (&self->report, cr_complaint_report_unref);
  g_clear_object (&self->rows);
  gtk_widget_dispose_template (GTK_WIDGET (self), CR_TYPE_REPORT_PAGE);
  G_OBJECT_CLASS (cr_report_page_parent_class)->dispose (object);
}

static void
cr_report_page_finalize (GObject *object)
{
  CrReportPage *self = CR_REPORT_PAGE (object);

  g_free (self->export_format);
  G_OBJECT_CLASS (cr_report_page_parent_class)->finalize (object);
}

static void
cr_report_page_class_init (CrReportPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cr_report_page_dispose;
  object_class->finalize = cr_report_page_finalize;

  g_type_ensure (CR_TYPE_COMPLAINT_CHART);
  g_type_ensure (CR_TYPE_PREVISIT_SUMMARY);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/chartroom/Chartroom/cr-report-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CrReportPage, previsit);
  gtk_widget_class_bind_template_child (widget_class, CrReportPage, period_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CrReportPage, chart_toggle);
  gtk_widget_class_bind_template_child (widget_class, CrReportPage, table_toggle);
  gtk_widget_class_bind_template_child (widget_class, CrReportPage, summary_label);
  gtk_widget_class_bind_template_child (widget_class, CrReportPage, left_out_label);
  gtk_widget_class_bind_template_child (widget_class, CrReportPage, view_stack);
  gtk_widget_class_bind_template_child (widget_class, CrReportPage, chart);
  gtk_widget_class_bind_template_child (widget_class, CrReportPage, table);

  gtk_widget_class_install_action (widget_class, "report.export", "s", report_export);
  gtk_widget_class_install_action (widget_class, "report.print", NULL, report_print);
  gtk_widget_class_install_action (widget_class, "report.print-summary", NULL, report_print_summary);
}

static void
cr_report_page_init (CrReportPage *self)
{
  g_autoptr(GtkNoSelection) selection = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->rows = g_list_store_new (CR_TYPE_COMPLAINT_ROW);
  selection = gtk_no_selection_new (G_LIST_MODEL (g_object_ref (self->rows)));
  gtk_column_view_set_model (self->table, GTK_SELECTION_MODEL (selection));
  add_column (self, _("Complaint"), 0, TRUE);
  add_column (self, _("Code"), 1, FALSE);
  add_column (self, _("Visits"), 2, FALSE);
  add_column (self, _("First"), 3, FALSE);
  add_column (self, _("Last"), 4, FALSE);
  add_column (self, _("Trend"), 5, FALSE);
  add_column (self, _("Last Outcome"), 6, TRUE);

  g_signal_connect_swapped (self->period_dropdown, "notify::selected", G_CALLBACK (on_period_changed), self);
  g_signal_connect_swapped (self->table_toggle, "toggled", G_CALLBACK (on_view_toggled), self);
  update_actions (self);
}

GtkWidget *
cr_report_page_new (void)
{
  return g_object_new (CR_TYPE_REPORT_PAGE, NULL);
}

void
cr_report_page_set_patient (CrReportPage *self,
                            CrStore      *store,
                            CrPatient    *patient)
{
  g_return_if_fail (CR_IS_REPORT_PAGE (self));

  g_set_object (&self->store, store);
  g_set_object (&self->patient, patient);
  cr_previsit_summary_set_patient (self->previsit, store, patient);
  reload (self);
}

gboolean
cr_report_page_get_loading (CrReportPage *self)
{
  g_return_val_if_fail (CR_IS_REPORT_PAGE (self), FALSE);
  return self->loading || cr_previsit_summary_get_loading (self->previsit);
}

/* ---- in the chart -------------------------------------------------------- */

/* The chart page's patient is followed lazily: the analysis runs when the
 * Reports page is shown, so that opening a chart costs nothing more. */
typedef struct
{
  GObject      *chart_page;  /* not a reference: it owns the stack */
  AdwViewStack *stack;
  CrReportPage *page;
  gboolean      stale;
} Attachment;

static void
attachment_sync (Attachment *a);

static void
on_visible_child (GObject      *object,
                  GParamSpec   *pspec,
                  CrReportPage *page)
{
  attachment_sync (g_object_get_data (G_OBJECT (page), "cr-report-attachment"));
}

static void
attachment_sync (Attachment *a)
{
  g_autoptr(CrStore) store = NULL;
  g_autoptr(CrPatient) patient = NULL;

  if (adw_view_stack_get_visible_child (a->stack) != GTK_WIDGET (a->page))
    {
      a->stale = TRUE;
      return;
    }
  if (!a->stale)
    return;
  a->stale = FALSE;
  g_object_get (a->chart_page, "store", &store, "patient", &patient, NULL);
  cr_report_page_set_patient (a->page, store, patient);
}

static void
on_chart_changed (GObject      *object,
                  GParamSpec   *pspec,
                  CrReportPage *page)
{
  Attachment *a = g_object_get_data (G_OBJECT (page), "cr-report-attachment");

  a->stale = TRUE;
  /* Nothing of the previous patient stays on screen. */
  if (a->page->patient != NULL)
    cr_report_page_set_patient (a->page, NULL, NULL);
  attachment_sync (a);
}

void
_cr_report_page_attach (AdwViewStack *stack,
                        GObject      *chart_page)
{
  Attachment *a = g_new0 (Attachment, 1);
  AdwViewStackPage *page;

  a->chart_page = chart_page;
  a->stack = stack;
  a->page = CR_REPORT_PAGE (cr_report_page_new ());
  a->stale = TRUE;
  page = adw_view_stack_add_titled (stack, GTK_WIDGET (a->page), "reports", _("Reports"));
  adw_view_stack_page_set_icon_name (page, "x-office-presentation-symbolic");
  g_object_set_data_full (G_OBJECT (a->page), "cr-report-attachment", a, g_free);

  g_signal_connect_object (chart_page, "notify::patient", G_CALLBACK (on_chart_changed),
                           a->page, 0);
  g_signal_connect_object (chart_page, "notify::store", G_CALLBACK (on_chart_changed),
                           a->page, 0);
  g_signal_connect_object (stack, "notify::visible-child", G_CALLBACK (on_visible_child),
                           a->page, 0);
}
