/* cr-create-practice.c: the page that creates a practice
 *
 * Asks for the practice's name and where its database goes, checks both
 * and shows what is wrong beside the fields; the window does the creating
 * when the page emits ::create.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cr-create-practice"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "chartroom-resources.h"
#include "cr-create-practice.h"
#include "cr-practice.h"

struct _CrCreatePractice
{
  AdwBin                parent_instance;

  GtkWidget            *name_row;
  GtkWidget            *location_row;
  GtkWidget            *choose_button;
  GtkWidget            *error_label;
  GtkWidget            *spinner;
  GtkWidget            *create_button;

  GtkFileChooserNative *chooser;
  char                 *path;
};

G_DEFINE_FINAL_TYPE (CrCreatePractice, cr_create_practice, ADW_TYPE_BIN)

enum {
  CREATE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
hide_error (CrCreatePractice *self)
{
  gtk_widget_set_visible (self->error_label, FALSE);
  gtk_widget_remove_css_class (self->name_row, "error");
}

void
cr_create_practice_show_error (CrCreatePractice *self,
                               const char       *message)
{
  g_return_if_fail (CR_IS_CREATE_PRACTICE (self));

  gtk_label_set_text (GTK_LABEL (self->error_label), message);
  gtk_widget_set_visible (self->error_label, message != NULL);
}

static void
on_changed (CrCreatePractice *self)
{
  hide_error (self);
}

/* practice.chartroom, or practice-2.chartroom… when that is taken. */
static char *
suggest_path (void)
{
  g_autofree char *path = cr_store_get_default_path ();
  g_autofree char *dir = g_path_get_dirname (path);

  for (guint i = 2; i < 100 && !cr_practice_check_new_path (path, NULL); i++)
    {
      g_autofree char *name = g_strdup_printf ("practice-%u.chartroom", i);
      g_free (path);
      path = g_build_filename (dir, name, NULL);
    }
  return g_steal_pointer (&path);
}

const char *
cr_create_practice_get_path (CrCreatePractice *self)
{
  g_return_val_if_fail (CR_IS_CREATE_PRACTICE (self), NULL);
  return self->path;
}

void
cr_create_practice_set_path (CrCreatePractice *self,
                             const char       *path)
{
  g_autofree char *display = NULL;

  g_return_if_fail (CR_IS_CREATE_PRACTICE (self));
  g_return_if_fail (path != NULL);

  g_free (self->path);
  self->path = g_strdup (path);
  display = g_filename_display_name (path);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->location_row), display);
  hide_error (self);
}

void
cr_create_practice_reset (CrCreatePractice *self)
{
  g_autofree char *path = suggest_path ();

  g_return_if_fail (CR_IS_CREATE_PRACTICE (self));

  gtk_editable_set_text (GTK_EDITABLE (self->name_row), "");
  cr_create_practice_set_path (self, path);
  cr_create_practice_set_busy (self, FALSE);
  hide_error (self);
}

void
cr_create_practice_set_busy (CrCreatePractice *self,
                             gboolean          busy)
{
  g_return_if_fail (CR_IS_CREATE_PRACTICE (self));

  gtk_widget_set_visible (self->spinner, busy);
  gtk_spinner_set_spinning (GTK_SPINNER (self->spinner), busy);
  gtk_widget_set_sensitive (self->create_button, !busy);
  /* Not insensitive: a focused entry made insensitive keeps blinking. */
  gtk_editable_set_editable (GTK_EDITABLE (self->name_row), !busy);
  gtk_widget_set_sensitive (self->choose_button, !busy);
}

static void
on_chooser_response (CrCreatePractice     *self,
                     int                   response,
                     GtkFileChooserNative *chooser)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT &&
      (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser))) != NULL)
    {
      g_autofree char *path = g_file_get_path (file);
      g_autofree char *base = g_file_get_basename (file);

      /* Give a bare name the usual extension, so the file says what it is. */
      if (path != NULL && strchr (base, '.') == NULL)
        {
          char *with_ext = g_strconcat (path, ".chartroom", NULL);
          g_free (path);
          path = with_ext;
        }
      if (path != NULL)
        cr_create_practice_set_path (self, path);
    }

  g_clear_object (&self->chooser);
}

static void
on_choose_clicked (CrCreatePractice *self)
{
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autoptr(GFile) folder = NULL;
  g_autofree char *dir = g_path_get_dirname (self->path);
  g_autofree char *base = g_path_get_basename (self->path);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (self->chooser != NULL)
    return;

  /* Translators: the title of a file chooser */
  self->chooser = gtk_file_chooser_native_new (_("Where to Keep the Practice"),
                                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_SAVE,
                                               _("_Choose"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);

  gtk_file_filter_set_name (filter, _("Chartroom practices"));
  gtk_file_filter_add_pattern (filter, "*.chartroom");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);

  g_mkdir_with_parents (dir, 0700);
  folder = g_file_new_for_path (dir);
  gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (self->chooser), folder, NULL);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), base);

  g_signal_connect_object (self->chooser, "response",
                           G_CALLBACK (on_chooser_response), self, G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
on_create_clicked (CrCreatePractice *self)
{
  g_autoptr(GError) error = NULL;
  const char *name = gtk_editable_get_text (GTK_EDITABLE (self->name_row));
  g_autofree char *stripped = g_strstrip (g_strdup (name));

  if (!cr_practice_check_name (stripped, &error))
    {
      if (g_error_matches (error, CR_PRACTICE_ERROR, CR_PRACTICE_ERROR_NAME_TOO_LONG))
        cr_create_practice_show_error (self, _("The practice’s name is too long."));
      else
        cr_create_practice_show_error (self, _("Enter the practice’s name."));
      gtk_widget_add_css_class (self->name_row, "error");
      gtk_widget_grab_focus (self->name_row);
      return;
    }

  if (!cr_practice_check_new_path (self->path, &error))
    {
      g_autofree char *base = g_path_get_basename (self->path ? self->path : "");
      g_autofree char *message = NULL;

      if (g_error_matches (error, CR_PRACTICE_ERROR, CR_PRACTICE_ERROR_EXISTS))
        /* Translators: %s is a file name */
        message = g_strdup_printf (_("A file named “%s” is already there. Choose another "
                                     "name, or open that practice from the welcome page."),
                                   base);
      else
        message = g_strdup (_("Choose where to keep the practice database."));
      cr_create_practice_show_error (self, message);
      gtk_widget_grab_focus (self->choose_button);
      return;
    }

  g_signal_emit (self, signals[CREATE], 0, stripped, self->path);
}

static void
cr_create_practice_map (GtkWidget *widget)
{
  CrCreatePractice *self = CR_CREATE_PRACTICE (widget);
  GtkRoot *root;

  GTK_WIDGET_CLASS (cr_create_practice_parent_class)->map (widget);

  root = gtk_widget_get_root (widget);
  if (GTK_IS_WINDOW (root))
    gtk_window_set_default_widget (GTK_WINDOW (root), self->create_button);
  gtk_widget_grab_focus (self->name_row);
}

static void
cr_create_practice_dispose (GObject *object)
{
  CrCreatePractice *self = CR_CREATE_PRACTICE (object);

  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  gtk_widget_dispose_template (GTK_WIDGET (self), CR_TYPE_CREATE_PRACTICE);

  G_OBJECT_CLASS (cr_create_practice_parent_class)->dispose (object);
}

static void
cr_create_practice_finalize (GObject *object)
{
  CrCreatePractice *self = CR_CREATE_PRACTICE (object);

  g_free (self->path);

  G_OBJECT_CLASS (cr_create_practice_parent_class)->finalize (object);
}

static void
cr_create_practice_class_init (CrCreatePracticeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cr_create_practice_dispose;
  object_class->finalize = cr_create_practice_finalize;
  widget_class->map = cr_create_practice_map;

  /**
   * CrCreatePractice::create:
   * @name: the practice's name, trimmed
   * @path: where its database goes (checked: nothing is there yet)
   */
  signals[CREATE] = g_signal_new ("create",
                                  G_TYPE_FROM_CLASS (klass),
                                  G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL,
                                  G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);

  (void) chartroom_get_resource ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/chartroom/Chartroom/cr-create-practice.ui");
  gtk_widget_class_bind_template_child (widget_class, CrCreatePractice, name_row);
  gtk_widget_class_bind_template_child (widget_class, CrCreatePractice, location_row);
  gtk_widget_class_bind_template_child (widget_class, CrCreatePractice, choose_button);
  gtk_widget_class_bind_template_child (widget_class, CrCreatePractice, error_label);
  gtk_widget_class_bind_template_child (widget_class, CrCreatePractice, spinner);
  gtk_widget_class_bind_template_child (widget_class, CrCreatePractice, create_button);
  gtk_widget_class_bind_template_callback (widget_class, on_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_choose_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_create_clicked);
}

static void
cr_create_practice_init (CrCreatePractice *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  cr_create_practice_reset (self);
}

GtkWidget *
cr_create_practice_new (void)
{
  return g_object_new (CR_TYPE_CREATE_PRACTICE, NULL);
}
