using Rlsc.Tasks.Tests.Infrastructure;
using Rlsc.Tasks.Tooling;

namespace Rlsc.Tasks.Tests;

/// <summary>The documented order: RlscToolPath, then a local tool manifest, then PATH, then ~/.dotnet/tools.</summary>
public class RlscToolLocatorTests
{
    string _root = null!;
    Dictionary<string, string?> _environment = null!;

    [SetUp]
    public void SetUp()
    {
        _root = TestPaths.NewTempFolder();
        _environment = new() { ["PATH"] = "", ["HOME"] = Path.Combine(_root, "home"), ["DOTNET_HOST_PATH"] = null };
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_root, recursive: true);

    RlscToolInvocation? Locate(string? explicitPath, string start, out string? problem) =>
        new RlscToolLocator(n => _environment.TryGetValue(n, out var v) ? v : null).Locate(explicitPath, start, out problem);

    string Touch(params string[] parts)
    {
        string path = Path.Combine(new[] { _root }.Concat(parts).ToArray());
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "");
        return path;
    }

    void Manifest(string folder, bool isRoot, params string[] commands)
    {
        string tools = string.Join(",", commands.Select(c => $"\"pkg.{c}\": {{ \"version\": \"1.0.0\", \"commands\": [\"{c}\"] }}"));
        Directory.CreateDirectory(Path.Combine(_root, folder, ".config"));
        File.WriteAllText(Path.Combine(_root, folder, ".config", "dotnet-tools.json"),
            $"{{ \"version\": 1, \"isRoot\": {(isRoot ? "true" : "false")}, \"tools\": {{ {tools} }} }}");
    }

    [Test]
    public void An_explicit_executable_wins_over_everything()
    {
        string exe = Touch("bin", "rlsc");
        Manifest("repo", true, "rlsc");
        _environment["PATH"] = Path.GetDirectoryName(Touch("path", "rlsc"));
        var found = Locate(exe, Path.Combine(_root, "repo"), out _);
        Assert.That(found, Is.EqualTo(new RlscToolInvocation(exe, Array.Empty<string>(), "RlscToolPath")).Using<RlscToolInvocation>(SameInvocation));
    }

    [Test]
    public void An_explicit_dll_runs_with_dotnet_exec_of_the_host_that_runs_the_build()
    {
        string dll = Touch("cli", "rlsc.dll");
        string host = Touch("sdk", "dotnet");
        _environment["DOTNET_HOST_PATH"] = host;
        var found = Locate(dll, _root, out _)!;
        Assert.That((found.FileName, found.PrefixArguments), Is.EqualTo((host, (IReadOnlyList<string>)new[] { "exec", dll })).Using<(string, IReadOnlyList<string>)>(
            (a, b) => a.Item1 == b.Item1 && a.Item2.SequenceEqual(b.Item2)));
    }

    [Test]
    public void An_explicit_folder_means_the_rlsc_in_it()
    {
        string dll = Touch("cli", "rlsc.dll");
        var found = Locate(Path.Combine(_root, "cli"), _root, out _)!;
        Assert.That(found.PrefixArguments, Is.EqualTo(new[] { "exec", dll }));
        Assert.That(found.FileName, Is.EqualTo("dotnet"));
    }

    [Test]
    public void An_explicit_path_that_does_not_exist_is_an_error_not_a_fallback()
    {
        _environment["PATH"] = Path.GetDirectoryName(Touch("path", "rlsc"));
        Assert.That(Locate(Path.Combine(_root, "nope"), _root, out string? problem), Is.Null);
        Assert.That(problem, Does.Contain("nope").And.Contain("does not exist"));
    }

    [Test]
    public void A_manifest_declaring_rlsc_above_the_project_runs_dotnet_tool_run()
    {
        Manifest("repo", true, "dotnet-cake", "rlsc");
        Directory.CreateDirectory(Path.Combine(_root, "repo", "src", "model"));
        _environment["PATH"] = Path.GetDirectoryName(Touch("path", "rlsc"));
        var found = Locate(null, Path.Combine(_root, "repo", "src", "model"), out _)!;
        Assert.That(found.PrefixArguments, Is.EqualTo(new[] { "tool", "run", "rlsc" }));
        Assert.That(found.Source, Does.Contain(Path.Combine(_root, "repo", ".config", "dotnet-tools.json")));
    }

    [Test]
    public void A_root_manifest_without_rlsc_stops_the_search_and_PATH_is_next()
    {
        Manifest("", false, "rlsc");          // above the root manifest: not consulted
        Manifest("repo", true, "dotnet-cake"); // the repository's root manifest, without rlsc
        string onPath = Touch("path", "rlsc");
        _environment["PATH"] = string.Join(Path.PathSeparator, Path.Combine(_root, "empty"), Path.GetDirectoryName(onPath));
        var found = Locate(null, Path.Combine(_root, "repo"), out _)!;
        Assert.That((found.FileName, found.Source), Is.EqualTo((onPath, "PATH")));
    }

    [Test]
    public void The_global_tools_folder_is_the_last_resort()
    {
        string global = Touch("home", ".dotnet", "tools", "rlsc");
        var found = Locate(null, _root, out _)!;
        Assert.That((found.FileName, found.Source), Is.EqualTo((global, "global tools folder")));
    }

    [Test]
    public void Nothing_found_says_what_was_tried_and_what_to_do()
    {
        Assert.That(Locate(null, _root, out string? problem), Is.Null);
        Assert.That(problem, Does.Contain("RlscToolPath is not set").And.Contain("dotnet tool install Rlsc.Cli").And.Contain("PATH"));
    }

    static bool SameInvocation(RlscToolInvocation a, RlscToolInvocation b) =>
        a.FileName == b.FileName && a.PrefixArguments.SequenceEqual(b.PrefixArguments) && a.Source == b.Source;
}
