// Stages that run the Rlsc.Tasks targets through build/Pipeline.proj, so that Cake and MSBuild behave the same.

const string PipelineProject = "./build/Pipeline.proj";

/// Builds the projects the pipeline stages run: the rlsc CLI and the task assembly (incremental after Build).
void BuildPipelineTools(PipelineArguments args)
{
    // Without the code-style analyzers: the pipeline needs the binaries, and the Build and Test stages (and CI) enforce
    // the style; it saves ~7 s of a fresh clone's FineTune (25.5 -> 19.0 s measured).
    var settings = new DotNetBuildSettings
    {
        Configuration = args.Configuration,
        NoRestore = true,
        MSBuildSettings = new DotNetMSBuildSettings().WithProperty("EnforceCodeStyleInBuild", "false").WithProperty("RunAnalyzers", "false"),
    };
    foreach (var project in new[] { "./src/Rlsc.Cli/Rlsc.Cli.csproj", "./src/Rlsc.Tasks/Rlsc.Tasks.csproj" })
        DotNetBuild(project, settings);
}

/// build/Pipeline.proj with the arguments as MSBuild properties.
DotNetMSBuildSettings PipelineSettings(PipelineArguments args)
{
    var settings = new DotNetMSBuildSettings { NoLogo = true, NodeReuse = false };
    foreach (var property in args.Properties()) settings.WithProperty(property.Key, property.Value);
    return settings;
}

/// Runs one target of build/Pipeline.proj with the arguments as MSBuild properties.
void RunPipelineTarget(string target, PipelineArguments args)
{
    var settings = PipelineSettings(args);
    settings.Targets.Add(target);
    // Minimal verbosity keeps the log to what matters (rlsc's lines are High importance); no terminal logger in CI.
    settings.ArgumentCustomization = a => a.Append("-v:minimal").Append("-tl:off");
    DotNetMSBuild(PipelineProject, settings);
}

/// Properties as the targets compute them for these arguments (`dotnet msbuild -getProperty`, which evaluates the
/// project and runs no target): the targets own the output folder's layout, Cake only asks for it.
Dictionary<string, string> PipelineProperties(PipelineArguments args, params string[] names)
{
    var settings = PipelineSettings(args);
    settings.ArgumentCustomization = a => { foreach (var name in names) a.Append("-getProperty:" + name); return a; };
    settings.SetupProcessSettings = process => process.RedirectStandardOutput = true;
    var output = new List<string>();
    settings.PostAction = process => output.AddRange(process.GetStandardOutput());
    DotNetMSBuild(PipelineProject, settings);
    // Several names print {"Properties": {name: value, ...}}.
    using var json = System.Text.Json.JsonDocument.Parse(string.Join("\n", output));
    var properties = json.RootElement.GetProperty("Properties");
    return names.ToDictionary(name => name, name => properties.GetProperty(name).GetString() ?? "");
}

/// The quality gate: `rlsc gate` through the RlscGate target, and the golden-snapshot tests pointed at the same
/// summary. Both run, so that one failure does not hide the other; the stage fails if either does.
void RunGate(PipelineArguments args)
{
    var failures = new List<string>();
    try
    {
        RunPipelineTarget("RlscGate", args);
    }
    catch (Exception e)
    {
        failures.Add("rlsc gate failed (the errors above say which suites): " + e.Message);
    }
    try
    {
        // The summaries rlsc gate was given, so that the two halves of the gate judge the same evaluation.
        var gated = PipelineProperties(args, "RlscGateSummary", "RlscGateBaseline");
        string summary = gated["RlscGateSummary"], baseline = gated["RlscGateBaseline"];
        Information("Golden-snapshot tests on " + summary.Replace("{", "{{").Replace("}", "}}"));
        // Built here (incrementally, never restored again): the pipeline stages build only rlsc and the tasks.
        DotNetTest("./tests/Rlsc.Quality.Tests/Rlsc.Quality.Tests.csproj", new DotNetTestSettings
        {
            Configuration = args.Configuration,
            NoRestore = true,
            Filter = "TestCategory=QualityGate",
            // The settings of docs/gate.md, "Golden-snapshot tests": the same summary and thresholds as rlsc gate.
            EnvironmentVariables = args.GateTestSettings(summary, baseline),
        });
    }
    catch (Exception e)
    {
        failures.Add("the golden-snapshot tests failed (see their output above): " + e.Message);
    }
    foreach (var failure in failures) GitHubError(failure);
    if (failures.Count > 0) throw new Exception(string.Join(Environment.NewLine, failures));
}

/// Clean removes the build outputs and the pipeline's own output folder.
void CleanAll(PipelineArguments args, string solution)
{
    DotNetClean(solution, new DotNetCleanSettings { Configuration = args.Configuration });
    if (DirectoryExists(args.Output)) DeleteDirectory(args.Output, new DeleteDirectorySettings { Recursive = true, Force = true });
}
