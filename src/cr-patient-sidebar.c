/* cr-patient-sidebar.c: the patient list with its type-ahead search
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cr-patient-sidebar"

#include "config.h"

#include <glib/gi18n.h>

#include "cr-patient-row.h"
#include "cr-patient-sidebar.h"
#include "cr-patients.h"

/* The list shows the best matches; a longer list is no help at the front
 * desk, typing more narrows it. */
#define MAX_RESULTS 200

struct _CrPatientSidebar
{
  AdwBin              parent_instance;

  CrStore            *store;
  GListStore         *patients;
  GtkSingleSelection *selection;
  GCancellable       *search_cancellable;
  char               *pending_text;   /* the query running now, or NULL */
  char               *shown_text;     /* the query the list shows */
  gint64              current_id;
  guint               n_matches;
  guint               more : 1;
  guint               folded : 1;
  guint               open_first_when_done : 1;
  guint               syncing_selection : 1;

  AdwWindowTitle     *window_title;
  GtkSearchEntry     *search_entry;
  GtkStack           *stack;
  GtkListView        *list_view;
  GtkLabel           *count_label;
  AdwStatusPage      *no_match_page;
};

enum {
  PROP_0,
  PROP_FOLDED,
  PROP_LOADING,
  PROP_N_MATCHES,
  PROP_SEARCH_TEXT,
  N_PROPS
};

enum {
  PATIENT_ACTIVATED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (CrPatientSidebar, cr_patient_sidebar, ADW_TYPE_BIN)

typedef struct
{
  CrStore *store;
  char    *text;
} SearchData;

typedef struct
{
  GPtrArray *patients;
  gint64     total;   /* every patient, for an empty query; -1 otherwise */
} SearchResult;

static void
search_data_free (SearchData *data)
{
  g_clear_object (&data->store);
  g_free (data->text);
  g_free (data);
}

static void
search_result_free (SearchResult *result)
{
  g_clear_pointer (&result->patients, g_ptr_array_unref);
  g_free (result);
}

static void
search_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  SearchData *data = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = NULL;
  SearchResult *result;
  gint64 total = -1;

  found = cr_store_search_patients (data->store, data->text, 0, MAX_RESULTS + 1,
                                    cancellable, &error);
  if (found == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (*data->text == '\0')
    {
      total = cr_store_count_patients (data->store, &error);
      if (total < 0)
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
    }

  result = g_new0 (SearchResult, 1);
  result->patients = g_steal_pointer (&found);
  result->total = total;
  g_task_return_pointer (task, result, (GDestroyNotify) search_result_free);
}

static void
sync_selection (CrPatientSidebar *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->patients));
  guint position = GTK_INVALID_LIST_POSITION;

  for (guint i = 0; i < n && self->current_id > 0; i++)
    {
      g_autoptr(CrPatient) patient = g_list_model_get_item (G_LIST_MODEL (self->patients), i);

      if (cr_patient_get_id (patient) == self->current_id)
        {
          position = i;
          break;
        }
    }

  self->syncing_selection = TRUE;
  gtk_single_selection_set_selected (self->selection, position);
  self->syncing_selection = FALSE;
}

static void
update_state (CrPatientSidebar *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->patients));
  const char *text = self->shown_text ? self->shown_text : "";

  if (n == 0 && *text != '\0')
    {
      g_autofree char *title = NULL;

      /* Translators: %s is what was typed in the search entry */
      title = g_strdup_printf (_("No patients match “%s”"), text);
      adw_status_page_set_title (self->no_match_page, title);
      gtk_stack_set_visible_child_name (self->stack, "no-match");
    }
  else if (n == 0)
    gtk_stack_set_visible_child_name (self->stack, "no-patients");
  else
    gtk_stack_set_visible_child_name (self->stack, "list");

  gtk_widget_set_visible (GTK_WIDGET (self->count_label), n > 0);
  if (self->more)
    {
      g_autofree char *label =
        g_strdup_printf (_("More than %u patients match: keep typing to narrow the list"),
                         MAX_RESULTS);
      gtk_label_set_label (self->count_label, label);
    }
  else
    {
      g_autofree char *label =
        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u patient", "%u patients",
                                      self->n_matches),
                         self->n_matches);
      gtk_label_set_label (self->count_label, label);
    }
}

static void open_first (CrPatientSidebar *self);

static void
search_done (GObject      *source,
             GAsyncResult *res,
             gpointer      user_data)
{
  CrPatientSidebar *self = CR_PATIENT_SIDEBAR (source);
  GTask *task = G_TASK (res);
  g_autoptr(GError) error = NULL;
  SearchResult *result;
  const char *text = ((SearchData *) g_task_get_task_data (task))->text;
  guint n_before, n_shown;

  result = g_task_propagate_pointer (task, &error);
  if (result == NULL)
    {
      /* A newer keystroke took over: its own query will report. */
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_warning ("Searching patients failed: %s", error->message);
    }

  if (g_task_get_cancellable (task) != self->search_cancellable)
    {
      g_clear_pointer (&result, search_result_free);
      return;
    }

  g_clear_object (&self->search_cancellable);
  g_clear_pointer (&self->pending_text, g_free);
  g_free (self->shown_text);
  self->shown_text = g_strdup (text);

  n_before = g_list_model_get_n_items (G_LIST_MODEL (self->patients));
  if (result != NULL)
    {
      self->more = result->patients->len > MAX_RESULTS;
      n_shown = MIN (result->patients->len, MAX_RESULTS);
      self->n_matches = result->total >= 0 ? (guint) result->total : n_shown;
      self->syncing_selection = TRUE;
      g_list_store_splice (self->patients, 0, n_before, result->patients->pdata, n_shown);
      self->syncing_selection = FALSE;
      search_result_free (result);
    }
  else
    {
      self->more = FALSE;
      self->n_matches = 0;
      self->syncing_selection = TRUE;
      g_list_store_remove_all (self->patients);
      self->syncing_selection = FALSE;
    }

  sync_selection (self);
  update_state (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_MATCHES]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SEARCH_TEXT]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);

  if (self->open_first_when_done)
    open_first (self);
}

static void
start_search (CrPatientSidebar *self,
              const char       *text)
{
  g_autoptr(GTask) task = NULL;
  SearchData *data;
  gboolean was_loading = self->search_cancellable != NULL;

  if (self->store == NULL)
    return;

  /* A newer keystroke makes the older query useless. */
  g_cancellable_cancel (self->search_cancellable);
  g_clear_object (&self->search_cancellable);
  self->search_cancellable = g_cancellable_new ();
  g_free (self->pending_text);
  self->pending_text = g_strdup (text);

  data = g_new0 (SearchData, 1);
  data->store = g_object_ref (self->store);
  data->text = g_strdup (text);

  task = g_task_new (self, self->search_cancellable, search_done, NULL);
  g_task_set_source_tag (task, start_search);
  g_task_set_task_data (task, data, (GDestroyNotify) search_data_free);
  g_task_run_in_thread (task, search_thread);

  if (!was_loading)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
on_search_changed (CrPatientSidebar *self,
                   GtkSearchEntry   *entry)
{
  start_search (self, gtk_editable_get_text (GTK_EDITABLE (entry)));
}

static void
open_first (CrPatientSidebar *self)
{
  g_autoptr(CrPatient) first = NULL;

  self->open_first_when_done = FALSE;
  if (g_list_model_get_n_items (G_LIST_MODEL (self->patients)) == 0)
    return;
  first = g_list_model_get_item (G_LIST_MODEL (self->patients), 0);
  g_signal_emit (self, signals[PATIENT_ACTIVATED], 0, first);
}

static void
on_search_activate (CrPatientSidebar *self,
                    GtkSearchEntry   *entry)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));

  /* Enter opens the first match, even while its query is still running. */
  if (self->pending_text != NULL && g_strcmp0 (self->pending_text, text) == 0)
    self->open_first_when_done = TRUE;
  else if (self->store == NULL ||
           (self->pending_text == NULL && g_strcmp0 (self->shown_text, text) == 0))
    open_first (self);
  else
    {
      self->open_first_when_done = TRUE;
      start_search (self, text);
    }
}

static void
on_stop_search (CrPatientSidebar *self,
                GtkSearchEntry   *entry)
{
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
}

static gboolean
on_search_key_pressed (CrPatientSidebar      *self,
                       guint                  keyval,
                       guint                  keycode,
                       GdkModifierType        state,
                       GtkEventControllerKey *controller)
{
  if ((keyval == GDK_KEY_Down || keyval == GDK_KEY_KP_Down) &&
      g_list_model_get_n_items (G_LIST_MODEL (self->patients)) > 0)
    {
      guint position = gtk_single_selection_get_selected (self->selection);

      if (position == GTK_INVALID_LIST_POSITION)
        position = 0;
      gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", position);
      gtk_widget_grab_focus (GTK_WIDGET (self->list_view));
      if (gtk_single_selection_get_selected (self->selection) != position)
        gtk_single_selection_set_selected (self->selection, position);
      return GDK_EVENT_STOP;
    }
  return GDK_EVENT_PROPAGATE;
}

static void
on_selected_changed (CrPatientSidebar   *self,
                     GParamSpec         *pspec,
                     GtkSingleSelection *selection)
{
  CrPatient *patient;

  if (self->syncing_selection)
    return;
  patient = gtk_single_selection_get_selected_item (selection);
  if (patient != NULL)
    g_signal_emit (self, signals[PATIENT_ACTIVATED], 0, patient);
}

static void
on_list_activate (CrPatientSidebar *self,
                  guint             position,
                  GtkListView      *list_view)
{
  g_autoptr(CrPatient) patient = g_list_model_get_item (G_LIST_MODEL (self->patients), position);

  if (patient != NULL)
    g_signal_emit (self, signals[PATIENT_ACTIVATED], 0, patient);
}

static void
setup_row (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           gpointer                  user_data)
{
  gtk_list_item_set_child (item, cr_patient_row_new ());
}

static void
bind_row (GtkSignalListItemFactory *factory,
          GtkListItem              *item,
          gpointer                  user_data)
{
  CrPatientRow *row = CR_PATIENT_ROW (gtk_list_item_get_child (item));
  CrPatient *patient = gtk_list_item_get_item (item);
  g_autofree char *name = cr_patient_dup_display_name (patient);

  cr_patient_row_set_patient (row, patient);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                  -1);
}

static void
unbind_row (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            gpointer                  user_data)
{
  cr_patient_row_set_patient (CR_PATIENT_ROW (gtk_list_item_get_child (item)), NULL);
}

static void
cr_patient_sidebar_dispose (GObject *object)
{
  CrPatientSidebar *self = (CrPatientSidebar *)object;

  g_cancellable_cancel (self->search_cancellable);
  g_clear_object (&self->search_cancellable);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (cr_patient_sidebar_parent_class)->dispose (object);
}

static void
cr_patient_sidebar_finalize (GObject *object)
{
  CrPatientSidebar *self = (CrPatientSidebar *)object;

  g_clear_object (&self->patients);
  g_clear_object (&self->selection);
  g_free (self->pending_text);
  g_free (self->shown_text);

  G_OBJECT_CLASS (cr_patient_sidebar_parent_class)->finalize (object);
}

static void
cr_patient_sidebar_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  CrPatientSidebar *self = CR_PATIENT_SIDEBAR (object);

  switch (prop_id)
    {
    case PROP_FOLDED:
      g_value_set_boolean (value, self->folded);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, cr_patient_sidebar_get_loading (self));
      break;
    case PROP_N_MATCHES:
      g_value_set_uint (value, self->n_matches);
      break;
    case PROP_SEARCH_TEXT:
      g_value_set_string (value, self->shown_text);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cr_patient_sidebar_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  CrPatientSidebar *self = CR_PATIENT_SIDEBAR (object);

  switch (prop_id)
    {
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
cr_patient_sidebar_class_init (CrPatientSidebarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cr_patient_sidebar_dispose;
  object_class->finalize = cr_patient_sidebar_finalize;
  object_class->get_property = cr_patient_sidebar_get_property;
  object_class->set_property = cr_patient_sidebar_set_property;

  /* TRUE when the sidebar fills the window alone: it then shows the
   * window's close button itself. */
  properties[PROP_FOLDED] =
    g_param_spec_boolean ("folded", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_MATCHES] =
    g_param_spec_uint ("n-matches", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SEARCH_TEXT] =
    g_param_spec_string ("search-text", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CrPatientSidebar::patient-activated:
   * @patient: the patient whose chart to open
   */
  signals[PATIENT_ACTIVATED] =
    g_signal_new ("patient-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, CR_TYPE_PATIENT);

  g_type_ensure (CR_TYPE_PATIENT_ROW);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/chartroom/Chartroom/cr-patient-sidebar.ui");
  gtk_widget_class_bind_template_child (widget_class, CrPatientSidebar, window_title);
  gtk_widget_class_bind_template_child (widget_class, CrPatientSidebar, search_entry);
  gtk_widget_class_bind_template_child (widget_class, CrPatientSidebar, stack);
  gtk_widget_class_bind_template_child (widget_class, CrPatientSidebar, list_view);
  gtk_widget_class_bind_template_child (widget_class, CrPatientSidebar, count_label);
  gtk_widget_class_bind_template_child (widget_class, CrPatientSidebar, no_match_page);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_search_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_stop_search);
  gtk_widget_class_bind_template_callback (widget_class, on_search_key_pressed);
  gtk_widget_class_bind_template_callback (widget_class, on_list_activate);
}

static void
cr_patient_sidebar_init (CrPatientSidebar *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  self->patients = g_list_store_new (CR_TYPE_PATIENT);
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->patients)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  g_signal_connect_object (self->selection, "notify::selected",
                           G_CALLBACK (on_selected_changed), self, G_CONNECT_SWAPPED);

  g_signal_connect (factory, "setup", G_CALLBACK (setup_row), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row), NULL);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_row), NULL);
  gtk_list_view_set_factory (self->list_view, factory);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));

  /* Typing anywhere in the sidebar goes to the search. */
  gtk_search_entry_set_key_capture_widget (self->search_entry, GTK_WIDGET (self));
  gtk_search_entry_set_search_delay (self->search_entry, 100);

  update_state (self);
}

GtkWidget *
cr_patient_sidebar_new (void)
{
  return g_object_new (CR_TYPE_PATIENT_SIDEBAR, NULL);
}

/**
 * cr_patient_sidebar_set_store:
 * @store: (nullable): the open practice
 */
void
cr_patient_sidebar_set_store (CrPatientSidebar *self,
                              CrStore          *store)
{
  g_return_if_fail (CR_IS_PATIENT_SIDEBAR (self));
  g_return_if_fail (store == NULL || CR_IS_STORE (store));

  if (!g_set_object (&self->store, store))
    return;

  g_cancellable_cancel (self->search_cancellable);
  g_clear_object (&self->search_cancellable);
  g_clear_pointer (&self->pending_text, g_free);
  g_clear_pointer (&self->shown_text, g_free);
  self->current_id = 0;
  self->n_matches = 0;
  self->more = FALSE;
  self->syncing_selection = TRUE;
  g_list_store_remove_all (self->patients);
  self->syncing_selection = FALSE;

  if (store != NULL)
    {
      g_autofree char *practice = cr_store_dup_practice_name (store);

      adw_window_title_set_subtitle (self->window_title, practice);
      cr_patient_sidebar_refresh (self);
    }
  else
    {
      adw_window_title_set_subtitle (self->window_title, NULL);
      update_state (self);
    }
}

/**
 * cr_patient_sidebar_refresh:
 *
 * Runs the current search again, after a patient was added or changed.
 */
void
cr_patient_sidebar_refresh (CrPatientSidebar *self)
{
  g_return_if_fail (CR_IS_PATIENT_SIDEBAR (self));

  start_search (self, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
}

void
cr_patient_sidebar_focus_search (CrPatientSidebar *self)
{
  g_return_if_fail (CR_IS_PATIENT_SIDEBAR (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
  gtk_editable_select_region (GTK_EDITABLE (self->search_entry), 0, -1);
}

/**
 * cr_patient_sidebar_set_current:
 * @patient: (nullable): the patient whose chart is open
 *
 * Highlights that patient's row, without opening it again.
 */
void
cr_patient_sidebar_set_current (CrPatientSidebar *self,
                                CrPatient        *patient)
{
  g_return_if_fail (CR_IS_PATIENT_SIDEBAR (self));

  self->current_id = patient ? cr_patient_get_id (patient) : 0;
  sync_selection (self);
}

/**
 * cr_patient_sidebar_get_model:
 *
 * Returns: (transfer none): the patients the list shows (#CrPatient)
 */
GListModel *
cr_patient_sidebar_get_model (CrPatientSidebar *self)
{
  g_return_val_if_fail (CR_IS_PATIENT_SIDEBAR (self), NULL);
  return G_LIST_MODEL (self->patients);
}

/**
 * cr_patient_sidebar_get_search_entry:
 *
 * Returns: (transfer none): the search entry
 */
GtkEditable *
cr_patient_sidebar_get_search_entry (CrPatientSidebar *self)
{
  g_return_val_if_fail (CR_IS_PATIENT_SIDEBAR (self), NULL);
  return GTK_EDITABLE (self->search_entry);
}

/**
 * cr_patient_sidebar_get_search_text:
 *
 * Returns: (nullable): the query whose results the list shows
 */
const char *
cr_patient_sidebar_get_search_text (CrPatientSidebar *self)
{
  g_return_val_if_fail (CR_IS_PATIENT_SIDEBAR (self), NULL);
  return self->shown_text;
}

gboolean
cr_patient_sidebar_get_loading (CrPatientSidebar *self)
{
  g_return_val_if_fail (CR_IS_PATIENT_SIDEBAR (self), FALSE);
  return self->search_cancellable != NULL;
}

guint
cr_patient_sidebar_get_n_matches (CrPatientSidebar *self)
{
  g_return_val_if_fail (CR_IS_PATIENT_SIDEBAR (self), 0);
  return self->n_matches;
}
