using System.Net;

namespace RxNet.Load;

/// <summary><see cref="HttpClient"/> over its own <see cref="SocketsHttpHandler"/>, the .NET baseline: at most
/// <c>connections</c> keep-alive connections, the body read with <c>ResponseHeadersRead</c> into the caller's
/// buffer (the least it allocates).</summary>
internal sealed class SocketsLoadClient : ILoadClient
{
    private readonly HttpClient _client;
    private readonly Uri _url;

    public SocketsLoadClient(int port, int connections)
    {
        _url = new Uri($"http://127.0.0.1:{port}/plaintext");
        _client = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = connections,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseProxy = false,
        });
    }

    public string Name => "httpclient";

    public async Task<int> GetAsync(byte[] buffer, CancellationToken cancel)
    {
        using var response = await _client.GetAsync(_url, HttpCompletionOption.ResponseHeadersRead, cancel);
        await using var body = await response.Content.ReadAsStreamAsync(cancel);
        int length = 0;
        for (int read; (read = await body.ReadAsync(buffer.AsMemory(length), cancel)) > 0;)
        {
            length += read;
            if (length == buffer.Length)
                throw new InvalidDataException("the body is longer than expected");
        }
        PlaintextCheck.Verify((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, buffer.AsSpan(0, length));
        return length;
    }

    public void Dispose() => _client.Dispose();
}
