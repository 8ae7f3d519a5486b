/* Least privilege: no new privileges and a seccomp filter.
 *
 * Why these: seccomp with a raw BPF program needs no new dependency (libseccomp would be
 * one) and is in every kernel cgtop supports; it is a deny list, so that the libraries
 * cgtop links (ncurses, libsystemd's event loop, json-c, libcgroup, glibc's own choices
 * of system calls) keep working as they change, while what a read-only monitor never
 * does -- exec, writing or changing files, network sockets, mounts, modules, ptrace --
 * is refused. Opening a file is filtered on its flags: read-only opens pass. Connecting
 * to the engines' unix sockets and writing to descriptors already open (the terminal,
 * stdout) stay allowed.
 *
 * libcurl (engine_http.c) needed no new rule: it is set up during start-up, before the
 * filter (curl_global_init, which sets up its TLS library, and the multi handle's
 * wake-up socketpair); a request under the filter makes socket(AF_UNIX), connect, poll,
 * fcntl, getsockopt, getsockname, getpeername, sendto and recvfrom -- strace of the
 * worker, tests/privs.test -- none of them refused. Were it to try a network socket (it
 * has no reason to: CURLOPT_UNIX_SOCKET_PATH, no proxy, http only), the socket rule
 * below refuses it.
 *
 * Why not Landlock, which this kernel may offer: a Landlock domain also scopes ptrace
 * access checks, so /proc/PID/io of every process outside the domain -- all of them --
 * becomes unreadable, even to root, and the block I/O estimate needs those files. The
 * filter's "no open for writing" gives the read-only guarantee without that cost.
 *
 * --output FILE is the one write to the file system: each sample is written to a temporary
 * file beside FILE and renamed over it (outfile.c), so that node_exporter never reads half
 * a sample. With it, the filter lets openat() for writing through when its directory
 * descriptor is FILE's directory's, and renameat()/renameat2() when both are; everything
 * else stays refused (unlink, link, mkdir, any other descriptor). A filter sees numbers,
 * not paths: an absolute path given to openat() ignores the descriptor, so what holds the
 * rest of the file system then is the unit's ProtectSystem=strict, which leaves only the
 * textfile directory writable (data/cgtop-prometheus.service.in). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "sandbox.h"
#include "util.h"

#if defined(__x86_64__)
#define SANDBOX_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define SANDBOX_ARCH AUDIT_ARCH_AARCH64
#endif

/* LeakSanitizer stops the world with ptrace at exit: sanitizer builds keep it. */
#if defined(__SANITIZE_ADDRESS__)
#define SANDBOX_KEEP_PTRACE 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(leak_sanitizer)
#define SANDBOX_KEEP_PTRACE 1
#endif
#endif

/* The system calls a read-only monitor never makes. Those missing on an architecture
 * (aarch64 has no open, unlink, ...) are left out by the preprocessor. */
static const int denied[] = {
	/* running other programs */
	SYS_execve, SYS_execveat,
	/* changing the file system */
#ifdef SYS_creat
	SYS_creat,
#endif
#ifdef SYS_unlink
	SYS_unlink, SYS_rmdir, SYS_rename, SYS_mkdir, SYS_link, SYS_symlink, SYS_mknod,
	SYS_chmod, SYS_chown, SYS_lchown,
#endif
	SYS_unlinkat, SYS_renameat, SYS_renameat2, SYS_mkdirat, SYS_linkat, SYS_symlinkat,
	SYS_mknodat, SYS_fchmod, SYS_fchmodat, SYS_fchown, SYS_fchownat, SYS_truncate,
	/* (ftruncate stays: --record takes a torn write back on the file it opened before) */
	SYS_setxattr, SYS_lsetxattr, SYS_fsetxattr, SYS_removexattr,
	SYS_lremovexattr, SYS_fremovexattr, SYS_open_by_handle_at, SYS_name_to_handle_at,
	/* the machine itself */
	SYS_mount, SYS_umount2, SYS_pivot_root, SYS_chroot, SYS_swapon, SYS_swapoff, SYS_reboot,
	SYS_kexec_load, SYS_init_module, SYS_finit_module, SYS_delete_module, SYS_acct,
	SYS_settimeofday, SYS_clock_settime, SYS_sethostname, SYS_setdomainname,
#ifdef SYS_kexec_file_load
	SYS_kexec_file_load,
#endif
#ifdef SYS_fsopen
	SYS_fsopen, SYS_fsmount, SYS_move_mount, SYS_open_tree, SYS_fsconfig, SYS_fspick,
#endif
	/* other processes, identities, namespaces */
	SYS_process_vm_writev, SYS_unshare, SYS_setns, SYS_setuid, SYS_setgid, SYS_setreuid,
	SYS_setregid, SYS_setresuid, SYS_setresgid, SYS_setgroups, SYS_setfsuid, SYS_setfsgid,
#ifndef SANDBOX_KEEP_PTRACE
	SYS_ptrace,
#endif
	/* interfaces that reach around this filter or the kernel's hardening */
	SYS_bpf, SYS_perf_event_open, SYS_userfaultfd, SYS_keyctl, SYS_add_key, SYS_request_key,
#ifdef SYS_io_uring_setup
	SYS_io_uring_setup, SYS_io_uring_enter, SYS_io_uring_register,
#endif
};

#ifdef SANDBOX_ARCH
/* The low 32 bits of system call argument N. */
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define ARG_LO(n) (offsetof(struct seccomp_data, args) + 8 * (n))
#else
#define ARG_LO(n) (offsetof(struct seccomp_data, args) + 8 * (n) + 4)
#endif
#define RET(v) BPF_STMT(BPF_RET | BPF_K, (v))
#define LOAD(off) BPF_STMT(BPF_LD | BPF_W | BPF_ABS, (off))
#define OPEN_WRITE_FLAGS (O_WRONLY | O_RDWR | O_CREAT | O_TRUNC)

struct prog {
	struct sock_filter insn[256];
	unsigned short n;
};

/* Append one instruction. */
static void emit(struct prog *p, struct sock_filter f)
{
	if (p->n < ARRAY_SIZE(p->insn))
		p->insn[p->n++] = f;
}

/* If the system call is NR, A is loaded with the flags argument ARG and a write flag
 * means EACCES -- unless DIRFD >= 0 and the directory descriptor argument DIRARG is
 * DIRFD; else on. (Each branch returns, so A may be reloaded.) */
static void emit_open_check(struct prog *p, int nr, unsigned arg, unsigned dirarg, int dirfd)
{
	bool dir = dirfd >= 0;

	emit(p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned)nr, 0, dir ? 6 : 4));
	emit(p, (struct sock_filter)LOAD(ARG_LO(arg)));
	emit(p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, OPEN_WRITE_FLAGS, 0, dir ? 3 : 1));
	if (dir) {
		emit(p, (struct sock_filter)LOAD(ARG_LO(dirarg)));
		emit(p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned)dirfd, 1, 0));
	}
	emit(p, (struct sock_filter)RET(SECCOMP_RET_ERRNO | EACCES));
	emit(p, (struct sock_filter)RET(SECCOMP_RET_ALLOW));
}

/* If the system call is NR (a renameat), it is allowed when both its directory
 * descriptors are DIRFD, refused otherwise; else on. */
static void emit_rename_check(struct prog *p, int nr, int dirfd)
{
	emit(p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned)nr, 0, 6));
	emit(p, (struct sock_filter)LOAD(ARG_LO(0)));
	emit(p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned)dirfd, 0, 2));
	emit(p, (struct sock_filter)LOAD(ARG_LO(2)));
	emit(p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned)dirfd, 1, 0));
	emit(p, (struct sock_filter)RET(SECCOMP_RET_ERRNO | EPERM));
	emit(p, (struct sock_filter)RET(SECCOMP_RET_ALLOW));
}

/* Build the filter: foreign ABIs refused, denied[] refused, opens for writing refused
 * (but in OUT_DIRFD, when >= 0, where renames are allowed too), sockets other than
 * AF_UNIX refused, the rest allowed. */
static void build_filter(struct prog *p, int out_dirfd)
{
	p->n = 0;
	emit(p, (struct sock_filter)LOAD(offsetof(struct seccomp_data, arch)));
	emit(p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SANDBOX_ARCH, 1, 0));
	emit(p, (struct sock_filter)RET(SECCOMP_RET_ERRNO | ENOSYS));
	emit(p, (struct sock_filter)LOAD(offsetof(struct seccomp_data, nr)));
#ifdef __x86_64__
	/* x32 system calls reach the same kernel with other numbers */
	emit(p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 0x40000000u, 0, 1));
	emit(p, (struct sock_filter)RET(SECCOMP_RET_ERRNO | ENOSYS));
#endif
	if (out_dirfd >= 0) {
		emit_rename_check(p, SYS_renameat, out_dirfd);
		emit_rename_check(p, SYS_renameat2, out_dirfd);
	}
	for (size_t i = 0; i < ARRAY_SIZE(denied); i++) {
		emit(p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned)denied[i], 0, 1));
		emit(p, (struct sock_filter)RET(SECCOMP_RET_ERRNO | EPERM));
	}
	/* openat2 hides its flags in memory a filter cannot read: glibc falls back to openat */
#ifdef SYS_openat2
	emit(p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_openat2, 0, 1));
	emit(p, (struct sock_filter)RET(SECCOMP_RET_ERRNO | ENOSYS));
#endif
	/* socket(): unix sockets only (the engines' API); no network */
	emit(p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_socket, 0, 4));
	emit(p, (struct sock_filter)LOAD(ARG_LO(0)));
	emit(p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AF_UNIX, 0, 1));
	emit(p, (struct sock_filter)RET(SECCOMP_RET_ALLOW));
	emit(p, (struct sock_filter)RET(SECCOMP_RET_ERRNO | EAFNOSUPPORT));
#ifdef SYS_open
	emit_open_check(p, SYS_open, 1, 0, -1);
#endif
	emit_open_check(p, SYS_openat, 2, 0, out_dirfd);
	emit(p, (struct sock_filter)RET(SECCOMP_RET_ALLOW));
}

/* Install the filter in every thread of the process (the metadata worker runs already)
 * and those started after. Returns 0 or -errno. */
static int install_filter(int out_dirfd)
{
	struct prog p;
	struct sock_fprog fp;

	build_filter(&p, out_dirfd);
	if (p.n == ARRAY_SIZE(p.insn))
		return -E2BIG;
	fp.len = p.n;
	fp.filter = p.insn;
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_TSYNC, &fp) == 0)
		return 0;
	if (errno != ENOSYS)
		return -errno;
	/* no seccomp(2) (valgrind does not know it): this thread and its future ones only */
	return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &fp, 0, 0) == 0 ? 0 : -errno;
}
#else
static int install_filter(int out_dirfd)
{
	(void)out_dirfd;
	return -EOPNOTSUPP; /* no filter written for this architecture */
}
#endif

struct sandbox_state sandbox_enter(struct notes *notes, int out_dirfd)
{
	struct sandbox_state st = { 0 };
	int r;

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
		notes_add(notes, "sandbox-nnp", "cannot set no_new_privs (%s): cgtop runs without its system call filter",
			  strerror(errno));
		return st;
	}
	st.no_new_privs = true;
	r = install_filter(out_dirfd);
	if (r == 0)
		st.seccomp = true;
	else if (r != -EOPNOTSUPP && r != -EINVAL && r != -ENOSYS)
		notes_add(notes, "sandbox-seccomp", "cannot install the system call filter (%s): cgtop runs without it",
			  strerror(-r));
	return st;
}
