/* cr-preferences-window.c: the practice's preferences
 *
 * One AdwPreferencesPage per concern. "Practice" shows what the practice
 * is and where it lives; "Code Sets" shows the imported ICD-10-CM release
 * and the FDA Orange Book drug list, and imports a new one of either off
 * the main loop, with progress and Cancel.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cr-preferences-window"

#include "config.h"

#include <glib/gi18n.h>

#include "chartroom-resources.h"
#include "cr-codes.h"
#include "cr-drugs.h"
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

  GtkWidget *codes_page;
  GtkWidget *import_button;
  GtkWidget *empty_row;
  GtkWidget *release_row;
  GtkWidget *release_label;
  GtkWidget *billable_row;
  GtkWidget *billable_label;
  GtkWidget *headers_row;
  GtkWidget *headers_label;
  GtkWidget *import_group;
  GtkWidget *progress_row;
  GtkWidget *progress_bar;
  GtkWidget *cancel_button;
  GtkWidget *result_row;
  GtkWidget *result_icon;

  GtkWidget *drugs_import_button;
  GtkWidget *drugs_empty_row;
  GtkWidget *drugs_count_row;
  GtkWidget *drugs_count_label;
  GtkWidget *drugs_imported_row;
  GtkWidget *drugs_imported_label;
  GtkWidget *drugs_progress_row;
  GtkWidget *drugs_progress_bar;
  GtkWidget *drugs_cancel_button;
  GtkWidget *drugs_result_row;
  GtkWidget *drugs_result_icon;

  CrStore      *store;
  GCancellable *cancellable;         /* counting codes; cancelled in dispose */
  GCancellable *import_cancellable;  /* the running import, or NULL */
  GCancellable *drugs_cancellable;   /* the running drug list import, or NULL */
  GtkNativeDialog *chooser;
  AdwToast     *toast;               /* the last one shown, weak */
};

G_DEFINE_FINAL_TYPE (CrPreferencesWindow, cr_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

enum {
  PROP_0,
  PROP_STORE,
  PROP_IMPORTING,
  PROP_IMPORTING_DRUGS,
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

/* ---- code sets ------------------------------------------------------------ */

typedef struct
{
  char  *release;
  guint  billable;
  guint  headers;
} CodeCounts;

static void
code_counts_free (CodeCounts *counts)
{
  g_free (counts->release);
  g_free (counts);
}

/* Digits grouped as the user's locale writes them: "74,719". */
static char *
format_count (guint n)
{
  return g_strdup_printf ("%'u", n);
}

static void
count_codes_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  CrStore *store = task_data;
  g_autoptr(GError) error = NULL;
  CodeCounts *counts = g_new0 (CodeCounts, 1);

  counts->release = cr_store_dup_code_release (store, CR_CODE_SYSTEM_ICD10CM);
  if (!cr_store_count_codes (store, CR_CODE_SYSTEM_ICD10CM,
                             &counts->billable, &counts->headers, &error))
    {
      code_counts_free (counts);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_pointer (task, counts, (GDestroyNotify) code_counts_free);
}

static void
show_code_counts (CrPreferencesWindow *self,
                  const CodeCounts    *counts)
{
  gboolean have = counts != NULL && counts->release != NULL &&
                  counts->billable + counts->headers > 0;

  gtk_widget_set_visible (self->empty_row, !have);
  gtk_widget_set_visible (self->release_row, have);
  gtk_widget_set_visible (self->billable_row, have);
  gtk_widget_set_visible (self->headers_row, have);
  gtk_button_set_label (GTK_BUTTON (self->import_button),
                        have ? _("_Import Newer…") : _("_Import…"));
  if (have)
    {
      g_autofree char *billable = format_count (counts->billable);
      g_autofree char *headers = format_count (counts->headers);
      g_autofree char *release = NULL;

      /* CMS names releases by fiscal year. */
      if (strlen (counts->release) == 4 && g_ascii_isdigit (counts->release[0]))
        /* Translators: FY is the US government's fiscal year; %s is a year */
        release = g_strdup_printf (_("FY%s"), counts->release);
      else
        release = g_strdup (counts->release);
      gtk_label_set_label (GTK_LABEL (self->release_label), release);
      gtk_label_set_label (GTK_LABEL (self->billable_label), billable);
      gtk_label_set_label (GTK_LABEL (self->headers_label), headers);
    }
}

static void
count_codes_done (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(CrPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  CodeCounts *counts = g_task_propagate_pointer (G_TASK (result), &error);

  if (counts == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Cannot count the practice’s codes: %s", error->message);
      return;
    }
  show_code_counts (self, counts);
  code_counts_free (counts);
}

static void
update_codes (CrPreferencesWindow *self)
{
  g_autoptr(GTask) task = NULL;

  if (self->store == NULL)
    return;

  task = g_task_new (NULL, self->cancellable, count_codes_done, g_object_ref (self));
  g_task_set_source_tag (task, update_codes);
  g_task_set_task_data (task, g_object_ref (self->store), g_object_unref);
  g_task_run_in_thread (task, count_codes_thread);
}

static void
set_importing (CrPreferencesWindow *self,
               GCancellable        *cancellable)
{
  gboolean importing = cancellable != NULL;

  if (self->import_cancellable == cancellable)
    return;
  g_set_object (&self->import_cancellable, cancellable);

  gtk_widget_set_sensitive (self->import_button, !importing);
  gtk_widget_set_visible (self->progress_row, importing);
  if (importing)
    {
      gtk_widget_set_visible (self->import_group, TRUE);
      gtk_widget_set_visible (self->result_row, FALSE);
      gtk_widget_set_sensitive (self->cancel_button, TRUE);
      gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (self->progress_bar), 0.0);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IMPORTING]);
}

/* The outcome of an import in its result row: what was imported, or why
 * not. Shared by the code set and the drug list. */
static void
show_result_in (GtkWidget  *row,
                GtkWidget  *icon,
                gboolean    ok,
                const char *title,
                const char *detail)
{
  gtk_widget_set_visible (row, TRUE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), detail);
  gtk_image_set_from_icon_name (GTK_IMAGE (icon),
                                ok ? "emblem-ok-symbolic" : "dialog-warning-symbolic");
  if (ok)
    {
      gtk_widget_remove_css_class (icon, "error");
      gtk_widget_add_css_class (icon, "success");
    }
  else
    {
      gtk_widget_remove_css_class (icon, "success");
      gtk_widget_add_css_class (icon, "error");
    }
}

static void
show_result (CrPreferencesWindow *self,
             gboolean             ok,
             const char          *title,
             const char          *detail)
{
  gtk_widget_set_visible (self->import_group, TRUE);
  show_result_in (self->result_row, self->result_icon, ok, title, detail);
}

static void
show_progress_in (GtkWidget *row,
                  GtkWidget *bar,
                  double     fraction)
{
  g_autofree char *percent = NULL;

  fraction = CLAMP (fraction, 0.0, 1.0);
  gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (bar), fraction);
  /* Translators: %d is a percentage; %% is the percent sign */
  percent = g_strdup_printf (_("%d %% done"), (int) (fraction * 100));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), percent);
}

/* "Importing “products.txt”" */
static void
show_importing_in (GtkWidget *row,
                   GFile     *file)
{
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *display = g_filename_display_name (name);
  /* Translators: %s is a file name */
  g_autofree char *title = g_strdup_printf (_("Importing “%s”"), display);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _("Reading the file…"));
}

/* One toast at a time: a second import replaces the first's. */
static void
show_toast (CrPreferencesWindow *self,
            const char          *title)
{
  if (self->toast != NULL)
    adw_toast_dismiss (self->toast);
  self->toast = adw_toast_new (title);
  g_object_add_weak_pointer (G_OBJECT (self->toast), (gpointer *) &self->toast);
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), self->toast);
}

/* A chooser for the plain-text file an import reads. */
static GtkNativeDialog *
new_text_file_chooser (CrPreferencesWindow *self,
                       const char          *title,
                       const char          *filter_name)
{
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (title, GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN,
                                         _("_Import"), _("_Cancel"));
  gtk_file_filter_set_name (filter, filter_name);
  gtk_file_filter_add_pattern (filter, "*.txt");
  gtk_file_filter_add_mime_type (filter, "text/plain");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  return GTK_NATIVE_DIALOG (chooser);
}

static void
import_progress (double   fraction,
                 gpointer user_data)
{
  CrPreferencesWindow *self = user_data;

  /* A late update after the window closed or the import ended. */
  if (self->import_cancellable == NULL)
    return;
  show_progress_in (self->progress_row, self->progress_bar, fraction);
}

static void
import_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(CrPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  CrCodeImportStats stats = { 0 };
  gboolean ok;

  ok = cr_store_import_codes_finish (CR_STORE (source), result, &stats, &error);

  /* The window went away: nothing to show. */
  if (self->import_cancellable == NULL)
    return;
  set_importing (self, NULL);

  if (ok)
    {
      g_autofree char *billable = format_count (stats.billable);
      g_autofree char *headers = format_count (stats.headers);
      g_autofree char *invalidated = format_count (stats.invalidated);
      g_autofree char *detail = NULL;
      g_autoptr(GString) text = g_string_new (NULL);

      /* Translators: the first %s is a number of billable codes, the second
       * of header codes */
      g_string_append_printf (text, _("%s billable codes and %s header codes."), billable, headers);
      g_string_append_c (text, ' ');
      if (stats.invalidated > 0)
        g_string_append_printf (text,
                                g_dngettext (GETTEXT_PACKAGE,
                                             "%s code is no longer valid: charts keep it, new visits can’t use it.",
                                             "%s codes are no longer valid: charts keep them, new visits can’t use them.",
                                             stats.invalidated),
                                invalidated);
      else
        g_string_append (text, _("No code was dropped."));

      show_result (self, TRUE, _("Code set imported"), text->str);
      show_toast (self, _("Code set imported"));
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    show_result (self, FALSE, _("Import cancelled"), _("The code set is unchanged."));
  else
    show_result (self, FALSE, _("Could not import the code set"), error->message);

  update_codes (self);
}

/**
 * cr_preferences_window_import_codes:
 * @file: a CMS ICD-10-CM order file (icd10cm_order_YEAR.txt)
 *
 * Imports @file in a worker thread, showing progress and a Cancel button,
 * then the outcome. This is what the Import button does with the file
 * the person picked.
 */
void
cr_preferences_window_import_codes (CrPreferencesWindow *self,
                                    GFile               *file)
{
  g_autoptr(GCancellable) cancellable = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (CR_IS_PREFERENCES_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  if (self->store == NULL || self->import_cancellable != NULL)
    return;

  path = g_file_get_path (file);
  if (path == NULL)
    {
      show_result (self, FALSE, _("Could not import the code set"),
                   _("Choose a file on this computer."));
      return;
    }

  cancellable = g_cancellable_new ();
  set_importing (self, cancellable);
  show_importing_in (self->progress_row, file);

  /* The release name comes from the file name (icd10cm_order_2026.txt). */
  cr_store_import_codes_async (self->store, path, NULL,
                               import_progress, self,
                               cancellable, import_done, g_object_ref (self));
}

/**
 * cr_preferences_window_get_importing:
 *
 * Returns: %TRUE while a code set import runs
 */
gboolean
cr_preferences_window_get_importing (CrPreferencesWindow *self)
{
  g_return_val_if_fail (CR_IS_PREFERENCES_WINDOW (self), FALSE);
  return self->import_cancellable != NULL;
}

static void
on_chooser_response (CrPreferencesWindow  *self,
                     int                   response,
                     GtkFileChooserNative *chooser)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      if (file != NULL)
        cr_preferences_window_import_codes (self, file);
    }
  g_clear_object (&self->chooser);
}

static void
on_import_clicked (CrPreferencesWindow *self,
                   GtkButton           *button)
{
  if (self->chooser != NULL)
    return;

  self->chooser = new_text_file_chooser (self, _("Import ICD-10-CM Order File"),
                                         _("ICD-10-CM order files (*.txt)"));
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (on_chooser_response),
                           self, G_CONNECT_SWAPPED);
  gtk_native_dialog_show (self->chooser);
}

static void
on_cancel_clicked (CrPreferencesWindow *self,
                   GtkButton           *button)
{
  if (self->import_cancellable == NULL)
    return;
  gtk_widget_set_sensitive (self->cancel_button, FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->progress_row), _("Cancelling…"));
  g_cancellable_cancel (self->import_cancellable);
}

/* ---- drug list ------------------------------------------------------------ */

typedef struct
{
  guint      drugs;
  GDateTime *imported_at;
} DrugCounts;

static void
drug_counts_free (DrugCounts *counts)
{
  g_clear_pointer (&counts->imported_at, g_date_time_unref);
  g_free (counts);
}

static void
count_drugs_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  CrStore *store = task_data;
  g_autoptr(GError) error = NULL;
  DrugCounts *counts = g_new0 (DrugCounts, 1);

  if (!cr_store_count_drugs (store, &counts->drugs, &counts->imported_at, &error))
    {
      drug_counts_free (counts);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_pointer (task, counts, (GDestroyNotify) drug_counts_free);
}

static void
show_drug_counts (CrPreferencesWindow *self,
                  const DrugCounts    *counts)
{
  gboolean have = counts != NULL && counts->drugs > 0;

  gtk_widget_set_visible (self->drugs_empty_row, !have);
  gtk_widget_set_visible (self->drugs_count_row, have);
  gtk_widget_set_visible (self->drugs_imported_row, have && counts->imported_at != NULL);
  gtk_button_set_label (GTK_BUTTON (self->drugs_import_button),
                        have ? _("_Import Newer…") : _("_Import…"));
  if (have)
    {
      g_autofree char *drugs = format_count (counts->drugs);

      gtk_label_set_label (GTK_LABEL (self->drugs_count_label), drugs);
      if (counts->imported_at != NULL)
        {
          g_autoptr(GDateTime) local = g_date_time_to_local (counts->imported_at);
          /* Translators: a date and time; see g_date_time_format() */
          g_autofree char *when = g_date_time_format (local, C_("timestamp format", "%b %-d, %Y, %H:%M"));

          gtk_label_set_label (GTK_LABEL (self->drugs_imported_label), when);
        }
    }
}

static void
count_drugs_done (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(CrPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  DrugCounts *counts = g_task_propagate_pointer (G_TASK (result), &error);

  if (counts == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Cannot count the practice’s drugs: %s", error->message);
      return;
    }
  show_drug_counts (self, counts);
  drug_counts_free (counts);
}

static void
update_drugs (CrPreferencesWindow *self)
{
  g_autoptr(GTask) task = NULL;

  if (self->store == NULL)
    return;

  task = g_task_new (NULL, self->cancellable, count_drugs_done, g_object_ref (self));
  g_task_set_source_tag (task, update_drugs);
  g_task_set_task_data (task, g_object_ref (self->store), g_object_unref);
  g_task_run_in_thread (task, count_drugs_thread);
}

static void
set_importing_drugs (CrPreferencesWindow *self,
                     GCancellable        *cancellable)
{
  gboolean importing = cancellable != NULL;

  if (self->drugs_cancellable == cancellable)
    return;
  g_set_object (&self->drugs_cancellable, cancellable);

  gtk_widget_set_sensitive (self->drugs_import_button, !importing);
  gtk_widget_set_visible (self->drugs_progress_row, importing);
  if (importing)
    {
      gtk_widget_set_visible (self->drugs_result_row, FALSE);
      gtk_widget_set_sensitive (self->drugs_cancel_button, TRUE);
      gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (self->drugs_progress_bar), 0.0);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IMPORTING_DRUGS]);
}

static void
drugs_import_progress (double   fraction,
                       gpointer user_data)
{
  CrPreferencesWindow *self = user_data;

  /* A late update after the window closed or the import ended. */
  if (self->drugs_cancellable == NULL)
    return;
  show_progress_in (self->drugs_progress_row, self->drugs_progress_bar, fraction);
}

static void
drugs_import_done (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(CrPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  CrDrugImportStats stats = { 0 };
  gboolean ok;

  ok = cr_store_import_drugs_finish (CR_STORE (source), result, &stats, &error);

  /* The window went away: nothing to show. */
  if (self->drugs_cancellable == NULL)
    return;
  set_importing_drugs (self, NULL);

  if (ok)
    {
      g_autofree char *drugs = format_count (stats.drugs);
      g_autofree char *products = format_count (stats.products);
      g_autofree char *discontinued = format_count (stats.discontinued);
      g_autofree char *read = NULL;
      g_autofree char *skipped = NULL;
      g_autofree char *text = NULL;

      read = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           /* Translators: the first %s is a number of
                                            * drugs, the second of products (lines of
                                            * the file) */
                                           "%s drug from %s marketed products.",
                                           "%s drugs from %s marketed products.",
                                           stats.drugs),
                              drugs, products);
      skipped = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                              /* Translators: %s is a number of products
                                               * (lines of the file) */
                                              "%s discontinued product was left out.",
                                              "%s discontinued products were left out.",
                                              stats.discontinued),
                                 discontinued);
      text = g_strconcat (read, " ", skipped, NULL);

      show_result_in (self->drugs_result_row, self->drugs_result_icon, TRUE,
                      _("Drug list imported"), text);
      show_toast (self, _("Drug list imported"));
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    show_result_in (self->drugs_result_row, self->drugs_result_icon, FALSE,
                    _("Import cancelled"), _("The drug list is unchanged."));
  else
    show_result_in (self->drugs_result_row, self->drugs_result_icon, FALSE,
                    _("Could not import the drug list"), error->message);

  update_drugs (self);
}

/**
 * cr_preferences_window_import_drugs:
 * @file: the FDA Orange Book product file (products.txt)
 *
 * Imports @file in a worker thread, showing progress and a Cancel button,
 * then the outcome. This is what the drug list's Import button does with
 * the file the person picked.
 */
void
cr_preferences_window_import_drugs (CrPreferencesWindow *self,
                                    GFile               *file)
{
  g_autoptr(GCancellable) cancellable = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (CR_IS_PREFERENCES_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  if (self->store == NULL || self->drugs_cancellable != NULL)
    return;

  path = g_file_get_path (file);
  if (path == NULL)
    {
      show_result_in (self->drugs_result_row, self->drugs_result_icon, FALSE,
                      _("Could not import the drug list"),
                      _("Choose a file on this computer."));
      return;
    }

  cancellable = g_cancellable_new ();
  set_importing_drugs (self, cancellable);
  show_importing_in (self->drugs_progress_row, file);

  cr_store_import_drugs_async (self->store, path,
                               drugs_import_progress, self,
                               cancellable, drugs_import_done, g_object_ref (self));
}

/**
 * cr_preferences_window_get_importing_drugs:
 *
 * Returns: %TRUE while a drug list import runs
 */
gboolean
cr_preferences_window_get_importing_drugs (CrPreferencesWindow *self)
{
  g_return_val_if_fail (CR_IS_PREFERENCES_WINDOW (self), FALSE);
  return self->drugs_cancellable != NULL;
}

static void
on_drugs_chooser_response (CrPreferencesWindow  *self,
                           int                   response,
                           GtkFileChooserNative *chooser)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      if (file != NULL)
        cr_preferences_window_import_drugs (self, file);
    }
  g_clear_object (&self->chooser);
}

static void
on_drugs_import_clicked (CrPreferencesWindow *self,
                         GtkButton           *button)
{
  if (self->chooser != NULL)
    return;

  self->chooser = new_text_file_chooser (self, _("Import FDA Orange Book Product File"),
                                         _("Orange Book product files (*.txt)"));
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (on_drugs_chooser_response),
                           self, G_CONNECT_SWAPPED);
  gtk_native_dialog_show (self->chooser);
}

static void
on_drugs_cancel_clicked (CrPreferencesWindow *self,
                         GtkButton           *button)
{
  if (self->drugs_cancellable == NULL)
    return;
  gtk_widget_set_sensitive (self->drugs_cancel_button, FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->drugs_progress_row), _("Cancelling…"));
  g_cancellable_cancel (self->drugs_cancellable);
}

/* ---- the window ------------------------------------------------------------ */

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
    case PROP_IMPORTING:
      g_value_set_boolean (value, self->import_cancellable != NULL);
      break;
    case PROP_IMPORTING_DRUGS:
      g_value_set_boolean (value, self->drugs_cancellable != NULL);
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
      update_codes (self);
      update_drugs (self);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cr_preferences_window_dispose (GObject *object)
{
  CrPreferencesWindow *self = CR_PREFERENCES_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  /* Closing the window stops an import; the database stays as it was. */
  if (self->import_cancellable != NULL)
    g_cancellable_cancel (self->import_cancellable);
  g_clear_object (&self->import_cancellable);
  if (self->drugs_cancellable != NULL)
    g_cancellable_cancel (self->drugs_cancellable);
  g_clear_object (&self->drugs_cancellable);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (self->chooser);
  g_clear_object (&self->chooser);
  if (self->toast != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->toast), (gpointer *) &self->toast);
  self->toast = NULL;

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
  properties[PROP_IMPORTING] =
    g_param_spec_boolean ("importing", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_IMPORTING_DRUGS] =
    g_param_spec_boolean ("importing-drugs", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  (void) chartroom_get_resource ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/chartroom/Chartroom/cr-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CrPreferencesWindow, practice_page);
  gtk_widget_class_bind_template_child (widget_class, CrPreferencesWindow, name_row);
  gtk_widget_class_bind_template_child (widget_class, CrPreferencesWindow, path_row);
  gtk_widget_class_bind_template_child (widget_class, CrPreferencesWindow, key_row);
  gtk_widget_class_bind_template_child (widget_class, CrPreferencesWindow, cipher_row);
  gtk_widget_class_bind_template_child (widget_class, CrPreferencesWindow, codes_page);
  gtk_widget_class_bind_template_child (widget_class, CrPreferencesWindow, import_button);
  gtk_widget_class_bind_template_child (widget_class, CrPreferencesWindow, empty_row);
  gtk_widget_class_bind_template_child (widget_class, CrPreferencesWindow, release_row);
  gtk_widget_class_bind_template_child (widget_class, CrPreferencesWindow, release_label);
  gtk_widget_class_bind_template_child (widget_class, CrPreferencesWindow, billable_row);
  gtk_widget_class_bind_template_child (widget_class, CrPreferencesWindow, billable_label);
  gtk_widget_class_bind_template_child (widget_class, CrPreferencesWindow, headers_row);
  gtk_widget_class_bind_template_child (widget_class, CrPreferencesWindow, headers_label);
  gtk_widget_class_bind_template_child (widget_class, CrPreferencesWindow, import_group);
  gtk_widget_class_bind_template_child (widget_class, CrPreferencesWindow, progress_row);
  gtk_widget_class_bind_template_child (widget_class, CrPreferencesWindow, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, CrPreferencesWindow, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, CrPreferencesWindow, result_row);
  gtk_widget_class_bind_template_child (widget_class, CrPreferencesWindow, result_icon);
  gtk_widget_class_bind_template_child (widget_class, CrPreferencesWindow, drugs_import_button);
  gtk_widget_class_bind_template_child (widget_class, CrPreferencesWindow, drugs_empty_row);
  gtk_widget_class_bind_template_child (widget_class, CrPreferencesWindow, drugs_count_row);
  gtk_widget_class_bind_template_child (widget_class, CrPreferencesWindow, drugs_count_label);
  gtk_widget_class_bind_template_child (widget_class, CrPreferencesWindow, drugs_imported_row);
  gtk_widget_class_bind_template_child (widget_class, CrPreferencesWindow, drugs_imported_label);
  gtk_widget_class_bind_template_child (widget_class, CrPreferencesWindow, drugs_progress_row);
  gtk_widget_class_bind_template_child (widget_class, CrPreferencesWindow, drugs_progress_bar);
  gtk_widget_class_bind_template_child (widget_class, CrPreferencesWindow, drugs_cancel_button);
  gtk_widget_class_bind_template_child (widget_class, CrPreferencesWindow, drugs_result_row);
  gtk_widget_class_bind_template_child (widget_class, CrPreferencesWindow, drugs_result_icon);
  gtk_widget_class_bind_template_callback (widget_class, on_import_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_drugs_import_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_drugs_cancel_clicked);
}

static void
cr_preferences_window_init (CrPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  show_code_counts (self, NULL);
  show_drug_counts (self, NULL);
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
