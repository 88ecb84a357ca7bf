/* dh-http.h: the one way DNS Hunt makes an HTTP session
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

SoupSession *dh_http_session_new (guint max_conns_per_host,
                                  guint timeout_seconds);

G_END_DECLS
