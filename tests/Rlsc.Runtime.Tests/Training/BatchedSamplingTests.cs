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
}
