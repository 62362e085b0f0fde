using System.Text.Json;
using Rlsc.Core;
using Rlsc.Core.Evaluation.Reports;
using Rlsc.Core.Evaluation.Runner;
using Rlsc.Core.Evaluation.Suites;

namespace Rlsc.Runtime.Tests.Evaluation;

/// <summary>`rlsc eval` in process: predictions mode on real suites, selection, errors, and generating mode with a fake generator.</summary>
public class EvaluationRunTests
{
    string _folder = "";

    [SetUp]
    public void Create() => _folder = EvaluationFixture.TempFolder("eval");

    [TearDown]
    public void Delete() => Directory.Delete(_folder, recursive: true);

    static EvaluationSuite Load(string name) => EvaluationSuite.Load(SuiteCatalog.Find(name));

    EvaluationOptions Options(string suites, string output = "out") => new()
    {
        Suites = SuiteCatalog.FindAll(suites),
        OutputFolder = Path.Combine(_folder, output),
        RunId = null,
    };

    [Test]
    public void GoldAnswersAsPredictions_ScorePerfectly_OnGsm8k()
    {
        var suite = Load("gsm8k");
        string path = Path.Combine(_folder, "gold.jsonl");
        File.WriteAllLines(path, suite.Problems.Select(p => JsonSerializer.Serialize(new { index = p.Index, response = $"#### so the answer is \\boxed{{{p.Gold}}}" })));
        var summary = EvaluationRunner.RunPredictions(Options("gsm8k"), path, new ModelInfo("gold", null, null));
        var gsm8k = summary.Suites["gsm8k"];
        Assert.That(gsm8k.Count, Is.EqualTo(1319));
        Assert.That(gsm8k.Accuracy, Is.EqualTo(1.0));
        Assert.That(gsm8k.ExtractionFailureRate, Is.Zero);
        Assert.That(gsm8k.DataSha256, Is.EqualTo(suite.DataSha256));
        Assert.That(summary.Settings.Mode, Is.EqualTo("predictions"));
        var reloaded = EvaluationSummary.Load(Path.Combine(_folder, "out", "summary.json"));
        Assert.That(EvaluationFixture.Comparable(reloaded), Is.EqualTo(EvaluationFixture.Comparable(summary)));
        var problems = EvaluationOutput.ReadProblems(Path.Combine(_folder, "out", "problems.jsonl"));
        Assert.That(problems.Select(p => p.Index), Is.EqualTo(Enumerable.Range(0, 1319)));
        Assert.That(problems[0].Prompt, Does.StartWith("<|im_start|>system\nPlease reason step by step").And.Contain(suite.Problems[0].Question));
        Assert.That(File.ReadAllText(Path.Combine(_folder, "out", "report.md")), Does.Contain("| gsm8k | 1319 | 100.0% [100.0, 100.0] |"), "every problem right: no spread");
        Assert.That(Directory.GetFiles(Path.Combine(_folder, "out")).Select(Path.GetFileName), Is.EquivalentTo(new[] { "summary.json", "problems.jsonl", "report.md" }));
    }

    [Test]
    public void SeveralSuitesAndSamples_GiveTheExpectedMetrics()
    {
        var suites = new[] { Load("aime24"), Load("amc23") };
        string path = EvaluationFixture.WritePredictions(_folder, suites, k: 4);
        var summary = EvaluationRunner.RunPredictions(Options("aime24,amc23"), path, new ModelInfo("mix", null, null));
        Assert.That(summary.Suites.Keys, Is.EqualTo(new[] { "aime24", "amc23" }));
        Assert.That(summary.Settings.Samples, Is.EqualTo(4));
        foreach (var (name, s) in summary.Suites)
        {
            // Recompute from problems.jsonl by hand: avg@4 and the failure rate.
            var problems = EvaluationOutput.ReadProblems(Path.Combine(_folder, "out", "problems.jsonl")).Where(p => p.Suite == name).ToList();
            Assert.That(s.AvgAtK, Is.EqualTo(problems.Average(p => p.Correct.Count(c => c) / 4.0)).Within(1e-12));
            Assert.That(s.ExtractionFailureRate, Is.EqualTo(problems.Sum(p => p.Extracted.Count(e => e is null)) / (4.0 * problems.Count)).Within(1e-12));
            Assert.That(s.Accuracy, Is.InRange(0.2, 0.8), "about half of the responses are right");
            Assert.That(s.PassAtK["4"], Is.GreaterThanOrEqualTo(s.PassAtK["2"]).And.GreaterThanOrEqualTo(s.PassAtK["1"]));
            Assert.That(s.PassAtK["1"], Is.EqualTo(s.AvgAtK).Within(1e-12));
        }
        Assert.That(summary.Macro.Accuracy, Is.EqualTo((summary.Suites["aime24"].Accuracy + summary.Suites["amc23"].Accuracy) / 2).Within(1e-15));
    }

    [Test]
    public void LimitAndShard_SelectProblems()
    {
        var suite = Load("math500");
        string path = EvaluationFixture.WritePredictions(_folder, [suite], k: 1);
        var limited = EvaluationRunner.RunPredictions(Options("math500", "limited") with { Limit = 10 }, path, new ModelInfo("m", null, null));
        Assert.That(limited.Suites["math500"].Count, Is.EqualTo(10));
        Assert.That(limited.Suites["math500"].Selection, Is.EqualTo(new SuiteSelection { SuiteSize = 500, Limit = 10, Start = 0, End = 10 }));
        var shard = EvaluationRunner.RunPredictions(Options("math500", "shard") with { Shard = new ShardSpec(1, 3) }, path, new ModelInfo("m", null, null));
        Assert.That(shard.Suites["math500"].Selection, Is.EqualTo(new SuiteSelection { SuiteSize = 500, Shard = "1/3", Start = 166, End = 333 }));
        Assert.That(EvaluationOutput.ReadProblems(Path.Combine(_folder, "shard", "problems.jsonl")).Select(p => p.Index), Is.EqualTo(Enumerable.Range(166, 167)));
        Assert.That(shard.Settings.Shard, Is.EqualTo("1/3"));
    }

    [Test]
    public void MissingPredictions_AreAnError_ThatNamesTheIndices()
    {
        string path = Path.Combine(_folder, "partial.jsonl");
        File.WriteAllLines(path, Enumerable.Range(0, 30).Where(i => i is not (3 or 4 or 5 or 17)).Select(i => JsonSerializer.Serialize(new { index = i, response = "\\boxed{1}" })));
        var e = Assert.Throws<RlscException>(() => EvaluationRunner.RunPredictions(Options("aime24"), path, new ModelInfo("m", null, null)))!;
        Assert.That(e.Code, Is.EqualTo(ErrorCodes.PredictionsInvalid));
        Assert.That(e.Message, Does.Contain("3-5, 17"));
        Assert.That(Directory.Exists(Path.Combine(_folder, "out")), Is.False, "nothing is written");
    }

    [Test]
    public void UnknownChatTemplate_FailsBeforeAnyWork()
    {
        string path = Path.Combine(_folder, "p.jsonl");
        File.WriteAllText(path, "{\"index\": 0, \"response\": \"x\"}\n");
        var e = Assert.Throws<RlscException>(() => EvaluationRunner.RunPredictions(Options("aime24") with { ChatTemplate = "chatml" }, path, new ModelInfo("m", null, null)))!;
        Assert.That(e.Code, Is.EqualTo(ErrorCodes.InvalidArgument));
        Assert.That(e.Message, Does.Contain("qwen25-math-cot"));
    }

    [TestCase("""{"index": 0, "response": "x"}""" + "\n" + """{"index": 30, "response": "x"}""", 2, "out of range")]
    [TestCase("""{"response": "x"}""", 1, "`index`")]
    [TestCase("""{"index": 0}""", 1, "neither `response`")]
    [TestCase("""{"index": 0, "responses": "x"}""", 1, "list of strings")]
    [TestCase("""{"index": 0, "response": "x"}""" + "\n" + """{"index": 1, "response": "x", "suite": 7}""", 2, "`suite`")]
    [TestCase("""{"index": 0, "response": "x", "token_counts": [1, 2]}""", 1, "token_counts")]
    [TestCase("""{"index": 0, "response": """, 1, "not valid JSON")]
    public void MalformedPredictions_NameFileAndLine(string content, int line, string expected)
    {
        string path = Path.Combine(_folder, "bad.jsonl");
        File.WriteAllText(path, content + "\n");
        var e = Assert.Throws<RlscException>(() => EvaluationRunner.RunPredictions(Options("aime24"), path, new ModelInfo("m", null, null)))!;
        Assert.That(e.Code, Is.EqualTo(ErrorCodes.PredictionsInvalid));
        Assert.That(e.File, Is.EqualTo(path));
        Assert.That(e.Line, Is.EqualTo(line));
        Assert.That(e.Message, Does.Contain(expected));
    }

    [Test]
    public void SeveralLinesPerProblem_AddSamples_AndTokenCountsGiveTokenLengths()
    {
        string path = Path.Combine(_folder, "lines.jsonl");
        var suite = Load("aime24");
        File.WriteAllLines(path, suite.Problems.SelectMany(p => new[]
        {
            JsonSerializer.Serialize(new { index = p.Index, response = $"\\boxed{{{p.Gold}}}", token_count = 12 }),
            JsonSerializer.Serialize(new { index = p.Index, responses = new[] { "\\boxed{0}" }, token_counts = new[] { 20 } }),
        }));
        var summary = EvaluationRunner.RunPredictions(Options("aime24"), path, new ModelInfo("m", null, null));
        var s = summary.Suites["aime24"];
        Assert.That((s.Samples, s.Accuracy, s.MeanResponseLength, s.ResponseLengthUnit), Is.EqualTo((2, 0.5, 16.0, "tokens")));
        Assert.That(s.MajAtK, Is.EqualTo(1.0), "a tie goes to the first answer, the right one");
        Assert.That(s.MeanAgreement, Is.EqualTo(0.5));
    }

    /// <summary>Answers every prompt from a table of question → response; counts its calls; can cancel after some.</summary>
    sealed class FakeGenerator(Dictionary<string, string> answers, CancellationTokenSource? cancelAfter = null, int calls = int.MaxValue) : IResponseGenerator
    {
        public ModelInfo Model { get; } = new("fake", "/models/fake", null);
        public GenerationPlacement? Placement => null;
        public int Calls { get; private set; }
        public int Prompts { get; private set; }
        public List<long> Seeds { get; } = [];

        public IReadOnlyList<IReadOnlyList<SampledResponse>> Generate(IReadOnlyList<string> prompts, GenerationRequest request, IProgress<int>? samplesDone, CancellationToken cancellation)
        {
            if (++Calls > calls) { cancelAfter?.Cancel(); cancellation.ThrowIfCancellationRequested(); }
            Prompts += prompts.Count;
            Seeds.Add(request.Seed);
            return prompts.Select(p =>
            {
                string question = answers.Keys.Single(q => p.Contains(q, StringComparison.Ordinal));
                return (IReadOnlyList<SampledResponse>)Enumerable.Range(0, request.Samples)
                    .Select(i => new SampledResponse(i % 2 == 0 ? answers[question] : "\\boxed{-1}", 10 + i, "eos")).ToList();
            }).ToList();
        }

        public void Dispose() { }
    }

    static Dictionary<string, string> Answers(EvaluationSuite suite) =>
        suite.Problems.ToDictionary(p => p.Question, p => p.Index % 3 == 0 ? "\\boxed{0}" : $"\\boxed{{{p.Gold}}}");

    [Test]
    public void Generation_GradesWhatTheGeneratorWrites()
    {
        var suite = Load("aime24");
        using var generator = new FakeGenerator(Answers(suite));
        var options = Options("aime24") with { Samples = 2, Temperature = 0.5, BatchSize = 7, Seed = 3 };
        var summary = EvaluationRunner.RunGeneration(options, generator);
        var s = summary.Suites["aime24"];
        Assert.That(generator.Calls, Is.EqualTo(5), "30 problems in batches of 7");
        Assert.That(generator.Seeds, Is.EqualTo(new[] { 0, 7, 14, 21, 28 }.Select(i => EvaluationRunner.BatchSeed(3, "aime24", i))));
        Assert.That(generator.Seeds.Distinct().Count(), Is.EqualTo(5));
        Assert.That(s.Accuracy, Is.EqualTo(20.0 / 30 / 2).Within(1e-12), "two thirds right in half the samples");
        Assert.That(s.ResponseLengthUnit, Is.EqualTo("tokens"));
        Assert.That(summary.Settings, Is.EqualTo(new EvaluationSettings
        {
            Mode = "generate", Samples = 2, Temperature = 0.5, TopP = 1, TopK = 0, MaxNewTokens = 2048, Seed = 3, ChatTemplate = "qwen25-math-cot", BatchSize = 7,
        }));
        Assert.That(summary.Model, Is.EqualTo(generator.Model));
        Assert.That(Directory.Exists(Path.Combine(_folder, "out", PartialResults.FolderName)), Is.False, "partial results are removed when done");
    }

    [Test]
    public void Generation_SeveralSamplesAtTemperatureZero_IsRefused()
    {
        using var generator = new FakeGenerator(Answers(Load("aime24")));
        var e = Assert.Throws<RlscException>(() => EvaluationRunner.RunGeneration(Options("aime24") with { Samples = 4 }, generator))!;
        Assert.That(e.Message, Does.Contain("--temperature"));
    }

    [Test]
    public void Generation_Interrupted_ResumesWhereItStopped_WithTheSameResult()
    {
        var suite = Load("aime24");
        var baselineGenerator = new FakeGenerator(Answers(suite));
        var baseline = EvaluationRunner.RunGeneration(Options("aime24", "baseline") with { BatchSize = 4 }, baselineGenerator);

        using var cancel = new CancellationTokenSource();
        var interrupted = new FakeGenerator(Answers(suite), cancel, calls: 3);
        var options = Options("aime24") with { BatchSize = 4 };
        var e = Assert.Throws<RlscException>(() => EvaluationRunner.RunGeneration(options, interrupted, cancellation: cancel.Token))!;
        Assert.That(e.Code, Is.EqualTo(ErrorCodes.Interrupted));
        Assert.That(e.Message, Does.Contain("12 of 30").And.Contain("--resume"));
        Assert.That(File.Exists(Path.Combine(_folder, "out", "summary.json")), Is.False);

        var again = Assert.Throws<RlscException>(() => EvaluationRunner.RunGeneration(options, new FakeGenerator(Answers(suite))))!;
        Assert.That(again.Code, Is.EqualTo(ErrorCodes.EvaluationInProgress));
        var other = Assert.Throws<RlscException>(() => EvaluationRunner.RunGeneration(options with { Resume = true, Seed = 9 }, new FakeGenerator(Answers(suite))))!;
        Assert.That(other.Code, Is.EqualTo(ErrorCodes.EvaluationInProgress));

        var resumedGenerator = new FakeGenerator(Answers(suite));
        var resumed = EvaluationRunner.RunGeneration(options with { Resume = true }, resumedGenerator);
        Assert.That(resumedGenerator.Prompts, Is.EqualTo(18), "only the 18 problems not done before");
        Assert.That(resumedGenerator.Seeds, Is.EqualTo(baselineGenerator.Seeds.Skip(3)), "the resumed batches draw what the uninterrupted run drew");
        Assert.That(EvaluationFixture.Comparable(resumed), Is.EqualTo(EvaluationFixture.Comparable(baseline)));
        Assert.That(EvaluationFixture.ComparableProblems(Path.Combine(_folder, "out")), Is.EqualTo(EvaluationFixture.ComparableProblems(Path.Combine(_folder, "baseline"))));
    }
}
