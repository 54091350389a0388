/*
 * pm_export_text: the GraphML and GML writers (see pm_export.h for what is written).
 *
 * Both are built in memory. GraphML declares one typed key per column (key id = attribute name,
 * which is what Gephi matches "label", "x", "y" and "weight" on); GML writes UTF-8 as Gephi and
 * igraph read it, with the anchor in a graphics [ x y ] block (Gephi's positions). A value that is
 * not known is left out. Numbers: C locale, 15 significant digits.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "pm_export_int.h"

/* "%.15g" in the C locale (the process never calls setlocale); GML reals get a ".0" so that
 * readers type them as reals. */
static void put_number(pm_buf_t *b, double v, export_col_type_t type, int gml)
{
    char num[40];
    if (type == COL_INT)
        snprintf(num, sizeof num, "%.0f", v);
    else
        snprintf(num, sizeof num, "%.15g", v);
    pm_buf_puts(b, num);
    if (gml && type == COL_REAL && !strpbrk(num, ".e"))
        pm_buf_puts(b, ".0");
}

/* "YYYY-MM-DD" of a COL_DATE cell (the text formats have no date type). */
static void put_date(pm_buf_t *b, const export_column_t *c, double year)
{
    int month, day;
    export_date_of(c, &month, &day);
    pm_buf_printf(b, "%04d-%02d-%02d", (int)year, month, day);
}

/* The columns a graph format writes as attributes: ids, end names and the anchor are written
 * otherwise (element ids, source/target, x/y). */
static int graph_column(const export_column_t *c)
{
    return c->field != P_ID && c->field != P_LON && c->field != P_LAT && c->field != T_FROM_ID &&
           c->field != T_TO_ID && c->field != T_FROM && c->field != T_TO;
}

static const char *graph_name(const export_column_t *c)
{
    return c->field == P_PLACE ? "label" : c->name;
}

static const char *const anchor_keys[] = {"x", "y", "longitude", "latitude"};

/* The graph columns of row `row` that have a value, in GraphML (<data key="k">v</data>) or GML
 * (k "text" or k number: texts and dates quoted, numbers with a decimal point when real). */
static void graph_values(pm_buf_t *b, const pm_export_t *d, const export_schema_t *s, size_t row,
                         int gml)
{
    for (size_t k = 0; k < s->n; k++) {
        const export_column_t *c = &s->col[k];
        const char *text;
        double v;
        export_cell(d, c, row, &text, &v);
        if (!graph_column(c) || (c->type == COL_TEXT ? !text : isnan(v)))
            continue;
        const char *quote = gml && c->type != COL_REAL && c->type != COL_INT ? "\"" : "";
        pm_buf_printf(b, gml ? "    %s %s" : "      <data key=\"%s\">%s", graph_name(c), quote);
        if (c->type == COL_TEXT)
            pm_text_escaped(b, text, gml ? PM_ESCAPE_GML : PM_ESCAPE_XML);
        else if (c->type == COL_DATE)
            put_date(b, c, v);
        else
            put_number(b, v, c->type, gml);
        pm_buf_puts(b, quote);
        pm_buf_puts(b, gml ? "\n" : "</data>\n");
    }
}

void export_graphml(const pm_export_t *d, const export_schema_t *ps, const export_schema_t *ts,
                    pm_buf_t *b)
{
    static const char *const types[] = {"string", "int", "double", "string"};
    pm_buf_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                   "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\"\n"
                   "    xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"\n"
                   "    xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns "
                   "http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n"
                   "  <!-- written by partnermap: x/y and longitude/latitude are the places' "
                   "anchors in degrees (EPSG:4326) -->\n");
    const export_schema_t *tables[2] = {ps, ts};
    for (int t = 0; t < 2; t++)
        for (size_t k = 0; k < tables[t]->n; k++) {
            const export_column_t *c = &tables[t]->col[k];
            if (!graph_column(c))
                continue;
            pm_buf_printf(b, "  <key id=\"%s\" for=\"%s\" attr.name=\"%s\" attr.type=\"%s\"/>\n",
                          graph_name(c), t ? "edge" : "node", graph_name(c), types[c->type]);
            if (c->field == P_PLACE)
                for (size_t a = 0; a < 4; a++)
                    pm_buf_printf(b,
                                  "  <key id=\"%s\" for=\"node\" attr.name=\"%s\" "
                                  "attr.type=\"double\"/>\n",
                                  anchor_keys[a], anchor_keys[a]);
        }
    pm_buf_printf(b, "  <graph id=\"partnermap\" edgedefault=\"%s\">\n",
                  d->directed ? "directed" : "undirected");
    for (size_t i = 0; i < d->n_places; i++) {
        const pm_export_place_t *p = &d->places[i];
        pm_buf_printf(b, "    <node id=\"%zu\">\n", i);
        graph_values(b, d, ps, i, 0);
        if (isfinite(p->lon) && isfinite(p->lat)) {
            double xy[4] = {p->lon, p->lat, p->lon, p->lat};
            for (size_t a = 0; a < 4; a++) {
                pm_buf_printf(b, "      <data key=\"%s\">", anchor_keys[a]);
                put_number(b, xy[a], COL_REAL, 0);
                pm_buf_puts(b, "</data>\n");
            }
        }
        pm_buf_puts(b, "    </node>\n");
    }
    for (size_t e = 0; e < d->n_ties; e++) {
        pm_buf_printf(b, "    <edge id=\"e%zu\" source=\"%zu\" target=\"%zu\">\n", e,
                      d->ties[e].from, d->ties[e].to);
        graph_values(b, d, ts, e, 0);
        pm_buf_puts(b, "    </edge>\n");
    }
    pm_buf_puts(b, "  </graph>\n</graphml>\n");
}

void export_gml(const pm_export_t *d, const export_schema_t *ps, const export_schema_t *ts,
                pm_buf_t *b)
{
    pm_buf_printf(b,
                  "Creator \"partnermap (UTF-8; graphics x/y and longitude/latitude: anchors in "
                  "degrees, EPSG:4326)\"\ngraph\n[\n  directed %d\n",
                  d->directed ? 1 : 0);
    for (size_t i = 0; i < d->n_places; i++) {
        const pm_export_place_t *p = &d->places[i];
        pm_buf_printf(b, "  node\n  [\n    id %zu\n", i);
        graph_values(b, d, ps, i, 1);
        if (isfinite(p->lon) && isfinite(p->lat)) {
            pm_buf_puts(b, "    longitude ");
            put_number(b, p->lon, COL_REAL, 1);
            pm_buf_puts(b, "\n    latitude ");
            put_number(b, p->lat, COL_REAL, 1);
            pm_buf_puts(b, "\n    graphics\n    [\n      x ");
            put_number(b, p->lon, COL_REAL, 1);
            pm_buf_puts(b, "\n      y ");
            put_number(b, p->lat, COL_REAL, 1);
            pm_buf_puts(b, "\n    ]\n");
        }
        pm_buf_puts(b, "  ]\n");
    }
    for (size_t e = 0; e < d->n_ties; e++) {
        pm_buf_printf(b, "  edge\n  [\n    source %zu\n    target %zu\n", d->ties[e].from,
                      d->ties[e].to);
        graph_values(b, d, ts, e, 1);
        pm_buf_puts(b, "  ]\n");
    }
    pm_buf_puts(b, "]\n");
}
