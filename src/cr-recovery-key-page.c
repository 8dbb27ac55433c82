/* cr-recovery-key-page.c: show a new practice's recovery key, once
 *
 * The recovery key is the raw database key in 16 readable groups. It is
 * the only way back in when the keyring is lost, so the page offers to
 * copy and print it and lets the person go on only once they say they
 * have kept it. It is never logged, and it is wiped when the page is done.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cr-recovery-key-page"

#include "config.h"

#include <glib/gi18n.h>

#include "chartroom-resources.h"
#include "cr-recovery-key-page.h"

struct _CrRecoveryKeyPage
{
  AdwBin     parent_instance;

  GtkWidget *description_label;
  GtkWidget *key_label;
  GtkWidget *copy_button;
  GtkWidget *print_button;
  GtkWidget *stored_check;
  GtkWidget *continue_button;

  char      *recovery;      /* cr_key_to_recovery_string(): locked memory */
  char      *practice_name;
  char      *path;
};

G_DEFINE_FINAL_TYPE (CrRecoveryKeyPage, cr_recovery_key_page, ADW_TYPE_BIN)

enum {
  DONE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

void
cr_recovery_key_page_clear (CrRecoveryKeyPage *self)
{
  g_return_if_fail (CR_IS_RECOVERY_KEY_PAGE (self));

  g_clear_pointer (&self->recovery, cr_key_free_string);
  gtk_label_set_text (GTK_LABEL (self->key_label), "");
  gtk_check_button_set_active (GTK_CHECK_BUTTON (self->stored_check), FALSE);
}

/**
 * cr_recovery_key_page_set_key:
 * @key: the practice's key; the page keeps only its recovery string
 * @practice_name: printed on the page with the key
 * @path: the practice database
 */
void
cr_recovery_key_page_set_key (CrRecoveryKeyPage *self,
                              const CrKey       *key,
                              const char        *practice_name,
                              const char        *path)
{
  g_autofree char *description = NULL;

  g_return_if_fail (CR_IS_RECOVERY_KEY_PAGE (self));
  g_return_if_fail (key != NULL);

  cr_recovery_key_page_clear (self);
  self->recovery = cr_key_to_recovery_string (key);
  g_free (self->practice_name);
  self->practice_name = g_strdup (practice_name ? practice_name : "");
  g_free (self->path);
  self->path = g_strdup (path ? path : "");

  description = g_strdup_printf (_("If this computer’s keyring is ever lost, the recovery key "
                                   "is the only way to open “%s”. It is shown only now: print "
                                   "it or write it down, and keep it somewhere safe, away from "
                                   "this computer."),
                                 self->practice_name);
  gtk_label_set_text (GTK_LABEL (self->description_label), description);
  gtk_label_set_text (GTK_LABEL (self->key_label), self->recovery);
}

static void
on_copy_clicked (CrRecoveryKeyPage *self)
{
  if (self->recovery == NULL)
    return;

  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), self->recovery);
  gtk_widget_activate_action (GTK_WIDGET (self), "win.show-toast", "s",
                              _("Recovery key copied"));
}

static void
set_font (PangoLayout *layout,
          const char  *description)
{
  PangoFontDescription *font = pango_font_description_from_string (description);

  pango_layout_set_font_description (layout, font);
  pango_font_description_free (font);
}

/* Draws text at @y across the page; returns the y below it. */
static double
draw_text (cairo_t     *cr,
           PangoLayout *layout,
           const char  *font,
           const char  *text,
           double       width,
           double       y)
{
  int height;

  set_font (layout, font);
  pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
  pango_layout_set_text (layout, text, -1);
  cairo_move_to (cr, 0, y);
  pango_cairo_show_layout (cr, layout);
  pango_layout_get_pixel_size (layout, NULL, &height);
  return y + height;
}

static void
on_draw_page (GtkPrintOperation *operation,
              GtkPrintContext   *context,
              int                page_nr,
              CrRecoveryKeyPage *self)
{
  cairo_t *cr = gtk_print_context_get_cairo_context (context);
  double width = gtk_print_context_get_width (context);
  g_autoptr(PangoLayout) layout = gtk_print_context_create_pango_layout (context);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *date = g_date_time_format (now, "%x");
  g_autofree char *file_line = NULL;
  g_autofree char *printed = NULL;
  int key_height;
  double y = 0;

  if (self->recovery == NULL)
    return;

  cairo_set_source_rgb (cr, 0, 0, 0);
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);

  y = draw_text (cr, layout, "Sans Bold 20", _("Chartroom Recovery Key"), width, y);
  y += 12;
  y = draw_text (cr, layout, "Sans Bold 14", self->practice_name, width, y);
  y += 4;
  /* Translators: %s is the database file's path */
  file_line = g_strdup_printf (_("Database: %s"), self->path);
  y = draw_text (cr, layout, "Sans 10", file_line, width, y);
  /* Translators: %s is a date */
  printed = g_strdup_printf (_("Printed on %s"), date);
  y = draw_text (cr, layout, "Sans 10", printed, width, y);
  y += 36;

  /* The key, centred in a box. */
  set_font (layout, "Monospace Bold 22");
  pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
  pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
  pango_layout_set_spacing (layout, 8 * PANGO_SCALE);
  pango_layout_set_text (layout, self->recovery, -1);
  pango_layout_get_pixel_size (layout, NULL, &key_height);
  cairo_set_line_width (cr, 1.5);
  cairo_rectangle (cr, 0, y, width, key_height + 48);
  cairo_stroke (cr);
  cairo_move_to (cr, 0, y + 24);
  pango_cairo_show_layout (cr, layout);
  y += key_height + 48 + 36;

  pango_layout_set_alignment (layout, PANGO_ALIGN_LEFT);
  pango_layout_set_spacing (layout, 0);
  draw_text (cr, layout, "Sans 11",
             _("This key opens the practice’s encrypted database when the computer’s keyring "
               "cannot. Keep this page somewhere safe, away from the computer: whoever has it "
               "and a copy of the database can read every chart. To use it, choose “Unlock "
               "With the Recovery Key” in Chartroom and type the 16 groups."),
             width, y);
}

static void
on_print_done (GtkPrintOperation       *operation,
               GtkPrintOperationResult  result,
               CrRecoveryKeyPage       *self)
{
  g_autoptr(GError) error = NULL;

  if (result == GTK_PRINT_OPERATION_RESULT_ERROR)
    {
      gtk_print_operation_get_error (operation, &error);
      g_warning ("Could not print the recovery key: %s", error ? error->message : "?");
      gtk_widget_activate_action (GTK_WIDGET (self), "win.show-toast", "s",
                                  _("The recovery key could not be printed"));
    }
}

static void
on_print_clicked (CrRecoveryKeyPage *self)
{
  g_autoptr(GtkPrintOperation) operation = gtk_print_operation_new ();
  g_autoptr(GError) error = NULL;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (self->recovery == NULL)
    return;

  gtk_print_operation_set_n_pages (operation, 1);
  gtk_print_operation_set_job_name (operation, _("Chartroom Recovery Key"));
  gtk_print_operation_set_embed_page_setup (operation, TRUE);
  gtk_print_operation_set_allow_async (operation, TRUE);
  g_signal_connect_object (operation, "draw-page", G_CALLBACK (on_draw_page), self, 0);
  g_signal_connect_object (operation, "done", G_CALLBACK (on_print_done), self, 0);

  if (gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG,
                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                               &error) == GTK_PRINT_OPERATION_RESULT_ERROR)
    g_warning ("Could not print the recovery key: %s", error->message);
}

static void
on_continue_clicked (CrRecoveryKeyPage *self)
{
  if (!gtk_check_button_get_active (GTK_CHECK_BUTTON (self->stored_check)))
    return;

  cr_recovery_key_page_clear (self);
  g_signal_emit (self, signals[DONE], 0);
}

static void
cr_recovery_key_page_map (GtkWidget *widget)
{
  CrRecoveryKeyPage *self = CR_RECOVERY_KEY_PAGE (widget);
  GtkRoot *root;

  GTK_WIDGET_CLASS (cr_recovery_key_page_parent_class)->map (widget);

  root = gtk_widget_get_root (widget);
  if (GTK_IS_WINDOW (root))
    gtk_window_set_default_widget (GTK_WINDOW (root), self->continue_button);
  gtk_widget_grab_focus (self->print_button);
}

static void
cr_recovery_key_page_dispose (GObject *object)
{
  CrRecoveryKeyPage *self = CR_RECOVERY_KEY_PAGE (object);

  g_clear_pointer (&self->recovery, cr_key_free_string);
  gtk_widget_dispose_template (GTK_WIDGET (object), CR_TYPE_RECOVERY_KEY_PAGE);

  G_OBJECT_CLASS (cr_recovery_key_page_parent_class)->dispose (object);
}

static void
cr_recovery_key_page_finalize (GObject *object)
{
  CrRecoveryKeyPage *self = CR_RECOVERY_KEY_PAGE (object);

  g_free (self->practice_name);
  g_free (self->path);

  G_OBJECT_CLASS (cr_recovery_key_page_parent_class)->finalize (object);
}

static void
cr_recovery_key_page_class_init (CrRecoveryKeyPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cr_recovery_key_page_dispose;
  object_class->finalize = cr_recovery_key_page_finalize;
  widget_class->map = cr_recovery_key_page_map;

  /**
   * CrRecoveryKeyPage::done:
   *
   * The person says the key is stored; the page has wiped it.
   */
  signals[DONE] = g_signal_new ("done",
                                G_TYPE_FROM_CLASS (klass),
                                G_SIGNAL_RUN_LAST,
                                0, NULL, NULL, NULL,
                                G_TYPE_NONE, 0);

  (void) chartroom_get_resource ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/chartroom/Chartroom/cr-recovery-key-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CrRecoveryKeyPage, description_label);
  gtk_widget_class_bind_template_child (widget_class, CrRecoveryKeyPage, key_label);
  gtk_widget_class_bind_template_child (widget_class, CrRecoveryKeyPage, copy_button);
  gtk_widget_class_bind_template_child (widget_class, CrRecoveryKeyPage, print_button);
  gtk_widget_class_bind_template_child (widget_class, CrRecoveryKeyPage, stored_check);
  gtk_widget_class_bind_template_child (widget_class, CrRecoveryKeyPage, continue_button);
  gtk_widget_class_bind_template_callback (widget_class, on_copy_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_print_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_continue_clicked);
}

static void
cr_recovery_key_page_init (CrRecoveryKeyPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
cr_recovery_key_page_new (void)
{
  return g_object_new (CR_TYPE_RECOVERY_KEY_PAGE, NULL);
}
