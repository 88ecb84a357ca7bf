/* dh-event-store.c: the compact store of query-log events
 *
 * Every reader appends here and every consumer (rules, window, reports) reads
 * from here. Events are fixed 40-byte structs of ids; strings are interned
 * once; enumerations are atoms seeded with the values rules compare against,
 * so an unknown rcode or type keeps its raw text without costing a string id.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "dh-event-store.h"
#include "dh-release.h"

#define ORIGIN_CACHE 4

G_STATIC_ASSERT (sizeof (DhEvent) == 40);

typedef struct
{
  DhStrPool *pool;
  guint      limit;
  guint      absent;
  guint      other;
} DhAtoms;

struct _DhEventStore
{
  gatomicrefcount  ref_count;
  DhStrPool       *strings;
  DhAtoms          atoms[DH_N_ATOMS];
  GArray          *events;
  GArray          *answers;
  GArray          *origins;
  GHashTable      *origin_index;
  GArray          *firewall;
  GArray          *sources;
  gint64           first_time;
  gint64           last_time;
  guint64          n_rejected;
  int              current_source;
  guint            last_origin;
  /* the origins of the last few records, as text: a log often interleaves
   * the records of a few VPCs */
  DhSlice          origin_cache[ORIGIN_CACHE][5];
  guint32          origin_cache_id[ORIGIN_CACHE];
  guint            origin_cache_n;
  DhSlice          atom_cache[DH_N_ATOMS];
  guint            atom_cache_id[DH_N_ATOMS];
};

static const char *seed_rcode[] = {
  "NOERROR", "NXDOMAIN", "SERVFAIL", "REFUSED", "FORMERR", "NOTIMP", "YXDOMAIN", "NXRRSET",
  "NOTAUTH", "NOTZONE", NULL
};
static const char *seed_qtype[] = {
  "A", "AAAA", "CNAME", "PTR", "MX", "TXT", "NS", "SOA", "SRV", "NULL", "ANY", "AXFR", "IXFR",
  "HTTPS", "SVCB", "CAA", "DS", "DNSKEY", NULL
};
static const char *seed_qclass[] = { "IN", "CH", "HS", NULL };
static const char *seed_transport[] = { "UDP", "TCP", NULL };

G_STATIC_ASSERT (G_N_ELEMENTS (seed_rcode) == DH_RCODE_N_SEEDED + 1);
G_STATIC_ASSERT (G_N_ELEMENTS (seed_qtype) == DH_QTYPE_N_SEEDED + 1);
G_STATIC_ASSERT (G_N_ELEMENTS (seed_qclass) == DH_QCLASS_N_SEEDED + 1);
G_STATIC_ASSERT (G_N_ELEMENTS (seed_transport) == DH_TRANSPORT_N_SEEDED + 1);

/* Atom ids are pool ids minus one (pool id 0 is always ""), so the seeded
 * values get the enum numbers. After them come two reserved atoms: an absent
 * field (stored as a lone NUL byte, which reads back as "") and the bucket for
 * values past the limit, so hostile input cannot grow the table unbounded. */
static void
atoms_init (DhAtoms     *atoms,
            const char **seed,
            guint        limit)
{
  atoms->pool = dh_str_pool_new ();
  for (guint i = 0; seed[i]; i++)
    dh_str_pool_intern (atoms->pool, seed[i], strlen (seed[i]));
  atoms->absent = dh_str_pool_intern (atoms->pool, "", 1) - 1;
  atoms->other = dh_str_pool_intern (atoms->pool, "(other)", 7) - 1;
  atoms->limit = limit;
}

DhEventStore *
dh_event_store_new (void)
{
  DhEventStore *self = g_new0 (DhEventStore, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->strings = dh_str_pool_new ();
  atoms_init (&self->atoms[DH_ATOMS_QTYPE], seed_qtype, G_MAXUINT16 - 1);
  atoms_init (&self->atoms[DH_ATOMS_RCODE], seed_rcode, G_MAXUINT8 - 1);
  atoms_init (&self->atoms[DH_ATOMS_QCLASS], seed_qclass, G_MAXUINT8 - 1);
  atoms_init (&self->atoms[DH_ATOMS_TRANSPORT], seed_transport, G_MAXUINT8 - 1);
  self->events = g_array_new (FALSE, FALSE, sizeof (DhEvent));
  self->answers = g_array_new (FALSE, FALSE, sizeof (DhAnswer));
  self->origins = g_array_new (FALSE, TRUE, sizeof (DhOrigin));
  self->origin_index = g_hash_table_new (g_bytes_hash, g_bytes_equal);
  self->firewall = g_array_new (FALSE, FALSE, sizeof (DhFirewall));
  self->sources = g_array_new (FALSE, TRUE, sizeof (DhSource));
  self->first_time = G_MAXINT64;
  self->last_time = G_MININT64;
  self->current_source = -1;
  return self;
}

DhEventStore *
dh_event_store_ref (DhEventStore *self)
{
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

static void
free_origin_key (gpointer key,
                 gpointer value,
                 gpointer data)
{
  g_bytes_unref (key);
}

static void
store_free (gpointer data)
{
  DhEventStore *self = data;

  dh_str_pool_free (self->strings);
  for (guint i = 0; i < DH_N_ATOMS; i++)
    dh_str_pool_free (self->atoms[i].pool);
  g_array_unref (self->events);
  g_array_unref (self->answers);
  g_array_unref (self->origins);
  g_hash_table_foreach (self->origin_index, free_origin_key, NULL);
  g_hash_table_unref (self->origin_index);
  g_array_unref (self->firewall);
  for (guint i = 0; i < self->sources->len; i++)
    g_free (g_array_index (self->sources, DhSource, i).name);
  g_array_unref (self->sources);
  g_free (self);
}

/**
 * dh_event_store_unref:
 *
 * Drops a reference. The last one frees the store, a big one in a thread of
 * its own (see dh-release.c): the caller does not wait for it.
 */
void
dh_event_store_unref (DhEventStore *self)
{
  if (self == NULL || !g_atomic_ref_count_dec (&self->ref_count))
    return;
  if (self->events->len >= DH_RELEASE_MIN_EVENTS)
    dh_release_in_thread (self, store_free);
  else
    store_free (self);
}

/**
 * dh_event_store_begin_source:
 * @name: the file name (or a description such as "standard input")
 *
 * Starts a new input; the events added until dh_event_store_end_source()
 * belong to it.
 *
 * Returns: the source index
 */
guint
dh_event_store_begin_source (DhEventStore *self,
                             const char   *name)
{
  DhSource src = { 0 };

  src.name = g_strdup (name);
  src.first_event = self->events->len;
  g_array_append_val (self->sources, src);
  self->current_source = self->sources->len - 1;
  return self->current_source;
}

void
dh_event_store_end_source (DhEventStore *self)
{
  DhSource *src;

  g_return_if_fail (self->current_source >= 0);
  src = &g_array_index (self->sources, DhSource, self->current_source);
  src->n_events = self->events->len - src->first_event;
  self->current_source = -1;
}

/**
 * dh_event_store_count_rejected:
 *
 * Counts a line (or record) of the current source that was not a valid record.
 */
void
dh_event_store_count_rejected (DhEventStore *self)
{
  if (self->current_source >= 0)
    {
      DhSource *src = &g_array_index (self->sources, DhSource, self->current_source);
      src->n_lines++;
      src->n_rejected++;
    }
  self->n_rejected++;
}

static inline guint32
intern (DhEventStore  *self,
        const DhSlice *s)
{
  return s->len ? dh_str_pool_intern (self->strings, s->str, s->len) : DH_STR_EMPTY;
}

static guint32
origin_lookup (DhEventStore   *self,
               const DhOrigin *o)
{
  gpointer idx;
  GBytes *key;

  /* Records of one file nearly always share their origin. */
  if (self->origins->len > self->last_origin &&
      memcmp (&g_array_index (self->origins, DhOrigin, self->last_origin), o, sizeof *o) == 0)
    return self->last_origin;

  key = g_bytes_new (o, sizeof *o);
  if (g_hash_table_lookup_extended (self->origin_index, key, NULL, &idx))
    {
      g_bytes_unref (key);
      self->last_origin = GPOINTER_TO_UINT (idx);
      return self->last_origin;
    }

  g_array_append_val (self->origins, *o);
  g_hash_table_insert (self->origin_index, key, GUINT_TO_POINTER (self->origins->len - 1));
  self->last_origin = self->origins->len - 1;
  return self->last_origin;
}

static inline gboolean
slice_is (const DhSlice *a,
          const DhSlice *cached)
{
  return a->len == cached->len && dh_bytes_equal (a->str, cached->str, a->len);
}

static guint32
origin_for (DhEventStore   *self,
            const DhRecord *rec)
{
  DhOrigin o;
  const DhSlice *fields[5] = { &rec->vpc_id, &rec->account_id, &rec->region, &rec->version,
                               &rec->resolver_interface };
  guint slot;

  /* Records of one file nearly always share one of a few origins: compare
   * the text with the recent ones before hashing five strings. */
  for (guint c = 0; c < self->origin_cache_n; c++)
    {
      gboolean same = TRUE;
      for (guint i = 0; same && i < 5; i++)
        same = slice_is (fields[i], &self->origin_cache[c][i]);
      if (same)
        return self->origin_cache_id[c];
    }

  o.account = intern (self, &rec->account_id);
  o.region = intern (self, &rec->region);
  o.vpc = intern (self, &rec->vpc_id);
  o.version = intern (self, &rec->version);
  o.interface = intern (self, &rec->resolver_interface);
  /* the oldest entry makes room */
  if (self->origin_cache_n < ORIGIN_CACHE)
    slot = self->origin_cache_n++;
  else
    {
      memmove (&self->origin_cache[0], &self->origin_cache[1],
               sizeof self->origin_cache[0] * (ORIGIN_CACHE - 1));
      memmove (&self->origin_cache_id[0], &self->origin_cache_id[1],
               sizeof self->origin_cache_id[0] * (ORIGIN_CACHE - 1));
      slot = ORIGIN_CACHE - 1;
    }
  self->origin_cache_id[slot] = origin_lookup (self, &o);
  {
    guint32 ids[5] = { o.vpc, o.account, o.region, o.version, o.interface };
    for (guint i = 0; i < 5; i++)
      {
        /* the pool keeps the text alive */
        self->origin_cache[slot][i].str = dh_str_pool_get (self->strings, ids[i]);
        self->origin_cache[slot][i].len = dh_str_pool_get_length (self->strings, ids[i]);
      }
  }
  return self->origin_cache_id[slot];
}

static inline guint
atom (DhEventStore  *self,
      DhAtomKind     kind,
      const DhSlice *s)
{
  DhAtoms *atoms = &self->atoms[kind];
  guint32 id;

  if (s->len == 0)
    return atoms->absent;
  /* the same rcode, type, class or transport as last time, most often */
  if (slice_is (s, &self->atom_cache[kind]))
    return self->atom_cache_id[kind];
  if (dh_str_pool_lookup (atoms->pool, s->str, s->len, &id))
    {
      self->atom_cache[kind].str = dh_str_pool_get (atoms->pool, id);
      self->atom_cache[kind].len = s->len;
      self->atom_cache_id[kind] = id - 1;
      return id - 1;
    }
  if (dh_str_pool_get_size (atoms->pool) > atoms->limit)
    return atoms->other;
  return dh_str_pool_intern (atoms->pool, s->str, s->len) - 1;
}

/**
 * dh_event_store_add:
 * @record: a parsed record; its time, query_name and srcaddr must be set
 *
 * Appends @record to the current source.
 */
void
dh_event_store_add (DhEventStore   *self,
                    const DhRecord *rec)
{
  DhEvent ev;

  ev.time = rec->time;
  ev.name = intern (self, &rec->query_name);
  ev.host = intern (self, &rec->srcaddr);
  ev.flags = 0;
  if (rec->instance.len)
    {
      ev.srcid = intern (self, &rec->instance);
      ev.flags |= DH_EVENT_SRCID_INSTANCE;
    }
  else if (rec->resolver_endpoint.len)
    {
      ev.srcid = intern (self, &rec->resolver_endpoint);
      ev.flags |= DH_EVENT_SRCID_RESOLVER;
    }
  else
    ev.srcid = DH_STR_EMPTY;
  ev.origin = origin_for (self, rec);
  ev.qtype = atom (self, DH_ATOMS_QTYPE, &rec->query_type);
  ev.rcode = atom (self, DH_ATOMS_RCODE, &rec->rcode);
  ev.qclass = atom (self, DH_ATOMS_QCLASS, &rec->query_class);
  ev.transport = atom (self, DH_ATOMS_TRANSPORT, &rec->transport);

  ev.srcport = 0;
  if (rec->srcport.len > 0 && rec->srcport.len <= 5)
    {
      guint v = 0;
      gsize i;
      for (i = 0; i < rec->srcport.len && g_ascii_isdigit (rec->srcport.str[i]); i++)
        v = v * 10 + (rec->srcport.str[i] - '0');
      if (i == rec->srcport.len && v <= G_MAXUINT16)
        ev.srcport = v;
    }

  ev.answers = self->answers->len;
  ev.n_answers = MIN (rec->n_answers, G_MAXUINT16);
  for (guint i = 0; i < ev.n_answers; i++)
    {
      DhAnswer a;
      a.rdata = intern (self, &rec->answers[i].rdata);
      a.type = atom (self, DH_ATOMS_QTYPE, &rec->answers[i].type);
      a.qclass = atom (self, DH_ATOMS_QCLASS, &rec->answers[i].qclass);
      a.reserved = 0;
      g_array_append_val (self->answers, a);
    }

  if (rec->firewall_action.len || rec->firewall_group.len || rec->firewall_domain_list.len)
    {
      DhFirewall fw;
      fw.event = self->events->len;
      fw.action = intern (self, &rec->firewall_action);
      fw.group = intern (self, &rec->firewall_group);
      fw.domain_list = intern (self, &rec->firewall_domain_list);
      g_array_append_val (self->firewall, fw);
      ev.flags |= DH_EVENT_FIREWALL;
    }

  g_array_append_val (self->events, ev);
  if (rec->time < self->first_time)
    self->first_time = rec->time;
  if (rec->time > self->last_time)
    self->last_time = rec->time;
  if (self->current_source >= 0)
    g_array_index (self->sources, DhSource, self->current_source).n_lines++;
}

guint
dh_event_store_get_n_events (DhEventStore *self)
{
  return self->events->len;
}

const DhEvent *
dh_event_store_get_events (DhEventStore *self)
{
  return (const DhEvent *) self->events->data;
}

const DhEvent *
dh_event_store_get_event (DhEventStore *self,
                          guint         index)
{
  g_return_val_if_fail (index < self->events->len, NULL);
  return &g_array_index (self->events, DhEvent, index);
}

const DhAnswer *
dh_event_store_get_answers (DhEventStore  *self,
                            const DhEvent *event)
{
  if (event->n_answers == 0)
    return NULL;
  return &g_array_index (self->answers, DhAnswer, event->answers);
}

const DhOrigin *
dh_event_store_get_origin (DhEventStore *self,
                           guint32       origin)
{
  g_return_val_if_fail (origin < self->origins->len, NULL);
  return &g_array_index (self->origins, DhOrigin, origin);
}

/**
 * dh_event_store_get_firewall:
 * @index: an event index
 *
 * Returns: (nullable): the DNS Firewall fields of that event, if it has any
 */
const DhFirewall *
dh_event_store_get_firewall (DhEventStore *self,
                             guint         index)
{
  guint lo = 0, hi = self->firewall->len;

  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;
      const DhFirewall *fw = &g_array_index (self->firewall, DhFirewall, mid);
      if (fw->event == index)
        return fw;
      if (fw->event < index)
        lo = mid + 1;
      else
        hi = mid;
    }
  return NULL;
}

const char *
dh_event_store_get_string (DhEventStore *self,
                           guint32       id)
{
  return dh_str_pool_get (self->strings, id);
}

DhStrPool *
dh_event_store_get_pool (DhEventStore *self)
{
  return self->strings;
}

/**
 * dh_event_store_get_atom:
 *
 * Returns: the text of an rcode, type, class or transport atom; "" when the
 *   record had no such field
 */
const char *
dh_event_store_get_atom (DhEventStore *self,
                         DhAtomKind    kind,
                         guint         atom_id)
{
  DhAtoms *atoms = &self->atoms[kind];

  g_return_val_if_fail (atom_id + 1 < dh_str_pool_get_size (atoms->pool), "");
  return dh_str_pool_get (atoms->pool, atom_id + 1);
}

gboolean
dh_event_store_lookup_atom (DhEventStore *self,
                            DhAtomKind    kind,
                            const char   *text,
                            guint        *atom_id)
{
  guint32 id;

  if (*text == 0 ||
      !dh_str_pool_lookup (self->atoms[kind].pool, text, strlen (text), &id))
    return FALSE;
  *atom_id = id - 1;
  return TRUE;
}

guint
dh_event_store_get_n_sources (DhEventStore *self)
{
  return self->sources->len;
}

const DhSource *
dh_event_store_get_source (DhEventStore *self,
                           guint         index)
{
  g_return_val_if_fail (index < self->sources->len, NULL);
  return &g_array_index (self->sources, DhSource, index);
}

guint64
dh_event_store_get_n_rejected (DhEventStore *self)
{
  return self->n_rejected;
}

gboolean
dh_event_store_get_time_span (DhEventStore *self,
                              gint64       *first,
                              gint64       *last)
{
  if (self->events->len == 0)
    return FALSE;
  *first = self->first_time;
  *last = self->last_time;
  return TRUE;
}

/**
 * dh_event_store_get_memory:
 *
 * Returns: an estimate of the bytes the store holds
 */
gsize
dh_event_store_get_memory (DhEventStore *self)
{
  return (gsize) self->events->len * sizeof (DhEvent) +
         (gsize) self->answers->len * sizeof (DhAnswer) +
         dh_str_pool_get_memory (self->strings);
}

/* ---- merging a worker's store ---------------------------------------- */

struct _DhStoreRemap
{
  DhEventStore *dst;
  DhEventStore *src;
  guint32      *strings;   /* G_MAXUINT32 until first used */
  guint32      *origins;   /* likewise */
  guint         atoms[DH_N_ATOMS][G_MAXUINT16 + 1];
};

#define UNMAPPED G_MAXUINT32

static guint
remap_atom (DhEventStore *dst,
            DhEventStore *src,
            DhAtomKind    kind,
            guint         id)
{
  DhAtoms *sa = &src->atoms[kind];
  DhAtoms *da = &dst->atoms[kind];
  DhSlice text;

  if (id == sa->absent)
    return da->absent;
  if (id == sa->other)
    return da->other;
  text.str = dh_str_pool_get (sa->pool, id + 1);
  text.len = dh_str_pool_get_length (sa->pool, id + 1);
  return atom (dst, kind, &text);
}

/* Strings are interned into the destination on first use, so a compaction
 * does not carry over the strings only dropped events used. */
static inline guint32
map_string (DhStoreRemap *r,
            guint32       id)
{
  if (G_UNLIKELY (r->strings[id] == UNMAPPED))
    r->strings[id] = dh_str_pool_intern (r->dst->strings, dh_str_pool_get (r->src->strings, id),
                                         dh_str_pool_get_length (r->src->strings, id));
  return r->strings[id];
}

static inline guint32
map_origin (DhStoreRemap *r,
            guint32       id)
{
  if (G_UNLIKELY (r->origins[id] == UNMAPPED))
    {
      const DhOrigin *o = &g_array_index (r->src->origins, DhOrigin, id);
      DhOrigin m;
      m.account = map_string (r, o->account);
      m.region = map_string (r, o->region);
      m.vpc = map_string (r, o->vpc);
      m.version = map_string (r, o->version);
      m.interface = map_string (r, o->interface);
      r->origins[id] = origin_lookup (r->dst, &m);
    }
  return r->origins[id];
}

/**
 * dh_store_remap_new:
 * @dst: the store events are copied into
 * @src: a store that no longer changes (a worker's, or one being compacted)
 *
 * Maps the ids of @src to those of @dst: atoms at once (there are few),
 * strings and origins as events need them.
 */
DhStoreRemap *
dh_store_remap_new (DhEventStore *dst,
                    DhEventStore *src)
{
  DhStoreRemap *r = g_new (DhStoreRemap, 1);
  guint n = dh_str_pool_get_size (src->strings);

  r->dst = dst;
  r->src = src;
  r->strings = g_new (guint32, n);
  memset (r->strings, 0xff, n * sizeof (guint32));
  r->origins = g_new (guint32, MAX (1, src->origins->len));
  memset (r->origins, 0xff, MAX (1, src->origins->len) * sizeof (guint32));
  for (guint k = 0; k < DH_N_ATOMS; k++)
    {
      guint n_atoms = dh_str_pool_get_size (src->atoms[k].pool) - 1;
      for (guint i = 0; i < n_atoms; i++)
        r->atoms[k][i] = remap_atom (dst, src, k, i);
    }
  return r;
}

void
dh_store_remap_free (DhStoreRemap *r)
{
  if (r == NULL)
    return;
  g_free (r->strings);
  g_free (r->origins);
  g_free (r);
}

/* Appends event @i of the remap's source to its destination; @fw is the
 * index of the source's next firewall entry. */
static void
copy_event (DhStoreRemap *r,
            guint         i,
            guint        *fw)
{
  DhEventStore *dst = r->dst, *src = r->src;
  const DhEvent *se = &g_array_index (src->events, DhEvent, i);
  DhEvent de = *se;

  de.name = map_string (r, se->name);
  de.host = map_string (r, se->host);
  de.srcid = map_string (r, se->srcid);
  de.origin = map_origin (r, se->origin);
  de.qtype = r->atoms[DH_ATOMS_QTYPE][se->qtype];
  de.rcode = r->atoms[DH_ATOMS_RCODE][se->rcode];
  de.qclass = r->atoms[DH_ATOMS_QCLASS][se->qclass];
  de.transport = r->atoms[DH_ATOMS_TRANSPORT][se->transport];
  de.answers = dst->answers->len;
  for (guint a = 0; a < se->n_answers; a++)
    {
      DhAnswer ans = g_array_index (src->answers, DhAnswer, se->answers + a);
      ans.rdata = map_string (r, ans.rdata);
      ans.type = r->atoms[DH_ATOMS_QTYPE][ans.type];
      ans.qclass = r->atoms[DH_ATOMS_QCLASS][ans.qclass];
      g_array_append_val (dst->answers, ans);
    }
  if (se->flags & DH_EVENT_FIREWALL)
    {
      DhFirewall f = g_array_index (src->firewall, DhFirewall, (*fw)++);
      f.event = dst->events->len;
      f.action = map_string (r, f.action);
      f.group = map_string (r, f.group);
      f.domain_list = map_string (r, f.domain_list);
      g_array_append_val (dst->firewall, f);
    }
  g_array_append_val (dst->events, de);
  if (se->time < dst->first_time)
    dst->first_time = se->time;
  if (se->time > dst->last_time)
    dst->last_time = se->time;
}

/**
 * dh_event_store_merge:
 * @from: first event of @src to copy
 * @to: one past the last
 *
 * Appends events of a worker's store to the current source of @dst, in order.
 */
void
dh_event_store_merge (DhEventStore *dst,
                      DhEventStore *src,
                      DhStoreRemap *r,
                      guint         from,
                      guint         to)
{
  guint fw = 0;

  g_return_if_fail (to <= src->events->len && r->dst == dst && r->src == src);
  if (from >= to)
    return;

  /* first firewall entry at or after @from */
  while (fw < src->firewall->len && g_array_index (src->firewall, DhFirewall, fw).event < from)
    fw++;
  for (guint i = from; i < to; i++)
    copy_event (r, i, &fw);
  if (dst->current_source >= 0)
    g_array_index (dst->sources, DhSource, dst->current_source).n_lines += to - from;
}

/**
 * dh_event_store_compact:
 * @cutoff: the oldest time kept (µs)
 *
 * For following a live source: a new store with the events of @src from
 * @cutoff on, and only the strings they use. The counts of rejected records
 * carry over; the sources become one, named as @src's last.
 *
 * Returns: (transfer full): the new store
 */
DhEventStore *
dh_event_store_compact (DhEventStore *src,
                        gint64        cutoff)
{
  DhEventStore *dst = dh_event_store_new ();
  g_autoptr(DhStoreRemap) r = dh_store_remap_new (dst, src);
  guint fw = 0;
  const char *name = src->sources->len
    ? g_array_index (src->sources, DhSource, src->sources->len - 1).name : "";

  dh_event_store_begin_source (dst, name);
  for (guint i = 0; i < src->events->len; i++)
    {
      const DhEvent *se = &g_array_index (src->events, DhEvent, i);
      if (se->time >= cutoff)
        copy_event (r, i, &fw);
      else if (se->flags & DH_EVENT_FIREWALL)
        fw++;
    }
  g_array_index (dst->sources, DhSource, 0).n_lines = dst->events->len;
  dh_event_store_end_source (dst);
  dst->n_rejected = src->n_rejected;
  g_array_index (dst->sources, DhSource, 0).n_rejected = src->n_rejected;
  return dst;
}
