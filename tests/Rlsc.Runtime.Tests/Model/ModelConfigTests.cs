using System.Text.Json.Nodes;
using Rlsc.Core;
using Rlsc.Runtime.Model;

namespace Rlsc.Runtime.Tests.Model;

public class ModelConfigTests
{
    // The released Qwen2.5-Math-1.5B config.json, as published.
    const string Qwen25Math15B = """
        {
          "architectures": ["Qwen2ForCausalLM"],
          "attention_dropout": 0.0,
          "bos_token_id": 151643,
          "eos_token_id": 151643,
          "hidden_act": "silu",
          "hidden_size": 1536,
          "initializer_range": 0.02,
          "intermediate_size": 8960,
          "max_position_embeddings": 4096,
          "max_window_layers": 21,
          "model_type": "qwen2",
          "num_attention_heads": 12,
          "num_hidden_layers": 28,
          "num_key_value_heads": 2,
          "rms_norm_eps": 1e-06,
          "rope_theta": 10000,
          "sliding_window": 4096,
          "tie_word_embeddings": true,
          "torch_dtype": "bfloat16",
          "transformers_version": "4.37.0",
          "use_cache": true,
          "use_mrope": false,
          "use_sliding_window": false,
          "vocab_size": 151936
        }
        """;

    string dir = "";

    [SetUp]
    public void SetUp() => dir = Directory.CreateTempSubdirectory("rlsc-config-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(dir, recursive: true);

    string Write(string json)
    {
        string path = Path.Combine(dir, "config.json");
        File.WriteAllText(path, json);
        return path;
    }

    [Test]
    public void ReadsTheReleasedConfigAndMatchesThePreset()
    {
        var config = ModelConfig.Load(Write(Qwen25Math15B));
        Assert.Multiple(() =>
        {
            Assert.That(config.HeadDim, Is.EqualTo(128));
            Assert.That(config.EosTokenIds, Is.EqualTo(new[] { 151643 }));
            Assert.That(config.TieWordEmbeddings, Is.True);
            Assert.That(config.TorchDtype, Is.EqualTo("bfloat16"));
            Assert.That(config.QkvBias && !config.OutputBias);
            Assert.That(config.Extra.Keys, Is.SupersetOf(new[] { "max_window_layers", "transformers_version", "use_mrope" }));
        });
        var preset = ModelPresets.Get("qwen2.5-math-1.5b").Config;
        Assert.That(config with { Extra = preset.Extra }, Is.EqualTo(preset with { Architectures = config.Architectures, EosTokenIds = config.EosTokenIds }));
    }

    [Test]
    public void RoundTripsEveryKeyIncludingUnknownOnes()
    {
        var config = ModelConfig.Load(Write(Qwen25Math15B));
        config.Save(Path.Combine(dir, "config.json"));
        var written = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "config.json")))!.AsObject();
        var original = JsonNode.Parse(Qwen25Math15B)!.AsObject();
        Assert.That(written.Select(p => p.Key), Is.EqualTo(original.Select(p => p.Key).Order(StringComparer.Ordinal)), "sorted keys, none lost or added");
        foreach (var (key, value) in original)
            Assert.That(JsonNode.DeepEquals(Normalize(written[key]), Normalize(value)), Is.True, key);
        Assert.That(File.ReadAllText(Path.Combine(dir, "config.json")), Does.StartWith("{\n  \"architectures\": [\n    \"Qwen2ForCausalLM\"\n  ],"));
    }

    // 1e-06 and 1E-06 are the same number; compare values, not spellings.
    static JsonNode? Normalize(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue(out double d) ? JsonValue.Create(d) : node;

    [TestCase("hidden_size")]
    [TestCase("num_key_value_heads")]
    [TestCase("rope_theta")]
    [TestCase("architectures")]
    public void AMissingFieldIsAnErrorNamingFileAndField(string field)
    {
        var json = JsonNode.Parse(Qwen25Math15B)!.AsObject();
        json.Remove(field);
        string path = Write(json.ToJsonString());
        var e = Assert.Throws<RlscException>(() => ModelConfig.Load(path))!;
        Assert.That(e.Code, Is.EqualTo(ErrorCodes.ModelConfigInvalid));
        Assert.That(e.File, Is.EqualTo(path));
        Assert.That(e.Message, Does.Contain($"'{field}'").And.Contain("missing"));
    }

    [TestCase("architectures", "[\"MistralForCausalLM\"]", "MistralForCausalLM")]
    [TestCase("hidden_size", "\"big\"", "an integer")]
    [TestCase("num_key_value_heads", "5", "must divide")]
    [TestCase("hidden_act", "\"gelu\"", "silu")]
    [TestCase("rope_scaling", "{\"type\":\"yarn\",\"factor\":4}", "not supported")]
    [TestCase("rope_parameters", "{\"rope_type\":\"yarn\",\"factor\":4,\"rope_theta\":10000}", "not supported")]  // transformers 5's form
    [TestCase("use_sliding_window", "true", "not supported")]
    public void ABadValueIsAnErrorNamingTheField(string field, string value, string expected)
    {
        var json = JsonNode.Parse(Qwen25Math15B)!.AsObject();
        json[field] = JsonNode.Parse(value);
        var e = Assert.Throws<RlscException>(() => ModelConfig.Load(Write(json.ToJsonString())))!;
        Assert.That(e.Code, Is.EqualTo(ErrorCodes.ModelConfigInvalid));
        Assert.That(e.Message, Does.Contain($"'{field}'").And.Contain(expected));
    }

    [Test]
    public void ReadsTransformers5RopeParametersAndEosLists()
    {
        var json = JsonNode.Parse(Qwen25Math15B)!.AsObject();
        json.Remove("rope_theta");
        json["rope_parameters"] = new JsonObject { ["rope_theta"] = 1000000.0, ["rope_type"] = "default" };
        json["eos_token_id"] = new JsonArray(151643, 151645);
        var config = ModelConfig.Load(Write(json.ToJsonString()));
        Assert.That(config.RopeTheta, Is.EqualTo(1e6));
        Assert.That(config.EosTokenIds, Is.EqualTo(new[] { 151643, 151645 }));
    }

    [Test]
    public void LlamaHasNoQkvBiasUnlessAsked()
    {
        var json = JsonNode.Parse(Qwen25Math15B)!.AsObject();
        json["architectures"] = new JsonArray("LlamaForCausalLM");
        json["model_type"] = "llama";
        var config = ModelConfig.Load(Write(json.ToJsonString()));
        Assert.That(config.QkvBias, Is.False);
        json["attention_bias"] = true;
        config = ModelConfig.Load(Write(json.ToJsonString()));
        Assert.That(config.QkvBias && config.OutputBias);
    }

    [Test]
    public void InvalidJsonNamesTheLine()
    {
        string path = Write("{\n  \"hidden_size\": 12,\n  oops\n}");
        var e = Assert.Throws<RlscException>(() => ModelConfig.Load(path))!;
        Assert.That(e.Code, Is.EqualTo(ErrorCodes.ModelConfigInvalid));
        Assert.That(e.Line, Is.EqualTo(3));
    }

    [Test]
    public void PresetsAreValidAndSmallOnesAreSmall()
    {
        foreach (var preset in ModelPresets.All)
            Assert.DoesNotThrow(() => preset.For(300).Validate(preset.Name), preset.Name);
        Assert.That(ModelPresets.Get("tiny").For(300).ParameterCount, Is.InRange(200_000, 900_000));
        Assert.That(ModelPresets.Get("small").For(151665).ParameterCount, Is.InRange(40_000_000, 60_000_000));
        Assert.That(ModelPresets.Get("small").For(151665).VocabSize, Is.EqualTo(151680));
        var e = Assert.Throws<RlscException>(() => ModelPresets.Get("huge"))!;
        Assert.That(e.Message, Does.Contain("tiny").And.Contain("qwen2.5-math-7b"));
    }
}
