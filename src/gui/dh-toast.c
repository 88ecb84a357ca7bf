/* dh-toast.c: toasts of plain text
 *
 * An AdwToast's title is Pango markup, and what a toast says often holds a
 * log's text, a file name or an error message: every toast is made here,
 * from plain text, so the escaping lives in one place.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "dh-escape.h"
#include "dh-toast.h"

/**
 * dh_toast_new_plain:
 * @text: plain text, from anyone
 *
 * Returns: (transfer floating): a toast showing @text as it is
 */
AdwToast *
dh_toast_new_plain (const char *text)
{
  g_autofree char *escaped = dh_escape_pango (text);

  return adw_toast_new (escaped);
}
