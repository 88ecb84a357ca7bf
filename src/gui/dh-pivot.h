/* dh-pivot.h: context menus that pivot from a host or a name
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "dh-rule-book.h"

G_BEGIN_DECLS

typedef enum {
  DH_PIVOT_HOST = 1 << 0,
  DH_PIVOT_NAME = 1 << 1,
  DH_PIVOT_BOTH = DH_PIVOT_HOST | DH_PIVOT_NAME,
} DhPivotKinds;

typedef struct
{
  const char *host;      /* or NULL */
  const char *name;      /* or NULL */
  const char *rule_id;   /* the alert's rule, to offer allowlisting for it, or NULL */
} DhPivotTarget;

/* Fills @target for @item (a row's item) and @kinds; strings must live as
 * long as the item. */
typedef void (*DhPivotTargetFunc) (gpointer       item,
                                   DhPivotKinds   kinds,
                                   DhPivotTarget *target);

GMenuModel *dh_pivot_menu_new       (DhRuleBook          *book,
                                     const DhPivotTarget *target);
void        dh_pivot_popup          (GtkWidget           *widget,
                                     double               x,
                                     double               y,
                                     GMenuModel          *menu);
void        dh_pivot_mark_cell      (GtkWidget           *cell,
                                     GtkListItem         *list_item,
                                     DhPivotKinds         kinds);
void        dh_pivot_attach         (GtkWidget           *list,
                                     GtkSingleSelection  *selection,
                                     DhPivotTargetFunc    func);
void        dh_pivot_attach_widget  (GtkWidget           *widget,
                                     const char          *host,
                                     const char          *name,
                                     const char          *rule_id);

G_END_DECLS
