/* dh-export-dialog.c: writing an incident report from the window
 *
 * A modal window over the investigation: which alerts (the one selected in
 * the alert list, all, or those at or above a severity), the format, the
 * paper (PDF only) and the title. "Export…" asks for a file, then the report
 * is written in a worker (dh_report_write_file_async(), which replaces the
 * file only once the whole report is written) with progress and Cancel. The
 * report carries the analyst's triage and the investigation's inputs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "dh-a11y.h"
#include "dh-export-dialog.h"
#include "dh-toast.h"

struct _DhExportDialog
{
  AdwWindow             parent_instance;

  AdwPreferencesGroup  *form_group;
  AdwComboRow          *scope_row;
  AdwComboRow          *format_row;
  AdwComboRow          *paper_row;
  AdwEntryRow          *title_row;
  AdwPreferencesGroup  *progress_group;
  GtkProgressBar       *progress_bar;
  GtkLabel             *status_label;
  GtkButton            *cancel_button;
  GtkButton            *export_button;

  DhInvestigation      *investigation;
  DhAlertSet           *set;          /* the alerts when the dialog opened */
  int                   selected;     /* index in the set, or -1 */
  AdwToastOverlay      *toasts;       /* weak: where the "Report saved" toast goes */
  GtkNativeDialog      *chooser;
  GCancellable         *cancellable;  /* while writing */
  GFile                *file;         /* being written */
  GError               *error;        /* of the last export */
};

G_DEFINE_FINAL_TYPE (DhExportDialog, dh_export_dialog, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The rows of the format combo, in order. */
static const DhReportFormat formats[] = {
  DH_REPORT_FORMAT_HTML,
  DH_REPORT_FORMAT_PDF,
  DH_REPORT_FORMAT_MARKDOWN,
  DH_REPORT_FORMAT_JSON,
  DH_REPORT_FORMAT_CSV,
};

static DhReportFormat
get_format (DhExportDialog *self)
{
  guint i = adw_combo_row_get_selected (self->format_row);

  return formats[MIN (i, G_N_ELEMENTS (formats) - 1)];
}

/* The indices, in set order, of the alerts the report covers. */
static GArray *
collect_selection (DhExportDialog *self)
{
  GArray *indices = g_array_new (FALSE, FALSE, sizeof (guint));
  guint n = self->set ? dh_alert_set_get_n_alerts (self->set) : 0;
  DhExportScope scope = adw_combo_row_get_selected (self->scope_row);

  for (guint i = 0; i < n; i++)
    {
      const DhAlert *alert = dh_alert_set_get_alert (self->set, i);
      gboolean take;

      switch (scope)
        {
        case DH_EXPORT_SCOPE_SELECTED:
          take = self->selected >= 0 && i == (guint) self->selected;
          break;
        case DH_EXPORT_SCOPE_HIGH:
          take = alert->severity >= DH_SEVERITY_HIGH;
          break;
        case DH_EXPORT_SCOPE_MEDIUM:
          take = alert->severity >= DH_SEVERITY_MEDIUM;
          break;
        case DH_EXPORT_SCOPE_ALL:
        case DH_N_EXPORT_SCOPES:
        default:
          take = TRUE;
          break;
        }
      if (take)
        g_array_append_val (indices, i);
    }
  return indices;
}

static gboolean
is_busy (DhExportDialog *self)
{
  return self->cancellable != NULL;
}

static void
update_state (DhExportDialog *self)
{
  g_autoptr(GArray) indices = collect_selection (self);
  gboolean busy = is_busy (self);
  g_autofree char *subtitle = NULL;

  subtitle = g_strdup_printf (ngettext ("%u alert", "%u alerts", indices->len), indices->len);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->scope_row), subtitle);
  gtk_widget_set_visible (GTK_WIDGET (self->paper_row), get_format (self) == DH_REPORT_FORMAT_PDF);
  gtk_widget_set_sensitive (GTK_WIDGET (self->form_group), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->export_button), !busy && indices->len > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->progress_group), busy);
}

static void
set_status (DhExportDialog *self,
            const char     *text,
            gboolean        is_error)
{
  gtk_label_set_text (self->status_label, text ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), text && *text);
  if (is_error)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "dim-label");
      gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "error");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "dim-label");
    }
}

/* Writing ------------------------------------------------------------------ */

static void
on_progress (double   fraction,
             gpointer user_data)
{
  DhExportDialog *self = user_data;

  gtk_progress_bar_set_fraction (self->progress_bar, CLAMP (fraction, 0.0, 1.0));
}

static void
open_report_done (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = user_data;

  if (!g_app_info_launch_default_for_uri_finish (result, &error))
    g_warning ("Could not open %s: %s", uri, error->message);
}

static void
open_report (AdwToast *toast,
             GFile    *file)
{
  char *uri = g_file_get_uri (file);

  /* the _async form: finding and starting the viewer never blocks the window */
  g_app_info_launch_default_for_uri_async (uri, NULL, NULL, open_report_done, uri);
}

static void
announce_saved (DhExportDialog *self)
{
  AdwToast *toast;

  if (self->toasts == NULL)
    return;
  toast = dh_toast_new_plain (_("Report saved"));
  adw_toast_set_button_label (toast, _("_Open"));
  adw_toast_set_timeout (toast, 10);
  g_signal_connect_data (toast, "button-clicked", G_CALLBACK (open_report),
                         g_object_ref (self->file), (GClosureNotify) (void (*) (void)) g_object_unref,
                         0);
  adw_toast_overlay_add_toast (self->toasts, toast);
}

static void
write_done (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(DhExportDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  g_clear_object (&self->cancellable);
  if (!dh_report_write_file_finish (result, &error))
    {
      g_clear_error (&self->error);
      self->error = g_error_copy (error);
    }
  /* closed while writing: nothing left to show */
  if (self->status_label == NULL || !gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
      return;
    }
  if (error == NULL)
    {
      set_status (self, _("Report saved"), FALSE);
      announce_saved (self);
      update_state (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
      gtk_window_destroy (GTK_WINDOW (self));
      return;
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    set_status (self, _("Export cancelled; no file was written"), FALSE);
  else
    {
      g_autofree char *msg = g_strdup_printf (_("Could not write the report: %s"),
                                              error->message);
      set_status (self, msg, TRUE);
    }
  update_state (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/**
 * dh_export_dialog_export_to_file:
 * @self: the dialog
 * @file: where to write the report
 *
 * Writes the report the dialog describes to @file in a worker, showing its
 * progress; the file chooser ends here, and so do tests. When done, the
 * dialog closes and the parent window shows a "Report saved" toast; on an
 * error the dialog stays, says why, and dh_export_dialog_get_error() has it.
 */
void
dh_export_dialog_export_to_file (DhExportDialog *self,
                                 GFile          *file)
{
  g_autoptr(GArray) indices = NULL;
  g_autoptr(GArray) triage = NULL;
  g_autoptr(GStrvBuilder) inputs_builder = g_strv_builder_new ();
  g_auto(GStrv) inputs = NULL;
  GPtrArray *paths;
  DhReportOptions opts = { 0 };
  const char *title;
  guint n;

  g_return_if_fail (DH_IS_EXPORT_DIALOG (self));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (!is_busy (self));

  if (self->set == NULL)
    return;
  indices = collect_selection (self);
  if (indices->len == 0)
    return;

  /* One verdict per alert of the set, in set order; the strings are the
   * investigation's, and the async call copies them. */
  n = dh_alert_set_get_n_alerts (self->set);
  triage = g_array_sized_new (FALSE, TRUE, sizeof (DhReportTriage), n);
  for (guint i = 0; i < n; i++)
    {
      const DhTriage *t = dh_investigation_lookup_triage (self->investigation,
                                                          dh_alert_set_get_alert (self->set, i));
      DhReportTriage rt = { t ? t->state : DH_TRIAGE_NEW, t ? t->note : NULL };
      g_array_append_val (triage, rt);
    }

  paths = dh_investigation_get_inputs (self->investigation);
  for (guint i = 0; i < paths->len; i++)
    g_strv_builder_add (inputs_builder, paths->pdata[i]);
  inputs = g_strv_builder_end (inputs_builder);

  title = gtk_editable_get_text (GTK_EDITABLE (self->title_row));
  opts.title = title && *title ? title : NULL;
  opts.inputs = paths->len ? (const char * const *) inputs : NULL;
  opts.selection = (const guint *) indices->data;
  opts.n_selection = indices->len;
  opts.triage = (const DhReportTriage *) triage->data;
  opts.paper = adw_combo_row_get_selected (self->paper_row) == 1 ? DH_REPORT_PAPER_LETTER
                                                                 : DH_REPORT_PAPER_A4;
  opts.progress = on_progress;
  opts.progress_data = self;   /* the task holds a reference until its callback */

  g_set_object (&self->file, file);
  g_clear_error (&self->error);
  self->cancellable = g_cancellable_new ();
  gtk_progress_bar_set_fraction (self->progress_bar, 0.0);
  set_status (self, _("Writing the report…"), FALSE);
  update_state (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);

  dh_report_write_file_async (self->set, &opts, get_format (self), file, self->cancellable,
                              write_done, g_object_ref (self));
}

/* The file chooser -------------------------------------------------------- */

static void
on_chooser_response (GtkNativeDialog *chooser,
                     int              response,
                     DhExportDialog  *self)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  gtk_native_dialog_destroy (chooser);
  g_clear_object (&self->chooser);
  if (file)
    dh_export_dialog_export_to_file (self, file);
}

/**
 * dh_export_dialog_suggest_name:
 * @now: (nullable): the time to name the file after; %NULL: now
 *
 * Returns: (transfer full): "dnshunt-report-YYYYMMDD-HHMM.ext" for the format
 */
char *
dh_export_dialog_suggest_name (DhExportDialog *self,
                               GDateTime      *now)
{
  g_autoptr(GDateTime) local = now ? g_date_time_ref (now) : g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (local, "%Y%m%d-%H%M");

  return g_strdup_printf ("dnshunt-report-%s.%s", stamp,
                          dh_report_format_get_extension (get_format (self)));
}

static void
on_export_clicked (DhExportDialog *self)
{
  g_autofree char *name = NULL;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  DhReportFormat format = get_format (self);

  if (is_busy (self) || self->chooser)
    return;
  self->chooser = GTK_NATIVE_DIALOG (gtk_file_chooser_native_new (_("Export Report"),
                                                                  GTK_WINDOW (self),
                                                                  GTK_FILE_CHOOSER_ACTION_SAVE,
                                                                  _("_Export"), NULL));
  gtk_native_dialog_set_modal (self->chooser, TRUE);
  name = dh_export_dialog_suggest_name (self, NULL);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), name);
  gtk_file_filter_set_name (filter, gtk_string_object_get_string (
    GTK_STRING_OBJECT (adw_combo_row_get_selected_item (self->format_row))));
  gtk_file_filter_add_mime_type (filter, dh_report_format_get_mime_type (format));
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  g_signal_connect (self->chooser, "response", G_CALLBACK (on_chooser_response), self);
  gtk_native_dialog_show (self->chooser);
}

static void
on_cancel_clicked (DhExportDialog *self)
{
  if (is_busy (self))
    g_cancellable_cancel (self->cancellable);
  else
    gtk_window_close (GTK_WINDOW (self));
}

/* Life cycle --------------------------------------------------------------- */

/* Enter exports: the header's first button would take the focus otherwise. */
static void
dh_export_dialog_map (GtkWidget *widget)
{
  DhExportDialog *self = DH_EXPORT_DIALOG (widget);

  GTK_WIDGET_CLASS (dh_export_dialog_parent_class)->map (widget);
  gtk_widget_grab_focus (GTK_WIDGET (self->export_button));
}

/* Closed, or destroyed with its window, while writing: stop, and leave the
 * old file, if any, as it was. */
static void
dh_export_dialog_unmap (GtkWidget *widget)
{
  DhExportDialog *self = DH_EXPORT_DIALOG (widget);

  if (self->cancellable)
    g_cancellable_cancel (self->cancellable);
  GTK_WIDGET_CLASS (dh_export_dialog_parent_class)->unmap (widget);
}

static void
dh_export_dialog_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  DhExportDialog *self = DH_EXPORT_DIALOG (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, is_busy (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dh_export_dialog_dispose (GObject *object)
{
  DhExportDialog *self = DH_EXPORT_DIALOG (object);

  if (self->cancellable)
    g_cancellable_cancel (self->cancellable);
  if (self->chooser)
    gtk_native_dialog_destroy (self->chooser);
  g_clear_object (&self->chooser);
  g_clear_weak_pointer (&self->toasts);
  gtk_widget_dispose_template (GTK_WIDGET (self), DH_TYPE_EXPORT_DIALOG);
  G_OBJECT_CLASS (dh_export_dialog_parent_class)->dispose (object);
}

static void
dh_export_dialog_finalize (GObject *object)
{
  DhExportDialog *self = DH_EXPORT_DIALOG (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->investigation);
  g_clear_pointer (&self->set, dh_alert_set_unref);
  g_clear_object (&self->file);
  g_clear_error (&self->error);
  G_OBJECT_CLASS (dh_export_dialog_parent_class)->finalize (object);
}

static void
dh_export_dialog_class_init (DhExportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = dh_export_dialog_get_property;
  object_class->dispose = dh_export_dialog_dispose;
  object_class->finalize = dh_export_dialog_finalize;
  widget_class->map = dh_export_dialog_map;
  widget_class->unmap = dh_export_dialog_unmap;

  /**
   * DhExportDialog:busy:
   *
   * Whether a report is being written.
   */
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/dnshunt/DnsHunt/dh-export-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, DhExportDialog, form_group);
  gtk_widget_class_bind_template_child (widget_class, DhExportDialog, scope_row);
  gtk_widget_class_bind_template_child (widget_class, DhExportDialog, format_row);
  gtk_widget_class_bind_template_child (widget_class, DhExportDialog, paper_row);
  gtk_widget_class_bind_template_child (widget_class, DhExportDialog, title_row);
  gtk_widget_class_bind_template_child (widget_class, DhExportDialog, progress_group);
  gtk_widget_class_bind_template_child (widget_class, DhExportDialog, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, DhExportDialog, status_label);
  gtk_widget_class_bind_template_child (widget_class, DhExportDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, DhExportDialog, export_button);
  gtk_widget_class_bind_template_callback (widget_class, on_export_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_clicked);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
dh_export_dialog_init (DhExportDialog *self)
{
  self->selected = -1;
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_swapped (self->scope_row, "notify::selected", G_CALLBACK (update_state), self);
  g_signal_connect_swapped (self->format_row, "notify::selected", G_CALLBACK (update_state), self);
  dh_a11y_tidy (GTK_WIDGET (self));
}

/**
 * dh_export_dialog_new:
 * @parent: the window the dialog is modal over
 * @toasts: (nullable): where to say that the report is saved
 * @investigation: the alerts, their triage and inputs
 * @selected: the index in the alert set of the alert selected in the alert
 *   list, or -1
 *
 * Returns: (transfer none): a new dialog, not yet shown
 */
DhExportDialog *
dh_export_dialog_new (GtkWindow       *parent,
                      AdwToastOverlay *toasts,
                      DhInvestigation *investigation,
                      int              selected)
{
  DhExportDialog *self;
  DhAlertSet *set;

  g_return_val_if_fail (GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (DH_IS_INVESTIGATION (investigation), NULL);

  self = g_object_new (DH_TYPE_EXPORT_DIALOG, "transient-for", parent, NULL);
  g_set_weak_pointer (&self->toasts, toasts);
  self->investigation = g_object_ref (investigation);
  set = dh_investigation_get_alerts (investigation);
  self->set = set ? dh_alert_set_ref (set) : NULL;
  if (set && selected >= 0 && (guint) selected < dh_alert_set_get_n_alerts (set))
    self->selected = selected;
  update_state (self);
  return self;
}

void
dh_export_dialog_set_scope (DhExportDialog *self,
                            DhExportScope   scope)
{
  g_return_if_fail (DH_IS_EXPORT_DIALOG (self));
  g_return_if_fail (scope < DH_N_EXPORT_SCOPES);

  adw_combo_row_set_selected (self->scope_row, scope);
}

void
dh_export_dialog_set_format (DhExportDialog *self,
                             DhReportFormat  format)
{
  g_return_if_fail (DH_IS_EXPORT_DIALOG (self));

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    if (formats[i] == format)
      adw_combo_row_set_selected (self->format_row, i);
}

void
dh_export_dialog_set_paper (DhExportDialog *self,
                            DhReportPaper   paper)
{
  g_return_if_fail (DH_IS_EXPORT_DIALOG (self));

  adw_combo_row_set_selected (self->paper_row, paper == DH_REPORT_PAPER_LETTER ? 1 : 0);
}

void
dh_export_dialog_set_title (DhExportDialog *self,
                            const char     *title)
{
  g_return_if_fail (DH_IS_EXPORT_DIALOG (self));

  gtk_editable_set_text (GTK_EDITABLE (self->title_row), title ? title : "");
}

/**
 * dh_export_dialog_get_n_selected:
 *
 * Returns: how many alerts the report would cover
 */
guint
dh_export_dialog_get_n_selected (DhExportDialog *self)
{
  g_autoptr(GArray) indices = NULL;

  g_return_val_if_fail (DH_IS_EXPORT_DIALOG (self), 0);

  indices = collect_selection (self);
  return indices->len;
}

gboolean
dh_export_dialog_is_busy (DhExportDialog *self)
{
  g_return_val_if_fail (DH_IS_EXPORT_DIALOG (self), FALSE);

  return is_busy (self);
}

/**
 * dh_export_dialog_get_error:
 *
 * Returns: (nullable) (transfer none): why the last export failed
 */
const GError *
dh_export_dialog_get_error (DhExportDialog *self)
{
  g_return_val_if_fail (DH_IS_EXPORT_DIALOG (self), NULL);

  return self->error;
}
