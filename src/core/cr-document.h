/* cr-document.h: one scanned or imported document's metadata
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "cr-types.h"

G_BEGIN_DECLS

#define CR_TYPE_DOCUMENT (cr_document_get_type ())

/* Marks around the matched words in cr_document_get_snippet(): control
 * characters that never occur in stored text. */
#define CR_DOCUMENT_SNIPPET_START "\x02"
#define CR_DOCUMENT_SNIPPET_END   "\x03"

G_DECLARE_FINAL_TYPE (CrDocument, cr_document, CR, DOCUMENT, GObject)

/* All read-only: made by the store (cr-documents.h). Every getter is also a
 * property of the same name, for list bindings. */
gint64              cr_document_get_id               (CrDocument *self);
/* 0 while in the inbox */
gint64              cr_document_get_patient_id       (CrDocument *self);
/* 0 when filed to no visit */
gint64              cr_document_get_visit_id         (CrDocument *self);
CrDocumentCategory  cr_document_get_category         (CrDocument *self);
/* (nullable): NULL until filed */
const char         *cr_document_get_title            (CrDocument *self);
/* (nullable): YYYY-MM-DD, NULL until filed */
const char         *cr_document_get_service_date     (CrDocument *self);
/* (nullable): the imported file's base name */
const char         *cr_document_get_file_name        (CrDocument *self);
/* What was imported: application/pdf, image/png, image/jpeg, image/tiff
 * (images are stored as a PDF too, cr_store_open_document() opens that) */
const char         *cr_document_get_mime_type        (CrDocument *self);
/* Of the original bytes, as imported */
const char         *cr_document_get_sha256           (CrDocument *self);
gint64              cr_document_get_byte_size        (CrDocument *self);
/* 0 when unknown (a document written by another importer, not a PDF) */
guint               cr_document_get_page_count       (CrDocument *self);
/* Whether the PDF is password-protected (the password is stored) */
gboolean            cr_document_get_encrypted        (CrDocument *self);
gboolean            cr_document_get_entered_in_error (CrDocument *self);
/* Split into parts (cr_store_split_document()): hidden from lists, kept */
gboolean            cr_document_get_replaced         (CrDocument *self);
/* The document this one is a part of, or 0 */
gint64              cr_document_get_split_from       (CrDocument *self);
/* (nullable): this part's pages of the original, 1-based ("4-7") */
const char         *cr_document_get_split_pages      (CrDocument *self);
const char         *cr_document_get_created_at       (CrDocument *self);
const char         *cr_document_get_created_by       (CrDocument *self);
const char         *cr_document_get_updated_at       (CrDocument *self);
const char         *cr_document_get_updated_by       (CrDocument *self);
/* (nullable): search results only: the text around the matches, each match
 * between CR_DOCUMENT_SNIPPET_START and CR_DOCUMENT_SNIPPET_END */
const char         *cr_document_get_snippet          (CrDocument *self);
/* (transfer full) (nullable): the snippet as Pango markup, matches bold */
char               *cr_document_dup_snippet_markup   (CrDocument *self);
/* The page's view rotation in degrees (0, 90, 180, 270), @page 0-based.
 * Known for documents from cr_store_get_document(); 0 otherwise. */
int                 cr_document_get_page_rotation    (CrDocument *self,
                                                      guint       page);

/* Categories: the stored nick ("lab-result"), back (unknown text: OTHER,
 * NULL: NONE), and the translated label ("Lab result"). */
const char         *cr_document_category_to_string   (CrDocumentCategory  category);
CrDocumentCategory  cr_document_category_from_string (const char         *text);
const char         *cr_document_category_get_label   (CrDocumentCategory  category);

G_END_DECLS
