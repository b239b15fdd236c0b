#!/usr/bin/env python3
"""service.py - the local service the agent talks to, for tests and demos.

Listens on 127.0.0.1 on one port per NAME or NAME=PORT given (NAME alone:
any free port), prints "NAME PORT" for each on stdout, then answers every
line it receives with "NAME:LINE" until killed.  Example: service.py db=5432
other
"""
import socket
import sys
import threading


def answer(conn, name):
    with conn, conn.makefile("rb") as f:
        for line in f:
            conn.sendall(b"%s:%s\n" % (name.encode(), line.strip()))


def serve(sock, name):
    while True:
        conn, _ = sock.accept()
        threading.Thread(target=answer, args=(conn, name), daemon=True).start()


def main():
    names = sys.argv[1:] or ["service"]
    socks = []
    for i, arg in enumerate(names):
        name, _, port = arg.partition("=")
        names[i] = name
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", int(port or 0)))
        s.listen(16)
        socks.append(s)
        print(name, s.getsockname()[1], flush=True)
    for s, name in zip(socks, names):
        threading.Thread(target=serve, args=(s, name), daemon=True).start()
    threading.Event().wait()


if __name__ == "__main__":
    main()
