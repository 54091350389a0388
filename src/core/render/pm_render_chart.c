#include <strings.h>
#include <string.h>
#include "pm_chart.h"
int pm_chart_format_of(const char *path, pm_chart_format_t *out)
{
    const char *dot = strrchr(path, '.');
    if (!dot) return -1;
    if (!strcasecmp(dot, ".png")) *out = PM_CHART_PNG;
    else if (!strcasecmp(dot, ".svg")) *out = PM_CHART_SVG;
    else if (!strcasecmp(dot, ".pdf")) *out = PM_CHART_PDF;
    else return -1;
    return 0;
}
pm_status_t pm_chart_render(const pm_chart_t *c, pm_chart_format_t f, pm_buf_t *out, pm_error_t *err)
{
    (void)c; (void)f; (void)out;
    return pm_error_set(err, PM_EINTERNAL, "todo");
}
