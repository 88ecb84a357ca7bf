/* fuzz-cloudwatch.c: libFuzzer target for what the CloudWatch client makes of replies
 *
 * A loopback server on a thread of this process answers every request with
 * the input: its first byte picks the HTTP status (modulo 8: success, an AWS
 * error, throttling, a server error) and the call (its bit 8: FilterLogEvents,
 * whose pages are parsed on a worker thread, or DescribeLogGroups); the rest
 * is the body. The client must turn every reply into a page or an error,
 * without crashing, hanging or leaking.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "dh-cloudwatch-client.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static const guint statuses[] = { 200, 200, 200, 400, 403, 429, 500, 503 };

static int listener = -1;
static DhCloudWatchClient *client;
static GMutex lock;
static GBytes *reply;
static guint reply_status;

static gboolean
write_all (int         fd,
           const char *data,
           gsize       len)
{
  while (len > 0)
    {
      ssize_t n = send (fd, data, len, MSG_NOSIGNAL);
      if (n <= 0)
        return FALSE;
      data += n;
      len -= n;
    }
  return TRUE;
}

/* Reads one request (headers, then Content-Length bytes of body). */
static gboolean
read_request (int fd)
{
  g_autoptr(GString) in = g_string_new (NULL);
  const char *end = NULL;
  gsize want = 0;
  char buf[4096];

  while (end == NULL || in->len < want)
    {
      ssize_t n = recv (fd, buf, sizeof buf, 0);
      if (n <= 0)
        return FALSE;
      g_string_append_len (in, buf, n);
      if (end == NULL && (end = strstr (in->str, "\r\n\r\n")) != NULL)
        {
          const char *cl = strcasestr (in->str, "\r\nContent-Length:");
          want = end - in->str + 4;
          if (cl != NULL && cl < end)
            want += g_ascii_strtoull (cl + 17, NULL, 10);
        }
    }
  return TRUE;
}

/* One connection a request: the client closes it after the reply. */
static gpointer
serve (gpointer data)
{
  for (;;)
    {
      int fd = accept (listener, NULL, NULL);
      g_autoptr(GString) out = g_string_new (NULL);
      gsize len;
      const char *body;

      if (fd < 0)
        continue;
      if (read_request (fd))
        {
          /* in one write: a second small one would wait for an acknowledgement */
          g_mutex_lock (&lock);
          body = g_bytes_get_data (reply, &len);
          g_string_printf (out, "HTTP/1.1 %u Fuzz\r\nContent-Type: application/x-amz-json-1.1\r\n"
                           "Content-Length: %zu\r\nConnection: close\r\n\r\n",
                           reply_status, len);
          g_string_append_len (out, body, len);
          g_mutex_unlock (&lock);
          write_all (fd, out->str, out->len);
        }
      close (fd);
    }
  return NULL;
}

static void
start (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DhAwsKeys) keys = NULL;
  g_autoptr(DhAwsCredentials) creds = NULL;
  g_autofree char *endpoint = NULL;
  struct sockaddr_in addr = { .sin_family = AF_INET };
  socklen_t addr_len = sizeof addr;

  addr.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  listener = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listener < 0 || bind (listener, (struct sockaddr *) &addr, sizeof addr) < 0 ||
      listen (listener, 16) < 0 ||
      getsockname (listener, (struct sockaddr *) &addr, &addr_len) < 0)
    {
      perror ("fuzz-cloudwatch: cannot listen");
      abort ();
    }
  g_thread_unref (g_thread_new ("server", serve, NULL));

  endpoint = g_strdup_printf ("http://127.0.0.1:%u", ntohs (addr.sin_port));
  keys = dh_aws_keys_new ("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", NULL, 0,
                          "the fuzzer");
  creds = dh_aws_credentials_new_for_keys (keys, "us-east-1");
  client = dh_cloudwatch_client_new (creds, "us-east-1", endpoint, &error);
  if (client == NULL)
    {
      fprintf (stderr, "no client: %s\n", error->message);
      abort ();
    }
  /* one attempt: a retry would only get the same reply */
  dh_cloudwatch_client_set_rate_limit (client, 0);
  dh_cloudwatch_client_set_retry_policy (client, 1, 1, 1);
}

static void
done (GObject      *source,
      GAsyncResult *result,
      gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  DhLogEventQuery query = { "/aws/route53/resolver", 0, -1, NULL, 0 };

  if (size < 1)
    return 0;
  if (client == NULL)
    start ();
  g_mutex_lock (&lock);
  g_clear_pointer (&reply, g_bytes_unref);
  reply_status = statuses[data[0] % G_N_ELEMENTS (statuses)];
  reply = g_bytes_new (data + 1, size - 1);
  g_mutex_unlock (&lock);

  if ((data[0] / 8) % 2 == 1)
    {
      g_autoptr(GPtrArray) groups = NULL;

      dh_cloudwatch_client_describe_log_groups_async (client, "/aws/", 100, NULL, done, &result);
      while (result == NULL)
        g_main_context_iteration (NULL, TRUE);
      groups = dh_cloudwatch_client_describe_log_groups_finish (client, result, &error);
    }
  else
    {
      g_autoptr(DhLogEventPage) page = NULL;

      dh_cloudwatch_client_filter_log_events_async (client, &query, NULL, NULL, done, &result);
      while (result == NULL)
        g_main_context_iteration (NULL, TRUE);
      page = dh_cloudwatch_client_filter_log_events_finish (client, result, &error);
      if (page != NULL)
        for (guint i = 0; i < dh_log_event_page_get_n_events (page); i++)
          g_assert_nonnull (dh_log_event_page_get_event (page, i)->message);
    }
  return 0;
}
