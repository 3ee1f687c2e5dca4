using System.Collections.ObjectModel;
using System.Globalization;
using System.Text;

namespace RxNet;

/// <summary>
/// A parsed Twisted-style endpoint string such as <c>tcp:8000:interface=127.0.0.1</c>: a scheme,
/// positional arguments and <c>key=value</c> parameters, separated by colons.
/// </summary>
/// <remarks>A backslash escapes the next character, so <c>interface=\:\:1</c> is the IPv6 address
/// <c>::1</c>. Keys are case-sensitive, as in Twisted. <see cref="ToString"/> prints the description
/// back in a canonical form (arguments first, then parameters in their order, escaped where needed)
/// that parses to the same description. A <c>password</c> is never printed, in that form or in an error
/// message: it shows as <c>***</c>.</remarks>
public sealed class EndpointDescription
{
    private readonly Dictionary<string, (int Key, int Value)> _positions;
    private readonly List<int> _argumentPositions;
    private readonly List<string> _keyOrder;

    private EndpointDescription(string text, string scheme, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> parameters,
        List<string> keyOrder, Dictionary<string, (int Key, int Value)> positions, List<int> argumentPositions, string inner)
    {
        Text = text;
        Scheme = scheme;
        Arguments = arguments;
        Parameters = parameters;
        _keyOrder = keyOrder;
        _positions = positions;
        _argumentPositions = argumentPositions;
        Inner = inner;
    }

    /// <summary>The original string.</summary>
    public string Text { get; }

    /// <summary>Everything after the scheme's colon, as written: the description a wrapping scheme such
    /// as <c>haproxy:tcp:8000</c> passes on to the endpoint it wraps (<c>tcp:8000</c>).</summary>
    public string Inner { get; }

    /// <summary>The part before the first colon, lower-cased (<c>tcp</c>, <c>unix</c>, ...).</summary>
    public string Scheme { get; }

    /// <summary>Arguments without a key, in order (the <c>8000</c> of <c>tcp:8000</c>).</summary>
    public IReadOnlyList<string> Arguments { get; }

    /// <summary>The <c>key=value</c> parameters.</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; }

    /// <summary>Parses an endpoint string.</summary>
    /// <param name="text">The description.</param>
    /// <returns>The parsed description.</returns>
    /// <exception cref="FormatException">The string is empty, has no scheme, repeats a key, or ends in a lone backslash.</exception>
    public static EndpointDescription Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = new List<(string Value, int Start, int EqualsAt, int ValueStart)>();
        var current = new StringBuilder();
        int start = 0, equalsAt = -1, valueStart = -1;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '\\')
            {
                if (++i == text.Length)
                    throw Error(text, i - 1, "a backslash at the end escapes nothing");
                current.Append(text[i]);
            }
            else if (c == ':')
            {
                parts.Add((current.ToString(), start, equalsAt, valueStart));
                current.Clear();
                start = i + 1;
                equalsAt = -1;
            }
            else
            {
                if (c == '=' && equalsAt < 0)
                {
                    equalsAt = current.Length;
                    valueStart = i + 1;
                }
                current.Append(c);
            }
        }
        parts.Add((current.ToString(), start, equalsAt, valueStart));

        string scheme = parts[0].Value.Trim();
        if (scheme.Length == 0 || parts[0].EqualsAt >= 0)
            throw Error(text, 0, "it must start with a scheme such as 'tcp:'");
        if (parts.Count == 1)
            throw Error(text, text.Length, $"'{scheme}' needs arguments after a colon");

        var arguments = new List<string>();
        var argumentPositions = new List<int>();
        var keyOrder = new List<string>();
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        var positions = new Dictionary<string, (int Key, int Value)>(StringComparer.Ordinal);
        foreach (var (value, partStart, eq, valueAt) in parts.Skip(1))
        {
            if (eq < 0)
            {
                arguments.Add(value);
                argumentPositions.Add(partStart);
                continue;
            }
            string key = value[..eq];
            if (key.Length == 0)
                throw Error(text, partStart, "a parameter has no name before '='");
            if (!parameters.TryAdd(key, value[(eq + 1)..]))
                throw Error(text, partStart, $"the parameter '{key}' is given twice");
            positions[key] = (partStart, valueAt);
            keyOrder.Add(key);
        }
        return new EndpointDescription(text, scheme.ToLowerInvariant(), arguments.AsReadOnly(), new ReadOnlyDictionary<string, string>(parameters),
            keyOrder, positions, argumentPositions, text[parts[1].Start..]);
    }

    /// <summary>Writes a description from its parts, escaping each: what an endpoint's <c>ToString()</c>
    /// uses to print itself back.</summary>
    /// <param name="scheme">The scheme, such as <c>tcp</c>.</param>
    /// <param name="arguments">Positional arguments, in order.</param>
    /// <param name="parameters">Parameters, in order; a <see langword="null"/> value leaves the key out.</param>
    /// <returns>The endpoint string, for example <c>tcp:8000:interface=127.0.0.1</c>.</returns>
    public static string Format(string scheme, IEnumerable<string> arguments, params (string Key, string? Value)[] parameters)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(scheme);
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(parameters);
        var sb = new StringBuilder(Escape(scheme));
        foreach (string argument in arguments)
            sb.Append(':').Append(Escape(argument));
        foreach (var (key, value) in parameters)
        {
            if (value is not null)
                sb.Append(':').Append(Escape(key)).Append('=').Append(Escape(value));
        }
        return sb.ToString();
    }

    /// <summary>Escapes a value so that it survives <see cref="Parse"/> (colons, equals signs and backslashes).</summary>
    /// <param name="value">The raw value, for example an IPv6 address or a path.</param>
    /// <returns>The escaped value.</returns>
    public static string Escape(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var sb = new StringBuilder(value.Length + 4);
        foreach (char c in value)
        {
            if (c is ':' or '=' or '\\')
                sb.Append('\\');
            sb.Append(c);
        }
        return sb.ToString();
    }

    /// <summary>An error about this description, pointing at the value or argument at fault.</summary>
    /// <param name="part">The key of the parameter whose value is at fault, or the text of the
    /// positional argument at fault, or the scheme.</param>
    /// <param name="problem">What is wrong with it.</param>
    /// <returns>The exception to throw; its message quotes the bad text and gives its position in <see cref="Text"/>.</returns>
    public FormatException Invalid(string part, string problem)
    {
        ArgumentNullException.ThrowIfNull(part);
        if (_positions.TryGetValue(part, out var at))
            return Error(Text, at.Value, $"'{(Array.IndexOf(Secrets, part) >= 0 ? "***" : Parameters[part])}' ({part}): {problem}");
        int index = Arguments.ToList().IndexOf(part);
        if (index >= 0)
            return Error(Text, _argumentPositions[index], $"'{part}': {problem}");
        return Error(Text, 0, $"'{part}': {problem}");
    }

    /// <summary>An error about a parameter this scheme does not take, pointing at its key.</summary>
    /// <param name="key">The unknown key.</param>
    /// <param name="problem">What the scheme takes instead.</param>
    /// <returns>The exception to throw.</returns>
    public FormatException UnknownParameter(string key, string problem)
    {
        ArgumentNullException.ThrowIfNull(key);
        int at = _positions.TryGetValue(key, out var p) ? p.Key : 0;
        return Error(Text, at, $"'{key}': {problem}");
    }

    /// <summary>The port of a listening endpoint: one positional argument or <c>port=</c>, not both; 0 to 65535.</summary>
    /// <param name="example">A whole valid string for the error, such as <c>tcp:8000</c>.</param>
    /// <returns>The port (0 picks a free one).</returns>
    /// <exception cref="FormatException">No port, two ports, or not a port number.</exception>
    public int ReadListeningPort(string example)
    {
        string? portText = Parameters.GetValueOrDefault("port");
        if (Arguments.Count > 1 || (Arguments.Count == 1 && portText is not null))
            throw Invalid(Arguments[^1], "only one port may be given");
        portText ??= Arguments.Count == 1 ? Arguments[0] : throw Invalid(Scheme, $"a port is required, as in '{example}'");
        return ReadInt32("port", portText, 0, 65535);
    }

    /// <summary>The host and port of a client endpoint: <c>host=</c>/<c>port=</c> or two positional
    /// arguments, host first (Twisted's <c>tcp:example.com:80</c>).</summary>
    /// <param name="example">A whole valid string for the error, such as <c>tcp:host=localhost:port=8000</c>.</param>
    /// <returns>The host and the port (1 to 65535).</returns>
    /// <exception cref="FormatException">No host, no port, an extra argument or a bad port.</exception>
    public (string Host, int Port) ReadHostAndPort(string example)
    {
        var positional = new Queue<string>(Arguments);
        string host = Parameters.GetValueOrDefault("host")
            ?? (positional.Count > 0 ? positional.Dequeue() : throw Invalid(Scheme, $"a host is required, as in '{example}'"));
        string portText = Parameters.GetValueOrDefault("port")
            ?? (positional.Count > 0 ? positional.Dequeue() : throw Invalid(host, $"a port is required, as in '{example}'"));
        if (positional.Count > 0)
            throw Invalid(positional.Peek(), "unexpected extra argument");
        if (host.Length == 0)
            throw Invalid("host", "the host is empty");
        return (host, ReadInt32("port", portText, 1, 65535));
    }

    /// <summary>The peer of a connected datagram endpoint: <c>remoteHost=</c> and <c>remotePort=</c>, both or neither.</summary>
    /// <param name="example">A whole valid string for the error, such as <c>udp:0:remoteHost=127.0.0.1:remotePort=9999</c>.</param>
    /// <returns>The host as written and the port (1 to 65535), or <see langword="null"/> when neither key is given.</returns>
    /// <exception cref="FormatException">One key without the other, an empty host or a bad port.</exception>
    public (string Host, int Port)? ReadRemote(string example)
    {
        bool hasHost = Parameters.TryGetValue("remoteHost", out var host);
        bool hasPort = Parameters.TryGetValue("remotePort", out var portText);
        if (!hasHost && !hasPort)
            return null;
        if (!hasPort)
            throw Invalid("remoteHost", $"a connected endpoint needs remotePort too, as in '{example}'");
        if (!hasHost)
            throw Invalid("remotePort", $"a connected endpoint needs remoteHost too, as in '{example}'");
        if (host!.Length == 0)
            throw Invalid("remoteHost", "the remote host is empty");
        return (host, ReadInt32("remotePort", portText!, 1, 65535));
    }

    /// <summary>Reads an octal number such as a file mode (<c>660</c> or <c>0660</c>).</summary>
    /// <param name="name">The parameter's key.</param>
    /// <param name="value">Its value.</param>
    /// <param name="max">The largest allowed value.</param>
    /// <returns>The value.</returns>
    /// <exception cref="FormatException">Not octal digits, or above <paramref name="max"/>.</exception>
    public int ReadOctal(string name, string value, int max)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(value);
        int n = 0;
        foreach (char c in value)
        {
            if (c is < '0' or > '7' || (n = (n * 8) + (c - '0')) > max)
                throw Invalid(name, $"{name} must be octal digits up to {Convert.ToString(max, 8)}, as in 660");
        }
        return value.Length > 0 ? n : throw Invalid(name, $"{name} must be octal digits, as in 660");
    }

    /// <summary>A duration in seconds (fractions allowed) from the parameter <paramref name="key"/>, if given.</summary>
    /// <param name="key">The parameter, such as <c>timeout</c>.</param>
    /// <returns>The duration, or <see langword="null"/> if the parameter is absent.</returns>
    /// <exception cref="FormatException">Not a number of seconds above 0 and at most a day.</exception>
    public TimeSpan? ReadSeconds(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!Parameters.TryGetValue(key, out var value))
            return null;
        if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) || !(seconds > 0) || seconds > 86400)
            throw Invalid(key, $"{key} must be a number of seconds above 0 and at most 86400");
        return TimeSpan.FromSeconds(seconds);
    }

    /// <summary>A socket buffer size in bytes (<c>sndbuf</c>, <c>rcvbuf</c>) from the parameter <paramref name="key"/>, if given.</summary>
    /// <exception cref="FormatException">Not a whole number from 1 up.</exception>
    internal int? ReadBufferSize(string key) =>
        Parameters.TryGetValue(key, out var value) ? ReadInt32(key, value, 1, int.MaxValue) : null;

    /// <summary>Fails on the first parameter that is not one of <paramref name="known"/>, pointing at its key.</summary>
    /// <param name="what">What takes the parameters, for the message (<c>a TCP server</c>).</param>
    /// <param name="known">The keys it takes.</param>
    /// <exception cref="FormatException">An unknown key.</exception>
    public void CheckKeys(string what, params string[] known)
    {
        ArgumentNullException.ThrowIfNull(known);
        foreach (string key in _keyOrder)
        {
            if (Array.IndexOf(known, key) < 0)
                throw UnknownParameter(key, known.Length == 1
                    ? $"unknown parameter; {what} takes only {known[0]}"
                    : $"unknown parameter; {what} takes {string.Join(", ", known[..^1])} and {known[^1]}");
        }
    }

    /// <summary>Reads an integer parameter or argument, with a clear error if it is not one.</summary>
    /// <param name="name">The key of the parameter, or a name for a positional argument.</param>
    /// <param name="value">The text to read: the parameter's value or the positional argument.</param>
    /// <param name="min">The smallest allowed value.</param>
    /// <param name="max">The largest allowed value.</param>
    /// <returns>The value.</returns>
    /// <exception cref="FormatException">It is not an integer within bounds.</exception>
    public int ReadInt32(string name, string value, int min, int max)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!int.TryParse(value, min < 0 ? NumberStyles.AllowLeadingSign : NumberStyles.None, CultureInfo.InvariantCulture, out int n) || n < min || n > max)
            throw Invalid(Parameters.TryGetValue(name, out var given) && given == value ? name : value, $"{name} must be a whole number from {min} to {max}");
        return n;
    }

    /// <summary>The description in canonical form: the scheme, the arguments, then the parameters in the
    /// order given, each escaped where needed. Parsing it gives back the same description.</summary>
    /// <returns>The canonical endpoint string.</returns>
    public override string ToString() =>
        Format(Scheme, Arguments, [.. _keyOrder.Select(key => (key, (string?)(Array.IndexOf(Secrets, key) >= 0 ? "***" : Parameters[key])))]);

    private static FormatException Error(string text, int position, string problem) =>
        new($"Bad endpoint description \"{RedactText(text)}\" at position {position}: {problem}.");

    /// <summary>Keys whose values are never printed, in messages or by <see cref="ToString"/>: they end up in logs.</summary>
    private static readonly string[] Secrets = ["password"];

    /// <summary>The text with the value of every secret parameter shown as <c>***</c> (positions of what
    /// comes before it are unchanged, so an error's position still points at the right place).</summary>
    private static string RedactText(string text)
    {
        var sb = new StringBuilder(text.Length);
        int start = 0;
        for (int i = 0; i <= text.Length; i++)
        {
            if (i < text.Length && text[i] == '\\')
            {
                if (i + 1 < text.Length)
                    i++; // the escaped character belongs to this part
                continue;
            }
            if (i < text.Length && text[i] != ':')
                continue;
            string part = text[start..i];
            int eq = part.IndexOf('=', StringComparison.Ordinal);
            sb.Append(eq > 0 && Array.IndexOf(Secrets, part[..eq]) >= 0 ? part[..(eq + 1)] + "***" : part);
            if (i < text.Length)
                sb.Append(':');
            start = i + 1;
        }
        return sb.ToString();
    }
}
