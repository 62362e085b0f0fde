using System.Diagnostics;
using System.Runtime.Versioning;
using System.Text.Json;
using Rlsc.Runtime.Tests.Training;

namespace Rlsc.Cli.Tests.Platform;

/// <summary>
/// External LibTorch mode end to end on the CPU: rlsc built with -p:TorchDevice=external (the TorchSharp package
/// alone) into a folder of its own, run as a separate process with the libtorch-cpu 2.10 libraries of the NuGet cache
/// linked into a folder of their own (not beside the application), laid out like the libtorch zip. It loads, reports
/// what it loaded, samples the same tokens as the in-process build, takes an RLSC step, and each way of getting
/// LibTorch wrong is one clear error.
/// </summary>
[NonParallelizable]
[SupportedOSPlatform("linux")]  // external mode loads Linux shared objects (dlopen, .so)
public class ExternalLibTorchTests
{
    string root = "", app = "", libtorch = "", work = "", model = "";

    [OneTimeSetUp]
    public void BuildExternalApp()
    {
        root = FindRepositoryRoot();
        work = Directory.CreateTempSubdirectory("rlsc-external-").FullName;
        // One extra output for this test only, under artifacts/ (ignored), kept between runs so that rebuilds are incremental.
        string artifacts = Path.Combine(root, "artifacts", "test-external-libtorch");
        var build = Dotnet(root, null, "build", Path.Combine(root, "src", "Rlsc.Cli", "Rlsc.Cli.csproj"), "-c", "Release",
            "-p:TorchDevice=external", "--artifacts-path", artifacts, "-nologo", "-v:q", "-nodeReuse:false", "-tl:off");
        Assert.That(build.Exit, Is.Zero, "building rlsc with -p:TorchDevice=external failed:\n" + build.Out + build.Err);
        app = Path.Combine(artifacts, "bin", "Rlsc.Cli", "release");
        libtorch = LinkLibTorch(Path.Combine(work, "libtorch"));
        model = TinyQwen.Write(Path.Combine(work, "model"), seed: 3, sharpness: 5);
    }

    [OneTimeTearDown]
    public void RemoveWork() => Directory.Delete(work, recursive: true);

    [Test]
    public void TheExternalBuildCarriesTorchSharpButNoLibTorch()
    {
        var files = Directory.EnumerateFiles(app, "*", SearchOption.AllDirectories).Select(Path.GetFileName).ToList();
        Assert.That(files, Does.Contain("TorchSharp.dll").And.Contain("libLibTorchSharp.so"));
        Assert.That(files.Where(f => f!.StartsWith("libtorch", StringComparison.Ordinal) || f!.StartsWith("libc10", StringComparison.Ordinal)), Is.Empty);
        Assert.That(File.ReadAllText(Path.Combine(app, "rlsc.runtimeconfig.json")), Does.Contain("\"Rlsc.ExternalLibTorch\": true"));
    }

    [Test]
    public void DoctorSaysWhichLibTorchWasLoadedAndThatLibTorchSharpWasBuiltForIt()
    {
        var (exit, output, error) = Rlsc(Env(libtorch), "doctor");
        Assert.That(exit, Is.Zero, error);
        Assert.That(output, Does.Contain($"LibTorch     2.10.0+cpu from {libtorch} (RLSC_LIBTORCH)"));
        Assert.That(output, Does.Contain("CUDA         not available"));
        Assert.That(output, Does.Contain($"LibTorchSharp {Path.Combine(app, "runtimes", "linux-x64", "native", "libLibTorchSharp.so")}"));
        Assert.That(output, Does.Contain("Built for    LibTorch 2.10.0 (the TorchSharp 0.107.0 package's); the same version: it fits"));
        // The process mapped this folder's libtorch_cpu.so and no other.
        Assert.That(output, Does.Contain("OK: TorchSharp works."));
    }

    [Test]
    public void PythonModeTakesTheFolderPythonReports()
    {
        // A stand-in for python3 that answers the one question rlsc asks it: where torch/lib is.
        string python = Path.Combine(work, "fake-python");
        File.WriteAllText(python, $"#!/bin/sh\necho '{libtorch}'\n");
        File.SetUnixFileMode(python, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var env = Env("python");
        env["RLSC_PYTHON"] = python;
        var (exit, output, error) = Rlsc(env, "doctor");
        Assert.That(exit, Is.Zero, error);
        Assert.That(output, Does.Contain($"from {libtorch} (RLSC_LIBTORCH=python ({python}))"));
    }

    [Test]
    public void SamplesTheSameTokensAsTheBuildThatCarriesLibTorch()
    {
        string[] args = ["generate", "--model", model, "--prompt", "abc", "--samples", "3", "--temperature", "0.9", "--max-new-tokens", "8", "--seed", "11"];
        var (exit, output, error) = Rlsc(Env(libtorch), args);
        Assert.That(exit, Is.Zero, error);
        var (inProcessExit, inProcess, inProcessError) = CliRunner.Run(args);
        Assert.That(inProcessExit, Is.Zero, inProcessError);
        Assert.That(TokenIds(output), Is.EqualTo(TokenIds(inProcess)).And.Count.EqualTo(3));
    }

    [Test]
    public void TakesAnRlscStep()
    {
        string questions = Path.Combine(work, "questions.jsonl");
        File.WriteAllLines(questions, ["{\"question\": \"1+1=?\"}", "{\"question\": \"2+5=?\"}"]);
        string config = Path.Combine(work, "step.json");
        File.WriteAllText(config, $$"""
            {
              "model": {{JsonSerializer.Serialize(model)}},
              "device": "cpu",
              "data": { "suite": null, "file": {{JsonSerializer.Serialize(questions)}}, "prompt_template": "none" },
              "sampling": { "samples_per_question": 3, "max_new_tokens": 4 },
              "training": { "steps": 1, "checkpoint_every": 1 }
            }
            """);
        string output = Path.Combine(work, "run");
        var (exit, _, error) = Rlsc(Env(libtorch), "finetune", "--config", config, "--output", output, "--progress", "none");
        Assert.That(exit, Is.Zero, error);
        var metrics = File.ReadAllLines(Path.Combine(output, "metrics.jsonl"));
        Assert.That(metrics, Has.Length.EqualTo(1));
        using var step = JsonDocument.Parse(metrics[0]);
        Assert.That(double.IsFinite(step.RootElement.GetProperty("train/loss").GetDouble()), Is.True, metrics[0]);
    }

    [Test]
    public void WithoutRlscLibTorchItSaysWhatToSet()
    {
        var (exit, output, error) = Rlsc(Env(null), "doctor");
        AssertOneError(exit, output, error, "RLSC100", "RLSC_LIBTORCH is not set");
    }

    [Test]
    public void AFolderWithoutLibTorchIsNamedWithWhatItHolds()
    {
        string empty = Directory.CreateDirectory(Path.Combine(work, "not-libtorch")).FullName;
        File.WriteAllText(Path.Combine(empty, "libfoo.so"), "");
        var (exit, output, error) = Rlsc(Env(empty), "doctor");
        AssertOneError(exit, output, error, "RLSC100", $"names {empty}, which lacks libc10.so, libtorch_cpu.so, libtorch.so (found: libfoo.so)");
    }

    [Test]
    public void APythonThatCannotBeStartedIsNamed()
    {
        var env = Env("python");
        env["RLSC_PYTHON"] = Path.Combine(work, "no-such-python");
        var (exit, output, error) = Rlsc(env, "doctor");
        AssertOneError(exit, output, error, "RLSC100", "no-such-python could not be started");
    }

    [Test]
    public void ALibTorchSharpThatDoesNotLinkIsOneErrorNamingTheMissingSymbol()
    {
        // A copy of the application whose libLibTorchSharp has undefined symbols against this LibTorch, as one built for
        // another LibTorch has: libtorch_python.so (it expects the Python interpreter's symbols).
        string copy = Path.Combine(work, "mismatched-app");
        foreach (string file in Directory.EnumerateFiles(app))
            CopyTo(file, Path.Combine(copy, Path.GetFileName(file)));
        string native = Path.Combine(copy, "runtimes", "linux-x64", "native");
        CopyTo(Path.Combine(libtorch, "libtorch_python.so"), Path.Combine(native, "libLibTorchSharp.so"));
        CopyTo(Path.Combine(libtorch, "libshm.so"), Path.Combine(native, "libshm.so"));  // found through $ORIGIN
        var (exit, output, error) = RlscIn(copy, Env(libtorch), "doctor");
        AssertOneError(exit, output, error, "RLSC101", "does not link against the LibTorch in " + libtorch);
        Assert.That(error, Does.Contain("undefined symbol: Py").And.Contain("eng/libtorchsharp/build.sh --install " + native));
    }

    [Test]
    public void TheBuildThatCarriesLibTorchRefusesRlscLibTorch()
    {
        // The ordinary build of rlsc, which this test project references (its output sits beside the tests).
        var (exit, output, error) = RlscIn(AppContext.BaseDirectory, Env(libtorch), "doctor");
        AssertOneError(exit, output, error, "RLSC100", "carries its own LibTorch");
        Assert.That(error, Does.Contain("-p:TorchDevice=external"));
    }

    static void AssertOneError(int exit, string output, string error, string code, string text)
    {
        Assert.That(exit, Is.EqualTo(1), output + error);
        var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(1), error);
        Assert.That(lines[0], Does.Contain($"error {code}: ").And.Contain(text));
        Assert.That(output + error, Does.Not.Contain("LoadNativeBackend").And.Not.Contain("   at "));
    }

    static List<string> TokenIds(string jsonl) => jsonl.Split('\n', StringSplitOptions.RemoveEmptyEntries)
        .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("token_ids").GetRawText()).ToList();

    Dictionary<string, string?> Env(string? setting) => new() { ["RLSC_LIBTORCH"] = setting, ["OMP_NUM_THREADS"] = "1" };

    (int Exit, string Out, string Err) Rlsc(Dictionary<string, string?> env, params string[] args) => RlscIn(app, env, args);

    static (int Exit, string Out, string Err) RlscIn(string appFolder, Dictionary<string, string?> env, params string[] args) =>
        Dotnet(Path.GetTempPath(), env, [Path.Combine(appFolder, "rlsc.dll"), .. args]);

    static (int Exit, string Out, string Err) Dotnet(string directory, Dictionary<string, string?>? env, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in args) start.ArgumentList.Add(a);
        // The test host's MSBuild and CI settings must not leak into the child.
        foreach (string name in new[] { "MSBUILDNOINPROCNODE", "MSBuildExtensionsPath", "MSBuildSDKsPath", "MSBUILD_EXE_PATH", "GITHUB_ACTIONS", "RLSC_RUN_ID" })
            start.Environment[name] = null;
        if (env is not null)
            foreach (var (name, value) in env) start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var err = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(10)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("dotnet " + string.Join(' ', args) + " did not finish in 10 minutes");
        }
        return (process.ExitCode, output, err.Result);
    }

    /// <summary>
    /// libtorch/lib (the NuGet cache's libtorch-cpu-linux-x64 2.10.0 natives, hard links where the file system allows,
    /// else symbolic links: 460 MB are never copied) and libtorch/build-version, as the libtorch zip lays them out.
    /// </summary>
    static string LinkLibTorch(string folder)
    {
        string packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } p ? p
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        string natives = Path.Combine(packages, "libtorch-cpu-linux-x64", "2.10.0", "runtimes", "linux-x64", "native");
        Assert.That(Directory.Exists(natives), Is.True, "the libtorch-cpu-linux-x64 2.10.0 package is not in the NuGet cache: " + natives);
        string lib = Directory.CreateDirectory(Path.Combine(folder, "lib")).FullName;
        foreach (string file in Directory.EnumerateFiles(natives))
            CopyTo(file, Path.Combine(lib, Path.GetFileName(file)));
        File.WriteAllText(Path.Combine(folder, "build-version"), "2.10.0+cpu\n");
        return lib;
    }

    static void CopyTo(string source, string target)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        if (File.Exists(target)) File.Delete(target);
        var ln = Process.Start(new ProcessStartInfo("ln", ["-f", source, target]) { RedirectStandardError = true, UseShellExecute = false })!;
        ln.WaitForExit();
        if (ln.ExitCode != 0) File.CreateSymbolicLink(target, source);
    }

    static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "RlscPipeline.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("RlscPipeline.sln is not above " + AppContext.BaseDirectory);
    }
}
