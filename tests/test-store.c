/* test-store.c: the string pool and the compact event store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "dh-event-store.h"
#include "dh-test-util.h"

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

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/store/pool", test_pool);
  g_test_add_func ("/store/compact", test_compact);
  return g_test_run ();
}
