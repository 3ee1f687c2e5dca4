using System.Collections.Concurrent;

namespace RxNet;

/// <summary>
/// The endpoint-string schemes a reactor understands: for each scheme (<c>tcp</c>, <c>unix</c>,
/// <c>tls</c>, <c>udp</c>, <c>haproxy</c>, or one of your own) how to make its server, client and
/// datagram endpoints from a parsed <see cref="EndpointDescription"/>. Twisted's endpoint-parser plugins.
/// </summary>
/// <remarks>
/// Each reactor has its own set with its built-in schemes (<c>reactor.Schemes</c>); a scheme added to
/// <see cref="Shared"/> is understood by every reactor that has no scheme of that name itself. A scheme
/// that wraps another endpoint (<c>haproxy:tcp:8000</c>) reads <see cref="EndpointDescription.Inner"/>
/// and asks the reactor for that endpoint, so it works on any transport. A reactor of your own implements
/// <c>ServerEndpoint(string)</c> as <c>Schemes.ServerEndpoint(this, description)</c>; a scheme built into one kind
/// of reactor may refuse another kind (<see cref="ArgumentException"/>). Safe to use from several threads.
/// </remarks>
public sealed class EndpointSchemes
{
    private readonly ConcurrentDictionary<string, Func<EndpointDescription, IReactor, IServerEndpoint>> _servers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Func<EndpointDescription, IReactor, IClientEndpoint>> _clients = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Func<EndpointDescription, IReactor, IDatagramEndpoint>> _datagrams = new(StringComparer.Ordinal);

    /// <summary>Schemes every reactor understands besides its own: where a library or an application
    /// registers its endpoint types once for the whole process.</summary>
    public static EndpointSchemes Shared { get; } = new();

    /// <summary>Adds or replaces how <paramref name="scheme"/> makes server endpoints.</summary>
    /// <param name="scheme">The scheme, without the colon; matched case-insensitively.</param>
    /// <param name="parse">Makes the endpoint from the parsed string and the reactor asking; throws
    /// <see cref="FormatException"/> (see <see cref="EndpointDescription.Invalid"/>) for a bad string.</param>
    /// <returns>This set, to chain registrations.</returns>
    public EndpointSchemes AddServer(string scheme, Func<EndpointDescription, IReactor, IServerEndpoint> parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        _servers[Key(scheme)] = parse;
        return this;
    }

    /// <summary>Adds or replaces how <paramref name="scheme"/> makes client endpoints.</summary>
    /// <param name="scheme">The scheme, without the colon; matched case-insensitively.</param>
    /// <param name="parse">Makes the endpoint from the parsed string and the reactor asking.</param>
    /// <returns>This set, to chain registrations.</returns>
    public EndpointSchemes AddClient(string scheme, Func<EndpointDescription, IReactor, IClientEndpoint> parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        _clients[Key(scheme)] = parse;
        return this;
    }

    /// <summary>Adds or replaces how <paramref name="scheme"/> makes datagram endpoints.</summary>
    /// <param name="scheme">The scheme, without the colon; matched case-insensitively.</param>
    /// <param name="parse">Makes the endpoint from the parsed string and the reactor asking.</param>
    /// <returns>This set, to chain registrations.</returns>
    public EndpointSchemes AddDatagram(string scheme, Func<EndpointDescription, IReactor, IDatagramEndpoint> parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        _datagrams[Key(scheme)] = parse;
        return this;
    }

    /// <summary>The server schemes of this set, sorted.</summary>
    public IReadOnlyList<string> ServerSchemes => [.. _servers.Keys.Order(StringComparer.Ordinal)];

    /// <summary>The client schemes of this set, sorted.</summary>
    public IReadOnlyList<string> ClientSchemes => [.. _clients.Keys.Order(StringComparer.Ordinal)];

    /// <summary>The datagram schemes of this set, sorted.</summary>
    public IReadOnlyList<string> DatagramSchemes => [.. _datagrams.Keys.Order(StringComparer.Ordinal)];

    /// <summary>Makes the server endpoint <paramref name="description"/> names, with this set's scheme
    /// or else <see cref="Shared"/>'s: what a reactor's <c>ServerEndpoint</c> does with its own set.</summary>
    /// <param name="reactor">The reactor the endpoint belongs to.</param>
    /// <param name="description">The endpoint string.</param>
    /// <returns>The endpoint.</returns>
    /// <exception cref="FormatException">Malformed, or a scheme nobody registered (the message lists those that are).</exception>
    public IServerEndpoint ServerEndpoint(IReactor reactor, string description) => Make(reactor, description, _servers, Shared._servers, "server");

    /// <summary>Makes the client endpoint <paramref name="description"/> names.</summary>
    /// <param name="reactor">The reactor the endpoint belongs to.</param>
    /// <param name="description">The endpoint string.</param>
    /// <returns>The endpoint.</returns>
    /// <exception cref="FormatException">Malformed, or a scheme nobody registered.</exception>
    public IClientEndpoint ClientEndpoint(IReactor reactor, string description) => Make(reactor, description, _clients, Shared._clients, "client");

    /// <summary>Makes the datagram endpoint <paramref name="description"/> names.</summary>
    /// <param name="reactor">The reactor the endpoint belongs to.</param>
    /// <param name="description">The endpoint string.</param>
    /// <returns>The endpoint.</returns>
    /// <exception cref="FormatException">Malformed, or a scheme nobody registered.</exception>
    public IDatagramEndpoint DatagramEndpoint(IReactor reactor, string description) => Make(reactor, description, _datagrams, Shared._datagrams, "datagram");

    private static T Make<T>(IReactor reactor, string description,
        ConcurrentDictionary<string, Func<EndpointDescription, IReactor, T>> own,
        ConcurrentDictionary<string, Func<EndpointDescription, IReactor, T>> shared, string kind)
    {
        ArgumentNullException.ThrowIfNull(reactor);
        var parsed = EndpointDescription.Parse(description);
        if (own.TryGetValue(parsed.Scheme, out var parse) || shared.TryGetValue(parsed.Scheme, out parse))
            return parse(parsed, reactor);
        var known = own.Keys.Union(shared.Keys).Order(StringComparer.Ordinal).Select(s => $"'{s}:'");
        throw parsed.Invalid(parsed.Scheme, $"no {kind} endpoint has this scheme here; known: {string.Join(", ", known)}");
    }

    private static string Key(string scheme)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(scheme);
        if (scheme.Contains(':', StringComparison.Ordinal) || scheme.Contains('\\', StringComparison.Ordinal))
            throw new ArgumentException("A scheme is the name before the colon, without colons or backslashes.", nameof(scheme));
        return scheme.Trim().ToLowerInvariant();
    }
}
