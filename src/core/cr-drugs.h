/* cr-drugs.h: the drug list (FDA Orange Book products): import, type-ahead
 * search, and the allergy check made before a prescription is saved
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "cr-clinical.h"
#include "cr-store.h"
#include "cr-types.h"

G_BEGIN_DECLS

#define CR_DRUGS_ERROR (cr_drugs_error_quark ())
#define CR_TYPE_DRUG (cr_drug_get_type ())

/**
 * CrDrugsError:
 * @CR_DRUGS_ERROR_UNREADABLE: the file cannot be opened or read
 * @CR_DRUGS_ERROR_NOT_PRODUCT_FILE: the file is not the Orange Book's
 *   products.txt ('~'-separated, with its header line)
 * @CR_DRUGS_ERROR_MALFORMED: a line is damaged; the message names its
 *   1-based line number and nothing was imported
 */
typedef enum
{
  CR_DRUGS_ERROR_UNREADABLE,
  CR_DRUGS_ERROR_NOT_PRODUCT_FILE,
  CR_DRUGS_ERROR_MALFORMED,
} CrDrugsError;

/**
 * CrDrugImportStats:
 * @products: marketed (prescription or over-the-counter) product lines read
 * @discontinued: discontinued product lines, skipped
 * @drugs: drugs in the list after merging products that differ only by
 *   applicant (same ingredient, trade name, strength, form and route)
 */
typedef struct
{
  guint products;
  guint discontinued;
  guint drugs;
} CrDrugImportStats;

G_DECLARE_FINAL_TYPE (CrDrug, cr_drug, CR, DRUG, GObject)

GQuark      cr_drugs_error_quark         (void);

gint64      cr_drug_get_id               (CrDrug    *self);
const char *cr_drug_get_name             (CrDrug    *self);
const char *cr_drug_get_ingredient       (CrDrug    *self);
const char *cr_drug_get_trade_name       (CrDrug    *self);
const char *cr_drug_get_strength         (CrDrug    *self);
const char *cr_drug_get_form             (CrDrug    *self);
const char *cr_drug_get_route            (CrDrug    *self);
gboolean    cr_drug_get_generic          (CrDrug    *self);
gboolean    cr_drug_get_otc              (CrDrug    *self);
char       *cr_drug_dup_form_route       (CrDrug    *self);

gboolean    cr_store_import_drugs        (CrStore             *store,
                                          const char          *path,
                                          CrProgressFunc       progress,
                                          gpointer             progress_data,
                                          GCancellable        *cancellable,
                                          CrDrugImportStats   *stats_out,
                                          GError             **error);
void        cr_store_import_drugs_async  (CrStore             *store,
                                          const char          *path,
                                          CrProgressFunc       progress,
                                          gpointer             progress_data,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
gboolean    cr_store_import_drugs_finish (CrStore             *store,
                                          GAsyncResult        *result,
                                          CrDrugImportStats   *stats_out,
                                          GError             **error);

gboolean    cr_store_has_drugs           (CrStore             *store);
gboolean    cr_store_count_drugs         (CrStore             *store,
                                          guint               *n_drugs,
                                          GDateTime          **imported_at,
                                          GError             **error);
GPtrArray  *cr_store_search_drugs        (CrStore             *store,
                                          const char          *text,
                                          guint                limit,
                                          GCancellable        *cancellable,
                                          GError             **error);

gboolean    cr_store_check_drug_allergy  (CrStore             *store,
                                          gint64               patient_id,
                                          const char          *drug,
                                          CrAllergy          **matching_allergy,
                                          GError             **error);

G_END_DECLS
