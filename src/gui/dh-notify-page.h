/* dh-notify-page.h: Preferences → Notifications
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "dh-notifications.h"
#include "dh-rule-book.h"

G_BEGIN_DECLS

#define DH_TYPE_NOTIFY_PAGE (dh_notify_page_get_type ())
G_DECLARE_FINAL_TYPE (DhNotifyPage, dh_notify_page, DH, NOTIFY_PAGE, AdwPreferencesPage)

GtkWidget *dh_notify_page_new (DhNotifications *notifications,
                               GSettings       *settings,
                               DhRuleBook      *book);

G_END_DECLS
