/* dh-timeline-page.c: one host's timeline and the events of a chosen range
 *
 * The host's events are contiguous and in time order in the loader's
 * statistics, so the events of a selected range are one slice found by
 * binary search: no filtering pass, whatever the host's volume.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "dh-alert-item.h"
#include "dh-event-columns.h"
#include "dh-event-model.h"
#include "dh-paced-model.h"
#include "dh-time.h"
#include "dh-timeline-page.h"
#include "dh-timeline-view.h"

struct _DhTimelinePage
{
  DhPage           parent_instance;

  GtkStack        *stack;
  GtkDropDown     *host_dropdown;
  GtkStringList   *host_model;
  GtkLabel        *host_info;
  GtkButton       *zoom_out_button;
  GtkButton       *zoom_fit_button;
  GtkButton       *zoom_in_button;
  GtkButton       *zoom_selection_button;
  GtkButton       *clear_selection_button;
  GtkFlowBox      *alert_chips;
  DhTimelineView  *timeline_view;
  GtkLabel        *events_label;
  GtkColumnView   *events_view;

  DhEventModel    *events;
  GPtrArray       *hosts;      /* char *, parallel to host_model */
  char            *host;
  gboolean         filling;
  gboolean         events_dirty;   /* the list waits until the page is shown */
};

G_DEFINE_FINAL_TYPE (DhTimelinePage, dh_timeline_page, DH_TYPE_PAGE)

static guint
lower_bound (const DhEvent *all,
             const guint32 *events,
             guint          n,
             gint64         t)
{
  guint lo = 0, hi = n;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      if (all[events[mid]].time < t)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

static void
update_events_now (DhTimelinePage *self)
{
  DhInvestigation *investigation = dh_page_get_investigation (DH_PAGE (self));
  DhEventStore *store = dh_investigation_get_store (investigation);
  DhStoreStats *stats = dh_investigation_get_stats (investigation);
  const guint32 *events;
  guint n, from = 0, to;
  guint32 host_id;
  gint64 start, end;
  gboolean selected;
  g_autoptr(GArray) slice = NULL;
  g_autofree char *label = NULL;

  if (store == NULL || stats == NULL || self->host == NULL ||
      !dh_str_pool_lookup (dh_event_store_get_pool (store), self->host, strlen (self->host),
                           &host_id))
    {
      dh_event_model_clear (self->events);
      return;
    }
  events = dh_store_stats_get_host_events (stats, host_id, &n);
  to = n;
  selected = dh_timeline_view_get_selection (self->timeline_view, &start, &end);
  if (selected)
    {
      const DhEvent *all = dh_event_store_get_events (store);
      from = lower_bound (all, events, n, start);
      to = lower_bound (all, events, n, end + 1);
    }
  slice = g_array_sized_new (FALSE, FALSE, sizeof (guint32), to - from);
  g_array_append_vals (slice, events + from, to - from);
  dh_event_model_set_events (self->events, store, slice);

  if (selected)
    {
      char a[DH_TIME_FORMAT_SIZE], b[DH_TIME_FORMAT_SIZE];
      /* Translators: "12 of 340 queries, 2026-… to 2026-…" */
      label = g_strdup_printf (ngettext ("%u of %u query, %s to %s", "%u of %u queries, %s to %s",
                                         n),
                               to - from, n, dh_time_format (start, a), dh_time_format (end, b));
    }
  else
    label = g_strdup_printf (ngettext ("All %u query of this host", "All %u queries of this host",
                                       n), n);
  gtk_label_set_text (self->events_label, label);
}

/* Filling a table costs the main loop; a page nobody looks at waits. */
static void
update_events (DhTimelinePage *self)
{
  gint64 start, end;
  gboolean selected = dh_timeline_view_get_selection (self->timeline_view, &start, &end);

  gtk_widget_set_sensitive (GTK_WIDGET (self->zoom_selection_button), selected);
  gtk_widget_set_sensitive (GTK_WIDGET (self->clear_selection_button), selected);
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      self->events_dirty = TRUE;
      return;
    }
  self->events_dirty = FALSE;
  update_events_now (self);
}

static void
on_map (DhTimelinePage *self)
{
  if (self->events_dirty)
    update_events (self);
}

static void
on_chip_clicked (GtkButton      *button,
                 DhTimelinePage *self)
{
  gint64 first = *(gint64 *) g_object_get_data (G_OBJECT (button), "first");
  gint64 last = *(gint64 *) g_object_get_data (G_OBJECT (button), "last");
  gint64 pad = MAX ((last - first) / 4, 30 * G_USEC_PER_SEC);

  dh_timeline_view_set_range (self->timeline_view, first - pad, last + pad);
  dh_timeline_view_set_selection (self->timeline_view, first, last);
}

static void
fill_chips (DhTimelinePage *self,
            guint32         host_id)
{
  DhInvestigation *investigation = dh_page_get_investigation (DH_PAGE (self));
  DhAlertSet *alerts = dh_investigation_get_alerts (investigation);
  GtkWidget *child;
  const char *classes[] = { "low", "medium", "high" };

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->alert_chips))))
    gtk_flow_box_remove (self->alert_chips, child);
  for (guint i = 0; alerts && i < dh_alert_set_get_n_alerts (alerts); i++)
    {
      const DhAlert *a = dh_alert_set_get_alert (alerts, i);
      const DhRule *rule;
      g_autofree char *text = NULL;
      GtkWidget *button;

      if (a->host != host_id)
        continue;
      rule = dh_rule_book_get_rule (dh_alert_set_get_rule_book (alerts), a->rule);
      text = g_strdup_printf ("%s · %s", dh_severity_label (a->severity), rule->title);
      button = gtk_button_new_with_label (text);
      gtk_widget_set_tooltip_text (button, _("Zoom to this alert and list its time range"));
      gtk_widget_add_css_class (button, "dh-alert-chip");
      gtk_widget_add_css_class (button, classes[CLAMP (a->severity, 1, 3) - 1]);
      g_object_set_data_full (G_OBJECT (button), "first", g_memdup2 (&a->first_seen, sizeof (gint64)),
                              g_free);
      g_object_set_data_full (G_OBJECT (button), "last", g_memdup2 (&a->last_seen, sizeof (gint64)),
                              g_free);
      g_signal_connect (button, "clicked", G_CALLBACK (on_chip_clicked), self);
      gtk_flow_box_append (self->alert_chips, button);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->alert_chips),
                          gtk_widget_get_first_child (GTK_WIDGET (self->alert_chips)) != NULL);
}

static void
show_current (DhTimelinePage *self)
{
  DhInvestigation *investigation = dh_page_get_investigation (DH_PAGE (self));
  DhEventStore *store = dh_investigation_get_store (investigation);
  DhStoreStats *stats = dh_investigation_get_stats (investigation);
  const DhHostStats *h;
  const guint32 *events;
  guint n;
  guint32 host_id;
  g_autofree char *info = NULL;
  g_autofree char *a11y = NULL;

  if (store == NULL || stats == NULL || self->host == NULL ||
      !dh_str_pool_lookup (dh_event_store_get_pool (store), self->host, strlen (self->host),
                           &host_id) ||
      (h = dh_store_stats_find_host (stats, host_id)) == NULL)
    {
      dh_timeline_view_clear (self->timeline_view);
      dh_event_model_clear (self->events);
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }

  events = dh_store_stats_get_host_events (stats, host_id, &n);
  dh_timeline_view_set_host (self->timeline_view, store, host_id, events, n,
                             dh_investigation_get_alerts (investigation));
  fill_chips (self, host_id);

  if (h->srcid != DH_STR_EMPTY)
    info = g_strdup_printf (ngettext ("%s · %u query · %.1f %% NXDOMAIN",
                                      "%s · %u queries · %.1f %% NXDOMAIN", h->n_events),
                            dh_event_store_get_string (store, h->srcid), h->n_events,
                            100.0 * h->n_nxdomain / MAX (1, h->n_events));
  else
    info = g_strdup_printf (ngettext ("%u query · %.1f %% NXDOMAIN",
                                      "%u queries · %.1f %% NXDOMAIN", h->n_events),
                            h->n_events, 100.0 * h->n_nxdomain / MAX (1, h->n_events));
  gtk_label_set_text (self->host_info, info);
  a11y = g_strdup_printf (_("Timeline of %s"), self->host);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->timeline_view),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, a11y, -1);
  gtk_stack_set_visible_child_name (self->stack, "timeline");
  update_events (self);
}

static void
on_host_selected (DhTimelinePage *self)
{
  guint i = gtk_drop_down_get_selected (self->host_dropdown);

  if (self->filling || i == GTK_INVALID_LIST_POSITION || i >= self->hosts->len)
    return;
  if (g_strcmp0 (self->host, self->hosts->pdata[i]) == 0)
    return;
  g_free (self->host);
  self->host = g_strdup (self->hosts->pdata[i]);
  show_current (self);
}

static void
select_in_dropdown (DhTimelinePage *self)
{
  self->filling = TRUE;
  for (guint i = 0; i < self->hosts->len; i++)
    if (g_strcmp0 (self->hosts->pdata[i], self->host) == 0)
      {
        gtk_drop_down_set_selected (self->host_dropdown, i);
        break;
      }
  self->filling = FALSE;
}

/* A new load: list the hosts, busiest first, and keep the host shown if it
 * is still there; else show the host of the most severe alert. */
static void
rebuild (DhPage *page)
{
  DhTimelinePage *self = DH_TIMELINE_PAGE (page);
  DhInvestigation *investigation = dh_page_get_investigation (page);
  DhEventStore *store = dh_investigation_get_store (investigation);
  DhStoreStats *stats = dh_investigation_get_stats (investigation);
  DhAlertSet *alerts = dh_investigation_get_alerts (investigation);
  g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  gboolean still_there = FALSE;

  g_ptr_array_set_size (self->hosts, 0);
  for (guint i = 0; stats && i < dh_store_stats_get_n_hosts (stats); i++)
    {
      const DhHostStats *h = dh_store_stats_get_host (stats, i);
      const char *addr = dh_event_store_get_string (store, h->host);
      g_ptr_array_add (self->hosts, g_strdup (addr));
      g_ptr_array_add (labels, dh_investigation_host_label (investigation, h->host));
      still_there |= g_strcmp0 (addr, self->host) == 0;
    }
  g_ptr_array_add (labels, NULL);
  self->filling = TRUE;
  gtk_string_list_splice (self->host_model, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->host_model)),
                          (const char * const *) labels->pdata);
  self->filling = FALSE;

  if (!still_there)
    {
      g_clear_pointer (&self->host, g_free);
      if (alerts && dh_alert_set_get_n_alerts (alerts) > 0)
        self->host = g_strdup (dh_event_store_get_string (store,
                                                          dh_alert_set_get_alert (alerts, 0)->host));
      else if (self->hosts->len > 0)
        self->host = g_strdup (self->hosts->pdata[0]);
    }
  select_in_dropdown (self);
  show_current (self);
}

static void
alerts_changed (DhPage *page)
{
  DhTimelinePage *self = DH_TIMELINE_PAGE (page);
  DhInvestigation *investigation = dh_page_get_investigation (page);
  DhEventStore *store = dh_investigation_get_store (investigation);
  guint32 host_id;

  /* new bands and chips; the host, zoom, selection and list stay */
  dh_timeline_view_set_alerts (self->timeline_view,
                               dh_investigation_get_alerts (investigation));
  if (store && self->host &&
      dh_str_pool_lookup (dh_event_store_get_pool (store), self->host, strlen (self->host),
                          &host_id))
    fill_chips (self, host_id);
}

static void
on_zoom_in (DhTimelinePage *self)
{
  dh_timeline_view_zoom (self->timeline_view, 0.5, 0.5);
}

static void
on_zoom_out (DhTimelinePage *self)
{
  dh_timeline_view_zoom (self->timeline_view, 2.0, 0.5);
}

static void
on_zoom_fit (DhTimelinePage *self)
{
  dh_timeline_view_zoom_to_fit (self->timeline_view);
}

static void
on_zoom_selection (DhTimelinePage *self)
{
  gint64 start, end;

  if (dh_timeline_view_get_selection (self->timeline_view, &start, &end))
    {
      gint64 pad = MAX ((end - start) / 20, G_USEC_PER_SEC);
      dh_timeline_view_set_range (self->timeline_view, start - pad, end + pad);
    }
}

static void
on_clear_selection (DhTimelinePage *self)
{
  dh_timeline_view_clear_selection (self->timeline_view);
}

static void
dh_timeline_page_finalize (GObject *object)
{
  DhTimelinePage *self = DH_TIMELINE_PAGE (object);

  g_clear_object (&self->events);
  g_ptr_array_unref (self->hosts);
  g_free (self->host);
  G_OBJECT_CLASS (dh_timeline_page_parent_class)->finalize (object);
}

static void
dh_timeline_page_class_init (DhTimelinePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  DhPageClass *page_class = DH_PAGE_CLASS (klass);

  object_class->finalize = dh_timeline_page_finalize;
  page_class->rebuild = rebuild;
  /* a new load: in an iteration of its own (see dh-page.c) */
  page_class->data_changed = dh_page_queue_rebuild;
  page_class->alerts_changed = alerts_changed;
  g_type_ensure (DH_TYPE_TIMELINE_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/dnshunt/DnsHunt/dh-timeline-page.ui");
  gtk_widget_class_bind_template_child (widget_class, DhTimelinePage, stack);
  gtk_widget_class_bind_template_child (widget_class, DhTimelinePage, host_dropdown);
  gtk_widget_class_bind_template_child (widget_class, DhTimelinePage, host_model);
  gtk_widget_class_bind_template_child (widget_class, DhTimelinePage, host_info);
  gtk_widget_class_bind_template_child (widget_class, DhTimelinePage, zoom_out_button);
  gtk_widget_class_bind_template_child (widget_class, DhTimelinePage, zoom_fit_button);
  gtk_widget_class_bind_template_child (widget_class, DhTimelinePage, zoom_in_button);
  gtk_widget_class_bind_template_child (widget_class, DhTimelinePage, zoom_selection_button);
  gtk_widget_class_bind_template_child (widget_class, DhTimelinePage, clear_selection_button);
  gtk_widget_class_bind_template_child (widget_class, DhTimelinePage, alert_chips);
  gtk_widget_class_bind_template_child (widget_class, DhTimelinePage, timeline_view);
  gtk_widget_class_bind_template_child (widget_class, DhTimelinePage, events_label);
  gtk_widget_class_bind_template_child (widget_class, DhTimelinePage, events_view);
}

static void
dh_timeline_page_init (DhTimelinePage *self)
{
  GtkSingleSelection *selection;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->hosts = g_ptr_array_new_with_free_func (g_free);
  self->events = dh_event_model_new ();
  selection = gtk_single_selection_new (
    G_LIST_MODEL (dh_paced_model_new (G_LIST_MODEL (self->events))));
  gtk_single_selection_set_autoselect (selection, FALSE);
  gtk_column_view_set_model (self->events_view, GTK_SELECTION_MODEL (selection));
  dh_event_columns_add (self->events_view,
                        DH_EVENT_COLUMN_TIME | DH_EVENT_COLUMN_NAME | DH_EVENT_COLUMN_QTYPE |
                        DH_EVENT_COLUMN_RCODE | DH_EVENT_COLUMN_TRANSPORT |
                        DH_EVENT_COLUMN_ANSWERS);
  dh_pivot_attach (GTK_WIDGET (self->events_view), selection, dh_event_columns_pivot_target);
  g_object_unref (selection);

  g_signal_connect (self, "map", G_CALLBACK (on_map), NULL);
  g_signal_connect_swapped (self->host_dropdown, "notify::selected",
                            G_CALLBACK (on_host_selected), self);
  g_signal_connect_swapped (self->timeline_view, "selection-changed",
                            G_CALLBACK (update_events), self);
  g_signal_connect_swapped (self->zoom_in_button, "clicked", G_CALLBACK (on_zoom_in), self);
  g_signal_connect_swapped (self->zoom_out_button, "clicked", G_CALLBACK (on_zoom_out), self);
  g_signal_connect_swapped (self->zoom_fit_button, "clicked", G_CALLBACK (on_zoom_fit), self);
  g_signal_connect_swapped (self->zoom_selection_button, "clicked",
                            G_CALLBACK (on_zoom_selection), self);
  g_signal_connect_swapped (self->clear_selection_button, "clicked",
                            G_CALLBACK (on_clear_selection), self);
}

/**
 * dh_timeline_page_show_host:
 * @host: a source address
 *
 * Returns: whether the logs have that host
 */
gboolean
dh_timeline_page_show_host (DhTimelinePage *self,
                            const char     *host)
{
  gboolean known = FALSE;

  for (guint i = 0; i < self->hosts->len && !known; i++)
    known = g_strcmp0 (self->hosts->pdata[i], host) == 0;
  if (!known)
    return FALSE;
  g_free (self->host);
  self->host = g_strdup (host);
  select_in_dropdown (self);
  show_current (self);
  return TRUE;
}

const char *
dh_timeline_page_get_host (DhTimelinePage *self)
{
  return self->host;
}

/**
 * dh_timeline_page_get_events_model:
 *
 * Returns: (transfer none): the events listed under the chart
 */
GListModel *
dh_timeline_page_get_events_model (DhTimelinePage *self)
{
  return G_LIST_MODEL (self->events);
}

GtkWidget *
dh_timeline_page_get_view (DhTimelinePage *self)
{
  return GTK_WIDGET (self->timeline_view);
}
