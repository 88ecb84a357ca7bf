/* dh-alert-item.h: one alert, with its triage, as a list item
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "dh-investigation.h"

G_BEGIN_DECLS

#define DH_TYPE_ALERT_ITEM (dh_alert_item_get_type ())

G_DECLARE_FINAL_TYPE (DhAlertItem, dh_alert_item, DH, ALERT_ITEM, GObject)

DhAlertItem   *dh_alert_item_new          (DhInvestigation *investigation,
                                           DhAlertSet      *set,
                                           guint            index);
const DhAlert *dh_alert_item_get_alert    (DhAlertItem     *self);
gboolean       dh_alert_item_repoint      (DhAlertItem     *self,
                                           DhAlertSet      *set,
                                           guint            index);
DhAlertSet    *dh_alert_item_get_set      (DhAlertItem     *self);
guint          dh_alert_item_get_position (DhAlertItem     *self);
const DhRule  *dh_alert_item_get_rule     (DhAlertItem     *self);
DhEventStore  *dh_alert_item_get_store    (DhAlertItem     *self);
const char    *dh_alert_item_get_host     (DhAlertItem     *self);
const char    *dh_alert_item_get_srcid    (DhAlertItem     *self);
const char    *dh_alert_item_get_vpc      (DhAlertItem     *self);
DhTriageState  dh_alert_item_get_state    (DhAlertItem     *self);
void           dh_alert_item_set_state    (DhAlertItem     *self,
                                           DhTriageState    state);
const char    *dh_alert_item_get_note     (DhAlertItem     *self);
void           dh_alert_item_set_note     (DhAlertItem     *self,
                                           const char      *note);
gboolean       dh_alert_item_matches_text (DhAlertItem     *self,
                                           const char      *text);
const char    *dh_triage_state_label      (DhTriageState    state);

G_END_DECLS
