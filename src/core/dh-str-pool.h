/* dh-str-pool.h: interned strings with small integer ids
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

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

G_END_DECLS
