/* dh-cloudwatch-fetch.h: reading a log group's events over a time range, then following it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "dh-cloudwatch-client.h"

G_BEGIN_DECLS

typedef enum {
  DH_CLOUDWATCH_FETCH_IDLE,
  DH_CLOUDWATCH_FETCH_RANGE,       /* reading the time range */
  DH_CLOUDWATCH_FETCH_FOLLOWING,   /* the range is read; polling for new events */
  DH_CLOUDWATCH_FETCH_DONE,
  DH_CLOUDWATCH_FETCH_FAILED,
} DhCloudWatchFetchState;

#define DH_TYPE_CLOUDWATCH_FETCH_STATE (dh_cloudwatch_fetch_state_get_type ())
GType dh_cloudwatch_fetch_state_get_type (void) G_GNUC_CONST;

#define DH_TYPE_CLOUDWATCH_FETCH (dh_cloudwatch_fetch_get_type ())

G_DECLARE_FINAL_TYPE (DhCloudWatchFetch, dh_cloudwatch_fetch, DH, CLOUDWATCH_FETCH, GObject)

DhCloudWatchFetch     *dh_cloudwatch_fetch_new                (DhCloudWatchClient  *client,
                                                               const char          *log_group,
                                                               gint64               start_ms,
                                                               gint64               end_ms);
DhCloudWatchClient    *dh_cloudwatch_fetch_get_client         (DhCloudWatchFetch   *self);
const char            *dh_cloudwatch_fetch_get_log_group      (DhCloudWatchFetch   *self);
void                   dh_cloudwatch_fetch_set_follow         (DhCloudWatchFetch   *self,
                                                               gboolean             follow);
void                   dh_cloudwatch_fetch_set_poll_interval  (DhCloudWatchFetch   *self,
                                                               guint                msec);
void                   dh_cloudwatch_fetch_set_lookback       (DhCloudWatchFetch   *self,
                                                               guint                msec);
void                   dh_cloudwatch_fetch_set_slices         (DhCloudWatchFetch   *self,
                                                               guint                n_slices);
void                   dh_cloudwatch_fetch_set_page_limit     (DhCloudWatchFetch   *self,
                                                               guint                limit);
void                   dh_cloudwatch_fetch_set_filter_pattern (DhCloudWatchFetch   *self,
                                                               const char          *pattern);
DhCloudWatchFetchState dh_cloudwatch_fetch_get_state          (DhCloudWatchFetch   *self);
double                 dh_cloudwatch_fetch_get_progress       (DhCloudWatchFetch   *self);
guint64                dh_cloudwatch_fetch_get_n_events       (DhCloudWatchFetch   *self);
guint                  dh_cloudwatch_fetch_get_n_pages        (DhCloudWatchFetch   *self);
gint64                 dh_cloudwatch_fetch_get_newest         (DhCloudWatchFetch   *self);
guint                  dh_cloudwatch_fetch_get_n_remembered   (DhCloudWatchFetch   *self);
void                   dh_cloudwatch_fetch_run_async          (DhCloudWatchFetch   *self,
                                                               GCancellable        *cancellable,
                                                               GAsyncReadyCallback  callback,
                                                               gpointer             user_data);
gboolean               dh_cloudwatch_fetch_run_finish         (DhCloudWatchFetch   *self,
                                                               GAsyncResult        *result,
                                                               GError             **error);

G_END_DECLS
