/* dh-snapshot.h: one finished, read-only state of the data under investigation
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "dh-rule-engine.h"
#include "dh-store-stats.h"

G_BEGIN_DECLS

typedef struct _DhSnapshot DhSnapshot;

#define DH_TYPE_SNAPSHOT (dh_snapshot_get_type ())

GType                dh_snapshot_get_type         (void) G_GNUC_CONST;
DhSnapshot          *dh_snapshot_build            (DhEventStore        *store,
                                                   const char * const  *inputs,
                                                   DhRuleBook          *book,
                                                   guint                book_serial,
                                                   GFunc                analysing,
                                                   gpointer             user_data,
                                                   GCancellable        *cancellable,
                                                   GError             **error);
DhSnapshot          *dh_snapshot_ref              (DhSnapshot          *snapshot);
void                 dh_snapshot_unref            (DhSnapshot          *snapshot);
DhEventStore        *dh_snapshot_get_store        (DhSnapshot          *snapshot);
DhStoreStats        *dh_snapshot_get_stats        (DhSnapshot          *snapshot);
GArray              *dh_snapshot_get_time_order   (DhSnapshot          *snapshot);
DhAlertSet          *dh_snapshot_get_alerts       (DhSnapshot          *snapshot);
const char * const  *dh_snapshot_get_inputs       (DhSnapshot          *snapshot);
guint                dh_snapshot_get_book_serial  (DhSnapshot          *snapshot);
void                 dh_snapshot_set_label        (DhSnapshot          *snapshot,
                                                   const char          *label);
const char          *dh_snapshot_get_label        (DhSnapshot          *snapshot);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DhSnapshot, dh_snapshot_unref)

G_END_DECLS
