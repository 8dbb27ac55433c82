/* cr-codes.h: the ICD-10-CM code set: import, search and checks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "cr-store.h"
#include "cr-types.h"

G_BEGIN_DECLS

#define CR_CODES_ERROR (cr_codes_error_quark ())
#define CR_TYPE_CODE (cr_code_get_type ())

/* The system name stored in codes.system and in coded clinical rows. */
#define CR_CODE_SYSTEM_ICD10CM "icd10cm"

/**
 * CrCodesError:
 * @CR_CODES_ERROR_UNREADABLE: the file cannot be opened or read
 * @CR_CODES_ERROR_NOT_ORDER_FILE: the file is not a CMS ICD-10-CM order file
 *   (a PDF, the plain codes file, a procedure (PCS) file, other text)
 * @CR_CODES_ERROR_MALFORMED: a line of an order file is damaged; the message
 *   names its 1-based line number and nothing was imported
 * @CR_CODES_ERROR_NOT_IMPORTED: no ICD-10-CM code set has been imported yet
 * @CR_CODES_ERROR_UNKNOWN_CODE: no such code in the code set
 * @CR_CODES_ERROR_HEADER_CODE: a category heading, not a billable code; the
 *   message suggests a billable one
 * @CR_CODES_ERROR_NO_LONGER_VALID: the code was dropped by a later release
 */
typedef enum
{
  CR_CODES_ERROR_UNREADABLE,
  CR_CODES_ERROR_NOT_ORDER_FILE,
  CR_CODES_ERROR_MALFORMED,
  CR_CODES_ERROR_NOT_IMPORTED,
  CR_CODES_ERROR_UNKNOWN_CODE,
  CR_CODES_ERROR_HEADER_CODE,
  CR_CODES_ERROR_NO_LONGER_VALID,
} CrCodesError;

/**
 * CrCodeImportStats:
 * @billable: billable codes in the file (flag 1)
 * @headers: header codes in the file (flag 0)
 * @added: codes new to the practice database
 * @updated: codes already there whose description, flag or validity changed
 * @invalidated: codes marked no longer valid because the file lacks them
 */
typedef struct
{
  guint billable;
  guint headers;
  guint added;
  guint updated;
  guint invalidated;
} CrCodeImportStats;

G_DECLARE_FINAL_TYPE (CrCode, cr_code, CR, CODE, GObject)

GQuark      cr_codes_error_quark           (void);

const char *cr_code_get_system             (CrCode       *self);
const char *cr_code_get_code               (CrCode       *self);
const char *cr_code_get_formatted_code     (CrCode       *self);
const char *cr_code_get_display            (CrCode       *self);
const char *cr_code_get_short_display      (CrCode       *self);
const char *cr_code_get_release            (CrCode       *self);
gboolean    cr_code_get_billable           (CrCode       *self);
gboolean    cr_code_get_valid              (CrCode       *self);

char       *cr_icd10cm_format_code         (const char   *code);
char       *cr_code_format                 (const char   *system,
                                            const char   *code);
char       *cr_icd10cm_normalize_code      (const char   *code);

gboolean    cr_store_import_codes          (CrStore             *store,
                                            const char          *path,
                                            const char          *release,
                                            CrProgressFunc       progress,
                                            gpointer             progress_data,
                                            GCancellable        *cancellable,
                                            CrCodeImportStats   *stats_out,
                                            GError             **error);
void        cr_store_import_codes_async    (CrStore             *store,
                                            const char          *path,
                                            const char          *release,
                                            CrProgressFunc       progress,
                                            gpointer             progress_data,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
gboolean    cr_store_import_codes_finish   (CrStore             *store,
                                            GAsyncResult        *result,
                                            CrCodeImportStats   *stats_out,
                                            GError             **error);

GPtrArray  *cr_store_search_codes          (CrStore             *store,
                                            const char          *text,
                                            guint                limit,
                                            GCancellable        *cancellable,
                                            GError             **error);
CrCode     *cr_store_get_code              (CrStore             *store,
                                            const char          *system,
                                            const char          *code,
                                            GError             **error);
gboolean    cr_store_check_assignable_code (CrStore             *store,
                                            const char          *system,
                                            const char          *code,
                                            GError             **error);
char       *cr_store_dup_code_release      (CrStore             *store,
                                            const char          *system);
gboolean    cr_store_count_codes           (CrStore             *store,
                                            const char          *system,
                                            guint               *n_billable,
                                            guint               *n_headers,
                                            GError             **error);

G_END_DECLS
