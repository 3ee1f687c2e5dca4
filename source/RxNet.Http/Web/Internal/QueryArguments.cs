namespace RxNet.Http.Web.Internal;

/// <summary>A query string as Twisted's <c>args</c>: <c>application/x-www-form-urlencoded</c> pairs, blank values kept.</summary>
internal static class QueryArguments
{
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Parse(string query)
    {
        var args = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (string pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            int equals = pair.IndexOf('=', StringComparison.Ordinal);
            string name = Decode(equals < 0 ? pair : pair[..equals]);
            string value = equals < 0 ? "" : Decode(pair[(equals + 1)..]);
            if (!args.TryGetValue(name, out var values))
                args[name] = values = [];
            values.Add(value);
        }
        return args.ToDictionary(p => p.Key, p => (IReadOnlyList<string>)p.Value, StringComparer.Ordinal);
    }

    private static string Decode(string text) => Uri.UnescapeDataString(text.Replace('+', ' '));
}
