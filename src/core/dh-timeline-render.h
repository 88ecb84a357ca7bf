/* dh-timeline-render.h: a host's queries over time, drawn with cairo
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <cairo.h>

#include "dh-analysis.h"

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
} DhTimelineBins;

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

void            dh_timeline_render_bins  (cairo_t               *cr,
                                          double                 width,
                                          double                 height,
                                          const DhTimelineBins  *bins,
                                          const DhAlert * const *alerts,
                                          guint                  n_alerts);
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

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DhTimelineBins, dh_timeline_bins_free)

G_END_DECLS
