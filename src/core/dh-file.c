/* dh-file.c: reading a whole file that someone named, within bounds
 *
 * g_file_get_contents() reads whatever the path is: a FIFO blocks it until
 * a writer comes, and /dev/zero never ends. Settings and cases name files
 * that are meant to be small regular files, so that is all that is read.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "dh-file.h"

static void
set_read_error (GError     **error,
                int          saved_errno,
                const char  *display)
{
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
               _("Cannot read “%s”: %s"), display, g_strerror (saved_errno));
}

static void
set_too_large (GError     **error,
               const char  *display,
               gsize        max_size)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("“%s” is larger than %u MiB"), display,
               (guint) (max_size >> 20));
}

/**
 * dh_file_read_regular:
 * @path: a file name
 * @max_size: the most bytes read, a whole number of MiB; a larger file is an
 *   error
 * @length: (out): the bytes read, not counting the nul added after them
 *
 * Reads @path whole if it is a regular file of at most @max_size bytes,
 * without blocking on a FIFO or a device.
 *
 * Returns: (transfer full): the contents, nul-terminated, or %NULL with an
 *   error that names the file
 */
char *
dh_file_read_regular (const char    *path,
                      gsize          max_size,
                      GCancellable  *cancellable,
                      gsize         *length,
                      GError       **error)
{
  g_autofree char *display = g_filename_display_name (path);
  g_autoptr(GByteArray) data = g_byte_array_new ();
  guint8 buf[65536];
  struct stat st;
  gboolean ok = FALSE;
  int fd;

  /* O_NONBLOCK: opening a FIFO waits for a writer otherwise */
  fd = g_open (path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY, 0);
  if (fd < 0)
    {
      set_read_error (error, errno, display);
      return NULL;
    }
  if (fstat (fd, &st) != 0)
    set_read_error (error, errno, display);
  else if (!S_ISREG (st.st_mode))
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE,
                 _("“%s” is not a regular file"), display);
  else if ((guint64) st.st_size > max_size)
    set_too_large (error, display, max_size);
  else
    /* the size is checked again as it is read: the file may grow */
    while (!g_cancellable_set_error_if_cancelled (cancellable, error))
      {
        gssize n = read (fd, buf, sizeof buf);

        if (n < 0 && errno == EINTR)
          continue;
        if (n < 0)
          set_read_error (error, errno, display);
        else if (n == 0)
          ok = TRUE;
        else if (data->len + (gsize) n > max_size)
          set_too_large (error, display, max_size);
        else
          {
            g_byte_array_append (data, buf, n);
            continue;
          }
        break;
      }
  close (fd);
  if (!ok)
    return NULL;
  *length = data->len;
  g_byte_array_append (data, (const guint8 *) "", 1);
  return (char *) g_byte_array_free (g_steal_pointer (&data), FALSE);
}
