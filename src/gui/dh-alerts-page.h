/* dh-alerts-page.h: the alerts, filterable and sortable, with their detail
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "dh-alert-item.h"
#include "dh-page.h"

G_BEGIN_DECLS

#define DH_TYPE_ALERTS_PAGE (dh_alerts_page_get_type ())

G_DECLARE_FINAL_TYPE (DhAlertsPage, dh_alerts_page, DH, ALERTS_PAGE, DhPage)

GListModel *dh_alerts_page_get_model         (DhAlertsPage    *self);
GListModel *dh_alerts_page_get_visible_model (DhAlertsPage    *self);
DhAlertItem *dh_alerts_page_get_selected     (DhAlertsPage    *self);
gboolean    dh_alerts_page_select_id         (DhAlertsPage    *self,
                                              const char      *id);
void        dh_alerts_page_set_filter        (DhAlertsPage    *self,
                                              const char      *text,
                                              guint            severity_choice,
                                              const char      *rule_id);

G_END_DECLS
