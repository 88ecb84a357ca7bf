/* dh-a11y.h: accessible names that read well
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void dh_a11y_tidy (GtkWidget *root);

G_END_DECLS
