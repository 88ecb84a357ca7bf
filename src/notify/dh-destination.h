/* dh-destination.h: where alerts go (Slack, PagerDuty, a webhook)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "dh-notice.h"

G_BEGIN_DECLS

#define DH_NOTIFY_ERROR (dh_notify_error_quark ())

typedef enum {
  DH_NOTIFY_ERROR_CONFIG,      /* a variable missing, a URL or secret file refused */
  DH_NOTIFY_ERROR_REFUSED,     /* the receiver said no, for good (4xx) */
  DH_NOTIFY_ERROR_TEMPORARY,   /* 429, 5xx, network: tried again later */
  DH_NOTIFY_ERROR_OUTBOX,      /* the outbox on disk */
} DhNotifyError;

typedef struct _DhDestination DhDestination;

/* One kind of destination: a file of its own (dh-destination-slack.c …)
 * fills this table; the notifier does the sending, retrying and pacing. */
typedef struct
{
  const char  *id;               /* --notify=ID */
  const char  *label;            /* translatable, N_() */
  const char  *url_env;          /* where its URL comes from */
  const char  *default_url;      /* or NULL: the URL is required */
  const char  *secret_env;       /* its secret, or NULL when it has none */
  gboolean     url_is_secret;    /* a Slack webhook URL is its own secret */
  guint        min_interval_ms;  /* between two messages */
  guint        max_digest;       /* a burst becomes one message of at most this
                                  * many alerts; 0: each alert its own message */
  gboolean     follow_ups;       /* takes acknowledge / resolve (PagerDuty) */
  /* The request for @notices: one alert, or a digest when @n > 1. */
  SoupMessage *(*build) (DhDestination  *dest,
                         DhNotice      **notices,
                         guint           n,
                         GError        **error);
} DhDestinationKind;

struct _DhDestination
{
  const DhDestinationKind *kind;
  char *url;      /* may be secret (Slack) */
  char *secret;   /* routing key, HMAC key, or NULL */
  char *name;     /* for messages: "Slack (hooks.slack.com)", never the secret */
  char *key;      /* the outbox folder: kind and a digest of the URL */
};

GQuark                    dh_notify_error_quark        (void);
const DhDestinationKind  *dh_destination_kind_find     (const char     *id);
char                     *dh_destination_kind_list     (void);
DhDestination            *dh_destination_new           (const DhDestinationKind *kind,
                                                        const char     *url,
                                                        const char     *secret,
                                                        GError        **error);
DhDestination            *dh_destination_new_from_env  (const DhDestinationKind *kind,
                                                        GError        **error);
void                      dh_destination_free          (DhDestination  *dest);
char                     *dh_destination_redact        (DhDestination  *dest,
                                                        const char     *text);
char                     *dh_notify_read_env           (const char     *name,
                                                        gboolean       *found,
                                                        GError        **error);
SoupMessage              *dh_destination_json_message  (DhDestination  *dest,
                                                        JsonNode       *body);

extern const DhDestinationKind dh_destination_slack;
extern const DhDestinationKind dh_destination_pagerduty;
extern const DhDestinationKind dh_destination_webhook;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DhDestination, dh_destination_free)

G_END_DECLS
