/* dh-timeline-render.h: a host's queries over time, drawn with cairo
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <cairo.h>

#include "dh-rule-engine.h"

G_BEGIN_DECLS

/* Pass as @host to count every host. */
#define DH_TIMELINE_ALL_HOSTS G_MAXUINT32

/* The three stacks of a bar, bottom to top. */
typedef enum {
  DH_TIMELINE_NOERROR,
  DH_TIMELINE_NXDOMAIN,
  DH_TIMELINE_OTHER,
  DH_TIMELINE_N_STACKS,
} DhTimelineStack;

/* Queries per time bucket; computed once, drawn as often as needed. */
typedef struct
{
  gint64  start;       /* the range asked for, µs */
  gint64  end;
  gint64  first;       /* start of the first bucket (aligned to the bucket width) */
  gint64  bucket;      /* bucket width, µs: 1 s, 5 s, …, 1 min, 5 min, …, 1 d */
  guint   n_buckets;
  guint  *counts;      /* n_buckets × DH_TIMELINE_N_STACKS */
  guint   max_total;   /* the tallest bar */
  guint64 total;
  guint32 host;        /* or DH_TIMELINE_ALL_HOSTS; bands of other hosts are skipped */
} DhTimelineBins;

/* The window's names for the stacks */
typedef DhTimelineStack DhTimelineClass;
#define DH_TIMELINE_N_CLASSES DH_TIMELINE_N_STACKS

/* Where the plot sits in a chart of a given size, for hit tests. */
typedef struct
{
  double  x;          /* the plot area, in the caller's units */
  double  y;
  double  width;
  double  height;
  guint   n_buckets;
  gint64  start;      /* µs */
  gint64  end;        /* µs */
  double  bucket_us;
} DhTimelineLayout;

DhTimelineBins *dh_timeline_bins_new     (DhEventStore          *store,
                                          guint32                host,
                                          gint64                 start,
                                          gint64                 end,
                                          guint                  max_buckets);
void            dh_timeline_bins_free    (DhTimelineBins        *bins);
guint           dh_timeline_bins_get     (const DhTimelineBins  *bins,
                                          guint                  bucket,
                                          DhTimelineStack        stack);
guint           dh_timeline_bins_get_total (const DhTimelineBins *bins,
                                            guint                 bucket);

/* A text of the chart: its left edge, baseline and width (as Pango sets it),
 * in the chart's units; its font size; its colour. */
typedef void (*DhTimelineTextFunc) (const char   *text,
                                    double        x,
                                    double        baseline,
                                    double        width,
                                    double        size,
                                    const double  rgb[3],
                                    gpointer      user_data);

void            dh_timeline_render_bins  (cairo_t               *cr,
                                          double                 width,
                                          double                 height,
                                          const DhTimelineBins  *bins,
                                          const DhAlert * const *alerts,
                                          guint                  n_alerts);
typedef struct _DhTimelineText DhTimelineText;

DhTimelineText *dh_timeline_text_new     (DhTimelineTextFunc     func,
                                          gpointer               user_data);
void            dh_timeline_text_free    (DhTimelineText        *text);
void            dh_timeline_render_bins_full (cairo_t               *cr,
                                              double                 width,
                                              double                 height,
                                              const DhTimelineBins  *bins,
                                              const DhAlert * const *alerts,
                                              guint                  n_alerts,
                                              const DhTimelineText  *text);
void            dh_timeline_render       (cairo_t               *cr,
                                          double                 width,
                                          double                 height,
                                          DhEventStore          *store,
                                          guint32                host,
                                          gint64                 start,
                                          gint64                 end,
                                          const DhAlert * const *alerts,
                                          guint                  n_alerts);

guint           dh_timeline_buckets_for_width (double            width);

DhTimelineBins *dh_timeline_bins_new_for_events (DhEventStore        *store,
                                                 const guint32       *events,
                                                 guint                n_events,
                                                 guint32              host,
                                                 gint64               start,
                                                 gint64               end,
                                                 guint                max_buckets);
void            dh_timeline_render_events (cairo_t               *cr,
                                           double                 width,
                                           double                 height,
                                           DhEventStore          *store,
                                           const guint32         *events,
                                           guint                  n_events,
                                           guint32                host,
                                           gint64                 start,
                                           gint64                 end,
                                           const DhAlert * const *alerts,
                                           guint                  n_alerts);
void            dh_timeline_layout        (double                 width,
                                           double                 height,
                                           gint64                 start,
                                           gint64                 end,
                                           DhTimelineLayout      *layout);
gint64          dh_timeline_x_to_time     (const DhTimelineLayout *layout,
                                           double                 x);
double          dh_timeline_time_to_x     (const DhTimelineLayout *layout,
                                           gint64                 time);
void            dh_timeline_count         (DhEventStore          *store,
                                           const guint32         *events,
                                           guint                  n_events,
                                           guint32                host,
                                           gint64                 from,
                                           gint64                 to,
                                           guint                  counts[DH_TIMELINE_N_CLASSES]);
DhTimelineClass dh_timeline_class_of      (guint                  rcode);
const char     *dh_timeline_class_name    (DhTimelineClass        klass);
void            dh_timeline_class_color   (DhTimelineClass        klass,
                                           double                 rgb[3]);
void            dh_severity_color         (DhSeverity             severity,
                                           double                 rgb[3]);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DhTimelineBins, dh_timeline_bins_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DhTimelineText, dh_timeline_text_free)

G_END_DECLS
