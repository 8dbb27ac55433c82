/* cr-access-history.c: who saw or changed what, and when
 *
 * The audit trail as a table: one patient's entries (the chart's access
 * history) or the whole practice's (the administrator's audit trail, with
 * a Patient column). The core returns the newest 10,000 entries; they and
 * the patients they name are read in a worker thread, the table only
 * builds the rows on screen.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cr-access-history"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "chartroom-resources.h"
#include "cr-access-history.h"
#include "cr-audit.h"
#include "cr-patients.h"

/* cr_store_list_audit() returns at most this many, newest first. */
#define LIST_LIMIT 10000

struct _CrAccessHistory
{
  AdwBin             parent_instance;

  GCancellable      *cancellable;
  GListModel        *entries;         /* CrAuditEntry */
  GHashTable        *patient_labels;  /* patient id → "Family, Given (P000001)" */
  gint64             patient_id;
  gint64             n_entries;

  GtkStack          *stack;
  GtkSpinner        *spinner;
  AdwStatusPage     *empty_page;
  GtkColumnView     *column_view;
  GtkSeparator      *note_separator;
  GtkLabel          *note_label;
  GtkColumnViewColumn *patient_column;
};

enum {
  PROP_0,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (CrAccessHistory, cr_access_history, ADW_TYPE_BIN)

/* ---- what an entry says, in words ---------------------------------------- */

/**
 * cr_access_history_format_when:
 * @at: an entry's UTC time, ISO 8601
 *
 * Returns: (transfer full): the local time as people read it: "Today
 *   14:05", "Mar 3, 2026 09:41"
 */
char *
cr_access_history_format_when (const char *at)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  if (at == NULL)
    return g_strdup ("");
  utc = g_date_time_new_from_iso8601 (at, NULL);
  if (utc == NULL)
    return g_strdup (at);
  local = g_date_time_to_local (utc);

  if (g_date_time_get_year (local) == g_date_time_get_year (now) &&
      g_date_time_get_day_of_year (local) == g_date_time_get_day_of_year (now))
    /* Translators: a time today; see g_date_time_format() */
    return g_date_time_format (local, _("Today %H:%M"));
  /* Translators: a date and time; see g_date_time_format() */
  return g_date_time_format (local, _("%b %-d, %Y %H:%M"));
}

/**
 * cr_access_history_action_label:
 * @action: one of the CR_AUDIT_* actions
 *
 * Returns: (transfer none): the action, translated ("Viewed", "Signed"…)
 */
const char *
cr_access_history_action_label (const char *action)
{
  static const struct { const char *action; const char *label; } labels[] = {
    { CR_AUDIT_VIEW, N_("Viewed") },
    { CR_AUDIT_CREATE, N_("Created") },
    { CR_AUDIT_CHANGE, N_("Changed") },
    { CR_AUDIT_SIGN, N_("Signed") },
    { CR_AUDIT_AMEND, N_("Amended") },
    { CR_AUDIT_EXPORT, N_("Exported") },
    { CR_AUDIT_PRINT, N_("Printed") },
    { CR_AUDIT_IMPORT, N_("Imported") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    if (g_strcmp0 (action, labels[i].action) == 0)
      return _(labels[i].label);
  return action ? action : "";
}

/**
 * cr_access_history_describe_record:
 * @record: (nullable): the entry's record, "table:id"
 * @detail: (nullable): the entry's detail
 *
 * Returns: (transfer full): which record, in words ("Chart", "Visit 12",
 *   "ICD-10-CM code set")
 */
char *
cr_access_history_describe_record (const char *record,
                                   const char *detail)
{
  const char *colon;
  const char *number;
  g_autofree char *table = NULL;

  if (record == NULL || *record == '\0')
    return g_strdup ("");

  if (g_str_has_prefix (record, "patients:"))
    {
      if (g_strcmp0 (detail, "chart") == 0)
        return g_strdup (_("Chart"));
      return g_strdup (_("Patient details"));
    }
  if (g_str_equal (record, "patients"))
    return g_strdup (_("Patients"));
  if (g_str_has_prefix (record, "codes:"))
    {
      if (g_str_equal (record + strlen ("codes:"), "icd10cm"))
        return g_strdup (_("ICD-10-CM code set"));
      return g_strdup (_("Code set"));
    }
  if (g_str_equal (record, "practice"))
    return g_strdup (_("Whole practice"));

  colon = strchr (record, ':');
  if (colon == NULL)
    return g_strdup (record);
  table = g_strndup (record, colon - record);
  number = colon + 1;
  /* Translators: in the following, %s is a record's number in the database */
  if (g_str_equal (table, "visits"))
    return g_strdup_printf (_("Visit %s"), number);
  if (g_str_equal (table, "visit_diagnoses"))
    return g_strdup_printf (_("Diagnosis %s"), number);
  if (g_str_equal (table, "problems"))
    return g_strdup_printf (_("Problem %s"), number);
  if (g_str_equal (table, "allergies"))
    return g_strdup_printf (_("Allergy %s"), number);
  if (g_str_equal (table, "prescriptions"))
    return g_strdup_printf (_("Prescription %s"), number);
  if (g_str_equal (table, "outcomes"))
    return g_strdup_printf (_("Outcome %s"), number);
  if (g_str_equal (table, "follow_ups"))
    return g_strdup_printf (_("Follow-up %s"), number);
  if (g_str_equal (table, "documents"))
    return g_strdup_printf (_("Document %s"), number);
  return g_strdup (record);
}

/* ---- loading --------------------------------------------------------------- */

typedef struct
{
  CrStore    *store;
  gint64      patient_id;
} LoadData;

typedef struct
{
  GListModel *entries;
  GHashTable *patient_labels;
  gint64      n_entries;
} LoadResult;

static void
load_data_free (LoadData *data)
{
  g_clear_object (&data->store);
  g_free (data);
}

static void
load_result_free (LoadResult *result)
{
  g_clear_object (&result->entries);
  g_clear_pointer (&result->patient_labels, g_hash_table_unref);
  g_free (result);
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  LoadData *data = task_data;
  g_autoptr(GError) error = NULL;
  LoadResult *result;
  guint n;

  result = g_new0 (LoadResult, 1);
  result->entries = cr_store_list_audit (data->store, data->patient_id, &error);
  if (result->entries == NULL)
    {
      load_result_free (result);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  n = g_list_model_get_n_items (result->entries);
  result->n_entries = n;
  result->patient_labels = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);

  /* Ids are dense from 1: the newest entry's id is the length of the trail. */
  if (data->patient_id == 0 && n > 0)
    {
      g_autoptr(CrAuditEntry) newest = g_list_model_get_item (result->entries, 0);

      result->n_entries = MAX ((gint64) n, cr_audit_entry_get_id (newest));
    }

  /* The whole trail names each entry's patient. */
  for (guint i = 0; data->patient_id == 0 && i < n; i++)
    {
      g_autoptr(CrAuditEntry) entry = g_list_model_get_item (result->entries, i);
      gint64 id = cr_audit_entry_get_patient_id (entry);
      g_autoptr(CrPatient) patient = NULL;
      g_autoptr(GError) local_error = NULL;
      g_autofree char *name = NULL;

      if (id <= 0 || g_hash_table_contains (result->patient_labels, &id))
        continue;
      if (g_cancellable_is_cancelled (cancellable))
        break;
      patient = cr_store_get_patient (data->store, id, &local_error);
      if (patient == NULL)
        {
          /* Translators: %s is a patient's internal number */
          g_autofree char *num = g_strdup_printf ("%" G_GINT64_FORMAT, id);
          name = g_strdup_printf (_("Patient #%s"), num);
        }
      else
        {
          g_autofree char *display = cr_patient_dup_display_name (patient);
          name = g_strdup_printf ("%s (%s)", display, cr_patient_get_record_number (patient));
        }
      g_hash_table_insert (result->patient_labels, g_memdup2 (&id, sizeof id),
                           g_steal_pointer (&name));
    }

  if (g_task_return_error_if_cancelled (task))
    {
      load_result_free (result);
      return;
    }
  g_task_return_pointer (task, result, (GDestroyNotify) load_result_free);
}

static void
update_note (CrAccessHistory *self)
{
  guint n = self->entries ? g_list_model_get_n_items (self->entries) : 0;
  g_autofree char *count = g_strdup_printf ("%'" G_GINT64_FORMAT, self->n_entries);
  g_autofree char *text = NULL;

  if (n >= LIST_LIMIT && self->n_entries > n)
    {
      g_autofree char *limit = g_strdup_printf ("%'u", (guint) LIST_LIMIT);

      /* Translators: the first %s is 10,000, the second a larger number */
      text = g_strdup_printf (_("Showing the latest %s of %s entries, newest first."), limit, count);
    }
  else if (self->patient_id > 0)
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "%s entry, newest first. Every view, change, signature, export and print of this chart is recorded.",
                                         "%s entries, newest first. Every view, change, signature, export and print of this chart is recorded.",
                                         (gulong) self->n_entries),
                            count);
  else
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "%s entry, newest first.",
                                         "%s entries, newest first.",
                                         (gulong) self->n_entries),
                            count);

  gtk_label_set_label (self->note_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->note_label), n > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->note_separator), n > 0);
}

static void
load_done (GObject      *source,
           GAsyncResult *res,
           gpointer      user_data)
{
  CrAccessHistory *self = CR_ACCESS_HISTORY (source);
  GTask *task = G_TASK (res);
  g_autoptr(GError) error = NULL;
  LoadResult *result;
  GtkSelectionModel *selection;

  result = g_task_propagate_pointer (task, &error);
  if (g_task_get_cancellable (task) != self->cancellable)
    {
      g_clear_pointer (&result, load_result_free);
      return;
    }
  g_clear_object (&self->cancellable);
  gtk_spinner_stop (self->spinner);

  if (result == NULL)
    {
      g_autofree char *description = NULL;

      /* Translators: %s is an error message */
      description = g_strdup_printf (_("The audit trail could not be read: %s"), error->message);
      adw_status_page_set_title (self->empty_page, _("Cannot Show the History"));
      adw_status_page_set_description (self->empty_page, description);
      gtk_stack_set_visible_child_name (self->stack, "empty");
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
      return;
    }

  g_clear_pointer (&self->patient_labels, g_hash_table_unref);
  self->patient_labels = g_steal_pointer (&result->patient_labels);
  g_set_object (&self->entries, result->entries);
  self->n_entries = result->n_entries;
  load_result_free (result);

  selection = GTK_SELECTION_MODEL (gtk_no_selection_new (g_object_ref (self->entries)));
  gtk_column_view_set_model (self->column_view, selection);
  g_object_unref (selection);

  if (g_list_model_get_n_items (self->entries) == 0)
    {
      adw_status_page_set_title (self->empty_page, _("Nothing Recorded Yet"));
      adw_status_page_set_description (self->empty_page, NULL);
      gtk_stack_set_visible_child_name (self->stack, "empty");
    }
  else
    gtk_stack_set_visible_child_name (self->stack, "list");
  update_note (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

/**
 * cr_access_history_load:
 * @store: the practice
 * @patient_id: a patient, or 0 for the whole practice's trail
 *
 * Reads the entries in a worker thread; #CrAccessHistory:loading is %TRUE
 * meanwhile.
 */
void
cr_access_history_load (CrAccessHistory *self,
                        CrStore         *store,
                        gint64           patient_id)
{
  g_autoptr(GTask) task = NULL;
  LoadData *data;

  g_return_if_fail (CR_IS_ACCESS_HISTORY (self));
  g_return_if_fail (CR_IS_STORE (store));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->patient_id = patient_id;

  gtk_column_view_column_set_visible (self->patient_column, patient_id == 0);
  gtk_spinner_start (self->spinner);
  gtk_stack_set_visible_child_name (self->stack, "loading");

  data = g_new0 (LoadData, 1);
  data->store = g_object_ref (store);
  data->patient_id = patient_id;

  task = g_task_new (self, self->cancellable, load_done, NULL);
  g_task_set_source_tag (task, cr_access_history_load);
  g_task_set_task_data (task, data, (GDestroyNotify) load_data_free);
  g_task_run_in_thread (task, load_thread);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

/* ---- columns --------------------------------------------------------------- */

typedef enum
{
  COLUMN_WHEN,
  COLUMN_WHO,
  COLUMN_WHAT,
  COLUMN_RECORD,
  COLUMN_PATIENT,
} Column;

static void
setup_cell (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  if (GPOINTER_TO_INT (g_object_get_data (G_OBJECT (factory), "column")) == COLUMN_WHEN)
    gtk_widget_add_css_class (label, "numeric");
  gtk_list_item_set_child (item, label);
}

static void
bind_cell (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           CrAccessHistory          *self)
{
  CrAuditEntry *entry = gtk_list_item_get_item (item);
  GtkLabel *label = GTK_LABEL (gtk_list_item_get_child (item));
  g_autofree char *text = NULL;

  switch (GPOINTER_TO_INT (g_object_get_data (G_OBJECT (factory), "column")))
    {
    case COLUMN_WHEN:
      text = cr_access_history_format_when (cr_audit_entry_get_at (entry));
      break;
    case COLUMN_WHO:
      text = g_strdup (cr_audit_entry_get_user (entry));
      break;
    case COLUMN_WHAT:
      text = g_strdup (cr_access_history_action_label (cr_audit_entry_get_action (entry)));
      break;
    case COLUMN_RECORD:
      text = cr_access_history_describe_record (cr_audit_entry_get_record (entry),
                                                cr_audit_entry_get_detail (entry));
      break;
    case COLUMN_PATIENT:
      {
        gint64 id = cr_audit_entry_get_patient_id (entry);
        const char *name = NULL;

        if (id > 0 && self->patient_labels != NULL)
          name = g_hash_table_lookup (self->patient_labels, &id);
        /* Practice-wide entries (imports, exports) name no patient. */
        text = g_strdup (name ? name : "—");
      }
      break;
    default:
      g_assert_not_reached ();
    }

  gtk_label_set_label (label, text);
  gtk_widget_set_tooltip_text (GTK_WIDGET (label), text);
}

static GtkColumnViewColumn *
add_column (CrAccessHistory *self,
            Column           column,
            const char      *title,
            int              fixed_width,
            gboolean         expand)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkColumnViewColumn *view_column;

  g_object_set_data (G_OBJECT (factory), "column", GINT_TO_POINTER (column));
  g_signal_connect (factory, "setup", G_CALLBACK (setup_cell), NULL);
  g_signal_connect_object (factory, "bind", G_CALLBACK (bind_cell), self, 0);

  view_column = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_resizable (view_column, TRUE);
  gtk_column_view_column_set_expand (view_column, expand);
  if (fixed_width > 0)
    gtk_column_view_column_set_fixed_width (view_column, fixed_width);
  gtk_column_view_append_column (self->column_view, view_column);
  g_object_unref (view_column);
  return view_column;
}

/* ---- the widget ------------------------------------------------------------ */

static void
cr_access_history_dispose (GObject *object)
{
  CrAccessHistory *self = CR_ACCESS_HISTORY (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), CR_TYPE_ACCESS_HISTORY);
  g_clear_object (&self->entries);
  g_clear_pointer (&self->patient_labels, g_hash_table_unref);

  G_OBJECT_CLASS (cr_access_history_parent_class)->dispose (object);
}

static void
cr_access_history_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  CrAccessHistory *self = CR_ACCESS_HISTORY (object);

  switch (prop_id)
    {
    case PROP_LOADING:
      g_value_set_boolean (value, cr_access_history_get_loading (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cr_access_history_class_init (CrAccessHistoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cr_access_history_dispose;
  object_class->get_property = cr_access_history_get_property;

  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  (void) chartroom_get_resource ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/chartroom/Chartroom/cr-access-history.ui");
  gtk_widget_class_bind_template_child (widget_class, CrAccessHistory, stack);
  gtk_widget_class_bind_template_child (widget_class, CrAccessHistory, spinner);
  gtk_widget_class_bind_template_child (widget_class, CrAccessHistory, empty_page);
  gtk_widget_class_bind_template_child (widget_class, CrAccessHistory, column_view);
  gtk_widget_class_bind_template_child (widget_class, CrAccessHistory, note_separator);
  gtk_widget_class_bind_template_child (widget_class, CrAccessHistory, note_label);
}

static void
cr_access_history_init (CrAccessHistory *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  add_column (self, COLUMN_WHEN, _("When"), 170, FALSE);
  add_column (self, COLUMN_WHO, _("Who"), 110, FALSE);
  add_column (self, COLUMN_WHAT, _("What"), 100, FALSE);
  add_column (self, COLUMN_RECORD, _("Record"), 150, TRUE);
  self->patient_column = add_column (self, COLUMN_PATIENT, _("Patient"), -1, TRUE);
  gtk_column_view_column_set_visible (self->patient_column, FALSE);
  update_note (self);
}

GtkWidget *
cr_access_history_new (void)
{
  return g_object_new (CR_TYPE_ACCESS_HISTORY, NULL);
}

/**
 * cr_access_history_get_model:
 *
 * Returns: (transfer none) (nullable): the entries shown (#CrAuditEntry),
 *   newest first
 */
GListModel *
cr_access_history_get_model (CrAccessHistory *self)
{
  g_return_val_if_fail (CR_IS_ACCESS_HISTORY (self), NULL);
  return self->entries;
}

gboolean
cr_access_history_get_loading (CrAccessHistory *self)
{
  g_return_val_if_fail (CR_IS_ACCESS_HISTORY (self), FALSE);
  return self->cancellable != NULL;
}

/**
 * cr_access_history_get_n_entries:
 *
 * Returns: how many entries the trail holds (more than are shown past
 *   10,000)
 */
gint64
cr_access_history_get_n_entries (CrAccessHistory *self)
{
  g_return_val_if_fail (CR_IS_ACCESS_HISTORY (self), 0);
  return self->n_entries;
}
