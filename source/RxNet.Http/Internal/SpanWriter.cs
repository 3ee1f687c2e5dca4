using System.Buffers.Text;
using System.Text;

namespace RxNet.Http;

/// <summary>Writes ASCII and Latin-1 text into a span the caller sized: the serializers size a head, then fill it in one go.</summary>
internal ref struct SpanWriter(Span<byte> span)
{
    private readonly Span<byte> _span = span;

    /// <summary>How many bytes have been written.</summary>
    public int Written { get; private set; }

    /// <summary>How many decimal digits <paramref name="value"/> has.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="value"/> is negative (a length never is).</exception>
    public static int DecimalLength(long value)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value);
        int digits = 1;
        for (; value >= 10; value /= 10)
            digits++;
        return digits;
    }

    public void Write(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(_span[Written..]);
        Written += bytes.Length;
    }

    public void Write(string text) => Written += Encoding.Latin1.GetBytes(text, _span[Written..]);

    public void WriteDecimal(long value)
    {
        if (!Utf8Formatter.TryFormat(value, _span[Written..], out int written))
            throw new InvalidOperationException("The span was sized too small for a number.");
        Written += written;
    }

    /// <summary>A field line: <c>name ": " value CRLF</c>.</summary>
    public void WriteField(string name, string value)
    {
        Write(name);
        Write(": "u8);
        Write(value);
        Write("\r\n"u8);
    }

    /// <summary>The length of <see cref="WriteField"/>'s output.</summary>
    public static int FieldLength(string name, string value) => name.Length + value.Length + 4;

    /// <summary>The length of <see cref="WriteFields"/>'s output.</summary>
    public static int FieldsLength(HttpHeaders headers)
    {
        int length = 0;
        foreach (var (name, value) in headers.Fields)
            length += FieldLength(name, value);
        return length;
    }

    /// <summary>Every field line of <paramref name="headers"/>, in order.</summary>
    public void WriteFields(HttpHeaders headers)
    {
        foreach (var (name, value) in headers.Fields)
            WriteField(name, value);
    }

    /// <summary>The length of <see cref="WriteFraming"/>'s output.</summary>
    public static int FramingLength(bool chunked, long? contentLength) =>
        (chunked ? "Transfer-Encoding: chunked\r\n".Length : 0)
        + (contentLength is long n ? "Content-Length: \r\n".Length + DecimalLength(n) : 0);

    /// <summary><c>Transfer-Encoding: chunked</c> when <paramref name="chunked"/>, then <c>Content-Length</c> when a length is given.</summary>
    public void WriteFraming(bool chunked, long? contentLength)
    {
        if (chunked)
            Write("Transfer-Encoding: chunked\r\n"u8);
        if (contentLength is long n)
        {
            Write("Content-Length: "u8);
            WriteDecimal(n);
            Write("\r\n"u8);
        }
    }
}
