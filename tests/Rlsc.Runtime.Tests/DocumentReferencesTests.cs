using Rlsc.Core;
using System.Text.RegularExpressions;

namespace Rlsc.Runtime.Tests;

/// <summary>
/// Every document an error message, a help text or a page points at exists: RLSC005 sent users to
/// docs/troubleshooting.md for months before the page was written.
/// </summary>
public partial class DocumentReferencesTests
{
    /// <summary>Where messages and help texts live: the code, the build scripts and the MSBuild files.</summary>
    static readonly string[] SourceFolders = ["src", "build", "eng"];
    static readonly string[] SourceExtensions = [".cs", ".cake", ".props", ".targets"];

    [GeneratedRegex(@"docs/[A-Za-z0-9_\-/]+\.md")]
    private static partial Regex DocsPath();

    // A relative markdown link inside docs/: [text](page.md) or [text](page.md#anchor).
    [GeneratedRegex(@"\]\((?<page>[A-Za-z0-9_\-]+\.md)(#[^)]*)?\)")]
    private static partial Regex RelativeLink();

    static IEnumerable<string> SourceFiles()
    {
        var files = SourceFolders
            .Select(f => RepositoryRoot.Combine(f))
            .Where(Directory.Exists)
            .SelectMany(f => Directory.EnumerateFiles(f, "*", SearchOption.AllDirectories))
            .Where(f => SourceExtensions.Contains(Path.GetExtension(f)))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"));
        return files.Concat([RepositoryRoot.Combine("build.cake"), RepositoryRoot.Combine("README.md")]).Where(File.Exists);
    }

    [Test]
    public void EveryDocsPathNamedInTheSourcesExists()
    {
        var references = SourceFiles()
            .SelectMany(f => DocsPath().Matches(File.ReadAllText(f)).Select(m => (File: f, Doc: m.Value)))
            .ToList();
        Assert.That(references.Select(r => r.Doc), Does.Contain("docs/troubleshooting.md"), "the scan sees RLSC005's message");
        var missing = references.Where(r => !File.Exists(RepositoryRoot.Combine(r.Doc))).Select(r => $"{Path.GetRelativePath(RepositoryRoot.Folder, r.File)}: {r.Doc}").Distinct().ToList();
        Assert.That(missing, Is.Empty);
    }

    [Test]
    public void EveryPageTheDocsLinkToExists()
    {
        string docs = RepositoryRoot.Combine("docs");
        var missing = Directory.EnumerateFiles(docs, "*.md")
            .SelectMany(f => RelativeLink().Matches(File.ReadAllText(f)).Select(m => (File: f, Page: m.Groups["page"].Value)))
            .Where(l => !File.Exists(Path.Combine(docs, l.Page)))
            .Select(l => $"docs/{Path.GetFileName(l.File)} -> {l.Page}")
            .Distinct()
            .ToList();
        Assert.That(missing, Is.Empty);
    }

    [Test]
    public void EveryErrorCodeIsListedInDocsErrorsMd()
    {
        string errors = File.ReadAllText(RepositoryRoot.Combine("docs", "errors.md"));
        var codes = typeof(ErrorCodes).GetFields().Where(f => f.IsLiteral).Select(f => (string)f.GetValue(null)!).ToList();
        Assert.That(codes, Is.Not.Empty);
        Assert.That(codes.Where(c => !errors.Contains($"| {c} |")), Is.Empty);
    }
}
