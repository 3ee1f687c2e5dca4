using System.Globalization;
using System.Reactive.Concurrency;
using Microsoft.Reactive.Testing;
using RxNet.Twisted;
using static RxNet.Specs.Twisted.TestBasic.StringTransport;

namespace RxNet.Specs.Twisted.TestBasic;

/// <summary>Twisted's <c>LineTester</c>: acts on the tokens pause, rawpause, stop, len N, produce, unproduce; an
/// empty line switches to raw mode; <c>MAX_LENGTH</c> 64, delimiter <c>\n</c>.</summary>
internal sealed class LineTester : LineReceiver
{
    private readonly TestScheduler? _clock;
    private int _length;

    public LineTester(TestScheduler? clock = null)
    {
        _clock = clock;
        Delimiter = B("\n");
        MaxLength = 64;
    }

    public List<string> Received { get; } = [];

    public override void LineReceived(ReadOnlyMemory<byte> bytes)
    {
        string line = S(bytes);
        Received.Add(line);
        if (line.Length == 0)
        {
            SetRawMode();
        }
        else if (line == "pause")
        {
            PauseProducing();
            _clock!.Schedule(TimeSpan.Zero, ResumeProducing); // Twisted's clock.callLater(0, ...)
        }
        else if (line == "rawpause")
        {
            PauseProducing();
            SetRawMode();
            Received.Add(string.Empty);
            _clock!.Schedule(TimeSpan.Zero, ResumeProducing); // Twisted's clock.callLater(0, ...)
        }
        else if (line == "stop")
        {
            StopProducing();
        }
        else if (line.StartsWith("len ", StringComparison.Ordinal))
        {
            _length = int.Parse(line.AsSpan(4), CultureInfo.InvariantCulture);
        }
        else if (line.StartsWith("produce", StringComparison.Ordinal))
        {
            Transport.RegisterProducer(this, streaming: false);
        }
        else if (line.StartsWith("unproduce", StringComparison.Ordinal))
        {
            Transport.UnregisterProducer();
        }
    }

    public override void RawDataReceived(ReadOnlyMemory<byte> data)
    {
        var taken = data[..Math.Min(_length, data.Length)];
        var rest = data[taken.Length..];
        _length -= taken.Length;
        Received[^1] += S(taken);
        if (_length == 0)
            SetLineMode(rest);
    }

    public override void LineLengthExceeded(ReadOnlyMemory<byte> line)
    {
        if (line.Length > MaxLength + 1)
            SetLineMode(line[(MaxLength + 1)..]);
    }
}
