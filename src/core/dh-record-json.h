/* dh-record-json.h: a query-log record from a json-glib object (the reference path)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "dh-event-store.h"

G_BEGIN_DECLS

typedef struct
{
  DhRecord  record;
  GArray   *answers;      /* DhRecordAnswer scratch */
  char      srcport[24];  /* srcport written as a number */
} DhRecordScratch;

void     dh_record_scratch_init  (DhRecordScratch  *scratch);
void     dh_record_scratch_clear (DhRecordScratch  *scratch);
gboolean dh_record_from_json     (JsonObject       *object,
                                  DhRecordScratch  *scratch,
                                  const char      **why);
gboolean dh_record_is_candidate  (JsonObject       *object);

G_END_DECLS
