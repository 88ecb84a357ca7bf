/* dh-overview-page.c: the investigation at a glance
 *
 * Everything shown here was computed by the loader's worker
 * (DhStoreStats), so refreshing costs the main loop next to nothing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "dh-chart.h"
#include "dh-overview-page.h"
#include "dh-time.h"
#include "dh-timeline-render.h"

struct _DhOverviewPage
{
  DhPage           parent_instance;

  GtkLabel        *span_label;
  GtkLabel        *inputs_label;
  GtkFlowBox      *cards;
  GtkLabel        *high_label;
  GtkLabel        *medium_label;
  GtkLabel        *low_label;
  DhChart         *histogram_chart;
  DhChart         *rcode_chart;
  DhChart         *qtype_chart;
  DhChart         *talkers_chart;
  DhChart         *names_chart;
};

G_DEFINE_FINAL_TYPE (DhOverviewPage, dh_overview_page, DH_TYPE_PAGE)

static void
add_card (DhOverviewPage *self,
          const char     *value,
          const char     *caption)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *v = gtk_label_new (value);
  GtkWidget *c = gtk_label_new (caption);
  g_autofree char *a11y = g_strdup_printf ("%s: %s", caption, value);

  gtk_widget_add_css_class (box, "card");
  gtk_widget_add_css_class (box, "dh-stat-card");
  gtk_widget_add_css_class (v, "title-2");
  gtk_widget_add_css_class (v, "numeric");
  gtk_label_set_ellipsize (GTK_LABEL (v), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (c, "dim-label");
  gtk_label_set_wrap (GTK_LABEL (c), TRUE);
  gtk_box_append (GTK_BOX (box), v);
  gtk_box_append (GTK_BOX (box), c);
  gtk_accessible_update_property (GTK_ACCESSIBLE (box), GTK_ACCESSIBLE_PROPERTY_LABEL, a11y, -1);
  gtk_flow_box_append (self->cards, box);
}

static char *
format_duration (gint64 us)
{
  gint64 s = us / G_USEC_PER_SEC;

  if (s >= 2 * 86400)
    return g_strdup_printf (_("%.1f days"), s / 86400.0);
  if (s >= 3600)
    return g_strdup_printf (_("%.1f hours"), s / 3600.0);
  if (s >= 60)
    return g_strdup_printf (_("%.0f minutes"), s / 60.0);
  return g_strdup_printf (_("%u seconds"), (guint) s);
}

static void
refresh_alerts (DhPage *page)
{
  DhOverviewPage *self = DH_OVERVIEW_PAGE (page);
  DhAlertSet *alerts = dh_investigation_get_alerts (dh_page_get_investigation (page));
  guint high = 0, medium = 0, low = 0;
  g_autofree char *h = NULL, *m = NULL, *l = NULL;

  if (alerts)
    {
      high = dh_alert_set_count_at_least (alerts, DH_SEVERITY_HIGH);
      medium = dh_alert_set_count_at_least (alerts, DH_SEVERITY_MEDIUM) - high;
      low = dh_alert_set_get_n_alerts (alerts) - high - medium;
    }
  h = g_strdup_printf (_("%u high"), high);
  m = g_strdup_printf (_("%u medium"), medium);
  l = g_strdup_printf (_("%u low"), low);
  gtk_label_set_text (self->high_label, h);
  gtk_label_set_text (self->medium_label, m);
  gtk_label_set_text (self->low_label, l);
}

/* Cheap enough to run at once: the worker computed the statistics. */
static void
refresh (DhPage *page)
{
  DhOverviewPage *self = DH_OVERVIEW_PAGE (page);
  DhInvestigation *investigation = dh_page_get_investigation (page);
  DhEventStore *store = dh_investigation_get_store (investigation);
  DhStoreStats *stats = dh_investigation_get_stats (investigation);
  GPtrArray *inputs = dh_investigation_get_inputs (investigation);
  GtkWidget *child;
  gint64 first = 0, last = 0;
  char a[DH_TIME_FORMAT_SIZE], b[DH_TIME_FORMAT_SIZE];
  g_autoptr(GString) in = g_string_new (NULL);
  g_autoptr(GArray) bars = g_array_new (FALSE, TRUE, sizeof (DhChartBar));
  const DhCount *counts;
  guint n;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->cards))))
    gtk_flow_box_remove (self->cards, child);
  refresh_alerts (page);
  if (store == NULL || stats == NULL)
    {
      gtk_label_set_text (self->span_label, "");
      gtk_label_set_text (self->inputs_label, "");
      dh_chart_clear (self->histogram_chart);
      dh_chart_clear (self->rcode_chart);
      dh_chart_clear (self->qtype_chart);
      dh_chart_clear (self->talkers_chart);
      dh_chart_clear (self->names_chart);
      return;
    }

  if (dh_event_store_get_time_span (store, &first, &last))
    {
      g_autofree char *span = g_strdup_printf (_("%s to %s"), dh_time_format (first, a),
                                               dh_time_format (last, b));
      gtk_label_set_text (self->span_label, span);
    }
  else
    gtk_label_set_text (self->span_label, _("No events"));

  for (guint i = 0; i < inputs->len; i++)
    g_string_append_printf (in, "%s%s", i ? ", " : "", (const char *) inputs->pdata[i]);
  {
    DhSnapshot *snapshot = dh_investigation_get_snapshot (investigation);
    const char *label = snapshot ? dh_snapshot_get_label (snapshot) : NULL;
    g_autofree char *text = NULL;

    /* a log group has no paths: its name */
    if (inputs->len == 0 && label)
      text = g_strdup_printf (_("From %s"), label);
    else
      text = g_strdup_printf (ngettext ("From %u input: %s", "From %u inputs: %s", inputs->len),
                              inputs->len, in->str);
    gtk_label_set_text (self->inputs_label, text);
  }

  {
    g_autofree char *events = g_strdup_printf ("%u", dh_event_store_get_n_events (store));
    g_autofree char *hosts = g_strdup_printf ("%u", dh_store_stats_get_n_hosts (stats));
    g_autofree char *names = g_strdup_printf ("%u", dh_store_stats_get_n_names (stats));
    g_autofree char *rejected = g_strdup_printf ("%" G_GUINT64_FORMAT,
                                                 dh_event_store_get_n_rejected (store));
    g_autofree char *span = format_duration (last - first);
    add_card (self, events, _("Events"));
    add_card (self, hosts, _("Hosts"));
    add_card (self, names, _("Distinct names"));
    add_card (self, span, _("Time span"));
    add_card (self, rejected, _("Rejected lines"));
  }

  {
    gint64 start, width;
    const guint *hist = dh_store_stats_get_histogram (stats, &start, &width);
    dh_chart_set_histogram (self->histogram_chart, hist, DH_STORE_STATS_HISTOGRAM_BUCKETS,
                            start, width);
  }

  counts = dh_store_stats_get_rcodes (stats, &n);
  for (guint i = 0; i < n && i < 8; i++)
    {
      DhChartBar bar = { (char *) dh_event_store_get_atom (store, DH_ATOMS_RCODE, counts[i].id),
                         counts[i].count };
      dh_timeline_class_color (dh_timeline_class_of (counts[i].id), bar.rgb);
      g_array_append_val (bars, bar);
    }
  dh_chart_set_bars (self->rcode_chart, (DhChartBar *) bars->data, bars->len);

  g_array_set_size (bars, 0);
  counts = dh_store_stats_get_qtypes (stats, &n);
  for (guint i = 0; i < n && i < 8; i++)
    {
      DhChartBar bar = { (char *) dh_event_store_get_atom (store, DH_ATOMS_QTYPE, counts[i].id),
                         counts[i].count, { 0x26 / 255., 0xa2 / 255., 0x69 / 255. } };
      g_array_append_val (bars, bar);
    }
  dh_chart_set_bars (self->qtype_chart, (DhChartBar *) bars->data, bars->len);

  g_array_set_size (bars, 0);
  counts = dh_store_stats_get_top_hosts (stats, &n);
  for (guint i = 0; i < n; i++)
    {
      DhChartBar bar = { (char *) dh_event_store_get_string (store, counts[i].id),
                         counts[i].count, { 0x91 / 255., 0x41 / 255., 0xac / 255. } };
      g_array_append_val (bars, bar);
    }
  dh_chart_set_bars (self->talkers_chart, (DhChartBar *) bars->data, bars->len);

  g_array_set_size (bars, 0);
  counts = dh_store_stats_get_top_names (stats, &n);
  for (guint i = 0; i < n; i++)
    {
      DhChartBar bar = { (char *) dh_event_store_get_string (store, counts[i].id),
                         counts[i].count, { 0x35 / 255., 0x84 / 255., 0xe4 / 255. } };
      g_array_append_val (bars, bar);
    }
  dh_chart_set_bars (self->names_chart, (DhChartBar *) bars->data, bars->len);
}

static void
dh_overview_page_class_init (DhOverviewPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  DhPageClass *page_class = DH_PAGE_CLASS (klass);

  page_class->rebuild = refresh;
  page_class->data_changed = refresh;
  page_class->alerts_changed = refresh_alerts;
  g_type_ensure (DH_TYPE_CHART);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/dnshunt/DnsHunt/dh-overview-page.ui");
  gtk_widget_class_bind_template_child (widget_class, DhOverviewPage, span_label);
  gtk_widget_class_bind_template_child (widget_class, DhOverviewPage, inputs_label);
  gtk_widget_class_bind_template_child (widget_class, DhOverviewPage, cards);
  gtk_widget_class_bind_template_child (widget_class, DhOverviewPage, high_label);
  gtk_widget_class_bind_template_child (widget_class, DhOverviewPage, medium_label);
  gtk_widget_class_bind_template_child (widget_class, DhOverviewPage, low_label);
  gtk_widget_class_bind_template_child (widget_class, DhOverviewPage, histogram_chart);
  gtk_widget_class_bind_template_child (widget_class, DhOverviewPage, rcode_chart);
  gtk_widget_class_bind_template_child (widget_class, DhOverviewPage, qtype_chart);
  gtk_widget_class_bind_template_child (widget_class, DhOverviewPage, talkers_chart);
  gtk_widget_class_bind_template_child (widget_class, DhOverviewPage, names_chart);
}

static void
dh_overview_page_init (DhOverviewPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
