/* dh-scan.h: `dnshunt scan`, the headless command
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define DH_EXIT_OK     0
#define DH_EXIT_USAGE  1
#define DH_EXIT_INPUT  2
#define DH_EXIT_ALERTS 3

int dh_scan_main (int    argc,
                  char **argv);

G_END_DECLS
