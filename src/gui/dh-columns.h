/* dh-columns.h: adding a column to a GtkColumnView, the same way for every table
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void dh_columns_append (GtkColumnView     *view,
                        const char        *title,
                        GCallback          setup,
                        GCallback          bind,
                        GCallback          unbind,
                        GCompareDataFunc   compare,
                        gpointer           data,
                        gboolean           expand,
                        int                width);

G_END_DECLS
