/* dh-pivot.c: context menus that pivot from a host or a name
 *
 * Any host or name shown in a list opens the same menu, by right click,
 * long press, the Menu key or Shift+F10: open the host's timeline, filter
 * the events by it, copy it, or allowlist it for the alert's rule, another
 * rule or all rules. The items are window actions with the value as their
 * target, so the menu never holds widgets or pointers into a store.
 *
 * Labels never contain the value (a log's text in a menu label would be
 * parsed for mnemonics); the value travels only as an action target.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "dh-pivot.h"
#include "dh-investigation.h"

static void
add_item (GMenu      *menu,
          const char *label,
          const char *action,
          GVariant   *target)
{
  g_autoptr(GMenuItem) item = g_menu_item_new (label, NULL);

  g_menu_item_set_action_and_target_value (item, action, target);
  g_menu_append_item (menu, item);
}

static void
add_allow (GMenu      *section,
           DhRuleBook *book,
           const char *action,
           const char *value,
           const char *rule_id,
           gboolean    is_host)
{
  g_autoptr(GMenu) rules = g_menu_new ();

  if (rule_id)
    {
      if (dh_rule_book_find_rule (book, rule_id))
        add_item (section, is_host ? _("_Allowlist Host for This Rule")
                                   : _("_Allowlist Name for This Rule"),
                  action, g_variant_new ("(ss)", rule_id, value));
    }
  for (guint r = 0; r < DH_N_RULES; r++)
    {
      const DhRule *rule = dh_rule_book_get_rule (book, r);
      /* an underscore in a title must not become a mnemonic */
      g_auto(GStrv) parts = g_strsplit (rule->title, "_", -1);
      g_autofree char *label = g_strjoinv ("__", parts);
      add_item (rules, label, action, g_variant_new ("(ss)", rule->id, value));
    }
  g_menu_append_submenu (section, is_host ? _("Allowlist Host for a Rule")
                                          : _("Allowlist Name for a Rule"),
                         G_MENU_MODEL (rules));
  add_item (section, is_host ? _("Allowlist Host for All Rules") : _("Allowlist Name for All Rules"),
            action, g_variant_new ("(ss)", "all", value));
}

/**
 * dh_pivot_menu_new:
 *
 * Returns: (transfer full): the pivot menu for @target
 */
GMenuModel *
dh_pivot_menu_new (DhRuleBook          *book,
                   const DhPivotTarget *target)
{
  GMenu *menu = g_menu_new ();

  if (target->host && *target->host)
    {
      g_autoptr(GMenu) section = g_menu_new ();
      g_autoptr(GMenu) allow = g_menu_new ();
      add_item (section, _("Open Host _Timeline"), "win.pivot-timeline",
                g_variant_new_string (target->host));
      add_item (section, _("Show _Events of This Host"), "win.pivot-host-events",
                g_variant_new_string (target->host));
      add_item (section, _("_Copy Address"), "win.copy-text", g_variant_new_string (target->host));
      g_menu_append_section (menu, NULL, G_MENU_MODEL (section));
      if (book)
        {
          add_allow (allow, book, "win.allow-host", target->host, target->rule_id, TRUE);
          g_menu_append_section (menu, NULL, G_MENU_MODEL (allow));
        }
    }
  if (target->name && *target->name)
    {
      g_autoptr(GMenu) section = g_menu_new ();
      g_autoptr(GMenu) allow = g_menu_new ();
      add_item (section, _("Show Events for This _Name"), "win.pivot-name-events",
                g_variant_new_string (target->name));
      add_item (section, _("Copy _Name"), "win.copy-text", g_variant_new_string (target->name));
      g_menu_append_section (menu, NULL, G_MENU_MODEL (section));
      if (book)
        {
          add_allow (allow, book, "win.allow-name", target->name, target->rule_id, FALSE);
          g_menu_append_section (menu, NULL, G_MENU_MODEL (allow));
        }
    }
  return G_MENU_MODEL (menu);
}

/* Unparented once the chosen item's action has run. */
static gboolean
unparent_popover (gpointer data)
{
  gtk_widget_unparent (data);
  return G_SOURCE_REMOVE;
}

static void
on_popover_closed (GtkPopover *popover)
{
  g_idle_add_full (G_PRIORITY_DEFAULT, unparent_popover, g_object_ref (popover), g_object_unref);
}

/**
 * dh_pivot_popup:
 * @x: where to point, in @widget's coordinates
 *
 * Shows @menu as a context menu on @widget.
 */
void
dh_pivot_popup (GtkWidget  *widget,
                double      x,
                double      y,
                GMenuModel *menu)
{
  GtkWidget *popover = gtk_popover_menu_new_from_model (menu);

  gtk_widget_set_parent (popover, widget);
  gtk_popover_set_has_arrow (GTK_POPOVER (popover), FALSE);
  gtk_widget_set_halign (popover, GTK_ALIGN_START);
  gtk_popover_set_pointing_to (GTK_POPOVER (popover), &(GdkRectangle) { x, y, 1, 1 });
  g_signal_connect (popover, "closed", G_CALLBACK (on_popover_closed), NULL);
  gtk_popover_popup (GTK_POPOVER (popover));
}

/* The rules of the investigation the widget's window presents (its
 * "investigation" property), if any. */
static DhRuleBook *
book_of (GtkWidget *widget)
{
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autoptr(DhInvestigation) investigation = NULL;

  if (root == NULL || g_object_class_find_property (G_OBJECT_GET_CLASS (root),
                                                    "investigation") == NULL)
    return NULL;
  g_object_get (root, "investigation", &investigation, NULL);
  /* the window keeps the investigation, and the investigation its rules */
  return investigation ? dh_investigation_get_rule_book (investigation) : NULL;
}

/**
 * dh_pivot_mark_cell:
 *
 * Marks a cell's widget (in a factory's setup) as showing a host and/or a
 * name of @list_item, so a right click on it opens the menu for that value.
 */
void
dh_pivot_mark_cell (GtkWidget    *cell,
                    GtkListItem  *list_item,
                    DhPivotKinds  kinds)
{
  g_object_set_data (G_OBJECT (cell), "dh-pivot-item", list_item);
  g_object_set_data (G_OBJECT (cell), "dh-pivot-kinds", GUINT_TO_POINTER (kinds));
}

typedef struct
{
  GtkSingleSelection *selection;
  DhPivotTargetFunc   func;
} Attach;

static void
popup_for (GtkWidget    *list,
           gpointer      item,
           DhPivotKinds  kinds,
           DhPivotTargetFunc func,
           double        x,
           double        y)
{
  DhPivotTarget target = { 0 };
  g_autoptr(GMenuModel) menu = NULL;

  func (item, kinds, &target);
  if (!(kinds & DH_PIVOT_HOST))
    target.host = NULL;
  if (!(kinds & DH_PIVOT_NAME))
    target.name = NULL;
  if (target.host == NULL && target.name == NULL)
    return;
  menu = dh_pivot_menu_new (book_of (list), &target);
  dh_pivot_popup (list, x, y, menu);
}

static void
on_pressed (GtkGestureClick *gesture,
            int              n_press,
            double           x,
            double           y,
            Attach          *a)
{
  GtkWidget *list = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture));
  GtkWidget *w = gtk_widget_pick (list, x, y, GTK_PICK_DEFAULT);

  for (; w && w != list; w = gtk_widget_get_parent (w))
    {
      GtkListItem *li = g_object_get_data (G_OBJECT (w), "dh-pivot-item");
      if (li && gtk_list_item_get_item (li))
        {
          guint pos = gtk_list_item_get_position (li);
          DhPivotKinds kinds = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (w),
                                                                    "dh-pivot-kinds"));
          if (a->selection && pos != GTK_INVALID_LIST_POSITION)
            gtk_single_selection_set_selected (a->selection, pos);
          gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
          popup_for (list, gtk_list_item_get_item (li), kinds, a->func, x, y);
          return;
        }
    }
}

static void
on_long_pressed (GtkGestureLongPress *gesture,
                 double               x,
                 double               y,
                 Attach              *a)
{
  on_pressed ((GtkGestureClick *) gesture, 1, x, y, a);
}

static gboolean
on_menu_key (GtkWidget *list,
             GVariant  *args,
             gpointer   user_data)
{
  Attach *a = g_object_get_data (G_OBJECT (list), "dh-pivot-attach");
  gpointer item = a && a->selection ? gtk_single_selection_get_selected_item (a->selection) : NULL;
  GtkRoot *root = gtk_widget_get_root (list);
  GtkWidget *focus = root ? gtk_root_get_focus (root) : NULL;
  graphene_rect_t bounds;
  double x = 24, y = 24;

  if (item == NULL)
    return FALSE;
  if (focus && gtk_widget_is_ancestor (focus, list) &&
      gtk_widget_compute_bounds (focus, list, &bounds))
    {
      x = bounds.origin.x + 24;
      y = bounds.origin.y + bounds.size.height / 2;
    }
  popup_for (list, item, DH_PIVOT_BOTH, a->func, x, y);
  return TRUE;
}

/**
 * dh_pivot_attach:
 * @list: a list or column view whose cells were marked with
 *   dh_pivot_mark_cell()
 * @selection: (nullable): its selection, for the keyboard and to select the
 *   row that is right-clicked
 *
 * Opens the pivot menu on right click or long press over a marked cell, and
 * on Menu or Shift+F10 for the selected row.
 */
void
dh_pivot_attach (GtkWidget          *list,
                 GtkSingleSelection *selection,
                 DhPivotTargetFunc   func)
{
  Attach *a = g_new0 (Attach, 1);
  GtkGesture *click = gtk_gesture_click_new ();
  GtkGesture *press = gtk_gesture_long_press_new ();
  GtkEventController *keys = gtk_shortcut_controller_new ();
  GtkShortcutAction *action = gtk_callback_action_new (on_menu_key, NULL, NULL);

  a->selection = selection;
  a->func = func;
  g_object_set_data_full (G_OBJECT (list), "dh-pivot-attach", a, g_free);

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_SECONDARY);
  g_signal_connect (click, "pressed", G_CALLBACK (on_pressed), a);
  gtk_widget_add_controller (list, GTK_EVENT_CONTROLLER (click));

  gtk_gesture_single_set_touch_only (GTK_GESTURE_SINGLE (press), TRUE);
  g_signal_connect (press, "pressed", G_CALLBACK (on_long_pressed), a);
  gtk_widget_add_controller (list, GTK_EVENT_CONTROLLER (press));

  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (keys),
    gtk_shortcut_new (gtk_alternative_trigger_new (gtk_keyval_trigger_new (GDK_KEY_Menu, 0),
                                                   gtk_keyval_trigger_new (GDK_KEY_F10,
                                                                           GDK_SHIFT_MASK)),
                      action));
  gtk_widget_add_controller (list, keys);
}

typedef struct
{
  char *host;
  char *name;
  char *rule_id;
} WidgetTarget;

static void
widget_target_free (gpointer data)
{
  WidgetTarget *t = data;

  g_free (t->host);
  g_free (t->name);
  g_free (t->rule_id);
  g_free (t);
}

static void
widget_popup (GtkWidget *widget,
              double     x,
              double     y)
{
  WidgetTarget *t = g_object_get_data (G_OBJECT (widget), "dh-pivot-target");
  DhPivotTarget target = { t->host, t->name, t->rule_id };
  g_autoptr(GMenuModel) menu = dh_pivot_menu_new (book_of (widget), &target);

  dh_pivot_popup (widget, x, y, menu);
}

static void
widget_pressed (GtkGestureClick *gesture,
                int              n_press,
                double           x,
                double           y)
{
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  widget_popup (gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture)), x, y);
}

static gboolean
widget_menu_key (GtkWidget *widget,
                 GVariant  *args,
                 gpointer   user_data)
{
  widget_popup (widget, 12, gtk_widget_get_height (widget) / 2.0);
  return TRUE;
}

/**
 * dh_pivot_attach_widget:
 *
 * Gives a single widget (a label, a row) the pivot menu for a fixed host
 * and/or name.
 */
void
dh_pivot_attach_widget (GtkWidget  *widget,
                        const char *host,
                        const char *name,
                        const char *rule_id)
{
  WidgetTarget *t = g_new0 (WidgetTarget, 1);
  GtkGesture *click = gtk_gesture_click_new ();
  GtkEventController *keys = gtk_shortcut_controller_new ();

  t->host = g_strdup (host);
  t->name = g_strdup (name);
  t->rule_id = g_strdup (rule_id);
  g_object_set_data_full (G_OBJECT (widget), "dh-pivot-target", t, widget_target_free);

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_SECONDARY);
  g_signal_connect (click, "pressed", G_CALLBACK (widget_pressed), NULL);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (click));
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (keys),
    gtk_shortcut_new (gtk_alternative_trigger_new (gtk_keyval_trigger_new (GDK_KEY_Menu, 0),
                                                   gtk_keyval_trigger_new (GDK_KEY_F10,
                                                                           GDK_SHIFT_MASK)),
                      gtk_callback_action_new (widget_menu_key, NULL, NULL)));
  gtk_widget_add_controller (widget, keys);
}
