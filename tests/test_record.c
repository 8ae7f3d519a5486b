/* Recordings: every field and valid bit through the encoder and back, strings of any bytes
 * and size, a recording cut at every byte or with a byte flipped, a newer format refused. */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "container.h"
#include "meta.h"
#include "record_codec.h"
#include "record_file.h"
#include "source.h"

#define ID1 "1111111111111111111111111111111111111111111111111111111111111111"
#define ID2 "2222222222222222222222222222222222222222222222222222222222222222"
#define ALL_COUNTERS (FIELD_BIT(F_TASKS) | FIELD_BIT(F_CPU_NS) | FIELD_BIT(F_MEM_USAGE) | \
		      FIELD_BIT(F_MEM_WS) | FIELD_BIT(F_MEM_CACHE) | FIELD_BIT(F_MEM_LIMIT) | \
		      FIELD_BIT(F_IO_RBYTES) | FIELD_BIT(F_IO_WBYTES) | FIELD_BIT(F_IO_RIOS) | \
		      FIELD_BIT(F_IO_WIOS))

static struct cg_row *add(struct snapshot *s, const char *path, uint64_t base)
{
	size_t i = snapshot_row(s, path, strlen(path)); /* may move s->rows */
	struct cg_row *r = &s->rows[i];

	r->valid = ALL_COUNTERS;
	r->tasks = base + 1;
	r->cpu_ns = base * 1000003 + 2;
	r->mem_usage = base + 3;
	r->mem_ws = base + 4;
	r->mem_cache = base + 5;
	r->mem_limit = UINT64_MAX; /* no limit */
	r->io_rbytes = base + 7;
	r->io_wbytes = base + 8;
	r->io_rios = base + 9;
	r->io_wios = base + 10;
	r->hier_mask = 0x1ff;
	r->io_source = IO_SRC_IOSTAT;
	r->cpu_read_ns = s->mono_ns + 1234;
	r->io_read_ns = s->mono_ns - 99;
	return r;
}

/* A sample of every kind of row: all counters, none, a value that is not ours, estimates. */
static struct snapshot *sample(uint64_t mono, uint64_t base)
{
	struct snapshot *s = snapshot_new();
	struct cg_row *r;

	s->mono_ns = mono;
	s->real_ns = 1795000000000000000ull + mono;
	add(s, "/", base);
	add(s, "/system.slice", base / 2)->parent = 0;
	r = add(s, "/system.slice/docker-" ID1 ".scope", base / 4);
	r->parent = 1;
	r->depth = 2;
	r->mem_limit = 1073741824;
	r->cpu_percent = 12.5; /* a rate: not stored, computed again */
	r->valid |= FIELD_BIT(F_CPU_RATE);
	r = add(s, "/machine.slice/libpod-" ID2 ".scope", 0);
	r->valid = 0; /* nothing known: every figure unknown */
	r->cpu_read_ns = r->io_read_ns = 0;
	r->io_source = 200; /* a source this cgtop does not know */
	r->hier_mask = 0;
	r = add(s, "/user.slice/\x01weird\n\xff\xfe", UINT64_MAX - 20);
	r->io_source = IO_SRC_PROC;
	r->io_rbps = 1234.5;
	r->io_wbps = 0.25;
	r->valid = FIELD_BIT(F_TASKS) | FIELD_BIT(F_IO_RBPS) | FIELD_BIT(F_IO_WBPS);
	return s;
}

static void assert_rows_equal(const struct snapshot *a, const struct snapshot *b, bool with_rates)
{
	assert_int_equal(a->n, b->n);
	assert_int_equal(a->mono_ns, b->mono_ns);
	assert_int_equal(a->real_ns, b->real_ns);
	for (size_t i = 0; i < a->n; i++) {
		const struct cg_row *x = &a->rows[i], *y = &b->rows[i];
		fieldmask keep = ALL_COUNTERS, want;

		if (x->io_source == IO_SRC_PROC)
			keep |= FIELD_BIT(F_IO_RBPS) | FIELD_BIT(F_IO_WBPS);
		assert_string_equal(x->path, y->path);
		assert_int_equal(x->depth, y->depth);
		assert_int_equal(x->parent, y->parent);
		/* both halves: cmocka's integers are 64 bits */
		want = with_rates ? x->valid : x->valid & keep;
		assert_int_equal((uint64_t)want, (uint64_t)y->valid);
		assert_int_equal((uint64_t)(want >> 64), (uint64_t)(y->valid >> 64));
		assert_int_equal(x->hier_mask, y->hier_mask);
		assert_int_equal(x->io_source, y->io_source);
		assert_int_equal(x->cpu_read_ns, y->cpu_read_ns);
		assert_int_equal(x->io_read_ns, y->io_read_ns);
#define SAME_IF_VALID(f, field) \
	if (row_has(x, f)) \
		assert_int_equal(x->field, y->field)
		SAME_IF_VALID(F_TASKS, tasks);
		SAME_IF_VALID(F_CPU_NS, cpu_ns);
		SAME_IF_VALID(F_MEM_USAGE, mem_usage);
		SAME_IF_VALID(F_MEM_WS, mem_ws);
		SAME_IF_VALID(F_MEM_CACHE, mem_cache);
		SAME_IF_VALID(F_MEM_LIMIT, mem_limit);
		SAME_IF_VALID(F_IO_RBYTES, io_rbytes);
		SAME_IF_VALID(F_IO_WBYTES, io_wbytes);
		SAME_IF_VALID(F_IO_RIOS, io_rios);
		SAME_IF_VALID(F_IO_WIOS, io_wios);
		if (row_has(y, F_IO_RBPS) && x->io_source == IO_SRC_PROC) {
			assert_true(x->io_rbps == y->io_rbps);
			assert_true(x->io_wbps == y->io_wbps);
		}
	}
}

/* Metadata for ID: every field, labels with control bytes, NULLs where an engine says nothing. */
static void fill_meta(struct container_meta *m, const char *id, size_t nlabels, size_t big)
{
	memset(m, 0, sizeof(*m));
	m->id = strdup(id);
	m->name = strdup("web\x1b[31m\tone");
	m->engine_name = strdup("web");
	m->image = strdup("registry:5000/web:1.2");
	m->state = strdup("running");
	m->health = NULL;
	m->config_id = strdup("tripleo_step4");
	m->managed_by = strdup("paunch");
	m->main_pid = 4242;
	m->nlabels = nlabels;
	m->label_keys = calloc(nlabels ? nlabels : 1, sizeof(char *));
	m->label_values = calloc(nlabels ? nlabels : 1, sizeof(char *));
	for (size_t i = 0; i < nlabels; i++) {
		char key[64];

		snprintf(key, sizeof(key), "label.%zu\x01\x7f", i);
		m->label_keys[i] = strdup(key);
		if (i == 0 && big) {
			m->label_values[i] = malloc(big + 1);
			for (size_t k = 0; k < big; k++)
				m->label_values[i][k] = (char)(1 + k % 255);
			m->label_values[i][big] = '\0';
		} else {
			m->label_values[i] = strdup(i % 2 ? "same value" : "line\nbreak\r\x02");
		}
	}
}

static void assert_meta_equal(const struct container_meta *a, const struct container_meta *b)
{
#define SAME_STR(f) \
	do { \
		if (a->f) \
			assert_string_equal(a->f, b->f); \
		else \
			assert_null(b->f); \
	} while (0)
	SAME_STR(id);
	SAME_STR(name);
	SAME_STR(engine_name);
	SAME_STR(image);
	SAME_STR(state);
	SAME_STR(health);
	SAME_STR(config_id);
	SAME_STR(managed_by);
	assert_int_equal(a->main_pid, b->main_pid);
	assert_int_equal(a->nlabels, b->nlabels);
	for (size_t i = 0; i < a->nlabels; i++) {
		assert_string_equal(a->label_keys[i], b->label_keys[i]);
		assert_string_equal(a->label_values[i], b->label_values[i]);
	}
}

/* Encode S with a container table (ID1 with metadata M and two hierarchy paths, ID2 with
 * none) and decode it again. */
static void round_trip(const struct snapshot *s, const struct container_meta *m, struct rec_sample *out,
		       size_t *len)
{
	static const char *const hier_names[] = { "name=systemd", "memory" };
	struct ctr_table t = { 0 };
	struct rec_encoder *e = rec_encoder_new();
	struct buf b = { 0 };
	size_t used = 0;
	char hp[256];

	ctr_table_build(&t, s);
	assert_int_equal(t.n, 2);
	for (size_t k = 0; k < t.n; k++) {
		struct container_info *c = &t.v[k];

		if (strcmp(c->ref.id, ID1) != 0)
			continue;
		c->meta = m;
		container_cgroups_add(&c->cgroups, hier_names, "/system.slice/docker-" ID1 ".scope", 3);
		assert_int_equal(container_cgroup_count(c), 2);
		assert_string_equal(container_cgroup_text(c, 0, hp, sizeof(hp)),
				    "name=systemd:/system.slice/docker-" ID1 ".scope");
		assert_string_equal(container_cgroup_text(c, 1, hp, sizeof(hp)),
				    "memory:/system.slice/docker-" ID1 ".scope");
	}
	rec_encode_sample(e, &b, s, CG_MODE_HYBRID, &t);
	/* the encoder is reused: a second sample encodes the same */
	b.len = 0;
	rec_encode_sample(e, &b, s, CG_MODE_HYBRID, &t);
	assert_int_equal(rec_decode_sample(b.data, b.len, &used, out), 0);
	assert_int_equal(used, b.len);
	*len = b.len;
	assert_int_equal(out->mode, CG_MODE_HYBRID);
	assert_int_equal(out->nctrs, 2);
	for (size_t k = 0; k < out->nctrs; k++) {
		const struct rec_container *rc = &out->ctrs[k];
		const struct container_info *c = ctr_table_find(&t, rc->id);

		assert_non_null(c);
		assert_int_equal(rc->runtime, c->ref.runtime);
		assert_string_equal(rc->path, c->path);
		assert_int_equal(rc->npaths, container_cgroup_count(c));
		for (size_t i = 0; i < rc->npaths; i++)
			assert_string_equal(rc->hier_paths[i], container_cgroup_text(c, i, hp, sizeof(hp)));
		assert_int_equal(rc->has_meta, c->meta != NULL);
		if (c->meta)
			assert_meta_equal(c->meta, &rc->meta);
	}
	ctr_table_free(&t);
	rec_encoder_free(e);
	buf_free(&b);
}

static void test_round_trip(void **state)
{
	struct snapshot *s = sample(5000000000ull, 1u << 30);
	struct container_meta m;
	struct rec_sample out;
	size_t len;

	(void)state;
	fill_meta(&m, ID1, 3, 0);
	round_trip(s, &m, &out, &len);
	assert_rows_equal(s, out.snap, false);
	/* the unknown stays unknown */
	assert_true(out.snap->rows[3].valid == 0);
	assert_int_equal(out.snap->rows[3].io_source, 200);
	rec_sample_free(&out);
	container_meta_free(&m);
	snapshot_free(s);
}

static void test_big_labels(void **state)
{
	struct snapshot *s = sample(7, 3);
	struct container_meta m;
	struct rec_sample out;
	size_t len;

	(void)state;
	/* a 64 KiB value and 1,000 labels, half of them with the same value (stored once) */
	fill_meta(&m, ID1, 1000, 64 * 1024);
	round_trip(s, &m, &out, &len);
	assert_rows_equal(s, out.snap, false);
	assert_true(len < 64 * 1024 + 1000 * 40);
	rec_sample_free(&out);
	container_meta_free(&m);
	snapshot_free(s);
}

/* A file of two samples (the second a second later, with more CPU used), in a temporary
 * file; returns its bytes and the offset of each record. */
static void small_recording(struct buf *file, size_t off[3])
{
	struct rec_encoder *e = rec_encoder_new();
	struct snapshot *a = sample(1000000000ull, 1000), *b = sample(2000000000ull, 1000);
	struct container_meta m;
	struct ctr_table t = { 0 };

	fill_meta(&m, ID1, 2, 0);
	b->rows[0].cpu_ns += 500000000; /* half a CPU over a second */
	b->rows[0].cpu_read_ns = b->mono_ns + 1234;
	rec_encode_header(file, REC_VERSION);
	off[0] = file->len;
	ctr_table_build(&t, a);
	t.v[0].meta = &m;
	rec_encode_sample(e, file, a, CG_MODE_V2, &t);
	off[1] = file->len;
	ctr_table_build(&t, b);
	rec_encode_sample(e, file, b, CG_MODE_V2, &t);
	off[2] = file->len;
	ctr_table_free(&t);
	container_meta_free(&m);
	snapshot_free(a);
	snapshot_free(b);
	rec_encoder_free(e);
}

static char tmpname[64];

static void write_tmp(const void *p, size_t len)
{
	int fd;

	strcpy(tmpname, "/tmp/test_record.XXXXXX");
	fd = mkstemp(tmpname);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, p, len), (ssize_t)len);
	close(fd);
}

/* The network figures and what a row says of its namespace travel: the namespace's
 * kind, inode and holder in the row slots past the first 60 figures', the packets in
 * slots 64-67 of the second mask (format version 4). */
static void test_network_round_trip(void **state)
{
	struct snapshot *s = sample(5000000000ull, 1u << 20);
	struct container_meta m;
	struct rec_sample out;
	struct cg_row *d = &s->rows[2], *p = &s->rows[3], *u = &s->rows[1];
	size_t len;

	(void)state;
	row_net_mk(d)->kind = NET_NS_OWN;
	row_net_mk(d)->ino = 4026532301u;
	row_net_mk(d)->rx_bytes = 18735220;
	row_net_mk(d)->tx_bytes = 2098117;
	row_net_mk(d)->rx_packets = 14011;
	row_net_mk(d)->tx_packets = 9920;
	row_net_mk(d)->rx_bps = 1000.0; /* a rate: not stored */
	row_net_mk(d)->rx_pps = 10.0;
	d->valid |= FIELD_BIT(F_NET_RX_BYTES) | FIELD_BIT(F_NET_TX_BYTES) | FIELD_BIT(F_NET_RX_PACKETS) |
		    FIELD_BIT(F_NET_TX_PACKETS) | FIELD_BIT(F_NET_RX_RATE) | FIELD_BIT(F_NET_RX_PPS);
	row_net_mk(p)->kind = NET_NS_SHARED;
	row_net_mk(p)->ino = 4026532301u;
	row_net_mk(p)->holder = 2;
	row_net_mk(u)->kind = NET_NS_HOST;
	row_net_mk(u)->ino = 4026531840u;
	fill_meta(&m, ID1, 0, 0);
	round_trip(s, &m, &out, &len);
	d = &out.snap->rows[2];
	p = &out.snap->rows[3];
	u = &out.snap->rows[1];
	assert_int_equal(row_net(d)->kind, NET_NS_OWN);
	assert_int_equal(row_net(d)->ino, 4026532301u);
	assert_true(row_has(d, F_NET_RX_BYTES) && row_has(d, F_NET_TX_BYTES));
	assert_true(row_has(d, F_NET_RX_PACKETS) && row_has(d, F_NET_TX_PACKETS));
	assert_false(row_has(d, F_NET_RX_RATE) || row_has(d, F_NET_RX_PPS));
	assert_int_equal(row_net(d)->rx_bytes, 18735220);
	assert_int_equal(row_net(d)->tx_bytes, 2098117);
	assert_int_equal(row_net(d)->rx_packets, 14011);
	assert_int_equal(row_net(d)->tx_packets, 9920);
	assert_int_equal(row_net(p)->kind, NET_NS_SHARED);
	assert_int_equal(row_net(p)->holder, 2);
	assert_int_equal(row_net(p)->ino, 4026532301u);
	assert_false(row_has(p, F_NET_RX_BYTES) || row_has(p, F_NET_RX_PACKETS));
	assert_int_equal(row_net(u)->kind, NET_NS_HOST);
	assert_int_equal(row_net(u)->ino, 4026531840u);
	assert_int_equal(row_net(&out.snap->rows[0])->kind, NET_NS_NONE);
	assert_int_equal(row_net(&out.snap->rows[0])->holder, -1);
	rec_sample_free(&out);
	container_meta_free(&m);
	snapshot_free(s);
}

static void test_rates_on_replay(void **state)
{
	struct buf file = { 0 };
	size_t off[3];
	struct recording r;
	const struct rec_sample *rs;
	uint32_t version;

	(void)state;
	small_recording(&file, off);
	write_tmp(file.data, file.len);
	assert_int_equal(recording_open(&r, tmpname, &version), 0);
	assert_false(r.damaged);
	assert_int_equal(r.n, 2);
	rs = recording_seek(&r, 0);
	assert_false(row_has(&rs->snap->rows[0], F_CPU_RATE));
	assert_non_null(rs->ctrs[0].meta.name);
	rs = recording_seek(&r, 1);
	assert_true(row_has(&rs->snap->rows[0], F_CPU_RATE));
	assert_true(rs->snap->rows[0].cpu_percent > 49.999 && rs->snap->rows[0].cpu_percent < 50.001);
	assert_int_equal(rs->snap->interval_ns, 1000000000ull);
	/* back, then forward again: the same figures */
	assert_false(row_has(&recording_seek(&r, 0)->snap->rows[0], F_CPU_RATE));
	assert_true(row_has(&recording_seek(&r, 1)->snap->rows[0], F_CPU_RATE));
	/* the estimate stored for the /proc/<pid>/io row is what is shown */
	assert_true(rs->snap->rows[4].io_rbps == 1234.5);
	assert_int_equal(recording_find_time(&r, 0), 0);
	assert_int_equal(recording_find_time(&r, r.real_ns[0] + 1), 1);
	assert_int_equal(recording_find_time(&r, r.real_ns[1] + 1), 1);
	recording_close(&r);
	unlink(tmpname);
	buf_free(&file);
}

/* Sample K of a recording: sample()'s rows, /r<K>.service (renamed each sample) and
 * /a.service in every other sample (gone, then back). */
static struct snapshot *churn_sample(unsigned k)
{
	struct snapshot *s = sample((k + 1) * 1000000000ull, 1000 + k);
	char name[32];

	snprintf(name, sizeof(name), "/r%u.service", k);
	add(s, name, k)->parent = 0;
	if (k % 2 == 0)
		add(s, "/a.service", k)->parent = 0;
	return s;
}

/* Replay's R->cur holds sample K, R->prev (with K > 0) sample K - 1, with their paths. */
static void check_replayed(const struct recording *r, unsigned k)
{
	for (int w = 0; w < 2; w++) {
		const struct snapshot *got = w ? r->prev.snap : r->cur.snap;
		struct snapshot *want;

		if (w && k == 0)
			break;
		want = churn_sample(k - (unsigned)w);
		assert_int_equal(got->n, want->n);
		for (size_t i = 0; i < want->n; i++) {
			assert_string_equal(got->rows[i].path, want->rows[i].path);
			assert_int_equal(snapshot_find(got, want->rows[i].path), (ssize_t)i);
		}
		snapshot_free(want);
	}
}

/* A replay's two samples share their paths (a path in both is one string), and seeking,
 * forward one at a time or anywhere, leaves both samples' paths intact. */
static void test_replay_shares_paths(void **state)
{
	struct rec_encoder *e = rec_encoder_new();
	struct buf file = { 0 };
	struct ctr_table t = { 0 };
	struct recording r;
	uint32_t version;
	const unsigned order[] = { 0, 1, 2, 3, 4, 5, 2, 3, 4, 0, 1, 5, 5, 4 };

	(void)state;
	rec_encode_header(&file, REC_VERSION);
	for (unsigned k = 0; k < 6; k++) {
		struct snapshot *s = churn_sample(k);

		ctr_table_build(&t, s);
		rec_encode_sample(e, &file, s, CG_MODE_V2, &t);
		snapshot_free(s);
	}
	ctr_table_free(&t);
	rec_encoder_free(e);
	write_tmp(file.data, file.len);
	assert_int_equal(recording_open(&r, tmpname, &version), 0);
	assert_int_equal(r.n, 6);
	for (size_t j = 0; j < ARRAY_SIZE(order); j++) {
		unsigned k = order[j];

		assert_non_null(recording_seek(&r, k));
		check_replayed(&r, k);
		if (k > 0) {
			/* "/" and the scope: one string in both samples */
			assert_ptr_equal(r.cur.snap->rows[0].path, r.prev.snap->rows[0].path);
			assert_ptr_equal(r.cur.snap->rows[2].path, r.prev.snap->rows[2].path);
		}
	}
	recording_close(&r);
	unlink(tmpname);
	buf_free(&file);
}

static void test_truncated_everywhere(void **state)
{
	struct buf file = { 0 };
	size_t off[3];
	char msg[160];

	(void)state;
	small_recording(&file, off);
	for (size_t cut = 0; cut < file.len; cut++) {
		struct recording r;
		uint32_t version;
		int e;

		write_tmp(file.data, cut);
		e = recording_open(&r, tmpname, &version);
		unlink(tmpname);
		if (cut < REC_HEADER_LEN) {
			assert_int_equal(e, -EINVAL);
			continue;
		}
		assert_int_equal(e, 0);
		if (cut == off[0] || cut == off[1]) {
			assert_false(r.damaged); /* cut between samples: a killed cgtop's file */
			assert_int_equal(r.n, cut == off[0] ? 0 : 1);
		} else {
			size_t k = cut < off[1] ? 0 : 1;

			assert_true(r.damaged);
			assert_int_equal(r.n, k);
			assert_int_equal(r.damaged_at, off[k]);
			snprintf(msg, sizeof(msg), "recording damaged at byte %zu (sample %zu): replayed %zu samples",
				 off[k], k + 1, k);
			assert_string_equal(recording_damage_message(&r, msg + 80, 80), msg);
		}
		recording_close(&r);
	}
	buf_free(&file);
}

static void test_flipped_byte(void **state)
{
	struct buf file = { 0 };
	size_t off[3];

	(void)state;
	small_recording(&file, off);
	for (size_t at = off[0]; at < file.len; at++) {
		struct recording r;
		uint32_t version;
		size_t k = at < off[1] ? 0 : 1;

		file.data[at] ^= 0x5a;
		write_tmp(file.data, file.len);
		file.data[at] ^= 0x5a;
		assert_int_equal(recording_open(&r, tmpname, &version), 0);
		unlink(tmpname);
		assert_true(r.damaged);
		assert_int_equal(r.n, k);
		assert_int_equal(r.damaged_at, off[k]);
		recording_close(&r);
	}
	buf_free(&file);
}

static void test_versions(void **state)
{
	struct buf file = { 0 };
	size_t off[3];
	struct recording r;
	uint32_t version = 0;

	(void)state;
	small_recording(&file, off);
	/* a newer format: refused, and says which */
	file.data[8] = (char)(REC_VERSION + 1);
	write_tmp(file.data, file.len);
	assert_int_equal(recording_open(&r, tmpname, &version), -EPROTONOSUPPORT);
	assert_int_equal(version, REC_VERSION + 1);
	unlink(tmpname);
	/* not a recording at all */
	write_tmp("{\"time\":\"2026\"}\n", 16);
	assert_int_equal(recording_open(&r, tmpname, &version), -EINVAL);
	unlink(tmpname);
	write_tmp("", 0);
	assert_int_equal(recording_open(&r, tmpname, &version), -EINVAL);
	unlink(tmpname);
	buf_free(&file);
}

static void test_recorder_file(void **state)
{
	struct recorder *w = NULL;
	struct snapshot *s = sample(1000, 1);
	struct recording r;
	uint32_t version;

	(void)state;
	write_tmp("", 0);
	/* an existing file is not clobbered */
	assert_int_equal(recorder_open(&w, tmpname, false), -EEXIST);
	unlink(tmpname);
	assert_int_equal(recorder_open(&w, tmpname, false), 0);
	assert_int_equal(recorder_write(w, s, CG_MODE_V1, NULL), 0);
	recorder_close(w);
	/* --record-append adds to it */
	assert_int_equal(recorder_open(&w, tmpname, true), 0);
	assert_int_equal(recorder_write(w, s, CG_MODE_V1, NULL), 0);
	recorder_close(w);
	assert_int_equal(recording_open(&r, tmpname, &version), 0);
	assert_int_equal(r.n, 2);
	assert_false(r.damaged);
	assert_int_equal(recording_seek(&r, 1)->mode, CG_MODE_V1);
	recording_close(&r);
	unlink(tmpname);
	/* but not to a file that is not a recording */
	write_tmp("hello, world, this is text\n", 27);
	assert_int_equal(recorder_open(&w, tmpname, true), -EINVAL);
	unlink(tmpname);
	/* a full disk */
	if (access("/dev/full", W_OK) == 0) {
		assert_int_equal(recorder_open(&w, "/dev/full", true), -ENOSPC);
	}
	snapshot_free(s);
}

/* A replay keeps each container's cgroups in the order they were recorded, whatever
 * hierarchies the other containers are in: ID1 in memory and pids only (recorded
 * first), ID2 in cpu, memory and pids, the live order. Replayed, ID2 still lists cpu
 * first (when the replay numbered the names as it met them, cpu came last). */
static void test_replay_cgroup_order(void **state)
{
	static const char *const names[] = { "cpu", "memory", "pids" };
	struct snapshot *s = sample(1000, 1);
	struct ctr_table t = { 0 };
	struct recorder *w = NULL;
	struct source *src = NULL;
	const struct sample *smp;
	const struct container_info *c;
	char hp[256];

	(void)state;
	ctr_table_build(&t, s);
	for (size_t k = 0; k < t.n; k++) {
		if (strcmp(t.v[k].ref.id, ID1) == 0)
			container_cgroups_add(&t.v[k].cgroups, names, "/system.slice/docker-" ID1 ".scope", 6);
		else if (strcmp(t.v[k].ref.id, ID2) == 0)
			container_cgroups_add(&t.v[k].cgroups, names, "/machine.slice/libpod-" ID2 ".scope", 7);
	}
	write_tmp("", 0);
	unlink(tmpname);
	assert_int_equal(recorder_open(&w, tmpname, false), 0);
	assert_int_equal(recorder_write(w, s, CG_MODE_V1, &t), 0);
	recorder_close(w);
	assert_int_equal(source_replay_open(&src, tmpname), 0);
	assert_int_equal(src->ops->refresh(src), 0);
	smp = src->ops->publish(src, 0);
	assert_non_null(smp);
	c = ctr_table_find(smp->ctrs, ID2);
	assert_non_null(c);
	assert_int_equal(container_cgroup_count(c), 3);
	assert_string_equal(container_cgroup_text(c, 0, hp, sizeof(hp)), "cpu:/machine.slice/libpod-" ID2 ".scope");
	assert_string_equal(container_cgroup_text(c, 1, hp, sizeof(hp)), "memory:/machine.slice/libpod-" ID2 ".scope");
	assert_string_equal(container_cgroup_text(c, 2, hp, sizeof(hp)), "pids:/machine.slice/libpod-" ID2 ".scope");
	c = ctr_table_find(smp->ctrs, ID1);
	assert_non_null(c);
	assert_int_equal(container_cgroup_count(c), 2);
	assert_string_equal(container_cgroup_text(c, 0, hp, sizeof(hp)), "memory:/system.slice/docker-" ID1 ".scope");
	assert_string_equal(container_cgroup_text(c, 1, hp, sizeof(hp)), "pids:/system.slice/docker-" ID1 ".scope");
	/* the next sample (the same one again) rebuilds them from its own names */
	assert_int_equal(src->ops->seek(src, 0), 0);
	smp = src->ops->publish(src, 0);
	c = ctr_table_find(smp->ctrs, ID2);
	assert_string_equal(container_cgroup_text(c, 0, hp, sizeof(hp)), "cpu:/machine.slice/libpod-" ID2 ".scope");
	src->ops->free(src);
	ctr_table_free(&t);
	snapshot_free(s);
	unlink(tmpname);
}

static void test_parse_time(void **state)
{
	uint64_t ns;

	(void)state;
	assert_int_equal(recording_parse_time("2026-11-22T10:21:26Z", 0, &ns), 0);
	assert_int_equal(ns, 1795342886000000000ull);
	assert_int_equal(recording_parse_time("2026-11-22T11:21:26.5+01:00", 0, &ns), 0);
	assert_int_equal(ns, 1795342886500000000ull);
	assert_int_equal(recording_parse_time("2026-11-22 10:21:26z", 0, &ns), 0);
	assert_int_equal(ns, 1795342886000000000ull);
	assert_int_equal(recording_parse_time("2026-11-22T10:21:26", 0, &ns), -EINVAL);
	assert_int_equal(recording_parse_time("soon", 0, &ns), -EINVAL);
	assert_int_equal(recording_parse_time("10:21:26 x", 0, &ns), -EINVAL);
	setenv("TZ", "UTC", 1);
	assert_int_equal(recording_parse_time("10:21:27", 1795342886000000000ull, &ns), 0);
	assert_int_equal(ns, 1795342887000000000ull);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_big_labels),
		cmocka_unit_test(test_network_round_trip),
		cmocka_unit_test(test_rates_on_replay),
		cmocka_unit_test(test_replay_shares_paths),
		cmocka_unit_test(test_truncated_everywhere),
		cmocka_unit_test(test_flipped_byte),
		cmocka_unit_test(test_versions),
		cmocka_unit_test(test_recorder_file),
		cmocka_unit_test(test_replay_cgroup_order),
		cmocka_unit_test(test_parse_time),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
