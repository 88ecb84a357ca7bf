/* dh-report.c: writing the alerts out: the entry point, the options, and the
 * text and JSON writers
 *
 * Every string from a log is attacker-controlled: JSON goes through
 * JsonGenerator (which escapes), and the text report replaces control
 * characters so a name cannot move the cursor or recolour a terminal. The
 * other formats live in dh-report-{csv,md,html,pdf}.c and escape through
 * dh-escape.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <gio/gfiledescriptorbased.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "dh-progress-relay.h"
#include "dh-report-private.h"
#include "dh-time.h"

guint
dh_report_get_max_evidence (DhAlertSet *set)
{
  g_autofree char *v = dh_rule_book_get_value_string (dh_alert_set_get_rule_book (set), "all",
                                                      "max-evidence");
  return v ? (guint) g_ascii_strtoull (v, NULL, 10) : 100;
}

static void
add_time (JsonBuilder *b,
          const char  *member,
          gint64       t,
          gboolean     valid)
{
  char buf[DH_TIME_FORMAT_SIZE];

  json_builder_set_member_name (b, member);
  if (valid)
    json_builder_add_string_value (b, dh_time_format (t, buf));
  else
    json_builder_add_null_value (b);
}

static void
add_string_or_null (JsonBuilder *b,
                    const char  *member,
                    const char  *value)
{
  json_builder_set_member_name (b, member);
  if (value && *value)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

static void
build_alert (JsonBuilder          *b,
             DhAlertSet           *set,
             const DhAlert        *alert,
             guint                 max_evidence,
             const DhReportTriage *triage)
{
  DhEventStore *store = dh_alert_set_get_store (set);
  const DhRule *rule = dh_rule_book_get_rule (dh_alert_set_get_rule_book (set), alert->rule);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "rule");
  json_builder_add_string_value (b, rule->id);
  json_builder_set_member_name (b, "title");
  json_builder_add_string_value (b, rule->title);
  json_builder_set_member_name (b, "severity");
  json_builder_add_string_value (b, dh_severity_to_string (alert->severity));
  json_builder_set_member_name (b, "mitre");
  json_builder_begin_object (b);
  add_string_or_null (b, "tactic", rule->tactic.id);
  add_string_or_null (b, "technique", rule->technique.id);
  add_string_or_null (b, "subtechnique", rule->subtechnique.id);
  json_builder_end_object (b);
  add_string_or_null (b, "host", dh_event_store_get_string (store, alert->host));
  add_string_or_null (b, "instance", dh_event_store_get_string (store, alert->srcid));
  add_string_or_null (b, "vpc_id", dh_event_store_get_string (store, alert->vpc));
  add_time (b, "first_seen", alert->first_seen, TRUE);
  add_time (b, "last_seen", alert->last_seen, TRUE);
  json_builder_set_member_name (b, "count");
  json_builder_add_int_value (b, alert->count);

  json_builder_set_member_name (b, "names");
  json_builder_begin_array (b);
  for (guint i = 0; i < alert->names->len; i++)
    json_builder_add_string_value (b, dh_event_store_get_string (store,
                                                                 g_array_index (alert->names,
                                                                                guint32, i)));
  json_builder_end_array (b);

  json_builder_set_member_name (b, "evidence");
  json_builder_begin_array (b);
  for (guint i = 0; i < alert->events->len && i < max_evidence; i++)
    {
      const DhEvent *ev = dh_event_store_get_event (store,
                                                    g_array_index (alert->events, guint32, i));
      char buf[DH_TIME_FORMAT_SIZE];

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "query_timestamp");
      json_builder_add_string_value (b, dh_time_format (ev->time, buf));
      json_builder_set_member_name (b, "query_name");
      json_builder_add_string_value (b, dh_event_store_get_string (store, ev->name));
      json_builder_set_member_name (b, "query_type");
      json_builder_add_string_value (b, dh_event_store_get_atom (store, DH_ATOMS_QTYPE,
                                                                 ev->qtype));
      json_builder_set_member_name (b, "rcode");
      json_builder_add_string_value (b, dh_event_store_get_atom (store, DH_ATOMS_RCODE,
                                                                 ev->rcode));
      json_builder_set_member_name (b, "transport");
      json_builder_add_string_value (b, dh_event_store_get_atom (store, DH_ATOMS_TRANSPORT,
                                                                 ev->transport));
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  /* only in reports from the window, which knows the analyst's verdicts */
  if (triage)
    {
      json_builder_set_member_name (b, "triage");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "state");
      json_builder_add_string_value (b, dh_triage_state_to_string (triage->state));
      {
        g_autofree char *note = triage->note ? g_utf8_make_valid (triage->note, -1) : NULL;
        add_string_or_null (b, "note", note);
      }
      json_builder_end_object (b);
    }
  json_builder_end_object (b);
}

static char *
generate (JsonBuilder *b,
          gboolean     pretty,
          gsize       *length)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (b);

  json_generator_set_pretty (gen, pretty);
  json_generator_set_root (gen, root);
  return json_generator_to_data (gen, length);
}

/* @alerts: the alerts to write (const DhAlert *), or NULL for all;
 * @triage: NULL, or one per alert of @alerts */
static char *
json_document (DhAlertSet                  *set,
               GPtrArray                   *alerts,
               const DhReportTriage *const *triage,
               guint                        max_evidence,
               gsize                       *length)
{
  DhEventStore *store = dh_alert_set_get_store (set);
  g_autoptr(JsonBuilder) b = json_builder_new ();
  gint64 first = 0, last = 0;
  gboolean has_span = dh_event_store_get_time_span (store, &first, &last);
  char *data;
  gsize len;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "tool");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, "dnshunt");
  json_builder_set_member_name (b, "version");
  json_builder_add_string_value (b, PACKAGE_VERSION);
  json_builder_end_object (b);

  json_builder_set_member_name (b, "summary");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "events");
  json_builder_add_int_value (b, dh_event_store_get_n_events (store));
  json_builder_set_member_name (b, "rejected");
  json_builder_add_int_value (b, dh_event_store_get_n_rejected (store));
  json_builder_set_member_name (b, "hosts");
  json_builder_add_int_value (b, dh_alert_set_get_n_hosts (set));
  add_time (b, "first_event", first, has_span);
  add_time (b, "last_event", last, has_span);
  json_builder_end_object (b);

  json_builder_set_member_name (b, "alerts");
  json_builder_begin_array (b);
  if (alerts)
    for (guint i = 0; i < alerts->len; i++)
      build_alert (b, set, alerts->pdata[i], max_evidence, triage ? triage[i] : NULL);
  else
    for (guint i = 0; i < dh_alert_set_get_n_alerts (set); i++)
      build_alert (b, set, dh_alert_set_get_alert (set, i), max_evidence, NULL);
  json_builder_end_array (b);
  json_builder_end_object (b);

  data = generate (b, TRUE, &len);
  /* end with a newline, as a file should */
  data = g_realloc (data, len + 2);
  data[len++] = '\n';
  data[len] = 0;
  if (length)
    *length = len;
  return data;
}

/**
 * dh_report_json:
 *
 * Returns: (transfer full): the document SPEC's `--format=json` describes
 */
char *
dh_report_json (DhAlertSet *set,
                gsize      *length)
{
  return json_document (set, NULL, NULL, dh_report_get_max_evidence (set), length);
}

gboolean
dh_report_write_json (DhReportContext  *ctx,
                      GError          **error)
{
  g_autofree const DhReportTriage **triage = NULL;
  g_autofree char *data = NULL;
  gsize len;

  if (ctx->opts->triage)
    {
      triage = g_new0 (const DhReportTriage *, ctx->alerts->len);
      for (guint i = 0; i < ctx->alerts->len; i++)
        triage[i] = dh_report_context_get_triage (ctx, i);
    }
  data = json_document (ctx->set, ctx->alerts, triage, ctx->max_evidence, &len);
  dh_report_context_progress (ctx, 1);
  return g_output_stream_write_all (ctx->out, data, len, NULL, ctx->cancellable, error);
}

/**
 * dh_report_alert_json_line:
 *
 * Returns: (transfer full): one alert as a single line of JSON (for NDJSON
 *   streams), with a trailing newline
 */
char *
dh_report_alert_json_line (DhAlertSet    *set,
                           const DhAlert *alert)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *line = NULL;

  build_alert (b, set, alert, dh_report_get_max_evidence (set), NULL);
  line = generate (b, FALSE, NULL);
  return g_strconcat (line, "\n", NULL);
}

static void
append_names (GString       *s,
              DhEventStore  *store,
              const DhAlert *alert,
              guint          max)
{
  for (guint i = 0; i < alert->names->len && i < max; i++)
    {
      g_autofree char *clean = dh_text_sanitize (
        dh_event_store_get_string (store, g_array_index (alert->names, guint32, i)));
      g_string_append (s, i ? ", " : "");
      g_string_append (s, clean);
    }
  if (alert->names->len > max)
    g_string_append_printf (s, _(" (+%u more)"), alert->names->len - max);
}

static char *
text_document (DhAlertSet                  *set,
               GPtrArray                   *list,
               const DhReportTriage *const *triage,
               gsize                       *length)
{
  DhEventStore *store = dh_alert_set_get_store (set);
  DhRuleBook *book = dh_alert_set_get_rule_book (set);
  GString *s = g_string_new (NULL);
  gint64 first = 0, last = 0;
  guint n = list->len;
  guint by_sev[4] = { 0 };
  char b1[DH_TIME_FORMAT_SIZE], b2[DH_TIME_FORMAT_SIZE];

  for (guint i = 0; i < n; i++)
    by_sev[((const DhAlert *) list->pdata[i])->severity]++;

  g_string_append_printf (s, _("DNS Hunt %s: %u events, %u hosts"), PACKAGE_VERSION,
                          dh_event_store_get_n_events (store), dh_alert_set_get_n_hosts (set));
  if (dh_event_store_get_time_span (store, &first, &last))
    g_string_append_printf (s, _(", %s to %s"), dh_time_format (first, b1),
                            dh_time_format (last, b2));
  g_string_append_c (s, '\n');
  g_string_append_printf (s, _("Inputs: %u, rejected lines: %" G_GUINT64_FORMAT "\n"),
                          dh_event_store_get_n_sources (store),
                          dh_event_store_get_n_rejected (store));
  g_string_append_printf (s, _("Alerts: %u (%u high, %u medium, %u low)\n"), n,
                          by_sev[DH_SEVERITY_HIGH], by_sev[DH_SEVERITY_MEDIUM],
                          by_sev[DH_SEVERITY_LOW]);

  for (int sev = DH_SEVERITY_HIGH; sev >= DH_SEVERITY_LOW; sev--)
    {
      if (by_sev[sev] == 0)
        continue;
      g_autofree char *up = g_ascii_strup (dh_severity_to_string (sev), -1);
      g_string_append_printf (s, "\n== %s ==\n", up);
      for (guint i = 0; i < n; i++)
        {
          const DhAlert *a = list->pdata[i];
          const DhRule *rule = dh_rule_book_get_rule (book, a->rule);
          g_autofree char *host = NULL;
          g_autofree char *srcid = NULL;
          g_autofree char *vpc = NULL;

          if ((int) a->severity != sev)
            continue;
          host = dh_text_sanitize (dh_event_store_get_string (store, a->host));
          srcid = dh_text_sanitize (dh_event_store_get_string (store, a->srcid));
          vpc = dh_text_sanitize (dh_event_store_get_string (store, a->vpc));

          g_string_append_printf (s, "\n[%s] %s\n", rule->id, rule->title);
          g_string_append_printf (s, "  MITRE:  %s %s / %s %s", rule->tactic.id,
                                  rule->tactic.name, rule->technique.id, rule->technique.name);
          if (rule->subtechnique.id)
            g_string_append_printf (s, " / %s %s", rule->subtechnique.id,
                                    rule->subtechnique.name);
          g_string_append_c (s, '\n');
          g_string_append_printf (s, _("  Host:   %s"), host);
          if (*srcid)
            g_string_append_printf (s, " (%s)", srcid);
          if (*vpc)
            g_string_append_printf (s, "  %s", vpc);
          g_string_append_c (s, '\n');
          g_string_append_printf (s, _("  Time:   %s to %s, %u events, %u names\n"),
                                  dh_time_format (a->first_seen, b1),
                                  dh_time_format (a->last_seen, b2), a->count, a->names->len);
          g_string_append (s, _("  Names:  "));
          append_names (s, store, a, 5);
          g_string_append_c (s, '\n');
          if (triage && triage[i])
            {
              g_string_append_printf (s, _("  Triage: %s"),
                                      dh_triage_state_get_label (triage[i]->state));
              if (triage[i]->note && *triage[i]->note)
                {
                  g_string_append (s, " \u2014 ");
                  dh_text_sanitize_append (s, triage[i]->note);
                }
              g_string_append_c (s, '\n');
            }
        }
    }
  if (n == 0)
    g_string_append (s, _("\nNo alerts.\n"));

  if (length)
    *length = s->len;
  return g_string_free (s, FALSE);
}

/**
 * dh_report_text:
 *
 * Returns: (transfer full): a readable summary, alerts grouped by severity
 */
char *
dh_report_text (DhAlertSet *set,
                gsize      *length)
{
  g_autoptr(GPtrArray) all = g_ptr_array_new ();

  for (guint i = 0; i < dh_alert_set_get_n_alerts (set); i++)
    g_ptr_array_add (all, (gpointer) dh_alert_set_get_alert (set, i));
  return text_document (set, all, NULL, length);
}

static gboolean
write_text (DhReportContext  *ctx,
            GError          **error)
{
  g_autofree const DhReportTriage **triage = NULL;
  g_autofree char *data = NULL;
  gsize len;

  if (ctx->opts->triage)
    {
      triage = g_new0 (const DhReportTriage *, ctx->alerts->len);
      for (guint i = 0; i < ctx->alerts->len; i++)
        triage[i] = dh_report_context_get_triage (ctx, i);
    }
  data = text_document (ctx->set, ctx->alerts, triage, &len);
  dh_report_context_progress (ctx, 1);
  return g_output_stream_write_all (ctx->out, data, len, NULL, ctx->cancellable, error);
}

/* ---- The entry point ---------------------------------------------------- */

G_DEFINE_QUARK (dh-report-error-quark, dh_report_error)

static const struct
{
  const char *name;
  const char *extension;
  const char *mime_type;
} formats[DH_REPORT_N_FORMATS] = {
  [DH_REPORT_FORMAT_TEXT] = { "text", "txt", "text/plain" },
  [DH_REPORT_FORMAT_JSON] = { "json", "json", "application/json" },
  [DH_REPORT_FORMAT_CSV] = { "csv", "csv", "text/csv" },
  [DH_REPORT_FORMAT_MARKDOWN] = { "md", "md", "text/markdown" },
  [DH_REPORT_FORMAT_HTML] = { "html", "html", "text/html" },
  [DH_REPORT_FORMAT_PDF] = { "pdf", "pdf", "application/pdf" },
};

/**
 * dh_report_format_to_string:
 *
 * Returns: the format's name on the command line: `text`, `json`, `csv`,
 *   `md`, `html`, `pdf`
 */
const char *
dh_report_format_to_string (DhReportFormat format)
{
  g_return_val_if_fail (format < DH_REPORT_N_FORMATS, NULL);
  return formats[format].name;
}

/**
 * dh_report_format_from_string:
 * @text: a name as dh_report_format_to_string() gives, or `markdown`
 *
 * Returns: whether @text names a format
 */
gboolean
dh_report_format_from_string (const char     *text,
                              DhReportFormat *format)
{
  if (text && g_ascii_strcasecmp (text, "markdown") == 0)
    text = "md";
  for (guint i = 0; text && i < DH_REPORT_N_FORMATS; i++)
    if (g_ascii_strcasecmp (text, formats[i].name) == 0)
      {
        *format = i;
        return TRUE;
      }
  return FALSE;
}

const char *
dh_report_format_get_extension (DhReportFormat format)
{
  g_return_val_if_fail (format < DH_REPORT_N_FORMATS, NULL);
  return formats[format].extension;
}

const char *
dh_report_format_get_mime_type (DhReportFormat format)
{
  g_return_val_if_fail (format < DH_REPORT_N_FORMATS, NULL);
  return formats[format].mime_type;
}

static const struct
{
  const char *id;
  const char *label;
} triage_states[DH_N_TRIAGE_STATES] = {
  [DH_TRIAGE_NEW] = { "new", N_("New") },
  [DH_TRIAGE_INVESTIGATING] = { "investigating", N_("Investigating") },
  [DH_TRIAGE_BENIGN] = { "benign", N_("Benign") },
  [DH_TRIAGE_ESCALATED] = { "escalated", N_("Escalated") },
};

/**
 * dh_triage_state_to_string:
 *
 * Returns: the state's stable id, as JSON reports carry it (`new`,
 *   `investigating`, `benign`, `escalated`)
 */
const char *
dh_triage_state_to_string (DhTriageState state)
{
  g_return_val_if_fail (state < DH_N_TRIAGE_STATES, "new");
  return triage_states[state].id;
}

gboolean
dh_triage_state_from_string (const char    *text,
                             DhTriageState *state)
{
  for (guint i = 0; text && i < DH_N_TRIAGE_STATES; i++)
    if (g_str_equal (text, triage_states[i].id))
      {
        *state = i;
        return TRUE;
      }
  return FALSE;
}

/**
 * dh_triage_state_get_label:
 *
 * Returns: the state's name for people, translated
 */
const char *
dh_triage_state_get_label (DhTriageState state)
{
  g_return_val_if_fail (state < DH_N_TRIAGE_STATES, "");
  return _(triage_states[state].label);
}

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

/**
 * dh_report_write:
 * @set: the alerts and the store they came from; only read, so a worker
 *   thread may write while the window shows the same set
 * @opts: (nullable): what to cover and how; see #DhReportOptions
 * @format: the format
 * @out: where to write; not closed
 * @cancellable: (nullable): checked between alerts
 * @error: where to put an error
 *
 * Writes an incident report of the selected alerts (or all): the inputs and
 * their counts, a summary table, then each alert with its rule text, MITRE
 * ATT&CK mapping, impact, mitigation, references, names, evidence, triage and
 * the host's timeline. Text and JSON are what `dnshunt scan` prints (JSON
 * gains a `triage` member per alert when @opts carries triage).
 *
 * Blocks: call it from a worker thread (see dh_report_write_file_async()).
 *
 * Returns: %TRUE when the whole report was written
 */
gboolean
dh_report_write (DhAlertSet             *set,
                 const DhReportOptions  *opts,
                 DhReportFormat          format,
                 GOutputStream          *out,
                 GCancellable           *cancellable,
                 GError                **error)
{
  DhReportContext ctx;
  gboolean ok = FALSE;

  g_return_val_if_fail (set != NULL, FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (out), FALSE);
  g_return_val_if_fail (format < DH_REPORT_N_FORMATS, FALSE);

  if (!dh_report_context_init (&ctx, set, opts, out, cancellable, error))
    {
      dh_report_context_clear (&ctx);
      return FALSE;
    }
  dh_report_context_progress (&ctx, 0);
  switch (format)
    {
    case DH_REPORT_FORMAT_TEXT:
      ok = write_text (&ctx, error);
      break;
    case DH_REPORT_FORMAT_JSON:
      ok = dh_report_write_json (&ctx, error);
      break;
    case DH_REPORT_FORMAT_CSV:
      ok = dh_report_write_csv (&ctx, error);
      break;
    case DH_REPORT_FORMAT_MARKDOWN:
      ok = dh_report_write_markdown (&ctx, error);
      break;
    case DH_REPORT_FORMAT_HTML:
      ok = dh_report_write_html (&ctx, error);
      break;
    case DH_REPORT_FORMAT_PDF:
      ok = dh_report_write_pdf (&ctx, error);
      break;
    case DH_REPORT_N_FORMATS:
    default:
      g_assert_not_reached ();
    }
  dh_report_context_clear (&ctx);
  return ok;
}

/* ---- Writing a file ----------------------------------------------------- */

/* Only a regular file (or a link, which is replaced as before) may be
 * replaced: a device or a pipe is not renamed over. */
static gboolean
check_target (GFile   *file,
              GError **error)
{
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) local = NULL;

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_TYPE,
                            G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, &local);
  if (info == NULL)
    {
      if (g_error_matches (local, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  switch (g_file_info_get_file_type (info))
    {
    case G_FILE_TYPE_REGULAR:
    case G_FILE_TYPE_SYMBOLIC_LINK:
      return TRUE;
    case G_FILE_TYPE_DIRECTORY:
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY, _("It is a folder"));
      return FALSE;
    case G_FILE_TYPE_UNKNOWN:
    case G_FILE_TYPE_SPECIAL:
    case G_FILE_TYPE_SHORTCUT:
    case G_FILE_TYPE_MOUNTABLE:
    default:
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE,
                           _("It is not a regular file"));
      return FALSE;
    }
}

/* On disk before it is renamed, so that a crash cannot leave an empty file
 * where the old one was (as g_file_replace() does for an old file). */
static gboolean
sync_to_disk (GFileOutputStream  *stream,
              GError            **error)
{
  int fd;

  if (!G_IS_FILE_DESCRIPTOR_BASED (stream))
    return TRUE;
  fd = g_file_descriptor_based_get_fd (G_FILE_DESCRIPTOR_BASED (stream));
  if (fsync (fd) != 0 && errno != EINVAL && errno != EROFS)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), _("Error writing to file: %s"),
                   g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

/* A new hidden file beside @file, for the report until it is complete. */
static GFileOutputStream *
create_beside (GFile   *file,
               GFile  **temp,
               GError **error)
{
  g_autoptr(GFile) parent = g_file_get_parent (file);
  g_autofree char *base = g_file_get_basename (file);

  if (parent == NULL || base == NULL)
    {
      g_autofree char *name = g_file_get_parse_name (file);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_FILENAME, _("%s is not a file name"),
                   name);
      return NULL;
    }
  /* short enough that the name stays under the usual 255 bytes */
  if (strlen (base) > 200)
    base[200] = '\0';
  for (guint tries = 0;; tries++)
    {
      g_autofree char *name = g_strdup_printf (".%s.%08x.part", base, g_random_int ());
      g_autoptr(GFile) candidate = g_file_get_child (parent, name);
      g_autoptr(GError) local = NULL;
      GFileOutputStream *stream = g_file_create (candidate, G_FILE_CREATE_NONE, NULL, &local);

      if (stream)
        {
          *temp = g_steal_pointer (&candidate);
          return stream;
        }
      if (!g_error_matches (local, G_IO_ERROR, G_IO_ERROR_EXISTS) || tries >= 100)
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return NULL;
        }
    }
}

/**
 * dh_report_write_file:
 * @set: the alerts
 * @opts: (nullable): as for dh_report_write()
 * @format: the format
 * @file: where to write
 * @cancellable: (nullable): to stop writing
 * @error: where to put an error
 *
 * Writes the report into a new hidden file in @file's folder and renames it
 * to @file once it is whole, so @file never holds part of a report: after a
 * failure, a cancel or the end of the process it is as it was (absent, or
 * the old file). The hidden file is removed on failure and on cancel. A
 * cancel that comes after the report was written does not undo it.
 *
 * Blocks: call it from a worker thread (see dh_report_write_file_async()).
 *
 * Returns: %TRUE when @file holds the whole report
 */
gboolean
dh_report_write_file (DhAlertSet             *set,
                      const DhReportOptions  *opts,
                      DhReportFormat          format,
                      GFile                  *file,
                      GCancellable           *cancellable,
                      GError                **error)
{
  g_autoptr(GFileOutputStream) stream = NULL;
  g_autoptr(GFile) temp = NULL;
  GOutputStream *out;

  g_return_val_if_fail (set != NULL, FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  if (g_cancellable_set_error_if_cancelled (cancellable, error) || !check_target (file, error))
    return FALSE;
  stream = create_beside (file, &temp, error);
  if (stream == NULL)
    return FALSE;
  out = G_OUTPUT_STREAM (stream);
  if (dh_report_write (set, opts, format, out, cancellable, error) &&
      g_output_stream_flush (out, NULL, error) &&
      sync_to_disk (stream, error) &&
      g_output_stream_close (out, NULL, error) &&
      g_file_move (temp, file, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, error))
    return TRUE;

  if (!g_output_stream_is_closed (out))
    g_output_stream_close (out, NULL, NULL);
  g_file_delete (temp, NULL, NULL);
  return FALSE;
}

/* ---- Writing from a worker thread --------------------------------------- */

/* The caller's progress function, called on its main context through a
 * relay (dh-progress-relay.c): the latest fraction wins. */
typedef struct
{
  DhReportProgressFunc func;
  gpointer             data;
} ProgressTarget;

static void
forward_progress (const DhProgress *progress,
                  gpointer          data)
{
  ProgressTarget *target = data;

  target->func (progress->fraction, target->data);
}

/* the worker's progress function */
static void
post_progress (double   fraction,
               gpointer relay)
{
  dh_progress_relay_post (relay, &(DhProgress) { .fraction = fraction }, FALSE);
}

typedef struct
{
  DhAlertSet      *set;
  DhReportOptions  opts;
  DhReportFormat   format;
  GFile           *file;
  DhProgressRelay *relay;
  /* the copies opts points into */
  char            *title;
  char           **inputs;
  char            *time_range;
  guint           *selection;
  DhReportTriage  *triage;
  char           **notes;
} WriteFileData;

static void
write_file_data_free (gpointer data)
{
  WriteFileData *d = data;

  dh_alert_set_unref (d->set);
  g_object_unref (d->file);
  g_clear_pointer (&d->relay, dh_progress_relay_unref);
  g_free (d->title);
  g_strfreev (d->inputs);
  g_free (d->time_range);
  g_free (d->selection);
  g_free (d->triage);
  g_strfreev (d->notes);
  g_free (d);
}

static void
write_file_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  WriteFileData *d = task_data;
  GError *error = NULL;

  if (dh_report_write_file (d->set, &d->opts, d->format, d->file, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * dh_report_write_file_async:
 * @set: the alerts
 * @opts: (nullable): as for dh_report_write(); copied, so the caller may
 *   free it (and the strings and arrays it points to) at once
 * @format: the format
 * @file: where to write; replaced only when the whole report is written
 * @cancellable: (nullable): to stop writing
 * @callback: called in the caller's thread-default main context when done
 * @user_data: for @callback
 *
 * dh_report_write_file() in a worker thread. The progress function of @opts, if any, is
 * called in the caller's thread-default main context, coalesced, never
 * after @callback; its data must stay valid until @callback runs.
 */
void
dh_report_write_file_async (DhAlertSet             *set,
                            const DhReportOptions  *opts,
                            DhReportFormat          format,
                            GFile                  *file,
                            GCancellable           *cancellable,
                            GAsyncReadyCallback     callback,
                            gpointer                user_data)
{
  g_autoptr(GTask) task = NULL;
  WriteFileData *d;
  guint n_alerts = dh_alert_set_get_n_alerts (set);

  g_return_if_fail (set != NULL);
  g_return_if_fail (G_IS_FILE (file));

  d = g_new0 (WriteFileData, 1);
  d->set = dh_alert_set_ref (set);
  d->file = g_object_ref (file);
  d->format = format;
  if (opts)
    {
      d->opts = *opts;
      d->opts.title = d->title = g_strdup (opts->title);
      d->opts.inputs = (const char * const *) (d->inputs = g_strdupv ((char **) opts->inputs));
      d->opts.time_range = d->time_range = g_strdup (opts->time_range);
      if (opts->selection)
        {
          d->selection = g_new0 (guint, MAX (opts->n_selection, 1));
          memcpy (d->selection, opts->selection, sizeof (guint) * opts->n_selection);
          d->opts.selection = d->selection;
        }
      if (opts->triage)
        {
          d->triage = g_new0 (DhReportTriage, MAX (n_alerts, 1));
          memcpy (d->triage, opts->triage, sizeof (DhReportTriage) * n_alerts);
          d->notes = g_new0 (char *, n_alerts + 1);
          for (guint i = 0; i < n_alerts; i++)
            {
              /* keep the array NULL-terminated for g_strfreev: an empty note
               * stands in for a missing one */
              d->notes[i] = g_strdup (opts->triage[i].note ? opts->triage[i].note : "");
              d->triage[i].note = opts->triage[i].note ? d->notes[i] : NULL;
            }
          d->opts.triage = d->triage;
        }
      if (opts->progress)
        {
          ProgressTarget *target = g_new (ProgressTarget, 1);

          target->func = opts->progress;
          target->data = opts->progress_data;
          /* every figure, coalesced: no interval */
          d->relay = dh_progress_relay_new_full (forward_progress, target, g_free, 0);
          d->opts.progress = post_progress;
          d->opts.progress_data = d->relay;
        }
    }

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, dh_report_write_file_async);
  g_task_set_name (task, "[dnshunt] write report");
  g_task_set_task_data (task, d, write_file_data_free);
  /* A cancel that comes after the file was written must not report it as
   * not written: the result says what happened on disk. */
  g_task_set_check_cancellable (task, FALSE);
  g_task_run_in_thread (task, write_file_thread);
}

gboolean
dh_report_write_file_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == dh_report_write_file_async,
                        FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
