/* cr-print-layout.c: a visit note or a prescription laid out in pages with
 * Pango onto any cairo context (a printer's, a PDF surface)
 *
 * The document is a list of blocks (headings, labelled fields, paragraphs,
 * list items, the signature). Pagination lays each block out with Pango at
 * the page's width and splits it between lines where a page is full, so a
 * long narrative runs on over as many pages as it needs. Every page repeats
 * the practice, the patient's identity and "Page N of M": a loose page must
 * still say whose it is. Units are points (72 a inch) throughout: the
 * fonts' sizes are set at 72 dpi so that a point is a cairo unit.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cr-print-layout"

#include "config.h"

#include <cairo-pdf.h>
#include <glib/gi18n-lib.h>
#include <pango/pangocairo.h>
#include <string.h>

#include "cr-audit.h"
#include "cr-chart.h"
#include "cr-clinical-private.h"
#include "cr-codes.h"
#include "cr-date.h"
#include "cr-patients.h"
#include "cr-print-layout.h"
#include "cr-store-private.h"

#define FONT_FAMILY       "Sans"
#define BODY_SIZE         10.0
#define SMALL_SIZE        8.0
#define HEADING_SIZE      11.0
#define PRACTICE_SIZE     14.0
#define LABEL_WIDTH       118.0
#define HANGING_INDENT    12.0

typedef enum
{
  BLOCK_HEADING,    /* a section's name, kept with what follows */
  BLOCK_FIELD,      /* label: value, the label in a column of its own */
  BLOCK_PARAGRAPH,
  BLOCK_ITEM,       /* "•" with a hanging indent */
  BLOCK_TITLE,      /* the drug of a prescription: large and bold */
  BLOCK_BANNER,     /* "UNSIGNED DRAFT", "ENTERED IN ERROR": boxed */
  BLOCK_SIGNATURE,  /* a line to sign on, with who and when below */
} BlockKind;

typedef struct
{
  BlockKind    kind;
  char        *label;
  char        *markup;
  double       space_before;

  /* Pagination */
  PangoLayout *layout;
  PangoLayout *label_layout;
  double       x;
  GArray      *tops;       /* double: each line's top in the layout */
  GArray      *heights;    /* double */
  GArray      *baselines;  /* double */
  double       extra;      /* drawn below the text (signature line, box) */
} Block;

typedef struct
{
  guint  block;
  guint  first_line;
  guint  n_lines;
  double y;
} Segment;

struct _CrPrintLayout
{
  GObject    parent_instance;

  char      *practice;
  char      *title;        /* "Visit note", "Prescription" */
  char      *identity;     /* the patient's line repeated on each page */
  char      *banner;       /* repeated in each page's header, or NULL */
  char      *record;       /* "visits:12" */
  char      *file_name;    /* suggested, without the patient's name */
  char      *printed;      /* "Printed 22 November 2026 10:30 by …" */
  gint64     patient_id;

  GPtrArray *blocks;       /* Block */
  GPtrArray *pages;        /* GArray of Segment */
  double     width;
  double     height;
  double     body_top;
};

G_DEFINE_FINAL_TYPE (CrPrintLayout, cr_print_layout, G_TYPE_OBJECT)

static void
block_clear_layout (Block *block)
{
  g_clear_object (&block->layout);
  g_clear_object (&block->label_layout);
  g_clear_pointer (&block->tops, g_array_unref);
  g_clear_pointer (&block->heights, g_array_unref);
  g_clear_pointer (&block->baselines, g_array_unref);
}

static void
block_free (Block *block)
{
  block_clear_layout (block);
  g_free (block->label);
  g_free (block->markup);
  g_free (block);
}

static void
cr_print_layout_finalize (GObject *object)
{
  CrPrintLayout *self = (CrPrintLayout *)object;

  g_free (self->practice);
  g_free (self->title);
  g_free (self->identity);
  g_free (self->banner);
  g_free (self->record);
  g_free (self->file_name);
  g_free (self->printed);
  g_clear_pointer (&self->blocks, g_ptr_array_unref);
  g_clear_pointer (&self->pages, g_ptr_array_unref);

  G_OBJECT_CLASS (cr_print_layout_parent_class)->finalize (object);
}

static void
cr_print_layout_class_init (CrPrintLayoutClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cr_print_layout_finalize;
}

static void
cr_print_layout_init (CrPrintLayout *self)
{
  self->blocks = g_ptr_array_new_with_free_func ((GDestroyNotify) block_free);
  self->pages = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
}

/* ---- building the document ---------------------------------------------- */

static void
add_block (CrPrintLayout *self,
           BlockKind      kind,
           const char    *label,
           char          *markup,  /* (transfer full) */
           double         space_before)
{
  Block *block = g_new0 (Block, 1);

  block->kind = kind;
  block->label = g_strdup (label);
  block->markup = markup;
  block->space_before = space_before;
  g_ptr_array_add (self->blocks, block);
}

static void
add_heading (CrPrintLayout *self,
             const char    *text)
{
  add_block (self, BLOCK_HEADING, NULL, g_markup_escape_text (text, -1), 14.0);
}

static gboolean
is_blank (const char *text)
{
  if (text == NULL)
    return TRUE;
  for (const char *p = text; *p; p++)
    if (!g_ascii_isspace (*p))
      return FALSE;
  return TRUE;
}

static void
add_field (CrPrintLayout *self,
           const char    *label,
           const char    *value)
{
  if (is_blank (value))
    return;
  add_block (self, BLOCK_FIELD, label, g_markup_escape_text (value, -1), 3.0);
}

/* Narrative text: each paragraph of the text as its own block, so that
 * pages break between paragraphs as well as inside them. */
static void
add_text (CrPrintLayout *self,
          const char    *text)
{
  g_auto(GStrv) paragraphs = NULL;

  if (is_blank (text))
    return;
  paragraphs = g_strsplit (text, "\n", -1);
  for (guint i = 0; paragraphs[i] != NULL; i++)
    {
      g_strchomp (paragraphs[i]);
      if (*paragraphs[i] == '\0')
        continue;
      add_block (self, BLOCK_PARAGRAPH, NULL, g_markup_escape_text (paragraphs[i], -1), 4.0);
    }
}

static char *
format_date (const char *iso)
{
  GDate date;
  char buffer[64];

  if (iso == NULL || !cr_date_from_iso (iso, &date))
    return g_strdup (iso);
  /* TRANSLATORS: a date on a printed note, see strftime(3). */
  if (g_date_strftime (buffer, sizeof buffer, _("%-d %B %Y"), &date) == 0)
    return g_strdup (iso);
  return g_strdup (buffer);
}

/* "2026-03-12T09:30" (local, a visit) or "2026-03-12T09:30:00Z" (UTC, the
 * store's timestamps) → "12 March 2026, 09:30" in local time. */
static char *
format_date_time (const char *iso)
{
  g_autoptr(GDateTime) dt = NULL;
  g_autoptr(GTimeZone) local = g_time_zone_new_local ();

  if (iso == NULL)
    return NULL;
  if (strlen (iso) <= 10)
    return format_date (iso);
  dt = g_date_time_new_from_iso8601 (iso, local);
  if (dt == NULL)
    {
      g_autofree char *with_seconds = g_strconcat (iso, ":00", NULL);

      dt = g_date_time_new_from_iso8601 (with_seconds, local);
    }
  if (dt == NULL)
    return g_strdup (iso);
  {
    g_autoptr(GDateTime) here = g_date_time_to_local (dt);

    /* TRANSLATORS: a date and time on a printed note, see g_date_time_format(). */
    return g_date_time_format (here, _("%-d %B %Y, %H:%M"));
  }
}

static gboolean
load_common (CrPrintLayout  *self,
             CrStore        *store,
             gint64          patient_id,
             GError        **error)
{
  g_autoptr(CrPatient) patient = cr_store_get_patient (store, patient_id, error);
  g_autofree char *name = NULL;
  g_autofree char *born = NULL;
  g_autofree char *now = NULL;
  g_autoptr(GDateTime) dt = g_date_time_new_now_local ();
  g_autoptr(GString) identity = g_string_new (NULL);

  if (patient == NULL)
    return FALSE;

  self->patient_id = patient_id;
  self->practice = cr_store_dup_practice_name (store);
  if (self->practice == NULL)
    self->practice = g_strdup ("");

  name = cr_patient_dup_display_name (patient);
  born = format_date (cr_patient_get_birth_date (patient));
  /* Only the name is bold: escape the parts, not the tags. */
  {
    g_autofree char *e_name = g_markup_escape_text (name, -1);
    g_autofree char *e_born = born ? g_markup_printf_escaped (_("born %s"), born) : NULL;
    g_autofree char *e_record = g_markup_printf_escaped (_("record %s"),
                                                         cr_patient_get_record_number (patient));

    g_string_append_printf (identity, "<b>%s</b>", e_name);
    if (e_born != NULL)
      g_string_append_printf (identity, "     %s", e_born);
    g_string_append_printf (identity, "     %s", e_record);
    self->identity = g_string_free (g_steal_pointer (&identity), FALSE);
  }

  now = g_date_time_format (dt, _("%-d %B %Y, %H:%M"));
  self->printed = g_strdup_printf (_("Printed %s by %s"), now, cr_store_get_user (store));
  return TRUE;
}

static char *
vitals_text (CrVisit *visit)
{
  g_autoptr(GString) out = g_string_new (NULL);
  const char *sep = " · ";

#define APPEND(...) G_STMT_START { \
    if (out->len > 0) g_string_append (out, sep); \
    g_string_append_printf (out, __VA_ARGS__); } G_STMT_END

  if (cr_visit_get_bp_systolic (visit) != CR_VITAL_NOT_RECORDED)
    APPEND (_("BP %d/%d mmHg"), cr_visit_get_bp_systolic (visit), cr_visit_get_bp_diastolic (visit));
  if (cr_visit_get_pulse (visit) != CR_VITAL_NOT_RECORDED)
    APPEND (_("pulse %d/min"), cr_visit_get_pulse (visit));
  if (cr_visit_get_temperature_c (visit) != CR_VITAL_NOT_RECORDED)
    APPEND (_("temperature %.1f °C"), cr_visit_get_temperature_c (visit));
  if (cr_visit_get_respiratory_rate (visit) != CR_VITAL_NOT_RECORDED)
    APPEND (_("respiratory rate %d/min"), cr_visit_get_respiratory_rate (visit));
  if (cr_visit_get_spo2 (visit) != CR_VITAL_NOT_RECORDED)
    APPEND (_("SpO₂ %d %%"), cr_visit_get_spo2 (visit));
  if (cr_visit_get_weight_kg (visit) != CR_VITAL_NOT_RECORDED)
    APPEND (_("weight %.1f kg"), cr_visit_get_weight_kg (visit));
  if (cr_visit_get_height_cm (visit) != CR_VITAL_NOT_RECORDED)
    APPEND (_("height %.0f cm"), cr_visit_get_height_cm (visit));
#undef APPEND

  return out->len > 0 ? g_string_free (g_steal_pointer (&out), FALSE) : NULL;
}

static const char *
visit_type_label (CrVisitType type)
{
  switch (type)
    {
    case CR_VISIT_TYPE_OFFICE:
      return _("Office visit");
    case CR_VISIT_TYPE_PHONE:
      return _("Phone consultation");
    case CR_VISIT_TYPE_FOLLOW_UP:
      return _("Follow-up visit");
    case CR_VISIT_TYPE_OTHER:
    default:
      return _("Visit");
    }
}

/* "Take 1 capsule by mouth three times a day for 10 days": the sig from
 * what the prescription holds, in its order. */
static char *
prescription_sig (CrPrescription *rx)
{
  const char *parts[] = {
    cr_prescription_get_dose (rx),
    cr_prescription_get_route (rx),
    cr_prescription_get_frequency (rx),
    cr_prescription_get_duration (rx),
  };
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    {
      if (is_blank (parts[i]))
        continue;
      if (out->len > 0)
        g_string_append (out, ", ");
      g_string_append (out, parts[i]);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static char *
refills_text (int refills)
{
  if (refills <= 0)
    return g_strdup (_("None"));
  return g_strdup_printf ("%d", refills);
}

static GPtrArray *
list_visit_prescriptions (CrStore  *store,
                          gint64    visit_id,
                          GError  **error)
{
  g_autoptr(CrStoreLocker) locker = _cr_store_lock (store);
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (g_object_unref);
  sqlite3_stmt *stmt;
  int rc;

  stmt = _cr_store_prepare (store,
                            "SELECT " CR_PRESCRIPTION_COLUMNS " FROM prescriptions r"
                            " WHERE r.visit_id = ? AND r.entered_in_error = 0 ORDER BY r.id",
                            error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, visit_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (list, _cr_clinical_new_from_row (CR_TYPE_PRESCRIPTION, stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _cr_store_set_error (store, rc, error);
      return NULL;
    }
  return g_steal_pointer (&list);
}

static CrPrescription *
get_prescription (CrStore  *store,
                  gint64    prescription_id,
                  GError  **error)
{
  g_autoptr(CrStoreLocker) locker = _cr_store_lock (store);
  CrPrescription *rx = NULL;
  sqlite3_stmt *stmt;
  int rc;

  stmt = _cr_store_prepare (store,
                            "SELECT " CR_PRESCRIPTION_COLUMNS " FROM prescriptions r WHERE r.id = ?",
                            error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, prescription_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    rx = _cr_clinical_new_from_row (CR_TYPE_PRESCRIPTION, stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    _cr_store_set_error (store, rc, error);
  else if (rx == NULL)
    g_set_error (error, CR_STORE_ERROR, CR_STORE_ERROR_NOT_FOUND,
                 "No prescription %" G_GINT64_FORMAT, prescription_id);
  return rx;
}

static void
add_prescription_item (CrPrintLayout  *self,
                       CrPrescription *rx)
{
  g_autofree char *label = cr_prescription_dup_label (rx);
  g_autofree char *sig = prescription_sig (rx);
  g_autofree char *refills = refills_text (cr_prescription_get_refills (rx));
  g_autoptr(GString) markup = g_string_new (NULL);
  g_autofree char *e_label = g_markup_escape_text (label, -1);

  g_string_append_printf (markup, "<b>%s</b>", e_label);
  if (*sig != '\0')
    {
      g_autofree char *e = g_markup_escape_text (sig, -1);

      g_string_append_printf (markup, " — %s", e);
    }
  if (!is_blank (cr_prescription_get_quantity (rx)))
    {
      g_autofree char *e = g_markup_printf_escaped (_("quantity %s"),
                                                    cr_prescription_get_quantity (rx));

      g_string_append_printf (markup, "; %s", e);
    }
  if (cr_prescription_get_refills (rx) > 0)
    {
      g_autofree char *e = g_markup_printf_escaped (_("refills %s"), refills);

      g_string_append_printf (markup, "; %s", e);
    }
  else
    g_string_append_printf (markup, "; %s", _("no refills"));
  if (!is_blank (cr_prescription_get_instructions (rx)))
    {
      g_autofree char *e = g_markup_escape_text (cr_prescription_get_instructions (rx), -1);

      g_string_append_printf (markup, ". <i>%s</i>", e);
    }
  add_block (self, BLOCK_ITEM, NULL, g_string_free (g_steal_pointer (&markup), FALSE), 3.0);
}

/**
 * cr_print_layout_new_for_visit:
 * @visit_id: the visit whose note to print
 *
 * Reads the visit with its diagnoses, prescriptions and amendments, and
 * the patient. Nothing is audited until the caller prints or exports:
 * cr_print_layout_record_audit().
 *
 * Returns: (transfer full) (nullable): the note, not yet paginated
 */
CrPrintLayout *
cr_print_layout_new_for_visit (CrStore  *store,
                               gint64    visit_id,
                               GError  **error)
{
  g_autoptr(CrPrintLayout) self = NULL;
  g_autoptr(CrVisit) visit = NULL;
  g_autoptr(GPtrArray) prescriptions = NULL;
  g_autofree char *when = NULL;
  g_autofree char *vitals = NULL;
  g_autofree char *date = NULL;
  GListModel *diagnoses;
  GListModel *amendments;

  g_return_val_if_fail (CR_IS_STORE (store), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  visit = cr_store_get_visit (store, visit_id, error);
  if (visit == NULL)
    return NULL;
  prescriptions = list_visit_prescriptions (store, visit_id, error);
  if (prescriptions == NULL)
    return NULL;

  self = g_object_new (CR_TYPE_PRINT_LAYOUT, NULL);
  if (!load_common (self, store, cr_visit_get_patient_id (visit), error))
    return NULL;

  self->title = g_strdup (_("Visit note"));
  self->record = g_strdup_printf ("visits:%" G_GINT64_FORMAT, visit_id);
  date = g_strndup (cr_visit_get_started_at (visit), 10);
  self->file_name = g_strdup_printf ("visit-note-%s-%" G_GINT64_FORMAT ".pdf", date, visit_id);
  if (cr_visit_get_entered_in_error (visit))
    self->banner = g_strdup (_("ENTERED IN ERROR — NOT PART OF THE RECORD"));
  else if (!cr_visit_is_signed (visit))
    self->banner = g_strdup (_("UNSIGNED DRAFT"));

  when = format_date_time (cr_visit_get_started_at (visit));
  add_field (self, _("Visit"), when);
  add_field (self, _("Type"), visit_type_label (cr_visit_get_visit_type (visit)));
  add_field (self, _("Clinician"), cr_visit_get_clinician (visit));
  add_field (self, _("Chief complaint"), cr_visit_get_chief_complaint (visit));

  if (!is_blank (cr_visit_get_subjective (visit)))
    {
      add_heading (self, _("Subjective"));
      add_text (self, cr_visit_get_subjective (visit));
    }

  vitals = vitals_text (visit);
  if (vitals != NULL || !is_blank (cr_visit_get_objective (visit)))
    {
      add_heading (self, _("Objective"));
      add_field (self, _("Vital signs"), vitals);
      add_text (self, cr_visit_get_objective (visit));
    }

  diagnoses = cr_visit_get_diagnoses (visit);
  if (g_list_model_get_n_items (diagnoses) > 0 || !is_blank (cr_visit_get_assessment (visit)))
    {
      add_heading (self, _("Assessment"));
      add_text (self, cr_visit_get_assessment (visit));
      for (guint i = 0; i < g_list_model_get_n_items (diagnoses); i++)
        {
          g_autoptr(CrDiagnosis) d = g_list_model_get_item (diagnoses, i);
          g_autofree char *code = NULL;
          g_autofree char *markup = NULL;

          if (cr_diagnosis_get_entered_in_error (d))
            continue;
          code = cr_code_format (cr_diagnosis_get_system (d), cr_diagnosis_get_code (d));
          /* The bold tags are ours, not the text's. */
          {
            g_autofree char *e_code = code ? g_markup_escape_text (code, -1) : NULL;
            g_autofree char *e_display = g_markup_escape_text (cr_diagnosis_get_display (d), -1);

            markup = g_strdup_printf ("%s%s%s%s%s", e_code ? "<b>" : "", e_code ? e_code : "",
                                      e_code ? "</b>  " : "", e_display,
                                      cr_diagnosis_get_is_primary (d) ? _(" (primary)") : "");
          }
          add_block (self, BLOCK_ITEM, NULL, g_steal_pointer (&markup), 2.0);
        }
    }

  if (!is_blank (cr_visit_get_plan (visit)))
    {
      add_heading (self, _("Plan"));
      add_text (self, cr_visit_get_plan (visit));
    }

  if (prescriptions->len > 0)
    {
      add_heading (self, _("Prescriptions"));
      for (guint i = 0; i < prescriptions->len; i++)
        add_prescription_item (self, g_ptr_array_index (prescriptions, i));
    }

  if (cr_visit_is_signed (visit))
    {
      g_autofree char *at = format_date_time (cr_visit_get_signed_at (visit));

      add_block (self, BLOCK_SIGNATURE, NULL,
                 g_markup_printf_escaped (_("Signed by %s at %s"),
                                          cr_visit_get_signed_by (visit), at), 24.0);
    }
  else
    add_block (self, BLOCK_BANNER, NULL,
               g_markup_printf_escaped ("%s", _("UNSIGNED DRAFT — not signed; may still change")),
               24.0);

  amendments = cr_visit_get_amendments (visit);
  if (g_list_model_get_n_items (amendments) > 0)
    {
      add_heading (self, _("Amendments"));
      for (guint i = 0; i < g_list_model_get_n_items (amendments); i++)
        {
          g_autoptr(CrAmendment) m = g_list_model_get_item (amendments, i);
          g_autofree char *at = format_date_time (cr_amendment_get_created_at (m));

          add_block (self, BLOCK_PARAGRAPH, NULL,
                     g_markup_printf_escaped (_("<b>%s, by %s.</b> Reason: %s"),
                                              at, cr_amendment_get_created_by (m),
                                              cr_amendment_get_reason (m)), 8.0);
          add_text (self, cr_amendment_get_text (m));
        }
    }

  return g_steal_pointer (&self);
}

/**
 * cr_print_layout_new_for_prescription:
 *
 * Returns: (transfer full) (nullable): the prescription, not yet paginated
 */
CrPrintLayout *
cr_print_layout_new_for_prescription (CrStore  *store,
                                      gint64    prescription_id,
                                      GError  **error)
{
  g_autoptr(CrPrintLayout) self = NULL;
  g_autoptr(CrPrescription) rx = NULL;
  g_autoptr(CrPatient) patient = NULL;
  g_autofree char *date = NULL;
  g_autofree char *label = NULL;
  g_autofree char *refills = NULL;

  g_return_val_if_fail (CR_IS_STORE (store), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  rx = get_prescription (store, prescription_id, error);
  if (rx == NULL)
    return NULL;
  patient = cr_store_get_patient (store, cr_prescription_get_patient_id (rx), error);
  if (patient == NULL)
    return NULL;

  self = g_object_new (CR_TYPE_PRINT_LAYOUT, NULL);
  if (!load_common (self, store, cr_prescription_get_patient_id (rx), error))
    return NULL;
  self->title = g_strdup (_("Prescription"));
  self->record = g_strdup_printf ("prescriptions:%" G_GINT64_FORMAT, prescription_id);
  self->file_name = g_strdup_printf ("prescription-%s-%" G_GINT64_FORMAT ".pdf",
                                     cr_prescription_get_start_date (rx)
                                       ? cr_prescription_get_start_date (rx) : "",
                                     prescription_id);
  if (cr_prescription_get_entered_in_error (rx))
    self->banner = g_strdup (_("ENTERED IN ERROR — NOT VALID"));
  else if (cr_prescription_get_stop_date (rx) != NULL)
    self->banner = g_strdup (_("STOPPED — NOT VALID FOR DISPENSING"));

  date = format_date (cr_prescription_get_start_date (rx));
  add_field (self, _("Date"), date);
  add_field (self, _("Address"), cr_patient_get_address (patient));

  label = cr_prescription_dup_label (rx);
  add_block (self, BLOCK_TITLE, NULL, g_markup_printf_escaped ("℞  %s", label), 18.0);
  add_field (self, _("Drug"), cr_prescription_get_drug (rx));
  add_field (self, _("Strength"), cr_prescription_get_strength (rx));
  add_field (self, _("Form"), cr_prescription_get_form (rx));
  add_field (self, _("Dose"), cr_prescription_get_dose (rx));
  add_field (self, _("Route"), cr_prescription_get_route (rx));
  add_field (self, _("Frequency"), cr_prescription_get_frequency (rx));
  add_field (self, _("Duration"), cr_prescription_get_duration (rx));
  add_field (self, _("Quantity"), cr_prescription_get_quantity (rx));
  refills = refills_text (cr_prescription_get_refills (rx));
  add_field (self, _("Refills"), refills);
  if (!is_blank (cr_prescription_get_instructions (rx)))
    {
      add_heading (self, _("Instructions"));
      add_text (self, cr_prescription_get_instructions (rx));
    }
  if (cr_prescription_get_stop_date (rx) != NULL)
    {
      g_autofree char *stopped = format_date (cr_prescription_get_stop_date (rx));

      add_field (self, _("Stopped"), stopped);
      add_field (self, _("Reason"), cr_prescription_get_stop_reason (rx));
    }

  add_block (self, BLOCK_SIGNATURE, NULL,
             g_markup_printf_escaped (_("Prescriber: %s          Date: %s"),
                                      cr_prescription_get_prescriber (rx)
                                        ? cr_prescription_get_prescriber (rx) : "",
                                      date ? date : ""), 56.0);

  return g_steal_pointer (&self);
}

/* ---- pagination ----------------------------------------------------------- */

static PangoLayout *
new_layout (PangoContext *context,
            double        size,
            gboolean      bold,
            double        width,
            const char   *markup)
{
  PangoLayout *layout = pango_layout_new (context);
  g_autoptr(PangoFontDescription) font = pango_font_description_from_string (FONT_FAMILY);

  pango_font_description_set_size (font, (int) (size * PANGO_SCALE));
  if (bold)
    pango_font_description_set_weight (font, PANGO_WEIGHT_BOLD);
  pango_layout_set_font_description (layout, font);
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  if (width > 0)
    pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
  pango_layout_set_markup (layout, markup, -1);
  return layout;
}

static PangoContext *
create_context (cairo_t *cr)
{
  PangoContext *context = pango_cairo_create_context (cr);

  /* A point is a cairo unit, on paper and in a PDF alike. */
  pango_cairo_context_set_resolution (context, 72.0);
  return context;
}

static void
measure_lines (Block *block)
{
  PangoLayoutIter *iter = pango_layout_get_iter (block->layout);

  block->tops = g_array_new (FALSE, FALSE, sizeof (double));
  block->heights = g_array_new (FALSE, FALSE, sizeof (double));
  block->baselines = g_array_new (FALSE, FALSE, sizeof (double));
  do
    {
      PangoRectangle logical;
      double top, height, baseline;

      pango_layout_iter_get_line_extents (iter, NULL, &logical);
      top = (double) logical.y / PANGO_SCALE;
      height = (double) logical.height / PANGO_SCALE;
      baseline = (double) pango_layout_iter_get_baseline (iter) / PANGO_SCALE;
      g_array_append_val (block->tops, top);
      g_array_append_val (block->heights, height);
      g_array_append_val (block->baselines, baseline);
    }
  while (pango_layout_iter_next_line (iter));
  pango_layout_iter_free (iter);
}

static double
lines_height (Block *block,
              guint  first,
              guint  n)
{
  guint last = first + n - 1;

  return g_array_index (block->tops, double, last) + g_array_index (block->heights, double, last) -
         g_array_index (block->tops, double, first);
}

/* The header's height: practice, patient, rule. */
static double
header_height (CrPrintLayout *self,
               PangoContext  *context)
{
  g_autoptr(PangoLayout) practice = new_layout (context, PRACTICE_SIZE, TRUE, -1, "X");
  g_autoptr(PangoLayout) identity = new_layout (context, BODY_SIZE, FALSE, -1, "X");
  int h1, h2;

  pango_layout_get_size (practice, NULL, &h1);
  pango_layout_get_size (identity, NULL, &h2);
  return (double) (h1 + h2) / PANGO_SCALE + 14.0;
}

static double
footer_height (PangoContext *context)
{
  g_autoptr(PangoLayout) small = new_layout (context, SMALL_SIZE, FALSE, -1, "X");
  int h;

  pango_layout_get_size (small, NULL, &h);
  return (double) h / PANGO_SCALE + 8.0;
}

/**
 * cr_print_layout_paginate:
 * @cr: any cairo context on the target (for its font options)
 * @width: the width to lay out in, in points, inside the margins
 * @height: the height of a page, in points, inside the margins
 *
 * Returns: the number of pages
 */
guint
cr_print_layout_paginate (CrPrintLayout *self,
                          cairo_t       *cr,
                          double         width,
                          double         height)
{
  g_autoptr(GObject) context_object = NULL;
  PangoContext *context;
  GArray *page = NULL;
  double bottom;
  double y;

  g_return_val_if_fail (CR_IS_PRINT_LAYOUT (self), 0);
  g_return_val_if_fail (cr != NULL, 0);

  context = create_context (cr);
  context_object = G_OBJECT (context);
  self->width = width;
  self->height = height;
  self->body_top = header_height (self, context) + 10.0;
  bottom = height - footer_height (context) - 12.0;
  g_ptr_array_set_size (self->pages, 0);

  for (guint i = 0; i < self->blocks->len; i++)
    {
      Block *block = g_ptr_array_index (self->blocks, i);
      double text_width = width;
      double size = BODY_SIZE;
      gboolean bold = FALSE;

      block_clear_layout (block);
      block->x = 0;
      block->extra = 0;
      switch (block->kind)
        {
        case BLOCK_HEADING:
          size = HEADING_SIZE;
          bold = TRUE;
          break;
        case BLOCK_FIELD:
          {
            g_autofree char *label = g_markup_escape_text (block->label, -1);

            block->label_layout = new_layout (context, BODY_SIZE, TRUE, LABEL_WIDTH - 8.0, label);
            block->x = LABEL_WIDTH;
            text_width = width - LABEL_WIDTH;
          }
          break;
        case BLOCK_ITEM:
          block->x = HANGING_INDENT;
          text_width = width - HANGING_INDENT;
          break;
        case BLOCK_TITLE:
          size = PRACTICE_SIZE + 2;
          bold = TRUE;
          break;
        case BLOCK_BANNER:
          size = HEADING_SIZE;
          bold = TRUE;
          block->x = 8.0;
          text_width = width - 16.0;
          block->extra = 8.0;
          break;
        case BLOCK_SIGNATURE:
          block->extra = 0;
          break;
        case BLOCK_PARAGRAPH:
        default:
          break;
        }
      block->layout = new_layout (context, size, bold, text_width, block->markup);
      if (block->kind == BLOCK_BANNER)
        pango_layout_set_alignment (block->layout, PANGO_ALIGN_CENTER);
      measure_lines (block);
    }

  y = bottom; /* starts a page at once */
  for (guint i = 0; i < self->blocks->len; i++)
    {
      Block *block = g_ptr_array_index (self->blocks, i);
      guint n_lines = block->tops->len;
      guint line = 0;
      /* Boxes and signatures stay whole; a heading keeps the next block's
       * first line with it. */
      gboolean whole = block->kind == BLOCK_BANNER || block->kind == BLOCK_SIGNATURE ||
                       block->kind == BLOCK_HEADING || block->kind == BLOCK_TITLE;
      double need_first;

      need_first = whole ? lines_height (block, 0, n_lines) + block->extra
                         : lines_height (block, 0, MIN (n_lines, 2));
      if (block->kind == BLOCK_HEADING && i + 1 < self->blocks->len)
        {
          Block *next = g_ptr_array_index (self->blocks, i + 1);

          need_first += next->space_before + lines_height (next, 0, MIN (next->tops->len, 2));
        }

      if (page != NULL && y > self->body_top)
        y += block->space_before;
      if (page == NULL || y + need_first > bottom)
        {
          page = g_array_new (FALSE, FALSE, sizeof (Segment));
          g_ptr_array_add (self->pages, page);
          y = self->body_top;
        }

      while (line < n_lines)
        {
          Segment seg = { i, line, 0, y };

          while (line + seg.n_lines < n_lines &&
                 y + lines_height (block, line, seg.n_lines + 1) <= bottom)
            seg.n_lines++;
          if (seg.n_lines == 0)
            {
              if (y == self->body_top)
                seg.n_lines = 1; /* a line taller than a page: print it anyway */
              else
                {
                  page = g_array_new (FALSE, FALSE, sizeof (Segment));
                  g_ptr_array_add (self->pages, page);
                  y = self->body_top;
                  continue;
                }
            }
          g_array_append_val (page, seg);
          y += lines_height (block, line, seg.n_lines);
          line += seg.n_lines;
          if (line < n_lines)
            {
              page = g_array_new (FALSE, FALSE, sizeof (Segment));
              g_ptr_array_add (self->pages, page);
              y = self->body_top;
            }
        }
      y += block->extra;
      if (block->kind == BLOCK_SIGNATURE)
        y += 8.0;
    }

  if (self->pages->len == 0)
    g_ptr_array_add (self->pages, g_array_new (FALSE, FALSE, sizeof (Segment)));
  return self->pages->len;
}

guint
cr_print_layout_get_n_pages (CrPrintLayout *self)
{
  g_return_val_if_fail (CR_IS_PRINT_LAYOUT (self), 0);
  return self->pages->len;
}

/* ---- drawing ---------------------------------------------------------------- */

static void
set_grey (cairo_t *cr,
          double   level)
{
  cairo_set_source_rgb (cr, level, level, level);
}

static void
draw_rule (cairo_t *cr,
           double   y,
           double   width,
           double   line_width)
{
  cairo_set_line_width (cr, line_width);
  cairo_move_to (cr, 0, y);
  cairo_line_to (cr, width, y);
  cairo_stroke (cr);
}

static void
draw_header_footer (CrPrintLayout *self,
                    PangoContext  *context,
                    cairo_t       *cr,
                    guint          page_nr)
{
  g_autofree char *e_practice = g_markup_escape_text (self->practice, -1);
  g_autofree char *title = NULL;
  g_autofree char *page_text = NULL;
  g_autofree char *e_printed = g_markup_escape_text (self->printed, -1);
  g_autoptr(PangoLayout) practice = NULL;
  g_autoptr(PangoLayout) doc_title = NULL;
  g_autoptr(PangoLayout) identity = NULL;
  g_autoptr(PangoLayout) pages = NULL;
  g_autoptr(PangoLayout) printed = NULL;
  int w, h1, h2, hs;
  double rule_y;

  if (self->banner != NULL)
    title = g_markup_printf_escaped ("%s — <b>%s</b>", self->title, self->banner);
  else
    title = g_markup_escape_text (self->title, -1);

  practice = new_layout (context, PRACTICE_SIZE, TRUE, self->width * 0.55, e_practice);
  pango_layout_set_ellipsize (practice, PANGO_ELLIPSIZE_END);
  doc_title = new_layout (context, BODY_SIZE, FALSE, self->width * 0.45, title);
  pango_layout_set_alignment (doc_title, PANGO_ALIGN_RIGHT);
  identity = new_layout (context, BODY_SIZE, FALSE, self->width, self->identity);
  pango_layout_set_ellipsize (identity, PANGO_ELLIPSIZE_END);

  set_grey (cr, 0.0);
  cairo_move_to (cr, 0, 0);
  pango_cairo_show_layout (cr, practice);
  pango_layout_get_size (practice, NULL, &h1);
  {
    int th;

    pango_layout_get_size (doc_title, NULL, &th);
    set_grey (cr, 0.25);
    /* On the practice name's baseline. */
    cairo_move_to (cr, self->width * 0.55,
                   (double) (pango_layout_get_baseline (practice) - pango_layout_get_baseline (doc_title))
                   / PANGO_SCALE);
    pango_cairo_show_layout (cr, doc_title);
  }
  set_grey (cr, 0.0);
  cairo_move_to (cr, 0, (double) h1 / PANGO_SCALE + 2.0);
  pango_cairo_show_layout (cr, identity);
  pango_layout_get_size (identity, NULL, &h2);
  rule_y = (double) (h1 + h2) / PANGO_SCALE + 8.0;
  draw_rule (cr, rule_y, self->width, 1.0);

  /* TRANSLATORS: the page number at the foot of a printed page. */
  page_text = g_strdup_printf (_("Page %u of %u"), page_nr + 1, self->pages->len);
  pages = new_layout (context, SMALL_SIZE, FALSE, -1, page_text);
  printed = new_layout (context, SMALL_SIZE, FALSE, self->width * 0.7, e_printed);
  pango_layout_set_ellipsize (printed, PANGO_ELLIPSIZE_END);
  pango_layout_get_size (pages, &w, &hs);

  set_grey (cr, 0.45);
  draw_rule (cr, self->height - (double) hs / PANGO_SCALE - 4.0, self->width, 0.5);
  set_grey (cr, 0.3);
  cairo_move_to (cr, 0, self->height - (double) hs / PANGO_SCALE);
  pango_cairo_show_layout (cr, printed);
  cairo_move_to (cr, self->width - (double) w / PANGO_SCALE, self->height - (double) hs / PANGO_SCALE);
  pango_cairo_show_layout (cr, pages);
  set_grey (cr, 0.0);
}

static void
draw_segment (CrPrintLayout *self,
              cairo_t       *cr,
              Segment       *seg)
{
  Block *block = g_ptr_array_index (self->blocks, seg->block);
  double top0 = g_array_index (block->tops, double, seg->first_line);
  double height = lines_height (block, seg->first_line, seg->n_lines);

  if (block->kind == BLOCK_BANNER)
    {
      cairo_set_line_width (cr, 1.5);
      cairo_rectangle (cr, 0.75, seg->y - 4.0, self->width - 1.5, height + block->extra);
      cairo_stroke (cr);
    }
  if (block->kind == BLOCK_SIGNATURE)
    {
      /* A line to sign on above who signed. */
      set_grey (cr, 0.0);
      cairo_set_line_width (cr, 0.75);
      cairo_move_to (cr, 0, seg->y - 4.0);
      cairo_line_to (cr, MIN (self->width, 300.0), seg->y - 4.0);
      cairo_stroke (cr);
    }
  if (block->kind == BLOCK_HEADING)
    set_grey (cr, 0.15);
  else
    set_grey (cr, 0.0);

  if (block->kind == BLOCK_FIELD && seg->first_line == 0)
    {
      set_grey (cr, 0.35);
      cairo_move_to (cr, 0, seg->y);
      pango_cairo_show_layout (cr, block->label_layout);
      set_grey (cr, 0.0);
    }
  if (block->kind == BLOCK_ITEM && seg->first_line == 0)
    {
      {
        g_autoptr(PangoLayout) bullet = pango_layout_copy (block->layout);

        pango_layout_set_text (bullet, "•", -1);
        cairo_move_to (cr, 1.0, seg->y);
        pango_cairo_show_layout (cr, bullet);
      }
    }

  for (guint k = seg->first_line; k < seg->first_line + seg->n_lines; k++)
    {
      PangoLayoutLine *line = pango_layout_get_line_readonly (block->layout, k);
      PangoRectangle logical;
      double baseline = g_array_index (block->baselines, double, k) - top0;
      double x = block->x;

      pango_layout_line_get_extents (line, NULL, &logical);
      /* Centred and right-aligned lines start where the layout puts them. */
      if (pango_layout_get_alignment (block->layout) != PANGO_ALIGN_LEFT)
        {
          int layout_width = pango_layout_get_width (block->layout);

          x += (double) (layout_width - logical.width) / PANGO_SCALE / 2.0;
        }
      cairo_move_to (cr, x + (double) logical.x / PANGO_SCALE, seg->y + baseline);
      pango_cairo_show_layout_line (cr, line);
    }
  set_grey (cr, 0.0);
}

/**
 * cr_print_layout_draw_page:
 * @cr: origin at the top left corner inside the margins, in points
 * @page: 0-based, below cr_print_layout_get_n_pages()
 */
void
cr_print_layout_draw_page (CrPrintLayout *self,
                           cairo_t       *cr,
                           guint          page)
{
  g_autoptr(GObject) context_object = NULL;
  PangoContext *context;
  GArray *segments;

  g_return_if_fail (CR_IS_PRINT_LAYOUT (self));
  g_return_if_fail (page < self->pages->len);

  context = create_context (cr);
  context_object = G_OBJECT (context);
  cairo_save (cr);
  draw_header_footer (self, context, cr, page);
  segments = g_ptr_array_index (self->pages, page);
  for (guint i = 0; i < segments->len; i++)
    draw_segment (self, cr, &g_array_index (segments, Segment, i));
  cairo_restore (cr);
}

/**
 * cr_print_layout_write_pdf:
 * @path: where to write; a PDF is patient data: only on a user's explicit
 *   request
 *
 * Lays the document out on US Letter pages with %CR_PRINT_PDF_MARGIN
 * margins and writes it. The caller audits the export.
 */
gboolean
cr_print_layout_write_pdf (CrPrintLayout  *self,
                           const char     *path,
                           GError        **error)
{
  cairo_surface_t *surface;
  cairo_t *cr;
  cairo_status_t status;
  double width = CR_PRINT_LETTER_WIDTH - 2 * CR_PRINT_PDF_MARGIN;
  double height = CR_PRINT_LETTER_HEIGHT - 2 * CR_PRINT_PDF_MARGIN;
  guint n_pages;

  g_return_val_if_fail (CR_IS_PRINT_LAYOUT (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  surface = cairo_pdf_surface_create (path, CR_PRINT_LETTER_WIDTH, CR_PRINT_LETTER_HEIGHT);
  cr = cairo_create (surface);
  n_pages = cr_print_layout_paginate (self, cr, width, height);
  for (guint i = 0; i < n_pages; i++)
    {
      cairo_save (cr);
      cairo_translate (cr, CR_PRINT_PDF_MARGIN, CR_PRINT_PDF_MARGIN);
      cr_print_layout_draw_page (self, cr, i);
      cairo_restore (cr);
      cairo_show_page (cr);
    }
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);

  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_autofree char *name = g_filename_display_name (path);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Cannot write “%s”: %s",
                   name, cairo_status_to_string (status));
      return FALSE;
    }
  return TRUE;
}

/**
 * cr_print_layout_record_audit:
 * @exported: %TRUE for a PDF written to a file (%CR_AUDIT_EXPORT), %FALSE
 *   for paper (%CR_AUDIT_PRINT)
 * @detail: (nullable): e.g. the printer's name; never the patient's name
 */
gboolean
cr_print_layout_record_audit (CrPrintLayout  *self,
                              CrStore        *store,
                              gboolean        exported,
                              const char     *detail,
                              GError        **error)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (CR_IS_PRINT_LAYOUT (self), FALSE);
  g_return_val_if_fail (CR_IS_STORE (store), FALSE);

  text = g_strdup_printf ("%u page%s%s%s", self->pages->len, self->pages->len == 1 ? "" : "s",
                          detail ? "; " : "", detail ? detail : "");
  return cr_store_audit (store, exported ? CR_AUDIT_EXPORT : CR_AUDIT_PRINT,
                         self->patient_id, self->record, text, error);
}

gint64
cr_print_layout_get_patient_id (CrPrintLayout *self)
{
  g_return_val_if_fail (CR_IS_PRINT_LAYOUT (self), 0);
  return self->patient_id;
}

/**
 * cr_print_layout_get_record:
 *
 * Returns: (transfer none): what is printed, as the audit trail names it
 *   ("visits:12", "prescriptions:7")
 */
const char *
cr_print_layout_get_record (CrPrintLayout *self)
{
  g_return_val_if_fail (CR_IS_PRINT_LAYOUT (self), NULL);
  return self->record;
}

/**
 * cr_print_layout_get_title:
 *
 * Returns: (transfer none): "Visit note", "Prescription" (for a print job)
 */
const char *
cr_print_layout_get_title (CrPrintLayout *self)
{
  g_return_val_if_fail (CR_IS_PRINT_LAYOUT (self), NULL);
  return self->title;
}

/**
 * cr_print_layout_get_file_name:
 *
 * Returns: (transfer none): a file name to suggest for a PDF; it carries
 *   no name, so a file left behind does not say whose it is
 */
const char *
cr_print_layout_get_file_name (CrPrintLayout *self)
{
  g_return_val_if_fail (CR_IS_PRINT_LAYOUT (self), NULL);
  return self->file_name;
}
