/* cr-filing-panel.c: file an inbox document to a patient, keyboard first
 *
 * Type part of the patient's name (or birth date, or record number), Enter
 * picks the first match (Up/Down another), then the category (kept from
 * the last document: a stack of lab results is all lab results), the date
 * of service as written, optionally the visit, and Ctrl+Enter files it.
 * The patient is never carried over from one document to the next: a
 * document in the wrong chart is worse than a slow one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cr-filing-panel"

#include "config.h"

#include <glib/gi18n.h>

#include "cr-chart.h"
#include "cr-date.h"
#include "cr-documents.h"
#include "cr-filing-panel.h"
#include "cr-patient-row.h"
#include "cr-patients.h"

#define MAX_RESULTS 8
#define MAX_VISITS 200

struct _CrFilingPanel
{
  AdwBin              parent_instance;

  CrStore            *store;
  CrDocument         *document;
  CrPatient          *patient;
  GCancellable       *search_cancellable;
  GCancellable       *visits_cancellable;
  GPtrArray          *results;       /* CrPatient */
  GArray             *visit_ids;     /* gint64, index 0 = no visit */
  GArray             *visit_dates;   /* char *, YYYY-MM-DD */
  gboolean            searching;
  char               *error;

  GtkLabel           *document_label;
  GtkLabel           *document_detail;
  GtkSearchEntry     *patient_entry;
  GtkPopover         *results_popover;
  GtkListBox         *results_list;
  AdwActionRow       *patient_row;
  AdwComboRow        *category_row;
  AdwEntryRow        *date_row;
  GtkLabel           *date_hint;
  AdwComboRow        *visit_row;
  AdwEntryRow        *title_row;
  GtkLabel           *error_label;
  GtkButton          *file_button;
};

enum {
  SIGNAL_FILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (CrFilingPanel, cr_filing_panel, ADW_TYPE_BIN)

static void
set_error (CrFilingPanel *self,
           const char    *message)
{
  g_free (self->error);
  self->error = g_strdup (message);
  gtk_label_set_label (self->error_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static char *
patient_line (CrPatient *patient)
{
  g_autofree char *born = _cr_patient_row_format_date (cr_patient_get_birth_date (patient));

  if (born == NULL)
    return g_strdup (cr_patient_get_record_number (patient));
  /* Translators: "born Feb 1, 1994 · P000123" */
  return g_strdup_printf (_("born %s · %s"), born, cr_patient_get_record_number (patient));
}

/* ---- the patient's visits ------------------------------------------------ */

static void
visits_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  gint64 patient_id = *(gint64 *) task_data;
  GError *error = NULL;
  GPtrArray *visits = cr_store_list_visits (source_object, patient_id, 0, MAX_VISITS, &error);

  if (visits == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, visits, (GDestroyNotify) g_ptr_array_unref);
}

static void
match_visit_to_date (CrFilingPanel *self)
{
  GDate date;
  g_autofree char *iso = NULL;

  if (self->visit_dates == NULL ||
      !cr_date_parse (gtk_editable_get_text (GTK_EDITABLE (self->date_row)), &date, NULL))
    return;
  iso = cr_date_to_iso (&date);
  /* A document from the day of a visit most likely belongs to it; an
   * explicit choice is kept. */
  if (adw_combo_row_get_selected (self->visit_row) > 0)
    return;
  for (guint i = 1; i < self->visit_dates->len; i++)
    if (g_strcmp0 (g_array_index (self->visit_dates, char *, i), iso) == 0)
      {
        adw_combo_row_set_selected (self->visit_row, i);
        return;
      }
}

static void
clear_visit_dates (GArray *dates)
{
  for (guint i = 0; i < dates->len; i++)
    g_free (g_array_index (dates, char *, i));
  g_array_unref (dates);
}

static void
set_visits (CrFilingPanel *self,
            GPtrArray     *visits)
{
  g_autoptr(GtkStringList) list = gtk_string_list_new (NULL);
  char *none = NULL;
  gint64 zero = 0;

  g_clear_pointer (&self->visit_ids, g_array_unref);
  g_clear_pointer (&self->visit_dates, clear_visit_dates);
  self->visit_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->visit_dates = g_array_new (FALSE, FALSE, sizeof (char *));
  gtk_string_list_append (list, _("No visit"));
  g_array_append_val (self->visit_ids, zero);
  g_array_append_val (self->visit_dates, none);

  for (guint i = 0; visits != NULL && i < visits->len; i++)
    {
      CrVisit *visit = g_ptr_array_index (visits, i);
      const char *started = cr_visit_get_started_at (visit);
      g_autofree char *day = g_strndup (started ? started : "", 10);
      g_autofree char *when = _cr_patient_row_format_date (day);
      const char *complaint = cr_visit_get_chief_complaint (visit);
      g_autofree char *label = NULL;
      gint64 id = cr_visit_get_id (visit);
      char *dup = g_strdup (day);

      if (cr_visit_get_entered_in_error (visit))
        {
          g_free (dup);
          continue;
        }
      if (complaint != NULL && *complaint != '\0')
        label = g_strdup_printf ("%s — %s", when ? when : day, complaint);
      else
        label = g_strdup (when ? when : day);
      gtk_string_list_append (list, label);
      g_array_append_val (self->visit_ids, id);
      g_array_append_val (self->visit_dates, dup);
    }
  adw_combo_row_set_model (self->visit_row, G_LIST_MODEL (list));
  adw_combo_row_set_selected (self->visit_row, 0);
  gtk_widget_set_sensitive (GTK_WIDGET (self->visit_row), self->visit_ids->len > 1);
  match_visit_to_date (self);
}

static void
visits_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(CrFilingPanel) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) visits = g_task_propagate_pointer (G_TASK (result), &error);

  if (g_task_get_cancellable (G_TASK (result)) != self->visits_cancellable)
    return;
  if (visits == NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("Could not list the patient's visits: %s", error->message);
  set_visits (self, visits);
}

static void
load_visits (CrFilingPanel *self)
{
  g_autoptr(GTask) task = NULL;
  gint64 *id;

  g_cancellable_cancel (self->visits_cancellable);
  g_clear_object (&self->visits_cancellable);
  set_visits (self, NULL);
  if (self->patient == NULL || self->store == NULL)
    return;

  self->visits_cancellable = g_cancellable_new ();
  id = g_new (gint64, 1);
  *id = cr_patient_get_id (self->patient);
  task = g_task_new (self->store, self->visits_cancellable, visits_done, g_object_ref (self));
  g_task_set_source_tag (task, load_visits);
  g_task_set_task_data (task, id, g_free);
  g_task_run_in_thread (task, visits_thread);
}

/* ---- the patient --------------------------------------------------------- */

void
cr_filing_panel_set_patient (CrFilingPanel *self,
                             CrPatient     *patient)
{
  g_return_if_fail (CR_IS_FILING_PANEL (self));
  g_return_if_fail (patient == NULL || CR_IS_PATIENT (patient));

  g_set_object (&self->patient, patient);
  if (patient != NULL)
    {
      g_autofree char *name = cr_patient_dup_display_name (patient);
      g_autofree char *line = patient_line (patient);
      g_autofree char *escaped = g_markup_escape_text (name, -1);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->patient_row), escaped);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (self->patient_row), line);
      set_error (self, NULL);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->patient_row), patient != NULL);
  /* No empty box under the search while no patient is chosen. */
  gtk_widget_set_visible (gtk_widget_get_parent (gtk_widget_get_parent (GTK_WIDGET (self->patient_row))),
                          patient != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->patient_entry), patient == NULL);
  gtk_popover_popdown (self->results_popover);
  load_visits (self);
}

static void
pick_result (CrFilingPanel *self,
             int            index)
{
  if (index < 0 || (guint) index >= self->results->len)
    return;
  cr_filing_panel_set_patient (self, g_ptr_array_index (self->results, index));
  gtk_editable_set_text (GTK_EDITABLE (self->patient_entry), "");
  /* Next step: the category. */
  gtk_widget_grab_focus (GTK_WIDGET (self->category_row));
}

static void
on_result_activated (CrFilingPanel *self,
                     GtkListBoxRow *row)
{
  pick_result (self, gtk_list_box_row_get_index (row));
}

static void
on_clear_patient (CrFilingPanel *self)
{
  cr_filing_panel_set_patient (self, NULL);
  gtk_widget_grab_focus (GTK_WIDGET (self->patient_entry));
}

static void
show_results (CrFilingPanel *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->results_list))) != NULL)
    gtk_list_box_remove (self->results_list, child);

  for (guint i = 0; i < self->results->len; i++)
    {
      CrPatient *patient = g_ptr_array_index (self->results, i);
      g_autofree char *name = cr_patient_dup_display_name (patient);
      g_autofree char *escaped = g_markup_escape_text (name, -1);
      g_autofree char *line = patient_line (patient);
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), escaped);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), line);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      gtk_widget_set_focusable (row, FALSE);
      gtk_list_box_append (self->results_list, row);
    }
  if (self->results->len == 0)
    {
      GtkWidget *label = gtk_label_new (_("No patient matches"));

      gtk_widget_add_css_class (label, "dim-label");
      gtk_widget_set_margin_top (label, 12);
      gtk_widget_set_margin_bottom (label, 12);
      gtk_list_box_append (self->results_list, label);
      gtk_list_box_row_set_activatable (gtk_list_box_get_row_at_index (self->results_list, 0), FALSE);
    }
  else
    gtk_list_box_select_row (self->results_list, gtk_list_box_get_row_at_index (self->results_list, 0));

  if (gtk_widget_get_mapped (GTK_WIDGET (self->patient_entry)))
    gtk_popover_popup (self->results_popover);
}

typedef struct
{
  char *text;
} SearchData;

static void
search_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  GError *error = NULL;
  GPtrArray *found = cr_store_search_patients (source_object, task_data, 0, MAX_RESULTS,
                                               cancellable, &error);

  if (found == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, found, (GDestroyNotify) g_ptr_array_unref);
}

static void
search_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(CrFilingPanel) self = user_data;
  g_autoptr(GError) error = NULL;
  GPtrArray *found = g_task_propagate_pointer (G_TASK (result), &error);

  if (g_task_get_cancellable (G_TASK (result)) != self->search_cancellable)
    {
      g_clear_pointer (&found, g_ptr_array_unref);
      return;
    }
  self->searching = FALSE;
  if (found == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        set_error (self, error->message);
      return;
    }
  g_clear_pointer (&self->results, g_ptr_array_unref);
  self->results = found;
  show_results (self);
}

static void
on_search_changed (CrFilingPanel *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->patient_entry));
  g_autoptr(GTask) task = NULL;

  g_cancellable_cancel (self->search_cancellable);
  g_clear_object (&self->search_cancellable);
  g_ptr_array_set_size (self->results, 0);
  if (self->store == NULL || *text == '\0')
    {
      self->searching = FALSE;
      gtk_popover_popdown (self->results_popover);
      return;
    }
  self->searching = TRUE;
  self->search_cancellable = g_cancellable_new ();
  task = g_task_new (self->store, self->search_cancellable, search_done, g_object_ref (self));
  g_task_set_source_tag (task, on_search_changed);
  g_task_set_task_data (task, g_strdup (text), g_free);
  g_task_run_in_thread (task, search_thread);
}

static void
on_search_activate (CrFilingPanel *self)
{
  GtkListBoxRow *row = gtk_list_box_get_selected_row (self->results_list);

  if (self->searching || self->results->len == 0)
    return;
  pick_result (self, row ? gtk_list_box_row_get_index (row) : 0);
}

static void
on_stop_search (CrFilingPanel *self)
{
  gtk_popover_popdown (self->results_popover);
}

static gboolean
on_search_key_pressed (GtkEventControllerKey *controller,
                       guint                  keyval,
                       guint                  keycode,
                       GdkModifierType        state,
                       CrFilingPanel         *self)
{
  GtkListBoxRow *row = gtk_list_box_get_selected_row (self->results_list);
  int index = row ? gtk_list_box_row_get_index (row) : -1;
  int n = (int) self->results->len;

  if (n == 0)
    return FALSE;
  if (keyval == GDK_KEY_Down || keyval == GDK_KEY_KP_Down)
    index = MIN (index + 1, n - 1);
  else if (keyval == GDK_KEY_Up || keyval == GDK_KEY_KP_Up)
    index = MAX (index - 1, 0);
  else
    return FALSE;
  gtk_list_box_select_row (self->results_list, gtk_list_box_get_row_at_index (self->results_list, index));
  gtk_popover_popup (self->results_popover);
  return TRUE;
}

/* ---- the date -------------------------------------------------------------- */

static void
on_date_changed (CrFilingPanel *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->date_row));
  g_autoptr(GError) error = NULL;
  GDate date;

  gtk_widget_remove_css_class (GTK_WIDGET (self->date_row), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->date_hint), "error");
  if (*text == '\0')
    {
      gtk_label_set_label (self->date_hint, _("As written: 2024-03-05, 03/05/2024, 5 Mar 2024…"));
      return;
    }
  if (cr_date_parse (text, &date, &error))
    {
      g_autofree char *iso = cr_date_to_iso (&date);
      g_autoptr(GDateTime) dt = g_date_time_new_local (g_date_get_year (&date), g_date_get_month (&date),
                                                       g_date_get_day (&date), 12, 0, 0);
      /* Translators: the date understood, as a strftime format: "Tuesday, Mar 5, 2024" */
      g_autofree char *words = dt ? g_date_time_format (dt, C_("date format", "%A, %b %-d, %Y")) : NULL;

      gtk_label_set_label (self->date_hint, words ? words : iso);
      set_error (self, NULL);
      match_visit_to_date (self);
    }
  else
    {
      gtk_label_set_label (self->date_hint, error->message);
      gtk_widget_add_css_class (GTK_WIDGET (self->date_row), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->date_hint), "error");
    }
}

/* ---- filing ------------------------------------------------------------------- */

CrDocumentCategory
cr_filing_panel_get_category (CrFilingPanel *self)
{
  g_return_val_if_fail (CR_IS_FILING_PANEL (self), CR_DOCUMENT_CATEGORY_NONE);
  /* Row i of the list is category i (0: "Choose…", NONE). */
  return (CrDocumentCategory) adw_combo_row_get_selected (self->category_row);
}

void
cr_filing_panel_set_category (CrFilingPanel      *self,
                              CrDocumentCategory  category)
{
  g_return_if_fail (CR_IS_FILING_PANEL (self));
  adw_combo_row_set_selected (self->category_row, (guint) category);
}

gboolean
cr_filing_panel_file (CrFilingPanel *self)
{
  g_autoptr(GError) error = NULL;
  CrDocumentCategory category;
  const char *date;
  gint64 visit_id = 0;
  guint visit;
  gint64 id;
  GDate parsed;

  g_return_val_if_fail (CR_IS_FILING_PANEL (self), FALSE);

  if (self->document == NULL || self->store == NULL)
    return FALSE;
  if (self->patient == NULL)
    {
      set_error (self, _("Choose the patient this document belongs to."));
      gtk_widget_grab_focus (GTK_WIDGET (self->patient_entry));
      return FALSE;
    }
  category = cr_filing_panel_get_category (self);
  if (category == CR_DOCUMENT_CATEGORY_NONE)
    {
      set_error (self, _("Choose what kind of document this is."));
      gtk_widget_grab_focus (GTK_WIDGET (self->category_row));
      return FALSE;
    }
  date = gtk_editable_get_text (GTK_EDITABLE (self->date_row));
  if (!cr_date_parse (date, &parsed, &error))
    {
      set_error (self, *date == '\0' ? _("Enter the date of service.") : error->message);
      gtk_widget_grab_focus (GTK_WIDGET (self->date_row));
      return FALSE;
    }
  visit = adw_combo_row_get_selected (self->visit_row);
  if (self->visit_ids != NULL && visit < self->visit_ids->len)
    visit_id = g_array_index (self->visit_ids, gint64, visit);

  id = cr_document_get_id (self->document);
  /* One small transaction with its audit entry. */
  if (!cr_store_file_document (self->store, id, cr_patient_get_id (self->patient), category, date,
                               visit_id, gtk_editable_get_text (GTK_EDITABLE (self->title_row)),
                               &error))
    {
      set_error (self, error->message);
      return FALSE;
    }
  set_error (self, NULL);
  g_signal_emit (self, signals[SIGNAL_FILED], 0, id);
  return TRUE;
}

static void
on_file_clicked (CrFilingPanel *self)
{
  cr_filing_panel_file (self);
}

static void
filing_file (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  cr_filing_panel_file (CR_FILING_PANEL (widget));
}

/* ---- the document ----------------------------------------------------------- */

void
cr_filing_panel_set_document (CrFilingPanel *self,
                              CrStore       *store,
                              CrDocument    *document)
{
  g_return_if_fail (CR_IS_FILING_PANEL (self));
  g_return_if_fail (document == NULL || CR_IS_DOCUMENT (document));

  g_set_object (&self->store, store);
  g_set_object (&self->document, document);
  cr_filing_panel_set_patient (self, NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->patient_entry), "");
  gtk_editable_set_text (GTK_EDITABLE (self->date_row), "");
  set_error (self, NULL);

  if (document != NULL)
    {
      const char *name = cr_document_get_file_name (document);
      const char *title = cr_document_get_title (document);
      guint pages = cr_document_get_page_count (document);
      g_autofree char *detail = NULL;

      gtk_label_set_label (self->document_label, title ? title : name ? name : "");
      detail = g_strdup_printf (ngettext ("%u page", "%u pages", pages), pages);
      gtk_label_set_label (self->document_detail, detail);
      gtk_editable_set_text (GTK_EDITABLE (self->title_row), title ? title : name ? name : "");
    }
  else
    {
      gtk_label_set_label (self->document_label, "");
      gtk_label_set_label (self->document_detail, "");
      gtk_editable_set_text (GTK_EDITABLE (self->title_row), "");
    }
  gtk_widget_set_sensitive (GTK_WIDGET (self), document != NULL);
}

CrDocument *
cr_filing_panel_get_document (CrFilingPanel *self)
{
  g_return_val_if_fail (CR_IS_FILING_PANEL (self), NULL);
  return self->document;
}

void
cr_filing_panel_focus (CrFilingPanel *self)
{
  g_return_if_fail (CR_IS_FILING_PANEL (self));

  if (self->patient == NULL)
    gtk_widget_grab_focus (GTK_WIDGET (self->patient_entry));
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->category_row));
}

/* ---- GObject ------------------------------------------------------------ */

static void
cr_filing_panel_dispose (GObject *object)
{
  CrFilingPanel *self = (CrFilingPanel *)object;

  g_cancellable_cancel (self->search_cancellable);
  g_cancellable_cancel (self->visits_cancellable);
  g_clear_object (&self->search_cancellable);
  g_clear_object (&self->visits_cancellable);
  g_clear_object (&self->patient);
  g_clear_object (&self->document);
  g_clear_object (&self->store);
  if (self->results_popover != NULL)
    gtk_widget_unparent (GTK_WIDGET (g_steal_pointer (&self->results_popover)));

  G_OBJECT_CLASS (cr_filing_panel_parent_class)->dispose (object);
}

static void
cr_filing_panel_finalize (GObject *object)
{
  CrFilingPanel *self = (CrFilingPanel *)object;

  g_clear_pointer (&self->results, g_ptr_array_unref);
  g_clear_pointer (&self->visit_ids, g_array_unref);
  g_clear_pointer (&self->visit_dates, clear_visit_dates);
  g_free (self->error);

  G_OBJECT_CLASS (cr_filing_panel_parent_class)->finalize (object);
}

static void
cr_filing_panel_class_init (CrFilingPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cr_filing_panel_dispose;
  object_class->finalize = cr_filing_panel_finalize;

  /* ::filed (id): the document left the inbox for a chart. */
  signals[SIGNAL_FILED] =
    g_signal_new ("filed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/chartroom/Chartroom/cr-filing-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, CrFilingPanel, document_label);
  gtk_widget_class_bind_template_child (widget_class, CrFilingPanel, document_detail);
  gtk_widget_class_bind_template_child (widget_class, CrFilingPanel, patient_entry);
  gtk_widget_class_bind_template_child (widget_class, CrFilingPanel, results_popover);
  gtk_widget_class_bind_template_child (widget_class, CrFilingPanel, results_list);
  gtk_widget_class_bind_template_child (widget_class, CrFilingPanel, patient_row);
  gtk_widget_class_bind_template_child (widget_class, CrFilingPanel, category_row);
  gtk_widget_class_bind_template_child (widget_class, CrFilingPanel, date_row);
  gtk_widget_class_bind_template_child (widget_class, CrFilingPanel, date_hint);
  gtk_widget_class_bind_template_child (widget_class, CrFilingPanel, visit_row);
  gtk_widget_class_bind_template_child (widget_class, CrFilingPanel, title_row);
  gtk_widget_class_bind_template_child (widget_class, CrFilingPanel, error_label);
  gtk_widget_class_bind_template_child (widget_class, CrFilingPanel, file_button);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_search_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_stop_search);
  gtk_widget_class_bind_template_callback (widget_class, on_search_key_pressed);
  gtk_widget_class_bind_template_callback (widget_class, on_result_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_clear_patient);
  gtk_widget_class_bind_template_callback (widget_class, on_date_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_file_clicked);

  gtk_widget_class_install_action (widget_class, "filing.file", NULL, filing_file);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK,
                                       "filing.file", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, GDK_CONTROL_MASK,
                                       "filing.file", NULL);
}

static void
cr_filing_panel_init (CrFilingPanel *self)
{
  g_autoptr(GtkStringList) categories = gtk_string_list_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));
  self->results = g_ptr_array_new_with_free_func (g_object_unref);

  gtk_string_list_append (categories, _("Choose…"));
  for (int c = CR_DOCUMENT_CATEGORY_NONE + 1; c <= CR_DOCUMENT_CATEGORY_OTHER; c++)
    gtk_string_list_append (categories, cr_document_category_get_label ((CrDocumentCategory) c));
  adw_combo_row_set_model (self->category_row, G_LIST_MODEL (categories));
  gtk_widget_set_parent (GTK_WIDGET (self->results_popover), GTK_WIDGET (self->patient_entry));
  set_visits (self, NULL);
  on_date_changed (self);
  cr_filing_panel_set_document (self, NULL, NULL);
}

GtkWidget *
cr_filing_panel_new (void)
{
  return g_object_new (CR_TYPE_FILING_PANEL, NULL);
}

CrPatient *
cr_filing_panel_get_patient (CrFilingPanel *self)
{
  g_return_val_if_fail (CR_IS_FILING_PANEL (self), NULL);
  return self->patient;
}

GtkEditable *
cr_filing_panel_get_search_entry (CrFilingPanel *self)
{
  g_return_val_if_fail (CR_IS_FILING_PANEL (self), NULL);
  return GTK_EDITABLE (self->patient_entry);
}

gboolean
cr_filing_panel_get_searching (CrFilingPanel *self)
{
  g_return_val_if_fail (CR_IS_FILING_PANEL (self), FALSE);
  return self->searching;
}

guint
cr_filing_panel_get_n_results (CrFilingPanel *self)
{
  g_return_val_if_fail (CR_IS_FILING_PANEL (self), 0);
  return self->results->len;
}

GtkEditable *
cr_filing_panel_get_date_entry (CrFilingPanel *self)
{
  g_return_val_if_fail (CR_IS_FILING_PANEL (self), NULL);
  return GTK_EDITABLE (self->date_row);
}

const char *
cr_filing_panel_get_error (CrFilingPanel *self)
{
  g_return_val_if_fail (CR_IS_FILING_PANEL (self), NULL);
  return self->error;
}
