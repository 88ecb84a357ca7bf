/* dh-host-item.h: one source address, with its counts and alerts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "dh-investigation.h"

G_BEGIN_DECLS

#define DH_TYPE_HOST_ITEM (dh_host_item_get_type ())

G_DECLARE_FINAL_TYPE (DhHostItem, dh_host_item, DH, HOST_ITEM, GObject)

DhHostItem        *dh_host_item_new          (DhEventStore      *store,
                                              const DhHostStats *stats);
const DhHostStats *dh_host_item_get_stats    (DhHostItem        *self);
const char        *dh_host_item_get_host     (DhHostItem        *self);
const char        *dh_host_item_get_srcid    (DhHostItem        *self);
double             dh_host_item_get_nxdomain_share (DhHostItem  *self);
void               dh_host_item_count_alert  (DhHostItem        *self,
                                              DhSeverity         severity);
guint              dh_host_item_get_n_alerts (DhHostItem        *self,
                                              DhSeverity         severity);
guint              dh_host_item_get_alert_score (DhHostItem     *self);

G_END_DECLS
