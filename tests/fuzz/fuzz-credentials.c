/* fuzz-credentials.c: libFuzzer target for the AWS config and credentials files
 * and for what credential_process prints
 *
 * The first byte picks what the rest is: ~/.aws/config, ~/.aws/credentials
 * (each then resolved for keys and a region, and listed for profiles), or
 * the output of a credential_process (`cat` of the input). Nothing may crash,
 * hang or leak, and no error may quote the secret.
 *
 * A credential_process written by the fuzzer would run an arbitrary command:
 * files naming one are read and listed, never resolved for keys.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>

#include "dh-aws-credentials.h"

#define SECRET "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static char *dir;
static char *config_path;
static char *credentials_path;
static char *output_path;

static void
setup (void)
{
  g_autoptr(GError) error = NULL;
  const char *unset[] = { "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
                          "AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_REGION",
                          "AWS_DEFAULT_REGION", "AWS_CREDENTIAL_EXPIRATION" };

  dir = g_dir_make_tmp ("dnshunt-fuzz-XXXXXX", &error);
  if (dir == NULL)
    abort ();
  config_path = g_build_filename (dir, "config", NULL);
  credentials_path = g_build_filename (dir, "credentials", NULL);
  output_path = g_build_filename (dir, "output", NULL);
  for (guint i = 0; i < G_N_ELEMENTS (unset); i++)
    g_unsetenv (unset[i]);
  g_setenv ("HOME", dir, TRUE);
  g_setenv ("AWS_CONFIG_FILE", config_path, TRUE);
  g_setenv ("AWS_SHARED_CREDENTIALS_FILE", credentials_path, TRUE);
}

static void
write_file (const char *path,
            const char *text,
            gssize      len)
{
  if (!g_file_set_contents (path, text, len, NULL))
    abort ();
}

/* Set when the fuzzed file holds the secret itself (libFuzzer's dictionary
 * takes it from the other file): a message that quotes that file's own
 * text, a region name say, then quotes the secret without leaking it. */
static gboolean input_has_secret;

static void
no_secret (const GError *error)
{
  if (error != NULL && !input_has_secret && strstr (error->message, SECRET) != NULL)
    {
      fprintf (stderr, "an error quotes the secret: %s\n", error->message);
      abort ();
    }
}

static void
done (GObject      *source,
      GAsyncResult *result,
      gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static void
resolve (const char *profile,
         gboolean    get_keys)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DhAwsCredentials) creds = dh_aws_credentials_new (profile, &error);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(DhAwsKeys) keys = NULL;
  g_autofree char *region = NULL;

  no_secret (error);
  if (creds == NULL)
    return;
  region = dh_aws_credentials_get_region (creds, NULL, &error);
  no_secret (error);
  g_clear_error (&error);
  if (!get_keys)
    return;
  dh_aws_credentials_set_process_timeout (creds, 5000);
  dh_aws_credentials_get_keys_async (creds, NULL, done, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  keys = dh_aws_credentials_get_keys_finish (creds, result, &error);
  no_secret (error);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const char *text = (const char *) data + 1;
  g_autofree char *lower = NULL;
  g_auto(GStrv) profiles = NULL;
  gboolean runs_a_command;

  if (size < 1)
    return 0;
  if (dir == NULL)
    setup ();
  size--;
  input_has_secret = memmem (text, size, SECRET, strlen (SECRET)) != NULL;

  switch (data[0] % 3)
    {
    case 0:
    case 1:
      lower = g_malloc (size + 1);
      for (gsize i = 0; i < size; i++)
        lower[i] = g_ascii_tolower (text[i]);
      runs_a_command = memmem (lower, size, "credential_process", 18) != NULL;
      write_file (data[0] % 3 == 0 ? config_path : credentials_path, text, size);
      write_file (data[0] % 3 == 0 ? credentials_path : config_path,
                  "[default]\naws_access_key_id = AKIDEXAMPLE\n"
                  "aws_secret_access_key = " SECRET "\n", -1);
      resolve (NULL, !runs_a_command);
      resolve ("fuzz", !runs_a_command);
      profiles = dh_aws_list_profiles ();
      break;
    default:
      {
        g_autofree char *config = g_strdup_printf ("[default]\nregion = us-east-1\n"
                                                   "credential_process = cat \"%s\"\n",
                                                   output_path);
        write_file (config_path, config, -1);
        write_file (credentials_path, "", 0);
        write_file (output_path, text, size);
        resolve (NULL, TRUE);
      }
      break;
    }
  return 0;
}
