/* dh-store-stats.h: what the window shows about a store at a glance
 *
 * Per-host counts, the events in time order (overall and per host), the rcode
 * and type mix, the busiest names and a histogram over time. Computed once,
 * off the main thread, after the store is complete.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "dh-event-store.h"

G_BEGIN_DECLS

typedef struct _DhStoreStats DhStoreStats;

typedef struct
{
  guint32 host;         /* string id of srcaddr */
  guint32 srcid;        /* instance or resolver endpoint id, or DH_STR_EMPTY */
  guint8  srcid_flags;  /* DH_EVENT_SRCID_INSTANCE or DH_EVENT_SRCID_RESOLVER */
  guint   n_events;
  guint   n_nxdomain;
  guint   n_refused;
  guint   n_tcp;
  gint64  first;
  gint64  last;
  guint   offset;       /* of its events in the per-host order */
} DhHostStats;

typedef struct
{
  guint32 id;           /* string id (names, hosts) or atom (rcodes, types) */
  guint   count;
} DhCount;

#define DH_STORE_STATS_HISTOGRAM_BUCKETS 120

DhStoreStats      *dh_store_stats_new             (DhEventStore  *store,
                                                   GCancellable  *cancellable);
void               dh_store_stats_free            (DhStoreStats  *stats);
DhEventStore      *dh_store_stats_get_store       (DhStoreStats  *stats);
const guint32     *dh_store_stats_get_time_order  (DhStoreStats  *stats,
                                                   guint         *n_events);
guint              dh_store_stats_get_n_hosts     (DhStoreStats  *stats);
const DhHostStats *dh_store_stats_get_host        (DhStoreStats  *stats,
                                                   guint          index);
const DhHostStats *dh_store_stats_find_host       (DhStoreStats  *stats,
                                                   guint32        host);
const guint32     *dh_store_stats_get_host_events (DhStoreStats  *stats,
                                                   guint32        host,
                                                   guint         *n_events);
const DhCount     *dh_store_stats_get_rcodes      (DhStoreStats  *stats,
                                                   guint         *n);
const DhCount     *dh_store_stats_get_qtypes      (DhStoreStats  *stats,
                                                   guint         *n);
const DhCount     *dh_store_stats_get_top_names   (DhStoreStats  *stats,
                                                   guint         *n);
const DhCount     *dh_store_stats_get_top_hosts   (DhStoreStats  *stats,
                                                   guint         *n);
const guint       *dh_store_stats_get_histogram   (DhStoreStats  *stats,
                                                   gint64        *start,
                                                   gint64        *bucket_width);
guint              dh_store_stats_get_n_names     (DhStoreStats  *stats);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DhStoreStats, dh_store_stats_free)

G_END_DECLS
