"""A pyzmq CURVE REQ client, for tests/interop_pyzmq.rs.

    pyzmq_curve_client.py ENDPOINT CLIENT_SECRET_CERT SERVER_PUBLIC_CERT COUNT TIMEOUT_MS

Sends Hello COUNT times, prints each reply; exits 0 when every reply was World, 1 when one did
not come within TIMEOUT_MS.
"""
import sys

import zmq
import zmq.auth


def main(endpoint, client_cert, server_cert, count, timeout_ms):
    client_public, client_secret = zmq.auth.load_certificate(client_cert)
    server_public, _ = zmq.auth.load_certificate(server_cert)
    ctx = zmq.Context()
    sock = ctx.socket(zmq.REQ)
    sock.curve_publickey = client_public
    sock.curve_secretkey = client_secret
    sock.curve_serverkey = server_public
    sock.rcvtimeo = timeout_ms
    sock.sndtimeo = timeout_ms
    sock.linger = 0
    sock.connect(endpoint)
    good = 0
    for i in range(count):
        sock.send(b"Hello")
        try:
            reply = sock.recv()
        except zmq.Again:
            print("no reply", flush=True)
            break
        print("reply %d: %s" % (i + 1, reply.decode(errors="replace")), flush=True)
        if reply == b"World":
            good += 1
    sock.close()
    ctx.term()
    return 0 if good == count else 1


if __name__ == "__main__":
    a = sys.argv
    sys.exit(main(a[1], a[2], a[3], int(a[4]), int(a[5])))
