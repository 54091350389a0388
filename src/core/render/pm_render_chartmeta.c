/*
 * pm_render_chartmeta: the provenance a chart file carries, as the maps' do (pm_render_out.c):
 * the chart is drawn whole into a buffer by cairo (pm_render_chart.c), then this rewrites it.
 *
 *   PNG  cairo's file with pHYs (the dpi), tEXt Software, iTXt Title and Description (the
 *        command line) inserted after IHDR; every other chunk kept as it was, in order.
 *   SVG  a <title> and an RDF <metadata> block after the <svg> tag, and the ids cairo numbers with
 *        process-wide counters ("surface12", "image3") renumbered in order of appearance, so a
 *        file does not depend on what was drawn before it in the same process.
 *
 * Texts pass through pm_redact (a password on the command line is not recorded). The map's
 * writers stream (a dense map is tens of MB); a chart is small, so this works on the whole file.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pm_redact.h"
#include "pm_render_chartmeta.h"
#include "pm_report.h" /* pm_text_escaped */

/* The PNG CRC, bit by bit: only the few small chunks added here are summed (cairo's are copied
 * with their own). */
static unsigned long crc_of(const unsigned char *p, size_t n)
{
    unsigned long crc = 0xffffffffUL;
    for (size_t i = 0; i < n; i++) {
        crc ^= p[i];
        for (int b = 0; b < 8; b++)
            crc = (crc >> 1) ^ (0xedb88320UL & (0UL - (crc & 1)));
    }
    return crc ^ 0xffffffffUL;
}

static void be32(pm_buf_t *b, unsigned long v)
{
    char c[4] = {(char)((v >> 24) & 0xff), (char)((v >> 16) & 0xff), (char)((v >> 8) & 0xff),
                 (char)(v & 0xff)};
    pm_buf_append(b, c, 4);
}

static void chunk(pm_buf_t *b, const char type[4], const void *data, size_t n)
{
    be32(b, (unsigned long)n);
    size_t at = b->len;
    pm_buf_append(b, type, 4);
    if (n)
        pm_buf_append(b, data, n);
    if (!pm_buf_failed(b))
        be32(b, crc_of((const unsigned char *)b->data + at, n + 4));
}

/* iTXt: UTF-8, not compressed, no language or translated keyword; the text redacted. */
static void itxt(pm_buf_t *b, const char *key, const char *text)
{
    pm_buf_t d;
    pm_buf_init(&d);
    char *shown = pm_redact_dup(text);
    pm_buf_append(&d, key, strlen(key) + 1);
    pm_buf_append(&d, "\0\0\0\0", 4);
    pm_buf_puts(&d, shown ? shown : "");
    if (!shown || pm_buf_failed(&d))
        b->failed = 1;
    else
        chunk(b, "iTXt", d.data, d.len);
    free(shown);
    pm_buf_destroy(&d);
}

static uint32_t rd32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

pm_status_t pm_chart_png_meta(pm_buf_t *png, double dpi, const char *title,
                              const char *command_line, const char *version, pm_error_t *err)
{
    const unsigned char *p = (const unsigned char *)png->data;
    if (png->len < 8 + 25 || memcmp(p, "\x89PNG\r\n\x1a\n", 8) || memcmp(p + 12, "IHDR", 4) ||
        rd32(p + 8) != 13)
        return pm_error_set(err, PM_EINTERNAL, "the chart's PNG has no header chunk");
    pm_buf_t out;
    pm_buf_init(&out);
    pm_buf_append(&out, png->data, 8 + 25); /* the signature and IHDR as cairo wrote them */
    unsigned long ppm = (unsigned long)(dpi / 0.0254 + 0.5);
    unsigned char phys[9] = {
        (unsigned char)(ppm >> 24), (unsigned char)(ppm >> 16), (unsigned char)(ppm >> 8),
        (unsigned char)ppm,         (unsigned char)(ppm >> 24), (unsigned char)(ppm >> 16),
        (unsigned char)(ppm >> 8),  (unsigned char)ppm,         1};
    chunk(&out, "pHYs", phys, sizeof phys);
    char sw[96];
    int n = snprintf(sw, sizeof sw, "Software%cpartnermap %s", 0, version);
    chunk(&out, "tEXt", sw, (size_t)n);
    itxt(&out, "Title", title);
    if (command_line)
        itxt(&out, "Description", command_line);
    for (size_t i = 8 + 25; i + 12 <= png->len;) { /* the rest, without a pHYs of cairo's */
        size_t len = rd32(p + i);
        if (len > png->len - i - 12) {
            pm_buf_destroy(&out);
            return pm_error_set(err, PM_EINTERNAL, "the chart's PNG is cut short");
        }
        if (memcmp(p + i + 4, "pHYs", 4))
            pm_buf_append(&out, png->data + i, len + 12);
        i += len + 12;
    }
    if (pm_buf_failed(&out)) {
        pm_buf_destroy(&out);
        return pm_error_set(err, PM_ENOMEM, "out of memory writing the chart's PNG");
    }
    pm_buf_destroy(png);
    *png = out;
    return PM_OK;
}

/* <title> and the RDF block, as the map's SVG has them. */
static void svg_meta(pm_buf_t *b, const char *title, const char *cl, const char *version)
{
    pm_buf_puts(b, "\n<title>");
    pm_text_escaped(b, title, PM_ESCAPE_XML);
    pm_buf_puts(b, "</title>\n<metadata>\n<rdf:RDF "
                   "xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" "
                   "xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n"
                   "<rdf:Description rdf:about=\"\">\n<dc:title>");
    pm_text_escaped(b, title, PM_ESCAPE_XML);
    pm_buf_printf(b, "</dc:title>\n<dc:creator>partnermap %s</dc:creator>\n", version);
    if (cl) {
        pm_buf_puts(b, "<dc:description>");
        pm_text_escaped(b, cl, PM_ESCAPE_XML);
        pm_buf_puts(b, "</dc:description>\n");
    }
    pm_buf_puts(b, "</rdf:Description>\n</rdf:RDF>\n</metadata>");
}

pm_status_t pm_chart_svg_meta(pm_buf_t *svg, const char *title, const char *command_line,
                              const char *version, pm_error_t *err)
{
    static const char *const prefixes[] = {"surface", "image"};
    const char *s = pm_buf_str(svg), *end = s + svg->len;
    const char *tag = strstr(s, "<svg");
    const char *gt = tag ? strchr(tag, '>') : NULL;
    if (!gt)
        return pm_error_set(err, PM_EINTERNAL, "the chart's SVG has no <svg> tag");
    char *t = pm_redact_dup(title), *cl = command_line ? pm_redact_dup(command_line) : NULL;
    pm_buf_t out;
    pm_buf_init(&out);
    if (!t || (command_line && !cl))
        out.failed = 1;
    pm_buf_append(&out, s, (size_t)(gt + 1 - s));
    svg_meta(&out, t ? t : "", cl, version);
    unsigned long old[2][256]; /* ids in order of appearance, per prefix */
    size_t n_old[2] = {0, 0};
    for (const char *p = gt + 1; p < end;) {
        const char *q = p;
        while (q < end && *q != '"' && *q != '#')
            q++;
        pm_buf_append(&out, p, (size_t)(q - p) + (q < end));
        p = q + (q < end);
        for (int k = 0; k < 2 && p < end; k++) {
            size_t pl = strlen(prefixes[k]), nl = 0;
            if ((size_t)(end - p) <= pl || strncmp(p, prefixes[k], pl))
                continue;
            while (p + pl + nl < end && isdigit((unsigned char)p[pl + nl]))
                nl++;
            if (!nl || nl > 20)
                continue;
            unsigned long v = strtoul(p + pl, NULL, 10);
            size_t idx = 0;
            while (idx < n_old[k] && old[k][idx] != v)
                idx++;
            if (idx == n_old[k] && idx < 256)
                old[k][n_old[k]++] = v;
            pm_buf_printf(&out, "%s%zu", prefixes[k], idx + 1);
            p += pl + nl;
            break;
        }
    }
    free(t);
    free(cl);
    if (pm_buf_failed(&out)) {
        pm_buf_destroy(&out);
        return pm_error_set(err, PM_ENOMEM, "out of memory writing the chart's SVG");
    }
    pm_buf_destroy(svg);
    *svg = out;
    return PM_OK;
}
