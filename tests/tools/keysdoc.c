/* keysdoc.c: the man page's KEYS entries, printed from the key table that
 * the key bar, the help overlay and --help are drawn from (make man) */
#include <stdio.h>

#include "tui.h"

int
main(void)
{
	keys_print(stdout, 1);
	return fflush(stdout) == 0 ? 0 : 1;
}
