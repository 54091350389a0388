/*
 * pm_export: writing a network of places for other tools: GeoPackage and GeoJSON for QGIS (through
 * OGR), GraphML and GML for Gephi (written here, as text).
 *
 * Input is plain data the caller fills (pm_export_t): places with their unit, anchor point and
 * geometry, ties (graph edges) between them, and any number of per-place metric columns. Nothing
 * is computed here except the ties' lines: a great-circle arc between the two anchors, a point at
 * most densify_km apart, split at the antimeridian so that GIS software draws it the short way.
 *
 * What is written (every output holds the same places, ties and columns):
 *   .gpkg     one file, two layers in EPSG:4326: "places" (the unit's polygon as MultiPolygon, or a
 *             point for point places; a mix of both gives a layer of any geometry) and "ties"
 *             (MultiLineString); a place without geometry, or a tie with an end without anchor,
 *             keeps its row with a null geometry;
 *   .geojson  RFC 7946 FeatureCollections, one per file (GeoJSON has no layers): the places in
 *             X.geojson, the ties in X_ties.geojson (pm_export_ties_path_new); null geometries
 *             as in GeoPackage;
 *   .graphml  GraphML 1.0, UTF-8, one typed key per column; nodes carry x/y (= longitude and
 *             latitude, which Gephi takes as positions) and latitude/longitude (for GeoLayout);
 *   .gml      Graph Modelling Language, UTF-8 (as Gephi and igraph read it; networkx's reader
 *             wants ASCII: use GraphML there); '"' and '&' written as &quot; and &amp;; the anchor
 *             in graphics [ x y ] (Gephi's positions) and as longitude/latitude.
 * Place fields: id (0-based, the node id in GraphML and GML), place (as written), unit, unit_name,
 * name_en, name_ru, country, match, group (when any place has one), anchor_lon, anchor_lat, then
 * the metrics in the caller's order. Tie fields: from_id, to_id, from, to, weight, rows, probable
 * (0/1), length_km, touching (0/1), domestic (0/1), start, end (integer years), start_date,
 * end_date (dates: 1 January of start, 31 December of end; GraphML and GML write them as
 * "YYYY-MM-DD" text), type, confidence, then the tie table's other columns (text, as given) under
 * names made plain identifiers (pm_export_tie_attr_names_new). In GraphML and GML the id is the
 * node id, the place is the "label", the anchor is written as above, and edges carry no from/to
 * columns (they are source and target). A value that is not known (NULL text, NAN number, -1 flag)
 * is a null field in GeoPackage and GeoJSON and is left out in GraphML and GML. Text that is not
 * UTF-8 gets U+FFFD, control characters a space, in every format. Numbers: C locale, 15 significant
 * digits.
 *
 * Outputs are complete or absent: GDAL writes GeoPackage and GeoJSON in memory (/vsimem/: GDAL's
 * GeoJSON writer does not report a failed write, e.g. a full disk), then every file is written
 * by this module to a temporary name beside it, each write checked, and the
 * temporaries are renamed over the destinations only when all of them were written. Should a
 * rename itself fail, the outputs renamed before it stay (the error names the one that failed).
 */
#ifndef PM_EXPORT_H
#define PM_EXPORT_H

#include <limits.h>
#include <stddef.h>

#include <ogr_api.h>

#include "pm_error.h"

typedef enum {
    PM_EXPORT_GPKG = 0,
    PM_EXPORT_GEOJSON,
    PM_EXPORT_GRAPHML,
    PM_EXPORT_GML
} pm_export_format_t;

/* Default spacing of the points along a tie's line. */
#define PM_EXPORT_DENSIFY_KM 50.0

typedef struct pm_export_place {
    const char *name; /* as written in the ties table; not NULL */
    const char *unit; /* the matched unit's code; NULL when none */
    const char *unit_name, *name_en, *name_ru, *country; /* the unit's; may be NULL */
    const char *group; /* the place's group column (a country); may be NULL */
    const char *match; /* how it matched ("name", "point", ...); may be NULL */
    double lon, lat;   /* the anchor in degrees; NAN when none */
    OGRGeometryH geom; /* lent, lon/lat (x = longitude); NULL = none */
} pm_export_place_t;

/* A tie's start or end that is not known. */
#define PM_EXPORT_NO_YEAR INT_MIN

typedef struct pm_export_tie {
    size_t from, to;               /* indices into places */
    double weight;                 /* merged weight */
    size_t rows;                   /* tie rows merged into this tie */
    int probable;                  /* 1 when every merged row was probable, else 0 */
    double length_km;              /* great-circle length; NAN when not measured */
    int touching, domestic;        /* 1, 0, or -1 when unknown */
    int start, end;                /* years; PM_EXPORT_NO_YEAR when not known */
    const char *type, *confidence; /* may be NULL */
    const char *const *attr;       /* [n_tie_attrs] values of the other columns; entries may be
                                    * NULL; the array may be NULL when n_tie_attrs is 0 */
} pm_export_tie_t;

typedef struct pm_export_metric {
    const char *name;     /* column name: letters, digits and '_' */
    int integer;          /* whole numbers: an integer column */
    const double *values; /* [n_places]; NAN = no value */
} pm_export_metric_t;

typedef struct pm_export {
    const pm_export_place_t *places;
    size_t n_places;
    const pm_export_tie_t *ties;
    size_t n_ties;
    const pm_export_metric_t *metrics;
    size_t n_metrics;
    const char *const *tie_attr_names; /* [n_tie_attrs]: the tie table's other columns, as named */
    size_t n_tie_attrs;
    int directed;
    double densify_km; /* spacing of line points; 0 = PM_EXPORT_DENSIFY_KM */
} pm_export_t;

/* The format of path by its extension, case-insensitive: .gpkg, .geojson, .graphml, .gml.
 * Errors: PM_EUSAGE naming the choices. */
pm_status_t pm_export_format_of(const char *path, pm_export_format_t *out, pm_error_t *err);

/* The second file a GeoJSON output writes: "dir/net.geojson" -> "dir/net_ties.geojson" (the
 * extension's case kept). *out is a new string (caller frees), or NULL when path is not GeoJSON.
 * Errors: PM_EUSAGE (unknown extension), PM_ENOMEM. */
pm_status_t pm_export_ties_path_new(const char *path, char **out, pm_error_t *err);

/* The names the tie table's other columns get in every output, [d->n_tie_attrs] (caller frees
 * each and the array): letters, digits and '_' (any other character becomes '_', a leading digit
 * gets "c_"), and a name that is taken (by a place, tie or metric column, an earlier one, or
 * GraphML's label, x, y, longitude, latitude) gets "_2", "_3", ... Errors: PM_ENOMEM. */
pm_status_t pm_export_tie_attr_names_new(const pm_export_t *d, char ***out, pm_error_t *err);

/* Writes data to each of the n paths, in the format of its extension (see the file comment).
 * Errors: PM_EUSAGE (unknown extension, a metric name that is not a plain identifier, a tie
 * naming a place out of range), PM_EIO (a file cannot be created or written: the reason, e.g.
 * "no space left on device", with the destination; GDAL's for GeoPackage and GeoJSON when GDAL
 * fails before the file is written out), PM_EINTERNAL (a GDAL driver missing, a geometry not made),
 * PM_ENOMEM. On failure no destination is touched (but see the file comment on renames). */
pm_status_t pm_export_write(const pm_export_t *data, const char *const *paths, size_t n,
                            pm_error_t *err);

/* The line of a tie from (lon1, lat1) to (lon2, lat2) in degrees: the great-circle arc with a point
 * at least every step_km (<= 0: PM_EXPORT_DENSIFY_KM), as a new MultiLineString (caller destroys)
 * with one part, or two when the arc crosses the antimeridian (the parts meet at longitude 180 and
 * -180). Antipodal ends have no single shortest arc: the line leaves the first end northwards
 * (eastwards from a pole). Errors: PM_EUSAGE (a coordinate not finite), PM_ENOMEM. */
pm_status_t pm_export_tie_line(double lon1, double lat1, double lon2, double lat2, double step_km,
                               OGRGeometryH *out, pm_error_t *err);

#endif
