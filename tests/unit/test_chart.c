/*
 * test_chart: the timeline's chart (pm_chart.h) as a file: a golden SVG of a small chart (two
 * statistics, a gap for a period without ties, a rank chart), the same bytes when drawn again
 * after other cairo surfaces (ids renumbered), and the provenance each format carries as the
 * maps do: PNG pHYs, tEXt Software, iTXt Title and Description; SVG <title> and RDF; PDF
 * metadata; a password on the command line never recorded.
 *
 * Set PM_UPDATE_GOLDENS=1 to rewrite the golden on purpose, then review the diff.
 */
#define _GNU_SOURCE /* memmem */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pm_chart.h"
#include "pm_io.h"
#include "pm_runtime.h"
#include "pm_test.h"

#define GOLDEN PM_SOURCE_DIR "/tests/render"
#define CMDLINE "partnermap timeline PG:dbname=ties password=hunter2 --step 10 -o c.svg"

static const double ties_y[4] = {2, 5, NAN, 9};
static const double dens_y[4] = {0.5, 0.25, NAN, 0.125};
static const double rank_a[4] = {1, 1, NAN, 2};
static const double rank_b[4] = {2, 2, NAN, 1};

static void chart(pm_chart_t *c, pm_period_t *p, pm_chart_panel_t *panels, pm_chart_line_t *lines)
{
    static const int years[4][2] = {{1950, 1959}, {1960, 1969}, {1970, 1979}, {1980, 1989}};
    for (int i = 0; i < 4; i++) {
        p[i].from = years[i][0];
        p[i].to = years[i][1];
        snprintf(p[i].label, sizeof p[i].label, "%d–%d", years[i][0], years[i][1]);
    }
    panels[0] = (pm_chart_panel_t){"Ties", ties_y, 1};
    panels[1] = (pm_chart_panel_t){"Density", dens_y, 0};
    lines[0] = (pm_chart_line_t){"Brno", rank_a};
    lines[1] = (pm_chart_line_t){"Sverdlovsk", rank_b};
    memset(c, 0, sizeof *c);
    c->n = 4;
    c->periods = p;
    c->panels = panels;
    c->n_panels = 2;
    c->lines = lines;
    c->n_lines = 2;
    c->rank_max = 2;
    c->rank_title = "Rank by strength";
    c->title = "Twinnings & ties";
    c->credit = "Data: test fixtures.";
    c->command_line = CMDLINE;
    c->version = "0.0-test";
    c->theme = PM_THEME_COLOR;
    c->dpi = 72;
}

static pm_status_t render(pm_chart_format_t f, pm_buf_t *b)
{
    pm_period_t p[4];
    pm_chart_panel_t panels[2];
    pm_chart_line_t lines[2];
    pm_chart_t c;
    chart(&c, p, panels, lines);
    pm_error_t err;
    pm_buf_init(b);
    pm_status_t st = pm_chart_render(&c, f, b, &err);
    if (st)
        fprintf(stderr, "chart: %s\n", err.msg);
    return st;
}

static void test_golden_svg(void)
{
    pm_buf_t b;
    CHECK_INT(render(PM_CHART_SVG, &b), PM_OK);
    char gpath[512];
    snprintf(gpath, sizeof gpath, "%s/chart.svg", GOLDEN);
    if (pm_test_updating_goldens())
        pm_io_write_atomic(gpath, b.data, b.len, NULL);
    char *g = NULL;
    size_t ng = 0;
    pm_io_read_all(gpath, &g, &ng, NULL);
    int same = g && ng == b.len && !memcmp(g, b.data, ng);
    if (!same)
        fprintf(stderr, "the chart differs from golden %s (PM_UPDATE_GOLDENS=1 rewrites it)\n",
                gpath);
    CHECK(same);
    const char *s = pm_buf_str(&b);
    CHECK_CONTAINS(s, "<title>Twinnings &amp; ties</title>");
    CHECK_CONTAINS(s, "<dc:creator>partnermap 0.0-test</dc:creator>");
    CHECK_CONTAINS(s, "<dc:description>partnermap timeline PG:dbname=ties password=");
    CHECK(!strstr(s, "hunter2"));
    /* cairo's ids count surfaces over the process: drawn again after others, the same file */
    pm_buf_t again;
    for (int i = 0; i < 2; i++) {
        CHECK_INT(render(i ? PM_CHART_PDF : PM_CHART_PNG, &again), PM_OK);
        pm_buf_destroy(&again);
    }
    CHECK_INT(render(PM_CHART_SVG, &again), PM_OK);
    CHECK(again.len == b.len && !memcmp(again.data, b.data, b.len));
    pm_buf_destroy(&again);
    pm_buf_destroy(&b);
    free(g);
}

static uint32_t rd32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

/* The chunk of type with keyword key (NULL: any) in the PNG, its data in *data; 0 when none. */
static size_t find_chunk(const pm_buf_t *b, const char *type, const char *key,
                         const unsigned char **data)
{
    const unsigned char *p = (const unsigned char *)b->data;
    for (size_t i = 8; i + 12 <= b->len;) {
        size_t n = rd32(p + i);
        if (!memcmp(p + i + 4, type, 4) && (!key || !strcmp((const char *)p + i + 8, key))) {
            *data = p + i + 8;
            return n;
        }
        i += n + 12;
    }
    return 0;
}

static void test_png_provenance(void)
{
    pm_buf_t b;
    CHECK_INT(render(PM_CHART_PNG, &b), PM_OK);
    const unsigned char *d = NULL;
    CHECK(b.len > 8 && !memcmp(b.data, "\x89PNG\r\n\x1a\n", 8));
    size_t n = find_chunk(&b, "pHYs", NULL, &d);
    CHECK_INT(n, 9);
    if (n == 9)
        CHECK_INT(rd32(d), 2835); /* 72 dpi in pixels per metre */
    n = find_chunk(&b, "tEXt", "Software", &d);
    CHECK(n && !memcmp(d + 9, "partnermap 0.0-test", n - 9));
    n = find_chunk(&b, "iTXt", "Title", &d);
    CHECK(n && n - 10 == strlen("Twinnings & ties") && !memcmp(d + 10, "Twinnings & ties", n - 10));
    n = find_chunk(&b, "iTXt", "Description", &d);
    CHECK(n > 16 && !memcmp(d + 16, "partnermap timeline PG:dbname=ties", 34));
    CHECK(n && !memmem(d, n, "hunter2", 7));
    /* the metadata comes before the image data; the image is still whole */
    const unsigned char *idat = NULL;
    CHECK(find_chunk(&b, "IDAT", NULL, &idat) && idat > d);
    CHECK(find_chunk(&b, "IEND", NULL, &d) == 0 && d &&
          d == (const unsigned char *)b.data + b.len - 4);
    pm_buf_destroy(&b);
}

static void test_pdf_provenance(void)
{
    pm_buf_t b;
    CHECK_INT(render(PM_CHART_PDF, &b), PM_OK);
    CHECK(memmem(b.data, b.len, "(partnermap 0.0-test)", 21) != NULL);
    CHECK(memmem(b.data, b.len, "hunter2", 7) == NULL);
    CHECK(memmem(b.data, b.len, "/CreationDate", 13) == NULL);
    pm_buf_destroy(&b);
}

int main(void)
{
    pm_runtime_init();
    PM_RUN(test_golden_svg);
    PM_RUN(test_png_provenance);
    PM_RUN(test_pdf_provenance);
    pm_runtime_teardown();
    return pm_test_done();
}
