/* Unit tests of the kubelet's log link names (kubelet_logs.c). */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kubelet_logs.h"

#define ID "7e77b80f286829fb960d9389484c796b072dd8385148d1a0e07d870dde60a722"
#define UID "3f1e2d4c-8b7a-4e5f-9a6b-1c2d3e4f5a6b"

static bool link_of(const char *name, struct kube_ref *k)
{
	return kube_container_link_parse(name, strlen(name), k);
}

static bool pod_of(const char *name, struct kube_ref *k)
{
	return kube_pod_dir_parse(name, strlen(name), k);
}

/* Links as kubelet 1.28 with containerd wrote them on a node (ls /var/log/containers). */
static void test_container_links(void **state)
{
	struct kube_ref k;

	(void)state;
	assert_true(link_of("web-6d4cf56db6-x2k8q_shop_gunicorn-" ID ".log", &k));
	assert_string_equal(k.pod, "web-6d4cf56db6-x2k8q");
	assert_string_equal(k.namespace_, "shop");
	assert_string_equal(k.container, "gunicorn");
	assert_string_equal(k.id, ID);
	assert_string_equal(k.uid, "");
	/* a static pod is named after its node: dots in the pod name */
	assert_true(link_of("etcd-node1.example.com_kube-system_etcd-" ID ".log", &k));
	assert_string_equal(k.pod, "etcd-node1.example.com");
	assert_string_equal(k.namespace_, "kube-system");
	assert_string_equal(k.container, "etcd");
}

/* The ambiguity: '-' separates the container from the ID and may be in all three
 * names; pods and namespaces cannot hold '_' (the API server's validation), so the first
 * two '_' end them, and the ID is the 64 hex before ".log" (as fluentd's
 * kubernetes_metadata filter splits them). */
static void test_dashes_and_underscores(void **state)
{
	struct kube_ref k;

	(void)state;
	assert_true(link_of("coredns-5d78c9869d-k2x7z_kube-system_coredns-sidecar-x-" ID ".log", &k));
	assert_string_equal(k.pod, "coredns-5d78c9869d-k2x7z");
	assert_string_equal(k.namespace_, "kube-system");
	assert_string_equal(k.container, "coredns-sidecar-x");
	assert_string_equal(k.id, ID);
	/* a container name that looks like an ID's tail is still the container's */
	assert_true(link_of("p_n_c-0123456789abcdef-" ID ".log", &k));
	assert_string_equal(k.container, "c-0123456789abcdef");
	/* a '_' after the namespace's can only be the container's (no API server lets it
	 * through; the kubelet would write it as is) */
	assert_true(link_of("p_n_odd_name-" ID ".log", &k));
	assert_string_equal(k.pod, "p");
	assert_string_equal(k.namespace_, "n");
	assert_string_equal(k.container, "odd_name");
}

/* What no kubelet writes, and what it writes but does not name a container by. */
static void test_refused(void **state)
{
	struct kube_ref k;
	char buf[512], longpod[260];

	(void)state;
	assert_false(link_of("", &k));
	assert_false(link_of(".log", &k));
	assert_false(link_of("p_n_c-" ID ".log.1", &k));            /* not the link */
	assert_false(link_of("p_n_c-" ID, &k));
	assert_false(link_of("p_n_c" ID ".log", &k));               /* no '-' before the ID */
	assert_false(link_of("p_n_c-" ID "0.log", &k));             /* 65 hex */
	assert_false(link_of("p_n_c-7E77B80F286829fb960d9389484c796b072dd8385148d1a0e07d870dde60a722.log", &k));
	assert_false(link_of("p_n-" ID ".log", &k));                /* no namespace */
	assert_false(link_of("p__c-" ID ".log", &k));               /* empty namespace */
	assert_false(link_of("_n_c-" ID ".log", &k));               /* empty pod */
	assert_false(link_of("p_n_-" ID ".log", &k));               /* empty container */
	assert_false(link_of("..__c-" ID ".log", &k));
	assert_false(link_of("p_.._c-" ID ".log", &k));
	/* terminal escapes and slashes never get to be a name */
	assert_false(link_of("evil\033]0;pwned\a_shop_pause-" ID ".log", &k));
	assert_false(link_of("p_n\n_c-" ID ".log", &k));
	assert_false(link_of("p_n_c\033[2J-" ID ".log", &k));
	assert_false(link_of("p_n_c/..-" ID ".log", &k));
	assert_false(link_of("p_n_k\303\266nig-" ID ".log", &k));
	/* an embedded NUL ends nothing: the length is the name's */
	assert_false(kube_container_link_parse("p_n\0_c-" ID ".log", sizeof("p_n\0_c-" ID ".log") - 1, &k));
	/* the kubelet cuts a name at 255 bytes (ext4's limit), ".log" included: the ID is gone */
	memset(longpod, 'a', 200);
	longpod[200] = '\0';
	snprintf(buf, sizeof(buf), "%s_shop_gunicorn-%s", longpod, ID);
	snprintf(buf + 251, sizeof(buf) - 251, ".log");
	assert_int_equal(strlen(buf), 255);
	assert_false(link_of(buf, &k));
	/* longer than Kubernetes allows */
	memset(longpod, 'a', 254);
	longpod[254] = '\0';
	snprintf(buf, sizeof(buf), "%s_n_c-%s.log", longpod, ID);
	assert_false(link_of(buf, &k));
	longpod[253] = '\0';
	snprintf(buf, sizeof(buf), "%s_n_c-%s.log", longpod, ID);
	assert_true(link_of(buf, &k));
	assert_int_equal(strlen(k.pod), 253);
	/* a refused name leaves nothing behind */
	assert_false(link_of("p_n\033_c-" ID ".log", &k));
	assert_string_equal(k.pod, "");
	assert_string_equal(k.id, "");
}

static void test_pod_dirs(void **state)
{
	struct kube_ref k;

	(void)state;
	assert_true(pod_of("shop_web-6d4cf56db6-x2k8q_" UID, &k));
	assert_string_equal(k.namespace_, "shop");
	assert_string_equal(k.pod, "web-6d4cf56db6-x2k8q");
	assert_string_equal(k.uid, UID);
	assert_string_equal(k.container, "");
	assert_string_equal(k.id, "");
	/* a static pod's UID is its manifest's hash */
	assert_true(pod_of("kube-system_etcd-node1_d41d8cd98f00b204e9800998ecf8427e", &k));
	assert_string_equal(k.uid, "d41d8cd98f00b204e9800998ecf8427e");
	/* before kubelet 1.14: the UID alone, which names nobody */
	assert_false(pod_of(UID, &k));
	assert_false(pod_of("shop_web_", &k));
	assert_false(pod_of("shop__" UID, &k));
	assert_false(pod_of("shop_web_" UID "_x", &k));              /* '_' in a UID */
	assert_false(pod_of("shop_web_3F1E2D4C", &k));
	assert_false(pod_of("sh\033op_web_" UID, &k));
	assert_false(pod_of("..", &k));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_container_links),
		cmocka_unit_test(test_dashes_and_underscores),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_pod_dirs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
