/*
 * pm_render_scene: what every part of the renderer shares about a scene's life.
 *
 * pm_render.c builds and destroys a scene, pm_render_out.c frees its geometry as soon as the last
 * figure is drawn; both call this lower file, so the drawing files never call back up into the
 * file that drives them.
 */
#include "pm_render_int.h"

void pm_scene_drop_drawn(pm_scene_t *sc)
{
    pm_arcs_free(sc);
    pm_rings_destroy(&sc->land);
    pm_rings_destroy(&sc->admin1);
    pm_rings_destroy(&sc->nodata);
    pm_rings_destroy(&sc->unstable);
    for (size_t c = 0; c < PM_CLASSIFY_MAX; c++)
        pm_rings_destroy(&sc->classes[c]);
}
