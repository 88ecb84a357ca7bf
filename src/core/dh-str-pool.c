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
  guint32     *hashes;
  guint        n_strs;
  guint        alloc_strs;

  /* Hash slots hold id + 1; 0 is free */
  guint32     *slots;
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
  /* A small multiply-xorshift hash over 8-byte words: names are short and
   * this runs for every field of every record. */
  guint64 h = 0x9E3779B97F4A7C15ull ^ (len * 0xff51afd7ed558ccdull);
  const guchar *p = (const guchar *) str;

  while (len >= 8)
    {
      guint64 w;
      memcpy (&w, p, 8);
      h ^= w;
      h *= 0xbf58476d1ce4e5b9ull;
      h ^= h >> 31;
      p += 8;
      len -= 8;
    }
  if (len > 0)
    {
      guint64 w = 0;
      memcpy (&w, p, len);
      h ^= w;
      h *= 0x94d049bb133111ebull;
      h ^= h >> 29;
    }
  h ^= h >> 32;
  h *= 0xd6e8feb86659fd93ull;
  h ^= h >> 32;
  return (guint32) h;
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
  guint32 *slots = g_new0 (guint32, new_size);
  guint new_mask = new_size - 1;

  for (guint i = 0; i < pool->n_strs; i++)
    {
      guint pos = pool->hashes[i] & new_mask;
      while (slots[pos] != 0)
        pos = (pos + 1) & new_mask;
      slots[pos] = i + 1;
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
  pool->slots = g_new0 (guint32, pool->mask + 1);
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
  g_free (pool->hashes);
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
      guint32 v = pool->slots[pos];
      if (v == 0)
        {
          *slot_out = pos;
          return FALSE;
        }
      v--;
      if (pool->hashes[v] == hash && pool->lens[v] == len &&
          memcmp (pool->strs[v], str, len) == 0)
        {
          *slot_out = v;
          return TRUE;
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
      pool->hashes = g_renew (guint32, pool->hashes, pool->alloc_strs);
    }

  id = pool->n_strs++;
  pool->strs[id] = pool_store (pool, str, len);
  pool->lens[id] = (guint32) len;
  pool->hashes[id] = hash;
  pool->slots[slot] = id + 1;

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
  return pool->alloc_bytes + pool->alloc_strs * (sizeof (char *) + 8) +
         (gsize) (pool->mask + 1) * 4;
}
