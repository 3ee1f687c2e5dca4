using System.Buffers;

namespace RxNet.Http;

/// <summary>
/// The bytes an HTTP connection has received and not yet consumed. A chunk that arrives while nothing is held is used
/// where it is (<see cref="Append(ReadOnlyMemory{byte})"/>): input chunks are their subscriber's to keep, so body bytes
/// cut from it are handed on without a copy (<see cref="Keep"/>). What is left of it when the chunk's turn ends, and
/// everything that arrives behind held bytes, goes into one array rented from the shared pool (<see cref="Settle"/>),
/// so a connection never holds a transport's buffer between turns; the array grows as needed and goes back to the
/// pool on <see cref="Release"/>, so an idle connection holds none. A mutable struct, kept in a field of its
/// connection and used only on that connection's turn.
/// </summary>
internal struct ReceiveBuffer
{
    private ReadOnlyMemory<byte> _chunk; // the unconsumed rest of a received chunk, used in place; empty when not
    private byte[]? _array;
    private int _start;
    private int _end;

    /// <summary>How many bytes are received and not yet consumed.</summary>
    public readonly int Length => _chunk.IsEmpty ? _end - _start : _chunk.Length;

    /// <summary>The unconsumed bytes, for a parser.</summary>
    public readonly ReadOnlySequence<byte> Sequence => Length == 0 ? ReadOnlySequence<byte>.Empty : new(Memory);

    /// <summary>The unconsumed bytes; a view, valid until the next <see cref="Append(ReadOnlySpan{byte})"/>,
    /// <see cref="Settle"/> or <see cref="Release"/>.</summary>
    public readonly ReadOnlyMemory<byte> Memory => _chunk.IsEmpty ? _array.AsMemory(_start, _end - _start) : _chunk;

    /// <summary>Adds a received chunk, which its sender will not change (an input's chunk): used in place when nothing
    /// is held, else copied behind what is.</summary>
    public void Append(ReadOnlyMemory<byte> chunk)
    {
        if (Length == 0)
            _chunk = chunk;
        else
            Append(chunk.Span);
    }

    /// <summary>Adds received bytes at the end, moving what is unconsumed to the front or into a larger array first.</summary>
    public void Append(ReadOnlySpan<byte> chunk)
    {
        Settle();
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
    public void Consume(int count)
    {
        if (_chunk.IsEmpty)
            _start += count;
        else
            _chunk = _chunk[count..];
    }

    /// <summary>A view of the unconsumed bytes (from <see cref="Memory"/> or <see cref="Sequence"/>) made the caller's
    /// to keep: the view itself when it is part of a received chunk, else a copy.</summary>
    public readonly ReadOnlyMemory<byte> Keep(ReadOnlyMemory<byte> view) => view.IsEmpty || !_chunk.IsEmpty ? view : view.ToArray();

    /// <summary>The end of a chunk's turn: what is left of a chunk used in place is copied into the rented array, so
    /// nothing outside the connection is held.</summary>
    public void Settle()
    {
        if (_chunk.IsEmpty)
            return;
        var rest = _chunk;
        _chunk = default;
        _start = _end = 0;
        Append(rest.Span);
    }

    /// <summary>Gives the array back to the pool; nothing may hold a view of it (bodies and unread bytes are copied out).</summary>
    public void Release()
    {
        if (_array is { Length: > 0 } array)
            ArrayPool<byte>.Shared.Return(array);
        _array = null;
        _chunk = default;
        _start = _end = 0;
    }
}
