/* The details panel of one container. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "container.h"
#include "fields.h"
#include "tui_container.h"
#include "tui_draw.h"
#include "view.h"

/* One "Key: value" line (value raw, sanitized here); skipped when VALUE is NULL. */
static int field(int y, int x, int w, const char *key, const char *value)
{
	int kw;

	if (!value)
		return 0;
	tui_style(ST_TITLE);
	kw = tui_put(y, x, w, key);
	tui_style(ST_NORMAL);
	tui_put_raw(y, x + kw + 1, w - kw - 1, value);
	return 1;
}

/* The container's cgroup in every hierarchy ("HIERARCHY:PATH"), as lscgroup lists it. */
static int draw_paths(const struct container_info *ci, int y, int x, int h, int w)
{
	int used = 0;
	size_t n = container_cgroup_count(ci);
	char hp[4096 + 256];

	if (h <= 0 || n == 0)
		return 0;
	tui_style(ST_TITLE);
	tui_put(y + used++, x, w, "Cgroups:");
	tui_style(ST_NORMAL);
	for (size_t i = 0; i < n && used < h; i++)
		tui_put_raw(y + used++, x + 2, w - 2, container_cgroup_text(ci, i, hp, sizeof(hp)));
	return used;
}

/* The most "Key: value" lines meta_fields() gives. */
#define META_FIELDS_MAX 14

/* Room for the lifecycle's values meta_fields() formats: failing streak, last exit,
 * restarts. */
struct life_text {
	char streak[16], exit[64], restarts[128];
};

/* The "Key: value" lines of M, the metadata of CI (no labels, no cgroups), with their
 * values, in order; the values point into M or into PID, LT and PAUNCH. Returns how many
 * (at most META_FIELDS_MAX). */
static int meta_fields(const struct container_info *ci, const struct container_meta *m,
		       const char *id, char *pid, size_t pidlen, struct life_text *lt,
		       const char *paunch, const char *keys[META_FIELDS_MAX],
		       const char *values[META_FIELDS_MAX])
{
	const char *policy = m->life.restart_policy[0] ? m->life.restart_policy : "unknown";
	int n = 0;

#define FIELD(k, v) do { if (v) { keys[n] = (k); values[n] = (v); n++; } } while (0)
	FIELD("Container:", m->name ? m->name : "name unknown");
	if (m->engine_name && (!m->name || strcmp(m->engine_name, m->name) != 0))
		FIELD("Engine name:", m->engine_name);
	FIELD("ID:", m->id ? m->id : id);
	FIELD("Image:", m->image);
	FIELD("State:", m->state);
	FIELD("Health:", m->health);
	if (m->life.failing_streak > 0) {
		snprintf(lt->streak, sizeof(lt->streak), "%d", m->life.failing_streak);
		FIELD("Failing streak:", lt->streak);
	}
	if (m->life.health_log[0])
		FIELD("Last probe:", m->life.health_log);
	if (m->life.known) {
		snprintf(lt->exit, sizeof(lt->exit), "%d%s", m->life.exit_code,
			 m->life.oom_killed ? " (OOM-killed, the engine says)" : "");
		FIELD("Last exit:", lt->exit);
		if (ci->restarts_seen >= 0)
			snprintf(lt->restarts, sizeof(lt->restarts), "%u, %d since cgtop started; policy %s",
				 m->life.restart_count, ci->restarts_seen, policy);
		else
			snprintf(lt->restarts, sizeof(lt->restarts), "%u; policy %s", m->life.restart_count,
				 policy);
		FIELD("Restarts:", lt->restarts);
	}
	FIELD("config_id:", m->config_id);
	FIELD("managed_by:", m->managed_by);
	if (m->main_pid > 0) {
		snprintf(pid, pidlen, "%d", m->main_pid);
		FIELD("Main PID:", pid);
	}
	FIELD("Reproduce:", paunch);
#undef FIELD
	return n;
}

const char *tui_container_network(const struct view_row *vr, char *buf, size_t len)
{
	const struct cg_row *r = vr->fig;
	char rx[32], tx[32], rxp[32], txp[32], rxb[32], txb[32];

	switch ((enum net_ns_kind)row_net(r)->kind) {
	case NET_NS_OWN:
		snprintf(buf, len, "own namespace: in %s/s %s pkt/s, out %s/s %s pkt/s (%s and %s in all)",
			 fig_cell(figure(F_NET_RX_RATE), r, 0, rx, sizeof(rx)),
			 fig_cell(figure(F_NET_RX_PPS), r, 0, rxp, sizeof(rxp)),
			 fig_cell(figure(F_NET_TX_RATE), r, 0, tx, sizeof(tx)),
			 fig_cell(figure(F_NET_TX_PPS), r, 0, txp, sizeof(txp)),
			 fig_cell(figure(F_NET_RX_BYTES), r, 0, rxb, sizeof(rxb)),
			 fig_cell(figure(F_NET_TX_BYTES), r, 0, txb, sizeof(txb)));
		return buf;
	case NET_NS_HOST:
		return "the host's (--net=host): none of its own to show";
	case NET_NS_SHARED:
		snprintf(buf, len, "shared with %s, counted there",
			 vr->net_shared_with ? vr->net_shared_with : "another container");
		return buf;
	case NET_NS_NONE:
		break;
	}
	return NULL;
}

/* Lines the panel of CI would like: one per field, the labels' title and each label, the
 * cgroups' title and each cgroup. */
int tui_container_lines(const struct container_info *ci, const char *network)
{
	const struct container_meta *m = ci->meta;
	const char *keys[META_FIELDS_MAX], *values[META_FIELDS_MAX];
	struct life_text lt;
	char pid[32];
	char *paunch = m ? container_paunch_command(ci) : NULL;
	int n = m ? meta_fields(ci, m, "", pid, sizeof(pid), &lt, paunch, keys, values)
		  : (ci->pod && container_name(ci->pod)) ? 3 : 2; /* Container:, Pod:, ID: */

	free(paunch);
	if (m && m->nlabels)
		n += 1 + (int)m->nlabels;
	return n + (network != NULL) + (container_cgroup_count(ci) ? 1 + (int)container_cgroup_count(ci) : 0);
}

/* Draw the panel of CI: name (or "name unknown"), ID, image, state ..., then its labels
 * under "Labels:", then its cgroup in every hierarchy. When the H lines are too few, the
 * labels give way first ("... N more labels"): the cgroups are what a drill-down is for. */
int tui_container_draw(const struct container_info *ci, const char *network, int y, int x, int h,
		       int w)
{
	const struct container_meta *m = ci->meta;
	const char *keys[META_FIELDS_MAX], *values[META_FIELDS_MAX];
	struct life_text lt;
	char pid[32], id[300], more[64];
	char *paunch = m ? container_paunch_command(ci) : NULL;
	int used = 0, nf, paths = container_cgroup_count(ci) ? 1 + (int)container_cgroup_count(ci) : 0, room;
	size_t shown;

	if (h <= 0 || w <= 0) {
		free(paunch);
		return 0;
	}
	snprintf(id, sizeof(id), "%s %s", ctr_runtime_name(ci->ref.runtime), ci->ref.id);
	if (!m) {
		used += field(y + used, x, w, "Container:", "name unknown (no container engine knows this ID)");
		/* a pod's sandbox: no link of its own, its pod's name */
		if (used < h && ci->pod && container_name(ci->pod))
			used += field(y + used, x, w, "Pod:", container_name(ci->pod));
		if (used < h)
			used += field(y + used, x, w, "ID:", id);
		if (used < h)
			used += field(y + used, x, w, "Network:", network);
		return used + draw_paths(ci, y + used, x, h - used, w);
	}
	nf = meta_fields(ci, m, id, pid, sizeof(pid), &lt, paunch, keys, values);
	for (int i = 0; i < nf && used < h; i++)
		used += field(y + used, x, w, keys[i], values[i]);
	if (used < h)
		used += field(y + used, x, w, "Network:", network);
	/* the labels get what the cgroups leave */
	room = h - used - paths;
	if (m->nlabels && room >= 2) {
		shown = (size_t)room - 1 >= m->nlabels ? m->nlabels : (size_t)room - 2;
		tui_style(ST_TITLE);
		tui_put(y + used++, x, w, "Labels:");
		tui_style(ST_NORMAL);
		for (size_t i = 0; i < shown; i++, used++) {
			int kw = tui_put_raw(y + used, x + 2, w - 2, m->label_keys[i]);

			tui_put(y + used, x + 2 + kw, w - 2 - kw, "=");
			tui_put_raw(y + used, x + 3 + kw, w - 3 - kw, m->label_values[i] ? m->label_values[i] : "");
		}
		if (shown < m->nlabels) {
			snprintf(more, sizeof(more), "... %zu more label%s", m->nlabels - shown,
				 m->nlabels - shown == 1 ? "" : "s");
			tui_put(y + used++, x + 2, w - 2, more);
		}
	} else if (m->nlabels && room == 1) {
		snprintf(more, sizeof(more), "%zu, more than this terminal's lines hold", m->nlabels);
		used += field(y + used, x, w, "Labels:", more);
	}
	free(paunch);
	return used + draw_paths(ci, y + used, x, h - used, w);
}
