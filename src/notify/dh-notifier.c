/* dh-notifier.c: delivers alerts to their destinations
 *
 * Each destination has its own outbox (dh-outbox.c) and its own pace: one
 * request at a time, oldest alert first, so each destination receives its
 * alerts in order and a slow or dead one holds up nothing else: every
 * request is asynchronous on the main context, the reader and the rules run
 * elsewhere or in between.
 *
 * - 2xx: delivered, recorded in the outbox.
 * - 429: waits as long as `Retry-After` says (capped), else backs off.
 * - 408, 5xx, a network or TLS failure: jittered, capped exponential backoff.
 * - 400, 413, 422: that message is refused for good; recorded as failed, the
 *   next one goes.
 * - any other 3xx or 4xx (a revoked webhook, a wrong key): the destination is
 *   paused for this run; its alerts stay in the outbox for the next.
 *
 * A destination that takes digests (Slack) gets one message for a burst:
 * when more than ten alerts would reach it within a minute.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "dh-http.h"
#include "dh-notifier.h"
#include "dh-outbox.h"

#define BACKOFF_BASE_MS   1000
#define BACKOFF_CAP_MS    30000
#define RETRY_AFTER_MAX_S 3600
#define BURST_WINDOW_US   (60 * G_USEC_PER_SEC)
#define BURST_LIMIT       10

typedef struct
{
  DhNotifier    *notifier;   /* unowned */
  DhDestination *dest;
  DhOutbox      *outbox;
  SoupMessage   *in_flight;
  guint          in_flight_n;
  guint          timer;
  gint64         next_allowed;   /* monotonic µs */
  guint          attempt;
  gboolean       paused;
  GQueue         recent;         /* monotonic µs of each alert sent, oldest first */
  guint          n_delivered;
  gint64         last_delivered;
  char          *last_error;
} Target;

struct _DhNotifier
{
  GObject       parent_instance;
  char         *outbox_dir;
  SoupSession  *session;
  GCancellable *cancellable;
  GPtrArray    *targets;        /* Target * */
  DhSeverity    min_severity;
};

G_DEFINE_FINAL_TYPE (DhNotifier, dh_notifier, G_TYPE_OBJECT)

enum {
  DELIVERED,
  FAILED,
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void pump (Target *t);
static void target_failed (Target *t, const char *message, gint64 retry_ms);

static void
target_free (Target *t)
{
  g_clear_handle_id (&t->timer, g_source_remove);
  g_clear_object (&t->in_flight);
  g_clear_pointer (&t->outbox, dh_outbox_free);
  g_clear_pointer (&t->dest, dh_destination_free);
  g_queue_clear_full (&t->recent, g_free);
  g_free (t->last_error);
  g_free (t);
}

static void
dh_notifier_dispose (GObject *object)
{
  DhNotifier *self = DH_NOTIFIER (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_pointer (&self->targets, g_ptr_array_unref);
  G_OBJECT_CLASS (dh_notifier_parent_class)->dispose (object);
}

static void
dh_notifier_finalize (GObject *object)
{
  DhNotifier *self = DH_NOTIFIER (object);

  g_clear_object (&self->session);
  g_clear_object (&self->cancellable);
  g_free (self->outbox_dir);
  G_OBJECT_CLASS (dh_notifier_parent_class)->finalize (object);
}

static void
dh_notifier_class_init (DhNotifierClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = dh_notifier_dispose;
  object_class->finalize = dh_notifier_finalize;

  /**
   * DhNotifier::delivered:
   * @name: the destination, as dh_destination_new() names it
   * @n_alerts: how many alerts the message carried
   */
  signals[DELIVERED] = g_signal_new ("delivered", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                     0, NULL, NULL, NULL, G_TYPE_NONE, 2,
                                     G_TYPE_STRING, G_TYPE_UINT);
  /**
   * DhNotifier::failed:
   * @name: the destination
   * @message: what went wrong, without any secret
   * @retry_ms: when it is tried again, or -1 when it is not (in this run)
   */
  signals[FAILED] = g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 3,
                                  G_TYPE_STRING, G_TYPE_STRING, G_TYPE_INT64);
  /**
   * DhNotifier::changed:
   *
   * A destination's status changed (dh_notifier_get_status()).
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
dh_notifier_init (DhNotifier *self)
{
  self->session = dh_http_session_new (2, 30);
  self->cancellable = g_cancellable_new ();
  self->targets = g_ptr_array_new_with_free_func ((GDestroyNotify) target_free);
  self->min_severity = DH_SEVERITY_MEDIUM;
}

/**
 * dh_notifier_new:
 * @outbox_dir: (nullable): where the outboxes are, or %NULL for
 *   $XDG_STATE_HOME/dnshunt/outbox
 */
DhNotifier *
dh_notifier_new (const char *outbox_dir)
{
  DhNotifier *self = g_object_new (DH_TYPE_NOTIFIER, NULL);

  self->outbox_dir = outbox_dir ? g_strdup (outbox_dir) : dh_outbox_default_dir ();
  return self;
}

/**
 * dh_notifier_add_destination:
 * @dest: (transfer full): where to send
 *
 * Opens the destination's outbox; what an earlier run left there starts
 * going at once.
 */
gboolean
dh_notifier_add_destination (DhNotifier     *self,
                             DhDestination  *dest,
                             GError        **error)
{
  g_autofree char *dir = g_build_filename (self->outbox_dir, dest->key, NULL);
  DhOutbox *outbox = dh_outbox_open (dir, error);
  Target *t;

  if (outbox == NULL)
    {
      dh_destination_free (dest);
      return FALSE;
    }
  t = g_new0 (Target, 1);
  t->notifier = self;
  t->dest = dest;
  t->outbox = outbox;
  g_queue_init (&t->recent);
  g_ptr_array_add (self->targets, t);
  pump (t);
  return TRUE;
}

void
dh_notifier_set_min_severity (DhNotifier *self,
                              DhSeverity  severity)
{
  g_return_if_fail (DH_IS_NOTIFIER (self));
  self->min_severity = severity;
}

guint
dh_notifier_get_n_destinations (DhNotifier *self)
{
  return self->targets->len;
}

/* what is queued for all destinations, in flight included */
guint
dh_notifier_get_n_pending (DhNotifier *self)
{
  guint n = 0;

  for (guint i = 0; i < self->targets->len; i++)
    {
      Target *t = self->targets->pdata[i];
      if (!t->paused)
        n += dh_outbox_get_n_pending (t->outbox);
    }
  return n;
}

/**
 * dh_notifier_notify:
 *
 * Queues the notices at or above the minimum severity that each destination
 * has not had yet (synced to disk before this returns), and starts sending.
 *
 * Returns: how many alerts were new to at least one destination
 */
guint
dh_notifier_notify (DhNotifier  *self,
                    DhNotice   **notices,
                    guint        n)
{
  g_autoptr(GPtrArray) kept = g_ptr_array_new ();
  guint most = 0;

  g_return_val_if_fail (DH_IS_NOTIFIER (self), 0);

  for (guint i = 0; i < n; i++)
    if (dh_notice_get_severity (notices[i]) >= self->min_severity)
      g_ptr_array_add (kept, notices[i]);
  for (guint i = 0; i < self->targets->len && kept->len > 0; i++)
    {
      Target *t = self->targets->pdata[i];
      g_autoptr(GError) error = NULL;
      guint added = dh_outbox_add (t->outbox, (DhNotice **) kept->pdata, kept->len, &error);

      if (error)
        target_failed (t, error->message, -1);
      most = MAX (most, added);
      pump (t);
    }
  return most;
}

/**
 * dh_notifier_follow_up:
 * @alert_id: an alert's id (dh_notice_id_for_alert())
 * @action: "acknowledge" (the analyst investigates) or "resolve" (benign)
 *
 * Tells the destinations that take follow-ups (PagerDuty) what became of
 * an alert they were sent; the others, and one that never had the alert,
 * get nothing.
 *
 * Returns: how many destinations it was queued for
 */
guint
dh_notifier_follow_up (DhNotifier *self,
                       const char *alert_id,
                       const char *action)
{
  g_autoptr(DhNotice) notice = dh_notice_new_action (alert_id, action);
  guint n = 0;

  for (guint i = 0; i < self->targets->len; i++)
    {
      Target *t = self->targets->pdata[i];
      g_autoptr(GError) error = NULL;

      if (!t->dest->kind->follow_ups || !dh_outbox_knows (t->outbox, alert_id))
        continue;
      if (dh_outbox_add (t->outbox, &notice, 1, &error) > 0)
        n++;
      else if (error)
        target_failed (t, error->message, -1);
      pump (t);
    }
  return n;
}

/**
 * dh_notifier_notify_alerts:
 *
 * dh_notifier_notify() for alerts of @set.
 */
guint
dh_notifier_notify_alerts (DhNotifier     *self,
                           DhAlertSet     *set,
                           const DhAlert **alerts,
                           guint           n)
{
  g_autoptr(GPtrArray) notices = g_ptr_array_new_with_free_func ((GDestroyNotify) dh_notice_unref);

  for (guint i = 0; i < n; i++)
    if (alerts[i]->severity >= self->min_severity)
      g_ptr_array_add (notices, dh_notice_new_from_alert (set, alerts[i]));
  return dh_notifier_notify (self, (DhNotice **) notices->pdata, notices->len);
}

static gboolean
on_timer (gpointer data)
{
  Target *t = data;

  t->timer = 0;
  pump (t);
  return G_SOURCE_REMOVE;
}

/* full jitter over a capped exponential: somewhere in [d/2, d] */
static gint64
backoff_ms (guint attempt)
{
  gint64 d = BACKOFF_BASE_MS;

  for (guint i = 1; i < attempt && d < BACKOFF_CAP_MS; i++)
    d *= 2;
  d = MIN (d, BACKOFF_CAP_MS);
  return d / 2 + g_random_int_range (0, (gint32) (d / 2) + 1);
}

/* `Retry-After` in ms (seconds or an HTTP date), or -1 */
static gint64
retry_after_ms (SoupMessage *msg)
{
  const char *value = soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                    "Retry-After");
  char *end;
  gint64 seconds;

  if (value == NULL)
    return -1;
  seconds = g_ascii_strtoll (value, &end, 10);
  if (end == value || *end != '\0')
    {
      g_autoptr(GDateTime) when = soup_date_time_new_from_http_string (value);
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      if (when == NULL)
        return -1;
      seconds = g_date_time_difference (when, now) / G_USEC_PER_SEC;
    }
  return CLAMP (seconds, 0, RETRY_AFTER_MAX_S) * 1000;
}

/* says what went wrong, and keeps it for dh_notifier_get_status() */
static void
target_failed (Target     *t,
               const char *message,
               gint64      retry_ms)
{
  g_free (t->last_error);
  t->last_error = g_strdup (message);
  g_signal_emit (t->notifier, signals[FAILED], 0, t->dest->name, message, retry_ms);
  g_signal_emit (t->notifier, signals[CHANGED], 0);
}

static void
retry_later (Target     *t,
             const char *why,
             gint64      delay_ms)
{
  g_autofree char *clean = dh_destination_redact (t->dest, why);

  t->attempt++;
  if (delay_ms < 0)
    delay_ms = backoff_ms (t->attempt);
  t->next_allowed = g_get_monotonic_time () + delay_ms * 1000;
  target_failed (t, clean, delay_ms);
}

static void
record (Target         *t,
        guint           n,
        DhOutboxResult  result)
{
  g_autoptr(GError) error = NULL;

  if (!dh_outbox_mark (t->outbox, n, result, &error))
    target_failed (t, error->message, -1);
}

static void
on_sent (GObject      *source,
         GAsyncResult *result,
         gpointer      data)
{
  Target *t = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result,
                                                              &error);
  g_autoptr(SoupMessage) msg = NULL;
  guint status, n;
  gint64 now = g_get_monotonic_time ();

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;   /* the notifier is gone: t with it */

  msg = g_steal_pointer (&t->in_flight);
  n = t->in_flight_n;
  t->in_flight_n = 0;
  t->next_allowed = now + t->dest->kind->min_interval_ms * 1000;
  status = soup_message_get_status (msg);

  if (error)
    {
      g_autofree char *why = g_strdup_printf (_("cannot reach it: %s"), error->message);
      retry_later (t, why, -1);
    }
  else if (status >= 200 && status < 300)
    {
      t->attempt = 0;
      record (t, n, DH_OUTBOX_SENT);
      for (guint i = 0; i < n; i++)
        g_queue_push_tail (&t->recent, g_memdup2 (&now, sizeof now));
      t->n_delivered += n;
      t->last_delivered = g_get_real_time ();
      g_clear_pointer (&t->last_error, g_free);
      g_signal_emit (t->notifier, signals[DELIVERED], 0, t->dest->name, n);
      g_signal_emit (t->notifier, signals[CHANGED], 0);
    }
  else
    {
      g_autofree char *answer = NULL;
      g_autofree char *why = NULL;
      gsize size = 0;
      const char *data_ = body ? g_bytes_get_data (body, &size) : NULL;

      answer = g_strndup (data_ ? data_ : "", MIN (size, 300));
      why = g_strdup_printf (_("HTTP %u %s%s%s"), status,
                             soup_message_get_reason_phrase (msg) ? soup_message_get_reason_phrase (msg) : "",
                             *answer ? ": " : "", answer);
      if (status == 429)
        retry_later (t, why, retry_after_ms (msg));
      else if (status == 408 || status >= 500)
        retry_later (t, why, -1);
      else if (status == 400 || status == 413 || status == 422)
        {
          /* this message is wrong: it will not get better by trying again */
          g_autofree char *clean = dh_destination_redact (t->dest, why);
          g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                                "refused %u alert for good (%s)",
                                                                "refused %u alerts for good (%s)", n),
                                                   n, clean);
          t->attempt = 0;
          record (t, n, DH_OUTBOX_FAILED);
          target_failed (t, text, -1);
        }
      else
        {
          /* a revoked webhook, a wrong key, a redirect: nothing will pass */
          g_autofree char *clean = dh_destination_redact (t->dest, why);
          g_autofree char *text = g_strdup_printf (_("%s; stopped sending for this run: %u "
                                                     "alerts stay in the outbox"),
                                                   clean, dh_outbox_get_n_pending (t->outbox));
          t->paused = TRUE;
          target_failed (t, text, -1);
        }
    }
  pump (t);
}

/* how many of the pending alerts the next message carries */
static guint
batch_size (Target *t)
{
  guint pending = dh_outbox_get_n_pending (t->outbox);
  gint64 now = g_get_monotonic_time ();

  if (t->dest->kind->max_digest <= 1 || pending <= 1)
    return 1;
  while (!g_queue_is_empty (&t->recent) &&
         *(gint64 *) g_queue_peek_head (&t->recent) < now - BURST_WINDOW_US)
    g_free (g_queue_pop_head (&t->recent));
  /* more than ten in a minute: a digest of what waits */
  if (t->recent.length + pending > BURST_LIMIT)
    return MIN (pending, t->dest->kind->max_digest);
  return 1;
}

static void
pump (Target *t)
{
  DhNotifier *self = t->notifier;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) batch = NULL;
  gint64 now;
  guint n;

  if (t->in_flight || t->timer || t->paused || dh_outbox_get_n_pending (t->outbox) == 0)
    return;
  now = g_get_monotonic_time ();
  if (now < t->next_allowed)
    {
      t->timer = g_timeout_add ((guint) ((t->next_allowed - now + 999) / 1000), on_timer, t);
      return;
    }

  n = batch_size (t);
  batch = g_ptr_array_new ();
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (batch, dh_outbox_get_pending (t->outbox, i));
  t->in_flight = t->dest->kind->build (t->dest, (DhNotice **) batch->pdata, n, &error);
  if (t->in_flight == NULL)
    {
      record (t, n, DH_OUTBOX_FAILED);
      target_failed (t, error->message, -1);
      t->timer = g_idle_add (on_timer, t);
      return;
    }
  t->in_flight_n = n;
  soup_session_send_and_read_async (self->session, t->in_flight, G_PRIORITY_DEFAULT,
                                    self->cancellable, on_sent, t);
}

static void
wake_up (GCancellable *cancellable,
         gpointer      data)
{
  g_main_context_wakeup (NULL);
}

static gboolean
on_deadline (gpointer data)
{
  gboolean *passed = data;

  *passed = TRUE;
  return G_SOURCE_REMOVE;
}

/**
 * dh_notifier_drain:
 * @timeout_us: how long to wait at most
 *
 * Runs the default main context until every destination that is not paused
 * has delivered what it has, @timeout_us passed, or @cancellable is
 * cancelled. What is left stays in the outboxes for the next run.
 *
 * Returns: whether everything was delivered
 */
gboolean
dh_notifier_drain (DhNotifier   *self,
                   gint64        timeout_us,
                   GCancellable *cancellable)
{
  gboolean passed = FALSE;
  guint deadline = g_timeout_add ((guint) MIN (timeout_us / 1000, G_MAXUINT), on_deadline,
                                  &passed);
  gulong cancelled = 0;

  if (cancellable)
    cancelled = g_cancellable_connect (cancellable, G_CALLBACK (wake_up), NULL, NULL);
  while (dh_notifier_get_n_pending (self) > 0 && !passed &&
         !g_cancellable_is_cancelled (cancellable))
    g_main_context_iteration (NULL, TRUE);
  if (!passed)
    g_source_remove (deadline);
  if (cancellable)
    g_cancellable_disconnect (cancellable, cancelled);
  return dh_notifier_get_n_pending (self) == 0;
}

/**
 * dh_notifier_get_status:
 * @kind_id: "slack", "pagerduty" or "webhook"
 *
 * Returns: whether a destination of that kind is set up; then @status says
 *   how it is doing (its strings valid until the next main-loop turn)
 */
gboolean
dh_notifier_get_status (DhNotifier     *self,
                        const char     *kind_id,
                        DhNotifyStatus *status)
{
  for (guint i = 0; i < self->targets->len; i++)
    {
      Target *t = self->targets->pdata[i];

      if (!g_str_equal (t->dest->kind->id, kind_id))
        continue;
      status->n_pending = dh_outbox_get_n_pending (t->outbox);
      status->n_delivered = t->n_delivered;
      status->last_delivered = t->last_delivered;
      status->last_error = t->last_error;
      status->paused = t->paused;
      return TRUE;
    }
  return FALSE;
}

static void
on_test_sent (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  g_autoptr(GTask) task = data;
  DhDestination *dest = g_task_get_task_data (task);
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result,
                                                              &error);
  guint status = msg ? soup_message_get_status (msg) : 0;

  if (error)
    {
      g_autofree char *clean = dh_destination_redact (dest, error->message);
      g_task_return_new_error (task, DH_NOTIFY_ERROR, DH_NOTIFY_ERROR_TEMPORARY,
                               _("Cannot reach it: %s"), clean);
    }
  else if (status >= 200 && status < 300)
    g_task_return_boolean (task, TRUE);
  else
    {
      gsize size = 0;
      const char *bytes = body ? g_bytes_get_data (body, &size) : NULL;
      g_autofree char *answer = g_strndup (bytes ? bytes : "", MIN (size, 300));
      g_autofree char *clean = dh_destination_redact (dest, answer);
      g_task_return_new_error (task, DH_NOTIFY_ERROR, DH_NOTIFY_ERROR_REFUSED,
                               _("It answered HTTP %u%s%s"), status, *clean ? ": " : "", clean);
    }
}

/**
 * dh_notifier_test_async:
 * @dest: (transfer full): the destination to try, set up or not yet
 *
 * Sends one test message to @dest now, outside the outbox (Preferences →
 * Send Test).
 */
void
dh_notifier_test_async (DhNotifier          *self,
                        DhDestination       *dest,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(DhNotice) notice = dh_notice_new_test ();
  g_autoptr(GError) error = NULL;
  SoupMessage *msg;

  g_task_set_task_data (task, dest, (GDestroyNotify) dh_destination_free);
  msg = dest->kind->build (dest, &notice, 1, &error);
  if (msg == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  soup_session_send_and_read_async (self->session, msg, G_PRIORITY_DEFAULT, cancellable,
                                    on_test_sent, task);
  g_object_unref (msg);
}

gboolean
dh_notifier_test_finish (DhNotifier    *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}
