/* dh-a11y.c: accessible names that read well
 *
 * GTK 4.8 names a button with a mnemonic from both its raw label and the
 * label inside it, so a screen reader says "Open _Demo Logs Open Demo Logs".
 * Dropping the raw label property leaves the name to the inner label, which
 * is the text without the underscore. A check button has no such inner
 * relation, so it gets the text without underscores as its name. A menu
 * button with neither label nor name (the arrow of a split button) is named
 * after its tooltip. Buttons without a text label keep the names given to
 * them explicitly.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "dh-a11y.h"

static char *
strip_mnemonic (const char *label)
{
  GString *s = g_string_new (NULL);

  for (const char *p = label; *p; p++)
    {
      if (*p == '_' && p[1] == '_')
        g_string_append_c (s, *++p);
      else if (*p != '_')
        g_string_append_c (s, *p);
    }
  return g_string_free (s, FALSE);
}

static void
tidy_one (GtkWidget *widget)
{
  const char *label;

  if (GTK_IS_BUTTON (widget))
    {
      label = gtk_button_get_label (GTK_BUTTON (widget));
      if (label != NULL && gtk_button_get_use_underline (GTK_BUTTON (widget)) &&
          strchr (label, '_') != NULL)
        gtk_accessible_reset_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL);
    }
  else if (GTK_IS_CHECK_BUTTON (widget))
    {
      label = gtk_check_button_get_label (GTK_CHECK_BUTTON (widget));
      if (label != NULL && gtk_check_button_get_use_underline (GTK_CHECK_BUTTON (widget)))
        {
          g_autofree char *plain = strip_mnemonic (label);
          gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                          plain, -1);
        }
    }
  else if (GTK_IS_MENU_BUTTON (widget) && gtk_menu_button_get_label (GTK_MENU_BUTTON (widget)) == NULL &&
           gtk_widget_get_tooltip_text (widget) != NULL &&
           g_object_get_data (G_OBJECT (widget), "dh-named") == NULL &&
           gtk_widget_get_parent (widget) != NULL &&
           !GTK_IS_WINDOW (gtk_widget_get_parent (widget)) &&
           g_str_has_prefix (G_OBJECT_TYPE_NAME (gtk_widget_get_parent (widget)), "Adw"))
    {
      /* a libadwaita widget's own menu button, such as a split button's arrow */
      gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      gtk_widget_get_tooltip_text (widget), -1);
    }
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
