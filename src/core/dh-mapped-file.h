/* dh-mapped-file.h: a read-only file mapping that survives the file being
 * truncated while it is read
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _DhMappedFile DhMappedFile;

DhMappedFile *dh_mapped_file_new            (const char    *path,
                                             GError       **error);
DhMappedFile *dh_mapped_file_ref            (DhMappedFile  *self);
void          dh_mapped_file_unref          (DhMappedFile  *self);
const char   *dh_mapped_file_get_contents   (DhMappedFile  *self);
gsize         dh_mapped_file_get_length     (DhMappedFile  *self);
GBytes       *dh_mapped_file_get_bytes      (DhMappedFile  *self);
gsize         dh_mapped_file_check_length   (DhMappedFile  *self);
gboolean      dh_mapped_file_was_cut        (DhMappedFile  *self,
                                             guint64       *now_length);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DhMappedFile, dh_mapped_file_unref)

G_END_DECLS
