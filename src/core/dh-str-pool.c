/* dh-str-pool.c: interned strings with small integer ids
 *
 * Query names, hosts and ids repeat endlessly in resolver logs, so every event
 * stores 32-bit ids into this pool instead of strings. Strings live packed in
 * large chunks; lookup is an open-addressing table of ids.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "dh-str-pool.h"

#define CHUNK_SIZE (256 * 1024)

struct _DhStrPool
{
  /* Per id */
  const char **strs;
  guint32     *lens;
  guint        n_strs;
  guint        alloc_strs;

  /* Hash slots hold the string's hash in the high half and id + 1 in the
   * low half; 0 is free. A probe compares hashes without leaving the table. */
  guint64     *slots;
  guint        mask;

  GPtrArray   *chunks;
  char        *chunk_pos;
  gsize        chunk_left;
  gsize        alloc_bytes;
};

guint32
dh_hash_bytes (const char *str,
               gsize       len)
{
  /* A multiply-xorshift hash over 8-byte words in two independent lanes, so
   * the multiplications of a long name overlap: this runs for every string
   * field of every record. */
  guint64 h1 = 0x9E3779B97F4A7C15ull ^ (len * 0xff51afd7ed558ccdull);
  guint64 h2 = 0xC2B2AE3D27D4EB4Full;
  const guchar *p = (const guchar *) str;
  const gsize full = len;

  while (len >= 16)
    {
      guint64 w1, w2;
      memcpy (&w1, p, 8);
      memcpy (&w2, p + 8, 8);
      h1 = (h1 ^ w1) * 0xbf58476d1ce4e5b9ull;
      h2 = (h2 ^ w2) * 0x94d049bb133111ebull;
      h1 ^= h1 >> 31;
      h2 ^= h2 >> 29;
      p += 16;
      len -= 16;
    }
  if (len >= 8)
    {
      guint64 w;
      memcpy (&w, p, 8);
      h1 = (h1 ^ w) * 0xbf58476d1ce4e5b9ull;
      h1 ^= h1 >> 31;
      p += 8;
      len -= 8;
    }
  if (len > 0)
    {
      /* The last bytes by wide loads, never byte by byte (a byte-wise copy
       * into a word stalls the load that follows it). */
      guint64 w;
      if (full >= 8)
        memcpy (&w, str + full - 8, 8);
      else if (len >= 4)
        {
          guint32 lo, hi;
          memcpy (&lo, p, 4);
          memcpy (&hi, p + len - 4, 4);
          w = lo | ((guint64) hi << 32);
        }
      else
        w = p[0] | ((guint64) p[len / 2] << 8) | ((guint64) p[len - 1] << 16);
      h2 = (h2 ^ w) * 0x94d049bb133111ebull;
      h2 ^= h2 >> 29;
    }
  h1 ^= h2 * 0xd6e8feb86659fd93ull;
  h1 ^= h1 >> 32;
  h1 *= 0xd6e8feb86659fd93ull;
  h1 ^= h1 >> 32;
  return (guint32) h1;
}

static const char *
pool_store (DhStrPool  *pool,
            const char *str,
            gsize       len)
{
  char *dest;

  if (len + 1 > CHUNK_SIZE / 4)
    {
      dest = g_malloc (len + 1);
      pool->alloc_bytes += len + 1;
      g_ptr_array_add (pool->chunks, dest);
    }
  else
    {
      if (pool->chunk_left < len + 1)
        {
          pool->chunk_pos = g_malloc (CHUNK_SIZE);
          pool->chunk_left = CHUNK_SIZE;
          pool->alloc_bytes += CHUNK_SIZE;
          g_ptr_array_add (pool->chunks, pool->chunk_pos);
        }
      dest = pool->chunk_pos;
      pool->chunk_pos += len + 1;
      pool->chunk_left -= len + 1;
    }
  memcpy (dest, str, len);
  dest[len] = 0;
  return dest;
}

static void
pool_grow_table (DhStrPool *pool)
{
  guint new_size = (pool->mask + 1) * 2;
  guint64 *slots = g_new0 (guint64, new_size);
  guint new_mask = new_size - 1;

  for (guint i = 0; i <= pool->mask; i++)
    {
      guint64 v = pool->slots[i];
      guint pos;
      if (v == 0)
        continue;
      pos = (guint32) (v >> 32) & new_mask;
      while (slots[pos] != 0)
        pos = (pos + 1) & new_mask;
      slots[pos] = v;
    }
  g_free (pool->slots);
  pool->slots = slots;
  pool->mask = new_mask;
}

DhStrPool *
dh_str_pool_new (void)
{
  DhStrPool *pool = g_new0 (DhStrPool, 1);

  pool->chunks = g_ptr_array_new_with_free_func (g_free);
  pool->mask = 1023;
  pool->slots = g_new0 (guint64, pool->mask + 1);
  dh_str_pool_intern (pool, "", 0);
  return pool;
}

void
dh_str_pool_free (DhStrPool *pool)
{
  if (pool == NULL)
    return;
  g_free (pool->strs);
  g_free (pool->lens);
  g_free (pool->slots);
  g_ptr_array_unref (pool->chunks);
  g_free (pool);
}

static inline gboolean
pool_find (DhStrPool  *pool,
           const char *str,
           gsize       len,
           guint32     hash,
           guint      *slot_out)
{
  guint pos = hash & pool->mask;

  for (;;)
    {
      guint64 v = pool->slots[pos];
      if (v == 0)
        {
          *slot_out = pos;
          return FALSE;
        }
      if ((guint32) (v >> 32) == hash)
        {
          guint32 id = (guint32) v - 1;
          if (pool->lens[id] == len && dh_bytes_equal (pool->strs[id], str, len))
            {
              *slot_out = id;
              return TRUE;
            }
        }
      pos = (pos + 1) & pool->mask;
    }
}

/**
 * dh_str_pool_intern:
 * @pool: a #DhStrPool
 * @str: bytes, need not be nul-terminated
 * @len: length of @str
 *
 * Returns: the id of @str, adding it when it is new.
 */
guint32
dh_str_pool_intern (DhStrPool  *pool,
                    const char *str,
                    gsize       len)
{
  guint32 hash = dh_hash_bytes (str, len);
  guint slot;
  guint32 id;

  if (pool_find (pool, str, len, hash, &slot))
    return slot;

  g_return_val_if_fail (len < G_MAXUINT32, 0);

  if (pool->n_strs == pool->alloc_strs)
    {
      pool->alloc_strs = MAX (1024, pool->alloc_strs * 2);
      pool->strs = g_renew (const char *, pool->strs, pool->alloc_strs);
      pool->lens = g_renew (guint32, pool->lens, pool->alloc_strs);
    }

  id = pool->n_strs++;
  pool->strs[id] = pool_store (pool, str, len);
  pool->lens[id] = (guint32) len;
  pool->slots[slot] = ((guint64) hash << 32) | (id + 1);

  if (pool->n_strs * 2 > pool->mask + 1)
    pool_grow_table (pool);

  return id;
}

/**
 * dh_str_pool_lookup:
 *
 * Returns: %TRUE and the id in @id when @str is in the pool, without adding it.
 */
gboolean
dh_str_pool_lookup (DhStrPool  *pool,
                    const char *str,
                    gsize       len,
                    guint32    *id)
{
  guint slot;

  if (pool_find (pool, str, len, dh_hash_bytes (str, len), &slot))
    {
      *id = slot;
      return TRUE;
    }
  return FALSE;
}

const char *
dh_str_pool_get (DhStrPool *pool,
                 guint32    id)
{
  g_return_val_if_fail (id < pool->n_strs, "");
  return pool->strs[id];
}

gsize
dh_str_pool_get_length (DhStrPool *pool,
                        guint32    id)
{
  g_return_val_if_fail (id < pool->n_strs, 0);
  return pool->lens[id];
}

guint
dh_str_pool_get_size (DhStrPool *pool)
{
  return pool->n_strs;
}

gsize
dh_str_pool_get_memory (DhStrPool *pool)
{
  return pool->alloc_bytes + pool->alloc_strs * (sizeof (char *) + 4) +
         (gsize) (pool->mask + 1) * 8;
}
