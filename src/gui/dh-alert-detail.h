/* dh-alert-detail.h: everything about one alert
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "dh-alert-item.h"

G_BEGIN_DECLS

#define DH_TYPE_ALERT_DETAIL (dh_alert_detail_get_type ())

G_DECLARE_FINAL_TYPE (DhAlertDetail, dh_alert_detail, DH, ALERT_DETAIL, GtkWidget)

GtkWidget   *dh_alert_detail_new      (void);
void         dh_alert_detail_set_item (DhAlertDetail *self,
                                       DhAlertItem   *item);
DhAlertItem *dh_alert_detail_get_item (DhAlertDetail *self);
void         dh_alert_detail_refresh    (DhAlertDetail *self);

G_END_DECLS
