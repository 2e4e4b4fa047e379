#!/usr/bin/env bash
# libvirt-session.sh: a private, unprivileged libvirt daemon (qemu:///session)
# whose state lives entirely in one directory, for tests and `make run
# LAUNCH=libvirt`. Nothing of the system's libvirt is touched.
#
#   libvirt-session.sh start DIR   start it; prints shell assignments:
#                                  LIBVIRT_URI=...      connection URI
#                                  LIBVIRT_GUEST_DIR=... a directory the daemon's
#                                                        QEMU may write (serial logs)
#   libvirt-session.sh stop DIR    destroy its running domains, stop it (by PID)
#   libvirt-session.sh uri DIR     print the URI of a running one
#   libvirt-session.sh reachable PATH   can the daemon's user read PATH? (exit 0/1)
#
# As root the daemon runs as an unprivileged user ($LIBVIRT_SESSION_USER,
# default nobody) through setpriv, with HOME and XDG_* pointing into DIR: a
# libvirtd started as root would be the system daemon.
set -euo pipefail

die() { echo "libvirt-session: error: $*" >&2; exit 2; }
[ $# -eq 2 ] || die "usage: $0 start|stop|uri DIR | reachable PATH"
action=$1
as_user=()
if [ "$(id -u)" -eq 0 ]; then
	user=${LIBVIRT_SESSION_USER:-nobody}
	uid=$(id -u "$user") || die "no user $user"
	gid=$(id -g "$user")
	as_user=(setpriv "--reuid=$uid" "--regid=$gid" --clear-groups)
fi
if [ "$action" = reachable ]; then
	"${as_user[@]}" test -r "$2"
	exit
fi
mkdir -p "$2"
dir=$(cd "$2" && pwd)
sock=$dir/run/libvirt/libvirt-sock
uri="qemu+unix:///session?socket=$sock"
pidfile=$dir/libvirtd.pid

# Our daemon, not another process that got its PID later.
running() { [ -f "$pidfile" ] && [ "$(cat "/proc/$(cat "$pidfile")/comm" 2>/dev/null)" = libvirtd ]; }

case $action in
uri)
	running || die "no daemon running for $dir"
	echo "$uri"
	;;
start)
	command -v libvirtd >/dev/null || die "libvirtd not installed (scripts/deps.sh virt)"
	running && die "a daemon runs already for $dir (pid $(cat "$pidfile"))"
	mkdir -p "$dir"/{run,config,cache,home,data,guest}
	chmod 0755 "$dir" "$dir/guest"
	if [ ${#as_user[@]} -gt 0 ]; then
		chown -R "$uid:$gid" "$dir"/{run,config,cache,home,data,guest}
		"${as_user[@]}" test -w "$dir/run" ||
			die "$dir is not reachable by user $user (a parent directory is not searchable by others); use a directory under /tmp"
	fi
	"${as_user[@]}" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME="$dir/home" \
		XDG_RUNTIME_DIR="$dir/run" XDG_CONFIG_HOME="$dir/config" \
		XDG_CACHE_HOME="$dir/cache" XDG_DATA_HOME="$dir/data" \
		libvirtd --timeout 0 >"$dir/libvirtd.log" 2>&1 &
	echo $! >"$pidfile"
	for _ in $(seq 1 300); do
		if [ -S "$sock" ] && virsh -q -c "$uri" version >/dev/null 2>&1; then
			echo "LIBVIRT_URI='$uri'"
			echo "LIBVIRT_GUEST_DIR='$dir/guest'"
			exit 0
		fi
		running || { cat "$dir/libvirtd.log" >&2; die "libvirtd exited at start (log above)"; }
		sleep 0.1
	done
	die "libvirtd did not answer on $sock within 30 s (log: $dir/libvirtd.log)"
	;;
stop)
	running || { rm -f "$pidfile"; exit 0; }
	pid=$(cat "$pidfile")
	# The daemon's QEMU processes are not its children: end them through it.
	for dom in $(virsh -q -c "$uri" list --name 2>/dev/null); do
		virsh -q -c "$uri" destroy "$dom" >/dev/null 2>&1 || true
	done
	kill -TERM "$pid" 2>/dev/null || true
	for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
	kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
	rm -f "$pidfile"
	;;
*) die "unknown action '$action' (start, stop, uri)" ;;
esac
