/* test-time.c: timestamps and durations
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "dh-time.h"

static gint64
parse (const char *s)
{
  gint64 t = 0;

  if (!dh_time_parse_iso8601 (s, strlen (s), &t))
    g_error ("could not parse %s", s);
  return t;
}

static void
test_parse (void)
{
  g_autoptr(GDateTime) dt = g_date_time_new_utc (2021, 12, 11, 22, 46, 23);
  gint64 expected = g_date_time_to_unix (dt) * DH_USEC_PER_SEC;
  const char *bad[] = { "", "2021-12-11", "2021-13-11T22:46:23Z", "2021-02-29T00:00:00Z",
                        "2021-12-11T24:00:00Z", "2021-12-11T22:46:23ZZ", "yesterday",
                        "2021-12-11T22:46:23.Z", "2021-12-11T22:46:23+25:00",
                        "2021-12-11X22:46:23Z" };

  g_assert_cmpint (parse ("2021-12-11T22:46:23Z"), ==, expected);
  g_assert_cmpint (parse ("2021-12-11T22:46:23.5Z"), ==, expected + 500000);
  g_assert_cmpint (parse ("2021-12-11T22:46:23.123456789Z"), ==, expected + 123456);
  g_assert_cmpint (parse ("2021-12-11T23:46:23+01:00"), ==, expected);
  g_assert_cmpint (parse ("2021-12-11T21:46:23-0100"), ==, expected);
  g_assert_cmpint (parse ("2021-12-11 22:46:23"), ==, expected);
  g_assert_cmpint (parse ("2021-12-11T22:46Z"), ==, expected - 23 * DH_USEC_PER_SEC);
  g_assert_cmpint (parse ("2024-02-29T00:00:00Z"), ==,
                   parse ("2024-03-01T00:00:00Z") - 86400 * DH_USEC_PER_SEC);
  g_assert_cmpint (parse ("1970-01-01T00:00:00Z"), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      gint64 t;
      if (dh_time_parse_iso8601 (bad[i], strlen (bad[i]), &t))
        g_error ("accepted %s", bad[i]);
    }
}

static void
test_format (void)
{
  char buf[DH_TIME_FORMAT_SIZE];
  const char *round[] = { "2021-12-11T22:46:23Z", "2026-03-02T08:00:12.876Z",
                          "1999-12-31T23:59:59Z", "2000-02-29T12:00:00.001Z" };

  for (guint i = 0; i < G_N_ELEMENTS (round); i++)
    g_assert_cmpstr (dh_time_format (parse (round[i]), buf), ==, round[i]);
  /* microseconds below a millisecond are not printed */
  g_assert_cmpstr (dh_time_format (parse ("2021-12-11T22:46:23.000400Z"), buf), ==,
                   "2021-12-11T22:46:23Z");
}

static void
test_duration (void)
{
  gint64 d;
  g_autofree char *f1 = NULL;
  g_autofree char *f2 = NULL;

  g_assert_true (dh_duration_parse ("15m", &d));
  g_assert_cmpint (d, ==, 900 * DH_USEC_PER_SEC);
  g_assert_true (dh_duration_parse ("90", &d));
  g_assert_cmpint (d, ==, 90 * DH_USEC_PER_SEC);
  g_assert_true (dh_duration_parse ("2d", &d));
  g_assert_cmpint (d, ==, 2 * 86400 * DH_USEC_PER_SEC);
  g_assert_false (dh_duration_parse ("0m", &d));
  g_assert_false (dh_duration_parse ("-5m", &d));
  g_assert_false (dh_duration_parse ("5 minutes", &d));
  g_assert_false (dh_duration_parse ("99999999999999999999d", &d));
  f1 = dh_duration_format (900 * DH_USEC_PER_SEC);
  g_assert_cmpstr (f1, ==, "15m");
  f2 = dh_duration_format (90 * DH_USEC_PER_SEC);
  g_assert_cmpstr (f2, ==, "90s");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/time/parse", test_parse);
  g_test_add_func ("/time/format", test_format);
  g_test_add_func ("/time/duration", test_duration);
  return g_test_run ();
}
