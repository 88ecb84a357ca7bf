/* dh-notifier.h: delivers alerts to their destinations
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "dh-destination.h"

G_BEGIN_DECLS

/* What a destination did lately, for Preferences. */
typedef struct
{
  guint        n_pending;       /* in its outbox, in flight included */
  guint        n_delivered;     /* alerts, since the notifier started */
  gint64       last_delivered;  /* real time µs, or 0 */
  const char  *last_error;      /* without secrets, or NULL after a success */
  gboolean     paused;          /* refused for this run (401, 403, 404 …) */
} DhNotifyStatus;

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
guint       dh_notifier_follow_up        (DhNotifier    *self,
                                          const char    *alert_id,
                                          const char    *action);
guint       dh_notifier_get_n_pending    (DhNotifier    *self);
guint       dh_notifier_get_n_destinations (DhNotifier  *self);
gboolean    dh_notifier_drain            (DhNotifier    *self,
                                          gint64         timeout_us,
                                          GCancellable  *cancellable);
gboolean    dh_notifier_get_status       (DhNotifier    *self,
                                          const char    *kind_id,
                                          DhNotifyStatus *status);
void        dh_notifier_test_async       (DhNotifier    *self,
                                          DhDestination *dest,
                                          GCancellable  *cancellable,
                                          GAsyncReadyCallback callback,
                                          gpointer       user_data);
gboolean    dh_notifier_test_finish      (DhNotifier    *self,
                                          GAsyncResult  *result,
                                          GError       **error);

G_END_DECLS
