/* Unit tests of container recognition from cgroup paths. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "container.h"
#include "snapshot.h"
#include "util.h"

#define ID "b25aa6e03826d42d0d4ad6788365cc7e1db006f24278c57cc4160f5fd1b19d2a"

static void expect(const char *path, enum ctr_runtime rt, const char *id)
{
	struct container_ref ref;
	bool ok = cgpath_container_id(path, &ref);

	if (rt == RT_NONE) {
		assert_false(ok);
		assert_int_equal(ref.runtime, RT_NONE);
		return;
	}
	assert_true(ok);
	assert_int_equal(ref.runtime, rt);
	assert_string_equal(ref.id, id);
}

static void test_docker(void **state)
{
	/* systemd driver, as on RHEL 7 / TripleO (seed notes) */
	expect("/system.slice/docker-" ID ".scope", RT_DOCKER, ID);
	/* cgroupfs driver and --cgroup-parent=/system.slice */
	expect("/docker/" ID, RT_DOCKER, ID);
	expect("/system.slice/" ID, RT_DOCKER, ID);
	/* the shm mount unit of the same container is not the container */
	expect("/system.slice/var-lib-docker-containers-" ID "-shm.mount", RT_NONE, NULL);
	/* 63 or 65 hex digits, upper case, or a wrong suffix are not IDs */
	expect("/system.slice/docker-" "b25aa6e03826d42d0d4ad6788365cc7e1db006f24278c57cc4160f5fd1b19d2" ".scope",
	       RT_NONE, NULL);
	expect("/docker/" ID "a", RT_NONE, NULL);
	expect("/docker/B25AA6E03826D42D0D4AD6788365CC7E1DB006F24278C57CC4160F5FD1B19D2A", RT_NONE, NULL);
	expect("/system.slice/docker-" ID ".service", RT_NONE, NULL);
	expect("/system.slice/docker.service", RT_NONE, NULL);
	expect("/", RT_NONE, NULL);
}

static void test_other_runtimes(void **state)
{
	expect("/machine.slice/libpod-" ID ".scope", RT_PODMAN, ID);
	expect("/machine.slice/libpod-conmon-" ID ".scope", RT_CONMON, ID);
	expect("/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-" ID ".scope", RT_PODMAN, ID);
	expect("/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod0d3b3a4c_1f2e_4b5a_9c8d_7e6f5a4b3c2d.slice/"
	       "cri-containerd-" ID ".scope", RT_CONTAINERD, ID);
	expect("/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod12_34.slice/crio-" ID ".scope",
	       RT_CRIO, ID);
	expect("/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod0d3b3a4c_1f2e_4b5a_9c8d_7e6f5a4b3c2d.slice",
	       RT_K8S_POD, "0d3b3a4c-1f2e-4b5a-9c8d-7e6f5a4b3c2d");
	expect("/kubepods.slice/kubepods-pod0d3b3a4c_1f2e.slice", RT_K8S_POD, "0d3b3a4c-1f2e");
	expect("/kubepods.slice/kubepods-burstable.slice", RT_NONE, NULL);
	expect("/machine.slice/machine-qemu\\x2d1\\x2dvm1.scope", RT_MACHINED, "qemu-1-vm1");
	expect("/lxc.payload.web01", RT_LXC, "web01");
	expect("/lxc.payload.", RT_NONE, NULL);
	/* a name longer than the 127 bytes kept is not taken for a container */
	expect("/lxc.payload.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	       RT_NONE, NULL);
	expect("/lxc.payload.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	       RT_LXC, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
}

#define UID "0d3b3a4c-1f2e-4b5a-9c8d-7e6f5a4b3c2d"

/* podman's layouts: systemd (rootful and rootless), cgroupfs, pods */
static void test_podman_layouts(void **state)
{
	/* --cgroup-manager cgroupfs, seen here (podman 4.3, /proc/<pid>/cgroup) */
	expect("/libpod_parent/libpod-" ID, RT_PODMAN, ID);
	expect("/custom-parent/libpod-" ID, RT_PODMAN, ID);
	/* its conmon: one cgroup for all monitors, nobody's */
	expect("/libpod_parent/conmon", RT_NONE, NULL);
	/* a pod with cgroupfs is /libpod_parent/<pod id>, its containers inside */
	expect("/libpod_parent/" ID, RT_NONE, NULL);
	expect("/libpod_parent/" ID "/libpod-" ID, RT_PODMAN, ID);
	/* a pod with systemd: machine-libpod_pod_<id>.slice (rootful) */
	expect("/machine.slice/machine-libpod_pod_" ID ".slice/libpod-" ID ".scope", RT_PODMAN, ID);
	expect("/machine.slice/machine-libpod_pod_" ID ".slice", RT_NONE, NULL);
	/* rootless: under the user's manager, user.slice (podman 4) or app.slice */
	expect("/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-conmon-" ID ".scope", RT_CONMON, ID);
	expect("/user.slice/user-1000.slice/user@1000.service/app.slice/libpod-" ID ".scope", RT_PODMAN, ID);
	expect("/user.slice/user-1000.slice/user@1000.service/user.slice/user-libpod_pod_" ID ".slice/libpod-" ID
	       ".scope", RT_PODMAN, ID);
	/* crun's payload sub-cgroup is the container's own row's child, not a container */
	expect("/machine.slice/libpod-" ID ".scope/container", RT_NONE, NULL);
	expect("/libpod_parent/libpod-" ID "x", RT_NONE, NULL);
	expect("/libpod_parent/libpod-", RT_NONE, NULL);
}

/* the kubelet's cgroupfs driver: containerd's and CRI-O's layouts */
static void test_kubepods_cgroupfs(void **state)
{
	/* containerd: /kubepods/<qos>/pod<uid>/<id>, guaranteed pods right under kubepods */
	expect("/kubepods/burstable/pod" UID "/" ID, RT_CONTAINERD, ID);
	expect("/kubepods/besteffort/pod" UID "/" ID, RT_CONTAINERD, ID);
	expect("/kubepods/pod" UID "/" ID, RT_CONTAINERD, ID);
	/* kind or a nested node: kubepods below the node's own cgroup */
	expect("/docker/" ID "/kubepods/burstable/pod" UID "/" ID, RT_CONTAINERD, ID);
	/* CRI-O: crio-<id>, its conmon crio-conmon-<id> beside it */
	expect("/kubepods/burstable/pod" UID "/crio-" ID, RT_CRIO, ID);
	expect("/kubepods/burstable/pod" UID "/crio-conmon-" ID, RT_CONMON, ID);
	/* the pods themselves */
	expect("/kubepods/burstable/pod" UID, RT_K8S_POD, UID);
	expect("/kubepods/pod" UID, RT_K8S_POD, UID);
	/* not pods: the QoS classes, a pod-like name elsewhere, a UID that is no UID */
	expect("/kubepods/burstable", RT_NONE, NULL);
	expect("/kubepods", RT_NONE, NULL);
	expect("/system.slice/pod" UID, RT_NONE, NULL);
	expect("/kubepods/burstable/podXYZ", RT_NONE, NULL);
	expect("/kubepods/burstable/pod", RT_NONE, NULL);
	/* "kubepods" must be a whole component */
	expect("/notkubepods/burstable/pod" UID "/" ID, RT_DOCKER, ID);
	expect("/kubepods.slice/" ID, RT_DOCKER, ID);
}

static void test_unescape(void **state)
{
	char *u = unit_unescape("system-ceph\\x2dmon.slice");

	/* the seed's Ceph monitors: system-ceph\x2dmon.slice/ceph-mon@lab-controller01.service */
	assert_string_equal(u, "system-ceph-mon.slice");
	free(u);
	u = unit_unescape("a\\x2Fb\\x2");
	assert_string_equal(u, "a/b\\x2");
	free(u);
	u = unit_unescape("\\xzz");
	assert_string_equal(u, "\\xzz");
	free(u);
}

/* One sample of a container as track_life sees it: STATE from the list, the inspect's
 * RESTARTS and STARTED (stale: an earlier inspect's, carried). */
static struct ctr_life_seen life(unsigned state, bool stale, unsigned restarts, long long started)
{
	struct ctr_life_seen e = { .life = true, .life_stale = stale, .restarts = restarts,
				   .started_at = started, .state = state, .health = CHE_NONE };

	return e;
}

/* Run the samples V[0..N) through ctr_life_step, V[0] in cgtop's first sample; the
 * events of each into EV. */
static void steps(struct ctr_life_seen *v, size_t n, unsigned *ev)
{
	for (size_t i = 0; i < n; i++)
		ev[i] = ctr_life_step(i ? &v[i - 1] : NULL, &v[i], i > 0);
}

/* A record is 40 bytes, the ID borrowed (a host with 10,000 named containers kept 184
 * bytes of each, twice): every state and health fits, and a step leaves the ID alone. */
static void test_life_seen_size(void **state)
{
	static const char id[] = "4444444444444444444444444444444444444444444444444444444444444444";
	struct ctr_life_seen p = life(CST_DEAD, false, 1, 100), e = life(CST_RUNNING, false, 2, 200);

	(void)state;
	assert_int_equal(sizeof(struct ctr_life_seen), 40);
	p.id = e.id = id;
	p.health = CHE_UNHEALTHY;
	assert_int_equal(p.state, CST_DEAD);
	assert_int_equal(p.health, CHE_UNHEALTHY);
	e.health = CHE_UNHEALTHY;
	assert_int_equal(ctr_life_step(&p, &e, true), CTR_EV_RESTART);
	assert_ptr_equal(e.id, id);
	assert_int_equal(e.seen, 1);
	assert_int_equal(e.life_state, CST_RUNNING);
}

/* A restart is told once: by the engine's count, by hand by a new start time, never by
 * both, nor twice when an inspect timed out in between (docker.test saw "restarted,
 * restart count 2" twice in the journal). */
static void test_life_step(void **state)
{
	unsigned ev[5];
	(void)state;

	/* the restart policy: restarting with the count up, the inspect of the next fetch
	 * timed out (the list's "running" beside the start time before the restart), then
	 * the new start time */
	struct ctr_life_seen a[] = {
		life(CST_RUNNING, false, 1, 100), life(CST_RESTARTING, false, 2, 100),
		life(CST_RUNNING, true, 2, 100), life(CST_RUNNING, false, 2, 200),
		life(CST_RUNNING, false, 2, 200),
	};
	steps(a, 5, ev);
	assert_int_equal(ev[0], 0); /* no record before: the first sample */
	assert_int_equal(ev[1], CTR_EV_RESTART);
	assert_int_equal(ev[2], 0); /* the end of a restart already told */
	assert_int_equal(ev[3], 0);
	assert_int_equal(ev[4], 0);
	assert_int_equal(a[4].seen, 1);
	assert_int_equal(a[2].life_state, CST_RESTARTING);

	/* by hand (docker restart: the count stays), with a stale inspect before the new
	 * start time: one restart */
	struct ctr_life_seen b[] = {
		life(CST_RUNNING, false, 0, 100), life(CST_RUNNING, true, 0, 100),
		life(CST_RUNNING, false, 0, 300), life(CST_RUNNING, false, 0, 300),
	};
	steps(b, 4, ev);
	assert_int_equal(ev[1], 0);
	assert_int_equal(ev[2], CTR_EV_RESTART);
	assert_int_equal(ev[3], 0);
	assert_int_equal(b[3].seen, 1);

	/* the restart policy, the list's "running" (a moment before the restart) beside an
	 * inspect made during it: the count up, the start time the run before's; then that
	 * start time still, then the new one, then a restart by hand: two restarts, each told
	 * once (docker.test saw "restarted, restart count 2" twice in the journal again) */
	struct ctr_life_seen r[] = {
		life(CST_RUNNING, false, 1, 100), life(CST_RUNNING, false, 2, 100),
		life(CST_RUNNING, false, 2, 100), life(CST_RUNNING, false, 2, 200),
		life(CST_RUNNING, false, 2, 300),
	};
	steps(r, 5, ev);
	assert_int_equal(ev[1], CTR_EV_RESTART);
	assert_int_equal(ev[2], 0);
	assert_int_equal(ev[3], 0); /* the start of the restart told at [1] */
	assert_int_equal(ev[4], CTR_EV_RESTART); /* by hand */
	assert_int_equal(r[4].seen, 2);
	assert_int_equal(r[3].life_state, CST_RUNNING);

	/* two restarts between samples, the new start time in the same inspect: told once,
	 * counted twice */
	struct ctr_life_seen c[] = { life(CST_RUNNING, false, 1, 100), life(CST_RUNNING, false, 3, 400) };
	steps(c, 2, ev);
	assert_int_equal(ev[1], CTR_EV_RESTART);
	assert_int_equal(c[1].seen, 2);

	/* nothing known this time: what was stays (stale), so nothing looks new next time */
	struct ctr_life_seen d[] = { life(CST_RUNNING, false, 1, 100), life(CST_RUNNING, false, 0, 0),
				     life(CST_RUNNING, false, 1, 100) };
	d[1].life = false;
	steps(d, 3, ev);
	assert_true(d[1].life && d[1].life_stale);
	assert_int_equal(d[1].restarts, 1);
	assert_int_equal(ev[1], 0);
	assert_int_equal(ev[2], 0);

	/* new since the previous sample, which was complete: started; exited and
	 * OOM-killed: both; the first sample says nothing */
	struct ctr_life_seen e = life(CST_RUNNING, false, 0, 100);
	assert_int_equal(ctr_life_step(NULL, &e, true), CTR_EV_START);
	assert_int_equal(ctr_life_step(NULL, &e, false), 0);
	e = life(CST_EXITED, false, 0, 100);
	e.oom_killed = true;
	assert_int_equal(ctr_life_step(NULL, &e, true), CTR_EV_STOP | CTR_EV_OOM);

	/* stopped, then started by hand: stop, then start (not a restart: the state was
	 * exited) ... docker start gives a new start time, which is a restart by hand */
	struct ctr_life_seen f[] = { life(CST_RUNNING, false, 0, 100), life(CST_EXITED, false, 0, 100),
				     life(CST_RUNNING, false, 0, 500) };
	f[1].finished_at = 150;
	f[2].finished_at = 150;
	steps(f, 3, ev);
	assert_int_equal(ev[1], CTR_EV_STOP);
	assert_int_equal(ev[2], CTR_EV_RESTART);
	assert_int_equal(f[2].seen, 1);

	/* unhealthy once, until it is healthy again */
	struct ctr_life_seen g[] = { life(CST_RUNNING, false, 0, 100), life(CST_RUNNING, false, 0, 100),
				     life(CST_RUNNING, false, 0, 100) };
	g[1].health = g[2].health = CHE_UNHEALTHY;
	steps(g, 3, ev);
	assert_int_equal(ev[1], CTR_EV_UNHEALTHY);
	assert_int_equal(ev[2], 0);
}

/* The arena: aligned items, an item larger than a chunk, and a reset that reuses the
 * chunks it has (the same addresses again) instead of allocating. */
static void test_arena(void **state)
{
	struct arena a = { 0 };
	char *first, *p;
	void *big;

	(void)state;
	first = arena_strdup(&a, "x");
	assert_string_equal(first, "x");
	p = arena_alloc(&a, 8, 8);
	assert_int_equal((uintptr_t)p % 8, 0);
	big = arena_alloc(&a, 200000, 16); /* past a chunk: one of its own */
	assert_int_equal((uintptr_t)big % 16, 0);
	memset(big, 0xab, 200000);
	for (int i = 0; i < 5000; i++) {
		char s[80];

		snprintf(s, sizeof(s), "%064d", i);
		p = arena_strdup(&a, s);
		assert_string_equal(p, s);
	}
	assert_string_equal(first, "x"); /* earlier items stay where they are */
	arena_reset(&a);
	assert_ptr_equal(arena_strdup(&a, "y"), first);
	arena_free(&a);
	assert_null(a.head);
}

static char *id_of(unsigned i, char *buf)
{
	snprintf(buf, 65, "%064x", i + 1);
	return buf;
}

static uint64_t every_hierarchy(void *ud, const char *path)
{
	(void)ud;
	(void)path;
	return 1;
}

/* Containers FROM to TO - 1, a machine and an LXC container of the longest name kept. */
static struct snapshot *containers(unsigned from, unsigned to)
{
	struct snapshot *s = snapshot_new();
	char path[200], id[65];

	snapshot_row(s, "/", 1);
	snapshot_row(s, "/system.slice", strlen("/system.slice"));
	for (unsigned i = from; i < to; i++) {
		snprintf(path, sizeof(path), "/system.slice/docker-%s.scope", id_of(i, id));
		snapshot_row(s, path, strlen(path));
	}
	snapshot_row(s, "/machine.slice", strlen("/machine.slice"));
	snprintf(path, sizeof(path), "/machine.slice/machine-qemu\\x2d%u\\x2dvm.scope", from);
	snapshot_row(s, path, strlen(path));
	snprintf(path, sizeof(path), "/lxc.payload.%0127u", from);
	snapshot_row(s, path, strlen(path));
	return s;
}

/* The table's IDs through three builds of changing containers: every entry's ID is
 * its cgroup's, found by ID, and the details of containers seen before carried over
 * (the previous build's IDs are read while this build's are written). */
static void test_table_ids(void **state)
{
	struct ctr_table t = { .paths_of = every_hierarchy };
	static const char *const names[] = { "memory" };
	struct snapshot *s[3];
	const struct ctr_cgroups *before[2000];
	unsigned from[3] = { 0, 1000, 1500 }, to[3] = { 3000, 4000, 3500 };
	char id[65], name[140];

	(void)state;
	t.hier_names = names;
	for (int b = 0; b < 3; b++) {
		s[b] = containers(from[b], to[b]);
		ctr_table_build(&t, s[b]);
		assert_int_equal(t.n, to[b] - from[b] + 2);
		for (unsigned i = from[b]; i < to[b]; i++) {
			const struct container_info *c = ctr_table_find(&t, id_of(i, id));

			assert_non_null(c);
			assert_string_equal(c->ref.id, id);
			/* the short ID and the unknown name kept beside the ID */
			assert_int_equal(strlen(container_short_id(c)), 12);
			assert_memory_equal(container_short_id(c), id, 12);
			assert_int_equal(c->unknown_name[0], '?');
			assert_int_equal(c->ref.runtime, RT_DOCKER);
			assert_non_null(strstr(c->path, id));
			assert_non_null(c->cgroups);
			assert_string_equal(c->cgroups->v[0].path, c->path);
			/* carried over from the build before: the same details */
			if (b == 2 && i >= 1500 && i < 3500)
				assert_ptr_equal(c->cgroups, before[i - 1500]);
		}
		/* each row's entry (32-bit indices): a container's scope its own, other rows none */
		for (size_t r = 0; r < s[b]->n; r++) {
			const char *p = s[b]->rows[r].path;
			int32_t k = t.row_ctr[r];

			assert_int_equal(t.row_pod[r], -1);
			if (strstr(p, "/docker-") || strstr(p, "/machine-") || strstr(p, "lxc.payload.")) {
				assert_true(k >= 0 && (size_t)k < t.n);
				assert_ptr_equal(t.v[k].path, p);
			} else {
				assert_int_equal(k, -1);
			}
		}
		if (b == 1)
			for (unsigned i = 1500; i < 3500; i++)
				before[i - 1500] = ctr_table_find(&t, id_of(i, id))->cgroups;
		snprintf(name, sizeof(name), "qemu-%u-vm", from[b]);
		assert_non_null(ctr_table_find(&t, name));
		if (b == 0) /* shorter than 12: all of it */
			assert_string_equal(ctr_table_find(&t, name)->unknown_name, "?qemu-0-vm");
		snprintf(name, sizeof(name), "%0127u", from[b]);
		assert_non_null(ctr_table_find(&t, name));
		assert_null(ctr_table_find(&t, id_of(from[b] - 1, id)));
		if (b > 0)
			snapshot_free(s[b - 1]); /* the table no longer points into it */
	}
	/* a container that is down, added after the build, in an index that grows past it */
	for (unsigned i = 9000; i < 12000; i++)
		ctr_table_add_down(&t, id_of(i, id), RT_DOCKER, NULL);
	for (unsigned i = 9000; i < 12000; i++) {
		const struct container_info *c = ctr_table_find(&t, id_of(i, id));

		assert_string_equal(c->path, "");
		snprintf(name, sizeof(name), "?%.12s", id);
		assert_string_equal(c->unknown_name, name);
	}
	assert_non_null(ctr_table_find(&t, id_of(from[2], id)));
	ctr_table_free(&t);

	/* no details to carry (the text output): the table's own store of IDs holds this
	 * build's, each once */
	struct ctr_table u = { 0 };

	for (int b = 0; b < 3; b++) {
		ctr_table_build(&u, s[2]);
		assert_int_equal(u.n, 2002);
		assert_int_equal(u.nold, 0);
		for (unsigned i = 1500; i < 3500; i++)
			assert_string_equal(ctr_table_find(&u, id_of(i, id))->ref.id, id);
	}
	assert_int_equal(ctr_ids_count(u.ids), 2002);
	ctr_table_free(&u);
	snapshot_free(s[2]);
}

/* A live source's two tables (the published sample's, the one being taken) share one
 * store: an ID both hold is there once; an ID stays while either table's last build
 * holds it, with details carried over (two builds each), and goes when neither does. */
static void test_table_shared_ids(void **state)
{
	static const char *const names[] = { "memory" };
	struct ctr_ids *ids = ctr_ids_new();
	struct ctr_table t[2] = { { .paths_of = every_hierarchy, .ids = ids },
				  { .paths_of = every_hierarchy, .ids = ids } };
	struct snapshot *a = containers(0, 3000), *b = containers(1000, 4000), *c = containers(2000, 2500);
	const struct container_info *x, *y;
	char id[65], name[16];

	(void)state;
	t[0].hier_names = t[1].hier_names = names;
	ctr_table_build(&t[0], a);
	assert_int_equal(ctr_ids_count(ids), 3002);
	ctr_table_build(&t[1], b);
	/* 0-999 only in t[0], 1000-2999 in both, 3000-3999 only in t[1]: 4,000 and the two
	 * named ones of each */
	assert_int_equal(ctr_ids_count(ids), 4004);
	x = ctr_table_find(&t[0], id_of(1500, id));
	y = ctr_table_find(&t[1], id);
	assert_non_null(x);
	assert_non_null(y);
	assert_ptr_equal(x->ref.id, y->ref.id);
	assert_ptr_equal(x->unknown_name, y->unknown_name);
	snprintf(name, sizeof(name), "?%.12s", id);
	assert_string_equal(y->unknown_name, name);
	/* t[0] holds 0-999 still: readable, a lifecycle record may point at them */
	assert_string_equal(ctr_table_find(&t[0], id_of(10, id))->ref.id, id);
	/* a down container's ID, added after a build, is held by that build */
	ctr_table_add_down(&t[1], id_of(9000, id), RT_DOCKER, NULL);
	assert_int_equal(ctr_ids_count(ids), 4005);
	/* t[0] again, with 2000-2499: 0-1999 and 2500-2999 were only its; t[1]'s stay */
	ctr_table_build(&t[0], c);
	assert_int_equal(ctr_ids_count(ids), 3000 + 2 + 2 + 1); /* and the named ones of c */
	assert_string_equal(ctr_table_find(&t[1], id_of(3999, id))->ref.id, id);
	assert_string_equal(ctr_table_find(&t[1], id_of(9000, id))->ref.id, id);
	assert_non_null(ctr_table_find(&t[0], id_of(2100, id))->cgroups);
	/* t[1] again, with the same: only theirs are left, carried over twice */
	ctr_table_build(&t[1], c);
	assert_int_equal(ctr_ids_count(ids), 502);
	assert_ptr_equal(ctr_table_find(&t[0], id_of(2499, id))->ref.id,
			 ctr_table_find(&t[1], id_of(2499, id))->ref.id);
	assert_null(ctr_table_find(&t[1], id_of(1000, id)));
	ctr_table_free(&t[0]);
	ctr_table_free(&t[1]);
	ctr_ids_free(ids);
	snapshot_free(a);
	snapshot_free(b);
	snapshot_free(c);
}

/* A pin keeps every ID the tables held when it was taken, through builds and sweeps
 * that hold them no more (the metadata worker reads a request's IDs meanwhile, in its
 * own thread); unpinned, the next build lets them go. */
static void test_ids_pinned(void **state)
{
	static const char *const names[] = { "memory" };
	struct ctr_ids *ids = ctr_ids_new();
	struct ctr_table t[2] = { { .ids = ids }, { .ids = ids } };
	struct snapshot *a = containers(0, 3000), *c = containers(2000, 2500);
	const char *held[3];
	char id[65];
	int pin, more[CTR_IDS_PINS];

	(void)state;
	t[0].hier_names = t[1].hier_names = names;
	ctr_table_build(&t[0], a);
	ctr_table_build(&t[1], a);
	assert_int_equal(ctr_ids_count(ids), 3002);
	held[0] = ctr_table_find(&t[1], id_of(10, id))->ref.id;
	held[1] = ctr_table_find(&t[1], id_of(2999, id))->unknown_name;
	held[2] = ctr_table_find(&t[0], id_of(2100, id))->ref.id;
	pin = ctr_ids_pin(ids);
	assert_true(pin >= 0);
	for (int b = 0; b < 4; b++) {
		ctr_table_build(&t[b % 2], c);
		assert_int_equal(ctr_ids_count(ids), 3002 + 2); /* and c's named ones */
	}
	assert_null(ctr_table_find(&t[0], id_of(10, id)));
	assert_string_equal(held[0], id_of(10, id)); /* ASan: not freed */
	id_of(2999, id);
	assert_true(strncmp(held[1], "?", 1) == 0 && strncmp(held[1] + 1, id, 12) == 0);
	assert_ptr_equal(ctr_table_find(&t[0], id_of(2100, id))->ref.id, held[2]);
	/* the slots are few: when all are taken, the caller copies */
	for (int i = 0; i < CTR_IDS_PINS - 1; i++)
		assert_true((more[i] = ctr_ids_pin(ids)) >= 0);
	assert_int_equal(ctr_ids_pin(ids), -1);
	for (int i = 0; i < CTR_IDS_PINS - 1; i++)
		ctr_ids_unpin(ids, more[i]);
	/* those pins came after the builds of c: they held c's only */
	ctr_table_build(&t[0], c);
	assert_int_equal(ctr_ids_count(ids), 3004);
	ctr_ids_unpin(ids, pin);
	ctr_table_build(&t[1], c);
	assert_int_equal(ctr_ids_count(ids), 502);
	assert_ptr_equal(ctr_table_find(&t[1], id_of(2100, id))->ref.id, held[2]);
	ctr_table_free(&t[0]);
	ctr_table_free(&t[1]);
	ctr_ids_free(ids);
	snapshot_free(a);
	snapshot_free(c);
}

/* An entry is 56 bytes (the runtime a byte after the ID's pointer, the events a byte),
 * the index three quarters full at most: 10,000 containers' take 16,384 slots, not
 * 32,768, in each of a live source's two tables. */
static void test_table_sizes(void **state)
{
	static const char *const names[] = { "memory" };
	struct ctr_table t = { .paths_of = every_hierarchy, .hier_names = names };
	struct snapshot *s = containers(0, 10000);
	struct container_info c = { .ref = { .id = "x", .runtime = RT_LXC } };

	(void)state;
	assert_int_equal(sizeof(struct container_info), 56);
	c.events = CTR_EV_START | CTR_EV_STOP | CTR_EV_RESTART | CTR_EV_UNHEALTHY | CTR_EV_OOM;
	c.restarts_seen = -1;
	assert_int_equal(c.events, 31);
	assert_int_equal(c.ref.runtime, RT_LXC);
	assert_int_equal(c.restarts_seen, -1);
	ctr_table_build(&t, s);
	assert_int_equal(t.n, 10002);
	assert_int_equal(t.idx_cap, 16384);
	/* again: the last build's entries (their cgroups to carry over) indexed at once */
	ctr_table_build(&t, s);
	assert_int_equal(t.oldidx_cap, 16384);
	assert_int_equal(t.idx_cap, 16384);
	for (unsigned i = 0; i < 10000; i += 97) {
		char id[65];

		assert_string_equal(ctr_table_find(&t, id_of(i, id))->ref.id, id);
	}
	/* down containers grow it past three quarters */
	for (unsigned i = 20000; i < 23000; i++) {
		char id[65];

		ctr_table_add_down(&t, id_of(i, id), RT_DOCKER, NULL);
	}
	assert_int_equal(t.idx_cap, 32768);
	ctr_table_free(&t);
	snapshot_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_docker),
		cmocka_unit_test(test_other_runtimes),
		cmocka_unit_test(test_podman_layouts),
		cmocka_unit_test(test_kubepods_cgroupfs),
		cmocka_unit_test(test_unescape),
		cmocka_unit_test(test_life_step),
		cmocka_unit_test(test_life_seen_size),
		cmocka_unit_test(test_arena),
		cmocka_unit_test(test_table_ids),
		cmocka_unit_test(test_table_shared_ids),
		cmocka_unit_test(test_ids_pinned),
		cmocka_unit_test(test_table_sizes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
