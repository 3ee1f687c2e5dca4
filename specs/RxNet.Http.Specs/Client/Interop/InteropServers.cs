namespace RxNet.Http.Specs.Client.Interop;

/// <summary>Starts an <see cref="IInteropServer"/> by name, for theories that run one spec against every server.</summary>
internal static class InteropServers
{
    private static readonly string[] All = ["twisted.web", "Kestrel", "nginx"];

    // nginx cannot reset a response by itself.
    private static readonly string[] Resettable = ["twisted.web", "Kestrel"];

    /// <summary>The names <see cref="StartAsync"/> takes, as theory data.</summary>
    public static TheoryData<string> Names => [.. All];

    /// <summary>The servers that answer <see cref="InteropRoutes.Reset"/>.</summary>
    public static TheoryData<string> Resetting => [.. Resettable];

    /// <summary>Every server with every handler of <see cref="InteropHttpClient"/>, as theory data.</summary>
    public static TheoryData<string, string> NamesAndHandlers => Cross(All, InteropHttpClient.Handlers);

    /// <summary>The servers of <see cref="Resetting"/> with every handler of <see cref="InteropHttpClient"/>.</summary>
    public static TheoryData<string, string> ResettingAndHandlers => Cross(Resettable, InteropHttpClient.Handlers);

    /// <summary>Starts the server called <paramref name="name"/>; a missing peer skips the spec as Peers says.</summary>
    public static async Task<IInteropServer> StartAsync(string name) => name switch
    {
        "twisted.web" => await TwistedInteropServer.StartAsync(),
        "Kestrel" => await KestrelInteropServer.StartAsync(),
        "nginx" => await NginxInteropServer.StartAsync(),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "No such interop server."),
    };

    private static TheoryData<string, string> Cross(string[] names, string[] handlers)
    {
        var data = new TheoryData<string, string>();
        foreach (string name in names)
        {
            foreach (string handler in handlers)
                data.Add(name, handler);
        }
        return data;
    }
}
