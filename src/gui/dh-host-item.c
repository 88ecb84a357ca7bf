/* dh-host-item.c: one source address, with its counts and alerts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "dh-host-item.h"

struct _DhHostItem
{
  GObject       parent_instance;
  DhEventStore *store;
  DhHostStats   stats;      /* a copy: the statistics may be replaced */
  guint         n_alerts[DH_SEVERITY_HIGH + 1];
};

G_DEFINE_FINAL_TYPE (DhHostItem, dh_host_item, G_TYPE_OBJECT)

static void
dh_host_item_finalize (GObject *object)
{
  DhHostItem *self = DH_HOST_ITEM (object);

  dh_event_store_unref (self->store);
  G_OBJECT_CLASS (dh_host_item_parent_class)->finalize (object);
}

static void
dh_host_item_class_init (DhHostItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = dh_host_item_finalize;
}

static void
dh_host_item_init (DhHostItem *self)
{
}

DhHostItem *
dh_host_item_new (DhEventStore      *store,
                  const DhHostStats *stats)
{
  DhHostItem *self = g_object_new (DH_TYPE_HOST_ITEM, NULL);

  self->store = dh_event_store_ref (store);
  self->stats = *stats;
  return self;
}

const DhHostStats *
dh_host_item_get_stats (DhHostItem *self)
{
  return &self->stats;
}

const char *
dh_host_item_get_host (DhHostItem *self)
{
  return dh_event_store_get_string (self->store, self->stats.host);
}

const char *
dh_host_item_get_srcid (DhHostItem *self)
{
  return dh_event_store_get_string (self->store, self->stats.srcid);
}

double
dh_host_item_get_nxdomain_share (DhHostItem *self)
{
  return self->stats.n_events ? (double) self->stats.n_nxdomain / self->stats.n_events : 0.0;
}

void
dh_host_item_count_alert (DhHostItem *self,
                          DhSeverity  severity)
{
  g_return_if_fail (severity <= DH_SEVERITY_HIGH);
  self->n_alerts[severity]++;
}

guint
dh_host_item_get_n_alerts (DhHostItem *self,
                           DhSeverity  severity)
{
  g_return_val_if_fail (severity <= DH_SEVERITY_HIGH, 0);
  return self->n_alerts[severity];
}

/**
 * dh_host_item_get_alert_score:
 *
 * Returns: a number that sorts hosts by their worst alerts first
 */
guint
dh_host_item_get_alert_score (DhHostItem *self)
{
  return MIN (self->n_alerts[DH_SEVERITY_HIGH], 999) * 1000000 +
         MIN (self->n_alerts[DH_SEVERITY_MEDIUM], 999) * 1000 +
         MIN (self->n_alerts[DH_SEVERITY_LOW], 999);
}
