using System.Net;
using System.Text;

namespace RxNet.Http.Web;

/// <summary>
/// Twisted's <c>resource.ErrorPage</c>: a leaf that answers every method and every path below it with a status and a
/// short generated HTML page naming it.
/// </summary>
/// <remarks>The texts are HTML-encoded, so a detail may quote the request safely.</remarks>
public class ErrorPage : Resource
{
    /// <summary>Creates the page.</summary>
    /// <param name="status">The status code, such as 404.</param>
    /// <param name="brief">The title, such as <c>No Such Resource</c>.</param>
    /// <param name="detail">A sentence saying more.</param>
    /// <exception cref="ArgumentNullException"><paramref name="brief"/> or <paramref name="detail"/> is null.</exception>
    public ErrorPage(int status, string brief, string detail)
    {
        ArgumentNullException.ThrowIfNull(brief);
        ArgumentNullException.ThrowIfNull(detail);
        (Status, Brief, Detail) = (status, brief, detail);
    }

    /// <summary>The status code.</summary>
    public int Status { get; }

    /// <summary>The title.</summary>
    public string Brief { get; }

    /// <summary>The sentence saying more.</summary>
    public string Detail { get; }

    /// <summary>Always <see langword="true"/>: the page answers for every path below it.</summary>
    public override bool IsLeaf => true;

    /// <summary>This page again, as Twisted's does.</summary>
    /// <param name="path">Ignored.</param>
    /// <param name="request">Ignored.</param>
    /// <returns>This page.</returns>
    public override Resource GetChild(string path, Request request) => this;

    /// <summary>Sets the status and <c>Content-Type: text/html; charset=utf-8</c>, whatever the method.</summary>
    /// <param name="request">The request.</param>
    /// <returns>The page.</returns>
    public override byte[]? Render(Request request)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.SetResponseCode(Status);
        request.SetHeader("Content-Type", "text/html; charset=utf-8");
        string brief = WebUtility.HtmlEncode(Brief);
        return Encoding.UTF8.GetBytes(
            $"<html>\n  <head><title>{Status} - {brief}</title></head>\n  <body>\n    <h1>{brief}</h1>\n    <p>{WebUtility.HtmlEncode(Detail)}</p>\n  </body>\n</html>\n");
    }
}
