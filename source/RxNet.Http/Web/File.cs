using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using RxNet.Http.Web.Internal;

namespace RxNet.Http.Web;

/// <summary>
/// Twisted's <c>static.File</c>: serves a file, or a directory tree, from the file system. A directory's children are
/// its entries; <c>/dir/</c> serves its index file (<see cref="IndexNames"/>) or, without one, a generated listing;
/// <c>/dir</c> redirects (302) to <c>/dir/</c>.
/// </summary>
/// <remarks>
/// <para><b>What a GET gets.</b> <c>Content-Type</c> by extension (<see cref="ContentTypes"/>, else
/// <see cref="DefaultType"/>), <c>Accept-Ranges: bytes</c>, <c>Last-Modified</c> and a strong <c>ETag</c> (from size and
/// modification time). <c>If-None-Match</c> (or, without it, <c>If-Modified-Since</c>) answers 304. A <c>Range</c> of
/// one range answers 206 with <c>Content-Range</c>; of several, 206 <c>multipart/byteranges</c>; of ranges that all
/// miss the file, 416 with <c>Content-Range: bytes */length</c>; a malformed one is ignored (200), as Twisted does.
/// HEAD gets the headers of the GET and no body. The body is read and sent in chunks of <see cref="ChunkSize"/> by a
/// pull producer, at the client's pace: a file is never read whole.</para>
/// <para><b>Confinement.</b> Nothing outside the directory given to the constructor is served: a segment <c>.</c> or
/// <c>..</c> (also when percent-encoded), or one holding a separator (an encoded <c>%2F</c>) or NUL, and a symbolic
/// link whose target lies outside the root, all answer 404, as does a missing file; a file the process may not read
/// answers 403.</para>
/// <para>Settings are shared with the children a directory makes, so set them on the root before serving.</para>
/// </remarks>
public sealed class File : Resource
{
    private readonly Settings _settings;
    private readonly string _path;

    /// <summary>Serves the file or directory at <paramref name="path"/>.</summary>
    /// <param name="path">The file or directory; everything served stays inside it.</param>
    /// <param name="defaultType">The <c>Content-Type</c> of a file whose extension is not in <see cref="ContentTypes"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty.</exception>
    public File(string path, string defaultType = "application/octet-stream")
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(defaultType);
        _path = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        _settings = new Settings(new FilePathPolicy(_path), defaultType);
    }

    private File(string path, Settings settings) => (_path, _settings) = (path, settings);

    /// <summary>The full path of the file or directory this serves.</summary>
    public string FullPath => _path;

    /// <summary>The <c>Content-Type</c> of a file whose extension is not in <see cref="ContentTypes"/>.</summary>
    public string DefaultType => _settings.DefaultType;

    /// <summary>The names of the file served for a directory's URL, first found first: <c>index.html</c> by default
    /// (Twisted also tries <c>index</c>, <c>index.htm</c> and <c>index.rpy</c>).</summary>
    public IList<string> IndexNames => _settings.IndexNames;

    /// <summary>The media type of each extension (with its dot, any case), such as <c>.html</c> → <c>text/html</c>.</summary>
    public IDictionary<string, string> ContentTypes => _settings.ContentTypes;

    /// <summary>The most bytes read and written at a time: 16384 by default (Twisted's <c>abstract.FileDescriptor.bufferSize</c>
    /// order of magnitude).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to a value that is not positive.</exception>
    public int ChunkSize
    {
        get => _settings.ChunkSize;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value);
            _settings.ChunkSize = value;
        }
    }

    /// <summary>The entry <paramref name="path"/> of this directory, its index or listing for <c>""</c>, or a 404
    /// (see the remarks of <see cref="File"/>).</summary>
    /// <param name="path">The decoded segment.</param>
    /// <param name="request">The request.</param>
    /// <returns>The child.</returns>
    public override Resource GetChild(string path, Request request)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!Directory.Exists(_path))
            return NotFound();
        if (path.Length == 0)
        {
            foreach (string index in _settings.IndexNames)
            {
                string candidate = Path.Join(_path, index);
                if (FilePathPolicy.IsSafeSegment(index) && System.IO.File.Exists(candidate) && _settings.Policy.IsInside(candidate))
                    return new File(candidate, _settings);
            }
            return new DirectoryListing(_path, _settings.Policy.List(_path));
        }
        string child = Path.Join(_path, path);
        if (!FilePathPolicy.IsSafeSegment(path) || !Path.Exists(child) || !_settings.Policy.IsInside(child))
            return NotFound();
        return new File(child, _settings);
    }

    /// <summary>Serves the file (see the remarks of <see cref="File"/>).</summary>
    /// <param name="request">The request.</param>
    /// <returns>The body for what answers at once (redirect, 304, HEAD, 416, errors); <see cref="Resource.NotDoneYet"/>
    /// when a producer streams the file.</returns>
    protected override byte[]? RenderGet(Request request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (Directory.Exists(_path))
            return Redirect(request);
        var info = new FileInfo(_path);
        if (!info.Exists)
            return NotFound().Render(request);
        request.SetHeader("Accept-Ranges", "bytes");
        FileStream file;
        try
        {
            file = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1, FileOptions.SequentialScan);
        }
        catch (UnauthorizedAccessException)
        {
            return new ErrorPage(403, "Forbidden", "Access was denied to this resource.").Render(request);
        }
        long size = file.Length;
        string type = ContentTypes.TryGetValue(Path.GetExtension(_path), out string? known) ? known : DefaultType;
        bool current = request.SetETag(string.Create(CultureInfo.InvariantCulture, $"\"{size:x}-{info.LastWriteTimeUtc.Ticks:x}\""));
        current |= request.SetLastModified(new DateTimeOffset(info.LastWriteTimeUtc, TimeSpan.Zero));
        if (current || request.Method == "HEAD")
        {
            file.Dispose();
            if (!current)
                SetContentHeaders(request, type, size);
            return [];
        }
        var parts = request.GetHeader("Range") is { } field && ByteRanges.Parse(field) is { } ranges
            ? RangeParts(request, ranges, size, type)
            : Whole(request, type, size);
        if (parts is null)
        {
            file.Dispose();
            request.SetResponseCode(416);
            request.SetHeader("Content-Range", string.Create(CultureInfo.InvariantCulture, $"bytes */{size}"));
            return [];
        }
        request.RegisterProducer(new FilePartsProducer(request, file, parts, _settings.ChunkSize), streaming: false);
        return NotDoneYet;
    }

    /// <inheritdoc />
    public override string ToString() => $"<File {_path}>";

    private static NoResource NotFound() => new("File not found.");

    private static List<FilePart> Whole(Request request, string type, long size)
    {
        SetContentHeaders(request, type, size);
        return [new FilePart([], 0, size)];
    }

    private static void SetContentHeaders(Request request, string type, long size)
    {
        request.SetHeader("Content-Type", type);
        request.SetHeader("Content-Length", size.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>The parts of a 206 (one range, or multipart/byteranges); null when no range selects anything.</summary>
    private static List<FilePart>? RangeParts(Request request, List<(long? First, long? Last)> ranges, long size, string type)
    {
        var selected = ranges.Select(r => ByteRanges.Resolve(r, size)).OfType<(long Offset, long Length)>().ToList();
        if (selected.Count == 0)
            return null;
        request.SetResponseCode(206);
        if (ranges.Count == 1)
        {
            var (offset, length) = selected[0];
            request.SetHeader("Content-Range", ContentRange(offset, length, size));
            SetContentHeaders(request, type, length);
            return [new FilePart([], offset, length)];
        }
        string boundary = RandomNumberGenerator.GetHexString(24, lowercase: true);
        var parts = selected.Select(r => new FilePart(
            Encoding.ASCII.GetBytes($"\r\n--{boundary}\r\nContent-Type: {type}\r\nContent-Range: {ContentRange(r.Offset, r.Length, size)}\r\n\r\n"),
            r.Offset, r.Length)).ToList();
        parts.Add(new FilePart(Encoding.ASCII.GetBytes($"\r\n--{boundary}--\r\n"), 0, 0));
        request.SetHeader("Content-Type", $"multipart/byteranges; boundary={boundary}");
        request.SetHeader("Content-Length", parts.Sum(p => p.Prefix.Length + p.Length).ToString(CultureInfo.InvariantCulture));
        return parts;
    }

    private static string ContentRange(long offset, long length, long size) =>
        string.Create(CultureInfo.InvariantCulture, $"bytes {offset}-{offset + length - 1}/{size}");

    /// <summary>A directory's URL without its slash: 302 to the same URL with it, query kept (Twisted's <c>addSlash</c>).</summary>
    private static byte[] Redirect(Request request)
    {
        string location = request.Path + "/" + (request.Message.Query.Length > 0 ? "?" + request.Message.Query : "");
        request.SetResponseCode(302);
        request.SetHeader("Location", location);
        request.SetHeader("Content-Type", "text/html; charset=utf-8");
        string quoted = System.Net.WebUtility.HtmlEncode(location);
        return Encoding.UTF8.GetBytes($"<html>\n    <head>\n        <meta http-equiv=\"refresh\" content=\"0;URL={quoted}\">\n    </head>\n    <body bgcolor=\"#FFFFFF\" text=\"#000000\">\n    <a href=\"{quoted}\">click here</a>\n    </body>\n</html>\n");
    }

    /// <summary>What a directory shares with the children it makes.</summary>
    private sealed class Settings(FilePathPolicy policy, string defaultType)
    {
        public FilePathPolicy Policy { get; } = policy;

        public string DefaultType { get; } = defaultType;

        public List<string> IndexNames { get; } = ["index.html"];

        public Dictionary<string, string> ContentTypes { get; } = Internal.ContentTypes.Create();

        public int ChunkSize { get; set; } = 16384;
    }
}
