/* dh-destination-pagerduty.c: PagerDuty Events API v2
 *
 * A `trigger` per alert with a `dedup_key` that identifies it (rule, host,
 * first seen), so that a repeat lands on the same PagerDuty alert and
 * acknowledge / resolve can follow. Limits kept: summary 1,024 characters,
 * dedup_key 255. A PagerDuty service is paged per alert: no digests.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "dh-destination.h"

#define SUMMARY_MAX  1024
#define FIELD_MAX    255
#define NAMES_MAX    20

/* @text made printable and cut to @max characters */
static char *
clean (const char *text,
       guint       max)
{
  g_autofree char *valid = g_utf8_make_valid (text ? text : "", -1);
  GString *s = g_string_new (NULL);
  glong length = g_utf8_strlen (valid, -1);
  glong n = 0;

  for (const char *p = valid; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      /* the last character that fits is an ellipsis when more follow */
      if (length > (glong) max && n++ == (glong) max - 1)
        {
          g_string_append (s, "…");
          break;
        }
      g_string_append_unichar (s, g_unichar_iscntrl (c) ? ' ' : c);
    }
  return g_string_free (s, FALSE);
}

static void
set_clean (JsonBuilder *b,
           const char  *member,
           const char  *value,
           guint        max)
{
  g_autofree char *text = NULL;

  if (value == NULL)
    return;
  text = clean (value, max);
  json_builder_set_member_name (b, member);
  json_builder_add_string_value (b, text);
}

static const char *
pagerduty_severity (DhSeverity severity)
{
  switch (severity)
    {
    case DH_SEVERITY_HIGH:
      return "error";
    case DH_SEVERITY_MEDIUM:
      return "warning";
    case DH_SEVERITY_LOW:
    default:
      return "info";
    }
}

/* the strings of @member (an array) of the alert, or of each evidence
 * object's @field when @field is given */
static void
add_strings (JsonBuilder *b,
             DhNotice    *notice,
             const char  *member,
             const char  *field,
             const char  *as)
{
  JsonNode *node = json_object_get_member (dh_notice_get_alert (notice), member);
  JsonArray *array = node && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
  guint n = array ? json_array_get_length (array) : 0;

  json_builder_set_member_name (b, as);
  json_builder_begin_array (b);
  for (guint i = 0; i < n && i < NAMES_MAX; i++)
    {
      JsonNode *item = json_array_get_element (array, i);
      g_autofree char *text = NULL;

      if (field && JSON_NODE_HOLDS_OBJECT (item))
        item = json_object_get_member (json_node_get_object (item), field);
      if (item == NULL || json_node_get_value_type (item) != G_TYPE_STRING)
        continue;
      text = clean (json_node_get_string (item), FIELD_MAX);
      json_builder_add_string_value (b, text);
    }
  json_builder_end_array (b);
}

static void
add_link (JsonBuilder *b,
          const char  *id)
{
  g_autofree char *url = dh_notice_mitre_url (id);
  g_autofree char *text = NULL;

  if (url == NULL)
    return;
  text = g_strdup_printf ("MITRE ATT&CK %s", id);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "href");
  json_builder_add_string_value (b, url);
  json_builder_set_member_name (b, "text");
  json_builder_add_string_value (b, text);
  json_builder_end_object (b);
}

static SoupMessage *
pagerduty_build (DhDestination  *dest,
                 DhNotice      **notices,
                 guint           n,
                 GError        **error)
{
  DhNotice *notice = notices[0];
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *summary = NULL;
  const char *host = dh_notice_get_string (notice, "host");
  const char *technique = dh_notice_get_mitre (notice, "subtechnique");

  /* the analyst's triage: the same dedup_key, no payload */
  if (dh_notice_get_action (notice))
    {
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "routing_key");
      json_builder_add_string_value (b, dest->secret);
      json_builder_set_member_name (b, "event_action");
      json_builder_add_string_value (b, dh_notice_get_action (notice));
      json_builder_set_member_name (b, "dedup_key");
      json_builder_add_string_value (b, dh_notice_get_alert_id (notice));
      json_builder_end_object (b);
      body = json_builder_get_root (b);
      return dh_destination_json_message (dest, body);
    }

  if (technique == NULL)
    technique = dh_notice_get_mitre (notice, "technique");
  summary = g_strdup_printf (_("[%s] %s on %s: %" G_GINT64_FORMAT " queries"),
                             dh_notice_get_string (notice, "severity"),
                             dh_notice_get_string (notice, "title"), host ? host : "?",
                             dh_notice_get_count (notice));

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "routing_key");
  json_builder_add_string_value (b, dest->secret);
  json_builder_set_member_name (b, "event_action");
  json_builder_add_string_value (b, "trigger");
  json_builder_set_member_name (b, "dedup_key");
  json_builder_add_string_value (b, dh_notice_get_id (notice));
  json_builder_set_member_name (b, "client");
  json_builder_add_string_value (b, "DNS Hunt");

  json_builder_set_member_name (b, "payload");
  json_builder_begin_object (b);
  set_clean (b, "summary", summary, SUMMARY_MAX);
  set_clean (b, "source", host ? host : "?", FIELD_MAX);
  json_builder_set_member_name (b, "severity");
  json_builder_add_string_value (b, pagerduty_severity (dh_notice_get_severity (notice)));
  set_clean (b, "timestamp", dh_notice_get_string (notice, "first_seen"), 64);
  set_clean (b, "component", dh_notice_get_string (notice, "rule"), FIELD_MAX);
  set_clean (b, "group", dh_notice_get_string (notice, "vpc_id"), FIELD_MAX);
  set_clean (b, "class", technique, FIELD_MAX);
  json_builder_set_member_name (b, "custom_details");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "count");
  json_builder_add_int_value (b, dh_notice_get_count (notice));
  set_clean (b, "instance", dh_notice_get_string (notice, "instance"), FIELD_MAX);
  set_clean (b, "first_seen", dh_notice_get_string (notice, "first_seen"), 64);
  set_clean (b, "last_seen", dh_notice_get_string (notice, "last_seen"), 64);
  add_strings (b, notice, "names", NULL, "names");
  add_strings (b, notice, "evidence", "query_timestamp", "evidence_times");
  set_clean (b, "first_step", dh_notice_get_mitigation (notice), SUMMARY_MAX);
  json_builder_end_object (b);
  json_builder_end_object (b);

  json_builder_set_member_name (b, "links");
  json_builder_begin_array (b);
  add_link (b, technique);
  add_link (b, dh_notice_get_mitre (notice, "tactic"));
  json_builder_end_array (b);
  json_builder_end_object (b);

  body = json_builder_get_root (b);
  return dh_destination_json_message (dest, body);
}

const DhDestinationKind dh_destination_pagerduty = {
  .id = "pagerduty",
  .label = N_("PagerDuty"),
  .url_env = "DNSHUNT_PAGERDUTY_URL",
  .default_url = "https://events.pagerduty.com/v2/enqueue",
  .secret_env = "DNSHUNT_PAGERDUTY_ROUTING_KEY",
  .follow_ups = TRUE,
  .build = pagerduty_build,
};
