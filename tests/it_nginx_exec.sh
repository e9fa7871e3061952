#!/usr/bin/env bash
# Integration test: tests/it_nginx.sh with nginx started and watched by `conform run --exec`
# (docs/commands/run.md "--exec"): the same verdicts and rules as nginx started by the script,
# nothing blamed on it, a clean stop. Exit: 0 ok, 1 difference, 77 nginx not installed.
# Usage: tests/it_nginx_exec.sh PATH/TO/conform
NGINX_EXEC=1 exec bash "$(dirname "$0")/it_nginx.sh" "$@"
