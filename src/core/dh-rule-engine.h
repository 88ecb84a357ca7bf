/* dh-rule-engine.h: running the rules over a store, and the alerts they raise
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "dh-event-store.h"
#include "dh-rule-book.h"

G_BEGIN_DECLS

/* One episode of one rule on one host. */
typedef struct
{
  DhRuleKind  rule;
  DhSeverity  severity;
  guint32     host;        /* string id of srcaddr */
  guint32     srcid;       /* instance or resolver endpoint id, or DH_STR_EMPTY */
  guint8      srcid_flags; /* DH_EVENT_SRCID_INSTANCE or DH_EVENT_SRCID_RESOLVER */
  guint32     vpc;         /* string id */
  gint64      first_seen;
  gint64      last_seen;
  guint       count;
  GArray     *events;      /* guint32 event indices, in time order */
  GArray     *names;       /* guint32 distinct name ids, in order of first use */
} DhAlert;

DhAlertSet    *dh_analyze                  (DhEventStore  *store,
                                            DhRuleBook    *book,
                                            GCancellable  *cancellable,
                                            GError       **error);
DhAlertSet    *dh_alert_set_ref            (DhAlertSet    *set);
void           dh_alert_set_unref          (DhAlertSet    *set);
guint          dh_alert_set_get_n_alerts   (DhAlertSet    *set);
const DhAlert *dh_alert_set_get_alert      (DhAlertSet    *set,
                                            guint          index);
DhEventStore  *dh_alert_set_get_store      (DhAlertSet    *set);
DhRuleBook    *dh_alert_set_get_rule_book  (DhAlertSet    *set);
guint          dh_alert_set_count_at_least (DhAlertSet    *set,
                                            DhSeverity     severity);
guint          dh_alert_set_get_n_hosts    (DhAlertSet    *set);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DhAlertSet, dh_alert_set_unref)

G_END_DECLS
