/* cr-demo.h: a deterministic synthetic practice for demos and benchmarks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "cr-store.h"

G_BEGIN_DECLS

#define CR_DEMO_ERROR (cr_demo_error_quark ())

/**
 * CrDemoError:
 * @CR_DEMO_ERROR_NOT_EMPTY: the practice already has patients
 * @CR_DEMO_ERROR_INVALID: the number of patients is out of range
 */
typedef enum
{
  CR_DEMO_ERROR_NOT_EMPTY,
  CR_DEMO_ERROR_INVALID,
} CrDemoError;

/* Record numbers are P + six digits. */
#define CR_DEMO_MAX_PATIENTS 999999

/* Patient #1 (record number P000001) is a long-history patient: an elderly
 * man with diabetes, hypertension, hyperlipidemia, atrial fibrillation,
 * kidney disease and knee osteoarthritis, seen exactly this many times over
 * the last eight years. The benchmark opens his chart. */
#define CR_DEMO_LONG_HISTORY_RECORD "P000001"
#define CR_DEMO_LONG_HISTORY_VISITS 500

/**
 * CrDemoCode:
 * @system: the code system, always "icd10cm" here
 * @code: the code without its dot, as CMS writes it ("E119")
 * @display: CMS's long description, exactly
 */
typedef struct
{
  const char *system;
  const char *code;
  const char *display;
} CrDemoCode;

/**
 * CrDemoCounts:
 *
 * Rows in the practice's clinical tables (entered-in-error rows included).
 */
typedef struct
{
  gint64 patients;
  gint64 visits;
  gint64 diagnoses;
  gint64 prescriptions;
  gint64 outcomes;
  gint64 problems;
  gint64 allergies;
  gint64 follow_ups;
} CrDemoCounts;

GQuark            cr_demo_error_quark    (void);

const CrDemoCode *cr_demo_get_codes      (guint          *n_codes);

gboolean          cr_store_generate_demo (CrStore        *store,
                                          guint           n_patients,
                                          guint32         seed,
                                          CrProgressFunc  progress,
                                          gpointer        progress_data,
                                          GCancellable   *cancellable,
                                          GError        **error);

gboolean          cr_demo_count_rows     (CrStore        *store,
                                          CrDemoCounts   *counts,
                                          GError        **error);

G_END_DECLS
