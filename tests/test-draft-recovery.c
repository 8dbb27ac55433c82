/* test-draft-recovery.c: a note survives the process being killed
 *
 * A child process (this binary, run again by g_test_trap_subprocess())
 * opens the practice, opens the note editor, types a paragraph at a
 * typist's pace, pauses 1.5 s, types on and kills itself with SIGKILL in
 * the middle of a word: no close, no focus-out, no chance to flush. It
 * logs how many characters it had typed when (counts and times only; no
 * patient text leaves the database). The parent then opens the database
 * and checks that everything typed up to one second before the kill is in
 * the draft.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "chartroom-resources.h"
#include "cr-chart.h"
#include "cr-drafts.h"
#include "cr-patients.h"
#include "cr-visit-editor.h"
#include "test-util.h"
#include "widget-util.h"

#define PART_ONE "Woke at 3 am with crushing chest pain radiating to the left arm. "
#define PART_TWO "Pain eased after 20 minutes at rest; no syncope, no dyspnoea, no palpitations. " \
                 "Smoker, 20 pack-years; father had a myocardial infarction at 52."
#define CHAR_MS  40   /* 25 characters a second: a quick typist */

static gint64
monotonic_ms (void)
{
  return g_get_monotonic_time () / 1000;
}

static void
log_line (FILE       *log,
          const char *line)
{
  fputs (line, log);
  fflush (log);
}

static void
type_text (CrVisitEditor *editor,
           GtkTextView   *view,
           const char    *text,
           guint         *typed,
           FILE          *log,
           gint64         kill_at)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);

  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      char line[64];
      GtkTextIter end;

      if (kill_at > 0 && monotonic_ms () >= kill_at)
        {
          g_snprintf (line, sizeof line, "kill %" G_GINT64_FORMAT "\n", monotonic_ms ());
          log_line (log, line);
          raise (SIGKILL);
        }
      gtk_text_buffer_get_end_iter (buffer, &end);
      gtk_text_buffer_insert (buffer, &end, p, g_utf8_next_char (p) - p);
      *typed += g_utf8_next_char (p) - p;
      g_snprintf (line, sizeof line, "%u %" G_GINT64_FORMAT "\n", *typed, monotonic_ms ());
      log_line (log, line);
      widget_iterate_for (CHAR_MS);
    }
}

static void
child_main (void)
{
  const char *path = g_getenv ("CR_TEST_DB");
  const char *hex = g_getenv ("CR_TEST_KEY");
  const char *log_path = g_getenv ("CR_TEST_LOG");
  g_autoptr(CrKey) key = NULL;
  g_autoptr(CrStore) store = NULL;
  g_autoptr(CrPatient) patient = NULL;
  g_autoptr(GError) error = NULL;
  CrVisitEditor *editor;
  GtkTextView *view;
  guint typed = 0;
  FILE *log;

  key = cr_key_new_from_hex (hex, &error);
  g_assert_no_error (error);
  store = cr_store_open (path, key, &error);
  g_assert_no_error (error);
  cr_store_set_user (store, "tester");
  patient = cr_store_find_patient_by_record_number (store, g_getenv ("CR_TEST_RECORD"), &error);
  g_assert_no_error (error);

  editor = CR_VISIT_EDITOR (cr_visit_editor_new (NULL, store, patient, NULL));
  gtk_window_present (GTK_WINDOW (editor));
  widget_iterate_for (300);
  view = GTK_TEXT_VIEW (gtk_widget_get_template_child (GTK_WIDGET (editor), CR_TYPE_VISIT_EDITOR,
                                                       "subjective_view"));
  gtk_widget_grab_focus (GTK_WIDGET (view));

  log = fopen (log_path, "w");
  g_assert_nonnull (log);
  type_text (editor, view, PART_ONE, &typed, log, 0);
  widget_iterate_for (1500);
  /* Killed about 2 s into the second part, well before its end. */
  type_text (editor, view, PART_TWO, &typed, log, monotonic_ms () + 2000);
  g_assert_not_reached ();
}

static void
test_killed_mid_typing (void)
{
  StoreFixture sf = { 0, };
  g_autoptr(CrPatient) patient = cr_patient_new ();
  g_autoptr(GPtrArray) drafts = NULL;
  g_autoptr(GError) error = NULL;
  char *hex;
  g_autofree char *log_path = NULL;
  g_autofree char *log_text = NULL;
  g_auto(GStrv) lines = NULL;
  const char *subjective;
  const char *full = PART_ONE PART_TWO;
  gint64 kill_ms = 0;
  guint must_have = 0;
  guint typed_total = 0;

  if (g_test_subprocess ())
    {
      child_main ();
      return;
    }

  store_fixture_setup (&sf, NULL);
  cr_patient_set_family_name (patient, "Okafor");
  cr_patient_set_given_names (patient, "Chidi");
  cr_patient_set_birth_date (patient, "1966-09-30");
  cr_store_add_patient (sf.store, patient, FALSE, &error);
  g_assert_no_error (error);

  hex = cr_key_to_hex (sf.key);
  log_path = g_build_filename (sf.dir, "typing.log", NULL);
  g_setenv ("CR_TEST_DB", sf.path, TRUE);
  g_setenv ("CR_TEST_KEY", hex, TRUE);
  cr_key_free_string (hex);   /* secure memory */
  g_setenv ("CR_TEST_LOG", log_path, TRUE);
  g_setenv ("CR_TEST_RECORD", cr_patient_get_record_number (patient), TRUE);

  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_unsetenv ("CR_TEST_KEY");
  /* Killed, not exited. */
  g_test_trap_assert_failed ();

  g_assert_true (g_file_get_contents (log_path, &log_text, NULL, NULL));
  lines = g_strsplit (log_text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], "kill "))
      kill_ms = g_ascii_strtoll (lines[i] + 5, NULL, 10);
  g_assert_cmpint (kill_ms, >, 0);
  /* Everything typed up to a second before the kill must be there. */
  for (guint i = 0; lines[i] != NULL; i++)
    {
      guint64 n;
      gint64 at;
      char *end;

      if (*lines[i] == '\0' || g_str_has_prefix (lines[i], "kill "))
        continue;
      n = g_ascii_strtoull (lines[i], &end, 10);
      at = g_ascii_strtoll (end, NULL, 10);
      typed_total = n;
      if (at <= kill_ms - 1000)
        must_have = n;
    }
  g_test_message ("typed %u characters; %u were typed a second or more before the kill",
                  typed_total, must_have);
  g_assert_cmpuint (must_have, >, strlen (PART_ONE));
  g_assert_cmpuint (typed_total, <, strlen (full));   /* killed mid-typing */

  /* The parent's own connection reads what the child committed. */
  drafts = cr_store_list_draft_visits (sf.store, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (drafts->len, ==, 1);
  g_assert_cmpint (cr_visit_get_patient_id (g_ptr_array_index (drafts, 0)), ==,
                   cr_patient_get_id (patient));
  subjective = cr_visit_get_subjective (g_ptr_array_index (drafts, 0));
  g_assert_nonnull (subjective);
  g_test_message ("the draft holds %zu characters", strlen (subjective));
  /* A prefix of what was typed (stripped of a trailing blank), and at
   * least what was typed a second before the kill. */
  g_assert_cmpuint (strlen (subjective), >=, must_have - 1);
  g_assert_true (strncmp (full, subjective, strlen (subjective)) == 0);

  store_fixture_teardown (&sf, NULL);
}

int
main (int   argc,
      char *argv[])
{
  widget_test_init (&argc, &argv);
  /* Links the app's resources (templates, CSS) in. */
  g_assert_nonnull (chartroom_get_resource ());

  g_test_add_func ("/draft-recovery/killed-mid-typing", test_killed_mid_typing);
  return g_test_run ();
}
