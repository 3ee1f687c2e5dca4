namespace RxNet.Twisted;

/// <summary>A client connection in the making (Twisted's <c>IConnector</c>).</summary>
public interface IConnector
{
    /// <summary>Where it connects, as an endpoint string.</summary>
    string Destination { get; }

    /// <summary>Starts a new attempt (after a failure or a lost connection).</summary>
    void Connect();

    /// <summary>Cancels the attempt under way, if any.</summary>
    void StopConnecting();

    /// <summary>Closes the current connection, if any (like <see cref="ITransport.LoseConnection"/>).</summary>
    void Disconnect();
}
