using RxNet.Http;
using RxNet.Sockets;

namespace RxNet.Load;

/// <summary>RxNet's <see cref="HttpAgent"/> on a <see cref="SocketReactor"/>: at most <c>connections</c> keep-alive
/// connections (<see cref="HttpAgentOptions.MaxConnectionsPerOrigin"/>), each body subscribed as it comes and copied
/// into the caller's buffer.</summary>
internal sealed class AgentLoadClient : ILoadClient
{
    private readonly SocketReactor _reactor = new();
    private readonly HttpAgent _agent;
    private readonly string _url;

    public AgentLoadClient(int port, int connections)
    {
        _url = $"http://127.0.0.1:{port}/plaintext";
        _agent = new HttpAgent(_reactor, new HttpAgentOptions { MaxConnectionsPerOrigin = connections });
    }

    public string Name => "rxnet-agent";

    public async Task<int> GetAsync(byte[] buffer, CancellationToken cancel)
    {
        var (status, mediaType, length) = await new AgentGet(buffer).RunAsync(_agent, new HttpRequest("GET", _url)).WaitAsync(cancel);
        PlaintextCheck.Verify(status, mediaType, buffer.AsSpan(0, length));
        return length;
    }

    public void Dispose()
    {
        _agent.Dispose();
        _reactor.Dispose();
    }
}
