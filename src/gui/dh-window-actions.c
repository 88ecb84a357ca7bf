/* dh-window-actions.c: the window's win.* actions
 *
 * Each action asks the session, a page or a dialog to do the work; what is
 * enabled follows the investigation (_dh_window_actions_update()).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "dh-cloudwatch-dialog.h"
#include "dh-export-dialog.h"
#include "dh-preferences-window.h"
#include "dh-toast.h"
#include "dh-window-private.h"

/* win.open-recent (path, is-case): a recent row's button */
static void
open_recent_activated (GSimpleAction *action,
                       GVariant      *param,
                       gpointer       user_data)
{
  DhWindow *self = user_data;
  const char *path;
  gboolean is_case;

  g_variant_get (param, "(&sb)", &path, &is_case);
  if (is_case)
    {
      g_autoptr(GError) error = NULL;
      if (!dh_window_open_case (self, path, &error))
        _dh_window_toast_text (self, error->message);
      return;
    }
  dh_window_open_paths (self, (const char * const []) { path, NULL }, FALSE);
}

static void
open_activated (GSimpleAction *action,
                GVariant      *param,
                gpointer       user_data)
{
  _dh_window_run_chooser (user_data, "logs", _("Open Log Files"), GTK_FILE_CHOOSER_ACTION_OPEN, TRUE);
}

static void
open_folder_activated (GSimpleAction *action,
                       GVariant      *param,
                       gpointer       user_data)
{
  _dh_window_run_chooser (user_data, "logs", _("Open Log Folders"), GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER,
               TRUE);
}

static void
open_demo_activated (GSimpleAction *action,
                     GVariant      *param,
                     gpointer       user_data)
{
  DhWindow *self = user_data;
  g_autofree char *dir = dh_find_demo_dir ();
  const char *paths[] = { dir, NULL };

  if (dir == NULL)
    {
      adw_toast_overlay_add_toast (self->toast_overlay,
                                   dh_toast_new_plain (_("The demo logs are not installed")));
      return;
    }
  dh_window_open_paths (self, paths, FALSE);
}

static void
connect_cloudwatch_activated (GSimpleAction *action,
                              GVariant      *param,
                              gpointer       data)
{
  DhWindow *self = data;

  gtk_window_present (GTK_WINDOW (dh_cloudwatch_dialog_new (GTK_WINDOW (self), self->session)));
}

static void
open_case_activated (GSimpleAction *action,
                     GVariant      *param,
                     gpointer       user_data)
{
  _dh_window_run_chooser (user_data, "open-case", _("Open Case"), GTK_FILE_CHOOSER_ACTION_OPEN, FALSE);
}

static void
save_case_activated (GSimpleAction *action,
                     GVariant      *param,
                     gpointer       user_data)
{
  _dh_window_run_chooser (user_data, "save-case", _("Save Case"), GTK_FILE_CHOOSER_ACTION_SAVE, FALSE);
}

/* Follow These Logs: the files and folders shown, as they grow (new lines,
 * new .log.gz objects), with notifications for the alerts that open. */
static void
follow_files_activated (GSimpleAction *action,
                        GVariant      *param,
                        gpointer       user_data)
{
  DhWindow *self = user_data;
  GPtrArray *inputs = dh_investigation_get_inputs (self->investigation);
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; inputs && i < inputs->len; i++)
    if (g_file_test (inputs->pdata[i], G_FILE_TEST_EXISTS))
      g_ptr_array_add (paths, g_strdup (inputs->pdata[i]));
  if (paths->len == 0)
    {
      _dh_window_toast_text (self, _("Open log files or a folder first"));
      return;
    }
  g_ptr_array_add (paths, NULL);
  dh_session_follow_local (self->session, (const char * const *) paths->pdata);
}

/* Follow Again, from the toast of a case that followed something */
static void
follow_case_live_activated (GSimpleAction *action,
                            GVariant      *param,
                            gpointer       user_data)
{
  DhWindow *self = user_data;
  g_autoptr(GError) error = NULL;

  if (dh_investigation_is_loading (self->investigation))
    {
      _dh_window_toast_text (self, _("Wait until the case’s logs are read, then follow again"));
      return;
    }
  if (dh_session_follow_case_live (self->session, &error) == NULL)
    _dh_window_toast_text (self, error->message);
}

static void
close_investigation_activated (GSimpleAction *action,
                               GVariant      *param,
                               gpointer       user_data)
{
  DhWindow *self = user_data;

  if (self->load_cancellable)
    g_cancellable_cancel (self->load_cancellable);
  dh_investigation_clear (self->investigation);
  _dh_window_show_main_page (self);
}

static void
cancel_load_activated (GSimpleAction *action,
                       GVariant      *param,
                       gpointer       user_data)
{
  DhWindow *self = user_data;

  if (self->load_cancellable)
    g_cancellable_cancel (self->load_cancellable);
}

static void
show_load_details_activated (GSimpleAction *action,
                             GVariant      *param,
                             gpointer       user_data)
{
  _dh_window_show_load_details (user_data);
}

static void
preferences_activated (GSimpleAction *action,
                       GVariant      *param,
                       gpointer       user_data)
{
  DhWindow *self = user_data;
  GtkWindow *prefs = GTK_WINDOW (dh_preferences_window_new (GTK_WINDOW (self), self->session));

  gtk_window_present (prefs);
}

static void
find_activated (GSimpleAction *action,
                GVariant      *param,
                gpointer       user_data)
{
  DhWindow *self = user_data;

  if (!dh_investigation_has_data (self->investigation))
    return;
  /* a view without a search finds among the alerts */
  if (!dh_page_focus_search (DH_PAGE (adw_view_stack_get_visible_child (self->view_stack))))
    {
      adw_view_stack_set_visible_child_name (self->view_stack, "alerts");
      dh_page_focus_search (DH_PAGE (self->alerts_page));
    }
}

static void
show_view_activated (GSimpleAction *action,
                     GVariant      *param,
                     gpointer       user_data)
{
  DhWindow *self = user_data;

  if (dh_investigation_has_data (self->investigation))
    adw_view_stack_set_visible_child_name (self->view_stack, g_variant_get_string (param, NULL));
}

static void
pivot_timeline_activated (GSimpleAction *action,
                          GVariant      *param,
                          gpointer       user_data)
{
  dh_window_show_host_timeline (user_data, g_variant_get_string (param, NULL));
}

static void
pivot_host_events_activated (GSimpleAction *action,
                             GVariant      *param,
                             gpointer       user_data)
{
  dh_window_show_events_for (user_data, g_variant_get_string (param, NULL), NULL);
}

static void
pivot_name_events_activated (GSimpleAction *action,
                             GVariant      *param,
                             gpointer       user_data)
{
  dh_window_show_events_for (user_data, NULL, g_variant_get_string (param, NULL));
}

static void
copy_text_activated (GSimpleAction *action,
                     GVariant      *param,
                     gpointer       user_data)
{
  DhWindow *self = user_data;

  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)),
                          g_variant_get_string (param, NULL));
  adw_toast_overlay_add_toast (self->toast_overlay, dh_toast_new_plain (_("Copied to the clipboard")));
}

static void
allow (DhWindow   *self,
       const char *rule_id,
       const char *key,
       const char *value)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *entry = dh_session_allow (self->session, rule_id, key, value, &error);
  g_autofree char *title = NULL;
  const DhRule *rule = NULL;
  AdwToast *toast;

  if (entry == NULL)
    {
      _dh_window_toast_text (self, error->message);
      return;
    }
  if (!g_str_equal (rule_id, "all"))
    rule = dh_rule_book_find_rule (dh_investigation_get_rule_book (self->investigation), rule_id);

  /* the value came from a log: a plain-text toast */
  if (rule)
    /* Translators: "10.0.0.5 is allowlisted for Paste Sites Queried" */
    title = g_strdup_printf (_("%s is allowlisted for “%s”"), entry, rule->title);
  else
    title = g_strdup_printf (_("%s is allowlisted for all rules"), entry);
  toast = dh_toast_new_plain (title);
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_action_name (toast, "win.undo-allow");
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/* win.allow-host and win.allow-name (rule, value): the rule's allowlist of
 * hosts or of names, by the action's name */
static void
allow_activated (GSimpleAction *action,
                 GVariant      *param,
                 gpointer       user_data)
{
  const char *rule, *value;
  gboolean host = g_str_equal (g_action_get_name (G_ACTION (action)), "allow-host");

  g_variant_get (param, "(&s&s)", &rule, &value);
  allow (user_data, rule, host ? "allow-hosts" : "allow", value);
}

static void
undo_allow_activated (GSimpleAction *action,
                      GVariant      *param,
                      gpointer       user_data)
{
  DhWindow *self = user_data;

  dh_session_undo_allow (self->session);
}

static void
export_activated (GSimpleAction *action,
                  GVariant      *param,
                  gpointer       user_data)
{
  DhWindow *self = user_data;
  DhAlertItem *item = dh_alerts_page_get_selected (self->alerts_page);
  DhExportDialog *dialog;

  /* the list may still show the previous analysis for a moment */
  if (item && dh_alert_item_get_set (item) != dh_investigation_get_alerts (self->investigation))
    item = NULL;
  dialog = dh_export_dialog_new (GTK_WINDOW (self), self->toast_overlay, self->investigation,
                                 item ? (int) dh_alert_item_get_position (item) : -1);
  gtk_window_present (GTK_WINDOW (dialog));
}


void
_dh_window_actions_update (DhWindow *self)
{
  gboolean has_data = dh_investigation_has_data (self->investigation);
  gboolean loading = dh_investigation_is_loading (self->investigation);
  DhAlertSet *alerts;
  const char *need_data[] = { "close-investigation", "find", "show-view", "pivot-timeline",
                              "pivot-host-events", "pivot-name-events", "allow-host",
                              "allow-name" };

  /* while logs are being added the investigation shown stays usable; only
   * saving waits, as the inputs are about to change */
  for (guint i = 0; i < G_N_ELEMENTS (need_data); i++)
    {
      GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), need_data[i]);
      g_simple_action_set_enabled (G_SIMPLE_ACTION (action), has_data);
    }
  g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self),
                                                                            "save-case")),
                               has_data && !loading);
  g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self),
                                                                            "cancel-load")),
                               loading);
  {
    GPtrArray *inputs = dh_investigation_get_inputs (self->investigation);
    DhLiveSource *live = dh_session_get_live_source (self->session);
    g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self),
                                                                              "follow-files")),
                                 has_data && !loading && inputs && inputs->len > 0 &&
                                 !(live && dh_live_source_is_running (live)));
  }
  alerts = dh_investigation_get_alerts (self->investigation);
  g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self),
                                                                            "export")),
                               has_data && !loading && alerts &&
                               dh_alert_set_get_n_alerts (alerts) > 0);
}

static const GActionEntry win_actions[] = {
  { "open-recent", open_recent_activated, "(sb)" },
  { "open", open_activated },
  { "open-folder", open_folder_activated },
  { "open-demo", open_demo_activated },
  { "connect-cloudwatch", connect_cloudwatch_activated },
  { "follow-files", follow_files_activated },
  { "follow-case-live", follow_case_live_activated },
  { "open-case", open_case_activated },
  { "save-case", save_case_activated },
  { "export", export_activated },
  { "close-investigation", close_investigation_activated },
  { "cancel-load", cancel_load_activated },
  { "show-load-details", show_load_details_activated },
  { "preferences", preferences_activated },
  { "find", find_activated },
  { "show-view", show_view_activated, "s" },
  { "pivot-timeline", pivot_timeline_activated, "s" },
  { "pivot-host-events", pivot_host_events_activated, "s" },
  { "pivot-name-events", pivot_name_events_activated, "s" },
  { "copy-text", copy_text_activated, "s" },
  { "allow-host", allow_activated, "(ss)" },
  { "allow-name", allow_activated, "(ss)" },
  { "undo-allow", undo_allow_activated },
};

void
_dh_window_actions_init (DhWindow *self)
{
  g_action_map_add_action_entries (G_ACTION_MAP (self), win_actions, G_N_ELEMENTS (win_actions),
                                   self);
}
