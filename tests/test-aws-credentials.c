/* test-aws-credentials.c: credentials and region as the AWS CLI resolves them
 *
 * Each test gets an empty HOME and no AWS_* variables, writes the files it
 * needs, and checks the keys or the error. No message may carry a secret.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <string.h>

#include <glib/gstdio.h>
#include <gio/gio.h>

#include "dh-aws-credentials.h"

#define SECRET  "tEsTsEcReT/K7MDENG+bPxRfiCYEXAMPLEKEY"
#define TOKEN   "tEsTtOkEn//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWs"
#define SECRET2 "pRoCeSsSeCrEt0123456789abcdefghijklmnopqr"

static char *home;

static const char *aws_vars[] = {
  "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN",
  "AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_REGION", "AWS_DEFAULT_REGION",
  "AWS_SHARED_CREDENTIALS_FILE", "AWS_CONFIG_FILE", "AWS_CREDENTIAL_EXPIRATION",
};

static void
fresh_home (void)
{
  g_autofree char *aws = NULL;
  g_autoptr(GError) error = NULL;

  if (home)
    {
      g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", home);
      g_spawn_command_line_sync (cmd, NULL, NULL, NULL, NULL);
      g_free (home);
    }
  home = g_dir_make_tmp ("dh-aws-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("HOME", home, TRUE);
  aws = g_build_filename (home, ".aws", NULL);
  g_mkdir (aws, 0700);
  for (guint i = 0; i < G_N_ELEMENTS (aws_vars); i++)
    g_unsetenv (aws_vars[i]);
}

static char *
write_file (const char *relative,
            const char *text)
{
  char *path = g_build_filename (home, relative, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
  return path;
}

static void
got_keys (GObject      *source,
          GAsyncResult *result,
          gpointer      data)
{
  GAsyncResult **out = data;

  *out = g_object_ref (result);
}

static DhAwsKeys *
get_keys (DhAwsCredentials  *creds,
          GCancellable      *cancellable,
          GError           **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  DhAwsKeys *keys;

  dh_aws_credentials_get_keys_async (creds, cancellable, got_keys, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  keys = dh_aws_credentials_get_keys_finish (creds, result, error);
  if (error && *error)
    {
      g_assert_null (strstr ((*error)->message, SECRET));
      g_assert_null (strstr ((*error)->message, SECRET2));
      g_assert_null (strstr ((*error)->message, TOKEN));
    }
  return keys;
}

/* Resolves @profile and expects an error of @code whose message holds every
 * string of @expect. */
static void
expect_error (const char  *profile,
              int          code,
              const char **expect)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DhAwsCredentials) creds = dh_aws_credentials_new (profile, &error);
  g_autoptr(DhAwsKeys) keys = NULL;

  if (creds != NULL)
    keys = get_keys (creds, NULL, &error);
  g_assert_null (keys);
  g_assert_error (error, DH_AWS_CREDENTIALS_ERROR, code);
  g_assert_null (strstr (error->message, SECRET));
  g_assert_null (strstr (error->message, SECRET2));
  g_assert_null (strstr (error->message, TOKEN));
  for (guint i = 0; expect && expect[i]; i++)
    if (strstr (error->message, expect[i]) == NULL)
      g_error ("“%s” not in the message “%s”", expect[i], error->message);
}

static DhAwsKeys *
expect_keys (const char *profile,
             const char *akid)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DhAwsCredentials) creds = dh_aws_credentials_new (profile, &error);
  DhAwsKeys *keys;

  g_assert_no_error (error);
  keys = get_keys (creds, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dh_aws_keys_get_access_key_id (keys), ==, akid);
  g_assert_null (strstr (dh_aws_keys_get_source (keys), SECRET));
  return keys;
}

static void
test_environment (void)
{
  g_autoptr(DhAwsKeys) keys = NULL;

  fresh_home ();
  g_setenv ("AWS_ACCESS_KEY_ID", "AKIDENV", TRUE);
  g_setenv ("AWS_SECRET_ACCESS_KEY", SECRET, TRUE);
  g_setenv ("AWS_SESSION_TOKEN", TOKEN, TRUE);
  keys = expect_keys (NULL, "AKIDENV");
  g_assert_cmpstr (dh_aws_keys_get_secret_access_key (keys), ==, SECRET);
  g_assert_cmpstr (dh_aws_keys_get_session_token (keys), ==, TOKEN);
  g_assert_nonnull (strstr (dh_aws_keys_get_source (keys), "environment"));
}

static void
test_environment_partial (void)
{
  fresh_home ();
  g_setenv ("AWS_ACCESS_KEY_ID", "AKIDENV", TRUE);
  expect_error (NULL, DH_AWS_CREDENTIALS_ERROR_PARTIAL,
                (const char *[]) { "AWS_SECRET_ACCESS_KEY", "environment", NULL });
  g_unsetenv ("AWS_ACCESS_KEY_ID");
  g_setenv ("AWS_SECRET_ACCESS_KEY", SECRET, TRUE);
  expect_error (NULL, DH_AWS_CREDENTIALS_ERROR_PARTIAL,
                (const char *[]) { "AWS_ACCESS_KEY_ID", NULL });
}

static void
test_files_and_profiles (void)
{
  g_autoptr(DhAwsKeys) a = NULL;
  g_autoptr(DhAwsKeys) b = NULL;
  g_autoptr(DhAwsKeys) c = NULL;
  g_autoptr(DhAwsKeys) d = NULL;
  g_autoptr(DhAwsKeys) e = NULL;

  fresh_home ();
  g_free (write_file (".aws/credentials",
                      "# comment\n"
                      "[default]\n"
                      "aws_access_key_id = AKIDDEFAULT\n"
                      "aws_secret_access_key = " SECRET "\n"
                      "\n"
                      "[dev]\r\n"
                      "  aws_access_key_id=AKIDDEV\r\n"
                      "  aws_secret_access_key=" SECRET "\r\n"
                      "  aws_session_token = " TOKEN "\r\n"));
  g_free (write_file (".aws/config",
                      "[default]\nregion = eu-west-1\n"
                      "[profile dev]\nregion = ap-south-1\ns3 =\n  addressing_style = path\n"
                      "[profile cfgonly]\naws_access_key_id : AKIDCFG\n"
                      "aws_secret_access_key : " SECRET "\n"
                      "; comment\n"
                      "[sso-session corp]\nsso_start_url = https://example.invalid/start\n"));

  a = expect_keys (NULL, "AKIDDEFAULT");
  g_assert_null (dh_aws_keys_get_session_token (a));
  g_assert_nonnull (strstr (dh_aws_keys_get_source (a), "credentials"));
  b = expect_keys ("dev", "AKIDDEV");
  g_assert_cmpstr (dh_aws_keys_get_session_token (b), ==, TOKEN);
  c = expect_keys ("cfgonly", "AKIDCFG");
  g_assert_nonnull (strstr (dh_aws_keys_get_source (c), "config"));

  /* AWS_PROFILE picks the profile; env keys still win over it ... */
  g_setenv ("AWS_PROFILE", "dev", TRUE);
  d = expect_keys (NULL, "AKIDDEV");
  g_setenv ("AWS_ACCESS_KEY_ID", "AKIDENV", TRUE);
  g_setenv ("AWS_SECRET_ACCESS_KEY", SECRET, TRUE);
  e = expect_keys (NULL, "AKIDENV");
  g_clear_pointer (&e, dh_aws_keys_unref);
  /* ... but not over a profile named explicitly */
  e = expect_keys ("cfgonly", "AKIDCFG");
}

static void
test_custom_file_locations (void)
{
  g_autoptr(DhAwsKeys) keys = NULL;
  g_autofree char *creds = NULL;
  g_autofree char *config = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DhAwsCredentials) c = NULL;
  g_autofree char *region = NULL;

  fresh_home ();
  creds = write_file ("my-creds", "[ops]\naws_access_key_id = AKIDOPS\n"
                                  "aws_secret_access_key = " SECRET "\n");
  config = write_file ("my-config", "[profile ops]\nregion = us-west-2\n");
  g_setenv ("AWS_SHARED_CREDENTIALS_FILE", creds, TRUE);
  g_setenv ("AWS_CONFIG_FILE", "~/my-config", TRUE);
  keys = expect_keys ("ops", "AKIDOPS");
  c = dh_aws_credentials_new ("ops", &error);
  g_assert_no_error (error);
  region = dh_aws_credentials_get_region (c, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (region, ==, "us-west-2");
}

static void
test_missing (void)
{
  g_autofree char *path = NULL;

  fresh_home ();
  expect_error (NULL, DH_AWS_CREDENTIALS_ERROR_NOT_FOUND,
                (const char *[]) { "AWS_ACCESS_KEY_ID", ".aws/credentials", NULL });
  expect_error ("nosuch", DH_AWS_CREDENTIALS_ERROR_NO_PROFILE,
                (const char *[]) { "“nosuch”", "--profile", ".aws/config", NULL });
  g_setenv ("AWS_PROFILE", "nosuch", TRUE);
  expect_error (NULL, DH_AWS_CREDENTIALS_ERROR_NO_PROFILE,
                (const char *[]) { "“nosuch”", "AWS_PROFILE", NULL });
  g_unsetenv ("AWS_PROFILE");

  path = write_file (".aws/credentials", "[half]\naws_access_key_id = AKIDHALF\n"
                                         "[other]\naws_secret_access_key = " SECRET "\n");
  expect_error ("half", DH_AWS_CREDENTIALS_ERROR_PARTIAL,
                (const char *[]) { "aws_secret_access_key", "“half”", path, NULL });
  expect_error ("other", DH_AWS_CREDENTIALS_ERROR_PARTIAL,
                (const char *[]) { "aws_access_key_id", NULL });
  g_free (write_file (".aws/config", "[profile empty]\nregion = us-east-1\n"));
  expect_error ("empty", DH_AWS_CREDENTIALS_ERROR_NOT_FOUND,
                (const char *[]) { "“empty”", "credential_process", NULL });
}

static void
test_broken_file (void)
{
  g_autofree char *path = NULL;

  fresh_home ();
  /* The broken line carries a secret: the message names the line, never
   * quotes it. */
  path = write_file (".aws/credentials", "[default]\naws_access_key_id = AKID\n"
                                         "oops " SECRET "\n");
  expect_error (NULL, DH_AWS_CREDENTIALS_ERROR_UNREADABLE,
                (const char *[]) { path, "line 3", NULL });
  g_free (path);
  path = write_file (".aws/credentials", "aws_secret_access_key = " SECRET "\n[default]\n");
  expect_error (NULL, DH_AWS_CREDENTIALS_ERROR_UNREADABLE,
                (const char *[]) { path, "line 1", "[section]", NULL });
  g_remove (path);
  g_free (path);
  path = write_file (".aws/config", "[default]\n");
  g_chmod (path, 0);
  if (g_access (path, R_OK) != 0)   /* root reads anything */
    expect_error (NULL, DH_AWS_CREDENTIALS_ERROR_UNREADABLE, (const char *[]) { path, NULL });
}

static void
test_unsupported (void)
{
  fresh_home ();
  g_free (write_file (".aws/config",
                      "[profile role]\nrole_arn = arn:aws:iam::123456789012:role/x\n"
                      "source_profile = default\n"
                      "[profile sso]\nsso_session = corp\nsso_account_id = 123456789012\n"));
  expect_error ("role", DH_AWS_CREDENTIALS_ERROR_UNSUPPORTED,
                (const char *[]) { "role_arn", "credential_process", "export-credentials",
                                   NULL });
  expect_error ("sso", DH_AWS_CREDENTIALS_ERROR_UNSUPPORTED,
                (const char *[]) { "SSO", "sso_session", NULL });
}

static void
test_region (void)
{
  g_autoptr(DhAwsCredentials) c = NULL;
  g_autoptr(GError) error = NULL;
  char *region;

  fresh_home ();
  g_free (write_file (".aws/config", "[default]\nregion = eu-central-1\n"
                                     "[profile bad]\nregion = us-east-1.evil.example\n"));
  c = dh_aws_credentials_new (NULL, &error);
  g_assert_no_error (error);

  region = dh_aws_credentials_get_region (c, NULL, &error);
  g_assert_cmpstr (region, ==, "eu-central-1");
  g_free (region);
  g_setenv ("AWS_DEFAULT_REGION", "ca-central-1", TRUE);
  region = dh_aws_credentials_get_region (c, NULL, &error);
  g_assert_cmpstr (region, ==, "ca-central-1");
  g_free (region);
  g_setenv ("AWS_REGION", "sa-east-1", TRUE);
  region = dh_aws_credentials_get_region (c, NULL, &error);
  g_assert_cmpstr (region, ==, "sa-east-1");
  g_free (region);
  region = dh_aws_credentials_get_region (c, "us-gov-west-1", &error);
  g_assert_cmpstr (region, ==, "us-gov-west-1");
  g_free (region);
  g_assert_no_error (error);

  region = dh_aws_credentials_get_region (c, "US_EAST/1", &error);
  g_assert_null (region);
  g_assert_error (error, DH_AWS_CREDENTIALS_ERROR, DH_AWS_CREDENTIALS_ERROR_NO_REGION);
  g_assert_nonnull (strstr (error->message, "--region"));
  g_clear_error (&error);

  g_unsetenv ("AWS_REGION");
  g_unsetenv ("AWS_DEFAULT_REGION");
  g_clear_object (&c);
  c = dh_aws_credentials_new ("bad", &error);
  region = dh_aws_credentials_get_region (c, NULL, &error);
  g_assert_null (region);
  g_assert_error (error, DH_AWS_CREDENTIALS_ERROR, DH_AWS_CREDENTIALS_ERROR_NO_REGION);
  g_clear_error (&error);

  fresh_home ();
  g_clear_object (&c);
  c = dh_aws_credentials_new (NULL, &error);
  region = dh_aws_credentials_get_region (c, NULL, &error);
  g_assert_null (region);
  g_assert_error (error, DH_AWS_CREDENTIALS_ERROR, DH_AWS_CREDENTIALS_ERROR_NO_REGION);
  g_assert_nonnull (strstr (error->message, "AWS_REGION"));
  g_assert_nonnull (strstr (error->message, "“default”"));
}

/* A credential_process script: prints @json (or fails), counting its runs
 * in a file beside it. */
static void
write_process (const char *profile,
               const char *body)
{
  g_autofree char *script = g_strdup_printf ("#!/bin/sh\necho run >> \"%s/runs\"\n%s\n",
                                             home, body);
  g_autofree char *path = write_file ("cred-process.sh", script);
  g_autofree char *config = g_strdup_printf ("[profile %s]\ncredential_process = "
                                             "sh \"%s\" --flag 'two words'\n", profile, path);

  g_free (write_file (".aws/config", config));
}

static guint
count_runs (void)
{
  g_autofree char *path = g_build_filename (home, "runs", NULL);
  g_autofree char *text = NULL;
  guint n = 0;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return 0;
  for (const char *p = text; *p; p++)
    n += *p == '\n';
  return n;
}

static char *
iso_in (gint64 seconds)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) t = g_date_time_add_seconds (now, seconds);

  return g_date_time_format (t, "%Y-%m-%dT%H:%M:%SZ");
}

static void
test_process (void)
{
  g_autofree char *later = iso_in (3600);
  g_autofree char *body = g_strdup_printf (
    "[ \"$1\" = --flag ] && [ \"$2\" = 'two words' ] || exit 9\n"
    "printf '{\"Version\": 1, \"AccessKeyId\": \"AKIDPROC\", \"SecretAccessKey\": \"%s\", "
    "\"SessionToken\": \"%s\", \"Expiration\": \"%s\"}'", SECRET2, TOKEN, later);
  g_autoptr(GError) error = NULL;
  g_autoptr(DhAwsCredentials) c = NULL;
  g_autoptr(DhAwsKeys) a = NULL;
  g_autoptr(DhAwsKeys) b = NULL;

  fresh_home ();
  write_process ("proc", body);
  c = dh_aws_credentials_new ("proc", &error);
  g_assert_no_error (error);
  a = get_keys (c, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dh_aws_keys_get_access_key_id (a), ==, "AKIDPROC");
  g_assert_cmpstr (dh_aws_keys_get_secret_access_key (a), ==, SECRET2);
  g_assert_cmpstr (dh_aws_keys_get_session_token (a), ==, TOKEN);
  g_assert_cmpint (dh_aws_keys_get_expiration (a), >, g_get_real_time ());
  g_assert_nonnull (strstr (dh_aws_keys_get_source (a), "credential_process"));
  g_assert_true (dh_aws_credentials_can_refresh (c));

  /* cached until near the expiry */
  b = get_keys (c, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (a == b);
  g_assert_cmpuint (count_runs (), ==, 1);
  dh_aws_credentials_invalidate (c, a);
  g_clear_pointer (&b, dh_aws_keys_unref);
  b = get_keys (c, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count_runs (), ==, 2);
}

static void
test_process_refreshes_near_expiry (void)
{
  g_autofree char *soon = iso_in (60);
  g_autofree char *body = g_strdup_printf (
    "printf '{\"Version\": 1, \"AccessKeyId\": \"AKIDPROC\", \"SecretAccessKey\": \"%s\", "
    "\"SessionToken\": \"%s\", \"Expiration\": \"%s\"}'", SECRET2, TOKEN, soon);
  g_autoptr(GError) error = NULL;
  g_autoptr(DhAwsCredentials) c = NULL;
  g_autoptr(DhAwsKeys) a = NULL;
  g_autoptr(DhAwsKeys) b = NULL;

  fresh_home ();
  write_process ("proc", body);
  c = dh_aws_credentials_new ("proc", &error);
  a = get_keys (c, NULL, &error);
  b = get_keys (c, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count_runs (), ==, 2);
}

static void
test_process_failures (void)
{
  g_autofree char *past = iso_in (-60);
  g_autofree char *expired = g_strdup_printf (
    "printf '{\"Version\": 1, \"AccessKeyId\": \"AKIDPROC\", \"SecretAccessKey\": \"%s\", "
    "\"Expiration\": \"%s\"}'", SECRET2, past);
  g_autofree char *v2 = g_strdup_printf (
    "printf '{\"Version\": 2, \"AccessKeyId\": \"AKIDPROC\", \"SecretAccessKey\": \"%s\"}'",
    SECRET2);
  g_autofree char *garbage = g_strdup_printf ("printf 'AccessKeyId=AKID secret=%s'", SECRET2);
  g_autofree char *failing = g_strdup_printf (
    "printf '{\"Version\": 1, \"AccessKeyId\": \"AKIDPROC\", \"SecretAccessKey\": \"%s\"}'\n"
    "echo 'Error loading SSO Token: the SSO session has expired' >&2\nexit 3", SECRET2);

  fresh_home ();
  write_process ("proc", failing);
  expect_error ("proc", DH_AWS_CREDENTIALS_ERROR_PROCESS,
                (const char *[]) { "“proc”", "exit status 3", "SSO session has expired",
                                   "(sh)", NULL });
  write_process ("proc", garbage);
  expect_error ("proc", DH_AWS_CREDENTIALS_ERROR_PROCESS,
                (const char *[]) { "JSON", NULL });
  write_process ("proc", v2);
  expect_error ("proc", DH_AWS_CREDENTIALS_ERROR_PROCESS,
                (const char *[]) { "Version", NULL });
  write_process ("proc", "printf '{\"Version\": 1, \"AccessKeyId\": \"AKIDPROC\"}'");
  expect_error ("proc", DH_AWS_CREDENTIALS_ERROR_PROCESS,
                (const char *[]) { "SecretAccessKey", NULL });
  write_process ("proc", expired);
  expect_error ("proc", DH_AWS_CREDENTIALS_ERROR_EXPIRED,
                (const char *[]) { "expired", NULL });

  g_free (write_file (".aws/config", "[profile proc]\ncredential_process = "
                                     "/nonexistent/helper --x\n"));
  expect_error ("proc", DH_AWS_CREDENTIALS_ERROR_PROCESS,
                (const char *[]) { "helper", "cannot be started", NULL });
  g_free (write_file (".aws/config", "[profile proc]\ncredential_process = "
                                     "helper 'unterminated\n"));
  expect_error ("proc", DH_AWS_CREDENTIALS_ERROR_PROCESS,
                (const char *[]) { "credential_process", NULL });
}

/* Output nested deeper than any JSON json-glib is given may be: refused,
 * even with the keys beside it. */
static void
test_process_too_deep (void)
{
  GString *deep = g_string_new (NULL);
  g_autofree char *body = NULL;

  for (guint i = 0; i < 65; i++)
    g_string_append_c (deep, '[');
  for (guint i = 0; i < 65; i++)
    g_string_append_c (deep, ']');
  body = g_strdup_printf ("printf '{\"Version\": 1, \"AccessKeyId\": \"AKIDPROC\", "
                          "\"SecretAccessKey\": \"%s\", \"x\": %s}'", SECRET2, deep->str);
  g_string_free (deep, TRUE);

  fresh_home ();
  write_process ("proc", body);
  expect_error ("proc", DH_AWS_CREDENTIALS_ERROR_PROCESS, (const char *[]) { "JSON", NULL });
}

static void
test_process_timeout (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DhAwsCredentials) c = NULL;
  g_autoptr(DhAwsKeys) keys = NULL;
  gint64 start;

  fresh_home ();
  write_process ("slow", "exec sleep 30");
  c = dh_aws_credentials_new ("slow", &error);
  dh_aws_credentials_set_process_timeout (c, 300);
  start = g_get_monotonic_time ();
  keys = get_keys (c, NULL, &error);
  g_assert_null (keys);
  g_assert_error (error, DH_AWS_CREDENTIALS_ERROR, DH_AWS_CREDENTIALS_ERROR_PROCESS);
  g_assert_nonnull (strstr (error->message, "did not finish"));
  g_assert_cmpint (g_get_monotonic_time () - start, <, 10 * G_USEC_PER_SEC);
}

static gboolean
cancel_soon (gpointer data)
{
  g_cancellable_cancel (data);
  return G_SOURCE_REMOVE;
}

static void
test_process_cancel (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DhAwsCredentials) c = NULL;
  g_autoptr(DhAwsKeys) keys = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();

  fresh_home ();
  write_process ("slow", "exec sleep 30");
  c = dh_aws_credentials_new ("slow", &error);
  g_timeout_add (100, cancel_soon, cancellable);
  keys = get_keys (c, cancellable, &error);
  g_assert_null (keys);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* Whether the helper whose pid the script wrote to @name is gone, waiting a
 * while for it (GLib reaps it in its worker thread). */
static gboolean
helper_gone (const char *name)
{
  g_autofree char *path = g_build_filename (home, name, NULL);
  g_autofree char *text = NULL;
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  pid_t pid;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    g_error ("the helper did not write %s", path);
  pid = (pid_t) g_ascii_strtoll (text, NULL, 10);
  g_assert_cmpint (pid, >, 1);
  while (g_get_monotonic_time () < deadline)
    {
      if (kill (pid, 0) != 0 && errno == ESRCH)
        return TRUE;
      g_usleep (20 * 1000);
    }
  return FALSE;
}

/* A helper that prints far more than credentials: reading stops at the cap,
 * the helper is killed, the error says why, and quotes none of it. */
static void
test_process_output_capped (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DhAwsCredentials) c = NULL;
  g_autoptr(DhAwsKeys) keys = NULL;
  static const struct { const char *body, *pid_file, *expect; } cases[] = {
    /* 2 MB and then a wait: before the cap it ran into the timeout */
    { "echo $$ > \"$HOME/pid-a\"\nhead -c 2000000 /dev/zero | tr '\\0' y\n"
      "exec sleep 60", "pid-a", "more than 64 KiB" },
    /* endless output (`yes` as the helper) */
    { "echo $$ > \"$HOME/pid-b\"\nexec yes '" SECRET2 "'", "pid-b", "more than 64 KiB" },
    /* endless messages */
    { "echo $$ > \"$HOME/pid-c\"\nexec yes '" SECRET2 "' >&2", "pid-c", "more than 1 MiB" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      fresh_home ();
      write_process ("chatty", cases[i].body);
      g_clear_object (&c);
      g_clear_error (&error);
      c = dh_aws_credentials_new ("chatty", &error);
      g_assert_no_error (error);
      /* long enough that only the cap can end it in the time the test has */
      dh_aws_credentials_set_process_timeout (c, 600 * 1000);
      keys = get_keys (c, NULL, &error);
      g_assert_null (keys);
      g_assert_error (error, DH_AWS_CREDENTIALS_ERROR, DH_AWS_CREDENTIALS_ERROR_PROCESS);
      if (strstr (error->message, cases[i].expect) == NULL)
        g_error ("“%s” not in “%s”", cases[i].expect, error->message);
      g_assert_nonnull (strstr (error->message, "“chatty”"));
      g_assert_true (helper_gone (cases[i].pid_file));
    }
}

static void
test_list_profiles (void)
{
  g_auto(GStrv) names = NULL;

  fresh_home ();
  g_free (write_file (".aws/credentials", "[default]\n[zeta]\n[dev]\n"));
  g_free (write_file (".aws/config", "[default]\n[profile dev]\n[profile alpha]\n"
                                     "[sso-session x]\n[services y]\n"));
  names = dh_aws_list_profiles ();
  g_assert_cmpstrv (names, ((const char *[]) { "alpha", "default", "dev", "zeta", NULL }));
}

int
main (int    argc,
      char **argv)
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/aws-credentials/environment", test_environment);
  g_test_add_func ("/aws-credentials/environment-partial", test_environment_partial);
  g_test_add_func ("/aws-credentials/files-and-profiles", test_files_and_profiles);
  g_test_add_func ("/aws-credentials/custom-file-locations", test_custom_file_locations);
  g_test_add_func ("/aws-credentials/missing", test_missing);
  g_test_add_func ("/aws-credentials/broken-file", test_broken_file);
  g_test_add_func ("/aws-credentials/unsupported", test_unsupported);
  g_test_add_func ("/aws-credentials/region", test_region);
  g_test_add_func ("/aws-credentials/process", test_process);
  g_test_add_func ("/aws-credentials/process-refreshes-near-expiry",
                   test_process_refreshes_near_expiry);
  g_test_add_func ("/aws-credentials/process-failures", test_process_failures);
  g_test_add_func ("/aws-credentials/process-too-deep", test_process_too_deep);
  g_test_add_func ("/aws-credentials/process-timeout", test_process_timeout);
  g_test_add_func ("/aws-credentials/process-cancel", test_process_cancel);
  g_test_add_func ("/aws-credentials/process-output-capped", test_process_output_capped);
  g_test_add_func ("/aws-credentials/list-profiles", test_list_profiles);
  ret = g_test_run ();
  {
    g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", home);
    g_spawn_command_line_sync (cmd, NULL, NULL, NULL, NULL);
  }
  return ret;
}
