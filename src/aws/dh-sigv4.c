/* dh-sigv4.c: AWS Signature Version 4
 *
 * The four steps of the AWS documentation, with GLib's GChecksum and GHmac:
 * canonical request, string to sign, signing key (HMAC chain from
 * "AWS4" + secret over date, region, service, "aws4_request"), signature.
 * Canonical forms follow botocore's SigV4Auth, which the test vectors and the
 * loopback test server check byte for byte. The secret and the derived keys
 * are wiped from memory once used.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "dh-sigv4.h"

#define ALGORITHM "AWS4-HMAC-SHA256"
#define SHA256_LEN 32

static void
wipe (gpointer data,
      gsize    len)
{
  /* Not optimised away, unlike memset on memory about to be freed. */
  explicit_bzero (data, len);
}

/**
 * dh_sigv4_sha256_hex:
 *
 * Returns: (transfer full): the SHA-256 of @data as lowercase hex
 */
char *
dh_sigv4_sha256_hex (gconstpointer data,
                     gsize         len)
{
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, data, len);
}

static void
hmac_sha256 (const guint8 *key,
             gsize         key_len,
             const char   *data,
             gsize         data_len,
             guint8        out[SHA256_LEN])
{
  g_autoptr(GHmac) hmac = g_hmac_new (G_CHECKSUM_SHA256, key, key_len);
  gsize len = SHA256_LEN;

  g_hmac_update (hmac, (const guchar *) data, data_len);
  g_hmac_get_digest (hmac, out, &len);
}

/**
 * dh_sigv4_format_date:
 * @unix_usec: a time, µs since the epoch
 * @buf: (out): receives the X-Amz-Date form, e.g. `20150830T123600Z`
 */
void
dh_sigv4_format_date (gint64 unix_usec,
                      char   buf[DH_SIGV4_DATE_SIZE])
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (unix_usec / G_USEC_PER_SEC);

  g_snprintf (buf, DH_SIGV4_DATE_SIZE, "%04d%02d%02dT%02d%02d%02dZ",
              g_date_time_get_year (dt), g_date_time_get_month (dt),
              g_date_time_get_day_of_month (dt), g_date_time_get_hour (dt),
              g_date_time_get_minute (dt), g_date_time_get_second (dt));
}

static gboolean
is_unreserved (guchar c)
{
  return g_ascii_isalnum (c) || c == '-' || c == '_' || c == '.' || c == '~';
}

/* RFC 3986 encoding as SigV4 wants it: every byte but the unreserved ones,
 * upper-case hex; '/' kept when @keep_slash. */
static void
append_uri_encoded (GString    *s,
                    const char *text,
                    gsize       len,
                    gboolean    keep_slash)
{
  static const char hex[] = "0123456789ABCDEF";

  for (gsize i = 0; i < len; i++)
    {
      guchar c = text[i];
      if (is_unreserved (c) || (keep_slash && c == '/'))
        g_string_append_c (s, c);
      else
        {
          g_string_append_c (s, '%');
          g_string_append_c (s, hex[c >> 4]);
          g_string_append_c (s, hex[c & 15]);
        }
    }
}

static char *
percent_decode (const char *text,
                gsize       len)
{
  GString *s = g_string_sized_new (len);

  for (gsize i = 0; i < len; i++)
    {
      if (text[i] == '%' && i + 2 < len &&
          g_ascii_isxdigit (text[i + 1]) && g_ascii_isxdigit (text[i + 2]))
        {
          g_string_append_c (s, (char) (g_ascii_xdigit_value (text[i + 1]) << 4 |
                                        g_ascii_xdigit_value (text[i + 2])));
          i += 2;
        }
      else
        g_string_append_c (s, text[i]);
    }
  return g_string_free (s, FALSE);
}

/* RFC 3986 section 5.2.4 plus the removal of empty segments, as botocore
 * normalises the path of every service but S3; the result is encoded once
 * more (AWS double-encodes paths). */
static char *
canonical_path (const char *path)
{
  g_auto(GStrv) segments = NULL;
  g_autoptr(GPtrArray) out = g_ptr_array_new ();
  GString *s;

  if (path == NULL || *path == '\0')
    return g_strdup ("/");

  segments = g_strsplit (path, "/", -1);
  for (guint i = 0; segments[i]; i++)
    {
      if (*segments[i] == '\0' || g_str_equal (segments[i], "."))
        continue;
      if (g_str_equal (segments[i], ".."))
        {
          if (out->len > 0)
            g_ptr_array_remove_index (out, out->len - 1);
        }
      else
        g_ptr_array_add (out, segments[i]);
    }

  s = g_string_new (path[0] == '/' ? "/" : "");
  for (guint i = 0; i < out->len; i++)
    {
      const char *seg = out->pdata[i];
      if (i > 0)
        g_string_append_c (s, '/');
      append_uri_encoded (s, seg, strlen (seg), FALSE);
    }
  if (out->len > 0 && g_str_has_suffix (path, "/"))
    g_string_append_c (s, '/');
  return g_string_free (s, FALSE);
}

typedef struct
{
  char *key;
  char *value;
} QueryPair;

static int
compare_pairs (gconstpointer a,
               gconstpointer b)
{
  const QueryPair *x = a, *y = b;
  int c = strcmp (x->key, y->key);

  return c != 0 ? c : strcmp (x->value, y->value);
}

static char *
canonical_query (const char *query)
{
  g_autoptr(GArray) pairs = g_array_new (FALSE, FALSE, sizeof (QueryPair));
  g_auto(GStrv) parts = NULL;
  GString *s = g_string_new (NULL);

  if (query == NULL || *query == '\0')
    return g_string_free (s, FALSE);

  parts = g_strsplit (query, "&", -1);
  for (guint i = 0; parts[i]; i++)
    {
      const char *eq = strchr (parts[i], '=');
      g_autofree char *key = NULL;
      g_autofree char *value = NULL;
      GString *k = g_string_new (NULL), *v = g_string_new (NULL);
      QueryPair pair;

      if (*parts[i] == '\0')
        {
          g_string_free (k, TRUE);
          g_string_free (v, TRUE);
          continue;
        }
      key = percent_decode (parts[i], eq ? (gsize) (eq - parts[i]) : strlen (parts[i]));
      value = eq ? percent_decode (eq + 1, strlen (eq + 1)) : g_strdup ("");
      append_uri_encoded (k, key, strlen (key), FALSE);
      append_uri_encoded (v, value, strlen (value), FALSE);
      pair.key = g_string_free (k, FALSE);
      pair.value = g_string_free (v, FALSE);
      g_array_append_val (pairs, pair);
    }
  g_array_sort (pairs, compare_pairs);
  for (guint i = 0; i < pairs->len; i++)
    {
      QueryPair *p = &g_array_index (pairs, QueryPair, i);
      g_string_append_printf (s, "%s%s=%s", i ? "&" : "", p->key, p->value);
      g_free (p->key);
      g_free (p->value);
    }
  return g_string_free (s, FALSE);
}

/* Trimmed, with runs of spaces and tabs made one space. */
static void
append_header_value (GString    *s,
                     const char *value)
{
  gboolean space = FALSE;
  gsize start = s->len;

  while (*value == ' ' || *value == '\t')
    value++;
  for (const char *p = value; *p; p++)
    {
      if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
        space = TRUE;
      else
        {
          if (space && s->len > start)
            g_string_append_c (s, ' ');
          space = FALSE;
          g_string_append_c (s, *p);
        }
    }
}

typedef struct
{
  char       *name;   /* lower case */
  const char *value;
  gsize       order;
} CanonHeader;

static int
compare_headers (gconstpointer a,
                 gconstpointer b)
{
  const CanonHeader *x = a, *y = b;
  int c = strcmp (x->name, y->name);

  if (c != 0)
    return c;
  return x->order < y->order ? -1 : (x->order > y->order);
}

/**
 * dh_sigv4_sign:
 * @request: the request as it will be sent
 * @params: credentials, scope and time
 * @result: (out caller-allocates): what was computed; clear with
 *   dh_sigv4_result_clear()
 *
 * Signs @request. The Authorization header to send is @result->authorization.
 */
void
dh_sigv4_sign (const DhSigv4Request *request,
               const DhSigv4Params  *params,
               DhSigv4Result        *result)
{
  g_autoptr(GArray) headers = NULL;
  g_autofree char *path = NULL;
  g_autofree char *query = NULL;
  g_autofree char *payload_hash = NULL;
  g_autofree char *creq_hash = NULL;
  GString *creq, *signed_headers;
  char date[9];
  gsize secret_len;
  char *k_secret;
  guint8 key[SHA256_LEN], signature[SHA256_LEN];

  g_return_if_fail (request != NULL && params != NULL && result != NULL);
  g_return_if_fail (params->amz_date != NULL && strlen (params->amz_date) >= 8);

  /* 1. canonical request */
  headers = g_array_sized_new (FALSE, FALSE, sizeof (CanonHeader), request->n_headers);
  path = canonical_path (request->path);
  query = canonical_query (request->query);
  payload_hash = dh_sigv4_sha256_hex (request->payload ? request->payload : "",
                                      request->payload_len);
  creq = g_string_new (NULL);
  signed_headers = g_string_new (NULL);
  for (gsize i = 0; i < request->n_headers; i++)
    {
      CanonHeader h = { g_ascii_strdown (request->headers[i].name, -1),
                        request->headers[i].value, i };
      g_strstrip (h.name);
      g_array_append_val (headers, h);
    }
  g_array_sort (headers, compare_headers);

  g_string_append_printf (creq, "%s\n%s\n%s\n", request->method, path, query);
  for (guint i = 0; i < headers->len; i++)
    {
      CanonHeader *h = &g_array_index (headers, CanonHeader, i);
      gboolean same = i > 0 && g_str_equal (h->name,
                                            g_array_index (headers, CanonHeader, i - 1).name);
      if (same)
        g_string_append_c (creq, ',');
      else
        {
          if (i > 0)
            {
              g_string_append_c (creq, '\n');
              g_string_append_c (signed_headers, ';');
            }
          g_string_append_printf (creq, "%s:", h->name);
          g_string_append (signed_headers, h->name);
        }
      append_header_value (creq, h->value);
    }
  g_string_append_printf (creq, "\n\n%s\n%s", signed_headers->str, payload_hash);
  for (guint i = 0; i < headers->len; i++)
    g_free (g_array_index (headers, CanonHeader, i).name);

  result->canonical_request = g_string_free (creq, FALSE);
  result->signed_headers = g_string_free (signed_headers, FALSE);

  /* 2. string to sign */
  memcpy (date, params->amz_date, 8);
  date[8] = '\0';
  result->credential_scope = g_strdup_printf ("%s/%s/%s/aws4_request", date, params->region,
                                              params->service);
  creq_hash = dh_sigv4_sha256_hex (result->canonical_request,
                                   strlen (result->canonical_request));
  result->string_to_sign = g_strdup_printf (ALGORITHM "\n%s\n%s\n%s", params->amz_date,
                                            result->credential_scope, creq_hash);

  /* 3. signing key */
  secret_len = strlen (params->secret_access_key);
  k_secret = g_malloc (secret_len + 5);
  memcpy (k_secret, "AWS4", 4);
  memcpy (k_secret + 4, params->secret_access_key, secret_len + 1);
  hmac_sha256 ((const guint8 *) k_secret, secret_len + 4, date, 8, key);
  wipe (k_secret, secret_len + 4);
  g_free (k_secret);
  hmac_sha256 (key, SHA256_LEN, params->region, strlen (params->region), key);
  hmac_sha256 (key, SHA256_LEN, params->service, strlen (params->service), key);
  hmac_sha256 (key, SHA256_LEN, "aws4_request", 12, key);

  /* 4. signature */
  hmac_sha256 (key, SHA256_LEN, result->string_to_sign, strlen (result->string_to_sign),
               signature);
  wipe (key, sizeof key);
  result->signature = g_malloc (SHA256_LEN * 2 + 1);
  for (guint i = 0; i < SHA256_LEN; i++)
    g_snprintf (result->signature + 2 * i, 3, "%02x", signature[i]);

  result->authorization = g_strdup_printf (ALGORITHM " Credential=%s/%s, SignedHeaders=%s, "
                                           "Signature=%s", params->access_key_id,
                                           result->credential_scope, result->signed_headers,
                                           result->signature);
}

void
dh_sigv4_result_clear (DhSigv4Result *result)
{
  g_clear_pointer (&result->canonical_request, g_free);
  g_clear_pointer (&result->string_to_sign, g_free);
  g_clear_pointer (&result->signed_headers, g_free);
  g_clear_pointer (&result->credential_scope, g_free);
  g_clear_pointer (&result->signature, g_free);
  g_clear_pointer (&result->authorization, g_free);
}
