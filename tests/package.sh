#!/usr/bin/env bash
# package.sh BUILDDIR VERSION: what `make package-check` runs once `make deb rpm` has left
# cgtop_VERSION-1_ARCH.deb and cgtop-VERSION-1.ARCH.rpm in BUILDDIR.
#   1. the .deb installs on this machine (dpkg -i) and writes no file that was there before
#   2. the installed cgtop runs from /usr/bin (--version says VERSION; cgtop -b -n 1), man
#      finds its manual, bash-completion its completion, systemd accepts its unit, which
#      is neither enabled nor started
#   3. dpkg -r removes every file it installed, and dpkg -P leaves the directories it
#      touched (and systemd's enablement state) as they were before
#   4. the .rpm holds the same files as the .deb, Debian's paths mapped to RHEL's, and its
#      scriptlets are the systemd macros' (no macro left unexpanded)
# It needs root (it installs a package) and fails, never skips, when something is missing.
# Whatever happens, it leaves cgtop uninstalled.
set -u
build=$1 version=$2
fail=0
ok() { echo "ok $*"; }
bad() { echo "FAIL $*"; fail=1; }
die() { echo "FAIL $*"; exit 1; }

[ "$(id -u)" = 0 ] || die "package.sh installs a package: run make package-check as root"
for tool in dpkg dpkg-deb rpm man bash systemd-analyze; do
	command -v "$tool" >/dev/null || die "$tool is needed (see the README's apt-get line)"
done
[ -f /usr/share/bash-completion/bash_completion ] || die "bash-completion is needed"
arch=$(dpkg --print-architecture)
deb=$build/cgtop_${version}-1_${arch}.deb
rpmfile=$(ls "$build"/cgtop-"$version"-1*.rpm 2>/dev/null | grep -v '\.src\.rpm$' | head -n 1)
[ -f "$deb" ] || die "no $deb: run make deb"
[ -n "$rpmfile" ] || die "no cgtop-$version-1*.rpm in $build: run make rpm"
if dpkg-query -W -f '${Status}' cgtop 2>/dev/null | grep -q 'installed\|config-files'; then
	die "a cgtop package is on this machine already: this test would replace it (dpkg -P cgtop first)"
fi

tmp=$(mktemp -d /tmp/cgtop-package.XXXXXX)
installed=0
cleanup() {
	[ "$installed" = 1 ] && dpkg -P cgtop >/dev/null 2>&1
	rm -rf "$tmp"
}
trap cleanup EXIT

# The package's files (not its directories), as dpkg-deb and rpm list them.
dpkg-deb -c "$deb" | awk '$1 !~ /^d/ { sub(/^\./, "", $6); print $6 }' | sort > "$tmp/deb.files"
[ -s "$tmp/deb.files" ] || die "dpkg-deb -c $deb lists no file"
# Every place the package writes to, and where systemd keeps enablement state: their
# listings before the install and after the purge must be the same.
watched="/usr/bin /usr/share/man/man1 /usr/share/bash-completion/completions /usr/share/doc/cgtop
	/usr/share/lintian/overrides /usr/share/cgtop
	/lib/systemd/system /usr/lib/systemd/system /etc/systemd/system
	/var/lib/systemd/deb-systemd-helper-enabled /var/lib/systemd/deb-systemd-helper-masked"
snapshot() {
	local d
	for d in $watched; do
		[ -e "$d" ] && find "$d/" -printf '%p %y %s %m\n'
	done 2>/dev/null | sed 's|//|/|' | sort
}
while read -r f; do
	under=0
	for d in $watched; do case $f in "$d"/*) under=1 ;; esac; done
	[ "$under" = 1 ] || bad "the package installs $f, outside the directories this test watches"
	[ -e "$f" ] || [ -L "$f" ] && die "$f exists before the install: dpkg -i would overwrite it (make install'ed?)"
done < "$tmp/deb.files"
snapshot > "$tmp/before"

# ---------------------------------------------------------------- 1. install
installed=1
if dpkg -i "$deb" > "$tmp/dpkg-i.log" 2>&1; then
	ok "dpkg -i $(basename "$deb")"
else
	cat "$tmp/dpkg-i.log"
	die "dpkg -i $(basename "$deb") failed"
fi
dpkg -L cgtop | sort > "$tmp/dpkg-L"
while read -r f; do
	[ -f "$f" ] || bad "$f is in the package but not on disk"
done < "$tmp/deb.files"
for f in /usr/bin/cgtop /usr/share/man/man1/cgtop.1.gz \
	/usr/share/bash-completion/completions/cgtop /usr/share/doc/cgtop/README.md.gz \
	/usr/share/doc/cgtop/copyright /usr/share/doc/cgtop/changelog.Debian.gz \
	/usr/share/cgtop/cgtop.rules.yml; do
	grep -qx "$f" "$tmp/deb.files" || bad "the .deb has no $f"
done
unit=$(grep -E '^(/usr)?/lib/systemd/system/cgtop\.service$' "$tmp/deb.files")
[ -n "$unit" ] && ok "the unit is $unit" || bad "the .deb has no cgtop.service in (/usr)/lib/systemd/system"
promunit=$(grep -E '^(/usr)?/lib/systemd/system/cgtop-prometheus\.service$' "$tmp/deb.files")
[ -n "$promunit" ] && ok "the Prometheus unit is $promunit" ||
	bad "the .deb has no cgtop-prometheus.service in (/usr)/lib/systemd/system"
echo "installed files:"
sed 's/^/  /' "$tmp/deb.files"

# ---------------------------------------------------------------- 2. it works
v=$(/usr/bin/cgtop --version 2>&1)
[ "$v" = "cgtop $version" ] && ok "/usr/bin/cgtop --version: $v" || bad "/usr/bin/cgtop --version says '$v', not 'cgtop $version'"
[ "$(command -v cgtop)" = /usr/bin/cgtop ] || bad "cgtop on PATH is $(command -v cgtop), not /usr/bin/cgtop"
if /usr/bin/cgtop -b -n 1 > "$tmp/batch.out" 2> "$tmp/batch.err"; then
	# a header and at least the root cgroup's row
	if [ "$(wc -l < "$tmp/batch.out")" -ge 2 ] && grep -q '^/ \|[[:space:]]/$\|[[:space:]]/[[:space:]]' "$tmp/batch.out"; then
		ok "/usr/bin/cgtop -b -n 1: $(wc -l < "$tmp/batch.out") lines, the root cgroup among them"
	else
		bad "/usr/bin/cgtop -b -n 1 printed no root cgroup row:"; head -n 20 "$tmp/batch.out"
	fi
else
	bad "/usr/bin/cgtop -b -n 1 failed:"; cat "$tmp/batch.err"
fi
page=$(man -w cgtop 2>&1)
[ "$page" = /usr/share/man/man1/cgtop.1.gz ] && ok "man -w cgtop: $page" || bad "man -w cgtop: '$page'"
if MANWIDTH=80 MANPAGER=cat PAGER=cat man cgtop 2>/dev/null | grep -q 'cgtop.*cgroup'; then
	ok "man cgtop shows the manual"
else
	bad "man cgtop does not show the manual"
fi
comp=$(env -u BASH_COMPLETION_USER_DIR HOME="$tmp" XDG_DATA_HOME="$tmp" bash -c \
	'. /usr/share/bash-completion/bash_completion && __load_completion cgtop && complete -p cgtop' 2>&1)
[ "$comp" = "complete -F _cgtop cgtop" ] && ok "bash-completion loads it: $comp" || bad "bash-completion: '$comp'"
for u in $unit $promunit; do
	out=$(SYSTEMD_LOG_LEVEL=notice systemd-analyze verify "$u" 2>&1)
	[ -z "$out" ] && ok "systemd-analyze verify $u" || bad "systemd-analyze verify $u: $out"
	grep -qx 'ExecStart=/usr/bin/cgtop .*' "$u" || bad "$u does not start /usr/bin/cgtop"
done
[ -z "$promunit" ] || grep -q ' --output=/var/lib/prometheus/node-exporter/cgtop.prom' "$promunit" ||
	bad "$promunit does not write where prometheus-node-exporter reads"
if command -v promtool >/dev/null; then
	out=$(promtool check rules /usr/share/cgtop/cgtop.rules.yml 2>&1) &&
		ok "promtool check rules /usr/share/cgtop/cgtop.rules.yml: $(grep -o '[0-9]* rules found' <<<"$out")" ||
		bad "promtool check rules /usr/share/cgtop/cgtop.rules.yml: $out"
fi
links=$(find /etc/systemd/system -name 'cgtop*' 2>/dev/null)
[ -z "$links" ] && ok "cgtop.service, cgtop-prometheus.service are not enabled (no link in /etc/systemd/system)" ||
	bad "a cgtop unit is enabled: $links"
if [ -d /run/systemd/system ]; then
	for u in cgtop.service cgtop-prometheus.service; do
		st=$(systemctl is-active "$u" 2>&1)
		[ "$st" = inactive ] && ok "$u is not started" || bad "systemctl is-active $u: $st"
	done
fi

# ---------------------------------------------------------------- 3. remove, purge
if dpkg -r cgtop > "$tmp/dpkg-r.log" 2>&1; then ok "dpkg -r cgtop"; else cat "$tmp/dpkg-r.log"; bad "dpkg -r cgtop failed"; fi
left=$(while read -r f; do [ -e "$f" ] || [ -L "$f" ] && echo "$f"; done < "$tmp/deb.files")
[ -z "$left" ] && ok "dpkg -r removed every installed file" || bad "dpkg -r left: $left"
if dpkg -P cgtop > "$tmp/dpkg-P.log" 2>&1; then ok "dpkg -P cgtop"; else cat "$tmp/dpkg-P.log"; bad "dpkg -P cgtop failed"; fi
installed=0
dpkg-query -W cgtop >/dev/null 2>&1 && bad "dpkg still knows cgtop after the purge"
snapshot > "$tmp/after"
if cmp -s "$tmp/before" "$tmp/after"; then
	ok "after the purge, $(wc -l < "$tmp/after") entries below the watched directories are as before"
else
	bad "the purge left the watched directories changed:"; diff "$tmp/before" "$tmp/after"
fi

# ---------------------------------------------------------------- 4. the .rpm
# The same files, Debian's paths mapped to RHEL's:
#   /lib/systemd/system/X         -> /usr/lib/systemd/system/X (bookworm's systemd uses /lib)
#   /usr/share/doc/cgtop/X.gz     -> /usr/share/doc/cgtop/X (dh_compress gzips documents)
#   /usr/share/doc/cgtop/changelog.Debian.gz, copyright -> none (an RPM carries its
#                                    changelog and license in its header)
#   /usr/share/lintian/overrides/cgtop -> none (Debian's lintian only)
# and the RPM's /usr/lib/.build-id/ links to the binary are left out (RHEL's way of finding
# debug information; Debian's are in the cgtop-dbgsym package).
sed -e 's|^/lib/systemd/|/usr/lib/systemd/|' \
	-e '\|^/usr/share/doc/cgtop/changelog\.Debian\.gz$|d' \
	-e '\|^/usr/share/doc/cgtop/copyright$|d' \
	-e '\|^/usr/share/lintian/overrides/cgtop$|d' \
	-e 's|^\(/usr/share/doc/cgtop/.*\)\.gz$|\1|' "$tmp/deb.files" | sort > "$tmp/deb.mapped"
rpm -qp --qf '[%{FILEMODES:perms} %{FILENAMES}\n]' "$rpmfile" 2>/dev/null |
	awk '$1 !~ /^d/ && $2 !~ "^/usr/lib/[.]build-id/" { print $2 }' | sort > "$tmp/rpm.files"
rpm -qlp "$rpmfile" > "$tmp/rpm.qlp" 2>&1 || { cat "$tmp/rpm.qlp"; die "rpm -qlp $rpmfile failed"; }
if [ -s "$tmp/rpm.files" ] && cmp -s "$tmp/deb.mapped" "$tmp/rpm.files"; then
	ok "rpm -qlp $(basename "$rpmfile"): the .deb's $(wc -l < "$tmp/rpm.files") files (mapped)"
else
	bad "rpm -qlp $(basename "$rpmfile") and the .deb differ (< deb mapped, > rpm):"
	diff "$tmp/deb.mapped" "$tmp/rpm.files"
fi
rv=$(rpm -qp --qf '%{VERSION}' "$rpmfile" 2>/dev/null)
[ "$rv" = "$version" ] && ok "the .rpm's version is $rv" || bad "the .rpm's version is '$rv', not $version"
scripts=$(rpm -qp --scripts "$rpmfile" 2>/dev/null)
n=$(echo "$scripts" | grep -cE '^(postinstall|preuninstall|postuninstall) scriptlet')
if [ "$n" = 3 ] && [ "$(echo "$scripts" | grep -c 'cgtop\.service')" -ge 3 ] &&
	[ "$(echo "$scripts" | grep -c 'cgtop-prometheus\.service')" -ge 3 ] &&
	! echo "$scripts" | grep -q '%[{a-z]'; then
	ok "the .rpm's %post, %preun and %postun are the systemd macros' for cgtop.service and cgtop-prometheus.service"
else
	bad "the .rpm's scriptlets are not the systemd macros':"; echo "$scripts"
fi

[ "$fail" = 0 ] && echo "PASS package-check: cgtop $version as .deb and .rpm" || echo "FAIL package-check"
exit "$fail"
