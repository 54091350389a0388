# The core library's structure, checked on the objects it was built from (docs/ARCHITECTURE.md,
# "Dependencies and state"): the core keeps no state in file statics (the renderer's caches, modes,
# lock and threads belong to a pm_renderer_t; the few process-wide ones are listed below); calls point down (pm_runtime calls no module above
# pm_error; the renderer's and the export's files never call back into the file that drives
# them); the core prints nothing and sets no process policy (signal handlers, allocator, OpenMP),
# which is the program's (src/cli/cli_runtime.c).
source "$(dirname "$0")/lib.sh"

# the objects, flat: modules split over several files are built in sub-folders (src/core/render/...)
CORE=$(dirname "$PM")/CMakeFiles/pmcore.dir/core
OBJ=$(mktemp -d)
trap 'rm -rf "$OBJ"' EXIT
[ -d "$CORE" ] && find "$CORE" -name '*.c.o' -exec ln -s {} "$OBJ"/ \;
if [ ! -f "$OBJ/pm_render.c.o" ]; then
    echo "layers: no objects in $OBJ (the core's build folder moved?)" >&2
    bad "objects found"
    finish
    exit
fi
command -v nm >/dev/null && command -v objdump >/dev/null || { bad "nm and objdump (binutils) needed"; finish; exit; }

defined() { # OBJECT...: the global functions and data they define
    nm --defined-only -g "$@" 2>/dev/null | awk 'NF == 3 {print $3}' | sort -u
}
undefined() { # OBJECT...: the symbols they use from elsewhere
    nm -u "$@" 2>/dev/null | awk '{print $NF}' | sort -u
}
# writable objects with static storage (.bss, .data and their thread-local forms); sanitizers'
# own bookkeeping is not the program's state
writable_statics() { # OBJECT
    objdump -t "$1" | awk '$2 == "l" && $3 == "O" && ($4 ~ /^\.(bss|data|tbss|tdata)(\.|$)/) \
        && $4 !~ /rel\.ro/ {print $NF}' | grep -v -e '^_*asan' -e '^_*ubsan' -e '^\.L' -e '^__odr_asan'
}

# 1. no state in file statics, in any core file (constant tables are read-only data). The few that
#    are process-wide by nature are named here, each with its reason (docs/ARCHITECTURE.md):
#    pm_io.c pending: the temporaries not yet renamed, which the program's signal handler removes
#      (a handler gets no context pointer);
#    pm_norm.c: ICU's transliterators and the generic words, made once (pthread_once, a mutex)
#      and read-only after;
#    pm_buf.c c_locale, c_once: the C locale object, made once.
allowed() { # OBJECT-NAME SYMBOL
    case "$1:$2" in
    pm_io.c.o:pending) return 0 ;;
    pm_norm.c.o:*) return 0 ;;
    pm_buf.c.o:c_locale | pm_buf.c.o:c_once) return 0 ;;
    esac
    return 1
}
for o in "$OBJ"/*.c.o; do
    s=""
    for sym in $(writable_statics "$o"); do
        allowed "$(basename "$o")" "${sym%%.[0-9]*}" || s="$s $sym"
    done
    if [ -z "$s" ]; then ok; else bad "$(basename "$o"): state in file statics:$s"; fi
done

# 2. pm_runtime calls no partnermap module but pm_error (and its adapters)
up=$(undefined "$OBJ/pm_runtime.c.o" | grep '^pm_' | grep -v '^pm_error_' | tr '\n' ' ')
if [ -z "$up" ]; then ok; else bad "pm_runtime calls up into: $up"; fi

# 3. the renderer's files call down only: nothing calls into pm_render.c but the small-multiple
#    compositor above it (pm_render_facet.c, which builds one scene per panel), nothing calls into
#    the compositor, the layer files call nothing in pm_render_out.c
calls_into() { # FROM_OBJECT TO_OBJECT: symbols FROM uses that TO defines
    comm -12 <(undefined "$1") <(defined "$2") | tr '\n' ' '
}
for o in "$OBJ"/pm_render*.c.o; do
    c=$(calls_into "$o" "$OBJ/pm_render_facet.c.o")
    if [ -z "$c" ]; then ok; else bad "$(basename "$o") calls up into pm_render_facet.c: $c"; fi
    [ "$(basename "$o")" = pm_render_facet.c.o ] && continue
    [ "$(basename "$o")" = pm_render.c.o ] && continue
    c=$(calls_into "$o" "$OBJ/pm_render.c.o")
    if [ -z "$c" ]; then ok; else bad "$(basename "$o") calls back into pm_render.c: $c"; fi
done
for f in geom ties text legend opts scene inset; do
    c=$(calls_into "$OBJ/pm_render_$f.c.o" "$OBJ/pm_render_out.c.o")
    if [ -z "$c" ]; then ok; else bad "pm_render_$f.c calls up into pm_render_out.c: $c"; fi
done

# 4. the export writers call down only: the formats' files do not call into pm_export.c
for f in ogr text; do
    c=$(calls_into "$OBJ/pm_export_$f.c.o" "$OBJ/pm_export.c.o")
    if [ -z "$c" ]; then ok; else bad "pm_export_$f.c calls back into pm_export.c: $c"; fi
done

# 5. the core prints nothing, ends nothing and sets no process policy
banned='^(printf|fprintf|vfprintf|vprintf|puts|fputs|putchar|perror|stderr|exit|_exit|abort|sigaction|signal|mallopt|dlsym|omp_set_num_threads)$'
for o in "$OBJ"/*.c.o; do
    u=$(undefined "$o" | grep -E "$banned" | tr '\n' ' ')
    if [ -z "$u" ]; then ok; else bad "$(basename "$o") uses $u (the program's business, not the core's)"; fi
done

# 6. one of each (docs/ARCHITECTURE.md): the renderer's great circles are pm_sphere's (no haversine
#    of its own: no asin), its SVG metadata is escaped by pm_report's pm_text_escaped, the export's
#    text too
u=$(undefined "$OBJ/pm_render_ties.c.o")
for want in pm_sphere_distance_km pm_sphere_vec; do
    if grep -qx "$want" <<<"$u"; then ok; else bad "pm_render_ties.c does not use $want"; fi
done
if grep -qx -e asin -e acos <<<"$u"; then bad "pm_render_ties.c has great-circle maths of its own (asin/acos)"; else ok; fi
for f in pm_render_out pm_export_text pm_export_ogr; do
    if grep -qx pm_text_escaped <<<"$(undefined "$OBJ/$f.c.o")"; then ok; else bad "$f.c does not escape with pm_text_escaped"; fi
done

finish
