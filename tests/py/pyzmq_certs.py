"""Certificates through pyzmq's zmq.auth, for tests/interop_pyzmq.rs.

    pyzmq_certs.py create DIR NAME [KEY=VALUE...]   writes DIR/NAME.key and DIR/NAME.key_secret
    pyzmq_certs.py load FILE                        prints the public key, then the secret key or None
    pyzmq_certs.py load_dir DIR                     prints every public key of DIR/*.key, sorted
"""
import sys

import zmq.auth


def main(argv):
    cmd = argv[1]
    if cmd == "create":
        metadata = dict(arg.split("=", 1) for arg in argv[4:])
        public, secret = zmq.auth.create_certificates(argv[2], argv[3], metadata=metadata or None)
        print(public)
        print(secret)
    elif cmd == "load":
        public, secret = zmq.auth.load_certificate(argv[2])
        print(public.decode())
        print(secret.decode() if secret else "None")
    elif cmd == "load_dir":
        for key in sorted(zmq.auth.load_certificates(argv[2])):
            print(key.decode())
    else:
        sys.exit("unknown command " + cmd)


if __name__ == "__main__":
    main(sys.argv)
