/* dh-str-pool.h: interned strings with small integer ids
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <string.h>

#include "dh-types.h"

G_BEGIN_DECLS

/* Id 0 is always the empty string. */
#define DH_STR_EMPTY 0

DhStrPool   *dh_str_pool_new        (void);
void         dh_str_pool_free       (DhStrPool  *pool);
guint32      dh_str_pool_intern     (DhStrPool  *pool,
                                     const char *str,
                                     gsize       len);
gboolean     dh_str_pool_lookup     (DhStrPool  *pool,
                                     const char *str,
                                     gsize       len,
                                     guint32    *id);
const char  *dh_str_pool_get        (DhStrPool  *pool,
                                     guint32     id);
gsize        dh_str_pool_get_length (DhStrPool  *pool,
                                     guint32     id);
guint        dh_str_pool_get_size   (DhStrPool  *pool);
gsize        dh_str_pool_get_memory (DhStrPool  *pool);
guint32      dh_hash_bytes          (const char *str,
                                     gsize       len);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DhStrPool, dh_str_pool_free)

/* Whether @n bytes at @a and @b are equal: inline and branch-light for the
 * short strings of the hot paths (names, addresses, JSON keys), where a call
 * to memcmp() costs more than the comparison. */
static inline gboolean
dh_bytes_equal (const void *a,
                const void *b,
                gsize       n)
{
  const guchar *x = a, *y = b;

  if (n >= 8)
    {
      guint64 u, v;
      for (gsize i = 0; i + 8 < n; i += 8)
        {
          memcpy (&u, x + i, 8);
          memcpy (&v, y + i, 8);
          if (u != v)
            return FALSE;
        }
      memcpy (&u, x + n - 8, 8);
      memcpy (&v, y + n - 8, 8);
      return u == v;
    }
  if (n >= 4)
    {
      guint32 u1, v1, u2, v2;
      memcpy (&u1, x, 4);
      memcpy (&v1, y, 4);
      memcpy (&u2, x + n - 4, 4);
      memcpy (&v2, y + n - 4, 4);
      return u1 == v1 && u2 == v2;
    }
  for (gsize i = 0; i < n; i++)
    if (x[i] != y[i])
      return FALSE;
  return TRUE;
}

G_END_DECLS
