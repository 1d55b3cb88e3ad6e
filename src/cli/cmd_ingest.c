/* tumen ingest: placeholder until its issue lands. */
#include "cli.h"

#include <string.h>

int cmd_ingest(int argc, char **argv) {
    if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        printf("usage: tumen ingest ...\n(not implemented yet)\n");
        return 0;
    }
    cli_errorf("ingest: not implemented yet");
    return EXIT_FAIL;
}
