/* dh-reader-parallel.c: the reader's parallel path for NDJSON
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <glib/gi18n.h>

#include "dh-reader-private.h"
#include "dh-time.h"

/* Most inputs are NDJSON: one record per line, every line on its own. Those
 * are cut into chunks at line ends and parsed by the fast scanner on every
 * core, each chunk into a private store; the chunks are merged into the real
 * store in input order. A line the fast scanner declines is kept aside and,
 * at its place in the merge, goes through the serial path (dh-reader.c), so rejects
 * and results are exactly the serial ones. Anything that is not plainly
 * NDJSON from its first line (documents, Firehose payloads) is read serially.
 *
 * Threads: the reading thread (reads, inflates gzip, cuts chunks) and the
 * pool's parsers. The parser that finishes the oldest chunk merges it and
 * the finished ones after it (merge_done_chunks_locked); markers in the same
 * queue say where each input begins and ends, so the reading thread never
 * waits between inputs, only before it reads one serially (go_serial) and
 * before the public calls return. The merger alone touches the store, the
 * scan state and the rejects while chunks are queued.
 */

#define MAX_INFLIGHT 6

typedef struct
{
  guint32 pos;      /* events of the chunk store before it */
  guint64 line;     /* line number within the chunk, 0-based */
  gsize   offset;
  gsize   len;
  gboolean newline; /* whether a newline ended it */
  gboolean resumed; /* the rest of a line begun in the previous chunk */
  gboolean goes_on; /* the line goes on in the next chunk */
} SlowLine;

/* The queue holds the chunks of every input in order, and markers where an
 * input begins and ends: whoever merges takes them in that order, so the
 * reading thread can go on to the next input while the last chunks of the
 * previous one are still parsed. */
enum {
  CHUNK_DATA,
  CHUNK_BEGIN,  /* a new source, named name */
  CHUNK_END,
};

struct _Chunk
{
  int            kind;
  char          *name;
  DhReader      *reader;
  GBytes        *bytes;
  GByteArray    *array;   /* a buffer of the reader's, returned after merging */
  const char    *data;
  gsize          len;
  DhEventStore  *store;
  GArray        *slow;
  guint64        n_lines;
  gboolean       done;
  gboolean       mapped;
  gboolean       starts_inside;  /* its first bytes end a line of the previous chunk */
  gboolean       ends_inside;    /* its last line goes on in the next chunk */
  guint64        n_fast;
};

/* A mapped chunk is read once: drop its pages from our resident set (the
 * kernel keeps them in its page cache), so a big file does not count
 * against the process's memory. */
static void
release_pages (const char *data,
               gsize       len)
{
  gsize page = sysconf (_SC_PAGESIZE);
  guintptr start = ((guintptr) data + page - 1) & ~(guintptr) (page - 1);
  guintptr stop = ((guintptr) data + len) & ~(guintptr) (page - 1);

  if (stop > start)
    madvise ((void *) start, stop - start, MADV_DONTNEED);
}

/* A buffer for a chunk: a spare one when there is one. Reusing the same few
 * buffers keeps their pages mapped, so inflating into them costs no page
 * faults. */
static GByteArray *
spare_take (DhReader *self)
{
  GByteArray *buf = NULL;

  g_mutex_lock (&self->chunk_mutex);
  if (self->spare->len > 0)
    buf = g_ptr_array_steal_index_fast (self->spare, self->spare->len - 1);
  g_mutex_unlock (&self->chunk_mutex);
  if (buf != NULL)
    {
      g_byte_array_set_size (buf, 0);
      return buf;
    }
  return g_byte_array_sized_new (CHUNK_SIZE + READ_CHUNK * 4 + 4096);
}

void
_dh_reader_chunk_free (Chunk *c)
{
  if (c->array != NULL)
    {
      DhReader *self = c->reader;
      g_mutex_lock (&self->chunk_mutex);
      /* a buffer grown for one huge line is not kept */
      if (self->spare->len < MAX_INFLIGHT + 2 && c->array->len <= CHUNK_SIZE * 2)
        g_ptr_array_add (self->spare, g_steal_pointer (&c->array));
      g_mutex_unlock (&self->chunk_mutex);
      g_clear_pointer (&c->array, g_byte_array_unref);
    }
  g_clear_pointer (&c->bytes, g_bytes_unref);
  g_clear_pointer (&c->name, g_free);
  g_clear_pointer (&c->store, dh_event_store_unref);
  g_clear_pointer (&c->slow, g_array_unref);
  g_free (c);
}

static void merge_done_chunks_locked (DhReader *self);

static void
parse_chunk (gpointer data,
             gpointer user_data)
{
  Chunk *c = data;
  DhReader *self = c->reader;
  DhFastScratch scratch;
  const char *p = c->data, *end = c->data + c->len;
  guint64 line = 0;

  dh_fast_scratch_init (&scratch);
  c->store = dh_event_store_new ();
  c->slow = g_array_new (FALSE, FALSE, sizeof (SlowLine));
  dh_event_store_begin_source (c->store, "");

  /* A line longer than MAX_VALUE is handed over in pieces: the pieces go to
   * the serial scanner, which sees them as the one line they are. */
  if (c->starts_inside)
    {
      const char *nl = memchr (p, '\n', end - p);
      const char *stop = nl ? nl : end;
      SlowLine sl = { 0, 0, 0, stop - p, nl != NULL, TRUE, nl == NULL && c->ends_inside };
      g_array_append_val (c->slow, sl);
      if (nl)
        line++;
      p = nl ? nl + 1 : end;
    }

  while (p < end)
    {
      const char *nl, *stop, *q;
      gsize line_len;

      /* Most lines are one plain record: read it without looking for the
       * line's end first. Not a line cut short at the chunk's end, nor one
       * as long as the serial scanner refuses. */
      if (dh_fast_line_parse_next (p, end - p, &scratch, &line_len) &&
          line_len < MAX_VALUE - MAX_PREFIX && !(c->ends_inside && p + line_len == end))
        {
          c->n_fast++;
          if (scratch.record.time >= self->start && scratch.record.time <= self->end)
            dh_event_store_add (c->store, &scratch.record);
          p += line_len;
          if (p < end)
            {
              line++;  /* the newline */
              p++;
            }
          continue;
        }

      nl = memchr (p, '\n', end - p);
      stop = nl ? nl : end;
      q = p;
      while (q < stop && (*q == ' ' || *q == '\t' || *q == '\r'))
        q++;
      if (q < stop || (nl == NULL && c->ends_inside))
        {
          SlowLine sl = { dh_event_store_get_n_events (c->store), line, p - c->data,
                          stop - p, nl != NULL, FALSE, nl == NULL && c->ends_inside };
          g_array_append_val (c->slow, sl);
        }
      if (nl)
        line++;
      p = nl ? nl + 1 : end;
    }
  c->n_lines = line;
  dh_event_store_end_source (c->store);
  dh_fast_scratch_clear (&scratch);

  g_mutex_lock (&self->chunk_mutex);
  c->done = TRUE;
  merge_done_chunks_locked (self);  /* unlocks; self may be gone after */
}

static void
merge_chunk (DhReader *self,
             Chunk    *c)
{
  g_autoptr(DhStoreRemap) remap = dh_store_remap_new (self->store, c->store);
  guint pos = 0;

  for (guint i = 0; i < c->slow->len; i++)
    {
      const SlowLine *sl = &g_array_index (c->slow, SlowLine, i);
      ScanState *st = &self->scan;

      dh_event_store_merge (self->store, c->store, remap, pos, sl->pos);
      pos = sl->pos;
      if (!sl->resumed)
        {
          _dh_reader_scan_reset (st);
          st->mode = MODE_LINE;
          st->line = self->line_base + sl->line;
        }
      _dh_reader_scan_bytes (self, (const guint8 *) c->data + sl->offset, sl->len);
      if (sl->newline)
        _dh_reader_scan_bytes (self, (const guint8 *) "\n", 1);
      else if (!sl->goes_on)
        _dh_reader_scan_finish (self);
    }
  dh_event_store_merge (self->store, c->store, remap, pos,
                        dh_event_store_get_n_events (c->store));
  self->line_base += c->n_lines;
  self->n_fast += c->n_fast;
}

/* Merges the finished chunks (and markers) at the head of the queue, in
 * order, unless another thread is already at it. Each parser calls it when
 * its chunk is done, so merging happens off the thread that feeds the chunks
 * (which for gzip is busy inflating). The lock is held only to look at the
 * queue: a chunk finished while another parser merges is seen by that parser
 * before it stops.
 *
 * Called with chunk_mutex held; it is released on return. A parser marks its
 * chunk done and calls this in one critical section: once it unlocks, the
 * last chunk may be merged and the reader freed, so it must not touch the
 * reader again. */
static void
merge_done_chunks_locked (DhReader *self)
{
  if (self->merging)
    {
      g_mutex_unlock (&self->chunk_mutex);
      return;
    }
  self->merging = TRUE;
  for (;;)
    {
      Chunk *c = g_queue_peek_head (&self->chunks);

      if (c == NULL || !c->done)
        break;
      g_queue_pop_head (&self->chunks);
      g_mutex_unlock (&self->chunk_mutex);

      switch (c->kind)
        {
        case CHUNK_BEGIN:
          dh_event_store_begin_source (self->store, c->name);
          _dh_reader_scan_reset (&self->scan);
          self->last_reject_line = 0;
          self->line_base = 1;
          break;
        case CHUNK_END:
          /* the last line, if it had no newline, was finished by its chunk */
          _dh_reader_scan_reset (&self->scan);
          dh_event_store_end_source (self->store);
          break;
        default:
          merge_chunk (self, c);
          g_atomic_int_set (&self->n_events, dh_event_store_get_n_events (self->store));
          if (c->mapped)
            release_pages (c->data, c->len);
          break;
        }
      _dh_reader_chunk_free (c);

      g_mutex_lock (&self->chunk_mutex);
      self->n_unmerged--;
      g_cond_broadcast (&self->chunk_cond);
    }
  self->merging = FALSE;
  g_mutex_unlock (&self->chunk_mutex);
}

static void
merge_done_chunks (DhReader *self)
{
  g_mutex_lock (&self->chunk_mutex);
  merge_done_chunks_locked (self);
}

/* Waits until at most @max_pending submitted chunks are not merged yet. */
void
_dh_reader_wait_merged (DhReader *self,
             guint     max_pending)
{
  g_mutex_lock (&self->chunk_mutex);
  while (self->n_unmerged > max_pending)
    g_cond_wait (&self->chunk_cond, &self->chunk_mutex);
  g_mutex_unlock (&self->chunk_mutex);
}

static void
push_marker (DhReader   *self,
             int         kind,
             const char *name)
{
  Chunk *c = g_new0 (Chunk, 1);

  c->reader = self;
  c->kind = kind;
  c->name = g_strdup (name);
  c->done = TRUE;
  g_mutex_lock (&self->chunk_mutex);
  g_queue_push_tail (&self->chunks, c);
  self->n_unmerged++;
  g_mutex_unlock (&self->chunk_mutex);
  /* nothing may be left to parse: take it now unless a parser is merging */
  merge_done_chunks (self);
}

/* Where an input starts and ends, in merge order (see CHUNK_BEGIN). */
void
_dh_reader_begin_input (DhReader   *self,
             const char *name)
{
  push_marker (self, CHUNK_BEGIN, name);
}

void
_dh_reader_end_input (DhReader *self)
{
  push_marker (self, CHUNK_END, NULL);
}

/* Before the reading thread touches the store or the scan state itself (an
 * input read serially): everything queued is merged, its begin marker too. */
static void
go_serial (DhReader *self)
{
  _dh_reader_wait_merged (self, 0);
  self->feed_mode = FEED_SERIAL;
}

/* One pool of parsers, a thread per core, shared by every reader of the
 * process (the window may load while a report is written). */
static GThreadPool *
shared_pool (void)
{
  static GThreadPool *pool;

  if (g_once_init_enter (&pool))
    g_once_init_leave (&pool, g_thread_pool_new (parse_chunk, NULL,
                                                 MAX (1, g_get_num_processors ()), FALSE,
                                                 NULL));
  return pool;
}

static void
submit_chunk (DhReader   *self,
              GBytes     *bytes,
              GByteArray *array,
              const char *data,
              gsize       len,
              gboolean    mapped,
              gboolean    ends_inside)
{
  Chunk *c = g_new0 (Chunk, 1);

  c->starts_inside = self->inside_line;
  c->ends_inside = ends_inside;
  self->inside_line = ends_inside;
  c->reader = self;
  c->mapped = mapped;
  c->bytes = bytes;
  c->array = array;
  c->data = data;
  c->len = len;
  g_mutex_lock (&self->chunk_mutex);
  g_queue_push_tail (&self->chunks, c);
  self->n_unmerged++;
  g_mutex_unlock (&self->chunk_mutex);
  g_thread_pool_push (shared_pool (), c, NULL);
  _dh_reader_wait_merged (self, MAX_INFLIGHT);
  _dh_reader_report_progress (self);
}

/* Cuts the buffered bytes at their last newline and submits that part. */
void
_dh_reader_submit_buffer (DhReader *self,
               gboolean  all)
{
  GByteArray *buf = self->chunk_buf;
  gsize cut = buf->len;
  GByteArray *rest;

  if (!all)
    {
      /* the first no_newline bytes were searched already, in vain */
      const guint8 *nl = memrchr (buf->data + self->no_newline, '\n',
                                  buf->len - self->no_newline);
      if (nl == NULL && buf->len < MAX_VALUE)
        {
          self->no_newline = buf->len;
          return;  /* one very long line: keep reading until it ends */
        }
      /* past MAX_VALUE without a newline: hand it over as it is, so memory
       * stays bounded; the next chunk resumes the line (see parse_chunk) */
      cut = nl ? (gsize) (nl + 1 - buf->data) : buf->len;
    }
  if (cut == 0)
    return;
  rest = spare_take (self);
  g_byte_array_append (rest, buf->data + cut, buf->len - cut);
  g_byte_array_set_size (buf, cut);
  self->chunk_buf = rest;
  self->no_newline = 0;
  submit_chunk (self, NULL, buf, (const char *) buf->data, cut, FALSE,
                !all && buf->data[cut - 1] != '\n');
}

/* Whether the first non-blank line of @data is plainly one record. */
static int
decide_mode (DhReader   *self,
             const char *data,
             gsize       len,
             gboolean    at_end)
{
  const char *p = data, *end = data + len;

  while (p < end)
    {
      const char *nl = memchr (p, '\n', end - p);
      const char *q = p;
      if (nl == NULL && !at_end)
        return -1;
      while (q < (nl ? nl : end) && (*q == ' ' || *q == '\t' || *q == '\r'))
        q++;
      if (q < (nl ? nl : end))
        return dh_fast_line_parse (p, (nl ? nl : end) - p, &self->decide) ? FEED_PARALLEL
                                                                          : FEED_SERIAL;
      if (nl == NULL)
        break;
      p = nl + 1;
    }
  return at_end ? FEED_SERIAL : -1;
}

void
_dh_reader_feed_start (DhReader *self)
{
  self->feed_mode = FEED_UNDECIDED;
  if (self->reference_only)
    go_serial (self);
  if (self->chunk_buf == NULL)
    self->chunk_buf = spare_take (self);
  g_byte_array_set_size (self->chunk_buf, 0);
  self->no_newline = 0;
  self->inside_line = FALSE;
}

void
_dh_reader_feed (DhReader     *self,
      const guint8 *data,
      gsize         len)
{
  switch (self->feed_mode)
    {
    case FEED_SERIAL:
      _dh_reader_scan_bytes (self, data, len);
      return;

    case FEED_UNDECIDED:
      {
        int mode;
        g_byte_array_append (self->chunk_buf, data, len);
        mode = decide_mode (self, (const char *) self->chunk_buf->data, self->chunk_buf->len,
                            self->chunk_buf->len > 1024 * 1024);
        if (mode < 0)
          return;
        if (mode == FEED_SERIAL)
          {
            go_serial (self);
            _dh_reader_scan_bytes (self, self->chunk_buf->data, self->chunk_buf->len);
            g_byte_array_set_size (self->chunk_buf, 0);
          }
        else
          {
            self->feed_mode = mode;
            if (self->chunk_buf->len >= CHUNK_SIZE)
              _dh_reader_submit_buffer (self, FALSE);
          }
      }
      return;

    case FEED_PARALLEL:
      g_byte_array_append (self->chunk_buf, data, len);
      if (self->chunk_buf->len >= CHUNK_SIZE)
        _dh_reader_submit_buffer (self, FALSE);
      return;

    default:
      g_assert_not_reached ();
    }
}

void
_dh_reader_feed_finish (DhReader *self)
{
  if (self->feed_mode == FEED_UNDECIDED)
    {
      if (decide_mode (self, (const char *) self->chunk_buf->data, self->chunk_buf->len,
                       TRUE) == FEED_SERIAL)
        {
          go_serial (self);
          _dh_reader_scan_bytes (self, self->chunk_buf->data, self->chunk_buf->len);
        }
      else
        self->feed_mode = FEED_PARALLEL;
    }
  if (self->feed_mode == FEED_PARALLEL)
    _dh_reader_submit_buffer (self, TRUE);  /* the end marker finishes the input */
  else
    _dh_reader_scan_finish (self);
  g_byte_array_set_size (self->chunk_buf, 0);
  self->no_newline = 0;
}

/* A plain file, mapped: its chunks point into the mapping, nothing is copied.
 * The file may shrink meanwhile (logrotate's copytruncate): its size is
 * looked at again for every chunk, and what is no longer there is not read
 * (DhMappedFile keeps the chunks already handed out from faulting). */
gboolean
_dh_reader_read_mapped (DhReader      *self,
             const char    *name,
             DhMappedFile  *map,
             GCancellable  *cancellable,
             GError       **error)
{
  const char *data = dh_mapped_file_get_contents (map);
  gsize len = dh_mapped_file_get_length (map);
  gsize pos = 0;

  _dh_reader_feed_start (self);
  if (len >= 3 && memcmp (data, "\xef\xbb\xbf", 3) == 0)
    pos = 3;
  if (self->reference_only ||
      decide_mode (self, data + pos, MIN (len - pos, 1024 * 1024), TRUE) != FEED_PARALLEL)
    {
      go_serial (self);
      while (pos < (len = MIN (len, dh_mapped_file_check_length (map))))
        {
          gsize n = MIN (len - pos, READ_CHUNK);
          _dh_reader_scan_bytes (self, (const guint8 *) data + pos, n);
          pos += n;
          self->bytes_done += n;
          _dh_reader_report_progress (self);
          if (g_cancellable_set_error_if_cancelled (cancellable, error))
            {
              _dh_reader_scan_finish (self);
              return FALSE;
            }
        }
      _dh_reader_scan_finish (self);
      return TRUE;
    }

  self->feed_mode = FEED_PARALLEL;
  while (pos < (len = MIN (len, dh_mapped_file_check_length (map))))
    {
      gsize n = MIN (len - pos, CHUNK_SIZE);
      if (pos + n < len)
        {
          const char *nl = memrchr (data + pos, '\n', n);
          if (nl == NULL)
            {
              /* one line longer than a chunk: keep it whole, as the stream
               * path does up to MAX_VALUE (parse_chunk leaves a line that
               * long to the serial scanner, which refuses it) */
              nl = memchr (data + pos + n, '\n', len - pos - n);
              n = nl ? (gsize) (nl + 1 - (data + pos)) : len - pos;
            }
          else
            n = nl + 1 - (data + pos);
        }
      submit_chunk (self, dh_mapped_file_get_bytes (map), NULL, data + pos, n, TRUE, FALSE);
      pos += n;
      self->bytes_done += n;
      if (g_cancellable_is_cancelled (cancellable))
        break;
    }
  return !g_cancellable_set_error_if_cancelled (cancellable, error);
}

/* A mapped input that shrank while it was read is an error naming it, as a
 * truncated gzip is; what was read before the cut is kept. Called once every
 * chunk is merged, so a cut that only a parser met is seen too. */
void
_dh_reader_check_mapped (DhReader *self)
{
  for (guint i = 0; i < self->mapped->len; i++)
    {
      MappedInput *m = self->mapped->pdata[i];
      guint64 now = 0;

      if (dh_mapped_file_was_cut (m->map, &now))
        _dh_reader_add_error (self, g_error_new (DH_READER_ERROR, DH_READER_ERROR_TRUNCATED,
                                      _("%s: the file was cut short while it was read "
                                        "(%" G_GUINT64_FORMAT " bytes, then %"
                                        G_GUINT64_FORMAT "); the records before the cut "
                                        "were read"),
                                      m->name, (guint64) dh_mapped_file_get_length (m->map),
                                      now));
    }
  g_ptr_array_set_size (self->mapped, 0);
}

