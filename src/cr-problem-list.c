/* cr-problem-list.c: a chart's problem list and allergies
 *
 * Problems and allergies are added in small dialogs; a problem can be
 * resolved; either can be marked entered in error (after a confirmation
 * that asks why), which hides it from the lists but keeps it on the
 * record. Every change emits ::changed; refusals go out as ::toast.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cr-problem-list"

#include "config.h"

#include <glib/gi18n.h>

#include "cr-allergy-editor.h"
#include "cr-chart-format.h"
#include "cr-problem-editor.h"
#include "cr-problem-list.h"

struct _CrProblemList
{
  AdwBin      parent_instance;

  CrStore    *store;
  gint64      patient_id;
  GListModel *active;
  GListModel *resolved;
  GListModel *allergies;

  GtkListBox *active_list;
  GtkListBox *allergies_list;
  GtkListBox *resolved_list;
};

enum {
  CHANGED,
  TOAST,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (CrProblemList, cr_problem_list, ADW_TYPE_BIN)

static gpointer
find_item (GListModel *model,
           gint64      id)
{
  guint n = model ? g_list_model_get_n_items (model) : 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (model, i);
      gint64 item_id = CR_IS_PROBLEM (item) ? cr_problem_get_id (CR_PROBLEM (item))
                                            : cr_allergy_get_id (CR_ALLERGY (item));

      if (item_id == id)
        return g_steal_pointer (&item);
    }
  return NULL;
}

static GtkWidget *
more_button_new (const char *action,
                 gint64      id,
                 const char *what)
{
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GMenuItem) item = g_menu_item_new (_("Mark Entered in _Error…"), NULL);
  GtkWidget *button = gtk_menu_button_new ();
  g_autofree char *tip = NULL;

  g_menu_item_set_action_and_target_value (item, action, g_variant_new_int64 (id));
  g_menu_append_item (menu, item);
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (button), G_MENU_MODEL (menu));
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (button), "view-more-symbolic");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  /* Translators: %s is a problem or an allergy */
  tip = g_strdup_printf (_("More for %s"), what);
  gtk_widget_set_tooltip_text (button, tip);
  return button;
}

static GtkWidget *
create_active_row (gpointer item,
                   gpointer user_data)
{
  CrProblem *problem = item;
  GtkWidget *row = _cr_chart_problem_row_new (problem);
  GtkWidget *resolve = gtk_button_new_with_mnemonic (_("Re_solve"));
  g_autofree char *tip = NULL;

  /* Translators: %s is a problem, "E11.9 Type 2 diabetes…" */
  tip = g_strdup_printf (_("Mark %s resolved today"), cr_problem_get_display (problem));
  gtk_widget_set_tooltip_text (resolve, tip);
  gtk_widget_set_valign (resolve, GTK_ALIGN_CENTER);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (resolve), "problems.resolve");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (resolve), "x", cr_problem_get_id (problem));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), resolve);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                             more_button_new ("problems.entered-in-error",
                                              cr_problem_get_id (problem),
                                              cr_problem_get_display (problem)));
  return row;
}

static GtkWidget *
create_resolved_row (gpointer item,
                     gpointer user_data)
{
  CrProblem *problem = item;
  GtkWidget *row = _cr_chart_problem_row_new (problem);

  adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                             more_button_new ("problems.entered-in-error",
                                              cr_problem_get_id (problem),
                                              cr_problem_get_display (problem)));
  return row;
}

static GtkWidget *
create_allergy_row (gpointer item,
                    gpointer user_data)
{
  CrAllergy *allergy = item;
  GtkWidget *row = _cr_chart_allergy_row_new (allergy);

  adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                             more_button_new ("allergies.entered-in-error",
                                              cr_allergy_get_id (allergy),
                                              cr_allergy_get_substance (allergy)));
  return row;
}

static void
toast (CrProblemList *self,
       const char    *text)
{
  g_signal_emit (self, signals[TOAST], 0, text);
}

static void
on_saved (CrProblemList *self,
          const char    *message)
{
  toast (self, message);
  g_signal_emit (self, signals[CHANGED], 0);
}

static GtkWindow *
parent_window (CrProblemList *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

static void
problems_add (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  CrProblemList *self = CR_PROBLEM_LIST (widget);
  GtkWidget *editor;

  if (self->store == NULL)
    return;
  editor = cr_problem_editor_new (parent_window (self), self->store, self->patient_id);
  g_signal_connect_object (editor, "saved", G_CALLBACK (on_saved), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (editor));
}

static void
allergies_add (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CrProblemList *self = CR_PROBLEM_LIST (widget);
  GtkWidget *editor;

  if (self->store == NULL)
    return;
  editor = cr_allergy_editor_new (parent_window (self), self->store, self->patient_id);
  g_signal_connect_object (editor, "saved", G_CALLBACK (on_saved), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (editor));
}

static void
problems_resolve (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  CrProblemList *self = CR_PROBLEM_LIST (widget);
  g_autoptr(CrProblem) problem = find_item (self->active, g_variant_get_int64 (parameter));
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  if (problem == NULL || self->store == NULL)
    return;
  if (!cr_store_resolve_problem (self->store, cr_problem_get_id (problem), NULL, &error))
    {
      /* Translators: a problem, then why it could not be resolved */
      text = g_strdup_printf (_("Could not resolve %s: %s"), cr_problem_get_display (problem),
                              error->message);
      toast (self, text);
      return;
    }
  /* Translators: %s is a problem */
  text = g_strdup_printf (_("Resolved %s"), cr_problem_get_display (problem));
  on_saved (self, text);
}

static void show_error_dialog (CrProblemList  *self,
                               CrClinicalKind  kind,
                               gint64          id,
                               const char     *what,
                               const char     *reason,
                               const char     *problem);

static void
on_error_response (AdwMessageDialog *dialog,
                   const char       *response,
                   CrProblemList    *self)
{
  CrClinicalKind kind = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "cr-kind"));
  gint64 id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (dialog), "cr-id"));
  const char *what = g_object_get_data (G_OBJECT (dialog), "cr-what");
  g_autofree char *reason = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "mark") != 0 || self->store == NULL)
    return;

  reason = g_strstrip (g_strdup (_cr_chart_reason_dialog_get_reason (dialog)));
  if (!cr_store_mark_entered_in_error (self->store, kind, id, reason, &error))
    {
      show_error_dialog (self, kind, id, what, reason, error->message);
      return;
    }
  /* Translators: %s is a problem or an allergy */
  text = g_strdup_printf (_("Marked %s entered in error"), what);
  on_saved (self, text);
}

static void
show_error_dialog (CrProblemList  *self,
                   CrClinicalKind  kind,
                   gint64          id,
                   const char     *what,
                   const char     *reason,
                   const char     *problem)
{
  g_autofree char *body = NULL;
  AdwMessageDialog *dialog;

  /* Translators: %s is a problem or an allergy */
  body = g_strdup_printf (_("“%s” will no longer show in the chart. The record keeps it, "
                            "marked as entered in error, with your reason."), what);
  dialog = _cr_chart_reason_dialog_new (GTK_WIDGET (self), _("Mark Entered in Error?"),
                                        problem ? problem : body, "mark",
                                        _("_Mark Entered in Error"), reason);
  g_object_set_data (G_OBJECT (dialog), "cr-kind", GINT_TO_POINTER (kind));
  g_object_set_data (G_OBJECT (dialog), "cr-id", GSIZE_TO_POINTER ((gsize) id));
  g_object_set_data_full (G_OBJECT (dialog), "cr-what", g_strdup (what), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_error_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
problems_entered_in_error (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  CrProblemList *self = CR_PROBLEM_LIST (widget);
  gint64 id = g_variant_get_int64 (parameter);
  g_autoptr(CrProblem) problem = find_item (self->active, id);
  g_autofree char *what = NULL;

  if (problem == NULL)
    problem = find_item (self->resolved, id);
  if (problem == NULL)
    return;
  what = _cr_chart_format_problem (problem);
  show_error_dialog (self, CR_CLINICAL_KIND_PROBLEM, id, what, NULL, NULL);
}

static void
allergies_entered_in_error (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  CrProblemList *self = CR_PROBLEM_LIST (widget);
  gint64 id = g_variant_get_int64 (parameter);
  g_autoptr(CrAllergy) allergy = find_item (self->allergies, id);

  if (allergy != NULL)
    show_error_dialog (self, CR_CLINICAL_KIND_ALLERGY, id, cr_allergy_get_substance (allergy),
                       NULL, NULL);
}

static void
cr_problem_list_dispose (GObject *object)
{
  CrProblemList *self = (CrProblemList *)object;

  g_clear_object (&self->store);
  g_clear_object (&self->active);
  g_clear_object (&self->resolved);
  g_clear_object (&self->allergies);

  G_OBJECT_CLASS (cr_problem_list_parent_class)->dispose (object);
}

static void
cr_problem_list_class_init (CrProblemListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cr_problem_list_dispose;

  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[TOAST] = g_signal_new ("toast", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/chartroom/Chartroom/cr-problem-list.ui");
  gtk_widget_class_bind_template_child (widget_class, CrProblemList, active_list);
  gtk_widget_class_bind_template_child (widget_class, CrProblemList, allergies_list);
  gtk_widget_class_bind_template_child (widget_class, CrProblemList, resolved_list);

  gtk_widget_class_install_action (widget_class, "problems.add", NULL, problems_add);
  gtk_widget_class_install_action (widget_class, "problems.resolve", "x", problems_resolve);
  gtk_widget_class_install_action (widget_class, "problems.entered-in-error", "x",
                                   problems_entered_in_error);
  gtk_widget_class_install_action (widget_class, "allergies.add", NULL, allergies_add);
  gtk_widget_class_install_action (widget_class, "allergies.entered-in-error", "x",
                                   allergies_entered_in_error);
}

static void
cr_problem_list_init (CrProblemList *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_list_box_set_placeholder (self->active_list,
                                _cr_chart_placeholder_new (_("No active problems")));
  gtk_list_box_set_placeholder (self->allergies_list,
                                _cr_chart_placeholder_new (_("No known allergies")));
  gtk_list_box_set_placeholder (self->resolved_list,
                                _cr_chart_placeholder_new (_("No resolved problems")));
}

GtkWidget *
cr_problem_list_new (void)
{
  return g_object_new (CR_TYPE_PROBLEM_LIST, NULL);
}

/**
 * cr_problem_list_set_data:
 * @store: (nullable): the practice
 */
void
cr_problem_list_set_data (CrProblemList *self,
                          CrStore       *store,
                          gint64         patient_id,
                          GListModel    *active,
                          GListModel    *resolved,
                          GListModel    *allergies)
{
  g_return_if_fail (CR_IS_PROBLEM_LIST (self));

  g_set_object (&self->store, store);
  self->patient_id = patient_id;
  g_set_object (&self->active, active);
  g_set_object (&self->resolved, resolved);
  g_set_object (&self->allergies, allergies);
  gtk_list_box_bind_model (self->active_list, active, active ? create_active_row : NULL, NULL, NULL);
  gtk_list_box_bind_model (self->resolved_list, resolved, resolved ? create_resolved_row : NULL,
                           NULL, NULL);
  gtk_list_box_bind_model (self->allergies_list, allergies,
                           allergies ? create_allergy_row : NULL, NULL, NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "problems.add", store != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "allergies.add", store != NULL);
}
