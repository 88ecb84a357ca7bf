/* dh-store-compare.c: do two stores hold the same events?
 *
 * Compares by text, not by id: the two stores intern in different orders.
 * Used by the differential test and the fuzz target, so it uses no GLib
 * test macros.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "dh-store-compare.h"

#define DIFF(...) return g_strdup_printf (__VA_ARGS__)

static gboolean
same_id (DhEventStore *a,
         guint32       ia,
         DhEventStore *b,
         guint32       ib)
{
  return g_str_equal (dh_event_store_get_string (a, ia), dh_event_store_get_string (b, ib));
}

static gboolean
same_atom (DhEventStore *a,
           guint         ia,
           DhEventStore *b,
           guint         ib,
           DhAtomKind    kind)
{
  return g_str_equal (dh_event_store_get_atom (a, kind, ia), dh_event_store_get_atom (b, kind, ib));
}

/**
 * dh_store_compare:
 *
 * Returns: (transfer full) (nullable): %NULL when the readers' stores and
 *   rejects agree, else what differs first
 */
char *
dh_store_compare (DhReader *ra,
                  DhReader *rb)
{
  DhEventStore *a = dh_reader_get_store (ra);
  DhEventStore *b = dh_reader_get_store (rb);
  guint n = dh_event_store_get_n_events (a);
  guint na, nb;
  const DhReject *ja = dh_reader_get_rejects (ra, &na);
  const DhReject *jb = dh_reader_get_rejects (rb, &nb);

  if (n != dh_event_store_get_n_events (b))
    DIFF ("%u events against %u", n, dh_event_store_get_n_events (b));
  if (dh_event_store_get_n_rejected (a) != dh_event_store_get_n_rejected (b))
    DIFF ("%" G_GUINT64_FORMAT " rejected against %" G_GUINT64_FORMAT,
          dh_event_store_get_n_rejected (a), dh_event_store_get_n_rejected (b));
  if (na != nb)
    DIFF ("%u rejects kept against %u", na, nb);
  for (guint i = 0; i < na; i++)
    if (ja[i].line != jb[i].line || !g_str_equal (ja[i].reason, jb[i].reason) ||
        ja[i].source != jb[i].source)
      DIFF ("reject %u: line %" G_GUINT64_FORMAT " (%s) against line %" G_GUINT64_FORMAT " (%s)",
            i, ja[i].line, ja[i].reason, jb[i].line, jb[i].reason);

  if (dh_event_store_get_n_sources (a) != dh_event_store_get_n_sources (b))
    DIFF ("%u sources against %u", dh_event_store_get_n_sources (a),
          dh_event_store_get_n_sources (b));
  for (guint i = 0; i < dh_event_store_get_n_sources (a); i++)
    {
      const DhSource *sx = dh_event_store_get_source (a, i);
      const DhSource *sy = dh_event_store_get_source (b, i);
      if (g_strcmp0 (sx->name, sy->name) != 0 || sx->first_event != sy->first_event ||
          sx->n_events != sy->n_events || sx->n_lines != sy->n_lines ||
          sx->n_rejected != sy->n_rejected)
        DIFF ("source %u: %s (%u events from %u, %" G_GUINT64_FORMAT " lines, %"
              G_GUINT64_FORMAT " rejected) against %s (%u from %u, %" G_GUINT64_FORMAT ", %"
              G_GUINT64_FORMAT ")", i, sx->name, sx->n_events, sx->first_event, sx->n_lines,
              sx->n_rejected, sy->name, sy->n_events, sy->first_event, sy->n_lines,
              sy->n_rejected);
    }

  for (guint i = 0; i < n; i++)
    {
      const DhEvent *x = dh_event_store_get_event (a, i);
      const DhEvent *y = dh_event_store_get_event (b, i);
      const DhOrigin *ox = dh_event_store_get_origin (a, x->origin);
      const DhOrigin *oy = dh_event_store_get_origin (b, y->origin);
      const DhAnswer *ax = dh_event_store_get_answers (a, x);
      const DhAnswer *ay = dh_event_store_get_answers (b, y);
      const DhFirewall *fx = dh_event_store_get_firewall (a, i);
      const DhFirewall *fy = dh_event_store_get_firewall (b, i);

      if (x->time != y->time || x->srcport != y->srcport || x->flags != y->flags ||
          x->n_answers != y->n_answers)
        DIFF ("event %u: time, port, flags or answer count differ", i);
      if (!same_id (a, x->name, b, y->name) || !same_id (a, x->host, b, y->host) ||
          !same_id (a, x->srcid, b, y->srcid))
        DIFF ("event %u: name, host or source id differ", i);
      if (!same_id (a, ox->account, b, oy->account) || !same_id (a, ox->region, b, oy->region) ||
          !same_id (a, ox->vpc, b, oy->vpc) || !same_id (a, ox->version, b, oy->version) ||
          !same_id (a, ox->interface, b, oy->interface))
        DIFF ("event %u: origin differs", i);
      if (!same_atom (a, x->qtype, b, y->qtype, DH_ATOMS_QTYPE) ||
          !same_atom (a, x->rcode, b, y->rcode, DH_ATOMS_RCODE) ||
          !same_atom (a, x->qclass, b, y->qclass, DH_ATOMS_QCLASS) ||
          !same_atom (a, x->transport, b, y->transport, DH_ATOMS_TRANSPORT))
        DIFF ("event %u: type, rcode, class or transport differ", i);
      for (guint k = 0; k < x->n_answers; k++)
        if (!same_id (a, ax[k].rdata, b, ay[k].rdata) ||
            !same_atom (a, ax[k].type, b, ay[k].type, DH_ATOMS_QTYPE) ||
            !same_atom (a, ax[k].qclass, b, ay[k].qclass, DH_ATOMS_QCLASS))
          DIFF ("event %u: answer %u differs", i, k);
      if ((fx == NULL) != (fy == NULL))
        DIFF ("event %u: firewall fields on one side only", i);
      if (fx && (!same_id (a, fx->action, b, fy->action) || !same_id (a, fx->group, b, fy->group) ||
                 !same_id (a, fx->domain_list, b, fy->domain_list)))
        DIFF ("event %u: firewall fields differ", i);
    }
  return NULL;
}
