/* dh-chart.h: a small bar chart or histogram
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef struct
{
  char   *label;      /* plain text, may come from a log */
  double  value;
  double  rgb[3];
} DhChartBar;

#define DH_TYPE_CHART (dh_chart_get_type ())

G_DECLARE_FINAL_TYPE (DhChart, dh_chart, DH, CHART, GtkWidget)

GtkWidget *dh_chart_new            (void);
void       dh_chart_set_bars       (DhChart          *self,
                                    const DhChartBar *bars,
                                    guint             n_bars);
void       dh_chart_set_histogram  (DhChart          *self,
                                    const guint      *values,
                                    guint             n_values,
                                    gint64            start,
                                    gint64            bucket_us);
void       dh_chart_clear          (DhChart          *self);
void       dh_chart_render         (DhChart          *self,
                                    cairo_t          *cr,
                                    double            width,
                                    double            height);

G_END_DECLS
