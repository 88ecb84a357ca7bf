/* dh-alert-tracker.c: which alerts of a live source are new
 *
 * A live source (--follow, the window's Follow) runs the rules again on
 * every snapshot of its last --retention, and each time the same episodes
 * come back, grown, or cut at their start by the retention. An alert is new
 * when its rule has no episode on that host that it continues: one whose
 * last event is within the rule's window before this one's first. Keyed by
 * text, since each snapshot has a store of its own.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "dh-alert-tracker.h"

struct _DhAlertTracker
{
  GHashTable *last;   /* "rule\thost" -> gint64 *: the last event of its latest episode */
};

DhAlertTracker *
dh_alert_tracker_new (void)
{
  DhAlertTracker *self = g_new0 (DhAlertTracker, 1);

  self->last = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return self;
}

void
dh_alert_tracker_free (DhAlertTracker *self)
{
  if (self == NULL)
    return;
  g_hash_table_unref (self->last);
  g_free (self);
}

static int
compare_first_seen (gconstpointer a,
                    gconstpointer b)
{
  const DhAlert *x = *(DhAlert * const *) a, *y = *(DhAlert * const *) b;

  return x->first_seen < y->first_seen ? -1 : (x->first_seen > y->first_seen);
}

/**
 * dh_alert_tracker_fresh:
 * @alerts: the alerts of the latest snapshot
 *
 * Returns: (transfer container) (element-type DhAlert): the alerts of
 *   @alerts that opened since the last call, in the order they opened
 */
GPtrArray *
dh_alert_tracker_fresh (DhAlertTracker *self,
                        DhAlertSet     *alerts)
{
  GPtrArray *fresh = g_ptr_array_new ();
  DhEventStore *store = dh_alert_set_get_store (alerts);
  DhRuleBook *book = dh_alert_set_get_rule_book (alerts);
  guint n = dh_alert_set_get_n_alerts (alerts);

  for (guint i = 0; i < n; i++)
    {
      const DhAlert *a = dh_alert_set_get_alert (alerts, i);
      const DhRule *rule = dh_rule_book_get_rule (book, a->rule);
      gint64 window = dh_rule_get_number (rule, "window");
      char *key = g_strdup_printf ("%s\t%s", rule->id, dh_event_store_get_string (store, a->host));
      gint64 *last = g_hash_table_lookup (self->last, key);

      /* an episode already seen goes on (or lost its oldest events) */
      if (last != NULL && a->first_seen <= *last + window)
        {
          *last = MAX (*last, a->last_seen);
          g_free (key);
          continue;
        }
      if (last == NULL)
        {
          last = g_new (gint64, 1);
          g_hash_table_insert (self->last, key, last);
        }
      else
        g_free (key);
      *last = a->last_seen;
      g_ptr_array_add (fresh, (gpointer) a);
    }
  g_ptr_array_sort (fresh, compare_first_seen);
  return fresh;
}
