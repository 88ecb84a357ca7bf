/* dh-cloudwatch-dialog.h: Connect to CloudWatch
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "dh-session.h"

G_BEGIN_DECLS

#define DH_TYPE_CLOUDWATCH_DIALOG (dh_cloudwatch_dialog_get_type ())

G_DECLARE_FINAL_TYPE (DhCloudWatchDialog, dh_cloudwatch_dialog, DH, CLOUDWATCH_DIALOG, AdwWindow)

DhCloudWatchDialog *dh_cloudwatch_dialog_new            (GtkWindow          *parent,
                                                         DhSession          *session);
void                dh_cloudwatch_dialog_connect_with   (DhCloudWatchDialog *self,
                                                         const char         *profile,
                                                         const char         *region,
                                                         const char         *endpoint_url,
                                                         const char         *log_group,
                                                         gint64              start_ms,
                                                         gint64              end_ms,
                                                         gboolean            follow);
gboolean            dh_cloudwatch_dialog_is_busy        (DhCloudWatchDialog *self);
const char         *dh_cloudwatch_dialog_get_error_text (DhCloudWatchDialog *self);

G_END_DECLS
