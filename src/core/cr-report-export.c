/* cr-report-export.c: drawing and writing reports
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cr-report-export"

#include "config.h"

#include <math.h>
#include <string.h>

#include <cairo-pdf.h>
#include <glib/gi18n-lib.h>
#include <pango/pangocairo.h>

#include "cr-codes.h"
#include "cr-date.h"
#include "cr-report-export.h"
#include "cr-store-private.h"

G_DEFINE_QUARK (cr-report-error-quark, cr_report_error)

#define NO_OUTCOME_INDEX 5

static void
set_rgba (CrRgba *c,
          guint32 rgb)
{
  c->red = ((rgb >> 16) & 0xff) / 255.0;
  c->green = ((rgb >> 8) & 0xff) / 255.0;
  c->blue = (rgb & 0xff) / 255.0;
  c->alpha = 1.0;
}

void
cr_chart_colors_init_light (CrChartColors *colors)
{
  set_rgba (&colors->foreground, 0x1e1e1e);
  set_rgba (&colors->background, 0xffffff);
  set_rgba (&colors->accent, 0x1c71d8);
  set_rgba (&colors->outcome[CR_OUTCOME_RESULT_RESOLVED], 0x009e73);
  set_rgba (&colors->outcome[CR_OUTCOME_RESULT_IMPROVED], 0x0072b2);
  set_rgba (&colors->outcome[CR_OUTCOME_RESULT_UNCHANGED], 0xb07800);
  set_rgba (&colors->outcome[CR_OUTCOME_RESULT_WORSENED], 0xd55e00);
  set_rgba (&colors->outcome[CR_OUTCOME_RESULT_ADVERSE_EFFECT], 0xa8427f);
  set_rgba (&colors->outcome[NO_OUTCOME_INDEX], 0x5e5c64);
}

void
cr_chart_colors_init_dark (CrChartColors *colors)
{
  set_rgba (&colors->foreground, 0xffffff);
  set_rgba (&colors->background, 0x242424);
  set_rgba (&colors->accent, 0x78aeed);
  set_rgba (&colors->outcome[CR_OUTCOME_RESULT_RESOLVED], 0x3fd4a2);
  set_rgba (&colors->outcome[CR_OUTCOME_RESULT_IMPROVED], 0x56b4e9);
  set_rgba (&colors->outcome[CR_OUTCOME_RESULT_UNCHANGED], 0xf0c442);
  set_rgba (&colors->outcome[CR_OUTCOME_RESULT_WORSENED], 0xff8a3d);
  set_rgba (&colors->outcome[CR_OUTCOME_RESULT_ADVERSE_EFFECT], 0xe08cc0);
  set_rgba (&colors->outcome[NO_OUTCOME_INDEX], 0xc0bfbc);
}

static void
source (cairo_t      *cr,
        const CrRgba *c,
        double        alpha)
{
  cairo_set_source_rgba (cr, c->red, c->green, c->blue, c->alpha * alpha);
}

const char *
cr_chart_outcome_label (int outcome)
{
  switch (outcome)
    {
    case CR_OUTCOME_RESULT_RESOLVED:
      return _("Resolved");
    case CR_OUTCOME_RESULT_IMPROVED:
      return _("Improved");
    case CR_OUTCOME_RESULT_UNCHANGED:
      return _("Unchanged");
    case CR_OUTCOME_RESULT_WORSENED:
      return _("Worsened");
    case CR_OUTCOME_RESULT_ADVERSE_EFFECT:
      return _("Adverse effect");
    default:
      return _("No outcome");
    }
}

void
cr_chart_draw_mark (cairo_t             *cr,
                    int                  outcome,
                    const CrChartColors *colors,
                    double               x,
                    double               y,
                    double               r)
{
  int index = outcome >= 0 && outcome < NO_OUTCOME_INDEX ? outcome : NO_OUTCOME_INDEX;

  cairo_save (cr);
  cairo_new_path (cr);
  source (cr, &colors->outcome[index], 1.0);
  cairo_set_line_width (cr, MAX (1.5, r * 0.35));
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);

  switch (index)
    {
    case CR_OUTCOME_RESULT_RESOLVED:   /* ● */
      cairo_arc (cr, x, y, r, 0, 2 * G_PI);
      cairo_fill (cr);
      break;
    case CR_OUTCOME_RESULT_IMPROVED:   /* ▲ */
      cairo_move_to (cr, x, y - r * 1.15);
      cairo_line_to (cr, x + r * 1.1, y + r * 0.8);
      cairo_line_to (cr, x - r * 1.1, y + r * 0.8);
      cairo_close_path (cr);
      cairo_fill (cr);
      break;
    case CR_OUTCOME_RESULT_UNCHANGED:  /* ■ */
      cairo_rectangle (cr, x - r * 0.85, y - r * 0.85, r * 1.7, r * 1.7);
      cairo_fill (cr);
      break;
    case CR_OUTCOME_RESULT_WORSENED:   /* ▼ */
      cairo_move_to (cr, x, y + r * 1.15);
      cairo_line_to (cr, x + r * 1.1, y - r * 0.8);
      cairo_line_to (cr, x - r * 1.1, y - r * 0.8);
      cairo_close_path (cr);
      cairo_fill (cr);
      break;
    case CR_OUTCOME_RESULT_ADVERSE_EFFECT: /* ✕ */
      cairo_set_line_width (cr, MAX (2.0, r * 0.5));
      cairo_move_to (cr, x - r, y - r);
      cairo_line_to (cr, x + r, y + r);
      cairo_move_to (cr, x + r, y - r);
      cairo_line_to (cr, x - r, y + r);
      cairo_stroke (cr);
      break;
    default:                           /* ○ */
      cairo_arc (cr, x, y, r * 0.85, 0, 2 * G_PI);
      cairo_stroke (cr);
      break;
    }
  cairo_restore (cr);
}

/* ---- the chart --------------------------------------------------------- */

typedef struct
{
  const CrComplaint *complaint; /* NULL: a section title */
  guint              index;
  const char        *title;
} Lane;

/* Recurring complaints first, then those on the chronic problem list
 * under their own title, so that "keeps coming back" and "chronic
 * follow-up" read apart. */
static GArray *
build_lanes (CrComplaintReport *report,
             gboolean           compact)
{
  GArray *lanes = g_array_new (FALSE, TRUE, sizeof (Lane));
  guint n = cr_complaint_report_get_n_recurring (report);
  gboolean any_chronic = FALSE, any_acute = FALSE;

  for (guint i = 0; i < n; i++)
    {
      const CrComplaint *c = cr_complaint_report_get_complaint (report, i);

      if (c->chronic)
        any_chronic = TRUE;
      else
        any_acute = TRUE;
    }

  if (any_acute && any_chronic)
    {
      Lane title = { NULL, 0, _("Recurring complaints") };
      g_array_append_val (lanes, title);
    }
  for (guint i = 0; i < n; i++)
    {
      Lane lane = { cr_complaint_report_get_complaint (report, i), i, NULL };

      if (!lane.complaint->chronic)
        g_array_append_val (lanes, lane);
    }
  /* The compact chart (the pre-visit summary) leaves chronic conditions
   * to the problem list beside it. */
  if (compact)
    {
      if (any_acute && any_chronic)
        g_array_remove_index (lanes, 0);
      return lanes;
    }
  if (any_chronic)
    {
      Lane title = { NULL, 0, _("Chronic conditions (follow-up)") };
      g_array_append_val (lanes, title);
    }
  for (guint i = 0; i < n; i++)
    {
      Lane lane = { cr_complaint_report_get_complaint (report, i), i, NULL };

      if (lane.complaint->chronic)
        g_array_append_val (lanes, lane);
    }
  return lanes;
}

guint
cr_complaint_chart_count_lanes (CrComplaintReport *report,
                                gboolean           compact)
{
  g_autoptr(GArray) lanes = build_lanes (report, compact);

  return lanes->len;
}

typedef struct
{
  double font_px;   /* the base font's size in the context's units */
  double lane;
  double title_lane;
  double axis;
  double legend;
  double radius;
} Metrics;

static void
get_metrics (const PangoFontDescription *font,
             gboolean                    compact,
             Metrics                    *m)
{
  double size = 10.0;

  if (font != NULL && pango_font_description_get_size (font) > 0)
    {
      size = pango_font_description_get_size (font) / (double) PANGO_SCALE;
      /* Points to pixels at 96 dpi, as GTK lays text out. */
      if (!pango_font_description_get_size_is_absolute (font))
        size *= 96.0 / 72.0;
    }
  m->font_px = size;
  m->lane = compact ? size * 2.0 : size * 3.4;
  m->title_lane = size * 2.4;
  m->axis = size * 2.4;
  m->legend = size * 2.8;
  m->radius = compact ? size * 0.38 : size * 0.5;
}

double
cr_complaint_chart_get_height (CrComplaintReport          *report,
                               const PangoFontDescription *font,
                               const CrChartLayout        *layout)
{
  CrChartLayout full = { 0 };
  g_autoptr(GArray) lanes = build_lanes (report, layout != NULL && layout->compact);
  Metrics m;
  double height;
  guint last;

  if (layout == NULL)
    layout = &full;
  get_metrics (font, layout->compact, &m);

  if (lanes->len == 0)
    return m.font_px * (layout->compact ? 5 : 8);

  last = layout->n_lanes == 0 ? lanes->len : MIN (lanes->len, layout->first_lane + layout->n_lanes);
  height = m.axis + (layout->no_legend ? m.font_px * 0.5 : m.legend);
  for (guint i = layout->first_lane; i < last; i++)
    height += g_array_index (lanes, Lane, i).complaint != NULL ? m.lane : m.title_lane;
  return ceil (height);
}

static PangoLayout *
make_layout (cairo_t                    *cr,
             const PangoFontDescription *base,
             double                      scale,
             gboolean                    bold)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  g_autoptr(PangoFontDescription) font = base != NULL ? pango_font_description_copy (base)
                                                      : pango_font_description_from_string ("Sans 10");

  if (pango_font_description_get_size (font) <= 0)
    pango_font_description_set_size (font, 10 * PANGO_SCALE);
  pango_font_description_set_size (font, (int) (pango_font_description_get_size (font) * scale));
  if (bold)
    pango_font_description_set_weight (font, PANGO_WEIGHT_BOLD);
  pango_layout_set_font_description (layout, font);
  return layout;
}

static void
show_text (cairo_t     *cr,
           PangoLayout *layout,
           const char  *text,
           double       x,
           double       y,
           double       width,
           double       xalign,
           double       valign_center)
{
  int w, h;

  pango_layout_set_text (layout, text, -1);
  pango_layout_set_width (layout, width > 0 ? (int) (width * PANGO_SCALE) : -1);
  pango_layout_set_ellipsize (layout, width > 0 ? PANGO_ELLIPSIZE_END : PANGO_ELLIPSIZE_NONE);
  pango_layout_get_pixel_size (layout, &w, &h);
  if (width > 0 && xalign > 0)
    pango_layout_set_alignment (layout, xalign > 0.6 ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_CENTER);
  else
    pango_layout_set_alignment (layout, PANGO_ALIGN_LEFT);
  if (width <= 0)
    x -= w * xalign;
  cairo_move_to (cr, x, valign_center >= 0 ? valign_center - h / 2.0 : y);
  pango_cairo_show_layout (cr, layout);
}

static char *
lane_detail (const CrComplaint *c)
{
  g_autoptr(GString) s = g_string_new (NULL);
  g_autofree char *code = NULL;

  if (c->code != NULL)
    {
      code = cr_code_format (c->system, c->code);
      g_string_append (s, code);
    }
  if (c->trend != CR_COMPLAINT_TREND_TOO_FEW)
    {
      const char *trend = c->trend == CR_COMPLAINT_TREND_MORE_FREQUENT ? _("more frequent")
                        : c->trend == CR_COMPLAINT_TREND_LESS_FREQUENT ? _("less frequent")
                        : _("steady");
      if (s->len > 0)
        g_string_append (s, " · ");
      g_string_append (s, trend);
    }
  return g_string_free (g_steal_pointer (&s), FALSE);
}

static void
draw_empty (cairo_t                    *cr,
            const PangoFontDescription *font,
            CrComplaintReport          *report,
            const CrChartColors        *colors,
            double                      width,
            double                      height,
            gboolean                    compact)
{
  g_autoptr(PangoLayout) big = make_layout (cr, font, 1.25, TRUE);
  g_autoptr(PangoLayout) small = make_layout (cr, font, 1.0, FALSE);
  g_autofree char *detail = NULL;
  guint n = cr_complaint_report_get_n_complaints (report);

  if (cr_complaint_report_get_n_visits (report) == 0)
    detail = g_strdup (_("There are no visits in this period."));
  else if (compact && cr_complaint_report_get_n_recurring (report) > 0)
    detail = g_strdup (_("Only chronic conditions came back (see the problem list)."));
  else
    detail = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "%u visit, %u complaint, none seen twice.",
                                           "%u visits, %u complaints, none seen twice.",
                                           cr_complaint_report_get_n_visits (report)),
                              cr_complaint_report_get_n_visits (report), n);

  source (cr, &colors->foreground, 0.8);
  show_text (cr, big, _("No recurring complaints"), width / 2, 0, 0, 0.5, height / 2 - 10);
  source (cr, &colors->foreground, 0.6);
  show_text (cr, small, detail, width / 2, 0, 0, 0.5, height / 2 + 14);
}

typedef struct
{
  guint32 start, end; /* julian days */
} Span;

static void
get_span (CrComplaintReport *report,
          GArray            *lanes,
          Span              *span)
{
  GDate day;
  guint32 today;

  cr_date_from_iso (cr_complaint_report_get_today (report), &day);
  today = g_date_get_julian (&day);
  span->end = today;

  if (cr_complaint_report_get_since (report) != NULL)
    {
      cr_date_from_iso (cr_complaint_report_get_since (report), &day);
      span->start = g_date_get_julian (&day);
    }
  else
    {
      span->start = today;
      for (guint i = 0; i < lanes->len; i++)
        {
          const CrComplaint *c = g_array_index (lanes, Lane, i).complaint;

          if (c != NULL)
            span->start = MIN (span->start, cr_complaint_get_episode (c, 0)->julian);
        }
      /* Start on the first of January of the first episode's year. */
      g_date_set_julian (&day, span->start);
      g_date_set_dmy (&day, 1, G_DATE_JANUARY, g_date_get_year (&day));
      span->start = g_date_get_julian (&day);
    }
  if (span->end <= span->start + 30)
    span->start = span->end - 30;
}

static void
draw_axis (cairo_t                    *cr,
           const PangoFontDescription *font,
           const CrChartColors        *colors,
           const Span                 *span,
           double                      x0,
           double                      x1,
           double                      top,
           double                      bottom,
           const Metrics              *m)
{
  g_autoptr(PangoLayout) layout = make_layout (cr, font, 0.85, FALSE);
  double days = span->end - span->start;
  GDate d, first;
  int years;
  int step_months;
  double last_label = -1e9;

  g_date_clear (&d, 1);
  g_date_clear (&first, 1);
  g_date_set_julian (&first, span->start);
  years = (int) ceil (days / 365.25);
  /* Months for a year or two, years beyond, every other year past 12. */
  if (years <= 2)
    step_months = years <= 1 ? 1 : 3;
  else
    step_months = years <= 12 ? 12 : 24;

  g_date_set_dmy (&d, 1, g_date_get_month (&first), g_date_get_year (&first));
  if (step_months >= 12)
    g_date_set_dmy (&d, 1, G_DATE_JANUARY, g_date_get_year (&first));

  cairo_set_line_width (cr, 1.0);
  for (;;)
    {
      guint32 j = g_date_get_julian (&d);
      double x;
      char label[32];

      if (j > span->end)
        break;
      if (j >= span->start)
        {
          x = x0 + (x1 - x0) * (j - span->start) / days;
          source (cr, &colors->foreground, 0.12);
          cairo_move_to (cr, round (x) + 0.5, top + m->axis - 4);
          cairo_line_to (cr, round (x) + 0.5, bottom);
          cairo_stroke (cr);

          if (step_months >= 12)
            g_snprintf (label, sizeof label, "%u", g_date_get_year (&d));
          else if (g_date_get_month (&d) == G_DATE_JANUARY || j - span->start < 31)
            g_date_strftime (label, sizeof label, "%b %Y", &d);
          else
            g_date_strftime (label, sizeof label, "%b", &d);

          if (x - last_label > m->font_px * (step_months >= 12 ? 3.5 : 5.5) && x < x1 - m->font_px)
            {
              source (cr, &colors->foreground, 0.7);
              show_text (cr, layout, label, x + 3, top + m->axis * 0.15, 0, 0, -1);
              last_label = x;
            }
        }
      g_date_add_months (&d, step_months);
    }

  /* Today. */
  source (cr, &colors->accent, 0.7);
  cairo_set_dash (cr, (double[]) { 3, 3 }, 2, 0);
  cairo_move_to (cr, round (x1) + 0.5, top + m->axis - 4);
  cairo_line_to (cr, round (x1) + 0.5, bottom);
  cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0);
}

static void
draw_legend (cairo_t                    *cr,
             const PangoFontDescription *font,
             const CrChartColors        *colors,
             double                      x,
             double                      y,
             double                      width,
             const Metrics              *m)
{
  g_autoptr(PangoLayout) layout = make_layout (cr, font, 0.85, FALSE);
  static const int order[] = {
    CR_OUTCOME_RESULT_RESOLVED, CR_OUTCOME_RESULT_IMPROVED, CR_OUTCOME_RESULT_UNCHANGED,
    CR_OUTCOME_RESULT_WORSENED, CR_OUTCOME_RESULT_ADVERSE_EFFECT, CR_COMPLAINT_NO_OUTCOME,
  };
  double cx = x;
  double cy = y + m->legend / 2;

  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    {
      int w, h;

      pango_layout_set_width (layout, -1);
      pango_layout_set_text (layout, cr_chart_outcome_label (order[i]), -1);
      pango_layout_get_pixel_size (layout, &w, &h);
      if (cx + m->radius * 3 + w > x + width && cx > x)
        break;
      cr_chart_draw_mark (cr, order[i], colors, cx + m->radius, cy, m->radius);
      source (cr, &colors->foreground, 0.8);
      cairo_move_to (cr, cx + m->radius * 2 + 5, cy - h / 2.0);
      pango_cairo_show_layout (cr, layout);
      cx += m->radius * 2 + 5 + w + m->font_px * 1.1;
    }
}

void
cr_complaint_chart_draw (cairo_t                    *cr,
                         const PangoFontDescription *font,
                         CrComplaintReport          *report,
                         const CrChartColors        *colors,
                         double                      width,
                         double                      height,
                         const CrChartLayout        *layout,
                         GArray                     *marks)
{
  g_autoptr(GArray) lanes = NULL;
  g_autoptr(PangoLayout) label_layout = NULL;
  g_autoptr(PangoLayout) detail_layout = NULL;
  g_autoptr(PangoLayout) title_layout = NULL;
  g_autoptr(PangoLayout) count_layout = NULL;
  CrChartLayout full = { 0 };
  Metrics m;
  Span span;
  double label_w, bars_w, x0, x1, y, max_count = 1, lanes_bottom, count_w = 0;
  guint last;

  g_return_if_fail (cr != NULL && report != NULL && colors != NULL);

  if (layout == NULL)
    layout = &full;
  get_metrics (font, layout->compact, &m);
  if (marks != NULL)
    g_array_set_size (marks, 0);

  cairo_save (cr);
  if (colors->background.alpha > 0)
    {
      source (cr, &colors->background, 1.0);
      cairo_rectangle (cr, 0, 0, width, height);
      cairo_fill (cr);
    }

  lanes = build_lanes (report, layout->compact);
  if (lanes->len == 0)
    {
      draw_empty (cr, font, report, colors, width, height, layout->compact);
      cairo_restore (cr);
      return;
    }

  last = layout->n_lanes == 0 ? lanes->len : MIN (lanes->len, layout->first_lane + layout->n_lanes);
  for (guint i = 0; i < lanes->len; i++)
    {
      const CrComplaint *c = g_array_index (lanes, Lane, i).complaint;

      if (c != NULL)
        max_count = MAX (max_count, cr_complaint_get_n_episodes (c));
    }

  label_w = CLAMP (width * 0.32, m.font_px * 9, m.font_px * 20);
  bars_w = CLAMP (width * 0.12, m.font_px * 5, m.font_px * 9);
  x0 = label_w + m.font_px;
  x1 = width - bars_w - m.font_px * 1.5;
  if (x1 - x0 < 60)
    x1 = x0 + 60;
  get_span (report, lanes, &span);

  label_layout = make_layout (cr, font, layout->compact ? 0.9 : 1.0, FALSE);
  detail_layout = make_layout (cr, font, 0.8, FALSE);
  title_layout = make_layout (cr, font, 0.9, TRUE);
  count_layout = make_layout (cr, font, 0.9, TRUE);

  /* Room for the widest count after the longest bar. */
  {
    char widest[16];
    int w, h;

    g_snprintf (widest, sizeof widest, "%u", (guint) max_count);
    pango_layout_set_text (count_layout, widest, -1);
    pango_layout_get_pixel_size (count_layout, &w, &h);
    count_w = w;
  }

  /* The lanes' extent, for the axis's grid lines. */
  lanes_bottom = m.axis;
  for (guint i = layout->first_lane; i < last; i++)
    lanes_bottom += g_array_index (lanes, Lane, i).complaint != NULL ? m.lane : m.title_lane;

  draw_axis (cr, font, colors, &span, x0, x1, 0, lanes_bottom, &m);

  /* The frequency column's heading. */
  source (cr, &colors->foreground, 0.7);
  {
    g_autoptr(PangoLayout) head = make_layout (cr, font, 0.85, FALSE);
    show_text (cr, head, _("Visits"), width - bars_w, m.axis * 0.15, 0, 0, -1);
  }

  y = m.axis;
  for (guint i = layout->first_lane; i < last; i++)
    {
      const Lane *lane = &g_array_index (lanes, Lane, i);
      const CrComplaint *c = lane->complaint;
      double cy;

      if (c == NULL)
        {
          source (cr, &colors->foreground, 0.75);
          show_text (cr, title_layout, lane->title, 0, 0, width, 0, y + m.title_lane * 0.6);
          source (cr, &colors->foreground, 0.25);
          cairo_set_line_width (cr, 1);
          cairo_move_to (cr, 0, round (y + m.title_lane) - 0.5);
          cairo_line_to (cr, width, round (y + m.title_lane) - 0.5);
          cairo_stroke (cr);
          y += m.title_lane;
          continue;
        }

      cy = y + m.lane / 2;
      /* Every other lane shaded, so the eye follows a row across. */
      if ((i % 2) == 1)
        {
          source (cr, &colors->foreground, 0.04);
          cairo_rectangle (cr, 0, y, width, m.lane);
          cairo_fill (cr);
        }

      source (cr, &colors->foreground, 1.0);
      if (layout->compact)
        show_text (cr, label_layout, c->label, 0, 0, label_w, 0, cy);
      else
        {
          g_autofree char *detail = lane_detail (c);

          show_text (cr, label_layout, c->label, 0, 0, label_w, 0, cy - m.font_px * 0.6);
          source (cr, &colors->foreground, 0.6);
          show_text (cr, detail_layout, detail, 0, 0, label_w, 0, cy + m.font_px * 0.75);
        }

      /* The lane's line, between its first and last episode. */
      {
        const CrComplaintEpisode *first = cr_complaint_get_episode (c, 0);
        const CrComplaintEpisode *lastep = cr_complaint_get_episode (c, cr_complaint_get_n_episodes (c) - 1);
        double fx = x0 + (x1 - x0) * ((double) first->julian - span.start) / (span.end - span.start);
        double lx = x0 + (x1 - x0) * ((double) lastep->julian - span.start) / (span.end - span.start);

        source (cr, &colors->foreground, 0.3);
        cairo_set_line_width (cr, 1.5);
        cairo_move_to (cr, MAX (fx, x0), round (cy) + 0.5 - 0.5);
        cairo_line_to (cr, lx, round (cy) + 0.5 - 0.5);
        cairo_stroke (cr);
      }

      /* A lane packed with marks (a chronic condition seen monthly) gets
       * smaller ones, so that single episodes stay apart. */
      double radius = cr_complaint_get_n_episodes (c) * m.radius * 2 > (x1 - x0) * 1.5
                      ? m.radius * 0.7 : m.radius;

      for (guint e = 0; e < cr_complaint_get_n_episodes (c); e++)
        {
          const CrComplaintEpisode *ep = cr_complaint_get_episode (c, e);
          double x;

          if (ep->julian < span.start)
            continue;
          x = x0 + (x1 - x0) * ((double) ep->julian - span.start) / (span.end - span.start);
          cr_chart_draw_mark (cr, ep->outcome, colors, x, cy, radius);
          if (marks != NULL)
            {
              CrChartMark mark = { x, cy, radius, lane->index, e };
              g_array_append_val (marks, mark);
            }
        }

      /* Frequency bar and count. */
      {
        double n = cr_complaint_get_n_episodes (c);
        double bar_max = bars_w - count_w - 8;
        double bh = layout->compact ? m.lane * 0.45 : m.lane * 0.38;
        char count[16];

        source (cr, &colors->accent, 0.75);
        cairo_rectangle (cr, width - bars_w, cy - bh / 2, MAX (2, bar_max * n / max_count), bh);
        cairo_fill (cr);
        g_snprintf (count, sizeof count, "%u", (guint) n);
        source (cr, &colors->foreground, 0.9);
        show_text (cr, count_layout, count, width - bars_w + MAX (2, bar_max * n / max_count) + 4,
                   0, 0, 0, cy);
      }
      y += m.lane;
    }

  if (!layout->no_legend)
    draw_legend (cr, font, colors, 0, y + m.font_px * 0.3, width, &m);

  cairo_restore (cr);
}

/* ---- documents --------------------------------------------------------- */

typedef enum
{
  ROW_HEADING,
  ROW_TEXT,
  ROW_NOTE,
  ROW_TABLE,
  ROW_CHART,
} RowKind;

typedef struct
{
  guint    n_columns;
  char   **headers;
  double  *widths;
} Table;

typedef struct
{
  RowKind            kind;
  char              *text;
  char             **cells;
  Table             *table;
  CrComplaintReport *report;
  gboolean           compact;
} Row;

typedef struct
{
  Row   *row;
  double y;
  double height;
  guint  first_lane;
  guint  n_lanes;
  gboolean header;  /* a table's repeated header */
} Placed;

struct _CrReportDoc
{
  char      *practice;
  char      *title;
  char      *identity;
  char      *printed;
  GPtrArray *rows;    /* Row */
  GPtrArray *tables;  /* Table */
  GPtrArray *pages;   /* GArray of Placed */
  double     width;
  double     height;
};

#define MARGIN 42.0
#define BODY_SIZE 9.5

static void
row_free (gpointer data)
{
  Row *row = data;

  g_free (row->text);
  g_strfreev (row->cells);
  g_clear_pointer (&row->report, cr_complaint_report_unref);
  g_free (row);
}

static void
table_free (gpointer data)
{
  Table *t = data;

  g_strfreev (t->headers);
  g_free (t->widths);
  g_free (t);
}

CrReportDoc *
cr_report_doc_new (const char *practice,
                   const char *title,
                   const char *identity)
{
  CrReportDoc *doc = g_new0 (CrReportDoc, 1);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  doc->practice = g_strdup (practice);
  doc->title = g_strdup (title);
  doc->identity = g_strdup (identity);
  /* Translators: when a report was made, "Printed 2026-11-22 10:45" */
  doc->printed = g_date_time_format (now, "%Y-%m-%d %H:%M");
  doc->rows = g_ptr_array_new_with_free_func (row_free);
  doc->tables = g_ptr_array_new_with_free_func (table_free);
  doc->pages = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  return doc;
}

void
cr_report_doc_free (CrReportDoc *doc)
{
  if (doc == NULL)
    return;
  g_free (doc->practice);
  g_free (doc->title);
  g_free (doc->identity);
  g_free (doc->printed);
  g_ptr_array_unref (doc->rows);
  g_ptr_array_unref (doc->tables);
  g_ptr_array_unref (doc->pages);
  g_free (doc);
}

static Row *
add_row (CrReportDoc *doc,
         RowKind      kind,
         const char  *text)
{
  Row *row = g_new0 (Row, 1);

  row->kind = kind;
  row->text = g_strdup (text);
  g_ptr_array_add (doc->rows, row);
  return row;
}

void
cr_report_doc_add_heading (CrReportDoc *doc,
                           const char  *text)
{
  add_row (doc, ROW_HEADING, text);
}

void
cr_report_doc_add_text (CrReportDoc *doc,
                        const char  *text)
{
  add_row (doc, ROW_TEXT, text);
}

void
cr_report_doc_add_note (CrReportDoc *doc,
                        const char  *text)
{
  add_row (doc, ROW_NOTE, text);
}

void
cr_report_doc_begin_table (CrReportDoc        *doc,
                           guint               n_columns,
                           const char * const *headers,
                           const double       *widths)
{
  Table *t = g_new0 (Table, 1);

  t->n_columns = n_columns;
  t->headers = g_new0 (char *, n_columns + 1);
  t->widths = g_new0 (double, n_columns);
  for (guint i = 0; i < n_columns; i++)
    {
      t->headers[i] = g_strdup (headers[i]);
      t->widths[i] = widths[i];
    }
  g_ptr_array_add (doc->tables, t);
}

void
cr_report_doc_add_row (CrReportDoc        *doc,
                       const char * const *cells)
{
  Table *t;
  Row *row;

  g_return_if_fail (doc->tables->len > 0);
  t = g_ptr_array_index (doc->tables, doc->tables->len - 1);
  row = add_row (doc, ROW_TABLE, NULL);
  row->table = t;
  row->cells = g_new0 (char *, t->n_columns + 1);
  for (guint i = 0; i < t->n_columns; i++)
    row->cells[i] = g_strdup (cells[i] != NULL ? cells[i] : "");
}

void
cr_report_doc_add_chart (CrReportDoc       *doc,
                         CrComplaintReport *report,
                         gboolean           compact)
{
  Row *row = add_row (doc, ROW_CHART, NULL);

  row->report = cr_complaint_report_ref (report);
  row->compact = compact;
}

static PangoFontDescription *
doc_font (double   size,
          gboolean bold)
{
  PangoFontDescription *font = pango_font_description_from_string ("Sans");

  pango_font_description_set_absolute_size (font, size * PANGO_SCALE);
  if (bold)
    pango_font_description_set_weight (font, PANGO_WEIGHT_BOLD);
  return font;
}

static PangoLayout *
doc_layout (cairo_t    *cr,
            double      size,
            gboolean    bold,
            const char *text,
            double      width)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  g_autoptr(PangoFontDescription) font = doc_font (size, bold);

  pango_layout_set_font_description (layout, font);
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
  pango_layout_set_text (layout, text != NULL ? text : "", -1);
  return layout;
}

static double
layout_height (PangoLayout *layout)
{
  int w, h;

  pango_layout_get_size (layout, &w, &h);
  return h / (double) PANGO_SCALE;
}

#define CELL_PAD 3.0

static double
table_row_height (cairo_t     *cr,
                  Table       *t,
                  char       **cells,
                  gboolean     header,
                  double       width)
{
  double h = 0;

  for (guint i = 0; i < t->n_columns; i++)
    {
      g_autoptr(PangoLayout) l = doc_layout (cr, header ? BODY_SIZE - 0.5 : BODY_SIZE - 0.5, header,
                                             cells[i], t->widths[i] * width - 2 * CELL_PAD);
      h = MAX (h, layout_height (l));
    }
  return h + 2 * CELL_PAD;
}

static double
row_height (CrReportDoc *doc,
            cairo_t     *cr,
            Row         *row,
            double       width)
{
  g_autoptr(PangoLayout) l = NULL;

  switch (row->kind)
    {
    case ROW_HEADING:
      l = doc_layout (cr, 13, TRUE, row->text, width);
      return layout_height (l) + 14;
    case ROW_TEXT:
      l = doc_layout (cr, BODY_SIZE, FALSE, row->text, width);
      return layout_height (l) + 4;
    case ROW_NOTE:
      l = doc_layout (cr, BODY_SIZE - 1, FALSE, row->text, width);
      return layout_height (l) + 4;
    case ROW_TABLE:
      return table_row_height (cr, row->table, row->cells, FALSE, width);
    case ROW_CHART:
    default:
      return 0; /* placed lane by lane */
    }
}

guint
cr_report_doc_paginate (CrReportDoc *doc,
                        cairo_t     *cr,
                        double       width,
                        double       height)
{
  double text_w = width - 2 * MARGIN;
  double top = MARGIN + 30;          /* below the running head */
  double bottom = height - MARGIN - 16; /* above the page number */
  double y;
  GArray *page;
  Table *last_table = NULL;
  g_autoptr(PangoFontDescription) chart_font = doc_font (BODY_SIZE, FALSE);

  doc->width = width;
  doc->height = height;
  g_ptr_array_set_size (doc->pages, 0);

  page = g_array_new (FALSE, TRUE, sizeof (Placed));
  g_ptr_array_add (doc->pages, page);
  /* Page one: the title block. */
  {
    g_autoptr(PangoLayout) title = doc_layout (cr, 18, TRUE, doc->title, text_w);
    g_autoptr(PangoLayout) who = doc_layout (cr, 11, FALSE, doc->identity, text_w);

    y = top + layout_height (title) + 6 + layout_height (who) + 16;
  }

#define NEW_PAGE() G_STMT_START { \
    page = g_array_new (FALSE, TRUE, sizeof (Placed)); \
    g_ptr_array_add (doc->pages, page); \
    y = top; \
    last_table = NULL; \
  } G_STMT_END

  for (guint i = 0; i < doc->rows->len; i++)
    {
      Row *row = g_ptr_array_index (doc->rows, i);

      if (row->kind == ROW_CHART)
        {
          guint n_lanes = cr_complaint_chart_count_lanes (row->report, row->compact);
          guint lane = 0;

          if (n_lanes == 0)
            {
              CrChartLayout all = { row->compact, 0, 0, FALSE };
              double h = cr_complaint_chart_get_height (row->report, chart_font, &all);
              Placed p = { row, y, h, 0, 0, FALSE };

              if (y + h > bottom)
                NEW_PAGE ();
              p.y = y;
              g_array_append_val (page, p);
              y += h + 8;
              continue;
            }

          /* As many lanes as fit; the rest continue on the next page. */
          while (lane < n_lanes)
            {
              guint n = n_lanes - lane;
              CrChartLayout l = { row->compact, lane, n, FALSE };
              Placed p;

              while (n > 1 && y + cr_complaint_chart_get_height (row->report, chart_font, &l) > bottom)
                l.n_lanes = --n;
              if (y + cr_complaint_chart_get_height (row->report, chart_font, &l) > bottom &&
                  page->len > 0)
                {
                  NEW_PAGE ();
                  continue;
                }
              p.row = row;
              p.y = y;
              p.height = cr_complaint_chart_get_height (row->report, chart_font, &l);
              p.first_lane = lane;
              p.n_lanes = n;
              p.header = FALSE;
              g_array_append_val (page, p);
              y += p.height + 10;
              lane += n;
            }
          last_table = NULL;
          continue;
        }

      {
        double h = row_height (doc, cr, row, text_w);
        gboolean keep_with_next = row->kind == ROW_HEADING;
        double need = h;

        if (keep_with_next && i + 1 < doc->rows->len)
          {
            Row *next = g_ptr_array_index (doc->rows, i + 1);

            if (next->kind != ROW_CHART)
              need += row_height (doc, cr, next, text_w);
            if (next->kind == ROW_TABLE)
              need += table_row_height (cr, next->table, next->table->headers, TRUE, text_w);
          }
        if (row->kind == ROW_TABLE && last_table != row->table)
          need += table_row_height (cr, row->table, row->table->headers, TRUE, text_w);

        if (y + need > bottom && page->len > 0)
          NEW_PAGE ();

        if (row->kind == ROW_TABLE && last_table != row->table)
          {
            Placed head = { row, y, 0, 0, 0, TRUE };

            head.height = table_row_height (cr, row->table, row->table->headers, TRUE, text_w);
            g_array_append_val (page, head);
            y += head.height;
            last_table = row->table;
          }
        if (row->kind != ROW_TABLE)
          last_table = NULL;

        {
          Placed p = { row, y, h, 0, 0, FALSE };

          if (row->kind == ROW_HEADING && page->len > 0)
            p.y = y += 4;
          g_array_append_val (page, p);
          y += h;
          if (row->kind == ROW_TABLE)
            {
              /* nothing: rows abut */
            }
        }
      }
    }
#undef NEW_PAGE

  return doc->pages->len;
}

static void
draw_table_row (cairo_t *cr,
                Table   *t,
                char   **cells,
                gboolean header,
                double   x,
                double   y,
                double   width,
                double   height)
{
  double cx = x;

  if (header)
    {
      cairo_set_source_rgb (cr, 0.92, 0.92, 0.92);
      cairo_rectangle (cr, x, y, width, height);
      cairo_fill (cr);
    }
  for (guint i = 0; i < t->n_columns; i++)
    {
      double w = t->widths[i] * width;
      g_autoptr(PangoLayout) l = doc_layout (cr, BODY_SIZE - 0.5, header, cells[i], w - 2 * CELL_PAD);

      cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
      cairo_move_to (cr, cx + CELL_PAD, y + CELL_PAD);
      pango_cairo_show_layout (cr, l);
      cx += w;
    }
  cairo_set_source_rgb (cr, 0.8, 0.8, 0.8);
  cairo_set_line_width (cr, 0.5);
  cairo_move_to (cr, x, y + height);
  cairo_line_to (cr, x + width, y + height);
  cairo_stroke (cr);
}

void
cr_report_doc_draw_page (CrReportDoc *doc,
                         cairo_t     *cr,
                         guint        page_nr)
{
  double text_w = doc->width - 2 * MARGIN;
  GArray *page;
  g_autofree char *page_text = NULL;
  g_autoptr(PangoFontDescription) chart_font = doc_font (BODY_SIZE, FALSE);
  CrChartColors colors;

  g_return_if_fail (page_nr < doc->pages->len);
  page = g_ptr_array_index (doc->pages, page_nr);
  cr_chart_colors_init_light (&colors);
  colors.background.alpha = 0;

  cairo_save (cr);

  /* Running head: the practice and the report, a rule below. */
  {
    g_autoptr(PangoLayout) left = doc_layout (cr, 8.5, TRUE, doc->practice ? doc->practice : "", text_w * 0.6);
    g_autoptr(PangoLayout) right = doc_layout (cr, 8.5, FALSE, doc->title, text_w * 0.4);

    pango_layout_set_alignment (right, PANGO_ALIGN_RIGHT);
    cairo_set_source_rgb (cr, 0.3, 0.3, 0.3);
    cairo_move_to (cr, MARGIN, MARGIN);
    pango_cairo_show_layout (cr, left);
    cairo_move_to (cr, MARGIN + text_w * 0.6, MARGIN);
    pango_cairo_show_layout (cr, right);
    cairo_set_line_width (cr, 0.75);
    cairo_move_to (cr, MARGIN, MARGIN + 16);
    cairo_line_to (cr, MARGIN + text_w, MARGIN + 16);
    cairo_stroke (cr);
  }

  /* Foot: who the page is about, when it was made, the page number. */
  {
    g_autofree char *foot = g_strdup_printf ("%s%s%s", doc->identity ? doc->identity : "",
                                             doc->identity ? " · " : "", doc->printed);
    g_autoptr(PangoLayout) left = doc_layout (cr, 8, FALSE, foot, text_w * 0.75);
    g_autoptr(PangoLayout) right = NULL;

    /* Translators: page numbers, "Page 2 of 5" */
    page_text = g_strdup_printf (_("Page %u of %u"), page_nr + 1, doc->pages->len);
    right = doc_layout (cr, 8, FALSE, page_text, text_w * 0.25);
    pango_layout_set_alignment (right, PANGO_ALIGN_RIGHT);
    cairo_set_source_rgb (cr, 0.35, 0.35, 0.35);
    cairo_move_to (cr, MARGIN, doc->height - MARGIN - 10);
    pango_cairo_show_layout (cr, left);
    cairo_move_to (cr, MARGIN + text_w * 0.75, doc->height - MARGIN - 10);
    pango_cairo_show_layout (cr, right);
  }

  if (page_nr == 0)
    {
      g_autoptr(PangoLayout) title = doc_layout (cr, 18, TRUE, doc->title, text_w);
      g_autoptr(PangoLayout) who = doc_layout (cr, 11, FALSE, doc->identity, text_w);
      double y = MARGIN + 30;

      cairo_set_source_rgb (cr, 0, 0, 0);
      cairo_move_to (cr, MARGIN, y);
      pango_cairo_show_layout (cr, title);
      y += layout_height (title) + 6;
      cairo_set_source_rgb (cr, 0.2, 0.2, 0.2);
      cairo_move_to (cr, MARGIN, y);
      pango_cairo_show_layout (cr, who);
    }

  for (guint i = 0; i < page->len; i++)
    {
      Placed *p = &g_array_index (page, Placed, i);
      Row *row = p->row;

      if (p->header)
        {
          draw_table_row (cr, row->table, row->table->headers, TRUE, MARGIN, p->y, text_w, p->height);
          continue;
        }

      switch (row->kind)
        {
        case ROW_HEADING:
          {
            g_autoptr(PangoLayout) l = doc_layout (cr, 13, TRUE, row->text, text_w);

            cairo_set_source_rgb (cr, 0.05, 0.05, 0.05);
            cairo_move_to (cr, MARGIN, p->y + 6);
            pango_cairo_show_layout (cr, l);
          }
          break;
        case ROW_TEXT:
        case ROW_NOTE:
          {
            g_autoptr(PangoLayout) l = doc_layout (cr, row->kind == ROW_NOTE ? BODY_SIZE - 1 : BODY_SIZE,
                                                   FALSE, row->text, text_w);

            if (row->kind == ROW_NOTE)
              cairo_set_source_rgb (cr, 0.35, 0.35, 0.35);
            else
              cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
            cairo_move_to (cr, MARGIN, p->y + 2);
            pango_cairo_show_layout (cr, l);
          }
          break;
        case ROW_TABLE:
          draw_table_row (cr, row->table, row->cells, FALSE, MARGIN, p->y, text_w, p->height);
          break;
        case ROW_CHART:
          {
            CrChartLayout l = { row->compact, p->first_lane, p->n_lanes, FALSE };

            cairo_save (cr);
            cairo_translate (cr, MARGIN, p->y);
            cr_complaint_chart_draw (cr, chart_font, row->report, &colors, text_w, p->height, &l, NULL);
            cairo_restore (cr);
          }
          break;
        default:
          break;
        }
    }

  cairo_restore (cr);
}

gboolean
cr_report_doc_write_pdf (CrReportDoc  *doc,
                         const char   *path,
                         GError      **error)
{
  cairo_surface_t *surface;
  cairo_t *cr;
  cairo_status_t status;
  guint n;

  g_return_val_if_fail (doc != NULL && path != NULL, FALSE);

  surface = cairo_pdf_surface_create (path, CR_REPORT_PAGE_WIDTH, CR_REPORT_PAGE_HEIGHT);
  cr = cairo_create (surface);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, doc->title);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Chartroom");

  n = cr_report_doc_paginate (doc, cr, CR_REPORT_PAGE_WIDTH, CR_REPORT_PAGE_HEIGHT);
  for (guint i = 0; i < n; i++)
    {
      cr_report_doc_draw_page (doc, cr, i);
      cairo_show_page (cr);
    }
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);

  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, CR_REPORT_ERROR, CR_REPORT_ERROR_WRITE,
                   _("Could not write the PDF “%s”: %s"), path, cairo_status_to_string (status));
      return FALSE;
    }
  return TRUE;
}

/* ---- the recurring-complaint report ------------------------------------ */

void
cr_csv_append_field (GString    *line,
                     const char *value)
{
  if (value == NULL)
    value = "";
  if (strpbrk (value, ",\"\r\n") == NULL)
    {
      g_string_append (line, value);
      return;
    }
  g_string_append_c (line, '"');
  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (line, '"');
      g_string_append_c (line, *p);
    }
  g_string_append_c (line, '"');
}

static void
tsv_append_field (GString    *line,
                  const char *value)
{
  for (const char *p = value ? value : ""; *p != '\0'; p++)
    g_string_append_c (line, *p == '\t' || *p == '\n' || *p == '\r' ? ' ' : *p);
}

static void
append_record (GString             *out,
               CrTableFormat        format,
               const char * const  *fields,
               guint                n)
{
  for (guint i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append_c (out, format == CR_TABLE_FORMAT_CSV ? ',' : '\t');
      if (format == CR_TABLE_FORMAT_CSV)
        cr_csv_append_field (out, fields[i]);
      else
        tsv_append_field (out, fields[i]);
    }
  g_string_append (out, format == CR_TABLE_FORMAT_CSV ? "\r\n" : "\n");
}

char *
cr_complaint_report_to_table (CrComplaintReport *report,
                              CrTableFormat      format)
{
  static const char * const header[] = {
    "complaint", "system", "code", "chapter", "chronic", "visits", "first", "last", "trend",
    "date", "visit_id", "days_since_previous", "wording", "prescribed", "outcome", "outcomes",
  };
  GString *out = g_string_new (NULL);
  guint n = cr_complaint_report_get_n_recurring (report);

  if (format == CR_TABLE_FORMAT_CSV)
    append_record (out, format, header, G_N_ELEMENTS (header));

  for (guint i = 0; i < n; i++)
    {
      const CrComplaint *c = cr_complaint_report_get_complaint (report, i);
      g_autofree char *code = c->code ? cr_code_format (c->system, c->code) : NULL;
      char count[16];

      g_snprintf (count, sizeof count, "%u", cr_complaint_get_n_episodes (c));
      for (guint e = 0; e < cr_complaint_get_n_episodes (c); e++)
        {
          const CrComplaintEpisode *ep = cr_complaint_get_episode (c, e);
          g_autofree char *visit = g_strdup_printf ("%" G_GINT64_FORMAT, ep->visit_id);
          g_autofree char *interval = e > 0 ? g_strdup_printf ("%d", g_array_index (c->intervals, int, e - 1))
                                            : g_strdup ("");
          const char *fields[] = {
            c->label, c->system, code, c->chapter, c->chronic ? "yes" : "no", count,
            cr_complaint_get_first_date (c), cr_complaint_get_last_date (c),
            cr_complaint_trend_to_string (c->trend), ep->date, visit, interval, ep->wording,
            ep->prescribed,
            ep->outcome == CR_COMPLAINT_NO_OUTCOME ? "" : cr_outcome_result_to_string (ep->outcome),
            ep->outcomes,
          };

          append_record (out, format, fields, G_N_ELEMENTS (fields));
        }
    }
  return g_string_free (out, FALSE);
}

char *
cr_report_patient_identity (CrPatient *patient)
{
  g_autofree char *name = cr_patient_dup_display_name (patient);
  const char *birth = cr_patient_get_birth_date (patient);

  if (birth != NULL)
    /* Translators: name · record number · birth date */
    return g_strdup_printf (_("%s · %s · born %s"), name, cr_patient_get_record_number (patient), birth);
  return g_strdup_printf ("%s · %s", name, cr_patient_get_record_number (patient));
}

static const char *
trend_label (CrComplaintTrend trend)
{
  switch (trend)
    {
    case CR_COMPLAINT_TREND_MORE_FREQUENT:
      return _("More frequent");
    case CR_COMPLAINT_TREND_LESS_FREQUENT:
      return _("Less frequent");
    case CR_COMPLAINT_TREND_STEADY:
      return _("Steady");
    case CR_COMPLAINT_TREND_TOO_FEW:
    default:
      return _("Too few to tell");
    }
}

static char *
period_text (CrComplaintReport *report)
{
  const char *since = cr_complaint_report_get_since (report);

  if (since == NULL)
    /* Translators: the period of a report, "All visits up to 2026-11-22" */
    return g_strdup_printf (_("All visits up to %s"), cr_complaint_report_get_today (report));
  /* Translators: the period of a report, "Visits from 2025-11-23 to 2026-11-22" */
  return g_strdup_printf (_("Visits from %s to %s"), since, cr_complaint_report_get_today (report));
}

#define CHRONIC_EPISODES 5

static gint
compare_ints (gconstpointer a,
              gconstpointer b)
{
  return *(const int *) a - *(const int *) b;
}

/* The recurring complaints in the chart's order: those that come back
 * first, then the chronic conditions. */
static GPtrArray *
ordered_complaints (CrComplaintReport *report)
{
  GPtrArray *list = g_ptr_array_new ();
  guint n = cr_complaint_report_get_n_recurring (report);

  for (guint pass = 0; pass < 2; pass++)
    for (guint i = 0; i < n; i++)
      {
        const CrComplaint *c = cr_complaint_report_get_complaint (report, i);

        if (c->chronic == (pass == 1))
          g_ptr_array_add (list, (gpointer) c);
      }
  return list;
}

CrReportDoc *
cr_report_build_complaints_doc (CrComplaintReport *report,
                                const char        *practice,
                                CrPatient         *patient)
{
  g_autofree char *identity = patient ? cr_report_patient_identity (patient) : NULL;
  g_autofree char *period = period_text (report);
  g_autofree char *left_out = cr_complaint_report_dup_left_out_text (report);
  CrReportDoc *doc = cr_report_doc_new (practice, _("Recurring Complaints"), identity);
  guint n = cr_complaint_report_get_n_recurring (report);
  g_autofree char *summary = NULL;
  g_autoptr(GPtrArray) ordered = ordered_complaints (report);

  summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          "%s. %u visit; %u complaint came back at two or more of them.",
                                          "%s. %u visits; %u complaints came back at two or more of them.",
                                          cr_complaint_report_get_n_visits (report)),
                             period, cr_complaint_report_get_n_visits (report), n);
  cr_report_doc_add_text (doc, summary);
  if (left_out != NULL)
    cr_report_doc_add_note (doc, left_out);

  cr_report_doc_add_heading (doc, _("Chart"));
  cr_report_doc_add_chart (doc, report, FALSE);

  if (n == 0)
    return doc;

  cr_report_doc_add_heading (doc, _("Recurring complaints"));
  {
    const char *headers[] = { _("Complaint"), _("Code"), _("Visits"), _("First"), _("Last"),
                              _("Days between"), _("Trend") };
    const double widths[] = { 0.28, 0.09, 0.07, 0.12, 0.12, 0.19, 0.13 };

    cr_report_doc_begin_table (doc, G_N_ELEMENTS (headers), headers, widths);
  }
  for (guint i = 0; i < n; i++)
    {
      const CrComplaint *c = g_ptr_array_index (ordered, i);
      g_autofree char *code = c->code ? cr_code_format (c->system, c->code) : g_strdup ("");
      g_autofree char *label = c->chronic ? g_strdup_printf (_("%s (chronic)"), c->label) : g_strdup (c->label);
      g_autofree char *count = g_strdup_printf ("%u", cr_complaint_get_n_episodes (c));
      g_autoptr(GString) intervals = g_string_new (NULL);
      const char *cells[7];

      if (c->intervals->len <= 8)
        for (guint k = 0; k < c->intervals->len; k++)
          g_string_append_printf (intervals, "%s%d", k ? ", " : "", g_array_index (c->intervals, int, k));
      else
        {
          /* Too many to list: the typical gap and the range. */
          g_autoptr(GArray) sorted = g_array_copy (c->intervals);

          g_array_sort (sorted, compare_ints);
          /* Translators: days between visits, "median 7 (1–60)" */
          g_string_append_printf (intervals, _("median %d (%d–%d)"),
                                  g_array_index (sorted, int, sorted->len / 2),
                                  g_array_index (sorted, int, 0),
                                  g_array_index (sorted, int, sorted->len - 1));
        }
      cells[0] = label;
      cells[1] = code;
      cells[2] = count;
      cells[3] = cr_complaint_get_first_date (c);
      cells[4] = cr_complaint_get_last_date (c);
      cells[5] = intervals->str;
      cells[6] = trend_label (c->trend);
      cr_report_doc_add_row (doc, cells);
    }

  cr_report_doc_add_heading (doc, _("Episodes: what was prescribed, how it went"));
  {
    const char *headers[] = { _("Complaint"), _("Date"), _("As recorded"), _("Prescribed"), _("Outcome") };
    const double widths[] = { 0.2, 0.12, 0.2, 0.26, 0.22 };

    cr_report_doc_begin_table (doc, G_N_ELEMENTS (headers), headers, widths);
  }
  for (guint i = 0; i < n; i++)
    {
      const CrComplaint *c = g_ptr_array_index (ordered, i);
      guint n_ep = cr_complaint_get_n_episodes (c);
      /* A chronic condition's follow-up visits would fill pages: its last
       * few tell how it is going. */
      guint first = c->chronic && n_ep > CHRONIC_EPISODES ? n_ep - CHRONIC_EPISODES : 0;
      g_autofree char *name = first > 0 ? g_strdup_printf (_("%s (last %u of %u visits)"), c->label,
                                                           n_ep - first, n_ep)
                                        : g_strdup (c->label);

      for (guint e = first; e < n_ep; e++)
        {
          const CrComplaintEpisode *ep = cr_complaint_get_episode (c, e);
          const char *cells[5];

          cells[0] = e == first ? name : "";
          cells[1] = ep->date;
          cells[2] = ep->wording ? ep->wording : "";
          cells[3] = ep->prescribed ? ep->prescribed : "—";
          cells[4] = ep->outcomes ? ep->outcomes : _("No outcome recorded");
          cr_report_doc_add_row (doc, cells);
        }
    }
  return doc;
}

gboolean
cr_complaint_report_write_pdf (CrComplaintReport  *report,
                               const char         *practice,
                               CrPatient          *patient,
                               const char         *path,
                               GError            **error)
{
  g_autoptr(CrReportDoc) doc = cr_report_build_complaints_doc (report, practice, patient);

  return cr_report_doc_write_pdf (doc, path, error);
}

gboolean
cr_complaint_report_write_png (CrComplaintReport  *report,
                               const char         *path,
                               int                 width,
                               double              scale,
                               GError            **error)
{
  g_autoptr(PangoFontDescription) font = pango_font_description_from_string ("Sans 10");
  CrChartColors colors;
  cairo_surface_t *surface;
  cairo_t *cr;
  cairo_status_t status;
  double height;

  g_return_val_if_fail (width > 0 && scale > 0, FALSE);

  cr_chart_colors_init_light (&colors);
  height = cr_complaint_chart_get_height (report, font, NULL) + 24;
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, (int) ceil (width * scale),
                                        (int) ceil (height * scale));
  cr = cairo_create (surface);
  cairo_scale (cr, scale, scale);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_translate (cr, 12, 12);
  cr_complaint_chart_draw (cr, font, report, &colors, width - 24, height - 24, NULL, NULL);
  cairo_destroy (cr);
  status = cairo_surface_write_to_png (surface, path);
  cairo_surface_destroy (surface);

  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, CR_REPORT_ERROR, CR_REPORT_ERROR_WRITE,
                   _("Could not write the image “%s”: %s"), path, cairo_status_to_string (status));
      return FALSE;
    }
  return TRUE;
}

gboolean
cr_report_write_text (const char  *text,
                      const char  *path,
                      GError     **error)
{
  return g_file_set_contents_full (path, text, -1,
                                   G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
}

/* ---- the pre-visit summary ---------------------------------------------- */

#define RECENT_DAYS 90

struct _CrPrevisit
{
  gatomicrefcount    ref_count;
  CrChartSummary    *summary;
  CrComplaintReport *report;
  GPtrArray         *started;
  GPtrArray         *stopped;
  GArray            *documents;
  char              *last_visit;
  char              *recent_since;
};

G_DEFINE_BOXED_TYPE (CrPrevisit, cr_previsit, cr_previsit_ref, cr_previsit_unref)

static void
document_clear (gpointer data)
{
  CrPrevisitDocument *d = data;

  g_free (d->date);
  g_free (d->category);
  g_free (d->title);
}

CrPrevisit *
cr_previsit_ref (CrPrevisit *self)
{
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
cr_previsit_unref (CrPrevisit *self)
{
  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  g_clear_object (&self->summary);
  g_clear_pointer (&self->report, cr_complaint_report_unref);
  g_clear_pointer (&self->started, g_ptr_array_unref);
  g_clear_pointer (&self->stopped, g_ptr_array_unref);
  g_clear_pointer (&self->documents, g_array_unref);
  g_free (self->last_visit);
  g_free (self->recent_since);
  g_free (self);
}

CrChartSummary *
cr_previsit_get_summary (CrPrevisit *self)
{
  return self->summary;
}

CrComplaintReport *
cr_previsit_get_report (CrPrevisit *self)
{
  return self->report;
}

GPtrArray *
cr_previsit_get_started (CrPrevisit *self)
{
  return self->started;
}

GPtrArray *
cr_previsit_get_stopped (CrPrevisit *self)
{
  return self->stopped;
}

GArray *
cr_previsit_get_documents (CrPrevisit *self)
{
  return self->documents;
}

const char *
cr_previsit_get_last_visit (CrPrevisit *self)
{
  return self->last_visit;
}

/* Was @rx started by renewing a prescription of the same drug in @past? */
static gboolean
is_renewal (CrPrescription *rx,
            GPtrArray      *past)
{
  for (guint i = 0; i < past->len; i++)
    {
      CrPrescription *old = g_ptr_array_index (past, i);

      if (g_strcmp0 (cr_prescription_get_stop_reason (old), CR_STOP_REASON_RENEWED) == 0 &&
          g_strcmp0 (cr_prescription_get_stop_date (old), cr_prescription_get_start_date (rx)) == 0 &&
          g_strcmp0 (cr_prescription_get_drug (old), cr_prescription_get_drug (rx)) == 0 &&
          g_strcmp0 (cr_prescription_get_strength (old), cr_prescription_get_strength (rx)) == 0)
        return TRUE;
    }
  return FALSE;
}

CrPrevisit *
cr_store_load_previsit (CrStore       *store,
                        gint64         patient_id,
                        const char    *today,
                        GCancellable  *cancellable,
                        GError       **error)
{
  g_autoptr(CrPrevisit) self = g_new0 (CrPrevisit, 1);
  g_autoptr(GPtrArray) current = NULL;
  g_autoptr(GPtrArray) past = NULL;
  CrComplaintOptions options = { CR_COMPLAINT_PERIOD_3Y, today };
  GListModel *visits;
  GDate day;

  g_atomic_ref_count_init (&self->ref_count);
  g_date_clear (&day, 1);
  if (today == NULL || !cr_date_from_iso (today, &day))
    cr_date_set_today (&day);
  g_date_subtract_days (&day, RECENT_DAYS);
  self->recent_since = cr_date_to_iso (&day);

  self->summary = cr_store_load_chart_summary (store, patient_id, 3, error);
  if (self->summary == NULL)
    return NULL;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  self->report = cr_store_analyze_complaints (store, patient_id, &options, cancellable, error);
  if (self->report == NULL)
    return NULL;

  current = cr_store_list_prescriptions (store, patient_id, TRUE, error);
  if (current == NULL)
    return NULL;
  past = cr_store_list_prescriptions (store, patient_id, FALSE, error);
  if (past == NULL)
    return NULL;
  self->started = g_ptr_array_new_with_free_func (g_object_unref);
  self->stopped = g_ptr_array_new_with_free_func (g_object_unref);
  /* Recent changes of therapy: a renewal stops one prescription and starts
   * the same drug again, which is no change, so it is left out of both. */
  for (guint i = 0; i < current->len; i++)
    {
      CrPrescription *rx = g_ptr_array_index (current, i);

      if (g_strcmp0 (cr_prescription_get_start_date (rx), self->recent_since) >= 0 &&
          !is_renewal (rx, past))
        g_ptr_array_add (self->started, g_object_ref (rx));
    }
  for (guint i = 0; i < past->len; i++)
    {
      CrPrescription *rx = g_ptr_array_index (past, i);

      if (g_strcmp0 (cr_prescription_get_stop_date (rx), self->recent_since) >= 0 &&
          g_strcmp0 (cr_prescription_get_stop_reason (rx), CR_STOP_REASON_RENEWED) != 0)
        g_ptr_array_add (self->stopped, g_object_ref (rx));
    }

  visits = cr_chart_summary_get_visits (self->summary);
  if (g_list_model_get_n_items (visits) > 0)
    {
      g_autoptr(CrVisit) last = g_list_model_get_item (visits, 0);

      self->last_visit = g_strndup (cr_visit_get_started_at (last), 10);
    }

  self->documents = g_array_new (FALSE, TRUE, sizeof (CrPrevisitDocument));
  g_array_set_clear_func (self->documents, document_clear);
  {
    g_autoptr(CrStoreLocker) locker = _cr_store_lock (store);
    sqlite3_stmt *stmt;
    int rc;

    stmt = _cr_store_prepare (store,
                              "SELECT coalesce (service_date, substr (created_at, 1, 10)), category,"
                              " coalesce (title, file_name, '') FROM documents"
                              " WHERE patient_id = ?1 AND entered_in_error = 0"
                              " AND (?2 IS NULL OR substr (created_at, 1, 10) >= ?2"
                              "      OR service_date >= ?2)"
                              " ORDER BY coalesce (service_date, created_at) DESC LIMIT 50", error);
    if (stmt == NULL)
      return NULL;
    sqlite3_bind_int64 (stmt, 1, patient_id);
    _cr_bind_text (stmt, 2, self->last_visit);
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      {
        CrPrevisitDocument d = { g_strdup (_cr_column_text (stmt, 0)),
                                 g_strdup (_cr_column_text (stmt, 1)),
                                 g_strdup (_cr_column_text (stmt, 2)) };

        g_array_append_val (self->documents, d);
      }
    sqlite3_reset (stmt);
    if (rc != SQLITE_DONE)
      {
        _cr_store_set_error (store, rc, error);
        return NULL;
      }
  }
  return g_steal_pointer (&self);
}

static void
previsit_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  GError *error = NULL;
  CrPrevisit *p = cr_store_load_previsit (source_object, *(gint64 *) task_data, NULL,
                                          cancellable, &error);

  if (p == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, p, (GDestroyNotify) cr_previsit_unref);
}

void
cr_store_load_previsit_async (CrStore             *store,
                              gint64               patient_id,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (store, cancellable, callback, user_data);

  g_task_set_source_tag (task, cr_store_load_previsit_async);
  g_task_set_task_data (task, g_memdup2 (&patient_id, sizeof patient_id), g_free);
  g_task_run_in_thread (task, previsit_thread);
}

CrPrevisit *
cr_store_load_previsit_finish (CrStore       *store,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
add_line (GString    *s,
          gboolean    markup,
          const char *text,
          const char *note)
{
  g_autofree char *t = markup ? g_markup_escape_text (text, -1) : g_strdup (text);
  g_autofree char *n = note && markup ? g_markup_escape_text (note, -1) : g_strdup (note);

  g_string_append_printf (s, "%s• %s", s->len ? "\n" : "", t);
  if (n != NULL)
    g_string_append_printf (s, markup ? " <span alpha=\"70%%\">%s</span>" : " (%s)", n);
}

static void
add_title (GString    *s,
           gboolean    markup,
           const char *title)
{
  if (markup)
    g_string_append_printf (s, "<b>%s</b>", title);
  else
    g_string_append (s, title);
}

/* @which: "problems", "allergies", "medications", "visits", "follow-ups",
 * "documents" */
char *
cr_previsit_dup_section (CrPrevisit *self,
                         const char *which,
                         gboolean    markup)
{
  g_autoptr(GString) body = g_string_new (NULL);
  g_autoptr(GString) out = g_string_new (NULL);
  GListModel *list;
  guint n;

  if (g_str_equal (which, "problems"))
    {
      add_title (out, markup, _("Problems and Conditions"));
      list = cr_chart_summary_get_problems (self->summary);
      n = g_list_model_get_n_items (list);
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(CrProblem) p = g_list_model_get_item (list, i);
          g_autofree char *code = cr_code_format (cr_problem_get_system (p), cr_problem_get_code (p));
          g_autofree char *text = code ? g_strdup_printf ("%s %s", cr_problem_get_display (p), code)
                                       : g_strdup (cr_problem_get_display (p));
          g_autofree char *note = NULL;

          if (cr_problem_get_onset_date (p))
            note = g_strdup_printf (cr_problem_get_chronic (p) ? _("chronic, since %s") : _("since %s"),
                                    cr_problem_get_onset_date (p));
          else if (cr_problem_get_chronic (p))
            note = g_strdup (_("chronic"));
          add_line (body, markup, text, note);
        }
      if (n == 0)
        add_line (body, markup, _("None recorded"), NULL);
    }
  else if (g_str_equal (which, "allergies"))
    {
      add_title (out, markup, _("Allergies"));
      list = cr_chart_summary_get_allergies (self->summary);
      n = g_list_model_get_n_items (list);
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(CrAllergy) a = g_list_model_get_item (list, i);
          g_autofree char *note = g_strdup_printf ("%s%s%s",
                                                   cr_allergy_severity_to_string (cr_allergy_get_severity (a)),
                                                   cr_allergy_get_reaction (a) ? ", " : "",
                                                   cr_allergy_get_reaction (a) ? cr_allergy_get_reaction (a) : "");
          add_line (body, markup, cr_allergy_get_substance (a), note);
        }
      if (n == 0)
        add_line (body, markup, _("No known allergies recorded"), NULL);
    }
  else if (g_str_equal (which, "medications"))
    {
      add_title (out, markup, _("Current Medications"));
      list = cr_chart_summary_get_medications (self->summary);
      n = g_list_model_get_n_items (list);
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(CrPrescription) r = g_list_model_get_item (list, i);
          g_autofree char *label = cr_prescription_dup_label (r);
          gboolean is_new = g_strcmp0 (cr_prescription_get_start_date (r), self->recent_since) >= 0;
          g_autofree char *note = is_new ? g_strdup_printf (_("new, started %s"), cr_prescription_get_start_date (r))
                                         : NULL;

          add_line (body, markup, label, note);
        }
      if (n == 0)
        add_line (body, markup, _("None"), NULL);
      for (guint i = 0; i < self->stopped->len; i++)
        {
          CrPrescription *r = g_ptr_array_index (self->stopped, i);
          g_autofree char *label = cr_prescription_dup_label (r);
          g_autofree char *note = g_strdup_printf (_("stopped %s%s%s"), cr_prescription_get_stop_date (r),
                                                   cr_prescription_get_stop_reason (r) ? ": " : "",
                                                   cr_prescription_get_stop_reason (r) ? cr_prescription_get_stop_reason (r) : "");
          add_line (body, markup, label, note);
        }
    }
  else if (g_str_equal (which, "visits"))
    {
      add_title (out, markup, _("Last Visits"));
      list = cr_chart_summary_get_visits (self->summary);
      n = g_list_model_get_n_items (list);
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(CrVisit) v = g_list_model_get_item (list, i);
          GListModel *dx = cr_visit_get_diagnoses (v);
          g_autoptr(GString) what = g_string_new (NULL);
          g_autoptr(GString) how = g_string_new (NULL);
          const char *cc = cr_visit_get_chief_complaint (v);

          g_string_append_printf (what, "%.10s  %s", cr_visit_get_started_at (v), cc ? cc : _("(no chief complaint)"));
          for (guint k = 0; k < g_list_model_get_n_items (dx); k++)
            {
              g_autoptr(CrDiagnosis) d = g_list_model_get_item (dx, k);
              const char *o = cr_diagnosis_get_latest_outcome (d);

              g_string_append_printf (how, "%s%s", how->len ? "; " : "", cr_diagnosis_get_display (d));
              if (o != NULL)
                g_string_append_printf (how, " → %s", o);
            }
          add_line (body, markup, what->str, how->len ? how->str : NULL);
        }
      if (n == 0)
        add_line (body, markup, _("No visits yet"), NULL);
    }
  else if (g_str_equal (which, "follow-ups"))
    {
      add_title (out, markup, _("Overdue Follow-ups"));
      list = cr_chart_summary_get_follow_ups (self->summary);
      n = g_list_model_get_n_items (list);
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(CrFollowUp) f = g_list_model_get_item (list, i);
          g_autofree char *due = g_strdup_printf (_("due %s"), cr_follow_up_get_due_date (f));

          add_line (body, markup, cr_follow_up_get_reason (f) ? cr_follow_up_get_reason (f) : _("Follow-up"), due);
        }
      if (n == 0)
        add_line (body, markup, _("None overdue"), NULL);
    }
  else if (g_str_equal (which, "documents"))
    {
      add_title (out, markup, _("Documents Since the Last Visit"));
      for (guint i = 0; i < self->documents->len; i++)
        {
          CrPrevisitDocument *d = &g_array_index (self->documents, CrPrevisitDocument, i);
          g_autofree char *note = g_strdup_printf ("%s%s%s", d->category ? d->category : "",
                                                   d->category && d->date ? ", " : "", d->date ? d->date : "");

          add_line (body, markup, d->title, *note ? note : NULL);
        }
      if (self->documents->len == 0)
        add_line (body, markup, _("None"), NULL);
    }
  g_string_append_printf (out, "\n%s", body->str);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

CrReportDoc *
cr_report_build_previsit_doc (CrPrevisit *self,
                              const char *practice,
                              CrPatient  *patient)
{
  g_autofree char *identity = patient ? cr_report_patient_identity (patient) : NULL;
  CrReportDoc *doc = cr_report_doc_new (practice, _("Pre-visit Summary"), identity);
  static const char * const sections[] = {
    "problems", "allergies", "medications", "follow-ups", "visits", "documents",
  };

  for (guint i = 0; i < G_N_ELEMENTS (sections); i++)
    {
      g_autofree char *text = cr_previsit_dup_section (self, sections[i], FALSE);
      char *newline = strchr (text, '\n');

      *newline = '\0';
      cr_report_doc_add_heading (doc, text);
      cr_report_doc_add_text (doc, newline + 1);
    }
  cr_report_doc_add_heading (doc, _("Recurring Complaints (3 years)"));
  cr_report_doc_add_chart (doc, self->report, TRUE);
  return doc;
}
