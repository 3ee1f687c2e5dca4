# python3-websockets as a client of the spec's WebSocket server at ws://127.0.0.1:PORT: prints one line per step
# (the transcript the spec compares across peers).
import asyncio, sys, websockets

SIZES = [0, 125, 126, 65535, 65536, 16 * 1024 * 1024]

def pattern(n):
    return (bytes(range(251)) * (n // 251 + 1))[:n]

async def main(port, deflate):
    # The default client offers permessage-deflate; "off" offers nothing.
    async with websockets.connect(f"ws://127.0.0.1:{port}/echo", max_size=None, subprotocols=["chat"],
                                  compression="deflate" if deflate == "on" else None) as ws:
        print("subprotocol", ws.subprotocol)
        print("deflate", any(e.name == "permessage-deflate" for e in ws.extensions))
        await ws.send("h\u00e9llo \u2713"); print("text", await ws.recv() == "h\u00e9llo \u2713")
        await ws.send(b"\x00\x01\xff"); print("binary", (await ws.recv()).hex())
        for size in SIZES:
            data = pattern(size)
            await ws.send(data); echo = await ws.recv()
            print("size", size, isinstance(echo, bytes) and echo == data)
        await ws.send(iter(["frag", "ment", "ed"])); print("fragmented", await ws.recv())
        await (await ws.ping(b"abc")); print("pong abc")
        await ws.send("ping"); print("server", await ws.recv())
        await ws.close(code=4000, reason="done")
        print(f"closed {ws.close_code} [{ws.close_reason}]")
    async with websockets.connect(f"ws://127.0.0.1:{port}/bye", compression=None) as ws:
        try:
            while True:
                print("message", await ws.recv())
        except websockets.ConnectionClosed as e:
            print(f"server closed {e.rcvd.code} [{e.rcvd.reason}]")

asyncio.run(main(int(sys.argv[1]), sys.argv[2]))
