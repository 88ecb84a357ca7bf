/* dh-timeline-render.c: one host's queries over time, drawn with cairo
 *
 * Queries are counted in buckets a few pixels wide and stacked by response
 * code; the host's alert episodes are bands behind the bars. Text and axes
 * use the source colour set on @cr when called, so the window passes its
 * theme's foreground (light or dark) and a report passes black. Only cairo's
 * own text API is used, so this stays free of GTK and Pango.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "dh-timeline-render.h"
#include "dh-time.h"

#define MARGIN_LEFT   44.0
#define MARGIN_RIGHT  10.0
#define MARGIN_TOP    20.0
#define MARGIN_BOTTOM 20.0
#define BUCKET_PX     6.0
#define MAX_BUCKETS   600

static const double class_colors[DH_TIMELINE_N_CLASSES][3] = {
  { 0x35 / 255., 0x84 / 255., 0xe4 / 255. },  /* NOERROR: blue */
  { 0xff / 255., 0x78 / 255., 0x00 / 255. },  /* NXDOMAIN: orange */
  { 0xe0 / 255., 0x1b / 255., 0x24 / 255. },  /* REFUSED: red */
  { 0x91 / 255., 0x41 / 255., 0xac / 255. },  /* SERVFAIL: purple */
  { 0x9a / 255., 0x99 / 255., 0x96 / 255. },  /* other: grey */
};

static const char *class_names[DH_TIMELINE_N_CLASSES] = {
  "NOERROR", "NXDOMAIN", "REFUSED", "SERVFAIL", "other",
};

DhTimelineClass
dh_timeline_class_of (guint rcode)
{
  switch (rcode)
    {
    case DH_RCODE_NOERROR:
      return DH_TIMELINE_NOERROR;
    case DH_RCODE_NXDOMAIN:
      return DH_TIMELINE_NXDOMAIN;
    case DH_RCODE_REFUSED:
      return DH_TIMELINE_REFUSED;
    case DH_RCODE_SERVFAIL:
      return DH_TIMELINE_SERVFAIL;
    default:
      return DH_TIMELINE_OTHER;
    }
}

const char *
dh_timeline_class_name (DhTimelineClass klass)
{
  g_return_val_if_fail (klass < DH_TIMELINE_N_CLASSES, "");
  return class_names[klass];
}

void
dh_timeline_class_color (DhTimelineClass klass,
                         double          rgb[3])
{
  g_return_if_fail (klass < DH_TIMELINE_N_CLASSES);
  rgb[0] = class_colors[klass][0];
  rgb[1] = class_colors[klass][1];
  rgb[2] = class_colors[klass][2];
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
  switch (severity)
    {
    case DH_SEVERITY_HIGH:
      rgb[0] = 0xe0 / 255.; rgb[1] = 0x1b / 255.; rgb[2] = 0x24 / 255.;
      break;
    case DH_SEVERITY_MEDIUM:
      rgb[0] = 0xff / 255.; rgb[1] = 0x78 / 255.; rgb[2] = 0x00 / 255.;
      break;
    case DH_SEVERITY_LOW:
    default:
      rgb[0] = 0xe5 / 255.; rgb[1] = 0xa5 / 255.; rgb[2] = 0x0a / 255.;
      break;
    }
}

/**
 * dh_timeline_layout:
 * @end: exclusive; an empty range is widened to one second
 *
 * Where dh_timeline_render() puts the plot and its buckets, for hit tests.
 */
void
dh_timeline_layout (double            width,
                    double            height,
                    gint64            start,
                    gint64            end,
                    DhTimelineLayout *layout)
{
  if (end <= start)
    end = start + DH_USEC_PER_SEC;
  layout->x = MARGIN_LEFT;
  layout->y = MARGIN_TOP;
  layout->width = MAX (1.0, width - MARGIN_LEFT - MARGIN_RIGHT);
  layout->height = MAX (1.0, height - MARGIN_TOP - MARGIN_BOTTOM);
  layout->n_buckets = CLAMP ((guint) (layout->width / BUCKET_PX), 1, MAX_BUCKETS);
  layout->start = start;
  layout->end = end;
  layout->bucket_us = (double) (end - start) / layout->n_buckets;
}

gint64
dh_timeline_x_to_time (const DhTimelineLayout *layout,
                       double                  x)
{
  double f = CLAMP ((x - layout->x) / layout->width, 0.0, 1.0);

  return layout->start + (gint64) (f * (double) (layout->end - layout->start));
}

double
dh_timeline_time_to_x (const DhTimelineLayout *layout,
                       gint64                  time)
{
  return layout->x + layout->width * (double) (time - layout->start) /
                     (double) (layout->end - layout->start);
}

/**
 * dh_timeline_count:
 * @events: (nullable): the event indices to look at; %NULL for every event
 *   of @host in @store
 * @to: exclusive
 *
 * Counts the events of @host in [@from, @to) per class.
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

  for (guint c = 0; c < DH_TIMELINE_N_CLASSES; c++)
    counts[c] = 0;
  for (guint k = 0; k < n; k++)
    {
      const DhEvent *ev = &all[events ? events[k] : k];
      if (ev->host == host && ev->time >= from && ev->time < to)
        counts[dh_timeline_class_of (ev->rcode)]++;
    }
}

/* A step in µs that gives ticks at least @min_us apart at round times. */
static gint64
tick_step (gint64 min_us)
{
  static const gint64 steps[] = {
    1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400,
    172800, 604800,
  };

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    if (steps[i] * DH_USEC_PER_SEC >= min_us)
      return steps[i] * DH_USEC_PER_SEC;
  return (min_us / (86400 * DH_USEC_PER_SEC) + 1) * 86400 * DH_USEC_PER_SEC;
}

static void
format_tick (gint64   t,
             gint64   step,
             gboolean with_date,
             char    *buf,
             gsize    size)
{
  char iso[DH_TIME_FORMAT_SIZE];

  /* YYYY-MM-DDTHH:MM:SS[.mmm]Z */
  dh_time_format (t, iso);
  if (with_date)
    g_snprintf (buf, size, "%.5s %.5s", iso + 5, iso + 11);
  else if (step < 60 * DH_USEC_PER_SEC)
    g_snprintf (buf, size, "%.8s", iso + 11);
  else
    g_snprintf (buf, size, "%.5s", iso + 11);
}

static void
draw_text (cairo_t    *cr,
           double      x,
           double      y,
           const char *text,
           double      align)
{
  cairo_text_extents_t ext;

  cairo_text_extents (cr, text, &ext);
  cairo_move_to (cr, x - ext.x_advance * align, y);
  cairo_show_text (cr, text);
}

/**
 * dh_timeline_render_events:
 * @events: (nullable): the indices of @host's events (any order), to save a
 *   pass over the whole store; %NULL to look at every event
 *
 * Like dh_timeline_render(), for callers that already hold the host's events.
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
  DhTimelineLayout l;
  const DhEvent *all = dh_event_store_get_events (store);
  guint n = events ? n_events : dh_event_store_get_n_events (store);
  g_autofree guint *counts = NULL;
  guint max = 0;
  double fg[4] = { 0, 0, 0, 1 };
  double rgb[3];
  gint64 step;
  gboolean with_date;
  char buf[64];

  dh_timeline_layout (width, height, start, end, &l);
  counts = g_new0 (guint, (gsize) l.n_buckets * DH_TIMELINE_N_CLASSES);
  cairo_pattern_get_rgba (cairo_get_source (cr), &fg[0], &fg[1], &fg[2], &fg[3]);

  for (guint k = 0; k < n; k++)
    {
      const DhEvent *ev = &all[events ? events[k] : k];
      gint64 b;

      if (ev->host != host || ev->time < l.start || ev->time >= l.end)
        continue;
      b = (gint64) ((double) (ev->time - l.start) / l.bucket_us);
      b = CLAMP (b, 0, (gint64) l.n_buckets - 1);
      counts[b * DH_TIMELINE_N_CLASSES + dh_timeline_class_of (ev->rcode)]++;
    }
  for (guint b = 0; b < l.n_buckets; b++)
    {
      guint sum = 0;
      for (guint c = 0; c < DH_TIMELINE_N_CLASSES; c++)
        sum += counts[b * DH_TIMELINE_N_CLASSES + c];
      max = MAX (max, sum);
    }

  cairo_save (cr);
  cairo_select_font_face (cr, "Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size (cr, 10.0);
  cairo_set_line_width (cr, 1.0);

  /* Alert episodes: a band over their span and a solid strip on top. */
  for (guint i = 0; i < n_alerts; i++)
    {
      const DhAlert *a = alerts[i];
      double x0, x1;

      if (a->host != host || a->last_seen < l.start || a->first_seen >= l.end)
        continue;
      x0 = MAX (l.x, dh_timeline_time_to_x (&l, a->first_seen));
      x1 = MIN (l.x + l.width, dh_timeline_time_to_x (&l, a->last_seen));
      if (x1 - x0 < 6.0)   /* a short episode must still show at any zoom */
        {
          double mid = (x0 + x1) / 2.0;
          x0 = mid - 3.0;
          x1 = mid + 3.0;
        }
      dh_severity_color (a->severity, rgb);
      cairo_set_source_rgba (cr, rgb[0], rgb[1], rgb[2], 0.22);
      cairo_rectangle (cr, x0, l.y, x1 - x0, l.height);
      cairo_fill (cr);
      cairo_set_source_rgba (cr, rgb[0], rgb[1], rgb[2], 0.95);
      cairo_rectangle (cr, x0, l.y - 4.0, x1 - x0, 4.0);
      cairo_fill (cr);
    }

  /* Bars. */
  if (max > 0)
    {
      double bw = l.width / l.n_buckets;
      for (guint b = 0; b < l.n_buckets; b++)
        {
          double y = l.y + l.height;
          for (guint c = 0; c < DH_TIMELINE_N_CLASSES; c++)
            {
              guint v = counts[b * DH_TIMELINE_N_CLASSES + c];
              double h;
              if (v == 0)
                continue;
              h = MAX (1.0, l.height * v / max);
              dh_timeline_class_color (c, rgb);
              cairo_set_source_rgb (cr, rgb[0], rgb[1], rgb[2]);
              cairo_rectangle (cr, l.x + b * bw + (bw > 3 ? 0.5 : 0), y - h,
                               MAX (1.0, bw - (bw > 3 ? 1.0 : 0)), h);
              cairo_fill (cr);
              y -= h;
            }
        }
    }

  /* Axes, ticks and labels in the caller's colour. */
  cairo_set_source_rgba (cr, fg[0], fg[1], fg[2], fg[3] * 0.35);
  cairo_move_to (cr, l.x, l.y + l.height + 0.5);
  cairo_line_to (cr, l.x + l.width, l.y + l.height + 0.5);
  cairo_stroke (cr);

  step = tick_step ((gint64) (l.end - l.start) * 90 / (gint64) MAX (l.width, 1.0));
  with_date = l.end - l.start > 86400 * DH_USEC_PER_SEC ||
              l.start / (86400 * DH_USEC_PER_SEC) != (l.end - 1) / (86400 * DH_USEC_PER_SEC);
  for (gint64 t = (l.start / step + (l.start % step != 0)) * step; t < l.end; t += step)
    {
      double x = floor (dh_timeline_time_to_x (&l, t)) + 0.5;
      cairo_set_source_rgba (cr, fg[0], fg[1], fg[2], fg[3] * 0.35);
      cairo_move_to (cr, x, l.y + l.height);
      cairo_line_to (cr, x, l.y + l.height + 4);
      cairo_stroke (cr);
      format_tick (t, step, with_date, buf, sizeof buf);
      cairo_set_source_rgba (cr, fg[0], fg[1], fg[2], fg[3] * 0.8);
      draw_text (cr, x, l.y + l.height + 15, buf, 0.5);
    }

  cairo_set_source_rgba (cr, fg[0], fg[1], fg[2], fg[3] * 0.8);
  g_snprintf (buf, sizeof buf, "%u", max);
  draw_text (cr, l.x - 6, l.y + 8, buf, 1.0);
  draw_text (cr, l.x - 6, l.y + l.height, "0", 1.0);
  /* the bucket width, so counts read as a rate */
  if (l.bucket_us >= 3600.0 * DH_USEC_PER_SEC)
    g_snprintf (buf, sizeof buf, "/%.1fh", l.bucket_us / (3600.0 * DH_USEC_PER_SEC));
  else if (l.bucket_us >= 60.0 * DH_USEC_PER_SEC)
    g_snprintf (buf, sizeof buf, "/%.1fm", l.bucket_us / (60.0 * DH_USEC_PER_SEC));
  else if (l.bucket_us >= DH_USEC_PER_SEC)
    g_snprintf (buf, sizeof buf, "/%.0fs", l.bucket_us / DH_USEC_PER_SEC);
  else
    g_snprintf (buf, sizeof buf, "/%.0fms", l.bucket_us / 1000);
  draw_text (cr, l.x - 6, l.y + 20, buf, 1.0);

  /* Legend along the top. */
  {
    double x = l.x + l.width;
    for (int c = DH_TIMELINE_N_CLASSES - 1; c >= 0; c--)
      {
        cairo_text_extents_t ext;
        cairo_text_extents (cr, class_names[c], &ext);
        x -= ext.x_advance;
        cairo_set_source_rgba (cr, fg[0], fg[1], fg[2], fg[3] * 0.8);
        cairo_move_to (cr, x, 12);
        cairo_show_text (cr, class_names[c]);
        dh_timeline_class_color (c, rgb);
        cairo_set_source_rgb (cr, rgb[0], rgb[1], rgb[2]);
        cairo_rectangle (cr, x - 12, 4, 8, 8);
        cairo_fill (cr);
        x -= 22;
      }
  }
  cairo_restore (cr);
}

/**
 * dh_timeline_render:
 * @cr: where to draw; its source colour on entry is used for text and axes
 * @width: the area to fill, from the current origin
 * @height: the area to fill
 * @store: the events
 * @host: the string id of the host's address
 * @start: first time shown (µs)
 * @end: end of the time shown (µs, exclusive)
 * @alerts: (array length=n_alerts): alerts to draw as bands; those of other
 *   hosts are skipped
 *
 * Draws @host's queries between @start and @end as bars stacked by response
 * code, over bands for the alert episodes.
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
  dh_timeline_render_events (cr, width, height, store, NULL, 0, host, start, end, alerts,
                             n_alerts);
}
