namespace Rlsc.Quality.Tests;

/// <summary>
/// Finds the checkout the tests run from. Everything is found from the running test assembly's folder
/// (walking up), never from paths compiled into the PDB: those are wrong on a clone in another folder and
/// mapped to /_/ by deterministic CI builds (Snapshooter issues #196 and #212).
/// </summary>
static class RepositoryPaths
{
    public const string ProjectFolder = "tests/Rlsc.Quality.Tests";
    const string ProjectFile = "Rlsc.Quality.Tests.csproj";

    /// <summary>The folders to search from: the test assembly's folder, then the current folder.</summary>
    public static IEnumerable<string> SearchStarts() =>
        new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() }.Distinct();

    /// <summary>The source folder of this test project (the one holding its .csproj), or null.</summary>
    public static string? FindProjectFolder(IEnumerable<string> starts)
    {
        foreach (string start in starts)
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, ProjectFile))) return dir.FullName;
                // Outputs kept elsewhere in the tree (an artifacts/ layout): look for the project from each ancestor.
                string nested = Path.Combine(dir.FullName, ProjectFolder);
                if (File.Exists(Path.Combine(nested, ProjectFile))) return nested;
            }
        return null;
    }

    /// <summary>The repository root (holding RlscPipeline.sln) above the test assembly, or null.</summary>
    public static string? FindRepositoryRoot()
    {
        foreach (string start in SearchStarts())
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "RlscPipeline.sln"))) return dir.FullName;
        return null;
    }

    /// <summary>An absolute path as is; a relative one from the repository root (else the current folder).</summary>
    public static string Resolve(string path) =>
        Path.IsPathRooted(path) ? path : Path.GetFullPath(Path.Combine(FindRepositoryRoot() ?? Directory.GetCurrentDirectory(), path));
}
