/* cr-chart-page.c: a patient's chart
 *
 * A banner that always shows who the patient is and their allergies (in
 * red, impossible to miss), over a view stack of sections: Summary, Visits,
 * Medications, Problems & Allergies and Details. The chart is read in a
 * worker thread when the patient changes and again after every change;
 * nothing of the previous patient stays on screen while it loads.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cr-chart-page"

#include "config.h"

#include <glib/gi18n.h>

#include "cr-chart.h"
#include "cr-chart-page.h"
#include "cr-report-page.h"
#include "cr-documents-page.h"
#include "cr-chart-summary-view.h"
#include "cr-medication-list.h"
#include "cr-patient-row.h"
#include "cr-problem-list.h"
#include "cr-visit-history.h"

/* The last visits in the summary. */
#define SUMMARY_VISITS 5
/* A spinner only for a load the user would notice. */
#define SPINNER_DELAY_MS 150

struct _CrChartPage
{
  AdwBin              parent_instance;

  CrStore            *store;
  CrPatient          *patient;
  GCancellable       *cancellable;
  guint               spinner_id;
  gboolean            folded;
  gboolean            loading;
  gboolean            attached;  /* the Reports and Documents pages */

  AdwToastOverlay    *toast_overlay;
  AdwViewSwitcherTitle *switcher_title;
  AdwViewStack       *stack;
  GtkSpinner         *spinner;
  AdwAvatar          *avatar;
  GtkLabel           *name_label;
  GtkLabel           *summary_label;
  GtkLabel           *record_label;
  GtkLabel           *tag_label;
  GtkLabel           *allergy_label;
  CrChartSummaryView *summary_view;
  CrVisitHistory     *visit_history;
  CrMedicationList   *medication_list;
  CrProblemList      *problem_list;
  GtkLabel           *phone_label;
  GtkLabel           *email_label;
  GtkLabel           *address_label;
  GtkLabel           *payer_label;
  GtkLabel           *member_label;
  GtkLabel           *birth_label;
  GtkLabel           *sex_label;
  GtkLabel           *created_label;
  GtkLabel           *updated_label;
};

enum {
  PROP_0,
  PROP_STORE,
  PROP_PATIENT,
  PROP_FOLDED,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (CrChartPage, cr_chart_page, ADW_TYPE_BIN)

static void
set_value (GtkLabel   *label,
           const char *value)
{
  gboolean empty = value == NULL || *value == '\0';

  gtk_label_set_label (label, empty ? _("Not recorded") : value);
  gtk_label_set_selectable (label, !empty);
  if (empty)
    gtk_widget_add_css_class (GTK_WIDGET (label), "dim-label");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (label), "dim-label");
}

static char *
format_stamp (const char *at,
              const char *by)
{
  g_autofree char *when = _cr_patient_row_format_timestamp (at);

  if (when == NULL)
    return NULL;
  if (by == NULL || *by == '\0')
    return g_steal_pointer (&when);
  /* Translators: when and by whom a record was written, "Feb 1, 2024, 14:05 by alice" */
  return g_strdup_printf (_("%s by %s"), when, by);
}

static void
cr_chart_page_update (CrChartPage *self)
{
  CrPatient *p = self->patient;
  g_autofree char *name = NULL;
  g_autofree char *birth = NULL;
  g_autofree char *age = NULL;
  g_autofree char *created = NULL;
  g_autofree char *updated = NULL;
  g_autoptr(GString) summary = g_string_new (NULL);
  const char *tag = NULL;

  if (p == NULL)
    {
      adw_view_switcher_title_set_title (self->switcher_title, "");
      adw_view_switcher_title_set_subtitle (self->switcher_title, "");
      return;
    }

  name = cr_patient_dup_display_name (p);
  birth = _cr_patient_row_format_date (cr_patient_get_birth_date (p));
  age = _cr_patient_row_format_age (p);

  adw_view_switcher_title_set_title (self->switcher_title, name);
  adw_view_switcher_title_set_subtitle (self->switcher_title, cr_patient_get_record_number (p));
  adw_avatar_set_text (self->avatar, name);
  gtk_label_set_label (self->name_label, name);

  if (age != NULL)
    g_string_append (summary, age);
  if (cr_patient_get_sex (p) != CR_SEX_UNKNOWN)
    {
      if (summary->len > 0)
        g_string_append (summary, _(" · "));
      g_string_append (summary, _cr_patient_row_sex_label (cr_patient_get_sex (p)));
    }
  if (birth != NULL)
    {
      if (summary->len > 0)
        g_string_append (summary, _(" · "));
      /* Translators: %s is the birth date */
      g_string_append_printf (summary, _("Born %s"), birth);
    }
  if (cr_patient_get_deceased (p) && cr_patient_get_deceased_date (p) != NULL)
    {
      g_autofree char *death = _cr_patient_row_format_date (cr_patient_get_deceased_date (p));

      if (summary->len > 0)
        g_string_append (summary, _(" · "));
      /* Translators: %s is the date of death */
      g_string_append_printf (summary, _("Died %s"), death ? death : cr_patient_get_deceased_date (p));
    }
  gtk_label_set_label (self->summary_label, summary->str);
  gtk_widget_set_visible (GTK_WIDGET (self->summary_label), summary->len > 0);
  gtk_label_set_label (self->record_label, cr_patient_get_record_number (p));

  if (cr_patient_get_deceased (p))
    tag = _("Deceased");
  else if (cr_patient_get_inactive (p))
    tag = _("Inactive");
  gtk_label_set_label (self->tag_label, tag ? tag : "");
  gtk_widget_set_visible (GTK_WIDGET (self->tag_label), tag != NULL);

  set_value (self->phone_label, cr_patient_get_phone (p));
  set_value (self->email_label, cr_patient_get_email (p));
  set_value (self->address_label, cr_patient_get_address (p));
  set_value (self->payer_label, cr_patient_get_insurance_payer (p));
  set_value (self->member_label, cr_patient_get_insurance_member_id (p));
  set_value (self->birth_label, birth);
  set_value (self->sex_label, cr_patient_get_sex (p) != CR_SEX_UNKNOWN
                              ? _cr_patient_row_sex_label (cr_patient_get_sex (p)) : NULL);

  created = format_stamp (cr_patient_get_created_at (p), cr_patient_get_created_by (p));
  updated = format_stamp (cr_patient_get_updated_at (p), cr_patient_get_updated_by (p));
  set_value (self->created_label, created);
  set_value (self->updated_label, updated);
}

/* "Allergies: Penicillin, Sulfa" in red, or a dim "No known allergies".
 * Hidden while the chart loads: never the previous patient's, and never
 * "none" before we know. */
static void
update_allergy_badge (CrChartPage *self,
                      GListModel  *allergies)
{
  GtkWidget *badge = GTK_WIDGET (self->allergy_label);
  g_autoptr(GString) names = g_string_new (NULL);
  g_autofree char *text = NULL;
  guint n;

  if (allergies == NULL)
    {
      gtk_widget_set_visible (badge, FALSE);
      return;
    }

  n = g_list_model_get_n_items (allergies);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CrAllergy) allergy = g_list_model_get_item (allergies, i);

      if (names->len > 0)
        g_string_append (names, ", ");
      g_string_append (names, cr_allergy_get_substance (allergy));
    }

  if (n > 0)
    {
      /* Translators: the chart header's allergy badge, "Allergies: Penicillin, Sulfa" */
      text = g_strdup_printf (_("Allergies: %s"), names->str);
      gtk_widget_remove_css_class (badge, "cr-no-allergies");
    }
  else
    {
      text = g_strdup (_("No known allergies"));
      gtk_widget_add_css_class (badge, "cr-no-allergies");
    }
  gtk_label_set_label (self->allergy_label, text);
  /* Short lists on one line; long ones wrap, never squeezed to a word. */
  gtk_label_set_width_chars (self->allergy_label, (int) MIN (g_utf8_strlen (text, -1), 36));
  gtk_widget_set_tooltip_text (badge, text);
  gtk_widget_set_visible (badge, TRUE);
}

static void
set_loading (CrChartPage *self,
             gboolean     loading)
{
  if (self->loading == loading)
    return;
  self->loading = loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

/* ---- loading the chart --------------------------------------------------- */

typedef struct
{
  gint64          patient_id;
  CrChartSummary *summary;
  GListStore     *past;
  GListStore     *resolved;
} ChartData;

static void
chart_data_free (ChartData *data)
{
  g_clear_object (&data->summary);
  g_clear_object (&data->past);
  g_clear_object (&data->resolved);
  g_free (data);
}

static GListStore *
list_from_array (GType      type,
                 GPtrArray *rows)
{
  GListStore *list = g_list_store_new (type);

  g_list_store_splice (list, 0, 0, rows->pdata, rows->len);
  return list;
}

static void
load_chart_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  CrStore *store = source_object;
  ChartData *data = task_data;
  g_autoptr(GPtrArray) past = NULL;
  g_autoptr(GPtrArray) resolved = NULL;
  GError *error = NULL;

  if (g_task_return_error_if_cancelled (task))
    return;
  data->summary = cr_store_load_chart_summary (store, data->patient_id, SUMMARY_VISITS, &error);
  if (data->summary == NULL ||
      (past = cr_store_list_prescriptions (store, data->patient_id, FALSE, &error)) == NULL ||
      (resolved = cr_store_list_problems (store, data->patient_id, CR_PROBLEM_STATUS_RESOLVED,
                                          &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  data->past = list_from_array (CR_TYPE_PRESCRIPTION, past);
  data->resolved = list_from_array (CR_TYPE_PROBLEM, resolved);
  g_task_return_boolean (task, TRUE);
}

static void
clear_sections (CrChartPage *self)
{
  cr_chart_summary_view_set_summary (self->summary_view, NULL);
  cr_medication_list_set_data (self->medication_list, NULL, NULL, NULL);
  cr_problem_list_set_data (self->problem_list, NULL, 0, NULL, NULL, NULL);
  update_allergy_badge (self, NULL);
}

static void
stop_spinner (CrChartPage *self)
{
  g_clear_handle_id (&self->spinner_id, g_source_remove);
  gtk_spinner_stop (self->spinner);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), FALSE);
}

static gboolean
show_spinner (gpointer user_data)
{
  CrChartPage *self = user_data;

  self->spinner_id = 0;
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), TRUE);
  gtk_spinner_start (self->spinner);
  return G_SOURCE_REMOVE;
}

static void
load_chart_done (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(CrChartPage) self = user_data;
  g_autoptr(GError) error = NULL;
  ChartData *data = g_task_get_task_data (G_TASK (result));
  g_autofree char *message = NULL;
  CrChartSummary *summary;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      stop_spinner (self);
      set_loading (self, FALSE);
      /* Translators: %s says why the chart could not be read */
      message = g_strdup_printf (_("The chart could not be read: %s"), error->message);
      cr_chart_page_add_toast (self, message);
      return;
    }

  /* A newer load supersedes this one. */
  if (g_task_get_cancellable (G_TASK (result)) != self->cancellable)
    return;

  stop_spinner (self);
  summary = data->summary;
  cr_chart_summary_view_set_summary (self->summary_view, summary);
  cr_medication_list_set_data (self->medication_list, self->store,
                               cr_chart_summary_get_medications (summary),
                               G_LIST_MODEL (data->past));
  cr_problem_list_set_data (self->problem_list, self->store, data->patient_id,
                            cr_chart_summary_get_problems (summary),
                            G_LIST_MODEL (data->resolved),
                            cr_chart_summary_get_allergies (summary));
  update_allergy_badge (self, cr_chart_summary_get_allergies (summary));
  set_loading (self, FALSE);
}

static void
load_chart (CrChartPage *self,
            gboolean     clear)
{
  g_autoptr(GTask) task = NULL;
  ChartData *data;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  stop_spinner (self);
  if (clear)
    clear_sections (self);

  if (self->store == NULL || self->patient == NULL)
    {
      clear_sections (self);
      cr_visit_history_load (self->visit_history, NULL, 0);
      set_loading (self, FALSE);
      return;
    }

  self->cancellable = g_cancellable_new ();
  self->spinner_id = g_timeout_add (SPINNER_DELAY_MS, show_spinner, self);

  data = g_new0 (ChartData, 1);
  data->patient_id = cr_patient_get_id (self->patient);
  task = g_task_new (self->store, self->cancellable, load_chart_done, g_object_ref (self));
  g_task_set_source_tag (task, load_chart);
  g_task_set_task_data (task, data, (GDestroyNotify) chart_data_free);
  g_task_run_in_thread (task, load_chart_thread);
  set_loading (self, TRUE);
}

static void
on_chart_changed (CrChartPage *self)
{
  /* Keep what is shown until the fresh copy arrives: no flicker. */
  load_chart (self, FALSE);
}

static void
on_toast (CrChartPage *self,
          const char  *text)
{
  cr_chart_page_add_toast (self, text);
}

static void
on_patient_notify (CrChartPage *self)
{
  cr_chart_page_update (self);
}

/* ---- actions --------------------------------------------------------- */

/* chart.show-page(i): the i-th section (0-based), pages added later too. */
static void
chart_show_page (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  CrChartPage *self = CR_CHART_PAGE (widget);
  g_autoptr(GtkSelectionModel) pages = adw_view_stack_get_pages (self->stack);
  guint wanted = (guint) MAX (g_variant_get_int32 (parameter), 0);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (pages));
  guint visible = 0;

  if (!gtk_widget_get_mapped (widget))
    return;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AdwViewStackPage) page = g_list_model_get_item (G_LIST_MODEL (pages), i);

      if (!adw_view_stack_page_get_visible (page))
        continue;
      if (visible++ == wanted)
        {
          adw_view_stack_set_visible_child (self->stack, adw_view_stack_page_get_child (page));
          return;
        }
    }
}

static void
cr_chart_page_dispose (GObject *object)
{
  CrChartPage *self = (CrChartPage *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->spinner_id, g_source_remove);
  if (self->patient != NULL)
    g_signal_handlers_disconnect_by_func (self->patient, on_patient_notify, self);
  g_clear_object (&self->patient);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (cr_chart_page_parent_class)->dispose (object);
}

static void
cr_chart_page_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  CrChartPage *self = CR_CHART_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_PATIENT:
      g_value_set_object (value, self->patient);
      break;
    case PROP_FOLDED:
      g_value_set_boolean (value, self->folded);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cr_chart_page_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  CrChartPage *self = CR_CHART_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      cr_chart_page_set_store (self, g_value_get_object (value));
      break;
    case PROP_PATIENT:
      cr_chart_page_set_patient (self, g_value_get_object (value));
      break;
    case PROP_FOLDED:
      if (self->folded != g_value_get_boolean (value))
        {
          self->folded = g_value_get_boolean (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cr_chart_page_class_init (CrChartPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cr_chart_page_dispose;
  object_class->get_property = cr_chart_page_get_property;
  object_class->set_property = cr_chart_page_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, CR_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PATIENT] =
    g_param_spec_object ("patient", NULL, NULL, CR_TYPE_PATIENT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* TRUE when the chart fills the window alone: it then offers a way back
   * to the list. */
  properties[PROP_FOLDED] =
    g_param_spec_boolean ("folded", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (CR_TYPE_CHART_SUMMARY_VIEW);
  g_type_ensure (CR_TYPE_VISIT_HISTORY);
  g_type_ensure (CR_TYPE_MEDICATION_LIST);
  g_type_ensure (CR_TYPE_PROBLEM_LIST);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/chartroom/Chartroom/cr-chart-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CrChartPage, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, CrChartPage, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, CrChartPage, stack);
  gtk_widget_class_bind_template_child (widget_class, CrChartPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, CrChartPage, avatar);
  gtk_widget_class_bind_template_child (widget_class, CrChartPage, name_label);
  gtk_widget_class_bind_template_child (widget_class, CrChartPage, summary_label);
  gtk_widget_class_bind_template_child (widget_class, CrChartPage, record_label);
  gtk_widget_class_bind_template_child (widget_class, CrChartPage, tag_label);
  gtk_widget_class_bind_template_child (widget_class, CrChartPage, allergy_label);
  gtk_widget_class_bind_template_child (widget_class, CrChartPage, summary_view);
  gtk_widget_class_bind_template_child (widget_class, CrChartPage, visit_history);
  gtk_widget_class_bind_template_child (widget_class, CrChartPage, medication_list);
  gtk_widget_class_bind_template_child (widget_class, CrChartPage, problem_list);
  gtk_widget_class_bind_template_child (widget_class, CrChartPage, phone_label);
  gtk_widget_class_bind_template_child (widget_class, CrChartPage, email_label);
  gtk_widget_class_bind_template_child (widget_class, CrChartPage, address_label);
  gtk_widget_class_bind_template_child (widget_class, CrChartPage, payer_label);
  gtk_widget_class_bind_template_child (widget_class, CrChartPage, member_label);
  gtk_widget_class_bind_template_child (widget_class, CrChartPage, birth_label);
  gtk_widget_class_bind_template_child (widget_class, CrChartPage, sex_label);
  gtk_widget_class_bind_template_child (widget_class, CrChartPage, created_label);
  gtk_widget_class_bind_template_child (widget_class, CrChartPage, updated_label);
  gtk_widget_class_bind_template_callback (widget_class, on_chart_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_toast);

  gtk_widget_class_install_action (widget_class, "chart.show-page", "i", chart_show_page);
}

static void
cr_chart_page_init (CrChartPage *self)
{
  GtkEventController *shortcuts;

  gtk_widget_init_template (GTK_WIDGET (self));
  /* The Reports and Documents pages join with the first patient
   * (ensure_attached ()): the chart page is made at start-up with the main
   * view, long before a chart is opened. */

  /* Ctrl+1…5 switch sections wherever the focus is (the search entry,
   * say, right after opening the chart). */
  shortcuts = gtk_shortcut_controller_new ();
  gtk_shortcut_controller_set_scope (GTK_SHORTCUT_CONTROLLER (shortcuts), GTK_SHORTCUT_SCOPE_GLOBAL);
  for (int i = 0; i < 9; i++)
    {
      GtkShortcut *shortcut = gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_1 + i, GDK_CONTROL_MASK),
                                                gtk_named_action_new ("chart.show-page"));

      gtk_shortcut_set_arguments (shortcut, g_variant_new_int32 (i));
      gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts), shortcut);
    }
  gtk_widget_add_controller (GTK_WIDGET (self), shortcuts);
}

GtkWidget *
cr_chart_page_new (void)
{
  return g_object_new (CR_TYPE_CHART_PAGE, NULL);
}

/**
 * cr_chart_page_get_store:
 *
 * Returns: (transfer none) (nullable): the practice
 */
CrStore *
cr_chart_page_get_store (CrChartPage *self)
{
  g_return_val_if_fail (CR_IS_CHART_PAGE (self), NULL);
  return self->store;
}

/**
 * cr_chart_page_set_store:
 * @store: (nullable): the open practice
 */
void
cr_chart_page_set_store (CrChartPage *self,
                         CrStore     *store)
{
  g_return_if_fail (CR_IS_CHART_PAGE (self));
  g_return_if_fail (store == NULL || CR_IS_STORE (store));

  if (!g_set_object (&self->store, store))
    return;
  cr_chart_page_reload (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
}

/**
 * cr_chart_page_get_patient:
 *
 * Returns: (transfer none) (nullable): the patient shown
 */
CrPatient *
cr_chart_page_get_patient (CrChartPage *self)
{
  g_return_val_if_fail (CR_IS_CHART_PAGE (self), NULL);
  return self->patient;
}

/* The Reports page (cr-report-page.c) follows this page's patient; the
 * Documents page (cr-documents-page.c) likewise. Made on first need: they
 * are about 10 ms of start-up otherwise. */
static void
ensure_attached (CrChartPage *self)
{
  if (self->attached)
    return;
  self->attached = TRUE;
  _cr_report_page_attach (self->stack, G_OBJECT (self));
  _cr_documents_page_attach (self->stack, G_OBJECT (self));
}

/**
 * cr_chart_page_set_patient:
 * @patient: (nullable): the patient to show; the page follows its changes
 */
void
cr_chart_page_set_patient (CrChartPage *self,
                           CrPatient   *patient)
{
  gboolean same;

  g_return_if_fail (CR_IS_CHART_PAGE (self));
  g_return_if_fail (patient == NULL || CR_IS_PATIENT (patient));

  if (self->patient == patient)
    return;
  if (patient != NULL)
    ensure_attached (self);

  same = self->patient != NULL && patient != NULL &&
         cr_patient_get_id (self->patient) == cr_patient_get_id (patient);

  if (self->patient != NULL)
    g_signal_handlers_disconnect_by_func (self->patient, on_patient_notify, self);
  g_set_object (&self->patient, patient);
  if (patient != NULL)
    g_signal_connect_swapped (patient, "notify", G_CALLBACK (on_patient_notify), self);

  cr_chart_page_update (self);
  if (same)
    {
      /* The same chart again (after its details were edited): stay put. */
      load_chart (self, FALSE);
    }
  else
    {
      adw_view_stack_set_visible_child_name (self->stack, "summary");
      load_chart (self, TRUE);
      cr_visit_history_load (self->visit_history, self->store,
                             patient ? cr_patient_get_id (patient) : 0);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PATIENT]);
}

/**
 * cr_chart_page_get_stack:
 *
 * Returns: (transfer none): the chart's sections, for more pages to join
 */
AdwViewStack *
cr_chart_page_get_stack (CrChartPage *self)
{
  g_return_val_if_fail (CR_IS_CHART_PAGE (self), NULL);
  ensure_attached (self);
  return self->stack;
}

/**
 * cr_chart_page_reload:
 *
 * Reads the whole chart again from the store, keeping the page shown.
 */
void
cr_chart_page_reload (CrChartPage *self)
{
  g_return_if_fail (CR_IS_CHART_PAGE (self));

  load_chart (self, FALSE);
  cr_visit_history_load (self->visit_history, self->store,
                         self->patient ? cr_patient_get_id (self->patient) : 0);
}

gboolean
cr_chart_page_get_loading (CrChartPage *self)
{
  g_return_val_if_fail (CR_IS_CHART_PAGE (self), FALSE);
  return self->loading;
}

/**
 * cr_chart_page_add_toast:
 * @text: a short message for the user
 */
void
cr_chart_page_add_toast (CrChartPage *self,
                         const char  *text)
{
  AdwToast *toast;

  g_return_if_fail (CR_IS_CHART_PAGE (self));

  toast = adw_toast_new (text);
  adw_toast_set_timeout (toast, 4);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}
