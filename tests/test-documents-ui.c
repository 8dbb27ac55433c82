/* test-documents-ui.c: the inbox, filing, splitting and the viewer, as seen
 *
 * Real scans and PDFs from ../shared/data/pdfs are imported through the
 * function the file chooser calls, filed with the keyboard steps a
 * technician takes, split, and shown in the viewer; every step is checked
 * on what is on screen and in the database, and saved as a PNG in
 * screens/ to look at.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "chartroom-resources.h"
#include "cr-chart-page.h"
#include "cr-documents-page.h"
#include "cr-documents.h"
#include "cr-inbox.h"
#include "cr-main-view.h"
#include "cr-patients.h"
#include "test-util.h"
#include "widget-util.h"

typedef struct
{
  StoreFixture  sf;
  CrPatient    *patient;   /* Ada Quintero, born 1961-04-12 */
  GtkWidget    *window;
  char         *pdfs;
} DocsFixture;

static void
add_patient (DocsFixture *f,
             const char  *family,
             const char  *given,
             const char  *birth,
             CrPatient  **out)
{
  g_autoptr(CrPatient) patient = cr_patient_new ();
  g_autoptr(GError) error = NULL;

  cr_patient_set_family_name (patient, family);
  cr_patient_set_given_names (patient, given);
  cr_patient_set_birth_date (patient, birth);
  g_assert_true (cr_store_add_patient (f->sf.store, patient, FALSE, &error));
  g_assert_no_error (error);
  if (out != NULL)
    *out = g_steal_pointer (&patient);
}

static void
fixture_setup (DocsFixture   *f,
               gconstpointer  data)
{
  store_fixture_setup (&f->sf, data);
  f->pdfs = test_shared_data_path ("pdfs", NULL);
  add_patient (f, "Quintero", "Ada", "1961-04-12", &f->patient);
  add_patient (f, "Quinn", "Bernard", "1975-09-30", NULL);
  add_patient (f, "Okafor", "Chidi", "1988-01-17", NULL);
}

static void
fixture_teardown (DocsFixture   *f,
                  gconstpointer  data)
{
  if (f->window != NULL)
    gtk_window_destroy (GTK_WINDOW (f->window));
  /* Close every window the test opened (import summaries, dialogs). */
  while (g_list_model_get_n_items (gtk_window_get_toplevels ()) > 0)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (gtk_window_get_toplevels (), 0);

      gtk_window_destroy (window);
    }
  /* Work still running in threads (renders, thumbnails) lets go of the
   * store when it finishes. */
  for (int i = 0; i < 500 && G_OBJECT (f->sf.store)->ref_count > 1; i++)
    widget_iterate_for (10);
  g_clear_object (&f->patient);
  g_free (f->pdfs);
  store_fixture_teardown (&f->sf, data);
}

static char *
pdf (DocsFixture *f,
     const char  *folder,
     const char  *name)
{
  return g_build_filename (f->pdfs, folder, name, NULL);
}

static AdwMessageDialog *
find_message_dialog (const char *heading)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)) &&
          g_strcmp0 (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (window)), heading) == 0)
        return ADW_MESSAGE_DIALOG (window);
    }
  return NULL;
}

static void
wait_import (CrImportDocuments *import)
{
  WIDGET_WAIT_FOR (!cr_import_documents_get_running (import), 60000);
  widget_iterate_for (150);
}

static void
wait_inbox (CrInbox *inbox)
{
  widget_iterate_for (50);
  WIDGET_WAIT_FOR (!cr_inbox_get_busy (inbox), 20000);
  widget_iterate_for (200);
}

static void
wait_drawn (CrDocumentViewer *viewer,
            guint             page)
{
  WIDGET_WAIT_FOR (!cr_document_viewer_get_loading (viewer) &&
                   cr_document_viewer_page_is_drawn (viewer, page), 20000);
  widget_iterate_for (200);
}

static gint64
inbox_id_of (CrInbox    *inbox,
             const char *file_name)
{
  GListModel *documents = cr_inbox_get_documents (inbox);

  for (guint i = 0; i < g_list_model_get_n_items (documents); i++)
    {
      g_autoptr(CrDocument) document = g_list_model_get_item (documents, i);

      if (g_strcmp0 (cr_document_get_file_name (document), file_name) == 0)
        return cr_document_get_id (document);
    }
  return 0;
}

/* ---- import: progress, summary, password, duplicate, refusal ------------- */

static void
test_import (DocsFixture   *f,
             gconstpointer  data)
{
  g_autofree char *scan = NULL, *text = NULL, *locked = NULL, *broken = NULL, *png = NULL;
  CrImportDocuments *import;
  AdwMessageDialog *dialog;
  const char *message = NULL;
  CrInbox *inbox;
  gint64 id = 0;

  if (f->pdfs == NULL)
    return;
  scan = pdf (f, "scanned", "ocrmypdf_linn.pdf");
  text = pdf (f, "born-digital", "pypdf_pdflatex-4-pages.pdf");
  locked = pdf (f, "born-digital", "pypdf_libreoffice-writer-password_ENCRYPTED.pdf");
  broken = pdf (f, "broken", "qpdf_bad1.pdf");

  inbox = CR_INBOX (cr_inbox_new (NULL, f->sf.store));
  f->window = GTK_WIDGET (inbox);
  gtk_window_present (GTK_WINDOW (inbox));
  wait_inbox (inbox);
  widget_assert_shows (GTK_WIDGET (inbox), "Nothing to File");

  {
    const char *paths[] = { scan, text, locked, broken, NULL };

    import = cr_inbox_import (inbox, paths);
  }
  g_assert_true (cr_import_documents_get_running (import));
  wait_import (import);

  g_assert_cmpint (cr_import_documents_get_outcome (import, scan, &id, NULL), ==, CR_IMPORT_OUTCOME_IMPORTED);
  g_assert_cmpint (id, >, 0);
  g_assert_cmpint (cr_import_documents_get_outcome (import, text, NULL, NULL), ==, CR_IMPORT_OUTCOME_IMPORTED);
  g_assert_cmpint (cr_import_documents_get_outcome (import, broken, NULL, &message), ==, CR_IMPORT_OUTCOME_REFUSED);
  g_assert_nonnull (message);
  g_assert_cmpint (cr_import_documents_get_outcome (import, locked, NULL, NULL), ==,
                   CR_IMPORT_OUTCOME_NEEDS_PASSWORD);

  /* The summary says what became of each file; the broken one says why. */
  widget_assert_shows (GTK_WIDGET (import), "2 imported");
  widget_assert_shows (GTK_WIDGET (import), "1 needs a password");
  widget_assert_shows (GTK_WIDGET (import), "1 refused");
  widget_assert_shows (GTK_WIDGET (import), "qpdf_bad1.pdf");
  widget_assert_shows (GTK_WIDGET (import), message);

  /* The encrypted PDF asks for its password at once. */
  dialog = find_message_dialog ("Password Needed");
  g_assert_nonnull (dialog);
  png = widget_save_png (GTK_WIDGET (dialog), "documents-password");
  g_clear_pointer (&png, g_free);
  gtk_window_close (GTK_WINDOW (dialog));
  widget_iterate_for (100);
  png = widget_save_png (GTK_WIDGET (import), "documents-import-summary");
  g_clear_pointer (&png, g_free);

  /* A wrong password says so and asks again; the right one imports it. */
  cr_import_documents_retry_with_password (import, locked, "not-the-password");
  wait_import (import);
  g_assert_cmpint (cr_import_documents_get_outcome (import, locked, NULL, NULL), ==,
                   CR_IMPORT_OUTCOME_WRONG_PASSWORD);
  dialog = find_message_dialog ("Wrong Password");
  g_assert_nonnull (dialog);
  widget_assert_shows (GTK_WIDGET (import), "The password was wrong");
  cr_import_documents_retry_with_password (import, locked, "openpassword");
  wait_import (import);
  g_assert_cmpint (cr_import_documents_get_outcome (import, locked, &id, NULL), ==, CR_IMPORT_OUTCOME_IMPORTED);
  {
    g_autoptr(CrDocument) stored = cr_store_get_document (f->sf.store, id, NULL);

    g_assert_true (cr_document_get_encrypted (stored));
  }
  widget_assert_shows (GTK_WIDGET (import), "3 imported");

  /* The same scan again: a duplicate, imported only when asked. */
  {
    const char *again[] = { scan, NULL };
    CrImportDocuments *second = cr_inbox_import (inbox, again);

    wait_import (second);
    g_assert_cmpint (cr_import_documents_get_outcome (second, scan, NULL, NULL), ==,
                     CR_IMPORT_OUTCOME_DUPLICATE);
    widget_assert_shows (GTK_WIDGET (second), "Already in the practice");
    g_assert_nonnull (widget_find_button (GTK_WIDGET (second), "Import Again"));
    gtk_window_destroy (GTK_WINDOW (second));
  }

  wait_inbox (inbox);
  g_assert_cmpuint (g_list_model_get_n_items (cr_inbox_get_documents (inbox)), ==, 3);
  g_assert_cmpint (cr_store_count_inbox (f->sf.store, NULL), ==, 3);
  widget_assert_shows (GTK_WIDGET (inbox), "3 documents to file");
}

/* ---- filing by keyboard, the chart's Documents page, splitting ----------- */

static void
test_file_and_split (DocsFixture   *f,
                     gconstpointer  data)
{
  g_autofree char *scan = NULL, *text = NULL, *qr = NULL, *png = NULL, *preview = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CrDocument) filed = NULL;
  g_autoptr(GListModel) parts = NULL;
  CrImportDocuments *import;
  CrFilingPanel *panel;
  CrInbox *inbox;
  CrMainView *view;
  CrDocumentsPage *page;
  GtkWidget *window;
  GtkWidget *focus;
  gint64 text_id, qr_id, next_id;

  if (f->pdfs == NULL)
    return;
  scan = pdf (f, "scanned", "ocrmypdf_cardinal.pdf");
  text = pdf (f, "born-digital", "pypdf_pdflatex-4-pages.pdf");
  qr = pdf (f, "scanned", "paperless_many-qr-codes.pdf");

  inbox = CR_INBOX (cr_inbox_new (NULL, f->sf.store));
  f->window = GTK_WIDGET (inbox);
  gtk_window_present (GTK_WINDOW (inbox));
  {
    const char *paths[] = { scan, text, qr, NULL };

    import = cr_inbox_import (inbox, paths);
  }
  wait_import (import);
  gtk_window_destroy (GTK_WINDOW (import));
  wait_inbox (inbox);
  g_assert_cmpuint (g_list_model_get_n_items (cr_inbox_get_documents (inbox)), ==, 3);

  text_id = inbox_id_of (inbox, "pypdf_pdflatex-4-pages.pdf");
  qr_id = inbox_id_of (inbox, "paperless_many-qr-codes.pdf");
  g_assert_cmpint (text_id, >, 0);
  cr_inbox_select (inbox, text_id);
  wait_inbox (inbox);
  wait_drawn (cr_inbox_get_viewer (inbox), 0);
  panel = cr_inbox_get_filing_panel (inbox);
  cr_filing_panel_focus (panel);

  /* 1. The patient: type, wait for the matches, Enter takes the first. */
  gtk_editable_set_text (cr_filing_panel_get_search_entry (panel), "quint");
  WIDGET_WAIT_FOR (!cr_filing_panel_get_searching (panel) && cr_filing_panel_get_n_results (panel) > 0, 10000);
  widget_iterate_for (200);
  png = widget_save_png (GTK_WIDGET (inbox), "documents-inbox-patient-search");
  g_clear_pointer (&png, g_free);
  g_signal_emit_by_name (cr_filing_panel_get_search_entry (panel), "activate");
  g_assert_nonnull (cr_filing_panel_get_patient (panel));
  g_assert_cmpint (cr_patient_get_id (cr_filing_panel_get_patient (panel)), ==, cr_patient_get_id (f->patient));
  focus = gtk_root_get_focus (GTK_ROOT (inbox));
  g_assert_true (focus != NULL && gtk_widget_get_ancestor (focus, ADW_TYPE_COMBO_ROW) != NULL);

  /* Filing without a category or date says what is missing. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (inbox), "inbox.file", NULL));
  g_assert_nonnull (cr_filing_panel_get_error (panel));
  g_assert_cmpint (cr_store_count_inbox (f->sf.store, NULL), ==, 3);

  /* 2. The category, 3. the date as written (a wrong one is refused). */
  cr_filing_panel_set_category (panel, CR_DOCUMENT_CATEGORY_LAB_RESULT);
  gtk_editable_set_text (cr_filing_panel_get_date_entry (panel), "02/30/2024");
  widget_iterate_for (50);
  g_assert_false (cr_filing_panel_file (panel));
  g_assert_cmpint (cr_store_count_inbox (f->sf.store, NULL), ==, 3);
  gtk_editable_set_text (cr_filing_panel_get_date_entry (panel), "03/05/2024");
  widget_iterate_for (100);
  widget_assert_shows (GTK_WIDGET (panel), "Mar 5, 2024");
  png = widget_save_png (GTK_WIDGET (inbox), "documents-inbox-filing");
  g_clear_pointer (&png, g_free);

  /* 4. Ctrl+Enter: filed, gone from the inbox, the next one shown. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (inbox), "inbox.file", NULL));
  g_assert_null (cr_filing_panel_get_error (panel));
  wait_inbox (inbox);
  g_assert_cmpint (cr_store_count_inbox (f->sf.store, NULL), ==, 2);
  g_assert_cmpint (inbox_id_of (inbox, "pypdf_pdflatex-4-pages.pdf"), ==, 0);
  next_id = cr_inbox_get_selected_id (inbox);
  g_assert_cmpint (next_id, >, 0);
  g_assert_cmpint (next_id, !=, text_id);
  g_assert_cmpint (cr_document_viewer_get_document_id (cr_inbox_get_viewer (inbox)), ==, next_id);
  g_assert_null (cr_filing_panel_get_patient (panel));
  widget_assert_shows (GTK_WIDGET (inbox), "2 documents to file");
  filed = cr_store_get_document (f->sf.store, text_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cr_document_get_patient_id (filed), ==, cr_patient_get_id (f->patient));
  g_assert_cmpint (cr_document_get_category (filed), ==, CR_DOCUMENT_CATEGORY_LAB_RESULT);
  g_assert_cmpstr (cr_document_get_service_date (filed), ==, "2024-03-05");

  /* Split the three-page scan: "1, 2-3" makes two documents. */
  cr_inbox_select (inbox, qr_id);
  wait_inbox (inbox);
  preview = cr_inbox_describe_ranges ("1-2", 3, &error);
  g_assert_null (preview);
  g_assert_nonnull (error);
  g_clear_error (&error);
  preview = cr_inbox_describe_ranges ("1, 2-3", 3, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (preview, "Part 2: pages 2–3"));
  cr_inbox_show_split_dialog (inbox);
  widget_iterate_for (100);
  {
    AdwMessageDialog *dialog = find_message_dialog ("Split Into Documents");

    g_assert_nonnull (dialog);
    widget_type_into (GTK_WIDGET (dialog), GTK_TYPE_ENTRY, 0, "1, 2-3");
    widget_iterate_for (100);
    widget_assert_shows (GTK_WIDGET (dialog), "Part 1: page 1");
    g_assert_true (adw_message_dialog_get_response_enabled (dialog, "split"));
    png = widget_save_png (GTK_WIDGET (dialog), "documents-split");
    g_clear_pointer (&png, g_free);
    gtk_window_close (GTK_WINDOW (dialog));
  }
  cr_inbox_split_selected (inbox, "1, 2-3");
  wait_inbox (inbox);
  parts = cr_store_list_document_parts (f->sf.store, qr_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (parts), ==, 2);
  g_assert_cmpint (inbox_id_of (inbox, "paperless_many-qr-codes.pdf"), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (cr_inbox_get_documents (inbox)), ==, 3);
  widget_assert_shows (GTK_WIDGET (inbox), "3 documents to file");
  png = widget_save_png (GTK_WIDGET (inbox), "documents-inbox-after-split");
  g_clear_pointer (&png, g_free);

  /* The filed document in Ada's chart, Documents page; its text searched. */
  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 820);
  view = CR_MAIN_VIEW (cr_main_view_new ());
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (view));
  gtk_window_present (GTK_WINDOW (window));
  cr_main_view_set_store (view, f->sf.store);
  cr_main_view_open_patient (view, f->patient);
  widget_iterate_for (300);
  {
    CrChartPage *chart = CR_CHART_PAGE (widget_find_type (GTK_WIDGET (view), CR_TYPE_CHART_PAGE, 0));
    GListModel *shown;

    adw_view_stack_set_visible_child_name (cr_chart_page_get_stack (chart), "documents");
    widget_iterate_for (100);
    page = CR_DOCUMENTS_PAGE (widget_find_type (GTK_WIDGET (chart), CR_TYPE_DOCUMENTS_PAGE, 0));
    g_assert_nonnull (page);
    WIDGET_WAIT_FOR (!cr_documents_page_get_loading (page), 20000);
    shown = cr_documents_page_get_documents (page);
    g_assert_cmpuint (g_list_model_get_n_items (shown), ==, 1);
    {
      g_autoptr(CrDocument) first = g_list_model_get_item (shown, 0);

      g_assert_cmpint (cr_document_get_id (first), ==, text_id);
    }
    wait_drawn (cr_documents_page_get_viewer (page), 0);
    widget_assert_shows (GTK_WIDGET (page), "pypdf_pdflatex-4-pages");
    widget_assert_shows (GTK_WIDGET (page), "Lab result");

    gtk_editable_set_text (cr_documents_page_get_search_entry (page), "blind text");
    widget_iterate_for (400);
    WIDGET_WAIT_FOR (!cr_documents_page_get_loading (page), 20000);
    widget_iterate_for (200);
    g_assert_cmpuint (g_list_model_get_n_items (shown), ==, 1);
    widget_assert_shows (GTK_WIDGET (page), "blind");
    png = widget_save_png (window, "documents-chart-page");
    g_clear_pointer (&png, g_free);

    gtk_editable_set_text (cr_documents_page_get_search_entry (page), "zebrafish");
    widget_iterate_for (400);
    WIDGET_WAIT_FOR (!cr_documents_page_get_loading (page), 20000);
    g_assert_cmpuint (g_list_model_get_n_items (shown), ==, 0);
    widget_assert_shows (GTK_WIDGET (page), "No Document Mentions");
  }
  gtk_window_destroy (GTK_WINDOW (window));
}

/* ---- the viewer ------------------------------------------------------------ */

static gint64
import_one (DocsFixture *f,
            const char  *folder,
            const char  *name)
{
  g_autofree char *path = pdf (f, folder, name);
  g_autoptr(GError) error = NULL;
  gint64 id = cr_store_import_document (f->sf.store, path, NULL, NULL, &error);

  g_assert_no_error (error);
  return id;
}

static void
test_viewer (DocsFixture   *f,
             gconstpointer  data)
{
  g_autofree char *png = NULL;
  g_autoptr(GArray) rotations = NULL;
  CrDocumentViewer *viewer;
  PopplerRectangle all = { 0, 0, 612, 792 };
  gint64 text_id, scan_id, book_id;
  double zoom;

  if (f->pdfs == NULL)
    return;
  text_id = import_one (f, "born-digital", "cms_MLN909160_medical-record-documentation.pdf");
  scan_id = import_one (f, "scanned", "ocrmypdf_linn.pdf");
  book_id = import_one (f, "born-digital", "ICD-10-CM-October-2025-Guidelines.pdf");

  f->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1000, 800);
  viewer = CR_DOCUMENT_VIEWER (cr_document_viewer_new ());
  gtk_window_set_child (GTK_WINDOW (f->window), GTK_WIDGET (viewer));
  gtk_window_present (GTK_WINDOW (f->window));

  /* A born-digital PDF: fits the width, finds text, highlights the hit. */
  cr_document_viewer_set_document (viewer, f->sf.store, text_id);
  wait_drawn (viewer, 0);
  g_assert_cmpuint (cr_document_viewer_get_n_pages (viewer), ==, 5);
  widget_assert_shows (GTK_WIDGET (viewer), "Page 1 of 5");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (viewer), "viewer.find", NULL));
  /* Typed into the find bar, as a person does after Ctrl+F. */
  widget_iterate_for (400);
  widget_type_into (GTK_WIDGET (viewer), GTK_TYPE_SEARCH_ENTRY, 0, "documentation");
  WIDGET_WAIT_FOR (cr_document_viewer_get_n_hits (viewer) > 0 && !cr_document_viewer_get_finding (viewer), 20000);
  widget_iterate_for (200);
  g_assert_cmpuint (cr_document_viewer_get_n_hits (viewer), >, 3);
  g_assert_cmpint (cr_document_viewer_get_current_hit (viewer), ==, 0);
  cr_document_viewer_next_hit (viewer, FALSE);
  g_assert_cmpint (cr_document_viewer_get_current_hit (viewer), ==, 1);
  cr_document_viewer_next_hit (viewer, TRUE);
  cr_document_viewer_next_hit (viewer, TRUE);
  g_assert_cmpint (cr_document_viewer_get_current_hit (viewer), ==,
                   (int) cr_document_viewer_get_n_hits (viewer) - 1);
  cr_document_viewer_next_hit (viewer, FALSE);
  WIDGET_WAIT_FOR (cr_document_viewer_page_is_drawn (viewer, cr_document_viewer_get_current_page (viewer)), 20000);
  widget_iterate_for (300);
  png = widget_save_png (f->window, "documents-viewer-find");
  g_clear_pointer (&png, g_free);

  /* Rubber-band selection over page 1 copies its text. */
  cr_document_viewer_select (viewer, 0, &all);
  g_assert_nonnull (cr_document_viewer_get_selected_text (viewer));
  g_assert_nonnull (strstr (cr_document_viewer_get_selected_text (viewer), "Medical Record"));

  /* Zoom steps, and a rotation kept in the database. */
  zoom = cr_document_viewer_get_zoom (viewer);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (viewer), "viewer.zoom-in", NULL));
  g_assert_cmpfloat (cr_document_viewer_get_zoom (viewer), >, zoom);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (viewer), "viewer.zoom-fit-width", NULL));
  g_assert_cmpfloat_with_epsilon (cr_document_viewer_get_zoom (viewer), zoom, 0.01);

  /* A scanned page, rotated a quarter turn and back. */
  cr_document_viewer_set_document (viewer, f->sf.store, scan_id);
  wait_drawn (viewer, 0);
  png = widget_save_png (f->window, "documents-viewer-scan");
  g_clear_pointer (&png, g_free);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (viewer), "viewer.rotate", NULL));
  rotations = cr_store_get_document_rotations (f->sf.store, scan_id, NULL);
  g_assert_cmpint (g_array_index (rotations, int, 0), ==, 90);
  g_assert_cmpint (cr_document_viewer_get_page_rotation (viewer, 0), ==, 90);
  wait_drawn (viewer, 0);
  png = widget_save_png (f->window, "documents-viewer-scan-rotated");
  g_clear_pointer (&png, g_free);

  /* 121 pages: the first is on screen at once, the others wait their turn. */
  cr_document_viewer_set_document (viewer, f->sf.store, book_id);
  wait_drawn (viewer, 0);
  g_assert_cmpuint (cr_document_viewer_get_n_pages (viewer), ==, 121);
  g_assert_false (cr_document_viewer_page_is_drawn (viewer, 100));
  cr_document_viewer_go_to_page (viewer, 100);
  widget_iterate_for (100);
  wait_drawn (viewer, 100);
  g_assert_cmpuint (cr_document_viewer_get_current_page (viewer), ==, 100);

  /* Dark style: the paper stays white, the canvas darkens. */
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  cr_document_viewer_set_document (viewer, f->sf.store, text_id);
  wait_drawn (viewer, 0);
  png = widget_save_png (f->window, "documents-viewer-dark");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
}

/* A stored document that is no PDF any more shows why, not a blank page. */
static void
test_viewer_error (DocsFixture   *f,
                   gconstpointer  data)
{
  CrDocumentViewer *viewer;

  f->window = gtk_window_new ();
  viewer = CR_DOCUMENT_VIEWER (cr_document_viewer_new ());
  gtk_window_set_child (GTK_WINDOW (f->window), GTK_WIDGET (viewer));
  gtk_window_present (GTK_WINDOW (f->window));
  cr_document_viewer_set_document (viewer, f->sf.store, 4242);
  WIDGET_WAIT_FOR (!cr_document_viewer_get_loading (viewer), 20000);
  widget_iterate_for (100);
  g_assert_nonnull (cr_document_viewer_get_error (viewer));
  widget_assert_shows (GTK_WIDGET (viewer), "This Document Cannot Be Shown");
}

int
main (int   argc,
      char *argv[])
{
  widget_test_init (&argc, &argv);

  g_test_add ("/documents-ui/import", DocsFixture, NULL, fixture_setup, test_import, fixture_teardown);
  g_test_add ("/documents-ui/file-and-split", DocsFixture, NULL, fixture_setup, test_file_and_split,
              fixture_teardown);
  g_test_add ("/documents-ui/viewer", DocsFixture, NULL, fixture_setup, test_viewer, fixture_teardown);
  g_test_add ("/documents-ui/viewer-error", DocsFixture, NULL, fixture_setup, test_viewer_error,
              fixture_teardown);
  return g_test_run ();
}
