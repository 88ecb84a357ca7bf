/* dh-columns.c: adding a column to a GtkColumnView, the same way for every table
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "dh-columns.h"

/**
 * dh_columns_append:
 * @setup: (nullable): the factory's handlers, each given @data
 * @unbind: (nullable):
 * @compare: (nullable): sorts the column (given @data) when the header is
 *   clicked; %NULL for a column that does not sort
 * @width: a fixed width, or -1
 *
 * Appends a resizable column whose cells a signal factory makes.
 */
void
dh_columns_append (GtkColumnView     *view,
                   const char        *title,
                   GCallback          setup,
                   GCallback          bind,
                   GCallback          unbind,
                   GCompareDataFunc   compare,
                   gpointer           data,
                   gboolean           expand,
                   int                width)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkColumnViewColumn *column;

  g_signal_connect (factory, "setup", setup, data);
  g_signal_connect (factory, "bind", bind, data);
  if (unbind)
    g_signal_connect (factory, "unbind", unbind, data);
  column = gtk_column_view_column_new (title, factory);
  if (compare)
    {
      GtkSorter *sorter = GTK_SORTER (gtk_custom_sorter_new (compare, data, NULL));
      gtk_column_view_column_set_sorter (column, sorter);
      g_object_unref (sorter);
    }
  gtk_column_view_column_set_resizable (column, TRUE);
  gtk_column_view_column_set_expand (column, expand);
  if (width > 0)
    gtk_column_view_column_set_fixed_width (column, width);
  gtk_column_view_append_column (view, column);
  g_object_unref (column);
}
