/* dh-aws-credentials.c: AWS credentials and region, as the AWS CLI resolves them
 *
 * The order is botocore's: the environment (unless a profile was named on the
 * command line: an explicit profile wins over AWS_ACCESS_KEY_ID), then the
 * profile's keys in the shared credentials file, then its credential_process,
 * then its keys in the config file. Role assumption, SSO and web identity are
 * refused with a message that points at credential_process (`aws configure
 * export-credentials` covers all three). Region: --region, AWS_REGION,
 * AWS_DEFAULT_REGION, then the profile's `region`.
 *
 * Keys from credential_process carry an expiry; they are cached and fetched
 * again five minutes before it. Secrets live only in DhAwsKeys and in the
 * parsed files, are wiped when freed, and never enter a message: errors name
 * the variable, file, line, profile or program, never a value.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#define G_LOG_DOMAIN "dh-aws"

#include <string.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "dh-aws-credentials.h"
#include "dh-json.h"

#define DEFAULT_PROCESS_TIMEOUT_MS (60 * 1000)
#define REFRESH_MARGIN_US          (5 * 60 * G_USEC_PER_SEC)
#define MAX_PROCESS_OUTPUT         (64 * 1024)
#define MAX_PROCESS_MESSAGES       (1024 * 1024)
#define PIPE_CHUNK                 (16 * 1024)

G_DEFINE_QUARK (dh-aws-credentials-error-quark, dh_aws_credentials_error)

static void
secret_free (gpointer data)
{
  char *s = data;

  if (s == NULL)
    return;
  explicit_bzero (s, strlen (s));
  g_free (s);
}

/* ---- DhAwsKeys -------------------------------------------------------- */

struct _DhAwsKeys
{
  gatomicrefcount  ref_count;
  char            *access_key_id;
  char            *secret_access_key;
  char            *session_token;
  gint64           expiration;
  char            *source;
};

G_DEFINE_BOXED_TYPE (DhAwsKeys, dh_aws_keys, dh_aws_keys_ref, dh_aws_keys_unref)

/**
 * dh_aws_keys_new:
 * @session_token: (nullable): the token of temporary credentials
 * @expiration: when they expire, µs since the epoch, or 0 for never
 * @source: where they came from, for messages (never a secret)
 */
DhAwsKeys *
dh_aws_keys_new (const char *access_key_id,
                 const char *secret_access_key,
                 const char *session_token,
                 gint64      expiration,
                 const char *source)
{
  DhAwsKeys *keys = g_new0 (DhAwsKeys, 1);

  g_atomic_ref_count_init (&keys->ref_count);
  keys->access_key_id = g_strdup (access_key_id);
  keys->secret_access_key = g_strdup (secret_access_key);
  keys->session_token = session_token && *session_token ? g_strdup (session_token) : NULL;
  keys->expiration = expiration;
  keys->source = g_strdup (source ? source : "");
  return keys;
}

DhAwsKeys *
dh_aws_keys_ref (DhAwsKeys *keys)
{
  g_atomic_ref_count_inc (&keys->ref_count);
  return keys;
}

void
dh_aws_keys_unref (DhAwsKeys *keys)
{
  if (keys == NULL || !g_atomic_ref_count_dec (&keys->ref_count))
    return;
  g_free (keys->access_key_id);
  secret_free (keys->secret_access_key);
  secret_free (keys->session_token);
  g_free (keys->source);
  g_free (keys);
}

const char *
dh_aws_keys_get_access_key_id (DhAwsKeys *keys)
{
  return keys->access_key_id;
}

const char *
dh_aws_keys_get_secret_access_key (DhAwsKeys *keys)
{
  return keys->secret_access_key;
}

/**
 * dh_aws_keys_get_session_token:
 *
 * Returns: (nullable): the session token, or %NULL for long-term keys
 */
const char *
dh_aws_keys_get_session_token (DhAwsKeys *keys)
{
  return keys->session_token;
}

gint64
dh_aws_keys_get_expiration (DhAwsKeys *keys)
{
  return keys->expiration;
}

const char *
dh_aws_keys_get_source (DhAwsKeys *keys)
{
  return keys->source;
}

/* ---- the two files ---------------------------------------------------- */

typedef struct
{
  char       *path;
  gboolean    exists;
  GHashTable *profiles;   /* name → (key → value) */
} IniFile;

static void
ini_file_free (IniFile *ini)
{
  if (ini == NULL)
    return;
  g_free (ini->path);
  g_hash_table_unref (ini->profiles);
  g_free (ini);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (IniFile, ini_file_free)

/* The profile a section header names, or NULL for sections that are not
 * profiles (sso-session, services, ...). In the config file profiles are
 * `[profile NAME]` (and `[default]`); in the credentials file `[NAME]`. */
static char *
section_profile (const char *section,
                 gboolean    is_config)
{
  if (!is_config)
    return g_strdup (section);
  if (g_str_equal (section, "default"))
    return g_strdup (section);
  if (g_str_has_prefix (section, "profile") && g_ascii_isspace (section[7]))
    {
      g_autofree char *name = g_strstrip (g_strdup (section + 7));
      gsize len = strlen (name);

      if (len >= 2 && (name[0] == '"' || name[0] == '\'') && name[len - 1] == name[0])
        {
          name[len - 1] = '\0';
          memmove (name, name + 1, len - 1);
        }
      return *name && !strchr (name, ' ') ? g_steal_pointer (&name) : NULL;
    }
  return NULL;
}

static GHashTable *
new_section (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, secret_free);
}

/* The INI dialect of Python's configparser, which the AWS CLI reads them
 * with: `[section]`, `key = value` or `key: value`, keys case-folded, `#`
 * and `;` comment lines, indented lines continuing the previous value (nested
 * settings such as `s3 =`, ignored here). A line that is none of these is an
 * error naming the file and line, never quoting it: it may hold a secret. */
static gboolean
ini_parse (IniFile     *ini,
           const char  *text,
           gboolean     is_config,
           GError     **error)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  GHashTable *current = NULL;
  gboolean in_section = FALSE;
  gboolean have_key = FALSE;
  gsize key_indent = 0;
  gboolean ok = TRUE;

  for (guint i = 0; lines[i] && ok; i++)
    {
      char *line = lines[i];
      gsize len = strlen (line);
      gsize indent = strspn (line, " \t");
      char *sep;

      if (len > 0 && line[len - 1] == '\r')
        line[--len] = '\0';
      if (have_key && indent > key_indent && line[indent] != '\0')
        continue;    /* continuation of a nested value */
      g_strstrip (line);
      if (*line == '\0' || *line == '#' || *line == ';')
        continue;
      len = strlen (line);
      if (line[0] == '[' && line[len - 1] == ']')
        {
          g_autofree char *section = g_strstrip (g_strndup (line + 1, len - 2));
          g_autofree char *profile = section_profile (section, is_config);

          in_section = TRUE;
          have_key = FALSE;
          current = NULL;
          if (profile == NULL)
            continue;
          current = g_hash_table_lookup (ini->profiles, profile);
          if (current == NULL)
            {
              current = new_section ();
              g_hash_table_insert (ini->profiles, g_steal_pointer (&profile), current);
            }
          continue;
        }
      sep = strpbrk (line, "=:");
      if (sep == NULL || sep == line || !in_section)
        {
          g_set_error (error, DH_AWS_CREDENTIALS_ERROR, DH_AWS_CREDENTIALS_ERROR_UNREADABLE,
                       in_section ? _("%s, line %u: cannot parse it (expected “[section]” or "
                                      "“key = value”)")
                                  : _("%s, line %u: a setting before any [section]"),
                       ini->path, i + 1);
          ok = FALSE;
          break;
        }
      have_key = TRUE;
      key_indent = indent;
      if (current != NULL)
        {
          char *key = g_ascii_strdown (line, sep - line);

          g_hash_table_replace (current, g_strstrip (key), g_strstrip (g_strdup (sep + 1)));
        }
    }
  for (guint i = 0; lines[i]; i++)
    explicit_bzero (lines[i], strlen (lines[i]));
  return ok;
}

/* HOME as it is now, like Python's expanduser (GLib caches its first value). */
static const char *
home_dir (void)
{
  const char *home = g_getenv ("HOME");

  return home && *home ? home : g_get_home_dir ();
}

static char *
expand_home (const char *path)
{
  if (g_str_has_prefix (path, "~/") || g_str_equal (path, "~"))
    return g_build_filename (home_dir (), path + 1, NULL);
  return g_strdup (path);
}

static IniFile *
ini_load (const char  *env_var,
          const char  *default_name,
          gboolean     is_config,
          GError     **error)
{
  g_autoptr(IniFile) ini = g_new0 (IniFile, 1);
  g_autoptr(GError) local = NULL;
  const char *env = g_getenv (env_var);
  char *text = NULL;
  gsize len = 0;

  ini->path = env && *env ? expand_home (env)
                          : g_build_filename (home_dir (), ".aws", default_name, NULL);
  ini->profiles = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) g_hash_table_unref);
  if (!g_file_get_contents (ini->path, &text, &len, &local))
    {
      if (g_error_matches (local, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return g_steal_pointer (&ini);
      g_set_error (error, DH_AWS_CREDENTIALS_ERROR, DH_AWS_CREDENTIALS_ERROR_UNREADABLE,
                   _("Cannot read %s (%s): %s"), ini->path, env && *env ? env_var : _("default"),
                   local->message);
      return NULL;
    }
  ini->exists = TRUE;
  if (!g_utf8_validate (text, len, NULL) || memchr (text, '\0', len) != NULL)
    {
      explicit_bzero (text, len);
      g_free (text);
      g_set_error (error, DH_AWS_CREDENTIALS_ERROR, DH_AWS_CREDENTIALS_ERROR_UNREADABLE,
                   _("%s is not a text file"), ini->path);
      return NULL;
    }
  if (!ini_parse (ini, text, is_config, error))
    {
      explicit_bzero (text, len);
      g_free (text);
      return NULL;
    }
  explicit_bzero (text, len);
  g_free (text);
  return g_steal_pointer (&ini);
}

/* ---- DhAwsCredentials ------------------------------------------------- */

struct _DhAwsCredentials
{
  GObject     parent_instance;

  char       *profile;
  gboolean    explicit_profile;
  IniFile    *config;
  IniFile    *credentials;
  DhAwsKeys  *fixed;          /* dh_aws_credentials_new_for_keys() */
  char       *fixed_region;
  DhAwsKeys  *cached;
  gboolean    from_process;  /* the keys come from credential_process */
  guint       process_timeout;
  GPtrArray  *waiters;        /* GTask *, waiting for a running credential_process */
};

G_DEFINE_FINAL_TYPE (DhAwsCredentials, dh_aws_credentials, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PROFILE,
  PROP_PROCESS_TIMEOUT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
dh_aws_credentials_finalize (GObject *object)
{
  DhAwsCredentials *self = DH_AWS_CREDENTIALS (object);

  g_free (self->profile);
  g_clear_pointer (&self->config, ini_file_free);
  g_clear_pointer (&self->credentials, ini_file_free);
  g_clear_pointer (&self->fixed, dh_aws_keys_unref);
  g_free (self->fixed_region);
  g_clear_pointer (&self->cached, dh_aws_keys_unref);
  g_ptr_array_unref (self->waiters);
  G_OBJECT_CLASS (dh_aws_credentials_parent_class)->finalize (object);
}

static void
dh_aws_credentials_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  DhAwsCredentials *self = DH_AWS_CREDENTIALS (object);

  switch (prop_id)
    {
    case PROP_PROFILE:
      g_value_set_string (value, self->profile);
      break;
    case PROP_PROCESS_TIMEOUT:
      g_value_set_uint (value, self->process_timeout);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dh_aws_credentials_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  DhAwsCredentials *self = DH_AWS_CREDENTIALS (object);

  switch (prop_id)
    {
    case PROP_PROCESS_TIMEOUT:
      dh_aws_credentials_set_process_timeout (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dh_aws_credentials_class_init (DhAwsCredentialsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = dh_aws_credentials_finalize;
  object_class->get_property = dh_aws_credentials_get_property;
  object_class->set_property = dh_aws_credentials_set_property;

  /**
   * DhAwsCredentials:profile:
   *
   * The profile whose settings are used (named, AWS_PROFILE, or `default`).
   */
  properties[PROP_PROFILE] =
    g_param_spec_string ("profile", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * DhAwsCredentials:process-timeout:
   *
   * How long credential_process may run, in milliseconds.
   */
  properties[PROP_PROCESS_TIMEOUT] =
    g_param_spec_uint ("process-timeout", NULL, NULL, 1, G_MAXUINT, DEFAULT_PROCESS_TIMEOUT_MS,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
dh_aws_credentials_init (DhAwsCredentials *self)
{
  self->process_timeout = DEFAULT_PROCESS_TIMEOUT_MS;
  self->waiters = g_ptr_array_new ();
}

static gboolean
has_profile (DhAwsCredentials *self,
             const char       *name)
{
  return g_hash_table_contains (self->credentials->profiles, name) ||
         g_hash_table_contains (self->config->profiles, name);
}

/**
 * dh_aws_credentials_new:
 * @profile: (nullable): a profile named by the user (`--profile`), or %NULL
 *   for AWS_PROFILE or `default`
 *
 * Reads the environment and the two files (small local files, read now).
 *
 * Returns: (transfer full): the resolver, or %NULL when a file cannot be read
 *   or a named profile does not exist
 */
DhAwsCredentials *
dh_aws_credentials_new (const char  *profile,
                        GError     **error)
{
  g_autoptr(DhAwsCredentials) self = g_object_new (DH_TYPE_AWS_CREDENTIALS, NULL);
  const char *env_profile = g_getenv ("AWS_PROFILE");

  if (env_profile == NULL || *env_profile == '\0')
    env_profile = g_getenv ("AWS_DEFAULT_PROFILE");
  self->explicit_profile = profile != NULL && *profile != '\0';
  if (self->explicit_profile)
    self->profile = g_strdup (profile);
  else if (env_profile && *env_profile)
    self->profile = g_strdup (env_profile);
  else
    self->profile = g_strdup ("default");

  self->credentials = ini_load ("AWS_SHARED_CREDENTIALS_FILE", "credentials", FALSE, error);
  if (self->credentials == NULL)
    return NULL;
  self->config = ini_load ("AWS_CONFIG_FILE", "config", TRUE, error);
  if (self->config == NULL)
    return NULL;

  /* As the AWS CLI: a profile that was asked for must exist. */
  if (!g_str_equal (self->profile, "default") && !has_profile (self, self->profile))
    {
      g_set_error (error, DH_AWS_CREDENTIALS_ERROR, DH_AWS_CREDENTIALS_ERROR_NO_PROFILE,
                   _("The AWS profile “%s” (%s) is not in %s%s nor in %s%s"),
                   self->profile, self->explicit_profile ? "--profile" : "AWS_PROFILE",
                   self->config->path, self->config->exists ? "" : _(" (no such file)"),
                   self->credentials->path,
                   self->credentials->exists ? "" : _(" (no such file)"));
      return NULL;
    }
  return g_steal_pointer (&self);
}

/**
 * dh_aws_credentials_new_for_keys:
 * @region: (nullable): the region to use when none is given
 *
 * Fixed keys, for tests and for keys the user typed in.
 */
DhAwsCredentials *
dh_aws_credentials_new_for_keys (DhAwsKeys  *keys,
                                 const char *region)
{
  DhAwsCredentials *self = g_object_new (DH_TYPE_AWS_CREDENTIALS, NULL);

  self->fixed = dh_aws_keys_ref (keys);
  self->fixed_region = g_strdup (region);
  return self;
}

const char *
dh_aws_credentials_get_profile (DhAwsCredentials *self)
{
  g_return_val_if_fail (DH_IS_AWS_CREDENTIALS (self), NULL);
  return self->profile;
}

void
dh_aws_credentials_set_process_timeout (DhAwsCredentials *self,
                                        guint             msec)
{
  g_return_if_fail (DH_IS_AWS_CREDENTIALS (self));
  if (self->process_timeout == msec)
    return;
  self->process_timeout = msec;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROCESS_TIMEOUT]);
}

guint
dh_aws_credentials_get_process_timeout (DhAwsCredentials *self)
{
  return self->process_timeout;
}

/* A profile setting: the credentials file first, as botocore merges them.
 * @file gets the path it came from. */
static const char *
lookup (DhAwsCredentials  *self,
        const char        *key,
        const char       **file)
{
  IniFile *files[] = { self->credentials, self->config };

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      GHashTable *section = files[i] ? g_hash_table_lookup (files[i]->profiles, self->profile)
                                     : NULL;
      const char *value = section ? g_hash_table_lookup (section, key) : NULL;
      if (value && *value)
        {
          if (file)
            *file = files[i]->path;
          return value;
        }
    }
  return NULL;
}

static const char *
lookup_in (IniFile    *ini,
           const char *profile,
           const char *key)
{
  GHashTable *section = g_hash_table_lookup (ini->profiles, profile);
  const char *value = section ? g_hash_table_lookup (section, key) : NULL;

  return value && *value ? value : NULL;
}

/**
 * dh_aws_region_is_valid:
 *
 * Returns: whether @region can be a region name (it becomes part of a host
 *   name, so nothing but lower-case letters, digits and dashes)
 */
gboolean
dh_aws_region_is_valid (const char *region)
{
  gsize len = region ? strlen (region) : 0;

  if (len == 0 || len > 64 || region[0] == '-' || region[len - 1] == '-')
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_islower (region[i]) && !g_ascii_isdigit (region[i]) && region[i] != '-')
      return FALSE;
  return TRUE;
}

/**
 * dh_aws_credentials_get_region:
 * @override: (nullable): a region the user named (`--region`)
 *
 * Returns: (transfer full): the region, or %NULL with an error that says
 *   where one can be set
 */
char *
dh_aws_credentials_get_region (DhAwsCredentials  *self,
                               const char        *override,
                               GError           **error)
{
  const char *region = NULL, *from = NULL;
  const char *file = NULL;

  g_return_val_if_fail (DH_IS_AWS_CREDENTIALS (self), NULL);

  if (override && *override)
    region = override, from = "--region";
  else if (self->fixed_region)
    region = self->fixed_region, from = "region";
  else if ((region = g_getenv ("AWS_REGION")) && *region)
    from = "AWS_REGION";
  else if ((region = g_getenv ("AWS_DEFAULT_REGION")) && *region)
    from = "AWS_DEFAULT_REGION";
  else if (self->config && (region = lookup (self, "region", &file)))
    from = file;
  else
    region = NULL;

  if (region == NULL)
    {
      g_set_error (error, DH_AWS_CREDENTIALS_ERROR, DH_AWS_CREDENTIALS_ERROR_NO_REGION,
                   _("No AWS region: use --region, set AWS_REGION, or add “region = …” to "
                     "profile “%s” in %s"),
                   self->profile ? self->profile : "default",
                   self->config ? self->config->path : "~/.aws/config");
      return NULL;
    }
  if (!dh_aws_region_is_valid (region))
    {
      g_autofree char *shown = g_strescape (region, NULL);
      g_set_error (error, DH_AWS_CREDENTIALS_ERROR, DH_AWS_CREDENTIALS_ERROR_NO_REGION,
                   _("“%s” (from %s) is not an AWS region name such as us-east-1"),
                   shown, from);
      return NULL;
    }
  return g_strdup (region);
}

/**
 * dh_aws_credentials_can_refresh:
 *
 * Returns: whether asking again may give new keys (credential_process)
 */
gboolean
dh_aws_credentials_can_refresh (DhAwsCredentials *self)
{
  g_return_val_if_fail (DH_IS_AWS_CREDENTIALS (self), FALSE);
  return self->from_process;
}

/**
 * dh_aws_credentials_invalidate:
 * @stale: (nullable): the keys the service refused, or %NULL for any
 *
 * Forgets cached keys (after the service said they expired), so the next
 * dh_aws_credentials_get_keys_async() runs credential_process again. Keys
 * already replaced since @stale was handed out are kept: concurrent requests
 * that all failed with the old keys cause one refresh, not one each.
 */
void
dh_aws_credentials_invalidate (DhAwsCredentials *self,
                               DhAwsKeys        *stale)
{
  g_return_if_fail (DH_IS_AWS_CREDENTIALS (self));
  if (stale != NULL && stale != self->cached)
    return;
  g_clear_pointer (&self->cached, dh_aws_keys_unref);
}

static GError *
partial_error (const char *where,
               const char *missing)
{
  return g_error_new (DH_AWS_CREDENTIALS_ERROR, DH_AWS_CREDENTIALS_ERROR_PARTIAL,
                      _("Incomplete AWS credentials in %s: %s is missing"), where, missing);
}

static GError *
unsupported_error (DhAwsCredentials *self,
                   const char       *what,
                   const char       *key,
                   const char       *file)
{
  return g_error_new (DH_AWS_CREDENTIALS_ERROR, DH_AWS_CREDENTIALS_ERROR_UNSUPPORTED,
                      _("Profile “%s” in %s uses %s (%s), which DNS Hunt cannot do itself; add "
                        "“credential_process = aws configure export-credentials --profile %s” "
                        "to a profile and use that one"),
                      self->profile, file, what, key, self->profile);
}

/* Keys that need no process, or NULL with *process set to the command to
 * run, or NULL with an error. */
static DhAwsKeys *
resolve_static (DhAwsCredentials  *self,
                const char       **process,
                const char       **process_file,
                GError           **error)
{
  const char *akid, *secret, *token, *file = NULL;
  static const struct { const char *key, *what; } unsupported[] = {
    { "role_arn", N_("role assumption") },
    { "sso_start_url", N_("AWS IAM Identity Center (SSO)") },
    { "sso_session", N_("AWS IAM Identity Center (SSO)") },
    { "web_identity_token_file", N_("web identity") },
  };

  *process = NULL;
  if (self->fixed)
    return dh_aws_keys_ref (self->fixed);

  /* 1. the environment, unless a profile was named explicitly */
  if (!self->explicit_profile)
    {
      akid = g_getenv ("AWS_ACCESS_KEY_ID");
      secret = g_getenv ("AWS_SECRET_ACCESS_KEY");
      token = g_getenv ("AWS_SESSION_TOKEN");
      if (token == NULL || *token == '\0')
        token = g_getenv ("AWS_SECURITY_TOKEN");
      if ((akid && *akid) || (secret && *secret))
        {
          const char *exp_text = g_getenv ("AWS_CREDENTIAL_EXPIRATION");
          gint64 expiration = 0;

          if (!(akid && *akid))
            {
              g_propagate_error (error, partial_error (_("the environment"),
                                                       "AWS_ACCESS_KEY_ID"));
              return NULL;
            }
          if (!(secret && *secret))
            {
              g_propagate_error (error, partial_error (_("the environment"),
                                                       "AWS_SECRET_ACCESS_KEY"));
              return NULL;
            }
          if (exp_text && *exp_text)
            {
              g_autoptr(GDateTime) dt = g_date_time_new_from_iso8601 (exp_text, NULL);
              if (dt != NULL)
                expiration = g_date_time_to_unix (dt) * G_USEC_PER_SEC;
            }
          return dh_aws_keys_new (akid, secret, token, expiration,
                                  _("the environment variables AWS_ACCESS_KEY_ID and "
                                    "AWS_SECRET_ACCESS_KEY"));
        }
    }

  if (!has_profile (self, self->profile))
    {
      g_set_error (error, DH_AWS_CREDENTIALS_ERROR, DH_AWS_CREDENTIALS_ERROR_NOT_FOUND,
                   _("No AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, "
                     "or add a [default] profile to %s or %s, or name one with --profile "
                     "(instance and container credentials are not looked up)"),
                   self->credentials->path, self->config->path);
      return NULL;
    }

  /* 2. role assumption, SSO, web identity: not ours */
  for (guint i = 0; i < G_N_ELEMENTS (unsupported); i++)
    if (lookup (self, unsupported[i].key, &file) && !lookup (self, "credential_process", NULL))
      {
        g_propagate_error (error, unsupported_error (self, _(unsupported[i].what),
                                                     unsupported[i].key, file));
        return NULL;
      }

  /* 3. keys in the shared credentials file, then 4. credential_process,
   * then 5. keys in the config file */
  for (guint pass = 0; pass < 3; pass++)
    {
      IniFile *ini = pass == 0 ? self->credentials : self->config;
      g_autofree char *where = NULL;

      if (pass == 1)
        {
          *process = lookup (self, "credential_process", process_file);
          if (*process)
            return NULL;
          continue;
        }
      akid = lookup_in (ini, self->profile, "aws_access_key_id");
      secret = lookup_in (ini, self->profile, "aws_secret_access_key");
      token = lookup_in (ini, self->profile, "aws_session_token");
      if (token == NULL)
        token = lookup_in (ini, self->profile, "aws_security_token");
      if (akid == NULL && secret == NULL)
        continue;
      where = g_strdup_printf (_("profile “%s” in %s"), self->profile, ini->path);
      if (akid == NULL || secret == NULL)
        {
          g_propagate_error (error, partial_error (where, akid ? "aws_secret_access_key"
                                                               : "aws_access_key_id"));
          return NULL;
        }
      return dh_aws_keys_new (akid, secret, token, 0, where);
    }

  g_set_error (error, DH_AWS_CREDENTIALS_ERROR, DH_AWS_CREDENTIALS_ERROR_NOT_FOUND,
               _("Profile “%s” has no credentials: neither aws_access_key_id and "
                 "aws_secret_access_key nor credential_process, in %s or %s"),
               self->profile, self->credentials->path, self->config->path);
  return NULL;
}

/* ---- credential_process ----------------------------------------------- */

typedef enum {
  OVERFLOW_NONE,
  OVERFLOW_OUTPUT,
  OVERFLOW_MESSAGES,
} Overflow;

/* One run of the helper. Its output is read up to a cap (it holds the secret
 * and is tiny; a helper that prints without end is stopped), its messages
 * likewise; the run ends when both pipes and the wait have ended. */
typedef struct
{
  DhAwsCredentials *self;
  GSubprocess  *process;
  GCancellable *cancellable;   /* ours: cancelled by the caller's, the timeout, an overflow */
  gulong        cancelled_id;
  GCancellable *caller;
  GSource      *timeout;
  gboolean      timed_out;
  Overflow      overflow;
  char         *program;
  char         *where;
  GByteArray   *out;           /* sized once: no copy of the secret is left behind */
  GByteArray   *err;
  guint8        out_chunk[PIPE_CHUNK];
  guint8        err_chunk[PIPE_CHUNK];
  guint         pending;       /* pipe reads and the wait not yet ended */
  GError       *error;         /* the first failure to read a pipe */
} ProcessRun;

static void
process_run_free (ProcessRun *run)
{
  if (run->caller && run->cancelled_id)
    g_cancellable_disconnect (run->caller, run->cancelled_id);
  g_clear_object (&run->caller);
  if (run->timeout)
    {
      g_source_destroy (run->timeout);
      g_source_unref (run->timeout);
    }
  g_clear_object (&run->process);
  g_clear_object (&run->cancellable);
  explicit_bzero (run->out->data, run->out->len);
  explicit_bzero (run->out_chunk, sizeof run->out_chunk);
  g_byte_array_unref (run->out);
  g_byte_array_unref (run->err);
  g_clear_error (&run->error);
  g_clear_object (&run->self);
  g_free (run->program);
  g_free (run->where);
  g_free (run);
}

static void
finish_waiters (DhAwsCredentials *self,
                DhAwsKeys        *keys,
                const GError     *error)
{
  g_autoptr(GPtrArray) waiters = self->waiters;

  self->waiters = g_ptr_array_new ();
  for (guint i = 0; i < waiters->len; i++)
    {
      g_autoptr(GTask) task = waiters->pdata[i];
      if (keys)
        g_task_return_pointer (task, dh_aws_keys_ref (keys), (GDestroyNotify) dh_aws_keys_unref);
      else
        g_task_return_error (task, g_error_copy (error));
    }
}

static char *
first_line (GBytes *bytes)
{
  gsize len = 0;
  const char *data = bytes ? g_bytes_get_data (bytes, &len) : NULL;
  g_autofree char *text = NULL;
  char *nl;

  if (len == 0)
    return NULL;
  text = g_utf8_make_valid (data, MIN (len, 300));
  if ((nl = strchr (text, '\n')))
    *nl = '\0';
  g_strstrip (text);
  for (char *p = text; *p; p++)
    if ((guchar) *p < 0x20)
      *p = ' ';
  return *text ? g_steal_pointer (&text) : NULL;
}

static DhAwsKeys *
parse_process_output (ProcessRun  *run,
                      GBytes      *out,
                      GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *obj;
  JsonNode *root;
  const char *akid, *secret, *token, *exp_text;
  gint64 expiration = 0;
  gsize len = 0;
  const char *data = g_bytes_get_data (out, &len);

  /* Nothing of the output is ever quoted: it holds the secret. */
  if (len == 0 || len > MAX_PROCESS_OUTPUT ||
      !dh_json_parser_load_bounded (parser, data, len, NULL) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, DH_AWS_CREDENTIALS_ERROR, DH_AWS_CREDENTIALS_ERROR_PROCESS,
                   _("credential_process of %s (%s) did not print a JSON object"),
                   run->where, run->program);
      return NULL;
    }
  obj = json_node_get_object (root);
  if (json_object_get_int_member_with_default (obj, "Version", 0) != 1)
    {
      g_set_error (error, DH_AWS_CREDENTIALS_ERROR, DH_AWS_CREDENTIALS_ERROR_PROCESS,
                   _("credential_process of %s (%s) printed no “Version”: 1 (the only "
                     "version there is)"), run->where, run->program);
      return NULL;
    }
  akid = json_object_get_string_member_with_default (obj, "AccessKeyId", NULL);
  secret = json_object_get_string_member_with_default (obj, "SecretAccessKey", NULL);
  token = json_object_get_string_member_with_default (obj, "SessionToken", NULL);
  exp_text = json_object_get_string_member_with_default (obj, "Expiration", NULL);
  if (akid == NULL || *akid == '\0' || secret == NULL || *secret == '\0')
    {
      g_set_error (error, DH_AWS_CREDENTIALS_ERROR, DH_AWS_CREDENTIALS_ERROR_PROCESS,
                   _("credential_process of %s (%s) printed no %s"), run->where, run->program,
                   akid == NULL || *akid == '\0' ? "AccessKeyId" : "SecretAccessKey");
      return NULL;
    }
  if (exp_text != NULL)
    {
      g_autoptr(GDateTime) dt = g_date_time_new_from_iso8601 (exp_text, NULL);
      if (dt == NULL)
        {
          g_set_error (error, DH_AWS_CREDENTIALS_ERROR, DH_AWS_CREDENTIALS_ERROR_PROCESS,
                       _("credential_process of %s (%s) printed an Expiration that is not an "
                         "ISO 8601 time"), run->where, run->program);
          return NULL;
        }
      expiration = g_date_time_to_unix (dt) * G_USEC_PER_SEC;
      if (expiration <= g_get_real_time ())
        {
          g_autofree char *when = g_date_time_format_iso8601 (dt);
          g_set_error (error, DH_AWS_CREDENTIALS_ERROR, DH_AWS_CREDENTIALS_ERROR_EXPIRED,
                       _("credential_process of %s (%s) returned credentials that expired at "
                         "%s; renew them (for SSO: aws sso login)"),
                       run->where, run->program, when);
          return NULL;
        }
    }
  {
    g_autofree char *source = g_strdup_printf (_("credential_process of %s"), run->where);
    return dh_aws_keys_new (akid, secret, token, expiration, source);
  }
}

/* Hands the keys or the failure to every waiter; ends @run. */
static void
process_finish (ProcessRun *run)
{
  DhAwsCredentials *self = run->self;
  g_autoptr(GBytes) out = g_bytes_new_static (run->out->data, run->out->len);
  g_autoptr(GBytes) err = g_bytes_new_static (run->err->data, run->err->len);
  g_autoptr(GError) failed = NULL;
  g_autoptr(DhAwsKeys) keys = NULL;

  if (run->overflow == OVERFLOW_OUTPUT)
    failed = g_error_new (DH_AWS_CREDENTIALS_ERROR, DH_AWS_CREDENTIALS_ERROR_PROCESS,
                          _("credential_process of %s (%s) printed more than %u KiB, far more "
                            "than credentials; it was stopped"),
                          run->where, run->program, MAX_PROCESS_OUTPUT / 1024);
  else if (run->overflow == OVERFLOW_MESSAGES)
    failed = g_error_new (DH_AWS_CREDENTIALS_ERROR, DH_AWS_CREDENTIALS_ERROR_PROCESS,
                          _("credential_process of %s (%s) wrote more than %u MiB of messages; "
                            "it was stopped"),
                          run->where, run->program, MAX_PROCESS_MESSAGES / (1024 * 1024));
  else if (run->timed_out)
    failed = g_error_new (DH_AWS_CREDENTIALS_ERROR, DH_AWS_CREDENTIALS_ERROR_PROCESS,
                          _("credential_process of %s (%s) did not finish within %u s"),
                          run->where, run->program, (self->process_timeout + 999) / 1000);
  else if (g_cancellable_is_cancelled (run->cancellable))
    failed = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Cancelled"));
  else if (run->error)
    failed = g_error_new (DH_AWS_CREDENTIALS_ERROR, DH_AWS_CREDENTIALS_ERROR_PROCESS,
                          _("credential_process of %s (%s) failed: %s"),
                          run->where, run->program, run->error->message);
  else if (!g_subprocess_get_successful (run->process))
    {
      g_autofree char *line = first_line (err);
      int status = g_subprocess_get_if_exited (run->process)
                   ? g_subprocess_get_exit_status (run->process) : -1;

      failed = g_error_new (DH_AWS_CREDENTIALS_ERROR, DH_AWS_CREDENTIALS_ERROR_PROCESS,
                            _("credential_process of %s (%s) failed (exit status %d)%s%s"),
                            run->where, run->program, status, line ? ": " : "",
                            line ? line : "");
    }
  else
    keys = parse_process_output (run, out, &failed);

  if (keys == NULL)
    {
      /* it may still run: after a timeout, a cancel or an overflow */
      g_subprocess_force_exit (run->process);
      finish_waiters (self, NULL, failed);
      process_run_free (run);
      return;
    }
  g_debug ("credentials from %s", dh_aws_keys_get_source (keys));
  g_clear_pointer (&self->cached, dh_aws_keys_unref);
  self->cached = dh_aws_keys_ref (keys);
  finish_waiters (self, keys, NULL);
  process_run_free (run);
}

static void
process_step_done (ProcessRun *run)
{
  if (--run->pending == 0)
    process_finish (run);
}

static void process_read (ProcessRun   *run,
                          GInputStream *pipe);

static void
process_pipe_read (GObject      *source,
                   GAsyncResult *result,
                   gpointer      data)
{
  ProcessRun *run = data;
  GInputStream *pipe = G_INPUT_STREAM (source);
  gboolean is_out = pipe == g_subprocess_get_stdout_pipe (run->process);
  GByteArray *buf = is_out ? run->out : run->err;
  gsize cap = is_out ? MAX_PROCESS_OUTPUT : MAX_PROCESS_MESSAGES;
  g_autoptr(GError) error = NULL;
  gssize n = g_input_stream_read_finish (pipe, result, &error);

  if (n > 0 && buf->len + (gsize) n > cap)
    {
      /* `yes` as the helper: read no more, and stop it */
      if (run->overflow == OVERFLOW_NONE)
        run->overflow = is_out ? OVERFLOW_OUTPUT : OVERFLOW_MESSAGES;
      g_subprocess_force_exit (run->process);
      g_cancellable_cancel (run->cancellable);
      process_step_done (run);
      return;
    }
  if (n > 0)
    {
      g_byte_array_append (buf, is_out ? run->out_chunk : run->err_chunk, (guint) n);
      process_read (run, pipe);
      return;
    }
  if (n < 0 && run->error == NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    run->error = g_steal_pointer (&error);
  process_step_done (run);
}

static void
process_read (ProcessRun   *run,
              GInputStream *pipe)
{
  gboolean is_out = pipe == g_subprocess_get_stdout_pipe (run->process);

  g_input_stream_read_async (pipe, is_out ? run->out_chunk : run->err_chunk, PIPE_CHUNK,
                             G_PRIORITY_DEFAULT, run->cancellable, process_pipe_read, run);
}

static void
process_exited (GObject      *source,
                GAsyncResult *result,
                gpointer      data)
{
  /* cancelled or not, process_finish() tells by the run's state */
  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  process_step_done (data);
}

static gboolean
process_timed_out (gpointer data)
{
  ProcessRun *run = data;

  run->timed_out = TRUE;
  g_cancellable_cancel (run->cancellable);
  g_clear_pointer (&run->timeout, g_source_unref);
  return G_SOURCE_REMOVE;
}

static void
caller_cancelled (GCancellable *cancellable,
                  gpointer      data)
{
  GCancellable *ours = data;

  g_cancellable_cancel (ours);
}

static void
run_process (DhAwsCredentials *self,
             const char       *command,
             const char       *file,
             GCancellable     *caller)
{
  g_auto(GStrv) argv = NULL;
  g_autoptr(GError) error = NULL;
  ProcessRun *run;
  GSubprocess *proc;

  if (!g_shell_parse_argv (command, NULL, &argv, &error))
    {
      g_autoptr(GError) failed =
        g_error_new (DH_AWS_CREDENTIALS_ERROR, DH_AWS_CREDENTIALS_ERROR_PROCESS,
                     _("credential_process of profile “%s” in %s cannot be split into "
                       "words: %s"), self->profile, file, error->message);
      finish_waiters (self, NULL, failed);
      return;
    }
  proc = g_subprocess_newv ((const char * const *) argv,
                            G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE |
                            G_SUBPROCESS_FLAGS_STDIN_INHERIT,
                            &error);
  if (proc == NULL)
    {
      g_autofree char *base = g_path_get_basename (argv[0]);
      g_autoptr(GError) failed =
        g_error_new (DH_AWS_CREDENTIALS_ERROR, DH_AWS_CREDENTIALS_ERROR_PROCESS,
                     _("credential_process of profile “%s” in %s (%s) cannot be started: %s"),
                     self->profile, file, base, error->message);
      finish_waiters (self, NULL, failed);
      return;
    }

  run = g_new0 (ProcessRun, 1);
  run->self = g_object_ref (self);
  run->process = proc;
  run->program = g_path_get_basename (argv[0]);
  run->where = g_strdup_printf (_("profile “%s” in %s"), self->profile, file);
  run->cancellable = g_cancellable_new ();
  if (caller)
    {
      run->caller = g_object_ref (caller);
      run->cancelled_id = g_cancellable_connect (caller, G_CALLBACK (caller_cancelled),
                                                 run->cancellable, NULL);
    }
  run->timeout = g_timeout_source_new (self->process_timeout);
  g_source_set_callback (run->timeout, process_timed_out, run, NULL);
  g_source_attach (run->timeout, g_main_context_get_thread_default ());
  run->out = g_byte_array_sized_new (MAX_PROCESS_OUTPUT);
  run->err = g_byte_array_new ();
  run->pending = 3;
  process_read (run, g_subprocess_get_stdout_pipe (proc));
  process_read (run, g_subprocess_get_stderr_pipe (proc));
  g_subprocess_wait_async (proc, run->cancellable, process_exited, run);
}

/**
 * dh_aws_credentials_get_keys_async:
 *
 * Resolves the keys, running credential_process when the profile has one
 * (keys it gave are reused until five minutes before they expire).
 */
void
dh_aws_credentials_get_keys_async (DhAwsCredentials    *self,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DhAwsKeys) keys = NULL;
  const char *process = NULL, *file = NULL;

  g_return_if_fail (DH_IS_AWS_CREDENTIALS (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, dh_aws_credentials_get_keys_async);

  if (self->cached &&
      (dh_aws_keys_get_expiration (self->cached) == 0 ||
       dh_aws_keys_get_expiration (self->cached) - REFRESH_MARGIN_US > g_get_real_time ()))
    {
      g_task_return_pointer (task, dh_aws_keys_ref (self->cached),
                             (GDestroyNotify) dh_aws_keys_unref);
      return;
    }

  keys = resolve_static (self, &process, &file, &error);
  if (keys)
    {
      g_debug ("credentials from %s", dh_aws_keys_get_source (keys));
      if (dh_aws_keys_get_expiration (keys) != 0 &&
          dh_aws_keys_get_expiration (keys) <= g_get_real_time ())
        {
          g_task_return_new_error (task, DH_AWS_CREDENTIALS_ERROR,
                                   DH_AWS_CREDENTIALS_ERROR_EXPIRED,
                                   _("The AWS credentials from %s have expired"),
                                   dh_aws_keys_get_source (keys));
          return;
        }
      g_clear_pointer (&self->cached, dh_aws_keys_unref);
      self->cached = dh_aws_keys_ref (keys);
      self->from_process = FALSE;
      g_task_return_pointer (task, g_steal_pointer (&keys), (GDestroyNotify) dh_aws_keys_unref);
      return;
    }
  if (process == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  self->from_process = TRUE;
  g_ptr_array_add (self->waiters, g_steal_pointer (&task));
  if (self->waiters->len == 1)
    run_process (self, process, file, cancellable);
}

/**
 * dh_aws_credentials_get_keys_finish:
 *
 * Returns: (transfer full): the keys, or %NULL with an error that names the
 *   variable, file, profile or program at fault
 */
DhAwsKeys *
dh_aws_credentials_get_keys_finish (DhAwsCredentials  *self,
                                    GAsyncResult      *result,
                                    GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(char * const *) a, *(char * const *) b);
}

/**
 * dh_aws_list_profiles:
 *
 * Returns: (transfer full): the profile names of both files, sorted, for a
 *   picker; empty when there are none or the files cannot be read
 */
char **
dh_aws_list_profiles (void)
{
  g_autoptr(IniFile) creds = ini_load ("AWS_SHARED_CREDENTIALS_FILE", "credentials", FALSE,
                                       NULL);
  g_autoptr(IniFile) config = ini_load ("AWS_CONFIG_FILE", "config", TRUE, NULL);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  GPtrArray *names = g_ptr_array_new ();
  IniFile *files[] = { creds, config };

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      GHashTableIter iter;
      gpointer key;

      if (files[i] == NULL)
        continue;
      g_hash_table_iter_init (&iter, files[i]->profiles);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        if (g_hash_table_add (seen, key))
          g_ptr_array_add (names, g_strdup (key));
    }
  g_ptr_array_sort (names, compare_strings);
  g_ptr_array_add (names, NULL);
  return (char **) g_ptr_array_free (names, FALSE);
}
