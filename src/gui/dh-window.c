/* dh-window.c: the investigation window
 *
 * Three states in one stack: nothing open (how to open logs, recent ones),
 * reading (progress, Cancel), and the investigation (five views). Reading
 * runs in a worker (DhInvestigation); the window only shows progress and
 * installs the result. Every way of opening logs (dialogs, drag and drop,
 * the command line, recent entries, the demo) ends in
 * dh_window_open_paths(); opening more logs while some are shown adds them to
 * the investigation.
 *
 * The state of the investigation, the settings kept between runs, recent
 * files, cases and the allowlist's undo are the session's (DhSession, in
 * src/session); the window presents them. Its win.* actions are in
 * dh-window-actions.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "dh-a11y.h"
#include "dh-desktop.h"
#include "dh-toast.h"
#include "dh-window-private.h"


G_DEFINE_FINAL_TYPE (DhWindow, dh_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_SESSION,
  PROP_INVESTIGATION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Settings --------------------------------------------------------------- */

/* A toast of plain text: @message may hold a file name or the case author's text. */
void
_dh_window_toast_text (DhWindow   *self,
                       const char *message)
{
  adw_toast_overlay_add_toast (self->toast_overlay, dh_toast_new_plain (message));
}

/**
 * dh_window_set_setting:
 * @key: a setting key; not one that names a file (`list-file`): the window
 *   takes the list itself
 *
 * Changes a setting of the investigation (re-running the rules) and keeps it
 * for the next time.
 */
gboolean
dh_window_set_setting (DhWindow    *self,
                       const char  *rule_id,
                       const char  *key,
                       const char  *value,
                       GError     **error)
{
  return dh_session_set_setting (self->session, rule_id, key, value, error);
}

/* Recent ------------------------------------------------------------------ */

static void
add_recent_row (DhWindow   *self,
                const char *path,
                gboolean    is_case)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *open = gtk_button_new_from_icon_name ("go-next-symbolic");
  GtkWidget *icon = gtk_image_new_from_icon_name (is_case ? "emblem-documents-symbolic"
                                                  : g_file_test (path, G_FILE_TEST_IS_DIR)
                                                  ? "folder-symbolic" : "text-x-generic-symbolic");
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *subtitle = is_case ? g_strdup_printf (_("Case · %s"), dir) : g_strdup (dir);
  g_autofree char *a11y = g_strdup_printf (is_case ? _("Open case %s") : _("Open %s"), base);

  /* paths are shown as text, never as markup */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), base);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  /* a real button, so keyboards and assistive tools can press it */
  gtk_widget_add_css_class (open, "flat");
  gtk_widget_set_valign (open, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (open, path);
  gtk_accessible_update_property (GTK_ACCESSIBLE (open), GTK_ACCESSIBLE_PROPERTY_LABEL, a11y, -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), open);
  /* the whole row opens it too; not through activatable-widget, which would
   * name the button twice */
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  g_signal_connect_swapped (row, "activated", G_CALLBACK (gtk_widget_activate), open);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (open), "win.open-recent");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (open), "(sb)", path, is_case);
  gtk_list_box_append (self->recent_list, row);
}

static void
rebuild_recent (DhWindow *self)
{
  g_auto(GStrv) inputs = NULL;
  g_auto(GStrv) cases = NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->recent_list))))
    gtk_list_box_remove (self->recent_list, child);
  cases = dh_session_get_recent (self->session, TRUE);
  inputs = dh_session_get_recent (self->session, FALSE);
  for (guint i = 0; cases[i]; i++)
    add_recent_row (self, cases[i], TRUE);
  for (guint i = 0; inputs[i]; i++)
    add_recent_row (self, inputs[i], FALSE);
  gtk_widget_set_visible (self->recent_group, cases[0] != NULL || inputs[0] != NULL);
}

/* Loading ----------------------------------------------------------------- */

static void
update_load_progress (DhWindow *self)
{
  DhLoader *loader = dh_investigation_get_loader (self->investigation);
  const char *message;
  double fraction;
  g_autofree char *bar = NULL;

  if (loader == NULL)
    return;
  message = dh_loader_get_message (loader);
  fraction = dh_loader_get_fraction (loader);
  if (fraction >= 0)
    {
      gtk_progress_bar_set_fraction (self->load_progress, fraction);
      gtk_progress_bar_set_fraction (self->load_bar_progress, fraction);
    }
  else
    {
      gtk_progress_bar_pulse (self->load_progress);
      gtk_progress_bar_pulse (self->load_bar_progress);
    }
  gtk_label_set_text (self->load_label, message);
  switch (dh_loader_get_phase (loader))
    {
    case DH_LOAD_PHASE_INDEXING:
      adw_status_page_set_title (self->loading_page, _("Indexing Events"));
      break;
    case DH_LOAD_PHASE_ANALYSING:
      adw_status_page_set_title (self->loading_page, _("Running the Rules"));
      break;
    default:
      adw_status_page_set_title (self->loading_page, _("Reading Logs"));
    }

  /* the same, in the bar shown over an investigation that is being extended */
  bar = g_strdup_printf (_("Adding logs: %s"), message);
  gtk_label_set_text (self->load_bar_label, bar);
}

/* The bottom bar takes over from the title's switcher in narrow windows,
 * and only when there are views to switch between. */
static void
update_switcher_bar (DhWindow *self)
{
  adw_view_switcher_bar_set_reveal (self->switcher_bar,
                                    adw_view_switcher_title_get_view_switcher_enabled (self->switcher_title) &&
                                    adw_view_switcher_title_get_title_visible (self->switcher_title));
}

void
_dh_window_show_main_page (DhWindow *self)
{
  gboolean has_data = dh_investigation_has_data (self->investigation);

  gtk_stack_set_visible_child_name (self->main_stack, has_data ? "investigation" : "empty");
  /* the views mean nothing until logs are open */
  adw_view_switcher_title_set_view_switcher_enabled (self->switcher_title, has_data);
  update_switcher_bar (self);
}

static char *
format_report_details (DhLoadReport *report)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < report->errors->len; i++)
    g_string_append_printf (s, "%s\n", (const char *) report->errors->pdata[i]);
  if (report->errors->len && report->rejects->len)
    g_string_append_c (s, '\n');
  for (guint i = 0; i < report->rejects->len; i++)
    {
      const DhRejectInfo *r = &g_array_index (report->rejects, DhRejectInfo, i);
      g_string_append_printf (s, "%s:%" G_GUINT64_FORMAT ": %s\n", r->source, r->line, r->reason);
    }
  if (report->n_rejected > report->rejects->len)
    {
      /* counts as text: a 64-bit format macro inside _() defeats xgettext */
      g_autofree char *more = g_strdup_printf ("%" G_GUINT64_FORMAT,
                                               report->n_rejected - report->rejects->len);
      g_string_append_printf (s, _("… and %s more rejected lines\n"), more);
    }
  return g_string_free (s, FALSE);
}

void
_dh_window_show_load_details (DhWindow *self)
{
  AdwMessageDialog *dialog;
  GtkWidget *scrolled, *view;
  g_autofree char *text = NULL;
  g_autofree char *body = NULL;
  g_autofree char *n_text = NULL;

  if (self->last_report == NULL)
    return;
  text = format_report_details (self->last_report);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self),
                                                       _("Problems Reading the Logs"), NULL));
  n_text = g_strdup_printf ("%" G_GUINT64_FORMAT, self->last_report->n_rejected);
  {
    guint n_errors = self->last_report->errors->len;
    g_autofree char *rejected = NULL;
    g_autofree char *unreadable = NULL;

    if (self->last_report->n_rejected > 0)
      rejected = g_strdup_printf (ngettext ("%s line was not a valid record and was skipped.",
                                            "%s lines were not valid records and were skipped.",
                                            (gulong) MIN (self->last_report->n_rejected,
                                                          G_MAXULONG)),
                                  n_text);
    if (n_errors > 0)
      unreadable = g_strdup_printf (ngettext ("%u input could not be read.",
                                              "%u inputs could not be read.", n_errors),
                                    n_errors);
    body = g_strjoin (" ", rejected ? rejected : "", unreadable ? unreadable : "", NULL);
    g_strstrip (body);
  }
  adw_message_dialog_set_body (dialog, body);

  view = gtk_text_view_new ();
  gtk_text_view_set_editable (GTK_TEXT_VIEW (view), FALSE);
  gtk_text_view_set_monospace (GTK_TEXT_VIEW (view), TRUE);
  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_WORD_CHAR);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (view)), text, -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Rejected lines"), -1);
  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), view);
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scrolled), 220);
  gtk_widget_set_size_request (scrolled, 480, -1);
  gtk_widget_add_css_class (scrolled, "card");
  adw_message_dialog_set_extra_child (dialog, scrolled);
  adw_message_dialog_add_response (dialog, "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
load_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(DhWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(DhLoadReport) report = NULL;
  AdwToast *toast;

  g_clear_object (&self->load_cancellable);
  gtk_revealer_set_reveal_child (self->load_bar, FALSE);
  if (!dh_investigation_load_finish (self->investigation, result, &report, &error))
    {
      _dh_window_show_main_page (self);
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        toast = dh_toast_new_plain (_("Reading cancelled"));
      else
        toast = dh_toast_new_plain (error->message);
      adw_toast_overlay_add_toast (self->toast_overlay, toast);
      return;
    }

  g_clear_pointer (&self->last_report, dh_load_report_free);
  self->last_report = g_steal_pointer (&report);
  {
    /* the inputs array is not NULL-terminated: make a strv of it */
    GPtrArray *inputs = dh_investigation_get_inputs (self->investigation);
    g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
    g_auto(GStrv) paths = NULL;

    for (guint i = 0; i < inputs->len; i++)
      g_strv_builder_add (builder, inputs->pdata[i]);
    paths = g_strv_builder_end (builder);
    dh_session_remember_inputs (self->session, (const char * const *) paths);
  }
  _dh_window_show_main_page (self);

  if (self->last_report->n_rejected > 0 || self->last_report->errors->len > 0)
    {
      g_autofree char *title = NULL;
      if (self->last_report->errors->len > 0)
        title = g_strdup_printf (ngettext ("%u input could not be read",
                                           "%u inputs could not be read",
                                           self->last_report->errors->len),
                                 self->last_report->errors->len);
      else
        {
          g_autofree char *n_text = g_strdup_printf ("%" G_GUINT64_FORMAT,
                                                     self->last_report->n_rejected);
          title = g_strdup_printf (ngettext ("%s line was rejected", "%s lines were rejected",
                                             (gulong) MIN (self->last_report->n_rejected,
                                                           G_MAXULONG)),
                                   n_text);
        }
      toast = dh_toast_new_plain (title);
      adw_toast_set_button_label (toast, _("_Details"));
      adw_toast_set_action_name (toast, "win.show-load-details");
      adw_toast_set_timeout (toast, 10);
      adw_toast_overlay_add_toast (self->toast_overlay, toast);
    }
  else if (self->last_report->n_events == 0)
    adw_toast_overlay_add_toast (self->toast_overlay,
                                 dh_toast_new_plain (_("No DNS query log records were found")));
}

/* A case file is JSON with a "dnshunt_case" member near its start. */
static gboolean
is_case_file (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) in = NULL;
  char buf[512];
  gssize n;

  if (!g_str_has_suffix (path, ".json") || (in = g_file_read (file, NULL, NULL)) == NULL)
    return FALSE;
  n = g_input_stream_read (G_INPUT_STREAM (in), buf, sizeof buf - 1, NULL, NULL);
  if (n <= 0)
    return FALSE;
  buf[n] = 0;
  return strstr (buf, "\"dnshunt_case\"") != NULL;
}

static void
load_paths (DhWindow           *self,
            const char * const *paths,
            gboolean            replace)
{
  if (dh_investigation_is_loading (self->investigation))
    {
      adw_toast_overlay_add_toast (self->toast_overlay,
                                   dh_toast_new_plain (_("Wait for the logs being read, or cancel")));
      return;
    }
  if (replace)
    dh_investigation_clear (self->investigation);

  self->load_cancellable = g_cancellable_new ();
  gtk_progress_bar_set_fraction (self->load_progress, 0.0);
  gtk_label_set_text (self->load_label, "");
  if (dh_investigation_has_data (self->investigation))
    {
      /* adding to what is shown: it stays usable until the new data is in */
      gtk_progress_bar_set_fraction (self->load_bar_progress, 0.0);
      gtk_label_set_text (self->load_bar_label, _("Adding logs"));
      gtk_revealer_set_reveal_child (self->load_bar, TRUE);
    }
  else
    {
      gtk_stack_set_visible_child_name (self->main_stack, "loading");
      adw_view_switcher_title_set_view_switcher_enabled (self->switcher_title, FALSE);
      update_switcher_bar (self);
    }
  dh_investigation_load_async (self->investigation, paths, self->load_cancellable, load_done,
                               g_object_ref (self));
}

/**
 * dh_window_open_paths:
 * @paths: files and folders (or one case file)
 * @replace: start a new investigation instead of adding to the current one
 *
 * Reads the logs in a worker; the window shows progress and stays usable.
 */
void
dh_window_open_paths (DhWindow           *self,
                      const char * const *paths,
                      gboolean            replace)
{
  g_return_if_fail (DH_IS_WINDOW (self));

  if (paths == NULL || paths[0] == NULL)
    return;
  /* `dnshunt case.json`, or a case dropped on the window */
  if (paths[1] == NULL && is_case_file (paths[0]))
    {
      g_autoptr(GError) error = NULL;
      if (!dh_window_open_case (self, paths[0], &error))
        _dh_window_toast_text (self, error->message);
      return;
    }
  load_paths (self, paths, replace);
}

/* File choosers ---------------------------------------------------------- */

static void
chooser_response (GtkNativeDialog *dialog,
                  int              response,
                  DhWindow        *self)
{
  const char *purpose = g_object_get_data (G_OBJECT (dialog), "purpose");

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GListModel) files = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (dialog));
      g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);

      for (guint i = 0; i < g_list_model_get_n_items (files); i++)
        {
          g_autoptr(GFile) file = g_list_model_get_item (files, i);
          char *path = g_file_get_path (file);
          if (path)
            g_ptr_array_add (paths, path);
        }
      g_ptr_array_add (paths, NULL);

      if (paths->len > 1 && g_str_equal (purpose, "logs"))
        dh_window_open_paths (self, (const char * const *) paths->pdata, FALSE);
      else if (paths->len > 1 && g_str_equal (purpose, "open-case"))
        {
          g_autoptr(GError) error = NULL;
          if (!dh_window_open_case (self, paths->pdata[0], &error))
            _dh_window_toast_text (self, error->message);
        }
      else if (paths->len > 1 && g_str_equal (purpose, "save-case"))
        {
          g_autoptr(GError) error = NULL;
          if (!dh_window_save_case (self, paths->pdata[0], &error))
            _dh_window_toast_text (self, error->message);
          else
            adw_toast_overlay_add_toast (self->toast_overlay, dh_toast_new_plain (_("Case saved")));
        }
    }
  g_clear_object (&self->chooser);
}

void
_dh_window_run_chooser (DhWindow             *self,
                        const char           *purpose,
                        const char           *title,
                        GtkFileChooserAction  action,
                        gboolean              multiple)
{
  GtkFileChooserNative *chooser;

  if (self->chooser)
    return;
  chooser = gtk_file_chooser_native_new (title, GTK_WINDOW (self), action, NULL, NULL);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (chooser), multiple);
  g_object_set_data_full (G_OBJECT (chooser), "purpose", g_strdup (purpose), g_free);

  if (g_str_equal (purpose, "logs"))
    {
      GtkFileFilter *filter = gtk_file_filter_new ();
      gtk_file_filter_set_name (filter, _("Query Logs"));
      gtk_file_filter_add_pattern (filter, "*.log");
      gtk_file_filter_add_pattern (filter, "*.gz");
      gtk_file_filter_add_pattern (filter, "*.json");
      gtk_file_filter_add_pattern (filter, "*.jsonl");
      gtk_file_filter_add_pattern (filter, "*.ndjson");
      gtk_file_filter_add_pattern (filter, "*.txt");
      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
      g_object_unref (filter);
      filter = gtk_file_filter_new ();
      gtk_file_filter_set_name (filter, _("All Files"));
      gtk_file_filter_add_pattern (filter, "*");
      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
      g_object_unref (filter);
    }
  else if (g_str_has_suffix (purpose, "case"))
    {
      GtkFileFilter *filter = gtk_file_filter_new ();
      gtk_file_filter_set_name (filter, _("DNS Hunt Cases"));
      gtk_file_filter_add_pattern (filter, "*.json");
      gtk_file_filter_add_mime_type (filter, "application/json");
      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
      g_object_unref (filter);
      if (action == GTK_FILE_CHOOSER_ACTION_SAVE)
        gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), _("investigation.dnshunt.json"));
    }

  self->chooser = GTK_NATIVE_DIALOG (chooser);
  g_signal_connect (chooser, "response", G_CALLBACK (chooser_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* Cases ------------------------------------------------------------------ */

/**
 * dh_window_save_case:
 *
 * Writes the inputs, the settings that differ from the defaults and the
 * triage to @path (JSON).
 */
gboolean
dh_window_save_case (DhWindow    *self,
                     const char  *path,
                     GError     **error)
{
  return dh_session_save_case (self->session, path, error);
}

/**
 * dh_window_open_case:
 *
 * Replaces the investigation with the case's (see dh_session_open_case()),
 * says which of its settings were left out, and reads its inputs.
 */
gboolean
dh_window_open_case (DhWindow    *self,
                     const char  *path,
                     GError     **error)
{
  g_autoptr(GPtrArray) notices = NULL;
  g_auto(GStrv) inputs = dh_session_open_case (self->session, path, &notices, error);

  if (inputs == NULL)
    return FALSE;
  for (guint i = 0; i < notices->len; i++)
    _dh_window_toast_text (self, notices->pdata[i]);
  /* it followed something when it was saved: offer to follow it again (a
   * case may come from someone else, so not without asking) */
  {
    g_autofree char *live = dh_session_describe_case_live (self->session);
    if (live)
      {
        g_autofree char *text = g_strdup_printf (_("This case followed %s"), live);
        AdwToast *toast = dh_toast_new_plain (text);
        adw_toast_set_button_label (toast, _("_Follow Again"));
        adw_toast_set_action_name (toast, "win.follow-case-live");
        adw_toast_set_timeout (toast, 0);
        dh_window_add_toast (self, toast);
      }
  }
  if (inputs[0] == NULL)
    {
      _dh_window_show_main_page (self);
      return TRUE;
    }
  load_paths (self, (const char * const *) inputs, FALSE);
  return TRUE;
}

/* Pivots ------------------------------------------------------------------ */

void
dh_window_show_host_timeline (DhWindow   *self,
                              const char *host)
{
  dh_timeline_page_show_host (self->timeline_page, host);
  adw_view_stack_set_visible_child_name (self->view_stack, "timeline");
}

void
dh_window_show_events_for (DhWindow   *self,
                           const char *host,
                           const char *name)
{
  dh_events_page_set_filter (self->events_page, host, name);
  adw_view_stack_set_visible_child_name (self->view_stack, "events");
}

void
dh_window_add_toast (DhWindow *self,
                     AdwToast *toast)
{
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/* Drag and drop -------------------------------------------------------- */

static gboolean
on_drop (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         DhWindow      *self)
{
  GSList *files;
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);

  if (!G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    return FALSE;
  files = gdk_file_list_get_files (g_value_get_boxed (value));
  for (GSList *l = files; l; l = l->next)
    {
      char *path = g_file_get_path (l->data);
      if (path)
        g_ptr_array_add (paths, path);
    }
  g_slist_free (files);
  if (paths->len == 0)
    return FALSE;
  g_ptr_array_add (paths, NULL);
  dh_window_open_paths (self, (const char * const *) paths->pdata, FALSE);
  return TRUE;
}

/* Life cycle --------------------------------------------------------------- */

static void
on_loading_changed (DhWindow *self)
{
  _dh_window_actions_update (self);
}

static void
on_analyzing_changed (DhWindow *self)
{
  gboolean busy = dh_investigation_is_analyzing (self->investigation);

  gtk_spinner_set_spinning (self->analyzing_spinner, busy);
  gtk_widget_set_visible (GTK_WIDGET (self->analyzing_spinner), busy);
}

static void
on_data_changed (DhWindow *self)
{
  _dh_window_actions_update (self);
  if (!dh_investigation_is_loading (self->investigation))
    _dh_window_show_main_page (self);
}

static gboolean
dh_window_close_request (GtkWindow *window)
{
  DhWindow *self = DH_WINDOW (window);

  if (self->load_cancellable)
    g_cancellable_cancel (self->load_cancellable);
  if (self->settings)
    {
      int width, height;
      gtk_window_get_default_size (window, &width, &height);
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
      g_settings_set_boolean (self->settings, "window-maximized",
                              gtk_window_is_maximized (window));
    }
  return GTK_WINDOW_CLASS (dh_window_parent_class)->close_request (window);
}

static void
dh_window_dispose (GObject *object)
{
  DhWindow *self = DH_WINDOW (object);

  if (self->load_cancellable)
    g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  if (self->chooser)
    gtk_native_dialog_destroy (self->chooser);
  g_clear_object (&self->chooser);
  if (self->investigation)
    g_signal_handlers_disconnect_by_data (self->investigation, self);
  if (self->session)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_clear_object (&self->loader_signals);
  gtk_widget_dispose_template (GTK_WIDGET (self), DH_TYPE_WINDOW);
  G_OBJECT_CLASS (dh_window_parent_class)->dispose (object);
}

static void
dh_window_finalize (GObject *object)
{
  DhWindow *self = DH_WINDOW (object);

  g_clear_object (&self->investigation);
  g_clear_object (&self->session);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->last_report, dh_load_report_free);
  G_OBJECT_CLASS (dh_window_parent_class)->finalize (object);
}

static void
dh_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  DhWindow *self = DH_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    case PROP_INVESTIGATION:
      g_value_set_object (value, self->investigation);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dh_window_class_init (DhWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = dh_window_dispose;
  object_class->finalize = dh_window_finalize;
  object_class->get_property = dh_window_get_property;
  window_class->close_request = dh_window_close_request;

  /* what the window presents; the pages bind to the investigation */
  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, DH_TYPE_SESSION,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_INVESTIGATION] =
    g_param_spec_object ("investigation", NULL, NULL, DH_TYPE_INVESTIGATION,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (DH_TYPE_OVERVIEW_PAGE);
  g_type_ensure (DH_TYPE_ALERTS_PAGE);
  g_type_ensure (DH_TYPE_HOSTS_PAGE);
  g_type_ensure (DH_TYPE_TIMELINE_PAGE);
  g_type_ensure (DH_TYPE_EVENTS_PAGE);
  g_type_ensure (DH_TYPE_LIVE_BAR);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/dnshunt/DnsHunt/dh-window.ui");
  gtk_widget_class_bind_template_child (widget_class, DhWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, DhWindow, open_button);
  gtk_widget_class_bind_template_child (widget_class, DhWindow, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, DhWindow, switcher_bar);
  gtk_widget_class_bind_template_child (widget_class, DhWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, DhWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, DhWindow, loading_page);
  gtk_widget_class_bind_template_child (widget_class, DhWindow, load_progress);
  gtk_widget_class_bind_template_child (widget_class, DhWindow, load_label);
  gtk_widget_class_bind_template_child (widget_class, DhWindow, load_bar);
  gtk_widget_class_bind_template_child (widget_class, DhWindow, load_bar_label);
  gtk_widget_class_bind_template_child (widget_class, DhWindow, load_bar_progress);
  gtk_widget_class_bind_template_child (widget_class, DhWindow, recent_group);
  gtk_widget_class_bind_template_child (widget_class, DhWindow, recent_list);
  gtk_widget_class_bind_template_child (widget_class, DhWindow, analyzing_spinner);
  gtk_widget_class_bind_template_child (widget_class, DhWindow, live_bar);
  gtk_widget_class_bind_template_child (widget_class, DhWindow, overview_page);
  gtk_widget_class_bind_template_child (widget_class, DhWindow, alerts_page);
  gtk_widget_class_bind_template_child (widget_class, DhWindow, hosts_page);
  gtk_widget_class_bind_template_child (widget_class, DhWindow, timeline_page);
  gtk_widget_class_bind_template_child (widget_class, DhWindow, events_page);
}

static void
dh_window_init (DhWindow *self)
{
  GtkDropTarget *drop;

  gtk_widget_init_template (GTK_WIDGET (self));

  _dh_window_actions_init (self);

  drop = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect (drop, "drop", G_CALLBACK (on_drop), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));

  gtk_widget_set_visible (GTK_WIDGET (self->analyzing_spinner), FALSE);
  g_signal_connect_swapped (self->switcher_title, "notify::title-visible",
                            G_CALLBACK (update_switcher_bar), self);
  dh_a11y_tidy (GTK_WIDGET (self));
}

static void
on_session_notice (DhWindow   *self,
                   const char *message)
{
  _dh_window_toast_text (self, message);
}

/* A followed source opened alerts: the destinations have them (the
 * session sent them); the desktop shows them. */
static void
on_alerts_opened (DhWindow   *self,
                  DhAlertSet *alerts,
                  GPtrArray  *opened)
{
  GApplication *app = G_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  DhNotifications *notifications = dh_session_get_notifications (self->session);
  g_autoptr(GPtrArray) shown = g_ptr_array_new ();

  if (app == NULL || notifications == NULL ||
      !g_settings_get_boolean (dh_session_get_settings (self->session), "notify-desktop"))
    return;
  for (guint i = 0; i < opened->len; i++)
    if (dh_notifications_wants (notifications, opened->pdata[i]))
      g_ptr_array_add (shown, opened->pdata[i]);
  dh_desktop_notify_alerts (app, alerts, shown, TRUE);
}

/**
 * dh_window_show_alert:
 * @id: an alert's id (dh_notice_id_for_alert()), or "" for the list
 *
 * Shows the alert a desktop notification was about.
 */
void
dh_window_show_alert (DhWindow   *self,
                      const char *id)
{
  adw_view_stack_set_visible_child_name (self->view_stack, "alerts");
  if (id && *id && !dh_alerts_page_select_id (self->alerts_page, id))
    _dh_window_toast_text (self, _("That alert is no longer in the events kept in memory"));
  gtk_window_present (GTK_WINDOW (self));
}

static void
on_live_source_changed (DhWindow *self)
{
  DhLiveSource *live = dh_session_get_live_source (self->session);

  dh_live_bar_set_source (self->live_bar, live);
  /* Follow These Logs waits while something is followed */
  if (live)
    g_signal_connect_object (live, "notify::running", G_CALLBACK (_dh_window_actions_update),
                             self, G_CONNECT_SWAPPED);
  _dh_window_actions_update (self);
}

/* The window presents @session from now on. */
static void
present_session (DhWindow  *self,
                 DhSession *session)
{
  GSettings *settings = dh_session_get_settings (session);

  self->session = g_object_ref (session);
  self->investigation = g_object_ref (dh_session_get_investigation (session));
  g_signal_connect_swapped (session, "notice", G_CALLBACK (on_session_notice), self);
  g_signal_connect_swapped (session, "notify::live-source", G_CALLBACK (on_live_source_changed),
                            self);
  g_signal_connect_swapped (session, "alerts-opened", G_CALLBACK (on_alerts_opened), self);
  g_signal_connect_swapped (self->live_bar, "notice", G_CALLBACK (on_session_notice), self);

  g_signal_connect_swapped (self->investigation, "notify::loading",
                            G_CALLBACK (on_loading_changed), self);
  g_signal_connect_swapped (self->investigation, "notify::analyzing",
                            G_CALLBACK (on_analyzing_changed), self);
  /* the load under way, whichever it is */
  self->loader_signals = g_signal_group_new (DH_TYPE_LOADER);
  g_signal_group_connect_swapped (self->loader_signals, "notify::message",
                                  G_CALLBACK (update_load_progress), self);
  g_signal_group_connect_swapped (self->loader_signals, "notify::phase",
                                  G_CALLBACK (update_load_progress), self);
  g_object_bind_property (self->investigation, "loader", self->loader_signals, "target",
                          G_BINDING_SYNC_CREATE);
  g_signal_connect_swapped (self->investigation, "data-changed",
                            G_CALLBACK (on_data_changed), self);
  g_signal_connect_swapped (self->investigation, "alerts-changed",
                            G_CALLBACK (_dh_window_actions_update), self);

  if (settings)
    {
      g_signal_connect_object (settings, "changed::recent-inputs", G_CALLBACK (rebuild_recent),
                               self, G_CONNECT_SWAPPED);
      g_signal_connect_object (settings, "changed::recent-cases", G_CALLBACK (rebuild_recent),
                               self, G_CONNECT_SWAPPED);
    }
  rebuild_recent (self);
  _dh_window_actions_update (self);
  _dh_window_show_main_page (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INVESTIGATION]);
}

/**
 * dh_window_new:
 *
 * Returns: (transfer none): a new window of @app, showing the empty state
 */
DhWindow *
dh_window_new (DhApplication *app)
{
  DhWindow *self = g_object_new (DH_TYPE_WINDOW, "application", app, NULL);
  GSettings *settings = dh_application_get_settings (app);
  g_autoptr(DhSession) session = dh_session_new (settings);

  if (settings)
    {
      self->settings = g_object_ref (settings);
      gtk_window_set_default_size (GTK_WINDOW (self),
                                   g_settings_get_int (settings, "window-width"),
                                   g_settings_get_int (settings, "window-height"));
      if (g_settings_get_boolean (settings, "window-maximized"))
        gtk_window_maximize (GTK_WINDOW (self));
    }
  present_session (self, session);
  return self;
}

/**
 * dh_window_get_session:
 *
 * Returns: (transfer none): the session the window presents
 */
DhSession *
dh_window_get_session (DhWindow *self)
{
  return self->session;
}

DhInvestigation *
dh_window_get_investigation (DhWindow *self)
{
  return self->investigation;
}

/**
 * dh_window_get_default_rules:
 *
 * Returns: (transfer none): the rule book with the bundled defaults
 */
DhRuleBook *
dh_window_get_default_rules (DhWindow *self)
{
  return dh_session_get_defaults (self->session);
}

/**
 * dh_window_get_live_bar:
 *
 * Returns: (transfer none): the strip showing a CloudWatch Logs connection
 */
DhLiveBar *
dh_window_get_live_bar (DhWindow *self)
{
  return self->live_bar;
}
