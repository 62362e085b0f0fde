using Rlsc.Runtime.Platform;
using Rlsc.Core.Config;
using Rlsc.Runtime.Model;
using Rlsc.Runtime.Training.Loop;
using Rlsc.Runtime.Training.Policy;
using Rlsc.Runtime.Training.Rlsc;
using Rlsc.Runtime.Training.Sft;

namespace Rlsc.Runtime.Tests.Training;

/// <summary>
/// The trainer samples all questions of a step in one batched decode (CausalLmTrainable.SampleMany, per-prompt
/// seeds): each question must get exactly the completions it gets when sampled alone with its own seed, whatever
/// its prompt length and whichever questions share the batch.
/// </summary>
public class BatchedSamplingTests
{
    static string modelDirectory = "";

    [OneTimeSetUp]
    public void WriteModel()
    {
        TorchLoader.EnsureLoaded();
        modelDirectory = Path.Combine(Path.GetTempPath(), "rlsc-batched-sampling-" + Environment.ProcessId);
        if (!Directory.Exists(modelDirectory)) TinyQwen.Write(modelDirectory, seed: 6, sharpness: 20);
    }

    [OneTimeTearDown]
    public void Delete()
    {
        foreach (var d in new[] { modelDirectory, modelDirectory + "-tokenizer" })
            if (Directory.Exists(d)) Directory.Delete(d, recursive: true);
    }

    [Test]
    public void EachPromptGetsTheCompletionsItGetsAlone()
    {
        using var model = CausalLmTrainable.Load(modelDirectory, new ModelPlacement("cpu", "float32"));
        // Prompts of different lengths (the batch is left-padded) and distinct seeds, as a step's questions have.
        var prompts = new[] { "What is 2+3?", "A much longer question about seven apples and three pears?", "Hi" }.Select(model.Encode).ToList();
        var requests = prompts.Select((_, i) => new SamplingRequest(4, 0.9, 1.0, 0, 12, [], Seed: 100 + 17 * i)).ToList();

        var batched = model.SampleMany(prompts, requests, null, CancellationToken.None);
        Assert.That(batched, Has.Count.EqualTo(prompts.Count));
        for (int i = 0; i < prompts.Count; i++)
        {
            var alone = model.Sample(prompts[i], requests[i], null, CancellationToken.None);
            Assert.That(batched[i].Select(c => c.TokenIds), Is.EqualTo(alone.Select(c => c.TokenIds)), $"prompt {i}");
            Assert.That(batched[i].Select(c => c.FinishReason), Is.EqualTo(alone.Select(c => c.FinishReason)), $"prompt {i}");
        }
        // The seeds matter: the same prompt under another seed samples something else.
        var reseeded = model.Sample(prompts[0], requests[0] with { Seed = 999 }, null, CancellationToken.None);
        Assert.That(reseeded.Select(c => c.TokenIds), Is.Not.EqualTo(batched[0].Select(c => c.TokenIds)));
    }

    [Test]
    public void SamplesStopWhereTheModelsOwnStopRuleSays()
    {
        using var model = CausalLmTrainable.Load(modelDirectory, new ModelPlacement("cpu", "float32"));
        var causal = ((CausalLmTrainable)model).CausalLM;
        // The EOS ids are the model's (config.json's, then the tokenizer's, <|im_end|> and <|endoftext|> included), in that order.
        var derived = causal.Config.EosTokenIds.Concat(causal.Tokenizer.EosTokenIds)
            .Concat(new[] { "<|im_end|>", "<|endoftext|>" }.Select(causal.Tokenizer.TokenToId).OfType<int>()).Distinct();
        Assert.That(model.EosTokenIds, Is.EqualTo(causal.EosTokenIds).And.EqualTo(derived));
        Assert.That(model.PadTokenId, Is.EqualTo(causal.Tokenizer.PadTokenId ?? causal.EosTokenIds[0]));

        // With stop strings too, a trainer's samples are Generation's under Generation.StopsFor, token for token.
        var prompt = model.Encode("What is 2+3?");
        var request = new SamplingRequest(4, 0.9, 1.0, 0, 12, ["3", "a"], Seed: 7);
        var sampled = model.Sample(prompt, request, null, CancellationToken.None);
        var options = new Rlsc.Runtime.Sampling.GenerationOptions
        {
            SamplesPerPrompt = 4, Temperature = 0.9f, TopP = 1f, TopK = 0, MaxNewTokens = 12, Seed = 7, StopStrings = ["3", "a"], PromptSeeds = [7],
        };
        var generated = Rlsc.Runtime.Sampling.Generation.Generate(causal.Module, [prompt], options, Rlsc.Runtime.Sampling.Generation.StopsFor(causal, options));
        Assert.That(sampled.Select(c => c.TokenIds), Is.EqualTo(generated.OrderBy(g => g.SampleIndex).Select(g => g.TokenIds)));
        Assert.That(sampled.Select(c => c.FinishReason), Is.EqualTo(generated.OrderBy(g => g.SampleIndex).Select(g => g.FinishReason)));
    }
}
