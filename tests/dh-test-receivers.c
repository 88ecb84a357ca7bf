/* dh-test-receivers.c: the notification stand-ins (notify_server.py) for
 * the C tests
 *
 * The Python stand-in runs as a program (Debian's interpreter, DH_PYTHON):
 * it prints its port, serves until its standard input closes, and answers
 * GET /_received with what arrived.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <libsoup/soup.h>

#include "dh-test-receivers.h"

struct _DhTestReceivers
{
  GSubprocess *proc;
  char        *base;
  SoupSession *session;
};

/**
 * dh_test_receivers_start:
 * @routing_key: (nullable): the PagerDuty routing key the stand-in takes
 */
DhTestReceivers *
dh_test_receivers_start (const char *routing_key)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *line = NULL;
  g_autofree char *script = g_build_filename (g_getenv ("G_TEST_SRCDIR"), "notify_server.py",
                                              NULL);
  const char *argv[] = { g_getenv ("DH_PYTHON"), script, "--routing-key",
                         routing_key ? routing_key : "", NULL };
  DhTestReceivers *rx = g_new0 (DhTestReceivers, 1);

  rx->proc = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (rx->proc));
  line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  rx->base = g_strdup_printf ("http://127.0.0.1:%s", line);
  rx->session = soup_session_new ();
  return rx;
}

void
dh_test_receivers_stop (DhTestReceivers *rx)
{
  g_output_stream_close (g_subprocess_get_stdin_pipe (rx->proc), NULL, NULL);
  g_subprocess_wait (rx->proc, NULL, NULL);
  g_object_unref (rx->proc);
  g_object_unref (rx->session);
  g_free (rx->base);
  g_free (rx);
}

/* http://127.0.0.1:PORT: its paths are /slack/…, /pagerduty, /webhook */
const char *
dh_test_receivers_get_base (DhTestReceivers *rx)
{
  return rx->base;
}

/**
 * dh_test_receivers_accepted:
 * @kind: "slack", "pagerduty" or "webhook"
 *
 * Returns: (transfer full): the bodies @kind accepted (2xx), as JSON, one a
 *   line, oldest first
 */
char *
dh_test_receivers_accepted (DhTestReceivers *rx,
                            const char      *kind)
{
  g_autofree char *url = g_strconcat (rx->base, "/_received", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) reply = soup_session_send_and_read (rx->session, msg, NULL, &error);
  g_autoptr(JsonNode) node = NULL;
  GString *s = g_string_new (NULL);
  JsonArray *all;

  g_assert_no_error (error);
  node = json_from_string (g_bytes_get_data (reply, NULL), &error);
  g_assert_no_error (error);
  all = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (all); i++)
    {
      JsonObject *o = json_array_get_object_element (all, i);
      gint64 status = json_object_get_int_member_with_default (o, "status", 0);
      g_autofree char *body = NULL;

      if (g_strcmp0 (json_object_get_string_member_with_default (o, "kind", ""), kind) != 0 ||
          status < 200 || status >= 300)
        continue;
      body = json_to_string (json_object_get_member (o, "body"), FALSE);
      g_string_append_printf (s, "%s\n", body);
    }
  return g_string_free (s, FALSE);
}
