/* cr-welcome-page.c: the first page: create, open or try a practice
 *
 * The buttons activate the window's actions (win.create-practice,
 * win.open-practice, win.open-demo); the page only looks after focus.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cr-welcome-page"

#include "config.h"

#include "chartroom-resources.h"
#include "cr-welcome-page.h"

struct _CrWelcomePage
{
  AdwBin     parent_instance;

  GtkWidget *create_button;
  GtkWidget *open_button;
  GtkWidget *demo_button;
};

G_DEFINE_FINAL_TYPE (CrWelcomePage, cr_welcome_page, ADW_TYPE_BIN)

static void
cr_welcome_page_map (GtkWidget *widget)
{
  CrWelcomePage *self = CR_WELCOME_PAGE (widget);
  GtkRoot *root;

  GTK_WIDGET_CLASS (cr_welcome_page_parent_class)->map (widget);

  root = gtk_widget_get_root (widget);
  if (GTK_IS_WINDOW (root))
    gtk_window_set_default_widget (GTK_WINDOW (root), self->create_button);
  gtk_widget_grab_focus (self->create_button);
}

static void
cr_welcome_page_class_init (CrWelcomePageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  widget_class->map = cr_welcome_page_map;

  /* Pulls the resources in from the static library (they register themselves). */
  (void) chartroom_get_resource ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/chartroom/Chartroom/cr-welcome-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CrWelcomePage, create_button);
  gtk_widget_class_bind_template_child (widget_class, CrWelcomePage, open_button);
  gtk_widget_class_bind_template_child (widget_class, CrWelcomePage, demo_button);
}

static void
cr_welcome_page_init (CrWelcomePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
cr_welcome_page_new (void)
{
  return g_object_new (CR_TYPE_WELCOME_PAGE, NULL);
}
