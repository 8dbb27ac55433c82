/* cr-document.c: one scanned or imported document's metadata
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cr-document"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "cr-documents-private.h"
#include "cr-enums.h"

struct _CrDocument
{
  GObject             parent_instance;

  gint64              id;
  gint64              patient_id;
  gint64              visit_id;
  CrDocumentCategory  category;
  char               *title;
  char               *service_date;
  char               *file_name;
  char               *mime_type;
  char               *sha256;
  gint64              byte_size;
  guint               page_count;
  gboolean            encrypted;
  gboolean            entered_in_error;
  gboolean            replaced;
  gint64              split_from;
  char               *split_pages;
  char               *created_at;
  char               *created_by;
  char               *updated_at;
  char               *updated_by;
  char               *snippet;
  GArray             *rotations; /* int per page, or NULL */
};

G_DEFINE_FINAL_TYPE (CrDocument, cr_document, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_PATIENT_ID,
  PROP_VISIT_ID,
  PROP_CATEGORY,
  PROP_TITLE,
  PROP_SERVICE_DATE,
  PROP_FILE_NAME,
  PROP_MIME_TYPE,
  PROP_BYTE_SIZE,
  PROP_PAGE_COUNT,
  PROP_ENCRYPTED,
  PROP_REPLACED,
  PROP_SNIPPET,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
cr_document_finalize (GObject *object)
{
  CrDocument *self = CR_DOCUMENT (object);

  g_free (self->title);
  g_free (self->service_date);
  g_free (self->file_name);
  g_free (self->mime_type);
  g_free (self->sha256);
  g_free (self->split_pages);
  g_free (self->created_at);
  g_free (self->created_by);
  g_free (self->updated_at);
  g_free (self->updated_by);
  g_free (self->snippet);
  g_clear_pointer (&self->rotations, g_array_unref);

  G_OBJECT_CLASS (cr_document_parent_class)->finalize (object);
}

static void
cr_document_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  CrDocument *self = CR_DOCUMENT (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case PROP_PATIENT_ID:
      g_value_set_int64 (value, self->patient_id);
      break;
    case PROP_VISIT_ID:
      g_value_set_int64 (value, self->visit_id);
      break;
    case PROP_CATEGORY:
      g_value_set_enum (value, self->category);
      break;
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_SERVICE_DATE:
      g_value_set_string (value, self->service_date);
      break;
    case PROP_FILE_NAME:
      g_value_set_string (value, self->file_name);
      break;
    case PROP_MIME_TYPE:
      g_value_set_string (value, self->mime_type);
      break;
    case PROP_BYTE_SIZE:
      g_value_set_int64 (value, self->byte_size);
      break;
    case PROP_PAGE_COUNT:
      g_value_set_uint (value, self->page_count);
      break;
    case PROP_ENCRYPTED:
      g_value_set_boolean (value, self->encrypted);
      break;
    case PROP_REPLACED:
      g_value_set_boolean (value, self->replaced);
      break;
    case PROP_SNIPPET:
      g_value_set_string (value, self->snippet);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cr_document_class_init (CrDocumentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = cr_document_finalize;
  object_class->get_property = cr_document_get_property;

  properties[PROP_ID] =
    g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_PATIENT_ID] =
    g_param_spec_int64 ("patient-id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_VISIT_ID] =
    g_param_spec_int64 ("visit-id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_CATEGORY] =
    g_param_spec_enum ("category", NULL, NULL, CR_TYPE_DOCUMENT_CATEGORY,
                       CR_DOCUMENT_CATEGORY_NONE, flags);
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL, flags);
  properties[PROP_SERVICE_DATE] =
    g_param_spec_string ("service-date", NULL, NULL, NULL, flags);
  properties[PROP_FILE_NAME] =
    g_param_spec_string ("file-name", NULL, NULL, NULL, flags);
  properties[PROP_MIME_TYPE] =
    g_param_spec_string ("mime-type", NULL, NULL, NULL, flags);
  properties[PROP_BYTE_SIZE] =
    g_param_spec_int64 ("byte-size", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_PAGE_COUNT] =
    g_param_spec_uint ("page-count", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_ENCRYPTED] =
    g_param_spec_boolean ("encrypted", NULL, NULL, FALSE, flags);
  properties[PROP_REPLACED] =
    g_param_spec_boolean ("replaced", NULL, NULL, FALSE, flags);
  properties[PROP_SNIPPET] =
    g_param_spec_string ("snippet", NULL, NULL, NULL, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cr_document_init (CrDocument *self)
{
}

static char *
dup_column (sqlite3_stmt *stmt,
            int           idx)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, idx));
}

CrDocument *
_cr_document_new_from_row (sqlite3_stmt *stmt)
{
  CrDocument *self = g_object_new (CR_TYPE_DOCUMENT, NULL);
  const char *category;

  self->id = sqlite3_column_int64 (stmt, 0);
  self->patient_id = sqlite3_column_int64 (stmt, 1);
  self->visit_id = sqlite3_column_int64 (stmt, 2);
  category = (const char *) sqlite3_column_text (stmt, 3);
  self->category = cr_document_category_from_string (category);
  self->title = dup_column (stmt, 4);
  self->service_date = dup_column (stmt, 5);
  self->file_name = dup_column (stmt, 6);
  self->mime_type = dup_column (stmt, 7);
  self->sha256 = dup_column (stmt, 8);
  self->byte_size = sqlite3_column_int64 (stmt, 9);
  self->page_count = (guint) CLAMP (sqlite3_column_int64 (stmt, 10), 0, G_MAXUINT);
  self->encrypted = sqlite3_column_int (stmt, 11) != 0;
  self->entered_in_error = sqlite3_column_int (stmt, 12) != 0;
  self->replaced = sqlite3_column_int (stmt, 13) != 0;
  self->split_from = sqlite3_column_int64 (stmt, 14);
  self->split_pages = dup_column (stmt, 15);
  self->created_at = dup_column (stmt, 16);
  self->created_by = dup_column (stmt, 17);
  self->updated_at = dup_column (stmt, 18);
  self->updated_by = dup_column (stmt, 19);
  if (sqlite3_column_count (stmt) > CR_DOCUMENT_N_COLUMNS)
    self->snippet = dup_column (stmt, CR_DOCUMENT_N_COLUMNS);
  return self;
}

void
_cr_document_set_rotations (CrDocument *self,
                            GArray     *rotations)
{
  g_clear_pointer (&self->rotations, g_array_unref);
  self->rotations = rotations ? g_array_ref (rotations) : NULL;
}

gint64
cr_document_get_id (CrDocument *self)
{
  g_return_val_if_fail (CR_IS_DOCUMENT (self), 0);
  return self->id;
}

gint64
cr_document_get_patient_id (CrDocument *self)
{
  g_return_val_if_fail (CR_IS_DOCUMENT (self), 0);
  return self->patient_id;
}

gint64
cr_document_get_visit_id (CrDocument *self)
{
  g_return_val_if_fail (CR_IS_DOCUMENT (self), 0);
  return self->visit_id;
}

CrDocumentCategory
cr_document_get_category (CrDocument *self)
{
  g_return_val_if_fail (CR_IS_DOCUMENT (self), CR_DOCUMENT_CATEGORY_NONE);
  return self->category;
}

const char *
cr_document_get_title (CrDocument *self)
{
  g_return_val_if_fail (CR_IS_DOCUMENT (self), NULL);
  return self->title;
}

const char *
cr_document_get_service_date (CrDocument *self)
{
  g_return_val_if_fail (CR_IS_DOCUMENT (self), NULL);
  return self->service_date;
}

const char *
cr_document_get_file_name (CrDocument *self)
{
  g_return_val_if_fail (CR_IS_DOCUMENT (self), NULL);
  return self->file_name;
}

const char *
cr_document_get_mime_type (CrDocument *self)
{
  g_return_val_if_fail (CR_IS_DOCUMENT (self), NULL);
  return self->mime_type;
}

const char *
cr_document_get_sha256 (CrDocument *self)
{
  g_return_val_if_fail (CR_IS_DOCUMENT (self), NULL);
  return self->sha256;
}

gint64
cr_document_get_byte_size (CrDocument *self)
{
  g_return_val_if_fail (CR_IS_DOCUMENT (self), 0);
  return self->byte_size;
}

guint
cr_document_get_page_count (CrDocument *self)
{
  g_return_val_if_fail (CR_IS_DOCUMENT (self), 0);
  return self->page_count;
}

gboolean
cr_document_get_encrypted (CrDocument *self)
{
  g_return_val_if_fail (CR_IS_DOCUMENT (self), FALSE);
  return self->encrypted;
}

gboolean
cr_document_get_entered_in_error (CrDocument *self)
{
  g_return_val_if_fail (CR_IS_DOCUMENT (self), FALSE);
  return self->entered_in_error;
}

gboolean
cr_document_get_replaced (CrDocument *self)
{
  g_return_val_if_fail (CR_IS_DOCUMENT (self), FALSE);
  return self->replaced;
}

gint64
cr_document_get_split_from (CrDocument *self)
{
  g_return_val_if_fail (CR_IS_DOCUMENT (self), 0);
  return self->split_from;
}

const char *
cr_document_get_split_pages (CrDocument *self)
{
  g_return_val_if_fail (CR_IS_DOCUMENT (self), NULL);
  return self->split_pages;
}

const char *
cr_document_get_created_at (CrDocument *self)
{
  g_return_val_if_fail (CR_IS_DOCUMENT (self), NULL);
  return self->created_at;
}

const char *
cr_document_get_created_by (CrDocument *self)
{
  g_return_val_if_fail (CR_IS_DOCUMENT (self), NULL);
  return self->created_by;
}

const char *
cr_document_get_updated_at (CrDocument *self)
{
  g_return_val_if_fail (CR_IS_DOCUMENT (self), NULL);
  return self->updated_at;
}

const char *
cr_document_get_updated_by (CrDocument *self)
{
  g_return_val_if_fail (CR_IS_DOCUMENT (self), NULL);
  return self->updated_by;
}

const char *
cr_document_get_snippet (CrDocument *self)
{
  g_return_val_if_fail (CR_IS_DOCUMENT (self), NULL);
  return self->snippet;
}

char *
cr_document_dup_snippet_markup (CrDocument *self)
{
  g_autoptr(GString) markup = NULL;
  const char *p;

  g_return_val_if_fail (CR_IS_DOCUMENT (self), NULL);

  if (self->snippet == NULL)
    return NULL;

  markup = g_string_new (NULL);
  p = self->snippet;
  while (*p != '\0')
    {
      gsize run = strcspn (p, CR_DOCUMENT_SNIPPET_START CR_DOCUMENT_SNIPPET_END);
      g_autofree char *escaped = g_markup_escape_text (p, run);

      g_string_append (markup, escaped);
      p += run;
      if (*p == CR_DOCUMENT_SNIPPET_START[0])
        g_string_append (markup, "<b>");
      else if (*p == CR_DOCUMENT_SNIPPET_END[0])
        g_string_append (markup, "</b>");
      if (*p != '\0')
        p++;
    }
  return g_string_free (g_steal_pointer (&markup), FALSE);
}

int
cr_document_get_page_rotation (CrDocument *self,
                               guint       page)
{
  g_return_val_if_fail (CR_IS_DOCUMENT (self), 0);

  if (self->rotations == NULL || page >= self->rotations->len)
    return 0;
  return g_array_index (self->rotations, int, page);
}

const char *
cr_document_category_to_string (CrDocumentCategory category)
{
  GEnumClass *klass = g_type_class_ref (CR_TYPE_DOCUMENT_CATEGORY);
  GEnumValue *value = g_enum_get_value (klass, category);

  g_type_class_unref (klass);
  return value != NULL ? value->value_nick : NULL;
}

CrDocumentCategory
cr_document_category_from_string (const char *text)
{
  GEnumClass *klass;
  GEnumValue *value;

  if (text == NULL || *text == '\0')
    return CR_DOCUMENT_CATEGORY_NONE;

  klass = g_type_class_ref (CR_TYPE_DOCUMENT_CATEGORY);
  value = g_enum_get_value_by_nick (klass, text);
  g_type_class_unref (klass);
  /* Other importers (FHIR) may have written a category of their own. */
  if (value == NULL || value->value == CR_DOCUMENT_CATEGORY_NONE)
    return CR_DOCUMENT_CATEGORY_OTHER;
  return value->value;
}

const char *
cr_document_category_get_label (CrDocumentCategory category)
{
  switch (category)
    {
    case CR_DOCUMENT_CATEGORY_NONE:
      return _("Not filed");
    case CR_DOCUMENT_CATEGORY_LAB_RESULT:
      return _("Lab result");
    case CR_DOCUMENT_CATEGORY_IMAGING_REPORT:
      return _("Imaging report");
    case CR_DOCUMENT_CATEGORY_REFERRAL_LETTER:
      return _("Referral letter");
    case CR_DOCUMENT_CATEGORY_CONSULTATION_NOTE:
      return _("Consultation note");
    case CR_DOCUMENT_CATEGORY_DISCHARGE_SUMMARY:
      return _("Discharge summary");
    case CR_DOCUMENT_CATEGORY_CONSENT_FORM:
      return _("Consent form");
    case CR_DOCUMENT_CATEGORY_INSURANCE:
      return _("Insurance");
    case CR_DOCUMENT_CATEGORY_CORRESPONDENCE:
      return _("Correspondence");
    case CR_DOCUMENT_CATEGORY_OTHER:
      return _("Other");
    default:
      g_return_val_if_reached (NULL);
    }
}
