/* test-timeline.c: counting a host's queries per bucket and drawing the chart
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <cairo-svg.h>

#include "dh-test-util.h"
#include "dh-time.h"
#include "dh-timeline-render.h"

static gint64
at (const char *iso)
{
  gint64 t;

  g_assert_true (dh_time_parse_iso8601 (iso, strlen (iso), &t));
  return t;
}

static guint32
host_id (DhAlertSet *set,
         const char *host)
{
  DhEventStore *store = dh_alert_set_get_store (set);

  for (guint i = 0; i < dh_event_store_get_n_events (store); i++)
    {
      const DhEvent *ev = dh_event_store_get_event (store, i);
      if (g_str_equal (dh_event_store_get_string (store, ev->host), host))
        return ev->host;
    }
  g_assert_not_reached ();
}

/* 10.0.0.5: 10 NOERROR in the first 30 s, 5 NXDOMAIN in the next, 2 SERVFAIL
 * and a TCP query (an alert) at 10:02; 10.0.0.6: 4 NOERROR. */
static DhAlertSet *
make_set (void)
{
  g_autoptr(GString) log = g_string_new (NULL);

  for (guint i = 0; i < 10; i++)
    {
      g_autofree char *t = test_time_plus ("2026-03-02T10:00:00Z", i * 2);
      g_autofree char *line = test_record_line (&(TestRecord) { .time = t });
      g_string_append (log, line);
    }
  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *t = test_time_plus ("2026-03-02T10:00:31Z", i);
      g_autofree char *line = test_record_line (&(TestRecord) { .time = t, .rcode = "NXDOMAIN" });
      g_string_append (log, line);
    }
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *t = test_time_plus ("2026-03-02T10:02:00Z", i);
      g_autofree char *line = test_record_line (&(TestRecord) { .time = t, .rcode = "SERVFAIL" });
      g_string_append (log, line);
    }
  {
    g_autofree char *line = test_record_line (&(TestRecord) { .time = "2026-03-02T10:02:10Z",
                                                              .transport = "TCP" });
    g_string_append (log, line);
  }
  for (guint i = 0; i < 4; i++)
    {
      g_autofree char *t = test_time_plus ("2026-03-02T10:01:00Z", i);
      g_autofree char *line = test_record_line (&(TestRecord) { .time = t, .host = "10.0.0.6" });
      g_string_append (log, line);
    }
  return test_analyze_text (log->str, NULL);
}

static void
test_bins (void)
{
  g_autoptr(DhAlertSet) set = make_set ();
  DhEventStore *store = dh_alert_set_get_store (set);
  guint32 host = host_id (set, "10.0.0.5");
  g_autoptr(DhTimelineBins) bins = NULL;
  g_autoptr(DhTimelineBins) all = NULL;
  g_autoptr(DhTimelineBins) point = NULL;

  bins = dh_timeline_bins_new (store, host, at ("2026-03-02T10:00:00Z"),
                               at ("2026-03-02T10:03:00Z"), 10);
  g_assert_cmpint (bins->bucket, ==, 30 * DH_USEC_PER_SEC);
  g_assert_cmpint (bins->first, ==, at ("2026-03-02T10:00:00Z"));
  g_assert_cmpuint (bins->n_buckets, ==, 7);
  g_assert_cmpuint (bins->total, ==, 18);
  g_assert_cmpuint (dh_timeline_bins_get (bins, 0, DH_TIMELINE_NOERROR), ==, 10);
  g_assert_cmpuint (dh_timeline_bins_get (bins, 1, DH_TIMELINE_NXDOMAIN), ==, 5);
  g_assert_cmpuint (dh_timeline_bins_get (bins, 4, DH_TIMELINE_OTHER), ==, 2);
  g_assert_cmpuint (dh_timeline_bins_get (bins, 4, DH_TIMELINE_NOERROR), ==, 1);
  g_assert_cmpuint (dh_timeline_bins_get_total (bins, 2), ==, 0);
  g_assert_cmpuint (bins->max_total, ==, 10);

  all = dh_timeline_bins_new (store, DH_TIMELINE_ALL_HOSTS, at ("2026-03-02T10:00:00Z"),
                              at ("2026-03-02T10:03:00Z"), 10);
  g_assert_cmpuint (all->total, ==, 22);
  g_assert_cmpuint (dh_timeline_bins_get (all, 2, DH_TIMELINE_NOERROR), ==, 4);

  /* an empty range becomes a minute around the point */
  point = dh_timeline_bins_new (store, host, at ("2026-03-02T10:02:10Z"),
                                at ("2026-03-02T10:02:10Z"), 100);
  g_assert_cmpint (point->end - point->start, ==, 60 * DH_USEC_PER_SEC);
  g_assert_cmpuint (point->total, ==, 3);
}

static gboolean
has_color (cairo_surface_t *surface,
           guint32          rgb)
{
  int w = cairo_image_surface_get_width (surface);
  int h = cairo_image_surface_get_height (surface);
  int stride = cairo_image_surface_get_stride (surface);
  const guchar *data = cairo_image_surface_get_data (surface);

  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      if ((*(const guint32 *) (data + y * stride + x * 4) & 0xffffff) == rgb)
        return TRUE;
  return FALSE;
}

static void
test_render (void)
{
  g_autoptr(DhAlertSet) set = make_set ();
  DhEventStore *store = dh_alert_set_get_store (set);
  const DhAlert *alert = test_find_alert (set, DH_RULE_DNS_OVER_TCP, "10.0.0.5");
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 600, 160);
  cairo_t *cr = cairo_create (surface);
  const char *png = g_getenv ("DH_TIMELINE_PNG");

  g_assert_nonnull (alert);
  dh_timeline_render (cr, 600, 160, store, alert->host, at ("2026-03-02T09:59:00Z"),
                      at ("2026-03-02T10:04:00Z"), &alert, 1);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  if (png)
    cairo_surface_write_to_png (surface, png);

  /* white paper, the three stacks, and the band's edge */
  g_assert_true (has_color (surface, 0xffffff));
  g_assert_true (has_color (surface, 0x4477aa));
  g_assert_true (has_color (surface, 0xee7733));
  g_assert_true (has_color (surface, 0xaa3377));
  g_assert_true (has_color (surface, 0xcc3311));
  cairo_surface_destroy (surface);
}

static cairo_status_t
append_bytes (void                *closure,
              const unsigned char *data,
              unsigned int         length)
{
  g_string_append_len (closure, (const char *) data, length);
  return CAIRO_STATUS_SUCCESS;
}

static void
test_svg (void)
{
  g_autoptr(DhAlertSet) set = make_set ();
  DhEventStore *store = dh_alert_set_get_store (set);
  g_autoptr(GString) svg = g_string_new (NULL);
  cairo_surface_t *surface = cairo_svg_surface_create_for_stream (append_bytes, svg, 500, 150);
  cairo_t *cr = cairo_create (surface);

  /* nothing from the log is drawn, and an empty chart says so */
  dh_timeline_render (cr, 500, 150, store, DH_TIMELINE_ALL_HOSTS, at ("2026-03-01T00:00:00Z"),
                      at ("2026-03-01T06:00:00Z"), NULL, 0);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (surface);
  g_assert_true (g_str_has_prefix (svg->str, "<?xml"));
  g_assert_nonnull (strstr (svg->str, "<svg"));
  g_assert_null (strstr (svg->str, "10.0.0.5"));
  g_assert_null (strstr (svg->str, "example"));
}

static guint32
pixel (cairo_surface_t *surface,
       int              x,
       int              y)
{
  const guchar *data = cairo_image_surface_get_data (surface);

  cairo_surface_flush (surface);
  return *(const guint32 *) (data + y * cairo_image_surface_get_stride (surface) + x * 4) &
         0xffffff;
}

/* An hour of one host's chart with @n alerts, drawn into @surface (image or
 * SVG); every alert is @alert. */
static void
draw_alerts (cairo_surface_t *surface,
             const DhAlert   *alert,
             guint            n)
{
  g_autoptr(DhAlertSet) set = make_set ();
  g_autofree const DhAlert **alerts = g_new (const DhAlert *, MAX (n, 1));
  cairo_t *cr = cairo_create (surface);

  for (guint i = 0; i < n; i++)
    alerts[i] = alert;
  dh_timeline_render (cr, 600, 160, dh_alert_set_get_store (set), alert->host,
                      at ("2026-03-02T10:00:00Z"), at ("2026-03-02T11:00:00Z"), alerts, n);
  cairo_destroy (cr);
}

/* Bands over bands look as if laid one over the other, and the drawing of a
 * host's thousands of alerts is no bigger than the plot is wide. */
static void
test_bands (void)
{
  g_autoptr(DhAlertSet) set = make_set ();
  guint32 host = host_id (set, "10.0.0.5");
  DhAlert one = { .rule = DH_RULE_DNS_OVER_TCP, .host = host,
                  .first_seen = at ("2026-03-02T10:20:00Z"),
                  .last_seen = at ("2026-03-02T10:40:00Z") };
  g_autofree DhAlert *many = g_new0 (DhAlert, 5000);
  g_autofree const DhAlert **all = g_new (const DhAlert *, 5000);
  guint32 shade[3];
  g_autoptr(GString) svg = g_string_new (NULL);
  cairo_surface_t *surface;
  cairo_t *cr;

  /* the middle of the band, between grid lines: one, two and three layers */
  for (guint n = 1; n <= 3; n++)
    {
      surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 600, 160);
      draw_alerts (surface, &one, n);
      shade[n - 1] = pixel (surface, 330, 80);
      cairo_surface_destroy (surface);
    }
  for (guint n = 1; n <= 3; n++)
    {
      /* white under n layers of 14 % of #cc3311, in green (0x33) */
      double green = 255 * pow (0.86, n) + 0x33 * (1 - pow (0.86, n));
      g_assert_cmpfloat (fabs (((shade[n - 1] >> 8) & 0xff) - green), <=, 2);
    }

  /* 5000 alerts a second apart over the hour */
  for (guint i = 0; i < 5000; i++)
    {
      many[i] = one;
      many[i].first_seen = many[i].last_seen = at ("2026-03-02T10:00:00Z") +
                                               (gint64) i * 700 * 1000;
      all[i] = &many[i];
    }
  surface = cairo_svg_surface_create_for_stream (append_bytes, svg, 600, 160);
  cr = cairo_create (surface);
  dh_timeline_render (cr, 600, 160, dh_alert_set_get_store (set), host,
                      at ("2026-03-02T10:00:00Z"), at ("2026-03-02T11:00:00Z"), all, 5000);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  cairo_surface_destroy (surface);
  g_assert_cmpuint (svg->len, <, 200000);
}

typedef struct
{
  GPtrArray *texts;
  gboolean   inside;
} Texts;

static void
collect_text (const char   *text,
              double        x,
              double        baseline,
              double        width,
              double        size,
              const double  rgb[3],
              gpointer      data)
{
  Texts *t = data;

  g_ptr_array_add (t->texts, g_strdup_printf ("%s@%.1f,%.1f/%.1f", text, x, baseline, width));
  t->inside &= x >= 0 && x + width <= 600 && baseline > 0 && baseline <= 160 && width > 0 &&
               size >= 8 && size <= 11;
}

/* With a text sink, the chart's words go to the sink, where they would have
 * been drawn, and no glyph is drawn; a second chart gets the same. */
static void
test_text_sink (void)
{
  g_autoptr(DhAlertSet) set = make_set ();
  DhEventStore *store = dh_alert_set_get_store (set);
  const DhAlert *alert = test_find_alert (set, DH_RULE_DNS_OVER_TCP, "10.0.0.5");
  Texts t = { g_ptr_array_new_with_free_func (g_free), TRUE };
  g_autoptr(DhTimelineText) sink = dh_timeline_text_new (collect_text, &t);
  g_autoptr(GPtrArray) first = NULL;

  for (guint round = 0; round < 2; round++)
    {
      g_autoptr(GString) svg = g_string_new (NULL);
      g_autoptr(DhTimelineBins) bins = dh_timeline_bins_new (store, alert->host,
                                                             at ("2026-03-02T09:59:00Z"),
                                                             at ("2026-03-02T10:04:00Z"), 120);
      cairo_surface_t *surface = cairo_svg_surface_create_for_stream (append_bytes, svg, 600,
                                                                      160);
      cairo_t *cr = cairo_create (surface);

      dh_timeline_render_bins_full (cr, 600, 160, bins, &alert, 1, sink);
      cairo_destroy (cr);
      cairo_surface_finish (surface);
      cairo_surface_destroy (surface);
      g_assert_null (strstr (svg->str, "glyph"));
      if (round == 0)
        {
          first = g_steal_pointer (&t.texts);
          t.texts = g_ptr_array_new_with_free_func (g_free);
        }
    }

  g_assert_true (t.inside);
  g_assert_cmpuint (first->len, >, 8);
  g_assert_cmpuint (first->len, ==, t.texts->len);
  for (guint i = 0; i < first->len; i++)
    g_assert_cmpstr (first->pdata[i], ==, t.texts->pdata[i]);
  for (const char *const *word = (const char *[]) { "NOERROR@", "NXDOMAIN@", "dns-over-tcp@",
                                                    "10:02:00@", NULL }; *word; word++)
    {
      gboolean found = FALSE;
      for (guint i = 0; i < first->len; i++)
        found |= g_str_has_prefix (first->pdata[i], *word);
      g_assert_true (found);
    }
  g_ptr_array_unref (t.texts);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/timeline/bins", test_bins);
  g_test_add_func ("/timeline/render", test_render);
  g_test_add_func ("/timeline/svg", test_svg);
  g_test_add_func ("/timeline/bands", test_bands);
  g_test_add_func ("/timeline/text-sink", test_text_sink);
  return g_test_run ();
}
