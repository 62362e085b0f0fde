using Rlsc.Runtime.Model;
using Rlsc.Runtime.Model.Modules;
using Rlsc.Core.Tokenization;
using TorchSharp;

namespace Rlsc.Cli.Tests.Sampling;

/// <summary>
/// A checkpoint whose weights hold NaN: `rlsc generate` and `rlsc score` stop with RLSC015 naming the checkpoint and
/// write nothing (before, they died in the JSON serializer: "infinity cannot be written as valid JSON").
/// </summary>
[NonParallelizable]
public class NonFiniteCheckpointTests
{
    static string dir = "";
    static string poisoned = "";

    [OneTimeSetUp]
    public static void CreatePoisonedModel()
    {
        dir = Directory.CreateTempSubdirectory("rlsc-nan-").FullName;
        string tokenizer = Path.Combine(dir, "tok");
        TokenizerBuilder.WriteByteLevel(tokenizer, ["<|endoftext|>", "<|im_start|>", "<|im_end|>"], [("a", "b")]);
        string healthy = Path.Combine(dir, "healthy");
        var (exit, _, error) = CliRunner.Run("init-model", "--config", "tiny", "--tokenizer", tokenizer, "--out", healthy, "--seed", "3");
        Assert.That(exit, Is.EqualTo(0), error);

        // One NaN in the embedding is enough: it reaches every logit of a prompt that uses that token.
        poisoned = Path.Combine(dir, "poisoned");
        using var lm = CausalLM.Load(healthy);
        using (torch.no_grad()) lm.Module.model.embed_tokens.weight!.fill_(float.NaN);
        lm.Save(poisoned);
    }

    [OneTimeTearDown]
    public static void Delete() => Directory.Delete(dir, recursive: true);

    static void ExpectStopped((int Exit, string Out, string Err) run, string? outputFile)
    {
        Assert.Multiple(() =>
        {
            Assert.That(run.Exit, Is.EqualTo(1), run.Err);
            Assert.That(run.Err, Does.Contain($"{poisoned}: error RLSC015: the model's ").And.Contain("NaN"));
            Assert.That(run.Err, Does.Not.Contain("Exception").And.Not.Contain("   at "));
            Assert.That(run.Out, Does.Not.Contain("NaN").And.Not.Contain("Infinity").And.Not.Contain("{"), "no JSON line is printed");
            if (outputFile is not null) Assert.That(File.Exists(outputFile), Is.False, "no output file is written");
        });
    }

    [Test]
    public void GenerateStopsWithAnErrorNamingTheCheckpoint()
    {
        ExpectStopped(CliRunner.Run("generate", "--model", poisoned, "--prompt", "ab", "--max-new-tokens", "3"), null);
        string output = Path.Combine(dir, "generated.jsonl");
        ExpectStopped(CliRunner.Run("generate", "--model", poisoned, "--prompt", "ab", "--max-new-tokens", "3", "--output", output), output);
    }

    [Test]
    public void ScoreStopsWithAnErrorNamingTheCheckpoint()
    {
        string input = Path.Combine(dir, "pairs.jsonl");
        File.WriteAllText(input, "{\"prompt\": \"ab\", \"completion\": \"ba\"}\n");
        string output = Path.Combine(dir, "scored.jsonl");
        ExpectStopped(CliRunner.Run("score", "--model", poisoned, "--input", input, "--output", output), output);
    }
}
