/* dh-time.c: fast ISO 8601 parsing and formatting for log timestamps
 *
 * GDateTime would do, but it allocates per call and the reader parses one
 * timestamp per record.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gi18n.h>

#include "dh-time.h"

static gint64
days_from_civil (gint64 y,
                 guint  m,
                 guint  d)
{
  /* Howard Hinnant's days_from_civil */
  y -= m <= 2;
  gint64 era = (y >= 0 ? y : y - 399) / 400;
  guint yoe = (guint) (y - era * 400);
  guint doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  guint doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + (gint64) doe - 719468;
}

static gboolean
digits (const char *s,
        guint       n,
        guint      *out)
{
  guint v = 0;

  for (guint i = 0; i < n; i++)
    {
      if (s[i] < '0' || s[i] > '9')
        return FALSE;
      v = v * 10 + (guint) (s[i] - '0');
    }
  *out = v;
  return TRUE;
}

/**
 * dh_time_parse_iso8601:
 * @str: text such as `2021-12-11T22:46:23Z` or `2021-12-11T22:46:23.123+02:00`
 * @len: length of @str
 * @out_us: (out): microseconds since the epoch, UTC
 *
 * Accepts a date, `T` or a space, a time with optional fraction, and `Z` or an
 * offset (missing means UTC).
 *
 * Returns: %TRUE when @str is a valid timestamp.
 */
gboolean
dh_time_parse_iso8601 (const char *str,
                       gsize       len,
                       gint64     *out_us)
{
  guint y, mo, d, h, mi, s = 0;
  gint64 frac = 0;
  gint64 offset = 0;
  gsize i;
  static const guint8 mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

  if (len < 16 || !digits (str, 4, &y) || str[4] != '-' || !digits (str + 5, 2, &mo) ||
      str[7] != '-' || !digits (str + 8, 2, &d) || (str[10] != 'T' && str[10] != 't' &&
      str[10] != ' ') || !digits (str + 11, 2, &h) || str[13] != ':' ||
      !digits (str + 14, 2, &mi))
    return FALSE;

  i = 16;
  if (i < len && str[i] == ':')
    {
      if (i + 3 > len || !digits (str + i + 1, 2, &s))
        return FALSE;
      i += 3;
      if (i < len && (str[i] == '.' || str[i] == ','))
        {
          gint64 scale = 100000;
          i++;
          if (i >= len || str[i] < '0' || str[i] > '9')
            return FALSE;
          while (i < len && str[i] >= '0' && str[i] <= '9')
            {
              frac += (str[i] - '0') * scale;
              scale /= 10;
              i++;
            }
        }
    }

  if (i < len && (str[i] == 'Z' || str[i] == 'z'))
    i++;
  else if (i < len && (str[i] == '+' || str[i] == '-'))
    {
      guint oh, om = 0;
      int sign = str[i] == '-' ? -1 : 1;
      i++;
      if (i + 2 > len || !digits (str + i, 2, &oh))
        return FALSE;
      i += 2;
      if (i < len && str[i] == ':')
        i++;
      if (i + 2 <= len && digits (str + i, 2, &om))
        i += 2;
      if (oh > 23 || om > 59)
        return FALSE;
      offset = sign * (gint64) (oh * 3600 + om * 60);
    }

  if (i != len)
    return FALSE;
  if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] || h > 23 || mi > 59 || s > 60)
    return FALSE;
  if (mo == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
    return FALSE;

  *out_us = ((days_from_civil (y, mo, d) * 86400 + h * 3600 + mi * 60 + s) - offset) *
            DH_USEC_PER_SEC + frac;
  return TRUE;
}

/**
 * dh_time_format:
 * @us: microseconds since the epoch
 * @buf: room for the text
 *
 * Formats as `YYYY-MM-DDTHH:MM:SSZ`, with milliseconds when there are any.
 *
 * Returns: @buf
 */
char *
dh_time_format (gint64 us,
                char   buf[DH_TIME_FORMAT_SIZE])
{
  gint64 secs = us >= 0 ? us / DH_USEC_PER_SEC : -((-us + DH_USEC_PER_SEC - 1) / DH_USEC_PER_SEC);
  gint64 rem = us - secs * DH_USEC_PER_SEC;
  gint64 days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
  gint64 sod = secs - days * 86400;
  /* civil_from_days */
  gint64 z = days + 719468;
  gint64 era = (z >= 0 ? z : z - 146096) / 146097;
  guint doe = (guint) (z - era * 146097);
  guint yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  gint64 y = (gint64) yoe + era * 400;
  guint doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  guint mp = (5 * doy + 2) / 153;
  guint d = doy - (153 * mp + 2) / 5 + 1;
  guint m = mp < 10 ? mp + 3 : mp - 9;

  y += m <= 2;
  if (rem / 1000 != 0)
    g_snprintf (buf, DH_TIME_FORMAT_SIZE, "%04" G_GINT64_FORMAT "-%02u-%02uT%02u:%02u:%02u.%03uZ",
                y, m, d, (guint) (sod / 3600), (guint) (sod / 60 % 60), (guint) (sod % 60),
                (guint) (rem / 1000));
  else
    g_snprintf (buf, DH_TIME_FORMAT_SIZE, "%04" G_GINT64_FORMAT "-%02u-%02uT%02u:%02u:%02uZ",
                y, m, d, (guint) (sod / 3600), (guint) (sod / 60 % 60), (guint) (sod % 60));
  return buf;
}

G_DEFINE_QUARK (dh-time-error-quark, dh_time_error)

/**
 * dh_duration_parse_bounded:
 * @str: `90`, `90s`, `15m`, `6h`, `2d`, `3w` (a bare number is seconds)
 * @allow_zero: whether `0` (with or without a unit) is a duration
 * @max_us: the longest duration taken, at most %DH_DURATION_MAX
 * @out_us: (out): the duration in microseconds
 * @error: %DH_TIME_ERROR_INVALID or %DH_TIME_ERROR_TOO_LONG
 *
 * Nothing longer than @max_us is taken, so whatever adds a duration to a
 * timestamp (or a quarter of it to itself) stays far from overflowing.
 *
 * Returns: %TRUE when @str is a duration within the bounds.
 */
gboolean
dh_duration_parse_bounded (const char  *str,
                           gboolean     allow_zero,
                           gint64       max_us,
                           gint64      *out_us,
                           GError     **error)
{
  char *end = NULL;
  guint64 n;
  gint64 unit = 1;

  g_return_val_if_fail (max_us > 0 && max_us <= DH_DURATION_MAX, FALSE);

  if (str == NULL || *str < '0' || *str > '9')
    goto invalid;
  /* more digits than fit give G_MAXUINT64: too long, as it should */
  n = g_ascii_strtoull (str, &end, 10);
  if (end == str)
    goto invalid;
  if (g_str_equal (end, "") || g_str_equal (end, "s"))
    unit = 1;
  else if (g_str_equal (end, "m"))
    unit = 60;
  else if (g_str_equal (end, "h"))
    unit = 3600;
  else if (g_str_equal (end, "d"))
    unit = 86400;
  else if (g_str_equal (end, "w"))
    unit = 7 * 86400;
  else
    goto invalid;
  if (n == 0 && !allow_zero)
    goto invalid;
  if (n > (guint64) (max_us / DH_USEC_PER_SEC / unit))
    {
      g_autofree char *most = dh_duration_format (max_us);
      g_set_error (error, DH_TIME_ERROR, DH_TIME_ERROR_TOO_LONG,
                   _("too long; the most is %s"), most);
      return FALSE;
    }
  *out_us = (gint64) n * unit * DH_USEC_PER_SEC;
  return TRUE;

invalid:
  g_set_error (error, DH_TIME_ERROR, DH_TIME_ERROR_INVALID,
               allow_zero ? _("not a duration (such as 0, 90s, 30m, 6h, 2d)")
                          : _("not a duration (such as 90s, 30m, 6h, 2d)"));
  return FALSE;
}

/**
 * dh_duration_parse:
 * @str: `90`, `90s`, `15m`, `6h`, `2d`, `3w` (a bare number is seconds)
 * @out_us: (out): the duration in microseconds
 *
 * Returns: %TRUE when @str is a positive duration of at most %DH_DURATION_MAX.
 */
gboolean
dh_duration_parse (const char *str,
                   gint64     *out_us)
{
  return dh_duration_parse_bounded (str, FALSE, DH_DURATION_MAX, out_us, NULL);
}

/**
 * dh_time_retention_cutoff:
 * @first: the oldest record time held (µs)
 * @last: the newest record time held (µs)
 * @now: the clock (µs)
 * @retention: how much history to keep (µs, 0 to %DH_DURATION_MAX)
 * @out_cutoff: (out): the oldest time to keep
 *
 * A record's time is what its writer put in it. Counted as it is, one record
 * dated next year would put the cutoff after everything else, and a follow
 * would keep nothing but that record: so the newest counts for at most @now
 * plus %DH_TIME_MAX_AHEAD (clocks a little ahead are normal). A record dated
 * further ahead is kept, as any other, until the clock passes it.
 *
 * Returns: %TRUE when @first lies more than a quarter of @retention before
 *   the cutoff: time to drop the old records (rarely, not after every poll)
 */
gboolean
dh_time_retention_cutoff (gint64  first,
                          gint64  last,
                          gint64  now,
                          gint64  retention,
                          gint64 *out_cutoff)
{
  gint64 top, cutoff;

  g_return_val_if_fail (retention >= 0 && retention <= DH_DURATION_MAX, FALSE);

  top = MIN (last, now <= G_MAXINT64 - DH_TIME_MAX_AHEAD ? now + DH_TIME_MAX_AHEAD : G_MAXINT64);
  cutoff = top >= G_MININT64 + retention ? top - retention : G_MININT64;
  *out_cutoff = cutoff;
  /* the difference as unsigned: exact for any two gint64 in this order */
  return first < cutoff && (guint64) cutoff - (guint64) first > (guint64) (retention / 4);
}

/**
 * dh_duration_format:
 *
 * Returns: (transfer full): the shortest exact form, such as `15m` or `90s`
 */
char *
dh_duration_format (gint64 us)
{
  gint64 s = us / DH_USEC_PER_SEC;

  if (s % 86400 == 0)
    return g_strdup_printf ("%" G_GINT64_FORMAT "d", s / 86400);
  if (s % 3600 == 0)
    return g_strdup_printf ("%" G_GINT64_FORMAT "h", s / 3600);
  if (s % 60 == 0)
    return g_strdup_printf ("%" G_GINT64_FORMAT "m", s / 60);
  return g_strdup_printf ("%" G_GINT64_FORMAT "s", s);
}
