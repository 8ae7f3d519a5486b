/* Kubernetes names from the kubelet's log links: the only place on a node, without an
 * API, that names containers and pods by namespace and pod. Pure parsers of the entry
 * names of /var/log/containers and /var/log/pods (read as directory listings: the logs
 * themselves are never opened). */
#ifndef CGTOP_KUBELET_LOGS_H
#define CGTOP_KUBELET_LOGS_H

#include <stdbool.h>
#include <stddef.h>

/* The label keys the kubelet gives every container and pod sandbox through the CRI
 * (pkg/kubelet/types/labels.go): the engines' own inspect output shows them. */
#define KUBE_LABEL_POD "io.kubernetes.pod.name"
#define KUBE_LABEL_NAMESPACE "io.kubernetes.pod.namespace"
#define KUBE_LABEL_POD_UID "io.kubernetes.pod.uid"
#define KUBE_LABEL_CONTAINER "io.kubernetes.container.name"

/* Longest names Kubernetes accepts: a pod is a DNS subdomain (253), a namespace and a
 * container DNS labels (63). A UID is a UUID (36) or, for a static pod, a hash (32). */
#define KUBE_POD_MAX 253
#define KUBE_NAMESPACE_MAX 63
#define KUBE_CONTAINER_MAX 63
#define KUBE_UID_MAX 64

/* Most entries of either directory read (a node runs at most a few hundred pods). */
#define KUBE_MAX_LINKS 65536

/* What one entry name says. Strings are NUL-terminated; unused ones are empty. */
struct kube_ref {
	char pod[KUBE_POD_MAX + 1];
	char namespace_[KUBE_NAMESPACE_MAX + 1];
	char container[KUBE_CONTAINER_MAX + 1];
	char id[65];                  /* container ID: 64 hex */
	char uid[KUBE_UID_MAX + 1];   /* pod UID */
};

/* NAME (LEN bytes) is an entry of /var/log/containers: the kubelet's
 * "<pod>_<namespace>_<container>-<container id>.log" (kuberuntime's logSymlink()). The
 * pod and namespace cannot hold '_', so the first two '_' end them; a container name may
 * hold '-', so the ID is what follows the last '-'. Names the kubelet cut at 255 bytes
 * (they lose the ID) and names outside Kubernetes' character set are refused. Pure. */
bool kube_container_link_parse(const char *name, size_t len, struct kube_ref *out);

/* NAME (LEN bytes) is a directory of /var/log/pods: "<namespace>_<pod>_<uid>"
 * (kubelet's BuildPodLogsDirectory()); kubelets before 1.14 used "<uid>" alone, which
 * names nobody and is refused. Pure. */
bool kube_pod_dir_parse(const char *name, size_t len, struct kube_ref *out);

#endif
