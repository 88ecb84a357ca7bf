/* dh-investigation.c: the logs under investigation, their alerts and triage
 *
 * Loading reads every input into a new store in a worker thread, indexes it
 * and runs the rules there too; the main thread only gets the finished
 * store, statistics and alerts, in one hand-over. Opening more logs re-reads
 * all inputs into a fresh store rather than appending: the store is not safe
 * to grow while the window reads it, and a re-read keeps the event indices,
 * the statistics and the alerts consistent with each other.
 *
 * Progress (bytes and events) is written by the worker under a lock and
 * published to the main thread by one coalesced idle at a time, at most
 * every 40 ms, so a fast reader cannot flood the main loop.
 *
 * A settings change re-runs only the analysis, on a copy of the rule book,
 * in a worker; a newer change cancels an older run.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "dh-investigation.h"
#include "dh-reader.h"

#define PROGRESS_INTERVAL_US (40 * 1000)

struct _DhInvestigation
{
  GObject        parent_instance;

  GPtrArray     *inputs;      /* char *, of the data shown */
  DhEventStore  *store;
  DhStoreStats  *stats;
  GArray        *time_order;  /* guint32, every event by time (shared with workers) */
  DhAlertSet    *alerts;
  DhRuleBook    *book;
  guint          book_serial;
  DhCase        *kase;        /* triage (settings live in the book) */

  GCancellable  *analyze_cancellable;
  gboolean       loading;
  gboolean       analyzing;

  guint64        bytes_done;
  guint64        bytes_total;
  guint          n_events_read;
  char          *phase;
};

G_DEFINE_FINAL_TYPE (DhInvestigation, dh_investigation, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_LOADING,
  PROP_ANALYZING,
  PROP_BYTES_DONE,
  PROP_BYTES_TOTAL,
  PROP_N_EVENTS_READ,
  PROP_PHASE,
  PROP_HAS_DATA,
  N_PROPS
};

enum {
  DATA_CHANGED,
  ALERTS_CHANGED,
  TRIAGE_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

void
dh_load_report_free (DhLoadReport *report)
{
  if (report == NULL)
    return;
  for (guint i = 0; i < report->rejects->len; i++)
    g_free (g_array_index (report->rejects, DhRejectInfo, i).source);
  g_array_unref (report->rejects);
  g_ptr_array_unref (report->errors);
  g_free (report);
}

static void
dh_investigation_dispose (GObject *object)
{
  DhInvestigation *self = DH_INVESTIGATION (object);

  g_cancellable_cancel (self->analyze_cancellable);
  g_clear_object (&self->analyze_cancellable);
  G_OBJECT_CLASS (dh_investigation_parent_class)->dispose (object);
}

static void
dh_investigation_finalize (GObject *object)
{
  DhInvestigation *self = DH_INVESTIGATION (object);

  g_ptr_array_unref (self->inputs);
  g_clear_pointer (&self->alerts, dh_alert_set_unref);
  g_clear_pointer (&self->stats, dh_store_stats_free);
  g_clear_pointer (&self->time_order, g_array_unref);
  g_clear_pointer (&self->store, dh_event_store_unref);
  g_clear_pointer (&self->book, dh_rule_book_unref);
  g_clear_pointer (&self->kase, dh_case_free);
  g_free (self->phase);
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
      g_value_set_boolean (value, self->loading);
      break;
    case PROP_ANALYZING:
      g_value_set_boolean (value, self->analyzing);
      break;
    case PROP_BYTES_DONE:
      g_value_set_uint64 (value, self->bytes_done);
      break;
    case PROP_BYTES_TOTAL:
      g_value_set_uint64 (value, self->bytes_total);
      break;
    case PROP_N_EVENTS_READ:
      g_value_set_uint (value, self->n_events_read);
      break;
    case PROP_PHASE:
      g_value_set_string (value, self->phase);
      break;
    case PROP_HAS_DATA:
      g_value_set_boolean (value, self->store != NULL);
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
  properties[PROP_ANALYZING] =
    g_param_spec_boolean ("analyzing", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BYTES_DONE] =
    g_param_spec_uint64 ("bytes-done", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BYTES_TOTAL] =
    g_param_spec_uint64 ("bytes-total", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_EVENTS_READ] =
    g_param_spec_uint ("n-events-read", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PHASE] =
    g_param_spec_string ("phase", NULL, NULL, NULL,
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
  return self->store;
}

DhStoreStats *
dh_investigation_get_stats (DhInvestigation *self)
{
  return self->stats;
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
  return self->time_order;
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
  return self->loading;
}

gboolean
dh_investigation_is_analyzing (DhInvestigation *self)
{
  return self->analyzing;
}

gboolean
dh_investigation_has_data (DhInvestigation *self)
{
  return self->store != NULL;
}

static void
set_loading (DhInvestigation *self,
             gboolean         loading)
{
  if (self->loading == loading)
    return;
  self->loading = loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
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

typedef struct
{
  DhInvestigation *self;       /* owned; released on the main thread */
  char           **paths;
  DhRuleBook      *book;
  guint            book_serial;

  GMutex           lock;
  guint64          bytes_done;
  guint64          bytes_total;
  guint            n_events;
  const char      *phase;
  gint64           last_publish;
  gboolean         publish_pending;

  DhEventStore    *store;
  DhStoreStats    *stats;
  GArray          *time_order;
  DhAlertSet      *alerts;
  DhLoadReport    *report;
} LoadData;

static void
load_data_clear (gpointer data)
{
  LoadData *d = data;

  g_strfreev (d->paths);
  g_clear_pointer (&d->book, dh_rule_book_unref);
  g_clear_pointer (&d->store, dh_event_store_unref);
  g_clear_pointer (&d->stats, dh_store_stats_free);
  g_clear_pointer (&d->time_order, g_array_unref);
  g_clear_pointer (&d->alerts, dh_alert_set_unref);
  g_clear_pointer (&d->report, dh_load_report_free);
  g_mutex_clear (&d->lock);
  g_clear_object (&d->self);
}

static void
load_data_unref (LoadData *d)
{
  g_atomic_rc_box_release_full (d, load_data_clear);
}

static gboolean
publish_progress (gpointer user_data)
{
  LoadData *d = user_data;
  DhInvestigation *self = d->self;
  guint64 done, total;
  guint n;
  const char *phase;

  g_mutex_lock (&d->lock);
  done = d->bytes_done;
  total = d->bytes_total;
  n = d->n_events;
  phase = d->phase;
  d->publish_pending = FALSE;
  d->last_publish = g_get_monotonic_time ();
  g_mutex_unlock (&d->lock);

  if (!self->loading)
    return G_SOURCE_REMOVE;
  g_object_freeze_notify (G_OBJECT (self));
  if (self->bytes_done != done)
    {
      self->bytes_done = done;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BYTES_DONE]);
    }
  if (self->bytes_total != total)
    {
      self->bytes_total = total;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BYTES_TOTAL]);
    }
  if (self->n_events_read != n)
    {
      self->n_events_read = n;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_EVENTS_READ]);
    }
  if (g_strcmp0 (self->phase, phase) != 0)
    {
      g_free (self->phase);
      self->phase = g_strdup (phase);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PHASE]);
    }
  g_object_thaw_notify (G_OBJECT (self));
  return G_SOURCE_REMOVE;
}

/* Worker thread: records the numbers, and asks the main loop to show them
 * unless it was asked very recently or has not run the last request yet. */
static void
update_progress (LoadData   *d,
                 DhReader   *reader,
                 const char *phase,
                 gboolean    force)
{
  gint64 now = g_get_monotonic_time ();
  gboolean schedule = FALSE;

  g_mutex_lock (&d->lock);
  if (reader)
    {
      d->bytes_done = dh_reader_get_bytes_done (reader);
      d->bytes_total = dh_reader_get_bytes_total (reader);
      d->n_events = dh_reader_get_n_events (reader);
    }
  if (phase)
    d->phase = phase;
  if (!d->publish_pending && (force || now - d->last_publish >= PROGRESS_INTERVAL_US))
    {
      d->publish_pending = TRUE;
      schedule = TRUE;
    }
  g_mutex_unlock (&d->lock);

  if (schedule)
    g_idle_add_full (G_PRIORITY_DEFAULT, publish_progress,
                     g_atomic_rc_box_acquire (d), (GDestroyNotify) load_data_unref);
}

static void
reader_progress (DhReader *reader,
                 gpointer  user_data)
{
  update_progress (user_data, reader, NULL, FALSE);
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  LoadData *d = task_data;
  g_autoptr(DhReader) reader = NULL;
  g_autoptr(GError) error = NULL;
  DhLoadReport *report;
  gint64 started = g_get_monotonic_time ();
  const DhReject *rejects;
  guint n_rejects;
  GPtrArray *errors;

  d->store = dh_event_store_new ();
  reader = dh_reader_new (d->store);
  dh_reader_set_progress_func (reader, reader_progress, d);
  for (guint i = 0; d->paths[i]; i++)
    dh_reader_add_path (reader, d->paths[i], NULL);
  update_progress (d, reader, N_("Reading"), TRUE);
  if (!dh_reader_run (reader, cancellable, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  report = d->report = g_new0 (DhLoadReport, 1);
  report->rejects = g_array_new (FALSE, FALSE, sizeof (DhRejectInfo));
  report->errors = g_ptr_array_new_with_free_func (g_free);
  report->n_rejected = dh_event_store_get_n_rejected (d->store);
  report->n_events = dh_event_store_get_n_events (d->store);
  rejects = dh_reader_get_rejects (reader, &n_rejects);
  for (guint i = 0; i < n_rejects; i++)
    {
      DhRejectInfo info;
      info.source = g_strdup (dh_event_store_get_source (d->store, rejects[i].source)->name);
      info.line = rejects[i].line;
      info.reason = rejects[i].reason;
      g_array_append_val (report->rejects, info);
    }
  errors = dh_reader_get_errors (reader);
  for (guint i = 0; i < errors->len; i++)
    g_ptr_array_add (report->errors, g_strdup (((GError *) errors->pdata[i])->message));

  update_progress (d, reader, N_("Indexing"), TRUE);
  d->stats = dh_store_stats_new (d->store, cancellable);
  if (d->stats == NULL || g_task_return_error_if_cancelled (task))
    {
      if (!g_task_had_error (task))
        g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "cancelled");
      return;
    }

  {
    guint n;
    const guint32 *order = dh_store_stats_get_time_order (d->stats, &n);
    d->time_order = g_array_sized_new (FALSE, FALSE, sizeof (guint32), n);
    g_array_append_vals (d->time_order, order, n);
  }

  update_progress (d, NULL, N_("Analysing"), TRUE);
  d->alerts = dh_analyze (d->store, d->book, cancellable, &error);
  if (d->alerts == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  report->elapsed_us = g_get_monotonic_time () - started;
  g_task_return_boolean (task, TRUE);
}

/**
 * dh_investigation_load_async:
 * @paths: files and folders to add to the inputs already shown
 *
 * Reads every input (those already shown and @paths) into a new store in a
 * worker thread. The current data stays shown until it finishes; nothing
 * changes when it fails or is cancelled.
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
  LoadData *d;

  g_return_if_fail (DH_IS_INVESTIGATION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, dh_investigation_load_async);

  if (self->loading)
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

  d = g_atomic_rc_box_new0 (LoadData);
  g_mutex_init (&d->lock);
  d->self = g_object_ref (self);
  d->paths = g_strv_builder_end (builder);
  d->book = dh_rule_book_copy (self->book);
  d->book_serial = self->book_serial;
  d->phase = N_("Reading");
  g_task_set_task_data (task, d, (GDestroyNotify) load_data_unref);

  self->bytes_done = self->bytes_total = 0;
  self->n_events_read = 0;
  g_free (self->phase);
  self->phase = g_strdup (N_("Reading"));
  g_object_freeze_notify (G_OBJECT (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BYTES_DONE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BYTES_TOTAL]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_EVENTS_READ]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PHASE]);
  set_loading (self, TRUE);
  g_object_thaw_notify (G_OBJECT (self));

  g_task_run_in_thread (task, load_thread);
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
  GTask *task = G_TASK (result);
  LoadData *d;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  d = g_task_get_task_data (task);

  if (!g_task_propagate_boolean (task, error))
    {
      /* No task data: it was refused because another load is running. */
      if (d != NULL)
        set_loading (self, FALSE);
      return FALSE;
    }

  if (self->analyze_cancellable)
    g_cancellable_cancel (self->analyze_cancellable);
  g_clear_object (&self->analyze_cancellable);
  set_analyzing (self, FALSE);
  g_ptr_array_set_size (self->inputs, 0);
  for (guint i = 0; d->paths[i]; i++)
    g_ptr_array_add (self->inputs, g_strdup (d->paths[i]));
  g_clear_pointer (&self->alerts, dh_alert_set_unref);
  g_clear_pointer (&self->stats, dh_store_stats_free);
  g_clear_pointer (&self->time_order, g_array_unref);
  g_clear_pointer (&self->store, dh_event_store_unref);
  self->store = g_steal_pointer (&d->store);
  self->stats = g_steal_pointer (&d->stats);
  self->time_order = g_steal_pointer (&d->time_order);
  self->alerts = g_steal_pointer (&d->alerts);
  if (report)
    *report = g_steal_pointer (&d->report);

  set_loading (self, FALSE);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_DATA]);
  g_signal_emit (self, signals[DATA_CHANGED], 0);
  g_signal_emit (self, signals[ALERTS_CHANGED], 0);

  /* The settings changed while the worker read with the old ones. */
  if (d->book_serial != self->book_serial)
    dh_investigation_reanalyze (self);
  return TRUE;
}

/**
 * dh_investigation_clear:
 *
 * Forgets the logs, alerts and triage; keeps the settings.
 */
void
dh_investigation_clear (DhInvestigation *self)
{
  if (self->analyze_cancellable)
    g_cancellable_cancel (self->analyze_cancellable);
  g_clear_object (&self->analyze_cancellable);
  set_analyzing (self, FALSE);
  g_ptr_array_set_size (self->inputs, 0);
  g_clear_pointer (&self->alerts, dh_alert_set_unref);
  g_clear_pointer (&self->stats, dh_store_stats_free);
  g_clear_pointer (&self->time_order, g_array_unref);
  g_clear_pointer (&self->store, dh_event_store_unref);
  g_clear_pointer (&self->kase, dh_case_free);
  self->kase = dh_case_new ();
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_DATA]);
  g_signal_emit (self, signals[DATA_CHANGED], 0);
  g_signal_emit (self, signals[ALERTS_CHANGED], 0);
}

/* Live sources ------------------------------------------------------------ */

/**
 * dh_investigation_copy_rule_book:
 * @serial: (out): the settings' serial, for dh_investigation_install()
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

/**
 * dh_investigation_install:
 * @store: (transfer full): a finished store nobody writes to any more
 * @stats: (transfer full): its statistics
 * @time_order: (transfer full): its events in time order
 * @alerts: (transfer full): its alerts, by the rules of @book_serial
 * @book_serial: from dh_investigation_copy_rule_book()
 *
 * For a live source (CloudWatch Logs): replaces the data shown by a snapshot
 * built in a worker, as a finished load does. The inputs become none (a live
 * source is not a path to read again).
 */
void
dh_investigation_install (DhInvestigation *self,
                          DhEventStore    *store,
                          DhStoreStats    *stats,
                          GArray          *time_order,
                          DhAlertSet      *alerts,
                          guint            book_serial)
{
  if (self->analyze_cancellable)
    g_cancellable_cancel (self->analyze_cancellable);
  g_clear_object (&self->analyze_cancellable);
  set_analyzing (self, FALSE);
  g_ptr_array_set_size (self->inputs, 0);
  g_clear_pointer (&self->alerts, dh_alert_set_unref);
  g_clear_pointer (&self->stats, dh_store_stats_free);
  g_clear_pointer (&self->time_order, g_array_unref);
  g_clear_pointer (&self->store, dh_event_store_unref);
  self->store = store;
  self->stats = stats;
  self->time_order = time_order;
  self->alerts = alerts;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_DATA]);
  g_signal_emit (self, signals[DATA_CHANGED], 0);
  g_signal_emit (self, signals[ALERTS_CHANGED], 0);
  if (book_serial != self->book_serial)
    dh_investigation_reanalyze (self);
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
  if (cancellable != self->analyze_cancellable || d->store != self->store)
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

/**
 * dh_investigation_reanalyze:
 *
 * Runs the rules again on the events already read, with the current
 * settings, in a worker. Any run still going is cancelled.
 */
void
dh_investigation_reanalyze (DhInvestigation *self)
{
  g_autoptr(GTask) task = NULL;
  AnalyzeData *d;

  if (self->analyze_cancellable)
    g_cancellable_cancel (self->analyze_cancellable);
  g_clear_object (&self->analyze_cancellable);
  if (self->store == NULL)
    {
      set_analyzing (self, FALSE);
      return;
    }

  self->analyze_cancellable = g_cancellable_new ();
  d = g_new0 (AnalyzeData, 1);
  d->store = dh_event_store_ref (self->store);
  d->book = dh_rule_book_copy (self->book);
  task = g_task_new (self, self->analyze_cancellable, analyze_done, NULL);
  g_task_set_source_tag (task, dh_investigation_reanalyze);
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
  dh_investigation_reanalyze (self);
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
  dh_investigation_reanalyze (self);
}

/* Triage ----------------------------------------------------------------- */

const DhTriage *
dh_investigation_lookup_triage (DhInvestigation *self,
                                const DhAlert   *alert)
{
  const DhRule *rule = dh_rule_book_get_rule (self->book, alert->rule);
  const char *host = dh_event_store_get_string (self->store, alert->host);

  return dh_case_lookup_triage (self->kase, rule->id, host, alert->first_seen);
}

void
dh_investigation_set_triage (DhInvestigation *self,
                             const DhAlert   *alert,
                             DhTriageState    state,
                             const char      *note)
{
  const DhRule *rule = dh_rule_book_get_rule (self->book, alert->rule);
  const char *host = dh_event_store_get_string (self->store, alert->host);

  dh_case_set_triage (self->kase, rule->id, host, alert->first_seen, state, note);
  g_signal_emit (self, signals[TRIAGE_CHANGED], 0);
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
  const DhHostStats *h = self->stats ? dh_store_stats_find_host (self->stats, host) : NULL;
  const char *addr = dh_event_store_get_string (self->store, host);

  if (h && h->srcid != DH_STR_EMPTY)
    return g_strdup_printf ("%s (%s)", addr, dh_event_store_get_string (self->store, h->srcid));
  return g_strdup (addr);
}
