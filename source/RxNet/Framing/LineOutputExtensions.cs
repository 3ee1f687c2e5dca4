using System.Buffers;
using RxNet.Framing.Internal;

namespace RxNet;

/// <summary>Writing text lines to a connection: <c>output.WriteLine("text")</c> for one, <c>output.Lines()</c> for an
/// output of lines; UTF-8 and CRLF by default, the delimiter configurable.</summary>
public static class LineOutputExtensions
{
    /// <summary>A connection's output as an output of text lines: each string is sent as UTF-8 followed by CRLF, as
    /// Twisted's <c>LineReceiver.sendLine</c> sends it.</summary>
    /// <param name="output">Where the bytes go, typically <c>connection.Output</c>.</param>
    /// <returns>An output of lines with <paramref name="output"/>'s flow control. A line longer than 16384 bytes
    /// (<see cref="FrameTooLargeException"/>) or holding the delimiter (<see cref="FramingException"/>) aborts the
    /// connection.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="output"/> is null.</exception>
    /// <remarks>The reading side, <see cref="FramingExtensions.Lines(IObservable{ReadOnlyMemory{byte}}, LineOptions?)"/>, accepts LF
    /// and CRLF by default, so the two sides of RxNet agree, and so do Twisted and most internet protocols.</remarks>
    public static IFrameOutput<string> Lines(this IConnectionOutput output) => output.Encode(Utf8LineEncoder.CrLf);

    /// <summary>A connection's output as an output of text lines, each sent as UTF-8 followed by
    /// <see cref="LineOptions.Delimiter"/>.</summary>
    /// <param name="output">Where the bytes go, typically <c>connection.Output</c>.</param>
    /// <param name="options">The delimiter (for example <see cref="LineOptions.Default"/> for a bare LF) and the
    /// longest line, in bytes without the delimiter.</param>
    /// <returns>An output of lines with <paramref name="output"/>'s flow control. A line above the maximum
    /// (<see cref="FrameTooLargeException"/>) or holding the delimiter (<see cref="FramingException"/>) aborts the
    /// connection.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="output"/> or <paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">The options are not valid.</exception>
    public static IFrameOutput<string> Lines(this IConnectionOutput output, LineOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return output.Encode(new Utf8LineEncoder(options));
    }

    /// <summary>Writes one line of text: its UTF-8 bytes followed by CRLF, as Twisted's <c>LineReceiver.sendLine</c>
    /// sends it, in one write.</summary>
    /// <param name="output">Where the bytes go, typically <c>connection.Output</c>.</param>
    /// <param name="line">The text, without a delimiter.</param>
    /// <exception cref="ArgumentNullException"><paramref name="output"/> or <paramref name="line"/> is null.</exception>
    /// <exception cref="FrameTooLargeException">The line is longer than 16384 bytes; nothing is written.</exception>
    /// <exception cref="FramingException">The line contains CRLF; nothing is written.</exception>
    /// <remarks>For many lines, or a source of them, <see cref="Lines(IConnectionOutput)"/> reuses one buffer; here
    /// each call encodes into a buffer of its own, which the output copies.</remarks>
    public static void WriteLine(this IObserver<ReadOnlyMemory<byte>> output, string line) =>
        WriteLine(output, line, Utf8LineEncoder.CrLf);

    /// <summary>Writes one line of text: its UTF-8 bytes followed by <see cref="LineOptions.Delimiter"/>, in one write.</summary>
    /// <param name="output">Where the bytes go, typically <c>connection.Output</c>.</param>
    /// <param name="line">The text, without a delimiter.</param>
    /// <param name="options">The delimiter (for example <see cref="LineOptions.Default"/> for a bare LF) and the
    /// longest line, in bytes without the delimiter.</param>
    /// <exception cref="ArgumentNullException"><paramref name="output"/>, <paramref name="line"/> or
    /// <paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">The options are not valid.</exception>
    /// <exception cref="FrameTooLargeException">The line is above the maximum; nothing is written.</exception>
    /// <exception cref="FramingException">The line contains the delimiter; nothing is written.</exception>
    public static void WriteLine(this IObserver<ReadOnlyMemory<byte>> output, string line, LineOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        WriteLine(output, line, new Utf8LineEncoder(options));
    }

    private static void WriteLine(IObserver<ReadOnlyMemory<byte>> output, string line, Utf8LineEncoder encoder)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(line);
        var buffer = new ArrayBufferWriter<byte>(line.Length + 2);
        encoder.Encode(line, buffer);
        output.OnNext(buffer.WrittenMemory);
    }
}
