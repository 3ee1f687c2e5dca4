namespace RxNet.Twisted;

/// <summary>Twisted's <c>Int16StringReceiver</c>: strings after a 2-byte big-endian length (at most
/// 65535), received up to <see cref="IntNStringReceiver.MaxLength"/> bytes (99999 by default).</summary>
/// <remarks>See <see cref="IntNStringReceiver"/>. The same framing without classes:
/// <c>connection.Framed(new LengthFieldCodec(LengthFieldOptions.Int16Prefixed))</c>.</remarks>
public abstract class Int16StringReceiver : IntNStringReceiver
{
    /// <summary>Creates the receiver.</summary>
    protected Int16StringReceiver()
        : base(2)
    {
    }
}
