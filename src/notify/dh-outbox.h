/* dh-outbox.h: what is to be sent to one destination, on disk
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "dh-notice.h"

G_BEGIN_DECLS

typedef struct _DhOutbox DhOutbox;

typedef enum {
  DH_OUTBOX_SENT,
  DH_OUTBOX_FAILED,    /* refused for good by the receiver: not tried again */
} DhOutboxResult;

char      *dh_outbox_default_dir  (void);
DhOutbox  *dh_outbox_open         (const char      *dir,
                                   GError         **error);
void       dh_outbox_free         (DhOutbox        *outbox);
guint      dh_outbox_add          (DhOutbox        *outbox,
                                   DhNotice       **notices,
                                   guint            n,
                                   GError         **error);
guint      dh_outbox_get_n_pending (DhOutbox       *outbox);
DhNotice  *dh_outbox_get_pending  (DhOutbox        *outbox,
                                   guint            index);
gboolean   dh_outbox_mark         (DhOutbox        *outbox,
                                   guint            n,
                                   DhOutboxResult   result,
                                   GError         **error);
guint      dh_outbox_get_n_done   (DhOutbox        *outbox);
gboolean   dh_outbox_knows        (DhOutbox        *outbox,
                                   const char      *id);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DhOutbox, dh_outbox_free)

G_END_DECLS
