/* cr-diagnosis-picker.c: find an ICD-10-CM code by words or by code
 *
 * Results come from cr_store_search_codes() as one types, run on a worker
 * thread (the query takes about a millisecond, but the main loop never
 * waits for the disk). Down moves into the results, Enter picks. A header
 * code is listed, so that one sees where one is, but refused with the
 * reason cr_store_check_assignable_code() gives.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cr-diagnosis-picker"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "cr-codes.h"
#include "cr-diagnosis-picker.h"

/* Enough to choose from without scrolling past the note. */
#define MAX_RESULTS 8

struct _CrDiagnosisPicker
{
  GtkBox             parent_instance;

  CrStore           *store;
  GCancellable      *cancellable;
  guint              generation;
  gboolean           searching;
  guint              n_results;
  guint              reveal_id;
  guint              reveal_frames;

  GtkEntry          *entry;
  GtkLabel          *message_label;
  GtkWidget         *results_scroller;
  GtkListBox        *results;
};

enum {
  PICKED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (CrDiagnosisPicker, cr_diagnosis_picker, GTK_TYPE_BOX)

typedef struct
{
  CrStore *store;
  char    *text;
  guint    generation;
} SearchData;

static void
search_data_free (SearchData *data)
{
  g_clear_object (&data->store);
  g_free (data->text);
  g_free (data);
}

/* One word of a letter, a digit and up to five more: a code, typed. */
static gboolean
looks_like_code (const char *text)
{
  g_autofree char *norm = cr_icd10cm_normalize_code (text);
  gsize len = norm ? strlen (norm) : 0;

  if (len < 3 || len > 7 || !g_ascii_isalpha (norm[0]) || !g_ascii_isdigit (norm[1]))
    return FALSE;
  for (const char *p = text; *p; p++)
    if (g_ascii_isspace (*p))
      return FALSE;
  return TRUE;
}

static void
search_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  SearchData *data = task_data;
  g_autoptr(GError) error = NULL;
  GPtrArray *codes;

  codes = cr_store_search_codes (data->store, data->text, MAX_RESULTS, cancellable, &error);
  if (codes == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* A code typed in full comes first, even a header code that the
   * billable-first order would leave off the list: one sees it, and why
   * it cannot be taken. */
  if (looks_like_code (data->text))
    {
      g_autoptr(CrCode) exact = cr_store_get_code (data->store, CR_CODE_SYSTEM_ICD10CM,
                                                   data->text, NULL);

      if (exact != NULL && cr_code_get_valid (exact))
        {
          for (guint i = 0; i < codes->len; i++)
            if (g_strcmp0 (cr_code_get_code (g_ptr_array_index (codes, i)),
                           cr_code_get_code (exact)) == 0)
              {
                g_ptr_array_remove_index (codes, i);
                break;
              }
          g_ptr_array_insert (codes, 0, g_steal_pointer (&exact));
          if (codes->len > MAX_RESULTS)
            g_ptr_array_set_size (codes, MAX_RESULTS);
        }
    }
  g_task_return_pointer (task, codes, (GDestroyNotify) g_ptr_array_unref);
}

static void
clear_results (CrDiagnosisPicker *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->results))) != NULL)
    gtk_list_box_remove (self->results, child);
  self->n_results = 0;
  gtk_widget_set_visible (GTK_WIDGET (self->results_scroller), FALSE);
}

static GtkWidget *
create_row (CrCode *code)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *code_label = gtk_label_new (cr_code_get_formatted_code (code));
  GtkWidget *display = gtk_label_new (cr_code_get_display (code));

  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 8);
  gtk_widget_set_margin_bottom (box, 8);

  gtk_label_set_xalign (GTK_LABEL (code_label), 0);
  gtk_label_set_width_chars (GTK_LABEL (code_label), 8);
  gtk_widget_add_css_class (code_label, "cr-code");
  gtk_box_append (GTK_BOX (box), code_label);

  gtk_label_set_xalign (GTK_LABEL (display), 0);
  gtk_label_set_ellipsize (GTK_LABEL (display), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (display, TRUE);
  gtk_widget_set_tooltip_text (display, cr_code_get_display (code));
  gtk_box_append (GTK_BOX (box), display);

  if (!cr_code_get_billable (code))
    {
      /* Translators: a header code of ICD-10-CM, which cannot be billed */
      GtkWidget *tag = gtk_label_new (_("Category"));

      gtk_widget_add_css_class (tag, "cr-tag");
      gtk_widget_add_css_class (tag, "dim-label");
      gtk_widget_set_tooltip_text (tag, _("A category heading: choose a more specific code"));
      gtk_box_append (GTK_BOX (box), tag);
      gtk_widget_add_css_class (row, "cr-header-code");
    }

  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  g_object_set_data_full (G_OBJECT (row), "code", g_object_ref (code), g_object_unref);
  return row;
}

/* The results grow below the entry, maybe below the window's edge: once
 * they are laid out, scroll the note so that they show. */
static void
reveal_done (gpointer data)
{
  CR_DIAGNOSIS_PICKER (data)->reveal_id = 0;
}

static gboolean
reveal_results (GtkWidget     *widget,
                GdkFrameClock *clock,
                gpointer       data)
{
  CrDiagnosisPicker *self = CR_DIAGNOSIS_PICKER (widget);
  GtkWidget *scrolled = gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW);
  GtkWidget *content;
  GtkAdjustment *adj;
  graphene_rect_t bounds;
  double bottom, top, page;

  if (scrolled == NULL || !gtk_widget_get_visible (GTK_WIDGET (self->results_scroller)))
    return G_SOURCE_REMOVE;
  /* Not laid out yet: try again next frame. */
  if (gtk_widget_get_height (GTK_WIDGET (self->results_scroller)) == 0)
    return G_SOURCE_CONTINUE;
  content = gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scrolled));
  if (content == NULL || !gtk_widget_compute_bounds (widget, content, &bounds))
    return G_SOURCE_REMOVE;

  /* The bounds are in the viewport's visible coordinates. */
  adj = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
  page = gtk_adjustment_get_page_size (adj);
  top = gtk_adjustment_get_value (adj) + bounds.origin.y - 12;
  bottom = top + bounds.size.height + 24;
  if (bottom > gtk_adjustment_get_value (adj) + page)
    gtk_adjustment_set_value (adj, MIN (top, bottom - page));
  /* Focus scrolling animates the same adjustment for a few frames: hold
   * the position until it has settled. */
  return ++self->reveal_frames < 30 ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

static void
queue_reveal (CrDiagnosisPicker *self)
{
  self->reveal_frames = 0;
  if (self->reveal_id != 0)
    return;
  self->reveal_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), reveal_results, self,
                                                  reveal_done);
}

static void
search_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  CrDiagnosisPicker *self = CR_DIAGNOSIS_PICKER (source);
  g_autoptr(GPtrArray) codes = NULL;
  g_autoptr(GError) error = NULL;
  SearchData *data = g_task_get_task_data (G_TASK (result));

  codes = g_task_propagate_pointer (G_TASK (result), &error);
  if (data->generation != self->generation)
    return;   /* a newer search is running */
  self->searching = FALSE;

  clear_results (self);
  if (codes == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        cr_diagnosis_picker_show_message (self, error->message);
      return;
    }

  for (guint i = 0; i < codes->len; i++)
    gtk_list_box_append (self->results, create_row (g_ptr_array_index (codes, i)));
  self->n_results = codes->len;
  gtk_widget_set_visible (GTK_WIDGET (self->results_scroller), codes->len > 0);
  /* What Enter takes: the first, billable codes come first. */
  if (codes->len > 0)
    {
      gtk_list_box_select_row (self->results, gtk_list_box_get_row_at_index (self->results, 0));
      queue_reveal (self);
    }
}

static void
on_entry_changed (CrDiagnosisPicker *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->entry));
  g_autoptr(GTask) task = NULL;
  SearchData *data;

  cr_diagnosis_picker_show_message (self, NULL);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->generation++;

  if (self->store == NULL || *text == '\0')
    {
      self->searching = FALSE;
      clear_results (self);
      return;
    }

  self->cancellable = g_cancellable_new ();
  self->searching = TRUE;
  data = g_new0 (SearchData, 1);
  data->store = g_object_ref (self->store);
  data->text = g_strdup (text);
  data->generation = self->generation;

  task = g_task_new (self, self->cancellable, search_done, NULL);
  g_task_set_source_tag (task, on_entry_changed);
  g_task_set_task_data (task, data, (GDestroyNotify) search_data_free);
  g_task_run_in_thread (task, search_thread);
}

static void
on_entry_activate (CrDiagnosisPicker *self)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->entry))));
  GtkListBoxRow *row;

  if (*text == '\0')
    return;

  if (looks_like_code (text))
    {
      cr_diagnosis_picker_pick_code (self, text);
      return;
    }

  row = gtk_list_box_get_selected_row (self->results);
  if (row == NULL)
    row = gtk_list_box_get_row_at_index (self->results, 0);
  if (row != NULL)
    {
      CrCode *code = g_object_get_data (G_OBJECT (row), "code");

      cr_diagnosis_picker_pick_code (self, cr_code_get_code (code));
    }
  else if (!self->searching)
    {
      g_autofree char *message = NULL;

      /* Translators: %s is what was typed in the diagnosis search */
      message = g_strdup_printf (_("No ICD-10-CM code matches “%s”."), text);
      cr_diagnosis_picker_show_message (self, message);
    }
}

static gboolean
on_entry_key_pressed (CrDiagnosisPicker     *self,
                      guint                  keyval,
                      guint                  keycode,
                      GdkModifierType        state,
                      GtkEventControllerKey *controller)
{
  if ((keyval == GDK_KEY_Down || keyval == GDK_KEY_KP_Down) && self->n_results > 0)
    {
      GtkListBoxRow *row = gtk_list_box_get_selected_row (self->results);

      if (row == NULL)
        row = gtk_list_box_get_row_at_index (self->results, 0);
      gtk_list_box_select_row (self->results, row);
      gtk_widget_grab_focus (GTK_WIDGET (row));
      return GDK_EVENT_STOP;
    }
  if (keyval == GDK_KEY_Escape && *gtk_editable_get_text (GTK_EDITABLE (self->entry)) != '\0')
    {
      gtk_editable_set_text (GTK_EDITABLE (self->entry), "");
      return GDK_EVENT_STOP;
    }
  return GDK_EVENT_PROPAGATE;
}

static gboolean
on_results_key_pressed (CrDiagnosisPicker     *self,
                        guint                  keyval,
                        guint                  keycode,
                        GdkModifierType        state,
                        GtkEventControllerKey *controller)
{
  GtkListBoxRow *row = gtk_list_box_get_selected_row (self->results);

  if ((keyval == GDK_KEY_Up || keyval == GDK_KEY_KP_Up) &&
      (row == NULL || gtk_list_box_row_get_index (row) == 0))
    {
      gtk_widget_grab_focus (GTK_WIDGET (self->entry));
      return GDK_EVENT_STOP;
    }
  if (keyval == GDK_KEY_Escape)
    {
      gtk_widget_grab_focus (GTK_WIDGET (self->entry));
      gtk_editable_set_text (GTK_EDITABLE (self->entry), "");
      return GDK_EVENT_STOP;
    }
  return GDK_EVENT_PROPAGATE;
}

static void
on_row_activated (CrDiagnosisPicker *self,
                  GtkListBoxRow     *row,
                  GtkListBox        *box)
{
  CrCode *code = g_object_get_data (G_OBJECT (row), "code");

  if (code != NULL && cr_diagnosis_picker_pick_code (self, cr_code_get_code (code)))
    gtk_widget_grab_focus (GTK_WIDGET (self->entry));
}

static void
on_entry_focus_enter (CrDiagnosisPicker *self)
{
  if (self->n_results > 0)
    queue_reveal (self);
}

static void
cr_diagnosis_picker_dispose (GObject *object)
{
  CrDiagnosisPicker *self = CR_DIAGNOSIS_PICKER (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);
  gtk_widget_dispose_template (GTK_WIDGET (self), CR_TYPE_DIAGNOSIS_PICKER);

  G_OBJECT_CLASS (cr_diagnosis_picker_parent_class)->dispose (object);
}

static void
cr_diagnosis_picker_class_init (CrDiagnosisPickerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cr_diagnosis_picker_dispose;

  /**
   * CrDiagnosisPicker::picked:
   * @system: "icd10cm"
   * @code: the code without its dot
   * @display: its description
   *
   * An assignable code was chosen. Returns %TRUE if it was taken (the
   * entry is then cleared); a handler that refuses shows why with
   * cr_diagnosis_picker_show_message().
   */
  signals[PICKED] =
    g_signal_new ("picked", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, g_signal_accumulator_first_wins, NULL, NULL,
                  G_TYPE_BOOLEAN, 3, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/chartroom/Chartroom/cr-diagnosis-picker.ui");
  gtk_widget_class_bind_template_child (widget_class, CrDiagnosisPicker, entry);
  gtk_widget_class_bind_template_child (widget_class, CrDiagnosisPicker, message_label);
  gtk_widget_class_bind_template_child (widget_class, CrDiagnosisPicker, results_scroller);
  gtk_widget_class_bind_template_child (widget_class, CrDiagnosisPicker, results);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_key_pressed);
  gtk_widget_class_bind_template_callback (widget_class, on_results_key_pressed);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_focus_enter);
}

static void
cr_diagnosis_picker_init (CrDiagnosisPicker *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
cr_diagnosis_picker_new (void)
{
  return g_object_new (CR_TYPE_DIAGNOSIS_PICKER, NULL);
}

void
cr_diagnosis_picker_set_store (CrDiagnosisPicker *self,
                               CrStore           *store)
{
  g_return_if_fail (CR_IS_DIAGNOSIS_PICKER (self));
  g_return_if_fail (store == NULL || CR_IS_STORE (store));

  g_set_object (&self->store, store);
}

/**
 * cr_diagnosis_picker_get_entry:
 *
 * Returns: (transfer none): where the search is typed
 */
GtkEditable *
cr_diagnosis_picker_get_entry (CrDiagnosisPicker *self)
{
  g_return_val_if_fail (CR_IS_DIAGNOSIS_PICKER (self), NULL);
  return GTK_EDITABLE (self->entry);
}

gboolean
cr_diagnosis_picker_get_searching (CrDiagnosisPicker *self)
{
  g_return_val_if_fail (CR_IS_DIAGNOSIS_PICKER (self), FALSE);
  return self->searching;
}

guint
cr_diagnosis_picker_get_n_results (CrDiagnosisPicker *self)
{
  g_return_val_if_fail (CR_IS_DIAGNOSIS_PICKER (self), 0);
  return self->n_results;
}

/**
 * cr_diagnosis_picker_get_message:
 *
 * Returns: (nullable): why the last pick was refused, if it shows
 */
const char *
cr_diagnosis_picker_get_message (CrDiagnosisPicker *self)
{
  g_return_val_if_fail (CR_IS_DIAGNOSIS_PICKER (self), NULL);
  if (!gtk_widget_get_visible (GTK_WIDGET (self->message_label)))
    return NULL;
  return gtk_label_get_label (self->message_label);
}

/**
 * cr_diagnosis_picker_show_message:
 * @message: (nullable): why a code was refused, or %NULL to hide it
 */
void
cr_diagnosis_picker_show_message (CrDiagnosisPicker *self,
                                  const char        *message)
{
  g_return_if_fail (CR_IS_DIAGNOSIS_PICKER (self));

  gtk_label_set_label (self->message_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->message_label), message != NULL);
  if (message != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->entry), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->entry), "error");
}

/**
 * cr_diagnosis_picker_pick_code:
 * @code: an ICD-10-CM code, with or without its dot
 *
 * Checks that @code may be assigned to a visit; if so, emits
 * CrDiagnosisPicker::picked, else shows why not.
 *
 * Returns: %TRUE if the code was taken
 */
gboolean
cr_diagnosis_picker_pick_code (CrDiagnosisPicker *self,
                               const char        *code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrCode) found = NULL;
  gboolean taken = FALSE;

  g_return_val_if_fail (CR_IS_DIAGNOSIS_PICKER (self), FALSE);
  g_return_val_if_fail (code != NULL, FALSE);

  if (self->store == NULL)
    return FALSE;

  /* One indexed row each: fast enough for a key press. */
  if (!cr_store_check_assignable_code (self->store, CR_CODE_SYSTEM_ICD10CM, code, &error) ||
      (found = cr_store_get_code (self->store, CR_CODE_SYSTEM_ICD10CM, code, &error)) == NULL)
    {
      cr_diagnosis_picker_show_message (self, error->message);
      return FALSE;
    }

  cr_diagnosis_picker_show_message (self, NULL);
  g_signal_emit (self, signals[PICKED], 0, CR_CODE_SYSTEM_ICD10CM, cr_code_get_code (found),
                 cr_code_get_display (found), &taken);
  if (taken)
    {
      gtk_editable_set_text (GTK_EDITABLE (self->entry), "");
      clear_results (self);
    }
  return taken;
}
