/* cr-report-export.h: drawing and writing reports (PDF, PNG, CSV, TSV)
 *
 * GTK-free: the complaint chart is drawn here with cairo and Pango, so the
 * chart widget (from its snapshot), the PDF and PNG exports and printing
 * all share one drawing routine. A CrReportDoc is a paginated document
 * (title, headings, text, tables, charts) that draws page by page onto any
 * cairo context: a PDF surface, or a GtkPrintContext's.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <cairo.h>
#include <gio/gio.h>
#include <pango/pango.h>

#include "cr-chart.h"
#include "cr-complaints.h"
#include "cr-patient.h"
#include "cr-store.h"

G_BEGIN_DECLS

#define CR_REPORT_ERROR (cr_report_error_quark ())

typedef enum
{
  CR_REPORT_ERROR_WRITE,   /* the file could not be written */
} CrReportError;

GQuark cr_report_error_quark (void);

typedef struct
{
  double red, green, blue, alpha;
} CrRgba;

/* Outcome colours are indexed by CrOutcomeResult; [5] is "no outcome". */
#define CR_CHART_N_OUTCOMES 6

typedef struct
{
  CrRgba foreground;
  CrRgba background;  /* alpha 0: leave the surface as it is */
  CrRgba accent;
  CrRgba outcome[CR_CHART_N_OUTCOMES];
} CrChartColors;

/* Colours that read on paper / a light window, and on a dark window. The
 * outcome colours are from the Okabe–Ito palette (told apart with the
 * common colour-vision deficiencies); the shapes carry the same meaning
 * in greyscale. */
void   cr_chart_colors_init_light (CrChartColors *colors);
void   cr_chart_colors_init_dark  (CrChartColors *colors);

typedef struct
{
  gboolean compact;     /* smaller lanes, one line of label, and no
                         * chronic conditions (the problem list has them) */
  guint    first_lane;  /* lanes: recurring complaints and section titles */
  guint    n_lanes;     /* 0: every lane from first_lane */
  gboolean no_legend;
} CrChartLayout;

/* Where a visit's mark was drawn, for hit-testing. */
typedef struct
{
  double x, y, radius;
  guint  complaint;   /* index in the report */
  guint  episode;
} CrChartMark;

guint   cr_complaint_chart_count_lanes  (CrComplaintReport   *report,
                                         gboolean             compact);
double  cr_complaint_chart_get_height   (CrComplaintReport   *report,
                                         const PangoFontDescription *font,
                                         const CrChartLayout *layout);
/**
 * cr_complaint_chart_draw:
 * @font: (nullable): the base font; "Sans 10" if %NULL
 * @layout: (nullable): the full chart if %NULL
 * @marks: (nullable) (element-type CrChartMark): filled with the marks
 *
 * Draws the recurring complaints of @report in (0, 0, @width, @height):
 * one lane per complaint on a shared time axis, a mark per episode shaped
 * and coloured by outcome, a bar of the episode count at the right, and a
 * legend. With no recurring complaint it draws a clear empty state.
 */
void    cr_complaint_chart_draw         (cairo_t             *cr,
                                         const PangoFontDescription *font,
                                         CrComplaintReport   *report,
                                         const CrChartColors *colors,
                                         double               width,
                                         double               height,
                                         const CrChartLayout *layout,
                                         GArray              *marks);
/* "resolved" → "Resolved"; the legend's words (translated). */
const char *cr_chart_outcome_label      (int                  outcome);
/* Draws the outcome's mark centred on (x, y). */
void    cr_chart_draw_mark              (cairo_t             *cr,
                                         int                  outcome,
                                         const CrChartColors *colors,
                                         double               x,
                                         double               y,
                                         double               radius);

/* ---- paginated documents ---------------------------------------------- */

typedef struct _CrReportDoc CrReportDoc;

/* A4 in points, and the margin all reports use. */
#define CR_REPORT_PAGE_WIDTH  595.276
#define CR_REPORT_PAGE_HEIGHT 841.890

/**
 * cr_report_doc_new:
 * @practice: (nullable): the practice's name, at the top of every page
 * @title: the report's title ("Recurring complaints")
 * @identity: (nullable): who the report is about, on every page's foot
 */
CrReportDoc *cr_report_doc_new             (const char          *practice,
                                            const char          *title,
                                            const char          *identity);
void         cr_report_doc_free            (CrReportDoc         *doc);
void         cr_report_doc_add_heading     (CrReportDoc         *doc,
                                            const char          *text);
void         cr_report_doc_add_text        (CrReportDoc         *doc,
                                            const char          *text);
/* Dimmed, smaller text (a note under a section). */
void         cr_report_doc_add_note        (CrReportDoc         *doc,
                                            const char          *text);
/* A table; @widths are fractions of the text width. Rows follow with
 * cr_report_doc_add_row(); the header repeats on every page. */
void         cr_report_doc_begin_table     (CrReportDoc         *doc,
                                            guint                n_columns,
                                            const char * const  *headers,
                                            const double        *widths);
void         cr_report_doc_add_row         (CrReportDoc         *doc,
                                            const char * const  *cells);
void         cr_report_doc_add_chart       (CrReportDoc         *doc,
                                            CrComplaintReport   *report,
                                            gboolean             compact);
/* Lays the document out for pages of that size (in the context's units);
 * returns the number of pages. */
guint        cr_report_doc_paginate        (CrReportDoc         *doc,
                                            cairo_t             *cr,
                                            double               width,
                                            double               height);
void         cr_report_doc_draw_page       (CrReportDoc         *doc,
                                            cairo_t             *cr,
                                            guint                page);
gboolean     cr_report_doc_write_pdf       (CrReportDoc         *doc,
                                            const char          *path,
                                            GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrReportDoc, cr_report_doc_free)

/* ---- the recurring-complaint report ------------------------------------ */

typedef enum
{
  CR_TABLE_FORMAT_TSV,
  CR_TABLE_FORMAT_CSV,
} CrTableFormat;

/* One field as RFC 4180 wants it: quoted when it holds a comma, a quote
 * or a line break, quotes doubled. */
void         cr_csv_append_field           (GString             *line,
                                            const char          *value);
/* The report as a table, one line per episode of each recurring
 * complaint (CSV with a header line and CRLF line ends; TSV without a
 * header, tabs and line breaks in text become spaces). */
char        *cr_complaint_report_to_table  (CrComplaintReport   *report,
                                            CrTableFormat        format);
/* "John Smith · P000001 · born 1950-03-02" */
char        *cr_report_patient_identity    (CrPatient           *patient);
/**
 * cr_report_build_complaints_doc:
 * @practice: (nullable): the practice's name
 *
 * Returns: (transfer full): the report as pages: the chart, then the table
 * of recurring complaints with each episode's prescriptions and outcomes.
 */
CrReportDoc *cr_report_build_complaints_doc (CrComplaintReport  *report,
                                             const char         *practice,
                                             CrPatient          *patient);
gboolean     cr_complaint_report_write_pdf (CrComplaintReport   *report,
                                            const char          *practice,
                                            CrPatient           *patient,
                                            const char          *path,
                                            GError             **error);
/* The chart alone, @width pixels wide at @scale, on a light background. */
gboolean     cr_complaint_report_write_png (CrComplaintReport   *report,
                                            const char          *path,
                                            int                  width,
                                            double               scale,
                                            GError             **error);
/* Writes @text to @path in one go (replacing it). */
gboolean     cr_report_write_text          (const char          *text,
                                            const char          *path,
                                            GError             **error);

/* ---- the pre-visit summary ---------------------------------------------- */

/**
 * CrPrevisitDocument:
 * @date: (nullable): the date of service, or when it was filed
 * @category: (nullable): "Lab result"…
 * @title: the title or file name
 */
typedef struct
{
  char *date;
  char *category;
  char *title;
} CrPrevisitDocument;

typedef struct _CrPrevisit CrPrevisit;

#define CR_TYPE_PREVISIT (cr_previsit_get_type ())

GType              cr_previsit_get_type          (void) G_GNUC_CONST;
CrPrevisit        *cr_previsit_ref               (CrPrevisit   *self);
void               cr_previsit_unref             (CrPrevisit   *self);
/* Active problems, allergies, current medications, the last three visits
 * with their outcomes and overdue follow-ups. */
CrChartSummary    *cr_previsit_get_summary       (CrPrevisit   *self);
CrComplaintReport *cr_previsit_get_report        (CrPrevisit   *self);
/* (element-type CrPrescription) current ones started in the last 90 days */
GPtrArray         *cr_previsit_get_started       (CrPrevisit   *self);
/* (element-type CrPrescription) stopped in the last 90 days */
GPtrArray         *cr_previsit_get_stopped       (CrPrevisit   *self);
/* (element-type CrPrevisitDocument) filed since the last visit */
GArray            *cr_previsit_get_documents     (CrPrevisit   *self);
const char        *cr_previsit_get_last_visit    (CrPrevisit   *self);

/* @today: (nullable): "YYYY-MM-DD", or the local date */
CrPrevisit        *cr_store_load_previsit        (CrStore              *store,
                                                  gint64                patient_id,
                                                  const char           *today,
                                                  GCancellable         *cancellable,
                                                  GError              **error);
void               cr_store_load_previsit_async  (CrStore              *store,
                                                  gint64                patient_id,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
CrPrevisit        *cr_store_load_previsit_finish (CrStore              *store,
                                                  GAsyncResult         *result,
                                                  GError              **error);
/* The summary as the sections the screen and the page show, each a
 * title and lines of plain text. */
char              *cr_previsit_dup_section       (CrPrevisit   *self,
                                                  const char   *which,
                                                  gboolean      markup);
CrReportDoc       *cr_report_build_previsit_doc  (CrPrevisit   *self,
                                                  const char   *practice,
                                                  CrPatient    *patient);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrPrevisit, cr_previsit_unref)

G_END_DECLS
