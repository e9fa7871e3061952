/* The benchmark messages (see docs/bench.md): sizes and header counts are checked at startup
 * against what each parser reports, so an edit here cannot silently skew the numbers. */
#include "messages.h"

/* Smallest valid HTTP/1.1 request: request-line and the Host field RFC 9112 §3.2 requires. */
static const char get_minimal[] = "GET / HTTP/1.1\r\n"
                                  "Host: example.com\r\n"
                                  "\r\n";
_Static_assert(sizeof get_minimal - 1 == 37, "the minimal GET is 37 bytes");

/* A top-level navigation as a desktop browser sends it: 10 field lines. */
static const char get_browser[] =
    "GET /articles/2024/01/fast-http-parsing.html?ref=homepage HTTP/1.1\r\n"
    "Host: www.example.com\r\n"
    "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0."
    "0.0 Safari/537.36\r\n"
    "Accept: "
    "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*"
    "/*;q=0.8\r\n"
    "Accept-Language: en-US,en;q=0.9,de;q=0.8\r\n"
    "Accept-Encoding: gzip, deflate, br\r\n"
    "Referer: https://www.example.com/blog/index.html?page=2\r\n"
    "Cookie: _ga=GA1.2.1234567890.1700000000; _gid=GA1.2.987654321.1700000000; "
    "sessionid=8f14e45fceea"
    "167a5a36dedd4bea2543; csrftoken=Xq2bP9sK7LmN4vR8tY1wZ3aC6dE0fG5h; theme=dark\r\n"
    "Connection: keep-alive\r\n"
    "Upgrade-Insecure-Requests: 1\r\n"
    "Cache-Control: max-age=0\r\n"
    "\r\n";
/* An API call from a single-page app behind two proxies: 40 field lines, 2 KB of cookies. */
static const char post_40_headers[] =
    "POST /api/v2/checkout/session?cart=7f3a9c2e&currency=EUR&step=payment HTTP/1.1\r\n"
    "Host: shop.example.com\r\n"
    "User-Agent: Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chr"
    "ome/120.0.0.0 Safari/537.36 Edg/120.0.2210.91\r\n"
    "Accept: application/json, text/plain, */*\r\n"
    "Accept-Language: de-DE,de;q=0.9,en-US;q=0.8,en;q=0.7\r\n"
    "Accept-Encoding: gzip, deflate, br\r\n"
    "Referer: https://shop.example.com/cart?items=3&coupon=WINTER24\r\n"
    "Origin: https://shop.example.com\r\n"
    "Content-Type: application/json;charset=UTF-8\r\n"
    "Content-Length: 0\r\n"
    "Authorization: Bearer "
    "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6I"
    "kpvaG4gRG9lIiwiaWF0IjoxNzAwMDAwMDAwfQ."
    "c2lnbmF0dXJlLXBsYWNlaG9sZGVyLWZvci1iZW5jaG1hcmstb25seQ\r\n"
    "Cookie: _ga=GA1.2.1234567890.1700000000; _gid=GA1.2.987654321.1700000000; "
    "_gcl_au=1.1.1122334455"
    ".1700000000; _fbp=fb.1.1700000000000.1234567890; "
    "sessionid=8f14e45fceea167a5a36dedd4bea25438f14e"
    "45fceea167a5a36dedd4bea2543; "
    "csrftoken=Xq2bP9sK7LmN4vR8tY1wZ3aC6dE0fG5hXq2bP9sK7LmN4vR8tY1wZ3aC6"
    "dE0fG5h; "
    "cart=%7B%22items%22%3A%5B%7B%22sku%22%3A%22A-1001%22%2C%22qty%22%3A2%7D%2C%7B%22sku%22%"
    "3A%22B-2002%22%2C%22qty%22%3A1%7D%5D%7D; "
    "consent=%7B%22necessary%22%3Atrue%2C%22analytics%22%3At"
    "rue%2C%22marketing%22%3Afalse%2C%22version%22%3A4%7D; "
    "ab_test=checkout_v3%3Avariant_b%7Csearch_v"
    "2%3Acontrol%7Crecs%3Avariant_a; "
    "recently_viewed=A-1001%2CB-2002%2CC-3003%2CD-4004%2CE-5005%2CF-6"
    "006%2CG-7007%2CH-8008; "
    "__cf_bm=Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0Z2FycGx5d2FsZG9mcmVkcGx1Z2h4e"
    "Xp6eQ-1700000000-0-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789; theme=dark; lang=de; "
    "tz=Europe%2FBerlin"
    "; "
    "jwt_refresh=eyJhbGciOiJIUzI1NiJ9.eyJyZWZyZXNoIjp0cnVlLCJleHAiOjE3MDAwODY0MDB9.cmVmcmVzaC1zaWdu"
    "YXR1cmUtcGxhY2Vob2xkZXI; "
    "_hjSessionUser_3141592=eyJpZCI6IjEyMzQ1Njc4LTkwYWItY2RlZi0xMjM0LTU2Nzg5"
    "MGFiY2RlZiIsImNyZWF0ZWQiOjE3MDAwMDAwMDAwMDAsImV4aXN0aW5nIjp0cnVlfQ==; "
    "AWSALB=q0Xw8PzT5mYkV2b9JcR"
    "1sN4uH7eL3gA6dF0iK8oM2nB5vC9xZ1aQ4wE7rT0yU3iO6pS9dG2hJ5kL8zX1cV4bN7mQ0wE3rT6yU9iO2pA5sD8fG1hJ4"
    "kL"
    "7zX0cV3bN6mQ9wE2rT5yU8i; "
    "AWSALBCORS=q0Xw8PzT5mYkV2b9JcR1sN4uH7eL3gA6dF0iK8oM2nB5vC9xZ1aQ4wE7rT0y"
    "U3iO6pS9dG2hJ5kL8zX1cV4bN7mQ0wE3rT6yU9iO2pA5sD8fG1hJ4kL7zX0cV3bN6mQ9wE2rT5yU8i; "
    "optimizelyEndUse"
    "rId=oeu1700000000000r0.6180339887498949; "
    "wishlist=A-1001%2CB-2002%2CC-3003%2CD-4004%2CE-5005%2CF"
    "-6006%2CG-7007%2CH-8008%2CI-9009%2CJ-1010%2CK-1111%2CL-1212; "
    "last_search=winter%20jacket%20water"
    "proof%20men%20size%20L%20navy%20blue; _uetsid=0123456789abcdef0123456789abcdef; "
    "_uetvid=fedcba98"
    "76543210fedcba9876543210; "
    "shipping_estimate=%7B%22zip%22%3A%2210115%22%2C%22country%22%3A%22DE%2"
    "2%2C%22method%22%3A%22express%22%2C%22eta%22%3A%222024-01-18%22%7D; "
    "_clck=1abc2de%7C2%7Cfhj%7C0%"
    "7C1470; _clsk=xyz123%7C1705312200000%7C3%7C1%7Cq.clarity.ms%2Fcollect\r\n"
    "Connection: keep-alive\r\n"
    "Cache-Control: no-cache\r\n"
    "DNT: 1\r\n"
    "Sec-Fetch-Dest: empty\r\n"
    "Sec-Fetch-Mode: cors\r\n"
    "Sec-Fetch-Site: same-origin\r\n"
    "sec-ch-ua: \"Not_A Brand\";v=\"8\", \"Chromium\";v=\"120\", \"Microsoft Edge\";v=\"120\"\r\n"
    "sec-ch-ua-mobile: ?0\r\n"
    "sec-ch-ua-platform: \"Windows\"\r\n"
    "X-Requested-With: XMLHttpRequest\r\n"
    "X-CSRF-Token: Xq2bP9sK7LmN4vR8tY1wZ3aC6dE0fG5hXq2bP9sK7LmN4vR8tY1wZ3aC6dE0fG5h\r\n"
    "X-Request-ID: 3f2b8c1e-9d4a-4e7b-a5c6-1d2e3f4a5b6c\r\n"
    "X-Forwarded-For: 203.0.113.195, 198.51.100.17, 192.0.2.44\r\n"
    "X-Forwarded-Proto: https\r\n"
    "X-Forwarded-Host: shop.example.com\r\n"
    "X-Real-IP: 203.0.113.195\r\n"
    "Forwarded: for=203.0.113.195;proto=https;host=shop.example.com\r\n"
    "Via: 1.1 edge-proxy-fra1.example.net (squid/5.7)\r\n"
    "X-Amzn-Trace-Id: Root=1-65a50a8c-3f2b8c1e9d4a4e7ba5c61d2e\r\n"
    "traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01\r\n"
    "tracestate: congo=t61rcWkgMzE,rojo=00f067aa0ba902b7\r\n"
    "X-Client-Version: web-checkout/4.18.2 (build 20240115.3)\r\n"
    "X-Device-ID: d41d8cd98f00b204e9800998ecf8427e\r\n"
    "X-Session-Fingerprint: 9e107d9d372bb6826bd81d3542a419d6e4d8da1e5c1a2b3c4d5e6f708192a3b4\r\n"
    "X-Feature-Flags: new-checkout,apple-pay,klarna,saved-cards,address-autocomplete\r\n"
    "If-None-Match: W/\"a1b2c3d4e5f60718293a4b5c6d7e8f90\"\r\n"
    "If-Modified-Since: Mon, 15 Jan 2024 10:30:00 GMT\r\n"
    "Priority: u=1, i\r\n"
    "Keep-Alive: timeout=5, max=1000\r\n"
    "\r\n";
/* A static page response with validators and a short Content-Length body: 8 field lines. */
static const char resp_typical[] = "HTTP/1.1 200 OK\r\n"
                                   "Date: Mon, 15 Jan 2024 10:30:00 GMT\r\n"
                                   "Server: Apache/2.4.57 (Debian)\r\n"
                                   "Last-Modified: Fri, 12 Jan 2024 08:00:00 GMT\r\n"
                                   "ETag: \"3e1-60ed1c3b4a2c0\"\r\n"
                                   "Accept-Ranges: bytes\r\n"
                                   "Cache-Control: public, max-age=3600\r\n"
                                   "Content-Type: text/html; charset=UTF-8\r\n"
                                   "Content-Length: 16\r\n"
                                   "\r\n"
                                   "<!doctype html>\n";
#define RESP_BODY_LEN 16 /* bytes of "<!doctype html>\n" */

#define LEN(a) (sizeof(a) - 1)

static const cf_bench_msg messages[] = {
    {"get-minimal", "minimal GET (request-line + Host)", 1, get_minimal, LEN(get_minimal),
     LEN(get_minimal), 0, 1},
    {"get-browser", "browser GET, 10 headers", 1, get_browser, LEN(get_browser), LEN(get_browser),
     0, 10},
    {"post-40-headers", "request, 40 headers, long cookies", 1, post_40_headers,
     LEN(post_40_headers), LEN(post_40_headers), 0, 40},
    {"resp-typical", "200 response, 8 headers, 16 B body", 0, resp_typical, LEN(resp_typical),
     LEN(resp_typical) - RESP_BODY_LEN, RESP_BODY_LEN, 8},
};

const cf_bench_msg *cf_bench_messages(size_t *count)
{
    *count = sizeof messages / sizeof messages[0];
    return messages;
}
