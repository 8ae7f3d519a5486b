/* Snapshots on their own: the rows' size, their index by path, and the paths' storage. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "snapshot.h"

/* 10,000 cgroups are 20,000 rows in the sampler's two snapshots: a row must not grow back
 * to the 256 bytes it was (a 64-bit parent and the small members after the mask). */
static void row_size(void **state)
{
	(void)state;
	if (sizeof(void *) != 8)
		skip();
	assert_true(sizeof(struct cg_row) <= 240);
	assert_int_equal(offsetof(struct cg_row, valid) % _Alignof(fieldmask), 0);
}

/* A row's parent holds -1 and every index a snapshot can have. */
static void parent_range(void **state)
{
	struct snapshot *s = snapshot_new();
	size_t a = snapshot_row(s, "/", 1), b = snapshot_row(s, "/a", 2);

	(void)state;
	assert_int_equal(s->rows[a].parent, -1);
	s->rows[b].parent = (int32_t)a;
	assert_int_equal(s->rows[b].parent, 0);
	s->rows[a].parent = INT32_MAX - 1;
	assert_true(s->rows[a].parent > 0);
	snapshot_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(row_size),
		cmocka_unit_test(parent_range),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
