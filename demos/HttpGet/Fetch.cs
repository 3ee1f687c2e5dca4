using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using RxNet;
using RxNet.Http;
using RxNet.Sockets;
using HttpProtocolException = RxNet.Http.HttpProtocolException;

namespace HttpGetDemo;

/// <summary>One GET through an <see cref="HttpAgent"/> with redirects followed and content decoded: the head to
/// stderr, the body to stdout or a file.</summary>
internal static class Fetch
{
    public static async Task<int> RunAsync(string target, string? path, string? output, CancellationToken cancel)
    {
        using var reactor = new SocketReactor();
        HttpAgent agent;
        Uri url;
        try
        {
            (agent, url) = Open(reactor, target, path);
        }
        catch (FormatException e)
        {
            Console.Error.WriteLine($"httpget: {e.Message}");
            return 2;
        }
        using (agent)
        {
            // Twisted's BrowserLikeRedirectAgent(ContentDecoderAgent(Agent)), as operators on the agent.
            var client = agent.DecodeContent().FollowRedirects();
            try
            {
                var response = await client.Get(url.AbsoluteUri).ToTask(cancel);
                PrintHead(response, url);
                await using (var sink = output is null ? Console.OpenStandardOutput() : File.Create(output))
                {
                    var progress = Progress.For(response, Console.Error);
                    if (response.Body is { } body)
                    {
                        // Writing inside OnNext blocks the connection's reader until the bytes are out: a slow disk or
                        // pipe slows the server down rather than filling memory.
                        await body.ForEachAsync(chunk =>
                        {
                            sink.Write(chunk.Span);
                            progress?.Advance(chunk.Length);
                        }, cancel);
                    }
                    progress?.Finish();
                }
                return response.StatusCode < 400 ? 0 : 1;
            }
            catch (Exception e) when (e is HttpProtocolException or IOException or TimeoutException or ObjectDisposedException)
            {
                string detail = e is HttpProtocolException protocol ? $" ({protocol.Error})" : "";
                Console.Error.WriteLine($"httpget: {e.GetType().Name}{detail}: {e.Message}");
                return 3;
            }
        }
    }

    /// <summary>An agent and the URL to get: a URL resolves its own endpoint; an endpoint string carries every URL
    /// (Host from its <c>host=</c> and <c>port=</c>, or localhost) and the path comes apart.</summary>
    private static (HttpAgent Agent, Uri Url) Open(SocketReactor reactor, string target, string? path)
    {
        if (path is null)
        {
            if (!Uri.TryCreate(target, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
                throw new FormatException($"'{target}' is not an http:// or https:// URL (an endpoint string needs a path after it).");
            return (new HttpAgent(reactor), url);
        }
        var description = EndpointDescription.Parse(target);
        string scheme = description.Scheme == "tls" ? "https" : "http";
        string host = description.Parameters.TryGetValue("host", out string? named) ? named : "localhost";
        string authority = description.Parameters.TryGetValue("port", out string? port) ? $"{host}:{port}" : host;
        if (!path.StartsWith('/'))
            throw new FormatException($"'{path}' is not a path: it starts with /.");
        return (new HttpAgent(reactor.ClientEndpoint(target), reactor.Scheduler), new Uri($"{scheme}://{authority}{path}"));
    }

    /// <summary>Where the redirects led, then the status line and the fields, as they came.</summary>
    private static void PrintHead(HttpResponse response, Uri asked)
    {
        if (response.Request is { } request && request.Target != asked.AbsoluteUri)
            Console.Error.WriteLine($"* redirected to {request.Target}");
        Console.Error.WriteLine($"HTTP/{response.Version.Major}.{response.Version.Minor} {response.StatusCode} {response.ReasonPhrase}".TrimEnd());
        foreach (var (name, value) in response.Headers)
            Console.Error.WriteLine($"{name}: {value}");
        Console.Error.WriteLine();
    }
}
