/* dh-toast.h: toasts of plain text
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

AdwToast *dh_toast_new_plain (const char *text);

G_END_DECLS
