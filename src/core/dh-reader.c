/* dh-reader.c: reads Route 53 Resolver query logs in every shape into a store
 *
 * The input is a byte stream (gzip detected by its magic and inflated member
 * after member) cut into top-level JSON values by a small state machine that
 * knows strings and nesting. That one cut serves every shape SPEC lists:
 * NDJSON lines, pretty-printed records, `aws logs filter-log-events` output,
 * CloudWatch export lines (`<timestamp> <json>`) and concatenated Firehose
 * payloads. A file whose first value spans lines is read as a document;
 * otherwise a newline inside a value means the line was truncated, so one bad
 * line never swallows its neighbours. Each value is parsed with json-glib
 * (the reference path). NDJSON, the usual case, takes the parallel path
 * (dh-reader-parallel.c), which agrees with this one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <gio/gunixinputstream.h>
#include <json-glib/json-glib.h>

#include "dh-reader-private.h"
#include "dh-record-fast.h"
#include "dh-gunzip.h"
#include "dh-mapped-file.h"
#include "dh-json.h"
#include "dh-record-json.h"
#include "dh-time.h"

G_DEFINE_QUARK (dh-reader-error-quark, dh_reader_error)

static void
input_free (gpointer data)
{
  DhInput *input = data;

  g_free (input->path);
  g_free (input->display);
  g_free (input);
}


void
_dh_reader_mapped_input_free (MappedInput *m)
{
  dh_mapped_file_unref (m->map);
  g_free (m->name);
  g_free (m);
}

DhReader *
dh_reader_new (DhEventStore *store)
{
  DhReader *self = g_new0 (DhReader, 1);

  self->store = dh_event_store_ref (store);
  self->inputs = g_ptr_array_new_with_free_func (input_free);
  self->rejects = g_array_new (FALSE, FALSE, sizeof (DhReject));
  self->errors = g_ptr_array_new_with_free_func ((GDestroyNotify) g_error_free);
  self->mapped = g_ptr_array_new_with_free_func ((GDestroyNotify) _dh_reader_mapped_input_free);
  self->parser = json_parser_new_immutable ();
  self->message_parser = json_parser_new_immutable ();
  dh_record_scratch_init (&self->scratch);
  self->scan.value = g_byte_array_new ();
  self->scan.prefix = g_byte_array_new ();
  self->start = G_MININT64;
  self->end = G_MAXINT64;
  dh_fast_scratch_init (&self->fast);
  dh_fast_scratch_init (&self->decide);
  g_queue_init (&self->chunks);
  self->spare = g_ptr_array_new_with_free_func ((GDestroyNotify) g_byte_array_unref);
  g_mutex_init (&self->chunk_mutex);
  g_cond_init (&self->chunk_cond);
  self->reference_only = g_strcmp0 (g_getenv ("DNSHUNT_READER"), "reference") == 0;
  return self;
}

void
dh_reader_free (DhReader *self)
{
  if (self == NULL)
    return;
  dh_event_store_unref (self->store);
  g_ptr_array_unref (self->inputs);
  g_array_unref (self->rejects);
  g_ptr_array_unref (self->errors);
  g_ptr_array_unref (self->mapped);
  g_object_unref (self->parser);
  g_object_unref (self->message_parser);
  dh_record_scratch_clear (&self->scratch);
  g_byte_array_unref (self->scan.value);
  g_byte_array_unref (self->scan.prefix);
  g_queue_clear_full (&self->chunks, (GDestroyNotify) _dh_reader_chunk_free);
  g_clear_pointer (&self->chunk_buf, g_byte_array_unref);
  g_ptr_array_unref (self->spare);
  dh_fast_scratch_clear (&self->fast);
  dh_fast_scratch_clear (&self->decide);
  g_mutex_clear (&self->chunk_mutex);
  g_cond_clear (&self->chunk_cond);
  g_free (self);
}

void
dh_reader_set_progress_func (DhReader             *self,
                             DhReaderProgressFunc  func,
                             gpointer              user_data)
{
  self->progress = func;
  self->progress_data = user_data;
}

/**
 * dh_reader_set_time_range:
 * @start: first time kept (µs), or G_MININT64
 * @end: last time kept (µs), or G_MAXINT64
 *
 * Records outside the range are skipped (not rejected).
 */
void
dh_reader_set_time_range (DhReader *self,
                          gint64    start,
                          gint64    end)
{
  self->start = start;
  self->end = end;
}

/**
 * dh_reader_set_reference_only:
 * @reference_only: read every record through json-glib, serially
 *
 * For the differential test; the environment variable DNSHUNT_READER=reference
 * does the same.
 */
void
dh_reader_set_reference_only (DhReader *self,
                              gboolean  reference_only)
{
  self->reference_only = reference_only;
}

/**
 * dh_reader_get_n_fast:
 *
 * Returns: how many records the fast scanner read (the rest went through
 *   json-glib)
 */
guint64
dh_reader_get_n_fast (DhReader *self)
{
  return self->n_fast;
}

DhEventStore *
dh_reader_get_store (DhReader *self)
{
  return self->store;
}

/**
 * dh_reader_get_n_events:
 *
 * For progress callbacks: the events read so far. (The store itself is being
 * appended to by the parsers while the reader runs.)
 */
guint
dh_reader_get_n_events (DhReader *self)
{
  return g_atomic_int_get (&self->n_events);
}

guint64
dh_reader_get_bytes_done (DhReader *self)
{
  return self->bytes_done;
}

guint64
dh_reader_get_bytes_total (DhReader *self)
{
  return self->bytes_total;
}

guint
dh_reader_get_n_inputs (DhReader *self)
{
  return self->inputs->len;
}

/**
 * dh_reader_get_rejects:
 * @n_rejects: (out): how many are returned
 *
 * The first rejected lines (at most 1000); the store counts them all.
 */
const DhReject *
dh_reader_get_rejects (DhReader *self,
                       guint    *n_rejects)
{
  *n_rejects = self->rejects->len;
  return (const DhReject *) self->rejects->data;
}

/**
 * dh_reader_get_errors:
 *
 * Returns: (transfer none) (element-type GError): inputs that could not be read,
 *   or not to the end; each message names the input
 */
GPtrArray *
dh_reader_get_errors (DhReader *self)
{
  return self->errors;
}

void
_dh_reader_add_error (DhReader   *self,
           GError     *error)
{
  g_ptr_array_add (self->errors, error);
}

static void
reject (DhReader   *self,
        guint64     line,
        const char *reason)
{
  self->last_reject_line = line;
  dh_event_store_count_rejected (self->store);
  if (self->rejects->len < MAX_REJECTS)
    {
      DhReject r;
      r.source = dh_event_store_get_n_sources (self->store) - 1;
      r.line = line;
      r.reason = reason;
      g_array_append_val (self->rejects, r);
    }
}

/* ---- values ---------------------------------------------------------- */

static void
handle_record (DhReader   *self,
               JsonObject *object,
               guint64     line)
{
  const char *why = NULL;

  if (dh_record_from_json (object, &self->scratch, &why))
    {
      if (self->scratch.record.time >= self->start && self->scratch.record.time <= self->end)
        dh_event_store_add (self->store, &self->scratch.record);
    }
  else
    reject (self, line, why);
}

/**
 * dh_reader_add_message:
 * @json: one record as JSON text (a CloudWatch log event's message)
 * @len: its length, or -1 when nul-terminated
 * @line: the line to report it under
 *
 * Adds one record to the current source of the store.
 */
void
dh_reader_add_message (DhReader   *self,
                       const char *json,
                       gssize      len,
                       guint64     line)
{
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  if (len < 0)
    len = strlen (json);
  /* the same fast scanner as for files; whatever it declines goes to json-glib */
  if (!self->reference_only && dh_record_fast_parse (json, len, &self->fast))
    {
      self->n_fast++;
      if (self->fast.record.time >= self->start && self->fast.record.time <= self->end)
        dh_event_store_add (self->store, &self->fast.record);
      return;
    }
  if (!g_utf8_validate (json, len, NULL))
    {
      g_autofree char *valid = g_utf8_make_valid (json, len);
      dh_reader_add_message (self, valid, -1, line);
      return;
    }
  if (!dh_json_parser_load_bounded (self->message_parser, json, len, &error))
    {
      reject (self, line, g_error_matches (error, DH_JSON_ERROR, DH_JSON_ERROR_TOO_DEEP)
                          ? "log event message nested too deeply"
                          : "log event message is not valid JSON");
      return;
    }
  root = json_parser_get_root (self->message_parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      reject (self, line, "log event message is not a JSON object");
      return;
    }
  handle_record (self, json_node_get_object (root), line);
}

static void
handle_log_events (DhReader  *self,
                   JsonArray *events,
                   guint64    line)
{
  guint n = json_array_get_length (events);

  for (guint i = 0; i < n; i++)
    {
      JsonNode *el = json_array_get_element (events, i);
      JsonNode *msg;

      if (!JSON_NODE_HOLDS_OBJECT (el))
        {
          reject (self, line, "log event is not an object");
          continue;
        }
      msg = json_object_get_member (json_node_get_object (el), "message");
      if (msg == NULL || !JSON_NODE_HOLDS_VALUE (msg) ||
          json_node_get_value_type (msg) != G_TYPE_STRING)
        {
          reject (self, line, "log event has no message text");
          continue;
        }
      dh_reader_add_message (self, json_node_get_string (msg), -1, line);
    }
}

static void
handle_object (DhReader   *self,
               JsonObject *object,
               guint64     line)
{
  JsonNode *node;

  if (dh_record_is_candidate (object))
    {
      handle_record (self, object, line);
      return;
    }

  /* Firehose / subscription payload */
  node = json_object_get_member (object, "logEvents");
  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      handle_log_events (self, json_node_get_array (node), line);
      return;
    }
  if (g_strcmp0 (json_object_get_string_member_with_default (object, "messageType", NULL),
                 "CONTROL_MESSAGE") == 0)
    return;

  /* `aws logs filter-log-events` / `get-log-events` output */
  node = json_object_get_member (object, "events");
  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      handle_log_events (self, json_node_get_array (node), line);
      return;
    }

  reject (self, line, "not a Route 53 Resolver query log record");
}

/* Returns FALSE only when the text is not JSON at all. */
static gboolean
handle_value (DhReader   *self,
              const char *text,
              gsize       len,
              guint64     line)
{
  g_autofree char *valid = NULL;
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  if (!g_utf8_validate (text, len, NULL))
    {
      /* Keep the record; the bad bytes become U+FFFD so every output stays
       * valid UTF-8. */
      valid = g_utf8_make_valid (text, len);
      text = valid;
      len = strlen (valid);
    }
  if (!dh_json_parser_load_bounded (self->parser, text, len, &error))
    {
      /* The scanner counts levels too, but sees only "strings": json-glib
       * also takes 'strings' and comments, which can hide brackets from it. */
      if (!g_error_matches (error, DH_JSON_ERROR, DH_JSON_ERROR_TOO_DEEP))
        return FALSE;
      reject (self, line, "JSON nested too deeply");
      return TRUE;
    }

  root = json_parser_get_root (self->parser);
  if (JSON_NODE_HOLDS_OBJECT (root))
    handle_object (self, json_node_get_object (root), line);
  else if (JSON_NODE_HOLDS_ARRAY (root))
    {
      JsonArray *array = json_node_get_array (root);
      guint n = json_array_get_length (array);
      gboolean rejected = FALSE;
      for (guint i = 0; i < n; i++)
        {
          JsonNode *el = json_array_get_element (array, i);
          if (JSON_NODE_HOLDS_OBJECT (el))
            handle_object (self, json_node_get_object (el), line);
          else if (!rejected)
            {
              reject (self, line, "array entry is not a JSON object");
              rejected = TRUE;
            }
        }
    }
  else
    reject (self, line, "not a JSON object");
  return TRUE;
}

/* ---- the scanner ----------------------------------------------------- */

void
_dh_reader_scan_reset (ScanState *st)
{
  st->mode = MODE_UNKNOWN;
  st->line = 1;
  st->depth = 0;
  st->in_string = FALSE;
  st->escape = FALSE;
  st->multiline = FALSE;
  st->skip_line = FALSE;
  st->skip_reason = NULL;
  g_byte_array_set_size (st->value, 0);
  g_byte_array_set_size (st->prefix, 0);
}

static gboolean
prefix_is_timestamp (GByteArray *prefix)
{
  const char *p = (const char *) prefix->data;
  gsize len = prefix->len;
  gint64 t;

  while (len > 0 && g_ascii_isspace (p[len - 1]))
    len--;
  if (len == 0)
    return FALSE;
  if (dh_time_parse_iso8601 (p, len, &t))
    return TRUE;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isdigit (p[i]))
      return FALSE;
  return TRUE;
}

/* The first value spanned lines but was not one JSON document after all:
 * read its bytes again line by line. */
static void
replay_as_lines (DhReader *self)
{
  ScanState *st = &self->scan;
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  guint64 line = st->value_line;
  GByteArray *tmp = st->value;

  st->value = bytes;
  bytes = tmp;
  _dh_reader_scan_reset (st);
  st->mode = MODE_LINE;
  st->line = line;
  _dh_reader_scan_bytes (self, bytes->data, bytes->len);
}

static void
value_done (DhReader *self)
{
  ScanState *st = &self->scan;

  st->depth = 0;
  if (st->skip_reason)
    {
      reject (self, st->value_line, st->skip_reason);
      st->skip_reason = NULL;
      if (st->mode == MODE_UNKNOWN)
        st->mode = st->multiline ? MODE_DOCUMENT : MODE_LINE;
      g_byte_array_set_size (st->value, 0);
      return;
    }

  if (handle_value (self, (const char *) st->value->data, st->value->len, st->value_line))
    {
      if (st->mode == MODE_UNKNOWN)
        st->mode = st->multiline ? MODE_DOCUMENT : MODE_LINE;
    }
  else if (st->mode == MODE_UNKNOWN && st->multiline)
    {
      replay_as_lines (self);
      return;
    }
  else
    reject (self, st->value_line, "not valid JSON");
  g_byte_array_set_size (st->value, 0);
}

void
_dh_reader_scan_bytes (DhReader     *self,
            const guint8 *data,
            gsize         len)
{
  ScanState *st = &self->scan;

  for (gsize i = 0; i < len; i++)
    {
      guint8 c = data[i];

      if (st->skip_line)
        {
          if (c == '\n')
            {
              st->skip_line = FALSE;
              st->line++;
            }
          continue;
        }

      if (st->depth == 0)
        {
          if (c == '\n')
            {
              /* text around the values of a line already rejected is not a
               * second rejected line */
              if (st->prefix->len > 0 && self->last_reject_line != st->line)
                reject (self, st->line, "not a JSON record");
              g_byte_array_set_size (st->prefix, 0);
              st->line++;
            }
          else if (c == '{' || c == '[')
            {
              if (st->prefix->len > 0 && !prefix_is_timestamp (st->prefix))
                {
                  reject (self, st->line, "not a JSON record");
                  g_byte_array_set_size (st->prefix, 0);
                  st->skip_line = TRUE;
                  continue;
                }
              g_byte_array_set_size (st->prefix, 0);
              g_byte_array_set_size (st->value, 0);
              g_byte_array_append (st->value, &c, 1);
              st->depth = 1;
              st->value_line = st->line;
              st->in_string = FALSE;
              st->escape = FALSE;
              st->multiline = FALSE;
              st->skip_reason = NULL;
            }
          else if (st->prefix->len == 0 && (c == ' ' || c == '\t' || c == '\r'))
            ;
          else if (st->prefix->len >= MAX_PREFIX)
            {
              reject (self, st->line, "not a JSON record");
              g_byte_array_set_size (st->prefix, 0);
              st->skip_line = TRUE;
            }
          else
            g_byte_array_append (st->prefix, &c, 1);
          continue;
        }

      /* Inside a value */
      if (st->skip_reason == NULL)
        {
          if (st->value->len >= MAX_VALUE)
            {
              st->skip_reason = "record larger than 256 MiB";
              g_byte_array_set_size (st->value, 0);
            }
          else
            g_byte_array_append (st->value, &c, 1);
        }

      if (c == '\n')
        {
          st->line++;
          st->multiline = TRUE;
          /* A first value that is already too deep or too large cannot be a
           * document we could replay: read the rest line by line. */
          if (st->mode == MODE_UNKNOWN && st->skip_reason != NULL)
            st->mode = MODE_LINE;
          if (st->mode == MODE_LINE)
            {
              reject (self, st->value_line, st->skip_reason ? st->skip_reason
                                                            : "truncated JSON record");
              st->depth = 0;
              st->skip_reason = NULL;
              g_byte_array_set_size (st->value, 0);
            }
          else
            st->escape = FALSE;
          continue;
        }

      if (st->in_string)
        {
          if (st->escape)
            st->escape = FALSE;
          else if (c == '\\')
            st->escape = TRUE;
          else if (c == '"')
            st->in_string = FALSE;
          continue;
        }

      switch (c)
        {
        case '"':
          st->in_string = TRUE;
          break;
        case '{':
        case '[':
          if (++st->depth > MAX_DEPTH && st->skip_reason == NULL)
            {
              st->skip_reason = "JSON nested too deeply";
              g_byte_array_set_size (st->value, 0);
            }
          break;
        case '}':
        case ']':
          if (--st->depth == 0)
            value_done (self);
          break;
        default:
          break;
        }
    }
}

void
_dh_reader_scan_finish (DhReader *self)
{
  ScanState *st = &self->scan;

  if (st->depth > 0)
    {
      if (st->mode == MODE_UNKNOWN && st->multiline && st->skip_reason == NULL)
        {
          replay_as_lines (self);
          _dh_reader_scan_finish (self);
          return;
        }
      reject (self, st->value_line, st->skip_reason ? st->skip_reason
                                                    : "truncated JSON record at end of input");
    }
  else if (st->prefix->len > 0 && !st->skip_line)
    reject (self, st->line, "not a JSON record");
  _dh_reader_scan_reset (st);
}


/* ---- inputs ---------------------------------------------------------- */

static gboolean
is_log_name (const char *name)
{
  static const char *suffixes[] = { ".log", ".log.gz", ".json", ".jsonl", ".ndjson", ".gz",
                                    ".json.gz", ".jsonl.gz" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    if (g_str_has_suffix (name, suffixes[i]))
      return TRUE;
  return FALSE;
}

static void
add_input (DhReader   *self,
           const char *path,
           const char *display,
           guint64     size)
{
  DhInput *input = g_new0 (DhInput, 1);

  input->path = g_strdup (path);
  input->display = g_strdup (display);
  input->size = size;
  self->bytes_total += size;
  g_ptr_array_add (self->inputs, input);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static void
walk_directory (DhReader   *self,
                const char *dir)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) d = g_dir_open (dir, 0, &error);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  if (d == NULL)
    {
      _dh_reader_add_error (self, g_error_new (DH_READER_ERROR, DH_READER_ERROR_UNREADABLE,
                                    "%s: %s", dir, error->message));
      return;
    }
  while ((name = g_dir_read_name (d)) != NULL)
    if (name[0] != '.')
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);

  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *child = g_build_filename (dir, names->pdata[i], NULL);
      GStatBuf st;

      /* lstat: never follow a link into a directory, so a loop cannot hang us */
      if (g_lstat (child, &st) != 0)
        continue;
      if (S_ISDIR (st.st_mode))
        walk_directory (self, child);
      else if ((S_ISREG (st.st_mode) || S_ISLNK (st.st_mode)) && is_log_name (names->pdata[i]))
        {
          if (S_ISLNK (st.st_mode) && (g_stat (child, &st) != 0 || !S_ISREG (st.st_mode)))
            continue;
          add_input (self, child, child, st.st_size);
        }
    }
}

/**
 * dh_reader_add_path:
 * @path: a file, a directory (read recursively), or `-` for standard input
 *
 * Queues an input. A missing path is an error naming it (also kept in
 * dh_reader_get_errors()).
 */
gboolean
dh_reader_add_path (DhReader    *self,
                    const char  *path,
                    GError     **error)
{
  GStatBuf st;

  if (g_str_equal (path, "-"))
    {
      add_input (self, NULL, _("standard input"), 0);
      return TRUE;
    }
  if (g_stat (path, &st) != 0)
    {
      int saved = errno;
      GError *e = g_error_new (DH_READER_ERROR, DH_READER_ERROR_NOT_FOUND, "%s: %s", path,
                               g_strerror (saved));
      if (error)
        *error = g_error_copy (e);
      _dh_reader_add_error (self, e);
      return FALSE;
    }
  if (S_ISDIR (st.st_mode))
    {
      guint before = self->inputs->len;
      walk_directory (self, path);
      if (self->inputs->len == before)
        {
          GError *e = g_error_new (DH_READER_ERROR, DH_READER_ERROR_NO_INPUT,
                                   _("%s: no log files (*.log, *.log.gz, *.json, *.jsonl, *.gz) "
                                     "in this folder"), path);
          if (error)
            *error = g_error_copy (e);
          _dh_reader_add_error (self, e);
          return FALSE;
        }
      return TRUE;
    }
  add_input (self, path, path, st.st_size);
  return TRUE;
}

/* Called by the thread that runs the reader only. */
void
_dh_reader_report_progress (DhReader *self)
{
  /* the parsers update the count as they merge; a serial input is read here */
  if (self->feed_mode == FEED_SERIAL)
    g_atomic_int_set (&self->n_events, dh_event_store_get_n_events (self->store));
  if (self->progress)
    self->progress (self, self->progress_data);
}

/* Reads @stream to the end, inflating gzip members as they come, and feeds
 * the scanner. */
static gboolean
read_stream (DhReader      *self,
             const char    *name,
             GInputStream  *stream,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autofree guint8 *in = g_malloc (READ_CHUNK);
  g_autofree guint8 *out = NULL;
  g_autoptr(GConverter) gunzip = NULL;
  gsize in_len = 0;
  gboolean eof = FALSE;
  gboolean first = TRUE;
  gboolean finished = FALSE;
  gboolean fed_output = FALSE;
  guint64 total_in = 0;

  _dh_reader_feed_start (self);

  for (;;)
    {
      gssize n;

      if (!eof && in_len < READ_CHUNK)
        {
          n = g_input_stream_read (stream, in + in_len, READ_CHUNK - in_len, cancellable, error);
          if (n < 0)
            {
              if (!g_error_matches (*error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
                g_prefix_error (error, "%s: ", name);
              _dh_reader_feed_finish (self);
              return FALSE;
            }
          if (n == 0)
            eof = TRUE;
          in_len += n;
          total_in += n;
          self->bytes_done += n;
        }

      if (first)
        {
          if (in_len < 2 && !eof)
            continue;
          first = FALSE;
          if (in_len >= 2 && in[0] == 0x1f && in[1] == 0x8b)
            {
              gunzip = G_CONVERTER (dh_gunzip_new ());
              out = g_malloc (READ_CHUNK * 4);
            }
          else if (in_len >= 3 && memcmp (in, "\xef\xbb\xbf", 3) == 0)
            {
              memmove (in, in + 3, in_len - 3);
              in_len -= 3;
            }
        }

      if (gunzip == NULL)
        {
          _dh_reader_feed (self, in, in_len);
          in_len = 0;
        }
      else
        {
          gsize pos = 0;

          while (pos < in_len || (eof && !finished))
            {
              gsize bytes_read = 0, bytes_written = 0;
              g_autoptr(GError) local = NULL;
              GConverterResult res;
              gboolean direct;
              gsize direct_at = 0;

              /* Once the parallel path is chosen (and the start of the input,
               * where a byte order mark is dropped, is past), inflate straight
               * into the chunk buffer: no copy. */
              direct = self->feed_mode == FEED_PARALLEL;
              if (direct)
                {
                  direct_at = self->chunk_buf->len;
                  g_byte_array_set_size (self->chunk_buf, direct_at + READ_CHUNK * 4);
                }
              res = g_converter_convert (gunzip, in + pos, in_len - pos,
                                         direct ? self->chunk_buf->data + direct_at : out,
                                         READ_CHUNK * 4,
                                         eof ? G_CONVERTER_INPUT_AT_END : G_CONVERTER_NO_FLAGS,
                                         &bytes_read, &bytes_written, &local);
              if (direct)
                {
                  g_byte_array_set_size (self->chunk_buf, direct_at + bytes_written);
                  if (self->chunk_buf->len >= CHUNK_SIZE)
                    _dh_reader_submit_buffer (self, FALSE);
                }
              if (res == G_CONVERTER_ERROR)
                {
                  if (g_error_matches (local, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT) && !eof)
                    break;
                  _dh_reader_feed_finish (self);
                  if (g_error_matches (local, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT))
                    g_set_error (error, DH_READER_ERROR, DH_READER_ERROR_TRUNCATED,
                                 _("%s: the gzip data is truncated (after %" G_GUINT64_FORMAT
                                   " compressed bytes); the records before the cut were read"),
                                 name, total_in);
                  else
                    g_set_error (error, DH_READER_ERROR, DH_READER_ERROR_UNREADABLE,
                                 _("%s: the gzip data is corrupt (%s); the records before it "
                                   "were read"), name, local->message);
                  return FALSE;
                }
              pos += bytes_read;
              if (bytes_written > 0 && !direct)
                {
                  guint8 *o = out;
                  gsize olen = bytes_written;
                  /* a byte order mark at the start of what the gzip data holds */
                  if (!fed_output && olen >= 3 && memcmp (o, "\xef\xbb\xbf", 3) == 0)
                    {
                      o += 3;
                      olen -= 3;
                    }
                  fed_output = TRUE;
                  _dh_reader_feed (self, o, olen);
                }
              if (res == G_CONVERTER_FINISHED)
                {
                  /* every member (DhGunzip goes from one to the next) */
                  finished = TRUE;
                  break;
                }
              if (bytes_read == 0 && bytes_written == 0)
                break;
            }
          memmove (in, in + pos, in_len - pos);
          in_len -= pos;
        }

      _dh_reader_report_progress (self);

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          _dh_reader_feed_finish (self);
          return FALSE;
        }
      if (eof && in_len == 0)
        break;
      if (eof && gunzip != NULL && finished)
        break;
    }

  _dh_reader_feed_finish (self);
  return TRUE;
}

/**
 * dh_reader_read_stream:
 * @name: what to call the input in messages
 *
 * Reads one input as its own source. Bad lines are rejected and counted; an
 * error is returned only when the stream itself fails (the records before the
 * failure stay in the store).
 */
gboolean
dh_reader_read_stream (DhReader      *self,
                       const char    *name,
                       GInputStream  *stream,
                       GCancellable  *cancellable,
                       GError       **error)
{
  gboolean ret;

  _dh_reader_begin_input (self, name);
  ret = read_stream (self, name, stream, cancellable, error);
  _dh_reader_end_input (self);
  _dh_reader_wait_merged (self, 0);
  return ret;
}

/**
 * dh_reader_read_bytes:
 *
 * Reads an input held in memory, as dh_reader_read_stream() does.
 */
gboolean
dh_reader_read_bytes (DhReader    *self,
                      const char  *name,
                      const char  *data,
                      gsize        len,
                      GError     **error)
{
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_data (data, len, NULL);

  return dh_reader_read_stream (self, name, stream, NULL, error);
}

/* Reads the inputs one after the other without waiting for the last chunks
 * of one to be merged before starting the next (the markers keep the order). */
static gboolean
run_inputs (DhReader      *self,
            GCancellable  *cancellable,
            GError       **error)
{
  for (guint i = 0; i < self->inputs->len; i++)
    {
      DhInput *input = self->inputs->pdata[i];
      g_autoptr(GInputStream) stream = NULL;
      g_autoptr(GError) local = NULL;
      gboolean ok;

      if (input->path == NULL)
        stream = g_unix_input_stream_new (0, FALSE);
      else if (input->size > 0)
        {
          g_autoptr(DhMappedFile) map = dh_mapped_file_new (input->path, NULL);
          const char *head = map ? dh_mapped_file_get_contents (map) : NULL;

          /* Plain text is mapped; gzip goes through the stream below. */
          if (head != NULL && dh_mapped_file_get_length (map) >= 2 &&
              !((guchar) head[0] == 0x1f && (guchar) head[1] == 0x8b))
            {
              MappedInput *m = g_new0 (MappedInput, 1);

              m->map = dh_mapped_file_ref (map);
              m->name = g_strdup (input->display);
              g_ptr_array_add (self->mapped, m);
              _dh_reader_begin_input (self, input->display);
              ok = _dh_reader_read_mapped (self, input->display, map, cancellable, &local);
              _dh_reader_end_input (self);
              if (!ok)
                {
                  g_propagate_error (error, g_steal_pointer (&local));
                  return FALSE;
                }
              continue;
            }
        }
      if (stream == NULL && input->path != NULL)
        {
          g_autoptr(GFile) file = g_file_new_for_path (input->path);
          stream = G_INPUT_STREAM (g_file_read (file, cancellable, &local));
          if (stream == NULL)
            {
              if (g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CANCELLED))
                {
                  g_propagate_error (error, g_steal_pointer (&local));
                  return FALSE;
                }
              _dh_reader_add_error (self, g_error_new (DH_READER_ERROR, DH_READER_ERROR_UNREADABLE,
                                            "%s: %s", input->display, local->message));
              continue;
            }
        }

      _dh_reader_begin_input (self, input->display);
      ok = read_stream (self, input->display, stream, cancellable, &local);
      _dh_reader_end_input (self);
      if (!ok)
        {
          if (g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            {
              g_propagate_error (error, g_steal_pointer (&local));
              return FALSE;
            }
          _dh_reader_add_error (self, g_steal_pointer (&local));
        }
    }
  return TRUE;
}

/**
 * dh_reader_run:
 *
 * Reads every queued input. An input that fails is recorded in
 * dh_reader_get_errors() and the others are still read.
 *
 * Returns: %FALSE only when cancelled
 */
gboolean
dh_reader_run (DhReader      *self,
               GCancellable  *cancellable,
               GError       **error)
{
  gboolean ret = run_inputs (self, cancellable, error);

  _dh_reader_wait_merged (self, 0);
  _dh_reader_check_mapped (self);
  return ret;
}