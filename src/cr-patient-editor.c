/* cr-patient-editor.c: the form that registers or changes a patient
 *
 * Nothing typed is ever lost: a refused field is marked, its message shown
 * under its group, and the form stays open until the record is saved.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cr-patient-editor"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "cr-date.h"
#include "cr-patient-editor.h"
#include "cr-patients.h"

struct _CrPatientEditor
{
  AdwWindow           parent_instance;

  CrStore            *store;
  CrPatient          *original;   /* NULL for a new patient */
  CrPatient          *pending;    /* waiting for the duplicate question */

  AdwWindowTitle     *window_title;
  GtkLabel           *general_error;
  AdwEntryRow        *family_row;
  AdwEntryRow        *given_row;
  GtkLabel           *name_error;
  AdwEntryRow        *birth_row;
  AdwComboRow        *sex_row;
  GtkLabel           *birth_error;
  AdwEntryRow        *phone_row;
  AdwEntryRow        *email_row;
  GtkLabel           *contact_error;
  GtkTextView        *address_view;
  GtkLabel           *address_error;
  AdwEntryRow        *payer_row;
  AdwEntryRow        *member_row;
  GtkLabel           *insurance_error;
  AdwPreferencesGroup *status_group;
  GtkSwitch          *inactive_switch;
};

enum {
  SAVED,
  OPEN_PATIENT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (CrPatientEditor, cr_patient_editor, ADW_TYPE_WINDOW)

static char *
dup_address (CrPatientEditor *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->address_view);
  GtkTextIter start, end;
  char *text;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  return g_strstrip (text);
}

static void
clear_errors (CrPatientEditor *self)
{
  GtkWidget *fields[] = {
    GTK_WIDGET (self->family_row), GTK_WIDGET (self->given_row), GTK_WIDGET (self->birth_row),
    GTK_WIDGET (self->phone_row), GTK_WIDGET (self->email_row), GTK_WIDGET (self->address_view),
    GTK_WIDGET (self->payer_row), GTK_WIDGET (self->member_row),
  };
  GtkLabel *labels[] = {
    self->general_error, self->name_error, self->birth_error, self->contact_error,
    self->address_error, self->insurance_error,
  };

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    gtk_widget_remove_css_class (fields[i], "error");
  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    {
      gtk_label_set_label (labels[i], "");
      gtk_widget_set_visible (GTK_WIDGET (labels[i]), FALSE);
    }
}

static void
show_error (CrPatientEditor *self,
            GtkWidget       *field,
            GtkLabel        *label,
            const char      *message)
{
  const char *old = gtk_label_get_label (label);

  if (field != NULL)
    {
      gtk_widget_add_css_class (field, "error");
      gtk_accessible_update_state (GTK_ACCESSIBLE (field),
                                   GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE,
                                   -1);
    }

  /* Two refused fields in one group: both messages show. */
  if (old != NULL && *old != '\0')
    {
      g_autofree char *both = g_strconcat (old, "\n", message, NULL);
      gtk_label_set_label (label, both);
    }
  else
    gtk_label_set_label (label, message);
  gtk_widget_set_visible (GTK_WIDGET (label), TRUE);
}

static char *
dup_date_message (const GError *error)
{
  if (g_error_matches (error, CR_DATE_ERROR, CR_DATE_ERROR_FORMAT))
    return g_strdup (_("Write the date of birth as YYYY-MM-DD or MM/DD/YYYY."));
  if (g_error_matches (error, CR_DATE_ERROR, CR_DATE_ERROR_IMPOSSIBLE))
    return g_strdup (_("There is no such date: check the day and the month."));
  if (g_error_matches (error, CR_DATE_ERROR, CR_DATE_ERROR_RANGE))
    return g_strdup (_("The date of birth cannot be in the future or before 1880."));
  return g_strdup (error->message);
}

/* Returns the field the error belongs to, and its group's message label. */
static GtkWidget *
field_for_error (CrPatientEditor  *self,
                 const GError     *error,
                 GtkLabel        **label)
{
  if (error->domain == CR_PATIENT_ERROR)
    {
      switch ((CrPatientError) error->code)
        {
        case CR_PATIENT_ERROR_FAMILY_NAME:
          *label = self->name_error;
          return GTK_WIDGET (self->family_row);
        case CR_PATIENT_ERROR_GIVEN_NAMES:
          *label = self->name_error;
          return GTK_WIDGET (self->given_row);
        case CR_PATIENT_ERROR_BIRTH_DATE:
          *label = self->birth_error;
          return GTK_WIDGET (self->birth_row);
        case CR_PATIENT_ERROR_PHONE:
          *label = self->contact_error;
          return GTK_WIDGET (self->phone_row);
        case CR_PATIENT_ERROR_EMAIL:
          *label = self->contact_error;
          return GTK_WIDGET (self->email_row);
        case CR_PATIENT_ERROR_ADDRESS:
          *label = self->address_error;
          return GTK_WIDGET (self->address_view);
        case CR_PATIENT_ERROR_INSURANCE:
          *label = self->insurance_error;
          if (strstr (error->message, "member") != NULL)
            return GTK_WIDGET (self->member_row);
          return GTK_WIDGET (self->payer_row);
        case CR_PATIENT_ERROR_RECORD_NUMBER:
        case CR_PATIENT_ERROR_DUPLICATE:
        default:
          break;
        }
    }
  *label = self->general_error;
  return NULL;
}

/* Reads the form into @patient. Returns FALSE, with the refused fields
 * marked, if anything typed cannot be saved. */
static gboolean
read_form (CrPatientEditor *self,
           CrPatient       *patient)
{
  g_autofree char *family = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->family_row))));
  g_autofree char *given = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->given_row))));
  g_autofree char *birth_text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->birth_row))));
  g_autofree char *phone = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->phone_row))));
  g_autofree char *email = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->email_row))));
  g_autofree char *payer = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->payer_row))));
  g_autofree char *member = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->member_row))));
  g_autofree char *address = dup_address (self);
  g_autoptr(GError) date_error = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *first = NULL;
  GDate date;

  cr_patient_set_family_name (patient, family);
  cr_patient_set_given_names (patient, given);
  cr_patient_set_sex (patient, (CrSex) adw_combo_row_get_selected (self->sex_row));
  cr_patient_set_phone (patient, phone);
  cr_patient_set_email (patient, email);
  cr_patient_set_address (patient, address);
  cr_patient_set_insurance_payer (patient, payer);
  cr_patient_set_insurance_member_id (patient, member);
  if (self->original != NULL)
    cr_patient_set_inactive (patient, gtk_switch_get_active (self->inactive_switch));

  if (*birth_text == '\0')
    cr_patient_set_birth_date (patient, NULL);
  else if (cr_date_parse_birth (birth_text, &date, &date_error))
    {
      g_autofree char *iso = cr_date_to_iso (&date);
      cr_patient_set_birth_date (patient, iso);
    }
  else
    cr_patient_set_birth_date (patient, NULL);

  /* The name comes first in the form, so its message comes first too. */
  if (*family == '\0')
    {
      show_error (self, GTK_WIDGET (self->family_row), self->name_error,
                  _("Enter the family name."));
      first = GTK_WIDGET (self->family_row);
    }

  if (date_error != NULL)
    {
      g_autofree char *message = dup_date_message (date_error);

      show_error (self, GTK_WIDGET (self->birth_row), self->birth_error, message);
      if (first == NULL)
        first = GTK_WIDGET (self->birth_row);
    }

  if (first == NULL && !cr_patient_validate (patient, &error))
    {
      GtkLabel *label = NULL;
      GtkWidget *field = field_for_error (self, error, &label);

      show_error (self, field, label, error->message);
      first = field ? field : GTK_WIDGET (self->family_row);
    }

  if (first != NULL)
    {
      gtk_widget_grab_focus (first);
      return FALSE;
    }
  return TRUE;
}

static gboolean
close_idle (gpointer data)
{
  gtk_window_close (GTK_WINDOW (data));
  return G_SOURCE_REMOVE;
}

/* Closes once the duplicate question, transient for this window, is gone. */
static void
close_soon (CrPatientEditor *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, close_idle, g_object_ref (self), g_object_unref);
}

static void
finish_saved (CrPatientEditor *self,
              CrPatient       *patient)
{
  g_signal_emit (self, signals[SAVED], 0, patient);
  close_soon (self);
}

static void
show_save_error (CrPatientEditor *self,
                 const GError    *error)
{
  GtkLabel *label = NULL;
  GtkWidget *field = field_for_error (self, error, &label);

  if (label == self->general_error)
    {
      g_autofree char *message = NULL;

      /* Translators: %s says why the database refused the change */
      message = g_strdup_printf (_("The patient could not be saved: %s"), error->message);
      show_error (self, NULL, label, message);
    }
  else
    show_error (self, field, label, error->message);
  if (field != NULL)
    gtk_widget_grab_focus (field);
}

static char *
dup_duplicate_record_number (const GError *error)
{
  /* The store names the registered patient's record number last, in
   * parentheses. */
  const char *open = strrchr (error->message, '(');
  const char *close = open ? strchr (open, ')') : NULL;

  if (open == NULL || close == NULL || close - open < 2)
    return NULL;
  return g_strndup (open + 1, close - open - 1);
}

static void
on_duplicate_response (CrPatientEditor  *self,
                       const char       *response,
                       AdwMessageDialog *dialog)
{
  g_autoptr(CrPatient) pending = g_steal_pointer (&self->pending);
  CrPatient *existing = g_object_get_data (G_OBJECT (dialog), "existing");

  if (pending == NULL)
    return;

  if (g_strcmp0 (response, "open") == 0 && existing != NULL)
    {
      g_signal_emit (self, signals[OPEN_PATIENT], 0, existing);
      close_soon (self);
    }
  else if (g_strcmp0 (response, "register") == 0)
    {
      g_autoptr(GError) error = NULL;

      if (cr_store_add_patient (self->store, pending, TRUE, &error))
        finish_saved (self, pending);
      else
        show_save_error (self, error);
    }
}

static void
ask_about_duplicate (CrPatientEditor *self,
                     CrPatient       *patient,
                     const GError    *error)
{
  g_autofree char *record = dup_duplicate_record_number (error);
  g_autoptr(CrPatient) existing = NULL;
  g_autofree char *body = NULL;
  AdwMessageDialog *dialog;

  if (record != NULL)
    existing = cr_store_find_patient_by_record_number (self->store, record, NULL);

  if (record != NULL)
    /* Translators: %s is the record number of the patient already registered */
    body = g_strdup_printf (_("A patient with this name and birth date is already registered (%s)."),
                            record);
  else
    body = g_strdup (_("A patient with this name and birth date is already registered."));

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self),
                                                       _("Same Patient?"), body));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "register", _("_Register Anyway"),
                                    NULL);
  if (existing != NULL)
    {
      adw_message_dialog_add_response (dialog, "open", _("_Open Existing"));
      adw_message_dialog_set_response_appearance (dialog, "open", ADW_RESPONSE_SUGGESTED);
      adw_message_dialog_set_default_response (dialog, "open");
      g_object_set_data_full (G_OBJECT (dialog), "existing",
                              g_steal_pointer (&existing), g_object_unref);
    }
  adw_message_dialog_set_close_response (dialog, "cancel");

  g_set_object (&self->pending, patient);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_duplicate_response),
                           self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
cr_patient_editor_save (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  CrPatientEditor *self = CR_PATIENT_EDITOR (widget);
  g_autoptr(CrPatient) patient = NULL;
  g_autoptr(GError) error = NULL;
  gboolean saved;

  clear_errors (self);

  patient = self->original ? cr_patient_copy (self->original) : cr_patient_new ();
  if (!read_form (self, patient))
    return;

  /* One small row: quick enough for the main loop. */
  if (self->original != NULL)
    saved = cr_store_update_patient (self->store, patient, &error);
  else
    saved = cr_store_add_patient (self->store, patient, FALSE, &error);

  if (saved)
    finish_saved (self, patient);
  else if (g_error_matches (error, CR_PATIENT_ERROR, CR_PATIENT_ERROR_DUPLICATE))
    ask_about_duplicate (self, patient, error);
  else
    show_save_error (self, error);
}

static void
on_entry_activated (CrPatientEditor *self,
                    AdwEntryRow     *row)
{
  /* Enter moves on to the next field; in the last one it saves. */
  struct { gpointer from; gpointer to; } next[] = {
    { self->family_row, self->given_row },
    { self->given_row, self->birth_row },
    { self->birth_row, self->sex_row },
    { self->phone_row, self->email_row },
    { self->email_row, self->address_view },
    { self->payer_row, self->member_row },
  };

  for (guint i = 0; i < G_N_ELEMENTS (next); i++)
    if (next[i].from == (gpointer) row)
      {
        gtk_widget_grab_focus (GTK_WIDGET (next[i].to));
        return;
      }
  gtk_widget_activate_action (GTK_WIDGET (self), "editor.save", NULL);
}

static void
load_patient (CrPatientEditor *self)
{
  CrPatient *p = self->original;
  const char *address;

  gtk_widget_set_visible (GTK_WIDGET (self->status_group), p != NULL);
  if (p == NULL)
    {
      adw_window_title_set_title (self->window_title, _("New Patient"));
      gtk_window_set_title (GTK_WINDOW (self), _("New Patient"));
      return;
    }

  adw_window_title_set_title (self->window_title, _("Edit Patient"));
  adw_window_title_set_subtitle (self->window_title, cr_patient_get_record_number (p));
  gtk_window_set_title (GTK_WINDOW (self), _("Edit Patient"));

#define SET(row, value) gtk_editable_set_text (GTK_EDITABLE (row), (value) ? (value) : "")
  SET (self->family_row, cr_patient_get_family_name (p));
  SET (self->given_row, cr_patient_get_given_names (p));
  SET (self->birth_row, cr_patient_get_birth_date (p));
  SET (self->phone_row, cr_patient_get_phone (p));
  SET (self->email_row, cr_patient_get_email (p));
  SET (self->payer_row, cr_patient_get_insurance_payer (p));
  SET (self->member_row, cr_patient_get_insurance_member_id (p));
#undef SET
  address = cr_patient_get_address (p);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->address_view),
                            address ? address : "", -1);
  adw_combo_row_set_selected (self->sex_row, cr_patient_get_sex (p));
  gtk_switch_set_active (self->inactive_switch, cr_patient_get_inactive (p));
}

static void
cr_patient_editor_dispose (GObject *object)
{
  CrPatientEditor *self = (CrPatientEditor *)object;

  g_clear_object (&self->store);
  g_clear_object (&self->original);
  g_clear_object (&self->pending);

  G_OBJECT_CLASS (cr_patient_editor_parent_class)->dispose (object);
}

static void
cr_patient_editor_class_init (CrPatientEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cr_patient_editor_dispose;

  /**
   * CrPatientEditor::saved:
   * @patient: the patient as saved, with its record number
   */
  signals[SAVED] =
    g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, CR_TYPE_PATIENT);
  /**
   * CrPatientEditor::open-patient:
   * @patient: the registered patient the user chose instead of a duplicate
   */
  signals[OPEN_PATIENT] =
    g_signal_new ("open-patient", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, CR_TYPE_PATIENT);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/chartroom/Chartroom/cr-patient-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, CrPatientEditor, window_title);
  gtk_widget_class_bind_template_child (widget_class, CrPatientEditor, general_error);
  gtk_widget_class_bind_template_child (widget_class, CrPatientEditor, family_row);
  gtk_widget_class_bind_template_child (widget_class, CrPatientEditor, given_row);
  gtk_widget_class_bind_template_child (widget_class, CrPatientEditor, name_error);
  gtk_widget_class_bind_template_child (widget_class, CrPatientEditor, birth_row);
  gtk_widget_class_bind_template_child (widget_class, CrPatientEditor, sex_row);
  gtk_widget_class_bind_template_child (widget_class, CrPatientEditor, birth_error);
  gtk_widget_class_bind_template_child (widget_class, CrPatientEditor, phone_row);
  gtk_widget_class_bind_template_child (widget_class, CrPatientEditor, email_row);
  gtk_widget_class_bind_template_child (widget_class, CrPatientEditor, contact_error);
  gtk_widget_class_bind_template_child (widget_class, CrPatientEditor, address_view);
  gtk_widget_class_bind_template_child (widget_class, CrPatientEditor, address_error);
  gtk_widget_class_bind_template_child (widget_class, CrPatientEditor, payer_row);
  gtk_widget_class_bind_template_child (widget_class, CrPatientEditor, member_row);
  gtk_widget_class_bind_template_child (widget_class, CrPatientEditor, insurance_error);
  gtk_widget_class_bind_template_child (widget_class, CrPatientEditor, status_group);
  gtk_widget_class_bind_template_child (widget_class, CrPatientEditor, inactive_switch);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_activated);

  gtk_widget_class_install_action (widget_class, "editor.save", NULL, cr_patient_editor_save);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "editor.save", NULL);
}

static void
cr_patient_editor_init (CrPatientEditor *self)
{
  GtkEditable *delegate;

  gtk_widget_init_template (GTK_WIDGET (self));

  /* AdwEntryRow 1.2 has no placeholder of its own; its text field does. */
  delegate = gtk_editable_get_delegate (GTK_EDITABLE (self->birth_row));
  if (GTK_IS_TEXT (delegate))
    gtk_text_set_placeholder_text (GTK_TEXT (delegate), _("YYYY-MM-DD or MM/DD/YYYY"));
}

/**
 * cr_patient_editor_new:
 * @parent: the main window
 * @store: the open practice
 * @patient: (nullable): the patient to change, or %NULL to register one;
 *   the form edits a copy and reports the saved patient in #CrPatientEditor::saved
 *
 * Returns: (transfer floating): a modal window; present it
 */
GtkWidget *
cr_patient_editor_new (GtkWindow *parent,
                       CrStore   *store,
                       CrPatient *patient)
{
  CrPatientEditor *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (CR_IS_STORE (store), NULL);
  g_return_val_if_fail (patient == NULL || CR_IS_PATIENT (patient), NULL);

  self = g_object_new (CR_TYPE_PATIENT_EDITOR,
                       "transient-for", parent,
                       "modal", TRUE,
                       NULL);
  self->store = g_object_ref (store);
  self->original = patient ? g_object_ref (patient) : NULL;
  load_patient (self);
  return GTK_WIDGET (self);
}

/**
 * cr_patient_editor_get_patient:
 *
 * Returns: (transfer none) (nullable): the patient being changed, or %NULL
 *   for a new one
 */
CrPatient *
cr_patient_editor_get_patient (CrPatientEditor *self)
{
  g_return_val_if_fail (CR_IS_PATIENT_EDITOR (self), NULL);
  return self->original;
}
