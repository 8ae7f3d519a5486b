#!/usr/bin/env bash
# run-fuzzers.sh BUILDDIR [SECONDS]: run every libFuzzer target of BUILDDIR (configured
# with --enable-fuzzing) for SECONDS each (default 25), starting from the regression
# inputs and the seeds made from the fixtures. Prints the executions per target.
# A crash fails the run; its input is copied to BUILDDIR/fuzz-crashes/<target>/ and is
# to be fixed and then kept in tests/fuzz/regress/<target>/ (replayed by make check).
set -u
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:?usage: run-fuzzers.sh BUILDDIR [SECONDS]}" && pwd)
secs=${2:-25}
fixtures=$here/../fixtures
targets=$(cd "$here" && ls fuzz_*.c | sed 's/^fuzz_//; s/\.c$//') # every target whose source is there
work=$build/fuzz-work
crashes=$build/fuzz-crashes
rm -rf "$work"
mkdir -p "$work" "$crashes"
if ! grep -q '^#define CGTOP_LIBFUZZER 1' "$build/config.h" 2>/dev/null; then
	echo "run-fuzzers: $build is not configured with --enable-fuzzing" >&2
	exit 2
fi
make -C "$build" -s $(for t in $targets; do printf 'tests/fuzz/fuzz_%s ' "$t"; done) >/dev/null || exit 1

fail=0 total=0
printf '%-16s %12s %10s %8s  %s\n' TARGET EXECUTIONS EXEC/S CORPUS RESULT
for t in $targets; do
	corpus=$work/$t/corpus
	mkdir -p "$corpus" "$work/$t/artifacts"
	bash "$here/seeds.sh" "$t" "$fixtures" "$corpus" >/dev/null
	cp "$here/regress/$t"/* "$corpus/" 2>/dev/null
	# -close_fd_mask=1: a target's stdout is not ours; leaks are searched for too
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
		"$build/tests/fuzz/fuzz_$t" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
		-max_len=65536 -print_final_stats=1 -close_fd_mask=1 \
		-artifact_prefix="$work/$t/artifacts/" "$corpus" >"$work/$t/log" 2>&1
	st=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/$t/log" | tail -n 1)
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$work/$t/log" | tail -n 1)
	size=$(find "$corpus" -type f | wc -l)
	result=ok
	if [ "$st" -ne 0 ] || [ -n "$(ls -A "$work/$t/artifacts")" ]; then
		result="CRASH (status $st)"
		fail=1
		mkdir -p "$crashes/$t"
		cp "$work/$t/artifacts"/* "$crashes/$t/" 2>/dev/null
	fi
	total=$((total + ${execs:-0}))
	printf '%-16s %12s %10s %8s  %s\n' "$t" "${execs:-?}" "${rate:-?}" "$size" "$result"
	if [ "$result" != ok ]; then
		grep -E 'ERROR|SUMMARY|#[0-9]+ 0x|runtime error|Test unit written' "$work/$t/log" | head -n 30 | sed 's/^/   | /'
		echo "   | inputs kept in $crashes/$t/ (add them to tests/fuzz/regress/$t/ once fixed)"
	fi
done
echo "fuzzing: $total executions over $(wc -w <<<"$targets") targets, ${secs}s each"
[ "$fail" -eq 0 ] && echo "fuzzing: no crash" || echo "fuzzing: CRASHES found (see above)"
exit $fail
