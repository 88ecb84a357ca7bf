/* dh-test-session.c: what the session's and the window's tests share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "dh-test-session.h"

/* Runs the default main context until @cond holds; a minute at most. */
void
dh_test_run_until (DhTestCondition cond,
                   gpointer        data)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (!cond (data))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
}

gboolean
dh_test_not_analyzing (gpointer investigation)
{
  return !dh_investigation_is_analyzing (investigation);
}

/* a GAsyncReadyCallback for dh_investigation_load_async(): @load is a DhTestLoad */
void
dh_test_load_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      data)
{
  DhTestLoad *r = data;

  r->ok = dh_investigation_load_finish (DH_INVESTIGATION (source), result, &r->report, &r->error);
  r->done = TRUE;
}

gboolean
dh_test_load_finished (gpointer data)
{
  return ((DhTestLoad *) data)->done;
}

/* A new investigation with the default rules, @path read into it. */
DhInvestigation *
dh_test_load (const char *path)
{
  g_autoptr(DhRuleBook) book = dh_rule_book_new (NULL);
  DhInvestigation *inv = dh_investigation_new (book);
  const char *paths[] = { path, NULL };
  DhTestLoad r = { 0 };

  dh_investigation_load_async (inv, paths, NULL, dh_test_load_cb, &r);
  dh_test_run_until (dh_test_load_finished, &r);
  g_assert_no_error (r.error);
  g_assert_true (r.ok);
  dh_load_report_free (r.report);
  return inv;
}
