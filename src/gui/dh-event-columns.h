/* dh-event-columns.h: the columns of an event table
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "dh-pivot.h"

G_BEGIN_DECLS

typedef enum {
  DH_EVENT_COLUMN_TIME      = 1 << 0,
  DH_EVENT_COLUMN_HOST      = 1 << 1,
  DH_EVENT_COLUMN_SRCID     = 1 << 2,
  DH_EVENT_COLUMN_NAME      = 1 << 3,
  DH_EVENT_COLUMN_QTYPE     = 1 << 4,
  DH_EVENT_COLUMN_RCODE     = 1 << 5,
  DH_EVENT_COLUMN_TRANSPORT = 1 << 6,
  DH_EVENT_COLUMN_ANSWERS   = 1 << 7,
  DH_EVENT_COLUMN_ALL       = 0xff,
} DhEventColumns;

void dh_event_columns_add          (GtkColumnView  *view,
                                    DhEventColumns  columns);
void dh_event_columns_pivot_target (gpointer        item,
                                    DhPivotKinds    kinds,
                                    DhPivotTarget  *target);

G_END_DECLS
