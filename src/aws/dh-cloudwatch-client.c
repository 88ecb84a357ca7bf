/* dh-cloudwatch-client.c: the CloudWatch Logs API over libsoup
 *
 * The JSON protocol: `POST /` with `X-Amz-Target: Logs_20140328.<Op>` and a
 * JSON body, signed with SigV4 for the service `logs`. One call is a small
 * state machine on the caller's main context: get the keys (they may come
 * from credential_process), take a token from the account+region rate limit,
 * sign with the time of sending, send, and on throttling, 429, 5xx or a
 * broken connection wait a full-jitter backoff and go round again, signed
 * anew. Reply bodies of FilterLogEvents are parsed in a worker thread, so the
 * next request goes out while the caller still handles the previous page.
 *
 * Nothing in a reply is trusted to be small or quick: a body is read up to a
 * cap, each attempt has a deadline for its whole reply, and a redirect is an
 * error (following one would send the signed request, token and all, to
 * wherever the Location points).
 *
 * Messages name the operation, the endpoint, the log group and where the
 * keys came from; never a key, a token or a signature.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#define G_LOG_DOMAIN "dh-aws"

#include <string.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "dh-cloudwatch-client.h"
#include "dh-http.h"
#include "dh-json.h"
#include "dh-sigv4.h"
#include "dh-token-bucket.h"

#define CONTENT_TYPE          "application/x-amz-json-1.1"
#define TARGET_PREFIX         "Logs_20140328."
#define SERVICE               "logs"
#define DEFAULT_RATE          5.0
#define DEFAULT_MAX_ATTEMPTS  8
#define DEFAULT_BASE_MS       200
#define DEFAULT_CAP_MS        20000
#define NETWORK_MAX_ATTEMPTS  3
#define MAX_AWS_MESSAGE       400
/* CloudWatch Logs pages are at most 1 MB of events; JSON adds some */
#define MAX_REPLY_MIB         8
#define MAX_REPLY_BYTES       (MAX_REPLY_MIB * 1024 * 1024)
#define READ_CHUNK            (64 * 1024)
#define DEFAULT_TIMEOUT_MS    (120 * 1000)

G_DEFINE_QUARK (dh-cloudwatch-error-quark, dh_cloudwatch_error)

/* ---- DhLogEventPage --------------------------------------------------- */

struct _DhLogEventPage
{
  gatomicrefcount  ref_count;
  GArray          *events;
  GStringChunk    *strings;
  char            *next_token;
};

G_DEFINE_BOXED_TYPE (DhLogEventPage, dh_log_event_page, dh_log_event_page_ref,
                     dh_log_event_page_unref)

DhLogEventPage *
dh_log_event_page_new (void)
{
  DhLogEventPage *page = g_new0 (DhLogEventPage, 1);

  g_atomic_ref_count_init (&page->ref_count);
  page->events = g_array_new (FALSE, FALSE, sizeof (DhLogEvent));
  page->strings = g_string_chunk_new (64 * 1024);
  return page;
}

DhLogEventPage *
dh_log_event_page_ref (DhLogEventPage *page)
{
  g_atomic_ref_count_inc (&page->ref_count);
  return page;
}

void
dh_log_event_page_unref (DhLogEventPage *page)
{
  if (page == NULL || !g_atomic_ref_count_dec (&page->ref_count))
    return;
  g_array_unref (page->events);
  g_string_chunk_free (page->strings);
  g_free (page->next_token);
  g_free (page);
}

/**
 * dh_log_event_page_add:
 *
 * Copies @event (its strings too) into @page.
 */
void
dh_log_event_page_add (DhLogEventPage   *page,
                       const DhLogEvent *event)
{
  DhLogEvent copy = *event;

  copy.event_id = g_string_chunk_insert (page->strings, event->event_id ? event->event_id : "");
  copy.log_stream = g_string_chunk_insert (page->strings, event->log_stream ? event->log_stream
                                                                            : "");
  copy.message = g_string_chunk_insert (page->strings, event->message ? event->message : "");
  g_array_append_val (page->events, copy);
}

guint
dh_log_event_page_get_n_events (DhLogEventPage *page)
{
  return page->events->len;
}

const DhLogEvent *
dh_log_event_page_get_event (DhLogEventPage *page,
                             guint           index)
{
  g_return_val_if_fail (index < page->events->len, NULL);
  return &g_array_index (page->events, DhLogEvent, index);
}

/**
 * dh_log_event_page_get_next_token:
 *
 * Returns: (nullable): the token of the next page; %NULL on the last one. A
 *   page may be empty and still have a next one.
 */
const char *
dh_log_event_page_get_next_token (DhLogEventPage *page)
{
  return page->next_token;
}

/**
 * dh_page_tokens_new:
 *
 * A set of the page tokens one paging run was given, for
 * dh_page_tokens_add(). It keeps 64 bits of a digest of each, not the token.
 *
 * Returns: (transfer full): an empty set
 */
GHashTable *
dh_page_tokens_new (void)
{
  return g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
}

/**
 * dh_page_tokens_add:
 * @seen: from dh_page_tokens_new()
 *
 * Remembers @token. A token given before means the pages go round in a
 * circle (A, B, A, ...) and paging on would never end.
 *
 * Returns: %FALSE when @token was given before in this run
 */
gboolean
dh_page_tokens_add (GHashTable *seen,
                    const char *token)
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[32];
  gsize len = sizeof digest;
  gint64 *key = g_new (gint64, 1);

  g_checksum_update (sum, (const guchar *) token, -1);
  g_checksum_get_digest (sum, digest, &len);
  memcpy (key, digest, sizeof *key);
  return g_hash_table_add (seen, key);
}

void
dh_log_group_free (DhLogGroup *group)
{
  if (group == NULL)
    return;
  g_free (group->name);
  g_free (group->arn);
  g_free (group);
}

/* ---- the client ------------------------------------------------------- */

struct _DhCloudWatchClient
{
  GObject           parent_instance;

  DhAwsCredentials *credentials;
  char             *region;
  char             *endpoint;        /* the URL requests go to */
  char             *host;            /* the Host header, signed */
  char             *path;
  gboolean          custom_endpoint;
  GUri             *uri;
  SoupSession      *session;
  double            rate;
  guint             max_attempts;
  guint             base_ms;
  guint             cap_ms;
  guint             request_timeout;  /* ms, for the whole reply of one attempt */
  guint             n_requests;
  guint             n_retries;
  guint             n_in_flight;
};

G_DEFINE_FINAL_TYPE (DhCloudWatchClient, dh_cloudwatch_client, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_N_REQUESTS,
  PROP_N_RETRIES,
  PROP_N_IN_FLIGHT,
  PROP_REQUEST_TIMEOUT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
dh_cloudwatch_client_finalize (GObject *object)
{
  DhCloudWatchClient *self = DH_CLOUDWATCH_CLIENT (object);

  g_clear_object (&self->credentials);
  g_free (self->region);
  g_free (self->endpoint);
  g_free (self->host);
  g_free (self->path);
  g_clear_pointer (&self->uri, g_uri_unref);
  g_clear_object (&self->session);
  G_OBJECT_CLASS (dh_cloudwatch_client_parent_class)->finalize (object);
}

static void
dh_cloudwatch_client_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  DhCloudWatchClient *self = DH_CLOUDWATCH_CLIENT (object);

  switch (prop_id)
    {
    case PROP_N_REQUESTS:
      g_value_set_uint (value, self->n_requests);
      break;
    case PROP_N_RETRIES:
      g_value_set_uint (value, self->n_retries);
      break;
    case PROP_N_IN_FLIGHT:
      g_value_set_uint (value, self->n_in_flight);
      break;
    case PROP_REQUEST_TIMEOUT:
      g_value_set_uint (value, self->request_timeout);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dh_cloudwatch_client_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  DhCloudWatchClient *self = DH_CLOUDWATCH_CLIENT (object);

  switch (prop_id)
    {
    case PROP_REQUEST_TIMEOUT:
      dh_cloudwatch_client_set_request_timeout (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dh_cloudwatch_client_class_init (DhCloudWatchClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = dh_cloudwatch_client_finalize;
  object_class->get_property = dh_cloudwatch_client_get_property;
  object_class->set_property = dh_cloudwatch_client_set_property;

  /**
   * DhCloudWatchClient:n-requests:
   *
   * HTTP requests sent so far, retries included.
   */
  properties[PROP_N_REQUESTS] =
    g_param_spec_uint ("n-requests", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * DhCloudWatchClient:n-retries:
   *
   * Requests sent again after throttling, a server error or a broken line.
   */
  properties[PROP_N_RETRIES] =
    g_param_spec_uint ("n-retries", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * DhCloudWatchClient:n-in-flight:
   *
   * Requests sent and not yet answered.
   */
  properties[PROP_N_IN_FLIGHT] =
    g_param_spec_uint ("n-in-flight", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * DhCloudWatchClient:request-timeout:
   *
   * How long one attempt may take, from sending to the last byte of the
   * reply, in milliseconds. A timed-out attempt is retried like a broken line.
   */
  properties[PROP_REQUEST_TIMEOUT] =
    g_param_spec_uint ("request-timeout", NULL, NULL, 1, G_MAXUINT, DEFAULT_TIMEOUT_MS,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
dh_cloudwatch_client_init (DhCloudWatchClient *self)
{
  self->rate = DEFAULT_RATE;
  self->max_attempts = DEFAULT_MAX_ATTEMPTS;
  self->base_ms = DEFAULT_BASE_MS;
  self->cap_ms = DEFAULT_CAP_MS;
  self->request_timeout = DEFAULT_TIMEOUT_MS;
}

/**
 * dh_cloudwatch_client_new:
 * @credentials: where the keys come from
 * @region: the region (see dh_aws_credentials_get_region())
 * @endpoint_url: (nullable): another endpoint (`--endpoint-url`), or %NULL for
 *   `https://logs.<region>.amazonaws.com`
 *
 * The session takes its proxy from the system (libsoup's default resolver:
 * GNOME's settings or the `https_proxy` / `no_proxy` variables).
 *
 * Returns: (transfer full): the client, or %NULL when @endpoint_url is not an
 *   http(s) URL or @region not a region name
 */
DhCloudWatchClient *
dh_cloudwatch_client_new (DhAwsCredentials  *credentials,
                          const char        *region,
                          const char        *endpoint_url,
                          GError           **error)
{
  g_autoptr(DhCloudWatchClient) self = NULL;
  g_autoptr(GUri) uri = NULL;
  const char *scheme, *host;
  int port;

  g_return_val_if_fail (DH_IS_AWS_CREDENTIALS (credentials), NULL);

  if (!dh_aws_region_is_valid (region))
    {
      g_set_error (error, DH_CLOUDWATCH_ERROR, DH_CLOUDWATCH_ERROR_INVALID_REQUEST,
                   _("“%s” is not an AWS region name such as us-east-1"), region ? region : "");
      return NULL;
    }

  self = g_object_new (DH_TYPE_CLOUDWATCH_CLIENT, NULL);
  self->credentials = g_object_ref (credentials);
  self->region = g_strdup (region);
  self->custom_endpoint = endpoint_url != NULL;
  if (endpoint_url == NULL)
    self->endpoint = g_strdup_printf ("https://logs.%s.amazonaws.com%s/", region,
                                      g_str_has_prefix (region, "cn-") ? ".cn" : "");
  else
    self->endpoint = g_strdup (endpoint_url);

  uri = g_uri_parse (self->endpoint, G_URI_FLAGS_ENCODED_PATH, NULL);
  scheme = uri ? g_uri_get_scheme (uri) : NULL;
  host = uri ? g_uri_get_host (uri) : NULL;
  if (uri == NULL || host == NULL || *host == '\0' ||
      (g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0))
    {
      g_set_error (error, DH_CLOUDWATCH_ERROR, DH_CLOUDWATCH_ERROR_INVALID_REQUEST,
                   _("--endpoint-url=%s is not an http:// or https:// URL"), self->endpoint);
      return NULL;
    }

  port = g_uri_get_port (uri);
  if (port == -1 || (port == 443 && g_ascii_strcasecmp (scheme, "https") == 0) ||
      (port == 80 && g_ascii_strcasecmp (scheme, "http") == 0))
    self->host = strchr (host, ':') ? g_strdup_printf ("[%s]", host) : g_strdup (host);
  else
    self->host = strchr (host, ':') ? g_strdup_printf ("[%s]:%d", host, port)
                                    : g_strdup_printf ("%s:%d", host, port);
  self->path = g_strdup (*g_uri_get_path (uri) ? g_uri_get_path (uri) : "/");
  /* an empty path would go out as an empty request target */
  self->uri = g_uri_build (G_URI_FLAGS_ENCODED_PATH, scheme, NULL, host, port, self->path,
                           NULL, NULL);

  /* FilterLogEvents is fetched in concurrent time slices: let them have a
   * connection each instead of libsoup's default two per host. */
  self->session = dh_http_session_new (16, 60);
  return g_steal_pointer (&self);
}

const char *
dh_cloudwatch_client_get_region (DhCloudWatchClient *self)
{
  g_return_val_if_fail (DH_IS_CLOUDWATCH_CLIENT (self), NULL);
  return self->region;
}

const char *
dh_cloudwatch_client_get_endpoint (DhCloudWatchClient *self)
{
  g_return_val_if_fail (DH_IS_CLOUDWATCH_CLIENT (self), NULL);
  return self->endpoint;
}

/**
 * dh_cloudwatch_client_get_credentials:
 *
 * Returns: (transfer none): where the keys come from
 */
DhAwsCredentials *
dh_cloudwatch_client_get_credentials (DhCloudWatchClient *self)
{
  g_return_val_if_fail (DH_IS_CLOUDWATCH_CLIENT (self), NULL);
  return self->credentials;
}

/**
 * dh_cloudwatch_client_set_rate_limit:
 * @per_second: requests per second for each operation, or 0 for no limit
 *
 * Clients with the same keys, region and limit share one token bucket. The
 * default, 5, is CloudWatch Logs' FilterLogEvents quota.
 */
void
dh_cloudwatch_client_set_rate_limit (DhCloudWatchClient *self,
                                     double              per_second)
{
  g_return_if_fail (DH_IS_CLOUDWATCH_CLIENT (self));
  self->rate = MAX (0.0, per_second);
}

double
dh_cloudwatch_client_get_rate_limit (DhCloudWatchClient *self)
{
  g_return_val_if_fail (DH_IS_CLOUDWATCH_CLIENT (self), 0);
  return self->rate;
}

/**
 * dh_cloudwatch_client_set_retry_policy:
 * @max_attempts: tries per call, the first one included (at least 1)
 * @base_msec: the backoff before the first retry, at most
 * @cap_msec: the longest backoff
 *
 * Retries wait a random time between 0 and min(@cap_msec, @base_msec × 2ⁿ)
 * ("full jitter").
 */
void
dh_cloudwatch_client_set_retry_policy (DhCloudWatchClient *self,
                                       guint               max_attempts,
                                       guint               base_msec,
                                       guint               cap_msec)
{
  g_return_if_fail (DH_IS_CLOUDWATCH_CLIENT (self));
  self->max_attempts = MAX (1, max_attempts);
  self->base_ms = base_msec;
  self->cap_ms = MAX (base_msec, cap_msec);
}

/**
 * dh_cloudwatch_client_set_request_timeout:
 * @msec: how long one attempt may take, reply body included
 *
 * The deadline of every attempt, however slowly the reply trickles in (the
 * session's own timeout only bounds each wait for data). Two minutes unless
 * set.
 */
void
dh_cloudwatch_client_set_request_timeout (DhCloudWatchClient *self,
                                          guint               msec)
{
  g_return_if_fail (DH_IS_CLOUDWATCH_CLIENT (self));
  msec = MAX (1, msec);
  if (self->request_timeout == msec)
    return;
  self->request_timeout = msec;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REQUEST_TIMEOUT]);
}

guint
dh_cloudwatch_client_get_request_timeout (DhCloudWatchClient *self)
{
  g_return_val_if_fail (DH_IS_CLOUDWATCH_CLIENT (self), 0);
  return self->request_timeout;
}

guint
dh_cloudwatch_client_get_n_requests (DhCloudWatchClient *self)
{
  return self->n_requests;
}

guint
dh_cloudwatch_client_get_n_retries (DhCloudWatchClient *self)
{
  return self->n_retries;
}

guint
dh_cloudwatch_client_get_n_in_flight (DhCloudWatchClient *self)
{
  return self->n_in_flight;
}

static void
set_in_flight (DhCloudWatchClient *self,
               int                 delta)
{
  self->n_in_flight += delta;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_IN_FLIGHT]);
}

/* ---- one call, with its retries ---------------------------------------- */

typedef struct
{
  char          *op;
  GBytes        *body;
  char          *resource;        /* the log group, for messages */
  guint          attempt;         /* 1 for the first try */
  gboolean       refreshed;       /* keys fetched again after ExpiredToken */
  DhAwsKeys     *keys;
  DhTokenBucket *bucket;
  gboolean       holds_token;     /* reserved and not yet sent */
  SoupMessage   *msg;
  GSource       *wait;
  /* the attempt on the line */
  gboolean       in_flight;
  GCancellable  *attempt_cancellable;  /* cancelled by the caller's or the deadline */
  GSource       *caller_cancelled;
  GSource       *deadline;
  gboolean       timed_out;
  GInputStream  *stream;
  GByteArray    *reply;
  guint8        *chunk;
} Call;

static void
call_drop_attempt (Call *call)
{
  if (call->deadline)
    {
      g_source_destroy (call->deadline);
      g_clear_pointer (&call->deadline, g_source_unref);
    }
  if (call->caller_cancelled)
    {
      g_source_destroy (call->caller_cancelled);
      g_clear_pointer (&call->caller_cancelled, g_source_unref);
    }
  g_clear_object (&call->stream);   /* an unread rest closes the connection */
  g_clear_object (&call->attempt_cancellable);
  g_clear_pointer (&call->reply, g_byte_array_unref);
  g_clear_pointer (&call->chunk, g_free);
}

static void
call_free (Call *call)
{
  g_free (call->op);
  g_bytes_unref (call->body);
  g_free (call->resource);
  g_clear_pointer (&call->keys, dh_aws_keys_unref);
  if (call->bucket && call->holds_token)
    dh_token_bucket_refund (call->bucket);
  g_clear_pointer (&call->bucket, dh_token_bucket_unref);
  call_drop_attempt (call);
  g_clear_object (&call->msg);
  if (call->wait)
    {
      g_source_destroy (call->wait);
      g_source_unref (call->wait);
    }
  g_free (call);
}

static void call_get_keys (GTask *task);
static void call_send     (GTask *task);

typedef void (*CallStep) (GTask *task);

static gboolean
call_wait_done (gpointer data)
{
  GTask *task = data;
  Call *call = g_task_get_task_data (task);
  CallStep next = g_object_get_data (G_OBJECT (task), "dh-next-step");

  g_clear_pointer (&call->wait, g_source_unref);
  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (task);
      return G_SOURCE_REMOVE;
    }
  next (task);
  g_object_unref (task);
  return G_SOURCE_REMOVE;
}

/* Runs @next after @usec, or returns G_IO_ERROR_CANCELLED at once when the
 * task's cancellable fires meanwhile. */
static void
call_wait (GTask   *task,
           gint64   usec,
           CallStep next)
{
  Call *call = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  if (usec <= 0)
    {
      next (task);
      return;
    }
  g_object_set_data (G_OBJECT (task), "dh-next-step", next);
  call->wait = g_timeout_source_new (MAX (1, (guint) (usec / 1000)));
  if (cancellable)
    {
      GSource *cancel = g_cancellable_source_new (cancellable);
      g_source_set_dummy_callback (cancel);
      g_source_add_child_source (call->wait, cancel);
      g_source_unref (cancel);
    }
  g_source_set_callback (call->wait, call_wait_done, g_object_ref (task), NULL);
  g_source_attach (call->wait, g_task_get_context (task));
}

static char *
clean_aws_text (const char *text)
{
  g_autofree char *valid = NULL;
  GString *s;

  if (text == NULL)
    return g_strdup ("");
  valid = g_utf8_make_valid (text, -1);
  s = g_string_new (NULL);
  for (const char *p = valid; *p && s->len < MAX_AWS_MESSAGE; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0))
        g_string_append_c (s, ' ');
      else
        g_string_append_unichar (s, c);
    }
  g_strstrip (s->str);
  return g_string_free (s, FALSE);
}

/* The short name of an AWS error type: "com.amazonaws.logs#ThrottlingException"
 * and "ThrottlingException:http://..." are both "ThrottlingException". */
static char *
short_error_type (const char *type)
{
  g_autofree char *copy = NULL;
  char *colon, *name;

  if (type == NULL || *type == '\0')
    return NULL;
  copy = g_strdup (type);
  if ((colon = strchr (copy, ':')))
    *colon = '\0';
  name = strrchr (copy, '#');
  name = g_strstrip (name ? name + 1 : copy);
  return *name ? g_strdup (name) : NULL;
}

static gboolean
is_throttling (const char *type)
{
  static const char *names[] = {
    "ThrottlingException", "Throttling", "ThrottledException", "LimitExceededException",
    "TooManyRequestsException", "RequestLimitExceeded", "RequestThrottled",
    "RequestThrottledException", "ProvisionedThroughputExceededException",
    "SlowDown", "BandwidthLimitExceeded", "EC2ThrottledException", NULL,
  };

  return type && g_strv_contains (names, type);
}

static const char *
keys_source (Call *call)
{
  return call->keys ? dh_aws_keys_get_source (call->keys) : _("the configured credentials");
}

/* An AWS error reply as a GError the user can act on. */
static GError *
aws_error (DhCloudWatchClient *self,
           Call               *call,
           guint               status,
           const char         *type,
           const char         *aws_message)
{
  g_autofree char *msg = clean_aws_text (aws_message);
  const char *group = call->resource ? call->resource : "";

  if (type == NULL)
    return g_error_new (DH_CLOUDWATCH_ERROR,
                        status >= 500 ? DH_CLOUDWATCH_ERROR_SERVER
                                      : DH_CLOUDWATCH_ERROR_PROTOCOL,
                        _("%s answered %s with HTTP %u %s and no AWS error: is "
                          "%s a CloudWatch Logs endpoint?"),
                        self->host, call->op, status,
                        soup_status_get_phrase (status) ? soup_status_get_phrase (status) : "",
                        self->endpoint);

  if (g_str_equal (type, "ExpiredTokenException") || g_str_equal (type, "ExpiredToken") ||
      g_str_equal (type, "RequestExpired") || g_str_equal (type, "TokenRefreshRequired"))
    return g_error_new (DH_CLOUDWATCH_ERROR, DH_CLOUDWATCH_ERROR_EXPIRED_TOKEN,
                        _("The AWS session token has expired (%s, credentials from %s): get "
                          "fresh credentials (aws sso login, or a new AWS_SESSION_TOKEN) and "
                          "try again"), type, keys_source (call));
  if (g_str_equal (type, "AccessDeniedException") || g_str_equal (type, "AccessDenied"))
    return g_error_new (DH_CLOUDWATCH_ERROR, DH_CLOUDWATCH_ERROR_ACCESS_DENIED,
                        _("Access denied (%s): %s — the credentials from %s need "
                          "logs:%s%s%s"), type, msg, keys_source (call), call->op,
                        *group ? _(" on log group ") : "", group);
  if (g_str_equal (type, "UnrecognizedClientException") ||
      g_str_equal (type, "InvalidClientTokenId"))
    return g_error_new (DH_CLOUDWATCH_ERROR, DH_CLOUDWATCH_ERROR_UNRECOGNIZED_KEY,
                        _("AWS does not know the access key ID or session token from %s "
                          "(%s): they may be deleted, mistyped, or for another AWS "
                          "partition"), keys_source (call), type);
  if (g_str_equal (type, "InvalidSignatureException") ||
      g_str_equal (type, "SignatureDoesNotMatch") || g_str_equal (type, "IncompleteSignature"))
    {
      if (strstr (msg, "scoped to a valid region") || strstr (msg, "scoped to correct region"))
        return g_error_new (DH_CLOUDWATCH_ERROR, DH_CLOUDWATCH_ERROR_WRONG_REGION,
                            _("%s does not serve region %s (%s: %s): pass the endpoint's "
                              "region with --region, or leave out --endpoint-url"),
                            self->host, self->region, type, msg);
      if (strstr (msg, "Signature expired") || strstr (msg, "not yet current"))
        return g_error_new (DH_CLOUDWATCH_ERROR, DH_CLOUDWATCH_ERROR_CLOCK_SKEW,
                            _("AWS refused the request time (%s: %s): this computer's clock "
                              "is more than 5 minutes off; set it right"), type, msg);
      return g_error_new (DH_CLOUDWATCH_ERROR, DH_CLOUDWATCH_ERROR_INVALID_SIGNATURE,
                          _("AWS rejected the request signature (%s): the secret access key "
                            "from %s does not belong to its access key ID"),
                          type, keys_source (call));
    }
  if (g_str_equal (type, "ResourceNotFoundException"))
    return g_error_new (DH_CLOUDWATCH_ERROR, DH_CLOUDWATCH_ERROR_NOT_FOUND,
                        _("The log group “%s” does not exist in region %s (%s): check the "
                          "name, --region and --profile"), group, self->region, type);
  if (is_throttling (type))
    return g_error_new (DH_CLOUDWATCH_ERROR, DH_CLOUDWATCH_ERROR_THROTTLED,
                        _("CloudWatch Logs is still throttling %s after %u attempts (%s): "
                          "wait and try again, or ask AWS for a higher quota"),
                        call->op, call->attempt, type);
  if (status >= 500)
    return g_error_new (DH_CLOUDWATCH_ERROR, DH_CLOUDWATCH_ERROR_SERVER,
                        _("CloudWatch Logs failed %s %u times (HTTP %u %s: %s): try again "
                          "later"), call->op, call->attempt, status, type, msg);
  return g_error_new (DH_CLOUDWATCH_ERROR, DH_CLOUDWATCH_ERROR_INVALID_REQUEST,
                      _("CloudWatch Logs refused %s (%s: %s)"), call->op, type, msg);
}

/* A failure below HTTP as a GError; *retry says whether it may pass. */
static GError *
transport_error (DhCloudWatchClient *self,
                 const GError       *error,
                 gboolean           *retry)
{
  *retry = FALSE;
  if (error->domain == G_TLS_ERROR)
    return g_error_new (DH_CLOUDWATCH_ERROR, DH_CLOUDWATCH_ERROR_TLS,
                        error->code == G_TLS_ERROR_UNAVAILABLE
                          ? _("No TLS support to reach %s: install glib-networking (%s)")
                          : _("TLS failed with %s: %s (a proxy that inspects TLS, or a wrong "
                              "clock?)"),
                        self->host, error->message);
  if (error->domain == G_RESOLVER_ERROR)
    {
      *retry = error->code == G_RESOLVER_ERROR_TEMPORARY_FAILURE;
      if (!self->custom_endpoint)
        return g_error_new (DH_CLOUDWATCH_ERROR, DH_CLOUDWATCH_ERROR_NETWORK,
                            _("Cannot find %s (%s): is the network up, and is “%s” an AWS "
                              "region?"), self->host, error->message, self->region);
      return g_error_new (DH_CLOUDWATCH_ERROR, DH_CLOUDWATCH_ERROR_NETWORK,
                          _("Cannot find %s (%s): is the network up?"), self->host,
                          error->message);
    }
  if (error->domain == G_IO_ERROR)
    {
      switch (error->code)
        {
        case G_IO_ERROR_PROXY_FAILED:
        case G_IO_ERROR_PROXY_AUTH_FAILED:
        case G_IO_ERROR_PROXY_NEED_AUTH:
        case G_IO_ERROR_PROXY_NOT_ALLOWED:
          return g_error_new (DH_CLOUDWATCH_ERROR, DH_CLOUDWATCH_ERROR_NETWORK,
                              _("The proxy refused the way to %s: %s"), self->host,
                              error->message);
        case G_IO_ERROR_CONNECTION_REFUSED:
        case G_IO_ERROR_HOST_UNREACHABLE:
        case G_IO_ERROR_NETWORK_UNREACHABLE:
        case G_IO_ERROR_TIMED_OUT:
        case G_IO_ERROR_CONNECTION_CLOSED:
        case G_IO_ERROR_PARTIAL_INPUT:
        case G_IO_ERROR_HOST_NOT_FOUND:
          *retry = TRUE;
          break;
        default:
          break;
        }
      return g_error_new (DH_CLOUDWATCH_ERROR, DH_CLOUDWATCH_ERROR_NETWORK,
                          _("Cannot reach %s: %s"), self->host, error->message);
    }
  *retry = TRUE;
  return g_error_new (DH_CLOUDWATCH_ERROR, DH_CLOUDWATCH_ERROR_NETWORK,
                      _("Talking to %s failed: %s"), self->host, error->message);
}

static gint64
backoff_usec (DhCloudWatchClient *self,
              guint               attempt)
{
  double ceiling = MIN ((double) self->cap_ms, self->base_ms * (double) (1u << MIN (attempt, 20)));

  return (gint64) (g_random_double () * ceiling * 1000.0);
}

/* Goes round again, or gives up with @error. Takes @error. */
static void
call_retry_or_fail (GTask    *task,
                    GError   *error,
                    gboolean  retry,
                    guint     max_attempts)
{
  DhCloudWatchClient *self = g_task_get_source_object (task);
  Call *call = g_task_get_task_data (task);
  gint64 delay;

  if (!retry || call->attempt >= max_attempts)
    {
      g_task_return_error (task, error);
      return;
    }
  g_debug ("%s: attempt %u failed, retrying: %s", call->op, call->attempt, error->message);
  g_error_free (error);
  self->n_retries++;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_RETRIES]);
  delay = backoff_usec (self, call->attempt - 1);
  call->attempt++;
  call_wait (task, delay, call_get_keys);
}

/* Ends the attempt on the line: its deadline, its stream, its count. */
static void
call_end_attempt (DhCloudWatchClient *self,
                  Call               *call)
{
  call_drop_attempt (call);
  if (call->in_flight)
    {
      call->in_flight = FALSE;
      set_in_flight (self, -1);
    }
}

/* The attempt broke below HTTP, ran out of time or was cancelled. Takes
 * @error. */
static void
call_attempt_failed (GTask  *task,
                     GError *error)
{
  DhCloudWatchClient *self = g_task_get_source_object (task);
  Call *call = g_task_get_task_data (task);
  gboolean timed_out = call->timed_out;
  gboolean retry;
  GError *mapped;

  call_end_attempt (self, call);
  if (timed_out)
    {
      /* a reply that trickles in: as good as a broken line */
      mapped = g_error_new (DH_CLOUDWATCH_ERROR, DH_CLOUDWATCH_ERROR_NETWORK,
                            _("%s to %s timed out after %u s without a whole reply (tried %u "
                              "times)"), call->op, self->host,
                            (self->request_timeout + 999) / 1000, call->attempt);
      retry = TRUE;
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, error);
      return;
    }
  else
    mapped = transport_error (self, error, &retry);
  g_debug ("%s: %s", call->op, error->message);
  g_error_free (error);
  call_retry_or_fail (task, mapped, retry, MIN (self->max_attempts, NETWORK_MAX_ATTEMPTS));
}

/* Where a redirect points, host and port only: the rest of a Location may
 * carry what the request did (a token, a signature). */
static char *
location_host (SoupMessage *msg)
{
  const char *location = soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                       "Location");
  g_autoptr(GUri) uri = NULL;
  g_autofree char *text = NULL;
  const char *host;
  int port;

  if (location == NULL)
    return NULL;
  uri = g_uri_parse_relative (soup_message_get_uri (msg), location, G_URI_FLAGS_NONE, NULL);
  host = uri ? g_uri_get_host (uri) : NULL;
  if (host == NULL || *host == '\0')
    return NULL;
  port = g_uri_get_port (uri);
  if (strchr (host, ':'))
    text = port > 0 ? g_strdup_printf ("[%s]:%d", host, port) : g_strdup_printf ("[%s]", host);
  else
    text = port > 0 ? g_strdup_printf ("%s:%d", host, port) : g_strdup (host);
  return clean_aws_text (text);
}

static GError *
redirect_error (DhCloudWatchClient *self,
                Call               *call,
                guint               status)
{
  g_autofree char *where = location_host (call->msg);
  const char *phrase = soup_status_get_phrase (status);
  g_autofree char *code = phrase ? g_strdup_printf ("%u %s", status, phrase)
                                 : g_strdup_printf ("%u", status);

  return g_error_new (DH_CLOUDWATCH_ERROR, DH_CLOUDWATCH_ERROR_PROTOCOL,
                      _("%s answered %s with a redirect (HTTP %s) to %s, which DNS Hunt does "
                        "not follow with signed requests: is %s the CloudWatch Logs endpoint of "
                        "region %s?"),
                      self->host, call->op, code, where ? where : _("no named place"),
                      self->endpoint, self->region);
}

static GError *
too_large_error (DhCloudWatchClient *self,
                 Call               *call)
{
  return g_error_new (DH_CLOUDWATCH_ERROR, DH_CLOUDWATCH_ERROR_PROTOCOL,
                      _("The reply from %s to %s is too large (more than %u MiB), where "
                        "CloudWatch Logs sends at most 1 MB: is %s a CloudWatch Logs endpoint?"),
                      self->host, call->op, MAX_REPLY_MIB, self->endpoint);
}

static void call_got_response (GTask  *task,
                               GBytes *reply);

static void call_read_more (GTask *task);

static void
call_read_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DhCloudWatchClient *self = g_task_get_source_object (task);
  Call *call = g_task_get_task_data (task);
  GError *error = NULL;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);

  if (n < 0)
    {
      call_attempt_failed (task, error);
      return;
    }
  if (n == 0)
    {
      GBytes *body = g_byte_array_free_to_bytes (g_steal_pointer (&call->reply));

      call_end_attempt (self, call);
      call_got_response (task, body);
      return;
    }
  if (call->reply->len + (gsize) n > MAX_REPLY_BYTES)
    {
      g_debug ("%s: the reply passed %u MiB; not reading on", call->op, MAX_REPLY_MIB);
      call_end_attempt (self, call);
      g_task_return_error (task, too_large_error (self, call));
      return;
    }
  g_byte_array_append (call->reply, call->chunk, (guint) n);
  call_read_more (task);
}

static void
call_read_more (GTask *task)
{
  Call *call = g_task_get_task_data (task);

  g_input_stream_read_async (call->stream, call->chunk, READ_CHUNK, G_PRIORITY_DEFAULT,
                             call->attempt_cancellable, call_read_done, g_object_ref (task));
}

static void
call_got_headers (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DhCloudWatchClient *self = g_task_get_source_object (task);
  Call *call = g_task_get_task_data (task);
  SoupMessageHeaders *headers;
  GError *error = NULL;
  guint status;

  call->stream = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  if (call->stream == NULL)
    {
      call_attempt_failed (task, error);
      return;
    }
  status = soup_message_get_status (call->msg);
  headers = soup_message_get_response_headers (call->msg);
  if (SOUP_STATUS_IS_REDIRECTION (status))
    {
      g_debug ("%s: HTTP %u, a redirect (attempt %u)", call->op, status, call->attempt);
      call_end_attempt (self, call);
      g_task_return_error (task, redirect_error (self, call, status));
      return;
    }
  /* a length past the cap need not be read to be refused */
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
      soup_message_headers_get_content_length (headers) > MAX_REPLY_BYTES)
    {
      g_debug ("%s: HTTP %u with a body over %u MiB", call->op, status, MAX_REPLY_MIB);
      call_end_attempt (self, call);
      g_task_return_error (task, too_large_error (self, call));
      return;
    }
  call->reply = g_byte_array_new ();
  call->chunk = g_malloc (READ_CHUNK);
  call_read_more (task);
}

/* The whole reply is in: the answer, or an AWS error. Takes @reply. */
static void
call_got_response (GTask  *task,
                   GBytes *reply)
{
  DhCloudWatchClient *self = g_task_get_source_object (task);
  Call *call = g_task_get_task_data (task);
  g_autoptr(GBytes) body = reply;
  g_autoptr(JsonParser) parser = NULL;
  g_autofree char *type = NULL;
  const char *aws_message = NULL;
  JsonNode *root;
  guint status;
  GError *mapped;

  status = soup_message_get_status (call->msg);
  g_debug ("%s: HTTP %u, %zu bytes (attempt %u)", call->op, status, g_bytes_get_size (body),
           call->attempt);
  if (status == SOUP_STATUS_OK)
    {
      g_task_return_pointer (task, g_steal_pointer (&body), (GDestroyNotify) g_bytes_unref);
      return;
    }

  /* An AWS error: {"__type": "...", "message": "..."} (or the type in a header) */
  parser = json_parser_new_immutable ();
  if (g_bytes_get_size (body) > 0 &&
      dh_json_parser_load_bounded (parser, g_bytes_get_data (body, NULL),
                                   g_bytes_get_size (body), NULL) &&
      (root = json_parser_get_root (parser)) && JSON_NODE_HOLDS_OBJECT (root))
    {
      JsonObject *obj = json_node_get_object (root);
      type = short_error_type (json_object_get_string_member_with_default (obj, "__type",
                                                                           NULL));
      aws_message = json_object_get_string_member_with_default (obj, "message", NULL);
      if (aws_message == NULL)
        aws_message = json_object_get_string_member_with_default (obj, "Message", NULL);
    }
  if (type == NULL)
    type = short_error_type (soup_message_headers_get_one (
      soup_message_get_response_headers (call->msg), "x-amzn-ErrorType"));
  g_debug ("%s: AWS error %s", call->op, type ? type : "(none)");

  if (type && (g_str_equal (type, "ExpiredTokenException") || g_str_equal (type, "ExpiredToken"))
      && !call->refreshed && dh_aws_credentials_can_refresh (self->credentials))
    {
      /* credential_process may have newer keys: ask once more */
      call->refreshed = TRUE;
      dh_aws_credentials_invalidate (self->credentials, call->keys);
      call_get_keys (task);
      return;
    }

  mapped = aws_error (self, call, status, type, aws_message);
  call_retry_or_fail (task, mapped,
                      status == 429 || status >= 500 || is_throttling (type),
                      self->max_attempts);
}

static gboolean
call_deadline_hit (gpointer data)
{
  Call *call = data;
  g_autoptr(GCancellable) cancellable = g_object_ref (call->attempt_cancellable);

  call->timed_out = TRUE;
  g_clear_pointer (&call->deadline, g_source_unref);
  g_cancellable_cancel (cancellable);
  return G_SOURCE_REMOVE;
}

/* The caller's cancel reaches the attempt from the main loop, never from
 * within the cancel itself (where libsoup may finish the attempt at once). */
static gboolean
call_caller_cancelled (GCancellable *caller,
                       gpointer      data)
{
  Call *call = data;
  g_autoptr(GCancellable) cancellable = g_object_ref (call->attempt_cancellable);

  g_clear_pointer (&call->caller_cancelled, g_source_unref);
  g_cancellable_cancel (cancellable);
  return G_SOURCE_REMOVE;
}

static void
call_send (GTask *task)
{
  DhCloudWatchClient *self = g_task_get_source_object (task);
  Call *call = g_task_get_task_data (task);
  g_autofree char *target = g_strconcat (TARGET_PREFIX, call->op, NULL);
  const char *token = dh_aws_keys_get_session_token (call->keys);
  char date[DH_SIGV4_DATE_SIZE];
  DhSigv4Header headers[5] = {
    { "Content-Type", CONTENT_TYPE },
    { "Host", self->host },
    { "X-Amz-Date", date },
    { "X-Amz-Target", target },
    { "X-Amz-Security-Token", token },
  };
  DhSigv4Request request = { "POST", self->path, NULL, headers, token ? 5 : 4,
                             g_bytes_get_data (call->body, NULL),
                             g_bytes_get_size (call->body) };
  DhSigv4Params params = { dh_aws_keys_get_access_key_id (call->keys),
                           dh_aws_keys_get_secret_access_key (call->keys),
                           self->region, SERVICE, date };
  g_auto(DhSigv4Result) signature = { 0 };
  SoupMessageHeaders *h;

  call->holds_token = FALSE;
  g_clear_object (&call->msg);
  call->msg = soup_message_new_from_uri ("POST", self->uri);
  /* a redirect would carry the token (and a POST as GET) to another host */
  soup_message_add_flags (call->msg, SOUP_MESSAGE_NO_REDIRECT);
  h = soup_message_get_request_headers (call->msg);

  /* Signed with the time of this very attempt: a retry is a new signature. */
  dh_sigv4_format_date (g_get_real_time (), date);
  dh_sigv4_sign (&request, &params, &signature);

  soup_message_set_request_body_from_bytes (call->msg, CONTENT_TYPE, call->body);
  soup_message_headers_replace (h, "Host", self->host);
  soup_message_headers_replace (h, "X-Amz-Date", date);
  soup_message_headers_replace (h, "X-Amz-Target", target);
  if (token)
    soup_message_headers_replace (h, "X-Amz-Security-Token", token);
  soup_message_headers_replace (h, "Authorization", signature.authorization);

  self->n_requests++;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_REQUESTS]);

  /* one deadline for the whole attempt, however slowly the reply trickles */
  call_drop_attempt (call);
  call->timed_out = FALSE;
  call->attempt_cancellable = g_cancellable_new ();
  call->deadline = g_timeout_source_new (self->request_timeout);
  g_source_set_callback (call->deadline, call_deadline_hit, call, NULL);
  g_source_attach (call->deadline, g_task_get_context (task));
  if (g_task_get_cancellable (task))
    {
      call->caller_cancelled = g_cancellable_source_new (g_task_get_cancellable (task));
      g_source_set_callback (call->caller_cancelled, G_SOURCE_FUNC (call_caller_cancelled), call,
                             NULL);
      g_source_attach (call->caller_cancelled, g_task_get_context (task));
    }
  call->in_flight = TRUE;
  set_in_flight (self, +1);
  soup_session_send_async (self->session, call->msg, G_PRIORITY_DEFAULT,
                           call->attempt_cancellable, call_got_headers, g_object_ref (task));
}

static void
call_got_keys (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DhCloudWatchClient *self = g_task_get_source_object (task);
  Call *call = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;

  g_clear_pointer (&call->keys, dh_aws_keys_unref);
  call->keys = dh_aws_credentials_get_keys_finish (DH_AWS_CREDENTIALS (source), result, &error);
  if (call->keys == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (g_task_return_error_if_cancelled (task))
    return;

  /* one limit per account (an access key belongs to one) and region */
  if (call->bucket == NULL)
    {
      key = g_strdup_printf ("%s/%s/%s/%g", dh_aws_keys_get_access_key_id (call->keys),
                             self->region, call->op, self->rate);
      call->bucket = dh_token_bucket_get_shared (key, self->rate, self->rate);
    }
  call->holds_token = TRUE;
  call_wait (task, dh_token_bucket_reserve (call->bucket, g_get_monotonic_time ()), call_send);
}

static void
call_get_keys (GTask *task)
{
  DhCloudWatchClient *self = g_task_get_source_object (task);

  dh_aws_credentials_get_keys_async (self->credentials, g_task_get_cancellable (task),
                                     call_got_keys, g_object_ref (task));
}

/* Sends @op with @body (JSON); the result is the reply body (GBytes). */
static void
call_async (DhCloudWatchClient  *self,
            const char          *op,
            GBytes              *body,
            const char          *resource,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  Call *call = g_new0 (Call, 1);

  call->op = g_strdup (op);
  call->body = g_bytes_ref (body);
  call->resource = g_strdup (resource);
  call->attempt = 1;
  g_task_set_task_data (task, call, (GDestroyNotify) call_free);
  g_task_set_source_tag (task, call_async);
  call_get_keys (task);
}

static GBytes *
call_finish (DhCloudWatchClient  *self,
             GAsyncResult        *result,
             GError             **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static GBytes *
json_body (JsonBuilder *b)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (b);
  gsize len = 0;
  char *text;

  json_generator_set_root (gen, root);
  text = json_generator_to_data (gen, &len);
  return g_bytes_new_take (text, len);
}

static JsonObject *
parse_object (GBytes      *body,
              JsonParser  *parser,
              const char  *op,
              GError     **error)
{
  JsonNode *root;

  if (g_bytes_get_size (body) == 0 ||
      !dh_json_parser_load_bounded (parser, g_bytes_get_data (body, NULL),
                                    g_bytes_get_size (body), NULL) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, DH_CLOUDWATCH_ERROR, DH_CLOUDWATCH_ERROR_PROTOCOL,
                   _("The reply to %s is not a JSON object"), op);
      return NULL;
    }
  return json_node_get_object (root);
}

static const char *
string_member (JsonObject *obj,
               const char *name)
{
  JsonNode *node = json_object_get_member (obj, name);

  if (node && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return json_node_get_string (node);
  return NULL;
}

static gint64
int_member (JsonObject *obj,
            const char *name)
{
  JsonNode *node = json_object_get_member (obj, name);

  if (node && JSON_NODE_HOLDS_VALUE (node))
    {
      GType t = json_node_get_value_type (node);
      if (t == G_TYPE_INT64)
        return json_node_get_int (node);
      if (t == G_TYPE_DOUBLE)
        return (gint64) json_node_get_double (node);
    }
  return 0;
}

/* ---- DescribeLogGroups ------------------------------------------------- */

typedef struct
{
  char      *prefix;
  guint      max_groups;
  GPtrArray *groups;
  char      *token;
  GHashTable *tokens;   /* every token of this listing */
} DescribeData;

static void
describe_data_free (DescribeData *d)
{
  g_free (d->prefix);
  g_ptr_array_unref (d->groups);
  g_free (d->token);
  g_hash_table_unref (d->tokens);
  g_free (d);
}

static void describe_next (GTask *task);

static void
describe_got_page (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DescribeData *d = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = call_finish (DH_CLOUDWATCH_CLIENT (source), result, &error);
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  JsonObject *obj;
  JsonNode *groups;
  const char *token;

  if (body == NULL || (obj = parse_object (body, parser, "DescribeLogGroups", &error)) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  groups = json_object_get_member (obj, "logGroups");
  if (groups && JSON_NODE_HOLDS_ARRAY (groups))
    {
      JsonArray *array = json_node_get_array (groups);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *el = json_array_get_element (array, i);
          JsonObject *g;
          DhLogGroup *group;

          if (!JSON_NODE_HOLDS_OBJECT (el) || d->groups->len >= d->max_groups)
            continue;
          g = json_node_get_object (el);
          if (string_member (g, "logGroupName") == NULL)
            continue;
          group = g_new0 (DhLogGroup, 1);
          group->name = g_strdup (string_member (g, "logGroupName"));
          group->arn = g_strdup (string_member (g, "arn"));
          group->creation_time = int_member (g, "creationTime");
          group->stored_bytes = int_member (g, "storedBytes");
          group->retention_days = (gint) int_member (g, "retentionInDays");
          g_ptr_array_add (d->groups, group);
        }
    }

  token = string_member (obj, "nextToken");
  if (token && !dh_page_tokens_add (d->tokens, token))
    {
      g_task_return_new_error (task, DH_CLOUDWATCH_ERROR, DH_CLOUDWATCH_ERROR_PROTOCOL,
                               _("DescribeLogGroups returned a page token it had given before: "
                                 "its pages go round in a circle"));
      return;
    }
  g_free (d->token);
  d->token = g_strdup (token);
  if (token == NULL || d->groups->len >= d->max_groups)
    {
      g_task_return_pointer (task, g_ptr_array_ref (d->groups),
                             (GDestroyNotify) g_ptr_array_unref);
      return;
    }
  describe_next (task);
}

static void
describe_next (GTask *task)
{
  DescribeData *d = g_task_get_task_data (task);
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(GBytes) body = NULL;

  json_builder_begin_object (b);
  if (d->prefix && *d->prefix)
    {
      json_builder_set_member_name (b, "logGroupNamePrefix");
      json_builder_add_string_value (b, d->prefix);
    }
  if (d->token)
    {
      json_builder_set_member_name (b, "nextToken");
      json_builder_add_string_value (b, d->token);
    }
  json_builder_set_member_name (b, "limit");
  json_builder_add_int_value (b, 50);
  json_builder_end_object (b);
  body = json_body (b);
  call_async (g_task_get_source_object (task), "DescribeLogGroups", body, NULL,
              g_task_get_cancellable (task), describe_got_page, g_object_ref (task));
}

/**
 * dh_cloudwatch_client_describe_log_groups_async:
 * @prefix: (nullable): only groups whose name starts with it
 * @max_groups: stop after this many (0: no limit)
 *
 * Lists log groups, every page, for a picker.
 */
void
dh_cloudwatch_client_describe_log_groups_async (DhCloudWatchClient  *self,
                                                const char          *prefix,
                                                guint                max_groups,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  DescribeData *d;

  g_return_if_fail (DH_IS_CLOUDWATCH_CLIENT (self));
  task = g_task_new (self, cancellable, callback, user_data);
  d = g_new0 (DescribeData, 1);
  d->prefix = g_strdup (prefix);
  d->max_groups = max_groups ? max_groups : G_MAXUINT;
  d->groups = g_ptr_array_new_with_free_func ((GDestroyNotify) dh_log_group_free);
  d->tokens = dh_page_tokens_new ();
  g_task_set_task_data (task, d, (GDestroyNotify) describe_data_free);
  g_task_set_source_tag (task, dh_cloudwatch_client_describe_log_groups_async);
  describe_next (task);
}

/**
 * dh_cloudwatch_client_describe_log_groups_finish:
 *
 * Returns: (transfer full) (element-type DhLogGroup): the groups, in the
 *   service's (name) order
 */
GPtrArray *
dh_cloudwatch_client_describe_log_groups_finish (DhCloudWatchClient  *self,
                                                 GAsyncResult        *result,
                                                 GError             **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- FilterLogEvents --------------------------------------------------- */

static void
parse_page_thread (GTask        *task,
                   gpointer      source,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  GBytes *body = task_data;
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(DhLogEventPage) page = dh_log_event_page_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *obj = parse_object (body, parser, "FilterLogEvents", &error);
  JsonNode *events;
  const char *token;

  if (obj == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  events = json_object_get_member (obj, "events");
  if (events && !JSON_NODE_HOLDS_ARRAY (events) && !JSON_NODE_HOLDS_NULL (events))
    {
      g_task_return_new_error (task, DH_CLOUDWATCH_ERROR, DH_CLOUDWATCH_ERROR_PROTOCOL,
                               _("The reply to FilterLogEvents has no list of events"));
      return;
    }
  if (events && JSON_NODE_HOLDS_ARRAY (events))
    {
      JsonArray *array = json_node_get_array (events);
      guint n = json_array_get_length (array);

      for (guint i = 0; i < n; i++)
        {
          JsonNode *el = json_array_get_element (array, i);
          JsonObject *e;
          DhLogEvent ev;

          if (!JSON_NODE_HOLDS_OBJECT (el))
            continue;
          e = json_node_get_object (el);
          ev.event_id = string_member (e, "eventId");
          ev.log_stream = string_member (e, "logStreamName");
          ev.message = string_member (e, "message");
          ev.timestamp = int_member (e, "timestamp");
          ev.ingestion_time = int_member (e, "ingestionTime");
          dh_log_event_page_add (page, &ev);
        }
    }
  token = string_member (obj, "nextToken");
  page->next_token = token && *token ? g_strdup (token) : NULL;
  g_task_return_pointer (task, g_steal_pointer (&page), (GDestroyNotify) dh_log_event_page_unref);
}

static void
filter_got_reply (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  GBytes *body = call_finish (DH_CLOUDWATCH_CLIENT (source), result, &error);

  if (body == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  /* The parse of up to 1 MB goes to a worker; the caller is free meanwhile. */
  g_task_set_task_data (task, body, (GDestroyNotify) g_bytes_unref);
  g_task_run_in_thread (task, parse_page_thread);
}

/**
 * dh_cloudwatch_client_filter_log_events_async:
 * @query: the group, the time range and the filter
 * @next_token: (nullable): the token of the page before, or %NULL for the first
 *
 * Fetches one page. Throttling and server errors are retried here.
 */
void
dh_cloudwatch_client_filter_log_events_async (DhCloudWatchClient    *self,
                                              const DhLogEventQuery *query,
                                              const char            *next_token,
                                              GCancellable          *cancellable,
                                              GAsyncReadyCallback    callback,
                                              gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(JsonBuilder) b = NULL;
  g_autoptr(GBytes) body = NULL;

  g_return_if_fail (DH_IS_CLOUDWATCH_CLIENT (self));
  g_return_if_fail (query != NULL && query->log_group != NULL);
  task = g_task_new (self, cancellable, callback, user_data);
  b = json_builder_new ();
  g_task_set_source_tag (task, dh_cloudwatch_client_filter_log_events_async);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, g_str_has_prefix (query->log_group, "arn:")
                                     ? "logGroupIdentifier" : "logGroupName");
  json_builder_add_string_value (b, query->log_group);
  if (query->start_time >= 0)
    {
      json_builder_set_member_name (b, "startTime");
      json_builder_add_int_value (b, query->start_time);
    }
  if (query->end_time >= 0)
    {
      json_builder_set_member_name (b, "endTime");
      json_builder_add_int_value (b, query->end_time);
    }
  if (query->filter_pattern && *query->filter_pattern)
    {
      json_builder_set_member_name (b, "filterPattern");
      json_builder_add_string_value (b, query->filter_pattern);
    }
  if (query->limit > 0)
    {
      json_builder_set_member_name (b, "limit");
      json_builder_add_int_value (b, MIN (query->limit, 10000));
    }
  if (next_token)
    {
      json_builder_set_member_name (b, "nextToken");
      json_builder_add_string_value (b, next_token);
    }
  json_builder_end_object (b);
  body = json_body (b);
  call_async (self, "FilterLogEvents", body, query->log_group, cancellable, filter_got_reply,
              g_object_ref (task));
}

/**
 * dh_cloudwatch_client_filter_log_events_finish:
 *
 * Returns: (transfer full): the page, or %NULL with a #DhCloudWatchError, a
 *   #DhAwsCredentialsError or %G_IO_ERROR_CANCELLED
 */
DhLogEventPage *
dh_cloudwatch_client_filter_log_events_finish (DhCloudWatchClient  *self,
                                               GAsyncResult        *result,
                                               GError             **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
