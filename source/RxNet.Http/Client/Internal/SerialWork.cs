namespace RxNet.Http.Client.Internal;

/// <summary>
/// Runs posted work items one at a time, in order, on whichever thread posts while none runs: the state they touch
/// needs no lock, and a callback that posts again (a subscriber that disposes in <c>OnNext</c>) never re-enters.
/// </summary>
/// <typeparam name="T">A work item: a value (a kind and its arguments), so posting allocates nothing.</typeparam>
/// <param name="run">Runs one item.</param>
/// <param name="onFault">Hears what <paramref name="run"/> and <paramref name="idle"/> throw.</param>
/// <param name="idle">Runs when the queue has emptied, before the running thread leaves (work it posts runs then).</param>
internal sealed class SerialWork<T>(Action<T> run, Action<Exception> onFault, Action idle)
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
        bool idled = false;
        while (true)
        {
            T next;
            bool empty;
            lock (_gate)
            {
                empty = !_work.TryDequeue(out next!);
                if (empty && idled)
                {
                    _running = false;
                    return;
                }
            }
            idled = empty;
            try
            {
                if (empty)
                    idle();
                else
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
