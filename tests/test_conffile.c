/* The configuration file: a good file, every kind of bad line, the reader with a setter of
 * its own, where the file is looked for, the command line winning over it, and the keys the
 * manual and the bash completion know being the keys cgtop takes. */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "conffile.h"
#include "options.h"

/* The setter options.c hands the reader: a key of the options at UD. */
static int set_option(void *ud, const char *key, const char *value, const char **want)
{
	return options_set_config(ud, key, value, want);
}

static int parse_len(const char *text, size_t len, struct options *opt, struct conf_error *err)
{
	options_init(opt);
	memset(err, 0, sizeof(*err));
	return conffile_parse(text, len, set_option, opt, err);
}

static int parse(const char *text, struct options *opt, struct conf_error *err)
{
	return parse_len(text, strlen(text), opt, err);
}

static void test_good_file(void **state)
{
	static const char text[] =
		"# cgtop's defaults\n"
		"\n"
		"order = memory\n"
		"   reverse=yes   \n"
		"delay = 2.5  # seconds\n"
		"labels = config_id, managed_by,container_name\n"
		"cpu = time\r\n" /* written on Windows */
		"\t# an indented comment\n"
		"depth = 3\n"
		"all = no\n"
		"group-by = label:config_id\n"
		"format = json\n"
		"docker-socket = /run/docker#1.sock\n" /* a '#' inside a value is kept */
		"docker-root = /srv/docker\n"
		"podman-socket = /run/podman/podman.sock\n"
		"podman-storage = /srv/containers/storage"; /* no newline at the end */
	struct options opt;
	struct conf_error err;

	assert_int_equal(parse(text, &opt, &err), 0);
	assert_int_equal(opt.order, ORDER_MEMORY);
	assert_true(opt.reverse);
	assert_int_equal(opt.delay_ns, 2500000000ull);
	assert_int_equal(opt.nlabels, 3);
	assert_string_equal(opt.labels[0], "config_id");
	assert_string_equal(opt.labels[1], "managed_by");
	assert_string_equal(opt.labels[2], "container_name");
	assert_int_equal(opt.cpu, CPU_TIME);
	assert_int_equal(opt.max_depth, 3);
	assert_false(opt.all);
	assert_string_equal(opt.group_label, "config_id");
	assert_int_equal(opt.group_by, GROUP_LABEL);
	assert_int_equal(opt.format, FORMAT_JSON);
	assert_false(opt.format_given);
	assert_string_equal(opt.docker_socket, "/run/docker#1.sock");
	assert_string_equal(opt.docker_root, "/srv/docker");
	assert_string_equal(opt.podman_socket, "/run/podman/podman.sock");
	assert_string_equal(opt.podman_storage, "/srv/containers/storage");
	options_free(&opt);

	/* nothing at all, and comments only, change nothing */
	assert_int_equal(parse("", &opt, &err), 0);
	assert_int_equal(opt.order, ORDER_CPU);
	options_free(&opt);
	assert_int_equal(parse("# all = yes\n\n   \n", &opt, &err), 0);
	assert_false(opt.all);
	assert_int_equal(opt.delay_ns, 1000000000u);
	options_free(&opt);
	/* every spelling of yes and no */
	assert_int_equal(parse("all = TRUE\nreverse = on\n", &opt, &err), 0);
	assert_true(opt.all && opt.reverse);
	options_free(&opt);
	assert_int_equal(parse("all = 0\nreverse = Off\n", &opt, &err), 0);
	assert_false(opt.all || opt.reverse);
	options_free(&opt);
}

/* TEXT (LEN bytes) must fail on LINE with a message containing WANT. */
static void bad_len(const char *text, size_t len, unsigned line, const char *want)
{
	struct options opt;
	struct conf_error err;
	int r = parse_len(text, len, &opt, &err);

	options_free(&opt);
	if (r != -EINVAL || err.line != line || !strstr(err.text, want))
		fail_msg("'%s': r=%d line %u '%s', expected line %u '%s'", text, r, err.line, err.text, line, want);
}

static void bad(const char *text, unsigned line, const char *want)
{
	bad_len(text, strlen(text), line, want);
}

static void test_bad_lines(void **state)
{
	bad("order memory\n", 1, "expected 'key = value', found 'order memory'");
	bad("\n# fine\n= memory\n", 3, "no key before '='");
	bad("order =\n", 1, "'order' has no value");
	bad("order = # nothing\n", 1, "'order' has no value");
	bad("colour = red\n", 1, "unknown key 'colour' (the keys are order, reverse, delay, labels");
	bad("Order = cpu\n", 1, "unknown key 'Order'");
	bad("label = config_id\n", 1, "unknown key 'label'"); /* the file's key is "labels" */
	bad("order = cpu\nall = yes\norder = memory\n", 3, "'order' is already set on line 1");
	bad_len("order = cpu\nall = y\0es\n", 20, 2, "a NUL byte");
	/* untrusted bytes in the message are escaped */
	bad("\x1b[2J = 1\n", 1, "unknown key '\\x1b[2J'");
	bad("order = \xff\xfe\n", 1, "invalid order '\\xff\\xfe'");
	/* every key's values, checked as on the command line */
	bad("order = size\n", 1, "invalid order 'size': expected path, tasks, cpu, memory, io or trouble");
	bad("reverse = maybe\n", 1, "invalid reverse 'maybe': expected yes or no");
	bad("delay = 0\n", 1, "invalid delay '0': expected seconds from 0.01 to 86400");
	bad("delay = nan\n", 1, "invalid delay 'nan'");
	bad("delay = 10s\n", 1, "invalid delay '10s'");
	bad("delay = 86401\n", 1, "invalid delay '86401'");
	bad("labels = config_id,,managed_by\n", 1, "invalid labels 'config_id,,managed_by': expected label keys");
	bad("labels = a=b\n", 1, "invalid labels 'a=b'");
	bad("labels = ,\n", 1, "invalid labels ','");
	bad("cpu = cycles\n", 1, "invalid cpu 'cycles': expected percentage or time");
	bad("depth = -1\n", 1, "invalid depth '-1': expected a whole number from 0 to 1000");
	bad("depth = 1001\n", 1, "invalid depth '1001'");
	bad("all = 2\n", 1, "invalid all '2': expected yes or no");
	bad("group-by = label:\n", 1, "invalid group-by 'label:': expected label:KEY, image, pod or namespace");
	bad("group-by = name\n", 1, "invalid group-by 'name'");
	bad("format = xml\n", 1, "invalid format 'xml': expected text, json, openmetrics or prometheus");
	/* command-line-only options are not configuration keys */
	bad("root = /srv/host\n", 1, "unknown key 'root'");
	bad("journal = yes\n", 1, "unknown key 'journal'");
	bad("iterations = 3\n", 1, "unknown key 'iterations'");
}

/* --- the reader alone, with a setter that knows two keys ------------------------------------- */

struct calls {
	char text[256]; /* "key=value;" per call */
};

/* Knows the keys starting with "a" (any value) and "b" (only "1"); writes down every call. */
static int set_toy(void *ud, const char *key, const char *value, const char **want)
{
	struct calls *c = ud;
	size_t len = strlen(c->text);

	snprintf(c->text + len, sizeof(c->text) - len, "%s=%s;", key, value);
	if (key[0] == 'a')
		return 0;
	if (strcmp(key, "b") == 0) {
		*want = "expected 1";
		return strcmp(value, "1") == 0 ? 0 : -EINVAL;
	}
	if (strcmp(key, "quiet") == 0)
		return -ENOENT; /* no list of keys to offer */
	*want = "a, b";
	return -ENOENT;
}

static int parse_toy(const char *text, struct calls *c, struct conf_error *err)
{
	memset(c, 0, sizeof(*c));
	memset(err, 0, sizeof(*err));
	return conffile_parse(text, strlen(text), set_toy, c, err);
}

static void test_reader_alone(void **state)
{
	struct calls c;
	struct conf_error err;

	/* keys and values trimmed, comments gone, the setter's own keys only */
	assert_int_equal(parse_toy("# x\n  a =  one two # three\n\tb=1\r\n", &c, &err), 0);
	assert_string_equal(c.text, "a=one two;b=1;");
	/* what the setter says is wrong, on the line it is on */
	assert_int_equal(parse_toy("a = 1\nb = 2\n", &c, &err), -EINVAL);
	assert_int_equal(err.line, 2);
	assert_string_equal(err.text, "invalid b '2': expected 1");
	assert_int_equal(parse_toy("c = 1\n", &c, &err), -EINVAL);
	assert_string_equal(err.text, "unknown key 'c' (the keys are a, b)");
	assert_int_equal(parse_toy("quiet = 1\n", &c, &err), -EINVAL);
	assert_string_equal(err.text, "unknown key 'quiet'");
	/* a key once, whatever the setter: the second is not handed to it */
	assert_int_equal(parse_toy("a = 1\n\na = 2\n", &c, &err), -EINVAL);
	assert_int_equal(err.line, 3);
	assert_string_equal(err.text, "'a' is already set on line 1");
	assert_string_equal(c.text, "a=1;");
	/* more keys than options.c has, and longer ones: the reader does not bound them */
	{
		char text[4096] = "";

		for (int i = 0; i < 40; i++) {
			size_t len = strlen(text);

			snprintf(text + len, sizeof(text) - len, "a_key_longer_than_twenty_four_bytes_%d = %d\n", i, i);
		}
		assert_int_equal(parse_toy(text, &c, &err), 0);
		strcat(text, "a_key_longer_than_twenty_four_bytes_0 = again\n");
		assert_int_equal(parse_toy(text, &c, &err), -EINVAL);
		assert_int_equal(err.line, 41);
		assert_string_equal(err.text, "'a_key_longer_than_twenty_four_bytes_0' is already set on line 1");
	}
}

/* --- one list of keys: the table, --help, messages, the manual, the completion ---------------- */

/* The whole file at SRCDIR/REL, NUL-terminated. */
static char *read_source(const char *rel)
{
	char path[1024], *text;
	FILE *f;
	long len;

	snprintf(path, sizeof(path), "%s/%s", SRCDIR, rel);
	f = fopen(path, "r");
	if (!f)
		fail_msg("cannot read %s", path);
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	text = calloc(1, (size_t)len + 1);
	assert_non_null(text);
	assert_int_equal(fread(text, 1, (size_t)len, f), (size_t)len);
	fclose(f);
	return text;
}

/* The text from the end of FROM to the start of TO in TEXT, copied; fails when absent. */
static char *between(const char *text, const char *from, const char *to)
{
	const char *a = strstr(text, from), *b;

	if (!a)
		fail_msg("'%s' not found", from);
	a += strlen(from);
	b = strstr(a, to);
	if (!b)
		fail_msg("'%s' not found after '%s'", to, from);
	return strndup(a, (size_t)(b - a));
}

static void test_keys_in_the_manual(void **state)
{
	size_t n, k = 0;
	const struct config_key *keys = options_config_table(&n);
	char *man = read_source("man/cgtop.1");
	char *list = between(strstr(man, ".SH CONFIGURATION FILE"), "take the same values:", "Each may be");
	int depth = 0;

	/* the keys are the bold words outside parentheses, "\-" a hyphen; a key that is a flag on
	 * the command line says its values: "\fBall\fR (yes or no)" */
	for (const char *p = list; *p; p++) {
		char name[64], values[64];
		size_t len = 0;

		if (*p == '(')
			depth++;
		else if (*p == ')')
			depth--;
		if (depth || strncmp(p, "\\fB", 3) != 0)
			continue;
		for (p += 3; *p && strncmp(p, "\\fR", 3) != 0 && len + 1 < sizeof(name); p++) {
			if (strncmp(p, "\\-", 2) == 0)
				p++;
			name[len++] = *p;
		}
		name[len] = '\0';
		p += 2;
		if (k == n)
			fail_msg("the manual lists '%s', which is not a configuration key", name);
		if (strcmp(name, keys[k].name) != 0)
			fail_msg("the manual lists '%s' where the keys have '%s'", name, keys[k].name);
		if (!strchr(keys[k].option, '=')) {
			snprintf(values, sizeof(values), " (%s or %s)", keys[k].choices[0], keys[k].choices[1]);
			if (strncmp(p + 1, values, strlen(values)) != 0)
				fail_msg("the manual does not say '%s' after '%s'", values, name);
		}
		k++;
	}
	if (k != n)
		fail_msg("the manual lists %zu configuration keys, cgtop has %zu ('%s' missing)", k, n, keys[k].name);
	free(list);
	free(man);

	/* messages and --help list them from the same table, in the same order */
	{
		char joined[512] = "";

		for (size_t i = 0; i < n; i++) {
			size_t len = strlen(joined);

			snprintf(joined + len, sizeof(joined) - len, "%s%s", i ? ", " : "", keys[i].name);
		}
		assert_string_equal(options_config_keys(), joined);
	}
}

/* The words of the first "compgen -W '...'" after AFTER in TEXT, space separated, copied. */
static char *compgen_words(const char *text, const char *after)
{
	const char *at = strstr(text, after);
	char *words, *out;
	size_t len = 0;

	if (!at)
		fail_msg("the completion has no '%s'", after);
	words = between(at, "compgen -W '", "'");
	out = calloc(1, strlen(words) + 1);
	assert_non_null(out);
	for (char *tok = strtok(words, " \t\n"); tok; tok = strtok(NULL, " \t\n"))
		len += (size_t)sprintf(out + len, "%s%s", len ? " " : "", tok);
	free(words);
	return out;
}

static void test_keys_in_the_completion(void **state)
{
	size_t n;
	const struct config_key *keys = options_config_table(&n);
	char *comp = read_source("data/cgtop.bash-completion");
	char *words = compgen_words(comp, "$cur == -*"), *options;

	/* " WORD " finds a whole word */
	assert_true(asprintf(&options, " %s ", words) > 0);
	free(words);
	for (size_t i = 0; i < n; i++) {
		char word[80], label[80], want[256] = "", *values;
		size_t len;

		/* the option the key is the default of is completed */
		snprintf(word, sizeof(word), " %s ", keys[i].option);
		if (!strstr(options, word))
			fail_msg("the completion does not offer %s (configuration key '%s')", keys[i].option,
				 keys[i].name);
		/* and so are its values, the same ones */
		if (!keys[i].choices || !strchr(keys[i].option, '='))
			continue;
		len = strcspn(keys[i].option, "=");
		snprintf(label, sizeof(label), "%.*s)", (int)len, keys[i].option); /* its case */
		values = compgen_words(comp, label);
		for (size_t c = 0; keys[i].choices[c]; c++) {
			size_t wl = strlen(want);

			snprintf(want + wl, sizeof(want) - wl, "%s%s", c ? " " : "", keys[i].choices[c]);
		}
		if (strcmp(values, want) != 0)
			fail_msg("the completion offers '%s' for %.*s, cgtop takes '%s'", values, (int)len,
				 keys[i].option, want);
		free(values);
	}
	free(options);
	free(comp);
}

/* ARGS (space separated, no quoting) as an argv for options_parse_args. */
static int run_args(struct options *opt, const char *args)
{
	static char buf[512]; /* the options point into it, as into a real argv */
	char *argv[32];
	int argc = 0;

	snprintf(buf, sizeof(buf), "cgtop %s", args);
	for (char *tok = strtok(buf, " "); tok && argc < 31; tok = strtok(NULL, " "))
		argv[argc++] = tok;
	argv[argc] = NULL;
	return options_parse_args(opt, argc, argv);
}

static void test_command_line_wins(void **state)
{
	static const char text[] = "order = memory\ndelay = 5\nlabels = config_id, managed_by\n"
				   "all = yes\nformat = json\ncpu = time\ndocker-root = /srv/docker\n";
	struct options opt;
	struct conf_error err;

	/* what the command line does not say stays as the file says */
	assert_int_equal(parse(text, &opt, &err), 0);
	assert_int_equal(run_args(&opt, "-b"), 0);
	assert_int_equal(opt.order, ORDER_MEMORY);
	assert_int_equal(opt.delay_ns, 5000000000ull);
	assert_int_equal(opt.nlabels, 2);
	assert_true(opt.all);
	assert_int_equal(opt.format, FORMAT_JSON);
	assert_string_equal(opt.docker_root, "/srv/docker");
	options_free(&opt);

	/* what it says wins: the order, the delay, the format, the columns (replaced, not added
	 * to), the view (--group-by replaces the file's all) */
	assert_int_equal(parse(text, &opt, &err), 0);
	assert_int_equal(run_args(&opt, "-t -d 0.5 --format=text --label=tier --group-by=image --cpu"), 0);
	assert_int_equal(opt.order, ORDER_TASKS);
	assert_int_equal(opt.delay_ns, 500000000u);
	assert_int_equal(opt.format, FORMAT_TEXT);
	assert_true(opt.format_given);
	assert_int_equal(opt.nlabels, 1);
	assert_string_equal(opt.labels[0], "tier");
	assert_false(opt.all);
	assert_int_equal(opt.group_by, GROUP_IMAGE);
	assert_int_equal(opt.cpu, CPU_PERCENT);
	options_free(&opt);

	/* the file's format does not stand in the way of --journal; a --format given with it does */
	assert_int_equal(parse(text, &opt, &err), 0);
	assert_int_equal(run_args(&opt, "--journal"), 0);
	assert_true(opt.journal && opt.batch);
	options_free(&opt);
	assert_int_equal(parse(text, &opt, &err), 0);
	assert_int_equal(run_args(&opt, "--journal --format=json"), 2);
	options_free(&opt);

	/* a group from the file, --all on the command line */
	assert_int_equal(parse("group-by = label:config_id\n", &opt, &err), 0);
	assert_int_equal(run_args(&opt, "--all"), 0);
	assert_true(opt.all);
	assert_int_equal(opt.group_by, GROUP_NONE);
	assert_null(opt.group_label);
	options_free(&opt);
}

/* --- where the file is, and options_parse as main() calls it --------------------------------- */

static char dir[] = "/tmp/cgtop-conffile-XXXXXX";

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int parse_argv(struct options *opt, const char *args)
{
	static char buf[512]; /* the options point into it, as into a real argv */
	char *argv[32];
	int argc = 0;

	snprintf(buf, sizeof(buf), "cgtop %s", args);
	for (char *tok = strtok(buf, " "); tok && argc < 31; tok = strtok(NULL, " "))
		argv[argc++] = tok;
	argv[argc] = NULL;
	return options_parse(opt, argc, argv);
}

static void test_files(void **state)
{
	char path[512], other[256], *p;
	struct options opt;
	FILE *saved_stdout;

	assert_non_null(mkdtemp(dir));
	/* XDG_CONFIG_HOME when absolute; a relative one is ignored (XDG base directory spec) */
	setenv("HOME", "/home/nobody", 1);
	setenv("XDG_CONFIG_HOME", dir, 1);
	p = conffile_default_path();
	snprintf(path, sizeof(path), "%s/cgtop/config", dir);
	assert_string_equal(p, path);
	free(p);
	setenv("XDG_CONFIG_HOME", "relative/dir", 1);
	p = conffile_default_path();
	assert_string_equal(p, "/home/nobody/.config/cgtop/config");
	free(p);
	unsetenv("XDG_CONFIG_HOME");
	p = conffile_default_path();
	assert_string_equal(p, "/home/nobody/.config/cgtop/config");
	free(p);

	/* no file: the defaults */
	setenv("XDG_CONFIG_HOME", dir, 1);
	assert_int_equal(parse_argv(&opt, "-b"), 0);
	assert_int_equal(opt.order, ORDER_CPU);
	options_free(&opt);

	/* the user's file */
	snprintf(other, sizeof(other), "%s/cgtop", dir);
	assert_int_equal(mkdir(other, 0700), 0);
	write_file(path, "order = memory\n");
	assert_int_equal(parse_argv(&opt, "-b"), 0);
	assert_int_equal(opt.order, ORDER_MEMORY);
	options_free(&opt);
	assert_int_equal(parse_argv(&opt, "-b -p"), 0);
	assert_int_equal(opt.order, ORDER_PATH);
	options_free(&opt);

	/* --config FILE instead of it; --no-config: none */
	snprintf(other, sizeof(other), "%s/other", dir);
	write_file(other, "order = tasks\n");
	snprintf(path, sizeof(path), "-b --config %s", other);
	assert_int_equal(parse_argv(&opt, path), 0);
	assert_int_equal(opt.order, ORDER_TASKS);
	options_free(&opt);
	assert_int_equal(parse_argv(&opt, "-b --no-config"), 0);
	assert_int_equal(opt.order, ORDER_CPU);
	options_free(&opt);

	/* a broken file: status 2, unless --no-config, or --help (which must always work) */
	snprintf(path, sizeof(path), "%s/cgtop/config", dir);
	write_file(path, "order = memory\norder = cpu\n");
	assert_int_equal(parse_argv(&opt, "-b"), 2);
	options_free(&opt);
	assert_int_equal(parse_argv(&opt, "-b --no-config"), 0);
	options_free(&opt);
	saved_stdout = stdout;
	stdout = fopen("/dev/null", "w");
	assert_int_equal(parse_argv(&opt, "--help"), 1);
	fclose(stdout);
	stdout = saved_stdout;
	options_free(&opt);

	/* --config with a file that is not there, or a directory, or together with --no-config */
	snprintf(path, sizeof(path), "--config %s/missing", dir);
	assert_int_equal(parse_argv(&opt, path), 2);
	options_free(&opt);
	snprintf(path, sizeof(path), "--config %s", dir);
	assert_int_equal(parse_argv(&opt, path), 2);
	options_free(&opt);
	snprintf(path, sizeof(path), "--config %s --no-config", other);
	assert_int_equal(parse_argv(&opt, path), 2);
	options_free(&opt);

	snprintf(path, sizeof(path), "%s/cgtop/config", dir);
	unlink(path);
	unlink(other);
	snprintf(path, sizeof(path), "%s/cgtop", dir);
	rmdir(path);
	assert_int_equal(rmdir(dir), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_file),
		cmocka_unit_test(test_bad_lines),
		cmocka_unit_test(test_reader_alone),
		cmocka_unit_test(test_keys_in_the_manual),
		cmocka_unit_test(test_keys_in_the_completion),
		cmocka_unit_test(test_command_line_wins),
		cmocka_unit_test(test_files),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
