namespace RxNet.Http.Specs.Client.Interop;

/// <summary>Starts an <see cref="IInteropServer"/> by name, for theories that run one spec against every server.</summary>
internal static class InteropServers
{
    /// <summary>The names <see cref="StartAsync"/> takes, as theory data.</summary>
    public static TheoryData<string> Names => ["twisted.web", "Kestrel", "nginx"];

    /// <summary>The servers that answer <see cref="InteropRoutes.Reset"/>: nginx cannot reset a response by itself.</summary>
    public static TheoryData<string> Resetting => ["twisted.web", "Kestrel"];

    /// <summary>Starts the server called <paramref name="name"/>; a missing peer skips the spec as Peers says.</summary>
    public static async Task<IInteropServer> StartAsync(string name) => name switch
    {
        "twisted.web" => await TwistedInteropServer.StartAsync(),
        "Kestrel" => await KestrelInteropServer.StartAsync(),
        "nginx" => await NginxInteropServer.StartAsync(),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "No such interop server."),
    };
}
