namespace RxNet.Twisted;

/// <summary>Twisted's <c>Int32StringReceiver</c>: strings after a 4-byte big-endian length (at most
/// 4294967295), received up to <see cref="IntNStringReceiver.MaxLength"/> bytes (99999 by default).</summary>
/// <remarks>See <see cref="IntNStringReceiver"/>. The same framing without classes:
/// <c>connection.Framed(new LengthFieldCodec(LengthFieldOptions.Int32Prefixed))</c>.</remarks>
public abstract class Int32StringReceiver : IntNStringReceiver
{
    /// <summary>Creates the receiver.</summary>
    protected Int32StringReceiver()
        : base(4)
    {
    }
}
