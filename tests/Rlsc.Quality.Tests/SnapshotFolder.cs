using System.Runtime.CompilerServices;

namespace Rlsc.Quality.Tests;

/// <summary>
/// Where the golden snapshots live: `tests/Rlsc.Quality.Tests/__snapshots__` of the checkout the tests run
/// from. Snapshooter's own lookup takes the test's source path from the PDB, which breaks in two CI cases
/// (Snapshooter issues #196 and #212): deterministic CI builds map source paths to `/_/...`, and a build
/// moved or cloned elsewhere points at a folder that is not there (or, worse, at another checkout's snapshots).
/// So the folder is resolved here, in this order:
/// 1. RLSC_SNAPSHOTS_DIR (the __snapshots__ folder itself), when set;
/// 2. the project folder found by walking up from the running test assembly (then the current folder);
/// 3. the folder this file was compiled from, if it exists on this machine (a test assembly copied out of the tree).
/// </summary>
static class SnapshotFolder
{
    public const string EnvironmentVariable = "RLSC_SNAPSHOTS_DIR";
    public const string Name = "__snapshots__";

    public static string Locate() =>
        Locate(Environment.GetEnvironmentVariable(EnvironmentVariable), RepositoryPaths.SearchStarts(), CompiledFolder());

    internal static string Locate(string? configured, IEnumerable<string> starts, string? compiledFolder)
    {
        if (!string.IsNullOrEmpty(configured)) return Path.GetFullPath(configured);

        var startList = starts.ToList();
        if (RepositoryPaths.FindProjectFolder(startList) is { } project) return Path.Combine(project, Name);

        if (compiledFolder is not null && File.Exists(Path.Combine(compiledFolder, "Rlsc.Quality.Tests.csproj")))
            return Path.Combine(compiledFolder, Name);

        throw new AssertionException(
            $"error RLSC088: cannot find the golden snapshots folder ({RepositoryPaths.ProjectFolder}/{Name}): searched upwards from " +
            $"{string.Join(" and ", startList)}, and the compiled source folder {compiledFolder ?? "(none)"} does not exist here. " +
            $"Run the tests from a checkout, or set {EnvironmentVariable} to the {Name} folder.");
    }

    static string? CompiledFolder([CallerFilePath] string file = "") => file.Length == 0 ? null : Path.GetDirectoryName(file);
}
