/* dh-window.h: the investigation window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "dh-application.h"
#include "dh-session.h"

typedef struct _DhLiveBar DhLiveBar;

G_BEGIN_DECLS

#define DH_TYPE_WINDOW (dh_window_get_type ())

G_DECLARE_FINAL_TYPE (DhWindow, dh_window, DH, WINDOW, AdwApplicationWindow)

DhWindow        *dh_window_new                (DhApplication      *app);
void             dh_window_open_paths         (DhWindow           *self,
                                               const char * const *paths,
                                               gboolean            replace);
DhSession       *dh_window_get_session        (DhWindow           *self);
DhInvestigation *dh_window_get_investigation  (DhWindow           *self);
DhRuleBook      *dh_window_get_default_rules  (DhWindow           *self);
gboolean         dh_window_set_setting        (DhWindow           *self,
                                               const char         *rule_id,
                                               const char         *key,
                                               const char         *value,
                                               GError            **error);
void             dh_window_show_host_timeline (DhWindow           *self,
                                               const char         *host);
void             dh_window_show_events_for    (DhWindow           *self,
                                               const char         *host,
                                               const char         *name);
gboolean         dh_window_save_case          (DhWindow           *self,
                                               const char         *path,
                                               GError            **error);
gboolean         dh_window_open_case          (DhWindow           *self,
                                               const char         *path,
                                               GError            **error);
DhLiveBar       *dh_window_get_live_bar       (DhWindow           *self);
void             dh_window_show_alert         (DhWindow           *self,
                                               const char         *id);
void             dh_window_add_toast          (DhWindow           *self,
                                               AdwToast           *toast);

G_END_DECLS
