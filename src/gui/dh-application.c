/* dh-application.c: the DNS Hunt application
 *
 * Opens a window per invocation (files on the command line go to a new
 * window), holds the settings, and owns the app-wide actions and their
 * accelerators.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "dh-application.h"
#include "dh-ui-resources.h"
#include "dh-window.h"

struct _DhApplication
{
  AdwApplication  parent_instance;
  GSettings      *settings;
};

G_DEFINE_FINAL_TYPE (DhApplication, dh_application, ADW_TYPE_APPLICATION)

/**
 * dh_settings_new:
 *
 * Returns: (transfer full) (nullable): the app's settings, or %NULL when the
 *   schema is not installed (running from a build tree without
 *   GSETTINGS_SCHEMA_DIR): the app then works without remembering anything
 */
GSettings *
dh_settings_new (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  if (schema == NULL)
    {
      g_message ("The settings schema %s is not installed; settings will not be kept", APP_ID);
      return NULL;
    }
  return g_settings_new_full (schema, NULL, NULL);
}

/**
 * dh_find_demo_dir:
 *
 * Returns: (transfer full) (nullable): the folder of the demo logs:
 *   $DNSHUNT_DEMO_DIR when set (build-aux/dev.sh run and the tests point it
 *   at the source tree's), else the installed one
 */
char *
dh_find_demo_dir (void)
{
  const char *env = g_getenv ("DNSHUNT_DEMO_DIR");
  const char *dir = env && *env ? env : DH_DEMO_DIR;

  if (g_file_test (dir, G_FILE_TEST_IS_DIR))
    return g_strdup (dir);
  return NULL;
}

static DhWindow *
new_window (DhApplication *self)
{
  return dh_window_new (self);
}

static void
dh_application_activate (GApplication *app)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    window = GTK_WINDOW (new_window (DH_APPLICATION (app)));
  gtk_window_present (window);
}

static void
dh_application_open (GApplication  *app,
                     GFile        **files,
                     int            n_files,
                     const char    *hint)
{
  DhWindow *window = new_window (DH_APPLICATION (app));
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);

  for (int i = 0; i < n_files; i++)
    {
      char *path = g_file_get_path (files[i]);
      if (path)
        g_ptr_array_add (paths, path);
    }
  g_ptr_array_add (paths, NULL);
  gtk_window_present (GTK_WINDOW (window));
  dh_window_open_paths (window, (const char * const *) paths->pdata, FALSE);
}

static void
quit_activated (GSimpleAction *action,
                GVariant      *param,
                gpointer       user_data)
{
  GApplication *app = user_data;
  g_autoptr(GList) windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (app)));

  for (GList *l = windows; l; l = l->next)
    gtk_window_close (l->data);
  g_application_quit (app);
}

static void
new_window_activated (GSimpleAction *action,
                      GVariant      *param,
                      gpointer       user_data)
{
  gtk_window_present (GTK_WINDOW (new_window (user_data)));
}

/* A desktop notification was clicked: its alert in the window that
 * follows (the active one), or in the first. */
static void
show_alert_activated (GSimpleAction *action,
                      GVariant      *param,
                      gpointer       user_data)
{
  GtkApplication *app = user_data;
  GtkWindow *window = gtk_application_get_active_window (app);

  if (!DH_IS_WINDOW (window))
    window = GTK_WINDOW (new_window (user_data));
  dh_window_show_alert (DH_WINDOW (window), g_variant_get_string (param, NULL));
}

static void
about_activated (GSimpleAction *action,
                 GVariant      *param,
                 gpointer       user_data)
{
  GtkApplication *app = user_data;
  static const char *developers[] = { "The DNS Hunt authors", NULL };
  GtkWidget *about;
  /* the about window reads its comments as markup: “ATT&CK” must be escaped */
  g_autofree char *comments = g_markup_escape_text (_("Hunt for threats in Amazon Route 53 "
                                                      "Resolver DNS query logs: ten detection "
                                                      "rules with their MITRE ATT&CK mapping, "
                                                      "per-host timelines and triage."), -1);

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (app),
                        "modal", TRUE,
                        "application-name", _("DNS Hunt"),
                        "application-icon", APP_ID,
                        "developer-name", _("The DNS Hunt authors"),
                        "version", PACKAGE_VERSION,
                        "comments", comments,
                        "website", "https://github.com/dnshunt/dnshunt",
                        "issue-url", "https://github.com/dnshunt/dnshunt/issues",
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "developers", developers,
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static const GActionEntry app_actions[] = {
  { "quit", quit_activated },
  { "new-window", new_window_activated },
  { "about", about_activated },
  { "show-alert", show_alert_activated, "s" },
};

/* Every accelerator of the app, in one place. */
static const struct
{
  const char *action;
  const char *accels[3];
} accels[] = {
  { "app.quit", { "<Control>q", NULL } },
  { "app.new-window", { "<Control>n", NULL } },
  { "win.open", { "<Control>o", NULL } },
  { "win.save-case", { "<Control>s", NULL } },
  { "win.export", { "<Control>e", NULL } },
  { "win.find", { "<Control>f", NULL } },
  { "win.follow-files", { "<Control><Shift>l", NULL } },
  { "win.preferences", { "<Control>comma", NULL } },
  { "win.show-help-overlay", { "<Control>question", NULL } },
  { "window.close", { "<Control>w", NULL } },
  { "win.show-view('overview')", { "<Alt>1", NULL } },
  { "win.show-view('alerts')", { "<Alt>2", NULL } },
  { "win.show-view('hosts')", { "<Alt>3", NULL } },
  { "win.show-view('timeline')", { "<Alt>4", NULL } },
  { "win.show-view('events')", { "<Alt>5", NULL } },
};

static void
dh_application_startup (GApplication *app)
{
  DhApplication *self = DH_APPLICATION (app);

  G_APPLICATION_CLASS (dh_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions, G_N_ELEMENTS (app_actions),
                                   app);
  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (app), accels[i].action,
                                           accels[i].accels);
  self->settings = dh_settings_new ();
}

static void
dh_application_finalize (GObject *object)
{
  DhApplication *self = DH_APPLICATION (object);

  g_clear_object (&self->settings);
  G_OBJECT_CLASS (dh_application_parent_class)->finalize (object);
}

/**
 * dh_application_register_resources:
 *
 * Registers the window's GResource (the .ui templates, the CSS, the icons).
 * It is built with --manual-register, so that plain link_with keeps it:
 * called when the application class is first used, and by the UI tests before
 * they build a widget without one. Safe to call more than once.
 */
void
dh_application_register_resources (void)
{
  static gsize registered = 0;

  if (g_once_init_enter (&registered))
    {
      dh_ui_register_resource ();
      g_once_init_leave (&registered, 1);
    }
}

static void
dh_application_class_init (DhApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  /* before startup, which loads the CSS and the shortcuts window from it */
  dh_application_register_resources ();
  object_class->finalize = dh_application_finalize;
  app_class->startup = dh_application_startup;
  app_class->activate = dh_application_activate;
  app_class->open = dh_application_open;
}

static void
dh_application_init (DhApplication *self)
{
}

DhApplication *
dh_application_new (void)
{
  return g_object_new (DH_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", "/io/github/dnshunt/DnsHunt",
                       NULL);
}

/**
 * dh_application_get_settings:
 *
 * Returns: (transfer none) (nullable): the settings, %NULL without a schema
 */
GSettings *
dh_application_get_settings (DhApplication *self)
{
  return self->settings;
}

/**
 * dh_application_main:
 *
 * Runs the window. Only called for `dnshunt [FILE|DIR …]`; `dnshunt scan`
 * never gets here, so it never touches GTK or a display.
 */
int
dh_application_main (int    argc,
                     char **argv)
{
  g_autoptr(DhApplication) app = NULL;
  gboolean wants_help = FALSE;

  for (int i = 1; i < argc; i++)
    wants_help |= g_str_has_prefix (argv[i], "--help") || g_str_equal (argv[i], "-h");

  g_set_application_name (_("DNS Hunt"));
  /* Without a display GTK would only say "cannot open display": say what
   * works instead. Help needs no display. */
  if (!wants_help && !gtk_init_check ())
    {
      g_printerr (_("dnshunt: cannot open a display for the DNS Hunt window.\n"
                    "To scan logs without one, use “dnshunt scan” "
                    "(see “dnshunt scan --help”).\n"));
      return 1;
    }

  gtk_window_set_default_icon_name (APP_ID);
  app = dh_application_new ();
  g_application_set_option_context_parameter_string (G_APPLICATION (app), _("[FILE|DIR…]"));
  g_application_set_option_context_summary (G_APPLICATION (app),
                                            _("Open Amazon Route 53 Resolver query logs (files, "
                                              "folders, or a saved case) in the DNS Hunt "
                                              "window.\n\nTo scan logs without a display, use "
                                              "“dnshunt scan” (see “dnshunt scan --help”)."));
  return g_application_run (G_APPLICATION (app), argc, argv);
}
