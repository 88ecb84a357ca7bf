/* dh-event-columns.c: the columns of an event table
 *
 * Cells are GtkInscriptions from signal factories: cheap to create and to
 * bind, which keeps a million-row table smooth. Every text comes from a log
 * and is set as plain text.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "dh-columns.h"
#include "dh-event-columns.h"
#include "dh-event-item.h"

static void
setup_cell (GtkSignalListItemFactory *factory,
            GtkListItem              *list_item,
            gpointer                  user_data)
{
  DhEventColumns column = GPOINTER_TO_UINT (user_data);
  GtkWidget *cell = gtk_inscription_new (NULL);

  gtk_inscription_set_text_overflow (GTK_INSCRIPTION (cell),
                                     column == DH_EVENT_COLUMN_NAME
                                     ? GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_MIDDLE
                                     : GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END);
  gtk_inscription_set_min_chars (GTK_INSCRIPTION (cell), 4);
  g_object_set_data (G_OBJECT (cell), "dh-column", GUINT_TO_POINTER (column));
  if (column == DH_EVENT_COLUMN_TIME || column == DH_EVENT_COLUMN_HOST)
    gtk_widget_add_css_class (cell, "numeric");
  if (column == DH_EVENT_COLUMN_NAME || column == DH_EVENT_COLUMN_ANSWERS)
    g_object_set_data (G_OBJECT (cell), "dh-tooltip", GINT_TO_POINTER (TRUE));
  if (column == DH_EVENT_COLUMN_HOST || column == DH_EVENT_COLUMN_SRCID)
    dh_pivot_mark_cell (cell, list_item, DH_PIVOT_HOST);
  else if (column == DH_EVENT_COLUMN_NAME)
    dh_pivot_mark_cell (cell, list_item, DH_PIVOT_NAME);
  else
    dh_pivot_mark_cell (cell, list_item, DH_PIVOT_BOTH);
  gtk_list_item_set_child (list_item, cell);
}

static void
fill_cell (GtkInscription *cell,
           DhEventItem    *item,
           DhEventColumns  column)
{
  g_autofree char *owned = NULL;
  const char *text = NULL;

  switch (column)
    {
    case DH_EVENT_COLUMN_TIME:
      text = owned = dh_event_item_format_time (item);
      break;
    case DH_EVENT_COLUMN_HOST:
      text = dh_event_item_get_host (item);
      break;
    case DH_EVENT_COLUMN_SRCID:
      text = dh_event_item_get_srcid (item);
      break;
    case DH_EVENT_COLUMN_NAME:
      text = dh_event_item_get_name (item);
      break;
    case DH_EVENT_COLUMN_QTYPE:
      text = dh_event_item_get_qtype (item);
      break;
    case DH_EVENT_COLUMN_RCODE:
      text = dh_event_item_get_rcode (item);
      break;
    case DH_EVENT_COLUMN_TRANSPORT:
      text = dh_event_item_get_transport (item);
      break;
    case DH_EVENT_COLUMN_ANSWERS:
      text = owned = dh_event_item_format_answers (item);
      break;
    default:
      break;
    }
  gtk_inscription_set_text (cell, text);
}

static void
on_index_changed (DhEventItem    *item,
                  GParamSpec     *pspec,
                  GtkInscription *cell)
{
  fill_cell (cell, item,
             GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (cell), "dh-column")));
}

static void
bind_cell (GtkSignalListItemFactory *factory,
           GtkListItem              *list_item,
           gpointer                  user_data)
{
  DhEventItem *item = gtk_list_item_get_item (list_item);
  GtkInscription *cell = GTK_INSCRIPTION (gtk_list_item_get_child (list_item));

  fill_cell (cell, item, GPOINTER_TO_UINT (user_data));
  /* the model may point this item at another event (see dh-event-model.c) */
  g_signal_connect_object (item, "notify::index", G_CALLBACK (on_index_changed), cell, 0);
}

static void
unbind_cell (GtkSignalListItemFactory *factory,
             GtkListItem              *list_item,
             gpointer                  user_data)
{
  GtkInscription *cell = GTK_INSCRIPTION (gtk_list_item_get_child (list_item));
  DhEventItem *item = gtk_list_item_get_item (list_item);

  if (item)
    g_signal_handlers_disconnect_by_func (item, on_index_changed, cell);
  gtk_inscription_set_text (cell, NULL);
}

static void
add_column (GtkColumnView  *view,
            DhEventColumns  column,
            const char     *title,
            gboolean        expand,
            int             width)
{
  dh_columns_append (view, title, G_CALLBACK (setup_cell), G_CALLBACK (bind_cell),
                     G_CALLBACK (unbind_cell), NULL, GUINT_TO_POINTER (column), expand, width);
}

/* One tooltip handler for the whole table: a name longer than its column is
 * readable in full. Setting a tooltip on each cell instead costs an X round
 * trip per cell in GTK 4.8 (it asks where the pointer is), which made
 * replacing a table's rows take most of a second. */
static gboolean
on_query_tooltip (GtkWidget  *view,
                  int         x,
                  int         y,
                  gboolean    keyboard,
                  GtkTooltip *tooltip)
{
  GtkWidget *w;
  const char *text;

  if (keyboard)
    return FALSE;
  for (w = gtk_widget_pick (view, x, y, GTK_PICK_DEFAULT); w && w != view;
       w = gtk_widget_get_parent (w))
    if (GTK_IS_INSCRIPTION (w))
      break;
  if (w == NULL || w == view || !g_object_get_data (G_OBJECT (w), "dh-tooltip"))
    return FALSE;
  text = gtk_inscription_get_text (GTK_INSCRIPTION (w));
  if (text == NULL || *text == 0)
    return FALSE;
  gtk_tooltip_set_text (tooltip, text);   /* plain text: from the log */
  return TRUE;
}

/**
 * dh_event_columns_add:
 *
 * Appends the chosen columns to @view, whose model holds DhEventItems.
 */
void
dh_event_columns_add (GtkColumnView  *view,
                      DhEventColumns  columns)
{
  gtk_widget_set_has_tooltip (GTK_WIDGET (view), TRUE);
  g_signal_connect (view, "query-tooltip", G_CALLBACK (on_query_tooltip), NULL);
  if (columns & DH_EVENT_COLUMN_TIME)
    add_column (view, DH_EVENT_COLUMN_TIME, _("Time"), FALSE, 200);
  if (columns & DH_EVENT_COLUMN_HOST)
    add_column (view, DH_EVENT_COLUMN_HOST, _("Host"), FALSE, 120);
  if (columns & DH_EVENT_COLUMN_SRCID)
    add_column (view, DH_EVENT_COLUMN_SRCID, _("Instance / Endpoint"), FALSE, 170);
  if (columns & DH_EVENT_COLUMN_NAME)
    add_column (view, DH_EVENT_COLUMN_NAME, _("Name"), TRUE, 280);
  if (columns & DH_EVENT_COLUMN_QTYPE)
    add_column (view, DH_EVENT_COLUMN_QTYPE, _("Type"), FALSE, 64);
  if (columns & DH_EVENT_COLUMN_RCODE)
    add_column (view, DH_EVENT_COLUMN_RCODE, _("Response"), FALSE, 96);
  if (columns & DH_EVENT_COLUMN_TRANSPORT)
    add_column (view, DH_EVENT_COLUMN_TRANSPORT, _("Transport"), FALSE, 72);
  if (columns & DH_EVENT_COLUMN_ANSWERS)
    add_column (view, DH_EVENT_COLUMN_ANSWERS, _("Answers"), FALSE, 180);
}

/**
 * dh_event_columns_pivot_target:
 *
 * A #DhPivotTargetFunc for DhEventItems.
 */
void
dh_event_columns_pivot_target (gpointer       item,
                               DhPivotKinds   kinds,
                               DhPivotTarget *target)
{
  target->host = dh_event_item_get_host (item);
  target->name = dh_event_item_get_name (item);
}
