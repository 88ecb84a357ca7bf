/* dh-investigation.h: the logs under investigation, their alerts and triage
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "dh-analysis.h"
#include "dh-case.h"
#include "dh-store-stats.h"

G_BEGIN_DECLS

typedef struct
{
  char       *source;   /* the input's name, as the reader calls it */
  guint64     line;
  const char *reason;   /* static text, never log content */
} DhRejectInfo;

typedef struct
{
  GArray    *rejects;      /* DhRejectInfo, the first ones */
  guint64    n_rejected;   /* all of them */
  GPtrArray *errors;       /* char *, inputs that could not be read */
  guint      n_events;
  gint64     elapsed_us;
} DhLoadReport;

void dh_load_report_free (DhLoadReport *report);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DhLoadReport, dh_load_report_free)

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
void             dh_investigation_reanalyze       (DhInvestigation     *self);
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
                                                   DhEventStore        *store,
                                                   DhStoreStats        *stats,
                                                   GArray              *time_order,
                                                   DhAlertSet          *alerts,
                                                   guint                book_serial);
char            *dh_investigation_host_label      (DhInvestigation     *self,
                                                   guint32              host);

G_END_DECLS
