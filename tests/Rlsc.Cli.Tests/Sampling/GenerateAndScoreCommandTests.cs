using System.Text.Json;
using Rlsc.Core.Tokenization;

namespace Rlsc.Cli.Tests.Sampling;

/// <summary>The JSON contract of `rlsc generate` and `rlsc score` on a tiny random model.</summary>
public class GenerateAndScoreCommandTests
{
    static string dir = "";
    static string model = "";

    [OneTimeSetUp]
    public static void CreateModel()
    {
        dir = Directory.CreateTempSubdirectory("rlsc-gen-").FullName;
        string tokenizer = Path.Combine(dir, "tok");
        TokenizerBuilder.WriteByteLevel(tokenizer, ["<|endoftext|>", "<|im_start|>", "<|im_end|>"], [("a", "b")]);
        model = Path.Combine(dir, "model");
        var (exit, _, error) = CliRunner.Run("init-model", "--config", "tiny", "--tokenizer", tokenizer, "--out", model, "--seed", "3");
        Assert.That(exit, Is.EqualTo(0), error);
    }

    [OneTimeTearDown]
    public static void Delete() => Directory.Delete(dir, recursive: true);

    static List<JsonElement> Lines(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();

    [Test]
    public void GeneratesOneLinePerSampleWithTokensAndLogProbs()
    {
        string input = Path.Combine(dir, "prompts.jsonl");
        File.WriteAllLines(input, ["{\"id\": \"q1\", \"prompt\": \"2+2=\"}", "", "{\"prompt_ids\": [97, 98, 99]}"]);
        string[] args = ["generate", "--model", model, "--input", input, "--samples", "3", "--temperature", "0.8", "--max-new-tokens", "6", "--seed", "5"];
        var (exit, output, error) = CliRunner.Run(args);
        Assert.That(exit, Is.EqualTo(0), error);
        var lines = Lines(output);
        Assert.That(lines.Select(l => (l.GetProperty("prompt_index").GetInt32(), l.GetProperty("sample_index").GetInt32())),
            Is.EqualTo(new[] { (0, 0), (0, 1), (0, 2), (1, 0), (1, 1), (1, 2) }));
        Assert.That(lines.Take(3).All(l => l.GetProperty("id").GetString() == "q1"));
        foreach (var line in lines)
        {
            int n = line.GetProperty("token_ids").GetArrayLength();
            Assert.That(n, Is.InRange(1, 6));
            Assert.That(line.GetProperty("token_logprobs").GetArrayLength(), Is.EqualTo(n));
            double sum = line.GetProperty("token_logprobs").EnumerateArray().Sum(x => x.GetDouble());
            Assert.That(line.GetProperty("sum_logprob").GetDouble(), Is.EqualTo(sum).Within(1e-4));
            Assert.That(line.GetProperty("finish_reason").GetString(), Is.AnyOf("eos", "stop", "length"));
            Assert.That(line.TryGetProperty("text", out _));
        }
        Assert.That(CliRunner.Run(args).Out, Is.EqualTo(output), "the same seed reproduces");
    }

    [Test]
    public void ScoringAGeneratedCompletionGivesBackItsLogProbs()
    {
        var (exit, output, error) = CliRunner.Run("generate", "--model", model, "--prompt", "abc", "--chat-template", "qwen25-math-cot",
            "--temperature", "0.7", "--max-new-tokens", "5", "--seed", "2", "--top-p", "0.9");
        Assert.That(exit, Is.EqualTo(0), error);
        var generated = Lines(output).Single();
        var (_, tokenize, _) = CliRunner.Run("tokenize", "--tokenizer", model, "--text", ChatTemplates.Render("qwen25-math-cot", "abc"));
        var promptIds = JsonDocument.Parse(tokenize).RootElement.GetProperty("ids").GetRawText();

        string input = Path.Combine(dir, "pairs.jsonl");
        File.WriteAllText(input, $"{{\"id\": 9, \"prompt_ids\": {promptIds}, \"completion_ids\": {generated.GetProperty("token_ids").GetRawText()}}}\n");
        (exit, output, error) = CliRunner.Run("score", "--model", model, "--input", input, "--temperature", "0.7");
        Assert.That(exit, Is.EqualTo(0), error);
        var scored = Lines(output).Single();
        Assert.That(scored.GetProperty("id").GetString(), Is.EqualTo("9"));
        Assert.That(scored.GetProperty("completion_ids").GetRawText(), Is.EqualTo(generated.GetProperty("token_ids").GetRawText()));
        var expected = generated.GetProperty("token_logprobs").EnumerateArray().Select(x => x.GetDouble()).ToArray();
        Assert.That(scored.GetProperty("token_logprobs").EnumerateArray().Select(x => x.GetDouble()), Is.EqualTo(expected).Within(1e-4));
        Assert.That(scored.GetProperty("sum").GetDouble(), Is.EqualTo(expected.Sum()).Within(1e-3));
    }

    [Test]
    public void ScoresTextPairs()
    {
        string input = Path.Combine(dir, "text.jsonl");
        File.WriteAllLines(input, ["{\"prompt\": \"ab\", \"completion\": \"c<|im_end|>\"}"]);
        var (exit, output, error) = CliRunner.Run("score", "--model", model, "--input", input);
        Assert.That(exit, Is.EqualTo(0), error);
        var line = Lines(output).Single();
        Assert.That(line.GetProperty("completion_ids").EnumerateArray().Select(e => e.GetInt32()), Is.EqualTo(new[] { 99, 259 }), "c, then <|im_end|> as its special id");
        Assert.That(line.GetProperty("token_logprobs").EnumerateArray().All(x => x.GetDouble() < 0));
    }

    [TestCase("{\"prompt\": 3}", "\"prompt\" must be a string")]
    [TestCase("{\"text\": \"hi\"}", "exactly one of \"prompt\" and \"prompt_ids\"")]
    [TestCase("not json", "not valid JSON")]
    [TestCase("{\"prompt_ids\": [1, 99999]}", "past the vocabulary")]
    public void ABadInputLineNamesFileAndLine(string line, string message)
    {
        string input = Path.Combine(dir, "bad.jsonl");
        File.WriteAllLines(input, ["{\"prompt\": \"fine\"}", line]);
        var (exit, _, error) = CliRunner.Run("generate", "--model", model, "--input", input, "--max-new-tokens", "2");
        Assert.That(exit, Is.EqualTo(1));
        Assert.That(error, Does.Contain($"{input}(2): error RLSC003").And.Contain(message));
    }

    [Test]
    public void BadOptionsFailBeforeLoading()
    {
        var (exit, _, error) = CliRunner.Run("generate", "--model", model, "--prompt", "x", "--top-p", "1.5");
        Assert.That(exit, Is.EqualTo(1));
        Assert.That(error, Does.Contain("RLSC001").And.Contain("top-p"));
        (exit, _, error) = CliRunner.Run("generate", "--model", model, "--prompt", "x", "--chat-template", "llama");
        Assert.That(error, Does.Contain("unknown chat template"));
        (exit, _, error) = CliRunner.Run("score", "--model", model, "--input", "x.jsonl", "--temperature", "0");
        Assert.That(error, Does.Contain("positive temperature"));
    }

    [Test]
    public void BenchGenerateRunsAndReports()
    {
        string json = Path.Combine(dir, "bench.json");
        var (exit, output, error) = CliRunner.Run("bench", "generate", "--presets", "tiny", "--batch", "2", "--prompt", "4", "--contexts", "4,8",
            "--steps", "2", "--new-tokens", "2", "--sampler-vocab", "300", "--json", json);
        Assert.That(exit, Is.EqualTo(0), error);
        Assert.That(output, Does.Contain("two-level inverse CDF").And.Contain("| 4 |").And.Contain("| 8 |").And.Contain("**tiny**"));
        using var result = JsonDocument.Parse(File.ReadAllText(json));
        var preset = result.RootElement.GetProperty("presets")[0];
        Assert.That(preset.GetProperty("decode").GetArrayLength(), Is.EqualTo(2));
        Assert.That(preset.GetProperty("prefill_tokens_per_second").GetDouble(), Is.GreaterThan(0));
    }
}
