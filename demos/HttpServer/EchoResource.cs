using RxNet.Http.Web;

namespace HttpServerDemo;

/// <summary>POST /echo as a twisted.web resource: each chunk of the request body is written back as it arrives
/// (<c>NOT_DONE_YET</c>, then <c>Write</c> per chunk and <c>Finish</c> at its end), with the body limit lifted
/// for this request.</summary>
internal sealed class EchoResource : Resource
{
    public override bool IsLeaf => true;

    protected override byte[]? RenderPost(Request request)
    {
        request.Message.MaxBodySize = null;
        request.SetHeader("Content-Type", request.GetHeader("Content-Type") ?? "application/octet-stream");
        // A failed body (the client went away) ends the exchange: the server aborts the connection.
        var reading = request.Content.Subscribe(request.Write, _ => { }, request.Finish);
        request.NotifyFinish().Subscribe(_ => { }, _ => reading.Dispose());
        return NotDoneYet;
    }
}
