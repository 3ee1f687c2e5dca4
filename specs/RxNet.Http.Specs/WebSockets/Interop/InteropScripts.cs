namespace RxNet.Http.Specs.WebSockets.Interop;

/// <summary>The peer scripts copied next to the spec binaries (<c>Scripts/</c> in this folder).</summary>
internal static class InteropScripts
{
    /// <summary>The full path of the script called <paramref name="name"/>.</summary>
    public static string Path(string name) => System.IO.Path.Combine(AppContext.BaseDirectory, "WebSockets", "Interop", "Scripts", name);
}
