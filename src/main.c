/* main.c: shmviz, a live view of a shared-memory ring buffer */
#include <locale.h>
#include <stdio.h>

#include <string.h>

#include "attach.h"
#include "bench.h"
#include "explore.h"
#include "headless.h"
#include "opts.h"
#include "sig.h"
#include "tui.h"

#ifndef SHMVIZ_VERSION
#define SHMVIZ_VERSION "0.1.0"
#endif

int
main(int argc, char *argv[])
{
	struct opts o;
	char err[320];
	int status;

	if (argc > 1 && strcmp(argv[1], "bench") == 0)
		return bench_main(argc - 1, argv + 1);
	if (argc > 1 && strcmp(argv[1], "explore") == 0)
		return explore_main(argc - 1, argv + 1);
	if (argc > 1 && strcmp(argv[1], "attach") == 0)
		return attach_main(argc - 1, argv + 1);
	if (argc > 1 && strcmp(argv[1], "ls") == 0)
		return ls_main(argc - 1, argv + 1);
	opts_defaults(&o);
	if (opts_parse(&o, argc, argv, err, sizeof(err)) == -1) {
		fprintf(stderr, "shmviz: %s\n", err);
		status = 2;
		goto out;
	}
	if (o.help) {
		/* the keys from the table the key bar and the help are drawn from */
		fputs(opts_usage, stdout);
		keys_print(stdout, 0);
		fputs("\nSee shmviz(1).\n", stdout);
		status = 0;
	} else if (o.version) {
		printf("shmviz %s\n", SHMVIZ_VERSION);
		status = 0;
	} else if (o.headless)
		status = headless_run(&o);
	else {
		/* Only the character set: numbers keep their '.' for any reader. */
		setlocale(LC_CTYPE, "");
		if (tui_usable(err, sizeof(err)) == -1) {
			fprintf(stderr, "shmviz: %s; use --headless to run without "
			    "a screen\n", err);
			status = 2;
		} else
			status = tui_run(&o);
	}
out:
	opts_free(&o);
	/* Ended by a signal: everything is cleaned up; now end by it too, so
	 * that a shell loop around shmviz stops on ^C. */
	if (sig_quit)
		sig_reraise(sig_quit);
	return status;
}
