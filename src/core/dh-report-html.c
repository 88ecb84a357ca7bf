/* dh-report-html.c: placeholder until the html writer lands
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "dh-report-private.h"

gboolean
dh_report_write_html (DhReportContext  *ctx,
                  GError          **error)
{
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "Not written yet");
  return FALSE;
}
