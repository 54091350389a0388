/*
 * pm_sphere: great-circle geometry on a sphere of the WGS84 mean radius, the one place it is
 * written: distances (haversine, accurate for near and antipodal points alike), unit vectors of
 * lon/lat points, and the tangent towards another point (for walking along a great circle).
 * Angles are in degrees at the interface, radians inside. Pure functions, thread-safe.
 */
#ifndef PM_SPHERE_H
#define PM_SPHERE_H

#define PM_SPHERE_RADIUS_KM 6371.0088

/* Great-circle distance in km between two lon/lat points (degrees). */
double pm_sphere_distance_km(double lon1, double lat1, double lon2, double lat2);
/* The unit vector of a lon/lat point (x towards 0/0, z towards the north pole). */
void pm_sphere_vec(double lon, double lat, double v[3]);
double pm_sphere_dot(const double a[3], const double b[3]);
/* The angle in radians between unit vectors a and b (atan2 form: exact near 0 and pi). */
double pm_sphere_angle(const double a[3], const double b[3]);
/* t := the unit vector at a, orthogonal to a, towards b (towards the north when b is a's
 * antipode; along the x axis at a pole). */
void pm_sphere_tangent(const double a[3], const double b[3], double t[3]);

#endif
