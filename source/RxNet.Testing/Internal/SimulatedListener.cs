namespace RxNet.Testing.Internal;

/// <summary>A bound port of a simulated host: hands accepted connections to the listener's observer.</summary>
internal sealed class SimulatedListener(IObserver<IConnection> observer)
{
    public void Accept(SimulatedConnection connection)
    {
        try
        {
            observer.OnNext(connection);
        }
        catch (Exception e)
        {
            connection.Fail(e); // the subscriber threw: abort that connection, keep listening
        }
    }
}
