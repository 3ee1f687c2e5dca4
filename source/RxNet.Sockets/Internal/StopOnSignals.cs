using System.Runtime.InteropServices;

namespace RxNet.Sockets.Internal;

/// <summary>Stops a reactor gracefully on SIGINT or SIGTERM, as Twisted's <c>reactor.run()</c> does: the signal's
/// default action (ending the process at once) is cancelled, and the reactor's <c>Stop()</c> runs its shutdown.</summary>
internal sealed class StopOnSignals : IDisposable
{
    private readonly PosixSignalRegistration _interrupt;
    private readonly PosixSignalRegistration _terminate;

    public StopOnSignals(IReactor reactor)
    {
        _interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

        void Stop(PosixSignalContext signal)
        {
            signal.Cancel = true;
            reactor.Stop();
        }
    }

    public void Dispose()
    {
        _interrupt.Dispose();
        _terminate.Dispose();
    }
}
