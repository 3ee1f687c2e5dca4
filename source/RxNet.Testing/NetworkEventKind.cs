namespace RxNet.Testing;

/// <summary>What a <see cref="NetworkEvent"/> of the simulated network's trace records.</summary>
public enum NetworkEventKind
{
    /// <summary>A connection was established (client to server).</summary>
    Connect,

    /// <summary>A connection attempt was refused: nobody listens at the address.</summary>
    Refused,

    /// <summary>A connection attempt timed out, for example across a partition.</summary>
    Timeout,

    /// <summary>A data segment arrived at its receiver.</summary>
    Data,

    /// <summary>A FIN (the sender finished sending) arrived.</summary>
    Fin,

    /// <summary>A reset arrived, or the network reset the connection.</summary>
    Reset,
}
