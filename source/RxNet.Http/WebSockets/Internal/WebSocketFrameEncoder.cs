using System.Buffers;
using System.Buffers.Binary;

namespace RxNet.Http.WebSockets.Internal;

/// <summary>The encoder of <see cref="WebSocketFrameCodec"/>: the shortest length form, and a mask when it has a key
/// source (a client's). It keeps no state, so it is shared.</summary>
internal sealed class WebSocketFrameEncoder : IEncoder<WebSocketFrame>
{
    private const int MaxHeaderLength = 14;

    /// <summary>Payloads up to this go out in one write with their header; longer ones are written apart from it, so a
    /// large frame is neither copied nor makes a large buffer.</summary>
    private const int CopyAtMost = 8 * 1024;

    private readonly Func<int>? _maskKeys;

    public WebSocketFrameEncoder(Func<int>? maskKeys) => _maskKeys = maskKeys;

    public void Encode(WebSocketFrame frame, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        int key = _maskKeys?.Invoke() ?? 0;
        output.Advance(WriteHeader(frame, output.GetSpan(MaxHeaderLength), _maskKeys is not null, key));
        WritePayload(frame.Payload.Span, output, _maskKeys is not null, key, 0);
    }

    /// <summary>Writes <paramref name="frame"/> to <paramref name="output"/> with no buffer of the socket's own: a small
    /// frame is one write from a per-thread scratch buffer (outputs copy what they are given), a large one its header
    /// then its payload as it is (masked a piece at a time).</summary>
    public void Write(in WebSocketFrame frame, IObserver<ReadOnlyMemory<byte>> output)
    {
        int key = _maskKeys?.Invoke() ?? 0;
        bool masked = _maskKeys is not null;
        var payload = frame.Payload;
        var scratch = ScratchWriter.Rent();
        try
        {
            scratch.Advance(WriteHeader(frame, scratch.GetSpan(MaxHeaderLength), masked, key));
            if (payload.Length <= CopyAtMost)
            {
                WritePayload(payload.Span, scratch, masked, key, 0);
                output.OnNext(scratch.WrittenMemory);
                return;
            }
            output.OnNext(scratch.WrittenMemory);
            if (!masked)
            {
                output.OnNext(payload);
                return;
            }
            for (int done = 0; done < payload.Length; done += CopyAtMost)
            {
                scratch.ResetWrittenCount();
                WritePayload(payload.Span.Slice(done, Math.Min(CopyAtMost, payload.Length - done)), scratch, masked, key, done);
                output.OnNext(scratch.WrittenMemory);
            }
        }
        finally
        {
            ScratchWriter.Return(scratch);
        }
    }

    private static int WriteHeader(in WebSocketFrame frame, Span<byte> header, bool masked, int key)
    {
        int length = frame.Payload.Length;
        int lengthBytes = length switch { < 126 => 0, <= ushort.MaxValue => 2, _ => 8 };
        header[0] = (byte)((frame.IsFinal ? 0x80 : 0) | (frame.Compressed ? 0x40 : 0) | (int)frame.Opcode);
        byte maskBit = masked ? (byte)0x80 : (byte)0;
        switch (lengthBytes)
        {
            case 0:
                header[1] = (byte)(maskBit | length);
                break;
            case 2:
                header[1] = (byte)(maskBit | 126);
                BinaryPrimitives.WriteUInt16BigEndian(header[2..], (ushort)length);
                break;
            default:
                header[1] = (byte)(maskBit | 127);
                BinaryPrimitives.WriteUInt64BigEndian(header[2..], (ulong)length);
                break;
        }
        if (!masked)
            return 2 + lengthBytes;
        BinaryPrimitives.WriteInt32BigEndian(header[(2 + lengthBytes)..], key);
        return 2 + lengthBytes + 4;
    }

    private static void WritePayload(ReadOnlySpan<byte> payload, IBufferWriter<byte> output, bool masked, int key, int offset)
    {
        if (!masked)
        {
            output.Write(payload);
            return;
        }
        int done = 0;
        while (done < payload.Length)
        {
            var span = output.GetSpan(Math.Min(payload.Length - done, 64 * 1024));
            int take = Math.Min(span.Length, payload.Length - done);
            WebSocketMask.Apply(payload.Slice(done, take), span, key, offset + done);
            output.Advance(take);
            done += take;
        }
    }
}
