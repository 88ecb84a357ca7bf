/* dh-local-follow.c: following log files and folders as they grow
 *
 * What `dnshunt scan --follow DIR|FILE` reads, without CloudWatch:
 *
 * - a folder: every `.log`, `.log.gz`, `.json`, `.jsonl` and `.gz` file in it
 *   and below (an `aws s3 sync` target of Route 53's
 *   `AWSLogs/<account>/vpcdnsquerylogs/<vpc>/YYYY/MM/DD/` layout), read once
 *   each as it appears; hidden files and temporary names (`x.gz.1a2b3c4d`)
 *   are left until renamed;
 * - a plain file: the lines appended to it, like `tail -F`: a complete line
 *   at a time, from where the last pass stopped; rotation (a new file at the
 *   path: the old one is read to its end first) and truncation
 *   (logrotate's copytruncate: read again from the start) are followed.
 *
 * A pass runs every poll interval (2 s by default) and soon after a
 * GFileMonitor event on a followed file or folder, so a change is seen at
 * once where inotify works and within the interval where it does not (NFS,
 * a folder created later). A gzip file still being written (truncated, and
 * changed in the last 30 s) is tried again by later passes.
 *
 * Lines go to a callback, in each file's order; "caught-up" follows each
 * pass that found some, and "problem" reports a file that cannot be read.
 * dh_local_follow_start() runs the passes on the main context (the command
 * line); dh_local_follow_watch() only says when a pass is due ("due"), and
 * the caller runs dh_local_follow_pass() where it likes (the window: in its
 * worker thread, so that reading and gunzip never hold up the main loop;
 * "problem" and "caught-up" then come from that thread). A pass reads at
 * most 64 MiB of each file; "due" follows at once when there is more.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "dh-gunzip.h"
#include "dh-local-follow.h"

#define DEFAULT_POLL_MS     2000
#define SETTLE_MS           200          /* after a monitor event */
#define GZ_WRITING_US       (30 * G_USEC_PER_SEC)
#define MAX_LINE            (1024 * 1024) /* a longer line goes to the reader as is: rejected */
#define MAX_READ_PER_PASS   (64 * 1024 * 1024)
#define MAX_DEPTH           16

typedef struct
{
  char     *path;
  gboolean  gz;
  gboolean  done;        /* gz: read whole */
  int       fd;          /* plain: open while followed */
  dev_t     dev;
  ino_t     ino;
  goffset   offset;
  guint64   line;
  GString  *partial;     /* a line not yet complete */
  char      head[256];   /* the file's first bytes, as read */
  gsize     head_len;
  gboolean  reported;    /* a problem said once */
} Followed;

struct _DhLocalFollow
{
  GObject          parent_instance;
  char           **roots;
  DhLocalLineFunc  func;
  gpointer         user_data;
  guint            poll_ms;
  guint            poll_source;
  guint            settle_source;
  GHashTable      *files;      /* path -> Followed */
  GPtrArray       *monitors;   /* GFileMonitor */
  gboolean         watch_only; /* the caller runs the passes */
  guint64          n_lines;
  guint64          pass_lines;
  gboolean         more;       /* a file has more than one pass read */
};

G_DEFINE_FINAL_TYPE (DhLocalFollow, dh_local_follow, G_TYPE_OBJECT)

enum {
  CAUGHT_UP,
  PROBLEM,
  DUE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
followed_free (Followed *f)
{
  if (f->fd >= 0)
    close (f->fd);
  g_string_free (f->partial, TRUE);
  g_free (f->path);
  g_free (f);
}

static void
dh_local_follow_dispose (GObject *object)
{
  DhLocalFollow *self = DH_LOCAL_FOLLOW (object);

  g_clear_handle_id (&self->poll_source, g_source_remove);
  g_clear_handle_id (&self->settle_source, g_source_remove);
  g_clear_pointer (&self->monitors, g_ptr_array_unref);
  G_OBJECT_CLASS (dh_local_follow_parent_class)->dispose (object);
}

static void
dh_local_follow_finalize (GObject *object)
{
  DhLocalFollow *self = DH_LOCAL_FOLLOW (object);

  g_hash_table_unref (self->files);
  g_strfreev (self->roots);
  G_OBJECT_CLASS (dh_local_follow_parent_class)->finalize (object);
}

static void
dh_local_follow_class_init (DhLocalFollowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = dh_local_follow_dispose;
  object_class->finalize = dh_local_follow_finalize;

  /**
   * DhLocalFollow::caught-up:
   * @n_lines: lines this pass read
   */
  signals[CAUGHT_UP] = g_signal_new ("caught-up", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                     0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT64);
  /**
   * DhLocalFollow::problem:
   * @message: a file that cannot be read, and why
   */
  signals[PROBLEM] = g_signal_new ("problem", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /**
   * DhLocalFollow::due:
   *
   * After dh_local_follow_watch(): a file changed, or the poll interval
   * passed; run dh_local_follow_pass().
   */
  signals[DUE] = g_signal_new ("due", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                               0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
dh_local_follow_init (DhLocalFollow *self)
{
  self->poll_ms = DEFAULT_POLL_MS;
  self->files = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                       (GDestroyNotify) followed_free);
  self->monitors = g_ptr_array_new_with_free_func (g_object_unref);
}

/**
 * dh_local_follow_new:
 * @paths: files and folders to follow
 * @func: called with each complete line
 */
DhLocalFollow *
dh_local_follow_new (const char * const *paths,
                     DhLocalLineFunc     func,
                     gpointer            user_data)
{
  DhLocalFollow *self = g_object_new (DH_TYPE_LOCAL_FOLLOW, NULL);

  self->roots = g_strdupv ((char **) paths);
  self->func = func;
  self->user_data = user_data;
  return self;
}

void
dh_local_follow_set_poll_interval (DhLocalFollow *self,
                                   guint          msec)
{
  self->poll_ms = MAX (msec, 50u);
}

guint64
dh_local_follow_get_n_lines (DhLocalFollow *self)
{
  return self->n_lines;
}

guint
dh_local_follow_get_n_files (DhLocalFollow *self)
{
  return g_hash_table_size (self->files);
}

static void
problem (DhLocalFollow *self,
         Followed      *f,
         const char    *message)
{
  if (f && f->reported)
    return;
  if (f)
    f->reported = TRUE;
  g_signal_emit (self, signals[PROBLEM], 0, message);
}

/* Hands over each complete line of @data (with what was left from before);
 * keeps an incomplete last line for later. */
static void
take_lines (DhLocalFollow *self,
            Followed      *f,
            const char    *data,
            gsize          length)
{
  const char *end = data + length;

  while (data < end)
    {
      const char *nl = memchr (data, '\n', end - data);

      if (nl == NULL)
        {
          g_string_append_len (f->partial, data, end - data);
          /* a line that never ends: to the reader, which rejects it */
          if (f->partial->len > MAX_LINE)
            {
              self->func (f->path, ++f->line, f->partial->str, f->partial->len, self->user_data);
              self->pass_lines++;
              g_string_truncate (f->partial, 0);
            }
          return;
        }
      if (f->partial->len > 0)
        {
          g_string_append_len (f->partial, data, nl - data);
          self->func (f->path, ++f->line, f->partial->str, f->partial->len, self->user_data);
          g_string_truncate (f->partial, 0);
        }
      else
        self->func (f->path, ++f->line, data, nl - data, self->user_data);
      self->pass_lines++;
      data = nl + 1;
    }
}

/* The rest of a plain file, up to MAX_READ_PER_PASS. */
static void
read_plain (DhLocalFollow *self,
            Followed      *f)
{
  char buf[65536];
  gsize total = 0;

  while (total < MAX_READ_PER_PASS)
    {
      gssize n = pread (f->fd, buf, sizeof buf, f->offset);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          g_autofree char *msg = g_strdup_printf (_("Cannot read %s: %s"), f->path,
                                                  g_strerror (errno));
          problem (self, f, msg);
          return;
        }
      if (n == 0)
        return;
      if (f->offset < (goffset) sizeof f->head)
        {
          gsize take = MIN ((gsize) n, sizeof f->head - (gsize) f->offset);
          memcpy (f->head + f->offset, buf, take);
          f->head_len = f->offset + take;
        }
      f->offset += n;
      total += n;
      take_lines (self, f, buf, n);
    }
  /* more than a pass takes: the next pass goes on at once */
  self->more = TRUE;
}

static int
open_plain (const char  *path,
            struct stat *st)
{
  int fd = g_open (path, O_RDONLY | O_CLOEXEC | O_NONBLOCK, 0);

  if (fd >= 0 && (fstat (fd, st) != 0 || !S_ISREG (st->st_mode)))
    {
      close (fd);
      return -1;
    }
  return fd;
}

/* Whether the start of the file is no longer what was read there: cut and
 * written again to at least the same length between two passes. */
static gboolean
head_changed (Followed *f)
{
  char now[sizeof f->head];
  gssize n;

  if (f->head_len == 0)
    return FALSE;
  n = pread (f->fd, now, f->head_len, 0);
  return n >= 0 && ((gsize) n < f->head_len || memcmp (now, f->head, f->head_len) != 0);
}

static void
follow_plain (DhLocalFollow     *self,
              Followed          *f,
              const struct stat *st)
{
  struct stat fst;

  if (f->fd < 0)
    {
      f->fd = open_plain (f->path, &fst);
      if (f->fd < 0)
        {
          g_autofree char *msg = g_strdup_printf (_("Cannot open %s: %s"), f->path,
                                                  g_strerror (errno));
          problem (self, f, msg);
          return;
        }
      f->dev = fst.st_dev;
      f->ino = fst.st_ino;
    }
  else if (st->st_dev != f->dev || st->st_ino != f->ino)
    {
      /* rotated: what was written to the old file before the move, then the
       * new file from its start */
      read_plain (self, f);
      close (f->fd);
      f->fd = open_plain (f->path, &fst);
      f->offset = 0;
      f->line = 0;
      f->head_len = 0;
      g_string_truncate (f->partial, 0);
      if (f->fd < 0)
        return;
      f->dev = fst.st_dev;
      f->ino = fst.st_ino;
    }
  if (fstat (f->fd, &fst) == 0 && (fst.st_size < f->offset || head_changed (f)))
    {
      /* truncated in place (copytruncate): from the start again */
      f->offset = 0;
      f->line = 0;
      f->head_len = 0;
      g_string_truncate (f->partial, 0);
    }
  read_plain (self, f);
}

/* A gzip file, read whole once it is complete. */
static void
follow_gz (DhLocalFollow     *self,
           Followed          *f,
           const struct stat *st)
{
  g_autoptr(GFile) file = g_file_new_for_path (f->path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GFileInputStream) raw = NULL;
  g_autoptr(GConverter) gunzip = NULL;
  g_autoptr(GInputStream) in = NULL;
  g_autoptr(GByteArray) data = g_byte_array_new ();
  char buf[65536];
  gssize n;

  if (f->done && st->st_ino == f->ino && st->st_dev == f->dev)
    return;
  f->done = FALSE;
  raw = g_file_read (file, NULL, &error);
  if (raw == NULL)
    {
      problem (self, f, error->message);
      return;
    }
  gunzip = G_CONVERTER (dh_gunzip_new ());
  in = g_converter_input_stream_new (G_INPUT_STREAM (raw), gunzip);
  while ((n = g_input_stream_read (in, buf, sizeof buf, NULL, &error)) > 0)
    g_byte_array_append (data, (const guint8 *) buf, n);
  if (n < 0)
    {
      gint64 age = g_get_real_time () - (gint64) st->st_mtime * G_USEC_PER_SEC;
      /* still being written: later */
      if (age < GZ_WRITING_US)
        return;
      {
        g_autofree char *msg = g_strdup_printf (_("%s: %s (the lines before were read)"),
                                                f->path, error->message);
        problem (self, f, msg);
      }
    }
  f->line = 0;
  g_string_truncate (f->partial, 0);
  take_lines (self, f, (const char *) data->data, data->len);
  if (f->partial->len > 0)
    {
      self->func (f->path, ++f->line, f->partial->str, f->partial->len, self->user_data);
      self->pass_lines++;
      g_string_truncate (f->partial, 0);
    }
  f->done = TRUE;
  f->dev = st->st_dev;
  f->ino = st->st_ino;
}

static gboolean
is_log_name (const char *name)
{
  if (name[0] == '.')
    return FALSE;
  return g_str_has_suffix (name, ".log") || g_str_has_suffix (name, ".gz") ||
         g_str_has_suffix (name, ".json") || g_str_has_suffix (name, ".jsonl");
}

static void
visit_file (DhLocalFollow     *self,
            const char        *path,
            const struct stat *st)
{
  Followed *f = g_hash_table_lookup (self->files, path);

  if (f == NULL)
    {
      f = g_new0 (Followed, 1);
      f->path = g_strdup (path);
      f->fd = -1;
      f->gz = g_str_has_suffix (path, ".gz");
      f->partial = g_string_new (NULL);
      g_hash_table_insert (self->files, f->path, f);
    }
  if (f->gz)
    follow_gz (self, f, st);
  else
    follow_plain (self, f, st);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static void
visit_dir (DhLocalFollow *self,
           const char    *path,
           guint          depth)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  if (dir == NULL || depth > MAX_DEPTH)
    return;
  while ((name = g_dir_read_name (dir)))
    g_ptr_array_add (names, g_strdup (name));
  /* in name order: the Route 53 layout's days and objects sort by time */
  g_ptr_array_sort (names, compare_names);
  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *child = g_build_filename (path, names->pdata[i], NULL);
      struct stat st;

      if (g_lstat (child, &st) != 0 || ((const char *) names->pdata[i])[0] == '.')
        continue;
      if (S_ISDIR (st.st_mode))
        visit_dir (self, child, depth + 1);
      else if (S_ISREG (st.st_mode) && is_log_name (names->pdata[i]))
        visit_file (self, child, &st);
    }
}

static gboolean on_settled (gpointer data);
static gboolean emit_due (gpointer data);
static void pass (DhLocalFollow *self);

/**
 * dh_local_follow_pass:
 *
 * Reads what was added since the last pass, in any one thread at a time.
 *
 * Returns: the lines read
 */
guint64
dh_local_follow_pass (DhLocalFollow *self)
{
  pass (self);
  return self->pass_lines;
}

static void
pass (DhLocalFollow *self)
{
  self->pass_lines = 0;
  self->more = FALSE;
  for (guint i = 0; self->roots[i]; i++)
    {
      struct stat st;

      if (g_stat (self->roots[i], &st) != 0)
        continue;    /* not there yet, or gone for a moment (rotation) */
      if (S_ISDIR (st.st_mode))
        visit_dir (self, self->roots[i], 0);
      else if (S_ISREG (st.st_mode))
        visit_file (self, self->roots[i], &st);
    }
  self->n_lines += self->pass_lines;
  if (self->pass_lines > 0)
    g_signal_emit (self, signals[CAUGHT_UP], 0, self->pass_lines);
  if (self->more && self->watch_only)
    g_idle_add_full (G_PRIORITY_LOW, emit_due, g_object_ref (self), g_object_unref);
  else if (self->more && self->settle_source == 0)
    self->settle_source = g_idle_add_full (G_PRIORITY_LOW, on_settled, self, NULL);
}

static gboolean
emit_due (gpointer data)
{
  g_signal_emit (data, signals[DUE], 0);
  return G_SOURCE_REMOVE;
}

static gboolean
on_poll (gpointer data)
{
  DhLocalFollow *self = data;

  if (self->watch_only)
    g_signal_emit (self, signals[DUE], 0);
  else
    pass (self);
  return G_SOURCE_CONTINUE;
}

static gboolean
on_settled (gpointer data)
{
  DhLocalFollow *self = data;

  self->settle_source = 0;
  if (self->watch_only)
    g_signal_emit (self, signals[DUE], 0);
  else
    pass (self);
  return G_SOURCE_REMOVE;
}

static void
on_changed (GFileMonitor      *monitor,
            GFile             *file,
            GFile             *other,
            GFileMonitorEvent  event,
            gpointer           data)
{
  DhLocalFollow *self = data;

  if (self->settle_source == 0)
    self->settle_source = g_timeout_add (SETTLE_MS, on_settled, self);
}

/**
 * dh_local_follow_start:
 *
 * Reads what the files hold now (the "caught-up" of that first pass), then
 * follows them on the main context.
 */
static void
add_monitors (DhLocalFollow *self)
{
  for (guint i = 0; self->roots[i]; i++)
    {
      g_autoptr(GFile) file = g_file_new_for_path (self->roots[i]);
      GFileMonitor *monitor = g_file_query_file_type (file, G_FILE_QUERY_INFO_NONE, NULL) ==
                              G_FILE_TYPE_DIRECTORY
                                ? g_file_monitor_directory (file, G_FILE_MONITOR_WATCH_MOVES,
                                                            NULL, NULL)
                                : g_file_monitor_file (file, G_FILE_MONITOR_WATCH_MOVES, NULL,
                                                       NULL);
      if (monitor)
        {
          g_signal_connect (monitor, "changed", G_CALLBACK (on_changed), self);
          g_ptr_array_add (self->monitors, monitor);
        }
    }
}

void
dh_local_follow_start (DhLocalFollow *self)
{
  g_return_if_fail (DH_IS_LOCAL_FOLLOW (self));

  add_monitors (self);
  pass (self);
  self->poll_source = g_timeout_add (self->poll_ms, on_poll, self);
}

/**
 * dh_local_follow_watch:
 *
 * Like dh_local_follow_start(), but the passes are the caller's: "due" says
 * when one should run (at once, then on every change or poll).
 */
void
dh_local_follow_watch (DhLocalFollow *self)
{
  g_return_if_fail (DH_IS_LOCAL_FOLLOW (self));

  self->watch_only = TRUE;
  add_monitors (self);
  self->poll_source = g_timeout_add (self->poll_ms, on_poll, self);
  g_idle_add_full (G_PRIORITY_DEFAULT, emit_due, g_object_ref (self), g_object_unref);
}
