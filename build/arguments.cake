// The pipeline's arguments (`dotnet cake --target=Gate --suites=math500 ...`), each with its default.
// docs/pipeline.md, "Cake stages and arguments", documents them; keep the two in step.

public sealed class PipelineArguments
{
    public string Target { get; init; }
    public string Configuration { get; init; }
    public string Config { get; init; }
    public string Model { get; init; }
    public string Device { get; init; }
    public string Suites { get; init; }
    public string Steps { get; init; }
    public string Samples { get; init; }
    public string Seed { get; init; }
    public string EvalSeed { get; init; }
    public string Limit { get; init; }
    public string MaxNewTokens { get; init; }
    public string Output { get; init; }
    public string Thresholds { get; init; }
    public string Golden { get; init; }
    public string ModelKey { get; init; }
    public string Rlsc { get; init; }

    /// <summary>
    /// The golden-snapshot tests' settings (docs/gate.md, "Golden-snapshot tests"): the same summary, thresholds and
    /// golden results as rlsc gate. The summary and the baseline are the RlscGate target's own (RlscGateSummary,
    /// RlscGateBaseline, read from build/Pipeline.proj), so that the output folder's layout lives in the targets only.
    /// Unset ones are left out, so that the tests' own defaults apply.
    /// </summary>
    public Dictionary<string, string> GateTestSettings(string gateSummary, string gateBaseline) => new Dictionary<string, string>
        {
            ["RLSC_GATE_SUMMARY"] = gateSummary,
            ["RLSC_GATE_MODEL_KEY"] = ModelKey,
            ["RLSC_GATE_THRESHOLDS"] = Thresholds,
            ["RLSC_GATE_GOLDEN"] = Golden,
            ["RLSC_GATE_BASELINE"] = gateBaseline,
        }
        .Where(p => !string.IsNullOrEmpty(p.Value))
        .ToDictionary(p => p.Key, p => p.Value);

    /// <summary>MSBuild properties of build/Pipeline.proj; empty arguments are left to the targets' defaults.</summary>
    public IEnumerable<KeyValuePair<string, string>> Properties()
    {
        var all = new Dictionary<string, string>
        {
            ["Configuration"] = Configuration,
            ["RlscConfig"] = Config,
            ["RlscModel"] = Model,
            ["RlscDevice"] = Device,
            ["RlscSuites"] = Suites,
            ["RlscSteps"] = Steps,
            ["RlscSamples"] = Samples,
            ["RlscSeed"] = Seed,
            ["RlscEvalSeed"] = EvalSeed,
            ["RlscEvalLimit"] = Limit,
            ["RlscEvalMaxNewTokens"] = MaxNewTokens,
            ["RlscOutputRoot"] = Output,
            ["RlscThresholds"] = Thresholds,
            ["RlscGolden"] = Golden,
            ["RlscGateModelKey"] = ModelKey,
            ["RlscToolPath"] = Rlsc,
            // CI logs show rlsc's progress and messages at every verbosity.
            ["RlscProgressImportance"] = "High",
            ["RlscMessageImportance"] = "High",
        };
        return all.Where(p => !string.IsNullOrEmpty(p.Value));
    }
}

PipelineArguments ReadPipelineArguments() => new PipelineArguments
{
    Target = Argument("target", "Test"),
    Configuration = Argument("configuration", "Release"),
    Config = FullPathOrEmpty(Argument("config", "configs/default.json")),
    Model = PathIfLocal(Argument("model", "")),
    Device = Argument("device", "cpu"),
    Suites = Argument("suites", "arith"),
    Steps = Argument("steps", ""),
    Samples = Argument("samples", ""),
    // --seed seeds the fine-tune only; the evaluations sample with --eval-seed, else the run's evaluation.seed.
    Seed = Argument("seed", ""),
    EvalSeed = Argument("eval-seed", ""),
    Limit = Argument("limit", ""),
    MaxNewTokens = Argument("max-new-tokens", ""),
    Output = FullPathOrEmpty(Argument("output", "artifacts/pipeline/")),
    Thresholds = FullPathOrEmpty(Argument("thresholds", "")),
    Golden = FullPathOrEmpty(Argument("golden", "")),
    ModelKey = Argument("model-key", "embedded-default"),
    Rlsc = FullPathOrEmpty(Argument("rlsc", "")),
};

// A model argument that names a local folder becomes absolute (so MSBuild can watch its files); a hub id stays as is.
string PathIfLocal(string model) =>
    !string.IsNullOrEmpty(model) && DirectoryExists(model) ? MakeAbsolute(Directory(model)).FullPath : model;

// Paths given relative to the repository root (where build.cake is), made absolute for MSBuild.
string FullPathOrEmpty(string path) =>
    string.IsNullOrEmpty(path) ? "" : MakeAbsolute(File(path)).FullPath + (path.EndsWith("/") ? "/" : "");
