# conform in a container: a Debian 12 build stage, and a small runtime image with the conform
# binary, the bundled suite (/usr/local/share/conform/specs) and the four libraries it links
# (libyaml, PCRE2, jansson, libcurl with OpenSSL for TLS and HTTP/2 targets).
#   docker build -t conform .
#   docker run --rm conform run --target builtin
#   docker run --rm --network host -v "$PWD:/w" -w /w conform run --target 127.0.0.1:8080 \
#       --report junit:junit.xml
# (README "CI": a GitLab CI example.)
FROM debian:12-slim AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends build-essential cmake pkg-config \
    libyaml-dev libpcre2-dev libjansson-dev libcurl4-openssl-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN cmake -S . -B /build -DCMAKE_BUILD_TYPE=Release -DCONFORM_TESTS=OFF -DCONFORM_BENCH=OFF \
 && cmake --build /build -j"$(nproc)" \
 && cmake --install /build --prefix /opt/conform

FROM debian:12-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends libyaml-0-2 libpcre2-8-0 libjansson4 libcurl4 \
    ca-certificates \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /opt/conform/bin/conform /usr/local/bin/conform
COPY --from=build /opt/conform/share/conform /usr/local/share/conform
# root, as the image's default user: reports go to mounted directories and CI build
# directories owned by whoever runs it (docker run --user UID:GID to change)
ENTRYPOINT ["conform"]
CMD ["--help"]
