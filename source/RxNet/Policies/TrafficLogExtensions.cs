using System.Globalization;
using System.Reactive.Linq;
using Microsoft.Extensions.Logging;
using RxNet.Policies.Internal;

namespace RxNet;

/// <summary>
/// Logs every chunk a connection receives and sends, with its direction, size and an escaped preview, and
/// how each direction ends: Twisted's <c>TrafficLoggingFactory</c> (and <c>SpewingFactory</c>) as operators.
/// </summary>
/// <remarks>
/// <para>Entries, in the order they happen (the connection named as in <see cref="TrafficLogOptions.Name"/>):</para>
/// <code>
/// server:8000&lt;-&gt;client:49152 open
/// server:8000&lt;-&gt;client:49152 in 7 bytes "hello\r\n"
/// server:8000&lt;-&gt;client:49152 out 7 bytes "HELLO\r\n"
/// server:8000&lt;-&gt;client:49152 in FIN
/// server:8000&lt;-&gt;client:49152 out FIN
/// server:8000&lt;-&gt;client:49152 closed PeerClose
/// </code>
/// <para>and <c>in failed ConnectionResetException: ...</c> when the input fails, <c>out abort ...</c> when the
/// output is failed, <c>abort</c> on <see cref="IDisposable.Dispose"/>. <c>in</c> is logged when the chunk is
/// delivered to the input's subscriber, <c>out</c> when it is written (before it leaves). A preview shows
/// printable ASCII as is, <c>\r \n \t \\ \"</c> escaped and other bytes as <c>\xNN</c>, cut after
/// <see cref="TrafficLogOptions.PreviewBytes"/> with <c>... (N more bytes)</c>.</para>
/// <para>The logged connection keeps the contract of the one it wraps (same cold, unicast, pausable input;
/// same output with its <c>Writable</c> and <c>PendingBytes</c>). A <see cref="TextWriter"/> is written one
/// whole line at a time under a lock and flushed after each line, as Twisted does.</para>
/// </remarks>
public static class TrafficLogExtensions
{
    /// <summary>The connection, with its traffic logged to <paramref name="logger"/>.</summary>
    /// <param name="connection">The connection; use only the returned one from now on.</param>
    /// <param name="logger">Where entries go, at <see cref="TrafficLogOptions.Level"/> (event ids 1 to 9).</param>
    /// <param name="options">Preview size, level and name; <see cref="TrafficLogOptions.Default"/> when omitted.</param>
    /// <returns>The same connection, logged.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="connection"/> or <paramref name="logger"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static IConnection LogTraffic(this IConnection connection, ILogger logger, TrafficLogOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(logger);
        options = Checked(options);
        return new TrafficLogConnection(connection, new LoggerTrafficSink(logger, options.Level), options, options.Name);
    }

    /// <summary>The connection, with its traffic written to <paramref name="writer"/>, one line per entry.</summary>
    /// <param name="connection">The connection; use only the returned one from now on.</param>
    /// <param name="writer">Where lines go (Twisted's log file); the caller keeps and disposes it.</param>
    /// <param name="options">Preview size, timestamps and name; <see cref="TrafficLogOptions.Default"/> when omitted.</param>
    /// <returns>The same connection, logged.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="connection"/> or <paramref name="writer"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static IConnection LogTraffic(this IConnection connection, TextWriter writer, TrafficLogOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(writer);
        options = Checked(options);
        return new TrafficLogConnection(connection, new WriterTrafficSink(writer, options.Scheduler), options, options.Name);
    }

    /// <summary>Every connection the listener accepts, logged to <paramref name="logger"/> and numbered from 1
    /// (<c>#1 server:8000&lt;-&gt;client:49152 ...</c>), as Twisted's <c>TrafficLoggingFactory</c> numbers them.</summary>
    /// <param name="listener">Accepted connections, typically <c>endpoint.Listen()</c>.</param>
    /// <param name="logger">Where entries go.</param>
    /// <param name="options">Preview size, level and name; <see cref="TrafficLogOptions.Default"/> when omitted.</param>
    /// <returns>The listener's connections, logged. The numbering is shared by all subscriptions of the result.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="listener"/> or <paramref name="logger"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static IObservable<IConnection> LogTraffic(this IObservable<IConnection> listener, ILogger logger, TrafficLogOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(listener);
        ArgumentNullException.ThrowIfNull(logger);
        options = Checked(options);
        return Numbered(listener, new LoggerTrafficSink(logger, options.Level), options);
    }

    /// <summary>Every connection the listener accepts, written to <paramref name="writer"/> and numbered from 1
    /// (<c>#1 server:8000&lt;-&gt;client:49152 ...</c>), as Twisted's <c>TrafficLoggingFactory</c> numbers them.</summary>
    /// <param name="listener">Accepted connections, typically <c>endpoint.Listen()</c>.</param>
    /// <param name="writer">Where lines go; shared by all connections, a whole line at a time.</param>
    /// <param name="options">Preview size, timestamps and name; <see cref="TrafficLogOptions.Default"/> when omitted.</param>
    /// <returns>The listener's connections, logged. The numbering is shared by all subscriptions of the result.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="listener"/> or <paramref name="writer"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static IObservable<IConnection> LogTraffic(this IObservable<IConnection> listener, TextWriter writer, TrafficLogOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(listener);
        ArgumentNullException.ThrowIfNull(writer);
        options = Checked(options);
        return Numbered(listener, new WriterTrafficSink(writer, options.Scheduler), options);
    }

    private static TrafficLogOptions Checked(TrafficLogOptions? options)
    {
        options ??= TrafficLogOptions.Default;
        options.Validate();
        return options;
    }

    /// <summary>Each accepted connection logged to <paramref name="sink"/> under <c>#n</c> and its name.</summary>
    private static IObservable<IConnection> Numbered(IObservable<IConnection> listener, TrafficLogSink sink, TrafficLogOptions options)
    {
        long count = 0;
        return listener.Select(connection =>
        {
            long number = Interlocked.Increment(ref count);
            string name = string.Create(CultureInfo.InvariantCulture, $"#{number} {options.Name ?? TrafficLogConnection.DefaultName(connection)}");
            return new TrafficLogConnection(connection, sink, options, name);
        });
    }
}
