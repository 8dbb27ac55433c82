/* cr-application.c: the application: command line, app actions, windows
 *
 *   chartroom [--demo] [FILE]
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cr-application"

#include "config.h"

#include <glib/gi18n.h>

#include "chartroom-resources.h"
#include "cr-application.h"
#include "cr-preferences-window.h"
#include "cr-window.h"

struct _CrApplication
{
  AdwApplication parent_instance;
};

G_DEFINE_FINAL_TYPE (CrApplication, cr_application, ADW_TYPE_APPLICATION)

static CrWindow *
get_active_window (CrApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  /* From a dialog (preferences, about…), the window it belongs to. */
  while (window != NULL && !CR_IS_WINDOW (window))
    window = gtk_window_get_transient_for (window);
  return window != NULL ? CR_WINDOW (window) : NULL;
}

/* app.preferences and app.close-practice need an open practice. */
static void
update_actions (CrApplication *self)
{
  CrWindow *window = get_active_window (self);
  gboolean has_store = window != NULL && cr_window_get_store (window) != NULL;
  GAction *action;

  action = g_action_map_lookup_action (G_ACTION_MAP (self), "preferences");
  g_simple_action_set_enabled (G_SIMPLE_ACTION (action), has_store);
  action = g_action_map_lookup_action (G_ACTION_MAP (self), "close-practice");
  g_simple_action_set_enabled (G_SIMPLE_ACTION (action), has_store);
}

static CrWindow *
ensure_window (CrApplication *self,
               gboolean      *created)
{
  CrWindow *window = get_active_window (self);

  *created = window == NULL;
  if (window == NULL)
    {
      window = cr_window_new (GTK_APPLICATION (self));
      g_signal_connect_object (window, "notify::store", G_CALLBACK (update_actions), self,
                               G_CONNECT_SWAPPED);
    }
  return window;
}

static void
cr_application_activate (GApplication *app)
{
  CrApplication *self = CR_APPLICATION (app);
  gboolean created;
  CrWindow *window = ensure_window (self, &created);

  if (created)
    cr_window_start (window);
  gtk_window_present (GTK_WINDOW (window));
}

static int
cr_application_command_line (GApplication            *app,
                             GApplicationCommandLine *command_line)
{
  CrApplication *self = CR_APPLICATION (app);
  GVariantDict *options = g_application_command_line_get_options_dict (command_line);
  g_autofree const char **files = NULL;
  g_autofree char *key_file = NULL;
  g_autoptr(CrKey) key = NULL;
  gboolean demo = FALSE;
  gboolean quit_when_ready = FALSE;
  gboolean created;
  CrWindow *window;

  g_variant_dict_lookup (options, "demo", "b", &demo);
  g_variant_dict_lookup (options, "key-file", "^ay", &key_file);
  g_variant_dict_lookup (options, "quit-when-ready", "b", &quit_when_ready);
  g_variant_dict_lookup (options, G_OPTION_REMAINING, "^a&ay", &files);

  if (files != NULL && g_strv_length ((char **) files) > 1)
    {
      g_application_command_line_printerr (command_line, "%s\n",
                                           _("Give at most one practice to open"));
      return 2;
    }
  if (demo && files != NULL && files[0] != NULL)
    {
      g_application_command_line_printerr (command_line, "%s\n",
                                           _("--demo opens the demo practice: give no file "
                                             "with it"));
      return 2;
    }

  if (key_file != NULL)
    {
      g_autoptr(GError) error = NULL;

      if (files == NULL || files[0] == NULL)
        {
          g_application_command_line_printerr (command_line, "%s\n",
                                               _("--key-file needs the practice to open"));
          return 2;
        }
      /* Refused when others can read it, as chartroom-cli does. */
      key = cr_key_new_from_key_file (key_file, &error);
      if (key == NULL)
        {
          g_application_command_line_printerr (command_line, "%s\n", error->message);
          return 1;
        }
    }

  window = ensure_window (self, &created);
  cr_window_set_quit_when_ready (window, quit_when_ready);
  if (demo)
    cr_window_open_demo (window);
  else if (key != NULL)
    {
      g_autoptr(GFile) file = g_application_command_line_create_file_for_arg (command_line,
                                                                               files[0]);
      g_autofree char *path = g_file_get_path (file);

      cr_window_open_practice_with_key (window, path, key);
    }
  else if (files != NULL && files[0] != NULL)
    {
      g_autoptr(GFile) file = g_application_command_line_create_file_for_arg (command_line,
                                                                               files[0]);
      g_autofree char *path = g_file_get_path (file);

      if (path != NULL)
        cr_window_open_practice (window, path);
      else
        cr_window_start (window);
    }
  else if (created)
    cr_window_start (window);

  gtk_window_present (GTK_WINDOW (window));
  return 0;
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  CrApplication *self = user_data;
  g_autoptr(GList) windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));

  /* Each window closes its practice cleanly on close-request. */
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (GTK_WINDOW (l->data));
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  CrApplication *self = user_data;
  static const char *developers[] = { "The Chartroom authors", NULL };
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));

  adw_show_about_window (parent,
                         "application-name", _("Chartroom"),
                         "application-icon", APPLICATION_ID,
                         "developer-name", _("The Chartroom authors"),
                         "version", PACKAGE_VERSION,
                         "website", "https://github.com/chartroom/chartroom",
                         "issue-url", "https://github.com/chartroom/chartroom/issues",
                         "comments", _("Keep your practice’s patient charts, visits and "
                                       "prescriptions in an encrypted database."),
                         "copyright", "© 2026 The Chartroom authors",
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "developers", developers,
                         /* Translators: your names, one a line */
                         "translator-credits", _("translator-credits"),
                         NULL);
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  CrApplication *self = user_data;
  CrWindow *window = get_active_window (self);
  GtkWidget *preferences;

  if (window == NULL || cr_window_get_store (window) == NULL)
    return;

  preferences = cr_preferences_window_new (GTK_WINDOW (window), cr_window_get_store (window));
  gtk_window_present (GTK_WINDOW (preferences));
}

static void
shortcuts_action (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  CrWindow *window = get_active_window (CR_APPLICATION (user_data));

  /* CrWindow builds its shortcuts window on first use. */
  if (window != NULL)
    gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL);
}

static void
close_practice_action (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  CrWindow *window = get_active_window (CR_APPLICATION (user_data));

  if (window != NULL)
    cr_window_close_practice (window);
}

static const GActionEntry app_actions[] = {
  { .name = "quit", .activate = quit_action },
  { .name = "about", .activate = about_action },
  { .name = "preferences", .activate = preferences_action },
  { .name = "shortcuts", .activate = shortcuts_action },
  { .name = "close-practice", .activate = close_practice_action },
};

static void
cr_application_startup (GApplication *app)
{
  CrApplication *self = CR_APPLICATION (app);
  static const char *quit_accels[] = { "<Primary>q", NULL };
  static const char *preferences_accels[] = { "<Primary>comma", NULL };
  /* As GtkApplication sets them for a gtk/help-overlay.ui, which Chartroom
   * builds on first use instead (cr-window.c). */
  static const char *help_overlay_accels[] = { "<Primary>question", "<Primary>F1", NULL };

  G_APPLICATION_CLASS (cr_application_parent_class)->startup (app);

  /* Dark style follows the system's preference. */
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_DEFAULT);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences",
                                         preferences_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.show-help-overlay",
                                         help_overlay_accels);
  update_actions (self);

  g_signal_connect_object (self, "notify::active-window", G_CALLBACK (update_actions), self,
                           G_CONNECT_SWAPPED);
}

static void
cr_application_class_init (CrApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  app_class->activate = cr_application_activate;
  app_class->command_line = cr_application_command_line;
  app_class->startup = cr_application_startup;
}

static void
cr_application_init (CrApplication *self)
{
  static const GOptionEntry entries[] = {
    { "demo", 0, 0, G_OPTION_ARG_NONE, NULL,
      N_("Open the demo practice, with invented patients"), NULL },
    { "key-file", 0, 0, G_OPTION_ARG_FILENAME, NULL,
      N_("Open FILE with the key in this file instead of the keyring (for automation)"),
      N_("KEYFILE") },
    { "quit-when-ready", 0, 0, G_OPTION_ARG_NONE, NULL,
      N_("Quit once the practice is open and shown (for benchmarks)"), NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, NULL, NULL, N_("[FILE]") },
    { NULL }
  };

  (void) chartroom_get_resource ();
  g_application_add_main_option_entries (G_APPLICATION (self), entries);
  g_application_set_option_context_parameter_string (G_APPLICATION (self), _("[FILE]"));
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Open a practice, or the demo practice."));
}

CrApplication *
cr_application_new (void)
{
  return g_object_new (CR_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", G_APPLICATION_HANDLES_COMMAND_LINE,
                       "resource-base-path", "/io/github/chartroom/Chartroom",
                       NULL);
}
