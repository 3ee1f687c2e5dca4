using System.Buffers;

namespace RxNet.Http;

/// <summary>
/// The bytes an HTTP connection has received and not yet consumed, in one array rented from the shared pool: it grows
/// as needed and goes back to the pool on <see cref="Release"/>, so an idle connection holds none. A mutable struct,
/// kept in a field of its connection and used only on that connection's turn.
/// </summary>
internal struct ReceiveBuffer
{
    private byte[]? _array;
    private int _start;
    private int _end;

    /// <summary>How many bytes are received and not yet consumed.</summary>
    public readonly int Length => _end - _start;

    /// <summary>The unconsumed bytes, for a parser.</summary>
    public readonly ReadOnlySequence<byte> Sequence => Length == 0 ? ReadOnlySequence<byte>.Empty : new(_array!, _start, Length);

    /// <summary>The unconsumed bytes; a view, valid until the next <see cref="Append"/> or <see cref="Release"/>.</summary>
    public readonly ReadOnlyMemory<byte> Memory => _array.AsMemory(_start, Length);

    /// <summary>Adds received bytes at the end, moving what is unconsumed to the front or into a larger array first.</summary>
    public void Append(ReadOnlySpan<byte> chunk)
    {
        if (Length == 0)
            _start = _end = 0;
        byte[] array = _array ?? [];
        if (_end + chunk.Length > array.Length)
        {
            int needed = Length + chunk.Length;
            var target = needed <= array.Length ? array : ArrayPool<byte>.Shared.Rent(Math.Max(needed, Math.Max(4096, array.Length * 2)));
            array.AsSpan(_start, Length).CopyTo(target);
            if (target != array && array.Length > 0)
                ArrayPool<byte>.Shared.Return(array);
            _array = array = target;
            _end = Length;
            _start = 0;
        }
        chunk.CopyTo(array.AsSpan(_end));
        _end += chunk.Length;
    }

    /// <summary>Marks the first <paramref name="count"/> unconsumed bytes as consumed.</summary>
    public void Consume(int count) => _start += count;

    /// <summary>Gives the array back to the pool; nothing may hold a view of it (bodies and unread bytes are copied out).</summary>
    public void Release()
    {
        if (_array is { Length: > 0 } array)
            ArrayPool<byte>.Shared.Return(array);
        _array = null;
        _start = _end = 0;
    }
}
