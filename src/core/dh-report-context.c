/* dh-report-context.c: what every report writer shares
 *
 * One report being written: the alerts chosen, the options resolved, each
 * host's alerts and events indexed once (so no writer looks through every
 * alert or every event for one alert), and the one loop that runs a writer:
 * its beginning, each alert, its end, with the output flushed, progress
 * reported and Cancel checked between alerts (dh_report_context_run()).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "dh-report-private.h"
#include "dh-time.h"

/* what a writer may hold before it is written out */
#define FLUSH_SIZE (64 * 1024)

gboolean
dh_report_context_init (DhReportContext       *ctx,
                        DhAlertSet            *set,
                        const DhReportOptions *opts,
                        GOutputStream         *out,
                        GCancellable          *cancellable,
                        GError               **error)
{
  static const DhReportOptions defaults = { 0 };
  guint n_alerts = dh_alert_set_get_n_alerts (set);

  memset (ctx, 0, sizeof *ctx);
  ctx->set = dh_alert_set_ref (set);
  ctx->store = dh_alert_set_get_store (set);
  ctx->book = dh_alert_set_get_rule_book (set);
  ctx->opts = opts ? opts : &defaults;
  ctx->out = out;
  ctx->cancellable = cancellable;
  ctx->alerts = g_ptr_array_new ();
  ctx->indices = g_array_new (FALSE, FALSE, sizeof (guint));
  ctx->inputs = g_array_new (FALSE, TRUE, sizeof (DhReportInput));

  opts = ctx->opts;
  if (opts->selection)
    {
      for (guint i = 0; i < opts->n_selection; i++)
        {
          guint index = opts->selection[i];
          if (index >= n_alerts)
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           "Alert %u is not in the set (%u alerts)", index, n_alerts);
              return FALSE;
            }
          g_ptr_array_add (ctx->alerts, (gpointer) dh_alert_set_get_alert (set, index));
          g_array_append_val (ctx->indices, index);
        }
    }
  else
    for (guint i = 0; i < n_alerts; i++)
      {
        g_ptr_array_add (ctx->alerts, (gpointer) dh_alert_set_get_alert (set, i));
        g_array_append_val (ctx->indices, i);
      }

  for (guint i = 0; i < ctx->alerts->len; i++)
    ctx->by_severity[((const DhAlert *) ctx->alerts->pdata[i])->severity]++;

  /* the title is the caller's, but may come from anywhere: keep it valid */
  ctx->title = g_utf8_make_valid (opts->title && *opts->title ? opts->title
                                                              : _("DNS Hunt incident report"), -1);
  /* whole seconds: a report says when, not how fast */
  ctx->written = opts->written ? opts->written : g_get_real_time ();
  ctx->written -= ctx->written % DH_USEC_PER_SEC;
  ctx->has_span = dh_event_store_get_time_span (ctx->store, &ctx->first_event,
                                                &ctx->last_event);
  ctx->max_evidence = opts->max_evidence ? opts->max_evidence : dh_report_get_max_evidence (set);

  if (opts->inputs)
    for (guint i = 0; opts->inputs[i]; i++)
      {
        DhReportInput in = { g_strdup (opts->inputs[i]), -1, -1 };
        g_array_append_val (ctx->inputs, in);
      }
  else
    for (guint i = 0; i < dh_event_store_get_n_sources (ctx->store); i++)
      {
        const DhSource *src = dh_event_store_get_source (ctx->store, i);
        DhReportInput in = { g_strdup (src->name), src->n_events, (gint64) src->n_rejected };
        g_array_append_val (ctx->inputs, in);
      }
  return TRUE;
}

void
dh_report_context_clear (DhReportContext *ctx)
{
  for (guint i = 0; ctx->inputs && i < ctx->inputs->len; i++)
    g_free (g_array_index (ctx->inputs, DhReportInput, i).name);
  g_clear_pointer (&ctx->inputs, g_array_unref);
  g_clear_pointer (&ctx->alerts, g_ptr_array_unref);
  g_clear_pointer (&ctx->indices, g_array_unref);
  g_clear_pointer (&ctx->title, g_free);
  g_clear_pointer (&ctx->hosts, g_hash_table_unref);
  g_clear_pointer (&ctx->host_events, g_free);
  g_clear_pointer (&ctx->set, dh_alert_set_unref);
}

/* Returns: the triage of the @i-th alert of the report, or NULL */
const DhReportTriage *
dh_report_context_get_triage (DhReportContext *ctx,
                              guint            i)
{
  if (ctx->opts->triage == NULL)
    return NULL;
  return &ctx->opts->triage[g_array_index (ctx->indices, guint, i)];
}

const char *
dh_report_context_string (DhReportContext *ctx,
                          guint32          id)
{
  return dh_event_store_get_string (ctx->store, id);
}

/* Writes out and empties @buf, unless the report was cancelled. */
gboolean
dh_report_context_flush (DhReportContext  *ctx,
                         GString          *buf,
                         GError          **error)
{
  gboolean ok;

  if (g_cancellable_set_error_if_cancelled (ctx->cancellable, error))
    return FALSE;
  ok = g_output_stream_write_all (ctx->out, buf->str, buf->len, NULL, ctx->cancellable, error);
  g_string_truncate (buf, 0);
  return ok;
}

void
dh_report_context_progress (DhReportContext *ctx,
                            double           fraction)
{
  if (ctx->opts->progress)
    ctx->opts->progress (CLAMP (fraction, 0, 1), ctx->opts->progress_data);
}

static void
report_host_free (gpointer data)
{
  DhReportHost *h = data;

  g_ptr_array_unref (h->alerts);
  g_free (h);
}

/* Groups the report's alerts by host, and the store's events of those hosts
 * by host (a counting sort, two passes over the store): made once, so each
 * alert's timeline reads only its own host's events. */
static void
index_hosts (DhReportContext *ctx)
{
  const DhEvent *events = dh_event_store_get_events (ctx->store);
  guint n_events = dh_event_store_get_n_events (ctx->store);
  guint n_strings = dh_str_pool_get_size (dh_event_store_get_pool (ctx->store));
  g_autofree guint *slot = g_new0 (guint, MAX (n_strings, 1));  /* host id -> index + 1 */
  g_autoptr(GPtrArray) hosts = g_ptr_array_new ();              /* by first alert */
  g_autofree guint *fill = NULL;
  guint total = 0;

  ctx->hosts = g_hash_table_new_full (NULL, NULL, NULL, report_host_free);
  for (guint i = 0; i < ctx->alerts->len; i++)
    {
      const DhAlert *a = ctx->alerts->pdata[i];
      DhReportHost *h;

      if (a->host >= n_strings)
        continue;
      if (slot[a->host] == 0)
        {
          h = g_new0 (DhReportHost, 1);
          h->host = a->host;
          h->alerts = g_ptr_array_new ();
          h->first = i;
          g_ptr_array_add (hosts, h);
          slot[a->host] = hosts->len;
          g_hash_table_insert (ctx->hosts, GUINT_TO_POINTER (a->host), h);
        }
      h = hosts->pdata[slot[a->host] - 1];
      g_ptr_array_add (h->alerts, (gpointer) a);
    }

  for (guint i = 0; i < n_events; i++)
    if (events[i].host < n_strings && slot[events[i].host])
      ((DhReportHost *) hosts->pdata[slot[events[i].host] - 1])->n_events++;

  fill = g_new (guint, MAX (hosts->len, 1));
  for (guint k = 0; k < hosts->len; k++)
    {
      fill[k] = total;
      total += ((DhReportHost *) hosts->pdata[k])->n_events;
    }
  ctx->host_events = g_new (guint32, MAX (total, 1));
  for (guint k = 0; k < hosts->len; k++)
    ((DhReportHost *) hosts->pdata[k])->events = ctx->host_events + fill[k];
  for (guint i = 0; i < n_events; i++)
    if (events[i].host < n_strings && slot[events[i].host])
      ctx->host_events[fill[slot[events[i].host] - 1]++] = i;
}

/**
 * dh_report_context_get_host:
 * @host: the string id of a host that has an alert in the report
 *
 * Returns: (transfer none): the host's alerts in the report (for the bands of
 *   its timeline) and its events (for the bars)
 */
const DhReportHost *
dh_report_context_get_host (DhReportContext *ctx,
                            guint32          host)
{
  const DhReportHost *h;

  if (ctx->hosts == NULL)
    index_hosts (ctx);
  h = g_hash_table_lookup (ctx->hosts, GUINT_TO_POINTER (host));
  g_return_val_if_fail (h != NULL, NULL);
  return h;
}

/* The whole time the inputs cover, so each host's chart shows its alerts in
 * the context of everything it asked. */
void
dh_report_context_chart_range (DhReportContext *ctx,
                               gint64          *start,
                               gint64          *end)
{
  if (ctx->has_span)
    {
      *start = ctx->first_event;
      *end = ctx->last_event;
    }
  else
    *start = *end = 0;
}

/* Returns: (transfer full): the event's answers' rdata, comma-separated, raw */
char *
dh_report_context_answers (DhReportContext *ctx,
                           const DhEvent   *event)
{
  const DhAnswer *answers = dh_event_store_get_answers (ctx->store, event);
  GString *s = g_string_new (NULL);

  for (guint i = 0; answers && i < event->n_answers; i++)
    {
      if (i)
        g_string_append (s, ", ");
      g_string_append (s, dh_event_store_get_string (ctx->store, answers[i].rdata));
    }
  return g_string_free (s, FALSE);
}

const char *
dh_report_srcid_label (const DhAlert *alert)
{
  if (alert->srcid_flags & DH_EVENT_SRCID_RESOLVER)
    return _("Resolver endpoint");
  return _("Instance");
}

char *
dh_report_format_duration (gint64 us)
{
  gint64 s = (us + DH_USEC_PER_SEC / 2) / DH_USEC_PER_SEC;

  if (s < 60)
    return g_strdup_printf (_("%d s"), (int) s);
  if (s < 3600)
    return s % 60 ? g_strdup_printf (_("%d min %d s"), (int) (s / 60), (int) (s % 60))
                  : g_strdup_printf (_("%d min"), (int) (s / 60));
  if (s < 86400)
    return g_strdup_printf (_("%d h %d min"), (int) (s / 3600), (int) (s / 60 % 60));
  return g_strdup_printf (_("%d d %d h"), (int) (s / 86400), (int) (s / 3600 % 24));
}

/* Returns: (transfer full): "3 high, 6 medium, 2 low" */
char *
dh_report_severity_counts (const guint *by_severity)
{
  return g_strdup_printf (_("%u high, %u medium, %u low"), by_severity[DH_SEVERITY_HIGH],
                          by_severity[DH_SEVERITY_MEDIUM], by_severity[DH_SEVERITY_LOW]);
}

/* The report's alerts most severe first, in report order within each
 * severity: the order of the text report. */
static guint *
severity_order (DhReportContext *ctx)
{
  guint *order = g_new (guint, MAX (ctx->alerts->len, 1));
  guint n = 0;

  for (int sev = DH_SEVERITY_HIGH; sev >= DH_SEVERITY_LOW; sev--)
    for (guint i = 0; i < ctx->alerts->len; i++)
      if ((int) ((const DhAlert *) ctx->alerts->pdata[i])->severity == sev)
        order[n++] = i;
  /* an alert of no known severity still gets written */
  for (guint i = 0; i < ctx->alerts->len && n < ctx->alerts->len; i++)
    {
      guint sev = ((const DhAlert *) ctx->alerts->pdata[i])->severity;
      if (sev < DH_SEVERITY_LOW || sev > DH_SEVERITY_HIGH)
        order[n++] = i;
    }
  return order;
}

/**
 * dh_report_context_run:
 * @writer: the format
 *
 * Writes the report: @writer's beginning (overview, summary), each alert,
 * then its end. Between alerts the output is written out once it has grown,
 * Cancel is checked and progress reported.
 *
 * Returns: %TRUE when the whole report was written
 */
gboolean
dh_report_context_run (DhReportContext      *ctx,
                       const DhReportWriter *writer,
                       GError              **error)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree guint *order = NULL;
  gpointer state = NULL;
  double share = writer->alerts_share > 0 ? writer->alerts_share : 1;
  guint n = ctx->alerts->len;
  gboolean ok;

  dh_report_context_progress (ctx, 0);
  ok = (writer->begin == NULL || writer->begin (ctx, out, &state, error)) &&
       dh_report_context_flush (ctx, out, error);
  if (ok && writer->by_severity)
    order = severity_order (ctx);
  for (guint k = 0; ok && k < n; k++)
    {
      ok = writer->alert (ctx, state, out, order ? order[k] : k, error);
      if (ok && out->len >= FLUSH_SIZE)
        ok = dh_report_context_flush (ctx, out, error);
      else if (ok)
        ok = !g_cancellable_set_error_if_cancelled (ctx->cancellable, error);
      if (ok)
        dh_report_context_progress (ctx, share * (k + 1) / n);
    }
  ok = ok && (writer->end == NULL || writer->end (ctx, state, out, error)) &&
       dh_report_context_flush (ctx, out, error);
  if (writer->free_state)
    writer->free_state (state, ok);
  if (ok)
    dh_report_context_progress (ctx, 1);
  return ok;
}

/**
 * dh_report_context_evidence_count:
 * @shown: (out): how many of the alert's events the report shows
 *
 * Returns: (transfer full): the evidence's caption, "first 100 of 250
 *   events" or "4 events", for every format to put in its heading
 */
char *
dh_report_context_evidence_count (DhReportContext *ctx,
                                  const DhAlert   *alert,
                                  guint           *shown)
{
  *shown = MIN (alert->events->len, ctx->max_evidence);
  if (*shown < alert->events->len)
    return g_strdup_printf (_("first %u of %u events"), *shown, alert->events->len);
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u event", "%u events", *shown),
                          *shown);
}
