/* dh-sigv4.h: AWS Signature Version 4
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The date format of X-Amz-Date, plus the nul: "20150830T123600Z". */
#define DH_SIGV4_DATE_SIZE 17

typedef struct
{
  const char *name;
  const char *value;
} DhSigv4Header;

/* A request as it will be sent. The path and query are the raw, already
 * percent-encoded text of the request line; every header given is signed, so
 * pass exactly the headers that must be covered (Host, X-Amz-Date, and
 * X-Amz-Security-Token when there is a session token). */
typedef struct
{
  const char          *method;
  const char          *path;
  const char          *query;        /* without the '?', or NULL */
  const DhSigv4Header *headers;
  gsize                n_headers;
  gconstpointer        payload;
  gsize                payload_len;
} DhSigv4Request;

typedef struct
{
  const char *access_key_id;
  const char *secret_access_key;
  const char *region;
  const char *service;
  const char *amz_date;              /* the X-Amz-Date value */
} DhSigv4Params;

/* Everything the signer computed; none of it is secret (the signature is
 * a keyed hash, and the secret cannot be recovered from it). */
typedef struct
{
  char *canonical_request;
  char *string_to_sign;
  char *signed_headers;
  char *credential_scope;
  char *signature;
  char *authorization;
} DhSigv4Result;

void  dh_sigv4_sign          (const DhSigv4Request *request,
                              const DhSigv4Params  *params,
                              DhSigv4Result        *result);
void  dh_sigv4_result_clear  (DhSigv4Result        *result);
void  dh_sigv4_format_date   (gint64                unix_usec,
                              char                  buf[DH_SIGV4_DATE_SIZE]);
char *dh_sigv4_sha256_hex    (gconstpointer         data,
                              gsize                 len);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (DhSigv4Result, dh_sigv4_result_clear)

G_END_DECLS
