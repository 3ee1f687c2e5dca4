using System.Globalization;
using System.Text;

namespace RxNet.Http.WebSockets.Internal;

/// <summary>
/// RFC 7692 §7.1: the <c>permessage-deflate</c> offer a client sends, the answer a server picks from the offers it
/// receives, and the client's check of that answer. An extension element is <c>name; param; param=value</c>, a value
/// a token or a quoted string.
/// </summary>
internal static class DeflateNegotiation
{
    public const string Name = "permessage-deflate";

    private const string ServerNoContextTakeover = "server_no_context_takeover";
    private const string ClientNoContextTakeover = "client_no_context_takeover";
    private const string ServerMaxWindowBits = "server_max_window_bits";
    private const string ClientMaxWindowBits = "client_max_window_bits";

    /// <summary>The offer of a client with <paramref name="options"/>: <c>client_max_window_bits</c> always (so a server may
    /// ask for a smaller window), the rest as the options say.</summary>
    public static string Offer(WebSocketDeflateOptions options)
    {
        var offer = new StringBuilder(Name);
        if (options.ServerNoContextTakeover)
            offer.Append("; ").Append(ServerNoContextTakeover);
        if (options.ClientNoContextTakeover)
            offer.Append("; ").Append(ClientNoContextTakeover);
        if (options.ServerMaxWindowBits < 15)
            offer.Append(CultureInfo.InvariantCulture, $"; {ServerMaxWindowBits}={options.ServerMaxWindowBits}");
        offer.Append("; ").Append(ClientMaxWindowBits);
        if (options.ClientMaxWindowBits < 15)
            offer.Append(CultureInfo.InvariantCulture, $"={options.ClientMaxWindowBits}");
        return offer.ToString();
    }

    /// <summary>The server's choice among the extension elements offered (in order): the first <c>permessage-deflate</c>
    /// offer it can accept, or null to decline them all.</summary>
    public static WebSocketDeflate? Accept(IEnumerable<string> elements, WebSocketDeflateOptions options)
    {
        foreach (string element in elements)
        {
            if (!TryParse(element, out string name, out var parameters) || !string.Equals(name, Name, StringComparison.OrdinalIgnoreCase))
                continue;
            if (TryAccept(parameters, options) is { } accepted)
                return accepted;
        }
        return null;
    }

    /// <summary>The client's reading of the server's answer; throws <see cref="WebSocketProtocolException"/> when the
    /// answer breaks §7.1 (the client must then fail the connection). Null when the server declined.</summary>
    public static WebSocketDeflate? ReadAnswer(IReadOnlyList<string> elements, WebSocketDeflateOptions options)
    {
        if (elements.Count == 0)
            return null;
        if (elements.Count > 1 || !TryParse(elements[0], out string name, out var parameters)
            || !string.Equals(name, Name, StringComparison.OrdinalIgnoreCase))
            throw Fail($"The server answered extensions that were not offered: {string.Join(", ", elements)}.");
        if (!TryRead(parameters, out var answer) || answer.ClientBits == 0)
            throw Fail($"The server's permessage-deflate answer is not valid: {elements[0]}.");
        if (options.ServerNoContextTakeover && !answer.ServerNoContextTakeover)
            throw Fail("The server's answer leaves out server_no_context_takeover, which was offered.");
        if (answer.ServerBits is { } serverBits && serverBits > options.ServerMaxWindowBits)
            throw Fail($"The server answered server_max_window_bits={serverBits}, more than the {options.ServerMaxWindowBits} offered.");
        if (answer.ClientBits is { } clientBits && clientBits > options.ClientMaxWindowBits)
            throw Fail($"The server answered client_max_window_bits={clientBits}, more than the {options.ClientMaxWindowBits} offered.");
        return new WebSocketDeflate(answer.ServerNoContextTakeover, answer.ClientNoContextTakeover || options.ClientNoContextTakeover,
            answer.ServerBits ?? 15, Math.Min(answer.ClientBits ?? 15, options.ClientMaxWindowBits), options.CompressionLevel)
        {
            Header = elements[0].Trim(),
        };
    }

    private static WebSocketDeflate? TryAccept(IReadOnlyList<(string Name, string? Value)> parameters, WebSocketDeflateOptions options)
    {
        if (!TryRead(parameters, out var offer))
            return null; // declined: §7.1 forbids accepting an offer with a bad parameter
        bool serverNoContext = offer.ServerNoContextTakeover || options.ServerNoContextTakeover;
        bool clientNoContext = offer.ClientNoContextTakeover || options.ClientNoContextTakeover;
        int serverBits = Math.Min(offer.ServerBits ?? 15, options.ServerMaxWindowBits);
        // A client that did not offer client_max_window_bits cannot be asked for a smaller window (§7.1.2.2).
        int clientBits = offer.ClientBits is null ? 15 : Math.Min(offer.ClientBits is 0 ? 15 : offer.ClientBits.Value, options.ClientMaxWindowBits);
        var answer = new StringBuilder(Name);
        if (serverNoContext)
            answer.Append("; ").Append(ServerNoContextTakeover);
        if (clientNoContext)
            answer.Append("; ").Append(ClientNoContextTakeover);
        if (offer.ServerBits is not null || serverBits < 15)
            answer.Append(CultureInfo.InvariantCulture, $"; {ServerMaxWindowBits}={serverBits}");
        if (clientBits < 15)
            answer.Append(CultureInfo.InvariantCulture, $"; {ClientMaxWindowBits}={clientBits}");
        return new WebSocketDeflate(serverNoContext, clientNoContext, serverBits, clientBits, options.CompressionLevel)
        {
            Header = answer.ToString(),
        };
    }

    /// <summary>The parameters of one offer or answer; false for an unknown or repeated parameter or a bad value. A
    /// <c>client_max_window_bits</c> without a value reads as 0.</summary>
    private static bool TryRead(IReadOnlyList<(string Name, string? Value)> parameters, out Parameters result)
    {
        result = default;
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in parameters)
        {
            if (!seen.Add(name))
                return false;
            switch (name.ToLowerInvariant())
            {
                case ServerNoContextTakeover when value is null:
                    result = result with { ServerNoContextTakeover = true };
                    break;
                case ClientNoContextTakeover when value is null:
                    result = result with { ClientNoContextTakeover = true };
                    break;
                case ServerMaxWindowBits when TryBits(value, out int bits):
                    result = result with { ServerBits = bits };
                    break;
                case ClientMaxWindowBits when value is null:
                    result = result with { ClientBits = 0 };
                    break;
                case ClientMaxWindowBits when TryBits(value, out int bits):
                    result = result with { ClientBits = bits };
                    break;
                default:
                    return false;
            }
        }
        return true;
    }

    /// <summary>A window size: 8 to 15, digits only, no leading zero (§7.1.2's ABNF).</summary>
    private static bool TryBits(string? value, out int bits)
    {
        bits = 0;
        return value is { Length: 1 or 2 } && value[0] != '0' && value.All(char.IsAsciiDigit)
            && int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out bits) && bits is >= 8 and <= 15;
    }

    /// <summary>Splits <c>name; a; b=c; d="e"</c>; false when a part is empty or a quoted string is not closed.</summary>
    private static bool TryParse(string element, out string name, out List<(string Name, string? Value)> parameters)
    {
        parameters = [];
        string[] parts = element.Split(';', StringSplitOptions.TrimEntries);
        name = parts[0];
        if (name.Length == 0)
            return false;
        foreach (string part in parts.Skip(1))
        {
            int equals = part.IndexOf('=', StringComparison.Ordinal);
            string key = (equals < 0 ? part : part[..equals]).Trim();
            string? value = equals < 0 ? null : part[(equals + 1)..].Trim();
            if (key.Length == 0)
                return false;
            if (value is ['"', .., '"'] && value.Length >= 2)
                value = value[1..^1];
            else if (value is not null && value.Contains('"', StringComparison.Ordinal))
                return false;
            parameters.Add((key, value));
        }
        return true;
    }

    private static WebSocketProtocolException Fail(string message) => new(WebSocketCloseCode.ProtocolError, message);

    private readonly record struct Parameters(bool ServerNoContextTakeover, bool ClientNoContextTakeover, int? ServerBits, int? ClientBits);
}
