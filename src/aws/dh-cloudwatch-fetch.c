/* dh-cloudwatch-fetch.c: reading a log group's events over a time range, then following it
 *
 * The range is cut into time slices paged concurrently (each slice has one
 * request out at a time; the client's token bucket keeps the whole within
 * the account's rate). When a page arrives its successor is requested at
 * once, and only then are its events handed on, so the network works while
 * the consumer parses. A page may be empty and still carry a token: only a
 * page without one ends a slice.
 *
 * Following works like `aws logs tail --follow`: every poll interval, read
 * from the newest timestamp seen (less the lookback) to now, skipping event
 * ids already seen. Ids are remembered only while their timestamp is within
 * the lookback of the newest, so memory stays bounded however long it runs.
 * An event's timestamp is whatever its writer put there: for "the newest"
 * it counts for no later than CloudWatch received it, so one event dated in
 * the future cannot move the polls past all that comes after it.
 *
 * Everything happens on the main context run_async() was called from:
 * "events" hands over batches there, "caught-up" marks the end of the range
 * and of every poll, and the notify signals of "progress", "n-events" and
 * "state" drive a progress display.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#define G_LOG_DOMAIN "dh-aws"

#include <glib/gi18n.h>

#include "dh-cloudwatch-fetch.h"

#define DEFAULT_POLL_MS     5000
#define DEFAULT_SLICES      8
#define MIN_SLICE_MS        (60 * 1000)
#define MIN_PRUNE           1024
/* how far AWS's clock (ingestionTime) may be ahead of ours: SigV4's tolerance */
#define MAX_CLOCK_AHEAD_MS  (5 * 60 * 1000)

G_DEFINE_ENUM_TYPE (DhCloudWatchFetchState, dh_cloudwatch_fetch_state,
                    G_DEFINE_ENUM_VALUE (DH_CLOUDWATCH_FETCH_IDLE, "idle"),
                    G_DEFINE_ENUM_VALUE (DH_CLOUDWATCH_FETCH_RANGE, "range"),
                    G_DEFINE_ENUM_VALUE (DH_CLOUDWATCH_FETCH_FOLLOWING, "following"),
                    G_DEFINE_ENUM_VALUE (DH_CLOUDWATCH_FETCH_DONE, "done"),
                    G_DEFINE_ENUM_VALUE (DH_CLOUDWATCH_FETCH_FAILED, "failed"))

typedef struct
{
  gint64  start;      /* ms, inclusive */
  gint64  end;        /* ms, inclusive, or -1 (a follow poll: until now) */
  gint64  reached;    /* the newest timestamp read in it, for progress */
  char   *token;
  GHashTable *tokens; /* every token of this slice's paging */
  gboolean busy;
} Slice;

struct _DhCloudWatchFetch
{
  GObject                 parent_instance;

  DhCloudWatchClient     *client;
  char                   *log_group;
  char                   *filter_pattern;
  gint64                  start_ms;
  gint64                  end_ms;
  gboolean                follow;
  guint                   poll_interval;
  guint                   lookback;
  guint                   n_slices;
  guint                   page_limit;

  GTask                  *task;          /* the run, while it lasts */
  GCancellable           *cancellable;   /* ours: the caller's, or a failure, cancels it */
  gulong                  cancelled_id;
  GError                 *error;         /* the first failure, returned once all is quiet */
  GArray                 *slices;        /* Slice */
  guint                   busy;          /* requests out */
  GSource                *poll;
  DhCloudWatchFetchState  state;
  double                  progress;
  guint64                 n_events;
  guint64                 cycle_events;
  guint                   n_pages;
  gint64                  newest;        /* ms, or G_MININT64 */
  GHashTable             *seen;          /* event id → gint64 * timestamp */
  guint                   prune_at;
};

G_DEFINE_FINAL_TYPE (DhCloudWatchFetch, dh_cloudwatch_fetch, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STATE,
  PROP_PROGRESS,
  PROP_N_EVENTS,
  N_PROPS
};

enum {
  SIGNAL_EVENTS,
  SIGNAL_CAUGHT_UP,
  SIGNAL_POLL_FAILED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
slice_clear (gpointer data)
{
  Slice *slice = data;

  g_clear_pointer (&slice->token, g_free);
  g_clear_pointer (&slice->tokens, g_hash_table_unref);
}

static void
dh_cloudwatch_fetch_dispose (GObject *object)
{
  DhCloudWatchFetch *self = DH_CLOUDWATCH_FETCH (object);

  if (self->poll)
    {
      g_source_destroy (self->poll);
      g_clear_pointer (&self->poll, g_source_unref);
    }
  G_OBJECT_CLASS (dh_cloudwatch_fetch_parent_class)->dispose (object);
}

static void
dh_cloudwatch_fetch_finalize (GObject *object)
{
  DhCloudWatchFetch *self = DH_CLOUDWATCH_FETCH (object);

  g_clear_object (&self->client);
  g_free (self->log_group);
  g_free (self->filter_pattern);
  g_clear_object (&self->cancellable);
  g_clear_error (&self->error);
  g_array_unref (self->slices);
  g_hash_table_unref (self->seen);
  G_OBJECT_CLASS (dh_cloudwatch_fetch_parent_class)->finalize (object);
}

static void
dh_cloudwatch_fetch_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  DhCloudWatchFetch *self = DH_CLOUDWATCH_FETCH (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_PROGRESS:
      g_value_set_double (value, self->progress);
      break;
    case PROP_N_EVENTS:
      g_value_set_uint64 (value, self->n_events);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dh_cloudwatch_fetch_class_init (DhCloudWatchFetchClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = dh_cloudwatch_fetch_dispose;
  object_class->finalize = dh_cloudwatch_fetch_finalize;
  object_class->get_property = dh_cloudwatch_fetch_get_property;

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, DH_TYPE_CLOUDWATCH_FETCH_STATE,
                       DH_CLOUDWATCH_FETCH_IDLE,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * DhCloudWatchFetch:progress:
   *
   * How much of the time range is read, 0 to 1 (1 while following).
   */
  properties[PROP_PROGRESS] =
    g_param_spec_double ("progress", NULL, NULL, 0.0, 1.0, 0.0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_EVENTS] =
    g_param_spec_uint64 ("n-events", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * DhCloudWatchFetch::events:
   * @batch: new events, each once, in the order they came
   *
   * Emitted on the run's main context for every page that brought new events.
   */
  signals[SIGNAL_EVENTS] =
    g_signal_new ("events", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, DH_TYPE_LOG_EVENT_PAGE | G_SIGNAL_TYPE_STATIC_SCOPE);
  /**
   * DhCloudWatchFetch::caught-up:
   * @n_new: events that came since the last emission
   *
   * Emitted when the time range is read, and after every follow poll.
   */
  signals[SIGNAL_CAUGHT_UP] =
    g_signal_new ("caught-up", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_UINT64);
  /**
   * DhCloudWatchFetch::poll-failed:
   * @error: why
   *
   * A follow poll failed in a way that may pass (network, throttling, a
   * server error) after the client's retries; the next poll comes as usual.
   */
  signals[SIGNAL_POLL_FAILED] =
    g_signal_new ("poll-failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_ERROR | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
dh_cloudwatch_fetch_init (DhCloudWatchFetch *self)
{
  self->poll_interval = DEFAULT_POLL_MS;
  self->n_slices = DEFAULT_SLICES;
  self->newest = G_MININT64;
  self->slices = g_array_new (FALSE, TRUE, sizeof (Slice));
  g_array_set_clear_func (self->slices, slice_clear);
  self->seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->prune_at = MIN_PRUNE;
}

/**
 * dh_cloudwatch_fetch_new:
 * @log_group: a log group name or ARN
 * @start_ms: the first time, ms since the epoch (inclusive)
 * @end_ms: the last time (inclusive), or -1 for "now" when the run starts
 */
DhCloudWatchFetch *
dh_cloudwatch_fetch_new (DhCloudWatchClient *client,
                         const char         *log_group,
                         gint64              start_ms,
                         gint64              end_ms)
{
  DhCloudWatchFetch *self;

  g_return_val_if_fail (DH_IS_CLOUDWATCH_CLIENT (client), NULL);
  g_return_val_if_fail (log_group != NULL, NULL);

  self = g_object_new (DH_TYPE_CLOUDWATCH_FETCH, NULL);
  self->client = g_object_ref (client);
  self->log_group = g_strdup (log_group);
  self->start_ms = MAX (0, start_ms);
  self->end_ms = end_ms;
  return self;
}

DhCloudWatchClient *
dh_cloudwatch_fetch_get_client (DhCloudWatchFetch *self)
{
  return self->client;
}

const char *
dh_cloudwatch_fetch_get_log_group (DhCloudWatchFetch *self)
{
  return self->log_group;
}

/**
 * dh_cloudwatch_fetch_set_follow:
 *
 * After the range, keep polling for new events until cancelled.
 */
void
dh_cloudwatch_fetch_set_follow (DhCloudWatchFetch *self,
                                gboolean           follow)
{
  self->follow = follow;
}

/**
 * dh_cloudwatch_fetch_set_poll_interval:
 *
 * Time between follow polls (default 5 s, as `aws logs tail --follow`).
 */
void
dh_cloudwatch_fetch_set_poll_interval (DhCloudWatchFetch *self,
                                       guint              msec)
{
  self->poll_interval = MAX (1, msec);
}

/**
 * dh_cloudwatch_fetch_set_lookback:
 *
 * Follow polls start this long before the newest timestamp seen (default 0,
 * as `aws logs tail`), to catch events that arrive late with older
 * timestamps; ids within it are remembered. Every poll reads it again, so a
 * few minutes is the useful size.
 */
void
dh_cloudwatch_fetch_set_lookback (DhCloudWatchFetch *self,
                                  guint              msec)
{
  self->lookback = msec;
}

guint
dh_cloudwatch_fetch_get_lookback (DhCloudWatchFetch *self)
{
  return self->lookback;
}

/**
 * dh_cloudwatch_fetch_set_slices:
 *
 * How many time slices of the range are read at once (default 8).
 */
void
dh_cloudwatch_fetch_set_slices (DhCloudWatchFetch *self,
                                guint              n_slices)
{
  self->n_slices = MAX (1, n_slices);
}

/**
 * dh_cloudwatch_fetch_set_page_limit:
 *
 * Events per page to ask for (0: the service's maximum).
 */
void
dh_cloudwatch_fetch_set_page_limit (DhCloudWatchFetch *self,
                                    guint              limit)
{
  self->page_limit = limit;
}

void
dh_cloudwatch_fetch_set_filter_pattern (DhCloudWatchFetch *self,
                                        const char        *pattern)
{
  g_free (self->filter_pattern);
  self->filter_pattern = g_strdup (pattern);
}

DhCloudWatchFetchState
dh_cloudwatch_fetch_get_state (DhCloudWatchFetch *self)
{
  return self->state;
}

double
dh_cloudwatch_fetch_get_progress (DhCloudWatchFetch *self)
{
  return self->progress;
}

guint64
dh_cloudwatch_fetch_get_n_events (DhCloudWatchFetch *self)
{
  return self->n_events;
}

guint
dh_cloudwatch_fetch_get_n_pages (DhCloudWatchFetch *self)
{
  return self->n_pages;
}

/**
 * dh_cloudwatch_fetch_get_newest:
 *
 * Returns: the newest event timestamp read (ms), each counted for no later
 *   than it was received, or %G_MININT64
 */
gint64
dh_cloudwatch_fetch_get_newest (DhCloudWatchFetch *self)
{
  return self->newest;
}

/**
 * dh_cloudwatch_fetch_get_n_remembered:
 *
 * Returns: how many event ids are kept to skip repeats (bounded by the
 *   events within the lookback of the newest timestamp)
 */
guint
dh_cloudwatch_fetch_get_n_remembered (DhCloudWatchFetch *self)
{
  return g_hash_table_size (self->seen);
}

static void
set_state (DhCloudWatchFetch      *self,
           DhCloudWatchFetchState  state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
set_progress (DhCloudWatchFetch *self,
              double             progress)
{
  progress = CLAMP (progress, 0.0, 1.0);
  if (progress == self->progress)
    return;
  self->progress = progress;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROGRESS]);
}

static void
update_progress (DhCloudWatchFetch *self)
{
  double total = 0, done = 0;

  for (guint i = 0; i < self->slices->len; i++)
    {
      Slice *s = &g_array_index (self->slices, Slice, i);
      double len = (double) (s->end - s->start + 1);
      total += len;
      if (!s->busy && s->token == NULL)
        done += len;
      else if (s->reached >= s->start)
        done += MIN (len, (double) (s->reached - s->start + 1));
    }
  if (total > 0)
    set_progress (self, done / total);
}

/* Forgets ids that no poll can bring back: older than the lookback. */
static void
prune_seen (DhCloudWatchFetch *self)
{
  GHashTableIter iter;
  gpointer value;
  gint64 horizon;

  if (self->newest == G_MININT64)
    return;
  horizon = self->newest - self->lookback;
  g_hash_table_iter_init (&iter, self->seen);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (*(gint64 *) value < horizon)
      g_hash_table_iter_remove (&iter);
  self->prune_at = MAX (MIN_PRUNE, 2 * g_hash_table_size (self->seen));
}

/* What @ev counts for as "the newest timestamp seen": its timestamp, but no
 * later than its ingestion time (or, without one, our clock), itself never
 * trusted beyond our clock and the skew SigV4 allows; and not before the
 * epoch, which the API does not take (so "newest - lookback" cannot wrap). */
static gint64
received_time (const DhLogEvent *ev,
               gint64            now_ms)
{
  gint64 received = ev->ingestion_time > 0 ? MIN (ev->ingestion_time, now_ms + MAX_CLOCK_AHEAD_MS)
                                           : now_ms;

  return CLAMP (ev->timestamp, 0, received);
}

/* Hands on the events of @page not seen before. */
static void
deliver (DhCloudWatchFetch *self,
         DhLogEventPage    *page)
{
  guint n = dh_log_event_page_get_n_events (page);
  g_autoptr(DhLogEventPage) fresh = NULL;
  guint n_fresh = 0;
  gint64 now_ms = g_get_real_time () / 1000;

  for (guint i = 0; i < n; i++)
    {
      const DhLogEvent *ev = dh_log_event_page_get_event (page, i);
      gboolean repeat = FALSE;

      if (*ev->event_id)
        {
          gint64 *ts = g_hash_table_lookup (self->seen, ev->event_id);
          if (ts != NULL)
            repeat = TRUE;
          else if (self->newest == G_MININT64 ||
                   ev->timestamp >= self->newest - (gint64) self->lookback)
            {
              ts = g_new (gint64, 1);
              *ts = ev->timestamp;
              g_hash_table_insert (self->seen, g_strdup (ev->event_id), ts);
            }
        }
      if (repeat)
        {
          /* copy what came before the first repeat, then go on selectively */
          if (fresh == NULL)
            {
              fresh = dh_log_event_page_new ();
              for (guint j = 0; j < i; j++)
                dh_log_event_page_add (fresh, dh_log_event_page_get_event (page, j));
            }
          continue;
        }
      if (fresh)
        dh_log_event_page_add (fresh, ev);
      n_fresh++;
      self->newest = MAX (self->newest, received_time (ev, now_ms));
    }

  if (g_hash_table_size (self->seen) >= self->prune_at)
    prune_seen (self);
  if (n_fresh == 0)
    return;
  self->n_events += n_fresh;
  self->cycle_events += n_fresh;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_EVENTS]);
  g_signal_emit (self, signals[SIGNAL_EVENTS], 0, fresh ? fresh : page);
}

static void request_page (DhCloudWatchFetch *self, guint index);
static void schedule_poll (DhCloudWatchFetch *self);

/* Returns the run's result once nothing is out any more. */
static void
maybe_finish (DhCloudWatchFetch *self)
{
  g_autoptr(GTask) task = NULL;

  if (self->task == NULL || self->busy > 0 || self->poll != NULL)
    return;
  if (self->error == NULL && !g_cancellable_is_cancelled (self->cancellable) &&
      self->state != DH_CLOUDWATCH_FETCH_DONE)
    return;

  task = g_steal_pointer (&self->task);
  if (self->cancelled_id)
    g_cancellable_disconnect (g_task_get_cancellable (task), self->cancelled_id);
  self->cancelled_id = 0;
  if (self->error)
    {
      set_state (self, DH_CLOUDWATCH_FETCH_FAILED);
      g_task_return_error (task, g_steal_pointer (&self->error));
    }
  else if (g_cancellable_is_cancelled (self->cancellable))
    {
      set_state (self, DH_CLOUDWATCH_FETCH_DONE);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Cancelled"));
    }
  else
    g_task_return_boolean (task, TRUE);
}

static void
fail (DhCloudWatchFetch *self,
      GError            *error)
{
  if (self->error == NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    self->error = error;
  else
    g_error_free (error);
  g_cancellable_cancel (self->cancellable);
}

static gboolean
all_slices_done (DhCloudWatchFetch *self)
{
  for (guint i = 0; i < self->slices->len; i++)
    {
      Slice *s = &g_array_index (self->slices, Slice, i);
      if (s->busy || s->token)
        return FALSE;
    }
  return TRUE;
}

static gboolean
is_passing (const GError *error)
{
  return error->domain == DH_CLOUDWATCH_ERROR &&
         (error->code == DH_CLOUDWATCH_ERROR_THROTTLED ||
          error->code == DH_CLOUDWATCH_ERROR_SERVER ||
          error->code == DH_CLOUDWATCH_ERROR_NETWORK);
}

static void
cycle_done (DhCloudWatchFetch *self)
{
  guint64 n = self->cycle_events;

  self->cycle_events = 0;
  g_array_set_size (self->slices, 0);
  prune_seen (self);
  if (self->follow)
    {
      set_progress (self, 1.0);
      set_state (self, DH_CLOUDWATCH_FETCH_FOLLOWING);
      schedule_poll (self);
    }
  else
    set_state (self, DH_CLOUDWATCH_FETCH_DONE);
  g_signal_emit (self, signals[SIGNAL_CAUGHT_UP], 0, n);
}

typedef struct
{
  DhCloudWatchFetch *self;
  guint              index;
} PageRequest;

static void
got_page (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  PageRequest *request = user_data;
  g_autoptr(DhCloudWatchFetch) self = request->self;
  guint index = request->index;
  g_autoptr(GError) error = NULL;
  g_autoptr(DhLogEventPage) page = NULL;
  Slice *slice;
  const char *token;

  g_free (request);
  page = dh_cloudwatch_client_filter_log_events_finish (DH_CLOUDWATCH_CLIENT (source), result,
                                                        &error);
  self->busy--;
  slice = &g_array_index (self->slices, Slice, index);
  slice->busy = FALSE;

  if (page == NULL || g_cancellable_is_cancelled (self->cancellable))
    {
      if (page == NULL && self->state == DH_CLOUDWATCH_FETCH_FOLLOWING && is_passing (error) &&
          !g_cancellable_is_cancelled (self->cancellable))
        {
          /* a poll that fails for a while: say so, and poll again later */
          g_signal_emit (self, signals[SIGNAL_POLL_FAILED], 0, error);
          g_clear_pointer (&slice->token, g_free);
          g_array_set_size (self->slices, 0);
          schedule_poll (self);
        }
      else if (page == NULL)
        fail (self, g_steal_pointer (&error));
      maybe_finish (self);
      return;
    }

  self->n_pages++;
  token = dh_log_event_page_get_next_token (page);
  if (token && slice->tokens == NULL)
    slice->tokens = dh_page_tokens_new ();
  if (token && !dh_page_tokens_add (slice->tokens, token))
    {
      fail (self, g_error_new (DH_CLOUDWATCH_ERROR, DH_CLOUDWATCH_ERROR_PROTOCOL,
                               _("FilterLogEvents returned a page token it had given before: "
                                 "its pages go round in a circle")));
      maybe_finish (self);
      return;
    }
  g_free (slice->token);
  slice->token = g_strdup (token);
  for (guint i = 0; i < dh_log_event_page_get_n_events (page); i++)
    slice->reached = MAX (slice->reached, dh_log_event_page_get_event (page, i)->timestamp);

  /* the next page first, then the work on this one */
  if (slice->token)
    request_page (self, index);
  deliver (self, page);
  if (self->state == DH_CLOUDWATCH_FETCH_RANGE)
    update_progress (self);

  if (all_slices_done (self) && !g_cancellable_is_cancelled (self->cancellable))
    cycle_done (self);
  maybe_finish (self);
}

static void
request_page (DhCloudWatchFetch *self,
              guint              index)
{
  Slice *slice = &g_array_index (self->slices, Slice, index);
  DhLogEventQuery query = { self->log_group, slice->start, slice->end, self->filter_pattern,
                            self->page_limit };
  PageRequest *request = g_new (PageRequest, 1);

  request->self = g_object_ref (self);
  request->index = index;
  slice->busy = TRUE;
  self->busy++;
  dh_cloudwatch_client_filter_log_events_async (self->client, &query, slice->token,
                                                self->cancellable, got_page, request);
}

static void
start_slices (DhCloudWatchFetch *self)
{
  for (guint i = 0; i < self->slices->len; i++)
    request_page (self, i);
}

static gboolean
poll_now (gpointer data)
{
  DhCloudWatchFetch *self = data;
  Slice slice = { 0 };

  g_clear_pointer (&self->poll, g_source_unref);
  if (g_cancellable_is_cancelled (self->cancellable))
    {
      maybe_finish (self);
      return G_SOURCE_REMOVE;
    }
  slice.start = self->newest != G_MININT64 ? MAX (self->start_ms, self->newest - self->lookback)
                                           : self->start_ms;
  slice.end = -1;
  slice.reached = slice.start;
  g_array_set_size (self->slices, 0);
  g_array_append_val (self->slices, slice);
  g_debug ("follow: polling %s from %" G_GINT64_FORMAT, self->log_group, slice.start);
  start_slices (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_poll (DhCloudWatchFetch *self)
{
  GSource *cancel;

  g_return_if_fail (self->poll == NULL);
  self->poll = g_timeout_source_new (self->poll_interval);
  cancel = g_cancellable_source_new (self->cancellable);
  g_source_set_dummy_callback (cancel);
  g_source_add_child_source (self->poll, cancel);
  g_source_unref (cancel);
  g_source_set_callback (self->poll, poll_now, self, NULL);
  g_source_attach (self->poll, g_task_get_context (self->task));
}

static void
caller_cancelled (GCancellable *cancellable,
                  gpointer      data)
{
  g_cancellable_cancel (G_CANCELLABLE (data));
}

/**
 * dh_cloudwatch_fetch_run_async:
 *
 * Reads the range, then (with follow) polls until @cancellable is cancelled.
 * Completes only once no request is out any more.
 */
void
dh_cloudwatch_fetch_run_async (DhCloudWatchFetch   *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  gint64 end, len;
  guint n;

  g_return_if_fail (DH_IS_CLOUDWATCH_FETCH (self));
  g_return_if_fail (self->task == NULL);

  self->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (self->task, dh_cloudwatch_fetch_run_async);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  if (cancellable)
    self->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (caller_cancelled),
                                                self->cancellable, NULL);

  end = self->end_ms >= 0 ? self->end_ms : g_get_real_time () / 1000;
  set_state (self, DH_CLOUDWATCH_FETCH_RANGE);
  set_progress (self, 0.0);
  g_array_set_size (self->slices, 0);
  if (end < self->start_ms)
    {
      cycle_done (self);
      maybe_finish (self);
      return;
    }

  len = end - self->start_ms + 1;
  n = (guint) CLAMP (len / MIN_SLICE_MS, 1, self->n_slices);
  for (guint i = 0; i < n; i++)
    {
      Slice slice = { 0 };
      slice.start = self->start_ms + len * i / n;
      slice.end = i + 1 == n ? end : self->start_ms + len * (i + 1) / n - 1;
      slice.reached = slice.start - 1;
      g_array_append_val (self->slices, slice);
    }
  g_debug ("reading %s, %" G_GINT64_FORMAT " to %" G_GINT64_FORMAT " ms, in %u slices",
           self->log_group, self->start_ms, end, n);
  start_slices (self);
}

/**
 * dh_cloudwatch_fetch_run_finish:
 *
 * Returns: %TRUE when the range was read (without follow); otherwise %FALSE
 *   with the error, %G_IO_ERROR_CANCELLED when cancelled
 */
gboolean
dh_cloudwatch_fetch_run_finish (DhCloudWatchFetch  *self,
                                GAsyncResult       *result,
                                GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
