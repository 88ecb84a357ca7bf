/* dh-record-fast.h: a zero-copy scanner for one query-log record
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "dh-event-store.h"

G_BEGIN_DECLS

typedef struct
{
  DhRecord        record;
  DhRecordAnswer *answers;
  guint           answers_size;
  char           *arena;       /* unescaped strings */
  gsize           arena_size;
  gsize           arena_used;
  char            last_ts[40]; /* the previous record's timestamp, parsed */
  gsize           last_ts_len;
  gint64          last_time;
} DhFastScratch;

void     dh_fast_scratch_init  (DhFastScratch *scratch);
void     dh_fast_scratch_clear (DhFastScratch *scratch);
gboolean dh_record_fast_parse  (const char    *text,
                                gsize          len,
                                DhFastScratch *scratch);
gboolean dh_fast_line_parse    (const char    *line,
                                gsize          len,
                                DhFastScratch *scratch);
gboolean dh_fast_line_parse_next (const char    *text,
                                  gsize          avail,
                                  DhFastScratch *scratch,
                                  gsize         *line_len);

G_END_DECLS
