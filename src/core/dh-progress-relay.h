/* dh-progress-relay.h: progress from a worker thread to the main loop
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  guint    phase;        /* the caller's own enum */
  double   fraction;     /* 0 to 1, or negative when not known */
  guint64  bytes_done;
  guint64  bytes_total;
  guint64  n_items;      /* events read, alerts written… */
} DhProgress;

typedef struct _DhProgressRelay DhProgressRelay;

/* Called on the relay's main context with the latest figures. */
typedef void (*DhProgressRelayFunc) (const DhProgress *progress,
                                     gpointer          user_data);

DhProgressRelay *dh_progress_relay_new   (DhProgressRelayFunc  func,
                                          gpointer             user_data,
                                          gint64               min_interval_us);
DhProgressRelay *dh_progress_relay_new_full (DhProgressRelayFunc  func,
                                             gpointer             user_data,
                                             GDestroyNotify       destroy,
                                             gint64               min_interval_us);
DhProgressRelay *dh_progress_relay_ref   (DhProgressRelay     *relay);
void             dh_progress_relay_unref (DhProgressRelay     *relay);
void             dh_progress_relay_post  (DhProgressRelay     *relay,
                                          const DhProgress    *progress,
                                          gboolean             force);
void             dh_progress_relay_close (DhProgressRelay     *relay);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DhProgressRelay, dh_progress_relay_unref)

G_END_DECLS
