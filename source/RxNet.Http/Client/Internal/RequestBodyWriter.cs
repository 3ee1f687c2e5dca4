using System.Buffers;

namespace RxNet.Http.Client.Internal;

/// <summary>
/// The output a request body is written to (with <c>WriteTo</c> semantics): frames each chunk (chunked, or counted
/// against Content-Length) onto the connection and tells the connection when the body ends or fails. Its water
/// marks are the connection's, so a pausable body pauses while the server does not read.
/// </summary>
/// <remarks>Called by the body's producer, one call at a time, on any thread.</remarks>
internal sealed class RequestBodyWriter(ClientConnection connection, ClientExchange exchange, IConnectionOutput output, long? length) : IConnectionOutput
{
    private const int InlineChunkSize = 4096;
    private long _written;
    private bool _done;

    public IObservable<bool> Writable => output.Writable;

    public long PendingBytes => output.PendingBytes;

    public void OnNext(ReadOnlyMemory<byte> value)
    {
        if (_done || value.IsEmpty)
            return;
        if (length is long expected && _written + value.Length > expected)
        {
            Fail($"The body of {exchange.Request} is longer than its Content-Length of {expected} bytes.");
            return;
        }
        _written += value.Length;
        if (length is not null)
        {
            output.OnNext(value);
            return;
        }
        // The output copies what it is given: the framing goes through the thread's scratch buffer, with the data
        // when it is small (one write), around it when it is large (no copy into a buffer that would not be kept).
        var scratch = ScratchWriter.Rent();
        ResponseWriter.WriteChunkHeader(scratch, value.Length);
        if (value.Length > InlineChunkSize)
        {
            output.OnNext(scratch.WrittenMemory);
            output.OnNext(value);
            scratch.ResetWrittenCount();
        }
        else
        {
            scratch.Write(value.Span);
        }
        ResponseWriter.WriteChunkTrailer(scratch);
        output.OnNext(scratch.WrittenMemory);
        ScratchWriter.Return(scratch);
    }

    public void OnCompleted()
    {
        if (_done)
            return;
        if (length is long expected && _written != expected)
        {
            Fail($"The body of {exchange.Request} ended after {_written} of its Content-Length of {expected} bytes.");
            return;
        }
        _done = true;
        if (length is null)
        {
            var scratch = ScratchWriter.Rent();
            ResponseWriter.WriteLastChunk(scratch);
            output.OnNext(scratch.WrittenMemory);
            ScratchWriter.Return(scratch);
        }
        connection.RequestBodyCompleted(exchange);
    }

    public void OnError(Exception error)
    {
        if (_done)
            return;
        _done = true;
        connection.RequestBodyFailed(exchange, error);
    }

    private void Fail(string reason)
    {
        _done = true;
        connection.RequestBodyFailed(exchange, new HttpProtocolException(HttpProtocolError.RequestBodyLengthMismatch, 400, reason));
    }
}
