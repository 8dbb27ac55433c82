/* test-print.c: visit notes and prescriptions laid out for paper
 *
 * Real notes (coded with the real ICD-10-CM code set of ../shared/data)
 * are laid out by cr-print-layout onto a cairo PDF surface; poppler reads
 * the text back, page by page, as a person would read the paper. The pages
 * are also rendered to screens/print-*.png in the build folder to look at.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <poppler.h>
#include <string.h>

#include "cr-audit.h"
#include "cr-chart.h"
#include "cr-codes.h"
#include "cr-patients.h"
#include "cr-print-layout.h"
#include "test-util.h"

#define PRACTICE "Riverside Family Practice"

typedef struct
{
  StoreFixture  sf;
  gint64        patient_id;
  gint64        visit_id;
  gint64        prescription_id;
} PrintFixture;

static gboolean
load_codes (CrStore *store)
{
  g_autofree char *path = test_shared_data_path ("icd10cm", "icd10cm_order_2026.txt", NULL);
  g_autoptr(GError) error = NULL;

  if (path == NULL)
    return FALSE;
  g_assert_true (cr_store_import_codes (store, path, NULL, NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  return TRUE;
}

static void
print_setup (PrintFixture  *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrPatient) patient = cr_patient_new ();
  g_autoptr(CrVisit) visit = NULL;
  CrPrescriptionInfo rx = { 0 };

  store_fixture_setup (&f->sf, data);
  g_assert_true (cr_store_set_practice_name (f->sf.store, PRACTICE, &error));
  g_assert_no_error (error);
  cr_store_set_user (f->sf.store, "Dr. Maria Lopez");
  if (!load_codes (f->sf.store))
    return;

  cr_patient_set_family_name (patient, "Okonkwo");
  cr_patient_set_given_names (patient, "Adaeze Chioma");
  cr_patient_set_birth_date (patient, "1968-02-29");
  cr_patient_set_address (patient, "12 Elm Street, Springfield");
  g_assert_true (cr_store_add_patient (f->sf.store, patient, FALSE, &error));
  g_assert_no_error (error);
  f->patient_id = cr_patient_get_id (patient);

  visit = cr_visit_new (f->patient_id);
  cr_visit_set_started_at (visit, "2026-03-12T09:30");
  cr_visit_set_clinician (visit, "Dr. Maria Lopez");
  cr_visit_set_visit_type (visit, CR_VISIT_TYPE_OFFICE);
  cr_visit_set_chief_complaint (visit, "Sore throat and fever for three days");
  cr_visit_set_subjective (visit, "Painful swallowing since Monday, fever up to 38.9 °C at home. "
                                  "No cough. Sister had strep throat last week.");
  cr_visit_set_objective (visit, "Tonsils enlarged with exudate; tender anterior cervical nodes.");
  cr_visit_set_blood_pressure (visit, 128, 82);
  cr_visit_set_pulse (visit, 96);
  cr_visit_set_temperature_c (visit, 38.4);
  cr_visit_set_assessment (visit, "Streptococcal pharyngitis likely (Centor 4).");
  cr_visit_set_plan (visit, "Amoxicillin for ten days. Fluids, paracetamol for fever. "
                            "Return if not better in 48 hours.");
  g_assert_true (cr_store_create_visit (f->sf.store, visit, &error));
  g_assert_no_error (error);
  f->visit_id = cr_visit_get_id (visit);

  g_assert_cmpint (cr_store_add_diagnosis (f->sf.store, f->visit_id, CR_SYSTEM_ICD10CM, "J02.0",
                                           NULL, TRUE, &error), >, 0);
  g_assert_no_error (error);
  g_assert_cmpint (cr_store_add_diagnosis (f->sf.store, f->visit_id, CR_SYSTEM_ICD10CM, "I10",
                                           NULL, FALSE, &error), >, 0);
  g_assert_no_error (error);

  rx.drug = "Amoxicillin";
  rx.strength = "500 mg";
  rx.form = "capsule";
  rx.dose = "1 capsule";
  rx.route = "by mouth";
  rx.frequency = "three times a day";
  rx.duration = "for 10 days";
  rx.quantity = "30";
  rx.refills = 0;
  rx.instructions = "Finish the whole course, even when you feel better.";
  f->prescription_id = cr_store_add_prescription (f->sf.store, f->patient_id, f->visit_id, &rx, &error);
  g_assert_no_error (error);
  g_assert_cmpint (f->prescription_id, >, 0);
}

static void
print_teardown (PrintFixture  *f,
                gconstpointer  data)
{
  store_fixture_teardown (&f->sf, data);
}

/* Writes @layout to a PDF in the fixture's folder, saves each page as a PNG
 * under screens/NAME-N.png, and returns the text of each page. */
static GPtrArray *
render (PrintFixture  *f,
        CrPrintLayout *layout,
        const char    *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_strdup_printf ("%s/%s.pdf", f->sf.dir, name);
  g_autofree char *uri = NULL;
  g_autofree char *screens = g_test_build_filename (G_TEST_BUILT, "screens", NULL);
  g_autoptr(GObject) doc_object = NULL;
  PopplerDocument *doc;
  GPtrArray *pages = g_ptr_array_new_with_free_func (g_free);

  g_assert_true (cr_print_layout_write_pdf (layout, path, &error));
  g_assert_no_error (error);
  uri = g_filename_to_uri (path, NULL, &error);
  doc = poppler_document_new_from_file (uri, NULL, &error);
  g_assert_no_error (error);
  doc_object = G_OBJECT (doc);
  g_assert_cmpint (poppler_document_get_n_pages (doc), ==, cr_print_layout_get_n_pages (layout));

  g_mkdir_with_parents (screens, 0755);
  for (int i = 0; i < poppler_document_get_n_pages (doc); i++)
    {
      PopplerPage *page = poppler_document_get_page (doc, i);
      g_autoptr(GObject) page_object = G_OBJECT (page);
      g_autofree char *png = g_strdup_printf ("%s/print-%s-%d.png", screens, name, i + 1);
      double w, h;
      cairo_surface_t *surface;
      cairo_t *cr;

      /* Lines wrapped on paper read as one text. */
      {
        char *text = poppler_page_get_text (page);

        for (char *c = text; *c; c++)
          if (*c == '\n')
            *c = ' ';
        g_ptr_array_add (pages, text);
      }

      /* At 100 dpi, on white, as paper. */
      poppler_page_get_size (page, &w, &h);
      surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, (int) (w * 100 / 72), (int) (h * 100 / 72));
      cr = cairo_create (surface);
      cairo_set_source_rgb (cr, 1, 1, 1);
      cairo_paint (cr);
      cairo_scale (cr, 100.0 / 72, 100.0 / 72);
      poppler_page_render_for_printing (page, cr);
      cairo_destroy (cr);
      g_assert_cmpint (cairo_surface_write_to_png (surface, png), ==, CAIRO_STATUS_SUCCESS);
      cairo_surface_destroy (surface);
      g_test_message ("page %d: %s", i + 1, png);
    }

  /* The PDF was the test's: patient data never stays behind. */
  g_unlink (path);
  return pages;
}

static void
assert_has (const char *text,
            const char *needle)
{
  if (strstr (text, needle) == NULL)
    g_error ("“%s” is not on the page:\n%s", needle, text);
}

static void
assert_lacks (const char *text,
              const char *needle)
{
  if (strstr (text, needle) != NULL)
    g_error ("“%s” should not be on the page:\n%s", needle, text);
}

static guint
count_audit (CrStore    *store,
             gint64      patient_id,
             const char *action,
             const char *record)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) trail = cr_store_list_audit (store, patient_id, &error);
  guint n = 0;

  g_assert_no_error (error);
  for (guint i = 0; i < g_list_model_get_n_items (trail); i++)
    {
      g_autoptr(CrAuditEntry) entry = g_list_model_get_item (trail, i);

      if (g_strcmp0 (cr_audit_entry_get_action (entry), action) == 0 &&
          g_strcmp0 (cr_audit_entry_get_record (entry), record) == 0)
        n++;
    }
  return n;
}

static void
test_visit_note (PrintFixture  *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrPrintLayout) layout = NULL;
  g_autoptr(GPtrArray) pages = NULL;
  g_autoptr(CrVisit) visit = NULL;
  g_autofree char *record = NULL;
  const char *text;

  if (f->visit_id == 0)
    return;

  /* The draft. */
  layout = cr_print_layout_new_for_visit (f->sf.store, f->visit_id, &error);
  g_assert_no_error (error);
  pages = render (f, layout, "visit-draft");
  g_assert_cmpuint (pages->len, ==, 1);
  text = g_ptr_array_index (pages, 0);
  assert_has (text, PRACTICE);
  assert_has (text, "Okonkwo");
  assert_has (text, "Adaeze Chioma");
  assert_has (text, "29 February 1968");
  assert_has (text, "12 March 2026, 09:30");
  assert_has (text, "Office visit");
  assert_has (text, "Sore throat and fever for three days");
  assert_has (text, "Sister had strep throat last week.");
  assert_has (text, "BP 128/82 mmHg");
  assert_has (text, "temperature 38.4 °C");
  /* Coded diagnoses with their dot and CMS's description. */
  assert_has (text, "J02.0");
  assert_has (text, "Streptococcal pharyngitis");
  assert_has (text, "I10");
  assert_has (text, "Essential (primary) hypertension");
  assert_has (text, "Return if not better in 48 hours.");
  assert_has (text, "Amoxicillin 500 mg capsule");
  assert_has (text, "three times a day");
  assert_has (text, "UNSIGNED DRAFT");
  assert_has (text, "Page 1 of 1");
  assert_lacks (text, "Signed by");
  g_clear_pointer (&pages, g_ptr_array_unref);

  /* The export is audited as the patient's. */
  record = g_strdup_printf ("visits:%" G_GINT64_FORMAT, f->visit_id);
  g_assert_cmpstr (cr_print_layout_get_record (layout), ==, record);
  g_assert_cmpint (cr_print_layout_get_patient_id (layout), ==, f->patient_id);
  g_assert_null (strstr (cr_print_layout_get_file_name (layout), "Okonkwo"));
  g_assert_true (cr_print_layout_record_audit (layout, f->sf.store, TRUE, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (cr_print_layout_record_audit (layout, f->sf.store, FALSE, "Office printer", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_audit (f->sf.store, f->patient_id, CR_AUDIT_EXPORT, record), ==, 1);
  g_assert_cmpuint (count_audit (f->sf.store, f->patient_id, CR_AUDIT_PRINT, record), ==, 1);
  g_clear_object (&layout);

  /* Signed, then amended. */
  visit = cr_store_get_visit (f->sf.store, f->visit_id, &error);
  g_assert_no_error (error);
  g_assert_true (cr_store_sign_visit (f->sf.store, visit, &error));
  g_assert_no_error (error);
  g_assert_cmpint (cr_store_amend_visit (f->sf.store, f->visit_id, "Rapid strep result",
                                         "Rapid strep test came back positive.", &error), >, 0);
  g_assert_no_error (error);

  layout = cr_print_layout_new_for_visit (f->sf.store, f->visit_id, &error);
  g_assert_no_error (error);
  pages = render (f, layout, "visit-signed");
  text = g_ptr_array_index (pages, 0);
  assert_has (text, "Signed by Dr. Maria Lopez at ");
  assert_lacks (text, "UNSIGNED DRAFT");
  assert_has (text, "Amendments");
  assert_has (text, "Rapid strep result");
  assert_has (text, "Rapid strep test came back positive.");
}

static void
test_prescription (PrintFixture  *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrPrintLayout) layout = NULL;
  g_autoptr(GPtrArray) pages = NULL;
  g_autofree char *record = NULL;
  const char *text;

  if (f->prescription_id == 0)
    return;

  layout = cr_print_layout_new_for_prescription (f->sf.store, f->prescription_id, &error);
  g_assert_no_error (error);
  pages = render (f, layout, "prescription");
  g_assert_cmpuint (pages->len, ==, 1);
  text = g_ptr_array_index (pages, 0);
  assert_has (text, PRACTICE);
  assert_has (text, "Prescription");
  assert_has (text, "Okonkwo");
  assert_has (text, "29 February 1968");
  assert_has (text, "12 Elm Street, Springfield");
  assert_has (text, "Amoxicillin 500 mg capsule");
  assert_has (text, "1 capsule");
  assert_has (text, "by mouth");
  assert_has (text, "three times a day");
  assert_has (text, "for 10 days");
  assert_has (text, "Quantity");
  assert_has (text, "30");
  assert_has (text, "Refills");
  assert_has (text, "None");
  assert_has (text, "Finish the whole course");
  assert_has (text, "Prescriber: Dr. Maria Lopez");
  /* Started on the visit's date. */
  assert_has (text, "12 March 2026");
  assert_lacks (text, "NOT VALID");

  record = g_strdup_printf ("prescriptions:%" G_GINT64_FORMAT, f->prescription_id);
  g_assert_true (cr_print_layout_record_audit (layout, f->sf.store, FALSE, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_audit (f->sf.store, f->patient_id, CR_AUDIT_PRINT, record), ==, 1);
  g_clear_object (&layout);
  g_clear_pointer (&pages, g_ptr_array_unref);

  /* A stopped prescription says so on every page. */
  g_assert_true (cr_store_stop_prescription (f->sf.store, f->prescription_id, "2026-03-14",
                                             "Rash", &error));
  g_assert_no_error (error);
  layout = cr_print_layout_new_for_prescription (f->sf.store, f->prescription_id, &error);
  g_assert_no_error (error);
  pages = render (f, layout, "prescription-stopped");
  text = g_ptr_array_index (pages, 0);
  assert_has (text, "NOT VALID");
  assert_has (text, "14 March 2026");
  assert_has (text, "Rash");

  /* An unknown prescription is an error, not a blank page. */
  g_clear_object (&layout);
  layout = cr_print_layout_new_for_prescription (f->sf.store, 999999, &error);
  g_assert_null (layout);
  g_assert_error (error, CR_STORE_ERROR, CR_STORE_ERROR_NOT_FOUND);
}

static void
test_long_note (PrintFixture  *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrPrintLayout) layout = NULL;
  g_autoptr(GPtrArray) pages = NULL;
  g_autoptr(CrVisit) visit = NULL;
  g_autoptr(GString) history = g_string_new (NULL);
  g_autoptr(GString) all = g_string_new (NULL);
  const guint n_paragraphs = 60;

  if (f->visit_id == 0)
    return;

  /* Sixty paragraphs of history: more than two pages of it. */
  for (guint i = 1; i <= n_paragraphs; i++)
    g_string_append_printf (history,
                            "Paragraph %03u. The patient describes recurring episodes of sore "
                            "throat since childhood, treated with antibiotics several times a "
                            "year, with fever, malaise and reduced appetite lasting about a week "
                            "each time; no episode needed a hospital stay.\n", i);
  visit = cr_store_get_visit (f->sf.store, f->visit_id, &error);
  g_assert_no_error (error);
  cr_visit_set_subjective (visit, history->str);
  g_assert_true (cr_store_update_visit (f->sf.store, visit, &error));
  g_assert_no_error (error);

  layout = cr_print_layout_new_for_visit (f->sf.store, f->visit_id, &error);
  g_assert_no_error (error);
  pages = render (f, layout, "visit-long");
  g_assert_cmpuint (pages->len, >=, 3);

  for (guint i = 0; i < pages->len; i++)
    {
      const char *text = g_ptr_array_index (pages, i);
      g_autofree char *number = g_strdup_printf ("Page %u of %u", i + 1, pages->len);

      /* Every page says whose it is and where it belongs. */
      assert_has (text, number);
      assert_has (text, PRACTICE);
      assert_has (text, "Okonkwo");
      assert_has (text, "UNSIGNED DRAFT");
      g_string_append (all, text);
      g_string_append_c (all, '\n');
    }

  /* No paragraph lost or doubled across the page breaks, in order. */
  {
    const char *from = all->str;

    for (guint i = 1; i <= n_paragraphs; i++)
      {
        g_autofree char *mark = g_strdup_printf ("Paragraph %03u.", i);
        const char *at = strstr (from, mark);

        g_assert_nonnull (at);
        g_assert_null (strstr (at + 1, mark));
        from = at;
      }
  }
  /* What follows the history comes after it, on a later page. */
  assert_has (g_ptr_array_index (pages, pages->len - 1), "Streptococcal pharyngitis");
  assert_lacks (g_ptr_array_index (pages, 0), "Streptococcal pharyngitis");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/core/print/visit-note", PrintFixture, NULL,
              print_setup, test_visit_note, print_teardown);
  g_test_add ("/core/print/prescription", PrintFixture, NULL,
              print_setup, test_prescription, print_teardown);
  g_test_add ("/core/print/long-note", PrintFixture, NULL,
              print_setup, test_long_note, print_teardown);

  return g_test_run ();
}
