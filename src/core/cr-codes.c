/* cr-codes.c: the ICD-10-CM code set: import, search and checks
 *
 * The code set comes from CMS's fixed-width "order" file (layout in
 * icd10OrderFiles.pdf): one code a line, with a 0/1 flag that tells header
 * codes (category headings, never assignable) from billable ones.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cr-codes"

#include "config.h"

#include <string.h>

#include "cr-audit.h"
#include "cr-codes.h"
#include "cr-store-private.h"

/* The order file's columns (0-based offsets; the PDF counts from 1). */
#define ORDER_NUMBER_LEN   5
#define CODE_OFFSET        6
#define CODE_FIELD_LEN     7
#define FLAG_OFFSET        14
#define SHORT_OFFSET       16
#define SHORT_FIELD_LEN    60
#define LONG_OFFSET        77
#define MAX_LINE_LEN       400

/* Share of the progress bar spent reading and checking the file. */
#define PARSE_SHARE 0.3

struct _CrCode
{
  GObject   parent_instance;

  char     *system;
  char     *code;
  char     *formatted_code;
  char     *display;
  char     *short_display;
  char     *release;
  guint     billable : 1;
  guint     valid : 1;
};

enum {
  PROP_0,
  PROP_SYSTEM,
  PROP_CODE,
  PROP_FORMATTED_CODE,
  PROP_DISPLAY,
  PROP_SHORT_DISPLAY,
  PROP_RELEASE,
  PROP_BILLABLE,
  PROP_VALID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_QUARK (cr-codes-error-quark, cr_codes_error)
G_DEFINE_FINAL_TYPE (CrCode, cr_code, G_TYPE_OBJECT)

static void
cr_code_finalize (GObject *object)
{
  CrCode *self = (CrCode *)object;

  g_clear_pointer (&self->system, g_free);
  g_clear_pointer (&self->code, g_free);
  g_clear_pointer (&self->formatted_code, g_free);
  g_clear_pointer (&self->display, g_free);
  g_clear_pointer (&self->short_display, g_free);
  g_clear_pointer (&self->release, g_free);

  G_OBJECT_CLASS (cr_code_parent_class)->finalize (object);
}

static void
cr_code_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  CrCode *self = CR_CODE (object);

  switch (prop_id)
    {
    case PROP_SYSTEM:
      g_value_set_string (value, self->system);
      break;
    case PROP_CODE:
      g_value_set_string (value, self->code);
      break;
    case PROP_FORMATTED_CODE:
      g_value_set_string (value, self->formatted_code);
      break;
    case PROP_DISPLAY:
      g_value_set_string (value, self->display);
      break;
    case PROP_SHORT_DISPLAY:
      g_value_set_string (value, self->short_display);
      break;
    case PROP_RELEASE:
      g_value_set_string (value, self->release);
      break;
    case PROP_BILLABLE:
      g_value_set_boolean (value, self->billable);
      break;
    case PROP_VALID:
      g_value_set_boolean (value, self->valid);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cr_code_class_init (CrCodeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = cr_code_finalize;
  object_class->get_property = cr_code_get_property;

  properties[PROP_SYSTEM] = g_param_spec_string ("system", NULL, NULL, NULL, flags);
  properties[PROP_CODE] = g_param_spec_string ("code", NULL, NULL, NULL, flags);
  properties[PROP_FORMATTED_CODE] = g_param_spec_string ("formatted-code", NULL, NULL, NULL, flags);
  properties[PROP_DISPLAY] = g_param_spec_string ("display", NULL, NULL, NULL, flags);
  properties[PROP_SHORT_DISPLAY] = g_param_spec_string ("short-display", NULL, NULL, NULL, flags);
  properties[PROP_RELEASE] = g_param_spec_string ("release", NULL, NULL, NULL, flags);
  properties[PROP_BILLABLE] = g_param_spec_boolean ("billable", NULL, NULL, FALSE, flags);
  properties[PROP_VALID] = g_param_spec_boolean ("valid", NULL, NULL, FALSE, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cr_code_init (CrCode *self)
{
}

/* The columns _cr_code_new_from_row() reads, in order. */
#define CODE_COLUMNS "c.system, c.code, c.billable, c.short_display, c.display, c.valid, c.release"

static CrCode *
cr_code_new_from_row (sqlite3_stmt *stmt)
{
  CrCode *self = g_object_new (CR_TYPE_CODE, NULL);

  self->system = g_strdup (_cr_column_text (stmt, 0));
  self->code = g_strdup (_cr_column_text (stmt, 1));
  self->billable = sqlite3_column_int (stmt, 2) != 0;
  self->short_display = g_strdup (_cr_column_text (stmt, 3));
  self->display = g_strdup (_cr_column_text (stmt, 4));
  self->valid = sqlite3_column_int (stmt, 5) != 0;
  self->release = g_strdup (_cr_column_text (stmt, 6));
  if (g_strcmp0 (self->system, CR_CODE_SYSTEM_ICD10CM) == 0)
    self->formatted_code = cr_icd10cm_format_code (self->code);
  else
    self->formatted_code = g_strdup (self->code);
  return self;
}

/**
 * cr_code_get_system:
 *
 * Returns: (transfer none): the code system, e.g. %CR_CODE_SYSTEM_ICD10CM
 */
const char *
cr_code_get_system (CrCode *self)
{
  g_return_val_if_fail (CR_IS_CODE (self), NULL);
  return self->system;
}

/**
 * cr_code_get_code:
 *
 * Returns: (transfer none): the code as stored, without a dot ("E119")
 */
const char *
cr_code_get_code (CrCode *self)
{
  g_return_val_if_fail (CR_IS_CODE (self), NULL);
  return self->code;
}

/**
 * cr_code_get_formatted_code:
 *
 * Returns: (transfer none): the code as people write it ("E11.9")
 */
const char *
cr_code_get_formatted_code (CrCode *self)
{
  g_return_val_if_fail (CR_IS_CODE (self), NULL);
  return self->formatted_code;
}

/**
 * cr_code_get_display:
 *
 * Returns: (transfer none): the long description
 */
const char *
cr_code_get_display (CrCode *self)
{
  g_return_val_if_fail (CR_IS_CODE (self), NULL);
  return self->display;
}

/**
 * cr_code_get_short_display:
 *
 * Returns: (transfer none): the short description (at most 60 characters)
 */
const char *
cr_code_get_short_display (CrCode *self)
{
  g_return_val_if_fail (CR_IS_CODE (self), NULL);
  return self->short_display;
}

/**
 * cr_code_get_release:
 *
 * Returns: (transfer none) (nullable): the last release that held the code,
 *   e.g. "2026"
 */
const char *
cr_code_get_release (CrCode *self)
{
  g_return_val_if_fail (CR_IS_CODE (self), NULL);
  return self->release;
}

/**
 * cr_code_get_billable:
 *
 * Returns: %FALSE for a header code (a category heading)
 */
gboolean
cr_code_get_billable (CrCode *self)
{
  g_return_val_if_fail (CR_IS_CODE (self), FALSE);
  return self->billable;
}

/**
 * cr_code_get_valid:
 *
 * Returns: %FALSE when the last imported release no longer holds the code
 */
gboolean
cr_code_get_valid (CrCode *self)
{
  g_return_val_if_fail (CR_IS_CODE (self), FALSE);
  return self->valid;
}

/* ---- code formatting --------------------------------------------------- */

/**
 * cr_icd10cm_normalize_code:
 * @code: a code as typed: "e11.9", " E119 "
 *
 * Returns: (transfer full): the code as CMS writes and the store keeps it:
 *   upper case, no dot, no spaces ("E119")
 */
char *
cr_icd10cm_normalize_code (const char *code)
{
  GString *out;

  g_return_val_if_fail (code != NULL, NULL);

  out = g_string_new (NULL);
  for (const char *p = code; *p; p++)
    if (*p != '.' && !g_ascii_isspace (*p))
      g_string_append_c (out, g_ascii_toupper (*p));
  return g_string_free (out, FALSE);
}

/**
 * cr_icd10cm_format_code:
 * @code: a code with or without its dot
 *
 * Returns: (transfer full): the code with the dot after the category, as
 *   people write it: "E119" → "E11.9"; "I10" stays "I10"
 */
char *
cr_icd10cm_format_code (const char *code)
{
  g_autofree char *plain = NULL;
  gsize len;

  g_return_val_if_fail (code != NULL, NULL);

  plain = cr_icd10cm_normalize_code (code);
  len = strlen (plain);
  if (len <= 3)
    return g_steal_pointer (&plain);
  return g_strdup_printf ("%.3s.%s", plain, plain + 3);
}

/**
 * cr_code_format:
 * @system: (nullable): the code system
 * @code: (nullable): the code as stored
 *
 * Returns: (transfer full) (nullable): the code as people read it: ICD-10-CM
 *   with its dot ("E11.9"), other systems as they are
 */
char *
cr_code_format (const char *system,
                const char *code)
{
  if (code == NULL || *code == '\0')
    return NULL;
  if (g_strcmp0 (system, "icd10cm") == 0)
    return cr_icd10cm_format_code (code);
  return g_strdup (code);
}

/* ---- reading an order file --------------------------------------------- */

typedef struct
{
  guint       line;        /* 1-based */
  gboolean    billable;
  const char *code;        /* in the string chunk */
  const char *short_display;
  const char *display;
} OrderLine;

typedef struct
{
  CrProgressFunc func;
  gpointer       data;
  double         last;
} Progress;

static void
progress_report (Progress *progress,
                 double    fraction)
{
  if (progress->func == NULL)
    return;
  /* About a hundred updates in all: enough for a progress bar. */
  if (fraction < 1.0 && fraction - progress->last < 0.01)
    return;
  progress->last = fraction;
  progress->func (fraction, progress->data);
}

static gboolean
is_icd10cm_code (const char *code,
                 gsize       len)
{
  if (len < 3 || len > CODE_FIELD_LEN)
    return FALSE;
  /* A letter, then letters or digits: FY2026 brought "QA0" and its kin. */
  if (!g_ascii_isupper (code[0]))
    return FALSE;
  for (gsize i = 1; i < len; i++)
    if (!g_ascii_isdigit (code[i]) && !g_ascii_isupper (code[i]))
      return FALSE;
  return TRUE;
}

static char *
field_strip (const char *start,
             gsize       len)
{
  g_autofree char *raw = g_strndup (start, len);

  /* CMS writes ASCII; older or hand-edited files may be Windows-1252. */
  if (!g_utf8_validate (raw, -1, NULL))
    {
      char *converted = g_convert (raw, -1, "UTF-8", "WINDOWS-1252", NULL, NULL, NULL);

      if (converted == NULL)
        return NULL;
      g_free (raw);
      raw = converted;
    }
  return g_strdup (g_strstrip (raw));
}

/* Checks one line against the layout in icd10OrderFiles.pdf. On failure
 * sets @reason to why, in words that say which columns are wrong. */
static gboolean
parse_order_line (const char    *s,
                  gsize          len,
                  GStringChunk  *chunk,
                  OrderLine     *out,
                  char         **reason)
{
  g_autofree char *short_display = NULL;
  g_autofree char *display = NULL;
  gsize code_len = 0;

  for (gsize i = 0; i < len; i++)
    if ((guchar) s[i] < 0x20 && s[i] != '\t')
      {
        *reason = g_strdup ("it holds control characters or binary data");
        return FALSE;
      }

  if (len > MAX_LINE_LEN)
    {
      *reason = g_strdup_printf ("it is %" G_GSIZE_FORMAT " characters long; "
                                 "order file lines have at most %d", len, MAX_LINE_LEN);
      return FALSE;
    }
  if (len <= LONG_OFFSET)
    {
      *reason = g_strdup_printf ("it is only %" G_GSIZE_FORMAT " characters long; an order "
                                 "file line has its long description from column %d",
                                 len, LONG_OFFSET + 1);
      return FALSE;
    }

  for (guint i = 0; i < ORDER_NUMBER_LEN; i++)
    if (!g_ascii_isdigit (s[i]))
      {
        *reason = g_strdup ("columns 1–5 must hold the five-digit order number");
        return FALSE;
      }

  if (s[ORDER_NUMBER_LEN] != ' ' || s[CODE_OFFSET + CODE_FIELD_LEN] != ' ' ||
      s[FLAG_OFFSET + 1] != ' ' || s[SHORT_OFFSET + SHORT_FIELD_LEN] != ' ')
    {
      *reason = g_strdup ("columns 6, 14, 16 and 77 must be blank");
      return FALSE;
    }

  while (code_len < CODE_FIELD_LEN && s[CODE_OFFSET + code_len] != ' ')
    code_len++;
  for (gsize i = code_len; i < CODE_FIELD_LEN; i++)
    if (s[CODE_OFFSET + i] != ' ')
      code_len = CODE_FIELD_LEN + 1;
  if (!is_icd10cm_code (s + CODE_OFFSET, code_len))
    {
      g_autofree char *field = g_strndup (s + CODE_OFFSET, CODE_FIELD_LEN);

      *reason = g_strdup_printf ("“%s” in columns 7–13 is not an ICD-10-CM code",
                                 g_strstrip (field));
      return FALSE;
    }

  if (s[FLAG_OFFSET] != '0' && s[FLAG_OFFSET] != '1')
    {
      *reason = g_strdup ("column 15 must be 0 (header) or 1 (billable code)");
      return FALSE;
    }

  short_display = field_strip (s + SHORT_OFFSET, SHORT_FIELD_LEN);
  display = field_strip (s + LONG_OFFSET, len - LONG_OFFSET);
  if (short_display == NULL || display == NULL)
    {
      *reason = g_strdup ("its description is not valid text");
      return FALSE;
    }
  if (*short_display == '\0' || *display == '\0')
    {
      *reason = g_strdup ("the short description (columns 17–76) or the long one "
                          "(from column 78) is empty");
      return FALSE;
    }

  out->billable = s[FLAG_OFFSET] == '1';
  out->code = g_string_chunk_insert_len (chunk, s + CODE_OFFSET, code_len);
  out->short_display = g_string_chunk_insert (chunk, short_display);
  out->display = g_string_chunk_insert (chunk, display);
  return TRUE;
}

/* The first line decides whether this is an order file at all: say what
 * the file seems to be instead, so the user picks the right one. */
static void
set_not_order_file_error (const char  *path,
                          const char  *s,
                          gsize        len,
                          const char  *reason,
                          GError     **error)
{
  g_autofree char *name = g_filename_display_basename (path);
  /* A NUL-terminated copy of the line's start. */
  g_autofree char *head = g_strndup (s, MIN (len, 200));
  gsize head_len = strlen (head);
  const char *what;

  if (g_str_has_prefix (head, "%PDF-"))
    what = "a PDF document";
  else if (head_len < MIN (len, 200))
    what = "a binary file";
  else if (g_str_has_prefix (head, "Add:") || g_str_has_prefix (head, "Delete:") ||
           g_str_has_prefix (head, "Revise"))
    what = "an addenda file (changes from the previous year)";
  else if (head_len > 8 && is_icd10cm_code (head, strcspn (head, " ")) &&
           head[7] == ' ' && head[8] != ' ')
    what = "the ICD-10-CM codes file, which lacks the header codes";
  else if (head_len > CODE_OFFSET && g_ascii_isdigit (head[0]) && g_ascii_isdigit (head[CODE_OFFSET]))
    what = "an ICD-10-PCS (procedure) order file";
  else
    what = NULL;

  if (what != NULL)
    g_set_error (error, CR_CODES_ERROR, CR_CODES_ERROR_NOT_ORDER_FILE,
                 "“%s” is %s, not a CMS ICD-10-CM order file; import "
                 "icd10cm_order_YEAR.txt from CMS's ICD-10-CM release", name, what);
  else
    g_set_error (error, CR_CODES_ERROR, CR_CODES_ERROR_NOT_ORDER_FILE,
                 "“%s” is not a CMS ICD-10-CM order file: its first line does not "
                 "follow the order file layout (%s); import icd10cm_order_YEAR.txt "
                 "from CMS's ICD-10-CM release", name, reason);
}

/* Reads and checks the whole file before anything is written, so a damaged
 * line anywhere leaves the database as it was. */
static GArray *
read_order_file (const char     *path,
                 GStringChunk   *chunk,
                 Progress       *progress,
                 GCancellable   *cancellable,
                 GError        **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GArray) lines = NULL;
  g_autoptr(GHashTable) seen = NULL;
  const char *end;
  const char *p;
  gsize size;
  guint line_number = 0;
  gboolean first = TRUE;

  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, CR_CODES_ERROR, CR_CODES_ERROR_UNREADABLE,
                   "“%s” is a folder; choose the order file inside it", path);
      return NULL;
    }

  /* Some 15 MB: read at once, which also works for pipes and devices. */
  if (!g_file_get_contents (path, &contents, &size, &local_error))
    {
      g_set_error (error, CR_CODES_ERROR, CR_CODES_ERROR_UNREADABLE,
                   "Cannot import codes: %s", local_error->message);
      return NULL;
    }

  if (size == 0)
    {
      g_autofree char *name = g_filename_display_basename (path);

      g_set_error (error, CR_CODES_ERROR, CR_CODES_ERROR_NOT_ORDER_FILE,
                   "“%s” is empty, not a CMS ICD-10-CM order file", name);
      return NULL;
    }

  lines = g_array_sized_new (FALSE, FALSE, sizeof (OrderLine), size / 150 + 1);
  seen = g_hash_table_new (g_str_hash, g_str_equal);
  end = contents + size;

  for (p = contents; p < end; )
    {
      const char *nl = memchr (p, '\n', end - p);
      const char *line_end = nl ? nl : end;
      gsize len = line_end - p;
      g_autofree char *reason = NULL;
      OrderLine parsed = { 0 };
      gpointer other;

      line_number++;
      if (len > 0 && p[len - 1] == '\r')
        len--;

      /* Blank lines (a trailing one, say) carry nothing. */
      {
        gsize i = 0;

        while (i < len && (p[i] == ' ' || p[i] == '\t'))
          i++;
        if (i == len)
          goto next;
      }

      parsed.line = line_number;
      if (!parse_order_line (p, len, chunk, &parsed, &reason))
        {
          if (first)
            set_not_order_file_error (path, p, len, reason, error);
          else
            g_set_error (error, CR_CODES_ERROR, CR_CODES_ERROR_MALFORMED,
                         "Line %u of the order file is damaged: %s. Nothing was imported.",
                         line_number, reason);
          return NULL;
        }
      first = FALSE;

      if (g_hash_table_lookup_extended (seen, parsed.code, NULL, &other))
        {
          g_set_error (error, CR_CODES_ERROR, CR_CODES_ERROR_MALFORMED,
                       "Line %u of the order file is damaged: the code %s already "
                       "appears on line %u. Nothing was imported.",
                       line_number, parsed.code, GPOINTER_TO_UINT (other));
          return NULL;
        }
      g_hash_table_insert (seen, (gpointer) parsed.code, GUINT_TO_POINTER (line_number));
      g_array_append_val (lines, parsed);

    next:
      p = nl ? nl + 1 : end;
      if (line_number % 1024 == 0)
        {
          if (g_cancellable_set_error_if_cancelled (cancellable, error))
            return NULL;
          progress_report (progress, PARSE_SHARE * (double) (p - contents) / size);
        }
    }

  if (lines->len == 0)
    {
      g_autofree char *name = g_filename_display_basename (path);

      g_set_error (error, CR_CODES_ERROR, CR_CODES_ERROR_NOT_ORDER_FILE,
                   "“%s” holds only blank lines, not a CMS ICD-10-CM order file", name);
      return NULL;
    }

  return g_steal_pointer (&lines);
}

/* "icd10cm_order_2026.txt" → "2026": the first run of exactly four digits. */
static char *
release_from_file_name (const char *path)
{
  g_autofree char *base = g_path_get_basename (path);

  for (const char *p = base; *p; p++)
    {
      gsize n = 0;

      while (g_ascii_isdigit (p[n]))
        n++;
      if (n == 4)
        return g_strndup (p, 4);
      if (n > 0)
        p += n - 1;
    }
  return NULL;
}

/* ---- writing the code set ---------------------------------------------- */

typedef struct
{
  gint64    id;
  char     *short_display;
  char     *display;
  char     *release;
  gboolean  billable;
  gboolean  valid;
  gboolean  seen;
} ExistingCode;

static void
existing_code_free (gpointer data)
{
  ExistingCode *e = data;

  g_free (e->short_display);
  g_free (e->display);
  g_free (e->release);
  g_free (e);
}

static GHashTable *
load_existing_codes (CrStore  *store,
                     GError  **error)
{
  g_autoptr(GHashTable) existing = g_hash_table_new_full (g_str_hash, g_str_equal,
                                                          g_free, existing_code_free);
  sqlite3_stmt *stmt;
  int rc;

  stmt = _cr_store_prepare (store,
                            "SELECT id, code, billable, short_display, display, valid, release"
                            " FROM codes WHERE system = ?",
                            error);
  if (stmt == NULL)
    return NULL;
  _cr_bind_text (stmt, 1, CR_CODE_SYSTEM_ICD10CM);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      ExistingCode *e = g_new0 (ExistingCode, 1);

      e->id = sqlite3_column_int64 (stmt, 0);
      e->billable = sqlite3_column_int (stmt, 2) != 0;
      e->short_display = g_strdup (_cr_column_text (stmt, 3));
      e->display = g_strdup (_cr_column_text (stmt, 4));
      e->valid = sqlite3_column_int (stmt, 5) != 0;
      e->release = g_strdup (_cr_column_text (stmt, 6));
      g_hash_table_insert (existing, g_strdup (_cr_column_text (stmt, 1)), e);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _cr_store_set_error (store, rc, error);
      return NULL;
    }
  return g_steal_pointer (&existing);
}

static gboolean
insert_code (CrStore          *store,
             const OrderLine  *line,
             const char       *release,
             GError          **error)
{
  sqlite3_stmt *stmt;
  gint64 id;

  stmt = _cr_store_prepare (store,
                            "INSERT INTO codes (system, code, billable, short_display, display,"
                            " valid, release) VALUES (?, ?, ?, ?, ?, 1, ?)",
                            error);
  if (stmt == NULL)
    return FALSE;
  _cr_bind_text (stmt, 1, CR_CODE_SYSTEM_ICD10CM);
  _cr_bind_text (stmt, 2, line->code);
  sqlite3_bind_int (stmt, 3, line->billable);
  _cr_bind_text (stmt, 4, line->short_display);
  _cr_bind_text (stmt, 5, line->display);
  _cr_bind_text (stmt, 6, release);
  if (!_cr_store_step_done (store, stmt, error))
    return FALSE;
  id = sqlite3_last_insert_rowid (_cr_store_get_db (store));

  stmt = _cr_store_prepare (store, "INSERT INTO code_search (docid, display) VALUES (?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  _cr_bind_text (stmt, 2, line->display);
  return _cr_store_step_done (store, stmt, error);
}

static gboolean
update_code (CrStore          *store,
             ExistingCode     *e,
             const OrderLine  *line,
             const char       *release,
             gboolean         *changed,
             GError          **error)
{
  gboolean display_changed = g_strcmp0 (e->display, line->display) != 0;
  sqlite3_stmt *stmt;

  *changed = display_changed || !e->valid || e->billable != line->billable ||
             g_strcmp0 (e->short_display, line->short_display) != 0;
  /* Unchanged rows get the new release in one statement at the end. */
  if (!*changed)
    return TRUE;

  stmt = _cr_store_prepare (store,
                            "UPDATE codes SET billable = ?, short_display = ?, display = ?,"
                            " valid = 1, release = ? WHERE id = ?",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int (stmt, 1, line->billable);
  _cr_bind_text (stmt, 2, line->short_display);
  _cr_bind_text (stmt, 3, line->display);
  _cr_bind_text (stmt, 4, release);
  sqlite3_bind_int64 (stmt, 5, e->id);
  if (!_cr_store_step_done (store, stmt, error))
    return FALSE;

  if (!display_changed)
    return TRUE;

  stmt = _cr_store_prepare (store, "UPDATE code_search SET display = ? WHERE docid = ?", error);
  if (stmt == NULL)
    return FALSE;
  _cr_bind_text (stmt, 1, line->display);
  sqlite3_bind_int64 (stmt, 2, e->id);
  return _cr_store_step_done (store, stmt, error);
}

static gboolean
invalidate_code (CrStore  *store,
                 gint64    id,
                 GError  **error)
{
  sqlite3_stmt *stmt;

  /* Never deleted: visits coded with it must keep their meaning. */
  stmt = _cr_store_prepare (store, "UPDATE codes SET valid = 0 WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  return _cr_store_step_done (store, stmt, error);
}

static gboolean
write_codes (CrStore            *store,
             GArray             *lines,
             const char         *release,
             Progress           *progress,
             GCancellable       *cancellable,
             CrCodeImportStats  *stats,
             GError            **error)
{
  g_autoptr(GHashTable) existing = NULL;
  g_autofree char *detail = NULL;
  GHashTableIter iter;
  sqlite3_stmt *stmt;
  gpointer value;

  existing = load_existing_codes (store, error);
  if (existing == NULL)
    return FALSE;

  for (guint i = 0; i < lines->len; i++)
    {
      const OrderLine *line = &g_array_index (lines, OrderLine, i);
      ExistingCode *e = g_hash_table_lookup (existing, line->code);

      if (line->billable)
        stats->billable++;
      else
        stats->headers++;

      if (e == NULL)
        {
          if (!insert_code (store, line, release, error))
            return FALSE;
          stats->added++;
        }
      else
        {
          gboolean changed = FALSE;

          e->seen = TRUE;
          if (!update_code (store, e, line, release, &changed, error))
            return FALSE;
          if (changed)
            stats->updated++;
        }

      if (i % 1024 == 0)
        {
          if (g_cancellable_set_error_if_cancelled (cancellable, error))
            return FALSE;
          progress_report (progress, PARSE_SHARE + (1.0 - PARSE_SHARE) * i / lines->len);
        }
    }

  g_hash_table_iter_init (&iter, existing);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      ExistingCode *e = value;

      if (e->seen || !e->valid)
        continue;
      if (!invalidate_code (store, e->id, error))
        return FALSE;
      stats->invalidated++;
    }

  /* Every code still valid is one the file holds: it is in this release. */
  stmt = _cr_store_prepare (store,
                            "UPDATE codes SET release = :release"
                            " WHERE system = :system AND valid = 1 AND release IS NOT :release",
                            error);
  if (stmt == NULL)
    return FALSE;
  _cr_bind_text (stmt, sqlite3_bind_parameter_index (stmt, ":release"), release);
  _cr_bind_text (stmt, sqlite3_bind_parameter_index (stmt, ":system"), CR_CODE_SYSTEM_ICD10CM);
  if (!_cr_store_step_done (store, stmt, error))
    return FALSE;

  if (!_cr_store_set_meta (store, "icd10cm-release", release, error))
    return FALSE;

  detail = g_strdup_printf ("ICD-10-CM release %s: %u billable, %u headers, %u added, "
                            "%u updated, %u invalidated",
                            release ? release : "(unnamed)", stats->billable, stats->headers,
                            stats->added, stats->updated, stats->invalidated);
  return cr_store_audit (store, CR_AUDIT_IMPORT, 0, "codes:" CR_CODE_SYSTEM_ICD10CM, detail, error);
}

/**
 * cr_store_import_codes:
 * @store: a practice database
 * @path: a CMS ICD-10-CM order file (icd10cm_order_YEAR.txt)
 * @release: (nullable): the release's name; %NULL takes the year from the
 *   file name ("icd10cm_order_2026.txt" → "2026")
 * @progress: (nullable) (scope call): called on this thread, 0.0 to 1.0
 * @progress_data: (closure progress): data for @progress
 * @cancellable: (nullable): cancels the import; nothing is then changed
 * @stats_out: (out caller-allocates) (optional): what the import did
 *
 * Imports or updates the ICD-10-CM code set. Every line is checked before
 * anything is written, and everything is written in one transaction: a
 * damaged line anywhere (%CR_CODES_ERROR_MALFORMED, naming the line) or a
 * file that is no order file (%CR_CODES_ERROR_NOT_ORDER_FILE) leaves the
 * database unchanged. Importing a later year updates descriptions and marks
 * codes that the file no longer holds as not valid; nothing is ever deleted,
 * so visits coded with them keep working.
 *
 * Returns: %TRUE if the code set was imported
 */
gboolean
cr_store_import_codes (CrStore            *store,
                       const char         *path,
                       const char         *release,
                       CrProgressFunc      progress,
                       gpointer            progress_data,
                       GCancellable       *cancellable,
                       CrCodeImportStats  *stats_out,
                       GError            **error)
{
  g_autoptr(CrStoreLocker) locker = NULL;
  g_autoptr(GStringChunk) chunk = NULL;
  g_autoptr(GArray) lines = NULL;
  g_autofree char *derived_release = NULL;
  CrCodeImportStats stats = { 0 };
  Progress report = { progress, progress_data, -1.0 };
  gint64 start = g_get_monotonic_time ();

  g_return_val_if_fail (CR_IS_STORE (store), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (release == NULL)
    release = derived_release = release_from_file_name (path);
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  progress_report (&report, 0.0);

  /* Read and check without the store's lock: others can keep querying. */
  chunk = g_string_chunk_new (1 << 20);
  lines = read_order_file (path, chunk, &report, cancellable, error);
  if (lines == NULL)
    return FALSE;

  locker = _cr_store_lock (store);
  if (!_cr_store_begin (store, error))
    return FALSE;
  if (!write_codes (store, lines, release, &report, cancellable, &stats, error) ||
      !_cr_store_commit (store, error))
    {
      _cr_store_rollback (store);
      return FALSE;
    }
  g_clear_pointer (&locker, _cr_store_unlock);

  g_debug ("Imported ICD-10-CM release %s from %s in %.2f s: %u billable, %u headers, "
           "%u added, %u updated, %u invalidated",
           release ? release : "(unnamed)", path,
           (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC,
           stats.billable, stats.headers, stats.added, stats.updated, stats.invalidated);

  progress_report (&report, 1.0);
  if (stats_out != NULL)
    *stats_out = stats;
  return TRUE;
}

/* ---- importing off the main loop ---------------------------------------- */

/* Hands progress from the worker to the caller's main context, coalescing
 * updates so that a slow main loop never queues a backlog. */
typedef struct
{
  GMutex          mutex;
  GMainContext   *context;
  CrProgressFunc  func;
  gpointer        data;
  double          fraction;
  gboolean        pending;
} ProgressRelay;

static void
progress_relay_clear (gpointer data)
{
  ProgressRelay *relay = data;

  g_main_context_unref (relay->context);
  g_mutex_clear (&relay->mutex);
}

static void
progress_relay_release (gpointer data)
{
  g_rc_box_release_full (data, progress_relay_clear);
}

static gboolean
progress_relay_dispatch (gpointer data)
{
  ProgressRelay *relay = data;
  double fraction;

  g_mutex_lock (&relay->mutex);
  fraction = relay->fraction;
  relay->pending = FALSE;
  g_mutex_unlock (&relay->mutex);

  relay->func (fraction, relay->data);
  return G_SOURCE_REMOVE;
}

static void
progress_relay_report (double   fraction,
                       gpointer data)
{
  ProgressRelay *relay = data;
  gboolean schedule;

  g_mutex_lock (&relay->mutex);
  relay->fraction = fraction;
  schedule = !relay->pending;
  relay->pending = TRUE;
  g_mutex_unlock (&relay->mutex);

  if (schedule)
    {
      g_autoptr(GSource) source = g_idle_source_new ();

      /* Same priority as the task's own completion, attached before it:
       * the last progress arrives before the callback. */
      g_source_set_priority (source, G_PRIORITY_DEFAULT);
      g_source_set_callback (source, progress_relay_dispatch,
                             g_rc_box_acquire (relay), progress_relay_release);
      g_source_set_static_name (source, "[chartroom] code import progress");
      g_source_attach (source, relay->context);
    }
}

typedef struct
{
  char              *path;
  char              *release;
  ProgressRelay     *relay;
  CrCodeImportStats  stats;
} ImportData;

static void
import_data_free (ImportData *data)
{
  g_free (data->path);
  g_free (data->release);
  g_clear_pointer (&data->relay, progress_relay_release);
  g_free (data);
}

static void
import_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ImportData *data = task_data;
  GError *error = NULL;

  if (cr_store_import_codes (source_object, data->path, data->release,
                             data->relay ? progress_relay_report : NULL, data->relay,
                             cancellable, &data->stats, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * cr_store_import_codes_async:
 * @progress: (nullable): called in the thread-default main context of the
 *   caller, 0.0 to 1.0
 * @progress_data: (closure progress): must stay valid until @callback runs
 *
 * Runs cr_store_import_codes() in a worker thread, for the application's
 * Preferences → Code sets → Import. Cancel @cancellable when the window
 * that started it goes away.
 */
void
cr_store_import_codes_async (CrStore             *store,
                             const char          *path,
                             const char          *release,
                             CrProgressFunc       progress,
                             gpointer             progress_data,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ImportData *data;

  g_return_if_fail (CR_IS_STORE (store));
  g_return_if_fail (path != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  data = g_new0 (ImportData, 1);
  data->path = g_strdup (path);
  data->release = g_strdup (release);
  if (progress != NULL)
    {
      data->relay = g_rc_box_new0 (ProgressRelay);
      g_mutex_init (&data->relay->mutex);
      data->relay->context = g_main_context_ref_thread_default ();
      data->relay->func = progress;
      data->relay->data = progress_data;
    }

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, cr_store_import_codes_async);
  g_task_set_name (task, "[chartroom] import ICD-10-CM codes");
  g_task_set_task_data (task, data, (GDestroyNotify) import_data_free);
  g_task_run_in_thread (task, import_thread);
}

/**
 * cr_store_import_codes_finish:
 * @stats_out: (out caller-allocates) (optional): what the import did
 *
 * Returns: %TRUE if the code set was imported
 */
gboolean
cr_store_import_codes_finish (CrStore            *store,
                              GAsyncResult       *result,
                              CrCodeImportStats  *stats_out,
                              GError            **error)
{
  ImportData *data;

  g_return_val_if_fail (CR_IS_STORE (store), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, store), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cr_store_import_codes_async, FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;

  data = g_task_get_task_data (G_TASK (result));
  if (stats_out != NULL)
    *stats_out = data->stats;
  return TRUE;
}

/* ---- search --------------------------------------------------------------- */

/* Turns one typed word into FTS4 prefix terms made only of letters and
 * digits, lower-cased, so quotes, stars, minus signs and OR/NEAR are searched
 * as text and can never change the query. */
static void
append_fts_term (GString    *match,
                 const char *word)
{
  g_autofree char *lower = g_utf8_strdown (word, -1);
  gboolean any = FALSE;

  for (const char *p = lower; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isalnum (c))
        {
          if (!any && match->len > 0)
            g_string_append_c (match, ' ');
          g_string_append_unichar (match, c);
          any = TRUE;
        }
      else if (any)
        {
          /* "meniere's" → "meniere* s*", as the tokenizer splits it. */
          g_string_append_c (match, '*');
          any = FALSE;
        }
    }
  if (any)
    g_string_append_c (match, '*');
}

/* "e11", "E11.9", "M5450", "qa00": a letter, a digit among the next two
 * characters, up to seven letters or digits in all, and at most one dot,
 * after the three-character category. */
static gboolean
looks_like_code (const char *word)
{
  guint n = 0;

  if (!g_ascii_isalpha (word[0]) || word[1] == '\0' ||
      !(g_ascii_isdigit (word[1]) || g_ascii_isdigit (word[2])))
    return FALSE;
  for (const char *p = word; *p; p++)
    {
      if (*p == '.' && n == 3 && p[1] != '.')
        continue;
      if (!g_ascii_isalnum (*p))
        return FALSE;
      n++;
    }
  return n >= 2 && n <= CODE_FIELD_LEN;
}

/* Words that look like codes match a code prefix or a description word. */
#define MAX_CODE_WORDS 4

/**
 * cr_store_search_codes:
 * @text: what was typed: description words, each a prefix, in any order
 *   ("pharyngitis acute"), and/or codes or code prefixes with or without
 *   the dot, in any case ("E11.9", "e119", "E11")
 * @limit: rows to return at most; 0 for all
 *
 * Searches the current ICD-10-CM code set (codes no longer valid are left
 * out). Case and diacritics do not matter. Any character can be typed:
 * punctuation and words such as OR are searched as text.
 *
 * Returns: (transfer full) (element-type CrCode): the codes found, billable
 *   codes first, then by code; empty when @text has no letter or digit
 */
GPtrArray *
cr_store_search_codes (CrStore       *store,
                       const char    *text,
                       guint          limit,
                       GCancellable  *cancellable,
                       GError       **error)
{
  g_autoptr(CrStoreLocker) locker = NULL;
  g_autoptr(GPtrArray) result = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GString) match = g_string_new (NULL);
  g_autoptr(GString) sql = g_string_new (NULL);
  g_autoptr(GPtrArray) code_words = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) words = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CR_IS_STORE (store), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    text = "";

  words = g_strsplit_set (text, " \t\n\r,;", -1);
  for (guint i = 0; words[i] != NULL; i++)
    {
      if (*words[i] == '\0')
        continue;
      if (code_words->len < MAX_CODE_WORDS && looks_like_code (words[i]))
        g_ptr_array_add (code_words, cr_icd10cm_normalize_code (words[i]));
      else
        append_fts_term (match, words[i]);
    }

  if (match->len == 0 && code_words->len == 0)
    return g_steal_pointer (&result);

  g_string_append (sql, "SELECT " CODE_COLUMNS " FROM codes c"
                        " WHERE c.system = '" CR_CODE_SYSTEM_ICD10CM "' AND c.valid = 1");
  if (match->len > 0)
    g_string_append (sql, " AND c.id IN (SELECT docid FROM code_search WHERE code_search MATCH :match)");
  /* '~' sorts after every letter and digit: [prefix, prefix~) is the range
   * of codes that start with prefix, read from the (system, code) index. */
  for (guint i = 0; i < code_words->len; i++)
    g_string_append_printf (sql,
                            " AND ((c.code >= :code%u AND c.code < :code%u || '~')"
                            " OR c.id IN (SELECT docid FROM code_search WHERE code_search MATCH :word%u))",
                            i, i, i);
  g_string_append (sql, " ORDER BY c.billable DESC, c.code LIMIT :limit");

  locker = _cr_store_lock (store);
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  stmt = _cr_store_prepare (store, sql->str, error);
  if (stmt == NULL)
    return NULL;

  if (match->len > 0)
    _cr_bind_text (stmt, sqlite3_bind_parameter_index (stmt, ":match"), match->str);
  for (guint i = 0; i < code_words->len; i++)
    {
      const char *code = g_ptr_array_index (code_words, i);
      g_autofree char *code_name = g_strdup_printf (":code%u", i);
      g_autofree char *word_name = g_strdup_printf (":word%u", i);
      g_autoptr(GString) term = g_string_new (NULL);

      append_fts_term (term, code);
      _cr_bind_text (stmt, sqlite3_bind_parameter_index (stmt, code_name), code);
      _cr_bind_text (stmt, sqlite3_bind_parameter_index (stmt, word_name), term->str);
    }
  sqlite3_bind_int64 (stmt, sqlite3_bind_parameter_index (stmt, ":limit"),
                      limit > 0 ? (gint64) limit : -1);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_ptr_array_add (result, cr_code_new_from_row (stmt));
      if (result->len % 256 == 0 && g_cancellable_is_cancelled (cancellable))
        break;
    }
  sqlite3_reset (stmt);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      _cr_store_set_error (store, rc, error);
      return NULL;
    }

  return g_steal_pointer (&result);
}

/* ---- look-ups and checks ----------------------------------------------- */

static char *
normalize_for_system (const char *system,
                      const char *code)
{
  if (g_strcmp0 (system, CR_CODE_SYSTEM_ICD10CM) == 0)
    return cr_icd10cm_normalize_code (code);
  return g_strstrip (g_strdup (code));
}

static gboolean
system_has_codes (CrStore    *store,
                  const char *system)
{
  sqlite3_stmt *stmt;
  gboolean found;

  stmt = _cr_store_prepare (store, "SELECT 1 FROM codes WHERE system = ? LIMIT 1", NULL);
  if (stmt == NULL)
    return FALSE;
  _cr_bind_text (stmt, 1, system);
  found = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_reset (stmt);
  return found;
}

static char *
display_code (const char *system,
              const char *code)
{
  g_autofree char *valid = g_utf8_make_valid (code, -1);

  if (g_strcmp0 (system, CR_CODE_SYSTEM_ICD10CM) == 0)
    return cr_icd10cm_format_code (valid);
  return g_strstrip (g_steal_pointer (&valid));
}

/**
 * cr_store_get_code:
 * @system: the code system, e.g. %CR_CODE_SYSTEM_ICD10CM
 * @code: the code; for ICD-10-CM with or without the dot, in any case
 *
 * Finds a code whether or not it is still valid: visits coded with an old
 * code keep their description.
 *
 * Returns: (transfer full) (nullable): the code, or %NULL with
 *   %CR_CODES_ERROR_UNKNOWN_CODE (or %CR_CODES_ERROR_NOT_IMPORTED when the
 *   system has no codes at all)
 */
CrCode *
cr_store_get_code (CrStore     *store,
                   const char  *system,
                   const char  *code,
                   GError     **error)
{
  g_autoptr(CrStoreLocker) locker = NULL;
  g_autofree char *plain = NULL;
  sqlite3_stmt *stmt;
  CrCode *found = NULL;
  int rc;

  g_return_val_if_fail (CR_IS_STORE (store), NULL);
  g_return_val_if_fail (system != NULL, NULL);
  g_return_val_if_fail (code != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  plain = normalize_for_system (system, code);

  locker = _cr_store_lock (store);
  stmt = _cr_store_prepare (store,
                            "SELECT " CODE_COLUMNS " FROM codes c WHERE c.system = ? AND c.code = ?",
                            error);
  if (stmt == NULL)
    return NULL;
  _cr_bind_text (stmt, 1, system);
  _cr_bind_text (stmt, 2, plain);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    found = cr_code_new_from_row (stmt);
  sqlite3_reset (stmt);

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      _cr_store_set_error (store, rc, error);
      return NULL;
    }

  if (found == NULL)
    {
      g_autofree char *shown = display_code (system, code);

      if (!system_has_codes (store, system))
        g_set_error (error, CR_CODES_ERROR, CR_CODES_ERROR_NOT_IMPORTED,
                     "No %s code set has been imported; import CMS's order file "
                     "in Preferences → Code sets",
                     g_strcmp0 (system, CR_CODE_SYSTEM_ICD10CM) == 0 ? "ICD-10-CM" : system);
      else
        g_set_error (error, CR_CODES_ERROR, CR_CODES_ERROR_UNKNOWN_CODE,
                     "%s is not a%s code",
                     shown, g_strcmp0 (system, CR_CODE_SYSTEM_ICD10CM) == 0 ? "n ICD-10-CM" : "");
    }

  return found;
}

/* A billable code under a heading to suggest instead: the least specific
 * one, preferring "…, unspecified" and the x9 code ("E11" → "E11.9"). */
static char *
suggest_billable_code (CrStore    *store,
                       const char *system,
                       const char *header)
{
  sqlite3_stmt *stmt;
  char *suggestion = NULL;

  stmt = _cr_store_prepare (store,
                            "SELECT code FROM codes WHERE system = ? AND code > ? AND code < ? || '~'"
                            " AND billable = 1 AND valid = 1"
                            " ORDER BY length (code), display LIKE '%, unspecified' DESC,"
                            " code LIKE '%9' DESC, code LIMIT 1",
                            NULL);
  if (stmt == NULL)
    return NULL;
  _cr_bind_text (stmt, 1, system);
  _cr_bind_text (stmt, 2, header);
  _cr_bind_text (stmt, 3, header);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    suggestion = g_strdup (_cr_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return suggestion;
}

/**
 * cr_store_check_assignable_code:
 * @system: the code system
 * @code: the code; for ICD-10-CM with or without the dot
 *
 * Whether a diagnosis or complaint may be coded with @code. For ICD-10-CM
 * the code must be in the imported code set (%CR_CODES_ERROR_UNKNOWN_CODE,
 * %CR_CODES_ERROR_NOT_IMPORTED), billable rather than a category heading
 * (%CR_CODES_ERROR_HEADER_CODE, whose message suggests a billable code) and
 * still valid in the last imported release
 * (%CR_CODES_ERROR_NO_LONGER_VALID). Other systems are not held in full
 * and are accepted.
 *
 * Returns: %TRUE if the code may be assigned
 */
gboolean
cr_store_check_assignable_code (CrStore     *store,
                                const char  *system,
                                const char  *code,
                                GError     **error)
{
  g_autoptr(CrStoreLocker) locker = NULL;
  g_autoptr(CrCode) found = NULL;

  g_return_val_if_fail (CR_IS_STORE (store), FALSE);
  g_return_val_if_fail (system != NULL, FALSE);
  g_return_val_if_fail (code != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (g_strcmp0 (system, CR_CODE_SYSTEM_ICD10CM) != 0)
    return TRUE;

  locker = _cr_store_lock (store);
  found = cr_store_get_code (store, system, code, error);
  if (found == NULL)
    return FALSE;

  if (!found->valid)
    {
      g_autofree char *current = _cr_store_dup_meta (store, "icd10cm-release");

      g_set_error (error, CR_CODES_ERROR, CR_CODES_ERROR_NO_LONGER_VALID,
                   "%s (%s) is no longer a valid ICD-10-CM code: it was last in release %s "
                   "and release %s dropped it; choose a current code",
                   found->formatted_code, found->display,
                   found->release ? found->release : "(unnamed)",
                   current ? current : "(unnamed)");
      return FALSE;
    }

  if (!found->billable)
    {
      g_autofree char *suggestion = suggest_billable_code (store, system, found->code);

      if (suggestion != NULL)
        {
          g_autofree char *shown = cr_icd10cm_format_code (suggestion);

          g_set_error (error, CR_CODES_ERROR, CR_CODES_ERROR_HEADER_CODE,
                       "%s is a category heading; choose a billable code such as %s",
                       found->formatted_code, shown);
        }
      else
        g_set_error (error, CR_CODES_ERROR, CR_CODES_ERROR_HEADER_CODE,
                     "%s is a category heading; choose a more specific, billable code",
                     found->formatted_code);
      return FALSE;
    }

  return TRUE;
}

/**
 * cr_store_dup_code_release:
 * @system: the code system
 *
 * Returns: (transfer full) (nullable): the release last imported for
 *   @system ("2026"), or %NULL if none was
 */
char *
cr_store_dup_code_release (CrStore    *store,
                           const char *system)
{
  g_autofree char *key = NULL;

  g_return_val_if_fail (CR_IS_STORE (store), NULL);
  g_return_val_if_fail (system != NULL, NULL);

  key = g_strconcat (system, "-release", NULL);
  return _cr_store_dup_meta (store, key);
}

/**
 * cr_store_count_codes:
 * @system: the code system
 * @n_billable: (out) (optional): valid codes that can be assigned
 * @n_headers: (out) (optional): valid category headings
 *
 * Counts the codes of @system that the last imported release holds, for
 * Preferences → Code Sets. One scan of the codes table: tens of
 * milliseconds for ICD-10-CM, so call it off the main loop.
 */
gboolean
cr_store_count_codes (CrStore     *store,
                      const char  *system,
                      guint       *n_billable,
                      guint       *n_headers,
                      GError     **error)
{
  g_autoptr(CrStoreLocker) locker = NULL;
  sqlite3_stmt *stmt;
  guint billable = 0;
  guint headers = 0;
  int rc;

  g_return_val_if_fail (CR_IS_STORE (store), FALSE);
  g_return_val_if_fail (system != NULL, FALSE);

  locker = _cr_store_lock (store);
  stmt = _cr_store_prepare (store,
                            "SELECT billable, count(*) FROM codes"
                            " WHERE system = ? AND valid = 1 GROUP BY billable",
                            error);
  if (stmt == NULL)
    return FALSE;
  _cr_bind_text (stmt, 1, system);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      if (sqlite3_column_int (stmt, 0))
        billable = (guint) sqlite3_column_int64 (stmt, 1);
      else
        headers = (guint) sqlite3_column_int64 (stmt, 1);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _cr_store_set_error (store, rc, error);

  if (n_billable != NULL)
    *n_billable = billable;
  if (n_headers != NULL)
    *n_headers = headers;
  return TRUE;
}
