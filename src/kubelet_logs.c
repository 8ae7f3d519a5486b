/* The names of the kubelet's log links: who a container or pod is, by namespace and pod. */
#include "config.h"

#include <string.h>

#include "kubelet_logs.h"

/* C may appear in a name Kubernetes accepts: a DNS label or subdomain (lower-case
 * letters, digits, '-', '.'). Upper case is let through: an older API server took it. */
static bool name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '.';
}

/* Copy S (LEN bytes) into OUT (MAX characters at most) when it is a name: non-empty, short
 * enough, every byte one of name_char()'s (or EXTRA, when not 0), not "." or "..". */
static bool take_name(const char *s, size_t len, char *out, size_t max, char extra)
{
	if (len == 0 || len > max || (len <= 2 && memcmp(s, "..", len) == 0))
		return false;
	for (size_t i = 0; i < len; i++)
		if (!name_char(s[i]) && (!extra || s[i] != extra))
			return false;
	memcpy(out, s, len);
	out[len] = '\0';
	return true;
}

static bool is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

bool kube_container_link_parse(const char *name, size_t len, struct kube_ref *out)
{
	const char *end = name + len, *u1, *u2, *dash;

	memset(out, 0, sizeof(*out));
	/* ".log" after "-<64 hex>": a name the kubelet cut at 255 bytes lost them */
	if (len < 4 + 65 + 5 || memcmp(end - 4, ".log", 4) != 0)
		return false;
	dash = end - 4 - 64 - 1;
	if (*dash != '-')
		return false;
	for (size_t i = 1; i <= 64; i++)
		if (!is_hex(dash[i]))
			return false;
	u1 = memchr(name, '_', (size_t)(dash - name));
	if (!u1)
		return false;
	u2 = memchr(u1 + 1, '_', (size_t)(dash - u1 - 1));
	if (!u2)
		return false;
	/* the container is everything between the second '_' and the ID, '_' and '-' and
	 * all, as the kubelet wrote it (its validation keeps '_' out of container names) */
	if (!take_name(name, (size_t)(u1 - name), out->pod, KUBE_POD_MAX, 0) ||
	    !take_name(u1 + 1, (size_t)(u2 - u1 - 1), out->namespace_, KUBE_NAMESPACE_MAX, 0) ||
	    !take_name(u2 + 1, (size_t)(dash - u2 - 1), out->container, KUBE_CONTAINER_MAX, '_')) {
		memset(out, 0, sizeof(*out));
		return false;
	}
	memcpy(out->id, dash + 1, 64);
	out->id[64] = '\0';
	return true;
}

bool kube_pod_dir_parse(const char *name, size_t len, struct kube_ref *out)
{
	const char *end = name + len, *u1, *u2;

	memset(out, 0, sizeof(*out));
	u1 = memchr(name, '_', len);
	if (!u1)
		return false;
	u2 = memchr(u1 + 1, '_', (size_t)(end - u1 - 1));
	if (!u2 || !take_name(name, (size_t)(u1 - name), out->namespace_, KUBE_NAMESPACE_MAX, 0) ||
	    !take_name(u1 + 1, (size_t)(u2 - u1 - 1), out->pod, KUBE_POD_MAX, 0) ||
	    !take_name(u2 + 1, (size_t)(end - u2 - 1), out->uid, KUBE_UID_MAX, 0)) {
		memset(out, 0, sizeof(*out));
		return false;
	}
	for (const char *p = out->uid; *p; p++)
		if (!is_hex(*p) && *p != '-') {
			memset(out, 0, sizeof(*out));
			return false;
		}
	return true;
}
