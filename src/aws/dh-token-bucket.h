/* dh-token-bucket.h: a request rate limit shared by every client of one account and region
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _DhTokenBucket DhTokenBucket;

DhTokenBucket *dh_token_bucket_new        (double         rate,
                                           double         burst);
DhTokenBucket *dh_token_bucket_get_shared (const char    *key,
                                           double         rate,
                                           double         burst);
DhTokenBucket *dh_token_bucket_ref        (DhTokenBucket *bucket);
void           dh_token_bucket_unref      (DhTokenBucket *bucket);
gint64         dh_token_bucket_reserve    (DhTokenBucket *bucket,
                                           gint64         now);
void           dh_token_bucket_refund     (DhTokenBucket *bucket);
double         dh_token_bucket_get_rate   (DhTokenBucket *bucket);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DhTokenBucket, dh_token_bucket_unref)

G_END_DECLS
