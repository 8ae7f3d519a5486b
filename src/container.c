/* Container identity from cgroup paths, and systemd unit name unescaping. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "container.h"
#include "util.h"

const char *ctr_runtime_name(enum ctr_runtime rt)
{
	switch (rt) {
	case RT_DOCKER:
		return "docker";
	case RT_PODMAN:
		return "podman";
	case RT_CONMON:
		return "podman-conmon";
	case RT_CONTAINERD:
		return "containerd";
	case RT_CRIO:
		return "cri-o";
	case RT_K8S_POD:
		return "kubernetes-pod";
	case RT_MACHINED:
		return "machined";
	case RT_LXC:
		return "lxc";
	case RT_NONE:
		break;
	}
	return "none";
}

static bool is_hex64(const char *s, size_t len)
{
	if (len != 64)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

/* COMP is PREFIX<64 hex>SUFFIX. */
static bool match_id(const char *comp, size_t len, const char *prefix, const char *suffix,
		     struct container_ref *out, enum ctr_runtime rt)
{
	size_t pl = strlen(prefix), sl = strlen(suffix);

	if (len != pl + 64 + sl || memcmp(comp, prefix, pl) != 0 ||
	    memcmp(comp + len - sl, suffix, sl) != 0 || !is_hex64(comp + pl, 64))
		return false;
	out->runtime = rt;
	memcpy(out->id, comp + pl, 64);
	out->id[64] = '\0';
	return true;
}

/* COMP is PREFIX<name>SUFFIX with a non-empty name that fits. */
static bool match_name(const char *comp, size_t len, const char *prefix, const char *suffix,
		       struct container_ref *out, enum ctr_runtime rt)
{
	size_t pl = strlen(prefix), sl = strlen(suffix);

	if (len <= pl + sl || len - pl - sl >= sizeof(out->id) || memcmp(comp, prefix, pl) != 0 ||
	    memcmp(comp + len - sl, suffix, sl) != 0)
		return false;
	out->runtime = rt;
	memcpy(out->id, comp + pl, len - pl - sl);
	out->id[len - pl - sl] = '\0';
	return true;
}

bool cgpath_container_id(const char *path, struct container_ref *out)
{
	const char *slash = strrchr(path, '/');
	const char *comp = slash ? slash + 1 : path;
	size_t len = strlen(comp);
	const char *pod;

	memset(out, 0, sizeof(*out));
	if (len == 0)
		return false;
	if (match_id(comp, len, "docker-", ".scope", out, RT_DOCKER) ||
	    match_id(comp, len, "libpod-conmon-", ".scope", out, RT_CONMON) ||
	    match_id(comp, len, "libpod-", ".scope", out, RT_PODMAN) ||
	    match_id(comp, len, "cri-containerd-", ".scope", out, RT_CONTAINERD) ||
	    match_id(comp, len, "crio-conmon-", ".scope", out, RT_CONMON) ||
	    match_id(comp, len, "crio-", ".scope", out, RT_CRIO))
		return true;
	/* cgroupfs driver: /docker/<id>, or /<any --cgroup-parent>/<id>. containerd's cgroupfs
	 * layout (/kubepods/burstable/pod<uid>/<id>) looks the same; the engine that knows
	 * the ID gives its name. */
	if (is_hex64(comp, len)) {
		out->runtime = RT_DOCKER;
		memcpy(out->id, comp, 64);
		out->id[64] = '\0';
		return true;
	}
	/* kubepods-burstable-pod<uid>.slice, kubepods-pod<uid>.slice (systemd driver) */
	pod = strstr(comp, "-pod");
	if (strncmp(comp, "kubepods", 8) == 0 && pod &&
	    match_name(pod + 1, len - (size_t)(pod + 1 - comp), "pod", ".slice", out, RT_K8S_POD)) {
		for (char *c = out->id; *c; c++)
			if (*c == '_')
				*c = '-'; /* systemd forbids '-' inside the UID: it becomes '_' */
		return true;
	}
	if (match_name(comp, len, "machine-", ".scope", out, RT_MACHINED)) {
		char *u = unit_unescape(out->id);

		snprintf(out->id, sizeof(out->id), "%s", u);
		free(u);
		return true;
	}
	if (match_name(comp, len, "lxc.payload.", "", out, RT_LXC))
		return true;
	return false;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

char *unit_unescape(const char *name)
{
	size_t n = strlen(name);
	char *out = xmalloc(n + 1), *w = out;

	for (size_t i = 0; i < n; i++) {
		int hi, lo;

		if (name[i] == '\\' && i + 3 < n && name[i + 1] == 'x' &&
		    (hi = hexval(name[i + 2])) >= 0 && (lo = hexval(name[i + 3])) >= 0) {
			*w++ = (char)(hi << 4 | lo);
			i += 3;
		} else {
			*w++ = name[i];
		}
	}
	*w = '\0';
	return out;
}
