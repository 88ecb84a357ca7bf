/* dh-event-filter.h: choosing events by host, name, type, rcode and time
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "dh-event-store.h"

G_BEGIN_DECLS

#define DH_FILTER_ANY G_MAXUINT

typedef struct _DhEventFilter DhEventFilter;

DhEventFilter *dh_event_filter_new          (void);
DhEventFilter *dh_event_filter_copy         (const DhEventFilter *filter);
void           dh_event_filter_free         (DhEventFilter       *filter);
gboolean       dh_event_filter_equal        (const DhEventFilter *a,
                                             const DhEventFilter *b);
gboolean       dh_event_filter_is_empty     (const DhEventFilter *filter);
void           dh_event_filter_set_host     (DhEventFilter       *filter,
                                             const char          *host);
const char    *dh_event_filter_get_host     (const DhEventFilter *filter);
void           dh_event_filter_set_name     (DhEventFilter       *filter,
                                             const char          *substring);
const char    *dh_event_filter_get_name     (const DhEventFilter *filter);
void           dh_event_filter_set_qtype    (DhEventFilter       *filter,
                                             const char          *qtype);
const char    *dh_event_filter_get_qtype    (const DhEventFilter *filter);
void           dh_event_filter_set_rcode    (DhEventFilter       *filter,
                                             const char          *rcode);
const char    *dh_event_filter_get_rcode    (const DhEventFilter *filter);
void           dh_event_filter_set_range    (DhEventFilter       *filter,
                                             gint64               start,
                                             gint64               end);
void           dh_event_filter_get_range    (const DhEventFilter *filter,
                                             gint64              *start,
                                             gint64              *end);
GArray        *dh_event_filter_run          (const DhEventFilter *filter,
                                             DhEventStore        *store,
                                             const guint32       *order,
                                             guint                n_order,
                                             GCancellable        *cancellable);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DhEventFilter, dh_event_filter_free)

G_END_DECLS
