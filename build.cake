// The build's stages. `dotnet cake --target=<Stage>`; arguments and stages are documented in docs/pipeline.md.
var target = Argument("target", "Test");
var configuration = Argument("configuration", "Release");
var solution = "./RlscPipeline.sln";

Task("Clean")
    .Does(() => DotNetClean(solution, new DotNetCleanSettings { Configuration = configuration }));

Task("Restore")
    .Does(() => DotNetRestore(solution));

Task("Build")
    .IsDependentOn("Restore")
    .Does(() => DotNetBuild(solution, new DotNetBuildSettings { Configuration = configuration, NoRestore = true }));

// Unit and integration tests; the quality-gate tests (category QualityGate) run in the Gate stage.
Task("Test")
    .IsDependentOn("Build")
    .Does(() => DotNetTest(solution, new DotNetTestSettings
    {
        Configuration = configuration,
        NoBuild = true,
        Filter = "TestCategory!=QualityGate",
    }));

Task("Doctor")
    .IsDependentOn("Build")
    .Does(() => DotNetRun("./src/Rlsc.Cli/Rlsc.Cli.csproj", new ProcessArgumentBuilder().Append("doctor"),
        new DotNetRunSettings { Configuration = configuration, NoBuild = true }));

RunTarget(target);
