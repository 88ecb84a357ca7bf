/* dh-live-source.h: a CloudWatch Logs log group feeding the investigation
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "dh-cloudwatch-fetch.h"
#include "dh-investigation.h"

G_BEGIN_DECLS

/* How much of a followed log group stays in memory by default (µs); the
 * window takes the cloudwatch-retention setting. */
#define DH_LIVE_RETENTION (G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC)

/* How far back (s) every follow poll reads again, for events that arrive
 * late; the window takes the cloudwatch-lookback setting. */
#define DH_LIVE_LOOKBACK 300

#define DH_TYPE_LIVE_SOURCE (dh_live_source_get_type ())

G_DECLARE_FINAL_TYPE (DhLiveSource, dh_live_source, DH, LIVE_SOURCE, GObject)

DhLiveSource      *dh_live_source_new             (DhInvestigation   *investigation,
                                                   DhCloudWatchFetch *fetch,
                                                   gint64             start,
                                                   gint64             end);
DhLiveSource      *dh_live_source_new_local       (DhInvestigation   *investigation,
                                                   const char * const *paths,
                                                   gint64             start);
const char        *dh_live_source_get_label       (DhLiveSource      *self);
gboolean           dh_live_source_is_local        (DhLiveSource      *self);
void               dh_live_source_start           (DhLiveSource      *self);
void               dh_live_source_stop            (DhLiveSource      *self);
gboolean           dh_live_source_is_running      (DhLiveSource      *self);
gboolean           dh_live_source_is_busy         (DhLiveSource      *self);
const char        *dh_live_source_get_status      (DhLiveSource      *self);
DhCloudWatchFetch *dh_live_source_get_fetch       (DhLiveSource      *self);
guint              dh_live_source_get_n_snapshots (DhLiveSource      *self);
void               dh_live_source_set_retention   (DhLiveSource      *self,
                                                   gint64             retention);

G_END_DECLS
