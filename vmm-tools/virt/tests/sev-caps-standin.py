#!/usr/bin/env python3
"""Test stand-in for a QEMU with SEV under TCG (suite 72-libvirt).

Runs the real stock QEMU, but when started with a "-qmp unix:PATH" monitor (as
libvirt's capability probe does) it sits between the client and QEMU and
answers query-sev-capabilities itself, with values an SNP platform reports.
Every other invocation (a domain start, "-object help", ...) is the real QEMU
unchanged. This lets the suite check the libvirt side of the emulated-platform
path (capabilities, define, the QEMU command line libvirt builds) before our
QEMU answers that query by itself. It proves nothing about SNP emulation.
"""
import json
import os
import socket
import subprocess
import sys
import threading
import time

REAL = os.environ.get("STANDIN_REAL_QEMU", "/usr/bin/qemu-system-x86_64")
CAPS = {"pdh": "UERI", "cert-chain": "Q0VSVA==", "cpu0-id": "SUQ=",
        "cbitpos": 51, "reduced-phys-bits": 1}


def messages(sock):
    """Yield the JSON objects arriving on sock (QMP: one object a line)."""
    buf = b""
    while True:
        data = sock.recv(65536)
        if not data:
            return
        buf += data
        while b"\n" in buf:
            line, buf = buf.split(b"\n", 1)
            if line.strip():
                yield json.loads(line)


def main():
    args = sys.argv[1:]
    qmp = [i + 1 for i, a in enumerate(args[:-1]) if a == "-qmp" and args[i + 1].startswith("unix:")]
    if not qmp:
        os.execv(REAL, [REAL] + args)
    path = args[qmp[0]][len("unix:"):].split(",")[0]
    inner = path + ".real"
    args[qmp[0]] = "unix:%s,server=on,wait=off" % inner
    daemonize = "-daemonize" in args
    args = [a for a in args if a != "-daemonize"]
    pidfile = args[args.index("-pidfile") + 1] if "-pidfile" in args else None

    if daemonize and os.fork() > 0:
        # The caller waits for this process to exit, then reads the pidfile.
        for _ in range(400):
            if os.path.exists(path) and (not pidfile or (os.path.exists(pidfile) and os.path.getsize(pidfile))):
                break
            time.sleep(0.05)
        os._exit(0)
    if daemonize:
        os.setsid()
        null = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(null, fd)

    qemu = subprocess.Popen([REAL] + args)
    # Never outlive QEMU (libvirt ends the probe by killing it through the pidfile).
    threading.Thread(target=lambda: os._exit(qemu.wait()), daemon=True).start()
    for _ in range(400):
        if os.path.exists(inner):
            break
        time.sleep(0.05)
    server = socket.socket(socket.AF_UNIX)
    if os.path.exists(path):
        os.unlink(path)
    server.bind(path)
    server.listen(1)
    server.settimeout(120)
    client, _ = server.accept()
    client.settimeout(None)
    real = socket.socket(socket.AF_UNIX)
    real.connect(inner)

    def to_qemu():
        for msg in messages(client):
            if msg.get("execute") == "query-sev-capabilities":
                reply = {"return": CAPS}
                if "id" in msg:
                    reply["id"] = msg["id"]
                client.sendall((json.dumps(reply) + "\r\n").encode())
            else:
                real.sendall((json.dumps(msg) + "\r\n").encode())
        real.close()

    threading.Thread(target=to_qemu, daemon=True).start()
    while True:
        data = real.recv(65536)
        if not data:
            break
        client.sendall(data)
    client.close()
    sys.exit(qemu.wait())


if __name__ == "__main__":
    main()
