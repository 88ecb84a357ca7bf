/* bench-cloudwatch.c: how fast a log group comes in, against the loopback server
 *
 * Not a test: `meson test -C _build --benchmark` (or run it by hand) prints
 * events/s and requests/s for the whole path the CLI takes (signed requests,
 * pages parsed in a worker, every message through the reader into the store),
 * once with CloudWatch's own rate (5 FilterLogEvents requests/s per account
 * and region, pages of at most 1 MB as AWS sends them) and once without a rate
 * limit, which measures the client and the test server rather than AWS.
 *
 * DH_BENCH_EVENTS sets the number of events (default 100,000).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gstdio.h>
#include <gio/gio.h>

#include "dh-cloudwatch-client.h"
#include "dh-cloudwatch-fetch.h"
#include "dh-reader.h"

#define GROUP   "/aws/route53/resolver"
#define BASE_MS G_GINT64_CONSTANT (1772438400000)   /* 2026-03-02T08:00:00Z */

typedef struct
{
  DhReader     *reader;
  guint64       line;
  gint64        reading;    /* µs spent handing messages to the reader */
  GAsyncResult *result;
} Bench;

static void
on_events (DhCloudWatchFetch *fetch,
           DhLogEventPage    *batch,
           gpointer           data)
{
  Bench *bench = data;
  gint64 t0 = g_get_monotonic_time ();

  for (guint i = 0; i < dh_log_event_page_get_n_events (batch); i++)
    dh_reader_add_message (bench->reader, dh_log_event_page_get_event (batch, i)->message, -1,
                           ++bench->line);
  bench->reading += g_get_monotonic_time () - t0;
}

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      data)
{
  ((Bench *) data)->result = g_object_ref (result);
}

static char *
write_log (const char *dir,
           guint       n)
{
  char *path = g_build_filename (dir, "bench.log", NULL);
  FILE *f = fopen (path, "w");
  static const char *names[] = { "www.example.com.", "api.example.net.", "cdn.example.org.",
                                 "s3.us-east-1.amazonaws.com.", "login.example.com." };

  g_assert_nonnull (f);
  for (guint i = 0; i < n; i++)
    {
      gint64 ms = BASE_MS + (gint64) i * 7200000 / n;
      g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (ms / 1000);
      g_autofree char *when = g_date_time_format (dt, "%Y-%m-%dT%H:%M:%S");

      fprintf (f, "{\"version\":\"1.100000\",\"account_id\":\"111122223333\","
                  "\"region\":\"us-east-1\",\"vpc_id\":\"vpc-0abc\","
                  "\"query_timestamp\":\"%s.%03dZ\",\"query_name\":\"%s\","
                  "\"query_type\":\"A\",\"query_class\":\"IN\",\"rcode\":\"NOERROR\","
                  "\"answers\":[{\"Rdata\":\"93.184.216.34\",\"Type\":\"A\",\"Class\":\"IN\"}],"
                  "\"srcaddr\":\"10.0.%u.%u\",\"srcport\":\"5353\",\"transport\":\"UDP\","
                  "\"srcids\":{\"instance\":\"i-0abc%05u\"}}\n",
               when, (int) (ms % 1000), names[i % G_N_ELEMENTS (names)], (i / 250) % 250,
               i % 250, i % 40);
    }
  fclose (f);
  return path;
}

static void
run (const char *url,
     double      rate,
     guint       n_events)
{
  g_autoptr(DhAwsKeys) keys = dh_aws_keys_new ("AKIDEXAMPLE",
                                               "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                                               NULL, 0, "the benchmark");
  g_autoptr(DhAwsCredentials) creds = dh_aws_credentials_new_for_keys (keys, NULL);
  g_autoptr(DhCloudWatchClient) client = NULL;
  g_autoptr(DhCloudWatchFetch) fetch = NULL;
  g_autoptr(DhEventStore) store = dh_event_store_new ();
  g_autoptr(DhReader) reader = dh_reader_new (store);
  g_autoptr(GError) error = NULL;
  Bench bench = { reader, 0, 0, NULL };
  gint64 t0, t1;
  double secs;

  client = dh_cloudwatch_client_new (creds, "us-east-1", url, &error);
  g_assert_no_error (error);
  dh_cloudwatch_client_set_rate_limit (client, rate);
  fetch = dh_cloudwatch_fetch_new (client, GROUP, BASE_MS, BASE_MS + 7200000);
  g_signal_connect (fetch, "events", G_CALLBACK (on_events), &bench);
  dh_event_store_begin_source (store, "cloudwatch:" GROUP);

  t0 = g_get_monotonic_time ();
  dh_cloudwatch_fetch_run_async (fetch, NULL, on_done, &bench);
  while (bench.result == NULL)
    g_main_context_iteration (NULL, TRUE);
  t1 = g_get_monotonic_time ();
  dh_cloudwatch_fetch_run_finish (fetch, bench.result, &error);
  g_assert_no_error (error);
  g_object_unref (bench.result);
  dh_event_store_end_source (store);
  g_assert_cmpuint (dh_event_store_get_n_events (store), ==, n_events);

  secs = (t1 - t0) / 1e6;
  printf ("%-28s %8u events in %6.2f s: %9.0f events/s, %5.2f requests/s (%u requests, "
          "%u pages); the reader took %.2f s of it\n",
          rate > 0 ? "rate limit 5 requests/s:" : "no rate limit:",
          dh_event_store_get_n_events (store), secs, n_events / secs,
          dh_cloudwatch_client_get_n_requests (client) / secs,
          dh_cloudwatch_client_get_n_requests (client), dh_cloudwatch_fetch_get_n_pages (fetch),
          bench.reading / 1e6);
  fflush (stdout);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("dh-bench-XXXXXX", &error);
  g_autofree char *log = NULL;
  g_autofree char *url = NULL;
  g_autofree char *line = NULL;
  g_autoptr(GSubprocess) server = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  const char *env = g_getenv ("DH_BENCH_EVENTS");
  guint n = env ? (guint) g_ascii_strtoull (env, NULL, 10) : 100000;

  g_assert_no_error (error);
  if (g_getenv ("DH_PYTHON") == NULL || g_getenv ("DH_CLOUDWATCH_SERVER") == NULL)
    {
      fprintf (stderr, "set DH_PYTHON and DH_CLOUDWATCH_SERVER (meson does)\n");
      return 1;
    }
  log = write_log (dir, n);
  server = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE,
                             &error, g_getenv ("DH_PYTHON"), g_getenv ("DH_CLOUDWATCH_SERVER"),
                             "--log", log, "--page-size", "10000", NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server));
  line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  url = g_strdup_printf ("http://127.0.0.1:%s", line);

  printf ("CloudWatch Logs fetch, %u events (about %u bytes each) over 2 hours, loopback "
          "server, pages of at most 1 MB\n", n, 450);
  run (url, 5, n);
  run (url, 0, n);

  g_output_stream_close (g_subprocess_get_stdin_pipe (server), NULL, NULL);
  g_subprocess_wait (server, NULL, NULL);
  g_remove (log);
  g_rmdir (dir);
  return 0;
}
