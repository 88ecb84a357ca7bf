/* dh-events-page.h: every event, filtered
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "dh-event-filter.h"
#include "dh-page.h"

G_BEGIN_DECLS

#define DH_TYPE_EVENTS_PAGE (dh_events_page_get_type ())

G_DECLARE_FINAL_TYPE (DhEventsPage, dh_events_page, DH, EVENTS_PAGE, DhPage)

void        dh_events_page_set_filter   (DhEventsPage *self,
                                         const char   *host,
                                         const char   *name);
GListModel *dh_events_page_get_model    (DhEventsPage *self);
guint       dh_events_page_get_n_shown  (DhEventsPage *self);
gboolean    dh_events_page_is_filtering (DhEventsPage *self);

G_END_DECLS
