/* dh-investigation.c: the logs under investigation, their alerts and triage
 *
 * The data shown is one snapshot (see dh-snapshot.c): a finished store with
 * its statistics, time order and alerts. dh_investigation_install() is the
 * one way it is replaced, by a finished load (a DhLoader, which reads in a
 * worker), by a live source, or by nothing when the investigation closes.
 * Opening more logs re-reads all inputs into a fresh snapshot rather than
 * appending: a store is not safe to grow while the window reads it, and a
 * re-read keeps the event indices, the statistics and the alerts consistent
 * with each other.
 *
 * A settings change re-runs only the analysis, on a copy of the rule book,
 * in a worker; a newer change cancels an older run.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "dh-investigation.h"

struct _DhInvestigation
{
  GObject        parent_instance;

  GPtrArray     *inputs;      /* char *, of the data shown */
  DhSnapshot    *snapshot;    /* the data shown, or NULL */
  DhAlertSet    *alerts;      /* its alerts, by the current settings */
  DhRuleBook    *book;
  guint          book_serial;
  DhCase        *kase;        /* triage (settings live in the book) */

  DhLoader      *loader;      /* while loading */
  GCancellable  *analyze_cancellable;
  gboolean       analyzing;
};

G_DEFINE_FINAL_TYPE (DhInvestigation, dh_investigation, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_LOADING,
  PROP_LOADER,
  PROP_ANALYZING,
  PROP_HAS_DATA,
  N_PROPS
};

enum {
  DATA_CHANGED,
  ALERTS_CHANGED,
  TRIAGE_CHANGED,
  ALERT_TRIAGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void reanalyze (DhInvestigation *self);

static void
dh_investigation_dispose (GObject *object)
{
  DhInvestigation *self = DH_INVESTIGATION (object);

  g_cancellable_cancel (self->analyze_cancellable);
  g_clear_object (&self->analyze_cancellable);
  g_clear_object (&self->loader);
  G_OBJECT_CLASS (dh_investigation_parent_class)->dispose (object);
}

static void
dh_investigation_finalize (GObject *object)
{
  DhInvestigation *self = DH_INVESTIGATION (object);

  g_ptr_array_unref (self->inputs);
  g_clear_pointer (&self->alerts, dh_alert_set_unref);
  g_clear_pointer (&self->snapshot, dh_snapshot_unref);
  g_clear_pointer (&self->book, dh_rule_book_unref);
  g_clear_pointer (&self->kase, dh_case_free);
  G_OBJECT_CLASS (dh_investigation_parent_class)->finalize (object);
}

static void
dh_investigation_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  DhInvestigation *self = DH_INVESTIGATION (object);

  switch (prop_id)
    {
    case PROP_LOADING:
      g_value_set_boolean (value, self->loader != NULL);
      break;
    case PROP_LOADER:
      g_value_set_object (value, self->loader);
      break;
    case PROP_ANALYZING:
      g_value_set_boolean (value, self->analyzing);
      break;
    case PROP_HAS_DATA:
      g_value_set_boolean (value, self->snapshot != NULL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dh_investigation_class_init (DhInvestigationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = dh_investigation_dispose;
  object_class->finalize = dh_investigation_finalize;
  object_class->get_property = dh_investigation_get_property;

  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* the load under way (its phase, fraction and message), or NULL */
  properties[PROP_LOADER] =
    g_param_spec_object ("loader", NULL, NULL, DH_TYPE_LOADER,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ANALYZING] =
    g_param_spec_boolean ("analyzing", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HAS_DATA] =
    g_param_spec_boolean ("has-data", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * DhInvestigation::data-changed:
   *
   * A new store, statistics and alerts were installed (after a load).
   */
  signals[DATA_CHANGED] =
    g_signal_new ("data-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
  /**
   * DhInvestigation::alerts-changed:
   *
   * The alerts were replaced (after a load or a re-analysis).
   */
  signals[ALERTS_CHANGED] =
    g_signal_new ("alerts-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[TRIAGE_CHANGED] =
    g_signal_new ("triage-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
  /**
   * DhInvestigation::alert-triaged:
   * @alert: (type gpointer): the DhAlert of the current alerts
   * @state: the DhTriageState the analyst gave it
   *
   * The analyst changed one alert's triage (PagerDuty hears of it).
   */
  signals[ALERT_TRIAGED] =
    g_signal_new ("alert-triaged", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_POINTER, G_TYPE_INT);
}

static void
dh_investigation_init (DhInvestigation *self)
{
  self->inputs = g_ptr_array_new_with_free_func (g_free);
  self->kase = dh_case_new ();
}

/**
 * dh_investigation_new:
 * @book: the rules and settings to use; the investigation keeps a reference
 *   and changes it through dh_investigation_set_setting()
 */
DhInvestigation *
dh_investigation_new (DhRuleBook *book)
{
  DhInvestigation *self = g_object_new (DH_TYPE_INVESTIGATION, NULL);

  self->book = dh_rule_book_ref (book);
  return self;
}

/**
 * dh_investigation_get_inputs:
 *
 * Returns: (transfer none) (element-type utf8): the paths of the data shown
 */
GPtrArray *
dh_investigation_get_inputs (DhInvestigation *self)
{
  return self->inputs;
}

DhEventStore *
dh_investigation_get_store (DhInvestigation *self)
{
  return self->snapshot ? dh_snapshot_get_store (self->snapshot) : NULL;
}

DhStoreStats *
dh_investigation_get_stats (DhInvestigation *self)
{
  return self->snapshot ? dh_snapshot_get_stats (self->snapshot) : NULL;
}

/**
 * dh_investigation_get_time_order:
 *
 * Returns: (transfer none) (nullable): every event index in time order; take
 *   a reference to keep it (it is never changed, only replaced)
 */
GArray *
dh_investigation_get_time_order (DhInvestigation *self)
{
  return self->snapshot ? dh_snapshot_get_time_order (self->snapshot) : NULL;
}

DhAlertSet *
dh_investigation_get_alerts (DhInvestigation *self)
{
  return self->alerts;
}

DhRuleBook *
dh_investigation_get_rule_book (DhInvestigation *self)
{
  return self->book;
}

DhCase *
dh_investigation_get_case (DhInvestigation *self)
{
  return self->kase;
}

gboolean
dh_investigation_is_loading (DhInvestigation *self)
{
  return self->loader != NULL;
}

/**
 * dh_investigation_get_loader:
 *
 * Returns: (transfer none) (nullable): the load under way
 */
DhLoader *
dh_investigation_get_loader (DhInvestigation *self)
{
  return self->loader;
}

/**
 * dh_investigation_get_snapshot:
 *
 * Returns: (transfer none) (nullable): the data shown (its alerts are those
 *   it was built with; dh_investigation_get_alerts() has the current ones)
 */
DhSnapshot *
dh_investigation_get_snapshot (DhInvestigation *self)
{
  return self->snapshot;
}

gboolean
dh_investigation_is_analyzing (DhInvestigation *self)
{
  return self->analyzing;
}

gboolean
dh_investigation_has_data (DhInvestigation *self)
{
  return self->snapshot != NULL;
}

static void
set_loader (DhInvestigation *self,
            DhLoader        *loader)
{
  if (self->loader == loader)
    return;
  g_set_object (&self->loader, loader);
  g_object_freeze_notify (G_OBJECT (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADER]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
  g_object_thaw_notify (G_OBJECT (self));
}

static void
set_analyzing (DhInvestigation *self,
               gboolean         analyzing)
{
  if (self->analyzing == analyzing)
    return;
  self->analyzing = analyzing;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ANALYZING]);
}

/* Loading ---------------------------------------------------------------- */

static void
load_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DhInvestigation *self = g_task_get_source_object (task);
  g_autoptr(DhLoadReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DhSnapshot) snapshot = dh_loader_load_finish (DH_LOADER (source), result, &report,
                                                          &error);

  if (self->loader == DH_LOADER (source))
    set_loader (self, NULL);
  if (snapshot == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  dh_investigation_install (self, snapshot);
  g_task_return_pointer (task, g_steal_pointer (&report), (GDestroyNotify) dh_load_report_free);
}

/**
 * dh_investigation_load_async:
 * @paths: files and folders to add to the inputs already shown
 *
 * Reads every input (those already shown and @paths) into a new snapshot
 * with a DhLoader (the "loader" property while it runs). The current data
 * stays shown until it finishes; nothing changes when it fails or is
 * cancelled.
 */
void
dh_investigation_load_async (DhInvestigation     *self,
                             const char * const  *paths,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_auto(GStrv) all = NULL;
  g_autoptr(DhLoader) loader = NULL;

  g_return_if_fail (DH_IS_INVESTIGATION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, dh_investigation_load_async);

  if (self->loader)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               _("Logs are already being read"));
      return;
    }

  /* a set: a case may hold 100,000 inputs */
  for (guint i = 0; i < self->inputs->len; i++)
    if (g_hash_table_add (seen, self->inputs->pdata[i]))
      g_strv_builder_add (builder, self->inputs->pdata[i]);
  for (guint i = 0; paths && paths[i]; i++)
    if (g_hash_table_add (seen, (char *) paths[i]))
      g_strv_builder_add (builder, paths[i]);
  all = g_strv_builder_end (builder);

  loader = dh_loader_new ((const char * const *) all, self->book, self->book_serial);
  set_loader (self, loader);
  dh_loader_load_async (loader, cancellable, load_done, g_steal_pointer (&task));
}

/**
 * dh_investigation_load_finish:
 * @report: (out) (optional) (transfer full): rejected lines and unreadable
 *   inputs, when the load completed
 *
 * Returns: %TRUE when the new data is installed
 */
gboolean
dh_investigation_load_finish (DhInvestigation  *self,
                              GAsyncResult     *result,
                              DhLoadReport    **report,
                              GError          **error)
{
  DhLoadReport *r;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  r = g_task_propagate_pointer (G_TASK (result), error);
  if (r == NULL)
    return FALSE;
  if (report)
    *report = r;
  else
    dh_load_report_free (r);
  return TRUE;
}

/**
 * dh_investigation_install:
 * @snapshot: (nullable): the data to show from now on, or %NULL for none
 *
 * The one way the data shown is replaced: by a finished load, by a live
 * source (CloudWatch Logs), or by nothing. The inputs become the
 * snapshot's (none for a live source, which is not a path to read again).
 * When the settings changed while the snapshot was built, the rules run
 * again on it.
 */
void
dh_investigation_install (DhInvestigation *self,
                          DhSnapshot      *snapshot)
{
  const char * const *inputs = snapshot ? dh_snapshot_get_inputs (snapshot) : NULL;

  if (self->analyze_cancellable)
    g_cancellable_cancel (self->analyze_cancellable);
  g_clear_object (&self->analyze_cancellable);
  set_analyzing (self, FALSE);

  g_ptr_array_set_size (self->inputs, 0);
  for (guint i = 0; inputs && inputs[i]; i++)
    g_ptr_array_add (self->inputs, g_strdup (inputs[i]));
  g_clear_pointer (&self->alerts, dh_alert_set_unref);
  g_clear_pointer (&self->snapshot, dh_snapshot_unref);
  if (snapshot)
    {
      self->snapshot = dh_snapshot_ref (snapshot);
      self->alerts = dh_alert_set_ref (dh_snapshot_get_alerts (snapshot));
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_DATA]);
  g_signal_emit (self, signals[DATA_CHANGED], 0);
  g_signal_emit (self, signals[ALERTS_CHANGED], 0);

  /* The settings changed while the worker ran with the old ones. */
  if (snapshot && dh_snapshot_get_book_serial (snapshot) != self->book_serial)
    reanalyze (self);
}

/**
 * dh_investigation_clear:
 *
 * Forgets the logs, alerts and triage; keeps the settings.
 */
void
dh_investigation_clear (DhInvestigation *self)
{
  g_clear_pointer (&self->kase, dh_case_free);
  self->kase = dh_case_new ();
  dh_investigation_install (self, NULL);
}

/**
 * dh_investigation_copy_rule_book:
 * @serial: (out): the settings' serial, for the snapshot built with it
 *
 * Returns: (transfer full): a copy of the rules and settings, for a worker
 */
DhRuleBook *
dh_investigation_copy_rule_book (DhInvestigation *self,
                                 guint           *serial)
{
  *serial = self->book_serial;
  return dh_rule_book_copy (self->book);
}

/* Re-analysis -------------------------------------------------------------- */

typedef struct
{
  DhEventStore *store;
  DhRuleBook   *book;
} AnalyzeData;

static void
analyze_data_free (gpointer data)
{
  AnalyzeData *d = data;

  dh_event_store_unref (d->store);
  dh_rule_book_unref (d->book);
  g_free (d);
}

static void
analyze_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  AnalyzeData *d = task_data;
  GError *error = NULL;
  DhAlertSet *set = dh_analyze (d->store, d->book, cancellable, &error);

  if (set == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, set, (GDestroyNotify) dh_alert_set_unref);
}

static void
analyze_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  DhInvestigation *self = DH_INVESTIGATION (source);
  AnalyzeData *d = g_task_get_task_data (G_TASK (result));
  GCancellable *cancellable = g_task_get_cancellable (G_TASK (result));
  g_autoptr(GError) error = NULL;
  DhAlertSet *set = g_task_propagate_pointer (G_TASK (result), &error);

  /* A newer run or a load replaced this one: leave everything to it. */
  if (cancellable != self->analyze_cancellable || d->store != dh_investigation_get_store (self))
    {
      g_clear_pointer (&set, dh_alert_set_unref);
      return;
    }
  g_clear_object (&self->analyze_cancellable);
  set_analyzing (self, FALSE);
  if (set == NULL)
    {
      g_warning ("Analysis failed: %s", error->message);
      return;
    }
  g_clear_pointer (&self->alerts, dh_alert_set_unref);
  self->alerts = set;
  g_signal_emit (self, signals[ALERTS_CHANGED], 0);
}

/* Runs the rules again on the events already read, with the current
 * settings, in a worker; any run still going is cancelled. Setting a
 * setting, the rule book or the case does it. */
static void
reanalyze (DhInvestigation *self)
{
  g_autoptr(GTask) task = NULL;
  AnalyzeData *d;

  if (self->analyze_cancellable)
    g_cancellable_cancel (self->analyze_cancellable);
  g_clear_object (&self->analyze_cancellable);
  if (self->snapshot == NULL)
    {
      set_analyzing (self, FALSE);
      return;
    }

  self->analyze_cancellable = g_cancellable_new ();
  d = g_new0 (AnalyzeData, 1);
  d->store = dh_event_store_ref (dh_snapshot_get_store (self->snapshot));
  d->book = dh_rule_book_copy (self->book);
  task = g_task_new (self, self->analyze_cancellable, analyze_done, NULL);
  g_task_set_source_tag (task, reanalyze);
  g_task_set_task_data (task, d, analyze_data_free);
  set_analyzing (self, TRUE);
  g_task_run_in_thread (task, analyze_thread);
}

/**
 * dh_investigation_set_setting:
 *
 * Changes one setting (see dh_rule_book_set_value()) and re-runs the rules.
 */
gboolean
dh_investigation_set_setting (DhInvestigation  *self,
                              const char       *rule_id,
                              const char       *key,
                              const char       *value,
                              GError          **error)
{
  g_autofree char *old = dh_rule_book_get_value_string (self->book, rule_id, key);

  if (old != NULL && g_strcmp0 (old, value) == 0)
    return TRUE;
  if (!dh_rule_book_set_value (self->book, rule_id, key, value, error))
    return FALSE;
  self->book_serial++;
  reanalyze (self);
  return TRUE;
}

/**
 * dh_investigation_set_rule_book:
 *
 * Replaces every setting at once (opening a case) and re-runs the rules.
 */
void
dh_investigation_set_rule_book (DhInvestigation *self,
                                DhRuleBook      *book)
{
  g_clear_pointer (&self->book, dh_rule_book_unref);
  self->book = dh_rule_book_ref (book);
  self->book_serial++;
  reanalyze (self);
}

/* Triage ----------------------------------------------------------------- */

const DhTriage *
dh_investigation_lookup_triage (DhInvestigation *self,
                                const DhAlert   *alert)
{
  const DhRule *rule = dh_rule_book_get_rule (self->book, alert->rule);
  const char *host = dh_event_store_get_string (dh_investigation_get_store (self), alert->host);

  return dh_case_lookup_triage (self->kase, rule->id, host, alert->first_seen);
}

void
dh_investigation_set_triage (DhInvestigation *self,
                             const DhAlert   *alert,
                             DhTriageState    state,
                             const char      *note)
{
  const DhRule *rule = dh_rule_book_get_rule (self->book, alert->rule);
  const char *host = dh_event_store_get_string (dh_investigation_get_store (self), alert->host);

  const DhTriage *before = dh_case_lookup_triage (self->kase, rule->id, host, alert->first_seen);
  gboolean changed = (before ? before->state : DH_TRIAGE_NEW) != state;

  dh_case_set_triage (self->kase, rule->id, host, alert->first_seen, state, note);
  g_signal_emit (self, signals[TRIAGE_CHANGED], 0);
  if (changed)
    g_signal_emit (self, signals[ALERT_TRIAGED], 0, alert, (int) state);
}

/**
 * dh_investigation_set_case:
 * @kase: (transfer full): the triage to use from now on
 */
void
dh_investigation_set_case (DhInvestigation *self,
                           DhCase          *kase)
{
  g_clear_pointer (&self->kase, dh_case_free);
  self->kase = kase;
  g_signal_emit (self, signals[TRIAGE_CHANGED], 0);
}

/**
 * dh_investigation_to_case:
 * @defaults: the rule book with default settings; only settings that differ
 *   from it are written
 *
 * Returns: (transfer full): the inputs, settings and triage as a case
 */
DhCase *
dh_investigation_to_case (DhInvestigation *self,
                          DhRuleBook      *defaults)
{
  g_autoptr(DhCase) kase = NULL;
  g_autofree char *json = dh_case_to_json (self->kase, NULL);

  kase = dh_case_new_from_json (json, -1, NULL);
  g_hash_table_remove_all (dh_case_get_settings (kase));
  dh_case_clear_inputs (kase);
  for (guint i = 0; i < self->inputs->len; i++)
    dh_case_add_input (kase, self->inputs->pdata[i]);

  for (guint r = 0; r < DH_N_RULES; r++)
    {
      const DhRule *rule = dh_rule_book_get_rule (self->book, r);
      for (guint i = 0; i < rule->settings->len; i++)
        {
          const DhSetting *s = rule->settings->pdata[i];
          g_autofree char *now = dh_rule_book_get_value_string (self->book, rule->id, s->key);
          g_autofree char *def = dh_rule_book_get_value_string (defaults, rule->id, s->key);
          if (g_strcmp0 (now, def) != 0)
            {
              g_autofree char *key = g_strdup_printf ("%s.%s", rule->id, s->key);
              dh_case_set_setting (kase, key, now);
            }
        }
    }
  for (guint i = 0; i < 2; i++)
    {
      const char *key = i == 0 ? "allow" : "allow-hosts";
      g_autofree char *now = dh_rule_book_get_value_string (self->book, "all", key);
      g_autofree char *def = dh_rule_book_get_value_string (defaults, "all", key);
      if (g_strcmp0 (now, def) != 0)
        {
          g_autofree char *full = g_strdup_printf ("all.%s", key);
          dh_case_set_setting (kase, full, now);
        }
    }
  return g_steal_pointer (&kase);
}

/**
 * dh_investigation_host_label:
 *
 * Returns: (transfer full): the host's address with its instance or Resolver
 *   endpoint id beside it, as plain text
 */
char *
dh_investigation_host_label (DhInvestigation *self,
                             guint32          host)
{
  DhEventStore *store = dh_investigation_get_store (self);
  DhStoreStats *stats = dh_investigation_get_stats (self);
  const DhHostStats *h = stats ? dh_store_stats_find_host (stats, host) : NULL;
  const char *addr = dh_event_store_get_string (store, host);

  if (h && h->srcid != DH_STR_EMPTY)
    return g_strdup_printf ("%s (%s)", addr, dh_event_store_get_string (store, h->srcid));
  return g_strdup (addr);
}
