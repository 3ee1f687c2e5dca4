using System.Buffers;
using RxNet.Sockets.Internal;
using RxNet.Transport;

namespace RxNet.Sockets.Tls.Internal;

/// <summary>
/// The read step of a TLS connection (its <see cref="IInputReader"/>): one read of plain text from the SslStream,
/// inside the stream's lease and holding the session gate (except while parked in <see cref="ConnectionStream"/>
/// waiting for ciphertext). While nobody reads, the stream's bounded queue fills and pauses the connection underneath.
/// </summary>
/// <remarks>Each read first waits with a zero-byte read, so an idle connection holds no decryption buffer of its own;
/// a chunk is copied out of a pooled buffer into an array of its own, which the subscriber keeps.</remarks>
internal sealed partial class TlsConnection : IInputReader
{
    /// <summary>The largest chunk delivered, and the size of the output's segments: one TLS record's worth.</summary>
    public const int RecordSize = 16 * 1024;

    bool IInputReader.PausedByOutput => _output.PausesInput;

    void IInputReader.Read(TransportInput input) => _ = ReadAsync();

    void IInputReader.ScheduleRun(TransportInput input) => _dispatch.Post(input);

    void IInputReader.Ending(Exception? error) => _lifetime.InputEnding(error);

    void IInputReader.Ended(Exception? error)
    {
        Volatile.Write(ref _inputEnded, true);
        _lifetime.InputEnded(error);
        if (_lifetime.IsReleased)
            _ssl.Release(); // closed underneath first: the session was kept for this input
    }

    void IInputReader.SubscriberThrew(Exception error)
    {
        Log.SubscriberThrew(Logger, error, this);
        Fail(error);
    }

    /// <summary>Reads once and answers the input; never throws (the answer carries the error).</summary>
    private async Task ReadAsync()
    {
        if (!_ssl.TryEnter())
        {
            // The session is gone (a reset underneath freed it): report what ended the connection underneath.
            _input.End(Fault(SessionClosed()));
            return;
        }
        ReadOnlyMemory<byte> chunk = default;
        Exception? error = null;
        try
        {
            await _ssl.Gate.EnterReadAsync().ConfigureAwait(false);
            try
            {
                await _ssl.Stream.ReadAsync(Memory<byte>.Empty).ConfigureAwait(false); // wait for data with no buffer
                byte[] buffer = ArrayPool<byte>.Shared.Rent(RecordSize);
                try
                {
                    int n = await _ssl.Stream.ReadAsync(buffer.AsMemory(0, RecordSize)).ConfigureAwait(false);
                    chunk = n == 0 ? default : buffer.AsSpan(0, n).ToArray();
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }
            finally
            {
                _ssl.Gate.ExitRead();
            }
        }
        catch (Exception e)
        {
            error = ReadFault(e);
        }
        finally
        {
            _ssl.Exit(); // before answering: the answer may run the subscriber, which may end the connection
        }
        if (error is not null)
            _input.End(error);
        else if (chunk.IsEmpty)
            _input.End(null);
        else
            _input.Receive(chunk);
    }

    /// <summary>The error a failed read ends the input with: the connection underneath's own error (a reset stays a
    /// <see cref="ConnectionResetException"/>), else an <see cref="IOException"/> naming the TLS layer.</summary>
    private Exception ReadFault(Exception error)
    {
        var fault = Fault(error);
        return !ReferenceEquals(fault, error) || error is IOException ? fault : new IOException($"TLS on {_inner} failed: {error.Message}", error);
    }
}
