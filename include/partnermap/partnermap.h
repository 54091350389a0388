/*
 * partnermap: the library behind the partnermap tool, for programs that study partnerships
 * between places. One include for everything public:
 *
 *   pm_runtime_init();                      // once per process: GDAL, PROJ, igraph handlers
 *   pm_net_opts_t o; pm_net_opts_init(&o);  // what to read and compute
 *   o.with_geo = o.with_metrics = 1;
 *   pm_net_t net; pm_error_t err;
 *   if (pm_net_load("ties.csv", &o, &net, NULL, &err)) { puts(err.msg); ... }
 *   // statistics: pm_net_report_write; a map: pm_net_map_prepare + pm_render_map;
 *   // an export: pm_net_export_prepare + pm_export_write; many runs: pm_batch_*
 *   pm_net_destroy(&net);
 *   pm_runtime_teardown();
 *
 * Build with `cc prog.c $(pkg-config --cflags --libs partnermap)` (a static library). Every
 * fallible call returns a pm_status_t and fills a pm_error_t; nothing prints or exits.
 */
#ifndef PARTNERMAP_H
#define PARTNERMAP_H

#include "pm_batch.h"
#include "pm_buf.h"
#include "pm_chart.h"
#include "pm_error.h"
#include "pm_export.h"
#include "pm_geo.h"
#include "pm_io.h"
#include "pm_metric.h"
#include "pm_net.h"
#include "pm_redact.h"
#include "pm_render.h"
#include "pm_report.h"
#include "pm_runtime.h"
#include "pm_sphere.h"
#include "pm_timeline.h"
#include "pm_uncert.h"

#endif
