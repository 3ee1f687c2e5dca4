using System.Net;
using System.Text;

namespace RxNet.Http.Web.Internal;

/// <summary>Twisted's <c>DirectoryLister</c>, simpler: a generated HTML list of a directory's entries (directories
/// with a trailing <c>/</c>), sorted by name, each a link relative to the directory's URL. Its children are 404s.</summary>
internal sealed class DirectoryListing(string directory, IReadOnlyList<FilePathPolicy.Entry> entries) : Resource
{
    protected override byte[]? RenderGet(Request request)
    {
        string title = WebUtility.HtmlEncode($"Directory listing for {Uri.UnescapeDataString(request.Path)}");
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html>\n<head><meta charset=\"utf-8\"><title>").Append(title).Append("</title></head>\n<body>\n<h1>")
            .Append(title).Append("</h1>\n<ul>\n");
        foreach (var entry in entries)
        {
            string name = entry.IsDirectory ? entry.Name + "/" : entry.Name;
            html.Append("<li><a href=\"").Append(WebUtility.HtmlEncode(Uri.EscapeDataString(entry.Name) + (entry.IsDirectory ? "/" : "")))
                .Append("\">").Append(WebUtility.HtmlEncode(name)).Append("</a></li>\n");
        }
        html.Append("</ul>\n</body>\n</html>\n");
        request.SetHeader("Content-Type", "text/html; charset=utf-8");
        return Encoding.UTF8.GetBytes(html.ToString());
    }

    public override string ToString() => $"<DirectoryListing {directory}>";
}
