/* dh-page.h: a view of the window, following one investigation
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "dh-investigation.h"

G_BEGIN_DECLS

#define DH_TYPE_PAGE (dh_page_get_type ())

G_DECLARE_DERIVABLE_TYPE (DhPage, dh_page, DH, PAGE, AdwBin)

/**
 * DhPageClass:
 * @investigation_changed: the page was given an investigation (never %NULL):
 *   show it now. The default rebuilds the page.
 * @rebuild: bring the whole page up to date with its investigation, at once;
 *   run by dh_page_queue_rebuild() in an iteration of its own
 * @data_changed: the investigation's #DhInvestigation::data-changed
 * @alerts_changed: the investigation's #DhInvestigation::alerts-changed
 * @focus_search: focus the page's search; returns whether it has one
 */
struct _DhPageClass
{
  AdwBinClass parent_class;

  void     (*investigation_changed) (DhPage *self);
  void     (*rebuild)               (DhPage *self);
  void     (*data_changed)          (DhPage *self);
  void     (*alerts_changed)        (DhPage *self);
  gboolean (*focus_search)          (DhPage *self);
};

DhInvestigation *dh_page_get_investigation (DhPage          *self);
void             dh_page_set_investigation (DhPage          *self,
                                            DhInvestigation *investigation);
void             dh_page_queue_rebuild     (DhPage          *self);
gboolean         dh_page_focus_search      (DhPage          *self);

G_END_DECLS
