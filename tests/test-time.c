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

/* Durations end at DH_DURATION_MAX, so nothing that adds one to a time, or a
 * quarter of one to itself, can overflow (issue 10, defect 14). */
static void
test_duration_bounds (void)
{
  g_autoptr(GError) error = NULL;
  gint64 d = -1;

  /* 106751991 days are 9.2e18 µs: they fit a gint64, a quarter more does not */
  g_assert_false (dh_duration_parse ("106751991d", &d));
  g_assert_false (dh_duration_parse_bounded ("106751991d", FALSE, DH_DURATION_MAX, &d, &error));
  g_assert_error (error, DH_TIME_ERROR, DH_TIME_ERROR_TOO_LONG);
  g_clear_error (&error);
  g_assert_false (dh_duration_parse_bounded ("99999999999999999999d", FALSE, DH_DURATION_MAX,
                                             &d, &error));
  g_assert_error (error, DH_TIME_ERROR, DH_TIME_ERROR_TOO_LONG);
  g_clear_error (&error);
  g_assert_false (dh_duration_parse_bounded ("2x", FALSE, DH_DURATION_MAX, &d, &error));
  g_assert_error (error, DH_TIME_ERROR, DH_TIME_ERROR_INVALID);
  g_clear_error (&error);

  /* the longest taken, in every unit */
  g_assert_true (dh_duration_parse ("3652500d", &d));
  g_assert_cmpint (d, ==, DH_DURATION_MAX);
  g_assert_false (dh_duration_parse ("3652501d", &d));
  g_assert_false (dh_duration_parse ("521786w", &d));
  g_assert_true (dh_duration_parse ("521785w", &d));
  g_assert_true (dh_duration_parse ("87660000h", &d));
  g_assert_false (dh_duration_parse ("87660001h", &d));
  g_assert_cmpint (d + d / 4, >, d);

  /* a bound of the caller's, and zero where the caller takes it */
  g_assert_true (dh_duration_parse_bounded ("1h", FALSE, 3600 * DH_USEC_PER_SEC, &d, NULL));
  g_assert_false (dh_duration_parse_bounded ("3601", FALSE, 3600 * DH_USEC_PER_SEC, &d, &error));
  g_assert_error (error, DH_TIME_ERROR, DH_TIME_ERROR_TOO_LONG);
  g_assert_nonnull (strstr (error->message, "1h"));
  g_clear_error (&error);
  g_assert_false (dh_duration_parse_bounded ("0", FALSE, DH_DURATION_MAX, &d, NULL));
  g_assert_true (dh_duration_parse_bounded ("0m", TRUE, DH_DURATION_MAX, &d, NULL));
  g_assert_cmpint (d, ==, 0);
}

static void
test_retention_cutoff (void)
{
  gint64 now = parse ("2026-03-02T12:00:00Z");
  gint64 hour = 3600 * DH_USEC_PER_SEC;
  gint64 cutoff = 0;

  /* the last hour of records up to now; not due before a quarter more is held */
  g_assert_false (dh_time_retention_cutoff (now - hour - hour / 4, now, now, hour, &cutoff));
  g_assert_cmpint (cutoff, ==, now - hour);
  g_assert_true (dh_time_retention_cutoff (now - 2 * hour, now, now, hour, &cutoff));
  g_assert_cmpint (cutoff, ==, now - hour);
  /* records from last year: the retention counts from the newest of them */
  g_assert_true (dh_time_retention_cutoff (now - 400 * 24 * hour, now - 365 * 24 * hour, now,
                                           hour, &cutoff));
  g_assert_cmpint (cutoff, ==, now - 365 * 24 * hour - hour);

  /* one record dated next year: the cutoff stays an hour before the clock
   * (plus the 5 minutes a clock may be ahead), not an hour before next year */
  g_assert_true (dh_time_retention_cutoff (now - 2 * hour, now + 365 * 24 * hour, now, hour,
                                           &cutoff));
  g_assert_cmpint (cutoff, ==, now + DH_TIME_MAX_AHEAD - hour);
  /* a little ahead counts as it is */
  g_assert_true (dh_time_retention_cutoff (now - 2 * hour, now + 60 * DH_USEC_PER_SEC, now,
                                           hour, &cutoff));
  g_assert_cmpint (cutoff, ==, now + 60 * DH_USEC_PER_SEC - hour);

  /* the extremes neither overflow nor keep too little */
  g_assert_false (dh_time_retention_cutoff (parse ("0000-01-01T00:00:00Z"),
                                            parse ("0000-01-02T00:00:00Z"), now,
                                            DH_DURATION_MAX, &cutoff));
  g_assert_cmpint (cutoff, <, parse ("0000-01-01T00:00:00Z"));
  g_assert_true (dh_time_retention_cutoff (parse ("0000-01-01T00:00:00Z"),
                                           parse ("9999-12-31T23:59:59Z"), G_MAXINT64,
                                           hour, &cutoff));
  g_assert_cmpint (cutoff, ==, parse ("9999-12-31T23:59:59Z") - hour);
  g_assert_false (dh_time_retention_cutoff (G_MININT64, G_MININT64 + 1, now, DH_DURATION_MAX,
                                            &cutoff));
  g_assert_cmpint (cutoff, ==, G_MININT64);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/time/parse", test_parse);
  g_test_add_func ("/time/format", test_format);
  g_test_add_func ("/time/duration", test_duration);
  g_test_add_func ("/time/duration-bounds", test_duration_bounds);
  g_test_add_func ("/time/retention-cutoff", test_retention_cutoff);
  return g_test_run ();
}
