# shellcheck shell=bash
#
# cgroupv1.sh - helpers for tests that build real cgroups (bash, sourced).
#
# A test names a cgroup once (e.g. "cgtop-live-$$") and these functions
# make it, put processes in it and remove it again in every hierarchy:
#
#   cg_v1_mountpoint CTRL       print where the v1 hierarchy holding CTRL
#                               (cpu, memory, ..., or name=systemd) is mounted
#   cg_v2_mountpoint            print where cgroup2 is mounted (hybrid mode:
#                               /sys/fs/cgroup/unified)
#   cg_v1_writable CTRL...      true if every named v1 hierarchy is mounted
#                               and a directory can be made in it
#   cg_create NAME CTRL...      make NAME in the hierarchy of each CTRL; the
#                               pseudo-controller "unified" means cgroup2.
#                               Hierarchies are de-duplicated (co-mounted
#                               controllers share one directory).  Every
#                               directory made is remembered for cg_cleanup.
#   cg_dir CTRL NAME            print the directory of NAME for CTRL
#   cg_dirs NAME                print every directory made for NAME
#   cg_attach NAME PID          write PID into cgroup.procs of every
#                               directory made for NAME
#   cg_exec NAME CMD [ARG...]   become CMD inside NAME (the subshell moves
#                               itself, then execs), so CMD is in the cgroup
#                               from its first instruction; only in the
#                               background (cg_exec NAME cmd & pid=$!) or in
#                               a subshell
#   cg_run NAME CMD [ARG...]    run CMD inside NAME in the foreground
#   cg_wait_pid NAME PID [SECS] wait until PID is in NAME everywhere
#   cg_pids NAME                print the PIDs in NAME (any hierarchy)
#   cg_remove NAME              rmdir NAME (children first) everywhere,
#                               retrying briefly while exiting tasks leave
#   cg_cleanup                  cg_remove every NAME made, newest first
#
# The caller must kill the processes in a cgroup before removing it.

CG_ROOT=${CG_ROOT:-/sys/fs/cgroup}

# Names made by cg_create (newest last) and, for each name, its directories
# as a newline-separated list.
CG_NAMES=()
declare -gA CG_NAME_DIRS=()

# cg_v1_mountpoint CTRL: mount point of the v1 hierarchy with CTRL.
cg_v1_mountpoint() {
	local want=$1 _dev mnt type opts rest
	while read -r _dev mnt type opts rest; do
		[ "$type" = cgroup ] || continue
		case ",$opts," in
		*",$want,"*)
			printf '%s\n' "$mnt"
			return 0
			;;
		esac
	done </proc/self/mounts
	return 1
}

# cg_v2_mountpoint: mount point of cgroup2 (the first one).
cg_v2_mountpoint() {
	local _dev mnt type rest
	while read -r _dev mnt type rest; do
		if [ "$type" = cgroup2 ]; then
			printf '%s\n' "$mnt"
			return 0
		fi
	done </proc/self/mounts
	return 1
}

# _cg_mount CTRL: mount point for CTRL or "unified".
_cg_mount() {
	if [ "$1" = unified ]; then
		cg_v2_mountpoint
	else
		cg_v1_mountpoint "$1"
	fi
}

# _cg_probe_dir MOUNTPOINT: true if a directory can be made (and removed)
# right under it.
_cg_probe_dir() {
	local probe="$1/cgtop-probe-$$-$RANDOM"
	mkdir "$probe" 2>/dev/null || return 1
	rmdir "$probe" 2>/dev/null
	return 0
}

# cg_v1_writable CTRL...: every hierarchy is mounted and writable.
cg_v1_writable() {
	local c m
	for c in "$@"; do
		m=$(cg_v1_mountpoint "$c") || return 1
		[ -w "$m" ] || return 1
		_cg_probe_dir "$m" || return 1
	done
	return 0
}

# cg_v2_writable: cgroup2 is mounted and a directory can be made in it.
cg_v2_writable() {
	local m
	m=$(cg_v2_mountpoint) || return 1
	[ -w "$m" ] || return 1
	_cg_probe_dir "$m"
}

# cg_create NAME CTRL...: make NAME in each hierarchy.  NAME may contain
# slashes to make a child of a cgroup made before.
cg_create() {
	local name=$1 c m d list="" seen=" "
	shift
	CG_NAMES+=("$name")
	CG_NAME_DIRS[$name]=""
	for c in "$@"; do
		m=$(_cg_mount "$c") || {
			echo "cg_create: no hierarchy for $c" >&2
			return 1
		}
		case $seen in *" $m "*) continue ;; esac
		seen="$seen$m "
		d="$m/$name"
		if ! mkdir "$d"; then
			echo "cg_create: cannot make $d" >&2
			return 1
		fi
		list="$list$d"$'\n'
		# Record as we go so a failure half-way can still be cleaned.
		CG_NAME_DIRS[$name]=$list
	done
	return 0
}

# cg_dir CTRL NAME: directory of NAME in CTRL's hierarchy.
cg_dir() {
	local m
	m=$(_cg_mount "$1") || return 1
	printf '%s/%s\n' "$m" "$2"
}

# cg_dirs NAME: every directory made for NAME, one a line.
cg_dirs() {
	printf '%s' "${CG_NAME_DIRS[$1]-}"
}

# cg_attach NAME PID: move PID into NAME in every hierarchy made for it.
cg_attach() {
	local name=$1 pid=$2 d rc=0
	while IFS= read -r d; do
		[ -n "$d" ] || continue
		if ! echo "$pid" >"$d/cgroup.procs"; then
			echo "cg_attach: cannot move $pid into $d" >&2
			rc=1
		fi
	done <<<"${CG_NAME_DIRS[$name]-}"
	return $rc
}

# cg_exec NAME CMD [ARG...]: become CMD inside NAME.  Only in a subshell
# or in the background: "cg_exec NAME cmd & pid=$!" ($! is then CMD's own
# PID, since the background subshell moves itself and execs), or
# "(cg_exec NAME cmd)".  Use cg_run to run in the foreground.
cg_exec() {
	local name=$1
	shift
	if [ "$BASHPID" = "$$" ]; then
		echo "cg_exec: must run in a subshell (use cg_run or &)" >&2
		return 2
	fi
	cg_attach "$name" "$BASHPID" || exit 126
	exec "$@"
}

# cg_run NAME CMD [ARG...]: run CMD inside NAME in the foreground and
# return its exit status.
cg_run() {
	(cg_exec "$@")
}

# cg_wait_pid NAME PID [SECONDS]: wait (default 5 s) until PID is in NAME
# in every hierarchy made for it, as it is once a background cg_exec has
# moved itself.
cg_wait_pid() {
	local name=$1 pid=$2 secs=${3:-5} d i missing
	for ((i = 0; i < secs * 20; i++)); do
		missing=0
		while IFS= read -r d; do
			[ -n "$d" ] || continue
			grep -qx "$pid" "$d/cgroup.procs" 2>/dev/null || missing=1
		done <<<"${CG_NAME_DIRS[$name]-}"
		[ $missing -eq 0 ] && return 0
		kill -0 "$pid" 2>/dev/null || return 1
		sleep 0.05
	done
	echo "cg_wait_pid: $pid did not join $name" >&2
	return 1
}

# cg_pids NAME: PIDs in NAME in any of its hierarchies, one a line.
cg_pids() {
	local d
	while IFS= read -r d; do
		[ -n "$d" ] && [ -r "$d/cgroup.procs" ] && cat "$d/cgroup.procs"
	done <<<"${CG_NAME_DIRS[$1]-}" | sort -un
}

# _cg_rmdir_tree DIR: remove DIR and every cgroup below it, deepest first.
_cg_rmdir_tree() {
	local dir=$1 sub
	[ -d "$dir" ] || return 0
	# Subdirectories of a cgroup directory are child cgroups.
	while IFS= read -r sub; do
		[ -n "$sub" ] && rmdir "$sub" 2>/dev/null
	done < <(find "$dir" -mindepth 1 -depth -type d 2>/dev/null)
	rmdir "$dir" 2>/dev/null
}

# cg_remove NAME: rmdir NAME in every hierarchy, retrying for up to ~5 s
# while the tasks that were killed finish leaving.
cg_remove() {
	local name=$1 d _try left
	for _try in $(seq 50); do
		left=0
		while IFS= read -r d; do
			[ -n "$d" ] || continue
			_cg_rmdir_tree "$d"
			[ -d "$d" ] && left=1
		done <<<"${CG_NAME_DIRS[$name]-}"
		[ $left -eq 0 ] && break
		sleep 0.1
	done
	if [ $left -ne 0 ]; then
		while IFS= read -r d; do
			[ -n "$d" ] && [ -d "$d" ] &&
				echo "cg_remove: cannot remove $d (tasks: $(tr '\n' ' ' <"$d/cgroup.procs" 2>/dev/null))" >&2
		done <<<"${CG_NAME_DIRS[$name]-}"
		return 1
	fi
	unset "CG_NAME_DIRS[$name]"
	return 0
}

# cg_cleanup: remove every cgroup made with cg_create, newest first (so
# children made as NAME/child go before their parents).
cg_cleanup() {
	local i rc=0
	for ((i = ${#CG_NAMES[@]} - 1; i >= 0; i--)); do
		if [ -n "${CG_NAME_DIRS[${CG_NAMES[$i]}]+set}" ]; then
			cg_remove "${CG_NAMES[$i]}" || rc=1
		fi
	done
	CG_NAMES=()
	return $rc
}
