namespace RxNet.Http.Specs.WebSockets.Interop;

/// <summary>Values that arrive from other threads (the ends of sockets, a peer's lines), and a wait for the first
/// few of them bounded by <see cref="Server.PeerRun.Bound"/>: a peer may be done before its partner has seen the end.</summary>
internal sealed class Arrivals<T>
{
    private readonly List<T> _values = [];
    private readonly List<(int Count, TaskCompletionSource<T[]> Done)> _waiters = [];

    public void Add(T value)
    {
        lock (_values)
        {
            _values.Add(value);
            foreach (var waiter in _waiters.Where(w => w.Count == _values.Count).ToList())
            {
                waiter.Done.SetResult([.. _values]);
                _waiters.Remove(waiter);
            }
        }
    }

    /// <summary>The first <paramref name="count"/> values, once that many have arrived.</summary>
    public Task<T[]> FirstAsync(int count)
    {
        var done = new TaskCompletionSource<T[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_values)
        {
            if (_values.Count >= count)
                return Task.FromResult(_values.Take(count).ToArray());
            _waiters.Add((count, done));
        }
        return done.Task.WaitAsync(Server.PeerRun.Bound, TestContext.Current.CancellationToken);
    }
}
