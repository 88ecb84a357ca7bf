/* dh-report.h: writing the alerts out (text, JSON)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "dh-analysis.h"
#include "dh-escape.h"

G_BEGIN_DECLS

char  *dh_report_text         (DhAlertSet *set,
                               gsize      *length);
char  *dh_report_json         (DhAlertSet *set,
                               gsize      *length);
char  *dh_report_alert_json_line (DhAlertSet    *set,
                                  const DhAlert *alert);
guint  dh_report_get_max_evidence (DhAlertSet *set);

G_END_DECLS
