/* burn: spin on the CPU until killed.  Test helper for cgtop's live test. */

int main(void)
{
	volatile unsigned long x = 0;

	for (;;)
		x = x * 1103515245UL + 12345UL;
	return 0;
}
