/* dh-paced-model.h: a list model that hands a view a new list's first rows in steps
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define DH_TYPE_PACED_MODEL (dh_paced_model_get_type ())

G_DECLARE_FINAL_TYPE (DhPacedModel, dh_paced_model, DH, PACED_MODEL, GObject)

DhPacedModel *dh_paced_model_new (GListModel *model);

G_END_DECLS
