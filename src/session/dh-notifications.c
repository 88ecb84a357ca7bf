/* dh-notifications.c: the window's notifications: destinations set up in
 * Preferences, their secrets in the keyring
 *
 * Which destinations are on, the lowest severity and the rules are
 * settings (GSettings); each destination's URL and secret are kept with
 * libsecret (the Secret Service, or its file backend), under the schema
 * io.github.dnshunt.DnsHunt.Destination with attributes `kind` and `field`
 * ("url" or "secret"). Never in GSettings, a case file or a message.
 *
 * Delivery is the command line's: a DhNotifier with its outboxes under
 * $XDG_STATE_HOME/dnshunt/outbox, so an alert the window sent is not sent
 * again by `dnshunt scan --notify` to the same destination, and the reverse.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <libsecret/secret.h>

#include "dh-notifications.h"
#include "dh-rule-book.h"

struct _DhNotifications
{
  GObject       parent_instance;
  GSettings    *settings;
  char         *outbox_dir;
  DhNotifier   *notifier;
  GCancellable *loading;
  GHashTable   *urls;       /* kind id -> URL (secret), as loaded */
  GHashTable   *secrets;    /* kind id -> secret */
  GHashTable   *problems;   /* kind id -> why it is not set up */
  gboolean      ready;
  guint         pending;    /* keyring lookups under way */
};

G_DEFINE_FINAL_TYPE (DhNotifications, dh_notifications, G_TYPE_OBJECT)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const SecretSchema *
destination_schema (void)
{
  static const SecretSchema schema = {
    "io.github.dnshunt.DnsHunt.Destination", SECRET_SCHEMA_NONE,
    {
      { "kind", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "field", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
  };
  return &schema;
}

static void
free_secret (gpointer data)
{
  if (data)
    secret_password_free (data);
}

static void
dh_notifications_dispose (GObject *object)
{
  DhNotifications *self = DH_NOTIFICATIONS (object);

  g_cancellable_cancel (self->loading);
  g_clear_object (&self->loading);
  if (self->settings)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_object (&self->settings);
  if (self->notifier)
    g_signal_handlers_disconnect_by_data (self->notifier, self);
  g_clear_object (&self->notifier);
  G_OBJECT_CLASS (dh_notifications_parent_class)->dispose (object);
}

static void
dh_notifications_finalize (GObject *object)
{
  DhNotifications *self = DH_NOTIFICATIONS (object);

  g_hash_table_unref (self->urls);
  g_hash_table_unref (self->secrets);
  g_hash_table_unref (self->problems);
  g_free (self->outbox_dir);
  G_OBJECT_CLASS (dh_notifications_parent_class)->finalize (object);
}

static void
dh_notifications_class_init (DhNotificationsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = dh_notifications_dispose;
  object_class->finalize = dh_notifications_finalize;

  /**
   * DhNotifications::changed:
   *
   * The destinations were loaded again, or one's status changed.
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
dh_notifications_init (DhNotifications *self)
{
  self->urls = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, free_secret);
  self->secrets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, free_secret);
  self->problems = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

static void
on_notifier_changed (DhNotifier *notifier,
                     gpointer    data)
{
  g_signal_emit (data, signals[CHANGED], 0);
}

static DhSeverity
min_severity (DhNotifications *self)
{
  g_autofree char *text = g_settings_get_string (self->settings, "notify-min-severity");
  DhSeverity severity = DH_SEVERITY_MEDIUM;

  dh_severity_from_string (text, &severity);
  return severity;
}

/* ---- loading ----------------------------------------------------------- */

typedef struct
{
  DhNotifications *self;
  GCancellable    *cancellable;
  char            *kind;
  char            *field;
} Lookup;

static void build_notifier (DhNotifications *self);

static void
on_lookup (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  Lookup *l = data;
  g_autoptr(GError) error = NULL;
  char *value = secret_password_lookup_finish (result, &error);

  if (!g_cancellable_is_cancelled (l->cancellable))
    {
      DhNotifications *self = l->self;

      if (error)
        g_hash_table_replace (self->problems, g_strdup (l->kind),
                              g_strdup_printf (_("The keyring cannot be read: %s"),
                                               error->message));
      else if (value)
        g_hash_table_replace (g_str_equal (l->field, "url") ? self->urls : self->secrets,
                              g_strdup (l->kind), g_steal_pointer (&value));
      if (--self->pending == 0)
        build_notifier (self);
    }
  free_secret (value);
  g_object_unref (l->self);
  g_object_unref (l->cancellable);
  g_free (l->kind);
  g_free (l->field);
  g_free (l);
}

/* Every destination that is on, with what the keyring gave. */
static void
build_notifier (DhNotifications *self)
{
  g_auto(GStrv) kinds = g_settings_get_strv (self->settings, "notify-destinations");

  if (self->notifier)
    g_signal_handlers_disconnect_by_data (self->notifier, self);
  g_clear_object (&self->notifier);
  self->notifier = dh_notifier_new (self->outbox_dir);
  dh_notifier_set_min_severity (self->notifier, min_severity (self));
  g_signal_connect (self->notifier, "changed", G_CALLBACK (on_notifier_changed), self);

  for (guint i = 0; kinds[i]; i++)
    {
      const DhDestinationKind *kind = dh_destination_kind_find (kinds[i]);
      const char *url, *secret;
      g_autoptr(GError) error = NULL;
      DhDestination *dest;

      if (kind == NULL || g_hash_table_contains (self->problems, kinds[i]))
        continue;
      url = g_hash_table_lookup (self->urls, kinds[i]);
      secret = g_hash_table_lookup (self->secrets, kinds[i]);
      if ((url == NULL && kind->default_url == NULL) || (kind->secret_env && secret == NULL))
        {
          g_hash_table_replace (self->problems, g_strdup (kinds[i]),
                                g_strdup (_("Its URL or key is not in the keyring: set it up "
                                            "again")));
          continue;
        }
      dest = dh_destination_new (kind, url ? url : kind->default_url, secret, &error);
      if (dest == NULL || !dh_notifier_add_destination (self->notifier, dest, &error))
        g_hash_table_replace (self->problems, g_strdup (kinds[i]), g_strdup (error->message));
    }
  self->ready = TRUE;
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
lookup (DhNotifications *self,
        const char      *kind,
        const char      *field)
{
  Lookup *l = g_new0 (Lookup, 1);

  l->self = g_object_ref (self);
  l->cancellable = g_object_ref (self->loading);
  l->kind = g_strdup (kind);
  l->field = g_strdup (field);
  self->pending++;
  secret_password_lookup (destination_schema (), self->loading, on_lookup, l,
                          "kind", kind, "field", field, NULL);
}

/* Reads the destinations' secrets again and builds a new notifier. */
static void
reload (DhNotifications *self)
{
  g_auto(GStrv) kinds = g_settings_get_strv (self->settings, "notify-destinations");

  g_cancellable_cancel (self->loading);
  g_clear_object (&self->loading);
  self->loading = g_cancellable_new ();
  self->pending = 0;
  self->ready = FALSE;
  g_hash_table_remove_all (self->urls);
  g_hash_table_remove_all (self->secrets);
  g_hash_table_remove_all (self->problems);
  for (guint i = 0; kinds[i]; i++)
    {
      const DhDestinationKind *kind = dh_destination_kind_find (kinds[i]);
      if (kind == NULL)
        continue;
      lookup (self, kinds[i], "url");
      if (kind->secret_env)
        lookup (self, kinds[i], "secret");
    }
  if (self->pending == 0)
    build_notifier (self);
}

static void
on_settings_changed (GSettings  *settings,
                     const char *key,
                     gpointer    data)
{
  DhNotifications *self = data;

  if (g_str_equal (key, "notify-destinations"))
    reload (self);
  else if (g_str_equal (key, "notify-min-severity") && self->notifier)
    dh_notifier_set_min_severity (self->notifier, min_severity (self));
}

/**
 * dh_notifications_new:
 * @outbox_dir: (nullable): where the outboxes are; %NULL for the default
 */
DhNotifications *
dh_notifications_new (GSettings  *settings,
                      const char *outbox_dir)
{
  DhNotifications *self = g_object_new (DH_TYPE_NOTIFICATIONS, NULL);

  self->settings = g_object_ref (settings);
  self->outbox_dir = g_strdup (outbox_dir);
  g_signal_connect (settings, "changed", G_CALLBACK (on_settings_changed), self);
  reload (self);
  return self;
}

/* (nullable): while the keyring is read, none */
DhNotifier *
dh_notifications_get_notifier (DhNotifications *self)
{
  return self->ready ? self->notifier : NULL;
}

gboolean
dh_notifications_is_ready (DhNotifications *self)
{
  return self->ready;
}

/* why @kind_id, though on, does not deliver; or %NULL */
const char *
dh_notifications_get_problem (DhNotifications *self,
                              const char      *kind_id)
{
  return g_hash_table_lookup (self->problems, kind_id);
}

/* ---- saving ------------------------------------------------------------ */

typedef struct
{
  char   *kind;
  GQueue  fields;   /* char *field, char *value, … still to store, one at a time */
  GError *error;
} Save;

static void
save_free (Save *s)
{
  for (GList *l = s->fields.head; l; l = l->next)
    {
      char *v = l->data;
      explicit_bzero (v, strlen (v));
      g_free (v);
    }
  g_queue_clear (&s->fields);
  g_free (s->kind);
  g_clear_error (&s->error);
  g_free (s);
}

static void
save_done (GTask *task)
{
  DhNotifications *self = g_task_get_source_object (task);
  Save *s = g_task_get_task_data (task);

  if (s->error)
    {
      g_task_return_error (task, g_steal_pointer (&s->error));
      return;
    }
  {
    g_auto(GStrv) kinds = g_settings_get_strv (self->settings, "notify-destinations");
    if (!g_strv_contains ((const char * const *) kinds, s->kind))
      {
        g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
        g_auto(GStrv) more = NULL;
        g_strv_builder_addv (b, (const char **) kinds);
        g_strv_builder_add (b, s->kind);
        more = g_strv_builder_end (b);
        g_settings_set_strv (self->settings, "notify-destinations", (const char * const *) more);
      }
    else
      reload (self);    /* the same kind with new secrets */
  }
  g_task_return_boolean (task, TRUE);
}

static void store_next (GTask *task);

static void
on_stored (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  g_autoptr(GTask) task = data;
  Save *s = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!secret_password_store_finish (result, &error))
    s->error = g_error_new (DH_NOTIFY_ERROR, DH_NOTIFY_ERROR_CONFIG,
                            _("The keyring did not keep it: %s"), error->message);
  store_next (g_steal_pointer (&task));
}

/* One store after the other: a keyring file written by two at once keeps
 * only one of them. */
static void
store_next (GTask *task)
{
  Save *s = g_task_get_task_data (task);
  g_autofree char *field = NULL;
  char *value;

  if (s->error || g_queue_is_empty (&s->fields))
    {
      save_done (task);
      g_object_unref (task);
      return;
    }
  field = g_queue_pop_head (&s->fields);
  value = g_queue_pop_head (&s->fields);
  {
    g_autofree char *label = g_strdup_printf (_("DNS Hunt: %s %s"), s->kind,
                                              g_str_equal (field, "url") ? "URL" : _("key"));
    secret_password_store (destination_schema (), SECRET_COLLECTION_DEFAULT, label, value,
                           g_task_get_cancellable (task), on_stored, task,
                           "kind", s->kind, "field", field, NULL);
  }
  explicit_bzero (value, strlen (value));
  g_free (value);
}

/**
 * dh_notifications_save_async:
 * @url: (nullable): the destination's URL; %NULL or "" for the kind's default
 * @secret: (nullable): its routing key or HMAC key
 *
 * Checks the destination, keeps its URL and secret in the keyring and turns
 * it on.
 */
void
dh_notifications_save_async (DhNotifications     *self,
                             const char          *kind_id,
                             const char          *url,
                             const char          *secret,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  const DhDestinationKind *kind = dh_destination_kind_find (kind_id);
  g_autoptr(DhDestination) check = NULL;
  g_autoptr(GError) error = NULL;
  Save *s = g_new0 (Save, 1);

  s->kind = g_strdup (kind_id);
  g_queue_init (&s->fields);
  g_task_set_task_data (task, s, (GDestroyNotify) save_free);
  if (url && *url == '\0')
    url = NULL;
  if (secret && *secret == '\0')
    secret = NULL;
  if (kind == NULL || (url == NULL && kind->default_url == NULL))
    {
      g_task_return_new_error (task, DH_NOTIFY_ERROR, DH_NOTIFY_ERROR_CONFIG,
                               _("Give the destination’s URL"));
      return;
    }
  check = dh_destination_new (kind, url ? url : kind->default_url, secret, &error);
  if (check == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (url)
    {
      g_queue_push_tail (&s->fields, g_strdup ("url"));
      g_queue_push_tail (&s->fields, g_strdup (url));
    }
  if (secret)
    {
      g_queue_push_tail (&s->fields, g_strdup ("secret"));
      g_queue_push_tail (&s->fields, g_strdup (secret));
    }
  store_next (g_steal_pointer (&task));
}

gboolean
dh_notifications_save_finish (DhNotifications  *self,
                              GAsyncResult     *result,
                              GError          **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Turns @kind_id off and forgets its URL and secret. */
void
dh_notifications_remove (DhNotifications *self,
                         const char      *kind_id)
{
  g_auto(GStrv) kinds = g_settings_get_strv (self->settings, "notify-destinations");
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
  g_auto(GStrv) kept = NULL;

  secret_password_clear (destination_schema (), NULL, NULL, NULL, "kind", kind_id, NULL);
  for (guint i = 0; kinds[i]; i++)
    if (!g_str_equal (kinds[i], kind_id))
      g_strv_builder_add (b, kinds[i]);
  kept = g_strv_builder_end (b);
  g_settings_set_strv (self->settings, "notify-destinations", (const char * const *) kept);
}

/* ---- testing and sending ---------------------------------------------- */

static void
on_tested (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  g_autoptr(GTask) task = data;
  GError *error = NULL;

  if (dh_notifier_test_finish (DH_NOTIFIER (source), result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * dh_notifications_test_async:
 *
 * Sends a test message to @kind_id as it is set up now.
 */
void
dh_notifications_test_async (DhNotifications     *self,
                             const char          *kind_id,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  const DhDestinationKind *kind = dh_destination_kind_find (kind_id);
  const char *url = g_hash_table_lookup (self->urls, kind_id);
  GError *error = NULL;
  DhDestination *dest;

  if (kind && url == NULL)
    url = kind->default_url;
  if (!self->ready || kind == NULL || url == NULL)
    {
      g_task_return_new_error (task, DH_NOTIFY_ERROR, DH_NOTIFY_ERROR_CONFIG,
                               _("Save the destination first"));
      g_object_unref (task);
      return;
    }
  dest = dh_destination_new (kind, url, g_hash_table_lookup (self->secrets, kind_id), &error);
  if (dest == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  dh_notifier_test_async (self->notifier, dest, cancellable, on_tested, task);
}

gboolean
dh_notifications_test_finish (DhNotifications  *self,
                              GAsyncResult     *result,
                              GError          **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* whether @alert is of a severity and a rule the analyst wants sent */
gboolean
dh_notifications_wants (DhNotifications *self,
                        const DhAlert   *alert)
{
  g_auto(GStrv) rules = g_settings_get_strv (self->settings, "notify-rules");

  return alert->severity >= min_severity (self) &&
         (rules[0] == NULL ||
          g_strv_contains ((const char * const *) rules, dh_rule_kind_to_id (alert->rule)));
}

/**
 * dh_notifications_alerts_opened:
 *
 * Sends the alerts of @alerts of the rules chosen (all when none is) to
 * every destination that is on.
 *
 * Returns: how many were queued
 */
guint
dh_notifications_alerts_opened (DhNotifications  *self,
                                DhAlertSet       *set,
                                const DhAlert   **alerts,
                                guint             n)
{
  g_autoptr(GPtrArray) kept = g_ptr_array_new ();

  if (!self->ready || self->notifier == NULL || dh_notifier_get_n_destinations (self->notifier) == 0)
    return 0;
  for (guint i = 0; i < n; i++)
    if (dh_notifications_wants (self, alerts[i]))
      g_ptr_array_add (kept, (gpointer) alerts[i]);
  return dh_notifier_notify_alerts (self->notifier, set, (const DhAlert **) kept->pdata,
                                    kept->len);
}
