/* test-ui-cloudwatch.c: Connect to CloudWatch, in the window
 *
 * Against the loopback CloudWatch Logs server (tests/cloudwatch-server.py,
 * which checks every SigV4 signature), through the dialog's own code path:
 * the demo log read from CloudWatch gives the window the same alerts as the
 * file; following shows a new alert seconds after it is logged; Disconnect
 * leaves no request out; a wrong secret is said in the dialog, and the
 * secret is in none of its texts.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include <adwaita.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "dh-alert-item.h"
#include "dh-alerts-page.h"
#include "dh-cloudwatch-dialog.h"
#include "dh-live-bar.h"
#include "dh-live-source.h"
#include "dh-overview-page.h"
#include "dh-preferences-window.h"
#include "dh-test-receivers.h"
#include "dh-window.h"

#define ACCESS_KEY   "AKIDEXAMPLE"
#define SECRET_KEY   "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
#define WRONG_SECRET "Zq9WrongSecretDoNotShowMe0000000000000000"
#define GROUP        "/aws/route53/resolver"
/* 2026-03-02T00:00:00Z and 2026-03-03T00:00:00Z, in ms */
#define DAY_START    G_GINT64_CONSTANT (1772409600000)
#define DAY_END      G_GINT64_CONSTANT (1772496000000)

typedef gboolean (*Condition) (gpointer data);

static void
run_until (Condition cond,
           gpointer  data,
           guint     seconds)
{
  gint64 deadline = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;

  while (!cond (data))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

/* ---- the server -------------------------------------------------------- */

typedef struct
{
  GSubprocess *proc;
  char        *url;
  char        *log;
  SoupSession *session;
} Server;

static Server *
server_start (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *line = NULL;
  g_autofree char *dir = g_dir_make_tmp ("dnshunt-cw-XXXXXX", &error);
  g_autofree char *demo = g_build_filename (DH_SOURCE_DEMO_DIR, "route53-demo.log.gz", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GConverter) gunzip = G_CONVERTER (g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP));
  g_autoptr(GFile) file = g_file_new_for_path (demo);
  g_autoptr(GInputStream) raw = NULL, in = NULL;
  g_autoptr(GFile) dest = NULL;
  g_autoptr(GFileOutputStream) os = NULL;
  Server *server = g_new0 (Server, 1);

  g_assert_no_error (error);
  /* plain lines, so the test can append to the file */
  server->log = g_build_filename (dir, "route53.log", NULL);
  raw = G_INPUT_STREAM (g_file_read (file, NULL, &error));
  g_assert_no_error (error);
  in = g_converter_input_stream_new (raw, gunzip);
  dest = g_file_new_for_path (server->log);
  os = g_file_replace (dest, NULL, FALSE, G_FILE_CREATE_NONE, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_splice (G_OUTPUT_STREAM (os), in, G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE |
                          G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, NULL, &error);
  g_assert_no_error (error);

  {
    const char *argv[] = { g_getenv ("DH_PYTHON"), g_getenv ("DH_CLOUDWATCH_SERVER"),
                           "--log", server->log, "--page-size", "500", NULL };
    server->proc = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                      G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  }
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server->proc));
  line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  server->url = g_strdup_printf ("http://127.0.0.1:%s", line);
  server->session = soup_session_new ();
  return server;
}

static void
server_stop (Server *server)
{
  g_autofree char *dir = g_path_get_dirname (server->log);

  g_output_stream_close (g_subprocess_get_stdin_pipe (server->proc), NULL, NULL);
  g_subprocess_wait (server->proc, NULL, NULL);
  g_object_unref (server->proc);
  g_object_unref (server->session);
  g_remove (server->log);
  g_rmdir (dir);
  g_free (server->log);
  g_free (server->url);
  g_free (server);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Server, server_stop)

static JsonObject *
server_stats (Server *server)
{
  g_autofree char *url = g_strconcat (server->url, "/_stats", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) reply = soup_session_send_and_read (server->session, msg, NULL, &error);
  g_autoptr(JsonNode) node = NULL;

  g_assert_no_error (error);
  node = json_from_string (g_bytes_get_data (reply, NULL), &error);
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (node));
}

/* ---- the window -------------------------------------------------------- */

static DhApplication *app;

/* one application for every test: it stays registered on the bus */
static void
app_init (void)
{
  g_autoptr(GError) error = NULL;

  app = dh_application_new ();

  g_application_set_flags (G_APPLICATION (app),
                           G_APPLICATION_NON_UNIQUE | G_APPLICATION_HANDLES_OPEN);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
}

static gboolean
window_loaded (gpointer data)
{
  DhInvestigation *inv = dh_window_get_investigation (data);

  return dh_investigation_has_data (inv) && !dh_investigation_is_loading (inv) &&
         !dh_investigation_is_analyzing (inv);
}

static GListModel *
alert_model (DhWindow *window)
{
  DhAlertsPage *page = DH_ALERTS_PAGE (gtk_widget_get_template_child (GTK_WIDGET (window),
                                                                      DH_TYPE_WINDOW,
                                                                      "alerts_page"));
  return dh_alerts_page_get_model (page);
}

/* the alert list shows the investigation's alerts (it rebuilds in an idle) */
static gboolean
alerts_shown (DhWindow *window)
{
  DhAlertSet *set = dh_investigation_get_alerts (dh_window_get_investigation (window));
  GListModel *model = alert_model (window);

  if (set == NULL || g_list_model_get_n_items (model) != dh_alert_set_get_n_alerts (set))
    return FALSE;
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(DhAlertItem) item = g_list_model_get_item (model, i);
      if (dh_alert_item_get_set (item) != set)
        return FALSE;
    }
  return TRUE;
}

static gboolean
live_done (gpointer data)
{
  DhLiveSource *live = dh_live_bar_get_source (dh_window_get_live_bar (data));

  return live && !dh_live_source_is_busy (live) && window_loaded (data) && alerts_shown (data);
}

static gboolean
files_done (gpointer data)
{
  return window_loaded (data) && alerts_shown (data);
}

static int
compare_lines (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(char * const *) a, *(char * const *) b);
}

/* "rule host" for every alert the window lists, sorted */
static char *
alert_summary (DhWindow *window)
{
  GListModel *model = alert_model (window);
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(DhAlertItem) item = g_list_model_get_item (model, i);
      g_ptr_array_add (lines, g_strdup_printf ("%s %s", dh_alert_item_get_rule (item)->id,
                                               dh_alert_item_get_host (item)));
    }
  g_ptr_array_sort (lines, compare_lines);
  for (guint i = 0; i < lines->len; i++)
    g_string_append_printf (s, "%s\n", (char *) lines->pdata[i]);
  return g_string_free (s, FALSE);
}

static gboolean
has_host_alert (gpointer data)
{
  g_autofree char *summary = alert_summary (data);

  return strstr (summary, " 10.9.9.9\n") != NULL;
}

typedef struct
{
  DhWindow   *window;
  const char *host;
} HostAlert;

static gboolean
host_alert_shown (gpointer data)
{
  HostAlert *h = data;
  g_autofree char *summary = alert_summary (h->window);
  g_autofree char *needle = g_strdup_printf (" %s\n", h->host);

  return strstr (summary, needle) != NULL;
}

/* appends one record to the served log, as the service would log it */
static void
append_record (Server     *server,
               GDateTime  *when,
               const char *name,
               const char *host)
{
  g_autofree char *stamp = g_date_time_format_iso8601 (when);
  FILE *f = fopen (server->log, "a");

  g_assert_nonnull (f);
  fprintf (f, "{\"version\":\"1.100000\",\"account_id\":\"111122223333\","
           "\"region\":\"us-east-1\",\"vpc_id\":\"vpc-0bdd640fb06671ad1\","
           "\"query_timestamp\":\"%s\",\"query_name\":\"%s\",\"query_type\":\"A\","
           "\"query_class\":\"IN\",\"rcode\":\"NOERROR\",\"answers\":[],\"srcaddr\":\"%s\","
           "\"srcport\":\"4444\",\"transport\":\"UDP\",\"srcids\":{\"instance\":\"i-0feed\"}}\n",
           stamp, name, host);
  fclose (f);
}

static gboolean
dialog_idle (gpointer data)
{
  return !dh_cloudwatch_dialog_is_busy (data);
}

static void
set_credentials (const char *secret)
{
  g_setenv ("AWS_ACCESS_KEY_ID", ACCESS_KEY, TRUE);
  g_setenv ("AWS_SECRET_ACCESS_KEY", secret, TRUE);
  g_unsetenv ("AWS_SESSION_TOKEN");
  g_unsetenv ("AWS_PROFILE");
  g_setenv ("AWS_REGION", "us-east-1", TRUE);
  g_setenv ("AWS_CONFIG_FILE", "/nonexistent/dnshunt-test/config", TRUE);
  g_setenv ("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/dnshunt-test/credentials", TRUE);
}

static void
test_range_same_alerts (void)
{
  g_autoptr(Server) server = server_start ();
  const char *paths[] = { DH_SOURCE_DEMO_DIR, NULL };
  DhWindow *files, *window;
  DhCloudWatchDialog *dialog;
  g_autofree char *expected = NULL, *got = NULL;
  const char *status;

  set_credentials (SECRET_KEY);

  files = dh_window_new (app);
  dh_window_open_paths (files, paths, FALSE);
  run_until (files_done, files, 60);
  expected = alert_summary (files);

  window = dh_window_new (app);
  gtk_window_present (GTK_WINDOW (window));
  dialog = dh_cloudwatch_dialog_new (GTK_WINDOW (window), dh_window_get_session (window));
  g_object_ref_sink (dialog);
  gtk_window_present (GTK_WINDOW (dialog));
  dh_cloudwatch_dialog_connect_with (dialog, NULL, "us-east-1", server->url, GROUP,
                                     DAY_START, DAY_END, FALSE);
  run_until (live_done, window, 60);
  g_assert_cmpstr (dh_cloudwatch_dialog_get_error_text (dialog), ==, "");

  got = alert_summary (window);
  g_test_message ("status: %s; events %u; alerts %u; file alerts %u",
                  dh_live_bar_get_text (dh_window_get_live_bar (window)),
                  dh_event_store_get_n_events (
                    dh_investigation_get_store (dh_window_get_investigation (window))),
                  dh_alert_set_get_n_alerts (dh_investigation_get_alerts (dh_window_get_investigation (window))),
                  g_list_model_get_n_items (alert_model (files)));
  g_assert_cmpuint (g_list_model_get_n_items (alert_model (window)), ==, 11);
  g_assert_cmpuint (g_list_model_get_n_items (alert_model (window)), ==,
                    g_list_model_get_n_items (alert_model (files)));
  g_assert_cmpstr (got, ==, expected);
  g_assert_cmpuint (dh_event_store_get_n_events (
                      dh_investigation_get_store (dh_window_get_investigation (window))), ==,
                    dh_event_store_get_n_events (
                      dh_investigation_get_store (dh_window_get_investigation (files))));
  status = dh_live_bar_get_text (dh_window_get_live_bar (window));
  g_assert_nonnull (strstr (status, "5000 events"));

  g_object_unref (dialog);
  gtk_window_destroy (GTK_WINDOW (files));
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
overview_names_group (gpointer data)
{
  GtkWidget *overview = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (data),
                                                                   DH_TYPE_WINDOW,
                                                                   "overview_page"));
  GtkLabel *label = GTK_LABEL (gtk_widget_get_template_child (overview, DH_TYPE_OVERVIEW_PAGE,
                                                              "inputs_label"));

  return g_strcmp0 (gtk_label_get_text (label),
                    "From log group " GROUP " (us-east-1)") == 0;
}

static gboolean
following (gpointer data)
{
  DhLiveSource *live = dh_live_bar_get_source (dh_window_get_live_bar (data));

  return live && dh_live_source_get_n_snapshots (live) > 0 &&
         dh_cloudwatch_fetch_get_state (dh_live_source_get_fetch (live)) ==
           DH_CLOUDWATCH_FETCH_FOLLOWING && window_loaded (data) && alerts_shown (data);
}

static gboolean
fetch_follows (gpointer data)
{
  return dh_live_source_get_n_snapshots (data) > 0 &&
         dh_cloudwatch_fetch_get_state (dh_live_source_get_fetch (data)) ==
           DH_CLOUDWATCH_FETCH_FOLLOWING;
}

static gboolean
not_running (gpointer data)
{
  return !dh_live_source_is_running (data);
}

static void
test_follow (void)
{
  g_autoptr(Server) server = server_start ();
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) before = g_date_time_add_seconds (now, -30);
  g_autoptr(GDateTime) next_year = g_date_time_add_days (now, 365);
  g_autoptr(GDateTime) later = NULL;
  g_autoptr(JsonObject) stats = NULL;
  GSettings *settings = dh_application_get_settings (app);
  DhWindow *window;
  DhCloudWatchDialog *dialog;
  DhLiveSource *live;
  GtkSpinButton *lookback;
  HostAlert late = { NULL, "10.9.9.10" }, future = { NULL, "10.9.9.11" },
            after = { NULL, "10.9.9.12" };

  set_credentials (SECRET_KEY);
  window = dh_window_new (app);
  late.window = future.window = after.window = window;
  gtk_window_present (GTK_WINDOW (window));
  dialog = dh_cloudwatch_dialog_new (GTK_WINDOW (window), dh_window_get_session (window));
  g_object_ref_sink (dialog);
  /* how far every poll reads again, in minutes: the setting, in seconds */
  lookback = GTK_SPIN_BUTTON (gtk_widget_get_template_child (GTK_WIDGET (dialog),
                                                             DH_TYPE_CLOUDWATCH_DIALOG,
                                                             "lookback_spin"));
  g_assert_cmpfloat (gtk_spin_button_get_value (lookback), ==, 5);
  gtk_spin_button_set_value (lookback, 2);
  g_assert_cmpuint (g_settings_get_uint (settings, "cloudwatch-lookback"), ==, 120);
  dh_cloudwatch_dialog_connect_with (dialog, NULL, NULL, server->url, GROUP,
                                     DAY_START, -1, TRUE);
  live = dh_live_bar_get_source (dh_window_get_live_bar (window));
  while (live == NULL)
    {
      g_main_context_iteration (NULL, TRUE);
      live = dh_live_bar_get_source (dh_window_get_live_bar (window));
    }
  dh_cloudwatch_fetch_set_poll_interval (dh_live_source_get_fetch (live), 500);
  g_assert_cmpuint (dh_cloudwatch_fetch_get_lookback (dh_live_source_get_fetch (live)), ==,
                    120 * 1000);
  run_until (following, window, 60);
  g_assert_false (has_host_alert (window));
  g_assert_nonnull (strstr (dh_live_bar_get_text (dh_window_get_live_bar (window)),
                            "Following log group " GROUP));

  /* a Monero pool from a new host, now */
  append_record (server, now, "pool.supportxmr.com.", "10.9.9.9");
  run_until (has_host_alert, window, 15);
  /* the overview names the log group, not "0 inputs" */
  run_until (overview_names_group, window, 15);
  /* memory stays bounded: only the last hour (cloudwatch-retention) is kept,
   * and the demo's events are months older than the new one */
  g_assert_cmpuint (g_settings_get_uint (settings, "cloudwatch-retention"), ==, 3600);
  g_assert_cmpuint (dh_event_store_get_n_events (
                      dh_investigation_get_store (dh_window_get_investigation (window))), ==, 1);

  /* an event that comes in late, 30 s before the newest: within the lookback */
  append_record (server, before, "pastebin.com.", "10.9.9.10");
  run_until (host_alert_shown, &late, 15);

  /* one record dated next year, then one of now: the polls go on from when
   * the first came in, and the window keeps the last hour before the clock,
   * not the hour before next year */
  append_record (server, next_year, "paste.ee.", "10.9.9.11");
  run_until (host_alert_shown, &future, 15);
  later = g_date_time_new_now_utc ();
  append_record (server, later, "minexmr.com.", "10.9.9.12");
  run_until (host_alert_shown, &after, 15);
  g_assert_cmpuint (dh_event_store_get_n_events (
                      dh_investigation_get_store (dh_window_get_investigation (window))), ==, 4);

  /* Disconnect: the fetch ends and no request is left out */
  g_object_ref (live);
  dh_live_bar_disconnect (dh_window_get_live_bar (window));
  run_until (not_running, live, 10);
  g_usleep (200 * 1000);
  g_assert_cmpuint (dh_cloudwatch_client_get_n_in_flight (
                      dh_cloudwatch_fetch_get_client (dh_live_source_get_fetch (live))), ==, 0);
  stats = server_stats (server);
  g_assert_cmpint (json_object_get_int_member (stats, "in_flight"), ==, 0);
  /* the events read stay shown */
  g_assert_true (has_host_alert (window));
  g_object_unref (live);

  g_object_unref (dialog);
  gtk_window_destroy (GTK_WINDOW (window));
  g_settings_reset (settings, "cloudwatch-lookback");
}

/* Closing the investigation (or opening files) stops the live source. */
static void
test_close_detaches (void)
{
  g_autoptr(Server) server = server_start ();
  DhWindow *window;
  DhCloudWatchDialog *dialog;
  DhLiveSource *live;

  set_credentials (SECRET_KEY);
  window = dh_window_new (app);
  gtk_window_present (GTK_WINDOW (window));
  dialog = dh_cloudwatch_dialog_new (GTK_WINDOW (window), dh_window_get_session (window));
  g_object_ref_sink (dialog);
  dh_cloudwatch_dialog_connect_with (dialog, NULL, NULL, server->url, GROUP,
                                     DAY_START, -1, TRUE);
  run_until (following, window, 60);
  live = g_object_ref (dh_live_bar_get_source (dh_window_get_live_bar (window)));
  g_assert_true (dh_investigation_has_data (dh_window_get_investigation (window)));

  g_action_group_activate_action (G_ACTION_GROUP (window), "close-investigation", NULL);
  run_until (not_running, live, 10);
  g_assert_false (dh_investigation_has_data (dh_window_get_investigation (window)));
  g_assert_cmpuint (dh_cloudwatch_client_get_n_in_flight (
                      dh_cloudwatch_fetch_get_client (dh_live_source_get_fetch (live))), ==, 0);
  g_object_unref (live);

  g_object_unref (dialog);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
collect_texts (GtkWidget *widget,
               GString   *out)
{
  if (GTK_IS_LABEL (widget))
    g_string_append_printf (out, "%s\n", gtk_label_get_text (GTK_LABEL (widget)));
  if (GTK_IS_EDITABLE (widget))
    g_string_append_printf (out, "%s\n", gtk_editable_get_text (GTK_EDITABLE (widget)));
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    collect_texts (c, out);
}

static void
test_wrong_secret (void)
{
  g_autoptr(Server) server = server_start ();
  g_autoptr(GString) texts = g_string_new (NULL);
  DhWindow *window;
  DhCloudWatchDialog *dialog;
  const char *error;

  set_credentials (WRONG_SECRET);
  window = dh_window_new (app);
  dialog = dh_cloudwatch_dialog_new (GTK_WINDOW (window), dh_window_get_session (window));
  g_object_ref_sink (dialog);
  gtk_window_present (GTK_WINDOW (dialog));
  dh_cloudwatch_dialog_connect_with (dialog, NULL, "us-east-1", server->url, GROUP,
                                     DAY_START, DAY_END, FALSE);
  g_assert_true (dh_cloudwatch_dialog_is_busy (dialog));
  run_until (dialog_idle, dialog, 30);
  error = dh_cloudwatch_dialog_get_error_text (dialog);
  g_test_message ("error shown: %s", error);
  g_assert_nonnull (strcasestr (error, "signature"));
  /* nothing connected */
  g_assert_null (dh_live_bar_get_source (dh_window_get_live_bar (window)));
  g_assert_false (dh_investigation_has_data (dh_window_get_investigation (window)));

  collect_texts (GTK_WIDGET (dialog), texts);
  g_assert_nonnull (strstr (texts->str, "signature"));
  g_assert_null (strstr (texts->str, WRONG_SECRET));
  g_assert_null (strstr (texts->str, "Zq9Wrong"));

  g_object_unref (dialog);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* A wrong region and a missing log group are said in the dialog too. */
static void
test_dialog_errors (void)
{
  g_autoptr(Server) server = server_start ();
  DhWindow *window;
  DhCloudWatchDialog *dialog;

  set_credentials (SECRET_KEY);
  window = dh_window_new (app);
  dialog = dh_cloudwatch_dialog_new (GTK_WINDOW (window), dh_window_get_session (window));
  g_object_ref_sink (dialog);

  dh_cloudwatch_dialog_connect_with (dialog, NULL, "eu-west-1", server->url, GROUP,
                                     DAY_START, DAY_END, FALSE);
  run_until (dialog_idle, dialog, 30);
  g_test_message ("wrong region: %s", dh_cloudwatch_dialog_get_error_text (dialog));
  g_assert_nonnull (strstr (dh_cloudwatch_dialog_get_error_text (dialog), "region"));

  dh_cloudwatch_dialog_connect_with (dialog, NULL, "us-east-1", server->url, "/aws/nothing-here",
                                     DAY_START, DAY_END, FALSE);
  run_until (dialog_idle, dialog, 30);
  g_test_message ("no group: %s", dh_cloudwatch_dialog_get_error_text (dialog));
  g_assert_nonnull (strstr (dh_cloudwatch_dialog_get_error_text (dialog), "/aws/nothing-here"));

  dh_cloudwatch_dialog_connect_with (dialog, NULL, "not a region", server->url, GROUP,
                                     DAY_START, DAY_END, FALSE);
  g_assert_false (dh_cloudwatch_dialog_is_busy (dialog));
  g_test_message ("bad region: %s", dh_cloudwatch_dialog_get_error_text (dialog));
  g_assert_cmpstr (dh_cloudwatch_dialog_get_error_text (dialog), !=, "");

  g_assert_null (dh_live_bar_get_source (dh_window_get_live_bar (window)));
  g_object_unref (dialog);
  gtk_window_destroy (GTK_WINDOW (window));
}


/* ---- notifications ------------------------------------------------------- */

/* A stand-in desktop notification server on the test's own bus: records
 * every Notify, and can say its default action was invoked. */
typedef struct
{
  GDBusConnection *bus;
  guint            owner;
  guint            object;
  GPtrArray       *summaries;
  guint32          last_id;
} Notifyd;

static const char notifyd_xml[] =
  "<node><interface name='org.freedesktop.Notifications'>"
  "<method name='Notify'><arg type='s' direction='in'/><arg type='u' direction='in'/>"
  "<arg type='s' direction='in'/><arg type='s' direction='in'/><arg type='s' direction='in'/>"
  "<arg type='as' direction='in'/><arg type='a{sv}' direction='in'/>"
  "<arg type='i' direction='in'/><arg type='u' direction='out'/></method>"
  "<method name='CloseNotification'><arg type='u' direction='in'/></method>"
  "<method name='GetCapabilities'><arg type='as' direction='out'/></method>"
  "<method name='GetServerInformation'><arg type='s' direction='out'/>"
  "<arg type='s' direction='out'/><arg type='s' direction='out'/><arg type='s' direction='out'/>"
  "</method>"
  "<signal name='ActionInvoked'><arg type='u'/><arg type='s'/></signal>"
  "</interface></node>";

static void
notifyd_call (GDBusConnection       *bus,
              const char            *sender,
              const char            *path,
              const char            *iface,
              const char            *method,
              GVariant              *params,
              GDBusMethodInvocation *invocation,
              gpointer               data)
{
  Notifyd *d = data;

  if (g_str_equal (method, "Notify"))
    {
      const char *summary, *body;
      g_variant_get_child (params, 3, "&s", &summary);
      g_variant_get_child (params, 4, "&s", &body);
      g_ptr_array_add (d->summaries, g_strdup_printf ("%s|%s", summary, body));
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(u)", ++d->last_id));
    }
  else if (g_str_equal (method, "GetCapabilities"))
    {
      const char *caps[] = { "actions", "body", NULL };
      g_dbus_method_invocation_return_value (invocation,
                                             g_variant_new ("(^as)", (char **) caps));
    }
  else if (g_str_equal (method, "GetServerInformation"))
    g_dbus_method_invocation_return_value (invocation,
                                           g_variant_new ("(ssss)", "stand-in", "dnshunt",
                                                          "1", "1.2"));
  else
    g_dbus_method_invocation_return_value (invocation, NULL);
}

static Notifyd *
notifyd_start (void)
{
  static const GDBusInterfaceVTable vtable = { notifyd_call };
  g_autoptr(GDBusNodeInfo) info = g_dbus_node_info_new_for_xml (notifyd_xml, NULL);
  g_autoptr(GError) error = NULL;
  Notifyd *d = g_new0 (Notifyd, 1);

  d->summaries = g_ptr_array_new_with_free_func (g_free);
  d->bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  d->object = g_dbus_connection_register_object (d->bus, "/org/freedesktop/Notifications",
                                                 info->interfaces[0], &vtable, d, NULL, &error);
  g_assert_no_error (error);
  d->owner = g_bus_own_name_on_connection (d->bus, "org.freedesktop.Notifications",
                                           G_BUS_NAME_OWNER_FLAGS_NONE, NULL, NULL, NULL, NULL);
  return d;
}

static void
notifyd_invoke_default (Notifyd *d)
{
  g_dbus_connection_emit_signal (d->bus, NULL, "/org/freedesktop/Notifications",
                                 "org.freedesktop.Notifications", "ActionInvoked",
                                 g_variant_new ("(us)", d->last_id, "default"), NULL);
}

/* for every test: any followed source notifies the desktop */
static Notifyd *the_notifyd;

typedef struct
{
  DhTestReceivers *rx;
  const char      *needle;
} SlackWait;

static gboolean
slack_has (gpointer data)
{
  SlackWait *w = data;
  g_autofree char *all = dh_test_receivers_accepted (w->rx, "slack");

  return strstr (all, w->needle) != NULL;
}

static gboolean
notifications_ready (gpointer data)
{
  DhNotifications *n = data;
  DhNotifyStatus st;

  return dh_notifications_is_ready (n) && dh_notifications_get_notifier (n) &&
         dh_notifier_get_status (dh_notifications_get_notifier (n), "slack", &st);
}

static gboolean
summaries_have (gpointer data)
{
  void **args = data;
  GPtrArray *summaries = args[0];

  for (guint i = 0; i < summaries->len; i++)
    if (strstr (summaries->pdata[i], args[1]))
      return TRUE;
  return FALSE;
}

/* The first widget of @type below @root whose title or label is @text. */
static GtkWidget *
find_titled (GtkWidget  *root,
             GType       type,
             const char *text)
{
  for (GtkWidget *c = gtk_widget_get_first_child (root); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found;
      if (G_TYPE_CHECK_INSTANCE_TYPE (c, type))
        {
          const char *t = ADW_IS_PREFERENCES_ROW (c)
                            ? adw_preferences_row_get_title (ADW_PREFERENCES_ROW (c))
                            : GTK_IS_BUTTON (c) ? gtk_button_get_label (GTK_BUTTON (c)) : NULL;
          if (g_strcmp0 (t, text) == 0)
            return c;
        }
      if ((found = find_titled (c, type, text)))
        return found;
    }
  return NULL;
}

static gboolean
selected_host_is (gpointer data)
{
  void **args = data;
  DhAlertsPage *page = args[0];
  DhAlertItem *item = dh_alerts_page_get_selected (page);

  return item && g_strcmp0 (dh_alert_item_get_host (item), args[1]) == 0;
}

/* Preferences → Notifications: a Slack webhook kept in the keyring, Send
 * Test; then following a log group sends each new alert to Slack and to the
 * desktop, and the notification's action opens that alert. */
static void
test_follow_notifies (void)
{
  g_autoptr(Server) server = server_start ();
  DhTestReceivers *rx = dh_test_receivers_start (NULL);
  Notifyd *notifyd = the_notifyd;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  GSettings *settings = dh_application_get_settings (app);
  g_autofree char *slack_url = g_strconcat (dh_test_receivers_get_base (rx),
                                            "/slack/T0TEST/B0TEST/secretpathXYZ", NULL);
  DhWindow *window;
  DhSession *session;
  DhNotifications *notifications;
  GtkWidget *prefs, *row, *save, *test;
  DhCloudWatchDialog *dialog;
  DhLiveSource *live;
  DhAlertsPage *page;
  g_autofree char *keyring = NULL;
  g_autofree char *settings_dump = NULL;
  SlackWait test_msg = { rx, "Test message from DNS Hunt" };
  SlackWait first = { rx, "10.9.9.21" }, second = { rx, "10.9.9.22" };
  HostAlert shown = { NULL, "10.9.9.21" };
  void *desktop[] = { notifyd->summaries, "10.9.9.21" };
  void *selected[2];

  set_credentials (SECRET_KEY);
  window = dh_window_new (app);
  shown.window = window;
  gtk_window_present (GTK_WINDOW (window));
  session = dh_window_get_session (window);
  notifications = dh_session_get_notifications (session);
  g_assert_nonnull (notifications);

  /* Preferences → Notifications → Slack: the URL, Save */
  prefs = GTK_WIDGET (dh_preferences_window_new (GTK_WINDOW (window), session));
  gtk_window_present (GTK_WINDOW (prefs));
  row = find_titled (prefs, ADW_TYPE_PASSWORD_ENTRY_ROW, "Incoming webhook URL");
  g_assert_nonnull (row);
  gtk_editable_set_text (GTK_EDITABLE (row), slack_url);
  save = find_titled (gtk_widget_get_parent (gtk_widget_get_parent (row)), GTK_TYPE_BUTTON,
                      "_Save");
  g_assert_nonnull (save);
  g_signal_emit_by_name (save, "clicked");
  run_until (notifications_ready, notifications, 20);
  /* the row forgets it; the keyring (encrypted) has it, GSettings does not */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==, "");
  g_assert_true (g_file_get_contents (g_getenv ("SECRET_FILE_TEST_PATH"), &keyring, NULL, NULL));
  g_assert_null (strstr (keyring, "secretpathXYZ"));
  settings_dump = g_strdup_printf ("%s %s",
    g_variant_print (g_settings_get_value (settings, "notify-destinations"), FALSE),
    g_variant_print (g_settings_get_value (settings, "rule-settings"), FALSE));
  g_assert_nonnull (strstr (settings_dump, "slack"));
  g_assert_null (strstr (settings_dump, "secretpathXYZ"));

  /* Send Test reaches the stand-in, through the URL read from the keyring */
  test = find_titled (gtk_widget_get_parent (save), GTK_TYPE_BUTTON, "Send _Test");
  g_assert_nonnull (test);
  g_assert_true (gtk_widget_get_sensitive (test));
  g_signal_emit_by_name (test, "clicked");
  run_until (slack_has, &test_msg, 20);
  gtk_window_destroy (GTK_WINDOW (prefs));

  /* follow a log group: a new alert goes to Slack and the desktop */
  dialog = dh_cloudwatch_dialog_new (GTK_WINDOW (window), session);
  g_object_ref_sink (dialog);
  dh_cloudwatch_dialog_connect_with (dialog, NULL, NULL, server->url, GROUP, DAY_START, -1, TRUE);
  live = dh_live_bar_get_source (dh_window_get_live_bar (window));
  while (live == NULL)
    {
      g_main_context_iteration (NULL, TRUE);
      live = dh_live_bar_get_source (dh_window_get_live_bar (window));
    }
  dh_cloudwatch_fetch_set_poll_interval (dh_live_source_get_fetch (live), 500);
  run_until (following, window, 60);

  append_record (server, now, "pool.supportxmr.com.", "10.9.9.21");
  run_until (host_alert_shown, &shown, 15);
  run_until (slack_has, &first, 20);
  run_until (summaries_have, desktop, 20);

  /* the notification's default action opens that alert */
  page = DH_ALERTS_PAGE (gtk_widget_get_template_child (GTK_WIDGET (window), DH_TYPE_WINDOW,
                                                         "alerts_page"));
  selected[0] = page;
  selected[1] = "10.9.9.21";
  notifyd_invoke_default (notifyd);
  run_until (selected_host_is, selected, 10);

  /* another alert while one is selected: sent, and the selection stays */
  append_record (server, now, "pastebin.com.", "10.9.9.22");
  run_until (slack_has, &second, 20);
  g_assert_true (selected_host_is (selected));

  dh_live_bar_disconnect (dh_window_get_live_bar (window));
  dh_notifications_remove (notifications, "slack");
  g_object_unref (dialog);
  gtk_window_destroy (GTK_WINDOW (window));
  dh_test_receivers_stop (rx);
}


/* A case saved while a log group is followed names it (group, region; no
 * endpoint); reopened, Follow Again connects to it, through the endpoint
 * the environment gives as the AWS SDKs take it. */
static void
test_case_follows_group_again (void)
{
  g_autoptr(Server) server = server_start ();
  g_autofree char *dir = g_dir_make_tmp ("dnshunt-cwcase-XXXXXX", NULL);
  g_autofree char *case_path = g_build_filename (dir, "group.dnshunt.json", NULL);
  g_autofree char *json = NULL;
  g_autoptr(GError) error = NULL;
  DhWindow *window;
  DhCloudWatchDialog *dialog;
  DhLiveSource *live;

  set_credentials (SECRET_KEY);
  window = dh_window_new (app);
  gtk_window_present (GTK_WINDOW (window));
  dialog = dh_cloudwatch_dialog_new (GTK_WINDOW (window), dh_window_get_session (window));
  g_object_ref_sink (dialog);
  dh_cloudwatch_dialog_connect_with (dialog, NULL, NULL, server->url, GROUP, DAY_START, -1, TRUE);
  while ((live = dh_live_bar_get_source (dh_window_get_live_bar (window))) == NULL)
    g_main_context_iteration (NULL, TRUE);
  dh_cloudwatch_fetch_set_poll_interval (dh_live_source_get_fetch (live), 500);
  run_until (following, window, 60);

  g_assert_true (dh_window_save_case (window, case_path, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (case_path, &json, NULL, NULL));
  g_assert_nonnull (strstr (json, "\"cloudwatch\""));
  g_assert_nonnull (strstr (json, GROUP));
  g_assert_nonnull (strstr (json, "\"us-east-1\""));
  g_assert_null (strstr (json, "127.0.0.1"));     /* no endpoint */
  g_assert_null (strstr (json, SECRET_KEY));
  g_assert_null (strstr (json, "\"profile\""));    /* the default chain: none named */

  dh_live_bar_disconnect (dh_window_get_live_bar (window));
  run_until (not_running, live, 10);
  g_action_group_activate_action (G_ACTION_GROUP (window), "close-investigation", NULL);
  g_assert_true (dh_window_open_case (window, case_path, &error));
  g_assert_no_error (error);
  /* another endpoint than the one the case was saved with: the case names none */
  g_clear_pointer (&server, server_stop);
  server = server_start ();
  g_setenv ("AWS_ENDPOINT_URL", server->url, TRUE);
  g_action_group_activate_action (G_ACTION_GROUP (window), "follow-case-live", NULL);
  g_unsetenv ("AWS_ENDPOINT_URL");
  live = dh_live_bar_get_source (dh_window_get_live_bar (window));
  g_assert_nonnull (live);
  g_assert_cmpstr (dh_live_source_get_label (live), ==, GROUP);
  dh_cloudwatch_fetch_set_poll_interval (dh_live_source_get_fetch (live), 500);
  /* the last hour of the log group: none of the demo's old events, but
   * following, and a new event shows */
  run_until (fetch_follows, live, 60);
  {
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
    HostAlert fresh = { window, "10.9.9.31" };
    append_record (server, now, "pastebin.com.", "10.9.9.31");
    run_until (host_alert_shown, &fresh, 20);
  }

  dh_live_bar_disconnect (dh_window_get_live_bar (window));
  run_until (not_running, live, 10);
  g_object_unref (dialog);
  gtk_window_destroy (GTK_WINDOW (window));
  g_unlink (case_path);
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *state = g_dir_make_tmp ("dnshunt-ui-state-XXXXXX", NULL);
  g_autofree char *keyring = g_build_filename (state, "keyring", NULL);

  /* a throwaway keyring (libsecret's file backend), outbox and notification
   * backend: nothing of the user's is touched */
  g_setenv ("XDG_STATE_HOME", state, TRUE);
  g_setenv ("SECRET_BACKEND", "file", TRUE);
  g_setenv ("SECRET_FILE_TEST_PATH", keyring, TRUE);
  g_setenv ("SECRET_FILE_TEST_PASSWORD", "dnshunt-test-keyring", TRUE);
  g_setenv ("GNOTIFICATION_BACKEND", "freedesktop", TRUE);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  dh_application_register_resources ();

  if (g_getenv ("DH_PYTHON") == NULL || g_getenv ("DH_CLOUDWATCH_SERVER") == NULL)
    {
      g_test_skip ("no CloudWatch test server");
      return g_test_run ();
    }
  app_init ();
  the_notifyd = notifyd_start ();
  g_test_add_func ("/ui/cloudwatch/range-same-alerts", test_range_same_alerts);
  g_test_add_func ("/ui/cloudwatch/follow-and-disconnect", test_follow);
  g_test_add_func ("/ui/cloudwatch/close-detaches", test_close_detaches);
  g_test_add_func ("/ui/cloudwatch/wrong-secret", test_wrong_secret);
  g_test_add_func ("/ui/cloudwatch/dialog-errors", test_dialog_errors);
  g_test_add_func ("/ui/cloudwatch/follow-notifies", test_follow_notifies);
  g_test_add_func ("/ui/cloudwatch/case-follows-again", test_case_follows_group_again);
  return g_test_run ();
}
