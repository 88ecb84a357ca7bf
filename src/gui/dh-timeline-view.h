/* dh-timeline-view.h: one host's queries over time, zoomable, selectable
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "dh-rule-engine.h"

G_BEGIN_DECLS

#define DH_TYPE_TIMELINE_VIEW (dh_timeline_view_get_type ())

G_DECLARE_FINAL_TYPE (DhTimelineView, dh_timeline_view, DH, TIMELINE_VIEW, GtkWidget)

GtkWidget *dh_timeline_view_new           (void);
void       dh_timeline_view_set_host      (DhTimelineView *self,
                                           DhEventStore   *store,
                                           guint32         host,
                                           const guint32  *events,
                                           guint           n_events,
                                           DhAlertSet     *alerts);
void       dh_timeline_view_set_alerts    (DhTimelineView *self,
                                           DhAlertSet     *alerts);
void       dh_timeline_view_clear         (DhTimelineView *self);
void       dh_timeline_view_zoom          (DhTimelineView *self,
                                           double          factor,
                                           double          anchor);
void       dh_timeline_view_zoom_to_fit   (DhTimelineView *self);
void       dh_timeline_view_set_range     (DhTimelineView *self,
                                           gint64          start,
                                           gint64          end);
void       dh_timeline_view_get_range     (DhTimelineView *self,
                                           gint64         *start,
                                           gint64         *end);
gboolean   dh_timeline_view_get_selection (DhTimelineView *self,
                                           gint64         *start,
                                           gint64         *end);
void       dh_timeline_view_set_selection (DhTimelineView *self,
                                           gint64          start,
                                           gint64          end);
void       dh_timeline_view_clear_selection (DhTimelineView *self);
void       dh_timeline_view_render        (DhTimelineView *self,
                                           cairo_t        *cr,
                                           double          width,
                                           double          height);

G_END_DECLS
