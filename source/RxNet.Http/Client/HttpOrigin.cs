namespace RxNet.Http;

/// <summary>
/// The origin of a URI (RFC 6454): its scheme, host and port, which is what a client pools connections by.
/// </summary>
/// <param name="Scheme">The scheme in lower case: <c>http</c> or <c>https</c> (or <c>ws</c>, <c>wss</c>).</param>
/// <param name="Host">The host in lower case, an IPv6 address without its brackets.</param>
/// <param name="Port">The port, the scheme's default when the URI has none.</param>
public sealed record HttpOrigin(string Scheme, string Host, int Port)
{
    /// <summary>The origin of an absolute URI.</summary>
    /// <param name="uri">An absolute <c>http</c>, <c>https</c>, <c>ws</c> or <c>wss</c> URI.</param>
    /// <returns>Its origin.</returns>
    /// <exception cref="ArgumentException">The URI is relative or has another scheme.</exception>
    public static HttpOrigin Of(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        if (!uri.IsAbsoluteUri)
            throw new ArgumentException($"'{uri}' is not an absolute URI: a client needs the origin to connect to.", nameof(uri));
        string scheme = uri.Scheme.ToLowerInvariant();
        if (scheme is not ("http" or "https" or "ws" or "wss"))
            throw new ArgumentException($"'{uri}' has the scheme '{scheme}': an HTTP client speaks http, https, ws and wss.", nameof(uri));
        return new HttpOrigin(scheme, uri.IdnHost.ToLowerInvariant(), uri.Port);
    }

    /// <summary>Whether the origin is reached over TLS (<c>https</c> or <c>wss</c>).</summary>
    public bool IsSecure => Scheme is "https" or "wss";

    /// <summary>The value of the <c>Host</c> field for a request to this origin: the host, with the port when it
    /// is not the scheme's default.</summary>
    public string Authority
    {
        get
        {
            string host = Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]" : Host;
            return Port == (IsSecure ? 443 : 80) ? host : $"{host}:{Port}";
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"{Scheme}://{Authority}";
}
