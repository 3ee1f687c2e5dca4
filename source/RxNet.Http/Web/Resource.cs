using System.Collections.Concurrent;
using System.Reflection;

namespace RxNet.Http.Web;

/// <summary>
/// Twisted's <c>resource.Resource</c>: a node of the URL tree that a <see cref="Site"/> serves. It has named children
/// (<see cref="PutChild"/>, or computed by <see cref="GetChild"/>) and renders a request addressed to it
/// (<see cref="Render"/>, which calls <see cref="RenderGet"/>, <see cref="RenderPost"/>... by method).
/// </summary>
/// <remarks>
/// <para><b>Traversal.</b> For a request to <c>/a/b</c>, the site asks its root for child <c>a</c>, then that child
/// for <c>b</c> (<see cref="GetChildForRequest"/>), moving each segment from <see cref="Request.PostPath"/> to
/// <see cref="Request.PrePath"/>, and stops at a leaf (<see cref="IsLeaf"/>), which gets the rest in
/// <see cref="Request.PostPath"/>. Segments are percent-decoded; a trailing slash is an empty last segment, so
/// <c>/a/</c> asks <c>a</c> for child <c>""</c>. Children put with <see cref="PutChild"/> come first.</para>
/// <para><b>Rendering.</b> A render method returns the whole body, or <see cref="NotDoneYet"/> (Twisted's
/// <c>NOT_DONE_YET</c>) and writes later with <see cref="Request.Write"/> and <see cref="Request.Finish"/>. A method
/// the resource does not override answers 405 with an <c>Allow</c> field listing the ones it does
/// (<see cref="AllowedMethods"/>); <c>HEAD</c> renders as <c>GET</c> and the body is dropped.</para>
/// <para><b>Threading.</b> A site calls a resource from the server's thread for the request, one call at a time per
/// request; a resource shared by concurrent requests must be safe for that, as in any web framework. Children put
/// with <see cref="PutChild"/> should be put before the site serves.</para>
/// </remarks>
public class Resource
{
    /// <summary>Twisted's <c>NOT_DONE_YET</c>: what a render method returns when it will write the body later and
    /// call <see cref="Request.Finish"/> itself.</summary>
    public const byte[]? NotDoneYet = null;

    private static readonly (string Method, string Name)[] RenderMethods =
    [
        ("GET", nameof(RenderGet)), ("HEAD", nameof(RenderHead)), ("POST", nameof(RenderPost)), ("PUT", nameof(RenderPut)),
        ("DELETE", nameof(RenderDelete)), ("PATCH", nameof(RenderPatch)), ("OPTIONS", nameof(RenderOptions)),
    ];

    private static readonly ConcurrentDictionary<Type, string[]> Allowed = new();

    private readonly Dictionary<string, Resource> _children = new(StringComparer.Ordinal);

    /// <summary>Whether this resource takes every request below it itself (Twisted's <c>isLeaf</c>): traversal stops
    /// here and the remaining segments stay in <see cref="Request.PostPath"/>. <see langword="false"/> by default.</summary>
    public virtual bool IsLeaf => false;

    /// <summary>The methods this resource renders (Twisted's <c>allowedMethods</c>), for the <c>Allow</c> field of a
    /// 405: by default those whose render method the type overrides, with <c>HEAD</c> wherever <c>GET</c> is.</summary>
    public virtual IReadOnlyList<string> AllowedMethods => Allowed.GetOrAdd(GetType(), ComputeAllowed);

    /// <summary>Registers <paramref name="child"/> under the segment <paramref name="path"/> (Twisted's
    /// <c>putChild</c>); <c>""</c> is the child for a trailing slash.</summary>
    /// <param name="path">One path segment, decoded (no <c>/</c>).</param>
    /// <param name="child">The child resource.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> contains <c>/</c>.</exception>
    public void PutChild(string path, Resource child)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(child);
        if (path.Contains('/', StringComparison.Ordinal))
            throw new ArgumentException($"'{path}' is not one path segment: a child's name cannot contain '/'.", nameof(path));
        _children[path] = child;
    }

    /// <summary>The child for the segment <paramref name="path"/> when none was put (Twisted's <c>getChild</c>):
    /// a <see cref="NoResource"/> (404) unless overridden.</summary>
    /// <param name="path">The decoded segment; <c>""</c> for a trailing slash.</param>
    /// <param name="request">The request being traversed.</param>
    /// <returns>The child resource; never null.</returns>
    public virtual Resource GetChild(string path, Request request) => new NoResource();

    /// <summary>The child put under <paramref name="path"/>, else <see cref="GetChild"/>'s (Twisted's
    /// <c>getChildWithDefault</c>).</summary>
    /// <param name="path">The decoded segment.</param>
    /// <param name="request">The request being traversed.</param>
    /// <returns>The child resource.</returns>
    public Resource GetChildWithDefault(string path, Request request)
    {
        ArgumentNullException.ThrowIfNull(path);
        return _children.TryGetValue(path, out var child) ? child : GetChild(path, request);
    }

    /// <summary>Finds the resource that renders <paramref name="request"/> under <paramref name="root"/> (Twisted's
    /// <c>getChildForRequest</c>): moves segments from <see cref="Request.PostPath"/> to <see cref="Request.PrePath"/>
    /// until none is left or a leaf is reached.</summary>
    /// <param name="root">Where to start.</param>
    /// <param name="request">The request; its path lists change as described.</param>
    /// <returns>The resource that renders the request.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static Resource GetChildForRequest(Resource root, Request request)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(request);
        var resource = root;
        while (request.PostPath.Count > 0 && !resource.IsLeaf)
        {
            string segment = request.PostPath[0];
            request.PostPath.RemoveAt(0);
            request.PrePath.Add(segment);
            resource = resource.GetChildWithDefault(segment, request);
        }
        return resource;
    }

    /// <summary>Renders <paramref name="request"/> (Twisted's <c>render</c>): calls the render method for its method.</summary>
    /// <param name="request">The request.</param>
    /// <returns>The whole body, or <see cref="NotDoneYet"/> when the resource writes it later and finishes the request.</returns>
    /// <exception cref="UnsupportedMethodException">The resource does not render this method (the site answers 405).</exception>
    public virtual byte[]? Render(Request request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Method switch
        {
            "GET" => RenderGet(request),
            "HEAD" => RenderHead(request),
            "POST" => RenderPost(request),
            "PUT" => RenderPut(request),
            "DELETE" => RenderDelete(request),
            "PATCH" => RenderPatch(request),
            "OPTIONS" => RenderOptions(request),
            _ => throw new UnsupportedMethodException(AllowedMethods),
        };
    }

    /// <summary>Renders a GET (Twisted's <c>render_GET</c>); unless overridden, the method is not allowed.</summary>
    /// <param name="request">The request.</param>
    /// <returns>The body, or <see cref="NotDoneYet"/>.</returns>
    /// <exception cref="UnsupportedMethodException">Not overridden.</exception>
    protected virtual byte[]? RenderGet(Request request) => throw new UnsupportedMethodException(AllowedMethods);

    /// <summary>Renders a HEAD: as a GET unless overridden; the site drops the body and keeps its length.</summary>
    /// <param name="request">The request.</param>
    /// <returns>The body (dropped), or <see cref="NotDoneYet"/>.</returns>
    protected virtual byte[]? RenderHead(Request request) => RenderGet(request);

    /// <summary>Renders a POST; unless overridden, the method is not allowed.</summary>
    /// <param name="request">The request; its body is <see cref="Request.Content"/>.</param>
    /// <returns>The body, or <see cref="NotDoneYet"/>.</returns>
    /// <exception cref="UnsupportedMethodException">Not overridden.</exception>
    protected virtual byte[]? RenderPost(Request request) => throw new UnsupportedMethodException(AllowedMethods);

    /// <summary>Renders a PUT; unless overridden, the method is not allowed.</summary>
    /// <param name="request">The request.</param>
    /// <returns>The body, or <see cref="NotDoneYet"/>.</returns>
    /// <exception cref="UnsupportedMethodException">Not overridden.</exception>
    protected virtual byte[]? RenderPut(Request request) => throw new UnsupportedMethodException(AllowedMethods);

    /// <summary>Renders a DELETE; unless overridden, the method is not allowed.</summary>
    /// <param name="request">The request.</param>
    /// <returns>The body, or <see cref="NotDoneYet"/>.</returns>
    /// <exception cref="UnsupportedMethodException">Not overridden.</exception>
    protected virtual byte[]? RenderDelete(Request request) => throw new UnsupportedMethodException(AllowedMethods);

    /// <summary>Renders a PATCH; unless overridden, the method is not allowed.</summary>
    /// <param name="request">The request.</param>
    /// <returns>The body, or <see cref="NotDoneYet"/>.</returns>
    /// <exception cref="UnsupportedMethodException">Not overridden.</exception>
    protected virtual byte[]? RenderPatch(Request request) => throw new UnsupportedMethodException(AllowedMethods);

    /// <summary>Renders an OPTIONS; unless overridden, the method is not allowed.</summary>
    /// <param name="request">The request.</param>
    /// <returns>The body, or <see cref="NotDoneYet"/>.</returns>
    /// <exception cref="UnsupportedMethodException">Not overridden.</exception>
    protected virtual byte[]? RenderOptions(Request request) => throw new UnsupportedMethodException(AllowedMethods);

    private static string[] ComputeAllowed(Type type)
    {
        var allowed = new List<string>();
        foreach (var (method, name) in RenderMethods)
        {
            var declaring = type.GetMethod(name, BindingFlags.Instance | BindingFlags.NonPublic, [typeof(Request)])?.DeclaringType;
            if (declaring != typeof(Resource) || (method == "HEAD" && allowed.Contains("GET")))
                allowed.Add(method);
        }
        return [.. allowed];
    }
}
