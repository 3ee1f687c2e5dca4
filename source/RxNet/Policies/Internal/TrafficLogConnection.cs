using System.Globalization;
using System.Net;
using System.Text;

namespace RxNet.Policies.Internal;

/// <summary>A connection whose traffic and lifecycle are written to a <see cref="TrafficLogSink"/>
/// (see <see cref="TrafficLogExtensions"/>).</summary>
internal sealed class TrafficLogConnection : IConnection, ITrafficTap
{
    private readonly IConnection _inner;
    private readonly TrafficTapOutput _output;
    private readonly TrafficLogSink _sink;
    private readonly int _previewBytes;
    private readonly string _name;
    private int _disposed;

    public TrafficLogConnection(IConnection inner, TrafficLogSink sink, TrafficLogOptions options, string? name)
    {
        _inner = inner;
        _sink = sink;
        _previewBytes = options.PreviewBytes;
        _name = name ?? DefaultName(inner);
        Input = new TrafficTapInput(inner.Input, this);
        _output = new TrafficTapOutput(inner.Output, this);
        if (_sink.IsEnabled)
            _sink.Opened(_name);
        _inner.Closed.Subscribe(closed =>
        {
            _output.Finish();
            if (_sink.IsEnabled)
                _sink.Closed(_name, closed.ToString());
        });
    }

    public IConnectionInput Input { get; }

    public IConnectionOutput Output => _output;

    public EndPoint? LocalEndPoint => _inner.LocalEndPoint;

    public EndPoint? RemoteEndPoint => _inner.RemoteEndPoint;

    public IObservable<ConnectionClosed> Closed => _inner.Closed;

    /// <summary><c>local&lt;-&gt;remote</c>, with host names and IP addresses as <c>host:port</c>.</summary>
    public static string DefaultName(IConnection connection) =>
        $"{Format(connection.LocalEndPoint)}<->{Format(connection.RemoteEndPoint)}";

    /// <summary>Up to <paramref name="max"/> bytes as quoted, escaped text, with what was cut left as a count.</summary>
    public static string Preview(ReadOnlySpan<byte> bytes, int max)
    {
        if (max == 0)
            return "";
        int shown = Math.Min(bytes.Length, max);
        var text = new StringBuilder(shown + 8).Append('"');
        foreach (byte b in bytes[..shown])
        {
            switch (b)
            {
                case (byte)'\r': text.Append("\\r"); break;
                case (byte)'\n': text.Append("\\n"); break;
                case (byte)'\t': text.Append("\\t"); break;
                case (byte)'\\': text.Append("\\\\"); break;
                case (byte)'"': text.Append("\\\""); break;
                case >= 0x20 and < 0x7F: text.Append((char)b); break;
                default: text.Append(CultureInfo.InvariantCulture, $"\\x{b:x2}"); break;
            }
        }
        text.Append('"');
        if (bytes.Length > shown)
            text.Append(CultureInfo.InvariantCulture, $"... ({bytes.Length - shown} more bytes)");
        return text.ToString();
    }

    public void Close() => _inner.Close();

    public void Dispose()
    {
        _output.Finish();
        if (Interlocked.Exchange(ref _disposed, 1) == 0 && _sink.IsEnabled)
            _sink.Disposed(_name);
        _inner.Dispose();
    }

    public override string ToString() => _inner.ToString() ?? _name;

    void ITrafficTap.Received(ReadOnlyMemory<byte> chunk)
    {
        if (_sink.IsEnabled)
            _sink.Received(_name, chunk.Length, Preview(chunk.Span, _previewBytes));
    }

    void ITrafficTap.Sending(ReadOnlyMemory<byte> chunk)
    {
        if (_sink.IsEnabled)
            _sink.Sent(_name, chunk.Length, Preview(chunk.Span, _previewBytes));
    }

    void ITrafficTap.InputCompleted()
    {
        if (_sink.IsEnabled)
            _sink.InputCompleted(_name);
    }

    Exception ITrafficTap.InputFailed(Exception error)
    {
        if (_sink.IsEnabled)
            _sink.InputFailed(_name, $"{error.GetType().Name}: {error.Message}");
        return error;
    }

    void ITrafficTap.OutputCompleted()
    {
        if (_sink.IsEnabled)
            _sink.OutputCompleted(_name);
    }

    void ITrafficTap.OutputFailed(Exception error)
    {
        if (_sink.IsEnabled)
            _sink.OutputFailed(_name, $"{error.GetType().Name}: {error.Message}");
    }

    private static string Format(EndPoint? endPoint) => endPoint switch
    {
        null => "?",
        DnsEndPoint dns => string.Create(CultureInfo.InvariantCulture, $"{dns.Host}:{dns.Port}"),
        _ => endPoint.ToString() ?? "?",
    };
}
