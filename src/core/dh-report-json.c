/* dh-report-json.c: the JSON report, and one alert as a line of NDJSON
 *
 * The document SPEC's `--format=json` describes, written an alert at a
 * time: each alert is built with JsonBuilder and written by JsonGenerator,
 * which escapes every string from the logs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "dh-report-private.h"
#include "dh-time.h"

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

/**
 * dh_report_alert_json_node:
 *
 * Returns: (transfer full): one alert as the object of the JSON report's
 *   `alerts` array (what notifications carry)
 */
JsonNode *
dh_report_alert_json_node (DhAlertSet    *set,
                           const DhAlert *alert)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  build_alert (b, set, alert, dh_report_get_max_evidence (set), NULL);
  return json_builder_get_root (b);
}

/* @data, each of its lines indented by @indent spaces */
static void
append_indented (GString    *out,
                 const char *data,
                 guint       indent)
{
  for (const char *line = data, *nl; line; line = nl ? nl + 1 : NULL)
    {
      nl = strchr (line, '\n');
      g_string_append_printf (out, "%*s", (int) indent, "");
      g_string_append_len (out, line, nl ? nl - line : (gssize) strlen (line));
      if (nl)
        g_string_append_c (out, '\n');
    }
}

/* {"tool": …, "summary": …, "alerts": [ */
static gboolean
json_begin (DhReportContext  *ctx,
            GString          *out,
            gpointer         *state,
            GError          **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *data = NULL;
  char *close;

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
  json_builder_add_int_value (b, dh_event_store_get_n_events (ctx->store));
  json_builder_set_member_name (b, "rejected");
  json_builder_add_int_value (b, dh_event_store_get_n_rejected (ctx->store));
  json_builder_set_member_name (b, "hosts");
  json_builder_add_int_value (b, dh_alert_set_get_n_hosts (ctx->set));
  add_time (b, "first_event", ctx->first_event, ctx->has_span);
  add_time (b, "last_event", ctx->last_event, ctx->has_span);
  json_builder_end_object (b);
  json_builder_end_object (b);

  data = generate (b, TRUE, NULL);
  /* the object left open for the alerts */
  close = strrchr (data, '}');
  g_assert (close != NULL);
  while (close > data && g_ascii_isspace (close[-1]))
    close--;
  g_string_append_len (out, data, close - data);
  g_string_append (out, ",\n  \"alerts\" : [");
  return TRUE;
}

static gboolean
json_alert (DhReportContext  *ctx,
            gpointer          state,
            GString          *out,
            guint             i,
            GError          **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *data = NULL;

  build_alert (b, ctx->set, ctx->alerts->pdata[i], ctx->max_evidence,
               dh_report_context_get_triage (ctx, i));
  data = generate (b, TRUE, NULL);
  g_string_append (out, i ? ",\n" : "\n");
  append_indented (out, data, 4);
  return TRUE;
}

static gboolean
json_end (DhReportContext  *ctx,
          gpointer          state,
          GString          *out,
          GError          **error)
{
  /* ending with a newline, as a file should */
  g_string_append (out, ctx->alerts->len ? "\n  ]\n}\n" : "]\n}\n");
  return TRUE;
}

const DhReportWriter dh_report_writer_json = {
  .begin = json_begin,
  .alert = json_alert,
  .end = json_end,
};
