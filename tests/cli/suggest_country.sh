# Issue 15: a suggestion never crosses a country boundary silently ("DPRK" was suggested as
# "DDR", East Germany, with nothing to say that it is another state). When the row gives a
# country, or the name is itself a country's name or code, suggestions in another country are
# named with it; at country level every suggested state is spelled out.
. "$(dirname "$0")/lib.sh"

line() { # PLACE: the report's line of PLACE
    printf '%s\n' "$OUT" | grep "^$1 "
}
has() { # PLACE SUBSTRING LABEL
    case "$(line "$1")" in *"$2"*) ok ;; *) bad "$3: line of '$1' lacks '$2': $(line "$1")" ;; esac
}
lacks() { # PLACE SUBSTRING LABEL
    case "$(line "$1")" in *"$2"*) bad "$3: line of '$1' has '$2': $(line "$1")" ;; *) ok ;; esac
}

# at country level: "DPRK" is not known; its suggestion 'DDR' is said to be East Germany, a
# historical state, and not the place unless the user knows better
cat >"$WORK/states.csv" <<'CSV'
from,to
DPRK,SU
Korea DPR,SU
CSV
run join --level country "$WORK/states.csv"
expect_rc 5 states-unmatched
has DPRK "'DDR' (DD" states-ddr-suggested
has DPRK "'DDR' is East Germany (DD, a historical state until 1990)" states-ddr-named
has DPRK "a different state unless 'DPRK' is a name of it" states-ddr-caveat
has "Korea DPR" "is South Korea (KR)" states-south-korea-named

# regions: a name that is a country ("North Korea": KP) whose suggestions lie elsewhere
cat >"$WORK/regions.csv" <<'CSV'
from,to,from_country,to_country
North Korea,Moskva,,RU
Nord-Pjöngan,Moskva,KP,RU
Saarlnd,Moskva,DD,RU
CSV
run join "$WORK/regions.csv"
expect_rc 5 regions-unmatched
has "North Korea" "outside KP: 'North Karelia' is North Karelia (FI, another country)" \
    regions-country-name
# the GDR (DD) is not all of Germany: a West German land suggested for a DD row says so
has Saarlnd "'Saarland' is Saarland (DE, a successor state)" regions-dd-successor
# the row's country KP and suggestions in KP: nothing to say
has Nord-Pjöngan "'North Pyongan' (PRK-3312" regions-same-country-suggested
lacks Nord-Pjöngan "another country" regions-same-country-quiet

finish
