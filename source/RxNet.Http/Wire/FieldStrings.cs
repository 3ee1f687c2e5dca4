using System.Text;

namespace RxNet.Http;

/// <summary>
/// Turns a head's field lines into the strings of its <see cref="HttpHeaders"/>: the common names and values as
/// shared instances, and a value equal to the one the same name had in this connection's previous head reused,
/// so a keep-alive connection repeating its messages allocates little more than the header list.
/// </summary>
/// <remarks>One per parser (per connection); not thread-safe.</remarks>
internal sealed class FieldStrings
{
    private readonly string?[] _lastValues = new string?[KnownStrings.FieldNameCount];

    /// <summary>Adds the field to <paramref name="headers"/> and returns its value's string.</summary>
    /// <param name="headers">The head's fields so far.</param>
    /// <param name="name">The name as received (a token).</param>
    /// <param name="value">The value as received, without surrounding whitespace.</param>
    /// <returns>The value's string.</returns>
    public string Add(HttpHeaders headers, ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        string nameText = KnownStrings.FieldName(name, out int id);
        string valueText = Value(value, id);
        headers.AddChecked(nameText, valueText);
        return valueText;
    }

    private string Value(ReadOnlySpan<byte> bytes, int id)
    {
        if (bytes.IsEmpty)
            return "";
        if (id >= 0 && _lastValues[id] is { } last && Ascii.Equals(bytes, last))
            return last;
        if (KnownStrings.CommonValue(bytes) is { } common)
            return common;
        string value = Encoding.Latin1.GetString(bytes);
        if (id >= 0)
            _lastValues[id] = value;
        return value;
    }
}
