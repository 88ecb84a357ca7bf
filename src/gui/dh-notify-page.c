/* dh-notify-page.c: Preferences → Notifications
 *
 * One expander per destination kind (Slack, PagerDuty, webhook): its URL and
 * secret in password rows (kept in the keyring by DhNotifications, never
 * shown again: the rows start empty with "Kept in the keyring" as their
 * hint), Save, Send Test and Remove, and a line that says how it is doing
 * (delivered, waiting in the outbox, the last error). Below: the lowest
 * severity, desktop notifications, and which rules are sent.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "dh-notify-page.h"
#include "dh-toast.h"

typedef struct
{
  DhNotifyPage            *page;
  const DhDestinationKind *kind;
  GtkWidget               *expander;
  GtkWidget               *url;        /* password or entry row, or NULL */
  GtkWidget               *secret;     /* password row, or NULL */
  GtkWidget               *status;     /* action row: its subtitle */
  GtkWidget               *test;
  GtkWidget               *remove;
} KindRows;

struct _DhNotifyPage
{
  AdwPreferencesPage  parent_instance;
  DhNotifications    *notifications;
  GSettings          *settings;
  KindRows            kinds[3];
  GCancellable       *cancellable;
};

G_DEFINE_FINAL_TYPE (DhNotifyPage, dh_notify_page, ADW_TYPE_PREFERENCES_PAGE)

static const DhDestinationKind *const all_kinds[] = {
  &dh_destination_slack,
  &dh_destination_pagerduty,
  &dh_destination_webhook,
};

static void
label_for_a11y (GtkWidget  *widget,
                const char *label)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
}

static void
toast (DhNotifyPage *self,
       const char   *text)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (ADW_IS_PREFERENCES_WINDOW (root))
    adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (root), dh_toast_new_plain (text));
}

static gboolean
is_on (DhNotifyPage *self,
       const char   *kind_id)
{
  g_auto(GStrv) on = g_settings_get_strv (self->settings, "notify-destinations");

  return g_strv_contains ((const char * const *) on, kind_id);
}

/* "Delivered 3 alerts, last at 12:04 · 2 waiting", or why it does not work */
static char *
status_text (DhNotifyPage *self,
             KindRows     *k)
{
  DhNotifier *notifier = dh_notifications_get_notifier (self->notifications);
  const char *problem = dh_notifications_get_problem (self->notifications, k->kind->id);
  DhNotifyStatus st = { 0 };
  GString *s;

  if (!is_on (self, k->kind->id))
    return g_strdup (_("Off"));
  if (!dh_notifications_is_ready (self->notifications))
    return g_strdup (_("Reading the keyring…"));
  if (problem)
    return g_strdup (problem);
  if (notifier == NULL || !dh_notifier_get_status (notifier, k->kind->id, &st))
    return g_strdup (_("On"));
  s = g_string_new (NULL);
  if (st.n_delivered > 0)
    {
      g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (st.last_delivered /
                                                                   G_USEC_PER_SEC);
      g_autofree char *time = g_date_time_format (when, "%X");
      g_string_append_printf (s, g_dngettext (GETTEXT_PACKAGE, "Delivered %u alert, the last at %s",
                                              "Delivered %u alerts, the last at %s",
                                              st.n_delivered), st.n_delivered, time);
    }
  else
    g_string_append (s, _("On, nothing sent yet"));
  if (st.n_pending > 0)
    g_string_append_printf (s, g_dngettext (GETTEXT_PACKAGE, " · %u waiting in the outbox",
                                            " · %u waiting in the outbox", st.n_pending),
                            st.n_pending);
  if (st.last_error)
    g_string_append_printf (s, _(" · last error: %s"), st.last_error);
  if (st.paused)
    g_string_append (s, _(" · stopped until the app restarts"));
  return g_string_free (s, FALSE);
}

static void
refresh (DhNotifyPage *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (self->kinds); i++)
    {
      KindRows *k = &self->kinds[i];
      g_autofree char *text = status_text (self, k);
      gboolean on = is_on (self, k->kind->id);

      adw_action_row_set_subtitle (ADW_ACTION_ROW (k->status), text);
      adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (k->expander), on ? _("On") : _("Off"));
      gtk_widget_set_sensitive (k->test, on);
      gtk_widget_set_sensitive (k->remove, on);
    }
}

static void
on_saved (GObject      *source,
          GAsyncResult *result,
          gpointer      data)
{
  KindRows *k = data;
  g_autoptr(GError) error = NULL;

  if (!dh_notifications_save_finish (DH_NOTIFICATIONS (source), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        toast (k->page, error->message);
      return;
    }
  /* the keyring has them now: the rows do not keep them */
  if (k->url)
    gtk_editable_set_text (GTK_EDITABLE (k->url), "");
  if (k->secret)
    gtk_editable_set_text (GTK_EDITABLE (k->secret), "");
  toast (k->page, _("Saved; the URL and key are kept in the keyring"));
  refresh (k->page);
}

static void
on_save (GtkButton *button,
         KindRows  *k)
{
  const char *url = k->url ? gtk_editable_get_text (GTK_EDITABLE (k->url)) : NULL;
  const char *secret = k->secret ? gtk_editable_get_text (GTK_EDITABLE (k->secret)) : NULL;

  dh_notifications_save_async (k->page->notifications, k->kind->id, url, secret,
                               k->page->cancellable, on_saved, k);
}

static void
on_tested (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  KindRows *k = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  if (dh_notifications_test_finish (DH_NOTIFICATIONS (source), result, &error))
    text = g_strdup_printf (_("%s took the test message"), _(k->kind->label));
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  else
    text = g_strdup_printf (_("Test message to %s failed: %s"), _(k->kind->label),
                            error->message);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (k->status), text);
  gtk_widget_set_sensitive (k->test, TRUE);
  toast (k->page, text);
}

static void
on_test (GtkButton *button,
         KindRows  *k)
{
  gtk_widget_set_sensitive (k->test, FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (k->status), _("Sending a test message…"));
  dh_notifications_test_async (k->page->notifications, k->kind->id, k->page->cancellable,
                               on_tested, k);
}

static void
on_remove (GtkButton *button,
           KindRows  *k)
{
  dh_notifications_remove (k->page->notifications, k->kind->id);
  toast (k->page, _("Removed, and forgotten by the keyring"));
}

static GtkWidget *
password_row (const char *title)
{
  GtkWidget *row = adw_password_entry_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  return row;
}

static void
build_kind (DhNotifyPage            *self,
            AdwPreferencesGroup     *group,
            KindRows                *k,
            const DhDestinationKind *kind)
{
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *save = gtk_button_new_with_mnemonic (_("_Save"));
  GtkWidget *holder = adw_action_row_new ();

  k->page = self;
  k->kind = kind;
  k->expander = adw_expander_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (k->expander), _(kind->label));

  if (kind == &dh_destination_slack)
    k->url = password_row (_("Incoming webhook URL"));
  else if (kind == &dh_destination_pagerduty)
    {
      k->secret = password_row (_("Integration (routing) key"));
      k->url = adw_entry_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (k->url),
                                     _("Events API URL (empty: PagerDuty’s)"));
    }
  else
    {
      k->url = password_row (_("Webhook URL (https)"));
      k->secret = password_row (_("Signing secret (HMAC-SHA256)"));
    }
  if (k->url)
    adw_expander_row_add_row (ADW_EXPANDER_ROW (k->expander), k->url);
  if (k->secret)
    adw_expander_row_add_row (ADW_EXPANDER_ROW (k->expander), k->secret);

  k->test = gtk_button_new_with_mnemonic (_("Send _Test"));
  k->remove = gtk_button_new_with_mnemonic (_("_Remove"));
  gtk_widget_add_css_class (save, "suggested-action");
  gtk_widget_add_css_class (k->remove, "destructive-action");
  gtk_box_append (GTK_BOX (buttons), save);
  gtk_box_append (GTK_BOX (buttons), k->test);
  gtk_box_append (GTK_BOX (buttons), k->remove);
  gtk_widget_set_valign (buttons, GTK_ALIGN_CENTER);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (holder), _("Kept in the keyring"));
  adw_action_row_add_suffix (ADW_ACTION_ROW (holder), buttons);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (k->expander), holder);

  /* the receiver's answer is not markup */
  k->status = adw_action_row_new ();
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (k->status), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (k->status), _("Last delivery"));
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (k->status), 4);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (k->expander), k->status);

  g_signal_connect (save, "clicked", G_CALLBACK (on_save), k);
  g_signal_connect (k->test, "clicked", G_CALLBACK (on_test), k);
  g_signal_connect (k->remove, "clicked", G_CALLBACK (on_remove), k);
  adw_preferences_group_add (group, k->expander);
}

/* notify-min-severity <-> the combo row's position */
static gboolean
severity_get (GValue   *value,
              GVariant *variant,
              gpointer  data)
{
  const char *s = g_variant_get_string (variant, NULL);

  g_value_set_uint (value, g_str_equal (s, "low") ? 0 : g_str_equal (s, "high") ? 2 : 1);
  return TRUE;
}

static GVariant *
severity_set (const GValue       *value,
              const GVariantType *type,
              gpointer            data)
{
  const char *names[] = { "low", "medium", "high" };

  return g_variant_new_string (names[MIN (g_value_get_uint (value), 2u)]);
}

static void
on_rule_toggled (GtkCheckButton *check,
                 DhNotifyPage   *self)
{
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
  g_auto(GStrv) rules = NULL;
  gboolean all = TRUE;
  GtkWidget *expander = g_object_get_data (G_OBJECT (check), "expander");
  GPtrArray *checks = g_object_get_data (G_OBJECT (expander), "checks");

  for (guint i = 0; i < checks->len; i++)
    {
      if (gtk_check_button_get_active (checks->pdata[i]))
        g_strv_builder_add (b, g_object_get_data (checks->pdata[i], "rule"));
      else
        all = FALSE;
    }
  rules = g_strv_builder_end (b);
  /* every rule: the empty list, so that new rules are sent too */
  g_settings_set_strv (self->settings, "notify-rules",
                       all ? NULL : (const char * const *) rules);
}

static void
build_what (DhNotifyPage *self,
            DhRuleBook   *book)
{
  AdwPreferencesGroup *group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  const char *levels[] = { N_("Low and above"), N_("Medium and above"), N_("High only"), NULL };
  g_autoptr(GtkStringList) model = gtk_string_list_new (NULL);
  GtkWidget *severity = adw_combo_row_new ();
  GtkWidget *desktop = adw_action_row_new ();
  GtkWidget *desktop_switch = gtk_switch_new ();
  GtkWidget *rules = adw_expander_row_new ();
  g_auto(GStrv) chosen = g_settings_get_strv (self->settings, "notify-rules");
  GPtrArray *checks = g_ptr_array_new ();

  adw_preferences_group_set_title (group, _("What Is Sent"));
  for (guint i = 0; levels[i]; i++)
    gtk_string_list_append (model, _(levels[i]));
  adw_combo_row_set_model (ADW_COMBO_ROW (severity), G_LIST_MODEL (model));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (severity), _("Severity"));
  g_settings_bind_with_mapping (self->settings, "notify-min-severity", severity, "selected",
                                G_SETTINGS_BIND_DEFAULT, severity_get, severity_set, NULL, NULL);
  adw_preferences_group_add (group, severity);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (desktop), _("Desktop Notifications"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (desktop),
                               _("One per alert, or one summary when many open at once"));
  gtk_widget_set_valign (desktop_switch, GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (desktop), desktop_switch);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (desktop), desktop_switch);
  g_settings_bind (self->settings, "notify-desktop", desktop_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  label_for_a11y (desktop_switch, _("Desktop Notifications"));
  adw_preferences_group_add (group, desktop);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (rules), _("Rules"));
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (rules),
                                 chosen[0] ? _("Some rules") : _("Every rule"));
  g_object_set_data_full (G_OBJECT (rules), "checks", checks, (GDestroyNotify) g_ptr_array_unref);
  for (guint r = 0; r < DH_N_RULES; r++)
    {
      const DhRule *rule = dh_rule_book_get_rule (book, r);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *check = gtk_check_button_new ();

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), rule->title);
      gtk_check_button_set_active (GTK_CHECK_BUTTON (check),
                                   chosen[0] == NULL ||
                                   g_strv_contains ((const char * const *) chosen, rule->id));
      g_object_set_data_full (G_OBJECT (check), "rule", g_strdup (rule->id), g_free);
      g_object_set_data (G_OBJECT (check), "expander", rules);
      g_signal_connect (check, "toggled", G_CALLBACK (on_rule_toggled), self);
      label_for_a11y (check, rule->title);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
      adw_expander_row_add_row (ADW_EXPANDER_ROW (rules), row);
      g_ptr_array_add (checks, check);
    }
  adw_preferences_group_add (group, rules);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (self), group);
}

static void
dh_notify_page_dispose (GObject *object)
{
  DhNotifyPage *self = DH_NOTIFY_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->notifications)
    g_signal_handlers_disconnect_by_data (self->notifications, self);
  if (self->settings)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_object (&self->notifications);
  g_clear_object (&self->settings);
  G_OBJECT_CLASS (dh_notify_page_parent_class)->dispose (object);
}

static void
dh_notify_page_class_init (DhNotifyPageClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = dh_notify_page_dispose;
}

static void
dh_notify_page_init (DhNotifyPage *self)
{
  self->cancellable = g_cancellable_new ();
}

/**
 * dh_notify_page_new:
 * @book: the rules, for their titles
 */
GtkWidget *
dh_notify_page_new (DhNotifications *notifications,
                    GSettings       *settings,
                    DhRuleBook      *book)
{
  DhNotifyPage *self = g_object_new (DH_TYPE_NOTIFY_PAGE, NULL);
  AdwPreferencesGroup *where = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());

  self->notifications = g_object_ref (notifications);
  self->settings = g_object_ref (settings);
  adw_preferences_page_set_title (ADW_PREFERENCES_PAGE (self), _("Notifications"));
  adw_preferences_page_set_icon_name (ADW_PREFERENCES_PAGE (self),
                                      "preferences-system-notifications-symbolic");
  adw_preferences_group_set_title (where, _("Where Alerts Go"));
  adw_preferences_group_set_description (where,
    _("While a log group or a folder is followed, each new alert is sent to the "
      "destinations that are on, once, through an outbox that survives restarts."));
  for (guint i = 0; i < G_N_ELEMENTS (all_kinds); i++)
    build_kind (self, where, &self->kinds[i], all_kinds[i]);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (self), where);
  build_what (self, book);

  g_signal_connect_swapped (notifications, "changed", G_CALLBACK (refresh), self);
  g_signal_connect_swapped (settings, "changed::notify-destinations", G_CALLBACK (refresh), self);
  refresh (self);
  return GTK_WIDGET (self);
}
