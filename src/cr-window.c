/* cr-window.c: the main window: practice lifecycle pages and the main view
 *
 * A GtkStack of pages: welcome, create, passphrase, unlock, recovery,
 * loading, error and, once a practice is open, the main view. This file
 * walks a practice from its file to an open CrStore: the key comes from
 * the keyring, a passphrase file or the recovery key, and every slow step
 * (keyring, Argon2, opening, creating, the demo) runs off the main loop
 * under self->cancellable, which a new step or closing the window cancels.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cr-window"

#include "config.h"

#include <glib/gi18n.h>

#include "chartroom-resources.h"
#include "cr-create-practice.h"
#include "cr-keyring.h"
#include "cr-main-view.h"
#include "cr-patient-sidebar.h"
#include "cr-passphrase-page.h"
#include "cr-practice.h"
#include "cr-recovery-key-page.h"
#include "cr-unlock-page.h"
#include "cr-welcome-page.h"
#include "cr-window.h"

typedef enum
{
  PASSPHRASE_FOR_UNLOCK,    /* the practice is protected by a passphrase */
  PASSPHRASE_FOR_NEW,       /* a new practice, and the keyring failed */
  PASSPHRASE_FOR_RECOVERED, /* opened with the recovery key, keyring failed */
} PassphrasePurpose;

struct _CrWindow
{
  AdwApplicationWindow  parent_instance;

  /* template */
  GtkWidget            *toast_overlay;
  GtkWidget            *stack;
  GtkWidget            *loading_spinner;
  GtkWidget            *loading_label;
  GtkWidget            *loading_progress;
  GtkWidget            *loading_detail;
  GtkWidget            *error_status;

  /* made when first shown: get_page () */
  GtkWidget            *welcome_page;
  GtkWidget            *create_page;
  GtkWidget            *passphrase_page;
  GtkWidget            *unlock_page;
  GtkWidget            *recovery_page;

  GSettings            *settings;
  GCancellable         *cancellable;
  GtkFileChooserNative *chooser;
  GtkWidget            *main_view;

  char                 *path;          /* the practice being opened, or open */
  CrStore              *store;         /* the open practice */
  CrStore              *pending_store; /* open, but its key is not settled yet */
  CrKey                *pending_key;
  char                 *pending_name;
  PassphrasePurpose     purpose;
  gboolean              pending_is_new; /* created, key kept nowhere yet */
  gboolean              quit_when_ready;
};

G_DEFINE_FINAL_TYPE (CrWindow, cr_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_STORE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void on_create (CrWindow *self, const char *name, const char *path, gpointer page);
static void on_passphrase_submit (CrWindow *self, const char *passphrase, gpointer page);
static void on_passphrase_other (CrWindow *self);
static void on_unlock_submit (CrWindow *self, const char *text, gpointer page);
static void on_recovery_done (CrWindow *self);

/* The page called @name; the welcome, create, passphrase, unlock and
 * recovery pages are made the first time they are needed, not at start-up
 * (most starts open the last practice and never show them). */
static GtkWidget *
get_page (CrWindow   *self,
          const char *name)
{
  GtkWidget **field = NULL;
  GtkWidget *page;

  if (g_strcmp0 (name, "welcome") == 0)
    field = &self->welcome_page;
  else if (g_strcmp0 (name, "create") == 0)
    field = &self->create_page;
  else if (g_strcmp0 (name, "passphrase") == 0)
    field = &self->passphrase_page;
  else if (g_strcmp0 (name, "unlock") == 0)
    field = &self->unlock_page;
  else if (g_strcmp0 (name, "recovery") == 0)
    field = &self->recovery_page;
  else
    return gtk_stack_get_child_by_name (GTK_STACK (self->stack), name);

  if (*field != NULL)
    return *field;

  if (field == &self->welcome_page)
    page = cr_welcome_page_new ();
  else if (field == &self->create_page)
    {
      page = g_object_new (CR_TYPE_CREATE_PRACTICE, NULL);
      g_signal_connect_object (page, "create", G_CALLBACK (on_create), self, G_CONNECT_SWAPPED);
    }
  else if (field == &self->passphrase_page)
    {
      page = g_object_new (CR_TYPE_PASSPHRASE_PAGE, NULL);
      g_signal_connect_object (page, "submit", G_CALLBACK (on_passphrase_submit), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (page, "other", G_CALLBACK (on_passphrase_other), self,
                               G_CONNECT_SWAPPED);
    }
  else if (field == &self->unlock_page)
    {
      page = g_object_new (CR_TYPE_UNLOCK_PAGE, NULL);
      g_signal_connect_object (page, "submit", G_CALLBACK (on_unlock_submit), self,
                               G_CONNECT_SWAPPED);
    }
  else
    {
      page = g_object_new (CR_TYPE_RECOVERY_KEY_PAGE, NULL);
      g_signal_connect_object (page, "done", G_CALLBACK (on_recovery_done), self,
                               G_CONNECT_SWAPPED);
    }

  *field = page;
  gtk_stack_add_named (GTK_STACK (self->stack), page, name);
  return page;
}

static void
show_page (CrWindow   *self,
           const char *name)
{
  gboolean loading = g_strcmp0 (name, "loading") == 0;
  GtkWidget *page = get_page (self, name);
  GtkWidget *current = gtk_stack_get_visible_child (GTK_STACK (self->stack));
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));
  gboolean move_focus = page != current && current != NULL && focus != NULL &&
                        gtk_widget_is_ancestor (focus, current);

  gtk_spinner_set_spinning (GTK_SPINNER (self->loading_spinner), loading);
  /* The focus moves into the page shown, as GtkStack would move it, but
   * only if the page did not take it when mapped (the welcome page gives
   * it to its first action): GtkStack's move comes after and would step
   * past it, now that the welcome page is not there from the start. */
  if (move_focus)
    gtk_window_set_focus (GTK_WINDOW (self), NULL);
  gtk_stack_set_visible_child (GTK_STACK (self->stack), page);
  if (move_focus && gtk_root_get_focus (GTK_ROOT (self)) == NULL)
    gtk_widget_child_focus (page, GTK_DIR_TAB_FORWARD);
}

static void
show_toast (CrWindow   *self,
            const char *title)
{
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (self->toast_overlay), adw_toast_new (title));
}

static void
show_loading (CrWindow   *self,
              const char *title,
              const char *detail,
              gboolean    progress)
{
  gtk_label_set_text (GTK_LABEL (self->loading_label), title);
  gtk_label_set_text (GTK_LABEL (self->loading_detail), detail ? detail : "");
  gtk_widget_set_visible (self->loading_progress, progress);
  gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (self->loading_progress), 0);
  show_page (self, "loading");
}

static void
show_error (CrWindow   *self,
            const char *title,
            const char *message)
{
  adw_status_page_set_title (ADW_STATUS_PAGE (self->error_status), title);
  adw_status_page_set_description (ADW_STATUS_PAGE (self->error_status), message);
  show_page (self, "error");
}

/* Every way a practice can fail to open ends here, with the store's own
 * explanation under a title that says what kind of problem it is. */
static void
show_store_error (CrWindow     *self,
                  const GError *error)
{
  const char *title = _("The Practice Could Not Be Opened");
  g_autofree char *escaped = g_markup_escape_text (error->message, -1);

  if (error->domain == CR_STORE_ERROR)
    {
      switch ((CrStoreError) error->code)
        {
        case CR_STORE_ERROR_NOT_FOUND:
          title = _("Practice Not Found");
          break;
        case CR_STORE_ERROR_WRONG_KEY:
          title = _("Wrong Key");
          break;
        case CR_STORE_ERROR_NOT_DATABASE:
        case CR_STORE_ERROR_NOT_CHARTROOM:
          title = _("Not a Chartroom Practice");
          break;
        case CR_STORE_ERROR_CORRUPT:
          title = _("The Practice Is Damaged");
          break;
        case CR_STORE_ERROR_NEWER_VERSION:
          title = _("The Practice Needs a Newer Chartroom");
          break;
        case CR_STORE_ERROR_UNREADABLE:
        case CR_STORE_ERROR_UNWRITABLE:
          title = _("No Access to the Practice");
          break;
        case CR_STORE_ERROR_BUSY:
          title = _("The Practice Is in Use");
          break;
        case CR_STORE_ERROR_DISK_FULL:
          title = _("The Disk Is Full");
          break;
        default:
          break;
        }
    }

  /* AdwStatusPage's description is markup. */
  show_error (self, title, escaped);
}

static void
set_store (CrWindow *self,
           CrStore  *store)
{
  if (self->store == store)
    return;

  if (self->store != NULL)
    cr_store_close (self->store);
  g_set_object (&self->store, store);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
}

/* Drops the practice and whatever was under way: back to a clean slate. */
static void
reset_practice (CrWindow *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  if (self->main_view != NULL)
    {
      /* Focus out first, so that a focused entry stops blinking before it goes. */
      gtk_window_set_focus (GTK_WINDOW (self), NULL);
      gtk_stack_remove (GTK_STACK (self->stack), self->main_view);
      self->main_view = NULL;
    }

  set_store (self, NULL);

  if (self->pending_store != NULL)
    {
      cr_store_close (self->pending_store);
      g_clear_object (&self->pending_store);
      /* Its key is kept nowhere: the file could never be opened again. */
      if (self->pending_is_new && self->path != NULL)
        cr_practice_discard (self->path);
    }
  self->pending_is_new = FALSE;
  g_clear_pointer (&self->pending_key, cr_key_free);
  g_clear_pointer (&self->pending_name, g_free);
  g_clear_pointer (&self->path, g_free);

  if (self->recovery_page != NULL)
    cr_recovery_key_page_clear (CR_RECOVERY_KEY_PAGE (self->recovery_page));
  gtk_window_set_title (GTK_WINDOW (self), _("Chartroom"));
}

/* ---- --quit-when-ready: start-up measured as a whole process ------------- */

static gboolean
quit_after_frame (GtkWidget     *widget,
                  GdkFrameClock *frame_clock,
                  gpointer       user_data)
{
  GApplication *app = G_APPLICATION (gtk_window_get_application (GTK_WINDOW (widget)));

  /* The patient list has been drawn: the window is usable. */
  g_print ("ready\n");
  if (app != NULL)
    g_application_quit (app);
  else
    gtk_window_destroy (GTK_WINDOW (widget));
  return G_SOURCE_REMOVE;
}

/* Usable: the patient list shows patients (its first screenful: the rest
 * and the count may still be on their way, see CrPatientList), or its
 * search is done (an empty practice). */
static void
check_ready (CrWindow *self)
{
  CrPatientSidebar *sidebar = cr_main_view_get_sidebar (CR_MAIN_VIEW (self->main_view));
  GListModel *patients = cr_patient_sidebar_get_model (sidebar);

  if (cr_patient_sidebar_get_loading (sidebar) && g_list_model_get_n_items (patients) == 0)
    return;
  g_signal_handlers_disconnect_by_func (sidebar, check_ready, self);
  g_signal_handlers_disconnect_by_func (patients, check_ready, self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  gtk_widget_add_tick_callback (GTK_WIDGET (self), quit_after_frame, NULL, NULL);
}

static void
watch_until_ready (CrWindow *self)
{
  CrPatientSidebar *sidebar = cr_main_view_get_sidebar (CR_MAIN_VIEW (self->main_view));

  g_signal_connect_object (sidebar, "notify::loading", G_CALLBACK (check_ready), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (cr_patient_sidebar_get_model (sidebar), "items-changed",
                           G_CALLBACK (check_ready), self, G_CONNECT_SWAPPED);
  check_ready (self);
}

static void
finish_open (CrWindow *self,
             CrStore  *store)
{
  g_autoptr(CrStore) keep = g_object_ref (store); /* may be self->pending_store */
  g_autofree char *name = cr_store_dup_practice_name (store);
  g_autofree char *demo = cr_practice_get_demo_path ();

  g_clear_pointer (&self->pending_key, cr_key_free);
  g_clear_object (&self->pending_store);
  self->pending_is_new = FALSE;

  if (g_strcmp0 (self->path, demo) != 0)
    cr_store_set_user (store, g_get_user_name ());
  set_store (self, store);
  g_settings_set_string (self->settings, "last-practice", self->path);

  if (self->main_view != NULL)
    gtk_stack_remove (GTK_STACK (self->stack), self->main_view);
  self->main_view = cr_main_view_new ();
  cr_main_view_set_store (CR_MAIN_VIEW (self->main_view), store);
  gtk_stack_add_named (GTK_STACK (self->stack), self->main_view, "main");

  gtk_window_set_title (GTK_WINDOW (self), name && *name ? name : _("Chartroom"));
  show_page (self, "main");

  if (self->quit_when_ready)
    watch_until_ready (self);
}

static char *
keyring_label (const char *name,
               const char *path)
{
  /* Translators: how the practice's key is named in the keyring (Seahorse).
   * %s is the practice's name, then its database file. */
  return g_strdup_printf (_("Chartroom practice key for “%s” (%s)"), name ? name : "", path);
}

static void
show_unlock (CrWindow   *self,
             const char *reason)
{
  cr_unlock_page_setup (CR_UNLOCK_PAGE (get_page (self, "unlock")), self->path, reason);
  show_page (self, "unlock");
}

static char *
describe_keyring_error (const GError *error)
{
  if (g_error_matches (error, CR_KEYRING_ERROR, CR_KEYRING_ERROR_NOT_FOUND))
    return g_strdup (_("This computer’s keyring holds no key for this practice. The practice may "
                       "come from another computer, or the keyring was reset."));
  if (g_error_matches (error, CR_KEYRING_ERROR, CR_KEYRING_ERROR_UNAVAILABLE))
    return g_strdup (_("There is no keyring on this computer, so the practice’s key cannot be "
                       "looked up."));
  if (g_error_matches (error, CR_KEYRING_ERROR, CR_KEYRING_ERROR_TIMEOUT))
    return g_strdup (_("The keyring did not answer in time. It may be locked, with no way to ask "
                       "for its password."));
  /* Translators: %s is an error message */
  return g_strdup_printf (_("The keyring could not give the practice’s key: %s"), error->message);
}

/* ---- passphrase ---------------------------------------------------------- */

static void
show_passphrase (CrWindow          *self,
                 PassphrasePurpose  purpose,
                 const char        *description)
{
  CrPassphrasePage *page = CR_PASSPHRASE_PAGE (get_page (self, "passphrase"));

  self->purpose = purpose;
  switch (purpose)
    {
    case PASSPHRASE_FOR_UNLOCK:
      cr_passphrase_page_setup (page, CR_PASSPHRASE_MODE_UNLOCK,
                                _("Enter the Passphrase"), description,
                                _("_Unlock"), _("Use _Recovery Key"));
      break;
    case PASSPHRASE_FOR_NEW:
      cr_passphrase_page_setup (page, CR_PASSPHRASE_MODE_CHOOSE,
                                _("Choose a Passphrase"), description,
                                _("_Protect Practice"), _("_Cancel"));
      break;
    case PASSPHRASE_FOR_RECOVERED:
      cr_passphrase_page_setup (page, CR_PASSPHRASE_MODE_CHOOSE,
                                _("Choose a Passphrase"), description,
                                _("_Protect Practice"), _("_Not Now"));
      break;
    default:
      g_assert_not_reached ();
    }
  show_page (self, "passphrase");
}

static void
on_passphrase_opened (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(CrWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(CrStore) store = cr_store_open_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (store == NULL)
    show_store_error (self, error);
  else
    finish_open (self, store);
}

static void
on_key_unwrapped (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(CrWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(CrKey) key = cr_practice_unwrap_key_finish (result, &error);
  g_autofree char *display = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (g_error_matches (error, CR_KEY_ERROR, CR_KEY_ERROR_WRONG_PASSPHRASE))
    {
      CrPassphrasePage *page = CR_PASSPHRASE_PAGE (get_page (self, "passphrase"));

      cr_passphrase_page_set_busy (page, FALSE);
      cr_passphrase_page_clear (page);
      cr_passphrase_page_show_error (page, _("Wrong passphrase. Try again."));
      return;
    }
  if (key == NULL)
    {
      g_autofree char *escaped = g_markup_escape_text (error->message, -1);
      show_error (self, _("The Passphrase File Cannot Be Read"), escaped);
      return;
    }

  display = g_filename_display_name (self->path);
  show_loading (self, _("Opening Practice…"), display, FALSE);
  cr_store_open_async (self->path, key, self->cancellable, on_passphrase_opened,
                       g_object_ref (self));
}

static void
on_key_wrapped (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(CrWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  CrPassphrasePage *page;

  if (!cr_practice_wrap_key_finish (result, &error))
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      page = CR_PASSPHRASE_PAGE (get_page (self, "passphrase"));
      /* Translators: %s is an error message */
      message = g_strdup_printf (_("The passphrase could not be saved: %s"), error->message);
      cr_passphrase_page_set_busy (page, FALSE);
      cr_passphrase_page_show_error (page, message);
      return;
    }

  if (self->purpose == PASSPHRASE_FOR_NEW)
    {
      self->pending_is_new = FALSE;
      cr_recovery_key_page_set_key (CR_RECOVERY_KEY_PAGE (get_page (self, "recovery")),
                                    self->pending_key, self->pending_name, self->path);
      show_page (self, "recovery");
    }
  else
    {
      finish_open (self, self->pending_store);
      show_toast (self, _("The practice is now protected by a passphrase"));
    }
}

static void
on_passphrase_submit (CrWindow   *self,
                      const char *passphrase,
                      gpointer    page)
{
  cr_passphrase_page_set_busy (CR_PASSPHRASE_PAGE (get_page (self, "passphrase")), TRUE);

  if (self->purpose == PASSPHRASE_FOR_UNLOCK)
    cr_practice_unwrap_key_async (self->path, passphrase, self->cancellable,
                                  on_key_unwrapped, g_object_ref (self));
  else
    cr_practice_wrap_key_async (self->path, self->pending_key, passphrase, self->cancellable,
                                on_key_wrapped, g_object_ref (self));
}

static void
on_passphrase_other (CrWindow *self)
{
  switch (self->purpose)
    {
    case PASSPHRASE_FOR_UNLOCK:
      show_unlock (self, _("Type the practice’s recovery key instead of its passphrase."));
      break;
    case PASSPHRASE_FOR_NEW:
      {
        g_autofree char *name = g_strdup (self->pending_name);
        g_autofree char *path = g_strdup (self->path);

        /* Takes the new practice back: its key is kept nowhere. */
        reset_practice (self);
        cr_create_practice_reset (CR_CREATE_PRACTICE (get_page (self, "create")));
        if (path != NULL)
          cr_create_practice_set_path (CR_CREATE_PRACTICE (get_page (self, "create")), path);
        show_page (self, "create");
      }
      break;
    case PASSPHRASE_FOR_RECOVERED:
      finish_open (self, self->pending_store);
      break;
    default:
      g_assert_not_reached ();
    }
}

/* ---- recovery key -------------------------------------------------------- */

static void
on_recovered_key_stored (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(CrWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *description = NULL;

  if (cr_keyring_store_finish (result, &error))
    {
      finish_open (self, self->pending_store);
      show_toast (self, _("The practice’s key is back in the keyring"));
      return;
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  reason = describe_keyring_error (error);
  /* Translators: %s explains why the keyring failed */
  description = g_strdup_printf (_("%s Choose a passphrase to open the practice with from now on, "
                                   "or go on without one and use the recovery key again next "
                                   "time."), reason);
  show_passphrase (self, PASSPHRASE_FOR_RECOVERED, description);
}

static void
on_recovery_opened (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(CrWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(CrStore) store = cr_store_open_finish (result, &error);
  g_autofree char *label = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (g_error_matches (error, CR_STORE_ERROR, CR_STORE_ERROR_WRONG_KEY))
    {
      CrUnlockPage *page = CR_UNLOCK_PAGE (get_page (self, "unlock"));

      g_clear_pointer (&self->pending_key, cr_key_free);
      cr_unlock_page_set_busy (page, FALSE);
      cr_unlock_page_show_error (page, _("This recovery key does not open the practice. "
                                         "Check each group and try again."));
      return;
    }
  if (store == NULL)
    {
      show_store_error (self, error);
      return;
    }

  self->pending_store = g_object_ref (store);
  g_free (self->pending_name);
  self->pending_name = cr_store_dup_practice_name (store);

  /* Protected by a passphrase that was forgotten: choose a new one. */
  if (cr_practice_has_passphrase (self->path))
    {
      show_passphrase (self, PASSPHRASE_FOR_RECOVERED,
                       _("The recovery key opened the practice. Choose a new passphrase to open "
                         "it with from now on."));
      return;
    }

  label = keyring_label (self->pending_name, self->path);
  cr_keyring_store_async (cr_store_get_database_id (store), label, self->pending_key,
                          CR_KEYRING_DEFAULT_TIMEOUT_MS, self->cancellable,
                          on_recovered_key_stored, g_object_ref (self));
}

static void
on_unlock_submit (CrWindow   *self,
                  const char *text,
                  gpointer    page)
{
  g_autoptr(GError) error = NULL;
  CrKey *key = cr_key_new_from_hex (text, &error);

  if (key == NULL)
    {
      cr_unlock_page_show_error (CR_UNLOCK_PAGE (get_page (self, "unlock")),
                                 _("That is not a recovery key. It has 16 groups of four "
                                   "characters: digits 0–9 and letters A–F."));
      return;
    }

  g_clear_pointer (&self->pending_key, cr_key_free);
  self->pending_key = key;
  cr_unlock_page_set_busy (CR_UNLOCK_PAGE (get_page (self, "unlock")), TRUE);
  cr_store_open_async (self->path, key, self->cancellable, on_recovery_opened,
                       g_object_ref (self));
}

/* ---- opening from the keyring ------------------------------------------- */

static void
on_keyring_opened (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(CrWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(CrStore) store = cr_store_open_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (g_error_matches (error, CR_STORE_ERROR, CR_STORE_ERROR_WRONG_KEY))
    show_unlock (self, _("The key in this computer’s keyring does not open this practice. "
                         "The file may have been replaced by another practice."));
  else if (store == NULL)
    show_store_error (self, error);
  else
    finish_open (self, store);
}

/**
 * cr_window_open_practice_with_key:
 * @key: the practice's key, from a key file (automation and benchmarks)
 *
 * Opens the practice with @key, leaving the keyring alone.
 */
void
cr_window_open_practice_with_key (CrWindow    *self,
                                  const char  *path,
                                  const CrKey *key)
{
  g_autofree char *display = NULL;

  g_return_if_fail (CR_IS_WINDOW (self));
  g_return_if_fail (path != NULL);
  g_return_if_fail (key != NULL);

  reset_practice (self);
  self->path = g_strdup (path);
  display = g_filename_display_name (path);
  show_loading (self, _("Opening Practice…"), display, FALSE);
  cr_store_open_async (path, key, self->cancellable, on_keyring_opened, g_object_ref (self));
}

/**
 * cr_window_set_quit_when_ready:
 *
 * Once a practice is open and its patient list drawn, print "ready" and
 * quit: the benchmark times start-up as a whole process this way.
 */
void
cr_window_set_quit_when_ready (CrWindow *self,
                               gboolean  quit_when_ready)
{
  g_return_if_fail (CR_IS_WINDOW (self));
  self->quit_when_ready = !!quit_when_ready;
}

static void
on_keyring_lookup (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(CrWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(CrKey) key = cr_keyring_lookup_finish (result, &error);
  g_autofree char *display = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (key == NULL)
    {
      g_autofree char *reason = describe_keyring_error (error);
      show_unlock (self, reason);
      return;
    }

  display = g_filename_display_name (self->path);
  show_loading (self, _("Opening Practice…"), display, FALSE);
  cr_store_open_async (self->path, key, self->cancellable, on_keyring_opened,
                       g_object_ref (self));
}

/**
 * cr_window_open_practice:
 * @path: a practice database
 *
 * Opens the practice with the key from the keyring, or asks for its
 * passphrase or recovery key; on failure shows why.
 */
void
cr_window_open_practice (CrWindow   *self,
                         const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *demo = cr_practice_get_demo_path ();
  g_autofree char *id = NULL;
  g_autofree char *display = NULL;

  g_return_if_fail (CR_IS_WINDOW (self));
  g_return_if_fail (path != NULL);

  if (g_strcmp0 (path, demo) == 0)
    {
      cr_window_open_demo (self);
      return;
    }

  reset_practice (self);
  self->path = g_strdup (path);
  display = g_filename_display_name (path);

  if (cr_practice_has_passphrase (path) && g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_autofree char *description = NULL;

      /* Translators: %s is the practice database's file */
      description = g_strdup_printf (_("“%s” is protected by a passphrase."), display);
      show_passphrase (self, PASSPHRASE_FOR_UNLOCK, description);
      return;
    }

  id = cr_store_read_database_id (path, &error);
  if (id == NULL)
    {
      show_store_error (self, error);
      return;
    }

  show_loading (self, _("Opening Practice…"), display, FALSE);
  cr_keyring_lookup_async (id, CR_KEYRING_DEFAULT_TIMEOUT_MS, self->cancellable,
                           on_keyring_lookup, g_object_ref (self));
}

/* ---- creating a practice ------------------------------------------------- */

static void
on_new_key_stored (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(CrWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *description = NULL;

  if (cr_keyring_store_finish (result, &error))
    {
      self->pending_is_new = FALSE;
      cr_recovery_key_page_set_key (CR_RECOVERY_KEY_PAGE (get_page (self, "recovery")),
                                    self->pending_key, self->pending_name, self->path);
      show_page (self, "recovery");
      return;
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  reason = describe_keyring_error (error);
  /* Translators: %s explains why the keyring failed */
  description = g_strdup_printf (_("%s Choose a passphrase instead: you will type it each time "
                                   "you open the practice."), reason);
  show_passphrase (self, PASSPHRASE_FOR_NEW, description);
}

static void
on_practice_created (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(CrWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(CrStore) store = cr_practice_create_finish (result, &error);
  g_autofree char *label = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  cr_create_practice_set_busy (CR_CREATE_PRACTICE (get_page (self, "create")), FALSE);
  if (store == NULL)
    {
      cr_create_practice_show_error (CR_CREATE_PRACTICE (get_page (self, "create")), error->message);
      return;
    }

  self->pending_store = g_object_ref (store);
  self->pending_is_new = TRUE;
  show_loading (self, _("Creating Practice…"), _("Saving the practice’s key in the keyring"),
                FALSE);

  label = keyring_label (self->pending_name, self->path);
  cr_keyring_store_async (cr_store_get_database_id (store), label, self->pending_key,
                          CR_KEYRING_DEFAULT_TIMEOUT_MS, self->cancellable,
                          on_new_key_stored, g_object_ref (self));
}

static void
on_create (CrWindow   *self,
           const char *name,
           const char *path,
           gpointer    page)
{
  g_autoptr(GError) error = NULL;
  CrKey *key;

  reset_practice (self);

  key = cr_key_new_random (&error);
  if (key == NULL)
    {
      cr_create_practice_show_error (CR_CREATE_PRACTICE (get_page (self, "create")), error->message);
      return;
    }

  self->path = g_strdup (path);
  self->pending_name = g_strdup (name);
  self->pending_key = key;
  cr_create_practice_set_busy (CR_CREATE_PRACTICE (get_page (self, "create")), TRUE);
  cr_practice_create_async (path, name, key, self->cancellable, on_practice_created,
                            g_object_ref (self));
}

static void
on_recovery_done (CrWindow *self)
{
  if (self->pending_store == NULL)
    return;

  finish_open (self, self->pending_store);
}

/* ---- the demo practice --------------------------------------------------- */

static void
on_demo_progress (double   fraction,
                  gpointer user_data)
{
  CrWindow *self = user_data;

  if (self->loading_progress != NULL)
    gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (self->loading_progress), fraction);
}

static void
on_demo_opened (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(CrWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(CrStore) store = cr_practice_open_demo_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (store == NULL)
    show_store_error (self, error);
  else
    finish_open (self, store);
}

void
cr_window_open_demo (CrWindow *self)
{
  g_return_if_fail (CR_IS_WINDOW (self));

  reset_practice (self);
  self->path = cr_practice_get_demo_path ();
  show_loading (self, _("Preparing the Demo Practice…"),
                _("The demo practice’s patients, visits and prescriptions are invented."), TRUE);
  cr_practice_open_demo_async (self->path, on_demo_progress, g_object_ref (self), g_object_unref,
                               self->cancellable, on_demo_opened, g_object_ref (self));
}

/* ---- actions ------------------------------------------------------------- */

static void
create_practice_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  CrWindow *self = CR_WINDOW (widget);

  reset_practice (self);
  cr_create_practice_reset (CR_CREATE_PRACTICE (get_page (self, "create")));
  show_page (self, "create");
}

static void
on_open_response (CrWindow             *self,
                  int                   response,
                  GtkFileChooserNative *chooser)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT &&
      (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser))) != NULL)
    {
      g_autofree char *path = g_file_get_path (file);

      if (path != NULL)
        cr_window_open_practice (self, path);
    }
  g_clear_object (&self->chooser);
}

static void
open_practice_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  CrWindow *self = CR_WINDOW (widget);
  g_autoptr(GtkFileFilter) practices = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();

  if (self->chooser != NULL)
    return;

  self->chooser = gtk_file_chooser_native_new (_("Open Practice"), GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_OPEN,
                                               _("_Open"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  gtk_file_filter_set_name (practices, _("Chartroom practices"));
  gtk_file_filter_add_pattern (practices, "*.chartroom");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), practices);
  gtk_file_filter_set_name (all, _("All files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), all);

  g_signal_connect_object (self->chooser, "response", G_CALLBACK (on_open_response), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
open_demo_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  cr_window_open_demo (CR_WINDOW (widget));
}

static void
show_welcome_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  CrWindow *self = CR_WINDOW (widget);

  reset_practice (self);
  show_page (self, "welcome");
}

/* The shortcuts window, made on first use: GtkApplication would build
 * gtk/help-overlay.ui with every window, before its first frame (about
 * 5 ms of start-up), so the resource is not at that path. */
static void
show_help_overlay_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  GtkApplicationWindow *window = GTK_APPLICATION_WINDOW (widget);
  GtkShortcutsWindow *overlay = gtk_application_window_get_help_overlay (window);

  if (overlay == NULL)
    {
      g_autoptr(GtkBuilder) builder =
        gtk_builder_new_from_resource ("/io/github/chartroom/Chartroom/help-overlay.ui");

      overlay = GTK_SHORTCUTS_WINDOW (gtk_builder_get_object (builder, "help_overlay"));
      gtk_application_window_set_help_overlay (window, overlay);
    }
  gtk_window_present (GTK_WINDOW (overlay));
}

static void
show_toast_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  show_toast (CR_WINDOW (widget), g_variant_get_string (parameter, NULL));
}

void
cr_window_close_practice (CrWindow *self)
{
  g_return_if_fail (CR_IS_WINDOW (self));

  reset_practice (self);
  show_page (self, "welcome");
}

/**
 * cr_window_start:
 *
 * Opens the practice of the last start, or shows the welcome page when
 * there is none or its file is gone.
 */
void
cr_window_start (CrWindow *self)
{
  g_autofree char *last = NULL;
  g_autofree char *demo = cr_practice_get_demo_path ();

  g_return_if_fail (CR_IS_WINDOW (self));

  last = g_settings_get_string (self->settings, "last-practice");
  if (g_strcmp0 (last, demo) == 0)
    cr_window_open_demo (self);
  else if (*last != '\0' && g_file_test (last, G_FILE_TEST_IS_REGULAR))
    cr_window_open_practice (self, last);
  else
    show_page (self, "welcome");
}

CrStore *
cr_window_get_store (CrWindow *self)
{
  g_return_val_if_fail (CR_IS_WINDOW (self), NULL);
  return self->store;
}

const char *
cr_window_get_page_name (CrWindow *self)
{
  g_return_val_if_fail (CR_IS_WINDOW (self), NULL);
  return gtk_stack_get_visible_child_name (GTK_STACK (self->stack));
}

/**
 * cr_window_get_page:
 *
 * Returns: (transfer none) (nullable): the page called @name
 */
GtkWidget *
cr_window_get_page (CrWindow   *self,
                    const char *name)
{
  g_return_val_if_fail (CR_IS_WINDOW (self), NULL);
  return get_page (self, name);
}

/* ---- window -------------------------------------------------------------- */

static gboolean
cr_window_close_request (GtkWindow *window)
{
  CrWindow *self = CR_WINDOW (window);
  gboolean maximized = gtk_window_is_maximized (window);
  int width, height;

  if (!maximized)
    {
      gtk_window_get_default_size (window, &width, &height);
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }
  g_settings_set_boolean (self->settings, "window-maximized", maximized);

  /* Closes the database cleanly: the WAL is checkpointed into the file. */
  reset_practice (self);

  return GTK_WINDOW_CLASS (cr_window_parent_class)->close_request (window);
}

static void
cr_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  CrWindow *self = CR_WINDOW (object);

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
cr_window_dispose (GObject *object)
{
  CrWindow *self = CR_WINDOW (object);

  gtk_window_set_focus (GTK_WINDOW (self), NULL);
  if (self->cancellable != NULL)
    reset_practice (self);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);

  gtk_widget_dispose_template (GTK_WIDGET (self), CR_TYPE_WINDOW);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (cr_window_parent_class)->dispose (object);
}

static void
cr_window_class_init (CrWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = cr_window_dispose;
  object_class->get_property = cr_window_get_property;
  window_class->close_request = cr_window_close_request;

  /**
   * CrWindow:store:
   *
   * The open practice, or %NULL.
   */
  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, CR_TYPE_STORE,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  (void) chartroom_get_resource ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/chartroom/Chartroom/cr-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CrWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, CrWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, CrWindow, loading_spinner);
  gtk_widget_class_bind_template_child (widget_class, CrWindow, loading_label);
  gtk_widget_class_bind_template_child (widget_class, CrWindow, loading_progress);
  gtk_widget_class_bind_template_child (widget_class, CrWindow, loading_detail);
  gtk_widget_class_bind_template_child (widget_class, CrWindow, error_status);

  gtk_widget_class_install_action (widget_class, "win.create-practice", NULL,
                                   create_practice_action);
  gtk_widget_class_install_action (widget_class, "win.open-practice", NULL,
                                   open_practice_action);
  gtk_widget_class_install_action (widget_class, "win.open-demo", NULL, open_demo_action);
  gtk_widget_class_install_action (widget_class, "win.show-welcome", NULL, show_welcome_action);
  gtk_widget_class_install_action (widget_class, "win.show-toast", "s", show_toast_action);
  gtk_widget_class_install_action (widget_class, "win.show-help-overlay", NULL,
                                   show_help_overlay_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK,
                                       "win.open-practice", NULL);
}

static void
cr_window_init (CrWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->settings = g_settings_new (APPLICATION_ID);

  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  /* No page chosen yet, on purpose: whoever made the window shows one
   * (cr_window_start (), an open), and the welcome page is only made when
   * it is shown. Until then the stack shows the still loading page. */
}

CrWindow *
cr_window_new (GtkApplication *application)
{
  return g_object_new (CR_TYPE_WINDOW, "application", application, NULL);
}
