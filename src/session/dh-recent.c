/* dh-recent.c: adding opened logs to the desktop's recently used files
 *
 * GtkRecentManager rewrites the whole of recently-used.xbel on the main
 * thread 250 ms after an item is added, and ends with fsync(): right after
 * a load hands over, on a busy disk, that blocked the window for up to
 * 430 ms. The same entries (the file's MIME type, this application and how
 * to run it) are written here with GBookmarkFile in a worker; a
 * GtkRecentManager in the process sees the change through its file
 * monitor.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>

#include <glib/gstdio.h>

#include "dh-recent.h"

typedef struct
{
  char  *xbel;
  char **paths;
  char  *app_name;
  char  *app_exec;
} AddData;

static void
add_data_free (gpointer data)
{
  AddData *d = data;

  g_free (d->xbel);
  g_strfreev (d->paths);
  g_free (d->app_name);
  g_free (d->app_exec);
  g_free (d);
}

static char *
mime_type_of (GFile *file)
{
  g_autoptr(GFileInfo) info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_CONTENT_TYPE,
                                                 G_FILE_QUERY_INFO_NONE, NULL, NULL);
  const char *type = info ? g_file_info_get_content_type (info) : NULL;
  char *mime = type ? g_content_type_get_mime_type (type) : NULL;

  return mime ? mime : g_strdup ("application/octet-stream");
}

static void
add_thread (GTask        *task,
            gpointer      source,
            gpointer      task_data,
            GCancellable *cancellable)
{
  AddData *d = task_data;
  g_autoptr(GBookmarkFile) bookmarks = g_bookmark_file_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_path_get_dirname (d->xbel);
  g_autofree char *data = NULL;
  gsize len;

  /* an unreadable list is left as it is: it is shared with other programs */
  if (!g_bookmark_file_load_from_file (bookmarks, d->xbel, &error) &&
      !g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  for (guint i = 0; d->paths[i]; i++)
    {
      g_autoptr(GFile) file = g_file_new_for_path (d->paths[i]);
      g_autofree char *uri = g_file_get_uri (file);
      g_autofree char *mime = mime_type_of (file);

      g_bookmark_file_set_mime_type (bookmarks, uri, mime);
      g_bookmark_file_add_application (bookmarks, uri, d->app_name, d->app_exec);
    }
  g_clear_error (&error);
  data = g_bookmark_file_to_data (bookmarks, &len, NULL);
  /* private, as GTK keeps it: it tells what the user opened */
  if (g_mkdir_with_parents (dir, 0700) != 0 ||
      !g_file_set_contents_full (d->xbel, data, len, G_FILE_SET_CONTENTS_CONSISTENT, 0600,
                                 &error))
    {
      if (error == NULL)
        error = g_error_new (G_FILE_ERROR, G_FILE_ERROR_FAILED, "%s", g_strerror (errno));
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_boolean (task, TRUE);
}

/**
 * dh_recent_add_async:
 * @xbel: (nullable): the list to add to; %NULL for the user's
 *   recently-used.xbel
 * @paths: files and folders that were opened
 *
 * Adds @paths to the recently used files in a worker.
 */
void
dh_recent_add_async (const char          *xbel,
                     const char * const  *paths,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, NULL, callback, user_data);
  AddData *d = g_new0 (AddData, 1);
  const char *name = g_get_application_name ();

  d->xbel = xbel ? g_strdup (xbel)
                 : g_build_filename (g_get_user_data_dir (), "recently-used.xbel", NULL);
  d->paths = g_strdupv ((char **) paths);
  d->app_name = g_strdup (name ? name : "dnshunt");
  d->app_exec = g_strdup_printf ("%s %%u", g_get_prgname () ? g_get_prgname () : "dnshunt");
  g_task_set_source_tag (task, dh_recent_add_async);
  g_task_set_task_data (task, d, add_data_free);
  g_task_run_in_thread (task, add_thread);
}

gboolean
dh_recent_add_finish (GAsyncResult  *result,
                      GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}
