/* dh-preferences-window.h: every rule's settings
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "dh-session.h"

G_BEGIN_DECLS

#define DH_TYPE_PREFERENCES_WINDOW (dh_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (DhPreferencesWindow, dh_preferences_window, DH, PREFERENCES_WINDOW,
                      AdwPreferencesWindow)

DhPreferencesWindow *dh_preferences_window_new (GtkWindow *parent,
                                                DhSession *session);

G_END_DECLS
