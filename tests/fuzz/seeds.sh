#!/usr/bin/env bash
# seeds.sh TARGET FIXTURES OUTDIR: write the seed inputs of one fuzz target into OUTDIR,
# taken from the fixture trees (real files copied from real hosts) so that fuzzing starts
# from well-formed input. Prints how many.
set -u
target=$1 fix=$2 out=$3
mkdir -p "$out"
n=0
# put FILE...: copy each (at most 64 of one kind, the first by name) into OUTDIR
put() {
	local f
	for f in "$@"; do
		[ -f "$f" ] || continue
		cp "$f" "$out/seed-$n" && n=$((n + 1))
	done
}
# put_found FIND-ARGS...: files the fixture trees hold, a bounded number
put_found() {
	local f
	while IFS= read -r -d '' f; do put "$f"; done < <(find "$fix" "$@" -type f -print0 | sort -z | head -z -n 64)
}
# put_text STRING: one seed holding STRING (printf %b escapes)
put_text() { printf '%b' "$1" >"$out/seed-$n" && n=$((n + 1)); }
case $target in
mountinfo) put_found -name mountinfo ;;
proc_cgroup) put_found -path '*/proc/*' -name cgroup; put_found -path '*/proc/cgroups' ;;
proc_stat) put_found -path '*/proc/*' -name stat; put_found -name loadavg; put_found -name uptime ;;
proc_status) put_found -path '*/proc/*' -name status; put_found -path '*/proc/*' -name cmdline
	put_found -path '*/proc/*' -name io; put_found -name passwd ;;
keyed) put_found -name cpu.stat; put_found -name cpuacct.usage; put_found -name pids.current
	put_found -name memory.max; put_found -name cpuacct.stat; put_found -name memory.events
	put_found -name memory.oom_control; put_found -name pids.events; put_found -name memory.failcnt ;;
memory_stat) put_found -name memory.stat; put_found -name meminfo ;;
blkio) put_found -name 'blkio.*io_service*' ;;
io_stat) put_found -name io.stat ;;
cgroup_procs) put_found -name cgroup.procs; put_found -name tasks ;;
cgpath)
	while IFS= read -r d; do
		printf '%s' "${d#*/sys/fs/cgroup}" >"$out/seed-$n" && n=$((n + 1))
	done < <(find "$fix" -type d -path '*/sys/fs/cgroup/*' | sort | head -n 300)
	put_text '/machine.slice/machine-qemu\\x2d1\\x2dvm.scope'
	put_text '/lxc.payload.web1'
	put_text '/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod1b2c_3d4e.slice'
	id=f24bf57698f7e433f59767cd00002f25f44555d94e5cd9a6827f455dcdd061d0
	put_text "/libpod_parent/libpod-$id"
	put_text "/libpod_parent/$id/libpod-$id"
	put_text "/kubepods/burstable/pod0d3b3a4c-1f2e-4b5a-9c8d-7e6f5a4b3c2d/$id"
	put_text "/kubepods/pod0d3b3a4c-1f2e-4b5a-9c8d-7e6f5a4b3c2d/crio-conmon-$id"
	put_text "/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-$id.scope" ;;
sanitize) put_found -path '*/proc/*' -name cmdline; put_found -path '*/proc/*' -name comm
	put_text 'evil\\033[31mred\\n\\033]0;pwned\\a\\302\\233x\\342\\200\\256txt\\377\\300\\257\\355\\240\\200'
	put_text 'k\\303\\266nig-\\346\\227\\245\\360\\237\\220\\263' ;;
config_v2) put_found -name config.v2.json ;;
docker_api) put_found -name '*containers-json.json' ;;
podman_storage) put_found -name containers.json ;;
podman_bolt) put_found -name bolt_state.db ;;
podman_sqlite) put_found -name db.sql ;;
kubelet_logs)
	while IFS= read -r -d '' f; do
		printf '%s' "${f##*/}" >"$out/seed-$n" && n=$((n + 1))
	done < <(find "$fix" \( -path '*/var/log/containers/*' -o -path '*/var/log/pods/*' -prune \) -print0 | sort -z | head -z -n 64)
	put_text 'p_n_c-0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef.log'
	put_text 'kube-system_etcd-node1_d41d8cd98f00b204e9800998ecf8427e' ;;
cpu_limit) put_found -name cpu.cfs_quota_us; put_found -name cpu.max
	put_text 'max 100000\n'; put_text '-1\n' ;;
record) put_found -name '*.cgrec' ;;
net_dev) put_found -path '*/proc/*/net/dev'; put_found -path '*/proc/*/ns/net'
	put_text 'net:[4026531840]' ;;
pressure) put_found -name cpu.pressure; put_found -name memory.pressure; put_found -name io.pressure
	put_text 'some avg10=1.50 avg60=0.20 avg300=0.05 total=123456\n' ;;
*) echo "seeds.sh: no such target: $target" >&2; exit 2 ;;
esac
echo "$n"
