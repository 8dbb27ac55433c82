/* cr-complaint-chart.c: a patient's recurring complaints on a time axis
 *
 * The drawing is the core's (cr_complaint_chart_draw), shared with the
 * PDF and PNG exports; this widget adds the style's colours, tooltips,
 * clicks (main.open-visit) and the keyboard: Left/Right move between
 * visits, Up/Down between lanes, Enter opens the visit.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cr-complaint-chart"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "cr-complaint-chart.h"
#include "cr-report-export.h"

struct _CrComplaintChart
{
  GtkWidget          parent_instance;

  CrComplaintReport *report;
  gboolean           compact;
  GArray            *marks;   /* CrChartMark, from the last snapshot */
  int                focus;   /* index in marks, or -1 */
};

enum {
  PROP_0,
  PROP_REPORT,
  PROP_COMPACT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (CrComplaintChart, cr_complaint_chart, GTK_TYPE_WIDGET)

static void
get_colors (CrComplaintChart *self,
            CrChartColors    *colors)
{
  GdkRGBA fg;

  if (adw_style_manager_get_dark (adw_style_manager_get_default ()))
    cr_chart_colors_init_dark (colors);
  else
    cr_chart_colors_init_light (colors);

  /* The text colour of the style, so that the chart follows the theme
   * (and high contrast). The background stays the window's. */
  gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (self)), &fg);
  colors->foreground.red = fg.red;
  colors->foreground.green = fg.green;
  colors->foreground.blue = fg.blue;
  colors->foreground.alpha = fg.alpha;
  colors->background.alpha = 0;
}

static const PangoFontDescription *
get_font (CrComplaintChart *self)
{
  return pango_context_get_font_description (gtk_widget_get_pango_context (GTK_WIDGET (self)));
}

static void
cr_complaint_chart_snapshot (GtkWidget   *widget,
                             GtkSnapshot *snapshot)
{
  CrComplaintChart *self = CR_COMPLAINT_CHART (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  CrChartLayout layout = { self->compact, 0, 0, FALSE };
  CrChartColors colors;
  cairo_t *cr;

  if (self->report == NULL || width <= 0 || height <= 0)
    return;

  get_colors (self, &colors);
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  cr_complaint_chart_draw (cr, get_font (self), self->report, &colors, width, height,
                           &layout, self->marks);

  if (self->focus >= (int) self->marks->len)
    self->focus = self->marks->len > 0 ? 0 : -1;
  if (self->focus >= 0 && gtk_widget_has_visible_focus (widget))
    {
      const CrChartMark *m = &g_array_index (self->marks, CrChartMark, self->focus);

      cairo_set_source_rgba (cr, colors.accent.red, colors.accent.green, colors.accent.blue, 1);
      cairo_set_line_width (cr, 2);
      cairo_arc (cr, m->x, m->y, m->radius + 4, 0, 2 * G_PI);
      cairo_stroke (cr);
    }
  cairo_destroy (cr);
}

static void
cr_complaint_chart_measure (GtkWidget      *widget,
                            GtkOrientation  orientation,
                            int             for_size,
                            int            *minimum,
                            int            *natural,
                            int            *minimum_baseline,
                            int            *natural_baseline)
{
  CrComplaintChart *self = CR_COMPLAINT_CHART (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 360;
      *natural = 720;
    }
  else
    {
      CrChartLayout layout = { self->compact, 0, 0, FALSE };
      double h = self->report ? cr_complaint_chart_get_height (self->report, get_font (self), &layout) : 0;

      *minimum = *natural = (int) h;
    }
}

static int
find_mark (CrComplaintChart *self,
           double            x,
           double            y)
{
  int best = -1;
  double best_d = G_MAXDOUBLE;

  for (guint i = 0; i < self->marks->len; i++)
    {
      const CrChartMark *m = &g_array_index (self->marks, CrChartMark, i);
      double d = (m->x - x) * (m->x - x) + (m->y - y) * (m->y - y);
      double reach = m->radius + 4;

      if (d <= reach * reach && d < best_d)
        {
          best = i;
          best_d = d;
        }
    }
  return best;
}

guint
cr_complaint_chart_get_n_marks (CrComplaintChart *self)
{
  g_return_val_if_fail (CR_IS_COMPLAINT_CHART (self), 0);
  return self->marks->len;
}

char *
cr_complaint_chart_dup_mark_text (CrComplaintChart *self,
                                  guint             index)
{
  const CrChartMark *m;
  const CrComplaint *c;
  const CrComplaintEpisode *e;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *title = NULL;

  g_return_val_if_fail (CR_IS_COMPLAINT_CHART (self), NULL);
  if (self->report == NULL || index >= self->marks->len)
    return NULL;

  m = &g_array_index (self->marks, CrChartMark, index);
  c = cr_complaint_report_get_complaint (self->report, m->complaint);
  e = cr_complaint_get_episode (c, m->episode);
  title = cr_complaint_dup_title (c);

  g_string_append_printf (text, "%s\n%s", e->date, title);
  if (e->wording != NULL)
    /* Translators: the complaint in the visit's own words */
    g_string_append_printf (text, _("\n“%s”"), e->wording);
  /* Translators: what was prescribed at a visit */
  g_string_append_printf (text, _("\nPrescribed: %s"), e->prescribed ? e->prescribed : _("nothing"));
  /* Translators: how an episode turned out */
  g_string_append_printf (text, _("\nOutcome: %s"),
                          e->outcomes ? e->outcomes : cr_chart_outcome_label (e->outcome));
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static gboolean
on_query_tooltip (GtkWidget  *widget,
                  int         x,
                  int         y,
                  gboolean    keyboard,
                  GtkTooltip *tooltip,
                  gpointer    user_data)
{
  CrComplaintChart *self = CR_COMPLAINT_CHART (widget);
  int index = keyboard ? self->focus : find_mark (self, x, y);
  g_autofree char *text = NULL;

  if (index < 0)
    return FALSE;
  text = cr_complaint_chart_dup_mark_text (self, index);
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
open_mark (CrComplaintChart *self,
           int               index)
{
  const CrChartMark *m;
  const CrComplaintEpisode *e;

  if (index < 0 || index >= (int) self->marks->len)
    return;
  m = &g_array_index (self->marks, CrChartMark, index);
  e = cr_complaint_get_episode (cr_complaint_report_get_complaint (self->report, m->complaint),
                                m->episode);
  gtk_widget_activate_action (GTK_WIDGET (self), "main.open-visit", "x", e->visit_id);
}

static void
on_click (GtkGestureClick  *gesture,
          int               n_press,
          double            x,
          double            y,
          CrComplaintChart *self)
{
  int index = find_mark (self, x, y);

  if (index < 0)
    return;
  self->focus = index;
  gtk_widget_grab_focus (GTK_WIDGET (self));
  gtk_widget_queue_draw (GTK_WIDGET (self));
  open_mark (self, index);
}

static void
on_motion (GtkEventControllerMotion *motion,
           double                    x,
           double                    y,
           CrComplaintChart         *self)
{
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), find_mark (self, x, y) >= 0 ? "pointer" : NULL);
}

/* The next mark in a direction: along the lane, or the nearest in time
 * on the lane above or below. */
static int
step_focus (CrComplaintChart *self,
            int               dx,
            int               dy)
{
  const CrChartMark *cur;
  int best = -1;
  double best_d = G_MAXDOUBLE;

  if (self->marks->len == 0)
    return -1;
  if (self->focus < 0)
    return 0;
  cur = &g_array_index (self->marks, CrChartMark, self->focus);
  if (dx != 0)
    {
      int next = self->focus + dx;

      if (next >= 0 && next < (int) self->marks->len &&
          g_array_index (self->marks, CrChartMark, next).complaint == cur->complaint)
        return next;
      return self->focus;
    }
  for (guint i = 0; i < self->marks->len; i++)
    {
      const CrChartMark *m = &g_array_index (self->marks, CrChartMark, i);
      double lane_gap = (m->y - cur->y) * dy;

      if (lane_gap <= 1)
        continue;
      /* The nearest lane first, then the nearest in time. */
      if (lane_gap * 10000 + ABS (m->x - cur->x) < best_d)
        {
          best_d = lane_gap * 10000 + ABS (m->x - cur->x);
          best = i;
        }
    }
  return best >= 0 ? best : self->focus;
}

static gboolean
on_key (GtkEventControllerKey *key,
        guint                  keyval,
        guint                  keycode,
        GdkModifierType        state,
        CrComplaintChart      *self)
{
  int next;

  switch (keyval)
    {
    case GDK_KEY_Left:
      next = step_focus (self, -1, 0);
      break;
    case GDK_KEY_Right:
      next = step_focus (self, 1, 0);
      break;
    case GDK_KEY_Up:
      next = step_focus (self, 0, -1);
      break;
    case GDK_KEY_Down:
      next = step_focus (self, 0, 1);
      break;
    case GDK_KEY_Return:
    case GDK_KEY_KP_Enter:
    case GDK_KEY_space:
      open_mark (self, self->focus);
      return TRUE;
    default:
      return FALSE;
    }
  if (next >= 0)
    {
      g_autofree char *text = NULL;

      self->focus = next;
      text = cr_complaint_chart_dup_mark_text (self, next);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self), text);
      gtk_widget_trigger_tooltip_query (GTK_WIDGET (self));
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
  return TRUE;
}

static void
on_dark_changed (CrComplaintChart *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
cr_complaint_chart_dispose (GObject *object)
{
  CrComplaintChart *self = CR_COMPLAINT_CHART (object);

  g_clear_pointer (&self->report, cr_complaint_report_unref);
  G_OBJECT_CLASS (cr_complaint_chart_parent_class)->dispose (object);
}

static void
cr_complaint_chart_finalize (GObject *object)
{
  CrComplaintChart *self = CR_COMPLAINT_CHART (object);

  g_array_unref (self->marks);
  G_OBJECT_CLASS (cr_complaint_chart_parent_class)->finalize (object);
}

static void
cr_complaint_chart_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  CrComplaintChart *self = CR_COMPLAINT_CHART (object);

  switch (prop_id)
    {
    case PROP_REPORT:
      g_value_set_boxed (value, self->report);
      break;
    case PROP_COMPACT:
      g_value_set_boolean (value, self->compact);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cr_complaint_chart_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  CrComplaintChart *self = CR_COMPLAINT_CHART (object);

  switch (prop_id)
    {
    case PROP_REPORT:
      cr_complaint_chart_set_report (self, g_value_get_boxed (value));
      break;
    case PROP_COMPACT:
      cr_complaint_chart_set_compact (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cr_complaint_chart_class_init (CrComplaintChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cr_complaint_chart_dispose;
  object_class->finalize = cr_complaint_chart_finalize;
  object_class->get_property = cr_complaint_chart_get_property;
  object_class->set_property = cr_complaint_chart_set_property;
  widget_class->snapshot = cr_complaint_chart_snapshot;
  widget_class->measure = cr_complaint_chart_measure;

  properties[PROP_REPORT] =
    g_param_spec_boxed ("report", NULL, NULL, CR_TYPE_COMPLAINT_REPORT,
                        G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_COMPACT] =
    g_param_spec_boolean ("compact", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "complaint-chart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
cr_complaint_chart_init (CrComplaintChart *self)
{
  GtkGesture *click = gtk_gesture_click_new ();
  GtkEventController *motion = gtk_event_controller_motion_new ();
  GtkEventController *key = gtk_event_controller_key_new ();

  self->marks = g_array_new (FALSE, FALSE, sizeof (CrChartMark));
  self->focus = -1;

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  g_signal_connect (self, "query-tooltip", G_CALLBACK (on_query_tooltip), NULL);
  g_signal_connect (click, "pressed", G_CALLBACK (on_click), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
  g_signal_connect (motion, "motion", G_CALLBACK (on_motion), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);
  g_signal_connect (key, "key-pressed", G_CALLBACK (on_key), self);
  gtk_widget_add_controller (GTK_WIDGET (self), key);
  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (on_dark_changed), self, G_CONNECT_SWAPPED);
}

GtkWidget *
cr_complaint_chart_new (void)
{
  return g_object_new (CR_TYPE_COMPLAINT_CHART, NULL);
}

CrComplaintReport *
cr_complaint_chart_get_report (CrComplaintChart *self)
{
  g_return_val_if_fail (CR_IS_COMPLAINT_CHART (self), NULL);
  return self->report;
}

void
cr_complaint_chart_set_report (CrComplaintChart  *self,
                               CrComplaintReport *report)
{
  g_return_if_fail (CR_IS_COMPLAINT_CHART (self));

  if (self->report == report)
    return;
  g_clear_pointer (&self->report, cr_complaint_report_unref);
  if (report != NULL)
    self->report = cr_complaint_report_ref (report);
  g_array_set_size (self->marks, 0);
  self->focus = -1;

  if (report != NULL)
    {
      g_autofree char *left_out = cr_complaint_report_dup_left_out_text (report);
      g_autofree char *label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                             "Chart of %u recurring complaint",
                                                             "Chart of %u recurring complaints",
                                                             cr_complaint_report_get_n_recurring (report)),
                                                cr_complaint_report_get_n_recurring (report));

      gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                      left_out ? left_out : "", -1);
    }
  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REPORT]);
}

gboolean
cr_complaint_chart_get_compact (CrComplaintChart *self)
{
  g_return_val_if_fail (CR_IS_COMPLAINT_CHART (self), FALSE);
  return self->compact;
}

void
cr_complaint_chart_set_compact (CrComplaintChart *self,
                                gboolean          compact)
{
  g_return_if_fail (CR_IS_COMPLAINT_CHART (self));

  compact = !!compact;
  if (self->compact == compact)
    return;
  self->compact = compact;
  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPACT]);
}
