/* dh-rolling-store.h: a growing store of a live log group, cut to a retention
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "dh-cloudwatch-client.h"
#include "dh-reader.h"
#include "dh-snapshot.h"

G_BEGIN_DECLS

typedef struct _DhRollingStore DhRollingStore;

/* Called with the reader about to be dropped by a trim, for its rejects. */
typedef void (*DhRollingRetireFunc) (DhReader *reader,
                                     gpointer  user_data);

DhRollingStore *dh_rolling_store_new           (const char          *source_name,
                                                gint64               start,
                                                gint64               end,
                                                gint64               retention);
void            dh_rolling_store_free          (DhRollingStore      *self);
void            dh_rolling_store_add_page      (DhRollingStore      *self,
                                                DhLogEventPage      *page);
void            dh_rolling_store_add_line      (DhRollingStore      *self,
                                                const char          *source,
                                                guint64              line,
                                                const char          *text,
                                                gsize                length);
void            dh_rolling_store_set_label     (DhRollingStore      *self,
                                                const char          *label);
void            dh_rolling_store_set_inputs    (DhRollingStore      *self,
                                                const char * const  *inputs);
guint64         dh_rolling_store_get_n_received (DhRollingStore     *self);
DhEventStore   *dh_rolling_store_get_store     (DhRollingStore      *self);
DhReader       *dh_rolling_store_get_reader    (DhRollingStore      *self);
gboolean        dh_rolling_store_trim          (DhRollingStore      *self,
                                                gint64               now,
                                                DhRollingRetireFunc  retire,
                                                gpointer             user_data);
DhSnapshot     *dh_rolling_store_snapshot      (DhRollingStore      *self,
                                                gint64               now,
                                                DhRuleBook          *book,
                                                guint                book_serial,
                                                GCancellable        *cancellable,
                                                GError             **error);
void            dh_rolling_store_finish        (DhRollingStore      *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DhRollingStore, dh_rolling_store_free)

G_END_DECLS
