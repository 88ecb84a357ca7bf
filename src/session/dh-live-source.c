/* dh-live-source.c: a CloudWatch Logs log group, or local files and folders
 * (DhLocalFollow), feeding the investigation
 *
 * The fetcher hands batches of log events to the main loop; they go straight
 * on to one serial worker thread, which owns the growing store (a
 * DhRollingStore, the same as `dnshunt scan --follow` uses) and parses the
 * messages there. When the fetcher has caught up (the range is read, or a
 * poll is done) the worker takes a snapshot: a compact copy of the store
 * (the last DH_LIVE_RETENTION of it while following), indexed and analysed
 * with the current rules, which the main loop installs into the
 * investigation as a finished load does. The window only ever reads stores
 * nobody writes to, and the main loop never parses or analyses.
 *
 * While following, the worker's own store is also cut back to the retention
 * once it holds a quarter more than that, so memory stays bounded.
 *
 * Followed files and folders: the follower says on the main loop when a
 * pass is due, and the pass (reading, gunzip, parsing) runs as a job of the
 * same worker, so the main loop never reads a file either.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "dh-escape.h"
#include "dh-live-source.h"
#include "dh-local-follow.h"
#include "dh-rolling-store.h"
#include "dh-time.h"

/* While a range is read, the window gets a snapshot this often (µs). */
#define RANGE_SNAPSHOT_US (3 * G_USEC_PER_SEC)

struct _DhLiveSource
{
  GObject            parent_instance;

  DhInvestigation   *investigation;
  DhCloudWatchFetch *fetch;       /* or */
  DhLocalFollow     *local;
  char              *local_label;  /* the folder or file followed, for the status */
  char             **local_paths;
  guint64            local_lines;  /* the worker's count */
  gboolean           pass_pending;
  gboolean           pass_wanted;
  GCancellable      *cancellable;
  GThreadPool       *pool;        /* one thread: the jobs run in order */

  /* the worker's, once started */
  DhRollingStore    *rolling;
  char              *source_name;

  gint64             start;       /* µs, or G_MININT64 */
  gint64             end;         /* µs, or G_MAXINT64 */
  gint64             retention;   /* µs, 0: keep everything (a range only) */

  /* the main thread's */
  gboolean           running;
  gboolean           installing;
  gboolean           detached;           /* the investigation moved on */
  gint64             last_queued_us;
  gboolean           snapshot_pending;   /* queued, not installed yet */
  gboolean           snapshot_wanted;    /* another one after it */
  guint              n_snapshots;
  gint64             started_us;
  char              *status;
};

G_DEFINE_FINAL_TYPE (DhLiveSource, dh_live_source, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STATUS,
  PROP_RUNNING,
  N_PROPS
};

enum {
  POLL_FAILED,
  FINISHED,
  SNAPSHOT,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

typedef enum {
  JOB_EVENTS,
  JOB_SNAPSHOT,
  JOB_PASS,
} JobKind;

typedef struct
{
  JobKind         kind;
  DhLogEventPage *page;
  DhRuleBook     *book;
  guint           book_serial;
  GWeakRef        self;          /* for the result, on the main thread */
  DhSnapshot     *snapshot;      /* the result */
  guint64         n_lines;       /* JOB_PASS: lines read */
} Job;

static void
job_free (Job *job)
{
  g_clear_pointer (&job->page, dh_log_event_page_unref);
  g_clear_pointer (&job->book, dh_rule_book_unref);
  g_clear_pointer (&job->snapshot, dh_snapshot_unref);
  g_weak_ref_clear (&job->self);
  g_free (job);
}

static void queue_snapshot (DhLiveSource *self);

/* Main thread: a snapshot is ready. */
static gboolean
install_snapshot (gpointer data)
{
  Job *job = data;
  g_autoptr(DhLiveSource) self = g_weak_ref_get (&job->self);

  if (self == NULL || job->snapshot == NULL || self->detached)
    {
      if (self)
        self->snapshot_pending = FALSE;
      job_free (job);
      return G_SOURCE_REMOVE;
    }
  self->installing = TRUE;
  dh_investigation_install (self->investigation, job->snapshot);
  self->installing = FALSE;
  job_free (job);
  self->snapshot_pending = FALSE;
  self->n_snapshots++;
  g_signal_emit (self, signals[SNAPSHOT], 0);
  if (self->snapshot_wanted)
    {
      self->snapshot_wanted = FALSE;
      queue_snapshot (self);
    }
  return G_SOURCE_REMOVE;
}

/* Worker thread: the store is the worker's alone. */
static void queue_pass (DhLiveSource *self);
static void update_status (DhLiveSource *self);

/* Main thread: a pass over the followed files is done. */
static gboolean
pass_done (gpointer data)
{
  Job *job = data;
  g_autoptr(DhLiveSource) self = g_weak_ref_get (&job->self);

  if (self && !self->detached && self->running)
    {
      self->pass_pending = FALSE;
      self->local_lines += job->n_lines;
      update_status (self);
      if (job->n_lines > 0 || self->n_snapshots == 0)
        queue_snapshot (self);
      if (self->pass_wanted)
        {
          self->pass_wanted = FALSE;
          queue_pass (self);
        }
    }
  job_free (job);
  return G_SOURCE_REMOVE;
}

static void
run_job (gpointer data,
         gpointer user_data)
{
  Job *job = data;
  DhLiveSource *self = user_data;

  if (job->kind == JOB_PASS)
    {
      job->n_lines = dh_local_follow_pass (self->local);
      g_idle_add_full (G_PRIORITY_DEFAULT, pass_done, job, NULL);
      return;
    }
  if (job->kind == JOB_EVENTS)
    {
      dh_rolling_store_add_page (self->rolling, job->page);
      job_free (job);
      return;
    }

  dh_rolling_store_trim (self->rolling, g_get_real_time (), NULL, NULL);
  job->snapshot = dh_rolling_store_snapshot (self->rolling, g_get_real_time (), job->book,
                                             job->book_serial, NULL, NULL);
  g_idle_add_full (G_PRIORITY_DEFAULT, install_snapshot, job, NULL);
}

static void
queue_snapshot (DhLiveSource *self)
{
  Job *job;

  if (self->detached)
    return;
  if (self->snapshot_pending)
    {
      self->snapshot_wanted = TRUE;
      return;
    }
  self->last_queued_us = g_get_monotonic_time ();
  job = g_new0 (Job, 1);
  job->kind = JOB_SNAPSHOT;
  job->book = dh_investigation_copy_rule_book (self->investigation, &job->book_serial);
  g_weak_ref_init (&job->self, self);
  self->snapshot_pending = TRUE;
  g_thread_pool_push (self->pool, job, NULL);
}

static void
queue_pass (DhLiveSource *self)
{
  Job *job;

  if (self->detached || !self->running)
    return;
  if (self->pass_pending)
    {
      self->pass_wanted = TRUE;
      return;
    }
  job = g_new0 (Job, 1);
  job->kind = JOB_PASS;
  g_weak_ref_init (&job->self, self);
  self->pass_pending = TRUE;
  g_thread_pool_push (self->pool, job, NULL);
}

static void
set_status (DhLiveSource *self,
            char         *status)
{
  if (g_strcmp0 (self->status, status) == 0)
    {
      g_free (status);
      return;
    }
  g_free (self->status);
  self->status = status;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
}

static void
update_status (DhLiveSource *self)
{
  const char *group;
  guint64 n;
  g_autofree char *events = NULL;
  g_autofree char *safe = NULL;

  if (self->local)
    {
      g_autofree char *label = dh_text_sanitize (self->local_label);
      g_autofree char *lines = g_strdup_printf ("%" G_GUINT64_FORMAT, self->local_lines);
      if (self->running)
        /* Translators: a folder or file, then a number of lines */
        set_status (self, g_strdup_printf (_("Following %s — %s lines"), label, lines));
      else
        set_status (self, g_strdup_printf (_("Read %s lines of %s"), lines, label));
      return;
    }
  group = dh_cloudwatch_fetch_get_log_group (self->fetch);
  n = dh_cloudwatch_fetch_get_n_events (self->fetch);
  events = g_strdup_printf ("%" G_GUINT64_FORMAT, n);
  safe = dh_text_sanitize (group);

  switch (dh_cloudwatch_fetch_get_state (self->fetch))
    {
    case DH_CLOUDWATCH_FETCH_FOLLOWING:
      /* Translators: a log group's name, then a number of events */
      set_status (self, g_strdup_printf (_("Following log group %s — %s events"), safe, events));
      break;
    case DH_CLOUDWATCH_FETCH_RANGE:
      {
        double secs = (g_get_monotonic_time () - self->started_us) / (double) G_USEC_PER_SEC;
        g_autofree char *rate = g_strdup_printf ("%.0f", secs > 0.5 ? n / secs : 0.0);
        set_status (self, g_strdup_printf (
          /* Translators: log group, percent done, pages, events, events per second */
          _("Reading log group %s: %u%%, %u pages, %s events (%s/s)"), safe,
          (guint) (dh_cloudwatch_fetch_get_progress (self->fetch) * 100),
          dh_cloudwatch_fetch_get_n_pages (self->fetch), events, rate));
      }
      break;
    default:
      if (self->running)
        set_status (self, g_strdup_printf (_("Connecting to log group %s…"), safe));
      else
        set_status (self, g_strdup_printf (_("Read %s events from log group %s"), events, safe));
    }
}

static void
on_events (DhCloudWatchFetch *fetch,
           DhLogEventPage    *batch,
           DhLiveSource      *self)
{
  Job *job = g_new0 (Job, 1);

  job->kind = JOB_EVENTS;
  job->page = dh_log_event_page_ref (batch);
  g_weak_ref_init (&job->self, NULL);
  g_thread_pool_push (self->pool, job, NULL);
  update_status (self);
  /* a long range shows up as it comes, not only at its end */
  if (dh_cloudwatch_fetch_get_state (fetch) == DH_CLOUDWATCH_FETCH_RANGE &&
      g_get_monotonic_time () - self->last_queued_us > RANGE_SNAPSHOT_US)
    queue_snapshot (self);
}

/* Files were opened, or the investigation closed: stop feeding it. */
static void
on_data_changed (DhLiveSource *self)
{
  if (self->installing || self->detached)
    return;
  self->detached = TRUE;
  dh_live_source_stop (self);
}

static void
on_caught_up (DhCloudWatchFetch *fetch,
              guint64            n_new,
              DhLiveSource      *self)
{
  update_status (self);
  if (n_new > 0 || self->n_snapshots == 0)
    queue_snapshot (self);
}

static void
on_poll_failed (DhCloudWatchFetch *fetch,
                const GError      *error,
                DhLiveSource      *self)
{
  g_autofree char *msg = dh_text_sanitize (error->message);

  g_signal_emit (self, signals[POLL_FAILED], 0, msg);
}

static void
fetch_done (GObject      *source,
            GAsyncResult *result,
            gpointer      data)
{
  g_autoptr(DhLiveSource) self = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *msg = NULL;

  dh_cloudwatch_fetch_run_finish (DH_CLOUDWATCH_FETCH (source), result, &error);
  self->running = FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
  update_status (self);
  if (error && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    msg = dh_text_sanitize (error->message);
  g_signal_emit (self, signals[FINISHED], 0, msg);
}

static void
dh_live_source_dispose (GObject *object)
{
  DhLiveSource *self = DH_LIVE_SOURCE (object);

  if (self->cancellable)
    g_cancellable_cancel (self->cancellable);
  if (self->fetch)
    g_signal_handlers_disconnect_by_data (self->fetch, self);
  if (self->local)
    g_signal_handlers_disconnect_by_data (self->local, self);
  if (self->investigation)
    g_signal_handlers_disconnect_by_data (self->investigation, self);
  if (self->pool)
    {
      /* drops what is queued, waits for the job running */
      g_thread_pool_free (self->pool, TRUE, TRUE);
      self->pool = NULL;
    }
  g_clear_object (&self->fetch);
  g_clear_object (&self->local);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->investigation);
  G_OBJECT_CLASS (dh_live_source_parent_class)->dispose (object);
}

static void
dh_live_source_finalize (GObject *object)
{
  DhLiveSource *self = DH_LIVE_SOURCE (object);

  g_clear_pointer (&self->rolling, dh_rolling_store_free);
  g_free (self->source_name);
  g_free (self->local_label);
  g_strfreev (self->local_paths);
  g_free (self->status);
  G_OBJECT_CLASS (dh_live_source_parent_class)->finalize (object);
}

static void
dh_live_source_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  DhLiveSource *self = DH_LIVE_SOURCE (object);

  switch (prop_id)
    {
    case PROP_STATUS:
      g_value_set_string (value, self->status);
      break;
    case PROP_RUNNING:
      g_value_set_boolean (value, self->running);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dh_live_source_class_init (DhLiveSourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = dh_live_source_dispose;
  object_class->finalize = dh_live_source_finalize;
  object_class->get_property = dh_live_source_get_property;

  properties[PROP_STATUS] =
    g_param_spec_string ("status", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* a poll failed (plain text, no secret); following goes on */
  signals[POLL_FAILED] =
    g_signal_new ("poll-failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /* the fetch ended: with an error's text, or NULL (done or disconnected) */
  signals[FINISHED] =
    g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /* a snapshot was installed into the investigation */
  signals[SNAPSHOT] =
    g_signal_new ("snapshot", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
dh_live_source_init (DhLiveSource *self)
{
}

/**
 * dh_live_source_new:
 * @fetch: a fetcher not started yet (its follow setting decides the retention)
 * @start: (µs) the oldest record kept, or G_MININT64
 * @end: (µs) the newest record kept, or G_MAXINT64
 */
DhLiveSource *
dh_live_source_new (DhInvestigation   *investigation,
                    DhCloudWatchFetch *fetch,
                    gint64             start,
                    gint64             end)
{
  DhLiveSource *self = g_object_new (DH_TYPE_LIVE_SOURCE, NULL);
  DhCloudWatchClient *client = dh_cloudwatch_fetch_get_client (fetch);

  self->investigation = g_object_ref (investigation);
  self->fetch = g_object_ref (fetch);
  self->start = start;
  self->end = end;
  self->retention = DH_LIVE_RETENTION;
  self->source_name = g_strdup_printf ("cloudwatch:%s:%s", dh_cloudwatch_client_get_region (client),
                                       dh_cloudwatch_fetch_get_log_group (fetch));
  /* jobs still queued when it is freed are freed with it */
  self->pool = g_thread_pool_new_full (run_job, self, (GDestroyNotify) job_free, 1, FALSE, NULL);
  return self;
}

/* Worker thread: a line of a followed file. */
static void
on_local_line (const char *path,
               guint64     line,
               const char *text,
               gsize       length,
               gpointer    data)
{
  DhLiveSource *self = data;

  dh_rolling_store_add_line (self->rolling, path, line, text, length);
}

typedef struct
{
  GWeakRef  self;
  char     *message;
} Problem;

static gboolean
emit_problem (gpointer data)
{
  Problem *p = data;
  g_autoptr(DhLiveSource) self = g_weak_ref_get (&p->self);

  if (self)
    g_signal_emit (self, signals[POLL_FAILED], 0, p->message);
  g_weak_ref_clear (&p->self);
  g_free (p->message);
  g_free (p);
  return G_SOURCE_REMOVE;
}

/* Worker thread: a file that cannot be read; the window says so. */
static void
on_local_problem (DhLocalFollow *local,
                  const char    *message,
                  gpointer       data)
{
  Problem *p = g_new0 (Problem, 1);

  g_weak_ref_init (&p->self, data);
  p->message = dh_text_sanitize (message);
  g_idle_add (emit_problem, p);
}

/**
 * dh_live_source_new_local:
 * @paths: the files and folders to follow
 * @start: (µs) the oldest record kept, or G_MININT64
 *
 * Follows local files and folders: what they hold, then what is added
 * (DhLocalFollow), until stopped.
 */
DhLiveSource *
dh_live_source_new_local (DhInvestigation    *investigation,
                          const char * const *paths,
                          gint64              start)
{
  DhLiveSource *self = g_object_new (DH_TYPE_LIVE_SOURCE, NULL);
  g_autofree char *base = g_path_get_basename (paths[0]);

  self->investigation = g_object_ref (investigation);
  self->local = dh_local_follow_new (paths, on_local_line, self);
  self->local_paths = g_strdupv ((char **) paths);
  self->local_label = paths[1] ? g_strdup_printf (_("%s and %u more"), base,
                                                  g_strv_length ((char **) paths) - 1)
                               : g_steal_pointer (&base);
  self->start = start;
  self->end = G_MAXINT64;
  self->retention = DH_LIVE_RETENTION;
  self->source_name = g_strdup (paths[0]);
  self->pool = g_thread_pool_new_full (run_job, self, (GDestroyNotify) job_free, 1, FALSE, NULL);
  return self;
}

/* the files and folders followed, for a label; NULL for a log group */
const char *
dh_live_source_get_label (DhLiveSource *self)
{
  return self->local ? self->local_label
                     : self->fetch ? dh_cloudwatch_fetch_get_log_group (self->fetch) : NULL;
}

gboolean
dh_live_source_is_local (DhLiveSource *self)
{
  return self->local != NULL;
}

/* Main thread: the follower says a pass is due. */
static void
on_local_due (DhLiveSource *self)
{
  queue_pass (self);
}

/**
 * dh_live_source_set_retention:
 * @retention: µs of events kept while following; 0 keeps all
 */
void
dh_live_source_set_retention (DhLiveSource *self,
                              gint64        retention)
{
  g_return_if_fail (!self->running);
  self->retention = CLAMP (retention, 0, DH_DURATION_MAX);
}

void
dh_live_source_start (DhLiveSource *self)
{
  g_return_if_fail (!self->running && self->cancellable == NULL);

  self->rolling = dh_rolling_store_new (self->source_name, self->start, self->end,
                                        self->retention);
  if (self->local)
    {
      dh_rolling_store_set_inputs (self->rolling, (const char * const *) self->local_paths);
      g_signal_connect_swapped (self->investigation, "data-changed",
                                G_CALLBACK (on_data_changed), self);
      g_signal_connect_swapped (self->local, "due", G_CALLBACK (on_local_due), self);
      g_signal_connect (self->local, "problem", G_CALLBACK (on_local_problem), self);
      self->cancellable = g_cancellable_new ();
      self->running = TRUE;
      self->started_us = self->last_queued_us = g_get_monotonic_time ();
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
      update_status (self);
      dh_local_follow_watch (self->local);
      return;
    }

  {
    DhCloudWatchClient *client = dh_cloudwatch_fetch_get_client (self->fetch);
    /* Translators: a CloudWatch Logs log group's name, then its AWS region */
    g_autofree char *label = g_strdup_printf (_("log group %s (%s)"),
                                              dh_cloudwatch_fetch_get_log_group (self->fetch),
                                              dh_cloudwatch_client_get_region (client));
    dh_rolling_store_set_label (self->rolling, label);
  }
  g_signal_connect (self->fetch, "events", G_CALLBACK (on_events), self);
  g_signal_connect (self->fetch, "caught-up", G_CALLBACK (on_caught_up), self);
  g_signal_connect (self->fetch, "poll-failed", G_CALLBACK (on_poll_failed), self);
  g_signal_connect_swapped (self->fetch, "notify::progress", G_CALLBACK (update_status), self);
  g_signal_connect_swapped (self->fetch, "notify::state", G_CALLBACK (update_status), self);
  g_signal_connect_swapped (self->investigation, "data-changed", G_CALLBACK (on_data_changed),
                            self);
  self->cancellable = g_cancellable_new ();
  self->running = TRUE;
  self->started_us = self->last_queued_us = g_get_monotonic_time ();
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
  update_status (self);
  dh_cloudwatch_fetch_run_async (self->fetch, self->cancellable, fetch_done,
                                 g_object_ref (self));
}

/**
 * dh_live_source_stop:
 *
 * Cancels the fetch; its request is abandoned at once and "finished" follows.
 * The data already shown stays. Opening files or closing the investigation
 * stops it too.
 */
void
dh_live_source_stop (DhLiveSource *self)
{
  if (self->cancellable)
    g_cancellable_cancel (self->cancellable);
  if (self->local && self->running)
    {
      /* no more passes: the follower's timers and monitors go */
      g_signal_handlers_disconnect_by_data (self->local, self);
      g_object_run_dispose (G_OBJECT (self->local));
      self->running = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
      update_status (self);
      g_signal_emit (self, signals[FINISHED], 0, NULL);
    }
}

gboolean
dh_live_source_is_running (DhLiveSource *self)
{
  return self->running;
}

/* Running, or a snapshot still on its way to the investigation. */
gboolean
dh_live_source_is_busy (DhLiveSource *self)
{
  return self->running || self->snapshot_pending;
}

const char *
dh_live_source_get_status (DhLiveSource *self)
{
  return self->status;
}

DhCloudWatchFetch *
dh_live_source_get_fetch (DhLiveSource *self)
{
  return self->fetch;
}

guint
dh_live_source_get_n_snapshots (DhLiveSource *self)
{
  return self->n_snapshots;
}
