/* dh-report-md.c: the incident report as GitHub-flavoured Markdown
 *
 * For a ticket or a wiki page. Strings from logs go in code spans
 * (dh_escape_markdown_code), where Markdown, HTML and autolinks are inert and
 * table pipes are escaped; prose from the rule book goes through
 * dh_escape_markdown_text. The timeline is a line of block characters, as a
 * chart cannot be embedded portably.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "dh-report-private.h"
#include "dh-time.h"
#include "dh-timeline-render.h"

#define SPARK_BUCKETS 72

static void
text (GString    *s,
      const char *prose)
{
  dh_escape_markdown_text_append (s, prose);
}

static void
code (GString    *s,
      const char *log_string,
      gboolean    in_table)
{
  dh_escape_markdown_code_append (s, log_string, in_table);
}

static void
md_link (GString    *s,
         const char *label,
         const char *url)
{
  if (!dh_escape_is_web_url (url))
    {
      text (s, label);
      return;
    }
  g_string_append_c (s, '[');
  text (s, label);
  if (strpbrk (url, "()"))
    g_string_append_printf (s, "](<%s>)", url);
  else
    g_string_append_printf (s, "](%s)", url);
}

static void
mitre_link (GString          *s,
            const DhMitreRef *ref)
{
  g_autofree char *label = g_strdup_printf ("%s %s", ref->id, ref->name);

  md_link (s, label, ref->url);
}

/* GitHub's heading anchors: lower case, punctuation dropped, spaces to
 * hyphens. Our headings are "N. rule title", so they are unique. */
static char *
anchor (guint       number,
        const char *title)
{
  g_autofree char *heading = g_strdup_printf ("%u. %s", number, title);
  g_autofree char *lower = g_utf8_strdown (heading, -1);
  GString *s = g_string_new ("#");

  for (const char *p = lower; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      if (c == ' ')
        g_string_append_c (s, '-');
      else if (g_unichar_isalnum (c) || c == '-' || c == '_')
        g_string_append_unichar (s, c);
    }
  return g_string_free (s, FALSE);
}

static void
format_time (GString *s,
             gint64   t)
{
  char buf[DH_TIME_FORMAT_SIZE];

  g_string_append (s, dh_time_format (t, buf));
}

static void
host_cell (DhReportContext *ctx,
           GString         *s,
           const DhAlert   *a)
{
  code (s, dh_report_context_string (ctx, a->host), TRUE);
  if (a->srcid != DH_STR_EMPTY && *dh_report_context_string (ctx, a->srcid))
    {
      g_string_append (s, " (");
      code (s, dh_report_context_string (ctx, a->srcid), TRUE);
      g_string_append (s, ")");
    }
}

static void
write_overview (DhReportContext *ctx,
                GString         *s)
{
  g_autofree char *sev = dh_report_severity_counts (ctx->by_severity);
  char buf[DH_TIME_FORMAT_SIZE];
  guint n_inputs = ctx->inputs->len;

  g_string_append (s, "# ");
  text (s, ctx->title);
  g_string_append (s, "\n\n");
  g_string_append_printf (s, _("Written %s by DNS Hunt %s."), dh_time_format (ctx->written, buf),
                          PACKAGE_VERSION);
  g_string_append (s, "\n\n");

  g_string_append_printf (s, "## %s\n\n", _("Overview"));
  g_string_append (s, "| | |\n| --- | --- |\n");
  g_string_append_printf (s, _("| Events | %u (%" G_GUINT64_FORMAT " rejected lines) |\n"),
                          dh_event_store_get_n_events (ctx->store),
                          dh_event_store_get_n_rejected (ctx->store));
  g_string_append_printf (s, _("| Hosts | %u |\n"), dh_alert_set_get_n_hosts (ctx->set));
  if (ctx->has_span)
    {
      g_autofree char *span = dh_report_format_duration (ctx->last_event - ctx->first_event);
      char b2[DH_TIME_FORMAT_SIZE];
      g_string_append_printf (s, _("| Time span | %s to %s (%s) |\n"),
                              dh_time_format (ctx->first_event, buf),
                              dh_time_format (ctx->last_event, b2), span);
    }
  if (ctx->opts->time_range)
    {
      g_string_append_printf (s, "| %s | ", _("Range asked"));
      code (s, ctx->opts->time_range, TRUE);
      g_string_append (s, " |\n");
    }
  g_string_append_printf (s, _("| Alerts in this report | %u of %u: %s |\n\n"),
                          ctx->alerts->len, dh_alert_set_get_n_alerts (ctx->set), sev);

  g_string_append_printf (s, "### %s\n\n", _("Inputs"));
  if (n_inputs == 0)
    g_string_append_printf (s, "%s\n\n", _("None."));
  else if (g_array_index (ctx->inputs, DhReportInput, 0).n_events < 0)
    {
      for (guint i = 0; i < n_inputs && i < DH_REPORT_MAX_INPUTS_SHOWN; i++)
        {
          g_string_append (s, "- ");
          code (s, g_array_index (ctx->inputs, DhReportInput, i).name, FALSE);
          g_string_append_c (s, '\n');
        }
      g_string_append_c (s, '\n');
    }
  else
    {
      g_string_append_printf (s, "| %s | %s | %s |\n| --- | ---: | ---: |\n", _("Input"),
                              _("Events"), _("Rejected lines"));
      for (guint i = 0; i < n_inputs && i < DH_REPORT_MAX_INPUTS_SHOWN; i++)
        {
          const DhReportInput *in = &g_array_index (ctx->inputs, DhReportInput, i);
          g_string_append (s, "| ");
          code (s, in->name, TRUE);
          g_string_append_printf (s, " | %" G_GINT64_FORMAT " | %" G_GINT64_FORMAT " |\n",
                                  in->n_events, in->n_rejected);
        }
      g_string_append_c (s, '\n');
    }
  if (n_inputs > DH_REPORT_MAX_INPUTS_SHOWN)
    {
      g_string_append_printf (s, _("… and %u more inputs."), n_inputs - DH_REPORT_MAX_INPUTS_SHOWN);
      g_string_append (s, "\n\n");
    }
}

static void
write_summary (DhReportContext *ctx,
               GString         *s)
{
  gboolean triage = ctx->opts->triage != NULL;

  g_string_append_printf (s, "## %s\n\n", _("Alerts"));
  if (ctx->alerts->len == 0)
    {
      g_string_append_printf (s, "%s\n\n", _("No alerts."));
      return;
    }
  g_string_append_printf (s, "| # | %s | %s | %s | %s | %s | %s |", _("Severity"), _("Rule"),
                          _("Host"), _("Events"), _("First seen"), _("Last seen"));
  if (triage)
    g_string_append_printf (s, " %s |", _("Triage"));
  g_string_append (s, "\n| ---: | --- | --- | --- | ---: | --- | --- |");
  if (triage)
    g_string_append (s, " --- |");
  g_string_append_c (s, '\n');

  for (guint i = 0; i < ctx->alerts->len; i++)
    {
      const DhAlert *a = ctx->alerts->pdata[i];
      const DhRule *rule = dh_rule_book_get_rule (ctx->book, a->rule);
      g_autofree char *target = anchor (i + 1, rule->title);

      g_string_append_printf (s, "| [%u](%s) | %s | `%s` | ", i + 1, target,
                              dh_severity_to_string (a->severity), rule->id);
      host_cell (ctx, s, a);
      g_string_append_printf (s, " | %u | ", a->count);
      format_time (s, a->first_seen);
      g_string_append (s, " | ");
      format_time (s, a->last_seen);
      g_string_append (s, " |");
      if (triage)
        {
          g_string_append_c (s, ' ');
          text (s, dh_triage_state_get_label (dh_report_context_get_triage (ctx, i)->state));
          g_string_append (s, " |");
        }
      g_string_append_c (s, '\n');
    }
  g_string_append_c (s, '\n');
}

/* The host's queries as a line of block characters, and under it a line
 * marking its alerts. The same for every alert of a host, so @memo keeps it
 * for hosts with more than one: host id -> text. */
static void
write_sparkline (DhReportContext *ctx,
                 GHashTable      *memo,
                 GString         *s,
                 const DhAlert   *alert)
{
  static const char *levels[] = { "\u2581", "\u2582", "\u2583", "\u2584", "\u2585", "\u2586",
                                  "\u2587", "\u2588" };
  const DhReportHost *host = dh_report_context_get_host (ctx, alert->host);
  const char *known = g_hash_table_lookup (memo, GUINT_TO_POINTER (alert->host));
  g_autoptr(DhTimelineBins) bins = NULL;
  g_autofree char *step = NULL;
  g_autofree int *delta = NULL;
  gint64 start, end, last;
  char b1[DH_TIME_FORMAT_SIZE], b2[DH_TIME_FORMAT_SIZE];
  gsize at = s->len;
  int depth = 0;

  if (known)
    {
      g_string_append (s, known);
      return;
    }
  dh_report_context_chart_range (ctx, &start, &end);
  bins = dh_timeline_bins_new_for_events (ctx->store, host->events, host->n_events, alert->host,
                                          start, end, SPARK_BUCKETS);
  step = dh_report_format_duration (bins->bucket);

  g_string_append_printf (s, _("**Timeline** of the host: queries per %s, %s to %s; "
                               "`^` marks its alerts in this report."), step,
                          dh_time_format (bins->first, b1), dh_time_format (bins->end, b2));
  g_string_append (s, "\n\n```text\n");
  for (guint b = 0; b < bins->n_buckets; b++)
    {
      guint n = dh_timeline_bins_get_total (bins, b);
      if (n == 0)
        g_string_append (s, "\u00b7");
      else
        g_string_append (s, levels[MIN (7, (n * 8 - 1) / MAX (bins->max_total, 1))]);
    }
  g_string_append_c (s, '\n');

  /* a bucket is marked when an alert overlaps it: one pass over the alerts */
  delta = g_new0 (int, bins->n_buckets + 1);
  last = bins->first + (gint64) bins->n_buckets * bins->bucket;
  for (guint k = 0; k < host->alerts->len; k++)
    {
      const DhAlert *h = host->alerts->pdata[k];
      guint from, to;

      if (h->last_seen < bins->first || h->first_seen >= last)
        continue;
      from = h->first_seen < bins->first ? 0
                                          : (guint) ((h->first_seen - bins->first) / bins->bucket);
      to = (guint) MIN ((h->last_seen - bins->first) / bins->bucket, (gint64) bins->n_buckets - 1);
      delta[from]++;
      delta[to + 1]--;
    }
  for (guint b = 0; b < bins->n_buckets; b++)
    {
      depth += delta[b];
      g_string_append_c (s, depth > 0 ? '^' : ' ');
    }
  /* no trailing spaces */
  while (s->len > 0 && s->str[s->len - 1] == ' ')
    g_string_truncate (s, s->len - 1);
  g_string_append_printf (s, "\n```\n\n");
  if (host->alerts->len > 1)
    g_hash_table_insert (memo, GUINT_TO_POINTER (alert->host), g_strdup (s->str + at));
}

static void
write_alert (DhReportContext *ctx,
             GHashTable      *sparklines,
             GString         *s,
             guint            i)
{
  const DhAlert *a = ctx->alerts->pdata[i];
  const DhRule *rule = dh_rule_book_get_rule (ctx->book, a->rule);
  const DhReportTriage *triage = dh_report_context_get_triage (ctx, i);
  g_autofree char *duration = dh_report_format_duration (a->last_seen - a->first_seen);
  g_autofree char *count = NULL;
  guint shown;

  g_string_append_printf (s, "## %u. ", i + 1);
  text (s, rule->title);
  g_string_append (s, "\n\n| | |\n| --- | --- |\n");
  g_string_append_printf (s, "| %s | **%s** |\n", _("Severity"), dh_severity_to_string (a->severity));
  g_string_append_printf (s, "| %s | `%s` |\n", _("Rule"), rule->id);
  g_string_append_printf (s, "| %s | ", _("Host"));
  code (s, dh_report_context_string (ctx, a->host), TRUE);
  g_string_append (s, " |\n");
  if (*dh_report_context_string (ctx, a->srcid))
    {
      g_string_append_printf (s, "| %s | ", dh_report_srcid_label (a));
      code (s, dh_report_context_string (ctx, a->srcid), TRUE);
      g_string_append (s, " |\n");
    }
  if (*dh_report_context_string (ctx, a->vpc))
    {
      g_string_append (s, "| VPC | ");
      code (s, dh_report_context_string (ctx, a->vpc), TRUE);
      g_string_append (s, " |\n");
    }
  g_string_append_printf (s, "| %s | ", _("First seen"));
  format_time (s, a->first_seen);
  g_string_append_printf (s, " |\n| %s | ", _("Last seen"));
  format_time (s, a->last_seen);
  g_string_append_printf (s, " (%s) |\n", duration);
  g_string_append_printf (s, "| %s | %u |\n", _("Events"), a->count);
  g_string_append_printf (s, "| %s | %u |\n", _("Distinct names"), a->names->len);
  if (triage)
    {
      g_string_append_printf (s, "| %s | **", _("Triage"));
      text (s, dh_triage_state_get_label (triage->state));
      g_string_append (s, "**");
      if (triage->note && *triage->note)
        {
          g_string_append (s, ": ");
          code (s, triage->note, TRUE);
        }
      g_string_append (s, " |\n");
    }
  g_string_append (s, "| MITRE ATT&CK | ");
  mitre_link (s, &rule->tactic);
  g_string_append (s, " / ");
  mitre_link (s, &rule->technique);
  if (rule->subtechnique.id)
    {
      g_string_append (s, " / ");
      mitre_link (s, &rule->subtechnique);
    }
  g_string_append (s, " |\n\n");

  g_string_append_printf (s, "**%s** ", _("Description."));
  text (s, rule->description);
  g_string_append_printf (s, "\n\n**%s** ", _("Impact."));
  text (s, rule->impact);
  g_string_append_printf (s, "\n\n**%s**\n\n", _("Mitigation"));
  for (guint k = 0; k < rule->mitigation->len; k++)
    {
      g_string_append_printf (s, "%u. ", k + 1);
      text (s, rule->mitigation->pdata[k]);
      g_string_append_c (s, '\n');
    }
  g_string_append_printf (s, "\n**%s**\n\n", _("References"));
  for (guint k = 0; k < rule->references->len; k++)
    {
      const DhReference *ref = rule->references->pdata[k];
      g_string_append (s, "- ");
      md_link (s, ref->title, ref->url);
      g_string_append_c (s, '\n');
    }
  g_string_append_c (s, '\n');

  write_sparkline (ctx, sparklines, s, a);

  shown = MIN (a->names->len, ctx->max_evidence);
  g_string_append_printf (s, "**%s** (", _("Distinct names"));
  if (shown < a->names->len)
    g_string_append_printf (s, _("first %u of %u"), shown, a->names->len);
  else
    g_string_append_printf (s, "%u", a->names->len);
  g_string_append (s, ")\n\n");
  for (guint k = 0; k < shown; k++)
    {
      g_string_append (s, "- ");
      code (s, dh_report_context_string (ctx, g_array_index (a->names, guint32, k)), FALSE);
      g_string_append_c (s, '\n');
    }
  g_string_append_c (s, '\n');

  count = dh_report_context_evidence_count (ctx, a, &shown);
  g_string_append_printf (s, "**%s** (%s", _("Evidence"), count);
  g_string_append_printf (s, ")\n\n| %s | %s | %s | %s | %s | %s |\n"
                             "| --- | --- | --- | --- | --- | --- |\n",
                          _("Time"), _("Name"), _("Type"), _("Rcode"), _("Transport"),
                          _("Answers"));
  for (guint k = 0; k < shown; k++)
    {
      const DhEvent *ev = dh_event_store_get_event (ctx->store,
                                                    g_array_index (a->events, guint32, k));
      g_autofree char *answers = dh_report_context_answers (ctx, ev);

      g_string_append (s, "| ");
      format_time (s, ev->time);
      g_string_append (s, " | ");
      code (s, dh_report_context_string (ctx, ev->name), TRUE);
      g_string_append (s, " | ");
      code (s, dh_event_store_get_atom (ctx->store, DH_ATOMS_QTYPE, ev->qtype), TRUE);
      g_string_append (s, " | ");
      code (s, dh_event_store_get_atom (ctx->store, DH_ATOMS_RCODE, ev->rcode), TRUE);
      g_string_append (s, " | ");
      code (s, dh_event_store_get_atom (ctx->store, DH_ATOMS_TRANSPORT, ev->transport), TRUE);
      g_string_append (s, " | ");
      code (s, answers, TRUE);
      g_string_append (s, " |\n");
    }
  g_string_append_c (s, '\n');
}

static gboolean
md_begin (DhReportContext  *ctx,
          GString          *s,
          gpointer         *state,
          GError          **error)
{
  /* each host's timeline, drawn once and written again for its other alerts */
  *state = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  write_overview (ctx, s);
  write_summary (ctx, s);
  return TRUE;
}

static gboolean
md_alert (DhReportContext  *ctx,
          gpointer          sparklines,
          GString          *s,
          guint             i,
          GError          **error)
{
  write_alert (ctx, sparklines, s, i);
  return TRUE;
}

static void
md_free (gpointer sparklines,
         gboolean written)
{
  g_clear_pointer (&sparklines, g_hash_table_unref);
}

const DhReportWriter dh_report_writer_markdown = {
  .begin = md_begin,
  .alert = md_alert,
  .free_state = md_free,
};
