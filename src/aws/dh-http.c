/* dh-http.c: the one way DNS Hunt makes an HTTP session
 *
 * Every request (CloudWatch Logs, notifications) goes through a session made
 * here: TLS verified against the system's CAs (libsoup's default database,
 * never turned off), the proxy from the system (libsoup's default resolver:
 * GNOME's settings or the `https_proxy` / `no_proxy` variables), and a user
 * agent that names the program.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "dh-http.h"

/**
 * dh_http_session_new:
 * @max_conns_per_host: connections to one host at once
 * @timeout_seconds: how long a silent connection is waited for
 *
 * Returns: (transfer full): a new session
 */
SoupSession *
dh_http_session_new (guint max_conns_per_host,
                     guint timeout_seconds)
{
  return soup_session_new_with_options ("max-conns", MAX (32u, 2 * max_conns_per_host),
                                        "max-conns-per-host", max_conns_per_host,
                                        "timeout", timeout_seconds,
                                        "idle-timeout", 60,
                                        "user-agent", "dnshunt/" PACKAGE_VERSION " ",
                                        NULL);
}
