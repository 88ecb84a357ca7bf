/* test-store.c: the string pool and the compact event store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "dh-event-store.h"
#include "dh-reader-private.h"
#include "dh-release.h"
#include "dh-store-stats.h"
#include "dh-test-util.h"
#include "dh-time.h"

static void
test_pool (void)
{
  g_autoptr(DhStrPool) pool = dh_str_pool_new ();
  guint32 ids[20000];
  guint32 id;

  g_assert_cmpstr (dh_str_pool_get (pool, DH_STR_EMPTY), ==, "");
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autofree char *s = g_strdup_printf ("name-%u.example.com.", i);
      ids[i] = dh_str_pool_intern (pool, s, strlen (s));
    }
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autofree char *s = g_strdup_printf ("name-%u.example.com.", i);
      g_assert_cmpuint (dh_str_pool_intern (pool, s, strlen (s)), ==, ids[i]);
      g_assert_cmpstr (dh_str_pool_get (pool, ids[i]), ==, s);
      g_assert_cmpuint (dh_str_pool_get_length (pool, ids[i]), ==, strlen (s));
    }
  g_assert_cmpuint (dh_str_pool_get_size (pool), ==, G_N_ELEMENTS (ids) + 1);
  /* bytes, not C strings: an embedded NUL is its own string */
  g_assert_cmpuint (dh_str_pool_intern (pool, "a\0b", 3), !=, dh_str_pool_intern (pool, "a", 1));
  g_assert_false (dh_str_pool_lookup (pool, "absent", 6, &id));
  g_assert_true (dh_str_pool_lookup (pool, "a", 1, &id));

  /* every length the hash and the comparison treat apart (words, pairs of
   * words, tails), with strings differing only in their first, middle or
   * last byte */
  for (guint len = 1; len <= 70; len++)
    {
      char a[70], b[70], c[70], d[70];
      guint32 ia, ib, ic, id_;
      memset (a, 'x', len);
      memcpy (b, a, len);
      memcpy (c, a, len);
      memcpy (d, a, len);
      b[len - 1] = 'y';
      c[0] = 'y';
      d[len / 2] = 'z';
      ia = dh_str_pool_intern (pool, a, len);
      ib = dh_str_pool_intern (pool, b, len);
      ic = dh_str_pool_intern (pool, c, len);
      id_ = dh_str_pool_intern (pool, d, len);
      g_assert_cmpuint (ia, !=, ib);
      g_assert_cmpuint (ia, !=, ic);
      g_assert_cmpuint (ia, !=, id_);
      g_assert_true (dh_str_pool_lookup (pool, a, len, &id) && id == ia);
      g_assert_true (dh_str_pool_lookup (pool, b, len, &id) && id == ib);
      g_assert_true (dh_str_pool_lookup (pool, c, len, &id) && id == ic);
      g_assert_true (dh_str_pool_lookup (pool, d, len, &id) && id == id_);
      g_assert_cmpmem (dh_str_pool_get (pool, ib), len, b, len);
    }
}

/* Records of several VPCs and accounts interleaved (as a log collected from
 * many VPCs is): each event keeps its own origin. */
static void
test_interleaved_origins (void)
{
  g_autoptr(DhEventStore) store = dh_event_store_new ();
  g_autoptr(DhReader) reader = dh_reader_new (store);
  g_autoptr(GString) s = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  const guint n = 3000;
  static const char *accounts[] = { "111122223333", "111122223334" };
  static const char *regions[] = { "us-east-1", "eu-west-1" };

  for (guint i = 0; i < n; i++)
    {
      guint v = (i * i + i / 3) % 7;
      g_autofree char *line = g_strdup_printf (
        "{\"version\":\"1.100000\",\"account_id\":\"%s\",\"region\":\"%s\","
        "\"vpc_id\":\"vpc-0000000000000000%u\",\"query_timestamp\":\"2026-03-02T10:00:00Z\","
        "\"query_name\":\"n%u.example.\",\"query_type\":\"A\",\"query_class\":\"IN\","
        "\"rcode\":\"NOERROR\",\"answers\":[],\"srcaddr\":\"10.0.0.%u\",\"srcport\":\"53\","
        "\"transport\":\"UDP\",\"srcids\":{\"instance\":\"i-%u\"}}\n",
        accounts[(i / 5) % 2], regions[v % 2], v, i, v, v);
      g_string_append (s, line);
    }
  dh_reader_read_bytes (reader, "mem", s->str, s->len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (dh_event_store_get_n_events (store), ==, n);
  for (guint i = 0; i < n; i++)
    {
      guint v = (i * i + i / 3) % 7;
      const DhEvent *ev = dh_event_store_get_event (store, i);
      const DhOrigin *o = dh_event_store_get_origin (store, ev->origin);
      g_autofree char *vpc = g_strdup_printf ("vpc-0000000000000000%u", v);
      g_assert_cmpstr (dh_event_store_get_string (store, o->vpc), ==, vpc);
      g_assert_cmpstr (dh_event_store_get_string (store, o->account), ==, accounts[(i / 5) % 2]);
      g_assert_cmpstr (dh_event_store_get_string (store, o->region), ==, regions[v % 2]);
    }
}

static void
test_compact (void)
{
  g_autoptr(DhEventStore) store = dh_event_store_new ();
  g_autoptr(DhReader) reader = dh_reader_new (store);
  g_autoptr(GString) s = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  const guint n = 50000;

  /* 500 hosts, 2000 names: like real traffic, names repeat */
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *name = g_strdup_printf ("svc%u.us-east-1.amazonaws.com.", i % 2000);
      g_autofree char *host = g_strdup_printf ("10.0.%u.%u", i % 500 / 250, i % 250);
      g_autofree char *line = test_record_line (&(TestRecord) {
        .name = name, .host = host,
        .answers = "[{\"Rdata\":\"52.94.1.1\",\"Type\":\"A\",\"Class\":\"IN\"}]" });
      g_string_append (s, line);
    }
  dh_reader_read_bytes (reader, "mem", s->str, s->len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (dh_event_store_get_n_events (store), ==, n);
  /* well under a fifth of the text it came from */
  g_assert_cmpuint (dh_event_store_get_memory (store), <, s->len / 5);
  g_test_message ("%u events: %zu bytes of NDJSON, %zu bytes stored", n, s->len,
                  dh_event_store_get_memory (store));
}

static void
test_compact_keeps_recent (void)
{
  g_autoptr(DhEventStore) store = dh_event_store_new ();
  g_autoptr(DhReader) reader = dh_reader_new (store);
  g_autoptr(DhEventStore) kept = NULL;
  g_autoptr(GString) s = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  gint64 cutoff;

  /* 3000 events a second apart, each its own name; the last 1000 are kept */
  for (guint i = 0; i < 3000; i++)
    {
      g_autofree char *t = test_time_plus ("2026-03-02T10:00:00Z", i);
      g_autofree char *name = g_strdup_printf ("n%u.example.com.", i);
      g_autofree char *line = test_record_line (&(TestRecord) {
        .time = t, .name = name,
        .answers = i % 2 ? "[{\"Rdata\":\"192.0.2.1\",\"Type\":\"A\",\"Class\":\"IN\"}]"
                         : "[]" });
      g_string_append (s, line);
      if (i % 7 == 0)
        {
          /* a firewall record, to check those entries follow their events */
          g_autofree char *fw = g_strdup_printf (
            "{\"query_timestamp\":\"%s\",\"query_name\":\"fw%u.example.\",\"srcaddr\":"
            "\"10.0.0.9\",\"firewall_rule_action\":\"BLOCK\",\"firewall_rule_group_id\":"
            "\"rslvr-frg-%u\"}\n", t, i, i);
          g_string_append (s, fw);
        }
    }
  g_string_append (s, "not a record\n");
  dh_reader_read_bytes (reader, "live", s->str, s->len, &error);
  g_assert_no_error (error);

  g_assert_true (dh_time_parse_iso8601 ("2026-03-02T10:33:20Z", 20, &cutoff));
  kept = dh_event_store_compact (store, cutoff);
  g_assert_cmpuint (dh_event_store_get_n_events (kept), ==, 1000 + 1000 / 7 + 1);
  g_assert_cmpuint (dh_event_store_get_n_rejected (kept), ==, 1);
  g_assert_cmpuint (dh_event_store_get_n_sources (kept), ==, 1);
  g_assert_cmpstr (dh_event_store_get_source (kept, 0)->name, ==, "live");
  /* strings of dropped events are gone */
  g_assert_cmpuint (dh_str_pool_get_size (dh_event_store_get_pool (kept)), <,
                    dh_str_pool_get_size (dh_event_store_get_pool (store)) / 2);

  for (guint i = 0, j = 0; i < dh_event_store_get_n_events (store); i++)
    {
      const DhEvent *a = dh_event_store_get_event (store, i);
      const DhEvent *b;
      if (a->time < cutoff)
        continue;
      b = dh_event_store_get_event (kept, j);
      g_assert_cmpint (a->time, ==, b->time);
      g_assert_cmpstr (dh_event_store_get_string (store, a->name), ==,
                       dh_event_store_get_string (kept, b->name));
      g_assert_cmpuint (a->n_answers, ==, b->n_answers);
      if (a->n_answers)
        g_assert_cmpstr (dh_event_store_get_string (store,
                                                    dh_event_store_get_answers (store, a)[0].rdata),
                         ==,
                         dh_event_store_get_string (kept,
                                                    dh_event_store_get_answers (kept, b)[0].rdata));
      g_assert_true ((dh_event_store_get_firewall (store, i) != NULL) ==
                     (dh_event_store_get_firewall (kept, j) != NULL));
      if (dh_event_store_get_firewall (store, i))
        g_assert_cmpstr (dh_event_store_get_string (store,
                                                    dh_event_store_get_firewall (store, i)->group),
                         ==,
                         dh_event_store_get_string (kept,
                                                    dh_event_store_get_firewall (kept, j)->group));
      j++;
    }
}

static DhEventStore *
store_of_n_events (guint n)
{
  DhEventStore *store = dh_event_store_new ();

  dh_event_store_begin_source (store, "mem");
  for (guint i = 0; i < n; i++)
    {
      char name[32], host[32];
      DhRecord rec = { 0 };

      g_snprintf (name, sizeof name, "n%u.example.com.", i % 1000);
      g_snprintf (host, sizeof host, "10.0.0.%u", i % 200);
      rec.time = 1772445600000000 + (gint64) i * 1000;
      rec.query_name = (DhSlice) { name, strlen (name) };
      rec.srcaddr = (DhSlice) { host, strlen (host) };
      dh_event_store_add (store, &rec);
    }
  dh_event_store_end_source (store);
  return store;
}

/* Giving back the memory of millions of events takes tens of milliseconds:
 * the last reference to a big store, or the statistics of one, must not
 * make its caller (the window's main thread, after a new load) wait. */
static void
test_big_store_freed_in_thread (void)
{
  DhEventStore *big = store_of_n_events (DH_RELEASE_MIN_EVENTS);
  DhEventStore *small = store_of_n_events (1000);
  DhStoreStats *stats = dh_store_stats_new (big, NULL);
  guint before = dh_release_get_n_threaded ();

  dh_store_stats_free (stats);
  g_assert_cmpuint (dh_release_get_n_threaded (), ==, before + 1);
  dh_event_store_unref (big);
  dh_release_wait ();
  g_assert_cmpuint (dh_release_get_n_threaded (), ==, before + 2);

  /* a small one is freed at once: no thread for that */
  stats = dh_store_stats_new (small, NULL);
  dh_store_stats_free (stats);
  dh_event_store_unref (small);
  g_assert_cmpuint (dh_release_get_n_threaded (), ==, before + 2);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/store/pool", test_pool);
  g_test_add_func ("/store/interleaved-origins", test_interleaved_origins);
  g_test_add_func ("/store/compact", test_compact);
  g_test_add_func ("/store/compact-keeps-recent", test_compact_keeps_recent);
  g_test_add_func ("/store/big-freed-in-thread", test_big_store_freed_in_thread);
  return g_test_run ();
}
