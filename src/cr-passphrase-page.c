/* cr-passphrase-page.c: choose or type a practice's passphrase
 *
 * On a machine with no keyring the practice key is kept wrapped under a
 * passphrase beside the database. In CHOOSE mode the page asks for a new
 * passphrase twice and hints at its strength; in UNLOCK mode it asks for
 * it once. The window does the (slow, Argon2) work when ::submit fires.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cr-passphrase-page"

#include "config.h"

#include <glib/gi18n.h>

#include "chartroom-resources.h"
#include "cr-passphrase-page.h"
#include "cr-practice.h"

struct _CrPassphrasePage
{
  AdwBin            parent_instance;

  GtkWidget        *window_title;
  GtkWidget        *title_label;
  GtkWidget        *description_label;
  GtkWidget        *passphrase_row;
  GtkWidget        *repeat_row;
  GtkWidget        *strength_box;
  GtkWidget        *strength_bar;
  GtkWidget        *strength_label;
  GtkWidget        *error_label;
  GtkWidget        *other_button;
  GtkWidget        *confirm_button;
  GtkWidget        *spinner;

  CrPassphraseMode  mode;
};

G_DEFINE_FINAL_TYPE (CrPassphrasePage, cr_passphrase_page, ADW_TYPE_BIN)

enum {
  SUBMIT,
  OTHER,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

void
cr_passphrase_page_show_error (CrPassphrasePage *self,
                               const char       *message)
{
  g_return_if_fail (CR_IS_PASSPHRASE_PAGE (self));

  gtk_label_set_text (GTK_LABEL (self->error_label), message);
  gtk_widget_set_visible (self->error_label, message != NULL);
  if (message != NULL)
    gtk_widget_add_css_class (self->passphrase_row, "error");
  else
    gtk_widget_remove_css_class (self->passphrase_row, "error");
}

static void
update_strength (CrPassphrasePage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->passphrase_row));
  CrPassphraseStrength strength = cr_practice_passphrase_strength (text);
  g_autofree char *hint = NULL;

  switch (strength)
    {
    case CR_PASSPHRASE_STRENGTH_TOO_SHORT:
      hint = g_strdup_printf (ngettext ("At least %d character",
                                        "At least %d characters",
                                        CR_PRACTICE_MIN_PASSPHRASE_LENGTH),
                              CR_PRACTICE_MIN_PASSPHRASE_LENGTH);
      break;
    case CR_PASSPHRASE_STRENGTH_WEAK:
      hint = g_strdup (_("Weak: use several words, or mix in capitals, digits and symbols"));
      break;
    case CR_PASSPHRASE_STRENGTH_FAIR:
      hint = g_strdup (_("Fair: a few more words would make it strong"));
      break;
    case CR_PASSPHRASE_STRENGTH_STRONG:
      hint = g_strdup (_("Strong"));
      break;
    default:
      g_assert_not_reached ();
    }

  gtk_level_bar_set_value (GTK_LEVEL_BAR (self->strength_bar),
                           *text == '\0' ? 0 : (double) strength);
  gtk_label_set_text (GTK_LABEL (self->strength_label), hint);
}

static void
on_changed (CrPassphrasePage *self)
{
  cr_passphrase_page_show_error (self, NULL);
  if (self->mode == CR_PASSPHRASE_MODE_CHOOSE)
    update_strength (self);
}

static void
on_confirm_clicked (CrPassphrasePage *self)
{
  g_autoptr(GError) error = NULL;
  const char *passphrase = gtk_editable_get_text (GTK_EDITABLE (self->passphrase_row));
  const char *repeat = gtk_editable_get_text (GTK_EDITABLE (self->repeat_row));

  if (!gtk_widget_get_sensitive (self->confirm_button))
    return;

  if (self->mode == CR_PASSPHRASE_MODE_UNLOCK)
    {
      if (*passphrase == '\0')
        {
          cr_passphrase_page_show_error (self, _("Enter the passphrase."));
          return;
        }
    }
  else if (!cr_practice_check_passphrase (passphrase, repeat, &error))
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, CR_PRACTICE_ERROR, CR_PRACTICE_ERROR_PASSPHRASE_MISMATCH))
        {
          message = g_strdup (_("The two passphrases differ."));
          gtk_widget_grab_focus (self->repeat_row);
        }
      else
        {
          message = g_strdup_printf (ngettext ("A passphrase has at least %d character.",
                                               "A passphrase has at least %d characters.",
                                               CR_PRACTICE_MIN_PASSPHRASE_LENGTH),
                                     CR_PRACTICE_MIN_PASSPHRASE_LENGTH);
          gtk_widget_grab_focus (self->passphrase_row);
        }
      cr_passphrase_page_show_error (self, message);
      return;
    }

  g_signal_emit (self, signals[SUBMIT], 0, passphrase);
}

static void
on_other_clicked (CrPassphrasePage *self)
{
  g_signal_emit (self, signals[OTHER], 0);
}

void
cr_passphrase_page_clear (CrPassphrasePage *self)
{
  g_return_if_fail (CR_IS_PASSPHRASE_PAGE (self));

  gtk_editable_set_text (GTK_EDITABLE (self->passphrase_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->repeat_row), "");
  cr_passphrase_page_show_error (self, NULL);
}

/**
 * cr_passphrase_page_setup:
 * @other_label: (nullable): the second button (e.g. "Use Recovery Key"),
 *   which emits ::other; hidden when %NULL
 */
void
cr_passphrase_page_setup (CrPassphrasePage *self,
                          CrPassphraseMode  mode,
                          const char       *title,
                          const char       *description,
                          const char       *confirm_label,
                          const char       *other_label)
{
  gboolean choose = mode == CR_PASSPHRASE_MODE_CHOOSE;

  g_return_if_fail (CR_IS_PASSPHRASE_PAGE (self));

  self->mode = mode;
  adw_window_title_set_title (ADW_WINDOW_TITLE (self->window_title),
                              choose ? _("Passphrase") : _("Unlock Practice"));
  gtk_label_set_text (GTK_LABEL (self->title_label), title);
  gtk_label_set_text (GTK_LABEL (self->description_label), description);
  gtk_button_set_label (GTK_BUTTON (self->confirm_button), confirm_label);
  gtk_widget_set_visible (self->other_button, other_label != NULL);
  if (other_label != NULL)
    gtk_button_set_label (GTK_BUTTON (self->other_button), other_label);
  gtk_widget_set_visible (self->repeat_row, choose);
  gtk_widget_set_visible (self->strength_box, choose);
  cr_passphrase_page_clear (self);
  cr_passphrase_page_set_busy (self, FALSE);
  if (choose)
    update_strength (self);
}

CrPassphraseMode
cr_passphrase_page_get_mode (CrPassphrasePage *self)
{
  g_return_val_if_fail (CR_IS_PASSPHRASE_PAGE (self), CR_PASSPHRASE_MODE_UNLOCK);
  return self->mode;
}

void
cr_passphrase_page_set_busy (CrPassphrasePage *self,
                             gboolean          busy)
{
  g_return_if_fail (CR_IS_PASSPHRASE_PAGE (self));

  gtk_widget_set_visible (self->spinner, busy);
  gtk_spinner_set_spinning (GTK_SPINNER (self->spinner), busy);
  gtk_widget_set_sensitive (self->confirm_button, !busy);
  gtk_widget_set_sensitive (self->other_button, !busy);
  /* Not insensitive: a focused entry made insensitive keeps blinking. */
  gtk_editable_set_editable (GTK_EDITABLE (self->passphrase_row), !busy);
  gtk_editable_set_editable (GTK_EDITABLE (self->repeat_row), !busy);
}

static void
cr_passphrase_page_map (GtkWidget *widget)
{
  CrPassphrasePage *self = CR_PASSPHRASE_PAGE (widget);
  GtkRoot *root;

  GTK_WIDGET_CLASS (cr_passphrase_page_parent_class)->map (widget);

  root = gtk_widget_get_root (widget);
  if (GTK_IS_WINDOW (root))
    gtk_window_set_default_widget (GTK_WINDOW (root), self->confirm_button);
  gtk_widget_grab_focus (self->passphrase_row);
}

static void
cr_passphrase_page_unmap (GtkWidget *widget)
{
  /* A passphrase stays on screen no longer than needed. */
  cr_passphrase_page_clear (CR_PASSPHRASE_PAGE (widget));

  GTK_WIDGET_CLASS (cr_passphrase_page_parent_class)->unmap (widget);
}

static void
cr_passphrase_page_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), CR_TYPE_PASSPHRASE_PAGE);

  G_OBJECT_CLASS (cr_passphrase_page_parent_class)->dispose (object);
}

static void
cr_passphrase_page_class_init (CrPassphrasePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cr_passphrase_page_dispose;
  widget_class->map = cr_passphrase_page_map;
  widget_class->unmap = cr_passphrase_page_unmap;

  /**
   * CrPassphrasePage::submit:
   * @passphrase: what was typed (checked for length and match when choosing)
   */
  signals[SUBMIT] = g_signal_new ("submit",
                                  G_TYPE_FROM_CLASS (klass),
                                  G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL,
                                  G_TYPE_NONE, 1, G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);
  signals[OTHER] = g_signal_new ("other",
                                 G_TYPE_FROM_CLASS (klass),
                                 G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL,
                                 G_TYPE_NONE, 0);

  (void) chartroom_get_resource ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/chartroom/Chartroom/cr-passphrase-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CrPassphrasePage, window_title);
  gtk_widget_class_bind_template_child (widget_class, CrPassphrasePage, title_label);
  gtk_widget_class_bind_template_child (widget_class, CrPassphrasePage, description_label);
  gtk_widget_class_bind_template_child (widget_class, CrPassphrasePage, passphrase_row);
  gtk_widget_class_bind_template_child (widget_class, CrPassphrasePage, repeat_row);
  gtk_widget_class_bind_template_child (widget_class, CrPassphrasePage, strength_box);
  gtk_widget_class_bind_template_child (widget_class, CrPassphrasePage, strength_bar);
  gtk_widget_class_bind_template_child (widget_class, CrPassphrasePage, strength_label);
  gtk_widget_class_bind_template_child (widget_class, CrPassphrasePage, error_label);
  gtk_widget_class_bind_template_child (widget_class, CrPassphrasePage, other_button);
  gtk_widget_class_bind_template_child (widget_class, CrPassphrasePage, confirm_button);
  gtk_widget_class_bind_template_child (widget_class, CrPassphrasePage, spinner);
  gtk_widget_class_bind_template_callback (widget_class, on_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_confirm_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_other_clicked);
}

static void
cr_passphrase_page_init (CrPassphrasePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_level_bar_add_offset_value (GTK_LEVEL_BAR (self->strength_bar), GTK_LEVEL_BAR_OFFSET_LOW, 1);
  gtk_level_bar_add_offset_value (GTK_LEVEL_BAR (self->strength_bar), GTK_LEVEL_BAR_OFFSET_HIGH, 2);
  gtk_level_bar_add_offset_value (GTK_LEVEL_BAR (self->strength_bar), GTK_LEVEL_BAR_OFFSET_FULL, 3);

  cr_passphrase_page_setup (self, CR_PASSPHRASE_MODE_UNLOCK,
                            _("Enter the Passphrase"), "", _("_Unlock"), NULL);
}

GtkWidget *
cr_passphrase_page_new (void)
{
  return g_object_new (CR_TYPE_PASSPHRASE_PAGE, NULL);
}
