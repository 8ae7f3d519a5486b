# shellcheck shell=bash
#
# tests/lib/dockerd.sh - run a private, throw-away Docker engine for tests.
#
# Source this file from a bash test script, then:
#
#   dir=$(mktemp -d /tmp/cgtop-dockerd.XXXXXX)
#   trap dockerd_stop EXIT              # safe even if dockerd_start fails
#   dockerd_start "$dir" || exit $?     # 77 = prerequisites missing (skip)
#   dockerd_image cgtop-busybox
#   id=$(dockerd_run --net=none --label managed_by=paunch cgtop-busybox sleep 1000)
#   docker ps                           # DOCKER_HOST points at the private engine
#   ...
#   dockerd_stop                        # or leave it to the EXIT trap
#
# Public functions
#   dockerd_prereqs               check root + binaries; 0 ok, 77 missing (prints why)
#   dockerd_start DIR [DOCKERD_ARG...]
#                                 start containerd + dockerd with all state under DIR,
#                                 wait until the API answers, export DOCKER_HOST.
#                                 Returns 0, 77 (prerequisites missing) or 1 (failed;
#                                 logs printed to stderr, everything already cleaned up).
#   dockerd_image NAME            docker-import a busybox-static image NAME (idempotent)
#   dockerd_cli ARG...            run the docker client against the private engine
#   dockerd_run RUN-ARG...        `docker run -d RUN-ARG...`, print the full ID and
#                                 remember ID + --cgroup-parent for dockerd_stop
#   dockerd_container_pid CTR     print the host pid of a running container's main process
#   dockerd_stop                  remove all containers, stop dockerd and containerd,
#                                 unmount what is left under DIR, remove the (empty)
#                                 cgroups docker created, remove DIR. Idempotent; safe
#                                 from an EXIT trap and with set -e / set -u callers.
#
# Variables set by dockerd_start (read-only for callers)
#   DOCKERD_DIR       absolute DIR
#   DOCKERD_SOCK      DIR/docker.sock
#   DOCKERD_PID       pid of dockerd
#   CONTAINERD_PID    pid of the private containerd
#   DOCKERD_START_MS  how long dockerd_start took, in milliseconds
#   DOCKER_HOST       unix://DIR/docker.sock (exported; restored by dockerd_stop)
#   DOCKER_CONFIG     DIR/client (exported so the client never touches ~/.docker)
#
# Knobs (environment, optional)
#   DOCKERD_DOCKER         docker client to use (default: /usr/bin/docker from the
#                          docker.io package if present, else `docker` from PATH)
#   DOCKERD_START_TIMEOUT  seconds to wait for the API (default 60)
#   DOCKERD_BUSYBOX        static busybox for dockerd_image (default /bin/busybox)
#   DOCKERD_KEEP=1         dockerd_stop keeps DIR (logs, data) for debugging
#   DOCKERD_QUIET=1        less chatter on stderr
#   DOCKERD_DEBUG=1        time-stamped progress of dockerd_stop on stderr
#
# Cgroup clean-up knows the parent of every container that still exists at
# dockerd_stop time (from DIR/data/containers/*/hostconfig.json) and of every
# container started with dockerd_run. A container with a custom --cgroup-parent
# that a test created with plain `docker run` and removed itself may leave its
# (empty) parent cgroup behind.
#
# What is deliberately kept away from the host defaults
#   * containerd is started by us (not by dockerd's supervisor) with root, state,
#     sockets and the "opt" plugin directory under DIR/containerd, and dockerd gets
#     --containerd=DIR/containerd/containerd.sock. dockerd 20.10 would otherwise
#     silently use a system containerd if /run/containerd/containerd.sock exists,
#     and its supervised containerd creates /opt/containerd on the host.
#   * daemon.json is DIR/daemon.json (never /etc/docker/daemon.json) and sets
#     "deprecated-key-path" so the libtrust key goes to DIR/key.json instead of
#     /etc/docker/key.json.
#   * Not avoidable with dockerd 20.10 / containerd 1.6: containerd-shim-runc-v2
#     listens on /run/containerd/s/<sha256> and dockerd creates /run/docker/plugins.
#     dockerd_stop removes those directories again if they did not exist before
#     and are empty.

# ---------------------------------------------------------------- internals

_dockerd_say() {
	[ "${DOCKERD_QUIET:-0}" = 1 ] || printf 'dockerd.sh: %s\n' "$*" >&2
}

_dockerd_debug() {
	[ "${DOCKERD_DEBUG:-0}" = 1 ] && printf 'dockerd.sh: [%s] %s\n' "$(date +%T.%3N)" "$*" >&2
	return 0
}

_dockerd_err() {
	printf 'dockerd.sh: ERROR: %s\n' "$*" >&2
}

_dockerd_now_ms() {
	local t
	t=$(date +%s%N 2>/dev/null) || t=$(( $(date +%s) * 1000000000 ))
	printf '%s\n' $(( t / 1000000 ))
}

# _dockerd_client: path of the docker client binary.
_dockerd_client() {
	if [ -n "${DOCKERD_DOCKER:-}" ]; then
		printf '%s\n' "$DOCKERD_DOCKER"
	elif [ -x /usr/bin/docker ]; then
		printf '%s\n' /usr/bin/docker
	else
		command -v docker 2>/dev/null || printf '%s\n' docker
	fi
}

# _dockerd_alive PID: true if PID exists and is not a zombie.
_dockerd_alive() {
	local pid=$1 stat
	[ -n "$pid" ] || return 1
	stat=$(cat "/proc/$pid/stat" 2>/dev/null) || return 1
	stat=${stat##*) }
	case ${stat%% *} in
	Z | X | x) return 1 ;;
	esac
	return 0
}

# _dockerd_cmdline PID: the command line with NULs turned into spaces.
_dockerd_cmdline() {
	tr '\0' ' ' 2>/dev/null <"/proc/$1/cmdline"
}

# _dockerd_ours PID DIR: true if PID is alive and mentions DIR on its command line
# (guards against pid reuse before we signal anything).
_dockerd_ours() {
	local pid=$1 dir=$2 cmd
	_dockerd_alive "$pid" || return 1
	cmd=$(_dockerd_cmdline "$pid") || return 1
	case $cmd in
	*"$dir"*) return 0 ;;
	esac
	return 1
}

# _dockerd_wait_gone PID TENTHS: wait up to TENTHS/10 s for PID to go away.
_dockerd_wait_gone() {
	local pid=$1 n=${2:-100} i=0
	while _dockerd_alive "$pid"; do
		[ "$i" -ge "$n" ] && return 1
		sleep 0.1
		i=$((i + 1))
	done
	# reap it if it happens to be our child (no-op otherwise)
	wait "$pid" 2>/dev/null || true
	return 0
}

# _dockerd_terminate PID DIR NAME TENTHS: SIGTERM, wait, SIGKILL, wait.
_dockerd_terminate() {
	local pid=$1 dir=$2 name=$3 n=${4:-300}
	[ -n "$pid" ] || return 0
	_dockerd_ours "$pid" "$dir" || { wait "$pid" 2>/dev/null || true; return 0; }
	kill -TERM "$pid" 2>/dev/null || true
	if ! _dockerd_wait_gone "$pid" "$n"; then
		_dockerd_err "$name (pid $pid) ignored SIGTERM for $((n / 10)) s, sending SIGKILL"
		_dockerd_ours "$pid" "$dir" && kill -KILL "$pid" 2>/dev/null
		_dockerd_wait_gone "$pid" 100 || { _dockerd_err "$name (pid $pid) does not die"; return 1; }
	fi
	return 0
}

# _dockerd_launch PIDFILE LOG CMD...: start CMD in its own session (so a ^C on the
# terminal does not hit the daemons before our EXIT trap can stop them in order),
# writing its exact pid to PIDFILE even if setsid has to fork.
_dockerd_launch() {
	local pidfile=$1 log=$2
	shift 2
	# shellcheck disable=SC2016
	local wrap='echo $$ >"$0"; exec "$@"'
	if command -v setsid >/dev/null 2>&1; then
		setsid bash -c "$wrap" "$pidfile" "$@" </dev/null >>"$log" 2>&1 &
	else
		bash -c "$wrap" "$pidfile" "$@" </dev/null >>"$log" 2>&1 &
	fi
	local i=0
	while [ ! -s "$pidfile" ] && [ "$i" -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	cat "$pidfile" 2>/dev/null
}

# _dockerd_cgroup_mounts: mount points of all cgroup v1/v2 hierarchies whose root
# is the hierarchy root.
_dockerd_cgroup_mounts() {
	awk '{
		for (i = 7; i <= NF; i++) if ($i == "-") break
		if (($(i+1) == "cgroup" || $(i+1) == "cgroup2") && $4 == "/") print $5
	}' /proc/self/mountinfo 2>/dev/null
}

# _dockerd_mounts_under DIR: mount points at or below DIR, deepest first.
# (mountinfo escapes space, tab, newline and backslash as \040 \011 \012 \134)
_dockerd_mounts_under() {
	local enc=$1 mp
	enc=${enc//\\/\\134}
	enc=${enc// /\\040}
	enc=${enc//$'\t'/\\011}
	enc=${enc//$'\n'/\\012}
	awk -v d="$enc" '{
		if ($5 == d || substr($5, 1, length(d) + 1) == d "/") print length($5) "\t" $5
	}' /proc/self/mountinfo 2>/dev/null | sort -rn | cut -f2- | while IFS= read -r mp; do
		printf '%b\n' "$mp"
	done
}

# The host directories dockerd/containerd create outside DIR; remembered at start
# if they did not exist, removed at stop if still empty.
_DOCKERD_HOST_DIRS="/run/docker /run/docker/plugins /run/containerd /run/containerd/s /opt/containerd /etc/docker"

_dockerd_restore_env() {
	local v
	for v in DOCKER_HOST DOCKER_CONFIG DOCKER_CONTEXT DOCKER_TLS_VERIFY DOCKER_CERT_PATH; do
		if eval "[ \"\${_DOCKERD_SAVED_SET_$v:-0}\" = 1 ]"; then
			eval "export $v=\"\${_DOCKERD_SAVED_$v}\""
		elif eval "[ -n \"\${_DOCKERD_SAVED_SET_$v+x}\" ]"; then
			unset "$v"
		fi
		unset "_DOCKERD_SAVED_$v" "_DOCKERD_SAVED_SET_$v"
	done
}

_dockerd_save_env() {
	local v
	for v in DOCKER_HOST DOCKER_CONFIG DOCKER_CONTEXT DOCKER_TLS_VERIFY DOCKER_CERT_PATH; do
		if eval "[ -n \"\${$v+x}\" ]"; then
			eval "_DOCKERD_SAVED_$v=\"\${$v}\""
			eval "_DOCKERD_SAVED_SET_$v=1"
		else
			eval "_DOCKERD_SAVED_SET_$v=0"
		fi
	done
}

# ---------------------------------------------------------------- public

dockerd_prereqs() {
	local missing="" b
	if [ "$(id -u)" != 0 ]; then
		printf 'dockerd.sh: SKIP: must run as root\n' >&2
		return 77
	fi
	for b in dockerd containerd containerd-shim-runc-v2 runc; do
		command -v "$b" >/dev/null 2>&1 || missing="$missing $b"
	done
	command -v "$(_dockerd_client)" >/dev/null 2>&1 || missing="$missing docker"
	[ -x "${DOCKERD_BUSYBOX:-/bin/busybox}" ] || missing="$missing busybox"
	if [ -n "$missing" ]; then
		printf 'dockerd.sh: SKIP: missing:%s (apt-get install -y docker.io busybox-static)\n' "$missing" >&2
		return 77
	fi
	if [ -z "$(_dockerd_cgroup_mounts)" ]; then
		printf 'dockerd.sh: SKIP: no cgroup hierarchy mounted\n' >&2
		return 77
	fi
	return 0
}

dockerd_cli() {
	if [ -z "${DOCKERD_SOCK:-}" ]; then
		_dockerd_err "dockerd_cli: no engine started"
		return 1
	fi
	DOCKER_CONFIG="${DOCKERD_DIR}/client" "$(_dockerd_client)" -H "unix://$DOCKERD_SOCK" "$@"
}

dockerd_container_pid() {
	dockerd_cli inspect -f '{{.State.Pid}}' "$1"
}

_dockerd_start_impl() {
	local dir=${1:-} rc t0 i deadline
	if [ -z "$dir" ]; then
		_dockerd_err "usage: dockerd_start DIR [DOCKERD_ARG...]"
		return 1
	fi
	shift
	if [ -n "${DOCKERD_DIR:-}" ] && [ -f "$DOCKERD_DIR/.cgtop-dockerd" ]; then
		_dockerd_err "an engine is already running in $DOCKERD_DIR; call dockerd_stop first"
		return 1
	fi
	dockerd_prereqs || return $?
	t0=$(_dockerd_now_ms)

	mkdir -p "$dir" || return 1
	dir=$(cd "$dir" && pwd -P) || return 1
	case $dir in
	/ | /tmp | /var | /var/lib | /var/lib/docker | /run | /var/run | /root | /home | "$HOME")
		_dockerd_err "refusing to use $dir as DIR"
		return 1 ;;
	esac
	# sun_path is 108 bytes; the longest socket we create is this one.
	if [ ${#dir} -gt 70 ]; then
		_dockerd_err "DIR path too long for unix sockets (${#dir} > 70 chars): $dir"
		return 1
	fi

	DOCKERD_DIR=$dir
	DOCKERD_SOCK=$dir/docker.sock
	DOCKERD_PID=
	CONTAINERD_PID=
	DOCKERD_START_MS=
	: >"$dir/.cgtop-dockerd"
	mkdir -p "$dir/data" "$dir/exec" "$dir/client" "$dir/containerd/root" \
		"$dir/containerd/state" "$dir/containerd/opt" || return 1
	chmod 711 "$dir"

	# What exists before we start, so that dockerd_stop only removes what we made.
	local d
	: >"$dir/host-dirs-absent"
	for d in $_DOCKERD_HOST_DIRS; do
		[ -e "$d" ] || printf '%s\n' "$d" >>"$dir/host-dirs-absent"
	done
	_dockerd_cgroup_mounts >"$dir/cgroup-mounts"
	while IFS= read -r d; do
		find "$d" -type d 2>/dev/null
	done <"$dir/cgroup-mounts" >"$dir/cgroups-before"
	# default cgroup parent for containers (cgroupfs driver), or the one given
	local a parent=/docker prev=
	for a in "$@"; do
		case $a in
		--cgroup-parent=*) parent=${a#--cgroup-parent=} ;;
		esac
		[ "$prev" = --cgroup-parent ] && parent=$a
		prev=$a
	done
	printf '%s\n' "$parent" >"$dir/default-cgroup-parent"

	# ---- containerd
	cat >"$dir/containerd/config.toml" <<EOF
version = 2
root = "$dir/containerd/root"
state = "$dir/containerd/state"
disabled_plugins = ["io.containerd.grpc.v1.cri"]
oom_score = 0

[grpc]
  address = "$dir/containerd/containerd.sock"

[ttrpc]
  address = "$dir/containerd/containerd.sock.ttrpc"

[debug]
  address = "$dir/containerd/debug.sock"
  level = "info"

[plugins]
  [plugins."io.containerd.internal.v1.opt"]
    path = "$dir/containerd/opt"
EOF
	CONTAINERD_PID=$(_dockerd_launch "$dir/containerd.pid" "$dir/containerd.log" \
		containerd --config "$dir/containerd/config.toml")
	deadline=$((SECONDS + ${DOCKERD_START_TIMEOUT:-60}))
	while [ ! -S "$dir/containerd/containerd.sock" ]; do
		if ! _dockerd_alive "$CONTAINERD_PID" || [ "$SECONDS" -ge "$deadline" ]; then
			_dockerd_err "containerd did not come up; containerd.log:"
			tail -n 100 "$dir/containerd.log" >&2 2>/dev/null
			_dockerd_stop_impl
			return 1
		fi
		sleep 0.05
	done

	# ---- dockerd
	cat >"$dir/daemon.json" <<EOF
{
  "deprecated-key-path": "$dir/key.json"
}
EOF
	DOCKERD_PID=$(_dockerd_launch "$dir/dockerd.launch.pid" "$dir/dockerd.log" \
		dockerd \
		--config-file "$dir/daemon.json" \
		--data-root "$dir/data" \
		--exec-root "$dir/exec" \
		--pidfile "$dir/dockerd.pid" \
		--host "unix://$dir/docker.sock" \
		--containerd "$dir/containerd/containerd.sock" \
		--storage-driver=vfs \
		--bridge=none \
		--iptables=false \
		--ip-masq=false \
		--exec-opt native.cgroupdriver=cgroupfs \
		--shutdown-timeout 5 \
		"$@")

	_dockerd_save_env
	unset DOCKER_CONTEXT DOCKER_TLS_VERIFY DOCKER_CERT_PATH
	export DOCKER_HOST="unix://$dir/docker.sock"
	export DOCKER_CONFIG="$dir/client"

	rc=1
	while [ "$SECONDS" -lt "$deadline" ]; do
		if [ -S "$dir/docker.sock" ] &&
			dockerd_cli version --format '{{.Server.Version}}' >"$dir/server-version" 2>/dev/null; then
			rc=0
			break
		fi
		_dockerd_alive "$DOCKERD_PID" || break
		sleep 0.1
	done
	if [ "$rc" != 0 ]; then
		if _dockerd_alive "$DOCKERD_PID"; then
			_dockerd_err "dockerd did not answer within ${DOCKERD_START_TIMEOUT:-60} s; dockerd.log:"
		else
			_dockerd_err "dockerd exited during start-up; dockerd.log:"
		fi
		tail -n 200 "$dir/dockerd.log" >&2 2>/dev/null
		printf -- '--- containerd.log:\n' >&2
		tail -n 50 "$dir/containerd.log" >&2 2>/dev/null
		_dockerd_stop_impl
		return 1
	fi
	DOCKERD_START_MS=$(( $(_dockerd_now_ms) - t0 ))
	_dockerd_say "engine $(cat "$dir/server-version") up in ${DOCKERD_START_MS} ms (dockerd pid $DOCKERD_PID, containerd pid $CONTAINERD_PID, $DOCKER_HOST)"
	return 0
}

_dockerd_image_impl() {
	local name=${1:-} root bb a
	if [ -z "$name" ]; then
		_dockerd_err "usage: dockerd_image NAME"
		return 1
	fi
	dockerd_cli image inspect "$name" >/dev/null 2>&1 && return 0
	bb=${DOCKERD_BUSYBOX:-/bin/busybox}
	case $(LC_ALL=C ldd "$bb" 2>&1) in
	*"not a dynamic executable"* | *"statically linked"*) ;;
	*)
		_dockerd_err "$bb is not statically linked (apt-get install busybox-static)"
		return 1 ;;
	esac
	root=$(mktemp -d "$DOCKERD_DIR/rootfs.XXXXXX") || return 1
	mkdir -p "$root/bin" "$root/etc" "$root/tmp" "$root/root" "$root/proc" \
		"$root/sys" "$root/dev" "$root/var/tmp"
	chmod 1777 "$root/tmp" "$root/var/tmp"
	cp "$bb" "$root/bin/busybox" || { rm -rf "$root"; return 1; }
	for a in $("$root/bin/busybox" --list) sh sleep dd cat yes; do
		[ "$a" = busybox ] || [ -e "$root/bin/$a" ] || ln -s busybox "$root/bin/$a"
	done
	printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$root/etc/passwd"
	printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
	if ! tar -C "$root" --numeric-owner -cf - . |
		dockerd_cli import --change 'CMD ["/bin/sh"]' --change 'ENV PATH=/bin' - "$name" >/dev/null; then
		_dockerd_err "docker import of $name failed"
		rm -rf "$root"
		return 1
	fi
	rm -rf "$root"
	return 0
}

_dockerd_stop_impl() {
	local dir=${DOCKERD_DIR:-} rc=0 ids id pid f mp m p x i
	if [ -z "$dir" ] || [ ! -f "$dir/.cgtop-dockerd" ]; then
		unset DOCKERD_DIR DOCKERD_SOCK DOCKERD_PID CONTAINERD_PID
		return 0
	fi
	local dpid cpid
	dpid=${DOCKERD_PID:-$(cat "$dir/dockerd.launch.pid" 2>/dev/null)}
	cpid=${CONTAINERD_PID:-$(cat "$dir/containerd.pid" 2>/dev/null)}

	# 0. remember every container this engine has (ID and cgroup parent) before
	#    they are removed: the cgroup clean-up in step 6 needs the parents.
	local known="" hc parent
	for f in "$dir"/data/containers/*/hostconfig.json; do
		[ -f "$f" ] || continue
		id=${f%/hostconfig.json}
		id=${id##*/}
		hc=$(cat "$f" 2>/dev/null)
		parent=""
		case $hc in
		*'"CgroupParent":"'*)
			parent=${hc#*\"CgroupParent\":\"}
			parent=${parent%%\"*} ;;
		esac
		[ -n "$parent" ] || parent=$(cat "$dir/default-cgroup-parent" 2>/dev/null || echo /docker)
		known="$known
$parent $id"
	done
	known="$known
$(cat "$dir/containers-started" 2>/dev/null)"

	# 1. remove all containers through the API (this engine is private: every
	#    container on it is ours). rm -f kills with SIGKILL, runc deletes the cgroup.
	if _dockerd_ours "$dpid" "$dir" && [ -S "$dir/docker.sock" ]; then
		ids=$(timeout 20 "$(_dockerd_client)" -H "unix://$dir/docker.sock" ps -aq --no-trunc 2>/dev/null) || true
		if [ -n "$ids" ]; then
			# shellcheck disable=SC2086
			timeout 60 "$(_dockerd_client)" -H "unix://$dir/docker.sock" rm -f -v $ids >/dev/null 2>&1 ||
				_dockerd_err "docker rm -f failed; falling back to killing containers directly"
		fi
	fi

	_dockerd_debug "containers removed"
	# 2. stop dockerd (it unmounts its data-root bind mount on a clean exit)
	_dockerd_terminate "$dpid" "$dir" dockerd 300 || rc=1

	_dockerd_debug "dockerd stopped"
	# 3. anything still running under our containerd: kill the tasks via ctr, then
	#    any shim that is left (its children are the containers' init processes,
	#    pid 1 of their pid namespaces, so SIGKILL takes the whole container down).
	local caddr=$dir/containerd/containerd.sock
	if _dockerd_ours "$cpid" "$dir" && command -v ctr >/dev/null 2>&1 && [ -S "$caddr" ]; then
		ids=$(timeout 10 ctr -a "$caddr" -n moby tasks ls -q 2>/dev/null) || true
		for id in $ids; do
			timeout 10 ctr -a "$caddr" -n moby tasks kill -a -s SIGKILL "$id" >/dev/null 2>&1 || true
		done
		for id in $ids; do
			for i in 1 2 3 4 5 6 7 8 9 10; do
				timeout 10 ctr -a "$caddr" -n moby tasks delete "$id" >/dev/null 2>&1 && break
				sleep 0.2
			done
			timeout 10 ctr -a "$caddr" -n moby containers delete "$id" >/dev/null 2>&1 || true
		done
	fi
	local shims="" s f
	# shellcheck disable=SC2013
	for f in $(grep -lasF -- "$caddr" /proc/[0-9]*/cmdline 2>/dev/null); do
		pid=${f#/proc/}
		pid=${pid%/cmdline}
		case $(_dockerd_cmdline "$pid") in
		*containerd-shim*"$caddr"*) shims="$shims $pid" ;;
		esac
	done
	if [ -n "$shims" ]; then
		_dockerd_debug "killing leftover shims:$shims and their containers"
		local kids=""
		for s in $shims; do
			# shellcheck disable=SC2013
			for x in $(cat "/proc/$s/task/$s/children" 2>/dev/null); do
				kids="$kids $x"
				kill -KILL "$x" 2>/dev/null || true
			done
		done
		for x in $kids; do _dockerd_wait_gone "$x" 50; done
		# without containerd (or with a wedged one) a shim may wait forever
		for s in $shims; do
			_dockerd_wait_gone "$s" 5 || kill -KILL "$s" 2>/dev/null || true
		done
		for s in $shims; do _dockerd_wait_gone "$s" 50 || rc=1; done
	fi

	# 4. stop containerd
	_dockerd_debug "stopping containerd"
	_dockerd_terminate "$cpid" "$dir" containerd 150 || rc=1

	_dockerd_debug "containerd stopped"
	# 5. unmount whatever is left below DIR (netns nsfs mounts, the data-root bind)
	for i in 1 2 3; do
		mp=$(_dockerd_mounts_under "$dir")
		[ -z "$mp" ] && break
		while IFS= read -r m; do
			umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true
		done <<<"$mp"
	done
	if [ -n "$(_dockerd_mounts_under "$dir")" ]; then
		_dockerd_err "mounts left under $dir:"
		_dockerd_mounts_under "$dir" >&2
		rc=1
	fi

	_dockerd_debug "unmounted"
	# 6. cgroups docker created: <parent>/<id> for every container this engine
	#    knew (collected in step 0), the parents themselves and any cgroup named
	#    after one of the IDs, but only those that did not exist when we started
	#    and only if empty (rmdir fails on a populated cgroup).
	local cands="" dparent
	dparent=$(cat "$dir/default-cgroup-parent" 2>/dev/null || echo /docker)
	cands=$(
		{
			printf '%s\n' "$dparent"
			cat "$dir/cgroup-parents" 2>/dev/null
			printf '%s\n' "$known"
		} | while IFS=' ' read -r x id; do
			[ -n "$x" ] || continue
			case $x in /*) ;; *) x=/$x ;; esac
			x=${x%/}
			[ -n "$id" ] && printf '%s/%s\n' "$x" "$id"
			while [ -n "$x" ]; do
				printf '%s\n' "$x"
				x=${x%/*}
			done
		done | sort -u
	)
	ids=$(printf '%s\n' "$known" | awk 'NF == 2 { print $2 }' | sort -u)
	local mounts
	mounts=$(cat "$dir/cgroup-mounts" 2>/dev/null || _dockerd_cgroup_mounts)
	# also any cgroup directory named after one of our container IDs, wherever it
	# is (e.g. a relative --cgroup-parent)
	local found="" expr=()
	for id in $ids; do
		[ ${#expr[@]} -gt 0 ] && expr+=(-o)
		expr+=(-name "$id")
	done
	if [ ${#expr[@]} -gt 0 ]; then
		for m in $mounts; do
			found="$found
$(find "$m" -mindepth 1 -maxdepth 8 -type d \( "${expr[@]}" \) 2>/dev/null)"
		done
	fi
	local paths
	paths=$(
		{
			for m in $mounts; do
				printf '%s\n' "$cands" | awk -v m="$m" 'NF && $0 != "/" { print m $0 }'
			done
			printf '%s\n' "$found"
		} | awk 'NF' | sort -u | grep -Fxv -f "$dir/cgroups-before" |
			awk -F/ '{ print NF "\t" $0 }' | sort -rn | cut -f2-
	)
	while IFS= read -r p; do
		[ -n "$p" ] || continue
		[ -d "$p" ] || continue
		for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
			rmdir "$p" 2>/dev/null && break
			[ -d "$p" ] || break
			# child cgroups that are not ours: leave it; live processes: give the
			# kernel a moment to finish tearing the killed container down
			[ -n "$(find "$p" -mindepth 1 -maxdepth 1 -type d 2>/dev/null)" ] && break
			sleep 0.1
		done
		[ -d "$p" ] && _dockerd_say "left cgroup $p (not empty)"
	done <<<"$paths"

	_dockerd_debug "cgroups removed"
	# 7. host paths the engine created outside DIR: stale shim sockets of our
	#    containers (containerd 1.6 names them sha256("<containerd sock>/moby/<id>")),
	#    then the directories that did not exist before, if empty.
	for id in $ids; do
		s=$(printf '%s' "$caddr/moby/$id" | sha256sum 2>/dev/null | cut -d' ' -f1)
		if [ -n "$s" ] && [ -S "/run/containerd/s/$s" ]; then
			rm -f "/run/containerd/s/$s"
		fi
	done
	if [ -f "$dir/host-dirs-absent" ]; then
		while IFS= read -r d; do
			[ -n "$d" ] && rmdir "$d" 2>/dev/null
		done < <(awk -F/ '{ print NF "\t" $0 }' "$dir/host-dirs-absent" | sort -rn | cut -f2-)
	fi

	# 8. remove DIR
	if [ "${DOCKERD_KEEP:-0}" = 1 ]; then
		_dockerd_say "keeping $dir (DOCKERD_KEEP=1)"
		rm -f "$dir/.cgtop-dockerd"
	elif [ -z "$(_dockerd_mounts_under "$dir")" ]; then
		rm -rf --one-file-system "$dir" 2>/dev/null || { _dockerd_err "could not remove $dir"; rc=1; }
	else
		_dockerd_err "not removing $dir: mounts remain"
		rc=1
	fi

	_dockerd_debug "done"
	_dockerd_restore_env
	unset DOCKERD_DIR DOCKERD_SOCK DOCKERD_PID CONTAINERD_PID
	return "$rc"
}

# Run "$@" with errexit/nounset/pipefail off, restoring the caller's options after,
# so the library behaves the same under `set -euo pipefail` and in EXIT traps.
_dockerd_guarded() {
	# (not $(set +o): command substitution does not inherit errexit)
	local _e=0 _u=0 _p=0 _rc
	case $- in *e*) _e=1 ;; esac
	case $- in *u*) _u=1 ;; esac
	if [[ -o pipefail ]]; then _p=1; fi
	set +e +u +o pipefail
	"$@"
	_rc=$?
	if [ "$_e" = 1 ]; then set -e; fi
	if [ "$_u" = 1 ]; then set -u; fi
	if [ "$_p" = 1 ]; then set -o pipefail; fi
	return "$_rc"
}

dockerd_start() { _dockerd_guarded _dockerd_start_impl "$@"; }
dockerd_image() { _dockerd_guarded _dockerd_image_impl "$@"; }
dockerd_stop() { _dockerd_guarded _dockerd_stop_impl; }

# dockerd_run DOCKER-RUN-ARG...: `docker run -d` on the private engine, print the
# full container ID, and remember it (and its --cgroup-parent) for dockerd_stop.
dockerd_run() {
	local id parent="" a prev=""
	for a in "$@"; do
		case $a in
		--cgroup-parent=*) parent=${a#--cgroup-parent=} ;;
		esac
		[ "$prev" = --cgroup-parent ] && parent=$a
		prev=$a
	done
	id=$(dockerd_cli run -d "$@") || return 1
	[ -n "$parent" ] || parent=$(cat "$DOCKERD_DIR/default-cgroup-parent" 2>/dev/null || echo /docker)
	printf '%s %s\n' "$parent" "$id" >>"$DOCKERD_DIR/containers-started"
	printf '%s\n' "$id"
}
