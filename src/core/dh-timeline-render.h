/* dh-timeline-render.h: one host's queries over time, drawn with cairo
 *
 * The same function draws the window's timeline and the reports' chart.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <cairo.h>

#include "dh-analysis.h"

G_BEGIN_DECLS

/* The classes the bars are stacked by, bottom first. */
typedef enum {
  DH_TIMELINE_NOERROR,
  DH_TIMELINE_NXDOMAIN,
  DH_TIMELINE_REFUSED,
  DH_TIMELINE_SERVFAIL,
  DH_TIMELINE_OTHER,
  DH_TIMELINE_N_CLASSES,
} DhTimelineClass;

typedef struct
{
  double  x;          /* the plot area, in the caller's units */
  double  y;
  double  width;
  double  height;
  guint   n_buckets;
  gint64  start;      /* µs */
  gint64  end;        /* µs, exclusive */
  double  bucket_us;
} DhTimelineLayout;

void        dh_timeline_render        (cairo_t              *cr,
                                       double                width,
                                       double                height,
                                       DhEventStore         *store,
                                       guint32               host,
                                       gint64                start,
                                       gint64                end,
                                       const DhAlert * const *alerts,
                                       guint                 n_alerts);
void        dh_timeline_render_events (cairo_t              *cr,
                                       double                width,
                                       double                height,
                                       DhEventStore         *store,
                                       const guint32        *events,
                                       guint                 n_events,
                                       guint32               host,
                                       gint64                start,
                                       gint64                end,
                                       const DhAlert * const *alerts,
                                       guint                 n_alerts);
void        dh_timeline_layout        (double                width,
                                       double                height,
                                       gint64                start,
                                       gint64                end,
                                       DhTimelineLayout     *layout);
gint64      dh_timeline_x_to_time     (const DhTimelineLayout *layout,
                                       double                x);
double      dh_timeline_time_to_x     (const DhTimelineLayout *layout,
                                       gint64                time);
void        dh_timeline_count         (DhEventStore         *store,
                                       const guint32        *events,
                                       guint                 n_events,
                                       guint32               host,
                                       gint64                from,
                                       gint64                to,
                                       guint                 counts[DH_TIMELINE_N_CLASSES]);
DhTimelineClass dh_timeline_class_of  (guint                 rcode);
const char *dh_timeline_class_name    (DhTimelineClass       klass);
void        dh_timeline_class_color   (DhTimelineClass       klass,
                                       double                rgb[3]);
void        dh_severity_color         (DhSeverity            severity,
                                       double                rgb[3]);

G_END_DECLS
