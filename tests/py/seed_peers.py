"""The pyzmq programs of the seed documents, for tests/interop_seeds.rs.

Each one is the seed's program with two changes: endpoints come from the command line (a side
that binds picks a free port on 127.0.0.1 and prints "READY <endpoint>"), and every loop and wait
is bounded, so a test can never hang on a peer.

    seed_peers.py hwserver COUNT                     # REP: replies b"World" to COUNT requests
    seed_peers.py hwclient ENDPOINT COUNT            # REQ: sends b"Hello" COUNT times
    seed_peers.py publisher                          # PUB: send_string("Hello World") every 0.1 s
    seed_peers.py subscriber ENDPOINT COUNT          # SUB to everything, COUNT messages
    seed_peers.py football                           # PUB: "<country> <event>" every 20 ms
    seed_peers.py fan ENDPOINT TEAM COUNT            # SUB to "TEAM ", COUNT messages
    seed_peers.py taskwork VENTILATOR SINK           # PULL tasks, sleep, PUSH b"" results
"""

import random
import sys
import time

import zmq
from zmq.utils.monitor import recv_monitor_message

# No wait in here is longer than this (milliseconds), and no program runs longer than LIFETIME.
TIMEOUT_MS = 10000
LIFETIME = 30.0


def bounded(socket):
    socket.setsockopt(zmq.RCVTIMEO, TIMEOUT_MS)
    socket.setsockopt(zmq.SNDTIMEO, TIMEOUT_MS)
    socket.setsockopt(zmq.LINGER, 1000)
    return socket


def bind_any(socket):
    socket.bind("tcp://127.0.0.1:*")
    endpoint = socket.getsockopt_string(zmq.LAST_ENDPOINT)
    print("READY", endpoint, flush=True)
    return endpoint


def hwserver(count):
    context = zmq.Context.instance()
    socket = bounded(context.socket(zmq.REP))
    bind_any(socket)
    for _ in range(int(count)):
        #  Wait for next request from client
        message = socket.recv()
        print(f"Received request: {message.decode()}", flush=True)
        #  Send reply back to client
        socket.send(b"World")


def hwclient(endpoint, count):
    context = zmq.Context.instance()
    #  Socket to talk to server
    socket = bounded(context.socket(zmq.REQ))
    socket.connect(endpoint)
    for request in range(int(count)):
        socket.send(b"Hello")
        #  Get the reply.
        message = socket.recv()
        print(f"Received reply {request} [ {message.decode()} ]", flush=True)


def publisher():
    context = zmq.Context.instance()
    socket = bounded(context.socket(zmq.PUB))
    bind_any(socket)
    deadline = time.monotonic() + LIFETIME
    while time.monotonic() < deadline:
        message = "Hello World"
        socket.send_string(message)
        print(f"Sent: {message}", flush=True)
        time.sleep(0.1)


def subscriber(endpoint, count):
    context = zmq.Context.instance()
    # Create a new SUB socket and connect to the publisher
    socket = bounded(context.socket(zmq.SUB))
    socket.connect(endpoint)
    # Subscribe to all messages
    socket.setsockopt_string(zmq.SUBSCRIBE, "")
    for _ in range(int(count)):
        message = socket.recv_string()
        print(f"Received: {message}", flush=True)


COUNTRIES = ["netherlands", "brazil", "germany", "portugal"]
EVENTS = ["yellow card", "red card", "goal", "corner", "foul"]


def football():
    context = zmq.Context.instance()
    socket = bounded(context.socket(zmq.PUB))
    bind_any(socket)
    deadline = time.monotonic() + LIFETIME
    while time.monotonic() < deadline:
        msg = random.choice(COUNTRIES) + " " + random.choice(EVENTS)
        print("->", msg, flush=True)
        socket.send_string(msg)
        time.sleep(0.02)


def fan(endpoint, team, count):
    context = zmq.Context.instance()
    socket = bounded(context.socket(zmq.SUB))
    socket.connect(endpoint)
    socket.setsockopt_string(zmq.SUBSCRIBE, team + " ")
    for _ in range(int(count)):
        print("<-", socket.recv_string(), flush=True)


def taskwork(ventilator, sink):
    context = zmq.Context.instance()
    # Socket to receive messages on, watched until its connection is made
    receiver = bounded(context.socket(zmq.PULL))
    monitor = receiver.get_monitor_socket(zmq.EVENT_HANDSHAKE_SUCCEEDED)
    monitor.setsockopt(zmq.RCVTIMEO, TIMEOUT_MS)
    receiver.connect(ventilator)
    # Socket to send messages to
    sender = bounded(context.socket(zmq.PUSH))
    sender.connect(sink)
    recv_monitor_message(monitor)
    receiver.disable_monitor()
    print("READY", flush=True)
    # Process tasks until none comes for TIMEOUT_MS
    deadline = time.monotonic() + LIFETIME
    while time.monotonic() < deadline:
        try:
            msec = int(receiver.recv_string())
        except zmq.Again:
            return
        print(f"task {msec}", flush=True)
        # Do the work
        time.sleep(msec / 1000)
        # Send results to sink
        sender.send(b"")


if __name__ == "__main__":
    command, args = sys.argv[1], sys.argv[2:]
    {
        "hwserver": hwserver,
        "hwclient": hwclient,
        "publisher": publisher,
        "subscriber": subscriber,
        "football": football,
        "fan": fan,
        "taskwork": taskwork,
    }[command](*args)
    # Close every socket, giving queued messages a second to leave.
    zmq.Context.instance().destroy(linger=1000)
