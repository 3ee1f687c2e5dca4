namespace RxNet.Testing;

/// <summary>What a <see cref="NetworkEvent"/> of the simulated network's trace records.</summary>
public enum NetworkEventKind
{
    /// <summary>A connection was established (client to server).</summary>
    Connect,

    /// <summary>A connection attempt was refused: nobody listens at the address; or a connected datagram
    /// socket heard that its peer's port is closed (an ICMP port-unreachable, from the peer to the socket).</summary>
    Refused,

    /// <summary>A connection attempt timed out, for example across a partition.</summary>
    Timeout,

    /// <summary>A data segment arrived at its receiver.</summary>
    Data,

    /// <summary>A FIN (the sender finished sending) arrived.</summary>
    Fin,

    /// <summary>A reset arrived, or the network reset the connection.</summary>
    Reset,

    /// <summary>A datagram arrived at a bound socket.</summary>
    Datagram,

    /// <summary>A datagram was lost: by the link's <see cref="LinkOptions.Loss"/>, at a partition, or
    /// because the receiver's buffer was full. Or a stream's data segment was lost by the link's
    /// <see cref="LinkOptions.Loss"/> when it would have arrived: its <see cref="NetworkEventKind.Data"/>
    /// event follows one <see cref="LinkOptions.RetransmissionTimeout"/> later.</summary>
    Lost,

    /// <summary>A datagram reached a port nobody is bound to, and was dropped.</summary>
    Unreachable,

    /// <summary><see cref="SimulatedNetwork.Partition"/> cut two hosts apart; <see cref="NetworkEvent.From"/>
    /// and <see cref="NetworkEvent.To"/> are the host names, as given.</summary>
    Partitioned,

    /// <summary><see cref="SimulatedNetwork.Heal"/> reconnected two partitioned hosts; <see cref="NetworkEvent.From"/>
    /// and <see cref="NetworkEvent.To"/> are the host names, as given.</summary>
    Healed,
}
