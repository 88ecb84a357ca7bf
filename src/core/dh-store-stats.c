/* dh-store-stats.c: what the window shows about a store at a glance
 *
 * One pass counts per host, per rcode, per type and per name; a stable sort
 * puts the events in time order (logs are nearly always in order already, so
 * that is checked first); a counting sort by host then keeps each host's
 * events contiguous and still in time order.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "dh-release.h"
#include "dh-store-stats.h"

#define TOP_N 10

struct _DhStoreStats
{
  DhEventStore *store;
  guint32      *time_order;
  guint32      *host_order;
  guint         n_events;
  GArray       *hosts;       /* DhHostStats, by descending event count */
  GHashTable   *host_index;  /* host id + 1 -> index + 1 */
  GArray       *rcodes;      /* DhCount, by descending count */
  GArray       *qtypes;
  GArray       *top_names;
  GArray       *top_hosts;
  guint         n_names;
  guint         histogram[DH_STORE_STATS_HISTOGRAM_BUCKETS];
  gint64        hist_start;
  gint64        hist_width;
};

static int
compare_time (gconstpointer a,
              gconstpointer b,
              gpointer      data)
{
  const DhEvent *events = data;
  guint32 x = *(const guint32 *) a, y = *(const guint32 *) b;

  if (events[x].time != events[y].time)
    return events[x].time < events[y].time ? -1 : 1;
  return x < y ? -1 : (x > y);
}

static int
compare_count (gconstpointer a,
               gconstpointer b)
{
  const DhCount *x = a, *y = b;

  if (x->count != y->count)
    return x->count > y->count ? -1 : 1;
  return x->id < y->id ? -1 : (x->id > y->id);
}

static int
compare_host_stats (gconstpointer a,
                    gconstpointer b)
{
  const DhHostStats *x = a, *y = b;

  if (x->n_events != y->n_events)
    return x->n_events > y->n_events ? -1 : 1;
  return x->host < y->host ? -1 : (x->host > y->host);
}

static GArray *
counts_from (const guint *counts,
             guint        n,
             guint        keep)
{
  GArray *out = g_array_new (FALSE, FALSE, sizeof (DhCount));

  for (guint i = 0; i < n; i++)
    if (counts[i] > 0)
      {
        DhCount c = { i, counts[i] };
        g_array_append_val (out, c);
      }
  g_array_sort (out, compare_count);
  if (keep && out->len > keep)
    g_array_set_size (out, keep);
  return out;
}

/**
 * dh_store_stats_new:
 * @store: a complete store; nothing may add to it while this runs
 *
 * Returns: (transfer full) (nullable): the statistics, or %NULL when cancelled
 */
DhStoreStats *
dh_store_stats_new (DhEventStore *store,
                    GCancellable *cancellable)
{
  g_autoptr(DhStoreStats) self = g_new0 (DhStoreStats, 1);
  const DhEvent *events = dh_event_store_get_events (store);
  guint n = dh_event_store_get_n_events (store);
  guint n_strings = dh_str_pool_get_size (dh_event_store_get_pool (store));
  g_autofree guint *name_counts = g_new0 (guint, n_strings);
  g_autofree guint *host_slot = g_new0 (guint, n_strings);  /* index + 1 in hosts */
  g_autofree guint *fill = NULL;
  guint rcode_counts[256] = { 0 };
  g_autofree guint *qtype_counts = g_new0 (guint, 65536);
  gboolean sorted = TRUE;
  gint64 first = 0, last = 0;

  self->store = dh_event_store_ref (store);
  self->n_events = n;
  self->hosts = g_array_new (FALSE, TRUE, sizeof (DhHostStats));
  self->host_index = g_hash_table_new (NULL, NULL);

  self->time_order = g_new (guint32, MAX (n, 1));
  for (guint i = 0; i < n; i++)
    {
      self->time_order[i] = i;
      if (i > 0 && events[i].time < events[i - 1].time)
        sorted = FALSE;
    }
  if (!sorted)
    g_qsort_with_data (self->time_order, n, sizeof (guint32), compare_time, (gpointer) events);
  if (g_cancellable_is_cancelled (cancellable))
    return NULL;

  for (guint k = 0; k < n; k++)
    {
      const DhEvent *ev = &events[self->time_order[k]];
      DhHostStats *h;

      if (host_slot[ev->host] == 0)
        {
          DhHostStats fresh = { 0 };
          fresh.host = ev->host;
          fresh.first = ev->time;
          g_array_append_val (self->hosts, fresh);
          host_slot[ev->host] = self->hosts->len;
        }
      h = &g_array_index (self->hosts, DhHostStats, host_slot[ev->host] - 1);
      h->n_events++;
      h->last = ev->time;
      if (ev->rcode == DH_RCODE_NXDOMAIN)
        h->n_nxdomain++;
      else if (ev->rcode == DH_RCODE_REFUSED)
        h->n_refused++;
      if (ev->transport == DH_TRANSPORT_TCP)
        h->n_tcp++;
      if (h->srcid == DH_STR_EMPTY && ev->srcid != DH_STR_EMPTY)
        {
          h->srcid = ev->srcid;
          h->srcid_flags = ev->flags & (DH_EVENT_SRCID_INSTANCE | DH_EVENT_SRCID_RESOLVER);
        }
      if (name_counts[ev->name]++ == 0)
        self->n_names++;
      rcode_counts[ev->rcode]++;
      qtype_counts[ev->qtype]++;
    }
  if (g_cancellable_is_cancelled (cancellable))
    return NULL;

  /* Each host's events, contiguous and in time order. */
  {
    guint offset = 0;

    fill = g_new0 (guint, self->hosts->len + 1);
    for (guint i = 0; i < self->hosts->len; i++)
      {
        DhHostStats *h = &g_array_index (self->hosts, DhHostStats, i);
        h->offset = offset;
        fill[i] = offset;
        offset += h->n_events;
      }
    self->host_order = g_new (guint32, MAX (n, 1));
    for (guint k = 0; k < n; k++)
      {
        guint32 e = self->time_order[k];
        self->host_order[fill[host_slot[events[e].host] - 1]++] = e;
      }
  }

  g_array_sort (self->hosts, compare_host_stats);
  for (guint i = 0; i < self->hosts->len; i++)
    g_hash_table_insert (self->host_index,
                         GUINT_TO_POINTER (g_array_index (self->hosts, DhHostStats, i).host + 1),
                         GUINT_TO_POINTER (i + 1));

  self->rcodes = counts_from (rcode_counts, 256, 0);
  self->qtypes = counts_from (qtype_counts, 65536, 0);
  self->top_names = counts_from (name_counts, n_strings, TOP_N);
  self->top_hosts = g_array_new (FALSE, FALSE, sizeof (DhCount));
  for (guint i = 0; i < self->hosts->len && i < TOP_N; i++)
    {
      const DhHostStats *h = &g_array_index (self->hosts, DhHostStats, i);
      DhCount c = { h->host, h->n_events };
      g_array_append_val (self->top_hosts, c);
    }

  if (dh_event_store_get_time_span (store, &first, &last))
    {
      self->hist_start = first;
      self->hist_width = MAX (1, (last - first) / DH_STORE_STATS_HISTOGRAM_BUCKETS + 1);
      for (guint i = 0; i < n; i++)
        {
          gint64 b = (events[i].time - first) / self->hist_width;
          self->histogram[CLAMP (b, 0, DH_STORE_STATS_HISTOGRAM_BUCKETS - 1)]++;
        }
    }
  return g_steal_pointer (&self);
}

static void
stats_free (gpointer data)
{
  DhStoreStats *self = data;

  dh_event_store_unref (self->store);
  g_free (self->time_order);
  g_free (self->host_order);
  g_array_unref (self->hosts);
  g_hash_table_unref (self->host_index);
  g_clear_pointer (&self->rcodes, g_array_unref);
  g_clear_pointer (&self->qtypes, g_array_unref);
  g_clear_pointer (&self->top_names, g_array_unref);
  g_clear_pointer (&self->top_hosts, g_array_unref);
  g_free (self);
}

/**
 * dh_store_stats_free:
 *
 * Frees the statistics, big ones in a thread of their own (see
 * dh-release.c): the caller does not wait for it.
 */
void
dh_store_stats_free (DhStoreStats *self)
{
  if (self == NULL)
    return;
  if (self->n_events >= DH_RELEASE_MIN_EVENTS)
    dh_release_in_thread (self, stats_free);
  else
    stats_free (self);
}

DhEventStore *
dh_store_stats_get_store (DhStoreStats *self)
{
  return self->store;
}

/**
 * dh_store_stats_get_time_order:
 *
 * Returns: every event index, by time (ties in store order)
 */
const guint32 *
dh_store_stats_get_time_order (DhStoreStats *self,
                               guint        *n_events)
{
  *n_events = self->n_events;
  return self->time_order;
}

guint
dh_store_stats_get_n_hosts (DhStoreStats *self)
{
  return self->hosts->len;
}

/**
 * dh_store_stats_get_host:
 * @index: from 0; hosts come busiest first
 */
const DhHostStats *
dh_store_stats_get_host (DhStoreStats *self,
                         guint         index)
{
  g_return_val_if_fail (index < self->hosts->len, NULL);
  return &g_array_index (self->hosts, DhHostStats, index);
}

const DhHostStats *
dh_store_stats_find_host (DhStoreStats *self,
                          guint32       host)
{
  guint idx = GPOINTER_TO_UINT (g_hash_table_lookup (self->host_index,
                                                     GUINT_TO_POINTER (host + 1)));

  return idx ? &g_array_index (self->hosts, DhHostStats, idx - 1) : NULL;
}

/**
 * dh_store_stats_get_host_events:
 *
 * Returns: (nullable): the event indices of @host, in time order
 */
const guint32 *
dh_store_stats_get_host_events (DhStoreStats *self,
                                guint32       host,
                                guint        *n_events)
{
  const DhHostStats *h = dh_store_stats_find_host (self, host);

  *n_events = h ? h->n_events : 0;
  return h ? self->host_order + h->offset : NULL;
}

const DhCount *
dh_store_stats_get_rcodes (DhStoreStats *self,
                           guint        *n)
{
  *n = self->rcodes->len;
  return (const DhCount *) self->rcodes->data;
}

const DhCount *
dh_store_stats_get_qtypes (DhStoreStats *self,
                           guint        *n)
{
  *n = self->qtypes->len;
  return (const DhCount *) self->qtypes->data;
}

const DhCount *
dh_store_stats_get_top_names (DhStoreStats *self,
                              guint        *n)
{
  *n = self->top_names->len;
  return (const DhCount *) self->top_names->data;
}

const DhCount *
dh_store_stats_get_top_hosts (DhStoreStats *self,
                              guint        *n)
{
  *n = self->top_hosts->len;
  return (const DhCount *) self->top_hosts->data;
}

/**
 * dh_store_stats_get_histogram:
 *
 * Returns: %DH_STORE_STATS_HISTOGRAM_BUCKETS event counts over the time span
 */
const guint *
dh_store_stats_get_histogram (DhStoreStats *self,
                              gint64       *start,
                              gint64       *bucket_width)
{
  *start = self->hist_start;
  *bucket_width = self->hist_width;
  return self->histogram;
}

guint
dh_store_stats_get_n_names (DhStoreStats *self)
{
  return self->n_names;
}
