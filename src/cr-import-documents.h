/* cr-import-documents.h: importing scans and PDFs, with progress and a
 * per-file summary
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "cr-store.h"

G_BEGIN_DECLS

#define CR_TYPE_IMPORT_DOCUMENTS (cr_import_documents_get_type ())

G_DECLARE_FINAL_TYPE (CrImportDocuments, cr_import_documents, CR, IMPORT_DOCUMENTS, AdwWindow)

/* What became of one file. */
typedef enum
{
  CR_IMPORT_OUTCOME_WAITING,
  CR_IMPORT_OUTCOME_IMPORTED,
  CR_IMPORT_OUTCOME_DUPLICATE,
  CR_IMPORT_OUTCOME_NEEDS_PASSWORD,
  CR_IMPORT_OUTCOME_WRONG_PASSWORD,
  CR_IMPORT_OUTCOME_REFUSED,
  CR_IMPORT_OUTCOME_CANCELLED,
} CrImportOutcome;

/* @patient_id: the chart the files go to (unfiled category), 0 for the
 * inbox. The window shows itself when an import starts. */
CrImportDocuments *cr_import_documents_new        (GtkWindow          *parent,
                                                   CrStore            *store,
                                                   gint64              patient_id);
/* Asks for files (PDF, PNG, JPEG, TIFF; several at once) and imports them.
 * Returns: (transfer none): the import, to connect to ::imported */
CrImportDocuments *cr_import_documents_choose     (GtkWindow          *parent,
                                                   CrStore            *store,
                                                   gint64              patient_id);
/* For a drop: @files is a GdkFileList's (element-type GFile) list. */
CrImportDocuments *cr_import_documents_import_files (GtkWindow        *parent,
                                                     CrStore          *store,
                                                     gint64            patient_id,
                                                     GSList           *files);
/* What the file chooser calls: imports @paths off the main loop. */
void             cr_import_documents_start        (CrImportDocuments  *self,
                                                   const char * const *paths);
void             cr_import_documents_cancel       (CrImportDocuments  *self);
gboolean         cr_import_documents_get_running  (CrImportDocuments  *self);
/* What the password dialog calls: tries @path again with @password. */
void             cr_import_documents_retry_with_password (CrImportDocuments *self,
                                                          const char        *path,
                                                          const char        *password);
/* What "Import Again" calls for a duplicate. */
void             cr_import_documents_import_again (CrImportDocuments  *self,
                                                   const char         *path);
/* The outcome for @path; @id (optional) is the new document's. @message
 * (optional, transfer none) says why not. */
CrImportOutcome  cr_import_documents_get_outcome  (CrImportDocuments  *self,
                                                   const char         *path,
                                                   gint64             *id,
                                                   const char        **message);

G_END_DECLS
