/* cr-visit-history.c: every visit of a chart, newest first
 *
 * The list reads a page of visits at a time (CrVisitPages) and asks for
 * the next one as the user scrolls near the end, so a chart of 500 visits
 * opens as fast as one of five. Activating a visit opens it
 * (main.open-visit with the visit's id).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cr-visit-history"

#include "config.h"

#include <glib/gi18n.h>

#include "cr-visit-history.h"
#include "cr-visit-pages.h"
#include "cr-visit-row.h"

/* About two screens of rows: the first page fills the view at once. */
#define PAGE_SIZE 40

struct _CrVisitHistory
{
  AdwBin          parent_instance;

  CrVisitPages   *pages;

  GtkStack       *stack;
  GtkScrolledWindow *scroller;
  GtkListView    *list_view;
  GtkNoSelection *selection;
  GtkSpinner     *spinner;
  GtkLabel       *error_label;
};

G_DEFINE_FINAL_TYPE (CrVisitHistory, cr_visit_history, ADW_TYPE_BIN)

static void
maybe_load_more (CrVisitHistory *self)
{
  GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (self->scroller);
  double value = gtk_adjustment_get_value (adj);
  double page = gtk_adjustment_get_page_size (adj);
  double upper = gtk_adjustment_get_upper (adj);

  /* Hidden, the list has no size: read on only what can be seen. */
  if (self->pages == NULL || !gtk_widget_get_mapped (GTK_WIDGET (self->list_view)) || page <= 0)
    return;
  /* Within a screen of the end: read ahead before the user gets there. */
  if (value + 2 * page >= upper)
    cr_visit_pages_load_more (self->pages);
}

static void
update_state (CrVisitHistory *self)
{
  const char *error;
  gboolean loading;
  guint n;

  if (self->pages == NULL)
    return;

  error = cr_visit_pages_get_error (self->pages);
  loading = cr_visit_pages_get_loading (self->pages);
  n = g_list_model_get_n_items (G_LIST_MODEL (self->pages));

  gtk_spinner_set_spinning (self->spinner, loading);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), loading && n > 0);
  if (error != NULL)
    {
      gtk_label_set_label (self->error_label, error);
      gtk_stack_set_visible_child_name (self->stack, "error");
    }
  else if (n > 0)
    gtk_stack_set_visible_child_name (self->stack, "list");
  else if (!loading && cr_visit_pages_get_complete (self->pages))
    gtk_stack_set_visible_child_name (self->stack, "empty");
  else
    gtk_stack_set_visible_child_name (self->stack, "loading");
}

static void
on_pages_notify (CrVisitHistory *self)
{
  update_state (self);
  /* A page that does not fill the view calls for the next at once. */
  if (!cr_visit_pages_get_loading (self->pages))
    maybe_load_more (self);
}

static void
setup_row (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           gpointer                  user_data)
{
  gtk_list_item_set_child (item, cr_visit_row_new ());
}

static void
bind_row (GtkSignalListItemFactory *factory,
          GtkListItem              *item,
          gpointer                  user_data)
{
  cr_visit_row_set_visit (CR_VISIT_ROW (gtk_list_item_get_child (item)),
                          gtk_list_item_get_item (item));
}

static void
unbind_row (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            gpointer                  user_data)
{
  cr_visit_row_set_visit (CR_VISIT_ROW (gtk_list_item_get_child (item)), NULL);
}

static void
on_activate (CrVisitHistory *self,
             guint           position)
{
  g_autoptr(CrVisit) visit = NULL;

  if (self->pages == NULL)
    return;
  visit = g_list_model_get_item (G_LIST_MODEL (self->pages), position);
  if (visit != NULL)
    gtk_widget_activate_action (GTK_WIDGET (self), "main.open-visit", "x",
                                cr_visit_get_id (visit));
}

static void
clear_pages (CrVisitHistory *self)
{
  if (self->pages == NULL)
    return;
  g_signal_handlers_disconnect_by_func (self->pages, on_pages_notify, self);
  g_object_run_dispose (G_OBJECT (self->pages)); /* cancels a page being read */
  g_clear_object (&self->pages);
}

static void
cr_visit_history_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (cr_visit_history_parent_class)->map (widget);
  maybe_load_more (CR_VISIT_HISTORY (widget));
}

static void
cr_visit_history_dispose (GObject *object)
{
  CrVisitHistory *self = (CrVisitHistory *)object;

  clear_pages (self);

  G_OBJECT_CLASS (cr_visit_history_parent_class)->dispose (object);
}

static void
cr_visit_history_class_init (CrVisitHistoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cr_visit_history_dispose;
  widget_class->map = cr_visit_history_map;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/chartroom/Chartroom/cr-visit-history.ui");
  gtk_widget_class_bind_template_child (widget_class, CrVisitHistory, stack);
  gtk_widget_class_bind_template_child (widget_class, CrVisitHistory, scroller);
  gtk_widget_class_bind_template_child (widget_class, CrVisitHistory, list_view);
  gtk_widget_class_bind_template_child (widget_class, CrVisitHistory, selection);
  gtk_widget_class_bind_template_child (widget_class, CrVisitHistory, spinner);
  gtk_widget_class_bind_template_child (widget_class, CrVisitHistory, error_label);
  gtk_widget_class_bind_template_callback (widget_class, on_activate);
}

static void
cr_visit_history_init (CrVisitHistory *self)
{
  GtkListItemFactory *factory;
  GtkAdjustment *adj;

  gtk_widget_init_template (GTK_WIDGET (self));

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row), NULL);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_row), NULL);
  gtk_list_view_set_factory (self->list_view, factory);
  g_object_unref (factory);

  adj = gtk_scrolled_window_get_vadjustment (self->scroller);
  g_signal_connect_object (adj, "value-changed", G_CALLBACK (maybe_load_more), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (adj, "changed", G_CALLBACK (maybe_load_more), self,
                           G_CONNECT_SWAPPED);
}

GtkWidget *
cr_visit_history_new (void)
{
  return g_object_new (CR_TYPE_VISIT_HISTORY, NULL);
}

/**
 * cr_visit_history_load:
 * @store: (nullable): the practice, or %NULL to show nothing
 *
 * Shows the patient's visits from the newest, reading again from the
 * store (after a visit was added or signed, say).
 */
void
cr_visit_history_load (CrVisitHistory *self,
                       CrStore        *store,
                       gint64          patient_id)
{
  g_return_if_fail (CR_IS_VISIT_HISTORY (self));
  g_return_if_fail (store == NULL || CR_IS_STORE (store));

  clear_pages (self);
  if (store == NULL || patient_id <= 0)
    {
      gtk_no_selection_set_model (self->selection, NULL);
      gtk_stack_set_visible_child_name (self->stack, "loading");
      return;
    }

  self->pages = cr_visit_pages_new (store, patient_id, PAGE_SIZE);
  g_signal_connect_swapped (self->pages, "notify", G_CALLBACK (on_pages_notify), self);
  gtk_no_selection_set_model (self->selection, G_LIST_MODEL (self->pages));
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scroller), 0);
  cr_visit_pages_load_more (self->pages);
  update_state (self);
}

/**
 * cr_visit_history_get_model:
 *
 * Returns: (transfer none) (nullable): the visits read so far
 */
GListModel *
cr_visit_history_get_model (CrVisitHistory *self)
{
  g_return_val_if_fail (CR_IS_VISIT_HISTORY (self), NULL);
  return self->pages ? G_LIST_MODEL (self->pages) : NULL;
}
