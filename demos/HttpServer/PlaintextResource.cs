using RxNet.Http.Web;

namespace HttpServerDemo;

/// <summary>GET /plaintext as a twisted.web resource: <c>Hello, World!</c>.</summary>
internal sealed class PlaintextResource : Resource
{
    private static readonly byte[] Body = "Hello, World!"u8.ToArray();

    public override bool IsLeaf => true;

    protected override byte[]? RenderGet(Request request)
    {
        request.SetHeader("Content-Type", "text/plain");
        return Body;
    }
}
