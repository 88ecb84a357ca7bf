/* dh-aws-credentials.h: AWS credentials and region, as the AWS CLI resolves them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define DH_AWS_CREDENTIALS_ERROR (dh_aws_credentials_error_quark ())

typedef enum {
  DH_AWS_CREDENTIALS_ERROR_NOT_FOUND,    /* nothing configured anywhere */
  DH_AWS_CREDENTIALS_ERROR_PARTIAL,      /* a key without its secret, or the reverse */
  DH_AWS_CREDENTIALS_ERROR_NO_PROFILE,   /* the named profile is in neither file */
  DH_AWS_CREDENTIALS_ERROR_UNREADABLE,   /* a file exists but cannot be read or parsed */
  DH_AWS_CREDENTIALS_ERROR_PROCESS,      /* credential_process failed or printed no keys */
  DH_AWS_CREDENTIALS_ERROR_EXPIRED,      /* the keys given have already expired */
  DH_AWS_CREDENTIALS_ERROR_UNSUPPORTED,  /* role_arn, SSO, web identity without a process */
  DH_AWS_CREDENTIALS_ERROR_NO_REGION,    /* no region anywhere, or not a region name */
} DhAwsCredentialsError;

/* One set of keys. The secret and the session token are only for the signer:
 * nothing prints them, and they are wiped from memory when the last reference
 * goes. */
typedef struct _DhAwsKeys DhAwsKeys;

#define DH_TYPE_AWS_KEYS (dh_aws_keys_get_type ())

GType       dh_aws_keys_get_type              (void) G_GNUC_CONST;
DhAwsKeys  *dh_aws_keys_new                   (const char *access_key_id,
                                               const char *secret_access_key,
                                               const char *session_token,
                                               gint64      expiration,
                                               const char *source);
DhAwsKeys  *dh_aws_keys_ref                   (DhAwsKeys  *keys);
void        dh_aws_keys_unref                 (DhAwsKeys  *keys);
const char *dh_aws_keys_get_access_key_id     (DhAwsKeys  *keys);
const char *dh_aws_keys_get_secret_access_key (DhAwsKeys  *keys);
const char *dh_aws_keys_get_session_token     (DhAwsKeys  *keys);
gint64      dh_aws_keys_get_expiration        (DhAwsKeys  *keys);
const char *dh_aws_keys_get_source            (DhAwsKeys  *keys);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DhAwsKeys, dh_aws_keys_unref)

#define DH_TYPE_AWS_CREDENTIALS (dh_aws_credentials_get_type ())

G_DECLARE_FINAL_TYPE (DhAwsCredentials, dh_aws_credentials, DH, AWS_CREDENTIALS, GObject)

GQuark            dh_aws_credentials_error_quark          (void);
DhAwsCredentials *dh_aws_credentials_new                  (const char        *profile,
                                                           GError           **error);
DhAwsCredentials *dh_aws_credentials_new_for_keys         (DhAwsKeys         *keys,
                                                           const char        *region);
const char       *dh_aws_credentials_get_profile          (DhAwsCredentials  *self);
char             *dh_aws_credentials_get_region           (DhAwsCredentials  *self,
                                                           const char        *override,
                                                           GError           **error);
void              dh_aws_credentials_set_process_timeout  (DhAwsCredentials  *self,
                                                           guint              msec);
guint             dh_aws_credentials_get_process_timeout  (DhAwsCredentials  *self);
gboolean          dh_aws_credentials_can_refresh          (DhAwsCredentials  *self);
void              dh_aws_credentials_invalidate           (DhAwsCredentials  *self,
                                                           DhAwsKeys         *stale);
void              dh_aws_credentials_get_keys_async       (DhAwsCredentials  *self,
                                                           GCancellable      *cancellable,
                                                           GAsyncReadyCallback callback,
                                                           gpointer           user_data);
DhAwsKeys        *dh_aws_credentials_get_keys_finish      (DhAwsCredentials  *self,
                                                           GAsyncResult      *result,
                                                           GError           **error);
char            **dh_aws_list_profiles                    (void);
gboolean          dh_aws_region_is_valid                  (const char        *region);

G_END_DECLS
