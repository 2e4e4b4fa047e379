#!/usr/bin/env bash
# Configure build/kernel/obj: tinyconfig, then kvm-patches/kernel.config merged on
# top, then olddefconfig. Every option in the fragment must survive (a dependency
# we missed shows up here, not as a mysteriously absent feature at run time).
source "$(dirname "$0")/lib.sh"

frag=$KP_DIR/kernel.config
mkdir -p "$KOBJ"
kp_make -s tinyconfig >/dev/null
"$KSRC/scripts/kconfig/merge_config.sh" -m -O "$KOBJ" "$KOBJ/.config" "$frag" >/dev/null
kp_make -s olddefconfig >/dev/null

# KP_CONFIG_LAX=1 (build-series.sh, prefixes before the last): skip the check.
[ "${KP_CONFIG_LAX:-0}" = 1 ] && exit 0
bad=0
while read -r line; do
	line=${line%%#*}
	[ -n "$line" ] || continue
	opt=${line%%=*} val=${line#*=}
	if [ "$val" = n ]; then
		grep -q "^$opt=" "$KOBJ/.config" && { kp_log "config: $opt should be unset"; bad=1; }
	else
		grep -qx "$opt=$val" "$KOBJ/.config" || { kp_log "config: $opt=$val did not stick"; bad=1; }
	fi
done < <(grep -E '^CONFIG_' "$frag")
[ $bad -eq 0 ] || kp_die "config fragment not satisfied (see above)"
