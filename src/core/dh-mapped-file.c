/* dh-mapped-file.c: a read-only file mapping that survives the file being
 * truncated while it is read
 *
 * Plain logs are mapped, not copied: that is most of why reading them is
 * fast. But a mapped file that shrinks under the reader (logrotate's
 * copytruncate does exactly that) turns every access past its new end into
 * SIGBUS, which kills the process. So every mapping is registered here, and
 * a SIGBUS handler puts a page of newlines in place of each page that is no
 * longer backed by the file: the reader then sees the record cut at the new
 * end as one bad line, and empty lines after it, and goes on. The mapping
 * remembers that it was cut, and the reader reports it as an error naming
 * the file, as it does for a truncated gzip.
 *
 * The handler only reads the registry (plain atomic loads, no locks) and
 * calls mmap(2), a system call; a fault outside every registered mapping is
 * handed to the previous handler, or to the default action.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <gio/gio.h>

#include "dh-mapped-file.h"

/* More mappings than this at once are simply not protected. */
#define MAX_SLOTS 256

struct _DhMappedFile
{
  gatomicrefcount ref;
  int             fd;
  char           *data;
  gsize           length;
  int             slot;      /* -1: not registered */
  gint            cut;       /* set by the SIGBUS handler, atomically */
  guint64         now_length;
};

typedef struct
{
  gpointer start;  /* NULL when free; written last, cleared first */
  gpointer end;
  gint    *cut;
} Slot;

static Slot slots[MAX_SLOTS];
static GMutex slots_mutex;
static int newline_fd = -1;
static long page_size;
static struct sigaction previous_action;

static void
on_sigbus (int        sig,
           siginfo_t *info,
           void      *context)
{
  guintptr addr = (guintptr) info->si_addr;

  if (info->si_code == BUS_ADRERR)
    for (guint i = 0; i < MAX_SLOTS; i++)
      {
        guintptr start = (guintptr) g_atomic_pointer_get (&slots[i].start);
        guintptr end = (guintptr) g_atomic_pointer_get (&slots[i].end);
        gint *cut = g_atomic_pointer_get (&slots[i].cut);

        if (start == 0 || addr < start || addr >= end || cut == NULL)
          continue;
        if (mmap ((void *) (addr & ~(guintptr) (page_size - 1)), page_size, PROT_READ,
                  MAP_PRIVATE | MAP_FIXED, newline_fd, 0) == MAP_FAILED)
          break;
        g_atomic_int_set (cut, 1);
        return;  /* the access is made again, and reads newlines */
      }

  /* not ours */
  if ((previous_action.sa_flags & SA_SIGINFO) && previous_action.sa_sigaction != NULL)
    previous_action.sa_sigaction (sig, info, context);
  else if (previous_action.sa_handler != SIG_DFL && previous_action.sa_handler != SIG_IGN)
    previous_action.sa_handler (sig);
  else
    signal (SIGBUS, SIG_DFL);  /* the access faults again, with the default action */
}

/* A page of newlines, for the handler to map, and the handler itself. */
static gboolean
setup_once (void)
{
  static gsize done = 0;
  static gboolean ok = FALSE;

  if (g_once_init_enter (&done))
    {
      g_autofree char *page = NULL;
      struct sigaction action = { 0 };

      page_size = sysconf (_SC_PAGESIZE);
      page = g_malloc (page_size);
      memset (page, '\n', page_size);
      newline_fd = memfd_create ("dnshunt-newlines", MFD_CLOEXEC);
      if (newline_fd >= 0 && write (newline_fd, page, page_size) == page_size)
        {
          action.sa_sigaction = on_sigbus;
          action.sa_flags = SA_SIGINFO | SA_ONSTACK;
          sigemptyset (&action.sa_mask);
          ok = sigaction (SIGBUS, &action, &previous_action) == 0;
        }
      g_once_init_leave (&done, 1);
    }
  return ok;
}

static void
register_mapping (DhMappedFile *self)
{
  self->slot = -1;
  if (!setup_once ())
    return;
  g_mutex_lock (&slots_mutex);
  for (guint i = 0; i < MAX_SLOTS; i++)
    if (g_atomic_pointer_get (&slots[i].start) == NULL)
      {
        g_atomic_pointer_set (&slots[i].cut, &self->cut);
        g_atomic_pointer_set (&slots[i].end, self->data + self->length);
        g_atomic_pointer_set (&slots[i].start, self->data);
        self->slot = i;
        break;
      }
  g_mutex_unlock (&slots_mutex);
}

static void
unregister_mapping (DhMappedFile *self)
{
  if (self->slot < 0)
    return;
  g_mutex_lock (&slots_mutex);
  g_atomic_pointer_set (&slots[self->slot].start, NULL);
  g_atomic_pointer_set (&slots[self->slot].end, NULL);
  g_atomic_pointer_set (&slots[self->slot].cut, NULL);
  g_mutex_unlock (&slots_mutex);
  self->slot = -1;
}

/**
 * dh_mapped_file_new:
 * @path: a regular file
 *
 * Maps @path read-only. An empty file gives a mapping of length 0 and no
 * contents.
 *
 * Returns: (transfer full) (nullable): the mapping, or %NULL with @error set
 */
DhMappedFile *
dh_mapped_file_new (const char  *path,
                    GError     **error)
{
  g_autoptr(DhMappedFile) self = g_new0 (DhMappedFile, 1);
  struct stat st;

  g_atomic_ref_count_init (&self->ref);
  self->slot = -1;
  self->fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (self->fd < 0 || fstat (self->fd, &st) != 0)
    {
      int saved = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved), "%s: %s",
                   path, g_strerror (saved));
      return NULL;
    }
  self->length = st.st_size;
  self->now_length = st.st_size;
  if (self->length == 0)
    return g_steal_pointer (&self);
  self->data = mmap (NULL, self->length, PROT_READ, MAP_PRIVATE, self->fd, 0);
  if (self->data == MAP_FAILED)
    {
      int saved = errno;
      self->data = NULL;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved), "%s: %s",
                   path, g_strerror (saved));
      return NULL;
    }
  register_mapping (self);
  return g_steal_pointer (&self);
}

DhMappedFile *
dh_mapped_file_ref (DhMappedFile *self)
{
  g_atomic_ref_count_inc (&self->ref);
  return self;
}

void
dh_mapped_file_unref (DhMappedFile *self)
{
  if (self == NULL || !g_atomic_ref_count_dec (&self->ref))
    return;
  /* no one reads it any more: out of the handler's sight, then unmapped */
  unregister_mapping (self);
  if (self->data != NULL)
    munmap (self->data, self->length);
  if (self->fd >= 0)
    close (self->fd);
  g_free (self);
}

const char *
dh_mapped_file_get_contents (DhMappedFile *self)
{
  return self->data;
}

gsize
dh_mapped_file_get_length (DhMappedFile *self)
{
  return self->length;
}

/**
 * dh_mapped_file_get_bytes:
 *
 * Returns: (transfer full): the contents as bytes that keep the mapping
 */
GBytes *
dh_mapped_file_get_bytes (DhMappedFile *self)
{
  return g_bytes_new_with_free_func (self->data, self->length,
                                     (GDestroyNotify) dh_mapped_file_unref,
                                     dh_mapped_file_ref (self));
}

/**
 * dh_mapped_file_check_length:
 *
 * Looks at the file's size now. A file that shrank since it was mapped is
 * marked as cut.
 *
 * Returns: how many bytes of the mapping are still backed by the file
 */
gsize
dh_mapped_file_check_length (DhMappedFile *self)
{
  struct stat st;

  if (fstat (self->fd, &st) == 0 && (guint64) st.st_size < self->now_length)
    self->now_length = st.st_size;
  if (self->now_length < self->length)
    g_atomic_int_set (&self->cut, 1);
  return MIN (self->now_length, self->length);
}

/**
 * dh_mapped_file_was_cut:
 * @now_length: (out) (optional): the file's length now
 *
 * Returns: whether the file shrank while it was read
 */
gboolean
dh_mapped_file_was_cut (DhMappedFile *self,
                        guint64      *now_length)
{
  dh_mapped_file_check_length (self);
  if (now_length != NULL)
    *now_length = self->now_length;
  return g_atomic_int_get (&self->cut) != 0;
}
