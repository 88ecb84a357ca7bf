/* dh-timeline-render.c: a host's queries over time, drawn with cairo
 *
 * One drawing function for every place the chart appears: the window's
 * timeline widget calls it from its snapshot (through
 * gtk_snapshot_append_cairo), the HTML report through a cairo SVG surface and
 * the PDF report on its page. Bars are queries per time bucket stacked by
 * response code; alert episodes are bands behind them. Colours are Paul
 * Tol's colour-blind-safe set, dark enough for white paper. No string from a
 * log is drawn: only times, counts and rule ids.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include <glib/gi18n.h>
#include <pango/pangocairo.h>

#include "dh-rule-book.h"
#include "dh-time.h"
#include "dh-timeline-render.h"

typedef struct
{
  double r, g, b;
} Rgb;

static const Rgb stack_colors[DH_TIMELINE_N_STACKS] = {
  { 0x44 / 255., 0x77 / 255., 0xaa / 255. },   /* NOERROR: blue */
  { 0xee / 255., 0x77 / 255., 0x33 / 255. },   /* NXDOMAIN: orange */
  { 0xaa / 255., 0x33 / 255., 0x77 / 255. },   /* other: purple */
};
static const Rgb band_color = { 0xcc / 255., 0x33 / 255., 0x11 / 255. };
static const Rgb text_color = { 0.2, 0.2, 0.2 };
static const Rgb grid_color = { 0.85, 0.85, 0.85 };

/* Bucket widths and label intervals, in seconds. */
static const gint64 nice_steps[] = {
  1, 2, 5, 10, 15, 30, 60, 2 * 60, 5 * 60, 10 * 60, 15 * 60, 30 * 60, 3600, 2 * 3600,
  3 * 3600, 6 * 3600, 12 * 3600, 86400, 2 * 86400, 7 * 86400, 14 * 86400, 28 * 86400,
};

static gint64
floor_div (gint64 a,
           gint64 b)
{
  gint64 q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

static gint64
choose_step (gint64 span,
             guint  max_steps)
{
  max_steps = MAX (max_steps, 2);
  for (guint i = 0; i < G_N_ELEMENTS (nice_steps); i++)
    {
      gint64 step = nice_steps[i] * DH_USEC_PER_SEC;
      if (span / step + 2 <= max_steps)
        return step;
    }
  /* very long ranges: whole days */
  return (span / (max_steps - 1) / (86400 * DH_USEC_PER_SEC) + 1) * 86400 * DH_USEC_PER_SEC;
}

/**
 * dh_timeline_buckets_for_width:
 * @width: the chart's width in user units
 *
 * Returns: how many buckets suit a chart this wide (bars about 5 units)
 */
guint
dh_timeline_buckets_for_width (double width)
{
  return (guint) CLAMP (width / 5, 10, 2000);
}

/**
 * dh_timeline_bins_new:
 * @store: the events
 * @host: string id of the host, or %DH_TIMELINE_ALL_HOSTS
 * @start: first time shown, µs
 * @end: last time shown, µs; an empty range is widened to one minute
 * @max_buckets: at most this many buckets (see dh_timeline_buckets_for_width())
 *
 * Counts the host's queries per bucket of a round width. One pass over the
 * store, so a widget can keep the result and redraw from it.
 *
 * Returns: (transfer full): the counts
 */
DhTimelineBins *
dh_timeline_bins_new (DhEventStore *store,
                      guint32       host,
                      gint64        start,
                      gint64        end,
                      guint         max_buckets)
{
  return dh_timeline_bins_new_for_events (store, NULL, 0, host, start, end, max_buckets);
}

/**
 * dh_timeline_bins_new_for_events:
 * @events: (array length=n_events) (nullable): indices of the events to look
 *   at (a host's, say), to spare a pass over the whole store; %NULL for all
 *
 * As dh_timeline_bins_new().
 */
DhTimelineBins *
dh_timeline_bins_new_for_events (DhEventStore  *store,
                                 const guint32 *indices,
                                 guint          n_indices,
                                 guint32        host,
                                 gint64         start,
                                 gint64         end,
                                 guint          max_buckets)
{
  DhTimelineBins *bins = g_new0 (DhTimelineBins, 1);
  const DhEvent *all = dh_event_store_get_events (store);
  guint n_events = indices ? n_indices : dh_event_store_get_n_events (store);

  if (end <= start)
    {
      start -= 30 * DH_USEC_PER_SEC;
      end += 30 * DH_USEC_PER_SEC;
    }
  bins->start = start;
  bins->end = end;
  bins->bucket = choose_step (end - start, max_buckets);
  bins->first = floor_div (start, bins->bucket) * bins->bucket;
  bins->n_buckets = (guint) ((end - bins->first) / bins->bucket) + 1;
  bins->counts = g_new0 (guint, (gsize) bins->n_buckets * DH_TIMELINE_N_STACKS);

  bins->host = host;
  for (guint i = 0; i < n_events; i++)
    {
      const DhEvent *ev = &all[indices ? indices[i] : i];
      DhTimelineStack stack;
      guint b;

      if ((host != DH_TIMELINE_ALL_HOSTS && ev->host != host) || ev->time < start ||
          ev->time > end)
        continue;
      b = (guint) ((ev->time - bins->first) / bins->bucket);
      stack = dh_timeline_class_of (ev->rcode);
      bins->counts[b * DH_TIMELINE_N_STACKS + stack]++;
      bins->total++;
    }
  for (guint b = 0; b < bins->n_buckets; b++)
    bins->max_total = MAX (bins->max_total, dh_timeline_bins_get_total (bins, b));
  return bins;
}

void
dh_timeline_bins_free (DhTimelineBins *bins)
{
  if (bins == NULL)
    return;
  g_free (bins->counts);
  g_free (bins);
}

guint
dh_timeline_bins_get (const DhTimelineBins *bins,
                      guint                 bucket,
                      DhTimelineStack       stack)
{
  g_return_val_if_fail (bucket < bins->n_buckets && stack < DH_TIMELINE_N_STACKS, 0);
  return bins->counts[bucket * DH_TIMELINE_N_STACKS + stack];
}

guint
dh_timeline_bins_get_total (const DhTimelineBins *bins,
                            guint                 bucket)
{
  guint total = 0;

  for (guint s = 0; s < DH_TIMELINE_N_STACKS; s++)
    total += dh_timeline_bins_get (bins, bucket, s);
  return total;
}

static void
set_rgb (cairo_t   *cr,
         const Rgb *c,
         double     alpha)
{
  cairo_set_source_rgba (cr, c->r, c->g, c->b, alpha);
}

static char *
format_step (gint64 step)
{
  gint64 s = step / DH_USEC_PER_SEC;

  if (s % 86400 == 0)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d day", "%d days", s / 86400),
                            (int) (s / 86400));
  if (s % 3600 == 0)
    return g_strdup_printf (_("%d h"), (int) (s / 3600));
  if (s % 60 == 0)
    return g_strdup_printf (_("%d min"), (int) (s / 60));
  return g_strdup_printf (_("%d s"), (int) s);
}

static char *
format_tick (gint64   t,
             gint64   interval,
             gboolean show_date)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (floor_div (t, DH_USEC_PER_SEC));

  if (dt == NULL)
    return g_strdup ("");
  if (interval % (86400 * DH_USEC_PER_SEC) == 0 ||
      (show_date && g_date_time_get_hour (dt) == 0 && g_date_time_get_minute (dt) == 0 &&
       g_date_time_get_second (dt) == 0))
    return g_date_time_format (dt, "%b %d");
  if (interval < 60 * DH_USEC_PER_SEC)
    return g_date_time_format (dt, "%H:%M:%S");
  return g_date_time_format (dt, "%H:%M");
}

struct _DhTimelineText
{
  DhTimelineTextFunc  func;
  gpointer            data;
  GHashTable         *sizes;   /* "size\ntext" -> TextSize */
};

typedef struct
{
  int w, h;           /* pixels, as pango_layout_get_pixel_size() */
  int width;          /* Pango units */
  int baseline;
} TextSize;

/* What the chart writes with: a layout, and where the text goes. */
typedef struct
{
  PangoLayout          *layout;
  int                   size;    /* of the font, Pango units */
  const DhTimelineText *text;    /* or NULL: draw the text */
} Pen;

static void
pen_set_font (Pen    *pen,
              double  size)
{
  PangoFontDescription *desc = pango_font_description_from_string ("Sans");

  pen->size = (int) (size * PANGO_SCALE);
  pango_font_description_set_absolute_size (desc, pen->size);
  pango_layout_set_font_description (pen->layout, desc);
  pango_font_description_free (desc);
}

/* Measures @text; the size is kept when the charts share a DhTimelineText. */
static const TextSize *
measure (Pen        *pen,
         const char *text,
         TextSize   *buf)
{
  g_autofree char *key = NULL;
  TextSize *known;

  if (pen->text)
    {
      key = g_strdup_printf ("%d\n%s", pen->size, text);
      known = g_hash_table_lookup (pen->text->sizes, key);
      if (known)
        return known;
    }
  /* measured and then shown: keep the layout when the text is the same */
  if (g_strcmp0 (pango_layout_get_text (pen->layout), text) != 0)
    pango_layout_set_text (pen->layout, text, -1);
  pango_layout_get_pixel_size (pen->layout, &buf->w, &buf->h);
  pango_layout_get_size (pen->layout, &buf->width, NULL);
  buf->baseline = pango_layout_get_baseline (pen->layout);
  if (key)
    {
      known = g_memdup2 (buf, sizeof *buf);
      g_hash_table_insert (pen->text->sizes, g_steal_pointer (&key), known);
      return known;
    }
  return buf;
}

static void
text_size (Pen        *pen,
           const char *text,
           int        *w,
           int        *h)
{
  TextSize buf;
  const TextSize *size = measure (pen, text, &buf);

  *w = size->w;
  *h = size->h;
}

/* Draws @text with its top left corner at @x, @y in the current colour, or
 * hands it to the pen's text function. */
static void
show_text (cairo_t    *cr,
           Pen        *pen,
           const char *text,
           double      x,
           double      y)
{
  if (pen->text)
    {
      TextSize buf;
      const TextSize *size = measure (pen, text, &buf);
      double rgb[3] = { 0, 0, 0 }, alpha;

      cairo_pattern_get_rgba (cairo_get_source (cr), &rgb[0], &rgb[1], &rgb[2], &alpha);
      pen->text->func (text, x, y + size->baseline / (double) PANGO_SCALE,
                       size->width / (double) PANGO_SCALE, pen->size / (double) PANGO_SCALE,
                       rgb, pen->text->data);
      return;
    }
  if (g_strcmp0 (pango_layout_get_text (pen->layout), text) != 0)
    pango_layout_set_text (pen->layout, text, -1);
  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, pen->layout);
}

static double
nice_ceiling_step (double value)
{
  double mag = pow (10, floor (log10 (value)));
  double norm = value / mag;

  return (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 5 ? 5 : 10) * mag;
}

/* Draws the legend along the top; returns its height. */
static double
draw_legend (cairo_t              *cr,
             Pen                  *pen,
             double                width,
             const DhTimelineBins *bins,
             double                font)
{
  const char *labels[] = { "NOERROR", "NXDOMAIN", _("other"), _("alert") };
  g_autofree char *step = format_step (bins->bucket);
  g_autofree char *caption = g_strdup_printf (_("Queries per %s (UTC)"), step);
  double sw = font * 0.9, gap = font * 0.4, pad = font;
  double legend_w = 0, x;
  int widths[G_N_ELEMENTS (labels)];
  int w, h, ch;

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    {
      text_size (pen, labels[i], &widths[i], &h);
      legend_w += sw + gap + widths[i] + (i ? pad : 0);
    }
  text_size (pen, caption, &w, &ch);

  set_rgb (cr, &text_color, 1);
  if (w + pad + legend_w + font * 0.5 <= width)
    show_text (cr, pen, caption, font * 0.3, 0);

  x = MAX (0, width - legend_w - font * 0.5);
  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    {
      double y = (ch - sw) / 2;
      if (i < DH_TIMELINE_N_STACKS)
        {
          set_rgb (cr, &stack_colors[i], 1);
          cairo_rectangle (cr, x, y, sw, sw);
          cairo_fill (cr);
        }
      else
        {
          set_rgb (cr, &band_color, 0.16);
          cairo_rectangle (cr, x, y, sw, sw);
          cairo_fill (cr);
          set_rgb (cr, &band_color, 1);
          cairo_rectangle (cr, x, y, sw, sw * 0.3);
          cairo_fill (cr);
        }
      x += sw + gap;
      set_rgb (cr, &text_color, 1);
      show_text (cr, pen, labels[i], x, 0);
      x += widths[i] + pad;
    }
  return ch + font * 0.6;
}

typedef struct
{
  double x0, x1;
} Span;

#define BAND_ALPHA 0.14

typedef struct
{
  guint start;
  guint end;
  guint depth;
} Run;

static int
compare_runs (gconstpointer a,
              gconstpointer b)
{
  const Run *x = a, *y = b;

  if (x->depth != y->depth)
    return x->depth < y->depth ? -1 : 1;
  return x->start < y->start ? -1 : (x->start > y->start);
}

/* Alert episodes behind the bars, at least 3 units wide. Bands are summed per
 * unit of width, and the runs of each depth are filled together: n layers of
 * alpha a look like one of 1 - (1 - a)^n, so the chart looks as if each band
 * were laid over the others, but its drawing is never bigger than the plot
 * is wide, however many alerts the host has. Drawn within the plot, so no
 * clip is needed (a vector surface writes one for each fill it clips). */
static void
draw_bands (cairo_t               *cr,
            const DhTimelineBins  *bins,
            const DhAlert * const *alerts,
            guint                  n_alerts,
            double                 px,
            double                 py,
            double                 pw,
            double                 ph,
            double                 xscale)
{
  guint n_cols = (guint) ceil (pw);
  g_autofree int *delta = g_new0 (int, n_cols + 1);
  g_autoptr(GArray) runs = g_array_new (FALSE, FALSE, sizeof (Run));
  guint depth = 0;
  Run run = { 0, 0, 0 };

  for (guint i = 0; alerts && i < n_alerts; i++)
    {
      double x0, x1;
      guint c0, c1;

      if (bins->host != DH_TIMELINE_ALL_HOSTS && alerts[i]->host != bins->host)
        continue;
      x0 = (alerts[i]->first_seen - bins->start) * xscale;
      x1 = (alerts[i]->last_seen - bins->start) * xscale;
      if (x1 - x0 < 3)
        {
          double mid = (x0 + x1) / 2;
          x0 = mid - 1.5;
          x1 = mid + 1.5;
        }
      c0 = (guint) CLAMP (round (x0), 0, n_cols);
      c1 = (guint) CLAMP (round (x1), 0, n_cols);
      if (c1 <= c0)
        continue;  /* outside the plot */
      delta[c0]++;
      delta[c1]--;
    }

  for (guint c = 0; c <= n_cols; c++)
    {
      depth += delta[c];
      if (c < n_cols && depth == run.depth)
        continue;
      if (run.depth > 0)
        {
          run.end = c;
          g_array_append_val (runs, run);
        }
      run.start = c;
      run.depth = depth;
    }
  if (runs->len == 0)
    return;

#define RUN_X(col) (px + MIN ((double) (col), pw))
  g_array_sort (runs, compare_runs);
  for (guint i = 0; i < runs->len; i++)
    {
      const Run *r = &g_array_index (runs, Run, i);

      cairo_rectangle (cr, RUN_X (r->start), py, RUN_X (r->end) - RUN_X (r->start), ph);
      if (i + 1 == runs->len || g_array_index (runs, Run, i + 1).depth != r->depth)
        {
          set_rgb (cr, &band_color, 1 - pow (1 - BAND_ALPHA, r->depth));
          cairo_fill (cr);
        }
    }

  /* the marks along the top, where any band is */
  depth = 0;
  for (guint c = 0; c <= n_cols; c++)
    {
      guint before = depth;

      depth += delta[c];
      if (before == 0 && depth > 0)
        run.start = c;
      else if (before > 0 && depth == 0)
        cairo_rectangle (cr, RUN_X (run.start), py, RUN_X (c) - RUN_X (run.start), 3);
    }
  set_rgb (cr, &band_color, 1);
  cairo_fill (cr);
#undef RUN_X
}

/**
 * dh_timeline_render_bins:
 * @cr: where to draw, with (0, 0) the chart's top left corner
 * @width: the chart's width in user units
 * @height: the chart's height
 * @bins: the counts, from dh_timeline_bins_new()
 * @alerts: (array length=n_alerts) (nullable): episodes to show as bands
 * @n_alerts: how many
 *
 * Draws the chart on a white background. Text is set with Pango at a size
 * that follows @height (8 to 11 units), so a caller drawing in pixels or in
 * points gets a readable chart either way.
 */
void
dh_timeline_render_bins (cairo_t               *cr,
                         double                 width,
                         double                 height,
                         const DhTimelineBins  *bins,
                         const DhAlert * const *alerts,
                         guint                  n_alerts)
{
  dh_timeline_render_bins_full (cr, width, height, bins, alerts, n_alerts, NULL);
}

/**
 * dh_timeline_text_new:
 * @func: called for each text of a chart instead of drawing it, in the order
 *   it would be drawn (over everything else)
 * @user_data: for @func
 *
 * Where the text of charts goes when it is not drawn: for an SVG that shows
 * its text as text elements (a cairo SVG surface writes every glyph's outline
 * into every file, which costs more than all the rest of a chart). The text
 * is measured and placed just as when drawn, and each text's size is kept
 * for the next chart, so use one only for charts drawn alike (on the same
 * kind of surface, unscaled).
 *
 * Returns: (transfer full): a new text sink
 */
DhTimelineText *
dh_timeline_text_new (DhTimelineTextFunc func,
                      gpointer           user_data)
{
  DhTimelineText *text = g_new0 (DhTimelineText, 1);

  text->func = func;
  text->data = user_data;
  text->sizes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return text;
}

void
dh_timeline_text_free (DhTimelineText *text)
{
  if (text == NULL)
    return;
  g_hash_table_unref (text->sizes);
  g_free (text);
}

/**
 * dh_timeline_render_bins_full:
 * @text: (nullable): where the text goes instead of being drawn
 *
 * dh_timeline_render_bins() with its text handed to @text.
 */
void
dh_timeline_render_bins_full (cairo_t               *cr,
                              double                 width,
                              double                 height,
                              const DhTimelineBins  *bins,
                              const DhAlert * const *alerts,
                              guint                  n_alerts,
                              const DhTimelineText  *text)
{
  g_autoptr(PangoLayout) layout = NULL;
  Pen pen = { NULL, 0, text };
  double font = CLAMP (round (height / 16), 8, 11);
  double legend_h, px, py, pw, ph, top, ystep, xscale;
  gint64 span = bins->end - bins->start, interval = 0;
  gboolean multi_day;
  Span rows[2][64];
  guint n_rows[2] = { 0, 0 };
  int w, h, label_w = 0;
  char buf[32];

  cairo_save (cr);
  cairo_rectangle (cr, 0, 0, width, height);
  cairo_clip (cr);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);

  layout = pango_cairo_create_layout (cr);
  pen.layout = layout;
  pen_set_font (&pen, font);

  legend_h = draw_legend (cr, &pen, width, bins, font);

  /* y axis: a round top with three to five grid lines */
  ystep = bins->max_total > 0 ? nice_ceiling_step (bins->max_total / 4.0) : 1;
  ystep = MAX (ystep, 1);
  top = MAX (ceil (bins->max_total / ystep) * ystep, ystep);
  for (double v = 0; v <= top + 0.5; v += ystep)
    {
      g_snprintf (buf, sizeof buf, "%.0f", v);
      text_size (&pen, buf, &w, &h);
      label_w = MAX (label_w, w);
    }
  /* at least five digits wide, so the plot area does not depend on the
   * counts and dh_timeline_layout() can tell it beforehand */
  text_size (&pen, "00000", &w, &h);
  label_w = MAX (label_w, w);
  text_size (&pen, "00:00", &w, &h);
  px = label_w + font * 0.6;
  py = legend_h;
  pw = MAX (width - px - font * 0.5, 10);
  ph = MAX (height - py - h - font * 0.5, 10);
  xscale = pw / (double) span;
#define XOF(t) (px + ((t) - bins->start) * xscale)

  cairo_set_line_width (cr, 1);
  for (double v = 0; v <= top + 0.5; v += ystep)
    {
      double y = round (py + ph - v / top * ph) + 0.5;
      set_rgb (cr, &grid_color, 1);
      cairo_move_to (cr, px, y);
      cairo_line_to (cr, px + pw, y);
      cairo_stroke (cr);
      g_snprintf (buf, sizeof buf, "%.0f", v);
      text_size (&pen, buf, &w, &h);
      set_rgb (cr, &text_color, 1);
      show_text (cr, &pen, buf, px - font * 0.4 - w, y - h / 2.0);
    }

  draw_bands (cr, bins, alerts, n_alerts, px, py, pw, ph, xscale);

  cairo_save (cr);
  cairo_rectangle (cr, px, py, pw, ph);
  cairo_clip (cr);

  /* one path per stack: smaller SVG and PDF output than a fill per bar */
  for (guint st = 0; st < DH_TIMELINE_N_STACKS; st++)
    {
      for (guint b = 0; b < bins->n_buckets; b++)
        {
          gint64 t = bins->first + (gint64) b * bins->bucket;
          double x0 = XOF (t), x1 = XOF (t + bins->bucket);
          double below = 0, bh;
          guint n = dh_timeline_bins_get (bins, b, st);

          if (n == 0)
            continue;
          for (guint k = 0; k < st; k++)
            below += dh_timeline_bins_get (bins, b, k);
          if (x1 - x0 > 3)
            x1 -= MIN (1, (x1 - x0) * 0.15);  /* a hairline between bars */
          bh = n / top * ph;
          cairo_rectangle (cr, x0, py + ph - below / top * ph - bh, x1 - x0, bh);
        }
      set_rgb (cr, &stack_colors[st], 1);
      cairo_fill (cr);
    }

  /* rule ids over their bands, on two rows, skipped where they would collide */
  pen_set_font (&pen, font - 1);
  {
    /* The same rule's id at the same place is shown once, and each id is
     * measured once: a host with thousands of alerts costs a pass over them,
     * not thousands of layouts. */
    guint n_cols = (guint) ceil (pw) + 1;
    g_autofree guint8 *shown = g_new0 (guint8, (gsize) n_cols * DH_N_RULES);
    int id_w[DH_N_RULES], id_h[DH_N_RULES];

    for (guint k = 0; k < DH_N_RULES; k++)
      id_w[k] = -1;
    for (guint i = 0; alerts && i < n_alerts; i++)
      {
        DhRuleKind kind = alerts[i]->rule;
        const char *id;
        double x;
        guint col;

        if ((bins->host != DH_TIMELINE_ALL_HOSTS && alerts[i]->host != bins->host) ||
            kind >= DH_N_RULES)
          continue;
        if (n_rows[0] == G_N_ELEMENTS (rows[0]) && n_rows[1] == G_N_ELEMENTS (rows[1]))
          break;
        id = dh_rule_kind_to_id (kind);
        if (id_w[kind] < 0)
          text_size (&pen, id, &id_w[kind], &id_h[kind]);
        w = id_w[kind];
        h = id_h[kind];
        x = CLAMP (XOF (alerts[i]->first_seen) + 3, px + 2, px + pw - w - 2);
        col = (guint) CLAMP (round (x - px), 0, n_cols - 1);
        if (shown[col * DH_N_RULES + kind])
          continue;
        shown[col * DH_N_RULES + kind] = 1;
        for (guint r = 0; r < 2; r++)
          {
            gboolean free_here = n_rows[r] < G_N_ELEMENTS (rows[r]);
            for (guint k = 0; free_here && k < n_rows[r]; k++)
              if (x < rows[r][k].x1 + 4 && x + w > rows[r][k].x0 - 4)
                free_here = FALSE;
            if (!free_here)
              continue;
            rows[r][n_rows[r]++] = (Span) { x, x + w };
            cairo_set_source_rgba (cr, 1, 1, 1, 0.8);
            cairo_rectangle (cr, x - 1, py + 4 + r * (h + 1), w + 2, h);
            cairo_fill (cr);
            set_rgb (cr, &band_color, 1);
            show_text (cr, &pen, id, x, py + 4 + r * (h + 1));
            break;
          }
      }
  }
  cairo_restore (cr);

  if (bins->total == 0)
    {
      const char *empty = _("No queries in this range");
      text_size (&pen, empty, &w, &h);
      set_rgb (cr, &text_color, 1);
      show_text (cr, &pen, empty, px + (pw - w) / 2, py + (ph - h) / 2);
    }

  /* baseline and time labels, at round UTC times far enough apart */
  set_rgb (cr, &text_color, 1);
  cairo_move_to (cr, px, round (py + ph) + 0.5);
  cairo_line_to (cr, px + pw, round (py + ph) + 0.5);
  cairo_stroke (cr);

  pen_set_font (&pen, font);
  multi_day = floor_div (bins->start, 86400 * DH_USEC_PER_SEC) !=
              floor_div (bins->end, 86400 * DH_USEC_PER_SEC);
  text_size (&pen, span < 120 * DH_USEC_PER_SEC ? "00:00:00" : "Mar 00", &w, &h);
  for (guint i = 0; i < G_N_ELEMENTS (nice_steps); i++)
    {
      interval = nice_steps[i] * DH_USEC_PER_SEC;
      if (interval * xscale >= w + font * 2)
        break;
    }
  for (gint64 t = (floor_div (bins->start, interval) + 1) * interval; t <= bins->end;
       t += interval)
    {
      g_autofree char *label = format_tick (t, interval, multi_day);
      double x = XOF (t);
      int lw, lh;
      text_size (&pen, label, &lw, &lh);
      if (x - lw / 2.0 < px - label_w || x + lw / 2.0 > width)
        continue;
      cairo_move_to (cr, round (x) + 0.5, round (py + ph));
      cairo_line_to (cr, round (x) + 0.5, round (py + ph) + 3);
      cairo_stroke (cr);
      show_text (cr, &pen, label, x - lw / 2.0, py + ph + 3);
    }
#undef XOF
  cairo_restore (cr);
}

/**
 * dh_timeline_render:
 * @cr: where to draw, with (0, 0) the chart's top left corner
 * @width: the chart's width in user units
 * @height: the chart's height
 * @store: the events
 * @host: string id of the host (an alert's `host`), or %DH_TIMELINE_ALL_HOSTS
 * @start: first time shown, µs
 * @end: last time shown, µs
 * @alerts: (array length=n_alerts) (nullable): episodes to show as bands
 * @n_alerts: how many
 *
 * Counts and draws in one call; see dh_timeline_bins_new() and
 * dh_timeline_render_bins() to count once and draw often.
 */
void
dh_timeline_render (cairo_t               *cr,
                    double                 width,
                    double                 height,
                    DhEventStore          *store,
                    guint32                host,
                    gint64                 start,
                    gint64                 end,
                    const DhAlert * const *alerts,
                    guint                  n_alerts)
{
  g_autoptr(DhTimelineBins) bins =
    dh_timeline_bins_new (store, host, start, end, dh_timeline_buckets_for_width (width));

  dh_timeline_render_bins (cr, width, height, bins, alerts, n_alerts);
}

/* ---- what the window needs around the same drawing -------------------- */

static const char *class_names[DH_TIMELINE_N_STACKS] = { "NOERROR", "NXDOMAIN", N_("other") };

DhTimelineClass
dh_timeline_class_of (guint rcode)
{
  return rcode == DH_RCODE_NOERROR ? DH_TIMELINE_NOERROR :
         rcode == DH_RCODE_NXDOMAIN ? DH_TIMELINE_NXDOMAIN : DH_TIMELINE_OTHER;
}

const char *
dh_timeline_class_name (DhTimelineClass klass)
{
  g_return_val_if_fail (klass < DH_TIMELINE_N_CLASSES, "");
  return klass == DH_TIMELINE_OTHER ? _(class_names[klass]) : class_names[klass];
}

void
dh_timeline_class_color (DhTimelineClass klass,
                         double          rgb[3])
{
  g_return_if_fail (klass < DH_TIMELINE_N_CLASSES);
  rgb[0] = stack_colors[klass].r;
  rgb[1] = stack_colors[klass].g;
  rgb[2] = stack_colors[klass].b;
}

/**
 * dh_severity_color:
 *
 * The colour of a severity, readable on light and dark backgrounds alike.
 */
void
dh_severity_color (DhSeverity severity,
                   double     rgb[3])
{
  static const double colors[][3] = {
    { 0xe5 / 255., 0xa5 / 255., 0x0a / 255. },  /* low */
    { 0xff / 255., 0x78 / 255., 0x00 / 255. },  /* medium */
    { 0xe0 / 255., 0x1b / 255., 0x24 / 255. },  /* high */
  };
  guint i = severity == DH_SEVERITY_HIGH ? 2 : severity == DH_SEVERITY_MEDIUM ? 1 : 0;

  rgb[0] = colors[i][0];
  rgb[1] = colors[i][1];
  rgb[2] = colors[i][2];
}

/**
 * dh_timeline_count:
 * @events: (array length=n_events) (nullable): indices to look at, or %NULL for all
 * @from: first time counted (µs)
 * @to: end of the range (µs, exclusive)
 * @counts: (out): queries per class
 */
void
dh_timeline_count (DhEventStore  *store,
                   const guint32 *events,
                   guint          n_events,
                   guint32        host,
                   gint64         from,
                   gint64         to,
                   guint          counts[DH_TIMELINE_N_CLASSES])
{
  const DhEvent *all = dh_event_store_get_events (store);
  guint n = events ? n_events : dh_event_store_get_n_events (store);

  memset (counts, 0, sizeof (guint) * DH_TIMELINE_N_CLASSES);
  for (guint i = 0; i < n; i++)
    {
      const DhEvent *ev = &all[events ? events[i] : i];
      if ((host == DH_TIMELINE_ALL_HOSTS || ev->host == host) && ev->time >= from &&
          ev->time < to)
        counts[dh_timeline_class_of (ev->rcode)]++;
    }
}

/**
 * dh_timeline_layout:
 *
 * Where dh_timeline_render() puts the plot for this size and range, and its
 * buckets, for hit tests: the same measures the drawing takes.
 */
void
dh_timeline_layout (double            width,
                    double            height,
                    gint64            start,
                    gint64            end,
                    DhTimelineLayout *l)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_A8, 1, 1);
  cairo_t *cr = cairo_create (surface);
  PangoLayout *layout = pango_cairo_create_layout (cr);
  Pen pen = { layout, 0, NULL };
  double font = CLAMP (round (height / 16), 8, 11);
  int w, h, ch;
  gint64 bucket;

  if (end <= start)
    {
      start -= 30 * DH_USEC_PER_SEC;
      end += 30 * DH_USEC_PER_SEC;
    }
  pen_set_font (&pen, font);

  text_size (&pen, "Queries per (UTC)", &w, &ch);
  text_size (&pen, "00000", &w, &h);
  l->x = w + font * 0.6;
  l->y = ch + font * 0.6;
  text_size (&pen, "00:00", &w, &h);
  l->width = MAX (width - l->x - font * 0.5, 10);
  l->height = MAX (height - l->y - h - font * 0.5, 10);
  l->start = start;
  l->end = end;
  bucket = choose_step (end - start, dh_timeline_buckets_for_width (width));
  l->bucket_us = bucket;
  l->n_buckets = (guint) ((end - floor_div (start, bucket) * bucket) / bucket) + 1;

  g_object_unref (layout);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
}

gint64
dh_timeline_x_to_time (const DhTimelineLayout *l,
                       double                  x)
{
  return l->start + (gint64) ((x - l->x) / l->width * (double) (l->end - l->start));
}

double
dh_timeline_time_to_x (const DhTimelineLayout *l,
                       gint64                  t)
{
  return l->x + (double) (t - l->start) / (double) (l->end - l->start) * l->width;
}

/**
 * dh_timeline_render_events:
 * @events: (array length=n_events) (nullable): the indices of @host's events,
 *   to spare a pass over the whole store; %NULL to look at every event
 *
 * dh_timeline_render() for callers that already hold the host's events (the
 * window's timeline, redrawn on every zoom).
 */
void
dh_timeline_render_events (cairo_t               *cr,
                           double                 width,
                           double                 height,
                           DhEventStore          *store,
                           const guint32         *events,
                           guint                  n_events,
                           guint32                host,
                           gint64                 start,
                           gint64                 end,
                           const DhAlert * const *alerts,
                           guint                  n_alerts)
{
  g_autoptr(DhTimelineBins) bins =
    dh_timeline_bins_new_for_events (store, events, n_events, host, start, end,
                                     dh_timeline_buckets_for_width (width));

  dh_timeline_render_bins (cr, width, height, bins, alerts, n_alerts);
}
