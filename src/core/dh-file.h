/* dh-file.h: reading a whole file that someone named, within bounds
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

char *dh_file_read_regular (const char    *path,
                            gsize          max_size,
                            GCancellable  *cancellable,
                            gsize         *length,
                            GError       **error);

G_END_DECLS
