/* dh-test-util.h: helpers shared by the test programs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "dh-rule-engine.h"
#include "dh-reader.h"
#include "dh-rule-book.h"

G_BEGIN_DECLS

/* A record line: fields that are NULL take ordinary defaults. */
typedef struct
{
  const char *time;       /* ISO 8601; default 2026-03-02T10:00:00Z */
  const char *name;       /* default www.example.com. */
  const char *host;       /* default 10.0.0.5 */
  const char *qtype;      /* default A */
  const char *rcode;      /* default NOERROR */
  const char *transport;  /* default UDP */
  const char *answers;    /* raw JSON array text; default [] */
  const char *srcids;     /* raw JSON object text; default {"instance":"i-0123456789abcdef0"} */
} TestRecord;

char       *test_record_line  (const TestRecord *rec);
char       *test_time_plus    (const char       *base,
                               gint64            seconds);
DhAlertSet *test_analyze_text (const char       *ndjson,
                               const char      **sets);
guint       test_count_rule   (DhAlertSet       *set,
                               DhRuleKind        rule);
const DhAlert *test_find_alert (DhAlertSet      *set,
                                DhRuleKind       rule,
                                const char      *host);
char       *test_data_path    (const char       *name);

G_END_DECLS
