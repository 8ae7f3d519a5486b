/* The details panel of one container. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include <curses.h>

#include "container.h"
#include "tui_container.h"
#include "tui_draw.h"

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

	if (h <= 0 || ci->npaths == 0)
		return 0;
	tui_style(ST_TITLE);
	tui_put(y + used++, x, w, "Cgroups:");
	tui_style(ST_NORMAL);
	for (size_t i = 0; i < ci->npaths && used < h; i++)
		tui_put_raw(y + used++, x + 2, w - 2, ci->hier_paths[i]);
	return used;
}

/* Lines the panel of CI would like: one per field, label and cgroup. */
int tui_container_lines(const struct container_info *ci)
{
	const struct container_meta *m = ci->meta;

	return (m ? 10 + (int)m->nlabels : 4) + 1 + (int)ci->npaths;
}

/* Draw the panel of CI: name (or "name unknown"), ID, image, state, labels, cgroups. */
int tui_container_draw(const struct container_info *ci, int y, int x, int h, int w)
{
	const struct container_meta *m = ci->meta;
	char pid[32], id[300];
	char *paunch = m ? container_paunch_command(ci) : NULL;
	int used = 0;

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
		return used + draw_paths(ci, y + used, x, h - used, w);
	}
	used += field(y + used, x, w, "Container:", m->name ? m->name : "name unknown");
	if (used < h && m->engine_name && (!m->name || m->engine_name != m->name))
		used += field(y + used, x, w, "Engine name:", m->engine_name);
	if (used < h)
		used += field(y + used, x, w, "ID:", m->id ? m->id : id);
	if (used < h)
		used += field(y + used, x, w, "Image:", m->image);
	if (used < h)
		used += field(y + used, x, w, "State:", m->state);
	if (used < h)
		used += field(y + used, x, w, "Health:", m->health);
	if (used < h)
		used += field(y + used, x, w, "config_id:", m->config_id);
	if (used < h)
		used += field(y + used, x, w, "managed_by:", m->managed_by);
	if (used < h && m->main_pid > 0) {
		snprintf(pid, sizeof(pid), "%d", m->main_pid);
		used += field(y + used, x, w, "Main PID:", pid);
	}
	if (used < h && m->nlabels) {
		tui_style(ST_TITLE);
		tui_put(y + used++, x, w, "Labels:");
		tui_style(ST_NORMAL);
	}
	if (used < h && paunch)
		used += field(y + used, x, w, "Reproduce:", paunch);
	free(paunch);
	for (size_t i = 0; i < m->nlabels && used < h; i++, used++) {
		int kw = tui_put_raw(y + used, x + 2, w - 2, m->label_keys[i]);

		tui_put(y + used, x + 2 + kw, w - 2 - kw, "=");
		tui_put_raw(y + used, x + 3 + kw, w - 3 - kw, m->label_values[i] ? m->label_values[i] : "");
	}
	return used + draw_paths(ci, y + used, x, h - used, w);
}
