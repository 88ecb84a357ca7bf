/* dh-cloudwatch-client.h: the CloudWatch Logs API over libsoup
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "dh-aws-credentials.h"

G_BEGIN_DECLS

#define DH_CLOUDWATCH_ERROR (dh_cloudwatch_error_quark ())

typedef enum {
  DH_CLOUDWATCH_ERROR_ACCESS_DENIED,      /* AccessDeniedException */
  DH_CLOUDWATCH_ERROR_EXPIRED_TOKEN,      /* ExpiredTokenException */
  DH_CLOUDWATCH_ERROR_INVALID_SIGNATURE,  /* InvalidSignatureException: wrong secret */
  DH_CLOUDWATCH_ERROR_UNRECOGNIZED_KEY,   /* UnrecognizedClientException: unknown key or token */
  DH_CLOUDWATCH_ERROR_WRONG_REGION,       /* signed for another region */
  DH_CLOUDWATCH_ERROR_CLOCK_SKEW,         /* the request time is too far from AWS's */
  DH_CLOUDWATCH_ERROR_NOT_FOUND,          /* ResourceNotFoundException */
  DH_CLOUDWATCH_ERROR_INVALID_REQUEST,    /* InvalidParameterException and the like */
  DH_CLOUDWATCH_ERROR_THROTTLED,          /* still throttled after every retry */
  DH_CLOUDWATCH_ERROR_SERVER,             /* 5xx after every retry */
  DH_CLOUDWATCH_ERROR_NETWORK,            /* cannot connect, resolve, or the line broke */
  DH_CLOUDWATCH_ERROR_TLS,                /* certificate or handshake */
  DH_CLOUDWATCH_ERROR_PROTOCOL,           /* a reply that is not what the API sends */
} DhCloudWatchError;

/* One log event of a FilterLogEvents page. The strings live as long as the page. */
typedef struct
{
  const char *event_id;
  const char *log_stream;
  const char *message;
  gint64      timestamp;        /* ms since the epoch */
  gint64      ingestion_time;   /* ms since the epoch */
} DhLogEvent;

/* One page of FilterLogEvents, or a batch of events handed on. */
typedef struct _DhLogEventPage DhLogEventPage;

#define DH_TYPE_LOG_EVENT_PAGE (dh_log_event_page_get_type ())

GType             dh_log_event_page_get_type       (void) G_GNUC_CONST;
DhLogEventPage   *dh_log_event_page_new            (void);
DhLogEventPage   *dh_log_event_page_ref            (DhLogEventPage  *page);
void              dh_log_event_page_unref          (DhLogEventPage  *page);
void              dh_log_event_page_add            (DhLogEventPage  *page,
                                                    const DhLogEvent *event);
guint             dh_log_event_page_get_n_events   (DhLogEventPage  *page);
const DhLogEvent *dh_log_event_page_get_event      (DhLogEventPage  *page,
                                                    guint            index);
const char       *dh_log_event_page_get_next_token (DhLogEventPage  *page);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DhLogEventPage, dh_log_event_page_unref)

/* What a FilterLogEvents call asks for. */
typedef struct
{
  const char *log_group;        /* a name, or an ARN (sent as logGroupIdentifier) */
  gint64      start_time;       /* ms, inclusive, or -1 */
  gint64      end_time;         /* ms, inclusive, or -1 */
  const char *filter_pattern;   /* or NULL */
  guint       limit;            /* events per page, or 0 for the service's (10,000) */
} DhLogEventQuery;

typedef struct
{
  char   *name;
  char   *arn;
  gint64  creation_time;        /* ms */
  gint64  stored_bytes;
  gint    retention_days;       /* 0: never expire */
} DhLogGroup;

void dh_log_group_free (DhLogGroup *group);

GHashTable *dh_page_tokens_new (void);
gboolean    dh_page_tokens_add (GHashTable *seen,
                                const char *token);

#define DH_TYPE_CLOUDWATCH_CLIENT (dh_cloudwatch_client_get_type ())

G_DECLARE_FINAL_TYPE (DhCloudWatchClient, dh_cloudwatch_client, DH, CLOUDWATCH_CLIENT, GObject)

GQuark              dh_cloudwatch_error_quark                (void);
DhCloudWatchClient *dh_cloudwatch_client_new                 (DhAwsCredentials    *credentials,
                                                              const char          *region,
                                                              const char          *endpoint_url,
                                                              GError             **error);
const char         *dh_cloudwatch_client_get_region          (DhCloudWatchClient  *self);
const char         *dh_cloudwatch_client_get_endpoint        (DhCloudWatchClient  *self);
DhAwsCredentials   *dh_cloudwatch_client_get_credentials     (DhCloudWatchClient  *self);
void                dh_cloudwatch_client_set_rate_limit      (DhCloudWatchClient  *self,
                                                              double               per_second);
double              dh_cloudwatch_client_get_rate_limit      (DhCloudWatchClient  *self);
void                dh_cloudwatch_client_set_retry_policy    (DhCloudWatchClient  *self,
                                                              guint                max_attempts,
                                                              guint                base_msec,
                                                              guint                cap_msec);
void                dh_cloudwatch_client_set_request_timeout (DhCloudWatchClient  *self,
                                                              guint                msec);
guint               dh_cloudwatch_client_get_request_timeout (DhCloudWatchClient  *self);
guint               dh_cloudwatch_client_get_n_requests      (DhCloudWatchClient  *self);
guint               dh_cloudwatch_client_get_n_retries       (DhCloudWatchClient  *self);
guint               dh_cloudwatch_client_get_n_in_flight     (DhCloudWatchClient  *self);

void                dh_cloudwatch_client_describe_log_groups_async
                                                             (DhCloudWatchClient  *self,
                                                              const char          *prefix,
                                                              guint                max_groups,
                                                              GCancellable        *cancellable,
                                                              GAsyncReadyCallback  callback,
                                                              gpointer             user_data);
GPtrArray          *dh_cloudwatch_client_describe_log_groups_finish
                                                             (DhCloudWatchClient  *self,
                                                              GAsyncResult        *result,
                                                              GError             **error);
void                dh_cloudwatch_client_filter_log_events_async
                                                             (DhCloudWatchClient    *self,
                                                              const DhLogEventQuery *query,
                                                              const char            *next_token,
                                                              GCancellable          *cancellable,
                                                              GAsyncReadyCallback    callback,
                                                              gpointer               user_data);
DhLogEventPage     *dh_cloudwatch_client_filter_log_events_finish
                                                             (DhCloudWatchClient  *self,
                                                              GAsyncResult        *result,
                                                              GError             **error);

G_END_DECLS
