using System.Collections;

namespace RxNet.Http;

/// <summary>
/// The header (or trailer) fields of an HTTP message, in the order they were received or added. Names compare
/// without regard to case (RFC 9110 §5.1); a name may occur more than once.
/// </summary>
/// <remarks>
/// Every name and value added through the public methods is checked: a name must be a token (RFC 9110 §5.6.2)
/// and a value must not contain CR, LF, NUL or other control characters except tab (RFC 9110 §5.5), so a
/// handler can never split a response by putting a line break in a value. Leading and trailing whitespace of a
/// value is removed. Not thread-safe: a message's headers belong to whoever is building or reading it.
/// </remarks>
public sealed class HttpHeaders : IEnumerable<KeyValuePair<string, string>>
{
    // A plain array and a count rather than a List: one object less per message, and a parsed head's fields fill an
    // array of exactly their number.
    private KeyValuePair<string, string>[] _fields;
    private int _count;

    /// <summary>Creates an empty set of fields.</summary>
    public HttpHeaders() => _fields = [];

    internal HttpHeaders(int capacity) => _fields = capacity == 0 ? [] : new KeyValuePair<string, string>[capacity];

    /// <summary>How many fields there are (a name that occurs twice counts twice).</summary>
    public int Count => _count;

    /// <summary>The value of the first field named <paramref name="name"/>, or <see langword="null"/> when there is none.
    /// Setting replaces every field of that name by one (or removes them all when set to <see langword="null"/>).</summary>
    /// <param name="name">The field name, in any case.</param>
    /// <exception cref="ArgumentException">Setting a name that is not a token or a value with a control character.</exception>
    public string? this[string name]
    {
        get => TryGetValue(name, out string? value) ? value : null;
        set
        {
            if (value is null)
                Remove(name);
            else
                Set(name, value);
        }
    }

    /// <summary>Adds a field after the others, keeping any existing field of the same name.</summary>
    /// <param name="name">The field name: a token, such as <c>Content-Type</c>.</param>
    /// <param name="value">The field value, without CR, LF, NUL or other control characters except tab.</param>
    /// <returns>These headers, for chaining.</returns>
    /// <exception cref="ArgumentException">The name is not a token or the value has a forbidden character.</exception>
    public HttpHeaders Add(string name, string value)
    {
        HttpSyntax.CheckFieldName(name);
        Append(new(name, HttpSyntax.CheckFieldValue(name, value)));
        return this;
    }

    /// <summary>Replaces every field named <paramref name="name"/> by one with <paramref name="value"/>.</summary>
    /// <param name="name">The field name: a token.</param>
    /// <param name="value">The field value, without CR, LF, NUL or other control characters except tab.</param>
    /// <returns>These headers, for chaining.</returns>
    /// <exception cref="ArgumentException">The name is not a token or the value has a forbidden character.</exception>
    public HttpHeaders Set(string name, string value)
    {
        HttpSyntax.CheckFieldName(name);
        string checkedValue = HttpSyntax.CheckFieldValue(name, value);
        int at = IndexOf(name);
        if (at < 0)
        {
            Append(new(name, checkedValue));
            return this;
        }
        _fields[at] = new(name, checkedValue);
        RemoveFrom(at + 1, name);
        return this;
    }

    /// <summary>Removes every field named <paramref name="name"/>.</summary>
    /// <param name="name">The field name, in any case.</param>
    /// <returns>Whether any field was removed.</returns>
    public bool Remove(string name) => RemoveFrom(0, name);

    /// <summary>Whether a field named <paramref name="name"/> is present.</summary>
    /// <param name="name">The field name, in any case.</param>
    /// <returns><see langword="true"/> when at least one field has that name.</returns>
    public bool Contains(string name) => IndexOf(name) >= 0;

    /// <summary>The value of the first field named <paramref name="name"/>.</summary>
    /// <param name="name">The field name, in any case.</param>
    /// <param name="value">The value, or <see langword="null"/> when there is no such field.</param>
    /// <returns>Whether there is such a field.</returns>
    public bool TryGetValue(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? value)
    {
        int at = IndexOf(name);
        value = at < 0 ? null : _fields[at].Value;
        return at >= 0;
    }

    /// <summary>The values of every field named <paramref name="name"/>, in order (each as received, not split at commas).</summary>
    /// <param name="name">The field name, in any case.</param>
    /// <returns>The values; empty when there is no such field.</returns>
    public IReadOnlyList<string> GetValues(string name)
    {
        List<string>? values = null;
        for (int i = 0; i < _count; i++)
        {
            if (Matches(i, name))
                (values ??= []).Add(_fields[i].Value);
        }
        return values is null ? [] : values;
    }

    /// <summary>Removes every field.</summary>
    public void Clear()
    {
        Array.Clear(_fields, 0, _count);
        _count = 0;
    }

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<string, string>> GetEnumerator()
    {
        for (int i = 0; i < _count; i++)
            yield return _fields[i];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Adds a field that a parser has already checked (name a token, value trimmed and free of control characters).</summary>
    internal void AddChecked(string name, string value) => Append(new(name, value));

    /// <summary>The fields in order, for the serializers: no enumerator is made.</summary>
    internal ReadOnlySpan<KeyValuePair<string, string>> Fields => _fields.AsSpan(0, _count);

    private void Append(KeyValuePair<string, string> field)
    {
        if (_count == _fields.Length)
            Array.Resize(ref _fields, Math.Max(4, _count * 2));
        _fields[_count++] = field;
    }

    /// <summary>Removes every field named <paramref name="name"/> at or after <paramref name="start"/>, keeping the
    /// order of the rest; whether any was removed.</summary>
    private bool RemoveFrom(int start, string name)
    {
        int kept = start;
        for (int i = start; i < _count; i++)
        {
            if (!Matches(i, name))
                _fields[kept++] = _fields[i];
        }
        bool removed = kept < _count;
        Array.Clear(_fields, kept, _count - kept);
        _count = kept;
        return removed;
    }

    private int IndexOf(string name)
    {
        for (int i = 0; i < _count; i++)
        {
            if (Matches(i, name))
                return i;
        }
        return -1;
    }

    private bool Matches(int index, string name) => string.Equals(_fields[index].Key, name, StringComparison.OrdinalIgnoreCase);
}
