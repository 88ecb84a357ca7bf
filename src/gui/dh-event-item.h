/* dh-event-item.h: one event of a store, as a list item
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "dh-event-store.h"

G_BEGIN_DECLS

#define DH_TYPE_EVENT_ITEM (dh_event_item_get_type ())

G_DECLARE_FINAL_TYPE (DhEventItem, dh_event_item, DH, EVENT_ITEM, GObject)

DhEventItem   *dh_event_item_new         (DhEventStore *store,
                                          guint32       index);
guint32        dh_event_item_get_index   (DhEventItem  *self);
void           dh_event_item_set_event   (DhEventItem  *self,
                                          DhEventStore *store,
                                          guint32       index);
const DhEvent *dh_event_item_get_event   (DhEventItem  *self);
DhEventStore  *dh_event_item_get_store   (DhEventItem  *self);
const char    *dh_event_item_get_name    (DhEventItem  *self);
const char    *dh_event_item_get_host    (DhEventItem  *self);
const char    *dh_event_item_get_srcid   (DhEventItem  *self);
const char    *dh_event_item_get_qtype   (DhEventItem  *self);
const char    *dh_event_item_get_rcode   (DhEventItem  *self);
const char    *dh_event_item_get_transport (DhEventItem *self);
char          *dh_event_item_format_time (DhEventItem  *self);
char          *dh_event_item_format_answers (DhEventItem *self);

G_END_DECLS
