/* dh-release.c: freeing big structures in a thread of their own
 *
 * Giving back the memory of millions of events (hundreds of megabytes,
 * unmapped page by page) takes tens of milliseconds, and whoever drops the
 * last reference pays for it: often a widget on the main thread, right when
 * a new load is handed over or a live snapshot replaced. So the free runs in
 * a short-lived thread; there are only a few per load.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "dh-release.h"

typedef struct
{
  gpointer       data;
  GDestroyNotify free_func;
} Release;

static GMutex lock;
static GCond  idle_cond;
static guint  n_pending;
static guint  n_threaded;

static gpointer
release_thread (gpointer user_data)
{
  Release *r = user_data;

  r->free_func (r->data);
  g_free (r);
  g_mutex_lock (&lock);
  if (--n_pending == 0)
    g_cond_broadcast (&idle_cond);
  g_mutex_unlock (&lock);
  return NULL;
}

/**
 * dh_release_in_thread:
 * @data: what to free; nothing else may use it any more
 * @free_func: frees @data; it runs in another thread
 *
 * Frees @data in a thread of its own and returns at once (or frees it here
 * when no thread can be started).
 */
void
dh_release_in_thread (gpointer       data,
                      GDestroyNotify free_func)
{
  Release *r = g_new (Release, 1);
  GThread *thread;

  r->data = data;
  r->free_func = free_func;
  g_mutex_lock (&lock);
  n_pending++;
  g_mutex_unlock (&lock);
  thread = g_thread_try_new ("dh-release", release_thread, r, NULL);
  if (thread == NULL)
    {
      release_thread (r);
      return;
    }
  g_thread_unref (thread);
  g_mutex_lock (&lock);
  n_threaded++;
  g_mutex_unlock (&lock);
}

/**
 * dh_release_get_n_threaded:
 *
 * Returns: how many frees went to a thread of their own so far
 */
guint
dh_release_get_n_threaded (void)
{
  guint n;

  g_mutex_lock (&lock);
  n = n_threaded;
  g_mutex_unlock (&lock);
  return n;
}

/**
 * dh_release_wait:
 *
 * Blocks until every free started so far is done.
 */
void
dh_release_wait (void)
{
  g_mutex_lock (&lock);
  while (n_pending > 0)
    g_cond_wait (&idle_cond, &lock);
  g_mutex_unlock (&lock);
}
