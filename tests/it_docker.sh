#!/usr/bin/env bash
# Integration test: the Dockerfile builds, and its image runs the bundled suite against the
# built-in server (exit 0) and `conform --version`. Skipped (77) with a message when docker is
# not installed or its daemon does not answer, or the base image cannot be had.
# Exit: 0 ok, 1 failure, 77 skipped.
# Usage: tests/it_docker.sh PATH/TO/conform   (CTest passes the binary as $1; unused: the image
# builds its own)
set -u

root=$(cd "$(dirname "$0")/.." && pwd)
command -v docker >/dev/null || { echo "SKIP: docker is not installed"; exit 77; }
docker info >/dev/null 2>&1 || { echo "SKIP: the docker daemon does not answer"; exit 77; }
docker image inspect debian:12-slim >/dev/null 2>&1 || docker pull -q debian:12-slim >/dev/null 2>&1 ||
    { echo "SKIP: the base image debian:12-slim cannot be pulled"; exit 77; }
tag=conform-it-docker:$$
trap 'docker image rm -f "$tag" >/dev/null 2>&1' EXIT
docker build -q -t "$tag" "$root" >/dev/null || { echo "FAIL: docker build"; exit 1; }
docker run --rm "$tag" --version || { echo "FAIL: conform --version in the image"; exit 1; }
docker run --rm "$tag" run --target builtin --no-progress -q ||
    { echo "FAIL: the bundled suite against builtin in the image"; exit 1; }
echo ok
