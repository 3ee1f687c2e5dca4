using System.Reactive.Linq;

namespace RxNet.Http.Client.Policies.Internal;

/// <summary>The agent <see cref="HttpAgentPolicies.DecodeContent"/> returns (Twisted's <c>ContentDecoderAgent</c>).</summary>
internal sealed class DecodingAgent(IHttpAgent agent, long limit) : IHttpAgent
{
    public System.Reactive.Concurrency.IScheduler Scheduler => agent.Scheduler;

    /// <summary>What is offered when the caller has not said.</summary>
    internal const string Offered = "gzip, deflate, br";

    public IObservable<HttpResponse> Send(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var sent = request;
        if (!request.Headers.Contains("Accept-Encoding"))
        {
            var headers = MessageCopies.Copy(request.Headers);
            headers.Add("Accept-Encoding", Offered);
            sent = MessageCopies.WithHeaders(request, headers);
        }
        return agent.Send(sent).Select(response => Decode(response, sent.Method));
    }

    /// <summary>The response with its body decoded, when it has a body in codings this agent knows; else as it is.</summary>
    private HttpResponse Decode(HttpResponse response, string method)
    {
        if (response.Body is not { } body || method == "HEAD" || response.StatusCode is 204 or 304)
            return response;
        var codings = new List<string>();
        foreach (string field in response.Headers.GetValues("Content-Encoding"))
        {
            foreach (string coding in field.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                codings.Add(coding.ToLowerInvariant());
        }
        codings.RemoveAll(c => c == "identity");
        // Undo from the last coding applied, as far as the codings are known (Twisted stops at the first it is not).
        int known = 0;
        while (known < codings.Count && ContentDecoder.Knows(codings[^(known + 1)]))
            known++;
        if (known == 0)
            return response;
        string[] undo = [.. Enumerable.Range(1, known).Select(i => codings[^i])];
        var headers = MessageCopies.Copy(response.Headers);
        headers.Remove("Content-Length");
        headers.Remove("Content-Encoding");
        if (known < codings.Count)
            headers.Set("Content-Encoding", string.Join(", ", codings.Take(codings.Count - known)));
        HttpResponse? decoded = null;
        void Completing() => MessageCopies.CopyTrailers(response, decoded!);
        IObservable<ReadOnlyMemory<byte>> body2 = body is IPausableObservable<ReadOnlyMemory<byte>> pausable
            ? new PausableDecodedBody(pausable, undo, limit, Completing)
            : new DecodedBody(body, undo, limit, Completing);
        decoded = MessageCopies.Response(response, headers, body2, contentLength: null);
        return decoded;
    }
}
