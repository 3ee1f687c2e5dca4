namespace RxNet.Http.Web.Internal;

/// <summary>The media types of common file extensions, as Twisted's <c>static.File.contentTypes</c> gives them
/// (its table is Python's <c>mimetypes</c> plus a few of its own); a <see cref="File"/> copies it.</summary>
internal static class ContentTypes
{
    public static Dictionary<string, string> Create() => new(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html", [".htm"] = "text/html", [".txt"] = "text/plain", [".text"] = "text/plain",
        [".css"] = "text/css", [".csv"] = "text/csv", [".md"] = "text/markdown", [".xml"] = "text/xml",
        [".js"] = "text/javascript", [".mjs"] = "text/javascript", [".json"] = "application/json",
        [".conf"] = "text/plain", [".diff"] = "text/plain", [".patch"] = "text/plain", [".java"] = "text/plain",
        [".c"] = "text/plain", [".h"] = "text/plain", [".py"] = "text/x-python", [".cs"] = "text/plain",
        [".png"] = "image/png", [".jpg"] = "image/jpeg", [".jpeg"] = "image/jpeg", [".gif"] = "image/gif",
        [".svg"] = "image/svg+xml", [".ico"] = "image/vnd.microsoft.icon", [".webp"] = "image/webp", [".bmp"] = "image/bmp",
        [".pdf"] = "application/pdf", [".zip"] = "application/zip", [".gz"] = "application/gzip", [".tar"] = "application/x-tar",
        [".wasm"] = "application/wasm", [".woff"] = "font/woff", [".woff2"] = "font/woff2", [".ttf"] = "font/ttf",
        [".mp3"] = "audio/mpeg", [".ogg"] = "audio/ogg", [".wav"] = "audio/x-wav", [".flac"] = "audio/x-flac",
        [".mp4"] = "video/mp4", [".webm"] = "video/webm", [".mpeg"] = "video/mpeg",
    };
}
