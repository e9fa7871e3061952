/* The exit statuses every conform command returns (docs/commands/, README "Exit status"). */
#ifndef CF_UTIL_EXIT_H
#define CF_UTIL_EXIT_H

/* 0 pass · 1 failures · 2 bad specs/usage · 3 target unreachable or not HTTP · 4 the --exec
 * server could not be started. */
enum {
    CF_EXIT_OK = 0,
    CF_EXIT_FAIL = 1,        /* failures found / message invalid */
    CF_EXIT_USAGE = 2,       /* bad usage, bad specs, I/O error */
    CF_EXIT_UNREACHABLE = 3, /* target unreachable / (parse) input ended early */
    CF_EXIT_EXEC = 4,        /* --exec: the server under test exited or never listened */
};

#endif
