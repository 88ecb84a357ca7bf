/* dh-cloudwatch-dialog.c: Connect to CloudWatch
 *
 * Profile, region, an optional endpoint URL, the log group (searched with
 * DescribeLogGroups by prefix), a time range, Follow, and how far back each
 * follow poll reads again for late events (the cloudwatch-lookback setting).
 * Connect checks the account with one DescribeLogGroups call first, so a
 * wrong secret, a denied access, a wrong region or an unreachable endpoint is
 * said here, in plain text (the credentials module and the client never put
 * a secret in an error); then the fetch starts feeding the session's
 * investigation through a DhLiveSource (dh_session_start_live(), shown in
 * the window's live bar), and the dialog closes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "dh-a11y.h"
#include "dh-cloudwatch-client.h"
#include "dh-cloudwatch-dialog.h"
#include "dh-cloudwatch-fetch.h"
#include "dh-escape.h"
#include "dh-live-source.h"

#define MAX_GROUPS 50

static const gint64 range_minutes[] = { 15, 60, 6 * 60, 24 * 60, 7 * 24 * 60 };

struct _DhCloudWatchDialog
{
  AdwWindow           parent_instance;

  GtkButton          *cancel_button;
  GtkButton          *connect_button;
  GtkSpinner         *spinner;
  GtkLabel           *error_label;
  AdwComboRow        *profile_row;
  AdwEntryRow        *region_row;
  AdwExpanderRow     *advanced_row;
  AdwEntryRow        *endpoint_row;
  AdwEntryRow        *group_row;
  GtkListBox         *group_list;
  AdwComboRow        *range_row;
  GtkSwitch          *follow_switch;
  GtkSpinButton      *lookback_spin;

  DhSession          *session;
  GtkStringList      *profiles;      /* the first is the default chain */
  GCancellable       *cancellable;
  gboolean            busy;

  /* a connection being checked */
  DhCloudWatchClient *client;
  char               *group;
  gint64              start_ms;
  gint64              end_ms;
  gboolean            follow;
};

G_DEFINE_FINAL_TYPE (DhCloudWatchDialog, dh_cloudwatch_dialog, ADW_TYPE_WINDOW)

static void
set_busy (DhCloudWatchDialog *self,
          gboolean            busy)
{
  self->busy = busy;
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->connect_button), !busy);
}

static void
show_error (DhCloudWatchDialog *self,
            const char         *message)
{
  g_autofree char *safe = message ? dh_text_sanitize (message) : NULL;

  gtk_label_set_text (self->error_label, safe ? safe : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), safe != NULL);
}

static char *
entry_text (AdwEntryRow *row)
{
  g_autofree char *text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (row)));

  g_strstrip (text);
  return *text ? g_steal_pointer (&text) : NULL;
}

static const char *
selected_profile (DhCloudWatchDialog *self)
{
  guint i = adw_combo_row_get_selected (self->profile_row);

  if (i == 0 || i == GTK_INVALID_LIST_POSITION)
    return NULL;
  return gtk_string_list_get_string (self->profiles, i);
}

/* A client for the fields as they are, or NULL with the error shown. */
static DhCloudWatchClient *
make_client (DhCloudWatchDialog *self,
             const char         *profile,
             const char         *region,
             const char         *endpoint_url)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DhAwsCredentials) creds = NULL;
  g_autofree char *resolved = NULL;
  DhCloudWatchClient *client = NULL;

  creds = dh_aws_credentials_new (profile, &error);
  if (creds)
    resolved = dh_aws_credentials_get_region (creds, region, &error);
  if (resolved)
    client = dh_cloudwatch_client_new (creds, resolved, endpoint_url, &error);
  if (client == NULL)
    show_error (self, error->message);
  return client;
}

/* Log group search ------------------------------------------------------- */

static void
search_done (GObject      *source,
             GAsyncResult *result,
             gpointer      data)
{
  g_autoptr(DhCloudWatchDialog) self = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) groups = NULL;
  GtkWidget *child;

  groups = dh_cloudwatch_client_describe_log_groups_finish (DH_CLOUDWATCH_CLIENT (source), result,
                                                            &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  set_busy (self, FALSE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->group_list))))
    gtk_list_box_remove (self->group_list, child);
  if (groups == NULL)
    {
      show_error (self, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->group_list), FALSE);
      return;
    }
  show_error (self, groups->len ? NULL : _("No log group starts with this name"));
  for (guint i = 0; i < groups->len; i++)
    {
      const DhLogGroup *g = groups->pdata[i];
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *name = dh_text_sanitize (g->name);
      g_autofree char *size = g_format_size (g->stored_bytes);

      /* titles are markup in libadwaita 1.2: a name is text */
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), size);
      g_object_set_data_full (G_OBJECT (row), "dh-group", g_strdup (g->name), g_free);
      gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
      gtk_list_box_append (self->group_list, row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->group_list), groups->len > 0);
}

static void
search_groups (DhCloudWatchDialog *self)
{
  g_autofree char *region = entry_text (self->region_row);
  g_autofree char *endpoint = entry_text (self->endpoint_row);
  g_autofree char *prefix = entry_text (self->group_row);
  g_autoptr(DhCloudWatchClient) client = NULL;

  if (self->busy)
    return;
  show_error (self, NULL);
  client = make_client (self, selected_profile (self), region, endpoint);
  if (client == NULL)
    return;
  set_busy (self, TRUE);
  dh_cloudwatch_client_describe_log_groups_async (client, prefix, MAX_GROUPS, self->cancellable,
                                                  search_done, g_object_ref (self));
}

static void
on_group_selected (DhCloudWatchDialog *self,
                   GtkListBoxRow      *row)
{
  const char *name = row ? g_object_get_data (G_OBJECT (row), "dh-group") : NULL;

  if (name)
    gtk_editable_set_text (GTK_EDITABLE (self->group_row), name);
}

/* Connecting --------------------------------------------------------------- */

static void
check_done (GObject      *source,
            GAsyncResult *result,
            gpointer      data)
{
  g_autoptr(DhCloudWatchDialog) self = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) groups = NULL;
  g_autoptr(DhCloudWatchClient) client = g_steal_pointer (&self->client);
  g_autoptr(DhCloudWatchFetch) fetch = NULL;
  gboolean found = FALSE;

  groups = dh_cloudwatch_client_describe_log_groups_finish (DH_CLOUDWATCH_CLIENT (source), result,
                                                            &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  set_busy (self, FALSE);
  if (groups == NULL)
    {
      show_error (self, error->message);
      return;
    }
  for (guint i = 0; i < groups->len && !found; i++)
    {
      const DhLogGroup *g = groups->pdata[i];
      found = g_strcmp0 (g->name, self->group) == 0 || g_strcmp0 (g->arn, self->group) == 0;
    }
  /* an ARN is not a prefix: let the fetch say whether it exists */
  if (!found && !g_str_has_prefix (self->group, "arn:"))
    {
      g_autofree char *safe = dh_text_sanitize (self->group);
      g_autofree char *msg = g_strdup_printf (_("There is no log group named “%s” in %s"), safe,
                                              dh_cloudwatch_client_get_region (client));
      show_error (self, msg);
      return;
    }
  fetch = dh_cloudwatch_fetch_new (client, self->group, self->start_ms, self->end_ms);
  dh_cloudwatch_fetch_set_follow (fetch, self->follow);
  /* small batches keep every hand-over to the worker short */
  dh_cloudwatch_fetch_set_page_limit (fetch, 2000);
  dh_session_start_live (self->session, fetch, self->start_ms * 1000,
                         self->end_ms < 0 ? G_MAXINT64 : self->end_ms * 1000 + 999, self->follow);
  gtk_window_close (GTK_WINDOW (self));
}

/**
 * dh_cloudwatch_dialog_connect_with:
 * @profile: (nullable): a profile, or %NULL for the default chain
 * @region: (nullable): or %NULL for the profile's or the environment's
 * @endpoint_url: (nullable): or %NULL for AWS's
 * @start_ms: the oldest event, ms since the epoch
 * @end_ms: the newest, or -1 for now (and on, with @follow)
 *
 * What Connect does with the fields; tests call it directly. Errors show in
 * the dialog; on success it closes and the window's live bar takes over.
 */
void
dh_cloudwatch_dialog_connect_with (DhCloudWatchDialog *self,
                                   const char         *profile,
                                   const char         *region,
                                   const char         *endpoint_url,
                                   const char         *log_group,
                                   gint64              start_ms,
                                   gint64              end_ms,
                                   gboolean            follow)
{
  g_autoptr(DhCloudWatchClient) client = NULL;

  if (self->busy)
    return;
  show_error (self, NULL);
  if (log_group == NULL || *log_group == '\0')
    {
      show_error (self, _("Choose a log group"));
      return;
    }
  client = make_client (self, profile, region, endpoint_url);
  if (client == NULL)
    return;

  g_clear_object (&self->client);
  self->client = g_object_ref (client);
  g_free (self->group);
  self->group = g_strdup (log_group);
  self->start_ms = start_ms;
  self->end_ms = end_ms;
  self->follow = follow;
  set_busy (self, TRUE);
  /* one cheap signed call: credentials, region, endpoint and access at once */
  dh_cloudwatch_client_describe_log_groups_async (
    client, g_str_has_prefix (log_group, "arn:") ? NULL : log_group, MAX_GROUPS,
    self->cancellable, check_done, g_object_ref (self));
}

static void
on_connect_clicked (DhCloudWatchDialog *self)
{
  g_autofree char *region = entry_text (self->region_row);
  g_autofree char *endpoint = entry_text (self->endpoint_row);
  g_autofree char *group = entry_text (self->group_row);
  guint range = adw_combo_row_get_selected (self->range_row);
  gint64 now_ms = g_get_real_time () / 1000;

  if (range >= G_N_ELEMENTS (range_minutes))
    range = 1;
  dh_cloudwatch_dialog_connect_with (self, selected_profile (self), region, endpoint, group,
                                     now_ms - range_minutes[range] * 60 * 1000, -1,
                                     gtk_switch_get_active (self->follow_switch));
}

gboolean
dh_cloudwatch_dialog_is_busy (DhCloudWatchDialog *self)
{
  return self->busy;
}

/**
 * dh_cloudwatch_dialog_get_error_text:
 *
 * Returns: the error shown, or "" when none is
 */
const char *
dh_cloudwatch_dialog_get_error_text (DhCloudWatchDialog *self)
{
  return gtk_widget_get_visible (GTK_WIDGET (self->error_label))
    ? gtk_label_get_text (self->error_label) : "";
}

/* Life cycle --------------------------------------------------------------- */

static void
fill_profiles (DhCloudWatchDialog *self)
{
  g_auto(GStrv) names = dh_aws_list_profiles ();
  g_autoptr(GError) error = NULL;
  g_autoptr(DhAwsCredentials) creds = NULL;

  self->profiles = gtk_string_list_new (NULL);
  gtk_string_list_append (self->profiles, _("Default (environment)"));
  for (guint i = 0; names && names[i]; i++)
    gtk_string_list_append (self->profiles, names[i]);
  adw_combo_row_set_model (self->profile_row, G_LIST_MODEL (self->profiles));

  /* the region the default chain resolves to, if any */
  creds = dh_aws_credentials_new (NULL, NULL);
  if (creds)
    {
      g_autofree char *region = dh_aws_credentials_get_region (creds, NULL, NULL);
      if (region)
        gtk_editable_set_text (GTK_EDITABLE (self->region_row), region);
    }
}

static void
dh_cloudwatch_dialog_dispose (GObject *object)
{
  DhCloudWatchDialog *self = DH_CLOUDWATCH_DIALOG (object);

  if (self->cancellable)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->client);
  g_clear_object (&self->profiles);
  g_clear_object (&self->session);
  gtk_widget_dispose_template (GTK_WIDGET (self), DH_TYPE_CLOUDWATCH_DIALOG);
  G_OBJECT_CLASS (dh_cloudwatch_dialog_parent_class)->dispose (object);
}

static void
dh_cloudwatch_dialog_finalize (GObject *object)
{
  DhCloudWatchDialog *self = DH_CLOUDWATCH_DIALOG (object);

  g_free (self->group);
  G_OBJECT_CLASS (dh_cloudwatch_dialog_parent_class)->finalize (object);
}

static void
dh_cloudwatch_dialog_class_init (DhCloudWatchDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dh_cloudwatch_dialog_dispose;
  object_class->finalize = dh_cloudwatch_dialog_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/dnshunt/DnsHunt/dh-cloudwatch-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, DhCloudWatchDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, DhCloudWatchDialog, connect_button);
  gtk_widget_class_bind_template_child (widget_class, DhCloudWatchDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, DhCloudWatchDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, DhCloudWatchDialog, profile_row);
  gtk_widget_class_bind_template_child (widget_class, DhCloudWatchDialog, region_row);
  gtk_widget_class_bind_template_child (widget_class, DhCloudWatchDialog, advanced_row);
  gtk_widget_class_bind_template_child (widget_class, DhCloudWatchDialog, endpoint_row);
  gtk_widget_class_bind_template_child (widget_class, DhCloudWatchDialog, group_row);
  gtk_widget_class_bind_template_child (widget_class, DhCloudWatchDialog, group_list);
  gtk_widget_class_bind_template_child (widget_class, DhCloudWatchDialog, range_row);
  gtk_widget_class_bind_template_child (widget_class, DhCloudWatchDialog, follow_switch);
  gtk_widget_class_bind_template_child (widget_class, DhCloudWatchDialog, lookback_spin);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
dh_cloudwatch_dialog_init (DhCloudWatchDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  fill_profiles (self);
  g_signal_connect_swapped (self->cancel_button, "clicked", G_CALLBACK (gtk_window_close), self);
  g_signal_connect_swapped (self->connect_button, "clicked", G_CALLBACK (on_connect_clicked), self);
  g_signal_connect_swapped (self->group_row, "apply", G_CALLBACK (search_groups), self);
  g_signal_connect_swapped (self->group_row, "entry-activated", G_CALLBACK (search_groups), self);
  g_signal_connect_swapped (self->group_list, "row-activated", G_CALLBACK (on_group_selected), self);
  g_signal_connect_swapped (self->group_list, "row-selected", G_CALLBACK (on_group_selected), self);
  dh_a11y_tidy (GTK_WIDGET (self));
}

/* The setting is in seconds, the spin button in whole minutes. */
static gboolean
seconds_to_minutes (GValue   *value,
                    GVariant *variant,
                    gpointer  data)
{
  g_value_set_double (value, g_variant_get_uint32 (variant) / 60.0);
  return TRUE;
}

static GVariant *
minutes_to_seconds (const GValue       *value,
                    const GVariantType *type,
                    gpointer            data)
{
  return g_variant_new_uint32 ((guint32) (g_value_get_double (value) * 60 + 0.5));
}

/**
 * dh_cloudwatch_dialog_new:
 * @parent: (nullable): the window it belongs to
 * @session: whose investigation the log group feeds
 */
DhCloudWatchDialog *
dh_cloudwatch_dialog_new (GtkWindow *parent,
                          DhSession *session)
{
  DhCloudWatchDialog *self = g_object_new (DH_TYPE_CLOUDWATCH_DIALOG,
                                           "transient-for", parent, NULL);
  GSettings *settings = dh_session_get_settings (session);

  self->session = g_object_ref (session);
  if (settings)
    g_settings_bind_with_mapping (settings, "cloudwatch-lookback",
                                  gtk_spin_button_get_adjustment (self->lookback_spin), "value",
                                  G_SETTINGS_BIND_DEFAULT, seconds_to_minutes, minutes_to_seconds,
                                  NULL, NULL);
  return self;
}
