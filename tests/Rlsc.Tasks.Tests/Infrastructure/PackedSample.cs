using System.IO.Compression;

namespace Rlsc.Tasks.Tests.Infrastructure;

/// <summary>
/// Rlsc.Tasks packed once per test run (from this build's output), and copies of samples/QualityGatedModel that
/// consume it from a local package folder, exactly as a user's repository would. Packages restore into a folder
/// of the copy, never into the machine's NuGet cache, so a re-packed 0.1.0 is always the one under test.
/// </summary>
internal static class PackedSample
{
    static readonly Lazy<string> Feed = new(Pack);

    /// <summary>The folder holding the freshly packed Rlsc.Tasks.*.nupkg.</summary>
    public static string PackageFolder => Feed.Value;

    static string Pack()
    {
        string feed = TestPaths.NewTempFolder("rlsc-feed-");
        var result = DotnetCommand.Run(TestPaths.RepoRoot, new[]
        {
            "pack", "src/Rlsc.Tasks/Rlsc.Tasks.csproj", "-c", TestPaths.Configuration, "--no-build", "-o", feed, "-nologo", "-tl:off",
        });
        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        return feed;
    }

    public static string PackagePath => Directory.GetFiles(PackageFolder, "Rlsc.Tasks.*.nupkg").Single();

    /// <summary>The package's file names.</summary>
    public static IReadOnlyList<string> PackageEntries()
    {
        using var zip = ZipFile.OpenRead(PackagePath);
        return zip.Entries.Select(e => e.FullName).ToList();
    }

    /// <summary>A copy of the sample whose nuget.config points at the packed Rlsc.Tasks.</summary>
    public static string CopySample()
    {
        string source = Path.Combine(TestPaths.RepoRoot, "samples", "QualityGatedModel");
        string copy = TestPaths.NewTempFolder("rlsc-sample-");
        foreach (string file in Directory.GetFiles(source, "*", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(source, file);
            if (relative.Split(Path.DirectorySeparatorChar).Any(p => p is "bin" or "obj" or "artifacts" or ".packages")) continue;
            string target = Path.Combine(copy, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        string config = Path.Combine(copy, "nuget.config");
        File.WriteAllText(config, File.ReadAllText(config).Replace("../../artifacts/packages", PackageFolder));
        return copy;
    }

    /// <summary><c>dotnet build</c> of the sample copy (restore included), as a user runs it.</summary>
    public static DotnetCommand.Result Build(string sample, IDictionary<string, string?>? environment, params string[] properties) =>
        Build(sample, null, environment, properties);

    /// <summary><c>dotnet build -t:Target</c> of the sample copy: restore, then only that target (and what it depends on).</summary>
    public static DotnetCommand.Result Build(string sample, string? target, IDictionary<string, string?>? environment, params string[] properties)
    {
        var arguments = new List<string> { "build", Path.Combine(sample, "QualityGatedModel.proj"), "-nologo", "-v:m", "-nodeReuse:false", "-tl:off", "-p:RestorePackagesPath=" + Path.Combine(sample, ".packages") };
        if (target is not null) arguments.Add("-t:" + target);
        arguments.AddRange(properties.Select(p => "-p:" + p));
        return DotnetCommand.Run(sample, arguments, environment);
    }
}
