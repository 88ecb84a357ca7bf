/* test-cloudwatch.c: the client and the fetcher against the loopback test server
 *
 * tests/cloudwatch-server.py checks every request's signature with botocore;
 * these tests check what the client makes of pages, empty pages, throttling,
 * server errors, expired tokens, cancellation and follow polls.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "dh-cloudwatch-client.h"
#include "dh-cloudwatch-fetch.h"
#include "dh-token-bucket.h"

#define ACCESS_KEY "AKIDEXAMPLE"
#define SECRET_KEY "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
#define GROUP      "/aws/route53/resolver"
#define BASE_MS    G_GINT64_CONSTANT (1772438400000)   /* 2026-03-02T08:00:00Z */

static char *tmpdir;

/* ---- the server -------------------------------------------------------- */

typedef struct
{
  GSubprocess *proc;
  guint        port;
  char        *url;
  SoupSession *session;
} Server;

static Server *
server_start (const char *log,
              ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *line = NULL;
  Server *server = g_new0 (Server, 1);
  const char *arg;
  va_list ap;

  g_ptr_array_add (argv, (char *) g_getenv ("DH_PYTHON"));
  g_ptr_array_add (argv, (char *) g_getenv ("DH_CLOUDWATCH_SERVER"));
  g_ptr_array_add (argv, "--log");
  g_ptr_array_add (argv, (char *) log);
  va_start (ap, log);
  while ((arg = va_arg (ap, const char *)))
    g_ptr_array_add (argv, (char *) arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);

  server->proc = g_subprocess_newv ((const char * const *) argv->pdata,
                                    G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                    G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server->proc));
  line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  server->port = (guint) g_ascii_strtoull (line, NULL, 10);
  g_assert_cmpuint (server->port, >, 0);
  server->url = g_strdup_printf ("http://127.0.0.1:%u", server->port);
  server->session = soup_session_new ();
  return server;
}

static void
server_stop (Server *server)
{
  /* it exits when its standard input closes */
  g_output_stream_close (g_subprocess_get_stdin_pipe (server->proc), NULL, NULL);
  g_subprocess_wait (server->proc, NULL, NULL);
  g_object_unref (server->proc);
  g_object_unref (server->session);
  g_free (server->url);
  g_free (server);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Server, server_stop)

static JsonNode *
server_http (Server     *server,
             const char *method,
             const char *path,
             const char *body)
{
  g_autofree char *url = g_strconcat (server->url, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) reply = NULL;

  if (body)
    {
      g_autoptr(GBytes) b = g_bytes_new (body, strlen (body));
      soup_message_set_request_body_from_bytes (msg, "application/json", b);
    }
  reply = soup_session_send_and_read (server->session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  return json_from_string (g_bytes_get_data (reply, NULL), &error);
}

static void
server_control (Server     *server,
                const char *json)
{
  g_autoptr(JsonNode) node = server_http (server, "POST", "/_control", json);
}

static JsonObject *
server_stats (Server *server)
{
  JsonNode *node = server_http (server, "GET", "/_stats", NULL);
  JsonObject *obj = json_object_ref (json_node_get_object (node));

  json_node_unref (node);
  return obj;
}


static guint
count_requests (JsonObject *stats,
                const char *error_type)
{
  JsonArray *requests = json_object_get_array_member (stats, "requests");
  guint n = 0;

  for (guint i = 0; i < json_array_get_length (requests); i++)
    {
      JsonObject *r = json_array_get_object_element (requests, i);
      const char *e = json_object_get_string_member_with_default (r, "error", NULL);
      if (error_type == NULL || g_strcmp0 (e, error_type) == 0)
        n++;
    }
  return n;
}

/* ---- logs -------------------------------------------------------------- */

static char *
record_line (gint64      ms,
             const char *name,
             const char *host)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (ms / 1000);
  g_autofree char *when = g_date_time_format (dt, "%Y-%m-%dT%H:%M:%S");

  return g_strdup_printf ("{\"version\":\"1.100000\",\"account_id\":\"111122223333\","
                          "\"region\":\"us-east-1\",\"vpc_id\":\"vpc-0abc\","
                          "\"query_timestamp\":\"%s.%03dZ\",\"query_name\":\"%s\","
                          "\"query_type\":\"A\",\"query_class\":\"IN\",\"rcode\":\"NOERROR\","
                          "\"answers\":[],\"srcaddr\":\"%s\",\"srcport\":\"5353\","
                          "\"transport\":\"UDP\",\"srcids\":{\"instance\":\"i-0abc\"}}",
                          when, (int) (ms % 1000), name, host);
}

/* @n events from @start_ms, @step_ms apart, in a new file; returns its path. */
static char *
write_log (const char *name,
           gint64      start_ms,
           gint64      step_ms,
           guint       n)
{
  g_autofree char *file = g_strconcat (name, ".log", NULL);
  char *path = g_build_filename (tmpdir, file, NULL);
  GString *s = g_string_new (NULL);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *qname = g_strdup_printf ("host%u.example.com.", i);
      g_autofree char *line = record_line (start_ms + i * step_ms, qname, "10.0.0.5");
      g_string_append (s, line);
      g_string_append_c (s, '\n');
    }
  g_file_set_contents (path, s->str, s->len, &error);
  g_assert_no_error (error);
  g_string_free (s, TRUE);
  return path;
}

/* ---- running the fetcher ----------------------------------------------- */

typedef struct
{
  GHashTable   *ids;          /* event id → message */
  guint         duplicates;
  guint         caught_up;
  guint64       last_new;
  GAsyncResult *result;
  GCancellable *cancellable;
  Server       *server;
  guint         stage;
} Run;

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->ids, g_hash_table_unref);
  g_clear_object (&run->result);
  g_clear_object (&run->cancellable);
}

static void
on_events (DhCloudWatchFetch *fetch,
           DhLogEventPage    *batch,
           gpointer           data)
{
  Run *run = data;

  for (guint i = 0; i < dh_log_event_page_get_n_events (batch); i++)
    {
      const DhLogEvent *ev = dh_log_event_page_get_event (batch, i);
      if (!g_hash_table_insert (run->ids, g_strdup (ev->event_id), g_strdup (ev->message)))
        run->duplicates++;
    }
}

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      data)
{
  Run *run = data;

  run->result = g_object_ref (result);
}

static DhCloudWatchClient *
make_client (Server     *server,
             const char *secret,
             const char *token)
{
  g_autoptr(DhAwsKeys) keys = dh_aws_keys_new (ACCESS_KEY, secret, token, 0, "the test");
  g_autoptr(DhAwsCredentials) creds = dh_aws_credentials_new_for_keys (keys, "us-east-1");
  g_autoptr(GError) error = NULL;
  DhCloudWatchClient *client = dh_cloudwatch_client_new (creds, "us-east-1", server->url,
                                                         &error);

  g_assert_no_error (error);
  dh_cloudwatch_client_set_rate_limit (client, 0);
  dh_cloudwatch_client_set_retry_policy (client, 6, 5, 20);
  return client;
}

static void
run_fetch (DhCloudWatchFetch *fetch,
           Run               *run)
{
  run->ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  if (run->cancellable == NULL)
    run->cancellable = g_cancellable_new ();
  g_signal_connect (fetch, "events", G_CALLBACK (on_events), run);
  dh_cloudwatch_fetch_run_async (fetch, run->cancellable, on_done, run);
  while (run->result == NULL)
    g_main_context_iteration (NULL, TRUE);
}

static void
test_every_event_once (void)
{
  g_autofree char *log = write_log ("once", BASE_MS, 2400, 3000);   /* two hours */
  g_autoptr(Server) server = server_start (log, "--page-size", "97", "--empty-every", "1",
                                           "--empty-at-end", NULL);
  g_autoptr(DhCloudWatchClient) client = make_client (server, SECRET_KEY, NULL);
  g_autoptr(DhCloudWatchFetch) fetch = dh_cloudwatch_fetch_new (client, GROUP, BASE_MS, -1);
  g_autoptr(JsonObject) stats = NULL;
  g_autoptr(GError) error = NULL;
  Run run = { 0 };

  server_control (server, "{\"throttle\": 5}");
  run_fetch (fetch, &run);
  g_assert_true (dh_cloudwatch_fetch_run_finish (fetch, run.result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (run.duplicates, ==, 0);
  g_assert_cmpuint (g_hash_table_size (run.ids), ==, 3000);
  g_assert_cmpuint (dh_cloudwatch_fetch_get_n_events (fetch), ==, 3000);
  g_assert_cmpfloat (dh_cloudwatch_fetch_get_progress (fetch), ==, 1.0);
  g_assert_cmpint (dh_cloudwatch_fetch_get_state (fetch), ==, DH_CLOUDWATCH_FETCH_DONE);

  stats = server_stats (server);
  g_assert_cmpint (json_object_get_int_member (stats, "bad_signatures"), ==, 0);
  g_assert_cmpuint (count_requests (stats, "ThrottlingException"), ==, 5);
  /* the slices ran side by side */
  g_assert_cmpint (json_object_get_int_member (stats, "max_in_flight"), >, 1);
  g_assert_cmpuint (dh_cloudwatch_client_get_n_retries (client), ==, 5);
  g_assert_cmpuint (dh_cloudwatch_client_get_n_in_flight (client), ==, 0);
  run_clear (&run);
}

static void
test_retry_signed_anew (void)
{
  g_autofree char *log = write_log ("anew", BASE_MS, 1000, 10);
  g_autoptr(Server) server = server_start (log, NULL);
  g_autoptr(DhCloudWatchClient) client = make_client (server, SECRET_KEY, "tOkEn-A");
  g_autoptr(DhCloudWatchClient) plain = make_client (server, SECRET_KEY, NULL);
  g_autoptr(DhCloudWatchFetch) fetch = dh_cloudwatch_fetch_new (plain, GROUP, BASE_MS, -1);
  g_autoptr(JsonObject) stats = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *requests;
  Run run = { 0 };

  dh_cloudwatch_fetch_set_slices (fetch, 1);
  /* Each failure comes after a second, so the retry has a new X-Amz-Date:
   * the server checks its signature, which must differ. */
  server_control (server, "{\"fail\": \"ServiceUnavailableException\", \"status\": 503, "
                          "\"count\": 2, \"delay\": 1.05}");
  run_fetch (fetch, &run);
  g_assert_true (dh_cloudwatch_fetch_run_finish (fetch, run.result, &error));
  g_assert_cmpuint (g_hash_table_size (run.ids), ==, 10);
  stats = server_stats (server);
  requests = json_object_get_array_member (stats, "requests");
  g_assert_cmpuint (json_array_get_length (requests), ==, 3);
  g_assert_cmpint (json_object_get_int_member (stats, "bad_signatures"), ==, 0);
  for (guint i = 1; i < 3; i++)
    {
      JsonObject *a = json_array_get_object_element (requests, i - 1);
      JsonObject *b = json_array_get_object_element (requests, i);
      g_assert_cmpstr (json_object_get_string_member (a, "date"), !=,
                       json_object_get_string_member (b, "date"));
      g_assert_cmpstr (json_object_get_string_member (a, "signature"), !=,
                       json_object_get_string_member (b, "signature"));
    }
  run_clear (&run);
  (void) client;
}

static void
expect_failure (Server             *server,
                DhCloudWatchClient *client,
                const char         *control,
                GQuark              domain,
                int                 code,
                const char         *needle)
{
  g_autoptr(DhCloudWatchFetch) fetch = dh_cloudwatch_fetch_new (client, GROUP, BASE_MS, -1);
  g_autoptr(GError) error = NULL;
  Run run = { 0 };

  dh_cloudwatch_fetch_set_slices (fetch, 1);
  if (control)
    server_control (server, control);
  run_fetch (fetch, &run);
  g_assert_false (dh_cloudwatch_fetch_run_finish (fetch, run.result, &error));
  g_assert_error (error, domain, code);
  if (needle && strstr (error->message, needle) == NULL)
    g_error ("“%s” not in “%s”", needle, error->message);
  g_assert_null (strstr (error->message, SECRET_KEY));
  g_assert_cmpint (dh_cloudwatch_fetch_get_state (fetch), ==, DH_CLOUDWATCH_FETCH_FAILED);
  g_assert_cmpuint (dh_cloudwatch_client_get_n_in_flight (client), ==, 0);
  run_clear (&run);
  server_control (server, "{\"fail\": \"none\", \"count\": 0, \"throttle\": 0}");
}

static void
test_errors (void)
{
  g_autofree char *log = write_log ("errors", BASE_MS, 1000, 10);
  g_autoptr(Server) server = server_start (log, NULL);
  g_autoptr(DhCloudWatchClient) client = make_client (server, SECRET_KEY, NULL);
  g_autoptr(DhCloudWatchClient) wrong = make_client (server, "not-the-secret", NULL);
  g_autoptr(DhCloudWatchClient) token = make_client (server, SECRET_KEY, "tok");
  g_autoptr(DhCloudWatchFetch) missing = dh_cloudwatch_fetch_new (client, "/nope", 0, -1);
  g_autoptr(JsonObject) stats = NULL;
  g_autoptr(GError) error = NULL;
  Run run = { 0 };
  guint before;

  dh_cloudwatch_client_set_retry_policy (client, 3, 1, 5);
  expect_failure (server, wrong, NULL, DH_CLOUDWATCH_ERROR,
                  DH_CLOUDWATCH_ERROR_INVALID_SIGNATURE, "secret access key");
  expect_failure (server, token, NULL, DH_CLOUDWATCH_ERROR, DH_CLOUDWATCH_ERROR_UNRECOGNIZED_KEY,
                  "does not know");
  expect_failure (server, client, "{\"fail\": \"ExpiredTokenException\", \"count\": 1}",
                  DH_CLOUDWATCH_ERROR, DH_CLOUDWATCH_ERROR_EXPIRED_TOKEN, "expired");
  expect_failure (server, client, "{\"fail\": \"AccessDeniedException\", \"count\": 1}",
                  DH_CLOUDWATCH_ERROR, DH_CLOUDWATCH_ERROR_ACCESS_DENIED, "logs:FilterLogEvents");
  /* the namespaced form some endpoints send */
  expect_failure (server, client, "{\"fail\": \"com.amazonaws.logs#AccessDeniedException\", "
                                  "\"count\": 1}",
                  DH_CLOUDWATCH_ERROR, DH_CLOUDWATCH_ERROR_ACCESS_DENIED, "Access denied");

  /* throttled on every try: exactly max-attempts requests, then a clear error */
  stats = server_stats (server);
  before = count_requests (stats, NULL);
  g_clear_pointer (&stats, json_object_unref);
  expect_failure (server, client, "{\"throttle\": 100}", DH_CLOUDWATCH_ERROR,
                  DH_CLOUDWATCH_ERROR_THROTTLED, "3 attempts");
  stats = server_stats (server);
  g_assert_cmpuint (count_requests (stats, NULL) - before, ==, 3);
  g_clear_pointer (&stats, json_object_unref);
  expect_failure (server, client, "{\"fail\": \"InternalFailure\", \"status\": 500, "
                                  "\"count\": 100}",
                  DH_CLOUDWATCH_ERROR, DH_CLOUDWATCH_ERROR_SERVER, "HTTP 500");

  /* 429 without an AWS body is retried like throttling, then succeeds */
  {
    g_autoptr(DhCloudWatchFetch) fetch = dh_cloudwatch_fetch_new (client, GROUP, BASE_MS, -1);
    server_control (server, "{\"fail\": \"TooManyRequestsException\", \"status\": 429, "
                            "\"count\": 2}");
    run_fetch (fetch, &run);
    g_assert_true (dh_cloudwatch_fetch_run_finish (fetch, run.result, &error));
    g_assert_cmpuint (g_hash_table_size (run.ids), ==, 10);
    run_clear (&run);
  }

  /* a proxy's empty 502 is a server error: retried */
  {
    g_autoptr(DhCloudWatchFetch) fetch = dh_cloudwatch_fetch_new (client, GROUP, BASE_MS, -1);
    dh_cloudwatch_fetch_set_slices (fetch, 1);
    server_control (server, "{\"raw\": 502, \"count\": 2}");
    run_fetch (fetch, &run);
    g_assert_true (dh_cloudwatch_fetch_run_finish (fetch, run.result, &error));
    g_assert_cmpuint (g_hash_table_size (run.ids), ==, 10);
    run_clear (&run);
  }
  /* an empty 403 is not CloudWatch talking */
  expect_failure (server, client, "{\"raw\": 403, \"count\": 1}", DH_CLOUDWATCH_ERROR,
                  DH_CLOUDWATCH_ERROR_PROTOCOL, "a CloudWatch Logs endpoint");

  run_fetch (missing, &run);
  g_assert_false (dh_cloudwatch_fetch_run_finish (missing, run.result, &error));
  g_assert_error (error, DH_CLOUDWATCH_ERROR, DH_CLOUDWATCH_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "“/nope”"));
  g_clear_error (&error);
  run_clear (&run);
}

/* Replies nested deeper than json-glib's recursion can go: a page (parsed on a
 * worker thread) and an error body (on the main thread) are errors, not a crash. */
static void
test_deep_replies (void)
{
  g_autofree char *log = write_log ("deep", BASE_MS, 1000, 10);
  g_autoptr(Server) server = server_start (log, NULL);
  g_autoptr(DhCloudWatchClient) client = make_client (server, SECRET_KEY, NULL);
  g_autoptr(DhCloudWatchFetch) fetch = dh_cloudwatch_fetch_new (client, GROUP, BASE_MS, -1);
  g_autoptr(GError) error = NULL;
  GString *deep = g_string_new (NULL);
  g_autofree char *page = NULL;
  g_autofree char *failure = NULL;
  Run run = { 0 };

  for (guint i = 0; i < 120000; i++)
    g_string_append_c (deep, '[');
  for (guint i = 0; i < 120000; i++)
    g_string_append_c (deep, ']');
  page = g_strdup_printf ("{\"raw\": 200, \"body\": \"{\\\"events\\\": %s}\"}", deep->str);
  failure = g_strdup_printf ("{\"raw\": 400, \"body\": \"{\\\"__type\\\": "
                             "\\\"AccessDeniedException\\\", \\\"x\\\": %s}\"}", deep->str);
  g_string_free (deep, TRUE);

  expect_failure (server, client, page, DH_CLOUDWATCH_ERROR, DH_CLOUDWATCH_ERROR_PROTOCOL,
                  "not a JSON object");
  expect_failure (server, client, failure, DH_CLOUDWATCH_ERROR, DH_CLOUDWATCH_ERROR_PROTOCOL,
                  "HTTP 400");

  run_fetch (fetch, &run);
  g_assert_true (dh_cloudwatch_fetch_run_finish (fetch, run.result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (run.ids), ==, 10);
  run_clear (&run);
}

static void
test_network_down (void)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketAddress) addr = NULL;
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GError) error = NULL;
  g_autoptr(DhAwsKeys) keys = dh_aws_keys_new (ACCESS_KEY, SECRET_KEY, NULL, 0, "the test");
  g_autoptr(DhAwsCredentials) creds = dh_aws_credentials_new_for_keys (keys, NULL);
  g_autoptr(DhCloudWatchClient) client = NULL;
  g_autoptr(DhCloudWatchFetch) fetch = NULL;
  g_autofree char *url = NULL;
  Run run = { 0 };
  guint port;

  /* a port that was free a moment ago: nothing listens there */
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, 0, &error);
  addr = g_inet_socket_address_new (lo, 0);
  g_socket_bind (socket, addr, FALSE, &error);
  g_assert_no_error (error);
  g_clear_object (&addr);
  addr = g_socket_get_local_address (socket, &error);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (addr));
  g_socket_close (socket, NULL);
  url = g_strdup_printf ("http://127.0.0.1:%u", port);

  client = dh_cloudwatch_client_new (creds, "us-east-1", url, &error);
  g_assert_no_error (error);
  dh_cloudwatch_client_set_retry_policy (client, 8, 1, 5);
  fetch = dh_cloudwatch_fetch_new (client, GROUP, BASE_MS, -1);
  dh_cloudwatch_fetch_set_slices (fetch, 1);
  run_fetch (fetch, &run);
  g_assert_false (dh_cloudwatch_fetch_run_finish (fetch, run.result, &error));
  g_assert_error (error, DH_CLOUDWATCH_ERROR, DH_CLOUDWATCH_ERROR_NETWORK);
  g_assert_nonnull (strstr (error->message, "Cannot reach 127.0.0.1"));
  /* a dead line is tried 3 times, not 8 */
  g_assert_cmpuint (dh_cloudwatch_client_get_n_requests (client), ==, 3);
  run_clear (&run);
}

static gboolean
cancel_now (gpointer data)
{
  g_cancellable_cancel (data);
  return G_SOURCE_REMOVE;
}

static void
test_cancel_mid_fetch (void)
{
  g_autofree char *log = write_log ("cancel", BASE_MS, 1000, 2000);
  g_autoptr(Server) server = server_start (log, "--page-size", "100", NULL);
  g_autoptr(DhCloudWatchClient) client = make_client (server, SECRET_KEY, NULL);
  g_autoptr(DhCloudWatchFetch) fetch = dh_cloudwatch_fetch_new (client, GROUP, BASE_MS, -1);
  g_autoptr(GError) error = NULL;
  Run run = { 0 };
  gint64 cancelled_at, finished_at;

  /* slow replies: requests are out when the cancel comes */
  server_control (server, "{\"delay\": 3}");
  run.cancellable = g_cancellable_new ();
  g_timeout_add (300, cancel_now, run.cancellable);
  run.ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_signal_connect (fetch, "events", G_CALLBACK (on_events), &run);
  dh_cloudwatch_fetch_run_async (fetch, run.cancellable, on_done, &run);
  while (!g_cancellable_is_cancelled (run.cancellable))
    g_main_context_iteration (NULL, TRUE);
  cancelled_at = g_get_monotonic_time ();
  g_assert_cmpuint (dh_cloudwatch_client_get_n_in_flight (client), >, 0);
  while (run.result == NULL)
    g_main_context_iteration (NULL, TRUE);
  finished_at = g_get_monotonic_time ();

  g_assert_false (dh_cloudwatch_fetch_run_finish (fetch, run.result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  /* done at once, not after the 3 s replies, and nothing left out */
  g_assert_cmpint (finished_at - cancelled_at, <, G_USEC_PER_SEC);
  g_assert_cmpuint (dh_cloudwatch_client_get_n_in_flight (client), ==, 0);
  g_assert_cmpuint (g_hash_table_size (run.ids), ==, 0);
  run_clear (&run);
}

static void got_groups (GObject *source, GAsyncResult *result, gpointer data);

/* ---- replies that must not be trusted ----------------------------------- */

/* A redirect is never followed: not to another port (a second server that
 * records what reaches it), not as GET, not with the token. */
static void
test_redirect_not_followed (void)
{
  g_autofree char *log = write_log ("redirect", BASE_MS, 1000, 10);
  g_autoptr(Server) server = server_start (log, NULL);
  g_autoptr(Server) other = server_start (log, NULL);
  g_autoptr(DhCloudWatchClient) client = make_client (server, SECRET_KEY, "tOkEn-SeCrEt");
  g_autoptr(JsonObject) stats = NULL;
  g_autofree char *host = g_strdup_printf ("127.0.0.1:%u", other->port);
  static const guint statuses[] = { 301, 302, 303, 307, 308 };

  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    {
      g_autoptr(DhCloudWatchFetch) fetch = dh_cloudwatch_fetch_new (client, GROUP, BASE_MS, -1);
      g_autoptr(GError) error = NULL;
      g_autofree char *control = g_strdup_printf (
        "{\"redirect\": \"%s/_sink/x?X-Amz-Security-Token=tOkEn-SeCrEt\", \"status\": %u, "
        "\"count\": 1}", other->url, statuses[i]);
      g_autofree char *status = g_strdup_printf ("HTTP %u", statuses[i]);
      Run run = { 0 };

      dh_cloudwatch_fetch_set_slices (fetch, 1);
      server_control (server, control);
      run_fetch (fetch, &run);
      g_assert_false (dh_cloudwatch_fetch_run_finish (fetch, run.result, &error));
      g_assert_error (error, DH_CLOUDWATCH_ERROR, DH_CLOUDWATCH_ERROR_PROTOCOL);
      g_assert_nonnull (strstr (error->message, status));
      g_assert_nonnull (strstr (error->message, host));
      g_assert_nonnull (strstr (error->message, "redirect"));
      /* neither the token nor the rest of the Location */
      g_assert_null (strstr (error->message, "SeCrEt"));
      g_assert_null (strstr (error->message, "_sink"));
      g_assert_cmpuint (g_hash_table_size (run.ids), ==, 0);
      run_clear (&run);
    }
  stats = server_stats (other);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (stats, "sink")), ==, 0);
  g_assert_cmpuint (count_requests (stats, NULL), ==, 0);
  g_clear_pointer (&stats, json_object_unref);
  /* one request each: a redirect is not retried */
  stats = server_stats (server);
  g_assert_cmpuint (count_requests (stats, NULL), ==, G_N_ELEMENTS (statuses));
  g_assert_cmpuint (dh_cloudwatch_client_get_n_in_flight (client), ==, 0);
}

/* A reply far larger than a page: reading stops at the cap, with or without
 * a Content-Length, and the call fails clearly without retrying. */
static void
test_huge_reply (void)
{
  g_autofree char *log = write_log ("huge", BASE_MS, 1000, 10);
  g_autoptr(Server) server = server_start (log, NULL);
  g_autoptr(DhCloudWatchClient) client = make_client (server, SECRET_KEY, NULL);
  static const char *controls[] = {
    "{\"huge\": 48, \"length\": true}",
    "{\"huge\": 48, \"length\": false}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (controls); i++)
    {
      g_autoptr(JsonObject) stats = NULL;
      guint before = dh_cloudwatch_client_get_n_requests (client);

      expect_failure (server, client, controls[i], DH_CLOUDWATCH_ERROR,
                      DH_CLOUDWATCH_ERROR_PROTOCOL, "too large (more than 8 MiB)");
      g_assert_cmpuint (dh_cloudwatch_client_get_n_requests (client) - before, ==, 1);
      /* the server could not send the rest: nobody read it */
      stats = server_stats (server);
      g_assert_cmpint (json_object_get_int_member (stats, "huge_sent"), <, 32 * 1024 * 1024);
    }
}

/* Tokens that go round (A, B, A, ...) end the paging with an error, for
 * FilterLogEvents and DescribeLogGroups alike. */
static void
test_token_cycle (void)
{
  g_autofree char *log = write_log ("cycle", BASE_MS, 1000, 10);
  g_autoptr(Server) server = server_start (log, NULL);
  g_autoptr(DhCloudWatchClient) client = make_client (server, SECRET_KEY, NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) groups = NULL;
  g_autoptr(GError) error = NULL;

  /* (after 200 pages the server stops: a client that misses the cycle ends) */
  expect_failure (server, client, "{\"cycle\": [\"A\", \"B\"], \"count\": 200}",
                  DH_CLOUDWATCH_ERROR, DH_CLOUDWATCH_ERROR_PROTOCOL, "page token");
  g_assert_cmpuint (dh_cloudwatch_client_get_n_requests (client), <=, 4);

  server_control (server, "{\"cycle\": [\"A\", \"B\"], \"count\": 200}");
  dh_cloudwatch_client_describe_log_groups_async (client, NULL, 0, NULL, got_groups, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  groups = dh_cloudwatch_client_describe_log_groups_finish (client, result, &error);
  g_assert_null (groups);
  g_assert_error (error, DH_CLOUDWATCH_ERROR, DH_CLOUDWATCH_ERROR_PROTOCOL);
  g_assert_nonnull (strstr (error->message, "page token"));
  g_assert_cmpuint (dh_cloudwatch_client_get_n_requests (client), <=, 8);
}

/* After the first retry, a deadline no loaded machine can miss. */
static void
relax_deadline (DhCloudWatchClient *client,
                GParamSpec         *pspec,
                gpointer            data)
{
  dh_cloudwatch_client_set_request_timeout (client, 60 * 1000);
}

/* A body sent a byte at a time: each attempt ends at the deadline, a
 * timeout is retried like a broken line, and a later quick reply works. */
static void
test_trickle_deadline (void)
{
  g_autofree char *log = write_log ("trickle", BASE_MS, 1000, 10);
  g_autoptr(Server) server = server_start (log, NULL);
  g_autoptr(DhCloudWatchClient) client = make_client (server, SECRET_KEY, NULL);
  g_autoptr(DhCloudWatchFetch) fetch = NULL;
  g_autoptr(GError) error = NULL;
  Run run = { 0 };

  g_assert_cmpuint (dh_cloudwatch_client_get_request_timeout (client), >=, 60 * 1000);
  dh_cloudwatch_client_set_request_timeout (client, 1000);
  g_assert_cmpuint (dh_cloudwatch_client_get_request_timeout (client), ==, 1000);
  /* each byte comes well within libsoup's idle timeout; the whole never does */
  expect_failure (server, client, "{\"trickle\": 0.2, \"count\": 100}", DH_CLOUDWATCH_ERROR,
                  DH_CLOUDWATCH_ERROR_NETWORK, "timed out after 1 s");
  /* as often as a broken line: three times */
  g_assert_cmpuint (dh_cloudwatch_client_get_n_requests (client), ==, 3);
  g_assert_cmpuint (dh_cloudwatch_client_get_n_retries (client), ==, 2);
  server_control (server, "{\"trickle\": 0, \"count\": 0}");

  /* one slow attempt, then a good one */
  server_control (server, "{\"trickle\": 0.2, \"count\": 1}");
  g_signal_connect (client, "notify::n-retries", G_CALLBACK (relax_deadline), NULL);
  fetch = dh_cloudwatch_fetch_new (client, GROUP, BASE_MS, -1);
  dh_cloudwatch_fetch_set_slices (fetch, 1);
  run_fetch (fetch, &run);
  g_assert_true (dh_cloudwatch_fetch_run_finish (fetch, run.result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (run.ids), ==, 10);
  g_assert_cmpuint (dh_cloudwatch_client_get_n_requests (client), ==, 5);
  run_clear (&run);
}

/* ---- follow ------------------------------------------------------------ */

static void
append_events (Server *server,
               gint64  start_ms,
               gint64  step_ms,
               guint   n,
               guint   first)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "append");
  json_builder_begin_array (b);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *qname = g_strdup_printf ("late%u.example.com.", first + i);
      g_autofree char *line = record_line (start_ms + i * step_ms, qname, "10.0.0.7");
      json_builder_add_string_value (b, line);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  text = json_to_string (root, FALSE);
  server_control (server, text);
}

static void
on_caught_up (DhCloudWatchFetch *fetch,
              guint64            n_new,
              gpointer           data)
{
  Run *run = data;
  gint64 newest = dh_cloudwatch_fetch_get_newest (fetch);

  run->caught_up++;
  run->last_new = n_new;
  switch (run->stage++)
    {
    case 0:
      /* the range: 100 events */
      g_assert_cmpuint (n_new, ==, 100);
      /* three more at the very newest millisecond (the poll reads that ms
       * again: the old ones must be skipped, the new ones kept), then 20 later */
      append_events (run->server, newest, 0, 3, 0);
      append_events (run->server, newest + 1, 10, 20, 3);
      break;
    case 1:
      g_assert_cmpuint (n_new, ==, 23);
      break;
    case 2:
    case 3:
      /* nothing new: polls that find only what was seen deliver nothing */
      g_assert_cmpuint (n_new, ==, 0);
      g_assert_cmpuint (dh_cloudwatch_fetch_get_n_remembered (fetch), <=, 1);
      if (run->stage == 4)
        g_cancellable_cancel (run->cancellable);
      break;
    default:
      g_assert_not_reached ();
    }
}

static void
test_follow (void)
{
  gint64 now = g_get_real_time () / 1000;
  g_autofree char *log = write_log ("follow", now - 100 * 1000, 1000, 100);
  g_autoptr(Server) server = server_start (log, "--page-size", "30", NULL);
  g_autoptr(DhCloudWatchClient) client = make_client (server, SECRET_KEY, NULL);
  g_autoptr(DhCloudWatchFetch) fetch = NULL;
  g_autoptr(GError) error = NULL;
  Run run = { 0 };

  fetch = dh_cloudwatch_fetch_new (client, GROUP, now - 600 * 1000, -1);
  dh_cloudwatch_fetch_set_follow (fetch, TRUE);
  dh_cloudwatch_fetch_set_poll_interval (fetch, 50);
  run.server = server;
  g_signal_connect (fetch, "caught-up", G_CALLBACK (on_caught_up), &run);
  run_fetch (fetch, &run);
  g_assert_false (dh_cloudwatch_fetch_run_finish (fetch, run.result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (run.caught_up, ==, 4);
  g_assert_cmpuint (run.duplicates, ==, 0);
  g_assert_cmpuint (g_hash_table_size (run.ids), ==, 123);
  g_assert_cmpuint (dh_cloudwatch_client_get_n_in_flight (client), ==, 0);
  run_clear (&run);
}

static void
on_caught_up_lookback (DhCloudWatchFetch *fetch,
                       guint64            n_new,
                       gpointer           data)
{
  Run *run = data;
  gint64 newest = dh_cloudwatch_fetch_get_newest (fetch);

  switch (run->stage++)
    {
    case 0:
      g_assert_cmpuint (n_new, ==, 100);
      /* 100 events 1 s apart: 30 s of lookback remembers about 31 ids */
      g_assert_cmpuint (dh_cloudwatch_fetch_get_n_remembered (fetch), <=, 32);
      /* an event that arrives late, 5 s before the newest */
      append_events (run->server, newest - 5000, 0, 1, 0);
      break;
    case 1:
      g_assert_cmpuint (n_new, ==, 1);
      break;
    case 2:
      g_assert_cmpuint (n_new, ==, 0);
      g_assert_cmpuint (dh_cloudwatch_fetch_get_n_remembered (fetch), <=, 33);
      g_cancellable_cancel (run->cancellable);
      break;
    default:
      g_assert_not_reached ();
    }
}

static void
test_follow_lookback (void)
{
  gint64 now = g_get_real_time () / 1000;
  g_autofree char *log = write_log ("lookback", now - 100 * 1000, 1000, 100);
  g_autoptr(Server) server = server_start (log, NULL);
  g_autoptr(DhCloudWatchClient) client = make_client (server, SECRET_KEY, NULL);
  g_autoptr(DhCloudWatchFetch) fetch = NULL;
  g_autoptr(GError) error = NULL;
  Run run = { 0 };

  fetch = dh_cloudwatch_fetch_new (client, GROUP, now - 600 * 1000, -1);
  dh_cloudwatch_fetch_set_follow (fetch, TRUE);
  dh_cloudwatch_fetch_set_poll_interval (fetch, 50);
  dh_cloudwatch_fetch_set_lookback (fetch, 30000);
  run.server = server;
  g_signal_connect (fetch, "caught-up", G_CALLBACK (on_caught_up_lookback), &run);
  run_fetch (fetch, &run);
  g_assert_false (dh_cloudwatch_fetch_run_finish (fetch, run.result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (run.duplicates, ==, 0);
  g_assert_cmpuint (g_hash_table_size (run.ids), ==, 101);
  run_clear (&run);
}

static void
on_poll_failed (DhCloudWatchFetch *fetch,
                const GError      *error,
                gpointer           data)
{
  Run *run = data;

  g_assert_error (error, DH_CLOUDWATCH_ERROR, DH_CLOUDWATCH_ERROR_THROTTLED);
  run->stage = 100;
}

static void
on_caught_up_after_failure (DhCloudWatchFetch *fetch,
                            guint64            n_new,
                            gpointer           data)
{
  Run *run = data;

  if (run->caught_up++ == 0)
    server_control (run->server, "{\"throttle\": 6}");   /* beyond the client's 6 attempts */
  else if (run->stage == 100)
    g_cancellable_cancel (run->cancellable);  /* a poll after the failed one worked */
}

static void
test_follow_survives_throttling (void)
{
  gint64 now = g_get_real_time () / 1000;
  g_autofree char *log = write_log ("survive", now - 10 * 1000, 1000, 10);
  g_autoptr(Server) server = server_start (log, NULL);
  g_autoptr(DhCloudWatchClient) client = make_client (server, SECRET_KEY, NULL);
  g_autoptr(DhCloudWatchFetch) fetch = NULL;
  g_autoptr(GError) error = NULL;
  Run run = { 0 };

  fetch = dh_cloudwatch_fetch_new (client, GROUP, now - 600 * 1000, -1);
  dh_cloudwatch_fetch_set_follow (fetch, TRUE);
  dh_cloudwatch_fetch_set_poll_interval (fetch, 20);
  run.server = server;
  g_signal_connect (fetch, "caught-up", G_CALLBACK (on_caught_up_after_failure), &run);
  g_signal_connect (fetch, "poll-failed", G_CALLBACK (on_poll_failed), &run);
  run_fetch (fetch, &run);
  g_assert_false (dh_cloudwatch_fetch_run_finish (fetch, run.result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (run.stage, ==, 100);
  g_assert_cmpuint (g_hash_table_size (run.ids), ==, 10);
  run_clear (&run);
}

/* ---- credential refresh -------------------------------------------------- */

static void
test_expired_token_refreshes (void)
{
  g_autofree char *log = write_log ("refresh", BASE_MS, 1000, 10);
  g_autoptr(Server) server = server_start (log, "--session-token", "tOkEn-B",
                                           "--expired-token", "tOkEn-A", NULL);
  g_autofree char *home = g_build_filename (tmpdir, "home", NULL);
  g_autofree char *aws = g_build_filename (home, ".aws", NULL);
  g_autofree char *script = g_build_filename (tmpdir, "creds.sh", NULL);
  g_autofree char *config = g_build_filename (aws, "config", NULL);
  g_autofree char *counter = g_build_filename (tmpdir, "creds-runs", NULL);
  g_autofree char *script_text = NULL;
  g_autofree char *config_text = NULL;
  g_autoptr(DhAwsCredentials) creds = NULL;
  g_autoptr(DhCloudWatchClient) client = NULL;
  g_autoptr(DhCloudWatchFetch) fetch = NULL;
  g_autoptr(GError) error = NULL;
  Run run = { 0 };

  /* the first run hands out token A (expired, says the server), then B */
  script_text = g_strdup_printf (
    "#!/bin/sh\nif [ -e '%s' ]; then t=tOkEn-B; else t=tOkEn-A; touch '%s'; fi\n"
    "printf '{\"Version\":1,\"AccessKeyId\":\"%s\",\"SecretAccessKey\":\"%s\","
    "\"SessionToken\":\"%%s\",\"Expiration\":\"2099-01-01T00:00:00Z\"}' \"$t\"\n",
    counter, counter, ACCESS_KEY, SECRET_KEY);
  config_text = g_strdup_printf ("[profile sso]\nregion = us-east-1\n"
                                 "credential_process = sh '%s'\n", script);
  g_mkdir_with_parents (aws, 0700);
  g_file_set_contents (script, script_text, -1, &error);
  g_file_set_contents (config, config_text, -1, &error);
  g_assert_no_error (error);
  g_setenv ("AWS_CONFIG_FILE", config, TRUE);
  g_setenv ("AWS_SHARED_CREDENTIALS_FILE", config, TRUE);

  creds = dh_aws_credentials_new ("sso", &error);
  g_assert_no_error (error);
  client = dh_cloudwatch_client_new (creds, "us-east-1", server->url, &error);
  g_assert_no_error (error);
  dh_cloudwatch_client_set_rate_limit (client, 0);
  fetch = dh_cloudwatch_fetch_new (client, GROUP, BASE_MS, -1);
  run_fetch (fetch, &run);
  dh_cloudwatch_fetch_run_finish (fetch, run.result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (run.ids), ==, 10);
  g_unsetenv ("AWS_CONFIG_FILE");
  g_unsetenv ("AWS_SHARED_CREDENTIALS_FILE");
  run_clear (&run);
}

/* ---- DescribeLogGroups ------------------------------------------------- */

static void
got_groups (GObject      *source,
            GAsyncResult *result,
            gpointer      data)
{
  *(GAsyncResult **) data = g_object_ref (result);
}

static void
test_describe_log_groups (void)
{
  g_autofree char *log = write_log ("groups", BASE_MS, 1000, 1);
  g_autoptr(Server) server = server_start (log, "--group", "/aws/route53/a", "--group",
                                           "/aws/route53/b", "--group", "/aws/route53/c",
                                           "--group", "/other", "--groups-page-size", "1",
                                           NULL);
  g_autoptr(DhCloudWatchClient) client = make_client (server, SECRET_KEY, NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) groups = NULL;
  g_autoptr(GError) error = NULL;

  dh_cloudwatch_client_describe_log_groups_async (client, "/aws/route53/", 0, NULL, got_groups,
                                                  &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  groups = dh_cloudwatch_client_describe_log_groups_finish (client, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (groups->len, ==, 3);
  g_assert_cmpstr (((DhLogGroup *) groups->pdata[0])->name, ==, "/aws/route53/a");
  g_assert_cmpstr (((DhLogGroup *) groups->pdata[2])->name, ==, "/aws/route53/c");
  g_assert_true (g_str_has_prefix (((DhLogGroup *) groups->pdata[2])->arn, "arn:aws:logs:"));
}

/* ---- the rate limit ------------------------------------------------------ */

static void
test_token_bucket (void)
{
  g_autoptr(DhTokenBucket) bucket = dh_token_bucket_new (5, 5);
  g_autoptr(DhTokenBucket) a = dh_token_bucket_get_shared ("AKID/us-east-1/op/5", 5, 5);
  g_autoptr(DhTokenBucket) b = dh_token_bucket_get_shared ("AKID/us-east-1/op/5", 5, 5);
  g_autoptr(DhTokenBucket) c = dh_token_bucket_get_shared ("AKID/eu-west-1/op/5", 5, 5);
  gint64 t0 = g_get_monotonic_time () + G_USEC_PER_SEC;

  for (guint i = 0; i < 5; i++)
    g_assert_cmpint (dh_token_bucket_reserve (bucket, t0), ==, 0);
  g_assert_cmpint (dh_token_bucket_reserve (bucket, t0), ==, 200000);
  g_assert_cmpint (dh_token_bucket_reserve (bucket, t0), ==, 400000);
  dh_token_bucket_refund (bucket);
  g_assert_cmpint (dh_token_bucket_reserve (bucket, t0), ==, 400000);
  /* a second later five more tokens, less the two still owed */
  g_assert_cmpint (dh_token_bucket_reserve (bucket, t0 + G_USEC_PER_SEC), ==, 0);
  g_assert_true (a == b);
  g_assert_true (a != c);
}

static void
test_rate_limit_holds (void)
{
  g_autofree char *log = write_log ("rate", BASE_MS, 1000, 300);
  g_autoptr(Server) server = server_start (log, "--page-size", "10", NULL);
  g_autoptr(DhCloudWatchClient) client = make_client (server, SECRET_KEY, NULL);
  g_autoptr(DhCloudWatchFetch) fetch = dh_cloudwatch_fetch_new (client, GROUP, BASE_MS, -1);
  g_autoptr(JsonObject) stats = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *requests;
  guint n, worst = 0;
  Run run = { 0 };

  /* 30 pages at 10 requests/s (burst 10), from 4 concurrent slices */
  dh_cloudwatch_client_set_rate_limit (client, 10);
  dh_cloudwatch_fetch_set_slices (fetch, 4);
  run_fetch (fetch, &run);
  g_assert_true (dh_cloudwatch_fetch_run_finish (fetch, run.result, &error));
  g_assert_cmpuint (g_hash_table_size (run.ids), ==, 300);
  stats = server_stats (server);
  requests = json_object_get_array_member (stats, "requests");
  n = json_array_get_length (requests);
  g_assert_cmpuint (n, >=, 30);
  for (guint i = 0; i < n; i++)
    {
      double t = json_object_get_double_member (json_array_get_object_element (requests, i), "t");
      guint in_window = 0;
      for (guint j = i; j < n; j++)
        if (json_object_get_double_member (json_array_get_object_element (requests, j), "t")
            < t + 1.0)
          in_window++;
      worst = MAX (worst, in_window);
    }
  /* a full bucket plus one second of refill, and a little clock slack */
  g_assert_cmpuint (worst, <=, 21);
  run_clear (&run);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);
  if (g_getenv ("DH_PYTHON") == NULL || g_getenv ("DH_CLOUDWATCH_SERVER") == NULL)
    {
      g_test_skip ("DH_PYTHON and DH_CLOUDWATCH_SERVER are not set");
      return 0;
    }
  tmpdir = g_dir_make_tmp ("dh-cloudwatch-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("HOME", tmpdir, TRUE);

  g_test_add_func ("/cloudwatch/token-bucket", test_token_bucket);
  g_test_add_func ("/cloudwatch/every-event-once", test_every_event_once);
  g_test_add_func ("/cloudwatch/retry-signed-anew", test_retry_signed_anew);
  g_test_add_func ("/cloudwatch/errors", test_errors);
  g_test_add_func ("/cloudwatch/deep-replies", test_deep_replies);
  g_test_add_func ("/cloudwatch/network-down", test_network_down);
  g_test_add_func ("/cloudwatch/cancel-mid-fetch", test_cancel_mid_fetch);
  g_test_add_func ("/cloudwatch/redirect-not-followed", test_redirect_not_followed);
  g_test_add_func ("/cloudwatch/huge-reply", test_huge_reply);
  g_test_add_func ("/cloudwatch/token-cycle", test_token_cycle);
  g_test_add_func ("/cloudwatch/trickle-deadline", test_trickle_deadline);
  g_test_add_func ("/cloudwatch/follow", test_follow);
  g_test_add_func ("/cloudwatch/follow-lookback", test_follow_lookback);
  g_test_add_func ("/cloudwatch/follow-survives-throttling", test_follow_survives_throttling);
  g_test_add_func ("/cloudwatch/expired-token-refreshes", test_expired_token_refreshes);
  g_test_add_func ("/cloudwatch/describe-log-groups", test_describe_log_groups);
  g_test_add_func ("/cloudwatch/rate-limit-holds", test_rate_limit_holds);
  ret = g_test_run ();
  {
    g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", tmpdir);
    g_spawn_command_line_sync (cmd, NULL, NULL, NULL, NULL);
  }
  return ret;
}
