/* cr-unlock-page.c: unlock a practice with its recovery key
 *
 * Shown when the keyring cannot give the practice's key: the page says why
 * and takes the recovery key, typed with or without spaces or dashes, in
 * any case. The window tries the key when ::submit fires.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cr-unlock-page"

#include "config.h"

#include <glib/gi18n.h>

#include "chartroom-resources.h"
#include "cr-unlock-page.h"

struct _CrUnlockPage
{
  AdwBin     parent_instance;

  GtkWidget *title_label;
  GtkWidget *reason_label;
  GtkWidget *path_label;
  GtkWidget *key_row;
  GtkWidget *error_label;
  GtkWidget *other_button;
  GtkWidget *unlock_button;
  GtkWidget *spinner;
};

G_DEFINE_FINAL_TYPE (CrUnlockPage, cr_unlock_page, ADW_TYPE_BIN)

enum {
  SUBMIT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

void
cr_unlock_page_show_error (CrUnlockPage *self,
                           const char   *message)
{
  g_return_if_fail (CR_IS_UNLOCK_PAGE (self));

  gtk_label_set_text (GTK_LABEL (self->error_label), message);
  gtk_widget_set_visible (self->error_label, message != NULL);
  if (message != NULL)
    gtk_widget_add_css_class (self->key_row, "error");
  else
    gtk_widget_remove_css_class (self->key_row, "error");
}

static void
on_changed (CrUnlockPage *self)
{
  cr_unlock_page_show_error (self, NULL);
}

static void
on_unlock_clicked (CrUnlockPage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->key_row));

  if (!gtk_widget_get_sensitive (self->unlock_button))
    return;

  if (*text == '\0')
    {
      cr_unlock_page_show_error (self, _("Enter the recovery key."));
      gtk_widget_grab_focus (self->key_row);
      return;
    }

  g_signal_emit (self, signals[SUBMIT], 0, text);
}

/**
 * cr_unlock_page_setup:
 * @path: the practice database
 * @reason: why the keyring could not unlock it, in a sentence or two
 */
void
cr_unlock_page_setup (CrUnlockPage *self,
                      const char   *path,
                      const char   *reason)
{
  g_autofree char *display = NULL;

  g_return_if_fail (CR_IS_UNLOCK_PAGE (self));

  display = g_filename_display_name (path ? path : "");
  gtk_label_set_text (GTK_LABEL (self->reason_label), reason);
  gtk_label_set_text (GTK_LABEL (self->path_label), display);
  gtk_editable_set_text (GTK_EDITABLE (self->key_row), "");
  cr_unlock_page_show_error (self, NULL);
  cr_unlock_page_set_busy (self, FALSE);
}

void
cr_unlock_page_set_busy (CrUnlockPage *self,
                         gboolean      busy)
{
  g_return_if_fail (CR_IS_UNLOCK_PAGE (self));

  gtk_widget_set_visible (self->spinner, busy);
  gtk_spinner_set_spinning (GTK_SPINNER (self->spinner), busy);
  gtk_widget_set_sensitive (self->unlock_button, !busy);
  /* Not insensitive: a focused entry made insensitive keeps blinking. */
  gtk_editable_set_editable (GTK_EDITABLE (self->key_row), !busy);
}

static void
cr_unlock_page_map (GtkWidget *widget)
{
  CrUnlockPage *self = CR_UNLOCK_PAGE (widget);
  GtkRoot *root;

  GTK_WIDGET_CLASS (cr_unlock_page_parent_class)->map (widget);

  root = gtk_widget_get_root (widget);
  if (GTK_IS_WINDOW (root))
    gtk_window_set_default_widget (GTK_WINDOW (root), self->unlock_button);
  gtk_widget_grab_focus (self->key_row);
}

static void
cr_unlock_page_unmap (GtkWidget *widget)
{
  CrUnlockPage *self = CR_UNLOCK_PAGE (widget);

  /* The recovery key stays on screen no longer than needed. */
  gtk_editable_set_text (GTK_EDITABLE (self->key_row), "");

  GTK_WIDGET_CLASS (cr_unlock_page_parent_class)->unmap (widget);
}

static void
cr_unlock_page_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), CR_TYPE_UNLOCK_PAGE);

  G_OBJECT_CLASS (cr_unlock_page_parent_class)->dispose (object);
}

static void
cr_unlock_page_class_init (CrUnlockPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cr_unlock_page_dispose;
  widget_class->map = cr_unlock_page_map;
  widget_class->unmap = cr_unlock_page_unmap;

  /**
   * CrUnlockPage::submit:
   * @text: the recovery key as typed
   */
  signals[SUBMIT] = g_signal_new ("submit",
                                  G_TYPE_FROM_CLASS (klass),
                                  G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL,
                                  G_TYPE_NONE, 1, G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);

  (void) chartroom_get_resource ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/chartroom/Chartroom/cr-unlock-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CrUnlockPage, title_label);
  gtk_widget_class_bind_template_child (widget_class, CrUnlockPage, reason_label);
  gtk_widget_class_bind_template_child (widget_class, CrUnlockPage, path_label);
  gtk_widget_class_bind_template_child (widget_class, CrUnlockPage, key_row);
  gtk_widget_class_bind_template_child (widget_class, CrUnlockPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, CrUnlockPage, other_button);
  gtk_widget_class_bind_template_child (widget_class, CrUnlockPage, unlock_button);
  gtk_widget_class_bind_template_child (widget_class, CrUnlockPage, spinner);
  gtk_widget_class_bind_template_callback (widget_class, on_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_unlock_clicked);
}

static void
cr_unlock_page_init (CrUnlockPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
cr_unlock_page_new (void)
{
  return g_object_new (CR_TYPE_UNLOCK_PAGE, NULL);
}
