#!/usr/bin/python3
"""Opens COUNT keep-alive connections to a server, sends one complete GET on each, reads its whole
answer, then holds every connection open and idle until SIGTERM. Used by bench/scale to measure
the memory a server keeps per idle keep-alive connection.

Each connection binds its own source address, SOURCES in turn (127.0.0.2, 127.0.0.3, ...): the
ephemeral ports (about 28 000 on Linux) are counted per source address, so more connections need
more addresses. Once all answers are read it writes "held COUNT" to READY_FILE; a connection that
fails or gets an answer other than 200 is an error (exit status 1, before READY_FILE is written).

  hold_connections.py --port 8080 --count 10000 --sources 127.0.0.2,127.0.0.3 \\
      --path /bench/x --header 'Cookie: varco_session=...' --ready-file held.txt
"""

import argparse
import errno
import selectors
import signal
import socket
import sys

# Handshakes and requests in flight at once: well under the listen backlog (somaxconn) so the
# server's accept queue never overflows and drops SYNs (which would cost a 1 s retransmission).
IN_FLIGHT = 256


class Connection:
    def __init__(self, sock):
        self.sock = sock
        self.received = b""
        self.head_end = -1
        self.length = -1


def parse_args():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--count", type=int, required=True)
    p.add_argument("--sources", default="127.0.0.2", help="comma-separated source addresses")
    p.add_argument("--path", default="/")
    p.add_argument("--header", action="append", default=[])
    p.add_argument("--ready-file", required=True)
    return p.parse_args()


def open_one(args, index, sources, selector):
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind((sources[index % len(sources)], 0))
    sock.setblocking(False)
    err = sock.connect_ex((args.host, args.port))
    if err not in (0, errno.EINPROGRESS):
        raise OSError(err, f"connect: {errno.errorcode.get(err, err)}")
    conn = Connection(sock)
    selector.register(sock, selectors.EVENT_WRITE, conn)


def answered(conn):
    """True once the whole answer (head + Content-Length body) is in conn.received."""
    if conn.head_end < 0:
        conn.head_end = conn.received.find(b"\r\n\r\n")
        if conn.head_end < 0:
            return False
        head = conn.received[: conn.head_end].decode("latin-1")
        status = head.split("\r\n", 1)[0].split(" ")
        if len(status) < 2 or status[1] != "200":
            raise OSError(f"answer '{head.splitlines()[0]}', want 200")
        conn.length = 0
        for line in head.split("\r\n")[1:]:
            name, _, value = line.partition(":")
            if name.strip().lower() == "content-length":
                conn.length = int(value.strip())
    return len(conn.received) >= conn.head_end + 4 + conn.length


def main():
    args = parse_args()
    sources = args.sources.split(",")
    request = (
        f"GET {args.path} HTTP/1.1\r\nHost: {args.host}:{args.port}\r\n"
        + "".join(h + "\r\n" for h in args.header)
        + "\r\n"
    ).encode()
    selector = selectors.DefaultSelector()
    held = []
    opened = 0
    pending = 0
    while len(held) < args.count:
        while pending < IN_FLIGHT and opened < args.count:
            open_one(args, opened, sources, selector)
            opened += 1
            pending += 1
        ready = selector.select(timeout=30)
        if not ready:
            raise OSError(f"no progress for 30 s with {len(held)} connections held")
        for key, events in ready:
            conn = key.data
            if events & selectors.EVENT_WRITE:
                err = conn.sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
                if err:
                    raise OSError(err, f"connect: {errno.errorcode.get(err, err)}")
                conn.sock.sendall(request)  # a few hundred bytes: the send buffer takes them
                selector.modify(conn.sock, selectors.EVENT_READ, conn)
                continue
            data = conn.sock.recv(65536)
            if not data:
                raise OSError("the server closed a connection before answering")
            conn.received += data
            if answered(conn):
                selector.unregister(conn.sock)
                conn.received = b""
                held.append(conn.sock)
                pending -= 1
    with open(args.ready_file, "w", encoding="ascii") as f:
        f.write(f"held {len(held)}\n")
    signal.sigwait({signal.SIGTERM, signal.SIGINT})
    return 0


if __name__ == "__main__":
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM, signal.SIGINT})
    try:
        sys.exit(main())
    except OSError as e:
        print(f"hold_connections: {e}", file=sys.stderr)
        sys.exit(1)
