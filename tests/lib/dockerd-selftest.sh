#!/bin/bash
# tests/lib/dockerd-selftest.sh - demo and self-test of tests/lib/dockerd.sh.
#
# Starts a private engine, runs two paunch-labelled containers (one under the
# default cgroup parent, one with --cgroup-parent=/system.slice), prints where
# their cgroups are in every hierarchy, stops everything and checks that no
# process, mount, cgroup or directory is left behind.
#
# Exit 0 = pass, 1 = fail, 77 = skipped (not root / docker.io not installed).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=dockerd.sh
. "$here/dockerd.sh"

IMAGE=cgtop-busybox
failures=0
checks=0
check() { # check DESCRIPTION COMMAND...
	local what=$1
	shift
	checks=$((checks + 1))
	if "$@"; then
		printf 'ok   %s\n' "$what"
	else
		printf 'FAIL %s\n' "$what"
		failures=$((failures + 1))
	fi
}

dockerd_prereqs || exit $?

dir=$(mktemp -d /tmp/cgtop-dockerd.XXXXXX)
trap dockerd_stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# What exists before, for the leak checks at the end.
# (only cgroups docker could have made: other processes on a shared test machine
# create and remove their own cgroups meanwhile)
docker_cgroups() {
	find /sys/fs/cgroup -mindepth 1 -type d 2>/dev/null |
		grep -E '/(docker|system\.slice)(/|$)|[0-9a-f]{64}' | sort || true
}
cg_before=$(docker_cgroups)
host_before=$(ls -d /run/docker /run/docker/plugins /run/containerd /run/containerd/s \
	/opt/containerd /etc/docker /etc/docker/key.json /var/lib/docker /var/run/docker.sock 2>/dev/null || true)

dockerd_start "$dir"
echo "dockerd_start took ${DOCKERD_START_MS} ms"
dockerd_image "$IMAGE"
dockerd_image "$IMAGE" # idempotent

labels=(--label config_id=tripleo_step3 --label managed_by=paunch)
id1=$(dockerd_run --name keystone --net=none --label container_name=keystone \
	"${labels[@]}" "$IMAGE" sleep 1000)
id2=$(dockerd_run --name keystone_cron --net=none --cgroup-parent=/system.slice \
	--label container_name=keystone_cron "${labels[@]}" "$IMAGE" sleep 1000)

declare -A want=([keystone]="/docker/$id1" [keystone_cron]="/system.slice/$id2")
declare -A ids=([keystone]=$id1 [keystone_cron]=$id2)
for name in keystone keystone_cron; do
	id=${ids[$name]}
	pid=$(dockerd_container_pid "$name")
	echo
	echo "== $name  id=$id  pid=$pid"
	echo "   labels: $(dockerd_cli inspect -f '{{json .Config.Labels}}' "$name")"
	lines=$(grep -F "$id" "/proc/$pid/cgroup" || true)
	printf '%s\n' "$lines" | sed 's/^/   /'
	n_all=$(wc -l <"/proc/$pid/cgroup")
	n_id=$(printf '%s\n' "$lines" | grep -c . || true)
	check "$name: every hierarchy ($n_all) has the container ID in its path" [ "$n_id" -eq "$n_all" ]
	bad=$(printf '%s\n' "$lines" | awk -F: -v w="${want[$name]}" '$3 != w' || true)
	check "$name: cgroup path is ${want[$name]%/*}/<id> everywhere" [ -z "$bad" ]
	check "$name: /sys/fs/cgroup/memory${want[$name]} exists" [ -d "/sys/fs/cgroup/memory${want[$name]}" ]
done

echo
dockerd_stop
trap - EXIT

# ---- leak checks
leftover_procs=""
for p in /proc/[0-9]*; do
	c=$(tr '\0' ' ' 2>/dev/null <"$p/cmdline" || true)
	case $c in *"$dir"*) leftover_procs="$leftover_procs ${p#/proc/}:${c:0:60}" ;; esac
done
check "no dockerd/containerd/shim process left" [ -z "$leftover_procs" ]
for id in "$id1" "$id2"; do
	check "no process left in container ${id:0:12}" [ -z "$(pgrep -f "$id" || true)" ]
done
check "no mount left under $dir" [ -z "$(grep -F "$dir" /proc/self/mountinfo || true)" ]
cg_after=$(docker_cgroups)
check "no docker cgroup left (*/docker, */system.slice, */<id>)" [ "$cg_before" = "$cg_after" ]
for id in "$id1" "$id2"; do
	check "no cgroup named ${id:0:12}... left" [ -z "$(find /sys/fs/cgroup -type d -name "$id" 2>/dev/null)" ]
done
host_after=$(ls -d /run/docker /run/docker/plugins /run/containerd /run/containerd/s \
	/opt/containerd /etc/docker /etc/docker/key.json /var/lib/docker /var/run/docker.sock 2>/dev/null || true)
check "no host path created (/run/docker, /run/containerd, /opt/containerd, /etc/docker/key.json, /var/lib/docker)" \
	[ "$host_before" = "$host_after" ]
check "$dir removed" [ ! -e "$dir" ]
check "DOCKER_HOST restored" [ "${DOCKER_HOST:-}" != "unix://$dir/docker.sock" ]
dockerd_stop # second call must be a harmless no-op
check "second dockerd_stop is a no-op" true

echo
echo "dockerd-selftest: $((checks - failures)) passed, $failures failed"
[ "$failures" -eq 0 ]
