/* dh-store-compare.h: do two stores hold the same events?
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "dh-reader.h"

G_BEGIN_DECLS

char *dh_store_compare (DhReader *a,
                        DhReader *b);

G_END_DECLS
