namespace RxNet.Http.Client.Internal;

/// <summary>
/// Runs posted actions one at a time, in order, on whichever thread posts while none runs: the state they touch
/// needs no lock, and a callback that posts again (a subscriber that disposes in <c>OnNext</c>) never re-enters.
/// </summary>
internal sealed class SerialWork(Action<Exception> onFault)
{
    private readonly Lock _gate = new();
    private readonly Queue<Action> _work = new();
    private bool _running;

    public void Post(Action work)
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
            Action next;
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
                next();
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
