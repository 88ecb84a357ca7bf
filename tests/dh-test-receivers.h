/* dh-test-receivers.h: the notification stand-ins (notify_server.py) for
 * the C tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct _DhTestReceivers DhTestReceivers;

DhTestReceivers *dh_test_receivers_start    (const char      *routing_key);
void             dh_test_receivers_stop     (DhTestReceivers *rx);
const char      *dh_test_receivers_get_base (DhTestReceivers *rx);
char            *dh_test_receivers_accepted (DhTestReceivers *rx,
                                             const char      *kind);

G_END_DECLS
