/* dh-report.c: writing the alerts out (text, JSON)
 *
 * Every string from a log is attacker-controlled: JSON goes through
 * JsonGenerator (which escapes), and the text report replaces control
 * characters so a name cannot move the cursor or recolour a terminal.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "dh-report.h"
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
build_alert (JsonBuilder   *b,
             DhAlertSet    *set,
             const DhAlert *alert)
{
  DhEventStore *store = dh_alert_set_get_store (set);
  const DhRule *rule = dh_rule_book_get_rule (dh_alert_set_get_rule_book (set), alert->rule);
  guint max_evidence = dh_report_get_max_evidence (set);

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
 * dh_report_json:
 *
 * Returns: (transfer full): the document SPEC's `--format=json` describes
 */
char *
dh_report_json (DhAlertSet *set,
                gsize      *length)
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
  for (guint i = 0; i < dh_alert_set_get_n_alerts (set); i++)
    build_alert (b, set, dh_alert_set_get_alert (set, i));
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

  build_alert (b, set, alert);
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

/**
 * dh_report_text:
 *
 * Returns: (transfer full): a readable summary, alerts grouped by severity
 */
char *
dh_report_text (DhAlertSet *set,
                gsize      *length)
{
  DhEventStore *store = dh_alert_set_get_store (set);
  DhRuleBook *book = dh_alert_set_get_rule_book (set);
  GString *s = g_string_new (NULL);
  gint64 first = 0, last = 0;
  guint n = dh_alert_set_get_n_alerts (set);
  guint by_sev[4] = { 0 };
  char b1[DH_TIME_FORMAT_SIZE], b2[DH_TIME_FORMAT_SIZE];

  for (guint i = 0; i < n; i++)
    by_sev[dh_alert_set_get_alert (set, i)->severity]++;

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
          const DhAlert *a = dh_alert_set_get_alert (set, i);
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
        }
    }
  if (n == 0)
    g_string_append (s, _("\nNo alerts.\n"));

  if (length)
    *length = s->len;
  return g_string_free (s, FALSE);
}
