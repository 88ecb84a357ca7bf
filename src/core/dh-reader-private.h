/* dh-reader-private.h: the reader's calls for tests, benchmarks and fuzzers
 *
 * The application reads paths (dh_reader_add_path) and CloudWatch messages
 * (dh_reader_add_message); what is declared here is for the programs under
 * tests/ only.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "dh-mapped-file.h"
#include "dh-reader.h"
#include "dh-record-fast.h"
#include "dh-record-json.h"

G_BEGIN_DECLS

void            dh_reader_set_reference_only (DhReader            *reader,
                                              gboolean             reference_only);
guint64         dh_reader_get_n_fast       (DhReader              *reader);
guint           dh_reader_get_n_inputs     (DhReader              *reader);
gboolean        dh_reader_read_stream      (DhReader              *reader,
                                            const char            *name,
                                            GInputStream          *stream,
                                            GCancellable          *cancellable,
                                            GError               **error);
gboolean        dh_reader_read_bytes       (DhReader              *reader,
                                            const char            *name,
                                            const char            *data,
                                            gsize                  len,
                                            GError               **error);

/* ---- Inside the reader only: dh-reader.c and dh-reader-parallel.c ---- */

/* the parallel path's chunks */
#define CHUNK_SIZE     (4 * 1024 * 1024)
#define READ_CHUNK     (256 * 1024)
#define MAX_REJECTS    1000
#define MAX_DEPTH      DH_JSON_MAX_DEPTH
#define MAX_VALUE      (256 * 1024 * 1024)
#define MAX_PREFIX     64

typedef struct
{
  char    *path;     /* NULL for standard input */
  char    *display;
  guint64  size;
} DhInput;

typedef enum {
  MODE_UNKNOWN,
  MODE_LINE,
  MODE_DOCUMENT,
} ScanMode;

typedef struct
{
  ScanMode    mode;
  guint64     line;
  guint64     value_line;
  GByteArray *value;
  GByteArray *prefix;
  guint       depth;
  gboolean    in_string;
  gboolean    escape;
  gboolean    multiline;
  gboolean    skip_line;
  const char *skip_reason;  /* set while a value is scanned but not kept */
} ScanState;

struct _DhReader
{
  DhEventStore         *store;
  GPtrArray            *inputs;
  GArray               *rejects;
  GPtrArray            *errors;
  GPtrArray            *mapped;    /* MappedInput of this run, to check for cuts */
  guint64               bytes_total;
  guint64               bytes_done;
  DhReaderProgressFunc  progress;
  gpointer              progress_data;
  JsonParser           *parser;
  JsonParser           *message_parser;
  DhRecordScratch       scratch;
  ScanState             scan;
  gint64                start;
  gint64                end;
  guint64               last_reject_line;
  gboolean              reference_only;

  /* the parallel path */
  int                   feed_mode;
  DhFastScratch         fast;
  DhFastScratch         decide;   /* decide_mode()'s, on the reading thread only: a
                                   * merger may be using fast meanwhile */
  GByteArray           *chunk_buf;
  gsize                 no_newline; /* its first bytes hold no newline */
  gboolean              inside_line; /* the last chunk ended inside a line */
  GPtrArray            *spare;     /* chunk buffers to reuse */
  GQueue                chunks;
  GMutex                chunk_mutex;  /* guards chunks, spare, merging, n_unmerged */
  GCond                 chunk_cond;
  gboolean              merging;      /* a parser is merging finished chunks */
  guint                 n_unmerged;   /* chunks submitted and not merged yet */
  guint                 n_events;     /* atomic: events in the store, for progress */
  guint64               line_base;
  guint64               n_fast;
};

enum {
  FEED_UNDECIDED,
  FEED_SERIAL,
  FEED_PARALLEL,
};

typedef struct _Chunk Chunk;


typedef struct
{
  DhMappedFile *map;
  char         *name;
} MappedInput;

/* dh-reader-parallel.c: NDJSON cut into chunks, parsed by a thread pool,
 * merged into the store in order */
void     _dh_reader_chunk_free (Chunk *c);
void     _dh_reader_wait_merged (DhReader *self,
                                 guint max_pending);
void     _dh_reader_begin_input (DhReader *self,
                                 const char *name);
void     _dh_reader_end_input (DhReader *self);
void     _dh_reader_submit_buffer (DhReader *self,
                                   gboolean all);
void     _dh_reader_feed_start (DhReader *self);
void     _dh_reader_feed (DhReader *self,
                          const guint8 *data,
                          gsize len);
void     _dh_reader_feed_finish (DhReader *self);
gboolean _dh_reader_read_mapped (DhReader *self,
                                 const char *name,
                                 DhMappedFile *map,
                                 GCancellable *cancellable,
                                 GError **error);
void     _dh_reader_check_mapped (DhReader *self);

/* dh-reader.c: the reference path, which the parallel one falls back to */
void     _dh_reader_mapped_input_free (MappedInput *m);
void     _dh_reader_add_error (DhReader *self,
                               GError *error);
void     _dh_reader_scan_reset (ScanState *st);
void     _dh_reader_scan_bytes (DhReader *self,
                                const guint8 *data,
                                gsize len);
void     _dh_reader_scan_finish (DhReader *self);
void     _dh_reader_report_progress (DhReader *self);

G_END_DECLS
