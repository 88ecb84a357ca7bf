/* dh-loader.h: reads logs into a snapshot, once, in a worker
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "dh-snapshot.h"

G_BEGIN_DECLS

typedef enum
{
  DH_LOAD_PHASE_IDLE,
  DH_LOAD_PHASE_READING,
  DH_LOAD_PHASE_INDEXING,
  DH_LOAD_PHASE_ANALYSING,
  DH_LOAD_PHASE_DONE,
} DhLoadPhase;

#define DH_TYPE_LOAD_PHASE (dh_load_phase_get_type ())
GType dh_load_phase_get_type (void) G_GNUC_CONST;

typedef struct
{
  char       *source;   /* the input's name, as the reader calls it */
  guint64     line;
  const char *reason;   /* static text, never log content */
} DhRejectInfo;

typedef struct
{
  GArray    *rejects;      /* DhRejectInfo, the first ones */
  guint64    n_rejected;   /* all of them */
  GPtrArray *errors;       /* char *, inputs that could not be read */
  guint      n_events;
  gint64     elapsed_us;
} DhLoadReport;

void dh_load_report_free (DhLoadReport *report);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DhLoadReport, dh_load_report_free)

#define DH_TYPE_LOADER (dh_loader_get_type ())

G_DECLARE_FINAL_TYPE (DhLoader, dh_loader, DH, LOADER, GObject)

DhLoader    *dh_loader_new             (const char * const  *paths,
                                        DhRuleBook          *book,
                                        guint                book_serial);
DhLoadPhase  dh_loader_get_phase       (DhLoader            *self);
double       dh_loader_get_fraction    (DhLoader            *self);
const char  *dh_loader_get_message     (DhLoader            *self);
guint64      dh_loader_get_bytes_done  (DhLoader            *self);
guint64      dh_loader_get_bytes_total (DhLoader            *self);
guint64      dh_loader_get_n_events    (DhLoader            *self);
void         dh_loader_load_async      (DhLoader            *self,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
DhSnapshot  *dh_loader_load_finish     (DhLoader            *self,
                                        GAsyncResult        *result,
                                        DhLoadReport       **report,
                                        GError             **error);

G_END_DECLS
