/* dh-cloudwatch-fetch.h: reading a log group's events over a time range, then following it
 *
 * For a window, the whole path is:
 *
 *   creds  = dh_aws_credentials_new (profile_or_NULL, &error);        // dh_aws_list_profiles ()
 *   region = dh_aws_credentials_get_region (creds, region_or_NULL, &error);
 *   client = dh_cloudwatch_client_new (creds, region, NULL, &error);
 *   dh_cloudwatch_client_describe_log_groups_async (client, prefix, 0, ...);   // the picker
 *   fetch  = dh_cloudwatch_fetch_new (client, group, start_ms, -1);
 *   dh_cloudwatch_fetch_set_follow (fetch, TRUE);
 *   g_signal_connect (fetch, "events", ...);         // batches, on the caller's main context
 *   g_signal_connect (fetch, "caught-up", ...);      // range read / a poll done: analyze now
 *   g_signal_connect (fetch, "notify::progress", ...);
 *   dh_cloudwatch_fetch_run_async (fetch, cancellable, done, data);
 *
 * Cancelling ends it; run_finish() then says G_IO_ERROR_CANCELLED and no
 * request is left out. Errors are DH_AWS_CREDENTIALS_ERROR or
 * DH_CLOUDWATCH_ERROR with a message fit to show as it is (no secret in it).
 * The "events" handler runs on the main context: hand the messages to a
 * worker for parsing (dh_reader_add_message()) if the window must stay
 * smooth while tens of thousands of events a second come in.
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
guint                  dh_cloudwatch_fetch_get_lookback       (DhCloudWatchFetch   *self);
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
