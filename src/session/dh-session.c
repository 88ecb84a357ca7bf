/* dh-session.c: an analyst's session: the investigation, settings kept
 * between runs, recent inputs and cases, case files, allowlisting with undo
 *
 * The counterpart of a window, without one: the window presents a session,
 * and everything here runs (and is tested) without a display.
 *
 * Settings: the rule book starts from the bundled defaults plus the changes
 * kept in GSettings (`rule-settings`, "rule.key" -> value text); a change
 * (Preferences, an allowlist pivot) is applied, re-analysed and saved, that
 * one setting alone. A case's settings apply to its investigation and are
 * not saved: the case came from someone else, and it may carry lists, never
 * file names. List files named in GSettings (`RULE.list-file`, the user's
 * own) are read in a worker, size-capped (see dh_list_file_read_async()).
 *
 * Without a settings schema (a build tree) nothing is kept.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "dh-file.h"
#include "dh-recent.h"
#include "dh-session.h"
#include "dh-alert-tracker.h"

struct _DhSession
{
  GObject          parent_instance;

  GSettings       *settings;          /* NULL: nothing is kept */
  DhRuleBook      *defaults;
  DhInvestigation *investigation;
  GCancellable    *list_cancellable;  /* list files named in GSettings */
  DhLiveSource    *live;              /* the last log group connected */
  gboolean         live_follows;
  DhAlertTracker  *tracker;           /* which alerts of a followed source are new */
  DhNotifications *notifications;     /* NULL without settings */
  char            *case_live[4];      /* the last case's live source: kind, group, region,
                                       * profile (see dh_case_get_live()) */
  char            *undo_rule;
  char            *undo_key;
  char            *undo_value;
};

G_DEFINE_FINAL_TYPE (DhSession, dh_session, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_LIVE_SOURCE,
  N_PROPS
};

enum {
  NOTICE,
  ALERTS_OPENED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
clear_undo (DhSession *self)
{
  g_clear_pointer (&self->undo_rule, g_free);
  g_clear_pointer (&self->undo_key, g_free);
  g_clear_pointer (&self->undo_value, g_free);
}

static void
cancel_list_reads (DhSession *self)
{
  if (self->list_cancellable)
    g_cancellable_cancel (self->list_cancellable);
  g_clear_object (&self->list_cancellable);
}

static void
dh_session_dispose (GObject *object)
{
  DhSession *self = DH_SESSION (object);

  cancel_list_reads (self);
  if (self->live)
    {
      g_signal_handlers_disconnect_by_data (self->live, self);
      dh_live_source_stop (self->live);
    }
  g_clear_object (&self->live);
  if (self->investigation)
    g_signal_handlers_disconnect_by_data (self->investigation, self);
  g_clear_object (&self->notifications);
  g_clear_pointer (&self->tracker, dh_alert_tracker_free);
  for (guint i = 0; i < G_N_ELEMENTS (self->case_live); i++)
    g_clear_pointer (&self->case_live[i], g_free);
  G_OBJECT_CLASS (dh_session_parent_class)->dispose (object);
}

static void
dh_session_finalize (GObject *object)
{
  DhSession *self = DH_SESSION (object);

  g_clear_object (&self->investigation);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->defaults, dh_rule_book_unref);
  clear_undo (self);
  G_OBJECT_CLASS (dh_session_parent_class)->finalize (object);
}

static void
dh_session_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  DhSession *self = DH_SESSION (object);

  switch (prop_id)
    {
    case PROP_LIVE_SOURCE:
      g_value_set_object (value, self->live);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dh_session_class_init (DhSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = dh_session_dispose;
  object_class->finalize = dh_session_finalize;
  object_class->get_property = dh_session_get_property;

  /* the last log group connected (running or not), or NULL */
  properties[PROP_LIVE_SOURCE] =
    g_param_spec_object ("live-source", NULL, NULL, DH_TYPE_LIVE_SOURCE,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * DhSession::notice:
   * @message: plain text (it may hold a file name: escape it for markup)
   *
   * Something the analyst should know that no call returned (a saved list
   * file could not be read).
   */
  signals[NOTICE] =
    g_signal_new ("notice", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  /**
   * DhSession::alerts-opened:
   * @alerts: (type gpointer): the DhAlertSet now installed
   * @opened: (element-type gpointer): its alerts that opened since the
   *   last snapshot of the followed source, oldest first
   *
   * While a source is followed: alerts that are new (already handed to the
   * notification destinations). The window shows desktop notifications.
   */
  signals[ALERTS_OPENED] =
    g_signal_new ("alerts-opened", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_POINTER, G_TYPE_PTR_ARRAY);
}

static void
dh_session_init (DhSession *self)
{
}

/* Saved settings ----------------------------------------------------------- */

typedef struct
{
  DhSession *self;
  char      *rule_id;
} ListRead;

static void
saved_list_read (GObject      *source,
                 GAsyncResult *result,
                 gpointer      data)
{
  ListRead *read = data;
  DhSession *self = read->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = dh_list_file_read_finish (result, &error);

  if (list != NULL)
    {
      g_autofree char *value = NULL;

      g_ptr_array_add (list, NULL);
      value = g_strjoinv (",", (char **) list->pdata);
      dh_investigation_set_setting (self->investigation, read->rule_id, "list", value, &error);
    }
  if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autofree char *message = g_strdup_printf (_("Cannot read the list for %s: %s"),
                                                  read->rule_id, error->message);
      g_signal_emit (self, signals[NOTICE], 0, message);
    }
  g_object_unref (read->self);
  g_free (read->rule_id);
  g_free (read);
}

static void
apply_saved_settings (DhSession  *self,
                      DhRuleBook *book)
{
  g_autoptr(GVariant) dict = NULL;
  GVariantIter iter;
  const char *key, *value;

  if (self->settings == NULL)
    return;
  dict = g_settings_get_value (self->settings, "rule-settings");
  g_variant_iter_init (&iter, dict);
  while (g_variant_iter_next (&iter, "{&s&s}", &key, &value))
    {
      const char *dot = strchr (key, '.');
      g_autofree char *rule = dot ? g_strndup (key, dot - key) : NULL;
      g_autoptr(GError) error = NULL;

      if (rule != NULL && dh_rule_book_key_is_path (dot + 1))
        {
          /* the user's own file, but it may be slow or not a file at all */
          ListRead *read = g_new0 (ListRead, 1);

          read->self = g_object_ref (self);
          read->rule_id = g_steal_pointer (&rule);
          if (self->list_cancellable == NULL)
            self->list_cancellable = g_cancellable_new ();
          dh_list_file_read_async (value, self->list_cancellable, saved_list_read, read);
        }
      else if (rule == NULL || !dh_rule_book_set_value (book, rule, dot + 1, value, &error))
        g_message ("Ignoring the saved setting %s: %s", key,
                   error ? error->message : "not RULE.KEY");
    }
}

/**
 * dh_session_new:
 * @settings: (nullable): where settings and recent files are kept, or
 *   %NULL to keep nothing
 *
 * Returns: (transfer full): a session with an empty investigation, its rules
 *   the bundled defaults plus the saved changes
 */
static void on_alert_triaged (DhInvestigation *investigation,
                              const DhAlert   *alert,
                              int              state,
                              gpointer         data);

DhSession *
dh_session_new (GSettings *settings)
{
  DhSession *self = g_object_new (DH_TYPE_SESSION, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(DhRuleBook) book = NULL;

  self->settings = settings ? g_object_ref (settings) : NULL;
  self->defaults = dh_rule_book_new (&error);
  if (self->defaults == NULL)
    g_error ("The bundled rules are broken: %s", error->message);
  book = dh_rule_book_copy (self->defaults);
  apply_saved_settings (self, book);
  self->investigation = dh_investigation_new (book);
  if (settings)
    self->notifications = dh_notifications_new (settings, NULL);
  g_signal_connect (self->investigation, "alert-triaged", G_CALLBACK (on_alert_triaged), self);
  return self;
}

/**
 * dh_session_get_notifications:
 *
 * Returns: (transfer none) (nullable): the notification destinations, or
 *   %NULL for a session that keeps no settings
 */
DhNotifications *
dh_session_get_notifications (DhSession *self)
{
  return self->notifications;
}

/* The analyst's triage reaches PagerDuty: investigating acknowledges the
 * alert there, benign resolves it. */
static void
on_alert_triaged (DhInvestigation *investigation,
                  const DhAlert   *alert,
                  int              state,
                  gpointer         data)
{
  DhSession *self = data;
  DhNotifier *notifier = self->notifications ? dh_notifications_get_notifier (self->notifications)
                                             : NULL;
  DhAlertSet *alerts = dh_investigation_get_alerts (investigation);
  g_autofree char *id = NULL;

  if (notifier == NULL || alerts == NULL ||
      (state != DH_TRIAGE_INVESTIGATING && state != DH_TRIAGE_BENIGN))
    return;
  id = dh_notice_id_for_alert (alerts, alert);
  dh_notifier_follow_up (notifier, id, state == DH_TRIAGE_BENIGN ? "resolve" : "acknowledge");
}

/* A followed source installed a snapshot: its new alerts go out. */
static void
on_live_snapshot (DhLiveSource *live,
                  gpointer      data)
{
  DhSession *self = data;
  DhAlertSet *alerts = dh_investigation_get_alerts (self->investigation);
  g_autoptr(GPtrArray) fresh = NULL;

  if (!self->live_follows || alerts == NULL)
    return;
  fresh = dh_alert_tracker_fresh (self->tracker, alerts);
  if (fresh->len == 0)
    return;
  if (self->notifications)
    dh_notifications_alerts_opened (self->notifications, alerts,
                                    (const DhAlert **) fresh->pdata, fresh->len);
  g_signal_emit (self, signals[ALERTS_OPENED], 0, alerts, fresh);
}

/**
 * dh_session_get_investigation:
 *
 * Returns: (transfer none): the investigation (the same one for the life of
 *   the session; cases and closing clear it, they do not replace it)
 */
DhInvestigation *
dh_session_get_investigation (DhSession *self)
{
  return self->investigation;
}

/**
 * dh_session_get_defaults:
 *
 * Returns: (transfer none): the rule book with the bundled defaults
 */
DhRuleBook *
dh_session_get_defaults (DhSession *self)
{
  return self->defaults;
}

/**
 * dh_session_get_settings:
 *
 * Returns: (transfer none) (nullable): where things are kept
 */
GSettings *
dh_session_get_settings (DhSession *self)
{
  return self->settings;
}

/* Keeps the current value of one setting, as the user set it, for the next
 * time; only that one, so the settings of a case opened meanwhile stay out. */
static void
store_setting (DhSession  *self,
               const char *rule_id,
               const char *key)
{
  DhRuleBook *book = dh_investigation_get_rule_book (self->investigation);
  g_autoptr(GVariant) old = NULL;
  g_autofree char *full = NULL;
  g_autofree char *file_key = NULL;
  g_autofree char *now = NULL;
  g_autofree char *def = NULL;
  GVariantBuilder builder;
  GVariantIter iter;
  const char *k, *v;

  if (self->settings == NULL)
    return;
  if (g_str_equal (rule_id, "all") && g_str_equal (key, "enabled"))
    {
      for (guint r = 0; r < DH_N_RULES; r++)
        store_setting (self, dh_rule_kind_to_id (r), "enabled");
      return;
    }
  now = dh_rule_book_get_value_string (book, rule_id, key);
  def = dh_rule_book_get_value_string (self->defaults, rule_id, key);
  full = g_strdup_printf ("%s.%s", rule_id, key);
  /* a list given here replaces the list file named before */
  if (g_str_equal (key, "list"))
    file_key = g_strdup_printf ("%s.list-file", rule_id);

  old = g_settings_get_value (self->settings, "rule-settings");
  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{ss}"));
  g_variant_iter_init (&iter, old);
  while (g_variant_iter_next (&iter, "{&s&s}", &k, &v))
    if (!g_str_equal (k, full) && g_strcmp0 (k, file_key) != 0)
      g_variant_builder_add (&builder, "{ss}", k, v);
  if (now != NULL && g_strcmp0 (now, def) != 0)
    g_variant_builder_add (&builder, "{ss}", full, now);
  g_settings_set_value (self->settings, "rule-settings", g_variant_builder_end (&builder));
}

/**
 * dh_session_set_setting:
 * @key: a setting key; not one that names a file (`list-file`): give the
 *   list itself
 *
 * Changes a setting of the investigation (re-running the rules) and keeps it
 * for the next time, that one alone.
 */
gboolean
dh_session_set_setting (DhSession   *self,
                        const char  *rule_id,
                        const char  *key,
                        const char  *value,
                        GError     **error)
{
  if (dh_rule_book_key_is_path (key))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("%s.%s names a file; give the list itself"), rule_id, key);
      return FALSE;
    }
  if (!dh_investigation_set_setting (self->investigation, rule_id, key, value, error))
    return FALSE;
  store_setting (self, rule_id, key);
  return TRUE;
}

/* Allowlisting --------------------------------------------------------------- */

/**
 * dh_session_allow:
 * @rule_id: a rule's id, or "all"
 * @key: "allow" (a name) or "allow-hosts" (an address or network)
 * @value: what to add (from a log: any text)
 *
 * Adds @value to the allowlist, keeps it, and remembers the list before for
 * dh_session_undo_allow().
 *
 * Returns: (transfer full) (nullable): the entry as added (a name loses its
 *   trailing dot), or %NULL with @error set
 */
char *
dh_session_allow (DhSession   *self,
                  const char  *rule_id,
                  const char  *key,
                  const char  *value,
                  GError     **error)
{
  DhRuleBook *book = dh_investigation_get_rule_book (self->investigation);
  g_autofree char *old = dh_rule_book_get_value_string (book, rule_id, key);
  g_autofree char *entry = g_strdup (value);
  g_autofree char *updated = NULL;
  g_auto(GStrv) parts = NULL;

  g_return_val_if_fail (g_str_equal (key, "allow") || g_str_equal (key, "allow-hosts"), NULL);

  if (old == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("No rule %s"), rule_id);
      return NULL;
    }
  /* names are compared without their trailing dot */
  if (g_str_equal (key, "allow") && g_str_has_suffix (entry, ".") && strlen (entry) > 1)
    entry[strlen (entry) - 1] = 0;
  parts = g_strsplit (old, ",", -1);
  if (!g_strv_contains ((const char * const *) parts, entry))
    updated = *old ? g_strconcat (old, ",", entry, NULL) : g_strdup (entry);
  else
    updated = g_strdup (old);

  if (!dh_session_set_setting (self, rule_id, key, updated, error))
    return NULL;
  clear_undo (self);
  self->undo_rule = g_strdup (rule_id);
  self->undo_key = g_strdup (key);
  self->undo_value = g_steal_pointer (&old);
  return g_steal_pointer (&entry);
}

gboolean
dh_session_can_undo_allow (DhSession *self)
{
  return self->undo_rule != NULL;
}

/**
 * dh_session_undo_allow:
 *
 * Puts back the allowlist as it was before the last dh_session_allow(),
 * once.
 *
 * Returns: %TRUE when there was something to undo
 */
gboolean
dh_session_undo_allow (DhSession *self)
{
  gboolean ok;

  if (self->undo_rule == NULL)
    return FALSE;
  ok = dh_session_set_setting (self, self->undo_rule, self->undo_key, self->undo_value, NULL);
  clear_undo (self);
  return ok;
}

/* Recent inputs and cases -------------------------------------------------- */

/* @first go first, then the ones kept before that are not among them; at
 * most DH_SESSION_MAX_RECENT in all. */
static void
remember (DhSession          *self,
          const char         *key,
          const char * const *first)
{
  g_auto(GStrv) old = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_auto(GStrv) list = NULL;
  guint n = 0;

  if (self->settings == NULL)
    return;
  old = g_settings_get_strv (self->settings, key);
  for (guint i = 0; first[i] && n < DH_SESSION_MAX_RECENT; i++)
    if (g_hash_table_add (seen, (char *) first[i]))
      {
        g_strv_builder_add (builder, first[i]);
        n++;
      }
  for (guint i = 0; old[i] && n < DH_SESSION_MAX_RECENT; i++)
    if (g_hash_table_add (seen, old[i]))
      {
        g_strv_builder_add (builder, old[i]);
        n++;
      }
  list = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, key, (const char * const *) list);
}

/**
 * dh_session_get_recent:
 * @cases: the recent cases, or else the recent inputs
 *
 * Returns: (transfer full): newest first; empty when nothing is kept
 */
char **
dh_session_get_recent (DhSession *self,
                       gboolean   cases)
{
  if (self->settings == NULL)
    return g_new0 (char *, 1);
  return g_settings_get_strv (self->settings, cases ? "recent-cases" : "recent-inputs");
}

/**
 * dh_session_remember_inputs:
 *
 * Puts the first few of @paths at the head of the recent inputs, and on the
 * desktop's list of recently used files (in a worker).
 */
void
dh_session_remember_inputs (DhSession          *self,
                            const char * const *paths)
{
  g_autoptr(GStrvBuilder) recent = g_strv_builder_new ();
  g_auto(GStrv) few = NULL;

  /* no more than our own list keeps: a case may hold 100,000 inputs */
  for (guint i = 0; paths[i] && i < DH_SESSION_MAX_RECENT; i++)
    g_strv_builder_add (recent, paths[i]);
  few = g_strv_builder_end (recent);
  if (few[0] == NULL)
    return;
  dh_recent_add_async (NULL, (const char * const *) few, NULL, NULL);
  remember (self, "recent-inputs", (const char * const *) few);
}

void
dh_session_remember_case (DhSession  *self,
                          const char *path)
{
  const char *first[] = { path, NULL };

  remember (self, "recent-cases", first);
}

/* Cases ---------------------------------------------------------------------- */

/**
 * dh_session_save_case:
 *
 * Writes the inputs, the settings that differ from the defaults and the
 * triage to @path (JSON), and keeps it among the recent cases.
 */
gboolean
dh_session_save_case (DhSession   *self,
                      const char  *path,
                      GError     **error)
{
  g_autoptr(DhCase) kase = dh_investigation_to_case (self->investigation, self->defaults);

  /* what is followed now, so that the case can follow it again */
  if (self->live && self->live_follows && dh_live_source_is_running (self->live))
    {
      if (dh_live_source_is_local (self->live))
        dh_case_set_live (kase, "folder", NULL, NULL, NULL);
      else
        {
          DhCloudWatchFetch *fetch = dh_live_source_get_fetch (self->live);
          DhCloudWatchClient *client = dh_cloudwatch_fetch_get_client (fetch);
          const char *profile = dh_aws_credentials_get_profile (
            dh_cloudwatch_client_get_credentials (client));

          /* "default" is what the chain uses anyway (the environment's keys first) */
          dh_case_set_live (kase, "cloudwatch", dh_cloudwatch_fetch_get_log_group (fetch),
                            dh_cloudwatch_client_get_region (client),
                            g_strcmp0 (profile, "default") != 0 ? profile : NULL);
        }
    }
  if (!dh_case_save (kase, path, error))
    return FALSE;
  dh_session_remember_case (self, path);
  return TRUE;
}

/* The settings (at most three) a case brought and that were left out. */
static char *
list_keys (GPtrArray *keys)
{
  GString *names = g_string_new (NULL);

  for (guint i = 0; i < keys->len && i < 3; i++)
    g_string_append_printf (names, "%s%s", i ? ", " : "", (const char *) keys->pdata[i]);
  if (keys->len > 3)
    g_string_append (names, ", …");
  return g_string_free (names, FALSE);
}

/**
 * dh_session_open_case:
 * @notices: (out) (optional) (transfer full) (element-type utf8): plain-text
 *   messages about settings of the case that were left out
 *
 * Replaces the investigation with the case's: its settings (for this
 * investigation only: they are not kept, and a setting that names a file is
 * left out), and its triage. The caller reads the inputs returned (into
 * the same investigation, with dh_investigation_load_async()).
 *
 * Returns: (transfer full) (nullable): the case's inputs (maybe none), or
 *   %NULL with @error set (the case could not be read, or logs are being
 *   read)
 */
char **
dh_session_open_case (DhSession   *self,
                      const char  *path,
                      GPtrArray  **notices,
                      GError     **error)
{
  g_autoptr(DhCase) kase = NULL;
  g_autoptr(DhRuleBook) book = NULL;
  g_autoptr(GPtrArray) invalid = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) said = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GStrvBuilder) inputs = g_strv_builder_new ();
  GHashTableIter iter;
  gpointer key, value;

  if (dh_investigation_is_loading (self->investigation))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_BUSY,
                   _("Wait for the logs being read, or cancel"));
      return NULL;
    }
  kase = dh_case_load (path, error);
  if (kase == NULL)
    return NULL;
  dh_session_remember_case (self, path);

  book = dh_rule_book_copy (self->defaults);
  g_hash_table_iter_init (&iter, dh_case_get_settings (kase));
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const char *dot = strchr (key, '.');
      g_autofree char *rule = dot ? g_strndup (key, dot - (const char *) key) : NULL;
      if (rule == NULL || !dh_rule_book_set_value (book, rule, dot + 1, value, NULL))
        g_ptr_array_add (invalid, g_strdup (key));
    }
  if (dh_case_get_refused_settings (kase)->len > 0)
    {
      g_autofree char *keys = list_keys (dh_case_get_refused_settings (kase));
      /* Translators: %s is a list of settings such as paste-site.list-file */
      g_ptr_array_add (said, g_strdup_printf (_("This case names files for %s; a case may "
                                                "hold lists but not file names, so those "
                                                "settings were left out"), keys));
    }
  if (invalid->len > 0)
    {
      g_autofree char *keys = list_keys (invalid);
      /* Translators: %s is a list of settings such as nxdomain-burst.threshold */
      g_ptr_array_add (said, g_strdup_printf (_("Settings of this case that are not valid "
                                                "were left out: %s"), keys));
    }
  for (guint i = 0; i < dh_case_get_inputs (kase)->len; i++)
    g_strv_builder_add (inputs, dh_case_get_inputs (kase)->pdata[i]);
  {
    const char *group, *region, *profile;
    const char *kind = dh_case_get_live (kase, &group, &region, &profile);
    const char *values[] = { kind, group, region, profile };

    for (guint i = 0; i < G_N_ELEMENTS (self->case_live); i++)
      {
        g_free (self->case_live[i]);
        self->case_live[i] = g_strdup (values[i]);
      }
  }

  /* the case's settings replace the saved ones, lists read from files too */
  cancel_list_reads (self);
  clear_undo (self);
  dh_investigation_clear (self->investigation);
  dh_investigation_set_rule_book (self->investigation, book);
  /* the triage is in place before the alerts arrive, so they find it */
  dh_investigation_set_case (self->investigation, g_steal_pointer (&kase));
  if (notices)
    *notices = g_steal_pointer (&said);
  return g_strv_builder_end (inputs);
}

/* Live log groups ------------------------------------------------------------- */

/**
 * dh_session_describe_case_live:
 *
 * Returns: (transfer full) (nullable): what the case opened last followed
 *   when it was saved ("log group X (us-east-1)", "its logs"), to offer to
 *   follow it again; %NULL when it followed nothing
 */
char *
dh_session_describe_case_live (DhSession *self)
{
  if (self->case_live[0] == NULL)
    return NULL;
  if (g_str_equal (self->case_live[0], "folder"))
    return g_strdup (_("its logs"));
  return g_strdup_printf (_("log group %s (%s)"), self->case_live[1], self->case_live[2]);
}

/**
 * dh_session_follow_case_live:
 *
 * Follows again what the case opened last followed: its inputs as they
 * grow, or its log group from the last hour on, through AWS's endpoint for
 * the case's region (or the one AWS_ENDPOINT_URL_CLOUDWATCH_LOGS or
 * AWS_ENDPOINT_URL names, as the AWS SDKs take it; never one from the case)
 * and the case's profile.
 *
 * Returns: (transfer none): the live source, or %NULL with @error set
 */
DhLiveSource *
dh_session_follow_case_live (DhSession  *self,
                             GError    **error)
{
  g_autoptr(DhAwsCredentials) credentials = NULL;
  g_autoptr(DhCloudWatchClient) client = NULL;
  g_autoptr(DhCloudWatchFetch) fetch = NULL;
  const char *endpoint;
  gint64 start_ms;

  if (self->case_live[0] == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("This case followed nothing"));
      return NULL;
    }
  if (g_str_equal (self->case_live[0], "folder"))
    {
      GPtrArray *inputs = dh_investigation_get_inputs (self->investigation);
      g_autoptr(GPtrArray) paths = g_ptr_array_new ();

      for (guint i = 0; i < inputs->len; i++)
        g_ptr_array_add (paths, inputs->pdata[i]);
      g_ptr_array_add (paths, NULL);
      if (inputs->len == 0)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                       _("The case’s logs are not open"));
          return NULL;
        }
      return dh_session_follow_local (self, (const char * const *) paths->pdata);
    }

  credentials = dh_aws_credentials_new (self->case_live[3], error);
  if (credentials == NULL)
    return NULL;
  endpoint = g_getenv ("AWS_ENDPOINT_URL_CLOUDWATCH_LOGS");
  if (endpoint == NULL || *endpoint == '\0')
    endpoint = g_getenv ("AWS_ENDPOINT_URL");
  client = dh_cloudwatch_client_new (credentials, self->case_live[2],
                                     endpoint && *endpoint ? endpoint : NULL, error);
  if (client == NULL)
    return NULL;
  start_ms = g_get_real_time () / 1000 - 3600 * 1000;
  fetch = dh_cloudwatch_fetch_new (client, self->case_live[1], start_ms, -1);
  dh_cloudwatch_fetch_set_follow (fetch, TRUE);
  return dh_session_start_live (self, fetch, start_ms * 1000, G_MAXINT64, TRUE);
}

/**
 * dh_session_get_live_source:
 *
 * Returns: (transfer none) (nullable): the last log group connected
 */
DhLiveSource *
dh_session_get_live_source (DhSession *self)
{
  return self->live;
}

/* @live (started here) feeds the investigation from now on */
static void
adopt_live (DhSession    *self,
            DhLiveSource *live,
            gboolean      follow)
{
  if (self->live)
    {
      g_signal_handlers_disconnect_by_data (self->live, self);
      dh_live_source_stop (self->live);
    }
  g_clear_object (&self->live);
  self->live = live;
  self->live_follows = follow;
  g_clear_pointer (&self->tracker, dh_alert_tracker_free);
  self->tracker = dh_alert_tracker_new ();
  g_signal_connect (live, "snapshot", G_CALLBACK (on_live_snapshot), self);
  dh_live_source_start (live);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LIVE_SOURCE]);
}

/**
 * dh_session_start_live:
 * @fetch: a fetcher not started yet
 * @start: (µs) the oldest record kept, or G_MININT64
 * @end: (µs) the newest record kept, or G_MAXINT64
 * @follow: whether @fetch follows the log group (then the retention and
 *   the lookback are the kept settings `cloudwatch-retention` and
 *   `cloudwatch-lookback`; a range keeps everything)
 *
 * Feeds the investigation from a log group, instead of the one connected
 * before (which stops).
 *
 * Returns: (transfer none): the live source, started
 */
DhLiveSource *
dh_session_start_live (DhSession         *self,
                       DhCloudWatchFetch *fetch,
                       gint64             start,
                       gint64             end,
                       gboolean           follow)
{
  DhLiveSource *live = dh_live_source_new (self->investigation, fetch, start, end);

  if (!follow)
    dh_live_source_set_retention (live, 0);
  else
    {
      guint lookback = self->settings ? g_settings_get_uint (self->settings, "cloudwatch-lookback")
                                      : DH_LIVE_LOOKBACK;

      if (self->settings)
        dh_live_source_set_retention (
          live, (gint64) g_settings_get_uint (self->settings, "cloudwatch-retention") *
                G_USEC_PER_SEC);
      /* events that come in late, dated before the newest one seen */
      dh_cloudwatch_fetch_set_lookback (fetch, lookback * 1000);
    }
  adopt_live (self, live, follow);
  return live;
}

/**
 * dh_session_follow_local:
 * @paths: files and folders
 *
 * Feeds the investigation from @paths as they grow (what they hold, then
 * new lines and new log objects), keeping the last `cloudwatch-retention`.
 *
 * Returns: (transfer none): the live source, started
 */
DhLiveSource *
dh_session_follow_local (DhSession          *self,
                         const char * const *paths)
{
  DhLiveSource *live = dh_live_source_new_local (self->investigation, paths, G_MININT64);

  if (self->settings)
    dh_live_source_set_retention (
      live, (gint64) g_settings_get_uint (self->settings, "cloudwatch-retention") *
            G_USEC_PER_SEC);
  adopt_live (self, live, TRUE);
  return live;
}
