/* dh-window-private.h: what the window's own files share
 *
 * dh-window.c presents (the stack of states, loading, recent files, drag
 * and drop); dh-window-actions.c holds the win.* actions. Nothing outside
 * those two files includes this header.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "dh-alerts-page.h"
#include "dh-events-page.h"
#include "dh-hosts-page.h"
#include "dh-live-bar.h"
#include "dh-overview-page.h"
#include "dh-session.h"
#include "dh-timeline-page.h"
#include "dh-window.h"

G_BEGIN_DECLS

struct _DhWindow
{
  AdwApplicationWindow  parent_instance;

  AdwToastOverlay      *toast_overlay;
  AdwSplitButton       *open_button;
  AdwViewSwitcherTitle *switcher_title;
  AdwViewSwitcherBar   *switcher_bar;
  GtkStack             *main_stack;
  AdwViewStack         *view_stack;
  AdwStatusPage        *loading_page;
  GtkProgressBar       *load_progress;
  GtkLabel             *load_label;
  GtkRevealer          *load_bar;
  GtkLabel             *load_bar_label;
  GtkProgressBar       *load_bar_progress;
  GtkWidget            *recent_group;
  GtkListBox           *recent_list;
  GtkSpinner           *analyzing_spinner;
  DhLiveBar            *live_bar;
  DhOverviewPage       *overview_page;
  DhAlertsPage         *alerts_page;
  DhHostsPage          *hosts_page;
  DhTimelinePage       *timeline_page;
  DhEventsPage         *events_page;

  GSettings            *settings;        /* window geometry; NULL: not kept */
  DhSession            *session;
  DhInvestigation      *investigation;   /* the session's */
  GCancellable         *load_cancellable;
  DhLoadReport         *last_report;
  GSignalGroup         *loader_signals;
  GtkNativeDialog      *chooser;
};

/* dh-window.c */
void _dh_window_toast_text        (DhWindow             *self,
                                   const char           *message);
void _dh_window_show_main_page    (DhWindow             *self);
void _dh_window_show_load_details (DhWindow             *self);
void _dh_window_run_chooser       (DhWindow             *self,
                                   const char           *purpose,
                                   const char           *title,
                                   GtkFileChooserAction  action,
                                   gboolean              multiple);

/* dh-window-actions.c */
void _dh_window_actions_init      (DhWindow             *self);
void _dh_window_actions_update    (DhWindow             *self);

G_END_DECLS
