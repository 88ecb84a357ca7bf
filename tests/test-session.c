/* test-session.c: the session layer (investigation, loader, snapshots, live
 * store, progress relay), without a display
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "dh-investigation.h"
#include "dh-notice.h"
#include "dh-progress-relay.h"
#include "dh-reader.h"
#include "dh-recent.h"
#include "dh-rolling-store.h"
#include "dh-session.h"
#include "dh-test-receivers.h"
#include "dh-test-session.h"
#include "dh-test-util.h"
#include "dh-time.h"

static void
count (guint *n)
{
  (*n)++;
}

static void
count_retired (DhReader *reader,
               gpointer  n)
{
  g_assert_nonnull (reader);
  (*(guint *) n)++;
}

static char *
demo_dir (void)
{
  return g_test_build_filename (G_TEST_DIST, "..", "data", "demo", NULL);
}

/* A log of n records of one host, from base, one every step seconds. */
static char *
write_log (const char *dir,
           const char *name,
           const char *base,
           guint       n,
           guint       step)
{
  g_autoptr(GString) s = g_string_new (NULL);
  char *path = g_build_filename (dir, name, NULL);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *t = test_time_plus (base, (gint64) i * step);
      g_autofree char *line = test_record_line (&(TestRecord) { .time = t, .host = "10.9.9.9" });
      g_string_append (s, line);
    }
  g_assert_true (g_file_set_contents (path, s->str, s->len, NULL));
  return path;
}

/* Loading ------------------------------------------------------------------ */

typedef struct
{
  GArray  *phases;      /* DhLoadPhase, each new one */
  guint    n_fraction;
  gboolean message_seen;
  gboolean loader_seen;
} Watch;

static void
on_phase (DhLoader *loader,
          GParamSpec *pspec,
          Watch    *w)
{
  DhLoadPhase phase = dh_loader_get_phase (loader);

  g_array_append_val (w->phases, phase);
}

static void
on_fraction (DhLoader *loader,
             GParamSpec *pspec,
             Watch    *w)
{
  double f = dh_loader_get_fraction (loader);

  g_assert_true (f <= 1.0);
  w->n_fraction++;
}

static void
on_message (DhLoader *loader,
            GParamSpec *pspec,
            Watch    *w)
{
  if (*dh_loader_get_message (loader))
    w->message_seen = TRUE;
}

static void
on_loader (DhInvestigation *inv,
           GParamSpec      *pspec,
           Watch           *w)
{
  DhLoader *loader = dh_investigation_get_loader (inv);

  if (loader == NULL)
    return;
  w->loader_seen = TRUE;
  g_signal_connect (loader, "notify::phase", G_CALLBACK (on_phase), w);
  g_signal_connect (loader, "notify::fraction", G_CALLBACK (on_fraction), w);
  g_signal_connect (loader, "notify::message", G_CALLBACK (on_message), w);
}

/* The demo logs, and a missing file named in the report; progress in phases
 * that only go forward, ending in "done". */
static void
test_load (void)
{
  g_autoptr(DhRuleBook) book = dh_rule_book_new (NULL);
  g_autoptr(DhInvestigation) inv = dh_investigation_new (book);
  g_autofree char *demo = demo_dir ();
  const char *paths[] = { demo, "/nonexistent/dnshunt.log", NULL };
  DhTestLoad r = { 0 };
  Watch w = { g_array_new (FALSE, FALSE, sizeof (DhLoadPhase)) };
  guint n_data = 0, n_alerts = 0;

  g_signal_connect (inv, "notify::loader", G_CALLBACK (on_loader), &w);
  g_signal_connect_swapped (inv, "data-changed", G_CALLBACK (count), &n_data);
  g_signal_connect_swapped (inv, "alerts-changed", G_CALLBACK (count), &n_alerts);
  dh_investigation_load_async (inv, paths, NULL, dh_test_load_cb, &r);
  g_assert_true (dh_investigation_is_loading (inv));
  g_assert_true (w.loader_seen);
  g_assert_nonnull (dh_investigation_get_loader (inv));
  g_assert_false (dh_investigation_has_data (inv));
  dh_test_run_until (dh_test_load_finished, &r);
  g_assert_no_error (r.error);
  g_assert_true (r.ok);
  g_assert_false (dh_investigation_is_loading (inv));
  g_assert_null (dh_investigation_get_loader (inv));

  g_assert_cmpuint (w.phases->len, >=, 2);
  g_assert_cmpint (g_array_index (w.phases, DhLoadPhase, 0), ==, DH_LOAD_PHASE_READING);
  for (guint i = 1; i < w.phases->len; i++)
    g_assert_cmpint (g_array_index (w.phases, DhLoadPhase, i), >,
                     g_array_index (w.phases, DhLoadPhase, i - 1));
  g_assert_cmpint (g_array_index (w.phases, DhLoadPhase, w.phases->len - 1), ==,
                   DH_LOAD_PHASE_DONE);
  g_assert_cmpuint (w.n_fraction, >=, 1);
  g_assert_true (w.message_seen);

  g_assert_cmpuint (n_data, ==, 1);
  g_assert_cmpuint (n_alerts, ==, 1);
  g_assert_cmpuint (r.report->n_events, ==, 5000);
  g_assert_cmpuint (r.report->errors->len, ==, 1);   /* the missing file, named */
  g_assert_nonnull (strstr (r.report->errors->pdata[0], "/nonexistent/dnshunt.log"));
  g_assert_cmpuint (dh_alert_set_get_n_alerts (dh_investigation_get_alerts (inv)), ==, 11);
  g_assert_cmpuint (dh_store_stats_get_n_hosts (dh_investigation_get_stats (inv)), ==, 33);
  g_assert_cmpuint (dh_investigation_get_time_order (inv)->len, ==, 5000);
  g_assert_cmpuint (dh_investigation_get_inputs (inv)->len, ==, 2);
  dh_load_report_free (r.report);
  g_array_unref (w.phases);
}

static void
test_load_cancel (void)
{
  g_autoptr(DhRuleBook) book = dh_rule_book_new (NULL);
  g_autoptr(DhInvestigation) inv = dh_investigation_new (book);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *demo = demo_dir ();
  const char *paths[] = { demo, NULL };
  DhTestLoad r = { 0 };

  g_cancellable_cancel (cancellable);
  dh_investigation_load_async (inv, paths, cancellable, dh_test_load_cb, &r);
  dh_test_run_until (dh_test_load_finished, &r);
  g_assert_false (r.ok);
  g_assert_error (r.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (dh_investigation_has_data (inv));
  g_assert_false (dh_investigation_is_loading (inv));
  g_assert_cmpuint (dh_investigation_get_inputs (inv)->len, ==, 0);
  g_clear_error (&r.error);
}

/* Opening more logs re-reads every input into a new snapshot; a second load
 * while one runs is refused and leaves the first alone. */
static void
test_load_adds (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("dnshunt-session-XXXXXX", &error);
  g_autofree char *extra = write_log (dir, "extra.log", "2026-03-02T10:00:00Z", 30, 10);
  g_autofree char *demo = demo_dir ();
  g_autoptr(DhInvestigation) inv = dh_test_load (demo);
  DhSnapshot *before = dh_investigation_get_snapshot (inv);
  const char *paths[] = { extra, NULL };
  DhTestLoad r = { 0 }, busy = { 0 };

  g_assert_no_error (error);
  g_assert_nonnull (before);
  dh_investigation_load_async (inv, paths, NULL, dh_test_load_cb, &r);
  dh_investigation_load_async (inv, paths, NULL, dh_test_load_cb, &busy);
  dh_test_run_until (dh_test_load_finished, &busy);
  g_assert_error (busy.error, G_IO_ERROR, G_IO_ERROR_PENDING);
  g_assert_true (dh_investigation_is_loading (inv));
  /* the data shown stays until the new one is complete */
  g_assert_true (dh_investigation_get_snapshot (inv) == before);
  dh_test_run_until (dh_test_load_finished, &r);
  g_assert_true (r.ok);
  g_assert_true (dh_investigation_get_snapshot (inv) != before);
  g_assert_cmpuint (dh_investigation_get_inputs (inv)->len, ==, 2);
  g_assert_cmpuint (dh_event_store_get_n_events (dh_investigation_get_store (inv)), ==, 5030);
  dh_load_report_free (r.report);
  g_clear_error (&busy.error);
  g_unlink (extra);
  g_rmdir (dir);
}

/* A setting changed while the worker read with the old ones: the snapshot
 * is installed, then the rules run again with the new setting. */
static void
test_setting_during_load (void)
{
  g_autoptr(DhRuleBook) book = dh_rule_book_new (NULL);
  g_autoptr(DhInvestigation) inv = dh_investigation_new (book);
  g_autoptr(GError) error = NULL;
  g_autofree char *demo = demo_dir ();
  const char *paths[] = { demo, NULL };
  DhTestLoad r = { 0 };
  guint before;

  dh_investigation_load_async (inv, paths, NULL, dh_test_load_cb, &r);
  g_assert_true (dh_investigation_set_setting (inv, "all", "allow-hosts", "10.0.0.0/8", &error));
  g_assert_no_error (error);
  dh_test_run_until (dh_test_load_finished, &r);
  g_assert_true (r.ok);
  before = dh_alert_set_get_n_alerts (dh_investigation_get_alerts (inv));
  g_assert_cmpuint (before, ==, 11);   /* the snapshot's: the old settings */
  g_assert_true (dh_investigation_is_analyzing (inv));
  dh_test_run_until (dh_test_not_analyzing, inv);
  g_assert_cmpuint (dh_alert_set_get_n_alerts (dh_investigation_get_alerts (inv)), <, before);
  /* the snapshot itself never changes */
  g_assert_cmpuint (dh_alert_set_get_n_alerts (
                      dh_snapshot_get_alerts (dh_investigation_get_snapshot (inv))), ==, before);
  dh_load_report_free (r.report);
}

/* Installing ---------------------------------------------------------------- */

static DhSnapshot *
snapshot_of (const char *path,
             DhRuleBook *book)
{
  g_autoptr(DhEventStore) store = dh_event_store_new ();
  g_autoptr(DhReader) reader = dh_reader_new (store);
  g_autoptr(GError) error = NULL;
  DhSnapshot *snapshot;

  dh_reader_add_path (reader, path, NULL);
  g_assert_true (dh_reader_run (reader, NULL, &error));
  snapshot = dh_snapshot_build (dh_event_store_ref (store), NULL, book, 0, NULL, NULL, NULL,
                                &error);
  g_assert_no_error (error);
  return snapshot;
}

/* One way in for data (a live source's snapshot) and one way out (closing):
 * each a single data-changed and alerts-changed; a live snapshot has no
 * inputs to read again. */
static void
test_install (void)
{
  g_autoptr(DhRuleBook) book = dh_rule_book_new (NULL);
  g_autoptr(DhInvestigation) inv = NULL;
  g_autofree char *demo = demo_dir ();
  g_autoptr(DhSnapshot) snapshot = snapshot_of (demo, book);
  guint n_data = 0, n_alerts = 0, n_has_data = 0;

  inv = dh_test_load (demo);
  g_assert_cmpuint (dh_investigation_get_inputs (inv)->len, ==, 1);
  g_signal_connect_swapped (inv, "data-changed", G_CALLBACK (count), &n_data);
  g_signal_connect_swapped (inv, "alerts-changed", G_CALLBACK (count), &n_alerts);
  g_signal_connect_swapped (inv, "notify::has-data", G_CALLBACK (count), &n_has_data);

  dh_investigation_install (inv, snapshot);
  g_assert_true (dh_investigation_get_snapshot (inv) == snapshot);
  g_assert_true (dh_investigation_get_store (inv) == dh_snapshot_get_store (snapshot));
  g_assert_true (dh_investigation_get_alerts (inv) == dh_snapshot_get_alerts (snapshot));
  g_assert_cmpuint (dh_investigation_get_inputs (inv)->len, ==, 0);
  g_assert_false (dh_investigation_is_analyzing (inv));   /* same settings: no re-run */
  g_assert_cmpuint (n_data, ==, 1);
  g_assert_cmpuint (n_alerts, ==, 1);

  dh_investigation_set_triage (inv, dh_alert_set_get_alert (dh_investigation_get_alerts (inv), 0),
                               DH_TRIAGE_ESCALATED, "seen");
  g_assert_cmpuint (dh_case_get_n_triage (dh_investigation_get_case (inv)), ==, 1);
  dh_investigation_clear (inv);
  g_assert_false (dh_investigation_has_data (inv));
  g_assert_null (dh_investigation_get_store (inv));
  g_assert_null (dh_investigation_get_alerts (inv));
  g_assert_null (dh_investigation_get_time_order (inv));
  g_assert_cmpuint (n_data, ==, 2);
  g_assert_cmpuint (n_alerts, ==, 2);
  g_assert_cmpuint (n_has_data, ==, 2);
  /* the triage went with the data; the snapshot is the caller's still */
  g_assert_cmpuint (dh_case_get_n_triage (dh_investigation_get_case (inv)), ==, 0);
  g_assert_cmpuint (dh_event_store_get_n_events (dh_snapshot_get_store (snapshot)), ==, 5000);
}

/* The live store ------------------------------------------------------------- */

static DhLogEventPage *
page_of (const char *base,
         guint       n,
         guint       step)
{
  DhLogEventPage *page = dh_log_event_page_new ();

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *t = test_time_plus (base, (gint64) i * step);
      g_autofree char *line = test_record_line (&(TestRecord) { .time = t, .host = "10.9.9.9" });
      DhLogEvent e = { .event_id = "1", .log_stream = "s", .message = g_strchomp (line),
                       .timestamp = 0, .ingestion_time = 0 };
      dh_log_event_page_add (page, &e);
    }
  return page;
}

/* Three hours of events with one hour of retention: snapshots hold the last
 * hour; the store itself is cut only once it holds a quarter more, and the
 * reader about to go is handed over for its rejects. */
static void
test_rolling_retention (void)
{
  g_autoptr(DhRuleBook) book = dh_rule_book_new (NULL);
  g_autoptr(DhRollingStore) rolling =
    dh_rolling_store_new ("cloudwatch:test", G_MININT64, G_MAXINT64, G_GINT64_CONSTANT (3600) *
                          G_USEC_PER_SEC);
  g_autoptr(DhLogEventPage) first = page_of ("2026-03-02T10:00:00Z", 60, 60);   /* 10:00–10:59 */
  g_autoptr(DhLogEventPage) rest = page_of ("2026-03-02T11:00:00Z", 120, 60);   /* 11:00–12:59 */
  g_autoptr(DhSnapshot) snap = NULL;
  gint64 now, first_t, last_t;
  guint retired = 0;

  g_assert_true (dh_time_parse_iso8601 ("2026-03-02T13:00:00Z", strlen ("2026-03-02T13:00:00Z"), &now));
  dh_rolling_store_add_page (rolling, first);
  /* 59 minutes held: nothing to cut */
  g_assert_false (dh_rolling_store_trim (rolling, now, count_retired,
                                         &retired));
  dh_rolling_store_add_page (rolling, rest);
  g_assert_cmpuint (dh_rolling_store_get_n_received (rolling), ==, 180);
  g_assert_cmpuint (dh_event_store_get_n_events (dh_rolling_store_get_store (rolling)), ==, 180);

  snap = dh_rolling_store_snapshot (rolling, now, book, 7, NULL, NULL);
  g_assert_nonnull (snap);
  g_assert_cmpuint (dh_snapshot_get_book_serial (snap), ==, 7);
  g_assert_null (dh_snapshot_get_inputs (snap));
  g_assert_true (dh_event_store_get_time_span (dh_snapshot_get_store (snap), &first_t, &last_t));
  g_assert_cmpint (last_t - first_t, <=, G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC);
  g_assert_cmpuint (dh_event_store_get_n_events (dh_snapshot_get_store (snap)), ==, 61);
  g_assert_cmpuint (dh_snapshot_get_time_order (snap)->len, ==, 61);

  g_assert_true (dh_rolling_store_trim (rolling, now, count_retired,
                                        &retired));
  g_assert_cmpuint (retired, ==, 1);
  g_assert_cmpuint (dh_event_store_get_n_events (dh_rolling_store_get_store (rolling)), ==, 61);
  g_assert_cmpuint (dh_rolling_store_get_n_received (rolling), ==, 180);
  /* still growing after the cut */
  dh_rolling_store_add_page (rolling, first);
  g_assert_cmpuint (dh_rolling_store_get_n_received (rolling), ==, 240);
}

/* The progress relay ----------------------------------------------------------- */

typedef struct
{
  guint      calls;
  DhProgress last;
} RelaySeen;

static void
on_relay (const DhProgress *p,
          gpointer          data)
{
  RelaySeen *seen = data;

  seen->calls++;
  seen->last = *p;
}

static gpointer
post_many (gpointer data)
{
  DhProgressRelay *relay = data;

  for (guint i = 1; i <= 100000; i++)
    {
      DhProgress p = { .phase = 1, .fraction = i / 100000.0, .n_items = i };
      dh_progress_relay_post (relay, &p, FALSE);
    }
  {
    DhProgress p = { .phase = 2, .fraction = -1, .n_items = 100000 };
    dh_progress_relay_post (relay, &p, TRUE);
  }
  return NULL;
}

static gboolean
relay_at_phase_2 (gpointer data)
{
  return ((RelaySeen *) data)->last.phase == 2;
}

/* 100,000 posts from a worker reach the main loop as a handful of calls,
 * and a forced post (a new phase) always arrives. After close, nothing. */
static void
test_progress_relay (void)
{
  RelaySeen seen = { 0 };
  g_autoptr(DhProgressRelay) relay = dh_progress_relay_new (on_relay, &seen, 40 * 1000);
  GThread *thread = g_thread_new ("post", post_many, relay);
  DhProgress late = { .phase = 3 };

  dh_test_run_until (relay_at_phase_2, &seen);
  g_thread_join (thread);
  g_assert_cmpuint (seen.calls, >=, 1);
  g_assert_cmpuint (seen.calls, <, 1000);
  g_assert_cmpuint (seen.last.n_items, ==, 100000);

  dh_progress_relay_post (relay, &late, TRUE);
  dh_progress_relay_close (relay);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (seen.last.phase, ==, 2);
}

/* Recent files ---------------------------------------------------------------- */

/* Opened logs go to the desktop's recently used files, written by a worker,
 * next to what other programs keep there. */
static void
recent_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  DhTestLoad *r = data;

  r->ok = dh_recent_add_finish (result, &r->error);
  r->done = TRUE;
}

static void
test_recent (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("dnshunt-recent-XXXXXX", &error);
  g_autofree char *xbel = g_build_filename (dir, "recently-used.xbel", NULL);
  g_autofree char *log = g_build_filename (dir, "a.log", NULL);
  g_autoptr(GFile) log_file = g_file_new_for_path (log);
  g_autoptr(GFile) dir_file = g_file_new_for_path (dir);
  g_autofree char *log_uri = g_file_get_uri (log_file);
  g_autofree char *dir_uri = g_file_get_uri (dir_file);
  const char *other_uri = "file:///srv/other.txt";
  const char *paths[] = { log, dir, NULL };
  g_autoptr(GBookmarkFile) before = g_bookmark_file_new ();
  g_autoptr(GBookmarkFile) after = g_bookmark_file_new ();
  g_autofree char *mime = NULL;
  guint count = 0;
  DhTestLoad r = { 0 };

  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (log, "{}\n", -1, NULL));
  g_bookmark_file_set_mime_type (before, other_uri, "text/plain");
  g_bookmark_file_add_application (before, other_uri, "Other", "other %u");
  g_assert_true (g_bookmark_file_to_file (before, xbel, NULL));

  for (guint i = 0; i < 2; i++)
    {
      memset (&r, 0, sizeof r);
      dh_recent_add_async (xbel, paths, recent_cb, &r);
      dh_test_run_until (dh_test_load_finished, &r);
      g_assert_no_error (r.error);
      g_assert_true (r.ok);
    }
  g_assert_true (g_bookmark_file_load_from_file (after, xbel, NULL));
  g_assert_true (g_bookmark_file_has_application (after, other_uri, "Other", NULL));
  g_assert_true (g_bookmark_file_has_application (after, log_uri, g_get_application_name (),
                                                  NULL));
  g_assert_true (g_bookmark_file_get_application_info (after, log_uri, g_get_application_name (),
                                                       NULL, &count, NULL, NULL));
  g_assert_cmpuint (count, ==, 2);
  mime = g_bookmark_file_get_mime_type (after, dir_uri, NULL);
  g_assert_cmpstr (mime, ==, "inode/directory");
  g_clear_pointer (&mime, g_free);
  mime = g_bookmark_file_get_mime_type (after, log_uri, NULL);
  g_assert_nonnull (mime);
  {
    GStatBuf st;
    g_assert_cmpint (g_stat (xbel, &st), ==, 0);
    g_assert_cmpint (st.st_mode & 0777, ==, 0600);   /* what the user opened is private */
  }

  /* a list it cannot read is left as it is */
  g_assert_true (g_file_set_contents (xbel, "<xbel", -1, NULL));
  memset (&r, 0, sizeof r);
  dh_recent_add_async (xbel, paths, recent_cb, &r);
  dh_test_run_until (dh_test_load_finished, &r);
  g_assert_false (r.ok);
  g_assert_nonnull (r.error);
  g_clear_error (&r.error);
  {
    g_autofree char *text = NULL;
    g_assert_true (g_file_get_contents (xbel, &text, NULL, NULL));
    g_assert_cmpstr (text, ==, "<xbel");
  }
  g_unlink (xbel);
  g_unlink (log);
  g_rmdir (dir);
}

/* The session ---------------------------------------------------------------- */

static GSettings *
fresh_settings (void)
{
  GSettings *settings = g_settings_new ("io.github.dnshunt.DnsHunt");
  const char *keys[] = { "rule-settings", "recent-inputs", "recent-cases" };

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    g_settings_reset (settings, keys[i]);
  return settings;
}

static char *
saved (GSettings  *settings,
       const char *key)
{
  g_autoptr(GVariant) dict = g_settings_get_value (settings, "rule-settings");
  const char *value = NULL;

  if (!g_variant_lookup (dict, key, "&s", &value))
    return NULL;
  return g_strdup (value);
}

/* A setting is applied, re-analysed and kept, that one alone; one naming a
 * file is refused; a new session starts from what was kept. */
static void
test_session_settings (void)
{
  g_autoptr(GSettings) settings = fresh_settings ();
  g_autoptr(DhSession) session = dh_session_new (settings);
  g_autoptr(DhSession) next = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *kept = NULL;
  g_autofree char *value = NULL;

  g_assert_true (dh_session_set_setting (session, "nxdomain-burst", "threshold", "20", &error));
  g_assert_no_error (error);
  kept = saved (settings, "nxdomain-burst.threshold");
  g_assert_cmpstr (kept, ==, "20");
  g_assert_null (saved (settings, "nxdomain-burst.window"));

  g_assert_false (dh_session_set_setting (session, "paste-site", "list-file", "/etc/passwd",
                                          &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);
  g_assert_null (saved (settings, "paste-site.list-file"));
  g_assert_false (dh_session_set_setting (session, "nxdomain-burst", "threshold", "many",
                                          &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  /* back to the default: nothing kept for it */
  next = dh_session_new (settings);
  value = dh_rule_book_get_value_string (
    dh_investigation_get_rule_book (dh_session_get_investigation (next)), "nxdomain-burst",
    "threshold");
  g_assert_cmpstr (value, ==, "20");
  g_clear_pointer (&value, g_free);
  value = dh_rule_book_get_value_string (dh_session_get_defaults (next), "nxdomain-burst",
                                         "threshold");
  g_assert_cmpstr (value, !=, "20");
  g_assert_true (dh_session_set_setting (next, "nxdomain-burst", "threshold", value, &error));
  g_assert_null (saved (settings, "nxdomain-burst.threshold"));
}

/* Allowlisting from a log value, and its undo, once. */
static void
test_session_allow_undo (void)
{
  g_autoptr(GSettings) settings = fresh_settings ();
  g_autoptr(DhSession) session = dh_session_new (settings);
  DhRuleBook *book = dh_investigation_get_rule_book (dh_session_get_investigation (session));
  g_autoptr(GError) error = NULL;
  g_autofree char *entry = NULL;
  g_autofree char *now = NULL;
  g_autofree char *before = dh_rule_book_get_value_string (book, "paste-site", "allow");

  g_assert_false (dh_session_can_undo_allow (session));
  entry = dh_session_allow (session, "paste-site", "allow", "pastebin.com.", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (entry, ==, "pastebin.com");   /* without its trailing dot */
  now = dh_rule_book_get_value_string (book, "paste-site", "allow");
  g_assert_nonnull (strstr (now, "pastebin.com"));
  g_clear_pointer (&now, g_free);
  now = saved (settings, "paste-site.allow");
  g_assert_nonnull (now);
  g_assert_true (dh_session_can_undo_allow (session));

  g_assert_true (dh_session_undo_allow (session));
  g_clear_pointer (&now, g_free);
  now = dh_rule_book_get_value_string (book, "paste-site", "allow");
  g_assert_cmpstr (now, ==, before);
  g_assert_null (saved (settings, "paste-site.allow"));
  g_assert_false (dh_session_undo_allow (session));   /* once */

  /* an address that is not one is refused, naming it; nothing to undo */
  g_clear_pointer (&entry, g_free);
  entry = dh_session_allow (session, "all", "allow-hosts", "10.0.0.0/33", &error);
  g_assert_null (entry);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "10.0.0.0/33"));
  g_assert_false (dh_session_can_undo_allow (session));
}

/* Recent inputs and cases: newest first, no repeats, at most a few, the
 * first few of a huge case only. */
static void
test_session_recent (void)
{
  g_autoptr(GSettings) settings = fresh_settings ();
  g_autoptr(DhSession) session = dh_session_new (settings);
  g_autoptr(GStrvBuilder) many = g_strv_builder_new ();
  g_auto(GStrv) paths = NULL;
  g_auto(GStrv) recent = NULL;
  const char *two[] = { "/logs/b.log", "/logs/a.log", NULL };
  const char *again[] = { "/logs/a.log", NULL };

  dh_session_remember_inputs (session, two);
  dh_session_remember_inputs (session, again);
  recent = dh_session_get_recent (session, FALSE);
  g_assert_cmpuint (g_strv_length (recent), ==, 2);
  g_assert_cmpstr (recent[0], ==, "/logs/a.log");
  g_assert_cmpstr (recent[1], ==, "/logs/b.log");
  g_clear_pointer (&recent, g_strfreev);

  for (guint i = 0; i < 100000; i++)
    {
      g_autofree char *p = g_strdup_printf ("/logs/%u.log", i);
      g_strv_builder_add (many, p);
    }
  paths = g_strv_builder_end (many);
  dh_session_remember_inputs (session, (const char * const *) paths);
  recent = dh_session_get_recent (session, FALSE);
  g_assert_cmpuint (g_strv_length (recent), ==, DH_SESSION_MAX_RECENT);
  g_assert_cmpstr (recent[0], ==, "/logs/0.log");
  g_clear_pointer (&recent, g_strfreev);

  for (guint i = 0; i < 12; i++)
    {
      g_autofree char *p = g_strdup_printf ("/cases/%u.json", i % 10);
      dh_session_remember_case (session, p);
    }
  recent = dh_session_get_recent (session, TRUE);
  g_assert_cmpuint (g_strv_length (recent), ==, DH_SESSION_MAX_RECENT);
  g_assert_cmpstr (recent[0], ==, "/cases/1.json");
  g_assert_cmpstr (recent[1], ==, "/cases/0.json");
  g_assert_cmpstr (recent[2], ==, "/cases/9.json");
}

/* A case saved and opened again: inputs, settings and triage come back; its
 * settings apply to that investigation and are not kept; a file name in it
 * is left out, and said. */
static void
test_session_case (void)
{
  g_autoptr(GSettings) settings = fresh_settings ();
  g_autoptr(DhSession) session = dh_session_new (settings);
  g_autoptr(DhSession) other = dh_session_new (settings);
  DhInvestigation *inv = dh_session_get_investigation (session);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("dnshunt-session-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "case.json", NULL);
  g_autofree char *hostile = g_build_filename (dir, "hostile.json", NULL);
  g_autofree char *demo = demo_dir ();
  g_autofree char *value = NULL;
  g_autoptr(GPtrArray) notices = NULL;
  g_auto(GStrv) inputs = NULL;
  g_autofree char *hostile_text = NULL;
  const char *paths[] = { demo, NULL };
  DhTestLoad r = { 0 };

  g_assert_no_error (error);
  dh_investigation_load_async (inv, paths, NULL, dh_test_load_cb, &r);
  dh_test_run_until (dh_test_load_finished, &r);
  g_assert_true (r.ok);
  dh_load_report_free (r.report);
  g_assert_true (dh_investigation_set_setting (inv, "nxdomain-burst", "threshold", "25", &error));
  dh_investigation_set_triage (inv, dh_alert_set_get_alert (dh_investigation_get_alerts (inv), 0),
                               DH_TRIAGE_BENIGN, "a test");
  g_assert_true (dh_session_save_case (session, path, &error));
  g_assert_no_error (error);

  inputs = dh_session_open_case (other, path, &notices, &error);
  g_assert_no_error (error);
  g_assert_nonnull (inputs);
  g_assert_cmpuint (g_strv_length (inputs), ==, 1);
  g_assert_cmpstr (inputs[0], ==, demo);
  g_assert_cmpuint (notices->len, ==, 0);
  value = dh_rule_book_get_value_string (
    dh_investigation_get_rule_book (dh_session_get_investigation (other)), "nxdomain-burst",
    "threshold");
  g_assert_cmpstr (value, ==, "25");
  g_assert_null (saved (settings, "nxdomain-burst.threshold"));   /* not kept */
  g_assert_cmpuint (dh_case_get_n_triage (dh_investigation_get_case (
                      dh_session_get_investigation (other))), ==, 1);

  /* someone else's case naming a file */
  hostile_text = g_strdup_printf ("{\"dnshunt_case\":1,\"inputs\":[],"
                                  "\"settings\":{\"paste-site.list-file\":\".aws/credentials\"}}");
  g_assert_true (g_file_set_contents (hostile, hostile_text, -1, NULL));
  g_clear_pointer (&notices, g_ptr_array_unref);
  g_clear_pointer (&inputs, g_strfreev);
  inputs = dh_session_open_case (other, hostile, &notices, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (inputs), ==, 0);
  g_assert_cmpuint (notices->len, ==, 1);
  g_assert_nonnull (strstr (notices->pdata[0], "paste-site.list-file"));
  g_assert_null (saved (settings, "paste-site.list-file"));

  g_unlink (path);
  g_unlink (hostile);
  g_rmdir (dir);
}


/* Notifications ------------------------------------------------------------- */

#define PD_KEY "R0UT1NGK3Y0123456789abcdefABCDEF"

/* "action dedup_key" of each event PagerDuty accepted, one a line */
static char *
pagerduty_events (DhTestReceivers *rx)
{
  g_autofree char *bodies = dh_test_receivers_accepted (rx, "pagerduty");
  g_auto(GStrv) lines = g_strsplit (bodies, "\n", -1);
  GString *s = g_string_new (NULL);

  for (guint i = 0; lines[i] && *lines[i]; i++)
    {
      g_autoptr(JsonNode) node = json_from_string (lines[i], NULL);
      JsonObject *body = json_node_get_object (node);
      g_string_append_printf (s, "%s %s\n", json_object_get_string_member (body, "event_action"),
                              json_object_get_string_member (body, "dedup_key"));
    }
  return g_string_free (s, FALSE);
}

typedef struct
{
  DhTestReceivers *rx;
  const char      *line;
} StandWait;

static gboolean
stand_has (gpointer data)
{
  StandWait *w = data;
  g_autofree char *events = pagerduty_events (w->rx);

  g_usleep (20000);
  return strstr (events, w->line) != NULL;
}

static void
on_saved (GObject      *source,
          GAsyncResult *result,
          gpointer      data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (dh_notifications_save_finish (DH_NOTIFICATIONS (source), result, &error));
  g_assert_no_error (error);
  *(gboolean *) data = TRUE;
}

static gboolean
flag_set (gpointer data)
{
  return *(gboolean *) data;
}

static gboolean
pagerduty_ready (gpointer data)
{
  DhNotifyStatus status;
  DhNotifier *notifier = dh_notifications_get_notifier (data);

  /* a destination that cannot work fails the test at once, with why */
  g_assert_cmpstr (dh_notifications_get_problem (data, "pagerduty"), ==, NULL);
  return notifier && dh_notifier_get_status (notifier, "pagerduty", &status);
}

/* Triage in the window reaches PagerDuty: investigating acknowledges the
 * alert it was sent, benign resolves it; an alert PagerDuty never had is
 * not followed up. */
static void
test_pagerduty_follow_up (void)
{
  DhTestReceivers *rx = dh_test_receivers_start (PD_KEY);
  g_autoptr(GSettings) settings = fresh_settings ();
  g_autoptr(DhSession) session = dh_session_new (settings);
  DhNotifications *notifications = dh_session_get_notifications (session);
  DhInvestigation *inv = dh_session_get_investigation (session);
  g_autofree char *url = g_strconcat (dh_test_receivers_get_base (rx), "/pagerduty", NULL);
  g_autofree char *demo = demo_dir ();
  const char *paths[] = { demo, NULL };
  DhTestLoad load = { 0 };
  gboolean saved_ok = FALSE;
  const DhAlert *sent, *never;
  DhAlertSet *alerts;
  g_autofree char *sent_id = NULL, *never_id = NULL;
  g_autofree char *trigger = NULL, *ack = NULL, *resolve = NULL, *events = NULL;
  StandWait w = { rx, NULL };

  g_assert_nonnull (notifications);
  dh_notifications_save_async (notifications, "pagerduty", url, PD_KEY, NULL, on_saved, &saved_ok);
  dh_test_run_until (flag_set, &saved_ok);
  dh_test_run_until (pagerduty_ready, notifications);
  /* the key is in the keyring, not in the settings */
  {
    g_autoptr(GVariant) all = g_settings_get_value (settings, "notify-destinations");
    g_autofree char *text = g_variant_print (all, FALSE);
    g_assert_nonnull (strstr (text, "pagerduty"));
    g_assert_null (strstr (text, PD_KEY));
  }

  dh_investigation_load_async (inv, paths, NULL, dh_test_load_cb, &load);
  dh_test_run_until (dh_test_load_finished, &load);
  g_assert_true (load.ok);
  dh_load_report_free (load.report);
  alerts = dh_investigation_get_alerts (inv);
  g_assert_cmpuint (dh_alert_set_get_n_alerts (alerts), >=, 2);
  sent = dh_alert_set_get_alert (alerts, 0);
  never = dh_alert_set_get_alert (alerts, 1);
  sent_id = dh_notice_id_for_alert (alerts, sent);
  never_id = dh_notice_id_for_alert (alerts, never);

  g_settings_set_string (settings, "notify-min-severity", "low");
  g_assert_cmpuint (dh_notifications_alerts_opened (notifications, alerts, &sent, 1), ==, 1);
  trigger = g_strdup_printf ("trigger %s\n", sent_id);
  w.line = trigger;
  dh_test_run_until (stand_has, &w);

  dh_investigation_set_triage (inv, sent, DH_TRIAGE_INVESTIGATING, NULL);
  ack = g_strdup_printf ("acknowledge %s\n", sent_id);
  w.line = ack;
  dh_test_run_until (stand_has, &w);
  dh_investigation_set_triage (inv, sent, DH_TRIAGE_BENIGN, "a scanner we run");
  resolve = g_strdup_printf ("resolve %s\n", sent_id);
  w.line = resolve;
  dh_test_run_until (stand_has, &w);

  /* never sent: nothing to follow up */
  dh_investigation_set_triage (inv, never, DH_TRIAGE_BENIGN, NULL);
  for (guint i = 0; i < 50; i++)
    g_main_context_iteration (NULL, FALSE), g_usleep (10000);
  events = pagerduty_events (rx);
  g_assert_null (strstr (events, never_id));
  g_assert_cmpstr (events, ==, g_strconcat (trigger, ack, resolve, NULL));

  dh_notifications_remove (notifications, "pagerduty");
  g_settings_reset (settings, "notify-min-severity");
  dh_test_receivers_stop (rx);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *state = g_dir_make_tmp ("dnshunt-session-state-XXXXXX", NULL);
  g_autofree char *keyring = g_build_filename (state, "keyring", NULL);

  /* a throwaway keyring (libsecret's file backend) and outbox */
  g_setenv ("XDG_STATE_HOME", state, TRUE);
  g_setenv ("SECRET_BACKEND", "file", TRUE);
  g_setenv ("SECRET_FILE_TEST_PATH", keyring, TRUE);
  g_setenv ("SECRET_FILE_TEST_PASSWORD", "dnshunt-test-keyring", TRUE);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/session/load", test_load);
  g_test_add_func ("/session/load-cancel", test_load_cancel);
  g_test_add_func ("/session/load-adds", test_load_adds);
  g_test_add_func ("/session/setting-during-load", test_setting_during_load);
  g_test_add_func ("/session/install", test_install);
  g_test_add_func ("/session/rolling-retention", test_rolling_retention);
  g_test_add_func ("/session/progress-relay", test_progress_relay);
  g_test_add_func ("/session/settings", test_session_settings);
  g_test_add_func ("/session/allow-undo", test_session_allow_undo);
  g_test_add_func ("/session/recent", test_session_recent);
  g_test_add_func ("/session/recent-desktop", test_recent);
  g_test_add_func ("/session/case", test_session_case);
  if (g_getenv ("DH_PYTHON"))
    g_test_add_func ("/session/pagerduty-follow-up", test_pagerduty_follow_up);
  return g_test_run ();
}
