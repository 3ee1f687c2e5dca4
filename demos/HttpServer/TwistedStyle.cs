using System.Reactive.Concurrency;
using RxNet.Http.Web;

namespace HttpServerDemo;

/// <summary>The same routes the Twisted way: a <c>File</c> resource for the folder is the root, with the four
/// routes put as its children (<c>/ws</c> a <c>WebSocketResource</c>), served by a <c>Site</c> (<c>root = File(path); root.putChild(b"plaintext", ...);
/// Site(root)</c> in twisted.web).</summary>
internal static class TwistedStyle
{
    /// <summary>A site whose root is <paramref name="files"/> with the four routes as its children.</summary>
    public static Site Site(RxNet.Http.Web.File files, IScheduler scheduler)
    {
        files.PutChild("plaintext", new PlaintextResource());
        files.PutChild("json", new JsonResource());
        files.PutChild("echo", new EchoResource());
        files.PutChild("ws", new WebSocketResource(Routes.Echo, scheduler));
        return new Site(files, scheduler);
    }
}
