namespace Rlsc.Tasks.Tooling;

/// <summary>
/// Finds the rlsc tool, in this order (docs/pipeline.md, "Finding rlsc"):
/// <list type="number">
/// <item>an explicit path (the <c>RlscToolPath</c> task parameter / property): an executable, an
/// <c>rlsc.dll</c> (run with <c>dotnet exec</c>), or a folder holding either;</item>
/// <item>a local tool manifest that declares the <c>rlsc</c> command (the Rlsc.Cli package beside
/// Rlsc.Tasks), from the project folder upwards: run as <c>dotnet tool run rlsc</c>;</item>
/// <item><c>rlsc</c> on PATH, then in the global tools folder (<c>~/.dotnet/tools</c>).</item>
/// </list>
/// </summary>
internal sealed class RlscToolLocator
{
    public const string CommandName = "rlsc";

    readonly Func<string, string?> _environment;

    /// <param name="environment">Reads an environment variable (the process environment, or a fake in tests).</param>
    public RlscToolLocator(Func<string, string?> environment) => _environment = environment;

    /// <summary>
    /// The invocation, or null with <paramref name="problem"/> saying what was tried and what to do.
    /// </summary>
    public RlscToolInvocation? Locate(string? explicitPath, string searchStart, out string? problem)
    {
        problem = null;
        if (!string.IsNullOrWhiteSpace(explicitPath)) return FromExplicitPath(explicitPath!, out problem);

        string? manifest = ToolManifest.FindDeclaring(searchStart, CommandName);
        if (manifest is not null)
            return new RlscToolInvocation(DotnetHost(), new[] { "tool", "run", CommandName }, $"local tool manifest {manifest}");

        string? onPath = FindOnPath();
        if (onPath is not null) return new RlscToolInvocation(onPath, Array.Empty<string>(), "PATH");

        string? home = _environment("HOME") ?? _environment("USERPROFILE");
        if (!string.IsNullOrEmpty(home))
        {
            string global = Path.Combine(home!, ".dotnet", "tools", ExecutableName);
            if (File.Exists(global)) return new RlscToolInvocation(global, Array.Empty<string>(), "global tools folder");
        }

        problem = "the rlsc tool was not found: RlscToolPath is not set, no local tool manifest from "
            + $"'{searchStart}' upwards declares the 'rlsc' command, and there is no rlsc on PATH or in ~/.dotnet/tools. "
            + "Add the Rlsc.Cli tool to your manifest (dotnet new tool-manifest; dotnet tool install Rlsc.Cli; dotnet tool restore), "
            + "or set the RlscToolPath property to the rlsc executable or rlsc.dll.";
        return null;
    }

    RlscToolInvocation? FromExplicitPath(string path, out string? problem)
    {
        problem = null;
        string full = Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            foreach (string name in new[] { ExecutableName, CommandName + ".dll" })
                if (File.Exists(Path.Combine(full, name))) return FromExplicitPath(Path.Combine(full, name), out problem);
            problem = $"RlscToolPath is the folder '{full}', which holds neither {ExecutableName} nor {CommandName}.dll. Point it at the rlsc executable, rlsc.dll, or the folder of a built Rlsc.Cli.";
            return null;
        }
        if (!File.Exists(full))
        {
            problem = $"RlscToolPath is '{path}', which does not exist. Point it at the rlsc executable or rlsc.dll, or leave it empty to use the local tool manifest or PATH.";
            return null;
        }
        if (full.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
            return new RlscToolInvocation(DotnetHost(), new[] { "exec", full }, "RlscToolPath");
        return new RlscToolInvocation(full, Array.Empty<string>(), "RlscToolPath");
    }

    /// <summary>The dotnet that runs this build when there is one (DOTNET_HOST_PATH), else dotnet from PATH.</summary>
    string DotnetHost()
    {
        string? host = _environment("DOTNET_HOST_PATH");
        return !string.IsNullOrEmpty(host) && File.Exists(host) ? host! : "dotnet";
    }

    string? FindOnPath()
    {
        string? path = _environment("PATH");
        if (string.IsNullOrEmpty(path)) return null;
        foreach (string dir in path!.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(dir.Trim(), ExecutableName);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    static string ExecutableName => OperatingSystem.IsWindows() ? CommandName + ".exe" : CommandName;
}
