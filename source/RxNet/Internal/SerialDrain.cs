namespace RxNet.Internal;

/// <summary>
/// Lets one thread at a time drain an owner's queue: a thread that asks while another drains leaves its work to that
/// one, which goes round once more. What is queued stays under the owner's lock; the steps run outside it, so a
/// subscriber called from a step may call back in (a new chunk, a new read, a demand change) without deadlock or
/// reordering.
/// </summary>
/// <param name="gate">The owner's lock, which guards the queue and this drain's state.</param>
internal sealed class SerialDrain(Lock gate)
{
    private bool _draining;
    private bool _again;
    private int _thread;

    /// <summary>Whether another thread is draining now (not this one, calling back in from a step). Read under the
    /// owner's lock.</summary>
    public bool IsOnOtherThread => _draining && _thread != Environment.CurrentManagedThreadId;

    /// <summary>Runs <paramref name="step"/> until it returns <see langword="false"/>, unless another thread (or this
    /// one, further up the stack) drains already: then that one goes round once more, and this call returns.</summary>
    /// <remarks>A step that finds nothing to do calls <see cref="TryLeave"/> under the owner's lock and returns
    /// <see langword="false"/> when it left. A step that returns <see langword="false"/> without leaving ends draining
    /// for good (its owner is finished). An exception from a step leaves the drain and goes back to the caller, whose
    /// chunk or value it was.</remarks>
    public void Run<TOwner>(TOwner owner, Func<TOwner, bool> step)
    {
        lock (gate)
        {
            if (_draining)
            {
                _again = true;
                return;
            }
            (_draining, _again, _thread) = (true, false, Environment.CurrentManagedThreadId);
        }
        try
        {
            while (step(owner))
            {
            }
        }
        catch
        {
            lock (gate)
                _draining = false;
            throw;
        }
    }

    /// <summary>Called under the owner's lock by a step that found nothing (more) to do: leaves the drain, unless a
    /// call came in meanwhile or <paramref name="nothingLeft"/> is false, when the step must go round once more.</summary>
    /// <param name="nothingLeft">Whether the owner's queue is empty as far as the step can tell.</param>
    /// <returns>Whether the drain was left.</returns>
    public bool TryLeave(bool nothingLeft = true)
    {
        if (_again || !nothingLeft)
        {
            _again = false;
            return false;
        }
        _draining = false;
        return true;
    }
}
