/* dh-alert-detail.c: everything about one alert
 *
 * The rule's texts (description, impact, mitigation, references, MITRE
 * mapping) come from the bundled rule data; the host, the names and the
 * evidence come from the logs and are attacker-controlled, so every one of
 * them goes into a label or row as plain text (use-markup off), never
 * through Pango markup.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "dh-alert-detail.h"
#include "dh-event-columns.h"
#include "dh-event-model.h"
#include "dh-paced-model.h"
#include "dh-pivot.h"
#include "dh-time.h"

#define MAX_NAMES_SHOWN 50

struct _DhAlertDetail
{
  GtkWidget      parent_instance;

  GtkStack      *stack;
  GtkScrolledWindow *scroller;
  GtkLabel      *severity_label;
  GtkLabel      *rule_id_label;
  GtkLabel      *title_label;
  GtkLabel      *host_label;
  GtkButton     *timeline_button;
  GtkButton     *events_button;
  GtkLabel      *summary_label;
  GtkBox        *state_box;
  GtkToggleButton *state_buttons[DH_N_TRIAGE_STATES];
  AdwEntryRow   *note_row;
  GtkListBox    *mitre_list;
  GtkLabel      *description_label;
  GtkLabel      *impact_label;
  GtkBox        *mitigation_box;
  GtkLabel      *names_heading;
  GtkListBox    *names_list;
  GtkLabel      *evidence_heading;
  GtkColumnView *evidence_view;
  GtkListBox    *references_list;

  DhEventModel  *evidence;
  DhAlertItem   *item;
  gboolean       updating;
};

G_DEFINE_FINAL_TYPE (DhAlertDetail, dh_alert_detail, GTK_TYPE_WIDGET)

static void
clear_box (GtkWidget *box)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (box)))
    {
      if (GTK_IS_LIST_BOX (box))
        gtk_list_box_remove (GTK_LIST_BOX (box), child);
      else
        gtk_box_remove (GTK_BOX (box), child);
    }
}

static void
open_uri_row (AdwActionRow *row,
              gpointer      user_data)
{
  const char *uri = g_object_get_data (G_OBJECT (row), "uri");
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (row));

  if (uri && *uri)
    gtk_show_uri (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, uri, GDK_CURRENT_TIME);
}

static GtkWidget *
link_row (const char *title,
          const char *subtitle,
          const char *uri)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon = gtk_image_new_from_icon_name ("adw-external-link-symbolic");
  g_autofree char *tip = NULL;

  /* plain text: reference titles hold “&” (ATT&CK) */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 2);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), icon);
  if (uri && *uri)
    {
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      g_object_set_data_full (G_OBJECT (row), "uri", g_strdup (uri), g_free);
      g_signal_connect (row, "activated", G_CALLBACK (open_uri_row), NULL);
      tip = g_strdup_printf (_("Open %s"), uri);
      gtk_widget_set_tooltip_text (row, tip);
    }
  return row;
}

static void
add_mitre (DhAlertDetail    *self,
           const DhMitreRef *ref,
           const char       *kind)
{
  g_autofree char *title = NULL;

  if (ref->id == NULL)
    return;
  title = g_strdup_printf ("%s %s", ref->id, ref->name ? ref->name : "");
  gtk_list_box_append (self->mitre_list, link_row (title, kind, ref->url));
}

static void
on_timeline_clicked (DhAlertDetail *self)
{
  if (self->item)
    gtk_widget_activate_action (GTK_WIDGET (self), "win.pivot-timeline", "s",
                                dh_alert_item_get_host (self->item));
}

static void
on_events_clicked (DhAlertDetail *self)
{
  if (self->item)
    gtk_widget_activate_action (GTK_WIDGET (self), "win.pivot-host-events", "s",
                                dh_alert_item_get_host (self->item));
}

static void
on_state_toggled (GtkToggleButton *button,
                  DhAlertDetail   *self)
{
  guint state = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "state"));

  if (self->updating || self->item == NULL || !gtk_toggle_button_get_active (button))
    return;
  dh_alert_item_set_state (self->item, state);
}

static void
on_note_apply (DhAlertDetail *self)
{
  if (self->updating || self->item == NULL)
    return;
  dh_alert_item_set_note (self->item, gtk_editable_get_text (GTK_EDITABLE (self->note_row)));
}

static void
fill (DhAlertDetail *self)
{
  DhAlertItem *item = self->item;
  const DhAlert *alert;
  const DhRule *rule;
  DhEventStore *store;
  g_autofree char *host = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *names = NULL;
  g_autofree char *evidence = NULL;
  g_autoptr(GArray) events = NULL;
  char a[DH_TIME_FORMAT_SIZE], b[DH_TIME_FORMAT_SIZE];
  const char *srcid, *vpc;
  const char *sev_classes[] = { "low", "medium", "high" };

  clear_box (GTK_WIDGET (self->mitre_list));
  clear_box (GTK_WIDGET (self->mitigation_box));
  clear_box (GTK_WIDGET (self->names_list));
  clear_box (GTK_WIDGET (self->references_list));
  dh_event_model_clear (self->evidence);

  if (item == NULL)
    {
      gtk_stack_set_visible_child_name (self->stack, "none");
      return;
    }
  gtk_stack_set_visible_child_name (self->stack, "alert");
  alert = dh_alert_item_get_alert (item);
  rule = dh_alert_item_get_rule (item);
  store = dh_alert_item_get_store (item);

  for (guint i = 0; i < G_N_ELEMENTS (sev_classes); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->severity_label), sev_classes[i]);
  gtk_widget_add_css_class (GTK_WIDGET (self->severity_label),
                            sev_classes[CLAMP (alert->severity, 1, 3) - 1]);
  gtk_label_set_text (self->severity_label, dh_severity_label (alert->severity));
  gtk_label_set_text (self->rule_id_label, rule->id);
  gtk_label_set_text (self->title_label, rule->title);

  srcid = dh_alert_item_get_srcid (item);
  vpc = dh_alert_item_get_vpc (item);
  if (*srcid && *vpc)
    host = g_strdup_printf ("%s  ·  %s  ·  %s", dh_alert_item_get_host (item), srcid, vpc);
  else if (*srcid)
    host = g_strdup_printf ("%s  ·  %s", dh_alert_item_get_host (item), srcid);
  else
    host = g_strdup (dh_alert_item_get_host (item));
  gtk_label_set_text (self->host_label, host);   /* plain text: from the log */

  /* Translators: "4 events from 2026-03-02T09:20:21Z to 2026-03-02T09:21:16Z" */
  summary = g_strdup_printf (ngettext ("%u event from %s to %s", "%u events from %s to %s",
                                       alert->count),
                             alert->count, dh_time_format (alert->first_seen, a),
                             dh_time_format (alert->last_seen, b));
  gtk_label_set_text (self->summary_label, summary);

  self->updating = TRUE;
  gtk_toggle_button_set_active (self->state_buttons[dh_alert_item_get_state (item)], TRUE);
  gtk_editable_set_text (GTK_EDITABLE (self->note_row), dh_alert_item_get_note (item));
  self->updating = FALSE;

  add_mitre (self, &rule->tactic, _("Tactic"));
  add_mitre (self, &rule->technique, _("Technique"));
  add_mitre (self, &rule->subtechnique, _("Sub-technique"));

  gtk_label_set_text (self->description_label, rule->description);
  gtk_label_set_text (self->impact_label, rule->impact);
  for (guint i = 0; i < rule->mitigation->len; i++)
    {
      g_autofree char *text = g_strdup_printf ("%u. %s", i + 1,
                                               (const char *) rule->mitigation->pdata[i]);
      GtkWidget *label = gtk_label_new (text);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_selectable (GTK_LABEL (label), TRUE);
      gtk_box_append (self->mitigation_box, label);
    }

  names = g_strdup_printf (ngettext ("%u Distinct Name", "%u Distinct Names", alert->names->len),
                           alert->names->len);
  gtk_label_set_text (self->names_heading, names);
  for (guint i = 0; i < alert->names->len && i < MAX_NAMES_SHOWN; i++)
    {
      const char *name = dh_event_store_get_string (store, g_array_index (alert->names, guint32, i));
      GtkWidget *label = gtk_label_new (name);    /* plain text: from the log */
      GtkWidget *row = gtk_list_box_row_new ();

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_MIDDLE);
      gtk_label_set_selectable (GTK_LABEL (label), TRUE);
      gtk_widget_set_tooltip_text (label, name);
      gtk_widget_add_css_class (label, "dh-name");
      gtk_widget_set_margin_start (label, 12);
      gtk_widget_set_margin_end (label, 12);
      gtk_widget_set_margin_top (label, 8);
      gtk_widget_set_margin_bottom (label, 8);
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), label);
      dh_pivot_attach_widget (row, NULL, name, rule->id);
      gtk_list_box_append (self->names_list, row);
    }
  if (alert->names->len > MAX_NAMES_SHOWN)
    {
      g_autofree char *more = g_strdup_printf (_("… and %u more; every one is in the evidence below"),
                                               alert->names->len - MAX_NAMES_SHOWN);
      GtkWidget *label = gtk_label_new (more);
      gtk_widget_add_css_class (label, "dim-label");
      gtk_widget_set_margin_top (label, 8);
      gtk_widget_set_margin_bottom (label, 8);
      gtk_list_box_append (self->names_list, label);
    }

  evidence = g_strdup_printf (ngettext ("%u Evidence Event", "%u Evidence Events",
                                        alert->events->len), alert->events->len);
  gtk_label_set_text (self->evidence_heading, evidence);
  events = g_array_sized_new (FALSE, FALSE, sizeof (guint32), alert->events->len);
  g_array_append_vals (events, alert->events->data, alert->events->len);
  dh_event_model_set_events (self->evidence, store, events);

  for (guint i = 0; i < rule->references->len; i++)
    {
      const DhReference *ref = rule->references->pdata[i];
      gtk_list_box_append (self->references_list, link_row (ref->title, ref->url, ref->url));
    }

  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scroller), 0);
}

static void
dh_alert_detail_dispose (GObject *object)
{
  DhAlertDetail *self = DH_ALERT_DETAIL (object);
  GtkWidget *child;

  g_clear_object (&self->item);
  gtk_widget_dispose_template (GTK_WIDGET (self), DH_TYPE_ALERT_DETAIL);
  /* the template's root is not always a bound child: unparent it too */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))))
    gtk_widget_unparent (child);
  G_OBJECT_CLASS (dh_alert_detail_parent_class)->dispose (object);
}

static void
dh_alert_detail_finalize (GObject *object)
{
  DhAlertDetail *self = DH_ALERT_DETAIL (object);

  g_clear_object (&self->evidence);
  G_OBJECT_CLASS (dh_alert_detail_parent_class)->finalize (object);
}

static void
dh_alert_detail_class_init (DhAlertDetailClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dh_alert_detail_dispose;
  object_class->finalize = dh_alert_detail_finalize;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/dnshunt/DnsHunt/dh-alert-detail.ui");
  gtk_widget_class_bind_template_child (widget_class, DhAlertDetail, stack);
  gtk_widget_class_bind_template_child (widget_class, DhAlertDetail, scroller);
  gtk_widget_class_bind_template_child (widget_class, DhAlertDetail, severity_label);
  gtk_widget_class_bind_template_child (widget_class, DhAlertDetail, rule_id_label);
  gtk_widget_class_bind_template_child (widget_class, DhAlertDetail, title_label);
  gtk_widget_class_bind_template_child (widget_class, DhAlertDetail, host_label);
  gtk_widget_class_bind_template_child (widget_class, DhAlertDetail, timeline_button);
  gtk_widget_class_bind_template_child (widget_class, DhAlertDetail, events_button);
  gtk_widget_class_bind_template_child (widget_class, DhAlertDetail, summary_label);
  gtk_widget_class_bind_template_child (widget_class, DhAlertDetail, state_box);
  gtk_widget_class_bind_template_child (widget_class, DhAlertDetail, note_row);
  gtk_widget_class_bind_template_child (widget_class, DhAlertDetail, mitre_list);
  gtk_widget_class_bind_template_child (widget_class, DhAlertDetail, description_label);
  gtk_widget_class_bind_template_child (widget_class, DhAlertDetail, impact_label);
  gtk_widget_class_bind_template_child (widget_class, DhAlertDetail, mitigation_box);
  gtk_widget_class_bind_template_child (widget_class, DhAlertDetail, names_heading);
  gtk_widget_class_bind_template_child (widget_class, DhAlertDetail, names_list);
  gtk_widget_class_bind_template_child (widget_class, DhAlertDetail, evidence_heading);
  gtk_widget_class_bind_template_child (widget_class, DhAlertDetail, evidence_view);
  gtk_widget_class_bind_template_child (widget_class, DhAlertDetail, references_list);
}

static void
dh_alert_detail_init (DhAlertDetail *self)
{
  GtkNoSelection *selection;

  gtk_widget_init_template (GTK_WIDGET (self));

  /* one click per state, and each a button assistive tools can press */
  for (guint i = 0; i < DH_N_TRIAGE_STATES; i++)
    {
      GtkWidget *button = gtk_toggle_button_new_with_label (dh_triage_state_label (i));
      g_autofree char *tip = g_strdup_printf (_("Mark as %s"), dh_triage_state_label (i));

      /* named by its label, inside the "Triage state" group; the tooltip
       * describes it */
      gtk_widget_set_tooltip_text (button, tip);
      if (i > 0)
        gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (button), self->state_buttons[0]);
      g_object_set_data (G_OBJECT (button), "state", GUINT_TO_POINTER (i));
      g_signal_connect (button, "toggled", G_CALLBACK (on_state_toggled), self);
      gtk_box_append (self->state_box, button);
      self->state_buttons[i] = GTK_TOGGLE_BUTTON (button);
    }
  g_signal_connect_swapped (self->note_row, "apply", G_CALLBACK (on_note_apply), self);
  g_signal_connect_swapped (self->note_row, "entry-activated", G_CALLBACK (on_note_apply), self);
  g_signal_connect_swapped (self->timeline_button, "clicked", G_CALLBACK (on_timeline_clicked),
                            self);
  g_signal_connect_swapped (self->events_button, "clicked", G_CALLBACK (on_events_clicked), self);

  self->evidence = dh_event_model_new ();
  selection = gtk_no_selection_new (
    G_LIST_MODEL (dh_paced_model_new (G_LIST_MODEL (self->evidence))));
  gtk_column_view_set_model (self->evidence_view, GTK_SELECTION_MODEL (selection));
  g_object_unref (selection);
  dh_event_columns_add (self->evidence_view,
                        DH_EVENT_COLUMN_TIME | DH_EVENT_COLUMN_NAME | DH_EVENT_COLUMN_QTYPE |
                        DH_EVENT_COLUMN_RCODE | DH_EVENT_COLUMN_TRANSPORT |
                        DH_EVENT_COLUMN_ANSWERS);
  dh_pivot_attach (GTK_WIDGET (self->evidence_view), NULL, dh_event_columns_pivot_target);
  fill (self);
}

GtkWidget *
dh_alert_detail_new (void)
{
  return g_object_new (DH_TYPE_ALERT_DETAIL, NULL);
}

/**
 * dh_alert_detail_set_item:
 * @item: (nullable): the alert to show
 */
void
dh_alert_detail_set_item (DhAlertDetail *self,
                          DhAlertItem   *item)
{
  if (self->item == item)
    return;
  g_set_object (&self->item, item);
  fill (self);
}

/* The item shown is the same alert, grown: its figures and evidence again. */
void
dh_alert_detail_refresh (DhAlertDetail *self)
{
  fill (self);
}

DhAlertItem *
dh_alert_detail_get_item (DhAlertDetail *self)
{
  return self->item;
}
