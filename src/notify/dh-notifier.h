/* dh-notifier.h: delivers alerts to their destinations
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "dh-destination.h"

G_BEGIN_DECLS

#define DH_TYPE_NOTIFIER (dh_notifier_get_type ())
G_DECLARE_FINAL_TYPE (DhNotifier, dh_notifier, DH, NOTIFIER, GObject)

DhNotifier *dh_notifier_new              (const char    *outbox_dir);
gboolean    dh_notifier_add_destination  (DhNotifier    *self,
                                          DhDestination *dest,
                                          GError       **error);
void        dh_notifier_set_min_severity (DhNotifier    *self,
                                          DhSeverity     severity);
guint       dh_notifier_notify           (DhNotifier    *self,
                                          DhNotice     **notices,
                                          guint          n);
guint       dh_notifier_notify_alerts    (DhNotifier    *self,
                                          DhAlertSet    *set,
                                          const DhAlert **alerts,
                                          guint          n);
guint       dh_notifier_get_n_pending    (DhNotifier    *self);
guint       dh_notifier_get_n_destinations (DhNotifier  *self);
gboolean    dh_notifier_drain            (DhNotifier    *self,
                                          gint64         timeout_us,
                                          GCancellable  *cancellable);

G_END_DECLS
