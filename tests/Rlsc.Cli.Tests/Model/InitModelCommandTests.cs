using System.Text.Json;
using Rlsc.Core.Tokenization;
using Rlsc.Runtime.Model;

namespace Rlsc.Cli.Tests.Model;

public class InitModelCommandTests
{
    string dir = "";
    string tokenizer = "";

    [SetUp]
    public void SetUp()
    {
        dir = Directory.CreateTempSubdirectory("rlsc-init-").FullName;
        tokenizer = Path.Combine(dir, "tok");
        TokenizerBuilder.WriteByteLevel(tokenizer, ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(dir, recursive: true);

    [Test]
    public void WritesALoadableSeededModelFromAPreset()
    {
        string a = Path.Combine(dir, "a"), b = Path.Combine(dir, "b");
        var (exit, output, error) = CliRunner.Run("init-model", "--config", "tiny", "--tokenizer", tokenizer, "--out", a, "--seed", "7");
        Assert.That(exit, Is.EqualTo(0), error);
        using var summary = JsonDocument.Parse(output);
        Assert.That(summary.RootElement.GetProperty("vocab_size").GetInt32(), Is.EqualTo(320));
        Assert.That(summary.RootElement.GetProperty("weights").GetBoolean());
        Assert.That(summary.RootElement.GetProperty("files").EnumerateArray().Select(f => f.GetString()),
            Is.EqualTo(new[] { "config.json", "generation_config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json" }));

        Assert.That(CliRunner.Run("init-model", "--config", "tiny", "--tokenizer", tokenizer, "--out", b, "--seed", "7").Exit, Is.EqualTo(0));
        Assert.That(File.ReadAllBytes(Path.Combine(a, "model.safetensors")), Is.EqualTo(File.ReadAllBytes(Path.Combine(b, "model.safetensors"))), "same seed, same bytes");
        using var model = CausalLM.Load(a);
        Assert.That(model.Config.EosTokenIds, Is.EqualTo(new[] { model.Tokenizer.TokenToId("<|im_end|>")!.Value }));
    }

    [Test]
    public void ReadsAConfigFileAndADtype()
    {
        string config = Path.Combine(dir, "config.json");
        (ModelPresets.Get("tiny").For(259) with { NumHiddenLayers = 1, EosTokenIds = [258] }).Save(config);
        string out_ = Path.Combine(dir, "m");
        var (exit, output, error) = CliRunner.Run("init-model", "--config", config, "--tokenizer", tokenizer, "--out", out_, "--seed", "1", "--dtype", "bfloat16");
        Assert.That(exit, Is.EqualTo(0), error);
        using var model = CausalLM.Load(out_, new ModelLoadOptions(DType: "auto"));
        Assert.That(model.Config.NumHiddenLayers, Is.EqualTo(1));
        Assert.That(model.DType, Is.EqualTo(TorchSharp.torch.ScalarType.BFloat16));
    }

    [Test]
    public void LargeShapesNeedAFlagOrConfigOnly()
    {
        string out_ = Path.Combine(dir, "big");
        var (exit, _, error) = CliRunner.Run("init-model", "--config", "qwen2.5-math-7b", "--tokenizer", tokenizer, "--out", out_);
        Assert.That(exit, Is.EqualTo(1));
        Assert.That(error, Does.Contain("RLSC014").And.Contain("--allow-large").And.Contain("--config-only"));
        Assert.That(Directory.Exists(out_), Is.False);

        (exit, var output, error) = CliRunner.Run("init-model", "--config", "qwen2.5-math-7b", "--tokenizer", tokenizer, "--out", out_, "--config-only");
        Assert.That(exit, Is.EqualTo(0), error);
        Assert.That(Directory.GetFiles(out_).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal),
            Is.EqualTo(new[] { "config.json", "generation_config.json", "tokenizer.json", "tokenizer_config.json" }));
        var config = ModelConfig.Load(Path.Combine(out_, "config.json"));
        Assert.That(config.ParameterCount, Is.EqualTo(7_615_616_512));
        Assert.That(config.TorchDtype, Is.EqualTo("float32"), "--dtype float32 by default");
    }

    [Test]
    public void AnUnknownPresetListsTheChoices()
    {
        var (exit, _, error) = CliRunner.Run("init-model", "--config", "medium", "--tokenizer", tokenizer, "--out", Path.Combine(dir, "x"));
        Assert.That(exit, Is.EqualTo(1));
        Assert.That(error, Does.Contain("RLSC001").And.Contain("tiny").And.Contain("qwen2.5-math-1.5b"));
    }
}
