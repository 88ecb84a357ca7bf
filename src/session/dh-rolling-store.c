/* dh-rolling-store.c: a growing store of a live log group, cut to a retention
 *
 * A log group followed for hours would fill memory: the rolling store keeps
 * a store and its reader for one live source, parses each page of log
 * events into it (a log event's message is one record, as a file's line
 * is), and once the store holds a quarter more than the retention it is
 * replaced by a compact copy of the last retention (rarely, not after every
 * poll). A record dated in the future moves no cutoff past the clock (see
 * dh_time_retention_cutoff()).
 *
 * Snapshots are compact copies of the last retention, indexed and analysed:
 * `dnshunt scan --follow` prints the alerts of each one, the window installs
 * them into the investigation. Not thread-safe: one thread at a time (the
 * live source's serial worker, or the command line's main loop).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "dh-rolling-store.h"
#include "dh-time.h"

struct _DhRollingStore
{
  DhEventStore *store;
  DhReader     *reader;
  char         *source_name;
  char         *current;      /* the store's current source (a followed file's path) */
  char        **inputs;       /* what snapshots name as their inputs, or NULL */
  char         *label;        /* or what they call the source */
  gint64        start;        /* µs, or G_MININT64 */
  gint64        end;          /* µs, or G_MAXINT64 */
  gint64        retention;    /* µs; 0 keeps everything (a range) */
  guint64       line;
  guint64       n_received;
};

/**
 * dh_rolling_store_new:
 * @source_name: the input's name in the store and in reject messages
 * @start: (µs) the oldest record kept, or G_MININT64
 * @end: (µs) the newest record kept, or G_MAXINT64
 * @retention: (µs) how much history to keep; 0 keeps everything
 */
DhRollingStore *
dh_rolling_store_new (const char *source_name,
                      gint64      start,
                      gint64      end,
                      gint64      retention)
{
  DhRollingStore *self = g_new0 (DhRollingStore, 1);

  self->source_name = g_strdup (source_name);
  self->start = start;
  self->end = end;
  self->retention = CLAMP (retention, 0, DH_DURATION_MAX);
  self->store = dh_event_store_new ();
  self->reader = dh_reader_new (self->store);
  dh_reader_set_time_range (self->reader, start, end);
  dh_event_store_begin_source (self->store, source_name);
  return self;
}

void
dh_rolling_store_free (DhRollingStore *self)
{
  if (self == NULL)
    return;
  dh_reader_free (self->reader);
  dh_event_store_unref (self->store);
  g_free (self->source_name);
  g_free (self->current);
  g_strfreev (self->inputs);
  g_free (self->label);
  g_free (self);
}

void
dh_rolling_store_add_page (DhRollingStore *self,
                           DhLogEventPage *page)
{
  guint n = dh_log_event_page_get_n_events (page);

  for (guint i = 0; i < n; i++)
    dh_reader_add_message (self->reader, dh_log_event_page_get_event (page, i)->message, -1,
                           ++self->line);
  self->n_received += n;
}

/* log events received, also those out of range or dropped since */
/**
 * dh_rolling_store_add_line:
 * @source: the file the line comes from: bad lines are reported under it
 * @line: its number in @source
 *
 * Adds one line of a followed file.
 */
void
dh_rolling_store_add_line (DhRollingStore *self,
                           const char     *source,
                           guint64         line,
                           const char     *text,
                           gsize           length)
{
  if (g_strcmp0 (self->current, source) != 0)
    {
      dh_event_store_end_source (self->store);
      dh_event_store_begin_source (self->store, source);
      g_free (self->current);
      self->current = g_strdup (source);
    }
  dh_reader_add_message (self->reader, text, length, line);
  self->n_received++;
}

/* what the snapshots call their source when they have no inputs (a log
 * group): the overview names it */
void
dh_rolling_store_set_label (DhRollingStore *self,
                            const char     *label)
{
  g_free (self->label);
  self->label = g_strdup (label);
}

/* the files and folders followed: the snapshots' inputs (a case saved
 * names them) */
void
dh_rolling_store_set_inputs (DhRollingStore     *self,
                             const char * const *inputs)
{
  g_strfreev (self->inputs);
  self->inputs = g_strdupv ((char **) inputs);
}

guint64
dh_rolling_store_get_n_received (DhRollingStore *self)
{
  return self->n_received;
}

/**
 * dh_rolling_store_get_store:
 *
 * Returns: (transfer none): the growing store; valid until the next trim
 */
DhEventStore *
dh_rolling_store_get_store (DhRollingStore *self)
{
  return self->store;
}

/**
 * dh_rolling_store_get_reader:
 *
 * Returns: (transfer none): the reader of the store (its rejects); valid
 *   until the next trim
 */
DhReader *
dh_rolling_store_get_reader (DhRollingStore *self)
{
  return self->reader;
}

/**
 * dh_rolling_store_trim:
 * @now: the clock (µs)
 * @retire: (nullable): called with the reader about to go, if it goes
 *
 * Drops the records older than the retention, when there are enough of them
 * to be worth it.
 *
 * Returns: %TRUE when the store was replaced
 */
gboolean
dh_rolling_store_trim (DhRollingStore      *self,
                       gint64               now,
                       DhRollingRetireFunc  retire,
                       gpointer             user_data)
{
  gint64 first, last, cutoff;
  DhEventStore *kept;

  if (self->retention <= 0 || !dh_event_store_get_time_span (self->store, &first, &last) ||
      !dh_time_retention_cutoff (first, last, now, self->retention, &cutoff))
    return FALSE;

  if (retire)
    retire (self->reader, user_data);
  dh_event_store_end_source (self->store);
  kept = dh_event_store_compact (self->store, cutoff);
  dh_event_store_begin_source (kept, self->source_name);
  g_clear_pointer (&self->current, g_free);
  dh_reader_free (self->reader);
  dh_event_store_unref (self->store);
  self->store = kept;
  self->reader = dh_reader_new (kept);
  dh_reader_set_time_range (self->reader, self->start, self->end);
  return TRUE;
}

/**
 * dh_rolling_store_snapshot:
 * @now: the clock (µs)
 * @book: the rules and settings to run
 *
 * A compact copy of the last retention (or of everything), indexed and
 * analysed. The store goes on growing.
 *
 * Returns: (transfer full) (nullable): the snapshot; %NULL when cancelled
 */
DhSnapshot *
dh_rolling_store_snapshot (DhRollingStore  *self,
                           gint64           now,
                           DhRuleBook      *book,
                           guint            book_serial,
                           GCancellable    *cancellable,
                           GError         **error)
{
  gint64 first, last, cutoff = G_MININT64;
  DhSnapshot *snapshot;

  if (self->retention > 0 && dh_event_store_get_time_span (self->store, &first, &last))
    dh_time_retention_cutoff (first, last, now, self->retention, &cutoff);
  snapshot = dh_snapshot_build (dh_event_store_compact (self->store, cutoff),
                                (const char * const *) self->inputs, book, book_serial, NULL,
                                NULL, cancellable, error);
  if (snapshot && self->label)
    dh_snapshot_set_label (snapshot, self->label);
  return snapshot;
}

/* No more records: the store's source ends (the command line's last report). */
void
dh_rolling_store_finish (DhRollingStore *self)
{
  dh_event_store_end_source (self->store);
}
