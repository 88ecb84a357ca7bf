/* dh-live-bar.c: the window's strip for a live CloudWatch Logs source
 *
 * Shows what the source does (pages, events and rate while reading the
 * range; "Following log group X" after), a Disconnect button, and toasts
 * for failed polls. Hidden when no source is connected.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <adwaita.h>

#include "dh-live-bar.h"

struct _DhLiveBar
{
  GtkWidget     parent_instance;

  GtkWidget    *box;
  GtkSpinner   *spinner;
  GtkLabel     *label;
  GtkButton    *button;
  DhLiveSource *source;
};

G_DEFINE_FINAL_TYPE (DhLiveBar, dh_live_bar, GTK_TYPE_WIDGET)

enum {
  NOTICE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* plain text, for whoever shows messages (the window's toasts) */
static void
toast (DhLiveBar  *self,
       const char *text)
{
  g_signal_emit (self, signals[NOTICE], 0, text);
}

static void
update (DhLiveBar *self)
{
  gboolean running = self->source && dh_live_source_is_running (self->source);
  const char *status = self->source ? dh_live_source_get_status (self->source) : NULL;

  gtk_label_set_text (self->label, status ? status : "");
  gtk_spinner_set_spinning (self->spinner, running);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), running);
  gtk_button_set_label (self->button, running ? _("_Disconnect") : _("_Dismiss"));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->button),
                               running ? _("Stop reading from CloudWatch Logs")
                                       : _("Hide this bar; the events read stay"));
  gtk_widget_set_visible (GTK_WIDGET (self), self->source != NULL);
}

static void
on_poll_failed (DhLiveSource *source,
                const char   *message,
                DhLiveBar    *self)
{
  g_autofree char *text = g_strdup_printf (_("CloudWatch: %s (still following)"), message);

  toast (self, text);
}

static void
on_finished (DhLiveSource *source,
             const char   *message,
             DhLiveBar    *self)
{
  if (message)
    {
      g_autofree char *text = g_strdup_printf (_("CloudWatch: %s"), message);
      toast (self, text);
    }
  update (self);
}

static void
on_button_clicked (DhLiveBar *self)
{
  if (self->source && dh_live_source_is_running (self->source))
    dh_live_source_stop (self->source);
  else
    dh_live_bar_set_source (self, NULL);
}

void
dh_live_bar_set_source (DhLiveBar    *self,
                        DhLiveSource *source)
{
  if (self->source)
    {
      g_signal_handlers_disconnect_by_data (self->source, self);
      dh_live_source_stop (self->source);
      g_clear_object (&self->source);
    }
  if (source)
    {
      self->source = g_object_ref (source);
      g_signal_connect_swapped (source, "notify::status", G_CALLBACK (update), self);
      g_signal_connect_swapped (source, "notify::running", G_CALLBACK (update), self);
      g_signal_connect (source, "poll-failed", G_CALLBACK (on_poll_failed), self);
      g_signal_connect (source, "finished", G_CALLBACK (on_finished), self);
    }
  update (self);
}

DhLiveSource *
dh_live_bar_get_source (DhLiveBar *self)
{
  return self->source;
}

const char *
dh_live_bar_get_text (DhLiveBar *self)
{
  return gtk_label_get_text (self->label);
}

/* Cancels the fetch (the Disconnect button). */
void
dh_live_bar_disconnect (DhLiveBar *self)
{
  if (self->source)
    dh_live_source_stop (self->source);
}

static void
dh_live_bar_dispose (GObject *object)
{
  DhLiveBar *self = DH_LIVE_BAR (object);

  dh_live_bar_set_source (self, NULL);
  g_clear_pointer (&self->box, gtk_widget_unparent);
  G_OBJECT_CLASS (dh_live_bar_parent_class)->dispose (object);
}

static void
dh_live_bar_class_init (DhLiveBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dh_live_bar_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "dh-live-bar");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_STATUS);

  /**
   * DhLiveBar::notice:
   * @message: plain text (a poll failed, the connection ended with an error)
   */
  signals[NOTICE] =
    g_signal_new ("notice", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
dh_live_bar_init (DhLiveBar *self)
{
  self->box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_widget_add_css_class (self->box, "toolbar");
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));

  self->spinner = GTK_SPINNER (gtk_spinner_new ());
  gtk_box_append (GTK_BOX (self->box), GTK_WIDGET (self->spinner));
  self->label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->label, 0.0);
  gtk_label_set_ellipsize (self->label, PANGO_ELLIPSIZE_MIDDLE);
  gtk_widget_set_hexpand (GTK_WIDGET (self->label), TRUE);
  gtk_box_append (GTK_BOX (self->box), GTK_WIDGET (self->label));
  self->button = GTK_BUTTON (gtk_button_new_with_mnemonic (_("_Disconnect")));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Disconnect from CloudWatch Logs"), -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("CloudWatch Logs connection"), -1);
  g_signal_connect_swapped (self->button, "clicked", G_CALLBACK (on_button_clicked), self);
  gtk_box_append (GTK_BOX (self->box), GTK_WIDGET (self->button));
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}
