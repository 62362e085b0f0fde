using Rlsc.Core;
using Rlsc.Core.Evaluation.Reports;
using Rlsc.Core.Gate;

namespace Rlsc.Runtime.Tests.Evaluation;

/// <summary>summary.json's reader fails closed; report.md says what it should (the comparison: Comparison/SummaryPairTests).</summary>
public class SummaryFileTests
{
    string _folder = "";

    [SetUp]
    public void Create() => _folder = EvaluationFixture.TempFolder("summary");

    [TearDown]
    public void Delete() => Directory.Delete(_folder, recursive: true);

    static EvaluationSummary Sample(double accuracy = 0.625, string model = "m") => new()
    {
        RlscVersion = "0.1.0",
        Created = new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero),
        RunId = "42-1",
        Model = new ModelInfo(model, "/models/m", null),
        Settings = new EvaluationSettings { Mode = "generate", Samples = 1, Temperature = 0, MaxNewTokens = 2048, ChatTemplate = "qwen25-math-cot" },
        Suites = new Dictionary<string, SuiteSummary>
        {
            ["math500"] = new()
            {
                Count = 500, Samples = 1, Accuracy = accuracy, AvgAtK = accuracy, MajAtK = accuracy, PassAtK = new Dictionary<string, double> { ["1"] = accuracy },
                ExtractionFailureRate = 0.01, MeanResponseLength = 512, ResponseLengthUnit = "tokens", MeanAgreement = 1, DataSha256 = "ab", Seconds = 3,
                Selection = new SuiteSelection { SuiteSize = 500, Start = 0, End = 500 },
            },
        },
        Macro = new MacroSummary
        {
            Suites = 1, Accuracy = accuracy, AvgAtK = accuracy, MajAtK = accuracy, PassAtK = new Dictionary<string, double> { ["1"] = accuracy },
            ExtractionFailureRate = 0.01, MeanResponseLength = 512, ResponseLengthUnit = "tokens", MeanAgreement = 1,
        },
        Timing = new TimingInfo(DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddSeconds(3), 3),
    };

    [Test]
    public void SaveAndLoad_RoundTrip_WithTheDocumentedFieldNames()
    {
        string path = Path.Combine(_folder, "summary.json");
        Sample().Save(path);
        string json = File.ReadAllText(path);
        foreach (string field in new[] { "\"schema\": \"rlsc.eval.summary/v1\"", "\"rlsc_version\"", "\"run_id\": \"42-1\"", "\"avg_at_k\"", "\"maj_at_k\"",
                     "\"pass_at_k\"", "\"extraction_failure_rate\"", "\"mean_response_length\"", "\"mean_agreement\"", "\"data_sha256\"", "\"max_new_tokens\"",
                     "\"chat_template\"", "\"created\": \"2025-06-01T12:00:00+00:00\"" })
            Assert.That(json, Does.Contain(field));
        Assert.That(EvaluationFixture.Comparable(EvaluationSummary.Load(path)), Is.EqualTo(EvaluationFixture.Comparable(Sample())));
        Assert.That(EvaluationSummary.Load(_folder).Model.Name, Is.EqualTo("m"), "a folder means its summary.json");
        Assert.That(Directory.GetFiles(_folder), Has.Length.EqualTo(1), "no temporary file left");
    }

    [TestCase(null, "does not exist")]
    [TestCase("", "not valid JSON")]
    [TestCase("{\"schema\": \"rlsc.eval.summary/v1\", ", "not valid JSON")]
    [TestCase("[1]", "no `schema`")]
    [TestCase("{\"suites\": {}}", "no `schema`")]
    [TestCase("{\"schema\": \"rlsc.eval.summary/v2\"}", "rlsc.eval.summary/v2")]
    [TestCase("{\"schema\": \"rlsc.eval.summary/v1\", \"model\": {\"name\": \"m\"}}", "wrong type or is missing")]
    public void Load_FailsClosed(string? content, string expected)
    {
        string path = Path.Combine(_folder, "summary.json");
        if (content is not null) File.WriteAllText(path, content);
        var e = Assert.Throws<RlscException>(() => EvaluationSummary.Load(path))!;
        Assert.That(e.Code, Is.EqualTo(ErrorCodes.SummaryInvalid));
        Assert.That(e.File, Is.EqualTo(path));
        Assert.That(e.Message, Does.Contain(expected));
    }

    [Test]
    public void Load_RejectsOutOfRangeValues()
    {
        string path = Path.Combine(_folder, "summary.json");
        Sample(accuracy: 62.5).Save(path);
        var e = Assert.Throws<RlscException>(() => EvaluationSummary.Load(path))!;
        Assert.That(e.Message, Does.Contain("suites.math500.accuracy").And.Contain("fraction"));
        Sample(model: " ").Save(path);
        Assert.That(Assert.Throws<RlscException>(() => EvaluationSummary.Load(path))!.Message, Does.Contain("model.name"));
    }

    [Test]
    public void GateReader_AcceptsWhatEvaluationWrites()
    {
        string path = Path.Combine(_folder, "summary.json");
        Sample().Save(path);
        var report = EvaluationSummaryReader.Read(path);
        Assert.That(report.ModelName, Is.EqualTo("m"));
        Assert.That(report.Suites["math500"].Accuracy, Is.EqualTo(0.625));
        Assert.That(report.Suites["math500"].Count, Is.EqualTo(500));
        Assert.That(report.RunId, Is.EqualTo("42-1"));
    }

    [Test]
    public void MarkdownReport_HasATableRowPerSuiteAndTheMacro()
    {
        string markdown = MarkdownReport.Render(Sample());
        Assert.That(markdown, Does.Contain("## Evaluation: m"));
        Assert.That(markdown, Does.Contain("| math500 | 500 | 62.5% | 62.5% | 62.5% | 1.0% | 100.0% | 512 tokens |"));
        Assert.That(markdown, Does.Contain("| **macro** (1 suites) | | **62.5%** |"));
        Assert.That(markdown, Does.Contain("greedy").And.Contain("max 2048 new tokens"));
    }
}
