#!/usr/bin/env bash
# Every batch output of cgtop on the fixture trees, with the clock's readings replaced by
# TIME: golden.test compares them with tests/golden/, so a change of structure that
# changes a byte of output is seen. `bash tests/golden.sh CGTOP FIXTURES OUTDIR` writes
# them afresh (then read the diff before committing it).
set -u
CGTOP=$1 FIXTURES=$2 OUT=$3
mkdir -p "$OUT"
tmp=$(mktemp -d /tmp/cgtop-golden.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

run() { # NAME TREE ARGS...: stdout, then stderr after a marker, times masked
	local name=$1 tree=$2
	shift 2
	{
		"$CGTOP" --no-config --root "$FIXTURES/$tree" -b "$@" 2>"$tmp/err"
		echo "== exit $?"
		echo "== stderr"
		cat "$tmp/err"
	} | sed -E 's/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})/TIME/g' \
		>"$OUT/$tree.$name"
}

for tree in rhel7 v1split v2 hybrid nomemory tui \
	kube-containerd-cgroupfs kube-crio-systemd kube-crio-cgroupfs; do
	[ -d "$FIXTURES/$tree/proc" ] || continue
	run text "$tree" -n 2 -d 0.01
	run text-all-raw "$tree" -n 2 -d 0.01 --all -r
	run text-time-mem "$tree" -n 2 -d 0.01 --cpu=time -m --reverse
	run text-depth "$tree" -n 1 -d 0.01 --all --depth=2 -p
	run text-labels "$tree" -n 1 -d 0.01 --label=managed_by --label=config_id -i
	run text-group "$tree" -n 2 -d 0.01 --group-by=label:config_id
	run text-stamp "$tree" -n 2 -d 0.01 --stamp --label=config_id
	run text-image "$tree" -n 1 -d 0.01 --group-by=image -t
	run json "$tree" -n 2 -d 0.01 --format=json
	run json-all "$tree" -n 2 -d 0.01 --format=json --all
	run json-group "$tree" -n 1 -d 0.01 --format=json --group-by=label:config_id
	run openmetrics "$tree" -n 2 -d 0.01 --format=openmetrics
	run prometheus "$tree" -n 1 -d 0.01 --format=prometheus --all
	if [ -d "$FIXTURES/$tree/var/log/containers" ]; then # a Kubernetes node
		run text-pod "$tree" -n 1 -d 0.01 --group-by=pod
		run text-namespace "$tree" -n 1 -d 0.01 --group-by=namespace
		run json-pod "$tree" -n 1 -d 0.01 --format=json --group-by=pod
	fi
	rm -f "$tmp/rec"
	"$CGTOP" --no-config --root "$FIXTURES/$tree" -b -n 2 -d 0.01 --record="$tmp/rec" >/dev/null 2>&1
	run replay-json "$tree" --replay="$tmp/rec" --format=json
	run replay-text "$tree" --replay="$tmp/rec" --all -r
done
