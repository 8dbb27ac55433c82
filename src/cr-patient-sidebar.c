/* cr-patient-sidebar.c: the patient list with its type-ahead search
 *
 * The list is a CrPatientList: each keystroke's search runs in a worker
 * thread and yields every match; rows are read a page at a time as they
 * scroll into view, so any match is reachable and the count is the real
 * one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cr-patient-sidebar"

#include "config.h"

#include <glib/gi18n.h>

#include "cr-patient-list.h"
#include "cr-patient-row.h"
#include "cr-patient-sidebar.h"
#include "cr-patients.h"

/* Where to look for the open patient's row when the list changes: the
 * top of the list, where a search puts the best matches. Further down, the
 * row is selected because it was clicked. */
#define MAX_SELECTION_SCAN 200

struct _CrPatientSidebar
{
  AdwBin              parent_instance;

  CrStore            *store;
  CrPatientList      *patients;       /* every match, paged; NULL without a store */
  GListStore         *empty;          /* the model while no practice is open */
  GtkSingleSelection *selection;
  char               *shown_text;     /* the query the list shows */
  gint64              current_id;
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

static GListModel *
get_patients (CrPatientSidebar *self)
{
  return self->patients ? G_LIST_MODEL (self->patients) : G_LIST_MODEL (self->empty);
}

static void
sync_selection (CrPatientSidebar *self)
{
  GListModel *patients = get_patients (self);
  guint n = g_list_model_get_n_items (patients);
  guint position = GTK_INVALID_LIST_POSITION;
  CrPatient *selected = gtk_single_selection_get_selected_item (self->selection);

  /* Already on its row (it was clicked): nothing to look for. */
  if (selected != NULL && self->current_id > 0 && cr_patient_get_id (selected) == self->current_id)
    return;

  /* Reading a row may page it in: look only where a search puts it. */
  for (guint i = 0; i < MIN (n, MAX_SELECTION_SCAN) && self->current_id > 0; i++)
    {
      g_autoptr(CrPatient) patient = g_list_model_get_item (patients, i);

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
  guint n = g_list_model_get_n_items (get_patients (self));
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
  {
    /* Every match is in the list, however many: the count is the real one,
     * its digits grouped as the locale writes them ("12,345 patients"). */
    g_autofree char *label =
      g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%'u patient", "%'u patients", n), n);
    gtk_label_set_label (self->count_label, label);
  }
}

static void open_first (CrPatientSidebar *self);

/* The list's search finished (or a newer one took over and finished):
 * what the list shows is now the answer to the text it searched. */
static void
on_patients_loading (CrPatientSidebar *self,
                     GParamSpec       *pspec,
                     CrPatientList    *patients)
{
  if (cr_patient_list_get_loading (patients))
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
      return;
    }

  /* A new search shows its best matches: back to the top of the list. */
  if (g_strcmp0 (self->shown_text, cr_patient_list_get_search (patients)) != 0 &&
      g_list_model_get_n_items (G_LIST_MODEL (patients)) > 0)
    gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", 0);

  g_free (self->shown_text);
  self->shown_text = g_strdup (cr_patient_list_get_search (patients));

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
  if (self->patients == NULL)
    return;

  /* A newer keystroke cancels the older query; the list keeps showing the
   * older answer until the new one is ready. */
  cr_patient_list_set_search (self->patients, text);
}

static void
on_search_changed (CrPatientSidebar *self,
                   GtkSearchEntry   *entry)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));

  /* The entry also says "changed" with the same text (once at start-up,
   * 100 ms in): that search is already shown or under way. */
  if (self->patients != NULL &&
      g_strcmp0 (cr_patient_list_get_search (self->patients), text) == 0)
    return;
  start_search (self, text);
}

static void
open_first (CrPatientSidebar *self)
{
  g_autoptr(CrPatient) first = NULL;

  self->open_first_when_done = FALSE;
  if (g_list_model_get_n_items (get_patients (self)) == 0)
    return;
  first = g_list_model_get_item (get_patients (self), 0);
  g_signal_emit (self, signals[PATIENT_ACTIVATED], 0, first);
}

static void
on_search_activate (CrPatientSidebar *self,
                    GtkSearchEntry   *entry)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));

  /* Enter opens the first match, even while its query is still running. */
  if (self->patients != NULL && cr_patient_list_get_loading (self->patients) &&
      g_strcmp0 (cr_patient_list_get_search (self->patients), text) == 0)
    self->open_first_when_done = TRUE;
  else if (self->patients == NULL ||
           (!cr_patient_list_get_loading (self->patients) &&
            g_strcmp0 (self->shown_text, text) == 0))
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
      g_list_model_get_n_items (get_patients (self)) > 0)
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
  /* The list changing under the open patient's row is no new choice. */
  if (patient != NULL && cr_patient_get_id (patient) != self->current_id)
    g_signal_emit (self, signals[PATIENT_ACTIVATED], 0, patient);
}

static void
on_list_activate (CrPatientSidebar *self,
                  guint             position,
                  GtkListView      *list_view)
{
  g_autoptr(CrPatient) patient = g_list_model_get_item (get_patients (self), position);

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

  if (self->patients != NULL)
    g_signal_handlers_disconnect_by_data (self->patients, self);
  g_clear_object (&self->patients);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (cr_patient_sidebar_parent_class)->dispose (object);
}

static void
cr_patient_sidebar_finalize (GObject *object)
{
  CrPatientSidebar *self = (CrPatientSidebar *)object;

  g_clear_object (&self->selection);
  g_clear_object (&self->empty);
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
      g_value_set_uint (value, cr_patient_sidebar_get_n_matches (self));
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

  self->empty = g_list_store_new (CR_TYPE_PATIENT);
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->empty)));
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

  if (self->patients != NULL)
    g_signal_handlers_disconnect_by_data (self->patients, self);
  g_clear_object (&self->patients);
  g_clear_pointer (&self->shown_text, g_free);
  self->current_id = 0;
  self->open_first_when_done = FALSE;

  /* Nothing of the old practice stays on screen. */
  if (store != NULL)
    {
      self->patients = cr_patient_list_new (store);
      /* The best matches on screen within a millisecond or two, the rest
       * (and the count) when found: at start-up, a single letter. */
      cr_patient_list_set_show_first_screenful (self->patients, TRUE);
      g_signal_connect_object (self->patients, "notify::loading",
                               G_CALLBACK (on_patients_loading), self, G_CONNECT_SWAPPED);
    }
  self->syncing_selection = TRUE;
  gtk_single_selection_set_model (self->selection, get_patients (self));
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
  return get_patients (self);
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
  return self->patients != NULL && cr_patient_list_get_loading (self->patients);
}

guint
cr_patient_sidebar_get_n_matches (CrPatientSidebar *self)
{
  g_return_val_if_fail (CR_IS_PATIENT_SIDEBAR (self), 0);
  return self->patients ? cr_patient_list_get_n_matches (self->patients) : 0;
}
