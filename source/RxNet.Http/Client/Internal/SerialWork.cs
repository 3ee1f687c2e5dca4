namespace RxNet.Http.Client.Internal;

/// <summary>
/// Runs posted work items one at a time, in order, on whichever thread posts while none runs: the state they touch
/// needs no lock, and a callback that posts again (a subscriber that disposes in <c>OnNext</c>) never re-enters.
/// </summary>
/// <typeparam name="T">A work item: a value (a kind and its arguments), so posting allocates nothing.</typeparam>
/// <param name="run">Runs one item.</param>
/// <param name="onFault">Hears what <paramref name="run"/> throws.</param>
internal sealed class SerialWork<T>(Action<T> run, Action<Exception> onFault)
{
    private readonly Lock _gate = new();
    private readonly Queue<T> _work = new();
    private bool _running;

    public void Post(T work)
    {
        lock (_gate)
        {
            _work.Enqueue(work);
            if (_running)
                return;
            _running = true;
        }
        while (true)
        {
            T next;
            lock (_gate)
            {
                if (!_work.TryDequeue(out next!))
                {
                    _running = false;
                    return;
                }
            }
            try
            {
                run(next);
            }
#pragma warning disable CA1031 // a fault in one connection's work ends that connection, never the caller's thread
            catch (Exception e)
#pragma warning restore CA1031
            {
                onFault(e);
            }
        }
    }
}
