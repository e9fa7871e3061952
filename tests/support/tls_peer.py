#!/usr/bin/env python3
"""Loopback peers for tests/it_tls.sh: prints its 127.0.0.1 port, then serves until killed.

  tls_peer.py reset            takes each connection and resets it (SO_LINGER 0): a reset
                               during the client's TLS handshake
  tls_peer.py close            takes each connection and closes it: a close in the handshake
  tls_peer.py hang             takes each connection and never answers: a handshake that
                               times out
  tls_peer.py notify CERT KEY  a TLS server that reads a request until the client ends its
                               writing, then answers "200 close_notify" when the end was a TLS
                               close_notify alert, "400 no close_notify" for a TCP FIN alone
"""
import socket
import ssl
import struct
import sys


def listener():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    print(sock.getsockname()[1], flush=True)
    return sock


def drop(sock, how):
    held = []
    while True:
        conn, _ = sock.accept()
        if how == "hang":
            held.append(conn)
            continue
        if how == "reset":
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        conn.close()


def how_it_ended(tls):
    """Reads until the client's writing ends; the status line that says how."""
    try:
        while tls.recv(4096):
            pass
        return "200 close_notify"  # recv() returned b"": a clean TLS end
    except ssl.SSLEOFError:
        return "400 no close_notify"  # a TCP FIN alone (suppress_ragged_eofs=False)


def notify(sock, cert, key):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    while True:
        conn, _ = sock.accept()
        try:
            tls = ctx.wrap_socket(conn, server_side=True, suppress_ragged_eofs=False)
            status = how_it_ended(tls)
            tls.sendall(("HTTP/1.1 %s\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                         % status).encode())
            tls.close()
        except (OSError, ssl.SSLError):
            conn.close()


def main():
    sock = listener()
    if sys.argv[1] == "notify":
        notify(sock, sys.argv[2], sys.argv[3])
    else:
        drop(sock, sys.argv[1])


if __name__ == "__main__":
    main()
