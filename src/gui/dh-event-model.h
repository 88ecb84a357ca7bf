/* dh-event-model.h: a lazy list model over events of a store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "dh-event-store.h"

G_BEGIN_DECLS

#define DH_TYPE_EVENT_MODEL (dh_event_model_get_type ())

G_DECLARE_FINAL_TYPE (DhEventModel, dh_event_model, DH, EVENT_MODEL, GObject)

DhEventModel *dh_event_model_new        (void);
void          dh_event_model_set_events (DhEventModel *self,
                                         DhEventStore *store,
                                         GArray       *indices);
void          dh_event_model_clear      (DhEventModel *self);
DhEventStore *dh_event_model_get_store  (DhEventModel *self);
guint         dh_event_model_get_n_events (DhEventModel *self);
guint32       dh_event_model_get_event_index (DhEventModel *self,
                                              guint         position);

G_END_DECLS
