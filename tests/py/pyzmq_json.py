"""pyzmq's send_json / recv_json against ours, for tests/interop_pyzmq.rs.

    pyzmq_json.py ENDPOINT

A REQ client: sends a reading with send_json and prints the reply of recv_json; then sends a
frame that is not JSON and prints the reply to that. Replies are printed as
json.dumps(reply, sort_keys=True). Every wait is bounded (10 s).
"""
import json
import sys

import zmq


def main(endpoint):
    ctx = zmq.Context()
    sock = ctx.socket(zmq.REQ)
    sock.rcvtimeo = 10000
    sock.sndtimeo = 10000
    sock.linger = 0
    sock.connect(endpoint)
    reading = {
        "zipcode": 10001,
        "temperature": -3,
        "humidity": 41.5,
        "station": 'Z\u00fcrich "Nord" \u2713',
        "tags": ["a", ""],
    }
    sock.send_json(reading)
    print(json.dumps(sock.recv_json(), sort_keys=True))
    sock.send(b"not json")
    print(json.dumps(sock.recv_json(), sort_keys=True))
    ctx.destroy(linger=0)


if __name__ == "__main__":
    main(sys.argv[1])
