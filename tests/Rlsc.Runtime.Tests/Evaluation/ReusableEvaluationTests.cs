using System.Text.Json.Nodes;
using Rlsc.Core.Evaluation.Reports;
using Rlsc.Core.Evaluation.Runner;
using Rlsc.Core.Evaluation.Suites;

namespace Rlsc.Runtime.Tests.Evaluation;

/// <summary>
/// `rlsc eval --reuse`: a finished evaluation is reused only when it is exactly what this evaluation would compute.
/// One finished evaluation (aime24, 2 samples at T=0.5, a fake generator on a model folder) and, for each input it
/// records, a request that differs in that input alone: not reused, with the reason naming the input.
/// </summary>
public class ReusableEvaluationTests
{
    string _folder = "";
    string _model = "";
    string _finished = "";

    static readonly GenerationPlacement Cpu = new("cpu", "float32", null);

    /// <summary>Answers every problem "\boxed{1}" k times; where it runs is what the test says.</summary>
    sealed class FakeGenerator(ModelInfo model, GenerationPlacement? placement) : IResponseGenerator
    {
        public ModelInfo Model => model;
        public GenerationPlacement? Placement => placement;

        public IReadOnlyList<IReadOnlyList<SampledResponse>> Generate(IReadOnlyList<string> prompts, GenerationRequest request, IProgress<int>? samplesDone, CancellationToken cancellation) =>
            prompts.Select(_ => (IReadOnlyList<SampledResponse>)Enumerable.Repeat(new SampledResponse("\\boxed{1}", 3, "eos"), request.Samples).ToList()).ToList();

        public void Dispose() { }
    }

    ModelInfo Model => new("tiny", _model, null);

    EvaluationOptions Options(string output = "out") => new()
    {
        Suites = SuiteCatalog.FindAll("aime24"),
        OutputFolder = Path.Combine(_folder, output),
        Samples = 2,
        Temperature = 0.5,
        Seed = 3,
        BatchSize = 7,
        RunId = "42-1",
    };

    [SetUp]
    public void Evaluate()
    {
        _folder = EvaluationFixture.TempFolder("reuse");
        _model = Path.Combine(_folder, "models", "tiny");
        Directory.CreateDirectory(_model);
        File.WriteAllText(Path.Combine(_model, "config.json"), "{}");
        File.SetLastWriteTimeUtc(Path.Combine(_model, "config.json"), DateTime.UtcNow.AddMinutes(-5));
        _finished = Path.Combine(_folder, "finished");
        using var generator = new FakeGenerator(Model, Cpu);
        EvaluationRunner.RunGeneration(Options("finished"), generator);
    }

    [TearDown]
    public void Delete() => Directory.Delete(_folder, recursive: true);

    ReuseDecision Check(EvaluationOptions options, ModelInfo? model = null, GenerationPlacement? placement = null) =>
        ReusableEvaluation.Check(_finished, options, model ?? Model, placement ?? Cpu);

    [Test]
    public void The_same_evaluation_is_reused_and_copied_byte_for_byte()
    {
        var decision = Check(Options());
        Assert.That(decision.WhyNot, Is.Null);
        Assert.That(decision.Summary!.Suites["aime24"].Count, Is.EqualTo(30));
        // The model named by a folder with a trailing separator is the same folder.
        Assert.That(Check(Options(), Model with { Path = _model + Path.DirectorySeparatorChar }).WhyNot, Is.Null);

        string output = Path.Combine(_folder, "out");
        EvaluationOutput.CopyFinished(_finished, output);
        foreach (string file in new[] { "summary.json", "problems.jsonl", "report.md" })
            Assert.That(File.ReadAllBytes(Path.Combine(output, file)), Is.EqualTo(File.ReadAllBytes(Path.Combine(_finished, file))), file);
        Assert.That(Directory.GetFiles(output).Select(Path.GetFileName), Is.EquivalentTo(new[] { "summary.json", "problems.jsonl", "report.md" }), "no temporary file left");
    }

    static IEnumerable<TestCaseData> OtherRequests()
    {
        TestCaseData Case(string name, Func<EvaluationOptions, EvaluationOptions> change, string reason) =>
            new TestCaseData(change, reason).SetName("Not_reused_for_another_" + name);
        yield return Case("k", o => o with { Samples = 4 }, "its settings.samples is 2, this evaluation's would be 4");
        yield return Case("temperature", o => o with { Temperature = 0.6 }, "its settings.temperature is 0.5, this evaluation's would be 0.6");
        yield return Case("top_p", o => o with { TopP = 0.9 }, "its settings.top_p is 1, this evaluation's would be 0.9");
        yield return Case("top_k", o => o with { TopK = 20 }, "its settings.top_k is 0, this evaluation's would be 20");
        yield return Case("max_new_tokens", o => o with { MaxNewTokens = 64 }, "its settings.max_new_tokens is 2048, this evaluation's would be 64");
        yield return Case("chat_template", o => o with { ChatTemplate = "qwen25-chat" }, "its settings.chat_template is 'qwen25-math-cot', this evaluation's would be 'qwen25-chat'");
        yield return Case("limit", o => o with { Limit = 10 }, "its settings.limit is none, this evaluation's would be 10");
        yield return Case("shard", o => o with { Shard = new ShardSpec(0, 2) }, "its settings.shard is none, this evaluation's would be '0/2'");
        yield return Case("seed", o => o with { Seed = 0 }, "its settings.seed is 3, this evaluation's would be 0");
        yield return Case("batch_size", o => o with { BatchSize = 8 }, "its settings.batch_size is 7, this evaluation's would be 8");
        yield return Case("run_id", o => o with { RunId = "43-1" }, "its run_id is '42-1', this evaluation's would be '43-1'");
        yield return Case("run_id_outside_CI", o => o with { RunId = null }, "its run_id is '42-1', this evaluation's would be none");
        yield return Case("suite", o => o with { Suites = SuiteCatalog.FindAll("amc23") }, "it evaluated the suites aime24, this evaluation amc23");
    }

    [TestCaseSource(nameof(OtherRequests))]
    public void A_request_that_differs_in_one_input_is_not_reused(Func<EvaluationOptions, EvaluationOptions> change, string reason)
    {
        var decision = Check(change(Options()));
        Assert.That(decision.Summary, Is.Null);
        Assert.That(decision.WhyNot, Is.EqualTo(reason));
    }

    [Test]
    public void Another_model_name_folder_or_revision_is_not_reused()
    {
        Assert.That(Check(Options(), Model with { Name = "tiny+rlsc" }).WhyNot, Is.EqualTo("its model.name is 'tiny', this evaluation's would be 'tiny+rlsc'"));
        string other = Path.Combine(_folder, "models", "other");
        Assert.That(Check(Options(), Model with { Path = other }).WhyNot, Is.EqualTo($"its model.path is '{_model}', this evaluation's would be '{other}'"));
        Assert.That(Check(Options(), Model with { Revision = "abc" }).WhyNot, Is.EqualTo("its model.revision is none, this evaluation's would be 'abc'"));
    }

    [Test]
    public void Another_device_dtype_or_matmul_precision_is_not_reused()
    {
        Assert.That(Check(Options(), placement: new("cuda:0", "float32", false)).WhyNot, Is.EqualTo("its settings.device is 'cpu', this evaluation's would be 'cuda:0'"));
        Assert.That(Check(Options(), placement: new("cpu", "bfloat16", null)).WhyNot, Is.EqualTo("its settings.dtype is 'float32', this evaluation's would be 'bfloat16'"));
        Assert.That(Check(Options(), placement: new("cpu", "float32", true)).WhyNot, Is.EqualTo("its settings.tf32 is none, this evaluation's would be true"));
        Assert.That(ReusableEvaluation.Check(_finished, Options(), Model, null).WhyNot, Is.EqualTo("this generator does not say on which device and dtype it runs"));
    }

    [Test]
    public void A_model_file_written_after_the_evaluation_started_is_not_reused()
    {
        File.WriteAllText(Path.Combine(_model, "model.safetensors"), "new weights");
        Assert.That(Check(Options()).WhyNot, Does.StartWith("the model's model.safetensors was written after that evaluation started"));
    }

    /// <summary>Edits the finished summary.json as another rlsc, or a run on other data, would have written it.</summary>
    void EditSummary(Action<JsonObject> edit)
    {
        string file = Path.Combine(_finished, "summary.json");
        var json = JsonNode.Parse(File.ReadAllText(file))!.AsObject();
        edit(json);
        File.WriteAllText(file, json.ToJsonString());
    }

    [Test]
    public void Another_rlsc_version_or_suite_data_or_problems_is_not_reused()
    {
        EditSummary(j => j["rlsc_version"] = "0.0.1");
        Assert.That(Check(Options()).WhyNot, Does.StartWith("its rlsc_version is '0.0.1', this evaluation's would be '"));
        EditSummary(j => j["rlsc_version"] = EvaluationRunner.Version);

        EditSummary(j => j["suites"]!["aime24"]!["data_sha256"] = "0000");
        Assert.That(Check(Options()).WhyNot, Does.StartWith("its aime24 data has sha256 0000, the suite's now af2b8bd2"));
        EditSummary(j => j["suites"]!["aime24"]!["data_sha256"] = EvaluationSuite.Load(SuiteCatalog.Find("aime24")).DataSha256);

        EditSummary(j => j["suites"]!["aime24"]!["selection"]!["end"] = 29);
        Assert.That(Check(Options()).WhyNot, Is.EqualTo("it evaluated aime24 problems 0-28 of 30, this evaluation would evaluate 0-29 of 30"));
    }

    [Test]
    public void An_evaluation_recorded_without_its_batch_size_or_device_is_not_reused()
    {
        // Summaries written before rlsc recorded them: what they were is unknown, so they are never taken for this one.
        EditSummary(j => ((JsonObject)j["settings"]!).Remove("batch_size"));
        Assert.That(Check(Options()).WhyNot, Is.EqualTo("its settings.batch_size is none, this evaluation's would be 7"));
    }

    [Test]
    public void An_unfinished_unreadable_or_graded_evaluation_is_not_reused()
    {
        Directory.CreateDirectory(Path.Combine(_folder, "out", PartialResults.FolderName));
        Assert.That(Check(Options()).WhyNot, Does.StartWith("the output folder holds an unfinished evaluation (partial/)"));
        Directory.Delete(Path.Combine(_folder, "out"), recursive: true);

        File.Delete(Path.Combine(_finished, "report.md"));
        Assert.That(Check(Options()).WhyNot, Is.EqualTo("its report.md is missing"));
        File.WriteAllText(Path.Combine(_finished, "report.md"), "# report");

        EditSummary(j => j["settings"]!["mode"] = "predictions");
        Assert.That(Check(Options()).WhyNot, Is.EqualTo("it graded predictions (mode predictions), it did not generate"));

        File.WriteAllText(Path.Combine(_finished, "summary.json"), "{\"schema\": \"rlsc.eval.summary/v1\", ");
        Assert.That(Check(Options()).WhyNot, Does.StartWith("its summary.json is unusable (RLSC035: not valid JSON"));

        File.Delete(Path.Combine(_finished, "summary.json"));
        Assert.That(Check(Options()).WhyNot, Is.EqualTo("it holds no finished evaluation (no summary.json)"));
        Assert.That(ReusableEvaluation.Check(Path.Combine(_folder, "nowhere"), Options(), Model, Cpu).WhyNot, Is.EqualTo("it holds no finished evaluation (no summary.json)"));
    }

    [Test]
    public void A_generating_evaluation_records_its_batch_size_device_and_dtype()
    {
        var settings = EvaluationSummary.Load(_finished).Settings;
        Assert.That((settings.BatchSize, settings.Device, settings.Dtype, settings.Tf32), Is.EqualTo(((int?)7, "cpu", "float32", (bool?)null)));
    }
}
