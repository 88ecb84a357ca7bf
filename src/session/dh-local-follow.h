/* dh-local-follow.h: following log files and folders as they grow
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define DH_TYPE_LOCAL_FOLLOW (dh_local_follow_get_type ())
G_DECLARE_FINAL_TYPE (DhLocalFollow, dh_local_follow, DH, LOCAL_FOLLOW, GObject)

/* One complete line of @path (its @line-th), without its newline. */
typedef void (*DhLocalLineFunc) (const char *path,
                                 guint64     line,
                                 const char *text,
                                 gsize       length,
                                 gpointer    user_data);

DhLocalFollow *dh_local_follow_new          (const char * const *paths,
                                             DhLocalLineFunc     func,
                                             gpointer            user_data);
void           dh_local_follow_set_poll_interval (DhLocalFollow *self,
                                             guint               msec);
void           dh_local_follow_start        (DhLocalFollow      *self);
void           dh_local_follow_watch        (DhLocalFollow      *self);
guint64        dh_local_follow_pass         (DhLocalFollow      *self);
guint64        dh_local_follow_get_n_lines  (DhLocalFollow      *self);
guint          dh_local_follow_get_n_files  (DhLocalFollow      *self);

G_END_DECLS
