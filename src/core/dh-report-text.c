/* dh-report-text.c: the text report, what `dnshunt scan` prints by default
 *
 * A summary, then the alerts grouped by severity, most severe first. Every
 * string from a log goes through dh_text_sanitize(): a name cannot move the
 * cursor or recolour a terminal.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "dh-escape.h"
#include "dh-report-private.h"
#include "dh-time.h"

typedef struct
{
  int severity;   /* of the last alert written: its group's heading is out */
} Text;

static void
append_names (GString         *s,
              DhReportContext *ctx,
              const DhAlert   *alert,
              guint            max)
{
  for (guint i = 0; i < alert->names->len && i < max; i++)
    {
      g_string_append (s, i ? ", " : "");
      dh_text_sanitize_append (s, dh_report_context_string (ctx, g_array_index (alert->names,
                                                                                guint32, i)));
    }
  if (alert->names->len > max)
    g_string_append_printf (s, _(" (+%u more)"), alert->names->len - max);
}

static gboolean
text_begin (DhReportContext  *ctx,
            GString          *s,
            gpointer         *state,
            GError          **error)
{
  Text *text = g_new0 (Text, 1);
  char b1[DH_TIME_FORMAT_SIZE], b2[DH_TIME_FORMAT_SIZE];

  text->severity = -1;
  *state = text;
  g_string_append_printf (s, _("DNS Hunt %s: %u events, %u hosts"), PACKAGE_VERSION,
                          dh_event_store_get_n_events (ctx->store),
                          dh_alert_set_get_n_hosts (ctx->set));
  if (ctx->has_span)
    g_string_append_printf (s, _(", %s to %s"), dh_time_format (ctx->first_event, b1),
                            dh_time_format (ctx->last_event, b2));
  g_string_append_c (s, '\n');
  g_string_append_printf (s, _("Inputs: %u, rejected lines: %" G_GUINT64_FORMAT "\n"),
                          dh_event_store_get_n_sources (ctx->store),
                          dh_event_store_get_n_rejected (ctx->store));
  g_string_append_printf (s, _("Alerts: %u (%u high, %u medium, %u low)\n"), ctx->alerts->len,
                          ctx->by_severity[DH_SEVERITY_HIGH],
                          ctx->by_severity[DH_SEVERITY_MEDIUM],
                          ctx->by_severity[DH_SEVERITY_LOW]);
  return TRUE;
}

static gboolean
text_alert (DhReportContext  *ctx,
            gpointer          state,
            GString          *s,
            guint             i,
            GError          **error)
{
  Text *text = state;
  const DhAlert *a = ctx->alerts->pdata[i];
  const DhRule *rule = dh_rule_book_get_rule (ctx->book, a->rule);
  const DhReportTriage *triage = dh_report_context_get_triage (ctx, i);
  g_autofree char *host = dh_text_sanitize (dh_report_context_string (ctx, a->host));
  g_autofree char *srcid = dh_text_sanitize (dh_report_context_string (ctx, a->srcid));
  g_autofree char *vpc = dh_text_sanitize (dh_report_context_string (ctx, a->vpc));
  char b1[DH_TIME_FORMAT_SIZE], b2[DH_TIME_FORMAT_SIZE];

  if ((int) a->severity != text->severity)
    {
      g_autofree char *up = g_ascii_strup (dh_severity_to_string (a->severity), -1);

      text->severity = a->severity;
      g_string_append_printf (s, "\n== %s ==\n", up);
    }
  g_string_append_printf (s, "\n[%s] %s\n", rule->id, rule->title);
  g_string_append_printf (s, "  MITRE:  %s %s / %s %s", rule->tactic.id, rule->tactic.name,
                          rule->technique.id, rule->technique.name);
  if (rule->subtechnique.id)
    g_string_append_printf (s, " / %s %s", rule->subtechnique.id, rule->subtechnique.name);
  g_string_append_c (s, '\n');
  g_string_append_printf (s, _("  Host:   %s"), host);
  if (*srcid)
    g_string_append_printf (s, " (%s)", srcid);
  if (*vpc)
    g_string_append_printf (s, "  %s", vpc);
  g_string_append_c (s, '\n');
  g_string_append_printf (s, _("  Time:   %s to %s, %u events, %u names\n"),
                          dh_time_format (a->first_seen, b1), dh_time_format (a->last_seen, b2),
                          a->count, a->names->len);
  g_string_append (s, _("  Names:  "));
  append_names (s, ctx, a, 5);
  g_string_append_c (s, '\n');
  if (triage)
    {
      g_string_append_printf (s, _("  Triage: %s"), dh_triage_state_get_label (triage->state));
      if (triage->note && *triage->note)
        {
          g_string_append (s, " \u2014 ");
          dh_text_sanitize_append (s, triage->note);
        }
      g_string_append_c (s, '\n');
    }
  return TRUE;
}

static gboolean
text_end (DhReportContext  *ctx,
          gpointer          state,
          GString          *s,
          GError          **error)
{
  if (ctx->alerts->len == 0)
    g_string_append (s, _("\nNo alerts.\n"));
  return TRUE;
}

static void
text_free (gpointer state,
           gboolean written)
{
  g_free (state);
}

const DhReportWriter dh_report_writer_text = {
  .begin = text_begin,
  .alert = text_alert,
  .end = text_end,
  .free_state = text_free,
  .by_severity = TRUE,
};
