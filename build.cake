// The build's stages: `dotnet cake --target=<Stage> [--argument=value ...]`. Stages and arguments are documented
// in docs/pipeline.md; the helpers live in build/*.cake and the MSBuild side in build/Pipeline.proj.
#load "build/arguments.cake"
#load "build/pipeline.cake"
#load "build/github.cake"

var args = ReadPipelineArguments();
var solution = "./RlscPipeline.sln";

TaskSetup(context => GitHubGroupStart(context.Task.Name));
TaskTeardown(context => GitHubGroupEnd());

Task("Clean")
    .Does(() => CleanAll(args, solution));

Task("Restore")
    .Does(() => DotNetRestore(solution));

Task("Build")
    .IsDependentOn("Restore")
    .Does(() => DotNetBuild(solution, new DotNetBuildSettings { Configuration = args.Configuration, NoRestore = true }));

// Unit and integration tests; the quality-gate tests (category QualityGate) run in the Gate stage.
Task("Test")
    .IsDependentOn("Build")
    .Does(() => DotNetTest(solution, new DotNetTestSettings
    {
        Configuration = args.Configuration,
        NoBuild = true,
        Filter = "TestCategory!=QualityGate",
    }));

Task("Doctor")
    .IsDependentOn("Build")
    .Does(() => DotNetRun("./src/Rlsc.Cli/Rlsc.Cli.csproj", new ProcessArgumentBuilder().Append("doctor"),
        new DotNetRunSettings { Configuration = args.Configuration, NoBuild = true }));

// Only what the pipeline runs (rlsc and the tasks), so that FineTune does not wait for the tests and benchmarks.
Task("BuildTools")
    .IsDependentOn("Restore")
    .Does(() => BuildPipelineTools(args));

Task("FineTune")
    .IsDependentOn("BuildTools")
    .Does(() => RunPipelineTarget("RlscFineTune", args));

// The base model and the fine-tuned one, on the same suites.
Task("Evaluate")
    .IsDependentOn("FineTune")
    .Does(() => RunPipelineTarget("RlscEvaluate", args));

// Before/after comparison in Markdown (and in the GitHub Actions job summary).
Task("Report")
    .IsDependentOn("Evaluate")
    .Does(() => RunPipelineTarget("RlscReport", args));

// rlsc gate and the golden-snapshot tests; after Report, so that a failing gate still leaves the report.
Task("Gate")
    .IsDependentOn("Report")
    .Does(() => RunGate(args));

RunTarget(args.Target);
