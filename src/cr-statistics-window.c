/* cr-statistics-window.c: practice statistics, computed off the main loop
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cr-statistics-window"

#include "config.h"

#include <glib/gi18n.h>

#include "cr-audit.h"
#include "cr-codes.h"
#include "cr-date.h"
#include "cr-statistics-window.h"

struct _CrStatisticsWindow
{
  AdwWindow       parent_instance;

  CrStore        *store;
  CrStatistics   *stats;
  GCancellable   *cancellable;
  char           *export_format;
  guint           refresh_id;

  GtkDropDown    *period_dropdown;
  GtkEntry       *registry_entry;
  GtkStack       *stack;
  GtkProgressBar *progress;
  AdwStatusPage  *error_page;
  GtkLabel       *total_label;
  GtkDrawingArea *months_area;
  GtkListBox     *complaints_list;
  GtkListBox     *diagnoses_list;
  GtkListBox     *outcomes_list;
  GtkLabel       *recall_title;
  GtkListBox     *recall_list;
};

G_DEFINE_FINAL_TYPE (CrStatisticsWindow, cr_statistics_window, ADW_TYPE_WINDOW)

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static void
add_row (GtkListBox *list,
         const char *title,
         const char *subtitle,
         const char *value)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *label = gtk_label_new (value);
  g_autofree char *escaped = g_markup_escape_text (title, -1);
  g_autofree char *escaped_sub = subtitle ? g_markup_escape_text (subtitle, -1) : NULL;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), escaped);
  if (escaped_sub != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), escaped_sub);
  gtk_widget_add_css_class (label, "numeric");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
  gtk_list_box_append (list, row);
}

static void
add_empty (GtkListBox *list,
           const char *text)
{
  if (gtk_widget_get_first_child (GTK_WIDGET (list)) == NULL)
    add_row (list, text, NULL, "");
}

static void
show_stats (CrStatisticsWindow *self)
{
  CrStatistics *s = self->stats;
  g_autofree char *total = NULL;
  g_autofree char *n = NULL;
  GArray *a;

  n = g_strdup_printf ("%" G_GINT64_FORMAT, cr_statistics_get_total_visits (s));
  if (cr_statistics_get_from (s) != NULL)
    /* Translators: "12345 visits from 2025-11-23 to 2026-11-22" */
    total = g_strdup_printf (_("%s visits from %s to %s"), n, cr_statistics_get_from (s), cr_statistics_get_to (s));
  else
    /* Translators: "12345 visits up to 2026-11-22" */
    total = g_strdup_printf (_("%s visits up to %s"), n, cr_statistics_get_to (s));
  gtk_label_set_label (self->total_label, total);
  gtk_widget_queue_draw (GTK_WIDGET (self->months_area));

  clear_list (self->complaints_list);
  a = cr_statistics_get_complaints (s);
  for (guint i = 0; i < a->len; i++)
    {
      CrStatCount *c = &g_array_index (a, CrStatCount, i);
      g_autofree char *count = g_strdup_printf ("%" G_GINT64_FORMAT, c->count);

      add_row (self->complaints_list, c->label, NULL, count);
    }
  add_empty (self->complaints_list, _("No visits in this period"));

  clear_list (self->diagnoses_list);
  a = cr_statistics_get_diagnoses (s);
  for (guint i = 0; i < a->len; i++)
    {
      CrStatCount *c = &g_array_index (a, CrStatCount, i);
      g_autofree char *count = g_strdup_printf ("%" G_GINT64_FORMAT, c->count);
      g_autofree char *code = cr_code_format (c->system, c->code);

      add_row (self->diagnoses_list, c->label, code, count);
    }
  add_empty (self->diagnoses_list, _("No coded diagnoses in this period"));

  clear_list (self->outcomes_list);
  a = cr_statistics_get_outcomes (s);
  for (guint i = 0; i < a->len; i++)
    {
      CrStatOutcome *o = &g_array_index (a, CrStatOutcome, i);
      g_autofree char *title = g_strdup_printf ("%s %s", o->code, o->label);
      /* Translators: outcome rates, "resolved or improved 62 % · unchanged 30 % · worse 8 %" */
      g_autofree char *rates = g_strdup_printf (_("resolved or improved %.0f %% · unchanged %.0f %% · worsened or adverse %.0f %%"),
                                                100.0 * o->better / MAX (o->total, 1),
                                                100.0 * o->unchanged / MAX (o->total, 1),
                                                100.0 * o->worse / MAX (o->total, 1));
      g_autofree char *count = g_strdup_printf ("%" G_GINT64_FORMAT, o->total);

      add_row (self->outcomes_list, title, rates, count);
    }
  add_empty (self->outcomes_list, _("No outcomes recorded in this period"));

  clear_list (self->recall_list);
  gtk_widget_set_visible (GTK_WIDGET (self->recall_title), cr_statistics_get_registry_category (s) != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->recall_list), cr_statistics_get_registry_category (s) != NULL);
  if (cr_statistics_get_registry_category (s) != NULL)
    {
      g_autofree char *title = NULL;

      a = cr_statistics_get_recall (s);
      /* Translators: "Recall List: E11 (120 patients)" */
      title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Recall List: %s (%u patient)",
                                            "Recall List: %s (%u patients)", a->len),
                               cr_statistics_get_registry_category (s), a->len);
      gtk_label_set_label (self->recall_title, title);
      for (guint i = 0; i < a->len && i < 200; i++)
        {
          CrStatRecall *r = &g_array_index (a, CrStatRecall, i);
          g_autofree char *title_r = g_strdup_printf ("%s · %s", r->name, r->record_number);
          g_autofree char *sub = NULL;

          if (r->due_date != NULL)
            sub = g_strdup_printf (_("Last visit %s · follow-up due %s"),
                                   r->last_visit ? r->last_visit : _("never"), r->due_date);
          else
            sub = g_strdup_printf (_("Last visit %s"), r->last_visit ? r->last_visit : _("never"));
          add_row (self->recall_list, title_r, sub, r->overdue ? _("Overdue") : "");
        }
      add_empty (self->recall_list, _("No patient has this condition on the problem list"));
    }
}

static void
draw_months (GtkDrawingArea *area,
             cairo_t        *cr,
             int             width,
             int             height,
             gpointer        user_data)
{
  CrStatisticsWindow *self = user_data;
  GArray *months;
  gint64 max = 1;
  GdkRGBA fg;
  double bar, x;
  PangoLayout *layout;

  if (self->stats == NULL)
    return;
  months = cr_statistics_get_months (self->stats);
  if (months->len == 0)
    return;
  gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (area)), &fg);
  for (guint i = 0; i < months->len; i++)
    max = MAX (max, g_array_index (months, CrStatMonth, i).visits);

  layout = gtk_widget_create_pango_layout (GTK_WIDGET (area), NULL);
  bar = (width - 24.0) / months->len;
  x = 12;
  for (guint i = 0; i < months->len; i++)
    {
      CrStatMonth *m = &g_array_index (months, CrStatMonth, i);
      double h = (height - 40.0) * m->visits / max;

      cairo_set_source_rgba (cr, 0.21, 0.52, 0.89, 0.85);
      cairo_rectangle (cr, x + bar * 0.1, height - 22 - h, MAX (1, bar * 0.8), h);
      cairo_fill (cr);
      /* Label January (or every month when there are few). */
      if (months->len <= 14 || g_str_has_suffix (m->month, "-01"))
        {
          int w, lh;

          pango_layout_set_text (layout, months->len <= 14 ? m->month + 5 : m->month, months->len <= 14 ? 2 : 4);
          pango_layout_get_pixel_size (layout, &w, &lh);
          cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.7);
          cairo_move_to (cr, x + bar / 2 - w / 2.0, height - 20);
          pango_cairo_show_layout (cr, layout);
        }
      x += bar;
    }
  g_object_unref (layout);
}

static void
on_progress (double   fraction,
             gpointer user_data)
{
  CrStatisticsWindow *self = user_data;

  gtk_progress_bar_set_fraction (self->progress, fraction);
}

static void
computed_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(CrStatisticsWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  CrStatistics *stats = cr_store_compute_statistics_finish (CR_STORE (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (stats == NULL)
    {
      adw_status_page_set_description (self->error_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "error");
      return;
    }
  g_clear_pointer (&self->stats, cr_statistics_unref);
  self->stats = stats;
  show_stats (self);
  gtk_stack_set_visible_child_name (self->stack, "results");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "statistics.export", TRUE);
}

static void
refresh (CrStatisticsWindow *self)
{
  CrStatisticsOptions options = { 0 };
  g_autofree char *from = NULL;
  g_autofree char *category = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->registry_entry))));
  GDate day;

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->stats, cr_statistics_unref);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "statistics.export", FALSE);
  if (self->store == NULL)
    return;

  g_date_clear (&day, 1);
  cr_date_set_today (&day);
  switch (gtk_drop_down_get_selected (self->period_dropdown))
    {
    case 0:
      g_date_subtract_years (&day, 1);
      g_date_add_days (&day, 1);
      from = cr_date_to_iso (&day);
      break;
    case 1:
      g_date_subtract_years (&day, 3);
      g_date_add_days (&day, 1);
      from = cr_date_to_iso (&day);
      break;
    default:
      break;
    }
  options.from = from;
  options.registry_category = *category ? category : NULL;
  options.top = 10;

  gtk_progress_bar_set_fraction (self->progress, 0);
  gtk_stack_set_visible_child_name (self->stack, "loading");
  self->cancellable = g_cancellable_new ();
  cr_store_compute_statistics_async (self->store, &options, on_progress, self, NULL,
                                     self->cancellable, computed_cb, g_object_ref (self));
}

static gboolean
refresh_timeout (gpointer user_data)
{
  CrStatisticsWindow *self = user_data;

  self->refresh_id = 0;
  refresh (self);
  return G_SOURCE_REMOVE;
}

/* Typing a category waits for a pause before counting again. */
static void
on_registry_changed (CrStatisticsWindow *self)
{
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  self->refresh_id = g_timeout_add (600, refresh_timeout, self);
}

static void
on_export_response (GtkNativeDialog *dialog,
                    int              response,
                    gpointer         user_data)
{
  g_autoptr(CrStatisticsWindow) self = user_data;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  gboolean ok = TRUE;

  if (response == GTK_RESPONSE_ACCEPT && self->stats != NULL)
    {
      file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      path = g_file_get_path (file);
    }
  if (path != NULL)
    {
      if (g_str_equal (self->export_format, "pdf"))
        {
          g_autofree char *practice = cr_store_dup_practice_name (self->store);

          ok = cr_statistics_write_pdf (self->stats, practice, path, &error);
        }
      else
        {
          g_autofree char *csv = cr_statistics_to_table (self->stats, CR_TABLE_FORMAT_CSV);

          ok = cr_report_write_text (csv, path, &error);
        }
      /* A recall list names patients: its export is audited. */
      if (ok && cr_statistics_get_registry_category (self->stats) != NULL)
        ok = cr_store_audit (self->store, CR_AUDIT_EXPORT, 0, "registry",
                             cr_statistics_get_registry_category (self->stats), &error);
      if (!ok)
        {
          GtkWidget *alert = adw_message_dialog_new (GTK_WINDOW (self), _("The Statistics Were Not Saved"),
                                                     error->message);

          adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (alert), "close", _("_Close"));
          gtk_window_present (GTK_WINDOW (alert));
        }
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

static void
statistics_export (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  CrStatisticsWindow *self = CR_STATISTICS_WINDOW (widget);
  const char *format = g_variant_get_string (parameter, NULL);
  GtkFileChooserNative *chooser;
  g_autofree char *name = g_strdup_printf ("%s.%s", _("Practice statistics"), format);

  g_free (self->export_format);
  self->export_format = g_strdup (format);
  chooser = gtk_file_chooser_native_new (_("Export Practice Statistics"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_signal_connect (chooser, "response", G_CALLBACK (on_export_response), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
cr_statistics_window_dispose (GObject *object)
{
  CrStatisticsWindow *self = CR_STATISTICS_WINDOW (object);

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);
  g_clear_pointer (&self->stats, cr_statistics_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), CR_TYPE_STATISTICS_WINDOW);
  G_OBJECT_CLASS (cr_statistics_window_parent_class)->dispose (object);
}

static void
cr_statistics_window_finalize (GObject *object)
{
  g_free (CR_STATISTICS_WINDOW (object)->export_format);
  G_OBJECT_CLASS (cr_statistics_window_parent_class)->finalize (object);
}

static void
cr_statistics_window_class_init (CrStatisticsWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cr_statistics_window_dispose;
  object_class->finalize = cr_statistics_window_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/chartroom/Chartroom/cr-statistics-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CrStatisticsWindow, period_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CrStatisticsWindow, registry_entry);
  gtk_widget_class_bind_template_child (widget_class, CrStatisticsWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, CrStatisticsWindow, progress);
  gtk_widget_class_bind_template_child (widget_class, CrStatisticsWindow, error_page);
  gtk_widget_class_bind_template_child (widget_class, CrStatisticsWindow, total_label);
  gtk_widget_class_bind_template_child (widget_class, CrStatisticsWindow, months_area);
  gtk_widget_class_bind_template_child (widget_class, CrStatisticsWindow, complaints_list);
  gtk_widget_class_bind_template_child (widget_class, CrStatisticsWindow, diagnoses_list);
  gtk_widget_class_bind_template_child (widget_class, CrStatisticsWindow, outcomes_list);
  gtk_widget_class_bind_template_child (widget_class, CrStatisticsWindow, recall_title);
  gtk_widget_class_bind_template_child (widget_class, CrStatisticsWindow, recall_list);

  gtk_widget_class_install_action (widget_class, "statistics.export", "s", statistics_export);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
cr_statistics_window_init (CrStatisticsWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_drawing_area_set_draw_func (self->months_area, draw_months, self, NULL);
  g_signal_connect_swapped (self->period_dropdown, "notify::selected", G_CALLBACK (refresh), self);
  g_signal_connect_swapped (self->registry_entry, "changed", G_CALLBACK (on_registry_changed), self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "statistics.export", FALSE);
}

GtkWidget *
cr_statistics_window_new (CrStore *store)
{
  CrStatisticsWindow *self = g_object_new (CR_TYPE_STATISTICS_WINDOW, NULL);

  self->store = g_object_ref (store);
  refresh (self);
  return GTK_WIDGET (self);
}

CrStatistics *
cr_statistics_window_get_statistics (CrStatisticsWindow *self)
{
  g_return_val_if_fail (CR_IS_STATISTICS_WINDOW (self), NULL);
  return self->stats;
}
