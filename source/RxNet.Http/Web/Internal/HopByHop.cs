namespace RxNet.Http.Web.Internal;

/// <summary>
/// The fields that belong to one connection rather than to the message (RFC 9110 §7.6.1), which a proxy removes
/// before forwarding: the fixed list, and every field the <c>Connection</c> field names.
/// </summary>
internal static class HopByHop
{
    private static readonly HashSet<string> Fixed = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Proxy-Connection", "TE", "Transfer-Encoding", "Upgrade", "Trailer",
        "Proxy-Authenticate", "Proxy-Authorization",
    };

    /// <summary>A copy of <paramref name="headers"/> without the hop-by-hop fields nor those in <paramref name="also"/>.</summary>
    public static HttpHeaders Without(HttpHeaders headers, params string[] also)
    {
        var named = new HashSet<string>(also, StringComparer.OrdinalIgnoreCase);
        foreach (string value in headers.GetValues("Connection"))
        {
            foreach (string option in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                named.Add(option);
        }
        var copy = new HttpHeaders(headers.Count);
        foreach (var (name, value) in headers)
        {
            if (!Fixed.Contains(name) && !named.Contains(name))
                copy.AddChecked(name, value);
        }
        return copy;
    }
}
