/* test-investigation-core.c: the core helpers behind the window (statistics,
 * event filters, case files, the timeline chart)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "dh-case.h"
#include "dh-event-filter.h"
#include "dh-json.h"
#include "dh-reader-private.h"
#include "dh-store-stats.h"
#include "dh-test-util.h"
#include "dh-time.h"
#include "dh-timeline-render.h"

/* Three hosts; out of time order on purpose. */
static DhEventStore *
make_store (void)
{
  DhEventStore *store = dh_event_store_new ();
  g_autoptr(DhReader) reader = dh_reader_new (store);
  g_autoptr(GString) s = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  static const struct { int sec; const char *host; const char *name; const char *type;
                        const char *rcode; } rows[] = {
    { 30, "10.0.0.1", "www.example.com.", "A", "NOERROR" },
    { 10, "10.0.0.1", "abc.Example.com.", "AAAA", "NOERROR" },
    { 20, "10.0.0.2", "nope.invalid.", "A", "NXDOMAIN" },
    { 40, "10.0.0.2", "nope2.invalid.", "A", "NXDOMAIN" },
    { 50, "10.0.0.2", "www.example.com.", "TXT", "NOERROR" },
    { 5, "10.0.0.3", "pastebin.com.", "A", "REFUSED" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autofree char *t = test_time_plus ("2026-03-02T10:00:00Z", rows[i].sec);
      g_autofree char *srcids = g_strdup_printf ("{\"instance\":\"i-%u\"}", i % 3 == 2 ? 3 : 1);
      g_autofree char *line = test_record_line (&(TestRecord) {
        .time = t, .host = rows[i].host, .name = rows[i].name, .qtype = rows[i].type,
        .rcode = rows[i].rcode,
        .srcids = g_str_equal (rows[i].host, "10.0.0.2") ? "{\"instance\":\"i-two\"}"
                                                         : "{\"instance\":\"i-other\"}" });
      g_string_append (s, line);
    }
  dh_reader_read_bytes (reader, "mem", s->str, s->len, &error);
  g_assert_no_error (error);
  return store;
}

static guint32
string_id (DhEventStore *store,
           const char   *text)
{
  guint32 id;

  g_assert_true (dh_str_pool_lookup (dh_event_store_get_pool (store), text, strlen (text), &id));
  return id;
}

static void
test_stats (void)
{
  g_autoptr(DhEventStore) store = make_store ();
  g_autoptr(DhStoreStats) stats = dh_store_stats_new (store, NULL);
  const DhEvent *events = dh_event_store_get_events (store);
  const guint32 *order, *host_events;
  const DhHostStats *h;
  const DhCount *counts;
  guint n;

  order = dh_store_stats_get_time_order (stats, &n);
  g_assert_cmpuint (n, ==, 6);
  for (guint i = 1; i < n; i++)
    g_assert_cmpint (events[order[i - 1]].time, <=, events[order[i]].time);

  g_assert_cmpuint (dh_store_stats_get_n_hosts (stats), ==, 3);
  h = dh_store_stats_get_host (stats, 0);   /* busiest first */
  g_assert_cmpstr (dh_event_store_get_string (store, h->host), ==, "10.0.0.2");
  g_assert_cmpuint (h->n_events, ==, 3);
  g_assert_cmpuint (h->n_nxdomain, ==, 2);
  g_assert_cmpstr (dh_event_store_get_string (store, h->srcid), ==, "i-two");

  host_events = dh_store_stats_get_host_events (stats, string_id (store, "10.0.0.1"), &n);
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpint (events[host_events[0]].time, <, events[host_events[1]].time);
  g_assert_null (dh_store_stats_get_host_events (stats, string_id (store, "i-two"), &n));

  counts = dh_store_stats_get_rcodes (stats, &n);
  g_assert_cmpuint (counts[0].id, ==, DH_RCODE_NOERROR);
  g_assert_cmpuint (counts[0].count, ==, 3);
  counts = dh_store_stats_get_top_names (stats, &n);
  g_assert_cmpstr (dh_event_store_get_string (store, counts[0].id), ==, "www.example.com.");
  g_assert_cmpuint (counts[0].count, ==, 2);
  g_assert_cmpuint (dh_store_stats_get_n_names (stats), ==, 5);
}

static guint
run_count (DhEventFilter *f,
           DhEventStore  *store,
           DhStoreStats  *stats)
{
  guint n;
  const guint32 *order = dh_store_stats_get_time_order (stats, &n);
  g_autoptr(GArray) out = dh_event_filter_run (f, store, order, n, NULL);

  return out->len;
}

static void
test_filter (void)
{
  g_autoptr(DhEventStore) store = make_store ();
  g_autoptr(DhStoreStats) stats = dh_store_stats_new (store, NULL);
  g_autoptr(DhEventFilter) f = dh_event_filter_new ();
  g_autoptr(DhEventFilter) copy = NULL;
  gint64 t;

  g_assert_true (dh_event_filter_is_empty (f));
  g_assert_cmpuint (run_count (f, store, stats), ==, 6);

  dh_event_filter_set_host (f, " 10.0.0.2 ");
  g_assert_cmpuint (run_count (f, store, stats), ==, 3);
  dh_event_filter_set_host (f, "I-TWO");          /* the instance id, any case */
  g_assert_cmpuint (run_count (f, store, stats), ==, 3);
  dh_event_filter_set_host (f, "10.0.0");         /* exact, not a prefix */
  g_assert_cmpuint (run_count (f, store, stats), ==, 0);
  dh_event_filter_set_host (f, "");
  g_assert_true (dh_event_filter_is_empty (f));

  dh_event_filter_set_name (f, "EXAMPLE");        /* substring, any case */
  g_assert_cmpuint (run_count (f, store, stats), ==, 3);
  dh_event_filter_set_rcode (f, "noerror");
  dh_event_filter_set_qtype (f, "txt");
  g_assert_cmpuint (run_count (f, store, stats), ==, 1);
  dh_event_filter_set_qtype (f, "NOSUCHTYPE");
  g_assert_cmpuint (run_count (f, store, stats), ==, 0);
  dh_event_filter_set_qtype (f, NULL);
  dh_event_filter_set_rcode (f, NULL);

  g_assert_true (dh_time_parse_iso8601 ("2026-03-02T10:00:30Z", 20, &t));
  dh_event_filter_set_range (f, t, G_MAXINT64);
  g_assert_cmpuint (run_count (f, store, stats), ==, 2);   /* 30 s and 50 s */

  copy = dh_event_filter_copy (f);
  g_assert_true (dh_event_filter_equal (f, copy));
  dh_event_filter_set_name (copy, "other");
  g_assert_false (dh_event_filter_equal (f, copy));
}

static void
test_filter_cancel (void)
{
  g_autoptr(DhEventStore) store = make_store ();
  g_autoptr(DhStoreStats) stats = dh_store_stats_new (store, NULL);
  g_autoptr(DhEventFilter) f = dh_event_filter_new ();
  g_autoptr(GCancellable) c = g_cancellable_new ();
  guint n;
  const guint32 *order = dh_store_stats_get_time_order (stats, &n);

  g_cancellable_cancel (c);
  g_assert_null (dh_event_filter_run (f, store, order, n, c));
  g_assert_null (dh_store_stats_new (store, c));
}

static void
test_case_roundtrip (void)
{
  g_autoptr(DhCase) kase = dh_case_new ();
  g_autoptr(DhCase) back = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  g_autofree char *dir = g_dir_make_tmp ("dnshunt-case-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "case.json", NULL);
  const DhTriage *t;
  GPtrArray *inputs;

  g_assert_no_error (error);
  dh_case_add_input (kase, "/logs/a.log.gz");
  dh_case_add_input (kase, "/logs/b/");
  dh_case_add_input (kase, "/logs/a.log.gz");     /* no duplicates */
  dh_case_set_setting (kase, "nxdomain-burst.threshold", "20");
  dh_case_set_triage (kase, "paste-site", "10.0.7.121", 1772452737000123, DH_TRIAGE_ESCALATED,
                      "exfil \"confirmed\" <b>");
  dh_case_set_triage (kase, "dns-over-tcp", "10.0.0.1", 5, DH_TRIAGE_BENIGN, NULL);
  dh_case_set_triage (kase, "dns-over-tcp", "10.0.0.1", 6, DH_TRIAGE_BENIGN, "x");
  dh_case_set_triage (kase, "dns-over-tcp", "10.0.0.1", 6, DH_TRIAGE_NEW, "");  /* removed */
  g_assert_cmpuint (dh_case_get_n_triage (kase), ==, 2);

  g_assert_true (dh_case_save (kase, path, &error));
  g_assert_no_error (error);
  back = dh_case_load (path, &error);
  g_assert_no_error (error);

  inputs = dh_case_get_inputs (back);
  g_assert_cmpuint (inputs->len, ==, 2);
  g_assert_cmpstr (inputs->pdata[1], ==, "/logs/b/");
  g_assert_cmpstr (g_hash_table_lookup (dh_case_get_settings (back), "nxdomain-burst.threshold"),
                   ==, "20");
  t = dh_case_lookup_triage (back, "paste-site", "10.0.7.121", 1772452737000123);
  g_assert_nonnull (t);
  g_assert_cmpint (t->state, ==, DH_TRIAGE_ESCALATED);
  g_assert_cmpstr (t->note, ==, "exfil \"confirmed\" <b>");
  t = dh_case_lookup_triage (back, "dns-over-tcp", "10.0.0.1", 5);
  g_assert_nonnull (t);
  g_assert_cmpint (t->state, ==, DH_TRIAGE_BENIGN);
  g_assert_null (dh_case_lookup_triage (back, "dns-over-tcp", "10.0.0.1", 6));

  json = dh_case_to_json (back, NULL);
  g_assert_nonnull (strstr (json, "\"first_seen\" : \"2026-"));
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_case_invalid (void)
{
  const char *bad[] = {
    "[]", "{}", "{\"dnshunt_case\": 99}", "not json",
    "{\"dnshunt_case\": 1, \"triage\": [{\"rule\": \"x\"}]}",
    "{\"dnshunt_case\": 1, \"triage\": [{\"rule\": \"x\", \"host\": \"h\", \"state\": \"odd\","
    " \"first_seen_us\": 1}]}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(DhCase) kase = dh_case_new_from_json (bad[i], -1, &error);
      g_assert_null (kase);
      g_assert_nonnull (error);
    }
}

/* A case carries values, never names of files to read: such a setting is
 * left out (and reported), the rest of the case stays. */
static void
test_case_file_settings (void)
{
  const char *json = "{\"dnshunt_case\": 1, \"inputs\": [\"/logs/a.log\"], \"settings\": {"
                     "\"paste-site.list-file\": \".aws/credentials\", "
                     "\"monero-pool.list-file\": \"/dev/zero\", "
                     "\"paste-site.allow\": \"ok.example\"}}";
  g_autoptr(GError) error = NULL;
  g_autoptr(DhCase) kase = dh_case_new_from_json (json, -1, &error);
  g_autofree char *out = NULL;
  GHashTable *settings;
  GPtrArray *refused;

  g_assert_no_error (error);
  g_assert_nonnull (kase);
  settings = dh_case_get_settings (kase);
  g_assert_cmpuint (g_hash_table_size (settings), ==, 1);
  g_assert_cmpstr (g_hash_table_lookup (settings, "paste-site.allow"), ==, "ok.example");
  refused = dh_case_get_refused_settings (kase);
  g_assert_cmpuint (refused->len, ==, 2);
  g_assert_true (g_ptr_array_find_with_equal_func (refused, "paste-site.list-file", g_str_equal,
                                                   NULL));
  g_assert_true (g_ptr_array_find_with_equal_func (refused, "monero-pool.list-file", g_str_equal,
                                                   NULL));
  g_assert_cmpuint (dh_case_get_inputs (kase)->len, ==, 1);
  out = dh_case_to_json (kase, NULL);
  g_assert_null (strstr (out, "list-file"));
}

/* A case of 100,000 inputs opens (each input was compared with all before
 * it); duplicates are still dropped and the order kept. */
static void
test_case_many_inputs (void)
{
  g_autoptr(GString) json = g_string_new ("{\"dnshunt_case\": 1, \"inputs\": [");
  g_autoptr(GError) error = NULL;
  g_autoptr(DhCase) kase = NULL;
  g_autoptr(DhCase) back = NULL;
  g_autofree char *out = NULL;
  GPtrArray *inputs;
  const guint n = 100000;

  for (guint i = 0; i < n; i++)
    g_string_append_printf (json, "%s\"/srv/logs/AWSLogs/123456789012/vpcdnsquerylogs/"
                            "vpc-0abc/2026/03/02/part-%06u.log.gz\"", i ? "," : "", i);
  g_string_append (json, ",\"/srv/logs/AWSLogs/123456789012/vpcdnsquerylogs/vpc-0abc/2026/03/"
                         "02/part-000007.log.gz\"]}");

  alarm (120);   /* a safety net only */
  kase = dh_case_new_from_json (json->str, json->len, &error);
  g_assert_no_error (error);
  inputs = dh_case_get_inputs (kase);
  g_assert_cmpuint (inputs->len, ==, n);
  g_assert_true (g_str_has_suffix (inputs->pdata[0], "part-000000.log.gz"));
  g_assert_true (g_str_has_suffix (inputs->pdata[n - 1], "part-099999.log.gz"));
  dh_case_add_input (kase, inputs->pdata[n / 2]);
  g_assert_cmpuint (inputs->len, ==, n);

  out = dh_case_to_json (kase, NULL);
  back = dh_case_new_from_json (out, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (dh_case_get_inputs (back)->len, ==, n);

  /* emptied, the inputs can be added again */
  dh_case_clear_inputs (back);
  g_assert_cmpuint (dh_case_get_inputs (back)->len, ==, 0);
  dh_case_add_input (back, inputs->pdata[0]);
  dh_case_add_input (back, inputs->pdata[0]);
  g_assert_cmpuint (dh_case_get_inputs (back)->len, ==, 1);
  alarm (0);
}

/* A FIFO as the case file is an error, not a wait for a writer. */
static void
test_case_fifo (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("dnshunt-case-XXXXXX", NULL);
  g_autofree char *fifo = g_build_filename (dir, "case.json", NULL);

  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  alarm (60);   /* a safety net: a blocked open fails the test rather than hang */
  g_assert_null (dh_case_load (fifo, &error));
  alarm (0);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE);
  g_unlink (fifo);
  g_rmdir (dir);
}

/* A case file nested deeper than json-glib's recursion can go */
static void
test_case_too_deep (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("dnshunt-case-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "deep.json", NULL);
  GString *json = g_string_new ("{\"dnshunt_case\": 1, \"inputs\": ");
  g_autoptr(DhCase) kase = NULL;

  g_assert_no_error (error);
  for (guint i = 0; i < 200000; i++)
    g_string_append_c (json, '[');
  for (guint i = 0; i < 200000; i++)
    g_string_append_c (json, ']');
  g_string_append (json, "}");
  g_assert_true (g_file_set_contents (path, json->str, json->len, &error));
  g_string_free (json, TRUE);

  kase = dh_case_load (path, &error);
  g_assert_null (kase);
  g_assert_error (error, DH_JSON_ERROR, DH_JSON_ERROR_TOO_DEEP);
  g_assert_nonnull (strstr (error->message, "nested too deeply"));
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_timeline_render (void)
{
  g_autoptr(DhEventStore) store = make_store ();
  g_autoptr(DhRuleBook) book = dh_rule_book_new (NULL);
  g_autoptr(DhAlertSet) set = NULL;
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 400, 120);
  cairo_t *cr = cairo_create (surface);
  const DhAlert *alerts[8];
  guint n_alerts = 0, counts[DH_TIMELINE_N_CLASSES];
  guint32 host = string_id (store, "10.0.0.2");
  DhTimelineLayout layout;
  gint64 first, last;
  guint painted = 0;
  unsigned char *data;

  dh_rule_book_set (book, "nxdomain-burst.threshold=2", NULL);
  set = dh_analyze (store, book, NULL, NULL);
  for (guint i = 0; i < dh_alert_set_get_n_alerts (set) && n_alerts < 8; i++)
    alerts[n_alerts++] = dh_alert_set_get_alert (set, i);
  g_assert_cmpuint (n_alerts, >=, 1);

  g_assert_true (dh_event_store_get_time_span (store, &first, &last));
  cairo_set_source_rgb (cr, 0, 0, 0);
  dh_timeline_render (cr, 400, 120, store, host, first, last + 1, alerts, n_alerts);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_flush (surface);
  data = cairo_image_surface_get_data (surface);
  for (int i = 0; i < 400 * 120 * 4; i += 4)
    painted += data[i + 3] != 0;
  g_assert_cmpuint (painted, >, 500);

  dh_timeline_layout (400, 120, first, last + 1, &layout);
  g_assert_cmpint (dh_timeline_x_to_time (&layout, layout.x), ==, first);
  g_assert_cmpfloat_with_epsilon (dh_timeline_time_to_x (&layout, first), layout.x, 0.001);
  dh_timeline_count (store, NULL, 0, host, first, last + 1, counts);
  g_assert_cmpuint (counts[DH_TIMELINE_NXDOMAIN], ==, 2);
  g_assert_cmpuint (counts[DH_TIMELINE_NOERROR], ==, 1);

  cairo_destroy (cr);
  cairo_surface_destroy (surface);
}


/* A case remembers what it followed: a folder, or a log group by name,
 * region and profile; never an endpoint, and what does not look right is
 * left out without a fuss. */
static void
test_case_live (void)
{
  g_autoptr(DhCase) kase = dh_case_new ();
  g_autoptr(DhCase) back = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  const char *group, *region, *profile;
  const char *bad[] = {
    "{\"dnshunt_case\":1,\"live\":{\"kind\":\"cloudwatch\",\"log_group\":\"a b\",\"region\":\"us-east-1\"}}",
    "{\"dnshunt_case\":1,\"live\":{\"kind\":\"cloudwatch\",\"log_group\":\"/g\",\"region\":\"us-east-1;rm\"}}",
    "{\"dnshunt_case\":1,\"live\":{\"kind\":\"s3\"}}",
    "{\"dnshunt_case\":1,\"live\":{\"kind\":{\"x\":1}}}",
    "{\"dnshunt_case\":1,\"live\":{\"kind\":7}}",
    "{\"dnshunt_case\":1,\"live\":[\"folder\"]}",
  };

  g_assert_true (dh_case_set_live (kase, "cloudwatch", "/aws/route53/resolver", "eu-west-1",
                                   "soc"));
  g_assert_false (dh_case_set_live (kase, "cloudwatch", "/x", "eu-west-1", "a profile"));
  json = dh_case_to_json (kase, NULL);
  g_assert_null (strstr (json, "endpoint"));
  back = dh_case_new_from_json (json, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dh_case_get_live (back, &group, &region, &profile), ==, "cloudwatch");
  g_assert_cmpstr (group, ==, "/aws/route53/resolver");
  g_assert_cmpstr (region, ==, "eu-west-1");
  g_assert_cmpstr (profile, ==, "soc");

  g_assert_true (dh_case_set_live (kase, "folder", NULL, NULL, NULL));
  g_clear_pointer (&json, g_free);
  g_clear_pointer (&back, dh_case_free);
  json = dh_case_to_json (kase, NULL);
  back = dh_case_new_from_json (json, -1, &error);
  g_assert_cmpstr (dh_case_get_live (back, &group, NULL, NULL), ==, "folder");
  g_assert_null (group);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(DhCase) b = dh_case_new_from_json (bad[i], -1, &error);
      g_assert_no_error (error);
      g_assert_null (dh_case_get_live (b, NULL, NULL, NULL));
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/core/stats", test_stats);
  g_test_add_func ("/core/filter", test_filter);
  g_test_add_func ("/core/filter-cancel", test_filter_cancel);
  g_test_add_func ("/core/case-roundtrip", test_case_roundtrip);
  g_test_add_func ("/core/case-live", test_case_live);
  g_test_add_func ("/core/case-invalid", test_case_invalid);
  g_test_add_func ("/core/case-file-settings", test_case_file_settings);
  g_test_add_func ("/core/case-fifo", test_case_fifo);
  g_test_add_func ("/core/case-many-inputs", test_case_many_inputs);
  g_test_add_func ("/core/case-too-deep", test_case_too_deep);
  g_test_add_func ("/core/timeline-render", test_timeline_render);
  return g_test_run ();
}
