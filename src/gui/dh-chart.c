/* dh-chart.c: a small bar chart or histogram
 *
 * snapshot() hands a cairo context to dh_chart_render(), the one function
 * that draws, so a report could draw the same chart into a PDF. Labels are
 * laid out with Pango as plain text (never markup): top names and hosts come
 * straight from the logs. Colours come from the widget's style, so the chart
 * follows the light or dark scheme.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <pango/pangocairo.h>

#include "dh-chart.h"
#include "dh-time.h"

#define ROW_HEIGHT 24.0
#define HIST_HEIGHT 140.0

typedef enum {
  KIND_NONE,
  KIND_BARS,
  KIND_HISTOGRAM,
} Kind;

struct _DhChart
{
  GtkWidget  parent_instance;
  Kind       kind;
  GArray    *bars;        /* DhChartBar */
  GArray    *values;      /* guint, histogram */
  gint64     start;
  gint64     bucket_us;
};

G_DEFINE_FINAL_TYPE (DhChart, dh_chart, GTK_TYPE_WIDGET)

static void
clear_bar (gpointer data)
{
  g_free (((DhChartBar *) data)->label);
}

static void
get_fg (DhChart *self,
        GdkRGBA *fg)
{
  /* 4.8 has no gtk_widget_get_color(); the style context is the way */
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (self)), fg);
  G_GNUC_END_IGNORE_DEPRECATIONS
}

static PangoLayout *
make_layout (DhChart    *self,
             cairo_t    *cr,
             const char *text)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  PangoContext *ctx = gtk_widget_get_pango_context (GTK_WIDGET (self));

  pango_layout_set_font_description (layout, pango_context_get_font_description (ctx));
  pango_layout_set_text (layout, text, -1);
  return layout;
}

static void
render_bars (DhChart *self,
             cairo_t *cr,
             double   width,
             double   height,
             GdkRGBA *fg)
{
  double max = 0;
  double label_w = MIN (260.0, width * 0.45);
  double value_w = 64.0;
  double bar_w = MAX (10.0, width - label_w - value_w - 12);

  for (guint i = 0; i < self->bars->len; i++)
    max = MAX (max, g_array_index (self->bars, DhChartBar, i).value);

  for (guint i = 0; i < self->bars->len; i++)
    {
      const DhChartBar *b = &g_array_index (self->bars, DhChartBar, i);
      double y = i * ROW_HEIGHT;
      g_autoptr(PangoLayout) label = make_layout (self, cr, b->label);
      g_autofree char *value_text = g_strdup_printf ("%.0f", b->value);
      g_autoptr(PangoLayout) value = make_layout (self, cr, value_text);
      int lw, lh;

      pango_layout_set_width (label, (int) ((label_w - 8) * PANGO_SCALE));
      pango_layout_set_ellipsize (label, PANGO_ELLIPSIZE_MIDDLE);
      pango_layout_get_pixel_size (label, &lw, &lh);
      cairo_set_source_rgba (cr, fg->red, fg->green, fg->blue, fg->alpha);
      cairo_move_to (cr, 0, y + (ROW_HEIGHT - lh) / 2);
      pango_cairo_show_layout (cr, label);

      cairo_set_source_rgba (cr, fg->red, fg->green, fg->blue, fg->alpha * 0.08);
      cairo_rectangle (cr, label_w, y + 5, bar_w, ROW_HEIGHT - 10);
      cairo_fill (cr);
      if (max > 0)
        {
          cairo_set_source_rgb (cr, b->rgb[0], b->rgb[1], b->rgb[2]);
          cairo_rectangle (cr, label_w, y + 5, MAX (2.0, bar_w * b->value / max), ROW_HEIGHT - 10);
          cairo_fill (cr);
        }

      pango_layout_get_pixel_size (value, &lw, &lh);
      cairo_set_source_rgba (cr, fg->red, fg->green, fg->blue, fg->alpha * 0.75);
      cairo_move_to (cr, label_w + bar_w + 8, y + (ROW_HEIGHT - lh) / 2);
      pango_cairo_show_layout (cr, value);
    }
}

static void
render_histogram (DhChart *self,
                  cairo_t *cr,
                  double   width,
                  double   height,
                  GdkRGBA *fg)
{
  guint n = self->values->len;
  double plot_h = height - 20;
  guint max = 0;
  char a[DH_TIME_FORMAT_SIZE], b[DH_TIME_FORMAT_SIZE];
  g_autofree char *max_text = NULL;
  g_autoptr(PangoLayout) left = NULL;
  g_autoptr(PangoLayout) right = NULL;
  g_autoptr(PangoLayout) top = NULL;
  int w, h;

  if (n == 0)
    return;
  for (guint i = 0; i < n; i++)
    max = MAX (max, g_array_index (self->values, guint, i));

  for (guint i = 0; i < n && max > 0; i++)
    {
      guint v = g_array_index (self->values, guint, i);
      double bw = width / n;
      double bh = plot_h * v / max;
      if (v == 0)
        continue;
      cairo_set_source_rgb (cr, 0x35 / 255., 0x84 / 255., 0xe4 / 255.);
      cairo_rectangle (cr, i * bw + (bw > 3 ? 0.5 : 0), plot_h - MAX (1.0, bh),
                       MAX (1.0, bw - (bw > 3 ? 1 : 0)), MAX (1.0, bh));
      cairo_fill (cr);
    }
  cairo_set_source_rgba (cr, fg->red, fg->green, fg->blue, fg->alpha * 0.3);
  cairo_rectangle (cr, 0, plot_h, width, 1);
  cairo_fill (cr);

  dh_time_format (self->start, a);
  dh_time_format (self->start + self->bucket_us * n, b);
  left = make_layout (self, cr, a);
  right = make_layout (self, cr, b);
  max_text = g_strdup_printf (_("%u per bucket at most"), max);
  top = make_layout (self, cr, max_text);
  cairo_set_source_rgba (cr, fg->red, fg->green, fg->blue, fg->alpha * 0.7);
  cairo_move_to (cr, 0, plot_h + 2);
  pango_cairo_show_layout (cr, left);
  pango_layout_get_pixel_size (right, &w, &h);
  cairo_move_to (cr, width - w, plot_h + 2);
  pango_cairo_show_layout (cr, right);
  pango_layout_get_pixel_size (top, &w, &h);
  cairo_move_to (cr, width - w, 0);
  pango_cairo_show_layout (cr, top);
}

/**
 * dh_chart_render:
 *
 * Draws the chart in a @width × @height area from the current origin of @cr.
 */
void
dh_chart_render (DhChart *self,
                 cairo_t *cr,
                 double   width,
                 double   height)
{
  GdkRGBA fg;

  get_fg (self, &fg);
  cairo_save (cr);
  if (self->kind == KIND_BARS)
    render_bars (self, cr, width, height, &fg);
  else if (self->kind == KIND_HISTOGRAM)
    render_histogram (self, cr, width, height, &fg);
  cairo_restore (cr);
}

static void
dh_chart_snapshot (GtkWidget   *widget,
                   GtkSnapshot *snapshot)
{
  DhChart *self = DH_CHART (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  cairo_t *cr;

  if (width <= 0 || height <= 0 || self->kind == KIND_NONE)
    return;
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  dh_chart_render (self, cr, width, height);
  cairo_destroy (cr);
}

static void
dh_chart_measure (GtkWidget      *widget,
                  GtkOrientation  orientation,
                  int             for_size,
                  int            *minimum,
                  int            *natural,
                  int            *minimum_baseline,
                  int            *natural_baseline)
{
  DhChart *self = DH_CHART (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 160;
      *natural = 360;
    }
  else if (self->kind == KIND_BARS)
    *minimum = *natural = MAX (1, self->bars->len) * ROW_HEIGHT;
  else
    *minimum = *natural = HIST_HEIGHT;
}

static gboolean
dh_chart_query_tooltip (GtkWidget  *widget,
                        int         x,
                        int         y,
                        gboolean    keyboard,
                        GtkTooltip *tooltip)
{
  DhChart *self = DH_CHART (widget);
  g_autofree char *text = NULL;

  if (self->kind == KIND_BARS)
    {
      guint i = y / ROW_HEIGHT;
      if (i < self->bars->len)
        {
          const DhChartBar *b = &g_array_index (self->bars, DhChartBar, i);
          text = g_strdup_printf ("%s: %.0f", b->label, b->value);
        }
    }
  else if (self->kind == KIND_HISTOGRAM && self->values->len > 0)
    {
      guint i = MIN (self->values->len - 1,
                     (guint) (x * self->values->len / MAX (1, gtk_widget_get_width (widget))));
      char a[DH_TIME_FORMAT_SIZE], b[DH_TIME_FORMAT_SIZE];
      dh_time_format (self->start + self->bucket_us * i, a);
      dh_time_format (self->start + self->bucket_us * (i + 1), b);
      /* Translators: "120 events from 2026-03-02T08:00:00Z to …" */
      text = g_strdup_printf (_("%u events from %s to %s"),
                              g_array_index (self->values, guint, i), a, b);
    }
  if (text == NULL)
    return FALSE;
  gtk_tooltip_set_text (tooltip, text);   /* plain text, not markup */
  return TRUE;
}

static void
dh_chart_finalize (GObject *object)
{
  DhChart *self = DH_CHART (object);

  g_array_unref (self->bars);
  g_array_unref (self->values);
  G_OBJECT_CLASS (dh_chart_parent_class)->finalize (object);
}

static void
dh_chart_class_init (DhChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = dh_chart_finalize;
  widget_class->snapshot = dh_chart_snapshot;
  widget_class->measure = dh_chart_measure;
  widget_class->query_tooltip = dh_chart_query_tooltip;
  gtk_widget_class_set_css_name (widget_class, "dh-chart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
dh_chart_init (DhChart *self)
{
  self->bars = g_array_new (FALSE, TRUE, sizeof (DhChartBar));
  g_array_set_clear_func (self->bars, clear_bar);
  self->values = g_array_new (FALSE, TRUE, sizeof (guint));
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
}

GtkWidget *
dh_chart_new (void)
{
  return g_object_new (DH_TYPE_CHART, NULL);
}

/**
 * dh_chart_set_bars:
 * @bars: (array length=n_bars): labels are copied
 *
 * Shows horizontal bars, one per row, longest = largest value. The chart's
 * accessible description lists the values, for screen readers.
 */
void
dh_chart_set_bars (DhChart          *self,
                   const DhChartBar *bars,
                   guint             n_bars)
{
  g_autoptr(GString) desc = g_string_new (NULL);

  g_array_set_size (self->bars, 0);
  for (guint i = 0; i < n_bars; i++)
    {
      DhChartBar b = bars[i];
      b.label = g_strdup (bars[i].label);
      g_array_append_val (self->bars, b);
      g_string_append_printf (desc, "%s%s: %.0f", i ? ", " : "", b.label, b.value);
    }
  self->kind = KIND_BARS;
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  desc->str, -1);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

void
dh_chart_set_histogram (DhChart     *self,
                        const guint *values,
                        guint        n_values,
                        gint64       start,
                        gint64       bucket_us)
{
  g_array_set_size (self->values, 0);
  g_array_append_vals (self->values, values, n_values);
  self->start = start;
  self->bucket_us = bucket_us;
  self->kind = KIND_HISTOGRAM;
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

void
dh_chart_clear (DhChart *self)
{
  g_array_set_size (self->bars, 0);
  g_array_set_size (self->values, 0);
  self->kind = KIND_NONE;
  gtk_widget_queue_resize (GTK_WIDGET (self));
}
