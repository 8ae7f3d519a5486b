/* Fuzz target: the kubelet's log link names (/var/log/containers entries,
 * kube_container_link_parse, and /var/log/pods directories, kube_pod_dir_parse). */
#include "config.h"

#include "fuzz.h"
#include "kubelet_logs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kube_ref k;

	if (kube_container_link_parse((const char *)data, size, &k))
		fuzz_touch(k.pod), fuzz_touch(k.namespace_), fuzz_touch(k.container), fuzz_touch(k.id);
	if (kube_pod_dir_parse((const char *)data, size, &k))
		fuzz_touch(k.pod), fuzz_touch(k.namespace_), fuzz_touch(k.uid);
	return 0;
}
