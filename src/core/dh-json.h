/* dh-json.h: JSON from others, parsed with bounded nesting
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define DH_JSON_ERROR (dh_json_error_quark ())

typedef enum {
  DH_JSON_ERROR_TOO_DEEP,   /* more levels of arrays and objects than allowed */
  DH_JSON_ERROR_INVALID,    /* not JSON, in a way json-glib would misread or leak on */
} DhJsonError;

/* Far more than any document DNS Hunt reads needs (a query-log record is three
 * levels deep) and far less than json-glib's recursive parser can take on any
 * thread's stack. */
#define DH_JSON_MAX_DEPTH 64

GQuark    dh_json_error_quark          (void);
gboolean  dh_json_check_depth          (const char  *data,
                                        gssize       length,
                                        guint        max_depth,
                                        GError     **error);
const char *dh_json_object_get_string (JsonObject *object,
                                       const char *member);
gboolean  dh_json_parser_load_bounded  (JsonParser  *parser,
                                        const char  *data,
                                        gssize       length,
                                        GError     **error);

G_END_DECLS
