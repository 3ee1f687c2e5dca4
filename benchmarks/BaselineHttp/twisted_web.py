"""The twisted.web baseline of the load driver: the routes of demos/HttpServer that the load scenarios use,
served by Twisted's own Resource tree and Site, on 127.0.0.1 only, without the per-request access log.

    /usr/bin/python3 twisted_web.py PORT

GET /plaintext: Hello, World! (text/plain); GET /json: {"message":"Hello, World!"} (application/json);
POST /echo: the request body (twisted.web reads a whole body before the resource renders). Prints
"listening PORT" once it accepts. Needs Debian's python3-twisted.
"""
import json
import sys

from twisted.internet import reactor
from twisted.web.resource import Resource
from twisted.web.server import Site

GREETING = b"Hello, World!"


class Route(Resource):
    isLeaf = True

    def __init__(self, content_type, render):
        super().__init__()
        self._content_type = content_type
        self._render = render

    def render_GET(self, request):
        request.setHeader(b"Content-Type", self._content_type)
        return self._render(request)


class Echo(Resource):
    isLeaf = True

    def render_POST(self, request):
        request.setHeader(b"Content-Type", request.getHeader(b"Content-Type") or b"application/octet-stream")
        return request.content.read()


class SilentSite(Site):
    """No access log line per request, like the other servers measured."""

    def log(self, request):
        pass


def main(port):
    root = Resource()
    root.putChild(b"plaintext", Route(b"text/plain", lambda request: GREETING))
    root.putChild(b"json", Route(b"application/json", lambda request: json.dumps({"message": GREETING.decode()}, separators=(",", ":")).encode()))
    root.putChild(b"echo", Echo())
    reactor.listenTCP(port, SilentSite(root), interface="127.0.0.1")
    reactor.callWhenRunning(lambda: print("listening %d" % port, flush=True))
    reactor.run()


if __name__ == "__main__":
    main(int(sys.argv[1]))
