/* dh-event-filter.c: choosing events by host, name, type, rcode and time
 *
 * A filter holds text (what the user typed or pivoted on), so it stays valid
 * across stores. Running it resolves the text against one store once: the
 * host and the atoms to ids, the name substring to a per-string cache, so the
 * pass over a million events compares integers.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "dh-event-filter.h"

struct _DhEventFilter
{
  char   *host;    /* srcaddr or instance/endpoint id, exact, case-insensitive */
  char   *name;    /* substring of the query name, case-insensitive */
  char   *qtype;
  char   *rcode;
  gint64  start;   /* inclusive */
  gint64  end;     /* inclusive */
};

DhEventFilter *
dh_event_filter_new (void)
{
  DhEventFilter *self = g_new0 (DhEventFilter, 1);

  self->start = G_MININT64;
  self->end = G_MAXINT64;
  return self;
}

DhEventFilter *
dh_event_filter_copy (const DhEventFilter *filter)
{
  DhEventFilter *self = g_new0 (DhEventFilter, 1);

  self->host = g_strdup (filter->host);
  self->name = g_strdup (filter->name);
  self->qtype = g_strdup (filter->qtype);
  self->rcode = g_strdup (filter->rcode);
  self->start = filter->start;
  self->end = filter->end;
  return self;
}

void
dh_event_filter_free (DhEventFilter *self)
{
  if (self == NULL)
    return;
  g_free (self->host);
  g_free (self->name);
  g_free (self->qtype);
  g_free (self->rcode);
  g_free (self);
}

gboolean
dh_event_filter_equal (const DhEventFilter *a,
                       const DhEventFilter *b)
{
  return g_strcmp0 (a->host, b->host) == 0 && g_strcmp0 (a->name, b->name) == 0 &&
         g_strcmp0 (a->qtype, b->qtype) == 0 && g_strcmp0 (a->rcode, b->rcode) == 0 &&
         a->start == b->start && a->end == b->end;
}

gboolean
dh_event_filter_is_empty (const DhEventFilter *self)
{
  return self->host == NULL && self->name == NULL && self->qtype == NULL &&
         self->rcode == NULL && self->start == G_MININT64 && self->end == G_MAXINT64;
}

static void
set_text (char       **field,
          const char  *value)
{
  g_autofree char *clean = value ? g_strstrip (g_strdup (value)) : NULL;

  g_free (*field);
  *field = clean && *clean ? g_steal_pointer (&clean) : NULL;
}

/**
 * dh_event_filter_set_host:
 * @host: (nullable): an address, or an instance or Resolver endpoint id; %NULL
 *   or empty for any host
 */
void
dh_event_filter_set_host (DhEventFilter *self,
                          const char    *host)
{
  set_text (&self->host, host);
}

const char *
dh_event_filter_get_host (const DhEventFilter *self)
{
  return self->host;
}

/**
 * dh_event_filter_set_name:
 * @substring: (nullable): text the query name must contain, ignoring case
 */
void
dh_event_filter_set_name (DhEventFilter *self,
                          const char    *substring)
{
  set_text (&self->name, substring);
}

const char *
dh_event_filter_get_name (const DhEventFilter *self)
{
  return self->name;
}

void
dh_event_filter_set_qtype (DhEventFilter *self,
                           const char    *qtype)
{
  set_text (&self->qtype, qtype);
}

const char *
dh_event_filter_get_qtype (const DhEventFilter *self)
{
  return self->qtype;
}

void
dh_event_filter_set_rcode (DhEventFilter *self,
                           const char    *rcode)
{
  set_text (&self->rcode, rcode);
}

const char *
dh_event_filter_get_rcode (const DhEventFilter *self)
{
  return self->rcode;
}

/**
 * dh_event_filter_set_range:
 * @start: first time (µs), or %G_MININT64
 * @end: last time (µs, inclusive), or %G_MAXINT64
 */
void
dh_event_filter_set_range (DhEventFilter *self,
                           gint64         start,
                           gint64         end)
{
  self->start = start;
  self->end = end;
}

void
dh_event_filter_get_range (const DhEventFilter *self,
                           gint64              *start,
                           gint64              *end)
{
  *start = self->start;
  *end = self->end;
}

/* Case-insensitive substring search for ASCII; other bytes compare exactly,
 * which is what DNS names (and punycode) need. */
static gboolean
contains_ascii_nocase (const char *haystack,
                       gsize       hlen,
                       const char *needle,
                       gsize       nlen)
{
  if (nlen == 0)
    return TRUE;
  for (gsize i = 0; i + nlen <= hlen; i++)
    if (g_ascii_strncasecmp (haystack + i, needle, nlen) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
lookup_atom (DhEventStore *store,
             DhAtomKind    kind,
             const char   *text,
             guint        *atom)
{
  g_autofree char *up = g_ascii_strup (text, -1);

  return dh_event_store_lookup_atom (store, kind, up, atom);
}

/**
 * dh_event_filter_run:
 * @order: the event indices to consider, in the order wanted
 *
 * Returns: (transfer full) (nullable): the guint32 indices of @order that
 *   pass, in the same order; %NULL when cancelled
 */
GArray *
dh_event_filter_run (const DhEventFilter *self,
                     DhEventStore        *store,
                     const guint32       *order,
                     guint                n_order,
                     GCancellable        *cancellable)
{
  const DhEvent *events = dh_event_store_get_events (store);
  DhStrPool *pool = dh_event_store_get_pool (store);
  guint n_strings = dh_str_pool_get_size (pool);
  GArray *out = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autofree guint8 *name_cache = NULL;
  g_autofree guint8 *host_cache = NULL;
  gsize name_len = self->name ? strlen (self->name) : 0;
  guint qtype = DH_FILTER_ANY, rcode = DH_FILTER_ANY;

  if (self->qtype && !lookup_atom (store, DH_ATOMS_QTYPE, self->qtype, &qtype))
    return out;
  if (self->rcode && !lookup_atom (store, DH_ATOMS_RCODE, self->rcode, &rcode))
    return out;
  if (self->name)
    name_cache = g_new0 (guint8, n_strings);
  if (self->host)
    host_cache = g_new0 (guint8, n_strings);

  for (guint k = 0; k < n_order; k++)
    {
      guint32 i = order[k];
      const DhEvent *ev = &events[i];

      if ((k & 0xffff) == 0 && g_cancellable_is_cancelled (cancellable))
        {
          g_array_unref (out);
          return NULL;
        }
      if (ev->time < self->start || ev->time > self->end)
        continue;
      if (qtype != DH_FILTER_ANY && ev->qtype != qtype)
        continue;
      if (rcode != DH_FILTER_ANY && ev->rcode != rcode)
        continue;
      if (host_cache)
        {
          /* addresses and srcids share one pool, so one cache serves both */
          if (host_cache[ev->host] == 0)
            host_cache[ev->host] =
              g_ascii_strcasecmp (dh_str_pool_get (pool, ev->host), self->host) == 0 ? 2 : 1;
          if (host_cache[ev->host] != 2 && ev->srcid != DH_STR_EMPTY && host_cache[ev->srcid] == 0)
            host_cache[ev->srcid] =
              g_ascii_strcasecmp (dh_str_pool_get (pool, ev->srcid), self->host) == 0 ? 2 : 1;
          if (host_cache[ev->host] != 2 &&
              (ev->srcid == DH_STR_EMPTY || host_cache[ev->srcid] != 2))
            continue;
        }
      if (name_cache)
        {
          if (name_cache[ev->name] == 0)
            name_cache[ev->name] =
              contains_ascii_nocase (dh_str_pool_get (pool, ev->name),
                                     dh_str_pool_get_length (pool, ev->name),
                                     self->name, name_len) ? 2 : 1;
          if (name_cache[ev->name] != 2)
            continue;
        }
      g_array_append_val (out, i);
    }
  return out;
}
