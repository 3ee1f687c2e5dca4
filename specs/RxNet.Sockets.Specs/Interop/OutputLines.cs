using System.Text;

namespace RxNet.Sockets.Specs.Interop;

/// <summary>What a peer process printed on one stream, line by line, and waits for a line to come: the part
/// every peer driver of these specs (Twisted, openssl, nc) shares.</summary>
internal sealed class OutputLines
{
    private readonly StringBuilder _text = new();
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Line)> _waiters = [];

    /// <summary>Everything printed so far.</summary>
    public override string ToString()
    {
        lock (_text)
            return _text.ToString();
    }

    /// <summary>Adds a printed line and completes the waits it matches.</summary>
    public void Add(string line)
    {
        List<TaskCompletionSource<string>> matched = [];
        lock (_text)
        {
            _text.AppendLine(line);
            for (int i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Match(line))
                {
                    matched.Add(_waiters[i].Line);
                    _waiters.RemoveAt(i);
                }
            }
        }
        foreach (var waiter in matched)
            waiter.TrySetResult(line); // outside the lock: continuations run asynchronously anyway
    }

    /// <summary>The first line that <paramref name="match"/> accepts: one printed already, or the next to come.</summary>
    public Task<string> FirstAsync(Func<string, bool> match)
    {
        var waiter = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_text)
        {
            string? seen = _text.ToString().Split('\n').Select(l => l.TrimEnd('\r')).FirstOrDefault(match);
            if (seen is not null)
                waiter.SetResult(seen);
            else
                _waiters.Add((match, waiter));
        }
        return waiter.Task;
    }
}
