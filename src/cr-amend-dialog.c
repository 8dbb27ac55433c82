/* cr-amend-dialog.c: append a correction to a signed note
 *
 * A signed note never changes; a correction is an amendment with its
 * reason, added by cr_store_amend_visit() with who and when. The dialog
 * stays open, with what was typed, if the store refuses it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cr-amend-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "cr-amend-dialog.h"
#include "cr-chart.h"

struct _CrAmendDialog
{
  AdwMessageDialog  parent_instance;

  CrStore          *store;
  gint64            visit_id;

  AdwEntryRow      *reason_row;
  GtkTextView      *text_view;
  GtkLabel         *error_label;
};

enum {
  AMENDED,
  REFUSED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (CrAmendDialog, cr_amend_dialog, ADW_TYPE_MESSAGE_DIALOG)

static char *
dup_text (CrAmendDialog *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return g_strstrip (gtk_text_buffer_get_text (buffer, &start, &end, FALSE));
}

static char *
dup_reason (CrAmendDialog *self)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->reason_row))));
}

static void
on_changed (CrAmendDialog *self)
{
  g_autofree char *reason = dup_reason (self);
  g_autofree char *text = dup_text (self);

  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), "amend",
                                           *reason != '\0' && *text != '\0');
}

static void
cr_amend_dialog_response (AdwMessageDialog *dialog,
                          const char       *response)
{
  CrAmendDialog *self = CR_AMEND_DIALOG (dialog);
  g_autofree char *reason = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id;

  if (g_strcmp0 (response, "amend") != 0)
    return;

  reason = dup_reason (self);
  text = dup_text (self);
  id = cr_store_amend_visit (self->store, self->visit_id, reason, text, &error);
  if (id == 0)
    {
      /* AdwMessageDialog closes after any response: the owner reopens the
       * form with what was typed and why it was refused. */
      g_signal_emit (self, signals[REFUSED], 0, reason, text, error->message);
      return;
    }
  g_signal_emit (self, signals[AMENDED], 0, id);
}

static void
cr_amend_dialog_dispose (GObject *object)
{
  CrAmendDialog *self = CR_AMEND_DIALOG (object);

  g_clear_object (&self->store);
  gtk_widget_dispose_template (GTK_WIDGET (self), CR_TYPE_AMEND_DIALOG);

  G_OBJECT_CLASS (cr_amend_dialog_parent_class)->dispose (object);
}

static void
cr_amend_dialog_class_init (CrAmendDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  AdwMessageDialogClass *dialog_class = ADW_MESSAGE_DIALOG_CLASS (klass);

  object_class->dispose = cr_amend_dialog_dispose;
  dialog_class->response = cr_amend_dialog_response;

  /**
   * CrAmendDialog::amended:
   * @amendment_id: the new amendment
   */
  signals[AMENDED] =
    g_signal_new ("amended", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
  /**
   * CrAmendDialog::refused:
   * @reason: the reason typed
   * @text: the amendment typed
   * @message: why the store refused it
   */
  signals[REFUSED] =
    g_signal_new ("refused", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 3,
                  G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/chartroom/Chartroom/cr-amend-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, CrAmendDialog, reason_row);
  gtk_widget_class_bind_template_child (widget_class, CrAmendDialog, text_view);
  gtk_widget_class_bind_template_child (widget_class, CrAmendDialog, error_label);
  gtk_widget_class_bind_template_callback (widget_class, on_changed);
}

static void
cr_amend_dialog_init (CrAmendDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_object (gtk_text_view_get_buffer (self->text_view), "changed",
                           G_CALLBACK (on_changed), self, G_CONNECT_SWAPPED);
}

/**
 * cr_amend_dialog_new:
 * @visit_id: a signed visit
 */
GtkWidget *
cr_amend_dialog_new (GtkWindow *parent,
                     CrStore   *store,
                     gint64     visit_id)
{
  CrAmendDialog *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (CR_IS_STORE (store), NULL);

  self = g_object_new (CR_TYPE_AMEND_DIALOG,
                       "transient-for", parent,
                       "modal", TRUE,
                       NULL);
  self->store = g_object_ref (store);
  self->visit_id = visit_id;
  return GTK_WIDGET (self);
}

/**
 * cr_amend_dialog_set_text:
 *
 * Fills the form, as if typed.
 */
void
cr_amend_dialog_set_text (CrAmendDialog *self,
                          const char    *reason,
                          const char    *text)
{
  g_return_if_fail (CR_IS_AMEND_DIALOG (self));

  gtk_editable_set_text (GTK_EDITABLE (self->reason_row), reason ? reason : "");
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->text_view), text ? text : "", -1);
}

/**
 * cr_amend_dialog_show_error:
 * @message: why the last attempt was refused
 */
void
cr_amend_dialog_show_error (CrAmendDialog *self,
                            const char    *message)
{
  g_return_if_fail (CR_IS_AMEND_DIALOG (self));

  gtk_label_set_label (self->error_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}
