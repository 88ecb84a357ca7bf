/* dh-recent.h: adding opened logs to the desktop's recently used files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

void     dh_recent_add_async  (const char          *xbel,
                               const char * const  *paths,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data);
gboolean dh_recent_add_finish (GAsyncResult        *result,
                               GError             **error);

G_END_DECLS
