/* dh-gunzip.h: a gzip decompressor (GConverter) for the reader
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define DH_TYPE_GUNZIP (dh_gunzip_get_type ())
G_DECLARE_FINAL_TYPE (DhGunzip, dh_gunzip, DH, GUNZIP, GObject)

DhGunzip *dh_gunzip_new (void);

G_END_DECLS
