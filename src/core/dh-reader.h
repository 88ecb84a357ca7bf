/* dh-reader.h: reads Route 53 Resolver query logs in every shape into a store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "dh-event-store.h"

G_BEGIN_DECLS

#define DH_READER_ERROR (dh_reader_error_quark ())

typedef enum {
  DH_READER_ERROR_NOT_FOUND,
  DH_READER_ERROR_UNREADABLE,
  DH_READER_ERROR_TRUNCATED,
  DH_READER_ERROR_NO_INPUT,
} DhReaderError;

typedef struct
{
  guint       source;   /* index in the store */
  guint64     line;     /* 1-based line where the value started */
  const char *reason;   /* static text, never contains log content */
} DhReject;

typedef void (*DhReaderProgressFunc) (DhReader *reader,
                                      gpointer  user_data);

GQuark          dh_reader_error_quark      (void);
DhReader       *dh_reader_new              (DhEventStore          *store);
void            dh_reader_free             (DhReader              *reader);
void            dh_reader_set_progress_func (DhReader             *reader,
                                             DhReaderProgressFunc  func,
                                             gpointer              user_data);
gboolean        dh_reader_add_path         (DhReader              *reader,
                                            const char            *path,
                                            GError               **error);
void            dh_reader_set_time_range   (DhReader              *reader,
                                            gint64                 start,
                                            gint64                 end);
gboolean        dh_reader_run              (DhReader              *reader,
                                            GCancellable          *cancellable,
                                            GError               **error);
void            dh_reader_add_message      (DhReader              *reader,
                                            const char            *json,
                                            gssize                 len,
                                            guint64                line);
DhEventStore   *dh_reader_get_store        (DhReader              *reader);
guint           dh_reader_get_n_events     (DhReader              *reader);
guint64         dh_reader_get_bytes_done   (DhReader              *reader);
guint64         dh_reader_get_bytes_total  (DhReader              *reader);
const DhReject *dh_reader_get_rejects      (DhReader              *reader,
                                            guint                 *n_rejects);
GPtrArray      *dh_reader_get_errors       (DhReader              *reader);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DhReader, dh_reader_free)

G_END_DECLS
