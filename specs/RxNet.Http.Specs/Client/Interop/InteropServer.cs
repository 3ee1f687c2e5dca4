namespace RxNet.Http.Specs.Client.Interop;

/// <summary>
/// A real HTTP server on 127.0.0.1 that the client interop specs talk to: twisted.web, an in-process Kestrel app or
/// nginx, each serving the routes of <see cref="InteropRoutes"/>. Every response names the server's serial number of
/// the connection it went out on in <c>X-Connection</c>, and <see cref="ConnectionsAcceptedAsync"/> counts them, so a
/// spec sees keep-alive reuse from the server's side. Disposing stops the server (a process is killed by its id).
/// </summary>
internal interface IInteropServer : IDisposable
{
    /// <summary>The server's name, for messages: "twisted.web", "Kestrel" or "nginx".</summary>
    string Name { get; }

    /// <summary>The port the server listens on, on 127.0.0.1.</summary>
    int Port { get; }

    /// <summary>The connections the server accepted since it started, the one this question may use excluded.</summary>
    Task<int> ConnectionsAcceptedAsync();
}
