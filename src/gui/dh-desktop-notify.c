/* dh-desktop-notify.c: desktop notifications for alerts as they open
 *
 * While a source is followed, each alert at or above the severity chosen in
 * Preferences → Notifications (of the rules chosen there) becomes a
 * GNotification whose default action, app.show-alert, opens it in the
 * window; more than DH_DESKTOP_NOTIFY_MAX at once become one summary that
 * opens the alert list. Log strings go in as plain text: a notification
 * body is not markup for GNotification's backends.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "dh-alert-item.h"
#include "dh-desktop-notify.h"
#include "dh-escape.h"
#include "dh-notice.h"

static gboolean
wanted (GSettings     *settings,
        DhAlertSet    *set,
        const DhAlert *alert)
{
  g_autofree char *min = g_settings_get_string (settings, "notify-min-severity");
  g_auto(GStrv) rules = g_settings_get_strv (settings, "notify-rules");
  DhSeverity severity = DH_SEVERITY_MEDIUM;

  dh_severity_from_string (min, &severity);
  return alert->severity >= severity &&
         (rules[0] == NULL ||
          g_strv_contains ((const char * const *) rules, dh_rule_kind_to_id (alert->rule)));
}

/**
 * dh_desktop_notify_alerts:
 * @opened: (element-type DhAlert): the alerts of @set that just opened
 *
 * Returns: how many alerts the notifications cover
 */
guint
dh_desktop_notify_alerts (GApplication *app,
                          GSettings    *settings,
                          DhAlertSet   *set,
                          GPtrArray    *opened)
{
  g_autoptr(GPtrArray) shown = g_ptr_array_new ();
  DhRuleBook *book = dh_alert_set_get_rule_book (set);
  DhEventStore *store = dh_alert_set_get_store (set);

  if (settings == NULL || !g_settings_get_boolean (settings, "notify-desktop"))
    return 0;
  for (guint i = 0; i < opened->len; i++)
    if (wanted (settings, set, opened->pdata[i]))
      g_ptr_array_add (shown, opened->pdata[i]);

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
      g_notification_set_default_action_and_target (n, "app.show-alert", "s", id);
      g_application_send_notification (app, notification_id, n);
    }
  return shown->len;
}
