/* dh-rule-engine.c: running the rules over a store, and the alerts they raise
 *
 * One pass over the events decides, for every enabled rule, whether an event
 * matches. Everything that depends only on a name or a host is computed once
 * per distinct string and cached, since names repeat far more than they vary.
 * Matches are then grouped per host in time order: an event is "hot" when some
 * window of the rule's length around it holds at least the rule's threshold of
 * matches, and hot events whose gaps stay within the window form one alert.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <gio/gio.h>

#include "dh-rule-engine.h"
#include "dh-match.h"

struct _DhAlertSet
{
  gatomicrefcount  ref_count;
  DhEventStore    *store;
  DhRuleBook      *book;
  GPtrArray       *alerts;
  guint            n_hosts;
};

typedef struct
{
  guint32 host;
  guint32 event;
} Match;

typedef struct
{
  const DhRule *rule;
  guint         threshold;
  gint64        window;
  DhDomainSet  *allow;
  GPtrArray    *allow_hosts;     /* GInetAddressMask * or NULL for a plain string */
  GPtrArray    *allow_host_text; /* char * */
  DhDomainSet  *domains;         /* list or exclusions */
  GPtrArray    *patterns;        /* legit names */
  guint8       *types;           /* qtype atom bitmap (DH_RULE_UNCOMMON_RECORD_TYPES) */
  guint8       *escalate;        /* qtype atom bitmap (DH_RULE_DNS_OVER_TCP) */
  guint         min_length;
  guint         min_printable;
  guint8       *name_cache;      /* per string id: 0 unknown, 1 fails, 2 passes */
  guint8       *host_cache;
  GArray       *matches;
} Compiled;

#define BITMAP_SIZE (65536 / 8)

static inline gboolean
bitmap_get (const guint8 *bits,
            guint         i)
{
  return bits != NULL && i < 65536 && (bits[i >> 3] >> (i & 7)) & 1;
}

static guint8 *
type_bitmap (DhEventStore *store,
             GPtrArray    *types)
{
  guint8 *bits = g_new0 (guint8, BITMAP_SIZE);

  for (guint i = 0; types && i < types->len; i++)
    {
      g_autofree char *up = g_ascii_strup (types->pdata[i], -1);
      guint atom;
      if (dh_event_store_lookup_atom (store, DH_ATOMS_QTYPE, up, &atom) && atom < 65536)
        bits[atom >> 3] |= 1 << (atom & 7);
    }
  return bits;
}

static void
add_domains (DhDomainSet *set,
             GPtrArray   *list)
{
  for (guint i = 0; list && i < list->len; i++)
    dh_domain_set_add (set, list->pdata[i]);
}

static void
unref_if_set (gpointer object)
{
  if (object)
    g_object_unref (object);
}

static void
add_hosts (Compiled  *c,
           GPtrArray *list)
{
  for (guint i = 0; list && i < list->len; i++)
    {
      const char *text = list->pdata[i];
      GInetAddressMask *mask = g_inet_address_mask_new_from_string (text, NULL);
      g_ptr_array_add (c->allow_hosts, mask);
      g_ptr_array_add (c->allow_host_text, g_strdup (text));
    }
}

static void
compiled_clear (Compiled *c)
{
  g_clear_pointer (&c->allow, dh_domain_set_free);
  g_clear_pointer (&c->allow_hosts, g_ptr_array_unref);
  g_clear_pointer (&c->allow_host_text, g_ptr_array_unref);
  g_clear_pointer (&c->domains, dh_domain_set_free);
  g_clear_pointer (&c->types, g_free);
  g_clear_pointer (&c->escalate, g_free);
  g_clear_pointer (&c->name_cache, g_free);
  g_clear_pointer (&c->host_cache, g_free);
  g_clear_pointer (&c->matches, g_array_unref);
}

static void
compile (Compiled     *c,
         const DhRule *rule,
         DhRuleBook   *book,
         DhEventStore *store,
         guint         n_strings)
{
  GPtrArray *list;

  memset (c, 0, sizeof *c);
  c->rule = rule;
  c->threshold = MAX (1, dh_rule_get_number (rule, "threshold"));
  c->window = dh_rule_get_number (rule, "window");
  c->allow = dh_domain_set_new ();
  add_domains (c->allow, dh_rule_get_list (rule, "allow"));
  add_domains (c->allow, dh_rule_book_get_global_list (book, "allow"));
  c->allow_hosts = g_ptr_array_new_with_free_func (unref_if_set);
  c->allow_host_text = g_ptr_array_new_with_free_func (g_free);
  add_hosts (c, dh_rule_get_list (rule, "allow-hosts"));
  add_hosts (c, dh_rule_book_get_global_list (book, "allow-hosts"));

  c->domains = dh_domain_set_new ();
  if ((list = dh_rule_get_list (rule, "list")) != NULL)
    add_domains (c->domains, list);
  if ((list = dh_rule_get_list (rule, "exclude")) != NULL)
    add_domains (c->domains, list);
  c->patterns = dh_rule_get_list (rule, "legit-names");
  if (rule->kind == DH_RULE_UNCOMMON_RECORD_TYPES)
    c->types = type_bitmap (store, dh_rule_get_list (rule, "types"));
  if (rule->kind == DH_RULE_DNS_OVER_TCP)
    c->escalate = type_bitmap (store, dh_rule_get_list (rule, "escalate-types"));
  c->min_length = dh_rule_get_number (rule, "min-length");
  c->min_printable = dh_rule_get_number (rule, "min-printable");
  c->name_cache = g_new0 (guint8, n_strings);
  c->host_cache = g_new0 (guint8, n_strings);
  c->matches = g_array_new (FALSE, FALSE, sizeof (Match));
}

static gboolean
name_passes (Compiled     *c,
             DhStrPool    *pool,
             guint32       id)
{
  const char *raw = dh_str_pool_get (pool, id);
  gsize raw_len = dh_str_pool_get_length (pool, id);
  char norm[DH_NAME_MAX];
  gsize len = dh_name_normalize (raw, raw_len, norm);
  gboolean match;

  switch (c->rule->kind)
    {
    case DH_RULE_NXDOMAIN_BURST:
      {
        /* cloud-init probes a name that must not exist, bare or with search
         * domains appended */
        static const char probe[] = "__cloud_init_expected_not_found__";
        gsize plen = sizeof probe - 1;
        match = !dh_domain_set_covers (c->domains, norm, len) &&
                !(len >= plen && memcmp (norm, probe, plen) == 0 &&
                  (len == plen || norm[plen] == '.'));
      }
      break;

    case DH_RULE_METADATA_IP_ANSWER:
      match = TRUE;
      for (guint i = 0; c->patterns && i < c->patterns->len; i++)
        if (dh_name_matches_pattern (norm, len, c->patterns->pdata[i]))
          match = FALSE;
      break;

    case DH_RULE_SUSPICIOUS_TLD:
      {
        gsize tld_len;
        const char *tld = dh_name_tld (norm, len, &tld_len);
        match = tld_len > 0 && dh_domain_set_contains (c->domains, tld, tld_len);
      }
      break;

    case DH_RULE_PASTE_SITE:
    case DH_RULE_MONERO_POOL:
      match = dh_domain_set_covers (c->domains, norm, len);
      break;

    case DH_RULE_BASE64_LABEL:
      {
        gsize l = raw_len > 0 && raw[raw_len - 1] == '.' ? raw_len - 1 : raw_len;
        match = dh_name_has_base64_label (raw, l, c->min_length, c->min_printable);
      }
      break;

    case DH_RULE_K8S_ENUMERATION:
      match = dh_name_is_k8s_enumeration (norm, len);
      break;

    case DH_RULE_DNS_OVER_TCP:
    case DH_RULE_REFUSED_BURST:
    case DH_RULE_UNCOMMON_RECORD_TYPES:
    default:
      match = TRUE;
      break;
    }

  return match && !dh_domain_set_covers (c->allow, norm, len);
}

static gboolean
host_passes (Compiled  *c,
             DhStrPool *pool,
             guint32    id)
{
  const char *text = dh_str_pool_get (pool, id);
  g_autoptr(GInetAddress) addr = NULL;

  if (c->allow_hosts->len == 0)
    return TRUE;
  addr = g_inet_address_new_from_string (text);
  for (guint i = 0; i < c->allow_hosts->len; i++)
    {
      GInetAddressMask *mask = c->allow_hosts->pdata[i];
      if (mask != NULL && addr != NULL &&
          g_inet_address_get_family (addr) == g_inet_address_mask_get_family (mask) &&
          g_inet_address_mask_matches (mask, addr))
        return FALSE;
      if (g_ascii_strcasecmp (c->allow_host_text->pdata[i], text) == 0)
        return FALSE;
    }
  return TRUE;
}

static inline gboolean
cached (guint8   *cache,
        guint32   id,
        Compiled *c,
        DhStrPool *pool,
        gboolean (*compute) (Compiled *, DhStrPool *, guint32))
{
  if (cache[id] == 0)
    cache[id] = compute (c, pool, id) ? 2 : 1;
  return cache[id] == 2;
}

/* Whether an answer's Rdata is one of the metadata addresses, per string id. */
typedef struct
{
  GPtrArray *addresses;  /* GInetAddress * */
  guint8    *cache;
} MetadataMatcher;

static gboolean
rdata_is_metadata (MetadataMatcher *m,
                   DhStrPool       *pool,
                   guint32          id)
{
  if (m->cache[id] == 0)
    {
      const char *text = dh_str_pool_get (pool, id);
      g_autoptr(GInetAddress) addr = NULL;
      gboolean hit = FALSE;

      if (*text && (g_ascii_isxdigit (*text) || *text == ':'))
        addr = g_inet_address_new_from_string (text);
      for (guint i = 0; addr && i < m->addresses->len; i++)
        if (g_inet_address_equal (addr, m->addresses->pdata[i]))
          hit = TRUE;
      m->cache[id] = hit ? 2 : 1;
    }
  return m->cache[id] == 2;
}

static gboolean
event_matches (Compiled        *c,
               DhEventStore    *store,
               DhStrPool       *pool,
               MetadataMatcher *meta,
               const DhEvent   *ev)
{
  switch (c->rule->kind)
    {
    case DH_RULE_NXDOMAIN_BURST:
      if (ev->rcode != DH_RCODE_NXDOMAIN)
        return FALSE;
      break;
    case DH_RULE_DNS_OVER_TCP:
      if (ev->transport != DH_TRANSPORT_TCP)
        return FALSE;
      break;
    case DH_RULE_REFUSED_BURST:
      if (ev->rcode != DH_RCODE_REFUSED)
        return FALSE;
      break;
    case DH_RULE_UNCOMMON_RECORD_TYPES:
      if (!bitmap_get (c->types, ev->qtype))
        return FALSE;
      break;
    case DH_RULE_METADATA_IP_ANSWER:
      {
        const DhAnswer *answers = dh_event_store_get_answers (store, ev);
        gboolean hit = FALSE;
        for (guint i = 0; i < ev->n_answers && !hit; i++)
          hit = rdata_is_metadata (meta, pool, answers[i].rdata);
        if (!hit)
          return FALSE;
      }
      break;
    default:
      break;
    }
  return cached (c->name_cache, ev->name, c, pool, name_passes) &&
         cached (c->host_cache, ev->host, c, pool, host_passes);
}

static int
compare_matches (gconstpointer a,
                 gconstpointer b,
                 gpointer      data)
{
  const Match *ma = a, *mb = b;
  const DhEvent *events = data;

  if (ma->host != mb->host)
    return ma->host < mb->host ? -1 : 1;
  if (events[ma->event].time != events[mb->event].time)
    return events[ma->event].time < events[mb->event].time ? -1 : 1;
  return ma->event < mb->event ? -1 : (ma->event > mb->event);
}

static void
alert_free (gpointer data)
{
  DhAlert *alert = data;

  g_array_unref (alert->events);
  g_array_unref (alert->names);
  g_free (alert);
}

static DhAlert *
alert_new (Compiled      *c,
           DhEventStore  *store,
           const DhEvent *events,
           const Match   *matches,
           const guint8  *hot,
           guint          from,
           guint          to)
{
  DhAlert *alert = g_new0 (DhAlert, 1);
  g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);

  alert->rule = c->rule->kind;
  alert->severity = c->rule->severity;
  alert->host = matches[from].host;
  alert->events = g_array_new (FALSE, FALSE, sizeof (guint32));
  alert->names = g_array_new (FALSE, FALSE, sizeof (guint32));
  alert->vpc = dh_event_store_get_origin (store, events[matches[from].event].origin)->vpc;

  for (guint k = from; k < to; k++)
    {
      const DhEvent *ev;

      if (!hot[k])
        continue;
      ev = &events[matches[k].event];
      g_array_append_val (alert->events, matches[k].event);
      if (alert->count == 0)
        alert->first_seen = ev->time;
      alert->last_seen = ev->time;
      alert->count++;
      if (alert->srcid == DH_STR_EMPTY && ev->srcid != DH_STR_EMPTY)
        {
          alert->srcid = ev->srcid;
          alert->srcid_flags = ev->flags & (DH_EVENT_SRCID_INSTANCE | DH_EVENT_SRCID_RESOLVER);
        }
      if (g_hash_table_add (seen, GUINT_TO_POINTER (ev->name + 1)))
        g_array_append_val (alert->names, ev->name);
      if (c->escalate && bitmap_get (c->escalate, ev->qtype))
        alert->severity = DH_SEVERITY_HIGH;
    }
  return alert;
}

static void
collect_alerts (Compiled     *c,
                DhEventStore *store,
                GPtrArray    *alerts)
{
  const DhEvent *events = dh_event_store_get_events (store);
  GArray *m = c->matches;
  const Match *matches;
  g_autofree guint8 *hot = NULL;
  guint a = 0;

  if (m->len == 0)
    return;
  g_array_sort_with_data (m, compare_matches, (gpointer) events);
  matches = (const Match *) m->data;
  hot = g_new0 (guint8, m->len);

  while (a < m->len)
    {
      guint b = a, lo = a, hot_until = a;
      guint start = G_MAXUINT, last_hot = 0;

      while (b < m->len && matches[b].host == matches[a].host)
        b++;

      /* Mark every event inside a window that reaches the threshold. */
      for (guint j = a; j < b; j++)
        {
          while (events[matches[j].event].time - events[matches[lo].event].time > c->window)
            lo++;
          if (j - lo + 1 >= c->threshold)
            {
              for (guint k = MAX (lo, hot_until); k <= j; k++)
                hot[k] = 1;
              hot_until = j + 1;
            }
        }

      /* Chain hot events into episodes. */
      for (guint j = a; j < b; j++)
        {
          if (!hot[j])
            continue;
          if (start != G_MAXUINT &&
              events[matches[j].event].time - events[matches[last_hot].event].time > c->window)
            {
              g_ptr_array_add (alerts, alert_new (c, store, events, matches, hot, start,
                                                  last_hot + 1));
              start = G_MAXUINT;
            }
          if (start == G_MAXUINT)
            start = j;
          last_hot = j;
        }
      if (start != G_MAXUINT)
        g_ptr_array_add (alerts, alert_new (c, store, events, matches, hot, start, last_hot + 1));
      a = b;
    }
}

typedef struct
{
  DhStrPool *pool;
} SortContext;

static int
compare_alerts (gconstpointer a,
                gconstpointer b,
                gpointer      data)
{
  const DhAlert *x = *(DhAlert * const *) a, *y = *(DhAlert * const *) b;
  SortContext *ctx = data;

  if (x->severity != y->severity)
    return x->severity > y->severity ? -1 : 1;
  if (x->first_seen != y->first_seen)
    return x->first_seen < y->first_seen ? -1 : 1;
  if (x->rule != y->rule)
    return x->rule < y->rule ? -1 : 1;
  return strcmp (dh_str_pool_get (ctx->pool, x->host), dh_str_pool_get (ctx->pool, y->host));
}

/**
 * dh_analyze:
 * @store: the events
 * @book: rules and settings; not changed
 *
 * Runs every enabled rule. Safe to call from a worker thread as long as
 * nothing adds to @store meanwhile.
 *
 * Returns: (transfer full): the alerts, most severe first; %NULL when cancelled
 */
DhAlertSet *
dh_analyze (DhEventStore  *store,
            DhRuleBook    *book,
            GCancellable  *cancellable,
            GError       **error)
{
  DhStrPool *pool = dh_event_store_get_pool (store);
  guint n_strings = dh_str_pool_get_size (pool);
  guint n_events = dh_event_store_get_n_events (store);
  const DhEvent *events = dh_event_store_get_events (store);
  Compiled compiled[DH_N_RULES];
  guint n_compiled = 0;
  MetadataMatcher meta = { 0 };
  g_autofree guint8 *host_seen = g_new0 (guint8, n_strings);
  DhAlertSet *set;
  SortContext ctx = { pool };
  GPtrArray *addresses;
  gboolean cancelled = FALSE;

  set = g_new0 (DhAlertSet, 1);
  g_atomic_ref_count_init (&set->ref_count);
  set->store = dh_event_store_ref (store);
  set->book = dh_rule_book_ref (book);
  set->alerts = g_ptr_array_new_with_free_func (alert_free);

  for (guint r = 0; r < DH_N_RULES; r++)
    {
      const DhRule *rule = dh_rule_book_get_rule (book, r);
      if (dh_rule_get_number (rule, "enabled"))
        compile (&compiled[n_compiled++], rule, book, store, n_strings);
    }

  meta.addresses = g_ptr_array_new_with_free_func (g_object_unref);
  meta.cache = g_new0 (guint8, n_strings);
  addresses = dh_rule_get_list (dh_rule_book_get_rule (book, DH_RULE_METADATA_IP_ANSWER),
                                "addresses");
  for (guint i = 0; addresses && i < addresses->len; i++)
    {
      GInetAddress *addr = g_inet_address_new_from_string (addresses->pdata[i]);
      if (addr)
        g_ptr_array_add (meta.addresses, addr);
    }

  for (guint i = 0; i < n_events; i++)
    {
      const DhEvent *ev = &events[i];

      if ((i & 0xffff) == 0 && g_cancellable_is_cancelled (cancellable))
        {
          cancelled = TRUE;
          break;
        }
      if (!host_seen[ev->host])
        {
          host_seen[ev->host] = 1;
          set->n_hosts++;
        }
      for (guint r = 0; r < n_compiled; r++)
        if (event_matches (&compiled[r], store, pool, &meta, ev))
          {
            Match m = { ev->host, i };
            g_array_append_val (compiled[r].matches, m);
          }
    }

  for (guint r = 0; r < n_compiled; r++)
    {
      if (!cancelled)
        collect_alerts (&compiled[r], store, set->alerts);
      compiled_clear (&compiled[r]);
    }
  g_ptr_array_unref (meta.addresses);
  g_free (meta.cache);

  if (cancelled || g_cancellable_set_error_if_cancelled (cancellable, error))
    {
      dh_alert_set_unref (set);
      if (error && *error == NULL)
        g_cancellable_set_error_if_cancelled (cancellable, error);
      return NULL;
    }

  g_ptr_array_sort_with_data (set->alerts, compare_alerts, &ctx);
  return set;
}

DhAlertSet *
dh_alert_set_ref (DhAlertSet *set)
{
  g_atomic_ref_count_inc (&set->ref_count);
  return set;
}

void
dh_alert_set_unref (DhAlertSet *set)
{
  if (set == NULL || !g_atomic_ref_count_dec (&set->ref_count))
    return;
  g_ptr_array_unref (set->alerts);
  dh_event_store_unref (set->store);
  dh_rule_book_unref (set->book);
  g_free (set);
}

guint
dh_alert_set_get_n_alerts (DhAlertSet *set)
{
  return set->alerts->len;
}

const DhAlert *
dh_alert_set_get_alert (DhAlertSet *set,
                        guint       index)
{
  g_return_val_if_fail (index < set->alerts->len, NULL);
  return set->alerts->pdata[index];
}

DhEventStore *
dh_alert_set_get_store (DhAlertSet *set)
{
  return set->store;
}

DhRuleBook *
dh_alert_set_get_rule_book (DhAlertSet *set)
{
  return set->book;
}

/**
 * dh_alert_set_count_at_least:
 *
 * Returns: how many alerts have @severity or higher
 */
guint
dh_alert_set_count_at_least (DhAlertSet *set,
                             DhSeverity  severity)
{
  guint n = 0;

  for (guint i = 0; i < set->alerts->len; i++)
    if (((DhAlert *) set->alerts->pdata[i])->severity >= severity)
      n++;
  return n;
}

/**
 * dh_alert_set_get_n_hosts:
 *
 * Returns: the number of distinct source addresses in the events
 */
guint
dh_alert_set_get_n_hosts (DhAlertSet *set)
{
  return set->n_hosts;
}
