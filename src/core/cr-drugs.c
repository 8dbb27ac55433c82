/* cr-drugs.c: the drug list (FDA Orange Book products): import, type-ahead
 * search, and the allergy check made before a prescription is saved
 *
 * The Orange Book's products.txt is '~'-separated with a header line:
 * Ingredient~DF;Route~Trade_Name~Applicant~Strength~Appl_Type~Appl_No~
 * Product_No~TE_Code~Approval_Date~RLD~RS~Type~Applicant_Full_Name, Type
 * being RX, OTC or DISCN. The same drug is listed once per applicant; the
 * list keeps one row per ingredient, trade name, strength, dosage form and
 * route, and skips discontinued products.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cr-drugs"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cr-audit.h"
#include "cr-chart.h"
#include "cr-drugs.h"
#include "cr-store-private.h"

enum {
  COL_INGREDIENT,
  COL_DF_ROUTE,
  COL_TRADE_NAME,
  COL_APPLICANT,
  COL_STRENGTH,
  COL_APPL_TYPE,
  COL_APPL_NO,
  COL_PRODUCT_NO,
  COL_TE_CODE,
  COL_APPROVAL_DATE,
  COL_RLD,
  COL_RS,
  COL_TYPE,
  N_REQUIRED_COLUMNS
};

#define MAX_LINE_LEN 2000
#define DRUGS_IMPORTED_META "drugs-imported-at"
#define DRUGS_AUDIT_RECORD "drugs:orange-book"
/* Share of the progress bar spent reading and checking the file. */
#define PARSE_SHARE 0.4

struct _CrDrug
{
  GObject   parent_instance;

  gint64    id;
  char     *name;
  char     *ingredient;
  char     *trade_name;
  char     *strength;
  char     *form;
  char     *route;
  guint     generic : 1;
  guint     otc : 1;
};

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_INGREDIENT,
  PROP_TRADE_NAME,
  PROP_STRENGTH,
  PROP_FORM,
  PROP_ROUTE,
  PROP_GENERIC,
  PROP_OTC,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_QUARK (cr-drugs-error-quark, cr_drugs_error)
G_DEFINE_FINAL_TYPE (CrDrug, cr_drug, G_TYPE_OBJECT)

static void
cr_drug_finalize (GObject *object)
{
  CrDrug *self = (CrDrug *)object;

  g_free (self->name);
  g_free (self->ingredient);
  g_free (self->trade_name);
  g_free (self->strength);
  g_free (self->form);
  g_free (self->route);

  G_OBJECT_CLASS (cr_drug_parent_class)->finalize (object);
}

static void
cr_drug_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  CrDrug *self = CR_DRUG (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_INGREDIENT:
      g_value_set_string (value, self->ingredient);
      break;
    case PROP_TRADE_NAME:
      g_value_set_string (value, self->trade_name);
      break;
    case PROP_STRENGTH:
      g_value_set_string (value, self->strength);
      break;
    case PROP_FORM:
      g_value_set_string (value, self->form);
      break;
    case PROP_ROUTE:
      g_value_set_string (value, self->route);
      break;
    case PROP_GENERIC:
      g_value_set_boolean (value, self->generic);
      break;
    case PROP_OTC:
      g_value_set_boolean (value, self->otc);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cr_drug_class_init (CrDrugClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = cr_drug_finalize;
  object_class->get_property = cr_drug_get_property;

  properties[PROP_ID] = g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  properties[PROP_INGREDIENT] = g_param_spec_string ("ingredient", NULL, NULL, NULL, flags);
  properties[PROP_TRADE_NAME] = g_param_spec_string ("trade-name", NULL, NULL, NULL, flags);
  properties[PROP_STRENGTH] = g_param_spec_string ("strength", NULL, NULL, NULL, flags);
  properties[PROP_FORM] = g_param_spec_string ("form", NULL, NULL, NULL, flags);
  properties[PROP_ROUTE] = g_param_spec_string ("route", NULL, NULL, NULL, flags);
  properties[PROP_GENERIC] = g_param_spec_boolean ("generic", NULL, NULL, FALSE, flags);
  properties[PROP_OTC] = g_param_spec_boolean ("otc", NULL, NULL, FALSE, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cr_drug_init (CrDrug *self)
{
}

/* ---- how FDA's upper-case text is shown --------------------------------- */

/* "METFORMIN HYDROCHLORIDE" → "metformin hydrochloride";
 * "AMOXICILLIN; CLAVULANATE POTASSIUM" → "amoxicillin / clavulanate potassium" */
static char *
ingredient_display (const char *ingredient)
{
  g_auto(GStrv) parts = g_strsplit (ingredient, ";", -1);
  GString *out = g_string_new (NULL);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_autofree char *lower = g_utf8_strdown (g_strstrip (parts[i]), -1);

      if (*lower == '\0')
        continue;
      if (out->len > 0)
        g_string_append (out, " / ");
      g_string_append (out, lower);
    }
  return g_string_free (out, FALSE);
}

static char *
sentence_case (const char *text)
{
  char *out = g_strdup (text);

  if (g_ascii_islower (out[0]))
    out[0] = g_ascii_toupper (out[0]);
  return out;
}

/* Trade names as they are printed on the box: "RIOMET ER" → "Riomet ER". */
static char *
trade_name_display (const char *trade_name)
{
  static const char * const keep_upper[] = {
    "AC", "CD", "CR", "DR", "DS", "DPI", "EC", "ER", "ES", "HC", "HCT", "HFA", "HP",
    "II", "III", "IR", "IV", "LA", "LAR", "LD", "LO", "MS", "ODT", "PM", "RTU", "SR",
    "TC", "XE", "XL", "XR", "XT", NULL
  };
  static const char * const keep_lower[] = { "AND", "IN", "FOR", "WITH", "OF", NULL };
  g_auto(GStrv) words = g_strsplit (trade_name, " ", -1);
  GString *out = g_string_new (NULL);

  for (guint i = 0; words[i] != NULL; i++)
    {
      const char *w = words[i];
      gboolean has_digit = FALSE;

      if (*w == '\0')
        continue;
      if (out->len > 0)
        g_string_append_c (out, ' ');
      for (const char *p = w; *p; p++)
        has_digit |= g_ascii_isdigit (*p);

      if (has_digit || g_strv_contains (keep_upper, w))
        g_string_append (out, w);
      else if (i > 0 && g_strv_contains (keep_lower, w))
        {
          g_autofree char *lower = g_ascii_strdown (w, -1);
          g_string_append (out, lower);
        }
      else
        {
          gboolean start = TRUE;

          for (const char *p = w; *p; p++)
            {
              g_string_append_c (out, start ? *p : g_ascii_tolower (*p));
              start = !g_ascii_isalpha (*p) && *p != '\'';
            }
        }
    }
  return g_string_free (out, FALSE);
}

/* "EQ 10MG BASE" → "10 mg"; "500MG;125MG" → "500 mg; 125 mg";
 * "250MG/5ML" → "250 mg/5 mL". Notes after "**" are FDA's, not the drug's. */
static char *
strength_display (const char *strength)
{
  g_autofree char *plain = g_strndup (strength, strcspn (strength, "*"));
  g_auto(GStrv) parts = g_strsplit (plain, ";", -1);
  GString *out = g_string_new (NULL);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      char *part = g_strstrip (parts[i]);
      g_autofree char *lower = NULL;
      const char *prev = "";

      /* "EQ 10MG BASE": the amount of the base, which is what is prescribed. */
      if (g_str_has_prefix (part, "EQ ") && strstr (part, " BASE") != NULL)
        {
          g_autoptr(GString) base = g_string_new (part + 3);

          g_string_replace (base, " BASE", "", 0);
          lower = g_ascii_strdown (base->str, -1);
        }
      else
        lower = g_ascii_strdown (part, -1);
      if (*lower == '\0')
        continue;
      if (out->len > 0)
        g_string_append (out, "; ");

      for (const char *p = lower; *p; )
        {
          if (g_ascii_isalpha (*p))
            {
              gsize n = 0;
              g_autofree char *word = NULL;

              while (g_ascii_isalpha (p[n]))
                n++;
              word = g_strndup (p, n);
              if (g_ascii_isdigit (*prev) || *prev == '.')
                g_string_append_c (out, ' ');
              if (strcmp (word, "gm") == 0)
                g_string_append (out, "g");
              else if (strcmp (word, "ml") == 0)
                g_string_append (out, "mL");
              else if (strcmp (word, "meq") == 0)
                g_string_append (out, "mEq");
              else if (strcmp (word, "mci") == 0)
                g_string_append (out, "mCi");
              else if (strcmp (word, "iu") == 0)
                g_string_append (out, "IU");
              else
                g_string_append (out, word);
              prev = p + n - 1;
              p += n;
            }
          else
            {
              g_string_append_c (out, *p);
              prev = p;
              p++;
            }
        }
    }
  return g_string_free (out, FALSE);
}

/* The first amount in milligrams where the unit allows, for sorting. */
static double
strength_value (const char *display)
{
  for (const char *p = display; *p; p++)
    if (g_ascii_isdigit (*p))
      {
        char *unit = NULL;
        double value = g_ascii_strtod (p, &unit);

        while (*unit == ' ')
          unit++;
        if (unit[0] == 'g' && !g_ascii_isalpha (unit[1]))
          return value * 1000.0;
        if (g_str_has_prefix (unit, "mcg"))
          return value / 1000.0;
        return value;
      }
  return 0.0;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(char * const *) a, *(char * const *) b);
}

/* Generic products carry the ingredient as their trade name, sometimes
 * with the ingredients joined by "AND", in any order: those count as the
 * ingredient. */
static gboolean
is_generic_name (const char *ingredient,
                 const char *trade_name)
{
  g_auto(GStrv) parts = NULL;
  g_auto(GStrv) names = NULL;
  guint n;

  if (strcmp (ingredient, trade_name) == 0)
    return TRUE;
  parts = g_strsplit (ingredient, "; ", -1);
  names = g_strsplit (trade_name, " AND ", -1);
  n = g_strv_length (parts);
  if (n != g_strv_length (names))
    return FALSE;
  qsort (parts, n, sizeof (char *), compare_strings);
  qsort (names, n, sizeof (char *), compare_strings);
  for (guint i = 0; i < n; i++)
    if (strcmp (parts[i], names[i]) != 0)
      return FALSE;
  return TRUE;
}

/* ---- reading products.txt ----------------------------------------------- */

typedef struct
{
  const char *ingredient;  /* in the string chunk, as FDA writes them */
  const char *trade_name;
  const char *strength;
  const char *form;
  const char *route;
  const char *product;     /* "N020702/001" */
  gboolean    otc;
  gboolean    generic;
  gboolean    rld;
} DrugRow;

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
  if (fraction < 1.0 && fraction - progress->last < 0.01)
    return;
  progress->last = fraction;
  progress->func (fraction, progress->data);
}

static gboolean
is_header (char **fields)
{
  return g_strv_length (fields) >= N_REQUIRED_COLUMNS &&
         g_ascii_strcasecmp (fields[COL_INGREDIENT], "Ingredient") == 0 &&
         g_ascii_strcasecmp (fields[COL_DF_ROUTE], "DF;Route") == 0 &&
         g_ascii_strcasecmp (fields[COL_TRADE_NAME], "Trade_Name") == 0 &&
         g_ascii_strcasecmp (fields[COL_STRENGTH], "Strength") == 0 &&
         g_ascii_strcasecmp (fields[COL_TYPE], "Type") == 0;
}

/* Checks one product line; on failure sets @reason. */
static gboolean
parse_product_line (char          *line,
                    guint          n_columns,
                    GStringChunk  *chunk,
                    DrugRow       *out,
                    gboolean      *discontinued,
                    char         **reason)
{
  g_auto(GStrv) f = NULL;
  const char *semi;
  const char *type;
  guint n;

  if (strlen (line) > MAX_LINE_LEN)
    {
      *reason = g_strdup_printf ("it is longer than %d characters", MAX_LINE_LEN);
      return FALSE;
    }
  for (const char *p = line; *p; p++)
    if ((guchar) *p < 0x20 && *p != '\t')
      {
        *reason = g_strdup ("it holds control characters or binary data");
        return FALSE;
      }
  if (!g_utf8_validate (line, -1, NULL))
    {
      *reason = g_strdup ("it is not valid text");
      return FALSE;
    }

  f = g_strsplit (line, "~", -1);
  n = g_strv_length (f);
  if (n != n_columns)
    {
      *reason = g_strdup_printf ("it has %u fields separated by “~”; the header has %u",
                                 n, n_columns);
      return FALSE;
    }
  for (guint i = 0; i < n; i++)
    g_strstrip (f[i]);

  type = f[COL_TYPE];
  if (strcmp (type, "RX") != 0 && strcmp (type, "OTC") != 0 && strcmp (type, "DISCN") != 0)
    {
      *reason = g_strdup_printf ("its type “%s” is none of RX, OTC and DISCN", type);
      return FALSE;
    }
  if (*f[COL_INGREDIENT] == '\0' || *f[COL_TRADE_NAME] == '\0')
    {
      *reason = g_strdup ("its ingredient or trade name is empty");
      return FALSE;
    }
  semi = strchr (f[COL_DF_ROUTE], ';');
  if (semi == NULL || semi == f[COL_DF_ROUTE] || semi[1] == '\0')
    {
      *reason = g_strdup_printf ("its dosage form and route “%s” are not written FORM;ROUTE",
                                 f[COL_DF_ROUTE]);
      return FALSE;
    }

  *discontinued = strcmp (type, "DISCN") == 0;
  if (*discontinued)
    return TRUE;

  {
    g_autofree char *strength = g_strndup (f[COL_STRENGTH], strcspn (f[COL_STRENGTH], "*"));
    g_autofree char *form = g_strndup (f[COL_DF_ROUTE], semi - f[COL_DF_ROUTE]);
    g_autofree char *product = g_strdup_printf ("%s%s/%s", f[COL_APPL_TYPE], f[COL_APPL_NO],
                                                f[COL_PRODUCT_NO]);

    out->ingredient = g_string_chunk_insert_const (chunk, f[COL_INGREDIENT]);
    out->generic = is_generic_name (f[COL_INGREDIENT], f[COL_TRADE_NAME]);
    out->trade_name = out->generic ? out->ingredient
                                   : g_string_chunk_insert_const (chunk, f[COL_TRADE_NAME]);
    out->strength = g_string_chunk_insert_const (chunk, g_strstrip (strength));
    out->form = g_string_chunk_insert_const (chunk, g_strstrip (form));
    out->route = g_string_chunk_insert_const (chunk, semi + 1);
    out->product = g_string_chunk_insert (chunk, product);
    out->otc = strcmp (type, "OTC") == 0;
    out->rld = strcmp (f[COL_RLD], "Yes") == 0;
  }
  return TRUE;
}

static guint
drug_row_hash (gconstpointer data)
{
  const DrugRow *r = data;

  return g_str_hash (r->ingredient) ^ (g_str_hash (r->trade_name) * 31) ^
         (g_str_hash (r->strength) * 7) ^ g_str_hash (r->form) ^ (g_str_hash (r->route) * 3);
}

static gboolean
drug_row_equal (gconstpointer a,
                gconstpointer b)
{
  const DrugRow *x = a;
  const DrugRow *y = b;

  return strcmp (x->ingredient, y->ingredient) == 0 &&
         strcmp (x->trade_name, y->trade_name) == 0 &&
         strcmp (x->strength, y->strength) == 0 &&
         strcmp (x->form, y->form) == 0 &&
         strcmp (x->route, y->route) == 0;
}

/* Reads and checks the whole file before anything is written. Returns the
 * merged rows (DrugRow *, owned by the array). */
static GPtrArray *
read_product_file (const char         *path,
                   GStringChunk       *chunk,
                   Progress           *progress,
                   GCancellable       *cancellable,
                   CrDrugImportStats  *stats,
                   GError            **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *name = g_filename_display_basename (path);
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) seen = g_hash_table_new (drug_row_hash, drug_row_equal);
  const char *end;
  char *p;
  gsize size;
  guint line_number = 0;
  guint n_columns = 0;

  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, CR_DRUGS_ERROR, CR_DRUGS_ERROR_UNREADABLE,
                   "“%s” is a folder; choose products.txt inside it", name);
      return NULL;
    }
  if (!g_file_get_contents (path, &contents, &size, &local_error))
    {
      g_set_error (error, CR_DRUGS_ERROR, CR_DRUGS_ERROR_UNREADABLE,
                   "Cannot import the drug list: %s", local_error->message);
      return NULL;
    }

  end = contents + size;
  for (p = contents; p < end; )
    {
      char *nl = memchr (p, '\n', end - p);
      char *line_end = nl ? nl : (char *) end;
      g_autofree char *reason = NULL;
      DrugRow parsed = { 0 };
      gboolean discontinued = FALSE;
      DrugRow *other;

      line_number++;
      if (line_end > p && line_end[-1] == '\r')
        line_end[-1] = '\0';
      *line_end = '\0';

      if (*g_strstrip (p) == '\0')
        goto next;

      if (n_columns == 0)
        {
          g_auto(GStrv) fields = g_strsplit (p, "~", -1);

          if (!is_header (fields))
            {
              g_set_error (error, CR_DRUGS_ERROR, CR_DRUGS_ERROR_NOT_PRODUCT_FILE,
                           "“%s” is not the FDA Orange Book product file: its first line "
                           "is not the header “Ingredient~DF;Route~Trade_Name~…”; import "
                           "products.txt from the Orange Book data files.", name);
              return NULL;
            }
          n_columns = g_strv_length (fields);
          goto next;
        }

      if (!parse_product_line (p, n_columns, chunk, &parsed, &discontinued, &reason))
        {
          g_set_error (error, CR_DRUGS_ERROR, CR_DRUGS_ERROR_MALFORMED,
                       "Line %u of the product file is damaged: %s. Nothing was imported.",
                       line_number, reason);
          return NULL;
        }

      if (discontinued)
        {
          stats->discontinued++;
          goto next;
        }
      stats->products++;

      other = g_hash_table_lookup (seen, &parsed);
      if (other != NULL)
        {
          /* Prescription-only wins over over-the-counter; the reference
           * listed drug names the product. */
          other->otc = other->otc && parsed.otc;
          if (parsed.rld && !other->rld)
            {
              other->product = parsed.product;
              other->rld = TRUE;
            }
        }
      else
        {
          DrugRow *row = g_memdup2 (&parsed, sizeof parsed);

          g_ptr_array_add (rows, row);
          g_hash_table_add (seen, row);
        }

    next:
      p = nl ? nl + 1 : (char *) end;
      if (line_number % 1024 == 0)
        {
          if (g_cancellable_set_error_if_cancelled (cancellable, error))
            return NULL;
          progress_report (progress, PARSE_SHARE * (double) (p - contents) / size);
        }
    }

  if (n_columns == 0)
    {
      g_set_error (error, CR_DRUGS_ERROR, CR_DRUGS_ERROR_NOT_PRODUCT_FILE,
                   "“%s” is empty, not the FDA Orange Book product file", name);
      return NULL;
    }

  stats->drugs = rows->len;
  return g_steal_pointer (&rows);
}

/* ---- writing the list --------------------------------------------------- */

static gboolean
insert_drug (CrStore        *store,
             const DrugRow  *row,
             GError        **error)
{
  g_autofree char *ingredient = ingredient_display (row->ingredient);
  g_autofree char *strength = strength_display (row->strength);
  g_autofree char *form = g_utf8_strdown (row->form, -1);
  g_autofree char *route = g_utf8_strdown (row->route, -1);
  g_autofree char *name = NULL;
  g_autofree char *names = NULL;
  sqlite3_stmt *stmt;
  guint n_ingredients = 1;
  gint64 id;

  for (const char *c = row->ingredient; *c; c++)
    n_ingredients += *c == ';';

  if (row->generic)
    name = sentence_case (ingredient);
  else
    {
      g_autofree char *trade = trade_name_display (row->trade_name);

      name = g_strdup_printf ("%s (%s)", trade, ingredient);
    }

  stmt = _cr_store_prepare (store,
                            "INSERT INTO drugs (ingredient, trade_name, strength, form, route,"
                            " name, strength_display, strength_value, n_ingredients, generic,"
                            " type, product) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                            error);
  if (stmt == NULL)
    return FALSE;
  _cr_bind_text (stmt, 1, row->ingredient);
  _cr_bind_text (stmt, 2, row->trade_name);
  _cr_bind_text (stmt, 3, row->strength);
  _cr_bind_text (stmt, 4, form);
  _cr_bind_text (stmt, 5, route);
  _cr_bind_text (stmt, 6, name);
  _cr_bind_text (stmt, 7, strength);
  sqlite3_bind_double (stmt, 8, strength_value (strength));
  sqlite3_bind_int (stmt, 9, n_ingredients);
  sqlite3_bind_int (stmt, 10, row->generic);
  _cr_bind_text (stmt, 11, row->otc ? "otc" : "rx");
  _cr_bind_text (stmt, 12, row->product);
  if (!_cr_store_step_done (store, stmt, error))
    return FALSE;
  id = sqlite3_last_insert_rowid (_cr_store_get_db (store));

  /* Ingredients and trade name: either finds the drug. */
  names = row->generic ? g_strdup (row->ingredient)
                       : g_strconcat (row->ingredient, " ", row->trade_name, NULL);
  stmt = _cr_store_prepare (store, "INSERT INTO drug_search (docid, names) VALUES (?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  _cr_bind_text (stmt, 2, names);
  return _cr_store_step_done (store, stmt, error);
}

static gboolean
write_drugs (CrStore            *store,
             GPtrArray          *rows,
             Progress           *progress,
             GCancellable       *cancellable,
             CrDrugImportStats  *stats,
             GError            **error)
{
  g_autofree char *detail = NULL;
  g_autofree char *now = NULL;

  /* Reference data, not the chart: prescriptions keep the drug's name as
   * text, so the list can be replaced as a whole. */
  if (!_cr_store_exec (store, "DELETE FROM drugs; DELETE FROM drug_search;", error))
    return FALSE;

  for (guint i = 0; i < rows->len; i++)
    {
      if (!insert_drug (store, g_ptr_array_index (rows, i), error))
        return FALSE;
      if (i % 512 == 0)
        {
          if (g_cancellable_set_error_if_cancelled (cancellable, error))
            return FALSE;
          progress_report (progress, PARSE_SHARE + (1.0 - PARSE_SHARE) * i / rows->len);
        }
    }

  detail = g_strdup_printf ("FDA Orange Book: %u products, %u discontinued skipped, %u drugs",
                            stats->products, stats->discontinued, stats->drugs);
  now = _cr_store_now ();
  /* When, for Preferences → Code Sets; the audit entry says it too, but
   * finding it would mean scanning the whole trail. */
  return _cr_store_set_meta (store, DRUGS_IMPORTED_META, now, error) &&
         cr_store_audit (store, CR_AUDIT_IMPORT, 0, DRUGS_AUDIT_RECORD, detail, error);
}

/**
 * cr_store_import_drugs:
 * @path: the FDA Orange Book product file (products.txt)
 * @progress: (nullable) (scope call): called on this thread, 0.0 to 1.0
 * @progress_data: (closure progress): data for @progress
 * @cancellable: (nullable): cancels the import; nothing is then changed
 * @stats_out: (out caller-allocates) (optional): what the import did
 *
 * Replaces the drug list. Every line is checked before anything is written,
 * and everything is written in one transaction with its audit entry: a
 * damaged line anywhere (%CR_DRUGS_ERROR_MALFORMED, naming the line) or a
 * file that is not the product file (%CR_DRUGS_ERROR_NOT_PRODUCT_FILE)
 * leaves the database unchanged. Discontinued products are skipped;
 * products that differ only by applicant become one drug.
 *
 * Returns: %TRUE if the list was imported
 */
gboolean
cr_store_import_drugs (CrStore            *store,
                       const char         *path,
                       CrProgressFunc      progress,
                       gpointer            progress_data,
                       GCancellable       *cancellable,
                       CrDrugImportStats  *stats_out,
                       GError            **error)
{
  g_autoptr(CrStoreLocker) locker = NULL;
  g_autoptr(GStringChunk) chunk = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  CrDrugImportStats stats = { 0 };
  Progress report = { progress, progress_data, -1.0 };

  g_return_val_if_fail (CR_IS_STORE (store), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  progress_report (&report, 0.0);

  /* Read and check without the store's lock: others can keep querying. */
  chunk = g_string_chunk_new (1 << 20);
  rows = read_product_file (path, chunk, &report, cancellable, &stats, error);
  if (rows == NULL)
    return FALSE;

  locker = _cr_store_lock (store);
  if (!_cr_store_begin (store, error))
    return FALSE;
  if (!write_drugs (store, rows, &report, cancellable, &stats, error) ||
      !_cr_store_commit (store, error))
    {
      _cr_store_rollback (store);
      return FALSE;
    }
  g_clear_pointer (&locker, _cr_store_unlock);

  progress_report (&report, 1.0);
  if (stats_out != NULL)
    *stats_out = stats;
  return TRUE;
}

/* ---- importing off the main loop ---------------------------------------- */

typedef struct
{
  GMainContext   *context;
  CrProgressFunc  func;
  gpointer        data;
  double          fraction;
} ProgressUpdate;

static gboolean
progress_update_dispatch (gpointer data)
{
  ProgressUpdate *update = data;

  update->func (update->fraction, update->data);
  return G_SOURCE_REMOVE;
}

typedef struct
{
  char              *path;
  GMainContext      *context;
  CrProgressFunc     func;
  gpointer           func_data;
  CrDrugImportStats  stats;
} ImportData;

static void
import_data_free (ImportData *data)
{
  g_free (data->path);
  g_clear_pointer (&data->context, g_main_context_unref);
  g_free (data);
}

/* About a hundred updates in all (progress_report() thins them out), each
 * handed to the caller's main context. */
static void
import_progress (double   fraction,
                 gpointer user_data)
{
  ImportData *data = user_data;
  ProgressUpdate *update = g_new0 (ProgressUpdate, 1);

  update->func = data->func;
  update->data = data->func_data;
  update->fraction = fraction;
  g_main_context_invoke_full (data->context, G_PRIORITY_DEFAULT,
                              progress_update_dispatch, update, g_free);
}

static void
import_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ImportData *data = task_data;
  GError *error = NULL;

  if (cr_store_import_drugs (source_object, data->path,
                             data->func ? import_progress : NULL, data,
                             cancellable, &data->stats, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * cr_store_import_drugs_async:
 * @progress: (nullable): called in the caller's thread-default main
 *   context, 0.0 to 1.0
 * @progress_data: (closure progress): must stay valid until @callback runs
 *
 * Runs cr_store_import_drugs() in a worker thread.
 */
void
cr_store_import_drugs_async (CrStore             *store,
                             const char          *path,
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

  data = g_new0 (ImportData, 1);
  data->path = g_strdup (path);
  data->context = g_main_context_ref_thread_default ();
  data->func = progress;
  data->func_data = progress_data;

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, cr_store_import_drugs_async);
  g_task_set_name (task, "[chartroom] import drug list");
  g_task_set_task_data (task, data, (GDestroyNotify) import_data_free);
  g_task_run_in_thread (task, import_thread);
}

/**
 * cr_store_import_drugs_finish:
 * @stats_out: (out caller-allocates) (optional): what the import did
 *
 * Returns: %TRUE if the drug list was imported
 */
gboolean
cr_store_import_drugs_finish (CrStore            *store,
                              GAsyncResult       *result,
                              CrDrugImportStats  *stats_out,
                              GError            **error)
{
  ImportData *data;

  g_return_val_if_fail (CR_IS_STORE (store), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, store), FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  data = g_task_get_task_data (G_TASK (result));
  if (stats_out != NULL)
    *stats_out = data->stats;
  return TRUE;
}

/* ---- search --------------------------------------------------------------- */

/* One typed word as FTS4 prefix terms of letters and digits only, so that
 * quotes, stars, minus signs and OR/NEAR are searched as text. */
static void
append_fts_term (GString    *match,
                 const char *word)
{
  g_autofree char *lower = g_utf8_strdown (word, -1);
  g_autofree char *folded = g_utf8_normalize (lower, -1, G_NORMALIZE_NFD);
  gboolean any = FALSE;

  for (const char *p = folded; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_ismark (c))
        continue;
      if (g_unichar_isalnum (c))
        {
          if (!any && match->len > 0)
            g_string_append_c (match, ' ');
          g_string_append_unichar (match, c);
          any = TRUE;
        }
      else if (any)
        {
          g_string_append_c (match, '*');
          any = FALSE;
        }
    }
  if (any)
    g_string_append_c (match, '*');
}

/* The first term of an FTS match built above, without its star. */
static char *
first_term (const char *match)
{
  return g_strndup (match, strcspn (match, "* "));
}

#define DRUG_COLUMNS \
  "d.id, d.name, d.ingredient, d.trade_name, d.strength_display, d.form, d.route," \
  " d.generic, d.type"

static CrDrug *
cr_drug_new_from_row (sqlite3_stmt *stmt)
{
  CrDrug *self = g_object_new (CR_TYPE_DRUG, NULL);

  self->id = sqlite3_column_int64 (stmt, 0);
  self->name = g_strdup (_cr_column_text (stmt, 1));
  self->ingredient = ingredient_display (_cr_column_text (stmt, 2));
  self->generic = sqlite3_column_int (stmt, 7) != 0;
  self->trade_name = self->generic ? g_strdup (self->name)
                                   : trade_name_display (_cr_column_text (stmt, 3));
  self->strength = g_strdup (_cr_column_text (stmt, 4));
  self->form = g_strdup (_cr_column_text (stmt, 5));
  self->route = g_strdup (_cr_column_text (stmt, 6));
  self->otc = g_strcmp0 (_cr_column_text (stmt, 8), "otc") == 0;
  return self;
}

/**
 * cr_store_has_drugs:
 *
 * Returns: whether a drug list has been imported; without one the drug
 *   name of a prescription is free text
 */
gboolean
cr_store_has_drugs (CrStore *store)
{
  g_autoptr(CrStoreLocker) locker = NULL;
  sqlite3_stmt *stmt;
  gboolean found;

  g_return_val_if_fail (CR_IS_STORE (store), FALSE);

  locker = _cr_store_lock (store);
  stmt = _cr_store_prepare (store, "SELECT 1 FROM drugs LIMIT 1", NULL);
  if (stmt == NULL)
    return FALSE;
  found = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_reset (stmt);
  return found;
}

/**
 * cr_store_count_drugs:
 * @n_drugs: (out) (optional): drugs in the list; 0 when none was imported
 * @imported_at: (out) (optional) (transfer full) (nullable): when the list
 *   was last imported, or %NULL when it never was
 *
 * What Preferences → Code Sets shows about the drug list. Lists imported
 * before the time was kept are dated by their audit entry, which takes a
 * scan of the trail: call this off the main loop.
 *
 * Returns: %TRUE, or %FALSE with @error if the database could not be read
 */
gboolean
cr_store_count_drugs (CrStore     *store,
                      guint       *n_drugs,
                      GDateTime  **imported_at,
                      GError     **error)
{
  g_autoptr(CrStoreLocker) locker = NULL;
  g_autofree char *at = NULL;
  sqlite3_stmt *stmt;
  guint count = 0;
  int rc;

  g_return_val_if_fail (CR_IS_STORE (store), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (imported_at != NULL)
    *imported_at = NULL;

  locker = _cr_store_lock (store);
  stmt = _cr_store_prepare (store, "SELECT count(*) FROM drugs", error);
  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    count = (guint) sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    return _cr_store_set_error (store, rc, error);

  if (imported_at != NULL && count > 0)
    {
      at = _cr_store_dup_meta (store, DRUGS_IMPORTED_META);
      if (at == NULL)
        {
          stmt = _cr_store_prepare (store,
                                    "SELECT at FROM audit WHERE action = ?1 AND record = ?2"
                                    " ORDER BY id DESC LIMIT 1",
                                    error);
          if (stmt == NULL)
            return FALSE;
          _cr_bind_text (stmt, 1, CR_AUDIT_IMPORT);
          _cr_bind_text (stmt, 2, DRUGS_AUDIT_RECORD);
          rc = sqlite3_step (stmt);
          if (rc == SQLITE_ROW)
            at = g_strdup (_cr_column_text (stmt, 0));
          sqlite3_reset (stmt);
          if (rc != SQLITE_ROW && rc != SQLITE_DONE)
            return _cr_store_set_error (store, rc, error);
        }
      if (at != NULL)
        *imported_at = g_date_time_new_from_iso8601 (at, NULL);
    }

  if (n_drugs != NULL)
    *n_drugs = count;
  return TRUE;
}

/**
 * cr_store_search_drugs:
 * @text: what was typed: words of the ingredient or the trade name, each a
 *   prefix, in any order ("amoxi", "lipitor", "metformin hydro")
 * @limit: rows to return at most; 0 for all
 *
 * Case and diacritics do not matter, and any character can be typed. Single
 * ingredients come before combinations; among them, drugs whose name starts
 * with the first word come first, generics before brands, then by name,
 * form and strength.
 *
 * Returns: (transfer full) (element-type CrDrug): the drugs found; empty
 *   when @text has no letter or digit or no list was imported
 */
GPtrArray *
cr_store_search_drugs (CrStore       *store,
                       const char    *text,
                       guint          limit,
                       GCancellable  *cancellable,
                       GError       **error)
{
  g_autoptr(CrStoreLocker) locker = NULL;
  g_autoptr(GPtrArray) result = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GString) match = g_string_new (NULL);
  g_autofree char *first = NULL;
  g_auto(GStrv) words = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CR_IS_STORE (store), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    text = "";
  words = g_strsplit_set (text, " \t\n\r,;/()", -1);
  for (guint i = 0; words[i] != NULL; i++)
    if (*words[i] != '\0')
      append_fts_term (match, words[i]);
  if (match->len == 0)
    return g_steal_pointer (&result);
  /* Only the first word ranks: "metformin" of "metformin hydro". */
  first = first_term (match->str);

  locker = _cr_store_lock (store);
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  /* :first holds letters and digits only: no LIKE wildcards. */
  stmt = _cr_store_prepare (store,
                            "SELECT " DRUG_COLUMNS " FROM drugs d"
                            " WHERE d.id IN (SELECT docid FROM drug_search WHERE drug_search MATCH :match)"
                            " ORDER BY d.n_ingredients, d.name LIKE :first || '%' DESC,"
                            " d.generic DESC, d.name, d.form, d.route, d.strength_value, d.strength"
                            " LIMIT :limit",
                            error);
  if (stmt == NULL)
    return NULL;
  _cr_bind_text (stmt, sqlite3_bind_parameter_index (stmt, ":match"), match->str);
  _cr_bind_text (stmt, sqlite3_bind_parameter_index (stmt, ":first"), first);
  sqlite3_bind_int64 (stmt, sqlite3_bind_parameter_index (stmt, ":limit"),
                      limit > 0 ? (gint64) limit : -1);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (result, cr_drug_new_from_row (stmt));
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      _cr_store_set_error (store, rc, error);
      return NULL;
    }
  return g_steal_pointer (&result);
}

/* ---- allergy check ------------------------------------------------------ */

/* Lower-case words of letters, diacritics removed: "Pénicilline G" →
 * {"penicilline", "g"}. Plural "s" goes: "NSAIDs" → "nsaid". */
static GPtrArray *
fold_words (const char *text)
{
  g_autofree char *folded = g_utf8_normalize (text ? text : "", -1, G_NORMALIZE_NFD);
  g_autofree char *lower = g_utf8_strdown (folded, -1);
  g_autoptr(GString) word = g_string_new (NULL);
  GPtrArray *words = g_ptr_array_new_with_free_func (g_free);

  for (const char *p = lower; ; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c != 0 && g_unichar_ismark (c))
        continue;
      if (c != 0 && g_unichar_isalnum (c))
        {
          g_string_append_unichar (word, c);
          continue;
        }
      if (word->len > 0)
        {
          if (word->len > 4 && word->str[word->len - 1] == 's' &&
              word->str[word->len - 2] != 's')
            g_string_truncate (word, word->len - 1);
          g_ptr_array_add (words, g_strdup (word->str));
          g_string_truncate (word, 0);
        }
      if (c == 0)
        break;
    }
  return words;
}

/* Words that say nothing about the substance: salts, forms, filler. */
static gboolean
is_noise_word (const char *word)
{
  static const char * const noise[] = {
    "acetate", "allergy", "antibiotic", "base", "besylate", "bromide", "calcium",
    "chloride", "citrate", "class", "derivative", "disodium", "drug", "fumarate",
    "hcl", "hydrobromide", "hydrochloride", "hyclate", "intolerance", "maleate",
    "medication", "mesylate", "monohydrate", "phosphate", "potassium", "sodium",
    "succinate", "sulfate", "tartrate", "trihydrate", "and", "with", "the", "oral",
    "tablet", "capsule", "injection", "cream", "ointment", "solution", "suspension",
    "extended", "release", "delayed", NULL
  };

  return strlen (word) < 3 || g_ascii_isdigit (word[0]) || g_strv_contains (noise, word);
}

/* Drug classes an allergy is often recorded as, and how to tell their
 * members. Names are folded (see fold_words()). */
typedef struct
{
  const char * const *names;
  const char * const *suffixes;
  const char * const *members;
} DrugClass;

static const char * const penicillin_names[] = { "penicillin", "pcn", "betalactam", NULL };
static const char * const penicillin_suffixes[] = { "cillin", NULL };
static const char * const penicillin_members[] = { "penicillin", "tazobactam", NULL };

static const char * const cephalosporin_names[] = { "cephalosporin", NULL };
static const char * const cephalosporin_suffixes[] = { NULL };
static const char * const cephalosporin_members[] = {
  "cefaclor", "cefadroxil", "cefazolin", "cefdinir", "cefditoren", "cefepime", "cefixime",
  "cefotaxime", "cefoxitin", "cefpodoxime", "cefprozil", "ceftaroline", "ceftazidime",
  "ceftriaxone", "cefuroxime", "cephalexin", NULL
};

static const char * const sulfa_names[] = { "sulfa", "sulfonamide", "sulphonamide", "sulpha", NULL };
static const char * const sulfa_suffixes[] = { NULL };
static const char * const sulfa_members[] = {
  "sulfamethoxazole", "sulfasalazine", "sulfadiazine", "sulfisoxazole", "sulfacetamide",
  "sulfadoxine", "sulfanilamide", NULL
};

static const char * const nsaid_names[] = { "nsaid", "antiinflammatory", NULL };
static const char * const nsaid_suffixes[] = { "profen", NULL };
static const char * const nsaid_members[] = {
  "ibuprofen", "naproxen", "diclofenac", "ketorolac", "indomethacin", "meloxicam",
  "celecoxib", "piroxicam", "etodolac", "nabumetone", "ketoprofen", "flurbiprofen",
  "oxaprozin", "sulindac", "aspirin", "mefenamic", "diflunisal", "fenoprofen", "tolmetin",
  "salsalate", NULL
};

static const char * const macrolide_names[] = { "macrolide", NULL };
static const char * const macrolide_suffixes[] = { "thromycin", NULL };
static const char * const macrolide_members[] = { "erythromycin", "fidaxomicin", NULL };

static const char * const quinolone_names[] = { "quinolone", "fluoroquinolone", NULL };
static const char * const quinolone_suffixes[] = { "floxacin", NULL };
static const char * const quinolone_members[] = { NULL };

static const char * const tetracycline_names[] = { "tetracycline", NULL };
static const char * const tetracycline_suffixes[] = { "cycline", NULL };
static const char * const tetracycline_members[] = { NULL };

static const char * const ace_names[] = { "ace", "aceinhibitor", NULL };
static const char * const ace_suffixes[] = { "pril", NULL };
static const char * const ace_members[] = { NULL };

static const char * const opioid_names[] = { "opioid", "opiate", "narcotic", NULL };
static const char * const opioid_suffixes[] = { "codone", "morphone", NULL };
static const char * const opioid_members[] = {
  "morphine", "codeine", "tramadol", "fentanyl", "methadone", "tapentadol", "meperidine", NULL
};

static const DrugClass drug_classes[] = {
  { penicillin_names, penicillin_suffixes, penicillin_members },
  { cephalosporin_names, cephalosporin_suffixes, cephalosporin_members },
  { sulfa_names, sulfa_suffixes, sulfa_members },
  { nsaid_names, nsaid_suffixes, nsaid_members },
  { macrolide_names, macrolide_suffixes, macrolide_members },
  { quinolone_names, quinolone_suffixes, quinolone_members },
  { tetracycline_names, tetracycline_suffixes, tetracycline_members },
  { ace_names, ace_suffixes, ace_members },
  { opioid_names, opioid_suffixes, opioid_members },
};

static gboolean
class_has_member (const DrugClass *klass,
                  const char      *word)
{
  for (guint i = 0; klass->members[i] != NULL; i++)
    if (strcmp (klass->members[i], word) == 0)
      return TRUE;
  for (guint i = 0; klass->suffixes[i] != NULL; i++)
    if (g_str_has_suffix (word, klass->suffixes[i]))
      return TRUE;
  return FALSE;
}

static gboolean
words_contain (GPtrArray  *words,
               const char *word)
{
  for (guint i = 0; i < words->len; i++)
    if (strcmp (g_ptr_array_index (words, i), word) == 0)
      return TRUE;
  return FALSE;
}

/* Does an allergy to @substance concern a drug made of @drug_words? */
static gboolean
allergy_matches (const char *substance,
                 GPtrArray  *drug_words)
{
  g_autoptr(GPtrArray) allergy_words = fold_words (substance);
  g_autoptr(GString) joined = g_string_new (NULL);

  for (guint i = 0; i < allergy_words->len; i++)
    {
      const char *a = g_ptr_array_index (allergy_words, i);

      g_string_append (joined, a);
      if (!is_noise_word (a) && words_contain (drug_words, a))
        return TRUE;
    }

  /* "Beta-lactam" and "ACE inhibitor" are written in pieces. */
  for (guint c = 0; c < G_N_ELEMENTS (drug_classes); c++)
    {
      const DrugClass *klass = &drug_classes[c];
      gboolean named = g_strv_contains (klass->names, joined->str);

      for (guint i = 0; !named && i < allergy_words->len; i++)
        named = g_strv_contains (klass->names, g_ptr_array_index (allergy_words, i));
      /* A member recorded as the allergy stands for its class: amoxicillin
       * allergy, ampicillin prescription. */
      for (guint i = 0; !named && i < allergy_words->len; i++)
        {
          const char *a = g_ptr_array_index (allergy_words, i);

          named = !is_noise_word (a) && class_has_member (klass, a);
        }
      if (!named)
        continue;
      for (guint i = 0; i < drug_words->len; i++)
        if (class_has_member (klass, g_ptr_array_index (drug_words, i)))
          return TRUE;
    }
  return FALSE;
}

/* A trade name typed without its ingredient ("Augmentin 875 mg"): the
 * drug list knows what it is made of. */
static void
add_ingredients_of_trade_name (CrStore    *store,
                               const char *drug,
                               GPtrArray  *drug_words)
{
  g_autofree char *upper = g_utf8_strup (drug, -1);
  g_autoptr(GString) name = g_string_new (NULL);
  g_auto(GStrv) words = g_strsplit_set (upper, " (", -1);
  sqlite3_stmt *stmt;

  /* The words before the strength: "AUGMENTIN XR 1000 MG" → "AUGMENTIN XR". */
  for (guint i = 0; words[i] != NULL; i++)
    {
      if (g_ascii_isdigit (words[i][0]) || words[i][0] == '(')
        break;
      if (*words[i] == '\0')
        continue;
      if (name->len > 0)
        g_string_append_c (name, ' ');
      g_string_append (name, words[i]);
    }
  if (name->len == 0)
    return;

  /* The whole name, or its first word as the start of a trade name:
   * "Augmentin" is "AUGMENTIN '875'", "AUGMENTIN XR"… (a range, not LIKE,
   * so that typed text is never a pattern). */
  stmt = _cr_store_prepare (store,
                            "SELECT DISTINCT ingredient FROM drugs WHERE trade_name = ?1"
                            " OR (length (?2) >= 4 AND (trade_name = ?2"
                            "  OR (trade_name >= ?2 || ' ' AND trade_name < ?2 || '!')))",
                            NULL);
  if (stmt == NULL)
    return;
  _cr_bind_text (stmt, 1, name->str);
  _cr_bind_text (stmt, 2, words[0]);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autoptr(GPtrArray) more = fold_words (_cr_column_text (stmt, 0));

      for (guint i = 0; i < more->len; i++)
        g_ptr_array_add (drug_words, g_strdup (g_ptr_array_index (more, i)));
    }
  sqlite3_reset (stmt);
}

/**
 * cr_store_check_drug_allergy:
 * @patient_id: the patient about to be prescribed @drug
 * @drug: the drug as written on the prescription: an ingredient, a trade
 *   name, or a name from the drug list ("Augmentin (amoxicillin /
 *   clavulanate potassium)")
 * @matching_allergy: (out) (transfer full) (optional) (nullable): the most
 *   severe recorded allergy that concerns @drug, or %NULL when none does
 *
 * Compares the drug's words (and, for a trade name, the ingredients the
 * drug list gives it) with the substances of the patient's allergies
 * (case and diacritics do not matter) and with a small table of drug
 * classes: an allergy to penicillin concerns amoxicillin, one to sulfa
 * sulfamethoxazole, one to NSAIDs ibuprofen. Salts ("sodium",
 * "hydrochloride") never match by themselves.
 *
 * Returns: %TRUE if the check could be made (whether or not an allergy
 *   matched); %FALSE with @error if the allergies could not be read
 */
gboolean
cr_store_check_drug_allergy (CrStore     *store,
                             gint64       patient_id,
                             const char  *drug,
                             CrAllergy  **matching_allergy,
                             GError     **error)
{
  g_autoptr(CrStoreLocker) locker = NULL;
  g_autoptr(GPtrArray) allergies = NULL;
  g_autoptr(GPtrArray) drug_words = NULL;
  CrAllergy *best = NULL;

  g_return_val_if_fail (CR_IS_STORE (store), FALSE);
  g_return_val_if_fail (drug != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (matching_allergy != NULL)
    *matching_allergy = NULL;

  locker = _cr_store_lock (store);
  allergies = cr_store_list_allergies (store, patient_id, error);
  if (allergies == NULL)
    return FALSE;
  if (allergies->len == 0)
    return TRUE;

  drug_words = fold_words (drug);
  add_ingredients_of_trade_name (store, drug, drug_words);

  for (guint i = 0; i < allergies->len; i++)
    {
      CrAllergy *allergy = g_ptr_array_index (allergies, i);

      if (cr_allergy_get_entered_in_error (allergy) ||
          !allergy_matches (cr_allergy_get_substance (allergy), drug_words))
        continue;
      if (best == NULL || cr_allergy_get_severity (allergy) > cr_allergy_get_severity (best))
        best = allergy;
    }

  if (matching_allergy != NULL && best != NULL)
    *matching_allergy = g_object_ref (best);
  return TRUE;
}

/* ---- getters ------------------------------------------------------------ */

gint64
cr_drug_get_id (CrDrug *self)
{
  g_return_val_if_fail (CR_IS_DRUG (self), 0);
  return self->id;
}

/**
 * cr_drug_get_name:
 *
 * Returns: (transfer none): what a prescription names: the ingredient for a
 *   generic ("Metformin hydrochloride"), the trade name with it for a brand
 *   ("Lipitor (atorvastatin calcium)")
 */
const char *
cr_drug_get_name (CrDrug *self)
{
  g_return_val_if_fail (CR_IS_DRUG (self), NULL);
  return self->name;
}

/**
 * cr_drug_get_ingredient:
 *
 * Returns: (transfer none): the active ingredients, lower case, joined by
 *   " / " ("amoxicillin / clavulanate potassium")
 */
const char *
cr_drug_get_ingredient (CrDrug *self)
{
  g_return_val_if_fail (CR_IS_DRUG (self), NULL);
  return self->ingredient;
}

/**
 * cr_drug_get_trade_name:
 *
 * Returns: (transfer none): the trade name as on the box ("Riomet ER"),
 *   or the name for a generic
 */
const char *
cr_drug_get_trade_name (CrDrug *self)
{
  g_return_val_if_fail (CR_IS_DRUG (self), NULL);
  return self->trade_name;
}

/**
 * cr_drug_get_strength:
 *
 * Returns: (transfer none): the strength as prescribed ("10 mg",
 *   "250 mg/5 mL", "500 mg; 125 mg")
 */
const char *
cr_drug_get_strength (CrDrug *self)
{
  g_return_val_if_fail (CR_IS_DRUG (self), NULL);
  return self->strength;
}

/**
 * cr_drug_get_form:
 *
 * Returns: (transfer none): the dosage form, lower case ("tablet, film coated")
 */
const char *
cr_drug_get_form (CrDrug *self)
{
  g_return_val_if_fail (CR_IS_DRUG (self), NULL);
  return self->form;
}

/**
 * cr_drug_get_route:
 *
 * Returns: (transfer none): the route, lower case ("oral")
 */
const char *
cr_drug_get_route (CrDrug *self)
{
  g_return_val_if_fail (CR_IS_DRUG (self), NULL);
  return self->route;
}

gboolean
cr_drug_get_generic (CrDrug *self)
{
  g_return_val_if_fail (CR_IS_DRUG (self), FALSE);
  return self->generic;
}

gboolean
cr_drug_get_otc (CrDrug *self)
{
  g_return_val_if_fail (CR_IS_DRUG (self), FALSE);
  return self->otc;
}

/**
 * cr_drug_dup_form_route:
 *
 * Returns: (transfer full): "tablet, oral"
 */
char *
cr_drug_dup_form_route (CrDrug *self)
{
  g_return_val_if_fail (CR_IS_DRUG (self), NULL);
  return g_strdup_printf ("%s, %s", self->form, self->route);
}
