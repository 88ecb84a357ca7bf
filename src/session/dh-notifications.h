/* dh-notifications.h: the window's notifications: destinations set up in
 * Preferences, their secrets in the keyring
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "dh-notifier.h"

G_BEGIN_DECLS

#define DH_TYPE_NOTIFICATIONS (dh_notifications_get_type ())
G_DECLARE_FINAL_TYPE (DhNotifications, dh_notifications, DH, NOTIFICATIONS, GObject)

DhNotifications *dh_notifications_new          (GSettings           *settings,
                                                const char          *outbox_dir);
DhNotifier      *dh_notifications_get_notifier (DhNotifications     *self);
gboolean         dh_notifications_is_ready     (DhNotifications     *self);
const char      *dh_notifications_get_problem  (DhNotifications     *self,
                                                const char          *kind_id);
void             dh_notifications_save_async   (DhNotifications     *self,
                                                const char          *kind_id,
                                                const char          *url,
                                                const char          *secret,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
gboolean         dh_notifications_save_finish  (DhNotifications     *self,
                                                GAsyncResult        *result,
                                                GError             **error);
void             dh_notifications_remove       (DhNotifications     *self,
                                                const char          *kind_id);
void             dh_notifications_test_async   (DhNotifications     *self,
                                                const char          *kind_id,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
gboolean         dh_notifications_test_finish  (DhNotifications     *self,
                                                GAsyncResult        *result,
                                                GError             **error);
gboolean         dh_notifications_wants        (DhNotifications     *self,
                                                const DhAlert       *alert);
guint            dh_notifications_alerts_opened (DhNotifications    *self,
                                                DhAlertSet          *set,
                                                const DhAlert      **alerts,
                                                guint                n);

G_END_DECLS
