#!/usr/bin/env python3
"""HTTPS for the benchmark's stand-ins, as real WeChat and DynamoDB speak it.

A local certificate authority (openssl), a server certificate for localhost and 127.0.0.1 signed
by it, and a PKCS12 truststore holding the CA (keytool) that the function is told to trust with
-Djavax.net.ssl.trustStore (the native executable reads it at run time). WeChat's stand-in wraps
its socket with the server certificate; DynamoDB Local gets a TLS front, a proxy on its own port
that terminates TLS and passes the bytes on, so the function pays its handshake and encryption
as it would against dynamodb.<region>.amazonaws.com.
"""
import os
import shutil
import socket
import ssl
import subprocess
import tempfile
import threading

PASSWORD = "bench-trust"


class Tls:
    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="wxsend-tls-")
        d = lambda name: os.path.join(self.dir, name)
        self.cert, self.key, self.truststore = d("server.pem"), d("server.key"), d("trust.p12")
        run = lambda *cmd: subprocess.run(cmd, check=True, capture_output=True)
        run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=wxsend bench CA",
            "-keyout", d("ca.key"), "-out", d("ca.pem"), "-addext", "basicConstraints=critical,CA:TRUE",
            "-addext", "keyUsage=critical,keyCertSign,cRLSign")
        run("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost", "-keyout", self.key, "-out", d("server.csr"))
        with open(d("san.ext"), "w") as ext:
            ext.write("subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n")
        run("openssl", "x509", "-req", "-in", d("server.csr"), "-CA", d("ca.pem"), "-CAkey", d("ca.key"), "-CAcreateserial",
            "-days", "2", "-extfile", d("san.ext"), "-out", self.cert)
        run("keytool", "-importcert", "-noprompt", "-alias", "bench-ca", "-file", d("ca.pem"), "-keystore", self.truststore,
            "-storetype", "PKCS12", "-storepass", PASSWORD)

    def server_context(self):
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.cert, self.key)
        return context

    def function_args(self):
        return [f"-Djavax.net.ssl.trustStore={self.truststore}", f"-Djavax.net.ssl.trustStorePassword={PASSWORD}",
                "-Djavax.net.ssl.trustStoreType=PKCS12"]

    def front(self, target_port):
        return Front(self.server_context(), target_port)

    def close(self):
        shutil.rmtree(self.dir, ignore_errors=True)


class Front:
    """Terminates TLS on a free loopback port and passes each connection's bytes to target_port."""

    def __init__(self, context, target_port):
        self.context, self.target = context, target_port
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(64)
        self.port = self.listener.getsockname()[1]
        self.open = True
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self):
        while self.open:
            try:
                raw, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self.serve, args=(raw,), daemon=True).start()

    def serve(self, raw):
        try:
            client = self.context.wrap_socket(raw, server_side=True)
            upstream = socket.create_connection(("127.0.0.1", self.target))
        except (OSError, ssl.SSLError):
            raw.close()
            return
        for s in (client, upstream):
            s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # no delayed-ACK stall measured as the function's
        threading.Thread(target=pipe, args=(upstream, client), daemon=True).start()
        pipe(client, upstream)

    def close(self):
        self.open = False
        self.listener.close()


def pipe(source, sink):
    try:
        while True:
            data = source.recv(65536)
            if not data:
                break
            sink.sendall(data)
    except OSError:
        pass
    finally:
        for s in (source, sink):
            try:
                s.close()
            except OSError:
                pass
