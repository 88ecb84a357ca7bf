/* dh-notice.h: one alert as it is queued and sent to a destination
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "dh-rule-engine.h"

G_BEGIN_DECLS

/* Everything a destination formats, kept as the outbox stores it: the alert
 * object of the JSON report, its id and the rule's first mitigation step. */
typedef struct _DhNotice DhNotice;

DhNotice    *dh_notice_new_from_alert (DhAlertSet    *set,
                                       const DhAlert *alert);
DhNotice    *dh_notice_new_from_line  (const char    *line,
                                       GError       **error);
DhNotice    *dh_notice_new_test       (void);
DhNotice    *dh_notice_new_action     (const char    *alert_id,
                                       const char    *action);
DhNotice    *dh_notice_ref            (DhNotice      *notice);
void         dh_notice_unref          (DhNotice      *notice);

char        *dh_notice_to_line        (DhNotice      *notice);
const char  *dh_notice_get_id         (DhNotice      *notice);
const char  *dh_notice_get_action     (DhNotice      *notice);
const char  *dh_notice_get_alert_id   (DhNotice      *notice);
JsonObject  *dh_notice_get_alert      (DhNotice      *notice);
DhSeverity   dh_notice_get_severity   (DhNotice      *notice);
const char  *dh_notice_get_string     (DhNotice      *notice,
                                       const char    *member);
const char  *dh_notice_get_mitre      (DhNotice      *notice,
                                       const char    *member);
const char  *dh_notice_get_mitigation (DhNotice      *notice);
gint64       dh_notice_get_count      (DhNotice      *notice);
char        *dh_notice_alert_id       (const char    *rule,
                                       const char    *host,
                                       const char    *first_seen);
char        *dh_notice_mitre_url      (const char    *id);
char        *dh_notice_id_for_alert   (DhAlertSet    *set,
                                       const DhAlert *alert);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DhNotice, dh_notice_unref)

G_END_DECLS
