/* dh-export-dialog.h: writing an incident report from the window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "dh-investigation.h"
#include "dh-report.h"

G_BEGIN_DECLS

/* Which alerts the report covers, in the order of the "Alerts" row. */
typedef enum {
  DH_EXPORT_SCOPE_SELECTED,
  DH_EXPORT_SCOPE_ALL,
  DH_EXPORT_SCOPE_HIGH,
  DH_EXPORT_SCOPE_MEDIUM,
  DH_N_EXPORT_SCOPES,
} DhExportScope;

#define DH_TYPE_EXPORT_DIALOG (dh_export_dialog_get_type ())

G_DECLARE_FINAL_TYPE (DhExportDialog, dh_export_dialog, DH, EXPORT_DIALOG, AdwWindow)

DhExportDialog *dh_export_dialog_new            (GtkWindow       *parent,
                                                AdwToastOverlay *toasts,
                                                 DhInvestigation *investigation,
                                                 int              selected);
void            dh_export_dialog_set_scope      (DhExportDialog  *self,
                                                 DhExportScope    scope);
void            dh_export_dialog_set_format     (DhExportDialog  *self,
                                                 DhReportFormat   format);
void            dh_export_dialog_set_paper      (DhExportDialog  *self,
                                                 DhReportPaper    paper);
void            dh_export_dialog_set_title      (DhExportDialog  *self,
                                                 const char      *title);
guint           dh_export_dialog_get_n_selected (DhExportDialog  *self);
char           *dh_export_dialog_suggest_name   (DhExportDialog  *self,
                                                 GDateTime       *now);
void            dh_export_dialog_export_to_file (DhExportDialog  *self,
                                                 GFile           *file);
gboolean        dh_export_dialog_is_busy        (DhExportDialog  *self);
const GError   *dh_export_dialog_get_error      (DhExportDialog  *self);

G_END_DECLS
