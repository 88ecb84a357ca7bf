/* dh-token-bucket.c: a request rate limit shared by every client of one account and region
 *
 * CloudWatch Logs allows FilterLogEvents 5 requests per second per account
 * and region; going over only earns ThrottlingException and a backoff. Each
 * request reserves a token and waits the delay it is given: the bucket may go
 * into debt, so callers queue in the order they asked without a queue here.
 * Thread-safe; buckets for the same key are shared within the process.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "dh-token-bucket.h"

struct _DhTokenBucket
{
  gatomicrefcount ref_count;
  GMutex          lock;
  double          rate;     /* tokens per second; <= 0 means no limit */
  double          burst;
  double          tokens;   /* may be negative: reserved ahead */
  gint64          updated;  /* monotonic µs */
};

G_LOCK_DEFINE_STATIC (shared);
static GHashTable *shared_buckets;

/**
 * dh_token_bucket_new:
 * @rate: tokens per second, or 0 for no limit
 * @burst: how many tokens may be saved up (at least 1)
 */
DhTokenBucket *
dh_token_bucket_new (double rate,
                     double burst)
{
  DhTokenBucket *bucket = g_new0 (DhTokenBucket, 1);

  g_atomic_ref_count_init (&bucket->ref_count);
  g_mutex_init (&bucket->lock);
  bucket->rate = rate;
  bucket->burst = MAX (1.0, burst);
  bucket->tokens = bucket->burst;
  bucket->updated = g_get_monotonic_time ();
  return bucket;
}

/**
 * dh_token_bucket_get_shared:
 * @key: what the limit is for, such as "AKID/us-east-1/FilterLogEvents"
 *
 * Returns: (transfer full): the process-wide bucket for @key, made with
 *   @rate and @burst the first time
 */
DhTokenBucket *
dh_token_bucket_get_shared (const char *key,
                            double      rate,
                            double      burst)
{
  DhTokenBucket *bucket;

  G_LOCK (shared);
  if (shared_buckets == NULL)
    shared_buckets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            (GDestroyNotify) dh_token_bucket_unref);
  bucket = g_hash_table_lookup (shared_buckets, key);
  if (bucket == NULL)
    {
      bucket = dh_token_bucket_new (rate, burst);
      g_hash_table_insert (shared_buckets, g_strdup (key), bucket);
    }
  dh_token_bucket_ref (bucket);
  G_UNLOCK (shared);
  return bucket;
}

DhTokenBucket *
dh_token_bucket_ref (DhTokenBucket *bucket)
{
  g_atomic_ref_count_inc (&bucket->ref_count);
  return bucket;
}

void
dh_token_bucket_unref (DhTokenBucket *bucket)
{
  if (bucket == NULL || !g_atomic_ref_count_dec (&bucket->ref_count))
    return;
  g_mutex_clear (&bucket->lock);
  g_free (bucket);
}

static void
refill (DhTokenBucket *bucket,
        gint64         now)
{
  if (now > bucket->updated)
    {
      bucket->tokens = MIN (bucket->burst,
                            bucket->tokens + (now - bucket->updated) * bucket->rate / 1e6);
      bucket->updated = now;
    }
}

/**
 * dh_token_bucket_reserve:
 * @now: g_get_monotonic_time()
 *
 * Takes one token.
 *
 * Returns: how long to wait (µs) before sending, 0 to send now
 */
gint64
dh_token_bucket_reserve (DhTokenBucket *bucket,
                         gint64         now)
{
  gint64 delay = 0;

  if (bucket->rate <= 0)
    return 0;
  g_mutex_lock (&bucket->lock);
  refill (bucket, now);
  bucket->tokens -= 1.0;
  if (bucket->tokens < 0)
    delay = (gint64) (-bucket->tokens * 1e6 / bucket->rate + 0.5);
  g_mutex_unlock (&bucket->lock);
  return delay;
}

/**
 * dh_token_bucket_refund:
 *
 * Gives back a token reserved for a request that was never sent (cancelled).
 */
void
dh_token_bucket_refund (DhTokenBucket *bucket)
{
  if (bucket->rate <= 0)
    return;
  g_mutex_lock (&bucket->lock);
  bucket->tokens = MIN (bucket->burst, bucket->tokens + 1.0);
  g_mutex_unlock (&bucket->lock);
}

double
dh_token_bucket_get_rate (DhTokenBucket *bucket)
{
  return bucket->rate;
}
