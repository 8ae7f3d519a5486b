#!/usr/bin/env bash
# hardening-check.sh TARBALL BUILDDIR: what `make hardening-check` runs after distcheck.
#   1. the whole test suite (make check) on an AddressSanitizer + UndefinedBehaviorSanitizer
#      build: any report fails it (leaks included)
#   2. every parser's libFuzzer target for FUZZ_SECONDS (default 20) each (clang)
#   3. valgrind memcheck of `cgtop -b -n 3` (text and JSON) on this host, from BUILDDIR's
#      normal build: no error, no definite or indirect leak
# Each build is made from TARBALL (the distribution) in BUILDDIR/_hardening/, so what is
# checked is what is shipped. Prints a summary; exit status 0 only when all three pass.
set -u
tarball=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
build=$(cd "$2" && pwd)
work=$build/_hardening
secs=${FUZZ_SECONDS:-20}
jobs=${HARDENING_JOBS:-2}
rm -rf "$work"
mkdir -p "$work"
say() { printf '\n===== hardening: %s\n' "$*"; }
# unpack NAME: the distribution in $work/NAME; prints its source directory
unpack() {
	mkdir -p "$work/$1" && tar -C "$work/$1" -xzf "$tarball" && echo "$work/$1"/*/
}
asan_st=1 fuzz_st=1 vg_st=1
asan_summary="not run" fuzz_summary="not run" vg_summary="not run"

# ---------------------------------------------------------------- 1. sanitizers
say "ASan + UBSan build, whole test suite"
t0=$SECONDS
src=$(unpack asan)
san='-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer -g -O1'
if (cd "$src" && ./configure --enable-werror CFLAGS="$san" LDFLAGS='-fsanitize=address,undefined' \
	>"$work/asan-configure.log" 2>&1 && make -j"$jobs" >"$work/asan-make.log" 2>&1); then
	# halt on the first report of either; tests see CGTOP_SANITIZED (valgrind cannot run
	# an ASan binary: tui.test runs its valgrind part on the normal build only)
	(cd "$src" && CGTOP_SANITIZED=1 \
		ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:detect_stack_use_after_return=1:strict_string_checks=1 \
		UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
		make -j"$jobs" check 2>&1) | tee "$work/asan-check.log"
	asan_st=${PIPESTATUS[0]}
	find "$src" -name test-suite.log -newer "$work/asan-make.log" -exec sh -c '[ $0 = 0 ] || cat "$1"' "$asan_st" {} \;
	pass=$(sed -n 's/^# PASS: *//p' "$work/asan-check.log" | tail -n 1)
	failed=$(sed -n 's/^# FAIL: *//p' "$work/asan-check.log" | tail -n 1)
	reports=$(grep -cE '^==[0-9]+==(ERROR: [A-Za-z]+Sanitizer|[A-Za-z]+Sanitizer has encountered)|runtime error:' "$src"/tests/*.log "$src"/*.log 2>/dev/null | awk -F: '{ s += $NF } END { print s + 0 }')
	asan_summary="${pass:-0} tests passed, ${failed:-?} failed, $reports sanitizer reports ($((SECONDS - t0)) s)"
	[ "$reports" = 0 ] || asan_st=1
else
	tail -n 30 "$work/asan-configure.log" "$work/asan-make.log" 2>/dev/null
	asan_summary="the ASan build failed"
fi

# ---------------------------------------------------------------- 2. fuzzing
say "libFuzzer, ${secs}s per target"
t0=$SECONDS
src=$(unpack fuzz)
if (cd "$src" && ./configure --enable-fuzzing >"$work/fuzz-configure.log" 2>&1 &&
	make -j"$jobs" >"$work/fuzz-make.log" 2>&1); then
	bash "$src/tests/fuzz/run-fuzzers.sh" "$src" "$secs" 2>&1 | tee "$work/fuzz.log"
	fuzz_st=${PIPESTATUS[0]}
	fuzz_summary="$(sed -n 's/^fuzzing: \([0-9]\)/\1/p' "$work/fuzz.log"), $( [ "$fuzz_st" = 0 ] && echo 'no crash' || echo CRASHES) ($((SECONDS - t0)) s)"
else
	tail -n 30 "$work/fuzz-configure.log" "$work/fuzz-make.log" 2>/dev/null
	fuzz_summary="the fuzzing build failed (clang and libclang-rt-14-dev installed?)"
fi

# ---------------------------------------------------------------- 3. valgrind
say "valgrind memcheck of cgtop -b -n 3 on this host"
vg_st=0
vg_summary=
for fmt in text json; do
	log=$work/valgrind-$fmt.log
	valgrind --vgdb=no --leak-check=full --show-leak-kinds=definite,indirect \
		--errors-for-leak-kinds=definite,indirect --error-exitcode=99 --log-file="$log" \
		"$build/src/cgtop" -b -n 3 -d 0.5 --format="$fmt" >/dev/null 2>"$work/valgrind-$fmt.err"
	st=$?
	errs=$(sed -n 's/.*ERROR SUMMARY: \([0-9]*\) errors.*/\1/p' "$log" | tail -n 1)
	def=$(sed -n 's/.*definitely lost: \([0-9,]*\) bytes.*/\1/p' "$log" | tail -n 1)
	ind=$(sed -n 's/.*indirectly lost: \([0-9,]*\) bytes.*/\1/p' "$log" | tail -n 1)
	heap=$(grep -o 'total heap usage: .*' "$log" | tail -n 1)
	echo "valgrind ($fmt): exit $st, ${errs:-?} errors, definitely lost ${def:-0} bytes, indirectly lost ${ind:-0} bytes; $heap"
	if [ "$st" != 0 ] || [ "${errs:-1}" != 0 ]; then
		vg_st=1
		grep -E '==[0-9]+== ' "$log" | head -n 60
	fi
	vg_summary="$vg_summary$fmt: exit $st, ${errs:-?} errors, lost ${def:-0}+${ind:-0} bytes; "
done

say "summary"
echo "sanitizers (ASan+UBSan, make check): $asan_summary"
echo "fuzzing: $fuzz_summary"
echo "valgrind (cgtop -b -n 3): $vg_summary"
[ "$asan_st" = 0 ] && [ "$fuzz_st" = 0 ] && [ "$vg_st" = 0 ]
