/* Fuzz target: /proc/<pid>/status (parse_status_uid), /proc/<pid>/cmdline
 * (parse_cmdline), /proc/<pid>/io (parse_proc_io) and /etc/passwd (parse_passwd_name). */
#include "config.h"

#include <sys/types.h>

#include "fuzz.h"
#include "parse.h"
#include "parse_procs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	uid_t uid = 0;
	char cmd[256], user[33];
	struct proc_io io;
	size_t n;

	parse_status_uid(buf, size, &uid);
	n = parse_cmdline(buf, size, cmd, sizeof(cmd));
	if (n >= sizeof(cmd) || cmd[n] != '\0')
		abort();
	parse_cmdline(buf, size, cmd, 1);
	parse_proc_io(buf, size, &io);
	if (parse_passwd_name(buf, size, uid, user, sizeof(user)) == 0)
		fuzz_touch(user);
	parse_passwd_name(buf, size, 0, user, sizeof(user));
	return 0;
}
