using System.Reflection;

namespace Rlsc.Tasks.Tests.Infrastructure;

/// <summary>Where the tests find the repository, the fake tool and build outputs.</summary>
internal static class TestPaths
{
    static string Metadata(string key) =>
        typeof(TestPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;

    /// <summary>The repository checkout these tests were built from.</summary>
    public static string RepoRoot => Path.GetFullPath(Metadata("RlscRepoRoot"));

    /// <summary>Release or Debug: the configuration the tests run under, and so the build outputs they use.</summary>
    public static string Configuration => Metadata("Configuration");

    /// <summary>The stand-in for rlsc (FakeTool/fake-rlsc).</summary>
    public static string FakeTool => Path.Combine(TestContext.CurrentContext.TestDirectory, "FakeTool", "fake-rlsc");

    /// <summary>The real rlsc, as built with these tests (run with <c>dotnet exec</c>).</summary>
    public static string RlscCli => Path.Combine(RepoRoot, "src", "Rlsc.Cli", "bin", Configuration, "net10.0", "rlsc.dll");

    /// <summary>The local mirror of public data (RLSC_MIRROR, else ../shared beside the checkout), as rlsc finds it.</summary>
    public static string SharedFolder =>
        Environment.GetEnvironmentVariable("RLSC_MIRROR") is { Length: > 0 } mirror ? mirror : Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared"));

    /// <summary>The real Qwen2.5 tokenizer folder of the mirror.</summary>
    public static string QwenTokenizer => Path.Combine(SharedFolder, "models", "qwen2.5-tokenizer");

    /// <summary>The built task assembly.</summary>
    public static string TasksAssembly => typeof(RlscToolTask).Assembly.Location;

    /// <summary>build/Rlsc.Tasks.props and .targets in the source tree.</summary>
    public static string TargetsFolder => Path.Combine(RepoRoot, "src", "Rlsc.Tasks", "build");

    /// <summary>A fresh temporary folder, removed after the test.</summary>
    public static string NewTempFolder(string prefix = "rlsc-tasks-")
    {
        string path = Path.Combine(Path.GetTempPath(), prefix + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(path);
        return path;
    }
}
