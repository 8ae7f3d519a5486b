# shellcheck shell=bash
# Tests that load the CPUs or start engines (live, meta-live, docker, tui, service) run one
# at a time even under make -j: their figures assume no other heavy test runs beside them.
# The lock is a directory holding the owner's PID in the build directory; a lock whose owner
# has exited is taken over, so no trap is needed and no daemon can hold it by inheritance.
# CGTOP_HEAVY_LOCK names another place for it, shared by several build directories on
# one machine (worktrees whose suites run at once).
heavy_lock() {
	local dir=${CGTOP_HEAVY_LOCK:-cgtop-heavy-tests.lock} owner tries=0
	while ! mkdir "$dir" 2>/dev/null; do
		owner=$(cat "$dir/pid" 2>/dev/null)
		if [ -n "$owner" ] && ! kill -0 "$owner" 2>/dev/null; then
			rm -rf "$dir"
			continue
		fi
		tries=$((tries + 1))
		if [ "$tries" -ge 2400 ]; then
			echo "# the heavy-test lock has been held by pid $owner for 20 minutes: going on without it"
			return 0
		fi
		sleep 0.5
	done
	echo "$$" >"$dir/pid"
}
heavy_lock
