namespace RxNet.Twisted;

/// <summary>Twisted's <c>Int8StringReceiver</c>: strings after a 1-byte length, so of at most 255 bytes
/// (below <see cref="IntNStringReceiver.MaxLength"/> unless it is lowered).</summary>
/// <remarks>See <see cref="IntNStringReceiver"/>. The same framing without classes:
/// <c>connection.Framed(new LengthFieldCodec(LengthFieldOptions.Int8Prefixed))</c>.</remarks>
public abstract class Int8StringReceiver : IntNStringReceiver
{
    /// <summary>Creates the receiver.</summary>
    protected Int8StringReceiver()
        : base(1)
    {
    }
}
