/* widget-util.h: what the widget tests share: waiting for the main loop,
 * reading what a person can see, pressing what a person can press, and
 * rendering a widget to PNG to look at
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

typedef gboolean (*WidgetCondition) (gpointer data);

/* gtk_test_init() and adw_init(), then tolerance for the few GTK warnings
 * that come from running without a window manager, never from our code. */
void        widget_test_init      (int             *argc,
                                   char          ***argv);

/* Runs the main loop for @ms milliseconds. */
void        widget_iterate_for    (guint            ms);
/* Runs the main loop until @condition holds; fails the test after 10 s. */
void        widget_wait_until     (WidgetCondition  condition,
                                   gpointer         data,
                                   const char      *what);

#define WIDGET_WAIT_FOR(cond, timeout_ms)                                   \
  G_STMT_START {                                                            \
    gint64 end_ = g_get_monotonic_time () + (gint64) (timeout_ms) * 1000;   \
    while (!(cond))                                                         \
      {                                                                     \
        if (g_get_monotonic_time () > end_)                                 \
          g_error ("%s:%d: timed out waiting for %s", __FILE__, __LINE__,   \
                   #cond);                                                  \
        widget_iterate_for (10);                                            \
      }                                                                     \
  } G_STMT_END

/* Everything a person can read in @widget now (mapped labels, in order). */
char       *widget_visible_text   (GtkWidget       *widget);
void        widget_assert_shows   (GtkWidget       *widget,
                                   const char      *needle);
void        widget_assert_not_shows (GtkWidget     *widget,
                                     const char    *needle);

/* A mapped button by its label (mnemonics ignored), a mapped label holding
 * @text, the @nth mapped widget of @type (depth-first). */
GtkWidget  *widget_find_button    (GtkWidget       *root,
                                   const char      *label);
GtkWidget  *widget_find_label     (GtkWidget       *root,
                                   const char      *text);
GtkWidget  *widget_find_type      (GtkWidget       *root,
                                   GType            type,
                                   guint            nth);
void        widget_click          (GtkWidget       *root,
                                   const char      *label);
void        widget_type_into      (GtkWidget       *root,
                                   GType            type,
                                   guint            nth,
                                   const char      *text);

/* Renders @widget as GTK draws it to screens/NAME.png in the test's build
 * folder; returns the path (also printed as a test message). */
char       *widget_save_png       (GtkWidget       *widget,
                                   const char      *name);

G_END_DECLS
