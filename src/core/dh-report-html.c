/* dh-report-html.c: the incident report as one self-contained HTML file
 *
 * Inline CSS, charts as inline SVG drawn by dh_timeline_render_bins_full()
 * through a cairo SVG surface (their words as SVG text), each host's chart
 * once, no script and nothing loaded from elsewhere (a
 * Content-Security-Policy says so to the browser too). Every string from a
 * log is escaped by dh_escape_html() and only ever lands in text or in a
 * quoted attribute value of an element this file writes; link targets are
 * the rule book's http(s) URLs only. Prints well: each alert starts a page,
 * rows and charts are not split, table headers repeat.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <cairo-svg.h>
#include <glib/gi18n.h>

#include "dh-report-private.h"
#include "dh-time.h"
#include "dh-timeline-render.h"

#define CHART_WIDTH  720
#define CHART_HEIGHT 170

static const char style[] =
  ":root { color-scheme: light; --fg: #1e1e1e; --dim: #5e5c64; --line: #deddda;"
  " --soft: #f6f5f4; --accent: #1a5fb4; --high: #a51d2d; --medium: #b04a00; --low: #4a6a8a; }\n"
  "* { box-sizing: border-box; }\n"
  "body { margin: 0; background: #fff; color: var(--fg);"
  " font: 15px/1.5 system-ui, Cantarell, 'DejaVu Sans', 'Segoe UI', sans-serif; }\n"
  "main { max-width: 1100px; margin: 0 auto; padding: 24px 32px 48px; }\n"
  "header.report { border-bottom: 3px solid var(--fg); padding-bottom: 12px; margin-bottom: 8px; }\n"
  ".brand { font-size: 13px; letter-spacing: .08em; text-transform: uppercase; color: var(--dim);"
  " margin: 0; }\n"
  "h1 { font-size: 30px; line-height: 1.2; margin: 4px 0 6px; }\n"
  "h2 { font-size: 22px; margin: 32px 0 12px; }\n"
  "h3 { font-size: 15px; margin: 20px 0 6px; text-transform: uppercase; letter-spacing: .04em;"
  " color: var(--dim); }\n"
  ".meta { color: var(--dim); margin: 0; }\n"
  ".stats { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 10px;"
  " margin: 16px 0; }\n"
  ".stat { border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; }\n"
  ".stat .n { display: block; font-size: 24px; font-weight: 700; }\n"
  ".stat .l { color: var(--dim); font-size: 13px; }\n"
  ".stat.high .n { color: var(--high); } .stat.medium .n { color: var(--medium); }"
  " .stat.low .n { color: var(--low); }\n"
  "table { border-collapse: collapse; width: 100%; margin: 8px 0 16px; font-size: 14px; }\n"
  "th, td { text-align: left; vertical-align: top; padding: 5px 8px;"
  " border-bottom: 1px solid var(--line); }\n"
  "thead th { background: var(--soft); border-bottom: 2px solid #c0bfbc; white-space: nowrap; }\n"
  "tbody tr:nth-child(even) td { background: #fafafa; }\n"
  "td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }\n"
  "table.facts { width: auto; min-width: 50%; }\n"
  "table.facts th { background: none; color: var(--dim); font-weight: 600; white-space: nowrap;"
  " border-bottom: 1px solid var(--line); }\n"
  "table.evidence { font-size: 12.5px; }\n"
  "table.evidence td:first-child { white-space: nowrap; }\n"
  "code { font-family: 'DejaVu Sans Mono', ui-monospace, monospace; font-size: .92em;"
  " overflow-wrap: anywhere; word-break: break-all; }\n"
  "table.summary code, table.facts code { word-break: normal; }\n"
  "time { white-space: nowrap; }\n"
  "a { color: var(--accent); }\n"
  ".sev { display: inline-block; min-width: 4.8em; text-align: center; border-radius: 4px;"
  " padding: 0 6px; color: #fff; font-size: 12px; font-weight: 700; text-transform: uppercase;"
  " letter-spacing: .04em; line-height: 1.7; }\n"
  ".sev.high { background: var(--high); } .sev.medium { background: var(--medium); }"
  " .sev.low { background: var(--low); }\n"
  ".triage { display: inline-block; border: 1px solid var(--fg); border-radius: 4px;"
  " padding: 0 6px; font-size: 12px; font-weight: 600; }\n"
  "section.alert { border-top: 1px solid var(--line); margin-top: 40px; }\n"
  "section.alert > h2 { display: flex; gap: 12px; align-items: baseline; flex-wrap: wrap; }\n"
  "section.alert > h2 .no { color: var(--dim); }\n"
  ".cols { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 24px; }\n"
  ".mitre { list-style: none; padding: 0; margin: 8px 0; }\n"
  ".mitre li { margin: 2px 0; } .mitre .k { display: inline-block; min-width: 8em;"
  " color: var(--dim); }\n"
  ".note { border-left: 4px solid var(--accent); background: var(--soft); padding: 8px 12px;"
  " white-space: pre-wrap; margin: 8px 0; }\n"
  "figure { margin: 8px 0 16px; }\n"
  "figure svg { display: block; width: 100%; height: auto; border: 1px solid var(--line); }\n"
  "figure svg text { font-family: 'DejaVu Sans', Cantarell, Verdana, sans-serif; }\n"
  "figcaption { color: var(--dim); font-size: 13px; margin-top: 4px; }\n"
  "ul.names { columns: 2 22em; padding-left: 1.2em; margin: 6px 0; font-size: 13.5px; }\n"
  "ul.names li { break-inside: avoid; }\n"
  ".more { color: var(--dim); font-style: italic; }\n"
  "footer { margin-top: 48px; border-top: 1px solid var(--line); padding-top: 8px;"
  " color: var(--dim); font-size: 12.5px; }\n"
  "table.summary, table.evidence { table-layout: fixed; }\n"
  "th.c-no { width: 2.6em; } th.c-sev { width: 6.8em; } th.c-host { width: 12.5em; }"
  " th.c-count { width: 4.8em; } th.c-time { width: 12em; } th.c-triage { width: 7.5em; }"
  " th.c-etime { width: 14.5em; } th.c-name { width: 36%; } th.c-type { width: 4.6em; }"
  " th.c-rcode { width: 7em; } th.c-tr { width: 6.8em; }\n"
  "@media screen and (max-width: 760px) { .cols { grid-template-columns: 1fr; } main { padding: 12px; } }\n"
  "@media print {\n"
  "  body { font-size: 10pt; } main { max-width: none; padding: 0; }\n"
  "  .stats { grid-template-columns: repeat(5, 1fr); } .stat .n { font-size: 16pt; }\n"
  "  h1 { font-size: 20pt; } h2 { font-size: 15pt; } h3 { font-size: 9.5pt; }\n"
  "  table { font-size: 8.5pt; } table.evidence { font-size: 7.5pt; }\n"
  "  section.alert { break-before: page; border-top: none; margin-top: 0; }\n"
  "  h2, h3 { break-after: avoid; } tr, figure, .stat, .note { break-inside: avoid; }\n"
  "  thead { display: table-header-group; }\n"
  "  a { color: inherit; text-decoration: none; }\n"
  "  .sev { -webkit-print-color-adjust: exact; print-color-adjust: exact; }\n"
  "}\n";

static void
esc (GString    *s,
     const char *text)
{
  dh_escape_html_append (s, text);
}

static void
link_to (GString    *s,
         const char *label,
         const char *url)
{
  if (dh_escape_is_web_url (url))
    {
      g_string_append (s, "<a href=\"");
      esc (s, url);
      g_string_append (s, "\">");
      esc (s, label);
      g_string_append (s, "</a>");
    }
  else
    esc (s, label);
}

static void
time_element (GString *s,
              gint64   t)
{
  char buf[DH_TIME_FORMAT_SIZE];

  dh_time_format (t, buf);
  g_string_append_printf (s, "<time datetime=\"%s\">%s</time>", buf, buf);
}

/* to the second, for the summary table; the attribute keeps it all */
static void
time_element_short (GString *s,
                    gint64   t)
{
  char buf[DH_TIME_FORMAT_SIZE], shown[DH_TIME_FORMAT_SIZE];

  dh_time_format (t, buf);
  dh_time_format (t - t % DH_USEC_PER_SEC, shown);
  shown[10] = ' ';
  shown[19] = 0;
  g_string_append_printf (s, "<time datetime=\"%s\">%s</time>", buf, shown);
}

static void
log_code (GString    *s,
          const char *text)
{
  g_string_append (s, "<code>");
  esc (s, text);
  g_string_append (s, "</code>");
}

static void
severity_badge (GString    *s,
                DhSeverity  severity)
{
  const char *sev = dh_severity_to_string (severity);

  g_string_append_printf (s, "<span class=\"sev %s\">%s</span>", sev, sev);
}

static cairo_status_t
append_to_string (void                *closure,
                  const unsigned char *data,
                  unsigned int         length)
{
  g_string_append_len (closure, (const char *) data, length);
  return CAIRO_STATUS_SUCCESS;
}

/* Cairo writes coordinates with six decimals; two are plenty for a chart a
 * few hundred units wide, and the file gets much smaller. */
static void
round_numbers (GString *svg)
{
  gsize r = 0, w = 0;

  while (r < svg->len)
    {
      char c = svg->str[r];
      svg->str[w++] = c;
      r++;
      if (c == '.' && r >= 2 && g_ascii_isdigit (svg->str[r - 2]) && g_ascii_isdigit (svg->str[r]))
        {
          guint kept = 0;
          while (r < svg->len && g_ascii_isdigit (svg->str[r]))
            {
              if (kept++ < 2)
                svg->str[w++] = svg->str[r];
              r++;
            }
        }
    }
  g_string_truncate (svg, w);
}

static void
append_number (GString *s,
               double   value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  /* not printf: the locale's decimal comma has no place in SVG */
  g_string_append (s, g_ascii_formatd (buf, sizeof buf, "%.2f", value));
}

/* A text of a chart as an SVG text element, stretched to the width Pango
 * gave it so that it sits where the chart was laid out for it whatever font
 * the browser has. */
static void
append_text (const char   *text,
             double        x,
             double        baseline,
             double        width,
             double        size,
             const double  rgb[3],
             gpointer      data)
{
  GString *s = data;

  g_string_append (s, "<text x=\"");
  append_number (s, x);
  g_string_append (s, "\" y=\"");
  append_number (s, baseline);
  g_string_append (s, "\" font-size=\"");
  append_number (s, size);
  g_string_append (s, "\" textLength=\"");
  append_number (s, width);
  g_string_append_printf (s, "\" lengthAdjust=\"spacingAndGlyphs\" fill=\"#%02x%02x%02x\">",
                          (guint) CLAMP (rgb[0] * 255 + 0.5, 0, 255),
                          (guint) CLAMP (rgb[1] * 255 + 0.5, 0, 255),
                          (guint) CLAMP (rgb[2] * 255 + 0.5, 0, 255));
  /* the chart's own words (times, counts, rule ids), escaped all the same */
  esc (s, text);
  g_string_append (s, "</text>\n");
}

/* What the charts of one report share: the text sink and the text of the
 * chart being drawn. */
typedef struct
{
  DhTimelineText *text;
  GString        *texts;
} Charts;

/* The chart as an <svg> element for inline use. Cairo names its clips
 * "clip1", … in every file; inline SVGs share the page's id space, so each
 * chart's ids get a prefix of their own. With @shared, the drawing is a group
 * "cN-chart" that later charts of the same host show again (see
 * chart_again()). */
static void
chart_svg (DhReportContext       *ctx,
           Charts                *charts,
           GString               *s,
           guint                  number,
           gboolean               shared,
           guint32                host,
           const guint32         *events,
           guint                  n_events,
           const DhAlert * const *alerts,
           guint                  n_alerts,
           const char            *label)
{
  g_autoptr(GString) svg = g_string_new (NULL);
  g_autoptr(DhTimelineBins) bins = NULL;
  g_autofree char *prefix = g_strdup_printf ("c%u-", number);
  g_autofree char *id_attr = g_strdup_printf ("id=\"%s", prefix);
  g_autofree char *href = g_strdup_printf ("href=\"#%s", prefix);
  g_autofree char *url = g_strdup_printf ("url(#%s", prefix);
  cairo_surface_t *surface;
  cairo_t *cr;
  gint64 start, end;
  const char *open;

  dh_report_context_chart_range (ctx, &start, &end);
  bins = dh_timeline_bins_new_for_events (ctx->store, events, n_events, host, start, end,
                                          dh_timeline_buckets_for_width (CHART_WIDTH));
  surface = cairo_svg_surface_create_for_stream (append_to_string, svg, CHART_WIDTH,
                                                 CHART_HEIGHT);
  cr = cairo_create (surface);
  g_string_truncate (charts->texts, 0);
  dh_timeline_render_bins_full (cr, CHART_WIDTH, CHART_HEIGHT, bins, alerts, n_alerts,
                                charts->text);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  cairo_surface_destroy (surface);

  while (svg->len > 0 && svg->str[svg->len - 1] == '\n')
    g_string_truncate (svg, svg->len - 1);
  open = strstr (svg->str, "<svg");
  if (open == NULL || !g_str_has_suffix (svg->str, "</svg>"))
    return;
  g_string_erase (svg, 0, open - svg->str);
  round_numbers (svg);
  g_string_replace (svg, "id=\"", id_attr, 0);
  g_string_replace (svg, "href=\"#", href, 0);
  g_string_replace (svg, "url(#", url, 0);
  /* the text over the drawing, as the chart would have drawn it last */
  g_string_insert (svg, svg->len - strlen ("</svg>"), charts->texts->str);
  if (shared)
    {
      g_autofree char *group = g_strdup_printf ("<g id=\"%schart\">\n", prefix);
      g_string_insert (svg, strchr (svg->str, '>') + 1 - svg->str, group);
      g_string_insert (svg, svg->len - strlen ("</svg>"), "</g>\n");
    }
  g_string_replace (svg, "<svg ", "<svg role=\"img\" aria-label=\"\" ", 1);
  {
    /* the label is ours, but escape it all the same */
    g_autoptr(GString) aria = g_string_new ("aria-label=\"");
    esc (aria, label);
    g_string_append_c (aria, '"');
    g_string_replace (svg, "aria-label=\"\"", aria->str, 1);
  }
  g_string_append (s, svg->str);
}

/* Another alert's chart of the same host: drawn once, shown again, so a host
 * with many alerts costs one chart and not one per alert. */
static void
chart_again (GString    *s,
             guint       number,
             const char *label)
{
  g_string_append (s, "<svg role=\"img\" aria-label=\"");
  esc (s, label);
  g_string_append_printf (s, "\" xmlns=\"http://www.w3.org/2000/svg\" "
                             "xmlns:xlink=\"http://www.w3.org/1999/xlink\" width=\"%upt\" "
                             "height=\"%upt\" viewBox=\"0 0 %u %u\" version=\"1.1\">"
                             "<use xlink:href=\"#c%u-chart\"/></svg>",
                          CHART_WIDTH, CHART_HEIGHT, CHART_WIDTH, CHART_HEIGHT, number);
}

static void
stat (GString    *s,
      const char *klass,
      const char *number,
      const char *label)
{
  g_string_append_printf (s, "<div class=\"stat%s%s\"><span class=\"n\">", klass ? " " : "",
                          klass ? klass : "");
  esc (s, number);
  g_string_append (s, "</span><span class=\"l\">");
  esc (s, label);
  g_string_append (s, "</span></div>\n");
}

static void
write_head (DhReportContext *ctx,
            GString         *s)
{
  char buf[DH_TIME_FORMAT_SIZE];
  const char *page = ctx->opts->paper == DH_REPORT_PAPER_LETTER ? "letter" : "A4";

  g_string_append (s, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
  /* belt and braces: even if something slipped through, nothing would run
   * or load */
  g_string_append (s, "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                      "style-src 'unsafe-inline'; img-src data:\">\n");
  g_string_append (s, "<meta name=\"referrer\" content=\"no-referrer\">\n");
  g_string_append (s, "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
  g_string_append_printf (s, "<meta name=\"generator\" content=\"DNS Hunt %s\">\n", PACKAGE_VERSION);
  g_string_append (s, "<title>");
  esc (s, ctx->title);
  g_string_append (s, "</title>\n<style>\n");
  g_string_append (s, style);
  g_string_append_printf (s, "@page { size: %s; margin: 14mm 12mm 16mm; }\n", page);
  g_string_append (s, "</style>\n</head>\n<body>\n<main>\n");

  g_string_append (s, "<header class=\"report\">\n<p class=\"brand\">DNS Hunt</p>\n<h1>");
  esc (s, ctx->title);
  g_string_append (s, "</h1>\n<p class=\"meta\">");
  {
    g_autofree char *when = g_strdup_printf ("<time datetime=\"%s\">%s</time>",
                                             dh_time_format (ctx->written, buf), buf);
    g_string_append_printf (s, _("Written %s by DNS Hunt %s"), when, PACKAGE_VERSION);
  }
  g_string_append (s, "</p>\n</header>\n");
}

static void
write_overview (DhReportContext *ctx,
                Charts          *charts,
                GString         *s)
{
  char n1[32], n2[32], n3[32], n4[32], n5[32];
  g_autofree char *span = NULL;
  guint n_inputs = ctx->inputs->len;

  g_string_append_printf (s, "<section id=\"overview\">\n<h2>%s</h2>\n<div class=\"stats\">\n",
                          _("Overview"));
  g_snprintf (n1, sizeof n1, "%u", dh_event_store_get_n_events (ctx->store));
  g_snprintf (n2, sizeof n2, "%u", dh_alert_set_get_n_hosts (ctx->set));
  g_snprintf (n3, sizeof n3, "%u", ctx->by_severity[DH_SEVERITY_HIGH]);
  g_snprintf (n4, sizeof n4, "%u", ctx->by_severity[DH_SEVERITY_MEDIUM]);
  g_snprintf (n5, sizeof n5, "%u", ctx->by_severity[DH_SEVERITY_LOW]);
  stat (s, NULL, n1, _("events"));
  stat (s, NULL, n2, _("hosts"));
  stat (s, "high", n3, _("high alerts"));
  stat (s, "medium", n4, _("medium alerts"));
  stat (s, "low", n5, _("low alerts"));
  g_string_append (s, "</div>\n<table class=\"facts\">\n");

  if (ctx->has_span)
    {
      span = dh_report_format_duration (ctx->last_event - ctx->first_event);
      g_string_append_printf (s, "<tr><th>%s</th><td>", _("Time span"));
      time_element (s, ctx->first_event);
      g_string_append (s, " – ");
      time_element (s, ctx->last_event);
      g_string_append (s, " (");
      esc (s, span);
      g_string_append (s, ")</td></tr>\n");
    }
  if (ctx->opts->time_range)
    {
      g_string_append_printf (s, "<tr><th>%s</th><td>", _("Range asked"));
      esc (s, ctx->opts->time_range);
      g_string_append (s, "</td></tr>\n");
    }
  g_string_append_printf (s, "<tr><th>%s</th><td>%" G_GUINT64_FORMAT "</td></tr>\n",
                          _("Rejected lines"), dh_event_store_get_n_rejected (ctx->store));
  g_string_append_printf (s, "<tr><th>%s</th><td>", _("Alerts in this report"));
  g_string_append_printf (s, _("%u of %u"), ctx->alerts->len, dh_alert_set_get_n_alerts (ctx->set));
  g_string_append (s, "</td></tr>\n</table>\n");

  if (ctx->has_span)
    {
      g_string_append (s, "<figure>\n");
      chart_svg (ctx, charts, s, 0, FALSE, DH_TIMELINE_ALL_HOSTS, NULL, 0,
                 (const DhAlert * const *) ctx->alerts->pdata, ctx->alerts->len,
                 _("Queries of all hosts over time, with the alerts"));
      g_string_append_printf (s, "\n<figcaption>%s</figcaption>\n</figure>\n",
                              _("All queries in the inputs, stacked by response code; shaded "
                                "bands are the alerts of this report."));
    }

  g_string_append_printf (s, "<h3>%s</h3>\n", _("Inputs"));
  if (n_inputs > 0 && g_array_index (ctx->inputs, DhReportInput, 0).n_events >= 0)
    {
      g_string_append_printf (s, "<table class=\"inputs\">\n<thead><tr><th>%s</th>"
                                 "<th class=\"num\">%s</th><th class=\"num\">%s</th></tr></thead>\n"
                                 "<tbody>\n", _("Input"), _("Events"), _("Rejected lines"));
      for (guint i = 0; i < n_inputs && i < DH_REPORT_MAX_INPUTS_SHOWN; i++)
        {
          const DhReportInput *in = &g_array_index (ctx->inputs, DhReportInput, i);
          g_string_append (s, "<tr><td>");
          log_code (s, in->name);
          g_string_append_printf (s, "</td><td class=\"num\">%" G_GINT64_FORMAT "</td>"
                                     "<td class=\"num\">%" G_GINT64_FORMAT "</td></tr>\n",
                                  in->n_events, in->n_rejected);
        }
      g_string_append (s, "</tbody>\n</table>\n");
    }
  else if (n_inputs > 0)
    {
      g_string_append (s, "<ul>\n");
      for (guint i = 0; i < n_inputs && i < DH_REPORT_MAX_INPUTS_SHOWN; i++)
        {
          g_string_append (s, "<li>");
          log_code (s, g_array_index (ctx->inputs, DhReportInput, i).name);
          g_string_append (s, "</li>\n");
        }
      g_string_append (s, "</ul>\n");
    }
  else
    g_string_append_printf (s, "<p>%s</p>\n", _("None."));
  if (n_inputs > DH_REPORT_MAX_INPUTS_SHOWN)
    {
      g_string_append (s, "<p class=\"more\">");
      g_string_append_printf (s, _("… and %u more inputs."), n_inputs - DH_REPORT_MAX_INPUTS_SHOWN);
      g_string_append (s, "</p>\n");
    }
  g_string_append (s, "</section>\n");
}

static void
host_with_id (DhReportContext *ctx,
              GString         *s,
              const DhAlert   *a)
{
  log_code (s, dh_report_context_string (ctx, a->host));
  if (*dh_report_context_string (ctx, a->srcid))
    {
      g_string_append (s, "<br>");
      log_code (s, dh_report_context_string (ctx, a->srcid));
    }
}

static void
write_summary (DhReportContext *ctx,
               GString         *s)
{
  gboolean triage = ctx->opts->triage != NULL;

  g_string_append_printf (s, "<section id=\"alerts\">\n<h2>%s</h2>\n", _("Alerts"));
  if (ctx->alerts->len == 0)
    {
      g_string_append_printf (s, "<p>%s</p>\n</section>\n", _("No alerts."));
      return;
    }
  g_string_append_printf (s, "<table class=\"summary\">\n<thead><tr><th class=\"num c-no\">#</th>"
                             "<th class=\"c-sev\">%s</th><th>%s</th><th class=\"c-host\">%s</th>"
                             "<th class=\"num c-count\">%s</th><th class=\"c-time\">%s</th>"
                             "<th class=\"c-time\">%s</th>",
                          _("Severity"), _("Rule"), _("Host"), _("Events"), _("First seen (UTC)"),
                          _("Last seen (UTC)"));
  if (triage)
    g_string_append_printf (s, "<th class=\"c-triage\">%s</th>", _("Triage"));
  g_string_append (s, "</tr></thead>\n<tbody>\n");
  for (guint i = 0; i < ctx->alerts->len; i++)
    {
      const DhAlert *a = ctx->alerts->pdata[i];
      const DhRule *rule = dh_rule_book_get_rule (ctx->book, a->rule);

      g_string_append_printf (s, "<tr><td class=\"num\"><a href=\"#alert-%u\">%u</a></td><td>",
                              i + 1, i + 1);
      severity_badge (s, a->severity);
      g_string_append (s, "</td><td><a href=\"#alert-");
      g_string_append_printf (s, "%u\">", i + 1);
      esc (s, rule->title);
      g_string_append (s, "</a></td><td>");
      host_with_id (ctx, s, a);
      g_string_append_printf (s, "</td><td class=\"num\">%u</td><td>", a->count);
      time_element_short (s, a->first_seen);
      g_string_append (s, "</td><td>");
      time_element_short (s, a->last_seen);
      g_string_append (s, "</td>");
      if (triage)
        {
          g_string_append (s, "<td>");
          esc (s, dh_triage_state_get_label (dh_report_context_get_triage (ctx, i)->state));
          g_string_append (s, "</td>");
        }
      g_string_append (s, "</tr>\n");
    }
  g_string_append (s, "</tbody>\n</table>\n</section>\n");
}

static void
fact (GString    *s,
      const char *label)
{
  g_string_append (s, "<tr><th>");
  esc (s, label);
  g_string_append (s, "</th><td>");
}

static void
mitre_item (GString          *s,
            const char       *kind,
            const DhMitreRef *ref)
{
  g_autofree char *label = g_strdup_printf ("%s %s", ref->id, ref->name);

  g_string_append (s, "<li><span class=\"k\">");
  esc (s, kind);
  g_string_append (s, "</span>");
  link_to (s, label, ref->url);
  g_string_append (s, "</li>\n");
}

static void
write_alert (DhReportContext *ctx,
             Charts          *charts,
             GString         *s,
             guint            i)
{
  const DhAlert *a = ctx->alerts->pdata[i];
  const DhRule *rule = dh_rule_book_get_rule (ctx->book, a->rule);
  const DhReportTriage *triage = dh_report_context_get_triage (ctx, i);
  g_autofree char *duration = dh_report_format_duration (a->last_seen - a->first_seen);
  const DhReportHost *host = dh_report_context_get_host (ctx, a->host);
  g_autofree char *count = NULL;
  guint shown;

  g_string_append_printf (s, "<section class=\"alert\" id=\"alert-%u\">\n<h2><span class=\"no\">"
                             "%u.</span> ", i + 1, i + 1);
  esc (s, rule->title);
  g_string_append_c (s, ' ');
  severity_badge (s, a->severity);
  if (triage)
    {
      g_string_append (s, " <span class=\"triage\">");
      esc (s, dh_triage_state_get_label (triage->state));
      g_string_append (s, "</span>");
    }
  g_string_append (s, "</h2>\n<div class=\"cols\">\n<div>\n<table class=\"facts\">\n");

  fact (s, _("Rule"));
  g_string_append_printf (s, "<code>%s</code></td></tr>\n", rule->id);
  fact (s, _("Host"));
  log_code (s, dh_report_context_string (ctx, a->host));
  g_string_append (s, "</td></tr>\n");
  if (*dh_report_context_string (ctx, a->srcid))
    {
      fact (s, dh_report_srcid_label (a));
      log_code (s, dh_report_context_string (ctx, a->srcid));
      g_string_append (s, "</td></tr>\n");
    }
  if (*dh_report_context_string (ctx, a->vpc))
    {
      fact (s, "VPC");
      log_code (s, dh_report_context_string (ctx, a->vpc));
      g_string_append (s, "</td></tr>\n");
    }
  fact (s, _("First seen"));
  time_element (s, a->first_seen);
  g_string_append (s, "</td></tr>\n");
  fact (s, _("Last seen"));
  time_element (s, a->last_seen);
  g_string_append (s, " (");
  esc (s, duration);
  g_string_append (s, ")</td></tr>\n");
  fact (s, _("Events"));
  g_string_append_printf (s, "%u</td></tr>\n", a->count);
  fact (s, _("Distinct names"));
  g_string_append_printf (s, "%u</td></tr>\n", a->names->len);
  if (triage)
    {
      fact (s, _("Triage"));
      esc (s, dh_triage_state_get_label (triage->state));
      g_string_append (s, "</td></tr>\n");
    }
  g_string_append (s, "</table>\n</div>\n<div>\n");

  g_string_append (s, "<h3>MITRE ATT&amp;CK</h3>\n<ul class=\"mitre\">\n");
  mitre_item (s, _("Tactic"), &rule->tactic);
  mitre_item (s, _("Technique"), &rule->technique);
  if (rule->subtechnique.id)
    mitre_item (s, _("Sub-technique"), &rule->subtechnique);
  g_string_append (s, "</ul>\n");
  g_string_append_printf (s, "<h3>%s</h3>\n<p>", _("Impact"));
  esc (s, rule->impact);
  g_string_append (s, "</p>\n</div>\n</div>\n");

  if (triage && triage->note && *triage->note)
    {
      g_string_append_printf (s, "<h3>%s</h3>\n<div class=\"note\">", _("Analyst's note"));
      /* the note keeps its line breaks (pre-wrap); other controls show as escapes */
      {
        g_auto(GStrv) lines = g_strsplit (triage->note, "\n", -1);
        for (guint k = 0; lines[k]; k++)
          {
            if (k)
              g_string_append_c (s, '\n');
            esc (s, lines[k]);
          }
      }
      g_string_append (s, "</div>\n");
    }

  g_string_append_printf (s, "<h3>%s</h3>\n<p>", _("Description"));
  esc (s, rule->description);
  g_string_append_printf (s, "</p>\n<h3>%s</h3>\n<ol>\n", _("Mitigation"));
  for (guint k = 0; k < rule->mitigation->len; k++)
    {
      g_string_append (s, "<li>");
      esc (s, rule->mitigation->pdata[k]);
      g_string_append (s, "</li>\n");
    }
  g_string_append_printf (s, "</ol>\n<h3>%s</h3>\n<ul>\n", _("References"));
  for (guint k = 0; k < rule->references->len; k++)
    {
      const DhReference *ref = rule->references->pdata[k];
      g_string_append (s, "<li>");
      link_to (s, ref->title, ref->url);
      g_string_append (s, "</li>\n");
    }
  g_string_append (s, "</ul>\n");

  g_string_append_printf (s, "<h3>%s</h3>\n<figure>\n", _("Timeline of the host"));
  if (host->first == i)
    chart_svg (ctx, charts, s, i + 1, host->alerts->len > 1, a->host, host->events,
               host->n_events, (const DhAlert * const *) host->alerts->pdata, host->alerts->len,
               _("Queries of the host over time, with its alerts"));
  else
    chart_again (s, host->first + 1, _("Queries of the host over time, with its alerts"));
  g_string_append (s, "\n<figcaption>");
  g_string_append (s, _("Every query of "));
  log_code (s, dh_report_context_string (ctx, a->host));
  g_string_append (s, _(" in the inputs, stacked by response code; shaded bands are its alerts "
                        "in this report."));
  g_string_append (s, "</figcaption>\n</figure>\n");

  shown = MIN (a->names->len, ctx->max_evidence);
  g_string_append_printf (s, "<h3>%s (%u)</h3>\n<ul class=\"names\">\n", _("Distinct names"),
                          a->names->len);
  for (guint k = 0; k < shown; k++)
    {
      g_string_append (s, "<li>");
      log_code (s, dh_report_context_string (ctx, g_array_index (a->names, guint32, k)));
      g_string_append (s, "</li>\n");
    }
  g_string_append (s, "</ul>\n");
  if (shown < a->names->len)
    {
      g_string_append (s, "<p class=\"more\">");
      g_string_append_printf (s, _("… and %u more."), a->names->len - shown);
      g_string_append (s, "</p>\n");
    }

  count = dh_report_context_evidence_count (ctx, a, &shown);
  g_string_append_printf (s, "<h3>%s (%s", _("Evidence"), count);
  g_string_append_printf (s, ")</h3>\n<table class=\"evidence\">\n<thead><tr>"
                             "<th class=\"c-etime\">%s</th><th class=\"c-name\">%s</th>"
                             "<th class=\"c-type\">%s</th><th class=\"c-rcode\">%s</th>"
                             "<th class=\"c-tr\">%s</th><th>%s</th></tr></thead>\n<tbody>\n",
                          _("Time"), _("Name"), _("Type"), _("Rcode"), _("Transport"),
                          _("Answers"));
  for (guint k = 0; k < shown; k++)
    {
      const DhEvent *ev = dh_event_store_get_event (ctx->store,
                                                    g_array_index (a->events, guint32, k));
      g_autofree char *answers = dh_report_context_answers (ctx, ev);

      g_string_append (s, "<tr><td>");
      time_element (s, ev->time);
      g_string_append (s, "</td><td>");
      log_code (s, dh_report_context_string (ctx, ev->name));
      g_string_append (s, "</td><td>");
      esc (s, dh_event_store_get_atom (ctx->store, DH_ATOMS_QTYPE, ev->qtype));
      g_string_append (s, "</td><td>");
      esc (s, dh_event_store_get_atom (ctx->store, DH_ATOMS_RCODE, ev->rcode));
      g_string_append (s, "</td><td>");
      esc (s, dh_event_store_get_atom (ctx->store, DH_ATOMS_TRANSPORT, ev->transport));
      g_string_append (s, "</td><td>");
      if (*answers)
        log_code (s, answers);
      g_string_append (s, "</td></tr>\n");
    }
  g_string_append (s, "</tbody>\n</table>\n</section>\n");
}

static gboolean
html_begin (DhReportContext  *ctx,
            GString          *s,
            gpointer         *state,
            GError          **error)
{
  Charts *charts = g_new0 (Charts, 1);

  charts->texts = g_string_new (NULL);
  charts->text = dh_timeline_text_new (append_text, charts->texts);
  *state = charts;
  write_head (ctx, s);
  write_overview (ctx, charts, s);
  write_summary (ctx, s);
  return TRUE;
}

static gboolean
html_alert (DhReportContext  *ctx,
            gpointer          charts,
            GString          *s,
            guint             i,
            GError          **error)
{
  write_alert (ctx, charts, s, i);
  return TRUE;
}

static gboolean
html_end (DhReportContext  *ctx,
          gpointer          charts,
          GString          *s,
          GError          **error)
{
  g_string_append (s, "<footer><p>");
  g_string_append_printf (s, _("Written by DNS Hunt %s. Strings from the logs are shown as "
                               "logged; invalid UTF-8 appears as \uFFFD, and control or "
                               "invisible characters as \\xNN or \\uNNNN."),
                          PACKAGE_VERSION);
  g_string_append (s, "</p></footer>\n</main>\n</body>\n</html>\n");
  return TRUE;
}

static void
html_free (gpointer data,
           gboolean written)
{
  Charts *charts = data;

  if (charts == NULL)
    return;
  g_clear_pointer (&charts->text, dh_timeline_text_free);
  g_string_free (charts->texts, TRUE);
  g_free (charts);
}

const DhReportWriter dh_report_writer_html = {
  .begin = html_begin,
  .alert = html_alert,
  .end = html_end,
  .free_state = html_free,
};
