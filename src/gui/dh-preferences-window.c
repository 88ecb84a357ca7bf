/* dh-preferences-window.c: every rule's settings
 *
 * Built from the rule book rather than a template: each rule is an expander
 * row whose switch is its `enabled` setting, with one row per other setting
 * (spin buttons for counts, entries for durations and short lists, a text
 * editor for the long bundled lists). Every change goes through
 * dh_session_set_setting(), which re-runs the rules on the loaded events in a
 * worker and saves the setting in GSettings.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "dh-a11y.h"
#include "dh-alert-item.h"
#include "dh-notify-page.h"
#include "dh-preferences-window.h"
#include "dh-toast.h"
#include "dh-time.h"

#define LONG_LIST_CHARS 120

struct _DhPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;
  DhSession            *session;
  GPtrArray            *bindings;   /* Binding * */
  gboolean              updating;
};

G_DEFINE_FINAL_TYPE (DhPreferencesWindow, dh_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

typedef struct
{
  DhPreferencesWindow *self;
  char                *rule_id;
  char                *key;
  DhSettingType        type;
  GtkWidget           *widget;   /* expander, spin button, entry row or action row */
} Binding;

static void
binding_free (gpointer data)
{
  Binding *b = data;

  g_free (b->rule_id);
  g_free (b->key);
  g_free (b);
}

static const struct
{
  const char *key;
  const char *title;
  const char *subtitle;
} setting_texts[] = {
  { "threshold", N_("Threshold"), N_("Matching events within the window that raise an alert") },
  { "window", N_("Window"), N_("A duration such as 90s, 15m or 1h") },
  { "min-length", N_("Minimum label length"), N_("Shorter labels are not tested") },
  { "min-printable", N_("Minimum printable share"), N_("Percent of decoded bytes that must be printable text") },
  { "max-evidence", N_("Evidence per alert"), N_("Events listed in reports for each alert") },
  { "allow", N_("Allowed domains"), N_("Comma-separated; subdomains are allowed too") },
  { "allow-hosts", N_("Allowed hosts"), N_("Comma-separated addresses or CIDR ranges") },
  { "exclude", N_("Excluded domains"), N_("Names under these never count") },
  { "escalate-types", N_("High-severity types"), N_("Record types that make the alert high") },
  { "addresses", N_("Metadata addresses"), N_("Answers that point here raise an alert") },
  { "legit-names", N_("Legitimate names"), N_("Names that may resolve there (* is one label)") },
  { "types", N_("Record types"), N_("Comma-separated, such as TXT,NULL") },
  { "list", N_("List"), N_("One entry per line") },
};

static const char *
setting_title (const char *key)
{
  for (guint i = 0; i < G_N_ELEMENTS (setting_texts); i++)
    if (g_str_equal (setting_texts[i].key, key))
      return _(setting_texts[i].title);
  return key;
}

static const char *
setting_subtitle (const char *key)
{
  for (guint i = 0; i < G_N_ELEMENTS (setting_texts); i++)
    if (g_str_equal (setting_texts[i].key, key))
      return _(setting_texts[i].subtitle);
  return "";
}

static DhRuleBook *
book (DhPreferencesWindow *self)
{
  return dh_investigation_get_rule_book (dh_session_get_investigation (self->session));
}

static gboolean
apply (Binding    *b,
       const char *value)
{
  DhPreferencesWindow *self = b->self;
  g_autoptr(GError) error = NULL;

  if (self->updating)
    return TRUE;
  if (!dh_session_set_setting (self->session, b->rule_id, b->key, value, &error))
    {
      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                        dh_toast_new_plain (error->message));
      return FALSE;
    }
  return TRUE;
}

static void
on_enabled (AdwExpanderRow *row,
            GParamSpec     *pspec,
            Binding        *b)
{
  apply (b, adw_expander_row_get_enable_expansion (row) ? "true" : "false");
}

static void
on_spin (GtkSpinButton *spin,
         Binding       *b)
{
  g_autofree char *value = g_strdup_printf ("%d", gtk_spin_button_get_value_as_int (spin));

  apply (b, value);
}

static void
on_entry_apply (AdwEntryRow *row,
                Binding     *b)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (row));
  gint64 us;

  if (b->type == DH_SETTING_DURATION && !dh_duration_parse (text, &us))
    {
      gtk_widget_add_css_class (GTK_WIDGET (row), "error");
      return;
    }
  if (apply (b, text))
    gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
  else
    gtk_widget_add_css_class (GTK_WIDGET (row), "error");
}

static char *
list_to_lines (const char *value)
{
  g_auto(GStrv) parts = g_strsplit (value, ",", -1);

  return g_strjoinv ("\n", parts);
}

static void list_count_subtitle (Binding *b);

static void
on_list_response (AdwMessageDialog *dialog,
                  const char       *response,
                  Binding          *b)
{
  GtkTextView *view = g_object_get_data (G_OBJECT (dialog), "view");
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter start, end;
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) entries = NULL;
  g_autofree char *value = NULL;

  if (!g_str_equal (response, "save"))
    return;
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    {
      char *hash = strchr (lines[i], '#');
      if (hash)
        *hash = 0;
      g_strstrip (lines[i]);
      if (*lines[i] && strchr (lines[i], ',') == NULL)
        g_strv_builder_add (builder, lines[i]);
    }
  entries = g_strv_builder_end (builder);
  value = g_strjoinv (",", entries);
  apply (b, value);
  list_count_subtitle (b);
}

static void
on_edit_list (GtkButton *button,
              Binding   *b)
{
  DhPreferencesWindow *self = b->self;
  g_autofree char *value = dh_rule_book_get_value_string (book (self), b->rule_id, b->key);
  g_autofree char *lines = list_to_lines (value ? value : "");
  const DhRule *rule = dh_rule_book_find_rule (book (self), b->rule_id);
  AdwMessageDialog *dialog;
  GtkWidget *scrolled, *view;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), setting_title (b->key),
                                                       rule ? rule->title : NULL));
  view = gtk_text_view_new ();
  gtk_text_view_set_monospace (GTK_TEXT_VIEW (view), TRUE);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (view)), lines, -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  setting_title (b->key), -1);
  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), view);
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scrolled), 300);
  gtk_widget_set_size_request (scrolled, 360, -1);
  gtk_widget_add_css_class (scrolled, "card");
  g_object_set_data (G_OBJECT (dialog), "view", view);
  adw_message_dialog_set_extra_child (dialog, scrolled);
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "save", _("_Save"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "save", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "save");
  g_signal_connect (dialog, "response", G_CALLBACK (on_list_response), b);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
list_count_subtitle (Binding *b)
{
  g_autofree char *value = dh_rule_book_get_value_string (book (b->self), b->rule_id, b->key);
  g_auto(GStrv) parts = g_strsplit (value ? value : "", ",", -1);
  guint n = value && *value ? g_strv_length (parts) : 0;
  g_autofree char *subtitle = g_strdup_printf (ngettext ("%u entry", "%u entries", n), n);

  adw_action_row_set_subtitle (ADW_ACTION_ROW (b->widget), subtitle);
}

static Binding *
bind (DhPreferencesWindow *self,
      const char          *rule_id,
      const DhSetting     *s,
      GtkWidget           *widget)
{
  Binding *b = g_new0 (Binding, 1);

  b->self = self;
  b->rule_id = g_strdup (rule_id);
  b->key = g_strdup (s->key);
  b->type = s->type;
  b->widget = widget;
  g_ptr_array_add (self->bindings, b);
  return b;
}

static GtkWidget *
setting_row (DhPreferencesWindow *self,
             const char          *rule_id,
             const char          *rule_title,
             const DhSetting     *s)
{
  g_autofree char *value = dh_rule_book_get_value_string (book (self), rule_id, s->key);
  g_autofree char *a11y = g_strdup_printf ("%s: %s", rule_title, setting_title (s->key));
  GtkWidget *row;
  Binding *b;

  switch (s->type)
    {
    case DH_SETTING_UINT:
    case DH_SETTING_PERCENT:
      {
        GtkWidget *spin = gtk_spin_button_new_with_range (s->type == DH_SETTING_PERCENT ? 0 : 1,
                                                          s->type == DH_SETTING_PERCENT ? 100
                                                                                         : 1000000,
                                                          1);
        row = adw_action_row_new ();
        adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), setting_title (s->key));
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row), setting_subtitle (s->key));
        gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), (double) s->number);
        gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
        gtk_accessible_update_property (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                        a11y, -1);
        adw_action_row_add_suffix (ADW_ACTION_ROW (row), spin);
        b = bind (self, rule_id, s, spin);
        g_signal_connect (spin, "value-changed", G_CALLBACK (on_spin), b);
      }
      break;

    case DH_SETTING_LIST:
      if (value && strlen (value) > LONG_LIST_CHARS)
        {
          GtkWidget *button = gtk_button_new_with_mnemonic (_("_Edit…"));
          g_autofree char *button_a11y = g_strdup_printf (_("Edit %s"), a11y);
          row = adw_action_row_new ();
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), setting_title (s->key));
          gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
          gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                          button_a11y, -1);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
          b = bind (self, rule_id, s, row);
          list_count_subtitle (b);
          g_signal_connect (button, "clicked", G_CALLBACK (on_edit_list), b);
          break;
        }
      G_GNUC_FALLTHROUGH;
    case DH_SETTING_DURATION:
    default:
      row = adw_entry_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), setting_title (s->key));
      adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (row), TRUE);
      gtk_editable_set_text (GTK_EDITABLE (row), value ? value : "");
      gtk_widget_set_tooltip_text (row, setting_subtitle (s->key));
      gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      a11y, -1);
      b = bind (self, rule_id, s, row);
      g_signal_connect (row, "apply", G_CALLBACK (on_entry_apply), b);
      break;
    }
  return row;
}

static void
refresh_values (DhPreferencesWindow *self)
{
  self->updating = TRUE;
  for (guint i = 0; i < self->bindings->len; i++)
    {
      Binding *b = self->bindings->pdata[i];
      g_autofree char *value = dh_rule_book_get_value_string (book (self), b->rule_id, b->key);

      if (value == NULL)
        continue;
      if (ADW_IS_EXPANDER_ROW (b->widget))
        adw_expander_row_set_enable_expansion (ADW_EXPANDER_ROW (b->widget),
                                               g_str_equal (value, "true"));
      else if (GTK_IS_SPIN_BUTTON (b->widget))
        gtk_spin_button_set_value (GTK_SPIN_BUTTON (b->widget), g_ascii_strtod (value, NULL));
      else if (ADW_IS_ENTRY_ROW (b->widget))
        gtk_editable_set_text (GTK_EDITABLE (b->widget), value);
      else if (ADW_IS_ACTION_ROW (b->widget))
        list_count_subtitle (b);
    }
  self->updating = FALSE;
}

static void
on_restore_response (AdwMessageDialog    *dialog,
                     const char          *response,
                     DhPreferencesWindow *self)
{
  DhRuleBook *defaults;

  if (!g_str_equal (response, "restore"))
    return;
  defaults = dh_session_get_defaults (self->session);
  for (guint i = 0; i < self->bindings->len; i++)
    {
      Binding *b = self->bindings->pdata[i];
      g_autofree char *value = dh_rule_book_get_value_string (defaults, b->rule_id, b->key);
      if (value)
        dh_session_set_setting (self->session, b->rule_id, b->key, value, NULL);
    }
  refresh_values (self);
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                    dh_toast_new_plain (_("Every setting is back to its default")));
}

static void
on_restore_clicked (DhPreferencesWindow *self)
{
  AdwMessageDialog *dialog;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self),
                                                       _("Restore the Default Settings?"),
                                                       _("Every threshold, window, list and "
                                                         "allowlist of every rule goes back "
                                                         "to its default.")));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "restore", _("_Restore"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "restore", ADW_RESPONSE_DESTRUCTIVE);
  g_signal_connect (dialog, "response", G_CALLBACK (on_restore_response), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* The expander row's own switch has no name: give it one. */
static void
name_switches (GtkWidget  *widget,
               const char *label)
{
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    {
      if (GTK_IS_SWITCH (c))
        gtk_accessible_update_property (GTK_ACCESSIBLE (c), GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                        -1);
      name_switches (c, label);
    }
}

/* AdwPreferencesWindow's own search button and entry come without names. */
static void
name_search (GtkWidget *widget)
{
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    {
      if (GTK_IS_SEARCH_ENTRY (c))
        gtk_accessible_update_property (GTK_ACCESSIBLE (c), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                        _("Search preferences"), -1);
      else if (GTK_IS_BUTTON (c) && gtk_button_get_icon_name (GTK_BUTTON (c)) &&
               strstr (gtk_button_get_icon_name (GTK_BUTTON (c)), "find"))
        gtk_accessible_update_property (GTK_ACCESSIBLE (c), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                        _("Search"), -1);
      name_search (c);
    }
}

static void
build (DhPreferencesWindow *self)
{
  DhRuleBook *b = book (self);
  AdwPreferencesPage *page = ADW_PREFERENCES_PAGE (adw_preferences_page_new ());
  AdwPreferencesPage *global = ADW_PREFERENCES_PAGE (adw_preferences_page_new ());
  AdwPreferencesGroup *group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  AdwPreferencesGroup *all = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  AdwPreferencesGroup *reset = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  GtkWidget *restore;

  adw_preferences_page_set_title (page, _("Rules"));
  adw_preferences_page_set_icon_name (page, "dialog-warning-symbolic");
  adw_preferences_group_set_title (group, _("Detection Rules"));
  adw_preferences_group_set_description (group, _("Changes apply at once to the logs shown, "
                                                  "and are kept for next time."));

  for (guint r = 0; r < DH_N_RULES; r++)
    {
      const DhRule *rule = dh_rule_book_get_rule (b, r);
      GtkWidget *expander = adw_expander_row_new ();
      g_autofree char *subtitle = NULL;
      g_autofree char *a11y = g_strdup_printf (_("Enable %s"), rule->title);
      Binding *bd;

      subtitle = g_strdup_printf ("%s · %s%s%s", dh_severity_label (rule->severity),
                                  rule->technique.id,
                                  rule->subtechnique.id ? " / " : "",
                                  rule->subtechnique.id ? rule->subtechnique.id : "");
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (expander), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (expander), rule->title);
      adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (expander), subtitle);
      adw_expander_row_set_show_enable_switch (ADW_EXPANDER_ROW (expander), TRUE);
      adw_expander_row_set_enable_expansion (ADW_EXPANDER_ROW (expander),
                                             dh_rule_get_number (rule, "enabled") != 0);
      gtk_accessible_update_property (GTK_ACCESSIBLE (expander), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      rule->title, -1);
      bd = bind (self, rule->id, dh_rule_get_setting (rule, "enabled"), expander);
      g_signal_connect (expander, "notify::enable-expansion", G_CALLBACK (on_enabled), bd);
      name_switches (expander, a11y);

      for (guint i = 0; i < rule->settings->len; i++)
        {
          const DhSetting *s = rule->settings->pdata[i];
          if (g_str_equal (s->key, "enabled"))
            continue;
          adw_expander_row_add_row (ADW_EXPANDER_ROW (expander),
                                    setting_row (self, rule->id, rule->title, s));
        }
      adw_preferences_group_add (group, expander);
    }
  adw_preferences_page_add (page, group);

  adw_preferences_page_set_title (global, _("All Rules"));
  adw_preferences_page_set_icon_name (global, "emblem-system-symbolic");
  adw_preferences_group_set_title (all, _("Allowlists for Every Rule"));
  adw_preferences_group_set_description (all, _("Names and hosts that never raise an alert"));
  {
    const char *keys[] = { "allow", "allow-hosts", "max-evidence" };
    for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
      {
        DhSetting s = { (char *) keys[i], i < 2 ? DH_SETTING_LIST : DH_SETTING_UINT };
        g_autofree char *value = dh_rule_book_get_value_string (b, "all", keys[i]);
        if (s.type == DH_SETTING_UINT)
          s.number = g_ascii_strtoll (value ? value : "0", NULL, 10);
        adw_preferences_group_add (all, setting_row (self, "all", _("All rules"), &s));
      }
  }
  adw_preferences_page_add (global, all);

  restore = gtk_button_new_with_mnemonic (_("_Restore Defaults"));
  gtk_widget_set_halign (restore, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (restore, "pill");
  gtk_widget_add_css_class (restore, "destructive-action");
  g_signal_connect_swapped (restore, "clicked", G_CALLBACK (on_restore_clicked), self);
  adw_preferences_group_add (reset, restore);
  adw_preferences_page_add (global, reset);

  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self), page);
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self), global);
  if (dh_session_get_notifications (self->session))
    adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self),
                                ADW_PREFERENCES_PAGE (dh_notify_page_new (
                                  dh_session_get_notifications (self->session),
                                  dh_session_get_settings (self->session), b)));
}

static void
dh_preferences_window_dispose (GObject *object)
{
  DhPreferencesWindow *self = DH_PREFERENCES_WINDOW (object);

  g_clear_object (&self->session);
  G_OBJECT_CLASS (dh_preferences_window_parent_class)->dispose (object);
}

static void
dh_preferences_window_finalize (GObject *object)
{
  DhPreferencesWindow *self = DH_PREFERENCES_WINDOW (object);

  g_ptr_array_unref (self->bindings);
  G_OBJECT_CLASS (dh_preferences_window_parent_class)->finalize (object);
}

static void
dh_preferences_window_class_init (DhPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = dh_preferences_window_dispose;
  object_class->finalize = dh_preferences_window_finalize;
}

static void
dh_preferences_window_init (DhPreferencesWindow *self)
{
  self->bindings = g_ptr_array_new_with_free_func (binding_free);
}

/**
 * dh_preferences_window_new:
 * @parent: (nullable): the window it belongs to
 * @session: whose settings are edited
 */
DhPreferencesWindow *
dh_preferences_window_new (GtkWindow *parent,
                           DhSession *session)
{
  DhPreferencesWindow *self = g_object_new (DH_TYPE_PREFERENCES_WINDOW,
                                            "transient-for", parent,
                                            "modal", FALSE,
                                            "search-enabled", TRUE,
                                            "default-width", 640,
                                            "default-height", 720,
                                            "title", _("Preferences"),
                                            NULL);

  self->session = g_object_ref (session);
  build (self);
  dh_a11y_tidy (GTK_WIDGET (self));
  name_search (GTK_WIDGET (self));
  return self;
}
