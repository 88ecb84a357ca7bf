/* dh-time.h: timestamps as 64-bit microseconds since the Unix epoch (UTC)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define DH_TIME_FORMAT_SIZE 32
#define DH_USEC_PER_SEC G_GINT64_CONSTANT (1000000)

gboolean dh_time_parse_iso8601 (const char *str,
                                gsize       len,
                                gint64     *out_us);
char    *dh_time_format        (gint64      us,
                                char        buf[DH_TIME_FORMAT_SIZE]);
gboolean dh_duration_parse     (const char *str,
                                gint64     *out_us);
char    *dh_duration_format    (gint64      us);

G_END_DECLS
