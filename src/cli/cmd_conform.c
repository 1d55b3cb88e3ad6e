/* tumen conform: placeholder until its issue lands. */
#include "cli.h"

#include <string.h>

int cmd_conform(int argc, char **argv) {
    if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        printf("usage: tumen conform ...\n(not implemented yet)\n");
        return 0;
    }
    cli_errorf("conform: not implemented yet");
    return EXIT_FAIL;
}
