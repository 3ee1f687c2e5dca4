using RxNet.Specs.Shared;
using RxNet.Testing.Specs;

namespace RxNet.Http.Specs.WebSockets.Interop;

/// <summary>node (Debian's <c>nodejs</c>) with the <c>ws</c> module from npm, which <c>.ci/run</c> installs under the
/// repository's ignored <c>.peers/node</c> folder; without either the spec skips with the command that installs it.</summary>
internal static class NodeWs
{
    /// <summary>The version <c>.ci/run</c> installs.</summary>
    public const string Version = "8.23.1";

    /// <summary>The path of node and of the <c>ws</c> module folder (for <c>require</c>); skips as
    /// <see cref="Peers"/> says when one is missing.</summary>
    public static (string Node, string Module) Require()
    {
        string node = Peers.Require("node", "nodejs");
        string prefix = Path.Combine(DocSnippets.RepositoryRoot(), ".peers", "node");
        string module = Path.Combine(prefix, "node_modules", "ws");
        if (!File.Exists(Path.Combine(module, "package.json")))
            throw Peers.NotInstalled($"node's ws module is not in {module}", $"npm install --prefix {prefix} ws@{Version}");
        return (node, module);
    }
}
