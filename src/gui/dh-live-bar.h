/* dh-live-bar.h: the window's strip for a live CloudWatch Logs source
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "dh-live-source.h"

G_BEGIN_DECLS

#define DH_TYPE_LIVE_BAR (dh_live_bar_get_type ())

G_DECLARE_FINAL_TYPE (DhLiveBar, dh_live_bar, DH, LIVE_BAR, GtkWidget)

void          dh_live_bar_set_source     (DhLiveBar    *self,
                                          DhLiveSource *source);
DhLiveSource *dh_live_bar_get_source     (DhLiveBar    *self);
const char   *dh_live_bar_get_text       (DhLiveBar    *self);
void          dh_live_bar_disconnect     (DhLiveBar    *self);

G_END_DECLS
