/* dh-timeline-page.h: one host's timeline and the events of a chosen range
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "dh-page.h"

G_BEGIN_DECLS

#define DH_TYPE_TIMELINE_PAGE (dh_timeline_page_get_type ())

G_DECLARE_FINAL_TYPE (DhTimelinePage, dh_timeline_page, DH, TIMELINE_PAGE, DhPage)

gboolean    dh_timeline_page_show_host        (DhTimelinePage *self,
                                               const char     *host);
const char *dh_timeline_page_get_host         (DhTimelinePage *self);
GListModel *dh_timeline_page_get_events_model (DhTimelinePage *self);
GtkWidget  *dh_timeline_page_get_view         (DhTimelinePage *self);

G_END_DECLS
