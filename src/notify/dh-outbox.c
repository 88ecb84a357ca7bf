/* dh-outbox.c: what is to be sent to one destination, on disk
 *
 * A folder per destination under $XDG_STATE_HOME/dnshunt/outbox/, private to
 * the user, with two append-only files:
 *
 * - `queue.jsonl`: a line per alert to send (a DhNotice), written and synced
 *   before anything is sent;
 * - `done`: a line per alert delivered (`<id> sent <unix time>`) or refused
 *   for good (`<id> failed …`), synced after the receiver's 2xx.
 *
 * What is pending is the queue without what is done, in the queue's order, so
 * a crash or a restart loses nothing and repeats at most the one request that
 * was in flight; an alert done before (a later scan of the same logs) is not
 * queued again. A line cut short by a crash is skipped: it was never sent.
 * An exclusive lock on the folder keeps two processes from sending the same
 * queue twice.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "dh-destination.h"
#include "dh-outbox.h"

struct _DhOutbox
{
  char       *dir;
  int         lock_fd;
  int         queue_fd;
  int         done_fd;
  GHashTable *known;     /* id -> GINT_TO_POINTER (1 queued, 2 done) */
  GQueue      pending;   /* DhNotice *, oldest first */
  guint       n_done;
};

#define QUEUED GINT_TO_POINTER (1)
#define DONE   GINT_TO_POINTER (2)

/**
 * dh_outbox_default_dir:
 *
 * Returns: (transfer full): $XDG_STATE_HOME/dnshunt/outbox
 */
char *
dh_outbox_default_dir (void)
{
  return g_build_filename (g_get_user_state_dir (), "dnshunt", "outbox", NULL);
}

static gboolean
set_errno_error (GError     **error,
                 int          saved,
                 const char  *what,
                 const char  *path)
{
  g_set_error (error, DH_NOTIFY_ERROR, DH_NOTIFY_ERROR_OUTBOX, _("Outbox: cannot %s %s: %s"),
               what, path, g_strerror (saved));
  return FALSE;
}

static int
open_append (const char  *dir,
             const char  *name,
             GError     **error)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  int fd = g_open (path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0600);

  if (fd < 0)
    set_errno_error (error, errno, "open", path);
  return fd;
}

/* the whole of @fd, from its start */
static char *
read_all (int     fd,
          gsize  *length)
{
  GString *s = g_string_new (NULL);
  char buf[65536];
  gssize n;
  off_t offset = 0;

  while ((n = pread (fd, buf, sizeof buf, offset)) > 0 || (n < 0 && errno == EINTR))
    if (n > 0)
      {
        g_string_append_len (s, buf, n);
        offset += n;
      }
  *length = s->len;
  return g_string_free (s, FALSE);
}

/* appends @data to @fd and syncs it; a short write is an error */
static gboolean
append_synced (int          fd,
               const char  *data,
               gsize        length,
               const char  *dir,
               GError     **error)
{
  while (length > 0)
    {
      gssize n = write (fd, data, length);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return set_errno_error (error, errno ? errno : EIO, "write to", dir);
      data += n;
      length -= n;
    }
  if (fdatasync (fd) != 0)
    return set_errno_error (error, errno, "sync", dir);
  return TRUE;
}

void
dh_outbox_free (DhOutbox *outbox)
{
  if (outbox == NULL)
    return;
  g_queue_clear_full (&outbox->pending, (GDestroyNotify) dh_notice_unref);
  g_clear_pointer (&outbox->known, g_hash_table_unref);
  if (outbox->queue_fd >= 0)
    close (outbox->queue_fd);
  if (outbox->done_fd >= 0)
    close (outbox->done_fd);
  if (outbox->lock_fd >= 0)
    close (outbox->lock_fd);   /* and the lock with it */
  g_free (outbox->dir);
  g_free (outbox);
}

/* Rewrites the queue with the pending alerts only, when most of it is done. */
static void
compact (DhOutbox *outbox)
{
  g_autofree char *path = g_build_filename (outbox->dir, "queue.jsonl", NULL);
  GString *s = g_string_new (NULL);
  g_autoptr(GError) error = NULL;

  for (GList *l = outbox->pending.head; l; l = l->next)
    {
      g_autofree char *line = dh_notice_to_line (l->data);
      g_string_append (s, line);
      g_string_append_c (s, '\n');
    }
  if (g_file_set_contents_full (path, s->str, s->len, G_FILE_SET_CONTENTS_CONSISTENT, 0600,
                                &error))
    {
      int fd = open_append (outbox->dir, "queue.jsonl", NULL);
      if (fd >= 0)
        {
          close (outbox->queue_fd);
          outbox->queue_fd = fd;
        }
    }
  else
    g_debug ("outbox: not compacted: %s", error->message);
  g_string_free (s, TRUE);
}

/**
 * dh_outbox_open:
 * @dir: the destination's folder (created, private)
 *
 * Returns: (transfer full): the outbox with what is still to be sent, or
 *   %NULL when @dir cannot be used or another process holds it
 */
DhOutbox *
dh_outbox_open (const char  *dir,
                GError     **error)
{
  g_autoptr(DhOutbox) outbox = g_new0 (DhOutbox, 1);
  g_autofree char *lock_path = g_build_filename (dir, "lock", NULL);
  g_autofree char *done = NULL;
  g_autofree char *queue = NULL;
  gsize length;
  guint n_lines = 0;

  outbox->dir = g_strdup (dir);
  outbox->lock_fd = outbox->queue_fd = outbox->done_fd = -1;
  outbox->known = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_queue_init (&outbox->pending);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      set_errno_error (error, errno, "create", dir);
      return NULL;
    }
  outbox->lock_fd = g_open (lock_path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (outbox->lock_fd < 0)
    {
      set_errno_error (error, errno, "open", lock_path);
      return NULL;
    }
  if (flock (outbox->lock_fd, LOCK_EX | LOCK_NB) != 0)
    {
      g_set_error (error, DH_NOTIFY_ERROR, DH_NOTIFY_ERROR_OUTBOX,
                   _("Another DNS Hunt is delivering to this destination (%s is locked)"),
                   dir);
      return NULL;
    }
  if ((outbox->done_fd = open_append (dir, "done", error)) < 0 ||
      (outbox->queue_fd = open_append (dir, "queue.jsonl", error)) < 0)
    return NULL;

  done = read_all (outbox->done_fd, &length);
  for (char *line = done, *nl; line && *line; line = nl ? nl + 1 : NULL)
    {
      char *space;
      nl = strchr (line, '\n');
      if (nl == NULL)
        break;     /* cut short: that alert was not recorded, so goes again */
      *nl = '\0';
      space = strchr (line, ' ');
      if (space)
        *space = '\0';
      if (*line && !g_hash_table_contains (outbox->known, line))
        {
          g_hash_table_insert (outbox->known, g_strdup (line), DONE);
          outbox->n_done++;
        }
    }

  queue = read_all (outbox->queue_fd, &length);
  for (char *line = queue, *nl; line && *line; line = nl ? nl + 1 : NULL)
    {
      g_autoptr(DhNotice) notice = NULL;
      nl = strchr (line, '\n');
      if (nl == NULL)
        break;     /* cut short by a crash before it was synced: never sent */
      *nl = '\0';
      n_lines++;
      notice = dh_notice_new_from_line (line, NULL);
      if (notice == NULL || g_hash_table_contains (outbox->known, dh_notice_get_id (notice)))
        continue;
      g_hash_table_insert (outbox->known, g_strdup (dh_notice_get_id (notice)), QUEUED);
      g_queue_push_tail (&outbox->pending, g_steal_pointer (&notice));
    }
  if (n_lines > 2 * outbox->pending.length || (length > 0 && queue[length - 1] != '\n'))
    compact (outbox);
  return g_steal_pointer (&outbox);
}

/**
 * dh_outbox_add:
 *
 * Queues the alerts of @notices that were neither queued nor done before,
 * and syncs them to disk before returning.
 *
 * Returns: how many were queued; 0 with @error set on failure
 */
guint
dh_outbox_add (DhOutbox   *outbox,
               DhNotice  **notices,
               guint       n,
               GError    **error)
{
  GString *s = g_string_new (NULL);
  g_autoptr(GPtrArray) added = g_ptr_array_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < n; i++)
    {
      const char *id = dh_notice_get_id (notices[i]);
      g_autofree char *line = NULL;

      if (g_hash_table_contains (outbox->known, id) || !g_hash_table_add (seen, (char *) id))
        continue;
      line = dh_notice_to_line (notices[i]);
      g_string_append (s, line);
      g_string_append_c (s, '\n');
      g_ptr_array_add (added, notices[i]);
    }
  if (added->len > 0 && !append_synced (outbox->queue_fd, s->str, s->len, outbox->dir, error))
    {
      g_string_free (s, TRUE);
      return 0;
    }
  g_string_free (s, TRUE);
  for (guint i = 0; i < added->len; i++)
    {
      DhNotice *notice = added->pdata[i];
      g_hash_table_insert (outbox->known, g_strdup (dh_notice_get_id (notice)), QUEUED);
      g_queue_push_tail (&outbox->pending, dh_notice_ref (notice));
    }
  return added->len;
}

guint
dh_outbox_get_n_pending (DhOutbox *outbox)
{
  return outbox->pending.length;
}

/* the @index-th oldest pending alert (borrowed) */
DhNotice *
dh_outbox_get_pending (DhOutbox *outbox,
                       guint     index)
{
  return g_queue_peek_nth (&outbox->pending, index);
}

/* whether @id was queued or done, in this run or an earlier one */
gboolean
dh_outbox_knows (DhOutbox   *outbox,
                 const char *id)
{
  return g_hash_table_contains (outbox->known, id);
}

guint
dh_outbox_get_n_done (DhOutbox *outbox)
{
  return outbox->n_done;
}

/**
 * dh_outbox_mark:
 * @n: how many of the oldest pending alerts
 *
 * Records the @n oldest pending alerts as done (delivered, or refused for
 * good) and syncs the record; they are no longer pending.
 */
gboolean
dh_outbox_mark (DhOutbox        *outbox,
                guint            n,
                DhOutboxResult   result,
                GError         **error)
{
  GString *s = g_string_new (NULL);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gboolean ok;

  n = MIN (n, outbox->pending.length);
  for (guint i = 0; i < n; i++)
    g_string_append_printf (s, "%s %s %" G_GINT64_FORMAT "\n",
                            dh_notice_get_id (g_queue_peek_nth (&outbox->pending, i)),
                            result == DH_OUTBOX_SENT ? "sent" : "failed", now);
  ok = append_synced (outbox->done_fd, s->str, s->len, outbox->dir, error);
  g_string_free (s, TRUE);
  /* Even when the record failed, these were delivered: not sent again by
   * this process (a restart may repeat them). */
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DhNotice) notice = g_queue_pop_head (&outbox->pending);
      g_hash_table_insert (outbox->known, g_strdup (dh_notice_get_id (notice)), DONE);
      outbox->n_done++;
    }
  /* all of the queue is done, and recorded: it starts again empty */
  if (ok && outbox->pending.length == 0 && ftruncate (outbox->queue_fd, 0) == 0)
    fdatasync (outbox->queue_fd);
  return ok;
}
