/*
 * pm_error_adapt: GDAL and igraph errors into per-thread messages (see pm_error_adapt.h).
 */
#include "pm_error_adapt.h"

#include <cpl_error.h>
#include <igraph.h>
#include <stdio.h>

static _Thread_local char gdal_msg[PM_ERROR_MSG_MAX];
static _Thread_local char igraph_msg[PM_ERROR_MSG_MAX];

static void gdal_handler(CPLErr cls, CPLErrorNum num, const char *msg)
{
    (void)num;
    /* Keep the most severe recent message: a failure's reason must not be overwritten by a
     * later debug or warning line. */
    if (cls >= CE_Warning && msg)
        snprintf(gdal_msg, sizeof gdal_msg, "%s", msg);
}

static void igraph_handler(const char *reason, const char *file, int line, igraph_error_t code)
{
    (void)file;
    (void)line;
    snprintf(igraph_msg, sizeof igraph_msg, "%s (%s)", reason ? reason : "unknown",
             igraph_strerror(code));
    IGRAPH_FINALLY_FREE();
}

static void igraph_warn(const char *reason, const char *file, int line)
{
    (void)reason;
    (void)file;
    (void)line;
    /* igraph's warnings (e.g. eigenvector centrality on a graph with no edges) concern cases
     * the metrics module checks itself. */
}

void pm_error_adapt_install(void)
{
    CPLSetErrorHandler(gdal_handler);
    igraph_set_error_handler(igraph_handler);
    igraph_set_warning_handler(igraph_warn);
}

const char *pm_runtime_gdal_msg(void)
{
    return gdal_msg;
}

void pm_runtime_gdal_reset(void)
{
    gdal_msg[0] = '\0';
    CPLErrorReset();
}

const char *pm_runtime_igraph_msg(void)
{
    return igraph_msg;
}

pm_status_t pm_error_from_igraph(pm_error_t *err, int igraph_code, const char *what)
{
    pm_status_t code = igraph_code == IGRAPH_ENOMEM ? PM_ENOMEM : PM_EINTERNAL;
    return pm_error_set(err, code, "%s: %s", what,
                        igraph_msg[0] ? igraph_msg : igraph_strerror(igraph_code));
}
