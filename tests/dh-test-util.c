/* dh-test-util.c: helpers shared by the test programs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "dh-reader-private.h"
#include "dh-test-util.h"
#include "dh-time.h"

static char *
quote (const char *s)
{
  JsonNode *node = json_node_new (JSON_NODE_VALUE);
  char *out;

  json_node_set_string (node, s);
  out = json_to_string (node, FALSE);
  json_node_unref (node);
  return out;
}

char *
test_record_line (const TestRecord *r)
{
  g_autofree char *name = quote (r->name ? r->name : "www.example.com.");
  g_autofree char *host = quote (r->host ? r->host : "10.0.0.5");

  return g_strdup_printf (
    "{\"version\":\"1.100000\",\"account_id\":\"111122223333\",\"region\":\"us-east-1\","
    "\"vpc_id\":\"vpc-0test\",\"query_timestamp\":\"%s\",\"query_name\":%s,"
    "\"query_type\":\"%s\",\"query_class\":\"IN\",\"rcode\":\"%s\",\"answers\":%s,"
    "\"srcaddr\":%s,\"srcport\":\"53000\",\"transport\":\"%s\",\"srcids\":%s}\n",
    r->time ? r->time : "2026-03-02T10:00:00Z", name, r->qtype ? r->qtype : "A",
    r->rcode ? r->rcode : "NOERROR", r->answers ? r->answers : "[]", host,
    r->transport ? r->transport : "UDP",
    r->srcids ? r->srcids : "{\"instance\":\"i-0123456789abcdef0\"}");
}

/* Returns base + seconds as ISO text. */
char *
test_time_plus (const char *base,
                gint64      seconds)
{
  gint64 t;
  char buf[DH_TIME_FORMAT_SIZE];

  g_assert_true (dh_time_parse_iso8601 (base, strlen (base), &t));
  return g_strdup (dh_time_format (t + seconds * DH_USEC_PER_SEC, buf));
}

DhAlertSet *
test_analyze_text (const char  *ndjson,
                   const char **sets)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DhEventStore) store = dh_event_store_new ();
  g_autoptr(DhReader) reader = dh_reader_new (store);
  g_autoptr(DhRuleBook) book = dh_rule_book_new (&error);
  DhAlertSet *set;

  g_assert_no_error (error);
  for (guint i = 0; sets && sets[i]; i++)
    {
      dh_rule_book_set (book, sets[i], &error);
      g_assert_no_error (error);
    }
  dh_reader_read_bytes (reader, "test", ndjson, strlen (ndjson), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (dh_event_store_get_n_rejected (store), ==, 0);
  set = dh_analyze (store, book, NULL, &error);
  g_assert_no_error (error);
  return set;
}

guint
test_count_rule (DhAlertSet *set,
                 DhRuleKind  rule)
{
  guint n = 0;

  for (guint i = 0; i < dh_alert_set_get_n_alerts (set); i++)
    if (dh_alert_set_get_alert (set, i)->rule == rule)
      n++;
  return n;
}

const DhAlert *
test_find_alert (DhAlertSet *set,
                 DhRuleKind  rule,
                 const char *host)
{
  DhEventStore *store = dh_alert_set_get_store (set);

  for (guint i = 0; i < dh_alert_set_get_n_alerts (set); i++)
    {
      const DhAlert *a = dh_alert_set_get_alert (set, i);
      if (a->rule == rule && g_str_equal (dh_event_store_get_string (store, a->host), host))
        return a;
    }
  return NULL;
}

char *
test_data_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "data", name, NULL);
}
