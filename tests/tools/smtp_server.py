#!/usr/bin/env python3
"""An SMTP server on 127.0.0.1 for the newsletter tests (aiosmtpd). MODE: `starttls`
(STARTTLS required before AUTH and MAIL, with a certificate made here by trustme),
`tls` (implicit TLS), `plain` (no encryption) or `nostarttls` (plain, offering no
STARTTLS). AUTH PLAIN/LOGIN checks USER and PASSWORD. Each message received is parsed
with Python's `email` package and written to OUT_DIR as JSON (envelope, headers, parts).

    smtp_server.py MODE USER PASSWORD OUT_DIR

Prints `PORT CA_PEM` once it listens, then runs until killed.
"""
import email
import email.policy
import json
import os
import socket
import ssl
import sys
import threading

import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

mode, user, password, out_dir = sys.argv[1:5]
ca = trustme.CA()
cert = ca.issue_cert("localhost", "127.0.0.1")
ca_path = os.path.join(out_dir, "ca.pem")
ca.cert_pem.write_to_path(ca_path)
context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
cert.configure_cert(context)
count = 0


def authenticate(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == user and auth_data.password.decode() == password
    return AuthResult(success=ok)


class Handler:
    async def handle_DATA(self, server, session, envelope):
        global count
        count += 1
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        parts = [{"content_type": p.get_content_type(), "text": p.get_content()}
                 for p in message.walk() if not p.is_multipart()]
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "content_type": message.get_content_type(),
            "headers": {k: str(v) for k, v in message.items()},
            "parts": parts,
            "tls": session.ssl is not None or server.transport.get_extra_info("ssl_object") is not None,
            "authenticated": session.authenticated,
        }
        with open(os.path.join(out_dir, f"message-{count}.json"), "w", encoding="utf-8") as out:
            json.dump(record, out)
        return "250 OK"


with socket.socket() as s:
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
# (aiosmtpd counts only STARTTLS as TLS for AUTH: implicit TLS is checked by the test.)
options = dict(hostname="127.0.0.1", port=port, authenticator=authenticate, auth_require_tls=mode == "starttls")
if mode == "starttls":
    options.update(tls_context=context, require_starttls=True)
elif mode == "tls":
    options.update(ssl_context=context)
controller = Controller(Handler(), **options)
controller.start()
print(port, ca_path, flush=True)
threading.Event().wait()
