/* test-patients.c: registering and changing patients
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "cr-audit.h"
#include "cr-date.h"
#include "cr-patients.h"
#include "test-util.h"

static CrPatient *
make_patient (const char *family,
              const char *given,
              const char *birth)
{
  CrPatient *patient = cr_patient_new ();

  cr_patient_set_family_name (patient, family);
  cr_patient_set_given_names (patient, given);
  cr_patient_set_birth_date (patient, birth);
  return patient;
}

static void
assert_refused (StoreFixture *fixture,
                CrPatient    *patient,
                int           code)
{
  g_autoptr(GError) error = NULL;
  gint64 before = cr_store_count_patients (fixture->store, NULL);

  g_assert_false (cr_store_add_patient (fixture->store, patient, FALSE, &error));
  g_assert_error (error, CR_PATIENT_ERROR, code);
  g_assert_nonnull (error->message);
  g_assert_cmpint (cr_patient_get_id (patient), ==, 0);
  g_assert_cmpint (cr_store_count_patients (fixture->store, NULL), ==, before);
}

static void
test_add_get_update (StoreFixture  *fixture,
                     gconstpointer  data)
{
  g_autoptr(CrPatient) patient = make_patient ("Müller", "Zoë Anne", "1980-03-05");
  g_autoptr(CrPatient) loaded = NULL;
  g_autoptr(CrPatient) by_number = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) trail = NULL;

  cr_patient_set_sex (patient, CR_SEX_FEMALE);
  cr_patient_set_phone (patient, "+1 (555) 010-2030");
  cr_patient_set_email (patient, "zoe.muller@example.org");
  cr_patient_set_address (patient, "12 Elm Street\nSpringfield, IL 62701");
  cr_patient_set_insurance_payer (patient, "Blue Cross");
  cr_patient_set_insurance_member_id (patient, "XJH-99812");

  g_assert_true (cr_store_add_patient (fixture->store, patient, FALSE, &error));
  g_assert_no_error (error);
  g_assert_cmpint (cr_patient_get_id (patient), >, 0);
  g_assert_cmpstr (cr_patient_get_record_number (patient), ==, "P000001");
  g_assert_cmpstr (cr_patient_get_created_by (patient), ==, "tester");
  g_assert_nonnull (cr_patient_get_created_at (patient));

  loaded = cr_store_get_patient (fixture->store, cr_patient_get_id (patient), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cr_patient_get_family_name (loaded), ==, "Müller");
  g_assert_cmpstr (cr_patient_get_given_names (loaded), ==, "Zoë Anne");
  g_assert_cmpstr (cr_patient_get_birth_date (loaded), ==, "1980-03-05");
  g_assert_cmpint (cr_patient_get_sex (loaded), ==, CR_SEX_FEMALE);
  g_assert_cmpstr (cr_patient_get_phone (loaded), ==, "+1 (555) 010-2030");
  g_assert_cmpstr (cr_patient_get_email (loaded), ==, "zoe.muller@example.org");
  g_assert_cmpstr (cr_patient_get_address (loaded), ==, "12 Elm Street\nSpringfield, IL 62701");
  g_assert_cmpstr (cr_patient_get_insurance_payer (loaded), ==, "Blue Cross");
  g_assert_cmpstr (cr_patient_get_insurance_member_id (loaded), ==, "XJH-99812");
  g_assert_cmpint (cr_patient_get_age (loaded), >=, 45);

  cr_patient_set_family_name (loaded, "Müller-Schmidt");
  cr_patient_set_email (loaded, "");
  g_assert_true (cr_store_update_patient (fixture->store, loaded, &error));
  g_assert_no_error (error);

  by_number = cr_store_find_patient_by_record_number (fixture->store, "P000001", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cr_patient_get_family_name (by_number), ==, "Müller-Schmidt");
  g_assert_null (cr_patient_get_email (by_number));

  /* Both the registration and the change are in the audit trail. */
  trail = cr_store_list_audit (fixture->store, cr_patient_get_id (patient), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (trail), ==, 2);

  g_assert_null (cr_store_get_patient (fixture->store, 9999, &error));
  g_assert_error (error, CR_STORE_ERROR, CR_STORE_ERROR_NOT_FOUND);
}

static void
test_record_numbers (StoreFixture  *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  for (guint i = 1; i <= 3; i++)
    {
      g_autofree char *given = g_strdup_printf ("Child %u", i);
      g_autofree char *expected = g_strdup_printf ("P%06u", i);
      g_autoptr(CrPatient) p = make_patient ("Okafor", given, "2015-06-01");

      g_assert_true (cr_store_add_patient (fixture->store, p, FALSE, &error));
      g_assert_no_error (error);
      g_assert_cmpstr (cr_patient_get_record_number (p), ==, expected);
    }
}

static void
test_validation (StoreFixture  *fixture,
                 gconstpointer  data)
{
  g_autofree char *long_name = g_strnfill (101, 'a');
  g_autoptr(GError) error = NULL;
  GDate today;
  g_autofree char *tomorrow = NULL;

  cr_date_set_today (&today);
  g_date_add_days (&today, 1);
  tomorrow = cr_date_to_iso (&today);

  {
    g_autoptr(CrPatient) p = make_patient ("", "Jo", "1980-01-01");
    assert_refused (fixture, p, CR_PATIENT_ERROR_FAMILY_NAME);
  }
  {
    g_autoptr(CrPatient) p = make_patient ("   ", "Jo", "1980-01-01");
    assert_refused (fixture, p, CR_PATIENT_ERROR_FAMILY_NAME);
  }
  {
    g_autoptr(CrPatient) p = make_patient ("Smith", "Jo", "2023-02-30");
    assert_refused (fixture, p, CR_PATIENT_ERROR_BIRTH_DATE);
  }
  {
    g_autoptr(CrPatient) p = make_patient ("Smith", "Jo", "1980-13-01");
    assert_refused (fixture, p, CR_PATIENT_ERROR_BIRTH_DATE);
  }
  {
    g_autoptr(CrPatient) p = make_patient ("Smith", "Jo", tomorrow);
    assert_refused (fixture, p, CR_PATIENT_ERROR_BIRTH_DATE);
  }
  {
    g_autoptr(CrPatient) p = make_patient ("Smith", "Jo", "yesterday");
    assert_refused (fixture, p, CR_PATIENT_ERROR_BIRTH_DATE);
  }
  {
    g_autoptr(CrPatient) p = make_patient (long_name, "Jo", "1980-01-01");
    assert_refused (fixture, p, CR_PATIENT_ERROR_FAMILY_NAME);
  }
  {
    g_autoptr(CrPatient) p = make_patient ("Sm\xffith", "Jo", "1980-01-01");
    assert_refused (fixture, p, CR_PATIENT_ERROR_FAMILY_NAME);
  }
  {
    g_autoptr(CrPatient) p = make_patient ("Smith", "Jo\nAnne", "1980-01-01");
    assert_refused (fixture, p, CR_PATIENT_ERROR_GIVEN_NAMES);
  }
  {
    g_autoptr(CrPatient) p = make_patient ("Smith", "Jo", "1980-01-01");
    cr_patient_set_email (p, "jo at example");
    assert_refused (fixture, p, CR_PATIENT_ERROR_EMAIL);
  }
  {
    g_autoptr(CrPatient) p = make_patient ("Smith", "Jo", "1980-01-01");
    cr_patient_set_phone (p, "call me");
    assert_refused (fixture, p, CR_PATIENT_ERROR_PHONE);
  }

  /* An update that fails validation changes nothing either. */
  {
    g_autoptr(CrPatient) p = make_patient ("Smith", "Jo", "1980-01-01");
    g_autoptr(CrPatient) again = NULL;

    g_assert_true (cr_store_add_patient (fixture->store, p, FALSE, &error));
    cr_patient_set_birth_date (p, "1980-02-31");
    g_assert_false (cr_store_update_patient (fixture->store, p, &error));
    g_assert_error (error, CR_PATIENT_ERROR, CR_PATIENT_ERROR_BIRTH_DATE);
    g_clear_error (&error);
    again = cr_store_get_patient (fixture->store, cr_patient_get_id (p), &error);
    g_assert_cmpstr (cr_patient_get_birth_date (again), ==, "1980-01-01");
  }
}

static void
test_duplicate (StoreFixture  *fixture,
                gconstpointer  data)
{
  g_autoptr(CrPatient) first = make_patient ("Nguyễn", "Văn An", "1975-11-30");
  g_autoptr(CrPatient) second = make_patient ("nguyễn", "văn an", "1975-11-30");
  g_autoptr(GError) error = NULL;

  g_assert_true (cr_store_add_patient (fixture->store, first, FALSE, &error));
  g_assert_no_error (error);

  g_assert_false (cr_store_add_patient (fixture->store, second, FALSE, &error));
  g_assert_error (error, CR_PATIENT_ERROR, CR_PATIENT_ERROR_DUPLICATE);
  g_assert_nonnull (strstr (error->message, cr_patient_get_record_number (first)));
  g_clear_error (&error);

  /* The user confirmed it is someone else. */
  g_assert_true (cr_store_add_patient (fixture->store, second, TRUE, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (cr_patient_get_record_number (second), !=,
                   cr_patient_get_record_number (first));
}

static void
test_dates (void)
{
  GDate d;
  g_autoptr(GError) error = NULL;
  const char *same[] = { "1980-03-05", "03/05/1980", "3/5/1980", "05.03.1980", "19800305", " 1980-03-05 " };

  for (guint i = 0; i < G_N_ELEMENTS (same); i++)
    {
      g_autofree char *iso = NULL;

      g_assert_true (cr_date_parse (same[i], &d, &error));
      g_assert_no_error (error);
      iso = cr_date_to_iso (&d);
      g_assert_cmpstr (iso, ==, "1980-03-05");
    }

  g_assert_false (cr_date_parse ("2023-02-29", &d, &error));
  g_assert_error (error, CR_DATE_ERROR, CR_DATE_ERROR_IMPOSSIBLE);
  g_clear_error (&error);
  g_assert_true (cr_date_parse ("2024-02-29", &d, NULL));
  g_assert_false (cr_date_parse ("02/30/2020", &d, &error));
  g_assert_error (error, CR_DATE_ERROR, CR_DATE_ERROR_IMPOSSIBLE);
  g_clear_error (&error);
  g_assert_false (cr_date_parse ("1980-3", &d, &error));
  g_assert_error (error, CR_DATE_ERROR, CR_DATE_ERROR_FORMAT);
  g_clear_error (&error);
  g_assert_false (cr_date_parse_birth ("1850-01-01", &d, &error));
  g_assert_error (error, CR_DATE_ERROR, CR_DATE_ERROR_RANGE);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, StoreFixture, NULL, store_fixture_setup, func, store_fixture_teardown)

  ADD ("/core/patients/add-get-update", test_add_get_update);
  ADD ("/core/patients/record-numbers", test_record_numbers);
  ADD ("/core/patients/validation", test_validation);
  ADD ("/core/patients/duplicate", test_duplicate);
  g_test_add_func ("/core/dates/parse", test_dates);

  return g_test_run ();
}
