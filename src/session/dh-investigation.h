/* dh-investigation.h: the logs under investigation, their alerts and triage
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "dh-rule-engine.h"
#include "dh-case.h"
#include "dh-loader.h"
#include "dh-snapshot.h"
#include "dh-store-stats.h"

G_BEGIN_DECLS

#define DH_TYPE_INVESTIGATION (dh_investigation_get_type ())

G_DECLARE_FINAL_TYPE (DhInvestigation, dh_investigation, DH, INVESTIGATION, GObject)

DhInvestigation *dh_investigation_new             (DhRuleBook          *book);
GPtrArray       *dh_investigation_get_inputs      (DhInvestigation     *self);
DhEventStore    *dh_investigation_get_store       (DhInvestigation     *self);
DhStoreStats    *dh_investigation_get_stats       (DhInvestigation     *self);
GArray          *dh_investigation_get_time_order  (DhInvestigation     *self);
DhAlertSet      *dh_investigation_get_alerts      (DhInvestigation     *self);
DhRuleBook      *dh_investigation_get_rule_book   (DhInvestigation     *self);
DhCase          *dh_investigation_get_case        (DhInvestigation     *self);
gboolean         dh_investigation_is_loading      (DhInvestigation     *self);
gboolean         dh_investigation_is_analyzing    (DhInvestigation     *self);
gboolean         dh_investigation_has_data        (DhInvestigation     *self);
DhLoader        *dh_investigation_get_loader      (DhInvestigation     *self);
DhSnapshot      *dh_investigation_get_snapshot    (DhInvestigation     *self);
void             dh_investigation_load_async      (DhInvestigation     *self,
                                                   const char * const  *paths,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
gboolean         dh_investigation_load_finish     (DhInvestigation     *self,
                                                   GAsyncResult        *result,
                                                   DhLoadReport       **report,
                                                   GError             **error);
void             dh_investigation_clear           (DhInvestigation     *self);
gboolean         dh_investigation_set_setting     (DhInvestigation     *self,
                                                   const char          *rule_id,
                                                   const char          *key,
                                                   const char          *value,
                                                   GError             **error);
void             dh_investigation_set_rule_book   (DhInvestigation     *self,
                                                   DhRuleBook          *book);
const DhTriage  *dh_investigation_lookup_triage   (DhInvestigation     *self,
                                                   const DhAlert       *alert);
void             dh_investigation_set_triage      (DhInvestigation     *self,
                                                   const DhAlert       *alert,
                                                   DhTriageState        state,
                                                   const char          *note);
void             dh_investigation_set_case        (DhInvestigation     *self,
                                                   DhCase              *kase);
DhCase          *dh_investigation_to_case         (DhInvestigation     *self,
                                                   DhRuleBook          *defaults);
DhRuleBook      *dh_investigation_copy_rule_book (DhInvestigation    *self,
                                                   guint              *serial);
void             dh_investigation_install         (DhInvestigation     *self,
                                                   DhSnapshot          *snapshot);
char            *dh_investigation_host_label      (DhInvestigation     *self,
                                                   guint32              host);

G_END_DECLS
