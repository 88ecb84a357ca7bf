/* dh-test-session.h: what the session's and the window's tests share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "dh-investigation.h"

G_BEGIN_DECLS

typedef gboolean (*DhTestCondition) (gpointer data);

/* an asynchronous load's outcome: dh_test_load_cb() fills it */
typedef struct
{
  gboolean      done;
  gboolean      ok;
  DhLoadReport *report;
  GError       *error;
} DhTestLoad;

void             dh_test_run_until     (DhTestCondition  cond,
                                        gpointer         data);
gboolean         dh_test_not_analyzing (gpointer         investigation);
void             dh_test_load_cb       (GObject         *source,
                                        GAsyncResult    *result,
                                        gpointer         load);
gboolean         dh_test_load_finished (gpointer         load);
DhInvestigation *dh_test_load          (const char      *path);

G_END_DECLS
