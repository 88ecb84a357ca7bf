/* dh-hosts-page.c: every source address with its counts and alerts
 *
 * Counts come from the loader's statistics; alert badges are recounted
 * whenever the alerts change. Activating a row opens the host's timeline.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "dh-alert-item.h"
#include "dh-columns.h"
#include "dh-host-item.h"
#include "dh-hosts-page.h"
#include "dh-paced-model.h"
#include "dh-pivot.h"
#include "dh-time.h"

struct _DhHostsPage
{
  DhPage              parent_instance;

  GtkSearchEntry     *search_entry;
  GtkCheckButton     *alerting_check;
  GtkLabel           *count_label;
  GtkColumnView      *hosts_view;

  gboolean            stale;     /* data changed while the page was hidden */
  GListStore         *store;     /* every host */
  GtkCustomFilter    *filter;
  GtkFilterListModel *filtered;
  GtkSingleSelection *selection;
  char               *search_text;
};

G_DEFINE_FINAL_TYPE (DhHostsPage, dh_hosts_page, DH_TYPE_PAGE)

typedef enum {
  COL_HOST,
  COL_SRCID,
  COL_QUERIES,
  COL_NXDOMAIN,
  COL_REFUSED,
  COL_TCP,
  COL_FIRST,
  COL_LAST,
  COL_ALERTS,
} Column;

static gboolean
filter_func (gpointer object,
             gpointer user_data)
{
  DhHostsPage *self = user_data;
  DhHostItem *item = object;

  if (gtk_check_button_get_active (self->alerting_check) &&
      dh_host_item_get_alert_score (item) == 0)
    return FALSE;
  if (self->search_text == NULL || *self->search_text == 0)
    return TRUE;
  return strstr (dh_host_item_get_host (item), self->search_text) != NULL ||
         strcasestr (dh_host_item_get_srcid (item), self->search_text) != NULL;
}

static void
update_count (DhHostsPage *self)
{
  guint shown = g_list_model_get_n_items (G_LIST_MODEL (self->filtered));
  guint total = g_list_model_get_n_items (G_LIST_MODEL (self->store));
  g_autofree char *text = g_strdup_printf (ngettext ("%u of %u host", "%u of %u hosts", total),
                                           shown, total);

  gtk_label_set_text (self->count_label, text);
}

static void
refilter (DhHostsPage *self)
{
  g_free (self->search_text);
  self->search_text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->search_entry))));
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
}

static void
setup_cell (GtkSignalListItemFactory *factory,
            GtkListItem              *list_item,
            gpointer                  user_data)
{
  Column col = GPOINTER_TO_UINT (user_data);
  GtkWidget *cell;

  if (col == COL_ALERTS)
    cell = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
  else
    {
      cell = gtk_inscription_new (NULL);
      gtk_inscription_set_min_chars (GTK_INSCRIPTION (cell), 3);
      if (col != COL_SRCID)
        gtk_widget_add_css_class (cell, "numeric");
      if (col >= COL_QUERIES && col <= COL_TCP)
        gtk_inscription_set_xalign (GTK_INSCRIPTION (cell), 1.0);
    }
  dh_pivot_mark_cell (cell, list_item, DH_PIVOT_HOST);
  gtk_list_item_set_child (list_item, cell);
}

static void
add_badge (GtkWidget  *box,
           guint       n,
           const char *css,
           char       *text)
{
  GtkWidget *label;

  if (n == 0)
    {
      g_free (text);
      return;
    }
  label = gtk_label_new (text);
  g_free (text);
  gtk_widget_add_css_class (label, "dh-severity");
  gtk_widget_add_css_class (label, css);
  gtk_box_append (GTK_BOX (box), label);
}

static void
bind_cell (GtkSignalListItemFactory *factory,
           GtkListItem              *list_item,
           gpointer                  user_data)
{
  Column col = GPOINTER_TO_UINT (user_data);
  DhHostItem *item = gtk_list_item_get_item (list_item);
  GtkWidget *cell = gtk_list_item_get_child (list_item);
  const DhHostStats *s = dh_host_item_get_stats (item);
  char buf[DH_TIME_FORMAT_SIZE];
  g_autofree char *owned = NULL;
  const char *text = NULL;

  switch (col)
    {
    case COL_ALERTS:
      {
        GtkWidget *child;
        while ((child = gtk_widget_get_first_child (cell)))
          gtk_box_remove (GTK_BOX (cell), child);
        /* Translators: alert badges in the hosts list, "2 high" */
        {
          guint h = dh_host_item_get_n_alerts (item, DH_SEVERITY_HIGH);
          guint m = dh_host_item_get_n_alerts (item, DH_SEVERITY_MEDIUM);
          guint l = dh_host_item_get_n_alerts (item, DH_SEVERITY_LOW);
          add_badge (cell, h, "high", g_strdup_printf (_("%u high"), h));
          add_badge (cell, m, "medium", g_strdup_printf (_("%u medium"), m));
          add_badge (cell, l, "low", g_strdup_printf (_("%u low"), l));
        }
        return;
      }
    case COL_HOST:
      text = dh_host_item_get_host (item);
      break;
    case COL_SRCID:
      text = dh_host_item_get_srcid (item);
      break;
    case COL_QUERIES:
      text = owned = g_strdup_printf ("%u", s->n_events);
      break;
    case COL_NXDOMAIN:
      text = owned = g_strdup_printf ("%.1f %%", 100.0 * dh_host_item_get_nxdomain_share (item));
      break;
    case COL_REFUSED:
      text = owned = g_strdup_printf ("%u", s->n_refused);
      break;
    case COL_TCP:
      text = owned = g_strdup_printf ("%u", s->n_tcp);
      break;
    case COL_FIRST:
      text = dh_time_format (s->first, buf);
      break;
    case COL_LAST:
      text = dh_time_format (s->last, buf);
      break;
    default:
      break;
    }
  gtk_inscription_set_text (GTK_INSCRIPTION (cell), text);
}

static int
compare (gconstpointer a,
         gconstpointer b,
         gpointer      user_data)
{
  DhHostItem *x = (DhHostItem *) a, *y = (DhHostItem *) b;
  const DhHostStats *sx = dh_host_item_get_stats (x), *sy = dh_host_item_get_stats (y);
  double dx, dy;
  int r = 0;

  switch ((Column) GPOINTER_TO_UINT (user_data))
    {
    case COL_HOST:
      {
        /* numeric order for IPv4 */
        g_autoptr(GInetAddress) ix = g_inet_address_new_from_string (dh_host_item_get_host (x));
        g_autoptr(GInetAddress) iy = g_inet_address_new_from_string (dh_host_item_get_host (y));
        if (ix && iy && g_inet_address_get_family (ix) == g_inet_address_get_family (iy))
          r = memcmp (g_inet_address_to_bytes (ix), g_inet_address_to_bytes (iy),
                      g_inet_address_get_native_size (ix));
        else
          r = g_strcmp0 (dh_host_item_get_host (x), dh_host_item_get_host (y));
      }
      break;
    case COL_SRCID:
      r = g_strcmp0 (dh_host_item_get_srcid (x), dh_host_item_get_srcid (y));
      break;
    case COL_QUERIES:
      r = sx->n_events < sy->n_events ? -1 : sx->n_events > sy->n_events;
      break;
    case COL_NXDOMAIN:
      dx = dh_host_item_get_nxdomain_share (x);
      dy = dh_host_item_get_nxdomain_share (y);
      r = dx < dy ? -1 : dx > dy;
      break;
    case COL_REFUSED:
      r = sx->n_refused < sy->n_refused ? -1 : sx->n_refused > sy->n_refused;
      break;
    case COL_TCP:
      r = sx->n_tcp < sy->n_tcp ? -1 : sx->n_tcp > sy->n_tcp;
      break;
    case COL_FIRST:
      r = sx->first < sy->first ? -1 : sx->first > sy->first;
      break;
    case COL_LAST:
      r = sx->last < sy->last ? -1 : sx->last > sy->last;
      break;
    case COL_ALERTS:
      r = dh_host_item_get_alert_score (x) < dh_host_item_get_alert_score (y) ? -1 :
          dh_host_item_get_alert_score (x) > dh_host_item_get_alert_score (y);
      break;
    default:
      break;
    }
  return r < 0 ? GTK_ORDERING_SMALLER : r > 0 ? GTK_ORDERING_LARGER : GTK_ORDERING_EQUAL;
}

static void
add_column (DhHostsPage *self,
            Column       col,
            const char  *title,
            gboolean     expand,
            int          width)
{
  dh_columns_append (self->hosts_view, title, G_CALLBACK (setup_cell), G_CALLBACK (bind_cell),
                     NULL, compare, GUINT_TO_POINTER (col), expand, width);
}

static int
default_order (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  DhHostItem *x = *(DhHostItem **) a, *y = *(DhHostItem **) b;
  guint ax = dh_host_item_get_alert_score (x), ay = dh_host_item_get_alert_score (y);

  if (ax != ay)
    return ax > ay ? -1 : 1;
  return dh_host_item_get_stats (x)->n_events > dh_host_item_get_stats (y)->n_events ? -1 :
         dh_host_item_get_stats (x)->n_events < dh_host_item_get_stats (y)->n_events;
}

static void
rebuild (DhPage *page)
{
  DhHostsPage *self = DH_HOSTS_PAGE (page);
  DhInvestigation *investigation = dh_page_get_investigation (page);
  DhEventStore *store = dh_investigation_get_store (investigation);
  DhStoreStats *stats = dh_investigation_get_stats (investigation);
  DhAlertSet *alerts = dh_investigation_get_alerts (investigation);
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) by_host = g_hash_table_new (NULL, NULL);

  if (store && stats)
    for (guint i = 0; i < dh_store_stats_get_n_hosts (stats); i++)
      {
        const DhHostStats *h = dh_store_stats_get_host (stats, i);
        DhHostItem *item = dh_host_item_new (store, h);
        g_ptr_array_add (items, item);
        g_hash_table_insert (by_host, GUINT_TO_POINTER (h->host + 1), item);
      }
  if (alerts && dh_alert_set_get_store (alerts) == store)
    for (guint i = 0; i < dh_alert_set_get_n_alerts (alerts); i++)
      {
        const DhAlert *a = dh_alert_set_get_alert (alerts, i);
        DhHostItem *item = g_hash_table_lookup (by_host, GUINT_TO_POINTER (a->host + 1));
        if (item)
          dh_host_item_count_alert (item, a->severity);
      }
  g_ptr_array_sort_with_data (items, default_order, NULL);
  g_list_store_splice (self->store, 0, g_list_model_get_n_items (G_LIST_MODEL (self->store)),
                       items->pdata, items->len);
  update_count (self);
}

static void
on_activate (GtkColumnView *view,
             guint          position,
             DhHostsPage   *self)
{
  g_autoptr(DhHostItem) item = g_list_model_get_item (G_LIST_MODEL (self->selection), position);

  if (item)
    gtk_widget_activate_action (GTK_WIDGET (self), "win.pivot-timeline", "s",
                                dh_host_item_get_host (item));
}

static void
pivot_target (gpointer       item,
              DhPivotKinds   kinds,
              DhPivotTarget *target)
{
  target->host = dh_host_item_get_host (item);
}

static void
dh_hosts_page_finalize (GObject *object)
{
  DhHostsPage *self = DH_HOSTS_PAGE (object);

  g_clear_object (&self->selection);
  g_clear_object (&self->store);
  g_free (self->search_text);
  G_OBJECT_CLASS (dh_hosts_page_parent_class)->finalize (object);
}

/* A new analysis: the list is rebuilt, and only once the page is on screen:
 * building its rows is the costliest part of a hand-over, and a hidden page
 * need not pay it. */
static void
alerts_changed (DhPage *page)
{
  DhHostsPage *self = DH_HOSTS_PAGE (page);

  self->stale = !gtk_widget_get_mapped (GTK_WIDGET (self));
  if (!self->stale)
    dh_page_queue_rebuild (page);
}

static void
dh_hosts_page_map (GtkWidget *widget)
{
  DhHostsPage *self = DH_HOSTS_PAGE (widget);

  GTK_WIDGET_CLASS (dh_hosts_page_parent_class)->map (widget);
  if (self->stale)
    {
      self->stale = FALSE;
      dh_page_queue_rebuild (DH_PAGE (self));
    }
}

static gboolean
focus_search (DhPage *page)
{
  return gtk_widget_grab_focus (GTK_WIDGET (DH_HOSTS_PAGE (page)->search_entry));
}

static void
dh_hosts_page_class_init (DhHostsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  DhPageClass *page_class = DH_PAGE_CLASS (klass);

  object_class->finalize = dh_hosts_page_finalize;
  widget_class->map = dh_hosts_page_map;
  page_class->rebuild = rebuild;
  page_class->alerts_changed = alerts_changed;
  page_class->focus_search = focus_search;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/dnshunt/DnsHunt/dh-hosts-page.ui");
  gtk_widget_class_bind_template_child (widget_class, DhHostsPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, DhHostsPage, alerting_check);
  gtk_widget_class_bind_template_child (widget_class, DhHostsPage, count_label);
  gtk_widget_class_bind_template_child (widget_class, DhHostsPage, hosts_view);
}

static void
dh_hosts_page_init (DhHostsPage *self)
{
  GtkSortListModel *sorted;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->store = g_list_store_new (DH_TYPE_HOST_ITEM);
  self->filter = gtk_custom_filter_new (filter_func, self, NULL);
  /* a new list reaches the table in steps (see dh-paced-model.c) */
  self->filtered = gtk_filter_list_model_new (
    G_LIST_MODEL (dh_paced_model_new (G_LIST_MODEL (self->store))),
    GTK_FILTER (self->filter));
  sorted = gtk_sort_list_model_new (G_LIST_MODEL (self->filtered),
                                    g_object_ref (gtk_column_view_get_sorter (self->hosts_view)));
  self->selection = gtk_single_selection_new (G_LIST_MODEL (sorted));
  gtk_column_view_set_model (self->hosts_view, GTK_SELECTION_MODEL (self->selection));

  add_column (self, COL_HOST, _("Host"), FALSE, 130);
  add_column (self, COL_SRCID, _("Instance / Endpoint"), TRUE, -1);
  add_column (self, COL_ALERTS, _("Alerts"), FALSE, 200);
  add_column (self, COL_QUERIES, _("Queries"), FALSE, 80);
  add_column (self, COL_NXDOMAIN, _("NXDOMAIN"), FALSE, 90);
  add_column (self, COL_REFUSED, _("REFUSED"), FALSE, 80);
  add_column (self, COL_TCP, _("TCP"), FALSE, 60);
  add_column (self, COL_FIRST, _("First Query"), FALSE, 190);
  add_column (self, COL_LAST, _("Last Query"), FALSE, 190);

  g_signal_connect (self->hosts_view, "activate", G_CALLBACK (on_activate), self);
  g_signal_connect_swapped (self->search_entry, "search-changed", G_CALLBACK (refilter), self);
  g_signal_connect_swapped (self->alerting_check, "toggled", G_CALLBACK (refilter), self);
  g_signal_connect_swapped (self->filtered, "items-changed", G_CALLBACK (update_count), self);
  dh_pivot_attach (GTK_WIDGET (self->hosts_view), self->selection, pivot_target);
}

/**
 * dh_hosts_page_get_model:
 *
 * Returns: (transfer none): every host as a DhHostItem
 */
GListModel *
dh_hosts_page_get_model (DhHostsPage *self)
{
  return G_LIST_MODEL (self->store);
}
