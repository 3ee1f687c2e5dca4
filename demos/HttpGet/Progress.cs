namespace HttpGetDemo;

/// <summary>A progress line on a terminal for a large body: bytes so far (and of how many, when the length is known),
/// redrawn in place every 1% or 256 KiB, counted in bytes rather than time so it needs no clock.</summary>
internal sealed class Progress
{
    /// <summary>Bodies above this length, or unknown ones once they pass it, show progress.</summary>
    private const long Large = 1024 * 1024;

    private readonly TextWriter _terminal;
    private readonly long? _total;
    private readonly long _step;
    private long _received;
    private long _shownAt;
    private bool _shown;

    private Progress(TextWriter terminal, long? total) =>
        (_terminal, _total, _step) = (terminal, total, Math.Max(256 * 1024, (total ?? 0) / 100));

    /// <summary>A progress line for <paramref name="response"/>'s body, or null when stderr is not a terminal or the
    /// body is known to be small.</summary>
    public static Progress? For(RxNet.Http.HttpResponse response, TextWriter terminal) =>
        Console.IsErrorRedirected || response.ContentLength is <= Large ? null : new Progress(terminal, response.ContentLength);

    public void Advance(int bytes)
    {
        _received += bytes;
        if (_received >= Large && _received - _shownAt >= _step)
            Show();
    }

    public void Finish()
    {
        if (_shown)
        {
            Show();
            _terminal.WriteLine();
        }
    }

    private void Show()
    {
        _shownAt = _received;
        _shown = true;
        _terminal.Write(_total is long total
            ? $"\r{_received / 1024:N0} of {total / 1024:N0} KiB ({100 * _received / Math.Max(1, total)}%)"
            : $"\r{_received / 1024:N0} KiB");
    }
}
