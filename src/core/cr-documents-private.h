/* cr-documents-private.h: what cr-document.c, cr-documents.c and
 * cr-document-import.c share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <sqlcipher/sqlite3.h>

#include "cr-documents.h"

G_BEGIN_DECLS

/* The columns _cr_document_new_from_row() reads, in order, from documents
 * aliased d; a snippet may follow as the next column. */
#define CR_DOCUMENT_COLUMNS \
  "d.id, d.patient_id, d.visit_id, d.category, d.title, d.service_date," \
  " d.file_name, d.mime_type, d.sha256, d.byte_size, d.page_count," \
  " d.password IS NOT NULL, d.entered_in_error, d.replaced, d.split_from," \
  " d.split_pages, d.created_at, d.created_by, d.updated_at, d.updated_by"
#define CR_DOCUMENT_N_COLUMNS 20

CrDocument *_cr_document_new_from_row  (sqlite3_stmt *stmt);
void        _cr_document_set_rotations (CrDocument   *self,
                                        GArray       *rotations);

/* What an import has read and checked before it touches the database. */
typedef struct
{
  GBytes  *original;    /* the file's bytes */
  GBytes  *pdf;         /* what is stored and rendered: original for a PDF */
  char    *mime_type;   /* of the original */
  char    *sha256;      /* of the original */
  char    *password;    /* kept only when the PDF needs one */
  guint    n_pages;
  char    *text;        /* every page's text, pages joined by form feeds */
} CrDocumentPayload;

void        _cr_document_payload_free  (CrDocumentPayload *payload);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrDocumentPayload, _cr_document_payload_free)

/* cr-document-import.c: reads and checks a file (no database access). */
CrDocumentPayload *_cr_document_payload_load (const char     *path,
                                              const char     *password,
                                              CrProgressFunc  progress,
                                              gpointer        progress_data,
                                              GCancellable   *cancellable,
                                              GError        **error);
/* Whether @bytes start like a PDF (the header within the first KiB). */
gboolean           _cr_document_bytes_are_pdf (GBytes        *bytes);
/* Opens PDF bytes from memory; NEEDS_PASSWORD / WRONG_PASSWORD / MALFORMED. */
PopplerDocument   *_cr_document_open_pdf     (GBytes         *bytes,
                                              const char     *password,
                                              GError        **error);
/* Every page's text, cleaned for the index, pages joined by form feeds. */
char              *_cr_document_extract_text (PopplerDocument *document,
                                              CrProgressFunc   progress,
                                              gpointer         progress_data,
                                              GCancellable    *cancellable,
                                              GError         **error);
/* The pages [first, last] (0-based) of @document as a new PDF drawn by
 * Poppler onto a cairo PDF surface. */
GBytes            *_cr_document_write_pages  (PopplerDocument *document,
                                              guint            first,
                                              guint            last,
                                              GCancellable    *cancellable,
                                              GError         **error);

G_END_DECLS
