/* cr-documents.h: scanned and imported documents, inside the encrypted
 * practice database
 *
 * Every stored document is a PDF that Poppler renders from memory: PDFs as
 * they are, images (PNG, JPEG, TIFF incl. multi-page) converted at import
 * into a PDF with one page per image, their original bytes kept beside it
 * (what cr_store_export_document() writes out, and what the SHA-256 and the
 * duplicate check are of). Nothing is ever written outside the database:
 * no temporary files, no thumbnails on disk. Documents are never deleted:
 * a split document is marked replaced, a wrong one entered in error.
 *
 * Pages are 0-based in the API (as in Poppler), 1-based in the ranges a
 * person types (cr_store_split_document()).
 *
 * Thread safety: every function may be called from any thread (the store
 * serialises its connection). Imports, opening and splitting take time:
 * call them off the main loop (the _async variants, or a GTask). A
 * PopplerDocument is not thread-safe: use one from one thread at a time.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <poppler.h>

#include "cr-document.h"
#include "cr-store.h"
#include "cr-types.h"

G_BEGIN_DECLS

/* Poppler 22.12's GLib API has no g_autoptr() support yet. */
#ifndef CR_POPPLER_AUTOPTR
#define CR_POPPLER_AUTOPTR
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PopplerDocument, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PopplerPage, g_object_unref)
#endif

#define CR_DOCUMENTS_ERROR (cr_documents_error_quark ())
#define CR_TYPE_DOCUMENT_IMPORT_RESULT (cr_document_import_result_get_type ())

/* Files larger than this are refused. */
#define CR_DOCUMENT_MAX_BYTES (G_GINT64_CONSTANT (500) * 1000 * 1000)

/**
 * CrDocumentsError:
 * @CR_DOCUMENTS_ERROR_UNREADABLE: the file cannot be read (missing, no
 *   permission, a folder)
 * @CR_DOCUMENTS_ERROR_EMPTY: the file is empty (0 bytes)
 * @CR_DOCUMENTS_ERROR_TOO_LARGE: over CR_DOCUMENT_MAX_BYTES
 * @CR_DOCUMENTS_ERROR_NOT_A_DOCUMENT: not a PDF, PNG, JPEG or TIFF (judged
 *   by the bytes, not the name); also a stored document that is no PDF
 * @CR_DOCUMENTS_ERROR_NEEDS_PASSWORD: an encrypted PDF and no password given
 * @CR_DOCUMENTS_ERROR_WRONG_PASSWORD: the password does not open it
 * @CR_DOCUMENTS_ERROR_MALFORMED: damaged, or no pages; the message has
 *   Poppler's (or the image decoder's) words
 * @CR_DOCUMENTS_ERROR_DUPLICATE: the same bytes are already in the practice
 *   database; the message names that document
 * @CR_DOCUMENTS_ERROR_INVALID: a value was refused (date, category, visit,
 *   page ranges, rotation); the message says which and why
 * @CR_DOCUMENTS_ERROR_NOT_FOUND: no such document (or patient, or visit)
 * @CR_DOCUMENTS_ERROR_REPLACED: the document was split into parts or entered
 *   in error: act on its parts instead
 */
typedef enum
{
  CR_DOCUMENTS_ERROR_UNREADABLE,
  CR_DOCUMENTS_ERROR_EMPTY,
  CR_DOCUMENTS_ERROR_TOO_LARGE,
  CR_DOCUMENTS_ERROR_NOT_A_DOCUMENT,
  CR_DOCUMENTS_ERROR_NEEDS_PASSWORD,
  CR_DOCUMENTS_ERROR_WRONG_PASSWORD,
  CR_DOCUMENTS_ERROR_MALFORMED,
  CR_DOCUMENTS_ERROR_DUPLICATE,
  CR_DOCUMENTS_ERROR_INVALID,
  CR_DOCUMENTS_ERROR_NOT_FOUND,
  CR_DOCUMENTS_ERROR_REPLACED,
} CrDocumentsError;

GQuark cr_documents_error_quark (void);

/**
 * CrDocumentImportOptions:
 * @patient_id: file straight to this patient's chart (still to be given a
 *   category and date), or 0 for the inbox
 * @password: (nullable): the PDF's password; kept, inside the encrypted
 *   database, so that the document opens without asking again. Ignored
 *   (and not kept) for a PDF that has none.
 * @allow_duplicate: import even if the same bytes are already stored
 *
 * Zero-initialise it (`CrDocumentImportOptions options = { 0 };`); NULL
 * options mean all zero.
 */
typedef struct
{
  gint64      patient_id;
  const char *password;
  gboolean    allow_duplicate;
} CrDocumentImportOptions;

/* ---- import ------------------------------------------------------------ */

/**
 * cr_store_import_document:
 * @path: the file (PDF, PNG, JPEG, TIFF)
 * @options: (nullable)
 *
 * Reads the file, checks it, extracts the text layer of every page for
 * search, and stores it in one transaction with an "import" audit entry:
 * on any error (or cancellation) nothing of it stays behind. A PDF with
 * thousands of pages imports in seconds; the text is read page by page and
 * @cancellable is checked between pages.
 *
 * Returns: the new document's id, or 0 with @error set
 */
gint64      cr_store_import_document        (CrStore                        *store,
                                             const char                     *path,
                                             const CrDocumentImportOptions  *options,
                                             GCancellable                   *cancellable,
                                             GError                        **error);
/* As above, with progress (0..1) through the document's pages. */
gint64      cr_store_import_document_full   (CrStore                        *store,
                                             const char                     *path,
                                             const CrDocumentImportOptions  *options,
                                             CrProgressFunc                  progress,
                                             gpointer                        progress_data,
                                             GCancellable                   *cancellable,
                                             GError                        **error);

/* One file's outcome in a batch import: a boxed, reference-counted record. */
typedef struct _CrDocumentImportResult CrDocumentImportResult;

GType         cr_document_import_result_get_type         (void) G_GNUC_CONST;
CrDocumentImportResult *cr_document_import_result_ref    (CrDocumentImportResult *result);
void          cr_document_import_result_unref            (CrDocumentImportResult *result);
/* The path as given */
const char   *cr_document_import_result_get_path         (CrDocumentImportResult *result);
/* The new document's id, 0 if the file was not imported */
gint64        cr_document_import_result_get_id           (CrDocumentImportResult *result);
/* (nullable): why not (G_IO_ERROR_CANCELLED for files not reached) */
const GError *cr_document_import_result_get_error        (CrDocumentImportResult *result);
/* The stored document with the same bytes, for a DUPLICATE error, else 0 */
gint64        cr_document_import_result_get_duplicate_of (CrDocumentImportResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrDocumentImportResult, cr_document_import_result_unref)

/**
 * cr_store_import_documents:
 * @paths: (array zero-terminated=1): the files
 * @progress: (nullable): called on the importing thread with the fraction
 *   done over all files (marshal it to the main loop yourself)
 *
 * Imports each file as cr_store_import_document() does, each in its own
 * transaction: a failure does not stop the others. Cancelling stops after
 * the file being imported is rolled back; the files not imported get a
 * G_IO_ERROR_CANCELLED result.
 *
 * Returns: (transfer full) (element-type CrDocumentImportResult): one result
 *   per path, in order
 */
GPtrArray  *cr_store_import_documents        (CrStore                        *store,
                                              const char * const             *paths,
                                              const CrDocumentImportOptions  *options,
                                              CrProgressFunc                  progress,
                                              gpointer                        progress_data,
                                              GCancellable                   *cancellable);
/* The same in a worker thread. The paths and options are copied. */
void        cr_store_import_documents_async  (CrStore                        *store,
                                              const char * const             *paths,
                                              const CrDocumentImportOptions  *options,
                                              CrProgressFunc                  progress,
                                              gpointer                        progress_data,
                                              GCancellable                   *cancellable,
                                              GAsyncReadyCallback             callback,
                                              gpointer                        user_data);
/* Returns: (transfer full) (element-type CrDocumentImportResult): as
 * cr_store_import_documents(), even when cancelled; NULL only on a
 * programming error. */
GPtrArray  *cr_store_import_documents_finish (CrStore                        *store,
                                              GAsyncResult                   *result,
                                              GError                        **error);

/* ---- filing ------------------------------------------------------------ */

/**
 * cr_store_file_document:
 * @patient_id: the patient it belongs to (a filed document may be re-filed
 *   to another patient: both charts get an audit entry)
 * @category: not %CR_DOCUMENT_CATEGORY_NONE
 * @service_date: the date of service as written (2024-03-05, 03/05/2024…);
 *   a real date, not in the future, not before 1880
 * @visit_id: 0, or a visit of that patient (not entered in error)
 * @title: (nullable): the title; NULL or blank keeps the current one
 *   (the file name at import)
 *
 * Files a document from the inbox (or corrects a filed one), with a
 * "change" audit entry.
 */
gboolean    cr_store_file_document          (CrStore             *store,
                                             gint64               id,
                                             gint64               patient_id,
                                             CrDocumentCategory   category,
                                             const char          *service_date,
                                             gint64               visit_id,
                                             const char          *title,
                                             GError             **error);
/* Marks a document entered in error (a wrong scan): hidden from lists and
 * search, kept. @reason is required; audited. */
gboolean    cr_store_mark_document_entered_in_error (CrStore     *store,
                                                     gint64       id,
                                                     const char  *reason,
                                                     GError     **error);

/* ---- reading ----------------------------------------------------------- */

/* The inbox: documents filed to no patient, newest import first; neither
 * replaced nor entered in error. (transfer full) (element-type CrDocument) */
GListModel *cr_store_list_inbox             (CrStore       *store,
                                             GError       **error);
/* A patient's documents by date of service, newest first, undated (not yet
 * filed) ones first of all; neither replaced nor entered in error.
 * (transfer full) (element-type CrDocument) */
GListModel *cr_store_list_patient_documents (CrStore       *store,
                                             gint64         patient_id,
                                             GError       **error);
/* Parts a document was split into, in page order. (transfer full)
 * (element-type CrDocument) */
GListModel *cr_store_list_document_parts    (CrStore       *store,
                                             gint64         id,
                                             GError       **error);
gint64      cr_store_count_inbox            (CrStore       *store,
                                             GError       **error);
/* Any document, replaced or entered in error too, with its page rotations.
 * Reading metadata is not audited. (transfer full) */
CrDocument *cr_store_get_document           (CrStore       *store,
                                             gint64         id,
                                             GError       **error);

/**
 * cr_store_search_documents:
 * @patient_id: search this patient's documents, or 0 for the inbox's
 * @text: words as typed; each is a prefix ("diab" finds "diabetes"), all
 *   must occur (in the title or the text). User text never becomes FTS
 *   syntax.
 * @limit: at most this many; 0 for all
 *
 * Returns: (transfer full) (element-type CrDocument): newest service date
 *   first, each with a snippet (cr_document_get_snippet()); empty for no
 *   words
 */
GListModel *cr_store_search_documents       (CrStore       *store,
                                             gint64         patient_id,
                                             const char    *text,
                                             guint          limit,
                                             GCancellable  *cancellable,
                                             GError       **error);

/**
 * cr_store_dup_document_data:
 *
 * The PDF the viewer shows (for an image, the PDF made from it), read from
 * the database into memory, with a "view" audit entry.
 *
 * Returns: (transfer full): the bytes, or NULL with @error set
 */
GBytes     *cr_store_dup_document_data      (CrStore       *store,
                                             gint64         id,
                                             GError       **error);
/**
 * cr_store_open_document:
 *
 * Opens the document with Poppler from memory (cr_store_dup_document_data(),
 * so a "view" audit entry), with its stored password.
 *
 * Returns: (transfer full): the document, or NULL with @error set
 *   (NOT_A_DOCUMENT for stored bytes that are no PDF)
 */
PopplerDocument *cr_store_open_document     (CrStore       *store,
                                             gint64         id,
                                             GError       **error);
/**
 * cr_store_export_document:
 * @path: where to write the original bytes, as imported (the image for a
 *   converted image); replaced if it exists, created readable by the user
 *   only
 *
 * An explicit user action: writes the file and an "export" audit entry
 * naming @path. If the entry cannot be written the file is removed.
 */
gboolean    cr_store_export_document        (CrStore       *store,
                                             gint64         id,
                                             const char    *path,
                                             GCancellable  *cancellable,
                                             GError       **error);

/* ---- view settings and splitting -------------------------------------- */

/**
 * cr_store_set_document_page_rotation:
 * @page: 0-based
 * @rotation: degrees clockwise: 0, 90, 180 or 270 (others: INVALID)
 *
 * How the page is shown; the stored bytes never change.
 */
gboolean    cr_store_set_document_page_rotation (CrStore   *store,
                                                 gint64     id,
                                                 guint      page,
                                                 int        rotation,
                                                 GError   **error);
/* (transfer full) (element-type int): one rotation per page */
GArray     *cr_store_get_document_rotations (CrStore       *store,
                                             gint64         id,
                                             GError       **error);

/**
 * cr_store_split_document:
 * @ranges: the parts, 1-based, comma-separated, each a page or a range:
 *   "1-3,4,5-7". Every page must be in exactly one part (so that no page
 *   drops out of the chart), and there must be two parts or more; parts
 *   may be listed in any order and are created in page order.
 * @new_ids: (out) (optional) (transfer full): the parts' ids in page
 *   order, each a `gint64 *` (freed with the array)
 *
 * Writes each part as a new PDF (the pages drawn by Poppler onto a cairo
 * PDF surface: text stays text, scans stay images), with the original's
 * patient, visit, category, date of service and title ("Title (pages
 * 1–3)"), page rotations and text; marks the original replaced (hidden
 * from lists and search, kept with its bytes). One transaction, audited.
 */
gboolean    cr_store_split_document         (CrStore       *store,
                                             gint64         id,
                                             const char    *ranges,
                                             GPtrArray    **new_ids,
                                             GCancellable  *cancellable,
                                             GError       **error);
/* Parses @ranges against @n_pages as cr_store_split_document() does, for a
 * form to check as the user types. (transfer full) (element-type guint):
 * pairs of 0-based (first, last) pages per part, in page order. */
GArray     *cr_document_parse_ranges        (const char    *ranges,
                                             guint          n_pages,
                                             GError       **error);

G_END_DECLS
