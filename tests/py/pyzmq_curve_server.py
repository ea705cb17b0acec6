"""A pyzmq CURVE REP server behind pyzmq's ThreadAuthenticator, for tests/interop_pyzmq.rs.

    pyzmq_curve_server.py SERVER_SECRET_CERT ALLOW_DIR

Binds tcp://127.0.0.1:*, prints "READY <endpoint>", answers every request with World. Stops
when stdin closes (the test dropped it) or after 60 s.
"""
import sys
import threading
import time

import zmq
import zmq.auth
from zmq.auth.thread import ThreadAuthenticator


def main(server_cert, allow_dir):
    ctx = zmq.Context()
    auth = ThreadAuthenticator(ctx)
    auth.start()
    auth.configure_curve(domain="*", location=allow_dir)
    public, secret = zmq.auth.load_certificate(server_cert)
    sock = ctx.socket(zmq.REP)
    sock.curve_secretkey = secret
    sock.curve_publickey = public
    sock.curve_server = True
    sock.linger = 0
    sock.rcvtimeo = 100
    sock.bind("tcp://127.0.0.1:*")
    print("READY " + sock.last_endpoint.decode(), flush=True)

    done = threading.Event()

    def watch_stdin():
        sys.stdin.read()
        done.set()

    threading.Thread(target=watch_stdin, daemon=True).start()
    deadline = time.monotonic() + 60
    while not done.is_set() and time.monotonic() < deadline:
        try:
            request = sock.recv(copy=False)
        except zmq.Again:
            continue
        print("request from %s: %s" % (request.get("User-Id"), request.bytes.decode()), flush=True)
        sock.send(b"World")
    sock.close()
    auth.stop()
    ctx.term()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
