/* The details panel of one container. */
#include "config.h"

#include <stdio.h>

#include <curses.h>

#include "container.h"
#include "tui_container.h"
#include "tui_draw.h"

/* The runtime's name. (container.h declares ctr_runtime_name(), but its module is not
 * in every build this file is linked into.) */
static const char *runtime_label(enum ctr_runtime rt)
{
	switch (rt) {
	case RT_DOCKER:
		return "docker";
	case RT_PODMAN:
		return "podman";
	case RT_CONMON:
		return "conmon";
	case RT_CONTAINERD:
		return "containerd";
	case RT_CRIO:
		return "cri-o";
	case RT_K8S_POD:
		return "pod";
	case RT_MACHINED:
		return "machine";
	case RT_LXC:
		return "lxc";
	case RT_NONE:
		break;
	}
	return "container";
}

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

int tui_container_lines(const struct container_info *ci)
{
	const struct container_meta *m = ci->meta;

	return m ? 8 + (int)m->nlabels : 3;
}

int tui_container_draw(const struct container_info *ci, int y, int x, int h, int w)
{
	const struct container_meta *m = ci->meta;
	char pid[32], id[300];
	int used = 0;

	if (h <= 0 || w <= 0)
		return 0;
	snprintf(id, sizeof(id), "%s %s", runtime_label(ci->ref.runtime), ci->ref.id);
	if (!m) {
		used += field(y + used, x, w, "Container:", "name unknown (no container engine knows this ID)");
		if (used < h)
			used += field(y + used, x, w, "ID:", id);
		return used;
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
	for (size_t i = 0; i < m->nlabels && used < h; i++, used++) {
		int kw = tui_put_raw(y + used, x + 2, w - 2, m->label_keys[i]);

		tui_put(y + used, x + 2 + kw, w - 2 - kw, "=");
		tui_put_raw(y + used, x + 3 + kw, w - 3 - kw, m->label_values[i] ? m->label_values[i] : "");
	}
	return used;
}
