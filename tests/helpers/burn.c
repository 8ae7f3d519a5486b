/* burn: spin on the CPU until killed.  Test helper for cgtop's live test. */
#include <stdio.h>

int main(void)
{
	volatile unsigned long x = 0;

	/* Unbuffered: nothing to flush if we are killed. */
	setvbuf(stdout, NULL, _IONBF, 0);
	for (;;)
		x = x * 1103515245UL + 12345UL;
	return 0;
}
