namespace Rlsc.Runtime.Tests;

/// <summary>
/// The checkout the tests run in: the nearest folder above the test binaries that holds RlscPipeline.sln. Tests that
/// read committed files (configs/, models/, docs/, eval-suites/) find them here, as a user's run would from its clone.
/// </summary>
internal static class RepositoryRoot
{
    static readonly Lazy<string> Root = new(Find);

    public static string Folder => Root.Value;

    /// <summary>A path below the repository root: <c>RepositoryRoot.Combine("configs", "default.json")</c>.</summary>
    public static string Combine(params string[] parts) => Path.Combine([Folder, .. parts]);

    static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "RlscPipeline.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("the repository root (RlscPipeline.sln) is not above " + AppContext.BaseDirectory);
    }
}
