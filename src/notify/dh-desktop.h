/* dh-desktop.h: desktop notifications for alerts as they open
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "dh-rule-engine.h"

G_BEGIN_DECLS

/* More alerts at once than this become one summary notification. */
#define DH_DESKTOP_NOTIFY_MAX 3

guint dh_desktop_notify_alerts (GApplication *app,
                                DhAlertSet   *set,
                                GPtrArray    *shown,
                                gboolean      with_action);

G_END_DECLS
