using System.Text.Json;
using Rlsc.Core.Tokenization;
using Rlsc.Runtime.Model;

namespace Rlsc.Cli.Tests.Evaluation;

/// <summary>
/// `rlsc eval --model` end to end with a tiny random Qwen2 model that the test makes (no weights can be downloaded
/// here): the run generates, grades and reports in tokens; sampling is reproducible from --seed.
/// </summary>
[NonParallelizable]
public class EvalGenerateTests
{
    string _folder = "";
    string _model = "";

    [OneTimeSetUp]
    public void MakeModel()
    {
        _folder = CliRunner.TempFolder();
        string tokenizer = Path.Combine(_folder, "tokenizer");
        TokenizerBuilder.WriteByteLevel(tokenizer, ["<|endoftext|>", "<|im_start|>", "<|im_end|>"], [("a", "b"), ("ab", "c")]);
        _model = Path.Combine(_folder, "tiny-model");
        using var model = CausalLM.Create(ModelPresets.Get("tiny").For(261), tokenizer, seed: 11);
        model.Save(_model);
    }

    [OneTimeTearDown]
    public void Delete() => Directory.Delete(_folder, recursive: true);

    static JsonElement Summary(string output) => JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "summary.json"))).RootElement;

    [Test]
    public void Greedy_GeneratesGradesAndCountsTokens()
    {
        string output = Path.Combine(_folder, "greedy");
        var (exit, stdout, errors) = CliRunner.Run("eval", "--model", _model, "--suite", "aime24", "--limit", "3", "--max-new-tokens", "6",
            "--batch-size", "2", "--output", output);
        Assert.That(exit, Is.EqualTo(0), errors);
        Assert.That(stdout, Does.Contain("| aime24 | 3 |"));
        Assert.That(errors, Does.Contain("model: loading tiny-model"));
        var summary = Summary(output);
        Assert.That(summary.GetProperty("model").GetProperty("name").GetString(), Is.EqualTo("tiny-model"));
        Assert.That(summary.GetProperty("model").GetProperty("path").GetString(), Is.EqualTo(_model));
        var settings = summary.GetProperty("settings");
        Assert.That(settings.GetProperty("mode").GetString(), Is.EqualTo("generate"));
        Assert.That(settings.GetProperty("temperature").GetDouble(), Is.Zero);
        Assert.That(settings.GetProperty("max_new_tokens").GetInt32(), Is.EqualTo(6));
        var suite = summary.GetProperty("suites").GetProperty("aime24");
        Assert.That(suite.GetProperty("count").GetInt32(), Is.EqualTo(3));
        Assert.That(suite.GetProperty("response_length_unit").GetString(), Is.EqualTo("tokens"));
        Assert.That(suite.GetProperty("mean_response_length").GetDouble(), Is.InRange(1, 6));
        var problems = File.ReadLines(Path.Combine(output, "problems.jsonl")).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.That(problems.Select(p => p.GetProperty("index").GetInt32()), Is.EqualTo(new[] { 0, 1, 2 }));
        foreach (var p in problems)
        {
            Assert.That(p.GetProperty("prompt").GetString(), Does.StartWith("<|im_start|>system\n"));
            Assert.That(p.GetProperty("lengths")[0].GetInt32(), Is.InRange(1, 6));
            Assert.That(p.GetProperty("finish_reasons")[0].GetString(), Is.AnyOf("eos", "stop", "length"));
            Assert.That(p.GetProperty("responses").GetArrayLength(), Is.EqualTo(1));
        }
        Assert.That(Directory.Exists(Path.Combine(output, "partial")), Is.False);
    }

    [Test]
    public void Sampling_IsReproducibleFromTheSeed()
    {
        string[] Run(string name, string seed)
        {
            string output = Path.Combine(_folder, name);
            var (exit, _, errors) = CliRunner.Run("eval", "--model", _model, "--suite", "amc23", "--limit", "2", "--max-new-tokens", "5",
                "--samples", "3", "--temperature", "1.0", "--seed", seed, "--output", output);
            Assert.That(exit, Is.EqualTo(0), errors);
            Assert.That(Summary(output).GetProperty("suites").GetProperty("amc23").GetProperty("samples").GetInt32(), Is.EqualTo(3));
            return File.ReadLines(Path.Combine(output, "problems.jsonl"))
                .SelectMany(l => JsonDocument.Parse(l).RootElement.GetProperty("responses").EnumerateArray().Select(r => r.GetString()!)).ToArray();
        }
        var a = Run("s1", "1");
        var b = Run("s1-again", "1");
        var c = Run("s2", "2");
        Assert.That(a, Has.Length.EqualTo(6));
        Assert.That(b, Is.EqualTo(a));
        Assert.That(c, Is.Not.EqualTo(a));
    }

    [Test]
    public void Reuse_CopiesAFinishedEvaluationOfTheSameRequest_AndOtherwiseSaysWhyNotAndEvaluates()
    {
        string[] Args(string output, string seed, params string[] more) =>
        [
            "eval", "--model", _model, "--suite", "amc23", "--limit", "2", "--max-new-tokens", "4", "--samples", "2", "--temperature", "1.0",
            "--seed", seed, "--batch-size", "2", "--output", Path.Combine(_folder, output), .. more,
        ];
        string first = Path.Combine(_folder, "reuse-first");
        var (exit, _, errors) = CliRunner.Run(Args("reuse-first", "5"));
        Assert.That(exit, Is.EqualTo(0), errors);
        Assert.That(errors, Does.Contain("amc23 generate"), "an evaluation shows its progress");
        var settings = Summary(first).GetProperty("settings");
        Assert.That(settings.GetProperty("batch_size").GetInt32(), Is.EqualTo(2));
        Assert.That((settings.GetProperty("device").GetString(), settings.GetProperty("dtype").GetString()), Is.EqualTo(("cpu", "float32")));

        (exit, var stdout, errors) = CliRunner.Run(Args("reuse-second", "5", "--reuse", first));
        Assert.That(exit, Is.EqualTo(0), errors);
        Assert.That(stdout, Does.StartWith($"eval: reused the finished evaluation in {first} (the same model, suites, settings and run id): nothing generated."));
        Assert.That(errors, Does.Not.Contain("amc23 generate"), "no progress: nothing was generated");
        Assert.That(stdout, Does.Contain("| amc23 | 2 |"), "the report is printed as after an evaluation");
        foreach (string file in new[] { "summary.json", "problems.jsonl", "report.md" })
            Assert.That(File.ReadAllBytes(Path.Combine(_folder, "reuse-second", file)), Is.EqualTo(File.ReadAllBytes(Path.Combine(first, file))),
                file + ": a copy (a new evaluation would record its own time)");

        (exit, stdout, errors) = CliRunner.Run(Args("reuse-third", "6", "--reuse", first));
        Assert.That(exit, Is.EqualTo(0), errors);
        Assert.That(stdout, Does.StartWith($"eval: not reusing {first}: its settings.seed is 5, this evaluation's would be 6; evaluating."));
        Assert.That(Summary(Path.Combine(_folder, "reuse-third")).GetProperty("settings").GetProperty("seed").GetInt64(), Is.EqualTo(6));

        (exit, stdout, errors) = CliRunner.Run(Args("reuse-fourth", "5", "--reuse", Path.Combine(_folder, "no-such-evaluation")));
        Assert.That(exit, Is.EqualTo(0), errors);
        Assert.That(stdout, Does.Contain("no-such-evaluation: it holds no finished evaluation (no summary.json); evaluating."));
        Assert.That(Summary(Path.Combine(_folder, "reuse-fourth")).GetProperty("created").GetString(),
            Is.Not.EqualTo(Summary(first).GetProperty("created").GetString()), "evaluated anew");
    }

    [Test]
    public void Reuse_WithPredictions_IsRefused()
    {
        string predictions = Path.Combine(_folder, "p.jsonl");
        File.WriteAllText(predictions, "{\"index\": 0, \"response\": \"1\"}\n");
        var (exit, _, errors) = CliRunner.Run("eval", "--predictions", predictions, "--suite", "amc23", "--limit", "1", "--reuse", _folder, "--output", Path.Combine(_folder, "p"));
        Assert.That(exit, Is.EqualTo(1));
        Assert.That(errors, Does.Contain("error RLSC001: --reuse applies to generation (--model)"));
    }

    [Test]
    public void ModelThatDoesNotExist_IsACanonicalError()
    {
        var (exit, _, errors) = CliRunner.Run("eval", "--model", "./no/such/model", "--suite", "aime24", "--output", Path.Combine(_folder, "x"));
        Assert.That(exit, Is.EqualTo(1));
        Assert.That(errors, Does.Contain("error RLSC002"));
    }
}
