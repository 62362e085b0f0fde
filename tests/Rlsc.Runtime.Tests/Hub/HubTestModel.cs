using System.Text;

namespace Rlsc.Runtime.Tests.Hub;

/// <summary>The files of a small sharded model repository, with random weights bytes (content need not be a real model here).</summary>
static class HubTestModel
{
    public static Dictionary<string, byte[]> Sharded(int seed, bool customCode = false)
    {
        var random = new Random(seed);
        byte[] Random(int n) { var b = new byte[n]; random.NextBytes(b); return b; }
        string config = customCode
            ? "{\"architectures\": [\"Qwen2ForCausalLM\"], \"auto_map\": {\"AutoModel\": \"modeling_evil.Model\"}, \"seed\": " + seed + "}"
            : "{\"architectures\": [\"Qwen2ForCausalLM\"], \"seed\": " + seed + "}";
        return new Dictionary<string, byte[]>
        {
            ["config.json"] = Encoding.UTF8.GetBytes(config),
            ["generation_config.json"] = Encoding.UTF8.GetBytes("{\"do_sample\": false}"),
            ["tokenizer.json"] = Random(3000),
            ["tokenizer_config.json"] = Encoding.UTF8.GetBytes("{\"eos_token\": \"<|im_end|>\"}"),
            ["model.safetensors.index.json"] = Encoding.UTF8.GetBytes(
                "{\"metadata\": {\"total_size\": 300000}, \"weight_map\": {\"a.weight\": \"model-00001-of-00002.safetensors\", " +
                "\"b.weight\": \"model-00002-of-00002.safetensors\", \"c.weight\": \"model-00001-of-00002.safetensors\"}}"),
            ["model-00001-of-00002.safetensors"] = Random(200_000),
            ["model-00002-of-00002.safetensors"] = Random(100_000),
            ["pytorch_model.bin"] = Random(1000),
            ["modeling_evil.py"] = Encoding.UTF8.GetBytes("import os"),
            ["README.md"] = Encoding.UTF8.GetBytes("# model"),
            ["images/plot.png"] = Random(100),
        };
    }

    public static Dictionary<string, byte[]> Single(int seed)
    {
        var model = Sharded(seed);
        var weights = model["model-00001-of-00002.safetensors"];
        foreach (string key in new[] { "model.safetensors.index.json", "model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors" }) model.Remove(key);
        model["model.safetensors"] = weights;
        return model;
    }

    public static readonly string[] CheckpointFilesSharded =
    [
        "config.json", "generation_config.json", "tokenizer.json", "tokenizer_config.json",
        "model.safetensors.index.json", "model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors",
    ];
}
