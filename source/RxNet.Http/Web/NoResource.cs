namespace RxNet.Http.Web;

/// <summary>Twisted's <c>resource.NoResource</c>: the 404 page, what <see cref="Resource.GetChild"/> returns for a
/// segment it does not know.</summary>
public sealed class NoResource : ErrorPage
{
    /// <summary>Creates the page.</summary>
    /// <param name="detail">The sentence under the title.</param>
    public NoResource(string detail = "Sorry. No luck finding that resource.")
        : base(404, "No Such Resource", detail)
    {
    }
}
