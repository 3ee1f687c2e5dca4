using System.Buffers;
using System.Buffers.Binary;

namespace RxNet.Http.WebSockets.Internal;

/// <summary>The encoder of <see cref="WebSocketFrameCodec"/>: the shortest length form, and a mask when it has a key
/// source (a client's). It keeps no state, so it is shared.</summary>
internal sealed class WebSocketFrameEncoder : IEncoder<WebSocketFrame>
{
    private readonly Func<int>? _maskKeys;

    public WebSocketFrameEncoder(Func<int>? maskKeys) => _maskKeys = maskKeys;

    public void Encode(WebSocketFrame frame, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var payload = frame.Payload.Span;
        int length = payload.Length;
        int lengthBytes = length switch { < 126 => 0, <= ushort.MaxValue => 2, _ => 8 };
        bool masked = _maskKeys is not null;
        int headerLength = 2 + lengthBytes + (masked ? 4 : 0);
        var header = output.GetSpan(headerLength);
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
        int key = 0;
        if (masked)
        {
            key = _maskKeys!();
            BinaryPrimitives.WriteInt32BigEndian(header[(2 + lengthBytes)..], key);
        }
        output.Advance(headerLength);
        if (!masked)
        {
            output.Write(payload);
            return;
        }
        int done = 0;
        while (done < length)
        {
            var span = output.GetSpan(Math.Min(length - done, 64 * 1024));
            int take = Math.Min(span.Length, length - done);
            WebSocketMask.Apply(payload.Slice(done, take), span, key, done);
            output.Advance(take);
            done += take;
        }
    }
}
