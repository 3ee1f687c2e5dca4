using System.IO.Compression;
using System.Xml.Linq;

namespace Packages.Specs;

/// <summary>A .nupkg as a user's NuGet sees it: its manifest (nuspec) and the files inside.</summary>
internal sealed class PackageFile
{
    private readonly XElement _metadata;
    private readonly Dictionary<string, string> _texts;

    private PackageFile(string path, XElement metadata, IReadOnlyList<string> entries, Dictionary<string, string> texts)
    {
        Path = path;
        _metadata = metadata;
        Entries = entries;
        _texts = texts;
    }

    /// <summary>Where the package file is.</summary>
    public string Path { get; }

    /// <summary>The paths of the files inside.</summary>
    public IReadOnlyList<string> Entries { get; }

    /// <summary>The package id.</summary>
    public string Id => Metadata("id") ?? "";

    /// <summary>A metadata element's value, or null when the manifest has none.</summary>
    public string? Metadata(string name) => _metadata.Elements().FirstOrDefault(e => e.Name.LocalName == name)?.Value;

    /// <summary>An attribute of a metadata element, or null.</summary>
    public string? Metadata(string name, string attribute) =>
        _metadata.Elements().FirstOrDefault(e => e.Name.LocalName == name)?.Attribute(attribute)?.Value;

    /// <summary>The text of a file inside (the license and readme).</summary>
    public string Text(string entry) => _texts.TryGetValue(entry, out var text)
        ? text
        : throw new InvalidOperationException($"{Path} has no {entry}; it has {string.Join(", ", Entries)}.");

    /// <summary>Reads a package: the manifest and the text of its top-level .md and LICENSE files.</summary>
    public static PackageFile Read(string path)
    {
        using var zip = ZipFile.OpenRead(path);
        var nuspec = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal) && !e.FullName.Contains('/', StringComparison.Ordinal));
        XElement metadata;
        using (var stream = nuspec.Open())
            metadata = XDocument.Load(stream).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        var texts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in zip.Entries.Where(e => e.FullName is "LICENSE" || e.FullName.EndsWith(".md", StringComparison.Ordinal)))
        {
            using var reader = new StreamReader(entry.Open());
            texts[entry.FullName] = reader.ReadToEnd();
        }
        return new PackageFile(path, metadata, zip.Entries.Select(e => e.FullName).ToList(), texts);
    }
}
