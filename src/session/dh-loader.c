/* dh-loader.c: reads logs into a snapshot, once, in a worker
 *
 * A loader reads every path it was given into a new store in a worker
 * thread, indexes it and runs the rules there too; the caller gets a
 * finished snapshot in one hand-over (see dh-snapshot.c). While it works,
 * its phase, fraction and a translated message follow it on the main loop,
 * through one coalesced progress relay (at most one update every 40 ms), so
 * a fast reader cannot flood the main loop.
 *
 * A loader runs once; make another to read again.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "dh-loader.h"
#include "dh-progress-relay.h"
#include "dh-reader.h"

#define PROGRESS_INTERVAL_US (40 * 1000)

G_DEFINE_ENUM_TYPE (DhLoadPhase, dh_load_phase,
  G_DEFINE_ENUM_VALUE (DH_LOAD_PHASE_IDLE, "idle"),
  G_DEFINE_ENUM_VALUE (DH_LOAD_PHASE_READING, "reading"),
  G_DEFINE_ENUM_VALUE (DH_LOAD_PHASE_INDEXING, "indexing"),
  G_DEFINE_ENUM_VALUE (DH_LOAD_PHASE_ANALYSING, "analysing"),
  G_DEFINE_ENUM_VALUE (DH_LOAD_PHASE_DONE, "done"))

struct _DhLoader
{
  GObject          parent_instance;

  char           **paths;
  DhRuleBook      *book;          /* a copy: the worker's alone */
  guint            book_serial;
  gboolean         started;

  DhProgressRelay *relay;
  DhLoadPhase      phase;
  double           fraction;
  guint64          bytes_done;
  guint64          bytes_total;
  guint64          n_events;
  char            *message;
};

G_DEFINE_FINAL_TYPE (DhLoader, dh_loader, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PHASE,
  PROP_FRACTION,
  PROP_MESSAGE,
  PROP_BYTES_DONE,
  PROP_BYTES_TOTAL,
  PROP_N_EVENTS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

void
dh_load_report_free (DhLoadReport *report)
{
  if (report == NULL)
    return;
  for (guint i = 0; i < report->rejects->len; i++)
    g_free (g_array_index (report->rejects, DhRejectInfo, i).source);
  g_array_unref (report->rejects);
  g_ptr_array_unref (report->errors);
  g_free (report);
}

static char *
format_message (const DhProgress *p)
{
  g_autofree char *done = g_format_size (p->bytes_done);

  switch ((DhLoadPhase) p->phase)
    {
    case DH_LOAD_PHASE_READING:
      if (p->bytes_total > 0)
        {
          g_autofree char *total = g_format_size (p->bytes_total);
          /* Translators: "12.3 MB of 440 MB · 27000 events" */
          return g_strdup_printf (_("%s of %s · %" G_GUINT64_FORMAT " events"), done, total,
                                  p->n_items);
        }
      /* Translators: "12.3 MB · 27000 events" */
      return g_strdup_printf (_("%s · %" G_GUINT64_FORMAT " events"), done, p->n_items);
    case DH_LOAD_PHASE_INDEXING:
      /* Translators: a number of events */
      return g_strdup_printf (_("Indexing %" G_GUINT64_FORMAT " events"), p->n_items);
    case DH_LOAD_PHASE_ANALYSING:
      /* Translators: a number of events */
      return g_strdup_printf (_("Running the rules on %" G_GUINT64_FORMAT " events"),
                              p->n_items);
    case DH_LOAD_PHASE_DONE:
      return g_strdup_printf (_("Read %" G_GUINT64_FORMAT " events"), p->n_items);
    case DH_LOAD_PHASE_IDLE:
    default:
      return g_strdup ("");
    }
}

/* Main thread: the latest figures from the worker. */
static void
apply_progress (const DhProgress *p,
                gpointer          user_data)
{
  DhLoader *self = user_data;
  g_autofree char *message = format_message (p);
  GObject *object = G_OBJECT (self);

  g_object_freeze_notify (object);
  if (self->phase != (DhLoadPhase) p->phase)
    {
      self->phase = p->phase;
      g_object_notify_by_pspec (object, properties[PROP_PHASE]);
    }
  if (self->fraction != p->fraction)
    {
      self->fraction = p->fraction;
      g_object_notify_by_pspec (object, properties[PROP_FRACTION]);
    }
  if (self->bytes_done != p->bytes_done)
    {
      self->bytes_done = p->bytes_done;
      g_object_notify_by_pspec (object, properties[PROP_BYTES_DONE]);
    }
  if (self->bytes_total != p->bytes_total)
    {
      self->bytes_total = p->bytes_total;
      g_object_notify_by_pspec (object, properties[PROP_BYTES_TOTAL]);
    }
  if (self->n_events != p->n_items)
    {
      self->n_events = p->n_items;
      g_object_notify_by_pspec (object, properties[PROP_N_EVENTS]);
    }
  if (g_strcmp0 (self->message, message) != 0)
    {
      g_free (self->message);
      self->message = g_steal_pointer (&message);
      g_object_notify_by_pspec (object, properties[PROP_MESSAGE]);
    }
  g_object_thaw_notify (object);
}

static void
dh_loader_finalize (GObject *object)
{
  DhLoader *self = DH_LOADER (object);

  if (self->relay)
    dh_progress_relay_close (self->relay);
  g_clear_pointer (&self->relay, dh_progress_relay_unref);
  g_strfreev (self->paths);
  g_clear_pointer (&self->book, dh_rule_book_unref);
  g_free (self->message);
  G_OBJECT_CLASS (dh_loader_parent_class)->finalize (object);
}

static void
dh_loader_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  DhLoader *self = DH_LOADER (object);

  switch (prop_id)
    {
    case PROP_PHASE:
      g_value_set_enum (value, self->phase);
      break;
    case PROP_FRACTION:
      g_value_set_double (value, self->fraction);
      break;
    case PROP_MESSAGE:
      g_value_set_string (value, self->message);
      break;
    case PROP_BYTES_DONE:
      g_value_set_uint64 (value, self->bytes_done);
      break;
    case PROP_BYTES_TOTAL:
      g_value_set_uint64 (value, self->bytes_total);
      break;
    case PROP_N_EVENTS:
      g_value_set_uint64 (value, self->n_events);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dh_loader_class_init (DhLoaderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = dh_loader_finalize;
  object_class->get_property = dh_loader_get_property;

  properties[PROP_PHASE] =
    g_param_spec_enum ("phase", NULL, NULL, DH_TYPE_LOAD_PHASE, DH_LOAD_PHASE_IDLE, flags);
  /* of the bytes read while reading; negative when not known (later phases) */
  properties[PROP_FRACTION] =
    g_param_spec_double ("fraction", NULL, NULL, -1, 1, 0, flags);
  /* translated, for a progress bar's text */
  properties[PROP_MESSAGE] =
    g_param_spec_string ("message", NULL, NULL, NULL, flags);
  properties[PROP_BYTES_DONE] =
    g_param_spec_uint64 ("bytes-done", NULL, NULL, 0, G_MAXUINT64, 0, flags);
  properties[PROP_BYTES_TOTAL] =
    g_param_spec_uint64 ("bytes-total", NULL, NULL, 0, G_MAXUINT64, 0, flags);
  properties[PROP_N_EVENTS] =
    g_param_spec_uint64 ("n-events", NULL, NULL, 0, G_MAXUINT64, 0, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
dh_loader_init (DhLoader *self)
{
  self->message = g_strdup ("");
}

/**
 * dh_loader_new:
 * @paths: files and folders to read
 * @book: the rules and settings to run (copied)
 * @book_serial: the settings' serial, handed on with the snapshot
 */
DhLoader *
dh_loader_new (const char * const *paths,
               DhRuleBook         *book,
               guint               book_serial)
{
  DhLoader *self = g_object_new (DH_TYPE_LOADER, NULL);

  self->paths = g_strdupv ((char **) paths);
  if (self->paths == NULL)
    self->paths = g_new0 (char *, 1);
  self->book = dh_rule_book_copy (book);
  self->book_serial = book_serial;
  return self;
}

DhLoadPhase
dh_loader_get_phase (DhLoader *self)
{
  return self->phase;
}

/**
 * dh_loader_get_fraction:
 *
 * Returns: the part of the input bytes read, from 0 to 1, or a negative
 *   number when it is not known (indexing, analysing)
 */
double
dh_loader_get_fraction (DhLoader *self)
{
  return self->fraction;
}

/**
 * dh_loader_get_message:
 *
 * Returns: (transfer none): what the loader is doing, translated, plain text
 */
const char *
dh_loader_get_message (DhLoader *self)
{
  return self->message;
}

guint64
dh_loader_get_bytes_done (DhLoader *self)
{
  return self->bytes_done;
}

guint64
dh_loader_get_bytes_total (DhLoader *self)
{
  return self->bytes_total;
}

guint64
dh_loader_get_n_events (DhLoader *self)
{
  return self->n_events;
}

/* Worker thread ----------------------------------------------------------- */

typedef struct
{
  DhProgressRelay *relay;
  DhReader        *reader;
  DhEventStore    *store;
} Worker;

static void
post (Worker      *w,
      DhLoadPhase  phase,
      gboolean     force)
{
  DhProgress p = { .phase = phase, .fraction = -1 };

  p.bytes_done = dh_reader_get_bytes_done (w->reader);
  p.bytes_total = dh_reader_get_bytes_total (w->reader);
  p.n_items = dh_reader_get_n_events (w->reader);
  if (phase == DH_LOAD_PHASE_READING)
    p.fraction = p.bytes_total > 0 ? MIN (1.0, (double) p.bytes_done / p.bytes_total) : 0.0;
  dh_progress_relay_post (w->relay, &p, force);
}

static void
reader_progress (DhReader *reader,
                 gpointer  user_data)
{
  post (user_data, DH_LOAD_PHASE_READING, FALSE);
}

static void
on_analysing (gpointer snapshot,
              gpointer user_data)
{
  post (user_data, DH_LOAD_PHASE_ANALYSING, TRUE);
}

static DhLoadReport *
make_report (DhReader     *reader,
             DhEventStore *store)
{
  DhLoadReport *report = g_new0 (DhLoadReport, 1);
  const DhReject *rejects;
  guint n_rejects;
  GPtrArray *errors;

  report->rejects = g_array_new (FALSE, FALSE, sizeof (DhRejectInfo));
  report->errors = g_ptr_array_new_with_free_func (g_free);
  report->n_rejected = dh_event_store_get_n_rejected (store);
  report->n_events = dh_event_store_get_n_events (store);
  rejects = dh_reader_get_rejects (reader, &n_rejects);
  for (guint i = 0; i < n_rejects; i++)
    {
      DhRejectInfo info;
      info.source = g_strdup (dh_event_store_get_source (store, rejects[i].source)->name);
      info.line = rejects[i].line;
      info.reason = rejects[i].reason;
      g_array_append_val (report->rejects, info);
    }
  errors = dh_reader_get_errors (reader);
  for (guint i = 0; i < errors->len; i++)
    g_ptr_array_add (report->errors, g_strdup (((GError *) errors->pdata[i])->message));
  return report;
}

typedef struct
{
  DhSnapshot   *snapshot;
  DhLoadReport *report;
} LoadResult;

static void
load_result_free (LoadResult *r)
{
  g_clear_pointer (&r->snapshot, dh_snapshot_unref);
  g_clear_pointer (&r->report, dh_load_report_free);
  g_free (r);
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  DhLoader *self = source_object;
  g_autoptr(DhEventStore) store = dh_event_store_new ();
  g_autoptr(DhReader) reader = dh_reader_new (store);
  g_autoptr(GError) error = NULL;
  Worker w = { self->relay, reader, store };
  LoadResult *result;
  gint64 started = g_get_monotonic_time ();

  dh_reader_set_progress_func (reader, reader_progress, &w);
  for (guint i = 0; self->paths[i]; i++)
    dh_reader_add_path (reader, self->paths[i], NULL);
  post (&w, DH_LOAD_PHASE_READING, TRUE);
  if (!dh_reader_run (reader, cancellable, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  result = g_new0 (LoadResult, 1);
  result->report = make_report (reader, store);
  post (&w, DH_LOAD_PHASE_INDEXING, TRUE);
  result->snapshot = dh_snapshot_build (dh_event_store_ref (store),
                                        (const char * const *) self->paths, self->book,
                                        self->book_serial, on_analysing, &w, cancellable, &error);
  if (result->snapshot == NULL)
    {
      load_result_free (result);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  result->report->elapsed_us = g_get_monotonic_time () - started;
  g_task_return_pointer (task, result, (GDestroyNotify) load_result_free);
}

/**
 * dh_loader_load_async:
 *
 * Reads the paths, in a worker thread. Call it once.
 */
void
dh_loader_load_async (DhLoader            *self,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  DhProgress p = { .phase = DH_LOAD_PHASE_READING, .fraction = 0 };

  g_return_if_fail (DH_IS_LOADER (self));
  g_return_if_fail (!self->started);

  self->started = TRUE;
  self->relay = dh_progress_relay_new (apply_progress, self, PROGRESS_INTERVAL_US);
  apply_progress (&p, self);
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, dh_loader_load_async);
  g_task_run_in_thread (task, load_thread);
}

/**
 * dh_loader_load_finish:
 * @report: (out) (optional) (transfer full): rejected lines and unreadable
 *   inputs, when the load completed
 *
 * Returns: (transfer full): the snapshot, or %NULL with @error set (cancelled,
 *   or the inputs could not be read at all)
 */
DhSnapshot *
dh_loader_load_finish (DhLoader      *self,
                       GAsyncResult  *result,
                       DhLoadReport **report,
                       GError       **error)
{
  LoadResult *r;
  DhSnapshot *snapshot;
  DhProgress p = { .phase = DH_LOAD_PHASE_DONE, .fraction = 1 };

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  /* figures posted after the end are stale: the end is the last word */
  dh_progress_relay_close (self->relay);
  r = g_task_propagate_pointer (G_TASK (result), error);
  if (r == NULL)
    {
      p.phase = DH_LOAD_PHASE_IDLE;
      p.fraction = 0;
      p.bytes_done = self->bytes_done;
      p.bytes_total = self->bytes_total;
      p.n_items = self->n_events;
      apply_progress (&p, self);
      return NULL;
    }
  p.bytes_done = p.bytes_total = self->bytes_total;
  p.n_items = r->report->n_events;
  apply_progress (&p, self);
  snapshot = g_steal_pointer (&r->snapshot);
  if (report)
    *report = g_steal_pointer (&r->report);
  load_result_free (r);
  return snapshot;
}
