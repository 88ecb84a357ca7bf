/* dh-overview-page.h: the investigation at a glance
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "dh-page.h"

G_BEGIN_DECLS

#define DH_TYPE_OVERVIEW_PAGE (dh_overview_page_get_type ())

G_DECLARE_FINAL_TYPE (DhOverviewPage, dh_overview_page, DH, OVERVIEW_PAGE, DhPage)

G_END_DECLS
