using System.Buffers;
using System.Globalization;
using System.Reactive;
using System.Reactive.Linq;
using System.Text;
using Microsoft.Reactive.Testing;

namespace RxNet.Testing;

/// <summary>
/// Recordings of what a connection receives, in Microsoft.Reactive.Testing's vocabulary: every
/// notification with the virtual tick it arrived at, ready for
/// <c>Assert.Equal([OnNext(20_000, "hi"), OnCompleted&lt;string&gt;(20_000)], recorded.Messages)</c>
/// (with <c>using static Microsoft.Reactive.Testing.ReactiveTest;</c>).
/// </summary>
/// <remarks>
/// The <c>Record</c> methods subscribe at once, so recording starts now (not at
/// <see cref="ReactiveTest.Subscribed"/> as <see cref="TestScheduler.Start{T}(Func{IObservable{T}})"/> would) and
/// lasts until the source ends. A connection's input is unicast: record it, or read it otherwise, not both.
/// </remarks>
public static class RecordingExtensions
{
    /// <summary>The default limit of <see cref="ReadAllBytes"/> and <see cref="ReadAllText"/>: 16 MiB.</summary>
    public const int DefaultMaxBytes = 16 * 1024 * 1024;

    /// <summary>Subscribes a new <see cref="TestScheduler.CreateObserver{T}"/> observer to <paramref name="source"/> now.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="source">What to record, for example <c>connection.Closed.Select(c =&gt; c.Reason)</c>.</param>
    /// <param name="scheduler">The scheduler whose clock stamps each notification.</param>
    /// <returns>The recording: its <see cref="ITestableObserver{T}.Messages"/> grow as the scheduler runs.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static ITestableObserver<T> Record<T>(this IObservable<T> source, TestScheduler scheduler)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(scheduler);
        var observer = scheduler.CreateObserver<T>();
        _ = source.Subscribe(observer);
        return observer;
    }

    /// <summary>Records the input as UTF-8 text, one string per chunk received, at the tick it arrived.</summary>
    /// <param name="input">A connection's input.</param>
    /// <param name="scheduler">The scheduler whose clock stamps each notification.</param>
    /// <returns>The recording.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <remarks>A character whose bytes are split across chunks is decoded whole, in the string of the chunk
    /// that completes it (a chunk that completes no character records nothing). Chunk boundaries depend on
    /// the link (<see cref="LinkOptions.MaxSegmentSize"/>); use <see cref="RecordLines"/> to assert on content
    /// that must not depend on them.</remarks>
    public static ITestableObserver<string> RecordText(this IObservable<ReadOnlyMemory<byte>> input, TestScheduler scheduler)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(scheduler);
        return Observable.Defer(() =>
        {
            var decoder = Encoding.UTF8.GetDecoder();
            return input
                .Select(chunk => Decode(decoder, chunk.Span, flush: false))
                .Concat(Observable.Defer(() => Observable.Return(Decode(decoder, [], flush: true))))
                .Where(text => text.Length > 0);
        }).Record(scheduler);
    }

    /// <summary>Records the input as UTF-8 lines, each at the tick its terminator arrived, without the
    /// terminator (<c>\n</c>, or <c>\r\n</c>).</summary>
    /// <param name="input">A connection's input.</param>
    /// <param name="scheduler">The scheduler whose clock stamps each notification.</param>
    /// <returns>The recording.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <remarks>The lines do not depend on how the bytes were chunked. Text after the last terminator is
    /// recorded as a last line when the input completes, so nothing received goes unseen.</remarks>
    public static ITestableObserver<string> RecordLines(this IObservable<ReadOnlyMemory<byte>> input, TestScheduler scheduler)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(scheduler);
        return Observable.Defer(() =>
        {
            var decoder = Encoding.UTF8.GetDecoder();
            var partial = new StringBuilder();
            return input
                .SelectMany(chunk => SplitLines(partial, Decode(decoder, chunk.Span, flush: false)))
                .Concat(Observable.Defer(() =>
                {
                    partial.Append(Decode(decoder, [], flush: true));
                    return partial.Length > 0 ? Observable.Return(partial.ToString()) : Observable.Empty<string>();
                }));
        }).Record(scheduler);
    }

    /// <summary>Everything the input received, as one array, when it completes: one value, then completion.</summary>
    /// <param name="input">A connection's input.</param>
    /// <param name="maxBytes">The most bytes to keep; more fails the result with <see cref="InvalidDataException"/>.</param>
    /// <returns>A cold observable; each subscription subscribes to <paramref name="input"/>. Fails as the input fails.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="input"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxBytes"/> is negative.</exception>
    /// <remarks>Works on real sockets too: <c>byte[] all = await connection.Input.ReadAllBytes();</c>.</remarks>
    public static IObservable<byte[]> ReadAllBytes(this IObservable<ReadOnlyMemory<byte>> input, int maxBytes = DefaultMaxBytes)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentOutOfRangeException.ThrowIfNegative(maxBytes);
        return Observable.Defer(() => input.Aggregate(new ArrayBufferWriter<byte>(), (all, chunk) =>
        {
            if (chunk.Length > maxBytes - all.WrittenCount)
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                    $"The input sent more than the {maxBytes} bytes ReadAll keeps."));
            all.Write(chunk.Span);
            return all;
        }, all => all.WrittenSpan.ToArray()));
    }

    /// <summary>Everything the input received, decoded as UTF-8, when it completes: one value, then completion.</summary>
    /// <param name="input">A connection's input.</param>
    /// <param name="maxBytes">The most bytes to keep; more fails the result with <see cref="InvalidDataException"/>.</param>
    /// <returns>A cold observable; each subscription subscribes to <paramref name="input"/>. Fails as the input fails.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="input"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxBytes"/> is negative.</exception>
    /// <remarks>Works on real sockets too: <c>string reply = await connection.Input.ReadAllText();</c>.</remarks>
    public static IObservable<string> ReadAllText(this IObservable<ReadOnlyMemory<byte>> input, int maxBytes = DefaultMaxBytes) =>
        input.ReadAllBytes(maxBytes).Select(bytes => Encoding.UTF8.GetString(bytes));

    /// <summary>Recorded notifications as text a person can read in a failed assertion: one line each, at
    /// its virtual time in milliseconds since the scheduler started.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="messages">The notifications, for example a recording's
    /// <see cref="ITestableObserver{T}.Messages"/>.</param>
    /// <returns>The lines, each ending with <c>\n</c>, such as <c>+12.5 ms OnNext("hi\n")</c>,
    /// <c>+40 ms OnError(TimeoutException: ...)</c> and <c>+40 ms OnCompleted()</c>; empty for no messages.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="messages"/> is null.</exception>
    /// <remarks>A millisecond is 10,000 ticks, shown with up to four decimals. Values of type
    /// <see cref="ReadOnlyMemory{T}"/>, <see cref="Memory{T}"/> or array of bytes show as quoted text (printable
    /// ASCII as is, <c>\r \n \t \\ \"</c> escaped, other bytes as <c>\xNN</c>, the first 120 bytes only);
    /// strings are quoted and escaped the same way; other values use their invariant-culture
    /// <see cref="object.ToString"/>. Use it as the message of an assertion:
    /// <c>Assert.True(ok, recorded.Messages.ToVirtualTimeString())</c>.</remarks>
    public static string ToVirtualTimeString<T>(this IEnumerable<Recorded<Notification<T>>> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        return Internal.RecordedText.Format(messages);
    }

    private static string Decode(Decoder decoder, ReadOnlySpan<byte> bytes, bool flush)
    {
        var chars = new char[decoder.GetCharCount(bytes, flush)];
        int count = decoder.GetChars(bytes, chars, flush);
        return new string(chars, 0, count);
    }

    private static List<string> SplitLines(StringBuilder partial, string text)
    {
        var lines = new List<string>();
        foreach (char c in text)
        {
            if (c != '\n')
            {
                partial.Append(c);
                continue;
            }
            if (partial.Length > 0 && partial[^1] == '\r')
                partial.Length--;
            lines.Add(partial.ToString());
            partial.Clear();
        }
        return lines;
    }
}
