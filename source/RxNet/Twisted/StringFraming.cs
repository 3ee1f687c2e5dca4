using System.Buffers;
using RxNet.Framing.Internal;

namespace RxNet.Twisted;

/// <summary>
/// What the string receivers share: the bytes of one connection not yet framed, decoded by the codec's
/// decoder as chunks arrive (nothing copied unless a string spans chunks), and a reused buffer to encode
/// into. Protocol events of one connection never overlap, so receiving needs no lock; sending may come
/// from any thread, so it takes one.
/// </summary>
internal sealed class StringFraming
{
    /// <summary>A send buffer grown past this by one large string is let go rather than kept.</summary>
    private const int KeepAtMost = 64 * 1024;

    private readonly ChunkBuffer _received = new();
    private readonly Lock _sendGate = new();
    private ArrayBufferWriter<byte>? _sendBuffer;

    /// <summary>Whether decoding has stopped for good (the stream broke its framing).</summary>
    public bool Stopped { get; private set; }

    /// <summary>Adds <paramref name="data"/> and hands each whole string to <paramref name="receiver"/>,
    /// asking it for the decoder before each one (so a changed maximum applies to the next string).</summary>
    /// <returns>The error that stopped decoding, or <see langword="null"/>; after an error, later data is ignored,
    /// and the bytes from the broken frame on stay in <see cref="Remaining"/> until <see cref="Clear"/>.</returns>
    public FramingException? Receive(ReadOnlyMemory<byte> data, IStringReceiver receiver)
    {
        if (Stopped)
            return null;
        _received.Append(data);
        ref var bytes = ref _received.Bytes;
        while (!bytes.IsEmpty && !receiver.Paused)
        {
            ReadOnlyMemory<byte> frame;
            var before = bytes;
            try
            {
                if (!receiver.Decoder.TryDecode(ref bytes, out frame))
                    break;
            }
            catch (FramingException e)
            {
                Stopped = true;
                bytes = before; // for the error's handler to read (Twisted's recvd)
                return e;
            }
            receiver.Deliver(frame);
            if (Stopped)
                break;
        }
        return null;
    }

    /// <summary>The bytes received and not yet delivered (Twisted's <c>recvd</c>): during a delivery, those after
    /// the string being delivered. One piece, copied only if it spans chunks.</summary>
    public ReadOnlyMemory<byte> Remaining
    {
        get
        {
            var bytes = _received.Bytes;
            return bytes.IsSingleSegment ? bytes.First : bytes.ToArray();
        }
    }

    /// <summary>Replaces the bytes not yet delivered with a copy of <paramref name="bytes"/>: during a delivery,
    /// decoding goes on from them.</summary>
    public void Replace(ReadOnlyMemory<byte> bytes) =>
        _received.Bytes = bytes.IsEmpty ? ReadOnlySequence<byte>.Empty : new ReadOnlySequence<byte>(bytes.ToArray());

    /// <summary>Drops the bytes not yet delivered.</summary>
    public void Clear() => _received.Bytes = ReadOnlySequence<byte>.Empty;

    /// <summary>Encodes <paramref name="data"/> and writes it to <paramref name="transport"/> as one write.</summary>
    public void Send(ReadOnlyMemory<byte> data, IEncoder<ReadOnlyMemory<byte>> encoder, ITransport transport)
    {
        lock (_sendGate)
        {
            var buffer = _sendBuffer ??= new ArrayBufferWriter<byte>(256);
            buffer.ResetWrittenCount();
            encoder.Encode(data, buffer);
            transport.Write(buffer.WrittenMemory);
            if (buffer.Capacity > KeepAtMost)
                _sendBuffer = null;
        }
    }
}

/// <summary>A protocol that <see cref="StringFraming"/> feeds.</summary>
internal interface IStringReceiver
{
    /// <summary>Whether delivery is paused (Twisted's <c>paused</c>): the bytes wait in the buffer.</summary>
    bool Paused { get; }

    /// <summary>The decoder for the next string.</summary>
    IDecoder<ReadOnlyMemory<byte>> Decoder { get; }

    /// <summary>Hands a string to the protocol.</summary>
    void Deliver(ReadOnlyMemory<byte> data);
}
