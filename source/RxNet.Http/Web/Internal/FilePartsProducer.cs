using RxNet.Twisted;

namespace RxNet.Http.Web.Internal;

/// <summary>
/// Twisted's <c>StaticProducer</c>s in one: a pull producer that writes a file's parts to a request, one chunk of
/// at most <c>chunkSize</c> bytes (or one separator) each time it is asked, then unregisters, finishes the request
/// and closes the file. The file is read only as the client takes it: never whole.
/// </summary>
internal sealed class FilePartsProducer(Request request, Stream file, IReadOnlyList<FilePart> parts, int chunkSize) : IPullProducer
{
    private readonly byte[] _buffer = new byte[chunkSize];
    private int _part;
    private long _done = -1; // bytes of the current part written; -1 while its prefix is due

    public void ResumeProducing()
    {
        while (_part < parts.Count)
        {
            var part = parts[_part];
            if (_done < 0)
            {
                _done = 0;
                file.Position = part.Offset;
                if (part.Prefix.Length > 0)
                {
                    request.Write(part.Prefix);
                    return;
                }
            }
            if (_done < part.Length)
            {
                int read = file.Read(_buffer, 0, (int)Math.Min(_buffer.Length, part.Length - _done));
                if (read == 0)
                    throw new IOException($"The file ended {part.Length - _done} bytes before the range being sent: it was truncated while served.");
                _done += read;
                request.Write(_buffer.AsMemory(0, read));
                return;
            }
            (_part, _done) = (_part + 1, -1);
        }
        file.Dispose();
        request.UnregisterProducer();
        request.Finish();
    }

    public void StopProducing() => file.Dispose();
}
