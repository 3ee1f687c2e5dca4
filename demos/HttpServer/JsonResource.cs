using System.Text.Json;
using RxNet.Http.Web;

namespace HttpServerDemo;

/// <summary>GET /json as a twisted.web resource: <c>{"message":"Hello, World!"}</c>.</summary>
internal sealed class JsonResource : Resource
{
    public override bool IsLeaf => true;

    protected override byte[]? RenderGet(Request request)
    {
        request.SetHeader("Content-Type", "application/json");
        return JsonSerializer.SerializeToUtf8Bytes(new Greeting("Hello, World!"), DemoJson.Default.Greeting);
    }
}
