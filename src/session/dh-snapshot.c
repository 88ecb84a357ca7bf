/* dh-snapshot.c: one finished, read-only state of the data under investigation
 *
 * A snapshot is a store nobody writes to any more, with its statistics, its
 * events in time order and its alerts, built together in a worker so that
 * they agree with each other. Loading files, a live log group and
 * `dnshunt scan --follow` all produce snapshots; the investigation installs
 * one at a time. Nothing in it changes once built, so any thread may read it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "dh-snapshot.h"

struct _DhSnapshot
{
  gatomicrefcount  ref_count;
  DhEventStore    *store;
  DhStoreStats    *stats;
  GArray          *time_order;   /* guint32, every event by time */
  DhAlertSet      *alerts;
  char           **inputs;
  char            *label;        /* a live source's name, when it has no inputs */
  guint            book_serial;
};

G_DEFINE_BOXED_TYPE (DhSnapshot, dh_snapshot, dh_snapshot_ref, dh_snapshot_unref)

/**
 * dh_snapshot_build:
 * @store: (transfer full): a finished store nobody writes to any more
 * @inputs: (nullable): the paths it was read from (none for a live source)
 * @book: the rules and settings to run; read only, for the time of the call
 * @book_serial: the settings' serial, kept with the result
 * @analysing: (nullable): called (in this thread) once indexing is done and
 *   the rules start
 *
 * Indexes @store and runs the rules on it. Blocks: call it in a worker.
 *
 * Returns: (transfer full) (nullable): the snapshot, or %NULL when cancelled
 *   or the analysis failed
 */
DhSnapshot *
dh_snapshot_build (DhEventStore        *store,
                   const char * const  *inputs,
                   DhRuleBook          *book,
                   guint                book_serial,
                   GFunc                analysing,
                   gpointer             user_data,
                   GCancellable        *cancellable,
                   GError             **error)
{
  g_autoptr(DhSnapshot) self = g_new0 (DhSnapshot, 1);
  const guint32 *order;
  guint n;

  g_atomic_ref_count_init (&self->ref_count);
  self->store = store;
  self->inputs = g_strdupv ((char **) inputs);
  self->book_serial = book_serial;

  self->stats = dh_store_stats_new (store, cancellable);
  if (self->stats == NULL || g_cancellable_set_error_if_cancelled (cancellable, error))
    {
      if (error && *error == NULL)
        g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "cancelled");
      return NULL;
    }
  order = dh_store_stats_get_time_order (self->stats, &n);
  self->time_order = g_array_sized_new (FALSE, FALSE, sizeof (guint32), n);
  g_array_append_vals (self->time_order, order, n);

  if (analysing)
    analysing (self, user_data);
  self->alerts = dh_analyze (store, book, cancellable, error);
  if (self->alerts == NULL)
    return NULL;
  return g_steal_pointer (&self);
}

DhSnapshot *
dh_snapshot_ref (DhSnapshot *self)
{
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
dh_snapshot_unref (DhSnapshot *self)
{
  if (self == NULL || !g_atomic_ref_count_dec (&self->ref_count))
    return;
  /* the big parts free themselves in a thread of their own (dh-release.c) */
  g_clear_pointer (&self->alerts, dh_alert_set_unref);
  g_clear_pointer (&self->stats, dh_store_stats_free);
  g_clear_pointer (&self->time_order, g_array_unref);
  g_clear_pointer (&self->store, dh_event_store_unref);
  g_strfreev (self->inputs);
  g_free (self->label);
  g_free (self);
}

DhEventStore *
dh_snapshot_get_store (DhSnapshot *self)
{
  return self->store;
}

DhStoreStats *
dh_snapshot_get_stats (DhSnapshot *self)
{
  return self->stats;
}

/**
 * dh_snapshot_get_time_order:
 *
 * Returns: (transfer none): every event index in time order; take a
 *   reference to keep it beyond the snapshot
 */
GArray *
dh_snapshot_get_time_order (DhSnapshot *self)
{
  return self->time_order;
}

DhAlertSet *
dh_snapshot_get_alerts (DhSnapshot *self)
{
  return self->alerts;
}

/**
 * dh_snapshot_get_inputs:
 *
 * Returns: (transfer none) (nullable): the paths read, or %NULL for a live
 *   source (which is not a path to read again)
 */
const char * const *
dh_snapshot_get_inputs (DhSnapshot *self)
{
  return (const char * const *) self->inputs;
}

/**
 * dh_snapshot_set_label:
 * @label: what a live source is called ("log group X (us-east-1)"), for a
 *   snapshot without inputs; set before the snapshot is shared
 */
void
dh_snapshot_set_label (DhSnapshot *self,
                       const char *label)
{
  g_free (self->label);
  self->label = g_strdup (label);
}

/* (nullable): the live source's name, or NULL */
const char *
dh_snapshot_get_label (DhSnapshot *self)
{
  return self->label;
}

guint
dh_snapshot_get_book_serial (DhSnapshot *self)
{
  return self->book_serial;
}
