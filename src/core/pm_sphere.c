/*
 * pm_sphere: great-circle geometry (see pm_sphere.h).
 */
#define _GNU_SOURCE /* M_PI */
#include "pm_sphere.h"

#include <math.h>

double pm_sphere_distance_km(double lon1, double lat1, double lon2, double lat2)
{
    const double rad = M_PI / 180.0;
    double p1 = lat1 * rad, p2 = lat2 * rad;
    double dp = (lat2 - lat1) * rad, dl = (lon2 - lon1) * rad;
    double a = sin(dp / 2) * sin(dp / 2) + cos(p1) * cos(p2) * sin(dl / 2) * sin(dl / 2);
    if (a > 1.0)
        a = 1.0;
    return 2.0 * PM_SPHERE_RADIUS_KM * asin(sqrt(a));
}

void pm_sphere_vec(double lon, double lat, double v[3])
{
    double lo = lon * M_PI / 180, la = lat * M_PI / 180;
    v[0] = cos(la) * cos(lo);
    v[1] = cos(la) * sin(lo);
    v[2] = sin(la);
}

double pm_sphere_dot(const double a[3], const double b[3])
{
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

double pm_sphere_angle(const double a[3], const double b[3])
{
    double cr[3] = {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2],
                    a[0] * b[1] - a[1] * b[0]};
    return atan2(sqrt(pm_sphere_dot(cr, cr)), pm_sphere_dot(a, b));
}

void pm_sphere_tangent(const double a[3], const double b[3], double t[3])
{
    static const double north[3] = {0, 0, 1}, east[3] = {1, 0, 0};
    const double *dirs[3] = {b, north, east};
    for (int k = 0; k < 3; k++) {
        double c = pm_sphere_dot(a, dirs[k]);
        for (int j = 0; j < 3; j++)
            t[j] = dirs[k][j] - c * a[j];
        double len = sqrt(pm_sphere_dot(t, t));
        if (len > 1e-9) {
            for (int j = 0; j < 3; j++)
                t[j] /= len;
            return;
        }
    }
}
