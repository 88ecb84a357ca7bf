/* dh-hosts-page.h: every source address with its counts and alerts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "dh-page.h"

G_BEGIN_DECLS

#define DH_TYPE_HOSTS_PAGE (dh_hosts_page_get_type ())

G_DECLARE_FINAL_TYPE (DhHostsPage, dh_hosts_page, DH, HOSTS_PAGE, DhPage)

GListModel *dh_hosts_page_get_model (DhHostsPage *self);

G_END_DECLS
