# shellcheck shell=bash disable=SC2034  # nginx_port, nginx_pid: set for the caller
# Starts nginx on loopback for a test or benchmark script: one foreground process from
# tests/nginx/nginx.conf, every path in a temporary directory of its own, on a free 127.0.0.1
# port, stopped by its PID. Used by tests/it_nginx.sh and bench/fuzz_vs_wrk.sh.
#
# Source it (bash), do not run it. It defines:
#   nginx_start NGINX  makes a temporary directory (html/index.html, tmp/), picks a port nobody
#                      answers on, writes nginx.conf there with @PORT@ and @ROOT@ replaced, starts
#                      the binary NGINX in the foreground and waits until it accepts connections
#                      (a port taken in between: another one, 20 tries). Returns 0 with nginx_tmp
#                      (the directory), nginx_port and nginx_pid set; 1 when nginx did not start
#                      (nginx_port and nginx_pid empty; nginx_tmp kept for nginx_output).
#   nginx_prepare      the same directory and nginx.conf for a port nobody answers on, without
#                      starting nginx (conform run --exec starts it): nginx_tmp and nginx_port set.
#   nginx_output       prints what nginx wrote (stdout, stderr, error.log), for a failure message.
#   nginx_stop         stops nginx by its PID (TERM, up to 5 s, then KILL) and removes nginx_tmp.
#                      Safe to call at any time and more than once: the caller's EXIT trap.
#   nginx_tls_template DIR
#                      for a TLS nginx (tests/it_tls.sh, bench/tls_vs_tcp.sh): makes a
#                      self-signed certificate for localhost and 127.0.0.1 with `openssl req`
#                      (DIR/localhost.pem, DIR/localhost.key) and DIR/nginx-tls.conf, the same
#                      configuration with `ssl` on its listener; set nginx_conf_template to it
#                      before nginx_start. Returns 1 when openssl failed.
#   nginx_cert DIR NAME SAN
#                      a self-signed certificate DIR/NAME.pem and its key DIR/NAME.key, for the
#                      subjectAltName SAN ("DNS:localhost,IP:127.0.0.1").
# The caller prints its own messages and picks its own exit codes. Typical use:
#   . "$root/tests/nginx/start.sh"
#   trap nginx_stop EXIT
#   nginx_start "${NGINX:-/usr/sbin/nginx}" || { echo "nginx did not start"; nginx_output; exit 1; }
#   ... 127.0.0.1:$nginx_port; scratch files may go in $nginx_tmp ...

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    echo "${0##*/}: source this file from bash, do not run it" >&2
    exit 2
fi

nginx_conf_template=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/nginx.conf
nginx_tmp=
nginx_port=
nginx_pid=

# True once something accepts TCP connections on 127.0.0.1:$1.
nginx_accepting() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# Fills nginx_tmp (made by the caller: this runs in a $(...) subshell) and writes nginx.conf
# for a random port nobody answers on; prints its number.
nginx_conf() {
    local try
    mkdir -p "$nginx_tmp/html" "$nginx_tmp/tmp" || return 1
    printf '<!DOCTYPE html>\n<html><head><title>conform</title></head><body><p>conform nginx test root</p></body></html>\n' \
        >"$nginx_tmp/html/index.html" || return 1
    # The user file of /protected (nginx.conf): one user, so that wrong credentials get a 401.
    printf 'conform:{PLAIN}conform\n' >"$nginx_tmp/htpasswd" || return 1
    for _ in $(seq 20); do
        try=$((20000 + RANDOM % 40000))
        nginx_accepting "$try" && continue
        sed -e "s/@PORT@/$try/" -e "s|@ROOT@|$nginx_tmp/html|" "$nginx_conf_template" \
            >"$nginx_tmp/nginx.conf" || return 1
        echo "$try"
        return 0
    done
    return 1
}

nginx_prepare() {
    nginx_pid=''
    [ -n "$nginx_tmp" ] || nginx_tmp=$(mktemp -d) || return 1
    nginx_port=$(nginx_conf)
}

nginx_start() {
    local bin=$1 try
    nginx_port=''
    nginx_pid=''
    [ -n "$nginx_tmp" ] || nginx_tmp=$(mktemp -d) || return 1
    # Pick a free port: choose one nobody answers on, start nginx there; if nginx exits (the
    # port was taken in between), try another.
    for _ in $(seq 20); do
        try=$(nginx_conf) || return 1
        "$bin" -p "$nginx_tmp" -c "$nginx_tmp/nginx.conf" -g 'daemon off;' >"$nginx_tmp/nginx.out" 2>&1 &
        nginx_pid=$!
        for _ in $(seq 100); do
            nginx_accepting "$try" && { nginx_port=$try; return 0; }
            kill -0 "$nginx_pid" 2>/dev/null || break
            sleep 0.05
        done
        kill -TERM "$nginx_pid" 2>/dev/null
        wait "$nginx_pid" 2>/dev/null
        nginx_pid=
    done
    return 1
}

nginx_cert() {
    openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=$2" -addext "subjectAltName=$3" \
        -keyout "$1/$2.key" -out "$1/$2.pem" 2>/dev/null
}

nginx_tls_template() {
    nginx_cert "$1" localhost "DNS:localhost,IP:127.0.0.1" || return 1
    sed -e "s|listen 127.0.0.1:@PORT@;|listen 127.0.0.1:@PORT@ ssl;\n        ssl_certificate $1/localhost.pem;\n        ssl_certificate_key $1/localhost.key;|" \
        "$nginx_conf_template" >"$1/nginx-tls.conf"
}

nginx_output() {
    [ -n "$nginx_tmp" ] && cat "$nginx_tmp/nginx.out" "$nginx_tmp/error.log" 2>/dev/null
    return 0
}

nginx_stop() {
    if [ -n "$nginx_pid" ] && kill -0 "$nginx_pid" 2>/dev/null; then
        kill -TERM "$nginx_pid" 2>/dev/null
        for _ in $(seq 50); do kill -0 "$nginx_pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$nginx_pid" 2>/dev/null
        wait "$nginx_pid" 2>/dev/null
    fi
    nginx_pid=
    [ -z "$nginx_tmp" ] || rm -rf "$nginx_tmp"
    nginx_tmp=
}
