using System.Text.Json.Nodes;
using static TorchSharp.torch;
using Rlsc.Core;
using Rlsc.Core.Tokenization;
using Rlsc.Runtime.Model;
using Rlsc.Runtime.Sampling;

namespace Rlsc.Runtime.Tests.Model;

/// <summary>A complete Hugging Face folder: create, save, load back bit-for-bit with its tokenizer, generate text.</summary>
public class CausalLMTests
{
    string dir = "";
    string tokenizerDir = "";

    [SetUp]
    public void SetUp()
    {
        dir = Directory.CreateTempSubdirectory("rlsc-lm-").FullName;
        tokenizerDir = Path.Combine(dir, "tokenizer");
        TokenizerBuilder.WriteByteLevel(tokenizerDir, ["<|endoftext|>", "<|im_start|>", "<|im_end|>"], [("a", "b"), ("ab", "c")]);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(dir, recursive: true);

    static Dictionary<string, byte[]> Bytes(CausalLM model) =>
        model.Module.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().contiguous().bytes.ToArray());

    [TestCase("float32")]
    [TestCase("bfloat16")]
    public void CreatesSavesAndLoadsBackBitForBit(string dtype)
    {
        var config = ModelPresets.Get("tiny").For(261);
        using var model = CausalLM.Create(config, tokenizerDir, seed: 3, new ModelLoadOptions(DType: dtype));
        Assert.That(model.Tokenizer.VocabSize, Is.EqualTo(261));
        Assert.That(model.Config.VocabSize, Is.EqualTo(320));
        string folder = Path.Combine(dir, "model");
        model.Save(folder);

        Assert.That(Directory.GetFiles(folder).Select(f => Path.GetFileName(f)!).Order(StringComparer.Ordinal), Is.EqualTo(new[]
            { "config.json", "generation_config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json" }));
        Assert.That(File.ReadAllBytes(Path.Combine(folder, "tokenizer.json")), Is.EqualTo(File.ReadAllBytes(Path.Combine(tokenizerDir, "tokenizer.json"))));
        Assert.That(JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "config.json")))!["torch_dtype"]!.GetValue<string>(), Is.EqualTo(dtype));

        using var loaded = CausalLM.Load(folder, new ModelLoadOptions(DType: "auto"));
        Assert.That(loaded.DType, Is.EqualTo(model.DType));
        Assert.That(Bytes(loaded), Is.EqualTo(Bytes(model)));
        Assert.That(loaded.Tokenizer.Encode("abc ab"), Is.EqualTo(model.Tokenizer.Encode("abc ab")));
        Assert.That(loaded.EosTokenIds, Does.Contain(model.Tokenizer.TokenToId("<|im_end|>")!.Value));
    }

    [Test]
    public void TheSameSeedGivesTheSameWeights()
    {
        var config = ModelPresets.Get("tiny").For(261);
        using var a = CausalLM.Create(config, tokenizerDir, seed: 5);
        using var b = CausalLM.Create(config, tokenizerDir, seed: 5);
        using var c = CausalLM.Create(config, tokenizerDir, seed: 6);
        Assert.That(Bytes(a), Is.EqualTo(Bytes(b)));
        Assert.That(Bytes(a)["model.layers.0.mlp.up_proj.weight"], Is.Not.EqualTo(Bytes(c)["model.layers.0.mlp.up_proj.weight"]));
        var std = a.Module.model.layers[0].mlp.up_proj.weight!.std().item<float>();
        Assert.That(std, Is.EqualTo(0.02).Within(0.002), "HF's init: N(0, initializer_range)");
        Assert.That(a.Module.model.norm.weight.eq(1).all().item<bool>(), "norm weights start at 1");
    }

    [Test]
    public void ATokenizerLargerThanTheEmbeddingIsRefused()
    {
        var config = ModelPresets.Get("tiny").For(100);
        var e = Assert.Throws<RlscException>(() => CausalLM.Create(config, tokenizerDir, seed: 1))!;
        Assert.That(e.Code, Is.EqualTo(ErrorCodes.ModelConfigInvalid));
        Assert.That(e.Message, Does.Contain("261").And.Contain("128"));
    }

    [Test]
    public void GeneratesTextAndStopsOnStopStrings()
    {
        var config = ModelPresets.Get("tiny").For(261);
        using var model = CausalLM.Create(config, tokenizerDir, seed: 9);
        var options = new GenerationOptions { Temperature = 1.5f, MaxNewTokens = 30, Seed = 1, SamplesPerPrompt = 4 };
        var free = Generation.Generate(model, ["abc", "hello"], options);
        Assert.That(free, Has.Count.EqualTo(8));
        foreach (var g in free)
        {
            Assert.That(g.Text, Is.EqualTo(model.Tokenizer.Decode(g.FinishReason == "eos" ? g.TokenIds[..^1] : g.TokenIds)));
            Assert.That(g.TokenLogProbs, Has.Length.EqualTo(g.TokenIds.Length));
        }
        // A one-character stop string every completion contains: each stops at its first occurrence.
        string stop = free[0].Text.Length > 2 ? free[0].Text.Substring(2, 1) : "a";
        var stopped = Generation.Generate(model, ["abc", "hello"], options with { StopStrings = [stop] });
        for (int i = 0; i < free.Count; i++)
        {
            int at = free[i].Text.IndexOf(stop, StringComparison.Ordinal);
            if (at < 0) continue;
            Assert.That(stopped[i].FinishReason, Is.EqualTo("stop"), $"sequence {i}");
            Assert.That(stopped[i].Text, Is.EqualTo(free[i].Text[..at]), $"sequence {i}");
        }
        Assert.That(stopped.Count(s => s.FinishReason == "stop"), Is.GreaterThan(0));
    }
}
