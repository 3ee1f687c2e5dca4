using RxNet.Sockets;

namespace RxNet.Http.Specs.Client.Interop;

/// <summary>An <see cref="System.Net.Http.HttpClient"/> over .NET's own <see cref="SocketsHttpHandler"/> (the
/// baseline that shows a fixture answers as the specs assume) or over <see cref="RxNetHttpHandler"/> on an
/// <see cref="HttpAgent"/> with a socket reactor; redirects are not followed by either.</summary>
internal sealed class InteropHttpClient : IDisposable
{
    /// <summary>The handler names <see cref="InteropHttpClient(string)"/> takes.</summary>
    public static readonly string[] Handlers = ["SocketsHttpHandler", "RxNetHttpHandler"];

    private readonly SocketReactor? _reactor;
    private readonly HttpAgent? _agent;

    public InteropHttpClient(string handler)
    {
        if (handler == "RxNetHttpHandler")
        {
            _reactor = new SocketReactor();
            _agent = new HttpAgent(_reactor);
            Client = new HttpClient(new RxNetHttpHandler(_agent));
        }
        else
        {
            Client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false });
        }
    }

    public HttpClient Client { get; }

    /// <summary>Whether this is RxNet's handler.</summary>
    public bool IsRxNet => _agent is not null;

    public void Dispose()
    {
        Client.Dispose();
        _agent?.Dispose();
        _reactor?.Dispose();
    }
}
