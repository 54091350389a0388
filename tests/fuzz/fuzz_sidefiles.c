/*
 * fuzz_sidefiles: the CSV side files of a geometry source: bytes -> an aliases, user aliases,
 * composites or places file -> pm_geo_open on a tiny fixture layer -> a few lookups and joins.
 *
 * The first byte chooses the file (0 curated aliases, 1 user aliases, 2 composites, 3 places);
 * the rest is its content. The layer is tests/fuzz/data/tiny_admin1.geojson (8 simplified admin-1
 * units whose codes the fixture files name), converted to FlatGeobuf in /vsimem/ so that opening
 * it per input costs little; this is the slow path of the join, split from fuzz_join. A geo that
 * opens must answer for all its units, and a composite's geometry must be readable (a union of
 * members).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gdal_utils.h>

#include "fuzz.h"
#include "pm_geo.h"
#include "pm_join.h"

static const char *layer = "/vsimem/pmfuzz_tiny_admin1.fgb";

/* The fixture is kept as GeoJSON (text, reviewable) and converted once to FlatGeobuf in memory:
 * GDAL's GeoJSON driver parses the whole text twice per open (to identify it, then to read it),
 * which was a third of the time of an execution. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_runtime_init();
    GDALDatasetH src =
        GDALOpenEx(PM_FUZZ_DATA "/tiny_admin1.geojson", GDAL_OF_VECTOR, NULL, NULL, NULL);
    char *args[] = {"-f", "FlatGeobuf", NULL};
    GDALVectorTranslateOptions *vo = src ? GDALVectorTranslateOptionsNew(args, NULL) : NULL;
    GDALDatasetH dst = vo ? GDALVectorTranslate(layer, NULL, 1, &src, vo, NULL) : NULL;
    GDALVectorTranslateOptionsFree(vo);
    if (src)
        GDALClose(src);
    if (!dst) {
        fprintf(stderr, "fuzz_sidefiles: cannot convert tiny_admin1.geojson to %s\n", layer);
        exit(1);
    }
    GDALClose(dst);
    return 0;
}

static void check_geo(const pm_geo_t *geo, unsigned which)
{
    size_t n = pm_geo_count(geo);
    FUZZ_ASSERT(n >= 8);
    for (size_t u = 0; u < n; u++) {
        const pm_geo_unit_t *unit = pm_geo_unit(geo, u);
        FUZZ_ASSERT(unit != NULL);
        if (unit->kind == PM_UNIT_COMPOSITE && !unit->member_layer) {
            FUZZ_ASSERT(unit->n_members >= 1);
            for (size_t k = 0; k < unit->n_members; k++)
                FUZZ_ASSERT(unit->members[k] < n);
            OGRGeometryH g = NULL;
            pm_error_t err;
            if (pm_geo_geometry(geo, u, &g, &err) == PM_OK)
                OGR_G_DestroyGeometry(g);
        }
        if (unit->kind == PM_UNIT_POINT)
            FUZZ_ASSERT(isfinite(unit->label_lon) && isfinite(unit->label_lat));
        if (unit->name)
            FUZZ_ASSERT(fuzz_valid_utf8(unit->name));
    }
    /* join the first names of the side file's units and aliases */
    pm_place_query_t q[4];
    size_t nq = 0;
    for (size_t u = 8; u < n && nq < 2; u++)
        if (pm_geo_unit(geo, u)->name)
            q[nq++] = (pm_place_query_t){pm_geo_unit(geo, u)->name, NULL, 1970};
    if (which <= 1) {
        q[nq++] = (pm_place_query_t){"Gorky", NULL, 0};
        q[nq++] = (pm_place_query_t){"Almaty", "KZ", 0};
    }
    pm_join_result_t r;
    pm_join_result_init(&r);
    pm_error_t err;
    if (nq && pm_join_run(geo, NULL, q, nq, &r, NULL, &err) == PM_OK) {
        FUZZ_ASSERT(r.n == nq);
        for (size_t i = 0; i < nq; i++)
            if (r.m[i].kind == PM_MATCH_AMBIGUOUS) /* see fuzz_join.c */
                FUZZ_ASSERT(r.m[i].n_cand >= 2 || (r.m[i].n_cand == 1 && r.m[i].note &&
                                                   strstr(r.m[i].note, "name of the country")));
    }
    pm_join_result_destroy(&r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 8192)
        return 0;
    unsigned which = data[0] & 3u;
    const char *path = fuzz_file(1, "csv", data + 1, size - 1);
    if (!path)
        return 0;
    pm_geo_opts_t o;
    pm_geo_opts_init(&o);
    o.source = layer;
    o.data_aliases = which == 0 ? path : "";
    const char *ua[] = {path};
    if (which == 1) {
        o.alias_files = ua;
        o.n_alias_files = 1;
    }
    o.composites_file = which == 2 ? path : "";
    o.places_file = which == 3 ? path : NULL;
    pm_geo_t *geo = NULL;
    pm_error_t err;
    pm_status_t st = pm_geo_open(&o, &geo, &err);
    if (st == PM_OK) {
        check_geo(geo, which);
        pm_geo_free(geo);
    } else {
        FUZZ_ASSERT(st == PM_EDATA || st == PM_EIO || st == PM_ENOMEM || st == PM_EUSAGE);
        FUZZ_ASSERT(err.msg[0] != '\0' && geo == NULL);
    }
    return 0;
}
