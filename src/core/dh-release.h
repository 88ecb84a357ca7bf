/* dh-release.h: freeing big structures in a thread of their own
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* From this many events on, a store or its statistics is freed in a thread
 * of its own (a few milliseconds of work and more). */
#define DH_RELEASE_MIN_EVENTS (1u << 17)

void  dh_release_in_thread      (gpointer       data,
                                 GDestroyNotify free_func);
guint dh_release_get_n_threaded (void);
void  dh_release_wait           (void);

G_END_DECLS
