/* dh-session.h: an analyst's session: the investigation, settings kept
 * between runs, recent inputs and cases, case files, allowlisting with undo
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "dh-investigation.h"
#include "dh-live-source.h"
#include "dh-notifications.h"

G_BEGIN_DECLS

/* How many recent inputs, and recent cases, are kept. */
#define DH_SESSION_MAX_RECENT 8

#define DH_TYPE_SESSION (dh_session_get_type ())

G_DECLARE_FINAL_TYPE (DhSession, dh_session, DH, SESSION, GObject)

DhSession       *dh_session_new               (GSettings           *settings);
DhInvestigation *dh_session_get_investigation (DhSession           *self);
DhRuleBook      *dh_session_get_defaults      (DhSession           *self);
GSettings       *dh_session_get_settings      (DhSession           *self);
gboolean         dh_session_set_setting       (DhSession           *self,
                                               const char          *rule_id,
                                               const char          *key,
                                               const char          *value,
                                               GError             **error);
char            *dh_session_allow             (DhSession           *self,
                                               const char          *rule_id,
                                               const char          *key,
                                               const char          *value,
                                               GError             **error);
gboolean         dh_session_can_undo_allow    (DhSession           *self);
gboolean         dh_session_undo_allow        (DhSession           *self);
char           **dh_session_get_recent        (DhSession           *self,
                                               gboolean             cases);
void             dh_session_remember_inputs   (DhSession           *self,
                                               const char * const  *paths);
void             dh_session_remember_case     (DhSession           *self,
                                               const char          *path);
gboolean         dh_session_save_case         (DhSession           *self,
                                               const char          *path,
                                               GError             **error);
char           **dh_session_open_case         (DhSession           *self,
                                               const char          *path,
                                               GPtrArray          **notices,
                                               GError             **error);

DhLiveSource    *dh_session_get_live_source   (DhSession           *self);
DhLiveSource    *dh_session_start_live        (DhSession           *self,
                                               DhCloudWatchFetch   *fetch,
                                               gint64               start,
                                               gint64               end,
                                               gboolean             follow);

DhNotifications *dh_session_get_notifications (DhSession           *self);
DhLiveSource    *dh_session_follow_local      (DhSession           *self,
                                               const char * const  *paths);
char            *dh_session_describe_case_live (DhSession          *self);
DhLiveSource    *dh_session_follow_case_live  (DhSession           *self,
                                               GError             **error);

G_END_DECLS
