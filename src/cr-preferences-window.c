/* cr-preferences-window.c: the practice's preferences
 *
 * One AdwPreferencesPage per concern. "Practice" shows what the practice
 * is and where it lives; later pages (code sets…) go beside it in the
 * template, each with its own widget class.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cr-preferences-window"

#include "config.h"

#include <glib/gi18n.h>

#include "chartroom-resources.h"
#include "cr-practice.h"
#include "cr-preferences-window.h"

struct _CrPreferencesWindow
{
  AdwPreferencesWindow parent_instance;

  GtkWidget *practice_page;
  GtkWidget *name_row;
  GtkWidget *path_row;
  GtkWidget *key_row;
  GtkWidget *cipher_row;

  CrStore   *store;
};

G_DEFINE_FINAL_TYPE (CrPreferencesWindow, cr_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

enum {
  PROP_0,
  PROP_STORE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
update_practice (CrPreferencesWindow *self)
{
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;
  g_autofree char *cipher = NULL;
  g_autofree char *demo = cr_practice_get_demo_path ();
  const char *key;

  if (self->store == NULL)
    return;

  name = cr_store_dup_practice_name (self->store);
  path = g_filename_display_name (cr_store_get_path (self->store));
  cipher = cr_store_dup_cipher_version (self->store);

  if (g_strcmp0 (cr_store_get_path (self->store), demo) == 0)
    key = _("In a key file beside the demo practice");
  else if (cr_practice_has_passphrase (cr_store_get_path (self->store)))
    key = _("Protected by a passphrase");
  else
    key = _("In this computer’s keyring");

  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->name_row), name ? name : "");
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->path_row), path);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->key_row), key);
  if (cipher != NULL)
    {
      /* Translators: %s is a version number */
      g_autofree char *text = g_strdup_printf (_("SQLCipher %s"), cipher);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (self->cipher_row), text);
    }
}

CrStore *
cr_preferences_window_get_store (CrPreferencesWindow *self)
{
  g_return_val_if_fail (CR_IS_PREFERENCES_WINDOW (self), NULL);
  return self->store;
}

static void
cr_preferences_window_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  CrPreferencesWindow *self = CR_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cr_preferences_window_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  CrPreferencesWindow *self = CR_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_set_object (&self->store, g_value_get_object (value));
      update_practice (self);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cr_preferences_window_dispose (GObject *object)
{
  CrPreferencesWindow *self = CR_PREFERENCES_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), CR_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (cr_preferences_window_parent_class)->dispose (object);
}

static void
cr_preferences_window_class_init (CrPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cr_preferences_window_dispose;
  object_class->get_property = cr_preferences_window_get_property;
  object_class->set_property = cr_preferences_window_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, CR_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                         G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  (void) chartroom_get_resource ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/chartroom/Chartroom/cr-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CrPreferencesWindow, practice_page);
  gtk_widget_class_bind_template_child (widget_class, CrPreferencesWindow, name_row);
  gtk_widget_class_bind_template_child (widget_class, CrPreferencesWindow, path_row);
  gtk_widget_class_bind_template_child (widget_class, CrPreferencesWindow, key_row);
  gtk_widget_class_bind_template_child (widget_class, CrPreferencesWindow, cipher_row);
}

static void
cr_preferences_window_init (CrPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * cr_preferences_window_new:
 * @store: the open practice
 */
GtkWidget *
cr_preferences_window_new (GtkWindow *parent,
                           CrStore   *store)
{
  g_return_val_if_fail (CR_IS_STORE (store), NULL);

  return g_object_new (CR_TYPE_PREFERENCES_WINDOW,
                       "transient-for", parent,
                       "store", store,
                       NULL);
}
