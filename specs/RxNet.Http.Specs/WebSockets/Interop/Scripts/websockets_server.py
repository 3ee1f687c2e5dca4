# python3-websockets as a WebSocket server on 127.0.0.1, port 0: prints "listening PORT", then one line per socket
# that ends ("closed CODE [REASON]"). /echo echoes every message (subprotocol "chat"; the text "fragmented" goes back
# as three frames; the text "ping" is answered by a ping, then the text "pong PAYLOAD" once its pong is back);
# /bye sends "bye" and closes with 1001. Argument: "on"/"off" for permessage-deflate.
import asyncio, sys, websockets

async def serve(ws, path):
    try:
        if path == "/bye":
            await ws.send("bye")
            await ws.close(code=1001, reason="bye now")
        else:
            async for message in ws:
                if message == "fragmented":
                    await ws.send(iter(["frag", "ment", "ed"]))
                elif message == "ping":
                    await (await ws.ping(b"xyz"))
                    await ws.send("pong xyz")
                else:
                    await ws.send(message)
    except websockets.ConnectionClosed:
        pass
    await ws.wait_closed()
    print(f"closed {ws.close_code} [{ws.close_reason}]", flush=True)

async def main(deflate):
    async with websockets.serve(serve, "127.0.0.1", 0, max_size=None, subprotocols=["chat"],
                                compression="deflate" if deflate == "on" else None) as server:
        print("listening", server.sockets[0].getsockname()[1], flush=True)
        await asyncio.Future()

asyncio.run(main(sys.argv[1]))
