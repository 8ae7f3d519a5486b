#!/usr/bin/env bash
# make bench: what a refresh of cgtop costs beside systemd-cgtop's and beside the kept-fd
# floor, on one tree of N docker-style scopes (/cgtop-bench.slice/docker-<64 hex>.scope in
# cpu, cpuacct, memory, blkio, pids and name=systemd), grown to 1,000, 5,000 and 10,000
# scopes (BENCH_SIZES), all measured in the same run. A refresh re-reads the limits of a
# tenth of the cgroups (every cgroup's every tenth refresh): the K refreshes below hold
# one such read of each. On real v1 hierarchies when this is root and they
# are writable, else on a generated fixture tree through --root (no systemd-cgtop there).
#
# CPU per refresh: user+sys of a run of W+K refreshes 10 ms apart less a run of W+1,
# /(K-1), the median of RUNS: the K-1 refreshes after the first W+1, when a long-running
# cgtop has opened its files and, from their second read on, kept its limit files open
# (W = 10: every cgroup's limits are read once in between). W = 0 measures the first
# refreshes, as this bench did before 2026-12-02, and undercounts cgtop's: cgtop -b -n 1
# takes two samples (the first only for the rates), as -n 2 does, so the run of 11 held
# 9 refreshes more than the run of 1, not 10 (perf at 5,000 scopes: 366,233 system
# calls for -n 1, 152 more for -n 2, then about 90,000 a refresh; systemd-cgtop's -n 1
# and -n 2 differ by a refresh). Wall per refresh: the same from schedstat (time on a CPU or waiting
# for one, i.e. without the sleeps). System calls: perf's raw_syscalls:sys_enter (or
# strace -c -f), same difference. Peak RSS: ru_maxrss of the W+K run.
#
# Environment: CGTOP, CGBENCH (the helper), TESTLIB; BENCH_SIZES ("1000 5000 10000"),
# BENCH_ITERATIONS (K, 11), BENCH_WARMUP (W, 10), BENCH_RUNS (3), BENCH_FIXTURE=1 (fixture tree even as root),
# BENCH_KEEP=1 (leave the tree for the next run, which reuses it), CGTOP_BASELINE (another
# cgtop binary to measure on the same tree, e.g. a build of an older commit), BENCH_TUI=0.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
CGTOP=${CGTOP:-$top/src/cgtop}
CGBENCH=${CGBENCH:-$here/cgbench}
TESTLIB=${TESTLIB:-$top/tests/lib}
SIZES=${BENCH_SIZES:-"1000 5000 10000"}
K=${BENCH_ITERATIONS:-11}
W=${BENCH_WARMUP:-10}
RUNS=${BENCH_RUNS:-3}
KEEP=${BENCH_KEEP:-0}
BASELINE=${CGTOP_BASELINE:-}
SLICE=cgtop-bench.slice
DELAY=0.01

for f in "$CGTOP" "$CGBENCH"; do
	[ -x "$f" ] || { echo "bench: $f is missing (make bench builds it)" >&2; exit 1; }
done
# shellcheck source=../lib/cgroupv1.sh
. "$TESTLIB/cgroupv1.sh" || exit 1

# ---------------------------------------------------------------- the tree
DIRS=()       # the slice in each hierarchy
ROOT=         # fixture root, or empty when live
CGROOTS=()    # hierarchy mount points (below ROOT in fixture mode)
live=0
if [ "$(id -u)" = 0 ] && [ "${BENCH_FIXTURE:-0}" != 1 ] &&
	cg_v1_writable cpu cpuacct memory blkio pids name=systemd; then
	live=1
	seen=" "
	for c in cpu cpuacct memory blkio pids name=systemd; do
		m=$(cg_v1_mountpoint "$c")
		case $seen in *" $m "*) continue ;; esac
		seen="$seen$m "
		DIRS+=("$m/$SLICE")
		CGROOTS+=("$m")
	done
	CG=$(dirname "$(cg_v1_mountpoint memory)")
else
	ROOT=$(mktemp -d /tmp/cgtop-bench.XXXXXX) || exit 1
	CG=$ROOT/sys/fs/cgroup
	for h in cpu cpuacct memory blkio pids systemd; do CGROOTS+=("$CG/$h"); done
fi

cleanup() {
	trap - EXIT INT TERM HUP
	[ -n "${TUI_SESSION:-}" ] && tmux -L cgtop-bench kill-server 2>/dev/null
	for p in ${BUSY_PIDS:-}; do kill "$p" 2>/dev/null; done
	for p in ${BUSY_PIDS:-}; do wait "$p" 2>/dev/null; done
	if [ -n "${TUI_DIRS:-}" ]; then
		# a killed loop's last sleep may still be leaving
		for _ in 1 2 3 4 5; do
			# shellcheck disable=SC2086
			"$CGBENCH" remove $TUI_DIRS 2>/dev/null && break
			sleep 0.2
		done
		# shellcheck disable=SC2086
		"$CGBENCH" remove $TUI_DIRS || echo "bench: could not remove $TUI_DIRS" >&2
	fi
	if [ -n "$ROOT" ]; then
		rm -rf "$ROOT"
	elif [ "$KEEP" = 1 ]; then
		echo "# kept the tree: ${DIRS[*]}"
	elif [ ${#DIRS[@]} -gt 0 ]; then
		t0=$(date +%s.%N)
		"$CGBENCH" remove "${DIRS[@]}" || echo "bench: could not remove every cgroup of ${DIRS[*]}" >&2
		echo "# removed the tree in $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') s"
	fi
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

grow() { # grow N
	if [ $live = 1 ]; then
		"$CGBENCH" grow "$1" "${DIRS[@]}"
	else
		"$CGBENCH" fixture "$1" "$ROOT"
	fi
}

# distinct cgroup paths across the hierarchies
count_cgroups() {
	for m in "${CGROOTS[@]}"; do
		(cd "$m" && find . -type d)
	done | sort -u | wc -l
}

# ---------------------------------------------------------------- measuring
median() { sort -g | awk '{ v[NR] = $1 } END { print NR ? v[int((NR + 1) / 2)] : "nan" }'; }

# cost CMD...: "cpu_ms wall_ms rss_kib" per refresh (CMD takes -n and -d)
cost() {
	local i one many cpus=() walls=() rss=0
	for ((i = 0; i < RUNS; i++)); do
		one=$("$CGBENCH" run "$@" -n $((W + 1)) -d "$DELAY") || return 1
		many=$("$CGBENCH" run "$@" -n $((W + K)) -d "$DELAY") || return 1
		read -r u1 s1 _ w1 _ <<<"$one"
		read -r u2 s2 _ w2 r2 <<<"$many"
		cpus+=("$(awk -v a="$u1" -v b="$s1" -v c="$u2" -v d="$s2" -v k="$K" 'BEGIN { printf "%.3f", ((c + d) - (a + b)) * 1000 / (k - 1) }')")
		walls+=("$(awk -v a="$w1" -v b="$w2" -v k="$K" 'BEGIN { printf "%.3f", (b - a) * 1000 / (k - 1) }')")
		[ "$r2" -gt "$rss" ] && rss=$r2
	done
	echo "$(printf '%s\n' "${cpus[@]}" | median) $(printf '%s\n' "${walls[@]}" | median) $rss"
}

# syscalls CMD...: system calls per refresh
syscalls() {
	local one many
	if [ "$SYSCALL_TOOL" = perf ]; then
		one=$(perf stat -x, -e raw_syscalls:sys_enter -- "$@" -n $((W + 1)) -d "$DELAY" 2>&1 >/dev/null | awk -F, '/raw_syscalls/ { print $1 }')
		many=$(perf stat -x, -e raw_syscalls:sys_enter -- "$@" -n $((W + K)) -d "$DELAY" 2>&1 >/dev/null | awk -F, '/raw_syscalls/ { print $1 }')
	elif [ "$SYSCALL_TOOL" = strace ]; then
		one=$(strace -c -f -o /dev/stdout "$@" -n $((W + 1)) -d "$DELAY" 2>/dev/null | awk '$NF == "total" { print $(NF - 2) }' | tail -n 1)
		many=$(strace -c -f -o /dev/stdout "$@" -n $((W + K)) -d "$DELAY" 2>/dev/null | awk '$NF == "total" { print $(NF - 2) }' | tail -n 1)
	fi
	if [[ ${one:-} =~ ^[0-9]+$ ]] && [[ ${many:-} =~ ^[0-9]+$ ]]; then
		echo $(((many - one) / (K - 1)))
	else
		echo n/a
	fi
}

SYSCALL_TOOL=none
if command -v perf >/dev/null && perf stat -x, -e raw_syscalls:sys_enter -- true >/dev/null 2>&1; then
	SYSCALL_TOOL=perf
elif command -v strace >/dev/null && strace -c -o /dev/null true 2>/dev/null; then
	SYSCALL_TOOL=strace
fi
SDCGTOP=
[ $live = 1 ] && command -v systemd-cgtop >/dev/null && SDCGTOP=$(command -v systemd-cgtop)

# the files cgtop -b reads in every scope at every refresh (limits, and the counters that
# move only under a limit, it reads every tenth: see man cgtop, HIERARCHIES); a file the
# kernel lacks (memsw without swapaccount) is left out
# (BFQ's only where a block device's scheduler is BFQ, or the devices cannot be told)
floor_specs() {
	echo "$CG/cpuacct:cpuacct.usage"
	echo "$CG/memory:memory.usage_in_bytes,memory.stat,memory.max_usage_in_bytes,memory.oom_control,memory.memsw.usage_in_bytes"
	if [ ! -d "${ROOT:-}/sys/block" ] || grep -qs '\[bfq\]' "${ROOT:-}"/sys/block/*/queue/scheduler; then
		echo "$CG/blkio:blkio.throttle.io_service_bytes_recursive,blkio.bfq.io_service_bytes_recursive"
	else
		echo "$CG/blkio:blkio.throttle.io_service_bytes_recursive"
	fi
	echo "$CG/pids:pids.current"
}

ROOTARG=()
[ -n "$ROOT" ] && ROOTARG=(--root "$ROOT")

# ---------------------------------------------------------------- header
echo "# cgtop bench, $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "# machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'), kernel $(uname -r), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), RLIMIT_NOFILE $(ulimit -n), load $(cut -d' ' -f1-3 /proc/loadavg)"
if [ $live = 1 ]; then
	echo "# tree: real cgroup v1 hierarchies, /$SLICE in ${CGROOTS[*]}"
else
	echo "# tree: fixture files below $ROOT through --root (not root, or v1 not writable): systemd-cgtop cannot be pointed there"
fi
# What cgtop may keep open (fdcache.c): RLIMIT_NOFILE less 256, its hard limit raised first
# to fs.nr_open (at most 2^20) where the process may (CAP_SYS_RESOURCE)
hard=$(ulimit -Hn)
nr_open=$(cat /proc/sys/fs/nr_open 2>/dev/null || echo 0)
[ "$nr_open" -gt 1048576 ] && nr_open=1048576
if [ "$hard" = unlimited ]; then
	KEPT_MAX=$((1048576 - 256))
	echo "# descriptors: RLIMIT_NOFILE unlimited: cgtop keeps up to $KEPT_MAX files open between refreshes"
elif [ "$nr_open" -gt "$hard" ] && (ulimit -Hn $((hard + 1))) 2>/dev/null; then
	KEPT_MAX=$((nr_open - 256))
	echo "# descriptors: cgtop raises RLIMIT_NOFILE's hard limit $hard to fs.nr_open ($nr_open) and keeps up to $KEPT_MAX files open between refreshes"
else
	KEPT_MAX=$((hard - 256))
	echo "# descriptors: RLIMIT_NOFILE's hard limit $hard cannot be raised here (to fs.nr_open $nr_open: needs CAP_SYS_RESOURCE): cgtop keeps up to $KEPT_MAX files open between refreshes, the others are opened, read and closed at each"
fi
echo "# per refresh: CPU = user+sys, median of $RUNS x (run of $((W + K)) refreshes ${DELAY}s apart - run of $((W + 1)))/$((K - 1)); wall = on a CPU or waiting for one (schedstat); syscalls by $SYSCALL_TOOL; RSS = peak of the $((W + K)) run"
echo

printf '%-6s %-7s %-24s %12s %11s %12s %10s %9s %9s %8s\n' N cgroups tool "CPU/refresh" "per cgroup" "wall/refresh" syscalls "peak RSS" "vs sd-cgt" "vs floor"

row() { # row N NCG TOOL CPU WALL SYSCALLS RSS SD_CPU FLOOR_CPU
	printf '%-6s %-7s %-24s %9.1f ms %8.1f us %9.1f ms %10s %5.1f MiB %9s %8s\n' "$1" "$2" "$3" "$4" \
		"$(awk -v c="$4" -v n="$2" 'BEGIN { print c * 1000 / n }')" "$5" "$6" \
		"$(awk -v r="$7" 'BEGIN { print r / 1024 }')" \
		"$(awk -v c="$4" -v s="$8" 'BEGIN { if (s > 0) printf "%.2fx", c / s; else print "-" }')" \
		"$(awk -v c="$4" -v f="$9" 'BEGIN { if (f > 0) printf "%.2fx", c / f; else print "-" }')"
}

for n in $SIZES; do
	t0=$(date +%s.%N)
	grow "$n" || exit 1
	grown=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
	ncg=$(count_cgroups)
	# the floor first: the same files of every cgroup, opened once, pread K times
	# shellcheck disable=SC2046
	read -r f_cpu f_wall f_preads f_unkept f_rss <<<"$("$CGBENCH" floor "$K" $(floor_specs))"
	sd_cpu=0
	if [ -n "$SDCGTOP" ]; then
		read -r sd_cpu sd_wall sd_rss <<<"$(cost "$SDCGTOP" -b --depth=5)"
		sd_sys=$(syscalls "$SDCGTOP" -b --depth=5)
	fi
	read -r c_cpu c_wall c_rss <<<"$(cost "$CGTOP" "${ROOTARG[@]}" -b)"
	c_sys=$(syscalls "$CGTOP" "${ROOTARG[@]}" -b)
	read -r j_cpu j_wall j_rss <<<"$(cost "$CGTOP" "${ROOTARG[@]}" -b --format=json)"
	j_sys=$(syscalls "$CGTOP" "${ROOTARG[@]}" -b --format=json)
	row "$n" "$ncg" "cgtop -b" "$c_cpu" "$c_wall" "$c_sys" "$c_rss" "$sd_cpu" "$f_cpu"
	row "$n" "$ncg" "cgtop -b --format=json" "$j_cpu" "$j_wall" "$j_sys" "$j_rss" "$sd_cpu" "$f_cpu"
	if [ -n "$BASELINE" ]; then
		read -r b_cpu b_wall b_rss <<<"$(cost "$BASELINE" "${ROOTARG[@]}" -b)"
		b_sys=$(syscalls "$BASELINE" "${ROOTARG[@]}" -b)
		row "$n" "$ncg" "baseline cgtop -b" "$b_cpu" "$b_wall" "$b_sys" "$b_rss" "$sd_cpu" "$f_cpu"
	fi
	[ -n "$SDCGTOP" ] && row "$n" "$ncg" "systemd-cgtop -b" "$sd_cpu" "$sd_wall" "$sd_sys" "$sd_rss" "$sd_cpu" "$f_cpu"
	row "$n" "$ncg" "kept-fd floor" "$f_cpu" "$f_wall" "$f_preads" "$f_rss" "$sd_cpu" "$f_cpu"
	[ "$f_unkept" -gt 0 ] && echo "#      the floor could not keep $f_unkept files open (RLIMIT_NOFILE): its figure covers $f_preads"
	total=$((f_preads + f_unkept))
	[ "$total" -gt "$KEPT_MAX" ] &&
		echo "#      cgtop reads $total files at every refresh (the floor's) and may keep $KEPT_MAX open: $((total - KEPT_MAX)) are opened, read and closed at each"
	echo "#      grown to $n scopes in ${grown} s"
done

# ---------------------------------------------------------------- TUI
# The interactive screen, when this cgtop has one: in tmux at 1 s with 50 busy cgroups.
tui_cost() {
	local name=cgtop-bench-tui.slice i d m start first base pid t0 t1 cpu0 cpu1 hz
	command -v tmux >/dev/null || { echo "# TUI: tmux is missing, not measured"; return; }
	if [ $live = 1 ]; then
		for m in "${CGROOTS[@]}"; do TUI_DIRS="${TUI_DIRS:-} $m/$name"; done
		for ((i = 0; i < 50; i++)); do
			for m in "${CGROOTS[@]}"; do mkdir -p "$m/$name/busy-$i.scope" || return; done
			sh -c 'while :; do sleep 0.05; done' &
			BUSY_PIDS="${BUSY_PIDS:-} $!"
			for m in "${CGROOTS[@]}"; do echo $! >"$m/$name/busy-$i.scope/cgroup.procs"; done
		done
	fi
	TUI_SESSION=1
	# what tmux alone takes to show a program's first line, to tell it from cgtop's part
	base=
	start=$(date +%s%N)
	tmux -L cgtop-bench-base new-session -d -s base -x 160 -y 50 "printf 'Tasks\n'; exec sleep 60" 2>/dev/null
	for ((i = 0; i < 1000; i++)); do
		if tmux -L cgtop-bench-base capture-pane -p -t base 2>/dev/null | grep -q 'Tasks'; then
			base=$((($(date +%s%N) - start) / 1000000))
			break
		fi
		sleep 0.01
	done
	tmux -L cgtop-bench-base kill-server 2>/dev/null
	start=$(date +%s%N)
	tmux -L cgtop-bench new-session -d -s tui -x 160 -y 50 "exec $CGTOP ${ROOTARG[*]} -d 1" || return
	first=
	for ((i = 0; i < 1000; i++)); do
		if tmux -L cgtop-bench capture-pane -p -t tui 2>/dev/null | grep -q 'Tasks'; then
			first=$((($(date +%s%N) - start) / 1000000))
			break
		fi
		sleep 0.01
	done
	pid=$(tmux -L cgtop-bench display -p -t tui '#{pane_pid}')
	hz=$(getconf CLK_TCK)
	cpu0=$(awk '{ print $14 + $15 }' "/proc/$pid/stat")
	t0=$(date +%s%N)
	sleep 30
	cpu1=$(awk '{ print $14 + $15 }' "/proc/$pid/stat")
	t1=$(date +%s%N)
	echo "# TUI (cgtop -d 1 in tmux, 160x50, 50 busy cgroups): first frame after ${first:-?} ms (tmux alone shows a printf after ${base:-?} ms); $(awk -v a="$cpu0" -v b="$cpu1" -v hz="$hz" -v t="$((t1 - t0))" 'BEGIN { printf "%.2f%% of one CPU", (b - a) / hz / (t / 1e9) * 100 }') over 30 s (target: under 1%)"
	tmux -L cgtop-bench kill-server 2>/dev/null
	TUI_SESSION=
}
echo
if [ "${BENCH_TUI:-1}" != 0 ] && "$CGTOP" --help 2>/dev/null | grep -q -- --no-color; then
	# on the host as it is, without the 5,000 scopes
	if [ -n "$ROOT" ]; then
		rm -rf "$ROOT"/sys/fs/cgroup/*/"$SLICE"
	elif [ "$KEEP" != 1 ] && [ ${#DIRS[@]} -gt 0 ]; then
		"$CGBENCH" remove "${DIRS[@]}" && DIRS=()
	fi
	tui_cost
else
	echo "# TUI: this cgtop has no interactive screen (or BENCH_TUI=0): not measured"
fi
