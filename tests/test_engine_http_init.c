/* engine_http_global_init() in a process of its own (a library's crypto set-up happens
 * once per process): libcurl is ready for unix-socket requests, and when libcurl is built
 * with libssh2, libssh2's crypto library (OpenSSL's libcrypto on Debian 12) was not set
 * up: its pages stay as they were on loading (setting it up makes 1.4 MiB of libcrypto's
 * pages resident). */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <curl/curl.h>

#include "engine_http.h"
#include "util.h"

/* KiB of the process's resident pages in mappings of files whose name holds NAME */
static long resident_kib_of(const char *name)
{
	FILE *f = fopen("/proc/self/smaps", "re");
	char line[512];
	bool in = false;
	long kib = 0, v;

	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		unsigned long a, b;

		if (sscanf(line, "%lx-%lx ", &a, &b) == 2) {
			const char *p = strchr(line, '/');

			in = p && strstr(p, name);
		} else if (in && sscanf(line, "Rss: %ld kB", &v) == 1) {
			kib += v;
		}
	}
	fclose(f);
	return kib;
}

static bool curl_uses_libssh2(void)
{
	const curl_version_info_data *v = curl_version_info(CURLVERSION_NOW);

	return v && v->libssh_version && strncmp(v->libssh_version, "libssh2/", 8) == 0;
}

static void test_no_ssh_crypto(void **state)
{
	long before, after;

	(void)state;
	if (!curl_uses_libssh2()) {
		print_message("skipped: this libcurl is not built with libssh2\n");
		skip();
	}
	before = resident_kib_of("libcrypto.so");
	if (before == 0) {
		print_message("skipped: libssh2 here does not use OpenSSL's libcrypto\n");
		skip();
	}
	assert_int_equal(engine_http_global_init(), 0);
	after = resident_kib_of("libcrypto.so");
	print_message("libcrypto resident: %ld KiB loaded, %ld KiB after the init\n", before, after);
	/* libssh2's crypto init (OpenSSL's ciphers and engines) adds about 1,470 KiB here */
	assert_true(after - before < 256);
	/* a second init and cleanup pair leave it out too */
	assert_int_equal(engine_http_global_init(), 0);
	engine_http_global_cleanup();
	assert_true(resident_kib_of("libcrypto.so") - before < 256);
	engine_http_global_cleanup();
}

/* libcurl works after it: a request to a socket that is not there says so */
static void test_client_works(void **state)
{
	struct engine_get req = {
		.socket = "/nonexistent/cgtop-test.sock",
		.host = "docker",
		.path = "/_ping",
		.timeout_ms = 2000,
		.max_body = 1024,
	};
	struct buf body = { 0 };
	struct engine_http *h;
	int status = 0;

	(void)state;
	assert_int_equal(engine_http_global_init(), 0);
	h = engine_http_new(-1);
	assert_non_null(h);
	assert_int_equal(engine_http_get(h, &req, &body, &status), -ENOENT);
	engine_http_free(h);
	buf_free(&body);
	engine_http_global_cleanup();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_ssh_crypto),
		cmocka_unit_test(test_client_works),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
