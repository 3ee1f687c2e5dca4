namespace RxNet;

/// <summary>The order of the bytes of a number on the wire.</summary>
public enum ByteOrder
{
    /// <summary>Most significant byte first: network byte order, Twisted's <c>!</c>, Netty's default.</summary>
    BigEndian,

    /// <summary>Least significant byte first.</summary>
    LittleEndian,
}
