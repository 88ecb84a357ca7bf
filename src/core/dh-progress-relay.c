/* dh-progress-relay.c: progress from a worker thread to the main loop
 *
 * A worker posts its figures as often as it likes; the relay keeps the
 * latest under a lock and has at most one idle pending on the owner's main
 * context, no sooner than min_interval_us after the last one ran (unless the
 * post is forced, for a change of phase). A fast worker thus costs the main
 * loop one callback per interval, never a queue of them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "dh-progress-relay.h"

struct _DhProgressRelay
{
  gatomicrefcount      ref_count;
  GMutex               lock;
  GMainContext        *context;
  DhProgressRelayFunc  func;        /* NULL once closed */
  gpointer             user_data;
  GDestroyNotify       destroy;     /* of user_data, with the relay */
  gint64               min_interval_us;
  DhProgress           latest;
  gint64               last_dispatch;
  gboolean             pending;
};

/**
 * dh_progress_relay_new:
 * @func: called on the thread-default main context of the caller
 * @min_interval_us: the least time between two calls of @func, but for
 *   forced posts
 *
 * Returns: (transfer full): a relay; close it before @user_data goes
 */
DhProgressRelay *
dh_progress_relay_new (DhProgressRelayFunc func,
                       gpointer            user_data,
                       gint64              min_interval_us)
{
  return dh_progress_relay_new_full (func, user_data, NULL, min_interval_us);
}

/**
 * dh_progress_relay_new_full:
 * @destroy: (nullable): frees @user_data when the last reference to the
 *   relay goes: then the relay need not be closed for @user_data's sake
 *
 * As dh_progress_relay_new(), the relay owning @user_data.
 */
DhProgressRelay *
dh_progress_relay_new_full (DhProgressRelayFunc func,
                            gpointer            user_data,
                            GDestroyNotify      destroy,
                            gint64              min_interval_us)
{
  DhProgressRelay *relay = g_new0 (DhProgressRelay, 1);

  g_atomic_ref_count_init (&relay->ref_count);
  g_mutex_init (&relay->lock);
  relay->context = g_main_context_ref_thread_default ();
  relay->func = func;
  relay->user_data = user_data;
  relay->destroy = destroy;
  relay->min_interval_us = MAX (min_interval_us, 0);
  relay->latest.fraction = -1;
  return relay;
}

DhProgressRelay *
dh_progress_relay_ref (DhProgressRelay *relay)
{
  g_atomic_ref_count_inc (&relay->ref_count);
  return relay;
}

void
dh_progress_relay_unref (DhProgressRelay *relay)
{
  if (relay && g_atomic_ref_count_dec (&relay->ref_count))
    {
      if (relay->destroy)
        relay->destroy (relay->user_data);
      g_main_context_unref (relay->context);
      g_mutex_clear (&relay->lock);
      g_free (relay);
    }
}

static gboolean
dispatch (gpointer data)
{
  DhProgressRelay *relay = data;
  DhProgress latest;
  DhProgressRelayFunc func;

  g_mutex_lock (&relay->lock);
  relay->pending = FALSE;
  relay->last_dispatch = g_get_monotonic_time ();
  latest = relay->latest;
  func = relay->func;
  g_mutex_unlock (&relay->lock);
  /* close() runs on this thread too: func cannot go between here and there */
  if (func)
    func (&latest, relay->user_data);
  return G_SOURCE_REMOVE;
}

/**
 * dh_progress_relay_post:
 * @force: schedule a call even if the last one was very recent (a new phase)
 *
 * From any thread: records @progress as the latest figures.
 */
void
dh_progress_relay_post (DhProgressRelay  *relay,
                        const DhProgress *progress,
                        gboolean          force)
{
  gboolean schedule = FALSE;

  g_mutex_lock (&relay->lock);
  relay->latest = *progress;
  if (!relay->pending && relay->func &&
      (force || g_get_monotonic_time () - relay->last_dispatch >= relay->min_interval_us))
    relay->pending = schedule = TRUE;
  g_mutex_unlock (&relay->lock);

  if (schedule)
    {
      GSource *source = g_idle_source_new ();

      /* the priority of a task's completion, so progress comes before it */
      g_source_set_priority (source, G_PRIORITY_DEFAULT);
      g_source_set_callback (source, dispatch, dh_progress_relay_ref (relay),
                             (GDestroyNotify) dh_progress_relay_unref);
      g_source_set_static_name (source, "[dnshunt] progress");
      g_source_attach (source, relay->context);
      g_source_unref (source);
    }
}

/**
 * dh_progress_relay_close:
 *
 * On the relay's main context: no call of its function from now on, even
 * for figures already posted.
 */
void
dh_progress_relay_close (DhProgressRelay *relay)
{
  g_mutex_lock (&relay->lock);
  relay->func = NULL;
  g_mutex_unlock (&relay->lock);
}
