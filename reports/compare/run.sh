#!/usr/bin/env bash
# Regenerates reports/compare/grid.{md,html,json}: the bundled suite (specs/) against nginx,
# Apache httpd, lighttpd, h2o and HAProxy (in front of an nginx), all from Debian's packages,
# beside conform's own built-in server as the reference column.
#
# Installs the packages when a server is missing (apt-get, as root), writes a configuration for
# each into a temporary directory (every path in it, no root-owned path is touched), starts each
# in the foreground on a free 127.0.0.1 port, writes the target profile of each into
# reports/compare/profiles/SERVER.yaml (which path plays which role: docs/profiles.md), runs one
# `conform run --rules gate` with a --target and a --profile per server, and stops every server
# by its PID when the script exits (trap EXIT). A server that will not start is left out of the
# grid with a message; the others go on.
#
# Usage: reports/compare/run.sh [PATH/TO/conform]   (default: build/conform; or $CONFORM)
# Exit: 0 the grid was written; 1 something broke (no server started, conform exited 2 or 3).
set -u

root=$(cd "$(dirname "$0")/../.." && pwd)
conform=${1:-${CONFORM:-$root/build/conform}}
out=$root/reports/compare
if [ ! -x "$conform" ]; then
    echo "run.sh: no conform binary at $conform (build it, or pass its path)" >&2
    exit 1
fi

# Debian package of each server binary.
declare -A pkg=([/usr/sbin/nginx]=nginx-light [/usr/sbin/apache2]=apache2
    [/usr/sbin/lighttpd]=lighttpd [/usr/bin/h2o]=h2o [/usr/sbin/haproxy]=haproxy)
missing=()
for bin in "${!pkg[@]}"; do [ -x "$bin" ] || missing+=("${pkg[$bin]}"); done
if [ ${#missing[@]} -gt 0 ]; then
    echo "installing ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        "${missing[@]}" || echo "run.sh: apt-get install failed; going on with what is there" >&2
fi

tmp=$(mktemp -d)
chmod 755 "$tmp" # Apache and h2o read the document root as www-data
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null; done
    for pid in "${pids[@]}"; do
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
    done
    rm -rf "$tmp"
}
trap cleanup EXIT

mkdir -p "$tmp/www" "$tmp/nginx/tmp" "$tmp/apache/run" "$tmp/lighttpd" "$tmp/h2o" "$tmp/haproxy"
printf '<!DOCTYPE html>\n<html><head><title>conform</title></head><body><p>conform comparison root</p></body></html>\n' \
    >"$tmp/www/index.html"
# The resources of each server's profile (reports/compare/profiles/SERVER.yaml, docs/profiles.md):
# - status: /status/204 answers 204 (the only code the suite asks for: grep resource.status:
#   specs/): nginx return, Apache mod_rewrite, HAProxy's nginx; lighttpd runs this CGI (no Lua
#   module in Debian's lighttpd package); h2o an mruby handler.
# - body: /post reads a request's content and answers 200: nginx return (which reads and
#   discards the content first), Apache and lighttpd the CGI below (it reads stdin to its end),
#   h2o an mruby handler reading rack.input, HAProxy's nginx.
mkdir -p "$tmp/www/status" "$tmp/cgi"
printf '#!/bin/sh\nprintf "Status: 204 No Content\\r\\n\\r\\n"\n' >"$tmp/www/status/204"
printf '#!/bin/sh\ncat >/dev/null\nprintf "Content-Type: text/plain\\r\\n\\r\\nread\\n"\n' >"$tmp/cgi/post"
chmod 755 "$tmp/www/status/204" "$tmp/cgi/post"
chmod -R a+rX "$tmp/cgi"
chmod -R a+rX "$tmp/www"
chown www-data: "$tmp/lighttpd" "$tmp/h2o" # they write their logs and pid files as www-data

# profile NAME: writes reports/compare/profiles/NAME.yaml from stdin behind a common header (the
# profiles are committed beside the grid so that a reader can see which path played which role).
# They were drafted with `conform profile --target 127.0.0.1:PORT` against the servers configured
# below and agree with its findings, except: status is given although the probe, which also asks
# /status/418, finds only /status/204 (the one code the suite asks for); Apache's body is the CGI,
# where the probe took / (Apache answers a POST to a static file and discards its content).
mkdir -p "$out/profiles"
profile() {
    {
        printf '# Target profile of %s in reports/compare/run.sh (written by run.sh; docs/profiles.md).\n' "$1"
        printf '# A case needing a resource not listed here is SKIP on this server.\n'
        printf 'profile: 1\nresources:\n'
        cat
    } >"$out/profiles/$1.yaml"
}
profile nginx <<'YAML'
  page: /                           # index.html in the document root
  missing: /conform-no-such-resource  # no such file: 404
  status: /status/{code}            # location = /status/204 { return 204; } (the only code the suite asks for)
  body: /post                       # location = /post { return 200; }: nginx reads and discards the content first
  validated: /                      # nginx sends ETag and Last-Modified for static files
  # echo: none (nothing answers with how nginx read the request; those cases are SKIP)
YAML
profile apache <<'YAML'
  page: /                           # index.html in the document root (mod_dir)
  missing: /conform-no-such-resource  # no such file: 404
  status: /status/{code}            # RewriteRule "^/status/204$" - [R=204] (the only code the suite asks for)
  body: /post                       # ScriptAlias to a CGI (mod_cgid) that reads its stdin to the end and answers 200
  validated: /                      # Apache sends ETag and Last-Modified for static files
  # echo: none (a CGI printing the request is not conform serve's /echo; those cases are SKIP)
YAML
profile lighttpd <<'YAML'
  page: /                           # index.html in the document root
  missing: /conform-no-such-resource  # no such file: 404
  status: /status/{code}            # a CGI answering "Status: 204" (no Lua module in Debian's lighttpd)
  body: /post                       # alias.url to a CGI (mod_cgi) that reads its stdin to the end and answers 200
  validated: /                      # lighttpd sends ETag and Last-Modified for static files
  # echo: none (those cases are SKIP)
YAML
profile h2o <<'YAML'
  page: /                           # index.html in the document root (file.dir)
  missing: /conform-no-such-resource  # no such file: 404
  status: /status/{code}            # mruby handler answering [204, {}, []] (the only code the suite asks for)
  body: /post                       # mruby handler that reads rack.input to the end and answers 200
  validated: /                      # file.dir sends ETag and Last-Modified
  # echo: none (those cases are SKIP)
YAML
profile haproxy+nginx <<'YAML'
  page: /                           # forwarded to the nginx above: its index.html
  missing: /conform-no-such-resource  # forwarded: nginx's 404
  status: /status/{code}            # forwarded: nginx's return 204
  body: /post                       # forwarded: nginx's return 200, which reads the content
  validated: /                      # forwarded: nginx's ETag and Last-Modified
  # echo: none (those cases are SKIP)
YAML

accepting() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() {
    local p
    for _ in $(seq 50); do
        p=$((20000 + RANDOM % 12000)) # below Linux's ephemeral ports (32768-60999)
        accepting "$p" || { echo "$p"; return 0; }
    done
    return 1
}

# launch NAME CONF LOG COMMAND...: picks a free port, has the function CONF write the
# configuration for it, starts COMMAND in the background and waits until the port accepts; up
# to 5 ports are tried (another process may take one in between). Sets $port; returns 1 (with
# the server's output on stderr) when it never listens.
launch() {
    local name=$1 conf=$2 log=$3 pid
    shift 3
    for _ in 1 2 3 4 5; do
        port=$(free_port) || break
        "$conf" "$port"
        "$@" >"$log" 2>&1 &
        pid=$!
        pids+=("$pid")
        for _ in $(seq 100); do
            accepting "$port" && { echo "$name listening on 127.0.0.1:$port (pid $pid)" >&2; return 0; }
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.05
        done
        kill -TERM "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
    done
    echo "run.sh: $name did not start; left out of the grid. Its output:" >&2
    cat "$log" >&2
    port=
    return 1
}

targets=(--target conform-serve=builtin)
versions=()

# nginx: one foreground process (master_process off), every path under $tmp/nginx.
conf_nginx() {
    cat >"$tmp/nginx/nginx.conf" <<CONF
master_process off;
worker_processes 1;
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/error.log warn;
events { worker_connections 256; }
http {
    access_log off;
    client_body_temp_path $tmp/nginx/tmp/body;
    proxy_temp_path $tmp/nginx/tmp/proxy;
    fastcgi_temp_path $tmp/nginx/tmp/fastcgi;
    uwsgi_temp_path $tmp/nginx/tmp/uwsgi;
    scgi_temp_path $tmp/nginx/tmp/scgi;
    default_type text/html;
    keepalive_requests 1000;
    server {
        listen 127.0.0.1:$1;
        server_name localhost;
        root $tmp/www;
        index index.html;
        location = /status/204 { return 204; }
        location = /post { return 200 "read\\n"; }
    }
}
CONF
}
nginx_ok=
if [ -x /usr/sbin/nginx ] && launch nginx conf_nginx "$tmp/nginx/out.log" \
    /usr/sbin/nginx -p "$tmp/nginx" -c "$tmp/nginx/nginx.conf" -g 'daemon off;'; then
    nginx_ok=1
    nginx_port=$port
    targets+=(--target "nginx=127.0.0.1:$port" --profile "nginx=reports/compare/profiles/nginx.yaml")
    versions+=("nginx $(/usr/sbin/nginx -v 2>&1 | sed 's|.*nginx/||')")
fi

# Apache httpd: mpm_event in the foreground, the modules it needs loaded by path.
mods=/usr/lib/apache2/modules
conf_apache() {
    cat >"$tmp/apache/httpd.conf" <<CONF
ServerRoot "$tmp/apache"
DefaultRuntimeDir "$tmp/apache/run"
PidFile "$tmp/apache/httpd.pid"
ErrorLog "$tmp/apache/error.log"
LogLevel warn
Mutex file:$tmp/apache/run default
LoadModule mpm_event_module $mods/mod_mpm_event.so
LoadModule authz_core_module $mods/mod_authz_core.so
LoadModule dir_module $mods/mod_dir.so
LoadModule mime_module $mods/mod_mime.so
LoadModule rewrite_module $mods/mod_rewrite.so
LoadModule alias_module $mods/mod_alias.so
LoadModule cgid_module $mods/mod_cgid.so
ScriptSock "$tmp/apache/run/cgid.sock"
User www-data
Group www-data
Listen 127.0.0.1:$1
ServerName 127.0.0.1
DocumentRoot "$tmp/www"
DirectoryIndex index.html
TypesConfig /etc/mime.types
<Directory "$tmp/www">
    Require all granted
</Directory>
RewriteEngine on
RewriteRule "^/status/204$" - [R=204]
ScriptAlias /post "$tmp/cgi/post"
<Directory "$tmp/cgi">
    Require all granted
</Directory>
CONF
}
if [ -x /usr/sbin/apache2 ] && launch apache conf_apache "$tmp/apache/out.log" \
    /usr/sbin/apache2 -f "$tmp/apache/httpd.conf" -DFOREGROUND; then
    targets+=(--target "apache=127.0.0.1:$port" --profile "apache=reports/compare/profiles/apache.yaml")
    versions+=("Apache httpd $(/usr/sbin/apache2 -v 2>/dev/null | sed -n 's|^Server version: Apache/\([^ ]*\).*|\1|p')")
fi

# lighttpd: -D keeps it in the foreground.
conf_lighttpd() {
    cat >"$tmp/lighttpd/lighttpd.conf" <<CONF
server.document-root = "$tmp/www"
server.bind = "127.0.0.1"
server.port = $1
server.pid-file = "$tmp/lighttpd/lighttpd.pid"
server.errorlog = "$tmp/lighttpd/error.log"
server.username = "www-data"
server.groupname = "www-data"
index-file.names = ("index.html")
mimetype.assign = (".html" => "text/html")
server.modules += ("mod_alias", "mod_cgi")
\$HTTP["url"] == "/status/204" { cgi.assign = ("" => "") }
alias.url = ("/post" => "$tmp/cgi/post")
\$HTTP["url"] == "/post" { cgi.assign = ("" => "") }
CONF
}
if [ -x /usr/sbin/lighttpd ] && launch lighttpd conf_lighttpd "$tmp/lighttpd/out.log" \
    /usr/sbin/lighttpd -D -f "$tmp/lighttpd/lighttpd.conf"; then
    targets+=(--target "lighttpd=127.0.0.1:$port" --profile "lighttpd=reports/compare/profiles/lighttpd.yaml")
    versions+=("lighttpd $(/usr/sbin/lighttpd -v 2>/dev/null | sed -n 's|^lighttpd/\([^ ]*\).*|\1|p')")
fi

# h2o: runs in the foreground unless told otherwise.
conf_h2o() {
    cat >"$tmp/h2o/h2o.conf" <<CONF
user: www-data
pid-file: $tmp/h2o/h2o.pid
error-log: $tmp/h2o/error.log
listen:
  host: 127.0.0.1
  port: $1
hosts:
  default:
    paths:
      /status/204:
        mruby.handler: Proc.new { |env| [204, {}, []] }
      /post:
        mruby.handler: |
          Proc.new do |env|
            env["rack.input"].read
            [200, {"content-type" => "text/plain"}, ["read\\n"]]
          end
      /:
        file.dir: $tmp/www
CONF
}
if [ -x /usr/bin/h2o ] && launch h2o conf_h2o "$tmp/h2o/out.log" \
    /usr/bin/h2o -c "$tmp/h2o/h2o.conf"; then
    targets+=(--target "h2o=127.0.0.1:$port" --profile "h2o=reports/compare/profiles/h2o.yaml")
    versions+=("h2o $(/usr/bin/h2o -v 2>/dev/null | sed -n 's|^h2o version \(.*\)|\1|p')")
fi

# HAProxy in front of the nginx above: -db keeps it in the foreground.
conf_haproxy() {
    cat >"$tmp/haproxy/haproxy.cfg" <<CONF
global
    maxconn 256
defaults
    mode http
    timeout connect 2s
    timeout client 10s
    timeout server 10s
frontend fe
    bind 127.0.0.1:$1
    default_backend nginx
backend nginx
    server nginx 127.0.0.1:$nginx_port
CONF
}
if [ -n "$nginx_ok" ] && [ -x /usr/sbin/haproxy ] && launch haproxy conf_haproxy \
    "$tmp/haproxy/out.log" /usr/sbin/haproxy -db -f "$tmp/haproxy/haproxy.cfg"; then
    targets+=(--target "haproxy+nginx=127.0.0.1:$port" --profile "haproxy+nginx=reports/compare/profiles/haproxy+nginx.yaml")
    versions+=("HAProxy $(/usr/sbin/haproxy -v 2>/dev/null | sed -n 's|^HAProxy version \([^ ]*\).*|\1|p')")
fi

if [ ${#targets[@]} -le 2 ]; then
    echo "run.sh: no server started; nothing to compare" >&2
    exit 1
fi
printf 'versions: %s\n' "${versions[*]/%/;}" >&2

cd "$root" || exit 1
"$conform" run specs/ "${targets[@]}" --rules gate --no-progress -j 4 \
    --report markdown:reports/compare/grid.md --report html:reports/compare/grid.html \
    --report json:reports/compare/grid.json
rc=$?
# 0: every target passed everything; 1: failures (the point of the grid). 2 or 3: breakage.
if [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ]; then
    echo "run.sh: conform run exited with $rc" >&2
    exit 1
fi
echo "wrote $out/grid.md, grid.html and grid.json" >&2
exit 0
