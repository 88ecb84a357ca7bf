/* dh-desktop.c: desktop notifications for alerts as they open
 *
 * Each alert becomes a GNotification (the backend GIO picks: the desktop's
 * notification service, or a portal); more than DH_DESKTOP_NOTIFY_MAX at
 * once become one summary. In the window the default action, app.show-alert
 * with the alert's id, opens that alert; `dnshunt scan --notify=desktop`
 * sets none, as it may have exited by the time one is clicked. Log strings
 * go in as plain text: a notification body is not markup for GNotification.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "dh-desktop.h"
#include "dh-escape.h"
#include "dh-notice.h"

/**
 * dh_desktop_notify_alerts:
 * @shown: (element-type DhAlert): the alerts of @set to show
 * @with_action: whether a click opens the alert (app.show-alert)
 *
 * Returns: how many alerts the notifications cover
 */
guint
dh_desktop_notify_alerts (GApplication *app,
                          DhAlertSet   *set,
                          GPtrArray    *shown,
                          gboolean      with_action)
{
  DhRuleBook *book = dh_alert_set_get_rule_book (set);
  DhEventStore *store = dh_alert_set_get_store (set);

  if (shown->len > DH_DESKTOP_NOTIFY_MAX)
    {
      g_autoptr(GNotification) n = NULL;
      g_autofree char *title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                             "%u new alert", "%u new alerts",
                                                             shown->len), shown->len);
      guint high = 0;

      for (guint i = 0; i < shown->len; i++)
        high += ((const DhAlert *) shown->pdata[i])->severity == DH_SEVERITY_HIGH;
      n = g_notification_new (title);
      {
        g_autofree char *body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                              "%u of them high",
                                                              "%u of them high", high), high);
        g_notification_set_body (n, body);
      }
      g_notification_set_priority (n, high ? G_NOTIFICATION_PRIORITY_HIGH
                                           : G_NOTIFICATION_PRIORITY_NORMAL);
      if (with_action)
        g_notification_set_default_action_and_target (n, "app.show-alert", "s", "");
      g_application_send_notification (app, "alerts-summary", n);
      return shown->len;
    }

  for (guint i = 0; i < shown->len; i++)
    {
      const DhAlert *a = shown->pdata[i];
      const DhRule *rule = dh_rule_book_get_rule (book, a->rule);
      g_autofree char *id = dh_notice_id_for_alert (set, a);
      g_autofree char *host = dh_text_sanitize (dh_event_store_get_string (store, a->host));
      g_autofree char *title = g_strdup_printf ("%s: %s", dh_severity_label (a->severity),
                                                rule->title);
      g_autofree char *body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s · %u query",
                                                            "%s · %u queries", a->count),
                                               host, a->count);
      g_autofree char *notification_id = g_strconcat ("alert-", id, NULL);
      g_autoptr(GNotification) n = g_notification_new (title);

      g_notification_set_body (n, body);
      g_notification_set_priority (n, a->severity == DH_SEVERITY_HIGH
                                        ? G_NOTIFICATION_PRIORITY_HIGH
                                        : G_NOTIFICATION_PRIORITY_NORMAL);
      if (with_action)
        g_notification_set_default_action_and_target (n, "app.show-alert", "s", id);
      g_application_send_notification (app, notification_id, n);
    }
  return shown->len;
}
