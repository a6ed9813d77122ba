"""The chaos suite's SMTP sink: accepts every message and appends one JSON line per message to a
file (its Message-ID and recipients) before answering 250, so a message acknowledged is a message
recorded. SIGUSR1: refuse connections for --refuse seconds (the listening socket is closed, then
opened again on the same port).
  python3 chaos/smtp_sink.py --port PORT --out FILE [--refuse 60]"""
import argparse, asyncio, json, signal, time

def message_id(data: bytes) -> str:
    headers = data.split(b"\r\n\r\n", 1)[0].decode("utf-8", "replace").replace("\r\n ", " ").replace("\r\n\t", " ")
    for line in headers.split("\r\n"):
        name, _, value = line.partition(":")
        if name.strip().lower() == "message-id":
            return value.strip()
    return ""

class Sink:
    def __init__(self, port, out, refuse):
        self.port, self.out, self.refuse = port, open(out, "a", buffering=1), refuse
        self.server = None
        self.count = 0
        self.conns, self.busy, self.down = set(), set(), False

    async def session(self, reader, writer):
        async def say(line):
            writer.write(line.encode() + b"\r\n"); await writer.drain()
        rcpts, sender = [], ""
        self.conns.add(writer)
        try:
            await say("220 chaos-sink ESMTP")
            while True:
                raw = await reader.readline()
                if not raw:
                    return
                cmd = raw.decode("utf-8", "replace").strip()
                verb = cmd[:4].upper()
                if verb in ("EHLO", "HELO"):
                    await say("250-chaos-sink\r\n250-8BITMIME\r\n250 SMTPUTF8" if verb == "EHLO" else "250 chaos-sink")
                elif verb == "MAIL":
                    sender, rcpts = cmd[10:], []
                    await say("250 OK")
                elif verb == "RCPT":
                    rcpts.append(cmd[8:].strip().strip("<>")); await say("250 OK")
                elif verb == "DATA":
                    self.busy.add(writer)
                    await say("354 go ahead")
                    lines = []
                    while True:
                        l = await reader.readline()
                        if not l:
                            return
                        if l in (b".\r\n", b".\n"):
                            break
                        lines.append(l[1:] if l.startswith(b"..") else l)
                    data = b"".join(lines)
                    self.count += 1
                    self.out.write(json.dumps({"message_id": message_id(data), "to": rcpts, "at": time.time()}) + "\n")
                    await say("250 OK queued")
                    self.busy.discard(writer)
                    if self.down:  # an outage began mid-message: answered, now closed like the rest
                        return
                elif verb == "RSET":
                    rcpts = []; await say("250 OK")
                elif verb == "NOOP":
                    await say("250 OK")
                elif verb == "QUIT":
                    await say("221 bye"); return
                else:
                    await say("502 not implemented")
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            self.conns.discard(writer); self.busy.discard(writer)
            writer.close()

    async def listen(self):
        self.server = await asyncio.start_server(self.session, "127.0.0.1", self.port, reuse_address=True)

    async def outage(self):
        print(f"{time.strftime('%H:%M:%S')} refusing connections for {self.refuse} s", flush=True)
        self.server.close()
        self.down = True
        for w in list(self.conns - self.busy):  # pooled connections too: the whole server is down
            w.close()
        await self.server.wait_closed()
        await asyncio.sleep(self.refuse)
        self.down = False
        await self.listen()
        print(f"{time.strftime('%H:%M:%S')} listening again ({self.count} messages so far)", flush=True)

async def main():
    a = argparse.ArgumentParser()
    a.add_argument("--port", type=int, required=True); a.add_argument("--out", required=True)
    a.add_argument("--refuse", type=float, default=60)
    args = a.parse_args()
    sink = Sink(args.port, args.out, args.refuse)
    await sink.listen()
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    loop.add_signal_handler(signal.SIGUSR1, lambda: loop.create_task(sink.outage()))
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    print(f"listening on 127.0.0.1:{args.port}, recording to {args.out}", flush=True)
    await stop.wait()

asyncio.run(main())
