/* dh-a11y.c: accessible names that read well
 *
 * GTK 4.8 names a button with a mnemonic from both its raw label and the
 * label inside it, so a screen reader says "Open _Demo Logs Open Demo Logs".
 * Dropping the raw label property leaves the name to the inner label, which
 * is the text without the underscore. Buttons without a text label keep the
 * names given to them explicitly.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "dh-a11y.h"

static void
tidy_one (GtkWidget *widget)
{
  const char *label = NULL;
  gboolean underline = FALSE;

  if (GTK_IS_BUTTON (widget))
    {
      label = gtk_button_get_label (GTK_BUTTON (widget));
      underline = gtk_button_get_use_underline (GTK_BUTTON (widget));
    }
  else if (GTK_IS_CHECK_BUTTON (widget))
    {
      label = gtk_check_button_get_label (GTK_CHECK_BUTTON (widget));
      underline = gtk_check_button_get_use_underline (GTK_CHECK_BUTTON (widget));
    }
  if (label != NULL && underline && strchr (label, '_') != NULL)
    gtk_accessible_reset_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL);
}

/**
 * dh_a11y_tidy:
 * @root: a widget whose descendants (and itself) to tidy
 *
 * Call once a widget tree is built.
 */
void
dh_a11y_tidy (GtkWidget *root)
{
  tidy_one (root);
  for (GtkWidget *c = gtk_widget_get_first_child (root); c; c = gtk_widget_get_next_sibling (c))
    dh_a11y_tidy (c);
}
