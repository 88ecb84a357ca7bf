/* dh-destination.c: where alerts go, configured from the environment
 *
 * The URL of each destination and its secret come from the environment
 * (SPEC, Notifications), never from a flag, which `ps` shows: a variable X,
 * or X_FILE naming a file that only its owner can read. Nothing here puts a
 * secret in a message: a destination is named by its kind and host.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include <glib/gi18n-lib.h>

#include "dh-destination.h"

G_DEFINE_QUARK (dh-notify-error-quark, dh_notify_error)

/* the largest *_FILE read: a URL or a key is far smaller */
#define SECRET_FILE_MAX (64 * 1024)

static const DhDestinationKind *const kinds[] = {
  &dh_destination_slack,
  &dh_destination_pagerduty,
  &dh_destination_webhook,
};

const DhDestinationKind *
dh_destination_kind_find (const char *id)
{
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (g_strcmp0 (kinds[i]->id, id) == 0)
      return kinds[i];
  return NULL;
}

/* "slack, pagerduty, webhook", for messages */
char *
dh_destination_kind_list (void)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    g_string_append_printf (s, "%s%s", i ? ", " : "", kinds[i]->id);
  return g_string_free (s, FALSE);
}

static gboolean
is_loopback (const char *host)
{
  g_autoptr(GInetAddress) address = g_inet_address_new_from_string (host);

  if (address)
    return g_inet_address_get_is_loopback (address);
  return g_ascii_strcasecmp (host, "localhost") == 0;
}

/**
 * dh_destination_new:
 * @url: where to POST: https, or http to this machine only (a secret must
 *   not cross a network in clear)
 * @secret: (nullable): the routing key or HMAC key
 *
 * Returns: (transfer full): the destination, or %NULL with @error set
 */
DhDestination *
dh_destination_new (const DhDestinationKind  *kind,
                    const char               *url,
                    const char               *secret,
                    GError                  **error)
{
  g_autoptr(DhDestination) dest = g_new0 (DhDestination, 1);
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL);
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  const char *scheme = uri ? g_uri_get_scheme (uri) : NULL;
  const char *host = uri ? g_uri_get_host (uri) : NULL;

  dest->kind = kind;
  if (uri == NULL || host == NULL || *host == '\0' ||
      !(g_ascii_strcasecmp (scheme, "https") == 0 ||
        (g_ascii_strcasecmp (scheme, "http") == 0 && is_loopback (host))))
    {
      /* the URL itself may be the secret: name the variable, not the value */
      g_set_error (error, DH_NOTIFY_ERROR, DH_NOTIFY_ERROR_CONFIG,
                   _("%s is not an https:// URL (http:// only to this machine)"),
                   kind->url_env);
      return NULL;
    }
  if (kind->secret_env && (secret == NULL || *secret == '\0'))
    {
      g_set_error (error, DH_NOTIFY_ERROR, DH_NOTIFY_ERROR_CONFIG,
                   _("--notify=%s needs %s (or %s_FILE)"), kind->id, kind->secret_env,
                   kind->secret_env);
      return NULL;
    }
  dest->url = g_strdup (url);
  dest->secret = g_strdup (secret);
  dest->name = g_strdup_printf ("%s (%s)", _(kind->label), host);

  /* The same receiver keeps its outbox across runs; the folder's name is a
   * digest, so the URL and the key do not show in it. */
  g_checksum_update (sum, (const guchar *) kind->id, -1);
  g_checksum_update (sum, (const guchar *) "\n", 1);
  g_checksum_update (sum, (const guchar *) url, -1);
  g_checksum_update (sum, (const guchar *) "\n", 1);
  if (secret)
    g_checksum_update (sum, (const guchar *) secret, -1);
  dest->key = g_strdup_printf ("%s-%.16s", kind->id, g_checksum_get_string (sum));
  return g_steal_pointer (&dest);
}

/* the value of @file (a *_FILE variable's file), refused when others may
 * read or change it */
static char *
read_secret_file (const char  *variable,
                  const char  *path,
                  GError     **error)
{
  g_autofree char *contents = NULL;
  gsize length;
  struct stat st;

  if (stat (path, &st) != 0)
    {
      int saved = errno;
      g_set_error (error, DH_NOTIFY_ERROR, DH_NOTIFY_ERROR_CONFIG, _("%s: cannot read %s: %s"),
                   variable, path, g_strerror (saved));
      return NULL;
    }
  if (!S_ISREG (st.st_mode))
    {
      g_set_error (error, DH_NOTIFY_ERROR, DH_NOTIFY_ERROR_CONFIG,
                   _("%s: %s is not a regular file"), variable, path);
      return NULL;
    }
  if ((st.st_mode & 077) != 0)
    {
      g_set_error (error, DH_NOTIFY_ERROR, DH_NOTIFY_ERROR_CONFIG,
                   _("%s: %s can be read or changed by others (mode %03o); make it "
                     "private with “chmod 600 %s”"),
                   variable, path, (guint) (st.st_mode & 0777), path);
      return NULL;
    }
  if (st.st_size > SECRET_FILE_MAX)
    {
      g_set_error (error, DH_NOTIFY_ERROR, DH_NOTIFY_ERROR_CONFIG,
                   _("%s: %s is too large for a URL or a key"), variable, path);
      return NULL;
    }
  if (!g_file_get_contents (path, &contents, &length, error))
    return NULL;
  if (memchr (contents, '\0', length))
    {
      g_set_error (error, DH_NOTIFY_ERROR, DH_NOTIFY_ERROR_CONFIG,
                   _("%s: %s holds binary data"), variable, path);
      return NULL;
    }
  return g_strdup (g_strstrip (contents));
}

/**
 * dh_notify_read_env:
 * @name: the variable, for example DNSHUNT_SLACK_WEBHOOK_URL
 * @found: (out): whether @name or @name_FILE is set
 *
 * Returns: (transfer full) (nullable): the value of @name, or of the file
 *   @name_FILE names; %NULL when neither is set (@found FALSE) or on error
 */
char *
dh_notify_read_env (const char  *name,
                    gboolean    *found,
                    GError     **error)
{
  g_autofree char *file_var = g_strconcat (name, "_FILE", NULL);
  const char *value = g_getenv (name);
  const char *file = g_getenv (file_var);
  g_autofree char *result = NULL;

  *found = (value && *value) || (file && *file);
  if (!*found)
    return NULL;
  if (value && *value && file && *file)
    {
      g_set_error (error, DH_NOTIFY_ERROR, DH_NOTIFY_ERROR_CONFIG,
                   _("Both %s and %s are set: keep one"), name, file_var);
      return NULL;
    }
  result = value && *value ? g_strstrip (g_strdup (value)) : read_secret_file (file_var, file, error);
  if (result == NULL)
    return NULL;
  if (*result == '\0' || strpbrk (result, "\r\n") || !g_utf8_validate (result, -1, NULL))
    {
      g_set_error (error, DH_NOTIFY_ERROR, DH_NOTIFY_ERROR_CONFIG,
                   _("%s is empty or more than one line"), file && *file ? file_var : name);
      return NULL;
    }
  return g_steal_pointer (&result);
}

/**
 * dh_destination_new_from_env:
 *
 * Returns: (transfer full): @kind as the environment configures it, or %NULL
 *   with @error set
 */
DhDestination *
dh_destination_new_from_env (const DhDestinationKind  *kind,
                             GError                  **error)
{
  g_autofree char *url = NULL;
  g_autofree char *secret = NULL;
  gboolean found;

  url = dh_notify_read_env (kind->url_env, &found, error);
  if (url == NULL && found)
    return NULL;
  if (url == NULL && kind->default_url == NULL)
    {
      g_set_error (error, DH_NOTIFY_ERROR, DH_NOTIFY_ERROR_CONFIG,
                   _("--notify=%s needs %s (or %s_FILE)"), kind->id, kind->url_env,
                   kind->url_env);
      return NULL;
    }
  if (kind->secret_env)
    {
      secret = dh_notify_read_env (kind->secret_env, &found, error);
      if (secret == NULL && found)
        return NULL;
    }
  return dh_destination_new (kind, url ? url : kind->default_url, secret, error);
}

void
dh_destination_free (DhDestination *dest)
{
  if (dest == NULL)
    return;
  g_free (dest->url);
  if (dest->secret)
    explicit_bzero (dest->secret, strlen (dest->secret));
  g_free (dest->secret);
  g_free (dest->name);
  g_free (dest->key);
  g_free (dest);
}

static void
replace_all (GString    *s,
             const char *what)
{
  if (what && strlen (what) >= 4)
    g_string_replace (s, what, "[redacted]", 0);
}

/**
 * dh_destination_redact:
 * @text: a receiver's answer, or an error's message
 *
 * Returns: (transfer full): @text without the destination's URL, its path or
 *   its secret, made printable
 */
char *
dh_destination_redact (DhDestination *dest,
                       const char    *text)
{
  g_autoptr(GUri) uri = g_uri_parse (dest->url, G_URI_FLAGS_ENCODED, NULL);
  g_autofree char *valid = g_utf8_make_valid (text ? text : "", -1);
  GString *s = g_string_new (valid);

  replace_all (s, dest->url);
  replace_all (s, dest->secret);
  if (uri && strlen (g_uri_get_path (uri)) > 1)
    replace_all (s, g_uri_get_path (uri));
  for (char *p = s->str; *p; p++)
    if ((guchar) *p < 0x20)
      *p = ' ';
  if (s->len > 300)
    {
      g_autofree char *cut = g_utf8_substring (s->str, 0, 300);
      g_string_assign (s, cut);
      g_string_append (s, "…");
    }
  return g_string_free (s, FALSE);
}

/* a POST of @body as JSON to the destination, redirects not followed (the
 * body, its signature or a key would go where the receiver sends them) */
SoupMessage *
dh_destination_json_message (DhDestination *dest,
                             JsonNode      *body)
{
  g_autofree char *data = json_to_string (body, FALSE);
  gsize length = strlen (data);
  g_autoptr(GBytes) bytes = g_bytes_new_take (g_steal_pointer (&data), length);
  SoupMessage *msg = soup_message_new (SOUP_METHOD_POST, dest->url);

  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
  return msg;
}
