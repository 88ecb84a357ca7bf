/* dh-alert-tracker.h: which alerts of a live source are new
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "dh-rule-engine.h"

G_BEGIN_DECLS

typedef struct _DhAlertTracker DhAlertTracker;

DhAlertTracker *dh_alert_tracker_new   (void);
void            dh_alert_tracker_free  (DhAlertTracker *self);
GPtrArray      *dh_alert_tracker_fresh (DhAlertTracker *self,
                                        DhAlertSet     *alerts);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DhAlertTracker, dh_alert_tracker_free)

G_END_DECLS
