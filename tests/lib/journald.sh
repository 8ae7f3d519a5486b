# shellcheck shell=bash
#
# tests/lib/journald.sh - a systemd-journald of the test's own, for cgtop's --journal.
#
# journald runs in a new mount namespace whose /run is JOURNAL_DIR/run (neither the host's
# journal nor its /run is touched); cgtop runs in that namespace with in_journal_ns, and
# journalctl reads the files back from JOURNAL_DIR/run/log/journal.
#
#   JOURNAL_DIR=$(mktemp -d)   # set by the caller before start_journald
#   start_journald             # exits the test with a FAIL line if journald cannot start
#   in_journal_ns "$CGTOP" -b --journal ...
#   entries N                  # cgtop's entries as JSON Lines, once there are N (5 s at most)
#   stop_journald              # also from the caller's EXIT trap
#
# JOURNALD_PIDS lists every journald started, for a check that none outlives the test.
JOURNALD=
for j in /lib/systemd/systemd-journald /usr/lib/systemd/systemd-journald; do
	[ -x "$j" ] && JOURNALD=$j && break
done
jpid=
JOURNALD_PIDS=

stop_journald() {
	if [ -n "$jpid" ]; then
		kill "$jpid" 2>/dev/null
		wait "$jpid" 2>/dev/null
		jpid=
	fi
}

# Volatile storage (files under JOURNAL_DIR/run/log/journal), no kernel log, no forwarding,
# no rate limit, and the kernel's audit setting left alone (an empty Audit= means "do not
# change it").
start_journald() {
	stop_journald
	if [ -z "$JOURNALD" ]; then
		echo "FAIL: systemd-journald is missing (apt-get install systemd)"
		exit 1
	fi
	rm -rf "$JOURNAL_DIR/run"
	mkdir -p "$JOURNAL_DIR/run/systemd/journald.conf.d"
	cat >"$JOURNAL_DIR/run/systemd/journald.conf.d/zz-cgtop-test.conf" <<-EOC
		[Journal]
		Storage=volatile
		ReadKMsg=no
		ForwardToSyslog=no
		ForwardToKMsg=no
		ForwardToConsole=no
		ForwardToWall=no
		RateLimitBurst=0
		Audit=
	EOC
	SYSTEMD_LOG_TARGET=console SYSTEMD_LOG_LEVEL=info \
		unshare --mount --propagation private -- \
		sh -c 'mount --bind "$1/run" /run && exec "$2"' sh "$JOURNAL_DIR" "$JOURNALD" >"$JOURNAL_DIR/journald.log" 2>&1 &
	jpid=$!
	JOURNALD_PIDS="$JOURNALD_PIDS $jpid"
	for _ in $(seq 100); do
		[ -S "$JOURNAL_DIR/run/systemd/journal/socket" ] && return 0
		kill -0 "$jpid" 2>/dev/null || break
		sleep 0.05
	done
	echo "FAIL: systemd-journald did not start: $(tail -n 5 "$JOURNAL_DIR/journald.log")"
	exit 1
}

# in_journal_ns CMD...: run CMD in journald's mount namespace, where its socket is /run/...
in_journal_ns() { nsenter --target "$jpid" --mount -- "$@"; }

# entries N [MATCH...]: cgtop's entries as JSON Lines, once journalctl sees N of them (5 s
# at most)
entries() {
	local out n want=$1
	shift
	for _ in $(seq 50); do
		out=$(journalctl -D "$JOURNAL_DIR/run/log/journal" -o json --no-pager SYSLOG_IDENTIFIER=cgtop "$@" 2>/dev/null)
		n=$(grep -c . <<<"$out")
		[ "$n" -ge "$want" ] && break
		sleep 0.1
	done
	printf '%s\n' "$out"
}
