using System.Security.Cryptography;
using System.Text;
using Rlsc.Core;
using Rlsc.Core.Evaluation.Suites;

namespace Rlsc.Runtime.Tests.Evaluation;

/// <summary>Bad manifests and bad data give RlscExceptions that name the file, line and field.</summary>
public class SuiteErrorTests
{
    string _root = "";

    [SetUp]
    public void CreateCheckout()
    {
        // A throw-away checkout: RlscPipeline.sln marks the root that local_path is relative to.
        _root = Path.Combine(Path.GetTempPath(), "rlsc-suite-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(_root, "eval-suites"));
        Directory.CreateDirectory(Path.Combine(_root, "data"));
        File.WriteAllText(Path.Combine(_root, "RlscPipeline.sln"), "");
    }

    [TearDown]
    public void DeleteCheckout() => Directory.Delete(_root, recursive: true);

    string WriteManifest(string name, string json)
    {
        string path = Path.Combine(_root, "eval-suites", name + ".json");
        File.WriteAllText(path, json);
        return path;
    }

    string WriteData(string name, string content)
    {
        File.WriteAllText(Path.Combine(_root, "data", name), content);
        return "data/" + name;
    }

    static string Manifest(string name, string data, string extra = "", string gold = """{"rule": "field", "field": "answer"}""") => $$"""
        {
          "schema": "rlsc.eval.suite/v1",
          "name": "{{name}}",
          "data": {{data}},
          "question_field": "question",
          "gold": {{gold}}{{extra}}
        }
        """;

    static string Sha256(string content) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content)));

    static RlscException Fails(TestDelegate action, string code)
    {
        var e = Assert.Throws<RlscException>(action)!;
        Assert.That(e.Code, Is.EqualTo(code), e.ToCanonicalString());
        return e;
    }

    [Test]
    public void LocalSuite_Loads()
    {
        string data = WriteData("ok.jsonl", """
            {"question": "1+1?", "answer": "2"}
            {"question": "2+2?", "answer": 4}

            """);
        var suite = EvaluationSuite.Load(SuiteManifest.Load(WriteManifest("ok", Manifest("ok", $$"""{"local_path": "{{data}}", "count": 2}"""))));
        Assert.That(suite.Problems, Is.EqualTo(new[] { new SuiteProblem(0, "0", "1+1?", "2"), new SuiteProblem(1, "1", "2+2?", "4") }));
        Assert.That(suite.DataSha256, Is.EqualTo(Sha256(File.ReadAllText(Path.Combine(_root, data)))));
    }

    [Test]
    public void UnlabeledSplit_LoadsWithoutReadingGold_ButCannotBeEvaluated()
    {
        string data = WriteData("train.jsonl", """{"question": "1+1?", "answer": "SECRET"}""" + "\n");
        string json = $$"""{"schema": "rlsc.eval.suite/v1", "name": "train", "data": {"local_path": "{{data}}"}, "question_field": "question"}""";
        var manifest = SuiteManifest.Load(WriteManifest("train", json));
        var suite = EvaluationSuite.Load(manifest, requireGold: false);
        Assert.That(suite.Problems[0].Gold, Is.Null);
        var e = Fails(() => EvaluationSuite.Load(manifest), ErrorCodes.SuiteManifestInvalid);
        Assert.That(e.Message, Does.Contain("no gold rule"));
    }

    [Test]
    public void MalformedJsonLine_NamesFileAndLine()
    {
        string data = WriteData("bad.jsonl", "{\"question\": \"a\", \"answer\": \"1\"}\n{\"question\": \"b\", \"answer\": \n");
        var e = Fails(() => EvaluationSuite.Load(SuiteManifest.Load(WriteManifest("bad", Manifest("bad", $$"""{"local_path": "{{data}}"}""")))), ErrorCodes.SuiteDataInvalid);
        Assert.That(e.File, Does.EndWith("bad.jsonl"));
        Assert.That(e.Line, Is.EqualTo(2));
        Assert.That(e.ToCanonicalString(), Does.Contain("bad.jsonl(2): error RLSC032"));
    }

    [Test]
    public void NotAnObject_NamesTheLine()
    {
        string data = WriteData("arr.jsonl", "{\"question\": \"a\", \"answer\": \"1\"}\n[1,2]\n");
        var e = Fails(() => EvaluationSuite.Load(SuiteManifest.Load(WriteManifest("arr", Manifest("arr", $$"""{"local_path": "{{data}}"}""")))), ErrorCodes.SuiteDataInvalid);
        Assert.That(e.Line, Is.EqualTo(2));
    }

    [Test]
    public void MissingQuestionField_NamesFieldAndLine()
    {
        string data = WriteData("mq.jsonl", "{\"question\": \"a\", \"answer\": \"1\"}\n{\"problem\": \"b\", \"answer\": \"2\"}\n");
        var e = Fails(() => EvaluationSuite.Load(SuiteManifest.Load(WriteManifest("mq", Manifest("mq", $$"""{"local_path": "{{data}}"}""")))), ErrorCodes.SuiteDataInvalid);
        Assert.That(e.Line, Is.EqualTo(2));
        Assert.That(e.Message, Does.Contain("'question'"));
    }

    [TestCase("""{"rule": "field", "field": "answer"}""", """{"question": "q"}""", "field 'answer'")]
    [TestCase("""{"rule": "last_boxed", "field": "solution"}""", """{"question": "q", "solution": "no box here"}""", "no complete \\boxed")]
    [TestCase("""{"rule": "after_marker", "field": "answer", "marker": "####"}""", """{"question": "q", "answer": "42"}""", "no '####'")]
    [TestCase("""{"rule": "first_element", "field": "final_answer"}""", """{"question": "q", "final_answer": []}""", "non-empty list")]
    public void MissingGold_NamesRuleFieldAndLine(string gold, string record, string expected)
    {
        string data = WriteData("mg.jsonl", record + "\n");
        var e = Fails(() => EvaluationSuite.Load(SuiteManifest.Load(WriteManifest("mg", Manifest("mg", $$"""{"local_path": "{{data}}"}""", gold: gold)))), ErrorCodes.SuiteDataInvalid);
        Assert.That(e.Line, Is.EqualTo(1));
        Assert.That(e.Message, Does.Contain(expected));
    }

    [Test]
    public void GoldRules_ExtractAsDocumented()
    {
        string data = WriteData("rules.jsonl",
            """{"question": "q", "solution": "so \\boxed{1} or rather \\boxed{\\frac{1}{2}}.", "answer": "x #### 2,125", "final_answer": ["$69$,$84$"]}""" + "\n");
        string Gold(string rule) => EvaluationSuite.Load(SuiteManifest.Load(WriteManifest("rules", Manifest("rules", $$"""{"local_path": "{{data}}"}""", gold: rule)))).Problems[0].Gold!;
        Assert.That(Gold("""{"rule": "last_boxed", "field": "solution"}"""), Is.EqualTo(@"\frac{1}{2}"));
        Assert.That(Gold("""{"rule": "after_marker", "field": "answer", "marker": "####"}"""), Is.EqualTo("2,125"));
        Assert.That(Gold("""{"rule": "first_element", "field": "final_answer"}"""), Is.EqualTo("69$,$84"));
    }

    [Test]
    public void ToleranceField_IsReadAndValidated()
    {
        string data = WriteData("tol.jsonl", "{\"question\": \"a\", \"answer\": \"1\", \"err\": \"1e-1\"}\n{\"question\": \"b\", \"answer\": \"2\", \"err\": null}\n");
        string gold = """{"rule": "field", "field": "answer", "tolerance_field": "err"}""";
        var suite = EvaluationSuite.Load(SuiteManifest.Load(WriteManifest("tol", Manifest("tol", $$"""{"local_path": "{{data}}"}""", gold: gold))));
        Assert.That(suite.Problems.Select(p => p.Tolerance), Is.EqualTo(new double?[] { 0.1, null }));
        string bad = WriteData("tolbad.jsonl", "{\"question\": \"a\", \"answer\": \"1\", \"err\": \"wide\"}\n");
        var e = Fails(() => EvaluationSuite.Load(SuiteManifest.Load(WriteManifest("tolbad", Manifest("tolbad", $$"""{"local_path": "{{bad}}"}""", gold: gold)))), ErrorCodes.SuiteDataInvalid);
        Assert.That(e.Line, Is.EqualTo(1));
        Assert.That(e.Message, Does.Contain("tolerance_field"));
    }

    [Test]
    public void EmptySuite_IsAnError()
    {
        string data = WriteData("empty.jsonl", "\n");
        var e = Fails(() => EvaluationSuite.Load(SuiteManifest.Load(WriteManifest("empty", Manifest("empty", $$"""{"local_path": "{{data}}"}""")))), ErrorCodes.SuiteCountMismatch);
        Assert.That(e.Message, Does.Contain("empty"));
    }

    [Test]
    public void CountMismatch_IsAnError()
    {
        string data = WriteData("short.jsonl", "{\"question\": \"a\", \"answer\": \"1\"}\n");
        var e = Fails(() => EvaluationSuite.Load(SuiteManifest.Load(WriteManifest("short", Manifest("short", $$"""{"local_path": "{{data}}", "count": 30}""")))), ErrorCodes.SuiteCountMismatch);
        Assert.That(e.Message, Does.Contain("30"));
    }

    [Test]
    public void BlankLineInTheMiddle_IsAnError_BecauseIndexIsTheLineNumber()
    {
        string data = WriteData("gap.jsonl", "{\"question\": \"a\", \"answer\": \"1\"}\n\n{\"question\": \"b\", \"answer\": \"2\"}\n");
        var e = Fails(() => EvaluationSuite.Load(SuiteManifest.Load(WriteManifest("gap", Manifest("gap", $$"""{"local_path": "{{data}}"}""")))), ErrorCodes.SuiteDataInvalid);
        Assert.That(e.Line, Is.EqualTo(2));
    }

    [Test]
    public void Sha256Mismatch_IsAnError()
    {
        string content = "{\"question\": \"a\", \"answer\": \"1\"}\n";
        string data = WriteData("sha.jsonl", content);
        string wrong = Sha256(content + " ");
        var e = Fails(() => EvaluationSuite.Load(SuiteManifest.Load(WriteManifest("sha", Manifest("sha", $$"""{"local_path": "{{data}}", "sha256": "{{wrong}}"}""")))), ErrorCodes.ChecksumMismatch);
        Assert.That(e.File, Does.EndWith("sha.jsonl"));
        Assert.That(EvaluationSuite.Load(SuiteManifest.Load(WriteManifest("sha", Manifest("sha", $$"""{"local_path": "{{data}}", "sha256": "{{Sha256(content)}}"}""")))).Problems, Has.Count.EqualTo(1));
    }

    [TestCase("""{"schema": "rlsc.eval.suite/v2", "name": "m", "data": {"local_path": "x"}, "question_field": "q"}""", "rlsc.eval.suite/v1")]
    [TestCase("""{"schema": "rlsc.eval.suite/v1", "name": "other", "data": {"local_path": "x"}, "question_field": "q"}""", "m.json")]
    [TestCase("""{"schema": "rlsc.eval.suite/v1", "name": "m", "data": {"local_path": "x"}}""", "question_field")]
    [TestCase("""{"schema": "rlsc.eval.suite/v1", "name": "m", "data": {"local_path": "x"}, "question_field": "q", "questoin": 1}""", "questoin")]
    [TestCase("""{"schema": "rlsc.eval.suite/v1", "name": "m", "data": {}, "question_field": "q"}""", "exactly one of url")]
    [TestCase("""{"schema": "rlsc.eval.suite/v1", "name": "m", "data": {"url": "http://example.com/x.jsonl", "sha256": "00"}, "question_field": "q"}""", "https")]
    [TestCase("""{"schema": "rlsc.eval.suite/v1", "name": "m", "data": {"url": "https://example.com/x.jsonl"}, "question_field": "q"}""", "sha256 is required")]
    [TestCase("""{"schema": "rlsc.eval.suite/v1", "name": "m", "data": {"url": "https://example.com/x.jsonl", "sha256": "ABC"}, "question_field": "q"}""", "64 lower-case hex")]
    [TestCase("""{"schema": "rlsc.eval.suite/v1", "name": "m", "data": {"local_path": "x"}, "question_field": "q", "gold": {"rule": "magic", "field": "a"}}""", "gold.rule")]
    [TestCase("""{"schema": "rlsc.eval.suite/v1", "name": "m", "data": {"local_path": "x"}, "question_field": "q", "gold": {"rule": "after_marker", "field": "a"}}""", "gold.marker")]
    [TestCase("""{"schema": "rlsc.eval.suite/v1", "name": "m", "data": {"local_path": "x"}, "question_field": "q", "decoding": {"temperature": -1}}""", "decoding.temperature")]
    [TestCase("""{"schema": "rlsc.eval.suite/v1", "name": "m", "data": {"local_path": "x"}, "question_field": "q", "grading": {"relative_tolerance": 2}}""", "relative_tolerance")]
    [TestCase("""{"schema": "rlsc.eval.suite/v1", "name": "m", "data": {"local_path": "x", "count": 0}, "question_field": "q"}""", "data.count")]
    [TestCase("""{"schema": "rlsc.eval.suite/v1", "name": "m", """, "not a valid suite manifest")]
    public void InvalidManifest_SaysWhatIsWrong(string json, string expected)
    {
        string path = WriteManifest("m", json);
        var e = Fails(() => SuiteManifest.Load(path), ErrorCodes.SuiteManifestInvalid);
        Assert.That(e.Message, Does.Contain(expected));
        Assert.That(e.File, Is.EqualTo(path));
    }

    [Test]
    public void Catalog_FindsByNameInAFolder_AndByPath()
    {
        string data = WriteData("c.jsonl", "{\"question\": \"a\", \"answer\": \"1\"}\n");
        string path = WriteManifest("mysuite", Manifest("mysuite", $$"""{"local_path": "{{data}}"}"""));
        Assert.That(SuiteCatalog.Find("mysuite", Path.Combine(_root, "eval-suites")).ManifestPath, Is.EqualTo(path));
        Assert.That(SuiteCatalog.Find(path).Name, Is.EqualTo("mysuite"));
        Assert.That(SuiteCatalog.KnownNames(Path.Combine(_root, "eval-suites")), Has.Member("mysuite"));
    }
}
