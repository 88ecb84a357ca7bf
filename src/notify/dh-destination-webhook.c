/* dh-destination-webhook.c: a signed generic webhook
 *
 * One POST per alert: `{"type": "alert.opened", "id": …, "alert": {…}}`, the
 * alert being the object of the JSON report. The receiver verifies it with
 * `X-DnsHunt-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">`,
 * keyed with the shared secret, and refuses an old `X-DnsHunt-Timestamp`
 * (a replay).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "dh-destination.h"

static SoupMessage *
webhook_build (DhDestination  *dest,
               DhNotice      **notices,
               guint           n,
               GError        **error)
{
  DhNotice *notice = notices[0];
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(JsonNode) alert = json_node_init_object (json_node_alloc (),
                                                     dh_notice_get_alert (notice));
  g_autoptr(GHmac) hmac = g_hmac_new (G_CHECKSUM_SHA256, (const guchar *) dest->secret,
                                      strlen (dest->secret));
  g_autofree char *data = NULL;
  g_autofree char *timestamp = g_strdup_printf ("%" G_GINT64_FORMAT,
                                                g_get_real_time () / G_USEC_PER_SEC);
  g_autofree char *signature = NULL;
  gsize length;
  SoupMessage *msg;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, "alert.opened");
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, dh_notice_get_id (notice));
  json_builder_set_member_name (b, "alert");
  json_builder_add_value (b, g_steal_pointer (&alert));
  json_builder_end_object (b);
  body = json_builder_get_root (b);

  data = json_to_string (body, FALSE);
  length = strlen (data);
  g_hmac_update (hmac, (const guchar *) timestamp, -1);
  g_hmac_update (hmac, (const guchar *) ".", 1);
  g_hmac_update (hmac, (const guchar *) data, length);
  signature = g_strconcat ("sha256=", g_hmac_get_string (hmac), NULL);

  msg = soup_message_new (SOUP_METHOD_POST, dest->url);
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "X-DnsHunt-Timestamp",
                                timestamp);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "X-DnsHunt-Signature",
                                signature);
  {
    g_autoptr(GBytes) bytes = g_bytes_new_take (g_steal_pointer (&data), length);
    soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
  }
  return msg;
}

const DhDestinationKind dh_destination_webhook = {
  .id = "webhook",
  .label = N_("Webhook"),
  .url_env = "DNSHUNT_WEBHOOK_URL",
  .secret_env = "DNSHUNT_WEBHOOK_SECRET",
  .build = webhook_build,
};
