/* dh-time.h: timestamps as 64-bit microseconds since the Unix epoch (UTC)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define DH_TIME_FORMAT_SIZE 32
#define DH_USEC_PER_SEC G_GINT64_CONSTANT (1000000)

/* The longest duration taken anywhere: 10,000 years, the whole span a
 * timestamp (years 0000 to 9999) can have. A timestamp plus or minus it,
 * plus a quarter more, stays far inside a gint64. */
#define DH_DURATION_MAX (G_GINT64_CONSTANT (3652500) * 86400 * DH_USEC_PER_SEC)

/* How far past the clock a record's time may lie and still count as it is
 * for the retention of a follow (µs). */
#define DH_TIME_MAX_AHEAD (G_GINT64_CONSTANT (300) * DH_USEC_PER_SEC)

#define DH_TIME_ERROR (dh_time_error_quark ())

typedef enum {
  DH_TIME_ERROR_INVALID,    /* not a duration at all */
  DH_TIME_ERROR_TOO_LONG,   /* longer than allowed */
} DhTimeError;

GQuark   dh_time_error_quark   (void);

gboolean dh_time_parse_iso8601 (const char *str,
                                gsize       len,
                                gint64     *out_us);
char    *dh_time_format        (gint64      us,
                                char        buf[DH_TIME_FORMAT_SIZE]);
gboolean dh_duration_parse     (const char *str,
                                gint64     *out_us);
gboolean dh_duration_parse_bounded (const char  *str,
                                    gboolean     allow_zero,
                                    gint64       max_us,
                                    gint64      *out_us,
                                    GError     **error);
gboolean dh_time_retention_cutoff (gint64  first,
                                   gint64  last,
                                   gint64  now,
                                   gint64  retention,
                                   gint64 *out_cutoff);
char    *dh_duration_format    (gint64      us);

G_END_DECLS
